"""``typingtest user`` and ``typingtest console`` (issue 12): passwords never on the command line nor
in any output or audit entry; every account change audited with the acting user."""

from __future__ import annotations

import hashlib
import io
import socket
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from typingtest.cli import main
from typingtest.store import accounts
from typingtest.store import schema as S

PASSWORD = "correct horse battery"


def _run(argv: list[str], monkeypatch: pytest.MonkeyPatch, stdin: str | None = None) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin if stdin is not None else ""))
    return main(argv)


def _store() -> Any:
    from typingtest.config import load_settings
    from typingtest.store import open_store

    return open_store(load_settings())


def test_user_add_reads_the_password_from_stdin_and_audits(results_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["user", "add", "anna", "--role", "admin", "--password-stdin"]
    assert _run(argv, monkeypatch, PASSWORD + "\n") == 0
    out = capsys.readouterr()
    assert "account anna added (admin)" in out.out
    assert PASSWORD not in out.out + out.err and PASSWORD not in " ".join(argv)
    with _store() as store:
        assert accounts.sign_in(store, "anna", PASSWORD, "127.0.0.1").account is not None
        with store.engine.connect() as conn:
            stored = conn.execute(select(S.console_accounts.c.password_hash)).scalar()
        assert stored.startswith("$argon2id$") and PASSWORD not in stored
        audit = store.audit_frame()
    added = audit[audit["action"] == "account-added"]
    assert added["object_id"].tolist() == ["anna"]
    assert added["actor"].iloc[0] and "@" in added["actor"].iloc[0]  # the OS user at this workstation
    assert PASSWORD not in audit.to_string()


def test_no_password_option_on_the_command_line(results_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        _run(["user", "add", "anna", "--role", "admin", "--password", PASSWORD], monkeypatch)
    assert exc.value.code == 2
    assert PASSWORD not in capsys.readouterr().out


def test_user_add_without_a_terminal_or_stdin_says_what_to_do(results_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["user", "add", "anna", "--role", "admin"], monkeypatch) == 2  # UserError's exit code
    assert "pipe it with --password-stdin" in capsys.readouterr().err
    assert _run(["user", "add", "anna", "--role", "admin", "--password-stdin"], monkeypatch, "short\n") == 2
    assert "too short: give at least 10 characters" in capsys.readouterr().err
    assert _run(["user", "add", "anna", "--role", "boss", "--password-stdin"], monkeypatch, PASSWORD) == 2
    assert "--role 'boss': use one of admin, recruiter, trainer, proctor" in capsys.readouterr().err


def test_user_passwd_disable_and_list(results_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["user", "add", "rita", "--role", "recruiter", "--password-stdin"], monkeypatch, PASSWORD) == 0
    with _store() as store:
        result = accounts.sign_in(store, "rita", PASSWORD, "127.0.0.1")
        assert result.account is not None
        token, _ = accounts.open_session(store, result.account)
    new = "another long password"
    assert _run(["user", "passwd", "rita", "--password-stdin"], monkeypatch, new + "\n") == 0
    assert _run(["user", "disable", "rita"], monkeypatch) == 0
    assert _run(["user", "list"], monkeypatch) == 0
    out = capsys.readouterr().out
    assert "rita\trecruiter\tdisabled" in out and new not in out
    with _store() as store:
        assert accounts.session_account(store, token, idle_s=600) is None  # the password change ended it
        assert accounts.sign_in(store, "rita", new, "127.0.0.2").account is None  # disabled
        assert _run(["user", "disable", "rita", "--enable"], monkeypatch) == 0
        assert accounts.sign_in(store, "rita", PASSWORD, "127.0.0.3").account is None  # the old password
        assert accounts.sign_in(store, "rita", new, "127.0.0.4").account is not None
        actions = store.audit_frame().query("object_type == 'account'")["action"].tolist()
    assert actions == ["account-added", "account-password", "account-disabled", "account-enabled"]
    assert _run(["user", "disable", "nobody"], monkeypatch) == 2


def test_user_token_is_printed_once_and_kept_hashed(results_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["user", "add", "rita", "--role", "recruiter", "--password-stdin"], monkeypatch, PASSWORD) == 0
    capsys.readouterr()
    assert _run(["user", "token", "rita", "--label", "ats"], monkeypatch) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("tt_") and len(token) > 40
    assert _run(["user", "tokens"], monkeypatch) == 0
    listed = capsys.readouterr().out
    assert token not in listed and "rita\tats" in listed
    with _store() as store:
        with store.engine.connect() as conn:
            kept = conn.execute(select(S.api_tokens.c.token_sha256)).scalar()
        assert kept == hashlib.sha256(token.encode()).hexdigest()
        assert accounts.check_token(store, token) is not None
    assert _run(["user", "revoke", "1"], monkeypatch) == 0
    with _store() as store:
        assert accounts.check_token(store, token) is None
        assert store.audit_frame()["action"].tolist()[-2:] == ["token-created", "token-revoked"]


@pytest.fixture
def no_serving(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """uvicorn.run replaced: the arguments it was called with."""
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    return calls


def test_console_binds_loopback_and_prints_the_url(results_dir: Path, no_serving: list[dict[str, Any]],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["console", "--port", "8799"]) == 0
    out = capsys.readouterr()
    assert "console: http://127.0.0.1:8799/ (database sqlite:///" in out.out
    assert "no accounts yet" in out.out and "warning" not in out.err
    assert no_serving[0]["host"] == "127.0.0.1" and no_serving[0]["port"] == 8799


def test_console_warns_on_a_network_address_without_tls(results_dir: Path, no_serving: list[dict[str, Any]],
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["console", "--host", "0.0.0.0"]) == 0
    err = capsys.readouterr().err
    assert "without TLS" in err and 'README.md, section "The console behind a reverse proxy (TLS)"' in err
    assert no_serving[0]["host"] == "0.0.0.0"


def test_console_with_the_database_down_starts_and_hides_the_password(
        results_dir: Path, no_serving: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert main(["console", "--db", f"postgresql://tt:Pw-s3cret@127.0.0.1:{port}/x"]) == 0
    out = capsys.readouterr()
    assert "Pw-s3cret" not in out.out + out.err
    assert "database unreachable now" in out.out and len(no_serving) == 1
