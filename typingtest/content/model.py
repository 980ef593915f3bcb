"""The content as typed objects: passages, transcription and data-entry items, calls, batteries.

Built by ``typingtest.content.loader`` from the TOML files in ``passages/`` (format in
``docs/content.md``); every text is NFC-normalised. Times are seconds, amounts euro.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from typingtest.content.normalise import Normalisation, normalise_field
from typingtest.content.triggers import Trigger

__all__ = [
    "ACTIONS",
    "COMPETENCES",
    "ITEM_KINDS",
    "LANGUAGES",
    "MEASURABLE_COMPETENCES",
    "PURPOSES",
    "PURPOSE_LABELS",
    "Article",
    "Battery",
    "Call",
    "Caller",
    "Chat",
    "CopyPassage",
    "Cue",
    "DataEntry",
    "Difficulty",
    "Expectation",
    "Fact",
    "Field",
    "Item",
    "Line",
    "Product",
    "Randomise",
    "Record",
    "ScriptStep",
    "Shipping",
    "Task",
    "Transcription",
    "Transfer",
]

LANGUAGES = ("nl", "fr", "en", "de")
ITEM_KINDS = ("copy-typing", "transcription", "data-entry", "call")

#: Competence codes of the qualification Contactcenteroperator 2016 (see the qualification summary).
COMPETENCES = (
    "D140801 Id17425",
    "D140801 Id16700",
    "D140801 Id17255",
    "D140801 Id17852",
    "D140801 Id16426",
    "D140801 Id234",
    "D140801 Id17267",
    "co 01669",
    "co 01670",
    "co 01671",
)
#: The codes a typing-and-multitasking test must measure (co 01671 is optional).
MEASURABLE_COMPETENCES = COMPETENCES[:-1]

#: Call purposes offered on screen (Id16700: order, sale, information, advertising, assistance).
PURPOSES = ("order", "sale", "information", "advertising", "assistance", "complaint", "other")
#: How the desk names each purpose, per interface language (the workstation and `content explain`).
PURPOSE_LABELS: dict[str, dict[str, str]] = {
    "nl": {"order": "Bestelling", "sale": "Verkoop", "information": "Informatie", "advertising": "Reclame",
           "assistance": "Hulp / bijstand", "complaint": "Klacht", "other": "Andere"},
    "fr": {"order": "Commande", "sale": "Vente", "information": "Information", "advertising": "Publicité",
           "assistance": "Assistance", "complaint": "Plainte", "other": "Autre"},
    "en": {"order": "Order", "sale": "Sale", "information": "Information", "advertising": "Advertising",
           "assistance": "Assistance", "complaint": "Complaint", "other": "Other"},
}

#: Expected-action kinds -> their own keys (required, optional).
ACTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "pickup": ((), ()),
    "open-record": (("record",), ()),
    "identity": (("result",), ()),
    "purpose": (("purpose",), ("accept",)),
    "open-article": (("article",), ()),
    "check-stock": (("product",), ()),
    "field": (("field",), ("value",)),
    "submit": (("form",), ()),
    "transfer": (("transfer",), ("accept",)),
    "callback": (("slots",), ()),
    "chat-reply": (("chat", "field"), ()),
    "say": (("step",), ()),
    "script-order": (("steps",), ()),
    "avoid": (("event",), ()),
    "end-call": ((), ("caller_may_end",)),
}


@dataclass(frozen=True)
class Difficulty:
    """Difficulty figures of a passage: counts, mean word length (characters), shares of all characters."""

    characters: int
    words: int
    mean_word_length: float
    digit_share: float
    capital_share: float
    punctuation_share: float
    diacritic_share: float

    def to_dict(self) -> dict[str, float | int]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Line:
    """One caller line: what the voice says (``text``), optionally a recorded file."""

    id: str
    text: str
    voice: str
    audio: Path | None = None
    pause_s: float = 0.6


@dataclass(frozen=True)
class Fact:
    """A fact a free note must hold: any of its phrasings."""

    id: str
    any: tuple[str, ...]


@dataclass(frozen=True)
class Field:
    """A form field: expected ``value`` (or ``facts`` for a free note) and how it is compared."""

    name: str
    label: str
    type: str = "text"
    value: str | None = None
    required: bool = True
    normalise: Normalisation = field(default_factory=Normalisation)
    facts: tuple[Fact, ...] = ()
    form: str = "contact"
    #: the line of a repeatable group (order lines): fields of one form with a ``row`` are lines
    #: scored as a set, whatever their order; the field is named ``<column>_<row>``
    row: int | None = None

    def normalised(self, text: str) -> str:
        """``text`` normalised as this field compares it."""
        return normalise_field(text, self.type, self.normalise)

    @property
    def column(self) -> str | None:
        """The column of a repeatable group (``order_code`` for ``order_code_2``); None outside one."""
        if self.row is None:
            return None
        return self.name.removesuffix(f"_{self.row}")


@dataclass(frozen=True)
class Randomise:
    """Draw the caller's data per candidate (``draw_form``)."""

    record: str | None = None
    region: str = "vlaanderen"


@dataclass
class _ItemBase:
    id: str
    kind: str
    language: str
    title: str
    path: Path | None

    @property
    def summary(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "language": self.language, "title": self.title}


@dataclass
class CopyPassage(_ItemBase):
    """A copy-typing passage: ``text`` is shown and typed; compared exactly, except that a line
    break ("\\n": a paragraph break, or a line of a signature) may be typed as Enter or a space
    (``engine.breaks``)."""

    genre: str = "other"
    text: str = ""
    notes: str = ""
    difficulty: Difficulty | None = None
    #: Indices into ``text`` of the line breaks that end a paragraph (a blank line in the file;
    #: the display leaves room after them); the other breaks are lines kept inside a paragraph.
    paragraph_breaks: tuple[int, ...] = ()

    @property
    def reference(self) -> str:
        return self.text


@dataclass
class Transcription(_ItemBase):
    """A voicemail to transcribe: caller lines and the reference transcript."""

    voice: str = ""
    reference: str = ""
    normalise: Normalisation = field(default_factory=Normalisation)
    lines: tuple[Line, ...] = ()
    difficulty: Difficulty | None = None
    notes: str = ""


@dataclass
class DataEntry(_ItemBase):
    """A call dictating data into a form."""

    voice: str = ""
    normalise: Normalisation = field(default_factory=Normalisation)
    randomise: Randomise | None = None
    lines: tuple[Line, ...] = ()
    fields: tuple[Field, ...] = ()
    notes: str = ""
    #: the seed the form was drawn with (None: the values as written)
    seed: int | None = None

    def get_field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


@dataclass(frozen=True)
class Caller:
    voice: str
    record: str  # "" for a caller not in the customer list
    name: str = ""


@dataclass(frozen=True)
class ScriptStep:
    id: str
    text: str


@dataclass(frozen=True)
class Chat:
    id: str
    sender: str
    text: str


@dataclass(frozen=True)
class Record:
    """A customer record in the list on screen."""

    id: str
    customer_number: str
    name: str
    street: str
    postcode: str
    municipality: str
    phone: str
    email: str
    birth_date: str = ""
    segment: str = ""
    history: tuple[str, ...] = ()


@dataclass(frozen=True)
class Product:
    """A product with its stock (units), price (euro) and delivery time (working days)."""

    id: str
    code: str
    name: str
    price: float
    stock: int
    delivery_days: int


@dataclass(frozen=True)
class Article:
    """A knowledge-base article."""

    id: str
    title: str
    text: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Transfer:
    """A transfer target (department or person) and what it handles."""

    id: str
    name: str
    handles: str


@dataclass(frozen=True)
class Cue:
    """A timeline cue: fires ``at`` (trigger + delay), and after ``after`` when given (or ``timeout_s`` later)."""

    id: str
    at: Trigger
    do: str  # ring | say | chat | hold | hangup | end
    after: Trigger | None = None
    timeout_s: float | None = None
    line: str | None = None
    chat: str | None = None
    seconds: float | None = None


@dataclass(frozen=True)
class Shipping:
    """A call's ``[shipping]`` table: ``fee`` (euro) charged on an order below ``free_from`` (euro;
    None: always charged). The desk's order total uses it (``content.desk.shipping_rule``)."""

    fee: float
    free_from: float | None = None


@dataclass(frozen=True)
class Expectation:
    """An expected action, its cue, deadline (seconds after the cue) and competence code.

    ``params`` holds the kind's own keys (``record``, ``field``, ``slots``...).
    """

    id: str
    action: str
    competence: str
    cue: Trigger
    deadline_s: float | None = None
    weight: float = 1.0
    params: dict[str, Any] = field(default_factory=dict)
    #: the act is wrong when it comes before its cue (identity confirmed before the caller answered)
    not_before_cue: bool = False

    @property
    def accepted(self) -> tuple[str, ...]:
        """The answers that count for a choice (``purpose``/``transfer`` and its ``accept``, the call-back
        ``slots``, the ``record``, the identity ``result``); () for other actions."""
        key = {"purpose": "purpose", "transfer": "transfer", "callback": "slots", "open-record": "record",
               "identity": "result"}.get(self.action)
        if key is None or key not in self.params:
            return ()
        value = self.params[key]
        first = tuple(value) if isinstance(value, list | tuple) else (str(value),)
        return first + tuple(self.params.get("accept", ()))


@dataclass
class Call(_ItemBase):
    """A call scenario: data on screen, a timeline of cues, the expected actions."""

    direction: str = "inbound"
    today: str = ""
    target_duration_s: float = 0.0
    purposes: tuple[str, ...] = PURPOSES
    callback_slots: tuple[str, ...] = ()
    caller: Caller | None = None
    randomise: Randomise | None = None
    script: tuple[ScriptStep, ...] = ()
    lines: tuple[Line, ...] = ()
    chats: tuple[Chat, ...] = ()
    records: tuple[Record, ...] = ()
    products: tuple[Product, ...] = ()
    articles: tuple[Article, ...] = ()
    transfers: tuple[Transfer, ...] = ()
    fields: tuple[Field, ...] = ()
    timeline: tuple[Cue, ...] = ()
    expect: tuple[Expectation, ...] = ()
    notes: str = ""
    seed: int | None = None
    #: the scenario's shipping rule (None: the desk's default, ``content.desk.DEFAULT_SHIPPING``)
    shipping: Shipping | None = None

    def get_field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def competences(self) -> set[str]:
        return {e.competence for e in self.expect}


Item = CopyPassage | Transcription | DataEntry | Call


@dataclass
class Task:
    """One task of a battery: an item (or a non-item ``step`` such as ``intake``) and its settings."""

    step: str | None = None
    item: str | None = None
    practice: bool = False
    time_limit_s: float | None = None
    replays: int = 1
    show_errors: bool = False
    randomise: bool = True
    content: Item | None = None

    @property
    def kind(self) -> str:
        if self.step:
            return self.step
        return self.content.kind if self.content is not None else "?"


@dataclass
class Battery:
    """An ordered list of tasks, the content language and the thresholds it reports against."""

    id: str
    language: str
    title: str
    path: Path | None
    description: str = ""
    thresholds: tuple[str, ...] = ()
    band: dict[str, tuple[float, float]] = field(default_factory=dict)
    tasks: tuple[Task, ...] = ()
    kind: str = "battery"

    @property
    def planned_s(self) -> float:
        """The planned length (seconds): the sum of the time limits."""
        return float(sum(t.time_limit_s or 0.0 for t in self.tasks))

    @property
    def summary(self) -> dict[str, Any]:
        return {"id": self.id, "kind": "battery", "language": self.language, "title": self.title}

    def items(self) -> list[Item]:
        return [t.content for t in self.tasks if t.content is not None]

    @property
    def competences(self) -> set[str]:
        """Competence codes of the expected actions of its scored calls."""
        out: set[str] = set()
        for t in self.tasks:
            if isinstance(t.content, Call) and not t.practice:
                out |= t.content.competences
        return out
