"""Facts in free notes, as Flemish operators write them (issue 18, item 2).

Each natural phrasing below is a note an operator could type for one fact of a shipped call;
the source says where it comes from: "issue 18" (the failures found in the walks of
``nl-call-01``), the caller's line or the knowledge-base article it repeats, or common
contact-centre shorthand (abbreviations, digits for words, € before or after). Each wrong
note must not count: negation and numbers are where a loose matcher goes wrong.
"""

from __future__ import annotations

import pytest

from typingtest.content import load_item
from typingtest.content.normalise import fact_found, fact_tokens

#: (call, field, fact, note, where the wording comes from)
NATURAL: list[tuple[str, str, str, str, str]] = [
    # nl-call-01: the chat about shipping (article A1: "vanaf € 50,00 gratis", "€ 4,95")
    ("nl-call-01", "chat_m1", "free-from", "Gratis levering vanaf €50.", "issue 18"),
    ("nl-call-01", "chat_m1", "free-from", "Verzending is gratis vanaf 50 euro.", "A1, euro after"),
    ("nl-call-01", "chat_m1", "free-from", "gratis vanaf EUR 50", "EUR before"),
    ("nl-call-01", "chat_m1", "free-from", "vanaf 50,00 € betaalt u geen verzendkosten", "A1 with cents, € after"),
    ("nl-call-01", "chat_m1", "free-from", "boven de 50 euro gratis", "spoken Flemish"),
    ("nl-call-01", "chat_m1", "free-from", "Vanaf € 50 is het gratis.", "A1 spacing"),
    ("nl-call-01", "chat_m1", "cost", "De verzendkosten zijn € 4,95.", "A1"),
    ("nl-call-01", "chat_m1", "cost", "4.95 EUR", "decimal point, EUR after"),
    ("nl-call-01", "chat_m1", "cost", "4 euro 95", "said as spoken"),
    ("nl-call-01", "chat_m1", "cost", "kost €4,95", "€ without space"),
    # nl-call-01: the wrap-up (caller l4-l6: "drie pakken ontkalkingstabletten", "één Aqua Plus")
    ("nl-call-01", "wrapup", "three", "3 ontkalkingstabletten", "issue 18"),
    ("nl-call-01", "wrapup", "three", "drie pakken tabletten", "caller l6"),
    ("nl-call-01", "wrapup", "three", "3x OT-030", "product code, x attached"),
    ("nl-call-01", "wrapup", "three", "3 pak ontkalkingstabletten", "singular pak"),
    ("nl-call-01", "wrapup", "three", "OT-030 x 3", "quantity after the code"),
    ("nl-call-01", "wrapup", "three", "3 st. tabletten", "st. for stuks"),
    ("nl-call-01", "wrapup", "tablets", "3 ontkalkingstabletten", "caller l4"),
    ("nl-call-01", "wrapup", "tablets", "OT030", "code without dash"),
    ("nl-call-01", "wrapup", "tablets", "ontkalkingstablet", "singular compound"),
    ("nl-call-01", "wrapup", "tablets", "ontkalkingstablettem", "one typo"),
    ("nl-call-01", "wrapup", "aqua-plus", "één Aqua Plus", "caller l6"),
    ("nl-call-01", "wrapup", "aqua-plus", "1x WK-171", "product code"),
    ("nl-call-01", "wrapup", "aqua-plus", "een AquaPlus besteld", "written together"),
    ("nl-call-01", "wrapup", "out-of-stock", "Aqua niet op voorraad", "issue 18"),
    ("nl-call-01", "wrapup", "out-of-stock", "Aqua niet meer in voorraad", "caller l5 'niet meer leverbaar'"),
    ("nl-call-01", "wrapup", "out-of-stock", "Aqua uitverkocht", "common"),
    ("nl-call-01", "wrapup", "out-of-stock", "Aqua momenteel niet leverbaar", "caller l5"),
    ("nl-call-01", "wrapup", "out-of-stock", "Aqua: voorraad 0", "as the product table shows it"),
    ("nl-call-01", "wrapup", "out-of-stock", "WK-170 niet beschikbaar", "common"),
    ("nl-call-01", "wrapup", "out-of-stock", "Aqua pas over 15 dagen leverbaar", "product table: 15 days"),
    ("nl-call-01", "wrapup", "out-of-stock", "geen voorraad meer van de Aqua", "common"),
    # nl-call-02 (caller l4-l6, record K3, article A2)
    ("nl-call-02", "wrapup", "invoice", "fact. F2026/031147", "shorthand, slash"),
    ("nl-call-02", "wrapup", "invoice", "factuurnr 2026 031147", "caller l5 without the F"),
    ("nl-call-02", "wrapup", "amount", "€ 90,00 betwist", "record K3"),
    ("nl-call-02", "wrapup", "amount", "2x €45 interventie", "caller l5 'twee keer vijfenveertig'"),
    ("nl-call-02", "wrapup", "amount", "negentig euro", "caller l4"),
    ("nl-call-02", "wrapup", "cause", "defecte module in straatkast", "record K3"),
    ("nl-call-02", "wrapup", "cause", "probleem in de kast op straat", "caller l4"),
    ("nl-call-02", "wrapup", "cause", "oorzaak niet bij klant", "shorthand"),
    ("nl-call-02", "wrapup", "transferred", "doorverbonden naar Facturatie", "article A2"),
    ("nl-call-02", "wrapup", "transferred", "dooverbonden met facturatie", "one typo"),
    ("nl-call-02", "wrapup", "called-before", "klant belde al op 3/3", "caller l6, date as digits"),
    ("nl-call-02", "wrapup", "called-before", "reeds gebeld op 03/03/2026", "Flemish 'reeds'"),
    ("nl-call-02", "wrapup", "called-before", "al eens gebeld, niets gebeurd", "caller l6"),
    ("nl-call-02", "wrapup", "called-before", "2de keer dat ze belt", "ordinal in digits"),
    # nl-call-03 (caller l4-l5, articles A1-A5)
    ("nl-call-03", "wrapup", "advance", "voorschot verlaagd naar € 110", "caller l4"),
    ("nl-call-03", "wrapup", "advance", "nieuw voorschot honderdtien euro", "caller l4 in words"),
    ("nl-call-03", "wrapup", "start", "ingangsdatum 01/04/2026", "A1 'eerste dag van de volgende maand'"),
    ("nl-call-03", "wrapup", "start", "gaat in op 1-4-2026", "date with dashes"),
    ("nl-call-03", "wrapup", "statement", "afrekening komt in juni", "A2"),
    ("nl-call-03", "wrapup", "solar", "heeft nu zonnepanelen", "caller l4"),
    ("nl-call-03", "wrapup", "solar", "PV-panelen sinds januari", "compound with a code"),
    ("nl-call-03", "chat_m1", "nothing-to-do", "Neen, met een digitale meter hoeft u niets door te geven.", "A3"),
    ("nl-call-03", "chat_m1", "nothing-to-do", "Dat gebeurt automatisch.", "A3"),
    ("nl-call-03", "chat_m2", "until-20", "Tot 20 uur.", "A5"),
    ("nl-call-03", "chat_m2", "until-20", "tot 20u", "Flemish hour"),
    ("nl-call-03", "chat_m2", "until-20", "tot 20.00 uur", "A5 '20.00 uur'"),
    ("nl-call-03", "chat_m2", "until-20", "tot 20.00", "A5 without uur"),
    ("nl-call-03", "chat_m2", "until-20", "tot acht uur 's avonds", "spoken"),
    # nl-call-04 (caller l2-l4, article A1)
    ("nl-call-04", "callback_note", "not-reached", "klant niet gesproken, aan het werk", "caller l2"),
    ("nl-call-04", "callback_note", "renewal", "i.v.m. verlenging autoverzekering", "abbreviation i.v.m."),
    ("nl-call-04", "wrapup", "not-reached", "meneer Peeters afwezig", "caller l2"),
    ("nl-call-04", "wrapup", "spoke-to-wife", "sprak met zijn echtgenote Annelies", "caller l1-l2"),
    ("nl-call-04", "wrapup", "callback", "terugbellen op 17/3 om 14u30", "caller l3"),
    ("nl-call-04", "wrapup", "callback", "wordt teruggebeld", "passive"),
    ("nl-call-04", "wrapup", "mobile", "op zijn gsm: 0488/27.61.03", "caller l4 with separators"),
    ("nl-call-04", "wrapup", "mobile", "tel. 0488276103", "digits together"),
    ("nl-call-04", "chat_m2", "when", "dinsdag 17/03 na 14u", "caller l3"),
    ("nl-call-04", "chat_m2", "when", "do 19/3 voormiddag", "caller l3 'donderdagvoormiddag'"),
    ("nl-call-04", "chat_m2", "not-reached", "nee, niet bereikt", "common"),
    ("nl-call-04", "chat_m1", "acknowledged", "Oké, doe ik!", "common"),
    # nl-call-05 (article A1-A2)
    ("nl-call-05", "chat_m1", "price", "Een nieuwe simkaart kost €10.", "A2"),
    ("nl-call-05", "chat_m1", "price", "10 EUR", "EUR after"),
    ("nl-call-05", "chat_m1", "price", "tien euro", "in words"),
    ("nl-call-05", "chat_m1", "shop", "Ja, in de winkel krijgt u ze meteen mee.", "A2"),
    ("nl-call-05", "wrapup", "check-failed", "geboortedatum en adres kloppen niet", "caller l3-l4"),
    ("nl-call-05", "wrapup", "check-failed", "identiteit niet bevestigd", "A1"),
    ("nl-call-05", "wrapup", "sim", "geen simkaart verstuurd", "A1; 'geen' negates a noun, the topic stays"),
    ("nl-call-05", "wrapup", "sim", "SIM-kaart kwijt", "caller l1"),
    ("nl-call-05", "wrapup", "no-data", "e-mailadres niet gegeven", "caller l5-l6"),
    ("nl-call-05", "wrapup", "suspicion", "vermoeden van fraude", "A1"),
]

#: (call, field, fact, note, why it must not count)
WRONG: list[tuple[str, str, str, str, str]] = [
    ("nl-call-01", "chat_m1", "free-from", "Gratis levering vanaf € 5.", "5 is not 50"),
    ("nl-call-01", "chat_m1", "free-from", "gratis vanaf 500 euro", "500 is not 50"),
    ("nl-call-01", "chat_m1", "free-from", "gratis vanaf €150", "150 is not 50"),
    ("nl-call-01", "chat_m1", "free-from", "verzending gratis vanaf 30 euro", "the amount the customer named"),
    ("nl-call-01", "chat_m1", "cost", "verzendkosten € 4", "4 is not 4,95"),
    ("nl-call-01", "chat_m1", "cost", "verzendkosten 4,59", "digits swapped"),
    ("nl-call-01", "chat_m1", "cost", "€ 49,5", "49,50 is not 4,95"),
    ("nl-call-01", "wrapup", "three", "13 pakken tabletten", "13 is not 3"),
    ("nl-call-01", "wrapup", "three", "1 pak tabletten", "the wrong quantity"),
    ("nl-call-01", "wrapup", "three", "OT-030 tabletten, pak van 30", "030 and 30 are not 3"),
    ("nl-call-01", "wrapup", "aqua-plus", "Aqua besteld", "the Aqua (out of stock), not the Aqua Plus"),
    ("nl-call-01", "wrapup", "aqua-plus", "WK-170", "the other kettle's code"),
    ("nl-call-01", "wrapup", "out-of-stock", "Aqua op voorraad", "in stock is the opposite"),
    ("nl-call-01", "wrapup", "out-of-stock", "Aqua Plus in voorraad", "in stock is the opposite"),
    ("nl-call-01", "wrapup", "out-of-stock", "voorraad 18", "18 is not 0"),
    ("nl-call-01", "wrapup", "out-of-stock", "Aqua leverbaar", "deliverable is the opposite"),
    ("nl-call-02", "wrapup", "amount", "€ 9 betwist", "9 is not 90"),
    ("nl-call-02", "wrapup", "amount", "€ 45 betwist", "half the amount"),
    ("nl-call-02", "wrapup", "amount", "factuur € 134,95", "the invoice total"),
    ("nl-call-02", "wrapup", "invoice", "F-2026-031174", "digits swapped"),
    ("nl-call-02", "wrapup", "transferred", "klant niet doorverbonden", "negated"),
    ("nl-call-03", "wrapup", "advance", "voorschot blijft € 145", "not lowered"),
    ("nl-call-03", "wrapup", "advance", "voorschot 1100", "1100 is not 110"),
    ("nl-call-03", "wrapup", "start", "ingangsdatum 01/05", "1 May"),
    ("nl-call-03", "chat_m2", "until-20", "tot 18 uur", "another hour"),
    ("nl-call-03", "chat_m2", "until-20", "binnen 20 minuten", "20 minutes is not 20:00"),
    ("nl-call-04", "wrapup", "callback", "niet terugbellen", "negated"),
    ("nl-call-04", "wrapup", "mobile", "0488 27 61 30", "digits swapped"),
    ("nl-call-04", "chat_m2", "when", "18/03", "the wrong day"),
    ("nl-call-05", "chat_m1", "price", "kost € 100", "100 is not 10"),
    ("nl-call-05", "chat_m1", "price", "€ 1,00", "1 is not 10"),
    ("nl-call-05", "chat_m1", "price", "binnen 10 dagen", "10 days is not 10 euro"),
]


def _phrasings(call_id: str, field: str, fact: str) -> tuple[str, ...]:
    call = load_item(call_id)
    f = call.get_field(field)  # type: ignore[attr-defined]
    return next(x.any for x in f.facts if x.id == fact)


@pytest.mark.parametrize(("call_id", "field", "fact", "note", "source"), NATURAL,
                         ids=[f"{r[0]}:{r[2]}:{r[3]}" for r in NATURAL])
def test_natural_phrasings_hold_the_fact(call_id: str, field: str, fact: str, note: str, source: str) -> None:
    assert fact_found(_phrasings(call_id, field, fact), note), f"{note!r} ({source}) misses {fact}"


@pytest.mark.parametrize(("call_id", "field", "fact", "note", "why"), WRONG,
                         ids=[f"{r[0]}:{r[2]}:{r[3]}" for r in WRONG])
def test_wrong_notes_do_not_hold_the_fact(call_id: str, field: str, fact: str, note: str, why: str) -> None:
    assert not fact_found(_phrasings(call_id, field, fact), note), f"{note!r} counted for {fact} ({why})"


def test_every_fact_of_a_shipped_call_has_a_natural_phrasing_here() -> None:
    """The list above covers every fact of the shipped calls' notes (so a new fact gets its phrasings)."""
    listed = {(c, f, x) for c, f, x, _, _ in NATURAL}
    shipped = {(c, f.name, x.id) for c in ("nl-call-01", "nl-call-02", "nl-call-03", "nl-call-04", "nl-call-05")
               for f in load_item(c).fields for x in f.facts}  # type: ignore[attr-defined]
    assert sorted(shipped - listed) == []


# ------------------------------------------------------------------ the rules one by one


@pytest.mark.parametrize(("text", "words"), [
    # amounts: € / EUR / euro before or after, cents ,00 dropped, "4 euro 95" as written on a receipt
    ("€50", ("€50",)), ("€ 50", ("€50",)), ("50 euro", ("€50",)), ("EUR 50", ("€50",)), ("50,00 €", ("€50",)),
    ("€50,-", ("€50",)), ("4 euro 95", ("€4,95",)), ("4.95", ("4,95",)), ("1.500 euro", ("€1500",)),
    # numbers: words as digits, "één" is 1, "een" stays a word (it is also the article)
    ("drie pakken", ("3", "pakken")), ("één Aqua", ("1", "aqua")), ("een Aqua", ("een", "aqua")),
    # times and dates as Flemish operators write them
    ("20u", ("20:00",)), ("20.00 uur", ("20:00",)), ("14u30", ("14:30",)), ("20 uur", ("20:00",)),
    ("17/3", ("17", "maart")), ("17/03/2026", ("17", "maart", "2026")), ("1-4-2026", ("1", "april", "2026")),
    # abbreviations, letters and digits apart, accents
    ("tel. nr", ("telefoon", "nummer")), ("klantnr.", ("klantnummer",)), ("t.e.m.", ("tot", "en", "met")),
    ("i.v.m.", ("in", "verband", "met")), ("3x", ("3", "x")), ("3 st.", ("3", "stuks")),
    ("2 keer", ("2", "x")), ("geïnformeerd", ("geinformeerd",)),
    # the same words ("niet meer dan" is not more than: kept)
    ("niet meer op voorraad", ("niet", "in", "voorraad")), ("niet meer dan 50", ("niet", "meer", "dan", "50")),
])
def test_canonical_words(text: str, words: tuple[str, ...]) -> None:
    assert fact_tokens(text) == words


def test_one_as_digit_word_or_article() -> None:
    for note in ("1 waterkoker", "één waterkoker", "een waterkoker"):
        assert fact_found(["1 waterkoker"], note), note
    assert not fact_found(["1 waterkoker"], "2 waterkokers")


def test_compound_head_but_not_a_negating_prefix() -> None:
    assert fact_found(["tabletten"], "ontkalkingstabletten")  # the head of a Dutch compound
    assert fact_found(["3 tabletten"], "3 ontkalkingstabletten")
    assert not fact_found(["bevestigd"], "identiteit onbevestigd")  # on- turns it around


def test_negation_before_a_positive_phrasing() -> None:
    assert fact_found(["in voorraad"], "Aqua Plus in voorraad")
    assert not fact_found(["in voorraad"], "Aqua niet in voorraad")
    assert not fact_found(["in voorraad"], "Aqua niet meer op voorraad")
    assert fact_found(["niet in voorraad"], "Aqua niet in voorraad")
    assert not fact_found(["niet in voorraad"], "Aqua in voorraad")


def test_numbers_are_never_near() -> None:
    """A typo is forgiven in words of 5 letters or more, never in a number or an amount."""
    assert fact_found(["ontkalkingstabletten"], "ontkalkingstablettem")
    assert not fact_found(["50 euro"], "€ 5")
    assert not fact_found(["50 euro"], "€ 56")
    assert not fact_found(["0488 27 61 03"], "0488 27 61 04")
    assert fact_found(["0488 27 61 03"], "0488276103")  # the same digits written together


def test_bare_number_matches_an_amount_but_not_the_reverse() -> None:
    assert fact_found(["vanaf 50"], "vanaf €50")
    assert fact_found(["vanaf 50"], "vanaf 50,00")
    assert fact_found(["€ 50"], "vanaf 50,00")  # cents say it is an amount
    assert not fact_found(["€ 50"], "50 stuks")


def test_units_alone_and_bare_hours() -> None:
    """The word euro (or uur) in a phrasing is in any amount (time) of the note; a bare hour is that time."""
    assert fact_found(["kost euro"], "kost €10")
    assert fact_found(["tot 20"], "tot 20 uur")
    assert not fact_found(["tot 20"], "tot 21 uur")
