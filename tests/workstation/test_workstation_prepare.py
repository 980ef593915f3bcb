"""A task's caller audio is made ready before the task starts, and keys typed meanwhile stay out
of the attempt.

Found with the per-key trace of ``benchmarks/bench_workstation.py``: the first cue of a line
resampled it on the loop (and imported scipy), a 0.3-2 s stall; keys typed then reached the
task together, stamped up to 325 ms late (5-9 keys "in pairs" in a third of the Xvfb runs).
"""

from __future__ import annotations

import os
import time

import pygame
import pytest

from typingtest.config import Settings
from typingtest.content import load_item
from typingtest.engine.events import EventKind
from typingtest.workstation import audio_link
from typingtest.workstation.app import App
from typingtest.workstation.audio_link import CallerAudio, LineText
from typingtest.workstation.clock import ManualClock, PerfClock
from typingtest.workstation.session import PREPARE_DISCARD_S, Session, TaskSpec


@pytest.fixture(autouse=True)
def _dummy_audio(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDL_AUDIODRIVER", os.environ.get("SDL_AUDIODRIVER", "dummy"))


def test_prepared_lines_are_at_the_device_rate_so_a_cue_resamples_nothing() -> None:
    item = load_item("nl-trans-01")
    audio = CallerAudio(time.perf_counter)
    try:
        if not audio.available:
            pytest.skip("SKIPPED LOUDLY: no SDL audio device, not even the dummy driver")
        audio.prepare([LineText(ln.id, ln.text, ln.voice or item.voice) for ln in item.lines])
        first = item.lines[0].id
        samples, rate = audio.samples[first]
        assert rate == audio.player.rate  # eSpeak renders at 22,050 Hz; the device runs at its own rate
        audio.play(first)
        assert audio.player._prepared == {}  # nothing was resampled at the cue
        assert audio.player._lines[first] is samples
    finally:
        audio.close()


def _session(app: App, settings: Settings) -> Session:
    spec = TaskSpec("transcription", load_item("nl-trans-01"), 600.0)
    return Session(app, settings, None, battery_id="t", specs=[spec], candidate_id="P", instructions=False,
                   closing=False, audio=CallerAudio(app.clock.now, silent=True))


def _slow_prepare(monkeypatch: pytest.MonkeyPatch) -> None:
    real = audio_link.CallerAudio.prepare

    def slow(self, *args, **kwargs):  # a cold cache or a first scipy import: longer than the limit
        real(self, *args, **kwargs)
        time.sleep(PREPARE_DISCARD_S * 3)

    monkeypatch.setattr(audio_link.CallerAudio, "prepare", slow)


def test_keys_typed_while_the_task_is_prepared_are_dropped_and_counted(results_dir, monkeypatch) -> None:
    _slow_prepare(monkeypatch)
    settings = Settings(results_dir=results_dir)
    app = App(settings, clock=PerfClock())
    session = _session(app, settings)
    for ch in "abc":  # typed at the wait screen: 3 key downs, 3 texts, 3 key ups
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=ord(ch), mod=0, scancode=0, unicode=ch))
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=ch))
        pygame.event.post(pygame.event.Event(pygame.KEYUP, key=ord(ch), mod=0, scancode=0))
    session.start()
    app.pump()
    # counted as key presses (3), not as rows (9): a release or the text of a press is no new input
    assert [(i.kind, i.detail) for i in app.incidents] == [("input-before-start", "3 events")]
    log = app.recorder.to_log()
    assert not (log["kind"] == EventKind.TEXT).any()
    assert session.audio is not None and session.audio.samples  # the task went on with its audio


def test_headless_drivers_keep_their_posted_input(results_dir, monkeypatch) -> None:
    # on an injected clock a stamp does not depend on when the loop reads the event: nothing dropped
    _slow_prepare(monkeypatch)
    settings = Settings(results_dir=results_dir)
    app = App(settings, clock=ManualClock(0.0))
    session = _session(app, settings)
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="x"))
    session.start()
    app.pump()
    assert app.incidents == []
    log = app.recorder.to_log()
    assert (log["kind"] == EventKind.TEXT).sum() == 1
