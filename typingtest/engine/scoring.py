"""Scoring of one finished attempt (copy typing, transcription, data entry, call): pure engine code.

``score_attempt(kind, item, log, thresholds)`` returns ``(metrics, verdicts, actions)`` as the
store keeps them. It only combines the engine's own functions:

- copy typing: ``typingtest.engine.analyze`` over the answer field's events against the
  presented passage, or, when the time limit ended the task, against the part of it the
  candidate reached (``reached_length``); verdicts: MSD error rate and net WPM;
- transcription: the same analysis against the whole reference; the MSD error rate judged is
  the one after the item's normalisation (the engine's own kept as ``raw_msd_error_rate``, the
  rules as ``normalisation``); no speed verdict (the 30 WPM threshold's basis is copy typing);
- data entry: ``actions.score_form`` and ``actions.form_verdicts``;
- call: ``actions.score_actions``, ``actions.call_metrics`` and ``actions.call_verdicts``.

The figures of a typed attempt come from one function, ``attempt_figures(task, meta, log)``,
which ``typingtest verify`` and ``typingtest recover`` call too on the stored meta and log.
Typed verdicts carry ``chars_judged``, a 95 % interval and a decision
(``typingtest.engine.precision``); ``metrics["plausibility"]`` is the plausibility check
(``typingtest.engine.plausibility``), and a flagged attempt's passing verdicts are "borderline".

No pygame, no files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

import numpy as np
from rapidfuzz.distance import Levenshtein

from typingtest.content.normalise import Normalisation
from typingtest.engine import plausibility, precision, timing
from typingtest.engine.breaks import comparable
from typingtest.engine.events import EventKind
from typingtest.engine.load import burst_wpm, typing_speed_under_load
from typingtest.engine.metrics import msd_error_rate
from typingtest.engine.verdicts import Threshold, verdict

__all__ = ["ANSWER_FIELD", "TASK_END", "attempt_figures", "end_reason", "reached_length", "reached_part",
           "rules_record", "score_attempt"]

#: The target of the answer box of copy typing and transcription.
ANSWER_FIELD = "answer"
#: The marker a task state logs when it ends; its target is the reason ("finish", "time", ...).
TASK_END = "task-end"


def end_reason(log: np.ndarray) -> str | None:
    """Why the task ended, from its last ``task-end`` marker: "finish", "time", "scenario",
    "proctor"; None when the log holds no such marker."""
    rows = log[(log["kind"] == int(EventKind.MARKER)) & (log["text"] == TASK_END)]
    return str(rows["target"][-1]) if len(rows) else None


#: From this bound (the distance of T to P[:|T|], in characters), or from half of |T|, on,
#: ``reached_length`` fills the band of the edit-distance table with numpy instead of asking
#: RapidFuzz for each prefix length: the RapidFuzz search makes up to 2 x bound + 1 calls, the
#: numpy band one vectorised row per character of T (measured crossover on a 2,000-character
#: passage near a bound of 500, on 700 characters below 380: docs/benchmarks.md, "reached_length").
NUMPY_FROM_BOUND = 500


def reached_length(presented: str, transcribed: str, *, numpy_from_bound: int | None = None) -> int:
    """k such that ``presented[:k]`` is the part of the passage the candidate reached (characters).

    The prefix P[:k] whose Levenshtein distance to T is smallest (a semi-global alignment: the
    end of P may be left out for free), ties broken towards k closest to |T| (then the longer).
    The distance of T to P[:|T|] bounds the optimum, and the distance to P[:k] is at least
    |k - |T||, so only k within the bound of |T| can win: RapidFuzz computes those distances,
    closest k first, each with the best so far as its cut-off, and stops when |k - |T|| passes
    the best. From a bound of ``numpy_from_bound`` on (default: ``NUMPY_FROM_BOUND`` or half
    of |T|, whichever is smaller), the last row of the edit-distance table is filled with numpy
    within that band instead (``_reached_length_banded``); both give the same k (tested).
    Line breaks are compared as spaces (``engine.breaks``), as in ``analyze``.
    """
    presented, transcribed = comparable(presented), comparable(transcribed)
    n, m = len(presented), len(transcribed)
    if m == 0:
        return 0
    bound = Levenshtein.distance(transcribed, presented[:m])
    if bound == 0:
        return min(n, m)
    if bound >= (min(NUMPY_FROM_BOUND, m // 2 + 1) if numpy_from_bound is None else numpy_from_bound):
        return _reached_length_banded(presented, transcribed, bound)
    best_k, best = min(n, m), bound  # P[:|T|], or all of P when T is longer
    delta = m - best_k + 1
    while delta <= best:
        for k in (m + delta, m - delta):  # the longer first: ties go to it
            if 0 <= k <= n:
                d = Levenshtein.distance(transcribed, presented[:k], score_cutoff=best - 1)
                if d < best:
                    best_k, best = k, d
        delta += 1
    return best_k


def _reached_length_banded(presented: str, transcribed: str, bound: int) -> int:
    """``reached_length`` by the last row of the edit-distance table of T against P, computed
    with numpy one row per character of T, within a band around the diagonal that is wide
    enough to be exact: a path that strays d cells from the diagonal costs at least d, and the
    band is one wider than ``bound`` (the distance of T to P[:|T|], an upper bound of the
    optimum). Both texts are already ``comparable``; ``bound`` > 0."""
    n, m = len(presented), len(transcribed)
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


def _rules(value: Any) -> Normalisation | None:
    """The normalisation rules ``value`` describes (a ``Normalisation`` or its ``asdict`` form), else None."""
    if isinstance(value, Normalisation):
        return value
    if isinstance(value, Mapping):
        known = {k: v for k, v in value.items() if k in Normalisation.__dataclass_fields__}
        known["variants"] = tuple(tuple(str(v) for v in group) for group in known.get("variants") or ())
        try:
            return Normalisation(**known)
        except TypeError:
            return None
    return None  # "item" (stored before the rules were recorded) or nothing: not known here


def rules_record(rules: Normalisation) -> dict[str, Any]:
    """``rules`` as JSON-ready data (``metrics["normalisation"]``); ``attempt_figures`` reads it back."""
    record = asdict(rules)
    record["variants"] = [list(group) for group in rules.variants]
    return record


def attempt_figures(task: str | None, meta: Mapping[str, Any], log: np.ndarray, *,
                    ended_by: str | None = None) -> dict[str, Any] | None:
    """The figures of one typed attempt, from its metadata and event log: what the store keeps as metrics.

    The one function that computes them: the workstation's ``score_attempt`` calls it when it
    scores, ``typingtest verify`` and ``typingtest recover`` call it on the stored meta and log.

    Args:
        task: the task kind ("copy-typing", "transcription", ...); any other kind with a
            presented text is scored as copy typing (but never on the part reached).
        meta: the attempt's meta: ``presented`` (the passage or reference text), ``target``
            (the answer field's name; None: every row), ``initial`` (text the field held
            before), ``normalise`` (a transcription's rules: ``Normalisation`` or its
            ``rules_record``; absent: the judged error rate cannot be recomputed).
        log: the attempt's event log (``EVENT_DTYPE``).
        ended_by: why the task ended; by default read from the log's ``task-end`` marker.

    Returns:
        The figures (``Analysis.to_dict()`` plus ``passage_chars``, ``presented_chars`` and
        ``chars_judged`` in characters, ``ended_by``, ``plausibility``, the 95 % intervals of the
        MSD error rate (fraction) and, for copy typing, of net WPM and ``burst_wpm``; for a
        transcription the speed under the voicemail's load (WPM)),
        or None when the attempt has no presented text (forms and calls need their item).
        A copy-typing attempt ended by its time limit is judged on the part of the passage
        reached. A transcription's ``msd_error_rate`` is the one after its normalisation and
        the engine's own is ``raw_msd_error_rate``; without the rules only the raw one is given.
    """
    from typingtest.engine import analyze
    from typingtest.engine.replay import replay

    presented = meta.get("presented")
    if not isinstance(presented, str):
        return None
    target = meta.get("target") or None
    initial = str(meta.get("initial") or "")
    if ended_by is None:
        ended_by = end_reason(log)
    passage_chars = len(presented)
    if task == "copy-typing" and ended_by == "time":
        presented = reached_part(presented, replay(log, target=target, initial=initial).transcribed)
    analysis = analyze(presented, log, target=target, initial=initial)
    metrics = analysis.to_dict()
    metrics["passage_chars"] = passage_chars
    metrics["presented_chars"] = len(presented)
    metrics["ended_by"] = ended_by
    rate: float | None = analysis.msd_error_rate
    chars: int | None = max(len(analysis.presented), len(analysis.transcribed))
    if task == "transcription":
        metrics["raw_msd_error_rate"] = metrics.pop("msd_error_rate")
        rules = _rules(meta.get("normalise"))
        if rules is None:
            rate = chars = None
        else:
            # the judged rate, and the characters it is a share of, after the item's normalisation
            reference, typed = rules.apply(presented), rules.apply(analysis.transcribed)
            rate = msd_error_rate(reference, typed)
            chars = max(len(reference), len(typed))
            metrics["msd_error_rate"] = rate
            metrics["normalisation"] = rules_record(rules)
    typed_rows = log if target is None else log[log["target"] == target]
    flag = plausibility.check(analysis.wpm, _typed_key_times(typed_rows))
    metrics["plausibility"] = flag.to_dict()
    if chars is not None:
        metrics["chars_judged"] = chars
        metrics["msd_error_rate_ci_low"], metrics["msd_error_rate_ci_high"] = precision.error_rate_interval(rate,
                                                                                                           chars)
    if task == "transcription":
        metrics.update(typing_speed_under_load(log))  # the voicemail plays while the candidate types
    else:
        speed_ci = precision.speed_interval(analysis.net_wpm, analysis.speed_series)
        metrics["net_wpm_ci_low"], metrics["net_wpm_ci_high"] = speed_ci
        metrics["burst_wpm"] = burst_wpm(log)  # the single-task baseline of the dual-task cost
    return metrics


def _score_typed(kind: str, item: Any, log: np.ndarray, thresholds: Mapping[str, Threshold],
                 ended_by: str | None, min_chars: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """``attempt_figures`` on the item's text, and the verdicts those figures give."""
    from typingtest.engine import TYPING_COMPETENCE

    meta: dict[str, Any] = {"presented": item.text if kind == "copy-typing" else item.reference,
                            "target": ANSWER_FIELD}
    if kind == "transcription":
        meta["normalise"] = item.normalise
    metrics = attempt_figures(kind, meta, log, ended_by=ended_by)
    assert metrics is not None  # a presented text was given
    implausible = "; ".join(metrics["plausibility"]["reasons"]) or None
    chars = metrics["chars_judged"]
    rate_ci = (metrics["msd_error_rate_ci_low"], metrics["msd_error_rate_ci_high"])
    verdicts = [verdict("msd_error_rate", metrics["msd_error_rate"], thresholds, competence=TYPING_COMPETENCE,
                        chars_judged=chars, interval=rate_ci, min_chars=min_chars, implausible=implausible).to_dict()]
    if kind == "copy-typing":
        # the minimum of characters is the error rate's precision: speed is insufficient only
        # when its interval cannot be measured (fewer than 15 s of typing)
        verdicts += _judge("net_wpm", metrics["net_wpm"], thresholds, chars_judged=chars,
                           interval=(metrics["net_wpm_ci_low"], metrics["net_wpm_ci_high"]), min_chars=0,
                           implausible=implausible)
    return metrics, verdicts


def score_attempt(kind: str, item: Any, log: np.ndarray, thresholds: Mapping[str, Threshold], *,
                  ended_by: str | None = None, min_chars_judged: int = precision.DEFAULT_MIN_CHARS_JUDGED,
                  ) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]] | None]:
    """``(metrics, verdicts, actions)`` of one finished attempt of ``kind`` on ``item``.

    Only a copy-typing task ended by its time limit is judged on the part of the passage
    reached: a candidate who presses Finish early has not typed the rest, and the rest counts
    as omissions. A typed task's metrics are ``attempt_figures`` of the item's text.

    Args:
        kind: "copy-typing", "transcription", "data-entry" or "call".
        item: the content item presented (``typingtest.content.model``).
        log: the attempt's event log (``EVENT_DTYPE``).
        thresholds: the thresholds in force, by indicator.
        ended_by: why the task ended ("finish", "time", ...); by default read from the log's
            ``task-end`` marker.
        min_chars_judged: the centre's setting (characters): a typed MSD error rate verdict on
            fewer characters is "insufficient".

    Returns:
        ``(metrics, verdicts, actions)``: the figures (JSON-ready dict), the verdicts
        (``Verdict.to_dict()`` each) and, for calls only, the expected actions as scored
        (None otherwise).
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
