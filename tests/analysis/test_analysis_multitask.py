"""Dual-task speed cost: burst WPM basis, the net WPM fallback, and engine figures end to end.

Expected numbers are computed by hand in ``tests/data/analysis_README.md`` ("Dual-task speed
cost"), quoted beside each assertion.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from typingtest.analysis.frame import filter_attempts, read_attempts_csv
from typingtest.analysis.multitask import MULTITASK_COLUMNS, multitask_figures
from typingtest.engine.events import EventKind as K
from typingtest.engine.events import make_log
from typingtest.engine.load import burst_wpm, typing_speed_under_load

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def cohort_a() -> pd.DataFrame:
    return filter_attempts(read_attempts_csv(DATA / "analysis_cohort.csv"), cohort="2026-A")


def test_speed_cost_from_burst_wpm(cohort_a: pd.DataFrame) -> None:
    mt = multitask_figures(cohort_a).set_index("candidate_id")
    assert list(mt.reset_index().columns) == list(MULTITASK_COLUMNS)
    # c02: load WPM mean(30, 34) = 32 against burst 40 -> 1 - 32 / 40 = 0.2; free mean(36, 38) = 37
    assert mt.loc["c02", "load_wpm"] == pytest.approx(32.0)
    assert mt.loc["c02", "free_wpm"] == pytest.approx(37.0)
    assert mt.loc["c02", "baseline_burst_wpm"] == pytest.approx(40.0)
    assert mt.loc["c02", "speed_cost"] == pytest.approx(0.2)
    assert mt.loc["c02", "speed_cost_basis"] == "burst"
    # c04: the call's load_wpm is None (too few intervals): left out -> 1 - 45 / 60 = 0.25
    assert mt.loc["c04", "load_wpm"] == pytest.approx(45.0)
    assert mt.loc["c04", "speed_cost"] == pytest.approx(0.25)


def test_speed_cost_falls_back_on_net_wpm_never_mixing_bases(cohort_a: pd.DataFrame) -> None:
    mt = multitask_figures(cohort_a).set_index("candidate_id")
    # c01: no burst or load WPM at all -> net WPM: 1 - 36 / 42 = 0.142857
    assert mt.loc["c01", "speed_cost"] == pytest.approx(1 - 36 / 42)
    assert mt.loc["c01", "speed_cost_basis"] == "net"
    assert math.isnan(mt.loc["c01", "load_wpm"]) and math.isnan(mt.loc["c01", "baseline_burst_wpm"])
    # c05: a burst baseline (36) but no load WPM -> net: 1 - 27.9 / 31 = 0.1, not 1 - 27.9 / 36
    assert mt.loc["c05", "speed_cost"] == pytest.approx(0.1)
    assert mt.loc["c05", "speed_cost_basis"] == "net"


def test_old_attempts_without_any_speed_keys(cohort_a: pd.DataFrame) -> None:
    data = cohort_a.copy()
    drop = {"burst_wpm", "load_wpm", "free_wpm", "load_net_wpm"}
    data["metrics"] = [{k: v for k, v in m.items() if k not in drop} for m in data["metrics"]]
    mt = multitask_figures(data).set_index("candidate_id")
    assert mt.loc["c02", "speed_cost"] == pytest.approx(1 - 30 / 35)  # entry net 30, copy net 35
    assert mt["speed_cost_basis"].eq("net").all()
    assert mt["load_wpm"].isna().all() and mt["free_wpm"].isna().all()


def test_no_speed_at_all_gives_nan_and_no_basis(cohort_a: pd.DataFrame) -> None:
    data = cohort_a[cohort_a["task"] != "copy-typing"]
    mt = multitask_figures(data).set_index("candidate_id")
    assert mt["speed_cost"].isna().all()
    assert mt["speed_cost_basis"].isna().all()


def _typing(times: list[float], target: str) -> list[dict]:
    return [{"t": t, "kind": K.TEXT, "text": "a", "target": target} for t in times]


def test_engine_figures_end_to_end(cohort_a: pd.DataFrame) -> None:
    """Logs -> engine.load -> metrics -> speed cost, for c03 (who has no stored speed keys)."""
    copy_log = make_log(_typing([0.2 * i for i in range(60)], "answer"))  # 59 intervals of 0.2 s: 60 WPM
    entry = _typing([10.0 + 0.25 * i for i in range(21)], "name")  # under a caller line: 0.25 s -> 48 WPM
    entry += _typing([20.0 + 0.2 * i for i in range(21)], "email")  # no line: 0.2 s -> 60 WPM
    entry += [{"t": 9.5, "kind": K.AUDIO_ONSET, "text": "l1", "target": "line"},
              {"t": 15.5, "kind": K.AUDIO_OFFSET, "text": "l1", "target": "line"}]
    entry_log = make_log(sorted(entry, key=lambda r: r["t"]))
    data = cohort_a.copy()
    metrics = []
    for cand, task, m in zip(data["candidate_id"], data["task"], data["metrics"], strict=True):
        m = dict(m)
        if cand == "c03" and task == "copy-typing":
            m["burst_wpm"] = burst_wpm(copy_log)
        elif cand == "c03" and task == "data-entry":
            m.update(typing_speed_under_load(entry_log))
        metrics.append(m)
    data["metrics"] = metrics
    mt = multitask_figures(data).set_index("candidate_id")
    assert mt.loc["c03", "baseline_burst_wpm"] == pytest.approx(60.0)  # 12 / 0.2
    assert mt.loc["c03", "load_wpm"] == pytest.approx(48.0)  # 12 / 0.25
    assert mt.loc["c03", "free_wpm"] == pytest.approx(60.0)
    assert mt.loc["c03", "speed_cost"] == pytest.approx(0.2)  # 1 - 48 / 60
    assert mt.loc["c03", "speed_cost_basis"] == "burst"
