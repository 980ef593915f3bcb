"""The text of one entry field and its editing operations: the one editor of typingtest.

The live entry field of the workstation (``workstation.widgets``), the replay of a session
on screen (``workstation.replay``) and the engine's replay of an event log
(``engine.replay``, which adds the bookkeeping of removed characters in a subclass) all edit
through this class, so what the candidate saw is what the engine scores. The operations are
the edit op names of ``typingtest.engine.events``. Conventions (the common desktop ones):

- a word is a run of non-space characters (``is_word_boundary``); ``word-left``/
  ``word-backspace`` skip spaces to the left, then the word; ``word-right``/``word-delete``
  skip the word to the right, then the spaces after it (as Ctrl+Right on Windows);
- ``left``/``right`` with a selection collapse it to its start/end; every other plain cursor
  move drops the selection and moves from the caret;
- ``backspace``/``delete`` (and the word forms) with a selection remove the selection only;
- typing with a selection replaces it;
- ``up``/``down`` act as ``home``/``end`` (a one-line field); a multi-line field logs its
  vertical moves as ``caret`` with the resulting index, so the log replays without layout;
- ``caret``/``select`` positions (character indices; floats in a log) are rounded and
  clamped to the text.

The corpus scorer (``engine.corpus``) replays key presses rather than edit operations, but
finds word boundaries with the same ``word_left``/``word_right``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from typingtest.engine.events import DELETE_OPS, EDIT_OPS

__all__ = ["TextBuffer", "is_word_boundary", "word_left", "word_right"]


def is_word_boundary(ch: str) -> bool:
    """True for a character that separates words (whitespace, line breaks included)."""
    return ch.isspace()


def word_left(text: Sequence[str], i: int) -> int:
    """Index of the start of the word left of ``i`` (spaces skipped first); ``text`` is a str
    or a list of characters."""
    while i > 0 and is_word_boundary(text[i - 1]):
        i -= 1
    while i > 0 and not is_word_boundary(text[i - 1]):
        i -= 1
    return i


def word_right(text: Sequence[str], i: int) -> int:
    """Index after the word right of ``i`` and the spaces that follow it."""
    n = len(text)
    while i < n and not is_word_boundary(text[i]):
        i += 1
    while i < n and is_word_boundary(text[i]):
        i += 1
    return i


@dataclass
class TextBuffer:
    """Text, caret (a character index) and selection anchor (None = no selection).

    Every change of the text goes through ``_replace`` (a subclass hooks its bookkeeping
    there: ``engine.replay`` records the characters removed).
    """

    text: str = ""
    caret: int = 0
    anchor: int | None = None
    #: Characters the field accepts at most (None = no limit).
    max_length: int | None = None

    def selection(self) -> tuple[int, int] | None:
        """The selected span ``(start, end)``, or None when nothing is selected."""
        if self.anchor is None or self.anchor == self.caret:
            return None
        return (min(self.anchor, self.caret), max(self.anchor, self.caret))

    def _replace(self, a: int, b: int, s: str) -> None:
        """Replace ``text[a:b]`` by ``s`` (the one place the text changes)."""
        self.text = self.text[:a] + s + self.text[b:]

    def _remove(self, a: int, b: int) -> int:
        """Remove ``text[a:b]`` (clamped), caret to ``a``, no selection; characters removed."""
        a, b = max(0, a), min(len(self.text), b)
        self.anchor = None
        if b <= a:
            return 0
        self._replace(a, b, "")
        self.caret = a
        return b - a

    def insert(self, s: str) -> bool:
        """Type ``s`` at the caret (replacing a selection); False when nothing changed."""
        span = self.selection()
        cut = span is not None and self._remove(*span) > 0
        self.anchor = None
        if self.max_length is not None:
            s = s[: max(0, self.max_length - len(self.text))]
        if not s:
            return cut
        self._replace(self.caret, self.caret, s)
        self.caret += len(s)
        return True

    def set_text(self, text: str) -> None:
        """Replace everything (not an edit the candidate made: used to prefill or reset)."""
        self.text = text
        self.caret = len(text)
        self.anchor = None

    def apply(self, op: str, x: float = 0, y: float = 0) -> bool:
        """Apply edit operation ``op`` (``x``/``y``: character indices for ``caret``/``select``);
        True when the text, caret or selection changed. Raises ValueError on an unknown op."""
        if op not in EDIT_OPS:
            raise ValueError(f"unknown edit operation {op!r}")
        before = (self.text, self.caret, self.anchor)
        t, c, n = self.text, self.caret, len(self.text)
        span = self.selection()
        if op in DELETE_OPS:
            if span is not None:
                self._remove(*span)
            elif op == "backspace":
                self._remove(c - 1, c)
            elif op == "delete":
                self._remove(c, c + 1)
            elif op == "word-backspace":
                self._remove(word_left(t, c), c)
            else:  # word-delete
                self._remove(c, word_right(t, c))
        elif op.startswith("select"):
            if op == "select-all":
                self.anchor, self.caret = 0, n
            elif op == "select":
                self.anchor, self.caret = _clamp(x, n), _clamp(y, n)
            else:
                if self.anchor is None:
                    self.anchor = c
                self.caret = _move(op.removeprefix("select-"), t, c)
        else:
            if op == "caret":
                self.caret = _clamp(x, n)
            elif op == "left" and span is not None:
                self.caret = span[0]
            elif op == "right" and span is not None:
                self.caret = span[1]
            else:
                self.caret = _move(op, t, c)
            self.anchor = None
        return (self.text, self.caret, self.anchor) != before


def _clamp(i: float, n: int) -> int:
    return max(0, min(round(i), n))


def _move(op: str, t: str, c: int) -> int:
    n = len(t)
    match op:
        case "left":
            return max(0, c - 1)
        case "right":
            return min(n, c + 1)
        case "word-left":
            return word_left(t, c)
        case "word-right":
            return word_right(t, c)
        case "home" | "up":
            return 0
        case "end" | "down":
            return n
    raise ValueError(f"not a cursor move: {op!r}")
