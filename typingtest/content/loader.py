"""Load and validate content files (TOML) into the dataclasses of ``typingtest.content.model``.

Every mistake becomes a ``Problem`` (file, line, field, message) — never a traceback:
``check`` returns them all, the ``load_*`` functions raise ``ContentError`` (a UserError)
listing them. tomllib gives no line numbers, so ``_LineMap`` finds each key's line in the
source text itself.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typingtest.checks import fits, number_problem
from typingtest.content.model import (
    ACTIONS,
    COMPETENCES,
    LANGUAGES,
    PURPOSES,
    Article,
    Battery,
    Call,
    Caller,
    Chat,
    CopyPassage,
    Cue,
    DataEntry,
    Expectation,
    Fact,
    Field,
    Item,
    Line,
    Product,
    Randomise,
    Record,
    ScriptStep,
    Shipping,
    Task,
    Transcription,
    Transfer,
)
from typingtest.content.normalise import FIELD_TYPES, Normalisation, nfc
from typingtest.content.triggers import Trigger, TriggerError, parse_trigger
from typingtest.errors import UserError

__all__ = [
    "PLACEHOLDERS",
    "ContentError",
    "Problem",
    "check",
    "content_files",
    "customer_number_ok",
    "find_item_file",
    "load_all",
    "load_battery",
    "load_file",
    "load_item",
]

#: Placeholders a randomised item may use (filled by ``draw_form``).
PLACEHOLDERS = frozenset(
    {
        "first_name", "last_name", "name", "street", "house_number", "postcode", "municipality",
        "customer_number", "email", "phone", "birth_date",
        "customer_number_spoken", "phone_spoken", "email_spoken", "postcode_spoken",
    }
)
VOICE_RE = re.compile(r"^(nl|fr|en|de)-caller-[1-4]$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LOCAL_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
FIELD_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
CUSTOMER_NUMBER_RE = re.compile(r"^(\d{6})-(\d{2})$")
SLOT_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")
PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
KIND_FOLDERS = {"copy-typing", "transcription", "data-entry", "call"}
GENRES = ("letter", "product-info", "order-confirmation", "complaint-summary", "other")
FORMS = ("order", "contact", "callback", "wrap-up", "chat")
CUE_DOES = ("ring", "say", "chat", "hold", "hangup", "end")
REGIONS = ("vlaanderen", "brussel", "wallonie", "ostbelgien", "deutschland")
STEPS = ("intake",)


def customer_number_ok(number: str) -> bool:
    """Whether ``NNNNNN-CC`` carries its check digits: CC = NNNNNN mod 97 (97 when that is 0)."""
    m = CUSTOMER_NUMBER_RE.match(number)
    if not m:
        return False
    check = int(m[1]) % 97 or 97
    return int(m[2]) == check


# ----------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    """One content mistake: ``file:line: field: message``."""

    file: Path
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class ContentError(UserError):
    """Content that does not validate; ``problems`` lists every mistake found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = str(problems[0])
        more = f" (and {len(problems) - 1} more; run `typingtest content check`)" if len(problems) > 1 else ""
        super().__init__(first + more)


# ----------------------------------------------------------------------------- line numbers


class _LineMap:
    """Where each key sits in a TOML source: (table, index in its array or None, key) -> line (1-based)."""

    _ARRAY = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.-]+)\s*\]\]")
    _TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")
    _INLINE_ID = re.compile(r"^\s*\{\s*id\s*=\s*\"([^\"]*)\"")

    def __init__(self, source: str) -> None:
        self.keys: dict[tuple[str, int | None, str], int] = {}
        self.headers: dict[tuple[str, int | None], int] = {}
        #: inline tables of a multi-line array, by their id: (table, index, id) -> line
        self.inline: dict[tuple[str, int | None, str], int] = {}
        counts: dict[str, int] = {}
        section, index = "", None
        open_quote: str | None = None
        for n, line in enumerate(source.splitlines(), 1):
            if open_quote is None:
                m = self._ARRAY.match(line)
                if m:
                    section = m[1]
                    index = counts.get(section, 0)
                    counts[section] = index + 1
                    self.headers[(section, index)] = n
                else:
                    m = self._TABLE.match(line)
                    if m:
                        section, index = m[1], None
                        self.headers[(section, None)] = n
                    else:
                        m = self._KEY.match(line)
                        if m:
                            self.keys.setdefault((section, index, m[1]), n)
                        m = self._INLINE_ID.match(line)
                        if m:
                            self.inline.setdefault((section, index, m[1]), n)
            for quote in ('"""', "'''"):
                if open_quote in (None, quote) and line.count(quote) % 2 == 1:
                    open_quote = None if open_quote == quote else quote

    def line(self, section: str, index: int | None, key: str | None, inline: str | None = None) -> int:
        if inline is not None and (section, index, inline) in self.inline:
            return self.inline[(section, index, inline)]
        if key is not None and (section, index, key) in self.keys:
            return self.keys[(section, index, key)]
        if (section, index) in self.headers:
            return self.headers[(section, index)]
        if section != "" and ("", None, section) in self.keys:
            return self.keys[("", None, section)]  # an inline table or array at the top
        return 1


# ----------------------------------------------------------------------------- the reader

_STR, _NUM, _INT, _BOOL, _STRS, _TABLE, _TABLES, _GROUPS = (
    "a string",
    "a number",
    "a whole number",
    "true or false",
    "a list of strings",
    "a table",
    "an array of tables ([[...]])",
    "a list of lists of strings",
)


def _type_ok(value: Any, expected: str) -> bool:
    if expected == _STR:
        return isinstance(value, str)
    if expected == _NUM:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if expected == _INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == _BOOL:
        return isinstance(value, bool)
    if expected == _STRS:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if expected == _TABLE:
        return isinstance(value, dict)
    if expected == _TABLES:
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    if expected == _GROUPS:
        return isinstance(value, list) and all(
            isinstance(g, list) and len(g) >= 2 and all(isinstance(v, str) for v in g) for g in value
        )
    raise AssertionError(expected)


# key -> (type, required)
Spec = dict[str, tuple[str, bool]]
_COMMON: Spec = {"id": (_STR, True), "kind": (_STR, True), "language": (_STR, True), "title": (_STR, True),
                 "notes": (_STR, False)}
_COPY: Spec = {**_COMMON, "genre": (_STR, True), "text": (_STR, True)}
_LINE: Spec = {"id": (_STR, True), "text": (_STR, True), "voice": (_STR, False), "audio": (_STR, False),
               "pause_s": (_NUM, False)}
_NORMALISE: Spec = {"case": (_STR, False), "spaces": (_STR, False), "punctuation": (_STR, False),
                    "numbers": (_STR, False), "variants": (_GROUPS, False)}
_NORMALISE_VALUES = {"case": ("keep", "fold"), "spaces": ("keep", "collapse", "remove"),
                     "punctuation": ("keep", "remove"), "numbers": ("keep", "digits")}
_TRANS: Spec = {**_COMMON, "voice": (_STR, True), "reference": (_STR, False), "normalise": (_TABLE, False),
                "lines": (_TABLES, True)}
_FIELD: Spec = {"name": (_STR, True), "label": (_STR, True), "type": (_STR, False), "value": (_STR, False),
                "required": (_BOOL, False), "normalise": (_TABLE, False), "facts": (_TABLES, False),
                "form": (_STR, False), "row": (_INT, False)}
_FACT: Spec = {"id": (_STR, True), "any": (_STRS, True)}
_RANDOMISE: Spec = {"record": (_STR, False), "region": (_STR, False)}
_ENTRY: Spec = {**_COMMON, "voice": (_STR, True), "normalise": (_TABLE, False), "randomise": (_TABLE, False),
                "lines": (_TABLES, True), "fields": (_TABLES, True)}
_CALL: Spec = {**_COMMON, "direction": (_STR, True), "today": (_STR, True), "target_duration_s": (_NUM, True),
               "purposes": (_STRS, False), "callback_slots": (_STRS, False), "caller": (_TABLE, True),
               "randomise": (_TABLE, False), "script": (_TABLES, False), "lines": (_TABLES, True),
               "chats": (_TABLES, False), "records": (_TABLES, True), "products": (_TABLES, False),
               "articles": (_TABLES, False), "transfers": (_TABLES, False), "fields": (_TABLES, False),
               "timeline": (_TABLES, True), "expect": (_TABLES, True), "shipping": (_TABLE, False)}
_SHIPPING: Spec = {"fee": (_NUM, True), "free_from": (_NUM, False)}
_CALLER: Spec = {"voice": (_STR, True), "record": (_STR, True), "name": (_STR, False)}
_SCRIPT: Spec = {"id": (_STR, True), "text": (_STR, True)}
_CHAT: Spec = {"id": (_STR, True), "sender": (_STR, True), "text": (_STR, True)}
_RECORD: Spec = {"id": (_STR, True), "customer_number": (_STR, True), "name": (_STR, True), "street": (_STR, True),
                 "postcode": (_STR, True), "municipality": (_STR, True), "phone": (_STR, True),
                 "email": (_STR, True), "birth_date": (_STR, False), "segment": (_STR, False),
                 "history": (_STRS, False)}
_PRODUCT: Spec = {"id": (_STR, True), "code": (_STR, True), "name": (_STR, True), "price": (_NUM, True),
                  "stock": (_INT, True), "delivery_days": (_INT, True)}
_ARTICLE: Spec = {"id": (_STR, True), "title": (_STR, True), "text": (_STR, True), "keywords": (_STRS, False)}
_TRANSFER: Spec = {"id": (_STR, True), "name": (_STR, True), "handles": (_STR, True)}
_CUE: Spec = {"id": (_STR, True), "at": (_STR, True), "after": (_STR, False), "timeout_s": (_NUM, False),
              "do": (_STR, True), "line": (_STR, False), "chat": (_STR, False), "seconds": (_NUM, False)}
_EXPECT_BASE: Spec = {"id": (_STR, True), "action": (_STR, True), "competence": (_STR, True), "cue": (_STR, True),
                      "deadline_s": (_NUM, False), "weight": (_NUM, False), "not_before_cue": (_BOOL, False)}
_ACTION_KEY_TYPES = {"record": _STR, "result": _STR, "purpose": _STR, "article": _STR, "product": _STR,
                     "field": _STR, "value": _STR, "form": _STR, "transfer": _STR, "slots": _STRS, "chat": _STR,
                     "step": _STR, "steps": _STRS, "event": _STR, "caller_may_end": _BOOL,
                     "accept": _STRS}
_BATTERY: Spec = {"id": (_STR, True), "kind": (_STR, True), "language": (_STR, True), "title": (_STR, True),
                  "description": (_STR, False), "thresholds": (_STRS, True), "band": (_TABLE, False),
                  "tasks": (_TABLES, True), "notes": (_STR, False)}
_TASK: Spec = {"step": (_STR, False), "item": (_STR, False), "practice": (_BOOL, False),
               "time_limit_s": (_NUM, False), "replays": (_INT, False), "show_errors": (_BOOL, False),
               "randomise": (_BOOL, False)}


def _text(value: str) -> str:
    """NFC, every run of white space one space, ends trimmed."""
    return " ".join(nfc(value).split())


#: A paragraph whose lines are all this short or shorter keeps its line breaks (a signature, an
#: address); a longer line is prose wrapped in the file (characters).
KEPT_LINE_CHARS = 64


def _passage(value: str) -> tuple[str, tuple[int, ...]]:
    """A passage as written: ``(text, indices of the paragraph breaks)``.

    NFC; blank lines separate paragraphs, each break one "\\n"; a paragraph's lines are joined
    with spaces (prose wrapped wherever the author liked) unless every line of it is at most
    ``KEPT_LINE_CHARS`` characters (a signature or an address block: one "\\n" per line); every
    other run of white space is one space, ends trimmed.
    """
    paragraphs: list[list[str]] = [[]]
    for raw in nfc(value).splitlines():
        line = " ".join(raw.split())
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    parts = []
    for lines in (p for p in paragraphs if p):
        keep = len(lines) > 1 and all(len(ln) <= KEPT_LINE_CHARS for ln in lines)
        parts.append(("\n" if keep else " ").join(lines))
    breaks, at = [], 0
    for part in parts[:-1]:
        at += len(part)
        breaks.append(at)
        at += 1
    return "\n".join(parts), tuple(breaks)


class _Reader:
    """Validates one file and builds its object; problems collect in ``self.problems``."""

    def __init__(self, path: Path, source: str, passages: Path | None,
                 cache: dict[Path, tuple[Any, list[Problem]]] | None = None) -> None:
        self.path = path
        self.cache = cache if cache is not None else {}
        self.lines = _LineMap(source)
        self.problems: list[Problem] = []
        self.passages = passages
        self.randomised = False

    # -- reporting -------------------------------------------------------------------------

    def bad(self, section: str, index: int | None, key: str | None, label: str, message: str,
            inline: str | None = None) -> None:
        line = self.lines.line(section, index, key, inline)
        self.problems.append(Problem(self.path, line, label, message))

    def table(self, data: Any, spec: Spec, section: str, index: int | None, label: str) -> dict[str, Any]:
        """Check keys and types of one table; returns only the keys that passed."""
        if not isinstance(data, dict):
            self.bad(section, index, None, label, "expected a table")
            return {}
        out: dict[str, Any] = {}
        for key, value in data.items():
            where = f"{label}.{key}" if label else key
            if key not in spec:
                near = difflib.get_close_matches(key, list(spec), n=1)
                hint = f"; did you mean {near[0]!r}?" if near else f"; allowed: {', '.join(spec)}"
                self.bad(section, index, key, where, f"unknown key{hint}")
                continue
            expected = spec[key][0]
            if not _type_ok(value, expected):
                self.bad(section, index, key, where, f"expected {expected}, got {_show(value)}")
                continue
            out[key] = nfc(value) if isinstance(value, str) else value
        for key, (expected, required) in spec.items():
            if required and key not in data:
                where = f"{label}.{key}" if label else key
                self.bad(section, index, None, where, f"missing (required: {expected})")
        return out

    def array(self, data: dict[str, Any], name: str, spec: Spec, id_key: str = "id") -> list[tuple[int, str, dict]]:
        """The entries of ``[[name]]``: (index, label, checked table); duplicate ids reported."""
        entries: list[tuple[int, str, dict]] = []
        seen: dict[str, int] = {}
        raws = data.get(name, [])
        if not isinstance(raws, list):
            return entries  # its type is reported with the table's keys
        for i, raw in enumerate(raws):
            ident = raw.get(id_key) if isinstance(raw, dict) else None
            label = f"{name}[{ident}]" if isinstance(ident, str) and ident else f"{name}[{i + 1}]"
            table = self.table(raw, spec, name, i, label)
            ident = table.get(id_key)
            if isinstance(ident, str):
                if id_key == "name" and not FIELD_NAME_RE.match(ident):
                    self.bad(name, i, id_key, f"{label}.{id_key}", f"{ident!r}: use lower case letters, digits, _")
                elif id_key == "id" and not LOCAL_ID_RE.match(ident):
                    self.bad(name, i, id_key, f"{label}.{id_key}", f"{ident!r}: use letters, digits, - and _")
                if ident in seen:
                    self.bad(name, i, id_key, f"{label}.{id_key}",
                             f"duplicate {id_key} {ident!r} (first in {name} entry {seen[ident] + 1})")
                    continue
                seen[ident] = i
            entries.append((i, label, table))
        return entries

    def choice(self, value: str, allowed: Iterable[str], section: str, index: int | None, key: str,
               label: str, what: str) -> bool:
        allowed = tuple(allowed)
        if value in allowed:
            return True
        near = difflib.get_close_matches(value, list(allowed), n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        self.bad(section, index, key, label, f"unknown {what} {value!r}{hint} (known: {', '.join(allowed)})")
        return False

    def voice(self, value: str, language: str, section: str, index: int | None, key: str, label: str) -> None:
        if not VOICE_RE.match(value):
            self.bad(section, index, key, label,
                     f"unknown voice {value!r}; voices are <lang>-caller-<n>, n = 1..4 (e.g. {language}-caller-1)")
        elif not value.startswith(language + "-"):
            self.bad(section, index, key, label, f"voice {value!r} does not speak the item's language {language!r}")

    def placeholders(self, text: str, section: str, index: int | None, key: str, label: str,
                     inline: str | None = None) -> None:
        for name in PLACEHOLDER_RE.findall(text):
            if not self.randomised:
                self.bad(section, index, key, label,
                         f"placeholder {{{name}}} but the item has no [randomise] table; write the value itself",
                         inline)
            elif name not in PLACEHOLDERS:
                self.bad(section, index, key, label,
                         f"unknown placeholder {{{name}}}; known: {', '.join(sorted(PLACEHOLDERS))}", inline)

    def trigger(self, value: str, section: str, index: int | None, key: str, label: str,
                refs: dict[str, set[str]]) -> Trigger | None:
        try:
            trig = parse_trigger(value)
        except TriggerError as exc:
            self.bad(section, index, key, label, str(exc))
            return None
        ref_names = {
            "line-start": "lines", "line-end": "lines", "chat-shown": "chats", "record-opened": "records",
            "dial": "records", "article-opened": "articles", "product-opened": "products", "say": "script",
            "transfer": "transfers", "submit": "forms", "chat-reply": "chats", "cue": "timeline",
            "purpose": "purposes", "identity": "identity", "callback": "callback_slots",
        }
        table = ref_names.get(trig.name)
        if trig.arg is not None and table is not None and trig.arg not in refs.get(table, set()):
            known = ", ".join(sorted(refs.get(table, set()))) or "none"
            self.bad(section, index, key, label,
                     f"{trig.base!r} names {table} entry {trig.arg!r}, which does not exist (known: {known})")
            return None
        return trig

    # -- common parts ------------------------------------------------------------------------

    def header(self, data: dict[str, Any], spec: Spec, kind: str) -> dict[str, Any]:
        top = self.table(data, spec, "", None, "")
        ident, language = top.get("id"), top.get("language")
        if isinstance(top.get("kind"), str) and top["kind"] != kind:
            self.bad("", None, "kind", "kind", f"is {top['kind']!r} but the file was read as {kind!r}")
        if isinstance(language, str):
            self.choice(language, LANGUAGES, "", None, "language", "language", "language")
        if isinstance(ident, str):
            if not ID_RE.match(ident):
                self.bad("", None, "id", "id", f"{ident!r}: use lower-case letters, digits and -")
            elif ident != self.path.stem:
                self.bad("", None, "id", "id", f"{ident!r} differs from the file name {self.path.name!r}")
            elif kind != "battery" and isinstance(language, str) and not ident.startswith(language + "-"):
                self.bad("", None, "id", "id", f"{ident!r} must start with its language {language + '-'!r}")
        folder = self.path.parent
        if kind in KIND_FOLDERS and folder.name in KIND_FOLDERS:
            if folder.name != kind:
                self.bad("", None, "kind", "kind", f"{kind!r} item in folder {folder.name!r}; move it to {kind}/")
            elif isinstance(language, str) and folder.parent.name in LANGUAGES and folder.parent.name != language:
                self.bad("", None, "language", "language",
                         f"{language!r} item in folder {folder.parent.name!r}; move it to {language}/{kind}/")
        return top

    def normalisation(self, raw: Any, section: str, index: int | None, key: str | None, label: str,
                      base: Normalisation) -> Normalisation:
        if raw is None:
            return base
        if section == "normalise":
            table = self.table(raw, _NORMALISE, "normalise", None, label)
        else:  # an inline table on one line: report at that line
            table = {}
            if not isinstance(raw, dict):
                self.bad(section, index, key, label, "expected an inline table { ... }")
                return base
            for k, v in raw.items():
                if k not in _NORMALISE:
                    near = difflib.get_close_matches(k, list(_NORMALISE), n=1)
                    hint = f"; did you mean {near[0]!r}?" if near else f"; allowed: {', '.join(_NORMALISE)}"
                    self.bad(section, index, key, f"{label}.{k}", f"unknown key{hint}")
                elif not _type_ok(v, _NORMALISE[k][0]):
                    self.bad(section, index, key, f"{label}.{k}", f"expected {_NORMALISE[k][0]}, got {_show(v)}")
                else:
                    table[k] = v
        changes: dict[str, Any] = {}
        for k, v in table.items():
            if k in _NORMALISE_VALUES:
                where = f"{label}.{k}"
                if self.choice(v, _NORMALISE_VALUES[k], section, index, k if section == "normalise" else key,
                               where, "value"):
                    changes[k] = v
            else:
                changes[k] = v
        return base.merged(changes)

    def read_lines(self, data: dict[str, Any], language: str, default_voice: str | None) -> tuple[Line, ...]:
        out = []
        for i, label, t in self.array(data, "lines", _LINE):
            if "id" not in t or "text" not in t:
                continue
            text = _text(t["text"])
            if not text:
                self.bad("lines", i, "text", f"{label}.text", "empty line text")
            self.placeholders(text, "lines", i, "text", f"{label}.text")
            voice = t.get("voice", default_voice) or ""
            if "voice" in t:
                self.voice(t["voice"], language, "lines", i, "voice", f"{label}.voice")
            audio = None
            if "audio" in t:
                audio = (self.path.parent / t["audio"]).resolve()
                if not audio.is_file():
                    self.bad("lines", i, "audio", f"{label}.audio", f"recorded file {t['audio']!r} not found")
            pause = float(t.get("pause_s", 0.6))
            if not fits(pause, low=0):
                self.bad("lines", i, "pause_s", f"{label}.pause_s",
                         str(number_problem(pause, low=0, words="0 or more seconds")))
            out.append(Line(id=t["id"], text=text, voice=voice, audio=audio, pause_s=pause))
        if not out and not any(p.field.startswith("lines") for p in self.problems):
            self.bad("", None, "lines", "lines", "at least one [[lines]] entry is needed")
        return tuple(out)

    def read_fields(self, data: dict[str, Any], language: str, base: Normalisation,
                    in_call: bool) -> tuple[Field, ...]:
        out = []
        raw_fields = data.get("fields") if isinstance(data.get("fields"), list) else []
        broken_groups: set[str] = set()
        for i, label, t in self.array(data, "fields", _FIELD, id_key="name"):
            if "name" not in t or "label" not in t:
                continue
            ftype = t.get("type", "text")
            if not self.choice(ftype, FIELD_TYPES, "fields", i, "type", f"{label}.type", "field type"):
                continue
            form = t.get("form", "contact")
            if "form" in t:
                if not in_call:
                    self.bad("fields", i, "form", f"{label}.form", "only fields of a call belong to a form")
                else:
                    self.choice(form, FORMS, "fields", i, "form", f"{label}.form", "form")
            facts: list[Fact] = []
            if ftype == "note":
                if "value" in t:
                    self.bad("fields", i, "value", f"{label}.value",
                             "a note is scored on its facts, not a value; remove value")
                if not t.get("facts"):
                    self.bad("fields", i, "facts", f"{label}.facts", "a note field needs facts = [ { id, any } ]")
                for j, raw in enumerate(t.get("facts", [])):
                    flabel = f"{label}.facts[{raw.get('id', j + 1)}]"
                    unknown = set(raw) - set(_FACT)
                    fid = raw.get("id") if isinstance(raw.get("id"), str) else None
                    for k in sorted(unknown):
                        self.bad("fields", i, "facts", f"{flabel}.{k}", "unknown key; allowed: id, any", fid)
                    if fid is None or not _type_ok(raw.get("any"), _STRS) or not raw.get("any"):
                        self.bad("fields", i, "facts", flabel, "each fact needs id (a string) and any (phrasings)", fid)
                        continue
                    for phrase in raw["any"]:
                        self.placeholders(phrase, "fields", i, "facts", flabel, fid)
                    facts.append(Fact(id=raw["id"], any=tuple(nfc(p) for p in raw["any"])))
                if len({f.id for f in facts}) != len(facts):
                    self.bad("fields", i, "facts", f"{label}.facts", "duplicate fact id")
            else:
                if "facts" in t:
                    self.bad("fields", i, "facts", f"{label}.facts", "only a note field (type = \"note\") has facts")
                if "value" not in t:
                    self.bad("fields", i, None, f"{label}.value", "missing (required: the expected value)")
                else:
                    self.placeholders(t["value"], "fields", i, "value", f"{label}.value")
            rules = self.normalisation(t.get("normalise"), "fields", i, "normalise", f"{label}.normalise", base)
            row = t.get("row")
            if row is not None and not self.row_ok(t["name"], row, ftype, in_call, i, label):
                row = None
            if row is None and isinstance(raw_fields[i], dict) and "row" in raw_fields[i]:
                broken_groups.add(form)  # one problem said already: no cascade about its line's columns
            out.append(Field(name=t["name"], label=t["label"], type=ftype, value=t.get("value"),
                             required=t.get("required", True), normalise=rules, facts=tuple(facts), form=form,
                             row=row))
        self.check_groups([f for f in out if f.form not in broken_groups], data)
        return tuple(out)

    def row_ok(self, name: str, row: int, ftype: str, in_call: bool, i: int, label: str) -> bool:
        """A field's ``row`` (a line of a repeatable group): a call's, 1 or more, named ``<column>_<row>``."""
        problem = None
        if not in_call:
            problem = "only fields of a call belong to a repeatable group"
        elif row < 1:
            problem = f"{row}: rows are numbered from 1"
        elif ftype == "note":
            problem = "a note is not a line of a repeatable group; remove row"
        elif not name.endswith(f"_{row}") or name == f"_{row}":
            problem = f"a field in row {row} is named <column>_{row} (like order_code_{row}), got {name!r}"
        if problem is not None:
            self.bad("fields", i, "row", f"{label}.row", problem)
        return problem is None

    def check_groups(self, fields: list[Field], data: dict[str, Any]) -> None:
        """Every line of a repeatable group has the same columns, of the same type; rows 1..n without gaps."""
        index = {t.get("name"): i for i, t in enumerate(data.get("fields", [])) if isinstance(t, dict)}
        forms = sorted({f.form for f in fields if f.row is not None})
        for form in forms:
            group = [f for f in fields if f.form == form and f.row is not None]
            rows = sorted({f.row for f in group if f.row is not None})
            first = {f.column: f for f in group if f.row == rows[0]}
            columns = ", ".join(sorted(c for c in first if c))
            for f in group:
                label, i = f"fields[{f.name}]", index.get(f.name)
                if f.column not in first:
                    self.bad("fields", i, "row", f"{label}.row",
                             f"column {f.column!r} is not in row {rows[0]} of form {form!r} (columns: {columns})")
                elif f.type != first[f.column].type:
                    self.bad("fields", i, "type", f"{label}.type",
                             f"{f.type!r}, but {first[f.column].name!r} of the same column is {first[f.column].type!r}")
            for r in rows:
                have = {f.column for f in group if f.row == r}
                lacking = sorted(c for c in first if c not in have)
                f0 = next(f for f in group if f.row == r)
                if lacking:
                    self.bad("fields", index.get(f0.name), "row", f"fields[{f0.name}].row",
                             f"row {r} of form {form!r} lacks column(s) {', '.join(lacking)} (columns: {columns})")
            if rows != list(range(1, len(rows) + 1)):
                f0 = group[0]
                self.bad("fields", index.get(f0.name), "row", f"fields[{f0.name}].row",
                         f"the rows of form {form!r} are {rows}: number them 1, 2, ... without gaps")

    def read_randomise(self, data: dict[str, Any]) -> Randomise | None:
        if "randomise" not in data:
            return None
        t = self.table(data["randomise"], _RANDOMISE, "randomise", None, "randomise")
        region = t.get("region", "vlaanderen")
        self.choice(region, REGIONS, "randomise", None, "region", "randomise.region", "region")
        self.randomised = True
        return Randomise(record=t.get("record"), region=region)

    # -- kinds ------------------------------------------------------------------------------

    def copy(self, data: dict[str, Any]) -> CopyPassage:
        from typingtest.content.difficulty import difficulty

        top = self.header(data, _COPY, "copy-typing")
        if "genre" in top:
            self.choice(top["genre"], GENRES, "", None, "genre", "genre", "genre")
        text, breaks = _passage(top.get("text", ""))  # paragraphs and signature lines as written
        if "text" in top and len(text.split()) < 20:
            self.bad("", None, "text", "text", f"only {len(text.split())} words; a passage needs at least 20")
        self.placeholders(text, "", None, "text", "text")
        return CopyPassage(id=top.get("id", ""), kind="copy-typing", language=top.get("language", ""),
                           title=top.get("title", ""), path=self.path, genre=top.get("genre", "other"),
                           text=text, notes=top.get("notes", ""), difficulty=difficulty(text),
                           paragraph_breaks=breaks)

    def transcription(self, data: dict[str, Any]) -> Transcription:
        from typingtest.content.difficulty import difficulty

        top = self.header(data, _TRANS, "transcription")
        language = top.get("language", "nl")
        if "voice" in top:
            self.voice(top["voice"], language, "", None, "voice", "voice")
        rules = self.normalisation(data.get("normalise"), "normalise", None, None, "normalise",
                                   Normalisation(language=language))
        lines = self.read_lines(data, language, top.get("voice"))
        reference = _text(top["reference"]) if "reference" in top else " ".join(ln.text for ln in lines)
        if "reference" in top and not reference:
            self.bad("", None, "reference", "reference", "empty reference")
        self.placeholders(reference, "", None, "reference", "reference")
        return Transcription(id=top.get("id", ""), kind="transcription", language=language,
                             title=top.get("title", ""), path=self.path, voice=top.get("voice", ""),
                             reference=reference, normalise=rules, lines=lines, difficulty=difficulty(reference),
                             notes=top.get("notes", ""))

    def data_entry(self, data: dict[str, Any]) -> DataEntry:
        top = self.header(data, _ENTRY, "data-entry")
        language = top.get("language", "nl")
        if "voice" in top:
            self.voice(top["voice"], language, "", None, "voice", "voice")
        randomise = self.read_randomise(data)
        if randomise is not None and randomise.record is not None:
            self.bad("randomise", None, "record", "randomise.record", "only a call has records; remove record")
        rules = self.normalisation(data.get("normalise"), "normalise", None, None, "normalise",
                                   Normalisation(language=language))
        lines = self.read_lines(data, language, top.get("voice"))
        fields = self.read_fields(data, language, rules, in_call=False)
        if not fields and "fields" not in data:
            pass  # reported as missing
        return DataEntry(id=top.get("id", ""), kind="data-entry", language=language, title=top.get("title", ""),
                         path=self.path, voice=top.get("voice", ""), normalise=rules, randomise=randomise,
                         lines=lines, fields=fields, notes=top.get("notes", ""))

    def call(self, data: dict[str, Any]) -> Call:
        top = self.header(data, _CALL, "call")
        language = top.get("language", "nl")
        direction = top.get("direction", "inbound")
        if "direction" in top:
            self.choice(direction, ("inbound", "outbound"), "", None, "direction", "direction", "direction")
        today = top.get("today", "")
        if "today" in top:
            try:
                dt.date.fromisoformat(today)
            except ValueError:
                self.bad("", None, "today", "today", f"{today!r} is not a date like \"2026-03-12\"")
        duration = float(top.get("target_duration_s", 0))
        if "target_duration_s" in top and not fits(duration, low=30, high=1800):
            self.bad("", None, "target_duration_s", "target_duration_s", f"{duration:g} s: expected 30-1800 seconds")
        purposes = tuple(top.get("purposes", PURPOSES))
        for p in purposes:
            self.choice(p, PURPOSES, "", None, "purposes", "purposes", "purpose")
        slots = tuple(top.get("callback_slots", ()))
        for s in slots:
            if not SLOT_RE.match(s):
                self.bad("", None, "callback_slots", "callback_slots", f"{s!r} is not a slot like \"2026-03-13T15:00\"")
            elif re.match(r"^\d{4}-\d{2}-\d{2}$", today) and s[:10] < today:
                self.bad("", None, "callback_slots", "callback_slots", f"slot {s!r} is before today ({today})")
        randomise = self.read_randomise(data)
        caller_t = self.table(data.get("caller", {}), _CALLER, "caller", None, "caller") if "caller" in data else {}
        if "voice" in caller_t:
            self.voice(caller_t["voice"], language, "caller", None, "voice", "caller.voice")
        script = tuple(ScriptStep(t["id"], _text(t["text"])) for _, _, t in self.array(data, "script", _SCRIPT)
                       if "id" in t and "text" in t)
        lines = self.read_lines(data, language, caller_t.get("voice"))
        chats = tuple(Chat(t["id"], t["sender"], _text(t["text"])) for _, _, t in self.array(data, "chats", _CHAT)
                      if {"id", "sender", "text"} <= set(t))
        records = []
        for i, label, t in self.array(data, "records", _RECORD):
            if not set(k for k, (_, req) in _RECORD.items() if req) <= set(t):
                continue
            number = t["customer_number"]
            if not PLACEHOLDER_RE.search(number):
                if not CUSTOMER_NUMBER_RE.match(number):
                    self.bad("records", i, "customer_number", f"{label}.customer_number",
                             f"{number!r} is not a customer number like \"205718-78\" (NNNNNN-CC)")
                elif not customer_number_ok(number):
                    base = int(number[:6])
                    self.bad("records", i, "customer_number", f"{label}.customer_number",
                             f"{number!r}: wrong check digits; {base:06d} mod 97 gives {base % 97 or 97:02d}")
            for k in ("name", "street", "postcode", "municipality", "phone", "email", "customer_number"):
                self.placeholders(t[k], "records", i, k, f"{label}.{k}")
            if not PLACEHOLDER_RE.search(t["postcode"]) and not re.match(r"^\d{4,5}$", t["postcode"]):
                self.bad("records", i, "postcode", f"{label}.postcode", f"{t['postcode']!r}: expected 4 digits")
            records.append(Record(id=t["id"], customer_number=number, name=t["name"], street=t["street"],
                                  postcode=t["postcode"], municipality=t["municipality"], phone=t["phone"],
                                  email=t["email"], birth_date=t.get("birth_date", ""),
                                  segment=t.get("segment", ""), history=tuple(t.get("history", ()))))
        products = []
        codes: set[str] = set()
        for i, label, t in self.array(data, "products", _PRODUCT):
            if not set(_PRODUCT) <= set(t):
                continue
            if t["code"] in codes:
                self.bad("products", i, "code", f"{label}.code", f"duplicate product code {t['code']!r}")
            codes.add(t["code"])
            for k in ("price", "stock", "delivery_days"):
                whole = k != "price"  # stock and delivery_days count
                if not fits(t[k], low=0, whole=whole):
                    self.bad("products", i, k, f"{label}.{k}",
                             str(number_problem(t[k], low=0, whole=whole, words="0 or more")))
            products.append(Product(t["id"], t["code"], t["name"], float(t["price"]), t["stock"], t["delivery_days"]))
        articles = tuple(Article(t["id"], t["title"], _text(t["text"]), tuple(t.get("keywords", ())))
                         for _, _, t in self.array(data, "articles", _ARTICLE) if {"id", "title", "text"} <= set(t))
        transfers = tuple(Transfer(t["id"], t["name"], t["handles"])
                          for _, _, t in self.array(data, "transfers", _TRANSFER) if set(_TRANSFER) <= set(t))
        shipping = self.read_shipping(data)
        fields = self.read_fields(data, language, Normalisation(language=language), in_call=True)
        record_ids = _raw_ids(data, "records")
        caller_record = caller_t.get("record")
        if caller_record and caller_record not in record_ids:
            self.bad("caller", None, "record", "caller.record",
                     f"record {caller_record!r} is not in [[records]] (known: {', '.join(sorted(record_ids))})")
        if randomise is not None and randomise.record is not None and randomise.record not in record_ids:
            self.bad("randomise", None, "record", "randomise.record",
                     f"record {randomise.record!r} is not in [[records]]")
        # references are checked against the ids written, so one broken entry does not cascade
        refs = {
            "lines": _raw_ids(data, "lines"), "chats": _raw_ids(data, "chats"), "records": _raw_ids(data, "records"),
            "articles": _raw_ids(data, "articles"), "products": _raw_ids(data, "products"),
            "script": _raw_ids(data, "script"), "transfers": _raw_ids(data, "transfers"),
            "forms": {f.form for f in fields}, "purposes": set(purposes), "identity": {"confirmed", "rejected"},
            "callback_slots": set(slots), "timeline": _raw_ids(data, "timeline"),
        }
        timeline = []
        said: set[str] = set()
        for i, label, t in self.array(data, "timeline", _CUE):
            at = self.trigger(t["at"], "timeline", i, "at", f"{label}.at", refs) if "at" in t else None
            after = self.trigger(t["after"], "timeline", i, "after", f"{label}.after", refs) if "after" in t else None
            if after is not None and after.delay_s:
                self.bad("timeline", i, "after", f"{label}.after", "put the delay on at, not on after")
            if "after" in t and "timeout_s" not in t:
                self.bad("timeline", i, "after", f"{label}.timeout_s",
                         "missing: a cue waiting for `after` needs timeout_s, so the call never stalls")
            if "timeout_s" in t and "after" not in t:
                self.bad("timeline", i, "timeout_s", f"{label}.timeout_s", "timeout_s only goes with after")
            if "timeout_s" in t and not fits(t["timeout_s"], above=0):
                self.bad("timeline", i, "timeout_s", f"{label}.timeout_s",
                         str(number_problem(t["timeout_s"], above=0, words="more than 0 seconds")))
            if at is not None and at.name == "cue" and at.arg == t.get("id"):
                self.bad("timeline", i, "at", f"{label}.at", "a cue cannot wait for itself")
            do = t.get("do")
            if do is None or not self.choice(do, CUE_DOES, "timeline", i, "do", f"{label}.do", "cue"):
                continue
            needs = {"say": "line", "chat": "chat", "hold": "seconds"}.get(do)
            for key in ("line", "chat", "seconds"):
                if key in t and key != needs:
                    self.bad("timeline", i, key, f"{label}.{key}", f"a {do!r} cue takes no {key}")
            if needs and needs not in t:
                self.bad("timeline", i, None, f"{label}.{needs}", f"missing: a {do!r} cue needs {needs}")
            elif do == "say" and t["line"] not in refs["lines"]:
                self.bad("timeline", i, "line", f"{label}.line", f"line {t['line']!r} is not in [[lines]]")
            elif do == "chat" and t["chat"] not in refs["chats"]:
                self.bad("timeline", i, "chat", f"{label}.chat", f"chat {t['chat']!r} is not in [[chats]]")
            elif do == "hold" and not fits(t["seconds"], above=0):
                self.bad("timeline", i, "seconds", f"{label}.seconds",
                         str(number_problem(t["seconds"], above=0, words="more than 0 seconds")))
            if do == "ring" and direction == "outbound":
                self.bad("timeline", i, "do", f"{label}.do", "an outbound call does not ring; the candidate dials")
            if do == "say":
                said.add(t.get("line", ""))
            if at is not None and "id" in t:
                timeline.append(Cue(id=t["id"], at=at, do=do, after=after, timeout_s=t.get("timeout_s"),
                                    line=t.get("line"), chat=t.get("chat"), seconds=t.get("seconds")))
        if direction == "inbound" and "timeline" in data and not any(c.do == "ring" for c in timeline):
            self.bad("", None, "timeline", "timeline", "an inbound call needs a cue with do = \"ring\"")
        for i, line in enumerate(lines):
            if line.id not in said and "timeline" in data:
                self.bad("lines", i, "id", f"lines[{line.id}]", "no timeline cue says this line")
        shown = {c.chat for c in timeline if c.do == "chat"}
        for i, chat in enumerate(chats):
            if chat.id not in shown and "timeline" in data:
                self.bad("chats", i, "id", f"chats[{chat.id}]", "no timeline cue shows this chat message")
        expect = self.read_expect(data, refs, fields, slots, purposes)
        return Call(id=top.get("id", ""), kind="call", language=language, title=top.get("title", ""), path=self.path,
                    direction=direction, today=today, target_duration_s=duration, purposes=purposes,
                    callback_slots=slots,
                    caller=Caller(caller_t.get("voice", ""), caller_t.get("record", ""), caller_t.get("name", "")),
                    randomise=randomise, script=script, lines=lines, chats=chats, records=tuple(records),
                    products=tuple(products), articles=articles, transfers=transfers, fields=fields,
                    timeline=tuple(timeline), expect=expect, notes=top.get("notes", ""), shipping=shipping)

    def read_shipping(self, data: dict[str, Any]) -> Shipping | None:
        """The optional ``[shipping]`` table: ``fee`` (euro, 0 or more), ``free_from`` (euro, more than 0)."""
        if "shipping" not in data:
            return None
        t = self.table(data["shipping"], _SHIPPING, "shipping", None, "shipping")
        if "fee" not in t:
            return None
        ok = True
        if not fits(t["fee"], low=0):
            self.bad("shipping", None, "fee", "shipping.fee", f"{t['fee']:g}: must be 0 euro or more")
            ok = False
        if "free_from" in t and not fits(t["free_from"], above=0):
            self.bad("shipping", None, "free_from", "shipping.free_from",
                     f"{t['free_from']:g}: must be more than 0 euro (leave it out: never free)")
            ok = False
        if not ok:
            return None
        free = t.get("free_from")
        return Shipping(float(t["fee"]), float(free) if free is not None else None)

    def read_expect(self, data: dict[str, Any], refs: dict[str, set[str]], fields: tuple[Field, ...],
                    slots: tuple[str, ...], purposes: tuple[str, ...]) -> tuple[Expectation, ...]:
        out = []
        by_name = {f.name: f for f in fields}
        seen: set[str] = set()
        for i, raw in enumerate(data.get("expect", [])):
            if not isinstance(raw, dict):
                self.bad("expect", i, None, f"expect[{i + 1}]", "expected a table")
                continue
            ident = raw.get("id")
            label = f"expect[{ident}]" if isinstance(ident, str) and ident else f"expect[{i + 1}]"
            action = raw.get("action")
            own_req, own_opt = ACTIONS.get(action, ((), ())) if isinstance(action, str) else ((), ())
            spec = dict(_EXPECT_BASE)
            for k in own_req:
                spec[k] = (_ACTION_KEY_TYPES[k], True)
            for k in own_opt:
                spec[k] = (_ACTION_KEY_TYPES[k], False)
            if isinstance(action, str) and action not in ACTIONS:
                self.choice(action, ACTIONS, "expect", i, "action", f"{label}.action", "action")
                continue
            t = self.table(raw, spec, "expect", i, label)
            if isinstance(ident, str):
                if ident in seen:
                    self.bad("expect", i, "id", f"{label}.id", f"duplicate id {ident!r}")
                seen.add(ident)
            if "competence" in t:
                self.choice(t["competence"], COMPETENCES, "expect", i, "competence", f"{label}.competence",
                            "competence code")
            cue = self.trigger(t["cue"], "expect", i, "cue", f"{label}.cue", refs) if "cue" in t else None
            deadline = t.get("deadline_s")
            if deadline is not None and not fits(deadline):
                self.bad("expect", i, "deadline_s", f"{label}.deadline_s", str(number_problem(deadline)))
            elif deadline is not None and deadline <= 0:
                self.bad("expect", i, "deadline_s", f"{label}.deadline_s",
                         f"deadline before its cue: {deadline:g} s after {t.get('cue')!r}; give a time after the cue")
            if "weight" in t and not fits(t["weight"], above=0):
                self.bad("expect", i, "weight", f"{label}.weight",
                         str(number_problem(t["weight"], above=0, words="more than 0")))
            params = {k: t[k] for k in (*own_req, *own_opt) if k in t}

            for key, table, what in (("record", "records", "record"), ("article", "articles", "article"),
                                     ("product", "products", "product"),
                                     ("transfer", "transfers", "transfer target"), ("step", "script", "script step"),
                                     ("chat", "chats", "chat message"), ("form", "forms", "form")):
                value = params.get(key)
                if isinstance(value, str) and value not in refs[table]:
                    known = ", ".join(sorted(refs[table])) or "none"
                    self.bad("expect", i, key, f"{label}.{key}", f"{what} {value!r} does not exist (known: {known})")
            if "result" in params:
                self.choice(params["result"], ("confirmed", "rejected"), "expect", i, "result", f"{label}.result",
                            "identity result")
            if "purpose" in params and params["purpose"] not in purposes:
                self.bad("expect", i, "purpose", f"{label}.purpose",
                         f"purpose {params['purpose']!r} is not offered (purposes: {', '.join(purposes)})")
            for other in params.get("accept", []):
                if other == params.get(action):
                    self.bad("expect", i, "accept", f"{label}.accept",
                             f"{other!r} is already the expected {action}; list only the other accepted answers")
                elif action == "purpose" and other not in purposes:
                    self.bad("expect", i, "accept", f"{label}.accept",
                             f"purpose {other!r} is not offered (purposes: {', '.join(purposes)})")
                elif action == "transfer" and other not in refs["transfers"]:
                    known = ", ".join(sorted(refs["transfers"])) or "none"
                    self.bad("expect", i, "accept", f"{label}.accept",
                             f"transfer target {other!r} does not exist (known: {known})")
            if "field" in params:
                f = by_name.get(params["field"])
                if f is None:
                    self.bad("expect", i, "field", f"{label}.field",
                             f"field {params['field']!r} is not in the form (fields: {', '.join(by_name) or 'none'})")
                elif action == "chat-reply" and f.type != "note":
                    self.bad("expect", i, "field", f"{label}.field", f"field {f.name!r} must be a note with facts")
                elif "value" in params and f.type == "note":
                    self.bad("expect", i, "value", f"{label}.value", f"field {f.name!r} is a note: scored on facts")
                elif action == "field" and f.value is None and f.type != "note" and "value" not in params:
                    self.bad("expect", i, "field", f"{label}.field", "no value to compare with")
            for s in params.get("slots", []):
                if s not in slots:
                    self.bad("expect", i, "slots", f"{label}.slots",
                             f"slot {s!r} is not in callback_slots (the planner offers only those)")
            if action == "callback" and not params.get("slots"):
                self.bad("expect", i, "slots", f"{label}.slots", "give at least one accepted slot")
            if action == "script-order":
                steps = params.get("steps", [])
                for s in steps:
                    if s not in refs["script"]:
                        self.bad("expect", i, "steps", f"{label}.steps", f"script step {s!r} does not exist")
                if len(steps) < 2:
                    self.bad("expect", i, "steps", f"{label}.steps", "an order needs at least two steps")
            if "event" in params:
                self.trigger(params["event"], "expect", i, "event", f"{label}.event", refs)
            if cue is None or not {"id", "action", "competence"} <= set(t):
                continue
            out.append(Expectation(id=t["id"], action=action, competence=t["competence"], cue=cue,
                                   deadline_s=float(deadline) if deadline is not None else None,
                                   weight=float(t.get("weight", 1.0)), params=params,
                                   not_before_cue=t.get("not_before_cue", False)))
        if not data.get("expect") and "expect" in data:
            self.bad("", None, "expect", "expect", "a call needs at least one expected action")
        return tuple(out)

    def battery(self, data: dict[str, Any]) -> Battery:
        from typingtest.config import load_thresholds
        from typingtest.content.difficulty import BAND_KEYS

        top = self.header(data, _BATTERY, "battery")
        language = top.get("language", "nl")
        known = set(load_thresholds())
        for name in top.get("thresholds", []):
            self.choice(name, sorted(known), "", None, "thresholds", "thresholds", "threshold indicator")
        band: dict[str, tuple[float, float]] = {}
        if "band" in data:
            raw = data["band"]
            if isinstance(raw, dict):
                for key, value in raw.items():
                    if key not in BAND_KEYS:
                        self.choice(key, BAND_KEYS, "band", None, key, f"band.{key}", "band figure")
                    elif (not isinstance(value, list) or len(value) != 2
                          or not all(fits(v) for v in value) or value[0] > value[1]):
                        self.bad("band", None, key, f"band.{key}", "expected [low, high] with low <= high")
                    else:
                        band[key] = (float(value[0]), float(value[1]))
        tasks = []
        for i, label, t in self.array(data, "tasks", _TASK, id_key="item"):
            if ("step" in t) == ("item" in t):
                self.bad("tasks", i, None, label, "give exactly one of step and item")
                continue
            task = Task(step=t.get("step"), item=t.get("item"), practice=t.get("practice", False),
                        time_limit_s=t.get("time_limit_s"), replays=t.get("replays", 1),
                        show_errors=t.get("show_errors", False), randomise=t.get("randomise", True))
            if task.step is not None:
                self.choice(task.step, STEPS, "tasks", i, "step", f"{label}.step", "step")
                tasks.append(task)
                continue
            if task.time_limit_s is None:
                self.bad("tasks", i, None, f"{label}.time_limit_s", "missing (required: seconds)")
            elif not fits(task.time_limit_s, above=0):
                self.bad("tasks", i, "time_limit_s", f"{label}.time_limit_s",
                         str(number_problem(task.time_limit_s, above=0, words="more than 0 seconds")))
            if not fits(task.replays, low=0, whole=True):
                self.bad("tasks", i, "replays", f"{label}.replays",
                         str(number_problem(task.replays, low=0, whole=True, words="0 or more")))
            item = self._resolve(task.item or "", i, label)
            if item is not None:
                task.content = item
                if (isinstance(item, Call) and task.time_limit_s is not None
                        and task.time_limit_s < item.target_duration_s):
                    self.bad("tasks", i, "time_limit_s", f"{label}.time_limit_s",
                             f"{task.time_limit_s:g} s is shorter than the call's target duration "
                             f"({item.target_duration_s:g} s)")
                if item.language != language:
                    self.bad("tasks", i, "item", f"{label}.item",
                             f"{item.id!r} is in {item.language!r}, the battery in {language!r}")
                if "replays" in t and item.kind not in ("transcription", "data-entry"):
                    self.bad("tasks", i, "replays", f"{label}.replays", f"replays do not apply to {item.kind}")
                if "show_errors" in t and item.kind != "copy-typing":
                    self.bad("tasks", i, "show_errors", f"{label}.show_errors", "only copy typing shows errors")
                if band and isinstance(item, CopyPassage) and not task.practice and item.difficulty is not None:
                    for key, (lo, hi) in band.items():
                        value = getattr(item.difficulty, key)
                        if not lo <= value <= hi:
                            self.bad("band", None, key, f"band.{key}",
                                     f"{item.id} has {key} {value:g}, outside the band [{lo:g}, {hi:g}]")
            tasks.append(task)
        return Battery(id=top.get("id", ""), language=language, title=top.get("title", ""), path=self.path,
                       description=top.get("description", ""), thresholds=tuple(top.get("thresholds", ())),
                       band=band, tasks=tuple(tasks))

    def _resolve(self, item_id: str, i: int, label: str) -> Item | None:
        root = self.passages if self.passages is not None else self.path.parent.parent
        found = find_item_file(item_id, root)
        if found is None:
            self.bad("tasks", i, "item", f"{label}.item", f"no item {item_id!r} under {root}")
            return None
        key = found.resolve()
        if key not in self.cache:
            self.cache[key] = _read(found, root, self.cache)
        item, problems = self.cache[key]
        if problems or item is None:
            self.bad("tasks", i, "item", f"{label}.item", f"{item_id!r} has {len(problems)} problem(s); "
                     f"first: {problems[0] if problems else 'unreadable'}")
            return None
        return item


def _raw_ids(data: dict[str, Any], name: str, key: str = "id") -> set[str]:
    entries = data.get(name, [])
    if not isinstance(entries, list):
        return set()
    return {e[key] for e in entries if isinstance(e, dict) and isinstance(e.get(key), str)}


def _show(value: Any) -> str:
    name = {str: "a string", bool: "true/false", int: "a number", float: "a number", list: "a list",
            dict: "a table"}.get(type(value), type(value).__name__)
    text = repr(value)
    return f"{name} {text if len(text) <= 40 else text[:37] + '...'}"


# ----------------------------------------------------------------------------- public functions

_KIND_READERS = {
    "copy-typing": _Reader.copy,
    "transcription": _Reader.transcription,
    "data-entry": _Reader.data_entry,
    "call": _Reader.call,
    "battery": _Reader.battery,
}


def _read(path: Path, passages: Path | None,
          cache: dict[Path, tuple[Any, list[Problem]]] | None = None) -> tuple[Item | Battery | None, list[Problem]]:
    try:
        source = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None, [Problem(path, 1, "file", "not found")]
    except UnicodeDecodeError as exc:
        return None, [Problem(path, 1, "file", f"not UTF-8 text ({exc.reason}); save it as UTF-8")]
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line = int(m[1]) if m else 1
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message) or "syntax error"
        column = f" at column {m[2]}" if m else ""
        return None, [Problem(path, line, "syntax", f"not valid TOML{column}: {message}")]
    reader = _Reader(path, source, passages, cache)
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in _KIND_READERS:
        if kind is None:
            reader.bad("", None, None, "kind", f"missing; one of {', '.join(_KIND_READERS)}")
        else:
            reader.choice(str(kind), _KIND_READERS, "", None, "kind", "kind", "kind")
        return None, reader.problems
    try:
        obj = _KIND_READERS[kind](reader, data)
    except Exception as exc:  # a safety net: a content mistake the checks above did not foresee
        if not reader.problems:
            reader.bad("", None, None, "file", f"could not be read ({type(exc).__name__}: {exc}); "
                       "please report this with the file")
        return None, reader.problems
    return obj, reader.problems


def load_file(path: str | Path, passages: Path | None = None) -> Item | Battery:
    """Load one content file; raise ContentError listing its problems."""
    obj, problems = _read(Path(path), passages)
    if problems or obj is None:
        raise ContentError(problems)
    return obj


def content_files(root: str | Path | None = None) -> list[Path]:
    """Every content file (``*.toml``) under ``root`` (default: the shipped ``passages/``)."""
    from typingtest.config import PASSAGES_DIR

    root = Path(root) if root is not None else PASSAGES_DIR
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*.toml") if p.is_file())


def find_item_file(item_id: str, root: str | Path | None = None) -> Path | None:
    """The file of item ``item_id`` under ``root`` (default: the shipped ``passages/``)."""
    from typingtest.config import PASSAGES_DIR

    root = Path(root) if root is not None else PASSAGES_DIR
    matches = [p for p in root.rglob(f"{item_id}.toml") if p.parent.name in KIND_FOLDERS]
    return matches[0] if matches else None


def _check_all(path: str | Path | None) -> tuple[list[Item | Battery], list[Problem]]:
    """Read every file under ``path`` once (items before batteries, which reuse them)."""
    files = content_files(path)
    cache: dict[Path, tuple[Any, list[Problem]]] = {}
    ordered = sorted(files, key=lambda f: f.parent.name == "batteries")
    for f in ordered:
        key = f.resolve()
        if key not in cache:
            cache[key] = _read(f, None, cache)  # a battery's items: under the folder above its own
    problems: list[Problem] = []
    objects: list[Item | Battery] = []
    ids: dict[str, Path] = {}
    for f in files:
        obj, found = cache[f.resolve()]
        problems.extend(found)
        if obj is not None:
            objects.append(obj)
            if obj.id:
                if obj.id in ids and obj.kind != "battery":
                    problems.append(Problem(f, 1, "id", f"{obj.id!r} is also the id of {ids[obj.id]}"))
                ids.setdefault(obj.id, f)
    if path is not None and not files:
        problems.append(Problem(Path(path), 1, "file", "no content files (*.toml) found"))
    return objects, problems


def check(path: str | Path | None = None) -> list[Problem]:
    """Every problem of the content file or folder ``path`` (default: everything shipped)."""
    return _check_all(path)[1]


def load_all(root: str | Path | None = None) -> list[Item | Battery]:
    """Every item and battery under ``root``; raise ContentError when any has a problem."""
    objects, problems = _check_all(root)
    if problems:
        raise ContentError(problems)
    return objects


def load_item(item_id: str, passages: str | Path | None = None) -> Item:
    """Load one item by id (``"nl-call-01"``) from ``passages`` (default: the shipped folder)."""
    found = find_item_file(item_id, passages)
    if found is None:
        raise UserError(f"{item_id}: no such item; see `typingtest content list`")
    obj = load_file(found)
    assert not isinstance(obj, Battery)
    return obj


def load_battery(name_or_path: str | Path, lang: str | None = None, passages: str | Path | None = None) -> Battery:
    """Load a battery by name (``"default"``, ``"quick"``, ``"fr"``...) or file path.

    With ``lang`` given and different from the battery's language, the battery named after
    that language is loaded instead (``--lang fr`` runs ``passages/batteries/fr.toml``).
    """
    from typingtest.config import PASSAGES_DIR

    root = Path(passages) if passages is not None else PASSAGES_DIR
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or candidate.is_file():
        path = candidate
    else:
        path = root / "batteries" / f"{name_or_path}.toml"
        if not path.is_file():
            names = ", ".join(sorted(p.stem for p in (root / "batteries").glob("*.toml")))
            raise UserError(f"{name_or_path}: no such battery; known: {names or 'none'}")
    battery = load_file(path, passages=root if passages is not None else None)
    assert isinstance(battery, Battery)
    if lang is not None and battery.language != lang:
        other = root / "batteries" / f"{lang}.toml"
        if not other.is_file():
            raise UserError(f"--lang {lang}: no battery in that language (looked for {other})")
        battery = load_file(other, passages=root if passages is not None else None)  # type: ignore[assignment]
    return battery
