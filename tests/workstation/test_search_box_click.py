"""Clicks into the call desk's fields: a click into a search box selects its old query (logged as
an EDIT select-all, so the replay rebuilds the same text), so that typing replaces it; a click into
an ordinary field places the caret."""

from __future__ import annotations

import pygame
import pytest

from typingtest.config import Settings
from typingtest.engine.events import EventKind
from typingtest.workstation.screenshots import open_scene


@pytest.fixture
def settings(results_dir) -> Settings:
    return Settings(results_dir=results_dir)


def _click_field(app, name: str) -> None:  # type: ignore[no-untyped-def]
    r = app.widget_rect(name)
    assert r is not None
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(r.x + r.w - 8, r.y + r.h // 2), button=1))
    app.advance(0.1)


@pytest.mark.parametrize("box", ["search:records", "search:articles"])
def test_click_into_a_search_box_selects_the_old_query_so_typing_replaces_it(settings: Settings, box: str) -> None:
    app = open_scene("call", settings=settings)
    _click_field(app, box)
    app.type_text("Janssens", 0.05)
    app.advance(0.1)
    field = app.scene.widget(box)  # type: ignore[union-attr]
    assert field.text == "Janssens"
    _click_field(app, box)  # a second search: the click selects "Janssens" ...
    assert field.buffer.selection() == (0, len("Janssens"))
    app.type_text("Peeters", 0.05)  # ... and typing replaces it
    app.advance(0.1)
    assert field.text == "Peeters"
    rows = [(int(r["kind"]), str(r["text"]), str(r["target"])) for r in app.recorder.to_log()]  # type: ignore[union-attr]
    assert (EventKind.EDIT, "select-all", box) in rows
    # the replay rebuilds the same text from the log (the select-all is in the input stream)
    from typingtest.engine.replay import replay

    assert replay(app.recorder.to_log(), target=box).transcribed == "Peeters"  # type: ignore[union-attr]
    # a click while all is selected places the caret (a second click edits inside the query)
    _click_field(app, box)
    assert field.buffer.selection() == (0, len("Peeters"))
    _click_field(app, box)
    assert field.buffer.selection() is None
    pygame.event.clear()


def test_a_click_into_an_ordinary_field_still_places_the_caret(settings: Settings) -> None:
    app = open_scene("copy-typing", settings=settings)
    app.type_text("abc", 0.05)
    app.advance(0.1)
    r = app.widget_rect("answer")
    assert r is not None
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(r.x + 8, r.y + 12), button=1))
    app.advance(0.1)
    assert app.focus.buffer.selection() is None  # type: ignore[union-attr]
    assert app.focus.buffer.caret == 0  # type: ignore[union-attr]
    pygame.event.clear()
