"""Commands of the analysis part: ``report``, ``compare``, ``override``, ``progress``.

Results are personal data: these commands write files only where ``--out`` says and print
only paths and counts, except ``compare`` without ``--out``, which prints the side-by-side
table the user asked for. Attempts come from the store (``--db`` or the settings), or from
an attempts CSV (``--from-csv``, the columns of ``Store.attempts_frame``) for offline use.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from typingtest.errors import UserError
from typingtest.ids import candidate_filename

if TYPE_CHECKING:  # pandas loads on first use: every CLI command imports this module
    import pandas as pd

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``report``, ``compare``, ``override`` and ``progress`` to the ``typingtest`` parser."""
    p = sub.add_parser("report", help="cohort report: one self-contained HTML file (and PDF, CSV/XLSX tables)")
    _source_options(p)
    p.add_argument("--out", required=True, metavar="FILE", help="the HTML file to write (e.g. report.html)")
    p.add_argument("--pdf", action="store_true", help="also write the report as PDF beside it")
    p.add_argument("--no-tables", action="store_true", help="skip the tables")
    p.add_argument("--tables", default="csv,xlsx", metavar="FORMATS",
                   help="table formats, comma-separated: csv, xlsx, parquet (default: csv,xlsx)")
    p.add_argument("--include-practice", action="store_true",
                   help="also write the practice attempts (a battery's practice items, `typingtest practice` drills) "
                   "as the table <name>_practice; the report's figures and decisions stay on the tests")  # fmt: skip
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("compare", help="recruiter comparison of applicants: side-by-side table, ranking, PDF each")
    p.add_argument("candidates", nargs="+", metavar="ID", help="candidate ids to compare")
    _source_options(p)
    p.add_argument("--out", metavar="DIR", help="folder for compare.csv/.xlsx, ranking.csv and one PDF per applicant "
                   "(without it the table is printed)")  # fmt: skip
    p.add_argument("--norm", metavar="COHORT", help="rank percentiles within this stored cohort (a norm group); "
                   "default: the applicants' cohort (required when they come from several)")  # fmt: skip
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("override", help="an assessor overrides one verdict of an attempt (with a reason; audited)")
    p.add_argument("attempt", metavar="ATTEMPT", help="the attempt id")
    p.add_argument("indicator", metavar="INDICATOR", help="the judged indicator, e.g. msd_error_rate")
    verdict = p.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--pass", dest="passed", action="store_true", help="the verdict becomes a pass")
    verdict.add_argument("--fail", dest="failed", action="store_true", help="the verdict becomes a fail")
    p.add_argument("--reason", required=True, help="why (shown beside the verdict in every report)")
    p.add_argument("--assessor", required=True, help="the assessor's name")
    p.add_argument("--db", metavar="URL", help="database URL (default: the settings' / $TYPINGTEST_DB)")
    p.set_defaults(func=cmd_override)

    p = sub.add_parser("progress", help="a trainee's progress over sessions: charts (PNG, SVG, PDF) and tables")
    p.add_argument("candidate", metavar="ID", help="the trainee's candidate id")
    _source_options(p, cohort=False)
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write the charts and tables to")
    p.add_argument("--layout", help="keyboard layout of the heatmap: azerty-be (default), qwerty-us, qwertz-de; "
                   "default: the layout recorded with the attempts")  # fmt: skip
    p.add_argument("--include-practice", action="store_true",
                   help="count the practice attempts too (`typingtest practice` drills: battery 'practice')")
    p.set_defaults(func=cmd_progress)

    p = sub.add_parser("reliability", help="split-half reliability, SEM and decision consistency of the typed figures")
    p.add_argument("--cohort", metavar="NAME", help="only this cohort")
    p.add_argument("--db", metavar="URL", help="database URL (default: the settings' / $TYPINGTEST_DB)")
    p.add_argument("--task", choices=("copy-typing", "transcription"), default="copy-typing",
                   help="which attempts (default copy-typing; transcription on the raw MSD error rate)")
    p.add_argument("--aalto", metavar="PATH", help="a folder of 136M Keystrokes files instead of the store "
                   "(one segment per sentence)")  # fmt: skip
    p.add_argument("--segment-chars", type=int, default=50, metavar="N",
                   help="characters of the presented text per segment (default 50)")
    p.add_argument("--out", metavar="FILE", help="write the table as CSV instead of printing it")
    p.set_defaults(func=_cmd_reliability)


def _cmd_reliability(args: argparse.Namespace) -> int:
    """``typingtest reliability`` (``typingtest.analysis.reliability.cmd_reliability``)."""
    from typingtest.analysis.reliability import cmd_reliability

    return cmd_reliability(args)


def _source_options(p: argparse.ArgumentParser, cohort: bool = True) -> None:
    if cohort:
        p.add_argument("--cohort", metavar="NAME", help="only this cohort")
        p.add_argument("--battery", metavar="NAME", help="only attempts of this battery")
        p.add_argument("--language", metavar="LANG", help="only attempts in this content language (nl, fr, en, de)")
    p.add_argument("--since", metavar="DATE", help="only attempts started on or after this date (YYYY-MM-DD, UTC)")
    p.add_argument("--until", metavar="DATE", help="only attempts started before this date (YYYY-MM-DD, UTC)")
    p.add_argument("--lang", choices=("nl", "fr", "en"), default=None,
                   help="language of titles and labels (default: nl, or the settings' ui_lang)")  # fmt: skip
    p.add_argument("--db", metavar="URL", help="database URL (default: the settings' / $TYPINGTEST_DB)")
    p.add_argument("--from-csv", metavar="FILE", help="read attempts from this CSV (Store.attempts_frame columns) "
                   "instead of the database")  # fmt: skip
    p.add_argument("--rejudge", action="store_true", help="judge the stored values again against the thresholds "
                   "in force now (the settings' thresholds file) instead of the verdicts stored with each attempt")
    p.add_argument("--overrides", metavar="FILE", help="with --from-csv: assessor overrides as CSV "
                   "(attempt_id, indicator, passed, reason, assessor, at)")  # fmt: skip


class _Source:
    """Where attempts come from: the store, or a CSV file (then overrides from a CSV too)."""

    def __init__(self, args: argparse.Namespace) -> None:
        from typingtest.config import load_settings

        self.args = args
        self.settings = load_settings(args.settings)
        self.store: Any = None
        self.csv = getattr(args, "from_csv", None)

    def lang(self) -> str:
        lang = getattr(self.args, "lang", None) or getattr(self.settings, "ui_lang", "nl")
        return lang if lang in ("nl", "fr", "en") else "nl"

    def open(self) -> Any:
        if self.store is None:
            from typingtest.store import open_store

            self.store = open_store(self.settings, url=getattr(self.args, "db", None))
        return self.store

    def attempts(self, *, cohort: str | None = None, candidate: str | None = None, filters: bool = True,
                 include_practice: bool = False) -> pd.DataFrame:  # fmt: skip
        """The complete, non-practice attempts of ``cohort``/``candidate`` (``filters``: and the date,
        battery and language options; ``include_practice``: practice attempts too)."""
        from typingtest.analysis.frame import filter_attempts, read_attempts_csv, validate_attempts

        a = self.args
        since, until = (a.since, a.until) if filters else (None, None)
        if self.csv:
            data = read_attempts_csv(self.csv)
        else:
            data = validate_attempts(
                self.open().attempts_frame(cohort=cohort, candidate=candidate, since=since, until=until,
                                           include_practice=include_practice), "database"
            )
        return filter_attempts(
            data, cohort=cohort, candidates=None if candidate is None else [candidate], since=since, until=until,
            battery=getattr(a, "battery", None) if filters else None,
            language=getattr(a, "language", None) if filters else None, include_practice=include_practice,
        )  # fmt: skip

    def overrides(self) -> pd.DataFrame | None:
        import pandas as pd

        if self.csv:
            path = getattr(self.args, "overrides", None)
            if not path:
                return None
            try:
                return pd.read_csv(path)
            except FileNotFoundError:
                raise UserError(f"{path}: file not found") from None
        from typingtest.analysis.overrides import load_overrides

        return load_overrides(self.open())

    def write(self, folder: Path, purpose: str, object_type: str, details: dict[str, Any],
              make: Callable[[Path], list[tuple[Path, tuple[str, ...]]]]) -> list[Path]:
        """Write files into ``folder`` audited first: ``make(stage)`` writes them into a private staging
        folder and returns (path, candidates held) each; then the audit entry and the manifest
        (``typingtest.store.manifest``) are stored, then the files renamed into place, 0600.
        If the audit cannot be stored nothing is left. Without a store (``--from-csv``) there is
        nothing to audit: the files are only renamed into place."""
        from typingtest.store.manifest import WrittenFile, publish, record_files, staged

        with staged(folder) as stage:
            made = make(stage)
            names = [p.relative_to(stage) for p, _ in made]
            if self.store is not None:
                files = [WrittenFile(folder / n, purpose, held) for n, (_, held) in zip(names, made, strict=True)]
                record_files(self.store, files, "exported", object_type, None, {**details, "files": len(names)})
            return publish(stage, folder, names)

    def close(self) -> None:
        if self.store is not None and hasattr(self.store, "close"):
            self.store.close()


def _out_dir(path: str) -> Path:
    from typingtest.fileperms import private_dir

    out = Path(path)
    if out.exists() and not out.is_dir():
        raise UserError(f"{out}: --out: exists and is not a folder; give a folder")
    return out if out.is_dir() else private_dir(out)  # a folder made here: owner only


def cmd_report(args: argparse.Namespace) -> int:
    """``typingtest report``: the cohort report as HTML (and PDF, tables)."""
    from typingtest.analysis.report import build_cohort_report, write_html, write_pdf, write_tables
    from typingtest.config import load_thresholds

    out = Path(args.out)
    if out.suffix.lower() not in (".html", ".htm"):
        raise UserError(f"{out}: --out: the report is an HTML file; end the name in .html")
    src = _Source(args)
    try:
        data = src.attempts(cohort=args.cohort)
        if data.empty:
            raise UserError("report: no complete, non-practice attempts match; check --cohort, --since, --until")
        thresholds = load_thresholds(src.settings)
        reliability = None  # split-half needs the event logs: from the store only
        if not src.csv:
            from typingtest.analysis.reliability import cohort_reliability

            reliability = cohort_reliability(src.open(), data, thresholds, src.settings.passages_dir)
        report = build_cohort_report(data, cohort=args.cohort, lang=src.lang(), overrides=src.overrides(),
                                     thresholds=thresholds, rejudge=args.rejudge, reliability=reliability)  # fmt: skip
        formats = [f.strip().lower() for f in args.tables.split(",") if f.strip()]
        unknown = sorted(set(formats) - {"csv", "xlsx", "parquet"})
        if unknown and not args.no_tables:
            raise UserError(f"report: --tables: {unknown[0]!r} unknown; use csv, xlsx, parquet")
        held = tuple(sorted(set(data["candidate_id"].astype(str))))
        practice = None
        if args.include_practice:  # their own table: the report's figures and decisions stay on the tests
            every = src.attempts(cohort=args.cohort, include_practice=True)
            practice = every[every["practice"].astype(bool)]
            held = tuple(sorted(set(held) | set(practice["candidate_id"].astype(str))))

        def make(stage: Path) -> list[tuple[Path, tuple[str, ...]]]:
            paths = [write_html(report, stage / out.name)]
            if args.pdf:
                paths.append(write_pdf(report, stage / out.with_suffix(".pdf").name))
            if not args.no_tables:
                paths += write_tables(report, stage, formats=formats, stem=out.stem)
                if practice is not None:
                    from typingtest.analysis.export_frame import flatten_attempts, write_table

                    flat = flatten_attempts(practice, src.overrides())
                    paths += [write_table(flat, f, stage / f"{out.stem}_practice.{f}") for f in formats]
            return [(p, held) for p in paths]

        written = src.write(out.parent, "report", "report", {"cohort": args.cohort, "candidates": report.n_candidates,
                                                             "attempts": report.n_attempts}, make)  # fmt: skip
    finally:
        src.close()
    print(f"report: {report.n_candidates} candidates, {report.n_attempts} attempts"
          + (f", {len(practice)} practice attempts in the practice table" if practice is not None else ""))
    for p in written:
        print(p)
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """``typingtest compare``: applicants side by side, ranked, one PDF page each."""
    import pandas as pd

    from typingtest.analysis.compare import compare_applicants, side_by_side
    from typingtest.analysis.report import write_applicant_pdf
    from typingtest.analysis.xlsx import write_xlsx

    src = _Source(args)
    try:
        data = src.attempts(cohort=args.cohort)
        overrides = src.overrides()
        reference = data if args.cohort else None
        if args.norm:
            reference = src.attempts(cohort=args.norm, filters=False)
            if reference.empty:
                raise UserError(f"compare: --norm {args.norm}: no complete attempts in this cohort")
        thresholds = None
        if args.rejudge:
            from typingtest.config import load_thresholds

            thresholds = load_thresholds(src.settings)
        comparison, ranking, _ = compare_applicants(data, args.candidates, reference=reference, overrides=overrides,
                                                    thresholds=thresholds)  # fmt: skip
        lang = src.lang()
        if not args.out:
            table = side_by_side(comparison, lang, order=list(ranking["candidate_id"]))
            with pd.option_context("display.width", 250, "display.max_columns", 50, "display.max_colwidth", 40):
                print(table.to_string())
                print()
                print(ranking.to_string(index=False))
            return 0
        out = _out_dir(args.out)
        ov = None
        if overrides is not None and len(overrides):
            ov = overrides.merge(data[["attempt_id", "candidate_id"]], on="attempt_id", how="inner")
        everyone = tuple(sorted(set(ranking["candidate_id"].astype(str))))

        def make(stage: Path) -> list[tuple[Path, tuple[str, ...]]]:
            comparison.to_csv(stage / "compare.csv", index=False)
            ranking.to_csv(stage / "ranking.csv", index=False)
            side = side_by_side(comparison, lang, order=list(ranking["candidate_id"])).reset_index()
            write_xlsx(stage / "compare.xlsx", {"side-by-side": side, "ranking": ranking, "values": comparison}, lang)
            made = [(stage / n, everyone) for n in ("compare.csv", "ranking.csv", "compare.xlsx")]
            first = data.groupby("candidate_id")["started_at"].min()
            batteries = data.groupby("candidate_id")["battery"].agg(lambda b: ", ".join(sorted({str(x) for x in b})))
            for cand in dict.fromkeys(args.candidates):  # one page each, holding that applicant only
                made.append((write_applicant_pdf(cand, comparison, ranking, stage / f"{candidate_filename(cand)}.pdf",
                                                 lang=lang, overrides=ov, cohort=args.cohort,
                                                 test_date=first.get(cand), battery=batteries.get(cand)),
                             (cand,)))  # fmt: skip
            return made

        written = src.write(out, "compare", "comparison", {"candidates": len(ranking)}, make)
    finally:
        src.close()
    print(f"compare: {len(ranking)} applicants")
    for p in written:
        print(p)
    return 0


def cmd_override(args: argparse.Namespace) -> int:
    """``typingtest override``: record an assessor's override (the store writes the audit log)."""
    from typingtest.analysis.overrides import override_verdict

    src = _Source(args)
    try:
        oid = override_verdict(src.open(), args.attempt, args.indicator, bool(args.passed), args.reason, args.assessor)
    finally:
        src.close()
    print(f"override {oid} recorded for attempt {args.attempt}, {args.indicator}")
    return 0


def cmd_progress(args: argparse.Namespace) -> int:
    """``typingtest progress``: a trainee's charts as PNG, SVG and one PDF, and the tables as CSV."""
    from typingtest.analysis.progress_report import write_progress

    src = _Source(args)
    try:
        data = src.attempts(candidate=args.candidate, include_practice=args.include_practice)
        if data.empty:
            raise UserError(f"{args.candidate}: no complete, non-practice attempts for this candidate id")
        overrides = src.overrides()

        def make(stage: Path) -> list[tuple[Path, tuple[str, ...]]]:
            paths = write_progress(data, stage, lang=src.lang(), layout=args.layout, overrides=overrides,
                                   store=src.store)  # the trainer view's learner model and drills
            return [(p, (str(args.candidate),)) for p in paths]

        written = src.write(_out_dir(args.out), "progress", "progress", {"candidates": 1}, make)
    finally:
        src.close()
    print(f"progress: {data['session_id'].nunique()} sessions, {len(data)} attempts")
    for p in written:
        print(p)
    return 0
