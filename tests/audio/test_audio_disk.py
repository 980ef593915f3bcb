"""Onset accuracy through SDL's disk audio driver: every scheduled line found in the written file, in order."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def test_every_line_present_in_order_near_its_cue(tmp_path):
    result_file = tmp_path / "onsets.json"
    env = {k: v for k, v in os.environ.items() if k not in ("SDL_AUDIODRIVER", "SDL_DISKAUDIOFILE")}
    proc = subprocess.run(
        [sys.executable, "-m", "typingtest.audio.diskcheck", str(result_file), "--lines", "8"],
        env=env, capture_output=True, text=True, timeout=60,
    )
    if proc.returncode != 0 and "error" in (result_file.read_text() if result_file.exists() else ""):
        pytest.skip(f"SKIPPED LOUDLY: SDL disk audio driver unavailable: {result_file.read_text()}")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(result_file.read_text())
    assert result["errors"] == [], result["errors"]
    file_onsets = result["file_onsets"]
    # every line present: each burst (its own frequency, 500 + 150 i Hz) found in the raw file
    assert all(t is not None for t in file_onsets), file_onsets
    # in order: the cues are 350-450 ms apart, so the onsets in the file keep their order
    assert file_onsets == sorted(file_onsets), (result["cues"], file_onsets)
    # generous margin (the machine running the tests is shared and busy): within 250 ms of the cue.
    # The 15 ms budget is for the benchmark (benchmarks/bench_audio.py), which reports the offsets.
    for cue, t in zip(result["cues"], file_onsets, strict=True):
        assert abs(t - cue) < 0.250, (result["cues"], file_onsets)
    # and the player's own report agrees with the file within 100 ms (a stall of the starved audio
    # thread after a buffer was mixed delays its writing, which no report can foresee)
    for reported, t in zip(result["reported_onsets"], file_onsets, strict=True):
        assert abs(reported - t) < 0.100, (result["reported_onsets"], file_onsets)
    # the unscheduled play_now burst (4 kHz) is in the file too
    assert any(abs(f["hz"] - 4000) < 15 for f in result["found"])
