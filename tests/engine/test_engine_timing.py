"""Timing figures: hand-computed intervals, hold times, speed series, consistency, pauses."""

from __future__ import annotations

import math

import numpy as np
import pytest

from typingtest.engine import analyze
from typingtest.engine.events import EventKind, make_log
from typingtest.engine.timing import consistency, hold_times, inter_key_intervals, pauses, speed_series, summarize


def test_inter_key_intervals_and_summary() -> None:
    iv = inter_key_intervals(np.array([0.0, 0.1, 0.3, 0.6]))
    assert iv.tolist() == pytest.approx([100.0, 200.0, 300.0])
    s = summarize(iv)
    assert s.mean == pytest.approx(200.0)
    assert s.median == pytest.approx(200.0)
    assert s.sd == pytest.approx(100.0)  # sample SD of 100, 200, 300
    assert summarize(np.empty(0)).mean is None
    assert summarize(np.array([5.0])).sd is None


def test_hold_times_pair_press_and_release_per_key() -> None:
    rows = [
        {"t": 0.00, "kind": EventKind.KEY_DOWN, "key": 97},
        {"t": 0.05, "kind": EventKind.KEY_DOWN, "key": 98},  # b pressed while a is down (rollover)
        {"t": 0.09, "kind": EventKind.KEY_UP, "key": 97},  # a held 90 ms
        {"t": 0.20, "kind": EventKind.KEY_UP, "key": 98},  # b held 150 ms
        {"t": 0.30, "kind": EventKind.KEY_DOWN, "key": 99},
        {"t": 0.80, "kind": EventKind.KEY_DOWN, "key": 99},  # auto-repeat: the first press counts
        {"t": 0.85, "kind": EventKind.KEY_UP, "key": 99},  # c held 550 ms
        {"t": 0.90, "kind": EventKind.KEY_UP, "key": 100},  # a release without a press: ignored
        {"t": 1.00, "kind": EventKind.KEY_DOWN, "key": 0, "scancode": 40},  # told apart by scancode
        {"t": 1.07, "kind": EventKind.KEY_UP, "key": 0, "scancode": 40},  # 70 ms
        {"t": 1.10, "kind": EventKind.KEY_DOWN, "key": 97},  # never released: no hold time
    ]
    assert sorted(hold_times(make_log(rows)).tolist()) == pytest.approx([70.0, 90.0, 150.0, 550.0])


def test_speed_series_by_hand() -> None:
    # characters at 0.0, 0.2, ..., 2.0 s (11): bins [0,1) 5 chars, [1,2] 6 chars (the last bin,
    # 2.0 - 2.0 = 0 s long, merges into the one before)
    times = np.arange(11) * 0.2
    series = speed_series(times, 0.0, 2.0)
    assert series == pytest.approx([5 * 12.0, 6 * 12.0])
    # a final bin of at least 0.5 s keeps its own, scaled by its length
    series = speed_series(np.array([0.0, 0.5, 1.2, 1.6]), 0.0, 1.6)
    assert series == pytest.approx([2 * 12.0, 2 / 0.6 * 12.0])
    assert speed_series(np.array([1.0]), 1.0, 1.0) == []


def test_consistency_follows_monkeytype() -> None:
    # Monkeytype: 100 (1 - tanh(cv + cv^3/3 + cv^5/5)), cv with the population SD.
    # speeds 40 and 60: mean 50, SD 10, cv 0.2 -> 100 (1 - tanh(0.2 + 0.008/3 + 0.00032/5))
    expected = 100 * (1 - math.tanh(0.2 + 0.2**3 / 3 + 0.2**5 / 5))
    assert consistency([40.0, 60.0]) == pytest.approx(expected)
    assert expected == pytest.approx(80.0, abs=0.5)  # about 80 % for a 20 % variation
    assert consistency([50.0, 50.0, 50.0]) == pytest.approx(100.0)
    assert consistency([50.0]) is None
    assert consistency([0.0, 0.0]) is None


def test_pauses_over_two_seconds() -> None:
    assert pauses(np.array([100.0, 2500.0, 2000.0, 4000.0])) == (2, pytest.approx(6.5))


def test_analyze_reports_timing_from_key_presses() -> None:
    rows = []
    for k, ch in enumerate("abcd"):
        t = [0.0, 0.2, 2.7, 2.9][k]
        rows += [
            {"t": t, "kind": EventKind.KEY_DOWN, "key": ord(ch)},
            {"t": t, "kind": EventKind.TEXT, "text": ch},
            {"t": t + 0.1, "kind": EventKind.KEY_UP, "key": ord(ch)},
        ]
    a = analyze("abcd", make_log(rows))
    assert a.seconds == pytest.approx(2.9)
    assert a.iki.mean == pytest.approx(2900 / 3)
    assert a.pauses == 1 and a.pause_seconds == pytest.approx(2.5)
    assert a.hold.mean == pytest.approx(100.0)
    d = a.to_dict()
    assert d["iki_median_ms"] == pytest.approx(200.0)
    assert d["hold_mean_ms"] == pytest.approx(100.0)
    assert len(d["speed_series"]) == 3
