"""Issue 13 (Must show, the room): six headless workstations in separate processes, each driven by a
virtual candidate (``simulate.drive.run_candidate`` in real time, SDL dummy, silent audio) with the room
link on (``workstation.room_link.attach_room_link``, as ``run`` attaches it), on one PostgreSQL database.
The room page (the console app through the ASGI test client, signed in as a proctor) shows all six with
their task; a proctor pauses one and its task clock stops (the beats after the acknowledgement carry
one ``time_left_s``); one workstation is killed with SIGKILL, shows as lost after three missed beats,
and ``typingtest recover`` on its results folder stores its attempt as ``interrupted``.

``typingtest simulate`` has no room link (it drives ``workstation.driver.Driver``, which does not
attach one), so each workstation is this file run as a script (``workstation_main``): Driver + room
link + virtual candidate. Each workstation has a results folder of its own (its journals) holding a copy
of the centre's key file, as a real centre's workstations do. Beats every 1 s
(``heartbeat_interval_s``, the console's settings the same) to keep the test short; a 40 s task.
Linux-only test helper (SIGKILL).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
INTERVAL_S = 1.0  # heartbeat_interval_s of the workstations and the console
LIMIT_S = 40.0  # the copy-typing task's time limit (seconds)
ITEM = "nl-copy-03"
PROCTOR = ("proctor-1", "proctor-secret-4")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


# --------------------------------------------------------------------------------------------
# one workstation: this file run as a script


def workstation_main(argv: list[str] | None = None) -> int:
    """A headless workstation with its room link, a virtual candidate taking one copy-typing task in
    real time. Prints ``ready`` when the link is attached and one JSON line of its results at the end."""
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    p.add_argument("--results", required=True)
    p.add_argument("--ws", required=True)
    p.add_argument("--candidate", required=True)
    p.add_argument("--limit", type=float, default=LIMIT_S)
    p.add_argument("--interval", type=float, default=INTERVAL_S)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--profile", default="average")
    args = p.parse_args(argv)
    os.environ["SDL_VIDEODRIVER"] = "dummy"
    os.environ["SDL_AUDIODRIVER"] = "dummy"
    from typingtest.config import Settings
    from typingtest.content import load_item
    from typingtest.simulate.drive import run_candidate
    from typingtest.simulate.profiles import BAND_PROFILES
    from typingtest.store import open_store
    from typingtest.workstation.driver import Driver
    from typingtest.workstation.room_link import attach_room_link
    from typingtest.workstation.session import TaskSpec

    settings = Settings(results_dir=Path(args.results), db_url=args.db, workstation=args.ws,
                        proctor_code="0917-test", heartbeat_interval_s=args.interval)
    store = open_store(settings)
    store.ensure_candidate(args.candidate, "room-test")
    d = Driver.open(settings, store, specs=[TaskSpec("copy-typing", load_item(ITEM), args.limit)], intake=True,
                    seed=args.seed)
    link = attach_room_link(d.app, d.session, store, settings)
    assert link is not None
    print("ready", flush=True)
    run_candidate(d, BAND_PROFILES[args.profile], args.candidate, args.seed, real_time=True)
    link.stop()
    print(json.dumps({"session_id": d.session.session_id, "state": d.session.state,
                      "attempts": [r.attempt_id for r in d.session.results]}), flush=True)
    store.close()
    return 0


# --------------------------------------------------------------------------------------------
# helpers shared with test_room_db_outage.py


def make_centre(db_url: str, root: Path) -> Path:
    """The centre's key made once (a store opened on the database); its key file."""
    from typingtest.config import Settings
    from typingtest.store import open_store

    base = root / "centre"
    base.mkdir(parents=True)
    store = open_store(Settings(results_dir=base, db_url=db_url))
    store.ensure_candidate("ROOM-SETUP", "room-test")  # the first signed row: the key is now the centre's
    store.close()
    return base / "signing.key"


def results_with_key(root: Path, name: str, key: Path) -> Path:
    """A results folder for one workstation (or the console) holding a copy of the centre's key."""
    folder = root / name
    folder.mkdir(parents=True)
    shutil.copy2(key, folder / "signing.key")
    os.chmod(folder / "signing.key", 0o600)
    return folder


def start_workstation(db_url: str, results: Path, ws: str, candidate: str, seed: int,
                      limit: float = LIMIT_S, interval: float = INTERVAL_S) -> subprocess.Popen[str]:
    """This file as a workstation process (its own process group, for the kill)."""
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1",
               TYPINGTEST_RESULTS=str(results))
    env.pop("TYPINGTEST_DB", None)
    env.pop("TYPINGTEST_SETTINGS", None)
    return subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--db", db_url, "--results", str(results),
                             "--ws", ws, "--candidate", candidate, "--seed", str(seed), "--limit", str(limit),
                             "--interval", str(interval)],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def console_client(db_url: str, results: Path, monkeypatch: pytest.MonkeyPatch, interval: float = INTERVAL_S,
                   clock: Callable[[], datetime] | None = None) -> Iterator[Any]:
    """The console app over ``db_url`` (the real clock unless ``clock``) with a proctor signed in: a TestClient."""
    from argon2 import PasswordHasher
    from fastapi.testclient import TestClient

    from typingtest.config import Settings
    from typingtest.console.app import create_app
    from typingtest.console.settings import ConsoleSettings
    from typingtest.store import accounts, open_store

    monkeypatch.setattr(accounts, "_hasher", lambda: PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
    project = Settings(results_dir=results, db_url=db_url, heartbeat_interval_s=interval)
    store = open_store(project)
    accounts.add_account(store, PROCTOR[0], "proctor", PROCTOR[1])
    store.close()
    console = ConsoleSettings(project=project) if clock is None else ConsoleSettings(project=project, clock=clock)
    app = create_app(db_url, settings=console)
    with TestClient(app, follow_redirects=False) as client:
        page = client.get("/signin")
        token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        r = client.post("/signin", data={"csrf_token": token, "name": PROCTOR[0], "password": PROCTOR[1],
                                         "next": "/room"})
        assert r.status_code == 303
        yield client


def tiles(client: Any) -> dict[str, dict[str, Any]]:
    """The room's tiles by workstation (``GET /room/state``)."""
    r = client.get("/room/state")
    assert r.status_code == 200
    return {w["workstation"]: w for w in r.json()["workstations"]}


def wait_for(what: str, check: Callable[[], Any], timeout: float, step: float = 0.2) -> Any:
    """Poll ``check`` until it returns something true; fail naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(step)


def command(client: Any, ws: str, name: str, reason: str) -> int:
    """POST a command from the room page with its CSRF token; the new command's id."""
    token = CSRF.search(client.get("/room").text).group(1)
    r = client.post(f"/room/{ws}/command", data={"command": name, "reason": reason, "csrf_token": token})
    assert r.status_code == 303, r.text[:300]
    sent = [c for c in tiles(client)[ws]["commands"] if c["command"] == name]
    return int(sent[0]["command_id"])


def acked(client: Any, ws: str, command_id: int) -> dict[str, Any] | None:
    """The command as the tile shows it once the workstation acknowledged it, else None."""
    for c in tiles(client)[ws]["commands"]:
        if c["command_id"] == command_id and c["status"] != "pending":
            return dict(c)
    return None


def stop_all(procs: dict[str, subprocess.Popen[str]]) -> None:
    """End every workstation process this test started that still runs (by its pid)."""
    for p in procs.values():
        if p.poll() is None:
            p.kill()
            p.wait(10)


# --------------------------------------------------------------------------------------------
# the test


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.skipif(sys.platform != "linux", reason="SIGKILL and the PostgreSQL helper: Linux test")
def test_six_workstations_in_the_room_pause_kill_and_recover(pg_server: Any, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import select

    from typingtest.config import Settings
    from typingtest.store import open_store
    from typingtest.store import schema as S
    from typingtest.store.base import utc

    db_url = pg_server.new_database()
    key = make_centre(db_url, tmp_path)
    names = [f"ws-{i:02d}" for i in range(1, 7)]
    folders = {ws: results_with_key(tmp_path, ws, key) for ws in names}
    procs = {ws: start_workstation(db_url, folders[ws], ws, f"ROOM-{i:03d}", seed=100 + i)
             for i, ws in enumerate(names, 1)}
    try:
        clients = console_client(db_url, results_with_key(tmp_path, "console", key), monkeypatch)
        client = next(clients)

        # all six in the room, each at its task
        def all_running() -> dict[str, dict[str, Any]] | None:
            for ws, p in procs.items():
                if p.poll() is not None:
                    pytest.fail(f"{ws} ended early (exit {p.returncode}): {p.stderr.read()[-2000:]}")  # type: ignore[union-attr]
            now = tiles(client)
            ok = len(now) == 6 and all(t["state"] == "running" and not t["lost"] for t in now.values())
            return now if ok else None

        room = wait_for("six running tiles", all_running, timeout=60)
        assert sorted(room) == names
        assert {(t["candidate_id"], t["task"]) for t in room.values()} == {
            (f"ROOM-{i:03d}", f"copy-typing {ITEM}") for i in range(1, 7)}
        assert all(0 < t["time_left_s"] <= LIMIT_S for t in room.values())
        page = client.get("/room").text
        assert all(f'data-ws="{ws}"' in page for ws in names) and page.count(f"copy-typing {ITEM}") >= 6

        # a proctor pauses ws-01: acknowledged, and its task clock stops
        paused_ws = "ws-01"
        issued = time.monotonic()
        cid = command(client, paused_ws, "pause", "noise in the room")
        ack = wait_for("the pause's acknowledgement", lambda: acked(client, paused_ws, cid), timeout=10, step=0.05)
        ack_latency = time.monotonic() - issued
        assert ack["status"] == "ok", ack
        with open_store(Settings(results_dir=folders[paused_ws], db_url=db_url)) as store, store.engine.connect() as c:
            acked_at = c.execute(select(S.workstation_commands.c.acked_at)
                                 .where(S.workstation_commands.c.command_id == cid)).scalar_one()
        acked_at = utc(acked_at)
        beats: dict[str, float] = {}  # beat time (ISO) -> time left, from one second after the acknowledgement
        deadline = time.monotonic() + 3.5
        while time.monotonic() < deadline:
            tile = tiles(client)[paused_ws]
            if (datetime.fromisoformat(tile["at"]) - acked_at).total_seconds() >= 1.0:
                assert tile["state"] == "paused", tile
                beats[tile["at"]] = tile["time_left_s"]
            time.sleep(0.1)
        assert len(beats) >= 2, beats  # beats at 1 s: at least two from 1 s to 3.5 s after the ack
        assert len(set(beats.values())) == 1, beats  # the clock stood still from (at most) 1 s after the ack
        others = tiles(client)
        assert all(others[ws]["state"] == "running" for ws in names if ws != paused_ws)

        # ws-02 is killed: lost after three missed beats, the others are not
        killed = "ws-02"
        procs[killed].send_signal(signal.SIGKILL)
        procs[killed].wait(10)
        killed_at = time.monotonic()
        wait_for("the killed workstation shown lost", lambda: tiles(client)[killed]["lost"], timeout=15)
        lost_after = time.monotonic() - killed_at
        assert lost_after >= 3 * INTERVAL_S - 1.0  # not before its three beats were missed (less the last beat's age)
        now = tiles(client)
        assert now[killed]["state"] == "running"  # its last word; lost is the room's reading of the silence
        assert [ws for ws in names if now[ws]["lost"]] == [killed]
        assert "lost" in client.get("/room").text

        # typingtest recover on the killed workstation's folder: its attempt stored as interrupted
        env = dict(os.environ, TYPINGTEST_RESULTS=str(folders[killed]))
        env.pop("TYPINGTEST_DB", None)
        env.pop("TYPINGTEST_SETTINGS", None)
        rec = subprocess.run([sys.executable, "-m", "typingtest", "recover", "--db", db_url], cwd=REPO, env=env,
                             capture_output=True, text=True, timeout=120)
        assert rec.returncode == 0, rec.stdout + rec.stderr
        assert re.search(r"^recovered\s+\S+: \d+ events; stored as interrupted", rec.stdout, re.M), rec.stdout

        # the paused one is ended from the room; the four others finish their task
        end_id = command(client, paused_ws, "end", "candidate unwell")
        assert wait_for("the end's acknowledgement", lambda: acked(client, paused_ws, end_id), 10)["status"] == "ok"
        outputs = {}
        for ws, p in procs.items():
            if ws == killed:
                continue
            out, err = p.communicate(timeout=LIMIT_S + 60)
            assert p.returncode == 0, f"{ws}: {err[-2000:]}"
            outputs[ws] = json.loads(out.strip().splitlines()[-1])
        final = tiles(client)
        assert final[paused_ws]["state"] == "interrupted"
        assert all(final[ws]["state"] == "finished" for ws in names if ws not in (paused_ws, killed))
        next(clients, None)  # the client closes
    finally:
        stop_all(procs)

    with open_store(Settings(results_dir=folders[paused_ws], db_url=db_url)) as store:
        frame = store.attempts_frame(cohort="room-test", include_practice=True)
        states = dict(zip(frame["candidate_id"], frame["state"], strict=True))
        assert states == {"ROOM-001": "interrupted", "ROOM-002": "interrupted",
                          **{f"ROOM-{i:03d}": "complete" for i in range(3, 7)}}
        (paused_attempt,) = frame[frame["candidate_id"] == "ROOM-001"]["attempt_id"]
        log = store.events(paused_attempt)
        texts = [(str(r["text"]), str(r["target"])) for r in log if str(r["text"]) in (
            "incident:paused", "pause", "proctor-end")]
        assert ("incident:paused", f"console:{PROCTOR[0]}") in texts and ("pause", "") in texts
        assert ("proctor-end", f"console:{PROCTOR[0]}") in texts
        assert [r.problems for r in store.verify()] == [[]] * 6
    print(f"\nroom: pause acknowledged {ack_latency:.2f} s after the POST; killed workstation lost after "
          f"{lost_after:.1f} s")


if __name__ == "__main__":
    sys.exit(workstation_main())
