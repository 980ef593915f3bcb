"""Virtual-trainee study (issue 14): do adaptive drills bring weak keys' error rates down faster?

Run: ``.venv/bin/python benchmarks/study_adaptive_drills.py [--trainees 20] [--sessions 10]``
(about two minutes on the 2-core machine). Prints the table for docs/training.md.

Design. 20 simulated trainees, each the calibrated typist model (``simulate.typist.type_text``,
the "average" band of ``simulate.profiles.BAND_PROFILES`` with its speed drawn 40-65 WPM) with a
base error rate of 2 % per character and three individually weak lowercase letters (drawn from
the 15 most frequent letters of the Dutch word list) at 15-25 % per occurrence
(``type_text(key_error_rates=...)``). Each trainee is run twice from the same start, once per
arm, with the same seeds: a placement test (nl-copy-01), then 10 sessions of one drill of 600
characters, typed by the model. Adaptive arm: ``training.make_drill`` (focus keys) from the
learner model over every attempt so far (the placement test and the drills, read as the store
would hold them: event log, presented text). Random arm: ``training.random_drill`` (random words
and the same job material, same length).

Learning rule (stated, not calibrated): after each session every key's error rate moves towards
the base rate by a factor (1 - LEARN) per occurrence of the key in the session's drill:
rate <- base + (rate - base) x (1 - LEARN)^n, LEARN = 0.005 (a weak key typed 140 times in a
drill halves its excess). Only practice on the key itself helps.

Outcome per trainee and arm: the mean over the weak keys of the excess error rate left after
10 sessions, and the fall rate log(excess_0 / excess_10) / 10 (per session). The ratio adaptive /
random of the fall rates (paired, per trainee) is reported as its median, IQR and a bootstrap
95 % CI of the median (2,000 resamples of trainees, seeded).
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

import numpy as np

from typingtest.content.loader import load_item
from typingtest.simulate.profiles import BAND_PROFILES
from typingtest.simulate.typist import type_text
from typingtest.training.drills import make_drill, random_drill
from typingtest.training.learner import AttemptInput, model_from_attempts
from typingtest.training.words import words

BASE = 0.02
LEARN = 0.005
DRILL_LENGTH = 600


def _letters() -> list[str]:
    counts = Counter(c for w in words("nl") for c in w if c.isalpha() and c.islower() and c.isascii())
    return [c for c, _ in counts.most_common(15)]


def run_arm(adaptive: bool, weak: dict[str, float], speed: float, seed: int, sessions: int
            ) -> tuple[list[float], list[list[str]]]:  # fmt: skip
    """Mean excess error rate of the weak keys after each session (index 0: before), and the targets."""
    profile = BAND_PROFILES["average"].__class__(**{**BAND_PROFILES["average"].__dict__, "speed_wpm": speed,
                                                   "error_rate": BASE, "name": "trainee"})  # fmt: skip
    rates = dict(weak)
    placement = str(load_item("nl-copy-01").reference)
    attempts: list[AttemptInput] = []
    cache: dict = {}

    def typed(text: str, k: int, practice: bool) -> None:
        rates_both = {**rates, **{c.upper(): r for c, r in rates.items()}}
        att = type_text(text, profile, seed=seed * 1000 + k, key_error_rates=rates_both)
        attempts.append(AttemptInput(presented=text, transcribed=att.transcribed, log=att.log, practice=practice,
                                     task="copy-typing", language="nl"))  # fmt: skip

    typed(placement, 0, False)
    excess = [float(np.mean([rates[c] - BASE for c in weak]))]
    chosen: list[list[str]] = []
    for s in range(1, sessions + 1):
        if adaptive:
            model = model_from_attempts(attempts, cache=cache)
            drill = make_drill(model, length=DRILL_LENGTH, seed=seed * 100 + s, language="nl", focus="keys")
            chosen.append([t.key for t in drill.targets])
        else:
            drill = random_drill(DRILL_LENGTH, seed=seed * 100 + s, language="nl")
        typed(drill.text, s, True)
        for c in rates:  # the learning rule: practice on the key itself
            n = drill.text.count(c) + drill.text.count(c.upper())
            rates[c] = BASE + (rates[c] - BASE) * (1.0 - LEARN) ** n
        excess.append(float(np.mean([rates[c] - BASE for c in weak])))
    return excess, chosen


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trainees", type=int, default=20)
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--seed", type=int, default=14)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    letters = _letters()
    t0 = time.perf_counter()
    rows = []
    hits = []
    for n in range(args.trainees):
        weak_keys = [str(c) for c in rng.choice(letters, size=3, replace=False)]
        weak = {c: float(rng.uniform(0.15, 0.25)) for c in weak_keys}
        speed = float(rng.uniform(40.0, 65.0))
        ad, chosen = run_arm(True, weak, speed, n + 1, args.sessions)
        rd, _ = run_arm(False, weak, speed, n + 1, args.sessions)
        fall_a = np.log(ad[0] / ad[-1]) / args.sessions
        fall_r = np.log(rd[0] / rd[-1]) / args.sessions
        found = np.mean([len(set(weak_keys) & set(c[:5])) / 3 for c in chosen]) if chosen else 0.0
        hits.append(found)
        rows.append((n + 1, "".join(weak_keys), ad[-1] + BASE, rd[-1] + BASE, fall_a, fall_r, fall_a / fall_r))
        print(f"trainee {n + 1:2d} weak {''.join(weak_keys)}: after {args.sessions} sessions adaptive "
              f"{ad[-1] + BASE:.3f}, random {rd[-1] + BASE:.3f}; fall/session {fall_a:.3f} vs {fall_r:.3f} "
              f"(x{fall_a / fall_r:.2f}); weak keys among the 5 top targets {found:.0%}", flush=True)
    ratio = np.array([r[-1] for r in rows])
    boot = np.random.default_rng(args.seed + 1)
    meds = [np.median(boot.choice(ratio, size=len(ratio), replace=True)) for _ in range(2000)]
    q1, med, q3 = np.percentile(ratio, [25, 50, 75])
    lo, hi = np.percentile(meds, [2.5, 97.5])
    after_a = np.array([r[2] for r in rows])
    after_r = np.array([r[3] for r in rows])
    print()
    print("| trainees | sessions | weak keys' error rate after (median, adaptive / random) | fall-rate ratio "
          "adaptive / random: median (IQR) [bootstrap 95 % CI] | weak keys found |")  # fmt: skip
    print("|---|---|---|---|---|")
    print(f"| {len(rows)} | {args.sessions} | {np.median(after_a):.1%} / {np.median(after_r):.1%} | "
          f"{med:.2f} ({q1:.2f}-{q3:.2f}) [{lo:.2f}-{hi:.2f}] | {np.mean(hits):.0%} |")
    print(f"\n{time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
