"""Clocks the workstation reads: the real ``perf_counter`` or an injected one for headless runs.

A plain class with no pygame in it, so tests drive it without a window (python-arcade keeps
its clock the same way). Every time is in seconds.
"""

from __future__ import annotations

import time
from typing import Protocol

__all__ = ["Clock", "ManualClock", "PerfClock"]


class Clock(Protocol):
    """Anything with ``now() -> seconds`` (monotonic) and a ``real`` flag."""

    #: True when ``now`` follows wall time, so the event loop may wait on it.
    real: bool

    def now(self) -> float:
        """The current time in seconds."""
        ...


class PerfClock:
    """``time.perf_counter()``: the clock every real event is stamped with."""

    real = True

    def now(self) -> float:
        """Seconds on the ``perf_counter`` clock."""
        return time.perf_counter()


class ManualClock:
    """A clock that moves only when told to (headless runs and tests).

    ``advance(dt)`` moves it forward ``dt`` seconds; ``set(t)`` jumps to ``t``; it never runs
    backwards.
    """

    real = False

    def __init__(self, start: float = 0.0) -> None:
        self._t = float(start)

    def now(self) -> float:
        """The current time in seconds."""
        return self._t

    def advance(self, dt: float) -> float:
        """Move forward ``dt`` seconds (>= 0); returns the new time."""
        if dt < 0:
            raise ValueError(f"a clock never runs backwards (dt = {dt} s)")
        self._t += float(dt)
        return self._t

    def set(self, t: float) -> float:
        """Jump to ``t`` seconds (not before now); returns the new time."""
        if t < self._t:
            raise ValueError(f"a clock never runs backwards ({t} s < {self._t} s)")
        self._t = float(t)
        return self._t
