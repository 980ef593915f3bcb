"""The console's words: ``t(key, lang)`` reads the console's table (``typingtest.texts.console``)
first, then the reports' labels (``typingtest.analysis.labels.label``), so templates use one
function for both. The words themselves live with every other interface text in ``typingtest.texts``."""

from __future__ import annotations

from typingtest.analysis.labels import label
from typingtest.texts import LANGUAGES, text
from typingtest.texts.console import LABELS as CONSOLE_LABELS

__all__ = ["CONSOLE_LABELS", "LANGUAGES", "t"]


def t(key: str, lang: str = "nl", **fields: object) -> str:
    """The console's word for ``key`` in ``lang`` (else the shared label's), ``{fields}`` filled in."""
    if key not in CONSOLE_LABELS:
        return label(key, lang, **fields)
    return text(CONSOLE_LABELS, key, lang, **fields)
