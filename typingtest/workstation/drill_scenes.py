"""Practice at the workstation (issue 14): the practice session and its screens.

``PracticeSession`` is a ``Session`` whose tasks are made one at a time: a drill (from
``training.practice.Practice``, itself from the learner model) runs as the battery's own
copy-typing or transcription task (same scene, timing, journal, recorder and engine scoring;
the attempt stored ``practice`` with the drill in its meta, in a store session of the battery
``practice``); after it the learner model is read again and ``DrillFeedbackScene`` shows the
result. Enter starts the next drill, Esc ends the session (stored complete); when the practice
time is used, Enter or Esc ends it.

The screens compute nothing: every figure on them is a field of ``training.practice.DrillFeedback``
(the engine's net speed and MSD error rate, its marks of the wrong characters, the learner
model's rates before and after, the goal).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pygame

from typingtest.analysis.labels import number
from typingtest.config import Settings, Threshold
from typingtest.training.practice import DICTATION_REPLAYS, PRACTICE_BATTERY, DrillFeedback, PlannedDrill, Practice
from typingtest.workstation import registry
from typingtest.workstation.flow_scenes import stack_centred
from typingtest.workstation.registry import register_screen
from typingtest.workstation.scene import INPUT_GUARD_S, Scene
from typingtest.workstation.session import Session, TaskSpec
from typingtest.workstation.task_scenes import format_clock
from typingtest.workstation.theme import Theme
from typingtest.workstation.widgets import Button, Label, TextField, Widget

if TYPE_CHECKING:
    from typingtest.workstation.app import App

__all__ = ["DrillFeedbackScene", "DrillIntroScene", "PracticeSession", "key_caption", "start_practice"]


def key_caption(key: str) -> str:
    """A targeted key or bigram as shown: in quotes, a space as "␣"."""
    return "'" + key.replace(" ", "␣").replace("\n", "↵") + "'"


class PracticeSession(Session):
    """Drill after drill for one trainee until the practice time is used (``Practice``)."""

    def __init__(self, app: App, settings: Settings, store: Any, practice: Practice, *, audio: Any = None,
                 thresholds: Mapping[str, Threshold] | None = None, language: str | None = None) -> None:  # fmt: skip
        super().__init__(app, settings, store, battery_id=PRACTICE_BATTERY, specs=[],
                         candidate_id=practice.candidate_id, language=language or practice.model.language,
                         intake=False, instructions=False, closing=False, audio=audio,
                         keyboard_layout=practice.model.layout, thresholds=thresholds)  # fmt: skip
        self.practice = practice
        #: The drill running (or just ended, before its feedback).
        self.running: PlannedDrill | None = None
        self._intro_due = True
        self._elapsed_s = 0.0

    @property
    def feedback(self) -> list[DrillFeedback]:
        """The feedback of every drill so far."""
        return self.practice.feedback

    def next(self) -> None:
        """The intro first; after a drill its feedback; after the feedback (Enter) the next drill, or
        the end when the practice time is used."""
        if self.finished:
            return
        if self.running is not None:
            self._show_feedback()
            return
        if self._intro_due:
            self._intro_due = False
            self.app.show(registry.screen("drill-intro")(self.app, self))
            return
        if not self.practice.can_go_on:
            self.end("complete")
            return
        planned = self.practice.next_drill()
        spec = TaskSpec(planned.kind, planned.item, planned.time_limit_s, practice=True,
                        replays=DICTATION_REPLAYS if planned.kind == "transcription" else 1, seed=planned.drill.seed,
                        show_errors=planned.kind == "copy-typing", meta=planned.meta)  # fmt: skip
        self.specs.append(spec)
        self.running = planned
        self.app.show(self._task_step(spec))

    def _task_step(self, spec: TaskSpec) -> Scene:
        """The battery's scene of the task, titled as the drill, its help naming the targets."""
        scene = super()._task_step(spec)
        planned = self.running
        if planned is not None and getattr(scene, "is_task", False):
            tr = self.app.tr
            scene.widget("title").set_text(f"{tr('drill_title', n=planned.number)} — {tr('practice')}")  # type: ignore[attr-defined]
            keys = ", ".join(key_caption(t.key) for t in planned.drill.targets) or tr("drill_random")
            help_text = tr("drill_help_dictation") if spec.kind == "transcription" else tr("drill_help_keys", keys=keys)
            scene.widget("help").set_text(help_text)  # type: ignore[attr-defined]
        return scene

    def end_attempt(self, scene: Any, state: str = "complete") -> None:
        """The drill's task time (pauses left out) counts against the practice time; then as a battery's task."""
        self._elapsed_s = float(scene.state.elapsed(self.app.clock.now()))
        super().end_attempt(scene, state)

    def _show_feedback(self) -> None:
        planned, self.running = self.running, None
        assert planned is not None
        result = self.results[-1]
        # the learner model is read again from the store (only the new drill is counted: the learner caches tallies)
        if self.app.clock.real:
            self.app.show_wait(self.app.tr("preparing"))
        fb = self.practice.drill_done(planned, result.metrics, result.fields.get("answer", ""), self._elapsed_s,
                                      result.state)  # fmt: skip
        self.app.show(registry.screen("drill-feedback")(self.app, self, fb))

    def stop(self) -> None:
        """Esc on a screen between drills: the session ends, stored complete."""
        self.end("complete")


class _BetweenDrills(Scene):
    """A screen between drills: Enter goes on (a fresh press, after ``INPUT_GUARD_S``), Esc ends."""

    input_guard_s = INPUT_GUARD_S
    session: PracticeSession | None

    def _go_on(self) -> None:
        if self.session is not None:
            self.session.next()
        else:
            self.app.quit()

    def _stop(self) -> None:
        if self.session is not None:
            self.session.stop()
        else:
            self.app.quit()

    def on_key(self, key: int, mod: int, t: float) -> bool:
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self._go_on()
            return True
        if key == pygame.K_ESCAPE:
            self._stop()
            return True
        return False


class DrillIntroScene(_BetweenDrills):
    """Before the first drill: what practice is and how long; Enter starts, Esc ends."""

    name = "drill-intro"

    def __init__(self, app: App, session: PracticeSession | None, minutes: float | None = None) -> None:
        super().__init__(app)
        self.session = session
        tr = app.tr
        if minutes is None:
            minutes = session.practice.budget_s / 60.0 if session is not None else 10.0
        self.add(Label("title", tr("drill_intro_title"), size=34))
        self.add(Label("text", tr("drill_intro_text", minutes=number(minutes, 0 if minutes == int(minutes) else 1,
                                                                      tr.lang)), size=24))  # fmt: skip
        self.add(Label("hint", tr("drill_enter_esc"), size=22, color="muted"))
        self.add(Button("start", tr("start"), self._go_on, shortcut="Enter"))
        self.add(Button("stop", tr("drill_stop"), self._stop, shortcut="Esc"))
        self.initial_focus = "start"

    def layout(self, theme: Theme) -> None:
        w = self.widget
        stack_centred(theme, [[(w("title"), 1000, 50)], [(w("text"), 1000, 1)], [(w("hint"), 1000, 1)],
                              [(w("start"), 300, 54), (w("stop"), 300, 54)]], top=110, gap=30)  # fmt: skip


class DrillFeedbackScene(_BetweenDrills):
    """After a drill: net speed, errors (marked in what was typed), the targeted keys' error rates
    before and now, the goal for the next drill, the practice time; Enter: the next drill, Esc: stop."""

    name = "drill-feedback"

    def __init__(self, app: App, session: PracticeSession | None, feedback: DrillFeedback) -> None:
        super().__init__(app)
        self.session = session
        self.feedback = fb = feedback
        tr = app.tr
        pct = lambda x: number(100 * x, 1, tr.lang)  # noqa: E731  # 1,3 in nl and fr
        self.add(Label("title", tr("drill_feedback_title", n=fb.number), size=32))
        lines = []
        if fb.net_wpm is not None:
            lines.append(tr("practice_result_speed", wpm=f"{fb.net_wpm:.0f}"))
        if fb.error_rate is not None:
            lines.append(tr("practice_result_errors", rate=pct(fb.error_rate)))
        if fb.marks:
            lines.append(tr("practice_result_marked"))
        self.add(Label("result", "\n".join(lines) or tr("practice_result_none"), size=22))
        typed = TextField("typed", multiline=True, size=18)
        typed.readonly = True
        typed.set_text(fb.typed)
        marks = list(fb.marks)
        typed.error_marker = lambda text: marks if text == fb.typed else []  # the engine's marks (DrillFeedback)
        typed.visible = bool(fb.typed) and fb.kind == "copy-typing"
        typed.focusable = False
        self.add(typed)
        lines = [tr("drill_feedback_key", name=key_caption(k.key), before="–" if k.before is None else pct(k.before),
                    after="–" if k.after is None else pct(k.after))
                 + (f"  ({tr('drill_feedback_better')})" if k.improved else "") for k in fb.keys]  # fmt: skip
        half = (len(lines) + 1) // 2
        self.add(Label("keys", tr("drill_feedback_keys") if fb.keys else tr("drill_feedback_no_keys"), size=20))
        self.add(Label("keys-1", "\n".join(lines[:half]), size=19))  # one targeted key a line, in two columns
        self.add(Label("keys-2", "\n".join(lines[half:]), size=19))
        goal = (tr("drill_goal", rate=number(100 * fb.goal_error_rate, 0, tr.lang), wpm=fb.goal_wpm)
                if fb.goal_wpm is not None else tr("drill_goal_errors", rate=number(100 * fb.goal_error_rate, 0,
                                                                                     tr.lang)))  # fmt: skip
        self.add(Label("goal", goal, size=22, color="focus"))
        total = fb.time_used_s + fb.time_left_s
        self.add(Label("time", tr("drill_time", used=format_clock(fb.time_used_s), total=format_clock(total)),
                       size=18, color="muted"))  # fmt: skip
        self.add(Label("hint", tr("drill_time_over") if fb.last else tr("drill_enter_esc"), size=18, color="muted"))
        nxt = self.add(Button("next", tr("drill_next"), self._go_on, shortcut="Enter"))
        nxt.visible = not fb.last
        self.add(Button("stop", tr("drill_stop"), self._stop, shortcut="Esc"))
        self.initial_focus = "stop" if fb.last else "next"

    def _go_on(self) -> None:
        if self.feedback.last:  # no time for another drill: Enter ends too
            self._stop()
        else:
            super()._go_on()

    def rows(self) -> list[list[tuple[Widget, float, float]]]:
        """The widgets from top to bottom (``stack_centred`` rows)."""
        w = self.widget
        rows: list[list[tuple[Widget, float, float]]] = [[(w("title"), 1100, 44)], [(w("result"), 1100, 1)]]
        if w("typed").visible:
            rows.append([(w("typed"), 1160, 110)])
        rows.append([(w("keys"), 1100, 1)])
        if w("keys-1").text:
            rows.append([(w("keys-1"), 540, 1), (w("keys-2"), 540, 1)])
        rows += [[(w("goal"), 1100, 1)], [(w("time"), 1100, 1)], [(w("hint"), 1100, 1)]]
        buttons = [(w("stop"), 280, 50)]
        if w("next").visible:
            buttons.insert(0, (w("next"), 320, 50))
        return [*rows, buttons]

    def layout(self, theme: Theme) -> None:
        stack_centred(theme, self.rows(), top=20, gap=12)


def start_practice(app: App, settings: Settings, store: Any, practice: Practice, *, audio: Any = None,
                   thresholds: Mapping[str, Threshold] | None = None) -> PracticeSession:
    """Make the practice session (the proctor's hotkeys installed, as ``run`` has them), open its
    store session and show the intro."""
    from typingtest.workstation.runner import install_hotkeys

    install_hotkeys(app)
    session = PracticeSession(app, settings, store, practice, audio=audio, thresholds=thresholds)
    session.start()
    return session


for _screen in (DrillIntroScene, DrillFeedbackScene):
    register_screen(_screen)
