"""Input at the edges of a task (issue 17, item 5), headless on the injected clock: a key held or
repeated across the start of a task is neither an ``input-before-start`` incident nor lost; the
consent page's "I do not agree" stores nothing about the candidate; the proctor code is masked;
the intake says what is wrong with the input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pygame
import pytest

from typingtest.config import Settings
from typingtest.content import load_item
from typingtest.engine.events import EventKind
from typingtest.store import open_store
from typingtest.workstation.app import BEFORE_START_TARGET, App
from typingtest.workstation.audio_link import CallerAudio
from typingtest.workstation.clock import ManualClock
from typingtest.workstation.driver import Driver
from typingtest.workstation.intake import LAYOUT_CHECK_TEXTS, id_problem, layout_check_problem
from typingtest.workstation.proctor import MASK
from typingtest.workstation.runner import install_hotkeys
from typingtest.workstation.scene import INPUT_GUARD_S
from typingtest.workstation.session import Session, TaskSpec

ENTER_SCANCODE = 40
A_SCANCODE = 4


@pytest.fixture(autouse=True)
def _clear_events() -> None:
    yield
    if pygame.display.get_init():  # the id and layout checks run without a window
        pygame.event.clear()


def _down(key: int, scancode: int, repeat: int = 0, text: str = "") -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, scancode=scancode, unicode=text,
                                         repeat=repeat))


def _up(key: int, scancode: int) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=0, scancode=scancode, unicode=""))


def _copy_session(settings: Settings, store: object = None) -> tuple[App, Session]:
    app = App(settings, size=(1280, 720), clock=ManualClock(1000.0))
    install_hotkeys(app)  # Ctrl+Alt+P, as `run` has it
    specs = [TaskSpec("copy-typing", load_item("nl-copy-01"), 300.0)]
    session = Session(app, settings, store, battery_id="edges", specs=specs, candidate_id="C-EDGE",
                      instructions=True, closing=True, audio=CallerAudio(app.clock.now, silent=True))
    session.start()
    app.advance(INPUT_GUARD_S + 0.1)
    return app, session


def test_auto_repeat_during_preparation_is_no_input_and_the_key_is_not_lost() -> None:
    """The Enter that leaves the instructions is held through a slow preparation: its repeats and
    release wait in the queue. ``discard_input`` counts none of them as new input (no incident),
    and the key's next press in the task has its KEY_DOWN row."""
    app, _session = _copy_session(Settings())
    _down(pygame.K_RETURN, ENTER_SCANCODE)
    app.pump()  # the instructions take the press; the task is shown
    assert app.scene.name == "copy-typing"
    # meanwhile (a preparation would hold the loop here): 12 repeats, then the release, and one
    # fresh key press typed at the wait screen
    for _ in range(12):
        _down(pygame.K_RETURN, ENTER_SCANCODE, repeat=1)
    _up(pygame.K_RETURN, ENTER_SCANCODE)
    _down(pygame.K_a, A_SCANCODE, text="a")
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="a"))
    _up(pygame.K_a, A_SCANCODE)
    assert app.discard_input() == 1  # the "a" press only: repeats and releases are no new input
    # the next Enter and "a" in the task are key presses with their rows
    _down(pygame.K_a, A_SCANCODE, text="a")
    _up(pygame.K_a, A_SCANCODE)
    _down(pygame.K_RETURN, ENTER_SCANCODE)
    _up(pygame.K_RETURN, ENTER_SCANCODE)
    app.advance(0.1)
    log = app.recorder.to_log()
    downs = log[log["kind"] == EventKind.KEY_DOWN]
    assert list(downs["key"]) == [pygame.K_a, pygame.K_RETURN]
    assert set(downs["target"]) == {"answer"}


def test_a_press_that_began_before_the_task_is_released_in_it_as_such() -> None:
    """The Enter that started the task: its release is logged with target ``before-start`` (no
    KEY_DOWN row in the task), its repeats are not presses, and no incident is raised."""
    app, _session = _copy_session(Settings())
    _down(pygame.K_RETURN, ENTER_SCANCODE)
    app.advance(0.1)
    assert app.scene.name == "copy-typing"
    for _ in range(5):  # held: SDL repeats it, in the task now
        _down(pygame.K_RETURN, ENTER_SCANCODE, repeat=1)
        app.advance(0.035)
    _up(pygame.K_RETURN, ENTER_SCANCODE)
    app.advance(0.1)
    _down(pygame.K_RETURN, ENTER_SCANCODE)  # a new press, in the task
    _up(pygame.K_RETURN, ENTER_SCANCODE)
    app.advance(0.1)
    log = app.recorder.to_log()
    keys = log[np.isin(log["kind"], [EventKind.KEY_DOWN, EventKind.KEY_UP])]
    assert [(int(r["kind"]), str(r["target"])) for r in keys] == [
        (EventKind.KEY_UP, BEFORE_START_TARGET),  # the press that started the task
        (EventKind.KEY_DOWN, "answer"), (EventKind.KEY_UP, "answer"),  # the new press: its own rows
    ]
    assert not [i for i in app.incidents if i.kind == "input-before-start"]
    markers = log[log["kind"] == EventKind.MARKER]
    assert not any(str(t).startswith("incident:") for t in markers["text"])


def test_a_key_held_when_instructions_appear_never_starts_the_task() -> None:
    """Enter held from the step before (its KEYDOWN came before the screen): neither its repeats
    nor its release start the task, even after the guard; a fresh press does."""
    settings = Settings()
    app = App(settings, size=(1280, 720), clock=ManualClock(1000.0))
    _down(pygame.K_RETURN, ENTER_SCANCODE)
    app.pump()  # pressed with nothing shown yet
    session = Session(app, settings, None, battery_id="edges",
                      specs=[TaskSpec("copy-typing", load_item("nl-copy-01"), 300.0)], candidate_id="C",
                      audio=CallerAudio(app.clock.now, silent=True))
    session.start()
    assert app.scene.name == "instructions"
    app.advance(INPUT_GUARD_S + 0.2)
    _down(pygame.K_RETURN, ENTER_SCANCODE)  # no repeat flag, but the key is down since before the screen
    app.advance(0.1)
    assert app.scene.name == "instructions"
    _up(pygame.K_RETURN, ENTER_SCANCODE)
    app.advance(0.1)
    assert app.scene.name == "instructions"
    app.post_key(pygame.K_RETURN, scancode=ENTER_SCANCODE)
    app.advance(0.1)
    assert app.scene.name == "copy-typing"


def test_i_do_not_agree_ends_the_session_and_stores_nothing_but_the_count(results_dir: Path) -> None:
    settings = Settings(results_dir=results_dir)
    store = open_store(settings)
    audit_before = len(store.audit_frame())
    d = Driver.open(settings, store, specs=[TaskSpec("copy-typing", load_item("nl-copy-01"), 300.0)], intake=True)
    d.type("C-REFUSE-1", 0.05)
    d.key(pygame.K_RETURN)
    assert d.scene.page == "consent"
    assert d.scene.widget("disagree").visible and d.scene.widget("disagree").label == "Ik ga niet akkoord"
    d.click("disagree")
    assert d.scene.name == "consent-refused"
    assert "niets van u bewaard" in d.scene.widget("text").text
    d.wait(INPUT_GUARD_S)
    d.key(pygame.K_RETURN)
    assert d.session.finished and d.session.state == "refused"
    assert store.candidate("C-REFUSE-1") is None
    assert store.sessions_frame().empty
    assert store.attempts_frame(include_practice=True).empty
    audit = store.audit_frame()
    new = audit.iloc[audit_before:]
    assert list(new["action"]) == ["consent-refused"]
    assert new["object_id"].isna().all()
    assert "C-REFUSE-1" not in new.to_json(date_format="iso")  # no personal data in the count
    store.close()


def test_the_consent_is_not_given_by_the_held_enter_of_the_id_page() -> None:
    d = Driver.open(Settings(), None, specs=[], intake=True)
    d.type("C-HELD-1", 0.05)
    _down(pygame.K_RETURN, ENTER_SCANCODE)
    d.wait(0.1)
    assert d.scene.page == "consent"
    for _ in range(10):  # the candidate keeps Enter down: SDL repeats it
        _down(pygame.K_RETURN, ENTER_SCANCODE, repeat=1)
        d.wait(0.035)
    assert d.scene.page == "consent"
    _up(pygame.K_RETURN, ENTER_SCANCODE)
    d.app.post_key(pygame.K_RETURN, scancode=ENTER_SCANCODE)  # a fresh press agrees
    d.wait(0.1)
    assert d.scene.page == "layout"


def test_the_proctor_code_is_shown_masked_and_works() -> None:
    app, _session = _copy_session(Settings(proctor_code="4242"))
    app.post_key(pygame.K_p, pygame.KMOD_LCTRL | pygame.KMOD_LALT)
    app.advance(0.05)
    for ch in "42429":
        app.post_text(ch)
    app.post_key(pygame.K_BACKSPACE)
    app.advance(0.05)
    field = app.overlay.widget("proctor-code")
    assert field.text == MASK * 4 and "4" not in field.text
    app.post_key(pygame.K_RETURN)
    app.advance(0.05)
    assert app.overlay.unlocked
    assert app.overlay.widget("proctor-override").label == "Herkansing / hervatten"


@pytest.mark.parametrize(("typed", "key"), [
    ("", "id_empty"),
    ("C 001", "id_space"),
    ("C\t001", "id_space"),
    ("C/001", "id_chars"),
    ("..", "id_chars"),
    ("X" * 65, "id_long"),
    ("C-001", None),
])
def test_id_problems_say_what_is_wrong(typed: str, key: str | None) -> None:
    assert id_problem(typed) == key


@pytest.mark.parametrize(("typed", "key"), [
    ("é è ë ç à @ €", None),
    ("éèëçà@€", "layout_no_spaces"),
    ("é è ë ç à @", "layout_mismatch"),
    ("2 7 ! 9 0 @ $", "layout_mismatch"),  # what a QWERTY-US system layout gives for the AZERTY keys
    ("", "layout_empty"),
])
def test_keyboard_check_problems_say_what_is_wrong(typed: str, key: str | None) -> None:
    assert layout_check_problem(typed, LAYOUT_CHECK_TEXTS["azerty-be"]) == key


def test_the_intake_shows_the_specific_messages() -> None:
    d = Driver.open(Settings(), None, specs=[], intake=True)
    d.type("C 001\n", 0.05)
    assert d.scene.page == "candidate"
    assert d.scene.widget("feedback").text == "Geen spaties in het kandidaatnummer"
    d.scene.widget("candidate-id").set_text("")
    d.type("C-001\n", 0.05)
    d.click("agree")
    assert d.scene.page == "layout"
    d.type("éèëçà@€\n", 0.05)
    assert d.scene.page == "layout"
    assert d.scene.widget("feedback").text == "Typ een spatie tussen de tekens, zoals getoond: é è ë ç à @ €"
    d.scene.widget("layout-check").set_text("")
    d.type("abc\n", 0.05)
    assert d.scene.widget("feedback").text == (
        "Niet hetzelfde als é è ë ç à @ €: controleer of het toetsenbord op AZERTY (BE) staat")
