"""Cohort statistics, candidate summaries and percentile ranks (DataFrame in, DataFrame out).

Definitions (the tests compute the same numbers independently):

- ``sd`` is the sample standard deviation (ddof = 1); ``q1``/``median``/``q3`` are numpy's
  default linear-interpolation quantiles (Hyndman & Fan type 7, as R's default and Excel's
  QUARTILE.INC).
- ``pass_rate`` = passed / judged, over the attempts that carry a verdict for the indicator
  (an undefined value is neither); the verdicts are those the engine stored with each attempt
  (``typingtest.engine.verdicts.verdict``), after any assessor override.
- A candidate's value on a task and indicator is the mean over their attempts of that task;
  they meet the threshold there when every judged attempt passed (one failed attempt fails).
- Percentile rank: ``scipy.stats.percentileofscore(reference, value, kind="mean")``, i.e.
  the percentage of the reference group below the value plus half of those equal to it,
  computed on the values with their sign flipped where less is better (error rates, times),
  so a higher percentile is always the better one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.stats import percentileofscore

from typingtest.analysis.frame import higher_is_better, indicator_frame
from typingtest.engine.verdicts import Threshold

__all__ = [
    "CANDIDATE_COLUMNS",
    "COMPETENCE_COLUMNS",
    "PERCENTILE_KIND",
    "STATS_COLUMNS",
    "candidate_summary",
    "cohort_stats",
    "competence_pass_rates",
    "competence_verdicts",
    "group_all_passed",
    "join_groups",
    "passed_numeric",
    "percentile_ranks",
]

#: The ``kind`` given to ``scipy.stats.percentileofscore`` everywhere in typingtest.
PERCENTILE_KIND = "mean"

STATS_COLUMNS = (
    "task", "indicator", "n", "mean", "sd", "median", "q1", "q3", "min", "max",
    "threshold", "comparison", "source", "n_judged", "n_passed", "pass_rate",
)  # fmt: skip
CANDIDATE_COLUMNS = (
    "candidate_id", "cohort", "task", "indicator", "value", "n_attempts", "threshold", "comparison", "source",
    "competences", "passed", "overridden",
)  # fmt: skip
COMPETENCE_COLUMNS = ("competence", "source", "indicators", "n_judged", "n_passed", "pass_rate")


def _values(long: pd.DataFrame) -> pd.DataFrame:
    """One row per attempt and indicator (an indicator judged for two competences appears once)."""
    return long.drop_duplicates(["attempt_id", "indicator"])


def cohort_stats(
    data: pd.DataFrame,
    *,
    by: Sequence[str] = ("task", "indicator"),
    overrides: pd.DataFrame | None = None,
    thresholds: Mapping[str, Threshold] | None = None,
    indicators: Iterable[str] | None = None,
    long: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """n, mean, SD, median, quartiles, min, max and the pass rate per task and indicator.

    ``data`` is an attempts frame already filtered (``filter_attempts``); ``long`` may pass a
    precomputed ``indicator_frame`` of it. Columns: ``STATS_COLUMNS`` (``by`` first).
    """
    if long is None:
        long = indicator_frame(data, overrides=overrides, thresholds=thresholds, indicators=indicators)
    vals = _values(long)
    keys = list(by)
    extra = [c for c in STATS_COLUMNS if c not in keys and c not in ("task", "indicator")]
    if vals.empty:
        return pd.DataFrame(columns=keys + extra)
    grouped = vals.groupby(keys, sort=True, dropna=False)
    value = grouped["value"]
    out = pd.DataFrame(
        {
            "n": value.count(),
            "mean": value.mean(),
            "sd": value.std(ddof=1),
            "median": value.median(),
            "q1": value.quantile(0.25),
            "q3": value.quantile(0.75),
            "min": value.min(),
            "max": value.max(),
        }
    )
    judged = vals[vals["passed"].notna()]
    jg = judged.groupby(keys, sort=True, dropna=False)
    rule = jg[["threshold", "comparison", "source"]].first()
    n_passed = judged.assign(_p=passed_numeric(judged["passed"])).groupby(keys, sort=True, dropna=False)["_p"].sum()
    counts = pd.DataFrame({"n_judged": jg.size(), "n_passed": n_passed})
    out = out.join(rule).join(counts)
    out["n_judged"] = out["n_judged"].fillna(0).astype(int)
    out["n_passed"] = out["n_passed"].fillna(0).astype(int)
    out["pass_rate"] = out["n_passed"] / out["n_judged"].where(out["n_judged"] > 0)
    out["n"] = out["n"].astype(int)
    out = out.reset_index()
    return out[keys + extra]


def candidate_summary(
    data: pd.DataFrame,
    *,
    overrides: pd.DataFrame | None = None,
    thresholds: Mapping[str, Threshold] | None = None,
    long: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per candidate, task and indicator: mean value, attempts, and whether every attempt passed.

    Columns: ``CANDIDATE_COLUMNS``; ``passed`` is None when no attempt was judged,
    ``competences`` the codes the verdicts spoke for (sorted, "; "-joined).
    """
    if long is None:
        long = indicator_frame(data, overrides=overrides, thresholds=thresholds)
    if long.empty:
        return pd.DataFrame(columns=list(CANDIDATE_COLUMNS))
    keys = ["candidate_id", "task", "indicator"]
    vals = _values(long)
    g = vals.groupby(keys, sort=True)
    out = pd.DataFrame(
        {
            "cohort": g["cohort"].first(),
            "value": g["value"].mean(),
            "n_attempts": g["attempt_id"].nunique(),
            "threshold": g["threshold"].first(),
            "comparison": g["comparison"].first(),
            "source": g["source"].first(),
            "passed": group_all_passed(vals, keys),
            "overridden": g["overridden"].any(),
        }
    )
    comps = join_groups(long.dropna(subset=["competence"]), keys, "competence")
    out["competences"] = comps.reindex(out.index)
    out = out.reset_index()
    out["competences"] = out["competences"].astype(object).where(out["competences"].notna(), None)
    out["passed"] = _object_bools(out["passed"])
    return out[list(CANDIDATE_COLUMNS)]


def _object_bools(values: pd.Series) -> pd.Series:
    """True / False / None as Python objects (not numpy bools, not NaN)."""
    return pd.Series([None if v is None or v != v else bool(v) for v in values], index=values.index, dtype=object)


def join_groups(frame: pd.DataFrame, keys: Sequence[str], column: str, sep: str = "; ") -> pd.Series:
    """Per group of ``keys``: the distinct values of ``column``, sorted and joined with ``sep`` (vectorised)."""
    keys = list(keys)
    if frame.empty:
        return pd.Series([], dtype=object, name=column)
    rows = frame.drop_duplicates([*keys, column]).sort_values([*keys, column])
    rows = rows.assign(_n=rows.groupby(keys).cumcount())
    wide = rows.pivot(index=keys, columns="_n", values=column)
    joined = wide[0].astype(object)
    for n in wide.columns[1:]:
        part = wide[n]
        joined = joined.where(part.isna(), joined + sep + part.astype(object))
    return joined.rename(column)


def passed_numeric(values: pd.Series) -> pd.Series:
    """Verdicts as numbers: True 1.0, False 0.0, None/NaN NaN (for vectorised group sums and minima)."""
    return pd.Series([np.nan if v is None or v != v else float(bool(v)) for v in values], index=values.index)


def group_all_passed(frame: pd.DataFrame, keys: Sequence[str]) -> pd.Series:
    """Per group of ``keys``: True when every judged ``passed`` is True, False if one is not, None if none judged."""
    g = frame.assign(_p=passed_numeric(frame["passed"])).groupby(list(keys), sort=True)["_p"]
    low, judged = g.min(), g.count()
    return pd.Series([None if c == 0 else bool(m == 1.0) for m, c in zip(low, judged, strict=True)], index=low.index,
                     dtype=object)  # fmt: skip


def competence_verdicts(long: pd.DataFrame) -> pd.DataFrame:
    """One row per candidate and competence: met when every verdict tagged with it passed.

    Columns: candidate_id, competence, source ("qualification" when any of its thresholds
    comes from the qualification), indicators, n_verdicts, passed, overridden.
    """
    cols = ["candidate_id", "competence", "source", "indicators", "n_verdicts", "passed", "overridden"]
    judged = long[long["competence"].notna() & long["passed"].notna()]
    if judged.empty:
        return pd.DataFrame(columns=cols)
    keys = ["candidate_id", "competence"]
    g = judged.groupby(keys, sort=True)
    qual = judged.assign(_q=judged["source"] == "qualification").groupby(keys, sort=True)["_q"].any()
    out = pd.DataFrame(
        {
            "source": qual.map({True: "qualification", False: "centre"}),
            "indicators": join_groups(judged, keys, "indicator"),
            "n_verdicts": g.size(),
            "passed": group_all_passed(judged, keys),
            "overridden": g["overridden"].any(),
        }
    ).reset_index()
    out["passed"] = _object_bools(out["passed"])
    return out[cols]


def competence_pass_rates(long: pd.DataFrame) -> pd.DataFrame:
    """Share of candidates who meet each competence's thresholds (``COMPETENCE_COLUMNS``)."""
    per = competence_verdicts(long)
    if per.empty:
        return pd.DataFrame(columns=list(COMPETENCE_COLUMNS))
    g = per.groupby("competence", sort=True)
    out = pd.DataFrame(
        {
            "source": g["source"].agg(lambda s: "qualification" if (s == "qualification").any() else "centre"),
            "indicators": g["indicators"].agg(lambda s: "; ".join(sorted({i for x in s for i in x.split("; ")}))),
            "n_judged": g.size(),
            "n_passed": g["passed"].agg(lambda s: int(sum(bool(v) for v in s))),
        }
    ).reset_index()
    out["pass_rate"] = out["n_passed"] / out["n_judged"]
    return out[list(COMPETENCE_COLUMNS)]


def percentile_ranks(
    summary: pd.DataFrame,
    *,
    norm: pd.DataFrame | None = None,
    kind: str = PERCENTILE_KIND,
) -> pd.DataFrame:
    """``summary`` (from ``candidate_summary``) with a ``percentile`` column (0-100, higher is better).

    The reference group is ``norm`` (another candidate summary: a stored norm group) or, by
    default, ``summary`` itself (the cohort); each value is ranked among the reference values
    of the same task and indicator with ``scipy.stats.percentileofscore(..., kind=kind)``,
    signs flipped where less is better. NaN where the reference group has no value.
    """
    reference = summary if norm is None else norm
    out = summary.copy()
    out["percentile"] = np.nan
    ref_groups = {k: g["value"].dropna().to_numpy(float) for k, g in reference.groupby(["task", "indicator"])}
    for (task, indicator), idx in out.groupby(["task", "indicator"]).groups.items():
        ref = ref_groups.get((task, indicator))
        if ref is None or ref.size == 0:
            continue
        sign = 1.0 if higher_is_better(str(indicator)) else -1.0
        values = out.loc[idx, "value"].to_numpy(float)
        ok = ~np.isnan(values)
        if not ok.any():
            continue
        ranks = np.full(values.shape, np.nan)
        ranks[ok] = percentileofscore(sign * ref, sign * values[ok], kind=kind)
        out.loc[idx, "percentile"] = ranks
    return out
