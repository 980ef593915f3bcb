"""Under a real X server (Xvfb, 1280x800): ``nl-call-01`` walked with real clicks and keys.

xdotool moves the mouse onto each widget and clicks it, and types with the Belgian layout:
ready, pick up, greet, find the record from the customer number, confirm the identity once the
caller has given the address, check the stock, answer the chat from the knowledge base, enter
the order in the caller's order (line 1 WK-171 x 1, line 2 OT-030 x 3, as line l6 says it),
place it, close, hang up, write the wrap-up in an operator's words and save it. The stored
attempt's actions are then all correct (score 1.0).

Where the widgets are: a headless twin of the same desk at the same size
(``App.widget_rect``; the window sits at 0,0 and the layout is the same at the same size).
When to act: the running attempt's journal (``formats.journal.read_journal``), read as the
caller's lines end (helpers shared with the battery walk: ``xwalk.py``). The headless walks of
the other variants are in ``tests/content``.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pygame
import pytest
from xwalk import REPO, Walk, require_xtools, twin_desk, workstation_env

from typingtest.config import Settings
from typingtest.engine.actions import field_text
from typingtest.engine.events import EventKind
from typingtest.store import open_store
from typingtest.workstation.xdriver import wait_for_window, xvfb_display

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]
SIZE = (1280, 800)
SEED = 7
CHAT_REPLY = "Dag Tom, de verzendkosten zijn 4,95 euro; vanaf 50 euro is de levering gratis."
NOTE = ("Bestelling geplaatst: 1 Aqua Plus WK-171 en 3 pakken ontkalkingstabletten OT-030. "
        "De Aqua WK-170 is niet op voorraad.")


def test_nl_call_01_walked_with_real_clicks_and_keys(tmp_path: Path) -> None:
    require_xtools()
    twin = twin_desk(tmp_path / "twin", "nl-call-01", SIZE, SEED)
    results = tmp_path / "results"
    size = f"{SIZE[0]}x{SIZE[1]}"
    with xvfb_display(size) as display:
        env = workstation_env(display, results)
        proc = subprocess.Popen([sys.executable, "-m", "typingtest", "run", "--task", "call", "--item", "nl-call-01",
                                 "--size", size, "--seed", str(SEED), "--candidate", "XVFB-CALL"], env=env, cwd=REPO,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            wid = wait_for_window(display, timeout=120)
            assert wid is not None, "the workstation window never appeared"
            geometry = subprocess.run(["xdotool", "getwindowgeometry", wid], env=env, capture_output=True, text=True)
            assert "Position: 0,0" in geometry.stdout and f"Geometry: {size}" in geometry.stdout, geometry.stdout
            walk = Walk(env, results, twin)
            walk.xdo("windowfocus", wid)
            end = time.monotonic() + 60  # whatever comes before the desk (a consent screen): Enter
            while walk.journal() is None and time.monotonic() < end:
                time.sleep(1.5)
                if walk.journal() is None:
                    walk.key("Return")
            assert walk.journal() is not None, "the call never began (no journal)"
            time.sleep(0.5)

            walk.click("ready")
            walk.wait(lambda rows: ("SCREEN", "ringing", "") in rows, "the ring")
            walk.click("pickup")
            walk.click("script:greet")
            walk.line_end("l1")  # "Ik zou graag iets bestellen"
            walk.click("script:ask-id")
            walk.line_end("l2")  # "Mijn klantnummer is 2 0 5 7 1 8, 78"
            walk.click("search:records")
            walk.type("205718")
            walk.key("Return")
            twin.click("search:records")
            twin.type_text("205718", 0.05)
            twin.post_key(pygame.K_RETURN)
            twin.advance(0.2)
            walk.click("results:K2")
            walk.click("script:ask-address")
            walk.line_end("l3")  # "Kolveniersvest 9, 2500 Lier": K2's address; now the identity
            walk.click("identity-ok")
            walk.line_end("l4")  # "drie pakken ontkalkingstabletten, en ook een waterkoker, de Aqua"
            walk.click("purposes:order")
            walk.click("products:P1")  # stock 0
            walk.click("script:out-of-stock")
            walk.line_end("l5")  # "De Aqua Plus misschien?"
            walk.click("products:P2")
            walk.wait(lambda rows: ("SCREEN", "chat-shown", "chat:m1") in rows, "the chat")
            walk.click("articles:A1")  # "Onder € 50,00 rekenen wij € 4,95 verzendkosten"
            walk.click("chat_m1")
            walk.type(CHAT_REPLY)
            walk.key("Return")  # sends
            walk.line_end("l6")  # "doe dan maar één Aqua Plus, en de drie pakken tabletten"
            for field, text in (("order_code_1", "WK-171"), ("order_qty_1", "1"), ("order_code_2", "OT-030"),
                                ("order_qty_2", "3")):
                walk.click(field)
                walk.type(text)
            walk.click("submit-order")
            walk.click("script:summarise")
            walk.line_end("l7")  # "Dan is dat alles voor vandaag"
            rect = twin.widget_rect("script")
            walk.xdo("mousemove", str(rect.centerx), str(rect.centery))
            for _ in range(4):  # the last script line is below the box: the wheel, in both desks
                walk.xdo("click", "5")
                time.sleep(0.1)
            twin.scene.widget("script").scroll(99, twin.theme)
            walk.click("script:close")
            walk.line_end("l8")  # "Dag, nog een fijne dag."
            walk.click("hangup")
            twin.scene.show_tab("wrap-up")
            walk.click("wrapup")
            walk.type(NOTE)
            walk.click("submit-wrap-up")
            walk.key("ctrl+Return")
            walk.key("Return")
            _out, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert proc.returncode == 0, err
    store = open_store(Settings(results_dir=results))
    frame = store.attempts_frame()
    assert len(frame) == 1 and frame["state"].iloc[0] == "complete"
    events = store.events(frame["attempt_id"].iloc[0])
    store.close()
    # the input was real: mouse clicks where the widgets are, and the keys typed into the fields
    clicks = events[events["kind"] == EventKind.CLICK]
    clicked = {str(t) for t in clicks["target"]}
    assert {"ready", "pickup", "results:K2", "identity-ok", "purposes:order", "products:P2", "articles:A1",
            "submit-order", "script:close", "hangup", "submit-wrap-up"} <= clicked, clicked
    xy = {str(r["target"]): (float(r["x"]), float(r["y"])) for r in clicks}
    assert twin.widget_rect("identity-ok").collidepoint(xy["identity-ok"])
    assert [field_text(events, f) for f in ("order_code_1", "order_qty_1", "order_code_2", "order_qty_2")] == \
        ["WK-171", "1", "OT-030", "3"]
    assert field_text(events, "wrapup") == NOTE and field_text(events, "chat_m1") == CHAT_REPLY
    actions = {a["id"]: a for a in frame["actions"].iloc[0]}
    order = {k: actions[k] for k in ("order-code-1", "order-qty-1", "order-code-2", "order-qty-2", "order-entered")}
    assert {k: (a["done"], a["correct"]) for k, a in order.items()} == {k: (True, True) for k in order}
    assert {k: a["score"] for k, a in actions.items() if a["score"] != 1.0} == {}
    assert frame["metrics"].iloc[0]["action_score"] == 1.0
