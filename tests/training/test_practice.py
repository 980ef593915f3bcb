"""``typingtest practice`` headless: a simulated trainee's store, two drills typed by the driver.

The trainee (the virtual typist with e and k failing half the time, three copy-typing attempts
stored) practises on the dummy video driver with an injected clock. Each drill is typed from
its own text with every "a" typed as "q" (a substitution the test can count), then finished.
"""

from __future__ import annotations

import json
from pathlib import Path

import pygame
import pytest
from sqlalchemy import select

from typingtest.analysis.progress import drill_targets
from typingtest.cli import main
from typingtest.config import Settings, load_thresholds
from typingtest.engine.scoring import score_attempt
from typingtest.simulate.profiles import BAND_PROFILES
from typingtest.simulate.typist import type_text
from typingtest.store import Store
from typingtest.store import schema as S
from typingtest.store.store import compute_metrics
from typingtest.training.commands import default_seed
from typingtest.training.learner import learner_model
from typingtest.training.practice import MIN_DRILL_S, Practice, next_goal_wpm
from typingtest.workstation.app import App
from typingtest.workstation.audio_link import CallerAudio
from typingtest.workstation.clock import ManualClock
from typingtest.workstation.drill_scenes import start_practice
from typingtest.workstation.driver import Driver

CID = "TR-0007"
TEXT = ("Goedemiddag, u spreekt met de klantendienst. Wat kan ik voor u doen? Ik bel over mijn bestelling "
        "van vorige week: de kabel is nog niet geleverd en ik kreeg geen bericht. Kunt u even kijken wanneer "
        "het pakket komt? Mijn klantnummer is 731905-40 en ik woon in de Kerkstraat 12 in Gent.")  # fmt: skip


@pytest.fixture
def trainee(results_dir: Path) -> tuple[Settings, Store]:
    """A store with three copy-typing tests of a trainee whose e and k fail half the time (as in
    ``test_drill_command``: at 50 % planned, the measured rates are far lower)."""
    settings = Settings(results_dir=results_dir)
    store = Store(f"sqlite:///{(results_dir / 'typingtest.sqlite').as_posix()}", results_dir,
                  results_dir / "signing.key", workstation="ws-test")  # fmt: skip
    store.ensure_candidate(CID, "trainees")
    for k in range(3):
        sid = store.start_session(CID, "quick", "sha256:abc", "ws-test", "nl")
        rec = store.begin_attempt(sid, "copy-typing", "nl-copy-01", False, {"presented": TEXT, "target": "copy"})
        att = type_text(TEXT, BAND_PROFILES["average"], seed=k, target="copy", key_error_rates={"e": 0.5, "k": 0.5})
        rec.finish(att.log, compute_metrics(TEXT, att.log, "copy"), [], None)
        store.end_session(sid, "complete")
    yield settings, store
    store.close()


def _meta(store: Store, attempt_id: str) -> dict:
    with store.engine.connect() as conn:
        raw = conn.execute(select(S.attempts.c.meta).where(S.attempts.c.attempt_id == attempt_id)).scalar()
    return json.loads(raw)


def _type_drill(d: Driver, n_chars: int) -> str:
    """Type the first ``n_chars`` of the drill shown, every "a" as "q"; returns what was typed."""
    presented = d.scene.state.presented
    typed = presented[:n_chars].replace("a", "q")  # the whole drill when n_chars >= its length
    d.type(typed, 0.11)
    d.finish()
    return typed


def test_two_drills_stored_as_practice_with_feedback_from_the_engine(trainee: tuple[Settings, Store]) -> None:
    settings, store = trainee
    thresholds = load_thresholds(settings)
    practice = Practice(CID, lambda: learner_model(store, CID), minutes=5, length=120,
                        error_limit=thresholds["msd_error_rate"].limit)  # fmt: skip
    first_model_attempts = practice.model.n_attempts
    assert first_model_attempts == 3
    clock = ManualClock(1000.0)
    app = App(settings, size=(1280, 720), clock=clock)
    session = start_practice(app, settings, store, practice, audio=CallerAudio(clock.now, silent=True),
                             thresholds=thresholds)  # fmt: skip
    d = Driver(app, session, clock)
    app.pump()
    assert d.scene.name == "drill-intro"

    # drill 1: made from the three tests (the first drill is `typingtest drill`'s: same seed)
    d.start_task()
    assert d.scene.name == "copy-typing" and d.scene.spec.practice
    drill1 = session.running
    assert drill1.drill.seed == default_seed(CID, 3)
    keys1 = [t.key for t in drill1.drill.targets if t.kind == "key"]
    assert "e" in keys1[:2] and "a" not in keys1  # the planted weak key leads; "a" is no target yet
    typed1 = _type_drill(d, 10_000)
    assert d.scene.name == "drill-feedback"
    fb1 = session.feedback[0]

    frame = store.attempts_frame(candidate=CID, include_practice=True)
    drills = frame[frame["practice"]].sort_values("started_at")
    assert len(drills) == 1 and drills.iloc[0]["battery"] == "practice" and drills.iloc[0]["task"] == "copy-typing"
    aid1 = str(drills.iloc[0]["attempt_id"])
    meta1 = _meta(store, aid1)
    assert meta1["drill"]["number"] == 1 and meta1["drill"]["seed"] == drill1.drill.seed
    assert [t["key"] for t in meta1["targets"]] == [t.key for t in drill1.drill.targets]
    assert drill_targets(meta1) == [t.key for t in drill1.drill.targets]  # what the trainer view reads
    assert meta1["presented"] == drill1.item.text and all(i["reason"] for i in meta1["drill"]["items"])

    # the feedback's figures are the engine's for that attempt (scored again from the stored events)
    engine, _, _ = score_attempt("copy-typing", drill1.item, store.events(aid1), thresholds)
    assert fb1.net_wpm == pytest.approx(engine["net_wpm"], abs=1e-9)
    assert fb1.error_rate == pytest.approx(engine["msd_error_rate"], abs=1e-9)
    assert fb1.net_wpm == pytest.approx(drills.iloc[0]["net_wpm"], abs=1e-9)
    # marks: every "a" typed as "q" and nothing else (only substitutions were typed)
    presented1 = drill1.item.text
    assert fb1.typed == typed1
    assert list(fb1.marks) == [i for i, c in enumerate(typed1) if c != presented1[i]]
    assert fb1.marks  # the drill had an "a"
    scene = d.scene
    assert f"{fb1.net_wpm:.0f}" in scene.widget("result").text
    assert scene.widget("typed").error_marker(typed1) == list(fb1.marks)
    # the goal: the qualification's 3 % and the speed rounded up to the next 5 WPM
    assert fb1.goal_error_rate == 0.03 and fb1.goal_wpm == next_goal_wpm(fb1.net_wpm)
    assert fb1.goal_wpm % 5 == 0 and fb1.net_wpm < fb1.goal_wpm <= fb1.net_wpm + 5
    assert f"{fb1.goal_wpm}" in scene.widget("goal").text and "3 %" in scene.widget("goal").text
    # the keys practised, before and after: "e" before is the model the drill came from
    e = next(k for k in fb1.keys if k.key == "e")
    assert e.before == pytest.approx(float(drill1.model.keys.set_index("intended").loc["e", "shrunk_error_rate"]))
    after = learner_model(store, CID)
    assert e.after == pytest.approx(float(after.keys.set_index("intended").loc["e", "shrunk_error_rate"]))
    assert 0 < fb1.time_used_s < 60 and fb1.time_left_s == pytest.approx(300 - fb1.time_used_s)

    # drill 2 is made after drill 1 was stored: from 4 attempts, and "a" (typed wrong) is now a target
    d.start_task()
    assert d.scene.name == "copy-typing"
    drill2 = session.running
    assert drill2.number == 2 and drill2.model.n_attempts == 4
    assert drill2.drill.seed == default_seed(CID, 4)
    assert "a" in [t.key for t in drill2.drill.targets if t.kind == "key"]
    assert drill2.time_limit_s == pytest.approx(300 - fb1.time_used_s)
    _type_drill(d, 10_000)
    assert d.scene.name == "drill-feedback"
    assert len(session.feedback) == 2 and session.feedback[1].number == 2

    # Esc ends: the session is stored complete, both drills practice, the tests untouched
    d.wait(app.input_guard_left())
    d.key(pygame.K_ESCAPE)
    assert session.finished and session.state == "complete"
    sessions = store.sessions_frame(candidate=CID)
    row = sessions[sessions["battery"] == "practice"]
    assert len(row) == 1 and row.iloc[0]["state"] == "complete"
    frame = store.attempts_frame(candidate=CID, include_practice=True)
    assert int(frame["practice"].sum()) == 2 and len(frame) == 5
    assert len(store.attempts_frame(candidate=CID)) == 3  # without practice: the three tests only
    metas = [_meta(store, str(a))["drill"]["number"] for a in frame[frame["practice"]]["attempt_id"]]
    assert sorted(metas) == [1, 2]


def test_practice_time_ends_the_session(trainee: tuple[Settings, Store]) -> None:
    """With less than ``MIN_DRILL_S`` left after a drill, the feedback says the time is over and Enter ends."""
    settings, store = trainee
    practice = Practice(CID, lambda: learner_model(store, CID), minutes=0.75, length=60)
    clock = ManualClock(1000.0)
    app = App(settings, size=(1280, 720), clock=clock)
    session = start_practice(app, settings, store, practice, audio=CallerAudio(clock.now, silent=True))
    d = Driver(app, session, clock)
    app.pump()
    d.start_task()
    d.type("aan", 0.2)
    d.wait(45.0 - MIN_DRILL_S + 1.0)  # the drill's clock: 16 s typed and waited, under 30 s left
    d.finish()
    fb = session.feedback[-1]
    assert fb.last and fb.time_left_s < MIN_DRILL_S
    assert d.scene.name == "drill-feedback" and not d.scene.widget("next").visible
    d.start_task()  # Enter
    assert session.finished and session.state == "complete"


def test_practice_command_unknown_candidate_one_line(results_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{(results_dir / 'typingtest.sqlite').as_posix()}"
    Store(db, results_dir, results_dir / "signing.key").close()
    assert main(["practice", "--candidate", "NOBODY-1", "--db", db]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "NOBODY-1" in err[0] and "not in" in err[0]


def test_practice_command_bad_minutes(results_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{(results_dir / 'typingtest.sqlite').as_posix()}"
    store = Store(db, results_dir, results_dir / "signing.key")
    store.ensure_candidate("TR-0008")
    store.close()
    assert main(["practice", "--candidate", "TR-0008", "--minutes", "0", "--db", db]) == 2
    assert "--minutes" in capsys.readouterr().err


def test_goal_rounds_up_to_the_next_five() -> None:
    assert [next_goal_wpm(w) for w in (0.0, 4.9, 32.4, 35.0, 35.1, -3.0)] == [5, 5, 35, 40, 40, 5]
    assert next_goal_wpm(None) is None


def test_a_dictation_drill_is_a_transcription_of_the_caller_lines(trainee: tuple[Settings, Store]) -> None:
    """``--focus dictation``: the drill's lines are the caller's (rendered silent here), typed and scored
    as the batteries' transcriptions (their rules stored with the attempt); no marks on the feedback."""
    settings, store = trainee
    practice = Practice(CID, lambda: learner_model(store, CID), minutes=5, length=60, focus="dictation")
    clock = ManualClock(1000.0)
    app = App(settings, size=(1280, 720), clock=clock)
    session = start_practice(app, settings, store, practice, audio=CallerAudio(clock.now, silent=True))
    d = Driver(app, session, clock)
    app.pump()
    d.start_task()
    assert d.scene.name == "transcription"
    planned = session.running
    assert [ln.text for ln in planned.item.lines] == [i.say for i in planned.drill.items]
    assert any(ln.text.startswith(("[digits:", "[spell:")) for ln in planned.item.lines)
    d.wait(2.0)
    d.type(planned.item.reference, 0.1)
    d.finish()
    fb = session.feedback[0]
    assert fb.kind == "transcription" and fb.marks == () and fb.error_rate == 0.0
    assert d.scene.name == "drill-feedback" and not d.scene.widget("typed").visible
    frame = store.attempts_frame(candidate=CID, include_practice=True)
    row = frame[frame["practice"]].iloc[0]
    assert row["task"] == "transcription" and row["msd_error_rate"] == 0.0
    meta = _meta(store, str(row["attempt_id"]))
    assert meta["normalise"]["case"] == "fold" and meta["drill"]["focus"] == "dictation"
