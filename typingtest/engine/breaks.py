"""Line breaks in a passage: typed with Enter or with a space, the same for every figure.

A copy-typing passage keeps its paragraphs, salutation and signature: each break is one
``"\\n"`` in the presented text P. The candidate may type Enter or a space there. The engine
compares P and T with every line break read as a space (``comparable``), on both sides, so an
Enter and a space typed at a break are both correct, and an Enter typed where P has a space
counts as that space. One character for one character: lengths and indices do not change, so
every metric definition stays as it was (MSD, keystroke classes, WPM count the break as one
character, as the space it stood for before). A P without line breaks and a T typed with
spaces (every attempt stored before passages kept their breaks) compare exactly as before.

Used by ``analyze`` (P, T and the character stream), ``scoring.reached_length`` and
``feedback.error_positions``, so the scored figures, ``verify``'s recomputation and the live
marks apply one rule.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["LINE_BREAK", "comparable", "comparable_stream"]

#: The line break of a presented passage and of an answer typed with Enter.
LINE_BREAK = "\n"


def comparable(text: str) -> str:
    """``text`` as the engine compares it: every line break a space (same length, same indices)."""
    return text.replace(LINE_BREAK, " ") if LINE_BREAK in text else text


def comparable_stream(stream: Sequence[str]) -> list[str]:
    """A character stream (one entry per character or ``"\\b"``) with every line break a space."""
    return [" " if e == LINE_BREAK else e for e in stream]
