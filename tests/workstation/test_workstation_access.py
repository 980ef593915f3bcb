"""Issue 19 at the workstation, headless: the intake takes only ids by the one rule; the proctor
prompt locks for a minute after five wrong codes (on the injected clock) and says so in an
incident; an empty code never opens it; ``run`` checks the thresholds and reads the battery from
the settings' ``passages_dir`` before it opens a window."""

from __future__ import annotations

import shutil
from pathlib import Path

import pygame
import pytest

from typingtest.cli import main
from typingtest.config import DEFAULT_THRESHOLDS_FILE, PASSAGES_DIR, Settings
from typingtest.content import load_item
from typingtest.store import open_store
from typingtest.workstation.driver import Driver
from typingtest.workstation.proctor import CodeLock, code_lock
from typingtest.workstation.session import TaskSpec


def _driver(settings: Settings) -> Driver:
    return Driver.open(settings, None, specs=[TaskSpec("copy-typing", load_item("nl-copy-03"), 300.0)], single=True,
                       candidate="C-LOCK")


def _try_code(d: Driver, code: str) -> None:
    """Ctrl+Alt+P (when the prompt is not open), the code, Enter."""
    if d.app.overlay is None or d.app.overlay.name != "proctor":
        d.key(pygame.K_p, pygame.KMOD_LCTRL | pygame.KMOD_LALT, after=0.05)
    for ch in code:
        d.app.post_text(ch)
    d.key(pygame.K_RETURN, after=0.05)


def _unlocked(d: Driver) -> bool:
    return d.app.overlay is not None and d.app.overlay.name == "proctor" and d.app.overlay.unlocked  # type: ignore


def _feedback(d: Driver) -> str:
    return d.app.overlay.widget("proctor-feedback").text  # type: ignore[union-attr, attr-defined]


def test_code_lock_counts_five_wrong_codes_in_a_row() -> None:
    lock = CodeLock()
    assert [lock.wrong_code(10.0 + i) for i in range(4)] == [False] * 4
    lock.right_code()  # a right code starts the count again
    assert [lock.wrong_code(20.0 + i) for i in range(5)] == [False, False, False, False, True]
    assert lock.seconds_left(24.0) == 60.0 and lock.seconds_left(83.5) == 0.5 and lock.seconds_left(84.0) == 0.0


def test_five_wrong_codes_lock_the_prompt_for_a_minute_and_an_incident_says_so(results_dir: Path) -> None:
    d = _driver(Settings(results_dir=results_dir, proctor_code="7310"))
    for wrong in ("0000", "1111", "2222", "3333"):
        _try_code(d, wrong)
    assert [i.kind for i in d.app.incidents].count("proctor-code-wrong") == 4
    assert "proctor-locked" not in [i.kind for i in d.app.incidents]
    _try_code(d, "4444")  # the fifth
    locked = [i for i in d.app.incidents if i.kind == "proctor-locked"]
    assert len(locked) == 1 and locked[0].detail == "5 wrong codes: locked for 60 s"
    t_locked = locked[0].t
    assert _feedback(d) == "Te veel verkeerde codes: wacht 60 s"

    _try_code(d, "7310")  # the right code while locked: not even compared
    assert not _unlocked(d)
    d.key(pygame.K_ESCAPE)  # closing and opening the prompt again does not reset the lock
    assert d.app.overlay is None
    d.wait(30.0)
    _try_code(d, "7310")
    assert not _unlocked(d) and _feedback(d).startswith("Te veel verkeerde codes: wacht ")
    left = int(_feedback(d).split("wacht ")[1].split(" ")[0])
    assert 25 <= left <= 30  # 60 s from the fifth code, about 30.4 s of which have passed
    assert code_lock(d.app).seconds_left(d.clock.now()) == pytest.approx(t_locked + 60.0 - d.clock.now())

    d.wait(31.0)  # past the minute on the app's clock
    _try_code(d, "7310")
    assert _unlocked(d)
    assert [i.kind for i in d.app.incidents].count("proctor-locked") == 1


def test_an_empty_proctor_code_never_opens_the_panel(results_dir: Path) -> None:
    # load_settings refuses proctor_code = "" (tests/test_settings_edges.py); a Settings made in
    # code with an empty one must not open the panel with Ctrl+Alt+P, Enter either
    for code in ("", "   "):
        d = _driver(Settings(results_dir=results_dir / repr(code), proctor_code=code))
        _try_code(d, code)
        assert not _unlocked(d)
        assert d.app.incidents[-1].kind == "proctor-code-wrong"


def test_the_intake_takes_only_ids_by_the_one_rule(results_dir: Path) -> None:
    # "a." and "a..b" passed the intake's own pattern before (Windows drops a trailing dot:
    # "a." and "a" would share a folder); ".." and "../reports" are refused as before
    settings = Settings(results_dir=results_dir)
    store = open_store(settings)
    try:
        d = Driver.open(settings, store, specs=[TaskSpec("copy-typing", load_item("nl-copy-03"), 300.0)],
                        intake=True)
        for cid in ("a.", "a..b", "..", "../reports"):
            d.type(cid, 0.05)
            d.key(pygame.K_RETURN)
            assert d.scene.name == "intake" and d.scene.page == "candidate", cid
            assert d.scene.widget("feedback").text == d.app.tr("id_chars")  # says what is wrong (issue 17)
            d.type("\b" * len(cid), 0.02)
        d.type("a.b", 0.05)  # a dot between other characters is fine
        d.key(pygame.K_RETURN)
        assert d.scene.page == "consent"
        assert store.candidate("..") is None
    finally:
        store.close()


# ---- `run` checks before it opens anything --------------------------------------------------


class _Opened(Exception):
    """Raised instead of opening the window: what ``run`` had done by then is what counts."""


@pytest.fixture
def no_window(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """``open_app`` replaced: records that it was reached, then stops ``run``."""
    import typingtest.workstation.runner as runner

    reached: list[object] = []

    def fake(*a: object, **k: object) -> None:
        reached.append(a)
        raise _Opened

    monkeypatch.setattr(runner, "open_app", fake)
    return reached


def test_run_refuses_a_misspelled_indicator_before_the_window_opens(
        tmp_path: Path, results_dir: Path, no_window: list[object], capsys: pytest.CaptureFixture[str]) -> None:
    text = DEFAULT_THRESHOLDS_FILE.read_text(encoding="utf-8").replace("[msd_error_rate]", "[msd_eror_rate]")
    (tmp_path / "thresholds.toml").write_text(text, encoding="utf-8")
    (tmp_path / "typingtest.toml").write_text('thresholds = "thresholds.toml"\n', encoding="utf-8")
    code = main(["--settings", str(tmp_path / "typingtest.toml"), "run", "--candidate", "C-1"])
    errors = [line for line in capsys.readouterr().err.splitlines() if "error" in line]
    assert code == 2 and no_window == []  # before: the window opened, the KeyError came after the first task
    assert errors == [f"typingtest: error: {tmp_path / 'thresholds.toml'}: [msd_eror_rate]: unknown indicator; "
                      "known: msd_error_rate, field_error_rate, field_completeness, action_score, net_wpm, "
                      "pickup_time_s, call_handling_time_s, record_find_time_s"]


def test_run_reads_the_battery_from_the_settings_passages_dir(
        tmp_path: Path, results_dir: Path, no_window: list[object], capsys: pytest.CaptureFixture[str]) -> None:
    passages = tmp_path / "centre-passages"
    shutil.copytree(PASSAGES_DIR, passages)
    text = (passages / "batteries" / "quick.toml").read_text(encoding="utf-8")
    (passages / "batteries" / "centre-only.toml").write_text(text.replace('id = "quick"', 'id = "centre-only"'),
                                                             encoding="utf-8")
    (tmp_path / "typingtest.toml").write_text('passages_dir = "centre-passages"\n', encoding="utf-8")
    with pytest.raises(_Opened):  # got as far as the window: the battery was found
        main(["--settings", str(tmp_path / "typingtest.toml"), "run", "--battery", "centre-only"])
    assert len(no_window) == 1
    # and the shipped folder does not have it (so it came from passages_dir)
    assert not (PASSAGES_DIR / "batteries" / "centre-only.toml").exists()
