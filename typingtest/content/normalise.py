"""Normalisation of typed text before it is compared with a reference.

An item says how its transcript or each form field is normalised (``[normalise]`` in the
content file, see ``docs/content.md``): case, spaces, punctuation, number words, accepted
variants; a field's ``type`` adds rules of its own (phone numbers, e-mail addresses,
dates, times, numbers). The same rules apply to the reference and to what was typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

__all__ = [
    "FIELD_TYPES",
    "Normalisation",
    "fact_found",
    "fact_tokens",
    "facts_found",
    "nfc",
    "normalise_field",
    "number_words",
]

FIELD_TYPES = ("text", "number", "phone", "email", "date", "time", "note")


def nfc(text: str) -> str:
    """NFC form of ``text`` (an "ë" typed as e + combining diaeresis becomes one character)."""
    return unicodedata.normalize("NFC", text)


def _spaces(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Normalisation:
    """How a text is normalised: see the ``[normalise]`` table in ``docs/content.md``."""

    case: str = "keep"  # "keep" | "fold"
    spaces: str = "collapse"  # "keep" | "collapse" | "remove"
    punctuation: str = "keep"  # "keep" | "remove"
    numbers: str = "keep"  # "keep" | "digits"
    variants: tuple[tuple[str, ...], ...] = field(default_factory=tuple)
    language: str = "nl"

    def merged(self, overrides: dict[str, object]) -> Normalisation:
        """A copy with some keys replaced (a field's ``normalise`` over its item's); variants add up."""
        changes = dict(overrides)
        if "variants" in changes:
            extra = tuple(tuple(nfc(str(v)) for v in group) for group in changes["variants"])  # type: ignore[union-attr]
            changes["variants"] = self.variants + extra
        return replace(self, **changes)  # type: ignore[arg-type]

    def apply(self, text: str) -> str:
        """The normalised form of ``text``."""
        text = nfc(text)
        text = _apply_variants(text, self.variants)
        if self.numbers == "digits":
            text = _number_words_to_digits(text, self.language)
        if self.case == "fold":
            text = text.casefold()
        if self.punctuation == "remove":
            text = "".join(" " if _is_punctuation(ch) else ch for ch in text)
        if self.spaces == "collapse":
            text = _spaces(text)
        elif self.spaces == "remove":
            text = "".join(text.split())
        return text


#: Punctuation that carries meaning in contact-centre data and is kept even with punctuation = "remove".
_KEPT_SYMBOLS = frozenset("@&%#")


@lru_cache(maxsize=4096)
def _is_punctuation(ch: str) -> bool:
    return unicodedata.category(ch).startswith("P") and ch not in _KEPT_SYMBOLS


def _apply_variants(text: str, variants: Sequence[Sequence[str]]) -> str:
    """Replace every accepted spelling by its group's first (canonical) one, longest first."""
    pairs: list[tuple[str, str]] = []
    for group in variants:
        canonical = group[0]
        pairs.extend((v, canonical) for v in group[1:])
    pairs.sort(key=lambda p: -len(p[0]))
    for variant, canonical in pairs:
        pattern = r"(?<!\w)" + re.escape(variant) + r"(?!\w)"
        if not any(ch.isalnum() for ch in canonical):
            # a symbol ("@") written as a word ("apenstaartje") takes the spaces around it
            pattern = r"\s*" + pattern + r"\s*"
        text = re.sub(pattern, canonical.replace("\\", "\\\\"), text, flags=re.IGNORECASE)
    return text


# ----------------------------------------------------------------------------- number words

_NL_UNITS = ["nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien",
             "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien", "negentien"]
_NL_TENS = {20: "twintig", 30: "dertig", 40: "veertig", 50: "vijftig", 60: "zestig", 70: "zeventig",
            80: "tachtig", 90: "negentig"}
_EN_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
             "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_EN_TENS = {20: "twenty", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty",
            90: "ninety"}
_DE_UNITS = ["null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn",
             "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn", "neunzehn"]
_DE_TENS = {20: "zwanzig", 30: "dreißig", 40: "vierzig", 50: "fünfzig", 60: "sechzig", 70: "siebzig",
            80: "achtzig", 90: "neunzig"}
_FR_UNITS = ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
             "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf"]
# Belgian French: septante, huitante/quatre-vingts, nonante; France's forms are accepted too.
_FR_TENS = {20: ["vingt"], 30: ["trente"], 40: ["quarante"], 50: ["cinquante"], 60: ["soixante"],
            70: ["septante"], 80: ["quatre-vingt", "huitante", "octante"], 90: ["nonante"]}


def _below_hundred(language: str) -> dict[str, int]:
    """Number words 0-100 of a language, several spellings each."""
    words: dict[str, int] = {}
    if language == "nl":
        for i, w in enumerate(_NL_UNITS):
            words[w] = i
        words["één"] = 1
        for tens, tw in _NL_TENS.items():
            words[tw] = tens
            for u in range(1, 10):
                unit = _NL_UNITS[u]
                joiner = "ën" if unit.endswith("e") else "en"
                words[f"{unit}{joiner}{tw}"] = tens + u
                words[f"{unit}en{tw}"] = tens + u
                if u == 1:
                    words[f"één{joiner}{tw}"] = tens + 1
    elif language == "en":
        for i, w in enumerate(_EN_UNITS):
            words[w] = i
        for tens, tw in _EN_TENS.items():
            words[tw] = tens
            for u in range(1, 10):
                words[f"{tw}-{_EN_UNITS[u]}"] = tens + u
                words[f"{tw} {_EN_UNITS[u]}"] = tens + u
    elif language == "de":
        for i, w in enumerate(_DE_UNITS):
            words[w] = i
        for tens, tw in _DE_TENS.items():
            words[tw] = tens
            for u in range(1, 10):
                unit = "ein" if u == 1 else _DE_UNITS[u]
                words[f"{unit}und{tw}"] = tens + u
        words["dreissig"] = 30
    elif language == "fr":
        for i, w in enumerate(_FR_UNITS):
            words[w] = i
        words["quatre-vingts"] = 80
        for tens, spellings in _FR_TENS.items():
            for tw in spellings:
                words.setdefault(tw, tens)
                for u in range(1, 10):
                    if u == 1 and tens != 80:
                        words[f"{tw} et un"] = tens + 1
                        words[f"{tw}-et-un"] = tens + 1
                    words[f"{tw}-{_FR_UNITS[u]}"] = tens + u
        for u in range(10, 20):  # soixante-dix ... and quatre-vingt-dix ... (France)
            words[f"soixante-{_FR_UNITS[u]}"] = 60 + u
            words[f"quatre-vingt-{_FR_UNITS[u]}"] = 80 + u
        words["soixante et onze"] = words["soixante-et-onze"] = 71
    return words


#: Number words that are also articles ("een boek", "un livre", "ein Buch"): never read as digits.
_ARTICLES = {"nl": {"een"}, "fr": {"un", "une"}, "de": {"ein", "eine"}, "en": set()}


@lru_cache(maxsize=8)
def number_words(language: str) -> dict[str, int]:
    """Number words 0-999 of a language (nl, fr, en, de) -> their value; several spellings each.

    Dutch and German also count in hundreds up to 9999, as postcodes and years are said
    ("vijfentwintighonderd" 2500, "negentienhonderd negenenzeventig" 1979).

    Words that are also articles ("een", "un", "une", "ein", "eine") are left out on their own,
    so "een bedrag" stays; "één" is 1.
    """
    small = _below_hundred(language)
    if not small:
        return {}
    rest = {w: v for w, v in small.items() if 1 <= v <= 99}
    words = dict(small)
    for h in range(1, 10):
        if language == "nl":
            heads = ["honderd", "eenhonderd"] if h == 1 else [f"{_NL_UNITS[h]}honderd"]
            for head in heads:
                words[head] = 100 * h
                for w, v in rest.items():
                    if " " not in w:
                        words[f"{head}{w}"] = 100 * h + v
                        words[f"{head} {w}"] = 100 * h + v
        elif language == "de":
            heads = ["hundert", "einhundert"] if h == 1 else [f"{_DE_UNITS[h]}hundert"]
            for head in heads:
                words[head] = 100 * h
                for w, v in rest.items():
                    if w not in ("ein",):
                        words[f"{head}{w}"] = 100 * h + v
        elif language == "en":
            heads = ["a hundred", "one hundred", "hundred"] if h == 1 else [f"{_EN_UNITS[h]} hundred"]
            for head in heads:
                words[head] = 100 * h
                for w, v in rest.items():
                    words[f"{head} {w}"] = 100 * h + v
                    words[f"{head} and {w}"] = 100 * h + v
        elif language == "fr":
            heads = ["cent"] if h == 1 else [f"{_FR_UNITS[h]} cent"]
            if h > 1:
                words[f"{_FR_UNITS[h]} cents"] = 100 * h
            for head in heads:
                words[head] = 100 * h
                for w, v in rest.items():
                    if w not in ("une",):
                        words[f"{head} {w}"] = 100 * h + v
    # Flemish and German say postcodes and years in hundreds: "vijfentwintighonderd" 2500,
    # "negentienhonderd" 1900, "siebenundvierzighundert" 4700
    if language in ("nl", "de"):
        suffix = "honderd" if language == "nl" else "hundert"
        singles = {w: v for w, v in rest.items() if " " not in w}
        for w, v in singles.items():
            if v >= 10:
                words[f"{w}{suffix}"] = 100 * v
                for w2, v2 in singles.items():  # "negentienhonderd negenenzeventig" 1979
                    words[f"{w}{suffix}{w2}"] = words[f"{w}{suffix} {w2}"] = 100 * v + v2
    for article in _ARTICLES.get(language, set()):
        words.pop(article, None)
    return words


@lru_cache(maxsize=8)
def _lookup(language: str) -> dict[str, int]:
    return {w.casefold(): v for w, v in number_words(language).items()}


_TOKEN = re.compile(r"\w+(?:-\w+)*")
_LONGEST_PHRASE = 6  # tokens: "one hundred and eighty six"


def _number_words_to_digits(text: str, language: str) -> str:
    """Replace number words (whole words, longest phrase first) by their digits."""
    words = _lookup(language)
    if not words:
        return text
    tokens = list(_TOKEN.finditer(text))
    out: list[str] = []
    pos = i = 0
    while i < len(tokens):
        found = None
        for n in range(min(_LONGEST_PHRASE, len(tokens) - i), 0, -1):
            span = tokens[i:i + n]
            if any(text[span[k].end():span[k + 1].start()].strip() for k in range(n - 1)):
                continue  # only white space may separate the words of one number
            value = words.get(" ".join(t.group(0).casefold() for t in span))
            if value is not None:
                found = (n, value)
                break
        if found is None:
            i += 1
            continue
        n, value = found
        out.append(text[pos:tokens[i].start()])
        out.append(str(value))
        pos = tokens[i + n - 1].end()
        i += n
    out.append(text[pos:])
    return "".join(out)


# ----------------------------------------------------------------------------- field types

_EMAIL_AT = re.compile(r"\s*(?<!\w)(apenstaartje|at|arobase|klammeraffe|at-sign)(?!\w)\s*", re.IGNORECASE)
_EMAIL_DOT = re.compile(r"\s+(punt|dot|point|punkt)\s+", re.IGNORECASE)
_DATE_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIME = re.compile(r"^(\d{1,2})\s*(?:[:.uh]|u\.?)\s*(\d{2})?$", re.IGNORECASE)


def normalise_field(text: str, field_type: str, rules: Normalisation) -> str:
    """``text`` normalised as a field of ``field_type`` under the item's ``rules``."""
    text = nfc(text)
    if field_type == "email":
        text = _EMAIL_AT.sub("@", text)
        text = _EMAIL_DOT.sub(".", text)
        return "".join(rules.apply(text).split()).casefold()
    if field_type == "phone":
        digits = re.sub(r"[^\d+]", "", text)
        if digits.startswith("+"):
            digits = "00" + digits[1:]
        digits = digits.replace("+", "")
        if digits.startswith("0032"):
            digits = "0" + digits[4:]
        return digits
    text = rules.apply(text)
    if field_type == "number":
        return re.sub(r"[\s./\-]", "", text).casefold()
    if field_type == "date":
        compact = "".join(text.split())
        m = _DATE_DMY.match(compact)
        if m:
            return f"{int(m[3]):04d}-{int(m[2]):02d}-{int(m[1]):02d}"
        m = _DATE_ISO.match(compact)
        if m:
            return f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
        return compact
    if field_type == "time":
        m = _TIME.match(text.strip())
        if m:
            return f"{int(m[1]):02d}:{int(m[2] or 0):02d}"
        return text.strip()
    return text


# ----------------------------------------------------------------------------- facts in free notes
#
# A fact is found when one of its phrasings occurs in the note. Note and phrasing go through
# the same canonical form (``fact_tokens``), then the phrasing's words are compared with the
# note's, word by word (``_word_matches``). Each rule is one table or one small step below, so
# that a trainer can read why "Gratis levering vanaf €50." holds "vanaf 50".

#: Short forms operators write -> the words they stand for (whole words, dots already gone).
_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "nr": ("nummer",), "tel": ("telefoon",), "telnr": ("telefoonnummer",), "klantnr": ("klantnummer",),
    "gsmnr": ("gsmnummer",), "factuurnr": ("factuurnummer",), "ordernr": ("ordernummer",),
    "tem": ("tot", "en", "met"), "tm": ("tot", "en", "met"), "ivm": ("in", "verband", "met"),
    "zsm": ("zo", "snel", "mogelijk"), "evt": ("eventueel",), "ong": ("ongeveer",), "bv": ("bijvoorbeeld",),
    "mevr": ("mevrouw",), "mw": ("mevrouw",), "dhr": ("meneer",), "vm": ("voormiddag",), "nm": ("namiddag",),
    "incl": ("inclusief",), "excl": ("exclusief",), "stk": ("stuks",), "oke": ("ok",), "okay": ("ok",),
    "okee": ("ok",), "neen": ("nee",), "nie": ("niet",), "st": ("stuks",), "stuk": ("stuks",), "pk": ("pak",),
    "keer": ("x",), "maal": ("x",),
}
#: Word sequences that say the same -> the one form both sides are rewritten to.
_SAME_WORDS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("op", "voorraad"), ("in", "voorraad")),
    (("niet", "meer"), ("niet",)),
    (("niet", "langer"), ("niet",)),
)
#: Words that turn what follows into its opposite; a phrasing without one is not found right after one.
#: ("geen" is left out: it negates a noun, and "geen simkaart verstuurd" still is about the SIM card.)
_NEGATIONS: dict[str, frozenset[str]] = {
    "nl": frozenset({"niet", "nooit", "niets"}), "en": frozenset({"not", "never", "no"}),
    "fr": frozenset({"pas", "jamais", "ne"}), "de": frozenset({"nicht", "nie", "nichts"}),
}
#: Words that never match another word by a typo (their one-letter neighbours mean the opposite).
_NEVER_FUZZY = frozenset({"niet", "niets", "geen", "nooit", "nicht", "nichts", "kein", "keine", "pas", "not"})
#: The article that is also the number 1 ("een waterkoker" is 1 waterkoker).
_ONE: dict[str, frozenset[str]] = {
    "nl": frozenset({"een", "1"}), "fr": frozenset({"un", "une", "1"}), "de": frozenset({"ein", "eine", "1"}),
    "en": frozenset({"a", "one", "1"}),
}
#: A compound's head is found only after a prefix of 3 letters or more ("ontkalkings|tabletten"), so
#: "on|bevestigd" is not "bevestigd"; these longer prefixes negate too.
_NEGATING_PREFIXES = frozenset({"niet", "non", "geen"})
_MONTHS: dict[str, tuple[str, ...]] = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"),
    "fr": ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre",
           "novembre", "decembre"),
    "en": ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"),
    "de": ("januar", "februar", "marz", "april", "mai", "juni", "juli", "august", "september", "oktober",
           "november", "dezember"),
}
_MONTH_SHORT = {"jan": 1, "feb": 2, "mrt": 3, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
                "sept": 9, "okt": 10, "oct": 10, "nov": 11, "dec": 12}

_DOTTED = re.compile(r"(?<![^\W\d_])((?:[^\W\d_][./]){1,3}[^\W\d_])\.?(?![^\W\d_])")  # t.e.m. i.v.m. t/m
_AMOUNT = r"(\d+)(?:[.,](\d{1,2}))?(?:,-)?"
_CURRENCY = r"(?:€|\beuros?\b|\beur\b)"
_MONEY_CENTS = re.compile(r"(?<![\d.,/])(\d+)()\s+euro\s+(\d{2})(?![\d.,/])")  # 4 euro 95 (said, not written with €)
_MONEY_AFTER = re.compile(r"(?<![\d.,])" + _AMOUNT + r"\s*(?:€(?!\d)|\beuros?\b|\beur\b)")  # 50 euro, 50,00 €
_MONEY_SIGN = re.compile(r"€\s*" + _AMOUNT + r"(?![\d])")  # € 50: the sign before the amount, as Dutch writes it
_MONEY_BEFORE = re.compile(_CURRENCY + r"\s*" + _AMOUNT + r"(?![\d])")  # EUR 50
_FACT_TIME = re.compile(r"""
    (?<![\d.,:€])(\d{1,2})                  # the hour
    (?: :(\d{2})                            # 20:00
      | [uh](\d{2})?                        # 20u 20h 14u30
      | \.(\d{2})(?=\s*(?:uur|u|h)\b)       # 20.30 uur
      | \.(00)(?![\d.,])                    # 20.00
    )
    (?:\s*uur\b|(?<!\d)\s*[uh](?![^\W\d_]))?  # a unit after it
    (?!\d)
  | (?<![\d.,:€])(\d{1,2})\s+uur\b          # 20 uur
""", re.VERBOSE)
_DATE_SLASH = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/])")
_DATE_FULL = re.compile(r"(?<![\d.\-])(\d{1,2})[.\-](\d{1,2})[.\-](\d{4})(?![\d.\-])")
_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3})\.(\d{3})(?![\d.,])")
_DECIMAL = re.compile(r"(?<![\d.,€])(\d+)[.,](\d{1,2})(?:,-)?(?![\d.,])")
_FACT_TOKEN = re.compile(r"€\d+(?:,\d\d)?|\d+:\d\d|\d+(?:,\d\d)?|[^\W\d_]+")


def _amount(whole: str, cents: str | None) -> str:
    """An amount in euro as one word: ``50`` for 50,00; ``4,95`` for 4.95; ``4,50`` for 4,5."""
    cents = (cents or "00").ljust(2, "0")
    return f"{int(whole)}" if cents == "00" else f"{int(whole)},{cents}"


def _time(m: re.Match[str]) -> str:
    """``20u``, ``20.00 uur``, ``14u30``, ``20 uur`` as ``20:00`` / ``14:30`` (hours 0-24)."""
    if m[6] is not None:
        hour, minute = int(m[6]), 0
    else:
        hour, minute = int(m[1]), int(m[2] or m[3] or m[4] or m[5] or 0)
    return f" {hour}:{minute:02d} " if hour <= 24 and minute < 60 else m[0]


def _date(day: str, month: str, year: str | None, language: str) -> str | None:
    """``17/3`` as ``17 maart``: a date written in digits reads as it is said; None if it is no date."""
    d, mo = int(day), int(month)
    if not (1 <= d <= 31 and 1 <= mo <= 12):
        return None
    return f" {d} {_MONTHS.get(language, _MONTHS['nl'])[mo - 1]}" + (f" {year}" if year else "") + " "


def _strip_accents(word: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch))


def fact_tokens(text: str, language: str = "nl") -> tuple[str, ...]:
    """The canonical words of a note or phrasing, as the fact matching compares them.

    Case folded; number words as digits; amounts with €, EUR or euro before or after as one
    word ``€50`` / ``€4,95`` (cents ,00 dropped); times (``20u``, ``20.00 uur``, ``20:00``, ``20 uur``)
    as ``20:00``; dates (``17/3``, ``17-03-2026``) as ``17 maart [2026]``; letters and digits
    apart (``3x`` is ``3 x``); accents and punctuation gone; abbreviations written out.
    """
    text = _number_words_to_digits(nfc(text).casefold(), language)
    text = _DOTTED.sub(lambda m: " " + re.sub(r"[./]", "", m[1]) + " ", text)
    text = _THOUSANDS.sub(lambda m: m[1] + m[2], text)
    text = _MONEY_CENTS.sub(lambda m: f" €{_amount(m[1], m[3])} ", text)
    text = _DATE_FULL.sub(lambda m: _date(m[1], m[2], m[3], language) or m[0], text)
    text = _DATE_SLASH.sub(lambda m: _date(m[1], m[2], m[3], language) or m[0], text)
    text = _MONEY_SIGN.sub(lambda m: f" €{_amount(m[1], m[2])} ", text)
    text = _MONEY_AFTER.sub(lambda m: f" €{_amount(m[1], m[2])} ", text)
    text = _MONEY_BEFORE.sub(lambda m: f" €{_amount(m[1], m[2])} ", text)
    text = _FACT_TIME.sub(_time, text)
    text = _DECIMAL.sub(lambda m: f" {int(m[1])},{m[2].ljust(2, '0')} ", text)  # 4,95 10,00
    months = _MONTHS.get(language, _MONTHS["nl"])
    words: list[str] = []
    for raw in _FACT_TOKEN.findall(text):
        word = _strip_accents(raw)
        if word in _MONTH_SHORT:
            words.append(months[_MONTH_SHORT[word] - 1])
        else:
            words.extend(_ABBREVIATIONS.get(word, (word,)))
    return _same_words(words)


def _same_words(words: list[str]) -> tuple[str, ...]:
    """``_SAME_WORDS`` applied left to right ("niet meer dan" keeps its "meer": not more than)."""
    out: list[str] = []
    i = 0
    while i < len(words):
        for seq, canonical in _SAME_WORDS:
            if tuple(words[i:i + len(seq)]) == seq and words[i + len(seq):i + len(seq) + 1] != ["dan"]:
                out.extend(canonical)
                i += len(seq)
                break
        else:
            out.append(words[i])
            i += 1
    return tuple(out)


def _is_number(word: str) -> bool:
    return word[:1].isdigit() or word[:1] == "€"


def _amount_value(word: str) -> tuple[str, bool] | None:
    """(value, written as an amount) of ``€50``, ``50,00``, ``50``; None for a time or a non-number."""
    if word.startswith("€"):
        return word[1:], True
    if re.fullmatch(r"\d+,\d\d", word):
        return word.removesuffix(",00"), True
    return (word, False) if word.isdigit() else None


def _word_matches(p: str, n: str, language: str, last: bool) -> bool:
    """Whether the phrasing's word ``p`` is the note's word ``n``."""
    if p == n:
        return True
    one = _ONE.get(language, frozenset())
    if p in one and n in one:
        return True  # "een waterkoker" = "1 waterkoker"
    if p in ("euro", "euros", "eur") and n.startswith("€"):
        return True  # the word euro in a phrasing is in every amount of the note
    if p == "uur" and re.fullmatch(r"\d+:\d\d", n):
        return True  # and the word uur in every time
    if _is_number(p) or _is_number(n):
        # a bare number in the phrasing ("50") is also that amount ("€50", "50,00"); an amount in
        # the phrasing needs an amount; digits are never near: "5" is not "50"
        a, b = _amount_value(p), _amount_value(n)
        if a is not None and not a[1] and n == f"{p}:00":
            return True  # a bare hour: "tot 20" in a phrasing, "tot 20 uur" in the note
        return a is not None and b is not None and a[0] == b[0] and (b[1] or not a[1])
    if p in _NEVER_FUZZY or n in _NEVER_FUZZY or len(p) < 5:
        return False
    if Levenshtein.distance(p, n, score_cutoff=1) <= 1:
        return True  # one typo in a word of 5 letters or more
    prefix = n[: len(n) - len(p)]
    return last and n.endswith(p) and len(prefix) >= 3 and prefix not in _NEGATING_PREFIXES  # compound's head


def _joined_matches(p: Sequence[str], n: Sequence[str]) -> bool:
    """Words written together or apart ("aquaplus"/"aqua plus"; a phone number in groups or not)."""
    a, b = "".join(p), "".join(n)
    if a.isdigit() and b.isdigit():
        return len(a) >= 6 and a == b
    if a.isalpha() and b.isalpha() and len(a) >= 5:
        return a == b or Levenshtein.distance(a, b, score_cutoff=1) <= 1
    return False


def _phrase_at(p: tuple[str, ...], note: tuple[str, ...], i: int, language: str) -> int:
    """How many note words from ``i`` the phrasing covers (0: not found there)."""
    if len(note) - i >= len(p) and all(
        _word_matches(w, note[i + k], language, last=k == len(p) - 1) for k, w in enumerate(p)
    ):
        return len(p)
    for k in range(1, min(len(note) - i, len(p) + 8) + 1):
        if (k > 1 or len(p) > 1) and _joined_matches(p, note[i:i + k]):
            return k
    return 0


def _phrase_found(p: tuple[str, ...], note: tuple[str, ...], language: str) -> bool:
    """The phrasing somewhere in the note, not right after a negation unless it holds one itself."""
    negations = _NEGATIONS.get(language, frozenset())
    negated_phrase = any(w in negations or w == "geen" for w in p)
    for i in range(len(note)):
        if _phrase_at(p, note, i, language) and (negated_phrase or i == 0 or note[i - 1] not in negations):
            return True
    return False


def fact_found(phrasings: Sequence[str], note: str, language: str = "nl") -> bool:
    """Whether a free note holds a fact: one of its phrasings, word by word (rules: ``docs/content.md``)."""
    return facts_found([phrasings], note, language)[0]


def facts_found(facts: Sequence[Sequence[str]], note: str, language: str = "nl") -> list[bool]:
    """``fact_found`` for several facts (each a list of phrasings), reading the note once."""
    words = fact_tokens(note, language)
    return [bool(words) and any(_phrase_found(p, words, language) for p in
                                (fact_tokens(x, language) for x in phrasings) if p) for phrasings in facts]
