"""Virtual-candidate benchmarks: candidates per minute through the headless workstation.

Run: ``python -m benchmarks.bench_simulate [--candidates N]``. Results go in
docs/benchmarks.md ("Virtual candidates"). Figures:

1. the typist model alone: ``type_text`` on a 1,450-character passage (ms per attempt,
   characters per second);
2. virtual candidates through the ``quick`` battery (intake, copy typing 60 s, transcription
   75 s, data entry 90 s, call up to 330 s) on the simulated clock, headless (dummy video
   driver, silent audio), into a fresh SQLite store: candidates per minute of wall time, and
   how many times faster than real time the simulated clock ran.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Print the figures."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.bench_simulate")
    ap.add_argument("--candidates", type=int, default=20)
    args = ap.parse_args(argv)
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

    from typingtest.config import Settings
    from typingtest.content import load_item
    from typingtest.simulate.commands import run_cohort
    from typingtest.simulate.typist import Profile, type_text
    from typingtest.store import open_store

    text = " ".join(load_item("nl-copy-02").text.split())
    times = []
    for seed in range(20):
        t0 = time.perf_counter()
        type_text(text, Profile(), seed=seed)
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    print(f"type_text: {len(text)} characters, median {med * 1000:.0f} ms per attempt "
          f"({len(text) / med:,.0f} characters/s)")

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(results_dir=Path(tmp))
        store = open_store(settings)
        t0 = time.perf_counter()
        runs = run_cohort(settings, store, candidates=args.candidates, battery="quick", cohort_name="bench", seed=1,
                          progress=False)
        wall = time.perf_counter() - t0
        frame = store.attempts_frame(cohort="bench")
        store.close()
    simulated = sum(run.simulated_s for run in runs)
    per_min = len(runs) / wall * 60.0
    print(f"quick battery: {len(runs)} candidates, {len(frame)} attempts stored in {wall:.1f} s wall: "
          f"{per_min:.1f} candidates per minute ({wall / len(runs):.2f} s each)")
    print(f"simulated clock: {simulated / len(runs):.0f} s per candidate, {simulated / wall:.0f} x real time")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
