"""Paragraph breaks (issue 17, item 4): a passage keeps a "\\n" at each break; Enter or a space
typed there is correct (``engine.breaks``), in ``analyze``, the reached-part rule, the live marks
and ``verify``'s recomputation; attempts stored before (presented without breaks, typed with
spaces) recompute to the same figures."""

from __future__ import annotations

import pytest

from typingtest.content import load_item
from typingtest.content.loader import KEPT_LINE_CHARS, _passage
from typingtest.engine import analyze
from typingtest.engine.breaks import comparable, comparable_stream
from typingtest.engine.events import EventKind, make_log
from typingtest.engine.feedback import error_positions, error_positions_exact, passage_position
from typingtest.engine.scoring import reached_length
from typingtest.store.store import compute_metrics


def _times(stream: str, step: float = 0.2) -> list[float]:
    return [step * i for i in range(len(stream))]


def _log(stream: str, *, ended_by: str | None = None) -> object:
    """An answer field's log typing ``stream`` ("\\b" = Backspace) every 0.2 s."""
    rows = [{"t": 0.0, "kind": EventKind.MARKER, "text": "task-start"}]
    for i, ch in enumerate(stream):
        t = 0.5 + 0.2 * i
        if ch == "\b":
            rows.append({"t": t, "kind": EventKind.EDIT, "text": "backspace", "target": "answer"})
        else:
            rows.append({"t": t, "kind": EventKind.TEXT, "text": ch, "target": "answer"})
    if ended_by:
        rows.append({"t": 0.5 + 0.2 * len(stream), "kind": EventKind.MARKER, "text": "task-end", "target": ended_by})
    return make_log(rows)


def test_comparable_reads_a_break_as_a_space_and_keeps_length_and_indices() -> None:
    assert comparable("Geachte heer,\nDank u.") == "Geachte heer, Dank u."
    assert comparable("no break") == "no break"
    assert comparable_stream(["a", "\n", "\b", " "]) == ["a", " ", "\b", " "]


@pytest.mark.parametrize("typed", ["the quick\nbrown", "the quick brown"])
def test_enter_or_space_at_a_break_is_correct(typed: str) -> None:
    a = analyze("the quick\nbrown", typed, _times(typed))
    assert (a.msd, a.msd_error_rate, a.c, a.inf, a.if_, a.f) == (0, 0.0, 15, 0, 0, 0)
    assert a.transcribed == typed  # the text as typed is kept, Enter included
    assert a.char_errors is not None and a.char_errors.uncorrected.substitutions == 0


def test_a_left_out_break_is_one_omission() -> None:
    a = analyze("ab\ncd", "abcd", _times("abcd"))
    assert a.msd == 1 and a.msd_error_rate == pytest.approx(1 / 5)


def test_an_enter_where_the_passage_has_a_space_counts_as_that_space() -> None:
    a = analyze("the quick brown", "the\nquick brown", _times("the quick brown"))
    assert a.msd == 0


def test_worked_example_of_the_design_with_a_break_gives_the_same_figures() -> None:
    # docs/engine.md: P "the quick brown", IS "th quix<ck brpown": INF 2, C 13, IF 1, F 1, MSD error rate
    # 13.33 %, uncorrected 12.5 %, corrected 6.25 %, total 18.75 %; here with a break for the second
    # space, typed once with Enter and once with a space
    for stream in ("th quix\bck\nbrpown", "th quix\bck brpown"):
        a = analyze("the quick\nbrown", stream, _times(stream))
        assert (a.inf, a.c, a.if_, a.f) == (2, 13, 1, 1)
        assert a.msd_error_rate == pytest.approx(2 / 15)
        assert (a.uncorrected_error_rate, a.corrected_error_rate, a.total_error_rate) == pytest.approx(
            (0.125, 0.0625, 0.1875))


def test_confusion_never_shows_a_line_break_as_intended() -> None:
    stream = "the quicx brown"
    a = analyze("the quick\nbrown", stream, _times(stream))
    assert a.char_errors is not None
    intended = {c["intended"] for c in a.char_errors.confusion_list()}
    assert "\n" not in intended and "k" in intended


def test_old_attempts_recompute_equal_when_the_passage_gains_breaks() -> None:
    # the same keystrokes against the passage as stored before (one block) and as loaded now
    # (paragraph breaks): every figure the store keeps is the same
    new = load_item("nl-copy-01").text
    old = " ".join(new.split())
    assert "\n" in new and "\n" not in old and len(old) == len(new)
    typed = list(old[:600])
    for i in (40, 41, 300):
        typed[i] = "#"
    stream = "".join(typed[:500]) + "xy\b\b" + "".join(typed[500:])
    assert analyze(old, stream, _times(stream)).to_dict() == analyze(new, stream, _times(stream)).to_dict()
    # verify's recomputation (store.compute_metrics), also on the reached part when time ran out
    for ended_by in (None, "time"):
        log = _log(stream, ended_by=ended_by)
        m_old = compute_metrics(old, log, "answer", None, "copy-typing")
        m_new = compute_metrics(new, log, "answer", None, "copy-typing")
        assert m_old == m_new
        # 3 substitutions; finished early, the untyped rest of the passage is omitted
        assert m_old is not None and m_old["inf"] == (3 if ended_by == "time" else 3 + len(new) - 600)


def test_typed_with_enter_at_every_break_scores_as_typed_with_spaces() -> None:
    new = load_item("nl-copy-01").text
    with_spaces = " ".join(new.split())[:700]
    with_enter = new[:700]
    assert with_enter.count("\n") >= 2
    a = compute_metrics(new, _log(with_spaces, ended_by="time"), "answer", None, "copy-typing")
    b = compute_metrics(new, _log(with_enter, ended_by="time"), "answer", None, "copy-typing")
    assert a is not None and b is not None
    assert a["msd"] == b["msd"] == 0 and a["msd_error_rate"] == b["msd_error_rate"] == 0.0
    assert {k: v for k, v in a.items() if k != "transcribed"} == {k: v for k, v in b.items() if k != "transcribed"}
    assert b["transcribed"] == with_enter


def test_reached_part_and_live_marks_apply_the_same_rule() -> None:
    p = "Geachte heer,\nDank u voor uw brief."
    assert reached_length(p, "Geachte heer, Dank") == reached_length(p, "Geachte heer,\nDank") == 18
    for typed in ("Geachte heer, Dank", "Geachte heer,\nDank"):
        assert error_positions(p, typed) == error_positions_exact(p, typed) == []
    assert error_positions(p, "Geachte heer,XDank") == [13]  # a wrong character at the break is marked


def test_passage_position_is_where_the_next_character_is() -> None:
    p = "the quick brown fox\njumps over the lazy dog"
    assert passage_position(p, "") == 0
    assert passage_position(p, "the q") == 5
    assert passage_position(p, "the quick brown fox ") == 20  # a space typed at the break
    assert passage_position(p, "the quick brown fox\nju") == 22
    assert passage_position(p, "the brown fox ") == 20  # "quick " skipped: the place is after the break
    assert passage_position(p, p + "xyz") == len(p)
    # a long answer: only the last characters are aligned, the place is still exact
    long = load_item("nl-copy-01").text
    assert passage_position(long, long[:1500]) == 1500
    assert passage_position(long, long[:700] + long[760:1500]) == 1500  # a skipped stretch of 60


def test_loader_keeps_paragraphs_and_signature_lines() -> None:
    text, breaks = _passage("""
Geachte mevrouw,

Dank voor uw bestelling van 12 maart 2026 bij Domestica. Met deze brief
bevestigen wij   de gegevens.

Met vriendelijke groeten,

Sarah De Smet
Klantendienst Domestica
""")
    # the prose lines (the first is 71 characters) joined, the signature's short lines kept
    assert text == ("Geachte mevrouw,\nDank voor uw bestelling van 12 maart 2026 bij Domestica. Met deze brief "
                    "bevestigen wij de gegevens.\nMet vriendelijke groeten,\nSarah De Smet\nKlantendienst Domestica")
    assert [text[i] for i in breaks] == ["\n"] * 3
    # after the salutation (16 characters), the paragraph (16 + 1 + 99) and the greeting; none inside the signature
    assert breaks == (16, 116, 142)
    # a paragraph of short lines only keeps them (an address): each line ends with a break
    assert _passage("Dear Ann,\n\nMain Street 1\n2800 Mechelen\n")[0] == "Dear Ann,\nMain Street 1\n2800 Mechelen"
    assert KEPT_LINE_CHARS == 64


def test_every_shipped_passage_keeps_its_words_and_gains_only_breaks() -> None:
    import tomllib
    from pathlib import Path

    files = sorted(Path("passages").glob("*/copy-typing/*.toml"))
    assert len(files) >= 12
    for f in files:
        data = tomllib.loads(f.read_text(encoding="utf-8"))
        item = load_item(data["id"])
        assert " ".join(item.text.split()) == " ".join(data["text"].split())  # the old one-block text
        assert item.text.startswith(data["text"].strip().split("\n")[0].strip() + "\n")  # the salutation alone
        assert len(item.paragraph_breaks) >= 3
        assert all(item.text[i] == "\n" for i in item.paragraph_breaks)


def test_split_half_segments_apply_the_same_rule() -> None:
    # analysis.reliability cuts P and T into segments and counts MSD per segment itself: an old
    # attempt gives the same segments against the passage with breaks as against the one block
    from typingtest.analysis.reliability import attempt_segments

    new = load_item("nl-copy-01").text
    old = " ".join(new.split())
    typed = "".join("#" if i % 97 == 5 else c for i, c in enumerate(old[:900]))
    log = _log(typed)
    a, b = attempt_segments(old[:900], log), attempt_segments(new[:900], log)
    assert a.equals(b) and len(a) >= 3
    assert int(a["errors"].sum()) == sum(1 for i in range(900) if i % 97 == 5)
