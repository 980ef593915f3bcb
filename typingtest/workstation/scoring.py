"""Ask the engine for an attempt's figures: the workstation computes none itself.

- copy typing: ``typingtest.engine.analyze`` over the answer field's events against the part
  of the passage the candidate reached (``attempted_part``: a timed test does not expect the
  whole passage), and ``typed_task_verdicts`` (MSD error rate, net WPM);
- transcription: the same, and the MSD error rate after the item's normalisation
  (``typingtest.engine.actions.transcription_error_rate``) is the one judged;
- data entry: ``typingtest.engine.actions.score_form`` (per field, completeness, field error
  rate, wrong field), judged on ``field_error_rate`` and ``field_completeness``;
- call: ``typingtest.engine.actions.score_actions`` (every expected action) and
  ``action_score``; pick-up and record-find times are the latencies the scoring gave the
  ``pickup`` and ``open-record`` actions; call handling time is the time between the engine's
  trigger times of ``pickup`` (or ``dial``) and the wrap-up's submit (or the hang-up).

Verdicts always come from ``typingtest.engine.verdicts.verdict``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from typingtest.engine.verdicts import Threshold, verdict

__all__ = ["ANSWER_FIELD", "score_attempt"]

#: The target of the answer box of copy typing and transcription.
ANSWER_FIELD = "answer"


def _dicts(verdicts: list[Any]) -> list[dict[str, Any]]:
    return [v.to_dict() for v in verdicts]


def _judge(indicator: str, value: float | None, thresholds: Mapping[str, Threshold]) -> list[Any]:
    return [verdict(indicator, value, thresholds)] if indicator in thresholds else []


def attempted_part(passage: str, transcribed: str, window: float = 0.25) -> str:
    """The part of a copy-typing passage the candidate reached: the prefix, cut at a word
    boundary (or the end), whose Levenshtein distance to what was typed is smallest.

    A timed copy test does not expect the whole passage: its errors are those in the text
    typed, not the words the time did not allow. Cut points are tried within ``window``
    (a fraction) of the typed length; ties go to the longer prefix.
    """
    from rapidfuzz.distance import Levenshtein

    n, m = len(passage), len(transcribed)
    if m >= n:
        return passage
    lo, hi = max(0, int(m * (1 - window)) - 2), min(n, int(m * (1 + window)) + 2)
    cuts = [k for k in range(lo, hi + 1) if k == n or (0 < k < n and passage[k].isspace())] or [min(n, m)]
    best = min(cuts, key=lambda k: (Levenshtein.distance(passage[:k], transcribed), -k))
    return passage[:best]


def score_typed(item: Any, kind: str, log: np.ndarray, thresholds: Mapping[str, Threshold],
                ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Metrics and verdicts of copy typing or transcription (answer field ``ANSWER_FIELD``).

    Copy typing is judged on the part of the passage the candidate reached (``attempted_part``);
    a transcription on the whole reference (the message is short and heard in full).
    """
    from typingtest.engine import TYPING_COMPETENCE, analyze, typed_task_verdicts
    from typingtest.engine.replay import replay

    presented = item.text if kind == "copy-typing" else item.reference
    passage_chars = len(presented)
    if kind == "copy-typing":
        presented = attempted_part(presented, replay(log[log["target"] == ANSWER_FIELD]).transcribed)
    analysis = analyze(presented, log, target=ANSWER_FIELD)
    metrics = analysis.to_dict()
    metrics["passage_chars"] = passage_chars
    metrics["presented_chars"] = len(presented)
    verdicts = typed_task_verdicts(analysis, thresholds)
    if kind == "transcription":
        from typingtest.engine.actions import transcription_error_rate

        rate = transcription_error_rate(item, analysis.transcribed)
        metrics["raw_msd_error_rate"] = metrics["msd_error_rate"]
        metrics["msd_error_rate"] = rate
        metrics["normalisation"] = "item"
        verdicts = [verdict("msd_error_rate", rate, thresholds, competence=TYPING_COMPETENCE)] + [
            v for v in verdicts if v.indicator != "msd_error_rate"]
    return metrics, _dicts(verdicts)


def score_form(item: Any, log: np.ndarray, thresholds: Mapping[str, Threshold],
               ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Metrics and verdicts of a data-entry form."""
    from typingtest.engine.actions import score_form as engine_score_form

    form = engine_score_form(item, log).to_dict()
    metrics = {"form": form, "field_error_rate": form["field_error_rate"],
               "field_completeness": form["field_completeness"], "field_accuracy": form["field_accuracy"]}
    verdicts = (_judge("field_error_rate", form["field_error_rate"], thresholds)
                + _judge("field_completeness", form["field_completeness"], thresholds))
    return metrics, _dicts(verdicts)


def score_call(item: Any, log: np.ndarray, thresholds: Mapping[str, Threshold],
               ) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """Metrics, verdicts and action scores of a call."""
    from typingtest.engine.actions import action_score, score_actions, trigger_time

    scores = score_actions(item.expect, log, fields=item.fields, language=item.language)

    def latency(action: str) -> float | None:
        return next((s.latency_s for s in scores if s.action == action and s.done), None)

    start = trigger_time(log, "pickup")
    if start is None:
        start = trigger_time(log, "dial")
    end = trigger_time(log, "submit:wrap-up")
    if end is None:
        end = trigger_time(log, "hangup")
    metrics = {
        "action_score": action_score(scores),
        "pickup_time_s": latency("pickup"),
        "record_find_time_s": latency("open-record"),
        "call_handling_time_s": None if start is None or end is None else end - start,
        "actions_done": sum(s.done for s in scores),
        "actions_expected": len(scores),
    }
    verdicts: list[Any] = []
    for indicator in ("action_score", "pickup_time_s", "record_find_time_s", "call_handling_time_s"):
        verdicts += _judge(indicator, metrics[indicator], thresholds)
    return metrics, _dicts(verdicts), [s.to_dict() for s in scores]


def score_attempt(kind: str, item: Any, log: np.ndarray, thresholds: Mapping[str, Threshold],
                  ) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]] | None]:
    """``(metrics, verdicts, actions)`` of one finished attempt of ``kind`` on ``item``."""
    if kind in ("copy-typing", "transcription"):
        m, v = score_typed(item, kind, log, thresholds)
        return m, v, None
    if kind == "data-entry":
        m, v = score_form(item, log, thresholds)
        return m, v, None
    if kind == "call":
        return score_call(item, log, thresholds)
    raise ValueError(f"unknown task kind {kind!r}")
