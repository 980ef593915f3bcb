"""Practice at the workstation (issue 14, item 3): drill after drill, each from the learner model.

No pygame here: the workstation's practice session (``workstation.drill_scenes.PracticeSession``)
asks this module what to run next and what to show after it.

- ``drill_task(drill, number)``: a drill as the content item the workstation's tasks take. A
  keys or numbers drill is a copy-typing passage (``CopyPassage``: the same task, timing,
  journal and scoring as a battery's copy typing); a dictation drill is a transcription item
  whose caller lines are the drill's ``say`` lines (the markup of ``audio.spoken``: digits read
  in groups, names spelled), rendered by the same audio pipeline, scored with the shipped
  transcriptions' rules (``dictation_rules``). The attempt's meta carries the drill's targets in
  order of weakness (``targets``) and the drill (``drill``: number, focus, seed, items with why
  each was chosen).
- ``Practice``: the plan of one practice session: ``minutes`` of drill time (the drills' own task
  time, pauses excluded, summed), a new drill while at least ``MIN_DRILL_S`` are left, each
  drill's time limit the time left. After each drill ``drill_done`` reloads the learner model
  (``load_model``: from the store, so the drill just stored counts; ``learner_model`` keeps each
  stored attempt's tallies in ``learner.cached_tallies``, so the reload counts the new drill only)
  and returns its feedback.
- ``drill_feedback``: what the feedback screen shows, all computed here from the engine's
  figures: net speed and MSD error rate as the engine scored the attempt, the wrong characters
  (``engine.feedback.error_positions_exact``, the marks of the battery's practice result), per
  targeted key its shrunk error rate before and after the drill, and the goal for the next
  drill: the qualification's error limit (3 %) and the net speed rounded up to the next
  ``SPEED_STEP_WPM`` (32.4 WPM -> 35; 35.0 -> 40).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from typingtest.content.model import CopyPassage, Line, Transcription
from typingtest.content.normalise import Normalisation
from typingtest.errors import UserError
from typingtest.training.commands import default_seed
from typingtest.training.drills import DEFAULT_LENGTH, FOCUSES, Drill, make_drill
from typingtest.training.learner import LearnerModel

__all__ = [
    "DEFAULT_MINUTES",
    "DICTATION_REPLAYS",
    "MIN_DRILL_S",
    "PRACTICE_BATTERY",
    "SPEED_STEP_WPM",
    "DrillFeedback",
    "KeyChange",
    "PlannedDrill",
    "Practice",
    "dictation_rules",
    "drill_feedback",
    "drill_task",
    "next_goal_wpm",
]

#: The battery id of a practice session's store session (kept apart from every test battery).
PRACTICE_BATTERY = "practice"
DEFAULT_MINUTES = 10.0
#: A new drill starts only while at least this much practice time is left (seconds).
MIN_DRILL_S = 30.0
#: A dictation drill's lines may be replayed (F5) this many times after the first play.
DICTATION_REPLAYS = 2
#: Pause before each dictated line (seconds): time to type the line before.
DICTATION_PAUSE_S = 1.2
#: The speed goal is the net speed rounded up to the next multiple of this (WPM).
SPEED_STEP_WPM = 5
#: The qualification's error limit when the thresholds in force name none (fraction).
DEFAULT_ERROR_LIMIT = 0.03


def dictation_rules(language: str) -> Normalisation:
    """The comparison of a dictation drill: the shipped transcriptions' rules (case folded, spaces
    collapsed, punctuation left out, number words as digits)."""
    return Normalisation(case="fold", spaces="collapse", punctuation="remove", numbers="digits", language=language)


def drill_task(drill: Drill, number: int) -> tuple[str, Any, dict[str, Any]]:
    """``(task kind, content item, attempt meta)`` of ``drill``, the session's ``number``-th drill.

    Item id: ``drill-<focus>-<seed>``. ``meta["targets"]``: the targets, weakest first (``Target.to_dict``:
    what the trainer view's ``analysis.progress.drill_targets`` reads); ``meta["drill"]``: the rest of
    the drill but its text (the attempt's ``presented``): number, focus, language, seed, length,
    items (each with its reason) and notes."""
    item_id = f"drill-{drill.focus}-{drill.seed}"
    title = f"drill {number}"
    record = {k: v for k, v in drill.to_dict().items() if k not in ("text", "targets")}
    meta = {"targets": [t.to_dict() for t in drill.targets], "drill": {"number": number, **record}}
    if drill.focus == "dictation":
        voice = next((i.voice for i in drill.items if i.voice), f"{drill.language}-caller-1")
        lines = tuple(Line(f"l{n}", i.say or i.text, i.voice or voice, pause_s=DICTATION_PAUSE_S)
                      for n, i in enumerate(drill.items, 1))  # fmt: skip
        item = Transcription(id=item_id, kind="transcription", language=drill.language, title=title, path=None,
                             voice=voice, reference=" ".join(i.text for i in drill.items),
                             normalise=dictation_rules(drill.language), lines=lines)  # fmt: skip
        return "transcription", item, meta
    item = CopyPassage(id=item_id, kind="copy-typing", language=drill.language, title=title, path=None,
                       genre="drill", text=drill.text)  # fmt: skip
    return "copy-typing", item, meta


def next_goal_wpm(net_wpm: float | None, step: int = SPEED_STEP_WPM) -> int | None:
    """The speed goal: ``net_wpm`` rounded up to the next multiple of ``step`` (strictly above:
    32.4 -> 35, 35.0 -> 40, a negative or zero speed -> 5); None without a speed."""
    if net_wpm is None or net_wpm != net_wpm:
        return None
    return (math.floor(max(0.0, float(net_wpm)) / step) + 1) * step


@dataclass(frozen=True)
class KeyChange:
    """A targeted key (or bigram) and its shrunk error rate (fraction) in the learner model before
    and after the drill (None: not in the model)."""

    key: str
    kind: str
    before: float | None
    after: float | None

    @property
    def improved(self) -> bool:
        """The rate fell (by more than rounding: 0.05 percentage points)."""
        return self.before is not None and self.after is not None and self.after < self.before - 5e-4


@dataclass(frozen=True)
class PlannedDrill:
    """A drill to run: the drill, its number in the session, the task and the attempt's meta."""

    drill: Drill
    number: int
    kind: str
    item: Any
    meta: dict[str, Any]
    time_limit_s: float
    model: LearnerModel  # the model it was made from (the "before" of its feedback)


@dataclass(frozen=True)
class DrillFeedback:
    """What the feedback screen shows after a drill (every figure computed here, none in the scene).

    Rates are fractions, speeds net WPM (the engine's ``net_wpm``), times seconds. ``marks``:
    indices into ``typed`` of the wrong characters (copy typing only). ``goal_error_rate`` and
    ``goal_wpm``: the goal for the next drill. ``last``: no time for another drill."""

    number: int
    kind: str
    state: str
    net_wpm: float | None
    error_rate: float | None
    presented: str
    typed: str
    marks: tuple[int, ...]
    keys: tuple[KeyChange, ...]
    goal_error_rate: float
    goal_wpm: int | None
    time_used_s: float
    time_left_s: float
    last: bool
    targets: tuple[str, ...] = field(default=())

    @property
    def improved(self) -> tuple[KeyChange, ...]:
        """The targeted keys whose rate fell."""
        return tuple(k for k in self.keys if k.improved)


def _rate(model: LearnerModel, key: str, kind: str) -> float | None:
    frame = model.keys if kind == "key" else model.bigrams
    if frame.empty:
        return None
    rows = frame[frame["intended"] == key]
    if rows.empty:
        return None
    value = rows["shrunk_error_rate"].iloc[0]
    return None if value != value else float(value)


def _metric(metrics: Mapping[str, Any], name: str) -> float | None:
    value = metrics.get(name)
    return float(value) if isinstance(value, int | float) and value == value else None


def drill_feedback(planned: PlannedDrill, metrics: Mapping[str, Any], typed: str, after: LearnerModel, *,
                   state: str = "complete", error_limit: float = DEFAULT_ERROR_LIMIT, time_used_s: float = 0.0,
                   time_left_s: float = 0.0, last: bool = False) -> DrillFeedback:  # fmt: skip
    """The feedback of ``planned`` typed as ``typed`` and scored ``metrics`` by the engine, the learner
    model now ``after`` (see the module docstring)."""
    from typingtest.engine.feedback import error_positions_exact

    net_wpm, rate = _metric(metrics, "net_wpm"), _metric(metrics, "msd_error_rate")
    marks: tuple[int, ...] = ()
    presented = str(getattr(planned.item, "reference", ""))
    if planned.kind == "copy-typing" and typed:
        marks = tuple(error_positions_exact(presented, typed))
    keys = tuple(KeyChange(t.key, t.kind, _rate(planned.model, t.key, t.kind), _rate(after, t.key, t.kind))
                 for t in planned.drill.targets)  # fmt: skip
    return DrillFeedback(number=planned.number, kind=planned.kind, state=state, net_wpm=net_wpm, error_rate=rate,
                         presented=presented, typed=typed, marks=marks, keys=keys, goal_error_rate=error_limit,
                         goal_wpm=next_goal_wpm(net_wpm), time_used_s=time_used_s, time_left_s=time_left_s,
                         last=last, targets=tuple(t.key for t in planned.drill.targets))  # fmt: skip


class Practice:
    """One practice session's plan: drills from the learner model until ``minutes`` of drill time are used.

    ``load_model()`` returns the trainee's learner model now (``training.learner.learner_model``
    on the store: the drills just stored count); it is called once at the start and after every
    drill. ``error_limit`` is the qualification's MSD error rate limit (fraction).
    """

    def __init__(self, candidate_id: str, load_model: Callable[[], LearnerModel], *,
                 minutes: float = DEFAULT_MINUTES, focus: str = "auto", length: int = DEFAULT_LENGTH,
                 language: str | None = None, error_limit: float = DEFAULT_ERROR_LIMIT) -> None:  # fmt: skip
        if not (0 < minutes <= 240):
            raise UserError(f"--minutes {minutes:g}: give the practice time in minutes, more than 0 and at most 240")
        if focus not in FOCUSES:
            raise UserError(f"--focus {focus!r}: use one of {', '.join(FOCUSES)}")
        if length < 10:
            raise UserError(f"--length {length}: a drill needs at least 10 characters")
        self.candidate_id = candidate_id
        self._load = load_model
        self.model = load_model()
        self.budget_s = float(minutes) * 60.0
        self.used_s = 0.0
        self.focus = focus
        self.length = int(length)
        self.language = language
        self.error_limit = float(error_limit)
        self.planned: list[PlannedDrill] = []
        self.feedback: list[DrillFeedback] = []
        self._seeds: set[int] = set()

    @property
    def time_left_s(self) -> float:
        """Practice time left (seconds)."""
        return max(0.0, self.budget_s - self.used_s)

    @property
    def can_go_on(self) -> bool:
        """True while there is time for another drill (``MIN_DRILL_S``)."""
        return self.time_left_s >= MIN_DRILL_S

    def _seed(self) -> int:
        """The next drill's seed: ``typingtest drill``'s (``default_seed`` of the id and the attempts
        stored), so the first drill is the one ``drill`` prints; a seed used already in this
        session (a drill left empty is no attempt the model reads) moves on."""
        n = self.model.n_attempts
        seed = default_seed(self.candidate_id, n)
        while seed in self._seeds:
            n += 1
            seed = default_seed(self.candidate_id, n)
        self._seeds.add(seed)
        return seed

    def next_drill(self) -> PlannedDrill:
        """The next drill, made from the learner model as it is now; its time limit the time left."""
        drill = make_drill(self.model, length=self.length, seed=self._seed(), language=self.language,
                           focus=self.focus)  # fmt: skip
        number = len(self.planned) + 1
        kind, item, meta = drill_task(drill, number)
        planned = PlannedDrill(drill, number, kind, item, meta, self.time_left_s, self.model)
        self.planned.append(planned)
        return planned

    def drill_done(self, planned: PlannedDrill, metrics: Mapping[str, Any], typed: str, elapsed_s: float,
                   state: str = "complete") -> DrillFeedback:  # fmt: skip
        """The drill ended (stored) after ``elapsed_s`` seconds of its task time: count the time,
        reload the learner model, and return the feedback."""
        self.used_s += max(0.0, float(elapsed_s))
        self.model = self._load()
        fb = drill_feedback(planned, metrics, typed, self.model, state=state, error_limit=self.error_limit,
                            time_used_s=self.used_s, time_left_s=self.time_left_s, last=not self.can_go_on)  # fmt: skip
        self.feedback.append(fb)
        return fb
