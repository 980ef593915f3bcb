"""Difficulty figures of a passage (computed on load; the tables are in ``typingtest.content.tables``)."""

from __future__ import annotations

import unicodedata

from typingtest.content.model import Difficulty

__all__ = ["BAND_KEYS", "difficulty"]

BAND_KEYS = ("mean_word_length", "digit_share", "capital_share", "punctuation_share", "diacritic_share")


def _has_diacritic(ch: str) -> bool:
    return ch.isalpha() and any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", ch))


def difficulty(text: str) -> Difficulty:
    """Figures of ``text``: characters, words (white-space separated), mean word length in
    characters (punctuation around a word not counted), and the shares of all characters that
    are digits, capitals, punctuation and letters with diacritics (fractions)."""
    n = len(text)
    words = text.split()
    lengths = [len(w.strip("".join(c for c in w if unicodedata.category(c).startswith("P")))) for w in words]
    lengths = [length for length in lengths if length > 0]
    share = (lambda k: round(k / n, 4)) if n else (lambda k: 0.0)
    return Difficulty(
        characters=n,
        words=len(words),
        mean_word_length=round(sum(lengths) / len(lengths), 3) if lengths else 0.0,
        digit_share=share(sum(ch.isdigit() for ch in text)),
        capital_share=share(sum(ch.isupper() for ch in text)),
        punctuation_share=share(sum(unicodedata.category(ch).startswith("P") for ch in text)),
        diacritic_share=share(sum(_has_diacritic(ch) for ch in text)),
    )
