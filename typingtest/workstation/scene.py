"""The scene base class: one screen of the workstation (python-arcade's "view").

A scene owns its widgets and lays them out on the 1280x720 design grid; the app calls
``layout`` (on show and on resize), ``on_show``/``on_hide``, ``update(dt, now)`` once a frame
and the input hooks. Task logic does not live here: a task scene holds a task *state* object
(``typingtest.workstation.tasks``) and only turns input into calls on it and its state into
pixels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import pygame

from typingtest.workstation.theme import Theme
from typingtest.workstation.widgets import Button, Widget

if TYPE_CHECKING:
    from typingtest.engine.events import EventKind
    from typingtest.workstation.app import App
    from typingtest.workstation.tasks import TaskState

__all__ = ["INPUT_GUARD_S", "Overlay", "ProctorTarget", "Scene", "TaskHost"]

#: The guard of the screens between tasks (seconds): long enough that the Enter that ended a task,
#: or its auto-repeat, cannot skip them; short enough that nobody notices it.
INPUT_GUARD_S = 0.5


class Scene:
    """One screen. Subclasses add widgets in ``__init__`` and place them in ``layout``."""

    #: Short name used in logs, screenshots and tests.
    name = "scene"
    #: True for scenes whose events form an attempt (the app shows the Finish dialog for them).
    is_task = False
    #: Seconds after the scene appears during which keys and clicks are ignored (instruction and
    #: result screens: ``INPUT_GUARD_S``); with a guard, only a fresh press acts (not an
    #: auto-repeat, not a key held since before the scene appeared). 0: no guard.
    input_guard_s = 0.0

    #: The proctor may waive the retake rule or resume an unfinished session here (the intake's id page).
    offers_retake_override = False

    def __init__(self, app: App) -> None:
        self.app = app
        self.widgets: list[Widget] = []
        self.initial_focus: str | None = None
        #: The session this screen belongs to (None: a screen shown alone, a replay, a screenshot).
        self.session: Any = None

    # widgets --------------------------------------------------------------------------------
    def add(self, widget: Widget) -> Widget:
        """Add a widget (drawn and focused in the order added)."""
        self.widgets.append(widget)
        return widget

    def widget(self, name: str) -> Widget:
        """The widget called ``name``."""
        for w in self.widgets:
            if w.name == name:
                return w
        raise KeyError(f"scene {self.name!r} has no widget {name!r}")

    def has_widget(self, name: str) -> bool:
        """True when a widget of that name exists."""
        return any(w.name == name for w in self.widgets)

    def set_visible(self, name: str, visible: bool) -> None:
        """Show or hide a widget (the screen is redrawn as a whole: this is rare)."""
        w = self.widget(name)
        if w.visible != visible:
            w.visible = visible
            self.app.invalidate()
            if not visible and self.app.focus is w:
                self.app.set_focus(None)

    def press_shortcut(self, key: int) -> bool:
        """A function key: press the visible button whose ``shortcut`` it is (when enabled); True
        when such a button is shown (the key is used even when the button is disabled)."""
        for w in self.widgets:
            if isinstance(w, Button) and w.visible and w.key == key:
                w.press()
                return True
        return False

    # hooks ------------------------------------------------------------------------------------
    def layout(self, theme: Theme) -> None:
        """Place the widgets (``theme.rect`` turns design units into pixels)."""

    def on_show(self) -> None:
        """The scene became the current one."""

    def on_hide(self) -> None:
        """The scene is being replaced."""

    def update(self, dt: float, now: float) -> None:
        """Once a frame: timers, cues, deadlines (``dt`` and ``now`` in seconds)."""

    def draw_background(self, surface: pygame.Surface, theme: Theme) -> None:
        """Everything that is not a widget (only on a full redraw)."""
        surface.fill(theme.color("bg"))

    def on_key(self, key: int, mod: int, t: float) -> bool:
        """A key the app did not use (shortcuts of this scene); True when used."""
        return False

    def on_submit(self, widget: Widget, t: float) -> bool:
        """Enter in a one-line field; True when used (else the focus moves on)."""
        return False

    def request_finish(self, t: float) -> None:
        """The candidate asked to end the task (Finish button or Ctrl+Enter)."""

    def confirm_finish(self, t: float) -> None:
        """The candidate confirmed the end of the task with Enter."""

    def finish_warning(self) -> str | None:
        """A line the Finish dialog adds before the candidate confirms (None: nothing to warn about)."""
        return None

    # what the proctor can do here (``ProctorTarget``) -------------------------------------------
    def override_retake(self) -> None:
        """The proctor's override of the retake rule (only where ``offers_retake_override``)."""

    def allow_without_audio(self) -> None:
        """The proctor allowed the tasks without audio while this screen is shown (the session is
        told first); a screen waiting for sound goes on."""


@runtime_checkable
class ProctorTarget(Protocol):
    """What the proctor's panel can do to the screen shown (every ``Scene`` offers it): reach its
    session (end it, captions), override the retake rule where offered, let it go on without audio."""

    session: Any
    offers_retake_override: bool

    def override_retake(self) -> None:
        """Resume the candidate's unfinished session or waive the retake period."""

    def allow_without_audio(self) -> None:
        """Go on without audio (the session already allows it)."""


@runtime_checkable
class TaskHost(Protocol):
    """What a screen running a task offers the session and the proctor: its spec and task state
    (pause, resume, stop), ``drain`` (log what the state emitted, play what it asked for), the
    player's onsets/offsets, and what the candidate typed."""

    session: Any
    spec: Any
    state: TaskState

    def drain(self) -> None:
        """Log what the state emitted and play the audio it asked for."""

    def on_audio(self, kind: EventKind, line: str, t: float) -> None:
        """The player's onset/offset of a caller line (logged already)."""

    def typed_fields(self) -> dict[str, str]:
        """What each text field holds now, by name."""


class Overlay(Scene):
    """A modal scene drawn over the current one (finish dialog, proctor panel).

    Its input is logged with target ``target`` and its text is not logged when ``secret``.
    """

    target = "overlay"
    secret = False
    #: The area it covers, in design units (x, y, w, h).
    box = (340, 200, 600, 300)

    def draw_background(self, surface: pygame.Surface, theme: Theme) -> None:
        r = theme.rect(*self.box)
        pygame.draw.rect(surface, theme.color("panel"), r, border_radius=theme.px(8))
        pygame.draw.rect(surface, theme.color("focus"), r, width=theme.px(3), border_radius=theme.px(8))

    def on_text(self, text: str, t: float) -> None:
        """Text typed while the overlay is open."""
