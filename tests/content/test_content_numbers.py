"""Every number of a content file goes through the one checker the settings use too
(``typingtest.checks``): ``nan``, ``inf`` and ``-inf`` (TOML allows all three) and values out of
range are one problem naming file:line: field, never accepted and never a traceback.

Before: ``time_limit_s = nan`` (and ``timeout_s``, ``deadline_s``, ``price``, ``pause_s``,
``weight``) passed ``content check``, because ``nan <= 0`` is false."""

from __future__ import annotations

from pathlib import Path

import pytest
from content_fixtures import FILES, line_of, write_tree

from typingtest.cli import main
from typingtest.content import check

CALL = "nl/call/nl-call-91.toml"
BATTERY = "batteries/mini.toml"

# (file, the line as written, the key on it, the field as reported)
NUMBERS = [
    (CALL, "target_duration_s = 240", "target_duration_s", "target_duration_s"),
    (CALL, "price = 34.95", "price", "products[P1].price"),
    (CALL, "timeout_s = 20", "timeout_s", "timeline[c2].timeout_s"),
    (CALL, "deadline_s = 30", "deadline_s", "expect[find].deadline_s"),
    (BATTERY, "time_limit_s = 120", "time_limit_s", "tasks[nl-copy-91].time_limit_s"),
]


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
@pytest.mark.parametrize(("rel", "written", "key", "field"), NUMBERS, ids=[n[2] for n in NUMBERS])
def test_a_number_that_is_not_finite_is_one_problem_naming_file_line_and_field(
        tmp_path: Path, rel: str, written: str, key: str, field: str, value: str) -> None:
    new = f"{key} = {value}"
    broken = FILES[rel].replace(written, new, 1)
    paths = write_tree(tmp_path, {rel: broken})
    problems = [str(p) for p in check(tmp_path)]
    prefix = f"{paths[rel]}:{line_of(broken, new)}: {field}: "
    assert [p for p in problems if p.startswith(prefix)], "\n".join(problems)
    assert all("\n" not in p for p in problems)


@pytest.mark.parametrize(("rel", "old", "new", "field", "message"), [
    (CALL, "timeout_s = 20", "timeout_s = -2", "timeline[c2].timeout_s", "must be more than 0 seconds, got -2.0"),
    (CALL, "timeout_s = 20", "timeout_s = nan", "timeline[c2].timeout_s", "must be more than 0 seconds, got nan"),
    (CALL, "price = 34.95", "price = -1", "products[P1].price", "must be 0 or more, got -1.0"),
    (CALL, "stock = 3", "stock = -3", "products[P1].stock", "must be 0 or more, got -3"),
    (CALL, "deadline_s = 30", "deadline_s = nan", "expect[find].deadline_s", "must be a finite number, got nan"),
    (BATTERY, "time_limit_s = 120", "time_limit_s = inf", "tasks[nl-copy-91].time_limit_s",
     "must be more than 0 seconds, got inf"),
    (BATTERY, "time_limit_s = 120", "time_limit_s = -600", "tasks[nl-copy-91].time_limit_s",
     "must be more than 0 seconds, got -600.0"),
])
def test_the_message_says_the_range_and_echoes_the_value(tmp_path: Path, rel: str, old: str, new: str,
                                                         field: str, message: str) -> None:
    broken = FILES[rel].replace(old, new, 1)
    paths = write_tree(tmp_path, {rel: broken})
    problems = [str(p) for p in check(tmp_path)]
    assert f"{paths[rel]}:{line_of(broken, new)}: {field}: {message}" in problems, "\n".join(problems)


def test_content_check_exits_non_zero_on_a_nan_time_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = FILES[BATTERY].replace("time_limit_s = 120", "time_limit_s = nan", 1)
    paths = write_tree(tmp_path, {BATTERY: broken})
    assert main(["content", "check", str(paths[BATTERY])]) == 1
    out = capsys.readouterr().out
    assert f"{paths[BATTERY]}:{line_of(broken, 'time_limit_s = nan')}: tasks[nl-copy-91].time_limit_s: " \
           "must be more than 0 seconds, got nan" in out.splitlines()
