"""The entry field's editing model against hand-worked cases and against the engine's replay."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from typingtest.engine.events import EDIT_OPS, EventKind, make_log
from typingtest.engine.replay import replay
from typingtest.workstation.textbuffer import TextBuffer, word_left, word_right


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
