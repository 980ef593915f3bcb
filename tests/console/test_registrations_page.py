"""The registrations page (issue 13): recruiters and admins register one candidate or upload a CSV
file (multipart; all rows or none, one line per mistake), see the codes grouped (ABC-DEF), cancel;
proctors see the list and allow a used code once more; trainers get 403; a form without the CSRF
token is refused; every write is audited with the signed-in account."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from console_testkit import PASSWORDS, csrf_of, sign_in, table_rows
from sqlalchemy import select

from typingtest.store import registrations as R
from typingtest.store import schema as S

CODE = re.compile(r"\b[AFJKMRUX2-9]{3}-[AFJKMRUX2-9]{3}\b")


def _as(console: Any, role: str) -> Any:
    console.add(role, role)
    assert sign_in(console.client, role, PASSWORDS[role]).status_code == 303
    return console.client


def _token(client: Any, path: str = "/registrations") -> str:
    """The session's CSRF token, from a page the account may see."""
    return csrf_of(client.get(path).text)


@pytest.mark.parametrize(("role", "get", "post"), [("recruiter", 200, 200), ("admin", 200, 200),
                                                    ("proctor", 200, 403), ("trainer", 403, 403)])
def test_roles(console, role: str, get: int, post: int) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, role)
    page = client.get("/registrations")
    assert page.status_code == get
    seen = "/registrations" if get == 200 else "/trainees"
    assert ('href="/registrations"' in client.get(seen).text) is (get == 200)  # the navigation link
    r = client.post("/registrations", data={"csrf_token": _token(client, seen), "id": "C-ROLE", "battery": "quick"})
    assert r.status_code == post
    if get == 200:
        assert ('id="add-registration"' in page.text) is (post == 200)  # no add form for a proctor


def test_a_form_without_the_csrf_token_is_refused(console) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, "recruiter")
    r = client.post("/registrations", data={"id": "C-CSRF", "battery": "quick"})
    assert r.status_code == 403
    r = client.post("/registrations/import", files={"file": ("r.csv", b"id,battery\nC-CSRF,quick\n", "text/csv")})
    assert r.status_code == 403
    assert R.list_registrations(console.store()) == []


def test_add_one_shows_its_code_grouped_and_lists_it(console) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, "recruiter")
    r = client.post("/registrations", data={"csrf_token": _token(client), "id": "C-WEB-1", "battery": "quick",
                                            "extra_time": "1,25", "font_scale": "1.5", "high_contrast": "1",
                                            "name": "An Peeters", "email": "an@example.be"})
    assert r.status_code == 200, r.text[:400]
    new = table_rows(r.text, "new-registrations")
    assert len(new) == 1 and new[0][0] == "C-WEB-1" and CODE.fullmatch(new[0][2])
    (reg,) = R.list_registrations(console.store())
    assert reg.code == new[0][2] and reg.extra_time == 1.25 and reg.font_scale == 1.5 and reg.high_contrast
    assert reg.created_by == "recruiter"
    listed = table_rows(client.get("/registrations?show=open").text, "registrations")
    assert [row[0] for row in listed] == [reg.code]
    assert "An Peeters" not in client.get("/registrations").text  # contact details are kept apart
    audit = console.store().audit_frame()
    added = audit[audit["action"] == "registration-added"]
    assert list(added["actor"]) == ["recruiter"]


def test_a_bad_field_shows_the_form_again_marked(console) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, "admin")
    r = client.post("/registrations", data={"csrf_token": _token(client), "id": "C-WEB-2", "battery": "quick",
                                            "extra_time": "0.5"})
    assert r.status_code == 400
    assert 'id="reg-extra_time-error"' in r.text and "extra_time" in r.text
    assert R.list_registrations(console.store()) == []


def test_csv_upload_all_or_nothing(console) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, "recruiter")
    bad = (b"id;name;email;battery;extra_time\n"
           b"C-CSV-1;An;an@example.be;quick;1,5\n"
           b"C CSV 2;Bert;bert@example.be;quick;1\n"
           b"C-CSV-3;Cis;cis@example.be;nope;1\n")
    r = client.post("/registrations/import", data={"csrf_token": _token(client)},
                    files={"file": ("invite.csv", bad, "text/csv")})
    assert r.status_code == 400
    problems = re.findall(r"<li><code>([^<]*)</code></li>", r.text)
    assert len(problems) == 2
    assert problems[0].startswith("invite.csv:3: id: ") and problems[1].startswith("invite.csv:4: battery: ")
    assert R.list_registrations(console.store()) == []  # nothing imported

    good = bad.replace(b"C CSV 2", b"C-CSV-2").replace(b"nope", b"quick")
    r = client.post("/registrations/import", data={"csrf_token": _token(client)},
                    files={"file": ("invite.csv", good, "text/csv")})
    assert r.status_code == 200, r.text[:400]
    new = table_rows(r.text, "new-registrations")
    assert [row[0] for row in new] == ["C-CSV-1", "C-CSV-2", "C-CSV-3"]
    assert all(CODE.fullmatch(row[2]) for row in new)
    assert len({row[2] for row in new}) == 3
    assert {g.candidate_id: g.extra_time for g in R.list_registrations(console.store())}["C-CSV-1"] == 1.5


def test_cancel_then_a_proctor_allows_a_used_code(console) -> None:  # type: ignore[no-untyped-def]
    store = console.store()
    one = R.add_registration(store, "C-WEB-3", "quick", actor="test")
    two = R.add_registration(store, "C-WEB-4", "quick", actor="test")
    client = _as(console, "recruiter")
    r = client.post(f"/registrations/{one.code}/cancel", data={"csrf_token": _token(client)})
    assert r.status_code == 303
    assert R.find_registration(store, one.code).state == "cancelled"  # type: ignore[union-attr]
    client.post("/signout", data={"csrf_token": _token(client)})

    R.mark_used(store, two, "session-1", workstation="ws-1")
    proctor = _as(console, "proctor")
    token = _token(proctor)
    assert proctor.post(f"/registrations/{two.code}/cancel", data={"csrf_token": token}).status_code == 403
    r = proctor.post(f"/registrations/{two.code}/allow", data={"csrf_token": token, "mode": "retake", "reason": ""})
    assert r.status_code == 400  # a reason is required
    r = proctor.post(f"/registrations/{two.code}/allow", data={"csrf_token": token, "mode": "retake",
                                                               "reason": "power cut"})
    assert r.status_code == 303
    again = R.find_registration(store, two.code)
    assert again is not None and again.allow_again == "retake" and again.allowed_by == "proctor"
    audit = store.audit_frame()
    allowed = audit[audit["action"] == "registration-allowed"]
    assert list(allowed["actor"]) == ["proctor"]
    assert proctor.post("/registrations/AAA-AAA/allow", data={"csrf_token": token, "mode": "retake",
                                                              "reason": "x"}).status_code == 404


def test_registered_in_the_console_then_the_code_at_a_headless_workstation(console) -> None:  # type: ignore[no-untyped-def]
    """The issue's end-to-end check, on SQLite and on the PostgreSQL server: a registration made in
    the console with extra time 1.25 gives the default battery's 5:00 copy task a 6:15 limit (300 s
    x 1.25 = 375 s, passages/batteries/default.toml), font scale and contrast in the stored attempt;
    the used code and an expired one are refused with one line."""
    from datetime import timedelta

    import pygame

    from typingtest.config import Settings
    from typingtest.store import open_store
    from typingtest.workstation.driver import Driver
    from typingtest.workstation.intake import LAYOUT_CHECK_TEXTS

    client = _as(console, "recruiter")
    r = client.post("/registrations", data={"csrf_token": _token(client), "id": "C-E2E-1", "battery": "default",
                                            "extra_time": "1.25", "font_scale": "1.5", "high_contrast": "1"})
    assert r.status_code == 200, r.text[:400]
    code = table_rows(r.text, "new-registrations")[0][2]
    settings = Settings(results_dir=console.results, db_url=console.url, intake="access-code")
    store = open_store(settings)
    try:
        d = Driver.open(settings, store, battery="quick")  # the workstation's own battery: the code replaces it
        d.type(code, 0.05)
        d.key(pygame.K_RETURN)
        assert d.scene.page == "consent" and d.session.battery_id == "default"
        copy = next(s for s in d.session.specs if s.item_id == "nl-copy-01")
        assert copy.time_limit_s == 375.0  # 6:15
        d.click("agree")
        d.type(LAYOUT_CHECK_TEXTS[d.scene.keyboard_layout], 0.1)
        d.key(pygame.K_RETURN)
        d.wait(1.5)
        d.type(d.scene.headset_word, 0.1)
        d.key(pygame.K_RETURN)
        d.start_task()
        d.type("Geachte", 0.2)
        d.finish()
        with store.engine.connect() as conn:
            metas = list(conn.execute(select(S.attempts.c.meta)
                                      .where(S.attempts.c.session_id == d.session.session_id)).scalars())
        assert len(metas) == 1
        meta = json.loads(metas[0])
        assert meta["extra_time"] == 1.25
        assert meta["registration"]["font_scale"] == 1.5 and meta["registration"]["high_contrast"] is True
        d.session.abort("window-closed")

        d2 = Driver.open(settings, store, battery="quick")
        d2.type(code, 0.05)
        d2.key(pygame.K_RETURN)
        assert d2.scene.page == "code" and d2.scene.widget("feedback").text == d2.app.tr("code_used")
        old = R.add_registration(store, "C-E2E-2", "quick", now=console.clock.now - timedelta(days=31))
        d2.select_all()
        d2.type(old.code, 0.05)
        d2.key(pygame.K_RETURN)
        assert d2.scene.page == "code" and d2.scene.widget("feedback").text.startswith("Deze code is verlopen op ")
    finally:
        store.close()


def test_the_page_shows_the_last_valid_day_and_takes_german(console) -> None:  # type: ignore[no-untyped-def]
    """``expires`` 2099-12-31 is the last valid day: the page shows that day (as ``registration list`` does),
    not 2100-01-01, the day the code runs out at midnight; ``de`` is a content language and is taken."""
    client = _as(console, "recruiter")
    r = client.post("/registrations", data={"csrf_token": _token(client), "id": "C-WEB-DE", "battery": "quick",
                                            "language": "de", "expires": "2099-12-31"})
    assert r.status_code == 200, r.text
    (reg,) = R.list_registrations(console.store())
    assert reg.language == "de" and reg.last_day is not None and reg.last_day.isoformat() == "2099-12-31"
    page = client.get("/registrations").text
    assert re.search(r"31[-/]12[-/]2099|2099-12-31", page) and not re.search(r"01[-/]01[-/]2100|2100-01-01", page)
