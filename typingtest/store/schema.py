"""The results database schema (SQLAlchemy Core) and its migrations.

One schema for SQLite and PostgreSQL. Ids are text: candidate ids are the centre's
pseudonyms; session and attempt ids are UUIDs made on the workstation, so attempts written
by twenty workstations, or recovered from a journal later, never collide.

Personal data is kept apart: ``candidates`` holds only the pseudonymous id and the cohort;
names and contact details, when a centre records them at all, go in ``candidate_contacts``.

Migrations: ``schema_version`` holds one row per applied migration; ``migrate`` applies the
missing ones in order inside one transaction (on PostgreSQL under an advisory lock, on
SQLite under ``BEGIN IMMEDIATE``), so twenty workstations opening a fresh database at once
create it exactly once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    inspect,
    select,
    text,
)
from sqlalchemy import func as sql_func

__all__ = [
    "SCHEMA_VERSION",
    "attempt_events",
    "attempts",
    "audit_log",
    "candidate_contacts",
    "candidates",
    "consents",
    "erasures",
    "metadata",
    "migrate",
    "overrides",
    "proctor_codes",
    "registrations",
    "schema_version",
    "sessions",
    "signing_keys",
    "signing_start",
    "thresholds_versions",
    "workstation_commands",
    "workstation_heartbeats",
    "written_file_candidates",
    "written_files",
]

metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", DateTime(timezone=True), nullable=False),
    Column("description", Text, nullable=False),
)

candidates = Table(
    "candidates",
    metadata,
    Column("candidate_id", String(128), primary_key=True),
    Column("cohort", String(128), nullable=True, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    #: over the id, cohort and creation time (see integrity.py); v2
    Column("signature", String(200), nullable=True),
)

candidate_contacts = Table(
    "candidate_contacts",
    metadata,
    Column("candidate_id", String(128), ForeignKey("candidates.candidate_id", ondelete="CASCADE"), primary_key=True),
    Column("name", Text, nullable=True),
    Column("email", Text, nullable=True),
    Column("phone", Text, nullable=True),
    Column("notes", Text, nullable=True),
)

consents = Table(
    "consents",
    metadata,
    Column("consent_id", Integer, primary_key=True, autoincrement=True),
    Column("candidate_id", String(128), ForeignKey("candidates.candidate_id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("text_version", String(128), nullable=False),
    Column("given_at", DateTime(timezone=True), nullable=False),
    Column("workstation", String(255), nullable=True),
)

sessions = Table(
    "sessions",
    metadata,
    Column("session_id", String(64), primary_key=True),
    Column("candidate_id", String(128), ForeignKey("candidates.candidate_id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("battery", String(255), nullable=False),
    Column("battery_hash", String(128), nullable=True),
    Column("content_version", String(128), nullable=True),
    Column("workstation", String(255), nullable=True),
    Column("language", String(16), nullable=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True), nullable=True),
    #: running, complete, interrupted, abandoned ...
    Column("state", String(32), nullable=False),
    #: attempts stored in the session when it ended (signed with the row: a deleted attempt shows)
    Column("n_attempts", Integer, nullable=True),
    #: "hmac-sha256:<key id>:<hex>" over the session row (see integrity.py); v2
    Column("signature", String(200), nullable=True),
)

attempts = Table(
    "attempts",
    metadata,
    Column("attempt_id", String(64), primary_key=True),
    Column("session_id", String(64), ForeignKey("sessions.session_id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("task", String(64), nullable=False),
    Column("item", String(128), nullable=True),
    Column("practice", Boolean, nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True), nullable=True),
    #: complete, interrupted, abandoned, ...
    Column("state", String(32), nullable=False),
    Column("transcribed", Text, nullable=True),
    #: canonical JSON text (sorted keys, no spaces), signed as stored: see signing.py
    Column("meta", Text, nullable=False),
    Column("metrics", Text, nullable=False),
    Column("verdicts", Text, nullable=False),
    Column("actions", Text, nullable=False),
    Column("n_events", Integer, nullable=False),
    Column("events_sha256", String(64), nullable=False),
    #: "hmac-sha256:<key id>:<hex digest>" over the events and the metadata (see signing.py).
    Column("signature", String(200), nullable=True),
    Column("stored_at", DateTime(timezone=True), nullable=False),
    #: How it reached the database: "finish" or "recovery".
    Column("stored_by", String(32), nullable=False),
)
Index("ix_attempts_task_started", attempts.c.task, attempts.c.started_at)

attempt_events = Table(
    "attempt_events",
    metadata,
    Column("attempt_id", String(64), ForeignKey("attempts.attempt_id", ondelete="CASCADE"), primary_key=True),
    #: "eventlog" (typingtest.formats.eventlog) or "npz" (typingtest.formats.journal.log_to_blob).
    Column("format", String(32), nullable=False),
    Column("data", LargeBinary, nullable=False),
)

overrides = Table(
    "overrides",
    metadata,
    Column("override_id", Integer, primary_key=True, autoincrement=True),
    Column("attempt_id", String(64), ForeignKey("attempts.attempt_id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("indicator", String(64), nullable=False),
    Column("passed", Boolean, nullable=False),
    Column("reason", Text, nullable=False),
    Column("assessor", String(255), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    #: over the override row (see integrity.py); v2
    Column("signature", String(200), nullable=True),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("audit_id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(255), nullable=False),
    #: viewed, exported, overrode, erased, purged, recovered, verified, consent ...
    Column("action", String(64), nullable=False),
    Column("object_type", String(64), nullable=False),
    Column("object_id", String(255), nullable=True),
    Column("details", JSON, nullable=True),
    #: hash chain: HMAC over the previous entry's chain value and this entry (see integrity.py); v2
    Column("chain", String(200), nullable=True),
)

#: Erasure jobs (tombstones): written first, then each step, so a second run finishes a killed
#: one and an attempt still running elsewhere is dropped when it finishes. The candidate is
#: named only by a keyed digest (HMAC of the id with the centre key), never by the id.
erasures = Table(
    "erasures",
    metadata,
    Column("erasure_id", Integer, primary_key=True, autoincrement=True),
    Column("candidate_digest", String(64), nullable=False, index=True),
    #: running, done
    Column("state", String(32), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    #: JSON text: the steps done so far and the files touched (paths, no personal data)
    Column("steps", Text, nullable=True),
)

#: The manifest of files the project wrote (exports, reports, charts) and whom they hold, so
#: erasure can find and rewrite or remove each one.
written_files = Table(
    "written_files",
    metadata,
    Column("file_id", Integer, primary_key=True, autoincrement=True),
    Column("path", Text, nullable=False),
    #: csv, xlsx, parquet, pdf, html, json, png, svg ...
    Column("format", String(16), nullable=False),
    #: export, candidate-export, report, compare, progress ...
    Column("purpose", String(64), nullable=False),
    Column("written_at", DateTime(timezone=True), nullable=False),
)

written_file_candidates = Table(
    "written_file_candidates",
    metadata,
    Column("file_id", Integer, ForeignKey("written_files.file_id", ondelete="CASCADE"), primary_key=True),
    Column("candidate_id", String(128), primary_key=True, index=True),
)

#: Every thresholds file in force when a verdict was made (``verify`` re-judges against these).
thresholds_versions = Table(
    "thresholds_versions",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("content", Text, nullable=False),
    Column("first_used_at", DateTime(timezone=True), nullable=False),
)

#: At most one running session per candidate and battery (v3): two workstations cannot run the
#: same candidate at once, whatever the timing (the insert of the second one fails).
Index("ux_sessions_running", sessions.c.candidate_id, sessions.c.battery, unique=True,
      sqlite_where=sessions.c.state == "running", postgresql_where=sessions.c.state == "running")

#: The centre's signing key ids (v3): the first workstation without a key file makes the key and
#: records its id here under a lock; any other workstation without a key file is then refused
#: (copy the centre's key file) instead of making a key of its own.
signing_keys = Table(
    "signing_keys",
    metadata,
    Column("key_id", String(16), primary_key=True),
    Column("first_used_at", DateTime(timezone=True), nullable=False),
    Column("workstation", String(255), nullable=True),
)

#: When row signatures began (v3), and how many rows of each table were there unsigned then:
#: ``verify`` calls an unsigned row older than that "not signed (made before signing)", and
#: flags more such rows than were counted (added or backdated later).
signing_start = Table(
    "signing_start",
    metadata,
    Column("table_name", String(64), primary_key=True),
    Column("unsigned_rows", Integer, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

#: Console accounts (v4): who signs in to the web console, with which role. Passwords are kept
#: only as argon2 hashes (``typingtest.store.accounts``); a disabled account cannot sign in.
console_accounts = Table(
    "console_accounts",
    metadata,
    Column("account_id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(128), nullable=False, unique=True),
    #: admin, recruiter, trainer, proctor
    Column("role", String(16), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)

#: API tokens (v4) of the read-only JSON API: only the SHA-256 of the token is kept; the token is
#: shown once when made. A token acts with its account's role; a revoked one is refused.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("token_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", Integer, ForeignKey("console_accounts.account_id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("name", String(128), nullable=False),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_used_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

#: Console sign-in attempts (v4), for rate limiting per account name and per client address.
signin_attempts = Table(
    "signin_attempts",
    metadata,
    Column("signin_id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("account_name", String(128), nullable=False),
    Column("address", String(64), nullable=False),
    Column("succeeded", Boolean, nullable=False),
)

#: Signed-in console sessions (v4), server-side: the cookie holds a random token, the database
#: its SHA-256, the account, the CSRF token of the session and when it was last used (idle time-out).
console_sessions = Table(
    "console_sessions",
    metadata,
    Column("token_sha256", String(64), primary_key=True),
    Column("account_id", Integer, ForeignKey("console_accounts.account_id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("address", String(64), nullable=True),
)

#: Registrations (v5): a candidate invited for a battery, with an access code the workstation asks
#: for at intake. The registration decides the candidate id, battery, language and accommodations;
#: ``state`` is open, used or cancelled; ``allow_again`` (resume/retake) is set by a proctor (audited).
registrations = Table(
    "registrations",
    metadata,
    Column("registration_id", Integer, primary_key=True, autoincrement=True),
    Column("candidate_id", String(128), nullable=False, index=True),
    #: short code read aloud (no 0/O/1/I); unique among open registrations (checked by the store)
    Column("access_code", String(16), nullable=False, index=True),
    Column("battery", String(255), nullable=False),
    Column("cohort", String(255), nullable=True),
    Column("language", String(16), nullable=True),
    #: accommodations: extra-time factor (1 = none), font scale, high contrast, headset check skipped
    Column("extra_time", Float, nullable=False, default=1.0),
    Column("font_scale", Float, nullable=False, default=1.0),
    Column("high_contrast", Boolean, nullable=False, default=False),
    Column("skip_headset_reason", Text, nullable=True),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(128), nullable=True),
    Column("state", String(16), nullable=False, default="open"),
    Column("used_at", DateTime(timezone=True), nullable=True),
    Column("session_id", String(64), nullable=True),
    #: "resume" or "retake" once a proctor allows a used code to start again; cleared when used
    Column("allow_again", String(16), nullable=True),
    Column("allowed_by", String(128), nullable=True),
)

#: The live room (v5): the last heartbeat of each workstation (one row per workstation, replaced
#: every few seconds): who is at it, which task, time left, state, incidents since the last beat.
workstation_heartbeats = Table(
    "workstation_heartbeats",
    metadata,
    Column("workstation", String(255), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("session_id", String(64), nullable=True),
    Column("candidate_id", String(128), nullable=True),
    Column("battery", String(255), nullable=True),
    Column("task", String(255), nullable=True),
    Column("time_left_s", Float, nullable=True),
    #: idle, intake, instructions, running, paused, finished, interrupted
    Column("state", String(32), nullable=False),
    Column("incidents", JSON, nullable=True),
)

#: Remote proctoring (v5): commands from the console's room page to one workstation (pause,
#: resume, end, no-audio, extra-time), polled by the workstation off the UI thread and acknowledged.
workstation_commands = Table(
    "workstation_commands",
    metadata,
    Column("command_id", Integer, primary_key=True, autoincrement=True),
    Column("workstation", String(255), nullable=False, index=True),
    Column("session_id", String(64), nullable=True),
    Column("command", String(32), nullable=False),
    Column("argument", JSON, nullable=True),
    Column("reason", Text, nullable=False),
    Column("issued_by", String(128), nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("acked_at", DateTime(timezone=True), nullable=True),
    Column("ack_result", Text, nullable=True),
)

#: One-time proctor codes (v5) shown in the console to a proctor account: the workstation's local
#: proctor overlay accepts one instead of a shared code. Only the SHA-256 is kept.
proctor_codes = Table(
    "proctor_codes",
    metadata,
    Column("code_sha256", String(64), primary_key=True),
    Column("account_id", Integer, ForeignKey("console_accounts.account_id", ondelete="CASCADE"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=True),
    Column("workstation", String(255), nullable=True),
)

#: Tables in the order a candidate's data is deleted (children first).
CANDIDATE_TABLES = ("attempt_events", "overrides", "attempts", "workstation_commands", "workstation_heartbeats",
                    "registrations", "sessions", "consents", "candidate_contacts",
                    "candidates")


def _v1(conn: Connection) -> None:
    for table in metadata.sorted_tables:
        if table.name != "schema_version":
            table.create(conn, checkfirst=True)


_V2_COLUMNS = (
    ("candidates", "signature", "VARCHAR(200)"),
    ("sessions", "n_attempts", "INTEGER"),
    ("sessions", "signature", "VARCHAR(200)"),
    ("overrides", "signature", "VARCHAR(200)"),
    ("audit_log", "chain", "VARCHAR(200)"),
)


def _v2(conn: Connection) -> None:
    # a database made by v1 gets the new columns; a fresh one already has them (v1 creates from metadata)
    for table_name, column, sql_type in _V2_COLUMNS:
        have = {c["name"] for c in inspect(conn).get_columns(table_name)}
        if column not in have:
            conn.execute(text(f"ALTER TABLE {table_name} ADD COLUMN {column} {sql_type}"))
    for table in (erasures, written_files, written_file_candidates, thresholds_versions):
        table.create(conn, checkfirst=True)


#: the tables whose rows are signed (audit_log: chained), with the column the signing start is judged by
SIGNED_ROW_TABLES = (("candidates", "signature", "created_at"), ("sessions", "signature", "started_at"),
                     ("overrides", "signature", "at"), ("audit_log", "chain", "at"))


def _v3(conn: Connection) -> None:
    now = datetime.now(UTC)
    # older duplicate running sessions of one candidate and battery: keep the newest running
    rows = conn.execute(select(sessions.c.session_id, sessions.c.candidate_id, sessions.c.battery)
                        .where(sessions.c.state == "running")
                        .order_by(sessions.c.candidate_id, sessions.c.battery, sessions.c.started_at.desc(),
                                  sessions.c.session_id.desc())).all()
    seen: set[tuple[str, str]] = set()
    for session_id, candidate_id, battery in rows:
        if (candidate_id, battery) in seen:
            conn.execute(sessions.update().where(sessions.c.session_id == session_id)
                         .values(state="abandoned", ended_at=now))
        seen.add((candidate_id, battery))
    for table in (signing_keys, signing_start):
        table.create(conn, checkfirst=True)
    for index in sessions.indexes:
        if index.name == "ux_sessions_running":
            index.create(conn, checkfirst=True)
    have = set(conn.execute(select(signing_start.c.table_name)).scalars())
    for table_name, column, _ in SIGNED_ROW_TABLES:
        if table_name in have:
            continue
        t = metadata.tables[table_name]
        n = conn.execute(select(sql_func.count()).select_from(t).where(t.c[column].is_(None))).scalar() or 0
        conn.execute(signing_start.insert().values(table_name=table_name, unsigned_rows=int(n), at=now))


def _v4(conn: Connection) -> None:
    for table in (console_accounts, api_tokens, signin_attempts, console_sessions):
        table.create(conn, checkfirst=True)


def _v5(conn: Connection) -> None:
    for table in (registrations, workstation_heartbeats, workstation_commands, proctor_codes):
        table.create(conn, checkfirst=True)


#: (version, description, function) in order; append, never edit a released one.
MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "candidates, contacts, consents, sessions, attempts, events, overrides, audit log", _v1),
    (2, "signatures on candidates, sessions, overrides; audit hash chain; erasure jobs; written-file manifest; "
        "thresholds versions", _v2),
    (3, "one running session per candidate and battery; the centre's key ids; when row signing began", _v3),
    (4, "console accounts, API tokens (hashed), sign-in attempts, console sessions", _v4),
    (5, "registrations with access codes and accommodations; workstation heartbeats and commands; "
        "one-time proctor codes", _v5),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


class NewerSchemaError(Exception):
    """The database was made by a newer typingtest."""


def migrate(conn: Connection) -> list[int]:
    """Apply the missing migrations inside the caller's transaction; return the versions applied."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(7210432)"))
    schema_version.create(conn, checkfirst=True)
    applied = set(conn.execute(select(schema_version.c.version)).scalars())
    if applied and max(applied) > SCHEMA_VERSION:
        raise NewerSchemaError(f"schema version {max(applied)} is newer than this typingtest knows ({SCHEMA_VERSION})")
    done: list[int] = []
    for version, description, func in MIGRATIONS:
        if version in applied:
            continue
        func(conn)
        conn.execute(schema_version.insert().values(version=version, applied_at=datetime.now(UTC),
                                                    description=description))
        done.append(version)
    return done


def has_schema(conn: Connection) -> bool:
    """True when the schema_version table exists."""
    return inspect(conn).has_table("schema_version")


def missing_migrations(conn: Connection) -> list[int]:
    """The versions not applied yet, without applying any (a read-only check); ``NewerSchemaError`` as ``migrate``."""
    applied = set(conn.execute(select(schema_version.c.version)).scalars())
    if applied and max(applied) > SCHEMA_VERSION:
        raise NewerSchemaError(f"schema version {max(applied)} is newer than this typingtest knows ({SCHEMA_VERSION})")
    return [version for version, _, _ in MIGRATIONS if version not in applied]
