"""What every module of the store shares: engines, error mapping, JSON, UTC time, ids, journal locks.

``store``, ``privacy``, ``recorder``, ``recovery``, ``integrity`` and ``verification`` import
from here, so that none of them imports one that imports it back (``tests/test_import_graph.py``);
this module imports no other module of ``typingtest.store``, only ``typingtest.ids``,
``typingtest.fileperms`` and ``typingtest.errors``.

- ``make_engine`` / ``make_read_only_engine``: SQLite in WAL mode with owner-only files, or
  PostgreSQL; ``database_errors``: every driver failure as one ``StoreError`` line that names
  the database (password masked, ``safe_url``) and says what to do;
- ``jsonable``, ``loads``: the JSON kept in the store; ``now``, ``utc``, ``parse_time``: UTC;
- ``check_id``: the candidate-id rule of ``typingtest.ids`` (plus the legacy rule for reading);
- ``journal_lock``: the lock a running attempt holds on its journal (``filelock``), which
  ``recover`` and ``erase`` test without waiting.
"""

from __future__ import annotations

import contextlib
import enum
import json
import os
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
from filelock import FileLock, Timeout
from sqlalchemy import Connection, Engine, create_engine, event, exc
from sqlalchemy.engine import make_url

from typingtest.engine.metrics import finite_or_none
from typingtest.errors import UserError
from typingtest.ids import check_candidate_id, inside, shown

__all__ = [
    "LOCK_SUFFIX",
    "SQLITE_NAME",
    "StoreError",
    "Stored",
    "check_id",
    "database_errors",
    "journal_lock",
    "journal_locked_elsewhere",
    "jsonable",
    "loads",
    "make_engine",
    "make_read_only_engine",
    "normalise_url",
    "now",
    "parse_time",
    "remove_journal",
    "required_key",
    "safe_url",
    "sqlite_path",
    "utc",
]

SQLITE_NAME = "typingtest.sqlite"
_SQLITE_MAGIC = b"SQLite format 3\x00"
#: The lock file beside a journal (``<attempt>.ttj.lock``), held while its attempt runs.
LOCK_SUFFIX = ".lock"


class StoreError(UserError):
    """The database cannot be reached or read; the message names it and says what to do."""


class Stored(enum.IntEnum):
    """What ``Store.store_attempt`` did. Truthy when the journal may go (``STORED``, ``DROPPED_ERASED``).

    ``DROPPED_ERASED``: the candidate was erased while the attempt ran (their session is gone and
    an erasure tombstone names them): nothing is stored, the tombstone counts the dropped
    attempt (no personal data), and the caller removes the journal as if it were stored.
    """

    ALREADY = 0
    STORED = 1
    DROPPED_ERASED = 2


# --------------------------------------------------------------------------------------------
# JSON and time


def jsonable(value: Any) -> Any:
    """``value`` with numpy scalars/arrays made plain and non-finite floats made None (JSON null)."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return finite_or_none(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def loads(text: str | None) -> Any:
    """A stored JSON text parsed; a damaged one reads as None (``verify`` reports the signature)."""
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def now() -> datetime:
    """The current time, UTC."""
    return datetime.now(UTC)


def utc(value: datetime | None) -> datetime | None:
    """``value`` in UTC; a naive time is taken as UTC (SQLite keeps no zone)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_time(value: Any) -> datetime | None:
    """A time from a datetime, a date (midnight UTC) or ISO text; None for None or ""."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return utc(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return utc(datetime.fromisoformat(str(value)))


# --------------------------------------------------------------------------------------------
# candidate ids and keys


def check_id(candidate_id: str, *, legacy_ok: bool = False) -> str:
    """The candidate id, stripped, if it follows the one rule (``typingtest.ids``); else one line.

    ``legacy_ok=True`` is for reading, exporting or erasing an id a store made before the
    rule may already hold: any 1-128 printable characters (the old rule). Such an id is only
    ever compared with database values; a file named after it goes through
    ``ids.candidate_filename``. Writing a new row always takes the rule.
    """
    if not legacy_ok:
        return check_candidate_id(candidate_id)
    cid = str(candidate_id).strip()
    if not cid or len(cid) > 128 or not cid.isprintable():
        raise UserError(f"candidate id {shown(candidate_id)}: must be 1-128 printable characters")
    return cid


def required_key(store: Any) -> Any:
    """The store's signing key (``Store._existing_key()``); one line when this machine has none."""
    key = store._existing_key()
    if key is None:
        raise UserError(f"{store.key_file}: no signing key on this machine, so no signature can be checked; copy "
                        "the centre's key file here or set signing_key_file in the settings")
    return key


# --------------------------------------------------------------------------------------------
# journal locks


def journal_lock(journal: Path) -> FileLock:
    """The lock of ``journal`` (a ``filelock.FileLock`` on ``<journal>.lock``, owner-only, never waits).

    The recorder holds it while the attempt runs; the operating system releases it when the
    process dies, even by SIGKILL or a power cut. ``acquire()`` raises ``filelock.Timeout``
    when another holder has it.
    """
    return FileLock(f"{journal}{LOCK_SUFFIX}", timeout=0, mode=0o600, thread_local=False)


def journal_locked_elsewhere(journal: Path) -> bool:
    """True while another recorder (this process or another) holds ``journal``'s lock."""
    lock = journal_lock(journal)
    try:
        lock.acquire()
    except Timeout:
        return True
    lock.release()
    return False


def remove_journal(journal_dir: Path, journal: Path, *, lock_only: bool = False) -> None:
    """Delete a journal (unless ``lock_only``) and its lock file, both checked to lie inside ``journal_dir``."""
    targets = [Path(f"{journal}{LOCK_SUFFIX}")] if lock_only else [journal, Path(f"{journal}{LOCK_SUFFIX}")]
    for target in targets:
        with contextlib.suppress(FileNotFoundError):
            inside(journal_dir, target).unlink()


# --------------------------------------------------------------------------------------------
# URLs and engines


def safe_url(url: str) -> str:
    """``url`` as it may be shown: the password (and a ``password=`` query value) as ``***``.

    The credentials end at the *last* ``@`` (as libpq reads it), so a password holding an ``@``
    is masked whole (``u:tPW@x@host`` gives ``u:***@host``, never ``u:***@x@host``); a URL
    with no ``://`` and an ``@`` is not shown at all.
    """
    scheme, sep, rest = url.partition("://")
    if scheme.startswith("sqlite"):
        return url  # a file path: SQLite has no credentials
    if not sep:
        return url[:80] if "@" not in url else "<database URL>"  # never show what may be a password
    if "@" in rest:
        userinfo, _, rest = rest.rpartition("@")
        user, colon, _password = userinfo.partition(":")
        rest = f"{user}{':***' if colon else ''}@{rest}"
    rest = re.sub(r"(?i)(password=)[^&]*", r"\1***", rest)
    return f"{scheme}://{rest}"


def normalise_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` URLs with the psycopg 3 driver named; others as given."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL; None for another database or an in-memory one."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _private_database_file(path: Path) -> None:
    """Owner-only SQLite files: the folder made 0700 (the results folder: made so even if it exists),
    the database file created empty with 0600 before SQLite opens it (its -wal and -shm then
    get the same mode), whatever the umask. Nothing happens on Windows (see docs/store.md)."""
    from typingtest.fileperms import private_dir, private_file

    if not path.parent.exists() or path.name == SQLITE_NAME:
        private_dir(path.parent)
    if not path.exists():
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600))
    private_file(path)


def _check_sqlite_file(path: Path) -> None:
    if path.exists() and path.stat().st_size > 0:
        with path.open("rb") as fh:
            head = fh.read(16)
        if head != _SQLITE_MAGIC:
            raise StoreError(f"{path}: not a SQLite database (the file is damaged or something else); nothing "
                             "was changed. Restore it from a backup, or move it aside to start a new database")


def make_engine(url: str) -> Engine:
    """The SQLAlchemy engine of ``url`` (normalised): SQLite with WAL, foreign keys, ``secure_delete``,
    ``BEGIN IMMEDIATE`` transactions and owner-only files; PostgreSQL with ``pool_pre_ping``."""
    path = sqlite_path(url)
    if path is None:
        return create_engine(url, pool_pre_ping=True)
    _check_sqlite_file(path)
    from typingtest.fileperms import private_file

    _private_database_file(path)
    engine = create_engine(url, connect_args={"timeout": 60})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout = 60000")
        _journal_mode_wal(cur)
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA secure_delete = ON")
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()
        for suffix in ("", "-wal", "-shm"):  # owner only, whatever the umask (SQLite made -wal, -shm)
            private_file(f"{path}{suffix}")

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Take the write lock at once: a deferred transaction that later writes fails with
        # SQLITE_BUSY_SNAPSHOT under WAL when another workstation wrote in between.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine



def _journal_mode_wal(cur: Any, wait_s: float = 60.0) -> None:
    """``PRAGMA journal_mode = WAL``, retried for up to ``wait_s`` seconds: switching a fresh file to
    WAL needs it to itself, and SQLite answers "database is locked" at once (no busy handler) when
    another workstation opens the same new file at that moment."""
    import sqlite3
    import time

    deadline = time.monotonic() + wait_s
    while True:
        try:
            cur.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)

def make_read_only_engine(url: str) -> Engine:
    """An engine that cannot write: SQLite opened ``mode=ro`` (never created), PostgreSQL with
    read-only transactions. For ``verify --read-only`` on an archived copy."""
    path = sqlite_path(url)
    if path is None:
        if make_url(url).get_backend_name() == "sqlite":
            raise StoreError(f"{safe_url(url)}: --read-only needs a database file")
        return create_engine(url, pool_pre_ping=True,
                             connect_args={"options": "-c default_transaction_read_only=on"})
    if not path.is_file():
        raise StoreError(f"{path}: no such database file (--read-only never creates one)")
    with path.open("rb") as fh:
        if fh.read(16) != _SQLITE_MAGIC:
            raise StoreError(f"{path}: not a SQLite database (the file is damaged or something else); nothing was "
                             "changed")
    import sqlite3

    uri = path.resolve().as_uri() + "?mode=ro"
    return create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, timeout=60,
                                                                      check_same_thread=False))


# --------------------------------------------------------------------------------------------
# error mapping


@contextlib.contextmanager
def database_errors(url: str, dialect: str, journal_dir: Path, doing: str) -> Iterator[None]:
    """Turn a database failure into one ``StoreError`` line that says what to do.

    The driver's own text is kept (first line), with every piece of the URL's password cut
    out (a password holding ``@`` is misread by the driver, which then names its tail as the
    host). A read-only SQLite file (or folder) gets its own advice, not "start the server".

    Args:
        url: the database URL (normalised); shown with its password masked.
        dialect: "sqlite" or "postgresql".
        journal_dir: the journal folder named in the advice (recorded attempts wait there).
        doing: what was being done, for the message ("store an attempt").
    """
    display = safe_url(url)
    sqlite = url.startswith("sqlite")
    password = "" if sqlite else url.partition("://")[2].rpartition("@")[0].partition(":")[2]
    # the password and each tail of it after an @ (what a driver misreads as user@host)
    tails = sorted({password.split("@", i)[i] for i in range(password.count("@") + 1)} - {""}, key=len,
                   reverse=True)

    def first_line(e: BaseException) -> str:
        text = (str(getattr(e, "orig", e)).strip().splitlines() or [""])[0]
        for tail in tails:
            text = text.replace(f"{tail}@", "***@")
        return text.replace(password, "***") if len(password) >= 4 else text

    try:
        yield
    except exc.OperationalError as e:
        orig = first_line(e)
        if "@" in password:
            orig += "; a password holding @ must be written %40 in the URL"
        sqlite_file = sqlite_path(url) if sqlite else None
        if sqlite_file is not None and ("readonly" in orig or "read-only" in orig or (
                "unable to open" in orig and sqlite_file.exists()
                and not (os.access(sqlite_file, os.W_OK) and os.access(sqlite_file.parent, os.W_OK)))):
            raise StoreError(f"{display}: the database file is read-only while trying to {doing} "
                             f"({orig}); nothing was changed. To read an archived copy use `typingtest verify "
                             "--read-only`, or make the file and its folder writable for this user") from None
        if dialect == "sqlite" and "locked" in orig:
            raise StoreError(f"{display}: database busy for over 60 s while trying to {doing} ({orig}); "
                             "another program holds it (a backup, a DB browser?): close it and try again. "
                             f"Recorded attempts stay in their journals under {journal_dir}") from None
        if dialect == "sqlite" and "not a database" in orig:
            raise StoreError(f"{display}: not a SQLite database ({orig}); nothing was changed. Restore "
                             "it from a backup, or move it aside to start a new database") from None
        raise StoreError(f"{display}: database unreachable while trying to {doing} ({orig}); start the "
                         "database server or fix --db / db_url / TYPINGTEST_DB. Recorded attempts stay in their "
                         f"journals under {journal_dir} until `typingtest recover` stores them") from None
    except exc.DBAPIError as e:
        orig = first_line(e)
        raise StoreError(f"{display}: database error while trying to {doing} ({orig}); nothing was "
                         "changed. Restore the database from a backup or ask the centre's administrator") from None
