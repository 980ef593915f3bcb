"""Under a real X server (Xvfb) on the real clock: after the practice runs out, the scored task
does not begin while nobody touches the keyboard; it begins at the candidate's Enter (issue 17).

``typingtest run`` on a two-task battery (a 6 s practice, then the scored passage); xdotool
presses Enter at the instructions, types a word in the practice and stops. The practice's
journal is stored and removed; for ``IDLE_S`` seconds no new attempt begins (no journal, one
attempt in the database); then Enter, and the scored attempt begins, is typed into and finished.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from typingtest.config import Settings
from typingtest.engine.events import EventKind
from typingtest.store import open_store
from typingtest.workstation.xdriver import key_names, missing_tools, wait_for_attempt, wait_for_window, xvfb_display

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]
PRACTICE_S = 6
#: seconds nobody touches the keyboard once the practice has run out
IDLE_S = 10.0
BATTERY = f"""id = "xvfb-wait"
kind = "battery"
language = "nl"
title = "A practice, then a scored passage"
thresholds = ["msd_error_rate", "net_wpm"]

[[tasks]]
item = "nl-copy-06"
practice = true
time_limit_s = {PRACTICE_S}

[[tasks]]
item = "nl-copy-01"
time_limit_s = 120
"""


def _journals(results: Path) -> list[Path]:
    return list(results.rglob("*.ttj"))


def _until(condition, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_the_scored_task_waits_on_the_real_clock_until_enter(tmp_path: Path) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("SKIPPED LOUDLY: Xvfb and xdotool are Linux test tools")
    missing = missing_tools()
    if missing:
        pytest.skip(f"SKIPPED LOUDLY: {', '.join(missing)} not installed (apt-get install xvfb xdotool)")
    results = tmp_path / "results"
    battery = tmp_path / "xvfb-wait.toml"
    battery.write_text(BATTERY, encoding="utf-8")
    with xvfb_display() as display:
        env = dict(os.environ, DISPLAY=display, SDL_AUDIODRIVER="dummy", TYPINGTEST_RESULTS=str(results),
                   LANG="C.UTF-8", LC_ALL="C.UTF-8")
        env.pop("SDL_VIDEODRIVER", None)
        env.pop("TYPINGTEST_DB", None)
        proc = subprocess.Popen([sys.executable, "-m", "typingtest", "run", "--battery", str(battery), "--windowed",
                                 "--candidate", "XVFB-WAIT"], env=env, cwd=REPO, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

        def key(*names: str) -> None:
            subprocess.run(["xdotool", "key", "--delay", "60", *names], env=env, check=True)

        try:
            wid = wait_for_window(display, timeout=60.0)
            assert wid is not None, f"the workstation window never appeared: {proc.poll()=}"
            time.sleep(1.0)
            subprocess.run(["xdotool", "windowfocus", wid], env=env, capture_output=True)
            for _ in range(4):  # the instructions (and any page before them) take a fresh Enter after 0.5 s
                key("Return")
                if wait_for_attempt(results, timeout=1.5):
                    break
            assert _journals(results), "the practice never began"
            key(*key_names("Geachte"))
            # the practice runs out; its attempt is stored and its journal removed
            assert _until(lambda: not _journals(results), PRACTICE_S + 15), "the practice did not end"
            ended = time.time()
            # nobody at the keyboard: no scored attempt begins
            assert not _until(lambda: bool(_journals(results)), IDLE_S), "the scored task began by itself"
            store = open_store(Settings(results_dir=results))
            try:
                frame = store.attempts_frame(include_practice=True)
            finally:
                store.close()
            assert list(frame["practice"]) == [True]
            pressed = time.time()
            key("Return")
            assert wait_for_attempt(results, timeout=10), "Enter did not start the scored task"
            time.sleep(0.5)
            key(*key_names("Geachte mevrouw"))
            time.sleep(0.5)
            key("ctrl+Return")
            time.sleep(0.5)
            key("Return")
            time.sleep(1.0)  # the closing screen takes a fresh press
            key("Return")
            _out, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert proc.returncode == 0, err
    store = open_store(Settings(results_dir=results))
    frame = store.attempts_frame(include_practice=True).sort_values("started_at")
    assert list(frame["practice"]) == [True, False]
    practice, scored = frame.iloc[0], frame.iloc[1]
    assert practice["metrics"]["ended_by"] == "time" and practice["transcribed"] == "Geachte"
    assert scored["transcribed"] == "Geachte mevrouw" and scored["state"] == "complete"
    # the scored task began at the Enter, after the idle wait, not when the practice ran out
    started = scored["started_at"].timestamp()
    assert started >= pressed - 0.5 and started - ended >= IDLE_S
    events = store.events(scored["attempt_id"])
    store.close()
    markers = [str(t) for t in events[events["kind"] == EventKind.MARKER]["text"]]
    assert not [m for m in markers if m.startswith("incident:input-before-start")]
    # the Enter that started the task is no key press of the answer
    downs = events[(events["kind"] == EventKind.KEY_DOWN) & (events["target"] == "answer")]
    assert 13 not in set(int(k) for k in downs["key"])
