"""Passages as written (issue 17, item 4), headless: salutation, paragraphs and signature on
screen as in the file; the passage scrolls so the line being typed stays in view; Enter in the
answer types the break, and an attempt typed with Enter scores and verifies as one typed with
spaces."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pygame

from typingtest.config import Settings
from typingtest.content import load_item
from typingtest.workstation.driver import Driver
from typingtest.workstation.session import TaskSpec
from typingtest.workstation.theme import Theme
from typingtest.workstation.widgets import PassagePanel


def _copy(results_dir: Path, store: object = None, *, size: tuple[int, int] = (1920, 1080), limit: float = 600.0,
          font_scale: float = 1.0) -> Driver:
    spec = TaskSpec("copy-typing", load_item("nl-copy-01"), limit, seed=0)
    d = Driver.open(Settings(results_dir=results_dir, font_scale=font_scale), store, specs=[spec], single=True,
                    size=size, candidate="C-PARA-1")
    d.wait(0.5)
    assert d.scene.name == "copy-typing"
    return d


def test_salutation_paragraphs_and_signature_are_shown_as_in_the_file(results_dir: Path) -> None:
    d = _copy(results_dir)
    theme = d.app.theme
    panel = d.scene.widget("passage")
    rows = panel.rows(theme)
    lh = theme.font(22).get_linesize()
    gap = lh // 2
    texts = [r[1] for r in rows]
    assert texts[0] == "Geachte mevrouw Verhoeven,\n"  # the salutation on a line of its own
    assert texts[1].startswith("Hartelijk dank voor uw bestelling")
    assert rows[1][2] == lh + gap  # half a line left blank after a paragraph
    assert texts[-4:] == ["Wij wensen u veel plezier met uw aankoop.\n", "Met vriendelijke groeten,\n",
                          "Sarah De Smet\n", "Klantendienst Domestica"]
    assert rows[-1][2] - rows[-2][2] == lh  # the signature's two lines: no paragraph gap between them
    assert rows[-2][2] - rows[-3][2] == lh + gap
    # on screen: nothing follows the salutation on its row (the ink stops where the words end)
    rect = panel.rect
    pad = theme.px(10)
    font = theme.font(22)
    top = rect.y + pad
    strip = pygame.surfarray.array3d(d.app.screen)[rect.x + 2:rect.right - 2, top:top + font.get_ascent()]
    ink = (strip.min(axis=2) < 128).any(axis=1)
    end = pad - 2 + font.size("Geachte mevrouw Verhoeven,")[0]
    assert ink[:end].sum() > 100 and not ink[end + 3:].any()


def _panel(text: str, breaks: tuple[int, ...], theme: Theme, h: int) -> PassagePanel:
    panel = PassagePanel("passage", text, paragraph_breaks=breaks, size=22)
    panel.set_rect(pygame.Rect(20, 86, 1240, h))
    return panel


def test_the_line_being_typed_stays_in_view_and_the_text_moves_rarely() -> None:
    pygame.font.init()
    item = load_item("nl-copy-01")
    theme = Theme((1280, 720), font_scale=1.5)
    panel = _panel(item.text, item.paragraph_breaks, theme, 290)
    rows = panel.rows(theme)
    shown = panel._last_shown(theme, 0) + 1
    assert len(rows) > 2 * shown  # the letter is longer than the box
    tops = []
    for i in range(len(item.text) + 1):
        panel.follow(i, theme)
        row = panel.row_of(i, theme)
        assert panel.top <= row <= panel._last_shown(theme, panel.top), i
        if row >= 1 and row < len(rows) - 1:
            assert row > panel.top or panel.top == 0  # the line before it is shown too
        tops.append(panel.top)
    scrolls = sum(a != b for a, b in itertools.pairwise(tops))
    # each scroll moves the current line up to the second row: about one scroll per (shown - 2) lines
    assert 1 <= scrolls <= len(rows) // max(1, shown - 2) + 1
    assert tops[-1] == panel._max_top(theme)  # at the end the signature is at the bottom
    above, below = panel.hidden(theme)
    assert above > 0 and below == 0
    # back to the start (the candidate deletes): the first line is shown again
    panel.follow(0, theme)
    assert panel.top == 0


def test_typing_scrolls_the_passage_and_enter_types_the_break(results_dir: Path) -> None:
    d = _copy(results_dir, size=(1280, 720), font_scale=1.5)
    item = d.scene.spec.item
    panel = d.scene.widget("passage")
    theme = d.app.theme
    typed = item.text[:700]
    assert typed.count("\n") >= 2
    d.type(typed, 0.03)  # "\n" is the Enter key
    d.wait(0.2)
    answer = d.scene.widget("answer")
    assert answer.text == typed  # Enter put a line break in the answer
    assert panel.position == 700
    row = panel.row_of(700, theme)
    assert panel.top > 0 and panel.top <= row <= panel._last_shown(theme, panel.top)
    rows = [r for r in d.app.recorder.to_log() if r["target"] == "answer" and r["text"] == "\n"]
    assert len(rows) == typed.count("\n")  # one TEXT row per Enter, as for any character
    # the screen shows the scrolled passage: the top row's text is the row ``top``
    assert panel.rows(theme)[panel.top][0] > 0


def _stored_metrics(results_dir: Path, typed: str) -> tuple[dict, list]:
    from typingtest.store import open_store

    store = open_store(Settings(results_dir=results_dir))
    try:
        d = _copy(results_dir, store, limit=30.0)
        d.type(typed, 0.05)
        d.wait(30.0)  # the time limit ends the task: judged on the part reached
        frame = store.attempts_frame()
        assert len(frame) == 1
        verified = store.verify()
    finally:
        store.close()
    return frame.iloc[0]["metrics"], verified


def test_an_answer_typed_with_enter_scores_and_verifies_as_one_typed_with_spaces(results_dir: Path) -> None:
    text = load_item("nl-copy-01").text
    with_enter = text[:330]
    with_spaces = " ".join(text.split())[:330]
    assert with_enter.count("\n") == 2 and "\n" not in with_spaces
    m_enter, v_enter = _stored_metrics(results_dir / "enter", with_enter)
    m_space, v_space = _stored_metrics(results_dir / "space", with_spaces)
    assert m_enter["transcribed"] == with_enter and m_space["transcribed"] == with_spaces
    for m in (m_enter, m_space):
        assert (m["msd"], m["msd_error_rate"], m["inf"], m["c"]) == (0, 0.0, 0, 330)
        assert m["ended_by"] == "time" and m["presented_chars"] == 330
    for v in (v_enter, v_space):
        assert len(v) == 1 and v[0].ok and v[0].recomputed, [r.problems for r in v]
    assert np.isclose(m_enter["net_wpm"], m_space["net_wpm"])
