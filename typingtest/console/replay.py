"""A stored attempt as the browser replays it: typed text step by step, errors marked, call timeline.

``replay_frames(store, attempt_id)`` gives a JSON-ready dict that ``static/replay.js`` plays: the
presented text, the final typed text, and the steps that, applied in order to an empty buffer,
rebuild the field exactly as the engine's editor held it after each input-stream entry.
The steps come from the engine's one editor (``typingtest.engine.textbuffer.TextBuffer``, whose
``_replace`` is the documented hook every change of the text passes through), fed with the
input stream of the engine's own replay (``typingtest.engine.replay.replay``); the result is
checked against that replay's text, so the browser cannot show another text than the one scored.

Steps (``t_ms``: milliseconds since the attempt started, from the event log's ``t``):

- ``[t_ms, "ins", pos, text]``: ``text`` inserted at character index ``pos``;
- ``[t_ms, "del", start, end]``: characters ``start:end`` removed;
- ``[t_ms, "caret", pos]``: an entry that changed no text (a cursor move, a click in the text, a
  deletion with nothing to delete): the caret at ``pos`` afterwards;
- ``[t_ms, "select", anchor, pos]``: likewise, with ``anchor:pos`` selected.

Every input-stream entry gives at least one step (typing over a selection gives a ``del`` and an
``ins`` at the same time), so the last step is the time of the last keystroke.

Error spans (``spans``) mark the final text against the part of the presented text that was
judged, with the alignment the practice-result screen marks (``engine.feedback``: rapidfuzz's
optimal Levenshtein alignment of the texts as the engine compares them, ``engine.breaks``):
``[op, t_start, t_end, p_start, p_end]`` with ``op`` one of ``ok``, ``sub`` (typed characters
in place of presented ones), ``ins`` (typed characters the text does not hold) and ``del``
(presented characters left out; an empty typed range). The characters in ``sub`` + ``ins`` +
``del`` spans add up to the MSD the scoring stored.

``call_timeline(store, attempt_id)`` lists a call's caller lines, screen events, the
candidate's actions and clicks, and each expected action as the engine scored it, with times in
seconds from the ring (from the dial on an outbound call), in words (Dutch, French, English).
It reads the rows ``engine.actions`` reads, with its own trigger matching (``trigger_times``).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping
from typing import Any

import numpy as np
from rapidfuzz.distance import Levenshtein
from sqlalchemy import exc, select

from typingtest import texts
from typingtest.engine.breaks import comparable
from typingtest.engine.events import EventKind
from typingtest.engine.replay import replay
from typingtest.engine.scoring import ANSWER_FIELD, end_reason, reached_part
from typingtest.engine.textbuffer import TextBuffer
from typingtest.errors import UserError
from typingtest.store import schema as S
from typingtest.texts.console import TIMELINE

__all__ = ["FRAMES_VERSION", "TIMELINE_WORDS", "attempt_row", "call_timeline", "embed_json", "error_spans",
           "replay_frames", "replay_steps"]

#: The version of the ``replay_frames`` format that ``static/replay.js`` reads.
FRAMES_VERSION = 1


class _RecordingBuffer(TextBuffer):
    """The engine's editor, recording each change of its text as ``(start, end, inserted)``."""

    def __init__(self) -> None:
        super().__init__()
        self.changes: list[tuple[int, int, str]] = []

    def _replace(self, a: int, b: int, s: str) -> None:
        self.changes.append((a, b, s))
        super()._replace(a, b, s)


def _ms(t: float) -> int:
    return round(float(t) * 1000.0)


def replay_steps(log: np.ndarray, target: str | None = None, *, initial: str = "") -> tuple[list[list[Any]], str]:
    """``(steps, final text)`` of the field ``target`` of an event log (all rows when None).

    The input stream and its times are the engine's replay's; ``caret``/``select`` entries take
    their character indices from their EDIT rows. Raises ValueError when the steps do not end
    in the engine's text (they always should: one editor).
    """
    rep = replay(log, target=target, initial=initial)
    times = rep.times if rep.times is not None else np.zeros(len(rep.input_stream))
    rows = log if target is None else log[log["target"] == target]
    placed = rows[(rows["kind"] == EventKind.EDIT) & np.isin(rows["text"], ("caret", "select"))]
    positions = iter(zip(placed["x"].tolist(), placed["y"].tolist(), strict=True))
    buf = _RecordingBuffer()
    steps: list[list[Any]] = []
    if initial:
        start = unicodedata.normalize("NFC", initial)
        buf.set_text(start)
        steps.append([0, "ins", 0, start])
    for entry, t in zip(rep.input_stream, times.tolist(), strict=True):
        ms = _ms(t)
        buf.changes.clear()
        if len(entry) == 1:
            buf.insert(entry)
        else:
            x, y = next(positions) if entry in ("caret", "select") else (0.0, 0.0)
            buf.apply(entry, x, y)
        for a, b, s in buf.changes:
            if b > a:
                steps.append([ms, "del", a, b])
            if s:
                steps.append([ms, "ins", a, s])
        if not buf.changes:
            sel = buf.selection()
            steps.append([ms, "select", buf.anchor, buf.caret] if sel is not None else [ms, "caret", buf.caret])
    final = unicodedata.normalize("NFC", buf.text)
    if final != rep.transcribed:
        raise ValueError(f"field {target!r}: the replay steps end in {len(final)} characters, the engine's replay "
                         f"in {len(rep.transcribed)}; report this as a bug")
    return steps, final


def error_spans(judged: str, typed: str) -> list[list[Any]]:
    """``[op, t_start, t_end, p_start, p_end]`` spans of ``typed`` against ``judged`` (see the module).

    Both texts NFC; line breaks compare as spaces (``engine.breaks.comparable``); the alignment is
    rapidfuzz's optimal one (``Levenshtein.opcodes``), as ``engine.feedback`` marks errors.
    """
    p = comparable(unicodedata.normalize("NFC", judged))
    t = comparable(unicodedata.normalize("NFC", typed))
    names = {"equal": "ok", "replace": "sub", "insert": "ins", "delete": "del"}
    return [[names[op.tag], op.dest_start, op.dest_end, op.src_start, op.src_end]
            for op in Levenshtein.opcodes(p, t)]


def attempt_row(store: Any, attempt_id: str) -> dict[str, Any]:
    """The stored attempt's task, item, practice flag, state, meta, metrics, verdicts and actions (JSON parsed).

    Raises UserError for an unknown attempt.
    """
    a = S.attempts
    q = select(a.c.task, a.c.item, a.c.practice, a.c.state, a.c.meta, a.c.metrics, a.c.verdicts, a.c.actions,
               a.c.transcribed).where(a.c.attempt_id == attempt_id)
    try:
        with store.engine.connect() as conn:
            row = conn.execute(q).mappings().first()
    except exc.SQLAlchemyError as e:
        from typingtest.store import StoreError

        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise StoreError(f"{store.display_url}: cannot read attempt {attempt_id}: {first}") from None
    if row is None:
        raise UserError(f"attempt {attempt_id}: no such attempt in {store.display_url}")
    out = dict(row)
    for name in ("meta", "metrics", "verdicts", "actions"):
        out[name] = json.loads(out[name]) if out[name] else None
    return out


def _judged_text(task: str, presented: str, typed: str, metrics: Mapping[str, Any], log: np.ndarray) -> str:
    """The part of ``presented`` the scoring judged: its stored length when the metrics hold it, else
    the scoring's rule (a copy-typing attempt ended by its time limit: the part reached)."""
    n = metrics.get("presented_chars")
    if isinstance(n, int) and 0 <= n <= len(presented):
        return presented[:n]
    if task == "copy-typing" and end_reason(log) == "time":
        return reached_part(presented, typed)
    return presented


def replay_frames(store: Any, attempt_id: str, target: str | None = None) -> dict[str, Any]:
    """What ``static/replay.js`` plays for a stored attempt (JSON-ready; see the module docstring).

    ``target``: the field to replay (default: the attempt's own, ``meta["target"]``, else the answer
    box of copy typing and transcription). Keys: ``version``, ``attempt_id``, ``task``, ``item``,
    ``target``, ``fields`` (every field typed in, in the order first typed in: a data-entry form's or a
    call's fields can be replayed one by one), ``presented`` (None when the attempt has no single presented text),
    ``judged_chars`` (characters of ``presented`` the scoring judged), ``final`` (the typed text),
    ``start_ms``/``end_ms`` (first and last step), ``steps``, ``spans`` and ``errors`` (characters
    per kind, ``msd`` their sum). Raises UserError for an unknown attempt.
    """
    log = store.events(attempt_id)
    row = attempt_row(store, attempt_id)
    meta = row["meta"] or {}
    metrics = row["metrics"] or {}
    field = target or meta.get("target") or ANSWER_FIELD
    initial = meta.get("initial") or ""
    steps, final = replay_steps(log, field, initial=initial)
    presented = meta.get("presented")
    out: dict[str, Any] = {
        "version": FRAMES_VERSION,
        "attempt_id": attempt_id,
        "task": row["task"],
        "item": row["item"],
        "target": field,
        "fields": _typed_fields(log),
        "presented": presented if isinstance(presented, str) else None,
        "judged_chars": None,
        "final": final,
        "start_ms": steps[0][0] if steps else 0,
        "end_ms": steps[-1][0] if steps else 0,
        "steps": steps,
        "spans": [],
        "errors": None,
    }
    if isinstance(presented, str) and field == (meta.get("target") or ANSWER_FIELD):
        judged = _judged_text(str(row["task"]), unicodedata.normalize("NFC", presented), final, metrics, log)
        spans = error_spans(judged, final)
        counts = {op: 0 for op in ("sub", "ins", "del")}
        for op, t0, t1, p0, p1 in spans:
            if op != "ok":
                counts[op] += max(t1 - t0, p1 - p0)
        out.update(judged_chars=len(judged), spans=spans, errors={**counts, "msd": sum(counts.values())})
    return out


def _typed_fields(log: np.ndarray) -> list[str]:
    """The targets of the log's TEXT and EDIT rows, in the order each was first typed in."""
    rows = log[np.isin(log["kind"], (EventKind.TEXT, EventKind.EDIT))]
    return [str(t) for t in dict.fromkeys(rows["target"].tolist()) if t]


def embed_json(data: Any) -> str:
    """``data`` as JSON safe inside ``<script type="application/json">`` (no ``</script>``, no ``<!--``)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# ------------------------------------------------------------------------------------------
# the call timeline

#: The timeline's words (``typingtest.texts.console.TIMELINE``).
TIMELINE_WORDS = TIMELINE

#: Trigger names (``content.triggers.TRIGGERS``) whose rows are the candidate's actions (CLICK rows).
_ACTION_TRIGGERS = ("identity", "purpose", "say", "transfer", "callback", "submit", "chat-reply")
#: ... and the screen events of the call.
_SCREEN_TRIGGERS = ("ringing", "pickup", "dial", "chat-shown", "record-opened", "article-opened", "product-opened")
#: The order of rows logged at the same time: what happened on screen, then what was done, then plain clicks.
_ORDER = {"marker": 0, "screen": 1, "line": 2, "action": 3, "click": 4, "scored": 5}


def _words(key: str, lang: str, **fields: object) -> str:
    return texts.text(TIMELINE_WORDS, key, lang, **fields)


def _call_item(row: Mapping[str, Any], passages: Any) -> Any:
    """The call as the candidate had it (its randomised values drawn with the attempt's seed); None
    when the item is no longer in the content."""
    from typingtest.content import draw_form, load_item

    try:
        item = load_item(str(row["item"]), passages)
    except UserError:
        return None
    seed = (row["meta"] or {}).get("seed")
    return draw_form(item, int(seed)) if seed is not None else item


def call_timeline(store: Any, attempt_id: str, lang: str = "nl", *, passages: Any = None) -> list[dict[str, Any]]:
    """A call attempt's timeline, one dict per event in time order (see the module docstring).

    Keys: ``t_s`` (seconds from the ring, or the dial, or the task's start; rounded to 0.01 s;
    negative before it), ``kind`` (``marker``, ``screen``, ``line``, ``action``, ``click``,
    ``scored``), ``what`` (the trigger or event name), ``arg`` (its id: line, record, step, form...),
    ``label`` (in words, in ``lang``); a line also has ``until_s`` (its end) and ``text``; a scored
    action has ``id``, ``action``, ``done``, ``correct``, ``in_time``, ``latency_s``. ``passages``:
    the content folder (default: the shipped one), for the words of lines, steps and transfers.
    Raises UserError for an unknown attempt or one that is not a call.
    """
    from typingtest.content.triggers import Trigger
    from typingtest.engine.actions import operator_hangups, trigger_time, trigger_times

    log = store.events(attempt_id)
    row = attempt_row(store, attempt_id)
    if row["task"] != "call":
        raise UserError(f"attempt {attempt_id}: a {row['task']} attempt, not a call; a timeline is for calls")
    log = np.sort(log, order="t", kind="stable") if len(log) else log
    item = _call_item(row, passages)
    lines = {ln.id: ln.text for ln in getattr(item, "lines", ())}
    steps = {s.id: s.text for s in getattr(item, "script", ())}
    transfers = {x.id: x.name for x in getattr(item, "transfers", ())}
    chats = {c.id: c.text for c in getattr(item, "chats", ())}
    articles = {a.id: a.title for a in getattr(item, "articles", ())}
    products = {p.id: p.name for p in getattr(item, "products", ())}
    zero = trigger_time(log, "ringing")
    if zero is None:
        zero = trigger_time(log, "dial")
    if zero is None:
        zero = trigger_time(log, "start") or 0.0
    events: list[dict[str, Any]] = []

    def add(t: float, kind: str, what: str, arg: str | None, label: str, **more: Any) -> None:
        events.append({"t_s": round(float(t) - zero, 2), "kind": kind, "what": what, "arg": arg, "label": label,
                       **more, "_t": float(t)})

    def named(arg: str, table: Mapping[str, str]) -> str:
        return table.get(arg, arg)

    ends = {arg: t for t, arg in trigger_times(log, Trigger("line-end"))}
    for t, arg in trigger_times(log, Trigger("line-start")):
        text = lines.get(arg, arg)
        add(t, "line", "line", arg, _words("line", lang, text=text), text=text,
            until_s=round(ends[arg] - zero, 2) if arg in ends else None)
    for name in _SCREEN_TRIGGERS:
        for t, arg in trigger_times(log, Trigger(name)):
            text = {"chat-shown": chats, "article-opened": articles, "product-opened": products}.get(name, {})
            add(t, "screen", name, arg or None, _words(name, lang, arg=arg, text=named(arg, text)))
    hangups = set(operator_hangups(log))
    for t, _ in trigger_times(log, Trigger("hangup")):
        add(t, "screen", "hangup", None, _words("hangup" if t in hangups else "hangup-caller", lang))
    screen = log[log["kind"] == EventKind.SCREEN] if len(log) else log
    for t, what in zip(screen["t"].tolist(), screen["text"].tolist(), strict=True):
        if what in ("hold", "unhold"):
            add(t, "screen", what, None, _words(what, lang))
    marked: set[tuple[float, str]] = set()
    for name in _ACTION_TRIGGERS:
        for t, arg in trigger_times(log, Trigger(name)):
            marked.add((t, f"{name}:{arg}"))
            if name == "identity":
                label = _words("identity-confirmed" if arg == "confirmed" else "identity-rejected", lang)
            else:
                label = _words(name, lang, arg=arg, text=named(arg, steps if name == "say" else transfers))
            add(t, "action", name, arg, label)
    clicks = log[log["kind"] == EventKind.CLICK] if len(log) else log
    for t, target in zip(clicks["t"].tolist(), clicks["target"].tolist(), strict=True):
        if (float(t), target) not in marked:
            add(t, "click", "click", target, _words("click", lang, arg=target))
    markers = log[log["kind"] == EventKind.MARKER] if len(log) else log
    for t, what, target in zip(markers["t"].tolist(), markers["text"].tolist(), markers["target"].tolist(),
                               strict=True):
        if what in ("task-start", "time-warning", "task-end"):
            add(t, "marker", what, target or None, _words(what, lang, arg=target))
    end_t = float(log["t"][-1]) if len(log) else 0.0
    for a in row["actions"] or []:
        events.append(_scored(a, zero, end_t, lang))
    events.sort(key=lambda e: (round(e["_t"], 3), _ORDER[e["kind"]]))  # a decision after its event
    for e in events:
        del e["_t"]
    return events


def _scored(a: Mapping[str, Any], zero: float, end_t: float, lang: str) -> dict[str, Any]:
    """One stored ``ActionScore`` on the timeline: when it was decided (cue + latency), else at its
    deadline, else at its cue, else at the end of the log."""
    cue, latency, deadline = a.get("cue_s"), a.get("latency_s"), a.get("deadline_s")
    if cue is not None and latency is not None:
        t = float(cue) + float(latency)
    elif cue is not None and deadline is not None:
        t = float(cue) + float(deadline)
    elif cue is not None:
        t = float(cue)
    else:
        t = end_t
    if not a.get("done"):
        verdict = _words("verdict-not-done", lang)
    else:
        parts = [_words("verdict-right" if a.get("correct") else "verdict-wrong", lang)]
        if a.get("in_time") is False:
            parts.append(_words("verdict-late", lang))
        if latency is not None:
            seconds = f"{float(latency):.1f}"
            parts.append(_words("verdict-latency", lang, seconds=seconds.replace(".", ",") if lang in ("nl", "fr")
                                else seconds))
        verdict = ", ".join(parts)
    label = _words("scored", lang, id=a.get("id"), action=a.get("action"), verdict=verdict)
    return {"t_s": round(t - zero, 2), "kind": "scored", "what": str(a.get("action")), "arg": a.get("expected"),
            "label": label, "id": a.get("id"), "action": a.get("action"), "done": bool(a.get("done")),
            "correct": bool(a.get("correct")), "in_time": a.get("in_time"), "latency_s": latency, "_t": t}
