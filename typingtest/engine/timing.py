"""Timing figures: inter-key intervals, key hold times, per-second speed, consistency, pauses.

Times are seconds in, milliseconds out for intervals and hold times (the unit typing
research reports them in). Speeds are words per minute of 5 characters.

Key presses of a typed text (``typing_presses``) are text entry and editing only: a command
key (Enter, Tab, Esc, F1-F24, Insert, Page Up/Down, Print Screen, Scroll Lock, Pause, Menu)
or a Ctrl/Alt/GUI shortcut that neither committed text nor edited (no TEXT or EDIT row before
the next key press) is left out, and so is a modifier pressed for such a command (Ctrl of
Ctrl+Enter). Enter that commits a line break, Ctrl+Backspace and Ctrl+A (they edit) and AltGr
characters stay. So the keys that end a task are no part of KSPC, intervals or seconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from typingtest.engine.events import EventKind

__all__ = [
    "COMMAND_KEYS",
    "MODIFIER_KEYS",
    "PAUSE_S",
    "Summary",
    "consistency",
    "hold_times",
    "inter_key_intervals",
    "pauses",
    "speed_series",
    "summarize",
    "typing_presses",
]

#: An inter-key interval longer than this (seconds) is a pause.
PAUSE_S = 2.0

# pygame key codes (SDL2 values, fixed; the engine does not import pygame: the tests compare
# them with pygame's constants)
_F1_F12 = range(1073741882, 1073741894)
_F13_F24 = range(1073741928, 1073741940)
#: Keys that command rather than type: Enter, keypad Enter, Tab, Esc, F1-F24, Insert, Page Up,
#: Page Down, Print Screen, Scroll Lock, Pause, Application, Menu.
COMMAND_KEYS = frozenset({13, 1073741912, 9, 27, *_F1_F12, *_F13_F24, 1073741897, 1073741899, 1073741902,
                          1073741894, 1073741895, 1073741896, 1073741925, 1073741942})
#: Ctrl, Shift, Alt, GUI (left/right) and AltGr (mode).
MODIFIER_KEYS = frozenset({1073742048, 1073742049, 1073742050, 1073742051, 1073742052, 1073742053, 1073742054,
                           1073742055, 1073742081})
_KMOD_SHORTCUT = 0x00C0 | 0x0300 | 0x0C00  # Ctrl, Alt, GUI
_KMOD_ALTGR = 0x0200 | 0x4000  # right Alt, mode: AltGr (Windows adds Ctrl to it)


@dataclass(frozen=True)
class Summary:
    """Mean, median, SD (n - 1) and percentiles of a sample; None where undefined."""

    n: int
    mean: float | None
    median: float | None
    sd: float | None
    p10: float | None
    p25: float | None
    p75: float | None
    p90: float | None


def summarize(values: np.ndarray) -> Summary:
    """Summary of ``values`` (empty: every figure None; SD needs two values)."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return Summary(0, None, None, None, None, None, None, None)
    # percentiles by linear interpolation between order statistics (numpy's default method)
    q = np.percentile(v, [10.0, 25.0, 50.0, 75.0, 90.0])
    return Summary(
        n=int(v.size),
        mean=float(v.mean()),
        median=float(q[2]),
        sd=float(v.std(ddof=1)) if v.size >= 2 else None,
        p10=float(q[0]),
        p25=float(q[1]),
        p75=float(q[3]),
        p90=float(q[4]),
    )


def typing_presses(log: np.ndarray) -> np.ndarray:
    """Mask over the KEY_DOWN rows of ``log`` (in row order): True for a press of text entry or
    editing, False for a command press (module docstring). ``log`` holds one field's rows."""
    kinds = log["kind"]
    downs = np.flatnonzero(kinds == EventKind.KEY_DOWN)
    if downs.size == 0:
        return np.zeros(0, dtype=bool)
    effect = (kinds == EventKind.TEXT) | (kinds == EventKind.EDIT)
    before = np.concatenate(([0], np.cumsum(effect)))  # effect rows before each row index
    next_down = np.append(downs[1:], len(log))
    has_effect = before[next_down] - before[downs + 1] > 0
    key = log["key"][downs].astype(np.int64)
    mod = log["mod"][downs].astype(np.int64)
    modifier = np.isin(key, list(MODIFIER_KEYS))
    shortcut = ((mod & _KMOD_SHORTCUT) != 0) & ((mod & _KMOD_ALTGR) == 0) & ~modifier
    command = (np.isin(key, list(COMMAND_KEYS)) | shortcut) & ~has_effect
    for i in np.flatnonzero(modifier[:-1])[::-1]:  # a modifier pressed for a command is part of it
        if command[i + 1]:
            command[i] = True
    return ~command


def inter_key_intervals(times: np.ndarray) -> np.ndarray:
    """Intervals (ms) between consecutive key presses given their times (s)."""
    t = np.asarray(times, dtype=np.float64)
    if t.size < 2:
        return np.empty(0)
    return np.diff(t) * 1000.0


def hold_times(log: np.ndarray) -> np.ndarray:
    """Key hold times (ms): each KEY_DOWN paired with the next KEY_UP of the same key.

    Auto-repeat (KEY_DOWN again before the KEY_UP) keeps the first press; a press without
    a release (the log ended) and a release without a press have no hold time. Keys are
    told apart by key code, or by scancode where the key code is 0.
    """
    kinds = log["kind"]
    sel = np.flatnonzero((kinds == EventKind.KEY_DOWN) | (kinds == EventKind.KEY_UP))
    if len(sel) == 0:
        return np.empty(0)
    key = log["key"][sel].astype(np.int64)
    ident = np.where(key != 0, key, -1 - log["scancode"][sel].astype(np.int64))
    t_sel = log["t"][sel]
    order = np.lexsort((np.arange(len(sel)), t_sel, ident))
    ident = ident[order]
    t = t_sel[order]
    is_up = kinds[sel][order] == EventKind.KEY_UP
    n = len(order)
    idx = np.arange(n)
    # a run of one key's events starts at its first event and after each of its releases
    starts = np.zeros(n, dtype=bool)
    starts[0] = True
    starts[1:] = (ident[1:] != ident[:-1]) | is_up[:-1]
    run_start = np.maximum.accumulate(np.where(starts, idx, 0))
    ups = np.flatnonzero(is_up)
    first = run_start[ups]
    valid = (first < ups) & ~is_up[first]
    return (t[ups[valid]] - t[first[valid]]) * 1000.0


def speed_series(char_times: np.ndarray, start: float, end: float) -> list[float]:
    """Speed (WPM) in each second from ``start`` to ``end`` (s), from characters' times.

    Bins are [start + k, start + k + 1); the last keystroke (at ``end``) falls in the last
    bin. A final bin shorter than 0.5 s is merged into the one before it, and a bin's speed
    uses its real length, so a stray last key does not read as a burst.
    """
    duration = end - start
    if not math.isfinite(duration) or duration <= 0:
        return []
    t = np.asarray(char_times, dtype=np.float64) - start
    nbins = max(1, math.ceil(duration))
    edges = [float(k) for k in range(nbins)] + [duration]
    if nbins > 1 and edges[-1] - edges[-2] < 0.5:
        del edges[-2]
    t = np.sort(np.clip(t, 0.0, duration))
    edge_arr = np.asarray(edges)
    # bins [a, b) and the last one [a, b] (as numpy.histogram), counted by binary search
    cuts = np.searchsorted(t, edge_arr[:-1], side="left")
    counts = np.diff(np.append(cuts, np.searchsorted(t, edge_arr[-1], side="right")))
    lengths = np.diff(edge_arr)
    return (counts / lengths * 60.0 / 5.0).tolist()


def consistency(series: list[float]) -> float | None:
    """Monkeytype's consistency (0-100) of a per-second speed series.

    cv = SD / mean (population SD, as Monkeytype computes it), mapped by
    100 (1 - tanh(cv + cv^3/3 + cv^5/5)). None with fewer than two seconds or a zero mean.
    """
    v = np.asarray(series, dtype=np.float64)
    if v.size < 2:
        return None
    mean = float(v.mean())
    if mean <= 0:
        return None
    cv = float(v.std(ddof=0)) / mean
    return 100.0 * (1.0 - math.tanh(cv + cv**3 / 3.0 + cv**5 / 5.0))


def pauses(intervals_ms: np.ndarray, threshold_s: float = PAUSE_S) -> tuple[int, float]:
    """(count, total seconds) of inter-key intervals longer than ``threshold_s``."""
    iv = np.asarray(intervals_ms, dtype=np.float64) / 1000.0
    long = iv[iv > threshold_s]
    return int(long.size), float(long.sum())
