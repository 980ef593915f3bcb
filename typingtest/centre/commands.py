"""``typingtest registration``: register candidates, import a CSV file, list, cancel, allow again.

Every command calls one function of ``typingtest.store.registrations`` (the console's
registrations page calls the same ones) and is audited with the operating-system user as the
actor, as every CLI command is. ``add`` prints the access code alone on standard output (a script
reads it); what was done goes to standard error.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``registration`` to the ``typingtest`` parser."""
    from typingtest.content.model import LANGUAGES  # every content language (``registrations.LANGUAGES``)

    p = sub.add_parser("registration", help="register candidates for a battery (access codes for the intake)",
                       description="Registrations: a candidate invited for a battery, with an access code the "
                                   "workstation asks for at intake (settings: intake = \"access-code\") and the "
                                   "candidate's accommodations.")
    rsub = p.add_subparsers(dest="registration_command", metavar="<action>", required=True)
    q = rsub.add_parser("add", help="register one candidate; prints the access code")
    q.add_argument("candidate", metavar="ID", help="the candidate's pseudonymous id")
    q.add_argument("--battery", required=True, metavar="NAME", help="the battery (see `typingtest content list`)")
    q.add_argument("--cohort", metavar="C", help="the candidate's cohort")
    q.add_argument("--lang", metavar="LANG",
                   help=f"content language: {', '.join(LANGUAGES)} (default: the battery's)")
    q.add_argument("--extra-time", metavar="F", default="1.0", help="factor on every time limit, 1.0-4.0 (default 1)")
    q.add_argument("--font-scale", metavar="F", default="1.0", help="factor on the text size, 0.5-3.0 (default 1)")
    q.add_argument("--high-contrast", action="store_true", help="show the workstation in high contrast")
    q.add_argument("--skip-headset", metavar="REASON", help="skip the headset check, and why (e.g. captions)")
    q.add_argument("--expires", metavar="YYYY-MM-DD",
                   help="last day the code is valid (default: the settings' registration_days from today)")
    q.set_defaults(func=cmd_add)
    q = rsub.add_parser("import", help="register every row of a CSV file (all or nothing)",
                        description="Columns: id, name, email, cohort, battery, language, extra_time, font_scale, "
                                    "high_contrast, skip_headset_reason, expires (id and battery required); "
                                    "',' or ';' between fields, UTF-8. Prints one line per registration: "
                                    "id, battery, access code.")
    q.add_argument("file", metavar="FILE.csv")
    q.set_defaults(func=cmd_import)
    q = rsub.add_parser("list", help="list the registrations (code, candidate, battery, status, last valid day)")
    q.add_argument("--open", action="store_true", help="only those whose code can still start a session")
    q.set_defaults(func=cmd_list)
    q = rsub.add_parser("cancel", help="cancel an open registration (its code starts nothing any more)")
    q.add_argument("code", metavar="CODE")
    q.set_defaults(func=cmd_cancel)
    q = rsub.add_parser("allow", help="let a used code start once more: resume or retake (audited)")
    q.add_argument("code", metavar="CODE")
    mode = q.add_mutually_exclusive_group(required=True)
    mode.add_argument("--resume", action="store_const", const="resume", dest="mode",
                      help="reopen the candidate's unfinished session")
    mode.add_argument("--retake", action="store_const", const="retake", dest="mode",
                      help="a new session (the retake period waived)")
    q.add_argument("--reason", required=True, metavar="TEXT", help="why (kept in the audit log)")
    q.set_defaults(func=cmd_allow)
    for action in rsub.choices.values():
        action.add_argument("--db", metavar="URL", help="database URL (default: the settings' / $TYPINGTEST_DB)")


def _open(args: argparse.Namespace) -> tuple[Any, Any]:
    from typingtest.config import load_settings
    from typingtest.store import open_store

    settings = load_settings(getattr(args, "settings", None))
    return settings, open_store(settings, url=getattr(args, "db", None))


def cmd_add(args: argparse.Namespace) -> int:
    """``typingtest registration add ID --battery NAME ...``: the access code on stdout."""
    from typingtest.store.registrations import add_registration

    settings, store = _open(args)
    with store:
        reg = add_registration(store, args.candidate, args.battery, cohort=args.cohort, language=args.lang,
                               extra_time=args.extra_time, font_scale=args.font_scale,
                               high_contrast=args.high_contrast, skip_headset_reason=args.skip_headset,
                               expires=args.expires, passages=settings.passages_dir, days=settings.registration_days)
    print(reg.code)
    print(f"registration: {reg.candidate_id} registered for {reg.battery}; code valid through {reg.last_day} "
          f"(Brussels time; it runs out {reg.expires_at:%Y-%m-%d %H:%M} UTC)", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """``typingtest registration import FILE.csv``: one line per registration (id, battery, code)."""
    from typingtest.store.registrations import import_csv

    settings, store = _open(args)
    with store:
        made = import_csv(store, args.file, passages=settings.passages_dir, days=settings.registration_days)
    for reg in made:
        print(f"{reg.candidate_id}\t{reg.battery}\t{reg.code}")
    print(f"registration: {len(made)} registration{'s' if len(made) != 1 else ''} imported from {args.file}",
          file=sys.stderr)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """``typingtest registration list [--open]``: one tab-separated line per registration (no contacts)."""
    from typingtest.store.registrations import list_registrations, rows_for_listing

    _settings, store = _open(args)
    with store:
        found = list_registrations(store, open_only=args.open)
    if not found:
        print("registration: no open registrations" if args.open else "registration: no registrations yet",
              file=sys.stderr)
    for row in rows_for_listing(found):
        accommodations = []
        if row["extra_time"] != 1.0:
            accommodations.append(f"extra_time={row['extra_time']:g}")
        if row["font_scale"] != 1.0:
            accommodations.append(f"font_scale={row['font_scale']:g}")
        if row["high_contrast"]:
            accommodations.append("high_contrast")
        if row["skip_headset_reason"]:
            accommodations.append("no_headset_check")
        expires = f"{row['last_day']:%Y-%m-%d}" if row["last_day"] else "-"  # the last valid day (Brussels)
        status = row["status"] + (f"+{row['allow_again']}" if row["allow_again"] else "")
        print("\t".join([row["code"], row["candidate_id"], row["battery"], row["language"] or "-", status,
                         f"expires {expires}", ",".join(accommodations) or "-"]))
    return 0


def cmd_cancel(args: argparse.Namespace) -> int:
    """``typingtest registration cancel CODE``."""
    from typingtest.store.registrations import cancel_registration

    _settings, store = _open(args)
    with store:
        reg = cancel_registration(store, args.code)
    print(f"registration: {reg.code} ({reg.candidate_id}, {reg.battery}) cancelled")
    return 0


def cmd_allow(args: argparse.Namespace) -> int:
    """``typingtest registration allow CODE --resume|--retake --reason TEXT``."""
    from typingtest.store.registrations import allow_again

    _settings, store = _open(args)
    with store:
        reg = allow_again(store, args.code, args.mode, None, args.reason)
    print(f"registration: {reg.code} ({reg.candidate_id}) may start once more ({reg.allow_again})")
    return 0
