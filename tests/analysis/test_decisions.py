"""One overall decision per candidate and battery; the value a verdict rule used (issue 16, items 3 and 5).

Every expected decision below is worked out by hand from the rule in
``typingtest/analysis/decisions.py`` (fail, then insufficient, then borderline, then pass,
on the qualification's verdicts after overrides); the verdicts are written out here, not
produced by the code under test.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from typingtest.analysis.decisions import (
    attempt_decisions,
    combine_decisions,
    decided_summary,
    decision_counts,
    overall_decisions,
)
from typingtest.analysis.frame import ATTEMPT_COLUMNS, indicator_frame, validate_attempts, verdict_decision
from typingtest.analysis.report import build_cohort_report, write_html

QUAL = {"source": "qualification", "competence": "D140801 Id17267"}
CENTRE = {"source": "centre", "competence": "D140801 Id17267"}


def _v(indicator: str, value: float, threshold: float, comparison: str, passed: bool | None,
       rule: dict[str, str] = QUAL, **extra: Any) -> dict[str, Any]:  # fmt: skip
    return {"indicator": indicator, "value": value, "threshold": threshold, "comparison": comparison,
            "passed": passed, **rule, **extra}  # fmt: skip


def _attempt(cand: str, aid: str, task: str, verdicts: list[dict[str, Any]], battery: str = "quick",
             day: int = 2, **values: float) -> dict[str, Any]:  # fmt: skip
    rec: dict[str, Any] = {c: None for c in ATTEMPT_COLUMNS}
    rec.update(candidate_id=cand, cohort="2026-D", session_id=f"s-{cand}-{battery}", attempt_id=aid,
               battery=battery, language="nl", task=task, item=f"nl-{task}-01", practice=False,
               started_at=f"2026-11-{day:02d}T09:00:00+00:00", ended_at=f"2026-11-{day:02d}T09:05:00+00:00",
               state="complete", verified=True, metrics={}, verdicts=verdicts, actions=[])  # fmt: skip
    rec.update(values)
    return rec


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return validate_attempts(pd.DataFrame(rows, columns=list(ATTEMPT_COLUMNS)))


def _override(aid: str, indicator: str, passed: bool, at: str = "2026-11-05T10:00:00+00:00") -> dict[str, Any]:
    return {"attempt_id": aid, "indicator": indicator, "passed": passed, "reason": "checked the log",
            "assessor": "A. Peeters", "at": at}  # fmt: skip


@pytest.mark.parametrize(
    ("decisions", "expected"),
    [
        ([], "not-judged"),
        (["pass", "pass"], "pass"),
        (["pass", "borderline"], "borderline"),
        (["borderline", "insufficient"], "insufficient"),  # one figure not measured well enough
        (["pass", "not-judged"], "insufficient"),  # an undefined deciding value
        (["insufficient", "fail", "borderline"], "fail"),  # a threshold clearly not met decides
    ],
)
def test_the_rule(decisions: list[str], expected: str) -> None:
    assert combine_decisions(decisions) == expected


def test_verdict_decision_falls_back_on_passed_for_old_attempts() -> None:
    old = {"indicator": "msd_error_rate", "passed": True}
    assert verdict_decision(old) == "pass"
    assert verdict_decision({**old, "passed": False}) == "fail"
    assert verdict_decision({**old, "passed": None}) == "not-judged"
    assert verdict_decision({**old, "decision": "borderline"}) == "borderline"
    assert verdict_decision({**old, "decision": "nonsense"}) == "pass"  # an unknown word is not trusted
    assert verdict_decision({**old, "decision": "insufficient"}, passed=False) == "fail"  # an override decides


def _cohort() -> pd.DataFrame:
    rows = [
        # a: every qualification threshold met; the centre's speed fails (it does not decide)
        _attempt("a", "a-copy", "copy-typing", [_v("msd_error_rate", 0.01, 0.03, "<=", True),
                                                 _v("net_wpm", 25.0, 30.0, ">=", False, CENTRE)],
                 net_wpm=25.0, msd_error_rate=0.01),
        # b: 2.9 % with an interval holding 3 %: borderline
        _attempt("b", "b-copy", "copy-typing", [_v("msd_error_rate", 0.029, 0.03, "<=", True, decision="borderline",
                                                   chars_judged=800, ci_low=0.018, ci_high=0.045)],
                 msd_error_rate=0.029),
        # c: borderline copy typing and too few characters in transcription: insufficient
        _attempt("c", "c-copy", "copy-typing", [_v("msd_error_rate", 0.031, 0.03, "<=", False, decision="borderline",
                                                   chars_judged=900, ci_low=0.02, ci_high=0.044)],
                 msd_error_rate=0.031),
        _attempt("c", "c-tran", "transcription", [_v("msd_error_rate", 0.0, 0.03, "<=", True,
                                                     decision="insufficient", chars_judged=120)],
                 msd_error_rate=0.0),
        # d: insufficient copy typing, a clearly failed completeness: fail
        _attempt("d", "d-copy", "copy-typing", [_v("msd_error_rate", 0.02, 0.03, "<=", True,
                                                   decision="insufficient", chars_judged=100)],
                 msd_error_rate=0.02),
        _attempt("d", "d-entry", "data-entry", [_v("field_completeness", 0.8, 1.0, ">=", False)]),
        # e: two batteries, one passed, one failed (an old attempt: no decision key)
        _attempt("e", "e-copy-q", "copy-typing", [_v("msd_error_rate", 0.01, 0.03, "<=", True)],
                 msd_error_rate=0.01),
        _attempt("e", "e-copy-f", "copy-typing", [_v("msd_error_rate", 0.05, 0.03, "<=", False)], battery="full",
                 day=9, msd_error_rate=0.05),
        # f: only centre verdicts: nothing decides
        _attempt("f", "f-call", "call", [_v("pickup_time_s", 5.0, 12.0, "<=", True, CENTRE)]),
    ]
    return _frame(rows)


def test_overall_decision_per_candidate_and_battery() -> None:
    long = indicator_frame(_cohort())
    got = overall_decisions(long).set_index(["candidate_id", "battery"])["overall_decision"].to_dict()
    assert got == {("a", "quick"): "pass", ("b", "quick"): "borderline", ("c", "quick"): "insufficient",
                   ("d", "quick"): "fail", ("e", "full"): "fail", ("e", "quick"): "pass",
                   ("f", "quick"): "not-judged"}  # fmt: skip
    per_candidate = overall_decisions(long, ("candidate_id",)).set_index("candidate_id")
    assert per_candidate.loc["e", "overall_decision"] == "fail"  # every battery's thresholds, every attempt
    assert per_candidate.loc["c", ["n_deciding", "n_borderline", "n_insufficient"]].tolist() == [2, 1, 1]
    counts = decision_counts(per_candidate.reset_index())
    assert counts.to_dict("list") == {"decision": ["pass", "fail", "borderline", "insufficient", "not-judged"],
                                      "n": [1, 2, 1, 1, 1]}  # fmt: skip
    assert attempt_decisions(long).to_dict() == {
        "a-copy": "pass", "b-copy": "borderline", "c-copy": "borderline", "c-tran": "insufficient",
        "d-copy": "insufficient", "d-entry": "fail", "e-copy-f": "fail", "e-copy-q": "pass", "f-call": "not-judged",
    }  # fmt: skip


def test_overrides_replace_the_decision() -> None:
    overrides = pd.DataFrame([
        _override("b-copy", "msd_error_rate", True),  # the recruiter settles the borderline: pass
        _override("c-tran", "msd_error_rate", False, at="2026-11-05T09:00:00+00:00"),
        _override("c-tran", "msd_error_rate", True, at="2026-11-05T11:00:00+00:00"),  # the latest wins
        _override("a-copy", "msd_error_rate", False),
    ])  # fmt: skip
    long = indicator_frame(_cohort(), overrides=overrides)
    got = overall_decisions(long).set_index(["candidate_id", "battery"])
    assert got.loc[("b", "quick"), "overall_decision"] == "pass"
    assert got.loc[("c", "quick"), "overall_decision"] == "borderline"  # c-copy is still borderline
    assert got.loc[("a", "quick"), "overall_decision"] == "fail"
    assert got.loc[("a", "quick"), "overridden"] and not got.loc[("d", "quick"), "overridden"]
    row = long[(long["attempt_id"] == "b-copy") & (long["indicator"] == "msd_error_rate")].iloc[0]
    assert (row["decision_stored"], row["decision"], row["chars_judged"], row["ci_high"]) == ("borderline", "pass",
                                                                                             800.0, 0.045)


def test_rejudged_decisions_use_the_stored_interval() -> None:
    """A centre judging again at 4 %: b's interval 1.8-4.5 % holds 4 %, a's 1 % has no interval."""
    from typingtest.engine.verdicts import Threshold

    rule = {"msd_error_rate": Threshold("msd_error_rate", 0.04, "<=", "qualification", "", ("D140801 Id17267",))}
    long = indicator_frame(_cohort(), thresholds=rule)
    msd = long[long["indicator"] == "msd_error_rate"].drop_duplicates("attempt_id").set_index("attempt_id")
    assert msd.loc["b-copy", "decision"] == "borderline"
    assert msd.loc["c-copy", "decision"] == "borderline"  # 3.1 % passes 4 %, but 2.0-4.4 % holds it
    assert msd.loc["c-tran", "decision"] == "insufficient"  # 120 characters stay too few
    assert msd.loc["e-copy-f", "decision"] == "fail"  # 5 % > 4 %, no interval stored


def _retaken() -> pd.DataFrame:
    """A candidate with two attempts of each task: one fails each rule while the mean would pass."""
    rows = [
        _attempt("r", "r-copy-1", "copy-typing", [_v("msd_error_rate", 0.020, 0.03, "<=", True),
                                                   _v("net_wpm", 35.0, 30.0, ">=", True, CENTRE)],
                 msd_error_rate=0.020, net_wpm=35.0),
        _attempt("r", "r-copy-2", "copy-typing", [_v("msd_error_rate", 0.035, 0.03, "<=", False),
                                                   _v("net_wpm", 28.0, 30.0, ">=", False, CENTRE)],
                 msd_error_rate=0.035, net_wpm=28.0, day=3),
        _attempt("r", "r-call-1", "call", [_v("action_score", 1.0, 0.8, ">=", True, CENTRE)]),
        _attempt("r", "r-call-2", "call", [_v("action_score", 0.78, 0.8, ">=", False, CENTRE)], day=3),
        _attempt("s", "s-copy-1", "copy-typing", [_v("msd_error_rate", 0.010, 0.03, "<=", True),
                                                   _v("net_wpm", 40.0, 30.0, ">=", True, CENTRE)],
                 msd_error_rate=0.010, net_wpm=40.0, gross_wpm=44.0),
        _attempt("s", "s-copy-2", "copy-typing", [_v("msd_error_rate", 0.025, 0.03, "<=", True),
                                                   _v("net_wpm", 32.0, 30.0, ">=", True, CENTRE)],
                 msd_error_rate=0.025, net_wpm=32.0, gross_wpm=40.0, day=3),
    ]
    for r in rows:
        r["metrics"] = {"action_score": r["verdicts"][0]["value"]} if r["task"] == "call" else {}
    return _frame(rows)


def test_the_value_shown_is_the_one_the_verdict_used() -> None:
    data = _retaken()
    summary = decided_summary(data, indicator_frame(data)).set_index(["candidate_id", "task", "indicator"])
    # means would be 2.75 % (passes 3 %), 31.5 WPM (passes 30) and 89 % (passes 80 %) beside a fail
    assert summary.loc[("r", "copy-typing", "msd_error_rate"), ["value", "passed", "value_basis", "n_attempts"]
                       ].tolist() == [0.035, False, "worst", 2]  # fmt: skip
    assert summary.loc[("r", "copy-typing", "net_wpm"), "value"] == 28.0
    assert summary.loc[("r", "call", "action_score"), ["value", "value_attempt_id"]].tolist() == [0.78, "r-call-2"]
    # both passed: the one nearest the threshold (2.5 %, 32 WPM), still not the mean
    assert summary.loc[("s", "copy-typing", "msd_error_rate"), "value"] == 0.025
    assert summary.loc[("s", "copy-typing", "net_wpm"), "value"] == 32.0
    # no verdict on it: the mean of the attempts, said so
    assert summary.loc[("s", "copy-typing", "gross_wpm"), ["value", "value_basis"]].tolist() == [42.0, "mean"]


def test_an_override_of_the_worst_attempt_shows_the_attempt_that_now_decides() -> None:
    data = _retaken()
    overrides = pd.DataFrame([_override("r-copy-2", "msd_error_rate", True)])
    summary = decided_summary(data, indicator_frame(data, overrides=overrides))
    row = summary.set_index(["candidate_id", "task", "indicator"]).loc[("r", "copy-typing", "msd_error_rate")]
    # every attempt now passes: the worst value (3.5 %, overridden) with the override's reason, time and assessor
    assert (row["value"], row["passed"], row["passed_stored"], row["overridden"]) == (0.035, True, False, True)
    assert (row["override_reason"], row["override_by"], row["override_at"]) == (
        "checked the log", "A. Peeters", "2026-11-05T10:00:00+00:00")


def test_report_shows_the_deciding_value_and_the_decision_first(tmp_path: Path) -> None:
    report = build_cohort_report(_retaken(), cohort="2026-D", lang="nl", charts=False)
    a = report.applicants.set_index("candidate_id")
    assert list(report.applicants.columns[:3]) == ["rank", "candidate_id", "overall_decision"]
    assert a.loc["r", "overall_decision"] == "fail" and a.loc["s", "overall_decision"] == "pass"
    assert a.loc["r", "copy-typing:msd_error_rate"] == 0.035
    assert a.loc["r", "copy-typing:msd_error_rate:value_basis"] == "worst"
    assert a.loc["r", "call:action_score"] == 0.78
    assert report.decision_counts.to_dict("list") == {"decision": ["pass", "fail", "borderline", "insufficient"],
                                                      "n": [1, 1, 0, 0]}  # fmt: skip
    text = write_html(report, tmp_path / "r.html").read_text(encoding="utf-8")
    # the verdict's value with how it was chosen (decimal point or comma: the layout's choice)
    assert re.search(r"3[.,]50 % ✗</span> \(slechtste van 2 pogingen\)", text)
    assert re.search(r">78 % ✗</span> \(slechtste van 2 pogingen\)", text)
    assert "geslaagd: 1 · niet geslaagd: 1 · grensgeval (hertest aanbevolen): 0" in text
    assert text.index('id="decision-counts"') < text.index('id="applicants"')
    assert '<td class="t fail" data-decision="fail">niet geslaagd</td>' in text
