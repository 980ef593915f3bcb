"""The admin pages (issue 12): accounts and API tokens, retention and purge, a candidate's export and
erasure; admin only, every POST refused without the CSRF token, every write audited with the
signed-in account as the actor, and an erasure that leaves ``typingtest verify`` clean."""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from typing import Any

import pytest
from console_testkit import COHORT, N_CANDIDATES, PASSWORDS, csrf_of, sign_in, table_rows

from typingtest.cli import main
from typingtest.store import accounts


def _as(console: Any, role: str) -> Any:
    console.add(role, role)
    assert sign_in(console.client, role, PASSWORDS[role]).status_code == 303
    return console.client


def _token(client: Any) -> str:
    return csrf_of(client.get("/admin/accounts").text)


def _ids(console: Any) -> list[str]:
    return sorted(set(console.store().attempts_frame(cohort=COHORT)["candidate_id"].astype(str)))


def _audit(console: Any, action: str) -> Any:
    audit = console.store().audit_frame()
    return audit[audit["action"] == action]


ADMIN_PAGES = ("/admin", "/admin/accounts", "/admin/retention", "/admin/candidates")


@pytest.mark.parametrize(("role", "status"), [("admin", 200), ("recruiter", 403), ("trainer", 403),
                                              ("proctor", 403)])
def test_admin_roles(console, role: str, status: int) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, role)
    for path in ADMIN_PAGES:
        assert client.get(path).status_code == status, path
    assert client.get(f"/admin/candidates/{_ids(console)[0]}/erase").status_code == status


def test_a_trainer_reaches_neither_admin_nor_exports(console) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, "trainer")
    token = csrf_of(client.get("/").text)
    cid = _ids(console)[0]
    for path in (*ADMIN_PAGES, "/exports"):
        assert client.get(path).status_code == 403, path
    for path in ("/admin/accounts", f"/admin/candidates/{cid}/erase", f"/admin/candidates/{cid}/export",
                 "/admin/retention", "/exports"):
        assert client.post(path, data={"csrf_token": token, "confirm_id": cid}).status_code == 403, path
    assert console.store().candidate(cid) is not None
    home = client.get("/").text
    assert 'href="/admin"' not in home and 'href="/exports"' not in home and 'href="/trainees"' in home


def test_every_admin_post_refuses_a_missing_or_forged_csrf_token(console) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, "admin")
    console.add("rita", "recruiter")
    token_id = 0
    accounts.create_token(console.store(), "rita", "ats")
    token_id = accounts.list_tokens(console.store(), "rita")[0].token_id
    cid = _ids(console)[0]
    posts = {
        "/admin/accounts": {"name": "newbie", "role": "trainer", "password": "long-enough-1"},
        "/admin/accounts/rita/disable": {},
        "/admin/accounts/rita/password": {"password": "another-secret-9"},
        "/admin/accounts/rita/tokens": {"token_name": "x"},
        f"/admin/tokens/{token_id}/revoke": {},
        "/admin/retention": {"days": "0", "confirm": str(N_CANDIDATES)},
        f"/admin/candidates/{cid}/export": {},
        f"/admin/candidates/{cid}/erase": {"confirm_id": cid},
    }
    for path, fields in posts.items():
        for forged in ({}, {"csrf_token": "forged-token-000000000000"}):
            r = client.post(path, data={**fields, **forged})
            assert r.status_code == 403, path
            assert "Formulier geweigerd" in r.text
    store = console.store()
    assert accounts.get_account(store, "newbie") is None
    assert not accounts.get_account(store, "rita").disabled  # type: ignore[union-attr]
    assert accounts.list_tokens(store, "rita")[0].revoked_at is None and len(accounts.list_tokens(store, "rita")) == 1
    assert store.candidate(cid) is not None and len(_ids(console)) == N_CANDIDATES
    assert not (console.results / "exports").exists()


def test_accounts_add_disable_password_audited(console) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, "admin")
    r = client.post("/admin/accounts", data={"csrf_token": _token(client), "name": "tom", "role": "trainer",
                                             "password": "tom-secret-123"})
    assert r.status_code == 303 and r.headers["location"].startswith("/admin/accounts?done=account_added")
    page = client.get(r.headers["location"])
    assert "Account tom toegevoegd." in page.text
    assert ["tom", "trainer", "actief"] in [row[:3] for row in table_rows(page.text, "accounts")]
    r = client.post("/admin/accounts/tom/password", data={"csrf_token": _token(client), "password": "tom-new-secret-4"})
    assert r.status_code == 303
    r = client.post("/admin/accounts/tom/disable", data={"csrf_token": _token(client)})
    assert r.status_code == 303
    store = console.store()
    assert accounts.get_account(store, "tom").disabled  # type: ignore[union-attr]
    for action in ("account-added", "account-password", "account-disabled"):
        entries = _audit(console, action)
        assert (entries["object_id"] == "tom").any() and set(entries[entries["object_id"] == "tom"]["actor"]) == {
            "admin"}, action
    r = client.post("/admin/accounts/tom/disable", data={"csrf_token": _token(client), "enable": "1"})
    assert r.status_code == 303 and not accounts.get_account(store, "tom").disabled  # type: ignore[union-attr]
    from fastapi.testclient import TestClient

    with TestClient(console.app, follow_redirects=False) as other:
        assert sign_in(other, "tom", "tom-new-secret-4").status_code == 303


@pytest.mark.parametrize(("fields", "marked"), [
    ({"name": "", "role": "trainer", "password": "long-enough-1"}, "name"),
    ({"name": "x1", "role": "boss", "password": "long-enough-1"}, "role"),
    ({"name": "x1", "role": "trainer", "password": "short"}, "password"),
    ({"name": "admin", "role": "trainer", "password": "long-enough-1"}, "name"),
])
def test_a_bad_account_form_comes_back_marked(console, fields: dict[str, str], marked: str) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, "admin")
    r = client.post("/admin/accounts", data={"csrf_token": _token(client), **fields})
    assert r.status_code == 400
    assert f'aria-describedby="{marked}-error"' in r.text
    assert accounts.get_account(console.store(), "x1") is None


def test_an_admin_cannot_disable_themselves(console) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, "admin")
    r = client.post("/admin/accounts/admin/disable", data={"csrf_token": _token(client)})
    assert r.status_code == 400 and "U kunt uw eigen account niet uitschakelen." in r.text
    assert not accounts.get_account(console.store(), "admin").disabled  # type: ignore[union-attr]
    r = client.post("/admin/accounts/nobody/disable", data={"csrf_token": _token(client)})
    assert r.status_code == 404


def test_an_api_token_made_here_works_and_stops_when_revoked(console) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, "admin")
    console.add("rita", "recruiter")
    r = client.post("/admin/accounts/rita/tokens", data={"csrf_token": _token(client), "token_name": "ats"})
    assert r.status_code == 200
    found = re.search(r'<code id="new-token" class="token">([^<]+)</code>', r.text)
    assert found
    token = html.unescape(found.group(1))
    api = console.client.get("/api/v1/cohorts", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200 and [c["cohort"] for c in api.json()] == [COHORT]
    # shown once: the accounts page no longer holds it
    assert token not in client.get("/admin/accounts").text
    created = _audit(console, "token-created")
    assert created.iloc[-1]["actor"] == "admin" and created.iloc[-1]["object_id"] == "rita"
    token_id = accounts.list_tokens(console.store(), "rita")[0].token_id
    r = client.post(f"/admin/tokens/{token_id}/revoke", data={"csrf_token": _token(client)})
    assert r.status_code == 303
    api = console.client.get("/api/v1/cohorts", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401
    assert _audit(console, "token-revoked").iloc[-1]["actor"] == "admin"


def test_retention_shows_who_is_due_and_purges_on_confirmation(console) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, "admin")
    r = client.get("/admin/retention")
    assert r.status_code == 200 and 'id="due-none"' in r.text  # the simulated cohort is from today
    console.clock.advance(days=400)  # past the default 365 days (and the idle time-out: sign in again)
    assert sign_in(client, "admin", PASSWORDS["admin"]).status_code == 303
    r = client.get("/admin/retention")
    assert r.status_code == 200
    for cid in _ids(console):
        assert f">{cid}</a>" in r.text
    token = csrf_of(r.text)
    r = client.post("/admin/retention", data={"csrf_token": token, "days": "365", "confirm": "2"})
    assert r.status_code == 400 and len(_ids(console)) == N_CANDIDATES  # a count that differs: nothing erased
    r = client.post("/admin/retention", data={"csrf_token": token, "days": "365", "confirm": str(N_CANDIDATES)})
    assert r.status_code == 303
    assert console.store().attempts_frame().empty
    purged = _audit(console, "purged")
    assert len(purged) == 1 and purged.iloc[0]["actor"] == "admin"
    assert set(_audit(console, "erased")["actor"]) == {"admin"}
    assert client.get("/admin/retention?days=-3").status_code == 400


def test_candidate_export_is_a_zip_of_the_commands_folder_audited(console) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, "admin")
    cid = _ids(console)[0]
    page = client.get(f"/admin/candidates?id={cid}")
    assert page.status_code == 200 and 'id="held"' in page.text
    r = client.post(f"/admin/candidates/{cid}/export", data={"csrf_token": csrf_of(page.text)})
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        doc = json.loads(zf.read("candidate.json"))
        events = [n for n in zf.namelist() if n.startswith("events/")]
    assert doc["candidate"]["candidate_id"] == cid
    assert len(events) == len(doc["attempts"]) > 0
    exported = _audit(console, "exported")
    assert exported.iloc[-1]["object_type"] == "candidate" and exported.iloc[-1]["actor"] == "admin"
    assert client.get("/admin/candidates?id=NOPE-1").status_code == 404


def test_erase_through_the_admin_page(console) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, "admin")
    cid = _ids(console)[0]
    store = console.store()
    n_attempts = len(store.attempts_frame(candidate=cid, include_practice=True))
    n_sessions = len(store.sessions_frame(cid))
    page = client.get(f"/admin/candidates/{cid}/erase")
    assert page.status_code == 200
    held = {row[0]: row[1] for row in table_rows(html.unescape(page.text), "held")}
    assert held["sessies"] == str(n_sessions) and held["pogingen (met toetsaanslagen)"] == str(n_attempts)
    assert "Wissen kan niet ongedaan worden." in page.text
    token = csrf_of(page.text)
    # the id typed wrong: the confirmation page again, nothing erased
    r = client.post(f"/admin/candidates/{cid}/erase", data={"csrf_token": token, "confirm_id": cid + "x"})
    assert r.status_code == 400 and store.candidate(cid) is not None
    r = client.post(f"/admin/candidates/{cid}/erase", data={"csrf_token": token, "confirm_id": cid})
    assert r.status_code == 200 and "Kandidaat gewist" in r.text
    assert store.candidate(cid) is None and store.attempts_frame(candidate=cid, include_practice=True).empty
    assert client.get(f"/candidates/{cid}").status_code == 404
    assert len(_ids(console)) == N_CANDIDATES - 1
    erased = _audit(console, "erased")
    assert len(erased) == 1 and erased.iloc[0]["actor"] == "admin"
    assert _audit(console, "erasure-done").iloc[0]["actor"] == "admin"
    # the store's verify stays clean after the erasure
    assert main(["verify", "--db", console.url]) == 0


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_the_pages_have_every_word_in_each_language(console, lang: str) -> None:  # type: ignore[no-untyped-def]
    """No label key shows raw (an unknown key reads as itself) on any page of this module's set."""
    from typingtest.console.labels import CONSOLE_LABELS

    client = _as(console, "admin")
    ids = _ids(console)
    keys = [k for k in CONSOLE_LABELS if "_" in k]
    pages = ["/admin", "/admin/accounts", "/admin/retention", f"/admin/candidates?id={ids[0]}",
             f"/admin/candidates/{ids[0]}/erase", "/exports", "/trainees?all=1", f"/trainees/{ids[0]}",
             f"/compare?cohort={COHORT}&candidate={ids[0]}&candidate={ids[1]}", f"/compare?cohort={COHORT}&go=1"]
    for path in pages:
        sep = "&" if "?" in path else "?"
        r = client.get(f"{path}{sep}lang={lang}")
        assert r.status_code in (200, 400), path
        body = re.sub(r"<svg.*?</svg>", "", r.text, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", body)
        raw = [k for k in keys if re.search(rf"(?<![\w/.-]){re.escape(k)}(?![\w-])", text)]
        assert not raw, (path, raw)
