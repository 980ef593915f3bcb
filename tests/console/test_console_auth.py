"""Sign-in, roles, CSRF, rate limiting, idle time-out, error pages, database down (issue 12)."""

from __future__ import annotations

import html
import re
import socket

import pytest
from console_testkit import COHORT, PASSWORDS, csrf_of, sign_in
from sqlalchemy import create_engine

from typingtest.store import accounts


def _candidate(console) -> str:  # type: ignore[no-untyped-def]
    return str(console.store().attempts_frame(cohort=COHORT)["candidate_id"].iloc[0])


def test_not_signed_in_goes_to_the_sign_in_page(console) -> None:  # type: ignore[no-untyped-def]
    r = console.client.get("/cohorts/" + COHORT + "?sort=rank")
    assert r.status_code == 303
    assert r.headers["location"] == "/signin?next=%2Fcohorts%2Fsim-con%3Fsort%3Drank"


def test_sign_in_sets_a_strict_http_only_cookie_and_goes_back(console) -> None:  # type: ignore[no-untyped-def]
    console.add("rita", "recruiter")
    r = sign_in(console.client, "rita", PASSWORDS["recruiter"], "/cohorts")
    assert r.status_code == 303 and r.headers["location"] == "/cohorts"
    cookie = r.headers["set-cookie"]
    assert "tt_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Secure" not in cookie  # plain http here; over https see the next test
    assert console.client.get("/cohorts").status_code == 200


def test_cookie_is_secure_over_https(console) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    console.add("rita", "recruiter")
    with TestClient(console.app, base_url="https://testserver", follow_redirects=False) as client:
        r = sign_in(client, "rita", PASSWORDS["recruiter"])
    assert r.status_code == 303
    assert "Secure" in r.headers["set-cookie"]


def test_sign_in_refuses_a_wrong_password_in_dutch(console) -> None:  # type: ignore[no-untyped-def]
    console.add("rita", "recruiter")
    r = sign_in(console.client, "rita", "not-the-password")
    assert r.status_code == 401
    assert "Verkeerde naam of verkeerd wachtwoord." in r.text
    assert "tt_session" not in r.headers.get("set-cookie", "")


def test_an_open_redirect_is_refused(console) -> None:  # type: ignore[no-untyped-def]
    console.add("rita", "recruiter")
    r = sign_in(console.client, "rita", PASSWORDS["recruiter"], "//evil.example/x")
    assert r.headers["location"] == "/"


@pytest.mark.parametrize(("role", "path", "status"), [
    ("recruiter", "/cohorts", 200),
    ("recruiter", f"/cohorts/{COHORT}", 200),
    ("recruiter", "/candidates/{cand}", 200),
    ("admin", f"/cohorts/{COHORT}", 200),
    ("trainer", "/cohorts", 403),
    ("trainer", f"/cohorts/{COHORT}", 403),
    ("trainer", "/candidates/{cand}", 200),
    ("proctor", "/cohorts", 403),
    ("proctor", "/candidates/{cand}", 403),
])
def test_each_role_is_allowed_or_refused(console, role: str, path: str, status: int) -> None:  # type: ignore[no-untyped-def]
    console.add("someone", role)
    assert sign_in(console.client, "someone", PASSWORDS[role]).status_code == 303
    r = console.client.get(path.format(cand=_candidate(console)))
    assert r.status_code == status
    if status == 403:
        assert "Geen toegang" in r.text and f"Uw rol ({ {'trainer': 'trainer', 'proctor': 'toezichter'}[role] })" \
            in r.text.replace("( ", "(").replace(" )", ")")


def test_navigation_follows_the_role(console) -> None:  # type: ignore[no-untyped-def]
    console.add("tom", "trainer")
    sign_in(console.client, "tom", PASSWORDS["trainer"])
    page = console.client.get("/")
    assert page.status_code == 200
    assert 'href="/cohorts"' not in page.text  # a trainer has no cohorts link
    console.client.cookies.clear()
    console.add("rita", "recruiter")
    sign_in(console.client, "rita", PASSWORDS["recruiter"])
    assert 'href="/cohorts"' in console.client.get("/cohorts").text


# ---- CSRF ------------------------------------------------------------------------------


def test_forms_without_the_csrf_token_are_refused(console) -> None:  # type: ignore[no-untyped-def]
    console.add("rita", "recruiter")
    page = console.client.get("/signin")
    good = csrf_of(page.text)
    # sign-in: no token, a wrong token
    r = console.client.post("/signin", data={"name": "rita", "password": PASSWORDS["recruiter"]})
    assert r.status_code == 403 and "Formulier geweigerd" in r.text
    r = console.client.post("/signin", data={"csrf_token": good[::-1], "name": "rita",
                                             "password": PASSWORDS["recruiter"]})
    assert r.status_code == 403
    # signed in: sign-out needs the session's token, not the pre-session one
    assert console.client.post("/signin", data={"csrf_token": good, "name": "rita",
                                                "password": PASSWORDS["recruiter"]}).status_code == 303
    page = console.client.get("/cohorts")
    session_token = csrf_of(page.text)
    assert session_token != good
    assert console.client.post("/signout", data={}).status_code == 403
    assert console.client.post("/signout", data={"csrf_token": good}).status_code == 403
    assert console.client.get("/cohorts").status_code == 200  # still signed in
    r = console.client.post("/signout", data={"csrf_token": session_token})
    assert r.status_code == 303 and r.headers["location"] == "/signin"
    assert console.client.get("/cohorts").status_code == 303  # signed out: the session is gone


# ---- rate limit and idle time-out ---------------------------------------------------------


def test_sign_in_is_rate_limited_per_account(console) -> None:  # type: ignore[no-untyped-def]
    console.add("rita", "recruiter")
    for _ in range(5):
        assert sign_in(console.client, "rita", "wrong-password").status_code == 401
    r = sign_in(console.client, "rita", PASSWORDS["recruiter"])  # the right password, refused now
    assert r.status_code == 429
    assert "Te veel mislukte aanmeldpogingen. Probeer opnieuw over 15 minuten." in r.text
    console.clock.advance(minutes=15, seconds=1)  # the failures leave the 15-minute window
    assert sign_in(console.client, "rita", PASSWORDS["recruiter"]).status_code == 303


def test_sign_in_is_rate_limited_per_address(console) -> None:  # type: ignore[no-untyped-def]
    console.add("rita", "recruiter")
    for i in range(5):  # five different names from one address
        assert sign_in(console.client, f"guess{i}", "wrong-password").status_code == 401
    assert sign_in(console.client, "rita", PASSWORDS["recruiter"]).status_code == 429
    # the store's check, from another address: the account itself has no failures
    result = accounts.sign_in(console.store(), "rita", PASSWORDS["recruiter"], "10.0.0.9", now=console.clock())
    assert result.account is not None and result.account.name == "rita"


def test_idle_session_expires(console) -> None:  # type: ignore[no-untyped-def]
    console.add("rita", "recruiter")
    sign_in(console.client, "rita", PASSWORDS["recruiter"])
    console.clock.advance(minutes=29)
    assert console.client.get("/cohorts").status_code == 200  # used within 30 min: the clock restarts
    console.clock.advance(minutes=29)
    assert console.client.get("/cohorts").status_code == 200
    console.clock.advance(minutes=30, seconds=1)
    r = console.client.get("/cohorts")
    assert r.status_code == 303 and r.headers["location"].startswith("/signin")


def test_a_disabled_account_is_signed_out_and_cannot_sign_in(console) -> None:  # type: ignore[no-untyped-def]
    console.add("rita", "recruiter")
    sign_in(console.client, "rita", PASSWORDS["recruiter"])
    accounts.disable_account(console.store(), "rita", actor="test")
    assert console.client.get("/cohorts").status_code == 303
    assert sign_in(console.client, "rita", PASSWORDS["recruiter"]).status_code == 401


# ---- error pages ------------------------------------------------------------------------


def test_unknown_cohort_candidate_and_page_give_a_dutch_404(console) -> None:  # type: ignore[no-untyped-def]
    console.add("rita", "recruiter")
    sign_in(console.client, "rita", PASSWORDS["recruiter"])
    r = console.client.get("/cohorts/no-such-cohort")
    assert r.status_code == 404
    assert "Niet gevonden" in r.text and "Er is geen cohort met de naam no-such-cohort." in r.text
    r = console.client.get("/candidates/NOBODY-1")
    assert r.status_code == 404 and "Er is geen kandidaat met id NOBODY-1." in r.text
    r = console.client.get("/no/such/page")
    assert r.status_code == 404 and "Deze pagina bestaat niet." in r.text
    assert 'href="/cohorts"' in r.text  # signed in: the navigation is there
    # in French after switching the language
    assert console.client.get("/lang/fr?next=/cohorts").status_code == 303
    r = console.client.get("/cohorts/no-such-cohort")
    assert r.status_code == 404 and "Il n'y a pas de cohorte no-such-cohort." in html.unescape(r.text)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_database_down_page_and_recovery(console) -> None:  # type: ignore[no-untyped-def]
    console.add("rita", "recruiter")
    sign_in(console.client, "rita", PASSWORDS["recruiter"])
    assert console.client.get(f"/cohorts/{COHORT}").status_code == 200
    store = console.store()
    working = store.engine
    store.engine = create_engine(f"postgresql+psycopg://tt@127.0.0.1:{_closed_port()}/x",
                                 connect_args={"connect_timeout": 2})
    try:
        r = console.client.get(f"/cohorts/{COHORT}")
        assert r.status_code == 503
        assert "Database niet bereikbaar" in r.text and "De console blijft draaien" in r.text
        assert console.client.get("/api/v1/cohorts", headers={"Authorization": "Bearer x"}).status_code == 503
    finally:
        store.engine.dispose()
        store.engine = working
    assert console.client.get(f"/cohorts/{COHORT}").status_code == 200  # back: the same session works


def test_console_starts_while_the_database_is_down(console) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from typingtest.console.app import create_app

    down = f"postgresql://tt:secretpw@127.0.0.1:{_closed_port()}/x"
    app = create_app(down, settings=console.settings)
    with TestClient(app, follow_redirects=False) as client:
        page = client.get("/signin")
        assert page.status_code == 200  # the sign-in page needs no database
        r = client.post("/signin", data={"csrf_token": csrf_of(page.text), "name": "rita", "password": "x" * 12})
        assert r.status_code == 503 and "Database niet bereikbaar" in r.text
        assert "secretpw" not in r.text
        app.state.console.db_url = console.url  # the database is back (here: another URL): opened again
        console.add("rita", "recruiter")
        assert sign_in(client, "rita", PASSWORDS["recruiter"]).status_code == 303


def test_a_sign_in_form_with_an_empty_field_comes_back_marked(console) -> None:  # type: ignore[no-untyped-def]
    page = console.client.get("/signin")
    r = console.client.post("/signin", data={"csrf_token": csrf_of(page.text), "name": "rita", "password": ""})
    assert r.status_code == 400 and "Vul naam en wachtwoord in." in r.text
    assert re.search(r'<input id="password"[^>]*aria-invalid="true"', r.text)
    assert 'value="rita"' in r.text  # the name stays filled in
