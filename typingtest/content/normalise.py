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

from rapidfuzz import fuzz

__all__ = [
    "FIELD_TYPES",
    "Normalisation",
    "fact_found",
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


def _fact_rules(language: str, variants: tuple[tuple[str, ...], ...] = ()) -> Normalisation:
    return Normalisation(
        case="fold", spaces="collapse", punctuation="remove", numbers="digits", variants=variants, language=language
    )


def fact_found(phrasings: Sequence[str], note: str, language: str = "nl", fuzzy_min: float = 90.0) -> bool:
    """Whether a free note holds a fact: one of its phrasings as whole words after normalisation.

    Phrasings of 5 characters or more without digits also match with small typos (rapidfuzz
    partial ratio >= ``fuzzy_min``, 0-100); shorter ones and those holding digits (amounts,
    quantities, codes) must match exactly.
    """
    return _found_in(phrasings, _fact_rules(language).apply(note), language, fuzzy_min)


def facts_found(facts: Sequence[Sequence[str]], note: str, language: str = "nl",
                fuzzy_min: float = 90.0) -> list[bool]:
    """``fact_found`` for several facts (each a list of phrasings), normalising the note once."""
    text = _fact_rules(language).apply(note)
    return [_found_in(phrasings, text, language, fuzzy_min) for phrasings in facts]


def _found_in(phrasings: Sequence[str], text: str, language: str, fuzzy_min: float) -> bool:
    if not text:
        return False
    rules = _fact_rules(language)
    for phrase in phrasings:
        p = rules.apply(phrase)
        if not p:
            continue
        if re.search(r"(?<!\w)" + re.escape(p) + r"(?!\w)", text):
            return True
        if len(p) >= 5 and not any(ch.isdigit() for ch in p) and fuzz.partial_ratio(p, text) >= fuzzy_min:
            return True
    return False
