"""One overall decision per candidate (and battery), the value each verdict rule used, and
percentiles against a named reference group.

Every output (report, compare, export) calls these functions, so none can disagree.

**The overall decision** (``combine_decisions``, ``overall_decisions``), on the deciding
verdicts: those whose threshold comes from the qualification (``DECIDING_SOURCES``: the
3 % MSD error rate of every typed attempt, the field error rate and the completeness of
every data-entry attempt), each verdict's decision after the recruiter's overrides
(``frame.verdict_decision``; an override's pass or fail replaces the engine's decision):

1. ``fail`` when any deciding verdict fails (a threshold clearly not met);
2. else ``insufficient`` when any deciding verdict is insufficient (too few characters
   judged) or not judged (its value is undefined);
3. else ``borderline`` when any is borderline (its 95 % interval holds the threshold:
   a retest on a parallel form is recommended, never a silent pass or fail);
4. else ``pass``: every qualification threshold is met, on every attempt;
5. ``not-judged`` when the candidate has no deciding verdict at all.

Centre thresholds (speed, call times, action score) keep their verdicts in every table and
count in "thresholds met"; they do not change the overall decision.

**The value shown** (``decided_summary``): where a candidate has several attempts of a task,
the verdict needs every attempt to pass, so the value shown is the attempt that decided the
verdict (the worst decision first, then the worst value on that side of the threshold),
never a mean; ``value_basis`` says which ("attempt": the only one, "worst": the deciding
one of ``n_attempts``, "mean": no verdict on it, the mean of the attempts).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from typingtest.analysis.frame import higher_is_better
from typingtest.analysis.stats import candidate_summary, group_all_passed, percentile_ranks

__all__ = [
    "DECIDING_SOURCES",
    "DECISIONS",
    "DECISION_COLUMNS",
    "attempt_decisions",
    "combine_decisions",
    "decided_summary",
    "deciding_verdicts",
    "decision_counts",
    "overall_decisions",
    "percentiles_against",
    "utc_text",
]

#: Overall decisions, in the order counts are shown ("not-judged" only when a candidate has none).
DECISIONS = ("pass", "fail", "borderline", "insufficient")
#: Threshold sources whose verdicts decide the overall decision.
DECIDING_SOURCES: tuple[str, ...] = ("qualification",)
#: Columns of ``overall_decisions`` after the group keys.
DECISION_COLUMNS = ("overall_decision", "n_deciding", "n_pass", "n_fail", "n_borderline", "n_insufficient",
                    "overridden", "deciding_indicators")  # fmt: skip

# Severity: the overall decision is the most severe deciding decision.
_SEVERITY = {"pass": 0, "borderline": 1, "insufficient": 2, "not-judged": 2, "fail": 3}
_BY_SEVERITY = {0: "pass", 1: "borderline", 2: "insufficient", 3: "fail"}


def combine_decisions(decisions: Iterable[str]) -> str:
    """The overall decision of a set of verdict decisions (the rule in the module docstring)."""
    levels = [_SEVERITY.get(str(d), 2) for d in decisions]
    return "not-judged" if not levels else _BY_SEVERITY[max(levels)]


def deciding_verdicts(long: pd.DataFrame, sources: Sequence[str] = DECIDING_SOURCES) -> pd.DataFrame:
    """The rows of an ``indicator_frame`` that decide: a verdict whose source is in ``sources``
    (one row per attempt and indicator: a verdict tagged with two competences counts once)."""
    rows = long[long["source"].isin(list(sources))]
    return rows.drop_duplicates(["attempt_id", "indicator"])


def _combined(frame: pd.DataFrame, keys: list[str], column: str = "decision") -> pd.Series:
    """Per group of ``keys``: ``combine_decisions`` of ``column``, vectorised (max severity)."""
    level = frame[column].map(lambda d: _SEVERITY.get(str(d), 2))
    return frame.assign(_level=level).groupby(keys, sort=True)["_level"].max().map(_BY_SEVERITY)


def overall_decisions(
    long: pd.DataFrame,
    by: Sequence[str] = ("candidate_id", "battery"),
    *,
    sources: Sequence[str] = DECIDING_SOURCES,
) -> pd.DataFrame:
    """One row per group of ``by`` (default: candidate and battery) with its overall decision.

    ``long`` is an ``indicator_frame`` (overrides applied there). Columns: ``by``, then
    ``DECISION_COLUMNS``: the counts of deciding verdicts per decision ("not-judged" counted
    as insufficient), whether an override changed any of them, the deciding indicators.
    Every group of ``long`` appears, "not-judged" when it has no deciding verdict.
    """
    keys = list(by)
    groups = long[keys].drop_duplicates().sort_values(keys).reset_index(drop=True)
    dec = deciding_verdicts(long, sources)
    out = groups.set_index(keys)
    if dec.empty:
        out["overall_decision"] = "not-judged"
        for col in ("n_deciding", "n_pass", "n_fail", "n_borderline", "n_insufficient"):
            out[col] = 0
        out["overridden"] = False
        out["deciding_indicators"] = ""
        return out.reset_index()[[*keys, *DECISION_COLUMNS]]
    g = dec.groupby(keys, sort=True)
    kind = dec["decision"].replace({"not-judged": "insufficient"})
    counts = pd.crosstab([dec[k] for k in keys], kind).reindex(columns=list(DECISIONS), fill_value=0)
    out["overall_decision"] = _combined(dec, keys).reindex(out.index).fillna("not-judged")
    out["n_deciding"] = g.size().reindex(out.index, fill_value=0).astype(int)
    for name in DECISIONS:
        out[f"n_{name}"] = counts[name].reindex(out.index, fill_value=0).astype(int)
    out["overridden"] = g["overridden"].any().reindex(out.index, fill_value=False).astype(bool)
    names = g["indicator"].agg(lambda s: "; ".join(sorted(set(s))))
    out["deciding_indicators"] = names.reindex(out.index).fillna("")
    return out.reset_index()[[*keys, *DECISION_COLUMNS]]


def attempt_decisions(long: pd.DataFrame, *, sources: Sequence[str] = DECIDING_SOURCES) -> pd.Series:
    """Per attempt id: the same rule over that attempt's deciding verdicts ("not-judged" when none)."""
    return overall_decisions(long, ("attempt_id",), sources=sources).set_index("attempt_id")["overall_decision"]


def decision_counts(decisions: pd.DataFrame) -> pd.DataFrame:
    """How many of ``decisions`` (``overall_decisions`` rows) pass, fail, are borderline or
    insufficient (columns decision, n; "not-judged" only when there is one)."""
    values = decisions["overall_decision"]
    order = [*DECISIONS, *(["not-judged"] if (values == "not-judged").any() else [])]
    counts = values.value_counts().reindex(order, fill_value=0).astype(int)
    return pd.DataFrame({"decision": order, "n": counts.to_numpy()})


def decided_summary(data: pd.DataFrame, long: pd.DataFrame) -> pd.DataFrame:
    """``stats.candidate_summary`` with the value the verdict rule used (see the module docstring).

    Adds ``decision`` (the rule over the group's attempts), ``value_basis`` ("attempt",
    "worst", "mean"), ``value_attempt_id`` (the attempt shown; None for a mean),
    ``passed_stored`` (every attempt passed as stored, before overrides) and the overrides
    of the group's verdicts: ``override_reason``, ``override_by``, ``override_at`` (UTC ISO
    8601), each "; "-joined when there are several, all three in the same order (by time):
    the n-th reason, assessor and time are one override.
    """
    summary = candidate_summary(data, long=long)
    keys = ["candidate_id", "task", "indicator"]
    extra = ["decision", "value_basis", "value_attempt_id", "passed_stored", "override_reason", "override_by",
             "override_at"]  # fmt: skip
    vals = long.drop_duplicates(["attempt_id", "indicator"])
    if summary.empty:
        return summary.assign(**{c: pd.Series(dtype=object) for c in extra})
    judged = vals[vals["threshold"].notna()].copy()
    # the deciding attempt: the most severe decision, then the value furthest on the failing side
    judged["_level"] = judged["decision"].map(lambda d: _SEVERITY.get(str(d), 2))
    higher_better = judged["indicator"].map(higher_is_better).astype(bool)
    lower_worse = judged["comparison"].eq(">=") | (judged["comparison"].isna() & higher_better)
    judged["_bad"] = np.where(lower_worse, -judged["value"], judged["value"])
    judged = judged.sort_values(["_level", "_bad"], ascending=False, na_position="last", kind="stable")
    worst = judged.drop_duplicates(keys).set_index(keys)
    out = summary.set_index(keys)
    out["decision"] = _combined(judged, keys).reindex(out.index)
    shown = worst.reindex(out.index)
    has_rule = shown["attempt_id"].notna()
    out["value"] = shown["value"].where(has_rule, out["value"]).astype(float)
    out["value_attempt_id"] = shown["attempt_id"].where(has_rule, None)
    single = out["n_attempts"] == 1
    out["value_basis"] = np.where(has_rule, np.where(single, "attempt", "worst"), np.where(single, "attempt", "mean"))
    out["decision"] = out["decision"].astype(object).where(out["decision"].notna(), None)
    out["value_attempt_id"] = out["value_attempt_id"].astype(object).where(out["value_attempt_id"].notna(), None)
    stored = group_all_passed(vals.assign(passed=vals["passed_stored"]), keys).reindex(out.index)
    out["passed_stored"] = [None if v is None or v != v else bool(v) for v in stored]
    for col, joined in _override_fields(vals[vals["overridden"]], keys).items():
        out[col] = joined.reindex(out.index).astype(object).where(joined.reindex(out.index).notna(), None)
    return out.reset_index()[[*summary.columns, *extra]]


def _override_fields(changed: pd.DataFrame, keys: list[str]) -> dict[str, pd.Series]:
    """Per group of ``keys``: the overrides' reason, assessor and time (UTC), "; "-joined in one
    order (by time, then attempt id) so that the n-th part of each column is the same override."""
    cols = ("override_reason", "override_by", "override_at")
    if changed.empty:
        return {c: pd.Series(dtype=object) for c in cols}
    rows = changed.assign(_t=pd.to_datetime(changed["override_at"], utc=True, errors="coerce"))
    rows = rows.sort_values([*keys, "_t", "attempt_id"], kind="stable")
    parts = pd.DataFrame({
        "override_reason": [_text(v) for v in rows["override_reason"]],
        "override_by": [_text(v) for v in rows["override_assessor"]],
        "override_at": [str(utc_text(t)) for t in rows["override_at"]],
    }, index=pd.MultiIndex.from_frame(rows[keys]))
    joined = parts.groupby(level=list(range(len(keys))), sort=True).agg("; ".join)
    return {c: joined[c] for c in cols}


def _text(value: object) -> str:
    """A text cell as ``str`` ("" for None or NaN)."""
    return "" if value is None or value != value else str(value)


def utc_text(value: object) -> str | None:
    """A time as UTC ISO 8601 text (the form every output writes an override's time in)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    ts = pd.Timestamp(value)  # type: ignore[arg-type]
    return (ts.tz_convert("UTC") if ts.tzinfo is not None else ts.tz_localize("UTC")).isoformat()


def percentiles_against(summary: pd.DataFrame, reference: pd.DataFrame, name: str) -> pd.DataFrame:
    """``summary`` with ``percentile`` (0-100, higher is better) ranked in ``reference`` (another
    ``decided_summary``), ``percentile_reference`` (its name) and ``percentile_n`` (how many of
    the reference group have a value of that task and indicator)."""
    out = percentile_ranks(summary, norm=reference)
    n = reference.dropna(subset=["value"]).groupby(["task", "indicator"])["candidate_id"].nunique()
    pairs = pd.MultiIndex.from_arrays([out["task"], out["indicator"]])
    out["percentile_reference"] = name
    out["percentile_n"] = n.reindex(pairs).fillna(0).astype(int).to_numpy()
    return out
