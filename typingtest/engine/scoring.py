"""Scoring of one finished attempt (copy typing, transcription, data entry, call): pure engine code.

``score_attempt(kind, item, log, thresholds)`` returns ``(metrics, verdicts, actions)`` as the
store keeps them. It only combines the engine's own functions:

- copy typing: ``typingtest.engine.analyze`` over the answer field's events against the
  presented passage, or, when the time limit ended the task, against the part of it the
  candidate reached (``reached_length``); verdicts: MSD error rate and net WPM;
- transcription: the same analysis against the whole reference; the MSD error rate judged is
  the one after the item's normalisation (``actions.transcription_error_rate``); no speed
  verdict (the 30 WPM threshold's basis is copy typing);
- data entry: ``actions.score_form`` and ``actions.form_verdicts``;
- call: ``actions.score_actions``, ``actions.call_metrics`` and ``actions.call_verdicts``.

Typed verdicts carry ``chars_judged``, a 95 % interval and a decision
(``typingtest.engine.precision``); ``metrics["plausibility"]`` is the plausibility check
(``typingtest.engine.plausibility``), and a flagged attempt's passing verdicts are "borderline".

No pygame, no files.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from typingtest.engine import plausibility, precision, timing
from typingtest.engine.events import EventKind
from typingtest.engine.load import burst_wpm, typing_speed_under_load
from typingtest.engine.verdicts import Threshold, verdict

__all__ = ["ANSWER_FIELD", "TASK_END", "end_reason", "reached_length", "reached_part", "score_attempt"]

#: The target of the answer box of copy typing and transcription.
ANSWER_FIELD = "answer"
#: The marker a task state logs when it ends; its target is the reason ("finish", "time", ...).
TASK_END = "task-end"


def end_reason(log: np.ndarray) -> str | None:
    """Why the task ended, from its last ``task-end`` marker: "finish", "time", "scenario",
    "proctor"; None when the log holds no such marker."""
    rows = log[(log["kind"] == int(EventKind.MARKER)) & (log["text"] == TASK_END)]
    return str(rows["target"][-1]) if len(rows) else None


def reached_length(presented: str, transcribed: str) -> int:
    """k such that ``presented[:k]`` is the part of the passage the candidate reached (characters).

    The prefix P[:k] whose Levenshtein distance to T is smallest (a semi-global alignment: the
    end of P may be left out for free), ties broken towards k closest to |T| (then the longer).
    The last row of the edit-distance table of T against P is computed with numpy, one row per
    character of T, within a band around the diagonal that is wide enough to be exact: a path
    that strays d cells from the diagonal costs at least d, and the band is one wider than the
    distance of T to P[:|T|], an upper bound of the optimum. Line breaks are compared as
    spaces (``engine.breaks``), as in ``analyze``.
    """
    from rapidfuzz.distance import Levenshtein

    from typingtest.engine.breaks import comparable

    presented, transcribed = comparable(presented), comparable(transcribed)
    n, m = len(presented), len(transcribed)
    if m == 0:
        return 0
    bound = Levenshtein.distance(transcribed, presented[:m])
    if bound == 0:
        return min(n, m)
    w = bound + 1
    cols = min(n, m + w)
    big = np.iinfo(np.int64).max // 4
    p = np.frombuffer(presented[:cols].encode("utf-32-le"), dtype=np.uint32)
    t = np.frombuffer(transcribed.encode("utf-32-le"), dtype=np.uint32)
    j_all = np.arange(cols + 1, dtype=np.int64)
    prev = np.full(cols + 1, big, dtype=np.int64)
    hi0 = min(cols, w)
    prev[: hi0 + 1] = j_all[: hi0 + 1]  # row 0: T empty against P[:j] costs j insertions
    for i in range(1, m + 1):
        lo, hi = max(0, i - w), min(cols, i + w)
        cur = np.full(cols + 1, big, dtype=np.int64)
        start = max(1, lo)
        tmp = np.empty(hi - lo + 1, dtype=np.int64)
        if lo == 0:
            tmp[0] = i  # T[:i] against an empty prefix: i deletions
        if hi >= start:
            sub = prev[start - 1:hi] + (p[start - 1:hi] != t[i - 1])
            dele = prev[start:hi + 1] + 1
            tmp[start - lo:] = np.minimum(sub, dele)
        idx = j_all[lo:hi + 1]
        # insertions along the row: cur[j] = min over j' <= j of tmp[j'] + (j - j')
        cur[lo:hi + 1] = np.minimum.accumulate(tmp - idx) + idx
        prev = cur
    last = prev
    best = int(last.min())
    ks = np.flatnonzero(last == best)
    return int(min(ks, key=lambda k: (abs(int(k) - m), -int(k))))


def reached_part(presented: str, transcribed: str) -> str:
    """The part of ``presented`` the candidate reached: ``presented[:reached_length(...)]``."""
    return presented[: reached_length(presented, transcribed)]


def _judge(indicator: str, value: float | None, thresholds: Mapping[str, Threshold], **kw: Any) -> list[dict[str, Any]]:
    return [verdict(indicator, value, thresholds, **kw).to_dict()] if indicator in thresholds else []


def _typed_key_times(log: np.ndarray) -> np.ndarray:
    """Times (s) of the key presses of the typed text in ``log`` (one field's rows)."""
    downs = log["t"][log["kind"] == EventKind.KEY_DOWN]
    return np.sort(downs[timing.typing_presses(log)].astype(np.float64))


def _score_typed(kind: str, item: Any, log: np.ndarray, thresholds: Mapping[str, Threshold],
                 ended_by: str | None, min_chars: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    from typingtest.engine import TYPING_COMPETENCE, analyze
    from typingtest.engine.replay import replay

    presented = item.text if kind == "copy-typing" else item.reference
    passage_chars = len(presented)
    if kind == "copy-typing" and ended_by == "time":
        presented = reached_part(presented, replay(log[log["target"] == ANSWER_FIELD]).transcribed)
    analysis = analyze(presented, log, target=ANSWER_FIELD)
    metrics = analysis.to_dict()
    metrics["passage_chars"] = passage_chars
    metrics["presented_chars"] = len(presented)
    metrics["ended_by"] = ended_by
    rate = analysis.msd_error_rate
    chars = max(len(analysis.presented), len(analysis.transcribed))
    if kind == "transcription":
        from typingtest.engine.actions import transcription_error_rate

        rate = transcription_error_rate(item, analysis.transcribed)
        metrics["raw_msd_error_rate"] = metrics["msd_error_rate"]
        metrics["msd_error_rate"] = rate
        metrics["normalisation"] = "item"
        rules = item.normalise  # the characters the judged rate is a share of
        chars = max(len(rules.apply(item.reference)), len(rules.apply(analysis.transcribed)))
    flag = plausibility.check(analysis.wpm, _typed_key_times(log[log["target"] == ANSWER_FIELD]))
    metrics["plausibility"] = flag.to_dict()
    implausible = "; ".join(flag.reasons) or None
    rate_ci = precision.error_rate_interval(rate, chars)
    metrics["chars_judged"] = chars
    metrics["msd_error_rate_ci_low"], metrics["msd_error_rate_ci_high"] = rate_ci
    verdicts = [verdict("msd_error_rate", rate, thresholds, competence=TYPING_COMPETENCE, chars_judged=chars,
                        interval=rate_ci, min_chars=min_chars, implausible=implausible).to_dict()]
    if kind == "copy-typing":
        speed_ci = precision.speed_interval(analysis.net_wpm, analysis.speed_series)
        metrics["net_wpm_ci_low"], metrics["net_wpm_ci_high"] = speed_ci
        # the minimum of characters is the error rate's precision: speed is insufficient only
        # when its interval cannot be measured (fewer than 15 s of typing)
        verdicts += _judge("net_wpm", analysis.net_wpm, thresholds, chars_judged=chars, interval=speed_ci,
                           min_chars=0, implausible=implausible)
        metrics["burst_wpm"] = burst_wpm(log)  # the single-task baseline of the dual-task cost
    else:
        metrics.update(typing_speed_under_load(log))  # the voicemail plays while the candidate types
    return metrics, verdicts


def score_attempt(kind: str, item: Any, log: np.ndarray, thresholds: Mapping[str, Threshold], *,
                  ended_by: str | None = None, min_chars_judged: int = precision.DEFAULT_MIN_CHARS_JUDGED,
                  ) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]] | None]:
    """``(metrics, verdicts, actions)`` of one finished attempt of ``kind`` on ``item``.

    ``ended_by`` is why the task ended ("finish", "time", ...); by default it is read from the
    log's ``task-end`` marker. Only a copy-typing task ended by its time limit is judged on the
    part of the passage reached: a candidate who presses Finish early has not typed the rest,
    and the rest counts as omissions. ``actions`` is None except for calls.
    ``min_chars_judged`` is the centre's setting (characters): a typed MSD error rate verdict
    on fewer characters is "insufficient".
    """
    if ended_by is None:
        ended_by = end_reason(log)
    if kind in ("copy-typing", "transcription"):
        m, v = _score_typed(kind, item, log, thresholds, ended_by, min_chars_judged)
        return m, v, None
    if kind == "data-entry":
        from typingtest.engine.actions import form_verdicts, score_form

        form = score_form(item, log)
        fd = form.to_dict()
        metrics = {"form": fd, "field_error_rate": fd["field_error_rate"],
                   "field_completeness": fd["field_completeness"], "field_accuracy": fd["field_accuracy"],
                   "ended_by": ended_by, **typing_speed_under_load(log), "burst_wpm": burst_wpm(log)}
        return metrics, form_verdicts(form, thresholds), None
    if kind == "call":
        from typingtest.engine.actions import call_metrics, call_verdicts, score_actions

        scores = score_actions(item.expect, log, fields=item.fields, language=item.language)
        metrics = call_metrics(item, log, scores)
        metrics["ended_by"] = ended_by
        metrics.update(typing_speed_under_load(log))
        metrics["burst_wpm"] = burst_wpm(log)
        return metrics, call_verdicts(metrics, thresholds), [s.to_dict() for s in scores]
    raise ValueError(f"unknown task kind {kind!r}")
