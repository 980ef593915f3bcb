"""The results store: one code path for SQLite (default) and PostgreSQL (a centre's server).

``open_store(settings)`` connects (``--db`` URL, the settings file's ``db_url`` or
``$TYPINGTEST_DB``; else SQLite at ``results/typingtest.sqlite`` in WAL mode with foreign keys
and ``secure_delete`` on), applies the migrations and loads the signing key. Every failure
to reach or read the database becomes one ``StoreError`` line naming it and what to do.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import json
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, and_, exc, func, select, text, update
from sqlalchemy.engine import make_url

from typingtest.engine.events import EVENT_DTYPE
from typingtest.engine.scoring import attempt_figures
from typingtest.errors import UserError
from typingtest.formats import eventlog
from typingtest.formats import journal as jfmt
from typingtest.store import privacy, recovery, verification
from typingtest.store import schema as S
from typingtest.store.base import (
    SQLITE_NAME,
    Stored,
    StoreError,
    check_id,
    database_errors,
    jsonable,
    loads,
    make_engine,
    make_read_only_engine,
    normalise_url,
    now,
    parse_time,
    safe_url,
    utc,
)
from typingtest.store.integrity import audit_chain, candidate_message, override_message, session_message
from typingtest.store.recorder import JOURNAL_SUFFIX, AttemptRecorder
from typingtest.store.recovery import RecoveryResult
from typingtest.store.signing import SigningKey, canonical_json, key_file_missing, load_or_create_key
from typingtest.store.verification import VerifyResult, record_thresholds
from typingtest.vocabulary import FRAME_COLUMNS

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

_METRIC_COLUMNS = FRAME_COLUMNS[FRAME_COLUMNS.index("wpm") : FRAME_COLUMNS.index("metrics")]
#: The actor of audit entries written inside ``Store.acting_as`` (the console's signed-in account).
_ACTOR: ContextVar[str | None] = ContextVar("typingtest_audit_actor", default=None)


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


def compute_metrics(presented: str | None, log: np.ndarray, target: str | None = None,
                    initial: str | None = None, task: str | None = None) -> dict[str, Any] | None:
    """The figures of a typed attempt as stored (JSON-ready), or None when it has no presented text.

    A thin spelling of ``typingtest.engine.scoring.attempt_figures`` (the one function that
    computes them) for callers that hold the texts rather than an attempt's meta.

    Args:
        presented: the passage or reference text (None: not a typed task).
        log: the event log (``EVENT_DTYPE``).
        target: the answer field's name (None: every row).
        initial: text the field held before the attempt.
        task: the task kind ("copy-typing" ended by its time limit is judged on the part reached).

    Returns:
        ``jsonable(attempt_figures(task, meta, log))``, or None.
    """
    figures = attempt_figures(task, {"presented": presented, "target": target, "initial": initial}, log)
    return None if figures is None else jsonable(figures)


class LogCodec:
    """Event logs as one compact blob: ``formats.eventlog``; blobs stored as npz by early versions still read."""

    def encode(self, log: np.ndarray) -> tuple[str, bytes]:
        """``(format, blob)`` for a log."""
        return "eventlog", eventlog.log_to_bytes(log)

    def decode(self, fmt: str, blob: bytes) -> np.ndarray:
        """The log a blob holds."""
        if fmt == "eventlog":
            return np.asarray(eventlog.log_from_bytes(blob), dtype=EVENT_DTYPE)
        return jfmt.log_from_blob(blob)


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
        self.url = normalise_url(url)
        self.display_url = safe_url(self.url)
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
        except (exc.ArgumentError, ValueError):  # ValueError: a port that is not a number
            backend = None
        if backend not in ("sqlite", "postgresql"):
            raise StoreError(f"{self.display_url}: not a database URL typingtest uses; write sqlite:///PATH or "
                             "postgresql://USER:PASSWORD@HOST:PORT/DATABASE (--db, db_url or TYPINGTEST_DB)")
        self.engine = make_read_only_engine(self.url) if read_only else make_engine(self.url)
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

    def _errors(self, doing: str) -> contextlib.AbstractContextManager[None]:
        """Turn a database failure into one ``StoreError`` line that says what to do (``base.database_errors``)."""
        return database_errors(self.url, self.dialect, self.journal_dir, doing)

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
        conn.execute(S.signing_keys.insert().values(key_id=key.key_id, first_used_at=now(),
                                                    workstation=self.workstation))

    def _existing_key(self) -> SigningKey | None:
        """The signing key if its file exists (reading results never creates a key)."""
        if self._key is None and not self.key_file.exists():
            return None
        return self.key

    def close(self) -> None:
        """Release the database connections (the store cannot be used afterwards)."""
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

    @staticmethod
    @contextlib.contextmanager
    def acting_as(actor: str) -> Iterator[None]:
        """Inside this block every audit entry without an explicit ``actor`` names ``actor`` (the web
        console's signed-in account) instead of ``user@workstation``; per thread and task."""
        token = _ACTOR.set(actor)
        try:
            yield
        finally:
            _ACTOR.reset(token)

    def audit(self, action: str, object_type: str, object_id: str | None = None,
              details: Mapping[str, Any] | None = None, actor: str | None = None,
              conn: Connection | None = None) -> None:
        """Add one audit-log row (who did what to which object, and when), chained to the last.

        Args:
            action: what was done ("consent", "overrode", "erased" ...).
            object_type: the kind of object ("candidate", "attempt", "session" ...).
            object_id: its id (None: several or none).
            details: JSON-ready facts about it (no results).
            actor: who did it; by default the ``acting_as`` account, else ``user@workstation``.
            conn: the caller's open transaction to write in (None: a transaction of its own).
        """
        if actor is None:
            actor = _ACTOR.get()
        if actor is None:
            try:
                user = getpass.getuser()
            except Exception:
                user = "unknown"
            actor = f"{user}@{self.workstation or '?'}"
        values = dict(at=now(), actor=actor[:255], action=action, object_type=object_type,
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
        """The candidate id by the one rule (``base.check_id``; ``legacy_ok``: the old rule, for reading)."""
        return check_id(candidate_id, legacy_ok=legacy_ok)

    def ensure_candidate(self, candidate_id: str, cohort: str | None = None, *, name: str | None = None,
                         email: str | None = None, phone: str | None = None) -> str:
        """Add the candidate if new (updating the cohort if given); name/contact go in a separate table.

        Args:
            candidate_id: the id (the one rule of ``typingtest.ids``; else one ``UserError`` line).
            cohort: the cohort to set (None: left as it is).
            name, email, phone: contact details, kept apart from the results (None: left as they are).

        Returns:
            The candidate id, stripped.
        """
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
        row = dict(candidate_id=cid, cohort=cohort, created_at=now())
        self._insert_ignore(conn, S.candidates, {**row, "signature": key.mac(candidate_message(row))})
        found = conn.execute(select(S.candidates).where(S.candidates.c.candidate_id == cid)).mappings().one()
        return dict(found)

    def candidate(self, candidate_id: str) -> dict[str, Any] | None:
        """The candidate's row.

        Args:
            candidate_id: the id.

        Returns:
            ``candidate_id``, ``cohort``, ``created_at`` (UTC), ``signature``; None if not held.
        """
        with self._errors("read a candidate"), self.engine.connect() as conn:
            row = conn.execute(select(S.candidates).where(S.candidates.c.candidate_id == str(candidate_id).strip()))
            found = row.mappings().first()
        return dict(found) if found else None

    def record_consent(self, candidate_id: str, text_version: str) -> int:
        """Record that the candidate consented to the text of ``text_version`` (audited).

        Args:
            candidate_id: the id (added if new).
            text_version: the version of the consent text shown.

        Returns:
            The consent id.
        """
        cid = self._check_id(candidate_id)
        key = self.key
        with self._errors("record consent"), self.engine.begin() as conn:
            self._add_candidate(conn, cid, key)
            res = conn.execute(S.consents.insert().values(candidate_id=cid, text_version=str(text_version),
                                                          given_at=now(), workstation=self.workstation))
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

        Args:
            candidate_id: the id (the one rule; added if new).
            battery: the battery id.
            battery_hash: the battery's fingerprint as run.
            workstation: where it runs (None: the store's workstation).
            language: the battery's language.
            content_version: the content's version.
            retake_days: the retake period (days; 0: none).

        Returns:
            The session id.
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
                           language=language, started_at=now(), ended_at=None, state="running", n_attempts=None)
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
        """Why ``start_session`` would refuse this candidate and battery now.

        For the intake's early check; ``start_session`` checks the same again in its transaction.

        Args:
            candidate_id: the id.
            battery: the battery id.
            retake_days: the retake period (days; 0: none).

        Returns:
            The ``SessionRefused`` it would raise, or None when it would not refuse.
        """
        with self._errors("read sessions"), self.engine.connect() as conn:
            return self._session_refusal(conn, str(candidate_id).strip(), battery, retake_days)

    def _session_refusal(self, conn: Connection, cid: str, battery: str, retake_days: int) -> SessionRefused | None:
        s = S.sessions
        mine = (s.c.candidate_id == cid) & (s.c.battery == battery)
        running = conn.execute(select(s.c.workstation, s.c.started_at).where(mine & (s.c.state == "running"))
                               .order_by(s.c.started_at.desc()).limit(1)).first()
        if running is not None:
            since = utc(running[1])
            return SessionRefused(f"candidate {cid}: battery {battery} already running on workstation "
                                  f"{running[0] or '?'} since {since:%Y-%m-%d %H:%M} UTC; end or resume it from the "
                                  "proctor panel", "running", since, running[0])
        if retake_days > 0:
            cutoff = now() - timedelta(days=int(retake_days))
            done = conn.execute(select(s.c.started_at).where(mine & (s.c.state == "complete")
                                                             & (s.c.started_at > cutoff))
                                .order_by(s.c.started_at.desc()).limit(1)).scalar()
            if done is not None:
                when = utc(done)
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
        """Close a session with its final state.

        The number of attempts it holds is stored and signed with the row, so an attempt
        deleted or moved later shows in ``verify``.

        Args:
            session_id: the session.
            state: "complete", "interrupted", "abandoned" ...
        """
        key = self.key
        with self._errors("end a session"), self.engine.begin() as conn:
            n = conn.execute(select(func.count()).select_from(S.attempts)
                             .where(S.attempts.c.session_id == session_id)).scalar()
            self._sign_session(conn, session_id, key, state=state, ended_at=now(), n_attempts=int(n or 0))

    def resume_session(self, session_id: str) -> pd.DataFrame:
        """Reopen an interrupted session (state back to ``running``, signed again, audited).

        The workstation goes on at the first task without a complete attempt in the frame.
        Refused (``SessionRefused``) while another session of the candidate and battery runs.

        Args:
            session_id: the session.

        Returns:
            Its attempts so far, practice included (``attempts_frame``).
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
        """Sessions, one row each (oldest first).

        Args:
            candidate: only this candidate's (None: all).

        Returns:
            A frame with the ``sessions`` columns: session_id, candidate_id, battery, ..., state
            (``started_at``/``ended_at`` as UTC timestamps).
        """
        q = select(S.sessions).order_by(S.sessions.c.started_at)
        if candidate is not None:
            q = q.where(S.sessions.c.candidate_id == str(candidate).strip())
        with self._errors("read sessions"), self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(q).mappings()]
        frame = pd.DataFrame(rows, columns=[c.name for c in S.sessions.columns])
        for col in ("started_at", "ended_at"):
            frame[col] = pd.to_datetime(frame[col].map(utc), utc=True)
        return frame

    # ---- attempts -----------------------------------------------------------------------

    def begin_attempt(self, session_id: str, task: str, item: str | None = None, practice: bool = False,
                      meta: Mapping[str, Any] | None = None) -> AttemptRecorder:
        """Start recording an attempt; its events go to a journal flushed every 50 ms.

        ``meta`` is free JSON kept with the attempt; for a typed task give ``presented`` (the
        reference text) and, when the log holds several fields, ``target``, so that
        ``recover`` and ``verify`` can compute the metrics from the events (and ``initial``
        if the field held text before the attempt).

        Args:
            session_id: the running session (``start_session`` or ``resume_session``).
            task: the task kind ("copy-typing", "transcription", "data-entry", "call").
            item: the content item's id.
            practice: a practice attempt (left out of decisions).
            meta: facts about the attempt (JSON-ready; no results).

        Returns:
            The ``AttemptRecorder`` to ``append`` events to and ``finish``.
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
            "started_at": now().isoformat(timespec="microseconds"),
            "workstation": self.workstation,
        }
        return AttemptRecorder(self, header, self.journal_dir)

    def store_attempt(self, header: Mapping[str, Any], log: np.ndarray, blob: bytes, fmt: str,
                      final: Mapping[str, Any], stored_by: str) -> Stored:
        """Sign and insert one attempt with its events (one transaction); see ``Stored`` for the outcome.

        ``Stored.ALREADY`` (falsy) if it was stored before; ``Stored.DROPPED_ERASED`` if its
        candidate was erased meanwhile (session gone, tombstone found: nothing stored).

        Args:
            header: the journal header (attempt, session, candidate ids, task, item, practice,
                meta, started_at).
            log: the event log.
            blob, fmt: the log encoded (``LogCodec.encode``).
            final: state, ended_at, metrics, verdicts, actions.
            stored_by: "finish" or "recovery".

        Returns:
            What was done (``Stored``).
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
            "started_at": parse_time(header["started_at"]),
            "ended_at": parse_time(final.get("ended_at")),
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
        row.update(signature=signature, stored_at=now(), stored_by=stored_by)
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
        job = conn.execute(select(S.erasures.c.erasure_id, S.erasures.c.steps)
                           .where(S.erasures.c.candidate_digest.in_(privacy.candidate_digests(self.key, candidate_id)))
                           .order_by(S.erasures.c.erasure_id.desc())).first()
        if job is None:
            return False
        steps = loads(job[1]) or {}
        steps["dropped_attempts"] = int(steps.get("dropped_attempts") or 0) + 1
        conn.execute(update(S.erasures).where(S.erasures.c.erasure_id == job[0])
                     .values(steps=json.dumps(steps, sort_keys=True)))
        return True

    def _attempt_fields(self, row: Mapping[str, Any]) -> dict[str, Any]:
        fields = dict(row)
        fields["started_at"] = utc(fields.get("started_at"))
        fields["ended_at"] = utc(fields.get("ended_at"))
        return fields

    def events(self, attempt_id: str) -> np.ndarray:
        """An attempt's event log.

        Args:
            attempt_id: the attempt.

        Returns:
            The log (``EVENT_DTYPE``); ``UserError`` when the attempt is not held.
        """
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
            conds.append(a.c.started_at >= parse_time(since))
        if until is not None:
            conds.append(a.c.started_at < parse_time(until))
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

        Args:
            cohort, candidate, session, task: only these (None: all).
            since, until: only attempts started at or after ``since`` and before ``until``
                (datetime, date or ISO text; UTC).
            include_practice: include practice attempts.

        Returns:
            The frame (``started_at``/``ended_at`` UTC timestamps; metric columns float).
        """
        q = self._attempt_query(cohort, candidate, since, include_practice, session, until, task)
        with self._errors("read attempts"), self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(q).mappings()]
        key = self._existing_key() if rows else None
        records = []
        for r in rows:
            fields = self._attempt_fields(r)
            metrics = loads(r["metrics"]) or {}
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
            rec["verdicts"] = loads(r["verdicts"]) or []
            rec["actions"] = loads(r["actions"]) or []
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
        """An assessor's override of one verdict, with the reason (signed; audited).

        Args:
            attempt_id: the attempt.
            indicator: the verdict's indicator ("msd_error_rate" ...).
            passed: the assessor's decision.
            reason: why (required).
            assessor: who.

        Returns:
            The override id.
        """
        if not str(reason).strip():
            raise UserError("override: --reason: give the reason for the override")
        key = self.key
        with self._errors("record an override"), self.engine.begin() as conn:
            found = conn.execute(select(S.attempts.c.attempt_id).where(S.attempts.c.attempt_id == attempt_id)).scalar()
            if found is None:
                raise UserError(f"attempt {attempt_id}: not in the database")
            row = dict(attempt_id=attempt_id, indicator=indicator, passed=bool(passed), reason=str(reason),
                       assessor=str(assessor), at=now())
            res = conn.execute(S.overrides.insert().values(**row))
            oid = int(res.inserted_primary_key[0])
            conn.execute(update(S.overrides).where(S.overrides.c.override_id == oid)
                         .values(signature=key.mac(override_message({**row, "override_id": oid}))))
            self.audit("overrode", "attempt", attempt_id, {"indicator": indicator, "passed": bool(passed),
                                                           "reason": str(reason)}, actor=str(assessor), conn=conn)
        return oid

    def overrides_frame(self, attempt_id: str | None = None) -> pd.DataFrame:
        """Overrides, one row each (oldest first).

        Args:
            attempt_id: only this attempt's (None: all).

        Returns:
            A frame of override_id, attempt_id, indicator, passed, reason, assessor, at,
            signature, ``verified`` (as in ``attempts_frame``: True, False when altered, None
            when it cannot be checked here).
        """
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
        """The audit log.

        Returns:
            A frame with one row per entry, in order (the ``audit_log`` columns).
        """
        with self._errors("read the audit log"), self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(select(S.audit_log).order_by(S.audit_log.c.audit_id)).mappings()]
        return pd.DataFrame(rows, columns=[c.name for c in S.audit_log.columns])

    # ---- recovery -----------------------------------------------------------------------

    def journals(self) -> list[Path]:
        """The journal files in this workstation's results folder.

        Returns:
            Their paths (``journal/*.ttj``), sorted.
        """
        if not self.journal_dir.is_dir():
            return []
        return sorted(self.journal_dir.glob(f"*{JOURNAL_SUFFIX}"))

    def recover(self) -> list[RecoveryResult]:
        """Store every unfinished attempt found in the journals (``typingtest.store.recovery``).

        Returns:
            One ``RecoveryResult`` per journal (status: recovered, stored-finished, in-use ...).
        """
        return recovery.recover(self)

    # ---- integrity ----------------------------------------------------------------------

    def verify(self, attempt_ids: Sequence[str] | None = None, recompute: bool = True) -> list[VerifyResult]:
        """Check every stored attempt against its signature and recompute its figures
        (``typingtest.store.verification``; audited).

        Args:
            attempt_ids: only these attempts (None: all).
            recompute: also recompute the figures from the events (``engine.scoring.attempt_figures``).

        Returns:
            One ``VerifyResult`` per attempt (``ok`` when nothing was found).
        """
        return verification.verify(self, attempt_ids, recompute)

    # ---- privacy ------------------------------------------------------------------------

    def export_candidate(self, candidate_id: str, out_dir: Path | None = None) -> Path:
        """Everything held about one candidate: ``candidate.json`` and one CSV event log per attempt.

        Args:
            candidate_id: the id (a legacy id a store already holds is accepted).
            out_dir: the folder to write (None: ``results/exports/<candidate>``).

        Returns:
            The folder written.
        """
        return privacy.export_candidate(self, candidate_id, out_dir)

    def erase_candidate(self, candidate_id: str) -> dict[str, Any]:
        """Remove everything held about one candidate (a resumable job; ``typingtest.store.privacy``).

        Args:
            candidate_id: the id (a legacy id a store already holds is accepted).

        Returns:
            What was removed: counts per table, ``touched`` (each file and what was done),
            ``remaining_files``, ``erasure_number``, ``compaction``.
        """
        return privacy.erase_candidate(self, candidate_id)

    def maintenance(self, vacuum: bool = False) -> list[str]:
        """Housekeeping at a quiet time (``typingtest.store.privacy.maintenance``).

        Args:
            vacuum: also compact the database (SQLite VACUUM; PostgreSQL VACUUM FULL).

        Returns:
            One line per thing done.
        """
        return privacy.maintenance(self, vacuum)

    def purge(self, retention_days: int | None = None, now: datetime | None = None,
              dry_run: bool = False) -> list[str]:
        """Erase every candidate whose last activity is older than the retention period.

        Args:
            retention_days: the period (days; None: the store's ``retention_days``).
            now: the time to count back from (None: now, UTC).
            dry_run: only say whom.

        Returns:
            The ids of the candidates erased (or, with ``dry_run``, due).
        """
        return privacy.purge(self, retention_days if retention_days is not None else self.retention_days, now, dry_run)


def open_store(settings: Any = None, url: str | None = None, recover: bool = False, *,
               read_only: bool = False) -> Store:
    """The store for these settings (``url`` overrides the settings' database URL).

    ``recover=True`` runs ``Store.recover()`` at once (what a workstation does when it starts).
    The thresholds file of the settings is the one in force for ``verify``; its content is
    recorded in ``thresholds_versions`` (once per digest) so that verdicts made under it still
    verify after it changes. ``read_only=True`` opens without writing anything (see ``Store``).

    Args:
        settings: the settings (None: ``config.load_settings()``).
        url: the database URL (None: ``db_url`` of the settings, ``$TYPINGTEST_DB``, or SQLite
            in the results folder).
        recover: store unfinished attempts from the journals at once.
        read_only: open without writing anything.

    Returns:
        The open ``Store`` (a context manager that closes it).
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
        # a database this user may only read (an analysis login) keeps no new version: reading
        # goes on, and verify compares with the file in force and the versions recorded
        with contextlib.suppress(StoreError), store._errors("record the thresholds in force"), \
                store.engine.begin() as conn:
            record_thresholds(conn, store.thresholds_file)
    if recover:
        store.recover()
    return store

