"""The model against the real sample (the shared 136M Keystrokes sample, when present).

The full comparison (600 sentences a band) is in docs/simulate.md; here 150 sentences a
band, with bounds loose enough for that sample size: the figures the full run gives are
KS D 0.06-0.07, KSPC and MSD error rate within 2 % of the real ones.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from typingtest.simulate.calibration import load_params
from typingtest.simulate.validate import compare_with_sample

SAMPLE = Path(__file__).resolve().parents[3] / "shared/data/aalto136m-sample"


def test_shipped_parameters_cover_the_bands() -> None:
    params = load_params()
    assert set(params["bands"]) == {"slow", "average", "fast"}
    for band in params["bands"].values():
        q = band["iki_quantiles"]
        assert len(q) == 99 and q == sorted(q)
        # the quantiles are relative to each typist's median: the 50 % one is about 1
        assert 0.9 <= q[49] <= 1.1


def test_model_matches_the_real_sample() -> None:
    if not SAMPLE.is_dir():
        pytest.skip(f"SKIPPED LOUDLY: the shared sample {SAMPLE} is not here")
    table, _ = compare_with_sample(SAMPLE, sentences_per_band=150)
    for r in table.to_dict("records"):
        assert r["ks_d"] < 0.12, r
        assert r["kspc_model"] == pytest.approx(r["kspc_real"], rel=0.05), r
        assert abs(r["msd_error_rate_model"] - r["msd_error_rate_real"]) < 0.006, r
