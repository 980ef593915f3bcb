"""Ask the engine for an attempt's figures: the workstation computes none itself.

Typed tasks (copy typing, transcription): ``typingtest.engine.analyze`` over the answer
field's events, and ``typed_task_verdicts``. Transcription also gets the figures after the
item's normalisation (``[normalise]`` of the content format: case, spaces, number words)
by running the same engine on the normalised texts. Forms and calls: the content engineer's
``typingtest.engine.actions.score_actions`` over the log (each expected action done,
correct, latency, competence), turned into verdicts by the engine's verdict helper.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from typingtest.engine.verdicts import Threshold, verdict

__all__ = ["ANSWER_FIELD", "score_attempt"]

#: The target of the answer box of copy typing and transcription.
ANSWER_FIELD = "answer"


def _verdict_dicts(verdicts: list[Any]) -> list[dict[str, Any]]:
    return [v.to_dict() if hasattr(v, "to_dict") else dict(v) for v in verdicts]


def score_typed(presented: str, log: np.ndarray, thresholds: Mapping[str, Threshold], *,
                normalisation: Any = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Metrics and verdicts of a typed task (answer field ``ANSWER_FIELD``)."""
    from typingtest.engine import analyze, typed_task_verdicts

    analysis = analyze(presented, log, target=ANSWER_FIELD)
    metrics = analysis.to_dict()
    verdicts = typed_task_verdicts(analysis, thresholds)
    if normalisation is not None:
        ref = normalisation.apply(presented)
        typed = normalisation.apply(analysis.transcribed)
        norm = analyze(ref, typed, character_level=False)
        metrics["normalised"] = {"presented": ref, "transcribed": typed, "msd": norm.msd,
                                 "msd_error_rate": norm.msd_error_rate}
        # the qualification's 3 % applies to the text as normalised by the item's rules
        verdicts = [v for v in verdicts if v.indicator != "msd_error_rate"]
        verdicts.insert(0, verdict("msd_error_rate", norm.msd_error_rate, thresholds, competence="D140801 Id17267"))
    return metrics, _verdict_dicts(verdicts)


def score_actions(item: Any, log: np.ndarray, thresholds: Mapping[str, Threshold],
                  ) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """Metrics, verdicts and action scores of a form or a call, from the engine's action scoring."""
    from typingtest.engine import actions as engine_actions

    result = engine_actions.score_item(item, log, thresholds) if hasattr(engine_actions, "score_item") else None
    if result is not None:
        metrics, verdicts, scores = result
        return dict(metrics), _verdict_dicts(list(verdicts)), [_as_dict(a) for a in scores]
    scores = engine_actions.score_actions(getattr(item, "expect", ()), log, item=item)
    return {}, [], [_as_dict(a) for a in scores]


def _as_dict(a: Any) -> dict[str, Any]:
    if hasattr(a, "to_dict"):
        return a.to_dict()
    if isinstance(a, Mapping):
        return dict(a)
    import dataclasses

    return dataclasses.asdict(a)


def score_attempt(kind: str, item: Any, log: np.ndarray, thresholds: Mapping[str, Threshold],
                  ) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]] | None]:
    """``(metrics, verdicts, actions)`` of one finished attempt of ``kind`` on ``item``."""
    if kind == "copy-typing":
        m, v = score_typed(item.text, log, thresholds)
        return m, v, None
    if kind == "transcription":
        m, v = score_typed(item.reference, log, thresholds, normalisation=getattr(item, "normalise", None))
        return m, v, None
    return score_actions(item, log, thresholds)
