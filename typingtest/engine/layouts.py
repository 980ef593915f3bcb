"""Keyboard layouts as data: AZERTY-BE (default), QWERTY-US, QWERTZ-DE.

Each key has an ISO 9995 position id (``E01`` = the "1" key, ``D01`` = the first letter of
the top letter row, ``C01`` the home row, ``B01`` the bottom row; ``B00`` is the extra ISO key
left of it), a row (0 = number row, 1 = top letters, 2 = home row, 3 = bottom row, 4 = space
bar), a column, a centre position in key widths (x to the right, y down), the finger and
hand of standard touch typing, and the character at each level: ``base``, ``shift``,
``altgr``. Dead keys (a ``^`` that waits for the next letter) are marked, and
``keystrokes_for`` spells how to type a character (``ê`` = dead ``^`` then ``e``).

Used for keyboard heatmaps (analysis) and neighbouring-key errors (the virtual typist).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache

__all__ = ["DEFAULT_LAYOUT", "LAYOUT_NAMES", "Key", "Layout", "get_layout", "neighbours"]

DEFAULT_LAYOUT = "azerty-be"
LEVELS = ("base", "shift", "altgr")

#: Combining mark of each dead key's accent (for composing ê, ä, é, à, ñ ...).
_DEAD_MARKS = {"^": "\u0302", "¨": "\u0308", "´": "\u0301", "`": "\u0300", "~": "\u0303"}

_FINGERS = ("pinky", "ring", "middle", "index", "index", "index", "index", "middle", "ring", "pinky")


@dataclass(frozen=True, eq=False)
class Key:
    """One physical key."""

    id: str  # ISO 9995 position (E01, D01, C01, B01, ...) or a name (space, backspace, ...)
    row: int  # 0 number row, 1 top letters, 2 home, 3 bottom, 4 space bar
    column: int
    x: float  # centre, key widths from the left edge of the number row
    y: float  # centre, key heights from the top of the number row
    width: float
    finger: str  # "left-pinky" ... "right-pinky", "thumb"
    hand: str  # "left", "right" (the space bar: "both")
    chars: dict[str, str] = field(default_factory=dict)  # level -> character
    dead: frozenset[str] = frozenset()  # levels at which the key is a dead key

    def char(self, level: str = "base") -> str | None:
        """The character at ``level`` (None if the key has none there)."""
        return self.chars.get(level)


@dataclass(frozen=True, eq=False)
class Layout:
    """A keyboard layout: its keys and lookups by character."""

    name: str
    keys: tuple[Key, ...]

    @property
    def by_char(self) -> dict[str, tuple[Key, str]]:
        """character -> (key, level); dead-key accents are not characters one types directly."""
        return _index(self)

    def key_for(self, char: str) -> tuple[Key, str] | None:
        """The key and level that type ``char`` directly (None if it needs a dead key or none)."""
        return self.by_char.get(unicodedata.normalize("NFC", char))

    def keystrokes_for(self, char: str) -> list[tuple[Key, str]] | None:
        """The key presses (key, level) that type ``char``: one, or a dead key then a letter."""
        char = unicodedata.normalize("NFC", char)
        direct = self.by_char.get(char)
        if direct:
            return [direct]
        base = unicodedata.normalize("NFD", char)
        if len(base) != 2:
            return None
        letter, mark = base[0], base[1]
        target = self.by_char.get(letter)
        if target is None:
            return None
        for key in self.keys:
            for level in key.dead:
                if _DEAD_MARKS.get(key.chars.get(level, "")) == mark:
                    return [(key, level), target]
        return None

    def neighbours(self, char: str) -> list[str]:
        """Characters at the same level on the keys around the key of ``char``."""
        found = self.key_for(char)
        if found is None:
            strokes = self.keystrokes_for(char)
            if not strokes:
                return []
            found = strokes[-1]
        key, level = found
        out = []
        for other in _adjacent(self)[key.id]:
            c = other.chars.get(level)
            if c is not None and level not in other.dead and c not in out:
                out.append(c)
        return out

    def key(self, key_id: str) -> Key:
        """The key with this position id (KeyError if none)."""
        for k in self.keys:
            if k.id == key_id:
                return k
        raise KeyError(key_id)


@cache
def _index(layout: Layout) -> dict[str, tuple[Key, str]]:
    out: dict[str, tuple[Key, str]] = {}
    for level in LEVELS:  # base first: a character on two keys is found at its lowest level
        for key in layout.keys:
            c = key.chars.get(level)
            if c is not None and level not in key.dead and c not in out:
                out[c] = (key, level)
    return out


def _span(k: Key) -> tuple[float, float]:
    return (k.x - k.width / 2, k.x + k.width / 2)


@cache
def _adjacent(layout: Layout) -> dict[str, list[Key]]:
    """Keys touching each key: same row and edge to edge, or the next row and overlapping."""
    out: dict[str, list[Key]] = {}
    for a in layout.keys:
        a0, a1 = _span(a)
        near = []
        for b in layout.keys:
            if b is a or not b.chars:
                continue
            b0, b1 = _span(b)
            if b.row == a.row:
                if abs(b0 - a1) < 0.01 or abs(a0 - b1) < 0.01:
                    near.append(b)
            elif abs(b.row - a.row) == 1 and min(a1, b1) - max(a0, b0) > 0.1:
                near.append(b)
        out[a.id] = near
    return out


def _finger(column: int) -> tuple[str, str]:
    """Touch-typing finger of a character key by its column (ISO numbering)."""
    c = min(max(column, 1), 10)
    hand = "left" if c <= 5 else "right"
    return f"{hand}-{_FINGERS[c - 1]}", hand


def _build(name: str, rows: dict[str, list[str]], iso: bool) -> Layout:
    """Build a layout from rows of key specs.

    A spec is "base shift altgr" separated by spaces ("_" for none); a letter alone gives
    its capital at shift; a leading "!" marks a dead key at that level.
    """
    keys: list[Key] = []
    left_edge = {"E": 0.0, "D": 1.5, "C": 1.75, "B": 1.25 if iso else 2.25}
    first_col = {"E": 0, "D": 1, "C": 1, "B": 0 if iso else 1}
    for row_name, specs in rows.items():
        row = "EDCB".index(row_name)
        for n, spec in enumerate(specs):
            col = first_col[row_name] + n
            parts = spec.split(" ")
            if len(parts) == 1 and parts[0].isalpha() and parts[0].islower():
                parts = [parts[0], parts[0].upper()]
            chars: dict[str, str] = {}
            dead: set[str] = set()
            for level, part in zip(LEVELS, parts, strict=False):
                if part == "_":
                    continue
                if part.startswith("!") and len(part) == 2:
                    dead.add(level)
                    part = part[1:]
                chars[level] = part
            start = left_edge[row_name] + (col - first_col[row_name])
            if row_name == "E":
                start = float(col)
            finger, hand = _finger(col if col > 0 else 1)
            keys.append(
                Key(
                    id=f"{row_name}{col:02d}",
                    row=row,
                    column=col,
                    x=start + 0.5,
                    y=row + 0.5,
                    width=1.0,
                    finger=finger,
                    hand=hand,
                    chars=chars,
                    dead=frozenset(dead),
                )
            )
    keys += [
        Key("backspace", 0, 13, 14.0, 0.5, 2.0, "right-pinky", "right"),
        Key("tab", 1, 0, 0.75, 1.5, 1.5, "left-pinky", "left"),
        Key("caps-lock", 2, 0, 0.875, 2.5, 1.75, "left-pinky", "left"),
        Key("enter", 2, 13, 14.0, 2.0, 1.5 if iso else 2.25, "right-pinky", "right"),
        Key("shift-left", 3, -1, 0.625 if iso else 1.125, 3.5, 1.25 if iso else 2.25, "left-pinky", "left"),
        Key("shift-right", 3, 12, 13.375, 3.5, 2.75, "right-pinky", "right"),
        Key("space", 4, 0, 6.875, 4.5, 6.25, "thumb", "both", {"base": " ", "shift": " "}),
        Key("altgr", 4, 1, 10.625, 4.5, 1.25, "thumb", "right"),
    ]
    return Layout(name=name, keys=tuple(keys))


_AZERTY_BE = {
    "E": ["² ³", "& 1 |", "é 2 @", '" 3 #', "' 4", "( 5", "§ 6 ^", "è 7", "! 8", "ç 9 {", "à 0 }", ") °", "- _"],
    "D": ["a", "z", "e E €", "r", "t", "y", "u", "i", "o", "p", "!^ !¨ [", "$ * ]"],
    "C": ["q", "s", "d", "f", "g", "h", "j", "k", "l", "m", "ù % !´", "µ £ !`"],
    "B": ["< > \\", "w", "x", "c", "v", "b", "n", ", ?", "; .", ": /", "= + !~"],
}

_QWERTY_US = {
    "E": ["` ~", "1 !", "2 @", "3 #", "4 $", "5 %", "6 ^", "7 &", "8 *", "9 (", "0 )", "- _", "= +"],
    "D": ["q", "w", "e", "r", "t", "y", "u", "i", "o", "p", "[ {", "] }", "\\ |"],
    "C": ["a", "s", "d", "f", "g", "h", "j", "k", "l", "; :", "' \""],
    "B": ["z", "x", "c", "v", "b", "n", "m", ", <", ". >", "/ ?"],
}

_QWERTZ_DE = {
    "E": ["!^ °", "1 !", '2 " ²', "3 § ³", "4 $", "5 %", "6 &", "7 / {", "8 ( [", "9 ) ]", "0 = }", "ß ? \\", "!´ !`"],
    "D": ["q Q @", "w", "e E €", "r", "t", "z", "u", "i", "o", "p", "ü", "+ * ~"],
    "C": ["a", "s", "d", "f", "g", "h", "j", "k", "l", "ö", "ä", "# '"],
    "B": ["< > |", "y", "x", "c", "v", "b", "n", "m M µ", ", ;", ". :", "- _"],
}

_SPECS = {"azerty-be": (_AZERTY_BE, True), "qwerty-us": (_QWERTY_US, False), "qwertz-de": (_QWERTZ_DE, True)}
LAYOUT_NAMES = tuple(_SPECS)


@cache
def get_layout(name: str = DEFAULT_LAYOUT) -> Layout:
    """The layout called ``name`` ("azerty-be", "qwerty-us", "qwertz-de"); KeyError otherwise."""
    key = name.lower()
    if key not in _SPECS:
        raise KeyError(f"unknown keyboard layout {name!r}; known: {', '.join(LAYOUT_NAMES)}")
    rows, iso = _SPECS[key]
    return _build(key, rows, iso)


def neighbours(char: str, layout: str = DEFAULT_LAYOUT) -> list[str]:
    """Characters on the keys around the key of ``char`` (same level) on ``layout``."""
    return get_layout(layout).neighbours(char)
