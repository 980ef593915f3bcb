"""The replay player (``typingtest/console/static/replay.js``) in a real browser.

Playwright drives Debian's ``chromium`` (never a downloaded browser) on the static demo page
``static/replay-demo.html`` over file://: play at 4x, the typed text grows; pause, it stops;
at the end the final text of the embedded data is shown with its errors marked, one mark per
error span. A screenshot of the end goes to the temporary folder.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

import typingtest.console

STATIC = Path(typingtest.console.__file__).resolve().parent / "static"
DEMO = STATIC / "replay-demo.html"
SHOT = Path("/tmp") / "typingtest-replay-demo-end.png"

pytestmark = pytest.mark.chromium


@pytest.fixture(scope="module")
def page():
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("SKIPPED LOUDLY: Debian's chromium is not installed (apt-get install chromium); "
                    "the replay player is not tested in a browser")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        pg = browser.new_page(viewport={"width": 1000, "height": 700})
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(DEMO.as_uri())
        yield pg, errors
        browser.close()


def typed(pg) -> str:
    return pg.inner_text(".tt-replay-typed")


def test_play_pause_and_the_marked_end(page) -> None:
    pg, errors = page
    data = json.loads(pg.inner_text("#replay-data"))
    root = "[data-replay]"
    assert pg.get_attribute(root, "data-state") == "ready"
    assert typed(pg) == ""
    pg.get_by_role("button", name="Snelheid 4×").click()
    assert pg.get_attribute("button[data-speed='4']", "aria-pressed") == "true"
    assert pg.get_attribute("button[data-speed='1']", "aria-pressed") == "false"
    pg.get_by_role("button", name="Afspelen").click()
    assert pg.get_attribute(root, "data-state") == "playing"
    lengths = []
    for _ in range(4):
        time.sleep(0.5)
        lengths.append(len(typed(pg)))
    # the demo types ~80 characters in 22 s: at 4x about 15 characters per 0.5 s
    assert lengths[-1] > lengths[0] > 0, lengths
    # pause: nothing moves, text nor clock
    pg.get_by_role("button", name="Pauzeren").click()
    assert pg.get_attribute(root, "data-state") == "paused"
    before, clock = typed(pg), pg.inner_text(".tt-replay-time")
    time.sleep(0.6)
    assert (typed(pg), pg.inner_text(".tt-replay-time")) == (before, clock)
    assert len(before) < len(data["final"])
    # play on to the end (about 4 s of the 22 s left at 4x)
    pg.get_by_role("button", name="Afspelen").click()
    pg.wait_for_selector(f"{root}[data-state=ended]", timeout=20_000)
    assert pg.inner_text(".tt-replay-typed") == data["final"]
    marks = pg.eval_on_selector_all(".tt-replay-typed .tt-err", "els => els.map(e => e.classList[1])")
    expected = [f"tt-{s[0]}" for s in data["spans"] if s[0] != "ok"]
    assert marks == expected and {"tt-sub", "tt-ins", "tt-del"} <= set(marks)
    missing = pg.eval_on_selector_all(".tt-replay-typed .tt-del", "els => els.map(e => e.getAttribute('aria-label'))")
    assert all(m.startswith("Ontbreekt: «") for m in missing), missing
    legend = pg.inner_text(".tt-replay-legend")
    assert f"{data['errors']['sub']} vervangen" in legend and f"{data['errors']['del']} ontbrekend" in legend
    assert pg.inner_text(".tt-replay-time").startswith("0:22,1 / 0:22,1")
    pg.screenshot(path=str(SHOT), full_page=True)
    # restart: from an empty text again, playing
    pg.get_by_role("button", name="Opnieuw vanaf het begin").click()
    assert pg.get_attribute(root, "data-state") == "playing"
    assert len(typed(pg)) < len(data["final"])
    assert errors == []


def test_every_control_is_a_labelled_button(page) -> None:
    pg, _ = page
    labels = pg.eval_on_selector_all(".tt-replay button", "els => els.map(e => e.getAttribute('aria-label'))")
    assert labels[1:] == ["Snelheid 1×", "Snelheid 2×", "Snelheid 4×", "Opnieuw vanaf het begin", "Naar het einde"]
    assert labels[0] in ("Afspelen", "Pauzeren")
    # keyboard: Tab reaches the play button, Enter presses it
    pg.get_by_role("button", name="Naar het einde").click()
    assert pg.get_attribute("[data-replay]", "data-state") == "ended"
    pg.focus(".tt-replay-play")
    pg.keyboard.press("Enter")
    assert pg.get_attribute("[data-replay]", "data-state") == "playing"
    pg.keyboard.press("Space")
    assert pg.get_attribute("[data-replay]", "data-state") == "paused"


def test_a_deletion_shows_struck_through(page) -> None:
    pg, _ = page
    data = json.loads(pg.inner_text("#replay-data"))
    # the last run of backspaces in the demo: the characters it removed, in typing order
    steps = data["steps"]
    last = max(i for i, s in enumerate(steps) if s[1] == "del")
    first = last
    while steps[first - 1][1] == "del" and steps[first - 1][3] == steps[first][3] + 1:
        first -= 1
    pg.get_by_role("button", name="Opnieuw vanaf het begin").click()
    pg.get_by_role("button", name="Pauzeren").click()
    before = pg.evaluate(f"""() => {{
        const p = document.querySelector('[data-replay]').ttReplay;
        p.advance({steps[first][0]} - 1);
        return p.buf.join('');
    }}""")
    pg.evaluate(f"document.querySelector('[data-replay]').ttReplay.advance({steps[last][0]})")
    removed = before[steps[last][2]:steps[first][3]]
    assert pg.inner_text(".tt-replay-typed del.tt-removed") == removed != ""
    assert typed(pg) == before[: steps[last][2]] + removed  # struck through where it stood, caret after it
