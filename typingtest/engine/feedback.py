"""Live error feedback for copy typing: which typed characters are wrong (pure, no pygame)."""
from __future__ import annotations

import unicodedata

from rapidfuzz.distance import Levenshtein

from typingtest.engine.scoring import reached_part

__all__ = ["LEAD_CHARS", "error_positions", "error_positions_exact"]

#: Passage characters beyond the typed length the live alignment may use (characters): room for
#: omissions (a skipped word) before the end of what was typed.
LEAD_CHARS = 60


def _marks(reference: str, typed: str) -> list[int]:
    ops = Levenshtein.editops(reference, typed)
    return sorted({op.dest_pos for op in ops if op.tag in ("replace", "insert")})


def error_positions(presented: str, typed: str, *, lead: int = LEAD_CHARS) -> list[int]:
    """Indices into ``typed`` (characters, after NFC) that an optimal alignment marks as wrong.

    Fast enough to run after every change on a 2,000-character passage (about 1 ms, see
    docs/workstation.md). ``typed`` is aligned (rapidfuzz ``Levenshtein.editops``, unit costs)
    with ``presented[:len(typed) + lead]``: passage characters left over at the end are
    omissions, and an omission (a passage character left out) marks nothing, since there is no
    typed character to colour, so the untyped rest of the passage is no error. A substituted or
    inserted (extra) typed character is marked. Where several optimal alignments exist,
    rapidfuzz's one is used.

    This is ``error_positions_exact`` (the alignment with ``engine.scoring.reached_part``) without
    its cost: both minimise substitutions + 2 x insertions over the typed text; they differ only
    where the reached-part rule would rather substitute the last typed word(s) than count a
    skipped stretch as omitted (e.g. "the brown" for "the quick brown": exact marks "brown",
    live marks nothing), or where a skipped stretch is longer than ``lead``.
    """
    presented = unicodedata.normalize("NFC", presented)
    typed = unicodedata.normalize("NFC", typed)
    if not typed:
        return []
    return _marks(presented[: len(typed) + max(0, lead)], typed)


def error_positions_exact(presented: str, typed: str) -> list[int]:
    """The same marks against ``engine.scoring.reached_part`` (the scoring's rule; slow: 80 ms at
    2,000 typed characters). The reference ``error_positions`` is checked against."""
    presented = unicodedata.normalize("NFC", presented)
    typed = unicodedata.normalize("NFC", typed)
    if not typed:
        return []
    return _marks(reached_part(presented, typed), typed)
