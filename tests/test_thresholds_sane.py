"""Thresholds that make sense (issue 19, item 4): every threshold read from a thresholds file is a
finite number within its indicator's range, and each mistake is one line naming the file and the
key with a non-zero exit, through ``report --rejudge`` (the same loader as ``run``); the verdict
function refuses a None or NaN threshold instead of failing every candidate."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from typingtest.cli import main
from typingtest.config import DEFAULT_THRESHOLDS_FILE, Settings, load_thresholds
from typingtest.engine.verdicts import INDICATOR_KINDS, Threshold, limit_problem, verdict
from typingtest.errors import UserError

DATA = Path(__file__).parent / "data"
SHIPPED = DEFAULT_THRESHOLDS_FILE.read_text(encoding="utf-8")


def _centre(tmp_path: Path, text: str) -> tuple[Path, Path]:
    """A centre's settings naming its thresholds file ``text``: (settings file, thresholds file)."""
    thresholds = tmp_path / "thresholds.toml"
    thresholds.write_text(text, encoding="utf-8")
    settings = tmp_path / "typingtest.toml"
    settings.write_text('thresholds = "thresholds.toml"\n', encoding="utf-8")
    return settings, thresholds


@pytest.mark.parametrize(("old", "new", "message"), [
    # before: accepted; nan failed every candidate, -30 passed every one, 1.5 passed 150 % errors
    ("[msd_error_rate]\nmax = 0.03", "[msd_error_rate]\nmax = nan",
     "msd_error_rate.max: must be a finite number, got nan"),
    ("[net_wpm]\nmin = 30.0", "[net_wpm]\nmin = -30",
     "net_wpm.min: must be a speed above 0 (words per minute), got -30"),
    ("[net_wpm]\nmin = 30.0", "[net_wpm]\nmin = 0", "net_wpm.min: must be a speed above 0 (words per minute), got 0"),
    ("[field_error_rate]\nmax = 0.03", "[field_error_rate]\nmax = 1.5",
     "field_error_rate.max: must be a fraction from 0 to 1 (0.03 = 3 %), got 1.5"),
    ("[action_score]\nmin = 0.8", "[action_score]\nmin = -0.1",
     "action_score.min: must be a fraction from 0 to 1 (0.8 = 80 %), got -0.1"),
    ("[pickup_time_s]\nmax = 12.0", "[pickup_time_s]\nmax = inf",
     "pickup_time_s.max: must be a finite number, got inf"),
    ("[pickup_time_s]\nmax = 12.0", "[pickup_time_s]\nmax = -1.0",
     "pickup_time_s.max: must be a time of 0 seconds or more, got -1.0"),
    # before: accepted, then a KeyError traceback after the candidate's first typed task
    ("[msd_error_rate]", "[msd_eror_rate]",
     "[msd_eror_rate]: unknown indicator; known: " + ", ".join(INDICATOR_KINDS)),
])
def test_a_threshold_that_makes_no_sense_is_one_line_naming_file_and_key(
        tmp_path: Path, results_dir: Path, capsys: pytest.CaptureFixture[str], old: str, new: str,
        message: str) -> None:
    assert old in SHIPPED
    settings, thresholds = _centre(tmp_path, SHIPPED.replace(old, new))
    code = main(["--settings", str(settings), "report", "--from-csv", str(DATA / "analysis_cohort.csv"),
                 "--cohort", "2026-A", "--out", str(tmp_path / "r.html"), "--rejudge"])
    err = capsys.readouterr().err
    assert code == 2
    assert err == f"typingtest: error: {thresholds}: {message}\n"
    assert not (tmp_path / "r.html").exists()


def test_a_file_without_the_msd_error_rate_is_refused(tmp_path: Path) -> None:
    only_speed = SHIPPED[SHIPPED.index("[net_wpm]"):SHIPPED.index("[pickup_time_s]")]
    _, thresholds = _centre(tmp_path, only_speed)
    with pytest.raises(UserError) as info:
        load_thresholds(Settings(thresholds=thresholds))
    assert str(info.value).startswith(f"{thresholds}: [msd_error_rate]: missing; every copy-typing")


def test_edge_values_inside_the_range_are_taken(tmp_path: Path) -> None:
    text = (SHIPPED.replace("[msd_error_rate]\nmax = 0.03", "[msd_error_rate]\nmax = 0")
            .replace("[field_completeness]\nmin = 1.0", "[field_completeness]\nmin = 1")
            .replace("[pickup_time_s]\nmax = 12.0", "[pickup_time_s]\nmax = 0"))
    _, thresholds = _centre(tmp_path, text)
    loaded = load_thresholds(Settings(thresholds=thresholds))
    assert (loaded["msd_error_rate"].limit, loaded["field_completeness"].limit, loaded["pickup_time_s"].limit) \
        == (0.0, 1.0, 0.0)


def test_the_shipped_thresholds_are_all_known_and_sane() -> None:
    loaded = load_thresholds()
    assert set(loaded) == set(INDICATOR_KINDS)
    assert all(limit_problem(name, rule.limit) is None for name, rule in loaded.items())


@pytest.mark.parametrize("limit", [None, math.nan, math.inf, -math.inf])
def test_verdict_refuses_a_threshold_that_is_not_a_finite_number(limit: float | None) -> None:
    rule = Threshold("msd_error_rate", limit, "<=", "qualification", "", ())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="threshold of 'msd_error_rate': "):
        verdict("msd_error_rate", 0.01, {"msd_error_rate": rule})
    # before: nan gave passed=False for every value (0.01 <= nan is False); None raised a TypeError


def test_limit_problem_by_kind() -> None:
    assert limit_problem("msd_error_rate", 0.03) is None and limit_problem("msd_error_rate", 1) is None
    assert limit_problem("net_wpm", 0.1) is None and limit_problem("net_wpm", 0.0) is not None
    assert limit_problem("call_handling_time_s", 0) is None
    assert limit_problem("net_wpm", True) == "must be a number, got True"
    assert limit_problem("net_wpm", "30") == "must be a number, got '30'"


def test_a_thresholds_file_with_a_bom_is_read_and_one_not_utf8_is_named(tmp_path: Path) -> None:
    _, thresholds = _centre(tmp_path, "\ufeff" + SHIPPED)
    assert load_thresholds(Settings(thresholds=thresholds))["net_wpm"].limit == 30.0
    thresholds.write_bytes(SHIPPED.replace("# typingtest", "# typingtest \xe9", 1).encode("latin-1"))
    with pytest.raises(UserError) as info:
        load_thresholds(Settings(thresholds=thresholds))
    assert str(info.value).startswith(f"{thresholds}: not UTF-8 text (byte 13 is 0xe9)")
