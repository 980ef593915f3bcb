"""Recovery: store every unfinished attempt found in the journals (``typingtest recover``).

Each journal is handled alone: whatever is wrong with one (damage, a malformed header, a
record that does not authenticate, a bug) is reported for that journal and the others are
recovered all the same. A journal is deleted only after its events are in the database and
read back equal. One that cannot be read whole, or not trusted, is moved to
``journal/damaged/`` with a report beside it (``<name>.txt``: reason, byte ranges unread),
after its readable events are stored where they can be trusted.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from filelock import Timeout
from sqlalchemy import and_, select

from typingtest.engine.scoring import attempt_figures
from typingtest.errors import UserError
from typingtest.fileperms import private_dir, private_file
from typingtest.formats import journal as jfmt
from typingtest.ids import inside
from typingtest.store import schema as S
from typingtest.store.base import journal_lock, jsonable, parse_time, remove_journal
from typingtest.store.recorder import logs_equal

if TYPE_CHECKING:
    from typingtest.store.store import Store

__all__ = ["DAMAGED_DIR", "KEPT_STATUSES", "RecoveryResult", "recover"]

#: The folder (under the journal folder) damaged journals are moved to, each with a report.
DAMAGED_DIR = "damaged"
#: Statuses of journals that were not removed: ``typingtest recover`` exits 1 when any occurs.
KEPT_STATUSES = ("damaged", "unreadable", "orphan", "no-key", "failed")


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
class _Outcome:
    """What to report for one journal and what to do with its file afterwards."""

    status: str
    attempt_id: str | None = None
    n_events: int = 0
    torn: bool = False
    message: str = ""
    #: "delete", "keep" (leave in place) or "damaged" (move to ``journal/damaged/``)
    action: str = "keep"
    reason: str = ""
    bad_ranges: list[tuple[int, int]] = field(default_factory=list)
    total_bytes: int = 0


def recover(store: Store) -> list[RecoveryResult]:
    """Store every unfinished attempt found in the journals; never touches one still being written.

    An attempt whose journal holds a finish record (the database was down at the end) is
    stored as it finished; any other is stored ``interrupted``, with the metrics the engine
    computes from the restored events and no verdicts, and its session is marked interrupted.
    Statuses: recovered, stored-finished, already-stored, empty (journal removed); in-use,
    orphan, no-key, failed (left in place); damaged (moved to ``journal/damaged/``).
    """
    results: list[RecoveryResult] = []
    for path in store.journals():
        lock = journal_lock(path)
        try:
            lock.acquire()
        except Timeout:
            results.append(RecoveryResult(path, path.stem, "in-use", message="an attempt is running"))
            continue
        except OSError as exc:
            results.append(RecoveryResult(path, path.stem, "failed", message=f"cannot lock: {exc}"))
            continue
        try:
            try:
                path.open("rb").close()
            except FileNotFoundError:  # stored and removed by its recorder a moment ago
                out = _Outcome("gone", action="delete")
            except OSError as exc:
                out = _Outcome("failed", path.stem, message=f"cannot open: {exc}", action="keep")
            else:
                out = _recover(store, path)
        finally:
            lock.release()
        if out.status == "gone":
            remove_journal(store.journal_dir, path, lock_only=True)
            continue
        where = path
        if out.action == "delete":
            remove_journal(store.journal_dir, path)
        elif out.action == "damaged":
            try:
                where = _move_to_damaged(store, path, out)
            except (OSError, UserError) as exc:
                out.message = f"{out.message}; could not move it to {DAMAGED_DIR}/ ({exc}): left in place".lstrip("; ")
            else:
                remove_journal(store.journal_dir, path, lock_only=True)
                kept = f"journal kept in {DAMAGED_DIR}/{where.name} ({out.reason})"
                out.message = f"{out.message}; {kept}" if out.message else kept
            with contextlib.suppress(UserError):
                store.audit("journal-damaged", "attempt", out.attempt_id or path.stem,
                            {"kept": f"{DAMAGED_DIR}/{where.name}", "reason": out.reason[:200],
                             "unread_bytes": [list(r) for r in out.bad_ranges][:20]})
        results.append(RecoveryResult(where, out.attempt_id, out.status, out.n_events, out.torn, out.message))
    return results


def _recover(store: Store, path: Path) -> _Outcome:
    """``_recover_one``, with whatever goes wrong kept to this journal."""
    try:
        return _recover_one(store, path)
    except UserError as exc:  # the database refused (down, busy): the journal may be fine
        return _Outcome("failed", path.stem, message=f"{exc}; journal left in place", action="keep")
    except Exception as exc:  # one bad journal must not stop the others
        return _Outcome("damaged", None, reason=_one_line(f"{type(exc).__name__}: {exc}"), action="damaged")


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _move_to_damaged(store: Store, path: Path, out: _Outcome) -> Path:
    """Move a journal to ``journal/damaged/`` (never over another) and write its report beside it."""
    folder = private_dir(inside(store.journal_dir, store.journal_dir / DAMAGED_DIR))
    source = inside(store.journal_dir, path)
    target = folder / path.name
    n = 1
    while target.exists():
        target = folder / f"{path.stem}.{n}{path.suffix}"
        n += 1
    target = inside(store.journal_dir, target)
    try:
        os.link(source, target)  # no-clobber; then drop the old name
        source.unlink()
    except OSError:
        os.replace(source, target)  # file systems without hard links (FAT on a USB stick)
    ranges = ", ".join(f"{a}-{b}" for a, b in out.bad_ranges) or "none"
    report = target.with_name(target.name + ".txt")
    report.write_text(
        f"journal: {path.name}\n"
        f"attempt: {out.attempt_id or 'unknown (header unreadable)'}\n"
        f"reason: {out.reason}\n"
        f"bytes: {out.total_bytes}\n"
        f"unread byte ranges [start-end): {ranges}\n"
        f"stored: {out.message or 'nothing'}\n", encoding="utf-8")
    private_file(report)
    return target


def _header_problem(header: Mapping[str, Any]) -> str | None:
    """Why a header cannot name an attempt (one short phrase), or None."""
    for name in ("attempt_id", "session_id", "candidate_id", "task"):
        value = header.get(name)
        if not isinstance(value, str) or not value.strip():
            return f"header: {name} missing or not text"
    if header.get("item") is not None and not isinstance(header.get("item"), str):
        return "header: item not text"
    if not isinstance(header.get("practice", False), bool):
        return "header: practice not true/false"
    if not isinstance(header.get("meta") or {}, dict):
        return "header: meta not an object"
    try:
        if parse_time(header.get("started_at")) is None:
            return "header: started_at missing"
    except (ValueError, TypeError, OverflowError):
        return f"header: started_at {str(header.get('started_at'))[:40]!r} is not a time"
    return None


def _finish_problem(finish: Mapping[str, Any]) -> str | None:
    """Why a finish record cannot be stored as it is, or None."""
    if not isinstance(finish.get("state"), str):
        return "finish record: state missing"
    for name, kind in (("metrics", dict), ("verdicts", list), ("actions", list)):
        if finish.get(name) is not None and not isinstance(finish.get(name), kind):
            return f"finish record: {name} has the wrong type"
    if not isinstance(finish.get("format", "npz"), str):
        return "finish record: format not text"
    try:
        parse_time(finish.get("ended_at"))
    except (ValueError, TypeError, OverflowError):
        return "finish record: ended_at is not a time"
    return None


def _recover_one(store: Store, path: Path) -> _Outcome:
    try:
        content = jfmt.read_journal(path, keyring=store.key)
    except jfmt.JournalError:
        size = path.stat().st_size
        return _Outcome("damaged", reason="not a typingtest journal (bad magic)", action="damaged",
                        bad_ranges=[(0, size)], total_bytes=size)
    out = _Outcome("damaged", None, len(content.events), content.torn, action="damaged",
                   bad_ranges=list(content.bad_ranges), total_bytes=content.total_bytes)
    damage = "; ".join(content.notes[:3]) + (f" (+{len(content.notes) - 3} more)" if len(content.notes) > 3 else "")
    header = content.header
    if content.authenticated is False:  # a forged or moved record: nothing of it is stored
        out.n_events = 0
        out.attempt_id = str(header.get("attempt_id")) if header else None
        out.reason = f"not stored: {content.auth_problem}"
        return out
    if header is None:
        if not content.damaged and not len(content.events) and content.finish is None:
            return _Outcome("empty", message="torn before its header: no events", action="delete")
        out.reason = f"header unreadable, {len(content.events)} events readable but not stored; {damage}"
        return out
    problem = _header_problem(header)
    if problem is not None:
        out.reason = problem
        return out
    aid = str(header["attempt_id"])
    out.attempt_id = aid
    if content.version >= 2 and content.authenticated is not True:
        if content.auth_problem and "does not hold" in content.auth_problem:
            return _Outcome("no-key", aid, len(content.events), content.torn,
                            f"{content.auth_problem} (key {header.get('journal_key')}): add the centre key's line "
                            f"to {store.key_file}; journal left in place", action="keep")
        out.reason = f"not stored: {content.auth_problem or 'records not authenticated'}"
        out.n_events = 0
        return out
    authenticated = content.version >= 2
    finish = content.finish
    if finish is not None and (fp := _finish_problem(finish)) is not None:
        out.reason = fp
        return out
    if finish is not None and content.finish_blob is not None:
        fmt = str(finish.get("format", "npz"))
        try:
            log = store.log_codec.decode(fmt, content.finish_blob)
        except Exception as exc:  # any decoder failure (a UserError too) is a bad blob
            out.reason = _one_line(f"finish record: bad event blob ({type(exc).__name__}: {exc})")
            return out
        blob = content.finish_blob
    else:
        log = content.events
        fmt, blob = store.log_codec.encode(log)
    with store._errors("recover an attempt"), store.engine.connect() as conn:
        stored = conn.execute(select(S.attempts.c.attempt_id).where(S.attempts.c.attempt_id == aid)).scalar()
        session_cid = conn.execute(select(S.sessions.c.candidate_id)
                                   .where(S.sessions.c.session_id == header["session_id"])).scalar()
    if stored is not None:
        held = store.events(aid)
        # every event the journal holds is in the database: the same log (finish record) or, for
        # a journal without one, the first events of the stored log
        same = logs_equal(held, log) if finish is not None else (len(held) >= len(log)
                                                                  and logs_equal(held[: len(log)], log))
        if not same:
            out.reason = "stored before, but the stored events differ from the journal's"
            return out
        if content.damaged:
            out.status, out.n_events = "damaged", len(log)
            out.reason = f"stored before (events equal); {damage}"
            return out
        return _Outcome("already-stored", aid, len(log), content.torn, "stored before; journal removed",
                        action="delete")
    if session_cid is None:
        with store._errors("recover an attempt"), store.engine.begin() as conn:
            dropped = store._drop_for_erasure(conn, str(header["candidate_id"]))
        if dropped:
            # the candidate was erased while this attempt ran: it is dropped into the tombstone, and
            # the journal (personal data) goes with it
            return _Outcome("dropped-erased", aid, len(log), content.torn,
                            "its candidate was erased meanwhile; nothing stored, journal removed", action="delete")
        return _Outcome("orphan", aid, len(log), content.torn,
                        "its session is not in this database (another --db?); journal left in place", action="keep")
    if session_cid != header["candidate_id"]:
        out.reason = "header names another candidate than its session's; not stored"
        return out
    header = dict(header)
    meta = dict(header.get("meta") or {})
    recovery: dict[str, Any] = {"authenticated": authenticated}
    if content.torn:
        recovery.update(torn=True, journal_bytes=content.total_bytes, dropped_bytes=content.unread_bytes,
                        unread=[list(r) for r in content.bad_ranges], notes=content.notes[:20])
    if finish is not None and content.finish_blob is not None:
        if not authenticated or content.torn:
            meta["recovery"] = recovery
            header["meta"] = meta
        store.store_attempt(header, log, blob, fmt, dict(finish), stored_by="recovery")
        store.audit("recovered", "attempt", aid, {"from": "finish record", "n_events": len(log),
                                                  "authenticated": authenticated})
        status, message = "stored-finished", "finished while the database was unreachable; stored as finished"
    else:
        metrics = jsonable(attempt_figures(header.get("task"), meta, log) or {})
        recovery.setdefault("torn", content.torn)
        recovery.setdefault("journal_bytes", content.total_bytes)
        recovery.setdefault("dropped_bytes", content.unread_bytes)
        recovery.setdefault("notes", content.notes[:20])
        meta["recovery"] = recovery
        header["meta"] = meta
        started = parse_time(header["started_at"])
        last_t = float(log["t"][-1]) if len(log) else 0.0
        ended = started + timedelta(seconds=last_t) if started and np.isfinite(last_t) else started
        final = {"state": "interrupted", "ended_at": ended.isoformat() if ended else None, "metrics": metrics,
                 "verdicts": [], "actions": None}
        store.store_attempt(header, log, blob, fmt, final, stored_by="recovery")
        key = store.key  # before the transaction (SQLite: one writer)
        with store._errors("recover an attempt"), store.engine.begin() as conn:
            running = conn.execute(select(S.sessions.c.session_id).where(and_(
                S.sessions.c.session_id == header["session_id"], S.sessions.c.state == "running"))).scalar()
            if running is not None:  # interrupted, and signed again as such
                store._sign_session(conn, header["session_id"], key, state="interrupted")
            store.audit("recovered", "attempt", aid, {"n_events": len(log), "torn": content.torn,
                                                      "authenticated": authenticated}, conn=conn)
        status, message = "recovered", f"stored as interrupted with {len(log)} events"
    if not authenticated:
        message += "; an old TTJOURN1 journal: records not authenticated (meta recovery.authenticated = false)"
    if not logs_equal(store.events(aid), log):
        out.status, out.n_events, out.message = "damaged", len(log), message
        out.reason = "the stored events read back differ from the journal's"
        return out
    if content.damaged:
        out.status, out.n_events, out.message = "damaged", len(log), message
        out.reason = damage
        return out
    return _Outcome(status, aid, len(log), content.torn, message, action="delete")
