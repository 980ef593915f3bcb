"""Replay of a stored attempt from its event log, for trainers and for a recruiter who doubts
a result: the text appears keystroke by keystroke in the field it was typed in, clicks are
marked where they happened, screen events and caller lines are listed at their times, and
caller lines are heard at their onsets when the audio can be rendered. At a speed S other than
1 the onsets come S times sooner and each line is resampled to last 1/S of its length, so its
pitch changes by the factor S (a chipmunk voice at 2, a low one at 0.5): the words stay those
the candidate heard, in step with the typing.

The editing is the same ``TextBuffer`` the live field used, so what is shown is what the
candidate saw.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import pygame

from typingtest.engine.events import EventKind
from typingtest.engine.textbuffer import TextBuffer
from typingtest.workstation.scene import Scene
from typingtest.workstation.theme import Theme
from typingtest.workstation.widgets import Label, ListBox, TextField, TextPanel, Widget

if TYPE_CHECKING:
    from typingtest.workstation.app import App

__all__ = ["ClickMarker", "ReplayScene", "line_at_speed", "replay_audio", "run_replay"]

_KIND_NAMES = {int(k): k.name for k in EventKind}


class ClickMarker(Widget):
    """A ring where the last click was."""

    def draw(self, surface: pygame.Surface, theme: Theme) -> None:
        pygame.draw.circle(surface, theme.color("caret"), self.rect.center, self.rect.w // 2, width=theme.px(3))


class ReplayScene(Scene):
    """Plays ``log`` back at ``speed`` times real time."""

    name = "replay"

    def __init__(self, app: App, log: np.ndarray, *, title: str = "", presented: str | None = None,
                 speed: float = 1.0, audio: Any = None) -> None:
        super().__init__(app)
        self.log = np.sort(log, order="t", kind="stable") if len(log) else log
        self.speed = float(speed)
        self.audio = audio
        self.buffers: dict[str, TextBuffer] = {}
        self.next_row = 0
        self.t_play = 0.0
        self.started_at: float | None = None
        self.finished = False
        self.add(Label("title", f"{app.tr('replay_title')}: {title}", size=26))
        self.add(Label("clock", "", size=24, align="center"))
        self.add(TextPanel("presented", presented or "", size=18))
        self.presented_shown = bool(presented)
        self.widget("presented").visible = self.presented_shown
        self.add(Label("field-name", "", size=18, color="muted"))
        self.field = TextField("replay-field", multiline=True, size=20)
        self.field.readonly = True
        self.field.focused = True
        self.add(self.field)
        self.events = ListBox("replay-events", size=15, row_height=22)
        self.add(self.events)
        self._event_rows: list[str] = []
        self.marker = ClickMarker("click-marker")
        self.marker.visible = False
        self.add(self.marker)

    def layout(self, theme: Theme) -> None:
        r = theme.rect
        self.widget("title").set_rect(r(20, 12, 900, 36))
        self.widget("clock").set_rect(r(1040, 12, 220, 36))
        self.widget("presented").set_rect(r(20, 56, 820, 250))
        top = 316 if self.presented_shown else 56
        self.widget("field-name").set_rect(r(20, top, 820, 24))
        self.widget("replay-field").set_rect(r(20, top + 26, 820, 690 - top - 26))
        self.widget("replay-events").set_rect(r(856, 56, 410, 650))

    def on_show(self) -> None:
        self.started_at = self.app.clock.now()

    def _apply(self, row: np.void) -> None:
        kind, text, target = int(row["kind"]), str(row["text"]), str(row["target"])
        if kind in (EventKind.TEXT, EventKind.EDIT) and target:
            buf = self.buffers.setdefault(target, TextBuffer())
            if kind == EventKind.TEXT:
                buf.insert(text)
            else:
                buf.apply(text, int(row["x"]), int(row["y"]))
            if self.widget("field-name").text != target:  # type: ignore[attr-defined]
                self.widget("field-name").set_text(target)  # type: ignore[attr-defined]
            self.field.buffer = TextBuffer(buf.text, buf.caret, buf.anchor)
            self.field.dirty = True
        elif kind == EventKind.CLICK:
            self.marker.set_rect(pygame.Rect(int(row["x"]) - 12, int(row["y"]) - 12, 24, 24))
            self.marker.visible = True
            self.app.invalidate()
        if kind in (EventKind.CLICK, EventKind.SCREEN, EventKind.MARKER, EventKind.AUDIO_ONSET,
                    EventKind.AUDIO_OFFSET, EventKind.WINDOW_FOCUS_LOST, EventKind.PASTE_ATTEMPT):
            self._event_rows.append(f"{float(row['t']):7.2f}  {_KIND_NAMES.get(kind, kind)}  {text} {target}".strip())
            rows = self._event_rows[-28:]
            self.events.set_rows(rows)
        if kind == EventKind.AUDIO_ONSET and self.audio is not None and text in getattr(self.audio, "samples", {}):
            self.audio.play(text)

    def update(self, dt: float, now: float) -> None:
        if self.started_at is None or self.finished:
            return
        self.t_play = (now - self.started_at) * self.speed
        while self.next_row < len(self.log) and float(self.log[self.next_row]["t"]) <= self.t_play:
            self._apply(self.log[self.next_row])
            self.next_row += 1
        shown = f"{self.t_play:6.1f} s"
        if self.widget("clock").text != shown:  # type: ignore[attr-defined]
            self.widget("clock").set_text(shown)  # type: ignore[attr-defined]
        if self.next_row >= len(self.log):
            self.finished = True

    def on_key(self, key: int, mod: int, t: float) -> bool:
        if key in (pygame.K_ESCAPE, pygame.K_q):
            self.app.quit()
            return True
        return False


def line_at_speed(samples: np.ndarray, speed: float) -> np.ndarray:
    """``samples`` (one caller line) resampled to last 1/``speed`` as long at the same sample rate:
    len(samples) / speed samples (within one); the pitch changes by the factor ``speed``.

    Polyphase resampling (``scipy.signal.resample_poly``) at the ratio ``speed`` rounded to a
    fraction with a denominator of at most 64 (1.37 becomes 37/27, 0.03 % off).
    """
    if speed <= 0:
        raise ValueError(f"speed must be > 0, got {speed}")
    samples = np.asarray(samples, dtype=np.float32)
    ratio = Fraction(speed).limit_denominator(64)
    if ratio == 1:
        return samples
    from typingtest.audio.chain import scipy_signal

    return scipy_signal().resample_poly(samples, ratio.denominator, ratio.numerator).astype(np.float32)


def replay_audio(app: App, item: Any, speed: float = 1.0) -> Any:
    """The item's caller lines rendered and resampled for ``speed`` (``line_at_speed``) on a
    ``CallerAudio`` on the app's clock; None when the item has no lines or nothing can be heard."""
    if item is None or not getattr(item, "lines", None):
        return None
    audio = None
    try:
        from typingtest.workstation.audio_link import CallerAudio, LineText

        audio = CallerAudio(app.clock.now)
        if not audio.available:
            audio.close()
            return None
        audio.prepare([LineText(ln.id, ln.text, ln.voice or getattr(item, "voice", "")) for ln in item.lines])
    except Exception:  # no sound, or a line that cannot be rendered: the lines are still listed
        if audio is not None:
            audio.close()
        return None
    for line_id, (samples, rate) in list(audio.samples.items()):
        audio.samples[line_id] = (line_at_speed(samples, speed), rate)
    return audio


def run_replay(app: App, row: dict[str, Any], log: np.ndarray, speed: float = 1.0) -> ReplayScene:
    """Show a stored attempt (``row`` from ``Store.attempts_frame``) and run until Esc."""
    presented = None
    item = None
    try:
        from typingtest.content import load_item

        item = load_item(str(row.get("item")), app.settings.passages_dir)  # the content `run` used
    except Exception:  # the item may have been removed since; the log alone still replays
        item = None
    if item is not None:
        presented = getattr(item, "text", None) or getattr(item, "reference", None)
    audio = replay_audio(app, item, speed)
    title = f"{row.get('task', '')} {row.get('item', '')}"
    scene = ReplayScene(app, log, title=title, presented=presented, speed=speed, audio=audio)
    app.show(scene)
    try:
        app.run()
    finally:
        if audio is not None:
            audio.close()
    return scene
