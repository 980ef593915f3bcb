"""Commands of the workstation: ``typingtest run`` and ``typingtest replay``."""

from __future__ import annotations

import argparse
import os
import sys

from typingtest.config import load_settings, load_thresholds
from typingtest.errors import UserError

__all__ = ["register"]

CONTENT_LANGS = ("nl", "fr", "en", "de")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``run`` and ``replay`` to the ``typingtest`` parser."""
    p = sub.add_parser("run", help="run the test workstation (a battery, or one task with --task)",
                       description="Run the test workstation full screen: a battery from intake to the closing "
                                   "screen, or one task with --task KIND (stored, then exit 0).")
    p.add_argument("--battery", default="default", help="battery name or file (default: default)")
    p.add_argument("--candidate", metavar="ID", help="pseudonymous candidate id (else asked at intake)")
    p.add_argument("--task", metavar="KIND", help="run one task: copy-typing, transcription, data-entry, call")
    p.add_argument("--item", metavar="ID", help="with --task: the content item (default <lang>-<kind>-01)")
    p.add_argument("--windowed", action="store_true", help="a 1280x720 window instead of full screen")
    p.add_argument("--size", metavar="WxH", help="window size in pixels (implies --windowed), e.g. 1920x1080")
    p.add_argument("--lang", choices=CONTENT_LANGS, help="content language (default: the settings' content_lang)")
    p.add_argument("--ui-lang", choices=("nl", "fr", "en"), help="interface language (default: settings' ui_lang)")
    p.add_argument("--seed", type=int, help="seed of randomised forms (default: a fresh one, stored)")
    p.add_argument("--layout", choices=("azerty-be", "qwerty-us", "qwertz-de"),
                   help="candidate's keyboard layout (default azerty-be; the intake lets the candidate choose)")
    p.set_defaults(func=_run)

    r = sub.add_parser("replay", help="play a stored attempt back on screen from its event log",
                       description="Play a stored attempt back: text appearing keystroke by keystroke, clicks "
                                   "shown, caller lines at their onsets.")
    r.add_argument("attempt", metavar="ATTEMPT", help="attempt id (see `typingtest export`)")
    r.add_argument("--speed", type=float, default=1.0,
                   help="playback speed factor (default 1; 2 = twice as fast); caller lines are sped up or "
                        "slowed down with it, so their pitch changes by the same factor")
    r.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    r.add_argument("--ui-lang", choices=("nl", "fr", "en"), help="interface language")
    r.set_defaults(func=_replay)


def _size(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise UserError(f"--size: {text!r} is not WxH (e.g. 1920x1080)") from None
    if not (320 <= w <= 7680 and 240 <= h <= 4320):
        raise UserError(f"--size: {text} is out of range (1280x720 to 3840x2160 are supported)")
    return (w, h)


def _run(args: argparse.Namespace) -> int:
    settings = load_settings(args.settings)
    thresholds = load_thresholds(settings)  # a bad thresholds file stops the start, not the first task
    if os.environ.get("SDL_VIDEODRIVER") == "dummy":
        print("typingtest: SDL_VIDEODRIVER=dummy: nothing is shown and no keyboard is read; drive the "
              "workstation from Python with posted events (docs/workstation.md, 'Headless driving')", file=sys.stderr)
    from typingtest.workstation.runner import (
        open_app,
        open_workstation_store,
        plan_run,
        proctor_notice,
        recovery_summary,
        run_to_end,
    )

    plan = plan_run(settings, battery=args.battery, candidate=args.candidate, task=args.task, item=args.item,
                    lang=args.lang, seed=args.seed)
    size = _size(args.size)
    store, recovered = open_workstation_store(settings)  # finish what a crash left before anything new
    summary = recovery_summary(recovered)
    if summary:
        print(summary, file=sys.stderr)
    app = open_app(settings, windowed=args.windowed or size is not None, size=size or ((1280, 720) if args.windowed
                                                                                        else None),
                   ui_lang=args.ui_lang)
    print(proctor_notice(settings), file=sys.stderr)  # a first start without sound needs the proctor (F7)
    session = plan.start(app, settings, store, keyboard_layout=args.layout, thresholds=thresholds)
    try:
        run_to_end(app, session)
    finally:
        store.close()
    for r in session.results:  # ids only: results are personal data and stay in the store
        if r.attempt_id is not None and any(r.attempt_id in line for line in session.store_problems):
            print(f"attempt {r.attempt_id} ({r.kind} {r.item}, {r.state}) NOT stored yet: its journal is kept; "
                  "run `typingtest recover` when the database is back")
        else:
            print(f"stored attempt {r.attempt_id} ({r.kind} {r.item}, {r.state})")
    return 0 if session.state == "complete" else 1


def _replay(args: argparse.Namespace) -> int:
    settings = load_settings(args.settings)
    if args.speed <= 0:
        raise UserError(f"--speed: must be > 0, got {args.speed}")
    from typingtest.store import open_store
    from typingtest.workstation.replay import run_replay
    from typingtest.workstation.runner import open_app

    store = open_store(settings)
    try:
        frame = store.attempts_frame(include_practice=True)
        rows = frame[frame["attempt_id"] == args.attempt]
        if rows.empty:
            raise UserError(f"ATTEMPT: no attempt {args.attempt!r} in {store.display_url}; see `typingtest export`")
        row = rows.iloc[0].to_dict()
        log = store.events(args.attempt)
    finally:
        store.close()
    app = open_app(settings, windowed=args.windowed, ui_lang=args.ui_lang)
    run_replay(app, row, log, speed=args.speed)
    return 0
