"""The cohort report: self-contained HTML opened in headless Chromium, PDF through pdftoppm, tables."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest

from typingtest.analysis.frame import filter_attempts, read_attempts_csv
from typingtest.analysis.report import (
    build_cohort_report,
    write_applicant_pdf,
    write_html,
    write_pdf,
    write_tables,
)
from typingtest.config import load_thresholds

DATA = Path(__file__).resolve().parents[1] / "data"
CANDIDATES = ["c01", "c02", "c03", "c04", "c05"]


def chromium() -> str:
    """Test helper (Linux/Debian): the headless Chromium binary, or skip loudly."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("SKIPPED LOUDLY: headless Chromium not installed (Debian package `chromium`; `make sysdeps`)")


def run_chromium(tmp_path: Path, url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    """Headless Chromium with no network services and a fresh profile; returns the finished process."""
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
           "--enable-logging=stderr", "--v=0", *extra, url]  # fmt: skip
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def report_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("report")
    data = filter_attempts(read_attempts_csv(DATA / "analysis_cohort.csv"), cohort="2026-A")
    overrides = pd.read_csv(DATA / "analysis_overrides.csv")
    report = build_cohort_report(data, cohort="2026-A", lang="en", overrides=overrides,
                                 thresholds=load_thresholds())  # fmt: skip
    files = {"html": write_html(report, out / "report.html"), "pdf": write_pdf(report, out / "report.pdf")}
    for p in write_tables(report, out):
        files[p.name] = p
    files["n_charts"] = len(report.charts)  # type: ignore[assignment]
    return files


def test_html_is_self_contained(report_files: dict[str, Path]) -> None:
    text = report_files["html"].read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", text)
    assert "<link" not in text and "@import" not in text
    assert text.count('src="data:image/png;base64,') == report_files["n_charts"]
    for cand in CANDIDATES:
        assert f">{cand}<" in text
    assert ">c06<" not in text  # another cohort
    assert "3.01 %" in text and "✓*" in text  # c03's overridden verdict shown as such
    overrides = text[text.index('id="overrides"'):]
    assert "sticking key" in overrides and "A. Peeters" in overrides  # with its reason and assessor
    assert "Contactcenteroperator 2016" in text  # each threshold names its basis


def test_html_renders_in_headless_chromium(report_files: dict[str, Path], tmp_path: Path) -> None:
    url = report_files["html"].resolve().as_uri()
    done = run_chromium(tmp_path, url, "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert 'data-ready="1"' in dom, "the inline script did not run to its end"
    assert "Uncaught" not in done.stderr, done.stderr[-2000:]
    rows = re.findall(r'<tr class="applicant">(.*?)</tr>', dom, flags=re.S)
    assert len(rows) == len(CANDIDATES)
    shown = [re.search(r'<td class="t">([^<]+)</td>', r).group(1) for r in rows]  # type: ignore[union-attr]
    assert sorted(shown) == CANDIDATES
    ranks = [int(re.search(r'data-sort="(\d+)"', r).group(1)) for r in rows]  # type: ignore[union-attr]
    assert ranks == sorted(ranks)  # the script sorted the table by rank on load
    shot = tmp_path / "shot.png"
    done = run_chromium(tmp_path, url, f"--screenshot={shot}", "--window-size=1280,1800")
    assert done.returncode == 0 and shot.is_file(), done.stderr[-2000:]
    pixels = mpimg.imread(shot)
    assert pixels.shape[0] == 1800 and pixels.shape[1] == 1280
    assert float(np.std(pixels)) > 0.05  # not a blank page


def test_pdf_pages_through_pdftoppm(report_files: dict[str, Path], tmp_path: Path) -> None:
    if not shutil.which("pdftoppm"):
        pytest.skip("SKIPPED LOUDLY: pdftoppm not installed (Debian package `poppler-utils`)")
    done = subprocess.run(["pdftoppm", "-r", "40", "-png", str(report_files["pdf"]), str(tmp_path / "page")],
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    pages = sorted(tmp_path.glob("page-*.png"))
    # summary, charts two to a page, applicants, overrides, statistics, reliability (a page of its own)
    assert len(pages) == 1 + -(-report_files["n_charts"] // 2) + 1 + 1 + 1 + 1  # type: ignore[operator]
    for page in pages:
        assert float(np.std(mpimg.imread(page))) > 0.01, page.name


def test_tables_csv_and_xlsx(report_files: dict[str, Path]) -> None:
    applicants = pd.read_csv(report_files["report_applicants.csv"])
    assert sorted(applicants["candidate_id"]) == CANDIDATES
    assert list(applicants["rank"]) == [1, 2, 3, 4, 5]
    comp = pd.read_csv(report_files["report_competences.csv"]).set_index("competence")
    assert comp.loc["co 01670", "pass_rate"] == pytest.approx(0.6)  # README: 3/5
    sheets = pd.read_excel(report_files["report.xlsx"], sheet_name=None)
    assert set(sheets) == {"decisions", "competences", "overrides", "applicants", "statistics", "multitask",
                           "thresholds"}
    assert len(sheets["applicants"]) == 5


def test_report_in_dutch_by_default(tmp_path: Path) -> None:
    data = filter_attempts(read_attempts_csv(DATA / "analysis_cohort.csv"), cohort="2026-A")
    report = build_cohort_report(data, cohort="2026-A", charts=False)
    text = write_html(report, tmp_path / "r.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in text and "Cohortrapport: 2026-A" in text and "Kandidaten" in text


def test_applicant_pdf_is_one_page(tmp_path: Path) -> None:
    from typingtest.analysis.compare import compare_applicants

    data = filter_attempts(read_attempts_csv(DATA / "analysis_cohort.csv"), cohort="2026-A")
    comparison, ranking, _ = compare_applicants(data, ["c01", "c03"], reference=data)
    path = write_applicant_pdf("c03", comparison, ranking, tmp_path / "c03.pdf", lang="en", cohort="2026-A")
    assert path.read_bytes().count(b"/Type /Page\n") + path.read_bytes().count(b"/Type /Page ") >= 1
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "p")], check=True, timeout=60)
        assert len(list(tmp_path.glob("p*.png"))) == 1


def test_report_warns_of_attempts_failing_their_signature(tmp_path: Path) -> None:
    data = filter_attempts(read_attempts_csv(DATA / "analysis_cohort.csv"), cohort="2026-A").copy()
    report = build_cohort_report(data, charts=False, lang="en")
    assert 'id="unverified"' not in write_html(report, tmp_path / "ok.html").read_text(encoding="utf-8")
    data["verified"] = [False] + [True] * (len(data) - 1)
    report = build_cohort_report(data, charts=False, lang="en")
    assert report.n_unverified == 1
    text = write_html(report, tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'id="unverified"' in text and "1 attempt(s) fail their signature check" in text


@pytest.mark.parametrize("case", ["copy-typing only", "call only", "no verdicts", "one candidate"])
def test_report_on_partial_data(tmp_path: Path, case: str) -> None:
    data = filter_attempts(read_attempts_csv(DATA / "analysis_cohort.csv"), cohort="2026-A")
    sub = {
        "copy-typing only": data[data["task"] == "copy-typing"],
        "call only": data[data["task"] == "call"],
        "no verdicts": data.assign(verdicts=[[] for _ in range(len(data))]),
        "one candidate": data[data["candidate_id"] == "c01"],
    }[case]
    report = build_cohort_report(sub, charts=False)
    text = write_html(report, tmp_path / "r.html").read_text(encoding="utf-8")
    assert text.count('<tr class="applicant">') == sub["candidate_id"].nunique()
    assert write_pdf(report, tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    if case == "no verdicts":
        assert report.competences.empty and (report.applicants["thresholds_judged"] == 0).all()
