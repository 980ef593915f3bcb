"""Typing figures of the typed text only: command keys (the finishing Ctrl+Enter and Enter, Tab,
F5, Ctrl+V, ...) are no key presses of KSPC, intervals or seconds.

Expected figures are hand counts: "hello world" typed one key every 0.25 s is 11 key presses,
S = 10 x 0.25 = 2.5 s, WPM = (11 - 1) / 2.5 x 60 / 5 = 48 (the worked example of docs/engine.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pygame

from typingtest.engine import analyze
from typingtest.engine.events import EventKind, make_log
from typingtest.engine.timing import COMMAND_KEYS, MODIFIER_KEYS, typing_presses
from typingtest.engine.version import ENGINE_VERSION, figures_changed_since
from typingtest.store.verification import _compare_metrics

LCTRL, RALT = pygame.KMOD_LCTRL, pygame.KMOD_RALT


def _typed(text: str, target: str = "answer", dt: float = 0.25) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for i, ch in enumerate(text):
        rows.append({"t": i * dt, "kind": EventKind.KEY_DOWN, "key": ord(ch), "target": target})
        rows.append({"t": i * dt, "kind": EventKind.TEXT, "text": ch, "target": target})
        rows.append({"t": i * dt + 0.08, "kind": EventKind.KEY_UP, "key": ord(ch), "target": target})
    return rows


def _finish(t: float, target: str) -> list[dict[str, Any]]:
    """Ctrl+Enter at ``t`` and the confirming Enter 0.5 s later, as the workstation logs them."""
    return [
        {"t": t, "kind": EventKind.KEY_DOWN, "key": pygame.K_LCTRL, "mod": LCTRL, "target": target},
        {"t": t + 0.1, "kind": EventKind.KEY_DOWN, "key": pygame.K_RETURN, "mod": LCTRL, "target": target},
        {"t": t + 0.1, "kind": EventKind.MARKER, "text": "finish-request"},
        {"t": t + 0.6, "kind": EventKind.KEY_DOWN, "key": pygame.K_RETURN, "target": target},
        {"t": t + 0.6, "kind": EventKind.MARKER, "text": "task-end", "target": "finish"},
    ]


def test_a_10_s_pause_before_ctrl_enter_no_longer_lowers_wpm() -> None:
    # the finishing keys in the answer field's rows (the worst case: a log whose recorder gave them
    # the field's target) and 10 s of reading before them
    log = make_log(_typed("hello world") + _finish(2.5 + 10.0, "answer"))
    a = analyze("hello world", log, target="answer")
    assert (a.key_presses, a.seconds, a.wpm, a.kspc) == (11, 2.5, 48.0, 1.0)
    assert a.pauses == 0 and a.iki.n == 10
    # the same with the workstation's targets, read without a target filter
    log = make_log(_typed("hello world") + _finish(12.5, "finish"))
    a = analyze("hello world", log)
    assert (a.key_presses, a.seconds, a.wpm) == (11, 2.5, 48.0)


def test_kspc_hand_counted_with_editing_and_command_keys() -> None:
    # P "ab cd", typed: Shift+a ("A": 2 presses), Backspace, a, b, Tab (focus: no text), space, F5 (replay),
    # Ctrl+V (a blocked paste: Ctrl and V, no text), c, d, Ctrl+Backspace (word-backspace: 2 presses,
    # it edits), c, d. Key presses of the text: Shift, a, Backspace, a, b, space, c, d, Ctrl, Backspace,
    # c, d = 12; left out: Tab, F5, Ctrl, V = 4. T = "ab cd" (5): KSPC = 12 / 5 = 2.4.
    rows: list[dict[str, Any]] = []
    t = 0.0

    def key(k: int, mod: int = 0, text: str | None = None, edit: str | None = None) -> None:
        nonlocal t
        rows.append({"t": t, "kind": EventKind.KEY_DOWN, "key": k, "mod": mod, "target": "answer"})
        if text is not None:
            rows.append({"t": t, "kind": EventKind.TEXT, "text": text, "target": "answer"})
        if edit is not None:
            rows.append({"t": t, "kind": EventKind.EDIT, "text": edit, "target": "answer"})
        t += 0.3

    key(pygame.K_LSHIFT, pygame.KMOD_LSHIFT)
    key(pygame.K_a, pygame.KMOD_LSHIFT, text="A")
    key(pygame.K_BACKSPACE, edit="backspace")
    key(pygame.K_a, text="a")
    key(pygame.K_b, text="b")
    key(pygame.K_TAB)
    key(pygame.K_SPACE, text=" ")
    key(pygame.K_F5)
    key(pygame.K_LCTRL, LCTRL)
    key(pygame.K_v, LCTRL)
    rows.append({"t": t - 0.3, "kind": EventKind.PASTE_ATTEMPT, "target": "answer"})
    key(pygame.K_c, text="c")
    key(pygame.K_d, text="d")
    key(pygame.K_LCTRL, LCTRL)
    key(pygame.K_BACKSPACE, LCTRL, edit="word-backspace")
    key(pygame.K_c, text="c")
    key(pygame.K_d, text="d")
    log = make_log(rows)
    mask = typing_presses(log)
    assert int(mask.sum()) == 12 and int((~mask).sum()) == 4
    a = analyze("ab cd", log, target="answer")
    assert a.transcribed == "ab cd" and a.key_presses == 12 and a.kspc == 2.4
    # seconds: first press (Shift, 0 s) to the last d (16 presses later: 15 x 0.3 = 4.5 s)
    assert abs(a.seconds - 4.5) < 1e-9


def test_enter_with_a_line_break_and_altgr_characters_are_typing() -> None:
    rows = _typed("ab")
    rows += [{"t": 0.6, "kind": EventKind.KEY_DOWN, "key": pygame.K_RETURN, "target": "answer"},
             {"t": 0.6, "kind": EventKind.TEXT, "text": "\n", "target": "answer"},
             # AltGr+e on Windows: right Alt with Ctrl, committing "€"
             {"t": 0.9, "kind": EventKind.KEY_DOWN, "key": pygame.K_RALT, "mod": RALT | LCTRL, "target": "answer"},
             {"t": 1.0, "kind": EventKind.KEY_DOWN, "key": pygame.K_e, "mod": RALT | LCTRL, "target": "answer"},
             {"t": 1.0, "kind": EventKind.TEXT, "text": "€", "target": "answer"}]
    log = make_log(rows)
    assert typing_presses(log).tolist() == [True] * 5
    assert analyze("ab\n€", log).key_presses == 5


def test_key_codes_are_pygames() -> None:
    named = {pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_TAB, pygame.K_ESCAPE, pygame.K_INSERT,
             pygame.K_PAGEUP, pygame.K_PAGEDOWN, pygame.K_PRINTSCREEN, pygame.K_SCROLLLOCK, pygame.K_PAUSE,
             pygame.K_MENU, *(getattr(pygame, f"K_F{i}") for i in range(1, 16))}
    assert named <= COMMAND_KEYS
    assert {pygame.K_LCTRL, pygame.K_RCTRL, pygame.K_LSHIFT, pygame.K_RSHIFT, pygame.K_LALT, pygame.K_RALT,
            pygame.K_LGUI, pygame.K_RGUI, pygame.K_MODE} == MODIFIER_KEYS
    assert not ({pygame.K_BACKSPACE, pygame.K_DELETE, pygame.K_LEFT, pygame.K_HOME, pygame.K_SPACE} & COMMAND_KEYS)
    from typingtest.workstation.recorder import MODIFIER_KEYS as RECORDER_MODIFIERS

    assert RECORDER_MODIFIERS == MODIFIER_KEYS


def test_verify_compares_an_older_engine_versions_figures_only_where_definitions_agree() -> None:
    again = {"engine_version": ENGINE_VERSION, "msd": 0, "kspc": 1.0, "wpm": 48.0}
    old = {"msd": 0, "kspc": 14 / 11, "wpm": 13.1}  # stored before version 2 (no engine_version)
    assert _compare_metrics(old, again) == []
    assert _compare_metrics({**old, "msd": 1}, again) == ["metric msd differs from its recomputation from the events"]
    # the same version: every figure compared
    assert len(_compare_metrics({**old, "engine_version": ENGINE_VERSION}, again)) == 2
    assert "kspc" in figures_changed_since(None) and "msd" not in figures_changed_since(1)
    assert figures_changed_since(ENGINE_VERSION) == frozenset()


def test_the_workstation_finishing_after_a_pause_keeps_the_speed(tmp_path: Path) -> None:
    # headless front end: type, read for 10 s, Ctrl+Enter, Enter; the speed is that of the typing
    from typingtest.config import Settings
    from typingtest.content import load_item
    from typingtest.workstation.driver import Driver
    from typingtest.workstation.session import TaskSpec

    d = Driver.open(Settings(results_dir=tmp_path), None, single=True, candidate="C-FIN",
                    specs=[TaskSpec("copy-typing", load_item("nl-copy-03"), 300.0)])
    d.type("De klant", 0.2)  # 8 characters 0.2 s apart: S = 1.4 s
    d.wait(10.0)
    d.finish()
    m = d.session.results[-1].metrics
    assert (m["key_presses"], round(m["seconds"], 6), m["kspc"]) == (8, 1.4, 1.0)
    assert np.isclose(m["wpm"], (8 - 1) / 1.4 * 12)
