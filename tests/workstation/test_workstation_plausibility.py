"""Issue 16 item 9 at the workstation: an attempt typed faster or more evenly than people type
is an incident for the proctor at once (``implausible-typing``), and the centre's
``min_chars_judged`` reaches the verdicts."""

from __future__ import annotations

import pygame

from typingtest.config import Settings


def _open(results_dir, candidate, **settings_kw):
    from typingtest.content import load_item
    from typingtest.store import open_store
    from typingtest.workstation.driver import Driver
    from typingtest.workstation.session import TaskSpec

    settings = Settings(results_dir=results_dir, **settings_kw)
    store = open_store(settings)
    d = Driver.open(settings, store, specs=[TaskSpec("copy-typing", load_item("nl-copy-03"), 300.0)],
                    intake=False, candidate=candidate, single=True)
    if d.scene.name == "instructions":
        d.start_task()
    return d, store


def test_typing_at_a_machine_pace_is_an_incident(results_dir):
    """40 characters at an even 16 ms (750 WPM, CV 0): above the 160 WPM and below the 50 ms
    median interval and 0.15 CV bounds of engine/plausibility.py."""
    d, store = _open(results_dir, "C-FAST-1")
    d.type("Geachte mevrouw, hierbij bevestigen wij", 0.016)
    d.finish()
    flagged = [i for i in d.app.incidents if i.kind == "implausible-typing"]
    assert len(flagged) == 1 and flagged[0].detail.startswith("copy-typing nl-copy-03: ")
    (result,) = d.session.results
    assert result.metrics["plausibility"]["flagged"] is True
    store.close()
    pygame.event.clear()


def test_typing_at_a_human_pace_is_no_incident_and_min_chars_reaches_the_verdict(results_dir):
    d, store = _open(results_dir, "C-SLOW-1", min_chars_judged=10)
    intervals = [0.18, 0.31, 0.22, 0.45, 0.2, 0.27, 0.52, 0.19, 0.24, 0.38, 0.21, 0.29, 0.33, 0.17, 0.41]
    for ch, gap in zip("Geachte mevrouw", intervals, strict=True):  # uneven, as people type (CV ~0.35)
        d.type(ch, gap)
    d.finish()
    assert not [i for i in d.app.incidents if i.kind == "implausible-typing"]
    (result,) = d.session.results
    msd = next(v for v in result.verdicts if v["indicator"] == "msd_error_rate")
    assert msd["min_chars_judged"] == 10  # the centre's setting, not the engine's default 729
    store.close()
    pygame.event.clear()
