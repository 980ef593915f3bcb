"""The scoring review table of a call (``typingtest content explain CALL_ID``), and the check
that every expected value could come from the call (a ``content check`` warning).

``explain_call`` says, per expected action, what counts as correct in words a trainer can
check against the caller's script: the cue, the deadline, the accepted answers (with every
accepted phrasing of a note's facts), the weight and the competence code. It reads only the
call object, so it shows exactly what the scoring (``engine.actions.score_actions``) uses.
"""

from __future__ import annotations

import textwrap
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from typingtest.content.model import PURPOSE_LABELS, Call, Expectation
from typingtest.content.normalise import fact_found, normalise_field
from typingtest.content.triggers import Trigger

__all__ = ["ExplainedAction", "expected_value_warnings", "explain_call", "explain_table", "warning_lines"]

#: Interface text of the table: key -> (nl, en).
_WORDS: dict[str, tuple[str, str]] = {
    "start": ("de taak start", "the task starts"),
    "ringing": ("de telefoon gaat over", "the phone rings"),
    "pickup": ("opgenomen", "picked up"),
    "dial": ("gebeld", "dialled"),
    "hangup": ("het gesprek is beëindigd", "the call has ended"),
    "line-start": ("begin van zin {arg}", "start of line {arg}"),
    "line-end": ("na zin {arg}", "after line {arg}"),
    "chat-shown": ("chat {arg} verschijnt", "chat {arg} shown"),
    "say": ("scriptzin {arg} gezegd", "script line {arg} said"),
    "any_time": ("altijd", "any time"),
    "pickup_done": ("opgenomen (binnen de termijn)", "picked up (in time)"),
    "open-record": ("laatst geopende fiche is {value}", "the last record opened is {value}"),
    "identity": ("identiteit: {value}", "identity: {value}"),
    "confirmed": ("bevestigd", "confirmed"),
    "rejected": ("niet bevestigd", "not confirmed"),
    "purpose": ("reden van de oproep: {value}", "purpose of the call: {value}"),
    "open-article": ("kennisbankartikel {value} geopend", "knowledge-base article {value} opened"),
    "check-stock": ("voorraad van {value} bekeken", "stock of {value} looked up"),
    "field": ("{label} ({name}) = {value}", "{label} ({name}) = {value}"),
    "row": ("bestellijn {row}: de lijnen mogen in elke volgorde", "line {row}: lines in any order"),
    "note": ("{label} ({name}) bevat de feiten", "{label} ({name}) holds the facts"),
    "per_fact": ("elk feit telt voor 1/{n} van het gewicht", "each fact counts for 1/{n} of the weight"),
    "filled": ("{name} niet leeg", "{name} not empty"),
    "group": ("de bestellijnen, in elke volgorde", "the order lines, in any order"),
    "facts_rule": ("(cijfers of woorden, € voor of na, kleine tikfouten: zie docs/content.md)",
                   "(digits or words, € before or after, small typos: see docs/content.md)"),
    "submit": ("formulier {value} opgeslagen, elk verplicht veld juist: {fields}",
               "form {value} saved with every required field right: {fields}"),
    "transfer": ("doorverbonden naar {value}", "transferred to {value}"),
    "callback": ("terugbelmoment een van: {value}", "call-back slot one of: {value}"),
    "chat-reply": ("antwoord op chat {chat} verzonden; {field} bevat de feiten",
                   "reply to chat {chat} sent; {field} holds the facts"),
    "say_done": ("scriptzin {value} gezegd: \"{text}\"", "script line {value} said: \"{text}\""),
    "script-order": ("scriptzinnen in deze volgorde: {value}", "script lines in this order: {value}"),
    "avoid": ("nooit: {value}", "never: {value}"),
    "end-call": ("zelf opgehangen", "hung up by the operator"),
    "or": (" of ", " or "),
    "header": ("id", "id"),
    "weight": ("gewicht", "weight"),
    "competence": ("competentie", "competence"),
    "cue": ("vanaf", "cue"),
    "deadline": ("termijn", "deadline"),
    "correct": ("wanneer -> telt als juist", "when -> counts as correct"),
    "total": ("{n} verwachte acties, totaal gewicht {w:g}", "{n} expected actions, total weight {w:g}"),
}
_WEEKDAYS = {"nl": ("ma", "di", "wo", "do", "vr", "za", "zo"), "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


def _w(key: str, lang: str, **values: Any) -> str:
    text = _WORDS[key][0 if lang == "nl" else 1]
    return text.format(**values) if values else text


@dataclass(frozen=True)
class ExplainedAction:
    """One expected action as a trainer checks it: cue and deadline (seconds), what counts, weight, code."""

    id: str
    action: str
    weight: float
    competence: str
    cue: str
    cue_text: str
    deadline_s: float | None
    correct: str
    accepted: list[str] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _quote(text: str, words: int = 8) -> str:
    parts = text.split()
    return "'" + " ".join(parts[:words]) + ("...'" if len(parts) > words else "'")


def _cue_text(cue: Trigger, call: Call, lang: str) -> str:
    """The cue in words: "after line l4: 'Ik had graag drie pakken...'"."""
    if cue.name in ("line-start", "line-end"):
        line = next((x for x in call.lines if x.id == cue.arg), None)
        text = _w(cue.name, lang, arg=cue.arg) + (f": {_quote(line.text)}" if line else "")
    elif cue.name == "chat-shown":
        chat = next((x for x in call.chats if x.id == cue.arg), None)
        text = _w(cue.name, lang, arg=cue.arg) + (f" ({chat.sender})" if chat else "")
    elif cue.name in _WORDS and cue.arg is None:
        text = _w(cue.name, lang)
    elif cue.name == "say":
        text = _w("say", lang, arg=cue.arg)
    else:
        text = cue.base
    return text + (f" + {cue.delay_s:g} s" if cue.delay_s else "")


def _slot(slot: str, lang: str) -> str:
    """``2026-03-17T14:30`` as ``di 17-03-2026 14:30``."""
    from datetime import datetime

    try:
        when = datetime.fromisoformat(slot)
    except ValueError:
        return slot
    return f"{_WEEKDAYS.get(lang, _WEEKDAYS['en'])[when.weekday()]} {when:%d-%m-%Y %H:%M}"


def _choice_value(e: Expectation, value: str, call: Call, lang: str) -> str:
    if e.action == "open-record":
        rec = next((r for r in call.records if r.id == value), None)
        return f"{value} ({rec.customer_number}, {rec.name}, {rec.municipality})" if rec else value
    if e.action == "purpose":
        return f"{PURPOSE_LABELS.get(lang, PURPOSE_LABELS['en']).get(value, value)} ({value})"
    if e.action == "transfer":
        target = next((t for t in call.transfers if t.id == value), None)
        return f"{target.name} ({value})" if target else value
    if e.action == "callback":
        return _slot(value, lang)
    if e.action == "identity":
        return _w(value, lang) if value in ("confirmed", "rejected") else value
    return value


def _facts(call: Call, name: str) -> list[dict[str, Any]]:
    f = next((x for x in call.fields if x.name == name), None)
    return [{"id": x.id, "any": list(x.any)} for x in f.facts] if f else []


def _facts_text(facts: list[dict[str, Any]], lang: str) -> str:
    lines = [f"{x['id']}: " + " | ".join(x["any"]) for x in facts]
    return f"{_w('per_fact', lang, n=len(facts))}; " + "; ".join(lines) + " " + _w("facts_rule", lang)


def _correct(e: Expectation, call: Call, lang: str) -> tuple[str, list[str], list[dict[str, Any]]]:
    """What counts as correct, in words; the accepted answers; the facts (notes)."""
    p = e.params
    if e.accepted:
        shown = [_choice_value(e, v, call, lang) for v in e.accepted]
        key = e.action if e.action in _WORDS else "avoid"
        return _w(key, lang, value=_w("or", lang).join(shown)), list(e.accepted), []
    if e.action == "pickup":
        return _w("pickup_done", lang), [], []
    if e.action == "open-article":
        art = next((a for a in call.articles if a.id == p["article"]), None)
        return _w("open-article", lang, value=f"{p['article']} '{art.title}'" if art else p["article"]), [], []
    if e.action == "check-stock":
        prod = next((x for x in call.products if x.id == p["product"]), None)
        value = f"{p['product']} ({prod.code}, {prod.name})" if prod else p["product"]
        return _w("check-stock", lang, value=value), [], []
    if e.action == "field":
        f = next((x for x in call.fields if x.name == p["field"]), None)
        if f is not None and f.type == "note":
            facts = _facts(call, f.name)
            return _w("note", lang, label=f.label, name=f.name) + ": " + _facts_text(facts, lang), [], facts
        value = p.get("value") or (f.value if f else "")
        text = _w("field", lang, label=f.label if f else p["field"], name=p["field"], value=value)
        if f is not None and getattr(f, "row", None) is not None:
            text += f" ({_w('row', lang, row=f.row)})"
        return text, [str(value)], []
    if e.action == "submit":
        members = [f for f in call.fields if f.form == p["form"] and f.required]
        shown = ", ".join(f"{f.name} = {f.value}" if f.type != "note" else _w("filled", lang, name=f.name)
                          for f in members) or "-"
        if any(getattr(f, "row", None) is not None for f in members):
            shown += f" ({_w('group', lang)})"
        return _w("submit", lang, value=p["form"], fields=shown), [], []
    if e.action == "chat-reply":
        facts = _facts(call, p["field"])
        return (_w("chat-reply", lang, chat=p["chat"], field=p["field"]) + ": " + _facts_text(facts, lang),
                [], facts)
    if e.action == "say":
        step = next((s for s in call.script if s.id == p["step"]), None)
        return _w("say_done", lang, value=p["step"], text=step.text if step else ""), [], []
    if e.action == "script-order":
        return _w("script-order", lang, value=" > ".join(p["steps"])), [], []
    if e.action == "avoid":
        return _w("avoid", lang, value=p["event"]), [], []
    if e.action == "end-call":
        return _w("end-call", lang), [], []
    return ", ".join(f"{k} = {v}" for k, v in p.items()), [], []


def explain_call(call: Call, lang: str = "nl") -> list[ExplainedAction]:
    """Every expected action of ``call`` explained, in the interface language ``lang`` (nl or en)."""
    out = []
    for e in call.expect:
        correct, accepted, facts = _correct(e, call, lang)
        out.append(ExplainedAction(id=e.id, action=e.action, weight=e.weight, competence=e.competence,
                                   cue=str(e.cue), cue_text=_cue_text(e.cue, call, lang), deadline_s=e.deadline_s,
                                   correct=correct, accepted=accepted, facts=facts))
    return out


def explain_table(call: Call, rows: list[ExplainedAction], lang: str = "nl", width: int = 160) -> str:
    """The rows as a plain-text table; the last column (the cue in words -> what counts) wraps under itself."""
    head = [_w("header", lang), _w("weight", lang), _w("competence", lang), _w("cue", lang),
            _w("deadline", lang), _w("correct", lang)]
    cells = [[r.id, f"{r.weight:g}", r.competence, r.cue,
              f"{r.deadline_s:g} s" if r.deadline_s is not None else _w("any_time", lang)] for r in rows]
    widths = [max(len(head[i]), *(len(c[i]) for c in cells)) for i in range(5)]
    indent = sum(widths) + 2 * 5
    last = max(40, width - indent)

    def line(values: list[str], correct: str) -> str:
        first = "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True))
        wrapped = textwrap.wrap(correct, last) or [""]
        return "\n".join([f"{first}  {wrapped[0]}"] + [" " * indent + more for more in wrapped[1:]])

    total = _w("total", lang, n=len(rows), w=sum(r.weight for r in rows))
    out = [f"{call.id}  {call.title}  ({total})", line(head[:5], head[5])]
    out += [line(c, f"{r.cue_text} -> {r.correct}") for c, r in zip(cells, rows, strict=True)]
    return "\n".join(line_.rstrip() for line_ in out)


# ----------------------------------------------------------------------------- content check warning

_CHECKED_TYPES = ("text", "number", "phone", "email")


def _sources(call: Call, articles: bool = True) -> list[str]:
    """What the candidate hears or sees in the call: caller lines, chats, records, products, articles."""
    texts = [x.text for x in call.lines] + [x.text for x in call.chats]
    for r in call.records:
        texts.append(" ".join([r.customer_number, r.name, r.street, r.postcode, r.municipality, r.phone, r.email,
                               *getattr(r, "history", ())]))
    texts += [f"{p.code} {p.name}" for p in call.products]
    if articles:
        texts += [f"{a.title} {a.text}" for a in call.articles]
    return texts


def _occurs(value: str, field_type: str, texts: list[str], language: str) -> bool:
    """Whether ``value`` occurs in one of ``texts`` (read as the fact matching reads a note)."""
    if field_type in ("phone", "email"):
        want = normalise_field(value, field_type, _plain())
        for t in texts:
            if want and want in normalise_field(t, field_type, _plain()):
                return True
        if field_type == "phone":
            return False
    return any(fact_found([value], t, language) for t in texts)


def _plain() -> Any:
    from typingtest.content.normalise import Normalisation

    return Normalisation(language="nl")


def expected_value_warnings(call: Call) -> list[tuple[str, int | None, str, str]]:
    """Expected values that occur nowhere in the call: (section, index, key, message) per value.

    Section and index say where the value is written (``("fields", 3, "value")``); the caller
    turns them into ``file:line``. A randomised call is checked on its form for seed 0.
    """
    if getattr(call, "randomise", None) is not None:
        from typingtest.content.generators import draw_form

        call = draw_form(call, 0)  # type: ignore[assignment]
    warnings: list[tuple[str, int | None, str, str]] = []
    texts = _sources(call)
    for i, f in enumerate(call.fields):
        if f.type in _CHECKED_TYPES and f.value and not _occurs(f.value, f.type, texts, call.language):
            warnings.append(("fields", i, "value", f"warning: {f.value!r} occurs in no caller line, chat, record, "
                             "product or article of the call: the candidate cannot know it"))
    spoken = [x.text for x in call.lines] + [x.text for x in call.chats]
    for i, e in enumerate(call.expect):
        if e.action == "field" and "value" in e.params:
            f = next((x for x in call.fields if x.name == e.params["field"]), None)
            ftype = f.type if f else "text"
            if ftype in _CHECKED_TYPES and not _occurs(e.params["value"], ftype, texts, call.language):
                warnings.append(("expect", i, "value", f"warning: {e.params['value']!r} occurs in no caller line, "
                                 "chat, record, product or article of the call: the candidate cannot know it"))
        if e.action == "open-record":
            rec = next((r for r in call.records if r.id == e.params["record"]), None)
            if rec and not (_occurs(rec.customer_number, "number", spoken, call.language)
                            or any(fact_found([rec.name], t, call.language) for t in spoken)):
                warnings.append(("expect", i, "record", f"warning: record {rec.id}: neither its number "
                                 f"{rec.customer_number} nor the name {rec.name!r} is in a caller line or chat"))
        if e.action == "transfer":
            told = spoken + [f"{a.title} {a.text}" for a in call.articles]
            answers = [("transfer", e.params["transfer"])] + [("accept", a) for a in e.params.get("accept", [])]
            for key, value in answers:
                target = next((t for t in call.transfers if t.id == value), None)
                if target and not any(fact_found([target.name], t, call.language) for t in told):
                    warnings.append(("expect", i, key, f"warning: transfer target {target.name!r} ({value}) is named "
                                     "in no caller line, chat or article: the candidate cannot know it"))
    return warnings


def warning_lines(call: Call, path: Path) -> list[str]:
    """``expected_value_warnings`` as ``file:line: field: warning: ...`` lines."""
    from typingtest.content.loader import _LineMap

    lines = _LineMap(path.read_text(encoding="utf-8"))
    out = []
    for section, index, key, message in expected_value_warnings(call):
        if section == "fields":
            label = f"fields[{call.fields[index].name}].{key}" if index is not None else key
        else:
            label = f"expect[{call.expect[index].id}].{key}" if index is not None else key
        out.append(f"{path}:{lines.line(section, index, key)}: {label}: {message}")
    return out
