"""Measurement error of a typed attempt, and the one decision rule every output uses.

A figure without its precision is not a decision (docs/engine.md, "Measurement error and decisions").

**MSD error rate.** Errors cluster in words and sentences, so an attempt of n characters holds
less information than n independent characters. The interval is a Wilson score interval on an
effective size n / DEFF (Kish's design effect for a cluster sample): ``DESIGN_EFFECT`` = 1.40
was measured on the shared real sample (136M Keystrokes, 117 participants, 15 sentences of ~41
characters each) as the pooled within-person Pearson dispersion of per-sentence MSD counts
around each participant's own rate (quasi-binomial phi; bootstrap over participants 95 %:
1.26-1.57). Command: ``benchmarks/bench_precision.py --dispersion`` (docs/engine.md).

**Net WPM.** The per-second speed series (``Analysis.speed_series``) is cut into blocks of
``SPEED_BLOCK_S`` seconds (batch means: neighbouring seconds are correlated, blocks much
less); the interval is net WPM +/- t(0.975, B - 1) x SD(block means) / sqrt(B). The
penalty for errors left (INF per minute) is taken as fixed: its own uncertainty is the error
rate's interval. Fewer than ``MIN_SPEED_BLOCKS`` blocks: no interval.

**Decisions** (``decide``): ``pass``/``fail`` as the threshold says; ``borderline`` when the
95 % interval contains the threshold (retest on a parallel form recommended); ``insufficient``
when fewer characters were judged than the centre's ``min_chars_judged`` or a typed figure
has no interval; ``not-judged`` for an undefined value of a verdict without characters (a
call action). The threshold itself never moves.

Pure computation: no files, no pygame.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from typingtest.engine.metrics import finite_or_none

__all__ = [
    "DECISIONS",
    "DEFAULT_MIN_CHARS_JUDGED",
    "DESIGN_EFFECT",
    "MIN_SPEED_BLOCKS",
    "SPEED_BLOCK_S",
    "Z95",
    "decide",
    "error_rate_interval",
    "min_chars_for",
    "speed_interval",
    "stored_decision",
    "wilson_interval",
]

#: Every decision a verdict can carry (typed verdicts: the first four).
DECISIONS = ("pass", "fail", "borderline", "insufficient", "not-judged")
#: Variance inflation of an attempt's error count over a binomial one (measured, see above).
DESIGN_EFFECT = 1.40
#: The 0.975 quantile of the standard normal distribution (a 95 % two-sided interval).
Z95 = 1.959963984540054
#: Seconds per block of the speed series (batch means).
SPEED_BLOCK_S = 5
#: Fewer whole blocks than this: no speed interval (15 s of typing).
MIN_SPEED_BLOCKS = 3
#: Characters judged below which a typed verdict is ``insufficient``: the smallest attempt
#: whose interval at an MSD error rate of 3 % is at most +/- 1.5 points wide (half its width;
#: 1.84 %-4.84 %) with ``DESIGN_EFFECT``; ``min_chars_for(0.03, 0.015)``.
DEFAULT_MIN_CHARS_JUDGED = 729

# as in engine.verdicts: rates from integer counts land a few ulps off a decimal threshold
_TOLERANCE = 1e-9


def wilson_interval(rate: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval (fractions) of a proportion ``rate`` observed on ``n`` trials (> 0).

    ``n`` may be fractional (an effective size). E. B. Wilson, JASA 22 (1927).
    """
    if n <= 0:
        raise ValueError(f"n must be > 0, got {n}")
    p = min(1.0, max(0.0, float(rate)))
    c = z * z / n
    centre = (p + c / 2.0) / (1.0 + c)
    half = z * math.sqrt(p * (1.0 - p) / n + c / (4.0 * n)) / (1.0 + c)
    return max(0.0, centre - half), min(1.0, centre + half)


def error_rate_interval(rate: float | None, chars: int, design_effect: float = DESIGN_EFFECT,
                        z: float = Z95) -> tuple[float | None, float | None]:
    """95 % interval (fractions) of an MSD error rate judged on ``chars`` characters.

    Wilson on the effective size ``chars / design_effect``. (None, None) when the rate is
    undefined or no character was judged.
    """
    if finite_or_none(rate) is None or chars <= 0:
        return None, None
    return wilson_interval(rate, chars / design_effect, z)


def min_chars_for(rate: float, half_width: float, design_effect: float = DESIGN_EFFECT,
                  z: float = Z95) -> int:
    """The fewest characters whose interval at ``rate`` is at most ``half_width`` wide on each
    side on average ((high - low) / 2, fractions)."""
    n = 1
    while True:
        low, high = wilson_interval(rate, n / design_effect, z)
        if (high - low) / 2.0 <= half_width:
            return n
        n += 1


# Student's t, 0.975 quantile, 1 to 30 degrees of freedom (scipy.stats.t.ppf, 6 decimals); kept
# here so that scoring an attempt does not import scipy.stats (about 0.5 s) at the workstation
_T975 = (12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157, 2.228139,
         2.200985, 2.178813, 2.160369, 2.144787, 2.13145, 2.119905, 2.109816, 2.100922, 2.093024, 2.085963,
         2.079614, 2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407, 2.04523, 2.042272)


def _t975(df: int) -> float:
    """The 0.975 quantile of Student's t with ``df`` degrees of freedom: a table to 30, then the
    Cornish-Fisher expansion in 1/df (error below 2e-6 from 30 on)."""
    if df < 1:
        raise ValueError(f"degrees of freedom must be >= 1, got {df}")
    if df <= len(_T975):
        return _T975[df - 1]
    z = Z95
    return (z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
            + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3))


def speed_interval(net_wpm: float | None, speed_series: Sequence[float],
                   block_s: int = SPEED_BLOCK_S) -> tuple[float | None, float | None]:
    """95 % interval (WPM) of net WPM from the per-second speed series (batch means).

    Whole blocks of ``block_s`` seconds only (a last partial block is left out of the spread);
    the low end is clipped at 0 as net WPM is. (None, None) with fewer than
    ``MIN_SPEED_BLOCKS`` blocks or an undefined net WPM.
    """
    if finite_or_none(net_wpm) is None:
        return None, None
    series = np.asarray(speed_series, dtype=np.float64)
    blocks = series.size // block_s
    if blocks < MIN_SPEED_BLOCKS:
        return None, None
    means = series[: blocks * block_s].reshape(blocks, block_s).mean(axis=1)
    half = _t975(blocks - 1) * float(means.std(ddof=1)) / math.sqrt(blocks)
    return max(0.0, net_wpm - half), net_wpm + half


def decide(value: float | None, ci_low: float | None, ci_high: float | None, threshold: float,
           comparison: str, chars_judged: int | None, min_chars: int) -> str:
    """The decision of one verdict: "pass", "fail", "borderline", "insufficient" or "not-judged".

    A typed verdict has ``chars_judged`` (characters); other verdicts pass None and get no
    interval. In order: an undefined value is "insufficient" for a typed verdict and
    "not-judged" otherwise; an interval that lies wholly past the threshold is "fail", however
    few characters were judged; a typed verdict on fewer than ``min_chars`` characters, or without
    an interval, is "insufficient"; an interval that contains the threshold (ends included)
    is "borderline"; else the plain comparison (``value <= threshold`` or ``>=``; the same
    tolerance as ``engine.verdicts``) gives "pass" or "fail".
    """
    if comparison not in ("<=", ">="):
        raise ValueError(f"comparison must be '<=' or '>=', got {comparison!r}")
    typed = chars_judged is not None
    if finite_or_none(value) is None:
        return "insufficient" if typed else "not-judged"
    if ci_low is not None and ci_high is not None:  # the whole interval past the threshold: a clear fail,
        clear_fail = (ci_low > threshold + _TOLERANCE if comparison == "<=" else ci_high < threshold - _TOLERANCE)
        if clear_fail:  # however few characters were judged (14.4 % in 10.4-19.5 % is no "insufficient")
            return "fail"
    if chars_judged is not None and (chars_judged < min_chars or ci_low is None or ci_high is None):
        return "insufficient"
    if ci_low is not None and ci_high is not None and ci_low - _TOLERANCE <= threshold <= ci_high + _TOLERANCE:
        return "borderline"
    if comparison == "<=":
        return "pass" if value <= threshold + _TOLERANCE else "fail"
    return "pass" if value >= threshold - _TOLERANCE else "fail"


def stored_decision(stored_verdict: Mapping[str, Any]) -> str:
    """The decision of a stored verdict dict: its ``decision``, or for a verdict stored before
    decisions existed, the plain one from ``passed`` ("pass", "fail", "not-judged")."""
    decision = stored_verdict.get("decision")
    if decision in DECISIONS:
        return str(decision)
    passed = stored_verdict.get("passed")
    return "not-judged" if passed is None else ("pass" if passed else "fail")
