"""The trainees list and the trainee page show what ``typingtest progress`` writes (issue 12): the
expected rows are read from the ``sessions.csv`` and ``progress.csv`` of ``typingtest progress ID
--out DIR`` for the same candidate; the PNG downloads are byte for byte the command's PNG files."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from console_testkit import COHORT, N_CANDIDATES, PASSWORDS, sign_in, table_rows

from typingtest.cli import main


def _as(console: Any, role: str) -> Any:
    console.add(role, role)
    assert sign_in(console.client, role, PASSWORDS[role]).status_code == 303
    return console.client


def _first(console: Any) -> str:
    return str(sorted(console.store().attempts_frame(cohort=COHORT)["candidate_id"].astype(str))[0])


@pytest.mark.parametrize(("role", "status"), [("trainer", 200), ("recruiter", 200), ("admin", 200),
                                              ("proctor", 403)])
def test_trainee_roles(console, role: str, status: int) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, role)
    cid = _first(console)
    assert client.get("/trainees").status_code == status
    assert client.get(f"/trainees/{cid}").status_code == status
    assert client.get(f"/trainees/{cid}/files/progress.pdf").status_code == status


def test_trainees_list_several_sessions_or_all(console) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, "trainer")
    # the simulated candidates have one session each: none by default, all six with all=1
    r = client.get("/trainees")
    assert r.status_code == 200 and 'id="trainees"' not in r.text and "Geen cursisten gevonden." in r.text
    rows: list[list[str]] = []
    page = 1
    while True:
        r = client.get(f"/trainees?all=1&page={page}")
        rows += table_rows(r.text, "trainees")
        if 'rel="next"' not in r.text:
            break
        page += 1
    assert len(rows) == N_CANDIDATES
    frame = console.store().attempts_frame(cohort=COHORT)
    for row in rows:
        mine = frame[frame["candidate_id"] == row[0]]
        assert row[1] == COHORT
        assert row[2] == str(mine["session_id"].nunique()) and row[3] == str(len(mine))
    assert len(table_rows(client.get("/trainees?all=1&q=001").text, "trainees")) == 1


def test_trainee_page_equals_the_progress_command(console, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from typingtest.analysis.compare import format_value

    client = _as(console, "trainer")
    cid = _first(console)
    out = tmp_path / "progress"
    assert main(["progress", cid, "--out", str(out)]) == 0
    sessions = pd.read_csv(out / "sessions.csv")
    progress = pd.read_csv(out / "progress.csv")
    r = client.get(f"/trainees/{cid}")
    assert r.status_code == 200
    text = html.unescape(r.text)
    # one chart per file the command drew, inline as SVG
    charts = sorted(p.stem for p in out.glob("*.svg"))
    assert charts and all(f'id="chart-{name}"><svg' in text for name in charts)
    # sessions: number, passed / deciding
    rows = table_rows(text, "sessions")
    assert [(row[0], row[4]) for row in rows] == [(str(s["session_number"]), f"{s['n_passed']} / {s['n_deciding']}")
                                                  for s in sessions.to_dict("records")]
    # net speed and error rate per session and task: the command's values (rates in percent, 2 decimals)
    drawn = progress[progress["indicator"].isin(["net_wpm", "msd_error_rate", "field_error_rate"])]
    rows = table_rows(text, "progress")
    assert len(rows) == len(drawn) > 0
    for row, rec in zip(rows, drawn.to_dict("records"), strict=True):
        assert row[0] == str(rec["session_number"])
        assert row[4] == format_value(rec["indicator"], rec["value"]).replace(".", ",")
    # the 3 % line's threshold is shown with the error rates
    assert "3,00 %" in text
    # weakest keys on the recorded layout, and the notes of the PDF's first page
    assert 'id="weakest-keys"' in text and "azerty-be" in text
    notes = (out / "progress_notes.txt").read_text(encoding="utf-8").strip()
    assert notes.splitlines()[0] in text


def test_downloads_are_the_commands_files_and_audited(console, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, "trainer")
    cid = _first(console)
    out = tmp_path / "progress"
    assert main(["progress", cid, "--out", str(out)]) == 0
    png = next(iter(sorted(out.glob("*.png"))))
    r = client.get(f"/trainees/{cid}/files/{png.name}")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    assert "attachment" in r.headers["content-disposition"]
    assert r.content == png.read_bytes()
    r = client.get(f"/trainees/{cid}/files/{png.stem}.svg")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml") and b"<svg" in r.content
    r = client.get(f"/trainees/{cid}/files/progress.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf" and r.content.startswith(b"%PDF")
    audit = console.store().audit_frame()
    mine = audit[(audit["action"] == "downloaded") & (audit["object_type"] == "progress")]
    assert len(mine) == 3 and set(mine["actor"]) == {"trainer"} and set(mine["object_id"]) == {cid}


def test_unknown_trainee_or_file_is_a_404(console) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, "trainer")
    r = client.get("/trainees/NOPE-1")
    assert r.status_code == 404 and "Er is geen kandidaat met id NOPE-1." in html.unescape(r.text)
    cid = _first(console)
    assert client.get(f"/trainees/{cid}/files/progress.csv").status_code == 404
    assert client.get(f"/trainees/{cid}/files/no_chart.png").status_code == 404
