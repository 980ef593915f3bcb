"""The workstation in the live room (issue 13 items 2-4), headless (SDL dummy, injected clock).

Heartbeats carry the task and the state while the candidate works; console commands (pause,
resume, extra time) are applied through the proctor panel's functions, acknowledged, and logged
in the attempt's event log as proctor actions; a database that is down never stops the
workstation; a workstation without a proctor code makes its own (owner-only file, printed once);
a console's one-time proctor code opens the panel once, checked off the UI thread (frames go on;
an answer after the time limit is refused and leaves the code unused).
"""

from __future__ import annotations

import os
import stat
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pygame
import pytest
from sqlalchemy import create_engine

from typingtest.config import PROCTOR_CODE_FILE, Settings, workstation_proctor_code
from typingtest.content import load_item
from typingtest.store import open_store, room
from typingtest.store.accounts import add_account
from typingtest.workstation import room_link
from typingtest.workstation.driver import Driver
from typingtest.workstation.proctor import CodeCheck
from typingtest.workstation.room_link import RoomLink, attach_room_link
from typingtest.workstation.runner import proctor_notice
from typingtest.workstation.scene import INPUT_GUARD_S
from typingtest.workstation.session import TaskSpec

WS = "ws-room-1"


class WallClock:
    """The beats' UTC clock, moved by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def _open(results_dir: Path, candidate: str) -> tuple[Driver, Any, RoomLink, WallClock]:
    """A workstation on SQLite past the intake, at the copy-typing instructions, with its room link
    (no thread: the test calls ``beat``)."""
    settings = Settings(results_dir=results_dir, workstation=WS, proctor_code="0917-test")
    store = open_store(settings)
    d = Driver.open(settings, store, specs=[TaskSpec("copy-typing", load_item("nl-copy-03"), 300.0)], intake=True)
    wall = WallClock()
    link = RoomLink(d.app, d.session, store, workstation=WS, utc_clock=wall, start=False)
    d.intake(candidate)
    return d, store, link, wall


def _tile(store: Any, wall: WallClock) -> dict[str, Any]:
    (tile,) = room.room_state(store, now=wall.now)
    return tile


def _command(d: Driver, store: Any, link: RoomLink, wall: WallClock, name: str, **argument: Any) -> room.Command:
    """Issue ``name`` from the console, let the link hand it over, one frame apply it, the link acknowledge it."""
    sent = room.issue_command(store, WS, name, reason=f"test {name}", actor="proctor-1",
                              session_id=d.session.session_id, argument=argument or None, now=wall.now)
    assert link.beat()  # polled: handed to the UI thread
    d.wait(1 / 60)  # the next frame applies it
    assert link.beat()  # the acknowledgement goes out
    (found,) = [c for c in room.list_commands(store, WS) if c.command_id == sent.command_id]
    return found


def test_beats_carry_task_and_state_and_commands_are_applied_acked_and_logged(results_dir: Path) -> None:
    d, store, link, wall = _open(results_dir, "C-ROOM-1")
    assert link.beat()
    tile = _tile(store, wall)
    assert (tile["state"], tile["candidate_id"], tile["task"]) == ("instructions", "C-ROOM-1", None)
    assert tile["session_id"] == d.session.session_id and tile["time_left_s"] is None
    d.start_task()
    d.type("Geachte", 0.1)
    wall.now += timedelta(seconds=2)
    assert link.beat()
    tile = _tile(store, wall)
    task = d.scene.state
    assert tile["state"] == "running" and tile["task"] == "copy-typing nl-copy-03"
    assert tile["time_left_s"] == pytest.approx(task.remaining(d.now()), abs=0.1)
    assert 290 < tile["time_left_s"] < 300  # 300 s task, ~1.3 s typed so far (7 keys at 0.1 s + the start)

    paused = _command(d, store, link, wall, "pause")
    assert (paused.ack_result, paused.status(wall.now)) == ("ok", "ok")
    assert d.app.paused and task.paused and d.app.overlay.name == "paused"
    left = task.remaining(d.now())
    d.wait(5.0)
    assert task.remaining(d.now()) == pytest.approx(left)  # the task's clock stopped
    assert link.beat() and _tile(store, wall)["state"] == "paused"

    resumed = _command(d, store, link, wall, "resume")
    assert resumed.ack_result == "ok" and d.app.overlay.name == "resume"  # the candidate goes on with Enter
    d.wait(INPUT_GUARD_S)
    d.enter()
    assert not d.app.paused and not task.paused

    before = task.remaining(d.now())
    extra = _command(d, store, link, wall, "extra-time", seconds=60)
    assert extra.ack_result == "ok" and extra.argument == {"seconds": 60}
    assert task.remaining(d.now()) == pytest.approx(before + 60 - 2 / 60, abs=0.05)  # + 60 s, minus the frames

    twice = _command(d, store, link, wall, "resume")  # not paused: refused, and the console says why
    assert (twice.ack_result, twice.status(wall.now)) == ("not paused", "refused")

    d.type(" heer", 0.1)
    d.finish()
    (attempt_id,) = store.attempts_frame()["attempt_id"]
    log = store.events(attempt_id)
    markers = [(str(r["text"]), str(r["target"])) for r in log if str(r["text"]).startswith(("incident:", "proctor",
                                                                                              "pause", "resume"))]
    assert ("incident:paused", "console:proctor-1") in markers
    assert ("pause", "") in markers and ("resume", "") in markers  # the task's clock stopped and went on
    assert ("proctor-resume", "console:proctor-1") in markers and ("incident:resumed", "") in markers
    assert ("incident:extra-time", "+60 s console:proctor-1") in markers
    assert store.attempts_frame()["transcribed"].iloc[0] == "Geachte heer"
    audit = store.audit_frame()
    assert list(audit[audit["action"] == "room-command"]["actor"]) == ["proctor-1"] * 4
    assert (audit["action"] == "room-command-ack").sum() == 4
    store.close()


def test_a_command_for_another_session_or_too_old_is_refused(results_dir: Path) -> None:
    d, store, link, wall = _open(results_dir, "C-ROOM-2")
    d.start_task()
    other = room.issue_command(store, WS, "pause", reason="wrong tile", actor="p", session_id="S-OTHER", now=wall.now)
    old = room.issue_command(store, WS, "end", reason="late", actor="p", session_id=d.session.session_id,
                             now=wall.now - timedelta(seconds=room.COMMAND_TIMEOUT_S + 1))
    assert link.beat()
    d.wait(1 / 60)
    assert link.beat()
    acks = {c.command_id: c.ack_result for c in room.list_commands(store, WS)}
    assert acks[other.command_id].startswith("session S-OTHER is not running on this workstation")
    assert acks[old.command_id].startswith("stale:")
    assert not d.app.paused and not d.session.finished
    store.close()


def test_the_thread_beats_and_a_database_that_is_down_stops_nothing(results_dir: Path) -> None:
    settings = Settings(results_dir=results_dir, workstation=WS, proctor_code="0917-test")
    store = open_store(settings)
    d = Driver.open(settings, store, specs=[TaskSpec("copy-typing", load_item("nl-copy-03"), 300.0)], intake=True)
    d.intake("C-ROOM-3")
    d.start_task()
    # nothing listens on port 9 of this machine: every connection is refused at once
    down = SimpleNamespace(engine=create_engine("postgresql+psycopg://nobody@127.0.0.1:9/none"))
    link = RoomLink(d.app, d.session, down, workstation=WS, interval_s=0.02)
    try:
        pygame.event.post(pygame.event.Event(pygame.WINDOWFOCUSLOST))
        d.type("Geachte", 0.1)
        deadline = time.monotonic() + 10
        while link.failures < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert link.failures >= 3 and link.beats == 0
        d.type(" heer", 0.1)  # the candidate types on; the workstation never waited for the database
        link.store = store  # the database is back: the next try beats, with the incidents kept meanwhile
        deadline = time.monotonic() + 70  # the back-off waits at most MAX_BACKOFF_S
        while link.beats == 0 and time.monotonic() < deadline:
            link._wake.set()
            time.sleep(0.02)
        assert link.beats >= 1
        tile = room.room_state(store)[0]
        assert tile["state"] == "running" and "focus-lost" in [i["kind"] for i in tile["incidents"]]
    finally:
        link.stop()
    d.finish()
    assert store.attempts_frame()["transcribed"].iloc[0] == "Geachte heer"  # every keystroke recorded
    store.close()


def test_a_workstation_without_a_code_makes_its_own_owner_only_and_prints_it_once(results_dir: Path) -> None:
    settings = Settings(results_dir=results_dir)
    assert settings.proctor_code is None  # no shared default any more
    first = proctor_notice(settings)
    path = results_dir / PROCTOR_CODE_FILE
    code = path.read_text(encoding="utf-8").strip()
    assert code.isdigit() and len(code) == 8 and code != "4242" and settings.proctor_code == code
    assert f"A new proctor code was made for this workstation: {code}" in first and "proctor_code in" in first
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = Settings(results_dir=results_dir)
    second = proctor_notice(again)
    assert code not in second and again.proctor_code == code and str(path) in second  # kept, never printed again
    other = Settings(results_dir=results_dir.parent / "elsewhere")
    assert workstation_proctor_code(other)[0] != code  # no two installations share a code (1 in 10^8)


def _until_answered(d: Driver, limit_s: float = 5.0) -> int:
    """Run frames (1/60 s of app time each, a millisecond of real time apart) until the proctor panel has
    the answer of the console code it checks; returns the frames run meanwhile."""
    frames = 0
    end = time.monotonic() + limit_s
    while d.app.overlay._pending is not None and time.monotonic() < end:
        d.wait(1 / 60)
        frames += 1
        time.sleep(0.001)
    assert d.app.overlay._pending is None, "no answer from the code check"
    return frames


def test_a_console_one_time_code_opens_the_panel_once(results_dir: Path) -> None:
    settings = Settings(results_dir=results_dir, workstation=WS, proctor_code="0917-test")
    store = open_store(settings)
    account = add_account(store, "proctor-1", "proctor", "proctor-secret-4")
    code, _ = room.make_proctor_code(store, account)
    d = Driver.open(settings, store, specs=[TaskSpec("copy-typing", load_item("nl-copy-03"), 300.0)], intake=True)
    link = attach_room_link(d.app, d.session, store, settings, start=False)
    assert link is not None
    d.intake("C-ROOM-4")
    d.start_task()

    def panel(typed: str) -> bool:
        d.key(pygame.K_p, pygame.KMOD_LCTRL | pygame.KMOD_LALT, after=0.05)
        for ch in typed:
            d.app.post_text(ch)
        d.key(pygame.K_RETURN, after=0.05)
        _until_answered(d)
        unlocked = bool(d.app.overlay.unlocked)
        d.key(pygame.K_ESCAPE, after=0.05)
        return unlocked

    assert panel(code)
    assert not panel(code)  # used once: refused the second time
    assert panel("0917-test")  # the workstation's own code still works
    d.finish()
    (attempt_id,) = store.attempts_frame()["attempt_id"]
    texts = [(str(r["text"]), str(r["target"])) for r in store.events(attempt_id)]
    assert ("proctor-unlocked", "console:proctor-1") in texts and ("incident:proctor-code-wrong", "") in texts
    assert code not in " ".join(t for pair in texts for t in pair)  # the code is never logged
    audit = store.audit_frame()
    used = audit[audit["action"] == "proctor-code-used"]
    assert list(used["actor"]) == ["proctor-1"] and list(used["object_id"]) == [WS]
    store.close()


def test_an_end_from_the_console_is_acked_and_the_last_beat_says_interrupted(results_dir: Path) -> None:
    """With the thread running (as ``run`` has it): the session ended by a console command writes the
    command's acknowledgement and a last beat ``interrupted``, then the link's thread stops."""
    settings = Settings(results_dir=results_dir, workstation=WS, proctor_code="0917-test", heartbeat_interval_s=0.5)
    store = open_store(settings)
    d = Driver.open(settings, store, specs=[TaskSpec("copy-typing", load_item("nl-copy-03"), 300.0)], intake=True)
    link = attach_room_link(d.app, d.session, store, settings)
    assert link is not None and link.interval_s == 0.5
    d.intake("C-ROOM-5")
    d.start_task()
    d.type("Geachte", 0.1)
    sent = room.issue_command(store, WS, "end", reason="candidate unwell", actor="proctor-1",
                              session_id=d.session.session_id)
    deadline = time.monotonic() + 20
    while not d.session.finished and time.monotonic() < deadline:
        d.wait(0.05)
        time.sleep(0.02)  # real time for the thread's beats
    assert d.session.finished and d.session.state == "interrupted"
    assert link._thread is None  # stopped, after its last beat
    (done,) = [c for c in room.list_commands(store, WS) if c.command_id == sent.command_id]
    assert done.ack_result == "ok"
    tile = room.room_state(store)[0]
    assert tile["state"] == "interrupted" and "session-ended" in [i["kind"] for i in tile["incidents"]]
    assert list(store.attempts_frame()["state"]) == ["interrupted"]
    store.close()


def _code_setup(results_dir: Path) -> tuple[Driver, Any, str]:
    """A workstation on SQLite in a task, its room link (no thread), a proctor account's one-time code."""
    settings = Settings(results_dir=results_dir, workstation=WS, proctor_code="0917-test")
    store = open_store(settings)
    code, _ = room.make_proctor_code(store, add_account(store, "proctor-1", "proctor", "proctor-secret-4"))
    d = Driver.open(settings, store, specs=[TaskSpec("copy-typing", load_item("nl-copy-03"), 300.0)], intake=True)
    assert attach_room_link(d.app, d.session, store, settings, start=False) is not None
    d.intake("C-ROOM-7")
    d.start_task()
    d.key(pygame.K_p, pygame.KMOD_LCTRL | pygame.KMOD_LALT, after=0.05)
    for ch in code:
        d.app.post_text(ch)
    d.wait(0.05)
    return d, store, code


def test_a_slow_code_check_keeps_the_frames_going_and_the_code_is_taken_when_the_answer_comes(
        results_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The store answers 0.6 s late (within ``CODE_CHECK_TIMEOUT_S`` = 1.5 s): Enter returns at once, the
    panel says "checking…" and frames run (counted by an ``on_frame`` callback) until the answer opens it."""
    real = room.redeem_proctor_code

    def slow(*args: Any, **kwargs: Any) -> str | None:
        time.sleep(0.6)
        return real(*args, **kwargs)

    monkeypatch.setattr(room, "redeem_proctor_code", slow)
    d, store, code = _code_setup(results_dir)
    frames: list[float] = []
    d.app.on_frame.append(frames.append)
    started = time.monotonic()
    d.key(pygame.K_RETURN, after=1 / 60)
    assert time.monotonic() - started < 0.3  # the UI thread did not wait for the store (0.6 s)
    panel = d.app.overlay
    assert not panel.unlocked and panel.widget("proctor-feedback").text == d.app.tr("code_checking")
    during = _until_answered(d)
    assert time.monotonic() - started >= 0.6 and panel.unlocked
    assert during >= 20 and len(frames) >= during  # ~1 ms apart over 0.6 s: hundreds; 20 is a floor
    assert real(store, code, "ws-other") is None  # used, by this workstation:
    audit = store.audit_frame()
    assert list(audit[audit["action"] == "proctor-code-used"]["object_id"]) == [WS]
    d.key(pygame.K_ESCAPE, after=0.05)
    d.finish()
    store.close()


def test_an_answer_after_the_time_limit_is_refused_and_leaves_the_code_unused(
        results_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The store marks the code used but takes 0.6 s to commit, past a 0.2 s limit: the panel refuses
    (wrong code), and the workstation's late ``claim`` rolls the use back: the code still works once."""
    real = room.redeem_proctor_code
    finished = threading.Event()

    def slow_commit(store: Any, code: str, workstation: str, **kwargs: Any) -> str | None:
        accept = kwargs.pop("accept")

        def late() -> bool:  # inside the transaction, the code marked used: the answer is late
            time.sleep(0.6)
            return bool(accept())

        try:
            return real(store, code, workstation, accept=late, **kwargs)
        finally:
            finished.set()

    monkeypatch.setattr(room, "redeem_proctor_code", slow_commit)
    monkeypatch.setattr(room_link, "CODE_CHECK_TIMEOUT_S", 0.2)
    d, store, code = _code_setup(results_dir)
    d.key(pygame.K_RETURN, after=1 / 60)
    panel = d.app.overlay
    frames = _until_answered(d)
    assert frames > 0 and not panel.unlocked and panel.widget("proctor-feedback").text == d.app.tr("wrong_code")
    assert finished.wait(5.0)
    assert real(store, code, "ws-other") == "proctor-1"  # not left used by the workstation that gave up
    audit = store.audit_frame()
    assert list(audit[audit["action"] == "proctor-code-used"]["object_id"]) == ["ws-other"]
    d.key(pygame.K_ESCAPE, after=0.05)
    d.finish()
    store.close()


def test_code_check_claim_poll_and_abandon_decide_once() -> None:
    """``CodeCheck`` on a hand-moved clock (seconds): a claim in time wins over the deadline, a late
    claim is refused, a claim after the panel closed is refused."""
    now = [0.0]
    check = CodeCheck(1.5, clock=lambda: now[0])
    assert check.poll() == (False, None)
    now[0] = 1.4
    assert check.claim()  # in time: the store commits
    now[0] = 9.0
    assert check.poll() == (False, None)  # claimed: the answer is waited for, past the deadline
    check.answer("proctor-1")
    assert check.poll() == (True, "proctor-1")
    late = CodeCheck(1.5, clock=lambda: now[0])
    now[0] += 1.6
    assert not late.claim() and late.poll() == (True, None)
    late.answer("proctor-1")  # a late answer is not queued
    assert late.state == "given-up"
    closed = CodeCheck(1.5, clock=lambda: now[0])
    closed.abandon()
    assert not closed.claim()
