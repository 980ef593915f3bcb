"""Shared helpers of the walks under Xvfb (``test_call_xvfb.py``, ``test_battery_walk_xvfb.py``).

A walk drives ``typingtest run`` in a subprocess on a throwaway X server with real key events
and clicks (xdotool). Where the widgets are comes from a headless twin of the same scene at the
same size (``App.widget_rect``; the window sits at 0,0 and the layout is the same at the same
size); when to act, from the running attempt's journal (``formats.journal.read_journal``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from typingtest.config import Settings
from typingtest.engine.events import EventKind
from typingtest.formats.journal import read_journal
from typingtest.workstation.xdriver import key_names, missing_tools

if TYPE_CHECKING:
    from typingtest.workstation.app import App

__all__ = ["REPO", "Walk", "require_xtools", "twin_desk", "workstation_env"]

REPO = Path(__file__).resolve().parents[2]


def require_xtools() -> None:
    """Skip, loudly, where there is no Xvfb or xdotool."""
    if not sys.platform.startswith("linux"):
        pytest.skip("SKIPPED LOUDLY: Xvfb and xdotool are Linux test tools")
    missing = missing_tools()
    if missing:
        pytest.skip(f"SKIPPED LOUDLY: {', '.join(missing)} not installed (apt-get install xvfb xdotool x11-xkb-utils)")


def workstation_env(display: str, results: Path, audio: str = "dummy", **extra: str) -> dict[str, str]:
    """The environment of ``typingtest run`` on ``display``, storing under ``results``, with the SDL
    audio driver ``audio`` (``dummy``: nothing heard; ``disk``: written to ``SDL_DISKAUDIOFILE``)."""
    env = dict(os.environ, DISPLAY=display, SDL_AUDIODRIVER=audio, TYPINGTEST_RESULTS=str(results),
               LANG="C.UTF-8", LC_ALL="C.UTF-8", **extra)
    for name in ("SDL_VIDEODRIVER", "TYPINGTEST_DB", "TYPINGTEST_SETTINGS"):
        env.pop(name, None)
    return env


def twin_desk(tmp: Path, item: str, size: tuple[int, int], seed: int) -> App:
    """The call desk of ``item`` headless at ``size``, for the widgets' rectangles."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    from typingtest.workstation.app import App
    from typingtest.workstation.audio_link import CallerAudio
    from typingtest.workstation.clock import ManualClock
    from typingtest.workstation.runner import single_task_spec
    from typingtest.workstation.session import Session

    settings = Settings(results_dir=tmp)
    app = App(settings, size=size, clock=ManualClock(1000.0))
    spec = single_task_spec("call", item, settings, "nl", seed=seed)
    Session(app, settings, None, battery_id="twin", specs=[spec], candidate_id="TWIN", language="nl",
            instructions=False, closing=False, audio=CallerAudio(app.clock.now, silent=True)).start()
    app.advance(0.3)
    return app


class Walk:
    """Real input into the workstation's window, and what its running attempt's journal says so far."""

    def __init__(self, env: dict[str, str], results: Path, twin: App | None = None) -> None:
        self.env, self.results, self.twin = env, results, twin

    def journal(self) -> Path | None:
        return next(iter(self.results.rglob("*.ttj")), None)

    def rows(self) -> list[tuple[str, str, str]]:
        path = self.journal()
        if path is None:
            return []
        try:
            events = read_journal(path).events
        except (OSError, ValueError):  # stored and removed, or half written, as we read it
            return []
        return [(EventKind(int(r["kind"])).name, str(r["text"]), str(r["target"])) for r in events]

    def wait(self, what: Callable[[list[tuple[str, str, str]]], bool], label: str, timeout: float = 60.0) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if what(self.rows()):
                return
            time.sleep(0.1)
        raise AssertionError(f"waited {timeout:g} s for {label}; journal ends {self.rows()[-8:]}")

    def line_end(self, line: str, timeout: float = 60.0) -> None:
        self.wait(lambda rows: ("AUDIO_OFFSET", line, "line") in rows, f"the end of caller line {line}", timeout)

    def wait_for_journal(self, present: bool, label: str, timeout: float = 30.0) -> None:
        """Wait until an attempt runs (``present``) or none does (its journal stored and removed)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if (self.journal() is not None) == present:
                return
            time.sleep(0.05)
        raise AssertionError(f"waited {timeout:g} s for {label}")

    def xdo(self, *args: str) -> None:
        subprocess.run(["xdotool", *args], env=self.env, check=True, timeout=60)

    def click(self, name: str) -> None:
        """Move the mouse to the middle of the twin's widget (or list row) ``name`` and click."""
        assert self.twin is not None, "no twin to find widgets on"
        rect = self.twin.widget_rect(name)
        if rect is None:
            w = self.twin.scene.widget(name)  # a widget not shown in the twin yet: its laid-out place
            rect = w.rect
        self.click_at(rect.centerx, rect.centery)

    def click_at(self, x: int, y: int) -> None:
        self.xdo("mousemove", str(x), str(y))
        time.sleep(0.05)
        self.xdo("click", "1")
        time.sleep(0.25)

    def type(self, text: str) -> None:
        self.xdo("key", "--delay", "40", *key_names(text))
        time.sleep(0.2)

    def key(self, *keys: str) -> None:
        self.xdo("key", "--delay", "40", *keys)
        time.sleep(0.25)
