"""The proctor: ending a session keeps the running attempt as interrupted; an interrupted
session resumes at the next unfinished task; a stored attempt replays on screen."""

from __future__ import annotations

from pathlib import Path

import pygame

from typingtest.config import Settings, workstation_proctor_code
from typingtest.content import load_item
from typingtest.engine.replay import replay
from typingtest.store import open_store
from typingtest.workstation.driver import Driver
from typingtest.workstation.intake import LAYOUT_CHECK_TEXTS
from typingtest.workstation.session import TaskSpec


def _proctor(d: Driver, key: int) -> None:
    d.key(pygame.K_p, pygame.KMOD_LCTRL | pygame.KMOD_LALT, after=0.05)
    for ch in workstation_proctor_code(d.app.settings)[0]:  # the code this workstation made for itself
        d.app.post_text(ch)
    d.key(pygame.K_RETURN, after=0.05)
    d.key(key, after=0.1)


def test_end_interrupts_and_a_new_session_resumes_at_the_next_task(results_dir: Path) -> None:
    settings = Settings(results_dir=results_dir)
    store = open_store(settings)
    specs = [TaskSpec("copy-typing", load_item("nl-copy-03"), 300.0),
             TaskSpec("copy-typing", load_item("nl-copy-04"), 300.0)]
    d = Driver.open(settings, store, specs=specs, intake=True)
    d.intake("C-RES-1")
    d.start_task()
    d.type("Geachte", 0.1)
    d.finish()  # the first task is complete; instructions come once per kind of task
    assert d.scene.name == "ready"  # the next task waits for the candidate (issue 17)
    d.start_task()
    assert d.scene.spec.item_id == "nl-copy-04"
    d.type("Beste", 0.1)
    _proctor(d, pygame.K_F6)  # end the session
    assert d.session.finished and d.session.state == "interrupted"
    frame = store.attempts_frame()
    assert list(frame["state"]) == ["complete", "interrupted"]
    assert frame["transcribed"].iloc[1] == "Beste"  # what was typed before the end is kept

    # the candidate comes back: intake stops them (unfinished session); the proctor resumes it
    d2 = Driver.open(settings, store, specs=specs, intake=True)
    d2.type("C-RES-1", 0.1)
    d2.key(pygame.K_RETURN)
    assert d2.scene.name == "intake" and d2.scene.resumable is not None
    _proctor(d2, pygame.K_F8)
    # resume: first the consent and the checks, as for a new session; then the old session reopens
    assert d2.scene.name == "intake" and d2.scene.page == "consent" and d2.session.session_id is None
    d2.click("agree")
    d2.type(LAYOUT_CHECK_TEXTS[d2.scene.keyboard_layout], 0.1)
    d2.key(pygame.K_RETURN)
    d2.wait(1.5)
    d2.type(d2.scene.headset_word, 0.1)
    d2.key(pygame.K_RETURN)
    assert d2.session.session_id == frame["session_id"].iloc[0]
    if d2.scene.name == "instructions":
        d2.start_task()
    # the finished task is skipped, the interrupted one is taken again
    assert d2.scene.name == "copy-typing" and d2.scene.spec.item_id == "nl-copy-04"
    store.close()


def test_pause_stops_the_task_clock(results_dir: Path) -> None:
    settings = Settings(results_dir=results_dir)
    d = Driver.open(settings, None, specs=[TaskSpec("copy-typing", load_item("nl-copy-03"), 60.0)], single=True,
                    candidate="C-P")
    d.wait(10.0)
    left = d.scene.state.remaining(d.clock.now())
    _proctor(d, pygame.K_F5)  # pause
    assert d.app.paused and d.app.overlay is not None and d.app.overlay.name == "paused"
    d.wait(30.0)
    assert abs(d.scene.state.remaining(d.clock.now()) - left) < 0.5  # hand count: paused 30 s, clock held
    _proctor(d, pygame.K_F5)  # resume: the task goes on at the candidate's Enter (issue 17)
    assert d.app.paused and d.app.overlay is not None and d.app.overlay.name == "resume"
    d.wait(0.5)
    d.key(pygame.K_RETURN)
    assert not d.app.paused and d.app.overlay is None
    kinds = [i.kind for i in d.app.incidents]
    assert kinds[-2:] == ["paused", "resumed"]


def test_replay_scene_rebuilds_the_typed_text() -> None:
    from typingtest.engine.events import EventKind, make_log
    from typingtest.workstation.screenshots import open_scene

    app = open_scene("copy-typing")
    app.type_text("xy\b\b Zoë", 0.05)
    log = app.recorder.to_log()  # type: ignore[union-attr]
    from typingtest.workstation.replay import ReplayScene

    scene = ReplayScene(app, log, title="t", speed=4.0)
    app.show(scene)
    app.advance(float(log["t"].max()) / 4 + 0.5)
    assert scene.finished
    assert scene.field.text == replay(log[log["target"] == "answer"]).transcribed
    assert make_log([{"kind": EventKind.TEXT}]).dtype == log.dtype
