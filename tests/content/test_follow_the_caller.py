"""The virtual operator: for every shipped call, doing what the caller's lines ask, in the order
the caller says it, scores 1.0.

Unlike the ideal log of ``test_content_calls_scoreable.py`` (built from the expected answers),
each walk below is written from the caller's lines, chats and records of its scenario (quoted
in the comments): the order is typed as the caller says it, the notes in words an operator
writes. A shipped expected value that no caller line, chat, record or knowledge-base article
supports makes its walk fail.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from test_content_calls_scoreable import CallLog

from typingtest.content import Call, load_item
from typingtest.engine.actions import action_score, score_actions
from typingtest.engine.events import EventKind as K


def _inbound(w: CallLog) -> CallLog:
    return w.ev(K.MARKER, "task-start").screen("ringing").screen("pickup")


NOTE_01 = "Bestelling: 1 Aqua Plus (WK-171) en 3 pakken ontkalkingstabletten. De Aqua WK-170 is niet in voorraad."


def walk_call_01(w: CallLog, order: tuple[tuple[str, str], ...] = (("WK-171", "1"), ("OT-030", "3")),
                 note: str = NOTE_01) -> None:
    _inbound(w).say("greet")
    w.line("l1")  # "Ik zou graag iets bestellen"
    w.say("ask-id").line("l2")  # "Mijn klantnummer is 2 0 5 7 1 8, 78": record K2
    w.screen("record-opened", "record:K2")
    w.say("ask-address").line("l3")  # "Kolveniersvest 9, 2500 Lier": K2's address
    w.click("identity:confirmed")
    w.line("l4")  # "drie pakken ontkalkingstabletten ... de Aqua van 1,7 liter. Hebt u die nog in voorraad?"
    w.click("purpose:order").screen("product-opened", "product:P1").say("out-of-stock")  # P1 stock 0
    w.line("l5")  # "Hebt u dan iets gelijkaardigs? De Aqua Plus misschien"
    w.screen("product-opened", "product:P2")
    w.screen("chat-shown", "chat:m1")  # Tom: "hoeveel zijn de verzendkosten als ik voor 30 euro bestel?"
    w.screen("article-opened", "article:A1")  # "Onder € 50,00 rekenen wij € 4,95 verzendkosten"
    w.type_field("chat_m1", "Dag Tom, de verzendkosten zijn 4,95 euro. Vanaf 50 euro is de levering gratis.")
    w.click("chat-reply:m1")
    w.line("l6")  # "doe dan maar één Aqua Plus, en de drie pakken tabletten"
    for n, (code, qty) in enumerate(order, start=1):
        w.type_field(f"order_code_{n}", code).type_field(f"order_qty_{n}", qty)
    w.click("submit:order").say("summarise")
    w.line("l7")  # "Dan is dat alles voor vandaag"
    w.say("close").line("l8").screen("hangup")
    w.type_field("wrapup", note).click("submit:wrap-up")


def walk_call_02(w: CallLog) -> None:
    _inbound(w).say("greet")
    w.line("l1")  # "Ik bel met een klacht over mijn laatste factuur"
    w.say("ask-id").line("l2")  # "5 7 1 2 0 9, 73": record K3
    w.screen("record-opened", "record:K3")
    w.say("ask-birthdate").line("l3")  # "Drie november negentienhonderd tweeëntachtig": K3's birth date
    w.click("identity:confirmed")
    w.line("l4")  # technician on 24 February, "het probleem in de kast op straat", 90 euro on the invoice
    w.click("purpose:complaint").say("empathise")
    w.screen("article-opened", "article:A2")
    w.type_field("complaint_intervention", "INT-558201")  # K3's history: "2026-02-24 interventie INT-558201"
    w.say("ask-invoice").line("l5")  # "F, 2026, 0 3 1 1 4 7 ... die negentig euro"
    w.type_field("complaint_invoice", "F-2026-031147").type_field("complaint_amount", "90")
    w.click("submit:contact")
    w.line("l6")  # "Ik heb trouwens op drie maart al eens gebeld"
    w.say("announce-transfer").line("l7")  # "verbind mij maar door"
    w.say("close-transfer").click("transfer:billing").screen("hangup")  # a transfer ends the call
    w.type_field("wrapup", "Klacht over factuur F-2026-031147: 90 euro interventiekosten, maar het defect zat "
                           "in de kast op straat. Klant had al gebeld op 3 maart. Doorverbonden naar facturatie.")
    w.click("submit:wrap-up")


def walk_call_03(w: CallLog) -> None:
    _inbound(w).say("greet")
    w.line("l1")  # "vragen over mijn voorschot en over mijn afrekening"
    w.say("ask-id").line("l2")  # "1 0 9 4 5 5, 39": record K2
    w.screen("record-opened", "record:K2")
    w.say("ask-address").line("l3")  # "Tervuursesteenweg 301, dertig nul één, Heverlee"
    w.click("identity:confirmed")
    w.line("l4")  # "zonnepanelen ... honderdvijfenveertig euro ... omlaag naar honderdtien euro per maand?"
    w.click("purpose:information").screen("article-opened", "article:A1")  # from the 1st of next month
    w.say("advance-ok")
    w.type_field("new_advance", "110").type_field("advance_start", "01/04/2026")  # today is 2026-03-18
    w.click("submit:contact")
    w.screen("chat-shown", "chat:m1")  # "Moet ik zelf nog mijn meterstand doorgeven?" (digital meter)
    w.screen("article-opened", "article:A3")
    w.type_field("chat_m1", "Met een digitale meter hoeft u niets door te geven, hij wordt op afstand uitgelezen.")
    w.click("chat-reply:m1")
    w.line("l5")  # "wanneer krijg ik eigenlijk mijn jaarafrekening?"
    w.screen("article-opened", "article:A2").say("statement-june")  # meter month May (K2's history)
    w.screen("chat-shown", "chat:m2")  # "tot hoe laat kan ik vandaag nog ... bellen?"
    w.screen("article-opened", "article:A5")  # "maandag tot vrijdag van 8.00 tot 20.00 uur"
    w.type_field("chat_m2", "U kunt ons vandaag bellen tot 20 uur.").click("chat-reply:m2")
    w.line("l6")  # "Dan is dat alles voor vandaag"
    w.say("close").line("l7").screen("hangup")
    w.type_field("wrapup", "Voorschot verlaagd van 145 naar 110 euro per maand vanaf 1 april, klant heeft "
                           "zonnepanelen. Jaarafrekening volgt in juni.")
    w.click("submit:wrap-up")


def walk_call_04(w: CallLog) -> None:
    w.ev(K.MARKER, "task-start")
    w.screen("chat-shown", "chat:m1")  # "Wil jij meneer Jonas Peeters terugbellen ...?"
    w.type_field("chat_m1", "Oké, ik bel hem nu.").click("chat-reply:m1")
    w.screen("record-opened", "record:K3").screen("dial", "record:K3")  # the desk logs no pickup on a dial
    w.line("l1")  # "Hallo, met Annelies."
    w.say("introduce").click("purpose:sale")
    w.line("l2")  # "Jonas? Nee, die is er niet ... Hoeveel wordt die nieuwe premie?"
    w.say("no-details")
    w.line("l3")  # "Bel hem morgen na twee uur in de namiddag": today is Monday 2026-03-16
    w.click("callback:2026-03-17T14:30")
    w.type_field("callback_note", "Niet bereikt, hij is aan het werk. Verlenging autoverzekering bespreken.")
    w.say("ask-number").line("l4")  # "Dat is 0 4 8 8, 27, 61, 0 3."
    w.type_field("callback_phone", "0488 27 61 03")
    w.say("confirm-callback").line("l5").screen("hangup", "caller")  # "Dag." and she hangs up
    w.screen("chat-shown", "chat:m2")  # "Is het gelukt met meneer Peeters? Wanneer bel je hem terug?"
    w.type_field("chat_m2", "Niet bereikt, hij was aan het werk. Ik bel hem morgen na 14 uur terug.")
    w.click("chat-reply:m2")
    w.type_field("wrapup", "Klant niet bereikt, gesproken met zijn echtgenote Annelies. Terugbellen morgen "
                           "na 14 uur op zijn gsm 0488 27 61 03.")
    w.click("submit:wrap-up")


def walk_call_05(w: CallLog) -> None:
    _inbound(w).say("greet")
    w.line("l1")  # "ik heb dringend een nieuwe simkaart nodig"
    w.click("purpose:assistance").screen("article-opened", "article:A1")  # identity check before any data
    w.say("ask-id").line("l2")  # "3 7 7 1 0 5, 66": record K2
    w.screen("record-opened", "record:K2")
    w.say("ask-birthdate").line("l3")  # "twaalf augustus negentienhonderd tachtig": K2 has 1980-08-21
    w.screen("chat-shown", "chat:m1")  # "Hoeveel kost een nieuwe, en kan ik die in de winkel halen?"
    w.say("ask-address").line("l4")  # "Leopoldlei 15, 29 30 Brasschaat": K2 lives in Kapellen
    w.click("identity:rejected")
    w.line("l5")  # "naar mijn werk sturen ... zeg mij ook even welk e-mailadres u van mij hebt"
    w.say("refuse").say("offer-shop")
    w.screen("article-opened", "article:A2")
    w.type_field("chat_m1", "Een nieuwe simkaart kost 10 euro en u kunt die meteen in de winkel halen.")
    w.click("chat-reply:m1")
    w.line("l6")  # "Zeg mij dan tenminste welk e-mailadres er bij u staat."
    w.say("refuse-again")
    w.line("l7").screen("hangup", "caller")  # "Laat maar zitten. Dit is belachelijk." and he hangs up
    w.type_field("wrapup", "Identiteitscontrole mislukt: geboortedatum en adres klopten niet. Beller vroeg een "
                           "nieuwe simkaart en het e-mailadres; geen gegevens meegedeeld. Vermoeden van fraude.")
    w.click("submit:wrap-up")


WALKS: dict[str, Callable[[CallLog], None]] = {
    "nl-call-01": walk_call_01, "nl-call-02": walk_call_02, "nl-call-03": walk_call_03,
    "nl-call-04": walk_call_04, "nl-call-05": walk_call_05,
}


def _scores(call: Call, w: CallLog) -> list:  # type: ignore[type-arg]
    return score_actions(call.expect, w.build(), fields=call.fields, language=call.language)


def test_every_shipped_call_has_a_walk() -> None:
    from test_content_calls_scoreable import CALLS

    assert sorted(WALKS) == CALLS


@pytest.mark.parametrize("call_id", sorted(WALKS))
def test_the_virtual_operator_scores_one(call_id: str) -> None:
    call = load_item(call_id)
    w = CallLog(call)
    WALKS[call_id](w)
    scores = _scores(call, w)
    failed = [(s.id, s.done, s.correct, s.in_time, s.observed, s.facts_missing, s.details)
              for s in scores if s.score != s.weight]
    assert failed == []
    assert action_score(scores) == 1.0


def test_the_order_entered_in_the_other_order_scores_one() -> None:
    call = load_item("nl-call-01")
    w = CallLog(call)
    walk_call_01(w, order=(("OT-030", "3"), ("WK-171", "1")))
    assert action_score(_scores(call, w)) == 1.0


def test_a_wrong_quantity_costs_exactly_that_line() -> None:
    call = load_item("nl-call-01")
    w = CallLog(call)
    walk_call_01(w, order=(("WK-171", "1"), ("OT-030", "2")))
    scores = _scores(call, w)
    assert [s.id for s in scores if s.score != s.weight] == ["order-qty-2", "order-entered"]
    # hand count: 19 expected actions of weight 1 in nl-call-01, two of them lost
    assert len(scores) == 19
    assert action_score(scores) == pytest.approx(17 / 19)


# ----------------------------------------------------------------------------- the wrap-up note


def _call_01_with_note(note: str) -> list:  # type: ignore[type-arg]
    call = load_item("nl-call-01")
    w = CallLog(call)
    walk_call_01(w, note=note)
    return _scores(call, w)


def test_one_missed_fact_costs_one_fact_not_the_save() -> None:
    # no "niet in voorraad": 3 of the note's 4 facts; the save of the note still counts
    scores = {s.id: s for s in _call_01_with_note("Bestelling: 1 Aqua Plus en 3 pakken ontkalkingstabletten.")}
    assert (scores["wrapup-note"].score, scores["wrapup-note"].facts_missing) == (0.75, ("out-of-stock",))
    assert scores["contact-registered"].score == 1.0
    # hand count: 18 + 0.75 of 19 actions of weight 1 (before: 17 of 19, the save lost as well)
    assert action_score(list(scores.values())) == pytest.approx(18.75 / 19)


def test_natural_belgian_phrasings_of_the_note_score_every_fact() -> None:
    scores = {s.id: s for s in _call_01_with_note(
        "Klant bestelt 1 Aqua Plus en 3 ontkalkingstabletten. Aqua 1,7 l is niet meer op voorraad.")}
    assert scores["wrapup-note"].facts_missing == ()
