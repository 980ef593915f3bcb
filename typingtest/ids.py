"""Candidate ids are data, never paths: the one rule for every entry point, and safe file names.

One rule everywhere (workstation intake, store, CLI, console, registration import): 1-64
characters, letters, digits, ``_`` and ``-``, and ``.`` only between two other characters; so
no ``.`` or ``..``, no separator, no drive letter, nothing a file system reads as a path.
A file named after a candidate uses ``candidate_filename`` (a fixed, reversible-free
encoding), and every delete the package makes goes through ``inside`` first: the target
is resolved and refused unless it is strictly inside the folder that owns it.

Stores made before this rule may hold ids that break it: ``legacy_id_ok`` accepts those
for reading (an id the database already holds), never for writing a new row or a file.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from typingtest.errors import UserError

__all__ = [
    "CANDIDATE_ID_MAX",
    "CANDIDATE_ID_RE",
    "candidate_filename",
    "check_candidate_id",
    "inside",
    "is_valid_candidate_id",
    "shown",
]

CANDIDATE_ID_MAX = 64
#: letters, digits, ``_`` ``-``; a ``.`` only between two such characters (``a.b`` yes, ``.a``, ``a.``, ``a..b`` no).
CANDIDATE_ID_RE = re.compile(r"^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$")
#: names Windows reserves whatever the extension (``CON``, ``nul.txt`` ...)
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
SHOWN_MAX = 40


def shown(value: object, limit: int = SHOWN_MAX) -> str:
    """``value`` as it may be echoed in a one-line error: repr, cut to ``limit`` characters."""
    text = repr(str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_valid_candidate_id(value: object) -> bool:
    """True when ``value`` is a candidate id by the one rule (see the module docstring)."""
    return (isinstance(value, str) and 0 < len(value) <= CANDIDATE_ID_MAX
            and CANDIDATE_ID_RE.fullmatch(value) is not None)


def check_candidate_id(value: object, where: str = "candidate id") -> str:
    """``value`` stripped if it is a valid candidate id, else one ``UserError`` line naming ``where``."""
    cid = str(value).strip() if value is not None else ""
    if not is_valid_candidate_id(cid):
        raise UserError(f"{where} {shown(cid)}: use 1-{CANDIDATE_ID_MAX} letters, digits, _ or -, and . only "
                        "between them (no spaces, no / or \\, not . or ..)")
    return cid


def candidate_filename(candidate_id: str) -> str:
    """A file or folder name for a candidate: the id when it is safe on every system, else a digest.

    A valid id is already a safe name except a Windows reserved device name (``CON``, ``nul``),
    which gets a ``_`` prefix; an id that breaks the rule (a legacy store) becomes
    ``id-<16 hex of its SHA-256>``, so no id can ever name a path.
    """
    if is_valid_candidate_id(candidate_id):
        stem = candidate_id.split(".", 1)[0].upper()
        return f"_{candidate_id}" if stem in _WINDOWS_RESERVED else candidate_id
    return "id-" + hashlib.sha256(str(candidate_id).encode("utf-8")).hexdigest()[:16]


def inside(root: str | os.PathLike[str], target: str | os.PathLike[str]) -> Path:
    """``target`` resolved, if it lies strictly inside ``root`` (resolved); else ``UserError``.

    Both are resolved as paths are everywhere (a relative one against the working folder), so
    pass ``root / name``, not ``name`` alone.

    Every delete of the package calls this first, so a crafted name (``..``, a symlink, an
    absolute path) can never make it remove the folder that owns the file, or anything outside.
    """
    base = Path(root).resolve()
    resolved = Path(target).resolve()  # a relative target is relative to the working folder, as everywhere
    if resolved == base or base not in resolved.parents:
        raise UserError(f"{target}: refused: not strictly inside {base}; nothing was deleted")
    return resolved
