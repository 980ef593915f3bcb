"""Interface text (``typingtest.texts``): one shape of table, one lookup, three languages.

Every table of every audience has a non-empty text in each language with the same ``{fields}``;
the lookup's fallback rule is the documented one; the workstation's ``Translator`` and the
reports' ``label`` are thin callers of it and read what they read before (issue 15 item 5).
"""

from __future__ import annotations

import re

import pytest

from typingtest import texts
from typingtest.analysis import labels
from typingtest.texts import LANGUAGES, placeholders, problems, text
from typingtest.texts.console import LABELS as CONSOLE
from typingtest.texts.console import TIMELINE
from typingtest.texts.reports import COMPETENCES, FIELDS, LABELS
from typingtest.texts.workstation import STRINGS
from typingtest.workstation.i18n import UI_LANGS, Translator

TABLES = {"workstation.STRINGS": STRINGS, "reports.LABELS": LABELS, "reports.FIELDS": FIELDS,
          "reports.COMPETENCES": COMPETENCES, "console.LABELS": CONSOLE,
          "console.TIMELINE": TIMELINE}  # fmt: skip


def test_one_list_of_languages() -> None:
    assert LANGUAGES == ("nl", "fr", "en")
    assert UI_LANGS == LANGUAGES and labels.LANGUAGES == LANGUAGES


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_key_has_every_language_with_the_same_fields(name: str) -> None:
    table = TABLES[name]
    assert table, name
    assert problems(table) == [], name
    for key, entry in table.items():  # the same check spelled out (problems() is what a new language runs)
        assert set(entry) == set(LANGUAGES), key
        assert all(entry[lang].strip() for lang in LANGUAGES), key
        assert len({placeholders(entry[lang]) for lang in LANGUAGES}) == 1, key


def test_problems_names_what_is_missing() -> None:
    bad = {"a": {"nl": "x {n}", "fr": "y", "en": "z {n}"}, "b": {"nl": "x", "fr": " ", "en": "z"}}
    assert problems(bad) == ["a: fr has fields [], nl has ['n']", "b: no text in fr"]


def test_a_count_variant_exists_only_beside_its_base_key() -> None:
    for name, table in TABLES.items():
        for key in table:
            base, _, n = key.rpartition("_")
            if n.isdigit():
                assert base in table, (name, key)


def test_the_lookup_rule() -> None:
    table = {"plays": {"nl": "nog {n}", "fr": "encore {n}", "en": "{n} left"},
             "plays_0": {"nl": "geen", "fr": "aucune", "en": "none"},
             "half": {"nl": "", "fr": "demi", "en": "half"}}  # fmt: skip
    assert text(table, "plays", "fr", n=3) == "encore 3"
    assert text(table, "plays", "en", n=0) == "none"  # the count's own wording
    assert text(table, "plays", "xx", n=2) == "nog 2"  # an unknown language reads Dutch
    assert text(table, "half", "nl") == "half"  # an empty translation reads English
    assert text(table, "nothing", "fr") == "nothing"  # an unknown key reads the key
    assert text(table, "nothing {x}", "fr", x=1) == "nothing 1"
    assert texts.DEFAULT_LANGUAGE == "nl"


def test_translator_is_a_thin_caller() -> None:
    for lang in LANGUAGES:
        tr = Translator(lang)
        for key in STRINGS:
            assert tr(key) == STRINGS[key][lang] or placeholders(STRINGS[key][lang])
    assert Translator("nl")("plays_left", n=0) == "Niet meer af te spelen"
    assert Translator("fr")("plays_left", n=4) == "Encore 4 écoute(s)"
    assert Translator("en")("no_such_key") == "no_such_key"
    assert Translator("nl").known("instructions_call") and not Translator("nl").known("instructions_chess")
    with pytest.raises(ValueError, match="interface language 'de' not available"):
        Translator("de")


def test_the_strings_that_bypassed_translation_are_in_the_table() -> None:
    """Issue 15: "Retake / resume" on the Dutch proctor overlay and "voorraad"/"stock" in the call
    scene were once written in the code; the instructions lived in flow_scenes."""
    assert [Translator(lang)("proctor_override") for lang in LANGUAGES] == [
        "Herkansing / hervatten", "Reprise / nouvelle tentative", "Retake / resume"]
    assert [Translator(lang)("stock", n=4) for lang in LANGUAGES] == ["voorraad 4", "stock 4", "stock 4"]
    for kind in ("copy-typing", "transcription", "data-entry", "call"):
        assert all(Translator(lang).known(f"instructions_{kind}") for lang in LANGUAGES)
    assert Translator("nl")("instructions_transcription").startswith("U hoort een voicemail van een klant.")


def test_no_workstation_scene_writes_interface_words_itself() -> None:
    """The literals that once bypassed the table are gone from the scenes' code."""
    from pathlib import Path

    import typingtest.workstation as ws

    folder = Path(ws.__file__).parent
    code = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.py")}
    assert '"Retake / resume"' not in code["proctor.py"]
    assert not re.search(r'"voorraad|"stock ', code["call_scene.py"])
    assert "_INSTRUCTIONS" not in code["flow_scenes.py"]


def test_label_and_the_other_report_callers_read_the_one_table() -> None:
    for lang in LANGUAGES:
        for key, entry in LABELS.items():
            assert labels.label(key, lang) == entry[lang] or placeholders(entry[lang])
    assert labels.label("worst_of", "fr", n=3) == "la moins bonne de 3 tentatives"
    assert labels.label("net_wpm", "de") == "netto woorden per minuut"  # an unknown language reads Dutch
    assert labels.label("no_such_word", "en") == "no_such_word"
    assert labels.field_label("order_code_2", "nl") == "bestelcode 2"
    assert labels.field_label("customer_number", "fr") == "numéro de client"
    assert labels.field_label("loyalty_card", "en") == "loyalty card"
    assert labels.competence_label("co 01670", "en") == "co 01670 – enter all data completely in the right field, " \
        "within 3 % errors"
    assert labels.competence_label("xx 1", "nl") == "xx 1"
    # the per-language views kept for readers of the old shape are views of the same tables
    assert labels.FIELD_WORDS["fr"]["street"] == FIELDS["street"]["fr"]
    assert labels.COMPETENCE_WORDS["nl"] == {code: entry["nl"] for code, entry in COMPETENCES.items()}


def test_the_threshold_basis_of_the_shipped_file_has_words_in_every_language() -> None:
    from typingtest.config import load_thresholds

    for name, rule in load_thresholds().items():
        assert f"basis_{name}" in LABELS, name
        assert LABELS[f"basis_{name}"]["en"] == rule.basis, name  # the shipped text is the English one
        for lang in ("nl", "fr"):
            assert labels.basis_label(name, rule.basis, lang) == LABELS[f"basis_{name}"][lang]
