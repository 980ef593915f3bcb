"""``store.accounts`` and schema v4 on SQLite and on a real PostgreSQL server (issue 12)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select

from typingtest.errors import UserError
from typingtest.store import Store, accounts
from typingtest.store import schema as S

PASSWORD = "a long enough password"


@pytest.fixture
def store(db_url: str, results_dir: Path):  # type: ignore[no-untyped-def]
    s = Store(db_url, results_dir, results_dir / "signing.key", workstation="ws-test")
    yield s
    s.close()


def test_a_v3_database_gets_the_v4_and_v5_tables(db_url: str, results_dir: Path) -> None:
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    v4_tables = ("console_accounts", "signin_attempts", "api_tokens", "console_sessions")
    v5_tables = ("registrations", "workstation_heartbeats", "workstation_commands", "proctor_codes")
    with engine.begin() as conn:  # a database as typingtest made it before the console: v1-v3
        S.schema_version.create(conn)
        for version, description, step in S.MIGRATIONS[:3]:
            step(conn)
            conn.execute(S.schema_version.insert().values(version=version, applied_at=datetime.now(UTC),
                                                          description=description))
        # v1 creates from today's metadata: drop what v3 did not have (children first)
        for name in reversed(v4_tables + v5_tables):
            S.metadata.tables[name].drop(conn, checkfirst=True)
    engine.dispose()
    store = Store(db_url, results_dir, results_dir / "signing.key", workstation="ws-test")
    try:
        with store.engine.connect() as conn:
            versions = list(conn.execute(select(S.schema_version.c.version).order_by(S.schema_version.c.version))
                            .scalars())
            have = set(inspect(conn).get_table_names())
        assert versions == [1, 2, 3, 4, 5]
        assert set(v4_tables) | set(v5_tables) <= have
        accounts.add_account(store, "anna", "admin", PASSWORD, actor="test")
        assert [a.name for a in accounts.list_accounts(store)] == ["anna"]
    finally:
        store.close()


def test_accounts_sessions_tokens_and_rate_limit(store) -> None:  # type: ignore[no-untyped-def]
    now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    anna = accounts.add_account(store, "anna", "recruiter", PASSWORD, actor="admin-1", now=now)
    with pytest.raises(UserError, match="an account of that name exists"):
        accounts.add_account(store, "anna", "admin", PASSWORD)
    with pytest.raises(UserError, match="use one of admin, recruiter, trainer, proctor"):
        accounts.add_account(store, "bob", "boss", PASSWORD)
    # sessions: idle time-out measured from the last use
    token, csrf = accounts.open_session(store, anna, "10.0.0.1", now=now)
    seen = accounts.session_account(store, token, idle_s=1800, now=now + timedelta(minutes=29))
    assert seen is not None and seen.account.name == "anna" and seen.csrf_token == csrf
    assert accounts.session_account(store, token, idle_s=1800, now=now + timedelta(minutes=58)) is not None
    assert accounts.session_account(store, token, idle_s=1800, now=now + timedelta(minutes=89)) is None
    assert accounts.session_account(store, token, idle_s=1800, now=now + timedelta(minutes=90)) is None  # removed
    # rate limit: 5 failures in 15 min, per name
    for i in range(5):
        result = accounts.sign_in(store, "anna", "wrong", f"10.0.0.{i}", now=now + timedelta(minutes=i))
        assert result.account is None and result.reason == "refused"
    limited = accounts.sign_in(store, "anna", PASSWORD, "10.0.1.1", now=now + timedelta(minutes=5))
    assert limited.reason == "limited" and limited.retry_after_s == 600  # the first failure leaves at 9:15
    assert accounts.sign_in(store, "anna", PASSWORD, "10.0.1.1", now=now + timedelta(minutes=15, seconds=1)
                            ).account == accounts.get_account(store, "anna")
    # tokens: hashed, last use recorded, revoked
    tok = accounts.create_token(store, "anna", "ats", actor="admin-1", now=now)
    assert accounts.check_token(store, tok, now=now + timedelta(hours=1)) is not None
    assert accounts.check_token(store, tok + "x") is None
    listed = accounts.list_tokens(store)
    assert [(t.account, t.name) for t in listed] == [("anna", "ats")]
    assert listed[0].last_used_at == now + timedelta(hours=1)
    accounts.revoke_token(store, listed[0].token_id, actor="admin-1")
    assert accounts.check_token(store, tok) is None
    audit = store.audit_frame()
    mine = audit[audit["object_type"] == "account"]
    assert mine[["actor", "action"]].values.tolist() == [["admin-1", "account-added"], ["admin-1", "token-created"],
                                                         ["admin-1", "token-revoked"]]
