"""Overrides reach every output (issue 16, item 4): a cohort built with ``typingtest simulate``
(the ``quick`` battery), two overrides, then the export (CSV, XLSX, Parquet), the report's
tables (CSV, XLSX, Parquet, HTML) and the comparison files agree on every verdict and every
overall decision.

Before the fix the report showed the overridden verdict while the export still said "fail",
without an override column. The expected values come from an oracle kept in this file: the
stored verdict JSON read directly, the latest override applied, and the decision rule of
``typingtest/analysis/decisions.py`` written out again as a plain loop.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from typingtest.cli import main

COHORT = "sim-ov"
REASON_PASS = "one error caused by a sticking key (workstation 4 logged)"
REASON_FAIL = "typed with help from the neighbour (proctor's incident report)"


def _store() -> Any:
    from typingtest.config import load_settings
    from typingtest.store import open_store

    return open_store(load_settings())


def _word(passed: Any) -> str | None:
    if passed is None or passed != passed:
        return None
    return "pass" if passed in (True, "True", "true") else "fail"


def _oracle_overall(decisions: list[str]) -> str:
    """The rule, written out: fail, then insufficient (or not judged), then borderline, then pass."""
    if not decisions:
        return "not-judged"
    if "fail" in decisions:
        return "fail"
    if "insufficient" in decisions or "not-judged" in decisions:
        return "insufficient"
    if "borderline" in decisions:
        return "borderline"
    return "pass"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Simulate, override twice, then write every output once (module scope: about 30 s)."""
    tmp = tmp_path_factory.mktemp("everywhere")
    results = tmp / "results"
    results.mkdir()
    mp = pytest.MonkeyPatch()
    mp.setenv("TYPINGTEST_RESULTS", str(results))
    mp.delenv("TYPINGTEST_DB", raising=False)
    mp.delenv("TYPINGTEST_SETTINGS", raising=False)
    try:
        assert main(["simulate", "--candidates", "6", "--battery", "quick", "--cohort", COHORT, "--seed", "16"]) == 0
        store = _store()
        try:
            frame = store.attempts_frame()
        finally:
            store.close()
        frame = frame[(frame["state"] == "complete") & ~frame["practice"].astype(bool)]
        stored: dict[tuple[str, str], dict[str, Any]] = {}
        for rec in frame.sort_values(["candidate_id", "task"]).to_dict("records"):
            for v in rec["verdicts"]:
                stored.setdefault((rec["attempt_id"], v["indicator"]), {**v, "candidate_id": rec["candidate_id"],
                                                                       "task": rec["task"]})  # fmt: skip
        qual = [(k, v) for k, v in stored.items() if v["source"] == "qualification"]
        failed = [k for k, v in qual if v["passed"] is False]
        assert failed, "the simulated cohort has no failed qualification verdict to override"
        to_pass = failed[0]
        cand_pass = stored[to_pass]["candidate_id"]
        passed = [k for k, v in qual if v["passed"] is True and v["candidate_id"] != cand_pass]
        assert passed, "the simulated cohort has no passed qualification verdict of another candidate"
        to_fail = passed[0]
        assert main(["override", to_pass[0], to_pass[1], "--pass", "--reason", REASON_PASS,
                     "--assessor", "A. Peeters"]) == 0  # fmt: skip
        assert main(["override", to_fail[0], to_fail[1], "--fail", "--reason", REASON_FAIL,
                     "--assessor", "B. Janssens"]) == 0  # fmt: skip
        exports = {}
        for fmt in ("csv", "xlsx", "parquet"):
            path = tmp / f"export.{fmt}"
            assert main(["export", "--format", fmt, "--out", str(path)]) == 0
            exports[fmt] = path
        report = tmp / "report" / "report.html"
        assert main(["report", "--out", str(report), "--tables", "csv,xlsx,parquet"]) == 0
        compared = [cand_pass, stored[to_fail]["candidate_id"]]
        compared += [c for c in sorted(set(frame["candidate_id"])) if c not in compared][:1]
        assert main(["compare", *compared, "--out", str(tmp / "cmp")]) == 0
    finally:
        mp.undo()
    # the oracle: final verdicts and decisions, per attempt and indicator, then per candidate
    final: dict[tuple[str, str], dict[str, Any]] = {}
    for key, v in stored.items():
        if key == to_pass:
            p, d = True, "pass"
        elif key == to_fail:
            p, d = False, "fail"
        else:
            p = v["passed"]
            d = v.get("decision") or ("not-judged" if p is None else ("pass" if p else "fail"))
        final[key] = {**v, "final": _word(p), "stored": _word(v["passed"]), "final_decision": d}
    overall = {}
    for cand in sorted(set(frame["candidate_id"])):
        overall[cand] = _oracle_overall([f["final_decision"] for f in final.values()
                                         if f["candidate_id"] == cand and f["source"] == "qualification"])
    return {"tmp": tmp, "exports": exports, "report": report, "cmp": tmp / "cmp", "final": final,
            "overall": overall, "to_pass": to_pass, "to_fail": to_fail, "compared": compared,
            "candidates": sorted(set(frame["candidate_id"]))}  # fmt: skip


def _read(path: Path, sheet: str | None = None) -> pd.DataFrame:
    if path.suffix == ".csv":
        return pd.read_csv(path, dtype={"candidate_id": str, "attempt_id": str})
    if path.suffix == ".xlsx":
        return pd.read_excel(path, sheet_name=sheet or 0, dtype={"candidate_id": str, "attempt_id": str})
    return pd.read_parquet(path)


def test_the_overrides_change_what_they_should(outputs: dict[str, Any]) -> None:
    """The hand-checked part: a qualification verdict overridden to a fail makes that candidate fail."""
    failed_cand = outputs["final"][outputs["to_fail"]]["candidate_id"]
    assert outputs["overall"][failed_cand] == "fail"
    assert outputs["final"][outputs["to_pass"]]["stored"] == "fail"
    assert outputs["final"][outputs["to_pass"]]["final"] == "pass"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_export_carries_the_verdicts_after_overrides(outputs: dict[str, Any], fmt: str) -> None:
    export = _read(outputs["exports"][fmt])
    assert list(export.columns[:2]) == ["candidate_id", "overall_decision"]
    for col in ("chars_judged", "msd_error_rate_ci_low", "msd_error_rate_ci_high", "net_wpm_ci_low",
                "net_wpm_ci_high", "decision", "overridden", "override_reason", "override_by", "override_at"):
        assert col in export.columns, col
    rows = export.set_index("attempt_id")
    for (aid, indicator), f in outputs["final"].items():
        got = rows.loc[aid, f"verdict_{indicator}"]
        assert _word_or_none(got) == f["final"], (fmt, aid, indicator)
        assert _word_or_none(rows.loc[aid, f"verdict_{indicator}_stored"]) == f["stored"], (fmt, aid, indicator)
    for cand, decision in outputs["overall"].items():
        assert set(export.loc[export["candidate_id"] == cand, "overall_decision"]) == {decision}, (fmt, cand)
    aid = outputs["to_pass"][0]
    assert bool(rows.loc[aid, "overridden"]) and rows.loc[aid, "override_reason"] == REASON_PASS
    assert rows.loc[aid, "override_by"] == "A. Peeters" and str(rows.loc[aid, "override_at"]).startswith("20")
    assert int(export["overridden"].astype(bool).sum()) == 2
    # the typed attempts carry the engine's characters judged and interval where it stored them
    typed = export[export["task"].isin(["copy-typing", "transcription"])]
    msd = {aid: f for (aid, ind), f in outputs["final"].items() if ind == "msd_error_rate"}
    for rec in typed.to_dict("records"):
        f = msd[rec["attempt_id"]]
        if "chars_judged" in f:
            assert rec["chars_judged"] == f["chars_judged"]
            assert rec["msd_error_rate_ci_low"] == pytest.approx(f["ci_low"])
            assert rec["msd_error_rate_ci_high"] == pytest.approx(f["ci_high"])


def _word_or_none(value: Any) -> str | None:
    return None if value is None or value != value else str(value)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_report_tables_agree(outputs: dict[str, Any], suffix: str) -> None:
    folder = outputs["report"].parent
    if suffix == ".xlsx":
        applicants, decisions, overrides = (_read(folder / "report.xlsx", n)
                                            for n in ("applicants", "decisions", "overrides"))  # fmt: skip
    else:
        applicants, decisions, overrides = (_read(folder / f"report_{n}{suffix}")
                                            for n in ("applicants", "decisions", "overrides"))  # fmt: skip
    changed = overrides.set_index(["attempt_id", "indicator"])
    assert sorted(changed.index) == sorted([outputs["to_pass"], outputs["to_fail"]])
    assert changed.loc[outputs["to_pass"], "override_reason"] == REASON_PASS
    assert changed.loc[outputs["to_fail"], "override_by"] == "B. Janssens"
    assert [_word(changed.loc[k, "passed"]) for k in (outputs["to_pass"], outputs["to_fail"])] == ["pass", "fail"]
    assert list(applicants.columns[:3]) == ["rank", "candidate_id", "overall_decision"]
    a = applicants.set_index("candidate_id")
    assert a["overall_decision"].to_dict() == outputs["overall"]
    assert decisions.set_index("candidate_id")["overall_decision"].to_dict() == outputs["overall"]
    for f in outputs["final"].values():  # the quick battery: one attempt per task
        col = f"{f['task']}:{f['indicator']}:passed"
        if col in a.columns:
            assert _word(a.loc[f["candidate_id"], col]) == f["final"], (suffix, col, f["candidate_id"])
            assert _word(a.loc[f["candidate_id"], f"{f['task']}:{f['indicator']}:passed_stored"]) == f["stored"]


def test_report_html_shows_the_same_decisions(outputs: dict[str, Any]) -> None:
    text = outputs["report"].read_text(encoding="utf-8")
    shown = dict(re.findall(r'<td class="t">([^<]+)(?:<span[^>]*>[^<]*</span>)?</td><td class="t [a-z]+" '
                            r'data-decision="([a-z-]+)"', text))  # fmt: skip
    assert shown == outputs["overall"]
    counts = {d: list(outputs["overall"].values()).count(d) for d in ("pass", "fail", "borderline", "insufficient")}
    words = {"pass": "geslaagd", "fail": "niet geslaagd", "borderline": "grensgeval (hertest aanbevolen)",
             "insufficient": "onvoldoende gegevens"}  # fmt: skip
    line = " · ".join(f"{words[d]}: {n}" for d, n in counts.items())
    assert line in text and text.index(line) < text.index('id="applicants"')


def test_compare_files_agree(outputs: dict[str, Any]) -> None:
    cmp = outputs["cmp"]
    compared = outputs["compared"]
    expected = {c: outputs["overall"][c] for c in compared}
    ranking = _read(cmp / "ranking.csv")
    assert list(ranking.columns[:3]) == ["rank", "candidate_id", "overall_decision"]
    assert ranking.set_index("candidate_id")["overall_decision"].to_dict() == expected
    for path, sheet in ((cmp / "compare.csv", None), (cmp / "compare.xlsx", "values")):
        comparison = _read(path, sheet)
        assert list(comparison.columns[:2]) == ["candidate_id", "overall_decision"]
        assert comparison.groupby("candidate_id")["overall_decision"].first().to_dict() == expected
        rows = comparison.set_index(["candidate_id", "task", "indicator"])
        for f in outputs["final"].values():
            if f["candidate_id"] in compared:
                key = (f["candidate_id"], f["task"], f["indicator"])
                assert _word(rows.loc[key, "passed"]) == f["final"], (path.name, key)
                assert _word(rows.loc[key, "passed_stored"]) == f["stored"], (path.name, key)
        f = outputs["final"][outputs["to_pass"]]
        row = rows.loc[(f["candidate_id"], f["task"], f["indicator"])]
        assert bool(row["overridden"]) and row["override_reason"] == REASON_PASS and row["override_by"] == "A. Peeters"
    side = pd.read_excel(cmp / "compare.xlsx", sheet_name="side-by-side", header=0)
    words = {"pass": "geslaagd", "fail": "niet geslaagd", "borderline": "grensgeval (hertest aanbevolen)",
             "insufficient": "onvoldoende gegevens", "not-judged": "niet beoordeeld"}  # fmt: skip
    first = side.iloc[0]
    assert {c: first[c] for c in compared} == {c: words[d] for c, d in expected.items()}
