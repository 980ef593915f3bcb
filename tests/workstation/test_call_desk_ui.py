"""The call desk answers like a real one (issue 18, item 5): one frame of each new state, headless,
checking what is drawn (the widget's text and pixels of its colour inside its rectangle), not
only that nothing crashed. The scenes are the screenshot script's (``docs/screenshots/call-*.png``).
"""

from __future__ import annotations

import pygame
import pytest

from typingtest.config import Settings
from typingtest.content.desk import order_number
from typingtest.engine.actions import field_text
from typingtest.workstation.i18n import Translator
from typingtest.workstation.screenshots import open_scene
from typingtest.workstation.theme import Theme
from typingtest.workstation.widgets import ListBox, TextField, TextPanel, wrap_text


@pytest.fixture
def settings(results_dir) -> Settings:
    return Settings(results_dir=results_dir)


@pytest.fixture(autouse=True)
def _clear_events():
    yield
    if pygame.display.get_init():  # a test of fonts alone opens no display (no event queue to clear)
        pygame.event.clear()


def _pixels(app, name: str, colour: str) -> int:
    """How many pixels of the theme colour ``colour`` the widget ``name`` has on screen."""
    r = app.widget_rect(name)
    assert r is not None, f"{name} is not shown"
    want = app.theme.color(colour)
    return sum(tuple(app.screen.get_at((x, y)))[:3] == want for x in range(r.left, r.right) for y in
               range(r.top, r.bottom))


def test_a_placed_order_shows_its_number_lines_and_total(settings: Settings) -> None:
    app = open_scene("call-order-placed", settings=settings)
    scene = app.scene
    text = scene.widget("confirm-order").text
    # nl-call-01: 1 x WK-171 at 44.95 and 3 x OT-030 at 6.50 = 64.45, no shipping from 50.00
    assert text.splitlines() == [
        f"Bestelling {order_number('nl-call-01', 7, '2026-03-12')} geplaatst",
        "1 × WK-171 € 44,95  ·  3 × OT-030 € 19,50",
        "Subtotaal € 64,45 · verzending € 0,00 · totaal € 64,45",
    ]
    assert _pixels(app, "confirm-order", "ok") > 200  # drawn, in the confirmation's green


def test_an_order_line_added_from_the_product_list_is_in_the_log_the_scoring_reads(settings: Settings) -> None:
    app = open_scene("call-order-placed", settings=settings)
    log = app.recorder.to_log()
    assert field_text(log, "order_code_1") == "WK-171" and field_text(log, "order_qty_1") == "1"
    assert field_text(log, "order_code_2") == "OT-030" and field_text(log, "order_qty_2") == "3"
    assert "add-line" in {str(t) for t in log["target"]}  # the click that put them there, logged
    # a full form: the next "add" says so instead of overwriting a line
    app.click("products:P1")
    app.advance(0.1)
    app.click("add-line")
    app.advance(0.1)
    assert app.scene.widget("confirm-order").text == "Alle bestellijnen zijn al ingevuld"
    assert field_text(app.recorder.to_log(), "order_code_1") == "WK-171"


def test_placing_the_order_again_says_it_changed(settings: Settings) -> None:
    app = open_scene("call-order-placed", settings=settings)
    app.click("order_qty_2")
    app.type_text("\b2", 0.05)
    app.click("submit-order")
    app.advance(0.1)
    lines = app.scene.widget("confirm-order").text.splitlines()
    assert lines[0].endswith("gewijzigd")
    # 44.95 + 2 x 6.50 = 57.95, still free shipping
    assert lines[1:] == ["1 × WK-171 € 44,95  ·  2 × OT-030 € 13,00",
                         "Subtotaal € 57,95 · verzending € 0,00 · totaal € 57,95"]


def test_transfer_and_wrap_up_confirm_in_place(settings: Settings) -> None:
    app = open_scene("call-saved", settings=settings)
    scene = app.scene
    assert scene.widget("phone-status").text == "Doorverbonden met Technische dienst"
    assert scene.widget("confirm-wrap-up").text == "Opgeslagen"
    assert _pixels(app, "confirm-wrap-up", "ok") > 50
    app.click("submit-wrap-up")
    app.advance(0.1)
    assert scene.widget("confirm-wrap-up").text == "Opnieuw opgeslagen (2×)"


def test_the_planner_shows_every_slot_with_its_weekday_and_today(settings: Settings) -> None:
    app = open_scene("call-callback", settings=settings)
    scene = app.scene
    slots: ListBox = scene.widget("callback-slots")
    assert len(slots.rows) == 8 and slots.hidden(app.theme) == (0, 0)  # all eight in view
    assert slots.rows[0] == "maandag 16 maart 2026 16:00"
    assert slots.rows[2] == "dinsdag 17 maart 2026 14:30" and slots.row_ids[2] == "2026-03-17T14:30"
    assert scene.widget("today").text == "Vandaag: maandag 16 maart 2026"
    assert scene.widget("confirm-callback").text == "Terugbelafspraak gepland: dinsdag 17 maart 2026 14:30"
    assert _pixels(app, "confirm-callback", "ok") > 50
    assert app.scene.call.callback_slot == "2026-03-17T14:30"


def test_a_new_chat_blinks_its_panel_until_the_operator_goes_to_it(settings: Settings) -> None:
    app = open_scene("call-chat-alert", settings=settings)
    scene = app.scene
    panel: TextPanel = scene.widget("chat-log")
    assert panel.highlight and panel.title == "Chat — nieuw bericht"
    assert _pixels(app, "chat-log", "warn") > 1000  # the thick border, drawn
    app.advance(0.5)
    assert not panel.highlight and _pixels(app, "chat-log", "warn") == 0
    app.advance(0.5)
    assert panel.highlight
    app.advance(scene.CHAT_BLINK_S)
    assert panel.highlight  # after the blinking: lit until attended
    drawn: list[int] = []
    draw = panel.draw
    panel.draw = lambda surface, theme: (drawn.append(1), draw(surface, theme))  # type: ignore[method-assign]
    app.advance(1.0)
    assert drawn == []  # steady: the panel is not redrawn (the clocks are)
    app.click("chat_m1")
    app.advance(0.1)
    assert not panel.highlight and panel.title == "Chat"


def test_the_chat_reply_wraps_and_enter_sends_it(settings: Settings) -> None:
    app = open_scene("call-chat-alert", settings=settings)
    app.click("chat_m1")
    reply = "Dag Tom, onder € 50,00 betaalt u € 4,95 verzendkosten; vanaf € 50,00 is de levering gratis."
    app.type_text(reply, 0.01)
    field: TextField = app.scene.widget("chat_m1")
    assert field.multiline and len(field.lines(app.theme)) >= 2
    app.post_key(pygame.K_RETURN)
    app.advance(0.1)
    assert app.scene.call.chat_replies == ["m1"]
    assert field_text(app.recorder.to_log(), "chat_m1") == reply  # no line break typed by Enter


def test_script_lines_wrap_and_the_said_ones_are_ticked(settings: Settings) -> None:
    app = open_scene("call-chat-alert", settings=settings)
    script: ListBox = app.scene.widget("script")
    theme: Theme = app.theme
    g = script.geometry(theme)
    greet = script.row_ids.index("greet")
    assert len(g[greet][2]) == 2  # "Goedemorgen, ... klantendienst. Waarmee kan ik u helpen?" on two lines
    assert " ".join(g[greet][2]).split() == script.rows[greet].split()  # nothing cut off
    font = theme.font(script.size)
    for _, _, lines in g:
        assert all(font.size(line)[0] <= script.rect.w for line in lines)
    assert script.marked == {"greet", "ask-id", "ask-address"}
    tick = script.row_rect(greet, theme)
    want = theme.color("ok")
    ticked = sum(tuple(app.screen.get_at((x, y)))[:3] == want
                 for x in range(tick.x, tick.x + theme.px(20)) for y in range(tick.top, tick.bottom))
    unsaid = script.row_rect(script.row_ids.index("summarise"), theme)
    not_ticked = sum(tuple(app.screen.get_at((x, y)))[:3] == want
                     for x in range(unsaid.x, unsaid.x + theme.px(20)) for y in range(unsaid.top, unsaid.bottom))
    assert ticked > 10 and not_ticked == 0


def test_a_list_longer_than_its_box_shows_how_many_rows_are_hidden(settings: Settings) -> None:
    app = open_scene("call-chat-alert", settings=settings)
    theme = app.theme
    script: ListBox = app.scene.widget("script")
    assert script.hidden(theme) == (0, 1)  # nl-call-01: the last line does not fit wholly
    r = script.rect
    hint = pygame.Rect(r.right - theme.px(40), r.bottom - theme.px(22), theme.px(40), theme.px(22))
    accent = theme.color("accent")
    assert sum(tuple(app.screen.get_at((x, y)))[:3] == accent for x in range(hint.left, hint.right)
               for y in range(hint.top, hint.bottom)) > 50
    script.scroll(5, theme)
    assert script.top == 1 and script.hidden(theme) == (1, 0)
    # the five products fit their box now: no hint
    assert app.scene.widget("products").hidden(theme) == (0, 0)


def test_the_record_labels_its_fields_and_money_and_dates_are_belgian(settings: Settings) -> None:
    app = open_scene("call", settings=settings)
    record = app.scene.widget("record").text
    for line in ("Klantnummer: 205718-78", "Telefoon: 0476 28 13 90", "Geboortedatum: 21 november 1968",
                 "  14/09/2025  bestelling B-2025-14002: stoomstrijkijzer Vapora 2400 W"):
        assert line in record.splitlines()
    product = app.scene.widget("product").text
    assert product.startswith("WK-170  ·  € 34,95  ·  voorraad 0  ·  levering in 15 werkdagen")
    assert "34.95" not in product
    assert app.scene.widget("products").rows[0] == "WK-170  Waterkoker Aqua 1,7 liter  ·  € 34,95"


def test_the_ringing_phone_shows_the_caller_s_number(settings: Settings) -> None:
    app = open_scene("call-ringing", settings=settings)
    assert app.scene.call.phone == "ringing"
    assert app.scene.widget("phone-status").text.splitlines() == ["Inkomende oproep...", "Oproep van 0476 28 13 90"]


def test_a_french_desk_writes_money_and_slots_the_french_way(settings: Settings) -> None:
    settings.ui_lang = "fr"
    app = open_scene("call-callback", settings=settings)
    assert app.scene.widget("callback-slots").rows[2] == "mardi 17 mars 2026 14h30"
    assert app.scene.widget("today").text == "Aujourd'hui : lundi 16 mars 2026"


def test_zero_plays_left_reads_as_words() -> None:
    assert Translator("nl")("plays_left", n=0) == "Niet meer af te spelen"
    assert Translator("nl")("plays_left", n=2) == "Nog 2 keer afspelen"
    assert Translator("fr")("plays_left", n=1) == "Encore 1 écoute"


def test_wrapped_rows_and_hint_keep_clear_of_each_other() -> None:
    """The wrap width leaves room for the "+N" hint at the right edge (34 design units)."""
    pygame.font.init()
    theme = Theme((1280, 720))
    lb = ListBox("x", ["woord " * 30], size=15, row_height=22, wrap=True, marks=True)
    lb.set_rect(theme.rect(0, 0, 414, 100))
    lines = lb.geometry(theme)[0][2]
    assert len(lines) > 1
    font = theme.font(15)
    assert all(font.size(line.rstrip())[0] <= 414 - 6 - 16 - 34 for line in lines)
    assert lines == [ln.rstrip("\n") for _, ln in wrap_text("woord " * 30, font, 414 - 6 - 16 - 34)]


@pytest.mark.parametrize(("lang", "says"), [("nl", "klik op een zin en u zegt ze"), ("fr", "cliquez sur une phrase"),
                                            ("en", "click a line to say it")])
def test_the_call_instructions_say_how_a_script_line_is_said_and_the_ready_step(settings: Settings, lang: str,
                                                                               says: str) -> None:
    """Issue 18 item 5: the instructions say plainly that clicking a script line is how the
    operator says it, and that the phone rings only after the ready step (F1)."""
    from typingtest.workstation.app import App
    from typingtest.workstation.clock import ManualClock
    from typingtest.workstation.flow_scenes import InstructionsScene

    app = App(settings, size=(1280, 720), clock=ManualClock(1000.0), ui_lang=lang)
    app.show(InstructionsScene(app, None, "call"))
    text = app.scene.widget("text").text
    assert says in text and "(F1)" in text.split(says)[0]
    assert text.count("F1") == 2  # ready, then pick up


def test_dial_without_a_record_open_says_what_to_do_first(settings: Settings) -> None:
    """Found by the battery walk (issue 17 item 8): on the outbound nl-call-04, F1 "Bellen" with no
    customer record open did nothing and said nothing; the phone bar now says to open the record."""
    app = open_scene("call-callback", settings=settings)  # nl-call-04, ready pressed, no record open
    scene = app.scene
    assert scene.call.direction == "outbound" and scene.call.record_opened is None
    app.post_key(pygame.K_F1)
    app.advance(0.1)
    assert scene.call.phone == "idle"  # nothing dialled
    assert scene.widget("phone-status").text == "Open eerst de klantfiche van wie u belt."
