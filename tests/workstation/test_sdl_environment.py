"""The SDL environment set-up in one function (``sdl_env.prepare_sdl_environment``), called by
``App`` and by the screenshot script before any window is opened.

That ``App`` sets ``SDL_FRAMEBUFFER_ACCELERATION`` unless the centre set it is
``test_workstation_timing.py``'s test (through ``App``, so it also fails if ``App`` stopped calling
the function); the same check on the bare function, which stood here too, was removed as its
duplicate (issue 15).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from typingtest.workstation import app as app_module
from typingtest.workstation.sdl_env import FRAMEBUFFER_ACCELERATION

REPO = Path(__file__).resolve().parents[2]


def test_app_re_exports_the_one_constant() -> None:
    # app.py re-exports the same constant (the benchmark and older code import it from there)
    assert app_module.FRAMEBUFFER_ACCELERATION == FRAMEBUFFER_ACCELERATION == ("SDL_FRAMEBUFFER_ACCELERATION", "0")


def test_the_screenshot_script_sets_it_before_the_first_window_without_app_doing_it(tmp_path: Path) -> None:
    # a fresh interpreter (pygame's display not yet initialised), the variable unset, and App's own
    # call disabled: the value seen when the display is first initialised is the screenshot script's
    child = textwrap.dedent("""
        import os
        import pygame
        import typingtest.workstation.app as app_module
        from typingtest.workstation import screenshots

        app_module.prepare_sdl_environment = lambda: None
        seen = []
        real_init = pygame.display.init

        def spy_init():
            seen.append(os.environ.get("SDL_FRAMEBUFFER_ACCELERATION", "<unset>"))
            real_init()

        pygame.display.init = spy_init
        screenshots.open_scene("no-audio")
        print("SEEN", seen[0])
    """)
    env = {k: v for k, v in os.environ.items() if k != "SDL_FRAMEBUFFER_ACCELERATION"}
    env.update(SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", TYPINGTEST_RESULTS=str(tmp_path))
    env.pop("TYPINGTEST_DB", None)
    out = subprocess.run([sys.executable, "-c", child], cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "SEEN 0" in out.stdout.splitlines()
