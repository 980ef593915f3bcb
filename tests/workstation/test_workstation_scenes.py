"""Every scene opens headless for a few frames; input is logged as the event-log contract says;
the layout scales from 1280x720 to 3840x2160; the shipped font renders Belgian characters."""

from __future__ import annotations

import pygame
import pytest

from typingtest.config import Settings
from typingtest.engine.events import EventKind
from typingtest.workstation.app import App
from typingtest.workstation.clock import ManualClock
from typingtest.workstation.screenshots import SCENES, open_scene
from typingtest.workstation.widgets import TextField


@pytest.fixture
def settings(results_dir) -> Settings:
    return Settings(results_dir=results_dir)


@pytest.mark.parametrize("name", sorted(SCENES))
def test_every_scene_opens_and_draws(name: str, settings: Settings) -> None:
    app = open_scene(name, settings=settings)
    for _ in range(3):
        app.advance(1 / 60)
    surface = app.screen
    # something was drawn: more than one colour on screen (a blank screen has one)
    colours = {tuple(surface.get_at((x, y))) for x in range(0, 1280, 37) for y in range(0, 720, 29)}
    assert len(colours) > 3, name
    assert app.frames >= 1
    for w in app.widget_names():
        r = app.widget_rect(w)
        assert r is not None and surface.get_rect().contains(r), f"{name}: {w} at {r} is off screen"
    pygame.event.clear()


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080), (3840, 2160), (1280, 1024)])
def test_call_desktop_scales_and_stays_on_screen(size: tuple[int, int], settings: Settings) -> None:
    app = open_scene("call", size=size, settings=settings)
    screen = app.screen.get_rect()
    rects = [app.widget_rect(n) for n in app.widget_names()]
    assert all(r is not None and screen.contains(r) for r in rects)
    scale = min(size[0] / 1280, size[1] / 720)
    # the Finish button is 160 design units wide: scaled with the screen (rounding: 1 px)
    assert abs(app.widget_rect("finish").w - 160 * scale) <= 1  # type: ignore[union-attr]
    pygame.event.clear()


def test_default_font_renders_belgian_characters() -> None:
    pygame.font.init()
    font = pygame.font.Font(None, 30)
    # a glyph the font lacks has no metrics (None); every one of these must be present
    for ch, m in zip("éèëçà@€", font.metrics("éèëçà@€"), strict=True):
        assert m is not None, ch
        assert m[4] > 0, ch  # a non-zero advance


def _copy_app(settings: Settings) -> App:
    app = open_scene("copy-typing", settings=settings)
    return app


def _rows(app: App) -> list[tuple[int, str, str]]:
    assert app.recorder is not None
    return [(int(r["kind"]), str(r["text"]), str(r["target"])) for r in app.recorder.to_log()]


def test_paste_is_blocked_and_logged(settings: Settings) -> None:
    app = _copy_app(settings)
    before = app.focus.text  # type: ignore[union-attr]
    app.post_key(pygame.K_v, pygame.KMOD_LCTRL)
    app.post_key(pygame.K_INSERT, pygame.KMOD_LSHIFT)
    app.advance(0.1)
    assert app.focus.text == before  # type: ignore[union-attr]
    pastes = [r for r in _rows(app) if r[0] == EventKind.PASTE_ATTEMPT]
    assert pastes == [(EventKind.PASTE_ATTEMPT, "", "answer")] * 2
    assert [i.kind for i in app.incidents].count("paste-attempt") == 2


def test_window_focus_loss_is_logged(settings: Settings) -> None:
    app = _copy_app(settings)
    pygame.event.post(pygame.event.Event(pygame.WINDOWFOCUSLOST))
    app.advance(0.5)
    pygame.event.post(pygame.event.Event(pygame.WINDOWFOCUSGAINED))
    app.advance(0.1)
    kinds = [r[0] for r in _rows(app)]
    assert EventKind.WINDOW_FOCUS_LOST in kinds and kinds[-1] == EventKind.WINDOW_FOCUS_GAINED
    assert "focus-lost" in [i.kind for i in app.incidents]


def test_editing_keys_are_logged_as_edit_ops(settings: Settings) -> None:
    app = _copy_app(settings)
    field = app.focus
    assert isinstance(field, TextField)
    n = len(field.text)
    app.type_text(" ab cd", 0.05)
    app.post_key(pygame.K_BACKSPACE, pygame.KMOD_LCTRL)  # word-backspace: "cd"
    app.post_key(pygame.K_LEFT)
    app.post_key(pygame.K_HOME, pygame.KMOD_LSHIFT)  # multi-line: a "select" with indices
    app.post_key(pygame.K_RIGHT)
    app.advance(0.1)
    edits = [r[1] for r in _rows(app) if r[0] == EventKind.EDIT]
    assert edits[-4:] == ["word-backspace", "left", "select", "right"]
    assert field.text[n:] == " ab "


def test_clicking_in_a_field_places_the_caret_and_logs_it(settings: Settings) -> None:
    app = _copy_app(settings)
    r = app.widget_rect("answer")
    assert r is not None
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(r.x + 8, r.y + 12), button=1))
    app.advance(0.1)
    rows = _rows(app)
    assert (EventKind.CLICK, "", "answer") in rows
    assert rows[-1][:2] == (EventKind.EDIT, "caret")
    assert app.focus.buffer.caret == 0  # type: ignore[union-attr]


def test_tab_moves_the_focus_in_order(settings: Settings) -> None:
    app = open_scene("data-entry", settings=settings)
    order = [w.name for w in app.scene.widgets if w.focusable and w.visible]  # type: ignore[union-attr]
    app.set_focus(app.scene.widget(order[0]))  # type: ignore[union-attr]
    app.post_key(pygame.K_TAB)
    app.advance(0.05)
    assert app.focus.name == order[1]  # type: ignore[union-attr]
    app.post_key(pygame.K_TAB, pygame.KMOD_LSHIFT)
    app.advance(0.05)
    assert app.focus.name == order[0]  # type: ignore[union-attr]


def test_proctor_code_is_never_logged(settings: Settings) -> None:
    app = open_scene("proctor", settings=settings)
    assert app.overlay is not None and getattr(app.overlay, "unlocked", False)
    rows = app.recorder.to_log()  # type: ignore[union-attr]
    proctor_rows = rows[rows["target"] == "proctor"]
    assert len(proctor_rows) > 0
    assert set(proctor_rows["key"]) == {0} and set(proctor_rows["text"]) == {""}
    assert "proctor-unlocked" in set(rows["text"])


def test_wrong_proctor_code_is_an_incident(settings: Settings) -> None:
    app = open_scene("copy-typing", settings=settings)
    app.post_key(pygame.K_p, pygame.KMOD_LCTRL | pygame.KMOD_LALT)
    app.advance(0.05)
    for ch in "0000":
        app.post_text(ch)
    app.post_key(pygame.K_RETURN)
    app.advance(0.05)
    assert app.overlay is not None and not app.overlay.unlocked  # type: ignore[attr-defined]
    assert "proctor-code-wrong" in [i.kind for i in app.incidents]


def test_redraw_touches_only_what_changed(settings: Settings) -> None:
    app2 = App(settings, size=(1920, 1080), clock=ManualClock())
    from typingtest.workstation.screenshots import SCENES as table

    table["copy-typing"](app2)
    app2.advance(0.1)
    app2.post_text("x")
    for ev in pygame.event.get():
        app2.handle(ev, app2.clock.now())
    rects = app2.draw()
    # one key redraws one line of the answer field: a strip inside it, one line high
    field = app2.widget_rect("answer")
    assert len(rects) == 1 and field is not None and field.contains(rects[0])
    assert rects[0].h == app2.theme.font(22).get_linesize() and rects[0].h < field.h / 5
    assert app2.draw() == []  # nothing changed: nothing drawn


def test_enter_in_a_copy_answer_types_a_paragraph_break_and_keeps_the_focus(settings: Settings) -> None:
    """Enter in the copy-typing answer types the break a passage's paragraph needs (issue 17:
    Enter or a space both count at a break); it is not the finishing shortcut."""
    app = _copy_app(settings)
    before = app.focus.text  # type: ignore[union-attr]
    app.post_key(pygame.K_RETURN)
    app.advance(0.05)
    assert app.focus is not None and app.focus.name == "answer" and app.focus.text == before + "\n"  # type: ignore
    assert app.overlay is None  # Enter alone is not the finishing shortcut


def test_wrapped_lines_fit_and_give_back_the_text() -> None:
    from typingtest.workstation.widgets import wrap_text

    pygame.font.init()
    font = pygame.font.Font(None, 15)
    text = ("Geachte mevrouw Verhoeven, hartelijk dank voor uw bestelling van € 34,95 bij Domestica. " * 12
            + "\nTweede alinea met een woordzonderspatiesdatlangerisdandebreedte" * 3)
    lines = wrap_text(text, font, 300)
    # every line fits when measured whole (per-word widths are rounded: their sum falls short)
    assert max(font.size(line.rstrip())[0] for _, line in lines) <= 300
    assert "".join(line for _, line in lines) == text
    assert all(text[start : start + len(line)] == line for start, line in lines)


def test_a_held_key_repeats_its_edit_but_is_one_key_press(settings: Settings) -> None:
    app = _copy_app(settings)
    app.type_text("abc", 0.05)
    before = app.focus.text  # type: ignore[union-attr]
    down = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_BACKSPACE, mod=0, scancode=42, unicode="")
    for _ in range(3):  # the press and two repeats (pygame.key.set_repeat) before the release
        pygame.event.post(down)
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=pygame.K_BACKSPACE, mod=0, scancode=42, unicode=""))
    app.advance(0.05)
    rows = app.recorder.to_log()  # type: ignore[union-attr]
    backspace_downs = rows[(rows["kind"] == EventKind.KEY_DOWN) & (rows["key"] == pygame.K_BACKSPACE)]
    edits = rows[(rows["kind"] == EventKind.EDIT) & (rows["text"] == "backspace")]
    assert len(backspace_downs) == 1 and len(edits) == 3
    assert app.focus.text == before[:-3]  # type: ignore[union-attr]  # "abc" removed by the three


def _battery_specs() -> list[tuple[str, object]]:
    from typingtest.content import load_battery
    from typingtest.workstation.runner import specs_from_battery

    out = []
    for name, lang in (("default", "nl"), ("quick", "nl"), ("fr", "fr"), ("en", "en"), ("de", "de")):
        specs, _ = specs_from_battery(load_battery(name, lang=lang), Settings(), seed=1)
        out += [(f"{name}:{s.item_id}", s) for s in specs]
    return out


def test_every_task_of_every_shipped_battery_opens(settings: Settings) -> None:
    """Each item of the shipped batteries becomes a scene that runs a few frames (call
    scenarios differ: order, contact form, outbound call-back, identity failure)."""
    from typingtest.workstation.audio_link import CallerAudio
    from typingtest.workstation.session import Session

    seen = []
    for label, spec in _battery_specs():
        clock = ManualClock(0.0)
        app = App(settings, size=(1280, 720), clock=clock)
        session = Session(app, settings, None, battery_id="t", specs=[spec], candidate_id="x",  # type: ignore[list-item]
                          instructions=False, closing=False, audio=CallerAudio(clock.now, silent=True))
        session.start()
        app.advance(0.3)
        assert app.scene is not None and app.scene.name == spec.kind, label  # type: ignore[attr-defined]
        assert app.recorder is not None and len(app.recorder) >= 1, label
        seen.append(spec.kind)  # type: ignore[attr-defined]
        pygame.event.clear()
    assert {"copy-typing", "transcription", "data-entry", "call"} <= set(seen)


def test_finishing_before_the_end_of_the_passage_warns_that_the_rest_counts(settings: Settings) -> None:
    """Ctrl+Enter halfway: the dialog says what is not typed counts as errors (the scoring's rule
    for a copy task ended by the candidate); at the end of the passage it does not."""
    app = _copy_app(settings)
    app.post_key(pygame.K_RETURN, pygame.KMOD_LCTRL)
    app.advance(0.1)
    assert app.overlay is not None and app.overlay.name == "finish-dialog"
    text = app.overlay.widget("finish-text").text  # type: ignore[attr-defined]
    assert text.startswith("U bent nog niet aan het einde van de tekst") and "Enter" in text
    pygame.image.save(app.screen, str(settings.results_dir / "dialog.png"))
    app.post_key(pygame.K_ESCAPE)
    app.advance(0.1)
    scene = app.scene
    scene.widget("answer").set_text(scene.state.presented)  # type: ignore[attr-defined]
    assert scene.finish_warning() is None  # the whole passage typed: nothing to warn about


def test_finishing_a_form_with_required_fields_empty_names_them(settings: Settings) -> None:
    """Data entry: Ctrl+Enter with required fields empty names them by their labels in the dialog
    (``DataEntryTask.empty_required``); once every required field holds text it warns no more."""
    app = open_scene("data-entry", settings=settings)
    scene = app.scene
    fields = scene.state.fields  # type: ignore[attr-defined]
    required = [f for f in fields if f.required]
    assert required, "the shipped data-entry item has required fields"
    for f in fields:  # the screenshot scene comes half filled in: start from an empty form
        scene.widget(f.name).set_text("")  # type: ignore[attr-defined]
    app.post_key(pygame.K_RETURN, pygame.KMOD_LCTRL)
    app.advance(0.1)
    assert app.overlay is not None and app.overlay.name == "finish-dialog"
    text = app.overlay.widget("finish-text").text  # type: ignore[attr-defined]
    assert text.startswith("Deze verplichte velden zijn nog leeg:")
    assert all(f.label in text for f in required)
    app.post_key(pygame.K_ESCAPE)
    app.advance(0.1)
    for f in required[1:]:
        scene.widget(f.name).set_text("x")  # type: ignore[attr-defined]
    warning = scene.finish_warning()  # type: ignore[attr-defined]
    assert warning == f"Deze verplichte velden zijn nog leeg: {required[0].label}."
    scene.widget(required[0].name).set_text("y")  # type: ignore[attr-defined]
    assert scene.finish_warning() is None  # type: ignore[attr-defined]
