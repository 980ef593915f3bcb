"""The event recorder: rows relative to the attempt start, forwarded as they happen, and the
finishing shortcut kept out of the answer field's key presses."""

from __future__ import annotations

from typingtest.engine.events import EVENT_DTYPE, TEXT_WIDTH, EventKind
from typingtest.workstation.clock import ManualClock
from typingtest.workstation.recorder import FINISH_TARGET, EventRecorder

LCTRL = 1073742048  # SDL keycode of the left Ctrl key


def test_rows_are_relative_and_forwarded_at_once() -> None:
    seen: list[dict] = []
    rec = EventRecorder(t0=100.0, sink=seen.append)
    rec.add(EventKind.TEXT, 100.25, text="é", target="answer")
    assert len(seen) == 1 and seen[0]["t"] == 0.25 and seen[0]["text"] == "é"
    assert set(seen[0]) == set(EVENT_DTYPE.names)
    log = rec.to_log()
    assert log.dtype == EVENT_DTYPE and log["t"][0] == 0.25


def test_ctrl_of_ctrl_enter_goes_to_the_finish_target() -> None:
    rec = EventRecorder(t0=0.0)
    rec.add(EventKind.KEY_DOWN, 1.0, key=97, target="answer")
    rec.add(EventKind.KEY_DOWN, 2.0, key=LCTRL, target="answer")
    assert len(rec.rows) == 1  # the Ctrl press waits for the next key
    rec.add(EventKind.KEY_DOWN, 2.1, key=13, mod=64, target=FINISH_TARGET)
    log = rec.to_log()
    assert list(log["target"]) == ["answer", FINISH_TARGET, FINISH_TARGET]
    assert list(log["t"]) == [1.0, 2.0, 2.1]  # order and times kept


def test_ctrl_of_ctrl_backspace_stays_in_the_field() -> None:
    rec = EventRecorder(t0=0.0)
    rec.add(EventKind.KEY_DOWN, 2.0, key=LCTRL, target="answer")
    rec.add(EventKind.KEY_DOWN, 2.1, key=8, mod=64, target="answer")
    rec.add(EventKind.EDIT, 2.1, text="word-backspace", target="answer")
    assert list(rec.to_log()["target"]) == ["answer"] * 3


def test_long_commits_are_split_into_rows_of_the_column_width() -> None:
    rec = EventRecorder(t0=0.0)
    text = "x" * (TEXT_WIDTH * 2 + 5)
    rec.add(EventKind.TEXT, 1.0, text=text, target="answer")
    log = rec.to_log()
    assert len(log) == 3 and "".join(log["text"]) == text


def test_manual_clock_never_runs_backwards() -> None:
    clock = ManualClock(5.0)
    assert clock.advance(0.5) == 5.5
    try:
        clock.set(1.0)
    except ValueError:
        pass
    else:  # pragma: no cover
        raise AssertionError("a clock must not run backwards")
