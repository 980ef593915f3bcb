"""The results store: one code path for SQLite (default) and PostgreSQL (a centre's server).

``open_store(settings)`` connects (``--db`` URL, the settings file's ``db_url`` or
``$TYPINGTEST_DB``; else SQLite at ``results/typingtest.sqlite`` in WAL mode with foreign keys
and ``secure_delete`` on), applies the migrations and loads the signing key. Every failure
to reach or read the database becomes one ``StoreError`` line naming it and what to do.
"""

from __future__ import annotations

import contextlib
import enum
import getpass
import hashlib
import json
import math
import os
import re
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, and_, create_engine, event, exc, func, select, text, update
from sqlalchemy.engine import make_url

from typingtest.engine.events import EVENT_DTYPE
from typingtest.errors import UserError
from typingtest.formats import journal as jfmt
from typingtest.ids import check_candidate_id, shown
from typingtest.store import schema as S
from typingtest.store.integrity import candidate_message, override_message, session_message
from typingtest.store.recorder import JOURNAL_SUFFIX, AttemptRecorder
from typingtest.store.signing import SigningKey, canonical_json, key_file_missing, load_or_create_key

__all__ = [
    "FRAME_COLUMNS",
    "LogCodec",
    "RecoveryResult",
    "SessionRefused",
    "Store",
    "StoreError",
    "Stored",
    "VerifyResult",
    "compute_metrics",
    "jsonable",
    "open_store",
]

#: The columns of ``Store.attempts_frame`` in order (the analysis part's input).
FRAME_COLUMNS = [
    "candidate_id", "cohort", "session_id", "attempt_id", "battery", "language", "task", "item", "practice",
    "started_at", "ended_at", "state", "verified", "transcribed", "wpm", "gross_wpm", "net_wpm", "msd_error_rate",
    "uncorrected_error_rate", "corrected_error_rate", "total_error_rate", "kspc", "iki_mean_ms", "iki_sd_ms",
    "metrics", "verdicts", "actions",
]
_METRIC_COLUMNS = FRAME_COLUMNS[FRAME_COLUMNS.index("wpm") : FRAME_COLUMNS.index("metrics")]
SQLITE_NAME = "typingtest.sqlite"
_SQLITE_MAGIC = b"SQLite format 3\x00"


class StoreError(UserError):
    """The database cannot be reached or read; the message names it and says what to do."""


class SessionRefused(UserError):
    """``start_session`` refused: the candidate's battery is running elsewhere, or the retake period.

    ``reason`` is ``"running"`` or ``"retake"``; ``since`` when that session started (UTC),
    ``workstation`` where it runs (for ``"running"``).
    """

    def __init__(self, message: str, reason: str, since: datetime | None = None,
                 workstation: str | None = None) -> None:
        super().__init__(message)
        self.reason, self.since, self.workstation = reason, since, workstation


class _RunningElsewhere(Exception):
    """Internal: the running-session index refused an insert (another workstation won the race)."""


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
# helpers


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
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _parse_time(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return _utc(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return _utc(datetime.fromisoformat(str(value)))


def compute_metrics(presented: str | None, log: np.ndarray, target: str | None = None,
                    initial: str | None = None, task: str | None = None) -> dict[str, Any] | None:
    """The engine's metrics for a typed task (``typingtest.engine.analyze``), or None.

    None when the attempt has no single presented text (calls, forms) or the engine is
    not installed; the signature still protects such attempts. A copy-typing attempt that
    ended at its time limit is judged on the part of the passage reached, as the workstation
    scored it (``typingtest.engine.scoring``).
    """
    if not isinstance(presented, str):
        return None
    try:
        from typingtest.engine import analyze
        from typingtest.engine.replay import replay
        from typingtest.engine.scoring import end_reason, reached_part
    except ImportError:
        return None
    if task == "copy-typing" and end_reason(log) == "time":
        typed = replay(log, target=target or None, initial=initial or "").transcribed
        presented = reached_part(presented, typed)
    if initial:
        result = analyze(presented, log, target=target or None, initial=initial)
    else:
        result = analyze(presented, log, target=target or None)
    return jsonable(result.to_dict())


class LogCodec:
    """Event logs as one compact blob: the engine's ``formats.eventlog`` when present, else npz."""

    def __init__(self) -> None:
        try:
            from typingtest.formats import eventlog
        except ImportError:
            eventlog = None
        self._eventlog = eventlog

    def encode(self, log: np.ndarray) -> tuple[str, bytes]:
        """``(format, blob)`` for a log."""
        if self._eventlog is not None:
            return "eventlog", self._eventlog.log_to_bytes(log)
        return "npz", jfmt.log_to_blob(log)

    def decode(self, fmt: str, blob: bytes) -> np.ndarray:
        """The log a blob holds."""
        if fmt == "eventlog":
            if self._eventlog is None:
                raise StoreError("an event log was stored by typingtest.formats.eventlog, which is missing here; "
                                 "install the full typingtest package")
            return np.asarray(self._eventlog.log_from_bytes(blob), dtype=EVENT_DTYPE)
        return jfmt.log_from_blob(blob)


@dataclass
class RecoveryResult:
    """What ``recover`` did with one journal."""

    journal: Path
    attempt_id: str | None
    status: str  # recovered, stored-finished, already-stored, in-use, unreadable, empty, orphan
    n_events: int = 0
    torn: bool = False
    message: str = ""


@dataclass
class VerifyResult:
    """One attempt checked by ``verify``: ``problems`` empty means it matches."""

    attempt_id: str
    problems: list[str] = field(default_factory=list)
    recomputed: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


# --------------------------------------------------------------------------------------------
# engines


def _safe_url(url: str) -> str:
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


def _normalise_url(url: str) -> str:
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_path(url: str) -> Path | None:
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


def _make_engine(url: str) -> Engine:
    path = _sqlite_path(url)
    if path is not None:
        if path.exists() and path.stat().st_size > 0:
            with path.open("rb") as fh:
                head = fh.read(16)
            if head != _SQLITE_MAGIC:
                raise StoreError(f"{path}: not a SQLite database (the file is damaged or something else); nothing "
                                 "was changed. Restore it from a backup, or move it aside to start a new database")
        from typingtest.fileperms import private_file

        _private_database_file(path)
        engine = create_engine(url, connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout = 60000")
            cur.execute("PRAGMA journal_mode = WAL")
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
    return create_engine(url, pool_pre_ping=True)


# --------------------------------------------------------------------------------------------
# the store


class Store:
    """Candidates, sessions, attempts with their event logs, consents, overrides, audit log."""

    #: The thresholds file in force (``open_store`` sets it from the settings): ``verify`` compares
    #: each verdict's threshold with it and with the versions recorded in ``thresholds_versions``.
    thresholds_file: Path | None = None

    def __init__(self, url: str, results_dir: Path, key_file: Path, workstation: str | None = None,
                 retention_days: int = 365, *, read_only: bool = False) -> None:
        #: opened read-only (``verify --read-only``): no migration, no key made, nothing written
        self.read_only = read_only
        self.url = _normalise_url(url)
        self.display_url = _safe_url(self.url)
        self.results_dir = Path(results_dir)
        self.journal_dir = self.results_dir / "journal"
        self.key_file = Path(key_file)
        self.workstation = workstation
        self.retention_days = retention_days
        self.log_codec = LogCodec()
        self._key: SigningKey | None = None
        #: session id -> candidate id of the sessions this process started: an attempt can then
        #: begin (journal only) while the database is briefly unreachable
        self._session_candidates: dict[str, str] = {}
        try:
            backend = make_url(self.url).get_backend_name()
        except exc.ArgumentError:
            backend = None
        if backend not in ("sqlite", "postgresql"):
            raise StoreError(f"{self.display_url}: not a database URL typingtest uses; write sqlite:///PATH or "
                             "postgresql://USER:PASSWORD@HOST:PORT/DATABASE (--db, db_url or TYPINGTEST_DB)")
        self.engine = _make_read_only_engine(self.url) if read_only else _make_engine(self.url)
        self.dialect = self.engine.dialect.name
        if read_only:
            with self._errors("open"), self.engine.connect() as conn:
                try:
                    missing = S.missing_migrations(conn) if S.has_schema(conn) else [1]
                except S.NewerSchemaError as e:
                    raise StoreError(f"{self.display_url}: {e}; update typingtest on this machine") from None
            if missing:
                raise StoreError(f"{self.display_url}: made by an older typingtest (schema {min(missing) - 1}); "
                                 "--read-only cannot upgrade it: verify a copy without --read-only")
            return
        with self._errors("open"), self.engine.begin() as conn:
            try:
                S.migrate(conn)
            except S.NewerSchemaError as e:
                raise StoreError(f"{self.display_url}: {e}; update typingtest on this workstation") from None

    # ---- plumbing ------------------------------------------------------------------------

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Turn a database failure into one ``StoreError`` line that says what to do.

        The driver's own text is kept (first line), with every piece of the URL's password cut
        out (a password holding ``@`` is misread by the driver, which then names its tail as the
        host). A read-only SQLite file (or folder) gets its own advice, not "start the server".
        """
        sqlite = self.url.startswith("sqlite")
        password = "" if sqlite else self.url.partition("://")[2].rpartition("@")[0].partition(":")[2]
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
            sqlite_file = _sqlite_path(self.url) if sqlite else None
            if sqlite_file is not None and ("readonly" in orig or "read-only" in orig or (
                    "unable to open" in orig and sqlite_file.exists()
                    and not (os.access(sqlite_file, os.W_OK) and os.access(sqlite_file.parent, os.W_OK)))):
                raise StoreError(f"{self.display_url}: the database file is read-only while trying to {doing} "
                                 f"({orig}); nothing was changed. To read an archived copy use `typingtest verify "
                                 "--read-only`, or make the file and its folder writable for this user") from None
            if self.dialect == "sqlite" and "locked" in orig:
                raise StoreError(f"{self.display_url}: database busy for over 60 s while trying to {doing} ({orig}); "
                                 "another program holds it (a backup, a DB browser?): close it and try again. "
                                 f"Recorded attempts stay in their journals under {self.journal_dir}") from None
            if self.dialect == "sqlite" and "not a database" in orig:
                raise StoreError(f"{self.display_url}: not a SQLite database ({orig}); nothing was changed. Restore "
                                 "it from a backup, or move it aside to start a new database") from None
            raise StoreError(f"{self.display_url}: database unreachable while trying to {doing} ({orig}); start the "
                             "database server or fix --db / db_url / TYPINGTEST_DB. Recorded attempts stay in their "
                             f"journals under {self.journal_dir} until `typingtest recover` stores them") from None
        except exc.DBAPIError as e:
            orig = first_line(e)
            raise StoreError(f"{self.display_url}: database error while trying to {doing} ({orig}); nothing was "
                             "changed. Restore the database from a backup or ask the centre's administrator") from None

    @property
    def key(self) -> SigningKey:
        """The centre's signing key (created on first use, unless the database already has one).

        When this machine has no key file and the database already holds rows signed by a key
        (or records the centre's key id), making a key here is refused with one line: every
        workstation of a centre signs with the one centre key (copy its file here).
        """
        if self._key is None:
            if key_file_missing(self.key_file):  # no file, or an empty one an earlier version left
                if self.read_only:
                    raise UserError(f"{self.key_file}: no signing key on this machine (read-only: none is made)")
                # its own transaction: call it before opening one (SQLite allows one writer)
                with self._errors("check the centre's signing key"), self.engine.begin() as conn:
                    self._claim_new_key(conn)
            self._key = load_or_create_key(self.key_file)
        return self._key

    def _claim_new_key(self, conn: Connection) -> None:
        """Make this machine's key file if the database knows no centre key yet, and record its id."""
        if self.dialect == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(7210433)"))
        if self.key_file.exists():  # another process on this machine made it while we waited
            return
        held = conn.execute(select(S.signing_keys.c.key_id).limit(1)).scalar()
        if held is None:
            for table in (S.attempts, S.sessions, S.candidates, S.overrides):
                signature = conn.execute(select(table.c.signature).where(table.c.signature.is_not(None))
                                         .limit(1)).scalar()
                if signature:
                    held = signature.split(":")[1] if signature.count(":") == 2 else "?"
                    break
        if held is not None:
            raise UserError(f"{self.key_file}: no signing key on this workstation, and {self.display_url} already "
                            f"holds rows signed with the centre's key ({held}); copy the centre's key file here (the "
                            "settings' signing_key_file names where it is read) rather than making a key of its own")
        key = load_or_create_key(self.key_file)
        conn.execute(S.signing_keys.insert().values(key_id=key.key_id, first_used_at=_now(),
                                                    workstation=self.workstation))

    def _existing_key(self) -> SigningKey | None:
        """The signing key if its file exists (reading results never creates a key)."""
        if self._key is None and not self.key_file.exists():
            return None
        return self.key

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *e: object) -> None:
        self.close()

    def _insert_ignore(self, conn: Connection, table: Any, values: Mapping[str, Any]) -> None:
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            conn.execute(pg_insert(table).values(**values).on_conflict_do_nothing())
        elif self.dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert as sq_insert

            conn.execute(sq_insert(table).values(**values).on_conflict_do_nothing())
        else:  # pragma: no cover - other databases are not supported
            conn.execute(table.insert().values(**values))

    def audit(self, action: str, object_type: str, object_id: str | None = None,
              details: Mapping[str, Any] | None = None, actor: str | None = None,
              conn: Connection | None = None) -> None:
        """Add one audit-log row (who did what to which object, and when)."""
        if actor is None:
            try:
                user = getpass.getuser()
            except Exception:
                user = "unknown"
            actor = f"{user}@{self.workstation or '?'}"
        values = dict(at=_now(), actor=actor[:255], action=action, object_type=object_type,
                      object_id=object_id, details=jsonable(dict(details)) if details else None)
        if conn is not None:
            self._append_audit(conn, values)
            return
        with self._errors("write the audit log"), self.engine.begin() as c:
            self._append_audit(c, values)

    def _append_audit(self, conn: Connection, values: dict[str, Any]) -> None:
        """Insert one entry chained to the last (``integrity.audit_chain``), under a lock.

        The previous chain value is read inside the inserting transaction: PostgreSQL takes an
        advisory transaction lock first, SQLite's transactions are ``BEGIN IMMEDIATE``; so two
        workstations appending at once never chain to the same entry.
        """
        from typingtest.store.integrity import audit_chain

        # auditing never makes a key (an analysis machine without the key file writes entries
        # chained but marked unauthenticated); a workstation holds its key from its first row
        key = self._existing_key()
        if self.dialect == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(7210435)"))
        prev = conn.execute(select(S.audit_log.c.chain).order_by(S.audit_log.c.audit_id.desc()).limit(1)).scalar()
        values["chain"] = audit_chain(key, prev or "", values)
        conn.execute(S.audit_log.insert().values(**values))

    # ---- candidates, consent, sessions ---------------------------------------------------

    @staticmethod
    def _check_id(candidate_id: str, *, legacy_ok: bool = False) -> str:
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

    def ensure_candidate(self, candidate_id: str, cohort: str | None = None, *, name: str | None = None,
                         email: str | None = None, phone: str | None = None) -> str:
        """Add the candidate if new (updating the cohort if given); name/contact go in a separate table."""
        cid = self._check_id(candidate_id)
        key = self.key
        with self._errors("add a candidate"), self.engine.begin() as conn:
            row = self._add_candidate(conn, cid, key, cohort)
            if cohort is not None and row["cohort"] != cohort:  # signed again with the new cohort
                signature = key.mac(candidate_message({**row, "cohort": cohort}))
                conn.execute(update(S.candidates).where(S.candidates.c.candidate_id == cid)
                             .values(cohort=cohort, signature=signature))
            if any(v is not None for v in (name, email, phone)):
                contact = {k: v for k, v in dict(name=name, email=email, phone=phone).items() if v is not None}
                self._insert_ignore(conn, S.candidate_contacts, dict(candidate_id=cid))
                conn.execute(update(S.candidate_contacts).where(S.candidate_contacts.c.candidate_id == cid)
                             .values(**contact))
        return cid

    def _add_candidate(self, conn: Connection, cid: str, key: SigningKey, cohort: str | None = None
                       ) -> dict[str, Any]:
        """Insert the candidate (signed) unless present; the row as stored."""
        row = dict(candidate_id=cid, cohort=cohort, created_at=_now())
        self._insert_ignore(conn, S.candidates, {**row, "signature": key.mac(candidate_message(row))})
        found = conn.execute(select(S.candidates).where(S.candidates.c.candidate_id == cid)).mappings().one()
        return dict(found)

    def candidate(self, candidate_id: str) -> dict[str, Any] | None:
        """The candidate's row (id, cohort, created_at) or None."""
        with self._errors("read a candidate"), self.engine.connect() as conn:
            row = conn.execute(select(S.candidates).where(S.candidates.c.candidate_id == str(candidate_id).strip()))
            found = row.mappings().first()
        return dict(found) if found else None

    def record_consent(self, candidate_id: str, text_version: str) -> int:
        """Record that the candidate consented to the text of ``text_version``; returns the consent id."""
        cid = self._check_id(candidate_id)
        key = self.key
        with self._errors("record consent"), self.engine.begin() as conn:
            self._add_candidate(conn, cid, key)
            res = conn.execute(S.consents.insert().values(candidate_id=cid, text_version=str(text_version),
                                                          given_at=_now(), workstation=self.workstation))
            consent_id = int(res.inserted_primary_key[0])
            self.audit("consent", "candidate", cid, {"text_version": str(text_version)}, conn=conn)
        return consent_id

    def start_session(self, candidate_id: str, battery: str, battery_hash: str | None = None,
                      workstation: str | None = None, language: str | None = None, *,
                      content_version: str | None = None, retake_days: int = 0) -> str:
        """Open a session (state ``running``, signed) and return its id (a UUID made here).

        In the same transaction: refused (``SessionRefused``, one line) when the candidate has a
        running session of this battery (on any workstation: a unique index makes this hold
        however close two starts are) or, with ``retake_days`` > 0, a session of it completed
        less than ``retake_days`` days ago (counted from its start).
        """
        cid = self._check_id(candidate_id)
        key = self.key
        session_id = uuid.uuid4().hex
        try:
            with self._errors("start a session"), self.engine.begin() as conn:
                self._add_candidate(conn, cid, key)
                refusal = self._session_refusal(conn, cid, battery, retake_days)
                if refusal is not None:
                    raise refusal
                row = dict(session_id=session_id, candidate_id=cid, battery=battery, battery_hash=battery_hash,
                           content_version=content_version, workstation=workstation or self.workstation,
                           language=language, started_at=_now(), ended_at=None, state="running", n_attempts=None)
                try:
                    conn.execute(S.sessions.insert().values(**row, signature=key.mac(session_message(row))))
                except exc.IntegrityError:  # another workstation started it a moment ago
                    raise _RunningElsewhere() from None
        except _RunningElsewhere:
            with self._errors("start a session"), self.engine.connect() as conn:
                refusal = self._session_refusal(conn, cid, battery, 0)
            raise refusal or SessionRefused(f"candidate {cid}: battery {battery} was started elsewhere at the same "
                                            "moment; end or resume it from the proctor panel", "running") from None
        self._session_candidates[session_id] = cid
        return session_id

    def session_refusal(self, candidate_id: str, battery: str, retake_days: int = 0) -> SessionRefused | None:
        """Why ``start_session`` would refuse this candidate and battery now (None: it would not).

        For the intake's early check; ``start_session`` checks the same again in its transaction.
        """
        with self._errors("read sessions"), self.engine.connect() as conn:
            return self._session_refusal(conn, str(candidate_id).strip(), battery, retake_days)

    def _session_refusal(self, conn: Connection, cid: str, battery: str, retake_days: int) -> SessionRefused | None:
        s = S.sessions
        mine = (s.c.candidate_id == cid) & (s.c.battery == battery)
        running = conn.execute(select(s.c.workstation, s.c.started_at).where(mine & (s.c.state == "running"))
                               .order_by(s.c.started_at.desc()).limit(1)).first()
        if running is not None:
            since = _utc(running[1])
            return SessionRefused(f"candidate {cid}: battery {battery} already running on workstation "
                                  f"{running[0] or '?'} since {since:%Y-%m-%d %H:%M} UTC; end or resume it from the "
                                  "proctor panel", "running", since, running[0])
        if retake_days > 0:
            cutoff = _now() - timedelta(days=int(retake_days))
            done = conn.execute(select(s.c.started_at).where(mine & (s.c.state == "complete")
                                                             & (s.c.started_at > cutoff))
                                .order_by(s.c.started_at.desc()).limit(1)).scalar()
            if done is not None:
                when = _utc(done)
                return SessionRefused(f"candidate {cid}: took battery {battery} on {when:%Y-%m-%d}; a retake is "
                                      f"allowed after {int(retake_days)} days (the proctor may override)", "retake",
                                      when, None)
        return None

    def _sign_session(self, conn: Connection, session_id: str, key: SigningKey, **values: Any) -> dict[str, Any]:
        """Set ``values`` on the session and sign the row again; the row (UserError if absent)."""
        found = conn.execute(select(S.sessions).where(S.sessions.c.session_id == session_id)).mappings().first()
        if found is None:
            raise UserError(f"session {session_id}: not in the database")
        row = {**dict(found), **values}
        signature = key.mac(session_message(row))
        conn.execute(update(S.sessions).where(S.sessions.c.session_id == session_id)
                     .values(**values, signature=signature))
        return row

    def end_session(self, session_id: str, state: str = "complete") -> None:
        """Close a session with its final state (complete, interrupted, abandoned ...).

        The number of attempts it holds is stored and signed with the row, so an attempt
        deleted or moved later shows in ``verify``.
        """
        key = self.key
        with self._errors("end a session"), self.engine.begin() as conn:
            n = conn.execute(select(func.count()).select_from(S.attempts)
                             .where(S.attempts.c.session_id == session_id)).scalar()
            self._sign_session(conn, session_id, key, state=state, ended_at=_now(), n_attempts=int(n or 0))

    def resume_session(self, session_id: str) -> pd.DataFrame:
        """Reopen an interrupted session (state back to ``running``); its attempts so far, practice included.

        The workstation goes on at the first task without a complete attempt in the frame.
        Refused (``SessionRefused``) while another session of the candidate and battery runs.
        """
        key = self.key
        try:
            with self._errors("resume a session"), self.engine.begin() as conn:
                try:
                    row = self._sign_session(conn, session_id, key, state="running", ended_at=None, n_attempts=None)
                except exc.IntegrityError:
                    raise _RunningElsewhere() from None
                self.audit("resumed", "session", session_id, None, conn=conn)
        except _RunningElsewhere:
            with self._errors("resume a session"), self.engine.connect() as conn:
                found = conn.execute(select(S.sessions.c.candidate_id, S.sessions.c.battery)
                                     .where(S.sessions.c.session_id == session_id)).first()
                refusal = self._session_refusal(conn, found[0], found[1], 0) if found else None
            raise refusal or SessionRefused(f"session {session_id}: another session of this candidate and battery "
                                            "is running; end it first", "running") from None
        self._session_candidates[session_id] = row["candidate_id"]
        return self.attempts_frame(session=session_id, include_practice=True)

    def sessions_frame(self, candidate: str | None = None) -> pd.DataFrame:
        """Sessions (one row each): session_id, candidate_id, battery, ..., state."""
        q = select(S.sessions).order_by(S.sessions.c.started_at)
        if candidate is not None:
            q = q.where(S.sessions.c.candidate_id == str(candidate).strip())
        with self._errors("read sessions"), self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(q).mappings()]
        frame = pd.DataFrame(rows, columns=[c.name for c in S.sessions.columns])
        for col in ("started_at", "ended_at"):
            frame[col] = pd.to_datetime(frame[col].map(_utc), utc=True)
        return frame

    # ---- attempts -----------------------------------------------------------------------

    def begin_attempt(self, session_id: str, task: str, item: str | None = None, practice: bool = False,
                      meta: Mapping[str, Any] | None = None) -> AttemptRecorder:
        """Start recording an attempt; its events go to a journal flushed every 50 ms.

        ``meta`` is free JSON kept with the attempt; for a typed task give ``presented`` (the
        reference text) and, when the log holds several fields, ``target``, so that
        ``recover`` and ``verify`` can compute the metrics from the events (and ``initial``
        if the field held text before the attempt).
        """
        cid = self._session_candidates.get(session_id)
        if cid is None:  # a session started by another process (a resumed session)
            with self._errors("start an attempt"), self.engine.connect() as conn:
                cid = conn.execute(select(S.sessions.c.candidate_id)
                                   .where(S.sessions.c.session_id == session_id)).scalar()
        if cid is None:
            raise UserError(f"session {session_id}: not in the database; start_session first")
        header = {
            "journal_format": 1,
            "attempt_id": uuid.uuid4().hex,
            "session_id": session_id,
            "candidate_id": cid,
            "task": task,
            "item": item,
            "practice": bool(practice),
            "meta": jsonable(dict(meta or {})),
            "started_at": _now().isoformat(timespec="microseconds"),
            "workstation": self.workstation,
        }
        return AttemptRecorder(self, header, self.journal_dir)

    def store_attempt(self, header: Mapping[str, Any], log: np.ndarray, blob: bytes, fmt: str,
                      final: Mapping[str, Any], stored_by: str) -> Stored:
        """Sign and insert one attempt with its events (one transaction); see ``Stored`` for the outcome.

        ``Stored.ALREADY`` (falsy) if it was stored before; ``Stored.DROPPED_ERASED`` if its
        candidate was erased meanwhile (session gone, tombstone found: nothing stored).
        """
        metrics = final.get("metrics") or {}
        meta = header.get("meta") or {}
        transcribed = metrics.get("transcribed") if isinstance(metrics, Mapping) else None
        if transcribed is None:
            transcribed = meta.get("transcribed")
        fields = {
            "attempt_id": header["attempt_id"],
            "session_id": header["session_id"],
            "candidate_id": header["candidate_id"],
            "task": header["task"],
            "item": header.get("item"),
            "practice": bool(header.get("practice", False)),
            "started_at": _parse_time(header["started_at"]),
            "ended_at": _parse_time(final.get("ended_at")),
            "state": final.get("state", "complete"),
            "transcribed": transcribed,
            "meta": canonical_json(jsonable(meta)),
            "metrics": canonical_json(jsonable(metrics)),
            "verdicts": canonical_json(jsonable(final.get("verdicts") or [])),
            "actions": canonical_json(jsonable(final.get("actions"))),
            "n_events": len(log),
            "events_sha256": hashlib.sha256(blob).hexdigest(),
            "format": fmt,
        }
        signature = self.key.sign(fields)
        row = {k: v for k, v in fields.items() if k not in ("candidate_id", "format")}
        row.update(signature=signature, stored_at=_now(), stored_by=stored_by)
        with self._errors("store an attempt"), self.engine.begin() as conn:
            exists = conn.execute(select(S.attempts.c.attempt_id)
                                  .where(S.attempts.c.attempt_id == fields["attempt_id"])).scalar()
            if exists is not None:
                return Stored.ALREADY
            session = conn.execute(select(S.sessions.c.session_id)
                                   .where(S.sessions.c.session_id == fields["session_id"])).scalar()
            if session is None and self._drop_for_erasure(conn, str(fields["candidate_id"])):
                return Stored.DROPPED_ERASED
            conn.execute(S.attempts.insert().values(**row))
            conn.execute(S.attempt_events.insert().values(attempt_id=fields["attempt_id"], format=fmt, data=blob))
        return Stored.STORED

    def _drop_for_erasure(self, conn: Connection, candidate_id: str) -> bool:
        """True (and the tombstone's ``dropped_attempts`` counted) when an erasure names this candidate."""
        from typingtest.store.privacy import candidate_digests

        job = conn.execute(select(S.erasures.c.erasure_id, S.erasures.c.steps)
                           .where(S.erasures.c.candidate_digest.in_(candidate_digests(self.key, candidate_id)))
                           .order_by(S.erasures.c.erasure_id.desc())).first()
        if job is None:
            return False
        steps = _loads(job[1]) or {}
        steps["dropped_attempts"] = int(steps.get("dropped_attempts") or 0) + 1
        conn.execute(update(S.erasures).where(S.erasures.c.erasure_id == job[0])
                     .values(steps=json.dumps(steps, sort_keys=True)))
        return True

    def _attempt_fields(self, row: Mapping[str, Any]) -> dict[str, Any]:
        fields = dict(row)
        fields["started_at"] = _utc(fields.get("started_at"))
        fields["ended_at"] = _utc(fields.get("ended_at"))
        return fields

    def events(self, attempt_id: str) -> np.ndarray:
        """An attempt's event log (``EVENT_DTYPE``)."""
        with self._errors("read events"), self.engine.connect() as conn:
            row = conn.execute(select(S.attempt_events.c.format, S.attempt_events.c.data)
                               .where(S.attempt_events.c.attempt_id == attempt_id)).first()
        if row is None:
            raise UserError(f"attempt {attempt_id}: no such attempt in {self.display_url}")
        return self.log_codec.decode(row[0], bytes(row[1]))

    def _attempt_query(self, cohort: str | None, candidate: str | None, since: Any, include_practice: bool,
                       session: str | None = None, until: Any = None, task: str | None = None) -> Any:
        a, s, c = S.attempts, S.sessions, S.candidates
        q = (select(a, s.c.candidate_id, s.c.battery, s.c.language, c.c.cohort, S.attempt_events.c.format)
             .join(s, a.c.session_id == s.c.session_id)
             .join(c, s.c.candidate_id == c.c.candidate_id)
             .outerjoin(S.attempt_events, S.attempt_events.c.attempt_id == a.c.attempt_id)
             .order_by(a.c.started_at, a.c.attempt_id))
        conds = []
        if cohort is not None:
            conds.append(c.c.cohort == cohort)
        if candidate is not None:
            conds.append(s.c.candidate_id == str(candidate).strip())
        if session is not None:
            conds.append(a.c.session_id == session)
        if task is not None:
            conds.append(a.c.task == task)
        if since is not None:
            conds.append(a.c.started_at >= _parse_time(since))
        if until is not None:
            conds.append(a.c.started_at < _parse_time(until))
        if not include_practice:
            conds.append(a.c.practice.is_(False))
        return q.where(and_(*conds)) if conds else q

    def attempts_frame(self, cohort: str | None = None, candidate: str | None = None, since: Any = None,
                       include_practice: bool = False, *, session: str | None = None, until: Any = None,
                       task: str | None = None) -> pd.DataFrame:
        """Attempts, one row each, in ``FRAME_COLUMNS`` (metric columns NaN where undefined).

        ``verified`` is True when the row's signature matches its metadata and stored
        events hash, False when it does not (altered), None when it cannot be checked here
        (unsigned, or signed with a key this machine's key file does not hold). ``typingtest verify`` goes further:
        it rehashes the event blobs and recomputes the metrics.
        """
        q = self._attempt_query(cohort, candidate, since, include_practice, session, until, task)
        with self._errors("read attempts"), self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(q).mappings()]
        key = self._existing_key() if rows else None
        records = []
        for r in rows:
            fields = self._attempt_fields(r)
            metrics = _loads(r["metrics"]) or {}
            verified: bool | None = None  # unsigned, or signed with a key this machine does not hold
            if r["signature"] and key is not None and key.holds(r["signature"]):
                verified = key.check(fields, r["signature"]) is None
            rec = {
                "candidate_id": r["candidate_id"], "cohort": r["cohort"], "session_id": r["session_id"],
                "attempt_id": r["attempt_id"], "battery": r["battery"], "language": r["language"],
                "task": r["task"], "item": r["item"], "practice": bool(r["practice"]),
                "started_at": fields["started_at"], "ended_at": fields["ended_at"], "state": r["state"],
                "verified": verified, "transcribed": r["transcribed"],
            }
            for col in _METRIC_COLUMNS:
                rec[col] = metrics.get(col)
            rec["metrics"] = metrics
            rec["verdicts"] = _loads(r["verdicts"]) or []
            rec["actions"] = _loads(r["actions"]) or []
            records.append(rec)
        frame = pd.DataFrame.from_records(records, columns=FRAME_COLUMNS)
        for col in ("started_at", "ended_at"):
            frame[col] = pd.to_datetime(frame[col], utc=True)
        for col in _METRIC_COLUMNS:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
        frame["practice"] = frame["practice"].astype(bool)
        frame["verified"] = frame["verified"].astype(object)
        return frame

    # ---- overrides ----------------------------------------------------------------------

    def record_override(self, attempt_id: str, indicator: str, passed: bool, reason: str, assessor: str) -> int:
        """An assessor's override of one verdict, with the reason; written to the audit log too."""
        if not str(reason).strip():
            raise UserError("override: --reason: give the reason for the override")
        key = self.key
        with self._errors("record an override"), self.engine.begin() as conn:
            found = conn.execute(select(S.attempts.c.attempt_id).where(S.attempts.c.attempt_id == attempt_id)).scalar()
            if found is None:
                raise UserError(f"attempt {attempt_id}: not in the database")
            row = dict(attempt_id=attempt_id, indicator=indicator, passed=bool(passed), reason=str(reason),
                       assessor=str(assessor), at=_now())
            res = conn.execute(S.overrides.insert().values(**row))
            oid = int(res.inserted_primary_key[0])
            conn.execute(update(S.overrides).where(S.overrides.c.override_id == oid)
                         .values(signature=key.mac(override_message({**row, "override_id": oid}))))
            self.audit("overrode", "attempt", attempt_id, {"indicator": indicator, "passed": bool(passed),
                                                           "reason": str(reason)}, actor=str(assessor), conn=conn)
        return oid

    def overrides_frame(self, attempt_id: str | None = None) -> pd.DataFrame:
        """Overrides (one row each): override_id, attempt_id, indicator, passed, reason, assessor, at,
        signature, ``verified`` (as in ``attempts_frame``: True, False when altered, None when it
        cannot be checked here)."""
        q = select(S.overrides).order_by(S.overrides.c.at)
        if attempt_id is not None:
            q = q.where(S.overrides.c.attempt_id == attempt_id)
        with self._errors("read overrides"), self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(q).mappings()]
        key = self._existing_key() if rows else None
        for r in rows:
            r["verified"] = None
            if r["signature"] and key is not None and key.holds(r["signature"]):
                r["verified"] = key.check_mac(override_message(r), r["signature"]) is None
        frame = pd.DataFrame(rows, columns=[*(c.name for c in S.overrides.columns), "verified"])
        frame["verified"] = frame["verified"].astype(object)
        return frame

    def audit_frame(self) -> pd.DataFrame:
        """The audit log (one row per entry)."""
        with self._errors("read the audit log"), self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(select(S.audit_log).order_by(S.audit_log.c.audit_id)).mappings()]
        return pd.DataFrame(rows, columns=[c.name for c in S.audit_log.columns])

    # ---- recovery -----------------------------------------------------------------------

    def journals(self) -> list[Path]:
        """The journal files in this workstation's results folder."""
        if not self.journal_dir.is_dir():
            return []
        return sorted(self.journal_dir.glob(f"*{JOURNAL_SUFFIX}"))

    def recover(self) -> list[RecoveryResult]:
        """Store every unfinished attempt found in the journals (``typingtest.store.recovery``)."""
        from typingtest.store.recovery import recover

        return recover(self)

    # ---- integrity ----------------------------------------------------------------------

    def verify(self, attempt_ids: Sequence[str] | None = None, recompute: bool = True) -> list[VerifyResult]:
        """Check every stored row against its signature; recompute metrics (``typingtest.store.integrity``)."""
        from typingtest.store.integrity import verify

        return verify(self, attempt_ids, recompute)

    # ---- privacy ------------------------------------------------------------------------

    def export_candidate(self, candidate_id: str, out_dir: Path | None = None) -> Path:
        """Everything held about one candidate: ``candidate.json`` and one CSV event log per attempt."""
        from typingtest.store.privacy import export_candidate

        return export_candidate(self, candidate_id, out_dir)

    def erase_candidate(self, candidate_id: str) -> dict[str, Any]:
        """Remove everything held about one candidate (a resumable job); what was removed (counts, files)."""
        from typingtest.store.privacy import erase_candidate

        return erase_candidate(self, candidate_id)

    def maintenance(self, vacuum: bool = False) -> list[str]:
        """Housekeeping at a quiet time (``typingtest.store.privacy.maintenance``); one line per thing done."""
        from typingtest.store.privacy import maintenance

        return maintenance(self, vacuum)

    def purge(self, retention_days: int | None = None, now: datetime | None = None,
              dry_run: bool = False) -> list[str]:
        """Erase every candidate whose last activity is older than the retention period; their ids."""
        from typingtest.store.privacy import purge

        return purge(self, retention_days if retention_days is not None else self.retention_days, now, dry_run)


def _loads(text: str | None) -> Any:
    """A stored JSON text parsed; a damaged one reads as None (``verify`` reports the signature)."""
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _make_read_only_engine(url: str) -> Engine:
    """An engine that cannot write: SQLite opened ``mode=ro`` (never created), PostgreSQL with
    read-only transactions. For ``verify --read-only`` on an archived copy."""
    path = _sqlite_path(url)
    if path is None:
        if make_url(url).get_backend_name() == "sqlite":
            raise StoreError(f"{_safe_url(url)}: --read-only needs a database file")
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


def open_store(settings: Any = None, url: str | None = None, recover: bool = False, *,
               read_only: bool = False) -> Store:
    """The store for these settings (``url`` overrides the settings' database URL).

    ``recover=True`` runs ``Store.recover()`` at once (what a workstation does when it starts).
    The thresholds file of the settings is the one in force for ``verify``; its content is
    recorded in ``thresholds_versions`` (once per digest) so that verdicts made under it still
    verify after it changes. ``read_only=True`` opens without writing anything (see ``Store``).
    """
    if settings is None:
        from typingtest.config import load_settings

        settings = load_settings()
    # --db, else $TYPINGTEST_DB (load_settings puts it over the file's db_url), else SQLite in results/
    db_url = url or settings.db_url or f"sqlite:///{(Path(settings.results_dir) / SQLITE_NAME).as_posix()}"
    store = Store(db_url, Path(settings.results_dir), Path(settings.key_file), workstation=settings.workstation,
                  retention_days=int(settings.retention_days), read_only=read_only)
    store.thresholds_file = Path(settings.thresholds)
    if not read_only:
        from typingtest.store.integrity import record_thresholds

        # a database this user may only read (an analysis login) keeps no new version: reading
        # goes on, and verify compares with the file in force and the versions recorded
        with contextlib.suppress(StoreError), store._errors("record the thresholds in force"), \
                store.engine.begin() as conn:
            record_thresholds(conn, store.thresholds_file)
    if recover:
        store.recover()
    return store

