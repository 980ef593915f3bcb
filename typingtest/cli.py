"""One entry point: ``typingtest <command>``.

Each part of the package adds its commands through ``register(subparsers)`` in its own
``commands`` module, so that this file stays the same as commands are added.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from typingtest import __version__
from typingtest.errors import UserError

__all__ = ["build_parser", "main"]

# The modules that add commands, in the order `--help` lists them.
COMMAND_MODULES = (
    "typingtest.workstation.commands",  # run, replay
    "typingtest.engine.commands",  # score
    "typingtest.engine.corpus_commands",  # corpus
    "typingtest.content.commands",  # content
    "typingtest.audio.commands",  # audio
    "typingtest.store.commands",  # recover, verify, candidate, purge, export
    "typingtest.analysis.commands",  # compare, progress, report
    "typingtest.simulate.commands",  # simulate, demo
    "typingtest.console.commands",  # console, user
    "typingtest.training.commands",  # drill
    "typingtest.centre.commands",  # registration
)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every command registered."""
    parser = argparse.ArgumentParser(
        prog="typingtest",
        description="Typing and multitasking skills test for contact-centre operators.",
    )
    parser.add_argument("--version", action="version", version=f"typingtest {__version__}")
    parser.add_argument(
        "--settings",
        metavar="FILE",
        help="the centre's settings file (TOML); default: $TYPINGTEST_SETTINGS or ./typingtest.toml",
    )
    sub = parser.add_subparsers(dest="command", metavar="<command>")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"typingtest: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("typingtest: interrupted", file=sys.stderr)
        return 130
