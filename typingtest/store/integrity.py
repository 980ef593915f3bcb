"""Integrity of the rows other than attempts: what is signed, and ``check_rows`` that checks it.

What is signed, and with what (HMAC-SHA256 with the centre key, ``signing.SigningKey``):

- attempts: ``SigningKey.sign`` over their fields and the event blob's SHA-256 (``signing.py``);
  ``typingtest.store.verification.verify`` checks them and recomputes their figures;
- candidates (id, cohort, creation time; signed again when the cohort changes), sessions
  (ids, battery, workstation, language, times, state and, from ``end_session``, the number of
  attempts it held) and overrides: ``SigningKey.mac`` over ``canonical_json`` of the row
  (``candidate_message``, ``session_message``, ``override_message``);
- the audit log: a hash chain. Each entry's ``chain`` is ``<content digest>:<mac>``: the
  content digest is the SHA-256 of the canonical JSON of its object id and details, the mac
  covers the previous entry's ``chain``, the entry's time, actor, action, object type and that
  digest. Inserting, changing, reordering or deleting an entry breaks the next one. An entry
  an erasure redacted (object id ``(erased)``, no details) keeps its stored digest.

Rows made before signing began (schema v3; ``schema.signing_start`` holds when, and how many
unsigned rows each table had then) are reported as "not signed (made before ...)", apart from
rows whose signature is missing or wrong, and never fail ``verify``; more such rows than were
counted then fail it (rows added or backdated since).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from typingtest.ids import is_valid_candidate_id
from typingtest.store import schema as S
from typingtest.store.base import required_key
from typingtest.store.signing import SigningKey, canonical_json

if TYPE_CHECKING:
    from typingtest.store.store import Store

__all__ = [
    "NO_KEY",
    "REDACTED",
    "Finding",
    "audit_chain",
    "audit_content_digest",
    "candidate_message",
    "check_rows",
    "override_message",
    "session_message",
]

#: The object id an erasure leaves in the audit entries it redacts (their details become NULL).
REDACTED = "(erased)"
#: The mac part of an audit entry written by a machine without the centre's key.
NO_KEY = "no-key"
SESSION_FIELDS = ("session_id", "candidate_id", "battery", "battery_hash", "content_version", "workstation",
                  "language", "started_at", "ended_at", "state", "n_attempts")
OVERRIDE_FIELDS = ("override_id", "attempt_id", "indicator", "passed", "reason", "assessor", "at")


@dataclass
class Finding:
    """One row (other than an attempt) that ``check_rows`` reports; ``failed`` False: a note only."""

    kind: str  # candidate, session, override, audit
    object_id: str
    problem: str
    failed: bool = True


# --------------------------------------------------------------------------------------------
# the signed messages


def _when(value: Any) -> str | None:
    """A stored time as UTC ISO text with microseconds (naive means UTC: SQLite keeps no zone)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def candidate_message(row: Mapping[str, Any]) -> bytes:
    """What a candidate row's signature covers: id, cohort, creation time."""
    return canonical_json({"row": "candidate", "candidate_id": row["candidate_id"], "cohort": row.get("cohort"),
                           "created_at": _when(row["created_at"])}).encode("utf-8")


def session_message(row: Mapping[str, Any]) -> bytes:
    """What a session row's signature covers (``SESSION_FIELDS``)."""
    fields: dict[str, Any] = {name: row.get(name) for name in SESSION_FIELDS}
    fields["started_at"], fields["ended_at"] = _when(row.get("started_at")), _when(row.get("ended_at"))
    return canonical_json({"row": "session", **fields}).encode("utf-8")


def override_message(row: Mapping[str, Any]) -> bytes:
    """What an override row's signature covers (``OVERRIDE_FIELDS``)."""
    fields: dict[str, Any] = {name: row.get(name) for name in OVERRIDE_FIELDS}
    fields["override_id"], fields["passed"] = int(row["override_id"]), bool(row["passed"])
    fields["at"] = _when(row["at"])
    return canonical_json({"row": "override", **fields}).encode("utf-8")


def audit_content_digest(object_id: str | None, details: Any) -> str:
    """SHA-256 (hex) of an audit entry's object id and details (canonical JSON)."""
    text = canonical_json({"object_id": object_id, "details": details})
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _audit_message(prev: str, row: Mapping[str, Any], content: str) -> bytes:
    return canonical_json({"prev": prev, "at": _when(row["at"]), "actor": row["actor"], "action": row["action"],
                           "object_type": row["object_type"], "content": content}).encode("utf-8")


def audit_chain(key: SigningKey | None, prev: str, row: Mapping[str, Any]) -> str:
    """The ``chain`` value of a new audit entry ``row`` that follows an entry whose chain is ``prev``."""
    content = audit_content_digest(row.get("object_id"), row.get("details"))
    if key is None:
        return f"{content}:{NO_KEY}"
    return f"{content}:{key.mac(_audit_message(prev, row, content))}"


# --------------------------------------------------------------------------------------------
# candidates, sessions, overrides, audit log


def _signing_start(conn: Connection) -> dict[str, tuple[int, datetime]]:
    rows = conn.execute(select(S.signing_start)).mappings()
    return {r["table_name"]: (int(r["unsigned_rows"]), _aware(r["at"])) for r in rows}


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class _Unsigned:
    """Sorts unsigned rows of one table into made-before-signing (a note) and missing (a failure)."""

    def __init__(self, kind: str, start: tuple[int, datetime] | None, out: list[Finding]) -> None:
        self.kind, self.out, self.legacy = kind, out, 0
        self.baseline, self.since = start if start is not None else (0, datetime.max.replace(tzinfo=UTC))

    def add(self, object_id: str, at: Any) -> None:
        if at is not None and _aware(at) < self.since:
            self.legacy += 1
            self.out.append(Finding(self.kind, object_id, f"not signed (made before row signing began here on "
                                    f"{self.since:%Y-%m-%d %H:%M} UTC, schema v3)", failed=False))
        else:
            self.out.append(Finding(self.kind, object_id, "not signed: its signature was removed, or the row was "
                                    "written outside typingtest"))

    def close(self) -> None:
        if self.legacy > self.baseline:
            self.out.append(Finding(self.kind, "*", f"{self.legacy} unsigned {self.kind} row(s) dated before signing "
                                    f"began, but only {self.baseline} existed then: rows were added or backdated"))


def check_rows(store: Store) -> list[Finding]:
    """Candidates, sessions, overrides and the audit chain checked; legacy candidate ids listed.

    Failures: a signature missing (on a row made after signing began) or not matching, a
    session without its candidate, a session holding fewer attempts than its signed count (or
    more, unless the later ones were recovered from journals), a broken audit chain. Notes:
    rows made before signing began, candidate ids that break the id rule (read-only), audit
    entries written without the centre's key.
    """
    key = required_key(store)
    out: list[Finding] = []
    with store._errors("verify rows"), store.engine.connect() as conn:
        start = _signing_start(conn)
        _check_candidates(conn, key, start, out)
        _check_sessions(conn, key, start, out)
        _check_overrides(conn, key, start, out)
        _check_audit(conn, key, start, out)
    return out


def _check_signature(key: SigningKey, message: bytes, signature: str | None) -> str | None:
    problem = key.check_mac(message, signature)
    if problem and problem.startswith("signed with a key"):
        return f"{problem}; add that key's line to {key.path or 'the key file'}"
    return problem


def _check_candidates(conn: Connection, key: SigningKey, start: Mapping[str, Any], out: list[Finding]) -> None:
    unsigned = _Unsigned("candidate", start.get("candidates"), out)
    for r in conn.execute(select(S.candidates).order_by(S.candidates.c.candidate_id)).mappings():
        cid = r["candidate_id"]
        if not is_valid_candidate_id(cid):
            out.append(Finding("candidate", cid, "legacy id: read-only (it breaks the candidate-id rule; its data "
                               "can be read, exported and erased, not added to)", failed=False))
        if r["signature"] is None:
            unsigned.add(cid, r["created_at"])
            continue
        problem = _check_signature(key, candidate_message(r), r["signature"])
        if problem:
            out.append(Finding("candidate", cid, problem))
    unsigned.close()


def _check_sessions(conn: Connection, key: SigningKey, start: Mapping[str, Any], out: list[Finding]) -> None:
    s, a = S.sessions, S.attempts
    counts: dict[str, list[Any]] = {}
    for sid, state, stored_by, stored_at in conn.execute(select(a.c.session_id, a.c.state, a.c.stored_by,
                                                                a.c.stored_at)):
        counts.setdefault(sid, []).append((state, stored_by, stored_at))
    q = (select(s, S.candidates.c.candidate_id.label("candidate_found"))
         .outerjoin(S.candidates, S.candidates.c.candidate_id == s.c.candidate_id)
         .order_by(s.c.started_at, s.c.session_id))
    unsigned = _Unsigned("session", start.get("sessions"), out)
    for r in conn.execute(q).mappings():
        sid = r["session_id"]
        held = counts.get(sid, [])
        if r["candidate_found"] is None:
            out.append(Finding("session", sid, f"its candidate {r['candidate_id']} is not in the database"))
        if r["signature"] is None:
            unsigned.add(sid, r["started_at"])
            continue
        problem = _check_signature(key, session_message(r), r["signature"])
        # recovery marks a running session interrupted when it stores an interrupted attempt
        # (signed itself); the session's signature is then the one it had while running
        if (problem and r["state"] == "interrupted" and any(h[0] == "interrupted" for h in held)
                and _check_signature(key, session_message({**r, "state": "running"}), r["signature"]) is None):
            problem = None
        if problem:
            out.append(Finding("session", sid, problem))
            continue
        signed_n = r["n_attempts"]
        if signed_n is None or len(held) == signed_n:
            continue
        if len(held) < signed_n:
            out.append(Finding("session", sid, f"holds {len(held)} attempt(s), {signed_n} when it ended (signed): "
                               "attempts were deleted or moved"))
            continue
        ended = _aware(r["ended_at"]) if r["ended_at"] is not None else None
        late = [h for h in held if ended is not None and _aware(h[2]) > ended]
        if len(held) - len(late) != signed_n or any(h[1] != "recovery" for h in late):
            out.append(Finding("session", sid, f"holds {len(held)} attempt(s), {signed_n} when it ended (signed): "
                               "attempts were added or moved here"))
    unsigned.close()


def _check_overrides(conn: Connection, key: SigningKey, start: Mapping[str, Any], out: list[Finding]) -> None:
    unsigned = _Unsigned("override", start.get("overrides"), out)
    for r in conn.execute(select(S.overrides).order_by(S.overrides.c.override_id)).mappings():
        oid = str(r["override_id"])
        if r["signature"] is None:
            unsigned.add(oid, r["at"])
            continue
        problem = _check_signature(key, override_message(r), r["signature"])
        if problem:
            out.append(Finding("override", oid, problem))
    unsigned.close()


def _check_audit(conn: Connection, key: SigningKey, start: Mapping[str, Any], out: list[Finding]) -> None:
    baseline, since = start.get("audit_log", (0, datetime.max.replace(tzinfo=UTC)))
    prev, legacy, chained = "", 0, False
    for r in conn.execute(select(S.audit_log).order_by(S.audit_log.c.audit_id)).mappings():
        entry = f"#{r['audit_id']} ({r['action']})"
        chain = r["chain"]
        if chain is None:
            if not chained and _aware(r["at"]) < since:
                legacy += 1
            else:
                out.append(Finding("audit", entry, "not chained: inserted after chaining began, or its chain removed"))
            prev = ""
            continue
        chained = True
        content, _, mac = chain.partition(":")
        redacted = r["object_id"] == REDACTED and r["details"] is None
        if not redacted and audit_content_digest(r["object_id"], r["details"]) != content:
            out.append(Finding("audit", entry, "changed: its object or details differ from the chained digest"))
        elif mac == NO_KEY:
            out.append(Finding("audit", entry, "written on a machine without the centre's key: not authenticated",
                               failed=False))
        else:
            problem = _check_signature(key, _audit_message(prev, r, content), mac)
            if problem:
                out.append(Finding("audit", entry, "chain broken: this entry, or the one before it, was inserted, "
                                   f"changed, reordered or deleted ({problem})"))
        prev = chain
    if legacy:
        out.append(Finding("audit", "*", f"{legacy} entries not chained (made before chaining began here on "
                           f"{since:%Y-%m-%d %H:%M} UTC, schema v3)", failed=False))
    if legacy > baseline:
        out.append(Finding("audit", "*", f"{legacy} unchained entries dated before chaining began, but only "
                           f"{baseline} existed then: entries were added or backdated"))


