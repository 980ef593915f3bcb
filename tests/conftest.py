"""Test set-up shared by every test: headless SDL, Agg matplotlib, the shared data folder, and a real
throwaway PostgreSQL server (``pg_server``) with the backend-parametrised ``db_url``.

The server (Debian's ``postgresql``: ``initdb`` and ``pg_ctl`` from ``/usr/lib/postgresql/*/bin``)
is started once per test run (per xdist worker) in a temporary folder, on a free port of 127.0.0.1
with its unix socket in the same folder, and stopped at the end; the store and the console tests
share it. As root, initdb/pg_ctl run as the unprivileged ``postgres`` user (``runuser``).
``fsync=off`` on this throwaway server only: its durability is PostgreSQL's business, not what
these tests check. Where the server cannot be started, the PostgreSQL variants skip with a loud
message. Linux-only test helper.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import matplotlib
import pytest

matplotlib.use("Agg")

REPO = Path(__file__).resolve().parents[1]
#: Real keystroke logs of the 136M Keystrokes study, read from the shared folder, never copied.
AALTO_SAMPLE = REPO.parent / "shared" / "data" / "aalto136m-sample"


@pytest.fixture
def aalto_sample() -> Path:
    """The shared 136M Keystrokes sample folder; skips loudly where it is absent."""
    if not AALTO_SAMPLE.is_dir():
        pytest.skip(f"SKIPPED LOUDLY: shared sample not found at {AALTO_SAMPLE}")
    return AALTO_SAMPLE


@pytest.fixture
def results_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh results folder for one test (never the repository's results/)."""
    d = tmp_path / "results"
    d.mkdir()
    monkeypatch.setenv("TYPINGTEST_RESULTS", str(d))
    monkeypatch.delenv("TYPINGTEST_DB", raising=False)
    monkeypatch.delenv("TYPINGTEST_SETTINGS", raising=False)
    return d


# ---- a throwaway PostgreSQL server (the store and console tests) ------------------------------

_counter = itertools.count()


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    which = shutil.which("initdb")
    return Path(which).parent if which else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    """A running throwaway PostgreSQL server."""

    def __init__(self, bindir: Path, root: Path, port: int, user: str, as_user: list[str]) -> None:
        self.bindir, self.root, self.port, self.user, self.as_user = bindir, root, port, user, as_user

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh empty database; its URL."""
        import psycopg

        name = f"tt_{os.getpid()}_{next(_counter)}"
        with psycopg.connect(host="127.0.0.1", port=self.port, user=self.user, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _start_server() -> tuple[PgServer | None, str]:
    bindir = _pg_bin()
    if bindir is None:
        return None, "initdb not found (apt-get install postgresql)"
    root = Path(tempfile.mkdtemp(prefix="tt-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            return None, "running as root without runuser"
        as_user = [runuser, "-u", "postgres", "--"]
        subprocess.run(["chown", "-R", "postgres:postgres", str(root)], check=True)
        os.chmod(root, 0o755)
    user = "tt"
    try:
        subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", user,
                        "--no-sync", "-E", "UTF8", "--locale=C"],
                       check=True, capture_output=True, timeout=120)
        port = _free_port()
        opts = f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l",
                        str(root / "server.log"), "-w", "-t", "60", "start"],
                       check=True, capture_output=True, timeout=90)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        shutil.rmtree(root, ignore_errors=True)
        return None, f"could not start PostgreSQL: {exc} {detail.decode(errors='replace')[:300]}"
    return PgServer(bindir, root, port, user, as_user), ""


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One PostgreSQL server for the whole run (skips loudly where it cannot be started)."""
    server, why = _start_server()
    if server is None:
        pytest.skip(f"SKIPPED LOUDLY: PostgreSQL tests not run: {why}")
    try:
        yield server
    finally:
        with contextlib.suppress(Exception):
            subprocess.run([*server.as_user, str(server.bindir / "pg_ctl"), "-D", str(server.root / "data"),
                            "-m", "immediate", "stop"], capture_output=True, timeout=60)
        # removing a few hundred MB of database files takes seconds on a busy disk: leave it to a
        # detached rm rather than hold up the end of the test run
        subprocess.Popen(["rm", "-rf", str(server.root)], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, results_dir: Path) -> str:
    """A fresh database URL: SQLite in the test's results folder, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{(results_dir / 'typingtest.sqlite').as_posix()}"
    server: PgServer = request.getfixturevalue("pg_server")
    return server.new_database()
