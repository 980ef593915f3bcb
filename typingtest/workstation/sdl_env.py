"""The SDL environment the workstation's windows need, set before any window is opened.

SDL reads these variables when the display or the window surface is made, so every entry point
that opens a window (``App``, the screenshot script) calls ``prepare_sdl_environment()`` first.
A value the test centre already set in the environment wins.
"""

from __future__ import annotations

import os

__all__ = ["FRAMEBUFFER_ACCELERATION", "prepare_sdl_environment"]

#: SDL hint for the window surface: "0" makes ``display.update(rects)`` copy only the rectangles
#: to the native window (X11 shared memory, GDI). SDL's default on X11 with a software OpenGL
#: (Mesa llvmpipe, as under Xvfb or a PC without a GPU driver) puts the window surface behind
#: an OpenGL texture: every update then uploads and draws the whole screen, 27 ms median under
#: Xvfb at 1920x1080 for a 400x40 rect, against 0.17 ms without. A test centre may override
#: it with the environment variable of the same name.
FRAMEBUFFER_ACCELERATION = ("SDL_FRAMEBUFFER_ACCELERATION", "0")


def prepare_sdl_environment() -> None:
    """Set the workstation's SDL variables (``FRAMEBUFFER_ACCELERATION``) unless already set.

    Call it before ``pygame.display.init()``; calling it again changes nothing.
    """
    os.environ.setdefault(*FRAMEBUFFER_ACCELERATION)
