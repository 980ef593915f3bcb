"""The workstation's link to the console's room: heartbeats out, proctor commands in, never on the UI thread.

The UI thread does two cheap things once a frame (``RoomLink.on_frame``, an ``App.on_frame``
callback): it puts a small snapshot (a tuple: state, session, candidate, battery, task, seconds
left) in a slot and the new incidents in a deque, and it applies the commands the link's thread
handed over through a queue, with the same functions the proctor's panel uses
(``proctor.pause_session``, ``resume_session``, ``end_session``, ``allow_no_audio``,
``add_extra_time``), queueing each acknowledgement ("ok" or why not) for the thread.

The thread (``typingtest-room``, a daemon) writes one heartbeat every ``heartbeat_interval_s``
seconds (batched as the journal is: one beat carries every incident since the last), then the
acknowledgements, then polls the workstation's new commands (``store.room``). A database that is
down makes it keep the incidents and acknowledgements and try again (backing off up to
``MAX_BACKOFF_S``), quietly: the candidate's keystrokes go to the journal as always, and the room
shows the workstation as lost until it beats again.

With a console, the proctor panel also accepts a proctor account's one-time code
(``check_proctor_code``, set as ``App.proctor_code_check``): checked against the store on a
thread of its own while the panel says "checking…" and the frames go on; the panel polls the
answer (a ``proctor.CodeCheck``) once a frame and gives up after ``CODE_CHECK_TIMEOUT_S``. The
store marks the code used only in a transaction the check still accepts (``CodeCheck.claim``):
an answer too late is refused and leaves the code unused.
"""

from __future__ import annotations

import collections
import logging
import queue
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from typingtest.store import room
from typingtest.workstation import proctor

__all__ = ["CODE_CHECK_TIMEOUT_S", "MAX_BACKOFF_S", "RoomLink", "apply_command", "attach_room_link",
           "workstation_state"]

log = logging.getLogger("typingtest.workstation.room")

#: Longest the proctor panel waits for the store to check a one-time code (seconds; frames go on meanwhile).
CODE_CHECK_TIMEOUT_S = 1.5
#: Longest wait between two tries while the database is down (seconds).
MAX_BACKOFF_S = 30.0
#: Incidents kept for the next beat while the database is down (the oldest go first).
MAX_PENDING_INCIDENTS = 200

#: Screens between tasks (their beat says "instructions").
_BETWEEN = frozenset({"instructions", "ready", "practice-result", "time-up", "no-audio"})
_FINISHED = frozenset({"closing", "consent-refused"})


def _utc_now() -> datetime:
    return datetime.now(UTC)


def workstation_state(app: Any, session: Any) -> str:
    """The state a beat reports (``room.STATES``) from what the app shows and the session's state."""
    if session is not None and session.finished:
        return "finished" if session.state == "complete" else "interrupted"
    if app.paused:
        return "paused"
    scene = app.scene
    if scene is None:
        return "idle"
    if scene.is_task:
        return "running"
    name = scene.name
    if name == "intake":
        return "intake"
    if name in _BETWEEN:
        return "instructions"
    if name in _FINISHED:
        return "finished"
    return "idle"


def apply_command(app: Any, session: Any, command: room.Command, t: float) -> str:
    """Apply one console command now (UI thread) with the proctor panel's functions; "ok" or why not."""
    current = session.session_id if session is not None else None
    if command.session_id and command.session_id != current:
        return f"session {command.session_id} is not running on this workstation (now: {current or 'none'})"
    detail = f"console:{command.issued_by}"[:64]
    name = command.command
    if name == "pause":
        return proctor.pause_session(app, t, detail)
    if name == "resume":
        return proctor.resume_session(app, t, detail)
    if name == "end":
        if session is not None and session.finished:
            return "the session has ended already"
        return proctor.end_session(app, detail)
    if name == "no-audio":
        return proctor.allow_no_audio(app, t, detail)
    if name == "extra-time":
        seconds = (command.argument or {}).get("seconds")
        if not isinstance(seconds, int | float) or seconds <= 0:
            return "extra-time needs a number of seconds"
        return proctor.add_extra_time(app, t, float(seconds), detail)
    return f"unknown command {name!r}"


class RoomLink:
    """Heartbeats and commands between one workstation and the store, on a thread of its own.

    Args:
        app: the workstation's ``App``.
        session: its ``Session`` (candidate, battery, session id, finished or not).
        store: the open ``Store`` (its engine is thread-safe).
        workstation: the name the beats carry (``Settings.workstation``).
        interval_s: seconds between beats (``Settings.heartbeat_interval_s``).
        utc_clock: the wall clock of the beats (UTC; tests inject one).
        start: start the thread now (tests call ``beat`` themselves with False).
    """

    def __init__(self, app: Any, session: Any, store: Any, *, workstation: str,
                 interval_s: float = room.DEFAULT_INTERVAL_S, utc_clock: Callable[[], datetime] = _utc_now,
                 start: bool = True) -> None:
        self.app, self.session, self.store = app, session, store
        self.workstation = str(workstation)
        self.interval_s = float(interval_s)
        self.utc_clock = utc_clock
        #: the latest snapshot (UI thread writes, link thread reads: one reference, swapped whole)
        self._slot: tuple[Any, ...] | None = None
        self._incidents: collections.deque[dict[str, Any]] = collections.deque(maxlen=MAX_PENDING_INCIDENTS)
        self._seen = len(app.incidents)
        self._no_audio_scene: int | None = None
        self._commands: queue.SimpleQueue[room.Command] = queue.SimpleQueue()
        self._acks: collections.deque[tuple[int, str]] = collections.deque()
        self._handed: set[int] = set()
        self._stop = threading.Event()
        self._wake = threading.Event()
        #: beats written, and failed tries in a row (the database down)
        self.beats = 0
        self.failures = 0
        self._thread: threading.Thread | None = None
        self._in_frame = False
        self._finish_after_frame = False
        self.snapshot(app.clock.now())
        app.on_frame.append(self.on_frame)
        if start:
            self._thread = threading.Thread(target=self._run, name="typingtest-room", daemon=True)
            self._thread.start()

    # ---- UI thread ------------------------------------------------------------------------------
    def snapshot(self, now: float) -> None:
        """Put what the beat says in the slot (one tuple) and the new incidents in the deque."""
        app, session = self.app, self.session
        scene = app.scene
        task = time_left = None
        if scene is not None:
            if scene.is_task:  # a ``TaskHost``: its spec and task state
                task = f"{scene.spec.kind} {scene.spec.item_id}"
                time_left = scene.state.remaining(now)
            elif scene.name == "no-audio" and self._no_audio_scene != id(scene):
                self._no_audio_scene = id(scene)
                self._incidents.append({"t": self.utc_clock().isoformat(), "kind": "audio-missing", "detail": ""})
        if session is not None:
            self._slot = (workstation_state(app, session), session.session_id, session.candidate_id,
                          session.battery_id, task, time_left)
        else:
            self._slot = (workstation_state(app, None), None, None, None, task, time_left)
        incidents = app.incidents
        if len(incidents) > self._seen:
            at = self.utc_clock().isoformat()
            for inc in incidents[self._seen:]:
                self._incidents.append({"t": at, "kind": inc.kind, "detail": inc.detail[:64]})
            self._seen = len(incidents)

    def on_frame(self, now: float) -> None:
        """Once a frame: the snapshot; the commands the thread handed over, applied and acknowledged."""
        self.snapshot(now)
        if self._commands.empty():
            return
        self._in_frame = True
        try:
            while True:
                try:
                    command = self._commands.get_nowait()
                except queue.Empty:
                    break
                try:
                    result = apply_command(self.app, self.session, command, now)
                except Exception as exc:  # a command must never crash the workstation; the console sees why
                    log.exception("room command %s failed", command.command_id)
                    result = f"failed: {type(exc).__name__}"
                self._acks.append((command.command_id, result))
                self._wake.set()  # the acknowledgement goes out now, not at the next beat
        finally:
            self._in_frame = False
        if self._finish_after_frame:  # the session ended by a command: its acknowledgement goes in the last beat
            self.stop()

    def finish(self) -> None:
        """The session ended (``Session.on_end``): the last beat, then the thread stops (after the command
        being applied now, if one ended the session, so that its acknowledgement is written too)."""
        if self._in_frame:
            self._finish_after_frame = True
        else:
            self.stop()

    def check_proctor_code(self, code: str) -> proctor.CodeCheck | None:
        """Start checking a console's one-time code on a thread of its own (the UI thread does not wait):
        the ``CodeCheck`` the panel polls each frame; it answers with the account's name when the store
        used the code for this workstation within ``CODE_CHECK_TIMEOUT_S``, else None. None at once when
        ``code`` is not a console's code."""
        if not (code.isdigit() and len(code) == room.PROCTOR_CODE_DIGITS):  # not a console's code: no wait
            return None
        check = proctor.CodeCheck(CODE_CHECK_TIMEOUT_S)

        def redeem() -> None:
            account = None
            try:
                account = room.redeem_proctor_code(self.store, code, self.workstation, now=self.utc_clock(),
                                                   accept=check.claim)
            except Exception as exc:  # the database down: the code is not taken (the local code still is)
                log.warning("one-time proctor code not checked: %s", type(exc).__name__)
            check.answer(account)

        threading.Thread(target=redeem, name="typingtest-proctor-code", daemon=True).start()
        return check

    # ---- link thread ------------------------------------------------------------------------------
    def beat(self) -> bool:
        """One beat: the heartbeat with the incidents since the last, the acknowledgements, the new
        commands handed to the UI thread. False (everything kept for the next try) when the database
        did not take it."""
        slot = self._slot
        if slot is None:
            return True
        incidents = []
        while self._incidents:
            incidents.append(self._incidents.popleft())
        acks = []
        while self._acks:
            acks.append(self._acks.popleft())
        state, session_id, candidate_id, battery, task, time_left = slot
        heartbeat = room.Heartbeat(self.workstation, state, session_id, candidate_id, battery, task,
                                   None if time_left is None else round(float(time_left), 1), tuple(incidents))
        now = self.utc_clock()
        try:
            room.write_heartbeat(self.store, heartbeat, now=now)
            incidents = []
            while acks:
                room.ack_command(self.store, acks[0][0], acks[0][1], now=now)
                acks.pop(0)
            for command in room.pending_commands(self.store, self.workstation):
                if command.command_id in self._handed:
                    continue
                self._handed.add(command.command_id)
                if room.stale(command, now):
                    room.ack_command(self.store, command.command_id,
                                     f"stale: issued more than {room.COMMAND_TIMEOUT_S:.0f} s ago; not applied",
                                     now=now)
                else:
                    self._commands.put(command)
        except Exception as exc:  # the database down or refusing: keep what was not written, try again
            self._incidents.extendleft(reversed(incidents))
            self._acks.extendleft(reversed(acks))
            if self.failures == 0:
                log.warning("room heartbeat not written (will retry): %s", str(exc).splitlines()[0][:200]
                            if str(exc) else type(exc).__name__)
            self.failures += 1
            return False
        if self.failures:
            log.warning("room heartbeat written again after %d failed tries", self.failures)
        self.failures = 0
        self.beats += 1
        return True

    def _run(self) -> None:
        while True:
            stopping = self._stop.is_set()
            try:
                self.beat()
            except Exception:  # never let the thread die: the next beat tries again
                log.exception("room link")
            if stopping:
                return
            wait = self.interval_s if not self.failures else min(MAX_BACKOFF_S, self.interval_s * 2 ** self.failures)
            self._wake.wait(wait)
            self._wake.clear()

    def stop(self, timeout: float = 2.0) -> None:
        """Write a last beat (the session's final state) and end the thread (waits at most ``timeout`` s)."""
        if self._thread is None:
            return
        self.snapshot(self.app.clock.now())
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)
        self._thread = None
        if self.on_frame in self.app.on_frame:
            self.app.on_frame.remove(self.on_frame)


def attach_room_link(app: Any, session: Any, store: Any, settings: Any, **kwargs: Any) -> RoomLink | None:
    """Start the room link of a workstation with a store (None without one), let the proctor panel take a
    console's one-time codes, and write the last beat (finished or interrupted) when the session ends."""
    if store is None:
        return None
    link = RoomLink(app, session, store, workstation=settings.workstation,
                    interval_s=float(settings.heartbeat_interval_s), **kwargs)
    app.proctor_code_check = link.check_proctor_code
    session.on_end.append(link.finish)
    return link
