"""Recruiter comparison: applicants side by side and ranked by a documented rule.

Ranking rule (``RANKING_RULE``), applied in this order, each a tie-break for the one before:

1. more of the qualification's thresholds met (``qualification_passed``: the candidate's
   task-and-indicator verdicts whose threshold comes from the qualification, e.g. the 3 %
   MSD error rate, after any assessor override);
2. more thresholds met in all (``thresholds_passed``: the qualification's and the centre's);
3. the higher mean percentile rank over the indicators that decide (``mean_percentile``:
   the qualification's, ``decisions.DECIDING_SOURCES``), within the reference group;
4. the candidate id, alphabetically (so the order never depends on the input order).

Equal candidates on rules 1-3 share no rank number: the rank is a position, and the table
shows the figures that decided it. Each row also carries the candidate's overall decision
(``decisions.combine_decisions``; first after the id in every table).

Percentiles are ranked in a named reference group (``percentile_reference``, size
``percentile_n``): the stored norm group or cohort given as ``reference``, else the cohort
of the compared applicants; applicants from different cohorts need a ``reference``.
The value of a task with several attempts is the one its verdict rule used
(``decisions.decided_summary``: the deciding attempt, never a mean).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from typingtest.analysis.decisions import (
    DECIDING_SOURCES,
    combine_decisions,
    decided_summary,
    percentiles_against,
)
from typingtest.analysis.frame import indicator_frame
from typingtest.analysis.stats import competence_verdicts, passed_numeric
from typingtest.engine.verdicts import Threshold
from typingtest.errors import UserError

__all__ = [
    "COMPARISON_COLUMNS",
    "RANKING_COLUMNS",
    "RANKING_RULE",
    "compare_applicants",
    "format_value",
    "rank_applicants",
    "side_by_side",
]

RANKING_RULE = (
    "1. qualification thresholds met (more first); 2. all thresholds met (more first); "
    "3. mean percentile rank over the indicators that decide (higher first); 4. candidate id (A-Z)"
)
COMPARISON_COLUMNS = (
    "candidate_id", "overall_decision", "competences", "task", "indicator", "value", "value_basis", "n_attempts",
    "threshold", "comparison", "source", "passed", "passed_stored", "decision", "overridden", "override_reason",
    "override_by", "override_at", "percentile", "percentile_reference", "percentile_n",
)  # fmt: skip
RANKING_COLUMNS = (
    "rank", "candidate_id", "overall_decision", "qualification_passed", "qualification_judged", "thresholds_passed",
    "thresholds_judged", "mean_percentile", "all_passed",
)  # fmt: skip


def compare_applicants(
    data: pd.DataFrame,
    candidates: Sequence[str],
    *,
    reference: pd.DataFrame | None = None,
    reference_name: str | None = None,
    overrides: pd.DataFrame | None = None,
    thresholds: Mapping[str, Threshold] | None = None,
    judged_only: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Compare ``candidates`` on the attempts in ``data`` (already filtered).

    ``reference`` is the attempts frame of the group percentiles are ranked in, named
    ``reference_name`` (default "cohort <its cohorts>"); without it, the attempts in ``data`` of
    the applicants' cohort (a UserError when they come from several: name a norm group).
    Returns ``(comparison, ranking, competences)``: ``comparison`` has ``COMPARISON_COLUMNS``
    (with ``judged_only``, only indicators that carry a threshold), ``ranking`` has
    ``RANKING_COLUMNS`` sorted by rank, ``competences`` one row per candidate and competence
    code (see ``stats.competence_verdicts``).
    """
    wanted = list(dict.fromkeys(candidates))
    mine = data[data["candidate_id"].isin(wanted)]
    found = set(mine["candidate_id"])
    absent = [c for c in wanted if c not in found]
    if absent:
        raise UserError(f"{absent[0]}: no attempts found for this candidate id; check the id (and --cohort)")
    if reference is None:
        cohorts = sorted({str(c) for c in mine["cohort"].dropna()})
        if len(cohorts) != 1:
            names = ", ".join(cohorts) or "none"
            raise UserError(f"compare: the applicants come from {len(cohorts)} cohorts ({names}); "
                            "name the group to rank percentiles in with --norm COHORT")  # fmt: skip
        reference = data[data["cohort"] == cohorts[0]]
    if reference_name is None:
        reference_name = "cohort " + ", ".join(sorted({str(c) for c in reference["cohort"].dropna()}))
    # with judged_only, only the indicators some stored verdict speaks for
    kept = _judged_indicators(pd.concat([mine["verdicts"], reference["verdicts"]])) if judged_only else None
    ref_long = indicator_frame(reference, overrides=overrides, thresholds=thresholds, indicators=kept)
    norm = decided_summary(reference, ref_long)
    if set(wanted) <= set(reference["candidate_id"]):  # the applicants are in the reference group
        long = ref_long[ref_long["candidate_id"].isin(wanted)]
        summary = norm[norm["candidate_id"].isin(wanted)]
    else:
        long = indicator_frame(mine, overrides=overrides, thresholds=thresholds, indicators=kept)
        summary = decided_summary(mine, long)
    ranked = percentiles_against(summary, norm, reference_name)
    if judged_only:
        ranked = ranked[ranked["threshold"].notna()]
    order = {c: i for i, c in enumerate(wanted)}
    ranked = ranked.sort_values("candidate_id", key=lambda s: s.map(order), kind="stable")
    ranking = rank_applicants(ranked, wanted)
    ranked = ranked.assign(overall_decision=ranked["candidate_id"].map(ranking.set_index("candidate_id")
                                                                       ["overall_decision"]))  # fmt: skip
    comparison = ranked[list(COMPARISON_COLUMNS)].reset_index(drop=True)
    return comparison, ranking, competence_verdicts(long)


def _judged_indicators(verdicts: pd.Series | pd.DataFrame) -> tuple[str, ...]:
    """The indicators named by any stored verdict (``verdicts``: a Series of verdict lists, or a frame with one)."""
    series = verdicts["verdicts"] if isinstance(verdicts, pd.DataFrame) else verdicts
    names = {str(v.get("indicator")) for vs in series if isinstance(vs, list) for v in vs if isinstance(v, dict)}
    return tuple(sorted(names))


def rank_applicants(comparison: pd.DataFrame, candidates: Sequence[str] | None = None) -> pd.DataFrame:
    """Rank applicants by ``RANKING_RULE`` from a ``compare_applicants`` comparison table.

    ``overall_decision`` combines the ``decision`` of each candidate's deciding rows (from
    ``passed`` where the table has no ``decision``): ``decisions.combine_decisions``.
    """
    ids = list(dict.fromkeys(candidates)) if candidates is not None else sorted(set(comparison["candidate_id"]))
    deciding = comparison[comparison["source"].isin(list(DECIDING_SOURCES))]
    if "decision" in deciding.columns:
        words = deciding["decision"]
    else:
        words = deciding["passed"].map(lambda p: "not-judged" if p is None or p != p else ("pass" if p else "fail"))
    overall = words.groupby(deciding["candidate_id"]).agg(combine_decisions)
    judged = comparison[comparison["passed"].notna()]
    judged = judged.assign(_p=passed_numeric(judged["passed"]), _q=judged["source"] == "qualification")
    g = judged.groupby("candidate_id")
    qual = judged[judged["_q"]].groupby("candidate_id")
    decide = judged[judged["source"].isin(list(DECIDING_SOURCES))].groupby("candidate_id")
    index = pd.Index(ids, name="candidate_id")
    out = pd.DataFrame(
        {
            "overall_decision": overall.reindex(index).fillna("not-judged").astype(object),
            "qualification_passed": qual["_p"].sum().reindex(index, fill_value=0).astype(int),
            "qualification_judged": qual.size().reindex(index, fill_value=0).astype(int),
            "thresholds_passed": g["_p"].sum().reindex(index, fill_value=0).astype(int),
            "thresholds_judged": g.size().reindex(index, fill_value=0).astype(int),
            "mean_percentile": decide["percentile"].mean().reindex(index).astype(float),
            "all_passed": (g["_p"].min() == 1.0).reindex(index, fill_value=False).astype(bool),
        },
        index=index,
    ).reset_index()
    out["_pct"] = out["mean_percentile"].fillna(-1.0)
    out = out.sort_values(
        ["qualification_passed", "thresholds_passed", "_pct", "candidate_id"],
        ascending=[False, False, False, True],
        kind="stable",
    ).drop(columns="_pct")
    out.insert(0, "rank", range(1, len(out) + 1))
    return out.reset_index(drop=True)


def side_by_side(comparison: pd.DataFrame, lang: str = "nl", order: Sequence[str] | None = None) -> pd.DataFrame:
    """The comparison as a display table: one row per task and indicator, one column per applicant.

    Columns in ``order`` (e.g. the ranking's), else as the applicants come in ``comparison``.
    The first row is the overall decision. Each cell reads ``value  verdict  P<percentile>
    (<reference>, n=<size>)`` with rates in percent, "✓"/"✗" for the verdict, "*" after an
    overridden one, "~" after a borderline and "?" after an insufficient decision, and
    "(worst of N)" where the value is the deciding one of N attempts; a decimal comma and
    the reference group's word in Dutch and French (``labels.decimal``, ``reference_label``).
    """
    from typingtest.analysis.labels import indicator_label, label

    if comparison.empty:
        return pd.DataFrame()
    pairs = zip(comparison["task"], comparison["indicator"], strict=True)
    cells = comparison.assign(
        cell=[_cell(r, lang) for r in comparison.itertuples(index=False)],
        row=[f"{label(t, lang)}: {indicator_label(i, lang)}" for t, i in pairs],
    )
    order = list(order) if order is not None else list(dict.fromkeys(comparison["candidate_id"]))
    table = cells.pivot_table(index=["competences", "row"], columns="candidate_id", values="cell", aggfunc="first")
    table = table.reindex(columns=order)
    overall = comparison.drop_duplicates("candidate_id").set_index("candidate_id")["overall_decision"]
    first = pd.DataFrame([[label(f"decision_{overall.get(c, 'not-judged')}", lang) for c in order]],
                         columns=table.columns,
                         index=pd.MultiIndex.from_tuples([("", label("overall_decision", lang))]))  # fmt: skip
    table = pd.concat([first, table])
    table.index.names = [label("competence", lang), label("indicator", lang)]
    return table.fillna("–")


def format_value(indicator: str, value: float | None) -> str:
    """A value as shown in tables: fractions in percent, seconds and speeds with one decimal, with the
    decimals of the indicator's registry entry (``typingtest.vocabulary``: rates 2, as 3.01 % must
    not read as 3.0 %; shares 0); a name not in the registry: ``*_rate`` in percent, 2 decimals."""
    from typingtest.analysis.labels import percent
    from typingtest.vocabulary import INDICATORS

    if value is None or value != value:
        return "–"
    known = INDICATORS.get(indicator)
    if known is None:
        return percent(value, 2) if indicator.endswith("_rate") else f"{value:.1f}"
    return percent(value, known.digits) if known.unit == "fraction" else f"{value:.{known.digits}f}"


def _cell(rec: object, lang: str = "nl") -> str:
    from typingtest.analysis.labels import decimal, label, reference_label

    value = decimal(format_value(rec.indicator, rec.value), lang)  # type: ignore[attr-defined]
    passed = rec.passed  # type: ignore[attr-defined]
    mark = "–" if passed is None else ("✓" if passed else "✗")
    if rec.overridden:  # type: ignore[attr-defined]
        mark += "*"
    mark += _DECISION_MARKS.get(str(getattr(rec, "decision", "")), "")
    if getattr(rec, "value_basis", "") == "worst":
        value += f" ({label('worst_of', lang, n=rec.n_attempts)})"  # type: ignore[attr-defined]
    pct = rec.percentile  # type: ignore[attr-defined]
    reference = reference_label(rec.percentile_reference, lang)  # type: ignore[attr-defined]
    pct_text = "" if pct != pct else f"  P{pct:.0f} ({reference}, n={rec.percentile_n})"  # type: ignore[attr-defined]
    return f"{value}  {mark}{pct_text}"


#: Marks after a verdict whose decision is not a plain pass or fail.
_DECISION_MARKS = {"borderline": "~", "insufficient": "?"}
