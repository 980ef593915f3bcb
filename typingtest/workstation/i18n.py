"""Interface text in Dutch (default), French and English (``--ui-lang``).

The test *content* has its own language (``--lang``); this is only the workstation's own
wording: buttons, instructions, dialogs. The words live in ``typingtest.texts.workstation``
(the one shape of every text table); ``Translator`` looks them up with ``typingtest.texts.text``.
"""

from __future__ import annotations

from typingtest.texts import LANGUAGES, text
from typingtest.texts.workstation import STRINGS

__all__ = ["UI_LANGS", "Translator"]

UI_LANGS = LANGUAGES

#: The workstation table as (nl, fr, en) tuples, for readers written against that shape.
_STRINGS: dict[str, tuple[str, ...]] = {key: tuple(entry[lang] for lang in UI_LANGS) for key, entry in STRINGS.items()}


class Translator:
    """``tr(key, **values)``: the interface text in one language (English where one is missing);
    with a count ``n``, the entry ``<key>_<n>`` when there is one (zero and one read differently)."""

    def __init__(self, lang: str = "nl") -> None:
        if lang not in UI_LANGS:
            raise ValueError(f"interface language {lang!r} not available; choose one of {', '.join(UI_LANGS)}")
        self.lang = lang

    def __call__(self, key: str, **values: object) -> str:
        return text(STRINGS, key, self.lang, **values)

    def known(self, key: str) -> bool:
        """True when ``key`` has a text (``tr(key)`` would otherwise show the key itself)."""
        return key in STRINGS
