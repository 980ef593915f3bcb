"""Calibration of the virtual typist on real keystroke logs (the 136M Keystrokes study).

``fit_bands(keys)`` takes the study's rows (columns PARTICIPANT_ID, TEST_SECTION_ID,
USER_INPUT, PRESS_TIME, RELEASE_TIME, LETTER; times in ms) and returns, per speed band
(slow < 40 WPM, average 40-60, fast >= 60: about the sample's terciles, 38 and 55 WPM),
the timing figures the typist model draws from:

- ``iki_quantiles``: 99 quantiles (1 %..99 %) of the inter-key interval divided by the
  participant's own median interval, intervals of 2 s or more left out (those are pauses);
  the model scales them by the median that gives the target speed, so the *shape* of the
  distribution is real;
- ``hold_quantiles_ms``: 99 quantiles of key hold times (release - press), ms;
- ``pause_rate``: share of intervals of 2 s or more, ``pause_quantiles_s`` their quantiles;
- ``median_iki_ms``, ``wpm``, ``kspc``, ``backspace_per_char``, ``msd_error_rate``: means
  over the band's participants, for comparison;
- ``bigram_factors`` (all bands pooled): median interval of a character bigram divided by the
  typist's median, for bigrams seen at least 40 times in the sample.

Run ``python -m typingtest.simulate.calibration [FOLDER]`` to refit and rewrite
``typist_params.json`` beside this file (the shipped parameters).
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz.distance import Levenshtein

__all__ = ["BANDS", "PARAMS_FILE", "fit_bands", "load_params"]

#: Speed bands in words per minute: [low, high).
BANDS: dict[str, tuple[float, float]] = {"slow": (0.0, 40.0), "average": (40.0, 60.0), "fast": (60.0, 1e9)}
PARAMS_FILE = Path(__file__).with_name("typist_params.json")
_Q = np.linspace(0.01, 0.99, 99)
_PAUSE_MS = 2000.0
_MIN_BIGRAM = 40


def load_params(path: Path | None = None) -> dict[str, Any]:
    """The shipped (or a given) calibration parameters."""
    with (path or PARAMS_FILE).open(encoding="utf-8") as fh:
        return json.load(fh)


def fit_bands(keys: pd.DataFrame) -> dict[str, Any]:
    """Fit the typist's timing per speed band from the study's keystroke rows (see module doc)."""
    k = keys[["PARTICIPANT_ID", "TEST_SECTION_ID", "SENTENCE", "USER_INPUT", "PRESS_TIME", "RELEASE_TIME", "LETTER"]]
    k = k.dropna(subset=["PRESS_TIME"]).sort_values(["PARTICIPANT_ID", "TEST_SECTION_ID", "PRESS_TIME"], kind="stable")
    k = k.reset_index(drop=True)
    same = (k["PARTICIPANT_ID"].to_numpy()[1:] == k["PARTICIPANT_ID"].to_numpy()[:-1]) & (
        k["TEST_SECTION_ID"].to_numpy()[1:] == k["TEST_SECTION_ID"].to_numpy()[:-1]
    )
    press = k["PRESS_TIME"].to_numpy(float)
    iki = np.full(len(k), np.nan)
    iki[1:] = np.where(same, np.diff(press), np.nan)
    k["iki"] = iki
    k["hold"] = k["RELEASE_TIME"].to_numpy(float) - press
    letters = k["LETTER"].fillna("").astype(str)
    k["is_char"] = letters.str.len() == 1
    k["is_bksp"] = letters == "BKSP"

    sent = k.groupby(["PARTICIPANT_ID", "TEST_SECTION_ID"], sort=False).agg(
        t0=("PRESS_TIME", "min"),
        t1=("PRESS_TIME", "max"),
        P=("SENTENCE", "first"),
        T=("USER_INPUT", "first"),
        keys=("PRESS_TIME", "size"),
        bksp=("is_bksp", "sum"),
    )
    sent["T"] = sent["T"].fillna("").astype(str)
    sent["P"] = sent["P"].fillna("").astype(str)
    sent["tlen"] = sent["T"].str.len()
    sent["msd"] = [Levenshtein.distance(p, t) for p, t in zip(sent["P"], sent["T"], strict=True)]
    sent["maxlen"] = np.maximum(sent["P"].str.len(), sent["tlen"])
    sent["sec"] = (sent["t1"] - sent["t0"]) / 1000.0
    part = sent.groupby(level=0).agg(
        sec=("sec", "sum"), tlen=("tlen", "sum"), n=("tlen", "size"), keys=("keys", "sum"),
        bksp=("bksp", "sum"), msd=("msd", "sum"), maxlen=("maxlen", "sum"),
    )
    part = part[(part["sec"] > 0) & (part["tlen"] > part["n"])]
    part["wpm"] = (part["tlen"] - part["n"]) / part["sec"] * 12.0
    med = k[(k["iki"] > 0) & (k["iki"] < _PAUSE_MS)].groupby("PARTICIPANT_ID")["iki"].median()
    part["median_iki_ms"] = med.reindex(part.index)

    out: dict[str, Any] = {"source": "136M Keystrokes sample (Dhakal et al. CHI 2018), 117 participants",
                           "quantile_levels": [round(float(q), 2) for q in _Q], "bands": {}}
    for band, (lo, hi) in BANDS.items():
        ids = part.index[(part["wpm"] >= lo) & (part["wpm"] < hi)]
        sub = part.loc[ids]
        kk = k[k["PARTICIPANT_ID"].isin(ids)]
        valid = kk["iki"].notna() & (kk["iki"] > 0)
        norm = (kk.loc[valid, "iki"] / kk.loc[valid, "PARTICIPANT_ID"].map(med)).to_numpy(float)
        ikis = kk.loc[valid, "iki"].to_numpy(float)
        short = ikis < _PAUSE_MS
        holds = kk["hold"].to_numpy(float)
        holds = holds[(holds > 0) & (holds < 2000)]
        out["bands"][band] = {
            "wpm_range": [lo, min(hi, 250.0)],
            "participants": len(ids),
            "wpm": float(sub["wpm"].mean()),
            "median_iki_ms": float(sub["median_iki_ms"].mean()),
            "kspc": float(sub["keys"].sum() / sub["tlen"].sum()),
            "backspace_per_char": float(sub["bksp"].sum() / sub["tlen"].sum()),
            "msd_error_rate": float(sub["msd"].sum() / sub["maxlen"].sum()),
            "iki_quantiles": [round(float(x), 4) for x in np.quantile(norm[short], _Q)],
            "hold_quantiles_ms": [round(float(x), 1) for x in np.quantile(holds, _Q)],
            "pause_rate": float((~short).mean()),
            "pause_quantiles_s": [round(float(x), 3) for x in np.quantile(ikis[~short] / 1000.0, _Q)]
            if (~short).any() else [],
        }
    # Bigram effects: consecutive typed characters within a sentence.
    ch = k[k["is_char"]]
    prev = k["LETTER"].shift(1)
    printable = k["is_char"] & letters.map(str.isprintable)
    ok = printable & printable.shift(1, fill_value=False) & k["iki"].notna() & (k["iki"] < _PAUSE_MS)
    big = pd.DataFrame({
        "bigram": (prev[ok].astype(str) + k.loc[ok, "LETTER"].astype(str)).str.lower(),
        "ratio": k.loc[ok, "iki"] / k.loc[ok, "PARTICIPANT_ID"].map(med),
    })
    counts = big.groupby("bigram")["ratio"].agg(["median", "size"])
    counts = counts[counts["size"] >= _MIN_BIGRAM]
    out["bigram_factors"] = {b: round(float(r), 3) for b, r in counts["median"].sort_index().items()}
    out["characters"] = len(ch)
    return out


def _read_sample(folder: Path) -> pd.DataFrame:
    """The study's rows from every ``*_keystrokes.txt`` in ``folder`` (malformed rows skipped)."""
    frames = [
        pd.read_csv(f, sep="\t", quoting=csv.QUOTE_NONE, dtype=str, on_bad_lines="skip", encoding_errors="replace")
        for f in sorted(folder.glob("*_keystrokes.txt"))
    ]
    if not frames:
        raise FileNotFoundError(f"{folder}: no *_keystrokes.txt files")
    keys = pd.concat(frames, ignore_index=True)
    for col in ("PRESS_TIME", "RELEASE_TIME"):
        keys[col] = pd.to_numeric(keys[col], errors="coerce")
    return keys


def main(argv: list[str] | None = None) -> int:
    """Refit from the shared sample folder and rewrite the shipped parameters."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else Path(__file__).resolve().parents[3] / "shared/data/aalto136m-sample"
    params = fit_bands(_read_sample(folder))
    PARAMS_FILE.write_text(json.dumps(params, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for band, b in params["bands"].items():
        print(f"{band}: {b['participants']} participants, {b['wpm']:.1f} WPM, median IKI {b['median_iki_ms']:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
