"""Training commands: ``typingtest drill`` prints a trainee's next drill without a display;
``typingtest practice`` runs drills at the workstation (``training.practice``,
``workstation.drill_scenes``).

The drill is for a printed worksheet or a script: its text, or with ``--json`` the object
``{"text", "targets", "items", ...}`` (targets in order of weakness). The output holds the
trainee's weakest keys and their rates: it goes to standard output only, for the trainer.
"""

from __future__ import annotations

import argparse
import json
import zlib

from typingtest.errors import UserError

__all__ = ["cmd_practice", "default_seed", "register"]


def default_seed(candidate_id: str, n_attempts: int) -> int:
    """The seed of the trainee's next drill: the same until another attempt is stored (CRC-32 of
    the id and the number of attempts, so it is the same on every machine)."""
    return zlib.crc32(f"{candidate_id}:{n_attempts}".encode())


def cmd_drill(args: argparse.Namespace) -> int:
    """``typingtest drill``: the next drill of ``--candidate`` from the learner model."""
    from typingtest.config import load_settings
    from typingtest.store import open_store
    from typingtest.training.drills import make_drill
    from typingtest.training.learner import learner_model

    if args.length is not None and args.length < 10:
        raise UserError(f"--length {args.length}: a drill needs at least 10 characters")
    store = open_store(load_settings(args.settings), url=args.db, read_only=True)
    try:
        model = learner_model(store, args.candidate)
    finally:
        store.close()
    seed = args.seed if args.seed is not None else default_seed(model.candidate_id, model.n_attempts)
    drill = make_drill(model, length=args.length or 300, seed=seed, language=args.language, focus=args.focus)
    if args.json:
        print(json.dumps(drill.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(drill.text)
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``drill``."""
    p = sub.add_parser("drill", help="print a trainee's next drill (weakest keys, job material, dictation)",
                       description="Print the next drill for a trainee, made from the learner model over every "
                       "stored attempt (tests and practice). Seeded: the same seed gives the same drill.")  # fmt: skip
    p.add_argument("--candidate", required=True, metavar="ID", help="the trainee's candidate id")
    p.add_argument("--json", action="store_true", help='print {"text", "targets", "items"} as JSON')
    p.add_argument("--length", type=int, metavar="N", help="characters of drill text (default 300)")
    p.add_argument("--seed", type=int, metavar="S", help="seed (default: from the id and the attempts stored)")
    p.add_argument("--focus", default="auto", choices=("auto", "keys", "numbers", "dictation"),
                   help="what to practise (default auto: dictation when weak at transcription, else keys)")
    p.add_argument("--language", choices=("nl", "fr", "en", "de"),
                   help="language of the words (default: the trainee's latest session)")
    p.add_argument("--db", metavar="URL", help="database URL (sqlite:///path or postgresql://user@host/db); "
                   "default: the settings file's db_url, $TYPINGTEST_DB, or SQLite in the results folder")
    p.set_defaults(func=cmd_drill)
    _register_practice(sub)


def cmd_practice(args: argparse.Namespace) -> int:
    """``typingtest practice``: drills at the workstation for ``--minutes``, stored as practice."""
    import os
    import sys

    from typingtest.config import load_settings, load_thresholds
    from typingtest.ids import check_candidate_id
    from typingtest.store import open_store
    from typingtest.training.learner import learner_model
    from typingtest.training.practice import DEFAULT_ERROR_LIMIT, Practice

    settings = load_settings(args.settings)
    thresholds = load_thresholds(settings)
    cid = check_candidate_id(args.candidate, "--candidate")
    store = open_store(settings, url=args.db)
    try:
        from typingtest.workstation.runner import recovery_summary

        summary = recovery_summary(store.recover())  # what a crash left, before anything new (as `run`)
        if summary:
            print(summary, file=sys.stderr)
        if store.candidate(cid) is None:
            raise UserError(f"--candidate {cid}: not in {store.display_url}; a trainee must be registered first "
                            "(typingtest candidate add, or a test session)")  # fmt: skip
        limit = thresholds.get("msd_error_rate")
        practice = Practice(cid, lambda: learner_model(store, cid), minutes=args.minutes, focus=args.focus,
                            length=args.length, language=args.language,
                            error_limit=limit.limit if limit is not None else DEFAULT_ERROR_LIMIT)  # fmt: skip
        from typingtest.workstation.drill_scenes import start_practice
        from typingtest.workstation.runner import open_app, run_to_end

        if os.environ.get("SDL_VIDEODRIVER") == "dummy":
            print("typingtest: SDL_VIDEODRIVER=dummy: nothing is shown and no keyboard is read; drive the "
                  "workstation from Python (docs/workstation.md, 'Headless driving')", file=sys.stderr)  # fmt: skip
        app = open_app(settings, windowed=args.windowed, ui_lang=args.ui_lang)
        session = start_practice(app, settings, store, practice, thresholds=thresholds)
        run_to_end(app, session)
    finally:
        store.close()
    for r in session.results:  # ids only: results are personal data and stay in the store
        print(f"stored practice attempt {r.attempt_id} ({r.kind} {r.item}, {r.state})")
    return 0 if session.state == "complete" else 1


def _register_practice(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``practice``."""
    p = sub.add_parser("practice", help="practise at the workstation: drills from the trainee's weak keys, "
                       "with feedback after each", description="Run drills at the workstation, each made from the "
                       "learner model updated with the drills just typed, until --minutes of drill time are used. "
                       "Attempts are stored as practice: reports, compare and export leave them out unless "
                       "--include-practice.")  # fmt: skip
    p.add_argument("--candidate", required=True, metavar="ID", help="the trainee's candidate id (must exist)")
    p.add_argument("--minutes", type=float, default=10.0, metavar="N", help="practice time in minutes (default 10)")
    p.add_argument("--focus", default="auto", choices=("auto", "keys", "numbers", "dictation"),
                   help="what to practise (default auto: dictation when weak at transcription, else keys)")
    p.add_argument("--length", type=int, default=300, metavar="N", help="characters per drill (default 300)")
    p.add_argument("--language", choices=("nl", "fr", "en", "de"),
                   help="language of the words (default: the trainee's latest session)")
    p.add_argument("--windowed", action="store_true", help="a 1280x720 window instead of full screen")
    p.add_argument("--ui-lang", choices=("nl", "fr", "en"), help="interface language (default: settings' ui_lang)")
    p.add_argument("--db", metavar="URL", help="database URL (sqlite:///path or postgresql://user@host/db); "
                   "default: the settings file's db_url, $TYPINGTEST_DB, or SQLite in the results folder")
    p.set_defaults(func=cmd_practice)
