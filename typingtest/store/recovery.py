"""Recovery: store every unfinished attempt found in the journals (``typingtest recover``)."""

from __future__ import annotations

import contextlib
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import and_, select, update

from typingtest.formats import journal as jfmt
from typingtest.store import schema as S

if TYPE_CHECKING:
    from typingtest.store.store import RecoveryResult, Store

__all__ = ["recover"]


def recover(store: Store) -> list[RecoveryResult]:
    """Store every unfinished attempt found in the journals; never touches one still being written.

    An attempt whose journal holds a finish record (the database was down at the end) is
    stored as it finished; any other is stored ``interrupted``, with the metrics the engine
    computes from the restored events and no verdicts. Its session is marked interrupted.
    """
    from typingtest.store._filelock import try_lock, unlock
    from typingtest.store.store import RecoveryResult

    results: list[RecoveryResult] = []
    for path in store.journals():
        try:
            fh = open(path, "rb")  # noqa: SIM115
        except FileNotFoundError:
            continue
        try:
            if not try_lock(fh):
                results.append(RecoveryResult(path, path.stem, "in-use", message="an attempt is running"))
                continue
            results.append(_recover_one(store, path))
            unlock(fh)
        finally:
            fh.close()
        if results[-1].status in ("recovered", "stored-finished", "already-stored", "empty"):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    return results

def _recover_one(store: Store, path: Path) -> RecoveryResult:
    from typingtest.store.store import RecoveryResult, _parse_time, compute_metrics

    try:
        content = jfmt.read_journal(path)
    except jfmt.JournalError as e:
        return RecoveryResult(path, None, "unreadable", message=str(e))
    header = content.header
    if header is None:
        return RecoveryResult(path, None, "empty", message="torn before its header: no events")
    aid = header["attempt_id"]
    with store._errors("recover an attempt"), store.engine.connect() as conn:
        if conn.execute(select(S.attempts.c.attempt_id).where(S.attempts.c.attempt_id == aid)).scalar():
            return RecoveryResult(path, aid, "already-stored", message="stored before; journal removed")
        session_ok = conn.execute(select(S.sessions.c.session_id)
                                  .where(S.sessions.c.session_id == header["session_id"])).scalar()
    if session_ok is None:
        return RecoveryResult(path, aid, "orphan", len(content.events), content.torn,
                              "its session is not in this database (another --db?); journal kept")
    header = dict(header)
    if content.finish is not None and content.finish_blob is not None:
        fmt = content.finish.get("format", "npz")
        blob = content.finish_blob
        log = store.log_codec.decode(fmt, blob)
        store.store_attempt(header, log, blob, fmt, content.finish, stored_by="recovery")
        store.audit("recovered", "attempt", aid, {"from": "finish record", "n_events": len(log)})
        return RecoveryResult(path, aid, "stored-finished", len(log), content.torn,
                              "finished while the database was unreachable; stored as finished")
    log = content.events
    meta = dict(header.get("meta") or {})
    metrics = compute_metrics(meta.get("presented"), log, meta.get("target"), meta.get("initial"),
                              header.get("task")) or {}
    meta["recovery"] = {"torn": content.torn, "journal_bytes": content.total_bytes,
                        "dropped_bytes": content.total_bytes - content.valid_bytes, "notes": content.notes}
    header["meta"] = meta
    started = _parse_time(header["started_at"])
    ended = started + timedelta(seconds=float(log["t"][-1])) if len(log) and started else started
    fmt, blob = store.log_codec.encode(log)
    final = {"state": "interrupted", "ended_at": ended.isoformat() if ended else None, "metrics": metrics,
             "verdicts": [], "actions": None}
    store.store_attempt(header, log, blob, fmt, final, stored_by="recovery")
    with store._errors("recover an attempt"), store.engine.begin() as conn:
        conn.execute(update(S.sessions).where(and_(S.sessions.c.session_id == header["session_id"],
                                                   S.sessions.c.state == "running"))
                     .values(state="interrupted"))
        store.audit("recovered", "attempt", aid, {"n_events": len(log), "torn": content.torn}, conn=conn)
    return RecoveryResult(path, aid, "recovered", len(log), content.torn,
                          f"stored as interrupted with {len(log)} events")
