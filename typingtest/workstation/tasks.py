"""Task state objects: what is expected, what was done, what is due. No pygame, no drawing.

A scene turns input into calls on its task state and the state into pixels; tests drive the
states directly with plain times (seconds on any clock). OpenMATB keeps task logic inside its
UI classes, so its tests must mock the UI library; these objects avoid that.

The states never compute a metric: at the end the session hands the event log to the engine.
A state that causes events (the call: ringing, cues, chat messages) puts them in its
``outbox`` as ``Emitted`` rows, which the scene logs; audio it wants played goes to
``audio_requests``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from typingtest.content.model import Cue
from typingtest.content.triggers import Trigger, parse_trigger
from typingtest.engine.actions import cue_due
from typingtest.engine.events import EventKind

__all__ = [
    "CALLER",
    "IN_CALL_CUES",
    "CallTask",
    "DataEntryTask",
    "Emitted",
    "FormField",
    "TaskState",
    "TypingTask",
]


@dataclass(frozen=True)
class Emitted:
    """An event a task state caused, to be logged: kind, text, target at time ``t`` (seconds)."""

    t: float
    kind: EventKind
    text: str = ""
    target: str = ""


class TaskState:
    """What every task has: a time limit, a start, an end and how it ended.

    ``time_limit_s`` already includes the centre's extra-time factor. The end is asked for
    (``request_finish``: the Finish button or Ctrl+Enter) and confirmed (``confirm_finish``:
    Enter), or comes with the time limit (``tick``), or from the proctor (``stop``).
    """

    kind = "task"

    def __init__(self, item_id: str, time_limit_s: float) -> None:
        if time_limit_s <= 0:
            raise ValueError(f"{item_id}: time limit must be > 0 s, got {time_limit_s}")
        self.item_id = item_id
        self.time_limit_s = float(time_limit_s)
        self.started_at: float | None = None
        self.ended_at: float | None = None
        #: "finish" (the candidate), "time" (the limit), "scenario" (a call's end cue), "proctor".
        self.end_reason: str | None = None
        self.finish_requested = False
        self.paused_s = 0.0
        self._paused_at: float | None = None
        self.outbox: list[Emitted] = []

    @property
    def running(self) -> bool:
        """Started and not ended."""
        return self.started_at is not None and self.ended_at is None

    @property
    def done(self) -> bool:
        """Ended (for whatever reason)."""
        return self.ended_at is not None

    def start(self, now: float) -> None:
        """The task begins at ``now``."""
        if self.started_at is not None:
            raise RuntimeError(f"{self.item_id}: already started")
        self.started_at = now
        self._emit(now, EventKind.MARKER, "task-start")

    def elapsed(self, now: float) -> float:
        """Seconds of task time so far (pauses excluded)."""
        if self.started_at is None:
            return 0.0
        end = self.ended_at if self.ended_at is not None else now
        paused = self.paused_s + (end - self._paused_at if self._paused_at is not None else 0.0)
        return max(0.0, end - self.started_at - paused)

    def remaining(self, now: float) -> float:
        """Seconds left before the time limit."""
        return max(0.0, self.time_limit_s - self.elapsed(now))

    def pause(self, now: float) -> None:
        """The proctor paused the session: the clock of the task stops."""
        if self._paused_at is None and self.running:
            self._paused_at = now
            self._emit(now, EventKind.MARKER, "pause")

    def resume(self, now: float) -> None:
        """The proctor resumed the session."""
        if self._paused_at is not None:
            self.paused_s += now - self._paused_at
            self._paused_at = None
            self._emit(now, EventKind.MARKER, "resume")

    @property
    def paused(self) -> bool:
        """True while the proctor holds the task."""
        return self._paused_at is not None

    def request_finish(self, now: float) -> bool:
        """The candidate asked to finish; True when a confirmation is now awaited."""
        if not self.running:
            return False
        self.finish_requested = True
        self._emit(now, EventKind.MARKER, "finish-request")
        return True

    def cancel_finish(self, now: float) -> None:
        """The candidate went on (Esc in the dialog)."""
        if self.finish_requested:
            self.finish_requested = False
            self._emit(now, EventKind.MARKER, "finish-cancel")

    def confirm_finish(self, now: float) -> bool:
        """The candidate confirmed: the task ends; True when it ended now."""
        if not (self.running and self.finish_requested):
            return False
        self._end(now, "finish")
        return True

    def stop(self, now: float, reason: str = "proctor") -> None:
        """End the task from outside (the proctor, the window closed)."""
        if self.running:
            self._end(now, reason)

    def tick(self, now: float) -> None:
        """Advance to ``now``: ends the task at its time limit."""
        if self.running and not self.paused and self.elapsed(now) >= self.time_limit_s:
            assert self.started_at is not None
            self._end(min(now, self.started_at + self.time_limit_s + self.paused_s), "time")

    def _end(self, now: float, reason: str) -> None:
        if self._paused_at is not None:
            self.resume(now)
        self.ended_at = now
        self.end_reason = reason
        self._emit(now, EventKind.MARKER, "task-end", reason)

    def _emit(self, t: float, kind: EventKind, text: str = "", target: str = "") -> None:
        """Put one row to be logged in the outbox."""
        self.outbox.append(Emitted(t, kind, text, target))

    def drain(self) -> list[Emitted]:
        """Take the events caused since the last call (in time order)."""
        out, self.outbox = self.outbox, []
        return out


class TypingTask(TaskState):
    """Copy typing or audio transcription: one text field typed against a presented text.

    Transcription: ``lines`` are played once at the start; ``replays`` more plays are allowed
    (each plays every line again from the first).
    """

    def __init__(self, item_id: str, presented: str, time_limit_s: float, *, kind: str = "copy-typing",
                 field_name: str = "answer", lines: Sequence[str] = (), replays: int = 0) -> None:
        super().__init__(item_id, time_limit_s)
        if kind not in ("copy-typing", "transcription"):
            raise ValueError(f"{item_id}: a typing task is copy-typing or transcription, not {kind!r}")
        self.kind = kind
        self.presented = presented
        self.field_name = field_name
        self.lines = list(lines)
        self.replays = int(replays)
        self.plays = 0
        self.audio_requests: list[str] = []

    @property
    def plays_left(self) -> int:
        """How many more times the candidate may play the message."""
        return max(0, 1 + self.replays - self.plays) if self.lines else 0

    def play(self, now: float) -> bool:
        """Play the message (first time or a replay); False when no plays are left."""
        if not self.running or self.plays_left <= 0:
            return False
        self.plays += 1
        self.audio_requests.extend(self.lines)
        self._emit(now, EventKind.MARKER, "play", f"play:{self.plays}")
        return True


@dataclass
class FormField:
    """A form field on screen: name (the log target), label, type, and which form holds it."""

    name: str
    label: str
    type: str = "text"
    form: str = "contact"
    required: bool = True


class DataEntryTask(TaskState):
    """Data entry from a call: the caller's lines play, the candidate fills in the fields."""

    kind = "data-entry"

    def __init__(self, item_id: str, fields: Sequence[FormField], lines: Sequence[str], time_limit_s: float,
                 *, replays: int = 1) -> None:
        super().__init__(item_id, time_limit_s)
        if not fields:
            raise ValueError(f"{item_id}: a data-entry task needs at least one field")
        self.fields = list(fields)
        self.lines = list(lines)
        self.replays = int(replays)
        self.plays = 0
        self.audio_requests: list[str] = []
        self.values: dict[str, str] = {f.name: "" for f in self.fields}

    @property
    def plays_left(self) -> int:
        """How many more times the candidate may play the caller."""
        return max(0, 1 + self.replays - self.plays)

    def play(self, now: float) -> bool:
        """Play the caller's lines; False when no plays are left."""
        if not self.running or self.plays_left <= 0:
            return False
        self.plays += 1
        self.audio_requests.extend(self.lines)
        self._emit(now, EventKind.MARKER, "play", f"play:{self.plays}")
        return True

    def set_value(self, name: str, text: str) -> None:
        """What a field holds now (the scene reports it; scoring replays the log instead)."""
        if name not in self.values:
            raise KeyError(f"{self.item_id}: no field {name!r}")
        self.values[name] = text

    def empty_required(self) -> list[str]:
        """Required fields still empty (shown to the candidate before finishing)."""
        return [f.name for f in self.fields if f.required and not self.values[f.name].strip()]


#: Cues that belong to the conversation: after the call has ended they are dropped, not fired.
IN_CALL_CUES = frozenset({"say", "hold", "hangup"})
#: The target of the rows the caller causes (their hang-up, their hold), as docs/content.md lists them.
CALLER = "caller"


class CallTask(TaskState):
    """The call simulation's state machine: phone, triggers, timeline cues, what was done.

    The desk is shown first (``show_desk``: MARKER ``desk-shown``); the task and its timeline
    start when the candidate says they are ready (``ready``: MARKER ``ready``, then
    ``task-start``), or by themselves ``preview_limit_s`` seconds after the desk appeared. So the
    ``start`` trigger, and a ring cue at ``start+3s``, count from "ready", not from the first
    sight of a busy screen. Phone states: ``idle`` -> ``ringing`` (a ``ring`` cue) ->
    ``connected`` (pickup) <-> ``hold`` -> ``ended`` (hang-up by either side, or a transfer).
    Outbound: ``idle`` -> ``connected`` by ``dial(record)``. A trigger (``pickup``,
    ``identity:confirmed``, ``line-end:l3``, ``say:greet``...) has happened when one of the rows
    the call logged (``rows``) matches it by ``content.triggers.Trigger.matches``, the table the
    scoring reads the log with; a cue is due by the engine's rule (``engine.actions.cue_due``):
    when its ``at`` trigger (plus delay) and its ``after`` trigger have happened, or when its
    timeout runs out; time the proctor held the task does not count.
    A script step is "said" only while the call is connected; cues of the conversation
    (``IN_CALL_CUES``) due after the call ended are dropped (MARKER ``cue-dropped``).
    A ``hold`` cue puts the operator on hold for its ``seconds``: SCREEN ``hold`` then ``unhold``
    (target ``caller``), the span ``engine.actions.on_hold_rows`` reads (what is said meanwhile is
    not heard); the scene plays the hold tone (``caller_away``) and the caller's lines due meanwhile
    wait (``waiting_lines``) and are played when the caller is back.

    The time left (``remaining``) is the one figure the countdown shows and the end obeys: the
    earlier of the time limit and a known ``end`` cue. ``warning_s`` seconds before that end a
    MARKER ``time-warning`` is logged (``warned_at``) for the scene to show. Everything that
    happens goes to ``outbox`` with the names the action scoring reads (docs/content.md,
    "Events the scoring reads").
    """

    kind = "call"
    #: seconds the desk may be looked at before the call starts by itself
    PREVIEW_LIMIT_S = 60.0
    #: seconds before the end at which the candidate is warned
    WARNING_S = 60.0

    def __init__(self, item_id: str, timeline: Iterable[Cue], time_limit_s: float, *,
                 direction: str = "inbound", preview_limit_s: float | None = None,
                 warning_s: float | None = None) -> None:
        super().__init__(item_id, time_limit_s)
        self.direction = direction
        self.preview_limit_s = float(self.PREVIEW_LIMIT_S if preview_limit_s is None else preview_limit_s)
        self.warning_s = float(self.WARNING_S if warning_s is None else warning_s)
        #: when the desk first appeared (None: not shown through ``show_desk``)
        self.desk_shown_at: float | None = None
        #: when the candidate (or the preview limit) said "ready"
        self.ready_at: float | None = None
        #: when the end-of-task warning was given
        self.warned_at: float | None = None
        self._pauses: list[tuple[float, float]] = []  # (from, to) seconds the proctor held the task
        self.cues: list[Cue] = list(timeline)
        #: cue id -> when it fired / when it came due after the call had ended (it never fires then)
        self.fired: dict[str, float] = {}
        self.dropped: dict[str, float] = {}
        #: every row the log holds for this call: what the task emitted and the player's audio rows
        #: (``on_audio``); triggers are found in it by ``Trigger.matches``, as the scoring finds them
        self.rows: list[Emitted] = []
        self._first_seen: dict[tuple[str, str | None], float] = {}
        self._rows_searched: dict[tuple[str, str | None], int] = {}
        self.phone = "idle"
        self.audio_requests: list[str] = []
        self.stop_audio = False
        #: while the caller is away (a ``hold`` cue, ``seconds`` long): when they come back
        #: (seconds; None: not away). Their lines due meanwhile wait in ``waiting_lines``.
        self.caller_away_until: float | None = None
        self.waiting_lines: list[str] = []
        self.chats_shown: list[str] = []
        self.record_opened: str | None = None
        self.identity: str | None = None
        self.purpose: str | None = None
        self.transfer_to: str | None = None
        self.callback_slot: str | None = None
        self.submitted: list[str] = []
        self.chat_replies: list[str] = []
        self.said: list[str] = []

    # triggers ------------------------------------------------------------------------------------
    def _emit(self, t: float, kind: EventKind, text: str = "", target: str = "") -> None:
        super()._emit(t, kind, text, target)
        self.rows.append(Emitted(t, kind, text, target))

    def happened(self, trigger: Trigger | str) -> float | None:
        """When ``trigger`` (``"pickup"``, ``"identity:confirmed"``) first happened in ``rows``,
        without its delay (seconds); None while it has not.

        The rows are matched with ``Trigger.matches``, the table the scoring reads the log with.
        """
        trig = parse_trigger(trigger) if isinstance(trigger, str) else trigger
        key = (trig.name, trig.arg)
        seen = self._first_seen.get(key)
        if seen is not None:
            return seen
        start = self._rows_searched.get(key, 0)
        for row in self.rows[start:]:
            if trig.matches(int(row.kind), row.text, row.target):
                self._first_seen[key] = row.t
                return row.t
        self._rows_searched[key] = len(self.rows)
        return None

    # the desk before the call ----------------------------------------------------------------------
    def show_desk(self, now: float) -> None:
        """The desk appears; the call waits for ``ready`` (or ``preview_limit_s``)."""
        if self.desk_shown_at is None and self.started_at is None:
            self.desk_shown_at = now
            self._emit(now, EventKind.MARKER, "desk-shown")

    @property
    def waiting_for_ready(self) -> bool:
        """The desk is shown and the call has not started yet."""
        return self.desk_shown_at is not None and self.started_at is None and self.ended_at is None

    def ready(self, now: float, by: str = "candidate") -> bool:
        """The candidate is ready (``by`` "time" when the preview limit ran out): the task starts."""
        if self.started_at is not None or self.ended_at is not None:
            return False
        self.ready_at = now
        self._emit(now, EventKind.MARKER, "ready", by)
        self.start(now)
        return True

    # pauses: the timeline waits with the task clock ---------------------------------------------------
    def resume(self, now: float) -> None:
        held_from = self._paused_at
        super().resume(now)
        if held_from is not None:
            self._pauses.append((held_from, now))
            if self.caller_away_until is not None and self.caller_away_until > held_from:
                self.caller_away_until += now - held_from  # the caller's hold waits with the task clock

    def _held_since(self, t: float) -> float:
        """Seconds the proctor held the task after ``t`` (finished pauses only)."""
        return sum(b - max(a, t) for a, b in self._pauses if b > t)

    # the candidate's actions ---------------------------------------------------------------------
    def pickup(self, now: float) -> bool:
        """Answer the ringing phone."""
        if self.phone != "ringing":
            return False
        self.phone = "connected"
        self._emit(now, EventKind.SCREEN, "pickup", "")
        return True

    def dial(self, record: str, now: float) -> bool:
        """Outbound: call the customer of ``record``."""
        if self.phone != "idle" or self.direction != "outbound":
            return False
        self.phone = "connected"
        self._emit(now, EventKind.SCREEN, "dial", f"record:{record}")
        return True

    def toggle_hold(self, now: float) -> bool:
        """Put the caller on hold, or take them back."""
        if self.phone == "connected":
            self.phone = "hold"
            self._emit(now, EventKind.SCREEN, "hold")
            return True
        if self.phone == "hold":
            self.phone = "connected"
            self._emit(now, EventKind.SCREEN, "unhold")
            return True
        return False

    def hangup(self, now: float, by: str = "") -> bool:
        """End the call (``by`` = "caller" when the caller hangs up)."""
        if self.phone not in ("connected", "hold", "ringing"):
            return False
        self.phone = "ended"
        self.stop_audio = True
        self.caller_away_until = None  # the hang-up ends the caller's hold too (``on_hold_rows``)
        self.waiting_lines.clear()
        self._emit(now, EventKind.SCREEN, "hangup", by)
        return True

    def transfer(self, target: str, now: float) -> bool:
        """Transfer the call to ``target``: the call leaves the operator."""
        if self.phone not in ("connected", "hold"):
            return False
        self.transfer_to = target
        self._emit(now, EventKind.CLICK, "", f"transfer:{target}")
        return self.hangup(now)

    def open_record(self, record: str, now: float) -> None:
        """A customer record opened on screen."""
        self.record_opened = record
        self._emit(now, EventKind.SCREEN, "record-opened", f"record:{record}")

    def open_article(self, article: str, now: float) -> None:
        """A knowledge-base article opened."""
        self._emit(now, EventKind.SCREEN, "article-opened", f"article:{article}")

    def open_product(self, product: str, now: float) -> None:
        """A product's stock shown."""
        self._emit(now, EventKind.SCREEN, "product-opened", f"product:{product}")

    def set_identity(self, confirmed: bool, now: float) -> None:
        """Identity confirmed or rejected."""
        self.identity = "confirmed" if confirmed else "rejected"
        self._emit(now, EventKind.CLICK, "", f"identity:{self.identity}")

    def choose_purpose(self, purpose: str, now: float) -> None:
        """The purpose of the call chosen."""
        self.purpose = purpose
        self._emit(now, EventKind.CLICK, "", f"purpose:{purpose}")

    def say(self, step: str, now: float) -> bool:
        """A script step "said" (clicked); only while the call is connected (else nothing, and False)."""
        if self.phone != "connected" or not self.running:
            return False
        self.said.append(step)
        self._emit(now, EventKind.CLICK, "", f"say:{step}")
        return True

    def plan_callback(self, slot: str, now: float) -> None:
        """A call-back planned in ``slot`` ("YYYY-MM-DDTHH:MM")."""
        self.callback_slot = slot
        self._emit(now, EventKind.CLICK, "", f"callback:{slot}")

    def submit(self, form: str, now: float) -> None:
        """A form saved (``order``, ``contact``, ``wrap-up``...); every save is logged (the last one counts)."""
        self.submitted.append(form)
        self._emit(now, EventKind.CLICK, "", f"submit:{form}")

    def reply_chat(self, chat: str, now: float) -> None:
        """A chat answer sent."""
        self.chat_replies.append(chat)
        self._emit(now, EventKind.CLICK, "", f"chat-reply:{chat}")

    def on_audio(self, kind: EventKind, line: str, t: float) -> None:
        """The player reports a line's real onset/offset: the scene logs the row, the call keeps it too."""
        self.rows.append(Emitted(t, kind, line))

    # the timeline ---------------------------------------------------------------------------------
    def cue_due(self, cue: Cue) -> float | None:
        """When ``cue`` fires (seconds), or None while its triggers have not happened.

        The engine's rule (``engine.actions.cue_due``) over this call's rows; time the proctor
        held the task after the deciding trigger moves the cue on by as much.
        """
        return cue_due(cue, self.happened, self._held_since)

    def _pending(self) -> list[Cue]:
        return [c for c in self.cues if c.id not in self.fired and c.id not in self.dropped]

    def due(self, now: float) -> list[str]:
        """Ids of the cues not yet fired and due by ``now``."""
        return [c.id for c in self._pending() if (d := self.cue_due(c)) is not None and d <= now]

    def scheduled_end(self) -> float | None:
        """When a known ``end`` cue ends the task (seconds), or None while none is known."""
        dues = [d for c in self._pending() if c.do == "end" and (d := self.cue_due(c)) is not None]
        return min(dues) if dues else None

    def remaining(self, now: float) -> float:
        """Seconds left: the earlier of the time limit and a known ``end`` cue (what the countdown shows)."""
        if self.end_reason == "scenario":
            return 0.0
        left = super().remaining(now)
        end = self.scheduled_end()
        if end is not None and self.running:
            at = self._paused_at if self._paused_at is not None else now
            left = min(left, max(0.0, end - at))
        return left

    def tick(self, now: float) -> None:
        """Start after the preview limit; fire every cue that is due (in order of their due times),
        drop the conversation's cues due after the call ended; warn before the end; check the time limit."""
        if self.waiting_for_ready and self.desk_shown_at is not None \
                and now - self.desk_shown_at >= self.preview_limit_s:
            self.ready(now, by="time")
        if not self.running or self.paused:
            return
        self._caller_back(now)
        for _ in range(len(self.cues)):  # a cue may make another due at once
            ready = [(d, c) for c in self._pending() if (d := self.cue_due(c)) is not None and d <= now]
            if not ready:
                break
            d, cue = min(ready, key=lambda dc: dc[0])
            if cue.do in IN_CALL_CUES and self.phone == "ended":
                self.dropped[cue.id] = now
                self._emit(now, EventKind.MARKER, "cue-dropped", f"cue:{cue.id}")
                continue
            self._fire(cue, now)
            if not self.running:
                return
        if self.warned_at is None and self.running and self.remaining(now) <= self.warning_s:
            self.warned_at = now
            end = self.scheduled_end()
            by_scenario = end is not None and self.remaining(now) < super().remaining(now)
            self._emit(now, EventKind.MARKER, "time-warning", "scenario" if by_scenario else "time")
        super().tick(now)

    @property
    def caller_away(self) -> bool:
        """True while the caller has put the operator on hold (a ``hold`` cue): hold tone, lines wait."""
        return self.caller_away_until is not None

    def _caller_back(self, now: float) -> None:
        """The caller's hold is over at ``now``: SCREEN ``unhold`` (target ``caller``), and the lines
        that came due meanwhile are played now, in the order they came due."""
        if self.caller_away_until is None or now < self.caller_away_until:
            return
        self.caller_away_until = None
        self._emit(now, EventKind.SCREEN, "unhold", CALLER)
        self.audio_requests.extend(self.waiting_lines)
        self.waiting_lines.clear()

    def _fire(self, cue: Cue, now: float) -> None:
        self.fired[cue.id] = now
        self._emit(now, EventKind.MARKER, "cue", f"cue:{cue.id}")
        if cue.do == "ring" and self.phone == "idle":
            self.phone = "ringing"
            self._emit(now, EventKind.SCREEN, "ringing", "")
        elif cue.do == "say" and cue.line and self.phone in ("connected", "hold"):
            (self.waiting_lines if self.caller_away else self.audio_requests).append(cue.line)
        elif cue.do == "chat" and cue.chat:
            self.chats_shown.append(cue.chat)
            self._emit(now, EventKind.SCREEN, "chat-shown", f"chat:{cue.chat}")
        elif cue.do == "hold" and self.phone in ("connected", "hold") and not self.caller_away:
            self.caller_away_until = now + float(cue.seconds or 0.0)
            self._emit(now, EventKind.SCREEN, "hold", CALLER)
        elif cue.do == "hangup":
            self.hangup(now, by=CALLER)
        elif cue.do == "end":
            self._end(now, "scenario")
