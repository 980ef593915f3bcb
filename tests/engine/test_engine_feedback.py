"""engine.feedback.error_positions on hand-worked cases."""
from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from typingtest.engine.feedback import error_positions, error_positions_exact

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


def test_skipped_word_live_vs_exact() -> None:
    # hand-worked, documented difference: "the brown" for "the quick brown" leaves out "quick ";
    # the live alignment counts 6 omissions (nothing to mark), the reached-part rule substitutes
    # "brown" for "quick" (r = 9 costs 5 < 6)
    assert error_positions(P, "the brown") == []
    assert error_positions_exact(P, "the brown") == [4, 5, 6, 7, 8]


_WORDS = ("de", "klant", "belt", "over", "een", "factuur", "adres", "nummer", "morgen", "levering", "wij")


@settings(max_examples=60, deadline=None)
@given(words=st.lists(st.sampled_from(_WORDS), min_size=20, max_size=60),
       errors=st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(("sub", "ins", "del"))), max_size=6),
       cut=st.floats(0.3, 1.0))
def test_live_equals_exact_on_sparse_errors(words: list[str], errors: list[tuple[int, str]], cut: float) -> None:
    # texts with sparse single-character errors (at least 12 characters apart, none in the last 12
    # typed): the live marks equal the reached-part marks
    p = " ".join(words)
    t = list(p[: max(1, int(len(p) * cut))])
    used: list[int] = []
    for pos, kind in sorted(errors, reverse=True):
        i = pos % len(t)
        if i > len(t) - 12 or any(abs(i - u) < 12 for u in used):
            continue
        used.append(i)
        if kind == "sub":
            t[i] = "#"
        elif kind == "ins":
            t.insert(i, "#")
        else:
            del t[i]
    typed = "".join(t)
    assert error_positions(p, typed) == error_positions_exact(p, typed)
