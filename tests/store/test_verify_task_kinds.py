"""``verify`` recomputes an attempt's figures with the function the workstation scored it with.

Each attempt here is scored by ``engine.scoring.score_attempt`` (the workstation's way) on a
real content item, stored with the meta the workstation gives (``presented``, ``target``), and
checked by ``verify``: untouched attempts of every task kind pass; a changed figure is found.
"""

from __future__ import annotations

import inspect
import json

import numpy as np
import pytest
from sqlalchemy import select, update
from store_testkit import typing_log

from typingtest.config import load_thresholds
from typingtest.content import load_item
from typingtest.engine.events import EventKind, make_log
from typingtest.engine.scoring import ANSWER_FIELD, attempt_figures, score_attempt
from typingtest.store import schema as S
from typingtest.store import verification

#: task kind -> (item, the figure a test changes)
KINDS = {
    "copy-typing": ("nl-copy-01", "net_wpm"),
    "transcription": ("nl-trans-01", "msd_error_rate"),
    "data-entry": ("nl-entry-03", "field_error_rate"),
    "call": ("nl-call-02", "action_score"),
}


def _log(typed: str | None, t_end: float = 1.0) -> np.ndarray:
    """``typed`` typed into the answer field (no typos), then the Finish marker (``t_end`` s after the
    last key, or at ``t_end`` s when nothing is typed: two logs of one content are then not equal)."""
    rows = typing_log(typed, error_every=0, target=ANSWER_FIELD) if typed else make_log([])
    t_end = float(rows["t"][-1]) + t_end if len(rows) else t_end
    end = make_log([{"t": t_end, "kind": EventKind.MARKER, "text": "task-end", "target": "finish"}])
    return np.concatenate([rows, end])


def _store_scored(store, kind: str, item_id: str, typed: str | None) -> tuple[str, dict]:  # type: ignore[no-untyped-def]
    """Score an attempt as the workstation does and store it with the workstation's meta; (id, metrics)."""
    item = load_item(item_id)
    log = _log(typed, t_end=1.0 + list(KINDS).index(kind))
    metrics, verdicts, actions = score_attempt(kind, item, log, load_thresholds())
    presented = item.text if kind == "copy-typing" else item.reference if kind == "transcription" else None
    meta = {"presented": presented, "target": ANSWER_FIELD if presented is not None else None}
    cid = f"C-{kind}"
    sid = store.start_session(cid, "quick", "sha256:abc", "ws-test", "nl")
    rec = store.begin_attempt(sid, kind, item_id, False, meta)
    rec.extend(log)
    return rec.finish(log, metrics, verdicts, actions), metrics


def _typed(kind: str, item_id: str) -> str | None:
    item = load_item(item_id)
    if kind == "copy-typing":
        return item.text[:200]
    if kind == "transcription":
        return item.reference.lower()  # only the case differs: the item folds case
    return None


def test_untouched_attempts_of_every_kind_verify_and_a_changed_figure_is_found(store) -> None:  # type: ignore[no-untyped-def]
    stored = {kind: _store_scored(store, kind, item_id, _typed(kind, item_id))[0]
              for kind, (item_id, _) in KINDS.items()}
    results = {r.attempt_id: r for r in store.verify()}
    assert {kind: results[aid].problems for kind, aid in stored.items()} == {kind: [] for kind in KINDS}
    # typed tasks have their figures recomputed from the events; forms and calls need their item
    assert {kind: results[aid].recomputed for kind, aid in stored.items()} == {
        "copy-typing": True, "transcription": True, "data-entry": False, "call": False}
    for kind, (_, figure) in KINDS.items():
        aid = stored[kind]
        with store.engine.begin() as conn:
            metrics = json.loads(conn.execute(select(S.attempts.c.metrics)
                                              .where(S.attempts.c.attempt_id == aid)).scalar())
            assert metrics[figure] is not None, (kind, figure)
            metrics[figure] = metrics[figure] + 0.5
            conn.execute(update(S.attempts).where(S.attempts.c.attempt_id == aid)
                         .values(metrics=json.dumps(metrics)))
    results = {r.attempt_id: r for r in store.verify()}
    for kind, (_, figure) in KINDS.items():
        problems = results[stored[kind]].problems
        assert any("signature does not match" in p for p in problems), (kind, problems)
        if kind in ("copy-typing", "transcription"):
            assert f"metric {figure} differs from its recomputation from the events" in problems, (kind, problems)


def test_a_transcription_judged_on_normalised_text_verifies_clean_without_a_special_case(store) -> None:  # type: ignore[no-untyped-def]
    item = load_item("nl-trans-01")
    assert item.normalise.case == "fold"
    aid, metrics = _store_scored(store, "transcription", "nl-trans-01", item.reference.lower())
    # the engine's rate counts every capital typed in lower case; the judged one, after the
    # item's case folding, counts none: they differ, and both are stored
    capitals = sum(ch.isupper() for ch in item.reference)
    assert capitals > 0
    assert metrics["msd_error_rate"] == 0.0
    assert metrics["raw_msd_error_rate"] == pytest.approx(capitals / len(item.reference))
    assert metrics["normalisation"]["case"] == "fold"
    (res,) = store.verify()
    assert res.attempt_id == aid and res.ok and res.recomputed, res.problems
    # no figure is compared under another name any more
    assert "raw_" not in inspect.getsource(verification._compare_metrics)


def test_the_workstation_and_verify_compute_the_figures_with_one_function() -> None:
    item = load_item("nl-trans-01")
    log = _log(item.reference.lower())
    metrics, _, _ = score_attempt("transcription", item, log, load_thresholds())
    # what verify gives attempt_figures: the stored meta, the rules the figures record
    again = attempt_figures("transcription", {"presented": item.reference, "target": ANSWER_FIELD,
                                              "normalise": metrics["normalisation"]}, log)
    assert again == metrics
    # without the rules (an attempt recovered from its journal), only the engine's own rate
    raw = attempt_figures("transcription", {"presented": item.reference, "target": ANSWER_FIELD}, log)
    assert raw is not None and "msd_error_rate" not in raw
    assert raw["raw_msd_error_rate"] == metrics["raw_msd_error_rate"]
