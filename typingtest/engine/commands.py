"""``typingtest score``: the engine's figures for one presented text and keystroke stream."""

from __future__ import annotations

import argparse
import json
import math

from typingtest.errors import UserError

__all__ = ["SCORE_KEYS", "register", "score_dict", "unescape_stream"]

#: The keys of ``typingtest score --json``, exactly (issue 2).
SCORE_KEYS = (
    "transcribed",
    "msd",
    "msd_error_rate",
    "c",
    "inf",
    "if",
    "f",
    "kspc",
    "uncorrected_error_rate",
    "corrected_error_rate",
    "total_error_rate",
    "wpm",
    "gross_wpm",
    "net_wpm",
    "char_errors",
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``score`` to the ``typingtest`` parser."""
    p = sub.add_parser(
        "score",
        help="score one keystroke stream against a presented text",
        description=(
            "Score a keystroke stream against the presented text (MSD, keystroke classes, error rates, "
            "KSPC, speeds, character-level errors). In --stream, \\b is a backspace and \\\\ a backslash."
        ),
    )
    p.add_argument("--presented", required=True, metavar="TEXT", help="the presented text P")
    p.add_argument(
        "--stream", required=True, metavar="TEXT", help="the keystrokes typed; \\b = backspace, \\\\ = backslash"
    )
    p.add_argument(
        "--times",
        metavar="T1,T2,...",
        help="one time in seconds per stream character (after \\b and \\\\ are read as one character each)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_score)


def unescape_stream(text: str) -> str:
    """The command-line form of a stream: ``\\b`` is a backspace, ``\\\\`` a backslash."""
    out: list[str] = []
    k = 0
    while k < len(text):
        ch = text[k]
        if ch != "\\":
            out.append(ch)
            k += 1
            continue
        nxt = text[k + 1] if k + 1 < len(text) else ""
        if nxt == "b":
            out.append("\b")
        elif nxt == "\\":
            out.append("\\")
        else:
            shown = f"\\{nxt}" if nxt else "\\ at the end"
            raise UserError(
                f"--stream: character {k + 1}: {shown} is not an escape; write \\b for backspace, \\\\ for a backslash"
            )
        k += 2
    return "".join(out)


def _parse_times(text: str, count: int) -> list[float]:
    parts = [s.strip() for s in text.split(",")]
    times: list[float] = []
    for k, part in enumerate(parts):
        try:
            value = float(part)
        except ValueError:
            raise UserError(f"--times: item {k + 1}: {part!r} is not a number of seconds") from None
        if not math.isfinite(value):
            raise UserError(f"--times: item {k + 1}: {part!r} is not a finite number of seconds")
        times.append(value)
    if len(times) != count:
        raise UserError(f"--times: {len(times)} times for {count} stream characters; give one time per character")
    for k in range(1, len(times)):
        if times[k] < times[k - 1]:
            raise UserError(
                f"--times: item {k + 1}: {times[k]} is earlier than the one before; times must not decrease"
            )
    return times


def score_dict(presented: str, stream: str, times: list[float] | None = None) -> dict[str, object]:
    """The ``score`` JSON object (exactly ``SCORE_KEYS``) for a stream with ``"\\b"`` backspaces."""
    from typingtest.engine import analyze

    full = analyze(presented, stream, times).to_dict()
    return {key: full[key] for key in SCORE_KEYS}


def _score(args: argparse.Namespace) -> int:
    stream = unescape_stream(args.stream)
    times = _parse_times(args.times, len(stream)) if args.times is not None else None
    result = score_dict(args.presented, stream, times)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    for key in SCORE_KEYS:
        value = result[key]
        if key == "char_errors":
            if value is None:
                print(f"{key:24} -")
                continue
            assert isinstance(value, dict)
            for group in ("uncorrected", "corrected"):
                counts = ", ".join(f"{k} {v:g}" for k, v in value[group].items())
                print(f"{key + ' ' + group:24} {counts}")
        elif isinstance(value, float):
            shown = f"{value * 100:.2f} %" if key.endswith("_rate") else f"{value:.2f}"
            print(f"{key:24} {shown}")
        else:
            print(f"{key:24} {'-' if value is None else value}")
    return 0
