"""The candidate page's writes and downloads (issue 12): an override through the form reaches the candidate
page, ``report``'s tables, ``export``, the API and the audit log with the signed-in account; who may
override; CSRF; a missing reason marked; the applicant PDF; the attempt page's typed-against-presented
view; the cohort page's compare checkboxes. On SQLite and PostgreSQL (the ``console`` fixture).

Expected values come from the files the CLI writes for the same database after the override
(``typingtest export``, ``typingtest report --tables csv``, ``typingtest compare ID --cohort C --out``),
and from ``typingtest.analysis.decisions``' rule that a failed qualification verdict makes the
overall decision "fail" (checked here as a change from a non-fail decision).
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from console_testkit import COHORT, PASSWORDS, csrf_of, sign_in

from typingtest.cli import main
from typingtest.store import accounts

REASON = "sticky key on workstation 4, retyped under supervision"


@pytest.fixture
def recruiter(console):  # type: ignore[no-untyped-def]
    console.add("rita", "recruiter")
    assert sign_in(console.client, "rita", PASSWORDS["recruiter"]).status_code == 303
    return console


def _export(tmp: Path) -> pd.DataFrame:
    out = tmp / f"export-{len(list(tmp.glob('export-*')))}.csv"
    assert main(["export", "--cohort", COHORT, "--format", "csv", "--out", str(out)]) == 0
    return pd.read_csv(out, dtype={"candidate_id": str, "attempt_id": str})


def _pick(frame: pd.DataFrame) -> tuple[str, str, str]:
    """(candidate, attempt, indicator): a passed copy-typing MSD verdict of a candidate whose overall decision
    is not "fail", so that overriding it to a fail changes the overall decision."""
    rows = frame[(frame["task"] == "copy-typing") & (frame["verdict_msd_error_rate"] == "pass")
                 & (frame["overall_decision"] != "fail")]
    assert not rows.empty, "the simulated cohort (seed 16) has such a candidate: 002, 003, 006"
    row = rows.iloc[0]
    return str(row["candidate_id"]), str(row["attempt_id"]), "msd_error_rate"


def _form_post(client: Any, cand: str, **fields: str) -> Any:
    page = client.get(f"/candidates/{cand}")
    assert page.status_code == 200
    return client.post(f"/candidates/{cand}/overrides", data={"csrf_token": csrf_of(page.text), **fields})


def test_override_through_the_form_reaches_page_report_export_api_and_audit(recruiter, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    client, store = recruiter.client, recruiter.store()
    before = _export(tmp_path)
    cand, aid, ind = _pick(before)
    was = str(before.loc[before["candidate_id"] == cand, "overall_decision"].iloc[0])
    page = client.get(f"/candidates/{cand}").text
    # one override form per verdict, posting to the candidate's overrides
    assert page.count('<details class="override">') == sum(
        len(v or []) for v in store.attempts_frame(candidate=cand, include_practice=True)["verdicts"])
    assert f'<form class="override-form" method="post" action="/candidates/{cand}/overrides">' in page
    assert 'id="overall-decision"' in page and f'data-decision="{was}"' in page
    assert "name=\"assessor\"" not in page  # the account is the assessor: no typed name

    r = _form_post(client, cand, attempt_id=aid, indicator=ind, decision="fail", reason=f"  {REASON} ")
    assert r.status_code == 303 and r.headers["location"] == f"/candidates/{cand}#attempt-{aid}"

    # export (the same store function `typingtest export` calls): verdict, override columns, overall decision
    after = _export(tmp_path)
    row = after[after["attempt_id"] == aid].iloc[0]
    assert (row[f"verdict_{ind}"], row[f"verdict_{ind}_stored"]) == ("fail", "pass")
    assert (row["override_reason"], row["override_by"]) == (REASON, "rita")
    now = str(row["overall_decision"])
    assert now == "fail" != was

    # the candidate page: the override with reason, account and time; the overall decision changed
    page = html.unescape(client.get(f"/candidates/{cand}").text)
    assert f"aangepast door assessor: {REASON} — rita, " in page  # label("overridden"), then the local time
    assert f'data-decision="{now}"' in page.split('id="overall-decision"', 1)[1].split("</p>", 1)[0]
    assert re.search(rf'id="attempt-{aid}".*?<td class="t fail">niet geslaagd', page, re.S)

    # the report's tables (`typingtest report --tables csv`)
    out = tmp_path / "report" / "report.html"
    assert main(["report", "--cohort", COHORT, "--out", str(out), "--tables", "csv"]) == 0
    applicants = pd.read_csv(out.parent / "report_applicants.csv", dtype={"candidate_id": str}).set_index(
        "candidate_id")
    assert applicants.loc[cand, "overall_decision"] == now
    assert bool(applicants.loc[cand, f"copy-typing:{ind}:overridden"]) is True
    overrides = pd.read_csv(out.parent / "report_overrides.csv", dtype={"candidate_id": str})
    mine = overrides[overrides["override_reason"] == REASON]
    assert len(mine) == 1 and mine.iloc[0]["override_by"] == "rita"

    # the API
    token = accounts.create_token(store, "rita", "ats", actor="test")
    body = client.get(f"/api/v1/candidates/{cand}", headers={"Authorization": f"Bearer {token}"}).json()
    assert set(body["overall_decision"].values()) == {now}
    assert [(o["attempt_id"], o["indicator"], o["passed"], o["reason"], o["assessor"]) for o in body["overrides"]] \
        == [(aid, ind, False, REASON, "rita")]
    assert next(a for a in body["attempts"] if a["attempt_id"] == aid)[f"verdict_{ind}"] == "fail"

    # the audit log: the account is the actor
    audit = store.audit_frame()
    entry = audit[(audit["action"] == "overrode") & (audit["object_id"] == aid)]
    assert len(entry) == 1 and entry.iloc[0]["actor"] == "rita"


def test_a_trainer_sees_no_override_form_and_is_refused(console) -> None:  # type: ignore[no-untyped-def]
    console.add("tom", "trainer")
    assert sign_in(console.client, "tom", PASSWORDS["trainer"]).status_code == 303
    frame = console.store().attempts_frame(cohort=COHORT)
    cand, aid = str(frame["candidate_id"].iloc[0]), str(frame["attempt_id"].iloc[0])
    page = console.client.get(f"/candidates/{cand}")
    assert page.status_code == 200 and 'class="override-form"' not in page.text and "report.pdf" not in page.text
    r = console.client.post(f"/candidates/{cand}/overrides", data={
        "csrf_token": csrf_of(page.text), "attempt_id": aid, "indicator": "msd_error_rate", "decision": "pass",
        "reason": REASON})
    assert r.status_code == 403
    assert console.client.get(f"/candidates/{cand}/report.pdf").status_code == 403
    assert console.store().overrides_frame().empty


def test_an_override_without_the_csrf_token_is_refused(recruiter) -> None:  # type: ignore[no-untyped-def]
    frame = recruiter.store().attempts_frame(cohort=COHORT)
    cand, aid = str(frame["candidate_id"].iloc[0]), str(frame["attempt_id"].iloc[0])
    fields = {"attempt_id": aid, "indicator": "msd_error_rate", "decision": "pass", "reason": REASON}
    assert recruiter.client.post(f"/candidates/{cand}/overrides", data=fields).status_code == 403
    r = recruiter.client.post(f"/candidates/{cand}/overrides", data={**fields, "csrf_token": "forged"})
    assert r.status_code == 403
    assert recruiter.store().overrides_frame().empty


def test_an_empty_reason_gives_the_page_again_with_the_field_marked(recruiter) -> None:  # type: ignore[no-untyped-def]
    frame = recruiter.store().attempts_frame(cohort=COHORT)
    row = frame[frame["task"] == "copy-typing"].iloc[0]
    cand, aid = str(row["candidate_id"]), str(row["attempt_id"])
    r = _form_post(recruiter.client, cand, attempt_id=aid, indicator="msd_error_rate", decision="fail", reason="  ")
    assert r.status_code == 400
    fid = f"ov-{aid}-msd_error_rate"
    assert re.search(rf'<textarea name="reason" id="{fid}-reason"[^>]* required class="invalid" aria-invalid="true"'
                     rf'[^>]* autofocus>', r.text)
    assert f'<span class="field-error" id="{fid}-error" role="alert">Geef de reden van de aanpassing.</span>' in r.text
    # only that verdict's form is open, with the decision kept
    assert r.text.count('<details class="override" open>') == 1
    opened = r.text.split('<details class="override" open>', 1)[1].split("</details>", 1)[0]
    assert f'value="{aid}"' in opened and '<option value="fail" selected>' in opened
    assert recruiter.store().overrides_frame().empty
    # no decision, and an indicator without a stored verdict: marked too, nothing stored
    r = _form_post(recruiter.client, cand, attempt_id=aid, indicator="msd_error_rate", decision="", reason=REASON)
    assert r.status_code == 400 and f'id="{fid}-decision" class="invalid"' in r.text
    r = _form_post(recruiter.client, cand, attempt_id=aid, indicator="field_error_rate", decision="pass", reason=REASON)
    assert r.status_code == 400 and "has no verdict on it" in r.text
    # an attempt of another candidate: not found
    other = str(frame.loc[frame["candidate_id"] != cand, "attempt_id"].iloc[0])
    r = _form_post(recruiter.client, cand, attempt_id=other, indicator="msd_error_rate", decision="pass",
                   reason=REASON)
    assert r.status_code == 404
    assert recruiter.store().overrides_frame().empty


def test_the_applicant_pdf_is_the_compare_commands_page(recruiter, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from typingtest.store.manifest import Needles, _pdf_text, holds

    store = recruiter.store()
    cand = str(store.attempts_frame(cohort=COHORT)["candidate_id"].iloc[0])
    page = recruiter.client.get(f"/candidates/{cand}").text
    assert f'href="/candidates/{cand}/report.pdf"' in page
    r = recruiter.client.get(f"/candidates/{cand}/report.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    assert f'filename="{cand}.pdf"' in r.headers["content-disposition"]
    got = tmp_path / "got.pdf"
    got.write_bytes(r.content)
    assert holds(got, Needles(frozenset({cand})), "pdf")
    audit = store.audit_frame()
    assert tuple(audit.iloc[-1][["action", "object_type", "actor"]]) == ("exported", "comparison", "rita")
    # the page `typingtest compare ID --cohort C --out DIR` writes (the same text; only the creation time differs)
    assert main(["compare", cand, "--cohort", COHORT, "--out", str(tmp_path / "cli")]) == 0
    strip = re.compile(r"D:\d{14}[^\n)]*")
    assert strip.sub("", _pdf_text(r.content)) == strip.sub("", _pdf_text((tmp_path / "cli" / f"{cand}.pdf")
                                                                           .read_bytes()))
    # kept as the command keeps it: in the manifest with the candidate (so erasure reaches it), audited with the account
    kept = list((recruiter.results / "applicants").glob(f"{cand}-*.pdf"))
    assert len(kept) == 1 and kept[0].read_bytes() == r.content
    assert str(kept[0].resolve()) in store_paths_holding(store, cand)
    # unknown candidate: the 404 page
    assert recruiter.client.get("/candidates/NOBODY/report.pdf").status_code == 404


def store_paths_holding(store: Any, candidate: str) -> set[str]:
    """The written-files manifest's paths that hold ``candidate``."""
    from sqlalchemy import select

    from typingtest.store import schema as S

    q = (select(S.written_files.c.path).join(S.written_file_candidates,
                                             S.written_file_candidates.c.file_id == S.written_files.c.file_id)
         .where(S.written_file_candidates.c.candidate_id == candidate))
    with store.engine.connect() as conn:
        return {str(p) for p in conn.execute(q).scalars()}


class _Text(HTMLParser):
    """The text inside the element with ``id=wanted`` (tags dropped)."""

    def __init__(self, wanted: str) -> None:
        super().__init__(convert_charrefs=True)
        self.wanted, self.depth, self.parts = wanted, 0, []  # type: ignore[var-annotated]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("id") == self.wanted:
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def _text_of(page: str, element_id: str) -> str:
    p = _Text(element_id)
    p.feed(page)
    return "".join(p.parts)


def test_the_attempt_page_marks_the_typed_text_against_the_presented(recruiter) -> None:  # type: ignore[no-untyped-def]
    from typingtest.console.replay import replay_frames

    store = recruiter.store()
    frame = store.attempts_frame(cohort=COHORT)
    rows = frame[frame["task"].isin(["copy-typing", "transcription"])]
    for row in rows.itertuples():
        frames = replay_frames(store, row.attempt_id)
        page = recruiter.client.get(f"/candidates/{row.candidate_id}/attempts/{row.attempt_id}").text
        assert 'id="typed-vs-presented"' in page and '<div data-replay="replay-data">' in page
        # every typed and every presented character is shown once, in order
        assert _text_of(page, "typed-text") == frames["final"]
        presented = unicodedata.normalize("NFC", frames["presented"])
        assert _text_of(page, "presented-text") == presented[:frames["judged_chars"]]
        left = len(presented) - frames["judged_chars"]
        assert (f"(nog {left} tekens niet bereikt; niet beoordeeld)" in page) == (left > 0)
        marks = {k: sum(len(html.unescape(m)) for m in re.findall(
            rf'<mark class="err err-{k}"[^>]*>(.*?)</mark>', page.split('id="typed-text"', 1)[1].split("</div>")[0],
            re.S)) for k in ("sub", "ins")}
        gaps = page.split('id="typed-text"', 1)[1].split("</div>")[0].count('class="err err-del"')
        assert marks["ins"] == frames["errors"]["ins"] and marks["sub"] <= frames["errors"]["sub"]
        assert gaps == sum(1 for s in frames["spans"] if s[0] == "del")
        assert f"Tekenfouten (MSD): {frames['errors']['msd']}," in page
    # a call has no single presented text: no such section
    call = frame[frame["task"] == "call"].iloc[0]
    page = recruiter.client.get(f"/candidates/{call['candidate_id']}/attempts/{call['attempt_id']}").text
    assert 'id="typed-vs-presented"' not in page and 'id="timeline"' in page


def test_the_applicants_table_has_compare_checkboxes(recruiter) -> None:  # type: ignore[no-untyped-def]
    from console_testkit import table_rows

    page = recruiter.client.get(f"/cohorts/{COHORT}?sort=candidate_id").text
    assert '<form id="compare-form" method="get" action="/compare">' in page
    assert f'<input type="hidden" name="cohort" value="{COHORT}">' in page
    shown = [r[1] for r in table_rows(page, "applicants")]
    boxes = re.findall(r'<input type="checkbox" class="pick" name="candidate" value="([^"]+)"', page)
    assert boxes == shown and len(boxes) == recruiter.settings.page_size
    form = page.split('<form id="compare-form"', 1)[1].split("</form>", 1)[0]
    assert '<table class="data applicants" id="applicants">' in form and ">Vergelijken</button>" in form
    # what the browser sends: C2's compare page receives the cohort and the ticked candidates
    r = recruiter.client.get("/compare", params=[("cohort", COHORT), ("candidate", boxes[0]),
                                                 ("candidate", boxes[1])])
    assert r.status_code == 200 and boxes[0] in r.text and boxes[1] in r.text
