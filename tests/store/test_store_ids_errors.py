"""Issue 19 in the store, on SQLite and PostgreSQL: a candidate id that could name a path is
refused for every new row (``..`` and friends), an id a legacy store already holds stays readable
(``_check_id(..., legacy_ok=True)``), a URL's password is never shown in part, and a read-only
SQLite file gets its own advice instead of "start the database server"."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, insert

from typingtest.errors import UserError
from typingtest.store import Store, StoreError
from typingtest.store import schema as S
from typingtest.store.base import safe_url as _safe_url

PATH_LIKE = ["..", ".", "a/b", "../reports", "a\\b", "C:x", "a.", "x" * 65]


@pytest.mark.parametrize("cid", PATH_LIKE)
def test_the_store_refuses_an_id_that_could_name_a_path(store: Store, cid: str) -> None:
    for write in (store.ensure_candidate, lambda c: store.start_session(c, "quick"),
                  lambda c: store.record_consent(c, "2026-1")):
        with pytest.raises(UserError) as info:
            write(cid)
        assert "\n" not in str(info.value) and str(info.value).startswith("candidate id ")
    assert store.sessions_frame().empty and store.candidate(cid) is None


def test_a_10000_character_id_is_refused_with_its_echo_cut(store: Store) -> None:
    with pytest.raises(UserError) as info:
        store.ensure_candidate("B" * 10_000)
    assert len(str(info.value)) < 200


def test_an_id_a_legacy_store_holds_stays_readable(store: Store) -> None:
    # a store from before the rule may hold "../reports": inserted here as that old version did
    with store.engine.begin() as conn:
        conn.execute(insert(S.candidates).values(candidate_id="../reports", cohort="2025-A",
                                                 created_at=__import__("datetime").datetime(2025, 1, 2)))
    assert store._check_id(" ../reports ", legacy_ok=True) == "../reports"
    assert store.candidate("../reports")["cohort"] == "2025-A"  # type: ignore[index]
    with pytest.raises(UserError):
        store._check_id("../reports")  # a new row for it: refused
    for bad in ("", "x" * 129, "a\nb"):
        with pytest.raises(UserError, match="1-128 printable"):
            store._check_id(bad, legacy_ok=True)


# ---- the URL's password ---------------------------------------------------------------------


@pytest.mark.parametrize(("url", "shown"), [
    ("postgresql://u:tPW@x@127.0.0.1/db", "postgresql://u:***@127.0.0.1/db"),
    ("postgresql+psycopg://u:a@b@c@[::1]:5432/db", "postgresql+psycopg://u:***@[::1]:5432/db"),
    ("postgresql://u:p%40ss@h:5/db", "postgresql://u:***@h:5/db"),
    ("postgresql://u@h/db", "postgresql://u@h/db"),
    ("postgresql://h/db?password=secret&sslmode=require", "postgresql://h/db?password=***&sslmode=require"),
    ("sqlite:////srv/results/typingtest.sqlite", "sqlite:////srv/results/typingtest.sqlite"),
])
def test_a_url_is_shown_with_its_password_fully_masked(url: str, shown: str) -> None:
    assert _safe_url(url) == shown


def test_the_unreachable_error_never_shows_a_part_of_a_password_holding_an_at(results_dir: Path) -> None:
    # the driver reads "u:tPW@x@127.0.0.1" as password "tPW", host "x@127.0.0.1" and says so:
    # before, the message named the host 'x@127.0.0.1' (the password's tail) and showed u:***@x@...
    with pytest.raises(StoreError) as info:
        Store("postgresql://u:tPW@xq7@127.0.0.1:9/db", results_dir, results_dir / "k")
    msg = str(info.value)
    assert "\n" not in msg and "tPW" not in msg and "xq7" not in msg
    assert msg.startswith("postgresql+psycopg://u:***@127.0.0.1:9/db: database unreachable")
    assert "a password holding @ must be written %40 in the URL" in msg


# ---- read-only SQLite -----------------------------------------------------------------------


def _read_only_engine(path: Path):  # type: ignore[no-untyped-def]
    """An engine on ``path`` opened read-only by SQLite itself (``mode=ro``), with the store's own
    BEGIN IMMEDIATE: as root, chmod does not stop writes, so this is how a test run as root gets
    the real "attempt to write a readonly database" from SQLite."""
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(f"file:{path}?mode=ro", uri=True,
                                                                        check_same_thread=False))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def test_a_read_only_sqlite_file_gets_its_own_message(results_dir: Path) -> None:
    path = results_dir / "typingtest.sqlite"
    store = Store(f"sqlite:///{path.as_posix()}", results_dir, results_dir / "signing.key")
    store.ensure_candidate("C-1")
    store.engine.dispose()
    store.engine = _read_only_engine(path)
    try:
        with pytest.raises(StoreError) as info:
            store.ensure_candidate("C-2")
        msg = str(info.value)
        assert "\n" not in msg and "unreachable" not in msg and "start the database server" not in msg
        assert msg == (f"sqlite:///{path.as_posix()}: the database file is read-only while trying to add a candidate "
                       "(attempt to write a readonly database); nothing was changed. To read an archived copy use "
                       "`typingtest verify --read-only`, or make the file and its folder writable for this user")
        assert store.candidate("C-1") is not None  # reading still works
    finally:
        store.close()


def test_a_sqlite_file_that_cannot_be_opened_in_a_folder_not_writable_is_read_only(
        results_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite says "unable to open database file" when it cannot make its -wal/-shm files in a
    folder that is not writable. As root every folder is writable, so os.access is made to say
    what it says to an ordinary user of a 0555 folder; the SQLite error is raised by a connection
    that cannot be opened (a folder path given as the database)."""
    import typingtest.store.base as base_module  # database_errors: the error mapping

    path = results_dir / "typingtest.sqlite"
    store = Store(f"sqlite:///{path.as_posix()}", results_dir, results_dir / "signing.key")
    store.engine.dispose()
    store.engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(str(results_dir)))
    try:
        with pytest.raises(StoreError, match="database unreachable"):
            store.ensure_candidate("C-1")  # a writable folder: not called read-only
        monkeypatch.setattr(base_module.os, "access", lambda p, mode: Path(p) != results_dir)
        with pytest.raises(StoreError) as info:
            store.ensure_candidate("C-1")
        assert "the database file is read-only" in str(info.value) and "unable to open" in str(info.value)
    finally:
        store.close()
