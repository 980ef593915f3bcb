"""Interface text in Dutch, French and English: one shape of table, one lookup.

Every table (one module per audience: ``workstation`` for the candidate's and the proctor's
screens, ``reports`` for charts, reports and progress files) maps a key to its text in each
language of ``LANGUAGES``: ``{"finish": {"nl": "Klaar", "fr": "Terminer", "en": "Finish"}}``.
``text(table, key, lang, **fields)`` looks a key up:

- ``{field}`` placeholders are filled from ``fields`` (``str.format``);
- with a count ``n``, the entry ``<key>_<n>`` wins where there is one (zero and one often read
  differently: "plays_left_0");
- the fallback rule: a language not in ``LANGUAGES`` reads ``DEFAULT_LANGUAGE``; a missing or
  empty translation reads English; an unknown key reads the key itself (a test checks that no
  table misses a language, so the fallbacks only guard callers with a name of their own).

A new language is a new entry in ``LANGUAGES`` and a text for it under every key
(``tests/test_texts.py`` lists what is missing).
"""

from __future__ import annotations

import string
from collections.abc import Mapping

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "Table", "placeholders", "problems", "text"]

#: The languages every text exists in, in the order they are offered.
LANGUAGES: tuple[str, ...] = ("nl", "fr", "en")
#: The language of a caller that names none we have (the centres are in Flanders).
DEFAULT_LANGUAGE = "nl"
#: The language a missing translation falls back on.
_FALLBACK = "en"

#: A text table: key -> {language: text}.
Table = dict[str, dict[str, str]]


def text(table: Mapping[str, Mapping[str, str]], key: str, lang: str = DEFAULT_LANGUAGE, **fields: object) -> str:
    """The text of ``key`` in ``lang`` from ``table``, ``{fields}`` filled in (the rule in the module docstring)."""
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    entry = table.get(f"{key}_{fields['n']}") if "n" in fields else None
    entry = entry or table.get(key)
    words = key if entry is None else (entry.get(lang) or entry.get(_FALLBACK) or key)
    return words.format(**fields) if fields else words


def placeholders(words: str) -> frozenset[str]:
    """The names of the ``{field}`` placeholders in ``words``."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(words) if name is not None)


def problems(table: Mapping[str, Mapping[str, str]]) -> list[str]:
    """What is wrong with ``table``, one line each: a language missing or empty, another language's
    placeholders; empty when every key has a non-empty text in every language with the same fields."""
    out = []
    for key, entry in table.items():
        missing = [lang for lang in LANGUAGES if not str(entry.get(lang) or "").strip()]
        if missing:
            out.append(f"{key}: no text in {', '.join(missing)}")
            continue
        extra = sorted(set(entry) - set(LANGUAGES))
        if extra:
            out.append(f"{key}: language(s) {', '.join(extra)} not in LANGUAGES")
        first = placeholders(entry[LANGUAGES[0]])
        for lang in LANGUAGES[1:]:
            if placeholders(entry[lang]) != first:
                out.append(f"{key}: {lang} has fields {sorted(placeholders(entry[lang]))}, "
                           f"{LANGUAGES[0]} has {sorted(first)}")
    return out
