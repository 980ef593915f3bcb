"""Loop-level timing rules that can be checked without a clock: the window surface setting
that keeps ``display.update(rects)`` cheap, and the burst rule's planned draw cost."""

from __future__ import annotations

import os

import pytest

from typingtest.config import Settings
from typingtest.workstation.app import COST_WINDOW, DRAW_MARGIN_S, App, planned_draw_cost
from typingtest.workstation.clock import ManualClock


def test_the_app_asks_sdl_for_the_native_window_surface_unless_the_centre_set_it(
    results_dir, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SDL_FRAMEBUFFER_ACCELERATION", raising=False)
    App(Settings(results_dir=results_dir), clock=ManualClock(0.0))
    assert os.environ["SDL_FRAMEBUFFER_ACCELERATION"] == "0"
    monkeypatch.setenv("SDL_FRAMEBUFFER_ACCELERATION", "opengl")
    App(Settings(results_dir=results_dir), clock=ManualClock(0.0))
    assert os.environ["SDL_FRAMEBUFFER_ACCELERATION"] == "opengl"


def test_planned_draw_cost_is_the_90th_percentile_not_the_mean() -> None:
    # 28 draws of 2 ms and 4 slow ones of 40 ms (the Xvfb tail): the mean is 6.75 ms (hand count:
    # (28 * 2 + 4 * 40) / 32), the nearest-rank 90th percentile (index int(0.9 * 32) = 28) is 40 ms
    costs = [0.002] * 28 + [0.040] * 4
    assert len(costs) == COST_WINDOW
    assert planned_draw_cost(costs) == pytest.approx(0.040)
    assert planned_draw_cost([0.003]) == pytest.approx(0.003)


def test_a_draw_that_would_run_into_the_next_key_is_deferred(results_dir) -> None:
    clock = ManualClock(10.0)
    app = App(Settings(results_dir=results_dir), clock=clock)
    app._last_input, app._iki = 10.0, 0.040  # a key just now, keys 40 ms apart
    clock.set(10.001)
    app._cost_estimate = 0.002  # 1 + 2 ms ends well before 40 - 5 ms: draw now
    assert app._may_draw(clock.now())
    app._cost_estimate = 0.040 - DRAW_MARGIN_S  # 1 + 35 ms would end 4 ms before the next key: wait
    assert not app._may_draw(clock.now())


def test_redraw_every_frame_draws_the_whole_window_each_frame_only_when_set(results_dir) -> None:
    # 30 frames (pump = one update + a draw if needed) with nothing typed: the diagnostic
    # setting draws each one, the normal loop none once the scene is on screen
    from typingtest.workstation.flow_scenes import ClosingScene

    counts = {}
    for on in (False, True):
        app = App(Settings(results_dir=results_dir, redraw_every_frame=on), clock=ManualClock(0.0))
        app.show(ClosingScene(app, None))
        app.pump()
        before = app.frames
        for _ in range(30):
            app.pump()
        counts[on] = app.frames - before
    assert counts == {False: 0, True: 30}
