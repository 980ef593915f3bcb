"""The event log: one numpy structured array per attempt, the single source of truth.

Every input (key, committed text, edit, click, focus change, paste attempt), every cue the
candidate perceives (audio onset/offset, chat message shown, record opened) and markers
(task start/end) is one row. Metrics are derived from it and can always be recomputed.

Columns (``EVENT_DTYPE``):

========== ========= ==========================================================================
column     dtype     meaning
========== ========= ==========================================================================
t          float64   seconds since the attempt started (``time.perf_counter()`` when read)
kind       uint8     an ``EventKind``
key        int32     pygame key code (KEY_DOWN/KEY_UP), else 0
scancode   int32     hardware scancode (KEY_DOWN/KEY_UP), else 0
mod        int32     modifier bit mask (KEY_DOWN/KEY_UP/EDIT), else 0
text       U64       TEXT: the committed characters (NFC); EDIT: the operation (``EditOp``);
                     AUDIO_*: the line id; SCREEN/MARKER: what happened; else ""
target     U64       the field, button, record or widget the event belongs to ("" = none)
x, y       float32   CLICK: pointer position (pixels); EDIT ``caret``/``select``: character
                     indices (see below); else 0
========== ========= ==========================================================================

Editing operations (kind EDIT, ``text`` holds the name):

- ``backspace``, ``delete``: one character before / after the caret (or the selection);
- ``word-backspace`` (Ctrl+Backspace), ``word-delete`` (Ctrl+Delete): to the previous /
  next word boundary (or the selection);
- cursor moves ``left``, ``right``, ``word-left``, ``word-right``, ``home``, ``end``,
  ``up``, ``down`` (up/down act as home/end in a one-line field);
- ``caret``: the caret placed at character index ``x`` (a click in the text);
- selection: ``select-left``, ``select-right``, ``select-word-left``,
  ``select-word-right``, ``select-home``, ``select-end`` extend the selection from the caret;
  ``select-all``; ``select`` sets anchor ``x`` and caret ``y`` (a drag).
  Typing (TEXT) or deleting with a selection replaces / removes the selected text.

A TEXT event commits one entry of the input stream IS; a dead key followed by "e" gives
two KEY_DOWN rows and one TEXT row "ë".
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

__all__ = [
    "CURSOR_OPS",
    "DELETE_OPS",
    "EDIT_OPS",
    "EVENT_DTYPE",
    "SELECT_OPS",
    "TARGET_WIDTH",
    "TEXT_WIDTH",
    "EventKind",
    "empty_log",
    "make_log",
]

#: Characters the ``text`` and ``target`` columns hold; longer values are an error.
TEXT_WIDTH = 64
TARGET_WIDTH = 64


class EventKind(enum.IntEnum):
    """What an event row records."""

    KEY_DOWN = 1
    KEY_UP = 2
    TEXT = 3  # characters committed by the text-input system (TEXTINPUT)
    EDIT = 4  # an editing operation; ``text`` names it
    CLICK = 5
    FIELD_FOCUS = 6  # a field or widget got the keyboard focus; ``target`` names it
    WINDOW_FOCUS_LOST = 7
    WINDOW_FOCUS_GAINED = 8
    PASTE_ATTEMPT = 9  # blocked and logged
    AUDIO_ONSET = 10  # a caller line actually started playing; ``text`` = line id
    AUDIO_OFFSET = 11  # ... and ended
    SCREEN = 12  # something shown: chat message, record opened, phone ringing
    MARKER = 13  # task start/end, pause/resume, proctor actions


EVENT_DTYPE = np.dtype(
    [
        ("t", "<f8"),
        ("kind", "u1"),
        ("key", "<i4"),
        ("scancode", "<i4"),
        ("mod", "<i4"),
        ("text", f"<U{TEXT_WIDTH}"),
        ("target", f"<U{TARGET_WIDTH}"),
        ("x", "<f4"),
        ("y", "<f4"),
    ]
)

DELETE_OPS = frozenset({"backspace", "delete", "word-backspace", "word-delete"})
CURSOR_OPS = frozenset(
    {"left", "right", "word-left", "word-right", "home", "end", "up", "down", "caret"}
)
SELECT_OPS = frozenset(
    {
        "select-left",
        "select-right",
        "select-word-left",
        "select-word-right",
        "select-home",
        "select-end",
        "select-all",
        "select",
    }
)
#: Every editing operation (F in the text-entry metrics counts each of these).
EDIT_OPS = DELETE_OPS | CURSOR_OPS | SELECT_OPS


def empty_log(n: int = 0) -> np.ndarray:
    """A zero-filled event log of ``n`` rows."""
    return np.zeros(n, dtype=EVENT_DTYPE)


def make_log(rows: Iterable[Mapping[str, Any]]) -> np.ndarray:
    """Build an event log from dicts (missing columns are 0 / ""); ``kind`` may be an EventKind.

    Raises ValueError when a text or target is longer than the column holds.
    """
    rows = list(rows)
    log = empty_log(len(rows))
    for i, row in enumerate(rows):
        for name, value in row.items():
            if name not in EVENT_DTYPE.names:
                raise ValueError(f"event {i}: unknown column {name!r}")
            if name in ("text", "target") and len(value) > TEXT_WIDTH:
                raise ValueError(f"event {i}: {name} longer than {TEXT_WIDTH} characters")
            log[name][i] = int(value) if name == "kind" else value
    return log
