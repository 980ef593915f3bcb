"""The attempts frame (what ``Store.attempts_frame`` returns) and its tidy long form.

Everything in ``typingtest.analysis`` takes the attempts frame in: one row per attempt with
the columns in ``ATTEMPT_COLUMNS`` (``metrics`` a dict, ``verdicts`` and ``actions`` lists of
dicts). ``indicator_frame`` turns it into one row per attempt and indicator with the value
and the verdict the engine stored (``typingtest.engine.verdicts.verdict``; no threshold is
applied here), its decision (``verdict_decision``: pass, fail, borderline, insufficient or
not-judged), and the assessor's override where there is one.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from typingtest import vocabulary
from typingtest.engine.precision import DECISIONS, DEFAULT_MIN_CHARS_JUDGED, stored_decision
from typingtest.engine.verdicts import Threshold, Verdict, verdict
from typingtest.errors import UserError
from typingtest.vocabulary import FRAME_COLUMNS
from typingtest.vocabulary import INDICATORS as REGISTRY

__all__ = [
    "ATTEMPT_COLUMNS",
    "HIGHER_IS_BETTER",
    "INDICATORS",
    "INDICATOR_COLUMNS",
    "JSON_COLUMNS",
    "LONG_COLUMNS",
    "OVERRIDE_COLUMNS",
    "VERDICT_DECISIONS",
    "filter_attempts",
    "higher_is_better",
    "indicator_frame",
    "read_attempts_csv",
    "validate_attempts",
    "verdict_decision",
    "write_attempts_csv",
]

#: The columns of ``Store.attempts_frame`` (the shared contract: ``typingtest.vocabulary.FRAME_COLUMNS``).
ATTEMPT_COLUMNS = FRAME_COLUMNS
JSON_COLUMNS = ("metrics", "verdicts", "actions")
#: Indicators read from an attempt: the frame's own column where it has one, else ``metrics``
#: (the registry ``typingtest.vocabulary.INDICATORS`` less the per-candidate multitask figures).
INDICATORS = tuple(name for name, ind in REGISTRY.items() if ind.origin != "multitask")
#: Indicators that are columns of the attempts frame.
INDICATOR_COLUMNS = tuple(c for c in INDICATORS if c in ATTEMPT_COLUMNS)
#: Indicators where more is better; for every other one (error rates, times, KSPC) less is better.
HIGHER_IS_BETTER = frozenset(name for name in INDICATORS if REGISTRY[name].higher_is_better)
#: Columns of an overrides frame (see ``typingtest.analysis.overrides``).
OVERRIDE_COLUMNS = ("attempt_id", "indicator", "passed", "reason", "assessor", "at")

#: The decisions a verdict can carry (the engine's ``decision`` key; see ``verdict_decision``).
VERDICT_DECISIONS = DECISIONS

#: Columns of ``indicator_frame``: ``decision`` is after overrides, ``decision_stored`` as stored;
#: ``chars_judged`` (characters), ``ci_low``/``ci_high`` (the value's 95 % interval, same unit)
#: where the engine stored them.
LONG_COLUMNS = (
    "candidate_id", "cohort", "session_id", "attempt_id", "battery", "language", "task", "item",
    "started_at", "indicator", "value", "competence", "threshold", "comparison", "source",
    "passed_stored", "passed", "decision_stored", "decision", "chars_judged", "ci_low", "ci_high",
    "overridden", "override_reason", "override_assessor", "override_at",
)  # fmt: skip


def verdict_decision(verdict: Mapping[str, Any] | None, passed: bool | None = None) -> str:
    """The decision of one stored verdict: its ``decision`` key, else derived from ``passed``
    (``typingtest.engine.precision.stored_decision``).

    Attempts stored before the engine wrote ``decision`` (and any verdict without it) get
    "pass" / "fail" from ``passed`` and "not-judged" when ``passed`` is None (an undefined
    value). ``passed`` given (an override) wins over the stored key.
    """
    if passed is not None:
        return "pass" if passed else "fail"
    if verdict is None:
        return "not-judged"
    if "decision" not in verdict and _missing(verdict.get("passed")):
        return "not-judged"
    return stored_decision(verdict)


def higher_is_better(indicator: str) -> bool:
    """True when a larger value of ``indicator`` is the better one (speeds, completeness, scores)."""
    return vocabulary.higher_is_better(indicator)


def validate_attempts(data: pd.DataFrame, source: str = "attempts") -> pd.DataFrame:
    """Check ``data`` has the contract's columns; return it with dates parsed and JSON columns decoded.

    Raises UserError naming the first missing column.
    """
    missing = [c for c in ATTEMPT_COLUMNS if c not in data.columns]
    if missing:
        raise UserError(f"{source}: {missing[0]}: column missing; an attempts frame has {', '.join(ATTEMPT_COLUMNS)}")
    out = data.copy()
    for col in ("started_at", "ended_at"):
        out[col] = pd.to_datetime(out[col], utc=True, errors="coerce", format="mixed")
    for col in JSON_COLUMNS:
        out[col] = [_decode_json(v, col, source) for v in out[col]]
    out["practice"] = out["practice"].map(_as_bool)
    for col in (*INDICATOR_COLUMNS, "iki_mean_ms", "iki_sd_ms"):
        out[col] = pd.to_numeric(out[col], errors="coerce")
    for col in ("candidate_id", "cohort", "session_id", "attempt_id", "battery", "language", "task", "item", "state"):
        out[col] = out[col].map(lambda v: None if _missing(v) else str(v))
    return out


def read_attempts_csv(path: str | Path) -> pd.DataFrame:
    """Read an attempts frame written by ``write_attempts_csv`` (JSON in the dict/list columns)."""
    path = Path(path)
    try:
        raw = pd.read_csv(path, dtype={"candidate_id": str, "session_id": str, "attempt_id": str, "cohort": str})
    except FileNotFoundError:
        raise UserError(f"{path}: file not found") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: not a readable CSV file: {exc}") from None
    return validate_attempts(raw, str(path))


def write_attempts_csv(data: pd.DataFrame, path: str | Path) -> Path:
    """Write an attempts frame as CSV, the dict/list columns as JSON text."""
    out = data.copy()
    for col in JSON_COLUMNS:
        out[col] = [json.dumps(v, ensure_ascii=False, sort_keys=True) for v in out[col]]
    from typingtest.fileperms import private_file

    path = Path(path)
    out.to_csv(path, index=False)
    return private_file(path)  # results are personal data: owner only


def filter_attempts(
    data: pd.DataFrame,
    *,
    cohort: str | Iterable[str] | None = None,
    candidates: Iterable[str] | None = None,
    since: Any = None,
    until: Any = None,
    battery: str | None = None,
    language: str | None = None,
    task: str | None = None,
    include_practice: bool = False,
    states: Iterable[str] | None = ("complete",),
) -> pd.DataFrame:
    """The attempts that match every filter given; practice attempts are left out unless asked.

    ``since``/``until`` are dates or timestamps (UTC when naive) on ``started_at``; ``until`` is
    exclusive. ``states``: the attempt states kept (default: complete attempts only, since an
    interrupted attempt's figures cover part of the task; None keeps all).
    """
    mask = pd.Series(True, index=data.index)
    if cohort is not None:
        cohorts = [cohort] if isinstance(cohort, str) else list(cohort)
        mask &= data["cohort"].isin(cohorts)
    if candidates is not None:
        mask &= data["candidate_id"].isin(list(candidates))
    if since is not None:
        mask &= data["started_at"] >= _timestamp(since)
    if until is not None:
        mask &= data["started_at"] < _timestamp(until)
    if battery is not None:
        mask &= data["battery"] == battery
    if language is not None:
        mask &= data["language"] == language
    if task is not None:
        mask &= data["task"] == task
    if not include_practice:
        mask &= ~data["practice"].astype(bool)
    if states is not None:
        mask &= data["state"].isin(list(states))
    return data.loc[mask]


def indicator_frame(
    data: pd.DataFrame,
    *,
    overrides: pd.DataFrame | None = None,
    thresholds: Mapping[str, Threshold] | None = None,
    indicators: Iterable[str] | None = None,
) -> pd.DataFrame:
    """One row per attempt, indicator and competence: the value, the stored verdict and any override.

    Values come from the frame's column of that name, else the attempt's ``metrics``. The
    verdict (``passed_stored``, ``threshold``, ``comparison``, ``source``, ``competence``) is
    the one stored with the attempt; an indicator with no stored verdict has them all None
    (it is described, never judged here). With ``thresholds`` given, every stored verdict is
    judged again by ``typingtest.engine.verdicts.verdict`` against those thresholds (a centre
    that changed a setting). ``overrides`` (columns ``OVERRIDE_COLUMNS``; the latest per attempt
    and indicator wins) replace ``passed`` and set ``overridden``; an override's pass or fail
    also replaces the ``decision`` (a recruiter's call ends a borderline or insufficient one).
    """
    wanted = tuple(indicators) if indicators is not None else INDICATORS
    latest = _latest_overrides(overrides)
    base_cols = ["candidate_id", "cohort", "session_id", "attempt_id", "battery", "language", "task", "item",
                 "started_at"]  # fmt: skip
    columns = {c: data[c].to_numpy(dtype=float, na_value=np.nan) for c in INDICATOR_COLUMNS if c in wanted}
    attempt_ids = data["attempt_id"].astype(object).to_numpy()
    positions: list[int] = []
    rows: list[tuple[Any, ...]] = []
    for pos, (metrics, verdicts) in enumerate(zip(data["metrics"], data["verdicts"], strict=True)):
        metrics = metrics if isinstance(metrics, Mapping) else {}
        stored: dict[str, list[Mapping[str, Any]]] = {}
        for v in verdicts if isinstance(verdicts, list) else []:
            if isinstance(v, Mapping) and v.get("indicator"):
                stored.setdefault(str(v["indicator"]), []).append(v)
        for indicator in wanted:
            column = columns.get(indicator)
            value = column[pos] if column is not None else None
            if _missing(value):
                value = metrics.get(indicator)
            judged = stored.get(indicator)
            if _missing(value) and judged:
                value = judged[0].get("value")
            value = None if _missing(value) else float(value)
            if value is None and not judged:
                continue
            ov = latest.get((attempt_ids[pos], indicator)) if latest else None
            for v in judged or [None]:
                chars = ci_low = ci_high = None
                if v is None:
                    comp = threshold = comparison = source = passed_stored = None
                    decision_stored = "not-judged"
                else:
                    comp, passed_stored = v.get("competence"), v.get("passed")
                    threshold, comparison, source = v.get("threshold"), v.get("comparison"), v.get("source")
                    chars, ci_low, ci_high = (_number(v.get(k)) for k in ("chars_judged", "ci_low", "ci_high"))
                    decision_stored = verdict_decision(v)
                    if thresholds is not None and indicator in thresholds:
                        again = _rejudged(v, indicator, value, thresholds, comp, metrics, chars, ci_low, ci_high)
                        threshold, comparison, source = again.threshold, again.comparison, again.source
                        passed_stored, decision_stored = again.passed, again.decision
                passed = passed_stored if ov is None else ov["passed"]
                decision = decision_stored if ov is None else verdict_decision(None, ov["passed"])
                reason = None if ov is None else ov["reason"]
                assessor = None if ov is None else ov["assessor"]
                at = None if ov is None else ov["at"]
                positions.append(pos)
                rows.append((indicator, value, comp, threshold, comparison, source, passed_stored, passed,
                             decision_stored, decision, chars, ci_low, ci_high, ov is not None, reason, assessor,
                             at))  # fmt: skip
    out = pd.DataFrame.from_records(rows, columns=list(LONG_COLUMNS[len(base_cols) :]))
    base = data[base_cols].iloc[positions].reset_index(drop=True)
    out = pd.concat([base, out], axis=1)[list(LONG_COLUMNS)]
    out["value"] = out["value"].astype(float)
    out["threshold"] = pd.to_numeric(out["threshold"], errors="coerce")
    for col in ("chars_judged", "ci_low", "ci_high"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    out["overridden"] = out["overridden"].astype(bool)
    for col in ("passed", "passed_stored"):
        out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out


def _latest_overrides(overrides: pd.DataFrame | None) -> dict[tuple[str, str], dict[str, Any]]:
    if overrides is None or len(overrides) == 0:
        return {}
    ordered = overrides.sort_values("at", kind="stable") if "at" in overrides.columns else overrides
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for rec in ordered.to_dict("records"):
        out[(str(rec["attempt_id"]), str(rec["indicator"]))] = {
            "passed": _as_bool(rec["passed"]),
            "reason": rec.get("reason"),
            "assessor": rec.get("assessor"),
            "at": rec.get("at"),
        }
    return out


def _rejudged(stored: Mapping[str, Any], indicator: str, value: float | None, thresholds: Mapping[str, Threshold],
              competence: str | None, metrics: Mapping[str, Any], chars: float | None, low: float | None,
              high: float | None) -> Verdict:  # fmt: skip
    """A stored verdict judged again against ``thresholds`` by the engine's ``verdict``, with the
    precision stored with it: the characters judged, the 95 % interval and the centre's minimum
    of characters (``precision.decide``: too few characters stay insufficient, an interval
    holding the new threshold is borderline), and the attempt's plausibility flag
    (``metrics["plausibility"]["reasons"]``: a flagged attempt is never passed silently).
    A verdict stored without ``chars_judged`` (not typed, or stored before intervals) gets the
    plain pass or fail."""
    least = _number(stored.get("min_chars_judged"))
    flag = metrics.get("plausibility")
    reasons = flag.get("reasons") if isinstance(flag, Mapping) else None
    implausible = "; ".join(map(str, reasons)) if isinstance(reasons, list) and reasons else None
    return verdict(indicator, value, thresholds, competence,
                   chars_judged=None if chars is None else int(chars), interval=(low, high),
                   min_chars=int(least) if least is not None else DEFAULT_MIN_CHARS_JUDGED,
                   implausible=implausible if chars is not None else None)  # fmt: skip


def _number(value: Any) -> float | None:
    if _missing(value) or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _decode_json(value: Any, column: str, source: str) -> Any:
    empty: Any = {} if column == "metrics" else []
    if isinstance(value, dict | list):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return empty
    if isinstance(value, bytes | str):
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise UserError(f"{source}: {column}: not valid JSON ({exc.msg}); the column holds JSON text") from None
    if isinstance(value, np.ndarray):
        return list(value)
    return value


def _as_bool(value: Any) -> bool | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        v = value.strip().lower()
        if v in ("true", "1", "yes", "pass"):
            return True
        if v in ("false", "0", "no", "fail", ""):
            return False
        raise UserError(f"practice/passed: {value!r} is not a yes/no value; use true or false")
    return bool(value)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return value is pd.NA or value is pd.NaT


def _timestamp(value: Any) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise UserError(f"date: {value!r} is not a date; write it as YYYY-MM-DD") from None
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
