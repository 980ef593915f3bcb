"""The workstation's intake with ``intake = "access-code"`` (issue 13), headless (SDL dummy, injected
clock): a code registered with extra time 1.5 and font scale 1.25 starts the registration's battery
with every time limit x1.5, the theme at 1.25, and each attempt's meta recording extra_time 1.5 and
the registration; the code is then used (a second use refused with one line) until a proctor allows
a retake, which works once; expired, cancelled and unknown codes are refused with one line; five wrong
codes lock the page for 30 s. Without the setting the intake asks for a free candidate id as before."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pygame
import pytest
from sqlalchemy import select

from typingtest.config import Settings
from typingtest.content import load_battery
from typingtest.store import open_store
from typingtest.store import registrations as R
from typingtest.store import schema as S
from typingtest.workstation.driver import Driver
from typingtest.workstation.intake import LAYOUT_CHECK_TEXTS

#: the quick battery's time limits as written in passages/batteries/quick.toml (seconds)
QUICK_LIMITS_S = [60.0, 115.0, 90.0, 330.0]


@pytest.fixture
def settings(results_dir: Path) -> Settings:
    return Settings(results_dir=results_dir, intake="access-code")


@pytest.fixture
def store(settings: Settings) -> Any:
    s = open_store(settings)
    yield s
    s.close()


def _open(settings: Settings, store: Any) -> Driver:
    # the workstation starts on the default battery; the code decides the battery it runs
    d = Driver.open(settings, store, battery="default")
    assert d.scene.name == "intake" and d.scene.page == "code"
    return d


def _enter_code(d: Driver, code: str) -> None:
    d.type(code, 0.05)
    d.key(pygame.K_RETURN)


def _feedback(d: Driver) -> str:
    return str(d.scene.widget("feedback").text)


def _through_intake(d: Driver) -> None:
    """Consent, keyboard check, headset check (as ``Driver.intake`` after the id page)."""
    scene = d.scene
    d.click("agree")
    d.type(LAYOUT_CHECK_TEXTS[scene.keyboard_layout], 0.1)
    d.key(pygame.K_RETURN)
    if "headset" in scene.pages:
        d.wait(1.5)
        d.type(scene.headset_word, 0.1)
        d.key(pygame.K_RETURN)


def test_quick_battery_limits_are_as_written() -> None:
    # the expected numbers below come from the battery file itself
    battery = load_battery("quick")
    assert [float(t.time_limit_s) for t in battery.tasks if not t.step] == QUICK_LIMITS_S


def test_a_code_applies_its_registration_used_once_then_a_retake_once(settings: Settings, store: Any) -> None:
    reg = R.add_registration(store, "C-ACC-1", "quick", extra_time=1.5, font_scale=1.25, actor="recruiter1")
    d = _open(settings, store)
    assert d.session.battery_id == "default"
    _enter_code(d, reg.code.lower().replace("-", " "))  # any case, spaces or dashes
    assert d.scene.page == "consent", _feedback(d)
    # the registration's battery with every limit x1.5 (60 -> 90, 115 -> 172.5, 90 -> 135, 330 -> 495)
    assert d.session.battery_id == "quick"
    assert [s.time_limit_s for s in d.session.specs] == [x * 1.5 for x in QUICK_LIMITS_S]
    assert d.session.settings.extra_time == 1.5 and settings.extra_time == 1.0  # this session only
    assert d.app.theme.font_scale == 1.25 and d.app.theme.high_contrast is False
    _through_intake(d)
    assert d.session.session_id is not None and d.session.candidate_id == "C-ACC-1"
    d.start_task()
    assert d.scene.state.time_limit_s == 90.0  # the first task (60 s in the battery file) x1.5
    d.type("Geachte", 0.2)
    d.finish()
    rows = _attempts(store, d.session.session_id)
    assert len(rows) == 1
    meta = rows[0]
    assert meta["extra_time"] == 1.5 and meta["time_limit_s"] == 90.0
    assert meta["registration"] == {"registration_id": reg.registration_id, "extra_time": 1.5, "font_scale": 1.25,
                                    "high_contrast": False, "headset_check_skipped": None}
    used = R.find_registration(store, reg.code)
    assert used is not None and used.state == "used" and used.session_id == d.session.session_id
    first_session = d.session.session_id
    d.session.abort("window-closed")

    d2 = _open(settings, store)  # a second use: refused with one line, the code page stays
    _enter_code(d2, reg.code)
    assert d2.scene.page == "code" and _feedback(d2) == d2.app.tr("code_used")
    assert d2.session.session_id is None

    R.allow_again(store, reg.code, "retake", "proctor1", "fire alarm")
    d3 = _open(settings, store)
    _enter_code(d3, reg.code)
    assert d3.scene.page == "consent", _feedback(d3)
    _through_intake(d3)
    assert d3.session.session_id not in (None, first_session)
    again = R.find_registration(store, reg.code)
    assert again is not None and again.allow_again is None and again.session_id == d3.session.session_id
    d3.session.abort("window-closed")

    d4 = _open(settings, store)  # the allow was consumed
    _enter_code(d4, reg.code)
    assert d4.scene.page == "code" and _feedback(d4) == d4.app.tr("code_used")
    actions = list(store.audit_frame()["action"])
    assert actions.count("registration-used") == 2 and actions.count("registration-allowed") == 1


def _attempts(store: Any, session_id: str) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        metas = conn.execute(select(S.attempts.c.meta).where(S.attempts.c.session_id == session_id)).scalars()
        return [json.loads(m) for m in metas]


def test_high_contrast_and_a_skipped_headset_check(settings: Settings, store: Any) -> None:
    reg = R.add_registration(store, "C-ACC-2", "quick", high_contrast=True, skip_headset_reason="deaf: captions")
    d = _open(settings, store)
    _enter_code(d, reg.code)
    assert d.app.theme.high_contrast is True and "headset" not in d.scene.pages
    _through_intake(d)  # consent and keyboard only
    assert d.session.session_id is not None
    assert d.session.registration is not None
    assert d.session.registration["headset_check_skipped"] == "deaf: captions"


@pytest.mark.parametrize("state", ["expired", "cancelled", "unknown", "format"])
def test_expired_cancelled_unknown_codes_are_refused_with_one_line(settings: Settings, store: Any,
                                                                    state: str) -> None:
    code = "AAA-AAA"
    if state == "expired":  # registered 40 days ago: the default 30 days are over
        code = R.add_registration(store, "C-ACC-3", "quick", now=datetime.now(UTC) - timedelta(days=40)).code
    elif state == "cancelled":
        code = R.add_registration(store, "C-ACC-3", "quick").code
        R.cancel_registration(store, code)
    elif state == "format":
        code = "O0I1"
    d = _open(settings, store)
    _enter_code(d, code)
    assert d.scene.page == "code" and d.session.session_id is None
    text = _feedback(d)
    assert "\n" not in text
    if state == "expired":
        assert text.startswith("Deze code is verlopen op ")
    else:
        assert text == d.app.tr(f"code_{state}")


def test_five_wrong_codes_lock_the_page_for_30_seconds(settings: Settings, store: Any) -> None:
    reg = R.add_registration(store, "C-ACC-4", "quick")
    d = _open(settings, store)
    for _ in range(5):
        d.select_all()
        _enter_code(d, "MMM-MMM")
    kinds = [i.kind for i in d.app.incidents]
    assert kinds.count("access-code-wrong") == 5 and kinds.count("access-code-locked") == 1
    assert _feedback(d) == "Te veel verkeerde codes: wacht 30 s"
    d.select_all()
    _enter_code(d, reg.code)  # the right code while locked: not even looked up
    assert d.scene.page == "code" and _feedback(d).startswith("Te veel verkeerde codes")
    d.wait(30.0)
    d.select_all()
    _enter_code(d, reg.code)
    assert d.scene.page == "consent"
    assert "access-code-locked" in list(store.audit_frame()["action"])


def test_without_the_setting_the_intake_asks_for_a_candidate_id(results_dir: Path) -> None:
    settings = Settings(results_dir=results_dir)
    assert settings.intake == "candidate-id"
    s = open_store(settings)
    try:
        d = Driver.open(settings, s, battery="quick")
        assert d.scene.page == "candidate" and not d.scene.by_code
    finally:
        s.close()


def test_an_allowed_resume_reopens_the_interrupted_session(settings: Settings, store: Any) -> None:
    reg = R.add_registration(store, "C-ACC-5", "quick", extra_time=1.5)
    d = _open(settings, store)
    _enter_code(d, reg.code)
    _through_intake(d)
    first = d.session.session_id
    d.start_task()
    d.type("Geachte", 0.2)
    d.session.abort("window-closed")  # the copy task interrupted: the session is interrupted
    R.allow_again(store, reg.code, "resume", "proctor1", "workstation froze")
    d2 = _open(settings, store)
    _enter_code(d2, reg.code)
    assert d2.scene.resuming is not None and d2.scene.resuming["session_id"] == first
    _through_intake(d2)
    assert d2.session.session_id == first  # the same session, reopened
    assert d2.session.specs[0].time_limit_s == 90.0  # the registration's extra time again
    again = R.find_registration(store, reg.code)
    assert again is not None and again.allow_again is None and again.session_id == first
