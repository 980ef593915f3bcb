"""Property tests: the vectorised statistics against slow, obviously correct references kept here."""

from __future__ import annotations

import statistics

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import percentileofscore

from typingtest.analysis.compare import rank_applicants
from typingtest.analysis.stats import cohort_stats, competence_pass_rates, group_all_passed, percentile_ranks

VERDICT = st.sampled_from([True, False, None])


def _long(rows: list[tuple[str, str, float, bool | None]]) -> pd.DataFrame:
    """A minimal indicator frame: candidate, indicator (one attempt each), value, passed."""
    out = []
    for i, (cand, indicator, value, passed) in enumerate(rows):
        judged = passed is not None
        out.append({"candidate_id": cand, "cohort": "x", "session_id": cand, "attempt_id": f"a{i}",
                    "battery": "b", "language": "nl", "task": "copy-typing", "item": "i", "started_at": None,
                    "indicator": indicator, "value": value, "competence": "C1" if judged else None,
                    "threshold": 0.5 if judged else None, "comparison": "<=" if judged else None,
                    "source": "qualification" if judged else None, "passed_stored": passed, "passed": passed,
                    "overridden": False, "override_reason": None, "override_assessor": None})  # fmt: skip
    frame = pd.DataFrame(out)
    frame["passed"] = frame["passed"].astype(object).where(frame["passed"].notna(), None)
    return frame


ROWS = st.lists(
    st.tuples(st.sampled_from(["c1", "c2", "c3", "c4"]), st.sampled_from(["msd_error_rate", "net_wpm"]),
              st.floats(0, 100, allow_nan=False), VERDICT),
    min_size=1, max_size=30,
)  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(ROWS)
def test_cohort_stats_against_the_statistics_module(rows: list[tuple[str, str, float, bool | None]]) -> None:
    long = _long(rows)
    stats = cohort_stats(long.iloc[0:0], long=long).set_index("indicator")
    for indicator in set(long["indicator"]):
        values = [v for _, i, v, _ in rows if i == indicator]
        verdicts = [p for _, i, _, p in rows if i == indicator and p is not None]
        row = stats.loc[indicator]
        assert row["n"] == len(values)
        assert row["mean"] == pytest.approx(statistics.fmean(values))
        assert row["median"] == pytest.approx(statistics.median(values))
        assert row["n_judged"] == len(verdicts) and row["n_passed"] == sum(verdicts)


@settings(max_examples=40, deadline=None)
@given(ROWS)
def test_group_all_passed_against_a_loop(rows: list[tuple[str, str, float, bool | None]]) -> None:
    long = _long(rows)
    fast = group_all_passed(long, ["candidate_id"])
    for cand in set(long["candidate_id"]):
        judged = [p for c, _, _, p in rows if c == cand and p is not None]
        expected = None if not judged else all(judged)
        assert fast[cand] is expected
    rates = competence_pass_rates(long)
    judged_cands = {c for c, _, _, p in rows if p is not None}
    if judged_cands:
        met = sum(all(p for c2, _, _, p in rows if c2 == c and p is not None) for c in judged_cands)
        assert rates.iloc[0]["n_judged"] == len(judged_cands) and rates.iloc[0]["n_passed"] == met


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=25), st.booleans())
def test_percentile_ranks_against_scipy(values: list[float], lower_is_better: bool) -> None:
    indicator = "msd_error_rate" if lower_is_better else "net_wpm"
    summary = pd.DataFrame({"candidate_id": [f"c{i}" for i in range(len(values))], "task": "copy-typing",
                            "indicator": indicator, "value": values})  # fmt: skip
    ranked = percentile_ranks(summary)
    sign = -1 if lower_is_better else 1
    for v, p in zip(values, ranked["percentile"], strict=True):
        assert p == pytest.approx(percentileofscore([sign * x for x in values], sign * v, kind="mean"))
        # the direction: a better value never has a lower percentile
    better = min(values) if lower_is_better else max(values)
    assert ranked.loc[ranked["value"] == better, "percentile"].max() == ranked["percentile"].max()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", "d", "e"]), st.sampled_from(["qualification", "centre"]),
                          VERDICT, st.integers(0, 100).map(float)), min_size=1, max_size=20))  # fmt: skip
def test_ranking_against_a_sort_key(rows: list[tuple[str, str, bool | None, float]]) -> None:
    comparison = pd.DataFrame(rows, columns=["candidate_id", "source", "passed", "percentile"])
    comparison["passed"] = comparison["passed"].astype(object).where(comparison["passed"].notna(), None)
    ranking = rank_applicants(comparison)

    def key(cand: str) -> tuple[int, int, float, str]:
        mine = [r for r in rows if r[0] == cand and r[2] is not None]
        qual = sum(bool(r[2]) for r in mine if r[1] == "qualification")
        total = sum(bool(r[2]) for r in mine)
        deciding = [r[3] for r in mine if r[1] == "qualification"]  # the tie-break uses deciding indicators only
        pct = statistics.fmean(deciding) if deciding else -1.0
        return (-qual, -total, -pct, cand)

    assert list(ranking["candidate_id"]) == sorted({r[0] for r in rows}, key=key)
