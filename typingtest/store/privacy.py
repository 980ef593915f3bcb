"""Privacy: export and erase everything held about one candidate; retention and purge.

Erasure leaves no readable trace under the results folder:

- the candidate's rows go in one transaction (children first); audit-log rows that named the
  candidate are redacted and one ``erased`` entry is added without the personal data;
- SQLite: ``secure_delete`` is on for every connection (freed pages are zeroed), then
  ``wal_checkpoint(TRUNCATE)``, ``VACUUM`` and a second checkpoint empty the WAL and
  leave no free page; if another workstation holds the database open, the WAL cannot be
  truncated and erasure says so (close the other workstations and run it again);
- PostgreSQL: the rows are deleted and ``VACUUM FULL`` rewrites the affected tables, so no
  dead tuple stays readable in the table files. The server's WAL segments, archived WAL
  and base backups still hold the old rows until they are recycled or expire: set the
  centre's backup retention accordingly (and say so in the privacy notice);
- files: the candidate's journals, their ``exports/<id>`` folder, and any regenerable file
  under ``reports/``, ``exports/`` or ``cache/`` of the results folder that contains the id or
  the name; any other file that still contains them is listed, not deleted.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import delete, func, select, update

from typingtest.errors import UserError
from typingtest.formats import journal as jfmt
from typingtest.store import schema as S
from typingtest.store._filelock import try_lock, unlock

if TYPE_CHECKING:
    from typingtest.store.store import Store

__all__ = ["erase_candidate", "export_candidate", "purge"]

#: Folders of the results folder whose files can be regenerated, so erasure may delete them.
REGENERABLE = ("reports", "exports", "cache")
_SAFE_FILENAME = str.maketrans({c: "_" for c in '<>:"/\\|?*'})


def _rows(conn: Any, query: Any) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(query).mappings()]


def export_candidate(store: Store, candidate_id: str, out_dir: Path | None = None) -> Path:
    """Write ``candidate.json`` (everything but the events) and ``events/<attempt>.csv``; the folder."""
    from typingtest.store.store import jsonable

    cid = store._check_id(candidate_id)
    with store._errors("export a candidate"), store.engine.connect() as conn:
        cand = _rows(conn, select(S.candidates).where(S.candidates.c.candidate_id == cid))
        if not cand:
            raise UserError(f"candidate {cid}: not in {store.display_url}")
        contact = _rows(conn, select(S.candidate_contacts).where(S.candidate_contacts.c.candidate_id == cid))
        consents = _rows(conn, select(S.consents).where(S.consents.c.candidate_id == cid))
        sessions = _rows(conn, select(S.sessions).where(S.sessions.c.candidate_id == cid))
        sids = [s["session_id"] for s in sessions]
        attempts = _rows(conn, select(S.attempts).where(S.attempts.c.session_id.in_(sids))) if sids else []
        for a in attempts:  # JSON texts as the objects they hold
            for name in ("meta", "metrics", "verdicts", "actions"):
                a[name] = json.loads(a[name]) if isinstance(a[name], str) else a[name]
        aids = [a["attempt_id"] for a in attempts]
        overrides = _rows(conn, select(S.overrides).where(S.overrides.c.attempt_id.in_(aids))) if aids else []
        audit = [r for r in _rows(conn, select(S.audit_log)) if _mentions(r, cid, aids, sids)]
    out = Path(out_dir) if out_dir else store.results_dir / "exports" / cid.translate(_SAFE_FILENAME)
    (out / "events").mkdir(parents=True, exist_ok=True)
    for a in attempts:
        log = store.events(a["attempt_id"])
        pd.DataFrame(log).to_csv(out / "events" / f"{a['attempt_id']}.csv", index=False)
    doc = {
        "exported_at": datetime.now(UTC).isoformat(),
        "database": store.display_url,
        "candidate": cand[0],
        "contact": contact[0] if contact else None,
        "consents": consents,
        "sessions": sessions,
        "attempts": attempts,
        "overrides": overrides,
        "audit_log": audit,
        "events": "events/<attempt_id>.csv: one row per event, columns as typingtest.engine.events.EVENT_DTYPE",
    }
    (out / "candidate.json").write_text(json.dumps(jsonable(doc), indent=2, ensure_ascii=False), encoding="utf-8")
    store.audit("exported", "candidate", cid, {"attempts": len(attempts)})
    return out


def _mentions(row: dict[str, Any], cid: str, aids: list[str], sids: list[str]) -> bool:
    if row.get("object_id") in {cid, *aids, *sids}:
        return True
    details = json.dumps(row.get("details") or {}, ensure_ascii=False)
    return cid in details


def _journal_owner(path: Path) -> str | None:
    try:
        header = jfmt.read_journal(path).header
    except (OSError, jfmt.JournalError):
        return None
    return None if header is None else header.get("candidate_id")


def _file_contains(path: Path, needles: list[bytes]) -> bool:
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return any(n in data for n in needles if n)


def _needles(values: list[str]) -> list[bytes]:
    out: list[bytes] = []
    for v in values:
        if v:
            out += [v.encode("utf-8"), v.encode("utf-16-le")]
    return out


def erase_candidate(store: Store, candidate_id: str, *, compact: bool = True) -> dict[str, Any]:
    """Remove every row, journal and regenerable file about one candidate; return what was removed."""
    cid = store._check_id(candidate_id)
    removed: dict[str, Any] = {}
    # running attempts of this candidate on this workstation block the erasure
    journals = []
    for path in store.journals():
        if _journal_owner(path) == cid:
            with open(path, "rb") as fh:
                if not try_lock(fh):
                    raise UserError(f"candidate {cid}: an attempt is still being recorded ({path.name}); "
                                    "end it, then erase")
                unlock(fh)
            journals.append(path)
    with store._errors("erase a candidate"), store.engine.begin() as conn:
        cand = conn.execute(select(S.candidates.c.candidate_id).where(S.candidates.c.candidate_id == cid)).scalar()
        names = [r[0] for r in conn.execute(select(S.candidate_contacts.c.name)
                                            .where(S.candidate_contacts.c.candidate_id == cid)) if r[0]]
        sids = list(conn.execute(select(S.sessions.c.session_id).where(S.sessions.c.candidate_id == cid)).scalars())
        aids = list(conn.execute(select(S.attempts.c.attempt_id).where(S.attempts.c.session_id.in_(sids))).scalars()) \
            if sids else []
        if cand is None and not journals:
            raise UserError(f"candidate {cid}: not in {store.display_url} and no journal of theirs here")
        if aids:
            removed["event_logs"] = conn.execute(delete(S.attempt_events)
                                                 .where(S.attempt_events.c.attempt_id.in_(aids))).rowcount
            removed["overrides"] = conn.execute(delete(S.overrides).where(S.overrides.c.attempt_id.in_(aids))).rowcount
            removed["attempts"] = conn.execute(delete(S.attempts).where(S.attempts.c.attempt_id.in_(aids))).rowcount
        removed["sessions"] = conn.execute(delete(S.sessions).where(S.sessions.c.candidate_id == cid)).rowcount
        removed["consents"] = conn.execute(delete(S.consents).where(S.consents.c.candidate_id == cid)).rowcount
        removed["contact"] = conn.execute(delete(S.candidate_contacts)
                                          .where(S.candidate_contacts.c.candidate_id == cid)).rowcount
        removed["candidate"] = conn.execute(delete(S.candidates).where(S.candidates.c.candidate_id == cid)).rowcount
        # redact audit entries that named the candidate, their sessions or attempts
        redacted = 0
        for row in _rows(conn, select(S.audit_log)):
            if _mentions(row, cid, aids, sids) or any(n in json.dumps(row.get("details") or {}) for n in names):
                conn.execute(update(S.audit_log).where(S.audit_log.c.audit_id == row["audit_id"])
                             .values(object_id="(erased)", details=None))
                redacted += 1
        removed["audit_entries_redacted"] = redacted
        n_erasures = conn.execute(select(func.count()).select_from(S.audit_log)
                                  .where(S.audit_log.c.action == "erased")).scalar() or 0
        removed["erasure_number"] = int(n_erasures) + 1
    # files
    for path in journals:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    removed["journals"] = len(journals)
    files_removed = 0
    export_dir = store.results_dir / "exports" / cid.translate(_SAFE_FILENAME)
    if export_dir.is_dir():
        files_removed += sum(1 for p in export_dir.rglob("*") if p.is_file())
        shutil.rmtree(export_dir)
    needles = _needles([cid, *names])
    remaining: list[str] = []
    db_files = _db_files(store)
    for path in sorted(p for p in store.results_dir.rglob("*") if p.is_file()):
        if path in db_files or path == store.key_file:
            continue
        if _file_contains(path, needles):
            rel = path.relative_to(store.results_dir)
            if rel.parts and rel.parts[0] in REGENERABLE:
                path.unlink()
                files_removed += 1
            else:
                remaining.append(str(rel))
    removed["files"] = files_removed
    removed["files_left"] = len(remaining)
    store.audit("erased", "candidate", f"erasure #{removed['erasure_number']}",
                {k: v for k, v in removed.items() if k != "erasure_number"})
    if compact:
        removed["compaction"] = compact_database(store)
    removed["remaining_files"] = remaining
    return removed


def _db_files(store: Store) -> set[Path]:
    from typingtest.store.store import _sqlite_path

    path = _sqlite_path(store.url)
    if path is None:
        return set()
    return {path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")}


def compact_database(store: Store) -> str:
    """Make deleted rows unreadable in the database files (see the module docstring)."""
    if store.dialect == "sqlite":
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
                    "`typingtest candidate erase` again to finish wiping")
        return "sqlite: secure_delete, wal_checkpoint(TRUNCATE), VACUUM"
    if store.dialect == "postgresql":
        with store.engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            for name in (*S.CANDIDATE_TABLES, "audit_log"):
                conn.exec_driver_sql(f"VACUUM FULL {name}")
        return ("postgresql: VACUUM FULL on the candidate tables; WAL segments and backups keep old rows until "
                "they are recycled or expire")
    return "no compaction for this database"


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
    from typingtest.store.store import _utc

    with store._errors("find candidates past retention"), store.engine.connect() as conn:
        rows = conn.execute(q).all()
    due = []
    for cid, created, latest in rows:
        newest = max(t for t in (_utc(created), _utc(latest)) if t is not None)
        if newest < cutoff:
            due.append(cid)
    if dry_run:
        return due
    for cid in due:
        erase_candidate(store, cid, compact=False)
    if due:
        compact_database(store)
        store.audit("purged", "candidates", None, {"count": len(due), "retention_days": retention_days})
    return due

