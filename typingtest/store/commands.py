"""Store commands: recover, verify, candidate export/erase, purge, maintenance, export.

Each takes ``--db URL`` (else the settings file's ``db_url``, ``$TYPINGTEST_DB``, or SQLite in
the results folder). Output names counts and ids, never a candidate's results.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from typingtest.errors import UserError

__all__ = ["export_attempts", "register"]


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="URL", help="database URL (sqlite:///path or postgresql://user@host/db); "
                   "default: the settings file's db_url, $TYPINGTEST_DB, or SQLite in the results folder")


def _store(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from typingtest.config import load_settings
    from typingtest.store import open_store

    return open_store(load_settings(args.settings), url=args.db)


def _parse_date(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            d = date.fromisoformat(value)
        except ValueError:
            raise UserError(f"{option}: {value!r} is not a date; write YYYY-MM-DD") from None
        parsed = datetime(d.year, d.month, d.day)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def _recover(args: argparse.Namespace) -> int:
    with _store(args) as store:
        results = store.recover()
    if not results:
        print("recover: no unfinished attempt found")
        return 0
    from typingtest.store.recovery import DAMAGED_DIR, KEPT_STATUSES

    bad = damaged = 0
    for r in results:
        torn = (" (journal torn at the end; read up to the last whole record)"
                if r.torn and r.status != "damaged" else "")
        print(f"{r.status:16s} {r.attempt_id or r.journal.name}: {r.n_events} events; {r.message}{torn}")
        bad += r.status in KEPT_STATUSES
        damaged += r.status == "damaged"
    moved = f" ({damaged} moved to journal/{DAMAGED_DIR}/ with a report beside each)" if damaged else ""
    print(f"recover: {len(results)} journal(s); {bad} kept{moved}")
    return 1 if bad else 0


def _verify(args: argparse.Namespace) -> int:
    from typingtest.config import load_settings
    from typingtest.store import open_store
    from typingtest.store.integrity import check_rows
    from typingtest.store.verification import verify

    with open_store(load_settings(args.settings), url=args.db, read_only=args.read_only) as store:
        results = verify(store, args.attempt or None, recompute=not args.no_recompute, audit=False)
        findings = [] if args.attempt else check_rows(store)
        failed = [r for r in results if not r.ok]
        rows_failed = [f for f in findings if f.failed]
        if not args.read_only:
            store.audit("verified", "attempts", None, {"checked": len(results), "failed": len(failed),
                                                       "rows_failed": len(rows_failed)})
    for r in failed:
        for problem in r.problems:
            print(f"NOT VERIFIED {r.attempt_id}: {problem}")
    for f in findings:
        print(f"{'NOT VERIFIED' if f.failed else 'NOTE'} {f.kind} {f.object_id}: {f.problem}")
    recomputed = sum(r.recomputed for r in results)
    notes = len(findings) - len(rows_failed)
    rows = "" if args.attempt else f"; other rows: {len(rows_failed)} not verified, {notes} note(s)"
    print(f"verify: {len(results)} attempt(s) checked, {recomputed} with metrics recomputed from the events, "
          f"{len(failed)} not verified{rows}{' (read-only: nothing written)' if args.read_only else ''}")
    return 1 if failed or rows_failed else 0


def _candidate_export(args: argparse.Namespace) -> int:
    with _store(args) as store:
        out = store.export_candidate(args.id, Path(args.out) if args.out else None)
    print(f"candidate export: written to {out}")
    return 0


def _candidate_erase(args: argparse.Namespace) -> int:
    if not args.yes:
        if not sys.stdin.isatty():
            from typingtest.ids import shown

            raise UserError(f"candidate erase {shown(args.id)}: erasing cannot be undone; add --yes to confirm")
        answer = input(f"Erase everything held about candidate {args.id}? Type the id again to confirm: ")
        if answer.strip() != args.id.strip():
            print("candidate erase: not confirmed; nothing erased")
            return 1
    with _store(args) as store:
        removed = store.erase_candidate(args.id)
    _print_erasure(removed)
    return 1 if removed["remaining_files"] or "not fully" in str(removed.get("compaction", "")) else 0


#: keys of an erasure's result that are not counts
_NOT_COUNTS = ("remaining_files", "compaction", "erasure_number", "touched", "resumed")


def _print_erasure(removed: dict[str, Any]) -> None:
    """The erase report: counts, every file touched (path and what was done), files left. No personal data."""
    summary = ", ".join(f"{k} {v}" for k, v in removed.items() if k not in _NOT_COUNTS)
    again = " (an earlier, interrupted erasure finished)" if removed.get("resumed") else ""
    print(f"candidate erase: erasure #{removed['erasure_number']}{again}: removed {summary}")
    for path, what in removed.get("touched", []):
        print(f"candidate erase: {what}: {path}")
    print(f"candidate erase: database files: {removed.get('compaction', '')}")
    for rel in removed["remaining_files"]:
        print(f"STILL CONTAINS THE CANDIDATE'S ID OR NAME (not a regenerable file; delete it by hand): {rel}")


def _purge(args: argparse.Namespace) -> int:
    with _store(args) as store:
        days = args.days if args.days is not None else store.retention_days
        due = store.purge(days, dry_run=True)
        if not due:
            print(f"purge: no candidate older than the retention period ({days} days)")
            return 0
        if args.dry_run:
            print(f"purge: {len(due)} candidate(s) past the retention period ({days} days) would be erased")
            return 0
        if not args.yes:
            raise UserError(f"purge: {len(due)} candidate(s) past {days} days would be erased; add --yes to confirm")
        done = store.purge(days)
    print(f"purge: erased {len(done)} candidate(s) past the retention period ({days} days)")
    return 0


def export_attempts(store: Any, fmt: str, out: Path | None = None, *, cohort: str | None = None,
                    candidate: str | None = None, candidates: Sequence[str] | None = None,
                    since: datetime | None = None, since_text: str | None = None, include_practice: bool = False,
                    events: bool = False) -> tuple[Path, int, int]:
    """Write the ``typingtest export`` table (and with ``events`` the event logs beside it): staged, audited with
    the manifest, then renamed into place (no file without its audit entry). ``out`` None: ``results/exports/
    attempts-<time>.<fmt>``. ``candidates``: only these (the console's selection). Returns (path, attempts, events).
    The command and the console's exports page both call this."""
    from typingtest.analysis.export_frame import flatten_attempts, write_table
    from typingtest.fileperms import private_dir
    from typingtest.store.exporting import events_frame
    from typingtest.store.manifest import WrittenFile, publish, record_files, staged

    frame = store.attempts_frame(cohort=cohort, candidate=candidate, since=since, include_practice=include_practice)
    if candidates is not None:
        frame = frame[frame["candidate_id"].isin(set(candidates))].reset_index(drop=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    if out is None:
        out = private_dir(store.results_dir / "exports") / f"attempts-{stamp}.{fmt}"
    if out.is_dir():
        raise UserError(f"{out}: --out: is a folder; give a file name")
    held = tuple(sorted(set(frame["candidate_id"])))
    details = {"rows": len(frame), "format": fmt, "cohort": cohort, "candidate": candidate, "since": since_text,
               "events": bool(events)}
    if candidates is not None:
        details["candidates"] = len(set(candidates))
    names = [out.name]
    files = [WrittenFile(out, "export", held)]
    n_events = 0
    # staged, audited with the manifest, then renamed: no file without its audit entry
    with staged(out.parent) as stage:
        write_table(flatten_attempts(frame, store.overrides_frame()), fmt, stage / out.name)
        if events:
            ev_name = out.stem + "-events.parquet"
            log = events_frame(store, list(frame["attempt_id"]))
            log.to_parquet(stage / ev_name, index=False)
            n_events = len(log)
            names.append(ev_name)
            files.append(WrittenFile(out.parent / ev_name, "export-events", held))
        record_files(store, files, "exported", "attempts", None, details)
        publish(stage, out.parent, names)
    return out, len(frame), n_events


def _export(args: argparse.Namespace) -> int:
    from typingtest.store.exporting import unplaced_attempts

    since = _parse_date(args.since, "--since")
    with _store(args) as store:
        unplaced = unplaced_attempts(store)
        out, n_rows, n_events = export_attempts(
            store, args.format, Path(args.out) if args.out else None, cohort=args.cohort, candidate=args.candidate,
            since=since, since_text=args.since, include_practice=args.include_practice, events=args.events)
    print(f"export: {n_rows} attempt(s) written to {out}")
    if args.events:
        print(f"export: {n_events} event(s) of {n_rows} attempt(s) written to "
              f"{out.parent / (out.stem + '-events.parquet')}")
    if unplaced:
        print(f"typingtest: warning: {unplaced} attempt(s) in the database cannot be placed (their session or "
              "candidate is missing) and are not exported; `typingtest verify` lists them", file=sys.stderr)
    return 0


def _maintenance(args: argparse.Namespace) -> int:
    with _store(args) as store:
        done = store.maintenance(vacuum=args.vacuum)
    for line in done:
        print(f"maintenance: {line}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this part's commands to the ``typingtest`` parser."""
    p = sub.add_parser("recover", help="store every unfinished attempt found in this workstation's journals")
    _add_db(p)
    p.set_defaults(func=_recover)

    p = sub.add_parser("verify", help="check signatures and recompute metrics from the signed events")
    _add_db(p)
    p.add_argument("--attempt", action="append", metavar="ID", help="only this attempt (repeatable)")
    p.add_argument("--no-recompute", action="store_true", help="check signatures and hashes only")
    p.add_argument("--read-only", action="store_true",
                   help="write nothing (no audit entry, no key, SQLite opened read-only): for an archived copy")
    p.set_defaults(func=_verify)

    cand = sub.add_parser("candidate", help="export or erase everything held about one candidate")
    csub = cand.add_subparsers(dest="candidate_command", metavar="<action>", required=True)
    p = csub.add_parser("export", help="write JSON plus the event logs of one candidate")
    p.add_argument("id", metavar="ID")
    p.add_argument("--out", metavar="DIR", help="folder to write (default: results/exports/ID)")
    _add_db(p)
    p.set_defaults(func=_candidate_export)
    p = csub.add_parser("erase", help="remove everything held about one candidate (cannot be undone)")
    p.add_argument("id", metavar="ID")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    _add_db(p)
    p.set_defaults(func=_candidate_erase)

    p = sub.add_parser("purge", help="erase candidates past the retention period (settings: retention_days)")
    p.add_argument("--days", type=int, help="retention period in days (default: the settings' retention_days)")
    p.add_argument("--dry-run", action="store_true", help="only say how many would be erased")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    _add_db(p)
    p.set_defaults(func=_purge)

    p = sub.add_parser("maintenance", help="housekeeping at a quiet time: checkpoint, remove killed writes; "
                       "--vacuum compacts the database (PostgreSQL: VACUUM FULL, locks tables while it runs)")
    p.add_argument("--vacuum", action="store_true", help="also compact: SQLite VACUUM, PostgreSQL VACUUM FULL "
                   "(run when no workstation is recording)")
    _add_db(p)
    p.set_defaults(func=_maintenance)

    p = sub.add_parser("export", help="attempts as one table (CSV, XLSX, Parquet), optionally the event logs")
    p.add_argument("--format", choices=("csv", "xlsx", "parquet"), default="csv")
    p.add_argument("--out", metavar="FILE", help="output file (default: results/exports/attempts-<time>.<format>)")
    p.add_argument("--candidate", metavar="ID")
    p.add_argument("--cohort", metavar="NAME")
    p.add_argument("--since", metavar="DATE", help="attempts started on or after this date (YYYY-MM-DD)")
    p.add_argument("--include-practice", action="store_true",
                   help="include practice attempts (a battery's practice items, `typingtest practice` drills)")
    p.add_argument("--events", action="store_true", help="also write the event logs as <FILE stem>-events.parquet")
    _add_db(p)
    p.set_defaults(func=_export)
