"""Console test set-up: one cohort simulated once per run (``typingtest simulate``, the quick
battery), copied into each test's own results folder so that accounts, sign-in failures and
sessions of one test never reach another; a fake clock; sign-in helpers."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from console_testkit import COHORT, N_CANDIDATES, PASSWORDS, FakeClock


@pytest.fixture(scope="session")
def simulated_results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A results folder holding a simulated cohort of 6 candidates (seed 16), made once per run."""
    from typingtest.cli import main

    results = tmp_path_factory.mktemp("console-base") / "results"
    results.mkdir()
    mp = pytest.MonkeyPatch()
    mp.setenv("TYPINGTEST_RESULTS", str(results))
    mp.delenv("TYPINGTEST_DB", raising=False)
    mp.delenv("TYPINGTEST_SETTINGS", raising=False)
    try:
        assert main(["simulate", "--candidates", str(N_CANDIDATES), "--battery", "quick", "--cohort", COHORT,
                     "--seed", "16"]) == 0
    finally:
        mp.undo()
    return results


@dataclass
class Console:
    """A console app over this test's copy of the simulated database, with its test client."""

    app: Any
    client: Any
    clock: FakeClock
    url: str
    results: Path
    settings: Any

    def store(self) -> Any:
        return self.app.state.console.store()

    def add(self, name: str, role: str) -> str:
        """An account with the role's password (returned)."""
        from typingtest.store.accounts import add_account

        add_account(self.store(), name, role, PASSWORDS[role], actor="test")
        return PASSWORDS[role]


@pytest.fixture(scope="session")
def pg_simulated(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> tuple[Any, str, Path]:
    """The same simulated cohort in a PostgreSQL database (a template each test copies): (server, name, results)."""
    from typingtest.cli import main

    server = request.getfixturevalue("pg_server")
    url = server.new_database()
    results = tmp_path_factory.mktemp("console-pg") / "results"
    results.mkdir()
    mp = pytest.MonkeyPatch()
    mp.setenv("TYPINGTEST_RESULTS", str(results))
    mp.setenv("TYPINGTEST_DB", url)
    mp.delenv("TYPINGTEST_SETTINGS", raising=False)
    try:
        assert main(["simulate", "--candidates", str(N_CANDIDATES), "--battery", "quick", "--cohort", COHORT,
                     "--seed", "16"]) == 0
    finally:
        mp.undo()
    return server, url.rsplit("/", 1)[1], results


def _copy_pg(server: Any, template: str) -> str:
    """A new database holding a copy of ``template`` (PostgreSQL's CREATE DATABASE ... TEMPLATE); its URL."""
    import psycopg

    name = f"{template}_c{next(_copies)}"
    with psycopg.connect(host="127.0.0.1", port=server.port, user=server.user, dbname="postgres",
                         autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return str(server.url(name))


_copies = itertools.count()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def console(request: pytest.FixtureRequest, simulated_results: Path, tmp_path: Path,
            monkeypatch: pytest.MonkeyPatch) -> Iterator[Console]:
    """A fresh copy of the simulated database (SQLite, or PostgreSQL from a template), a console app
    over it (fake clock, page size 4).

    Passwords are hashed with light argon2 parameters here (time 1, 8 MiB) to keep the tests quick;
    the console itself uses argon2-cffi's defaults."""
    from argon2 import PasswordHasher
    from fastapi.testclient import TestClient

    from typingtest.config import load_settings
    from typingtest.console.app import create_app
    from typingtest.console.settings import ConsoleSettings
    from typingtest.store import accounts

    monkeypatch.setattr(accounts, "_hasher", lambda: PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
    results = tmp_path / "results"
    monkeypatch.delenv("TYPINGTEST_SETTINGS", raising=False)
    if request.param == "sqlite":
        shutil.copytree(simulated_results, results)
        url = f"sqlite:///{(results / 'typingtest.sqlite').as_posix()}"
        monkeypatch.delenv("TYPINGTEST_DB", raising=False)
    else:
        server, template, pg_results = request.getfixturevalue("pg_simulated")
        shutil.copytree(pg_results, results)  # the signing key
        url = _copy_pg(server, template)
        monkeypatch.setenv("TYPINGTEST_DB", url)
    monkeypatch.setenv("TYPINGTEST_RESULTS", str(results))
    project = load_settings()
    clock = FakeClock()
    settings = ConsoleSettings(clock=clock, project=project, page_size=4)
    app = create_app(url, settings=settings)
    with TestClient(app, follow_redirects=False) as client:
        yield Console(app, client, clock, url, results, settings)
