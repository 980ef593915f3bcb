"""The virtual typist against the real sample: intervals, KSPC and MSD error rate per band.

For each speed band, sentences of the shared 136M Keystrokes sample are retyped by the band's
profile (``profiles.BAND_PROFILES``) at the speed of the participant who typed them (scaled
by the profile's speed over the band's mean); then, real against model:

- inter-key intervals (ms, consecutive key presses within a sentence, under 2 s): medians
  and the two-sample Kolmogorov-Smirnov distance D (``scipy.stats.ks_2samp``);
- the share of intervals of 2 s or more (pauses);
- KSPC (key presses, modifiers included, per transcribed character), backspaces per
  character and the MSD error rate (sum of MSD / sum of max(|P|, |T|)), the engine's figures
  for the model and the study's own P and T for the real logs.

``python -m typingtest.simulate.validate [FOLDER] [--plot FILE]`` prints the table as
Markdown (for docs/simulate.md) and draws the interval distributions.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz.distance import Levenshtein
from scipy.stats import ks_2samp

from typingtest.engine.events import EventKind
from typingtest.simulate.calibration import BANDS, _read_sample, load_params
from typingtest.simulate.profiles import BAND_PROFILES
from typingtest.simulate.typist import K_BACKSPACE, type_text

__all__ = ["compare_with_sample", "plot_comparison"]

_PAUSE_MS = 2000.0


def _real_sentences(keys: pd.DataFrame) -> pd.DataFrame:
    """One row per (participant, sentence): P, T, key presses, backspaces, press times (ms), band."""
    k = keys.dropna(subset=["PRESS_TIME"]).sort_values(["PARTICIPANT_ID", "TEST_SECTION_ID", "PRESS_TIME"],
                                                        kind="stable")
    k = k.assign(is_bksp=k["LETTER"].fillna("") == "BKSP")
    g = k.groupby(["PARTICIPANT_ID", "TEST_SECTION_ID"], sort=False)
    sent = g.agg(P=("SENTENCE", "first"), T=("USER_INPUT", "first"), keys=("PRESS_TIME", "size"),
                 bksp=("is_bksp", "sum"), t0=("PRESS_TIME", "min"), t1=("PRESS_TIME", "max"))
    sent["press"] = g["PRESS_TIME"].apply(lambda s: s.to_numpy(float))
    sent["P"] = sent["P"].fillna("").astype(str)
    sent["T"] = sent["T"].fillna("").astype(str)
    sent = sent[sent["T"].str.len() > 1]
    part = sent.groupby(level=0).apply(
        lambda s: (s["T"].str.len().sum() - len(s)) / ((s["t1"] - s["t0"]).sum() / 1000.0) * 12.0)
    sent = sent.join(part.rename("participant_wpm"), on="PARTICIPANT_ID")
    sent["band"] = ""
    for band, (lo, hi) in BANDS.items():
        sent.loc[(sent["participant_wpm"] >= lo) & (sent["participant_wpm"] < hi), "band"] = band
    return sent


def compare_with_sample(folder: Path, sentences_per_band: int = 600, seed: int = 1
                        ) -> tuple[pd.DataFrame, dict[str, dict[str, np.ndarray]]]:
    """(the side-by-side table, the intervals per band and source) on the sample in ``folder``."""
    sent = _real_sentences(_read_sample(folder))
    params = load_params()
    rng = np.random.default_rng(seed)
    rows: list[dict[str, Any]] = []
    ikis: dict[str, dict[str, np.ndarray]] = {}
    for band in BANDS:
        sub = sent[sent["band"] == band]
        pick = sub.iloc[rng.choice(len(sub), size=min(sentences_per_band, len(sub)), replace=False)]
        real_iki = np.concatenate([np.diff(p) for p in pick["press"]])
        real_msd = sum(Levenshtein.distance(p, t) for p, t in zip(pick["P"], pick["T"], strict=True))
        real_max = sum(max(len(p), len(t)) for p, t in zip(pick["P"], pick["T"], strict=True))
        base = BAND_PROFILES[band]
        scale = base.speed_wpm / params["bands"][band]["wpm"]
        sim_iki, keys, bksp, tlen, msd, maxlen = [], 0, 0, 0, 0, 0
        for k, (p, wpm) in enumerate(zip(pick["P"], pick["participant_wpm"], strict=True)):
            a = type_text(p, replace(base, speed_wpm=float(wpm) * scale), seed=seed * 100_000 + k)
            down = a.log[a.log["kind"] == EventKind.KEY_DOWN]
            sim_iki.append(np.diff(down["t"]) * 1000.0)
            keys += len(down)
            bksp += int(np.count_nonzero(down["key"] == K_BACKSPACE))
            tlen += len(a.transcribed)
            msd += Levenshtein.distance(p, a.transcribed)
            maxlen += max(len(p), len(a.transcribed))
        sim = np.concatenate(sim_iki)
        ikis[band] = {"real": real_iki, "model": sim}
        short_r, short_s = real_iki[real_iki < _PAUSE_MS], sim[sim < _PAUSE_MS]
        ks = ks_2samp(short_r, short_s)
        rows.append({
            "band": band, "sentences": len(pick),
            "iki_median_ms_real": float(np.median(short_r)), "iki_median_ms_model": float(np.median(short_s)),
            "iki_iqr_ms_real": float(np.subtract(*np.percentile(short_r, [75, 25]))),
            "iki_iqr_ms_model": float(np.subtract(*np.percentile(short_s, [75, 25]))),
            "ks_d": float(ks.statistic),
            "pause_share_real": float(np.mean(real_iki >= _PAUSE_MS)),
            "pause_share_model": float(np.mean(sim >= _PAUSE_MS)),
            "kspc_real": float(pick["keys"].sum() / pick["T"].str.len().sum()), "kspc_model": keys / tlen,
            "backspace_per_char_real": float(pick["bksp"].sum() / pick["T"].str.len().sum()),
            "backspace_per_char_model": bksp / tlen,
            "msd_error_rate_real": real_msd / real_max, "msd_error_rate_model": msd / maxlen,
        })
    return pd.DataFrame(rows), ikis


def plot_comparison(ikis: dict[str, dict[str, np.ndarray]], ax: Any = None) -> Any:
    """Empirical CDFs of the inter-key intervals (ms, under 2 s), real (solid) against model (dashed)."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 4.2))
    colours = {"slow": "tab:red", "average": "tab:blue", "fast": "tab:green"}
    for band, d in ikis.items():
        for src, style in (("real", "-"), ("model", "--")):
            x = np.sort(d[src][d[src] < _PAUSE_MS])
            ax.plot(x, np.arange(1, len(x) + 1) / len(x), style, color=colours.get(band), lw=1.4,
                    label=f"{band}, {src}")
    ax.set_xscale("log")
    ax.set_xlim(20, 2000)
    ax.set_xlabel("inter-key interval (ms, log scale)")
    ax.set_ylabel("cumulative share")
    ax.set_title("Inter-key intervals: 136M Keystrokes sample vs virtual typist")
    ax.legend(fontsize=8, ncols=3)
    ax.grid(alpha=0.3)
    return ax


def _markdown(table: pd.DataFrame) -> str:
    lines = ["| band | sentences | median IKI ms (real / model) | IQR ms (real / model) | KS D | pauses >= 2 s "
             "(real / model) | KSPC (real / model) | backspaces/char (real / model) | MSD error rate (real / model) |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in table.to_dict("records"):
        lines.append(
            f"| {r['band']} | {r['sentences']} | {r['iki_median_ms_real']:.0f} / {r['iki_median_ms_model']:.0f} "
            f"| {r['iki_iqr_ms_real']:.0f} / {r['iki_iqr_ms_model']:.0f} | {r['ks_d']:.3f} "
            f"| {r['pause_share_real']:.2%} / {r['pause_share_model']:.2%} "
            f"| {r['kspc_real']:.3f} / {r['kspc_model']:.3f} "
            f"| {r['backspace_per_char_real']:.3f} / {r['backspace_per_char_model']:.3f} "
            f"| {r['msd_error_rate_real']:.2%} / {r['msd_error_rate_model']:.2%} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the comparison as Markdown; draw the plot if asked."""
    ap = argparse.ArgumentParser(prog="python -m typingtest.simulate.validate")
    default = Path(__file__).resolve().parents[3] / "shared/data/aalto136m-sample"
    ap.add_argument("folder", nargs="?", default=str(default))
    ap.add_argument("--plot", help="write the interval plot here (PNG)")
    ap.add_argument("--sentences", type=int, default=600)
    args = ap.parse_args(argv)
    table, ikis = compare_with_sample(Path(args.folder), args.sentences)
    print(_markdown(table))
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        ax = plot_comparison(ikis)
        ax.figure.tight_layout()
        ax.figure.savefig(args.plot, dpi=110)
        print(args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
