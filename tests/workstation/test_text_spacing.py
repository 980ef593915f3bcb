"""Text that reads right (issue 17, item 6): words are not split by uneven letter spacing.

The cause was the default font's ``kern`` table (pygame-ce's freesansbold.ttf: most pairs push
letters apart, d-a +67/1000 em), which SDL_ttf applies; the workstation loads the font without
it (``workstation.fonts``). Pixel tests: in a rendered passage line no blank gap inside a word
is as wide as the narrowest gap between words (the old font fails this on the same line), and a
line drawn in runs of two colours (the live error marks) has its ink where a whole-string render
has it.
"""

from __future__ import annotations

import os
import struct

import numpy as np
import pygame
import pytest

from typingtest.workstation import fonts
from typingtest.workstation.theme import Theme
from typingtest.workstation.widgets import TextField

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

LINE = "de datum van januari: data, Hartelijk dank voor uw bestelling bij Domestica"


@pytest.fixture(autouse=True)
def _font_init() -> None:
    pygame.font.init()


def _tags(data: bytes) -> list[bytes]:
    n = struct.unpack(">H", data[4:6])[0]
    return [data[12 + 16 * i: 16 + 16 * i] for i in range(n)]


def _ink_columns(font: pygame.font.Font, text: str) -> np.ndarray:
    """True for each pixel column of ``text`` rendered black on white that holds ink."""
    img = font.render(text, True, (0, 0, 0), (255, 255, 255))
    grey = pygame.surfarray.array3d(img).min(axis=2)  # (x, y)
    return (grey < 160).any(axis=1)


def _gaps(font: pygame.font.Font, text: str) -> tuple[list[int], list[int]]:
    """Widths (pixels) of the blank column runs inside words and of those between words.

    A run is between words when it covers the advance of a space (from ``font.size`` of the
    prefix), inside a word when it lies within one word's advance.
    """
    ink = _ink_columns(font, text)
    spaces = [(font.size(text[:i])[0], font.size(text[: i + 1])[0]) for i, c in enumerate(text) if c == " "]
    words, start = [], 0
    for i, c in enumerate(text + " "):
        if c == " ":
            words.append((font.size(text[:start])[0], font.size(text[:i])[0]))
            start = i + 1
    inside, between = [], []
    first, last = int(np.argmax(ink)), len(ink) - int(np.argmax(ink[::-1]))
    x = first
    while x < last:
        if ink[x]:
            x += 1
            continue
        y = x
        while y < last and not ink[y]:
            y += 1
        if any(a < y and x < b for a, b in spaces):
            between.append(y - x)
        elif any(a <= x and y <= b for a, b in words):
            inside.append(y - x)
        x = y
    return inside, between


def test_the_workstation_font_has_no_kern_table_and_the_same_metrics() -> None:
    path = os.path.join(os.path.dirname(pygame.__file__), pygame.font.get_default_font())
    with open(path, "rb") as fh:
        original = fh.read()
    assert b"kern" in _tags(original)
    stripped = fonts.font_bytes()
    assert b"kern" not in _tags(stripped)
    assert sorted(_tags(stripped)) == sorted(t for t in _tags(original) if t != b"kern")
    for px in (15, 22, 33, 44):
        old, new = pygame.font.Font(None, px), fonts.font(px)
        assert (new.get_height(), new.get_linesize(), new.get_ascent()) == (
            old.get_height(), old.get_linesize(), old.get_ascent())
        for glyph in "aHé€@":  # one glyph: no pair, no kerning: the same pixels
            a, b = old.render(glyph, True, (0, 0, 0)), new.render(glyph, True, (0, 0, 0))
            assert pygame.image.tobytes(a, "RGBA") == pygame.image.tobytes(b, "RGBA")
    # the pairs of the report: the old font adds a pixel or more, the new one sets the glyphs' own advances
    old, new = pygame.font.Font(None, 33), fonts.font(33)
    assert new.size("da")[0] == new.size("d")[0] + new.size("a")[0]
    assert old.size("da")[0] > old.size("d")[0] + old.size("a")[0]


@pytest.mark.parametrize("px", [22, 33, 44])  # the passage's 22 design units at scale 1, 1.5 (1920x1080) and 2
def test_no_gap_inside_a_word_is_as_wide_as_a_gap_between_words(px: int) -> None:
    inside, between = _gaps(fonts.font(px), LINE)
    assert len(between) == LINE.count(" ") and len(inside) > 20
    assert max(inside) < min(between), (px, max(inside), min(between))


def _word_gaps(font: pygame.font.Font, word: str) -> list[int]:
    """Widths (pixels) of the blank column runs between the letters of ``word``."""
    ink = _ink_columns(font, word)
    x, last, out = int(np.argmax(ink)), len(ink) - int(np.argmax(ink[::-1])), []
    while x < last:
        if ink[x]:
            x += 1
            continue
        y = x
        while y < last and not ink[y]:
            y += 1
        out.append(y - x)
        x = y
    return out


@pytest.mark.parametrize("px", [22, 33])
def test_the_reported_words_are_evenly_spaced_and_were_not(px: int) -> None:
    # "da t", "janu ari": with the kern table the gaps inside these words ranged over 3 pixels
    # (januari at 33 px: 4 3 2 5 3 2); now within one pixel (3 2 2 3 2 2). The test can fail: the
    # old font fails it on the same words.
    words = ("data", "januari", "datum")
    for word in words:
        gaps = _word_gaps(fonts.font(px), word)
        assert len(gaps) == len(word) - 1 and max(gaps) - min(gaps) <= 1, (word, gaps)
    old = pygame.font.Font(None, px)
    assert any(max(g) - min(g) > 1 for g in (_word_gaps(old, w) for w in words))


def test_a_line_drawn_in_runs_has_its_ink_where_a_whole_string_render_has_it() -> None:
    # the answer field draws a line with wrong characters as runs of two colours, each run placed at
    # font.size(prefix); its ink (glyph rows only, not the underline) matches one render of the line
    theme = Theme((1920, 1080))
    field = TextField("answer", multiline=True, size=22)
    field.set_rect(pygame.Rect(0, 0, 1800, 200))
    text = LINE[:60]
    marks = [3, 4, 20, 33, 34, 35]
    field.set_text(text)
    field.error_marker = lambda s: marks
    surface = pygame.Surface((1920, 220))
    surface.fill(theme.color("panel"))
    field.draw(surface, theme)
    font = theme.font(22)
    inner = field._inner(theme)
    whole = pygame.Surface((1920, 220))
    whole.fill(theme.color("panel"))
    whole.blit(font.render(text, True, (0, 0, 0)), (inner.x, inner.y))
    rows = slice(inner.y, inner.y + font.get_ascent())  # above the underline
    panel = np.array(theme.color("panel"))
    a = (pygame.surfarray.array3d(surface)[:, rows] != panel).any(axis=2)
    b = (pygame.surfarray.array3d(whole)[:, rows] != panel).any(axis=2)
    assert field.marked_indices() == marks and not field.focused  # runs drawn; no caret
    red = np.all(pygame.surfarray.array3d(surface) == np.array(theme.color("error")), axis=2)
    assert red.sum() > 100  # the marked characters are in the error colour
    assert b.sum() > 1000
    differ = int((a != b).sum())
    assert differ <= 0.01 * b.sum(), (differ, int(b.sum()))
    ink_a, ink_b = a.any(axis=1), b.any(axis=1)
    assert int((ink_a != ink_b).sum()) <= 2  # the same columns hold ink, within antialiasing
