"""verify and recover judge a timed-out copy-typing attempt as the workstation scored it."""

from __future__ import annotations

import numpy as np
from store_testkit import PASSAGE, new_attempt, typing_log

from typingtest.config import load_thresholds
from typingtest.engine import analyze
from typingtest.engine.events import EventKind, make_log
from typingtest.engine.scoring import reached_part
from typingtest.engine.verdicts import verdict


def _timed_out(cut: int) -> np.ndarray:
    """The first ``cut`` characters of the passage typed, then the time limit's task-end marker."""
    log = typing_log(PASSAGE[:cut], error_every=0)
    end = make_log([{"t": float(log["t"][-1]) + 1.0, "kind": EventKind.MARKER, "text": "task-end", "target": "time"}])
    return np.concatenate([log, end])


def test_verify_recomputes_a_timed_out_copy_attempt_on_the_part_reached(store) -> None:  # type: ignore[no-untyped-def]
    cut = 31  # mid-word: PASSAGE[:31] ends inside "Anaïs" (hand count)
    log = _timed_out(cut)
    presented = reached_part(PASSAGE, PASSAGE[:cut])
    assert presented == PASSAGE[:cut]
    metrics = analyze(presented, log, target="copy").to_dict()
    assert metrics["msd_error_rate"] == 0.0  # a perfect prefix: no error for the word the clock cut
    _, rec = new_attempt(store)
    for row in log:
        rec.append(row)
    th = load_thresholds()
    rec.finish(log, metrics, [verdict("msd_error_rate", 0.0, th).to_dict()], None)
    results = store.verify(recompute=True)
    assert [r.problems for r in results] == [[]]
    assert results[0].recomputed


def test_verify_still_judges_a_finished_copy_attempt_on_the_whole_passage(store) -> None:  # type: ignore[no-untyped-def]
    log = typing_log(PASSAGE[:31], error_every=0)  # no time-out marker: the rest counts as omissions
    metrics = analyze(PASSAGE, log, target="copy").to_dict()
    assert metrics["msd"] == len(PASSAGE) - 31
    _, rec = new_attempt(store)
    rec.finish(log, metrics, [], None)
    assert [r.problems for r in store.verify(recompute=True)] == [[]]
