"""Onset accuracy under SDL's ``disk`` audio driver (used by the tests and the benchmark).

Run as ``python -m typingtest.audio.diskcheck RESULT.json [--lines N] [--seed S] [--busy]`` in a fresh
process (SDL reads ``SDL_AUDIODRIVER`` when audio starts, so this module sets it before pygame
loads). It opens the real scheduling player on the disk driver, schedules ``N`` tone bursts
(each its own frequency, so their order can be checked) at known perf_counter cues, and
finds each onset in the raw file SDL wrote, by signal, not from the player's bookkeeping.

A sample's time in the file: SDL's disk driver writes each buffer as soon as the callback
has filled it, so output sample ``k`` is "played" at the perf_counter time of the callback
that produced its buffer plus its place in the buffer. Written to the JSON: per line its
cue, the onset the player reported, and the onset found in the file (by its frequency, so
that lines made to overlap by a starved audio thread are still told apart); and every onset
found broadband with the frequency that follows it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

__all__ = ["burst", "find_onsets", "line_onset", "main", "run"]

BURST_S = 0.150


def burst(freq_hz: float, rate: int, seconds: float = BURST_S) -> np.ndarray:
    """A test line: a sine burst at ``freq_hz``, full level from its first sample, 5 ms fade out."""
    t = np.arange(int(seconds * rate)) / rate
    x = 0.5 * np.sin(2 * np.pi * freq_hz * t + np.pi / 2)  # cosine phase: the first sample is 0.5
    fade = int(0.005 * rate)
    x[-fade:] *= np.linspace(1, 0, fade)
    return x.astype(np.float32)


def find_onsets(x: np.ndarray, threshold: float = 0.05, min_gap: int = 2400) -> list[int]:
    """Sample indices where ``|x|`` first exceeds ``threshold`` after at least ``min_gap`` quiet samples."""
    loud = np.flatnonzero(np.abs(x) > threshold)
    if len(loud) == 0:
        return []
    starts = [int(loud[0])]
    gaps = np.flatnonzero(np.diff(loud) > min_gap)
    starts += [int(loud[g + 1]) for g in gaps]
    return starts


def line_onset(x: np.ndarray, freq_hz: float, rate: int, level: float = 0.5) -> int | None:
    """First sample of a sine burst at ``freq_hz`` (amplitude ``level``) in ``x``, even where lines overlap.

    Complex demodulation at ``freq_hz`` and a causal 20 ms moving average: its nulls fall every
    50 Hz, so other bursts (150 Hz apart) leave no trace; the average of a burst starting at
    sample k crosses half its level at k + 10 ms, linearly, so the onset is found to a sample.
    """
    window = int(0.020 * rate)
    t = np.arange(len(x)) / rate
    demod = x.astype(np.float64) * np.exp(-2j * np.pi * freq_hz * t)
    csum = np.concatenate([[0], np.cumsum(demod)])
    envelope = np.abs(csum[window:] - csum[:-window]) / window * 2  # index i: samples i .. i + window - 1
    above = np.flatnonzero(envelope > level / 2)
    if len(above) == 0:
        return None
    return int(above[0] + window - window // 2)


def _dominant_hz(x: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.argmax(spectrum) * rate / len(x))


def _wait_until(t_end: float, busy: bool) -> None:
    """Sleep until ``t_end``, or keep the main thread busy with pure-Python work (holding the GIL)."""
    if not busy:
        time.sleep(max(0.0, t_end - time.perf_counter()))
        return
    while time.perf_counter() < t_end:
        sum(i * i for i in range(20_000))  # about 1-2 ms of interpreter work per round


def run(out_file: Path, n_lines: int = 12, seed: int = 1, busy: bool = False) -> dict:
    """Schedule ``n_lines`` bursts through the disk driver; returns the measurements (see module doc).

    ``busy``: the main thread computes while the lines play (as a workstation drawing or
    rendering would), so the audio callback competes for the GIL.
    """
    os.environ["SDL_AUDIODRIVER"] = "disk"
    os.environ["SDL_DISKAUDIOFILE"] = str(out_file)
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    from typingtest.audio.player import Player

    player = Player.open()
    if player.backend != "sdl":
        return {"error": player.message}
    player.clock_log = []
    rng = np.random.default_rng(seed)
    time.sleep(0.3)  # the clock estimate settles
    t_start = time.perf_counter() + 0.3
    cues = t_start + np.arange(n_lines) * 0.35 + rng.uniform(0, 0.1, n_lines)
    freqs = [500.0 + 150.0 * i for i in range(n_lines)]
    for i, (cue, f) in enumerate(zip(cues, freqs, strict=True)):
        player.schedule(f"line-{i:02d}", burst(f, player.rate), at=float(cue))
    # one line played "now" from the main thread, to see the latency of an unscheduled start
    _wait_until(cues[-1] + 0.4, busy)
    t_now_call = time.perf_counter()
    player.play_now("now", burst(4000.0, player.rate))
    _wait_until(time.perf_counter() + 0.4, busy)
    events = player.poll(include_future=True)
    clock_log = list(player.clock_log)
    player.close()

    raw = np.fromfile(out_file, dtype=np.float32)
    t_calls = np.array([c[0] for c in clock_log])
    positions = np.array([c[1] for c in clock_log])

    def file_time(k: int) -> float:
        b = int(np.searchsorted(positions, k, side="right") - 1)
        return float(t_calls[b] + (k - positions[b]) / player.rate)

    found = find_onsets(raw)
    by_line = [line_onset(raw, f, player.rate) for f in freqs]
    onsets = {e.line_id: e.t for e in events if e.kind == "onset"}
    offsets = {e.line_id: e.t for e in events if e.kind == "offset"}
    lines = []
    for i, k in enumerate(found):
        seg = raw[k : k + int(0.1 * player.rate)]
        lines.append({"file_sample": k, "file_t": file_time(k), "hz": round(_dominant_hz(seg, player.rate), 1), "n": i})
    return {
        "rate": player.rate,
        "buffer_samples": player.buffer_samples,
        "cues": [float(c) for c in cues],
        "freqs": freqs,
        "reported_onsets": [onsets.get(f"line-{i:02d}") for i in range(n_lines)],
        "reported_offsets": [offsets.get(f"line-{i:02d}") for i in range(n_lines)],
        "found": lines,
        "file_onsets": [None if k is None else file_time(k) for k in by_line],
        "play_now": {"called": t_now_call, "reported_onset": onsets.get("now")},
        "callbacks": len(clock_log),
        "callback_gaps_ms": {
            "median": float(np.median(np.diff(t_calls)) * 1000),
            "max": float(np.max(np.diff(t_calls)) * 1000),
        },
        "busy": busy,
        "errors": player.errors,
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: write the measurements as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("result", type=Path)
    parser.add_argument("--lines", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--busy", action="store_true", help="keep the main thread computing meanwhile")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        result = run(Path(tmp) / "sdl-disk.raw", args.lines, args.seed, args.busy)
    args.result.write_text(json.dumps(result, indent=1))
    return 0 if "error" not in result else 1


if __name__ == "__main__":
    sys.exit(main())
