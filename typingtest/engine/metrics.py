"""Text-entry metrics: MSD, keystroke classes, error rates, KSPC and speeds (the one place of
their formulas).

Definitions (docs/engine.md has them with references and worked examples):

- MSD(P, T): Levenshtein distance with unit costs; MSD error rate = MSD / max(|P|, |T|).
- Keystroke classes (Soukoreff & MacKenzie 2003): INF = MSD(P, T); C = max(|P|, |T|) - INF;
  F = editing operations in IS; IF = |IS| - |T| - F.
- Uncorrected, corrected, total error rate = INF, IF, INF + IF over C + INF + IF.
- KSPC = key presses / |T|.
- WPM = (|T| - 1) / S * 60 / 5; gross WPM = (|IS| - F - 1) / S * 60 / 5;
  net WPM = max(0, gross WPM - INF / (S / 60)).

The functions over counts accept Python numbers or numpy arrays (one attempt, or a corpus of
sentences at once: ``engine.corpus``) and give NaN where a figure is undefined (a zero
denominator); a scalar in gives a Python float out. ``finite_or_none`` turns NaN into None
where a figure leaves the engine (``analyze``, the store's JSON). The two functions over one
pair of texts are scalar: ``msd`` and ``msd_error_rate`` (None where undefined, as its callers
in ``engine.actions`` keep it). Rates are fractions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import overload

import numpy as np
from rapidfuzz.distance import Levenshtein

__all__ = [
    "KeystrokeClasses",
    "error_rates",
    "finite_or_none",
    "gross_wpm",
    "keystroke_classes",
    "keystrokes_per_hour",
    "kspc",
    "msd",
    "msd_error_rate",
    "net_wpm",
    "ratio",
    "words_per_minute",
    "wpm",
]

#: A count or time: a Python or numpy number (a time may be None = unknown).
Number = int | float | np.integer | np.floating


@overload
def finite_or_none(value: None) -> None: ...
@overload
def finite_or_none(value: float) -> float | None: ...
def finite_or_none(value: float | None) -> float | None:
    """``value`` unchanged, or None when it is None, NaN or infinite (JSON has no NaN)."""
    if value is None or isinstance(value, int):
        return value
    return value if math.isfinite(value) else None


def _is_array(*values: object) -> bool:
    """True when any value is an array (numpy, pandas, a list), not a single number."""
    return any(isinstance(v, np.ndarray | list | tuple) or (hasattr(v, "__array__") and not isinstance(v, np.generic))
               for v in values)


def ratio(num: Number | np.ndarray, den: Number | np.ndarray | None) -> float | np.ndarray:
    """num / den as float64; NaN where ``den`` is not positive (or None, or NaN)."""
    if not _is_array(num, den):
        if den is None or not den > 0:
            return math.nan
        return float(num / den)  # type: ignore[operator]
    n = np.asarray(num, dtype=np.float64)
    d = np.asarray(np.nan if den is None else den, dtype=np.float64)
    out = np.full(np.broadcast(n, d).shape, np.nan)
    np.divide(n, d, out=out, where=d > 0)
    return out


def _where(defined: bool | np.ndarray, value: float | np.ndarray) -> float | np.ndarray:
    """``value`` where ``defined``, else NaN (scalar or elementwise)."""
    if isinstance(value, np.ndarray):
        return np.where(defined, value, np.nan)
    return value if defined else math.nan


def msd(presented: str, transcribed: str) -> int:
    """Minimum string distance (Levenshtein, unit costs), in characters."""
    return int(Levenshtein.distance(presented, transcribed))


def msd_error_rate(presented: str, transcribed: str, distance: int | None = None) -> float | None:
    """MSD / max(|P|, |T|) as a fraction; None when both texts are empty."""
    d = msd(presented, transcribed) if distance is None else distance
    return finite_or_none(ratio(d, max(len(presented), len(transcribed))))


@dataclass(frozen=True)
class KeystrokeClasses:
    """Soukoreff & MacKenzie's keystroke classes (counts of keystrokes; arrays for a corpus)."""

    c: int  # correct
    inf: int  # incorrect and not fixed
    if_: int  # incorrect but fixed (typed, then removed)
    f: int  # fixes: editing operations

    @classmethod
    def from_counts(cls, longest: int, inf: int, if_: int, f: int) -> KeystrokeClasses:
        """The classes from max(|P|, |T|), INF, IF and F: C = max(|P|, |T|) - INF."""
        return cls(c=longest - inf, inf=inf, if_=if_, f=f)


def keystroke_classes(
    presented: str, transcribed: str, input_stream_length: int, edits: int, distance: int | None = None
) -> KeystrokeClasses:
    """C, INF, IF and F from P, T, |IS| and F (the editing operations in IS)."""
    inf = msd(presented, transcribed) if distance is None else distance
    return KeystrokeClasses.from_counts(max(len(presented), len(transcribed)), inf,
                                        input_stream_length - len(transcribed) - edits, edits)


def error_rates(k: KeystrokeClasses) -> tuple[float | np.ndarray, float | np.ndarray, float | np.ndarray]:
    """(uncorrected, corrected, total) error rates as fractions; NaN where C + INF + IF = 0."""
    denom = k.c + k.inf + k.if_
    return ratio(k.inf, denom), ratio(k.if_, denom), ratio(k.inf + k.if_, denom)


def kspc(key_presses: Number | np.ndarray, transcribed_length: Number | np.ndarray) -> float | np.ndarray:
    """Key presses per character of T; NaN for an empty T."""
    return ratio(key_presses, transcribed_length)


def words_per_minute(chars: Number | np.ndarray, seconds: Number | np.ndarray | None) -> float | np.ndarray:
    """``chars`` / S * 60 / 5 (a word is five characters); NaN where S is not positive."""
    return ratio(chars, seconds) * 60.0 / 5.0


def wpm(transcribed_length: Number | np.ndarray, seconds: Number | np.ndarray | None) -> float | np.ndarray:
    """(|T| - 1) / S * 60 / 5 words per minute; NaN when |T| <= 1 or S is not positive."""
    t = np.asarray(transcribed_length) if _is_array(transcribed_length) else transcribed_length
    return _where(t > 1, words_per_minute(t - 1, seconds))


def gross_wpm(entered: Number | np.ndarray, seconds: Number | np.ndarray | None) -> float | np.ndarray:
    """(characters entered - 1) / S * 60 / 5; NaN when fewer than 2 characters or S <= 0."""
    return wpm(entered, seconds)


def net_wpm(gross: Number | np.ndarray, inf: Number | np.ndarray, seconds: Number | np.ndarray | None
            ) -> float | np.ndarray:
    """max(0, gross WPM - INF per minute); NaN when gross WPM is (or S is) undefined."""
    if not _is_array(gross, inf, seconds):
        minutes = math.nan if seconds is None else seconds / 60.0
        if not minutes > 0 or gross is None or math.isnan(gross):
            return math.nan
        return max(0.0, gross - inf / minutes)
    s = np.asarray(np.nan if seconds is None else seconds, dtype=np.float64)
    minutes = np.where(s / 60.0 > 0, s / 60.0, np.nan)
    return np.maximum(0.0, np.asarray(gross, dtype=np.float64) - np.asarray(inf, dtype=np.float64) / minutes)


def keystrokes_per_hour(key_presses: Number | np.ndarray, seconds: Number | np.ndarray | None) -> float | np.ndarray:
    """Key presses per hour over S; NaN when S is not positive or there are no key presses."""
    k = np.asarray(key_presses) if _is_array(key_presses) else key_presses
    return _where(k > 0, ratio(k, seconds) * 3600.0)
