"""Percentiles against a named reference group (issue 16, item 6).

Cohort X: 50 candidates, copy-typing MSD error rates 0.1 %, 0.2 %, ... 5.0 % (x01 best).
Ranked with less is better, ``percentileofscore(kind="mean")`` of x06 (0.6 %) is
(44 worse + 1 equal / 2) / 50 x 100 = **89**. Before the fix, ``compare x01 x06 x50``
ranked within the three compared people: x06 in the middle, 50.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from scipy.stats import percentileofscore

from typingtest.analysis.compare import compare_applicants, rank_applicants, side_by_side
from typingtest.analysis.frame import ATTEMPT_COLUMNS, validate_attempts, write_attempts_csv
from typingtest.analysis.report import build_cohort_report, write_html
from typingtest.cli import main
from typingtest.errors import UserError


def _attempt(cand: str, cohort: str, msd: float, wpm: float) -> dict[str, Any]:
    rec: dict[str, Any] = {c: None for c in ATTEMPT_COLUMNS}
    verdicts = [
        {"indicator": "msd_error_rate", "value": msd, "threshold": 0.03, "comparison": "<=", "passed": msd <= 0.03,
         "source": "qualification", "competence": "D140801 Id17267"},
        {"indicator": "net_wpm", "value": wpm, "threshold": 30.0, "comparison": ">=", "passed": wpm >= 30.0,
         "source": "centre", "competence": "D140801 Id17267"},
    ]  # fmt: skip
    rec.update(candidate_id=cand, cohort=cohort, session_id=f"s-{cand}", attempt_id=f"a-{cand}", battery="quick",
               language="nl", task="copy-typing", item="nl-copy-01", practice=False,
               started_at="2026-11-02T09:00:00+00:00", ended_at="2026-11-02T09:05:00+00:00", state="complete",
               verified=True, net_wpm=wpm, msd_error_rate=msd, metrics={}, verdicts=verdicts, actions=[])  # fmt: skip
    return rec


@pytest.fixture(scope="module")
def attempts() -> pd.DataFrame:
    rows = [_attempt(f"x{i:02d}", "X", round(0.001 * i, 4), 30.0 + i) for i in range(1, 51)]
    rows += [_attempt(f"y{i:02d}", "Y", round(0.002 * i, 4), 60.0 - i) for i in range(1, 11)]
    return validate_attempts(pd.DataFrame(rows, columns=list(ATTEMPT_COLUMNS)))


def test_the_cohort_is_the_default_reference(attempts: pd.DataFrame) -> None:
    comparison, ranking, _ = compare_applicants(attempts, ["x01", "x06", "x50"])
    msd = comparison[comparison["indicator"] == "msd_error_rate"].set_index("candidate_id")
    expected = percentileofscore([-0.001 * i for i in range(1, 51)], -0.006, kind="mean")
    assert expected == pytest.approx(89.0)
    assert msd.loc["x06", "percentile"] == pytest.approx(89.0)  # not 50: the rank among the three
    assert msd.loc["x01", "percentile"] == pytest.approx(99.0) and msd.loc["x50", "percentile"] == pytest.approx(1.0)
    assert set(msd["percentile_reference"]) == {"cohort X"} and set(msd["percentile_n"]) == {50}
    cell = side_by_side(comparison, "en").loc[("D140801 Id17267", "copy typing: MSD error rate"), "x06"]
    assert cell.endswith("P89 (cohort X, n=50)")
    # net WPM 36 among 31..80, more is better: (5 + 0.5) / 50 = 11
    wpm = comparison[comparison["indicator"] == "net_wpm"].set_index("candidate_id")
    assert wpm.loc["x06", "percentile"] == pytest.approx(11.0)
    # the tie-break (x01 and x06 both meet the 3 %) uses only the deciding MSD error rate: 99 and 89
    assert list(ranking["candidate_id"]) == ["x01", "x06", "x50"]
    assert ranking.set_index("candidate_id").loc["x06", "mean_percentile"] == pytest.approx(89.0)


def test_applicants_from_two_cohorts_need_a_norm_group(attempts: pd.DataFrame) -> None:
    with pytest.raises(UserError, match=r"2 cohorts \(X, Y\); name the group to rank percentiles in with --norm"):
        compare_applicants(attempts, ["x06", "y01"])
    comparison, _, _ = compare_applicants(attempts, ["x06", "y01"], reference=attempts[attempts["cohort"] == "Y"])
    msd = comparison[comparison["indicator"] == "msd_error_rate"].set_index("candidate_id")
    # against Y (0.2 % ... 2.0 %): x06's 0.6 % beats 7 (0.8 ... 2.0 %) and equals y03: (7 + 0.5) / 10
    assert msd.loc["x06", "percentile"] == pytest.approx(75.0)
    assert msd.loc["y01", "percentile"] == pytest.approx(95.0)
    assert set(msd["percentile_reference"]) == {"cohort Y"} and set(msd["percentile_n"]) == {10}


def test_the_tie_break_uses_only_deciding_indicators() -> None:
    """a and b meet every threshold; b's centre pick-up percentile (100) would have lifted b above a."""
    rows = [
        {"candidate_id": "a", "source": "qualification", "passed": True, "percentile": 60.0},
        {"candidate_id": "a", "source": "centre", "passed": True, "percentile": 10.0},
        {"candidate_id": "b", "source": "qualification", "passed": True, "percentile": 50.0},
        {"candidate_id": "b", "source": "centre", "passed": True, "percentile": 100.0},
    ]
    ranking = rank_applicants(pd.DataFrame(rows))
    assert list(ranking["candidate_id"]) == ["a", "b"]  # the old mean over all: a 35, b 75
    assert ranking["mean_percentile"].tolist() == [60.0, 50.0]


def test_report_names_its_reference(attempts: pd.DataFrame, tmp_path: Path) -> None:
    report = build_cohort_report(attempts[attempts["cohort"] == "X"], cohort="X", charts=False, lang="en")
    a = report.applicants.set_index("candidate_id")
    assert a.loc["x06", "percentile_reference"] == "cohort X" and a.loc["x06", "percentile_n"] == 50
    assert a.loc["x06", "mean_percentile"] == pytest.approx(89.0)  # the MSD error rate decides; speed does not
    text = write_html(report, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "percentile<br>(cohort X, n=50)</th>" in text


def test_compare_command_asks_for_a_norm_group(attempts: pd.DataFrame, tmp_path: Path, results_dir: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    csv = write_attempts_csv(attempts, tmp_path / "attempts.csv")
    assert main(["compare", "x06", "y01", "--from-csv", str(csv), "--lang", "en"]) == 2
    err = capsys.readouterr().err.strip()
    assert "--norm COHORT" in err and len(err.splitlines()) == 1
    assert main(["compare", "x01", "x06", "x50", "--from-csv", str(csv), "--lang", "en"]) == 0
    assert "P89 (cohort X, n=50)" in capsys.readouterr().out
    out = tmp_path / "cmp"
    assert main(["compare", "x01", "x06", "x50", "--from-csv", str(csv), "--lang", "en", "--out", str(out)]) == 0
    values = pd.read_csv(out / "compare.csv").set_index(["candidate_id", "indicator"])
    assert values.loc[("x06", "msd_error_rate"), ["percentile", "percentile_reference", "percentile_n"]].tolist() == [
        89.0, "cohort X", 50]
    if shutil.which("pdftotext"):  # the applicant's page names the group its percentiles are ranked in
        text = subprocess.run(["pdftotext", "-layout", str(out / "x06.pdf"), "-"], capture_output=True, text=True,
                              check=True).stdout  # fmt: skip
        assert "percentile (P): cohort X, n=50" in text
    assert main(["compare", "x06", "y01", "--from-csv", str(csv), "--norm", "Y", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "P75 (cohort Y, n=10)" in out and "P95 (cohort Y, n=10)" in out
