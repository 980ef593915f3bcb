"""The analysis commands end to end, through the real store (SQLite in a fresh results folder)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from typingtest.analysis.frame import read_attempts_csv
from typingtest.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"
METRIC_COLUMNS = ("wpm", "gross_wpm", "net_wpm", "msd_error_rate", "uncorrected_error_rate", "corrected_error_rate",
                  "total_error_rate", "kspc", "iki_mean_ms", "iki_sd_ms")  # fmt: skip


def fill_store(store: object, frame: pd.DataFrame) -> dict[str, str]:
    """Store every attempt of an attempts frame through the Store API; returns fixture id -> stored id."""
    ids: dict[str, str] = {}
    sessions: dict[str, str] = {}
    running: dict[str, tuple[str, str]] = {}
    for rec in frame.sort_values("started_at").to_dict("records"):
        store.ensure_candidate(rec["candidate_id"], rec["cohort"])  # type: ignore[attr-defined]
        if rec["session_id"] not in sessions:
            # one running session per candidate and battery: the earlier one ends when the next begins
            for sid, (cid, battery) in list(running.items()):
                if (cid, battery) == (rec["candidate_id"], rec["battery"]):
                    store.end_session(sid)  # type: ignore[attr-defined]
                    del running[sid]
            sessions[rec["session_id"]] = store.start_session(  # type: ignore[attr-defined]
                rec["candidate_id"], rec["battery"], language=rec["language"]
            )
            running[sessions[rec["session_id"]]] = (rec["candidate_id"], rec["battery"])
        recorder = store.begin_attempt(sessions[rec["session_id"]], rec["task"], rec["item"],  # type: ignore[attr-defined]
                                       bool(rec["practice"]), {})  # fmt: skip
        metrics = dict(rec["metrics"])
        for col in METRIC_COLUMNS:
            if rec[col] == rec[col]:
                metrics[col] = rec[col]
        ids[rec["attempt_id"]] = recorder.finish(None, metrics, rec["verdicts"], rec["actions"])
    for sid in running:
        store.end_session(sid)  # type: ignore[attr-defined]
    return ids


@pytest.fixture
def store_ids(results_dir: Path) -> dict[str, str]:
    from typingtest.config import load_settings
    from typingtest.store import open_store

    store = open_store(load_settings())
    try:
        ids = fill_store(store, read_attempts_csv(DATA / "analysis_cohort.csv"))
        ids.update(fill_store(store, read_attempts_csv(DATA / "analysis_trainee.csv")))
    finally:
        store.close()
    return ids


def _store() -> object:
    from typingtest.config import load_settings
    from typingtest.store import open_store

    return open_store(load_settings())


def test_report_from_the_store_prints_only_paths_and_counts(
    store_ids: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out" / "report.html"
    assert main(["report", "--cohort", "2026-A", "--out", str(out), "--pdf", "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    assert "report: 5 candidates, 15 attempts" in printed
    for cand in ("c01", "c02", "c03", "c04", "c05"):
        assert cand not in printed  # personal data stays in the files
        assert f">{cand}<" in out.read_text(encoding="utf-8")
    assert out.with_suffix(".pdf").is_file() and (out.parent / "report.xlsx").is_file()
    applicants = pd.read_csv(out.parent / "report_applicants.csv")
    assert list(applicants["candidate_id"][:1]) == ["c04"]  # 8/8 thresholds, best percentiles
    store = _store()
    try:
        audit = store.audit_frame()  # type: ignore[attr-defined]
    finally:
        store.close()  # type: ignore[attr-defined]
    exported = audit[audit["action"] == "exported"]
    assert len(exported) == 1 and exported.iloc[0]["object_type"] == "report"
    assert "c0" not in json.dumps(exported.iloc[0]["details"])  # counts, not results


def test_override_through_the_store_is_audited_and_shown(
    store_ids: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    attempt = store_ids["a-c03-3-copy"]
    code = main(["override", attempt, "msd_error_rate", "--pass", "--reason", "sticking key on workstation 4",
                 "--assessor", "A. Peeters"])  # fmt: skip
    assert code == 0
    store = _store()
    try:
        audit = store.audit_frame()  # type: ignore[attr-defined]
        overrides = store.overrides_frame()  # type: ignore[attr-defined]
    finally:
        store.close()  # type: ignore[attr-defined]
    row = audit[audit["action"] == "overrode"].iloc[0]
    assert row["object_id"] == attempt and row["actor"] == "A. Peeters"
    assert overrides.iloc[0]["reason"] == "sticking key on workstation 4"
    out = tmp_path / "r.html"
    assert main(["report", "--cohort", "2026-A", "--out", str(out), "--no-tables"]) == 0
    assert "3,01 % ✓*" in out.read_text(encoding="utf-8")  # the Dutch report writes a decimal comma
    capsys.readouterr()
    # an indicator the attempt has no verdict on cannot be overridden
    assert main(["override", attempt, "pickup_time_s", "--fail", "--reason", "x", "--assessor", "B"]) == 2
    assert "has no verdict on it" in capsys.readouterr().err
    assert main(["override", "no-such-attempt", "msd_error_rate", "--pass", "--reason", "x", "--assessor", "B"]) == 2


def test_compare_writes_table_ranking_and_one_pdf_each(
    store_ids: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cmp"
    assert main(["compare", "c03", "c01", "c02", "--cohort", "2026-A", "--out", str(out), "--lang", "en"]) == 0
    ranking = pd.read_csv(out / "ranking.csv")
    assert list(ranking["candidate_id"]) == ["c01", "c02", "c03"]  # README: ranking rule
    assert {p.name for p in out.glob("*.pdf")} == {"c01.pdf", "c02.pdf", "c03.pdf"}
    side = pd.read_excel(out / "compare.xlsx", sheet_name="side-by-side")
    assert list(side.columns[-3:]) == ["c01", "c02", "c03"]
    capsys.readouterr()
    # without --out the user asked to see the table
    assert main(["compare", "c01", "c02", "--cohort", "2026-A"]) == 0
    printed = capsys.readouterr().out
    assert "c01" in printed and "MSD-foutpercentage" in printed
    assert main(["compare", "c01", "nobody"]) == 2


def test_progress_from_the_store(store_ids: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "prog"
    assert main(["progress", "t01", "--out", str(out), "--layout", "qwertz-de"]) == 0
    for name in ("progress_net_wpm", "progress_msd_error_rate", "weakest_keys", "missed_fields"):
        assert (out / f"{name}.png").stat().st_size > 1000
        assert (out / f"{name}.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert (out / "progress.pdf").read_bytes().startswith(b"%PDF")
    keys = pd.read_csv(out / "weakest_keys.csv", keep_default_na=False)
    assert keys.iloc[0]["intended"] == "a" and keys.iloc[0]["errors"] == 8.0
    prog = pd.read_csv(out / "progress.csv")
    assert sorted(set(prog["session_number"])) == [1, 2, 3, 4]
    assert main(["progress", "nobody", "--out", str(out)]) == 2


def test_report_from_csv_and_user_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str], results_dir: Path) -> None:
    out = tmp_path / "r.html"
    code = main(["report", "--from-csv", str(DATA / "analysis_cohort.csv"), "--overrides",
                 str(DATA / "analysis_overrides.csv"), "--out", str(out), "--no-tables"])  # fmt: skip
    assert code == 0 and "6 candidates" in capsys.readouterr().out
    code = main(["report", "--from-csv", str(DATA / "analysis_cohort.csv"), "--out", str(out), "--tables", "parquet"])
    assert code == 0
    assert sorted(pd.read_parquet(tmp_path / "r_applicants.parquet")["candidate_id"]) == [f"c0{i}" for i in range(1, 7)]
    assert main(["report", "--from-csv", str(DATA / "analysis_cohort.csv"), "--out", str(out), "--tables", "ods"]) == 2
    assert main(["report", "--from-csv", str(DATA / "analysis_cohort.csv"), "--out", str(tmp_path / "r.txt")]) == 2
    assert "end the name in .html" in capsys.readouterr().err
    assert main(["report", "--from-csv", str(tmp_path / "missing.csv"), "--out", str(out)]) == 2
    assert main(["report", "--from-csv", str(DATA / "analysis_cohort.csv"), "--cohort", "none",
                 "--out", str(out)]) == 2  # fmt: skip
    assert "no complete, non-practice attempts" in capsys.readouterr().err


def test_rejudge_against_the_centres_thresholds(tmp_path: Path, results_dir: Path) -> None:
    """A centre raises the speed threshold to 36 WPM: --rejudge applies it through the engine's verdict."""
    from typingtest.config import DEFAULT_THRESHOLDS_FILE

    text = DEFAULT_THRESHOLDS_FILE.read_text(encoding="utf-8").replace("min = 30.0", "min = 36.0")
    (tmp_path / "thresholds.toml").write_text(text, encoding="utf-8")
    (tmp_path / "typingtest.toml").write_text('thresholds = "thresholds.toml"\n', encoding="utf-8")
    settings = str(tmp_path / "typingtest.toml")
    out = tmp_path / "r.html"
    for extra, expected in (([], 4), (["--rejudge"], 2)):  # stored: 42, 35, 50, 31 pass; at 36: 42, 50
        code = main(["--settings", settings, "report", "--from-csv", str(DATA / "analysis_cohort.csv"),
                     "--cohort", "2026-A", "--out", str(out), *extra])  # fmt: skip
        assert code == 0
        stats = pd.read_csv(tmp_path / "r_statistics.csv")
        row = stats[(stats["task"] == "copy-typing") & (stats["indicator"] == "net_wpm")].iloc[0]
        assert row["n_passed"] == expected
