"""The room page (issue 13 items 2-4): proctors and admins only, tiles from the heartbeats with a
workstation lost after three missed beats (the console's fake clock), the JSON the script polls,
commands with a required reason, CSRF-checked and audited with the account, the acknowledgement
shown, and a one-time proctor code shown once."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from console_testkit import PASSWORDS, csrf_of, sign_in

from typingtest.store import room

STATIC = Path(__file__).resolve().parents[2] / "typingtest" / "console" / "static"


def _as(console: Any, role: str) -> Any:
    console.add(role, role)
    assert sign_in(console.client, role, PASSWORDS[role]).status_code == 303
    return console.client


def _beat(console: Any, ws: str, seconds_ago: float, **fields: Any) -> None:
    values = dict(state="running", session_id=f"S-{ws}", candidate_id=f"C-{ws}", battery="quick",
                  task="copy-typing nl-copy-03", time_left_s=201.0) | fields
    room.write_heartbeat(console.store(), room.Heartbeat(ws, **values),
                         now=console.clock.now - timedelta(seconds=seconds_ago))


@pytest.mark.parametrize("role", ["trainer", "recruiter"])
def test_only_proctors_and_admins_see_the_room(console: Any, role: str) -> None:
    """Recruiters and trainers get 403: the tiles name who sits the test now and the commands act on
    candidates mid-test; that is the proctor's job (and the admin's, who manages the centre)."""
    client = _as(console, role)
    assert client.get("/room").status_code == 403
    assert client.get("/room/state").status_code == 403
    assert 'href="/room"' not in client.get("/").text


def test_signed_out_goes_to_the_sign_in_page(console: Any) -> None:
    r = console.client.get("/room")
    assert r.status_code == 303 and r.headers["location"].startswith("/signin")


@pytest.mark.parametrize("role", ["proctor", "admin"])
def test_tiles_and_state_show_every_workstation_and_the_lost_one(console: Any, role: str) -> None:
    _beat(console, "ws-01", 1.0, incidents=({"t": "", "kind": "focus-lost", "detail": ""},))
    _beat(console, "ws-02", 6.0, state="paused")  # two beats missed at 2 s: not lost yet
    _beat(console, "ws-03", 6.5, state="intake", task=None, time_left_s=None)  # three missed: lost
    client = _as(console, role)
    page = client.get("/room")
    assert page.status_code == 200 and 'href="/room"' in page.text
    assert '<script src="/static/room.js" defer></script>' in page.text and "<script>" not in page.text
    tiles = re.findall(r'<section class="tile state-(\w+)( lost)?" data-ws="([^"]+)"', page.text)
    assert tiles == [("running", "", "ws-01"), ("paused", "", "ws-02"), ("intake", " lost", "ws-03")]
    assert "C-ws-01" in page.text and "3:21" in page.text and "focus-lost" in page.text  # 201 s left = 3:21
    data = client.get("/room/state").json()
    assert [(w["workstation"], w["state"], w["lost"]) for w in data["workstations"]] == [
        ("ws-01", "running", False), ("ws-02", "paused", False), ("ws-03", "intake", True)]
    assert data["interval_s"] == 2.0 and data["lost_after"] == 3 and data["labels"]["lost"]
    console.clock.advance(seconds=1.0)  # ws-02 now 7 s without a beat: lost too
    assert [w["lost"] for w in client.get("/room/state").json()["workstations"]] == [False, True, True]


def test_commands_need_csrf_and_a_reason_are_audited_and_show_the_acknowledgement(console: Any) -> None:
    _beat(console, "ws-01", 0.5)
    client = _as(console, "proctor")
    token = csrf_of(client.get("/room").text)
    form = {"command": "pause", "reason": "fire drill", "session_id": "S-ws-01"}
    assert client.post("/room/ws-01/command", data=form).status_code == 403  # no CSRF token
    assert room.list_commands(console.store()) == []
    r = client.post("/room/ws-01/command", data=form | {"reason": " ", "csrf_token": token})
    assert r.status_code == 400 and "reason: required" in r.text
    r = client.post("/room/ws-99/command", data=form | {"csrf_token": token})
    assert r.status_code == 404
    r = client.post("/room/ws-01/command", data=form | {"csrf_token": token})
    assert r.status_code == 303 and r.headers["location"].startswith("/room?done=command_sent")
    r = client.post("/room/ws-01/command", data={"command": "extra-time", "seconds": "60", "reason": "slow pc",
                                                 "csrf_token": token})
    assert r.status_code == 303
    pause, extra = sorted(room.list_commands(console.store()), key=lambda c: c.command_id)
    assert (pause.command, pause.session_id, pause.issued_by, pause.reason) == ("pause", "S-ws-01", "proctor",
                                                                                "fire drill")
    assert extra.argument == {"seconds": 60} and extra.session_id == "S-ws-01"  # the tile's session
    audit = console.store().audit_frame()
    assert list(audit[audit["action"] == "room-command"]["actor"]) == ["proctor", "proctor"]
    state = client.get("/room/state").json()["workstations"][0]["commands"]
    assert [c["status"] for c in state] == ["pending", "pending"]
    room.ack_command(console.store(), pause.command_id, "ok")
    room.ack_command(console.store(), extra.command_id, "no task is running")
    state = client.get("/room/state").json()["workstations"][0]["commands"]
    assert [(c["command"], c["status"], c["ack_result"]) for c in state] == [
        ("extra-time", "refused", "no task is running"), ("pause", "ok", "ok")]
    assert "no task is running" in client.get("/room?lang=en").text
    console.clock.advance(seconds=room.COMMAND_TIMEOUT_S + 1)
    client.post("/room/ws-01/command", data={"command": "end", "reason": "left", "csrf_token": token})
    console.clock.advance(seconds=room.COMMAND_TIMEOUT_S + 1)
    assert client.get("/room/state").json()["workstations"][0]["commands"][0]["status"] == "timed-out"


def test_a_one_time_code_is_shown_once_and_works_once(console: Any) -> None:
    client = _as(console, "proctor")
    page = client.get("/room")
    assert 'id="proctor-code"' not in page.text
    r = client.post("/room/code", data={"csrf_token": csrf_of(page.text)})
    assert r.status_code == 200
    code = re.search(r'<code id="proctor-code" class="token">(\d{8})</code>', r.text).group(1)  # type: ignore[union-attr]
    assert code not in client.get("/room").text  # shown once
    assert room.redeem_proctor_code(console.store(), code, "ws-01", now=console.clock.now) == "proctor"
    assert room.redeem_proctor_code(console.store(), code, "ws-02", now=console.clock.now) is None
    assert client.post("/room/code", data={}).status_code == 403  # CSRF


def test_the_room_script_writes_text_never_html() -> None:
    """room.js puts every value in with textContent (workstation names and reasons come from users)."""
    script = (STATIC / "room.js").read_text(encoding="utf-8")
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "textContent" in script


@pytest.mark.chromium
def test_in_chromium_the_tiles_refresh_without_reloading(results_dir: Path) -> None:
    """The room in Debian's chromium: a workstation that appears gets its tile, a paused one says so, one
    that stops beating turns lost, all within a few polls of 2 s and without a reload or a script error."""
    from browser_kit import add_account, chromium_path, launch, serve
    from browser_kit import sign_in as browser_sign_in

    if chromium_path() is None:
        pytest.skip("SKIPPED LOUDLY: Debian's chromium is not installed (apt-get install chromium); "
                    "the room page is not tested in a real browser")
    from playwright.sync_api import sync_playwright

    from typingtest.config import load_settings
    from typingtest.console.settings import ConsoleSettings

    url = f"sqlite:///{(results_dir / 'typingtest.sqlite').as_posix()}"

    def beat(console: Any, ws: str, state: str) -> None:
        room.write_heartbeat(console.store(), room.Heartbeat(ws, state, f"S-{ws}", f"C-{ws}", "quick",
                                                             "copy-typing nl-copy-03", 180.0))

    with serve(url, settings=ConsoleSettings(project=load_settings(), lang="en")) as console, \
            sync_playwright() as p:
        add_account(console.store(), "pia", "proctor", PASSWORDS["proctor"])
        beat(console, "ws-01", "running")
        browser = launch(p)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            browser_sign_in(page, console.url, "pia", PASSWORDS["proctor"])
            page.goto(f"{console.url}/room")
            page.evaluate("window.loadedOnce = true")  # gone if the page reloads
            beat(console, "ws-02", "running")
            beat(console, "ws-01", "paused")
            page.wait_for_selector('section.tile[data-ws="ws-02"]', timeout=8000)
            page.wait_for_selector('section.tile.state-paused[data-ws="ws-01"]', timeout=8000)
            assert page.text_content('section.tile[data-ws="ws-01"] [data-field="state"]') == "paused"
            assert page.text_content('section.tile[data-ws="ws-02"] [data-field="time_left"]') == "3:00"
            page.wait_for_selector('section.tile.lost[data-ws="ws-01"]', timeout=15000)  # 3 beats of 2 s missed
            assert page.evaluate("window.loadedOnce") is True and not errors
        finally:
            browser.close()


def test_the_page_says_which_beat_interval_it_judges_lost_by(console: Any) -> None:
    """The beats do not carry the interval a workstation beats at (no column in ``workstation_heartbeats``):
    every workstation is judged by the console's own ``heartbeat_interval_s`` (2 s here, the default), and
    the page says so in words, with the silence after which a tile shows as lost (3 beats x 2 s = 6 s)."""
    _beat(console, "ws-01", 1.0)
    page = _as(console, "proctor").get("/room").text
    (explain,) = re.findall(r'<p class="meta">([^<]*heartbeat_interval_s[^<]*)</p>', page)
    assert re.search(r"\b2([.,]0)? s\b", explain) and re.search(r"\b6([.,]0)? s\b", explain), explain
    assert re.search(r"\b3\b", explain), explain  # the beats missed
