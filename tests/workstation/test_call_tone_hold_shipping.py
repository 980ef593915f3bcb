"""Issue 18 leftovers: the chat's tone is a desk sound, not a caller line; a script line
"said" while the caller is on hold is not said; the desk's shipping comes from the scenario's
``[shipping]`` table (default: article A1's € 4,95 below € 50,00).

Times in the hand-built logs are seconds since the task started, written out below.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pygame
import pytest

from typingtest.audio.player import Player
from typingtest.config import Settings
from typingtest.content import load_item
from typingtest.content.desk import DEFAULT_SHIPPING, shipping_rule, summarise_order
from typingtest.content.loader import ContentError, load_file
from typingtest.content.model import Expectation, Shipping
from typingtest.content.triggers import parse_trigger
from typingtest.engine.actions import connected_rows, on_hold_rows, score_actions
from typingtest.engine.events import EventKind as K
from typingtest.engine.events import make_log
from typingtest.workstation.audio_link import CallerAudio, desk_tone
from typingtest.workstation.screenshots import open_scene

CALL_01 = Path(__file__).resolve().parents[2] / "passages" / "nl" / "call" / "nl-call-01.toml"


@pytest.fixture(autouse=True)
def _clear_events():  # type: ignore[no-untyped-def]
    yield
    if pygame.display.get_init():
        pygame.event.clear()


# -------------------------------------------------------------------------- the chat's tone


def test_the_player_reports_a_tone_once_and_never_as_a_line() -> None:
    now = [0.0]
    player = Player.open(backend="virtual", clock=lambda: now[0], capture=True)
    tone = desk_tone(player.rate)
    assert len(tone) == int(0.09 * 48000) * 2 + int(0.04 * 48000)  # two 90 ms notes, 40 ms apart: 0.22 s
    assert 0.24 < float(np.abs(tone).max()) <= 0.25
    player.play_now("l1", np.full(48000, 0.1, np.float32))  # a caller line, 1 s
    now[0] = 0.5
    player.hold(True)  # hold stops the line...
    player.tone("tone:chat", tone)  # ...and a tone played while on hold still sounds
    now[0] = 2.0
    events = [(e.kind, e.line_id, e.reason) for e in player.poll()]
    assert events == [("onset", "l1", ""), ("offset", "l1", "hold"), ("tone", "tone:chat", "")]
    heard = player.captured[int(0.5 * 48000) + 480:int(0.72 * 48000)]  # after the line's 10 ms fade
    assert float(np.abs(heard).max()) == pytest.approx(0.25, abs=0.01)  # the tone, not the line


def test_the_caller_audio_keeps_tones_apart_from_the_lines_it_reports() -> None:
    now = [10.0]
    audio = CallerAudio(lambda: now[0], silent=True)
    audio.play_tone("chat")
    now[0] = 10.5
    assert audio.poll() == []  # no onset or offset for the session to log as a caller line
    assert [name for name, _ in audio.tones] == ["chat"]
    assert audio.tones[0][1] == pytest.approx(10.0, abs=0.01)  # started at once (the virtual clock)


def test_a_new_chat_plays_a_tone_and_logs_no_caller_line_for_it(results_dir: Path) -> None:
    app = open_scene("call-chat-alert", settings=Settings(results_dir=results_dir))
    scene = app.scene
    log = app.recorder.to_log()
    shown = log[(log["kind"] == K.SCREEN) & (log["text"] == "chat-shown")]
    tones = log[(log["kind"] == K.SCREEN) & (log["text"] == "tone")]
    assert [str(t) for t in tones["target"]] == ["chat:m1"] and tones["t"][0] == shown["t"][0]
    assert [name for name, _ in scene.session.audio.tones] == ["chat"]  # the player played it
    onsets = log[log["kind"] == K.AUDIO_ONSET]
    assert [str(t) for t in onsets["text"]] == ["l1", "l2", "l3", "l4"]  # the caller's lines only
    assert set(str(t) for t in onsets["target"]) == {"line"}


# -------------------------------------------------------------------------- on hold


def _expect(action: str, cue: str, deadline_s: float | None = None, **params: object) -> Expectation:
    return Expectation(id=action, action=action, competence="co 01669", cue=parse_trigger(cue),
                       deadline_s=deadline_s, params=dict(params))


def _hold_log() -> np.ndarray:
    # picked up at 5 s; on hold from 20 s to 40 s; "summarise" clicked at 30 s (on hold) and
    # "close" at 50 s (back in the call); identity confirmed at 25 s, on hold; hang-up at 60 s
    rows = [(0.0, K.MARKER, "task-start", ""), (3.0, K.SCREEN, "ringing", ""), (5.0, K.SCREEN, "pickup", ""),
            (6.0, K.CLICK, "", "say:greet"), (20.0, K.SCREEN, "hold", ""), (25.0, K.CLICK, "", "identity:confirmed"),
            (30.0, K.CLICK, "", "say:summarise"), (40.0, K.SCREEN, "unhold", ""), (50.0, K.CLICK, "", "say:close"),
            (60.0, K.SCREEN, "hangup", "")]
    return make_log([dict(t=t, kind=k, text=x, target=g) for t, k, x, g in rows])


def test_on_hold_rows_run_from_hold_to_unhold() -> None:
    log = _hold_log()
    assert on_hold_rows(log).tolist() == [False, False, False, False, False, True, True, False, False, False]
    assert connected_rows(log).tolist() == [False, False, False, True, True, True, True, True, True, False]


def test_a_script_line_clicked_on_hold_is_not_said() -> None:
    log = _hold_log()
    summarise, close, order, identity = score_actions(
        [_expect("say", "pickup", None, step="summarise"), _expect("say", "pickup", 60, step="close"),
         _expect("script-order", "pickup", None, steps=["greet", "summarise", "close"]),
         _expect("identity", "pickup", 30, result="confirmed")], log)
    assert (summarise.done, summarise.score, summarise.details["outside_call_s"]) == (False, 0.0, [30.0])
    assert (close.done, close.score, close.latency_s) == (True, 1.0, 45.0)  # 50 - 5
    assert (order.done, order.score) == (False, 0.0)  # "summarise" was never heard
    # the identity is the desk's act: confirmed while the caller waits on hold still counts
    assert (identity.done, identity.score, identity.latency_s) == (True, 1.0, 20.0)


def test_a_hold_left_open_lasts_to_the_hang_up() -> None:
    rows = [(0.0, K.MARKER, "task-start", ""), (5.0, K.SCREEN, "pickup", ""), (10.0, K.SCREEN, "hold", ""),
            (12.0, K.CLICK, "", "say:greet"), (15.0, K.SCREEN, "hangup", "caller"), (16.0, K.SCREEN, "pickup", ""),
            (17.0, K.CLICK, "", "say:greet")]
    log = make_log([dict(t=t, kind=k, text=x, target=g) for t, k, x, g in rows])
    assert on_hold_rows(log).tolist() == [False, False, False, True, False, False, False]
    greet = score_actions([_expect("say", "start", None, step="greet")], log)[0]
    assert (greet.done, greet.latency_s) == (True, 17.0)  # the click at 12 s, on hold, is not it


# -------------------------------------------------------------------------- shipping


def test_nl_call_01_declares_the_shipping_its_article_a1_states() -> None:
    call = load_item("nl-call-01")
    assert call.shipping == Shipping(fee=4.95, free_from=50.0)
    a1 = next(a for a in call.articles if a.id == "A1")
    amounts = [float(x.replace(",", ".")) for x in re.findall(r"€ (\d+,\d\d)", a1.text)]
    assert amounts == [50.0, 50.0, 4.95]  # "vanaf € 50,00 ... Onder € 50,00 ... € 4,95 verzendkosten"
    assert shipping_rule(call.shipping) == DEFAULT_SHIPPING


def test_a_scenario_s_shipping_sets_the_desk_s_total() -> None:
    products = load_item("nl-call-01").products
    rule = shipping_rule(Shipping(fee=2.5, free_from=30.0))
    # 3 x OT-030 at 6.50 = 19.50, below 30.00: + 2.50 shipping
    assert summarise_order([("OT-030", "3")], products, rule).total == 22.0
    # 1 x WK-170 at 34.95: free from 30.00
    assert summarise_order([("WK-170", "1")], products, rule).shipping == 0.0
    # without free_from the fee is always charged (on an order that is not empty)
    always = shipping_rule(Shipping(fee=7.0))
    assert summarise_order([("WK-171", "2")], products, always).total == 96.9  # 89.90 + 7.00
    assert summarise_order([], products, always).total == 0.0
    assert shipping_rule(None) is DEFAULT_SHIPPING


def test_the_placed_order_on_the_desk_uses_the_scenario_s_shipping(results_dir: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    import typingtest.content as content

    real = content.load_item

    def cheaper(item_id: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        item = real(item_id, *args, **kwargs)
        return dataclasses.replace(item, shipping=Shipping(fee=3.0, free_from=100.0)) if item_id == "nl-call-01" \
            else item

    monkeypatch.setattr(content, "load_item", cheaper)
    app = open_scene("call-order-placed", settings=Settings(results_dir=results_dir))
    # 44.95 + 3 x 6.50 = 64.45, below 100.00: + 3.00 (the default rule would have it free)
    assert app.scene.widget("confirm-order").text.splitlines()[-1] == \
        "Subtotaal € 64,45 · verzending € 3,00 · totaal € 67,45"


@pytest.mark.parametrize(("table", "below", "message"), [  # below: lines below the [shipping] header
    ("[shipping]\nfee = -1\n", 1, "shipping.fee: -1: must be 0 euro or more"),
    ("[shipping]\nfee = 4.95\nfree_from = 0\n", 2,
     "shipping.free_from: 0: must be more than 0 euro (leave it out: never free)"),
    ("[shipping]\nfee = \"4,95\"\n", 1, "shipping.fee: expected a number, got a string '4,95'"),
    ("[shipping]\nfree_from = 50\n", 0, "shipping.fee: missing (required: a number)"),
    ("[shipping]\nfee = 4.95\nfree = 50\n", 2, "shipping.free: unknown key; did you mean 'fee'?"),
])
def test_a_bad_shipping_table_is_one_line_naming_file_line_and_key(tmp_path: Path, table: str, below: int,
                                                                   message: str) -> None:
    source = CALL_01.read_text(encoding="utf-8")
    start = source.index("[shipping]")
    end = source.index("[caller]")
    bad = tmp_path / "nl-call-01.toml"
    bad.write_text(source[:start] + table + "\n" + source[end:], encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_file(bad)
    problems = [str(p) for p in err.value.problems]
    assert len(problems) == 1
    header = source[:start].count("\n") + 1
    assert problems == [f"{bad}:{header + below}: {message}"]
