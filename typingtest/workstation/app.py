"""The window, the event loop that stamps every event, and the driving API for headless runs.

The loop (``App.run``) follows the design's timing rules:

1. wait for the next event with ``pygame.event.wait(timeout)`` until the next frame is due,
   stamp it with the clock the moment it is read, then drain and stamp every pending event;
2. once a frame (60 Hz) call the scene's ``update``;
3. draw only the widgets that changed (dirty rects), only when something changed, and during
   a burst of keys only in the quiet gap just after a key (at most ``MAX_DEFER_S`` later), so
   a key never waits in the queue behind a redraw.

Headless runs (``SDL_VIDEODRIVER=dummy``) use a ``ManualClock``: a driver posts events
(``post_key``, ``post_text``, ``click``, ``type_text``) and moves time with ``advance(dt)``;
every event is stamped with the injected clock. ``widget_rect(name)`` says where a widget is.
"""

from __future__ import annotations

import collections
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pygame

from typingtest.config import Settings
from typingtest.engine.events import EventKind
from typingtest.workstation.clock import Clock, ManualClock, PerfClock
from typingtest.workstation.i18n import Translator
from typingtest.workstation.recorder import FINISH_TARGET, EventRecorder
from typingtest.workstation.scene import Overlay, Scene
from typingtest.workstation.sdl_env import FRAMEBUFFER_ACCELERATION, prepare_sdl_environment
from typingtest.workstation.theme import Theme
from typingtest.workstation.widgets import ListBox, TextField, Widget

__all__ = [
    "BEFORE_START_TARGET",
    "BURST_S",
    "COST_QUANTILE",
    "COST_WINDOW",
    "DRAW_MARGIN_S",
    "FRAMEBUFFER_ACCELERATION",
    "FRAME_S",
    "MAX_DEFER_S",
    "App",
    "Hotkey",
    "Incident",
    "planned_draw_cost",
]

#: Frame period (seconds): scene updates run at 60 Hz.
FRAME_S = 1 / 60
#: Longest a redraw waits for a gap in a burst of keys (seconds).
MAX_DEFER_S = 0.1
#: Keys closer together than this (seconds) count as a burst.
BURST_S = 0.35
#: The interpreter's thread switch interval while the loop runs (seconds; Python's default is 0.005).
GIL_SWITCH_S = 0.0005
#: A draw in a burst must end this long (seconds) before the next key is expected.
DRAW_MARGIN_S = 0.005
#: How many recent draws (draw + display update) the burst rule's cost estimate looks at.
COST_WINDOW = 32
#: The quantile of those costs the burst rule plans with: under Xvfb at 1920x1080 a display
#: update of any rectangle costs 27 ms median but 41 ms p90 (the X server's round trip), so a
#: mean underestimates the draws that run into the next key.
COST_QUANTILE = 0.9
#: Key repeat for held editing keys (backspace, arrows): delay and interval in milliseconds.
KEY_REPEAT_MS = (500, 35)

_ENTER = (pygame.K_RETURN, pygame.K_KP_ENTER)
#: Target of the release (KEY_UP) of a key pressed before the attempt began (the Enter that started
#: it, a key held through the preparation): logged as such, no part of any field's key presses.
BEFORE_START_TARGET = "before-start"


def planned_draw_cost(costs: Iterable[float]) -> float:
    """The draw cost (seconds) the burst rule plans with: the ``COST_QUANTILE`` of ``costs``
    (the recent draw + display update times, seconds; nearest rank, at least one value)."""
    ordered = sorted(costs)
    return ordered[min(len(ordered) - 1, int(COST_QUANTILE * len(ordered)))]


@dataclass(frozen=True)
class Hotkey:
    """A key with modifiers that acts wherever the candidate is (before overlays and scenes): the
    runner registers them (``App.hotkeys``; the proctor's Ctrl+Alt+P), so the app knows no proctor.

    ``mod``: the modifiers that must be held (``pygame.KMOD_CTRL``, ``KMOD_ALT``, ``KMOD_SHIFT``, or'ed);
    ``action(t)`` returns False when it does not act now (the key then goes on as usual).
    """

    key: int
    mod: int
    action: Callable[[float], bool]

    def held(self, key: int, mod: int) -> bool:
        """True when ``key`` with ``mod`` held is this hotkey (either Ctrl, Alt or Shift key counts)."""
        return key == self.key and all(not (self.mod & group) or mod & group
                                       for group in (pygame.KMOD_CTRL, pygame.KMOD_ALT, pygame.KMOD_SHIFT))


@dataclass
class Incident:
    """Something the proctor should see: focus lost, paste attempt, pause, task without audio."""

    t: float  # seconds on the loop's clock
    kind: str
    detail: str = ""


class App:
    """The workstation window: swaps scenes, stamps and logs every input, draws what changed."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        size: tuple[int, int] = (1280, 720),
        clock: Clock | None = None,
        fullscreen: bool = False,
        ui_lang: str | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.clock: Clock = clock or PerfClock()
        prepare_sdl_environment()  # read by SDL when the window surface is made
        pygame.display.init()
        pygame.font.init()
        flags = pygame.FULLSCREEN if fullscreen else 0
        self.screen = pygame.display.set_mode((0, 0) if fullscreen else size, flags)
        pygame.display.set_caption("typingtest")
        pygame.key.set_repeat(*KEY_REPEAT_MS)
        pygame.key.start_text_input()
        self.theme = Theme(self.screen.get_size(), self.settings.font_scale, self.settings.high_contrast)
        self.tr = Translator(ui_lang or self.settings.ui_lang)
        self.scene: Scene | None = None
        self.overlay: Overlay | None = None
        self.focus: Widget | None = None
        self.recorder: EventRecorder | None = None
        self.incidents: list[Incident] = []
        self.running = False
        self.paused = False
        self._full = True
        #: keys held down now, (key, scancode) -> the target their press was logged with
        self._key_targets: dict[tuple[int, int], str] = {}
        #: the input guard of the scene shown (``Scene.input_guard_s``): keys are ignored until
        #: ``_guard_until`` (seconds on the loop's clock), and a key held when it was armed never acts
        self._guard_until: float | None = None
        self._guard_held: set[tuple[int, int]] = set()
        self._last_input = -1.0
        self._iki = 1.0
        self._deferred_since: float | None = None
        #: seconds: the last ``COST_WINDOW`` costs of one draw + display update
        self._recent_costs: collections.deque[float] = collections.deque([0.002], maxlen=COST_WINDOW)
        self._cost_estimate = 0.002
        self._next_frame = self.clock.now()
        self._last_update = self.clock.now()
        #: Per-frame drawing cost (seconds, the part the code controls) and display-update cost.
        self.draw_costs: collections.deque[float] = collections.deque(maxlen=100_000)
        self.update_costs: collections.deque[float] = collections.deque(maxlen=100_000)
        #: The drawing cost in CPU time of this thread (seconds): what the code costs when the
        #: machine is busy with other work too.
        self.draw_cpu_costs: collections.deque[float] = collections.deque(maxlen=100_000)
        self.frames = 0
        #: ``time.perf_counter()`` when the first frame was on screen (start-up time).
        self.first_frame_at: float | None = None
        #: Called once a frame with ``now`` (the session polls the audio player here).
        self.on_frame: list[Callable[[float], None]] = []
        #: Called when the window is closed (the session ends the attempt as interrupted).
        self.on_quit: Callable[[], None] | None = None
        #: Keys that act wherever the candidate is (``runner.install_hotkeys``: the proctor's panel).
        self.hotkeys: list[Hotkey] = []
        #: Starts the check of a console's one-time proctor code off the UI thread (``room_link``): a
        #: ``proctor.CodeCheck`` the proctor panel polls each frame, or None when it is not a console's code.
        self.proctor_code_check: Callable[[str], object] | None = None

    # scenes ---------------------------------------------------------------------------------
    def show(self, scene: Scene) -> None:
        """Make ``scene`` the current screen."""
        if self.scene is not None:
            self.scene.on_hide()
        self.overlay = None
        self.scene = scene
        self.focus = None
        scene.layout(self.theme)
        self.clear_input_guard()
        if scene.input_guard_s > 0:
            self.arm_input_guard(scene.input_guard_s)
        scene.on_show()
        if scene.initial_focus and scene.has_widget(scene.initial_focus):
            self.set_focus(scene.widget(scene.initial_focus))
        self.invalidate()

    def show_wait(self, text: str) -> None:
        """Put ``text`` alone on the screen at once, before a slow preparation (the loop is not
        running meanwhile, so nothing else would tell the candidate to wait)."""
        self.screen.fill(self.theme.color("bg"))
        image = self.theme.font(28).render(text, True, self.theme.color("text"))
        self.screen.blit(image, image.get_rect(center=self.screen.get_rect().center))
        pygame.display.flip()
        self.invalidate()

    def discard_input(self) -> int:
        """Drop the key, text and mouse-button events waiting in the queue; returns how many were
        new input (a fresh key press or a click).

        For input made while the loop was busy preparing the next screen: it was typed at a
        screen that was not the task's, and stamped now it would enter the task hundreds of
        milliseconds late (bunched with the first real keys). Auto-repeat of a key held since
        before (SDL's repeat flag, or a key already down) is no new input and is not counted; a
        release updates the held-keys table, so the key's next press in the task is a press (its
        KEY_DOWN row), not taken for a repeat."""
        types = [pygame.KEYDOWN, pygame.KEYUP, pygame.TEXTINPUT, pygame.TEXTEDITING, pygame.MOUSEBUTTONDOWN,
                 pygame.MOUSEBUTTONUP]
        fresh = 0
        for ev in pygame.event.get(types):
            if ev.type == pygame.KEYDOWN:
                ident = (ev.key, ev.scancode)
                if not (ident in self._key_targets or getattr(ev, "repeat", 0)):
                    fresh += 1
                self._key_targets[ident] = BEFORE_START_TARGET
            elif ev.type == pygame.KEYUP:
                self._key_targets.pop((ev.key, ev.scancode), None)
            elif ev.type == pygame.MOUSEBUTTONDOWN:
                fresh += 1
        return fresh

    def keys_held_before_start(self) -> None:
        """An attempt begins: the keys down now were pressed before it; their releases are logged
        with target ``BEFORE_START_TARGET`` and their repeats are no key presses."""
        for ident in self._key_targets:
            self._key_targets[ident] = BEFORE_START_TARGET

    def arm_input_guard(self, seconds: float) -> None:
        """Ignore keys and clicks on the scene for ``seconds`` from now, and keys held now until they
        are released and pressed again (a fresh press): an instruction or result screen must not be
        skipped by the Enter that ended the step before, or by its auto-repeat."""
        self._guard_until = self.clock.now() + seconds
        self._guard_held = set(self._key_targets)

    def clear_input_guard(self) -> None:
        """Input reaches the scene again as usual (repeats included: a held Backspace in a field)."""
        self._guard_until = None
        self._guard_held = set()

    def input_guard_left(self) -> float:
        """Seconds until the scene shown takes input (0 when it does now)."""
        if self._guard_until is None:
            return 0.0
        return max(0.0, self._guard_until - self.clock.now())

    def _guarded(self, t: float, ident: tuple[int, int] | None = None, repeat: bool = False) -> bool:
        """True when input at ``t`` must not reach the scene (its guard: too soon, a repeat, a key
        held since before the scene appeared)."""
        if self._guard_until is None or self.overlay is not None:
            return False
        too_soon = t < self._guard_until - 1e-6  # a microsecond's slack for sums of frame steps
        return too_soon or repeat or (ident is not None and ident in self._guard_held)

    def open_overlay(self, overlay: Overlay) -> None:
        """Show a modal overlay over the current scene."""
        self.overlay = overlay
        overlay.layout(self.theme)
        overlay.on_show()
        self.invalidate()

    def close_overlay(self) -> None:
        """Close the overlay (the screen is redrawn)."""
        if self.overlay is not None:
            self.overlay.on_hide()
        self.overlay = None
        self.invalidate()

    def invalidate(self) -> None:
        """Redraw the whole screen at the next draw (scene change, dialog, visibility change)."""
        self._full = True

    def quit(self) -> None:
        """Leave ``run`` after this frame."""
        self.running = False

    # logging ---------------------------------------------------------------------------------
    def log(self, kind: EventKind, t: float, **fields: object) -> None:
        """Record an event of the current attempt (none outside attempts)."""
        if self.recorder is not None:
            self.recorder.add(kind, t, **fields)  # type: ignore[arg-type]

    def incident(self, t: float, kind: str, detail: str = "") -> None:
        """Add to the session's incidents (shown to the proctor) and log it as a marker."""
        self.incidents.append(Incident(t, kind, detail))
        self.log(EventKind.MARKER, t, text=f"incident:{kind}"[:64], target=detail[:64])

    # focus ------------------------------------------------------------------------------------
    def _layer(self) -> Scene | None:
        return self.overlay if self.overlay is not None else self.scene

    def set_focus(self, widget: Widget | None, t: float | None = None) -> None:
        """Give the keyboard focus to ``widget`` (logged as FIELD_FOCUS)."""
        if widget is self.focus:
            return
        if self.focus is not None:
            self.focus.focused = False
            self.focus.dirty = True
        self.focus = widget
        if widget is not None:
            widget.focused = True
            widget.dirty = True
            self.log(EventKind.FIELD_FOCUS, self.clock.now() if t is None else t, target=widget.name)

    def focus_next(self, t: float, backwards: bool = False) -> None:
        """Tab order: the layer's focusable widgets in the order added."""
        layer = self._layer()
        if layer is None:
            return
        order = [w for w in layer.widgets if w.focusable and w.visible and w.enabled]
        if not order:
            return
        i = order.index(self.focus) if self.focus in order else -1
        self.set_focus(order[(i + (-1 if backwards else 1)) % len(order)], t)

    # input -----------------------------------------------------------------------------------
    def _target(self) -> str:
        if self.overlay is not None:
            return self.overlay.target
        return self.focus.name if self.focus is not None else ""

    def handle(self, ev: pygame.event.Event, t: float) -> None:
        """Log and dispatch one event read at ``t`` (seconds on the loop's clock)."""
        et = ev.type
        if et == pygame.KEYDOWN:
            self._last_input, self._iki = t, min(1.0, t - self._last_input) if self._last_input >= 0 else 1.0
            self._key_down(ev, t)
        elif et == pygame.KEYUP:
            self._guard_held.discard((ev.key, ev.scancode))  # released: its next press is a fresh one
            target = self._key_targets.pop((ev.key, ev.scancode), self._target())
            if getattr(self.overlay, "secret", False):
                self.log(EventKind.KEY_UP, t, target=target)
            else:
                self.log(EventKind.KEY_UP, t, key=ev.key, scancode=ev.scancode, mod=ev.mod, target=target)
        elif et == pygame.TEXTINPUT:
            self._text(ev.text, t)
        elif et == pygame.MOUSEBUTTONDOWN and ev.button in (1, 2, 3):
            self._click(ev.pos, ev.button, t)
        elif et == pygame.MOUSEWHEEL:
            w = self.widget_at(pygame.mouse.get_pos())
            if isinstance(w, ListBox):
                w.scroll(-int(ev.y), self.theme)
        elif et == pygame.WINDOWFOCUSLOST:
            self._key_targets.clear()  # releases made elsewhere never come back to us
            self.log(EventKind.WINDOW_FOCUS_LOST, t)
            self.incident(t, "focus-lost")
        elif et == pygame.WINDOWFOCUSGAINED:
            self.log(EventKind.WINDOW_FOCUS_GAINED, t)
        elif et in (pygame.WINDOWEXPOSED, pygame.VIDEOEXPOSE):
            self.invalidate()
        elif et == pygame.QUIT:
            if self.on_quit is not None:
                self.on_quit()
            else:
                self.quit()

    def _key_down(self, ev: pygame.event.Event, t: float) -> None:
        key, mod = ev.key, ev.mod
        ctrl, shift = bool(mod & pygame.KMOD_CTRL), bool(mod & pygame.KMOD_SHIFT)
        finishing = key in _ENTER and (ctrl or (self.overlay is not None and self.overlay.target == FINISH_TARGET))
        target = FINISH_TARGET if finishing else self._target()
        # a held key's repeats are not key presses: no KEY_DOWN row, but their effect (a TEXT
        # row from the system's repeat, an EDIT row for a repeated Backspace) is logged
        ident = (key, ev.scancode)
        repeat = ident in self._key_targets or bool(getattr(ev, "repeat", 0))
        self._key_targets.setdefault(ident, target)  # a repeat keeps its press's target (``before-start``)
        if finishing:  # the Ctrl of Ctrl+Enter belongs to the shortcut (its release too)
            for k in list(self._key_targets):
                if k[0] in (pygame.K_LCTRL, pygame.K_RCTRL):
                    self._key_targets[k] = FINISH_TARGET
        if repeat:
            pass
        elif self.overlay is not None and self.overlay.secret:  # the proctor code: timing kept, keys hidden
            self.log(EventKind.KEY_DOWN, t, target=target)
        else:
            self.log(EventKind.KEY_DOWN, t, key=key, scancode=ev.scancode, mod=mod, target=target)
        for hotkey in self.hotkeys:
            if hotkey.held(key, mod) and hotkey.action(t):
                return
        if self.overlay is not None:
            if not self.overlay.press_shortcut(key):
                self.overlay.on_key(key, mod, t)
            return
        scene = self.scene
        if scene is None:
            return
        if self._guarded(t, ident, repeat):  # too soon after the screen appeared, or not a fresh press
            return
        if (ctrl and key == pygame.K_v) or (shift and key == pygame.K_INSERT):
            self.log(EventKind.PASTE_ATTEMPT, t, target=target)
            self.incident(t, "paste-attempt", target)
            return
        if ctrl and key in _ENTER and scene.is_task:
            scene.request_finish(t)
            return
        if key == pygame.K_TAB:
            self.focus_next(t, backwards=shift)
            return
        if scene.press_shortcut(key) or scene.on_key(key, mod, t):
            return
        w = self.focus
        if isinstance(w, TextField):
            if key in _ENTER and not ctrl:
                if w.multiline:  # a line break in a note; nothing in an answer without breaks
                    if w.newlines and not w.readonly:
                        self.log(EventKind.TEXT, t, text="\n", target=w.name)
                        w.insert("\n")
                elif not scene.on_submit(w, t):
                    self.focus_next(t)
                return
            op = w.key_op(key, mod, self.theme)
            if op is not None:
                self.log(EventKind.EDIT, t, text=op[0], target=w.name, mod=mod, x=op[1], y=op[2])
                w.apply(*op)
            return
        if w is not None:
            w.on_key(key, mod, self.theme)

    def _text(self, text: str, t: float) -> None:
        if self.overlay is not None:
            if not self.overlay.secret:
                self.log(EventKind.TEXT, t, text=text, target=self.overlay.target)
            self.overlay.on_text(text, t)
            return
        w = self.focus
        if isinstance(w, TextField) and not w.readonly:
            self.log(EventKind.TEXT, t, text=text, target=w.name)
            w.insert(text)
        else:
            self.log(EventKind.TEXT, t, text=text, target="")

    def widget_at(self, pos: tuple[int, int]) -> Widget | None:
        """The topmost visible widget under a point (overlay first)."""
        layer = self._layer()
        if layer is None:
            return None
        for w in reversed(layer.widgets):
            if w.visible and w.rect.collidepoint(pos):
                return w
        return None

    def _click(self, pos: tuple[int, int], button: int, t: float) -> None:
        w = self.widget_at(pos)
        name = w.name if w is not None else ""
        if isinstance(w, ListBox):
            row = w.row_at(pos, self.theme)
            if row >= 0:
                name = f"{w.name}:{w.row_ids[row] if row < len(w.row_ids) else row}"
        self.log(EventKind.CLICK, t, target=name[:64], x=pos[0], y=pos[1], key=button)
        if button == 2 and isinstance(w, TextField):  # X11 middle-click paste
            self.log(EventKind.PASTE_ATTEMPT, t, target=w.name)
            self.incident(t, "paste-attempt", w.name)
            return
        if button != 1 or w is None or not w.enabled or self._guarded(t):
            return
        if w.focusable:
            self.set_focus(w, t)
        for op, x, y in w.on_click(pos, self.theme):
            self.log(EventKind.EDIT, t, text=op, target=w.name, x=x, y=y)
            assert isinstance(w, TextField)
            w.apply(op, x, y)

    # frames ----------------------------------------------------------------------------------
    def _tick(self, now: float) -> None:
        dt = now - self._last_update
        self._last_update = now
        if self.settings.redraw_every_frame:
            self._full = True  # diagnostic: the whole window each frame (the burst rule still applies)
        for cb in list(self.on_frame):
            cb(now)
        if self.scene is not None and not self.paused:
            self.scene.update(dt, now)
        if self.overlay is not None:
            self.overlay.update(dt, now)

    def needs_draw(self) -> bool:
        """True when something on screen changed since the last draw."""
        if self._full:
            return True
        if self.overlay is not None:
            return any(w.dirty and w.visible for w in self.overlay.widgets)
        return self.scene is not None and any(w.dirty and w.visible for w in self.scene.widgets)

    def draw(self) -> list[pygame.Rect]:
        """Draw what changed and update those rectangles of the display; returns them."""
        t0 = time.perf_counter()
        c0 = time.thread_time()
        surface, theme = self.screen, self.theme
        rects: list[pygame.Rect] = []
        if self._full:
            self._full = False
            if self.scene is not None:
                self.scene.draw_background(surface, theme)
                for w in self.scene.widgets:
                    if w.visible:
                        w.draw(surface, theme)
                    w.dirty = False
            if self.overlay is not None:
                veil = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
                veil.fill((*theme.color("overlay"), 150))
                surface.blit(veil, (0, 0))
                self.overlay.draw_background(surface, theme)
                for w in self.overlay.widgets:
                    if w.visible:
                        w.draw(surface, theme)
                    w.dirty = False
            rects = [surface.get_rect()]
        else:
            layer = self._layer()
            bg = theme.color("panel") if self.overlay is not None else theme.color("bg")
            for w in layer.widgets if layer is not None else ():
                if w.dirty and w.visible:
                    part = w.draw_partial(surface, theme)
                    if part is not None:
                        rects.extend(part)
                    else:
                        if not w.opaque:
                            surface.fill(bg, w.rect)
                        w.draw(surface, theme)
                        rects.append(w.rect)
                w.dirty = False
        t1 = time.perf_counter()
        self.draw_cpu_costs.append(time.thread_time() - c0)
        if rects:
            pygame.display.update(rects)
        t2 = time.perf_counter()
        self.draw_costs.append(t1 - t0)
        self.update_costs.append(t2 - t1)
        self._recent_costs.append(t2 - t0)
        self._cost_estimate = planned_draw_cost(self._recent_costs)
        self.frames += 1
        if self.first_frame_at is None:
            self.first_frame_at = t2
        return rects

    def _may_draw(self, now: float) -> bool:
        """Burst rule: during a burst of keys, draw only when the draw should be over before the
        next key is due (the last interval predicts it, the draw's cost is the ``COST_QUANTILE``
        of the recent draws), i.e. right after a key; when even that does not fit, draw at most
        every ``MAX_DEFER_S``, and then too right after a key."""
        since = now - self._last_input
        if since > BURST_S or self._iki > BURST_S:
            self._deferred_since = None
            return True
        cost = self._cost_estimate
        if since + cost <= self._iki - DRAW_MARGIN_S:
            self._deferred_since = None
            return True
        if self._deferred_since is None:
            self._deferred_since = now
        if now - self._deferred_since >= MAX_DEFER_S and since <= DRAW_MARGIN_S:
            self._deferred_since = None
            return True
        return False

    def run(self) -> None:
        """The real-time loop: wait, stamp, dispatch, update at 60 Hz, draw what changed."""
        clock = self.clock
        self.running = True
        self._next_frame = clock.now()
        self._run_started, self._run_frames = clock.now(), self.frames
        # the audio callback and the journal flusher are Python threads: when a key wakes this
        # loop it must get the GIL back quickly, not after the default 5 ms switch interval
        sys.setswitchinterval(GIL_SWITCH_S)
        while self.running:
            timeout = self._next_frame - clock.now()
            ev = pygame.event.wait(max(0, int(timeout * 1000))) if timeout > 0.001 else pygame.event.poll()
            t = clock.now()
            if ev.type != pygame.NOEVENT:
                # stamp every pending event before handling any, so handling one (text layout,
                # journal append) never delays the stamp of the next
                pending = pygame.event.get()
                t_rest = clock.now()
                self.handle(ev, t)
                for ev in pending:
                    self.handle(ev, t_rest)
            now = clock.now()
            if now >= self._next_frame:
                self._tick(now)
                self._next_frame = max(self._next_frame + FRAME_S, now + 0.001)
            if self.needs_draw() and not pygame.event.peek() and self._may_draw(clock.now()):
                self.draw()
        if self.settings.redraw_every_frame:  # the diagnostic's own figures (no candidate data)
            seconds = clock.now() - self._run_started
            costs = sorted(self.draw_costs)
            p99 = costs[min(len(costs) - 1, int(0.99 * len(costs)))] * 1000 if costs else 0.0
            print(f"typingtest: redraw_every_frame: {self.frames - self._run_frames} frames in {seconds:.1f} s "
                  f"({(self.frames - self._run_frames) / max(seconds, 1e-9):.1f} per s), draw p99 {p99:.2f} ms",
                  file=sys.stderr)

    # headless driving ---------------------------------------------------------------------------
    def pump(self) -> None:
        """Read, stamp and dispatch every pending event, run one update and draw what changed."""
        for ev in pygame.event.get():
            self.handle(ev, self.clock.now())
        self._tick(self.clock.now())
        if self.needs_draw():
            self.draw()

    def advance(self, dt: float = FRAME_S) -> None:
        """Headless: move the injected clock ``dt`` seconds (in frame steps) and pump each frame."""
        if not isinstance(self.clock, ManualClock):
            raise TypeError("advance() needs a ManualClock (headless runs)")
        end = self.clock.now() + dt
        self.pump()
        while self.clock.now() < end - 1e-12:
            self.clock.set(min(end, self.clock.now() + FRAME_S))
            self.pump()

    def widget_names(self) -> list[str]:
        """Names of the visible widgets of the current layer (overlay first, if any)."""
        layer = self._layer()
        return [w.name for w in layer.widgets if w.visible] if layer is not None else []

    def widget_rect(self, name: str) -> pygame.Rect | None:
        """Where a widget is on screen (pixels), or None when not shown.

        ``"list:3"`` names row 3 of list box ``list``; ``"list:<row id>"`` a row by its id.
        """
        layer = self._layer()
        if layer is None:
            return None
        base, _, row = name.partition(":")
        for w in layer.widgets:
            if w.visible and w.name == name:
                return pygame.Rect(w.rect)
        for w in layer.widgets:
            if w.visible and w.name == base and isinstance(w, ListBox) and row:
                i = w.row_ids.index(row) if row in w.row_ids else (int(row) if row.isdigit() else -1)
                if 0 <= i < len(w.rows):
                    w._show(i, self.theme)
                    return w.row_rect(i, self.theme)
        return None

    def post_key(self, key: int, mod: int = 0, *, up: bool = True, scancode: int = 0) -> None:
        """Post a key press (and release) as the keyboard would."""
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, scancode=scancode, unicode=""))
        if up:
            pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=mod, scancode=scancode, unicode=""))

    def post_text(self, text: str) -> None:
        """Post the key press and committed text of one character (or an IME commit)."""
        c = text[:1].lower()
        key = ord(c) if c else 0
        mod = pygame.KMOD_LSHIFT if text[:1].isupper() else 0
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, scancode=0, unicode=text))
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=text))
        pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=mod, scancode=0, unicode=text))

    def click(self, name: str, button: int = 1) -> None:
        """Post a click in the middle of a widget (or list row); KeyError when it is not shown."""
        r = self.widget_rect(name)
        if r is None:
            raise KeyError(f"no visible widget {name!r}; visible: {', '.join(self.widget_names())}")
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=r.center, button=button))
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=r.center, button=button))

    def type_text(self, text: str, interval: float = 0.15) -> None:
        """Headless: type ``text`` one character every ``interval`` seconds ("\\b" = backspace,
        "\\n" = Enter)."""
        for ch in text:
            if ch == "\b":
                self.post_key(pygame.K_BACKSPACE)
            elif ch == "\n":
                self.post_key(pygame.K_RETURN)
            else:
                self.post_text(ch)
            self.advance(interval)
