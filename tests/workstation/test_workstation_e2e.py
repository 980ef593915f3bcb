"""End to end, headless: the ``quick`` battery completed with scripted input (posted events on
an injected clock), then the stored attempts checked; the ``run`` command's errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pygame
import pytest

from typingtest.config import Settings
from typingtest.engine.replay import replay
from typingtest.store import open_store
from typingtest.workstation.driver import Driver

REPO = Path(__file__).resolve().parents[2]


def _field(events: np.ndarray, target: str) -> str:
    return replay(events[events["target"] == target]).transcribed


def test_quick_battery_headless_end_to_end(results_dir: Path) -> None:
    settings = Settings(results_dir=results_dir)
    store = open_store(settings)
    d = Driver.open(settings, store, battery="quick", seed=3)
    assert d.scene.name == "intake"
    d.intake("C-E2E-1")
    assert d.scene.name == "instructions"

    typed: dict[str, str] = {}
    # copy typing: the passage's first sentence, one slip corrected with Backspace
    d.start_task()
    passage = d.scene.state.presented
    first = passage[: passage.index(".") + 1]
    d.type(first[:10] + "x\b" + first[10:], 0.12)
    typed["copy-typing"] = first
    d.finish()
    # transcription: the caller plays at once; type the first words while listening
    d.start_task()
    assert d.scene.name == "transcription"
    d.wait(2.0)
    typed["transcription"] = "Ja, hallo, met Ahmed Benali."
    d.type(typed["transcription"], 0.1)
    d.finish()
    # data entry: every field from the drawn form's values, Tab between fields
    d.start_task()
    assert d.scene.name == "data-entry"
    item = d.scene.spec.item
    entry_values = {f.name: f.value for f in item.fields}
    for f in item.fields:
        d.click(f.name, after=0.05)
        d.type(entry_values[f.name], 0.06)
    d.finish()
    # the call (nl-call-02): a complaint, found, verified, registered and transferred
    d.start_task()
    assert d.scene.name == "call"
    d.click("ready", after=3.5)  # the desk's ready step: the phone rings 3 s after it
    d.click("pickup")
    d.click("script:greet")
    d.wait(5)
    d.click("script:ask-id")
    d.wait(20)
    d.type_into("search:records", "571209")
    d.key(pygame.K_RETURN)
    d.click("results:K3")
    d.click("script:ask-birthdate")
    d.wait(12)
    d.click("identity-ok")
    d.wait(15)
    d.click("purposes:complaint")
    d.click("script:empathise")
    d.click("script:ask-invoice")
    d.type_into("search:articles", "interventie")
    d.key(pygame.K_RETURN)
    d.click("articles:A2")
    d.key(pygame.K_F9)  # the contact form tab
    for name, value in (("complaint_invoice", "F-2026-031147"), ("complaint_amount", "90"),
                        ("complaint_intervention", "INT-558201")):
        d.type_into(name, value, 0.05)
    d.click("submit-contact")
    d.wait(20)
    d.click("script:announce-transfer")
    d.wait(10)
    d.click("script:close-transfer")
    d.key(pygame.K_F3)
    d.click("transfer-targets:billing")
    d.click("transfer-do")
    assert d.scene.call.phone == "ended"
    note = "Factuur F-2026-031147, 90 euro betwist, straatkast, doorverbonden naar facturatie, al gebeld op 3 maart."
    d.type_into("wrapup", note, 0.03)
    d.click("submit-wrap-up")
    d.finish()
    assert d.scene.name == "closing"
    d.key(pygame.K_RETURN)
    assert d.session.finished and d.session.state == "complete"

    frame = store.attempts_frame(include_practice=True)
    assert list(frame["task"]) == ["copy-typing", "transcription", "data-entry", "call"]
    assert set(frame["state"]) == {"complete"} and set(frame["candidate_id"]) == {"C-E2E-1"}
    rows = {r["task"]: r for r in frame.to_dict("records")}
    # the transcribed text equals what was typed (the corrected slip is gone)
    assert rows["copy-typing"]["transcribed"] == typed["copy-typing"]
    assert rows["transcription"]["transcribed"] == typed["transcription"]
    # copy typing ended with Finish after the first sentence: judged on the whole passage
    # (typingtest.engine.scoring: only a time-out is judged on the part reached), so every
    # character not typed is an omission and nothing else is an error
    m = rows["copy-typing"]["metrics"]
    assert (m["ended_by"], m["presented_chars"]) == ("finish", len(passage))
    assert m["msd"] == len(passage) - len(first)
    # data entry: each field's replayed text equals what was typed, and all are correct
    events = store.events(rows["data-entry"]["attempt_id"])
    for name, value in entry_values.items():
        assert _field(events, name) == value
    assert rows["data-entry"]["metrics"]["field_completeness"] == 1.0
    # the call: every expected action scored, and this scripted operator did all of them right
    call_item = d.session.specs[-1].item
    actions = rows["call"]["actions"]
    assert [a["id"] for a in actions] == [e.id for e in call_item.expect]
    assert all(a["score"] == a["weight"] for a in actions), [a["id"] for a in actions if a["score"] != a["weight"]]
    assert rows["call"]["metrics"]["action_score"] == 1.0
    # audio onsets are in the same log as the keys
    call_events = store.events(rows["call"]["attempt_id"])
    assert (call_events["kind"] == 10).sum() >= 5
    # the consent was stored with its text version
    store.close()


def test_run_without_display_says_so(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    env["TYPINGTEST_RESULTS"] = str(tmp_path)
    if not sys.platform.startswith("linux"):
        pytest.skip("SKIPPED LOUDLY: the no-display check is for Linux desktops")
    proc = subprocess.run([sys.executable, "-m", "typingtest", "run", "--task", "copy-typing"], env=env,
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "no display" in proc.stderr and "SDL_VIDEODRIVER=dummy" in proc.stderr


def test_run_rejects_an_unknown_task_kind(tmp_path: Path) -> None:
    env = dict(os.environ, TYPINGTEST_RESULTS=str(tmp_path), SDL_VIDEODRIVER="dummy")
    proc = subprocess.run([sys.executable, "-m", "typingtest", "run", "--task", "typing"], env=env,
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert proc.returncode == 2
    assert "--task: unknown task kind 'typing'" in proc.stderr
