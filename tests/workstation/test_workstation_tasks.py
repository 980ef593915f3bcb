"""Task state objects driven without a window: success and failure paths, on plain times (s)."""

from __future__ import annotations

import pytest

from typingtest.content.model import Cue
from typingtest.content.triggers import parse_trigger as T
from typingtest.engine.events import EventKind
from typingtest.workstation.tasks import CallTask, DataEntryTask, FormField, TypingTask


def _texts(state) -> list[str]:
    return [f"{e.kind.name}:{e.text}:{e.target}" for e in state.drain()]


def test_typing_task_finished_by_the_candidate() -> None:
    task = TypingTask("nl-copy-01", "tekst", 60.0)
    task.start(10.0)
    assert task.remaining(40.0) == pytest.approx(30.0)
    assert task.request_finish(41.0)
    task.cancel_finish(41.5)  # Esc: go on
    assert not task.confirm_finish(42.0)  # no pending request: Enter alone does not end it
    task.request_finish(43.0)
    assert task.confirm_finish(43.2)
    assert task.done and task.end_reason == "finish" and task.ended_at == 43.2
    assert _texts(task) == ["MARKER:task-start:", "MARKER:finish-request:", "MARKER:finish-cancel:",
                            "MARKER:finish-request:", "MARKER:task-end:finish"]


def test_typing_task_ends_at_its_time_limit_and_pauses_stop_the_clock() -> None:
    task = TypingTask("nl-copy-01", "tekst", 60.0)
    task.start(0.0)
    task.pause(20.0)
    task.tick(100.0)  # paused: the limit does not strike
    assert task.running
    task.resume(50.0)  # 30 s paused
    task.tick(89.0)
    assert task.running and task.remaining(89.0) == pytest.approx(1.0)
    task.tick(95.0)
    # the end is stamped at the limit itself: start 0 + 60 s + 30 s paused
    assert task.done and task.end_reason == "time" and task.ended_at == pytest.approx(90.0)
    assert not task.request_finish(96.0)


def test_transcription_plays_are_limited() -> None:
    task = TypingTask("nl-trans-01", "ref", 120.0, kind="transcription", lines=["l1", "l2"], replays=1)
    assert not task.play(0.0)  # not started
    task.start(0.0)
    assert task.play(0.5) and task.audio_requests == ["l1", "l2"]
    assert task.play(30.0) and task.plays_left == 0
    assert not task.play(40.0)  # third play refused: one play plus one replay
    assert task.audio_requests == ["l1", "l2", "l1", "l2"]


def test_typing_task_rejects_a_wrong_kind_and_a_zero_limit() -> None:
    with pytest.raises(ValueError, match="copy-typing or transcription"):
        TypingTask("x", "t", 10, kind="call")
    with pytest.raises(ValueError, match="time limit"):
        TypingTask("x", "t", 0)


def test_data_entry_knows_which_required_fields_are_empty() -> None:
    fields = [FormField("name", "Naam"), FormField("email", "E-mail"), FormField("note", "Notitie", required=False)]
    task = DataEntryTask("nl-entry-01", fields, ["l1"], 90.0, replays=0)
    task.start(0.0)
    assert task.play(0.1) and not task.play(5.0)  # replays = 0: one play only
    task.set_value("name", "Griet")
    assert task.empty_required() == ["email"]
    task.set_value("email", "  ")
    assert task.empty_required() == ["email"]  # blanks are empty
    with pytest.raises(KeyError):
        task.set_value("phone", "x")
    task.tick(91.0)
    assert task.end_reason == "time"


TIMELINE = [
    Cue("ring", T("start+3s"), "ring"),
    Cue("c1", T("pickup+1.5s"), "say", line="l1"),
    Cue("c2", T("line-end:l1+1s"), "say", after=T("say:ask-id"), timeout_s=8, line="l2"),
    Cue("chat", T("line-end:l2+4s"), "chat", chat="m1"),
    Cue("bye", T("line-end:l2+2s"), "hangup", after=T("transfer"), timeout_s=30),
    Cue("stop", T("hangup+60s"), "end"),
]


def test_call_success_path_fires_cues_on_triggers() -> None:
    call = CallTask("nl-call-x", TIMELINE, 420.0)
    call.start(0.0)
    call.tick(2.9)
    assert call.phone == "idle"
    call.tick(3.0)
    assert call.phone == "ringing"
    assert call.pickup(4.0) and call.phone == "connected"
    call.tick(5.4)
    assert call.audio_requests == []
    call.tick(5.5)  # pickup + 1.5 s
    assert call.audio_requests == ["l1"]
    call.on_audio(EventKind.AUDIO_ONSET, "l1", 5.55)
    call.on_audio(EventKind.AUDIO_OFFSET, "l1", 9.0)
    call.say("ask-id", 9.5)
    call.tick(10.4)
    assert call.audio_requests == ["l1"]
    call.tick(10.5)  # the later of line-end:l1 (9.0) and say:ask-id (9.5), + 1 s
    assert call.audio_requests == ["l1", "l2"]
    call.on_audio(EventKind.AUDIO_OFFSET, "l2", 15.0)
    call.open_record("K2", 15.5)
    call.set_identity(True, 16.0)
    call.tick(19.0)
    assert call.chats_shown == ["m1"]
    assert call.transfer("billing", 20.0) and call.phone == "ended"
    call.tick(80.0)  # hangup at 20 + 60 s: the scenario's end
    assert call.done and call.end_reason == "scenario"
    texts = _texts(call)
    for expected in ("SCREEN:ringing:", "SCREEN:pickup:", "CLICK::say:ask-id", "SCREEN:record-opened:record:K2",
                     "CLICK::identity:confirmed", "SCREEN:chat-shown:chat:m1", "CLICK::transfer:billing",
                     "SCREEN:hangup:", "MARKER:task-end:scenario"):
        assert expected in texts
    assert "SCREEN:hangup:caller" not in texts  # the candidate ended it, by the transfer


def test_call_failure_path_cues_time_out_and_the_caller_hangs_up() -> None:
    call = CallTask("nl-call-x", TIMELINE, 420.0)
    call.start(0.0)
    call.tick(3.0)
    assert not call.transfer("billing", 3.5)  # not connected yet
    call.tick(20.0)
    assert call.phone == "ringing"  # never picked up: no line plays
    assert call.pickup(25.0)
    call.tick(26.5)
    call.on_audio(EventKind.AUDIO_OFFSET, "l1", 30.0)
    call.tick(38.9)
    assert call.audio_requests == ["l1"]  # waiting for say:ask-id, 31 s + 8 s timeout
    call.tick(39.0)
    assert call.audio_requests == ["l1", "l2"]  # timed out: the caller goes on anyway
    call.on_audio(EventKind.AUDIO_OFFSET, "l2", 42.0)
    call.tick(73.9)
    assert call.phone == "connected"
    call.tick(74.0)  # no transfer: 42 + 2 + 30 s timeout, the caller hangs up
    assert call.phone == "ended"
    assert "SCREEN:hangup:caller" in _texts(call)
    call.tick(133.9)
    assert call.running
    call.tick(134.0)
    assert call.end_reason == "scenario"


def test_call_hold_and_the_time_limit() -> None:
    call = CallTask("nl-call-x", TIMELINE, 30.0)
    call.start(0.0)
    call.tick(3.0)
    call.pickup(4.0)
    assert call.toggle_hold(5.0) and call.phone == "hold"
    assert call.toggle_hold(6.0) and call.phone == "connected"
    call.tick(31.0)
    assert call.end_reason == "time"


def test_outbound_dial() -> None:
    call = CallTask("nl-call-4", [Cue("c1", T("dial+2s"), "say", line="l1")], 60.0,
                    direction="outbound")
    call.start(0.0)
    assert not call.pickup(1.0)
    assert call.dial("K4", 2.0) and call.phone == "connected"
    call.tick(4.0)
    assert call.audio_requests == ["l1"]
