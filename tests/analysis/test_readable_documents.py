"""Readable documents (issue 16, item 8): ids never cut, the applicants page landscape, the
applicant PDF with test date, battery and wrapped reasons, every label through the nl/fr/en
tables, competence codes in words, XLSX ready to read, decimal comma and Brussels time."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from typingtest.analysis.compare import compare_applicants
from typingtest.analysis.frame import INDICATORS, filter_attempts, read_attempts_csv
from typingtest.analysis.labels import (
    _LABELS,
    LANGUAGES,
    basis_label,
    competence_label,
    field_label,
    local_time,
    percent,
)
from typingtest.analysis.report import build_cohort_report, write_applicant_pdf, write_html, write_pdf, write_tables
from typingtest.analysis.xlsx import PERCENT_FORMAT, is_rate_column
from typingtest.config import load_thresholds

DATA = Path(__file__).resolve().parents[1] / "data"
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
#: 30 characters each, the same first 14 ("SIM-spring-1-0"): the cut the old page made.
LONG_IDS = {f"c0{k}": f"SIM-spring-1-0{k}-candidate-xyz{k}"[:30].ljust(30, "z") for k in range(1, 6)}
LONG_REASON = ("one error caused by a sticking key on workstation 4, logged by the proctor at 10:02 and confirmed "
               "by the technician who replaced the keyboard the same afternoon; the candidate's other attempts "
               "show no such error, so the verdict is set to passed after review")  # fmt: skip


@pytest.fixture(scope="module")
def cohort() -> pd.DataFrame:
    data = filter_attempts(read_attempts_csv(DATA / "analysis_cohort.csv"), cohort="2026-A").copy()
    data["candidate_id"] = data["candidate_id"].map(LONG_IDS)
    return data


@pytest.fixture(scope="module")
def overrides() -> pd.DataFrame:
    ov = pd.read_csv(DATA / "analysis_overrides.csv")
    ov["reason"] = LONG_REASON
    return ov


def _pdf_pages(path: Path) -> list[str]:
    """The text of each page (pdftotext -layout)."""
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True,
                          timeout=60).stdout  # fmt: skip
    return text.split("\f")


def _page_sizes(path: Path) -> list[tuple[float, float]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(path)], capture_output=True, text=True, check=True,
                          timeout=60).stdout  # fmt: skip
    return [(float(w), float(h)) for w, h in re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+)", info)]


def test_ids_are_30_characters_long_and_share_14() -> None:
    assert all(len(v) == 30 for v in LONG_IDS.values())
    assert len({v[:14] for v in LONG_IDS.values()}) == 1  # the old page showed 5 identical rows


@needs_poppler
def test_cohort_pdf_applicants_page_landscape_with_whole_ids(cohort: pd.DataFrame, overrides: pd.DataFrame,
                                                             tmp_path: Path) -> None:  # fmt: skip
    report = build_cohort_report(cohort, cohort="2026-A", overrides=overrides, thresholds=load_thresholds(),
                                 charts=False)  # fmt: skip
    pdf = write_pdf(report, tmp_path / "report.pdf")
    pages = _pdf_pages(pdf)
    sizes = _page_sizes(pdf)
    (index,) = [i for i, p in enumerate(pages) if p.lstrip().startswith("Kandidaten")]
    width, height = sizes[index]
    assert width > height  # landscape A4: 842 x 595 points
    assert (round(width), round(height)) == (842, 595)
    page = pages[index]
    for full in LONG_IDS.values():
        assert full in page, full
    assert "eindbeslissing" in page  # the overall decision beside the id
    # every row fits: no line of the page longer than the header's
    lines = [ln for ln in page.splitlines() if any(v in ln for v in LONG_IDS.values())]
    assert len(lines) == 5
    # the override: the whole reason, the assessor and the time in Brussels (10:00 UTC = 11:00)
    text = " ".join(" ".join(pages).split())
    assert " ".join(LONG_REASON.split()) in text
    assert "door A. Peeters, 05-11-2026 11:00" in text


@needs_poppler
def test_applicant_pdf_test_date_battery_wrapped_reason(cohort: pd.DataFrame, overrides: pd.DataFrame,
                                                        tmp_path: Path) -> None:  # fmt: skip
    who = LONG_IDS["c03"]
    comparison, ranking, _ = compare_applicants(cohort, [LONG_IDS["c01"], who], reference=cohort,
                                                overrides=overrides)  # fmt: skip
    ov = overrides.merge(cohort[["attempt_id", "candidate_id"]], on="attempt_id")
    pdf = write_applicant_pdf(who, comparison, ranking, tmp_path / "a.pdf", lang="nl", overrides=ov,
                              cohort="2026-A", test_date=pd.Timestamp("2026-11-03T09:00:00Z"),
                              battery="default")  # fmt: skip
    (page,) = [p for p in _pdf_pages(pdf) if p.strip()]
    flat = " ".join(page.split())
    assert f"Kandidaat {who}" in flat
    assert "testdatum: 03-11-2026 10:00 (Brusselse tijd)" in flat
    assert "batterij: default" in flat
    assert "eindbeslissing:" in flat
    assert " ".join(LONG_REASON.split()) in flat  # wrapped, not run off the page
    assert "door A. Peeters, 05-11-2026 11:00" in flat
    # labels whole, and the competence codes with their words
    # a long label wraps within its column: every word kept, in order (other columns between)
    assert re.search(r"gesprekssimulatie: tijd om dossier\b.*?\bvinden \(s\)", flat)
    assert "overtypen: netto woorden per minuut" in flat  # cut to 37 characters before
    assert "gegevensinvoer: volledigheid velden" in flat
    assert "gegevens volledig in het juiste veld invoeren" in flat  # co 01670 in words
    width = max(len(line) for line in page.splitlines())
    assert width < 130  # every line inside A4 portrait at 7 points
    assert "3,01 %" in flat  # decimal comma in Dutch


def _visible_text(html_text: str) -> str:
    """What a reader sees or hears: text outside tags, plus alt and title attributes."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html_text, flags=re.S)
    attrs = " ".join(re.findall(r'\b(?:alt|title)="([^"]*)"', body))
    return re.sub(r"<[^>]+>", " ", body) + " " + attrs


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_no_raw_key_in_the_dutch_and_french_report(cohort: pd.DataFrame, overrides: pd.DataFrame, tmp_path: Path,
                                                   lang: str) -> None:  # fmt: skip
    report = build_cohort_report(cohort, cohort="2026-A", lang=lang, overrides=overrides,
                                 thresholds=load_thresholds(), charts=True)  # fmt: skip
    text = _visible_text(write_html(report, tmp_path / "r.html").read_text(encoding="utf-8"))
    raw = [*INDICATORS, "copy-typing", "data-entry", "speed_cost", "error_cost", "distribution:"]
    found = [k for k in raw if re.search(rf"(?<![\w-]){re.escape(k)}(?![\w-])", text)]
    assert found == []
    assert not re.search(r">\s*basis\s*<", write_html(report, tmp_path / "r.html").read_text(encoding="utf-8"))
    english_basis = "types without errors within an error margin"
    assert english_basis not in text
    if lang == "nl":
        assert "grondslag" in text and "foutloos typen binnen een foutenmarge van 3 %" in text
        assert "3,01 %" in text and "(Brusselse tijd)" in text
        assert "co 01670 – gegevens volledig in het juiste veld invoeren" in text
        assert "05-11-2026 11:00" in text  # the override's time, Brussels
        assert "03-11-2026" in text  # a test date, day first
    else:
        assert "Rapport de cohorte" in text and "fondement" in text and "3,01 %" in text
        assert "heure de Bruxelles" in text


def test_xlsx_header_frozen_filtered_percent_and_widths(cohort: pd.DataFrame, overrides: pd.DataFrame,
                                                        tmp_path: Path) -> None:  # fmt: skip
    report = build_cohort_report(cohort, cohort="2026-A", overrides=overrides, charts=False)
    (xlsx,) = [p for p in write_tables(report, tmp_path, formats=("xlsx",)) if p.suffix == ".xlsx"]
    wb = load_workbook(xlsx)
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
    ws = wb["applicants"]
    head = {c.value: c.column_letter for c in ws[1]}
    msd = head["copy-typing:msd_error_rate"]
    assert ws[f"{msd}2"].number_format == PERCENT_FORMAT
    assert 0 <= ws[f"{msd}2"].value < 1  # still the fraction: 0.0301 shows as 3.01 %
    assert ws[f"{head['copy-typing:net_wpm']}2"].number_format != PERCENT_FORMAT
    ids = head["candidate_id"]
    assert ws.column_dimensions[ids].width >= 30  # a 30-character id shows whole
    assert {ws[f"{ids}{r}"].value for r in range(2, 7)} == set(LONG_IDS.values())
    # the statistics sheet: rates in percent on rate rows only
    st = wb["statistics"]
    sh = {c.value: c.column_letter for c in st[1]}
    for r in range(2, st.max_row + 1):
        indicator = st[f"{sh['indicator']}{r}"].value
        fmt = st[f"{sh['mean']}{r}"].number_format
        assert (fmt == PERCENT_FORMAT) == is_rate_column(indicator), indicator
    # local time in the Dutch workbook: 09:00 UTC in November is 10:00 in Brussels
    date = ws[f"{head['date']}2"].value
    assert date.hour == 10 and date.minute == 0


def test_rate_columns() -> None:
    assert is_rate_column("msd_error_rate") and is_rate_column("copy-typing:msd_error_rate")
    assert is_rate_column("msd_error_rate_ci_low") and is_rate_column("pass_rate")
    assert not is_rate_column("copy-typing:msd_error_rate:passed") and not is_rate_column("net_wpm")
    assert not is_rate_column("percentile")


def test_labels_in_three_languages() -> None:
    assert LANGUAGES == ("nl", "fr", "en")
    keys = set(_LABELS["nl"])
    assert all(set(_LABELS[lang]) == keys for lang in LANGUAGES)
    assert percent(0.0301, 2, "nl") == "3,01 %" and percent(0.0301, 2, "fr") == "3,01 %"
    assert percent(0.0301, 2, "en") == "3.01 %"
    # Brussels: UTC+1 in winter, UTC+2 in summer
    assert local_time("2026-11-05T10:00:00Z", "nl") == "05-11-2026 11:00"
    assert local_time("2026-07-05T10:00:00Z", "fr") == "05/07/2026 12:00"
    assert local_time("2026-07-05T10:00:00Z", "en") == "2026-07-05 10:00 UTC"
    assert field_label("customer_number", "nl") == "klantnummer"
    assert field_label("order_code_2", "fr") == "code de commande 2"
    assert competence_label("D140801 Id17267", "fr").startswith("D140801 Id17267 – remplir les documents de suivi")
    assert competence_label("X 1", "nl") == "X 1"
    shipped = load_thresholds()["msd_error_rate"].basis
    assert basis_label("msd_error_rate", shipped, "nl").startswith("Contactcenteroperator 2016: foutloos typen")
    assert basis_label("msd_error_rate", "our own rule", "nl") == "our own rule"  # a centre's own text stays
