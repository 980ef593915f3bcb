"""Commands of this part of typingtest: ``simulate`` and ``demo`` (added to the CLI by ``typingtest.cli``)."""

from __future__ import annotations

import argparse
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from typingtest.errors import UserError

__all__ = ["register", "run_cohort", "simulated_id"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this part's commands to the ``typingtest`` parser."""
    p = sub.add_parser("simulate", help="virtual candidates through the headless workstation into the store")
    p.add_argument("--candidates", type=int, default=10, help="how many virtual candidates (default 10)")
    p.add_argument("--battery", default="quick", help="battery name or file (default quick)")
    p.add_argument("--profiles", help="TOML file of [[profile]] tables (default: the built-in cohort mix)")
    p.add_argument("--seed", type=int, default=1, help="seed of the whole run (default 1)")
    p.add_argument("--cohort", default="simulated", help="cohort name stored with the candidates")
    p.add_argument("--real-time", action="store_true", help="keep the simulated clock at wall-clock pace")
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser("demo", help="a demo cohort in its own database in DIR, with report.html and a progress chart")
    p.add_argument("--candidates", type=int, default=20, help="how many virtual candidates (default 20)")
    p.add_argument("--out", default="typingtest-demo", help="folder for the demo database and reports")
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(func=cmd_demo)


def simulated_id(cohort_name: str, seed: int, number: int) -> str:
    """A virtual candidate's id: ``SIM-<cohort>-<seed>-NNN`` when that is a valid id, else the
    cohort part replaced by 8 hex digits of its SHA-256 (a cohort name may hold spaces)."""
    import hashlib

    from typingtest.ids import is_valid_candidate_id

    cid = f"SIM-{cohort_name}-{seed}-{number:03d}"
    if is_valid_candidate_id(cid):
        return cid
    digest = hashlib.sha256(cohort_name.encode("utf-8")).hexdigest()[:8]
    return f"SIM-{digest}-{seed}-{number:03d}"


def run_cohort(settings: Any, store: Any, *, candidates: int, battery: str, cohort_name: str, seed: int,
               profiles: list[tuple[Any, float]] | None = None, real_time: bool = False,
               progress: bool = True) -> list[Any]:
    """Run ``candidates`` virtual candidates through ``battery`` headless into ``store``; the runs (truth)."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    from tqdm import tqdm

    from typingtest.simulate.drive import run_candidate
    from typingtest.simulate.profiles import DEFAULT_COHORT, draw_profiles
    from typingtest.workstation.driver import Driver

    drawn = draw_profiles(candidates, profiles or DEFAULT_COHORT, seed)
    ids = [simulated_id(cohort_name, seed, i + 1) for i in range(candidates)]
    taken = set(store.attempts_frame(cohort=cohort_name, include_practice=True)["candidate_id"]) & set(ids)
    if taken:
        raise UserError(f"simulate: --seed: {len(taken)} of these virtual candidates ({sorted(taken)[0]}...) "
                        "already took a battery in this store (the retake policy would stop them); "
                        "use another --seed or --cohort")
    runs = []
    for i, profile in enumerate(tqdm(drawn, desc="virtual candidates", unit="cand", disable=not progress)):
        cid = ids[i]
        store.ensure_candidate(cid, cohort=cohort_name)
        driver = Driver.open(settings, store, battery=battery, seed=seed * 1000 + i)
        runs.append(run_candidate(driver, profile, cid, seed * 1000 + i, real_time=real_time))
    return runs


def cmd_simulate(args: argparse.Namespace) -> int:
    """``typingtest simulate``: N virtual candidates into the centre's store."""
    from typingtest.config import load_settings
    from typingtest.content import load_battery
    from typingtest.simulate.profiles import load_profiles
    from typingtest.store import open_store

    if args.candidates < 1:
        raise UserError("simulate: --candidates: must be 1 or more")
    try:
        load_battery(args.battery)
    except Exception as exc:  # the content part's own message names the file and field
        raise UserError(f"simulate: --battery: {exc}") from None
    profiles = load_profiles(args.profiles) if args.profiles else None
    settings = load_settings(getattr(args, "settings", None))
    store = open_store(settings)
    try:
        runs = run_cohort(settings, store, candidates=args.candidates, battery=args.battery, cohort_name=args.cohort,
                          seed=args.seed, profiles=profiles, real_time=args.real_time)
    finally:
        store.close()
    print(f"simulate: {len(runs)} virtual candidates stored in cohort {args.cohort!r}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """``typingtest demo``: a demo cohort in DIR (its own SQLite database), report.html and a progress chart."""
    from typingtest.analysis.progress_report import write_progress
    from typingtest.analysis.report import build_cohort_report, write_html
    from typingtest.config import Settings, load_thresholds
    from typingtest.simulate.drive import run_candidate
    from typingtest.simulate.profiles import BAND_PROFILES
    from typingtest.store import open_store
    from typingtest.workstation.driver import Driver

    if args.candidates < 1:
        raise UserError("demo: --candidates: must be 1 or more")
    out = Path(args.out)
    if (out / "typingtest.sqlite").exists():
        raise UserError(f"{out}: a demo database is already there; give another --out or remove the folder")
    out.mkdir(parents=True, exist_ok=True)
    settings = Settings(results_dir=out)  # never the centre's settings or database
    store = open_store(settings)
    try:
        run_cohort(settings, store, candidates=args.candidates, battery="quick", cohort_name="demo", seed=args.seed)
        # a trainee over four sessions, getting faster and more accurate
        trainee = f"SIM-trainee-{args.seed}"
        store.ensure_candidate(trainee, cohort="demo-trainee")
        base = BAND_PROFILES["slow"]
        for k in range(4):
            prof = replace(base, name=f"trainee-{k + 1}", speed_wpm=base.speed_wpm + 6 * k,
                           error_rate=max(0.01, base.error_rate - 0.008 * k))
            driver = Driver.open(settings, store, battery="quick", seed=args.seed * 7919 + k, intake=False,
                                 candidate=trainee)
            run_candidate(driver, prof, trainee, args.seed * 7919 + k, intake=False)
        data = store.attempts_frame(cohort="demo")
        report = build_cohort_report(data, cohort="demo", thresholds=load_thresholds(settings))
        html = write_html(report, out / "report.html")
        charts = write_progress(store.attempts_frame(candidate=trainee), out / "progress")
    finally:
        store.close()
    print(f"demo: {args.candidates} virtual candidates and one trainee (4 sessions) in {out}")
    print(html)
    for p in charts:
        if p.suffix == ".png":
            print(p)
    return 0
