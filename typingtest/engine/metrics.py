"""Text-entry metrics: MSD, keystroke classes, error rates, KSPC and speeds.

Definitions (docs/engine.md has them with references and worked examples):

- MSD(P, T): Levenshtein distance with unit costs; MSD error rate = MSD / max(|P|, |T|).
- Keystroke classes (Soukoreff & MacKenzie 2003): INF = MSD(P, T); C = max(|P|, |T|) - INF;
  F = editing operations in IS; IF = |IS| - |T| - F.
- Uncorrected, corrected, total error rate = INF, IF, INF + IF over C + INF + IF.
- KSPC = key presses / |T|.
- WPM = (|T| - 1) / S * 60 / 5; gross WPM = (|IS| - F - 1) / S * 60 / 5;
  net WPM = max(0, gross WPM - INF / (S / 60)).

Every function returns None where the figure is undefined (a zero denominator), never NaN.
Rates are fractions.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

__all__ = [
    "KeystrokeClasses",
    "error_rates",
    "gross_wpm",
    "keystroke_classes",
    "keystrokes_per_hour",
    "kspc",
    "msd",
    "msd_error_rate",
    "net_wpm",
    "wpm",
]


def msd(presented: str, transcribed: str) -> int:
    """Minimum string distance (Levenshtein, unit costs), in characters."""
    return int(Levenshtein.distance(presented, transcribed))


def msd_error_rate(presented: str, transcribed: str, distance: int | None = None) -> float | None:
    """MSD / max(|P|, |T|) as a fraction; None when both texts are empty."""
    longest = max(len(presented), len(transcribed))
    if longest == 0:
        return None
    d = msd(presented, transcribed) if distance is None else distance
    return d / longest


@dataclass(frozen=True)
class KeystrokeClasses:
    """Soukoreff & MacKenzie's keystroke classes (counts of keystrokes)."""

    c: int  # correct
    inf: int  # incorrect and not fixed
    if_: int  # incorrect but fixed (typed, then removed)
    f: int  # fixes: editing operations


def keystroke_classes(
    presented: str, transcribed: str, input_stream_length: int, edits: int, distance: int | None = None
) -> KeystrokeClasses:
    """C, INF, IF and F from P, T, |IS| and F (the editing operations in IS)."""
    inf = msd(presented, transcribed) if distance is None else distance
    c = max(len(presented), len(transcribed)) - inf
    return KeystrokeClasses(c=c, inf=inf, if_=input_stream_length - len(transcribed) - edits, f=edits)


def error_rates(k: KeystrokeClasses) -> tuple[float | None, float | None, float | None]:
    """(uncorrected, corrected, total) error rates as fractions; None when C + INF + IF = 0."""
    denom = k.c + k.inf + k.if_
    if denom <= 0:
        return None, None, None
    return k.inf / denom, k.if_ / denom, (k.inf + k.if_) / denom


def kspc(key_presses: int, transcribed_length: int) -> float | None:
    """Key presses per character of T; None for an empty T."""
    if transcribed_length <= 0:
        return None
    return key_presses / transcribed_length


def _defined(seconds: float | None) -> bool:
    return seconds is not None and seconds > 0


def wpm(transcribed_length: int, seconds: float | None) -> float | None:
    """(|T| - 1) / S * 60 / 5 words per minute; None when |T| <= 1 or S is not positive."""
    if transcribed_length <= 1 or not _defined(seconds):
        return None
    assert seconds is not None
    return (transcribed_length - 1) / seconds * 60.0 / 5.0


def gross_wpm(entered: int, seconds: float | None) -> float | None:
    """(characters entered - 1) / S * 60 / 5; None when fewer than 2 characters or S <= 0."""
    if entered <= 1 or not _defined(seconds):
        return None
    assert seconds is not None
    return (entered - 1) / seconds * 60.0 / 5.0


def net_wpm(gross: float | None, inf: int, seconds: float | None) -> float | None:
    """max(0, gross WPM - INF per minute); None when gross WPM is undefined."""
    if gross is None or not _defined(seconds):
        return None
    assert seconds is not None
    return max(0.0, gross - inf / (seconds / 60.0))


def keystrokes_per_hour(key_presses: int, seconds: float | None) -> float | None:
    """Key presses per hour over S; None when S is not positive."""
    if not _defined(seconds) or key_presses <= 0:
        return None
    assert seconds is not None
    return key_presses / seconds * 3600.0
