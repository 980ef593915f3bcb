"""The cohort page, the candidate page and the JSON API show what the CLI's ``report`` and
``export`` write for the same cohort (issue 12): the expected values are read from the files
``typingtest report --tables csv`` and ``typingtest export`` write, then formatted here by hand
(Dutch decimal comma; rates in percent with 2 decimals, speeds with 1)."""

from __future__ import annotations

import html
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from console_testkit import COHORT, N_CANDIDATES, PASSWORDS, sign_in, table_rows

from typingtest.cli import main
from typingtest.store import accounts

#: the overall decisions' Dutch words (typingtest/analysis/labels.py, decision_*)
DECISION_NL = {"pass": "geslaagd", "fail": "niet geslaagd", "borderline": "grensgeval (hertest aanbevolen)",
               "insufficient": "onvoldoende gegevens"}


def _rate_nl(value: float) -> str:
    return f"{100 * value:.2f}".replace(".", ",") + " %"


def _speed_nl(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _report_tables(tmp: Path) -> dict[str, pd.DataFrame]:
    out = tmp / "report" / "report.html"
    assert main(["report", "--cohort", COHORT, "--out", str(out), "--tables", "csv"]) == 0
    return {name: pd.read_csv(out.parent / f"report_{name}.csv", dtype={"candidate_id": str})
            for name in ("applicants", "competences")}


def _all_rows(client: Any, query: str) -> list[list[str]]:
    """Every applicants row over all pages of the cohort page with ``query``."""
    rows: list[list[str]] = []
    page = 1
    while True:
        r = client.get(f"/cohorts/{COHORT}?{query}&page={page}")
        assert r.status_code == 200
        got = table_rows(r.text, "applicants")
        rows += got
        if "rel=\"next\"" not in r.text:
            return rows
        page += 1


@pytest.fixture
def signed_in(console):  # type: ignore[no-untyped-def]
    console.add("rita", "recruiter")
    assert sign_in(console.client, "rita", PASSWORDS["recruiter"]).status_code == 303
    return console


def test_cohort_page_shows_the_report_figures(signed_in, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from typingtest.analysis.report import APPLICANT_INDICATORS

    tables = _report_tables(tmp_path)
    page = signed_in.client.get(f"/cohorts/{COHORT}")
    text = html.unescape(page.text)
    # pass rates per competence: n judged, n passed, rate (one decimal, as percent)
    competences = table_rows(text, "competences")
    expected = tables["competences"]
    assert len(competences) == len(expected)
    for row, rec in zip(competences, expected.to_dict("records"), strict=True):
        assert row[0].startswith(str(rec["competence"]))
        assert row[3:6] == [str(rec["n_judged"]), str(rec["n_passed"]),
                            f"{100 * rec['pass_rate']:.1f}".replace(".", ",") + " %"]
    # the applicants: every candidate, its overall decision, the copy-typing figures and verdicts
    applicants = tables["applicants"].set_index("candidate_id")
    pairs = [f"{t}:{i}" for t, i in APPLICANT_INDICATORS if f"{t}:{i}" in applicants.columns]
    rows = _all_rows(signed_in.client, "sort=candidate_id")
    assert [r[1] for r in rows] == sorted(applicants.index)
    assert len(rows) == N_CANDIDATES
    for row in rows:
        rec = applicants.loc[row[1]]
        assert row[0] == str(rec["rank"])
        assert row[2] == DECISION_NL[rec["overall_decision"]]
        for col, formatter in (("copy-typing:msd_error_rate", _rate_nl), ("copy-typing:net_wpm", _speed_nl)):
            cell = row[4 + pairs.index(col)]
            value, passed = rec[col], rec[f"{col}:passed"]
            assert cell.startswith(formatter(value)), (row[1], col, cell, value)
            assert ("✓" in cell) == (passed is True or passed == "True" or passed == 1), (row[1], col, cell)
        assert row[-3] == f"{rec['qualification_passed']} / {rec['qualification_judged']}"


def test_api_candidates_equal_the_report(signed_in, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tables = _report_tables(tmp_path)
    token = accounts.create_token(signed_in.store(), "rita", "ats", actor="test")
    r = signed_in.client.get(f"/api/v1/candidates?cohort={COHORT}", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    got = {item["candidate_id"]: item for item in r.json()}
    applicants = tables["applicants"].set_index("candidate_id")
    assert sorted(got) == sorted(applicants.index)
    for cand, rec in applicants.iterrows():
        item = got[cand]
        assert item["overall_decision"] == rec["overall_decision"]
        assert item["rank"] == rec["rank"]
        for col in ("copy-typing:msd_error_rate", "copy-typing:net_wpm", "transcription:msd_error_rate"):
            assert math.isclose(item[col], rec[col], rel_tol=1e-12), (cand, col)


def test_paging_sorting_filtering_and_search(signed_in, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tables = _report_tables(tmp_path)
    applicants = tables["applicants"]
    client = signed_in.client
    first = client.get(f"/cohorts/{COHORT}")
    assert f"Pagina 1 van 2 ({N_CANDIDATES} kandidaten)" in first.text  # page size 4 in these tests
    assert len(table_rows(first.text, "applicants")) == 4
    # sorted by the copy-typing MSD error rate, highest first, over both pages
    col = "copy-typing:msd_error_rate"
    rows = _all_rows(client, f"sort={col}&dir=desc")
    expected = applicants.sort_values(col, ascending=False, kind="stable")["candidate_id"].tolist()
    assert [r[1] for r in rows] == expected
    # filtered to each overall decision
    for decision, n in applicants["overall_decision"].value_counts().items():
        rows = _all_rows(client, f"decision={decision}")
        assert len(rows) == n and all(r[2] == DECISION_NL[decision] for r in rows)
    # searched by a piece of one candidate id (case does not matter)
    one = applicants["candidate_id"].iloc[2]
    rows = _all_rows(client, f"q={one[-3:].lower()}")
    assert [r[1] for r in rows] == [one]
    # a date after the tests: nobody
    assert _all_rows(client, "from=2999-01-01") == []
    # a task every candidate did
    assert len(_all_rows(client, "task=copy-typing")) == N_CANDIDATES


def test_unfinished_candidates_can_be_listed(signed_in) -> None:  # type: ignore[no-untyped-def]
    store = signed_in.store()
    store.ensure_candidate("LATE-0001", COHORT)
    store.start_session("LATE-0001", "quick", "sha256:abc", "ws-test", "nl")  # running: not finished
    rows = _all_rows(signed_in.client, "decision=unfinished")
    assert [r[1] for r in rows] == ["LATE-0001"]
    assert rows[0][2] == "niet afgewerkt"
    page = signed_in.client.get(f"/cohorts/{COHORT}")
    assert "niet afgewerkt: <strong>1</strong>" in page.text


def test_candidate_page_shows_attempts_verdicts_and_overrides(signed_in) -> None:  # type: ignore[no-untyped-def]
    store = signed_in.store()
    frame = store.attempts_frame(cohort=COHORT)
    cand = str(frame["candidate_id"].iloc[0])
    mine = frame[(frame["candidate_id"] == cand) & (frame["task"] == "copy-typing")].iloc[0]
    page = html.unescape(signed_in.client.get(f"/candidates/{cand}").text)
    for attempt_id in frame.loc[frame["candidate_id"] == cand, "attempt_id"]:
        assert f'id="attempt-{attempt_id}"' in page
    assert _speed_nl(mine["net_wpm"]) in page and _rate_nl(mine["msd_error_rate"]) in page
    # an override (through the store, as `typingtest override` records it) shows with its reason
    verdict = next(v for v in mine["verdicts"] if v["indicator"] == "msd_error_rate")
    store.record_override(str(mine["attempt_id"]), "msd_error_rate", not verdict["passed"],
                          "sticky key on workstation 4", "A. Peeters")
    page = html.unescape(signed_in.client.get(f"/candidates/{cand}").text)
    assert "aangepast door assessor: sticky key on workstation 4 — A. Peeters" in page  # label("overridden")
    # the cohort page's cache sees the override at once: the mark changed
    rows = {r[1]: r for r in _all_rows(signed_in.client, "sort=candidate_id")}
    assert "*" in rows[cand][4 + 1]  # copy-typing MSD error rate is the second figure column


def test_api_needs_a_valid_token_of_a_permitted_role(signed_in) -> None:  # type: ignore[no-untyped-def]
    client, store = signed_in.client, signed_in.store()
    cand = str(store.attempts_frame(cohort=COHORT)["candidate_id"].iloc[0])
    r = client.get("/api/v1/cohorts")  # the browser session does not open the API
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert client.get("/api/v1/cohorts", headers={"Authorization": "Bearer tt_wrong"}).status_code == 401
    assert client.get("/api/v1/cohorts", headers={"Authorization": "Basic abc"}).status_code == 401
    token = accounts.create_token(store, "rita", "ats", actor="test")
    r = client.get("/api/v1/cohorts", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    assert [(c["cohort"], c["candidates"]) for c in r.json()] == [(COHORT, N_CANDIDATES)]
    signed_in.add("tom", "trainer")
    trainer = accounts.create_token(store, "tom", "lms", actor="test")
    assert client.get("/api/v1/cohorts", headers={"Authorization": f"Bearer {trainer}"}).status_code == 403
    r = client.get(f"/api/v1/candidates/{cand}", headers={"Authorization": f"Bearer {trainer}"})
    assert r.status_code == 200
    body = r.json()
    assert body["candidate_id"] == cand and set(body["overall_decision"]) == {"quick"}
    assert len(body["attempts"]) == len(store.attempts_frame(candidate=cand, include_practice=True))
    assert all(a["verdicts"] for a in body["attempts"] if not a["practice"])
    assert client.get("/api/v1/candidates/NOBODY", headers={"Authorization": f"Bearer {trainer}"}).status_code == 404
    token_id = accounts.list_tokens(store, "rita")[0].token_id
    accounts.revoke_token(store, token_id, actor="test")
    assert client.get("/api/v1/cohorts", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_openapi_lists_only_read_endpoints(console) -> None:  # type: ignore[no-untyped-def]
    r = console.client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    assert sorted(paths) == ["/api/v1/candidates", "/api/v1/candidates/{candidate_id}", "/api/v1/cohorts"]
    assert {method for ops in paths.values() for method in ops} == {"get"}


def test_attempt_page_embeds_the_replay_and_the_call_timeline(signed_in) -> None:  # type: ignore[no-untyped-def]
    import json
    import re

    store = signed_in.store()
    frame = store.attempts_frame(cohort=COHORT)
    cand = str(frame["candidate_id"].iloc[0])
    mine = frame[frame["candidate_id"] == cand].set_index("task")
    copy_id, call_id = str(mine.loc["copy-typing", "attempt_id"]), str(mine.loc["call", "attempt_id"])
    r = signed_in.client.get(f"/candidates/{cand}/attempts/{copy_id}")
    assert r.status_code == 200 and '<script src="/static/replay.js" defer></script>' in r.text
    data = json.loads(re.search(r'<script type="application/json" id="replay-data">(.*?)</script>', r.text,
                                re.S).group(1))  # type: ignore[union-attr]
    assert data["attempt_id"] == copy_id and data["final"] == mine.loc["copy-typing", "transcribed"]
    r = signed_in.client.get(f"/candidates/{cand}/attempts/{call_id}")
    assert r.status_code == 200 and 'id="timeline"' in r.text and "De telefoon gaat over" in r.text
    other = str(frame.loc[frame["candidate_id"] != cand, "attempt_id"].iloc[0])
    r = signed_in.client.get(f"/candidates/{cand}/attempts/{other}")  # another candidate's attempt
    assert r.status_code == 404 and f"Er is geen poging met id {other} bij deze kandidaat." in r.text
    assert signed_in.client.get("/static/replay.js").status_code == 200
