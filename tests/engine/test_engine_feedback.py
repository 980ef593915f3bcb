"""engine.feedback.error_positions on hand-worked cases."""
from __future__ import annotations

import unicodedata

from typingtest.engine.feedback import error_positions

P = "the quick brown"


def test_correct_prefix_marks_nothing() -> None:
    # the untyped rest of the passage is no error
    assert error_positions(P, "the qu") == []
    assert error_positions(P, "") == []


def test_substitution_marks_the_typed_char() -> None:
    # hand count: "thr" against "the": T[2] = "r" replaces "e"
    assert error_positions(P, "thr quick") == [2]


def test_insertion_marks_the_extra_char() -> None:
    # "thee quick": one extra "e"; rapidfuzz aligns it at index 3 (either "e" is optimal)
    marks = error_positions(P, "thee quick")
    assert len(marks) == 1 and marks[0] in (2, 3)


def test_omission_marks_nothing() -> None:
    # "th quick": the "e" is left out; no typed character is wrong
    assert error_positions(P, "th quick") == []


def test_nfc() -> None:
    # "ë" decomposed in T is one character after NFC; P precomposed: no error, and indices in NFC
    p = unicodedata.normalize("NFC", "ëen twee")
    t = unicodedata.normalize("NFD", "ëen twx")
    assert error_positions(p, t) == [6]
