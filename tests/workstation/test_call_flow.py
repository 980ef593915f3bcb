"""The call's flow at the desk (issue 18, item 3): credit only for the act, in its time.

The ``CallTask`` state is driven on plain times (seconds); the scene checks run headless
(``SDL_VIDEODRIVER=dummy``) on the driver's injected clock.
"""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from typingtest.config import Settings
from typingtest.content import load_item
from typingtest.content.model import Cue
from typingtest.content.triggers import parse_trigger as T
from typingtest.engine.events import EventKind
from typingtest.workstation.driver import Driver
from typingtest.workstation.session import TaskSpec
from typingtest.workstation.task_scenes import format_clock
from typingtest.workstation.tasks import CallTask

TIMELINE = [
    Cue("ring", T("start+3s"), "ring"),
    Cue("c1", T("pickup+1.5s"), "say", line="l1"),
    Cue("c2", T("line-end:l1+1s"), "say", after=T("say:ask-id"), timeout_s=8, line="l2"),
    Cue("chat", T("line-end:l1+20s"), "chat", chat="m1"),
    Cue("stop", T("hangup+120s"), "end"),
]


def _rows(call: CallTask) -> list[tuple[float, str]]:
    """``(t, "KIND:text:target")`` of everything the state emitted so far (drained)."""
    return [(e.t, f"{e.kind.name}:{e.text}:{e.target}") for e in call.drain()]


def _connected(limit: float = 420.0, timeline: list[Cue] | None = None) -> CallTask:
    call = CallTask("nl-call-x", TIMELINE if timeline is None else timeline, limit)
    call.start(0.0)
    call.tick(3.0)
    assert call.pickup(4.0)
    return call


# -------------------------------------------------------------------------------- script lines


def test_a_script_line_is_said_only_while_the_call_is_connected() -> None:
    call = CallTask("nl-call-x", TIMELINE, 420.0)
    call.start(0.0)
    assert not call.say("greet", 1.0)  # no call yet ("Geen gesprek")
    call.tick(3.0)
    assert not call.say("greet", 3.5)  # ringing, not picked up
    call.pickup(4.0)
    assert call.say("greet", 4.5)
    call.toggle_hold(5.0)
    assert not call.say("ask-id", 5.5)  # the caller on hold hears nothing
    call.toggle_hold(6.0)
    assert call.say("ask-id", 6.5)
    call.hangup(7.0)
    assert not call.say("close", 7.5)  # after the call
    said = [(t, r) for t, r in _rows(call) if r.startswith("CLICK::say:")]
    assert said == [(4.5, "CLICK::say:greet"), (6.5, "CLICK::say:ask-id")]
    assert call.said == ["greet", "ask-id"]
    assert call.happened("say:close") is None and call.happened("say:greet") is not None


def test_every_save_of_a_form_is_logged_at_its_time() -> None:
    call = _connected()
    call.submit("contact", 10.0)
    call.submit("contact", 25.5)  # corrected, saved again
    call.hangup(30.0)
    call.submit("wrap-up", 40.0)
    saves = [(t, r) for t, r in _rows(call) if ":submit:" in r]
    assert saves == [(10.0, "CLICK::submit:contact"), (25.5, "CLICK::submit:contact"),
                     (40.0, "CLICK::submit:wrap-up")]


# -------------------------------------------------------------------------------- ready step


def test_the_desk_waits_for_ready_and_the_ring_counts_from_it() -> None:
    call = CallTask("nl-call-x", TIMELINE, 420.0)
    call.show_desk(0.0)
    call.tick(30.0)  # reading the desk: nothing rings, the task clock has not started
    assert call.waiting_for_ready and call.phone == "idle" and not call.running
    assert call.remaining(30.0) == 420.0
    assert call.ready(41.0)
    assert not call.ready(42.0)  # once
    call.tick(43.9)
    assert call.phone == "idle"
    call.tick(44.0)  # start (41) + 3 s
    assert call.phone == "ringing"
    assert call.remaining(44.0) == pytest.approx(417.0)
    rows = _rows(call)
    assert rows[:3] == [(0.0, "MARKER:desk-shown:"), (41.0, "MARKER:ready:candidate"), (41.0, "MARKER:task-start:")]
    assert (44.0, "SCREEN:ringing:") in rows


def test_the_call_starts_by_itself_after_the_preview_limit() -> None:
    call = CallTask("nl-call-x", TIMELINE, 420.0, preview_limit_s=45.0)
    call.show_desk(10.0)
    call.tick(54.9)
    assert call.waiting_for_ready
    call.tick(55.0)
    assert call.ready_at == 55.0 and call.running
    call.tick(58.0)
    assert call.phone == "ringing"
    assert (55.0, "MARKER:ready:time") in _rows(call)


# -------------------------------------------------------------------------------- one clock


def test_the_countdown_and_the_scenario_end_agree_with_a_warning_a_minute_before() -> None:
    """nl-call-01's case: the scenario ends 120 s after the hang-up; the countdown says so at once."""
    call = _connected(limit=420.0)
    call.tick(100.0)
    assert format_clock(call.remaining(100.0)) == "5:20"  # the time limit: nothing else known yet
    call.hangup(150.0)
    assert call.remaining(150.0) == pytest.approx(120.0)  # not 270: the scenario ends first
    assert format_clock(call.remaining(150.0)) == "2:00"
    call.tick(209.9)
    assert call.warned_at is None
    call.tick(210.0)  # 60 s before the end at 270
    assert call.warned_at == 210.0
    call.tick(269.9)
    assert call.running and call.remaining(269.9) == pytest.approx(0.1)
    call.tick(270.0)
    assert call.end_reason == "scenario" and call.remaining(270.0) == 0.0
    rows = _rows(call)
    assert (210.0, "MARKER:time-warning:scenario") in rows
    assert [r for _, r in rows].count("MARKER:time-warning:scenario") == 1


def test_a_warning_a_minute_before_the_time_limit() -> None:
    call = CallTask("nl-call-x", [Cue("ring", T("start+3s"), "ring")], 300.0)
    call.start(0.0)
    call.tick(239.9)
    assert call.warned_at is None
    call.tick(240.0)
    assert call.warned_at == 240.0
    call.tick(300.0)
    assert call.end_reason == "time"
    assert (240.0, "MARKER:time-warning:time") in _rows(call)


def test_a_pause_moves_the_scenario_end_with_the_task_clock() -> None:
    call = _connected()
    call.hangup(10.0)  # the scenario would end at 130
    call.tick(20.0)
    assert call.remaining(20.0) == pytest.approx(110.0)
    call.pause(20.0)
    call.tick(60.0)
    assert call.remaining(60.0) == pytest.approx(110.0)  # held: the countdown stands still
    call.resume(50.0 + 10.0)  # held 40 s
    assert call.remaining(60.0) == pytest.approx(110.0)
    call.tick(169.9)
    assert call.running
    call.tick(170.0)  # 130 + 40
    assert call.end_reason == "scenario"


# -------------------------------------------------------------------------------- after the call


def test_the_conversation_s_cues_after_the_call_ended_are_dropped() -> None:
    call = _connected()
    call.tick(5.5)
    call.on_audio(EventKind.AUDIO_OFFSET, "l1", 9.0)
    call.hangup(12.0)  # the operator hangs up before asking for the number
    call.say("ask-id", 13.0)  # too late: not said, so no cue follows from it
    call.tick(18.0)  # c2 would time out at 9 + 1 + 8 = 18
    call.tick(29.0)  # the chat (not part of the conversation) still comes
    assert call.audio_requests == ["l1"]
    assert call.chats_shown == ["m1"]
    rows = [r for _, r in _rows(call)]
    assert "MARKER:cue-dropped:cue:c2" in rows
    assert "MARKER:cue:cue:c2" not in rows
    assert "MARKER:cue:cue:chat" in rows


# -------------------------------------------------------------------------------- the desk (headless)


def _desk(results_dir: Path, item_id: str = "nl-call-02", limit: float = 420.0) -> Driver:
    settings = Settings(results_dir=results_dir)
    spec = TaskSpec("call", load_item(item_id), limit)
    return Driver.open(settings, None, specs=[spec], single=True)


def _log_rows(d: Driver) -> list[tuple[float, str]]:
    log = d.app.recorder.to_log()
    return [(float(r["t"]), f"{EventKind(int(r['kind'])).name}:{r['text']}:{r['target']}") for r in log]


def test_the_desk_shows_a_ready_step_and_the_phone_rings_three_seconds_after_it(results_dir: Path) -> None:
    d = _desk(results_dir)
    names = d.app.widget_names()
    assert "ready" in names and "pickup" not in names
    d.click("script:greet")  # before the call: does nothing
    d.wait(20.0)
    assert d.scene.call.phone == "idle" and d.scene.call.waiting_for_ready
    d.key(pygame.K_F1, after=2.5)  # F1: ready
    assert d.scene.call.phone == "idle"
    d.wait(0.6)
    assert d.scene.call.phone == "ringing"
    assert "pickup" in d.app.widget_names() and "ready" not in d.app.widget_names()
    rows = _log_rows(d)
    assert not [r for _, r in rows if ":say:" in r]
    ready_t = next(t for t, r in rows if r == "MARKER:ready:candidate")
    ring_t = next(t for t, r in rows if r == "SCREEN:ringing:")
    assert ring_t - ready_t == pytest.approx(3.0, abs=1 / 30)
    assert ready_t > 20.0  # the log's clock started with the desk: 20 s of reading before "ready"


def test_the_transfer_dialog_starts_with_nothing_selected(results_dir: Path) -> None:
    d = _desk(results_dir)
    d.click("ready", after=3.5)
    d.click("pickup", after=0.5)
    d.key(pygame.K_F3, after=0.2)
    overlay = d.app.overlay
    assert overlay is not None and overlay.name == "transfer-dialog"
    assert overlay.list.highlight == -1 and overlay.list.chosen == -1
    d.key(pygame.K_RETURN, after=0.2)  # nothing chosen: nothing happens, the dialog stays
    assert d.app.overlay is overlay and d.scene.call.transfer_to is None
    d.key(pygame.K_DOWN, after=0.1)
    d.key(pygame.K_RETURN, after=0.2)  # the first target, chosen on purpose
    assert d.app.overlay is None and d.scene.call.transfer_to == d.scene.item.transfers[0].id


def test_the_warning_shows_on_the_desk_and_the_countdown_is_the_state_s(results_dir: Path) -> None:
    d = _desk(results_dir, limit=90.0)
    d.click("ready", after=3.5)
    d.click("pickup", after=5.0)
    d.click("hangup", after=0.5)
    warning = d.scene.widget("time-warning")
    assert warning.text == ""
    call = d.scene.call
    d.wait(call.remaining(d.clock.now()) - 60.0 + 0.1)
    assert warning.text == "Nog 1 minuut!"
    assert d.scene.widget("timer").color == "warn"
    shown = d.scene.widget("timer").text
    assert shown.endswith(format_clock(call.remaining(d.clock.now())))
    assert any(r.startswith("MARKER:time-warning:") for _, r in _log_rows(d))


def test_on_the_desk_the_call_starts_by_itself_after_a_minute(results_dir: Path) -> None:
    d = _desk(results_dir)
    status = d.scene.widget("phone-status")
    assert status.text == "Bekijk het scherm. Klaar? Druk op F1."
    d.wait(CallTask.PREVIEW_LIMIT_S + 0.1)
    assert not d.scene.call.waiting_for_ready and d.scene.call.phone == "idle"
    assert status.text == "Geen gesprek"  # the phone bar shows the phone again
    assert "ready" not in d.app.widget_names()
    d.wait(3.0)
    assert d.scene.call.phone == "ringing"
    assert any(r == "MARKER:ready:time" for _, r in _log_rows(d))


def test_on_the_desk_each_save_is_a_row_and_a_late_script_click_is_not(results_dir: Path) -> None:
    d = _desk(results_dir)
    d.click("ready", after=3.5)
    d.click("pickup", after=0.5)
    d.click("script:greet", after=0.5)
    d.click("hangup", after=0.5)  # the wrap-up tab opens
    d.click("script:ask-id", after=0.5)  # after the call: not said
    d.click("submit-wrap-up", after=1.0)
    d.click("submit-wrap-up", after=0.5)  # saved again
    rows = _log_rows(d)
    assert [r for _, r in rows if ":say:" in r] == ["CLICK::say:greet"]
    saves = [t for t, r in rows if r == "CLICK::submit:wrap-up"]
    assert len(saves) == 2 and saves[1] - saves[0] == pytest.approx(1.0, abs=0.05)
    assert "CLICK::script:ask-id" in [r for _, r in rows]  # the click itself is logged, as every click
