"""Issue 17, item 7: the screens between tasks use the whole window. The intake (every page), the
instructions, the no-audio screen and the closing screen are laid out as one column centred on
the screen and scaled with it, from 1280x720 to 2560x1440; at ``font_scale`` 1.5 every text still
fits its box and no row runs into the next.

Hand count of the centring: a row of total width ``t`` pixels starts at ``round(W / 2 - t / 2)``
and a rectangle's ``centerx`` is ``x + w // 2``, so a centre is off by at most 1 pixel (one
rounding of the start, one halving of an odd width). Widths are ``round(units * scale)`` with
``scale = min(W / 1280, H / 720)``: 1.0, 1.5 and 2.0 here.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pygame
import pytest

from typingtest.config import Settings
from typingtest.workstation.app import App
from typingtest.workstation.clock import ManualClock
from typingtest.workstation.flow_scenes import ClosingScene, InstructionsScene, NoAudioScene
from typingtest.workstation.intake import INTAKE_PAGES, IntakeScene
from typingtest.workstation.scene import Scene
from typingtest.workstation.widgets import Label, wrapped

SIZES = [(1280, 720), (1920, 1080), (2560, 1440)]
#: Off-centre tolerance in pixels (see the module docstring).
TOLERANCE_PX = 1


def _app(size: tuple[int, int], font_scale: float, tmp_path: Path) -> App:
    return App(Settings(results_dir=tmp_path, font_scale=font_scale), size=size, clock=ManualClock(0.0))


def _rows(scene: Scene) -> list[list[pygame.Rect]]:
    """The visible widgets' rectangles grouped by row (same top), top to bottom."""
    rows: dict[int, list[pygame.Rect]] = {}
    for w in scene.widgets:
        if w.visible:
            rows.setdefault(w.rect.y, []).append(w.rect)
    return [sorted(rows[y], key=lambda r: r.x) for y in sorted(rows)]


def _check_centred_and_inside(scene: Scene, size: tuple[int, int]) -> None:
    width, height = size
    rows = _rows(scene)
    assert rows
    for row in rows:
        union = row[0].unionall(row[1:])
        assert abs(union.centerx - width / 2) <= TOLERANCE_PX, (scene.name, row, width)
        assert union.left >= 0 and union.right <= width and union.bottom <= height, (scene.name, row, size)
    for upper, lower in itertools.pairwise(rows):  # no row runs into the next
        assert max(r.bottom for r in upper) <= min(r.top for r in lower), (scene.name, upper, lower)
    for w in scene.widgets:  # every label's wrapped text fits its box at the font in force
        if w.visible and isinstance(w, Label) and w.text:
            font = scene.app.theme.font(w.size)
            assert len(wrapped(w.text, font, w.rect.w)) * font.get_linesize() <= w.rect.h, (scene.name, w.name)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("font_scale", [1.0, 1.5])
def test_intake_pages_are_centred_and_fit(size: tuple[int, int], font_scale: float, tmp_path: Path) -> None:
    app = _app(size, font_scale, tmp_path)
    scene = IntakeScene(app, None)
    app.show(scene)
    for page in INTAKE_PAGES:
        scene.show_page(page)
        _check_centred_and_inside(scene, size)
    scene.show_page("candidate")  # a long message on the id page grows its box, still inside the screen
    scene._feedback("Deze kandidaat heeft deze test afgelegd op 2026-11-23. Een nieuwe poging kan pas 30 dagen na "
                    "de vorige: nog 20 dagen, vanaf 2026-12-23. Roep de toezichter.")
    _check_centred_and_inside(scene, size)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("font_scale", [1.0, 1.5])
def test_instructions_no_audio_and_closing_are_centred_and_fit(size: tuple[int, int], font_scale: float,
                                                               tmp_path: Path) -> None:
    app = _app(size, font_scale, tmp_path)
    scenes: list[Scene] = [InstructionsScene(app, None, kind) for kind in ("copy-typing", "call")]
    scenes += [NoAudioScene(app, None, lambda: ClosingScene(app, None)), ClosingScene(app, None)]  # type: ignore
    for scene in scenes:
        app.show(scene)
        _check_centred_and_inside(scene, size)


@pytest.mark.parametrize(("size", "x", "w", "button_x", "button_w"), [
    # hand-computed: x = W/2 - round(1000 * s)/2, button x = W/2 - round(300 * s)/2
    ((1280, 720), 140, 1000, 490, 300),  # s = 1.0
    ((1920, 1080), 210, 1500, 735, 450),  # s = 1.5: the left half only before (button at 210..660)
    ((2560, 1440), 280, 2000, 980, 600),  # s = 2.0
])
def test_the_column_scales_with_the_window(size: tuple[int, int], x: int, w: int, button_x: int, button_w: int,
                                           tmp_path: Path) -> None:
    app = _app(size, 1.0, tmp_path)
    scene = IntakeScene(app, None)
    app.show(scene)
    title, button = scene.widget("title").rect, scene.widget("next").rect
    assert (title.x, title.w) == (x, w)
    assert (button.x, button.w) == (button_x, button_w)
    field = scene.widget("candidate-id").rect
    assert field.w == round(600 * w / 1000) and abs(field.centerx - size[0] / 2) <= TOLERANCE_PX


def test_a_larger_font_pushes_the_rows_down_instead_of_overlapping(tmp_path: Path) -> None:
    """font_scale 1.5 at 1280x720: the consent text takes more lines, so the Agree button moves down."""
    tops = {}
    for font_scale in (1.0, 1.5):
        app = _app((1280, 720), font_scale, tmp_path)
        scene = IntakeScene(app, None)
        app.show(scene)
        scene.show_page("consent")
        text = scene.widget("consent-text")
        font = app.theme.font(text.size)  # type: ignore[attr-defined]
        lines = len(wrapped(text.text, font, text.rect.w))  # type: ignore[attr-defined]
        assert text.rect.h >= lines * font.get_linesize()
        tops[font_scale] = scene.widget("agree").rect.top
    assert tops[1.5] > tops[1.0]
