"""Scoring what a candidate did against what a task expects: a pure function over the event log.

``score_actions(call.expect, log, fields=call.fields)`` returns one ``ActionScore`` per
expected action: done or not, correct or not, in time or not, the latency from its cue
(seconds) and its competence code. The events it reads are listed in ``docs/content.md``
("Events the scoring reads"); triggers (``pickup``, ``line-end:l3``...) are matched by
``typingtest.content.triggers``. Typed fields are replayed with ``typingtest.engine.replay``,
compared after the item's normalisation, with the MSD error rate of ``typingtest.engine.metrics``;
free notes are scored on their required facts.

``score_form`` scores a data-entry form (per field, completeness, data in the wrong field);
``transcription_error_rate`` a transcript after normalisation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from typingtest.content.normalise import Normalisation, facts_found
from typingtest.content.triggers import Trigger, parse_trigger
from typingtest.engine.events import EventKind
from typingtest.engine.metrics import msd_error_rate
from typingtest.engine.replay import replay

if TYPE_CHECKING:
    from typingtest.content.model import Call, Cue, DataEntry, Expectation, Field, Transcription
    from typingtest.engine.verdicts import Threshold

__all__ = [
    "ActionScore",
    "FieldScore",
    "FormScore",
    "action_score",
    "call_metrics",
    "call_verdicts",
    "cue_due_time",
    "cues_due",
    "field_text",
    "form_verdicts",
    "score_actions",
    "score_field",
    "score_form",
    "transcription_error_rate",
    "trigger_time",
    "trigger_times",
]

_INPUT_KINDS = (int(EventKind.TEXT), int(EventKind.EDIT))


# ----------------------------------------------------------------------------- events


def trigger_times(log: np.ndarray, trigger: Trigger | str) -> list[tuple[float, str]]:
    """Every time ``trigger`` happened in ``log`` (without its delay): (seconds, the argument seen)."""
    from typingtest.content.triggers import TRIGGERS

    trig = parse_trigger(trigger) if isinstance(trigger, str) else trigger
    if len(log) == 0:
        return []
    kind_name, want_text, _ = TRIGGERS[trig.name]
    mask = log["kind"] == int(EventKind[kind_name])
    if want_text is not None:
        mask &= log["text"] == want_text
    rows = log[mask]  # few rows: the per-row test below stays cheap on long logs
    out = []
    for t, kind, text, target in zip(rows["t"].tolist(), rows["kind"].tolist(), rows["text"].tolist(),
                                     rows["target"].tolist(), strict=True):
        if trig.matches(kind, text, target):
            out.append((float(t), _argument(trig.name, text, target)))
    return out


def trigger_time(log: np.ndarray, trigger: Trigger | str) -> float | None:
    """When ``trigger`` first happened, plus its delay (seconds); None when it never did."""
    trig = parse_trigger(trigger) if isinstance(trigger, str) else trigger
    times = trigger_times(log, trig)
    return times[0][0] + trig.delay_s if times else None


def cue_due_time(cue: Cue, log: np.ndarray) -> float | None:
    """When a timeline cue is due (seconds), given the log so far; None while its ``at`` has not happened.

    Due ``at``'s delay after its trigger; with ``after``, that delay after the later of the two
    triggers, but no later than ``timeout_s`` after ``at`` was due (the call never stalls).
    """
    t_at = trigger_time(log, cue.at)
    if t_at is None:
        return None
    if cue.after is None:
        return t_at
    t_after = trigger_time(log, cue.after)
    waited = max(t_at, t_after + cue.at.delay_s) if t_after is not None else float("inf")
    return min(waited, t_at + (cue.timeout_s if cue.timeout_s is not None else float("inf")))


def cues_due(timeline: Iterable[Cue], log: np.ndarray, now: float, fired: Iterable[str] = ()) -> list[Cue]:
    """The cues due at ``now`` seconds that have not fired yet (``fired``: their ids), in timeline order.

    The workstation calls this as the call runs, fires each cue it returns and logs
    MARKER ``cue`` / target ``cue:<id>`` (see docs/content.md, "Events the scoring reads").
    """
    done = set(fired)
    out = []
    for cue in timeline:
        if cue.id in done:
            continue
        due = cue_due_time(cue, log)
        if due is not None and due <= now:
            out.append(cue)
    return out


def _argument(name: str, text: str, target: str) -> str:
    if name in ("line-start", "line-end"):
        return text
    _, _, arg = target.partition(":")
    return arg


def _upto(log: np.ndarray, t: float | None) -> np.ndarray:
    return log if t is None else log[log["t"] <= t]


def field_text(log: np.ndarray, name: str, until: float | None = None) -> str:
    """The text field ``name`` holds (replayed from its TEXT/EDIT rows), at the end or at ``until`` s."""
    return replay(_upto(log, until), target=name).transcribed


def _last_input_time(log: np.ndarray, name: str) -> float | None:
    rows = log[(log["target"] == name) & np.isin(log["kind"], _INPUT_KINDS)]
    return float(rows["t"][-1]) if len(rows) else None


# ----------------------------------------------------------------------------- fields


@dataclass(frozen=True)
class FieldScore:
    """One typed field against its expected value (or facts), after normalisation."""

    name: str
    typed: str
    expected: str | None
    filled: bool
    correct: bool
    #: MSD error rate of the normalised texts (fraction); None for a note or when both are empty
    msd_error_rate: float | None
    facts_found: tuple[str, ...] = ()
    facts_missing: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["facts_found"], d["facts_missing"] = list(self.facts_found), list(self.facts_missing)
        return d


def score_field(f: Field, typed: str, language: str = "nl", value: str | None = None) -> FieldScore:
    """Compare what was typed in field ``f`` with its value (``value`` overrides) or its facts."""
    filled = bool(typed.strip())
    if f.type == "note":
        hits = facts_found([x.any for x in f.facts], typed, language)
        found = tuple(x.id for x, hit in zip(f.facts, hits, strict=True) if hit)
        missing = tuple(x.id for x in f.facts if x.id not in found)
        return FieldScore(f.name, typed, None, filled, filled and not missing, None, found, missing)
    expected = value if value is not None else (f.value or "")
    a, b = f.normalised(expected), f.normalised(typed)
    rate = msd_error_rate(a, b)
    return FieldScore(f.name, typed, expected, filled, filled and a == b, rate)


@dataclass(frozen=True)
class FormScore:
    """A data-entry form: every field, completeness, accuracy, data put in the wrong field."""

    fields: tuple[FieldScore, ...]
    #: share of required fields not empty (fraction)
    field_completeness: float | None
    #: share of required fields exactly right after normalisation (fraction)
    field_accuracy: float | None
    #: MSD over all required valued fields / their longest lengths, summed (fraction)
    field_error_rate: float | None
    #: (field typed in, field whose value it holds)
    wrong_field: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "fields": [f.to_dict() for f in self.fields],
            "field_completeness": self.field_completeness,
            "field_accuracy": self.field_accuracy,
            "field_error_rate": self.field_error_rate,
            "wrong_field": [list(p) for p in self.wrong_field],
        }


def score_form(item: DataEntry, log: np.ndarray, until: float | None = None) -> FormScore:
    """Score a data-entry item's form from the log (typed fields replayed, at the end or ``until`` s)."""
    return _score_fields(item.fields, log, item.language, until)


def _score_fields(fields: Sequence[Field], log: np.ndarray, language: str, until: float | None) -> FormScore:
    from rapidfuzz.distance import Levenshtein

    scores = tuple(score_field(f, field_text(log, f.name, until), language) for f in fields)
    required = [(f, s) for f, s in zip(fields, scores, strict=True) if f.required]
    completeness = sum(s.filled for _, s in required) / len(required) if required else None
    accuracy = sum(s.correct for _, s in required) / len(required) if required else None
    distance = longest = 0
    for f, s in required:
        if f.type == "note":
            continue
        a, b = f.normalised(s.expected or ""), f.normalised(s.typed)
        distance += Levenshtein.distance(a, b)
        longest += max(len(a), len(b))
    rate = distance / longest if longest else None
    wrong = []
    for f, s in zip(fields, scores, strict=True):
        if not s.filled or s.correct:
            continue
        for other in fields:
            if other is f or other.type == "note" or not other.value:
                continue
            if other.normalised(other.value) == other.normalised(s.typed):
                wrong.append((f.name, other.name))
                break
    return FormScore(scores, completeness, accuracy, rate, tuple(wrong))


def transcription_error_rate(item: Transcription, typed: str) -> float | None:
    """MSD error rate of a transcript against the item's reference, both normalised as the item says."""
    rules: Normalisation = item.normalise
    return msd_error_rate(rules.apply(item.reference), rules.apply(typed))


# ----------------------------------------------------------------------------- expected actions


@dataclass(frozen=True)
class ActionScore:
    """One expected action as the candidate did it (times in seconds since the task started)."""

    id: str
    action: str
    competence: str
    done: bool
    correct: bool
    #: None when there is no deadline or its cue never came
    in_time: bool | None
    #: seconds from the cue to the deciding event; None when not done or the cue never came
    latency_s: float | None
    cue_s: float | None
    deadline_s: float | None
    expected: Any
    observed: Any
    weight: float
    #: weight when done, correct and not late; else 0
    score: float
    msd_error_rate: float | None = None
    facts_found: tuple[str, ...] = ()
    facts_missing: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (the form stored with the attempt)."""
        d = asdict(self)
        d["facts_found"], d["facts_missing"] = list(self.facts_found), list(self.facts_missing)
        return d


_CHOICE = {  # action -> (trigger name, param holding the expected value)
    "open-record": ("record-opened", "record"),
    "identity": ("identity", "result"),
    "purpose": ("purpose", "purpose"),
    "transfer": ("transfer", "transfer"),
    "callback": ("callback", "slots"),
}
_LOOKUP = {"open-article": ("article-opened", "article"), "check-stock": ("product-opened", "product")}


def score_actions(
    expectations: Iterable[Expectation],
    log: np.ndarray,
    *,
    fields: Iterable[Field] | Mapping[str, Field] = (),
    language: str = "nl",
) -> list[ActionScore]:
    """Score every expected action of a task against its event log (pure; reads nothing else).

    ``fields`` are the task's form fields (``call.fields``), needed by ``field``, ``submit``
    and ``chat-reply`` actions. The rules per action kind are in ``docs/content.md``.
    """
    by_name = dict(fields) if isinstance(fields, Mapping) else {f.name: f for f in fields}
    log = np.sort(log, order="t", kind="stable") if len(log) else log
    return [_score_one(e, log, by_name, language) for e in expectations]


def action_score(scores: Sequence[ActionScore]) -> float | None:
    """The weighted share of expected actions done correctly and in time (fraction; the
    ``action_score`` indicator of ``thresholds.toml``); None without actions."""
    total = sum(s.weight for s in scores)
    return sum(s.score for s in scores) / total if total else None


def _score_one(e: Expectation, log: np.ndarray, fields: Mapping[str, Field], language: str) -> ActionScore:
    cue_s = trigger_time(log, e.cue)
    deadline_at = cue_s + e.deadline_s if (cue_s is not None and e.deadline_s is not None) else None
    p = e.params
    done = correct = False
    decided: float | None = None
    expected: Any = None
    observed: Any = None
    extra: dict[str, Any] = {}

    if e.action in _CHOICE:
        name, key = _CHOICE[e.action]
        expected = p[key]
        events = trigger_times(log, Trigger(name))
        done = bool(events)
        if done:
            by_deadline = [ev for ev in events if deadline_at is None or ev[0] <= deadline_at]
            decided, observed = (by_deadline or events)[-1]
            correct = observed in expected if isinstance(expected, list) else observed == expected
    elif e.action in _LOOKUP:
        name, key = _LOOKUP[e.action]
        expected = p[key]
        events = trigger_times(log, Trigger(name))
        done = bool(events)
        observed = [arg for _, arg in events]
        hits = [t for t, arg in events if arg == expected]
        if hits:
            correct, decided = True, hits[0]
    elif e.action in ("pickup", "end-call", "say"):
        trig = {"pickup": Trigger("pickup"), "end-call": Trigger("hangup"), "say": Trigger("say", p.get("step"))}
        events = trigger_times(log, trig[e.action])
        if e.action == "end-call":  # the call must have started: picked up (inbound) or dialled (outbound)
            starts = [t for t in (trigger_time(log, "pickup"), trigger_time(log, "dial")) if t is not None]
            events = [ev for ev in events if starts and ev[0] >= min(starts)]
        expected = p.get("step")
        if events:
            done = correct = True
            decided = events[0][0]
            observed = events[0][1] or None
    elif e.action == "script-order":
        expected = list(p["steps"])
        firsts = {}
        for step in expected:
            times = trigger_times(log, Trigger("say", step))
            if times:
                firsts[step] = times[0][0]
        clicked = sorted(firsts, key=firsts.__getitem__)
        observed = clicked
        done = len(firsts) == len(expected)
        correct = done and clicked == expected
        decided = max(firsts.values()) if done else None
    elif e.action == "avoid":
        expected = p["event"]
        events = trigger_times(log, expected)
        observed = [t for t, _ in events]
        done = correct = not events
        extra["violated_at_s"] = events[0][0] if events else None
    elif e.action == "field":
        f = fields[p["field"]]
        typed = field_text(log, f.name)
        fs = score_field(f, typed, language, p.get("value"))
        done, correct = fs.filled, fs.correct
        decided = _last_input_time(log, f.name) if done else None
        return _finish(e, cue_s, deadline_at, done, correct, decided, fs.expected or [x.id for x in f.facts],
                       typed, fs.msd_error_rate, fs.facts_found, fs.facts_missing, extra)
    elif e.action == "chat-reply":
        f = fields[p["field"]]
        expected = [x.id for x in f.facts]
        sent = trigger_times(log, Trigger("chat-reply", p["chat"]))
        typed = field_text(log, f.name, sent[0][0] if sent else None)
        fs = score_field(f, typed, language)
        done = bool(sent)
        correct = done and fs.correct
        decided = sent[0][0] if sent else None
        return _finish(e, cue_s, deadline_at, done, correct, decided, expected, typed, None,
                       fs.facts_found, fs.facts_missing, extra)
    elif e.action == "submit":
        form = p["form"]
        expected = form
        sent = trigger_times(log, Trigger("submit", form))
        done = bool(sent)
        members = [f for f in fields.values() if f.form == form]
        if done:
            decided = sent[0][0]
            form_score = _score_fields(members, log, language, decided)
            required = [s for f, s in zip(members, form_score.fields, strict=True) if f.required]
            correct = all(s.correct for s in required)
            observed = {s.name: s.typed for s in form_score.fields}
            extra["fields_wrong"] = [s.name for s in required if not s.correct]
            extra["field_error_rate"] = form_score.field_error_rate
    else:
        raise ValueError(f"unknown action kind {e.action!r}")
    return _finish(e, cue_s, deadline_at, done, correct, decided, expected, observed, None, (), (), extra)


def _finish(e: Expectation, cue_s: float | None, deadline_at: float | None, done: bool, correct: bool,
            decided: float | None, expected: Any, observed: Any, rate: float | None,
            found: tuple[str, ...], missing: tuple[str, ...], extra: dict[str, Any]) -> ActionScore:
    latency = None
    if decided is not None and cue_s is not None:
        latency = round(max(0.0, decided - cue_s), 6)
    in_time: bool | None = None
    if deadline_at is not None and done and decided is not None:
        in_time = decided <= deadline_at + 1e-9
    elif deadline_at is not None and e.action != "avoid":
        in_time = False
    ok = done and correct and in_time is not False
    return ActionScore(
        id=e.id, action=e.action, competence=e.competence, done=done, correct=correct, in_time=in_time,
        latency_s=latency, cue_s=cue_s, deadline_s=e.deadline_s, expected=expected, observed=observed,
        weight=e.weight, score=e.weight if ok else 0.0, msd_error_rate=rate, facts_found=found,
        facts_missing=missing, details=extra,
    )


# ----------------------------------------------------------------------------- call figures

#: call figure -> the competence code its verdict speaks for
_CALL_INDICATORS = {
    "pickup_time_s": "co 01669",
    "call_handling_time_s": "co 01669",
    "record_find_time_s": "D140801 Id17425",
    "action_score": "co 01669",
}


def call_metrics(call: Call, log: np.ndarray, scores: Sequence[ActionScore] | None = None) -> dict[str, Any]:
    """A call's figures (seconds; None when undefined), JSON-ready:

    - ``pickup_time_s``: from the first ring to pickup (inbound calls);
    - ``call_handling_time_s``: from pickup (or dial) to the wrap-up saved (``submit:wrap-up``),
      else to the hang-up;
    - ``record_find_time_s``: latency of the expected action opening the caller's record, when right;
    - ``action_score``: the weighted share of expected actions done right and in time;
    - ``actions_done``, ``actions_correct``, ``actions_total``: counts.
    """
    scores = list(scores) if scores is not None else score_actions(
        call.expect, log, fields=call.fields, language=call.language)
    ring, pickup, dial = trigger_time(log, "ringing"), trigger_time(log, "pickup"), trigger_time(log, "dial")
    start = pickup if pickup is not None else dial
    end = trigger_time(log, "submit:wrap-up")
    if end is None:
        end = trigger_time(log, "hangup")
    find = None
    caller_record = call.caller.record if call.caller is not None else ""
    for s in scores:
        if s.action == "open-record" and s.expected == caller_record and s.correct:
            find = s.latency_s
            break
    return {
        "pickup_time_s": pickup - ring if (pickup is not None and ring is not None) else None,
        "call_handling_time_s": end - start if (start is not None and end is not None and end >= start) else None,
        "record_find_time_s": find,
        "action_score": action_score(scores),
        "actions_done": sum(s.done for s in scores),
        "actions_correct": sum(s.score > 0 for s in scores),
        "actions_total": len(scores),
    }


def call_verdicts(metrics: Mapping[str, Any], thresholds: Mapping[str, Threshold]) -> list[dict[str, Any]]:
    """The verdicts of a call's figures (``typingtest.engine.verdicts.verdict``), as stored dicts.

    Only the figures with a threshold in force are judged; an undefined figure gives ``passed`` None.
    """
    from typingtest.engine.verdicts import verdict

    return [
        verdict(name, metrics.get(name), thresholds, competence=code).to_dict()
        for name, code in _CALL_INDICATORS.items()
        if name in thresholds
    ]


def form_verdicts(form: FormScore, thresholds: Mapping[str, Threshold]) -> list[dict[str, Any]]:
    """The verdicts of a data-entry form: ``field_error_rate`` and ``field_completeness`` (co 01670)."""
    from typingtest.engine.verdicts import verdict

    figures = {"field_error_rate": form.field_error_rate, "field_completeness": form.field_completeness}
    return [verdict(name, value, thresholds, competence="co 01670").to_dict()
            for name, value in figures.items() if name in thresholds]
