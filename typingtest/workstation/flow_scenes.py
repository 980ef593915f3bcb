"""Scenes between tasks: instructions before each kind of task, no-audio hold, closing screen."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import pygame

from typingtest.analysis.labels import number
from typingtest.engine.feedback import error_positions_exact
from typingtest.workstation.registry import register_screen
from typingtest.workstation.scene import INPUT_GUARD_S, Scene
from typingtest.workstation.theme import Theme
from typingtest.workstation.widgets import Button, Label, TextField, Widget, wrapped

if TYPE_CHECKING:
    from typingtest.workstation.app import App
    from typingtest.workstation.session import Session, TaskSpec

__all__ = ["TIME_UP_S", "ClosingScene", "ConsentRefusedScene", "InstructionsScene", "NoAudioScene",
           "PracticeResultScene", "ReadyScene", "TimeUpScene", "progress_line", "stack_centred"]

#: How long "time is up" stays on screen (seconds) before the next step, which waits for the candidate.
TIME_UP_S = 2.5
#: The interface text key of each task kind's title.
_TITLES = {"copy-typing": "copy_title", "transcription": "trans_title", "data-entry": "entry_title",
           "call": "call_title"}


def progress_line(app: App, session: Session | None, spec: TaskSpec | None) -> str:
    """"Task 3 of 7" for the step before ``spec`` (practice tasks are not counted: before a
    practice, "first a practice, then task n of 7"); empty without a session or spec."""
    if session is None or spec is None:
        return ""
    n, total = session.progress(spec)
    if total == 0:
        return ""
    return app.tr("progress_practice" if spec.practice else "progress", n=n, total=total)

#: One row of ``stack_centred``: widgets side by side, each ``(widget, width, least height)`` in design units.
Row = Sequence[tuple[Widget, float, float]]


def _needed_height(widget: Widget, theme: Theme, width_px: int) -> int:
    """Pixels the widget needs at the theme's font (``font_scale`` included): a label its wrapped
    lines, a one-line field a line and its padding (6 design units each side), else nothing."""
    if isinstance(widget, Label):
        font = theme.font(widget.size)
        return len(wrapped(widget.text, font, width_px)) * font.get_linesize() if widget.text else 0
    if isinstance(widget, TextField | Button):
        return theme.font(widget.size).get_linesize() + 2 * theme.px(6)
    return 0


def stack_centred(theme: Theme, rows: Sequence[Row], top: float, gap: float = 18) -> int:
    """Place ``rows`` one under another from ``top`` (design units), each row centred on the
    screen (its widgets side by side, ``gap`` apart); a row is as high as its tallest widget
    needs, so text set larger (``font_scale``) pushes what follows down instead of running into
    it. The screen's centre, not the design grid's left edge, is the axis: the scenes between
    tasks use the middle of any window (the grid is letterboxed to the window's aspect).
    Returns the bottom of the last row (pixels)."""
    y = theme.rect(0, top, 1, 1).y
    centre_x = theme.size[0] / 2
    for row in rows:
        if not row:
            continue
        widths = [theme.px(w) for _, w, _ in row]
        total = sum(widths) + theme.px(gap) * (len(row) - 1)
        x = round(centre_x - total / 2)
        height = max(max(theme.px(h), _needed_height(widget, theme, wpx))
                     for (widget, _, h), wpx in zip(row, widths, strict=True))
        for (widget, _, _), wpx in zip(row, widths, strict=True):
            widget.set_rect(pygame.Rect(x, y, wpx, height))
            x += wpx + theme.px(gap)
        y += height + theme.px(gap)
    return y - theme.px(gap)


class _EnterStarts(Scene):
    """A screen between tasks whose Enter (a fresh press, after ``input_guard_s``) starts what follows."""

    input_guard_s = INPUT_GUARD_S

    def _start(self) -> None:
        raise NotImplementedError

    def on_key(self, key: int, mod: int, t: float) -> bool:
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self._start()
            return True
        return False


class InstructionsScene(_EnterStarts):
    """What the next kind of task asks, and where in the battery it is (task 3 of 7); a fresh Enter
    or Start begins it (``INPUT_GUARD_S``)."""

    name = "instructions"
    input_guard_s = INPUT_GUARD_S

    def __init__(self, app: App, session: Session | None, kind: str, *, spec: TaskSpec | None = None) -> None:
        super().__init__(app)
        self.session = session
        self.kind = kind
        self.add(Label("title", app.tr(_TITLES.get(kind, kind)), size=34))
        self.add(Label("progress", progress_line(app, session, spec), size=20, color="muted"))
        key = f"instructions_{kind}"  # texts.workstation: what each kind of task asks
        text = app.tr(key) if app.tr.known(key) else ""
        if kind == "call":  # how the operator "says" something: plainly, before the call
            text = f"{text} {app.tr('call_script_says')}"
        self.add(Label("text", text, size=24))
        self.add(Button("start", app.tr("start"), self._start, shortcut="Enter"))
        self.initial_focus = "start"

    def layout(self, theme: Theme) -> None:
        w = self.widget
        stack_centred(theme, [[(w("title"), 1000, 50)], [(w("progress"), 1000, 1)], [(w("text"), 1000, 60)],
                              [(w("start"), 300, 54)]], top=100, gap=30)

    def _start(self) -> None:
        if self.session is not None:
            self.session.next()


class NoAudioScene(Scene):
    """No audio device: the task waits until the proctor allows it without audio (Ctrl+Alt+P)."""

    name = "no-audio"

    def __init__(self, app: App, session: Session, make_task: Callable[[], Scene], *,
                 spec: TaskSpec | None = None) -> None:
        super().__init__(app)
        self.session = session
        self.make_task = make_task
        self._task_spec = spec
        # what the proctor does is on the screen: a first start without a sound card is not stuck
        self.add(Label("text", app.tr("no_audio_proctor", button=app.tr("allow_no_audio")), size=26))

    def layout(self, theme: Theme) -> None:
        stack_centred(theme, [[(self.widget("text"), 1000, 200)]], top=200)

    def allowed(self) -> None:
        """The proctor allowed the task without audio: the candidate starts it (``ReadyScene``); the
        candidate may not be at the keyboard when the proctor acts."""
        self.session.allow_without_audio()
        if self._task_spec is not None and self.session.wait_between_tasks:
            self.app.show(ReadyScene(self.app, self.session, self._task_spec,
                                     on_start=lambda: self.app.show(self.make_task())))
        else:
            self.app.show(self.make_task())

    def allow_without_audio(self) -> None:
        """``ProctorTarget``: the proctor's F7 lets the task go on (``allowed``)."""
        self.allowed()


class ClosingScene(Scene):
    """The end. What the candidate sees is a setting: nothing, or a summary of the scored tasks."""

    name = "closing"

    def on_show(self) -> None:
        # only a fresh press closes (not the held or repeated Enter that ended the last task); no
        # delay: the results are stored, closing early loses nothing
        self.app.arm_input_guard(0.0)

    def __init__(self, app: App, session: Session | None) -> None:
        super().__init__(app)
        self.session = session
        self.add(Label("title", app.tr("closing_title"), size=34))
        self.add(Label("text", app.tr("closing_text"), size=24))
        self.add(Label("summary", self._summary(), size=22))
        self.add(Button("close", app.tr("close"), self._close, shortcut="Enter"))
        self.initial_focus = "close"

    def _summary(self) -> str:
        if self.session is None or self.app.settings.closing_screen != "summary":
            return ""
        tr = self.app.tr
        lines = []
        for n, r in enumerate((r for r in self.session.results if not r.practice), start=1):
            name = f"{n}. {tr(_TITLES[r.kind])}" if r.kind in _TITLES else f"{n}."  # a task's name, not an item id
            wpm, er = r.metrics.get("net_wpm"), r.metrics.get("msd_error_rate")
            if wpm is not None and er is not None:
                lines.append(f"{name}: {wpm:.0f} {tr('wpm')}, {number(100 * er, 1, tr.lang)} % {tr('errors_left')}")
            elif r.actions:
                lines.append(f"{name}: {tr('summary')} ✓")
        return "\n".join(lines)

    def layout(self, theme: Theme) -> None:
        w = self.widget
        stack_centred(theme, [[(w("title"), 1000, 50)], [(w("text"), 1000, 40)], [(w("summary"), 1000, 1)],
                              [(w("close"), 300, 54)]], top=100, gap=30)

    def _close(self) -> None:
        if self.session is not None:
            self.session.next()
        else:
            self.app.quit()

    def on_key(self, key: int, mod: int, t: float) -> bool:
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self._close()
            return True
        return False


class ReadyScene(_EnterStarts):
    """Before a task that has no instructions of its own (a second task of a kind, after a proctor's
    action): the task waits for the candidate; its clock starts at the fresh Enter or Start."""

    name = "ready"
    input_guard_s = INPUT_GUARD_S

    def __init__(self, app: App, session: Session | None, spec: TaskSpec, *,
                 on_start: Callable[[], None] | None = None) -> None:
        super().__init__(app)
        self.session = session
        self.task_spec = spec
        self.on_start = on_start
        title = app.tr(_TITLES.get(spec.kind, spec.kind)) + (f" — {app.tr('practice')}" if spec.practice else "")
        self.add(Label("title", title, size=34))
        self.add(Label("progress", progress_line(app, session, spec), size=20, color="muted"))
        self.add(Label("starts", app.tr("test_starts_on_enter"), size=24))
        self.add(Button("start", app.tr("start"), self._start, shortcut="Enter"))
        self.initial_focus = "start"

    def rows(self) -> list[list[tuple[Widget, float, float]]]:
        """The widgets from top to bottom (``stack_centred`` rows)."""
        w = self.widget
        return [[(w("title"), 1000, 50)], [(w("progress"), 1000, 1)], [(w("starts"), 1000, 1)],
                [(w("start"), 300, 54)]]

    def layout(self, theme: Theme) -> None:
        stack_centred(theme, self.rows(), top=100, gap=30)

    def _start(self) -> None:
        if self.on_start is not None:
            self.on_start()
        elif self.session is not None:
            self.session.next()


class PracticeResultScene(ReadyScene):
    """After a practice: its result as the engine scored it (net speed, errors left in the text, the
    wrong characters marked in what was typed), then the scored task on a fresh Enter or Start."""

    name = "practice-result"

    def __init__(self, app: App, session: Session, practice: TaskSpec, spec: TaskSpec) -> None:
        super().__init__(app, session, spec)
        tr = app.tr
        self.widget("title").set_text(tr("practice_result_title"))  # type: ignore[attr-defined]
        result = session.last_result(practice)
        metrics = result.metrics if result is not None else {}
        wpm, rate = metrics.get("net_wpm"), metrics.get("msd_error_rate")
        lines = []
        if wpm is not None:
            lines.append(tr("practice_result_speed", wpm=f"{wpm:.0f}"))
        if rate is not None:
            lines.append(tr("practice_result_errors", rate=number(100 * rate, 1, tr.lang)))  # 1,3 in nl and fr
        typed = (result.fields.get("answer", "") if result is not None else "") if practice.kind == "copy-typing" \
            else ""
        if typed:
            lines.append(tr("practice_result_marked"))
        self.add(Label("result", "\n".join(lines) or tr("practice_result_none"), size=24))
        answer = TextField("typed", multiline=True, size=20)
        answer.readonly = True
        answer.set_text(typed)
        if typed:  # the engine's marks on the finished attempt (the scoring's alignment)
            presented = str(practice.item.text)
            answer.error_marker = lambda text: error_positions_exact(presented, text)
        answer.visible = bool(typed)
        answer.focusable = False
        self.add(answer)

    def rows(self) -> list[list[tuple[Widget, float, float]]]:
        w = self.widget
        rows = [[(w("title"), 1000, 50)], [(w("result"), 1000, 1)]]
        if w("typed").visible:
            rows.append([(w("typed"), 1100, 200)])
        return [*rows, [(w("progress"), 1000, 1)], [(w("starts"), 1000, 1)], [(w("start"), 300, 54)]]

    def layout(self, theme: Theme) -> None:
        stack_centred(theme, self.rows(), top=50, gap=22)


class TimeUpScene(Scene):
    """A task ended by its time limit: "time is up" for ``TIME_UP_S``, then the next step (which
    waits for the candidate). Keys typed meanwhile do nothing."""

    name = "time-up"
    input_guard_s = TIME_UP_S

    def __init__(self, app: App, session: Session | None) -> None:
        super().__init__(app)
        self.session = session
        self.add(Label("title", app.tr("time_up"), size=64, align="center"))
        self.add(Label("text", app.tr("time_up_text"), size=30, align="center"))
        self.add(Label("next", app.tr("time_up_next"), size=22, color="muted", align="center"))
        self._shown_at: float | None = None

    def layout(self, theme: Theme) -> None:
        w = self.widget
        stack_centred(theme, [[(w("title"), 1000, 80)], [(w("text"), 1000, 44)], [(w("next"), 1000, 30)]], top=230,
                      gap=20)

    def draw_background(self, surface: pygame.Surface, theme: Theme) -> None:
        surface.fill(theme.color("bg"))
        card = self.widget("title").rect.union(self.widget("next").rect).inflate(theme.px(80), theme.px(60))
        pygame.draw.rect(surface, theme.color("panel"), card, border_radius=theme.px(8))
        pygame.draw.rect(surface, theme.color("focus"), card, width=theme.px(3), border_radius=theme.px(8))

    def on_show(self) -> None:
        self._shown_at = self.app.clock.now()

    def update(self, dt: float, now: float) -> None:
        if self._shown_at is not None and now - self._shown_at >= TIME_UP_S:
            self._shown_at = None
            if self.session is not None:
                self.session.next()
            else:
                self.app.quit()


class ConsentRefusedScene(Scene):
    """The candidate did not consent (``Session.refuse_consent``): the test stops and nothing about
    them was kept; Enter or Close ends the session (``refused``)."""

    name = "consent-refused"
    input_guard_s = INPUT_GUARD_S

    def __init__(self, app: App, session: Session | None) -> None:
        super().__init__(app)
        self.session = session
        self.add(Label("title", app.tr("intake_title"), size=34))
        self.add(Label("text", app.tr("consent_refused"), size=24))
        self.add(Button("close", app.tr("close"), self._close, shortcut="Enter"))
        self.initial_focus = "close"

    def layout(self, theme: Theme) -> None:
        w = self.widget
        stack_centred(theme, [[(w("title"), 1000, 50)], [(w("text"), 1000, 1)], [(w("close"), 300, 54)]], top=120,
                      gap=30)

    def _close(self) -> None:
        if self.session is not None:
            self.session.end("refused")
        else:
            self.app.quit()

    def on_key(self, key: int, mod: int, t: float) -> bool:
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self._close()
            return True
        return False


for _screen in (InstructionsScene, NoAudioScene, ClosingScene, ReadyScene, PracticeResultScene, TimeUpScene,
                ConsentRefusedScene):
    register_screen(_screen)
