"""The one editor (``engine.textbuffer.TextBuffer``): hand-worked cases, and the proof that the
live field and the engine's replay are one editor (moved here from tests/workstation with the class)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from typingtest.engine import corpus as K
from typingtest.engine.events import EDIT_OPS, EventKind, make_log
from typingtest.engine.replay import replay, replay_entries
from typingtest.engine.textbuffer import TextBuffer, is_word_boundary, word_left, word_right


def test_backspace_delete_and_typing_at_the_caret() -> None:
    b = TextBuffer()
    b.insert("helo")
    b.apply("left")
    b.insert("l")  # hand count: "hel|o" + "l" -> "hell|o"
    assert (b.text, b.caret) == ("hello", 4)
    b.apply("delete")
    assert b.text == "hell"
    b.apply("backspace")
    assert (b.text, b.caret) == ("hel", 3)
    b.apply("home")
    assert b.apply("backspace") is False  # nothing left of the caret: no change


def test_word_operations_follow_the_whitespace_convention() -> None:
    text = "de snelle  bruine vos"
    # hand count: caret after "bruine" (index 17): word-left skips nothing, then "bruine" -> 11
    assert word_left(text, 17) == 11
    # from 11 the word "bruine" and the space after it -> 18
    assert word_right(text, 11) == 18
    b = TextBuffer()
    b.insert("de snelle vos ")
    b.apply("word-backspace")  # removes the space, then "vos"
    assert b.text == "de snelle "
    b.apply("home")
    b.apply("word-delete")  # removes "de" and the space after it
    assert b.text == "snelle "


def test_selection_replaced_by_typing_and_removed_by_backspace() -> None:
    b = TextBuffer()
    b.insert("abcdef")
    b.apply("select-left")
    b.apply("select-left")
    assert b.selection() == (4, 6)
    b.insert("X")
    assert (b.text, b.caret) == ("abcdX", 5)
    b.apply("select-all")
    b.apply("backspace")
    assert b.text == ""
    b.insert("hello")
    b.apply("select", 1, 3)
    b.apply("delete")
    assert b.text == "hlo"


def test_max_length_cuts_what_is_typed() -> None:
    b = TextBuffer(max_length=3)
    assert b.insert("abcd")
    assert b.text == "abc"
    assert b.insert("e") is False


def test_left_and_right_collapse_a_selection_as_the_replay_scores_it() -> None:
    # The field and the engine's replay used to disagree here (two editors): "ab", Shift+Left
    # selects "b" (anchor 2, caret 1); Left now collapses to the selection's start (1), as on
    # the desktop and in the replay, so typing "x" gives "axb" (the old field moved from the
    # caret to 0 and showed "xab" while the engine scored "axb").
    b = TextBuffer()
    b.insert("ab")
    b.apply("select-left")
    b.apply("left")
    b.insert("x")
    assert b.text == "axb"
    assert replay_entries(["a", "b", "select-left", "left", "x"]).transcribed == "axb"
    # Right collapses to the selection's end: "ab", caret 0, Shift+Right selects "a", Right -> 1
    b = TextBuffer("ab", caret=0)
    b.apply("select-right")
    b.apply("right")
    b.insert("x")
    assert b.text == "axb"


def test_the_corpus_replay_finds_words_with_the_same_functions() -> None:
    assert K.word_left is word_left and K.word_right is word_right
    assert is_word_boundary(" ") and is_word_boundary("\n") and not is_word_boundary("é")
    # Ctrl+Backspace on "de snelle vos " in the corpus editor removes the space, then "vos"
    keys = [ord(c) for c in "de snelle vos "] + [K.KEY_BACKSPACE]
    mods = [0] * (len(keys) - 1) + [K.MOD_CTRL]
    text, removed, known = K.replay_keys(keys, mods)
    assert (text, removed, known) == ("de snelle ", 4, True)


_ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("text"), st.sampled_from(["a", "b", " ", "é", "ç", "@", "x y"])),
        st.tuples(st.just("edit"), st.sampled_from(sorted(EDIT_OPS - {"caret", "select"}))),
        st.tuples(st.just("caret"), st.integers(0, 12)),
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(_ACTIONS)
def test_the_buffer_and_the_engine_replay_agree(actions: list[tuple[str, object]]) -> None:
    """Whatever the candidate does, the text on screen is the text the engine replays (T)."""
    b = TextBuffer()
    rows = []
    for i, (what, arg) in enumerate(actions):
        if what == "text":
            b.insert(str(arg))
            rows.append({"t": i, "kind": EventKind.TEXT, "text": arg, "target": "answer"})
        elif what == "edit":
            b.apply(str(arg))
            rows.append({"t": i, "kind": EventKind.EDIT, "text": arg, "target": "answer"})
        else:
            b.apply("caret", int(arg))  # type: ignore[arg-type]
            rows.append({"t": i, "kind": EventKind.EDIT, "text": "caret", "target": "answer", "x": arg})
    log = make_log(rows) if rows else np.zeros(0, dtype=make_log([]).dtype)
    assert replay(log).transcribed == b.text
