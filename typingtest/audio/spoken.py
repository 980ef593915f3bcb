"""How a caller says things: line text to the SSML eSpeak NG speaks.

Plain text is spoken as written (eSpeak reads numbers in the voice's language: "9000" is
"negenduizend", Belgian French says "septante"). Markup in a line says how a caller speaks
data, the way a caller does on the phone:

=====================  =================================================================
``[digits:48213377]``  digit by digit, in groups (the groups as written, or threes), with a
                       short pause between groups: "vier acht twee, een drie drie, ..."
``[phone:0472 12 34 56]`` first group digit by digit, then the pairs as numbers ("twaalf")
``[spell:Verstraete]`` letter by letter ("vee, ee, er, ...")
``[email:jan.peeters@telenet.be]`` words as words, "@" as "apenstaartje" / "arobase" / "at",
                       "." as "punt" / "point" / "dot" / "Punkt", short domain endings spelled
``[number:1250]``      a number as a number
``[postcode:9000]``    a postcode as a number ("negenduizend"), the Belgian way
=====================  =================================================================

Square brackets, so that markup and the content's ``{placeholders}`` of randomised forms
combine: ``[digits:{customer_number}]`` is filled in per candidate, then spoken digit by digit.
Without markup, e-mail addresses and runs of five or more digits are recognised and spoken as
above. ``spoken_text`` shows the words (for tests and trainers); ``to_ssml`` is what eSpeak gets.
"""

from __future__ import annotations

import re
import unicodedata
from xml.sax.saxutils import escape

from typingtest.errors import UserError

__all__ = ["MARKUP_KINDS", "SYMBOL_WORDS", "spoken_text", "to_ssml"]

#: Words for symbols in e-mail addresses and codes, per language.
SYMBOL_WORDS: dict[str, dict[str, str]] = {
    "nl": {"@": "apenstaartje", ".": "punt", "-": "streepje", "_": "underscore", "/": "slash"},
    "fr": {"@": "arobase", ".": "point", "-": "tiret", "_": "tiret bas", "/": "barre oblique"},
    "en": {"@": "at", ".": "dot", "-": "dash", "_": "underscore", "/": "slash"},
    "de": {"@": "at", ".": "Punkt", "-": "Bindestrich", "_": "Unterstrich", "/": "Schrägstrich"},
}
#: Domain endings said as a word rather than spelled.
_WORD_ENDINGS = {"com", "net", "org", "info", "shop"}
MARKUP_KINDS = ("digits", "phone", "spell", "email", "number", "postcode")

_MARKUP = re.compile(r"\[(\w+):([^\[\]]*)\]")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LONG_DIGITS = re.compile(r"\d{5,}")
_PAUSE = "\x00"  # a group pause, turned into an SSML break (or ", " in spoken_text)


def _letters(word: str) -> list[str]:
    return [ch.upper() for ch in word if not ch.isspace()]


def _spell(word: str, lang: str) -> list[str]:
    out: list[str] = []
    for ch in word:
        if ch.isspace():
            continue
        out.append(SYMBOL_WORDS[lang].get(ch, ch.upper()))
    return out


def _digit_groups(value: str) -> list[str]:
    groups = [g for g in re.split(r"[\s./-]+", value.strip()) if g]
    if len(groups) == 1 and len(groups[0]) > 4:
        g = groups[0]
        groups = [g[i : i + 3] for i in range(0, len(g), 3)]
        if len(groups) > 1 and len(groups[-1]) == 1:  # no lonely last digit: 3+3+2+2, not 3+3+3+1
            groups[-2:] = [groups[-2][:2], groups[-2][2:] + groups[-1]]
    return groups


def _say_digits(value: str, lang: str) -> str:
    parts = []
    for group in _digit_groups(value):
        parts.append(", ".join(ch if ch.isdigit() else SYMBOL_WORDS[lang].get(ch, ch.upper()) for ch in group))
    return f" {_PAUSE} ".join(parts)


def _say_phone(value: str, lang: str) -> str:
    groups = [g for g in re.split(r"[\s./-]+", value.strip()) if g]
    parts = [", ".join(groups[0])] if groups else []
    for group in groups[1:]:
        if len(group) == 2 and group.isdigit() and not group.startswith("0"):
            parts.append(group)
        else:
            parts.append(", ".join(group))
    return f" {_PAUSE} ".join(parts)


def _say_email(value: str, lang: str) -> str:
    words = SYMBOL_WORDS[lang]
    local, _, domain = value.partition("@")
    pieces: list[str] = []
    for token in re.split(r"([._+-])", local):
        if not token:
            continue
        pieces.append(words.get(token, "plus" if token == "+" else _email_word(token)))
    pieces.append(words["@"])
    labels = domain.split(".")
    for i, label in enumerate(labels):
        if i:
            pieces.append(words["."])
        last = i == len(labels) - 1
        if last and len(label) <= 3 and label.lower() not in _WORD_ENDINGS:
            pieces.append(", ".join(_letters(label)))
        else:
            pieces.append(" ".join(words.get(t, _email_word(t)) for t in re.split(r"(-)", label) if t))
    return " ".join(pieces)


def _email_word(token: str) -> str:
    """A piece of an address: digits one by one, letters without a vowel spelled, words as words."""
    if token.isdigit():
        return ", ".join(token)
    if not re.search(r"[aeiouyàâäéèêëïîôöùûü]", token, re.I):
        return ", ".join(_letters(token))
    return token


def _expand(text: str, lang: str, *, source: str) -> str:
    if lang not in SYMBOL_WORDS:
        raise UserError(f"{source}: language {lang!r} has no caller voices; use one of nl, fr, en, de")
    text = unicodedata.normalize("NFC", text)

    def markup(match: re.Match[str]) -> str:
        kind, value = match.group(1), match.group(2).strip()
        if kind == "digits":
            return _say_digits(value, lang)
        if kind == "phone":
            return _say_phone(value, lang)
        if kind == "spell":
            return ", ".join(_spell(value, lang))
        if kind == "email":
            return _say_email(value, lang)
        if kind in ("number", "postcode"):
            return value
        raise UserError(f"{source}: [{kind}:...]: unknown markup; use one of {', '.join(MARKUP_KINDS)}")

    out: list[str] = []
    pos = 0
    for match in _MARKUP.finditer(text):
        out.append(_expand_plain(text[pos : match.start()], lang))
        out.append(f" {_PAUSE} " + markup(match) + f" {_PAUSE} ")
        pos = match.end()
    out.append(_expand_plain(text[pos:], lang))
    return "".join(out)


def _expand_plain(text: str, lang: str) -> str:
    text = _EMAIL.sub(lambda m: f" {_PAUSE} {_say_email(m.group(0), lang)} {_PAUSE} ", text)
    return _LONG_DIGITS.sub(lambda m: f" {_PAUSE} {_say_digits(m.group(0), lang)} {_PAUSE} ", text)


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(rf"(?:{_PAUSE}\s*)+", _PAUSE + " ", text)  # one pause where several meet
    text = re.sub(rf"\s*{_PAUSE}\s*([,.;:?!])", r"\1", text)  # punctuation pauses by itself
    text = re.sub(rf"^{_PAUSE}\s*|\s*{_PAUSE}\s*$", "", text)
    return text.strip()


def spoken_text(text: str, lang: str, *, source: str = "line") -> str:
    """The words a caller says for ``text`` (group pauses shown as "; ")."""
    return _tidy(_expand(text, lang, source=source)).replace(f" {_PAUSE} ", "; ").replace(_PAUSE, ";")


def to_ssml(text: str, lang: str, *, source: str = "line", pause_ms: int = 250) -> str:
    """The SSML fragment eSpeak NG speaks for ``text``; group pauses are ``pause_ms`` breaks."""
    spoken = _tidy(_expand(text, lang, source=source))
    return escape(spoken).replace(_PAUSE, f'<break time="{int(pause_ms)}ms"/>')
