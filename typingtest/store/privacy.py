"""Privacy: export and erase everything held about one candidate; retention, purge, maintenance.

Erasure is a recorded job, so a killed one is finished by running it again:

1. a tombstone (``erasures`` row, state ``running``, the candidate named only by a keyed
   digest of the id) and the audit entry ``erased`` are written first, in one transaction;
2. ``journals``: the candidate's journals on this workstation are deleted (refused while one
   is being recorded);
3. ``files``: every file of the manifest (``typingtest.store.manifest``) that holds the
   candidate is rewritten without them (CSV, XLSX, Parquet) or deleted (PDF, PNG, SVG,
   HTML ...); their candidate export folder goes; then every other file under the results
   folder is opened as its format and, when it holds the id (as a whole value or token),
   a session/attempt id, the name or the e-mail address, rewritten or deleted if it is under
   ``reports/``, ``exports/``, ``cache/`` or a staging folder, else listed (exit 1);
4. ``rows``: the candidate's rows go in one transaction; audit entries whose ``object_id`` is
   the candidate, one of their sessions or attempts, or whose details hold one of these as
   a whole JSON value (or the name, e-mail) get ``object_id`` "(erased)" and no details
   (their ``chain`` value is left as it is);
5. ``compact`` (SQLite only, one PC): ``secure_delete`` zeroed the freed pages; then
   ``wal_checkpoint(TRUNCATE)``, ``VACUUM``, ``wal_checkpoint(TRUNCATE)``. On PostgreSQL the
   rows are deleted and nothing else runs on the erase path (``VACUUM FULL`` locks the tables
   every workstation writes to): ``typingtest maintenance --vacuum`` does it at a quiet time.

Files come before rows because the rows name what to look for (session and attempt ids,
name, e-mail). Each step is recorded in the tombstone's ``steps`` (counts and paths, with
the candidate's own file or folder name shown as ``<candidate>``). An attempt of the erased
candidate still running elsewhere is dropped when it finishes (``Store.store_attempt``).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import re
import shutil
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import Connection, delete, func, select, update

from typingtest.errors import UserError
from typingtest.fileperms import private_dir
from typingtest.formats import journal as jfmt
from typingtest.ids import candidate_filename, inside, shown
from typingtest.store import schema as S
from typingtest.store.base import check_id, journal_locked_elsewhere, jsonable, remove_journal, sqlite_path, utc
from typingtest.store.manifest import (
    PARTIAL_PREFIX,
    Needles,
    WrittenFile,
    file_format,
    holds,
    publish,
    record_files,
    rewrite_without,
    staged,
)

if TYPE_CHECKING:
    from typingtest.store.signing import SigningKey
    from typingtest.store.store import Store

__all__ = ["candidate_digests", "compact_database", "erase_candidate", "export_candidate", "maintenance", "purge"]

#: Folders of the results folder whose files can be regenerated, so erasure may rewrite or delete them.
REGENERABLE = ("reports", "exports", "cache")
#: The steps of an erasure job, in order.
STEPS = ("journals", "files", "rows", "compact")
#: What the erase report says of a manifest file this computer does not have.
NOT_HERE = "not found on this computer (deleted already, or written on another workstation: delete it there)"
#: A staging folder older than this (seconds) is a killed write; ``maintenance`` removes it.
STALE_PARTIAL_S = 3600.0


def _rows(conn: Any, query: Any) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(query).mappings()]


def _check(store: Store, candidate_id: str) -> str:
    """The id, accepted if valid or already held by a legacy store (reading and erasing only)."""
    return check_id(candidate_id, legacy_ok=True)


def candidate_digests(key: SigningKey, candidate_id: str) -> list[str]:
    """The tombstone digests of a candidate id: HMAC-SHA256 with the ``erasure`` key derived from
    each key of the keyring (the signing key's first), so the tombstone never holds the id."""
    out = [_digest(key.derive("erasure"), candidate_id)]
    for key_id in key.keyring:
        d = _digest(key.derive("erasure", key_id), candidate_id)
        if d not in out:
            out.append(d)
    return out


def _digest(derived: bytes, candidate_id: str) -> str:
    return hmac.new(derived, b"candidate:" + str(candidate_id).encode("utf-8"), hashlib.sha256).hexdigest()


# ---- export -----------------------------------------------------------------------------------


def export_candidate(store: Store, candidate_id: str, out_dir: Path | None = None) -> Path:
    """Write ``candidate.json`` (everything but the events) and ``events/<attempt>.csv``; the folder.

    The files are staged, the audit entry and manifest stored, and only then renamed into
    place: if the database cannot take the audit entry nothing is left on disk.
    """
    cid = _check(store, candidate_id)
    with store._errors("export a candidate"), store.engine.connect() as conn:
        cand = _rows(conn, select(S.candidates).where(S.candidates.c.candidate_id == cid))
        if not cand:
            raise UserError(f"candidate {shown(cid)}: not in {store.display_url}")
        contact = _rows(conn, select(S.candidate_contacts).where(S.candidate_contacts.c.candidate_id == cid))
        consents = _rows(conn, select(S.consents).where(S.consents.c.candidate_id == cid))
        sessions = _rows(conn, select(S.sessions).where(S.sessions.c.candidate_id == cid))
        registrations = _rows(conn, select(S.registrations).where(S.registrations.c.candidate_id == cid))
        sids = [s["session_id"] for s in sessions]
        attempts = _rows(conn, select(S.attempts).where(S.attempts.c.session_id.in_(sids))) if sids else []
        for a in attempts:  # JSON texts as the objects they hold
            for name in ("meta", "metrics", "verdicts", "actions"):
                a[name] = json.loads(a[name]) if isinstance(a[name], str) else a[name]
        aids = [a["attempt_id"] for a in attempts]
        overrides = _rows(conn, select(S.overrides).where(S.overrides.c.attempt_id.in_(aids))) if aids else []
        needles = Needles(frozenset({cid, *aids, *sids}))
        audit = [r for r in _rows(conn, select(S.audit_log)) if _audit_names(r, needles)]
    if out_dir is None:
        exports = private_dir(store.results_dir / "exports")
        folder = exports / candidate_filename(cid)
    else:
        folder = Path(out_dir)
    doc = {
        "exported_at": datetime.now(UTC).isoformat(),
        "database": store.display_url,
        "candidate": cand[0],
        "contact": contact[0] if contact else None,
        "consents": consents,
        "registrations": registrations,
        "sessions": sessions,
        "attempts": attempts,
        "overrides": overrides,
        "audit_log": audit,
        "events": "events/<attempt_id>.csv: one row per event, columns as typingtest.engine.events.EVENT_DTYPE",
    }
    names = [Path("events") / f"{aid}.csv" for aid in aids] + [Path("candidate.json")]
    with staged(folder) as stage:
        (stage / "events").mkdir()
        for aid in aids:
            pd.DataFrame(store.events(aid)).to_csv(stage / "events" / f"{aid}.csv", index=False)
        (stage / "candidate.json").write_text(json.dumps(jsonable(doc), indent=2, ensure_ascii=False),
                                              encoding="utf-8")
        files = [WrittenFile(folder / n, "candidate-export", (cid,)) for n in names]
        record_files(store, files, "exported", "candidate", cid, {"attempts": len(attempts)})
        publish(stage, folder, names)
    return folder


def _audit_names(row: dict[str, Any], needles: Needles) -> bool:
    """True when an audit entry is about the candidate: its object, or a whole value of its details."""
    from typingtest.store.manifest import _json_holds

    if row.get("object_id") in needles.ids:
        return True
    details = row.get("details")
    if isinstance(details, str):
        with contextlib.suppress(ValueError):
            details = json.loads(details)
    return details is not None and _json_holds(details, needles)


# ---- erase ------------------------------------------------------------------------------------


def _journal_owner(path: Path) -> str | None:
    try:
        header = jfmt.read_journal(path).header
    except (OSError, jfmt.JournalError):
        return None
    return None if header is None else header.get("candidate_id")


def _mask(path: Path, root: Path, cid: str) -> str:
    """A path for the report and the tombstone: relative to the results folder, the candidate's id
    (or its file name) shown as ``<candidate>`` wherever it stands between non-alphanumerics
    (``prog-c03/`` too). Over-masking a display path is harmless; the id is never shown."""
    try:
        text = str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        text = str(path)
    for own in sorted({cid, candidate_filename(cid)}, key=len, reverse=True):
        text = re.sub(r"(?<![A-Za-z0-9])" + re.escape(own) + r"(?![A-Za-z0-9])", "<candidate>", text)
    return text


class _Job:
    """One erasure job: its tombstone row, and the steps and files recorded in it."""

    def __init__(self, store: Store, erasure_id: int, steps: dict[str, Any]) -> None:
        self.store = store
        self.erasure_id = erasure_id
        self.steps = steps

    def done(self, step: str) -> bool:
        return step in self.steps.get("done", [])

    def record(self, step: str, counts: dict[str, Any] | None = None, touched: list[tuple[str, str]] | None = None,
               conn: Connection | None = None) -> None:
        """Mark ``step`` done with its counts and files, in the caller's transaction or one of its own."""
        self.steps.setdefault("done", []).append(step)
        self.steps.setdefault("counts", {}).update(counts or {})
        self.steps.setdefault("files", []).extend([list(t) for t in touched or []])
        values = {"steps": json.dumps(self.steps, sort_keys=True)}
        q = update(S.erasures).where(S.erasures.c.erasure_id == self.erasure_id)
        if conn is not None:
            conn.execute(q.values(**values))
            return
        with self.store._errors("record an erasure step"), self.store.engine.begin() as c:
            c.execute(q.values(**values))


def _start_job(store: Store, cid: str, journals: list[Path]) -> tuple[_Job, bool]:
    """The running tombstone of this candidate (resumed: True), or a new one with the ``erased`` entry."""
    digests = candidate_digests(store.key, cid)
    with store._errors("erase a candidate"), store.engine.begin() as conn:
        job = conn.execute(select(S.erasures).where(S.erasures.c.candidate_digest.in_(digests))
                           .where(S.erasures.c.state == "running")).mappings().first()
        if job is not None:
            steps = json.loads(job["steps"] or "{}")
            return _Job(store, int(job["erasure_id"]), steps), True
        held = conn.execute(select(S.candidates.c.candidate_id).where(S.candidates.c.candidate_id == cid)).scalar()
        files = conn.execute(select(func.count()).select_from(S.written_file_candidates)
                             .where(S.written_file_candidates.c.candidate_id == cid)).scalar()
        if held is None and not journals and not files:
            raise UserError(f"candidate {shown(cid)}: not in {store.display_url} and no journal or file of theirs here")
        steps: dict[str, Any] = {"done": [], "counts": {}, "files": [], "dropped_attempts": 0}
        res = conn.execute(S.erasures.insert().values(candidate_digest=digests[0], state="running",
                                                      started_at=datetime.now(UTC), finished_at=None,
                                                      steps=json.dumps(steps, sort_keys=True)))
        erasure_id = int(res.inserted_primary_key[0])
        store.audit("erased", "candidate", f"erasure #{erasure_id}", {"erasure": erasure_id, "state": "started"},
                    conn=conn)
    return _Job(store, erasure_id, steps), False


def erase_candidate(store: Store, candidate_id: str, *, compact: bool = True) -> dict[str, Any]:
    """Remove every row, journal and file about one candidate (see the module docstring).

    Returns counts (``attempts``, ``sessions`` ...), ``touched`` (each file as ``(path, what
    was done)``), ``remaining_files`` (files outside the regenerable folders that still hold
    the candidate: listed, not deleted), ``erasure_number`` and ``compaction``.
    """
    cid = _check(store, candidate_id)
    # running attempts of this candidate on this workstation block the erasure
    journals = []
    for path in store.journals():
        if _journal_owner(path) == cid:
            if journal_locked_elsewhere(path):
                raise UserError(f"candidate {shown(cid)}: an attempt is still being recorded ({path.name}); "
                                "end it, then erase")
            journals.append(path)
    job, resumed = _start_job(store, cid, journals)
    with store._errors("erase a candidate"), store.engine.connect() as conn:
        contact = _rows(conn, select(S.candidate_contacts).where(S.candidate_contacts.c.candidate_id == cid))
        sids = list(conn.execute(select(S.sessions.c.session_id).where(S.sessions.c.candidate_id == cid)).scalars())
        aids = list(conn.execute(select(S.attempts.c.attempt_id).where(S.attempts.c.session_id.in_(sids)))
                    .scalars()) if sids else []
    texts = [str(c[k]) for c in contact for k in ("name", "email", "phone") if c.get(k) and len(str(c[k])) >= 4]
    needles = Needles(frozenset({cid, *aids, *sids}), tuple(dict.fromkeys(texts)))

    if not job.done("journals"):
        for path in journals:
            remove_journal(store.journal_dir, path)
        job.record("journals", {"journals": len(journals)})
    if not job.done("files"):
        touched, remaining = _erase_files(store, cid, needles)
        job.record("files", {"files": sum(1 for _, what in touched if what != NOT_HERE),
                             "files_left": len(remaining), "remaining_files": remaining}, touched)
    if not job.done("rows"):
        with store._errors("erase a candidate"), store.engine.begin() as conn:
            counts = _delete_rows(conn, cid, aids, sids, needles)
            job.record("rows", counts, conn=conn)
    compaction = ("postgresql: rows deleted; run `typingtest maintenance --vacuum` at a quiet time to compact "
                  "the tables; WAL segments and backups keep old rows until they are recycled or expire")
    if store.dialect == "sqlite":
        compaction = compact_database(store) if compact else "sqlite: compaction left to the caller"
    elif store.dialect != "postgresql":
        compaction = "no compaction for this database"
    counts = dict(job.steps.get("counts", {}))
    remaining = list(counts.pop("remaining_files", []))
    with store._errors("finish an erasure"), store.engine.begin() as conn:
        job.steps.setdefault("done", []).append("compact")
        conn.execute(update(S.erasures).where(S.erasures.c.erasure_id == job.erasure_id)
                     .values(state="done", finished_at=datetime.now(UTC),
                             steps=json.dumps(job.steps, sort_keys=True)))
        store.audit("erasure-done", "candidate", f"erasure #{job.erasure_id}", {**counts, "resumed": resumed},
                    conn=conn)
    return {**counts, "touched": [tuple(t) for t in job.steps.get("files", [])], "remaining_files": remaining,
            "erasure_number": job.erasure_id, "resumed": resumed, "compaction": compaction}


def _erase_files(store: Store, cid: str, needles: Needles) -> tuple[list[tuple[str, str]], list[str]]:
    """Rewrite or delete every file holding the candidate; ``(touched, remaining)`` with masked paths."""
    root = store.results_dir
    touched: list[tuple[str, str]] = []
    handled: set[Path] = set()
    wfc = S.written_file_candidates
    holders = (select(wfc.c.file_id, func.count().label("n")).group_by(wfc.c.file_id).subquery())
    with store._errors("read the file manifest"), store.engine.connect() as conn:
        rows = conn.execute(select(S.written_files.c.file_id, S.written_files.c.path, S.written_files.c.format,
                                   holders.c.n)
                            .join(wfc, wfc.c.file_id == S.written_files.c.file_id)
                            .join(holders, holders.c.file_id == S.written_files.c.file_id)
                            .where(wfc.c.candidate_id == cid)).all()
    for file_id, raw_path, fmt, n_holders in rows:
        path = Path(raw_path)
        handled.add(path)
        # a file of this candidate alone goes; one that holds others too is rewritten without them
        what = _rewrite_or_delete(path, fmt, needles, rewrite=n_holders > 1)
        touched.append((_mask(path, root, cid), what))
        with store._errors("update the file manifest"), store.engine.begin() as conn:
            if what.startswith("deleted"):
                conn.execute(delete(wfc).where(wfc.c.file_id == file_id))
                conn.execute(delete(S.written_files).where(S.written_files.c.file_id == file_id))
            else:  # rewritten, or not on this computer: the others' links (and the path) stay
                conn.execute(delete(wfc).where(wfc.c.file_id == file_id).where(wfc.c.candidate_id == cid))
    exports = root / "exports"
    own = exports / candidate_filename(cid)
    if own.is_dir():
        for p in sorted(own.rglob("*")):
            if p.is_file() and p not in handled:
                touched.append((_mask(p, root, cid), "deleted"))
        shutil.rmtree(inside(exports, own))
    remaining: list[str] = []
    skip = {*(p.resolve() for p in _db_files(store)), store.key_file.resolve(), *(p.resolve() for p in handled)}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.resolve() in skip or not holds(path, needles):
            continue
        rel = path.relative_to(root)
        regenerable = (rel.parts and rel.parts[0] in REGENERABLE) or any(
            part.startswith(PARTIAL_PREFIX) for part in rel.parts)
        if regenerable:
            touched.append((_mask(path, root, cid), _rewrite_or_delete(path, file_format(path), needles)))
        else:
            remaining.append(_mask(path, root, cid))
    return touched, remaining


def _rewrite_or_delete(path: Path, fmt: str, needles: Needles, rewrite: bool = True) -> str:
    """Rewrite a table without the candidate (``rewrite``), else delete the file; what was done, in words."""
    if not path.is_file():
        return NOT_HERE
    target = inside(path.parent, path)
    if not rewrite:
        target.unlink()
        return "deleted"
    try:
        removed = rewrite_without(target, needles, fmt)
    except Exception:  # a damaged table: it cannot be rewritten, so it goes
        removed = None
    if removed is not None and not holds(target, needles, fmt):
        return f"rewritten without the candidate ({removed} row(s) removed)"
    target.unlink()
    return "deleted" if removed is None else "deleted (could not be rewritten without the candidate)"


def _delete_rows(conn: Connection, cid: str, aids: list[str], sids: list[str], needles: Needles) -> dict[str, int]:
    """Delete the candidate's rows (children first) and redact the audit entries about them."""
    removed: dict[str, int] = {}
    if aids:
        removed["event_logs"] = conn.execute(delete(S.attempt_events)
                                             .where(S.attempt_events.c.attempt_id.in_(aids))).rowcount
        removed["overrides"] = conn.execute(delete(S.overrides).where(S.overrides.c.attempt_id.in_(aids))).rowcount
        removed["attempts"] = conn.execute(delete(S.attempts).where(S.attempts.c.attempt_id.in_(aids))).rowcount
    if sids:  # the live room: commands to the candidate's sessions, a heartbeat naming them
        removed["room_commands"] = conn.execute(delete(S.workstation_commands)
                                                .where(S.workstation_commands.c.session_id.in_(sids))).rowcount
    removed["heartbeats"] = conn.execute(delete(S.workstation_heartbeats)
                                         .where(S.workstation_heartbeats.c.candidate_id == cid)).rowcount
    removed["registrations"] = conn.execute(delete(S.registrations)
                                            .where(S.registrations.c.candidate_id == cid)).rowcount
    removed["sessions"] = conn.execute(delete(S.sessions).where(S.sessions.c.candidate_id == cid)).rowcount
    removed["consents"] = conn.execute(delete(S.consents).where(S.consents.c.candidate_id == cid)).rowcount
    removed["contact"] = conn.execute(delete(S.candidate_contacts)
                                      .where(S.candidate_contacts.c.candidate_id == cid)).rowcount
    removed["candidate"] = conn.execute(delete(S.candidates).where(S.candidates.c.candidate_id == cid)).rowcount
    conn.execute(delete(S.written_file_candidates).where(S.written_file_candidates.c.candidate_id == cid))
    redacted = []
    for row in _rows(conn, select(S.audit_log.c.audit_id, S.audit_log.c.object_id, S.audit_log.c.details)):
        if _audit_names(row, needles):
            redacted.append(row["audit_id"])
    for chunk in range(0, len(redacted), 500):
        conn.execute(update(S.audit_log).where(S.audit_log.c.audit_id.in_(redacted[chunk : chunk + 500]))
                     .values(object_id="(erased)", details=None))
    removed["audit_entries_redacted"] = len(redacted)
    return removed


def _db_files(store: Store) -> set[Path]:
    path = sqlite_path(store.url)
    if path is None:
        return set()
    return {path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")}


def compact_database(store: Store) -> str:
    """SQLite: make deleted rows unreadable in the database files (checkpoint, VACUUM, checkpoint)."""
    if store.dialect != "sqlite":
        return "no compaction on the erase path for this database (see `typingtest maintenance`)"
    store.engine.dispose()  # our pooled connections would keep the WAL from being truncated
    raw = store.engine.raw_connection()
    try:
        cur = raw.cursor()
        first = cur.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        cur.execute("VACUUM")
        last = cur.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        cur.close()
    finally:
        raw.close()
    store.engine.dispose()
    if (first and first[0]) or (last and last[0]):
        return ("WAL not fully truncated: another workstation has the database open; close it and run "
                "`typingtest maintenance --vacuum` to finish wiping")
    return "sqlite: secure_delete, wal_checkpoint(TRUNCATE), VACUUM"


def maintenance(store: Store, vacuum: bool = False) -> list[str]:
    """Housekeeping at a quiet time; what was done, one line each.

    Removes staging folders of killed writes (older than an hour) under the results folder.
    SQLite: ``wal_checkpoint(TRUNCATE)``; with ``vacuum`` also ``VACUUM``. PostgreSQL:
    ``VACUUM (ANALYZE)`` (does not block writers); with ``vacuum`` ``VACUUM FULL`` of the
    candidate tables, the audit log and the manifest, which rewrites them so no deleted row
    stays readable in the table files, but locks each table while it runs: do it when no
    workstation is recording.
    """
    done: list[str] = []
    stale = 0
    now = time.time()
    if store.results_dir.is_dir():
        for p in sorted(store.results_dir.rglob(f"{PARTIAL_PREFIX}*")):
            with contextlib.suppress(OSError):
                if now - p.stat().st_mtime > STALE_PARTIAL_S:
                    target = inside(p.parent, p)
                    shutil.rmtree(target) if target.is_dir() else target.unlink()
                    stale += 1
    done.append(f"staging folders of killed writes removed: {stale}")
    if store.dialect == "sqlite":
        done.append(compact_database(store) if vacuum else _checkpoint(store))
    elif store.dialect == "postgresql":
        tables = (*S.CANDIDATE_TABLES, "audit_log", "erasures", "written_files", "written_file_candidates")
        with store._errors("run maintenance"), store.engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            for name in tables:
                conn.exec_driver_sql(f"VACUUM {'FULL' if vacuum else '(ANALYZE)'} {name}")
        done.append(f"postgresql: VACUUM {'FULL' if vacuum else '(ANALYZE)'} on {len(tables)} tables; WAL segments "
                    "and backups keep old rows until they are recycled or expire")
    return done


def _checkpoint(store: Store) -> str:
    store.engine.dispose()
    raw = store.engine.raw_connection()
    try:
        busy = raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        raw.close()
    store.engine.dispose()
    return "sqlite: wal_checkpoint(TRUNCATE)" + (" (partial: another process has the database open)"
                                                  if busy and busy[0] else "")


# ---- retention --------------------------------------------------------------------------------


def purge(store: Store, retention_days: int, now: datetime | None = None, dry_run: bool = False) -> list[str]:
    """Erase candidates whose last activity (creation or latest session) is older than ``retention_days``."""
    if retention_days < 0:
        raise UserError(f"retention_days: must be 0 or more, got {retention_days}")
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=retention_days)
    last = func.max(S.sessions.c.started_at)
    q = (select(S.candidates.c.candidate_id, S.candidates.c.created_at, last.label("last"))
         .outerjoin(S.sessions, S.sessions.c.candidate_id == S.candidates.c.candidate_id)
         .group_by(S.candidates.c.candidate_id, S.candidates.c.created_at))
    with store._errors("find candidates past retention"), store.engine.connect() as conn:
        rows = conn.execute(q).all()
    due = []
    for cid, created, latest in rows:
        newest = max(t for t in (utc(created), utc(latest)) if t is not None)
        if newest < cutoff:
            due.append(cid)
    if dry_run:
        return due
    for cid in due:
        erase_candidate(store, cid, compact=False)
    if due:
        if store.dialect == "sqlite":
            compact_database(store)
        store.audit("purged", "candidates", None, {"count": len(due), "retention_days": retention_days})
    return due
