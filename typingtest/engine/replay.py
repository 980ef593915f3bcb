"""Editor replay: turn an event log (or a keystroke string) into IS and T.

The replay is a small text editor driven by the TEXT and EDIT rows of an event log
(``typingtest.engine.events``): it honours backspace, delete, word-backspace, word-delete,
cursor moves, caret placement, selections and typing over a selection, and counts the
characters the candidate typed and later removed (the IF keystrokes of Soukoreff &
MacKenzie 2003 are exactly these).

The editor is the workstation's own (``typingtest.engine.textbuffer.TextBuffer``, its
conventions for words, selections and cursor moves are written there) plus the bookkeeping of
the characters removed, so what the candidate saw is what is scored.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from typingtest.engine.events import DELETE_OPS, EDIT_OPS, TEXT_WIDTH, EventKind
from typingtest.engine.textbuffer import TextBuffer

__all__ = ["BACKSPACE", "Replay", "nfc_stream", "replay", "replay_entries"]

#: The backspace character of the string form of a keystroke stream (U+0008).
BACKSPACE = "\b"


@dataclass
class Replay:
    """What the editor replay found.

    ``input_stream`` is IS: one entry per committed character (a str of length 1, NFC) or
    per editing operation (its name, e.g. ``"backspace"``), in order. ``times`` holds the
    time (seconds) of each IS entry, or None when the stream came without times.
    """

    transcribed: str
    input_stream: tuple[str, ...]
    times: np.ndarray | None
    #: Characters typed and later removed (by a deletion or by typing over a selection).
    removed: int
    #: Those characters, in the order they were typed.
    removed_text: str
    #: True when a cursor move, caret placement or selection occurred.
    used_cursor: bool
    #: F: the editing operations in IS (every EDIT row, no-ops included).
    edit_count: int
    #: Characters entered (|IS| - F).
    entered: int
    #: The stream of characters and backspaces (``"\\b"``) the character-level analysis of
    #: Wobbrock & Myers reads, one item per character typed or removed; None when a character
    #: was typed or removed anywhere but at the end of the text (a cursor move or selection
    #: that was used: the method does not apply then). Cursor moves that change nothing (Left,
    #: then Right, then typing on) keep it.
    char_stream: list[str] | None = field(default=None, repr=False)

    @property
    def input_stream_text(self) -> str:
        """IS as text with ``"\\b"`` for backspace and U+2326 (⌦) for any other edit."""
        return "".join(e if len(e) == 1 else (BACKSPACE if e == "backspace" else "\u2326") for e in self.input_stream)


class _ReplayBuffer(TextBuffer):
    """The editor (``engine.textbuffer.TextBuffer``) plus the replay's bookkeeping: which
    characters were typed and later removed, whether a cursor move or selection was used, and
    the character stream while every change happens at the end of the text."""

    def __init__(self, initial: str) -> None:
        super().__init__()
        self.set_text(initial)
        # for each character: its place in the order of typing, or -1 for the initial text
        self.typed: list[int] = [-1] * len(initial)
        self.seq = 0
        self.removed_chars: list[tuple[int, str]] = []
        self.used_cursor = False
        # True while every character typed or removed was at the end of the text
        self.at_end = not initial
        self.char_stream: list[str] = []

    def _replace(self, a: int, b: int, s: str) -> None:
        text = self.text
        if b > a:
            removed = zip(self.typed[a:b], text[a:b], strict=True)
            self.removed_chars.extend([(seq, ch) for seq, ch in removed if seq >= 0])
        if b == a and len(s) == 1:  # typing one character: the common case
            self.typed.insert(a, self.seq)
        else:
            self.typed[a:b] = range(self.seq, self.seq + len(s))
        self.seq += len(s)
        self.text = text[:a] + s + text[b:]

    def type_text(self, text: str) -> None:
        """Type ``text`` at the caret (replacing a selection)."""
        if self.selection() is not None or self.caret != len(self.text):
            self.at_end = False
        self.insert(text)
        self.char_stream.extend(text)

    def edit(self, op: str, x: float = 0.0, y: float = 0.0) -> None:
        """Apply edit operation ``op``."""
        if op not in DELETE_OPS:
            self.used_cursor = True
            self.apply(op, x, y)
            return
        at_end = self.selection() is None and self.caret == len(self.text)
        n = len(self.text)
        self.apply(op, x, y)
        count = n - len(self.text)
        if count and not at_end:
            self.at_end = False
        # While every edit happens at the end of the text, each removed character is one
        # backspace of the character stream (a word-backspace removes several).
        self.char_stream.extend([BACKSPACE] * count)


def replay_entries(
    entries: Sequence[str],
    times: Sequence[float] | np.ndarray | None = None,
    *,
    initial: str = "",
    xy: Mapping[int, tuple[float, float]] | None = None,
    fast: bool = True,
) -> Replay:
    """Replay IS given as entries: single characters, or edit-operation names.

    ``xy`` maps the index of a ``caret``/``select`` entry to its (x, y) character indices.
    Raises ValueError on an unknown operation name. A stream of characters and backspaces
    into an empty field takes a shortcut (a stack) unless ``fast`` is False; both give the
    same result (tested).
    """
    t_arr = None if times is None else np.asarray(times, dtype=np.float64)
    if t_arr is not None and len(t_arr) != len(entries):
        raise ValueError(f"{len(t_arr)} times for {len(entries)} input-stream entries")
    ops = {e for e in set(entries) if len(e) != 1}
    for op in ops - EDIT_OPS:
        raise ValueError(f"input-stream entry {list(entries).index(op)}: unknown edit operation {op!r}")
    if fast and not initial and ops <= {"backspace"}:
        return _replay_backspace_only(list(entries), t_arr)
    ed = _ReplayBuffer(unicodedata.normalize("NFC", initial))
    edits = 0
    for k, entry in enumerate(entries):
        if len(entry) == 1:
            ed.type_text(entry)
            continue
        x, y = xy.get(k, (0.0, 0.0)) if xy is not None else (0.0, 0.0)
        ed.edit(entry, x, y)
        edits += 1
    return Replay(
        transcribed=unicodedata.normalize("NFC", ed.text),
        input_stream=tuple(entries),
        times=t_arr,
        removed=len(ed.removed_chars),
        removed_text="".join(ch for _, ch in sorted(ed.removed_chars)),
        used_cursor=ed.used_cursor,
        edit_count=edits,
        entered=len(entries) - edits,
        char_stream=ed.char_stream if ed.at_end else None,
    )


def _replay_backspace_only(entries: list[str], times: np.ndarray | None) -> Replay:
    """The replay of characters and backspaces typed into an empty field: a stack.

    (A plain loop: for the ~1,500 entries of an attempt it is faster than numpy.)
    """
    kept: list[int] = []  # indices of the entries in the text
    removed: list[int] = []
    char_stream: list[str] = []
    edits = 0
    for k, e in enumerate(entries):
        if e == "backspace":
            edits += 1
            if kept:
                removed.append(kept.pop())
                char_stream.append(BACKSPACE)
        else:
            kept.append(k)
            char_stream.append(e)
    removed.sort()
    return Replay(
        transcribed=unicodedata.normalize("NFC", "".join([entries[k] for k in kept])),
        input_stream=tuple(entries),
        times=times,
        removed=len(removed),
        removed_text="".join([entries[k] for k in removed]),
        used_cursor=False,
        edit_count=edits,
        entered=len(entries) - edits,
        char_stream=char_stream,
    )


def nfc_stream(stream: str, times: Sequence[float] | None = None) -> tuple[list[str], list[float] | None]:
    """Split a keystroke string (``"\\b"`` = backspace) into NFC entries.

    A combining mark typed after its base letter joins it (``"e\\u0301"`` -> ``"é"``, one
    entry, at the time of the mark), so NFD and NFC input give the same stream.
    """
    if times is not None and len(times) != len(stream):
        raise ValueError(f"{len(times)} times for {len(stream)} stream characters")
    out: list[str] = []
    out_t: list[float] = []
    for k, ch in enumerate(stream):
        t = float(times[k]) if times is not None else 0.0
        if ch == BACKSPACE:
            out.append("backspace")
            out_t.append(t)
            continue
        ch = unicodedata.normalize("NFC", ch)
        if out and len(out[-1]) == 1 and unicodedata.combining(ch[0]):
            merged = unicodedata.normalize("NFC", out[-1] + ch)
            if len(merged) == 1:
                out[-1] = merged
                out_t[-1] = t
                continue
        for c in ch:
            out.append(c)
            out_t.append(t)
    return out, (out_t if times is not None else None)


def replay(log: np.ndarray | str, target: str | None = None, *, initial: str = "") -> Replay:
    """Replay an event log (only rows of ``target`` if given) or a keystroke string.

    In a log, IS comes from TEXT rows (each committed character one entry, NFC) and EDIT rows
    (``text`` = the operation; ``x``/``y`` for ``caret`` and ``select``). ``initial`` is
    text the field held before the attempt (not counted as typed).
    """
    if isinstance(log, str):
        entries, _ = nfc_stream(log)
        return replay_entries(entries, None, initial=initial)
    kinds = log["kind"]
    mask = (kinds == EventKind.TEXT) | (kinds == EventKind.EDIT)
    if target is not None:
        mask &= log["target"] == target
    idx = np.flatnonzero(mask)
    text_col = log["text"][idx]
    text_rows = kinds[idx] == EventKind.TEXT
    # the first two code points of each text (the column is UCS-4: a zero ends the text)
    codes = text_col.view(np.uint32).reshape(len(idx), TEXT_WIDTH)[:, :2]
    plain = (codes[:, 0] != 0) & (codes[:, 0] < 128) & (codes[:, 1] == 0)
    texts = text_col.tolist()
    t_col = log["t"][idx]
    ops = set(texts) if text_rows.all() else set(text_col[~text_rows].tolist())
    if bool(plain[text_rows].all()) and "caret" not in ops and "select" not in ops:
        # one plain character per TEXT row and no positions: IS is the texts themselves
        return replay_entries(texts, t_col.astype(np.float64), initial=initial)
    is_text = text_rows.tolist()
    ts = t_col.tolist()
    entries: list[str] = []
    times: list[float] = []
    xy: dict[int, tuple[float, float]] = {}
    for k, text in enumerate(texts):
        if is_text[k]:
            if len(text) == 1 and text.isascii():
                entries.append(text)
                times.append(ts[k])
                continue
            text = unicodedata.normalize("NFC", text)
            entries.extend(text)
            times.extend([ts[k]] * len(text))
        else:
            if text in ("caret", "select"):
                row = idx[k]
                xy[len(entries)] = (float(log["x"][row]), float(log["y"][row]))
            entries.append(text)
            times.append(ts[k])
    return replay_entries(entries, times, initial=initial, xy=xy)
