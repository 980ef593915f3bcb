"""show_errors in copy typing, headless: the quick battery's copy task (show_errors = true in
passages/batteries/quick.toml) marks a wrong character in the answer field; without the option
nothing is marked; the event log is the same either way."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pygame

from typingtest.config import Settings
from typingtest.workstation.driver import Driver
from typingtest.workstation.session import TaskSpec


def _typed_with_slip(passage: str) -> tuple[str, int]:
    """The first 20 characters of the passage with character 7 replaced by one it is not."""
    wrong = "x" if passage[7] != "x" else "q"
    return passage[:7] + wrong + passage[8:20], 7


def _error_pixels(d: Driver, field: str) -> int:
    """How many pixels of the field show the theme's error colour (exact match)."""
    rect = d.scene.widget(field).rect
    rgb = pygame.surfarray.array3d(d.app.screen)[rect.left:rect.right, rect.top:rect.bottom]
    return int(np.all(rgb == np.array(d.app.theme.color("error")), axis=-1).sum())


def _answer_events(d: Driver) -> list[tuple[float, int, str, str]]:
    log = d.app.recorder.to_log()
    return [(float(r["t"]), int(r["kind"]), str(r["text"]), str(r["target"])) for r in log]


def test_quick_battery_copy_task_marks_a_wrong_character(results_dir: Path) -> None:
    d = Driver.open(Settings(results_dir=results_dir), None, battery="quick", seed=3)
    d.intake("C-SHOW-1")
    d.start_task()
    assert d.scene.name == "copy-typing"
    assert d.scene.spec.show_errors is True  # quick.toml: show_errors = true on nl-copy-02
    typed, slip = _typed_with_slip(d.scene.state.presented)
    d.type(typed, 0.12)
    d.app.pump()
    answer = d.scene.widget("answer")
    assert answer.text == typed
    # hand count: one substituted character at index 7, the untyped rest of the passage is no error
    assert answer.marked_indices() == [slip]
    assert _error_pixels(d, "answer") > 0  # drawn in the error colour (glyph and underline)
    # corrected with Backspace: nothing marked any more
    d.type("\b" * (len(typed) - slip) + d.scene.state.presented[slip:20], 0.12)
    d.app.pump()
    assert answer.marked_indices() == []
    assert _error_pixels(d, "answer") == 0


def _single_copy(results_dir: Path, show_errors: bool) -> Driver:
    from typingtest.content import load_item

    spec = TaskSpec("copy-typing", load_item("nl-copy-02"), 60.0, seed=0, show_errors=show_errors)
    d = Driver.open(Settings(results_dir=results_dir), None, specs=[spec], single=True)
    d.wait(0.5)
    return d


def test_without_show_errors_nothing_is_marked_and_the_log_is_the_same(results_dir: Path) -> None:
    runs = {}
    for flag in (False, True):
        d = _single_copy(results_dir / str(flag), flag)
        assert d.scene.name == "copy-typing"
        typed, slip = _typed_with_slip(d.scene.state.presented)
        d.type(typed, 0.12)
        d.app.pump()
        answer = d.scene.widget("answer")
        assert answer.text == typed
        assert answer.marked_indices() == ([slip] if flag else [])
        assert (_error_pixels(d, "answer") > 0) is flag
        runs[flag] = _answer_events(d)
    # the option changes what is drawn, never what is logged (same times on the injected clock)
    assert runs[False] == runs[True]
    assert len(runs[True]) >= 20


def test_high_contrast_marks_on_a_later_line(results_dir: Path) -> None:
    # high contrast, an error on the second wrapped line and one on the first: both marked, the
    # high-contrast error colour on screen; the first-line mark survives typing on (no tail window)
    from typingtest.content import load_item

    spec = TaskSpec("copy-typing", load_item("nl-copy-02"), 60.0, seed=0, show_errors=True)
    settings = Settings(results_dir=results_dir, high_contrast=True)
    d = Driver.open(settings, None, specs=[spec], single=True)
    d.wait(0.5)
    p = d.scene.state.presented
    answer = d.scene.widget("answer")
    n_typed = 260
    typed = list(p[:n_typed])
    for i in (3, 200):
        typed[i] = "#"  # "#" does not occur in the passage, so each is a substitution
    assert "#" not in p[:n_typed]
    d.type("".join(typed), 0.05)
    d.app.pump()
    lines = answer.lines(d.app.theme)
    assert len(lines) >= 2 and lines[1][0] <= 200  # index 200 is on a later line than index 3
    assert answer.marked_indices() == [3, 200]
    assert d.app.theme.color("error") == (255, 96, 96)
    assert _error_pixels(d, "answer") > 0
