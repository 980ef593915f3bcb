"""Live-room benchmark (issue 13): 20 workstations beating and the room page open.

Run: ``.venv/bin/python -m benchmarks.bench_room [--workstations 20] [--seconds 120] [--runs 2] [--no-xvfb]``.
Numbers go in docs/benchmarks.md ("Live room").

- **Beaters**: ``--workstations`` threads in a child process of their own (this module with
  ``--beaters-child``), each with its own store (connection pool) on one PostgreSQL database, each
  doing what a workstation's room link does every ``heartbeat_interval_s`` (2 s, the default): one
  ``room.write_heartbeat`` (state running, a task, its time left, now and then an incident) and one
  ``room.pending_commands`` poll. Their write+poll time per beat is reported too.
- **The room page open**: the console is the real command (``typingtest console --db URL``, uvicorn,
  one worker, ``benchmarks.bench_console.console``); a proctor signed in through the form polls
  ``GET /room/state`` every 2 s (as ``static/room.js`` does) and opens ``GET /room`` every 2 s too,
  for ``--seconds``: median, p95 and max latency of each (request sent to the whole response read).
- **Keystroke timing**: ``benchmarks.bench_workstation.bench_xvfb`` (Xvfb, xdotool 500 keys at
  40 ms into ``typingtest run --task transcription``), ``--runs`` times without the room load and
  ``--runs`` times with it (beaters + console + polling client), alternating (off, on, off, on, ...)
  so that the shared machine's drift falls on both. The workstation measured is ``run`` with its own
  room link on (it beats into its own SQLite store: ``bench_xvfb`` gives it its own results folder).

PostgreSQL is a throwaway server started as the tests start theirs (``bench_console.postgresql``).
The machine is shared: the load average is printed with each part.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from benchmarks.bench_console import PASSWORD, Prepared, _load, console, postgresql, signed_in

__all__ = ["main", "room_load"]

ROOT = Path(__file__).resolve().parents[1]
PROCTOR = "bench-proctor"
POLL_S = 2.0  # the room page's polling period (static/room.js)


# --------------------------------------------------------------------------------------------
# the beaters (child process)


def _beater(url: str, results: Path, index: int, interval: float, stop: threading.Event,
            costs: list[float], failures: list[str]) -> None:
    """One workstation's link: a beat and a command poll every ``interval`` seconds until ``stop``."""
    from typingtest.config import Settings
    from typingtest.store import open_store, room

    ws = f"bench-ws-{index:02d}"
    rng = random.Random(index)
    store = open_store(Settings(results_dir=results, db_url=url, workstation=ws))
    try:
        stop.wait(rng.uniform(0, interval))  # workstations start at different moments
        left = 300.0
        while not stop.is_set():
            t0 = time.perf_counter()
            incidents = (room.incidents_json([(datetime.now(UTC), "focus-lost", "")]) if rng.random() < 0.05 else ())
            beat = room.Heartbeat(ws, "running", f"S-{index:03d}", f"BENCH-{index:03d}", "quick",
                                  "copy-typing nl-copy-03", round(left, 1), incidents)
            try:
                room.write_heartbeat(store, beat)
                room.pending_commands(store, ws)
            except Exception as exc:  # counted: a benchmark of a failing store is no benchmark
                failures.append(f"{type(exc).__name__}: {str(exc)[:200]}")
            cost = time.perf_counter() - t0
            costs.append(cost)
            left = max(0.0, left - interval)
            stop.wait(max(0.0, interval - cost))
    finally:
        store.close()


def _beaters_child(url: str, results: str, n: int, interval: float) -> None:
    """``n`` beaters until stdin closes; then one JSON line: beats, write+poll times, failures."""
    stop = threading.Event()
    costs: list[float] = []
    failures: list[str] = []
    threads = [threading.Thread(target=_beater, args=(url, Path(results), i + 1, interval, stop, costs, failures),
                                daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    print("beating", flush=True)
    sys.stdin.read()  # the parent closes it to stop us
    stop.set()
    for t in threads:
        t.join(10)
    ms = [c * 1000 for c in costs] or [float("nan")]
    print(json.dumps({"beats": len(costs), "median_ms": statistics.median(ms), "p95_ms": float(np.percentile(ms, 95)),
                      "max_ms": max(ms), "failures": len(failures), "first_failure": failures[:1]}), flush=True)


@contextlib.contextmanager
def beaters(prepared: Prepared, results: Path, n: int, interval: float) -> Iterator[dict[str, Any]]:
    """The beaters' process while the block runs; its figures in the yielded dict once it ends."""
    proc = subprocess.Popen([sys.executable, "-m", "benchmarks.bench_room", "--beaters-child", prepared.url,
                             str(results), str(n), str(interval)], cwd=str(ROOT), env=prepared.env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdin is not None
    first = proc.stdout.readline()
    if first.strip() != "beating":
        proc.kill()
        raise RuntimeError(f"beaters did not start: {first} {proc.stderr.read()[-500:] if proc.stderr else ''}")
    figures: dict[str, Any] = {}
    try:
        yield figures
    finally:
        out, err = proc.communicate(input="", timeout=60)
        lines = out.strip().splitlines()
        if proc.returncode != 0 or not lines:
            raise RuntimeError(f"beaters failed: {err[-500:]}")
        figures.update(json.loads(lines[-1]))


# --------------------------------------------------------------------------------------------
# the room page open


def _poll(client: httpx.Client, stop: threading.Event, lat: dict[str, list[float]], errors: list[str],
          expected: int) -> None:
    """``GET /room/state`` then ``GET /room`` every ``POLL_S`` until ``stop``; latencies in seconds."""
    while not stop.is_set():
        start = time.perf_counter()
        for path in ("/room/state", "/room"):
            t0 = time.perf_counter()
            r = client.get(path)
            dt = time.perf_counter() - t0
            if r.status_code != 200:
                errors.append(f"{path}: HTTP {r.status_code}")
                continue
            lat[path].append(dt)
            if path == "/room/state" and len(r.json()["workstations"]) < expected:
                errors.append(f"/room/state: {len(r.json()['workstations'])} of {expected} workstations")
        stop.wait(max(0.0, POLL_S - (time.perf_counter() - start)))


@contextlib.contextmanager
def room_load(prepared: Prepared, results: Path, n: int, interval: float) -> Iterator[dict[str, Any]]:
    """Beaters + the console + a proctor polling the room while the block runs; the figures afterwards
    (``beaters``; latencies of ``/room/state`` and ``/room``; errors)."""
    figures: dict[str, Any] = {}
    with beaters(prepared, results, n, interval) as beat_figures, console(prepared) as served:
        client = signed_in(served.base, PROCTOR)
        time.sleep(interval * 1.5)  # every beater has beaten once
        stop = threading.Event()
        lat: dict[str, list[float]] = {"/room/state": [], "/room": []}
        errors: list[str] = []
        poller = threading.Thread(target=_poll, args=(client, stop, lat, errors, n), daemon=True)
        poller.start()
        try:
            yield figures
        finally:
            stop.set()
            poller.join(30)
            client.close()
            figures["latency"] = lat
            figures["errors"] = errors
    figures["beaters"] = beat_figures


def _summary(values: list[float]) -> str:
    if not values:
        return "no samples"
    ms = np.asarray(values) * 1000
    return (f"{len(ms)} requests: median {np.median(ms):.1f} ms, p95 {np.percentile(ms, 95):.1f} ms, "
            f"max {ms.max():.1f} ms")


def _print_room(figures: dict[str, Any]) -> None:
    for path, values in figures["latency"].items():
        print(f"  GET {path}: {_summary(values)}")
    b = figures["beaters"]
    print(f"  beaters: {b['beats']} beats, write+poll median {b['median_ms']:.1f} ms, p95 {b['p95_ms']:.1f} ms, "
          f"max {b['max_ms']:.1f} ms, failures {b['failures']} {b['first_failure'] or ''}")
    print(f"  errors: {len(figures['errors'])} {figures['errors'][:3] or ''}")


# --------------------------------------------------------------------------------------------
# main


def _prepare(url: str, results: Path) -> Prepared:
    """The centre's key made, a proctor account; the console's environment."""
    from typingtest.config import Settings
    from typingtest.store import open_store
    from typingtest.store.accounts import add_account

    env = {**os.environ, "TYPINGTEST_RESULTS": str(results), "TYPINGTEST_DB": url}
    env.pop("TYPINGTEST_SETTINGS", None)
    with open_store(Settings(results_dir=results, db_url=url)) as store:
        store.ensure_candidate("BENCH-000", "bench")  # the first signed row: the centre's key
        add_account(store, PROCTOR, "proctor", PASSWORD, actor="bench")
    return Prepared(url, env, [PROCTOR])


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workstations", type=int, default=20)
    ap.add_argument("--interval", type=float, default=2.0, help="heartbeat interval (seconds; the default setting)")
    ap.add_argument("--seconds", type=float, default=120.0, help="duration of the latency part (seconds)")
    ap.add_argument("--runs", type=int, default=2, help="Xvfb runs without and with the room load (each)")
    ap.add_argument("--no-xvfb", action="store_true", help="skip the keystroke-timing part")
    ap.add_argument("--beaters-child", nargs=4, metavar=("URL", "RESULTS", "N", "INTERVAL"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.beaters_child:
        url, results, n, interval = args.beaters_child
        _beaters_child(url, results, int(n), float(interval))
        return 0
    print(f"room benchmark: {args.workstations} workstations beating every {args.interval:g} s, the room polled "
          f"every {POLL_S:g} s; load average {_load()}")
    with tempfile.TemporaryDirectory(prefix="tt-bench-room-") as tmp, postgresql() as server:
        results = Path(tmp) / "results"
        results.mkdir()
        prepared = _prepare(server.new_database(), results)
        print(f"room page latency for {args.seconds:.0f} s (load average {_load()}):")
        with room_load(prepared, results, args.workstations, args.interval) as figures:
            time.sleep(args.seconds)
        _print_room(figures)
        print(f"  load average after: {_load()}")
        bad = bool(figures["errors"]) or bool(figures["beaters"]["failures"])
        if args.no_xvfb:
            return 1 if bad else 0
        from benchmarks.bench_workstation import bench_xvfb

        sds: dict[str, list[float]] = {"off": [], "on": []}
        for i in range(args.runs):
            for mode in ("off", "on"):
                load_before = _load()
                if mode == "off":
                    res = bench_xvfb()
                else:
                    with room_load(prepared, results, args.workstations, args.interval) as during:
                        res = bench_xvfb()
                if res is None:
                    print("Xvfb part skipped (Xvfb or xdotool missing)")
                    return 1 if bad else 0
                sds[mode].append(float(res["interval_sd_ms"]))
                print(f"Xvfb run {i + 1}, room load {mode} (load average {load_before} before): lost {res['lost']}, "
                      f"interval SD {res['interval_sd_ms']:.3f} ms (robust {res['interval_robust_sd_ms']:.3f}), "
                      f"per-key latency SD against the X server {res.get('app_latency_sd_ms', float('nan')):.3f} ms, "
                      f"bunched {res['bunched_intervals_under_5ms']}")
                if mode == "on":
                    _print_room(during)
                    bad = bad or bool(during["errors"]) or bool(during["beaters"]["failures"])
        print("keystroke interval SD (ms): without the room " + ", ".join(f"{v:.3f}" for v in sds["off"])
              + "; with it " + ", ".join(f"{v:.3f}" for v in sds["on"]))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
