"""Drills: seeded exercises that over-sample a trainee's weakest keys and bigrams.

``make_drill(model, length=..., seed=...)`` builds the next drill from a ``LearnerModel``:

- **keys** (the default): items joined by spaces until the text holds ``length`` characters.
  Every ``JOB_EVERY``-th item is job material (``content/generators.py``: a customer number with
  its check digits, a phone number, a postcode with its municipality, an e-mail address, an
  amount in euro). Of the other items, a share ``target_share`` (exactly: item k is a target
  item when floor((k + 1) s) > floor(k s)) are real words of the trainee's language chosen for
  a target (a word holding the key or bigram; a digit or symbol is found in job material too);
  the targets take turns in proportion to their ``weakness`` (smooth weighted round robin,
  so the counts are exact), the rest are words drawn at random (``filler``).
- **numbers**: job material only, the items holding a target key first.
- **dictation**: short lines a caller voice says and the trainee types: sentences of the shipped
  transcription references (the item's voice), digits read in groups and names spelled letter
  by letter (``say`` holds the line with the markup of ``audio.spoken``; ``text`` what to type).
- **auto**: dictation for a trainee weak at transcription (``LearnerModel.weak_at_transcription``),
  else keys.

Seeded: a ``numpy.random.Generator`` from ``seed``, so the same model, length and seed give the
same drill. Every item records why it was chosen (``DrillItem.reason``). ``random_drill`` is
the control of the virtual-trainee study: words drawn at random, same length, same rules.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from typingtest.errors import UserError
from typingtest.training.learner import LearnerModel, Target
from typingtest.training.words import LANGUAGES, words

__all__ = ["DEFAULT_LENGTH", "FOCUSES", "JOB_EVERY", "Drill", "DrillItem", "job_material", "make_drill",
           "random_drill"]  # fmt: skip

DEFAULT_LENGTH = 300  # characters
FOCUSES = ("auto", "keys", "numbers", "dictation")
#: Every this-many-th item of a keys drill is job material.
JOB_EVERY = 6
TARGET_SHARE = 0.7
_REGION = {"nl": "vlaanderen", "fr": "wallonie", "de": "ostbelgien", "en": "vlaanderen"}
_JOB_KINDS = ("customer_number", "phone", "postcode", "email", "amount")


@dataclass(frozen=True)
class DrillItem:
    """One item of a drill: the text to type, its kind, why it was chosen and for which target."""

    text: str
    kind: str  # "word", "filler", "job", "dictation"
    reason: str
    target: str | None = None
    source: str = ""  # the word list, the generator field, or the item and line
    say: str | None = None  # dictation: what the voice says (audio.spoken markup)
    voice: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (None fields left out)."""
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class Drill:
    """A drill: its text (items joined by spaces; dictation items by line breaks) and its items."""

    text: str
    items: tuple[DrillItem, ...]
    targets: tuple[Target, ...]
    focus: str
    language: str
    seed: int
    length: int
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """``{"text", "targets", "items", ...}``: targets in order of weakness."""
        return {"text": self.text, "targets": [t.to_dict() for t in self.targets],
                "items": [i.to_dict() for i in self.items], "focus": self.focus, "language": self.language,
                "seed": self.seed, "length": self.length, "notes": list(self.notes)}  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Material


def _amount(rng: np.random.Generator, lang: str) -> str:
    from typingtest.content.formatting import format_money

    cents = int(rng.integers(100, 250_000))
    text = format_money(cents / 100.0, lang if lang in ("nl", "fr") else "nl")
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def job_material(rng: np.random.Generator, lang: str, kind: str | None = None) -> DrillItem:
    """One piece of job material (``content.generators.draw_customer``), drawn with ``rng``."""
    from typingtest.content.generators import draw_customer

    kind = kind or str(rng.choice(_JOB_KINDS))
    if kind == "amount":
        return DrillItem(_amount(rng, lang), "job", "job material: amount in euro", source="formatting.format_money")
    c = draw_customer(int(rng.integers(0, 2**31)), _REGION.get(lang, "vlaanderen"), lang)
    text = {"customer_number": c["customer_number"], "phone": c["phone"], "email": c["email"],
            "postcode": f"{c['postcode']} {c['municipality']}"}[kind]  # fmt: skip
    label = {"customer_number": "customer number with check digits", "phone": "phone number",
             "email": "e-mail address", "postcode": "postcode with municipality"}[kind]  # fmt: skip
    return DrillItem(text, "job", f"job material: {label}", source=f"generators.draw_customer:{kind}")


@cache
def _word_arrays(lang: str) -> tuple[str, ...]:
    return tuple(w for w in words(lang) if 2 <= len(w) <= 14)


def _holds(word: str, target: Target) -> bool:
    """Whether typing ``word`` (between spaces) types the target key or bigram."""
    k = target.key
    if target.kind == "key":
        return k in word
    if k[0] == " ":
        return word.startswith(k[1])
    if k[1] == " ":
        return word.endswith(k[0])
    return k in word


def _count(text: str, target: Target) -> int:
    return len(re.findall(f"(?={re.escape(target.key)})", text))


@cache
def _job_pool(lang: str) -> tuple[DrillItem, ...]:
    rng = np.random.default_rng(20261203)
    return tuple(job_material(rng, lang, kind) for kind in _JOB_KINDS for _ in range(40))


def _candidates(target: Target, lang: str) -> list[DrillItem]:
    """The words (and job material) that hold ``target``: a capital letter also in capitalised words."""
    out = [DrillItem(w, "word", "", target.key, f"words-{lang}") for w in _word_arrays(lang) if _holds(w, target)]
    k = target.key
    if target.kind == "key" and k.isalpha() and k.isupper():
        out += [DrillItem(w[0].upper() + w[1:], "word", "", k, f"words-{lang} (capitalised)")
                for w in _word_arrays(lang) if w[0] == k.lower()]  # fmt: skip
    if not target.key.isalpha() or len(out) < 3:
        out += [j for j in _job_pool(lang) if target.key in j.text]
    return out


# ---------------------------------------------------------------------------------------------
# Drills


def _check(length: int, lang: str, focus: str) -> None:
    if length < 10:
        raise UserError(f"--length {length}: a drill needs at least 10 characters")
    if lang not in LANGUAGES:
        raise UserError(f"language {lang!r}: no word list; use one of {', '.join(LANGUAGES)}")
    if focus not in FOCUSES:
        raise UserError(f"--focus {focus!r}: use one of {', '.join(FOCUSES)}")


def _join(items: list[DrillItem], sep: str = " ") -> str:
    return sep.join(i.text for i in items)


def make_drill(
    model: LearnerModel,
    *,
    length: int = DEFAULT_LENGTH,
    seed: int = 0,
    language: str | None = None,
    focus: str = "auto",
    target_share: float = TARGET_SHARE,
    n_keys: int = 5,
    n_bigrams: int = 3,
) -> Drill:
    """The next drill for the trainee of ``model`` (see the module docstring)."""
    lang = language or model.language or "nl"
    _check(length, lang, focus)
    if focus == "auto":
        focus = "dictation" if model.weak_at_transcription else "keys"
    targets = model.targets(n_keys, n_bigrams)
    rng = np.random.default_rng(seed)
    if focus == "dictation":
        return _dictation_drill(targets, lang, length, seed, rng)
    if focus == "numbers":
        return _numbers_drill(targets, lang, length, seed, rng)
    return _keys_drill(targets, lang, length, seed, rng, target_share)


def random_drill(length: int = DEFAULT_LENGTH, *, seed: int = 0, language: str = "nl") -> Drill:
    """A drill of random words and job material of the same length and rules (no targets)."""
    _check(length, language, "keys")
    return _keys_drill([], language, length, seed, np.random.default_rng(seed), 0.0)


def _keys_drill(targets: list[Target], lang: str, length: int, seed: int, rng: np.random.Generator,
                share: float) -> Drill:  # fmt: skip
    pools = {t.key: _candidates(t, lang) for t in targets}
    notes = tuple(f"no material holds {t.key!r}: not practised in this drill" for t in targets if not pools[t.key])
    if not targets and share > 0:
        notes += ("no weak key known yet (no typed attempt, or no errors and no slow key): words at random",)
    live = [t for t in targets if pools[t.key]]
    weights = np.array([max(t.weakness, 0.0) for t in live], dtype=float)
    if len(live) and weights.sum() <= 0:
        weights = np.ones(len(live))
    weights = weights / max(weights.sum(), 1e-12)
    credit = np.zeros(len(live))
    fillers = _word_arrays(lang)
    items: list[DrillItem] = []
    k = 0  # index among the word items
    n = 0
    while len(_join(items)) < length:
        n += 1
        if n % JOB_EVERY == 0:
            items.append(job_material(rng, lang))
            continue
        is_target = bool(live) and math.floor((k + 1) * share) > math.floor(k * share)
        k += 1
        if is_target:
            credit += weights  # smooth weighted round robin: exact shares over the drill
            i = int(np.argmax(credit))
            credit[i] -= 1.0
            t = live[i]
            pool = pools[t.key]
            hits = np.array([1 + _count(c.text, t) for c in pool], dtype=float)
            pick = pool[int(rng.choice(len(pool), p=hits / hits.sum()))]
            why = (f"target {t.kind} {t.key!r}: error rate {t.error_rate:.1%} (shrunk), "
                   f"{t.occurrences:g} occurrences" if t.reason == "errors"
                   else f"target {t.kind} {t.key!r}: slow ({t.median_interval_s or 0:.3f} s median)")  # fmt: skip
            items.append(DrillItem(pick.text, pick.kind, why, t.key, pick.source))
        else:
            w = fillers[int(rng.integers(len(fillers)))]
            items.append(DrillItem(w, "filler", "filler: a word drawn at random", None, f"words-{lang}"))
    return Drill(_join(items), tuple(items), tuple(targets), "keys", lang, seed, length, notes)


def _numbers_drill(targets: list[Target], lang: str, length: int, seed: int, rng: np.random.Generator) -> Drill:
    wanted = [t for t in targets if not t.key.isalpha() and t.kind == "key"]
    items: list[DrillItem] = []
    while len(_join(items)) < length:
        item = job_material(rng, lang)
        hit = next((t for t in wanted if t.key in item.text), None)
        if hit is not None:
            item = DrillItem(item.text, "job", f"{item.reason}; holds target key {hit.key!r}", hit.key, item.source)
        items.append(item)
    return Drill(_join(items), tuple(items), tuple(targets), "numbers", lang, seed, length)


@cache
def _dictation_lines(lang: str) -> tuple[tuple[str, str, str], ...]:
    """(text, voice, source) of the short sentences of the shipped transcription references."""
    import tomllib

    from typingtest.config import PASSAGES_DIR

    out = []
    for path in sorted((Path(PASSAGES_DIR) / lang / "transcription").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        ref, voice = data.get("reference"), data.get("voice") or f"{lang}-caller-1"
        if not isinstance(ref, str):
            continue
        text = " ".join(unicodedata.normalize("NFC", ref).split())
        for n, sentence in enumerate(re.split(r"(?<=[.?!])\s+", text), 1):
            if 15 <= len(sentence) <= 90:
                out.append((sentence, str(voice), f"{path.stem}: sentence {n}"))
    return tuple(out)


def _dictation_drill(targets: list[Target], lang: str, length: int, seed: int, rng: np.random.Generator) -> Drill:
    from typingtest.content.generators import draw_customer

    lines = _dictation_lines(lang)
    items: list[DrillItem] = []
    n = 0
    while len(_join(items, "\n")) < length:
        n += 1
        voice = f"{lang}-caller-{int(rng.integers(1, 5))}"
        if n % 3 == 1 and lines:
            text, v, src = lines[int(rng.integers(len(lines)))]
            items.append(DrillItem(text, "dictation", "dictation: a short caller line", None, src, text, v))
        elif n % 3 == 2:
            c = draw_customer(int(rng.integers(0, 2**31)), _REGION.get(lang, "vlaanderen"), lang)
            items.append(DrillItem(c["customer_number"], "dictation", "dictation: digits read in groups", None,
                                   "generators.draw_customer:customer_number", f"[digits:{c['customer_number']}]",
                                   voice))  # fmt: skip
        else:
            c = draw_customer(int(rng.integers(0, 2**31)), _REGION.get(lang, "vlaanderen"), lang)
            name = c["last_name"]
            items.append(DrillItem(name, "dictation", "dictation: a name spelled letter by letter", None,
                                   "generators.draw_customer:last_name", f"[spell:{name}]", voice))  # fmt: skip
    return Drill(_join(items, "\n"), tuple(items), tuple(targets), "dictation", lang, seed, length)
