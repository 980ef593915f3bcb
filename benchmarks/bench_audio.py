"""Audio benchmark: rendering speed, the shipped lines (level, clipping, speaking rate), onset accuracy.

Run: ``.venv/bin/python -m benchmarks.bench_audio [--onset-runs N] [--lines N] [--json FILE]``

1. Every caller line of every shipped item (randomised items drawn with seed 1) is rendered
   without the cache: seconds of audio per second of CPU (``time.process_time``, this process),
   split into eSpeak NG synthesis and the telephone chain; the active speech level range and
   the highest peak of all lines (clipping = a peak at 0 dBFS); the speaking rate at each
   voice's default setting in words per minute of audio (pauses included) and characters per second.
2. The time to render the lines of one call scenario at session start (nl-call-01, no cache).
3. Onset accuracy under SDL's disk audio driver (``typingtest.audio.diskcheck``, fresh
   processes): |onset in the written file - cue| per scheduled line, against the 15 ms budget;
   the player's reported onset against the file; the latency of ``play_now``; once with the
   main thread asleep, once with it computing (competing for the GIL).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from typingtest.audio import active_level_dbfs, peak_dbfs
from typingtest.audio import render as render_mod
from typingtest.audio.battery import collect_lines, shipped_lines
from typingtest.audio.voices import VOICES
from typingtest.config import PASSAGES_DIR

__all__ = ["main"]

BUDGET_S = 0.015


def bench_rendering() -> dict:
    """Render every shipped line; time synthesis and chain separately (CPU seconds)."""
    lines = shipped_lines(PASSAGES_DIR, seed=1)
    synth_cpu = 0.0
    original = render_mod.speech.synthesize_ssml

    def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal synth_cpu
        t = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            synth_cpu += time.process_time() - t

    render_mod.speech.synthesize_ssml = timed
    try:
        render_mod.render_line(lines[0].spec)  # warm-up (imports, filter design)
        synth_cpu = 0.0
        cpu0, wall0 = time.process_time(), time.perf_counter()
        rendered = [(bl, render_mod.render_line(bl.spec)) for bl in lines]
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    finally:
        render_mod.speech.synthesize_ssml = original
    audio_s = sum(r.seconds for _, r in rendered)
    levels = [float(active_level_dbfs(r.samples, r.rate)) for _, r in rendered]
    peaks = [float(peak_dbfs(r.samples)) for _, r in rendered]
    per_voice: dict[str, list[tuple[int, int, float]]] = {}
    for bl, r in rendered:
        words = len(bl.spec.text.split())
        per_voice.setdefault(bl.spec.voice, []).append((words, len(bl.spec.text), r.seconds))
    rates = {
        v: {
            "lines": len(rows),
            "setting_wpm": VOICES[v].rate_wpm,
            "words_per_minute": 60 * sum(w for w, _, _ in rows) / sum(s for _, _, s in rows),
            "chars_per_second": sum(c for _, c, _ in rows) / sum(s for _, _, s in rows),
        }
        for v, rows in sorted(per_voice.items())
    }
    return {
        "lines": len(rendered),
        "audio_s": audio_s,
        "cpu_s": cpu,
        "wall_s": wall,
        "synth_cpu_s": synth_cpu,
        "chain_cpu_s": cpu - synth_cpu,
        "audio_s_per_cpu_s": audio_s / cpu,
        "level_min_dbfs": min(levels),
        "level_max_dbfs": max(levels),
        "peak_max_dbfs": max(peaks),
        "clipped_lines": int(sum(p >= 0.0 for p in peaks)),
        "rates": rates,
    }


def bench_session_start(item: str = "nl-call-01") -> dict:
    """Render one scenario's lines from scratch, as a workstation does at session start."""
    lines = collect_lines(item, PASSAGES_DIR)
    t0 = time.perf_counter()
    audio_s = sum(render_mod.render_line(bl.spec).seconds for bl in lines)
    return {"item": item, "lines": len(lines), "audio_s": audio_s, "wall_s": time.perf_counter() - t0}


def bench_onsets(runs: int, n_lines: int, busy: bool = False) -> dict:
    """Onset errors over ``runs`` fresh disk-driver processes (``busy``: the main thread computes meanwhile)."""
    errors, report_errors, now_latency, max_gap = [], [], [], 0.0
    env = {k: v for k, v in os.environ.items() if k not in ("SDL_AUDIODRIVER", "SDL_DISKAUDIOFILE")}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            out = Path(tmp) / f"run{run}.json"
            subprocess.run(
                [sys.executable, "-m", "typingtest.audio.diskcheck", str(out), "--lines", str(n_lines),
                 "--seed", str(run + 1), *(["--busy"] if busy else [])],
                env=env, check=True, capture_output=True, timeout=120,
            )
            result = json.loads(out.read_text())
            max_gap = max(max_gap, result["callback_gaps_ms"]["max"])
            for cue, found, reported in zip(
                result["cues"], result["file_onsets"], result["reported_onsets"], strict=True
            ):
                errors.append(found - cue)
                report_errors.append(reported - found)
            now = result["play_now"]
            found_now = [f["file_t"] for f in result["found"] if abs(f["hz"] - 4000) < 15]
            if found_now:
                now_latency.append(found_now[0] - now["called"])
    abs_err = np.abs(errors)
    return {
        "runs": runs,
        "lines": len(errors),
        "median_abs_ms": 1000 * float(np.median(abs_err)),
        "p95_abs_ms": 1000 * float(np.percentile(abs_err, 95)),
        "max_abs_ms": 1000 * float(abs_err.max()),
        "mean_ms": 1000 * float(np.mean(errors)),
        "within_budget": int(np.sum(abs_err <= BUDGET_S)),
        "report_vs_file_max_ms": 1000 * float(np.max(np.abs(report_errors))),
        "play_now_latency_ms": [1000 * x for x in now_latency],
        "max_callback_gap_ms": max_gap,
        "busy": busy,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the three parts and print a summary (the figures go into docs/benchmarks.md by hand)."""
    parser = argparse.ArgumentParser(description="typingtest audio benchmark")
    parser.add_argument("--onset-runs", type=int, default=3)
    parser.add_argument("--lines", type=int, default=12)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    rendering = bench_rendering()
    print(
        f"rendering: {rendering['lines']} shipped lines, {rendering['audio_s']:.1f} s of audio in "
        f"{rendering['cpu_s']:.2f} s CPU ({rendering['wall_s']:.2f} s wall): "
        f"{rendering['audio_s_per_cpu_s']:.0f} s of audio per s of CPU "
        f"(synthesis {rendering['synth_cpu_s']:.2f} s, telephone chain {rendering['chain_cpu_s']:.2f} s CPU)"
    )
    print(
        f"levels: active speech level {rendering['level_min_dbfs']:.2f} to {rendering['level_max_dbfs']:.2f} dBFS; "
        f"highest peak {rendering['peak_max_dbfs']:.2f} dBFS; clipped lines: {rendering['clipped_lines']}"
    )
    for voice, r in rendering["rates"].items():
        print(
            f"  {voice}: {r['lines']:3d} lines, setting {r['setting_wpm']} wpm -> "
            f"{r['words_per_minute']:.0f} words/min, {r['chars_per_second']:.1f} chars/s of audio"
        )
    session = bench_session_start()
    print(
        f"session start: {session['item']}: {session['lines']} lines ({session['audio_s']:.1f} s of audio) "
        f"rendered in {session['wall_s']:.2f} s"
    )
    all_onsets = {}
    for busy in (False, True):
        onsets = bench_onsets(args.onset_runs, args.lines, busy)
        all_onsets["busy" if busy else "idle"] = onsets
        print(
            f"onsets (SDL disk driver, {onsets['runs']} runs x {args.lines} lines, main thread "
            f"{'busy computing' if busy else 'sleeping'}): |file - cue| median {onsets['median_abs_ms']:.2f} ms, "
            f"p95 {onsets['p95_abs_ms']:.2f} ms, max {onsets['max_abs_ms']:.2f} ms (mean {onsets['mean_ms']:+.2f} ms); "
            f"within the 15 ms budget: {onsets['within_budget']}/{onsets['lines']}; reported vs file: max "
            f"{onsets['report_vs_file_max_ms']:.2f} ms; "
            f"longest gap between callbacks {onsets['max_callback_gap_ms']:.1f} ms; "
            f"play_now latency {', '.join(f'{x:.1f}' for x in onsets['play_now_latency_ms'])} ms"
        )
    if args.json:
        args.json.write_text(json.dumps({"rendering": rendering, "session": session, "onsets": all_onsets}, indent=1))
    return 0 if rendering["clipped_lines"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
