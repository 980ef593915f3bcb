"""Issue 17, item 2: the flow from every entry point of ``typingtest run``, headless.

Each test builds the run as the command does (``runner.plan_run`` then ``RunPlan.start``, on the
dummy video driver with an injected clock) and checks the same three rules: the consent is stored
before any task, the store's session is opened once (when the intake has accepted the candidate,
never before), and the retake rule's message names the real case. Under Xvfb with real keys:
``run --battery quick --candidate ID`` on a fresh database reaches the consent page.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pygame
import pytest
from sqlalchemy import select, update

from typingtest.cli import main
from typingtest.config import Settings, workstation_proctor_code
from typingtest.errors import UserError
from typingtest.store import open_store
from typingtest.store import schema as S
from typingtest.store.store import SessionRefused
from typingtest.workstation.app import App
from typingtest.workstation.audio_link import CallerAudio
from typingtest.workstation.clock import ManualClock
from typingtest.workstation.driver import Driver
from typingtest.workstation.i18n import Translator
from typingtest.workstation.intake import CONSENT_VERSION, LAYOUT_CHECK_TEXTS, retake_message
from typingtest.workstation.runner import plan_run, proctor_notice

REPO = Path(__file__).resolve().parents[2]


def _run(settings: Settings, store: Any, **options: Any) -> Driver:
    """``typingtest run`` with ``options`` (as ``plan_run`` names them), headless and silent."""
    plan = plan_run(settings, **options)
    clock = ManualClock(1000.0)
    app = App(settings, size=(1280, 720), clock=clock)
    session = plan.start(app, settings, store, audio=CallerAudio(clock.now, silent=True))
    app.pump()
    return Driver(app, session, clock)


def _consents(store: Any, candidate: str) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(S.consents).where(S.consents.c.candidate_id == candidate)).mappings()
        return [dict(r) for r in rows]


def _sessions(store: Any, candidate: str) -> list[str]:
    return list(store.sessions_frame(candidate=candidate)["state"])


def _checks(d: Driver) -> None:
    """From the consent page: agree, the keyboard check, the headset check (as a candidate does)."""
    assert d.scene.name == "intake" and d.scene.page == "consent"
    d.click("agree")
    d.type(LAYOUT_CHECK_TEXTS[d.scene.keyboard_layout], 0.1)
    d.key(pygame.K_RETURN)
    d.wait(1.5)
    d.type(d.scene.headset_word, 0.1)
    d.key(pygame.K_RETURN)


def _proctor(d: Driver, key: int) -> None:
    d.key(pygame.K_p, pygame.KMOD_LCTRL | pygame.KMOD_LALT, after=0.05)
    for ch in workstation_proctor_code(d.app.settings)[0]:  # the code this workstation made for itself
        d.app.post_text(ch)
    d.key(pygame.K_RETURN, after=0.05)
    d.key(key, after=0.1)


def _past_session(settings: Settings, candidate: str, battery: str, state: str, days_ago: float) -> str:
    """A session of ``battery`` for ``candidate`` in ``state`` that started ``days_ago`` days ago."""
    store = open_store(settings)
    try:
        sid = store.start_session(candidate, battery)
        store.end_session(sid, state)
        started = datetime.now(UTC) - timedelta(days=days_ago)
        with store.engine.begin() as conn:
            conn.execute(update(S.sessions).where(S.sessions.c.session_id == sid).values(started_at=started))
    finally:
        store.close()
    return sid


# ---- a battery, with and without --candidate ------------------------------------------------------

def test_battery_with_candidate_reaches_the_consent_page_and_opens_the_session_after_it(results_dir: Path) -> None:
    """The reported fault: the session opened before the intake, which then stopped the candidate."""
    settings = Settings(results_dir=results_dir, retake_days=30)
    store = open_store(settings)
    try:
        d = _run(settings, store, battery="quick", candidate="C-ENTRY-1")
        assert d.scene.name == "intake" and d.scene.page == "consent"  # the id is accepted as given
        assert d.scene.widget("feedback").text == "" and not d.scene.retake_blocked
        assert d.session.session_id is None and _sessions(store, "C-ENTRY-1") == []  # not opened yet
        d.click("agree")
        assert [c["text_version"] for c in _consents(store, "C-ENTRY-1")] == [CONSENT_VERSION]
        assert _sessions(store, "C-ENTRY-1") == []  # consent stored, session still not opened
        d.scene.done()  # past the checks (headless: the headset check is the same page as in the next test)
        assert _sessions(store, "C-ENTRY-1") == ["running"]  # opened once
        assert d.scene.name == "instructions"
    finally:
        store.close()


def test_battery_without_candidate_asks_the_id_then_consent_then_checks(results_dir: Path) -> None:
    settings = Settings(results_dir=results_dir, retake_days=30)
    store = open_store(settings)
    try:
        d = _run(settings, store, battery="quick")
        assert d.scene.name == "intake" and d.scene.page == "candidate"
        d.type("C-ENTRY-2", 0.1)
        d.key(pygame.K_RETURN)
        assert d.scene.page == "consent" and d.session.session_id is None
        _checks(d)
        assert d.scene.name == "instructions"
        sessions = store.sessions_frame(candidate="C-ENTRY-2")
        assert list(sessions["state"]) == ["running"] and d.session.session_id == sessions["session_id"].iloc[0]
        consent = _consents(store, "C-ENTRY-2")
        assert len(consent) == 1 and consent[0]["given_at"] <= sessions["started_at"].iloc[0].to_pydatetime().replace(
            tzinfo=None)  # the consent came first
    finally:
        store.close()


def test_an_unknown_battery_or_item_is_one_line(results_dir: Path) -> None:
    settings = Settings(results_dir=results_dir)
    with pytest.raises(UserError, match=r"^nope: no such battery; known: .*quick"):
        plan_run(settings, battery="nope")
    with pytest.raises(UserError, match=r"^--item: give --task KIND with it"):
        plan_run(settings, item="nl-copy-02")
    with pytest.raises(UserError, match=r"^nl-copy-99: no such item"):
        plan_run(settings, task="copy-typing", item="nl-copy-99")


# ---- one task: --task / --item -----------------------------------------------------------------------

@pytest.mark.parametrize(("candidate", "stored_as"), [("C-ENTRY-3", "C-ENTRY-3"), (None, "unassigned")])
def test_one_task_asks_the_consent_then_starts_that_item(results_dir: Path, candidate: str | None,
                                                         stored_as: str) -> None:
    settings = Settings(results_dir=results_dir)
    store = open_store(settings)
    try:
        d = _run(settings, store, task="copy-typing", item="nl-copy-02", candidate=candidate)
        assert d.scene.name == "intake" and d.scene.page == "consent"
        assert d.session.session_id is None and _sessions(store, stored_as) == []
        d.click("agree")  # the consent page only: no id, keyboard or headset page with --task
        assert [c["text_version"] for c in _consents(store, stored_as)] == [CONSENT_VERSION]
        assert d.scene.name == "copy-typing" and d.scene.spec.item_id == "nl-copy-02"
        assert _sessions(store, stored_as) == ["running"]
        assert list(store.sessions_frame(candidate=stored_as)["battery"]) == ["task:copy-typing"]
    finally:
        store.close()


def test_one_task_is_not_stopped_by_an_earlier_unfinished_trial(results_dir: Path) -> None:
    """``--task`` has no retake rule: an interrupted earlier trial of "unassigned" does not block it."""
    settings = Settings(results_dir=results_dir, retake_days=30)
    _past_session(settings, "unassigned", "task:copy-typing", "interrupted", 1)
    _past_session(settings, "unassigned", "task:copy-typing", "complete", 2)
    store = open_store(settings)
    try:
        d = _run(settings, store, task="copy-typing")
        d.click("agree")
        assert d.scene.name == "copy-typing"
        assert sorted(_sessions(store, "unassigned")) == ["complete", "interrupted", "running"]
    finally:
        store.close()


def test_a_battery_without_an_intake_step_still_asks_the_consent_of_a_given_candidate(results_dir: Path) -> None:
    """A centre's battery may leave out ``step = "intake"``: with ``--candidate`` its attempts are
    stored, so the consent page comes first (without a candidate nothing is stored or asked)."""
    from typingtest.content import load_item
    from typingtest.workstation.runner import start_session
    from typingtest.workstation.session import TaskSpec

    settings = Settings(results_dir=results_dir)
    store = open_store(settings)
    specs = [TaskSpec("copy-typing", load_item("nl-copy-03"), 300.0)]

    def start(candidate: str | None) -> Driver:
        clock = ManualClock(1000.0)
        app = App(settings, size=(1280, 720), clock=clock)
        session = start_session(app, settings, store, specs, battery_id="centre-no-intake", candidate_id=candidate,
                                language="nl", intake=False, single=False)
        app.pump()
        return Driver(app, session, clock)

    try:
        d = start("C-ENTRY-6")
        assert d.scene.name == "intake" and d.scene.page == "consent" and _sessions(store, "C-ENTRY-6") == []
        d.click("agree")  # the consent page only: the battery has no id, keyboard or headset step
        assert len(_consents(store, "C-ENTRY-6")) == 1 and _sessions(store, "C-ENTRY-6") == ["running"]
        assert d.scene.name == "instructions"
        d = start(None)
        assert d.scene.name == "instructions" and d.session.session_id is None
    finally:
        store.close()


# ---- the retake rule: a resumed session, a retake the proctor allows ----------------------------------

def test_an_unfinished_session_says_call_the_proctor_and_f8_resumes_it_after_consent_and_checks(
        results_dir: Path) -> None:
    settings = Settings(results_dir=results_dir, retake_days=30)
    sid = _past_session(settings, "C-ENTRY-4", "quick", "interrupted", 0.1)
    store = open_store(settings)
    try:
        d = _run(settings, store, battery="quick", candidate="C-ENTRY-4")
        assert d.scene.page == "candidate" and d.scene.retake_blocked
        text = d.scene.widget("feedback").text
        assert "onafgewerkte sessie" in text and "Roep de toezichter om ze te hervatten" in text
        assert "0 dagen" not in text and "al afgelegd" not in text  # not the completed-session message
        _proctor(d, pygame.K_F8)  # resume: first consent, keyboard and headset, as for a new session
        assert d.scene.name == "intake" and d.scene.page == "consent"
        assert d.session.session_id is None and _consents(store, "C-ENTRY-4") == []
        assert _sessions(store, "C-ENTRY-4") == ["interrupted"]  # not reopened before the consent
        _checks(d)
        assert d.session.session_id == sid and _sessions(store, "C-ENTRY-4") == ["running"]  # the same session
        assert len(_consents(store, "C-ENTRY-4")) == 1
        assert d.scene.name == "instructions"
    finally:
        store.close()


def test_a_recent_completed_session_names_date_and_days_left_and_f8_allows_a_retake(results_dir: Path) -> None:
    settings = Settings(results_dir=results_dir, retake_days=30)
    _past_session(settings, "C-ENTRY-5", "quick", "complete", 10)
    started = (datetime.now(UTC) - timedelta(days=10)).date()
    store = open_store(settings)
    try:
        d = _run(settings, store, battery="quick", candidate="C-ENTRY-5")
        assert d.scene.page == "candidate" and d.scene.retake_blocked
        text = d.scene.widget("feedback").text
        # hand count: taken 10 days ago, 30 days to wait -> 20 days left, allowed from started + 30 days
        assert f"afgelegd op {started:%Y-%m-%d}" in text and "30 dagen" in text and "nog 20 dagen" in text
        assert f"vanaf {started + timedelta(days=30):%Y-%m-%d}" in text
        _proctor(d, pygame.K_F8)  # the proctor allows a retake: consent and checks first
        assert d.scene.page == "consent" and d.session.session_id is None
        _checks(d)
        assert d.scene.name == "instructions"
        assert _sessions(store, "C-ENTRY-5") == ["complete", "running"] and len(_consents(store, "C-ENTRY-5")) == 1
    finally:
        store.close()


def test_retake_message_counts_the_days_left_rounded_up() -> None:
    tr = Translator("en")
    now = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    done = SessionRefused("x", "retake", now - timedelta(days=10, hours=19))  # 19 days 5 hours left
    assert retake_message(tr, done, 30, now) == ("This candidate took this test on 2026-11-22. A retake is allowed 30 "
                                                 "days after the last one: 20 days from now, from 2026-12-22. Call "
                                                 "the proctor.")
    last_day = SessionRefused("x", "retake", now - timedelta(days=29, hours=1))  # 23 hours left
    assert "1 day from now" in retake_message(tr, last_day, 30, now)
    running = SessionRefused("x", "running", now - timedelta(hours=2), "ws-2")
    assert retake_message(tr, running, 30, now) == ("This candidate has an unfinished session of this test (started "
                                                    "on 2026-12-03). Call the proctor to resume it.")


# ---- first start without sound ----------------------------------------------------------------------

def test_the_no_audio_screen_says_what_the_proctor_does(results_dir: Path) -> None:
    from typingtest.content import load_item
    from typingtest.workstation.session import Session, TaskSpec

    settings = Settings(results_dir=results_dir)
    clock = ManualClock(1000.0)
    app = App(settings, size=(1280, 720), clock=clock)
    audio = CallerAudio(clock.now, silent=True)
    audio.available = False  # a computer without a sound card
    session = Session(app, settings, None, battery_id="t", specs=[TaskSpec("transcription", load_item("nl-trans-01"),
                                                                           240.0)],
                      candidate_id="C-NA", instructions=False, closing=False, audio=audio)
    session.start()
    app.pump()
    assert app.scene is not None and app.scene.name == "no-audio"
    text = app.scene.widget("text").text
    assert "Ctrl+Alt+P" in text and "toezichtercode" in text and 'F7 "Taak zonder audio toestaan"' in text
    assert workstation_proctor_code(settings)[0] not in text  # the code itself is never on the candidate's screen


def test_the_dutch_interface_says_toezichter_and_the_headset_check_says_whom_to_call() -> None:
    """Found by the battery walk (issue 17 item 8): "proctor" in the Dutch pause, resume, retake and
    no-audio texts; and a candidate who hears nothing at the headset check was told only "listen
    again with F5"."""
    from typingtest.workstation.i18n import _STRINGS

    dutch = {key: entry[0] for key, entry in _STRINGS.items() if entry[0]}
    said = {key: text for key, text in dutch.items() if "proctor" in text.replace("proctor_code", "").casefold()}
    assert said == {}
    tr = Translator("nl")
    assert tr("paused_resume").startswith("De toezichter heeft de pauze beëindigd.")
    for key in ("headset_wrong", "headset_empty"):
        assert tr(key).endswith("Hoort u niets? Roep de toezichter.")


def test_the_proctor_notice_names_key_and_place_and_the_workstations_own_code(tmp_path: Path) -> None:
    """Issue 13: no shared default code: a workstation without one makes its own on its first start and
    the notice prints it that once, with the setting that replaces it (tests/centre/test_room_workstation.py
    checks the file's permissions)."""
    default = proctor_notice(Settings(results_dir=tmp_path / "results"))
    assert "Ctrl+Alt+P" in default and "F7" in default
    code = (tmp_path / "results" / "proctor-code").read_text(encoding="utf-8").strip()
    assert f"A new proctor code was made for this workstation: {code}" in default and "4242" not in default
    assert "proctor_code in ./typingtest.toml" in default  # the setting that replaces it
    own = tmp_path / "centre.toml"
    own.write_text('proctor_code = "8531"\n', encoding="utf-8")
    from typingtest.config import load_settings

    notice = proctor_notice(load_settings(own))
    assert f"proctor_code in {own}" in notice and "8531" not in notice and "default" not in notice


def test_run_prints_the_proctor_notice_at_start(results_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    real_run = App.run

    def close_at_once(self: App) -> None:  # the window is closed as soon as it opens
        pygame.event.post(pygame.event.Event(pygame.QUIT))
        real_run(self)

    monkeypatch.setattr(App, "run", close_at_once)
    monkeypatch.chdir(results_dir)  # no ./typingtest.toml here
    main(["run", "--task", "copy-typing", "--windowed"])
    err = capsys.readouterr().err
    code = (results_dir / "proctor-code").read_text(encoding="utf-8").strip()
    assert "typingtest: proctor panel: Ctrl+Alt+P" in err
    assert f"proctor code was made for this workstation: {code}" in err
    main(["run", "--task", "copy-typing", "--windowed"])  # the next start: the same code, not printed again
    err = capsys.readouterr().err
    assert "typingtest: proctor panel: Ctrl+Alt+P" in err and code not in err
    assert (results_dir / "proctor-code").read_text(encoding="utf-8").strip() == code


# ---- under Xvfb, real keys ---------------------------------------------------------------------------

@pytest.mark.xvfb
def test_xvfb_battery_with_candidate_reaches_the_consent_page(tmp_path: Path) -> None:
    """``typingtest run --battery quick --candidate ID`` on a fresh database, real X key events: the
    consent page shows (Enter agrees: a consent row), and no session is opened before it."""
    if not sys.platform.startswith("linux"):
        pytest.skip("SKIPPED LOUDLY: Xvfb and xdotool are Linux test tools")
    from typingtest.workstation.xdriver import missing_tools, wait_for_window, xvfb_display

    missing = missing_tools()
    if missing:
        pytest.skip(f"SKIPPED LOUDLY: {', '.join(missing)} not installed (apt-get install xvfb xdotool)")
    results = tmp_path / "results"
    settings = Settings(results_dir=results)

    def consents() -> int:
        if not (results / "typingtest.sqlite").exists():
            return 0
        store = open_store(settings)
        try:
            return len(_consents(store, "XVFB-ENTRY-1")) + 100 * len(_sessions(store, "XVFB-ENTRY-1"))
        finally:
            store.close()

    with xvfb_display(size="1920x1080") as display:
        env = dict(os.environ, DISPLAY=display, SDL_AUDIODRIVER="dummy", TYPINGTEST_RESULTS=str(results),
                   LANG="C.UTF-8", LC_ALL="C.UTF-8")
        for name in ("SDL_VIDEODRIVER", "TYPINGTEST_DB", "TYPINGTEST_SETTINGS"):
            env.pop(name, None)
        proc = subprocess.Popen([sys.executable, "-m", "typingtest", "run", "--battery", "quick", "--candidate",
                                 "XVFB-ENTRY-1", "--windowed"], env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            wid = wait_for_window(display)
            assert wid is not None, "the workstation window never appeared"
            time.sleep(1.5)
            assert consents() == 0  # on the consent page: nothing stored, no session yet
            subprocess.run(["xdotool", "windowfocus", wid], env=env, capture_output=True)
            subprocess.run(["xdotool", "key", "Return"], env=env, check=True)  # agree (a fresh press)
            end = time.monotonic() + 20
            while consents() == 0 and time.monotonic() < end:
                time.sleep(0.2)
            stored = consents()
        finally:
            proc.kill()
            _out, err = proc.communicate()
    # a consent row and still no session (the keyboard and headset checks come before it): the
    # Enter landed on the consent page, which the old flow never reached (it stopped the candidate)
    assert stored == 1, err
    assert "proctor panel: Ctrl+Alt+P" in err
