"""Headless driving: open the workstation on the dummy video driver with an injected clock and
act as a candidate through posted events (what the virtual-candidate engineer builds on).

    from typingtest.workstation.driver import Driver
    d = Driver.open(settings, store, battery="quick")          # SDL_VIDEODRIVER=dummy
    d.intake("C-001")                                           # id, consent, keyboard, headset
    d.start_task()                                              # the instructions' Start
    d.type("Geachte mevrouw", interval=0.18)                    # one character per 0.18 s
    d.finish()                                                  # Ctrl+Enter, then Enter
    d.session.results                                           # what was stored

Every posted event is stamped with the injected clock when the app reads it, exactly as the
real loop stamps keyboard events with ``perf_counter``; ``d.wait(s)`` moves time on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pygame

from typingtest.config import Settings
from typingtest.workstation.app import App
from typingtest.workstation.audio_link import CallerAudio
from typingtest.workstation.clock import ManualClock
from typingtest.workstation.session import Session, TaskSpec

__all__ = ["Driver"]


@dataclass
class Driver:
    """A scripted candidate in front of a headless workstation."""

    app: App
    session: Session
    clock: ManualClock

    @classmethod
    def open(cls, settings: Settings, store: Any, *, battery: str | None = None, specs: list[TaskSpec] | None = None,
             intake: bool | None = None, candidate: str | None = None, lang: str = "nl", single: bool = False,
             size: tuple[int, int] = (1280, 720), seed: int = 1, silent_audio: bool = True,
             keyboard_layout: str | None = None) -> Driver:
        """Open the workstation headless on a battery (by name) or on ``specs``; show the first step."""
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
        from typingtest.workstation.runner import specs_from_battery

        clock = ManualClock(1000.0)
        app = App(settings, size=size, clock=clock)
        battery_id = "headless"
        if battery is not None:
            from typingtest.content import load_battery

            b = load_battery(battery, lang=lang, passages=settings.passages_dir)  # as `run` does
            specs, has_intake = specs_from_battery(b, settings, seed)
            battery_id = b.id
            intake = has_intake if intake is None else intake
        audio = CallerAudio(clock.now, silent=True) if silent_audio else None
        session = Session(app, settings, store, battery_id=battery_id, specs=specs or [], candidate_id=candidate,
                          language=lang, intake=bool(intake) and not single, instructions=not single,
                          closing=not single, audio=audio, keyboard_layout=keyboard_layout)
        session.start()
        app.pump()
        return cls(app, session, clock)

    # time and input -------------------------------------------------------------------------------
    def wait(self, seconds: float) -> None:
        """Let ``seconds`` pass (frames run, cues fire, audio plays)."""
        self.app.advance(seconds)

    def key(self, key: int, mod: int = 0, after: float = 0.1) -> None:
        """Press and release a key, then wait ``after`` seconds."""
        self.app.post_key(key, mod)
        self.app.advance(after)

    def type(self, text: str, interval: float = 0.15) -> None:
        """Type ``text`` into the focused field ("\\b" = Backspace, "\\n" = Enter)."""
        self.app.type_text(text, interval)

    def click(self, name: str, after: float = 0.2) -> None:
        """Click a widget (or ``list:<row id>``), then wait."""
        self.app.click(name)
        self.app.advance(after)

    def type_into(self, field: str, text: str, interval: float = 0.12) -> None:
        """Click a field and type into it."""
        self.click(field, after=0.1)
        self.type(text, interval)

    @property
    def scene(self) -> Any:
        """The current scene."""
        return self.app.scene

    # steps --------------------------------------------------------------------------------------------
    def intake(self, candidate: str, layout: str | None = None) -> None:
        """Go through the intake: id, consent, keyboard (``layout`` clicked when given) and its check,
        headset check."""
        from typingtest.workstation.intake import LAYOUT_CHECK_TEXTS

        scene = self.scene
        self.type(candidate, 0.1)
        self.key(pygame.K_RETURN)
        self.click("agree")
        if layout is not None:
            self.click(f"layout:{layout}")
        self.type(LAYOUT_CHECK_TEXTS[scene.keyboard_layout], 0.1)
        self.key(pygame.K_RETURN)
        self.wait(1.5)
        self.type(scene.headset_word, 0.1)
        self.key(pygame.K_RETURN)

    def start_task(self) -> None:
        """Leave the instructions, the practice's result or the ready screen (Enter), once the
        screen takes input (``App.input_guard_left``: a candidate reads it first)."""
        self.wait(self.app.input_guard_left())
        self.key(pygame.K_RETURN, after=0.5)

    def finish(self) -> None:
        """End the task: Ctrl+Enter, then Enter to confirm."""
        self.key(pygame.K_RETURN, pygame.KMOD_LCTRL, after=0.3)
        self.key(pygame.K_RETURN, after=0.3)
