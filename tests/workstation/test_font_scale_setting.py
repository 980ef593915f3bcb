"""The ``font_scale`` setting (an accommodation) makes the text on screen larger, headless: the
instructions title, drawn at font_scale 1.5, is 1.5 times as tall and as wide in pixels as at 1.0."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pygame
import pytest

from typingtest.config import Settings
from typingtest.workstation.screenshots import open_scene


def _title_ink(results_dir: Path, font_scale: float) -> tuple[int, int]:
    """(height, width) in pixels of the instructions title's ink: the box around every pixel that
    is not the background, from the top of the title's rectangle down to just above the progress line."""
    app = open_scene("instructions", settings=Settings(results_dir=results_dir, font_scale=font_scale))
    assert app.scene.name == "instructions"
    title = app.scene.widget("title")
    body_top = app.scene.widget("progress").rect.top  # the progress line ("Taak 1 van 1") follows the title
    region = pygame.Rect(title.rect.left, title.rect.top, title.rect.w, body_top - 2 - title.rect.top)
    rgb = pygame.surfarray.array3d(app.screen)[region.left:region.right, region.top:region.bottom]
    ink = np.any(rgb != np.array(app.theme.color("bg")), axis=-1)  # shape (x, y)
    xs, ys = np.nonzero(ink)
    assert len(xs) > 100  # the title was drawn
    # the ink must not touch the region's bottom edge (else a taller title would be cut off here)
    assert ys.max() < region.h - 1
    return int(ys.max() - ys.min() + 1), int(xs.max() - xs.min() + 1)


def test_font_scale_1_5_draws_the_title_one_and_a_half_times_larger(results_dir: Path) -> None:
    # Theme.font: pixel size = round(34 design units * screen scale 1.0 * font_scale): 34 px, 51 px
    h1, w1 = _title_ink(results_dir / "1.0", 1.0)
    h15, w15 = _title_ink(results_dir / "1.5", 1.5)
    assert h15 / h1 == pytest.approx(1.5, rel=0.15)
    assert w15 / w1 == pytest.approx(1.5, rel=0.15)
    assert h1 >= 20  # "Gesprekssimulatie" at 34 px: a capital and a descender, over 20 px of ink
