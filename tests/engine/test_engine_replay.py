"""Editor replay: every editing operation by hand, and properties against independent counts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from typingtest.engine import analyze
from typingtest.engine.events import EventKind, make_log
from typingtest.engine.replay import replay, replay_entries


def log_of(*items: str | tuple[str, float, float], target: str = "field:text", step: float = 0.1) -> np.ndarray:
    """A log from items: a 1-character str is typed (KEY_DOWN, TEXT, KEY_UP), a longer str is an
    edit operation (KEY_DOWN, EDIT, KEY_UP), a tuple is (operation, x, y)."""
    rows = []
    t = 0.0
    for item in items:
        op, x, y = (item, 0.0, 0.0) if isinstance(item, str) else item
        kind = EventKind.TEXT if len(op) == 1 else EventKind.EDIT
        key = ord(op) if len(op) == 1 else 8
        rows.append({"t": t, "kind": EventKind.KEY_DOWN, "key": key, "target": target})
        rows.append({"t": t + 0.001, "kind": kind, "text": op, "target": target, "x": x, "y": y})
        rows.append({"t": t + 0.08, "kind": EventKind.KEY_UP, "key": key, "target": target})
        t += step
    return make_log(rows)


def test_backspace_and_delete() -> None:
    r = replay(log_of(*"abc", "backspace", "left", "delete"))
    # "abc" -> "ab" -> caret between a and b -> delete "b"
    assert r.transcribed == "a"
    assert r.removed == 2 and r.removed_text == "bc"  # in the order they were typed
    assert r.edit_count == 3 and r.used_cursor


def test_word_backspace_and_word_delete() -> None:
    # Ctrl+Backspace removes the spaces left of the caret, then the word
    r = replay(log_of(*"goede dag  ", "word-backspace"))
    assert r.transcribed == "goede "
    assert r.removed == 5
    assert not r.used_cursor
    # the character stream of W&M gets one backspace per removed character
    assert r.char_stream is not None and r.char_stream.count("\b") == 5
    # Ctrl+Delete removes the word right of the caret and the spaces after it
    r = replay(log_of(*"een twee drie", "home", "word-right", "word-delete"))
    assert r.transcribed == "een drie"
    assert r.removed == 5


def test_cursor_moves_and_caret_placement() -> None:
    r = replay(log_of(*"acd", "left", "left", "b", "end", "e"))
    assert r.transcribed == "abcde"
    r = replay(log_of(*"world", "home", *"hello ", ("caret", 11, 0), "!"))
    assert r.transcribed == "hello world!"
    r = replay(log_of(*"ab", "up", "x", "down", "y"))  # up/down act as home/end in one line
    assert r.transcribed == "xaby"
    r = replay(log_of(*"one two", "word-left", "word-left", "X"))
    assert r.transcribed == "Xone two"


def test_selections_and_typing_over_them() -> None:
    r = replay(log_of(*"hello", "select-left", "select-left", "p"))
    assert r.transcribed == "help"
    assert r.removed == 2 and r.removed_text == "lo"
    r = replay(log_of(*"wrong text", "select-all", *"right"))
    assert r.transcribed == "right"
    assert r.removed == 10
    r = replay(log_of(*"abcdef", ("select", 1, 4), "backspace"))
    assert r.transcribed == "aef"
    r = replay(log_of(*"abc def", "home", "select-word-right", "delete"))
    assert r.transcribed == "def"
    r = replay(log_of(*"abc", "select-home", "right", "x"))  # right collapses to the selection's end
    assert r.transcribed == "abcx"
    r = replay(log_of(*"abcd", "left", "select-end", "word-backspace"))
    assert r.transcribed == "abc"


def test_cursor_use_makes_character_level_null_but_keeps_the_rest() -> None:
    log = log_of(*"helo", "left", "l", "end")
    a = analyze("hello", log)
    assert a.transcribed == "hello"
    assert a.used_cursor
    assert a.char_errors is None and a.to_dict()["char_errors"] is None and a.to_dict()["confusion"] is None
    assert a.msd == 0 and a.f == 2 and a.if_ == 0
    assert a.kspc == pytest.approx(7 / 5)
    assert a.wpm is not None


def test_target_filter_and_initial_text() -> None:
    rows = log_of(*"abc", target="field:name")
    other = log_of(*"xyz", target="chat")
    log = np.concatenate([rows, other])
    log = log[np.argsort(log["t"], kind="stable")]
    assert replay(log, target="field:name").transcribed == "abc"
    assert analyze("abc", log, target="chat").transcribed == "xyz"
    # a pre-filled field: its characters are not "typed then removed"
    r = replay(log_of("backspace", "backspace", *"23"), initial="Gent 9000")
    assert r.transcribed == "Gent 9023"
    assert r.removed == 0


def test_dead_key_commits_one_entry_but_two_key_presses() -> None:
    rows = [
        {"t": 0.0, "kind": EventKind.KEY_DOWN, "key": 94},  # dead ^
        {"t": 0.1, "kind": EventKind.KEY_DOWN, "key": 101},
        {"t": 0.1, "kind": EventKind.TEXT, "text": "ê"},
        {"t": 0.3, "kind": EventKind.KEY_DOWN, "key": 116},
        {"t": 0.3, "kind": EventKind.TEXT, "text": "t"},
    ]
    a = analyze("êt", make_log(rows))
    assert a.transcribed == "êt"
    assert a.key_presses == 3 and a.kspc == pytest.approx(1.5)
    assert len(a.replay.input_stream) == 2
    assert a.seconds == pytest.approx(0.3)


def test_unknown_operation_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown edit operation"):
        replay_entries(["a", "paste"])


# -- properties --------------------------------------------------------------------------

OPS = [
    "backspace",
    "delete",
    "word-backspace",
    "word-delete",
    "left",
    "right",
    "word-left",
    "word-right",
    "home",
    "end",
    "select-left",
    "select-right",
    "select-word-left",
    "select-home",
    "select-end",
    "select-all",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(list("ab ")), st.sampled_from(OPS)), max_size=30))
def test_removed_equals_if_and_matches_a_slow_count(items: list[str]) -> None:
    r = replay(log_of(*items))
    # IF by the formula, from |IS|, |T| and F ...
    if_formula = len(r.input_stream) - len(r.transcribed) - r.edit_count
    # ... equals the characters the replay itself removed
    assert if_formula == r.removed == len(r.removed_text)
    a = analyze("ab ab", log_of(*items))
    assert a.if_ == a.removed
    # typed characters are either in T or removed
    assert r.entered == len(r.transcribed) + r.removed


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(list("ab ")), st.just("backspace")), max_size=30))
def test_fast_path_equals_the_editor(items: list[str]) -> None:
    fast = replay_entries(items, fast=True)
    slow = replay_entries(items, fast=False)
    assert fast == slow


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abc déf", max_size=30), st.data())
def test_replay_of_a_generated_log_gives_the_text_that_generated_it(text: str, data: st.DataObject) -> None:
    # Generate a log from the text: type it, with detours (wrong characters erased at once,
    # words erased with word-backspace and retyped); the replay must give the text back.
    items: list[str] = []
    for ch in text:
        if data.draw(st.booleans()):
            items += [data.draw(st.sampled_from("xyz")), "backspace"]
        items.append(ch)
    if text and data.draw(st.booleans()):
        # erase the last word with Ctrl+Backspace and retype it
        kept = _after_word_backspace(text)
        items += ["word-backspace", *text[len(kept) :]]
    assert replay(log_of(*items)).transcribed == text


def _after_word_backspace(s: str) -> str:
    k = len(s)
    while k > 0 and s[k - 1].isspace():
        k -= 1
    while k > 0 and not s[k - 1].isspace():
        k -= 1
    return s[:k]


def reference_edit(items: list[str]) -> tuple[str, int]:
    """A slow editor on plain strings, written apart from the engine's: (text, typed chars removed).

    Each character carries a mark "t" (typed); the text is a list of (char, mark) pairs.
    """
    text: list[str] = []
    caret = 0
    anchor: int | None = None

    def is_space(k: int) -> bool:
        return text[k].isspace()

    def word_start(pos: int) -> int:
        while pos > 0 and is_space(pos - 1):
            pos -= 1
        while pos > 0 and not is_space(pos - 1):
            pos -= 1
        return pos

    def word_end(pos: int) -> int:
        while pos < len(text) and not is_space(pos):
            pos += 1
        while pos < len(text) and is_space(pos):
            pos += 1
        return pos

    removed = 0
    for op in items:
        sel = None if anchor is None or anchor == caret else (min(anchor, caret), max(anchor, caret))
        if len(op) == 1 or op in ("backspace", "delete", "word-backspace", "word-delete"):
            if sel is not None:
                a, b = sel
            elif len(op) == 1:
                a = b = caret
            elif op == "backspace":
                a, b = max(0, caret - 1), caret
            elif op == "delete":
                a, b = caret, min(len(text), caret + 1)
            elif op == "word-backspace":
                a, b = word_start(caret), caret
            else:
                a, b = caret, word_end(caret)
            removed += b - a
            text[a:b] = []
            caret, anchor = a, None
            if len(op) == 1:
                text.insert(caret, op)
                caret += 1
            continue
        if op.startswith("select"):
            if op == "select-all":
                anchor, caret = 0, len(text)
                continue
            if anchor is None:
                anchor = caret
            caret = {
                "select-left": max(0, caret - 1),
                "select-right": min(len(text), caret + 1),
                "select-word-left": word_start(caret),
                "select-word-right": word_end(caret),
                "select-home": 0,
                "select-end": len(text),
            }[op]
            continue
        if op == "left":
            caret = sel[0] if sel else max(0, caret - 1)
        elif op == "right":
            caret = sel[1] if sel else min(len(text), caret + 1)
        elif op == "word-left":
            caret = word_start(caret)
        elif op == "word-right":
            caret = word_end(caret)
        elif op in ("home", "up"):
            caret = 0
        else:  # end, down
            caret = len(text)
        anchor = None
    return "".join(text), removed


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(list("ab ")), st.sampled_from([*OPS, "select-word-right", "up", "down"])), max_size=30
    )
)
def test_replay_equals_a_separately_written_editor(items: list[str]) -> None:
    r = replay(log_of(*items))
    text, removed = reference_edit(items)
    assert r.transcribed == text
    assert r.removed == removed


def test_cursor_moves_that_change_nothing_keep_character_level() -> None:
    # Left then Right, End, a click at the end: every character still typed at the end
    log = log_of(*"hel", "left", "right", "end", ("caret", 3, 0), *"lo")
    a = analyze("hello", log)
    assert a.used_cursor
    assert a.char_errors is not None and a.char_errors.uncorrected.no_errors == 5.0
    # typing in the middle does break it
    b = analyze("hello", log_of(*"hllo", "home", "right", "e", "end"))
    assert b.transcribed == "hello" and b.char_errors is None
    assert "away from the end" in (b.char_errors_note or "")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(list("ab ")), st.sampled_from(OPS)), max_size=30))
def test_character_stream_when_given_replays_to_t(items: list[str]) -> None:
    r = replay(log_of(*items))
    if r.char_stream is None:
        return
    out: list[str] = []
    for e in r.char_stream:
        if e == "\b":
            out.pop()  # never on an empty text: the stream holds only real removals
        else:
            out.append(e)
    assert "".join(out) == r.transcribed
    assert r.char_stream.count("\b") == r.removed
