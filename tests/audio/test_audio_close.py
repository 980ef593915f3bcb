"""Closing the SDL device while the main thread is busy must not deadlock (a regression test).

pygame's ``AudioDevice.pause``/``close`` keep the GIL while SDL waits for a running callback,
which waits for the GIL. Before the fix, 40 open/close cycles with a busy main thread hung
for good (SDL's signal handler even swallows SIGTERM); the player now pauses through ctypes.
"""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import time
import numpy as np
from typingtest.audio.player import Player
for i in range(20):
    p = Player.open()
    p.play_now("x", np.zeros(4800, np.float32))
    t_end = time.perf_counter() + 0.03 + (i % 7) * 0.003
    while time.perf_counter() < t_end:
        sum(j * j for j in range(2000))
    p.close()
print("ok", p.backend)
"""


def test_close_under_a_busy_main_thread_does_not_hang():
    env = dict(os.environ, SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1")
    # subprocess.run kills (SIGKILL) on timeout and raises TimeoutExpired: a hang fails the test
    proc = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=90)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["ok", "sdl"]
