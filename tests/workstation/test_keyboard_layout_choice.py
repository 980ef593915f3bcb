"""The keyboard layout chosen at intake: it reaches every stored attempt and the progress report,
and the intake's keyboard check follows it."""

from __future__ import annotations

import pygame

from typingtest.config import Settings


def test_the_layout_chosen_at_intake_reaches_every_attempt_and_the_progress_report(results_dir) -> None:
    """Headless end to end: QWERTZ-DE chosen at intake -> each stored attempt's meta and
    ``metrics["layout"]`` -> ``recorded_layout`` of the analysis (which would say AZERTY-BE without it)."""
    import json

    from sqlalchemy import text

    from typingtest.analysis.progress_report import recorded_layout
    from typingtest.content import load_item
    from typingtest.store import open_store
    from typingtest.workstation.driver import Driver
    from typingtest.workstation.session import TaskSpec

    settings = Settings(results_dir=results_dir)
    store = open_store(settings)
    specs = [TaskSpec("copy-typing", load_item("nl-copy-03"), 300.0)]
    d = Driver.open(settings, store, specs=specs, intake=True)
    d.intake("C-LAYOUT-1", layout="qwertz-de")
    assert d.session.keyboard_layout == "qwertz-de"
    if d.scene.name == "instructions":
        d.start_task()
    d.type("Geachte", 0.1)
    d.finish()
    frame = store.attempts_frame(candidate="C-LAYOUT-1", include_practice=True)
    assert len(frame) == 1 and frame["metrics"].iloc[0]["layout"] == "qwertz-de"
    assert recorded_layout(frame) == "qwertz-de"
    with store.engine.connect() as conn:
        meta = json.loads(conn.execute(text("SELECT meta FROM attempts")).scalar())
    assert meta["layout"] == "qwertz-de"
    assert not [r for r in store.verify() if not r.ok]  # the label does not upset the recomputation
    store.close()
    pygame.event.clear()


def test_the_keyboard_check_follows_the_chosen_layout(results_dir) -> None:
    """The AZERTY-BE check text is refused once QWERTY-US is chosen (F2), and the US one accepted."""
    from typingtest.workstation.driver import Driver
    from typingtest.workstation.intake import LAYOUT_CHECK_TEXTS

    settings = Settings(results_dir=results_dir)
    d = Driver.open(settings, None, specs=[], intake=True)
    d.type("C-LAYOUT-2", 0.05)
    d.key(pygame.K_RETURN)
    d.scene.candidate_id = "C-LAYOUT-2"
    d.scene.show_page("layout")
    assert d.scene.keyboard_layout == "azerty-be"
    d.key(pygame.K_F2)
    assert d.scene.keyboard_layout == "qwerty-us"
    d.type(LAYOUT_CHECK_TEXTS["azerty-be"] + "\n", 0.05)
    assert d.scene.page == "layout"  # wrong for this layout
    d.scene.widget("layout-check").set_text("")
    d.type(LAYOUT_CHECK_TEXTS["qwerty-us"] + "\n", 0.05)
    assert d.scene.page == "headset"
    pygame.event.clear()
