"""Benchmark: ``typingtest corpus score`` on real 136M Keystrokes logs.

Run: ``.venv/bin/python -m benchmarks.bench_corpus [--copies 60] [--repeats 3] [--loop-copies 5]``

1. Replicates the shared sample (117 files, 85,090 key presses) ``--copies`` times into a
   temporary folder (never the repository), each copy under new participant ids, and times
   ``score_corpus`` + writing the CSV in this process (interpreter start-up and imports
   excluded): key presses per second, median of ``--repeats`` runs. Design budget: >= 2.5
   million per second on >= 5 million rows (60 copies = 5.1 million).
2. On ``--loop-copies`` copies, the same work done by a plain per-keystroke Python loop
   (``csv`` module, a dict per key name, a list as the text field, RapidFuzz per sentence)
   against the vectorised path on the same files, in the same run: the speed ratio.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from typingtest.engine import corpus as K
from typingtest.engine.corpus_commands import score_corpus, write_table
from typingtest.formats import aalto

__all__ = ["loop_score", "main", "replicate"]

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "aalto136m-sample"


def replicate(sample: Path, folder: Path, copies: int) -> int:
    """Write ``copies`` copies of the sample's files into ``folder`` (new participant ids); returns rows."""
    rows = 0
    for path in sorted(sample.glob(aalto.FILE_PATTERN)):
        raw = path.read_bytes()
        header, _, body = raw.partition(b"\n")
        pid = path.name.split("_")[0].encode()
        for c in range(copies):
            new = str(1_000_000 * (c + 1) + int(pid)).encode()
            lines = body.replace(b"\n" + pid + b"\t", b"\n" + new + b"\t")
            if lines.startswith(pid + b"\t"):
                lines = new + lines[len(pid) :]
            (folder / f"{new.decode()}_keystrokes.txt").write_bytes(header + b"\n" + lines)
        rows += body.count(b"\n") * copies
    return rows


def loop_score(files: list[Path], out: Path) -> int:
    """The same scoring as ``corpus score --per sentence``, one key press at a time in Python."""
    names = aalto.KEY_NAMES
    plain = {code: chr(k) if k >= 0 else k for code, k in enumerate(aalto._PLAIN.tolist())}
    shifted = {code: chr(k) if k >= 0 else k for code, k in enumerate(aalto._SHIFTED.tolist())}
    modifier_bits = {K.KEY_SHIFT: K.MOD_SHIFT, K.KEY_CTRL: K.MOD_CTRL, K.KEY_ALT: K.MOD_ALT, K.KEY_META: K.MOD_META}
    rows_done = 0
    with out.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["participant_id", "sentence_id", "presented_chars", "transcribed_chars", "keystrokes",
                         "seconds", "wpm", "msd", "msd_error_rate", "uncorrected_error_rate", "kspc",
                         "iki_mean_ms", "if", "f", "replays_exactly"])

        def finish(s: dict) -> None:
            P, T = s["P"], s["T"]
            n = s["n"]
            seconds = (s["last"] - s["first"]) / 1000
            msd = Levenshtein.distance(P, T)
            longest = max(len(P), len(T))
            denominator = longest + s["removed"]
            writer.writerow([
                s["pid"], s["sid"], len(P), len(T), n, seconds,
                (len(T) - 1) / seconds * 12 if len(T) > 1 and seconds > 0 else "",
                msd, msd / longest if longest else "", msd / denominator if denominator else "",
                n / len(T) if T else "", (s["last"] - s["first"]) / (n - 1) if n > 1 else "",
                s["removed"], s["f"], "".join(s["field"]) == T,
            ])

        for path in files:
            with path.open(newline="", encoding="utf-8") as fh_in:
                reader = csv.reader(fh_in, delimiter="\t", quoting=csv.QUOTE_NONE)
                next(reader)
                s: dict | None = None
                for row in reader:
                    if len(row) != 9:
                        continue
                    pid, sid, P, T, _, press, release, letter, keycode = row
                    press_ms, release_ms = float(press), float(release)
                    if s is None or s["pid"] != pid or s["sid"] != sid:
                        if s is not None:
                            finish(s)
                        s = {"pid": pid, "sid": sid, "P": P, "T": T, "n": 0, "first": press_ms, "field": [],
                             "removed": 0, "f": 0, "held": [], "caps": False}
                    s["n"] += 1
                    s["last"] = press_ms
                    rows_done += 1
                    mods = 0
                    for key_held, until in s["held"]:
                        if until >= press_ms:
                            mods |= modifier_bits[key_held]
                    if len(letter) == 1 and letter >= " ":
                        key: str | int = letter
                    elif letter == "":
                        code = int(float(keycode)) if keycode else 0
                        table = shifted if (mods & K.MOD_SHIFT) else plain
                        key = table.get(code, K.KEY_UNKNOWN)
                        if isinstance(key, str) and key.isalpha() and s["caps"]:
                            key = key.swapcase()
                    elif letter == "\x08":
                        key = K.KEY_BACKSPACE
                    else:
                        key = names.get(letter, K.KEY_UNKNOWN)
                    if key in modifier_bits:
                        s["held"].append((key, release_ms))
                    elif key == K.KEY_CAPS_LOCK:
                        s["caps"] = not s["caps"]
                    elif isinstance(key, str):
                        s["field"].append(key)
                    elif key == K.KEY_BACKSPACE:
                        s["f"] += 1
                        if s["field"]:
                            s["field"].pop()
                            s["removed"] += 1
                    elif key in K.EDIT_KEYS:
                        s["f"] += 1
                if s is not None:
                    finish(s)
    return rows_done


def _vectorised(folder: Path, out: Path) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of all threads and worker processes, key presses) of one run."""
    started, cpu = time.perf_counter(), _cpu()
    frame, report = score_corpus([folder], per="sentence")
    write_table(frame, out)
    return time.perf_counter() - started, _cpu() - cpu, report.rows


def _cpu() -> float:
    """CPU seconds of this process and of its ended child processes (the scoring workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _load() -> str:
    """The 1-minute load average (the machine is shared), where the OS tells it."""
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=60, help="copies of the sample for the speed run (60: 5.1 M)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--loop-copies", type=int, default=5, help="copies for the loop-vs-vectorised ratio")
    parser.add_argument("--sample", type=Path, default=SAMPLE)
    args = parser.parse_args(argv)
    if not args.sample.is_dir():
        print(f"sample not found at {args.sample}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench_corpus_") as tmp:
        tmp_path = Path(tmp)
        small = tmp_path / "small"
        small.mkdir()
        small_rows = replicate(args.sample, small, args.loop_copies)
        files = aalto.find_files([small])
        t, cpu = time.perf_counter(), time.process_time()
        loop_rows = loop_score(files, tmp_path / "loop.csv")
        loop_s, loop_cpu = time.perf_counter() - t, time.process_time() - cpu
        vec_s, vec_cpu, vec_rows = min(_vectorised(small, tmp_path / "vec_small.csv") for _ in range(args.repeats))
        assert loop_rows == vec_rows == small_rows, (loop_rows, vec_rows, small_rows)
        print(f"ratio run: {small_rows:,} key presses ({args.loop_copies} copies of the sample), load {_load()}")
        print(f"  plain Python loop : {loop_s:6.2f} s  {loop_rows / loop_s:12,.0f} presses/s, CPU {loop_cpu:.2f} s")
        print(f"  vectorised        : {vec_s:6.2f} s  {vec_rows / vec_s:12,.0f} presses/s, CPU {vec_cpu:.2f} s "
              f"(best of {args.repeats})")
        print(f"  ratio             : {loop_s / vec_s:6.1f} x wall, {loop_cpu / vec_cpu:.1f} x CPU")

        big = tmp_path / "big"
        big.mkdir()
        big_rows = replicate(args.sample, big, args.copies)
        times, cpus = [], []
        loads = [_load()]
        for _ in range(args.repeats):
            seconds, cpu, rows = _vectorised(big, tmp_path / "vec_big.csv")
            assert rows == big_rows
            times.append(seconds)
            cpus.append(cpu)
            loads.append(_load())
        median = statistics.median(times)
        print(f"speed run: {big_rows:,} key presses ({args.copies} copies of the sample, {len(times)} runs)")
        print(f"  load average      : {', '.join(loads)} (2 cores; above 2 the runs share them)")
        print(f"  wall times (s)    : {', '.join(f'{x:.2f}' for x in times)}")
        print(f"  CPU times (s)     : {', '.join(f'{x:.2f}' for x in cpus)} (all threads and worker processes)")
        print(f"  median            : {median:.2f} s  {big_rows / median:12,.0f} presses/s")
        print(f"  best              : {min(times):.2f} s  {big_rows / min(times):12,.0f} presses/s")
        cpu = statistics.median(cpus)
        print(f"  per CPU-second    : {big_rows / cpu:12,.0f} presses (median CPU {cpu:.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
