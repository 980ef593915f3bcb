"""The scene base class: one screen of the workstation (python-arcade's "view").

A scene owns its widgets and lays them out on the 1280x720 design grid; the app calls
``layout`` (on show and on resize), ``on_show``/``on_hide``, ``update(dt, now)`` once a frame
and the input hooks. Task logic does not live here: a task scene holds a task *state* object
(``typingtest.workstation.tasks``) and only turns input into calls on it and its state into
pixels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from typingtest.workstation.theme import Theme
from typingtest.workstation.widgets import Widget

if TYPE_CHECKING:
    from typingtest.workstation.app import App

__all__ = ["INPUT_GUARD_S", "Scene"]

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

    def __init__(self, app: App) -> None:
        self.app = app
        self.widgets: list[Widget] = []
        self.initial_focus: str | None = None

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
