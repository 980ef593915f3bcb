"""No task starts by itself (issue 17, item 1), on the injected clock: after the practice runs out
the candidate sees "time is up", then the practice's result, and the scored task begins at their
Enter, however long nobody touches the keyboard; the same for every kind of task, after a pause
and after the proctor allows a task without audio; ``back_to_back`` runs tasks without the wait."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pygame
import pytest

from typingtest.config import Settings
from typingtest.content import draw_form, load_battery, load_item
from typingtest.engine.events import EventKind
from typingtest.store import open_store
from typingtest.workstation.app import App
from typingtest.workstation.audio_link import CallerAudio
from typingtest.workstation.clock import ManualClock
from typingtest.workstation.flow_scenes import TIME_UP_S
from typingtest.workstation.runner import install_hotkeys, specs_from_battery
from typingtest.workstation.scene import INPUT_GUARD_S
from typingtest.workstation.session import Session, TaskSpec

PRACTICE_S = 30.0
SCORED_S = 300.0
#: how long nobody touches the keyboard once the practice's result is shown (seconds)
IDLE_S = 900.0


def _spec(kind: str, item_id: str, limit: float, practice: bool = False) -> TaskSpec:
    item = load_item(item_id)
    if getattr(item, "randomise", None) is not None:
        item = draw_form(item, 7)
    return TaskSpec(kind, item, limit, practice=practice, seed=7)


def _session(settings: Settings, specs: list[TaskSpec], store: object = None) -> tuple[App, Session]:
    app = App(settings, size=(1280, 720), clock=ManualClock(1000.0))
    install_hotkeys(app)  # Ctrl+Alt+P, as `run` has it
    session = Session(app, settings, store, battery_id="wait", specs=specs, candidate_id="C-WAIT",
                      instructions=True, closing=True, audio=CallerAudio(app.clock.now, silent=True))
    session.start()
    app.advance(0.1)
    return app, session


def _enter(app: App, after: float = 0.2) -> None:
    app.post_key(pygame.K_RETURN)
    app.advance(after)


def _leave_screen(app: App) -> None:
    """Wait out the screen's input guard as a reader would, then Enter."""
    app.advance(app.input_guard_left() + 0.05)
    _enter(app)


@pytest.fixture(autouse=True)
def _clear_events() -> None:
    yield
    pygame.event.clear()


def test_the_scored_task_waits_for_the_candidate_after_the_practice_runs_out(results_dir: Path) -> None:
    settings = Settings(results_dir=results_dir)
    store = open_store(settings)
    app, session = _session(settings, [_spec("copy-typing", "nl-copy-06", PRACTICE_S, practice=True),
                                       _spec("copy-typing", "nl-copy-01", SCORED_S)], store)
    assert app.scene.name == "instructions"
    _leave_screen(app)
    assert app.scene.name == "copy-typing" and app.scene.spec.practice
    practice_start = app.scene.state.started_at
    passage = app.scene.state.presented
    app.type_text(passage[:20], 0.2)  # 4 s of typing, then the candidate stops
    app.advance(app.scene.state.remaining(app.clock.now()) + 0.1)  # the practice runs out
    assert app.scene.name == "time-up"
    app.advance(TIME_UP_S)
    assert app.scene.name == "practice-result"
    assert len(session.results) == 1 and session.results[0].practice
    # nobody at the keyboard for 15 minutes: the scored task has not begun
    app.advance(IDLE_S)
    assert app.scene.name == "practice-result"
    assert [r.practice for r in session.results] == [True]
    frame = store.attempts_frame(include_practice=True)
    assert list(frame["practice"]) == [True]  # no scored attempt stored or begun
    assert not list(store.journals())  # and none running
    # the candidate presses Enter: the scored task's clock starts at that press
    pressed = app.clock.now()
    _enter(app, after=0.0)
    scene = app.scene
    assert scene.name == "copy-typing" and not scene.spec.practice
    assert scene.state.started_at == pressed
    assert scene.state.started_at - practice_start > PRACTICE_S + TIME_UP_S + IDLE_S
    assert scene.state.remaining(app.clock.now()) == SCORED_S
    app.type_text("Geachte", 0.2)
    app.post_key(pygame.K_RETURN, pygame.KMOD_LCTRL)
    app.advance(0.3)
    _enter(app)
    assert app.scene.name == "closing"  # ended with Finish: no "time is up"
    scored = session.results[-1]
    assert scored.fields["answer"] == "Geachte" and scored.metrics["ended_by"] == "finish"
    store.close()


def test_the_practice_result_shows_the_engines_figures_and_marks(results_dir: Path) -> None:
    settings = Settings(results_dir=results_dir)
    app, session = _session(settings, [_spec("copy-typing", "nl-copy-06", PRACTICE_S, practice=True),
                                       _spec("copy-typing", "nl-copy-01", SCORED_S)])
    _leave_screen(app)
    passage = app.scene.state.presented
    typed = passage[:10] + "#" + passage[11:40]  # one substitution in 40 characters
    app.type_text(typed, 0.25)
    app.advance(PRACTICE_S + TIME_UP_S)
    scene = app.scene
    assert scene.name == "practice-result"
    metrics = session.results[0].metrics
    shown = scene.widget("result").text
    assert f"{metrics['net_wpm']:.0f} woorden per minuut" in shown
    assert "Fouten in de tekst: 2,5 %" in shown  # 1 in 40, with the decimal comma of the Dutch interface
    # 1 error in the 40 characters of the part reached (time-out: judged on the part reached)
    assert metrics["msd_error_rate"] == pytest.approx(1 / 40)
    assert scene.widget("typed").text == typed
    assert scene.widget("typed").marked_indices() == [10]  # the "#" and nothing else
    assert "De test begint als u op Enter drukt" in scene.widget("starts").text
    assert scene.widget("progress").text == "Taak 1 van 1"


def test_the_closing_summary_writes_the_error_rate_with_a_decimal_comma(results_dir: Path) -> None:
    """Found by the battery walk (issue 17 item 8): the summary and the practice result wrote
    "1.3 %" in the Dutch interface; now "1,3 %" as elsewhere in the Dutch and French texts."""
    settings = Settings(results_dir=results_dir, closing_screen="summary")
    app, session = _session(settings, [_spec("copy-typing", "nl-copy-01", 20.0)])
    _leave_screen(app)
    passage = app.scene.state.presented
    app.type_text(passage[:10] + "#" + passage[11:40], 0.25)  # one substitution in 40 characters
    app.advance(20.0 + TIME_UP_S)
    assert app.scene.name == "closing"
    metrics = session.results[-1].metrics
    assert metrics["msd_error_rate"] == pytest.approx(1 / 40)
    summary = app.scene.widget("summary").text
    assert f"{metrics['net_wpm']:.0f} woorden per minuut (netto), 2,5 % fouten in de tekst" in summary
    assert summary.startswith("1. Overtypen: ") and "nl-copy-01" not in summary  # the task's name, not its id


def test_keys_at_the_result_screen_act_only_as_fresh_presses_after_the_guard() -> None:
    settings = Settings()
    app, _ = _session(settings, [_spec("copy-typing", "nl-copy-06", PRACTICE_S, practice=True),
                                       _spec("copy-typing", "nl-copy-01", SCORED_S)])
    _leave_screen(app)
    # Enter held down as the practice runs out: its repeats reach the result screen
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, scancode=40, unicode="\r"))
    app.advance(PRACTICE_S + TIME_UP_S)
    assert app.scene.name == "practice-result"
    app.advance(INPUT_GUARD_S + 0.1)
    for _ in range(5):  # SDL's key repeat, after the guard: not a fresh press
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, scancode=40, unicode="\r",
                                             repeat=1))
        app.advance(0.035)
    assert app.scene.name == "practice-result"
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=pygame.K_RETURN, mod=0, scancode=40, unicode="\r"))
    app.advance(0.1)
    assert app.scene.name == "practice-result"
    # a fresh press within the guard of a newly shown screen does nothing either
    app.show(app.scene)  # the same screen shown again: its guard restarts
    _enter(app, after=INPUT_GUARD_S - 0.1)  # at once: ignored
    assert app.scene.name == "practice-result"
    _enter(app, after=0.0)  # 0.4 s after the show: still ignored
    assert app.scene.name == "practice-result"
    app.advance(0.1)
    _enter(app, after=0.0)  # 0.5 s after: taken
    assert app.scene.name == "copy-typing" and not app.scene.spec.practice


def test_a_click_on_start_within_the_guard_does_nothing() -> None:
    app, _ = _session(Settings(), [_spec("copy-typing", "nl-copy-01", SCORED_S)])
    app.click("start")
    app.advance(0.1)
    assert app.scene.name == "instructions"
    app.advance(INPUT_GUARD_S)
    app.click("start")
    app.advance(0.1)
    assert app.scene.name == "copy-typing"


@pytest.mark.parametrize(("kind", "first", "second"), [
    ("copy-typing", "nl-copy-02", "nl-copy-03"),
    ("transcription", "nl-trans-01", "nl-trans-02"),
    ("data-entry", "nl-entry-01", "nl-entry-02"),
    ("call", "nl-call-01", "nl-call-02"),
])
def test_every_kind_of_task_waits_after_the_one_before_runs_out(kind: str, first: str, second: str) -> None:
    app, session = _session(Settings(), [_spec(kind, first, 20.0), _spec(kind, second, 20.0)])
    assert app.scene.name == "instructions"
    assert app.scene.widget("progress").text == "Taak 1 van 2"
    _leave_screen(app)
    assert app.scene.name == kind and app.scene.spec.item_id == first
    for _ in range(200):  # nobody types: the first runs out (a call after its preview and time limit)
        app.advance(1.0)
        if app.scene.name != kind:
            break
    assert app.scene.name == "time-up"
    app.advance(TIME_UP_S)
    assert app.scene.name == "ready"
    assert app.scene.widget("progress").text == "Taak 2 van 2"
    app.advance(300.0)
    assert app.scene.name == "ready" and len(session.results) == 1
    app.advance(INPUT_GUARD_S)
    pressed = app.clock.now()
    _enter(app, after=0.0)
    assert app.scene.name == kind and app.scene.spec.item_id == second
    state = app.scene.state
    if kind == "call":  # the desk appears at the press; the call itself at "ready" (the desk's own step)
        assert state.desk_shown_at == pressed and state.started_at is None
    else:
        assert state.started_at == pressed


def test_back_to_back_runs_the_next_task_after_time_is_up_without_waiting() -> None:
    app, session = _session(Settings(back_to_back=True),
                            [_spec("copy-typing", "nl-copy-06", PRACTICE_S, practice=True),
                             _spec("copy-typing", "nl-copy-01", SCORED_S)])
    assert session.wait_between_tasks is False
    _leave_screen(app)  # the instructions still wait
    app.advance(PRACTICE_S + 0.1)
    assert app.scene.name == "time-up"
    app.advance(TIME_UP_S)
    assert app.scene.name == "copy-typing" and not app.scene.spec.practice  # began by itself


def test_the_progress_line_counts_the_scored_tasks_of_the_default_battery() -> None:
    settings = Settings()
    specs, _intake = specs_from_battery(load_battery("default"), settings, seed=1)
    app = App(settings, size=(1280, 720), clock=ManualClock(0.0))
    session = Session(app, settings, None, battery_id="default", specs=specs, candidate_id="C")
    lines = [(s.item_id, session.progress(s)) for s in specs]
    assert lines == [("nl-copy-06", (1, 7)), ("nl-copy-01", (1, 7)), ("nl-trans-02", (2, 7)),
                     ("nl-entry-02", (3, 7)), ("nl-call-01", (4, 7)), ("nl-call-02", (5, 7)),
                     ("nl-call-04", (6, 7)), ("nl-call-05", (7, 7))]
    # the steps: instructions before each kind, the practice's result, a ready screen before calls 2-4
    names = [type(step()).__name__ if i not in _task_steps(session) else "task"
             for i, step in enumerate(session.steps)]
    assert names == ["InstructionsScene", "task", "PracticeResultScene", "task", "InstructionsScene", "task",
                     "InstructionsScene", "task", "InstructionsScene", "task", "ReadyScene", "task", "ReadyScene",
                     "task", "ReadyScene", "task", "ClosingScene"]
    session.next()
    assert app.scene.widget("progress").text == "Eerst een oefening, dan taak 1 van 7"


def _task_steps(session: Session) -> set[int]:
    """Indices of the task steps (made without building their scenes)."""
    return {i for i, step in enumerate(session.steps) if "_task_step" in step.__code__.co_names}


def _proctor(app: App, key: int) -> None:
    app.post_key(pygame.K_p, pygame.KMOD_LCTRL | pygame.KMOD_LALT)
    app.advance(0.05)
    for ch in str(app.settings.proctor_code):
        app.post_text(ch)
    app.advance(0.05)
    _enter(app, after=0.05)
    app.post_key(key)
    app.advance(0.1)


def test_after_a_pause_the_task_goes_on_only_at_the_candidates_enter() -> None:
    app, _ = _session(Settings(proctor_code="0917"), [_spec("copy-typing", "nl-copy-01", SCORED_S)])
    _leave_screen(app)
    app.type_text("Geachte", 0.2)
    _proctor(app, pygame.K_F5)  # pause
    assert app.paused and app.overlay.name == "paused"
    app.advance(30.0)
    left = app.scene.state.remaining(app.clock.now())
    _proctor(app, pygame.K_F5)  # the proctor ends the pause; the candidate is not back yet
    assert app.overlay is not None and app.overlay.name == "resume" and app.paused
    app.advance(120.0)
    assert app.scene.state.remaining(app.clock.now()) == pytest.approx(left, abs=0.01)  # the clock is held
    _enter(app, after=0.0)  # the candidate's Enter goes on
    assert app.overlay is None and not app.paused
    assert [i.kind for i in app.incidents][-2:] == ["paused", "resumed"]
    app.advance(10.0)
    assert app.scene.state.remaining(app.clock.now()) == pytest.approx(left - 10.0, abs=0.05)
    markers = [str(r["text"]) for r in app.recorder.to_log() if r["kind"] == EventKind.MARKER]
    assert markers.count("pause") == 1 and markers.count("resume") == 1


def test_a_task_allowed_without_audio_by_the_proctor_waits_for_the_candidate() -> None:
    app = App(Settings(proctor_code="0917"), size=(1280, 720), clock=ManualClock(1000.0))
    install_hotkeys(app)  # Ctrl+Alt+P, as `run` has it
    audio = CallerAudio(app.clock.now, silent=True)
    audio.available = False  # a workstation without sound
    session = Session(app, app.settings, None, battery_id="wait", specs=[_spec("transcription", "nl-trans-01", 60.0)],
                      candidate_id="C", instructions=True, closing=True, audio=audio)
    session.start()
    app.advance(0.1)
    _leave_screen(app)
    assert app.scene.name == "no-audio"
    _proctor(app, pygame.K_F7)
    assert app.scene.name == "ready"  # not the task: the candidate may not be at the keyboard
    app.advance(60.0)
    assert app.scene.name == "ready"
    _enter(app, after=0.0)
    assert app.scene.name == "transcription"
    assert app.scene.state.started_at == app.clock.now()
    log = app.recorder.to_log()
    assert np.any((log["kind"] == EventKind.MARKER) & (log["text"] == "task-start"))
