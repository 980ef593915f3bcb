"""Typing speed under load (qualification co 01669: "adapts typing speed to the contact").

Load windows (seconds since the task started, from the rows of docs/content.md, "Events the
scoring reads"):

- a caller line playing: AUDIO_ONSET ``<line id>`` to the next AUDIO_OFFSET of the same line
  id (onsets and offsets of one id paired first-in first-out); a line without an offset (the
  log ended) lasts to the end of the log;
- a chat message shown and not yet answered: SCREEN ``chat-shown`` / target ``chat:<id>`` to
  the first CLICK ``chat-reply:<id>`` after it, else to the end of the log.

Overlapping or touching windows are merged. The end of the log is its last row's time.

Text-entry events are the TEXT and EDIT rows of a text field: not the editing operations a
click causes (EDIT rows at the time of a CLICK row: caret placement, select-all in a search
box), not the rows of the finish shortcut and dialogs (targets ``finish``, ``message``,
``paused``, ``proctor``, ``overlay``) nor text typed with no field focused (target "").

Speed = 12 / mean inter-key interval (seconds), i.e. words of 5 characters per minute, over
intervals between consecutive text-entry events of the same field with no click or focus
change between them (a field change is moving, not typing), intervals longer than
``timing.PAUSE_S`` (2 s) left out as pauses. An interval is *under load* when both its events
lie in the same load window, *free* when no load window touches it (from its first event to
its second); one that starts or ends a window is neither. A speed from fewer than
``MIN_INTERVALS`` intervals is None, never 0 or NaN.

Pure numpy: no pygame, no files.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from typingtest.engine.events import EventKind
from typingtest.engine.timing import PAUSE_S

__all__ = [
    "MIN_INTERVALS",
    "NON_FIELD_TARGETS",
    "burst_wpm",
    "load_windows",
    "text_entry_runs",
    "typing_speed_under_load",
]

#: Fewer intervals than this give no speed (None).
MIN_INTERVALS = 10
#: Targets of TEXT/EDIT rows that are not a text field (the finish shortcut, dialogs, no focus).
NON_FIELD_TARGETS = frozenset({"", "finish", "message", "paused", "proctor", "overlay"})
# rows that end a run of typing: the candidate did something other than type in between
_BREAKS = (EventKind.CLICK, EventKind.FIELD_FOCUS, EventKind.WINDOW_FOCUS_LOST, EventKind.WINDOW_FOCUS_GAINED,
           EventKind.PASTE_ATTEMPT)


def load_windows(log: np.ndarray) -> list[tuple[float, float]]:
    """The merged intervals (start_s, end_s) in which a caller line plays or a chat is unanswered."""
    if len(log) == 0:
        return []
    kind, text, target, t = log["kind"], log["text"], log["target"], log["t"].astype(np.float64)
    end_of_log = float(t.max())
    raw: list[tuple[float, float]] = []
    pending: dict[str, list[float]] = {}
    for i in np.flatnonzero((kind == EventKind.AUDIO_ONSET) | (kind == EventKind.AUDIO_OFFSET)):
        line = str(text[i])
        if kind[i] == EventKind.AUDIO_ONSET:
            pending.setdefault(line, []).append(float(t[i]))
        elif pending.get(line):
            raw.append((pending[line].pop(0), float(t[i])))
    raw += [(s, end_of_log) for starts in pending.values() for s in starts]
    shown = np.flatnonzero((kind == EventKind.SCREEN) & (text == "chat-shown"))
    replies = np.flatnonzero((kind == EventKind.CLICK) & np.char.startswith(target.astype(str), "chat-reply:"))
    for i in shown:
        chat = str(target[i]).removeprefix("chat:")
        after = [j for j in replies if j > i and str(target[j]) == f"chat-reply:{chat}"]
        raw.append((float(t[i]), float(t[after[0]]) if after else end_of_log))
    raw.sort()
    merged: list[tuple[float, float]] = []
    for s, e in raw:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, max(s, e)))
    return merged


def text_entry_runs(log: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(times in s, run number) of the text-entry events; a new run starts at a field change or
    after a click, focus change or paste attempt."""
    if len(log) == 0:
        return np.empty(0), np.empty(0, dtype=np.int64)
    kind, target, t = log["kind"], log["target"], log["t"].astype(np.float64)
    click_times = t[kind == EventKind.CLICK]
    is_entry = (kind == EventKind.TEXT) | ((kind == EventKind.EDIT) & ~np.isin(t, click_times))
    is_entry &= ~np.isin(target, list(NON_FIELD_TARGETS))
    breaks = np.isin(kind, [int(k) for k in _BREAKS])
    # a run counter that steps at every break row and at every field change between entries
    breaks_before = np.cumsum(breaks)
    idx = np.flatnonzero(is_entry)
    if idx.size == 0:
        return np.empty(0), np.empty(0, dtype=np.int64)
    seg = breaks_before[idx]
    tgt = target[idx]
    new_run = np.ones(idx.size, dtype=bool)
    new_run[1:] = (seg[1:] != seg[:-1]) | (tgt[1:] != tgt[:-1])
    return t[idx], np.cumsum(new_run)


def _typing_intervals(log: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(first event's time, second event's time, interval) of the typing intervals, pauses out (s)."""
    times, runs = text_entry_runs(log)
    if times.size < 2:
        return np.empty(0), np.empty(0), np.empty(0)
    same = runs[1:] == runs[:-1]
    a, b = times[:-1][same], times[1:][same]
    iv = b - a
    keep = iv <= PAUSE_S  # timing.pauses: an interval longer than PAUSE_S is a pause
    return a[keep], b[keep], iv[keep]


def _wpm(intervals: np.ndarray) -> float | None:
    if intervals.size < MIN_INTERVALS:
        return None
    mean = float(intervals.mean())
    return 12.0 / mean if mean > 0 else None


def burst_wpm(log: np.ndarray) -> float | None:
    """Typing speed (WPM) over all typing intervals of an attempt, load or not; None below
    ``MIN_INTERVALS`` intervals. On a copy-typing attempt: the single-task baseline."""
    return _wpm(_typing_intervals(log)[2])


def typing_speed_under_load(log: np.ndarray) -> dict[str, Any]:
    """``load_wpm`` / ``free_wpm`` (WPM or None), ``load_keystrokes`` / ``free_keystrokes``
    (text-entry events inside / outside the load windows), ``load_intervals`` /
    ``free_intervals`` (the intervals each speed is the mean of) and ``load_s`` (seconds under load)."""
    windows = load_windows(log)
    times, _ = text_entry_runs(log)
    a, b, iv = _typing_intervals(log)
    starts = np.array([w[0] for w in windows], dtype=np.float64)
    ends = np.array([w[1] for w in windows], dtype=np.float64)

    def window_of(x: np.ndarray) -> np.ndarray:
        """Index of the window holding each time (closed at both ends), -1 for none."""
        if starts.size == 0:
            return np.full(x.shape, -1, dtype=np.int64)
        k = np.searchsorted(starts, x, side="right") - 1
        inside = (k >= 0) & (x <= ends[np.maximum(k, 0)])
        return np.where(inside, k, -1)

    wa, wb = window_of(a), window_of(b)
    under = (wa >= 0) & (wa == wb)
    # free: no window meets [a, b] (the first window starting after a, if any, starts after b)
    nxt = np.searchsorted(starts, a, side="right")
    next_start = np.where(nxt < starts.size, starts[np.minimum(nxt, max(starts.size - 1, 0))], np.inf) \
        if starts.size else np.full(a.shape, np.inf)
    free = (wa < 0) & (next_start > b)
    in_window = window_of(times) >= 0
    return {
        "load_wpm": _wpm(iv[under]),
        "free_wpm": _wpm(iv[free]),
        "load_keystrokes": int(in_window.sum()),
        "free_keystrokes": int((~in_window).sum()),
        "load_intervals": int(under.sum()),
        "free_intervals": int(free.sum()),
        "load_s": float(sum(e - s for s, e in windows)),
    }
