"""Issue 13 (Must show, bad input): the database unreachable from a workstation mid-session, and a command
for a workstation that is gone.

The workstation (a separate process: ``test_room_six_workstations.py`` run as a script, a virtual
candidate in real time with the room link on) reaches PostgreSQL through a TCP gate in this process
(``Gate``); the console reaches it directly, as in a centre where one workstation's network fails.
Closing the gate (the listening port closed, its open connections cut) makes the database unreachable
from that workstation only: it carries on (its journal grows), the room shows it as lost, and when the
gate opens again its heartbeats resume and its attempt is stored when the task ends (no journal left,
``verify`` clean). Then a command for the workstation, gone since its session ended, times out and
the room page says so (the console's clock moved past ``room.COMMAND_TIMEOUT_S``).
Linux-only test helper.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from test_room_six_workstations import (
    CSRF,
    console_client,
    make_centre,
    results_with_key,
    start_workstation,
    stop_all,
    tiles,
    wait_for,
)

LIMIT_S = 30.0  # the task's time limit (seconds)
INTERVAL_S = 0.5  # beats: lost after 1.5 s without one
CUT_S = 6.0  # how long the database is unreachable from the workstation


class Gate:
    """A TCP forwarder 127.0.0.1:port -> 127.0.0.1:target that can be closed (port shut, connections cut)
    and opened again on the same port."""

    def __init__(self, target: int) -> None:
        self.target = target
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self._open = threading.Event()
        self._listener: threading.Thread | None = None
        self.open()

    def open(self) -> None:
        """Listen on the port again and forward."""
        srv = socket.socket()
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind(("127.0.0.1", self.port))
        srv.listen(64)
        srv.settimeout(0.05)
        self._open.set()
        self._listener = threading.Thread(target=self._accept, args=(srv,), daemon=True)
        self._listener.start()

    def _accept(self, srv: socket.socket) -> None:
        with srv:
            while self._open.is_set():
                try:
                    client, _ = srv.accept()
                except TimeoutError:
                    continue
                except OSError:
                    return
                client.settimeout(None)
                upstream = socket.create_connection(("127.0.0.1", self.target))
                with self._lock:
                    self._conns += [client, upstream]
                for a, b in ((client, upstream), (upstream, client)):
                    threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        """Shut the port and cut every forwarded connection."""
        self._open.clear()
        if self._listener is not None:
            self._listener.join(2)
        with self._lock:
            conns, self._conns = self._conns, []
        for s in conns:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()


class ShiftedClock:
    """The console's clock: the real UTC time plus ``shift``."""

    def __init__(self) -> None:
        self.shift = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.shift


def _journal_bytes(results: Path) -> int:
    return sum(p.stat().st_size for p in (results / "journal").glob("*.ttj"))


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.skipif(sys.platform != "linux", reason="Linux test helper")
def test_a_workstation_cut_off_from_the_database_carries_on_shows_lost_and_comes_back(
        pg_server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typingtest.config import Settings
    from typingtest.console.labels import t
    from typingtest.store import open_store, room
    from typingtest.store.integrity import check_rows

    db_url = pg_server.new_database()
    key = make_centre(db_url, tmp_path)
    gate = Gate(pg_server.port)
    ws_url = db_url.replace(f"127.0.0.1:{pg_server.port}/", f"127.0.0.1:{gate.port}/")
    assert ws_url != db_url
    ws, folder = "ws-cut", results_with_key(tmp_path, "ws-cut", key)
    clock = ShiftedClock()
    proc = start_workstation(ws_url, folder, ws, "CUT-001", seed=7, limit=LIMIT_S, interval=INTERVAL_S)
    procs = {ws: proc}
    try:
        clients = console_client(db_url, results_with_key(tmp_path, "console", key), monkeypatch,
                                 interval=INTERVAL_S, clock=clock)
        client = next(clients)

        def running() -> dict[str, Any] | None:
            if proc.poll() is not None:
                pytest.fail(f"the workstation ended early: {proc.stderr.read()[-2000:]}")  # type: ignore[union-attr]
            tile = tiles(client).get(ws)
            return tile if tile and tile["state"] == "running" and not tile["lost"] else None

        before = wait_for("the workstation running", running, timeout=60)

        # the database unreachable from the workstation: it carries on from its journal, the room shows it lost
        gate.close()
        cut_at = time.monotonic()
        journal_at_cut = _journal_bytes(folder)
        def shown_lost() -> dict[str, Any] | None:
            tile = tiles(client)[ws]
            return tile if tile["lost"] else None

        lost = wait_for("the cut-off workstation shown lost", shown_lost, timeout=10)
        assert lost["state"] == "running"  # its last beat; the room reads the silence as lost
        time.sleep(max(0.0, CUT_S - (time.monotonic() - cut_at)))
        assert proc.poll() is None  # still working
        assert _journal_bytes(folder) > journal_at_cut > 0  # the candidate's keystrokes go on into the journal

        # the database back: the heartbeats resume, the attempt is stored when the task ends
        gate.open()
        back = wait_for("the workstation back in the room", running, timeout=40)
        assert back["time_left_s"] < before["time_left_s"] - CUT_S  # the task went on meanwhile
        out, err = proc.communicate(timeout=LIMIT_S + 60)
        assert proc.returncode == 0, err[-2000:]
        assert "room heartbeat not written (will retry)" in err
        assert re.search(r"room heartbeat written again after \d+ failed tries", err)
        result = json.loads(out.strip().splitlines()[-1])
        assert result["state"] == "complete" and len(result["attempts"]) == 1
        assert list((folder / "journal").glob("*.ttj")) == []  # uploaded: the journal was removed
        assert tiles(client)[ws]["state"] == "finished"

        # a command for the workstation, gone now: pending, then timed out, and the room page says so
        token = CSRF.search(client.get("/room").text).group(1)  # type: ignore[union-attr]
        r = client.post(f"/room/{ws}/command", data={"command": "pause", "reason": "gone?", "csrf_token": token})
        assert r.status_code == 303
        (sent,) = tiles(client)[ws]["commands"]
        assert sent["status"] == "pending"
        clock.shift = timedelta(seconds=room.COMMAND_TIMEOUT_S + 1)
        tile = tiles(client)[ws]
        # its last beat said the session finished: silent, not lost (no alarm), and the command timed out
        assert not tile["lost"] and tile["state"] == "finished"
        assert [c["status"] for c in tile["commands"]] == ["timed-out"]
        assert t("room_status_timed-out", "nl") in client.get("/room").text
        next(clients, None)
    finally:
        stop_all(procs)
        gate.close()

    with open_store(Settings(results_dir=folder, db_url=db_url)) as store:
        frame = store.attempts_frame(include_practice=True)
        assert list(frame["attempt_id"]) == result["attempts"] and list(frame["state"]) == ["complete"]
        assert [r.problems for r in store.verify()] == [[]]
        assert [f for f in check_rows(store) if f.failed] == []

