"""Cohort statistics, verdicts at the boundary, percentile ranks, multitask figures, progress.

Expected numbers are computed by hand in ``tests/data/analysis_README.md`` (quoted beside
each assertion) or independently with Python's ``statistics`` module and scipy.
"""

from __future__ import annotations

import math
import statistics
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import percentileofscore

from typingtest.analysis.compare import compare_applicants, rank_applicants, side_by_side
from typingtest.analysis.frame import (
    filter_attempts,
    indicator_frame,
    read_attempts_csv,
    validate_attempts,
    write_attempts_csv,
)
from typingtest.analysis.multitask import multitask_figures
from typingtest.analysis.progress import missed_fields, progress_frame, weakest_keys
from typingtest.analysis.stats import (
    PERCENTILE_KIND,
    candidate_summary,
    cohort_stats,
    competence_pass_rates,
    competence_verdicts,
    percentile_ranks,
)
from typingtest.config import load_thresholds
from typingtest.engine.verdicts import verdict
from typingtest.errors import UserError

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def attempts() -> pd.DataFrame:
    return read_attempts_csv(DATA / "analysis_cohort.csv")


@pytest.fixture(scope="module")
def cohort_a(attempts: pd.DataFrame) -> pd.DataFrame:
    return filter_attempts(attempts, cohort="2026-A")


@pytest.fixture(scope="module")
def overrides() -> pd.DataFrame:
    return pd.read_csv(DATA / "analysis_overrides.csv")


def _stat(stats: pd.DataFrame, task: str, indicator: str) -> pd.Series:
    row = stats[(stats["task"] == task) & (stats["indicator"] == indicator)]
    assert len(row) == 1
    return row.iloc[0]


def test_filters_leave_practice_and_other_cohorts_out(attempts: pd.DataFrame) -> None:
    assert len(attempts) == 19  # README: 19 rows
    a = filter_attempts(attempts, cohort="2026-A")
    assert len(a) == 15  # README: 2026-A without practice
    assert not a["practice"].any()
    assert len(filter_attempts(attempts, cohort="2026-A", include_practice=True)) == 16
    assert set(filter_attempts(attempts, cohort="2026-B")["candidate_id"]) == {"c06"}
    # dates: c01, c02 on 2 Nov, c03, c04 on 3 Nov, c05 on 4 Nov, c06 on 20 Nov; until is exclusive
    assert set(filter_attempts(attempts, since="2026-11-03", until="2026-11-04")["candidate_id"]) == {"c03", "c04"}
    assert filter_attempts(attempts, battery="quick").empty
    assert len(filter_attempts(attempts, language="nl")) == 18
    with pytest.raises(UserError, match="not a date"):
        filter_attempts(attempts, since="last tuesday")


def test_net_wpm_statistics_equal_hand_computed_values(cohort_a: pd.DataFrame) -> None:
    row = _stat(cohort_stats(cohort_a), "copy-typing", "net_wpm")
    assert row["n"] == 5
    assert row["mean"] == pytest.approx(37.2)  # 186 / 5
    assert row["sd"] == pytest.approx(math.sqrt(78.7))  # 314.8 / 4
    assert row["median"] == pytest.approx(35.0)
    assert row["q1"] == pytest.approx(31.0)  # type-7 position 1
    assert row["q3"] == pytest.approx(42.0)  # type-7 position 3
    assert (row["n_judged"], row["n_passed"], row["pass_rate"]) == (5, 4, pytest.approx(0.8))
    assert row["threshold"] == 30.0 and row["comparison"] == ">=" and row["source"] == "centre"
    msd = _stat(cohort_stats(cohort_a), "copy-typing", "msd_error_rate")
    assert msd["mean"] == pytest.approx(0.01802) and msd["median"] == pytest.approx(0.02)
    assert (msd["n_passed"], msd["n_judged"], msd["source"]) == (4, 5, "qualification")


def test_every_statistic_equals_the_statistics_module(cohort_a: pd.DataFrame) -> None:
    """Independent check: Python's statistics module (quantiles method 'inclusive' = type 7)."""
    stats = cohort_stats(cohort_a)
    long = indicator_frame(cohort_a).drop_duplicates(["attempt_id", "indicator"])
    assert len(stats) == len(long.groupby(["task", "indicator"]))
    for rec in stats.to_dict("records"):
        values = long[(long["task"] == rec["task"]) & (long["indicator"] == rec["indicator"])]["value"].tolist()
        assert rec["n"] == len(values)
        assert rec["mean"] == pytest.approx(statistics.fmean(values))
        assert rec["median"] == pytest.approx(statistics.median(values))
        if len(values) > 1:
            assert rec["sd"] == pytest.approx(statistics.stdev(values))
            q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
            assert rec["q1"] == pytest.approx(q1) and rec["q3"] == pytest.approx(q3)


def test_practice_attempt_does_not_move_any_figure(attempts: pd.DataFrame, cohort_a: pd.DataFrame) -> None:
    with_practice = filter_attempts(attempts, cohort="2026-A", include_practice=True)
    assert _stat(cohort_stats(with_practice), "copy-typing", "net_wpm")["n"] == 6
    assert _stat(cohort_stats(cohort_a), "copy-typing", "net_wpm")["mean"] == pytest.approx(37.2)


def test_verdicts_exactly_at_the_boundary(cohort_a: pd.DataFrame) -> None:
    long = indicator_frame(cohort_a)
    msd = long[(long["indicator"] == "msd_error_rate") & long["threshold"].notna()].set_index("candidate_id")
    assert msd.loc["c02", "value"] == 0.03 and msd.loc["c02", "passed"] is True  # 0.03 passes
    assert msd.loc["c03", "value"] == 0.0301 and msd.loc["c03", "passed"] is False  # 0.0301 fails
    # the stored verdicts agree with the engine's verdict function on the thresholds in force
    th = load_thresholds()
    for rec in long[long["threshold"].notna()].to_dict("records"):
        assert verdict(rec["indicator"], rec["value"], th).passed is rec["passed_stored"], rec
    # judged again against the thresholds (the same values): identical
    again = indicator_frame(cohort_a, thresholds=th)
    assert list(again["passed"]) == list(long["passed"])


def test_rejudging_with_a_centre_threshold(cohort_a: pd.DataFrame) -> None:
    """A centre that raises the speed threshold to 36 WPM: verdicts come from the engine's function."""
    th = dict(load_thresholds())
    from dataclasses import replace

    th["net_wpm"] = replace(th["net_wpm"], limit=36.0)
    row = _stat(cohort_stats(cohort_a, thresholds=th), "copy-typing", "net_wpm")
    assert (row["threshold"], row["n_passed"]) == (36.0, 2)  # 42 and 50 only


def test_competence_pass_rates(cohort_a: pd.DataFrame, overrides: pd.DataFrame) -> None:
    rates = competence_pass_rates(indicator_frame(cohort_a)).set_index("competence")
    # README: 4/5, 3/5, 3/5, 4/5
    assert rates.loc["D140801 Id17267", ["n_passed", "n_judged"]].tolist() == [4, 5]
    assert rates.loc["co 01670", ["n_passed", "n_judged"]].tolist() == [3, 5]
    assert rates.loc["co 01669", ["n_passed", "n_judged"]].tolist() == [3, 5]
    assert rates.loc["D140801 Id17425", ["n_passed", "n_judged"]].tolist() == [4, 5]
    assert rates.loc["D140801 Id17267", "source"] == "qualification"
    assert rates.loc["co 01669", "source"] == "centre"
    ov = competence_verdicts(indicator_frame(cohort_a, overrides=overrides)).set_index(["candidate_id", "competence"])
    assert ov.loc[("c03", "D140801 Id17267"), "passed"] is False  # net WPM 28 still fails
    assert bool(ov.loc[("c03", "D140801 Id17267"), "overridden"])


def test_override_is_applied_and_shown(cohort_a: pd.DataFrame, overrides: pd.DataFrame) -> None:
    long = indicator_frame(cohort_a, overrides=overrides)
    row = long[(long["attempt_id"] == "a-c03-3-copy") & (long["indicator"] == "msd_error_rate")].iloc[0]
    assert row["passed_stored"] is False and row["passed"] is True and row["overridden"]
    assert "sticking key" in row["override_reason"] and row["override_assessor"] == "A. Peeters"
    assert long["overridden"].sum() == 1
    assert _stat(cohort_stats(cohort_a, overrides=overrides), "copy-typing", "msd_error_rate")["n_passed"] == 5


def test_percentile_ranks_equal_scipy(cohort_a: pd.DataFrame) -> None:
    ranked = percentile_ranks(candidate_summary(cohort_a))
    assert PERCENTILE_KIND == "mean"
    by = ranked.set_index(["candidate_id", "task", "indicator"])["percentile"]
    assert by[("c01", "copy-typing", "net_wpm")] == pytest.approx(70.0)  # README: (3 + 0.5) / 5
    assert by[("c03", "copy-typing", "msd_error_rate")] == pytest.approx(10.0)  # worst: 0.5 / 5
    assert by[("c04", "copy-typing", "msd_error_rate")] == pytest.approx(90.0)  # best: 4.5 / 5
    lower_better = {"msd_error_rate", "uncorrected_error_rate", "total_error_rate", "corrected_error_rate",
                    "field_error_rate", "kspc", "pickup_time_s", "record_find_time_s", "call_handling_time_s"}
    for (task, indicator), g in ranked.groupby(["task", "indicator"]):
        values = g["value"].to_numpy(float)
        sign = -1.0 if indicator in lower_better else 1.0
        for v, p in zip(values, g["percentile"], strict=True):
            assert p == pytest.approx(percentileofscore(sign * values, sign * v, kind="mean")), (task, indicator)


def test_percentile_against_a_norm_group(attempts: pd.DataFrame, cohort_a: pd.DataFrame) -> None:
    norm = candidate_summary(filter_attempts(attempts, cohort="2026-A"))
    c06 = candidate_summary(filter_attempts(attempts, cohort="2026-B"))
    ranked = percentile_ranks(c06, norm=norm).set_index(["task", "indicator"])["percentile"]
    # c06 net WPM 25 is below all five of 2026-A: 0; its MSD ER 0.05 worse than all: 0
    assert ranked[("copy-typing", "net_wpm")] == 0.0
    assert ranked[("copy-typing", "msd_error_rate")] == 0.0
    ref = norm[(norm["task"] == "call") & (norm["indicator"] == "pickup_time_s")]["value"].to_numpy(float)
    assert ranked[("call", "pickup_time_s")] == pytest.approx(percentileofscore(-ref, -20.0, kind="mean"))


def test_multitask_figures(cohort_a: pd.DataFrame) -> None:
    mt = multitask_figures(cohort_a).set_index("candidate_id")
    assert mt.loc["c01", "speed_cost"] == pytest.approx(1 - 36 / 42)  # README: 0.142857
    assert mt.loc["c01", "error_cost"] == pytest.approx(0.01)
    assert mt.loc["c02", "pickup_time_s"] == 13.0 and mt.loc["c03", "record_find_time_s"] == 35.0
    assert mt.loc["c04", "call_handling_time_s"] == 250.0 and mt.loc["c05", "action_score"] == 0.85


def test_multitask_uses_action_latency_when_metrics_lack_it(cohort_a: pd.DataFrame) -> None:
    data = cohort_a.copy()
    data["metrics"] = [
        {k: v for k, v in m.items() if k != "pickup_time_s"} for m in data["metrics"]
    ]
    data["verdicts"] = [[v for v in vs if v["indicator"] != "pickup_time_s"] for vs in data["verdicts"]]
    mt = multitask_figures(data).set_index("candidate_id")
    assert mt.loc["c02", "pickup_time_s"] == 13.0  # the scored "pickup" action's latency_s


def test_compare_and_rank(cohort_a: pd.DataFrame, overrides: pd.DataFrame) -> None:
    comparison, ranking, _ = compare_applicants(cohort_a, ["c03", "c02", "c01"], reference=cohort_a)
    assert list(ranking["candidate_id"]) == ["c01", "c02", "c03"]  # README
    assert ranking.set_index("candidate_id").loc["c03", "qualification_passed"] == 1
    assert set(comparison["indicator"]) == {"msd_error_rate", "net_wpm", "field_error_rate", "field_completeness",
                                            "pickup_time_s", "record_find_time_s", "call_handling_time_s",
                                            "action_score"}  # fmt: skip
    table = side_by_side(comparison, "en")
    assert list(table.columns) == ["c03", "c02", "c01"]
    assert table.loc[("D140801 Id17267", "copy typing: MSD error rate"), "c03"].startswith("3.01 %  ✗")
    comparison, ranking, _ = compare_applicants(cohort_a, ["c03", "c02"], reference=cohort_a, overrides=overrides)
    assert "✓*" in side_by_side(comparison, "nl").loc[("D140801 Id17267", "overtypen: MSD-foutpercentage"), "c03"]
    with pytest.raises(UserError, match="c99"):
        compare_applicants(cohort_a, ["c01", "c99"])


def test_ranking_tie_breaks() -> None:
    """Rule 3 (mean percentile) and rule 4 (id) decide between equal counts."""
    rows = []
    for cand, pct in (("b", 40.0), ("a", 40.0), ("c", 90.0)):
        rows.append({"candidate_id": cand, "source": "qualification", "passed": True, "percentile": pct})
    ranking = rank_applicants(pd.DataFrame(rows))
    assert list(ranking["candidate_id"]) == ["c", "a", "b"]
    assert list(ranking["rank"]) == [1, 2, 3]


def test_progress_weakest_keys_missed_fields(cohort_a: pd.DataFrame) -> None:
    trainee = read_attempts_csv(DATA / "analysis_trainee.csv")
    prog = progress_frame(trainee)
    net = prog[(prog["task"] == "copy-typing") & (prog["indicator"] == "net_wpm")]
    assert list(net["session_number"]) == [1, 2, 3, 4]
    assert list(net["value"]) == [24.0, 27.5, 31.0, 34.0]
    assert list(net["passed"]) == [False, False, True, True]
    keys = weakest_keys(trainee)
    assert list(zip(keys["intended"], keys["weight"], strict=True)) == [("a", 8.0), ("é", 6.0), ("m", 4.0),
                                                                         ("s", 2.0)]  # fmt: skip
    assert keys.iloc[0]["most_typed_instead"] == "q"
    missed = missed_fields(cohort_a)
    assert missed.iloc[0]["field"] == "email" and missed.iloc[0]["missed_share"] == pytest.approx(0.6)
    phone = missed.set_index("field").loc["phone"]
    assert (phone["n_empty"], phone["n_wrong"]) == (1, 0)


def test_csv_round_trip(tmp_path: Path, cohort_a: pd.DataFrame) -> None:
    path = write_attempts_csv(cohort_a, tmp_path / "a.csv")
    again = read_attempts_csv(path)
    assert again["verdicts"].tolist() == cohort_a["verdicts"].tolist()
    assert np.allclose(again["net_wpm"].fillna(-1), cohort_a["net_wpm"].fillna(-1))


def test_missing_column_is_a_user_error(cohort_a: pd.DataFrame) -> None:
    with pytest.raises(UserError, match="verdicts: column missing"):
        validate_attempts(cohort_a.drop(columns=["verdicts"]), "x.csv")


def test_empty_frame_gives_empty_tables(cohort_a: pd.DataFrame) -> None:
    empty = cohort_a.iloc[0:0]
    assert cohort_stats(empty).empty
    assert candidate_summary(empty).empty
    assert competence_pass_rates(indicator_frame(empty)).empty


def test_missed_fields_from_the_engines_form_score_and_call_actions() -> None:
    """The shapes the workstation stores: ``metrics["form"]`` for data entry, ``field`` actions for a call."""
    data = pd.DataFrame({
        "metrics": [{"form": {"fields": [{"name": "email", "filled": True, "correct": False},
                                         {"name": "phone", "filled": False, "correct": False}]}},
                    {"form": {"fields": [{"name": "email", "filled": True, "correct": True}]}}, {}],
        "actions": [[], None, [{"id": "enter-order", "action": "field", "done": True, "correct": False},
                               {"id": "reply", "action": "chat-reply", "field": "chat-1", "done": False},
                               {"id": "pick", "action": "pickup", "done": True, "correct": True}]],
    })  # fmt: skip
    missed = missed_fields(data).set_index("field")
    assert set(missed.index) == {"email", "phone", "enter-order"}  # a chat reply is no data field
    assert missed.loc["email", ["n_attempts", "n_wrong", "missed_share"]].tolist() == [2, 1, 0.5]
    assert missed.loc["phone", "n_empty"] == 1
