"""A candidate's session: the battery's steps in order, each attempt recorded and stored.

The session owns the flow (intake, instructions before each kind of task, the tasks, the
closing screen), the store's session and attempts, and the caller audio.

No task starts by itself: before every task there is a screen the candidate leaves with a fresh
Enter (or a click on Start): the instructions before the first task of a kind, the practice's
result after a practice (``PracticeResultScene``), else a "ready" screen (``ReadyScene``). The
task's clock starts at that press. A task ended by its time limit is followed by "time is up"
(``TimeUpScene``), which goes on by itself to the next of those screens. The centre setting
``back_to_back`` drops the screens between tasks (instructions stay). Each task attempt:

1. ``begin_attempt``: the store's journal-backed recorder opens; every event goes to it as
   it happens (``EventRecorder`` forwards each row);
2. the scene runs; audio onsets/offsets are polled every frame and logged;
3. ``end_attempt``: the engine scores the log (``scoring.score_attempt``) and the store
   keeps events, metrics, verdicts and action scores; practice attempts are marked practice.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from typingtest.config import Settings, Threshold, load_thresholds
from typingtest.engine.administration import MARKER as ADMINISTRATION_MARKER
from typingtest.engine.administration import administration as logged_administration
from typingtest.engine.events import EventKind
from typingtest.engine.layouts import DEFAULT_LAYOUT
from typingtest.engine.scoring import rules_record
from typingtest.errors import UserError
from typingtest.workstation import registry
from typingtest.workstation.app import App
from typingtest.workstation.audio_link import CallerAudio, LineText
from typingtest.workstation.recorder import EventRecorder
from typingtest.workstation.scene import Scene, TaskHost
from typingtest.workstation.scoring import ANSWER_FIELD, score_attempt

__all__ = ["PREPARE_DISCARD_S", "TASK_KINDS", "AttemptResult", "Session", "TaskSpec", "build_task_scene"]

#: Task kinds as ``typingtest content list`` names them.
TASK_KINDS = ("copy-typing", "transcription", "data-entry", "call")
#: A task's preparation (caller audio) longer than this (seconds) drops the input typed meanwhile.
PREPARE_DISCARD_S = 0.05


@dataclass
class TaskSpec:
    """One task to run: the content item and the battery's settings for it.

    ``time_limit_s`` already includes the centre's extra-time factor.
    """

    kind: str
    item: Any
    time_limit_s: float
    practice: bool = False
    replays: int = 1
    seed: int | None = None
    #: Copy typing: mark wrong characters in the answer while typing (the battery's ``show_errors``).
    show_errors: bool = False
    #: Facts kept with the attempt's meta besides the session's own (a practice drill's ``drill``).
    meta: Mapping[str, Any] | None = None
    #: The parallel form presented on a retake: battery item, item, rule, reason (``content.forms``).
    form: dict[str, Any] | None = None

    @property
    def item_id(self) -> str:
        """The content item's id."""
        return str(self.item.id)

    @property
    def needs_audio(self) -> bool:
        """True when the task plays caller lines."""
        return self.kind != "copy-typing"


@dataclass
class AttemptResult:
    """One stored attempt as the session saw it (for the closing summary and tests)."""

    attempt_id: str | None
    kind: str
    item: str
    practice: bool
    state: str
    metrics: dict[str, Any]
    verdicts: list[dict[str, Any]]
    actions: list[dict[str, Any]] | None
    fields: dict[str, str] = field(default_factory=dict)


def build_task_scene(app: App, session: Session | None, spec: TaskSpec) -> Scene:
    """The scene (with its task state) for one task: the factory ``registry`` holds for its kind
    (``ValueError`` naming the known kinds when there is none)."""
    return registry.task_scene(spec.kind)(app, session, spec)


class Session:
    """Runs steps (scene factories) one after another and records every attempt."""

    def __init__(
        self,
        app: App,
        settings: Settings,
        store: Any,
        *,
        battery_id: str,
        specs: Sequence[TaskSpec],
        candidate_id: str | None = None,
        language: str = "nl",
        intake: bool = False,
        instructions: bool = True,
        closing: bool = True,
        audio: CallerAudio | None = None,
        battery_hash: str | None = None,
        skip: set[tuple[str, str]] | None = None,
        session_id: str | None = None,
        keyboard_layout: str | None = None,
        thresholds: Mapping[str, Threshold] | None = None,
    ) -> None:
        self.app = app
        self.settings = settings
        self.store = store
        self.battery_id = battery_id
        self.specs = list(specs)
        self.candidate_id = candidate_id
        self.language = language
        self.audio = audio
        self.audio_allowed_without_device = False
        #: The caller's words shown on the call desk as they are spoken (an accommodation: the
        #: ``captions`` setting, or the proctor's switch); see ``administration``.
        self.captions = bool(settings.captions)
        self._discarded_input = 0  # input events dropped while the next task was being prepared
        #: The candidate's keyboard layout (``engine.layouts`` name; chosen at intake): stored with
        #: every attempt, in its meta and as ``metrics["layout"]`` (what the analysis reads).
        self.keyboard_layout = keyboard_layout or DEFAULT_LAYOUT
        self.battery_hash = battery_hash or _hash_specs(self.specs)
        self.thresholds = dict(thresholds) if thresholds is not None else load_thresholds(settings)
        self.session_id: str | None = session_id
        self.results: list[AttemptResult] = []
        self.state = "running"
        self.finished = False
        self._attempt: Any = None
        self.steps: list[Callable[[], Scene]] = []
        self.step_index = -1
        #: Called once the candidate is known, before the first task: picks the parallel forms
        #: of a retake (``runner.parallel_forms``); None keeps the battery's items.
        self.choose_forms: Callable[[Session], None] | None = None
        #: The registration the intake's access code named and the accommodations applied for it
        #: (``use_registration``; stored in every attempt's meta); None without one.
        self.registration: dict[str, Any] | None = None
        self._instructions, self._closing = instructions, closing
        #: a screen the candidate leaves before every task (off with ``--task`` and ``back_to_back``)
        self.wait_between_tasks = instructions and not settings.back_to_back
        #: True when the first step is the intake: it opens the store's session once it has accepted
        #: the candidate (and stored the consent), never ``start``.
        self.has_intake = intake
        #: The intake's pages (``intake.INTAKE_PAGES``); ``typingtest run --task`` asks for the consent only.
        self.intake_pages: tuple[str, ...] = ("candidate", "consent", "layout", "headset")
        self._build_steps(intake, skip or set())
        app.on_frame.append(self.poll_audio)
        app.on_frame.append(self.poll_journal)
        #: True while the running attempt's journal cannot be written (an incident was recorded)
        self._journal_failing = False
        #: One line per attempt or session the database did not take (their journals are kept)
        self.store_problems: list[str] = []
        #: Called once when the session ends (``room_link``: the last heartbeat, then its thread stops).
        self.on_end: list[Callable[[], None]] = []
        app.on_quit = lambda: self.abort("window-closed")

    def _build_steps(self, intake: bool, skip: set[tuple[str, str]]) -> None:
        app = self.app
        self.steps = []
        self.step_index = -1
        screen = registry.screen
        if intake:
            self.steps.append(lambda: screen("intake")(app, self))
        shown_kinds: set[str] = set()
        previous: TaskSpec | None = None
        for spec in self.specs:
            if (spec.kind, spec.item_id) in skip:
                continue
            if self._instructions and spec.kind not in shown_kinds:
                shown_kinds.add(spec.kind)
                self.steps.append(lambda k=spec.kind, s=spec: screen("instructions")(app, self, k, spec=s))
            elif self.wait_between_tasks:  # the candidate starts the task: its clock runs from that press
                if previous is not None and previous.practice and previous.kind == spec.kind:
                    self.steps.append(lambda p=previous, s=spec: screen("practice-result")(app, self, p, s))
                else:
                    self.steps.append(lambda s=spec: screen("ready")(app, self, s))
            self.steps.append(lambda s=spec: self._task_step(s))
            previous = spec
        if self._closing:
            self.steps.append(lambda: screen("closing")(app, self))

    def use_registration(self, specs: Sequence[TaskSpec], *, battery_id: str, language: str, settings: Settings,
                         record: Mapping[str, Any]) -> None:
        """The intake's access code named a registration (issue 13): run ``specs`` (its battery, its
        extra time already in the time limits) with ``settings`` (the workstation's, with the
        registration's accommodations) from the step after the intake; ``record`` (the registration
        and what was applied) goes into every attempt's meta."""
        self.specs = list(specs)
        self.battery_id, self.language, self.settings = battery_id, language, settings
        self.battery_hash = _hash_specs(self.specs)
        self.registration = dict(record)
        self.wait_between_tasks = self._instructions and not settings.back_to_back
        at = self.step_index
        self._build_steps(self.has_intake, set())
        self.step_index = at

    # flow ----------------------------------------------------------------------------------------
    def resume(self, session_row: dict[str, Any]) -> None:
        """Resume an unfinished session (the proctor's choice at intake; the intake calls this once the
        consent is stored and the checks are passed): its finished tasks are skipped and the next
        unfinished task follows. ``SessionRefused`` (nothing changed) while another session of the
        candidate and battery runs."""
        session_id = str(session_row["session_id"])
        done: set[tuple[str, str]] = set()
        if self.store is not None:  # the store reopens the session (state running again, audited)
            frame = self.store.resume_session(session_id)
            done = {(r["task"], r["item"]) for r in frame.to_dict("records") if r["state"] == "complete"}
        self.session_id = session_id
        self.candidate_id = str(session_row["candidate_id"])
        if self.choose_forms is not None:
            self.choose_forms(self)
        self._build_steps(False, done)
        self.next()

    def start(self) -> None:
        """Show the first step; without an intake, open the store's session first (with an intake,
        the intake opens it once it has accepted the candidate: opening it here too made the intake
        find that same session as an unfinished earlier one and stop the candidate)."""
        if not self.has_intake and self.candidate_id is not None and self.session_id is None:
            self.open_session(self.candidate_id)
        self.next()

    def open_session(self, candidate_id: str) -> None:
        """Candidate known: register them and open the store's session."""
        self.candidate_id = candidate_id
        if self.store is not None and self.session_id is None:
            self.store.ensure_candidate(candidate_id)
            self.session_id = self.store.start_session(candidate_id, self.battery_id, self.battery_hash,
                                                       self.settings.workstation, self.language)
        if self.choose_forms is not None:
            self.choose_forms(self)

    def progress(self, spec: TaskSpec) -> tuple[int, int]:
        """(n, total): ``spec`` is, or comes just before, the battery's n-th scored task of ``total``
        (practice tasks are not counted; a practice gives the number of the scored task after it)."""
        scored = [s for s in self.specs if not s.practice]
        at = next((i for i, s in enumerate(self.specs) if s is spec), len(self.specs))
        following = next((s for s in self.specs[at:] if not s.practice), None)
        n = next((i + 1 for i, s in enumerate(scored) if s is following), len(scored))
        return n, len(scored)

    def last_result(self, spec: TaskSpec) -> AttemptResult | None:
        """The latest stored attempt of ``spec``'s kind and item (None before it ran)."""
        for r in reversed(self.results):
            if r.kind == spec.kind and r.item == spec.item_id:
                return r
        return None

    def next(self) -> None:
        """Show the next step, or end the session after the last."""
        self.step_index += 1
        if self.step_index >= len(self.steps):
            self.end("complete")
            return
        self.app.show(self.steps[self.step_index]())

    def _task_step(self, spec: TaskSpec) -> Scene:
        scene = build_task_scene(self.app, self, spec)
        if spec.needs_audio:
            audio = self.ensure_audio()
            if not audio.available and not self.audio_allowed_without_device:
                return registry.screen("no-audio")(self.app, self, lambda: self._task_step(spec), spec=spec)
            lines = [LineText(ln.id, ln.text, ln.voice or getattr(spec.item, "voice", ""),
                              str(ln.audio) if getattr(ln, "audio", None) else None) for ln in spec.item.lines]
            base = spec.item.path.parent if getattr(spec.item, "path", None) else None
            started = time.perf_counter()
            if self.app.clock.real:
                self.app.show_wait(self.app.tr("preparing"))
            audio.prepare(lines, source=str(getattr(spec.item, "path", spec.item_id)), base_dir=base)
            if self.app.clock.real and time.perf_counter() - started > PREPARE_DISCARD_S:
                # keys typed at the wait screen are not the task's: dropped, and counted as an incident
                self._discarded_input = self.app.discard_input()
        return scene

    def ensure_audio(self) -> CallerAudio:
        """The caller audio, opened at first need."""
        if self.audio is None:
            self.audio = CallerAudio(self.app.clock.now)
        return self.audio

    def allow_without_audio(self) -> None:
        """The proctor let audio tasks run on a workstation without sound (recorded: ``administration``)."""
        self.audio_allowed_without_device = True
        if self.audio is not None and not self.audio.available:
            self.audio.use_virtual()
        self._log_administration()

    def set_captions(self, on: bool) -> None:
        """The proctor switched captions on or off (from the next caller line; recorded: ``administration``)."""
        self.captions = bool(on)
        self._log_administration()

    def administration(self, spec: TaskSpec) -> str | None:
        """How ``spec``'s attempt is administered now: ``"captions"`` (a call with the caller's words
        shown), ``"no-audio"`` (the proctor allowed it without sound, no captions) or ``"audio"``; None
        for a task without caller audio. Captions are shown on the call desk only: in transcription
        and data entry they would give the answer away."""
        if not spec.needs_audio:
            return None
        if self.captions and spec.kind == "call":
            return "captions"
        return "no-audio" if self.audio_allowed_without_device else "audio"

    def _log_administration(self) -> None:
        """MARKER ``administration`` in the running attempt's log (the engine reads it)."""
        scene = self.app.scene
        if self._attempt is None or not isinstance(scene, TaskHost) or self.app.recorder is None:
            return
        mode = self.administration(scene.spec)
        if mode is not None:
            self.app.log(EventKind.MARKER, self.app.clock.now(), text=ADMINISTRATION_MARKER, target=mode)

    def refuse_consent(self, text_version: str) -> None:
        """The candidate did not consent: nothing about them is stored (no candidate, consent, session
        or attempt row; a session opened already is left as it is). One audit entry
        ``consent-refused`` without a candidate id (details: battery and consent text version) lets
        the centre count refusals. The refusal screen follows; closing it ends the session ``refused``."""
        if self.store is not None:
            try:
                self.store.audit("consent-refused", "consent", None,
                                 {"battery": self.battery_id, "text_version": text_version})
            except UserError as exc:  # the database is down: the refusal is not counted, nothing else is lost
                self._store_problem(f"consent refusal not counted: {exc}")
        self.candidate_id = None
        self.app.show(registry.screen("consent-refused")(self.app, self))

    def end(self, state: str) -> None:
        """Close the store's session and leave the loop."""
        if self.finished:
            return
        self.finished = True
        self.state = state
        if self.store is not None and self.session_id is not None:
            try:
                self.store.end_session(self.session_id, state)
            except UserError as exc:  # the database is down: the attempts are safe in their journals
                self._store_problem(f"session not closed in the database: {exc}")
        if self.audio is not None:
            self.audio.stop_all()
        for callback in self.on_end:
            callback()
        self.app.quit()

    def _store_problem(self, line: str) -> None:
        """A result the database did not take: an incident for the proctor and one line on stderr."""
        self.store_problems.append(line)
        self.app.incident(self.app.clock.now(), "store-failed", line)
        print(f"typingtest: {line}", file=sys.stderr)

    def abort(self, reason: str) -> None:
        """End now (window closed, proctor ended the session): the running attempt is kept as interrupted."""
        t = self.app.clock.now()
        scene = self.app.scene
        if self._attempt is not None and isinstance(scene, TaskHost):
            self.app.incident(t, "session-ended", reason)
            scene.state.stop(t, reason)
            scene.drain()
            self.end_attempt(scene, state="interrupted")
            return
        self.end("interrupted")

    # attempts ------------------------------------------------------------------------------------
    def begin_attempt(self, scene: TaskHost, now: float) -> None:
        """Open the attempt in the store; from now on every event is journaled as it happens."""
        spec: TaskSpec = scene.spec
        sink = None
        mode = self.administration(spec)
        if self.store is not None and self.session_id is not None:
            meta = {
                "administration": mode,  # how it was heard: audio, captions, no-audio (None: no caller audio)
                "presented": _presented(spec),
                # a transcription's rules, so that recover/verify judge the journal as the workstation did
                "normalise": rules_record(spec.item.normalise) if spec.kind == "transcription" else None,
                "target": ANSWER_FIELD if spec.kind in ("copy-typing", "transcription") else None,
                "time_limit_s": spec.time_limit_s,
                "extra_time": self.settings.extra_time,
                "registration": self.registration,  # the access code's registration and accommodations applied
                "seed": spec.seed,
                "replays": spec.replays,
                "show_errors": spec.show_errors,  # feedback shown while typing: a condition of the attempt
                "parallel_form": spec.form,  # on a retake: the form presented for the battery's item, and why
                "ui_lang": self.app.tr.lang,
                "layout": self.keyboard_layout,
                "screen": list(self.app.screen.get_size()),
                "clock": "perf_counter" if self.app.clock.real else "injected",
                **(spec.meta or {}),
            }
            self._attempt = self.store.begin_attempt(self.session_id, spec.kind, spec.item_id, spec.practice, meta)
            sink = self._attempt.append
        else:
            self._attempt = False
        self.app.recorder = EventRecorder(now, sink)
        self.app.keys_held_before_start()  # the Enter that started the task is released in it: not its key
        if mode is not None:
            self.app.log(EventKind.MARKER, now, text=ADMINISTRATION_MARKER, target=mode)
        if self._discarded_input:
            self.app.incident(now, "input-before-start", f"{self._discarded_input} events")
            self._discarded_input = 0

    def end_attempt(self, scene: TaskHost, state: str = "complete") -> None:
        """Score the attempt with the engine, store it, and go on."""
        spec: TaskSpec = scene.spec
        rec = self.app.recorder
        self.app.recorder = None
        if self.audio is not None:
            self.audio.stop_all()
        log = rec.to_log() if rec is not None else None
        metrics: dict[str, Any] = {}
        verdicts: list[dict[str, Any]] = []
        actions: list[dict[str, Any]] | None = None
        if log is not None:
            metrics, verdicts, actions = score_attempt(spec.kind, spec.item, log, self.thresholds,
                                                       min_chars_judged=self.settings.min_chars_judged)
            metrics = {**metrics, "layout": self.keyboard_layout}  # a label the analysis reads, not a figure
            flag = metrics.get("plausibility") or {}
            if flag.get("flagged"):  # typed faster or more evenly than people type: the proctor looks now
                self.app.incident(self.app.clock.now(), "implausible-typing",
                                  f"{spec.kind} {spec.item_id}: " + "; ".join(flag.get("reasons") or []))
            mode = logged_administration(log)  # the engine's reading of the log's markers
            if mode is not None:
                metrics["administration"] = mode  # a label too: the export and the report show it
        attempt_id = None
        if self._attempt:
            try:
                attempt_id = self._attempt.finish(log, metrics, verdicts, actions, state=state)
            except UserError as exc:  # database down: the journal keeps the result for `typingtest recover`
                attempt_id = self._attempt.attempt_id
                self._store_problem(f"attempt {attempt_id} not stored yet, its journal is kept: {exc}")
        self._attempt = None
        self._journal_failing = False
        self.results.append(AttemptResult(attempt_id, spec.kind, spec.item_id, spec.practice, state, metrics,
                                          verdicts, actions, scene.typed_fields()))
        if state == "interrupted":
            self.end("interrupted")
        elif scene.state.end_reason == "time":  # "time is up", then the next step
            self.app.show(registry.screen("time-up")(self.app, self))
        else:
            self.next()

    def play_lines(self, line_ids: Sequence[str], spec: TaskSpec) -> None:
        """Play caller lines of ``spec``'s item one after another (each after its ``pause_s``)."""
        if self.audio is None or not line_ids:
            return
        pauses = {ln.id: float(getattr(ln, "pause_s", 0.6)) for ln in getattr(spec.item, "lines", ())}
        t = self.app.clock.now() + 0.05
        for i, lid in enumerate(line_ids):
            if i:
                t += pauses.get(lid, 0.6)
            self.audio.play(lid, at=t)
            t += self.audio.seconds(lid)

    def poll_journal(self, now: float) -> None:
        """Once a frame: the running attempt's journal write refused by the disk (disk full) becomes
        the incident ``journal-write-failed`` at once (the events wait in memory); when the disk
        takes them again, ``journal-write-resumed``."""
        rec = self._attempt
        if not rec:
            return
        error: OSError | None = rec.write_error
        if error is not None and not self._journal_failing:
            self._journal_failing = True
            self.app.incident(now, "journal-write-failed",
                              f"{error.strerror or error}; events kept in memory until the disk takes them")
        elif error is None and self._journal_failing:
            self._journal_failing = False
            self.app.incident(now, "journal-write-resumed")

    def poll_audio(self, now: float) -> None:
        """Once a frame: log the player's onsets/offsets and tell the scene."""
        if self.audio is None:
            return
        for kind, line, t in self.audio.poll():
            self.app.log(kind, t, text=line, target="line")
            scene = self.app.scene
            if isinstance(scene, TaskHost) and self.app.recorder is not None:
                scene.on_audio(EventKind(kind), line, t)


def _presented(spec: TaskSpec) -> str | None:
    if spec.kind == "copy-typing":
        return str(spec.item.text)
    if spec.kind == "transcription":
        return str(spec.item.reference)
    return None


def _hash_specs(specs: Sequence[TaskSpec]) -> str:
    """The battery's fingerprint as run (16 hex digits, stored with the session): per task its kind,
    item, practice flag, time limit (seconds, extra time included), replays and show_errors, the
    fields that change what the candidate sees or how the task is scored.

    ``show_errors`` is added only when on, so batteries without it keep the hash they had before
    it was included. The seed is left out: a randomised form draws a new one for every session
    (each attempt's meta records it), and the hash must stay the same across sessions of one battery.
    """
    rows = []
    for s in specs:
        row: list[object] = [s.kind, s.item_id, s.practice, s.time_limit_s, s.replays]
        if s.show_errors:
            row.append("show_errors")
        rows.append(row)
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]
