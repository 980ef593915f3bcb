"""Administration without audio is recorded and judged as such (issue 18, item 4).

The proctor's "allow without audio" (F7) and the captions (the setting, or the proctor's F9)
are logged as MARKER ``administration`` rows, kept in the attempt's meta and metrics, read by
the engine (listening-dependent actions "not judged" without audio and without captions) and
shown in the report's applicants table (HTML, PDF lines, the CSV export). Headless, on the
driver's injected clock.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pygame
from sqlalchemy import text

from typingtest.analysis.administration import administration_frame
from typingtest.analysis.report import build_cohort_report, write_html, write_tables
from typingtest.config import Settings, workstation_proctor_code
from typingtest.content import load_item
from typingtest.engine.administration import administration, judge_listening, listening_dependent
from typingtest.engine.events import EventKind, make_log
from typingtest.store import open_store
from typingtest.workstation.driver import Driver
from typingtest.workstation.session import TaskSpec

#: nl-call-01's actions that need the caller's words (their cue is a caller line, or they score
#: what is typed into the call's forms) and some that do not (the ring, the operator's own
#: greeting, the chat and its knowledge-base article)
HEARD = {"find-caller", "identity", "purpose", "stock-aqua", "stock-aqua-plus", "close", "wrapup-note",
         "contact-registered", "order-entered"}
SEEN = {"pickup", "greet", "kb-shipping", "chat-answer"}


def _proctor(d: Driver, key: int) -> None:
    d.key(pygame.K_p, pygame.KMOD_LCTRL | pygame.KMOD_LALT, after=0.05)
    for ch in workstation_proctor_code(d.app.settings)[0]:  # the code this workstation made for itself
        d.app.post_text(ch)
    d.key(pygame.K_RETURN, after=0.05)
    d.key(key, after=0.1)


def _walk_call(d: Driver) -> None:
    """Ready, pick up, greet, find the caller, hang up, save the wrap-up, finish."""
    d.click("ready", after=3.5)
    d.click("pickup", after=0.5)
    d.click("script:greet", after=8.0)
    d.type_into("search:records", "205718", 0.1)
    d.key(pygame.K_RETURN, after=0.3)
    d.click("results:K2", after=1.0)
    d.click("hangup", after=0.5)
    d.click("submit-wrap-up", after=0.5)
    d.finish()


def _stored(results_dir: Path, settings: Settings, candidate: str,
            before_call: Callable[[Driver], None] | None = None) -> tuple[Driver, pd.DataFrame, dict]:
    """Run nl-call-01 headless for ``candidate`` (``before_call`` first) and return the driver, the stored
    attempts and the attempt's meta."""
    store = open_store(settings)
    d = Driver.open(settings, store, specs=[TaskSpec("call", load_item("nl-call-01"), 420.0)], single=True,
                    candidate=candidate)
    if before_call is not None:
        before_call(d)
    _walk_call(d)
    frame = store.attempts_frame()
    with store.engine.connect() as conn:
        meta = json.loads(conn.execute(text("select meta from attempts")).scalar())
    store.close()
    return d, frame, meta


def _actions(frame: pd.DataFrame) -> dict[str, dict]:
    return {a["id"]: a for a in frame["actions"].iloc[0]}


# -------------------------------------------------------------------------------- the engine


def test_the_least_heard_part_decides_the_administration() -> None:
    def log(*modes: str) -> np.ndarray:
        return make_log([{"t": float(i), "kind": EventKind.MARKER, "text": "administration", "target": m}
                         for i, m in enumerate(modes)])

    assert administration(log("audio")) == "audio"
    assert administration(log("audio", "captions")) == "captions"
    assert administration(log("captions", "no-audio", "captions")) == "no-audio"
    assert administration(make_log([{"t": 0.0, "kind": EventKind.MARKER, "text": "task-start"}])) is None


def test_which_of_nl_call_01_s_actions_depend_on_listening() -> None:
    call = load_item("nl-call-01")
    fields = {f.name: f for f in call.fields}
    dependent = {e.id for e in call.expect if listening_dependent(e, fields)}
    assert dependent >= HEARD
    assert not (SEEN & dependent)


def test_with_audio_or_captions_the_scores_are_left_alone() -> None:
    call = load_item("nl-call-01")
    fields = {f.name: f for f in call.fields}
    from typingtest.engine.actions import score_actions

    for mode in ("audio", "captions"):
        log = make_log([{"t": 0.0, "kind": EventKind.MARKER, "text": "administration", "target": mode},
                        {"t": 1.0, "kind": EventKind.SCREEN, "text": "ringing"},
                        {"t": 2.0, "kind": EventKind.SCREEN, "text": "pickup"}])
        scores = score_actions(call.expect, log, fields=call.fields, language=call.language)
        assert judge_listening(call.expect, scores, log, fields) == scores
        assert not any("not_judged" in s.details for s in scores)


# -------------------------------------------------------------------------------- the workstation


def test_a_call_allowed_without_audio_is_marked_and_its_listening_not_judged(results_dir: Path) -> None:
    settings = Settings(results_dir=results_dir)
    d, frame, meta = _stored(results_dir, settings, "C-NOAUDIO", lambda d: _proctor(d, pygame.K_F7))
    assert d.session.audio_allowed_without_device
    assert meta["administration"] == "audio"  # at the attempt's start; the proctor's F7 came after
    assert frame["metrics"].iloc[0]["administration"] == "no-audio"  # any part without audio: no-audio
    actions = _actions(frame)
    for aid in HEARD:
        a = actions[aid]
        assert a["details"]["not_judged"] == "no-audio", aid
        assert a["weight"] == 0.0 and a["score"] == 0.0 and a["latency_s"] is None and a["in_time"] is None
    assert actions["pickup"]["weight"] == 1.0 and actions["pickup"]["score"] == 1.0  # seen, so judged
    assert "not_judged" not in actions["greet"]["details"]
    # the record was found (K2) but finding it needs the number the caller says: no find time
    assert frame["metrics"].iloc[0]["record_find_time_s"] is None
    judged = [a for a in actions.values() if a["weight"] > 0]
    assert frame["metrics"].iloc[0]["action_score"] == sum(a["score"] for a in judged) / sum(
        a["weight"] for a in judged)


def test_a_session_allowed_without_audio_before_the_call_is_no_audio_from_the_start(results_dir: Path) -> None:
    settings = Settings(results_dir=results_dir)
    store = open_store(settings)
    spec = TaskSpec("call", load_item("nl-call-01"), 420.0)
    d = Driver.open(settings, store, specs=[spec], single=True, candidate="C-NA-2")
    d.session.allow_without_audio()  # as the proctor at intake; the next attempt starts so
    assert d.session.administration(spec) == "no-audio"
    assert d.session.administration(TaskSpec("copy-typing", load_item("nl-copy-01"), 60.0)) is None
    store.close()


def test_captions_show_the_caller_s_words_and_the_attempt_is_marked(results_dir: Path) -> None:
    settings = Settings(results_dir=results_dir, captions=True)

    def check_captions(d: Driver) -> None:
        d.click("ready", after=3.5)
        d.click("pickup", after=1.6 + 0.2)  # the first line starts 1.5 s after the pick-up
        panel = d.scene.widget("captions")
        assert panel.visible and panel.text.startswith("Goedemorgen, met Marleen Claes.")
        d.click("hangup", after=0.3)
        assert not d.scene.widget("captions").visible  # the call is over: no caption left
        d.finish()

    store = open_store(settings)
    d = Driver.open(settings, store, specs=[TaskSpec("call", load_item("nl-call-01"), 420.0)], single=True,
                    candidate="C-CAPT")
    check_captions(d)
    frame = store.attempts_frame()
    with store.engine.connect() as conn:
        meta = json.loads(conn.execute(text("select meta from attempts")).scalar())
    store.close()
    assert meta["administration"] == "captions" and frame["metrics"].iloc[0]["administration"] == "captions"
    assert not any("not_judged" in a["details"] for a in frame["actions"].iloc[0])


def test_the_proctor_switches_captions_on_during_a_call(results_dir: Path) -> None:
    settings = Settings(results_dir=results_dir)
    d = Driver.open(settings, None, specs=[TaskSpec("call", load_item("nl-call-01"), 420.0)], single=True,
                    candidate="C-F9")
    d.click("ready", after=3.5)
    assert not d.session.captions
    _proctor(d, pygame.K_F9)
    assert d.session.captions and [i.kind for i in d.app.incidents][-1] == "captions-on"
    rows = [(str(r["text"]), str(r["target"])) for r in d.app.recorder.to_log()
            if int(r["kind"]) == int(EventKind.MARKER) and r["text"] == "administration"]
    assert rows == [("administration", "audio"), ("administration", "captions")]
    assert administration(d.app.recorder.to_log()) == "captions"


# -------------------------------------------------------------------------------- the outputs


def test_no_audio_and_captions_attempts_are_marked_in_the_report_and_its_export(results_dir: Path,
                                                                               tmp_path: Path) -> None:
    settings = Settings(results_dir=results_dir)
    _stored(results_dir, settings, "C-NOAUDIO", lambda d: _proctor(d, pygame.K_F7))
    _stored(results_dir, Settings(results_dir=results_dir, captions=True), "C-CAPT")
    _stored(results_dir, settings, "C-HEARD")
    store = open_store(settings)
    data = store.attempts_frame()
    store.close()

    per_attempt = administration_frame(data).set_index("candidate_id")["administration"].to_dict()
    assert per_attempt == {"C-NOAUDIO": "no-audio", "C-CAPT": "captions", "C-HEARD": "audio"}

    report = build_cohort_report(data, charts=False)
    marks = report.applicants.set_index("candidate_id")["administration"].to_dict()
    assert marks == {"C-NOAUDIO": "call: no-audio", "C-CAPT": "call: captions", "C-HEARD": ""}

    page = write_html(report, tmp_path / "r.html").read_text(encoding="utf-8")
    row = {c: page[page.index(f">{c}"):].split("</tr>", 1)[0] for c in marks}
    assert '<span class="admin" title="call: no-audio">(gesprekssimulatie zonder audio)</span>' in row["C-NOAUDIO"]
    assert "(gesprekssimulatie met ondertitels)" in row["C-CAPT"]
    assert 'class="admin"' not in row["C-HEARD"]

    written = write_tables(report, tmp_path / "tables", formats=("csv",))
    applicants = pd.read_csv(next(p for p in written if p.name == "report_applicants.csv"), keep_default_na=False)
    assert applicants.set_index("candidate_id")["administration"].to_dict() == marks
    # and the attempts export, one row per attempt: how the caller was heard
    from typingtest.analysis.export_frame import flatten_attempts

    flat = flatten_attempts(data)
    assert flat.set_index("candidate_id")["administration"].to_dict() == per_attempt
