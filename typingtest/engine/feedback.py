"""Live error feedback for copy typing: which typed characters are wrong (pure, no pygame)."""
from __future__ import annotations

import unicodedata

from rapidfuzz.distance import Levenshtein

from typingtest.engine.breaks import comparable
from typingtest.engine.scoring import reached_part

__all__ = ["LEAD_CHARS", "TAIL_CHARS", "error_positions", "error_positions_exact", "passage_position"]

#: Passage characters beyond the typed length the live alignment may use (characters): room for
#: omissions (a skipped word) before the end of what was typed.
LEAD_CHARS = 60
#: Typed characters ``passage_position`` aligns (the last ones): enough to place the end of the
#: answer, constant cost however long the answer (characters).
TAIL_CHARS = 200


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
    presented = comparable(unicodedata.normalize("NFC", presented))  # a break: Enter or space
    typed = comparable(unicodedata.normalize("NFC", typed))
    if not typed:
        return []
    return _marks(presented[: len(typed) + max(0, lead)], typed)


def error_positions_exact(presented: str, typed: str) -> list[int]:
    """The same marks against ``engine.scoring.reached_part`` (the scoring's rule; slow: 80 ms at
    2,000 typed characters). The reference ``error_positions`` is checked against."""
    presented = comparable(unicodedata.normalize("NFC", presented))
    typed = comparable(unicodedata.normalize("NFC", typed))
    if not typed:
        return []
    return _marks(reached_part(presented, typed), typed)


def passage_position(presented: str, typed: str, *, lead: int = LEAD_CHARS, tail: int = TAIL_CHARS) -> int:
    """Index into ``presented`` (characters, after NFC) of the next character to type: where the
    candidate is in the passage, for the display to keep that line in view.

    The last ``tail`` typed characters are aligned (rapidfuzz ``Levenshtein.opcodes``, unit costs)
    with the passage from ``tail + lead`` characters before to ``lead`` characters after the
    typed length; passage characters left over at the end are not reached. Line breaks compare
    as spaces (``engine.breaks``). The cost does not grow with the answer (~0.02 ms). Within a
    drift of ``lead`` characters (skipped or repeated text) the place is exact; beyond it the
    place lags by about the excess.
    """
    presented = comparable(unicodedata.normalize("NFC", presented))
    typed = comparable(unicodedata.normalize("NFC", typed))
    if not typed:
        return 0
    n = len(typed)
    t0 = max(0, n - max(1, tail))
    p0 = max(0, t0 - max(0, lead))
    window = presented[p0 : n + max(0, lead)]
    if not window:
        return len(presented)
    ops = Levenshtein.opcodes(window, typed[t0:])
    last = ops[-1] if len(ops) else None
    end = last.src_start if last is not None and last.tag == "delete" else len(window)
    return min(len(presented), p0 + end)
