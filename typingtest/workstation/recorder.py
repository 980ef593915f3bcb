"""Event rows as they happen: stamped, kept in memory and handed to the store's journal at once.

One ``EventRecorder`` per attempt. Times are seconds since the attempt started (``t0`` on the
same clock the loop stamps events with). Every row goes to ``sink`` (the store's
``AttemptRecorder.append``) the moment it is recorded, so a crash loses at most the journal's
flush window.

Modifier keys are held back until the next key: when Ctrl is followed by Enter (the
shortcut that ends a task) the Ctrl press is given the ``finish`` target along with the Enter,
so the shortcut is no part of the text field's key presses (inter-key statistics, KSPC).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from typingtest.engine.events import EVENT_DTYPE, TEXT_WIDTH, EventKind

__all__ = ["FINISH_TARGET", "MODIFIER_KEYS", "EventRecorder"]

#: Target of the key presses that end a task (Ctrl+Enter, the confirming Enter).
FINISH_TARGET = "finish"

# pygame key codes of Ctrl, Shift, Alt, GUI (left/right), AltGr (mode): SDL2 values, fixed.
MODIFIER_KEYS = frozenset({1073742048, 1073742049, 1073742050, 1073742051, 1073742052, 1073742053, 1073742054,
                           1073742055, 1073742081})
_CTRL_KEYS = frozenset({1073742048, 1073742052})

Row = tuple[float, int, int, int, int, str, str, float, float]


class EventRecorder:
    """Collects one attempt's events (``EVENT_DTYPE`` rows) and forwards each to ``sink``."""

    def __init__(self, t0: float, sink: Callable[[dict[str, Any]], None] | None = None) -> None:
        self.t0 = float(t0)
        self.sink = sink
        self.rows: list[Row] = []
        self._held: list[Row] = []  # modifier key downs waiting for the next key

    def __len__(self) -> int:
        return len(self.rows) + len(self._held)

    def add(
        self,
        kind: EventKind | int,
        t: float,
        *,
        key: int = 0,
        scancode: int = 0,
        mod: int = 0,
        text: str = "",
        target: str = "",
        x: float = 0.0,
        y: float = 0.0,
    ) -> None:
        """Record one event read at ``t`` (seconds on the loop's clock, not yet relative)."""
        rel = float(t) - self.t0
        target = target[:TEXT_WIDTH]
        kind = int(kind)
        if kind == EventKind.KEY_DOWN and key in MODIFIER_KEYS:
            self._held.append((rel, kind, key, scancode, mod, "", target, 0.0, 0.0))
            return
        if kind == EventKind.KEY_DOWN and target == FINISH_TARGET:
            self._held = [(*h[:6], FINISH_TARGET, *h[7:]) if h[2] in _CTRL_KEYS else h for h in self._held]
        self._release()
        if len(text) > TEXT_WIDTH:  # a long commit (IME) becomes several rows at the same time
            for i in range(0, len(text), TEXT_WIDTH):
                self._emit((rel, kind, key, scancode, mod, text[i : i + TEXT_WIDTH], target, float(x), float(y)))
            return
        self._emit((rel, kind, key, scancode, mod, text, target, float(x), float(y)))

    def flush(self) -> None:
        """Hand on any held modifier presses (at the end of an attempt)."""
        self._release()

    def _release(self) -> None:
        held, self._held = self._held, []
        for row in held:
            self._emit(row)

    def _emit(self, row: Row) -> None:
        self.rows.append(row)
        if self.sink is not None:
            self.sink(dict(zip(EVENT_DTYPE.names, row, strict=True)))

    def to_log(self) -> np.ndarray:
        """The attempt's event log so far (``EVENT_DTYPE``), in the order recorded."""
        self.flush()
        return np.array(self.rows, dtype=EVENT_DTYPE)
