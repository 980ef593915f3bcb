"""Keyboard layouts: positions and fingers checked against the printed key caps."""

from __future__ import annotations

import string

import pytest

from typingtest.engine.layouts import LAYOUT_NAMES, get_layout, neighbours


def test_azerty_be_is_the_default_and_matches_its_key_caps() -> None:
    layout = get_layout()
    assert layout.name == "azerty-be"
    key, level = layout.key_for("a")
    assert (key.id, key.row, key.finger, key.hand, level) == ("D01", 1, "left-pinky", "left", "base")
    assert layout.key_for("q")[0].id == "C01"  # home row, left pinky
    assert layout.key_for("m")[0].id == "C10"  # m sits on the home row in AZERTY
    assert layout.key_for("w")[0].id == "B01"
    # number row: digits are the shift level on Belgian AZERTY
    assert layout.key_for("1") == (layout.key("E01"), "shift")
    assert layout.key_for("é") == (layout.key("E02"), "base")
    assert layout.key_for("@") == (layout.key("E02"), "altgr")
    assert layout.key_for("€") == (layout.key("D03"), "altgr")
    assert layout.key_for(".") == (layout.key("B08"), "shift")
    assert layout.key_for("j")[0].finger == "right-index"
    assert layout.key_for(" ")[0].finger == "thumb"


def test_dead_keys_spell_accented_letters() -> None:
    layout = get_layout("azerty-be")
    strokes = layout.keystrokes_for("ê")
    assert [(k.id, level) for k, level in strokes] == [("D11", "base"), ("D03", "base")]
    assert [(k.id, level) for k, level in layout.keystrokes_for("Ë")] == [("D11", "shift"), ("D03", "shift")]
    # the dead ^ (D11) is not how one types "^" by itself: AltGr+6 gives a plain one
    assert layout.key_for("^") == (layout.key("E06"), "altgr")
    de = get_layout("qwertz-de")
    assert [(k.id, lv) for k, lv in de.keystrokes_for("é")] == [("E12", "base"), ("D03", "base")]
    assert de.key_for("ü") == (de.key("D11"), "base")
    assert de.key_for("z")[0].id == "D06"
    assert get_layout("qwerty-us").keystrokes_for("é") is None


@pytest.mark.parametrize("name", LAYOUT_NAMES)
def test_every_letter_digit_and_common_sign_is_typeable(name: str) -> None:
    layout = get_layout(name)
    for ch in string.ascii_letters + string.digits + " .,;:?!-'\"()/@":
        assert layout.keystrokes_for(ch), f"{name}: cannot type {ch!r}"
    fingers = {k.finger for k in layout.keys}
    assert {"left-pinky", "left-index", "right-index", "right-pinky", "thumb"} <= fingers


def test_neighbours() -> None:
    # AZERTY-BE: around "a" (D01) are "&" "é" above, "z" right, "q" below
    assert set(neighbours("a")) == {"&", "é", "z", "q"}
    # QWERTY-US: around "g" are t y (above), f h (sides), v b (below)
    assert set(neighbours("g", "qwerty-us")) == {"t", "y", "f", "h", "v", "b"}
    # the same level: a capital's neighbours are capitals
    assert set(neighbours("G", "qwerty-us")) == {"T", "Y", "F", "H", "V", "B"}
    assert "z" in neighbours("t", "qwertz-de")
    assert neighbours("ê") == neighbours("e")


def test_unknown_layout() -> None:
    with pytest.raises(KeyError, match="qwerty-us"):
        get_layout("dvorak")
