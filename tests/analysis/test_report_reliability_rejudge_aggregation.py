"""Issue 16 leftovers: reliability in the report, rejudging with the stored precision, the value
the verdict rule used on every page, overrides kept together, words and decimals per language.

Expected values are worked out by hand in the comments next to them (the rule of
``engine.precision.decide``: an interval wholly past the threshold fails, too few characters
are insufficient, an interval holding the threshold is borderline, else the plain comparison),
or compared with the function the ``reliability`` command calls.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from typingtest.analysis.compare import compare_applicants, side_by_side
from typingtest.analysis.decisions import decided_summary
from typingtest.analysis.frame import ATTEMPT_COLUMNS, indicator_frame, validate_attempts, write_attempts_csv
from typingtest.analysis.multitask import multitask_figures
from typingtest.analysis.reliability import MIN_SUBJECTS
from typingtest.analysis.report import _applicant_lines, build_cohort_report, write_applicant_pdf, write_html
from typingtest.cli import main
from typingtest.config import DEFAULT_THRESHOLDS_FILE

QUAL = {"source": "qualification", "competence": "D140801 Id17267"}
CENTRE = {"source": "centre", "competence": "D140801 Id17267"}


def _v(indicator: str, value: float, threshold: float, comparison: str, passed: bool | None,
       rule: dict[str, str] = QUAL, **extra: Any) -> dict[str, Any]:  # fmt: skip
    return {"indicator": indicator, "value": value, "threshold": threshold, "comparison": comparison,
            "passed": passed, **rule, **extra}  # fmt: skip


def _attempt(cand: str, aid: str, task: str, verdicts: list[dict[str, Any]], day: int = 2,
             metrics: dict[str, Any] | None = None, **values: float) -> dict[str, Any]:  # fmt: skip
    rec: dict[str, Any] = {c: None for c in ATTEMPT_COLUMNS}
    rec.update(candidate_id=cand, cohort="2026-L", session_id=f"s-{cand}", attempt_id=aid, battery="quick",
               language="nl", task=task, item=f"nl-{task}-01", practice=False,
               started_at=f"2026-11-{day:02d}T09:00:00+00:00", ended_at=f"2026-11-{day:02d}T09:05:00+00:00",
               state="complete", verified=True, metrics=metrics or {}, verdicts=verdicts, actions=[])  # fmt: skip
    rec.update(values)
    return rec


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return validate_attempts(pd.DataFrame(rows, columns=list(ATTEMPT_COLUMNS)))


# --- 2. re-judging keeps the precision ---------------------------------------------------------

def _typed(value: float, chars: int | None, low: float | None, high: float | None, decision: str) -> dict[str, Any]:
    extra = {} if chars is None else {"chars_judged": chars, "ci_low": low, "ci_high": high,
                                      "min_chars_judged": 729, "decision": decision}  # fmt: skip
    return _v("msd_error_rate", value, 0.03, "<=", value <= 0.03, **extra)


#: (candidate, MSD error rate, characters judged, 95 % interval, decision stored at 3 %, at 4 % by hand)
REJUDGED = [
    # 1.5-3.8 % holds 3 %: borderline; 4 % lies outside it and 2.5 % <= 4 %: pass
    ("a", 0.025, 800, 0.015, 0.038, "borderline", "pass"),
    # 2.4-4.9 % holds 3 % and 4 %: borderline both times (a plain rejudge would say pass)
    ("b", 0.035, 800, 0.024, 0.049, "borderline", "borderline"),
    # 300 characters < 729 and 0.8-4.5 % is not wholly above either threshold: insufficient
    ("c", 0.020, 300, 0.008, 0.045, "insufficient", "insufficient"),
    # 0.4-2.2 % is below both; flagged as implausible typing: a pass becomes borderline
    ("d", 0.010, 900, 0.004, 0.022, "borderline", "borderline"),
    # stored before intervals existed (no chars_judged): the plain comparison, 3.5 % <= 4 %
    ("e", 0.035, None, None, None, "fail", "pass"),
]


def test_rejudge_passes_the_stored_precision_to_the_engine(tmp_path: Path, results_dir: Path) -> None:
    rows = []
    for cand, value, chars, low, high, stored, _ in REJUDGED:
        metrics = {"plausibility": {"reasons": ["speed 753 WPM above 200"]}} if cand == "d" else {}
        rows.append(_attempt(cand, f"{cand}-copy", "copy-typing", [_typed(value, chars, low, high, stored)],
                             metrics=metrics, msd_error_rate=value))  # fmt: skip
    write_attempts_csv(_frame(rows), tmp_path / "attempts.csv")
    text = DEFAULT_THRESHOLDS_FILE.read_text(encoding="utf-8")
    assert "[msd_error_rate]\nmax = 0.03" in text
    (tmp_path / "thresholds.toml").write_text(text.replace("[msd_error_rate]\nmax = 0.03",
                                                           "[msd_error_rate]\nmax = 0.04"), encoding="utf-8")
    (tmp_path / "typingtest.toml").write_text('thresholds = "thresholds.toml"\n', encoding="utf-8")
    for extra, column in (([], 5), (["--rejudge"], 6)):
        out = tmp_path / ("rejudged" if extra else "stored") / "r.html"
        out.parent.mkdir()
        assert main(["--settings", str(tmp_path / "typingtest.toml"), "report", "--from-csv",
                     str(tmp_path / "attempts.csv"), "--out", str(out), *extra]) == 0  # fmt: skip
        applicants = pd.read_csv(out.parent / "r_applicants.csv").set_index("candidate_id")
        decisions = pd.read_csv(out.parent / "r_decisions.csv").set_index("candidate_id")
        for rec in REJUDGED:
            assert applicants.loc[rec[0], "copy-typing:msd_error_rate:decision"] == rec[column], (extra, rec)
            assert decisions.loc[rec[0], "overall_decision"] == rec[column], (extra, rec)


# --- 4. the value the verdict rule used, everywhere ---------------------------------------------

def _retaken() -> pd.DataFrame:
    """r: 2.0 % and 3.5 % (3 % fails on the second); calls with action scores 100 % and 78 % (80 %)."""
    return _frame([
        _attempt("r", "r-copy-1", "copy-typing", [_v("msd_error_rate", 0.020, 0.03, "<=", True)],
                 msd_error_rate=0.020),
        _attempt("r", "r-copy-2", "copy-typing", [_v("msd_error_rate", 0.035, 0.03, "<=", False)], day=3,
                 msd_error_rate=0.035),
        _attempt("r", "r-call-1", "call", [_v("action_score", 1.0, 0.8, ">=", True, CENTRE)],
                 metrics={"action_score": 1.0}),
        _attempt("r", "r-call-2", "call", [_v("action_score", 0.78, 0.8, ">=", False, CENTRE)], day=3,
                 metrics={"action_score": 0.78}),
        _attempt("s", "s-copy-1", "copy-typing", [_v("msd_error_rate", 0.010, 0.03, "<=", True)],
                 msd_error_rate=0.010),
        _attempt("s", "s-call-1", "call", [_v("action_score", 0.9, 0.8, ">=", True, CENTRE)],
                 metrics={"action_score": 0.9}),
    ])  # fmt: skip


def test_multitask_call_figures_are_the_deciding_attempt(tmp_path: Path) -> None:
    data = _retaken()
    mt = multitask_figures(data, long=indicator_frame(data)).set_index("candidate_id")
    # r's verdict fails on the 78 % call; the mean (100 + 78) / 2 = 89 % would pass 80 %
    assert mt.loc["r", "action_score"] == pytest.approx(0.78)
    assert (mt.loc["r", "action_score_basis"], mt.loc["r", "call_attempts"]) == ("worst", 2)
    assert (mt.loc["s", "action_score"], mt.loc["s", "action_score_basis"]) == (pytest.approx(0.9), "attempt")
    page = write_html(build_cohort_report(data, cohort="2026-L", charts=False), tmp_path / "r.html").read_text()
    multitask = page.split("<h2>Multitasking</h2>")[1].split("</table>")[0]
    assert "78,0 % (slechtste van 2 pogingen)" in multitask and "89,0 %" not in multitask


def test_cohort_pdf_applicants_page_marks_the_worst_attempt() -> None:
    lines = _applicant_lines(build_cohort_report(_retaken(), cohort="2026-L", charts=False))
    row = next(line for line in lines if " r " in f" {line} ")
    assert "3,50 % -(2)" in row  # 3.5 % failed, the worse of 2 attempts (2.0 % passed)
    assert "78 % -(2)" in row
    assert "(N) slechtste van N pogingen" in lines[-2]


# --- 5. overrides kept together, words and decimals per language ------------------------------------

def test_several_overrides_of_one_task_keep_their_fields_together(tmp_path: Path) -> None:
    # sorted column by column, the reasons ("a...", "b...") and assessors ("A...", "Z...") would pair
    # the 10:00 override of Z. Zeger with the reason given at 11:00 by A. Aerts
    data = _retaken()
    overrides = pd.DataFrame([
        {"attempt_id": "r-copy-2", "indicator": "msd_error_rate", "passed": True, "reason": "b: noise on line 3",
         "assessor": "Z. Zeger", "at": "2026-11-05T10:00:00+00:00"},
        {"attempt_id": "r-copy-1", "indicator": "msd_error_rate", "passed": False, "reason": "a: wrong passage",
         "assessor": "A. Aerts", "at": "2026-11-05T11:00:00+00:00"},
    ])  # fmt: skip
    long = indicator_frame(data, overrides=overrides)
    row = decided_summary(data, long).set_index(["candidate_id", "task", "indicator"]).loc[
        ("r", "copy-typing", "msd_error_rate")]
    assert row["override_reason"] == "b: noise on line 3; a: wrong passage"
    assert row["override_by"] == "Z. Zeger; A. Aerts"
    assert row["override_at"] == "2026-11-05T10:00:00+00:00; 2026-11-05T11:00:00+00:00"
    if shutil.which("pdftotext") is None:
        pytest.skip("SKIPPED LOUDLY: pdftotext not installed (Debian package `poppler-utils`)")

    def notes(pdf: Path) -> list[str]:
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout  # fmt: skip
        return [line.strip() for line in text.splitlines() if line.strip()]

    # the applicant page from the comparison's joined columns alone: split in their one order
    comparison, ranking, _ = compare_applicants(data, ["r", "s"], overrides=overrides)
    lines = notes(write_applicant_pdf("r", comparison, ranking, tmp_path / "r.pdf", lang="en"))
    zeger = next(i for i, line in enumerate(lines) if "Z. Zeger" in line)
    aerts = next(i for i, line in enumerate(lines) if "A. Aerts" in line)
    assert "2026-11-05 10:00 UTC" in lines[zeger] and lines[zeger + 1] == "b: noise on line 3"
    assert "2026-11-05 11:00 UTC" in lines[aerts] and lines[aerts + 1] == "a: wrong passage"
    # the value shown (2.00 %, r-copy-1: its override fails it) is the deciding one of 2 attempts
    flat = " ".join(lines)
    assert re.search(r"copy typing: MSD error rate \(worst of .*?2 attempts\)", flat)
    # from the joined columns alone each override's own verdict is unknown: none is claimed
    assert lines[zeger].startswith("* copy typing: MSD error rate (by Z. Zeger")
    # a reason holding "; " itself, with the override rows given (as `compare` does): each override
    # with its own verdict (Zeger passed r-copy-2, Aerts failed r-copy-1), time and whole reason
    overrides.loc[0, "reason"] = "b: noise on line 3; headset replaced"
    comparison, ranking, _ = compare_applicants(data, ["r", "s"], overrides=overrides)
    rows = overrides.merge(data[["attempt_id", "candidate_id"]], on="attempt_id")
    lines = notes(write_applicant_pdf("r", comparison, ranking, tmp_path / "r2.pdf", lang="en", overrides=rows))
    zeger = next(i for i, line in enumerate(lines) if "Z. Zeger" in line)
    aerts = next(i for i, line in enumerate(lines) if "A. Aerts" in line)
    assert lines[zeger].startswith("* copy typing: MSD error rate: passed (by Z. Zeger, 2026-11-05 10:00 UTC)")
    assert lines[zeger + 1] == "b: noise on line 3; headset replaced"
    assert lines[aerts].startswith("* copy typing: MSD error rate: failed (by A. Aerts, 2026-11-05 11:00 UTC)")


def test_side_by_side_decimal_comma_and_french_reference() -> None:
    data = _retaken()
    comparison, _, _ = compare_applicants(data, ["r", "s"])
    nl = side_by_side(comparison, "nl").to_string()
    assert "3,50 % (slechtste van 2 pogingen)" in nl and "3.50" not in nl and "1,00 %" in nl
    assert "(cohort 2026-L, n=2)" in nl
    fr = side_by_side(comparison, "fr").to_string()
    assert "(cohorte 2026-L, n=2)" in fr and "3,50 %" in fr
    en = side_by_side(comparison, "en").to_string()
    assert "3.50 % (worst of 2 attempts)" in en and "(cohort 2026-L, n=2)" in en


# --- 1. reliability in the report ------------------------------------------------------------------

PRESENTED_CHARS = 600


def _fill_typed(store: Any, cohort: str, n: int, seed: int) -> None:
    """``n`` candidates with one copy-typing attempt of nl-copy-01 each (its first 600 characters),
    typed from a seeded model: a candidate's own error probability (0.5-8 %, a substitution by
    "#") and pace (0.15-0.35 s a key, +/- 20 % per key)."""
    from typingtest.content import load_item
    from typingtest.engine.events import EventKind, make_log

    text = load_item("nl-copy-01").text[:PRESENTED_CHARS]
    rng = np.random.default_rng(seed)
    for k in range(n):
        cid = f"{cohort}-{k:02d}"
        store.ensure_candidate(cid, cohort)
        session = store.start_session(cid, "quick", language="nl")
        recorder = store.begin_attempt(session, "copy-typing", "nl-copy-01", False, {"presented": text})
        p_error, pace = rng.uniform(0.005, 0.08), rng.uniform(0.15, 0.35)
        typed = ["#" if rng.random() < p_error else ch for ch in text]
        times = np.cumsum(pace * rng.uniform(0.8, 1.2, len(typed)))
        log = make_log({"t": float(t), "kind": EventKind.TEXT, "text": ch, "target": "answer"}
                       for ch, t in zip(typed, times, strict=True))  # fmt: skip
        errors = sum(a != b for a, b in zip(typed, text, strict=True))
        recorder.finish(log, {"presented_chars": PRESENTED_CHARS, "msd_error_rate": errors / len(text)},
                        [_v("msd_error_rate", errors / len(text), 0.03, "<=", errors / len(text) <= 0.03)])
        store.end_session(session)


@pytest.fixture
def typed_store(results_dir: Path) -> Path:
    from typingtest.config import load_settings
    from typingtest.store import open_store

    store = open_store(load_settings())
    try:
        _fill_typed(store, "rel", 12, seed=16)
        _fill_typed(store, "few", MIN_SUBJECTS - 6, seed=17)
    finally:
        store.close()
    return results_dir


def test_report_reliability_is_the_reliability_command(typed_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "rel" / "r.html"
    out.parent.mkdir()
    assert main(["report", "--cohort", "rel", "--out", str(out), "--pdf"]) == 0
    assert main(["reliability", "--cohort", "rel", "--out", str(tmp_path / "command.csv")]) == 0
    in_report = pd.read_csv(out.parent / "r_reliability.csv")
    command = pd.read_csv(tmp_path / "command.csv").set_index("indicator")
    assert in_report["task"].tolist() == ["copy-typing"] * 2 and in_report["estimated"].all()
    for rec in in_report.to_dict("records"):
        expected = command.loc[rec["indicator"]]
        assert rec["subjects"] == expected["subjects"] == 12
        for col in ("r_halves", "reliability", "sem", "consistency", "kappa", "chars"):
            assert rec[col] == pytest.approx(expected[col], abs=1e-12, nan_ok=True), col
    page = out.read_text(encoding="utf-8")
    section = page.split('id="reliability"')[1]
    msd = in_report.set_index("indicator").loc["msd_error_rate"]
    assert f"{msd['reliability']:.3f}".replace(".", ",") in section  # Dutch decimal comma
    assert "zelfde beslissing" in section and "te weinig" not in section
    if shutil.which("pdftotext") is None:
        pytest.skip("SKIPPED LOUDLY: pdftotext not installed (Debian package `poppler-utils`)")
    text = subprocess.run(["pdftotext", "-layout", str(out.with_suffix(".pdf")), "-"], capture_output=True,
                          text=True, check=True).stdout.split("\f")  # fmt: skip
    last = next(p for p in text if "Betrouwbaarheid van de meting" in p)
    assert "MSD-foutpercentage" in last and f"{msd['reliability']:.3f}".replace(".", ",") in last


def test_report_says_when_the_cohort_is_too_small(typed_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "few" / "r.html"
    out.parent.mkdir()
    assert main(["report", "--cohort", "few", "--out", str(out)]) == 0
    table = pd.read_csv(out.parent / "r_reliability.csv")
    assert not table["estimated"].any() and table["reliability"].isna().all() and (table["subjects"] == 4).all()
    section = out.read_text(encoding="utf-8").split('id="reliability"')[1]
    assert "overtypen: te weinig pogingen (4) om de betrouwbaarheid te schatten; minstens 10 nodig." in section


def test_report_from_csv_says_reliability_was_not_computed(tmp_path: Path, results_dir: Path) -> None:
    write_attempts_csv(_retaken(), tmp_path / "attempts.csv")
    out = tmp_path / "r.html"
    assert main(["report", "--from-csv", str(tmp_path / "attempts.csv"), "--out", str(out), "--no-tables"]) == 0
    section = out.read_text(encoding="utf-8").split('id="reliability"')[1]
    assert "Niet berekend" in section
