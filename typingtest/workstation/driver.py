"""Headless driving: open the workstation on the dummy video driver with an injected clock and
act as a candidate through posted events (what the virtual-candidate engineer builds on).

    from typingtest.workstation.driver import Driver
    d = Driver.open(settings, store, battery="quick")          # SDL_VIDEODRIVER=dummy
    d.intake("C-001")                                           # id, consent, keyboard, headset
    d.start_task()                                              # the instructions' Start
    d.type("Geachte mevrouw", interval=0.18)                    # one character per 0.18 s
    d.finish()                                                  # Ctrl+Enter, then Enter
    d.session.results                                           # what was stored

Every posted event is stamped with the injected clock when the app reads it, exactly as the
real loop stamps keyboard events with ``perf_counter``; ``d.wait(s)`` moves time on in frame
steps. A driver with its own timing (``simulate.drive``) posts ``key_down``/``key_up``/``text``,
moves the clock with ``step_to`` and finds widgets with ``rect``/``shown``; a button's key comes
from the button (``shortcut_key``, ``press``), never from a table of its own. This is the one
headless driving API: nothing else posts pygame events to the workstation.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pygame

from typingtest.config import Settings
from typingtest.workstation.app import App
from typingtest.workstation.audio_link import CallerAudio
from typingtest.workstation.clock import ManualClock
from typingtest.workstation.session import Session, TaskSpec
from typingtest.workstation.widgets import Button

__all__ = ["Driver"]


@dataclass
class Driver:
    """A scripted candidate in front of a headless workstation."""

    app: App
    session: Session
    clock: ManualClock

    @classmethod
    def open(cls, settings: Settings, store: Any, *, battery: str | None = None, specs: list[TaskSpec] | None = None,
             intake: bool | None = None, candidate: str | None = None, lang: str = "nl", single: bool = False,
             size: tuple[int, int] = (1280, 720), seed: int = 1, silent_audio: bool = True,
             keyboard_layout: str | None = None) -> Driver:
        """Open the workstation headless on a battery (by name) or on ``specs``; show the first step.
        A battery's retake gets parallel forms as with ``typingtest run`` (``runner.parallel_forms``)."""
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
        from typingtest.workstation.runner import install_hotkeys, parallel_forms, specs_from_battery

        clock = ManualClock(1000.0)
        app = App(settings, size=size, clock=clock)
        install_hotkeys(app)
        battery_id = "headless"
        forms = None
        if battery is not None:
            from typingtest.content import load_battery

            b = load_battery(battery, lang=lang, passages=settings.passages_dir)  # as `run` does
            specs, has_intake = specs_from_battery(b, settings, seed)
            battery_id = b.id
            intake = has_intake if intake is None else intake
            forms = parallel_forms(b, settings)  # as `run` does (runner.plan_run)
        audio = CallerAudio(clock.now, silent=True) if silent_audio else None
        session = Session(app, settings, store, battery_id=battery_id, specs=specs or [], candidate_id=candidate,
                          language=lang, intake=bool(intake) and not single, instructions=not single,
                          closing=not single, audio=audio, keyboard_layout=keyboard_layout)
        session.choose_forms = forms  # parallel forms once the candidate is known
        session.start()
        app.pump()
        return cls(app, session, clock)

    # time and input -------------------------------------------------------------------------------
    def now(self) -> float:
        """The injected clock (seconds)."""
        return float(self.clock.now())

    def wait(self, seconds: float) -> None:
        """Let ``seconds`` pass (frames run, cues fire, audio plays)."""
        self.app.advance(seconds)

    def step_to(self, t: float) -> None:
        """Move the clock to ``t`` in one step and handle what is due there (one ``pump``): for a
        driver that chooses its own steps (``simulate.drive`` steps at most 0.1 s)."""
        self.clock.set(max(self.now(), t))
        self.app.pump()

    def pump(self) -> None:
        """Read, stamp (with the clock as it is) and handle the input posted; one frame's update and draw."""
        self.app.pump()

    def key_down(self, key: int, mod: int = 0, text: str = "") -> None:
        """Post a key press (handled at the next ``pump``; no time passes)."""
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, scancode=0, unicode=text))

    def key_up(self, key: int, mod: int = 0) -> None:
        """Post a key release (handled at the next ``pump``)."""
        pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=mod, scancode=0, unicode=""))

    def text(self, text: str) -> None:
        """Post committed text (what the system's text input gives for a key or an IME; next ``pump``)."""
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=text))

    def rect(self, name: str) -> tuple[int, int, int, int] | None:
        """Where a widget (or ``list:<row id>``) is on screen, (x, y, w, h) pixels; None when not shown."""
        r = self.app.widget_rect(name)
        return None if r is None else (r.x, r.y, r.w, r.h)

    def shown(self, name: str) -> bool:
        """True when the widget (or list row) ``name`` is on screen now."""
        return self.app.widget_rect(name) is not None

    def shortcut_key(self, button: str) -> int:
        """The key of the button ``button`` on screen (its ``shortcut``: ``Scene.press_shortcut``
        presses it); KeyError when no such button with a function key is shown."""
        layer = self.app.overlay if self.app.overlay is not None else self.app.scene
        for w in layer.widgets if layer is not None else ():
            if isinstance(w, Button) and w.name == button and w.visible and w.key is not None:
                return w.key
        raise KeyError(f"no button {button!r} with a function key on screen; shown: "
                       f"{', '.join(self.app.widget_names())}")

    def press(self, button: str, after: float = 0.12) -> None:
        """Press the key of the button ``button`` (its shortcut, as a candidate who reads it), then wait."""
        self.key(self.shortcut_key(button), after=after)

    def enter(self, after: float = 0.1) -> None:
        """Press Enter, then wait."""
        self.key(pygame.K_RETURN, after=after)

    def select_all(self, after: float = 0.15) -> None:
        """Ctrl+A in the focused field (what is typed next replaces its text), then wait."""
        self.key(pygame.K_a, pygame.KMOD_LCTRL, after=after)

    def key(self, key: int, mod: int = 0, after: float = 0.1) -> None:
        """Press and release a key, then wait ``after`` seconds."""
        self.app.post_key(key, mod)
        self.app.advance(after)

    def type(self, text: str, interval: float = 0.15) -> None:
        """Type ``text`` into the focused field ("\\b" = Backspace, "\\n" = Enter)."""
        self.app.type_text(text, interval)

    def click(self, name: str, after: float = 0.2) -> None:
        """Click a widget (or ``list:<row id>``), then wait."""
        self.app.click(name)
        self.app.advance(after)

    def type_into(self, field: str, text: str, interval: float = 0.12) -> None:
        """Click a field and type into it."""
        self.click(field, after=0.1)
        self.type(text, interval)

    @property
    def scene(self) -> Any:
        """The current scene."""
        return self.app.scene

    # steps --------------------------------------------------------------------------------------------
    def intake(self, candidate: str, layout: str | None = None) -> None:
        """Go through the intake: id, consent, keyboard (``layout`` clicked when given) and its check,
        headset check."""
        from typingtest.workstation.intake import LAYOUT_CHECK_TEXTS

        scene = self.scene
        self.type(candidate, 0.1)
        self.key(pygame.K_RETURN)
        self.click("agree")
        if layout is not None:
            self.click(f"layout:{layout}")
        self.type(LAYOUT_CHECK_TEXTS[scene.keyboard_layout], 0.1)
        self.key(pygame.K_RETURN)
        self.wait(1.5)
        self.type(scene.headset_word, 0.1)
        self.key(pygame.K_RETURN)

    def start_task(self) -> None:
        """Leave the instructions, the practice's result or the ready screen (Enter), once the
        screen takes input (``App.input_guard_left``: a candidate reads it first)."""
        self.wait(self.app.input_guard_left())
        self.key(pygame.K_RETURN, after=0.5)

    def finish(self) -> None:
        """End the task: Ctrl+Enter, then Enter to confirm."""
        self.key(pygame.K_RETURN, pygame.KMOD_LCTRL, after=0.3)
        self.key(pygame.K_RETURN, after=0.3)
