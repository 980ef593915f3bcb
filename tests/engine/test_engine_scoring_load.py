"""score_attempt stores the dual-task speed figures of engine.load with every attempt kind."""

from __future__ import annotations

import numpy as np

from typingtest.config import load_thresholds
from typingtest.content import load_item
from typingtest.engine.events import EventKind, make_log
from typingtest.engine.load import burst_wpm
from typingtest.engine.scoring import score_attempt


def _copy_log(text: str, interval: float) -> np.ndarray:
    rows = []
    for i, ch in enumerate(text):
        t = i * interval
        rows.append({"t": t, "kind": EventKind.KEY_DOWN, "key": ord(ch), "target": "answer"})
        rows.append({"t": t, "kind": EventKind.TEXT, "text": ch, "target": "answer"})
    rows.append({"t": len(text) * interval, "kind": EventKind.MARKER, "text": "task-end", "target": "finish"})
    return make_log(rows)


def test_copy_typing_carries_its_burst_speed() -> None:
    item = load_item("nl-copy-01")
    log = _copy_log(item.text[:60], 0.2)
    metrics, verdicts, actions = score_attempt("copy-typing", item, log, load_thresholds())
    # 12 / 0.2 s = 60 WPM: every interval is 0.2 s (hand count), none a pause
    assert metrics["burst_wpm"] == burst_wpm(log)
    assert abs(metrics["burst_wpm"] - 60.0) < 1e-9
    assert {v["indicator"] for v in verdicts} == {"msd_error_rate", "net_wpm"}
    assert actions is None


def test_transcription_carries_speed_under_load_and_no_speed_verdict() -> None:
    item = load_item("nl-trans-01")
    text = item.reference[:40]
    log = _copy_log(text, 0.25)
    onset = make_log([
        {"t": 0.0, "kind": EventKind.AUDIO_ONSET, "text": "line-1"},
        {"t": 5.0, "kind": EventKind.AUDIO_OFFSET, "text": "line-1"},
    ])
    log = np.sort(np.concatenate([onset, log]), order="t", kind="stable")
    metrics, verdicts, _ = score_attempt("transcription", item, log, load_thresholds())
    # the caller speaks for the first 5 s: 20 intervals of 0.25 s inside it -> 12 / 0.25 = 48 WPM
    assert abs(metrics["load_wpm"] - 48.0) < 1e-9
    assert abs(metrics["free_wpm"] - 48.0) < 1e-9
    assert [v["indicator"] for v in verdicts] == ["msd_error_rate"]
