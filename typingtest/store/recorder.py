"""The journal-backed attempt recorder the workstation writes through during an attempt.

``append`` costs a few microseconds (encode the event, seal it with the attempt's journal
MAC, put the bytes in a list); a background thread writes and fsyncs every 50 ms. A write
the disk refuses (disk full) loses nothing: the bytes stay in memory, ``write_error`` says
so at once, and every later flush tries again. ``finish`` writes the final state, metrics
and full log into the journal first (fsync), then into the database in one transaction,
reads the events back, and only when they are equal deletes the journal: a crash or a
database that is down at any point loses nothing, and ``typingtest recover`` completes the
job. ``finish`` may be called again after a database failure: it retries the same result.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from filelock import Timeout

from typingtest.engine.events import EVENT_DTYPE
from typingtest.errors import UserError
from typingtest.fileperms import private_dir
from typingtest.formats.journal import FLUSH_INTERVAL_S, JournalWriter, journal_key_label, parse_journal
from typingtest.store.base import Stored, StoreError, journal_lock, jsonable, remove_journal

if TYPE_CHECKING:
    from typingtest.store.store import Store

__all__ = ["JOURNAL_FORMAT", "JOURNAL_SUFFIX", "AttemptRecorder", "logs_equal"]

JOURNAL_SUFFIX = ".ttj"
#: The journal format the recorder writes (``TTJOURN2``: each record authenticated).
JOURNAL_FORMAT = 2


def logs_equal(a: np.ndarray, b: np.ndarray) -> bool:
    """True when two event logs hold the same rows (NaN equal to NaN)."""
    a, b = np.asarray(a, dtype=EVENT_DTYPE), np.asarray(b, dtype=EVENT_DTYPE)
    if a.shape != b.shape:
        return False
    for name in EVENT_DTYPE.names or ():
        x, y = a[name], b[name]
        if x.dtype.kind == "f":
            if not np.array_equal(x, y, equal_nan=True):
                return False
        elif not np.array_equal(x, y):
            return False
    return True


class AttemptRecorder:
    """Records one attempt's events as they happen; ``finish`` stores it and returns its id."""

    def __init__(self, store: Store, header: Mapping[str, Any], journal_dir: Path,
                 interval: float = FLUSH_INTERVAL_S) -> None:
        self.store = store
        key = store.key
        # the header names the centre key, so recovery on any machine holding it finds the attempt key
        self.header = {**dict(header), "journal_format": JOURNAL_FORMAT, "journal_key": key.key_id}
        self.attempt_id: str = self.header["attempt_id"]
        self.journal_dir = private_dir(journal_dir)
        self.journal_path = self.journal_dir / f"{self.attempt_id}{JOURNAL_SUFFIX}"
        self._key = key
        # the lock first, then the journal: ``recover`` never finds this journal unlocked
        self._lock = journal_lock(self.journal_path)
        try:
            self._lock.acquire()
        except Timeout:  # pragma: no cover - a fresh uuid's journal cannot be locked by others
            raise StoreError(f"{self.journal_path}: journal already locked by another recorder; attempt "
                             f"{self.attempt_id} is being recorded elsewhere") from None
        try:
            self._writer = JournalWriter(self.journal_path, self.header, interval=interval,
                                         key=key.derive(journal_key_label(self.attempt_id)))
        except BaseException:
            self._lock.release()
            raise
        #: True once no more events are taken (finished or closed).
        self.finished = False
        #: True once the attempt is in the database.
        self.stored = False
        #: (log, blob, format, final) of the first ``finish``: what a retry stores.
        self._final: tuple[np.ndarray, bytes, str, dict[str, Any]] | None = None

    @property
    def count(self) -> int:
        """Events appended so far."""
        return self._writer.count

    @property
    def write_error(self) -> OSError | None:
        """The journal write error not yet overcome (disk full ...): the events wait in memory."""
        return self._writer.error

    @property
    def write_error_since(self) -> float | None:
        """``time.time()`` (seconds since the epoch) of the first journal write failure, or None."""
        return self._writer.first_error_at

    def append(self, row: Any) -> None:
        """Journal one event (``EVENT_DTYPE`` record, dict of its columns, or tuple in column order)."""
        self._writer.append(row)

    def extend(self, rows: Sequence[Any] | np.ndarray) -> None:
        """Journal several events in order."""
        for row in rows:
            self._writer.append(row)

    def flush(self) -> None:
        """Write and fsync now (the background thread does this every 50 ms anyway); raises the
        ``OSError`` when the disk refuses (the events stay queued)."""
        self._writer.flush()

    def events(self) -> np.ndarray:
        """The events journaled so far, including those still waiting in memory for the disk."""
        with contextlib.suppress(OSError):
            self._writer.flush()
        return parse_journal(self._writer.snapshot(), self.journal_path).events

    def _release(self) -> None:
        """Let ``recover`` and ``erase`` at the journal (the recording is over)."""
        self._lock.release()

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
        holding the final result, and ``typingtest recover`` stores it later as it was. Called
        again after such a failure, it retries storing that first result (the arguments of the
        later call are ignored); called after the attempt was stored, it returns its id.
        """
        if self.stored:
            return self.attempt_id
        if self._final is None:
            if self.finished:
                raise StoreError(f"attempt {self.attempt_id}: its recording was stopped without a result; "
                                 f"`typingtest recover` stores its journal {self.journal_path}")
            if log is None:
                log = self.events()
            log = np.asarray(log, dtype=EVENT_DTYPE)
            fmt, blob = self.store.log_codec.encode(log)
            final = {
                "state": state,
                "ended_at": datetime.now(UTC).isoformat(timespec="microseconds"),
                "metrics": jsonable(dict(metrics or {})),
                "verdicts": jsonable([dict(v) for v in verdicts or []]),
                "actions": None if actions is None else jsonable([dict(a) for a in actions]),
                "format": fmt,
            }
            self._final = (log, blob, fmt, final)
            self.finished = True
            with contextlib.suppress(OSError):  # disk full: kept in memory; the database may still take it
                self._writer.write_finish(final, blob)
        log, blob, fmt, final = self._final
        journal_error: OSError | None = None
        try:
            self._writer.close()  # a retry writes what the disk refused before
        except OSError as exc:
            journal_error = exc
        if self._lock.is_locked:
            self._release()
        try:
            outcome = self.store.store_attempt(self.header, log, blob, fmt, final, stored_by="finish")
        except UserError as exc:
            if journal_error is not None:
                raise StoreError(f"attempt {self.attempt_id}: neither the journal ({journal_error}) nor the "
                                 f"database took it; the result is kept in memory, try again: {exc}") from None
            raise
        self.stored = True
        self._writer.abandon()  # anything the disk refused is in the database now
        if outcome == Stored.DROPPED_ERASED or logs_equal(self.store.events(self.attempt_id), log):
            # erased while it ran: nothing stored on purpose, and the journal (personal data) goes
            with contextlib.suppress(OSError):
                remove_journal(self.journal_dir, self.journal_path)
        return self.attempt_id

    def close(self) -> None:
        """Stop journaling without storing (the journal stays; ``recover`` marks it interrupted).

        Raises ``StoreError`` when the journal cannot take the events still in memory (disk full)."""
        if self.finished:
            return
        self.finished = True
        try:
            self._writer.close()
        except OSError as exc:
            lost = self._writer.pending_bytes
            self._writer.abandon()
            raise StoreError(f"{self.journal_path}: the journal could not be written ({exc}); {lost} bytes of "
                             "events were not saved") from None
        finally:
            self._release()

    def __enter__(self) -> AttemptRecorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
