"""The scheduling player on the virtual backend (same mixer, an injected clock, no device)."""

from __future__ import annotations

import numpy as np
import pytest

from typingtest.audio.player import Mixer, Player, _Voice

RATE = 48_000


class FakeClock:
    """A perf_counter stand-in the test moves by hand (seconds)."""

    def __init__(self, t: float = 100.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def line(seconds: float, value: float = 0.5) -> np.ndarray:
    return np.full(int(seconds * RATE), value, np.float32)


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def player(clock):
    p = Player.open(backend="virtual", clock=clock, capture=True)
    yield p
    p.close()


def test_virtual_player_is_flagged_unavailable(player):
    # the workstation blocks audio tasks on this flag unless the proctor overrides
    assert player.available is False and "nothing is heard" in player.message


def test_scheduled_onsets_and_offsets_are_exact(player, clock):
    player.schedule("l1", line(0.5), at=100.25)
    player.schedule("l2", line(0.2, 0.25), at=101.0)
    clock.t = 102.0
    events = player.poll()
    # onset = cue; offset = cue + length (0.5 s and 0.2 s): sample-exact on the virtual clock
    assert [(e.kind, e.line_id, e.reason) for e in events] == [
        ("onset", "l1", ""), ("offset", "l1", "end"), ("onset", "l2", ""), ("offset", "l2", "end")
    ]
    assert [e.t for e in events] == pytest.approx([100.25, 100.75, 101.0, 101.2], abs=1e-9)
    out = player.captured
    # the first sample of each line is where the cue says, in the mixed output
    assert out[int(0.25 * RATE) - 1] == 0.0 and out[int(0.25 * RATE)] == 0.5
    assert out[int(1.0 * RATE) - 1] == 0.0 and out[int(1.0 * RATE)] == 0.25


def test_poll_hands_out_only_events_whose_time_has_come(player, clock):
    player.schedule("l1", line(1.0), at=100.1)
    clock.t = 100.5
    assert [(e.kind, e.line_id) for e in player.poll()] == [("onset", "l1")]
    assert player.poll() == []
    clock.t = 101.2
    assert [(e.kind, e.line_id) for e in player.poll()] == [("offset", "l1")]


def test_late_cue_starts_now_and_reports_the_actual_onset(player, clock):
    clock.t = 100.5
    player.poll()  # mixed up to 100.5
    player.schedule("late", line(0.1), at=100.2)  # the cue passed 0.3 s ago
    clock.t = 101.0
    onset = next(e for e in player.poll() if e.kind == "onset")
    assert onset.t == pytest.approx(100.5, abs=1 / RATE)


def test_stop_fades_and_reports_offset(player, clock):
    player.schedule("l1", line(2.0), at=100.0)
    clock.t = 100.5
    player.stop("l1")
    clock.t = 101.0
    events = player.poll()
    offset = next(e for e in events if e.kind == "offset")
    assert offset.reason == "stop"
    assert offset.t == pytest.approx(100.5, abs=1 / RATE)  # the stop, not the end of the 10 ms fade
    assert not player.is_playing("l1")
    out = player.captured
    assert np.all(out[int(0.52 * RATE) :] == 0.0)


def test_stop_before_onset_cancels_silently(player, clock):
    player.schedule("l1", line(1.0), at=100.5)
    player.stop("l1")
    clock.t = 102.0
    assert player.poll() == []
    assert np.all(player.captured == 0.0)


def test_replay_restarts_the_line(player, clock):
    player.schedule("msg", line(0.5), at=100.0)
    clock.t = 100.2
    player.replay("msg")
    clock.t = 101.0
    events = [(e.kind, round(e.t, 3), e.reason) for e in player.poll()]
    assert events == [("onset", 100.0, ""), ("offset", 100.2, "stop"), ("onset", 100.2, ""), ("offset", 100.7, "end")]
    with pytest.raises(KeyError):
        player.replay("never-played")


def test_hold_stop_mode_stops_lines_and_plays_music(player, clock):
    player.schedule("l1", line(2.0, 0.5), at=100.0)
    clock.t = 100.5
    player.hold(True, music=line(1.0, 0.1))
    clock.t = 101.0
    player.hold(False)
    clock.t = 101.5
    events = player.poll()
    assert [(e.kind, e.line_id, e.reason) for e in events] == [("onset", "l1", ""), ("offset", "l1", "hold")]
    out = player.captured
    assert out[int(0.8 * RATE)] == pytest.approx(0.1)  # music only
    assert out[int(1.3 * RATE)] == 0.0  # hold ended: music stopped, the line does not come back


def test_hold_duck_mode_lowers_lines_by_20_db(player, clock):
    player.schedule("l1", line(2.0, 0.5), at=100.0)
    clock.t = 100.5
    player.hold(True, mode="duck")
    clock.t = 101.0
    player.hold(False)
    clock.t = 101.5
    out = player.captured
    assert out[int(0.4 * RATE)] == pytest.approx(0.5)
    assert out[int(0.8 * RATE)] == pytest.approx(0.05)  # -20 dB = x0.1
    assert out[int(1.3 * RATE)] == pytest.approx(0.5)
    assert [e.kind for e in player.poll()] == ["onset"]  # still playing, no offset


def test_background_loops_under_lines(player, clock):
    player.background(line(0.1, 0.01))
    player.schedule("l1", line(0.2, 0.5), at=100.5)
    clock.t = 101.0
    out = player.captured
    assert out[int(0.3 * RATE)] == pytest.approx(0.01)
    assert out[int(0.6 * RATE)] == pytest.approx(0.51)
    assert [e.line_id for e in player.poll()] == ["l1", "l1"]  # the room makes no events
    player.stop_all()  # a hang-up: lines stop, the room goes on
    clock.t = 101.5
    assert player.captured[-1] == pytest.approx(0.01)


def test_prepare_resamples_16k_lines_to_the_device_rate(player):
    x = np.sin(2 * np.pi * 440 * np.arange(16000) / 16000).astype(np.float32)
    y = player.prepare(x, 16000)
    assert len(y) == 48000
    freqs = np.fft.rfftfreq(len(y), 1 / RATE)
    assert freqs[np.argmax(np.abs(np.fft.rfft(y)))] == pytest.approx(440.0, abs=1.0)


def test_mixer_clips_and_keeps_order():
    m = Mixer(RATE)
    m.add(_Voice("a", np.full(100, 0.8, np.float32), start=10))
    m.add(_Voice("b", np.full(100, 0.8, np.float32), start=50))
    out, events = m.render(200)
    assert out.max() == 1.0  # 1.6 clipped to full scale
    assert events == [("onset", "a", 10, ""), ("onset", "b", 50, ""), ("offset", "a", 110, "end"),
                      ("offset", "b", 150, "end")]


def test_open_with_sdl_under_dummy_driver_does_not_fail(monkeypatch):
    # conftest sets SDL_AUDIODRIVER=dummy: the SDL backend opens, lines are timed, nothing is heard
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    p = Player.open()
    try:
        assert p.backend in ("sdl", "virtual")
        if p.backend == "sdl":
            assert p.available and "dummy" in p.message
    finally:
        p.close()
