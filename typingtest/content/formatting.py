"""Money and dates as a Belgian desk writes them, in Dutch and French (English for the tests).

``format_money(34.95, "nl")`` is "€ 34,95" (nl-BE), "34,95 €" in French (fr-BE); thousands are
grouped with a dot in Dutch and a no-break space in French. ``format_datetime("2026-03-17T14:30",
"nl")`` is "dinsdag 17 maart 2026 14:30", in French "mardi 17 mars 2026 14h30". A small table,
no locale database: Babel is not installed and the desk needs only these few forms (they follow
the CLDR patterns of nl_BE and fr_BE). No pygame here: the desk and the tests both use it.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = [
    "MONTHS",
    "WEEKDAYS",
    "format_date",
    "format_date_short",
    "format_datetime",
    "format_money",
    "format_time",
    "parse_moment",
]

#: Month names, January first.
MONTHS: dict[str, tuple[str, ...]] = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}
#: Weekday names, Monday first (``date.weekday()``).
WEEKDAYS: dict[str, tuple[str, ...]] = {
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_NBSP = "\u00a0"


def _lang(lang: str) -> str:
    return lang if lang in MONTHS else "en"


def format_money(amount: float, lang: str = "nl") -> str:
    """An amount in euro with two decimals: "€ 1.234,50" (nl), "1 234,50 €" (fr, no-break spaces),
    "€1,234.50" (en). Negative amounts keep their sign before the digits."""
    cents = round(abs(amount) * 100)
    whole, frac = divmod(cents, 100)
    sign = "-" if amount < 0 and cents else ""
    lang = _lang(lang)
    group = {"nl": ".", "fr": _NBSP, "en": ","}[lang]
    digits = f"{whole:,d}".replace(",", group)
    if lang == "en":
        return f"{sign}€{digits}.{frac:02d}"
    number = f"{sign}{digits},{frac:02d}"
    return f"{number}{_NBSP}€" if lang == "fr" else f"€ {number}"


def parse_moment(text: str) -> dt.datetime | dt.date:
    """"2026-03-17T14:30" (or with a space) as a datetime, "2026-03-17" as a date; ValueError else."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return dt.date.fromisoformat(text)
    return dt.datetime.fromisoformat(text.replace(" ", "T"))


def _as_date(value: str | dt.date) -> dt.date:
    if isinstance(value, str):
        value = parse_moment(value)
    return value.date() if isinstance(value, dt.datetime) else value


def format_date(value: str | dt.date, lang: str = "nl", weekday: bool = True) -> str:
    """"dinsdag 17 maart 2026" / "mardi 17 mars 2026" / "Tuesday 17 March 2026" (``weekday=False``:
    without the day's name; the first of the month is "1er" in French)."""
    d = _as_date(value)
    lang = _lang(lang)
    day = "1er" if lang == "fr" and d.day == 1 else str(d.day)
    text = f"{day} {MONTHS[lang][d.month - 1]} {d.year}"
    return f"{WEEKDAYS[lang][d.weekday()]} {text}" if weekday else text


def format_date_short(value: str | dt.date, lang: str = "nl") -> str:
    """The numeric date of Belgian forms: "17/03/2026" (nl, fr); "17/03/2026" in English too."""
    d = _as_date(value)
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def format_time(value: dt.datetime | dt.time, lang: str = "nl") -> str:
    """"14:30" (nl, en), "14h30" (fr)."""
    sep = "h" if _lang(lang) == "fr" else ":"
    return f"{value.hour:02d}{sep}{value.minute:02d}"


def format_datetime(value: str | dt.datetime, lang: str = "nl") -> str:
    """A moment with its weekday: "dinsdag 17 maart 2026 14:30" / "mardi 17 mars 2026 14h30"; a
    bare date ("2026-03-17") gives the date alone."""
    moment = parse_moment(value) if isinstance(value, str) else value
    if not isinstance(moment, dt.datetime):
        return format_date(moment, lang)
    return f"{format_date(moment, lang)} {format_time(moment, lang)}"
