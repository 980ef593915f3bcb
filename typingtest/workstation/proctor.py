"""The proctor's overlay: Ctrl+Alt+P, then the proctor code (settings: ``proctor_code``).

Actions: pause / resume (the task clock stops; the candidate sees "Paused by the proctor"), end
the session (the running attempt is stored as interrupted), allow tasks without audio on a
workstation without sound, switch captions on or off (the caller's words on the call desk; both
recorded with each attempt as its ``administration``), override the retake policy or resume an
interrupted session at intake. The session's incidents (window focus lost, paste attempts,
pauses) are listed. The code typed is never logged, and shown masked (one • per character).
After ``CodeLock.MAX_WRONG`` (5) wrong codes in a row the code prompt is locked for
``CodeLock.LOCK_S`` (60 s, on the app's clock): codes typed then are not even compared, and an
incident ``proctor-locked`` says so.

With a console, a proctor account's one-time code is checked off the UI thread (``CodeCheck``):
the prompt says "checking…" and the frames go on; the overlay polls the answer once a frame.

When the proctor ends a pause the task does not go on at once: the candidate, who may not be at
the keyboard, resumes it with Enter (``ResumeOverlay``; the task's clock stays stopped until then).
"""

from __future__ import annotations

import hmac
import logging
import math
import queue
import threading
import time
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pygame

from typingtest.engine.events import EventKind
from typingtest.workstation.scene import INPUT_GUARD_S, Overlay, TaskHost
from typingtest.workstation.theme import Theme
from typingtest.workstation.widgets import Button, Label, ListBox, TextField

if TYPE_CHECKING:
    from typingtest.workstation.app import App

__all__ = ["MASK", "PROCTOR_HOTKEY", "CodeCheck", "CodeLock", "PausedOverlay", "ProctorOverlay", "ResumeOverlay",
           "add_extra_time", "allow_no_audio", "code_lock", "end_session", "open_proctor", "pause_session",
           "resume_session"]

log = logging.getLogger("typingtest.workstation.proctor")

#: What the code field shows for each character typed.
MASK = "•"
#: The longest proctor code the prompt takes (characters).
_CODE_MAX = 32


class CodeLock:
    """Wrong proctor codes in a row: the fifth locks the prompt for a minute (times in seconds
    on the app's clock). A plain object: tests drive it without a window."""

    MAX_WRONG = 5
    LOCK_S = 60.0

    def __init__(self) -> None:
        self.wrong = 0  # wrong codes in a row since the last right one or the last lock
        self.locked_until: float | None = None

    def seconds_left(self, now: float) -> float:
        """Seconds until a code may be tried again (0 when it may be now)."""
        if self.locked_until is None or now >= self.locked_until:
            return 0.0
        return self.locked_until - now

    def wrong_code(self, now: float) -> bool:
        """Count a wrong code at ``now``; True when it locks the prompt."""
        self.wrong += 1
        if self.wrong < self.MAX_WRONG:
            return False
        self.wrong = 0
        self.locked_until = now + self.LOCK_S
        return True

    def right_code(self) -> None:
        """A right code clears the count."""
        self.wrong = 0


class CodeCheck:
    """One console code being checked off the UI thread, and its answer (a plain object: no window).

    The checking thread calls ``claim`` inside the store's transaction once the code is marked used
    (``store.room.redeem_proctor_code``'s ``accept``), then ``answer`` with the account (None: refused);
    the UI thread calls ``poll`` once a frame. ``claim`` and ``poll`` decide under one lock, so the code
    is used exactly when the panel takes it: a claim after ``timeout_s`` (seconds, ``clock``: monotonic)
    or after the panel gave up is refused and the store rolls the use back.
    """

    def __init__(self, timeout_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.deadline = clock() + float(timeout_s)
        self._lock = threading.Lock()
        #: waiting -> committing (claimed: the store commits) -> done; waiting -> given-up (late, or closed)
        self.state = "waiting"
        self._answers: queue.SimpleQueue[str | None] = queue.SimpleQueue()

    def claim(self) -> bool:
        """Checking thread: True when the panel still waits (it will take the answer); False when the
        time is up or the panel was closed (the store then leaves the code unused)."""
        with self._lock:
            if self.state == "waiting" and self._clock() <= self.deadline:
                self.state = "committing"
                return True
            if self.state == "waiting":
                self.state = "given-up"
            return False

    def answer(self, account: str | None) -> None:
        """Checking thread: the store's last word (the account when the code was used for this panel)."""
        with self._lock:
            closed = self.state == "closed"
            if self.state in ("waiting", "committing"):
                self.state = "done"
                self._answers.put(account if account else None)
        if closed and account:  # used while the panel was being closed: say so (the code is spent)
            log.warning("a one-time proctor code of %s was used as the proctor panel closed", account)

    def poll(self) -> tuple[bool, str | None]:
        """UI thread, once a frame: (answered, account). Answered with None when refused or too late."""
        try:
            return True, self._answers.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if self.state == "waiting" and self._clock() > self.deadline:
                self.state = "given-up"
            if self.state == "given-up":
                return True, None
            try:
                return True, self._answers.get_nowait()
            except queue.Empty:
                return False, None

    def abandon(self) -> None:
        """The panel closed while checking: a claim still to come is refused."""
        with self._lock:
            if self.state == "waiting":
                self.state = "given-up"
            elif self.state == "committing":
                self.state = "closed"


#: one lock per window: it outlives the overlay (closing and reopening it must not reset it)
_LOCKS: weakref.WeakKeyDictionary[App, CodeLock] = weakref.WeakKeyDictionary()


def code_lock(app: App) -> CodeLock:
    """The code lock of ``app`` (made on first use)."""
    return _LOCKS.setdefault(app, CodeLock())


class PausedOverlay(Overlay):
    """What the candidate sees while the proctor holds the session (only Ctrl+Alt+P acts)."""

    name = "paused"
    target = "paused"
    box = (340, 260, 600, 160)

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.add(Label("paused-text", app.tr("paused"), size=28, align="center"))

    def layout(self, theme: Theme) -> None:
        self.widget("paused-text").set_rect(theme.rect(360, 320, 560, 50))

    def on_key(self, key: int, mod: int, t: float) -> bool:
        return True


class ResumeOverlay(Overlay):
    """The proctor ended the pause: the candidate resumes with Enter, taken only ``INPUT_GUARD_S``
    after it appeared; until then the session stays paused and the task's clock stopped."""

    name = "resume"
    target = "paused"
    box = (290, 240, 700, 200)

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.add(Label("resume-text", app.tr("paused_resume"), size=24, align="center"))
        self._shown_at = app.clock.now()

    def layout(self, theme: Theme) -> None:
        self.widget("resume-text").set_rect(theme.rect(310, 260, 660, 160))

    def on_key(self, key: int, mod: int, t: float) -> bool:
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER) and t - self._shown_at >= INPUT_GUARD_S:
            app = self.app
            app.paused = False
            task = app.scene if isinstance(app.scene, TaskHost) else None
            if task is not None:
                task.state.resume(t)
            app.incident(t, "resumed")
            if task is not None:
                task.drain()
            app.close_overlay()
        return True


class ProctorOverlay(Overlay):
    """Code prompt, then the proctor's panel."""

    name = "proctor"
    target = "proctor"
    secret = True
    box = (240, 80, 800, 560)

    def __init__(self, app: App) -> None:
        super().__init__(app)
        tr = app.tr
        self.unlocked = False
        self.add(Label("proctor-title", tr("proctor"), size=28))
        self.add(TextField("proctor-code", label=tr("proctor_code"), size=24, max_length=_CODE_MAX))
        self.add(Label("proctor-feedback", "", size=20, color="warn"))
        self.add(Button("proctor-pause", tr("pause"), self._pause, shortcut="F5", size=17))
        self.add(Button("proctor-end", tr("end_session"), self._end, shortcut="F6", size=17))
        self.add(Button("proctor-no-audio", tr("allow_no_audio"), self._no_audio, shortcut="F7", size=17))
        self.add(Button("proctor-override", tr("proctor_override"), self._override, shortcut="F8", size=17))
        self.add(Button("proctor-captions", tr("captions_toggle"), self._captions, shortcut="F9", size=17))
        self.add(Button("proctor-close", tr("close"), self._close, shortcut="Esc", size=17))
        self.add(Label("incidents-label", tr("incidents"), size=18, color="muted"))
        self.incidents = ListBox("incidents", size=16, row_height=24)
        self.add(self.incidents)
        self._code = ""  # what was typed; the field shows only MASK characters
        self._pending: CodeCheck | None = None  # a console code being checked (``update`` polls it)
        self._show_panel(False)

    def layout(self, theme: Theme) -> None:
        r = theme.rect
        self.widget("proctor-title").set_rect(r(270, 100, 740, 40))
        self.widget("proctor-code").set_rect(r(270, 150, 300, 44))
        self.widget("proctor-feedback").set_rect(r(590, 160, 420, 30))
        for i, name in enumerate(("proctor-pause", "proctor-end", "proctor-no-audio", "proctor-override",
                                  "proctor-captions", "proctor-close")):
            self.widget(name).set_rect(r(270, 210 + i * 50, 300, 42))
        self.widget("incidents-label").set_rect(r(590, 210, 420, 24))
        self.widget("incidents").set_rect(r(590, 236, 420, 380))

    def on_show(self) -> None:
        self.app.set_focus(self.widget("proctor-code"))
        self._show_lock(self.app.clock.now())

    def _show_lock(self, now: float) -> bool:
        """Say how long the prompt stays locked; False when it is not locked."""
        left = code_lock(self.app).seconds_left(now)
        if left > 0:
            self.widget("proctor-feedback").set_text(self.app.tr("code_locked", s=math.ceil(left)))  # type: ignore
        return left > 0

    def _show_panel(self, on: bool) -> None:
        for name in ("proctor-pause", "proctor-end", "proctor-no-audio", "proctor-override", "proctor-captions",
                     "proctor-close", "incidents-label", "incidents"):
            self.widget(name).visible = on
        self.widget("proctor-code").visible = not on
        if on:
            inc = self.app.incidents
            t0 = inc[0].t if inc else 0.0
            self.incidents.set_rows([f"+{i.t - t0:7.1f} s  {i.kind}  {i.detail}" for i in inc])
            self.widget("proctor-pause").set_label(self.app.tr("resume") if self.app.paused else self.app.tr("pause"))
            scene = self.app.scene
            self.widget("proctor-override").visible = scene is not None and scene.offers_retake_override
            self.widget("proctor-captions").visible = self._session() is not None
        self.app.invalidate()

    def on_text(self, text: str, t: float) -> None:
        field = self.widget("proctor-code")
        if field.visible:
            self._set_code(self._code + text)

    def _set_code(self, code: str) -> None:
        """Keep the code typed (at most the field's length), show it masked."""
        field = self.widget("proctor-code")
        self._code = code[:_CODE_MAX]
        field.set_text(MASK * len(self._code))  # type: ignore[attr-defined]

    def on_key(self, key: int, mod: int, t: float) -> bool:
        if not self.unlocked:
            if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                if self._pending is None:  # while a console code is being checked, Enter waits for its answer
                    self._enter(t)
            elif key == pygame.K_BACKSPACE:
                self._set_code(self._code[:-1])
            elif key == pygame.K_ESCAPE:
                self._close()
            return True
        if key == pygame.K_ESCAPE:  # the function keys press their buttons (``Scene.press_shortcut``)
            self._close()
        return True

    def _enter(self, t: float) -> None:
        """The code typed: the workstation's own opens the panel now; a console's one-time code is checked
        off the UI thread (``App.proctor_code_check`` returns a ``CodeCheck``; "checking…" until it answers)."""
        code = self._code
        self._set_code("")
        if self._show_lock(t):
            return  # locked: the code is not even compared
        expected = str(self.app.settings.proctor_code or "")  # None: no code of its own configured
        if bool(expected.strip()) and hmac.compare_digest(code.encode(), expected.encode()):
            self._accept(t, None)
            return
        check = self.app.proctor_code_check  # a console's one-time code (``room_link``: short time-out)
        pending = None if check is None or not code else check(code)
        if not isinstance(pending, CodeCheck):  # None: not a console's code (or no console)
            self._refuse(t)
            return
        self._pending = pending
        self.widget("proctor-feedback").set_text(self.app.tr("code_checking"))  # type: ignore[attr-defined]

    def update(self, dt: float, now: float) -> None:
        """Once a frame: the answer of a console code being checked, when it has come (or the time is up)."""
        if self._pending is None:
            return
        answered, account = self._pending.poll()
        if not answered:
            return
        self._pending = None
        self.widget("proctor-feedback").set_text("")  # type: ignore[attr-defined]
        if account:
            self._accept(now, account)
        else:
            self._refuse(now)

    def _accept(self, t: float, account: str | None) -> None:
        """The right code (``account``: a console's one-time code of that account): the panel opens."""
        code_lock(self.app).right_code()
        self.unlocked = True
        if account:
            self.app.log(EventKind.MARKER, t, text="proctor-unlocked", target=f"console:{account}"[:64])
        else:
            self.app.log(EventKind.MARKER, t, text="proctor-unlocked")
        self._show_panel(True)

    def _refuse(self, t: float) -> None:
        """A wrong code (or a console code refused or not answered in time): counted towards the lock."""
        lock = code_lock(self.app)
        self.widget("proctor-feedback").set_text(self.app.tr("wrong_code"))  # type: ignore[attr-defined]
        self.app.incident(t, "proctor-code-wrong")
        if lock.wrong_code(t):
            self.app.incident(t, "proctor-locked", f"{lock.MAX_WRONG} wrong codes: locked for {lock.LOCK_S:.0f} s")
            self._show_lock(t)

    def on_hide(self) -> None:
        """Closed while a console code is being checked: its answer, if it comes, is refused."""
        if self._pending is not None:
            self._pending.abandon()
            self._pending = None

    def _now(self) -> float:
        return self.app.clock.now()

    def _session(self) -> Any:
        """The session of the screen shown (None: a screen shown alone)."""
        return self.app.scene.session if self.app.scene is not None else None

    def _close(self) -> None:
        self.app.close_overlay()
        if self.app.paused:
            self.app.open_overlay(PausedOverlay(self.app))

    def _pause(self) -> None:
        if self.app.paused:
            resume_session(self.app, self._now())
        else:
            pause_session(self.app, self._now())

    def _end(self) -> None:
        end_session(self.app)

    def _no_audio(self) -> None:
        allow_no_audio(self.app, self._now())

    def _captions(self) -> None:
        """Switch captions on or off for the session (an incident, and the attempt's administration)."""
        app = self.app
        session = self._session()
        if session is None:
            return
        on = not session.captions
        app.incident(self._now(), "captions-on" if on else "captions-off")
        session.set_captions(on)
        self._close()

    def _override(self) -> None:
        app = self.app
        scene = app.scene
        app.close_overlay()
        if scene is not None and scene.offers_retake_override:  # the intake resumes or waives, after consent and checks
            scene.override_retake()


# ---- the proctor's actions: the panel's buttons and the console's commands (``room_link``) call these ----


def pause_session(app: App, t: float, detail: str = "") -> str:
    """Pause: the task's clock stops (incident ``paused``; the task logs ``pause``), the candidate sees
    ``PausedOverlay``. Returns "ok", or why not (already paused)."""
    if app.paused:
        return "already paused"
    task = app.scene if isinstance(app.scene, TaskHost) else None
    app.paused = True
    if task is not None:
        task.state.pause(t)
    app.incident(t, "paused", detail)
    if task is not None:
        task.drain()
    app.close_overlay()
    app.open_overlay(PausedOverlay(app))
    return "ok"


def resume_session(app: App, t: float, detail: str = "") -> str:
    """End the pause: the candidate resumes with Enter (``ResumeOverlay``; the task's clock stays stopped
    until then). Returns "ok", or why not (not paused)."""
    if not app.paused:
        return "not paused"
    if detail:
        app.log(EventKind.MARKER, t, text="proctor-resume", target=detail[:64])
    app.close_overlay()
    app.open_overlay(ResumeOverlay(app))
    return "ok"


def end_session(app: App, detail: str = "") -> str:
    """End the session: the running attempt is stored as interrupted (incident ``session-ended``)."""
    app.paused = False
    if detail:
        app.log(EventKind.MARKER, app.clock.now(), text="proctor-end", target=detail[:64])
    app.close_overlay()
    scene = app.scene
    session = scene.session if scene is not None else None
    if session is not None:
        session.abort("proctor")
    else:
        app.quit()
    return "ok"


def allow_no_audio(app: App, t: float, detail: str = "") -> str:
    """Allow the tasks without audio (incident ``audio-overridden``; recorded as the attempts' administration)."""
    scene = app.scene
    session = scene.session if scene is not None else None
    app.incident(t, "audio-overridden", detail)
    if isinstance(app.overlay, ProctorOverlay):  # the panel closes; a pause or a dialog stays
        app.close_overlay()
    if session is not None:
        session.allow_without_audio()
    if scene is not None:
        scene.allow_without_audio()
    return "ok"


def add_extra_time(app: App, t: float, seconds: float, detail: str = "") -> str:
    """Add ``seconds`` to the running task's time limit (incident ``extra-time``, detail ``+N s``).
    Returns "ok", or why not (no task running)."""
    task = app.scene if isinstance(app.scene, TaskHost) else None
    if task is None or not task.state.running:
        return "no task is running"
    task.state.time_limit_s += float(seconds)
    app.incident(t, "extra-time", f"+{seconds:g} s {detail}".strip())
    return "ok"


def open_proctor(app: App, t: float) -> bool:
    """Open the proctor's code prompt (the hotkey ``PROCTOR_HOTKEY``, Ctrl+Alt+P); False (the key goes
    on as usual) while the prompt is open already."""
    if isinstance(app.overlay, ProctorOverlay):
        return False
    app.log(EventKind.MARKER, t, text="proctor-called")
    app.open_overlay(ProctorOverlay(app))
    return True


#: Ctrl+Alt+P: (key, modifiers held) of the proctor's panel (``runner.install_hotkeys`` registers it).
PROCTOR_HOTKEY = (pygame.K_p, pygame.KMOD_CTRL | pygame.KMOD_ALT)
