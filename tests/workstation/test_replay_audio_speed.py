"""Replay at ``--speed S``: caller lines are heard at their scaled onsets and resampled to last
1/S as long (pitch times S). Headless: SDL_AUDIODRIVER=dummy (tests/conftest.py), the lines
rendered by eSpeak NG into a temporary cache, ``Player.schedule`` spied on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from typingtest.audio.player import Player
from typingtest.config import Settings
from typingtest.engine.events import EventKind, make_log
from typingtest.workstation.app import App
from typingtest.workstation.clock import ManualClock
from typingtest.workstation.replay import ReplayScene, line_at_speed, replay_audio

RATE = 16000


def _peak_hz(x: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.fft.rfftfreq(len(x), 1 / rate)[int(np.argmax(spectrum))])


@pytest.mark.parametrize(("speed", "expected_len"), [(1.0, 16000), (2.0, 8000), (0.5, 32000), (1.5, 10667)])
def test_line_at_speed_lasts_duration_over_speed_and_moves_the_pitch(speed: float, expected_len: int) -> None:
    # one second of 440 Hz at 16 kHz; expected lengths = 16000 / speed, rounded up (resample_poly's ceil)
    t = np.arange(RATE) / RATE
    tone = np.sin(2 * np.pi * 440.0 * t).astype(np.float32)
    out = line_at_speed(tone, speed)
    assert out.dtype == np.float32
    assert len(out) == expected_len
    # played at the same rate, the tone is now 440 * speed Hz (FFT bin width 1 Hz at 1 s, 2 Hz at 0.5 s)
    assert _peak_hz(out, RATE) == pytest.approx(440.0 * speed, abs=2.5)
    if speed == 1.0:
        assert out is tone or np.array_equal(out, tone)


def test_line_at_speed_refuses_a_speed_of_zero() -> None:
    with pytest.raises(ValueError):
        line_at_speed(np.zeros(100, np.float32), 0.0)


def _replay_handed_lines(results_dir: Path, speed: float) -> list[tuple[float, str, int, int | None]]:
    """Replay a log with one caller line whose onset is at 4.0 s; return what the player was handed:
    (loop clock time, line id, samples, rate)."""
    from typingtest.content import load_item

    item = load_item("nl-trans-01")
    app = App(Settings(results_dir=results_dir), clock=ManualClock(1000.0))
    audio = replay_audio(app, item, speed)
    if audio is None:
        pytest.skip("SKIPPED LOUDLY: no audio for the replay (SDL dummy audio driver or eSpeak NG missing)")
    handed: list[tuple[float, str, int, int | None]] = []
    real_schedule = Player.schedule

    def spy(player: Player, line_id: str, samples: Any, at: float, **kw: Any) -> None:
        handed.append((app.clock.now(), line_id, len(samples), kw.get("rate")))
        real_schedule(player, line_id, samples, at, **kw)

    try:
        Player.schedule = spy  # type: ignore[method-assign]
        rows = [{"t": 0.0, "kind": EventKind.MARKER, "text": "task-start"},
                {"t": 4.0, "kind": EventKind.AUDIO_ONSET, "text": "l1", "target": "line"},
                {"t": 9.0, "kind": EventKind.TEXT, "text": "G", "target": "answer"}]
        scene = ReplayScene(app, make_log(rows), title="transcription nl-trans-01", speed=speed, audio=audio)
        app.show(scene)
        app.advance(10.0 / speed)
    finally:
        Player.schedule = real_schedule  # type: ignore[method-assign]
        audio.close()
    return handed


def test_at_speed_2_the_line_handed_to_the_player_is_half_as_long_and_twice_as_early(
    results_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TYPINGTEST_AUDIO_CACHE", str(tmp_path / "audio-cache"))
    at_1 = _replay_handed_lines(results_dir, 1.0)
    at_2 = _replay_handed_lines(results_dir, 2.0)
    assert [h[1] for h in at_1] == ["l1"] and [h[1] for h in at_2] == ["l1"]
    (t1, _, n1, rate1), (t2, _, n2, rate2) = at_1[0], at_2[0]
    assert rate1 == rate2  # same sample rate: the shorter line plays faster and higher
    assert n1 > 8000  # a real rendered sentence (over half a second at 16 kHz), not an empty line
    assert n2 / n1 == pytest.approx(0.5, rel=0.01)
    # onset 4.0 s into the log: handed over 4.0 s after the start at speed 1, 2.0 s at speed 2 (one
    # 60 Hz frame of slack: the scene applies rows in its frame update)
    assert t1 - 1000.0 == pytest.approx(4.0, abs=1 / 60 + 1e-9)
    assert t2 - 1000.0 == pytest.approx(2.0, abs=1 / 60 + 1e-9)
