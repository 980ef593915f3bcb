"""The workstation when its journal or its database fails mid-session (issue 19, items 12, 15).

- Disk full while the candidate types: the incident ``journal-write-failed`` is shown to the
  proctor at once, the events wait in memory, and when space returns every one is written.
- Database down at finish: before, ``finish`` was called a second time on exit and raised
  ``RuntimeError: attempt ... already finished`` (a traceback); now one incident and one line,
  the journal kept, and ``recover`` later stores the attempt complete.
"""

from __future__ import annotations

import errno

import numpy as np
import pygame
from sqlalchemy import create_engine

from typingtest.config import Settings


class _FullDisk:
    """A journal file whose writes raise ENOSPC while ``full`` is True (a disk that fills, then is freed)."""

    def __init__(self, fh):
        self.fh, self.full, self.refused = fh, True, 0

    def write(self, data):
        if self.full:
            self.refused += 1
            raise OSError(errno.ENOSPC, "No space left on device")
        return self.fh.write(data)

    def __getattr__(self, name):
        return getattr(self.fh, name)


def _open(results_dir, candidate):
    from typingtest.content import load_item
    from typingtest.store import open_store
    from typingtest.workstation.driver import Driver
    from typingtest.workstation.session import TaskSpec

    settings = Settings(results_dir=results_dir)
    store = open_store(settings)
    d = Driver.open(settings, store, specs=[TaskSpec("copy-typing", load_item("nl-copy-03"), 300.0)],
                    intake=False, candidate=candidate, single=True)
    if d.scene.name == "instructions":
        d.start_task()
    return d, store


def _wait_real(d, cond, seconds=5.0):
    """Run frames (injected clock) while the journal's real-time flusher works, until ``cond()``."""
    import time

    deadline = time.monotonic() + seconds
    while not cond() and time.monotonic() < deadline:
        d.wait(0.05)
        time.sleep(0.02)
    return cond()


def test_disk_full_is_an_incident_at_once_and_nothing_is_lost(results_dir):
    d, store = _open(results_dir, "C-DISK-1")
    rec = d.session._attempt
    disk = _FullDisk(rec._writer._fh)
    rec._writer._fh = disk
    d.type("Geachte", 0.1)
    assert _wait_real(d, lambda: any(i.kind == "journal-write-failed" for i in d.app.incidents))
    failed = [i for i in d.app.incidents if i.kind == "journal-write-failed"]
    assert len(failed) == 1 and "No space left" in failed[0].detail
    assert disk.refused >= 1 and rec.write_error is not None and rec.write_error_since is not None
    d.type(" mevrouw", 0.1)  # still typing on a full disk: one incident, not one per flush
    assert sum(i.kind == "journal-write-failed" for i in d.app.incidents) == 1
    disk.full = False  # space freed
    assert _wait_real(d, lambda: any(i.kind == "journal-write-resumed" for i in d.app.incidents))
    rec.flush()
    journaled = rec.events()
    from typingtest.formats.journal import read_journal

    on_disk = read_journal(rec.journal_path, store.key)
    assert on_disk.authenticated is True and not on_disk.torn
    assert len(on_disk.events) == len(journaled) == rec.count  # every event appended is on disk
    live = d.app.recorder.to_log()
    np.testing.assert_array_equal(on_disk.events, live)
    d.finish()
    (result,) = d.session.results
    np.testing.assert_array_equal(store.events(result.attempt_id)[: len(live)], live)
    store.close()
    pygame.event.clear()


def test_database_down_at_finish_keeps_the_journal_no_traceback(results_dir, capsys):
    from typingtest.store import open_store

    d, store = _open(results_dir, "C-DOWN-1")
    aid = d.session._attempt.attempt_id
    d.type("Geachte", 0.1)
    good = store.engine
    store.engine = create_engine("postgresql+psycopg://nobody@127.0.0.1:9/none", connect_args={"connect_timeout": 2})
    d.finish()  # the workstation stores the attempt: the database refuses
    d.session.abort("exit")  # what `run` does on the way out (it used to call finish again here)
    err = capsys.readouterr().err
    assert "Traceback" not in err and "already finished" not in err
    problems = [ln for ln in err.splitlines() if ln.startswith("typingtest: ")]
    assert problems and all("\n" not in p for p in problems)
    assert f"attempt {aid} not stored yet, its journal is kept" in problems[0]
    kinds = [i.kind for i in d.app.incidents]
    assert "store-failed" in kinds
    assert (results_dir / "journal" / f"{aid}.ttj").exists()
    store.engine.dispose()
    store.engine = good
    store.close()
    with open_store(Settings(results_dir=results_dir)) as s2:
        (res,) = s2.recover()
        assert res.status == "stored-finished"
        frame = s2.attempts_frame()
        assert list(frame.state) == ["complete"]
        assert frame.transcribed.iloc[0] == "Geachte"
    assert not (results_dir / "journal" / f"{aid}.ttj").exists()
    pygame.event.clear()
