"""Crash tests: a workstation process killed with SIGKILL at 50 random moments mid-attempt, and
10 processes killed while beginning, journaling and finishing attempts in a loop.

Each child (forked, so it starts in milliseconds; a Linux-only test helper) opens the store,
begins an attempt and appends a simulated attempt's events one every 6 ms, noting on
the shared monotonic clock when each append returned. The parent kills it at a random
moment, runs ``recover`` and checks: the restored events are exactly the first n events
appended (nothing invented, nothing reordered), every event appended more than
``MARGIN_S`` before the kill is there (the flush window is 100 ms; the margin is generous
for a shared, noisy 2-core machine), and the stored metrics equal the engine's on the
restored events (an uninterrupted analysis of the same log).
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import signal
import time

import numpy as np
import pytest
from sqlalchemy import select
from store_testkit import typing_log

from typingtest.store import Store, compute_metrics
from typingtest.store import schema as S

KILLS = 50
PARALLEL = 10
MARGIN_S = 0.5
# 117 events. Short on purpose: the engine's character-level analysis of a partial
# transcription against a longer passage costs 0.1-1 s (see docs/store.md), twice per kill.
TEXT = "Goedemiddag, u spreekt met Anaïs."
APPEND_GAP_S = 0.006

pytestmark = pytest.mark.skipif(os.name != "posix" or "fork" not in mp.get_all_start_methods(),
                                reason="SKIPPED LOUDLY: the crash test forks and uses SIGKILL (POSIX only)")


def _child(url, results_dir, session_id, seed, times, count, started):  # pragma: no cover - runs in the child
    store = Store(url, results_dir, results_dir / "signing.key", workstation=f"crash-{seed}")
    rec = store.begin_attempt(session_id, "copy-typing", "nl-copy-01", False,
                              {"presented": TEXT, "target": "copy", "seed": seed})
    started.set()
    log = typing_log(TEXT, seed=seed)
    for i, row in enumerate(log):
        rec.append(row)
        times[i] = time.monotonic()
        count.value = i + 1
        time.sleep(APPEND_GAP_S)
    time.sleep(60)  # never finishes: the parent kills it


def test_sigkill_at_50_random_moments(results_dir):
    url = f"sqlite:///{(results_dir / 'typingtest.sqlite').as_posix()}"
    store = Store(url, results_dir, results_dir / "signing.key", workstation="parent")
    store.ensure_candidate("CRASH-1", "crash")
    session_id = store.start_session("CRASH-1", "quick", "h", "parent", "nl")
    ctx = mp.get_context("fork")
    rng = np.random.default_rng(20261127)
    n_rows = len(typing_log(TEXT, seed=0))
    checked = 0
    lost_margins = []
    for round_ in range(KILLS // PARALLEL):
        children = []
        for j in range(PARALLEL):
            seed = round_ * PARALLEL + j
            times = ctx.Array("d", n_rows, lock=False)
            count = ctx.Value("i", 0, lock=False)
            started = ctx.Event()
            proc = ctx.Process(target=_child, args=(url, results_dir, session_id, seed, times, count, started))
            proc.start()
            children.append((seed, proc, times, count, started))
        for child in children:
            assert child[4].wait(30), "child did not start"
        delays = rng.uniform(0.02, 0.8, PARALLEL)
        kill_times = {}
        t0 = time.monotonic()
        for (seed, proc, _, _, _), delay in sorted(zip(children, delays, strict=True), key=lambda c: c[1]):
            time.sleep(max(0.0, t0 + delay - time.monotonic()))
            kill_times[seed] = time.monotonic()
            os.kill(proc.pid, signal.SIGKILL)
        for _, proc, _, _, _ in children:
            proc.join(10)
            assert proc.exitcode == -signal.SIGKILL
        results = {r.attempt_id: r for r in store.recover()}
        assert all(r.status == "recovered" for r in results.values()), [r.message for r in results.values()]
        frame = store.attempts_frame()
        frame = frame[frame.attempt_id.isin(results)]
        assert len(frame) == PARALLEL
        seeds = _seeds(store)
        by_seed = {c[0]: c for c in children}
        for _, row in frame.iterrows():
            events = store.events(row.attempt_id)
            seed = seeds[row.attempt_id]
            _, _, times, count, _ = by_seed[seed]
            expected = typing_log(TEXT, seed=seed)
            n = len(events)
            appended = count.value
            assert n <= appended
            np.testing.assert_array_equal(events, expected[:n])
            must_have = sum(1 for i in range(appended) if times[i] < kill_times[seed] - MARGIN_S)
            assert n >= must_have, f"seed {seed}: {n} restored, {must_have} appended > {MARGIN_S}s before the kill"
            if n < appended:
                lost_margins.append(kill_times[seed] - times[n])
            assert row.state == "interrupted"
            assert row.metrics == compute_metrics(TEXT, events, "copy")
            checked += 1
    assert checked == KILLS
    # the flush window in practice: how long before the kill the first lost event was appended
    assert max(lost_margins, default=0.0) < MARGIN_S


def _seeds(store):
    """attempt id -> the seed the child wrote in the attempt's meta."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(S.attempts.c.attempt_id, S.attempts.c.meta)).all()
    return {aid: json.loads(meta)["seed"] for aid, meta in rows}


def _finishing_child(url, results_dir, session_id, seed, begun, finished, started):  # pragma: no cover - child
    store = Store(url, results_dir, results_dir / "signing.key", workstation=f"fin-{seed}")
    started.set()
    log = typing_log("Dag!", seed=seed)
    k = 0
    while True:
        rec = store.begin_attempt(session_id, "copy-typing", "x", False, {"seed": seed, "k": k})
        begun.value = k + 1
        rec.extend(log)
        rec.finish(log, {"k": k}, [], None)
        finished.value = k + 1
        k += 1


def test_sigkill_while_finishing(results_dir):
    """Killed at random while attempts begin, journal and finish in a loop: after recovery every
    attempt begun is stored exactly once, and every one the child saw finished is complete."""
    url = f"sqlite:///{(results_dir / 'typingtest.sqlite').as_posix()}"
    store = Store(url, results_dir, results_dir / "signing.key", workstation="parent")
    store.ensure_candidate("CRASH-2", "crash")
    session_id = store.start_session("CRASH-2", "quick", "h", "parent", "nl")
    ctx = mp.get_context("fork")
    rng = np.random.default_rng(7)
    children = []
    for seed in range(10):
        begun, finished, started = ctx.Value("i", 0, lock=False), ctx.Value("i", 0, lock=False), ctx.Event()
        proc = ctx.Process(target=_finishing_child, args=(url, results_dir, session_id, seed, begun, finished,
                                                          started))
        proc.start()
        children.append((seed, proc, begun, finished, started))
    for child in children:
        assert child[4].wait(30)
    t0 = time.monotonic()
    for (_, proc, _, _, _), delay in sorted(zip(children, rng.uniform(0.1, 1.0, 10), strict=True),
                                            key=lambda c: c[1]):
        time.sleep(max(0.0, t0 + delay - time.monotonic()))
        os.kill(proc.pid, signal.SIGKILL)
    for _, proc, _, _, _ in children:
        proc.join(10)
    store.recover()
    assert store.journals() == []
    with store.engine.connect() as conn:
        rows = conn.execute(select(S.attempts.c.meta, S.attempts.c.state)).all()
    stored: dict[tuple[int, int], list[str]] = {}
    for meta, state in rows:
        m = json.loads(meta)
        stored.setdefault((m["seed"], m["k"]), []).append(state)
    assert sum(c[2].value for c in children) >= 10, "too few attempts to mean anything"
    for seed, _, begun, finished, _ in children:
        for k in range(begun.value):
            states = stored.get((seed, k))
            assert states is not None and len(states) == 1, (seed, k, states)
            if k < finished.value:
                assert states == ["complete"], (seed, k, states)
        # nothing beyond what was begun (the next begin may have made a journal before begun was set)
        assert all(k <= begun.value for s, k in stored if s == seed)
