"""The retake policy as a centre setting (``retake_days``): a candidate whose completed session
of the battery started 10 days ago is stopped at intake with the default 30 days, let through
with 7 or 0; a value that is not a whole number of days, 0 or more, is one line naming the key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pygame
import pytest
from sqlalchemy import update

from typingtest.cli import main
from typingtest.config import Settings, load_settings
from typingtest.errors import UserError
from typingtest.workstation.driver import Driver
from typingtest.workstation.intake import recent_completed_session


def _store_with_session_days_ago(settings: Settings, candidate: str, battery: str, days: float) -> None:
    """A complete session of ``battery`` for ``candidate`` that started ``days`` days ago."""
    from typingtest.store import open_store
    from typingtest.store import schema as S

    store = open_store(settings)
    try:
        sid = store.start_session(candidate, battery)
        store.end_session(sid, "complete")
        started = datetime.now(UTC) - timedelta(days=days)
        with store.engine.begin() as conn:
            conn.execute(update(S.sessions).where(S.sessions.c.session_id == sid).values(started_at=started))
    finally:
        store.close()


def _intake_page_after_id(settings: Settings, candidate: str) -> tuple[str, bool, str]:
    """Open the quick battery's intake, type the id, Enter: (page, retake_blocked, feedback text)."""
    from typingtest.store import open_store

    store = open_store(settings)
    try:
        d = Driver.open(settings, store, battery="quick")
        assert d.scene.name == "intake"
        d.type(candidate, 0.1)
        d.key(pygame.K_RETURN)
        return d.scene.page, d.scene.retake_blocked, d.scene.widget("feedback").text
    finally:
        store.close()


@pytest.mark.parametrize(("retake_days", "blocked"), [(30, True), (7, False), (0, False)])
def test_a_session_ten_days_ago_blocks_at_30_days_not_at_7_or_0(results_dir: Path, retake_days: int,
                                                                 blocked: bool) -> None:
    settings = Settings(results_dir=results_dir, retake_days=retake_days)
    _store_with_session_days_ago(settings, "C-RETAKE-1", "quick", 10)
    page, is_blocked, feedback = _intake_page_after_id(settings, "C-RETAKE-1")
    assert is_blocked is blocked
    assert page == ("candidate" if blocked else "consent")
    if blocked:  # the page names the setting's waiting period, not a constant
        assert f"{retake_days} dagen" in feedback


def test_the_setting_is_read_from_the_centre_file(tmp_path: Path) -> None:
    path = tmp_path / "typingtest.toml"
    path.write_text("retake_days = 7\n", encoding="utf-8")
    assert load_settings(path).retake_days == 7
    path.write_text("retake_days = 0\n", encoding="utf-8")
    assert load_settings(path).retake_days == 0
    path.write_text("", encoding="utf-8")
    assert load_settings(path).retake_days == 30  # the default


@pytest.mark.parametrize("value", ["-1", '"x"', "2.5", "true"])
def test_a_bad_retake_days_is_one_line_naming_file_and_key(tmp_path: Path, value: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "centre.toml"
    path.write_text(f"retake_days = {value}\n", encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_settings(path)
    message = str(info.value)
    assert message.startswith(f"{path}: retake_days: ")
    assert "\n" not in message
    # through the CLI: one line on stderr, a non-zero exit, no traceback
    code = main(["--settings", str(path), "replay", "no-such-attempt"])
    err = capsys.readouterr().err
    assert code != 0
    assert err.count("\n") == 1 and "retake_days" in err and "Traceback" not in err


def test_recent_completed_session_counts_from_the_start_and_ignores_unfinished() -> None:
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    rows = [
        {"state": "complete", "started_at": pd.Timestamp(now - timedelta(days=10))},
        {"state": "interrupted", "started_at": pd.Timestamp(now - timedelta(days=2))},
    ]
    assert recent_completed_session(rows, 30, now) is rows[0]
    assert recent_completed_session(rows, 11, now) is rows[0]  # 10 days < 11
    assert recent_completed_session(rows, 10, now) is None  # exactly 10 days ago: the period is over
    assert recent_completed_session(rows, 7, now) is None  # the interrupted one is the resume rule's
    assert recent_completed_session(rows, 0, now) is None
    naive = [{"state": "complete", "started_at": datetime(2026, 11, 20, 12, 0)}]  # naive = UTC
    assert recent_completed_session(naive, 8, now) is naive[0]
