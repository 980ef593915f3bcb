"""Analysis benchmarks: a 1,000-candidate cohort report with charts (budget 10 s) and
``compare`` of 20 applicants (budget 2 s).

Run: ``.venv/bin/python -m benchmarks.bench_analysis [--candidates 1000] [--runs 3]``.
``--screenshot docs/report.png [--no-bench]`` also writes a 40-candidate demo report and its
headless Chromium screenshot (the picture in ``docs/analysis.md``).

The cohort is synthetic (seeded): per candidate a copy-typing, a data-entry and a call
attempt, with verdicts from the engine's ``verdict`` on the shipped thresholds. Reported:
wall time (the machine is shared; see the load average printed) and the process's CPU time,
median of the runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd

from typingtest.analysis.compare import compare_applicants, side_by_side
from typingtest.analysis.report import build_cohort_report, write_applicant_pdf, write_html, write_pdf, write_tables
from typingtest.config import load_thresholds
from typingtest.engine.verdicts import verdict

__all__ = ["synthetic_cohort"]

FIELDS = ("name", "street", "postcode", "customer_number", "email", "phone")
CONFUSIONS = (("a", "q"), ("m", ","), ("é", "e"), ("z", "w"), ("s", ""), ("", "e"), ("n", "b"), ("è", "e"))


def synthetic_cohort(n_candidates: int, seed: int = 0, cohort: str = "bench") -> pd.DataFrame:
    """An attempts frame (``Store.attempts_frame`` columns) of ``n_candidates`` with three attempts each."""
    rng = np.random.default_rng(seed)
    th = load_thresholds()
    rows = []
    start = pd.Timestamp("2026-11-02T08:00:00Z")
    for i in range(n_candidates):
        cid = f"{cohort}-{i:04d}"
        sid = f"s-{cid}"
        day = start + pd.Timedelta(days=int(rng.integers(0, 28)), minutes=int(rng.integers(0, 480)))
        skill = rng.normal(0, 1)
        net = float(max(8.0, 36 + 9 * skill + rng.normal(0, 3)))
        msd = float(max(0.0, rng.gamma(1.4, 0.012) - 0.002 * skill))
        base = {"candidate_id": cid, "cohort": cohort, "session_id": sid, "battery": "default", "language": "nl",
                "practice": False, "state": "complete", "verified": True, "transcribed": ""}  # fmt: skip

        def judged(pairs: list[tuple[str, float]]) -> list[dict]:
            return [verdict(ind, val, th).to_dict() for ind, val in pairs]

        confusion = [{"intended": a, "typed": b, "weight": float(rng.integers(0, 4))} for a, b in CONFUSIONS]
        rows.append({**base, "attempt_id": f"a-{cid}-copy", "task": "copy-typing", "item": "nl-copy-01",
                     "started_at": day, "ended_at": day + pd.Timedelta(minutes=5), "wpm": net + 1.5,
                     "gross_wpm": net + 3.0, "net_wpm": net, "msd_error_rate": msd, "uncorrected_error_rate": msd,
                     "corrected_error_rate": float(rng.uniform(0.01, 0.06)), "total_error_rate": msd + 0.03,
                     "kspc": float(rng.uniform(1.02, 1.2)), "iki_mean_ms": 12000 / max(net, 1), "iki_sd_ms": 90.0,
                     "metrics": {"confusion": confusion},
                     "verdicts": judged([("msd_error_rate", msd), ("net_wpm", net)]), "actions": []})  # fmt: skip
        fer = float(max(0.0, rng.gamma(1.2, 0.015)))
        missed = {f for f in FIELDS if rng.random() < (0.25 if f == "email" else 0.06)}
        complete = 1.0 - sum(rng.random() < 0.3 for _ in missed) / len(FIELDS)
        load = float(max(5.0, net * rng.uniform(0.65, 0.95)))
        form = {"fields": [{"name": f, "filled": True, "correct": f not in missed} for f in FIELDS],
                "field_error_rate": None, "field_completeness": None}  # the engine's form score, trimmed
        t1 = day + pd.Timedelta(minutes=10)
        rows.append({**base, "attempt_id": f"a-{cid}-entry", "task": "data-entry", "item": "nl-entry-01",
                     "started_at": t1, "ended_at": t1 + pd.Timedelta(minutes=4), "wpm": load + 1, "gross_wpm": load + 2,
                     "net_wpm": load, "msd_error_rate": fer, "uncorrected_error_rate": fer,
                     "corrected_error_rate": 0.03, "total_error_rate": fer + 0.03, "kspc": 1.1, "iki_mean_ms": 260.0,
                     "iki_sd_ms": 120.0,
                     "metrics": {"field_error_rate": fer, "field_completeness": complete, "form": form},
                     "verdicts": judged([("field_error_rate", fer), ("field_completeness", complete)]),
                     "actions": []})  # fmt: skip
        pickup = float(rng.gamma(3.0, 2.5))
        find = float(rng.gamma(4.0, 5.0))
        handling = float(rng.normal(360, 50))
        score = float(np.clip(rng.normal(0.85, 0.1), 0, 1))
        t2 = day + pd.Timedelta(minutes=20)
        rows.append({**base, "attempt_id": f"a-{cid}-call", "task": "call", "item": "nl-call-01", "started_at": t2,
                     "ended_at": t2 + pd.Timedelta(seconds=handling), "wpm": np.nan, "gross_wpm": np.nan,
                     "net_wpm": np.nan, "msd_error_rate": np.nan, "uncorrected_error_rate": np.nan,
                     "corrected_error_rate": np.nan, "total_error_rate": np.nan, "kspc": np.nan,
                     "iki_mean_ms": np.nan, "iki_sd_ms": np.nan,
                     "metrics": {"pickup_time_s": pickup, "record_find_time_s": find, "call_handling_time_s": handling,
                                 "action_score": score},
                     "verdicts": judged([("pickup_time_s", pickup), ("record_find_time_s", find),
                                         ("call_handling_time_s", handling), ("action_score", score)]),
                     "actions": [{"action": "pickup", "done": True, "correct": True,
                                  "latency_s": pickup}]})  # fmt: skip
    frame = pd.DataFrame(rows)
    for col in ("started_at", "ended_at"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame


def _time(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``runs`` calls."""
    wall, cpu = [], []
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--screenshot", type=Path, help="write a 40-candidate demo report's screenshot here")
    parser.add_argument("--no-bench", action="store_true", help="only the screenshot")
    args = parser.parse_args(argv)
    if args.no_bench:
        if args.screenshot:
            _screenshot(args.screenshot)
        return 0
    data = synthetic_cohort(args.candidates)
    th = load_thresholds()
    print(f"load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())}" if hasattr(os, "getloadavg") else "")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)

        def report_html() -> None:
            write_html(build_cohort_report(data, cohort="bench", thresholds=th), out / "report.html")

        def report_all() -> None:
            report = build_cohort_report(data, cohort="bench", thresholds=th)
            write_html(report, out / "report.html")
            write_pdf(report, out / "report.pdf")
            write_tables(report, out)

        ids = list(data["candidate_id"].drop_duplicates()[:20])

        def compare20() -> None:
            comparison, ranking, _ = compare_applicants(data, ids, reference=data)
            comparison.to_csv(out / "compare.csv", index=False)
            ranking.to_csv(out / "ranking.csv", index=False)
            side_by_side(comparison, "nl", order=list(ranking["candidate_id"])).to_csv(out / "side.csv")
            for cand in ids:
                write_applicant_pdf(cand, comparison, ranking, out / f"{cand}.pdf", cohort="bench")

        n = data["candidate_id"].nunique()
        for name, fn, budget in (
            (f"report HTML with charts, {n} candidates", report_html, 10.0),
            (f"report HTML + PDF + CSV/XLSX, {n} candidates", report_all, None),
            ("compare 20 applicants (tables + 20 one-page PDFs)", compare20, 2.0),
        ):
            wall, cpu = _time(fn, args.runs)
            verdict_text = ""
            if budget is not None:
                verdict_text = (" within" if cpu <= budget else " OVER") + f" budget {budget:.0f} s"
            print(f"{name}: wall {wall:.2f} s, CPU {cpu:.2f} s (median of {args.runs}){verdict_text}")
    if args.screenshot:
        _screenshot(args.screenshot)
    return 0


def _screenshot(path: Path) -> None:
    """Write a 40-candidate demo report and its headless-Chromium screenshot to ``path``."""
    demo = synthetic_cohort(40, seed=7, cohort="2026-demo")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("no chromium: screenshot skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        html = write_html(build_cohort_report(demo, cohort="2026-demo", thresholds=load_thresholds(), lang="en"),
                          Path(tmp) / "report.html")  # fmt: skip
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run",
                        f"--user-data-dir={Path(tmp) / 'profile'}", "--window-size=1280,4200",
                        f"--screenshot={path.resolve()}", html.resolve().as_uri()],
                       check=True, capture_output=True, timeout=120)  # fmt: skip
    from PIL import Image  # matplotlib's own dependency

    with Image.open(path) as im:
        im.convert("RGB").quantize(colors=128).save(path, optimize=True)  # a smaller file for the repository
    print(f"screenshot: {path}")


if __name__ == "__main__":
    raise SystemExit(main())
