"""Measurement error: the figures behind ``engine.precision`` and ``engine.plausibility``.

Run: ``.venv/bin/python -m benchmarks.bench_precision [--dispersion] [--plausibility] [--coverage]
[--sample DIR]`` (no option: all three). Results are printed; the ones kept are in docs/engine.md.

- ``--dispersion``: the design effect of errors on the shared real sample: per participant,
  Pearson's chi-square of the per-sentence MSD counts around the participant's own rate
  (binomial variance, characters = max(|P|, |T|)), pooled over participants with an error and
  divided by its degrees of freedom (quasi-binomial phi); a 95 % interval by resampling
  participants (1,000 draws, seed 16).
- ``--plausibility``: the highest speeds and the lowest interval medians and spreads of the
  sample (sentences, and participants pooled), the figures the bounds are set beyond.
- ``--coverage``: 2,000 seeded virtual attempts per true rate (1 %, 3 %, 5 %) and length (300,
  729, 1,500 characters) with errors clustered in stretches of 47 characters (beta-distributed
  rates, variance inflation DESIGN_EFFECT): the share whose 95 % interval holds the true rate.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from typingtest.engine.precision import DESIGN_EFFECT, error_rate_interval

__all__ = ["coverage", "dispersion", "main", "plausibility_figures"]

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "aalto136m-sample"


def _sentences(folder: Path) -> tuple[object, pd.DataFrame]:
    from typingtest.engine.corpus import score_sentences
    from typingtest.formats.aalto import read_files

    presses, _ = read_files([folder])
    s = score_sentences(presses)
    s["chars"] = np.maximum(s["presented_chars"], s["transcribed_chars"])
    return presses, s


def _phi(errors: list[np.ndarray], chars: list[np.ndarray]) -> tuple[float, int]:
    num, df = 0.0, 0
    for x, n in zip(errors, chars, strict=True):
        p = x.sum() / n.sum()
        if p <= 0 or len(x) < 2:
            continue
        num += float(((x - n * p) ** 2 / (n * p * (1 - p))).sum())
        df += len(x) - 1
    return num / df, df


def dispersion(sentences: pd.DataFrame, draws: int = 1000, seed: int = 16) -> dict[str, float]:
    """Pooled within-person dispersion phi of per-sentence MSD counts, with a bootstrap interval."""
    groups = [(g["msd"].to_numpy(float), g["chars"].to_numpy(float)) for _, g in sentences.groupby("participant_id")]
    phi, df = _phi([g[0] for g in groups], [g[1] for g in groups])
    rng = np.random.default_rng(seed)
    boot = []
    for _ in range(draws):
        pick = rng.integers(len(groups), size=len(groups))
        boot.append(_phi([groups[i][0] for i in pick], [groups[i][1] for i in pick])[0])
    chars = sentences["chars"].to_numpy(float)
    return {"phi": phi, "df": df, "low": float(np.percentile(boot, 2.5)), "high": float(np.percentile(boot, 97.5)),
            "participants": len(groups), "sentences": len(sentences),
            "mean_chars": float(chars.mean()), "weighted_chars": float((chars**2).sum() / chars.sum())}


def plausibility_figures(presses: object, sentences: pd.DataFrame) -> dict[str, float]:
    """Highest speeds, lowest interval medians and spreads (intervals <= 2 s, 10 or more)."""
    starts = np.append(presses.starts, len(presses.key))  # type: ignore[attr-defined]
    press = presses.press_ms  # type: ignore[attr-defined]
    pid = np.asarray(presses.participant_id)  # type: ignore[attr-defined]
    med, cv, pooled = [], [], {}
    for k in range(len(starts) - 1):
        iv = np.diff(press[starts[k]:starts[k + 1]])
        iv = iv[iv <= 2000]
        pooled.setdefault(int(pid[k]), []).append(iv)
        if iv.size >= 10:
            med.append(float(np.median(iv)))
            cv.append(float(iv.std(ddof=1) / iv.mean()))
    pcv = [float(np.concatenate(v).std(ddof=1) / np.concatenate(v).mean()) for v in pooled.values()]
    from typingtest.engine.corpus import score_participants

    parts = score_participants(sentences)
    return {"max_sentence_wpm": float(sentences["wpm"].max()), "max_participant_wpm": float(parts["wpm"].max()),
            "min_sentence_median_iki_ms": min(med), "min_sentence_iki_cv": min(cv),
            "min_participant_iki_cv": min(pcv), "sentences_judged": len(med)}


def coverage(rate: float, chars: int, attempts: int = 2000, cluster: int = 47, seed: int = 16) -> float:
    """Share of seeded virtual attempts whose interval holds the true ``rate``."""
    rng = np.random.default_rng(seed)
    rho = (DESIGN_EFFECT - 1.0) / (cluster - 1)
    s = 1.0 / rho - 1.0
    k = -(-chars // cluster)
    sizes = np.full(k, cluster)
    sizes[-1] = chars - cluster * (k - 1)
    hits = 0
    for _ in range(attempts):
        errors = int(rng.binomial(sizes, rng.beta(rate * s, (1.0 - rate) * s, size=k)).sum())
        low, high = error_rate_interval(errors / chars, chars)
        hits += low <= rate <= high  # type: ignore[operator]
    return hits / attempts


def main(argv: list[str] | None = None) -> int:
    """Print the figures asked for (all without options)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dispersion", action="store_true")
    ap.add_argument("--plausibility", action="store_true")
    ap.add_argument("--coverage", action="store_true")
    ap.add_argument("--sample", type=Path, default=SAMPLE)
    args = ap.parse_args(argv)
    every = not (args.dispersion or args.plausibility or args.coverage)
    real = every or args.dispersion or args.plausibility
    if real and not args.sample.is_dir():
        print(f"SKIPPED LOUDLY: no sample at {args.sample} (dispersion and plausibility need it)")
        real = False
    if real:
        presses, sentences = _sentences(args.sample)
        if every or args.dispersion:
            d = dispersion(sentences)
            print(f"dispersion: phi = {d['phi']:.3f} (bootstrap 95 %: {d['low']:.2f}-{d['high']:.2f}; df {d['df']}), "
                  f"{d['participants']} participants, {d['sentences']} sentences of {d['mean_chars']:.1f} characters "
                  f"(character-weighted {d['weighted_chars']:.1f}); engine DESIGN_EFFECT = {DESIGN_EFFECT}")
        if every or args.plausibility:
            f = plausibility_figures(presses, sentences)
            print("plausibility: " + ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}"
                                               for k, v in f.items()))
    if every or args.coverage:
        t0 = time.perf_counter()
        for chars in (300, 729, 1500):
            cells = [f"{rate:.0%}: {coverage(rate, chars):.1%}" for rate in (0.01, 0.03, 0.05)]
            print(f"coverage of the 95 % interval, 2,000 attempts of {chars} characters: " + ", ".join(cells))
        print(f"({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
