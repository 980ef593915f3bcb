"""Start-up recovery: ``typingtest run`` first stores an attempt whose process was killed as
interrupted (its events restored, its metrics computed), and the proctor can resume the session at
the task the crash interrupted."""

from __future__ import annotations

import pygame

from typingtest.config import Settings, workstation_proctor_code


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
    for ch in workstation_proctor_code(settings)[0]:  # the code this workstation made for itself
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
