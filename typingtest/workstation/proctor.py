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

When the proctor ends a pause the task does not go on at once: the candidate, who may not be at
the keyboard, resumes it with Enter (``ResumeOverlay``; the task's clock stays stopped until then).
"""

from __future__ import annotations

import hmac
import math
import weakref
from typing import TYPE_CHECKING

import pygame

from typingtest.engine.events import EventKind
from typingtest.workstation.app import Overlay
from typingtest.workstation.scene import INPUT_GUARD_S
from typingtest.workstation.theme import Theme
from typingtest.workstation.widgets import Button, Label, ListBox, TextField

if TYPE_CHECKING:
    from typingtest.workstation.app import App

__all__ = ["MASK", "CodeLock", "PausedOverlay", "ProctorOverlay", "ResumeOverlay", "code_lock"]

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
            state = getattr(app.scene, "state", None)
            if state is not None:
                state.resume(t)
            app.incident(t, "resumed")
            if state is not None and hasattr(app.scene, "drain"):
                app.scene.drain()  # type: ignore[union-attr]
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
            has_override = hasattr(self.app.scene, "override_retake")
            self.widget("proctor-override").visible = has_override
            self.widget("proctor-captions").visible = getattr(self.app.scene, "session", None) is not None
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
                code = self._code
                self._set_code("")
                lock = code_lock(self.app)
                if self._show_lock(t):
                    return True  # locked: the code is not even compared
                expected = str(self.app.settings.proctor_code)
                if expected.strip() and hmac.compare_digest(code.encode(), expected.encode()):
                    lock.right_code()
                    self.unlocked = True
                    self.app.log(EventKind.MARKER, t, text="proctor-unlocked")
                    self._show_panel(True)
                else:
                    self.widget("proctor-feedback").set_text(self.app.tr("wrong_code"))  # type: ignore
                    self.app.incident(t, "proctor-code-wrong")
                    if lock.wrong_code(t):
                        self.app.incident(t, "proctor-locked", f"{lock.MAX_WRONG} wrong codes: locked for "
                                                               f"{lock.LOCK_S:.0f} s")
                        self._show_lock(t)
            elif key == pygame.K_BACKSPACE:
                self._set_code(self._code[:-1])
            elif key == pygame.K_ESCAPE:
                self._close()
            return True
        actions = {pygame.K_F5: self._pause, pygame.K_F6: self._end, pygame.K_F7: self._no_audio,
                   pygame.K_F8: self._override, pygame.K_F9: self._captions, pygame.K_ESCAPE: self._close}
        if key in actions:
            actions[key]()
        return True

    def _now(self) -> float:
        return self.app.clock.now()

    def _close(self) -> None:
        self.app.close_overlay()
        if self.app.paused:
            self.app.open_overlay(PausedOverlay(self.app))

    def _pause(self) -> None:
        app, t = self.app, self._now()
        state = getattr(app.scene, "state", None)
        if not app.paused:
            app.paused = True
            if state is not None:
                state.pause(t)
            app.incident(t, "paused")
        else:  # the candidate resumes (ResumeOverlay): the task's clock stays stopped until then
            app.close_overlay()
            app.open_overlay(ResumeOverlay(app))
            return
        if state is not None and hasattr(app.scene, "drain"):
            app.scene.drain()  # type: ignore[union-attr]
        self._close()

    def _end(self) -> None:
        app = self.app
        app.paused = False
        app.close_overlay()
        session = getattr(app.scene, "session", None)
        if session is not None:
            session.abort("proctor")
        else:
            app.quit()

    def _no_audio(self) -> None:
        app = self.app
        scene = app.scene
        session = getattr(scene, "session", None)
        app.incident(self._now(), "audio-overridden")
        app.close_overlay()
        if session is not None:
            session.allow_without_audio()
        if hasattr(scene, "allowed"):
            scene.allowed()  # type: ignore[union-attr]
        elif hasattr(scene, "skip_headset"):
            scene.skip_headset()  # type: ignore[union-attr]

    def _captions(self) -> None:
        """Switch captions on or off for the session (an incident, and the attempt's administration)."""
        app = self.app
        session = getattr(app.scene, "session", None)
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
        if hasattr(scene, "override_retake"):  # the intake resumes or waives, after consent and checks
            scene.override_retake()  # type: ignore[union-attr]
