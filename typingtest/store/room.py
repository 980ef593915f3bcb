"""The live room (schema v5): workstation heartbeats, remote proctor commands, one-time proctor codes.

One module for the rules both ends share, so the console's room page and the workstation's
background link (``workstation/room_link.py``) cannot disagree:

- **Heartbeats**: each workstation replaces its one row of ``workstation_heartbeats`` every
  ``heartbeat_interval_s`` seconds (a centre setting, default 2 s): who is at it, which task, the
  task's time left (seconds), the state (``STATES``) and its incidents. A beat carries the incidents
  since the last beat; the row keeps the session's last ``KEPT_INCIDENTS`` of them (a new session
  starts a fresh list), so the room shows them for longer than one beat. A workstation whose last
  beat is older than ``LOST_AFTER_BEATS`` (3) intervals is **lost** (``room_state``).
- **Commands**: the room page issues one (``COMMANDS``: pause, resume, end, no-audio, extra-time)
  with a reason (required) and the account, audited; the workstation polls the ones not yet
  acknowledged (``pending_commands``), applies each at its next frame and acknowledges it with
  ``ok`` or the reason it could not (``ack_command``). A command left without an answer for
  ``COMMAND_TIMEOUT_S`` reads as timed out; a workstation refuses one older than that (``stale``).
- **One-time proctor codes**: a proctor (or admin) account gets an 8-digit code in the console
  (``make_proctor_code``, shown once, valid ``PROCTOR_CODE_TTL_S`` = 10 minutes, only its SHA-256
  kept); the workstation's proctor overlay accepts it once instead of its own code
  (``redeem_proctor_code``). Both audited. The workstation waits a short time for the answer; its
  ``accept`` callback, asked inside the transaction that marks the code used, makes the use of the
  code and the workstation's acceptance one: a workstation that gave up waiting says no, and the
  code stays unused.

All times are UTC; ``now`` is injectable (tests move a fake clock).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, select, update

from typingtest.errors import UserError
from typingtest.store import schema as S
from typingtest.store.base import jsonable, utc
from typingtest.store.base import now as utc_now

if TYPE_CHECKING:
    from typingtest.store.accounts import Account
    from typingtest.store.store import Store

__all__ = [
    "COMMANDS",
    "COMMAND_TIMEOUT_S",
    "DEFAULT_INTERVAL_S",
    "EXTRA_TIME_RANGE_S",
    "FORGET_AFTER_S",
    "KEPT_INCIDENTS",
    "LOST_AFTER_BEATS",
    "PROCTOR_CODE_DIGITS",
    "PROCTOR_CODE_ROLES",
    "PROCTOR_CODE_TTL_S",
    "STATES",
    "Command",
    "Heartbeat",
    "ack_command",
    "check_command",
    "incidents_json",
    "issue_command",
    "list_commands",
    "make_proctor_code",
    "pending_commands",
    "redeem_proctor_code",
    "room_state",
    "stale",
    "write_heartbeat",
]

#: A workstation's states, as its beats say them.
STATES = ("idle", "intake", "instructions", "running", "paused", "finished", "interrupted")
#: A session that ended says so in its last beat and the link stops beating: silence then is no alarm.
ENDED_STATES = ("finished", "interrupted")
#: What the room page may ask of a workstation (``extra-time`` takes ``{"seconds": N}``).
COMMANDS = ("pause", "resume", "end", "no-audio", "extra-time")
#: Seconds between beats unless the settings say otherwise (``Settings.heartbeat_interval_s``).
DEFAULT_INTERVAL_S = 2.0
#: Beats missed before a workstation shows as lost.
LOST_AFTER_BEATS = 3
#: Incidents a heartbeat row keeps (the session's latest).
KEPT_INCIDENTS = 20
#: A workstation silent this long (seconds, 12 hours) is no longer shown in the room (a retired or renamed one).
FORGET_AFTER_S = 12 * 3600.0
#: Seconds after which a command without an acknowledgement reads as timed out (and a workstation
#: that receives it later refuses it as stale rather than pausing a candidate a minute late).
COMMAND_TIMEOUT_S = 30.0
#: Extra time one command may add (seconds): 1 s to 1 hour.
EXTRA_TIME_RANGE_S = (1, 3600)
#: One-time proctor codes: digits, lifetime (seconds), the roles that may have one.
PROCTOR_CODE_DIGITS = 8
PROCTOR_CODE_TTL_S = 600.0
PROCTOR_CODE_ROLES = ("proctor", "admin")


@dataclass(frozen=True)
class Heartbeat:
    """One beat of a workstation: ``time_left_s`` in seconds of task time (None outside a task);
    ``incidents``: those since the last beat, each ``{"t": ISO time, "kind": ..., "detail": ...}``."""

    workstation: str
    state: str
    session_id: str | None = None
    candidate_id: str | None = None
    battery: str | None = None
    task: str | None = None
    time_left_s: float | None = None
    incidents: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Command:
    """One command from the room page to a workstation, with its acknowledgement once given."""

    command_id: int
    workstation: str
    session_id: str | None
    command: str
    argument: dict[str, Any] | None
    reason: str
    issued_by: str
    issued_at: datetime
    acked_at: datetime | None
    ack_result: str | None

    def status(self, now: datetime) -> str:
        """``ok``, ``refused`` (the workstation said why: ``ack_result``), ``pending`` or ``timed-out``."""
        if self.acked_at is not None:
            return "ok" if self.ack_result == "ok" else "refused"
        return "timed-out" if (now - self.issued_at).total_seconds() > COMMAND_TIMEOUT_S else "pending"


def _command(row: Any) -> Command:
    argument = row.argument if isinstance(row.argument, dict) else None
    return Command(int(row.command_id), str(row.workstation), row.session_id, str(row.command), argument,
                   str(row.reason), str(row.issued_by), utc(row.issued_at) or utc_now(), utc(row.acked_at),
                   row.ack_result)


# --------------------------------------------------------------------------------------------
# heartbeats


def write_heartbeat(store: Store, beat: Heartbeat, *, now: datetime | None = None) -> None:
    """Replace the workstation's row with ``beat`` (its incidents added to those the row keeps for the
    same session, at most ``KEPT_INCIDENTS``). One transaction; the caller batches (one write per beat)."""
    if beat.state not in STATES:
        raise ValueError(f"heartbeat state {beat.state!r}: use one of {', '.join(STATES)}")
    at = now or utc_now()
    hb = S.workstation_heartbeats
    with store.engine.begin() as conn:
        row = conn.execute(select(hb.c.session_id, hb.c.incidents).where(hb.c.workstation == beat.workstation)).first()
        kept: list[Any] = []
        if row is not None and row.session_id == beat.session_id and isinstance(row.incidents, list):
            kept = list(row.incidents)
        incidents = (kept + [jsonable(dict(i)) for i in beat.incidents])[-KEPT_INCIDENTS:]
        values = dict(at=at, session_id=beat.session_id, candidate_id=beat.candidate_id, battery=beat.battery,
                      task=beat.task, time_left_s=beat.time_left_s, state=beat.state, incidents=incidents)
        if row is None:
            conn.execute(hb.insert().values(workstation=beat.workstation, **values))
        else:
            conn.execute(update(hb).where(hb.c.workstation == beat.workstation).values(**values))


def room_state(store: Store, *, now: datetime | None = None, interval_s: float = DEFAULT_INTERVAL_S,
               commands_per_workstation: int = 3) -> list[dict[str, Any]]:
    """Every workstation that beat within ``FORGET_AFTER_S``, by name, as the room page shows it: the last
    beat's fields, ``age_s`` (seconds since it), ``lost`` (more than ``LOST_AFTER_BEATS`` intervals ago,
    unless its last beat said the session ended)
    and its latest commands with their status (``Command.status``)."""
    at = now or utc_now()
    hb, wc = S.workstation_heartbeats, S.workstation_commands
    with store.engine.connect() as conn:
        rows = conn.execute(select(hb).where(hb.c.at >= at - timedelta(seconds=FORGET_AFTER_S))
                            .order_by(hb.c.workstation)).all()
        recent = conn.execute(select(wc).where(wc.c.issued_at >= at - timedelta(seconds=FORGET_AFTER_S))
                              .order_by(wc.c.command_id.desc())).all()
        conn.rollback()
    by_ws: dict[str, list[Command]] = {}
    for r in recent:
        listed = by_ws.setdefault(str(r.workstation), [])
        if len(listed) < commands_per_workstation:
            listed.append(_command(r))
    out = []
    for r in rows:
        beat_at = utc(r.at) or at
        age = max(0.0, (at - beat_at).total_seconds())
        out.append({
            "workstation": r.workstation, "at": beat_at.isoformat(), "age_s": round(age, 1),
            "lost": age > LOST_AFTER_BEATS * interval_s and r.state not in ENDED_STATES,
            "session_id": r.session_id, "candidate_id": r.candidate_id,
            "battery": r.battery, "task": r.task,
            "time_left_s": None if r.time_left_s is None else round(float(r.time_left_s), 1),
            "state": r.state, "incidents": list(r.incidents) if isinstance(r.incidents, list) else [],
            "commands": [{"command_id": c.command_id, "command": c.command, "argument": c.argument,
                          "reason": c.reason, "issued_by": c.issued_by, "issued_at": c.issued_at.isoformat(),
                          "status": c.status(at), "ack_result": c.ack_result}
                         for c in by_ws.get(str(r.workstation), [])],
        })
    return out


# --------------------------------------------------------------------------------------------
# commands


def check_command(command: str, argument: Mapping[str, Any] | None, reason: str) -> tuple[dict[str, Any] | None, str]:
    """(argument, reason) checked: a known command, a reason given, extra time a whole number of seconds in
    ``EXTRA_TIME_RANGE_S``; else one ``UserError`` line naming the field."""
    if command not in COMMANDS:
        raise UserError(f"command: {command!r}: use one of {', '.join(COMMANDS)}")
    reason = str(reason or "").strip()
    if not reason:
        raise UserError("reason: required: say why (it is kept in the audit log)")
    if command != "extra-time":
        return None, reason[:500]
    raw = (argument or {}).get("seconds")
    try:
        seconds = int(str(raw).strip())
    except ValueError:
        raise UserError(f"seconds: {str(raw)[:20]!r} is not a whole number of seconds") from None
    low, high = EXTRA_TIME_RANGE_S
    if not low <= seconds <= high:
        raise UserError(f"seconds: {seconds}: give {low} to {high} seconds")
    return {"seconds": seconds}, reason[:500]


def issue_command(store: Store, workstation: str, command: str, *, reason: str, actor: str,
                  session_id: str | None = None, argument: Mapping[str, Any] | None = None,
                  now: datetime | None = None) -> Command:
    """Queue ``command`` for ``workstation`` (the session it is meant for: ``session_id``), audited as
    ``room-command`` with the account ``actor``. ``UserError`` (one line) on a bad field."""
    checked, reason = check_command(command, argument, reason)
    at = now or utc_now()
    wc = S.workstation_commands
    with store.engine.begin() as conn:
        res = conn.execute(wc.insert().values(workstation=str(workstation), session_id=session_id, command=command,
                                              argument=checked, reason=reason, issued_by=actor, issued_at=at))
        command_id = int(res.inserted_primary_key[0])
        store.audit("room-command", "workstation", str(workstation),
                    {"command_id": command_id, "command": command, "argument": checked, "reason": reason,
                     "session_id": session_id}, actor=actor, conn=conn)
    return Command(command_id, str(workstation), session_id, command, checked, reason, actor, at, None, None)


def pending_commands(store: Store, workstation: str, *, after_id: int = 0) -> list[Command]:
    """The workstation's commands not yet acknowledged (id above ``after_id``), oldest first."""
    wc = S.workstation_commands
    with store.engine.connect() as conn:
        rows = conn.execute(select(wc).where(wc.c.workstation == workstation, wc.c.acked_at.is_(None),
                                             wc.c.command_id > after_id).order_by(wc.c.command_id)).all()
        conn.rollback()
    return [_command(r) for r in rows]


def ack_command(store: Store, command_id: int, result: str, *, now: datetime | None = None) -> None:
    """Acknowledge a command: ``ok``, or the reason it was not applied (one line). Audited as
    ``room-command-ack`` (actor: the workstation's user). A second acknowledgement changes nothing."""
    at = now or utc_now()
    wc = S.workstation_commands
    with store.engine.begin() as conn:
        row = conn.execute(select(wc.c.workstation).where(wc.c.command_id == int(command_id))).first()
        done = conn.execute(update(wc).where(wc.c.command_id == int(command_id), wc.c.acked_at.is_(None))
                            .values(acked_at=at, ack_result=str(result)[:500]))
        if row is not None and done.rowcount:
            store.audit("room-command-ack", "workstation", str(row.workstation),
                        {"command_id": int(command_id), "result": str(result)[:500]}, conn=conn)


def list_commands(store: Store, workstation: str | None = None, limit: int = 50) -> list[Command]:
    """The latest commands (of one workstation, or all), newest first."""
    wc = S.workstation_commands
    q = select(wc).order_by(wc.c.command_id.desc()).limit(limit)
    if workstation is not None:
        q = q.where(wc.c.workstation == workstation)
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
        conn.rollback()
    return [_command(r) for r in rows]


def stale(command: Command, now: datetime | None = None) -> bool:
    """True when ``command`` waited longer than ``COMMAND_TIMEOUT_S`` (the workstation refuses it)."""
    return ((now or utc_now()) - command.issued_at).total_seconds() > COMMAND_TIMEOUT_S


# --------------------------------------------------------------------------------------------
# one-time proctor codes


def _sha256(code: str) -> str:
    return hashlib.sha256(code.strip().encode("utf-8")).hexdigest()


def make_proctor_code(store: Store, account: Account, *, now: datetime | None = None) -> tuple[str, datetime]:
    """A new one-time code for ``account`` (a proctor or admin) and when it expires. Only its SHA-256 is
    kept; audited as ``proctor-code-made`` (never the code)."""
    if account.role not in PROCTOR_CODE_ROLES:
        raise UserError(f"proctor code: {account.name} is a {account.role}; only {' or '.join(PROCTOR_CODE_ROLES)} "
                        "accounts get one")
    at = now or utc_now()
    expires = at + timedelta(seconds=PROCTOR_CODE_TTL_S)
    pc = S.proctor_codes
    with store.engine.begin() as conn:
        while True:  # a clash with a live code is one in 10^8: draw again
            code = "".join(secrets.choice("0123456789") for _ in range(PROCTOR_CODE_DIGITS))
            if conn.execute(select(pc.c.code_sha256).where(pc.c.code_sha256 == _sha256(code))).first() is None:
                break
        conn.execute(pc.insert().values(code_sha256=_sha256(code), account_id=account.account_id, created_at=at,
                                        expires_at=expires))
        store.audit("proctor-code-made", "account", account.name, {"expires_at": expires.isoformat()},
                    actor=account.name, conn=conn)
    return code, expires


class _NotAccepted(Exception):
    """The workstation no longer takes the answer: the transaction that used the code is rolled back."""


def redeem_proctor_code(store: Store, code: str, workstation: str, *, now: datetime | None = None,
                        accept: Callable[[], bool] | None = None) -> str | None:
    """Use a one-time code at ``workstation``: the account's name when the code is live (not used, not
    expired, its account enabled and a proctor or admin), else None. Single use: the row is marked used in
    the same statement that checks it. Audited as ``proctor-code-used`` with the account as actor.

    ``accept`` (the workstation's ``CodeCheck.claim``) is called in that transaction once the code is
    marked used, just before the commit: False (the workstation gave up waiting) rolls it back, so the
    code stays unused and None is returned. The code is thus used only by a workstation that takes it."""
    code = str(code or "").strip()
    if not code.isdigit() or len(code) != PROCTOR_CODE_DIGITS:
        return None
    at = now or utc_now()
    key = _sha256(code)
    try:
        return _redeem(store, key, workstation, at, accept)
    except _NotAccepted:
        return None


def _redeem(store: Store, key: str, workstation: str, at: datetime, accept: Callable[[], bool] | None) -> str | None:
    """``redeem_proctor_code``'s transaction (raises ``_NotAccepted`` to roll it back)."""
    pc, a = S.proctor_codes, S.console_accounts
    with store.engine.begin() as conn:
        row = conn.execute(select(a.c.name, a.c.role, a.c.disabled).join(pc, pc.c.account_id == a.c.account_id)
                           .where(pc.c.code_sha256 == key)).first()
        if row is None or row.disabled or row.role not in PROCTOR_CODE_ROLES:
            return None
        done = conn.execute(update(pc).where(and_(pc.c.code_sha256 == key, pc.c.used_at.is_(None),
                                                  pc.c.expires_at > at))
                            .values(used_at=at, workstation=str(workstation)[:255]))
        if not done.rowcount:
            return None
        store.audit("proctor-code-used", "workstation", str(workstation), {"account": str(row.name)},
                    actor=str(row.name), conn=conn)
        if accept is not None and not accept():
            raise _NotAccepted
    return str(row.name)


def incidents_json(incidents: Iterable[tuple[datetime, str, str]]) -> tuple[dict[str, Any], ...]:
    """Incidents (time, kind, detail) as a beat carries them."""
    return tuple({"t": t.isoformat(), "kind": kind, "detail": detail[:64]} for t, kind, detail in incidents)
