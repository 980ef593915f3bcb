"""The shipped content: it validates, holds every id the project promises, covers the
qualification's competence codes, and docs/content.md shows its true figures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from typingtest.config import PASSAGES_DIR
from typingtest.content import (
    MEASURABLE_COMPETENCES,
    Battery,
    Call,
    CopyPassage,
    Transcription,
    check,
    customer_number_ok,
    load_all,
    load_battery,
    load_item,
)
from typingtest.content.difficulty import BAND_KEYS
from typingtest.content.tables import competence_table, difficulty_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "content.md"

PROMISED = (
    [f"nl-copy-{i:02d}" for i in range(1, 7)]
    + [f"nl-trans-{i:02d}" for i in range(1, 11)]
    + [f"nl-entry-{i:02d}" for i in range(1, 11)]
    + [f"nl-call-{i:02d}" for i in range(1, 6)]
    + [f"{lang}-{kind}-{i:02d}" for lang in ("fr", "en", "de") for kind in ("copy", "entry") for i in (1, 2)]
)
BATTERIES = ("default", "quick", "fr", "en", "de")


@pytest.fixture(scope="module")
def shipped() -> list:
    return load_all()


def test_content_check_passes_on_everything_shipped() -> None:
    assert [str(p) for p in check()] == []


def test_every_promised_item_and_battery_is_shipped(shipped: list) -> None:
    ids = {x.id for x in shipped}
    assert sorted(set(PROMISED) - ids) == []
    assert sorted(set(BATTERIES) - ids) == []


def test_shipped_ids_follow_the_naming(shipped: list) -> None:
    abbreviation = {"copy-typing": "copy", "transcription": "trans", "data-entry": "entry", "call": "call"}
    for x in shipped:
        if isinstance(x, Battery):
            continue
        assert re.fullmatch(rf"{x.language}-{abbreviation[x.kind]}-\d\d", x.id), x.id
        assert x.path == PASSAGES_DIR / x.language / x.kind / f"{x.id}.toml"


def test_default_battery_measures_every_measurable_competence() -> None:
    default = load_battery("default")
    measured = {e.competence for t in default.tasks if isinstance(t.content, Call) and not t.practice
                for e in t.content.expect}
    assert sorted(set(MEASURABLE_COMPETENCES) - measured) == []
    assert {t.kind for t in default.tasks} >= {"copy-typing", "transcription", "data-entry", "call"}


def test_battery_lengths() -> None:
    # issue 3: default about 30 minutes, quick under 10 with one task of each kind
    default, quick = load_battery("default"), load_battery("quick")
    assert 25 * 60 <= default.planned_s <= 35 * 60
    assert quick.planned_s < 10 * 60
    assert sorted(t.kind for t in quick.tasks if t.item) == ["call", "copy-typing", "data-entry", "transcription"]
    for lang in ("fr", "en", "de"):
        b = load_battery(lang)
        assert b.language == lang
        assert all(t.content.language == lang for t in b.tasks if t.content is not None)


def test_lang_picks_the_battery_of_that_language() -> None:
    assert load_battery("default", lang="fr").id == "fr"
    assert load_battery("default", lang="nl").id == "default"


def test_copy_passages_are_250_to_400_words_and_lie_in_their_language_battery_band(shipped: list) -> None:
    """Every copy passage lies in the band its language's battery states (nl: default), so the
    passages of one battery, and any passage swapped in, are of comparable difficulty."""
    bands = {lang: load_battery("default" if lang == "nl" else lang).band for lang in ("nl", "fr", "en", "de")}
    for lang, band in bands.items():
        assert set(band) == set(BAND_KEYS), lang
    for x in shipped:
        if isinstance(x, CopyPassage):
            assert 250 <= x.difficulty.words <= 400, (x.id, x.difficulty.words)
            for key, (lo, hi) in bands[x.language].items():
                assert lo <= getattr(x.difficulty, key) <= hi, (x.id, key, getattr(x.difficulty, key))


def test_voicemails_are_15_to_40_seconds_of_speech(shipped: list) -> None:
    # 40-100 words at a caller's 2.5 words per second (150 words per minute) is 16-40 s
    for x in shipped:
        if isinstance(x, Transcription):
            words = sum(len(line.text.split()) for line in x.lines)
            assert 40 <= words <= 100, (x.id, words)


def test_calls_last_4_to_7_minutes_and_their_records_carry_check_digits(shipped: list) -> None:
    for x in shipped:
        if isinstance(x, Call):
            assert 240 <= x.target_duration_s <= 420, x.id
            for r in x.records:
                assert "{" in r.customer_number or customer_number_ok(r.customer_number), (x.id, r.id)


def test_docs_tables_are_up_to_date(shipped: list) -> None:
    """docs/content.md holds the tables generated from the shipped content
    (regenerate with `python -m typingtest.content.tables --update docs/content.md`)."""
    items = [x for x in shipped if not isinstance(x, Battery)]
    batteries = [x for x in shipped if isinstance(x, Battery)]
    text = DOC.read_text(encoding="utf-8")
    assert difficulty_table(items, batteries) in text
    assert competence_table(items, batteries) in text


def test_the_four_examples_of_the_format_document_load() -> None:
    for item_id, kind in [("nl-copy-01", "copy-typing"), ("nl-trans-01", "transcription"),
                          ("nl-entry-01", "data-entry"), ("nl-call-01", "call")]:
        assert load_item(item_id).kind == kind
        assert f"passages/nl/{kind}/{item_id}.toml" in DOC.read_text(encoding="utf-8")
