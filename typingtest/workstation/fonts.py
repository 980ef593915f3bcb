"""The workstation's font: pygame-ce's default font without its broken kerning table.

pygame-ce's default font (``freesansbold.ttf``, an old PfaEdit build of GNU FreeSans Bold)
carries a ``kern`` table whose pairs mostly push letters apart: 1,291 of its 1,535 pairs are
positive, e.g. d-a, a-t and u-a +67, +67 and +63 thousandths of an em. SDL_ttf applies it
(kerning is on by default and pygame-ce has no switch for it), so words were split on screen
("da ta", "janu ari"). The glyph shapes and advance widths are right; only that table is
wrong. ``font(px)`` loads the same file with the ``kern`` table left out of its table
directory (the file is otherwise unchanged), at the size ``pygame.font.Font(None, px)``
would use, so every glyph and line height stays as before and words are set with the
font's own advances.
"""

from __future__ import annotations

import io
import os
import struct
from functools import lru_cache

import pygame

__all__ = ["DEFAULT_FONT_SCALE", "font", "font_bytes", "without_table"]

#: pygame-ce draws its default font (``Font(None, px)``) at ``int(px * 0.6875)`` points; the same here.
DEFAULT_FONT_SCALE = 0.6875


def without_table(data: bytes, tag: bytes) -> bytes:
    """A TrueType/OpenType file (bytes) with table ``tag`` removed from its table directory.

    The table records after the offset table are rewritten without ``tag`` and padded with
    zero bytes to their old length, so every other table's offset stays valid; the table's
    bytes stay in the file, unreferenced. Unchanged when the file has no such table.
    """
    version, n = struct.unpack(">IH", data[:6])
    records = [data[12 + 16 * i: 28 + 16 * i] for i in range(n)]
    keep = [r for r in records if r[:4] != tag]
    if len(keep) == n:
        return data
    m = len(keep)
    selector = m.bit_length() - 1
    search = 16 * (1 << selector)
    head = struct.pack(">IHHHH", version, m, search, selector, m * 16 - search)
    return head + b"".join(keep) + b"\0" * (16 * (n - m)) + data[12 + 16 * n:]


@lru_cache(maxsize=1)
def font_bytes() -> bytes:
    """The default font file without its ``kern`` table (read once)."""
    path = os.path.join(os.path.dirname(pygame.__file__), pygame.font.get_default_font())
    with open(path, "rb") as fh:
        return without_table(fh.read(), b"kern")


def font(px: int) -> pygame.font.Font:
    """The default font as ``pygame.font.Font(None, px)`` sizes it, without kerning."""
    return pygame.font.Font(io.BytesIO(font_bytes()), max(1, int(px * DEFAULT_FONT_SCALE)))
