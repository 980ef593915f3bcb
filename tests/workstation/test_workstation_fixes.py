"""Integration fixes: a click into a search box selects its old query (logged, replayable);
the keyboard layout chosen at intake reaches every attempt; start-up recovers killed attempts."""

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


def _killed_attempt(settings: Settings, candidate: str) -> tuple[str, str]:
    """A copy-typing attempt whose process died mid-task: events journaled, never finished.

    ``AttemptRecorder.close`` leaves the journal exactly as a killed process does (the OS drops the
    lock), minus a torn last block. Returns (session id, the text typed)."""
    from typingtest.content import load_item
    from typingtest.store import open_store
    from typingtest.workstation.driver import Driver
    from typingtest.workstation.session import TaskSpec

    store = open_store(settings)
    specs = [TaskSpec("copy-typing", load_item("nl-copy-03"), 300.0),
             TaskSpec("copy-typing", load_item("nl-copy-04"), 300.0)]
    d = Driver.open(settings, store, specs=specs, intake=False, candidate=candidate)
    if d.scene.name == "instructions":
        d.start_task()
    assert d.scene.spec.item_id == "nl-copy-03"
    d.type("Geachte", 0.1)
    d.session._attempt.close()  # the process dies here: no finish, the session stays "running"
    session_id = str(d.session.session_id)
    store.close()
    assert list((settings.results_dir / "journal").glob("*.ttj")), "the killed attempt left a journal"
    pygame.event.clear()
    return session_id, "Geachte"


def test_run_recovers_a_killed_attempt_at_start_up(results_dir, monkeypatch, capsys) -> None:
    """`typingtest run` (headless, window closed at once) first stores the killed attempt as interrupted."""
    from typingtest.cli import main
    from typingtest.store import open_store
    from typingtest.workstation.app import App

    settings = Settings(results_dir=results_dir)
    session_id, typed = _killed_attempt(settings, "C-KILL-1")
    monkeypatch.setenv("TYPINGTEST_RESULTS", str(results_dir))
    monkeypatch.delenv("TYPINGTEST_DB", raising=False)
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    real_run = App.run

    def close_at_once(self: App) -> None:  # the proctor closes the window as soon as it opens
        pygame.event.post(pygame.event.Event(pygame.QUIT))
        real_run(self)

    monkeypatch.setattr(App, "run", close_at_once)
    main(["run", "--task", "copy-typing", "--item", "nl-copy-01", "--windowed"])
    out = capsys.readouterr()
    assert "recovered 1 unfinished attempt from the journals" in out.err
    assert "C-KILL-1" not in out.err + out.out  # personal data stays in the store

    store = open_store(settings)
    frame = store.attempts_frame(include_practice=True)
    killed = frame[frame["session_id"] == session_id]
    assert list(killed["state"]) == ["interrupted"]
    assert killed["transcribed"].iloc[0] == typed  # its events restored, its metrics computed
    sessions = store.sessions_frame(candidate="C-KILL-1")
    assert list(sessions["state"]) == ["interrupted"]
    assert not list(store.journals())
    store.close()


def test_a_recovered_session_resumes_at_the_killed_task(results_dir) -> None:
    """After start-up recovery the candidate is stopped at intake; the proctor resumes the session
    (the store reopens it) at the task the crash interrupted."""
    from typingtest.content import load_item
    from typingtest.workstation.driver import Driver
    from typingtest.workstation.runner import open_workstation_store, recovery_summary
    from typingtest.workstation.session import TaskSpec

    settings = Settings(results_dir=results_dir)
    session_id, _ = _killed_attempt(settings, "C-KILL-2")
    store, results = open_workstation_store(settings)
    assert [r.status for r in results] == ["recovered"]
    assert recovery_summary(results) == "typingtest: recovered 1 unfinished attempt from the journals"
    assert recovery_summary([]) is None  # a clean start says nothing
    specs = [TaskSpec("copy-typing", load_item("nl-copy-03"), 300.0),
             TaskSpec("copy-typing", load_item("nl-copy-04"), 300.0)]
    d = Driver.open(settings, store, specs=specs, intake=True)
    d.type("C-KILL-2", 0.1)
    d.key(pygame.K_RETURN)
    assert d.scene.name == "intake" and d.scene.resumable is not None
    d.key(pygame.K_p, pygame.KMOD_LCTRL | pygame.KMOD_LALT, after=0.05)
    for ch in str(settings.proctor_code):
        d.app.post_text(ch)
    d.key(pygame.K_RETURN, after=0.05)
    d.key(pygame.K_F8, after=0.1)  # resume, after the consent and the checks (as for a new session)
    assert d.scene.name == "intake" and d.scene.page == "consent" and d.session.session_id is None
    from typingtest.workstation.intake import LAYOUT_CHECK_TEXTS

    d.click("agree")
    d.type(LAYOUT_CHECK_TEXTS[d.scene.keyboard_layout], 0.1)
    d.key(pygame.K_RETURN)
    d.wait(1.5)
    d.type(d.scene.headset_word, 0.1)
    d.key(pygame.K_RETURN)
    assert d.session.session_id == session_id
    if d.scene.name == "instructions":
        d.start_task()
    assert d.scene.name == "copy-typing" and d.scene.spec.item_id == "nl-copy-03"
    assert list(store.sessions_frame(candidate="C-KILL-2")["state"]) == ["running"]  # reopened by the store
    store.close()
    pygame.event.clear()


def test_the_layout_chosen_at_intake_reaches_every_attempt_and_the_progress_report(results_dir) -> None:
    """Headless end to end: QWERTZ-DE chosen at intake -> each stored attempt's meta and
    ``metrics["layout"]`` -> ``recorded_layout`` of the analysis (which would say AZERTY-BE without it)."""
    import json

    from sqlalchemy import text

    from typingtest.analysis.progress_report import recorded_layout
    from typingtest.content import load_item
    from typingtest.store import open_store
    from typingtest.workstation.driver import Driver
    from typingtest.workstation.session import TaskSpec

    settings = Settings(results_dir=results_dir)
    store = open_store(settings)
    specs = [TaskSpec("copy-typing", load_item("nl-copy-03"), 300.0)]
    d = Driver.open(settings, store, specs=specs, intake=True)
    d.intake("C-LAYOUT-1", layout="qwertz-de")
    assert d.session.keyboard_layout == "qwertz-de"
    if d.scene.name == "instructions":
        d.start_task()
    d.type("Geachte", 0.1)
    d.finish()
    frame = store.attempts_frame(candidate="C-LAYOUT-1", include_practice=True)
    assert len(frame) == 1 and frame["metrics"].iloc[0]["layout"] == "qwertz-de"
    assert recorded_layout(frame) == "qwertz-de"
    with store.engine.connect() as conn:
        meta = json.loads(conn.execute(text("SELECT meta FROM attempts")).scalar())
    assert meta["layout"] == "qwertz-de"
    assert not [r for r in store.verify() if not r.ok]  # the label does not upset the recomputation
    store.close()
    pygame.event.clear()


def test_the_keyboard_check_follows_the_chosen_layout(results_dir) -> None:
    """The AZERTY-BE check text is refused once QWERTY-US is chosen (F2), and the US one accepted."""
    from typingtest.workstation.driver import Driver
    from typingtest.workstation.intake import LAYOUT_CHECK_TEXTS

    settings = Settings(results_dir=results_dir)
    d = Driver.open(settings, None, specs=[], intake=True)
    d.type("C-LAYOUT-2", 0.05)
    d.key(pygame.K_RETURN)
    d.scene.candidate_id = "C-LAYOUT-2"
    d.scene.show_page("layout")
    assert d.scene.keyboard_layout == "azerty-be"
    d.key(pygame.K_F2)
    assert d.scene.keyboard_layout == "qwerty-us"
    d.type(LAYOUT_CHECK_TEXTS["azerty-be"] + "\n", 0.05)
    assert d.scene.page == "layout"  # wrong for this layout
    d.scene.widget("layout-check").set_text("")
    d.type(LAYOUT_CHECK_TEXTS["qwerty-us"] + "\n", 0.05)
    assert d.scene.page == "headset"
    pygame.event.clear()
