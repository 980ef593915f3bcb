"""Console accounts, API tokens, sign-in attempts and console sessions (schema v4).

Who may use the web console (``typingtest.console``) and with which role. Passwords are kept
only as argon2id hashes (argon2-cffi's ``PasswordHasher``); API tokens and session tokens only
as their SHA-256 (a stolen database yields no usable token). Every account change (added,
disabled, enabled, password changed, token made or revoked) is written to the store's audit
log with the acting account (``actor``; None: the operating-system user at this machine, as
every CLI command is audited).

Sign-in is rate limited here, not in the web layer, so that any front end refuses alike:
``sign_in`` refuses without checking the password when the account name or the client
address has ``max_failures`` failed attempts within ``window_s`` seconds.

All times are UTC; ``now`` is injectable for tests (idle time-out, rate-limit window).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, func, select, update

from typingtest.errors import UserError
from typingtest.store import schema as S

if TYPE_CHECKING:
    from typingtest.store.store import Store

__all__ = [
    "ROLES",
    "Account",
    "ApiToken",
    "ConsoleSession",
    "SignInResult",
    "add_account",
    "check_role",
    "check_token",
    "close_session",
    "create_token",
    "disable_account",
    "get_account",
    "list_accounts",
    "list_tokens",
    "open_session",
    "revoke_token",
    "session_account",
    "set_password",
    "sign_in",
]

#: The console's roles: an admin manages accounts; a recruiter sees and decides on candidates;
#: a trainer follows trainees (no overrides); a proctor runs the live room.
ROLES = ("admin", "recruiter", "trainer", "proctor")
#: Shortest password accepted (characters).
MIN_PASSWORD_CHARS = 10
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


@dataclass(frozen=True)
class Account:
    """One console account (never its password hash)."""

    account_id: int
    name: str
    role: str
    disabled: bool
    created_at: datetime
    changed_at: datetime


@dataclass(frozen=True)
class ApiToken:
    """One API token's record (never the token itself)."""

    token_id: int
    account: str
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class SignInResult:
    """What ``sign_in`` decided: ``account`` when signed in; else ``reason`` "refused" (wrong name or
    password, or disabled: the caller says only "wrong name or password") or "limited" (too many
    failures: ``retry_after_s`` seconds until the oldest counted failure leaves the window)."""

    account: Account | None
    reason: str | None = None
    retry_after_s: int = 0


@dataclass(frozen=True)
class ConsoleSession:
    """A signed-in console session: its account and its CSRF token."""

    account: Account
    csrf_token: str


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes: they are UTC."""
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()


def _account(row: Any) -> Account:
    return Account(account_id=int(row.account_id), name=str(row.name), role=str(row.role),
                   disabled=bool(row.disabled), created_at=_utc(row.created_at) or _now(),
                   changed_at=_utc(row.changed_at) or _now())


_ACCOUNT_COLUMNS = (S.console_accounts.c.account_id, S.console_accounts.c.name, S.console_accounts.c.role,
                    S.console_accounts.c.disabled, S.console_accounts.c.created_at, S.console_accounts.c.changed_at)


def _check_name(name: str) -> str:
    name = str(name or "").strip()
    if not _NAME.match(name):
        raise UserError(f"user: {name!r}: an account name is 1-64 letters, digits, '.', '_', '-' or '@', "
                        "starting with a letter or digit")
    return name


def check_role(role: str) -> str:
    """``role`` if it is one of ``ROLES``; else one line naming them."""
    if role not in ROLES:
        raise UserError(f"user: --role {role!r}: use one of {', '.join(ROLES)}")
    return role


def _check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD_CHARS:
        raise UserError(f"user: the password is too short: give at least {MIN_PASSWORD_CHARS} characters")
    return password


# --------------------------------------------------------------------------------------------
# accounts


def get_account(store: Store, name: str) -> Account | None:
    """The account named ``name``, or None."""
    with store.engine.connect() as conn:
        row = conn.execute(select(*_ACCOUNT_COLUMNS).where(S.console_accounts.c.name == str(name).strip())).first()
    return None if row is None else _account(row)


def list_accounts(store: Store) -> list[Account]:
    """Every account, by name."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(*_ACCOUNT_COLUMNS).order_by(S.console_accounts.c.name)).all()
    return [_account(r) for r in rows]


def add_account(store: Store, name: str, role: str, password: str, *, actor: str | None = None,
                now: datetime | None = None) -> Account:
    """Make an account; audited as ``account-added`` (name and role, never the password)."""
    name, role, password = _check_name(name), check_role(role), _check_password(password)
    digest = _hasher().hash(password)
    at = now or _now()
    with store.engine.begin() as conn:
        found = conn.execute(select(S.console_accounts.c.account_id).where(S.console_accounts.c.name == name)).first()
        if found is not None:
            raise UserError(f"user add: {name}: an account of that name exists; choose another name "
                            "(or `typingtest user passwd` to change its password)")
        res = conn.execute(S.console_accounts.insert().values(name=name, role=role, password_hash=digest,
                                                              disabled=False, created_at=at, changed_at=at))
        account_id = int(res.inserted_primary_key[0])
        store.audit("account-added", "account", name, {"role": role}, actor=actor, conn=conn)
    return Account(account_id, name, role, False, at, at)


def _require(conn: Any, name: str, doing: str) -> Any:
    row = conn.execute(select(*_ACCOUNT_COLUMNS).where(S.console_accounts.c.name == name)).first()
    if row is None:
        raise UserError(f"user {doing}: {name}: no such account; `typingtest user list` shows them")
    return row


def disable_account(store: Store, name: str, *, disabled: bool = True, actor: str | None = None,
                    now: datetime | None = None) -> Account:
    """Disable (or enable again) an account; its sessions end at once. Audited."""
    name = str(name).strip()
    at = now or _now()
    with store.engine.begin() as conn:
        row = _require(conn, name, "disable" if disabled else "enable")
        conn.execute(update(S.console_accounts).where(S.console_accounts.c.account_id == row.account_id)
                     .values(disabled=disabled, changed_at=at))
        if disabled:
            conn.execute(delete(S.console_sessions).where(S.console_sessions.c.account_id == row.account_id))
        store.audit("account-disabled" if disabled else "account-enabled", "account", name, None, actor=actor,
                    conn=conn)
    found = get_account(store, name)
    assert found is not None
    return found


def set_password(store: Store, name: str, password: str, *, actor: str | None = None,
                 now: datetime | None = None) -> None:
    """Change an account's password; its sessions end (sign in again). Audited (no password in it)."""
    name, password = str(name).strip(), _check_password(password)
    digest = _hasher().hash(password)
    at = now or _now()
    with store.engine.begin() as conn:
        row = _require(conn, name, "passwd")
        conn.execute(update(S.console_accounts).where(S.console_accounts.c.account_id == row.account_id)
                     .values(password_hash=digest, changed_at=at))
        conn.execute(delete(S.console_sessions).where(S.console_sessions.c.account_id == row.account_id))
        store.audit("account-password", "account", name, None, actor=actor, conn=conn)


# --------------------------------------------------------------------------------------------
# sign-in with rate limiting


def _failures(conn: Any, name: str, address: str, since: datetime) -> tuple[int, int, datetime | None]:
    """Failed attempts since ``since``: (for this account name, from this address, the oldest counted)."""
    t = S.signin_attempts
    base = and_(t.c.succeeded.is_(False), t.c.at >= since)
    by_name = conn.execute(select(func.count(), func.min(t.c.at)).where(base, t.c.account_name == name)).first()
    by_addr = conn.execute(select(func.count(), func.min(t.c.at)).where(base, t.c.address == address)).first()
    oldest = [_utc(x) for x in (by_name[1], by_addr[1]) if x is not None]
    return int(by_name[0]), int(by_addr[0]), min(oldest) if oldest else None


def sign_in(store: Store, name: str, password: str, address: str, *, now: datetime | None = None,
            max_failures: int = 5, window_s: float = 900.0) -> SignInResult:
    """Check a name and password from ``address`` (the client's IP), rate limited.

    Refused without looking at the password when the name or the address already has
    ``max_failures`` failures within ``window_s`` seconds. Every checked attempt is recorded.
    An unknown name costs the same argon2 work as a known one (no timing hint).
    """
    name = str(name or "").strip()[:128]
    address = str(address or "?")[:64]
    at = now or _now()
    since = at - timedelta(seconds=window_s)
    with store.engine.begin() as conn:
        n_name, n_addr, oldest = _failures(conn, name, address, since)
        if max(n_name, n_addr) >= max_failures:
            wait = window_s - (at - oldest).total_seconds() if oldest else window_s
            return SignInResult(None, "limited", max(1, int(wait + 0.999)))
        row = conn.execute(select(*_ACCOUNT_COLUMNS, S.console_accounts.c.password_hash)
                           .where(S.console_accounts.c.name == name)).first()
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = _hasher()
    ok = False
    try:
        if row is None:
            hasher.verify(_DUMMY_HASH.get(hasher), password or "")
        else:
            ok = bool(hasher.verify(row.password_hash, password or ""))
    except (VerificationError, InvalidHashError):
        ok = False
    ok = ok and row is not None and not row.disabled
    with store.engine.begin() as conn:
        conn.execute(S.signin_attempts.insert().values(at=at, account_name=name, address=address, succeeded=ok))
        # keep a day of attempts: enough for any window, little for an observer
        conn.execute(delete(S.signin_attempts).where(S.signin_attempts.c.at < at - timedelta(days=1)))
        if ok and row is not None and hasher.check_needs_rehash(row.password_hash):
            conn.execute(update(S.console_accounts).where(S.console_accounts.c.account_id == row.account_id)
                         .values(password_hash=hasher.hash(password)))
    if not ok or row is None:
        return SignInResult(None, "refused")
    return SignInResult(_account(row))


class _Dummy:
    """A hash of a random password, made once, to verify against for unknown names."""

    def __init__(self) -> None:
        self._hash: str | None = None

    def get(self, hasher: Any) -> str:
        if self._hash is None:
            self._hash = hasher.hash(secrets.token_urlsafe(16))
        return self._hash


_DUMMY_HASH = _Dummy()


# --------------------------------------------------------------------------------------------
# console sessions (server side)


def open_session(store: Store, account: Account, address: str | None = None, *,
                 now: datetime | None = None) -> tuple[str, str]:
    """A new session for ``account``: (the cookie's token, the session's CSRF token)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    at = now or _now()
    with store.engine.begin() as conn:
        conn.execute(S.console_sessions.insert().values(token_sha256=_sha256(token), account_id=account.account_id,
                                                        csrf_token=csrf, created_at=at, last_seen_at=at,
                                                        address=(address or "")[:64] or None))
    return token, csrf


def session_account(store: Store, token: str, *, idle_s: float, now: datetime | None = None,
                    touch_after_s: float = 30.0) -> ConsoleSession | None:
    """The session of ``token`` if it exists, its account is enabled and it was used within ``idle_s``
    seconds; its last use is then moved to ``now`` (written at most every ``touch_after_s`` seconds).
    An idle session is removed."""
    if not token:
        return None
    at = now or _now()
    key = _sha256(token)
    s, a = S.console_sessions, S.console_accounts
    with store.engine.connect() as conn:
        row = conn.execute(select(*_ACCOUNT_COLUMNS, s.c.csrf_token, s.c.last_seen_at)
                           .join(s, s.c.account_id == a.c.account_id).where(s.c.token_sha256 == key)).first()
        conn.rollback()
    if row is None or row.disabled:
        return None
    seen = _utc(row.last_seen_at) or at
    idle = (at - seen).total_seconds()
    if idle > idle_s:
        close_session(store, token)
        return None
    if idle > touch_after_s:
        with store.engine.begin() as conn:
            conn.execute(update(s).where(s.c.token_sha256 == key).values(last_seen_at=at))
    return ConsoleSession(_account(row), str(row.csrf_token))


def close_session(store: Store, token: str) -> None:
    """End a session (sign-out)."""
    if token:
        with store.engine.begin() as conn:
            conn.execute(delete(S.console_sessions).where(S.console_sessions.c.token_sha256 == _sha256(token)))


# --------------------------------------------------------------------------------------------
# API tokens


def create_token(store: Store, name: str, token_name: str = "api", *, actor: str | None = None,
                 now: datetime | None = None) -> str:
    """A new API token for account ``name`` (returned once; only its SHA-256 is kept). Audited."""
    name = str(name).strip()
    token_name = str(token_name or "api").strip()[:128] or "api"
    token = "tt_" + secrets.token_urlsafe(32)
    at = now or _now()
    with store.engine.begin() as conn:
        row = _require(conn, name, "token")
        if row.disabled:
            raise UserError(f"user token: {name}: the account is disabled; enable it first")
        res = conn.execute(S.api_tokens.insert().values(account_id=row.account_id, name=token_name,
                                                        token_sha256=_sha256(token), created_at=at))
        store.audit("token-created", "account", name, {"token_id": int(res.inserted_primary_key[0]),
                                                        "token_name": token_name}, actor=actor, conn=conn)
    return token


def list_tokens(store: Store, name: str | None = None) -> list[ApiToken]:
    """The API tokens (of account ``name``, or all), oldest first."""
    t, a = S.api_tokens, S.console_accounts
    q = (select(t.c.token_id, a.c.name.label("account"), t.c.name, t.c.created_at, t.c.last_used_at, t.c.revoked_at)
         .join(a, a.c.account_id == t.c.account_id).order_by(t.c.token_id))
    if name is not None:
        q = q.where(a.c.name == str(name).strip())
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    return [ApiToken(int(r.token_id), str(r.account), str(r.name), _utc(r.created_at) or _now(),
                     _utc(r.last_used_at), _utc(r.revoked_at)) for r in rows]


def revoke_token(store: Store, token_id: int, *, actor: str | None = None, now: datetime | None = None) -> None:
    """Revoke one API token by its id (``list_tokens``). Audited."""
    t, a = S.api_tokens, S.console_accounts
    at = now or _now()
    with store.engine.begin() as conn:
        row = conn.execute(select(t.c.token_id, a.c.name).join(a, a.c.account_id == t.c.account_id)
                           .where(t.c.token_id == int(token_id))).first()
        if row is None:
            raise UserError(f"user revoke: token {token_id}: no such token; `typingtest user tokens` lists them")
        conn.execute(update(t).where(t.c.token_id == int(token_id)).values(revoked_at=at))
        store.audit("token-revoked", "account", str(row.name), {"token_id": int(token_id)}, actor=actor, conn=conn)


def check_token(store: Store, token: str, *, now: datetime | None = None) -> Account | None:
    """The account of a valid API token (not revoked, account enabled), or None. Records its use."""
    if not token:
        return None
    t = S.api_tokens
    at = now or _now()
    with store.engine.connect() as conn:
        row = conn.execute(select(*_ACCOUNT_COLUMNS, t.c.token_id, t.c.last_used_at)
                           .join(t, t.c.account_id == S.console_accounts.c.account_id)
                           .where(t.c.token_sha256 == _sha256(token), t.c.revoked_at.is_(None))).first()
        conn.rollback()
    if row is None or row.disabled:
        return None
    last = _utc(row.last_used_at)
    if last is None or (at - last).total_seconds() > 60:
        with store.engine.begin() as conn:
            conn.execute(update(t).where(t.c.token_id == row.token_id).values(last_used_at=at))
    return _account(row)


def roles_text(roles: Sequence[str] = ROLES) -> str:
    """"admin|recruiter|trainer|proctor" (help texts)."""
    return "|".join(roles)

