"""Scoring what a candidate did against what a task expects: a pure function over the event log.

``score_actions(call.expect, log, fields=call.fields)`` returns one ``ActionScore`` per
expected action: done or not, correct or not, in time or not, the latency from its cue
(seconds) and its competence code. The events it reads are listed in ``docs/content.md``
("Events the scoring reads"); triggers (``pickup``, ``line-end:l3``...) are matched by
``typingtest.content.triggers``. Typed fields are replayed with ``typingtest.engine.replay``,
compared after the item's normalisation, with the MSD error rate of ``typingtest.engine.metrics``;
free notes are scored on their required facts.

Repeatable groups (order lines: fields with a ``row``) are scored as a set by ``score_group``:
the typed lines are matched to the expected lines by the best assignment, whatever their order.
Steps of the conversation (``IN_CALL_ACTIONS``) count only while a call is connected
(``connected_rows``); what the operator says (``SPOKEN_ACTIONS``) not while the caller is on
hold either (``on_hold_rows``); ``end-call`` only the operator's own hang-up.

``score_form`` scores a data-entry form (per field, completeness, data in the wrong field);
``transcription_error_rate`` a transcript after normalisation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from typingtest.content.normalise import Normalisation, facts_found
from typingtest.content.triggers import Trigger, parse_trigger
from typingtest.engine.events import EventKind
from typingtest.engine.metrics import msd_error_rate
from typingtest.engine.replay import replay
from typingtest.vocabulary import competence_of, indicators_from

if TYPE_CHECKING:
    from typingtest.content.model import Call, Cue, DataEntry, Expectation, Field, Transcription
    from typingtest.engine.verdicts import Threshold

__all__ = [
    "IN_CALL_ACTIONS",
    "SPOKEN_ACTIONS",
    "ActionScore",
    "FieldScore",
    "FormScore",
    "GroupScore",
    "LineMatch",
    "action_score",
    "call_metrics",
    "call_verdicts",
    "connected_rows",
    "cue_due",
    "cue_due_time",
    "cues_due",
    "field_text",
    "form_verdicts",
    "on_hold_rows",
    "operator_hangups",
    "score_actions",
    "score_field",
    "score_form",
    "score_group",
    "transcription_error_rate",
    "trigger_time",
    "trigger_times",
]

_INPUT_KINDS = (int(EventKind.TEXT), int(EventKind.EDIT))
#: Action kinds that are steps of the conversation: their events count only while a call is
#: connected (from the pick-up or dial row to the hang-up row, by either side).
IN_CALL_ACTIONS = ("say", "script-order", "identity", "transfer")
#: Of those, what the operator says to the caller: not while the caller is on hold (hold to
#: unhold), when the caller cannot hear it. Identity and transfer are the desk's acts and count
#: on hold too (an operator checks the record, or prepares the transfer, with the caller on hold).
SPOKEN_ACTIONS = ("say", "script-order")


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


def cue_due(cue: Cue, happened: Callable[[Trigger], float | None],
            held_since: Callable[[float], float] | None = None) -> float | None:
    """When a timeline cue is due (seconds), given when triggers first happened; None while undecided.

    ``happened(trigger)`` gives the time a trigger first happened, without its delay (None: not
    yet). Due ``at``'s delay after its trigger; with ``after``, that delay after the later of the
    two triggers, but no later than ``timeout_s`` after ``at`` was due (the call never stalls).
    ``held_since(t)``: seconds the task was held (paused) after ``t``, which move the cue on by as
    much; the log alone knows no pauses (0). The live call (``workstation.tasks.CallTask``) and
    ``cue_due_time`` both decide with this function.
    """
    held = held_since if held_since is not None else (lambda t: 0.0)
    t_at = happened(cue.at)
    if t_at is None:
        return None
    if cue.after is None:
        return t_at + cue.at.delay_s + held(t_at)
    timeout = (t_at + cue.at.delay_s + cue.timeout_s + held(t_at)) if cue.timeout_s is not None else None
    t_after = happened(cue.after)
    if t_after is None:
        return timeout
    since = max(t_at, t_after + cue.after.delay_s)
    waited = since + cue.at.delay_s + held(since)
    return waited if timeout is None else min(waited, timeout)


def cue_due_time(cue: Cue, log: np.ndarray) -> float | None:
    """When a timeline cue is due (seconds), given the log so far; None while its ``at`` has not happened.

    ``cue_due`` over the log's rows (see there).
    """
    def happened(trigger: Trigger) -> float | None:
        times = trigger_times(log, trigger)
        return times[0][0] if times else None

    return cue_due(cue, happened)


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


def _screen_spans(log: np.ndarray, opens: tuple[str, ...], closes: tuple[str, ...]) -> np.ndarray:
    """Per row of a time-sorted log: True from the row after a SCREEN row in ``opens`` up to the
    next SCREEN row in ``closes``, exclusive (or to the end of the log)."""
    out = np.zeros(len(log), dtype=bool)
    if len(log) == 0:
        return out
    screen = log["kind"] == int(EventKind.SCREEN)
    starts = screen & np.isin(log["text"], opens)
    ends = screen & np.isin(log["text"], closes)
    since: int | None = None
    for i in np.flatnonzero(starts | ends).tolist():
        if starts[i]:
            since = i + 1 if since is None else since
        elif since is not None:
            out[since:i] = True
            since = None
    if since is not None:
        out[since:] = True
    return out


def connected_rows(log: np.ndarray) -> np.ndarray:
    """Per row of a time-sorted log: True while a call is connected.

    Connected from the row after a SCREEN ``pickup`` or ``dial`` up to the SCREEN ``hangup`` row
    (either side), exclusive: a click logged before the hang-up at the same time (a transfer)
    is in the call, anything after it is not.
    """
    return _screen_spans(log, ("pickup", "dial"), ("hangup",))


def on_hold_rows(log: np.ndarray) -> np.ndarray:
    """Per row of a time-sorted log: True while the caller is on hold.

    On hold from the row after a SCREEN ``hold`` up to the SCREEN ``unhold`` or ``hangup`` row,
    exclusive (a click logged at the same time before the hold row is still heard).
    """
    return _screen_spans(log, ("hold",), ("unhold", "hangup"))


def operator_hangups(log: np.ndarray) -> list[float]:
    """Times (seconds) the operator hung up (SCREEN ``hangup`` not by the caller; a transfer's included)."""
    if len(log) == 0:
        return []
    rows = log[(log["kind"] == int(EventKind.SCREEN)) & (log["text"] == "hangup") & (log["target"] != "caller")]
    return [float(t) for t in rows["t"].tolist()]


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


# ----------------------------------------------------------------------------- repeatable groups


@dataclass(frozen=True)
class LineMatch:
    """One line of a repeatable group as typed, and the expected line the assignment gave it."""

    #: the line on the form (1, 2, ...; the ``<column>_<row>`` fields typed in)
    row: int
    #: the scenario's line it was matched to; None: no expected line (an extra line, or an unused empty one)
    expected_row: int | None
    typed: dict[str, str]
    expected: dict[str, str] | None
    #: columns whose typed text differs from the matched line's value (after normalisation)
    wrong: tuple[str, ...] = ()

    @property
    def filled(self) -> bool:
        return any(v.strip() for v in self.typed.values())


@dataclass(frozen=True)
class GroupScore:
    """A repeatable group (order lines) scored as a set: typed lines matched to expected lines."""

    form: str
    columns: tuple[str, ...]
    lines: tuple[LineMatch, ...]
    #: expected lines no typed line (with text) was matched to
    missing: tuple[int, ...]
    #: typed lines (with text) matched to no expected line: lines the caller did not ask for
    extra: tuple[int, ...]

    @property
    def correct(self) -> bool:
        """Every expected line typed exactly once, right in every column, and nothing more."""
        return not self.missing and not self.extra and all(
            not m.wrong for m in self.lines if m.expected_row is not None)

    def line(self, row: int) -> LineMatch | None:
        return next((m for m in self.lines if m.row == row), None)

    def to_dict(self) -> dict[str, Any]:
        return {"form": self.form, "columns": list(self.columns), "lines": [asdict(m) for m in self.lines],
                "missing": list(self.missing), "extra": list(self.extra)}


def score_group(group: Sequence[Field], log: np.ndarray, until: float | None = None,
                values: Mapping[str, str] | None = None) -> GroupScore:
    """Score the lines of one repeatable group (fields of one form with a ``row``) as a set.

    Every typed line (the declared rows, and any further ``<column>_<n>`` the log shows typed
    in) is matched to an expected line by the best assignment (``scipy.optimize.
    linear_sum_assignment``; cost: the columns that differ, MSD error rate as tie-break), so the
    order of the lines does not matter. ``values`` overrides expected values by field name (the
    ``value`` of a ``field`` expectation). Text is replayed at the end, or at ``until`` seconds.
    """
    from scipy.optimize import linear_sum_assignment

    values = values or {}
    template = {f.column: f for f in sorted(group, key=lambda f: f.row or 0) if f.column}
    columns = tuple(c for c in dict.fromkeys(f.column for f in group if f.column))
    form = group[0].form if group else ""
    expected_rows = sorted({f.row for f in group if f.row is not None})
    expected = {r: {c: values.get(f"{c}_{r}", _value_of(group, c, r)) for c in columns} for r in expected_rows}
    typed_rows = set(expected_rows)
    pattern = re.compile(rf"^({'|'.join(re.escape(c) for c in columns)})_([1-9][0-9]*)$") if columns else None
    if pattern is not None and len(log):
        typed_in = _upto(log, until)
        for target in set(typed_in[np.isin(typed_in["kind"], _INPUT_KINDS)]["target"].tolist()):
            m = pattern.match(target)
            if m:
                typed_rows.add(int(m.group(2)))
    rows = sorted(typed_rows)
    typed = {r: {c: field_text(log, f"{c}_{r}", until) for c in columns} for r in rows}

    def wrong(r: int, e: int) -> tuple[str, ...]:
        return tuple(c for c in columns
                     if template[c].normalised(typed[r][c]) != template[c].normalised(expected[e][c])
                     or not typed[r][c].strip())

    cost = np.zeros((len(rows), len(expected_rows)))
    for i, r in enumerate(rows):
        empty = not any(v.strip() for v in typed[r].values())
        for j, e in enumerate(expected_rows):
            if empty:  # an empty line matches an expected one only when nothing typed is left for it
                cost[i, j] = len(columns) + 0.5
                continue
            rate = sum(msd_error_rate(template[c].normalised(expected[e][c]), template[c].normalised(typed[r][c]))
                       or 0.0 for c in columns)
            cost[i, j] = len(wrong(r, e)) + 1e-3 * rate
    pairs = dict(zip(*linear_sum_assignment(cost), strict=True)) if rows and expected_rows else {}
    lines, missing, extra = [], [], []
    for i, r in enumerate(rows):
        j = pairs.get(i)
        e = expected_rows[j] if j is not None else None
        m = LineMatch(r, e, typed[r], expected[e] if e is not None else None, wrong(r, e) if e is not None else ())
        lines.append(m)
        if m.filled and e is None:
            extra.append(r)
        elif e is not None and not m.filled:
            missing.append(e)
    matched = {expected_rows[j] for j in pairs.values()}
    missing += [e for e in expected_rows if e not in matched]
    return GroupScore(form, columns, tuple(lines), tuple(sorted(missing)), tuple(extra))


def _value_of(group: Sequence[Field], column: str, row: int) -> str:
    return next((f.value or "" for f in group if f.column == column and f.row == row), "")


def _groups(fields: Iterable[Field]) -> dict[str, list[Field]]:
    """form -> the fields of its repeatable group (those with a ``row``)."""
    out: dict[str, list[Field]] = {}
    for f in fields:
        if f.row is not None:
            out.setdefault(f.form, []).append(f)
    return out


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
    expectations = list(expectations)
    by_name = dict(fields) if isinstance(fields, Mapping) else {f.name: f for f in fields}
    log = np.sort(log, order="t", kind="stable") if len(log) else log
    overrides = {e.params["field"]: e.params["value"] for e in expectations
                 if e.action == "field" and "value" in e.params}
    in_call = connected_rows(log)
    heard = in_call & ~on_hold_rows(log)
    ctx = _Context(log, log[in_call] if len(log) else log, log[heard] if len(log) else log, by_name, language,
                   overrides)
    from typingtest.engine.administration import judge_listening  # without audio: listening not judged

    return judge_listening(expectations, [_score_one(e, ctx) for e in expectations], log, by_name)


def action_score(scores: Sequence[ActionScore]) -> float | None:
    """The weighted share of expected actions done correctly and in time (fraction; the
    ``action_score`` indicator of ``thresholds.toml``); None without actions."""
    total = sum(s.weight for s in scores)
    return sum(s.score for s in scores) / total if total else None


@dataclass
class _Context:
    """What every expected action of one task is scored against."""

    log: np.ndarray
    #: the rows logged while a call was connected
    in_call: np.ndarray
    #: of those, the rows logged while the caller was not on hold (what is said is heard)
    heard: np.ndarray
    fields: Mapping[str, Field]
    language: str
    #: field name -> expected value given by a ``field`` expectation
    values: Mapping[str, str]

    def group(self, form: str, until: float | None = None) -> GroupScore | None:
        members = _groups(self.fields.values()).get(form)
        return score_group(members, self.log, until, self.values) if members else None


def _score_one(e: Expectation, ctx: _Context) -> ActionScore:
    log, fields, language = ctx.log, ctx.fields, ctx.language
    cue_s = trigger_time(log, e.cue)
    deadline_at = cue_s + e.deadline_s if (cue_s is not None and e.deadline_s is not None) else None
    p = e.params
    # steps of the conversation: only in the call; what is said, only while the caller hears it
    own = ctx.heard if e.action in SPOKEN_ACTIONS else ctx.in_call if e.action in IN_CALL_ACTIONS else log
    done = correct = False
    decided: float | None = None
    expected: Any = None
    observed: Any = None
    extra: dict[str, Any] = {}
    if own is not log:
        outside = [t for t, _ in _own_events(e, log)]
        inside = {t for t, _ in _own_events(e, own)}
        extra["outside_call_s"] = [t for t in outside if t not in inside]

    if e.action in _CHOICE:
        name, key = _CHOICE[e.action]
        expected = list(e.accepted) if "accept" in p else p[key]  # a second defensible answer counts too
        events = trigger_times(own, Trigger(name))
        done = bool(events)
        if done:
            decided, observed = _last_by(events, deadline_at)
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
    elif e.action == "pickup":
        events = trigger_times(log, Trigger("pickup"))
        if events:
            done = correct = True
            decided = events[0][0]
    elif e.action == "end-call":  # the operator's own hang-up, after pickup (inbound) or dial (outbound)
        starts = [t for t in (trigger_time(log, "pickup"), trigger_time(log, "dial")) if t is not None]
        by_caller = log[(log["kind"] == int(EventKind.SCREEN)) & (log["text"] == "hangup")
                        & (log["target"] == "caller")]["t"].tolist() if len(log) else []
        extra["caller_hung_up_s"] = float(by_caller[0]) if by_caller else None
        ends = sorted(operator_hangups(log) + ([float(t) for t in by_caller] if p.get("caller_may_end") else []))
        ends = [t for t in ends if starts and t >= min(starts)]
        if ends:
            done = correct = True
            decided = ends[0]
    elif e.action == "say":
        expected = p["step"]
        events = trigger_times(own, Trigger("say", expected))
        if events:
            done = correct = True
            decided, observed = events[0][0], events[0][1] or None
    elif e.action == "script-order":
        expected = list(p["steps"])
        firsts = {}
        for step in expected:
            times = trigger_times(own, Trigger("say", step))
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
        value = p.get("value")
        if f.row is not None:  # a line of a repeatable group: compared with the line it was matched to
            group = ctx.group(f.form)
            line = group.line(f.row) if group is not None else None
            value = line.expected[f.column] if line is not None and line.expected is not None else ""
            extra["matched_line"] = line.expected_row if line is not None else None
        fs = score_field(f, typed, language, value)
        done, correct = fs.filled, fs.correct
        decided = _last_input_time(log, f.name) if done else None
        share = _fact_share(f, fs)
        return _finish(e, cue_s, deadline_at, done, correct, decided, fs.expected or [x.id for x in f.facts],
                       typed, fs.msd_error_rate, fs.facts_found, fs.facts_missing, extra, share)
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
                       fs.facts_found, fs.facts_missing, extra, _fact_share(f, fs))
    elif e.action == "submit":
        form = p["form"]
        expected = form
        sent = trigger_times(log, Trigger("submit", form))
        done = bool(sent)
        if done:  # the last save by the deadline is the one judged (else the last at all)
            decided, _ = _last_by(sent, deadline_at)
            correct, observed, more = _saved_form(ctx, form, decided)
            extra.update(more, saves_s=[t for t, _ in sent])
    else:
        raise ValueError(f"unknown action kind {e.action!r}")
    return _finish(e, cue_s, deadline_at, done, correct, decided, expected, observed, None, (), (), extra)


def _own_events(e: Expectation, log: np.ndarray) -> list[tuple[float, str]]:
    """The events of an in-call action kind (say, script-order, identity, transfer)."""
    if e.action == "say":
        return trigger_times(log, Trigger("say", e.params["step"]))
    if e.action == "script-order":
        return sorted(ev for step in e.params["steps"] for ev in trigger_times(log, Trigger("say", step)))
    return trigger_times(log, Trigger(_CHOICE[e.action][0]))


def _last_by(events: Sequence[tuple[float, str]], deadline_at: float | None) -> tuple[float, str]:
    """The last event by the deadline, else the last at all (a choice corrected in time counts)."""
    by_deadline = [ev for ev in events if deadline_at is None or ev[0] <= deadline_at + 1e-9]
    return (by_deadline or list(events))[-1]


def _fact_share(f: Field, fs: FieldScore) -> float | None:
    """A note's share of facts found (one missed fact costs one fact); None for a valued field."""
    if f.type != "note" or not f.facts:
        return None
    return len(fs.facts_found) / len(f.facts)


def _saved_form(ctx: _Context, form: str, at: float) -> tuple[bool, dict[str, str], dict[str, Any]]:
    """A form as saved at ``at`` s: right when every required valued field is right, every
    required note holds text (its facts are scored by its own ``field`` action) and its
    repeatable group holds exactly the expected lines, in any order."""
    members = [f for f in ctx.fields.values() if f.form == form]
    singles = [f for f in members if f.row is None]
    scores = [score_field(f, field_text(ctx.log, f.name, at), ctx.language, ctx.values.get(f.name))
              for f in singles]
    wrong = [s.name for f, s in zip(singles, scores, strict=True)
             if f.required and not (s.filled if f.type == "note" else s.correct)]
    observed = {s.name: s.typed for s in scores}
    extra: dict[str, Any] = {}
    group = ctx.group(form, at)
    if group is not None:
        for m in group.lines:
            observed.update({f"{c}_{m.row}": m.typed[c] for c in group.columns})
            if m.expected_row is not None and m.filled:
                wrong += [f"{c}_{m.row}" for c in m.wrong]
        extra.update(lines_missing=list(group.missing), lines_extra=list(group.extra))
    valued = _score_fields([f for f in singles if f.type != "note"], ctx.log, ctx.language, at)
    extra.update(fields_wrong=wrong, field_error_rate=valued.field_error_rate)
    right = not wrong and (group is None or group.correct)
    return right, observed, extra


def _finish(e: Expectation, cue_s: float | None, deadline_at: float | None, done: bool, correct: bool,
            decided: float | None, expected: Any, observed: Any, rate: float | None,
            found: tuple[str, ...], missing: tuple[str, ...], extra: dict[str, Any],
            share: float | None = None) -> ActionScore:
    latency = None
    if decided is not None and cue_s is not None:
        latency = round(max(0.0, decided - cue_s), 6)  # clipped at 0 and marked "before cue"
        if decided < cue_s - 1e-9:
            extra["before_cue"] = True
    if e.not_before_cue and decided is not None and (cue_s is None or decided < cue_s - 1e-9):
        correct, share = False, None  # not allowed before its cue (or with a cue that never came)
        extra["before_cue"] = True
    in_time: bool | None = None
    if deadline_at is not None and done and decided is not None:
        in_time = decided <= deadline_at + 1e-9
    elif deadline_at is not None and e.action != "avoid":
        in_time = False
    ok = done and correct and in_time is not False
    if share is not None:  # a note: each fact its share of the weight
        score = e.weight * share if done and in_time is not False else 0.0
    else:
        score = e.weight if ok else 0.0
    return ActionScore(
        id=e.id, action=e.action, competence=e.competence, done=done, correct=correct, in_time=in_time,
        latency_s=latency, cue_s=cue_s, deadline_s=e.deadline_s, expected=expected, observed=observed,
        weight=e.weight, score=score, msd_error_rate=rate, facts_found=found,
        facts_missing=missing, details=extra,
    )


# ----------------------------------------------------------------------------- call figures

#: call figure -> the competence code its verdict speaks for (the registry ``typingtest.vocabulary``)
_CALL_INDICATORS = {i.name: i.competence for i in indicators_from("call")}


def call_metrics(call: Call, log: np.ndarray, scores: Sequence[ActionScore] | None = None) -> dict[str, Any]:
    """A call's figures (seconds; None when undefined), JSON-ready:

    - ``pickup_time_s``: from the first ring to pickup (inbound calls);
    - ``call_handling_time_s``: from pickup (or dial) to the wrap-up saved (``submit:wrap-up``),
      else to the hang-up;
    - ``record_find_time_s``: latency of the expected action opening the caller's record, when right
      (0 when found before its cue: ``before_cue`` lists it);
    - ``action_score``: the weighted share of expected actions done right and in time;
    - ``actions_done``, ``actions_correct`` (full score), ``actions_total``: counts;
    - ``not_judged``: figure -> why it is None (its cue never came, the call never started...).
    """
    scores = list(scores) if scores is not None else score_actions(
        call.expect, log, fields=call.fields, language=call.language)
    ring, pickup, dial = trigger_time(log, "ringing"), trigger_time(log, "pickup"), trigger_time(log, "dial")
    start = pickup if pickup is not None else dial
    end = trigger_time(log, "submit:wrap-up")
    if end is None:
        end = trigger_time(log, "hangup")
    find, why_not, before = None, None, []
    caller_record = call.caller.record if call.caller is not None else ""
    finding = next((s for s in scores if s.action == "open-record" and s.expected == caller_record), None)
    if not caller_record:
        why_not = "an unknown caller: no record to find"
    elif finding is None:
        why_not = "no expected action opens the caller's record"
    elif finding.cue_s is None:
        why_not = f"its cue ({_cue_of(call, finding.id)}) never happened"
    elif not finding.correct:
        why_not = f"the caller's record was not found (action {finding.id!r})"
    else:
        find = finding.latency_s
        if finding.details.get("before_cue"):
            before.append("record_find_time_s")
    figures = {
        "pickup_time_s": pickup - ring if (pickup is not None and ring is not None) else None,
        "call_handling_time_s": end - start if (start is not None and end is not None and end >= start) else None,
        "record_find_time_s": find,
    }
    reasons = {
        "pickup_time_s": ("an outbound call does not ring" if call.direction == "outbound"
                          else "the phone never rang" if ring is None else "the phone was not picked up"),
        "call_handling_time_s": "the call never started" if start is None else "the call never ended",
        "record_find_time_s": why_not or "",
    }
    return {
        **figures,
        "action_score": action_score(scores),
        "actions_done": sum(s.done for s in scores),
        "actions_correct": sum(s.score >= s.weight for s in scores),
        "actions_total": len(scores),
        "not_judged": {name: reasons[name] for name, value in figures.items() if value is None},
        "before_cue": before,
    }


def _cue_of(call: Call, action_id: str) -> str:
    e = next((x for x in call.expect if x.id == action_id), None)
    return str(e.cue) if e is not None else action_id


def call_verdicts(metrics: Mapping[str, Any], thresholds: Mapping[str, Threshold]) -> list[dict[str, Any]]:
    """The verdicts of a call's figures (``typingtest.engine.verdicts.verdict``), as stored dicts.

    Only the figures with a threshold in force are judged; an undefined figure gives ``passed``
    None, ``judged`` False and the ``reason`` from ``metrics["not_judged"]``: never a pass.
    """
    from typingtest.engine.verdicts import verdict

    reasons = metrics.get("not_judged") or {}
    out = []
    for name, code in _CALL_INDICATORS.items():
        if name not in thresholds:
            continue
        d = verdict(name, metrics.get(name), thresholds, competence=code).to_dict()
        d["judged"] = d["passed"] is not None
        if not d["judged"]:
            d["reason"] = reasons.get(name) or f"{name} is undefined"
        out.append(d)
    return out


def form_verdicts(form: FormScore, thresholds: Mapping[str, Threshold]) -> list[dict[str, Any]]:
    """The verdicts of a data-entry form: ``field_error_rate`` and ``field_completeness`` (co 01670)."""
    from typingtest.engine.verdicts import verdict

    figures = {"field_error_rate": form.field_error_rate, "field_completeness": form.field_completeness}
    return [verdict(name, value, thresholds, competence=competence_of(name)).to_dict()
            for name, value in figures.items() if name in thresholds]
