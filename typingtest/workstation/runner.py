"""Put a session together from the content and the settings: what ``typingtest run`` does.

``plan_run`` turns the command line into a ``RunPlan`` (``specs_from_battery`` and
``single_task_spec`` turn content into ``TaskSpec`` rows, time limits times the centre's
extra-time factor); ``open_app`` opens the window (a clear ``UserError`` without a display);
``open_workstation_store`` opens the store and first recovers the attempts a crash left
unfinished; ``install_hotkeys`` registers the keys that act on every screen (the proctor's
Ctrl+Alt+P) with the app; ``start_session`` wires app, hotkeys, store, audio and session; ``proctor_notice`` is what
``run`` prints at start for the proctor. Tests and the virtual-candidate driver call these with
a ``ManualClock``.

Every path asks for the consent before any task and opens the store's session once, when the
intake has accepted the candidate: a battery through the whole intake (``--candidate`` fills in
and accepts the id), ``--task`` through the consent page only (``Session.intake_pages``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from typingtest.config import Settings, Threshold
from typingtest.errors import UserError
from typingtest.ids import check_candidate_id
from typingtest.workstation.clock import Clock
from typingtest.workstation.session import TASK_KINDS, Session, TaskSpec

__all__ = [
    "DEFAULT_TIME_LIMITS_S",
    "PROCTOR_KEY",
    "RunPlan",
    "choose_forms",
    "install_hotkeys",
    "open_app",
    "open_workstation_store",
    "parallel_forms",
    "plan_run",
    "proctor_notice",
    "recovery_summary",
    "single_task_spec",
    "specs_from_battery",
    "start_session",
]

#: Time limits (seconds) of a task started with ``--task`` when no battery names one.
DEFAULT_TIME_LIMITS_S = {"copy-typing": 300.0, "transcription": 240.0, "data-entry": 240.0, "call": 420.0}
_ID_PART = {"copy-typing": "copy", "transcription": "trans", "data-entry": "entry", "call": "call"}
#: The keys that open the proctor panel (``App`` reads them; said here for the terminal and the screens).
PROCTOR_KEY = "Ctrl+Alt+P"


@dataclass
class RunPlan:
    """What ``typingtest run`` starts: the tasks, the battery's id as stored, whether the battery
    has an intake step, whether it is one task (``--task``), the candidate given and the content
    language."""

    specs: list[TaskSpec]
    battery_id: str
    intake: bool
    single: bool
    candidate_id: str | None
    language: str
    #: Parallel forms on a retake (``parallel_forms``; None: the battery's items as written).
    forms: Callable[[Session], None] | None = None

    def start(self, app: Any, settings: Settings, store: Any, *, audio: Any = None,
              keyboard_layout: str | None = None, thresholds: Mapping[str, Threshold] | None = None) -> Session:
        """``start_session`` with this plan."""
        return start_session(app, settings, store, self.specs, battery_id=self.battery_id,
                             candidate_id=self.candidate_id, language=self.language, intake=self.intake,
                             single=self.single, audio=audio, keyboard_layout=keyboard_layout, thresholds=thresholds,
                             forms=self.forms)


def plan_run(settings: Settings, *, battery: str = "default", candidate: str | None = None, task: str | None = None,
             item: str | None = None, lang: str | None = None, seed: int | None = None) -> RunPlan:
    """The ``RunPlan`` of ``typingtest run`` with these options (``UserError`` naming the option
    on a mistake). ``--task`` runs one task for ``candidate`` (default ``unassigned``); its battery
    only lends the item's time limit, so an unknown ``--battery`` is no error there."""
    language = lang or settings.content_lang
    if item and not task:
        raise UserError("--item: give --task KIND with it (e.g. --task copy-typing --item nl-copy-02)")
    content = _content()
    loaded = None
    try:
        loaded = content.load_battery(battery, lang=language, passages=settings.passages_dir)
    except UserError:
        if not task:
            raise
    except (KeyError, FileNotFoundError, LookupError):
        if not task:
            raise UserError(f"--battery: no battery {battery!r}; see `typingtest content list`") from None
    cid = check_candidate_id(candidate, "--candidate") if candidate else None
    if task:
        spec = single_task_spec(task, item, settings, language, loaded, seed)
        return RunPlan([spec], f"task:{task}", False, True, cid or "unassigned", language)
    specs, intake = specs_from_battery(loaded, settings, seed)
    return RunPlan(specs, loaded.id, intake, False, cid, language, forms=parallel_forms(loaded, settings))


def proctor_notice(settings: Settings) -> str:
    """What ``run`` prints at start (stderr) for the proctor: the key of the proctor panel and where
    its code is set. A workstation without ``proctor_code`` makes its own code on its first start
    (``config.workstation_proctor_code``, kept in the results folder for its owner only): that once the
    code is printed, with the setting that replaces it; never again, and a configured code never."""
    from typingtest.config import PROCTOR_CODE_FILE, workstation_proctor_code

    configured = bool(settings.proctor_code)
    code, made = workstation_proctor_code(settings)
    where = (f"proctor_code in {settings.source}" if settings.source is not None
             else "proctor_code in ./typingtest.toml, --settings FILE or $TYPINGTEST_SETTINGS")
    if configured:
        return (f"typingtest: proctor panel: {PROCTOR_KEY}, then the proctor code ({where}); there F7 allows the "
                "tasks without audio on a computer without sound")
    line = (f"typingtest: proctor panel: {PROCTOR_KEY}, then this workstation's own proctor code (kept in "
            f"{os.path.join(str(settings.results_dir), PROCTOR_CODE_FILE)}, readable by its owner only; {where} "
            "replaces it); there F7 allows the tasks without audio on a computer without sound")
    if made:
        line += f". A new proctor code was made for this workstation: {code} (shown this once: note it now)"
    return line


def _content() -> Any:
    try:
        import typingtest.content as content
    except ImportError as exc:  # pragma: no cover - the package ships with content
        raise UserError(f"typingtest.content cannot be loaded ({exc}); reinstall typingtest") from None
    return content


def _draw(item: Any, seed: int | None) -> Any:
    """The item with its randomised values filled in (same item when it has none)."""
    content = _content()
    if getattr(item, "randomise", None) is not None and hasattr(content, "draw_form"):
        return content.draw_form(item, seed if seed is not None else 0)
    return item


def specs_from_battery(battery: Any, settings: Settings, seed: int | None = None) -> tuple[list[TaskSpec], bool]:
    """The battery's tasks as specs, and whether it starts with an intake step."""
    specs: list[TaskSpec] = []
    intake = False
    for i, task in enumerate(battery.tasks):
        if task.step:
            intake = intake or task.step == "intake"
            continue
        item = task.content
        task_seed = (seed + i if seed is not None else None) if task.randomise else 0
        if getattr(item, "randomise", None) is not None and task_seed is None:
            task_seed = int.from_bytes(os.urandom(4), "little")
        specs.append(TaskSpec(
            kind=item.kind, item=_draw(item, task_seed), time_limit_s=float(task.time_limit_s) * settings.extra_time,
            practice=bool(task.practice), replays=int(task.replays), seed=task_seed,
            show_errors=bool(getattr(task, "show_errors", False)),
        ))
    return specs, intake


def choose_forms(specs: Sequence[TaskSpec], seen: Mapping[str, Any], catalogue: Sequence[Any],
                 band: Mapping[str, tuple[float, float]] | None = None) -> list[Any]:
    """Parallel forms (``content.forms``): each scored copy-typing and transcription spec gets the
    item ``choose_form`` picks for a trainee who has seen ``seen`` (item id -> when last seen),
    and its ``form`` (what was chosen and why, stored in the attempt's meta). An item presented
    earlier in the session (the practice passage) is not chosen again while another form is left.
    Practice tasks keep their item. Returns the ``FormChoice`` of each spec changed or kept."""
    from typingtest.content import forms

    choices = []
    for spec, (item, choice) in zip(specs, forms.choose_forms([(s.item, s.practice) for s in specs], seen,
                                                              catalogue, band), strict=True):
        if choice is not None:
            spec.item, spec.form = item, choice.to_dict()
            choices.append(choice)
    return choices


def parallel_forms(battery: Any, settings: Settings) -> Callable[[Session], None]:
    """What the session calls once it knows the candidate (``Session.choose_forms``): the items the
    candidate's earlier sessions presented (every attempt, practice and interrupted ones too, read
    from the store) decide the forms (``choose_forms``). A resumed session reads only the sessions
    before it, so it gets the forms it started with."""
    from typingtest.content.forms import form_catalogue, last_seen

    def apply(session: Session) -> None:
        if session.store is None or not session.candidate_id:
            return
        frame = session.store.attempts_frame(candidate=session.candidate_id, include_practice=True)
        if session.session_id is not None and len(frame):
            mine = frame["session_id"] == session.session_id
            if mine.any():  # resumed: only what came before this session counts
                frame = frame[~mine & (frame["started_at"] < frame.loc[mine, "started_at"].min())]
            else:
                frame = frame[~mine]
        seen = last_seen(list(frame["item"]), list(frame["started_at"]))
        catalogue = form_catalogue(str(battery.language), settings.passages_dir)
        choose_forms(session.specs, seen, catalogue, getattr(battery, "band", None))

    return apply


def single_task_spec(kind: str, item_id: str | None, settings: Settings, lang: str,
                     battery: Any = None, seed: int | None = None) -> TaskSpec:
    """The one task of ``typingtest run --task KIND [--item ID]`` (default item: ``<lang>-<kind>-01``).

    The time limit is the battery's for that item when it has one, else ``DEFAULT_TIME_LIMITS_S``.
    """
    if kind not in TASK_KINDS:
        raise UserError(f"--task: unknown task kind {kind!r}; choose one of {', '.join(TASK_KINDS)}")
    content = _content()
    item_id = item_id or f"{lang}-{_ID_PART[kind]}-01"
    try:
        item = content.load_item(item_id, settings.passages_dir)
    except (KeyError, FileNotFoundError, LookupError):
        raise UserError(f"--item: no content item {item_id!r}; see `typingtest content list`") from None
    if item.kind != kind:
        raise UserError(f"--item: {item_id} is a {item.kind} item, not {kind}; pick a {kind} item")
    limit = DEFAULT_TIME_LIMITS_S[kind]
    replays = 1
    show_errors = False
    for task in getattr(battery, "tasks", ()):
        if task.item == item_id and task.time_limit_s:
            limit, replays = float(task.time_limit_s), int(task.replays)
            show_errors = bool(getattr(task, "show_errors", False))
            break
    if getattr(item, "randomise", None) is not None and seed is None:
        seed = int.from_bytes(os.urandom(4), "little")
    return TaskSpec(kind=kind, item=_draw(item, seed), time_limit_s=limit * settings.extra_time, replays=replays,
                    seed=seed, show_errors=show_errors)


def open_workstation_store(settings: Settings) -> tuple[Any, list[Any]]:
    """The store, after recovering every unfinished attempt its journals hold (what the workstation
    does when it starts): each is stored interrupted with the metrics the engine computes from its
    events, its session marked interrupted so the proctor can resume it at intake.

    Returns the store and the store's ``RecoveryResult`` list (one per journal found).
    """
    from typingtest.store import open_store

    store = open_store(settings)
    try:
        results = store.recover()
    except Exception:
        store.close()
        raise
    return store, results


def recovery_summary(results: list[Any]) -> str | None:
    """One line on what start-up recovery did (counts only: no candidate ids, no results), or None
    when there was nothing to store or leave (journals already stored or empty are removed quietly)."""
    stored = sum(1 for r in results if r.status in ("recovered", "stored-finished"))
    left = sum(1 for r in results if r.status in ("in-use", "unreadable", "orphan", "no-key", "failed"))
    damaged = sum(1 for r in results if r.status == "damaged")
    if not stored and not left and not damaged:
        return None
    line = f"typingtest: recovered {stored} unfinished attempt{'s' if stored != 1 else ''} from the journals"
    if left:
        line += (f"; {left} journal{'s' if left != 1 else ''} left in place (in use, unreadable, from another "
                 "database or signed with a key this workstation lacks): see `typingtest recover`")
    if damaged:
        line += (f"; {damaged} damaged journal{'s' if damaged != 1 else ''} moved to journal/damaged/ with a report "
                 "of what could not be read: tell the centre's administrator")
    return line


def open_app(settings: Settings, *, windowed: bool = False, size: tuple[int, int] | None = None,
             clock: Clock | None = None, ui_lang: str | None = None) -> Any:
    """Open the workstation window; a ``UserError`` saying what to do when there is no display."""
    import pygame

    from typingtest.workstation.app import App

    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                                                 or os.environ.get("SDL_VIDEODRIVER")):
        raise UserError(_NO_DISPLAY)
    try:
        return App(settings, size=size or (1280, 720), clock=clock, fullscreen=not windowed and size is None,
                   ui_lang=ui_lang)
    except pygame.error as exc:
        raise UserError(f"cannot open a window ({exc}). {_NO_DISPLAY}") from None
    except ValueError as exc:  # an unknown interface language
        raise UserError(f"--ui-lang: {exc}") from None


_NO_DISPLAY = ("no display: the workstation needs a screen. Run it in a desktop session, or headless with "
               "SDL_VIDEODRIVER=dummy driven by a script (docs/workstation.md, 'Headless driving'), or under Xvfb "
               "(xvfb-run typingtest run ...)")


def install_hotkeys(app: Any) -> None:
    """Register the keys that act on every screen with the app (``App.hotkeys``): the proctor's
    panel (``PROCTOR_KEY``). The app itself knows no proctor."""
    from typingtest.workstation.app import Hotkey
    from typingtest.workstation.proctor import PROCTOR_HOTKEY, open_proctor

    key, mod = PROCTOR_HOTKEY
    if not any(h.key == key and h.mod == mod for h in app.hotkeys):
        app.hotkeys.append(Hotkey(key, mod, lambda t: open_proctor(app, t)))



def run_to_end(app: Any, session: Session) -> None:
    """Run the window until ``session`` ends; a window closed before then aborts the session (its
    journal stays for ``recover``) and the caller audio is closed either way."""
    try:
        app.run()
    finally:
        if not session.finished:
            session.abort("exit")
        if session.audio is not None:
            session.audio.close()

def start_session(app: Any, settings: Settings, store: Any, specs: list[TaskSpec], *, battery_id: str,
                  candidate_id: str | None, language: str, intake: bool, single: bool,
                  audio: Any = None, keyboard_layout: str | None = None,
                  thresholds: Mapping[str, Threshold] | None = None,
                  forms: Callable[[Session], None] | None = None) -> Session:
    """Make the session and show its first step (``keyboard_layout``: the intake's first choice,
    or the layout of a session without intake; ``thresholds``: those ``run`` checked at start,
    else read from the settings here).

    A battery with an intake step starts with the whole intake (id, consent, keyboard, headset);
    one task (``single``), or a battery without an intake step given a candidate, with the consent
    page only; the intake opens the store's session. Without a candidate and without an intake
    step nothing is stored, so nothing is asked."""
    install_hotkeys(app)
    full = intake and not single
    session = Session(app, settings, store, battery_id=battery_id, specs=specs, candidate_id=candidate_id,
                      language=language, intake=full or single or candidate_id is not None,
                      instructions=not single, closing=not single, audio=audio, keyboard_layout=keyboard_layout,
                      thresholds=thresholds)
    if not full:  # else the whole intake (Session's default, ``intake.INTAKE_PAGES``)
        session.intake_pages = ("consent",)
    session.choose_forms = forms  # parallel forms once the candidate is known (``parallel_forms``)
    from typingtest.workstation.room_link import attach_room_link

    attach_room_link(app, session, store, settings)  # heartbeats and console commands, off the UI thread
    session.start()
    return session
