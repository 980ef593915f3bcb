"""``store.room`` on SQLite and PostgreSQL (``db_url``, tests/conftest.py): heartbeats replaced per
workstation with the session's incidents kept, lost after three missed beats on an injected clock,
commands issued (checked, audited), polled, acknowledged once, timed out; one-time proctor codes
stored hashed, single use, expiring after 10 minutes, for proctors and admins only."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from typingtest.errors import UserError
from typingtest.store import Store, room
from typingtest.store import schema as S
from typingtest.store.accounts import add_account, disable_account

T0 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(db_url: str, results_dir: Path) -> Iterator[Store]:
    s = Store(db_url, results_dir, results_dir / "signing.key", workstation="ws-test")
    yield s
    s.close()


def _beat(store: Store, ws: str, at: datetime, *, session: str = "S-1", state: str = "running",
          left: float | None = 120.0, incidents: tuple[str, ...] = ()) -> None:
    room.write_heartbeat(store, room.Heartbeat(ws, state, session, "C-1", "quick", "copy-typing nl-copy-03", left,
                                               tuple({"t": at.isoformat(), "kind": k, "detail": ""}
                                                     for k in incidents)), now=at)


def test_heartbeats_replace_the_row_keep_the_sessions_incidents_and_go_lost_after_three_beats(store: Store) -> None:
    _beat(store, "ws-b", T0, incidents=("focus-lost",))
    _beat(store, "ws-a", T0)
    _beat(store, "ws-b", T0 + timedelta(seconds=2), left=118.0, incidents=("paste-attempt",))
    tiles = room.room_state(store, now=T0 + timedelta(seconds=2))
    assert [t["workstation"] for t in tiles] == ["ws-a", "ws-b"]  # one row each, by name
    b = tiles[1]
    assert (b["state"], b["time_left_s"], b["task"]) == ("running", 118.0, "copy-typing nl-copy-03")
    assert [i["kind"] for i in b["incidents"]] == ["focus-lost", "paste-attempt"]
    # lost: more than 3 intervals of 2 s since the last beat (ws-a beat at T0, ws-b at T0 + 2 s)
    at_6 = {t["workstation"]: t["lost"] for t in room.room_state(store, now=T0 + timedelta(seconds=6))}
    at_7 = {t["workstation"]: t["lost"] for t in room.room_state(store, now=T0 + timedelta(seconds=7))}
    assert at_6 == {"ws-a": False, "ws-b": False} and at_7 == {"ws-a": True, "ws-b": False}
    assert room.room_state(store, now=T0 + timedelta(seconds=7), interval_s=5.0)[0]["lost"] is False  # 3 x 5 s
    # a new session at ws-b starts with no incidents; the list keeps at most KEPT_INCIDENTS
    _beat(store, "ws-b", T0 + timedelta(seconds=4), session="S-2", incidents=("focus-lost",) * 30)
    b = room.room_state(store, now=T0 + timedelta(seconds=4))[1]
    assert b["session_id"] == "S-2" and len(b["incidents"]) == room.KEPT_INCIDENTS
    later = T0 + timedelta(seconds=room.FORGET_AFTER_S + 3)  # ws-a silent for more than 12 hours: no longer shown
    assert [t["workstation"] for t in room.room_state(store, now=later)] == ["ws-b"]
    with pytest.raises(ValueError, match="heartbeat state 'typing'"):
        _beat(store, "ws-b", T0, state="typing")


def test_commands_are_checked_audited_polled_acked_once_and_time_out(store: Store) -> None:
    with pytest.raises(UserError, match="reason: required"):
        room.issue_command(store, "ws-a", "pause", reason="  ", actor="p1")
    with pytest.raises(UserError, match="command: 'reboot'"):
        room.issue_command(store, "ws-a", "reboot", reason="x", actor="p1")
    with pytest.raises(UserError, match="seconds: 'soon' is not a whole number"):
        room.issue_command(store, "ws-a", "extra-time", reason="x", actor="p1", argument={"seconds": "soon"})
    with pytest.raises(UserError, match="seconds: 0: give 1 to 3600 seconds"):
        room.issue_command(store, "ws-a", "extra-time", reason="x", actor="p1", argument={"seconds": 0})
    pause = room.issue_command(store, "ws-a", "pause", reason="fire drill", actor="p1", session_id="S-1", now=T0)
    extra = room.issue_command(store, "ws-a", "extra-time", reason="slow screen", actor="p1",
                               argument={"seconds": "90"}, now=T0)
    room.issue_command(store, "ws-b", "end", reason="left", actor="p2", now=T0)
    assert [c.command_id for c in room.pending_commands(store, "ws-a")] == [pause.command_id, extra.command_id]
    assert room.pending_commands(store, "ws-a", after_id=pause.command_id)[0].argument == {"seconds": 90}
    room.ack_command(store, pause.command_id, "ok", now=T0 + timedelta(seconds=1))
    room.ack_command(store, pause.command_id, "late duplicate", now=T0 + timedelta(seconds=2))  # changes nothing
    room.ack_command(store, extra.command_id, "no task is running", now=T0 + timedelta(seconds=1))
    assert room.pending_commands(store, "ws-a") == []
    done = {c.command_id: c for c in room.list_commands(store, "ws-a")}
    assert (done[pause.command_id].ack_result, done[pause.command_id].status(T0)) == ("ok", "ok")
    assert done[extra.command_id].status(T0) == "refused"
    (end,) = room.pending_commands(store, "ws-b")
    assert end.status(T0 + timedelta(seconds=room.COMMAND_TIMEOUT_S)) == "pending"
    assert end.status(T0 + timedelta(seconds=room.COMMAND_TIMEOUT_S + 1)) == "timed-out"  # the workstation is gone
    assert room.stale(end, T0 + timedelta(seconds=room.COMMAND_TIMEOUT_S + 1))
    audit = store.audit_frame()
    issued = audit[audit["action"] == "room-command"]
    assert list(issued["actor"]) == ["p1", "p1", "p2"]
    assert (audit["action"] == "room-command-ack").sum() == 2  # the duplicate is not audited
    _beat(store, "ws-b", T0)
    (tile_b,) = [t for t in room.room_state(store, now=T0 + timedelta(seconds=60)) if t["workstation"] == "ws-b"]
    assert [(c["command"], c["status"]) for c in tile_b["commands"]] == [("end", "timed-out")]


def test_one_time_proctor_codes_are_hashed_single_use_and_expire(store: Store) -> None:
    proctor = add_account(store, "proctor-1", "proctor", "proctor-secret-4")
    trainer = add_account(store, "trainer-1", "trainer", "trainer-secret-3")
    with pytest.raises(UserError, match="only proctor or admin accounts"):
        room.make_proctor_code(store, trainer)
    code, expires = room.make_proctor_code(store, proctor, now=T0)
    assert code.isdigit() and len(code) == 8 and expires == T0 + timedelta(minutes=10)
    with store.engine.connect() as conn:
        kept = conn.execute(select(S.proctor_codes.c.code_sha256)).scalars().all()
    assert kept == [hashlib.sha256(code.encode()).hexdigest()]  # never the code itself
    assert room.redeem_proctor_code(store, "12345678", "ws-a", now=T0) is None
    assert room.redeem_proctor_code(store, code, "ws-a", now=T0 + timedelta(minutes=9)) == "proctor-1"
    assert room.redeem_proctor_code(store, code, "ws-b", now=T0 + timedelta(minutes=9)) is None  # single use
    late, _ = room.make_proctor_code(store, proctor, now=T0)
    assert room.redeem_proctor_code(store, late, "ws-a", now=T0 + timedelta(minutes=10, seconds=1)) is None
    gone, _ = room.make_proctor_code(store, proctor, now=T0)
    disable_account(store, "proctor-1", actor="admin")
    assert room.redeem_proctor_code(store, gone, "ws-a", now=T0) is None  # a disabled account's code is dead
    with store.engine.connect() as conn:
        used = conn.execute(select(S.proctor_codes.c.workstation).where(S.proctor_codes.c.used_at.is_not(None))).all()
    assert [tuple(r) for r in used] == [("ws-a",)]
    audit = store.audit_frame()
    assert list(audit[audit["action"] == "proctor-code-made"]["actor"]) == ["proctor-1"] * 3
    assert list(audit[audit["action"] == "proctor-code-used"]["object_id"]) == ["ws-a"]
    assert not any(code in str(v) for v in audit["details"])  # the code is never audited


def test_a_workstation_whose_session_ended_is_silent_not_lost(store: Store) -> None:
    """The link stops beating after the session's last beat (finished or interrupted): ten intervals
    later that tile is not an alarm, while one whose last beat said running is lost."""
    _beat(store, "ws-done", T0, state="finished")
    _beat(store, "ws-stopped", T0, session="S-2", state="interrupted")
    _beat(store, "ws-killed", T0, session="S-3", state="running")
    later = {t["workstation"]: t["lost"] for t in room.room_state(store, now=T0 + timedelta(seconds=20))}
    assert later == {"ws-done": False, "ws-stopped": False, "ws-killed": True}
