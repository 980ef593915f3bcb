"""Empty input everywhere: figures are None (null), never 0 by accident, NaN or a crash."""

from __future__ import annotations

import json

import numpy as np
import pytest

from typingtest.cli import main
from typingtest.engine import analyze
from typingtest.engine.alignment import char_errors
from typingtest.engine.events import empty_log
from typingtest.engine.replay import replay
from typingtest.engine.timing import consistency, hold_times, inter_key_intervals, pauses, speed_series, summarize
from typingtest.formats.eventlog import log_from_bytes, log_to_bytes


def test_empty_log() -> None:
    log = empty_log()
    r = replay(log)
    assert (r.transcribed, r.input_stream, r.removed, r.used_cursor) == ("", (), 0, False)
    a = analyze("", log)
    d = a.to_dict()
    json.dumps(d, allow_nan=False)
    assert d["msd_error_rate"] is None and d["kspc"] is None and d["wpm"] is None and d["seconds"] is None
    assert d["iki_mean_ms"] is None and d["hold_mean_ms"] is None and d["consistency"] is None
    assert d["char_errors"] == {
        "corrected": {"insertions": 0.0, "omissions": 0.0, "substitutions": 0.0, "no_errors": 0.0},
        "uncorrected": {"insertions": 0.0, "omissions": 0.0, "substitutions": 0.0, "no_errors": 0.0},
    }
    # a passage presented but nothing typed: every character omitted
    b = analyze("abc", log).to_dict()
    assert b["msd"] == 3 and b["msd_error_rate"] == 1.0 and b["kspc"] is None
    assert b["char_errors"]["uncorrected"]["omissions"] == 3.0


def test_empty_string_forms() -> None:
    assert analyze("", "").to_dict()["total_error_rate"] is None
    assert analyze("", "", []).to_dict()["seconds"] is None
    only_backspaces = analyze("ab", "\b\b").to_dict()
    assert only_backspaces["f"] == 2 and only_backspaces["if"] == 0 and only_backspaces["transcribed"] == ""
    ce = char_errors("", "", [])
    assert ce.alignments == 1 and ce.confusion == {} and ce.attempts == {}


def test_empty_timing_inputs() -> None:
    assert inter_key_intervals(np.empty(0)).size == 0
    assert hold_times(empty_log()).size == 0
    assert summarize(np.empty(0)).median is None
    assert speed_series(np.empty(0), 0.0, 0.0) == []
    assert consistency([]) is None
    assert pauses(np.empty(0)) == (0, 0.0)


def test_empty_log_file_round_trip() -> None:
    assert len(log_from_bytes(log_to_bytes(empty_log()))) == 0


def test_score_with_empty_stream(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", "--presented", "abc", "--stream", "", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["transcribed"] == "" and data["msd"] == 3 and data["kspc"] is None and data["wpm"] is None
