"""Scoring of expected actions (typingtest.engine.actions) on hand-built event logs.

Every action kind, done right and done wrong. Expected times and latencies are hand counts
from the logs written out below (seconds since the task started).
"""

from __future__ import annotations

import pytest

from typingtest.content.model import Expectation, Fact, Field
from typingtest.content.normalise import Normalisation
from typingtest.content.triggers import parse_trigger
from typingtest.engine.actions import action_score, score_actions, score_form, trigger_time
from typingtest.engine.events import EventKind as K
from typingtest.engine.events import make_log

FIELDS = [
    Field("order_code", "Artikelnummer", type="number", value="WK-170", form="order"),
    Field("order_qty", "Aantal", type="number", value="3", form="order"),
    Field("phone", "Telefoon", type="phone", value="03 218 44 10", form="contact"),
    Field("chat_m1", "Antwoord", type="note", form="chat",
          facts=(Fact("cost", ("4,95",)), Fact("free", ("vanaf 50", "boven 50")))),
    Field("wrapup", "Verslag", type="note", form="wrap-up",
          facts=(Fact("callback", ("terugbellen",)), Fact("tomorrow", ("morgen", "13 maart")))),
]


def expect(action: str, cue: str = "start", deadline_s: float | None = None, **params: object) -> Expectation:
    return Expectation(id=action, action=action, competence="co 01669", cue=parse_trigger(cue),
                       deadline_s=deadline_s, params=dict(params))


class Log:
    """A tiny builder of event logs."""

    def __init__(self) -> None:
        self.rows: list[dict] = [dict(t=0.0, kind=K.MARKER, text="task-start")]

    def ev(self, t: float, kind: K, text: str = "", target: str = "") -> Log:
        self.rows.append(dict(t=t, kind=kind, text=text, target=target))
        return self

    def type(self, t: float, target: str, text: str, step: float = 0.2) -> Log:
        for i, ch in enumerate(text):
            if ch == "\b":
                self.ev(t + i * step, K.EDIT, "backspace", target)
            else:
                self.ev(t + i * step, K.TEXT, ch, target)
        return self

    def build(self):  # type: ignore[no-untyped-def]
        return make_log(self.rows)


def one(e: Expectation, log: Log):  # type: ignore[no-untyped-def]
    return score_actions([e], log.build(), fields=FIELDS)[0]


# ----------------------------------------------------------------------------- triggers


def test_trigger_time_adds_the_delay_and_reads_line_ids() -> None:
    log = Log().ev(2.0, K.SCREEN, "ringing").ev(5.5, K.AUDIO_OFFSET, "l3", "line").build()
    assert trigger_time(log, "ringing") == 2.0
    assert trigger_time(log, "line-end:l3+1.5s") == 7.0
    assert trigger_time(log, "line-end:l4") is None


# ----------------------------------------------------------------------------- pickup / end-call / say


def test_pickup_in_time_and_late() -> None:
    log = Log().ev(3.0, K.SCREEN, "ringing").ev(9.0, K.SCREEN, "pickup")
    s = one(expect("pickup", "ringing", 12), log)
    assert (s.done, s.correct, s.in_time, s.latency_s, s.score) == (True, True, True, 6.0, 1.0)
    late = one(expect("pickup", "ringing", 5), log)
    assert (late.done, late.in_time, late.score) == (True, False, 0.0)


def test_pickup_never() -> None:
    s = one(expect("pickup", "ringing", 12), Log().ev(3.0, K.SCREEN, "ringing"))
    assert (s.done, s.correct, s.in_time, s.latency_s, s.score) == (False, False, False, None, 0.0)


def test_end_call_counts_only_a_hangup_after_pickup() -> None:
    log = Log().ev(1.0, K.SCREEN, "hangup").ev(3.0, K.SCREEN, "pickup").ev(200.0, K.SCREEN, "hangup")
    s = one(expect("end-call", "pickup", 300), log)
    assert (s.done, s.in_time, s.latency_s) == (True, True, 197.0)
    assert one(expect("end-call", "pickup", 100), log).score == 0.0


def test_say_a_script_step() -> None:
    log = Log().ev(3.0, K.SCREEN, "pickup").ev(4.5, K.CLICK, "", "say:greet")
    assert one(expect("say", "pickup", 10, step="greet"), log).latency_s == 1.5
    missing = one(expect("say", "pickup", 10, step="close"), log)
    assert (missing.done, missing.score) == (False, 0.0)


# ----------------------------------------------------------------------------- choices


def test_open_record_right_one_counts_the_last_opened_by_the_deadline() -> None:
    log = Log().ev(10.0, K.AUDIO_OFFSET, "l2", "line")
    log.ev(14.0, K.SCREEN, "record-opened", "record:K3").ev(18.0, K.SCREEN, "record-opened", "record:K2")
    s = one(expect("open-record", "line-end:l2", 30, record="K2"), log)
    assert (s.done, s.correct, s.latency_s, s.observed, s.score) == (True, True, 8.0, "K2", 1.0)


def test_open_record_wrong_one() -> None:
    log = Log().ev(10.0, K.AUDIO_OFFSET, "l2", "line").ev(14.0, K.SCREEN, "record-opened", "record:K3")
    s = one(expect("open-record", "line-end:l2", 30, record="K2"), log)
    assert (s.done, s.correct, s.observed, s.score) == (True, False, "K3", 0.0)


def test_open_record_corrected_after_the_deadline_is_late() -> None:
    log = Log().ev(10.0, K.AUDIO_OFFSET, "l2", "line")
    log.ev(14.0, K.SCREEN, "record-opened", "record:K3").ev(50.0, K.SCREEN, "record-opened", "record:K2")
    s = one(expect("open-record", "line-end:l2", 30, record="K2"), log)
    # the last record opened by the deadline (40 s) is K3: wrong
    assert (s.correct, s.in_time, s.score) == (False, True, 0.0)


@pytest.mark.parametrize(
    "action,key,expected,clicks,correct",
    [
        ("identity", "result", "rejected", ["identity:rejected"], True),
        ("identity", "result", "rejected", ["identity:confirmed"], False),
        ("identity", "result", "confirmed", ["identity:rejected", "identity:confirmed"], True),
        ("purpose", "purpose", "complaint", ["purpose:complaint"], True),
        ("purpose", "purpose", "complaint", ["purpose:information"], False),
        ("transfer", "transfer", "billing", ["transfer:billing"], True),
        ("transfer", "transfer", "billing", ["transfer:technical"], False),
        ("callback", "slots", ["2026-03-13T10:00"], ["callback:2026-03-13T10:00"], True),
        ("callback", "slots", ["2026-03-13T10:00"], ["callback:2026-03-13T15:00"], False),
    ],
)
def test_choices_the_last_choice_counts(action: str, key: str, expected: object, clicks: list[str],
                                        correct: bool) -> None:
    log = Log().ev(1.0, K.SCREEN, "pickup")  # identity and transfer count only in a connected call
    for i, target in enumerate(clicks):
        log.ev(5.0 + i, K.CLICK, "", target)
    s = one(expect(action, "start", 60, **{key: expected}), log)
    assert (s.done, s.correct, s.score) == (True, correct, 1.0 if correct else 0.0)
    assert s.latency_s == 5.0 + len(clicks) - 1


def test_choice_not_made() -> None:
    s = one(expect("transfer", "start", 60, transfer="billing"), Log())
    assert (s.done, s.correct, s.latency_s, s.score) == (False, False, None, 0.0)


# ----------------------------------------------------------------------------- look-ups


def test_check_stock_and_open_article() -> None:
    log = Log().ev(20.0, K.AUDIO_OFFSET, "l4", "line")
    log.ev(24.0, K.SCREEN, "product-opened", "product:P5").ev(27.0, K.SCREEN, "product-opened", "product:P1")
    log.ev(30.0, K.SCREEN, "chat-shown", "chat:m1").ev(41.0, K.SCREEN, "article-opened", "article:A1")
    stock = one(expect("check-stock", "line-end:l4", 30, product="P1"), log)
    assert (stock.correct, stock.latency_s, stock.observed) == (True, 7.0, ["P5", "P1"])
    article = one(expect("open-article", "chat-shown:m1", 60, article="A1"), log)
    assert (article.correct, article.latency_s) == (True, 11.0)
    wrong = one(expect("open-article", "chat-shown:m1", 60, article="A2"), log)
    assert (wrong.done, wrong.correct, wrong.score) == (True, False, 0.0)
    none = one(expect("check-stock", "line-end:l4", 30, product="P1"), Log())
    assert (none.done, none.score) == (False, 0.0)


# ----------------------------------------------------------------------------- typed fields


def test_field_right_after_normalisation_and_corrections() -> None:
    # typed "WK 17O" then corrected the letter O to 0: "WK 170" == "WK-170" as a number field
    log = Log().type(10.0, "order_code", "WK 17O\b0")
    s = one(expect("field", "start", None, field="order_code"), log)
    assert (s.done, s.correct, s.msd_error_rate, s.observed) == (True, True, 0.0, "WK 170")
    assert s.latency_s == pytest.approx(11.4)  # the last keystroke in the field: 10 + 7 x 0.2


def test_field_wrong_value_gives_its_msd_error_rate() -> None:
    s = one(expect("field", "start", None, field="order_code"), Log().type(10.0, "order_code", "WK-107"))
    # normalised "wk170" vs "wk107": Levenshtein 2 (hand count), longest 5 -> 0.4
    assert (s.done, s.correct, s.msd_error_rate, s.score) == (True, False, 0.4, 0.0)


def test_field_empty_and_phone_variants() -> None:
    empty = one(expect("field", "start", None, field="order_qty"), Log())
    assert (empty.done, empty.correct, empty.msd_error_rate) == (False, False, 1.0)
    phone = one(expect("field", "start", None, field="phone"), Log().type(1.0, "phone", "+32 3 218 44 10"))
    assert phone.correct


def test_field_value_override_for_drawn_data() -> None:
    s = one(expect("field", "start", None, field="order_qty", value="4"), Log().type(1.0, "order_qty", "4"))
    assert s.correct and s.expected == "4"


def test_note_on_facts() -> None:
    log = Log().ev(100.0, K.SCREEN, "hangup").type(110.0, "wrapup", "Klant wil morgen terugbelen.", 0.1)
    s = one(expect("field", "hangup", 120, field="wrapup"), log)
    # "terugbelen" is one letter short of "terugbellen": a small typo, found (partial ratio >= 90)
    assert (s.correct, s.facts_found, s.facts_missing) == (True, ("callback", "tomorrow"), ())
    partial = one(expect("field", "hangup", 120, field="wrapup"),
                  Log().ev(100.0, K.SCREEN, "hangup").type(110.0, "wrapup", "Klant belt zelf terug."))
    assert (partial.correct, partial.facts_missing) == (False, ("callback", "tomorrow"))


def test_chat_reply_scored_on_what_was_sent() -> None:
    log = Log().ev(30.0, K.SCREEN, "chat-shown", "chat:m1")
    log.type(40.0, "chat_m1", "Verzending kost 4,95 euro, gratis vanaf 50 euro.", 0.1)
    log.ev(50.0, K.CLICK, "", "chat-reply:m1")
    s = one(expect("chat-reply", "chat-shown:m1", 90, chat="m1", field="chat_m1"), log)
    assert (s.done, s.correct, s.latency_s, s.score) == (True, True, 20.0, 1.0)
    unsent = Log().ev(30.0, K.SCREEN, "chat-shown", "chat:m1").type(40.0, "chat_m1", "4,95 en gratis vanaf 50")
    s2 = one(expect("chat-reply", "chat-shown:m1", 90, chat="m1", field="chat_m1"), unsent)
    assert (s2.done, s2.correct, s2.score) == (False, False, 0.0)
    half = Log().ev(30.0, K.SCREEN, "chat-shown", "chat:m1").type(40.0, "chat_m1", "Dat kost 4,95.")
    half.ev(45.0, K.CLICK, "", "chat-reply:m1")
    s3 = one(expect("chat-reply", "chat-shown:m1", 90, chat="m1", field="chat_m1"), half)
    assert (s3.done, s3.correct, s3.facts_missing) == (True, False, ("free",))


def test_submit_checks_the_form_as_it_was_when_saved() -> None:
    log = Log().type(10.0, "order_code", "WK-170").type(12.0, "order_qty", "3").ev(14.0, K.CLICK, "", "submit:order")
    s = one(expect("submit", "start", 60, form="order"), log)
    assert (s.done, s.correct, s.latency_s, s.details["fields_wrong"]) == (True, True, 14.0, [])
    early = Log().type(10.0, "order_code", "WK-170").ev(11.5, K.CLICK, "", "submit:order").type(12.0, "order_qty", "3")
    s2 = one(expect("submit", "start", 60, form="order"), early)
    assert (s2.done, s2.correct, s2.details["fields_wrong"]) == (True, False, ["order_qty"])
    assert one(expect("submit", "start", 60, form="order"), Log()).done is False


# ----------------------------------------------------------------------------- order, avoid


def test_script_order() -> None:
    steps = ["greet", "ask-id", "close"]
    good = Log().ev(0.5, K.SCREEN, "pickup").ev(1.0, K.CLICK, "", "say:greet").ev(2.0, K.CLICK, "", "say:ask-id")
    good.ev(3.0, K.CLICK, "", "say:close")
    s = one(expect("script-order", "start", None, steps=steps), good)
    assert (s.done, s.correct, s.latency_s) == (True, True, 3.0)
    swapped = Log().ev(0.5, K.SCREEN, "pickup").ev(1.0, K.CLICK, "", "say:ask-id").ev(2.0, K.CLICK, "", "say:greet")
    swapped.ev(3.0, K.CLICK, "", "say:close")
    s2 = one(expect("script-order", "start", None, steps=steps), swapped)
    assert (s2.done, s2.correct, s2.observed) == (True, False, ["ask-id", "greet", "close"])
    partial = Log().ev(0.5, K.SCREEN, "pickup").ev(1.0, K.CLICK, "", "say:greet")
    assert one(expect("script-order", "start", None, steps=steps), partial).done is False


def test_avoid() -> None:
    clean = one(expect("avoid", "start", None, event="say:give-address"), Log().ev(5.0, K.CLICK, "", "say:refuse"))
    assert (clean.correct, clean.score) == (True, 1.0)
    leaked = one(expect("avoid", "start", None, event="say:give-address"),
                 Log().ev(5.0, K.CLICK, "", "say:give-address"))
    assert (leaked.correct, leaked.score, leaked.details["violated_at_s"]) == (False, 0.0, 5.0)


# ----------------------------------------------------------------------------- totals and forms


def test_action_score_is_the_weighted_share() -> None:
    log = Log().ev(3.0, K.SCREEN, "ringing").ev(5.0, K.SCREEN, "pickup").build()
    exps = [expect("pickup", "ringing", 12),
            Expectation("t", "transfer", "D140801 Id16426", parse_trigger("pickup"), None, 3.0, {"transfer": "x"})]
    scores = score_actions(exps, log, fields=FIELDS)
    assert action_score(scores) == 0.25  # 1 of weight 1 + 3
    assert action_score([]) is None
    assert scores[0].to_dict()["competence"] == "co 01669"


def test_score_form_completeness_accuracy_and_wrong_field() -> None:
    from typingtest.content.model import DataEntry

    fields = (
        Field("last_name", "Naam", value="Peeters", normalise=Normalisation(case="fold")),
        Field("municipality", "Gemeente", value="Antwerpen"),
        Field("postcode", "Postcode", type="number", value="2000"),
        Field("email", "E-mail", type="email", value="jan.peeters@postduif.be", required=False),
    )
    item = DataEntry(id="x", kind="data-entry", language="nl", title="", path=None, fields=fields)
    log = Log().type(1.0, "last_name", "peeters").type(3.0, "municipality", "2000").build()
    form = score_form(item, log)
    assert form.field_completeness == pytest.approx(2 / 3)
    assert form.field_accuracy == pytest.approx(1 / 3)
    # Levenshtein: peeters/peeters 0, antwerpen/2000 9 (longest 9), 2000/"" 4 -> 13 / (7 + 9 + 4)
    assert form.field_error_rate == pytest.approx(13 / 20)
    assert form.wrong_field == (("municipality", "postcode"),)


# ----------------------------------------------------------------------------- the timeline


def test_cues_due_follow_triggers_after_and_timeout() -> None:
    from typingtest.content import load_item
    from typingtest.engine.actions import cue_due_time, cues_due

    call = load_item("nl-call-01")
    cues = {c.id: c for c in call.timeline}
    log = Log().build()
    assert [c.id for c in cues_due(call.timeline, log, 3.0)] == ["ring"]  # at = "start+3s"
    assert cues_due(call.timeline, log, 2.9) == []
    log = Log().ev(3.0, K.SCREEN, "ringing").ev(7.0, K.SCREEN, "pickup").build()
    assert cue_due_time(cues["c1"], log) == 8.5  # pickup + 1.5 s
    assert [c.id for c in cues_due(call.timeline, log, 9.0, fired=["ring"])] == ["c1"]
    # c2: at = "line-end:l1+1s", after = "say:ask-id", timeout_s = 8
    ended = Log().ev(7.0, K.SCREEN, "pickup").ev(12.0, K.AUDIO_OFFSET, "l1", "line")
    assert cue_due_time(cues["c2"], ended.build()) == 21.0  # 12 + 1, nobody asked: 8 s later
    ended.ev(15.0, K.CLICK, "", "say:ask-id")
    assert cue_due_time(cues["c2"], ended.build()) == 16.0  # 1 s after the operator asked
    early = Log().ev(7.0, K.SCREEN, "pickup").ev(9.0, K.CLICK, "", "say:ask-id").ev(12.0, K.AUDIO_OFFSET, "l1", "line")
    assert cue_due_time(cues["c2"], early.build()) == 13.0  # asked before l1 ended: 1 s after l1


def test_end_call_of_an_outbound_call_counts_from_the_dial() -> None:
    log = Log().ev(2.0, K.SCREEN, "dial", "record:K3").ev(90.0, K.SCREEN, "hangup")
    s = one(expect("end-call", "dial", 120), log)
    assert (s.done, s.in_time, s.latency_s) == (True, True, 88.0)


def test_call_metrics_and_verdicts() -> None:
    from typingtest.config import load_thresholds
    from typingtest.content import load_item
    from typingtest.engine.actions import call_metrics, call_verdicts

    call = load_item("nl-call-01")
    log = Log().ev(3.0, K.SCREEN, "ringing").ev(8.0, K.SCREEN, "pickup").ev(20.0, K.AUDIO_OFFSET, "l2", "line")
    log.ev(31.0, K.SCREEN, "record-opened", "record:K2").ev(200.0, K.SCREEN, "hangup", "caller")
    log.ev(260.0, K.CLICK, "", "submit:wrap-up")
    m = call_metrics(call, log.build())
    # hand counts: 8 - 3; 260 - 8; 31 - 20 (find-caller's cue is line-end:l2)
    assert (m["pickup_time_s"], m["call_handling_time_s"], m["record_find_time_s"]) == (5.0, 252.0, 11.0)
    assert m["actions_total"] == len(call.expect)
    verdicts = {v["indicator"]: v for v in call_verdicts(m, load_thresholds())}
    # thresholds.toml defaults: pick-up <= 12 s, handling <= 420 s, record found <= 30 s, action score >= 0.8
    assert verdicts["pickup_time_s"]["passed"] is True
    assert verdicts["call_handling_time_s"]["passed"] is True
    assert verdicts["record_find_time_s"]["passed"] is True
    assert verdicts["action_score"]["passed"] is False
    assert verdicts["record_find_time_s"]["competence"] == "D140801 Id17425"


def test_form_verdicts() -> None:
    from typingtest.config import load_thresholds
    from typingtest.engine.actions import FormScore, form_verdicts

    v = {x["indicator"]: x for x in form_verdicts(FormScore((), 1.0, 1.0, 0.02), load_thresholds())}
    assert (v["field_error_rate"]["passed"], v["field_completeness"]["passed"]) == (True, True)
    v = {x["indicator"]: x for x in form_verdicts(FormScore((), 0.75, 0.5, 0.031), load_thresholds())}
    assert (v["field_error_rate"]["passed"], v["field_completeness"]["passed"]) == (False, False)


# ----------------------------------------------------------------------------- credit only for the act, in its time


def test_the_last_save_of_a_form_is_judged() -> None:
    # saved with quantity 4 at 13 s, corrected to 3 and saved again at 16 s
    log = Log().type(10.0, "order_code", "WK-170").type(12.0, "order_qty", "4").ev(13.0, K.CLICK, "", "submit:order")
    log.type(14.0, "order_qty", "\b3").ev(16.0, K.CLICK, "", "submit:order")
    s = one(expect("submit", "start", 60, form="order"), log)
    assert (s.correct, s.latency_s, s.details["saves_s"], s.details["fields_wrong"]) == (True, 16.0, [13.0, 16.0], [])
    # and the other way round: right first, then spoiled and saved again
    spoiled = Log().type(10.0, "order_code", "WK-170").type(12.0, "order_qty", "3")
    spoiled.ev(13.0, K.CLICK, "", "submit:order")
    spoiled.type(14.0, "order_qty", "\b4").ev(16.0, K.CLICK, "", "submit:order")
    s2 = one(expect("submit", "start", 60, form="order"), spoiled)
    assert (s2.correct, s2.details["fields_wrong"]) == (False, ["order_qty"])


def test_a_note_in_a_saved_form_needs_text_not_every_fact() -> None:
    # the wrap-up holds one of its two facts ("morgen"): the note loses half, the save nothing
    log = Log().ev(100.0, K.SCREEN, "hangup").type(110.0, "wrapup", "Morgen.", 0.1)
    log.ev(120.0, K.CLICK, "", "submit:wrap-up")
    note = one(expect("field", "hangup", 120, field="wrapup"), log)
    saved = one(expect("submit", "hangup", 120, form="wrap-up"), log)
    assert (note.correct, note.score, note.facts_missing) == (False, 0.5, ("callback",))
    assert (saved.correct, saved.score) == (True, 1.0)
    empty = one(expect("submit", "hangup", 120, form="wrap-up"),
                Log().ev(100.0, K.SCREEN, "hangup").ev(120.0, K.CLICK, "", "submit:wrap-up"))
    assert (empty.correct, empty.details["fields_wrong"]) == (False, ["wrapup"])


def test_a_chat_reply_scores_per_fact() -> None:
    half = Log().ev(30.0, K.SCREEN, "chat-shown", "chat:m1").type(40.0, "chat_m1", "Dat kost 4,95.")
    half.ev(45.0, K.CLICK, "", "chat-reply:m1")
    s = one(expect("chat-reply", "chat-shown:m1", 90, chat="m1", field="chat_m1"), half)
    assert (s.correct, s.score) == (False, 0.5)  # 1 of its 2 facts


def test_connected_rows_run_from_pickup_to_hangup() -> None:
    from typingtest.engine.actions import connected_rows

    log = Log().ev(1.0, K.CLICK, "", "say:greet").ev(3.0, K.SCREEN, "pickup").ev(4.0, K.CLICK, "", "say:greet")
    log.ev(9.0, K.CLICK, "", "transfer:billing").ev(9.0, K.SCREEN, "hangup").ev(10.0, K.CLICK, "", "say:close")
    # rows: task-start, say (before), pickup, say, transfer, hangup, say (after)
    assert connected_rows(log.build()).tolist() == [False, False, False, True, True, False, False]


def test_script_lines_clicked_outside_the_call_are_not_said() -> None:
    # clicked at 1 s while the phone was idle, and at 50 s after the caller hung up at 40 s
    log = Log().ev(1.0, K.CLICK, "", "say:greet").ev(3.0, K.SCREEN, "ringing").ev(5.0, K.SCREEN, "pickup")
    log.ev(40.0, K.SCREEN, "hangup", "caller").ev(50.0, K.CLICK, "", "say:close")
    greet = one(expect("say", "pickup", 10, step="greet"), log)
    close = one(expect("say", "start", None, step="close"), log)
    assert (greet.done, greet.score, greet.details["outside_call_s"]) == (False, 0.0, [1.0])
    assert (close.done, close.score, close.details["outside_call_s"]) == (False, 0.0, [50.0])
    order = one(expect("script-order", "pickup", None, steps=["greet", "close"]), log)
    assert (order.done, order.score) == (False, 0.0)


def test_identity_confirmed_after_the_call_ended_does_not_count() -> None:
    log = Log().ev(5.0, K.SCREEN, "pickup").ev(40.0, K.SCREEN, "hangup").ev(45.0, K.CLICK, "", "identity:confirmed")
    s = one(expect("identity", "pickup", 60, result="confirmed"), log)
    assert (s.done, s.score, s.details["outside_call_s"]) == (False, 0.0, [45.0])


def test_handling_time_scores_only_the_operators_own_hangup() -> None:
    caller = Log().ev(3.0, K.SCREEN, "ringing").ev(5.0, K.SCREEN, "pickup").ev(200.0, K.SCREEN, "hangup", "caller")
    s = one(expect("end-call", "pickup", 300), caller)
    assert (s.done, s.score, s.details["caller_hung_up_s"]) == (False, 0.0, 200.0)
    allowed = one(expect("end-call", "pickup", 300, caller_may_end=True), caller)
    assert (allowed.done, allowed.latency_s, allowed.score) == (True, 195.0, 1.0)  # 200 - 5
    own = Log().ev(3.0, K.SCREEN, "ringing").ev(5.0, K.SCREEN, "pickup").ev(180.0, K.SCREEN, "hangup")
    assert one(expect("end-call", "pickup", 300), own).latency_s == 175.0  # 180 - 5


def test_an_act_not_allowed_before_its_cue() -> None:
    from dataclasses import replace

    e = replace(expect("identity", "line-end:l3", 20, result="confirmed"), not_before_cue=True)
    early = Log().ev(5.0, K.SCREEN, "pickup").ev(20.0, K.CLICK, "", "identity:confirmed")
    early.ev(25.0, K.AUDIO_OFFSET, "l3", "line")
    s = one(e, early)
    assert (s.done, s.correct, s.latency_s, s.details["before_cue"], s.score) == (True, False, 0.0, True, 0.0)
    never = one(e, Log().ev(5.0, K.SCREEN, "pickup").ev(20.0, K.CLICK, "", "identity:confirmed"))
    assert (never.correct, never.details["before_cue"]) == (False, True)  # the caller never gave the address
    again = early.ev(27.0, K.CLICK, "", "identity:confirmed")  # confirmed again once the caller answered
    s2 = one(e, again)
    assert (s2.correct, s2.latency_s, s2.score) == (True, 2.0, 1.0)  # 27 - 25


def test_an_act_allowed_before_its_cue_is_clipped_at_zero_and_marked() -> None:
    # the record found from the name (10 s) before the customer number was said (line l2 ends at 20 s)
    log = Log().ev(10.0, K.SCREEN, "record-opened", "record:K2").ev(20.0, K.AUDIO_OFFSET, "l2", "line")
    s = one(expect("open-record", "line-end:l2", 30, record="K2"), log)
    assert (s.correct, s.latency_s, s.details["before_cue"], s.score) == (True, 0.0, True, 1.0)


def test_record_find_time_without_its_cue_is_not_judged() -> None:
    from typingtest.config import load_thresholds
    from typingtest.content import load_item
    from typingtest.engine.actions import call_metrics, call_verdicts

    call = load_item("nl-call-01")
    # the record opened, but the line with the customer number (l2) never came
    log = Log().ev(3.0, K.SCREEN, "ringing").ev(8.0, K.SCREEN, "pickup")
    log.ev(20.0, K.SCREEN, "record-opened", "record:K2")
    m = call_metrics(call, log.build())
    assert m["record_find_time_s"] is None
    assert m["not_judged"]["record_find_time_s"] == "its cue (line-end:l2) never happened"
    v = {x["indicator"]: x for x in call_verdicts(m, load_thresholds())}["record_find_time_s"]
    assert (v["passed"], v["judged"], v["reason"]) == (None, False, "its cue (line-end:l2) never happened")
    assert {x["indicator"]: x for x in call_verdicts(m, load_thresholds())}["pickup_time_s"]["judged"] is True
    # found from the name before the number: 0 s, judged, and listed as before its cue
    early = Log().ev(3.0, K.SCREEN, "ringing").ev(8.0, K.SCREEN, "pickup")
    early.ev(15.0, K.SCREEN, "record-opened", "record:K2").ev(20.0, K.AUDIO_OFFSET, "l2", "line")
    m2 = call_metrics(call, early.build())
    assert (m2["record_find_time_s"], m2["before_cue"], "record_find_time_s" in m2["not_judged"]) == (
        0.0, ["record_find_time_s"], False)
