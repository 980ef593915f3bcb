"""``typingtest score``: the exact JSON keys, escapes, times, and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from typingtest.cli import main
from typingtest.engine.commands import SCORE_KEYS

EXPECTED_KEYS = [
    "transcribed",
    "msd",
    "msd_error_rate",
    "c",
    "inf",
    "if",
    "f",
    "kspc",
    "uncorrected_error_rate",
    "corrected_error_rate",
    "total_error_rate",
    "wpm",
    "gross_wpm",
    "net_wpm",
    "char_errors",
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_exactly_the_issue_keys(capsys: pytest.CaptureFixture[str]) -> None:
    assert list(SCORE_KEYS) == EXPECTED_KEYS
    code, out, _ = run(capsys, "score", "--presented", "the quick brown", "--stream", r"th quix\bck brpown", "--json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == EXPECTED_KEYS
    assert data["transcribed"] == "th quick brpown"
    assert (data["msd"], data["c"], data["inf"], data["if"], data["f"]) == (2, 13, 2, 1, 1)
    assert data["total_error_rate"] == pytest.approx(0.1875)
    assert data["wpm"] is None and data["gross_wpm"] is None and data["net_wpm"] is None
    assert set(data["char_errors"]) == {"corrected", "uncorrected"}
    assert set(data["char_errors"]["corrected"]) == {"insertions", "omissions", "substitutions", "no_errors"}
    assert data["char_errors"]["corrected"]["substitutions"] == 1.0


def test_times_and_escapes(capsys: pytest.CaptureFixture[str]) -> None:
    # stream a, \, x, backspace, b: 5 characters, 5 times; T "a\b" (a backslash and b)
    code, out, _ = run(
        capsys, "score", "--presented", "a\\b", "--stream", r"a\\x\bb", "--times", "0,0.5,1,1.5,2", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["transcribed"] == "a\\b"
    assert data["kspc"] == pytest.approx(5 / 3)
    assert data["wpm"] == pytest.approx((3 - 1) / 2.0 * 12)
    assert data["gross_wpm"] == pytest.approx((4 - 1) / 2.0 * 12)


def test_human_readable_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", "--presented", "abc", "--stream", "abd")
    assert code == 0
    assert "msd_error_rate           33.33 %" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--stream", r"a\qb"], r"\q is not an escape"),
        (["--stream", "ab\\"], "at the end"),
        (["--stream", "ab", "--times", "0"], "1 times for 2 stream characters"),
        (["--stream", "ab", "--times", "0,x"], "'x' is not a number"),
        (["--stream", "ab", "--times", "1,0"], "must not decrease"),
        (["--stream", "ab", "--times", "0,nan"], "not a finite number"),
    ],
)
def test_bad_input_is_one_line_and_non_zero(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    code, _out, err = run(capsys, "score", "--presented", "ab", *argv)
    assert code != 0
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_console_entry_point() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "typingtest", "score", "--presented", "ok", "--stream", "ok", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["msd"] == 0
