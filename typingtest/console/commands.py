"""Commands ``typingtest console`` (serve the web console) and ``typingtest user`` (console accounts).

Passwords are read from a prompt (``getpass``, twice) or one line of standard input
(``--password-stdin``), never from the command line, and never printed. An API token is
printed once, when made. Every account change is audited by the store with the operating-system
user as the actor (as every CLI command is).
"""

from __future__ import annotations

import argparse
import ipaddress
import sys
from typing import Any

from typingtest.errors import UserError

__all__ = ["is_loopback", "register"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
#: where the docs explain a reverse proxy with TLS (named in the warning for a non-loopback host)
PROXY_DOCS = 'README.md, section "The console behind a reverse proxy (TLS)"'


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``console`` and ``user`` to the ``typingtest`` parser."""
    p = sub.add_parser("console", help="serve the centre console (web pages for recruiters, trainers, admins)")
    p.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST}: this "
                   "computer only; another address opens the console to the network)")  # fmt: skip
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    p.add_argument("--db", metavar="URL", help="database URL (default: the settings' / $TYPINGTEST_DB)")
    p.add_argument("--certfile", metavar="FILE", help="TLS certificate (PEM) to serve HTTPS directly")
    p.add_argument("--keyfile", metavar="FILE", help="TLS private key (PEM) of --certfile")
    p.add_argument("--idle-minutes", type=float, default=30.0, metavar="N",
                   help="sign a session out after N minutes without a request (default 30)")
    p.add_argument("--lang", choices=("nl", "fr", "en"), default=None,
                   help="interface language before a user picks one (default: the settings' ui_lang)")
    p.set_defaults(func=cmd_console)

    p = sub.add_parser("user", help="console accounts: add, list, disable, passwd, API tokens")
    usub = p.add_subparsers(dest="user_command", metavar="<action>", required=True)
    q = usub.add_parser("add", help="make an account (the password is asked, or read with --password-stdin)")
    q.add_argument("name", metavar="NAME")
    # checked by store.accounts.check_role (not argparse choices: `--help` stays free of SQLAlchemy)
    q.add_argument("--role", required=True, help="the account's role: admin, recruiter, trainer or proctor")
    q.add_argument("--password-stdin", action="store_true", help="read the password from one line of stdin")
    q.set_defaults(func=cmd_user_add)
    q = usub.add_parser("list", help="list the accounts (name, role, state; never passwords)")
    q.set_defaults(func=cmd_user_list)
    q = usub.add_parser("disable", help="disable an account (its sessions end at once)")
    q.add_argument("name", metavar="NAME")
    q.add_argument("--enable", action="store_true", help="enable it again instead")
    q.set_defaults(func=cmd_user_disable)
    q = usub.add_parser("passwd", help="set a new password (asked, or --password-stdin); its sessions end")
    q.add_argument("name", metavar="NAME")
    q.add_argument("--password-stdin", action="store_true", help="read the password from one line of stdin")
    q.set_defaults(func=cmd_user_passwd)
    q = usub.add_parser("token", help="make an API token for the account (printed once; keep it secret)")
    q.add_argument("name", metavar="NAME")
    q.add_argument("--label", default="api", help="what the token is for, e.g. the ATS's name (default: api)")
    q.set_defaults(func=cmd_user_token)
    q = usub.add_parser("tokens", help="list API tokens (ids, accounts, dates; never the tokens)")
    q.add_argument("name", metavar="NAME", nargs="?")
    q.set_defaults(func=cmd_user_tokens)
    q = usub.add_parser("revoke", help="revoke an API token by its id (`typingtest user tokens`)")
    q.add_argument("token_id", metavar="TOKEN_ID", type=int)
    q.set_defaults(func=cmd_user_revoke)
    for action in usub.choices.values():
        action.add_argument("--db", metavar="URL", help="database URL (default: the settings' / $TYPINGTEST_DB)")


def is_loopback(host: str) -> bool:
    """True for an address only this computer reaches (127.0.0.0/8, ::1, "localhost")."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _store(args: argparse.Namespace) -> Any:
    from typingtest.config import load_settings
    from typingtest.store import open_store

    return open_store(load_settings(getattr(args, "settings", None)), url=getattr(args, "db", None))


def _read_password(args: argparse.Namespace, name: str) -> str:
    """The new password: one line of stdin (``--password-stdin``), else asked twice at the terminal."""
    if args.password_stdin:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        password = password[:-1] if password.endswith("\r") else password
        if not password:
            raise UserError("user: --password-stdin: standard input held no password line")
        return password
    if not sys.stdin.isatty():
        raise UserError("user: no terminal to ask the password at; pipe it with --password-stdin")
    import getpass

    first = getpass.getpass(f"New password for {name}: ")
    if getpass.getpass("The same password again: ") != first:
        raise UserError("user: the two passwords differ; nothing was changed")
    return first


def cmd_user_add(args: argparse.Namespace) -> int:
    """``typingtest user add NAME --role ROLE``."""
    from typingtest.store.accounts import add_account, check_role

    check_role(args.role)  # before asking for a password
    password = _read_password(args, args.name)
    with _store(args) as store:
        account = add_account(store, args.name, args.role, password)
    print(f"user: account {account.name} added ({account.role})")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    """``typingtest user list``."""
    from typingtest.store.accounts import list_accounts

    with _store(args) as store:
        found = list_accounts(store)
    if not found:
        print("user: no console accounts yet; make the first with `typingtest user add NAME --role admin`")
    for a in found:
        state = "disabled" if a.disabled else "active"
        print(f"{a.name}\t{a.role}\t{state}\tchanged {a.changed_at:%Y-%m-%d %H:%M} UTC")
    return 0


def cmd_user_disable(args: argparse.Namespace) -> int:
    """``typingtest user disable NAME [--enable]``."""
    from typingtest.store.accounts import disable_account

    with _store(args) as store:
        account = disable_account(store, args.name, disabled=not args.enable)
    print(f"user: account {account.name} {'disabled' if account.disabled else 'enabled'}")
    return 0


def cmd_user_passwd(args: argparse.Namespace) -> int:
    """``typingtest user passwd NAME``."""
    from typingtest.store.accounts import get_account, set_password

    with _store(args) as store:
        if get_account(store, args.name) is None:
            raise UserError(f"user passwd: {args.name}: no such account; `typingtest user list` shows them")
        set_password(store, args.name, _read_password(args, args.name))
    print(f"user: password of {args.name} changed; its sessions were signed out")
    return 0


def cmd_user_token(args: argparse.Namespace) -> int:
    """``typingtest user token NAME``: the token is printed once."""
    from typingtest.store.accounts import create_token

    with _store(args) as store:
        token = create_token(store, args.name, args.label)
    print(token)
    print(f"user: API token for {args.name} made; it is shown only now (use: Authorization: Bearer <token>)",
          file=sys.stderr)
    return 0


def cmd_user_tokens(args: argparse.Namespace) -> int:
    """``typingtest user tokens [NAME]``."""
    from typingtest.store.accounts import list_tokens

    with _store(args) as store:
        found = list_tokens(store, args.name)
    for tok in found:
        used = f"{tok.last_used_at:%Y-%m-%d %H:%M}" if tok.last_used_at else "never"
        state = f"revoked {tok.revoked_at:%Y-%m-%d}" if tok.revoked_at else "active"
        print(f"{tok.token_id}\t{tok.account}\t{tok.name}\tmade {tok.created_at:%Y-%m-%d}\tlast used {used}\t{state}")
    return 0


def cmd_user_revoke(args: argparse.Namespace) -> int:
    """``typingtest user revoke TOKEN_ID``."""
    from typingtest.store.accounts import revoke_token

    with _store(args) as store:
        revoke_token(store, args.token_id)
    print(f"user: API token {args.token_id} revoked")
    return 0


def cmd_console(args: argparse.Namespace) -> int:
    """``typingtest console``: check the database, then serve the console with uvicorn until Ctrl+C."""
    import uvicorn

    from typingtest.config import load_settings
    from typingtest.console.app import create_app
    from typingtest.console.settings import ConsoleSettings
    from typingtest.store.accounts import list_accounts
    from typingtest.store.store import StoreError

    if bool(args.certfile) != bool(args.keyfile):
        raise UserError("console: --certfile and --keyfile go together; give both, or neither")
    if not 0 < args.port < 65536:
        raise UserError(f"console: --port {args.port}: give a port from 1 to 65535")
    if args.idle_minutes <= 0:
        raise UserError("console: --idle-minutes: give a number of minutes above 0")
    settings = load_settings(args.settings)
    scheme = "https" if args.certfile else "http"
    shown_host = f"[{args.host}]" if ":" in args.host else args.host
    try:
        store = _store(args)
    except StoreError as e:  # the console starts anyway and shows "database down" until it is back
        print(f"typingtest: warning: {e}", file=sys.stderr)
        database = "unreachable now"
    else:
        with store:
            database = store.display_url
            if not list_accounts(store):
                print("console: no accounts yet; make the first with `typingtest user add NAME --role admin`")
    if not is_loopback(args.host) and not args.certfile:
        print(f"typingtest: warning: serving on {args.host} without TLS: passwords and results cross the network "
              f"unencrypted; put the console behind a reverse proxy with TLS ({PROXY_DOCS})", file=sys.stderr)
    print(f"console: {scheme}://{shown_host}:{args.port}/ (database {database}); Ctrl+C stops it")
    app = create_app(args.db, settings=ConsoleSettings(idle_timeout_s=args.idle_minutes * 60, project=settings,
                                                       lang=args.lang or settings.ui_lang))
    uvicorn.run(app, host=args.host, port=args.port, ssl_certfile=args.certfile, ssl_keyfile=args.keyfile,
                proxy_headers=True, forwarded_allow_ips="127.0.0.1", access_log=False, log_level="warning")
    return 0
