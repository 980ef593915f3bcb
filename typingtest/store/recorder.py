"""The journal-backed attempt recorder the workstation writes through during an attempt.

``append`` costs a few microseconds (encode the event, put the bytes in a list); a
background thread writes and fsyncs every 50 ms. ``finish`` writes the final state, metrics
and full log into the journal first (fsync), then into the database in one transaction, and
only then deletes the journal: a crash or a database that is down at any point loses
nothing, and ``typingtest recover`` completes the job.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from typingtest.engine.events import EVENT_DTYPE
from typingtest.errors import UserError
from typingtest.formats.journal import FLUSH_INTERVAL_S, JournalWriter, read_journal
from typingtest.store._filelock import try_lock, unlock

if TYPE_CHECKING:
    from typingtest.store.store import Store

__all__ = ["JOURNAL_SUFFIX", "AttemptRecorder"]

JOURNAL_SUFFIX = ".ttj"


class AttemptRecorder:
    """Records one attempt's events as they happen; ``finish`` stores it and returns its id."""

    def __init__(self, store: Store, header: Mapping[str, Any], journal_dir: Path,
                 interval: float = FLUSH_INTERVAL_S) -> None:
        self.store = store
        self.header = dict(header)
        self.attempt_id: str = self.header["attempt_id"]
        self.journal_path = journal_dir / f"{self.attempt_id}{JOURNAL_SUFFIX}"
        self._writer = JournalWriter(self.journal_path, self.header, interval=interval)
        self._lock_fh = open(self.journal_path, "rb")  # noqa: SIM115 - held while the attempt runs
        if not try_lock(self._lock_fh):  # pragma: no cover - a fresh uuid file cannot be locked by others
            raise RuntimeError(f"{self.journal_path}: journal already locked")
        self.finished = False

    @property
    def count(self) -> int:
        """Events appended so far."""
        return self._writer.count

    def append(self, row: Any) -> None:
        """Journal one event (``EVENT_DTYPE`` record, dict of its columns, or tuple in column order)."""
        self._writer.append(row)

    def extend(self, rows: Sequence[Any] | np.ndarray) -> None:
        """Journal several events in order."""
        for row in rows:
            self._writer.append(row)

    def flush(self) -> None:
        """Write and fsync now (the background thread does this every 50 ms anyway)."""
        self._writer.flush()

    def events(self) -> np.ndarray:
        """The events journaled so far (read back from the journal file)."""
        self._writer.flush()
        return read_journal(self.journal_path).events

    def finish(
        self,
        log: np.ndarray | None = None,
        metrics: Mapping[str, Any] | None = None,
        verdicts: Sequence[Mapping[str, Any]] | None = None,
        actions: Sequence[Mapping[str, Any]] | None = None,
        state: str = "complete",
    ) -> str:
        """Store the attempt (``log`` None: the journaled events) and remove its journal.

        Raises ``StoreError`` (a UserError) when the database refuses; the journal then stays,
        holding the final result, and ``typingtest recover`` stores it later as it was.
        """
        if self.finished:
            raise RuntimeError(f"attempt {self.attempt_id} already finished")
        if log is None:
            log = self.events()
        log = np.asarray(log, dtype=EVENT_DTYPE)
        fmt, blob = self.store.log_codec.encode(log)
        from typingtest.store.store import StoreError, jsonable

        final = {
            "state": state,
            "ended_at": datetime.now(UTC).isoformat(timespec="microseconds"),
            "metrics": jsonable(dict(metrics or {})),
            "verdicts": jsonable([dict(v) for v in verdicts or []]),
            "actions": None if actions is None else jsonable([dict(a) for a in actions]),
            "format": fmt,
        }
        journal_error: OSError | None = None
        try:
            self._writer.write_finish(final, blob)
            self._writer.close()
        except OSError as exc:  # disk full, removed USB stick ...: the database may still take it
            journal_error = exc
            with contextlib.suppress(OSError):
                self._writer.close()
        self.finished = True
        unlock(self._lock_fh)
        self._lock_fh.close()
        try:
            self.store.store_attempt(self.header, log, blob, fmt, final, stored_by="finish")
        except UserError as exc:
            if journal_error is not None:
                raise StoreError(f"attempt {self.attempt_id}: neither the journal ({journal_error}) nor the "
                                 f"database took it: {exc}") from None
            raise
        with contextlib.suppress(OSError):
            self.journal_path.unlink()
        return self.attempt_id

    def close(self) -> None:
        """Stop journaling without storing (the journal stays; ``recover`` marks it interrupted)."""
        if not self.finished:
            self._writer.close()
            self.finished = True
            unlock(self._lock_fh)
            self._lock_fh.close()

    def __enter__(self) -> AttemptRecorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
