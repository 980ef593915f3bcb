"""Typing speed under load: load windows and speeds on hand-built logs, edge cases, a property."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from typingtest.engine.events import EventKind as K
from typingtest.engine.events import make_log
from typingtest.engine.load import burst_wpm, load_windows, typing_speed_under_load


def _log(rows: list[dict]) -> np.ndarray:
    return make_log(sorted(rows, key=lambda r: r["t"]))


def _typed(times: list[float], target: str = "answer") -> list[dict]:
    return [{"t": t, "kind": K.TEXT, "text": "a", "target": target} for t in times]


def _line(line: str, on: float, off: float | None) -> list[dict]:
    rows = [{"t": on, "kind": K.AUDIO_ONSET, "text": line, "target": "line"}]
    if off is not None:
        rows.append({"t": off, "kind": K.AUDIO_OFFSET, "text": line, "target": "line"})
    return rows


def test_windows_pair_lines_by_id_and_chats_by_reply() -> None:
    rows = (_line("l1", 1.0, 3.0) + _line("l2", 2.0, 4.0)  # overlap: merged to 1..4
            + _line("l3", 10.0, None)  # no offset: to the end of the log (20.0)
            + [{"t": 5.0, "kind": K.SCREEN, "text": "chat-shown", "target": "chat:c1"},
               {"t": 6.0, "kind": K.CLICK, "target": "chat-reply:c2"},  # another chat's reply: not c1's
               {"t": 7.0, "kind": K.CLICK, "target": "chat-reply:c1"},
               {"t": 20.0, "kind": K.MARKER, "text": "task-end", "target": "finish"}])
    assert load_windows(_log(rows)) == [(1.0, 4.0), (5.0, 7.0), (10.0, 20.0)]


def test_no_audio_no_chat_all_typing_is_free() -> None:
    log = _log(_typed([0.25 * i for i in range(21)]))  # 20 intervals of 0.25 s
    r = typing_speed_under_load(log)
    assert load_windows(log) == []
    assert r["load_wpm"] is None and r["load_keystrokes"] == 0 and r["load_intervals"] == 0
    assert r["free_wpm"] == pytest.approx(12 / 0.25)  # 48 WPM
    assert (r["free_keystrokes"], r["free_intervals"]) == (21, 20)
    assert burst_wpm(log) == pytest.approx(48.0)


def test_hand_computed_load_and_free_speeds() -> None:
    # free typing 0.0 .. 2.2 s every 0.2 s (12 events, 11 intervals of 0.2 s);
    # a caller line 3.0 .. 6.0 s, typing at 3.0 .. 5.4 s every 0.3 s (9 events, 8 intervals)
    # plus 5.4 -> 5.8 and 5.8 -> 6.0 (0.4 s, 0.2 s): 10 intervals under load, sum 2.4 + 0.4 + 0.2 = 3.0 s,
    # mean 0.3 s -> 12 / 0.3 = 40 WPM. The interval 2.2 -> 3.0 starts outside and ends in the window:
    # neither. Free: 11 intervals of 0.2 s -> 12 / 0.2 = 60 WPM.
    free = [round(0.2 * i, 10) for i in range(12)]
    busy = [round(3.0 + 0.3 * i, 10) for i in range(9)] + [5.8, 6.0]
    log = _log(_typed(free + busy) + _line("l1", 3.0, 6.0))
    r = typing_speed_under_load(log)
    assert r["load_intervals"] == 10 and r["free_intervals"] == 11
    assert r["load_wpm"] == pytest.approx(40.0)
    assert r["free_wpm"] == pytest.approx(60.0)
    assert (r["load_keystrokes"], r["free_keystrokes"]) == (11, 12)
    assert r["load_s"] == pytest.approx(3.0)
    # burst: all 22 intervals, sum 11 x 0.2 + 0.8 + 3.0 = 6.0 s, mean 6 / 22 -> 12 x 22 / 6 = 44 WPM
    assert burst_wpm(log) == pytest.approx(44.0)


def test_pauses_clicks_finish_and_field_changes_are_not_typing_intervals() -> None:
    times = [0.1 * i for i in range(11)]  # 10 intervals of 0.1 s in "name"
    rows = _typed(times, "name")
    rows += _typed([3.5], "name")  # 1.0 -> 3.5: 2.5 s, a pause (> 2 s): left out
    rows += [{"t": 3.6, "kind": K.CLICK, "target": "email"},  # a click into "email" places the caret
             {"t": 3.6, "kind": K.FIELD_FOCUS, "target": "email"},
             {"t": 3.6, "kind": K.EDIT, "text": "caret", "target": "email", "x": 0}]
    rows += _typed([3.7, 3.8], "email")  # the interval 3.5 -> 3.7 crosses the click: left out
    rows += [{"t": 3.9, "kind": K.EDIT, "text": "backspace", "target": "email"},  # a key's EDIT counts
             {"t": 4.0, "kind": K.KEY_DOWN, "key": 13, "target": "finish"},
             {"t": 4.0, "kind": K.TEXT, "text": "x", "target": "finish"},
             {"t": 4.1, "kind": K.TEXT, "text": "y", "target": ""}]
    log = _log(rows)
    # intervals kept: 10 x 0.1 (name) + 3.7 -> 3.8 and 3.8 -> 3.9 (email): 12, all 0.1 s -> 120 WPM
    r = typing_speed_under_load(log)
    assert r["free_intervals"] == 12
    assert r["free_wpm"] == pytest.approx(120.0)
    assert r["free_keystrokes"] == 12 + 2 + 1  # name 12, email 2 TEXT + 1 backspace; not the caret, finish, ""
    assert burst_wpm(log) == pytest.approx(120.0)


def test_a_window_with_no_typing_makes_the_intervals_around_it_neither() -> None:
    times = [0.2 * i for i in range(25)]  # 24 intervals of 0.2 s, 0 .. 4.8 s
    rows = _typed([round(x, 10) for x in times]) + _line("l1", 2.05, 2.15)  # inside the gap 2.0 -> 2.2
    r = typing_speed_under_load(_log(rows))
    assert r["load_intervals"] == 0 and r["load_wpm"] is None and r["load_keystrokes"] == 0
    assert r["free_intervals"] == 23  # 2.0 -> 2.2 overlaps the window: neither load nor free
    assert r["free_wpm"] == pytest.approx(60.0)


def test_fewer_than_ten_intervals_give_none_never_zero() -> None:
    r = typing_speed_under_load(_log(_typed([0.2 * i for i in range(10)])))  # 9 intervals
    assert r["free_wpm"] is None and r["free_intervals"] == 9
    assert burst_wpm(_log(_typed([0.2 * i for i in range(10)]))) is None
    assert burst_wpm(make_log([])) is None
    assert typing_speed_under_load(make_log([]))["load_wpm"] is None
    assert load_windows(make_log([])) == []


def test_chat_window_counts_as_load() -> None:
    # chat c1 shown at 1.0, answered (click) at 5.0; its reply typed at 1.0 .. 4.5 every 0.25 s:
    # 15 events, 14 intervals of 0.25 s, all in the window -> 12 / 0.25 = 48 WPM
    rows = _typed([1.0 + 0.25 * i for i in range(15)], "chat_c1")
    rows += [{"t": 1.0, "kind": K.SCREEN, "text": "chat-shown", "target": "chat:c1"},
             {"t": 5.0, "kind": K.CLICK, "target": "chat-reply:c1"}]
    r = typing_speed_under_load(_log(rows))
    assert load_windows(_log(rows)) == [(1.0, 5.0)]
    assert r["load_intervals"] == 14 and r["load_wpm"] == pytest.approx(48.0)  # 12 / 0.25


@settings(max_examples=60, deadline=None)
@given(interval=st.floats(min_value=0.05, max_value=1.9), n=st.integers(min_value=40, max_value=120),
       on=st.integers(min_value=3, max_value=10), length=st.integers(min_value=15, max_value=25))
def test_equal_intervals_give_equal_speeds(interval: float, n: int, on: int, length: int) -> None:
    times = [i * interval for i in range(n)]
    # the window starts and ends on key presses (indices on .. on + length), so 10+ intervals on each side
    win = (times[on], times[min(on + length, n - 15)])
    log = _log(_typed(times) + _line("l1", *win))
    r = typing_speed_under_load(log)
    expected = 12.0 / interval
    assert r["load_wpm"] == pytest.approx(expected, rel=1e-9)
    assert r["free_wpm"] == pytest.approx(expected, rel=1e-9)
    assert burst_wpm(log) == pytest.approx(expected, rel=1e-9)
