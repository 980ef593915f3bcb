"""Screenshots of every scene, taken headless (dummy video driver, injected clock, silent audio).

    python -m typingtest.workstation.screenshots [--out docs/screenshots] [--size 1280x720] [--scene NAME ...]

Each scene is put in a state worth seeing by posted events, as a candidate would. The same
``SCENES`` table drives the smoke test that opens every scene for a few frames.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pygame

from typingtest.config import Settings, workstation_proctor_code
from typingtest.workstation.app import App
from typingtest.workstation.audio_link import CallerAudio
from typingtest.workstation.clock import ManualClock
from typingtest.workstation.runner import install_hotkeys
from typingtest.workstation.sdl_env import prepare_sdl_environment
from typingtest.workstation.session import Session, TaskSpec

__all__ = ["SCENES", "open_scene", "take_all"]


def _session(app: App, specs: list[TaskSpec], *, intake: bool = False, closing: bool = False,
             instructions: bool = False) -> Session:
    audio = CallerAudio(app.clock.now, silent=True)
    return Session(app, app.settings, None, battery_id="screenshots", specs=specs, candidate_id=None if intake
                   else "C-DEMO", language="nl", intake=intake, instructions=instructions, closing=closing,
                   audio=audio)


def _item(item_id: str) -> object:
    from typingtest.content import load_item

    return load_item(item_id)


def _spec(kind: str, item_id: str, limit: float = 300.0, show_errors: bool = False) -> TaskSpec:
    item = _item(item_id)
    if getattr(item, "randomise", None) is not None:
        from typingtest.content import draw_form

        item = draw_form(item, 7)
    return TaskSpec(kind, item, limit, seed=7, show_errors=show_errors)


def _until_ringing(app: App) -> None:
    """A call task just started: "ready" when the desk asks for it, then wait for the ring."""
    app.advance(0.5)
    if "ready" in app.widget_names():
        app.click("ready")
        app.advance(0.2)
    for _ in range(120):  # the ring cue comes a few seconds after the start (or after "ready")
        if app.scene.call.phone == "ringing":  # type: ignore[union-attr]
            break
        app.advance(0.25)
    app.advance(0.1)


def _answer(app: App) -> None:
    """A call task just started: wait for the ring, pick up."""
    _until_ringing(app)
    app.click("pickup")
    app.advance(0.3)


def _intake(app: App) -> None:
    _session(app, [], intake=True).start()
    app.advance(0.2)
    app.type_text("C-0042", 0.1)


def _consent(app: App) -> None:
    _intake(app)
    app.post_key(pygame.K_RETURN)
    app.advance(0.2)


def _keyboard(app: App) -> None:
    """The keyboard check after a typical slip: the characters typed without their spaces."""
    _consent(app)
    app.post_key(pygame.K_RETURN)  # agree
    app.advance(0.2)
    app.type_text("éèëçà@€", 0.1)
    app.post_key(pygame.K_RETURN)
    app.advance(0.2)


def _headset(app: App) -> None:
    """The headset check: the word has played (silently here); the candidate types it."""
    _keyboard(app)
    field = app.scene.widget("layout-check")  # type: ignore[union-attr]
    field.set_text("")  # type: ignore[attr-defined]
    app.type_text("é è ë ç à @ €", 0.1)
    app.post_key(pygame.K_RETURN)
    app.advance(0.5)
    app.type_text("zonne", 0.1)


def _ready(app: App) -> None:
    """The ready screen before a second task of a kind (no instructions of its own)."""
    _session(app, [_spec("copy-typing", "nl-copy-01", 60.0), _spec("copy-typing", "nl-copy-02", 60.0)],
             instructions=True).start()
    app.advance(0.6)  # the instructions' input guard
    app.post_key(pygame.K_RETURN)
    app.advance(0.5)
    app.type_text("Geachte", 0.1)
    app.post_key(pygame.K_RETURN, pygame.KMOD_LCTRL)
    app.advance(0.3)
    app.post_key(pygame.K_RETURN)
    app.advance(1.0)


def _instructions(app: App) -> None:
    _session(app, [_spec("call", "nl-call-01")], instructions=True).start()
    app.advance(0.2)


def _copy(app: App) -> None:
    _session(app, [_spec("copy-typing", "nl-copy-01")]).start()
    app.advance(0.5)
    text = app.scene.state.presented  # type: ignore[union-attr]
    app.type_text(text[:130].replace(text[40], "x", 1), 0.05)


def _copy_errors(app: App) -> None:
    """Copy typing with ``show_errors``: a substitution, an extra character and a left-out one."""
    _session(app, [_spec("copy-typing", "nl-copy-01", show_errors=True)]).start()
    app.advance(0.5)
    text = app.scene.state.presented  # type: ignore[union-attr]
    typed = text[:30] + "x" + text[31:60] + "q" + text[60:90] + text[91:130]
    app.type_text(typed, 0.05)


def _finish_dialog(app: App) -> None:
    _copy(app)
    app.post_key(pygame.K_RETURN, pygame.KMOD_LCTRL)
    app.advance(0.2)


def _transcription(app: App) -> None:
    _session(app, [_spec("transcription", "nl-trans-01")]).start()
    app.advance(3.0)
    app.type_text("Goedemiddag, u spreekt met Koen Wouters, klantnummer 317540-59.", 0.05)


def _data_entry(app: App) -> None:
    _session(app, [_spec("data-entry", "nl-entry-01")]).start()
    app.advance(2.0)
    fields = app.scene.state.fields  # type: ignore[union-attr]
    item = app.scene.spec.item  # type: ignore[union-attr]
    values = {f.name: f.value for f in item.fields}
    for f in fields[:4]:
        app.click(f.name)
        app.advance(0.1)
        app.type_text(values[f.name] or "", 0.04)


def _call(app: App) -> None:
    _session(app, [_spec("call", "nl-call-01", 420.0)]).start()
    _answer(app)
    app.click("script:greet")
    app.advance(0.3)
    app.advance(8.0)
    app.click("script:ask-id")
    app.advance(0.2)
    app.click("search:records")
    app.type_text("Claes", 0.08)
    app.post_key(pygame.K_RETURN)
    app.advance(0.3)
    app.click("results:K2")
    app.advance(0.3)
    app.click("products:P1")
    app.advance(0.3)
    app.click("search:articles")
    app.type_text("verzend", 0.08)
    app.post_key(pygame.K_RETURN)
    app.advance(0.3)
    app.click("articles:A1")
    app.advance(0.3)
    app.click("order_code_1")
    app.type_text("OT-030", 0.08)
    app.advance(70.0)


def _transfer(app: App) -> None:
    _session(app, [_spec("call", "nl-call-02", 420.0)]).start()
    _answer(app)
    app.advance(1.7)
    app.post_key(pygame.K_F3)
    app.advance(0.3)


def _wrapup(app: App) -> None:
    _session(app, [_spec("call", "nl-call-02", 420.0)]).start()
    _answer(app)
    app.advance(1.7)
    app.post_key(pygame.K_F4)
    app.advance(0.3)
    app.type_text("Klant belt over factuur F-2026-031147, 90 euro interventiekosten betwist.", 0.04)


def _ringing(app: App) -> None:
    """nl-call-01 ringing: the phone bar shows the caller's number."""
    _session(app, [_spec("call", "nl-call-01", 420.0)]).start()
    _until_ringing(app)


def _order_placed(app: App) -> None:
    """nl-call-01: the caller's order entered from the product list, placed: number, lines, total."""
    _session(app, [_spec("call", "nl-call-01", 420.0)]).start()
    _answer(app)
    for product, qty in (("P2", "1"), ("P3", "3")):
        app.click(f"products:{product}")
        app.advance(0.2)
        app.click("add-line")
        app.advance(0.2)
        app.type_text(qty, 0.1)
    app.click("submit-order")
    app.advance(0.3)


def _saved(app: App) -> None:
    """nl-call-02: transferred (the phone bar says to whom), then the wrap-up note saved."""
    _session(app, [_spec("call", "nl-call-02", 420.0)]).start()
    _answer(app)
    app.advance(1.7)
    app.post_key(pygame.K_F3)
    app.advance(0.3)
    app.click("transfer-targets:technical")
    app.advance(0.1)
    app.click("transfer-do")
    app.advance(0.3)
    app.click("wrapup")
    app.type_text("Klant betwist 90 euro interventiekosten op factuur F-2026-031147. Doorverbonden met de "
                  "technische dienst voor de controle van de interventie.", 0.02)
    app.click("submit-wrap-up")
    app.advance(0.3)


def _callback(app: App) -> None:
    """nl-call-04: the planner with every slot as weekday, date and time, today on the desk, a
    call-back planned."""
    _session(app, [_spec("call", "nl-call-04", 420.0)]).start()
    app.advance(0.5)
    if "ready" in app.widget_names():
        app.click("ready")
    app.advance(0.5)
    app.post_key(pygame.K_F10)
    app.advance(0.2)
    app.click("callback-slots:2026-03-17T14:30")
    app.advance(0.1)
    app.click("callback-plan")
    app.advance(0.3)


def _chat_alert(app: App) -> None:
    """nl-call-01: a chat has just come in (its panel blinks); the script lines said are ticked and
    the long ones wrap."""
    _session(app, [_spec("call", "nl-call-01", 420.0)]).start()
    _answer(app)
    for step in ("greet", "ask-id", "ask-address"):
        app.click(f"script:{step}")
        app.advance(0.3)
    call = app.scene.call  # type: ignore[union-attr]
    for _ in range(400):  # the chat comes 8 s after line l4, which waits for the identity (15 s at most)
        if call.chats_shown:
            break
        app.advance(0.25)
    app.advance(0.1)  # the first half second of the blink: lit


def _closing(app: App) -> None:
    app.settings.closing_screen = "summary"
    s = _session(app, [], closing=True)
    from typingtest.workstation.session import AttemptResult

    s.results.append(AttemptResult("x", "copy-typing", "nl-copy-01", False, "complete",
                                   {"net_wpm": 41.3, "msd_error_rate": 0.012}, [], None))
    s.start()
    app.advance(0.2)


def _proctor(app: App) -> None:
    _copy(app)
    app.post_key(pygame.K_v, pygame.KMOD_LCTRL)  # a paste attempt: an incident
    app.advance(0.1)
    app.post_key(pygame.K_p, pygame.KMOD_LCTRL | pygame.KMOD_LALT)
    app.advance(0.1)
    for ch in workstation_proctor_code(app.settings)[0]:
        app.post_text(ch)
    app.post_key(pygame.K_RETURN)
    app.advance(0.2)


def _no_audio(app: App) -> None:
    from typingtest.workstation.flow_scenes import NoAudioScene

    s = _session(app, [])
    app.show(NoAudioScene(app, s, lambda: app.scene))  # type: ignore[arg-type, return-value]
    app.advance(0.1)


def _replay(app: App) -> None:
    from typingtest.engine.events import EventKind, make_log
    from typingtest.workstation.replay import ReplayScene

    text = _item("nl-copy-01").text  # type: ignore[attr-defined]
    rows = [{"t": 0.0, "kind": EventKind.MARKER, "text": "task-start"}]
    for i, ch in enumerate(text[:160]):
        rows.append({"t": 0.5 + 0.2 * i, "kind": EventKind.TEXT, "text": ch, "target": "answer"})
    rows.append({"t": 20.0, "kind": EventKind.CLICK, "target": "finish", "x": 1100, "y": 690})
    scene = ReplayScene(app, make_log(rows), title="copy-typing nl-copy-01", presented=text, speed=2.0)
    app.show(scene)
    app.advance(12.0)


def _practice_run_out(app: App) -> None:
    """The default battery's start: a 60 s practice (nl-copy-06, errors shown) before the scored
    passage; the candidate types a little with one slip, then stops; the practice runs out."""
    practice = _spec("copy-typing", "nl-copy-06", 60.0, show_errors=True)
    practice.practice = True
    _session(app, [practice, _spec("copy-typing", "nl-copy-01")], instructions=True, closing=True).start()
    app.advance(0.6)
    app.post_key(pygame.K_RETURN)
    app.advance(0.3)
    text = app.scene.state.presented  # type: ignore[union-attr]
    app.type_text(text[:20] + "x" + text[21:75], 0.2)
    app.advance(app.scene.state.remaining(app.clock.now()) + 0.1)  # type: ignore[union-attr]


def _time_up(app: App) -> None:
    """"Time is up", as the practice runs out."""
    _practice_run_out(app)
    app.advance(0.5)


def _practice_result(app: App) -> None:
    """After the practice: its result, and the scored task waiting for Enter (issue 17; the "before"
    of this screen, the scored task running by itself, is ``practice-to-task-before.png``)."""
    from typingtest.workstation.flow_scenes import TIME_UP_S

    _practice_run_out(app)
    app.advance(TIME_UP_S + 30.0)  # nobody at the keyboard: it still waits


def _practice(app: App) -> Session:
    """``typingtest practice`` without a store: a trainee whose e and k fail often (the virtual
    typist on nl-copy-01), the learner model read again from the drills typed (as from the store)."""
    from typingtest.simulate.profiles import BAND_PROFILES
    from typingtest.simulate.typist import type_text
    from typingtest.training.learner import AttemptInput, model_from_attempts
    from typingtest.training.practice import Practice
    from typingtest.workstation.drill_scenes import start_practice

    text = _item("nl-copy-01").text  # type: ignore[attr-defined]
    att = type_text(text, BAND_PROFILES["average"], seed=2, target="answer", key_error_rates={"e": 0.3, "k": 0.4})
    base = [AttemptInput(text, "", log=att.log, target="answer")]
    held: dict[str, Session] = {}

    def model() -> object:
        s = held.get("session")
        done = [] if s is None else [AttemptInput(str(spec.item.text), r.fields.get("answer", ""), r.metrics,
                                                  practice=True) for spec, r in zip(s.specs, s.results, strict=True)]
        return model_from_attempts([*base, *done], candidate_id="C-DEMO")

    practice = Practice("C-DEMO", model, minutes=10, length=200)  # type: ignore[arg-type]
    held["session"] = start_practice(app, app.settings, None, practice, audio=CallerAudio(app.clock.now, silent=True))
    app.advance(0.6)  # the intro's input guard
    app.post_key(pygame.K_RETURN)
    app.advance(0.5)
    return held["session"]


def _drill(app: App) -> None:
    """A drill under way: the trainee's weak keys in real words and job material, one slip marked."""
    _practice(app)
    text = app.scene.state.presented  # type: ignore[union-attr]
    app.type_text(text[:25] + "r" + text[26:118], 0.2)


def _drill_feedback(app: App) -> None:
    """After a drill typed through with three slips: speed, errors marked, keys before and now, the goal."""
    _practice(app)
    text = app.scene.state.presented  # type: ignore[union-attr]
    slips = [i for i, c in enumerate(text) if c in "ek"][2:9:3]
    typed = "".join("r" if i in slips else c for i, c in enumerate(text))
    app.type_text(typed, 0.22)
    app.post_key(pygame.K_RETURN, pygame.KMOD_LCTRL)
    app.advance(0.2)
    app.post_key(pygame.K_RETURN)
    app.advance(1.0)


#: name -> how to bring the scene on screen (a headless App with a ManualClock).
SCENES: dict[str, Callable[[App], None]] = {
    "intake": _intake,
    "intake-consent": _consent,
    "intake-keyboard": _keyboard,
    "intake-headset": _headset,
    "instructions": _instructions,
    "time-up": _time_up,
    "practice-result": _practice_result,
    "ready": _ready,
    "copy-typing": _copy,
    "copy-typing-errors": _copy_errors,
    "finish-dialog": _finish_dialog,
    "transcription": _transcription,
    "data-entry": _data_entry,
    "call": _call,
    "call-transfer": _transfer,
    "call-wrap-up": _wrapup,
    "call-ringing": _ringing,
    "call-order-placed": _order_placed,
    "call-saved": _saved,
    "call-callback": _callback,
    "call-chat-alert": _chat_alert,
    "proctor": _proctor,
    "no-audio": _no_audio,
    "replay": _replay,
    "closing": _closing,
    "drill": _drill,
    "drill-feedback": _drill_feedback,
}


def open_scene(name: str, size: tuple[int, int] = (1280, 720), settings: Settings | None = None) -> App:
    """A headless app showing scene ``name`` (see ``SCENES``)."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    prepare_sdl_environment()  # before the window: SDL reads it when the window surface is made
    if settings is None:
        settings = Settings(results_dir=Path(tempfile.mkdtemp(prefix="typingtest-shots-")))
    app = App(settings, size=size, clock=ManualClock(1000.0))
    install_hotkeys(app)  # Ctrl+Alt+P, as `run` has it
    SCENES[name](app)
    app.invalidate()
    app.pump()
    return app


def take_all(out: Path, size: tuple[int, int] = (1280, 720), names: list[str] | None = None) -> list[Path]:
    """Save a PNG of every scene (or of the scenes ``names``) into ``out``; returns the files."""
    unknown = sorted(set(names or ()) - set(SCENES))
    if unknown:
        raise SystemExit(f"screenshots: no scene {', '.join(unknown)}; scenes: {', '.join(SCENES)}")
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for name in names or SCENES:
        app = open_scene(name, size)
        path = out / f"{name}.png"
        pygame.image.save(app.screen, str(path))
        files.append(path)
        pygame.event.clear()
    return files


def main() -> None:
    """``python -m typingtest.workstation.screenshots``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/screenshots", help="folder for the PNG files")
    parser.add_argument("--size", default="1280x720", help="screen size WxH")
    parser.add_argument("--scene", action="append", metavar="NAME", help="only this scene (repeatable)")
    args = parser.parse_args()
    w, h = (int(v) for v in args.size.split("x"))
    for path in take_all(Path(args.out), (w, h), args.scene):
        print(path)


if __name__ == "__main__":
    main()
