"""The SDL side of the player without a sound card: the callback's clock mapping, no-device fallback."""

from __future__ import annotations

import time

import numpy as np
import pytest

from typingtest.audio.player import Player
from typingtest.cli import main

RATE = 48_000
N = 256  # samples per callback


def sdl_player(**kw) -> Player:
    """A player wired as the SDL backend, without a device: the test calls its callback by hand."""
    return Player(backend="sdl", rate=RATE, buffer_samples=N, latency_s=N / RATE, clock=time.perf_counter,
                  driver="test", available=True, message="", capture=True, **kw)


def run_callbacks(player: Player, monkeypatch, times: list[float]) -> None:
    for t in times:
        monkeypatch.setattr(time, "perf_counter", lambda t=t: t)
        stream = memoryview(bytearray(N * 4))
        player._callback(None, stream)
        assert np.frombuffer(stream, np.float32).shape == (N,)


def test_callback_places_a_cue_on_the_right_sample(monkeypatch):
    # Steady callbacks every 256 / 48000 s from t = 10.0; sample k is heard at 10.0 + latency + k / rate.
    p = sdl_player()
    period = N / RATE
    run_callbacks(p, monkeypatch, [10.0 + i * period for i in range(4)])
    cue = 10.0 + N / RATE + 2000 / RATE  # the time sample 2000 is heard
    p.schedule("l1", np.full(480, 0.5, np.float32), at=cue)
    run_callbacks(p, monkeypatch, [10.0 + i * period for i in range(4, 20)])
    out = p.captured
    assert np.flatnonzero(out)[0] == 2000  # hand count: (cue - 10.0 - latency) * 48000
    events = p.poll(include_future=True)
    assert events[0].kind == "onset" and events[0].t == pytest.approx(cue, abs=1e-9)
    assert events[1].kind == "offset" and events[1].t == pytest.approx(cue + 0.01, abs=1e-9)


def test_late_callbacks_do_not_move_the_clock_but_a_stall_does(monkeypatch):
    p = sdl_player()
    period = N / RATE
    # jitter: callbacks 0-2 ms late; the mapping uses the earliest (on-time) one
    jitter = [0.0, 0.002, 0.001, 0.0015, 0.0, 0.002]
    run_callbacks(p, monkeypatch, [10.0 + i * period + j for i, j in enumerate(jitter)])
    assert p._t0 == pytest.approx(10.0, abs=1e-9)
    # a 30 ms stall: the buffer cannot sound before it was written, so this buffer's time moves
    k = p._mixer.position
    run_callbacks(p, monkeypatch, [10.0 + 6 * period + 0.030])
    assert p._base + k / RATE == pytest.approx(10.0 + 6 * period + 0.030, abs=1e-9)


def test_no_device_gives_a_silent_player_and_a_message(monkeypatch):
    import pygame._sdl2.audio as sdl_audio

    def refuse(*args, **kwargs):
        raise RuntimeError("Couldn't open audio device")

    monkeypatch.setattr(sdl_audio, "AudioDevice", refuse)
    p = Player.open()
    try:
        assert p.backend == "virtual" and p.available is False
        assert p.message.startswith("no audio device (Couldn't open audio device)")
        assert "blocked unless the proctor overrides; typing tasks still run" in p.message
        p.play_now("l1", np.zeros(100, np.float32))  # still usable: onsets keep being logged
    finally:
        p.close()


def test_audio_check_command_reports_missing_device(monkeypatch, capsys):
    import pygame._sdl2.audio as sdl_audio

    monkeypatch.setattr(sdl_audio, "AudioDevice", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("none")))
    assert main(["audio", "check"]) == 1
    assert capsys.readouterr().out.startswith("audio: NOT AVAILABLE: no audio device (none)")
