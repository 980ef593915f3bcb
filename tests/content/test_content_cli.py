"""`typingtest content check` and `typingtest content list` through the real CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from content_fixtures import FILES, line_of, write_tree

from typingtest.cli import main


def test_check_clean_tree_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tmp_path)
    assert main(["content", "check", str(tmp_path)]) == 0
    assert "5 file(s) checked: no problems" in capsys.readouterr().out


def test_check_prints_every_problem_and_exits_non_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rel = "nl/call/nl-call-91.toml"
    broken = FILES[rel].replace("deadline_s = 30", "deadline_s = 0").replace('voice = "nl-caller-2"',
                                                                            'voice = "nl-caller-9"')
    paths = write_tree(tmp_path, {rel: broken})
    assert main(["content", "check", str(paths[rel])]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines == [
        f"{paths[rel]}:{line_of(broken, 'nl-caller-9')}: caller.voice: unknown voice 'nl-caller-9'; voices are "
        "<lang>-caller-<n>, n = 1..4 (e.g. nl-caller-1)",
        f"{paths[rel]}:{line_of(broken, 'deadline_s = 0')}: expect[find].deadline_s: deadline before its cue: "
        "0 s after 'line-end:l1'; give a time after the cue",
    ]
    assert "2 problem(s) in 1 file(s)" in err


def test_check_missing_path_is_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["content", "check", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such file or folder" in err


def test_list_plain_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tmp_path)
    assert main(["content", "list", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "nl-call-91     call           nl  Kleine testoproep" in out
    assert main(["content", "list", "--json", str(tmp_path)]) == 0
    rows = json.loads(capsys.readouterr().out)
    by_id = {r["id"]: r for r in rows}
    assert {r["kind"] for r in rows} == {"call", "copy-typing", "transcription", "data-entry", "battery"}
    assert {"id", "kind", "language", "title"} <= set(by_id["nl-copy-91"])
    assert by_id["nl-copy-91"]["difficulty"]["words"] == 29  # hand count of the fixture passage
    assert by_id["mini"]["planned_s"] == 420.0  # 120 + 300


def test_list_marks_broken_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = write_tree(tmp_path, {"nl/copy-typing/nl-copy-91.toml": 'id = "nl-copy-91"\nkind = "copy-typing"\n'})
    assert main(["content", "list", "--json", str(tmp_path)]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["nl-copy-91"]["problems"] >= 1
    assert str(paths["nl/copy-typing/nl-copy-91.toml"]) == rows["nl-copy-91"]["file"]


def test_draw_rebuilds_the_form_of_a_seed(capsys: pytest.CaptureFixture[str]) -> None:
    from typingtest.content import draw_customer

    assert main(["content", "draw", "nl-entry-01", "--seed", "42", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    values = draw_customer(42, "vlaanderen", "nl", gender="female")  # nl-entry-01: nl-caller-3
    assert out["fields"]["customer_number"] == values["customer_number"]
    assert out["seed"] == 42 and out["lines"][1]["text"] == f"Mijn klantnummer is {values['customer_number_spoken']}."
    assert main(["content", "draw", "nl-copy-01", "--seed", "1"]) == 2
    assert "has no [randomise] table" in capsys.readouterr().err
