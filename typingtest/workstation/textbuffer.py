"""The text of one entry field and its editing operations, with no pygame in it.

The operations are the edit op names of ``typingtest.engine.events`` so that what the
candidate saw on screen and what the engine replays from the log are the same thing.
Conventions (shared with the engine's replay):

- a word is a run of non-space characters; ``word-left``/``word-backspace`` skip spaces to
  the left, then the word; ``word-right``/``word-delete`` skip the word to the right, then
  the spaces after it;
- a plain cursor move (``left``, ``home``...) drops the selection and moves from the caret;
- ``backspace``/``delete`` (and the word forms) with a selection remove the selection only;
- typing with a selection replaces it;
- ``up``/``down`` act as ``home``/``end`` (a one-line field); a multi-line field logs its
  vertical moves as ``caret`` with the resulting index, so the log replays without layout.
"""

from __future__ import annotations

from dataclasses import dataclass

from typingtest.engine.events import EDIT_OPS

__all__ = ["TextBuffer", "word_left", "word_right"]


def word_left(text: str, i: int) -> int:
    """Index of the start of the word left of ``i`` (spaces skipped first)."""
    while i > 0 and text[i - 1].isspace():
        i -= 1
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    return i


def word_right(text: str, i: int) -> int:
    """Index after the word right of ``i`` and the spaces that follow it."""
    n = len(text)
    while i < n and not text[i].isspace():
        i += 1
    while i < n and text[i].isspace():
        i += 1
    return i


@dataclass
class TextBuffer:
    """Text, caret (a character index) and selection anchor (None = no selection)."""

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

    def _cut_selection(self) -> bool:
        span = self.selection()
        self.anchor = None
        if span is None:
            return False
        a, b = span
        self.text = self.text[:a] + self.text[b:]
        self.caret = a
        return True

    def insert(self, s: str) -> bool:
        """Type ``s`` at the caret (replacing a selection); False when nothing changed."""
        cut = self._cut_selection()
        if self.max_length is not None:
            s = s[: max(0, self.max_length - len(self.text))]
        if not s:
            return cut
        self.text = self.text[: self.caret] + s + self.text[self.caret :]
        self.caret += len(s)
        return True

    def set_text(self, text: str) -> None:
        """Replace everything (not an edit the candidate made: used to prefill or reset)."""
        self.text = text
        self.caret = len(text)
        self.anchor = None

    def apply(self, op: str, x: int = 0, y: int = 0) -> bool:
        """Apply edit operation ``op`` (``x``/``y`` for ``caret``/``select``); True when the text,
        caret or selection changed."""
        if op not in EDIT_OPS:
            raise ValueError(f"unknown edit operation {op!r}")
        before = (self.text, self.caret, self.anchor)
        t, c, n = self.text, self.caret, len(self.text)
        if op in ("backspace", "delete", "word-backspace", "word-delete"):
            if not self._cut_selection():
                if op == "backspace" and c > 0:
                    self.text, self.caret = t[: c - 1] + t[c:], c - 1
                elif op == "delete" and c < n:
                    self.text = t[:c] + t[c + 1 :]
                elif op == "word-backspace":
                    a = word_left(t, c)
                    self.text, self.caret = t[:a] + t[c:], a
                elif op == "word-delete":
                    b = word_right(t, c)
                    self.text = t[:c] + t[b:]
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
            self.anchor = None
            self.caret = _clamp(x, n) if op == "caret" else _move(op, t, c)
        return (self.text, self.caret, self.anchor) != before


def _clamp(i: int | float, n: int) -> int:
    return max(0, min(int(i), n))


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
