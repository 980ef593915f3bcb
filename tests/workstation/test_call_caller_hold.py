"""The caller's own hold (issue 15, item 1): a ``do = "hold"`` cue puts the operator on hold.

While the caller is away (the cue's ``seconds``) their lines wait until the hold ends, the hold
tone plays (``CallerAudio.hold``, the operator's own hold's), and the span is logged as SCREEN
``hold`` / ``unhold`` rows with target ``caller``, which ``engine.actions.on_hold_rows`` reads
(what the operator says meanwhile is not heard). Live on an injected clock (ticks every 0.25 s,
exact in binary) and after the fact on the same rows. Times are seconds since the task started.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from typingtest.config import Settings
from typingtest.content import load_item
from typingtest.content.model import Cue
from typingtest.content.triggers import parse_trigger as T
from typingtest.engine.actions import cue_due_time, on_hold_rows
from typingtest.engine.events import EventKind, make_log
from typingtest.workstation.driver import Driver
from typingtest.workstation.session import TaskSpec
from typingtest.workstation.tasks import CallTask

#: ring at 1 s; picked up at 2 s; the caller goes away at 3 s (pickup + 1 s) for 10 s, back at 13 s;
#: their line l1 comes due at 7 s (pickup + 5 s), during the hold
TIMELINE = [
    Cue("ring", T("start+1s"), "ring"),
    Cue("away", T("pickup+1s"), "hold", seconds=10.0),
    Cue("c1", T("pickup+5s"), "say", line="l1"),
    Cue("stop", T("hangup+5s"), "end"),
]


def _run(call: CallTask, actions: dict[float, list], until: float) -> dict[float, list[str]]:
    """Start at 0, tick every 0.25 s; returns the lines requested at each tick (and clears them)."""
    call.start(0.0)
    asked: dict[float, list[str]] = {}
    for i in range(int(until / 0.25) + 1):
        now = i * 0.25
        for act in actions.get(now, []):
            act(now)
        call.tick(now)
        if call.audio_requests:
            asked[now], call.audio_requests[:] = list(call.audio_requests), []
    return asked


def _log(call: CallTask) -> np.ndarray:
    return make_log({"t": r.t, "kind": r.kind, "text": r.text, "target": r.target} for r in call.rows)


def _screen(call: CallTask, text: str) -> list[tuple[float, str]]:
    return [(r.t, r.target) for r in call.rows if r.kind == EventKind.SCREEN and r.text == text]


def test_the_line_due_during_the_callers_hold_is_spoken_after_it() -> None:
    call = CallTask("nl-call-x", TIMELINE, 600.0)
    away_at: list[bool] = []
    asked = _run(call, {2.0: [call.pickup], 8.0: [lambda t: away_at.append(call.caller_away)]}, until=15.0)
    assert call.fired["away"] == 3.0 and call.fired["c1"] == 7.0  # c1 fires on time...
    assert away_at == [True]
    assert asked == {13.0: ["l1"]}  # ...and its line waits until the caller is back (3 + 10 s)
    assert _screen(call, "hold") == [(3.0, "caller")]
    assert _screen(call, "unhold") == [(13.0, "caller")]
    assert not call.caller_away and call.phone == "connected"


def test_the_rows_the_engine_reads_show_the_hold_span() -> None:
    """Post hoc: the same rows, with the player's onset of l1 and a script click during the hold."""
    call = CallTask("nl-call-x", TIMELINE, 600.0)
    _run(call, {
        2.0: [call.pickup],
        8.0: [lambda t: call.say("greet", t)],                                # said to nobody
        13.25: [lambda t: call.on_audio(EventKind.AUDIO_ONSET, "l1", t)],     # the waiting line
        14.0: [lambda t: call.say("ask-id", t)],                              # heard again
    }, until=15.0)
    log = _log(call)
    held = on_hold_rows(log)
    t = log["t"]
    assert t[held].min() > 3.0 and t[held].max() < 13.0  # rows strictly inside the span 3 s .. 13 s
    greet = np.flatnonzero(log["target"] == "say:greet")
    ask = np.flatnonzero(log["target"] == "say:ask-id")
    assert held[greet].tolist() == [True] and held[ask].tolist() == [False]
    onset = float(t[(log["kind"] == int(EventKind.AUDIO_ONSET)) & (log["text"] == "l1")][0])
    unhold = float(t[(log["kind"] == int(EventKind.SCREEN)) & (log["text"] == "unhold")][0])
    assert onset > unhold == 13.0
    assert cue_due_time(TIMELINE[1], log) == call.fired["away"] == 3.0  # live and post hoc agree


def test_a_proctor_pause_during_the_callers_hold_moves_its_end() -> None:
    call = CallTask("nl-call-x", TIMELINE, 600.0)
    asked = _run(call, {2.0: [call.pickup], 5.0: [call.pause], 9.0: [call.resume]}, until=20.0)
    assert _screen(call, "unhold") == [(17.0, "caller")]  # 13 s + the 4 s the proctor held the task
    assert asked == {17.0: ["l1"]}  # c1 came due at 7 + 4 = 11 s, during the hold


def test_a_hang_up_during_the_callers_hold_ends_it_and_drops_the_waiting_line() -> None:
    call = CallTask("nl-call-x", TIMELINE, 600.0)
    asked = _run(call, {2.0: [call.pickup], 10.0: [call.hangup]}, until=15.0)
    assert asked == {}
    assert _screen(call, "unhold") == []  # the hang-up closes the span (``on_hold_rows``)
    held = on_hold_rows(_log(call))
    assert not held[-1]
    assert not call.caller_away and call.waiting_lines == []


def test_a_hold_cue_before_the_pickup_does_nothing() -> None:
    timeline = [Cue("ring", T("start+1s"), "ring"), Cue("away", T("start+1.5s"), "hold", seconds=5.0)]
    call = CallTask("nl-call-x", timeline, 600.0)
    _run(call, {}, until=3.0)
    assert call.fired["away"] == 1.5
    assert not call.caller_away and _screen(call, "hold") == []


# ---------------------------------------------------------------------- at the desk (headless)


class _HoldSpy:
    """Records the hold tone's on/off calls (times on the driver's clock)."""

    def __init__(self, audio, clock) -> None:  # type: ignore[no-untyped-def]
        self.calls: list[tuple[float, bool]] = []
        real = audio.hold

        def hold(on: bool) -> None:
            self.calls.append((clock.now(), on))
            real(on)

        audio.hold = hold


def test_the_desk_plays_the_hold_tone_and_the_line_after_the_callers_hold(results_dir: Path) -> None:
    """nl-call-01 with a hold cue of 6 s at pickup + 1 s: its c1 (pickup + 1.5 s) waits for the caller."""
    item = load_item("nl-call-01")
    item = replace(item, timeline=(Cue("away", T("pickup+1s"), "hold", seconds=6.0), *item.timeline))
    d = Driver.open(Settings(results_dir=results_dir), None, specs=[TaskSpec("call", item, 420.0)], single=True)
    spy = _HoldSpy(d.session.audio, d.clock)
    d.click("ready")
    d.wait(3.5)  # the phone rings at start + 3 s
    d.click("pickup")
    d.wait(2.0)
    assert d.scene.call.caller_away
    assert d.scene.widget("phone-status").text == d.app.tr("on_hold")  # type: ignore[attr-defined]
    d.wait(8.0)
    assert not d.scene.call.caller_away
    log = d.app.recorder.to_log()
    rows = [(float(r["t"]), EventKind(int(r["kind"])).name, str(r["text"]), str(r["target"])) for r in log]
    picked = next(t for t, k, x, _ in rows if (k, x) == ("SCREEN", "pickup"))  # the log's clock: from t0
    hold = next(t for t, k, x, g in rows if (k, x, g) == ("SCREEN", "hold", "caller"))
    unhold = next(t for t, k, x, g in rows if (k, x, g) == ("SCREEN", "unhold", "caller"))
    onset = next(t for t, k, x, _ in rows if (k, x) == ("AUDIO_ONSET", "l1"))
    assert abs(hold - (picked + 1.0)) < 0.02 and abs(unhold - (hold + 6.0)) < 0.02  # frame steps of 1/60 s
    assert onset > unhold  # c1 (due at pickup + 1.5 s) is spoken once the caller is back
    assert [on for _, on in spy.calls] == [True, False]  # the hold tone on, then off
    t0 = d.app.recorder.t0
    assert abs(spy.calls[0][0] - t0 - hold) < 0.02 and abs(spy.calls[1][0] - t0 - unhold) < 0.02
