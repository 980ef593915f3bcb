"""The package skeleton: CLI, settings, thresholds, verdicts at the boundary."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from typingtest.cli import main
from typingtest.config import load_settings, load_thresholds
from typingtest.engine.events import EVENT_DTYPE, EventKind, make_log
from typingtest.engine.verdicts import verdict
from typingtest.errors import UserError


def test_help_lists_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    assert "typingtest" in capsys.readouterr().out


def test_python_dash_m_runs() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "typingtest", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("typingtest ")


def test_qualification_threshold_is_three_percent() -> None:
    rule = load_thresholds()["msd_error_rate"]
    assert rule.limit == 0.03
    assert rule.comparison == "<="
    assert rule.source == "qualification"
    assert "D140801 Id17267" in rule.competences


def test_verdict_boundary() -> None:
    th = load_thresholds()
    assert verdict("msd_error_rate", 0.03, th).passed is True
    assert verdict("msd_error_rate", 3 / 100, th).passed is True
    assert verdict("msd_error_rate", 0.0301, th).passed is False
    assert verdict("msd_error_rate", None, th).passed is None
    v = verdict("net_wpm", 29.99, th)
    assert v.passed is False and v.source == "centre" and v.comparison == ">="


def test_unknown_setting_is_named(tmp_path: Path) -> None:
    f = tmp_path / "typingtest.toml"
    f.write_text('resluts_dir = "x"\n')
    from typingtest.errors import UserError

    with pytest.raises(UserError, match="resluts_dir: unknown setting"):
        load_settings(f)


def test_settings_paths_resolve_against_file(tmp_path: Path) -> None:
    f = tmp_path / "centre.toml"
    f.write_text('results_dir = "res"\nretention_days = 30\n')
    s = load_settings(f)
    assert s.results_dir == (tmp_path / "res").resolve()
    assert s.retention_days == 30
    assert s.database_url.endswith("res/typingtest.sqlite")


def test_make_log_columns() -> None:
    log = make_log([{"t": 0.5, "kind": EventKind.TEXT, "text": "ë", "target": "copy"}])
    assert log.dtype == EVENT_DTYPE
    assert log["kind"][0] == EventKind.TEXT and log["text"][0] == "ë"


def test_engine_and_analysis_never_import_pygame() -> None:
    """The layer rule of the design: engine/ and analysis/ work without pygame (a fresh interpreter)."""
    code = (
        "import importlib, pkgutil, sys\n"
        "import typingtest.engine, typingtest.analysis\n"
        "for pkg in (typingtest.engine, typingtest.analysis):\n"
        "    for m in pkgutil.iter_modules(pkg.__path__):\n"
        "        importlib.import_module(pkg.__name__ + '.' + m.name)\n"
        "print('pygame' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('high_contrast = "no"', "high_contrast: must be true or false, got 'no'"),
        ("redraw_every_frame = 1", "redraw_every_frame: must be true or false, got 1"),
        ("retention_days = 2.5", "retention_days: must be a whole number, got 2.5"),
        ("retention_days = true", "retention_days: must be a whole number, got True"),
        ('extra_time = "1.5"', "extra_time: must be a number, got '1.5'"),
        ("proctor_code = 4242", "proctor_code: must be text in quotes, got 4242"),
    ],
)
def test_a_setting_of_the_wrong_type_is_one_line_naming_file_and_key(tmp_path: Path, line: str, message: str) -> None:
    # "no" in quotes is a non-empty string: read as is, it would switch high contrast on
    path = tmp_path / "typingtest.toml"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_settings(path)
    assert str(info.value) == f"{path}: {message}"


def test_an_integer_where_a_number_is_expected_is_read_as_a_float(tmp_path: Path) -> None:
    path = tmp_path / "typingtest.toml"
    path.write_text("extra_time = 2\ndb_url = \"sqlite:///x.db\"\n", encoding="utf-8")
    settings = load_settings(path)
    assert settings.extra_time == 2.0 and isinstance(settings.extra_time, float)
    assert settings.db_url == "sqlite:///x.db"
