"""One trigger engine (issue 15, item 1): the live call fires a cue when the scoring says it is due.

``CallTask`` finds triggers in the rows it logs with ``content.triggers.Trigger.matches`` and
decides due times with ``engine.actions.cue_due``, the rule ``cue_due_time`` applies to a log
after the fact. Each trigger kind of docs/content.md ("Triggers") is fired live on an injected
clock (a tick every 0.25 s, so every time below is exact in binary) and compared with the
post-hoc matcher over the same rows. Times are seconds since the task started.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from typingtest.content.loader import ContentError, load_file
from typingtest.content.model import Cue
from typingtest.content.triggers import TRIGGERS, Trigger, TriggerError, parse_trigger
from typingtest.engine.actions import cue_due_time, trigger_time
from typingtest.engine.events import EventKind, make_log
from typingtest.workstation.tasks import CallTask

CALLS = Path(__file__).resolve().parents[2] / "passages" / "nl" / "call"
SLOT = "2026-03-17T14:30"

#: the scenario every probe runs in: a ring, the caller's first line, a chat message, the end
SCENARIO = [
    Cue("ring", parse_trigger("start+1s"), "ring"),
    Cue("c1", parse_trigger("pickup+1s"), "say", line="l1"),
    Cue("chat", parse_trigger("line-end:l1+1s"), "chat", chat="m1"),
    Cue("stop", parse_trigger("hangup+5s"), "end"),
]

#: trigger -> when it happens in the script below (seconds), written out
HAPPENS_AT = {
    "start": 0.0,
    "cue:ring": 1.0,  # start + 1 s
    "ringing": 1.0,
    "pickup": 2.0,
    "line-start:l1": 3.25,  # requested at pickup + 1 s = 3.0, the player starts 0.25 s later
    "line-end:l1": 6.0,
    "chat-shown:m1": 7.0,  # line-end:l1 + 1 s
    "record-opened": 7.5,
    "record-opened:K2": 7.5,
    "article-opened:A1": 8.0,
    "product-opened:P1": 8.5,
    "identity": 9.0,
    "identity:confirmed": 9.0,
    "purpose": 9.5,
    "purpose:billing": 9.5,
    "say:greet": 10.0,
    "callback": 10.5,
    f"callback:{SLOT}": 10.5,
    "submit:contact": 11.0,
    "chat-reply:m1": 11.5,
    "transfer": 12.0,
    "transfer:billing": 12.0,
    "hangup": 12.0,  # the transfer ends the call
}
OUTBOUND_HAPPENS_AT = {"dial": 2.0, "dial:K2": 2.0}


def _run(call: CallTask, actions: dict[float, list], until: float = 20.0) -> None:
    """Start at 0 and tick every 0.25 s up to ``until``; the actions of a moment come before its tick."""
    call.start(0.0)
    for i in range(int(until / 0.25) + 1):
        now = i * 0.25
        for act in actions.get(now, []):
            act(now)
        call.tick(now)


def _inbound_script(call: CallTask) -> dict[float, list]:
    return {
        2.0: [call.pickup],
        3.25: [lambda t: call.on_audio(EventKind.AUDIO_ONSET, "l1", t)],
        6.0: [lambda t: call.on_audio(EventKind.AUDIO_OFFSET, "l1", t)],
        7.5: [lambda t: call.open_record("K2", t)],
        8.0: [lambda t: call.open_article("A1", t)],
        8.5: [lambda t: call.open_product("P1", t)],
        9.0: [lambda t: call.set_identity(True, t)],
        9.5: [lambda t: call.choose_purpose("billing", t)],
        10.0: [lambda t: call.say("greet", t)],
        10.5: [lambda t: call.plan_callback(SLOT, t)],
        11.0: [lambda t: call.submit("contact", t)],
        11.5: [lambda t: call.reply_chat("m1", t)],
        12.0: [lambda t: call.transfer("billing", t)],
    }


def _outbound_script(call: CallTask) -> dict[float, list]:
    return {2.0: [lambda t: call.dial("K2", t)]}


def _log(call: CallTask):  # type: ignore[no-untyped-def]
    """The rows the call logged (its own and the player's), as the event log the scoring reads."""
    return make_log({"t": r.t, "kind": r.kind, "text": r.text, "target": r.target} for r in call.rows)


def _probes(trigger: str) -> list[Cue]:
    """A cue 1.5 s after ``trigger``, and one waiting for it as ``after`` (from the start, 0 s delay)."""
    return [Cue("probe-at", parse_trigger(f"{trigger}+1.5s"), "chat", chat="probe"),
            Cue("probe-after", parse_trigger("start"), "chat", after=parse_trigger(trigger), timeout_s=100.0,
                chat="probe")]


def test_every_trigger_kind_of_the_docs_is_probed() -> None:
    probed = {parse_trigger(t).name for t in (*HAPPENS_AT, *OUTBOUND_HAPPENS_AT)}
    assert probed == set(TRIGGERS)


@pytest.mark.parametrize(("trigger", "direction"),
                         [(t, "inbound") for t in HAPPENS_AT] + [(t, "outbound") for t in OUTBOUND_HAPPENS_AT])
def test_a_cue_fires_live_when_the_post_hoc_matcher_finds_it_due(trigger: str, direction: str) -> None:
    timeline = [*SCENARIO, *_probes(trigger)] if direction == "inbound" else [
        Cue("c1", parse_trigger("dial+1s"), "say", line="l1"), *_probes(trigger)]
    call = CallTask("nl-call-x", timeline, 600.0, direction=direction)
    _run(call, (_inbound_script if direction == "inbound" else _outbound_script)(call))
    log = _log(call)
    happened = {**HAPPENS_AT, **OUTBOUND_HAPPENS_AT}[trigger]
    assert call.happened(trigger) == happened
    assert trigger_time(log, trigger) == happened  # the post-hoc matcher, over the same rows
    at, after = timeline[-2], timeline[-1]
    assert call.fired["probe-at"] == cue_due_time(at, log) == happened + 1.5
    assert call.fired["probe-after"] == cue_due_time(after, log) == happened


def test_identity_confirmed_fires_one_second_after_the_confirmation(tmp_path: Path) -> None:
    """nl-call-02's c4 (``line-end:l3+1s``, timeout 20 s) waiting for ``identity:confirmed``
    instead of ``identity``: the content check accepts it, and the call fires it 1 s after the
    confirmation, not at its time-out."""
    source = (CALLS / "nl-call-02.toml").read_text(encoding="utf-8")
    old = 'id = "c4"\nat = "line-end:l3+1s"\nafter = "identity"\n'
    assert old in source
    path = tmp_path / "nl-call-02.toml"
    path.write_text(source.replace(old, old.replace('"identity"', '"identity:confirmed"')), encoding="utf-8")
    item = load_file(path)
    c4 = next(c for c in item.timeline if c.id == "c4")
    assert c4.after == Trigger("identity", "confirmed")

    call = CallTask(item.id, item.timeline, 600.0)
    audio = lambda kind, line: (lambda t: call.on_audio(kind, line, t))  # noqa: E731
    _run(call, {
        4.0: [call.pickup],                                    # ring at start + 3 s
        5.5: [audio(EventKind.AUDIO_ONSET, "l1")],            # c1: pickup + 1.5 s
        9.0: [audio(EventKind.AUDIO_OFFSET, "l1"), lambda t: call.say("ask-id", t)],
        10.0: [audio(EventKind.AUDIO_ONSET, "l2")],           # c2: the later of 9.0 and 9.0, + 1 s
        14.0: [audio(EventKind.AUDIO_OFFSET, "l2"), lambda t: call.say("ask-birthdate", t)],
        15.0: [audio(EventKind.AUDIO_ONSET, "l3")],           # c3: 14.0 + 1 s
        20.0: [audio(EventKind.AUDIO_OFFSET, "l3")],          # c4 waits from 21.0, at most to 41.0
        25.0: [lambda t: call.set_identity(True, t)],
    }, until=45.0)
    assert call.fired["c4"] == 26.0  # 25.0 + 1 s, not the time-out's 41.0
    assert cue_due_time(c4, _log(call)) == 26.0


def test_a_rejected_identity_does_not_fire_a_cue_waiting_for_confirmed() -> None:
    cue = Cue("c4", parse_trigger("start+1s"), "chat", after=parse_trigger("identity:confirmed"), timeout_s=20.0,
              chat="m1")
    call = CallTask("nl-call-x", [Cue("ring", parse_trigger("start"), "ring"), cue], 600.0)
    _run(call, {0.5: [call.pickup], 2.0: [lambda t: call.set_identity(False, t)]}, until=30.0)
    assert call.fired["c4"] == 21.0 == cue_due_time(cue, _log(call))  # 0 + 1 s + 20 s time-out


def test_the_trigger_grammar_is_the_content_loaders() -> None:
    """What the workstation's own parser (now gone) was tested for, on the one parser."""
    assert parse_trigger("pickup+1.5s") == Trigger("pickup", None, 1.5)
    assert parse_trigger("line-end:l3") == Trigger("line-end", "l3", 0.0)
    with pytest.raises(TriggerError):
        parse_trigger("pickup + 2 s")


# ------------------------------------------------------------------------- callback:SLOT


def test_callback_slot_can_be_written_as_a_trigger() -> None:
    assert parse_trigger(f"callback:{SLOT}+2s") == Trigger("callback", SLOT, 2.0)
    assert str(parse_trigger(f"callback:{SLOT}+2s")) == f"callback:{SLOT}+2s"
    with pytest.raises(TriggerError):
        parse_trigger("line-end:l3:00")  # only a slot carries a ':' of its own


def _call_04_with(tmp_path: Path, at: str) -> Path:
    source = (CALLS / "nl-call-04.toml").read_text(encoding="utf-8")
    cue = f'[[timeline]]\nid = "after-callback"\nat = "{at}"\ndo = "chat"\nchat = "m2"\n\n'
    anchor = '[[timeline]]\nid = "stop"\n'
    assert anchor in source
    path = tmp_path / "nl-call-04.toml"
    path.write_text(source.replace(anchor, cue + anchor), encoding="utf-8")
    return path


def test_the_loader_reads_a_callback_slot_trigger(tmp_path: Path) -> None:
    item = load_file(_call_04_with(tmp_path, "callback:2026-03-17T14:30+2s"))
    cue = next(c for c in item.timeline if c.id == "after-callback")
    assert cue.at == Trigger("callback", "2026-03-17T14:30", 2.0)


def test_the_loader_names_a_callback_slot_that_is_not_offered(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="2026-03-17T14:31"):
        load_file(_call_04_with(tmp_path, "callback:2026-03-17T14:31"))
