"""Store benchmarks: journal overhead per keystroke, flush lag, time to store one finished attempt.

Run: ``python -m benchmarks.bench_store [--pg URL] [--runs N]``. Results go in
docs/benchmarks.md ("Store"). Figures:

1. journal overhead per keystroke inside a pygame event loop (dummy video driver): each
   posted KEYDOWN is read with ``pygame.event.wait``, stamped with ``perf_counter`` and made a
   row, as the workstation does; the loop runs once without and once with
   ``AttemptRecorder.append`` (three rows per keystroke: key down, text, key up), and the
   difference is the journal's cost; plus ``append`` alone (median, p99 per call);
2. flush lag: events appended at 25 keys/s (75 rows/s) for 4 s while a watcher polls the
   journal's size every millisecond: the time from ``append`` to the bytes being in the
   file (written; fsync follows within the same flush), median and max;
3. time to store one finished 5-minute attempt (1,500 keystrokes, 4,500 rows) with
   ``finish`` (journal finish record + fsync, signature, one transaction), SQLite and,
   with ``--pg``, PostgreSQL;
4. ``attempts_frame`` over 2,000 stored attempts (200 candidates), every signature checked.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from typingtest.engine.events import EVENT_DTYPE, EventKind
from typingtest.store import Store

__all__ = ["main"]

PASSAGE = ("Goedemiddag, u spreekt met Anaïs van de klantendienst. Wat kan ik voor u doen? "
           "Ik wil graag een bestelling doorgeven voor twee dozen papier en een inktpatroon. ")


def _log(n_keys: int) -> np.ndarray:
    rows = []
    t = 0.0
    text = (PASSAGE * (n_keys // len(PASSAGE) + 1))[:n_keys]
    for ch in text:
        rows.append((t, EventKind.KEY_DOWN, ord(ch), 4, 0, "", "answer", 0.0, 0.0))
        rows.append((t + 0.002, EventKind.TEXT, 0, 0, 0, ch, "answer", 0.0, 0.0))
        rows.append((t + 0.08, EventKind.KEY_UP, ord(ch), 4, 0, "", "answer", 0.0, 0.0))
        t += 0.2
    return np.array(rows, dtype=EVENT_DTYPE)


def _store(url: str | None, folder: Path) -> Store:
    return Store(url or f"sqlite:///{(folder / 'typingtest.sqlite').as_posix()}", folder, folder / "signing.key",
                 workstation="bench")


def _recorder(store: Store, n: int = 0):  # type: ignore[no-untyped-def]
    store.ensure_candidate(f"BENCH-{n}", "bench")
    sid = store.start_session(f"BENCH-{n}", "bench", "h", "bench", "nl")
    return store.begin_attempt(sid, "copy-typing", "bench", False, {"presented": PASSAGE, "target": "answer"})


def event_loop_overhead(folder: Path, keys: int = 3000) -> dict[str, float]:
    """Per-keystroke time of a pygame read-stamp-record loop, without and with the journal (µs)."""
    import pygame

    pygame.display.init()
    pygame.display.set_mode((320, 200))
    pygame.event.clear()
    store = _store(None, folder)
    out: dict[str, float] = {}
    for label in ("without journal", "with journal"):
        rec = _recorder(store, 1 if label == "with journal" else 0) if label == "with journal" else None
        per_key = []
        t0 = time.perf_counter()
        for i in range(keys):
            ch = PASSAGE[i % len(PASSAGE)]
            pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=ord(ch), scancode=4, mod=0, unicode=ch))
            start = time.perf_counter()
            ev = pygame.event.wait(100)
            while ev.type != pygame.KEYDOWN:  # window events of the dummy display
                ev = pygame.event.wait(100)
            stamp = time.perf_counter() - t0
            rows = (
                {"t": stamp, "kind": EventKind.KEY_DOWN, "key": ev.key, "scancode": ev.scancode, "mod": ev.mod,
                 "target": "answer"},
                {"t": stamp, "kind": EventKind.TEXT, "text": ev.unicode, "target": "answer"},
                {"t": stamp + 0.08, "kind": EventKind.KEY_UP, "key": ev.key, "scancode": ev.scancode,
                 "target": "answer"},
            )
            if rec is not None:
                for row in rows:
                    rec.append(row)
            per_key.append(time.perf_counter() - start)
        if rec is not None:
            rec.finish(None, {}, [], None)
        out[f"{label} median us"] = statistics.median(per_key) * 1e6
        out[f"{label} p99 us"] = float(np.percentile(per_key, 99)) * 1e6
    pygame.display.quit()
    # append alone
    rec = _recorder(store, 2)
    log = _log(2000)
    times = []
    for row in log:
        s = time.perf_counter()
        rec.append(row)
        times.append(time.perf_counter() - s)
    rec.close()
    out["append (EVENT_DTYPE record) median us"] = statistics.median(times) * 1e6
    out["append (EVENT_DTYPE record) p99 us"] = float(np.percentile(times, 99)) * 1e6
    store.close()
    return out


def workstation_loop(folder: Path, chars: int = 600) -> dict[str, float]:
    """Per-keystroke wall time of the real workstation loop (headless, copy typing), without and
    with the store's journal behind its event recorder (µs)."""
    from typingtest.config import Settings
    from typingtest.content import load_item
    from typingtest.workstation.app import App
    from typingtest.workstation.clock import ManualClock
    from typingtest.workstation.session import Session, TaskSpec

    item = load_item("nl-copy-01")
    text = (item.text + " ") * (chars // len(item.text) + 1)
    out: dict[str, float] = {}
    for label in ("without journal", "with journal"):
        settings = Settings(results_dir=folder / label.replace(" ", "-"))
        store = _store(None, settings.results_dir) if label == "with journal" else None
        app = App(settings, size=(1280, 720), clock=ManualClock(0.0))
        session = Session(app, settings, store, battery_id="bench", specs=[TaskSpec("copy-typing", item, 3600.0)],
                          candidate_id="BENCH", instructions=False, closing=False, audio=None)
        session.start()
        app.advance(0.5)
        per_key = []
        for ch in text[:chars]:
            s = time.perf_counter()
            app.post_text(ch)
            app.advance(0.04)
            per_key.append(time.perf_counter() - s)
        rows = len(app.recorder) if app.recorder is not None else 0
        out[f"{label} median us"] = statistics.median(per_key) * 1e6
        out[f"{label} p99 us"] = float(np.percentile(per_key, 99)) * 1e6
        out[f"{label} rows per keystroke"] = rows / chars
        if store is not None:
            out["journaled rows"] = float(session._attempt.count) if session._attempt else 0.0
            store.close()
    return out


def flush_lag(folder: Path, seconds: float = 4.0, keys_per_s: float = 25.0) -> dict[str, float]:
    """Time from append to the bytes being in the journal file (ms), at 25 keys/s."""
    store = _store(None, folder)
    rec = _recorder(store, 3)
    path = rec.journal_path
    sizes: list[tuple[float, int]] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            sizes.append((time.perf_counter(), path.stat().st_size))
            time.sleep(0.001)

    watcher = threading.Thread(target=watch)
    watcher.start()
    base = path.stat().st_size
    appended: list[tuple[float, int]] = []  # (time, cumulative bytes after this append)
    from typingtest.formats.journal import MAGIC, RecordMac, encode_event

    # the recorder writes TTJOURN2: each record numbered and sealed with its MAC (its size does not
    # depend on the key or the number, so a throwaway key gives the bytes each append adds)
    assert path.read_bytes()[: len(MAGIC)] == MAGIC, "the recorder no longer writes TTJOURN2"
    sizing = RecordMac(b"size only")
    log = _log(int(seconds * keys_per_s))
    total = base
    gap = 1.0 / keys_per_s
    next_t = time.perf_counter()
    for i in range(0, len(log), 3):
        for row in log[i : i + 3]:
            total += len(encode_event(row, seq=0, mac=sizing))
            rec.append(row)
        appended.append((time.perf_counter(), total))
        next_t += gap
        time.sleep(max(0.0, next_t - time.perf_counter()))
    time.sleep(0.3)
    stop.set()
    watcher.join()
    lags = []
    for t_app, need in appended:
        seen = next((t for t, size in sizes if size >= need and t >= t_app), None)
        if seen is not None:
            lags.append(seen - t_app)
    rec.close()
    store.close()
    if not lags:
        raise RuntimeError("flush lag: the journal never reached the expected size (record format changed?)")
    return {"flush lag median ms": statistics.median(lags) * 1e3, "flush lag max ms": max(lags) * 1e3,
            "keystrokes measured": float(len(lags))}


def store_time(folder: Path, url: str | None, runs: int) -> dict[str, float]:
    """Seconds to ``finish`` one 1,500-keystroke attempt (median and max of ``runs``)."""
    from typingtest.store import compute_metrics

    store = _store(url, folder)
    log = _log(1500)
    metrics = compute_metrics(PASSAGE, log, "answer") or {}
    times = []
    for i in range(runs):
        rec = _recorder(store, 100 + i)
        rec.extend(log)
        s = time.perf_counter()
        rec.finish(log, metrics, [], None)
        times.append(time.perf_counter() - s)
    store.close()
    return {"store one attempt median ms": statistics.median(times) * 1e3, "store one attempt max ms":
            max(times) * 1e3}


def frame_time(folder: Path, attempts: int = 2000) -> dict[str, float]:
    """Seconds for ``attempts_frame`` (signatures checked per row) over ``attempts`` stored attempts."""
    import uuid

    from typingtest.store import compute_metrics

    store = _store(None, folder)
    log = _log(300)
    metrics = compute_metrics(PASSAGE, log, "answer") or {}
    fmt, blob = store.log_codec.encode(log)
    final = {"state": "complete", "ended_at": "2026-11-27T10:05:00+00:00", "metrics": metrics, "verdicts": [],
             "actions": None}
    sessions = {}
    s = time.perf_counter()
    for i in range(attempts):
        cid = f"C-{i // 10:04d}"
        if cid not in sessions:
            store.ensure_candidate(cid, "bench")
            sessions[cid] = store.start_session(cid, "bench", "h", "bench", "nl")
        header = {"attempt_id": uuid.uuid4().hex, "session_id": sessions[cid], "candidate_id": cid,
                  "task": "copy-typing", "item": "nl-copy-01", "practice": False,
                  "started_at": "2026-11-27T10:00:00+00:00", "meta": {}}
        store.store_attempt(header, log, blob, fmt, final, stored_by="bench")
    insert = time.perf_counter() - s
    s = time.perf_counter()
    frame = store.attempts_frame()
    read = time.perf_counter() - s
    assert len(frame) == attempts and frame.verified.all()
    store.close()
    return {"attempts": float(attempts), "insert per attempt ms": insert / attempts * 1e3,
            "attempts_frame s": read}


def main(argv: list[str] | None = None) -> int:
    """Run every store benchmark and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pg", metavar="URL", help="also time storing into this PostgreSQL database")
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        results = {}
        for name, func in (("workstation", lambda: workstation_loop(tmpd / "ws")),
                           ("event loop", lambda: event_loop_overhead(tmpd / "loop")),
                           ("flush lag", lambda: flush_lag(tmpd / "lag")),
                           ("store sqlite", lambda: store_time(tmpd / "sqlite", None, args.runs)),
                           ("frame sqlite", lambda: frame_time(tmpd / "frame"))):
            results[name] = func()
        if args.pg:
            results["store postgresql"] = store_time(tmpd / "pg", args.pg, args.runs)
    for section, figures in results.items():
        for key, value in figures.items():
            print(f"{section:14s} {key:45s} {value:10.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
