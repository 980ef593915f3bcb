"""The compare page shows what ``typingtest compare`` computes (issue 12): the expected values are read
from the ``compare.csv`` and ``ranking.csv`` that ``typingtest compare --cohort C --out DIR`` writes
for the same candidates, and formatted here by hand (Dutch: decimal comma; percentiles as
"P<whole number>"; the mean percentile with one decimal)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from console_testkit import COHORT, N_CANDIDATES, PASSWORDS, csrf_of, sign_in, table_rows

from typingtest.cli import main

#: the overall decisions' Dutch words (typingtest/texts/reports.py, decision_*)
DECISION_NL = {"pass": "geslaagd", "fail": "niet geslaagd", "borderline": "grensgeval (hertest aanbevolen)",
               "insufficient": "onvoldoende gegevens"}


def _as(console: Any, role: str) -> Any:
    """The console's client signed in with a new account of ``role`` (named after it)."""
    console.add(role, role)
    assert sign_in(console.client, role, PASSWORDS[role]).status_code == 303
    return console.client


def _ids(console: Any) -> list[str]:
    return sorted(set(console.store().attempts_frame(cohort=COHORT)["candidate_id"].astype(str)))


def _query(ids: list[str], **extra: str) -> str:
    from urllib.parse import urlencode

    return "/compare?" + urlencode([("cohort", COHORT), *(("candidate", c) for c in ids), *extra.items()])


@pytest.mark.parametrize(("role", "status"), [("recruiter", 200), ("admin", 200), ("trainer", 403),
                                              ("proctor", 403)])
def test_compare_roles(console, role: str, status: int) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, role)
    assert client.get("/compare").status_code == status
    assert client.get(_query(_ids(console)[:2])).status_code == status


def test_compare_needs_sign_in(console) -> None:  # type: ignore[no-untyped-def]
    r = console.client.get("/compare")
    assert r.status_code == 303 and r.headers["location"].startswith("/signin")


def test_compare_page_equals_the_compare_command(console, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from typingtest.analysis.compare import format_value
    from typingtest.analysis.labels import indicator_label, label

    client = _as(console, "recruiter")
    chosen = _ids(console)[:3]
    out = tmp_path / "cmp"
    assert main(["compare", *chosen, "--cohort", COHORT, "--out", str(out)]) == 0
    ranking = pd.read_csv(out / "ranking.csv", dtype={"candidate_id": str})
    values = pd.read_csv(out / "compare.csv", dtype={"candidate_id": str})

    r = client.get(_query(chosen))
    assert r.status_code == 200
    text = html.unescape(r.text)
    # the ranking: order, decision, thresholds met, mean percentile (one decimal, comma)
    rows = table_rows(text, "ranking")
    assert [row[1] for row in rows] == list(ranking["candidate_id"])
    for row, rec in zip(rows, ranking.to_dict("records"), strict=True):
        assert row[0] == str(rec["rank"])
        assert row[2] == DECISION_NL[rec["overall_decision"]]
        assert row[3] == f"{rec['qualification_passed']} / {rec['qualification_judged']}"
        assert row[4] == f"{rec['thresholds_passed']} / {rec['thresholds_judged']}"
        assert row[5] == f"{rec['mean_percentile']:.1f}".replace(".", ",")
    # the side-by-side cells: each candidate's value and percentile rank of every judged indicator
    side = table_rows(text, "side-by-side")
    order = list(ranking["candidate_id"])
    by_row = {row[0]: row[1:] for row in side}  # the competence is a row-group heading (th), not a cell
    assert len(values) > 0
    for rec in values.to_dict("records"):
        name = f"{label(rec['task'], 'nl')}: {indicator_label(rec['indicator'], 'nl')}"
        cell = by_row[name][order.index(rec["candidate_id"])]
        shown = format_value(rec["indicator"], rec["value"]).replace(".", ",")
        assert cell.startswith(shown), (name, cell, shown)
        assert f"P{rec['percentile']:.0f} (cohort {COHORT}, n={rec['percentile_n']})" in cell
    # the reference group is named: the cohort (all its candidates), not the three compared
    assert set(values["percentile_n"]) == {N_CANDIDATES}
    assert f"referentiegroep: cohort {COHORT} (n = {N_CANDIDATES} kandidaten)" in text
    # the ranking rule is written out
    assert label("ranking_rule_text", "nl") in text


def test_compare_with_a_named_norm_group_equals_the_command(console, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, "recruiter")
    chosen = _ids(console)[1:3]
    out = tmp_path / "cmp"
    assert main(["compare", *chosen, "--cohort", COHORT, "--norm", COHORT, "--out", str(out)]) == 0
    ranking = pd.read_csv(out / "ranking.csv", dtype={"candidate_id": str})
    r = client.get(_query(chosen, norm=COHORT))
    assert r.status_code == 200
    rows = table_rows(html.unescape(r.text), "ranking")
    assert [row[1] for row in rows] == list(ranking["candidate_id"])
    assert [row[5] for row in rows] == [f"{v:.1f}".replace(".", ",") for v in ranking["mean_percentile"]]


def test_compare_from_the_form_field(console) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, "recruiter")
    chosen = _ids(console)[:2]
    r = client.get("/compare", params={"cohort": COHORT, "ids": " , ".join(chosen), "go": "1"})
    assert r.status_code == 200
    assert sorted(row[1] for row in table_rows(r.text, "ranking")) == chosen


@pytest.mark.parametrize("n", [0, 1, 11])
def test_too_few_or_too_many_give_the_form_marked(console, n: int) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, "recruiter")
    ids = _ids(console)
    chosen = (ids * 2)[:n] if n <= len(ids) else [*ids, *(f"X-{i}" for i in range(n - len(ids)))]
    r = client.get(_query(chosen, go="1"))
    assert r.status_code == 400
    assert 'id="candidate-field" class="invalid" aria-invalid="true"' in r.text
    assert ("Kies minstens 2 kandidaten" if n < 2 else "Kies hoogstens 10 kandidaten") in r.text
    assert 'id="ranking"' not in r.text


def test_an_unknown_candidate_or_norm_is_marked(console) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, "recruiter")
    r = client.get(_query([_ids(console)[0], "NOPE-999"]))
    assert r.status_code == 400 and "NOPE-999" in r.text and 'class="invalid"' in r.text
    r = client.get(_query(_ids(console)[:2], norm="no-such-cohort"))
    assert r.status_code == 400 and 'aria-describedby="norm-error"' in r.text


def test_an_unknown_cohort_is_a_404_page(console) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, "recruiter")
    r = client.get("/compare?cohort=no-such-cohort")
    assert r.status_code == 404 and "Er is geen cohort met de naam no-such-cohort." in html.unescape(r.text)


def test_the_form_lists_the_cohorts_candidates(console) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, "recruiter")
    r = client.get(f"/compare?cohort={COHORT}")
    assert r.status_code == 200
    for c in _ids(console):
        assert f'name="candidate" value="{c}"' in r.text
    assert csrf_of(r.text)  # the page carries the sign-out form's token (no POST form of its own)
