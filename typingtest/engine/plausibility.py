"""Plausibility of a typed attempt: faster or more even than people type is flagged for review.

A flag is no verdict: it says a person should look at the attempt (a program may have typed
it, or the log was made some other way). ``score_attempt`` stores ``check(...)`` as
``metrics["plausibility"]``, and a typed verdict of a flagged attempt that would pass is
"borderline" with the reasons (never a silent pass).

Bounds, from the shared real sample (136M Keystrokes, 117 participants, 1,755 sentences of
15-71 characters; command: ``benchmarks/bench_precision.py --plausibility``), with margin:

=========================== =============================== ==================================
figure                      seen in the sample              flagged when
=========================== =============================== ==================================
speed (WPM, 5 characters)   highest sentence 132.6, highest  above ``MAX_WPM`` = 160
                            participant over ~600 chars 101.9
median inter-key interval   lowest sentence median 79 ms     below ``MIN_MEDIAN_IKI_MS`` = 50 ms
spread of intervals (CV =   lowest sentence 0.23, lowest     below ``MIN_IKI_CV`` = 0.15
SD / mean, intervals <= 2 s) participant 0.52
=========================== =============================== ==================================

The interval figures need ``MIN_INTERVALS`` intervals (a sentence of the sample has 10 or more).
Pauses (intervals over ``timing.PAUSE_S``) are left out of the median and the spread, as in the
sample's figures. Pure computation: no files, no pygame.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from typingtest.engine.timing import PAUSE_S

__all__ = ["MAX_WPM", "MIN_IKI_CV", "MIN_INTERVALS", "MIN_MEDIAN_IKI_MS", "Plausibility", "check"]

#: Faster than this (WPM) is flagged.
MAX_WPM = 160.0
#: A median inter-key interval below this (milliseconds) is flagged.
MIN_MEDIAN_IKI_MS = 50.0
#: A coefficient of variation of the inter-key intervals below this is flagged.
MIN_IKI_CV = 0.15
#: Fewer intervals (pauses left out) than this: the interval figures are not judged.
MIN_INTERVALS = 10


@dataclass(frozen=True)
class Plausibility:
    """The figures looked at and the reasons of a flag (empty: plausible)."""

    flagged: bool
    reasons: list[str] = field(default_factory=list)
    wpm: float | None = None
    median_iki_ms: float | None = None
    iki_cv: float | None = None
    intervals: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (stored as ``metrics["plausibility"]``)."""
        return asdict(self)


def check(wpm: float | None, key_times: Sequence[float] | np.ndarray) -> Plausibility:
    """Plausibility of an attempt typed at ``wpm`` with key presses at ``key_times`` (seconds).

    ``key_times`` are the key presses of the typed text (``timing.typing_presses``), in order.
    """
    t = np.sort(np.asarray(key_times, dtype=np.float64))
    iv = np.diff(t) * 1000.0
    iv = iv[iv <= PAUSE_S * 1000.0]
    reasons: list[str] = []
    median = cv = None
    if wpm is not None and wpm > MAX_WPM:
        reasons.append(f"speed {wpm:.0f} WPM above {MAX_WPM:.0f} (the fastest real typing seen: 133 WPM)")
    if iv.size >= MIN_INTERVALS:
        median = float(np.median(iv))
        mean = float(iv.mean())
        cv = float(iv.std(ddof=1)) / mean if mean > 0 else 0.0
        if median < MIN_MEDIAN_IKI_MS:
            reasons.append(f"median interval between keys {median:.0f} ms below {MIN_MEDIAN_IKI_MS:.0f} ms "
                           "(the shortest real one seen: 79 ms)")
        if cv < MIN_IKI_CV:
            reasons.append(f"intervals between keys too even (CV {cv:.2f} below {MIN_IKI_CV:.2f}; "
                           "the most even real typing seen: 0.23)")
    return Plausibility(flagged=bool(reasons), reasons=reasons, wpm=None if wpm is None else float(wpm),
                        median_iki_ms=median, iki_cv=cv, intervals=int(iv.size))
