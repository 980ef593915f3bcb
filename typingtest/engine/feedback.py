"""Live error feedback for copy typing: which typed characters are wrong (pure, no pygame)."""
from __future__ import annotations

import unicodedata

from rapidfuzz.distance import Levenshtein

from typingtest.engine.scoring import reached_part

__all__ = ["error_positions"]


def error_positions(presented: str, typed: str) -> list[int]:
    """Indices into ``typed`` (characters, after NFC) that an optimal alignment marks as wrong.

    ``typed`` is aligned (rapidfuzz ``Levenshtein.editops``, unit costs) with the part of
    ``presented`` the candidate reached (``engine.scoring.reached_part``), so the untyped rest of
    the passage is no error. A substituted or inserted (extra) typed character is marked; an
    omission (a passage character left out) marks nothing, since there is no typed character to
    colour. Where several optimal alignments exist, rapidfuzz's one is used.
    """
    presented = unicodedata.normalize("NFC", presented)
    typed = unicodedata.normalize("NFC", typed)
    if not typed:
        return []
    reached = reached_part(presented, typed)
    marked = {op.dest_pos for op in Levenshtein.editops(reached, typed) if op.tag in ("replace", "insert")}
    return sorted(marked)
