"""``reached_length`` benchmark: where a timed-out copy-typing attempt stopped in its passage.

The RapidFuzz search (one Levenshtein distance per prefix length within the bound) against the
numpy band of the edit-distance table, on a 2,000-character passage of which the candidate
typed the first ``--typed`` characters with ``--error-rate`` of them substituted (the bound,
the distance of T to P[:|T|], grows with the errors). Per case: the bound, then the median time
of each method and of the default choice (CPU ms; the numpy band is what ``reached_length`` did for
every bound before the RapidFuzz search) and whether they agree.

Run: ``.venv/bin/python -m benchmarks.bench_reached_length [--runs N] [--seed S]``
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
from rapidfuzz.distance import Levenshtein

from benchmarks.bench_engine import PASSAGE
from typingtest.engine.scoring import reached_length

__all__ = ["main", "make_case"]


def make_case(chars: int = 2000, typed: int = 1500, error_rate: float = 0.02, seed: int = 3) -> tuple[str, str]:
    """(presented, transcribed): the first ``typed`` characters of a ``chars``-character passage,
    ``error_rate`` of them replaced, dropped or doubled at random."""
    rng = np.random.default_rng(seed)
    presented = (PASSAGE * (chars // len(PASSAGE) + 1))[:chars]
    out: list[str] = []
    for ch in presented[:typed]:
        r = rng.random()
        if r < error_rate / 3:
            out.append("x")
        elif r < 2 * error_rate / 3:
            continue
        elif r < error_rate:
            out.append(ch + ch)
        else:
            out.append(ch)
    return presented, "".join(out)


def _median_ms(fn: Callable[[], int], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.process_time()  # CPU time: the machine is shared, wall time waits for a core
        fn()
        times.append((time.process_time() - t0) * 1000.0)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    """Print one line per case; exit code 1 when the two methods disagree."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args(argv)
    bad = 0
    print("2,000-character passage; typed, error rate -> |T|, bound; RapidFuzz search / numpy band (the whole "
          "of the former version) / the default choice, median CPU ms")
    for typed, rate in [(2000, 0.0), (2000, 0.005), (1500, 0.02), (2000, 0.05), (1000, 0.1), (2000, 0.1),
                        (2000, 0.2), (2000, 0.4), (700, 0.6)]:
        p, t = make_case(typed=typed, error_rate=rate, seed=args.seed)
        bound = Levenshtein.distance(t, p[: len(t)])
        fast = _median_ms(lambda p=p, t=t: reached_length(p, t, numpy_from_bound=10**9), args.runs)
        band = _median_ms(lambda p=p, t=t: reached_length(p, t, numpy_from_bound=1), args.runs)
        auto = _median_ms(lambda p=p, t=t: reached_length(p, t), args.runs)
        same = reached_length(p, t, numpy_from_bound=10**9) == reached_length(p, t, numpy_from_bound=1)
        bad += not same
        print(f"typed {typed:5d}, errors {rate:4.1%}: |T| {len(t):5d}, bound {bound:4d}: "
              f"rapidfuzz {fast:8.2f} ms, numpy {band:8.2f} ms, default {auto:8.2f} ms, same result {same}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
