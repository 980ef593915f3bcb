"""Load test: workstation processes writing attempts at once; nothing lost, nothing duplicated.

20 processes against one PostgreSQL database (each its own results folder, as twenty
workstations would have), 4 processes against one SQLite file (sharing the results folder,
as four sessions on one machine would). All start at a barrier, on a database nobody has
opened yet, so they also race to create the schema. Forked processes: a Linux-only test helper.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select
from store_testkit import typing_log

from typingtest.store import Store
from typingtest.store import schema as S

ATTEMPTS = 4
TEXT = "Bestelling 4411: twee dozen papier."

pytestmark = pytest.mark.skipif(os.name != "posix" or "fork" not in mp.get_all_start_methods(),
                                reason="SKIPPED LOUDLY: the load test forks worker processes (POSIX only)")


def _workstation(url, results_dir, key_file, number, barrier, errors):  # pragma: no cover - runs in the child
    try:
        barrier.wait(60)
        store = Store(url, Path(results_dir), Path(key_file), workstation=f"ws-{number:02d}")
        cid = f"LOAD-{number:02d}"
        store.ensure_candidate(cid, "load")
        sid = store.start_session(cid, "quick", "h", f"ws-{number:02d}", "nl")
        for k in range(ATTEMPTS):
            rec = store.begin_attempt(sid, "copy-typing", "nl-copy-01", False,
                                      {"presented": TEXT, "target": "copy", "seed": number * 100 + k})
            log = typing_log(TEXT, seed=number * 100 + k)
            for row in log:
                rec.append(row)
            rec.finish(log, {"n": len(log), "seed": number * 100 + k}, [], None)
        store.end_session(sid, "complete")
        store.close()
    except BaseException as exc:
        errors.put(f"ws-{number}: {exc!r}")
        raise


def _run(url, results_dirs, key_file, processes):
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(processes)
    errors = ctx.Queue()
    procs = [ctx.Process(target=_workstation, args=(url, str(results_dirs[i]), str(key_file), i, barrier, errors))
             for i in range(processes)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(240)
    found = []
    while not errors.empty():
        found.append(errors.get())
    assert not found, found
    assert [p.exitcode for p in procs] == [0] * processes


def _check(url, results_dir, key_file, processes):
    store = Store(url, results_dir, key_file)
    with store.engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(S.attempts)).scalar()
        distinct = conn.execute(select(func.count(func.distinct(S.attempts.c.attempt_id)))).scalar()
        versions = list(conn.execute(select(S.schema_version.c.version)).scalars())
    assert versions == [v for v, _, _ in S.MIGRATIONS], "schema created more than once"
    assert n == distinct == processes * ATTEMPTS
    frame = store.attempts_frame()
    assert sorted(frame.metrics.map(lambda m: m["seed"])) == sorted(
        w * 100 + k for w in range(processes) for k in range(ATTEMPTS))
    for _, row in frame.iterrows():  # every log intact
        np.testing.assert_array_equal(store.events(row.attempt_id), typing_log(TEXT, seed=row.metrics["seed"]))
    assert frame.verified.all()
    assert set(store.sessions_frame().state) == {"complete"}
    store.close()


def test_four_processes_one_sqlite_file(results_dir):
    url = f"sqlite:///{(results_dir / 'typingtest.sqlite').as_posix()}"
    key = results_dir / "signing.key"
    _run(url, [results_dir] * 4, key, 4)
    _check(url, results_dir, key, 4)
    assert not list((results_dir / "journal").glob("*.ttj"))


@pytest.mark.postgres
def test_twenty_processes_one_postgresql_database(pg_server, tmp_path):
    url = pg_server.new_database()
    dirs = [tmp_path / f"ws{i:02d}" for i in range(20)]
    key = tmp_path / "centre.key"
    _run(url, dirs, key, 20)
    _check(url, tmp_path / "check", key, 20)
    assert not any(list((d / "journal").glob("*.ttj")) for d in dirs)
