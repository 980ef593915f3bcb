"""The engine's version: which definitions stored metrics were computed with.

Stored attempts keep ``engine_version`` in their metrics (absent: version 1). When a definition
changes, the version goes up and ``figures_changed_since`` names the figures whose values may
differ, so that ``typingtest verify`` compares an older attempt's figures only where the
definitions agree (the events, signed, stay the proof).
"""

from __future__ import annotations

__all__ = ["ENGINE_VERSION", "FIGURES_CHANGED", "figures_changed_since"]

#: The version of the metric definitions (an integer that only goes up).
ENGINE_VERSION = 2

#: version -> the figures whose definition changed in it.
FIGURES_CHANGED: dict[int, frozenset[str]] = {
    # 2: command keys (the finishing Ctrl+Enter and Enter, Tab, F5, Esc, shortcuts) are no key
    # presses of the typed text: KSPC, intervals, seconds and every speed change with them
    2: frozenset({
        "key_presses", "kspc", "seconds", "wpm", "gross_wpm", "net_wpm", "keystrokes_per_hour",
        "iki_mean_ms", "iki_median_ms", "iki_sd_ms", "iki_p10_ms", "iki_p90_ms", "consistency",
        "pauses", "pause_seconds", "speed_series",
    }),
}


def figures_changed_since(version: int | None) -> frozenset[str]:
    """The figures whose definition changed after engine ``version`` (None: version 1)."""
    since = 1 if version is None else int(version)
    out: frozenset[str] = frozenset()
    for v, names in FIGURES_CHANGED.items():
        if v > since:
            out |= names
    return out
