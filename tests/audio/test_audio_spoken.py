"""How a caller says data: expected word strings written out by hand."""

from __future__ import annotations

import pytest

from typingtest.audio.spoken import spoken_text, to_ssml
from typingtest.errors import UserError


def test_customer_number_digit_by_digit_in_groups():
    # 8 digits: groups of three, the last two as a pair (no lonely digit)
    assert spoken_text("Klantnummer [digits:48213377].", "nl") == "Klantnummer; 4, 8, 2; 1, 3, 3; 7, 7."
    # groups as written are kept
    assert spoken_text("[digits:317540-59]", "nl") == "3, 1, 7, 5, 4, 0; 5, 9"


def test_phone_first_group_digits_then_pairs():
    assert spoken_text("[phone:0472 12 34 56]", "nl") == "0, 4, 7, 2; 12; 34; 56"
    assert spoken_text("[phone:02 555 05 06]", "fr") == "0, 2; 5, 5, 5; 0, 5; 0, 6"


def test_email_per_language():
    assert spoken_text("[email:jan.peeters@telenet.be]", "nl") == "jan punt peeters apenstaartje telenet punt B, E"
    assert spoken_text("[email:jan.peeters@telenet.be]", "fr") == "jan point peeters arobase telenet point B, E"
    assert spoken_text("[email:info@shop.com]", "en") == "info at shop dot com"
    assert spoken_text("[email:k.muller@web.de]", "de") == "K Punkt muller at web Punkt D, E"


def test_email_and_long_digits_recognised_without_markup():
    expected = "mail; an punt peeters apenstaartje proximus punt B, E; aub"
    assert spoken_text("mail an.peeters@proximus.be aub", "nl") == expected
    assert spoken_text("nummer 123456", "nl") == "nummer; 1, 2, 3; 4, 5, 6"
    assert spoken_text("postcode 9000", "nl") == "postcode 9000"  # four digits: said as a number


def test_spelled_name():
    assert spoken_text("[spell:Van Damme]", "nl") == "V, A, N, D, A, M, M, E"
    assert spoken_text("[spell:Dupont-Leroy]", "fr") == "D, U, P, O, N, T, tiret, L, E, R, O, Y"


def test_ssml_escapes_and_breaks():
    assert to_ssml("Tom & Jerry [digits:12 34]", "en", pause_ms=300) == (
        'Tom &amp; Jerry <break time="300ms"/> 1, 2 <break time="300ms"/> 3, 4'
    )


def test_unknown_markup_is_a_user_error_naming_it():
    with pytest.raises(UserError, match=r"nl-call-09.toml: line l2: \[zip:\.\.\.\]: unknown markup"):
        spoken_text("[zip:9000]", "nl", source="nl-call-09.toml: line l2")
