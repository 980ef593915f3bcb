"""Every shipped call can be done perfectly, and doing nothing scores nothing.

An ideal candidate's event log is built from each call's own expectations (the right record,
purpose, stock look-up, field values, facts, script order...), then scored: every expected
action must come out done, correct and in time. This catches scenarios that contradict
themselves (an `avoid` of what another action needs, a form whose values cannot all be right,
a deadline no one can meet).
"""

from __future__ import annotations

import pytest

from typingtest.content import Call, draw_form, load_all
from typingtest.engine.actions import action_score, score_actions
from typingtest.engine.events import EventKind as K
from typingtest.engine.events import make_log

ALL = {x.id: x for x in load_all()}
CALLS = sorted(i for i, x in ALL.items() if isinstance(x, Call))


class CallLog:
    """A call's event log built by hand: one event every 0.5 s, typed characters 0.01 s apart.

    Shared with ``test_follow_the_caller.py`` (the virtual operator): the same helpers build the
    ideal log below and the walks that follow the caller's lines.
    """

    def __init__(self, call: Call) -> None:
        self.call = call
        self.rows: list[dict] = []
        self.t = 0.0
        self.typed: set[str] = set()

    def ev(self, kind: K, text: str = "", target: str = "") -> CallLog:
        self.rows.append(dict(t=round(self.t, 3), kind=kind, text=text, target=target))
        self.t += 0.5
        return self

    def type_field(self, name: str, value: str | None = None) -> CallLog:
        """Type ``value`` (default: the field's value, or its facts' first phrasings) once in ``name``."""
        if name in self.typed:
            return self
        self.typed.add(name)
        f = self.call.get_field(name) if value is None else None
        text = value if value is not None else (
            ". ".join(fact.any[0] for fact in f.facts) if f.type == "note" else (f.value or "")
        )
        for ch in text:
            self.rows.append(dict(t=round(self.t, 3), kind=K.TEXT, text=ch, target=name))
            self.t += 0.01
        self.t += 0.5
        return self

    def line(self, line_id: str) -> CallLog:
        """The caller says line ``line_id`` (its onset and offset)."""
        return self.ev(K.AUDIO_ONSET, line_id, "line").ev(K.AUDIO_OFFSET, line_id, "line")

    def say(self, step: str) -> CallLog:
        return self.ev(K.CLICK, "", f"say:{step}")

    def click(self, target: str) -> CallLog:
        return self.ev(K.CLICK, "", target)

    def screen(self, text: str, target: str = "") -> CallLog:
        return self.ev(K.SCREEN, text, target)

    def build(self):  # type: ignore[no-untyped-def]
        return make_log(self.rows)


def _ideal_log(call: Call) -> list[dict]:
    w = CallLog(call)
    w.ev(K.MARKER, "task-start")
    if call.direction == "inbound":
        w.screen("ringing").screen("pickup")
    else:
        w.screen("dial", f"record:{call.caller.record}").screen("pickup")
    orders = [e for e in call.expect if e.action == "script-order"]
    for e in orders:
        for step in e.params["steps"]:
            w.say(step)
    ordered = {s for e in orders for s in e.params["steps"]}
    for line in call.lines:
        w.line(line.id)
    for chat in call.chats:
        w.screen("chat-shown", f"chat:{chat.id}")
    for e in call.expect:
        p = e.params
        if e.action == "open-record":
            w.screen("record-opened", f"record:{p['record']}")
        elif e.action == "identity":
            w.click(f"identity:{p['result']}")
        elif e.action == "purpose":
            w.click(f"purpose:{p['purpose']}")
        elif e.action == "open-article":
            w.screen("article-opened", f"article:{p['article']}")
        elif e.action == "check-stock":
            w.screen("product-opened", f"product:{p['product']}")
        elif e.action == "transfer":
            w.click(f"transfer:{p['transfer']}")
        elif e.action == "callback":
            w.click(f"callback:{p['slots'][0]}")
        elif e.action == "say" and p["step"] not in ordered:
            w.say(p["step"])
        elif e.action == "field":
            w.type_field(p["field"], p.get("value"))
        elif e.action == "chat-reply":
            w.type_field(p["field"])
            w.click(f"chat-reply:{p['chat']}")
        elif e.action == "submit":
            for f in call.fields:
                if f.form == p["form"]:
                    w.type_field(f.name)
            w.click(f"submit:{p['form']}")
    w.screen("hangup")
    return w.rows


@pytest.mark.parametrize("call_id", CALLS)
def test_an_ideal_candidate_scores_every_action(call_id: str) -> None:
    call = draw_form(ALL[call_id], seed=1)
    log = make_log(_ideal_log(call))
    scores = score_actions(call.expect, log, fields=call.fields, language=call.language)
    failed = [(s.id, s.done, s.correct, s.in_time, s.observed, s.facts_missing) for s in scores if s.score != s.weight]
    assert failed == []
    assert action_score(scores) == 1.0


@pytest.mark.parametrize("call_id", CALLS)
def test_doing_nothing_scores_only_what_was_to_be_avoided(call_id: str) -> None:
    call = ALL[call_id]
    log = make_log([dict(t=0.0, kind=K.MARKER, text="task-start"), dict(t=2.0, kind=K.SCREEN, text="ringing")])
    scores = score_actions(call.expect, log, fields=call.fields, language=call.language)
    assert [s.id for s in scores if s.score > 0] == [e.id for e in call.expect if e.action == "avoid"]


ENTRIES = sorted(i for i, x in ALL.items() if x.kind == "data-entry")


@pytest.mark.parametrize("item_id", ENTRIES)
def test_typing_every_expected_value_fills_the_form_right(item_id: str) -> None:
    from typingtest.engine.actions import score_form

    item = draw_form(ALL[item_id], seed=3)
    rows, t = [], 0.0
    for f in item.fields:
        for ch in f.value or ". ".join(fact.any[0] for fact in f.facts):
            rows.append(dict(t=t, kind=K.TEXT, text=ch, target=f.name))
            t += 0.05
    form = score_form(item, make_log(rows))
    assert (form.field_completeness, form.field_accuracy, form.wrong_field) == (1.0, 1.0, ())
    assert form.field_error_rate in (0.0, None)
