"""One checker for the numbers read from a file: the centre's settings (``config.py``) and the
content files (``content/loader.py``) ask the same questions of a number and answer them here.

A number is good when it is a number (not a bool, not text), finite (TOML allows ``nan`` and
``inf``), a whole number where a count is meant, and inside its range. ``fits`` says whether it
is; ``number_problem`` says what is wrong in one phrase (``must be ..., got ...``);
``number`` raises the project's ``UserError`` naming the file and the key.
"""

from __future__ import annotations

import math
import os

from typingtest.errors import UserError
from typingtest.ids import SHOWN_MAX

__all__ = ["fits", "got", "number", "number_problem"]


def got(value: object) -> str:
    """``value`` as echoed after "got" in an error: its repr, cut to 40 characters (a
    10,000-character value must not fill the screen)."""
    text = repr(value)
    return text if len(text) <= SHOWN_MAX else text[: SHOWN_MAX - 1] + "…"


def _is_number(value: object, whole: bool) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) if whole else isinstance(value, int | float)


def fits(value: object, *, low: float | None = None, above: float | None = None, high: float | None = None,
         whole: bool = False) -> bool:
    """Whether ``value`` is a finite number (an ``int`` when ``whole``) with ``low <= value``,
    ``above < value`` and ``value <= high`` (each bound only when given)."""
    if not _is_number(value, whole):
        return False
    x = float(value)  # type: ignore[arg-type]  # an int or a float: checked above
    if not math.isfinite(x):
        return False
    return not ((low is not None and x < low) or (above is not None and x <= above)
                or (high is not None and x > high))


def _range_words(low: float | None, above: float | None, high: float | None, whole: bool) -> str:
    """The range in words when the caller gave none: "a number from 1 to 4", "a whole number
    more than 0", "a finite number"."""
    what = "a whole number" if whole else "a number"
    if low is not None and high is not None:
        return f"{what} from {low:g} to {high:g}"
    parts = []
    if low is not None:
        parts.append(f"{low:g} or more")
    if above is not None:
        parts.append(f"more than {above:g}")
    if high is not None:
        parts.append(f"at most {high:g}")
    return f"{what} {' and '.join(parts)}" if parts else f"a finite {what[2:]}"


def number_problem(value: object, *, low: float | None = None, above: float | None = None,
                   high: float | None = None, whole: bool = False, words: str | None = None) -> str | None:
    """What is wrong with ``value`` as a number of this range, as one phrase, or None when it fits.

    Args:
        value: as read from the file (any type).
        low, above, high: the range: ``low <= value``, ``above < value``, ``value <= high``.
        whole: a whole number is meant (a count, days).
        words: what the range means, said after "must be" (default: the bounds in words).

    Returns:
        ``"must be a number, got '1.5'"`` for a value of the wrong type, ``"must be <words>, got
        nan"`` for one that is not finite or out of range (a float shown as a float), else None.
    """
    if not _is_number(value, whole):
        return f"must be {'a whole number' if whole else 'a number'}, got {got(value)}"
    if fits(value, low=low, above=above, high=high, whole=whole):
        return None
    shown_value = value if whole else float(value)  # type: ignore[arg-type]
    return f"must be {words or _range_words(low, above, high, whole)}, got {got(shown_value)}"


def number(value: object, *, file: str | os.PathLike[str], key: str, low: float | None = None,
           above: float | None = None, high: float | None = None, whole: bool = False,
           words: str | None = None) -> int | float:
    """``value`` checked by ``number_problem``: an ``int`` when ``whole``, else a ``float``.

    Raises:
        UserError: one line ``<file>: <key>: must be ..., got ...`` (exit code 2).
    """
    problem = number_problem(value, low=low, above=above, high=high, whole=whole, words=words)
    if problem is not None:
        raise UserError(f"{os.fspath(file)}: {key}: {problem}")
    return int(value) if whole else float(value)  # type: ignore[arg-type]
