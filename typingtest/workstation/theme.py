"""Colours, fonts and the scale that maps the 1280x720 design grid onto the real screen.

Every scene lays itself out in design units (a 1280x720 grid); ``Theme.rect`` scales them to
pixels, so the same layout runs from 1280x720 to 3840x2160. ``font_scale`` and
``high_contrast`` come from the centre's settings (accommodations). The font is pygame-ce's
shipped default (FreeSans Bold), which renders é è ë ç € @ (checked in the tests).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from typingtest.workstation import fonts

__all__ = ["DESIGN_SIZE", "Theme"]

#: The design grid every layout is written in (pixels at scale 1).
DESIGN_SIZE = (1280, 720)

_NORMAL = {
    "bg": (238, 241, 245),
    "panel": (255, 255, 255),
    "border": (160, 170, 185),
    "text": (25, 30, 40),
    "muted": (95, 105, 120),
    "accent": (20, 95, 170),
    "accent_text": (255, 255, 255),
    "focus": (230, 120, 0),
    "caret": (200, 30, 30),
    "select": (170, 200, 240),
    "ok": (20, 130, 60),
    "warn": (190, 40, 40),
    "error": (205, 0, 0),  # characters marked wrong while typing (with an underline)
    "disabled": (200, 204, 210),
    "overlay": (20, 25, 35),
}
_HIGH_CONTRAST = {
    "bg": (0, 0, 0),
    "panel": (0, 0, 0),
    "border": (255, 255, 255),
    "text": (255, 255, 255),
    "muted": (230, 230, 230),
    "accent": (255, 255, 0),
    "accent_text": (0, 0, 0),
    "focus": (0, 255, 255),
    "caret": (255, 255, 0),
    "select": (0, 90, 160),
    "ok": (0, 255, 0),
    "warn": (255, 80, 80),
    "error": (255, 96, 96),
    "disabled": (90, 90, 90),
    "overlay": (0, 0, 0),
}


@dataclass
class Theme:
    """Screen size, scale and colours; fonts are made once per pixel size."""

    size: tuple[int, int] = DESIGN_SIZE
    font_scale: float = 1.0
    high_contrast: bool = False
    _fonts: dict[int, pygame.font.Font] = field(default_factory=dict, repr=False)

    @property
    def scale(self) -> float:
        """Pixels per design unit (1.0 at 1280x720, 3.0 at 3840x2160)."""
        return min(self.size[0] / DESIGN_SIZE[0], self.size[1] / DESIGN_SIZE[1])

    @property
    def offset(self) -> tuple[int, int]:
        """Pixels left/top of the design area when the aspect ratio differs (letterbox)."""
        s = self.scale
        return (int((self.size[0] - DESIGN_SIZE[0] * s) / 2), int((self.size[1] - DESIGN_SIZE[1] * s) / 2))

    def color(self, name: str) -> tuple[int, int, int]:
        """A named colour of the theme in force."""
        return (_HIGH_CONTRAST if self.high_contrast else _NORMAL)[name]

    def px(self, units: float) -> int:
        """Design units to pixels."""
        return max(1, round(units * self.scale))

    def rect(self, x: float, y: float, w: float, h: float) -> pygame.Rect:
        """A design-grid rectangle in screen pixels."""
        s = self.scale
        ox, oy = self.offset
        return pygame.Rect(ox + round(x * s), oy + round(y * s), max(1, round(w * s)), max(1, round(h * s)))

    def font(self, size: float = 20) -> pygame.font.Font:
        """The default font at ``size`` design units (times the font scale setting)."""
        px = max(8, round(size * self.scale * self.font_scale))
        f = self._fonts.get(px)
        if f is None:
            f = self._fonts[px] = fonts.font(px)  # the default font without its broken kerning
        return f
