"""Task scenes: copy typing, audio transcription, data entry (the call is in ``call_scene``).

Each scene holds a task state (``typingtest.workstation.tasks``), turns input into calls on
it, logs what the state emits, and hands the finished attempt to the session. No metric is
computed here.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from typingtest.engine.events import EventKind
from typingtest.engine.feedback import error_positions, passage_position
from typingtest.workstation.overlays import FinishOverlay
from typingtest.workstation.registry import register_task
from typingtest.workstation.scene import Scene
from typingtest.workstation.tasks import DataEntryTask, FormField, TaskState, TypingTask
from typingtest.workstation.theme import Theme
from typingtest.workstation.widgets import Button, Label, PassagePanel, TextField

if TYPE_CHECKING:
    from typingtest.workstation.app import App
    from typingtest.workstation.session import Session, TaskSpec

__all__ = ["CopyTypingScene", "DataEntryScene", "TaskScene", "TranscriptionScene", "format_clock"]


def format_clock(seconds: float) -> str:
    """``mm:ss`` of a number of seconds (rounded up: 0:00 only at the very end)."""
    s = max(0, int(-(-seconds // 1)))
    return f"{s // 60:d}:{s % 60:02d}"


class TaskScene(Scene):
    """What every task screen has: title, time left, Finish button, the finish dialog."""

    is_task = True
    title_key = "task"
    help_key = ""

    def __init__(self, app: App, session: Session | None, spec: TaskSpec, state: TaskState) -> None:
        super().__init__(app)
        self.session = session
        self.spec = spec
        self.state = state
        tr = app.tr
        title = tr(self.title_key) + (f" — {tr('practice')}" if spec.practice else "")
        self.add(Label("title", title, size=28))
        self.add(Label("timer", "", size=26, align="center"))
        self.add(Label("help", tr(self.help_key) + (f" {tr('practice_help')}" if spec.practice else ""), size=18,
                       color="muted"))
        self.add(Button("finish", tr("finish"), self._finish_clicked, shortcut="Ctrl+Enter"))
        self._shown_clock = ""
        self._handed_over = False

    def layout(self, theme: Theme) -> None:
        self.widget("title").set_rect(theme.rect(20, 12, 900, 36))
        self.widget("timer").set_rect(theme.rect(1040, 12, 220, 36))
        self.widget("help").set_rect(theme.rect(20, 52, 1240, 28))
        self.widget("finish").set_rect(theme.rect(1000, 668, 260, 40))

    def on_show(self) -> None:
        now = self.app.clock.now()
        if self.session is not None:
            self.session.begin_attempt(self, now)
        self.state.start(now)
        self.started(now)
        self.drain()

    def started(self, now: float) -> None:
        """After the task started (autoplay, initial focus)."""

    def drain(self) -> None:
        """Log what the state emitted and play the audio it asked for."""
        for e in self.state.drain():
            self.app.log(e.kind, e.t, text=e.text, target=e.target)
        requests = getattr(self.state, "audio_requests", None)
        if requests:
            lines, requests[:] = list(requests), []
            if self.session is not None:
                self.session.play_lines(lines, self.spec)

    def on_audio(self, kind: EventKind, line: str, t: float) -> None:
        """The player's onset/offset of a caller line (already logged by the session)."""

    def update(self, dt: float, now: float) -> None:
        self.state.tick(now)
        self.drain()
        shown = format_clock(self.state.remaining(now))
        if shown != self._shown_clock:
            self._shown_clock = shown
            self.widget("timer").set_text(f"{self.app.tr('time_left')} {shown}")
        if self.state.done:
            self._hand_over()

    def _finish_clicked(self) -> None:
        self.request_finish(self.app.clock.now())

    def request_finish(self, t: float) -> None:
        if self.state.request_finish(t):
            self.drain()
            self.app.open_overlay(FinishOverlay(self.app, self))

    def cancel_finish(self, t: float) -> None:
        """Esc in the finish dialog: go on typing."""
        self.state.cancel_finish(t)
        self.drain()
        self.app.close_overlay()

    def confirm_finish(self, t: float) -> None:
        self.app.close_overlay()
        if self.state.confirm_finish(t):
            self.drain()
            self._hand_over()

    def stop(self, t: float, reason: str = "proctor") -> None:
        """End the task from outside (the proctor)."""
        self.state.stop(t, reason)
        self.drain()
        self._hand_over()

    def _hand_over(self) -> None:
        if self._handed_over:
            return
        self._handed_over = True
        if self.app.overlay is not None:
            self.app.close_overlay()
        if self.session is not None:
            self.session.end_attempt(self)

    def typed_fields(self) -> dict[str, str]:
        """What each text field holds now, by name (for the closing summary and the tests)."""
        return {w.name: w.text for w in self.widgets if isinstance(w, TextField)}


class CopyTypingScene(TaskScene):
    """The passage on top, as written (paragraphs, salutation, signature; scrolled to where the
    candidate is), the answer box below; Enter types a line break (at a paragraph break it counts
    as the break, as a space does: ``engine.breaks``).

    With the battery's ``show_errors`` (``spec.show_errors``), the answer field marks the typed
    characters the engine (``engine.feedback.error_positions``) finds wrong; the log is the same.
    """

    name = "copy-typing"
    title_key = "copy_title"
    help_key = "copy_help"

    def __init__(self, app: App, session: Session | None, spec: TaskSpec, state: TypingTask) -> None:
        super().__init__(app, session, spec, state)
        breaks = getattr(spec.item, "paragraph_breaks", ())  # a CopyPassage's; none for a bare text
        self.add(PassagePanel("passage", state.presented, paragraph_breaks=breaks, size=22))
        answer = self.add(TextField("answer", multiline=True, size=22))  # Enter: a line break, as in the passage
        self._followed: str | None = None  # the answer text the passage was last placed for
        if getattr(spec, "show_errors", False):
            answer.error_marker = self._error_marker  # type: ignore[attr-defined]
        self.initial_focus = "answer"

    def _error_marker(self, text: str) -> list[int]:
        """The engine's marks for the answer's text (indices of ``text``).

        The engine counts characters after NFC; typed text is normally NFC already (text input
        delivers composed characters). If not, no marks are shown rather than marks in the wrong place.
        """
        if not unicodedata.is_normalized("NFC", text):
            return []
        return error_positions(self.state.presented, text)  # type: ignore[attr-defined]

    def update(self, dt: float, now: float) -> None:
        super().update(dt, now)
        text = self.widget("answer").text  # type: ignore[attr-defined]
        if text != self._followed:  # keep the line being typed in view (the engine says where it is)
            self._followed = text
            where = passage_position(self.state.presented, text)  # type: ignore[attr-defined]
            self.widget("passage").follow(where, self.app.theme)  # type: ignore[attr-defined]

    def finish_warning(self) -> str | None:
        """Ending before the end of the passage: the rest counts as left out (``engine.scoring``), so
        the dialog says so (the engine says where the candidate is)."""
        text = self.widget("answer").text  # type: ignore[attr-defined]
        presented = self.state.presented  # type: ignore[attr-defined]
        if passage_position(presented, text) >= len(presented.rstrip()):
            return None
        return self.app.tr("finish_early")

    def layout(self, theme: Theme) -> None:
        super().layout(theme)
        self.widget("passage").set_rect(theme.rect(20, 86, 1240, 290))
        self.widget("answer").set_rect(theme.rect(20, 388, 1240, 270))


class CallerAudioScene(TaskScene):
    """A task that plays the caller at its start and on its Play button (limited replays; the button's
    key presses it): transcription, data entry."""

    def started(self, now: float) -> None:
        self._play()

    def _play(self) -> None:
        st = self.state
        assert isinstance(st, TypingTask | DataEntryTask)
        st.play(self.app.clock.now())
        self.drain()
        self.widget("plays-left").set_text(self.app.tr("plays_left", n=st.plays_left))
        self.widget("play").enabled = st.plays_left > 0
        self.widget("play").dirty = True


class TranscriptionScene(CallerAudioScene):
    """Play the caller (limited), type what is said."""

    name = "transcription"
    title_key = "trans_title"
    help_key = "trans_help"

    def __init__(self, app: App, session: Session | None, spec: TaskSpec, state: TypingTask) -> None:
        super().__init__(app, session, spec, state)
        self.add(Button("play", app.tr("play"), self._play, shortcut="F5"))
        self.add(Label("plays-left", "", size=18, color="muted"))
        answer = self.add(TextField("answer", multiline=True, size=22))
        answer.newlines = False  # type: ignore[attr-defined]  # the reference has no line breaks
        self.initial_focus = "answer"

    def layout(self, theme: Theme) -> None:
        super().layout(theme)
        self.widget("play").set_rect(theme.rect(20, 90, 240, 44))
        self.widget("plays-left").set_rect(theme.rect(280, 100, 400, 30))
        self.widget("answer").set_rect(theme.rect(20, 146, 1240, 510))



class DataEntryScene(CallerAudioScene):
    """The caller dictates; the candidate fills a form (two columns of labelled fields)."""

    name = "data-entry"
    title_key = "entry_title"
    help_key = "entry_help"

    def __init__(self, app: App, session: Session | None, spec: TaskSpec, state: DataEntryTask) -> None:
        super().__init__(app, session, spec, state)
        self.add(Button("play", app.tr("play"), self._play, shortcut="F5"))
        self.add(Label("plays-left", "", size=18, color="muted"))
        for f in state.fields:
            self.add(Label(f"label:{f.name}", f.label, size=18))
            self.add(TextField(f.name, multiline=False, size=20, max_length=200))
        self.initial_focus = state.fields[0].name

    def layout(self, theme: Theme) -> None:
        super().layout(theme)
        self.widget("play").set_rect(theme.rect(20, 90, 240, 44))
        self.widget("plays-left").set_rect(theme.rect(280, 100, 400, 30))
        fields: list[FormField] = self.state.fields  # type: ignore[attr-defined]
        per_col = (len(fields) + 1) // 2
        row_h = min(96, 510 // max(1, per_col))
        for i, f in enumerate(fields):
            col, row = divmod(i, per_col)
            x, y = 20 + col * 630, 150 + row * row_h
            self.widget(f"label:{f.name}").set_rect(theme.rect(x, y, 600, 24))
            self.widget(f.name).set_rect(theme.rect(x, y + 26, 600, 40))


    def finish_warning(self) -> str | None:
        """Required fields left empty, by their labels: the dialog names them before the candidate ends."""
        st = self.state
        assert isinstance(st, DataEntryTask)
        for f in st.fields:
            st.values[f.name] = self.widget(f.name).text  # type: ignore[attr-defined]
        empty = set(st.empty_required())
        if not empty:
            return None
        return self.app.tr("finish_empty_required", fields=", ".join(f.label for f in st.fields if f.name in empty))

    def update(self, dt: float, now: float) -> None:
        st = self.state
        assert isinstance(st, DataEntryTask)
        for f in st.fields:
            st.values[f.name] = self.widget(f.name).text  # type: ignore[attr-defined]
        super().update(dt, now)


def _copy_typing(app: App, session: Session | None, spec: TaskSpec) -> CopyTypingScene:
    item = spec.item
    return CopyTypingScene(app, session, spec, TypingTask(item.id, item.text, spec.time_limit_s))


def _transcription(app: App, session: Session | None, spec: TaskSpec) -> TranscriptionScene:
    item = spec.item
    state = TypingTask(item.id, item.reference, spec.time_limit_s, kind="transcription",
                       lines=[ln.id for ln in item.lines], replays=spec.replays)
    return TranscriptionScene(app, session, spec, state)


def _data_entry(app: App, session: Session | None, spec: TaskSpec) -> DataEntryScene:
    item = spec.item
    fields = [FormField(f.name, f.label, f.type, getattr(f, "form", "contact"), f.required) for f in item.fields]
    state = DataEntryTask(item.id, fields, [ln.id for ln in item.lines], spec.time_limit_s, replays=spec.replays)
    return DataEntryScene(app, session, spec, state)


register_task("copy-typing", _copy_typing)
register_task("transcription", _transcription)
register_task("data-entry", _data_entry)
