"""Under a real X server (Xvfb): xdotool types a known text with é, ë, ç at a steady cadence
into ``typingtest run --task copy-typing``; the stored text equals the typed text exactly.

The only timing assertion is a generous one; the interval SD against the cadence is measured
by ``python -m benchmarks.bench_workstation``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from typingtest.config import Settings
from typingtest.engine.events import EventKind
from typingtest.store import open_store
from typingtest.workstation.xdriver import key_names, missing_tools, wait_for_attempt, wait_for_window, xvfb_display

pytestmark = pytest.mark.xvfb
REPO = Path(__file__).resolve().parents[2]
TEXT = "Zoë at één crème, ça va: déjà à l'école @ 9."
CADENCE_MS = 40


def test_xdotool_types_into_copy_typing(tmp_path: Path) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("SKIPPED LOUDLY: Xvfb and xdotool are Linux test tools")
    missing = missing_tools()
    if missing:
        pytest.skip(f"SKIPPED LOUDLY: {', '.join(missing)} not installed (apt-get install xvfb xdotool)")
    results = tmp_path / "results"
    with xvfb_display() as display:
        env = dict(os.environ, DISPLAY=display, SDL_AUDIODRIVER="dummy", TYPINGTEST_RESULTS=str(results),
                   LANG="C.UTF-8", LC_ALL="C.UTF-8")
        env.pop("SDL_VIDEODRIVER", None)
        env.pop("TYPINGTEST_DB", None)
        proc = subprocess.Popen([sys.executable, "-m", "typingtest", "run", "--task", "copy-typing", "--windowed",
                                 "--candidate", "XVFB-1"], env=env, cwd=REPO, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            wid = wait_for_window(display)
            assert wid is not None, "the workstation window never appeared"
            time.sleep(1.0)
            subprocess.run(["xdotool", "windowfocus", wid], env=env, capture_output=True)
            subprocess.run(["xdotool", "key", "Return"], env=env, check=True)  # the consent page: agree
            assert wait_for_attempt(results), "the copy-typing task never began (no journal)"
            time.sleep(0.5)
            subprocess.run(["xdotool", "windowfocus", wid], env=env, capture_output=True)
            subprocess.run(["xdotool", "key", "--delay", str(CADENCE_MS), *key_names(TEXT)], env=env, check=True)
            time.sleep(0.5)
            subprocess.run(["xdotool", "key", "ctrl+Return"], env=env, check=True)
            time.sleep(0.5)
            subprocess.run(["xdotool", "key", "Return"], env=env, check=True)
            _out, err = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert proc.returncode == 0, err
    store = open_store(Settings(results_dir=results))
    frame = store.attempts_frame()
    assert len(frame) == 1
    row = frame.iloc[0]
    assert row["transcribed"] == TEXT
    events = store.events(row["attempt_id"])
    store.close()
    texts = events[(events["kind"] == EventKind.TEXT) & (events["target"] == "answer")]
    assert "".join(texts["text"]) == TEXT
    # the only timing check, a generous one: characters came about every 40 ms (not batched)
    intervals_ms = np.diff(texts["t"]) * 1000
    assert 20 <= float(np.median(intervals_ms)) <= 200
    # the shortcut is not part of the answer's key presses
    assert not ((events["kind"] == EventKind.KEY_DOWN) & (events["target"] == "answer") & (events["key"] == 13)).any()
