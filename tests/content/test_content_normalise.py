"""Normalisation before comparison, number words, fact matching, seeded customer data."""

from __future__ import annotations

import re

import pytest

from typingtest.content import draw_customer, draw_form, fact_found, load_item, normalise_field
from typingtest.content.generators import _PLACES, REGIONS
from typingtest.content.loader import customer_number_ok
from typingtest.content.normalise import Normalisation, nfc, number_words


def test_nfc_makes_e_with_diaeresis_one_character() -> None:
    assert nfc("e\u0308") == "ë" and len(nfc("Citroe\u0308n")) == 7


def test_transcript_normalisation_accepts_the_spoken_forms() -> None:
    rules = Normalisation(case="fold", punctuation="remove", numbers="digits", variants=(("@", "apenstaartje"),))
    said = "Donderdag twintig maart, mail koen.wouters apenstaartje postduif.be!"
    written = "donderdag 20 maart mail koen.wouters@postduif.be"
    assert rules.apply(said) == rules.apply(written) == "donderdag 20 maart mail koen wouters@postduif be"


def test_defaults_keep_case_and_punctuation_but_collapse_spaces() -> None:
    assert Normalisation().apply("  Dag   Mevrouw, ") == "Dag Mevrouw,"
    assert Normalisation(spaces="remove").apply("0479 31 22 85") == "0479312285"


@pytest.mark.parametrize(
    "language,word,value",
    [
        ("nl", "tweeëntwintig", 22), ("nl", "eenentwintig", 21), ("nl", "negenennegentig", 99), ("nl", "één", 1),
        ("fr", "septante-deux", 72), ("fr", "quatre-vingt-dix-sept", 97), ("fr", "nonante", 90),
        ("fr", "vingt et un", 21), ("en", "forty-two", 42), ("en", "twenty one", 21),
        ("de", "einundzwanzig", 21), ("de", "dreißig", 30), ("de", "zwölf", 12),
        ("nl", "honderdzesentachtig", 186), ("nl", "tweehonderdvijftig", 250), ("fr", "deux cent cinquante", 250),
        ("fr", "deux cents", 200), ("en", "one hundred and eighty-six", 186), ("de", "zweihundertfünfzig", 250),
    ],
)
def test_number_words(language: str, word: str, value: int) -> None:
    # values by hand from the languages' number systems (Belgian French: septante, nonante)
    assert number_words(language)[word] == value
    assert Normalisation(numbers="digits", language=language).apply(f"x {word} y") == f"x {value} y"


def test_articles_stay_words() -> None:
    # "een" / "un" / "ein" are also articles: only "één" / "eins" are read as 1
    assert Normalisation(numbers="digits").apply("een bedrag, één stuk") == "een bedrag, 1 stuk"
    assert Normalisation(numbers="digits", language="de").apply("ein Paket, eins") == "ein Paket, 1"


def test_number_words_only_as_whole_words() -> None:
    # "tien" inside "tiental" and "acht" inside "achter" stay
    assert Normalisation(numbers="digits").apply("achter het tiental") == "achter het tiental"


@pytest.mark.parametrize(
    "field_type,a,b",
    [
        ("phone", "+32 3 218 44 10", "03/218.44.10"),
        ("phone", "0032 476 28 13 90", "0476281390"),
        ("email", "Koen punt Wouters apenstaartje postduif punt be", "koen.wouters@postduif.be"),
        ("email", "AN.VERHOEVEN @ postduif.be", "an.verhoeven@postduif.be"),
        ("number", "205718 78", "205718-78"),
        ("date", "14/3/2026", "2026-03-14"),
        ("date", "14.03.2026", "2026-03-14"),
        ("time", "15u30", "15:30"),
        ("time", "9h", "09:00"),
    ],
)
def test_field_types_normalise_to_the_same(field_type: str, a: str, b: str) -> None:
    assert normalise_field(a, field_type, Normalisation()) == normalise_field(b, field_type, Normalisation())


def test_field_types_still_tell_different_values_apart() -> None:
    assert normalise_field("03 218 44 10", "phone", Normalisation()) != normalise_field("03 218 44 01", "phone",
                                                                                        Normalisation())
    assert normalise_field("14/3/2026", "date", Normalisation()) != normalise_field("2026-03-13", "date",
                                                                                    Normalisation())


def test_facts() -> None:
    assert fact_found(["Aqua Plus"], "klant koos de aqua-plus")
    assert fact_found(["ontkalkingstabletten"], "3 pakken ontkalkingstablettem")  # one typo
    assert not fact_found(["3 pakken"], "13 pakken")  # digits must match exactly, as whole words
    assert fact_found(["drie pakken"], "3 pakken")  # number words as digits
    assert not fact_found(["terugbellen"], "")


def test_customer_numbers_carry_mod_97_check_digits() -> None:
    # 205718 mod 97 = 78 (205718 = 97 x 2120 + 78); 000097 mod 97 = 0 -> written 97
    assert customer_number_ok("205718-78")
    assert not customer_number_ok("205718-87")
    assert customer_number_ok("000097-97")


def test_draw_customer_is_reproducible_and_realistic() -> None:
    a, b = draw_customer(7), draw_customer(7)
    assert a == b
    assert draw_customer(8) != a
    for seed in range(200):
        for region in REGIONS:
            c = draw_customer(seed, region)
            assert customer_number_ok(c["customer_number"])
            assert (c["postcode"], c["municipality"]) in {(p, m) for p, m, _ in _PLACES[region]}
            assert re.fullmatch(r"[a-z]+\.[a-z]+@[a-z.-]+\.(be|de)", c["email"]), c["email"]
            digits = re.sub(r"\D", "", c["phone"])
            if region != "deutschland":
                mobile = re.match(r"04[7-9]\d ", c["phone"]) is not None  # 0470-0499: mobile, 10 digits
                assert len(digits) == (10 if mobile else 9), c["phone"]


def test_spoken_forms_for_the_voice() -> None:
    c = draw_customer(3, "vlaanderen", "nl")
    assert c["customer_number_spoken"] == " ".join(c["customer_number"][:6]) + ", " + c["customer_number"][7:]
    assert "apenstaartje" in c["email_spoken"] and "@" not in c["email_spoken"]
    assert "arobase" in draw_customer(3, "brussel", "fr")["email_spoken"]


def test_draw_form_fills_lines_and_fields_and_records_the_seed() -> None:
    item = load_item("nl-entry-01")
    form = draw_form(item, 42)
    again = draw_form(item, 42)
    assert form == again and form.seed == 42
    values = draw_customer(42, "vlaanderen", "nl", gender="female")  # nl-entry-01's voice nl-caller-3 is female
    assert form.get_field("customer_number").value == values["customer_number"]
    assert values["customer_number_spoken"] in " ".join(line.text for line in form.lines)
    assert not any("{" in (f.value or "") for f in form.fields)
    assert draw_form(item, 43).get_field("last_name").value == draw_customer(43, gender="female")["last_name"]


def test_drawn_callers_match_the_voice_gender() -> None:
    from typingtest.content import load_all
    from typingtest.content.generators import _FIRST, voice_gender

    assert (voice_gender("nl-caller-1"), voice_gender("de-caller-4")) == ("female", "male")
    checked = 0
    for item in load_all():
        if getattr(item, "randomise", None) is None or item.kind != "data-entry":
            continue
        gender = voice_gender(item.voice)
        for seed in range(20):
            first = draw_form(item, seed).lines  # the caller says their name in the lines
            name = draw_customer(seed, item.randomise.region, item.language, gender=gender)["first_name"]
            assert name in _FIRST[item.randomise.region][gender]
            assert any(name in line.text for line in first) or not any("{first_name}" in ln.text for ln in item.lines)
            checked += 1
    assert checked >= 20


def test_draw_form_leaves_fixed_items_alone() -> None:
    item = load_item("nl-copy-01")
    assert draw_form(item, 5) is item


def test_postcodes_are_spoken_as_callers_say_them() -> None:
    from typingtest.content.generators import _spoken_postcode

    # Flemish usage: 2500 Lier is "vijfentwintighonderd", 2930 "negenentwintig dertig"
    assert _spoken_postcode("2500", "nl") == "vijfentwintighonderd"
    assert _spoken_postcode("2930", "nl") == "negenentwintig dertig"
    assert _spoken_postcode("1160", "en") == "eleven sixty"
    assert _spoken_postcode("4700", "de") == "siebenundvierzighundert"
    rules = Normalisation(numbers="digits")
    assert rules.apply(_spoken_postcode("9300", "nl")) == "9300"
    assert rules.apply("negentienhonderd negenenzeventig") == "1979"
