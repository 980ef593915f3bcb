"""Words on charts and in reports, in the report's language (Dutch by default, French, English).

The words live in ``typingtest.texts.reports`` (the one shape of every text table: key ->
{language: text}); ``label(key, lang)`` looks one up with ``typingtest.texts.text`` (an unknown
language reads Dutch, an unknown key the key itself; a test checks none is missing). An
indicator's words are under its ``label_key`` in the registry ``typingtest.vocabulary.INDICATORS``.
"""

from __future__ import annotations

import re

from typingtest import texts
from typingtest.texts import LANGUAGES
from typingtest.texts.reports import COMPETENCES, FIELDS, LABELS
from typingtest.vocabulary import INDICATORS

__all__ = [
    "COMPETENCE_WORDS",
    "FIELD_WORDS",
    "LANGUAGES",
    "LOCAL_TIME_ZONE",
    "basis_label",
    "competence_label",
    "decimal",
    "field_label",
    "indicator_label",
    "label",
    "local_time",
    "number",
    "percent",
    "reference_label",
]

#: The report words per language ({language: {key: text}}), for readers written against that shape.
_LABELS: dict[str, dict[str, str]] = {lang: {key: entry[lang] for key, entry in LABELS.items()} for lang in LANGUAGES}
#: Data fields in words (the names the engine scores them under), per language (a view of ``FIELDS``).
FIELD_WORDS: dict[str, dict[str, str]] = {lang: {key: entry[lang] for key, entry in FIELDS.items()}
                                          for lang in LANGUAGES}  # fmt: skip
#: The qualification's competence codes in words, per language (a view of ``COMPETENCES``).
COMPETENCE_WORDS: dict[str, dict[str, str]] = {lang: {key: entry[lang] for key, entry in COMPETENCES.items()}
                                               for lang in LANGUAGES}  # fmt: skip

#: The time zone of Dutch and French outputs (the centres are in Belgium); English outputs stay in UTC.
LOCAL_TIME_ZONE = "Europe/Brussels"


def label(key: str, lang: str = "nl", **fields: object) -> str:
    """The word for ``key`` in ``lang`` with ``{fields}`` filled in."""
    return texts.text(LABELS, key, lang, **fields)


def indicator_label(indicator: str, lang: str = "nl") -> str:
    """An indicator's name on screen: the words of its ``label_key`` (falls back to the name)."""
    known = INDICATORS.get(indicator)
    return label(known.label_key if known is not None else indicator, lang)


def percent(value: float | None, digits: int = 1, lang: str | None = None) -> str:
    """A fraction shown as percent ("3.0 %"; "3,0 %" in Dutch and French); "–" when undefined."""
    if value is None or value != value:  # None or NaN
        return "–"
    return decimal(f"{100 * value:.{digits}f} %", lang)


def number(value: float | None, digits: int = 1, lang: str | None = None) -> str:
    """A number with ``digits`` decimals, a decimal comma in Dutch and French; "–" when undefined."""
    if value is None or value != value:
        return "–"
    return decimal(f"{value:.{digits}f}", lang)


def decimal(text: str, lang: str | None) -> str:
    """``text`` with the decimal point of each number written as a comma in Dutch and French."""
    if lang not in ("nl", "fr"):
        return text
    return re.sub(r"(?<=\d)\.(?=\d)", ",", text)


def local_time(value: object, lang: str = "nl", *, seconds: bool = False, date_only: bool = False) -> str:
    """A time as readers of ``lang`` expect it: Brussels local time, day first, in Dutch and French
    ("03-12-2026 15:20" / "03/12/2026 15:20"); UTC, ISO order, "UTC" appended in English.
    A naive time is taken as UTC; "–" when undefined."""
    import pandas as pd

    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return "–"
    ts = pd.Timestamp(value)  # type: ignore[arg-type]
    ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts
    clock = "%H:%M:%S" if seconds else "%H:%M"
    if lang in ("nl", "fr"):
        day = "%d-%m-%Y" if lang == "nl" else "%d/%m/%Y"
        return ts.tz_convert(LOCAL_TIME_ZONE).strftime(day if date_only else f"{day} {clock}")
    return ts.tz_convert("UTC").strftime("%Y-%m-%d" if date_only else f"%Y-%m-%d {clock} UTC")


def reference_label(reference: object, lang: str = "nl") -> str:
    """A percentile's reference group in ``lang``: the word "cohort" that the tables write
    before a cohort's name (``percentile_reference`` "cohort 2026-A") in the reader's
    language ("cohorte 2026-A"); a norm group's own name as it is."""
    text = str(reference)
    if text.startswith("cohort "):
        return f"{label('cohort', lang)} {text.removeprefix('cohort ')}"
    return text


def field_label(name: str, lang: str = "nl") -> str:
    """A data field's name in words ("customer_number" -> "klantnummer"; "order_code_2" -> "bestelcode 2")."""
    if name in FIELDS:
        return texts.text(FIELDS, name, lang)
    base, _, row = name.rpartition("_")
    if base in FIELDS and row.isdigit():
        return f"{texts.text(FIELDS, base, lang)} {row}"
    return name.replace("_", " ").replace("-", " ")


def basis_label(indicator: str, basis: str, lang: str = "nl") -> str:
    """A threshold's basis in ``lang``: the translation of the shipped text, else the centre's own text."""
    key = f"basis_{indicator}"
    shipped = LABELS[key]["en"] if key in LABELS else None
    if basis and shipped is not None and basis.strip() == shipped:
        return label(key, lang)
    return basis


def competence_label(code: str, lang: str = "nl") -> str:
    """A competence code with its words ("co 01670 – gegevens volledig ..."); the code alone when unknown."""
    if str(code) not in COMPETENCES:
        return str(code)
    return f"{code} – {texts.text(COMPETENCES, str(code), lang)}"
