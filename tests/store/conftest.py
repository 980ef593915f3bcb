"""Store test set-up: the backend-parametrised ``store`` (SQLite, or a database of the PostgreSQL
server ``pg_server`` that ``tests/conftest.py`` starts once per run)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def store(db_url: str, results_dir: Path):  # type: ignore[no-untyped-def]
    """An open store on a fresh database (both backends), results in the test's folder."""
    from typingtest.store import Store

    s = Store(db_url, results_dir, results_dir / "signing.key", workstation="ws-test")
    yield s
    s.close()
