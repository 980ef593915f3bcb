"""Settings edge cases (issue 19, items 6, 9 and 15): a settings file that is not UTF-8, a UTF-8
byte-order mark, paths that are not text, numbers that make no sense (``extra_time = inf``), an
empty proctor code, and keys or values 10,000 characters long: each one line naming the file and
the key, read when the settings are read (before ``run`` opens a window)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from typingtest.cli import main
from typingtest.config import NUMBER_RANGES, Settings, load_settings
from typingtest.errors import UserError


def _settings(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "typingtest.toml"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def _refused(path: Path) -> str:
    with pytest.raises(UserError) as info:
        load_settings(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    return message[len(f"{path}: "):]


def test_a_binary_settings_file_is_one_line_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # before: a 23-line UnicodeDecodeError traceback
    path = _settings(tmp_path, b"results_dir = \"r\"\n\xff\xfe\x00\x01binary")
    assert main(["--settings", str(path), "content", "list"]) == 2
    err = capsys.readouterr().err
    assert err == (f"typingtest: error: {path}: not UTF-8 text (byte 18 is 0xff); save it as UTF-8, or check that "
                   "it is the TOML file meant\n")


def test_a_latin1_settings_file_is_named_too(tmp_path: Path) -> None:
    path = _settings(tmp_path, 'workstation = "caf\xe9"\n'.encode("latin-1"))
    assert _refused(path).startswith("not UTF-8 text (byte 18 is 0xe9)")


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    # before: "Invalid statement (line 1, column 1)" with no hint (Notepad's "UTF-8 with BOM")
    path = _settings(tmp_path, "\ufeffextra_time = 1.5\nworkstation = \"poste-3\"\n")
    settings = load_settings(path)
    assert (settings.extra_time, settings.workstation) == (1.5, "poste-3")


@pytest.mark.parametrize(("line", "message"), [
    ("results_dir = 5", 'results_dir: must be a path in quotes, e.g. results_dir = "results", got 5'),
    ("thresholds = true", 'thresholds: must be a path in quotes, e.g. thresholds = "thresholds.toml", got True'),
    ('signing_key_file = ["a"]', "signing_key_file: must be a path in quotes, e.g. signing_key_file = "
                                 "\"signing.key\", got ['a']"),
    ('passages_dir = "  "', "passages_dir: must be a path in quotes, e.g. passages_dir = \"passages\", got '  '"),
])
def test_a_path_setting_must_be_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str,
                                     message: str) -> None:
    monkeypatch.chdir(tmp_path)
    path = _settings(tmp_path, line + "\n")
    assert _refused(path) == message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["typingtest.toml"]  # before: a folder named "5"


@pytest.mark.parametrize(("line", "message"), [
    ("extra_time = inf", "extra_time: must be a factor on every time limit from 1.0 (no extra time) to 4.0, got inf"),
    ("extra_time = -1", "extra_time: must be a factor on every time limit from 1.0 (no extra time) to 4.0, got -1.0"),
    ("extra_time = nan", "extra_time: must be a factor on every time limit from 1.0 (no extra time) to 4.0, got nan"),
    ("extra_time = 0.5", "extra_time: must be a factor on every time limit from 1.0 (no extra time) to 4.0, got 0.5"),
    ("font_scale = 0", "font_scale: must be a factor on the text size from 0.5 to 3.0 (1.0 = as designed), got 0.0"),
    ("font_scale = 1e9", "font_scale: must be a factor on the text size from 0.5 to 3.0 (1.0 = as designed), "
                         "got 1000000000.0"),
    ("retake_days = -1", "retake_days: must be a whole number of days from 0 (no waiting period) to 3650, got -1"),
    ("retention_days = 100000000000", "retention_days: must be a whole number of days from 1 to 36500, "
                                      "got 100000000000"),
    ('closing_screen = "everything"', "closing_screen: must be one of 'nothing', 'summary', got 'everything'"),
])
def test_a_number_or_choice_that_makes_no_sense_is_refused_when_read(tmp_path: Path, line: str, message: str) -> None:
    assert _refused(_settings(tmp_path, line + "\n")) == message


@pytest.mark.parametrize("code", ['""', '"   "', '"\\t"'])
def test_an_empty_proctor_code_is_refused_at_start_up(tmp_path: Path, code: str) -> None:
    # before: accepted, and Ctrl+Alt+P, Enter opened the proctor panel
    assert _refused(_settings(tmp_path, f"proctor_code = {code}\n")).startswith(
        "proctor_code: must not be empty: anyone could open the proctor panel")


def test_values_inside_their_ranges_are_taken(tmp_path: Path) -> None:
    path = _settings(tmp_path, 'extra_time = 1\nfont_scale = 3\nretake_days = 0\nclosing_screen = "summary"\n'
                               'proctor_code = "0917"\nresults_dir = "r"\n')
    s = load_settings(path)
    assert (s.extra_time, s.font_scale, s.retake_days, s.closing_screen, s.proctor_code) == \
        (1.0, 3.0, 0, "summary", "0917")
    assert s.results_dir == (tmp_path / "r").resolve()


def test_a_10000_character_key_or_value_is_echoed_cut_to_40_characters(tmp_path: Path) -> None:
    long_key = "k" * 10_000
    message = _refused(_settings(tmp_path, f"{long_key} = 1\n"))
    assert message.startswith("'kkkkkk") and message.split(":")[0].endswith("…")
    assert len(message.split(":")[0]) == 40
    message = _refused(_settings(tmp_path, f'extra_time = "{"9" * 10_000}"\n'))
    assert message == "extra_time: must be a number, got '" + "9" * 38 + "…"  # 40 characters


def test_run_refuses_extra_time_inf_before_it_opens_a_window(
        tmp_path: Path, results_dir: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import typingtest.workstation.runner as runner

    def no_window(*a: object, **k: object) -> None:
        raise AssertionError("the window was opened with extra_time = inf")

    monkeypatch.setattr(runner, "open_app", no_window)
    path = _settings(tmp_path, "extra_time = inf\n")
    assert main(["--settings", str(path), "run", "--candidate", "C-1"]) == 2
    assert capsys.readouterr().err.splitlines()[-1].startswith(f"typingtest: error: {path}: extra_time: must be ")


def _bad_numbers() -> list[tuple[str, str]]:
    """(key, value as written in TOML) for every number setting of ``NUMBER_RANGES``: -2, nan, inf,
    a string, just below its lowest and just above its highest value."""
    cases = []
    for key, (low, high, _words) in NUMBER_RANGES.items():
        whole = isinstance(getattr(Settings(), key), int)
        step = 1 if whole else 0.5
        below, above = low - step, high + step
        for value in ("-2", "nan", "inf", '"fast"', repr(int(below)) if whole else repr(float(below)),
                      repr(int(above)) if whole else repr(float(above))):
            cases.append((key, value))
    return cases


def test_every_number_setting_has_its_range() -> None:
    # a number setting added without a range would take -2 or nan without a word
    defaults = Settings()
    numbers = {f.name for f in dataclasses.fields(Settings)
               if type(getattr(defaults, f.name)) in (int, float)}  # not bool: type(True) is bool
    assert numbers == set(NUMBER_RANGES) == {"retention_days", "retake_days", "min_chars_judged", "extra_time",
                                             "font_scale", "registration_days", "heartbeat_interval_s"}


@pytest.mark.parametrize(("key", "value"), _bad_numbers())
def test_a_bad_number_setting_stops_run_with_one_line_naming_file_and_key(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], key: str,
        value: str) -> None:
    # before (issue 15): extra_time = -2 ended in a traceback from the workstation ("ValueError:
    # nl-copy-01: time limit must be > 0 s, got -600.0") and extra_time = nan was accepted
    import typingtest.workstation.runner as runner

    def no_window(*a: object, **k: object) -> None:
        raise AssertionError(f"the window was opened with {key} = {value}")

    monkeypatch.setattr(runner, "open_app", no_window)
    path = _settings(tmp_path, f"{key} = {value}\n")
    assert main(["--settings", str(path), "run", "--candidate", "C-1", "--task", "copy-typing"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"typingtest: error: {path}: {key}: must be "), err
    expected = {"-2": ("-2", "-2.0"), "nan": ("nan",), "inf": ("inf",), '"fast"': ("'fast'",)}.get(value, (value,))
    assert lines[0].rpartition(", got ")[2] in expected  # the value as read (a float setting's as a float)


def test_the_settings_and_the_content_loader_share_one_number_checker() -> None:
    import inspect

    import typingtest.config as config
    import typingtest.content.loader as loader
    from typingtest import checks

    assert config.number is checks.number
    assert loader.fits is checks.fits and loader.number_problem is checks.number_problem
    from typingtest.engine import verdicts  # the thresholds' ranges (read by config.load_thresholds)

    assert verdicts.fits is checks.fits
    assert "isfinite" not in inspect.getsource(config) and "isfinite" not in inspect.getsource(loader)
