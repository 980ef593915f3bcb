"""Function keys belong to their buttons (issue 15, item 5), and the workstation's contracts (item 4).

Every button shown with a function-key ``shortcut`` is pressed by that key (``Scene.press_shortcut``),
on every screen that has one: the call desk before and after "ready" (inbound and outbound), the
transcription and data-entry tasks, the intake's keyboard and headset pages and the proctor's
panel. No two buttons on screen share a key; the caption shows the key from the shortcut; no
module docstring or simulator table lists keys of its own. Headless (``SDL_VIDEODRIVER=dummy``).
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pygame
import pytest

from typingtest.config import Settings, workstation_proctor_code
from typingtest.content import load_item
from typingtest.workstation import registry
from typingtest.workstation.app import App
from typingtest.workstation.audio_link import CallerAudio
from typingtest.workstation.clock import ManualClock
from typingtest.workstation.driver import Driver
from typingtest.workstation.scene import ProctorTarget, Scene, TaskHost
from typingtest.workstation.session import TASK_KINDS, Session, TaskSpec
from typingtest.workstation.widgets import FUNCTION_KEYS, Button

WORKSTATION = Path(__file__).resolve().parents[2] / "typingtest" / "workstation"
SIMULATE = WORKSTATION.parent / "simulate"


def _layer(app: App) -> Scene:
    layer = app.overlay if app.overlay is not None else app.scene
    assert layer is not None
    return layer


def _keyed_buttons(app: App) -> list[Button]:
    return [w for w in _layer(app).widgets if isinstance(w, Button) and w.visible and w.key is not None]


def _check_every_key_presses_its_button(app: App) -> list[str]:
    """Post each shown button's key with its action replaced by a spy; returns the shortcuts checked."""
    buttons = _keyed_buttons(app)
    keys = [b.shortcut for b in buttons]
    assert len(keys) == len(set(keys)), f"two buttons on screen share a key: {keys}"
    for b in buttons:
        pressed: list[str] = []
        action, b.on_press = b.on_press, (lambda n=b.name, p=pressed: p.append(n))  # type: ignore[misc]
        try:
            app.post_key(FUNCTION_KEYS[b.shortcut])
            app.advance(0.05)
        finally:
            b.on_press = action
        assert pressed == [b.name], f"{b.shortcut} did not press {b.name!r}"
        assert b.caption.endswith(f"[{b.shortcut}]")  # the key shown comes from the shortcut
        assert not re.search(r"\bF\d+\b", b.label), f"{b.name!r}: the label names a key itself: {b.label!r}"
    return keys


def _task(results_dir: Path, kind: str, item: str) -> Driver:
    spec = TaskSpec(kind, load_item(item), 300.0)
    return Driver.open(Settings(results_dir=results_dir), None, specs=[spec], single=True)


def test_the_call_desks_keys_press_their_buttons_before_and_after_ready(results_dir: Path) -> None:
    d = _task(results_dir, "call", "nl-call-02")
    before = _check_every_key_presses_its_button(d.app)
    assert "F1" in before and "F2" not in before  # "ready" has F1; the phone's buttons wait for it
    d.click("ready")
    after = _check_every_key_presses_its_button(d.app)
    assert {"F1", "F2", "F3", "F4", "F6", "F7", "F11"} <= set(after)  # the phone, identity, wrap-up tab


def test_an_outbound_calls_dial_button_has_the_pickup_key(results_dir: Path) -> None:
    item = next(i for i in ("nl-call-03", "nl-call-04", "nl-call-05") if load_item(i).direction == "outbound")
    d = _task(results_dir, "call", item)
    d.click("ready")
    assert "F1" in _check_every_key_presses_its_button(d.app)


@pytest.mark.parametrize(("kind", "item"), [("transcription", "nl-trans-01"), ("data-entry", "nl-entry-01")])
def test_play_is_pressed_by_its_key(results_dir: Path, kind: str, item: str) -> None:
    d = _task(results_dir, kind, item)
    assert _check_every_key_presses_its_button(d.app) == ["F5"]


def test_the_intakes_keyboard_and_headset_pages_keys_press_their_buttons(results_dir: Path) -> None:
    settings = Settings(results_dir=results_dir)
    app = App(settings, size=(1280, 720), clock=ManualClock(1000.0))
    session = Session(app, settings, None, battery_id="keys", specs=[], intake=True, closing=False,
                      audio=CallerAudio(app.clock.now, silent=True))
    session.start()
    scene = app.scene
    assert scene is not None and scene.name == "intake"
    scene.show_page("layout")  # type: ignore[attr-defined]
    assert _check_every_key_presses_its_button(app) == ["F1", "F2", "F3"]
    app.post_key(pygame.K_F2)  # and the real action: F2 chooses QWERTY (US)
    app.advance(0.05)
    assert scene.keyboard_layout == "qwerty-us"  # type: ignore[attr-defined]
    scene.show_page("headset")  # type: ignore[attr-defined]
    assert _check_every_key_presses_its_button(app) == ["F5"]


def test_the_proctor_panels_keys_press_their_buttons(results_dir: Path) -> None:
    d = _task(results_dir, "copy-typing", "nl-copy-01")
    d.key(pygame.K_p, pygame.KMOD_LCTRL | pygame.KMOD_LALT, after=0.05)
    d.type(workstation_proctor_code(d.app.settings)[0], 0.02)  # the code this workstation made for itself
    d.key(pygame.K_RETURN, after=0.05)
    assert d.app.overlay is not None and d.app.overlay.unlocked  # type: ignore[attr-defined]
    assert _check_every_key_presses_its_button(d.app) == ["F5", "F6", "F7", "F9"]  # F8: at intake only


def test_the_driver_finds_a_buttons_key_from_the_button(results_dir: Path) -> None:
    d = _task(results_dir, "call", "nl-call-02")
    assert d.shortcut_key("ready") == pygame.K_F1
    d.press("ready")
    assert not d.scene.call.waiting_for_ready
    assert d.shortcut_key("tab-wrap-up") == pygame.K_F11
    with pytest.raises(KeyError, match="no button 'pickup-nowhere'"):
        d.shortcut_key("pickup-nowhere")


def test_no_docstring_or_simulator_table_lists_keys_of_its_own() -> None:
    """The keys are written where the buttons are made; the call desk's docstring named them
    apart (and wrongly), the simulator had a table of the tabs' keys."""
    call_doc = ast.get_docstring(ast.parse((WORKSTATION / "call_scene.py").read_text(encoding="utf-8"))) or ""
    assert not re.search(r"\bF\d+\b", call_doc)
    drive = (SIMULATE / "drive.py").read_text(encoding="utf-8")
    assert "K_F" not in drive and "import pygame" not in drive and "pygame.event" not in drive
    for name in ("call_scene.py", "task_scenes.py", "intake.py", "proctor.py"):
        assert "K_F" not in (WORKSTATION / name).read_text(encoding="utf-8"), name


def test_the_simulators_key_codes_are_pygames() -> None:
    from typingtest.simulate import drive

    assert (pygame.K_RETURN, pygame.K_a, pygame.KMOD_LCTRL) == (drive.K_RETURN, drive.K_A, drive.KMOD_LCTRL)


# ------------------------------------------------------------------------------- contracts (item 4)


def _modules_after_import(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"SDL_VIDEODRIVER": "dummy", "PYGAME_HIDE_SUPPORT_PROMPT": "1",
                              "PATH": "/usr/bin:/bin"})
    return set(out.stdout.split())


def test_the_app_imports_no_proctor_and_the_session_no_scene_module() -> None:
    scenes = {f"typingtest.workstation.{m}" for m in ("task_scenes", "call_scene", "flow_scenes", "intake", "proctor")}
    assert not scenes & _modules_after_import("typingtest.workstation.app")
    assert not scenes & _modules_after_import("typingtest.workstation.session")


def test_the_rules_the_scenes_apply_need_no_pygame() -> None:
    assert "pygame" not in _modules_after_import("typingtest.workstation.rules")


def test_every_task_kind_has_a_scene_in_the_registry() -> None:
    assert sorted(registry.task_kinds()) == sorted(TASK_KINDS)
    with pytest.raises(ValueError, match="unknown task kind 'typing-race'"):
        registry.task_scene("typing-race")


def test_proctor_and_session_ask_no_scene_what_it_has() -> None:
    """The ``hasattr``/``getattr`` checks on scenes became two protocols (``TaskHost``, ``ProctorTarget``)."""
    for name in ("proctor.py", "session.py"):
        source = (WORKSTATION / name).read_text(encoding="utf-8")
        assert not re.search(r"hasattr\((app\.)?scene|getattr\((self\.app\.|app\.)?scene", source), name


def test_task_scenes_are_task_hosts_and_every_scene_a_proctor_target(results_dir: Path) -> None:
    d = _task(results_dir, "copy-typing", "nl-copy-01")
    assert isinstance(d.scene, TaskHost) and isinstance(d.scene, ProctorTarget)
    assert not d.scene.offers_retake_override
    plain = Scene(d.app)  # a screen without a task: no spec, no state
    assert isinstance(plain, ProctorTarget) and not isinstance(plain, TaskHost)
