"""Drive the headless workstation with a virtual candidate (input on the simulated clock).

All input goes through ``workstation.driver.Driver`` (the one headless driving API): this module
posts no pygame events and needs no pygame; a button's key is read from the button
(``Driver.shortcut_key``), never from a table here.

``run_candidate(driver, profile, candidate_id, seed)`` goes through the battery the driver
opened: the intake, then each task as the profile would do it, and returns a ``CandidateRun``
with the truth (the typist's attempts, the slips it made). Every key press, text commit and
release of the typist model is posted at the model's time; the app stamps it with the
injected clock when it reads it, as the real loop stamps keyboard events with perf_counter.

Between events the clock moves in steps of at most ``STEP_S`` seconds (one ``pump`` each:
cues, deadlines and audio onsets are checked), so a 5-minute call takes a fraction of a
second of computing. ``real_time=True`` sleeps so that the simulated clock keeps pace with
the wall clock (for a demonstration on screen).

The call operator is generic: it reads the scenario's expected actions (``Call.expect``) and
timeline and, as each action's cue happens, reacts after a reaction time, moves the pointer
(Fitts' law) and clicks or types what the action needs. Script steps without an expectation
of their own are said when the timeline waits for them (a cue with ``after = "say:<step>"``)
or, failing that, in the script's order before the next action. Kinds not yet played:
``check-stock``, ``callback`` and ``chat-reply`` are done as far as the widgets named in
docs/workstation.md allow (see ``_do``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from typingtest.engine.events import EventKind
from typingtest.simulate.operator import Pointer, Slip, reaction_time
from typingtest.simulate.typist import Profile, TypedAttempt, type_text

if TYPE_CHECKING:
    from typingtest.workstation.driver import Driver

__all__ = ["STEP_S", "CandidateRun", "run_candidate"]

#: Largest step of the simulated clock between two pumps of the app (s).
STEP_S = 0.1
#: Key codes the candidate uses besides the buttons' own keys (pygame-ce / SDL keycodes, written
#: out as ``typist`` does, so the simulation needs no pygame): Enter, A (with Ctrl: select all).
K_RETURN = 13
K_A = 97
KMOD_LCTRL = 0x0040
#: The call desk's forms: the tab button that shows each (its key is the button's shortcut).
_FORM_TABS = {"order": "tab-order", "contact": "tab-contact", "callback": "tab-callback", "wrap-up": "tab-wrap-up"}


@dataclass
class CandidateRun:
    """What a virtual candidate did: its typed attempts per task (the truth) and its slips."""

    candidate_id: str
    profile: Profile
    seed: int
    typed: dict[str, list[TypedAttempt]] = field(default_factory=dict)
    slips: list[Slip] = field(default_factory=list)
    skipped_actions: list[str] = field(default_factory=list)
    simulated_s: float = 0.0  # seconds on the simulated clock from intake to the end


class _Hands:
    """Posts the candidate's input at exact times on the driver's clock (``workstation.driver.Driver``:
    the one headless driving API; nothing here posts events itself)."""

    def __init__(self, driver: Driver, profile: Profile, rng: np.random.Generator, real_time: bool) -> None:
        self.d = driver
        self.profile = profile
        self.rng = rng
        self.pointer = Pointer()
        self.real_time = real_time
        self._wall0 = time.perf_counter()
        self._sim0 = driver.now()

    def now(self) -> float:
        return self.d.now()

    def advance_to(self, t: float, stop: Callable[[], bool] | None = None) -> bool:
        """Move the clock to ``t`` in steps; False when ``stop()`` became true on the way."""
        while self.now() < t - 1e-9:
            self.d.step_to(min(t, self.now() + STEP_S))
            if self.real_time:
                lag = (self.now() - self._sim0) - (time.perf_counter() - self._wall0)
                if lag > 0:
                    time.sleep(lag)
            if stop is not None and stop():
                return False
        return True

    def wait(self, seconds: float, stop: Callable[[], bool] | None = None) -> bool:
        return self.advance_to(self.now() + max(0.0, seconds), stop)

    def key(self, key: int, mod: int = 0, after: float = 0.12) -> None:
        self.d.key_down(key, mod)
        self.d.key_up(key, mod)
        self.d.pump()
        self.wait(after)

    def press(self, button: str, after: float = 0.12) -> None:
        """Press the key shown on ``button`` (its shortcut: the key comes from the button)."""
        self.key(self.d.shortcut_key(button), after=after)

    def enter(self) -> None:
        self.key(K_RETURN)

    def select_all(self) -> None:
        """Ctrl+A: what is typed next replaces the field's text."""
        self.key(K_A, KMOD_LCTRL, after=0.15)

    def feed(self, log: np.ndarray, stop: Callable[[], bool] | None = None) -> bool:
        """Post the typist's rows at their times (relative to now); False when stopped early."""
        t0 = self.now()
        i, n = 0, len(log)
        times = log["t"]
        while i < n:
            t = t0 + float(times[i])
            if not self.advance_to(t, stop):
                return False
            while i < n and t0 + float(times[i]) <= t + 1e-12:
                row = log[i]
                kind = int(row["kind"])
                if kind == EventKind.KEY_DOWN:
                    self.d.key_down(int(row["key"]), int(row["mod"]))
                elif kind == EventKind.KEY_UP:
                    self.d.key_up(int(row["key"]), int(row["mod"]))
                elif kind == EventKind.TEXT:
                    self.d.text(str(row["text"]))
                i += 1
            self.d.pump()
            if stop is not None and stop():
                return False
        return True

    def click(self, name: str, slips: list[Slip] | None = None, alternatives: list[str] | None = None) -> bool:
        """Point at a widget (Fitts' law time) and click it; now and then a neighbour instead."""
        rect = self.d.rect(name)
        if rect is None:
            return False
        self.wait(self.pointer.move_time(rect, self.profile))
        target = name
        if slips is not None and alternatives and self.rng.random() < self.profile.wrong_click_rate:
            others = [a for a in alternatives if a != name and self.d.shown(a)]
            if others:
                target = str(self.rng.choice(others))
                slips.append(Slip(self.now(), "wrong-click", name, target))
        self.d.click(target, after=0.0)
        self.wait(0.15)
        return True


def _typist_for(profile: Profile, **changes: Any) -> Profile:
    from dataclasses import replace

    return replace(profile, **changes)


def run_candidate(driver: Driver, profile: Profile, candidate_id: str, seed: int, *, real_time: bool = False,
                  intake: bool = True) -> CandidateRun:
    """Take the battery the driver opened as ``profile`` would; returns the truth of what was done."""
    rng = np.random.default_rng(seed)
    hands = _Hands(driver, profile, rng, real_time)
    run = CandidateRun(candidate_id, profile, seed)
    t_start = hands.now()
    if intake:
        driver.intake(candidate_id)
    guard = 0
    while not driver.session.finished and guard < 50:
        guard += 1
        name = driver.scene.name
        if name == "instructions":
            hands.wait(reaction_time(rng, profile, "request"))
            driver.start_task()
            continue
        if name == "closing":
            hands.wait(1.0)
            driver.enter()
            continue
        scene = driver.scene
        task_seed = int(rng.integers(2**31))
        if name == "copy-typing":
            _copy_typing(hands, scene, profile, task_seed, run)
        elif name == "transcription":
            _transcription(hands, scene, profile, task_seed, run)
        elif name == "data-entry":
            _data_entry(hands, scene, profile, task_seed, run)
        elif name == "call":
            _call(hands, scene, profile, task_seed, run)
        else:
            hands.wait(1.0)
            driver.enter()
            continue
        if driver.scene is scene:  # not ended by its time limit: Ctrl+Enter, then Enter
            hands.wait(reaction_time(rng, profile, "request"))
            driver.finish()
    run.simulated_s = hands.now() - t_start
    return run


def _left(hands: _Hands, scene: Any) -> Callable[[], bool]:
    return lambda: hands.d.scene is not scene


def _copy_typing(hands: _Hands, scene: Any, profile: Profile, seed: int, run: CandidateRun) -> None:
    text = " ".join(str(scene.state.presented).split())
    hands.wait(reaction_time(hands.rng, profile, "request") + 1.0)  # reads the first words
    attempt = type_text(text, profile, seed=seed, target="answer")
    run.typed.setdefault("copy-typing", []).append(attempt)
    hands.feed(attempt.log, _left(hands, scene))


def _transcription(hands: _Hands, scene: Any, profile: Profile, seed: int, run: CandidateRun) -> None:
    reference = " ".join(str(scene.spec.item.reference).split())
    speech_s = max(2.0, len(reference.split()) / 2.5)  # caller speech at ~2.5 words per second
    hands.wait(reaction_time(hands.rng, profile, "request"))
    attempt = type_text(reference, profile, seed=seed, target="answer", speaking=((0.0, speech_s),))
    run.typed.setdefault("transcription", []).append(attempt)
    hands.feed(attempt.log, _left(hands, scene))


def _data_entry(hands: _Hands, scene: Any, profile: Profile, seed: int, run: CandidateRun) -> None:
    fields = [f for f in scene.spec.item.fields if f.value]
    names = [f.name for f in fields]
    rng = np.random.default_rng(seed)
    stop = _left(hands, scene)
    hands.wait(reaction_time(rng, profile, "request"))
    for f in fields:
        if stop():
            return
        into = f.name
        if rng.random() < profile.wrong_field_rate and len(names) > 1:
            into = str(rng.choice([n for n in names if n != f.name]))
            run.slips.append(Slip(hands.now(), "wrong-field", f.name, into))
        if not hands.click(into):
            continue
        attempt = type_text(str(f.value), _typist_for(profile, pauses=False), seed=int(rng.integers(2**31)),
                            target=into, speaking=((0.0, 1e9),))
        run.typed.setdefault("data-entry", []).append(attempt)
        if not hands.feed(attempt.log, stop):
            return
        hands.wait(reaction_time(rng, profile, "request") * 0.5, stop)


# the call -----------------------------------------------------------------------------------------

def _call(hands: _Hands, scene: Any, profile: Profile, seed: int, run: CandidateRun) -> None:
    item = scene.spec.item
    call = scene.call
    rng = np.random.default_rng(seed)
    if hands.d.shown("ready"):  # the desk's ready step: a look at the screen, then Klaar
        hands.wait(float(rng.uniform(2.0, 5.0)))
        hands.click("ready")
    stop = _left(hands, scene)
    expect = [e for e in item.expect if e.action not in ("avoid", "end-call", "script-order")]
    order = next((list(e.params.get("steps", ())) for e in item.expect if e.action == "script-order"), [])
    order += [s.id for s in item.script if s.id not in order]
    own_say = {e.params.get("step") for e in expect if e.action == "say"}
    # script steps the timeline waits for: said once the cue's ``at`` trigger happened
    waits_for = {}
    for c in item.timeline:
        after = getattr(c, "after", None)
        if after is not None and str(after.base).startswith("say:"):
            waits_for[str(after.base)[4:]] = c.at.base
    said: list[str] = []
    done: set[str] = set()
    hangup_due = any(e.action == "end-call" for e in item.expect)
    caller_bye = next((c for c in item.timeline if c.do == "hangup"), None)  # the caller's own hang-up

    def happened(trigger: str) -> float | None:
        t = call.happened(trigger)
        return None if t is None else float(t)

    def say(step: str) -> None:
        # the script's earlier steps first (the operator keeps to the script)
        for s in order[: order.index(step) if step in order else 0]:
            if s not in said and s not in own_say:
                _say(s)
        _say(step)

    def _say(step: str) -> None:
        if step in said:
            return
        said.append(step)
        hands.click(f"script:{step}", run.slips, [f"script:{s}" for s in order])

    reacted: dict[str, float] = {}
    while not stop() and hands.now() < 1e12:
        pending = [e for e in expect if e.id not in done]
        due: list[tuple[float, str, Any]] = []
        forms_open = {item.get_field(e.params["field"]).form for e in pending if e.action == "field"}
        for e in pending:
            if e.action == "submit" and e.params.get("form") in forms_open:
                continue  # a form is submitted once its fields are filled
            t = happened(e.cue.base)
            if t is not None:
                key = f"e:{e.id}"
                if key not in reacted:
                    stim = "ring" if e.action == "pickup" else "chat" if e.action == "chat-reply" else "request"
                    reacted[key] = t + e.cue.delay_s + reaction_time(rng, profile, stim)
                due.append((reacted[key], "expect", e))
        for step, trigger in waits_for.items():
            if step in said or step in own_say:
                continue
            t = happened(trigger)
            if t is not None:
                key = f"s:{step}"
                if key not in reacted:
                    reacted[key] = t + reaction_time(rng, profile, "request")
                due.append((reacted[key], "say", step))
        if not due:
            if not pending and not [s for s in waits_for if s not in said and s not in own_say]:
                break
            # only the after-call work is left: close the call as an operator does, once the
            # caller's goodbye line has ended (the caller would hang up a few seconds later)
            if (hangup_due and pending and call.phone == "connected" and happened("hangup") is None
                    and all(str(e.cue.base) == "hangup" for e in pending)
                    and not [s for s in waits_for if s not in said and s not in own_say]
                    and (caller_bye is None or happened(str(caller_bye.at.base)) is not None)):
                hands.wait(reaction_time(rng, profile, "request"))
                if call.phone == "connected":
                    hands.click("hangup")
                continue
            hands.wait(STEP_S)
            continue
        due.sort(key=lambda x: x[0])
        t_due, what, obj = due[0]
        if not hands.advance_to(t_due, stop):
            return
        if what == "say":
            say(obj)
            continue
        done.add(obj.id)
        if obj.action == "say":
            say(str(obj.params["step"]))
            continue
        if obj.action == "transfer":
            for s in order:  # the script's closing words come before the transfer
                if s not in said and s not in own_say:
                    _say(s)
        if not _do(hands, item, obj, run, rng):
            run.skipped_actions.append(obj.id)
        elif obj.action == "open-record" and getattr(item, "direction", "") == "outbound" and call.phone == "idle":
            hands.click("pickup")  # the Dial button of an outbound call, on the record just opened
    if hangup_due and not stop() and call.phone in ("connected", "hold"):
        for s in order:
            if s not in said and s not in own_say:
                _say(s)
        hands.click("hangup")


def _do(hands: _Hands, item: Any, e: Any, run: CandidateRun, rng: np.random.Generator) -> bool:
    """Carry out one expected action through the widgets; False when it could not be done."""
    p = e.params
    a = e.action
    slips = run.slips
    if a == "pickup":
        return hands.click("pickup")
    if a == "open-record":
        rec = next((r for r in item.records if r.id == p["record"]), None)
        if rec is None or not _search(hands, "search:records", rec.customer_number, f"results:{rec.id}", run):
            return False
        return hands.click(f"results:{rec.id}", slips, [f"results:{r.id}" for r in item.records])
    if a == "identity":
        ok = str(p["result"]).startswith("confirm")
        return hands.click("identity-ok" if ok else "identity-fail")
    if a == "purpose":
        return hands.click(f"purposes:{p['purpose']}", slips, [f"purposes:{x}" for x in item.purposes])
    if a == "open-article":
        art = next((x for x in item.articles if x.id == p["article"]), None)
        if art is None:
            return False
        word = art.keywords[0] if art.keywords else art.title.split()[0]
        if not _search(hands, "search:articles", word, f"articles:{art.id}", run):
            return False
        return hands.click(f"articles:{art.id}", slips, [f"articles:{x.id}" for x in item.articles])
    if a == "check-stock":
        prod = next((x for x in item.products if x.id == p["product"]), None)
        if prod is None:
            return False
        if not hands.d.shown("search:products"):
            hands.press(_FORM_TABS["order"])
        for query in (prod.code, prod.name.split()[0]):
            if _search(hands, "search:products", query, f"products:{prod.id}", run):
                return hands.click(f"products:{prod.id}")
        return False
    if a == "field":
        fld = item.get_field(p["field"])
        value = p.get("value") or fld.value or "; ".join(f.any[0] for f in fld.facts)
        if fld.form in _FORM_TABS and not hands.d.shown(fld.name):
            hands.press(_FORM_TABS[fld.form])
        return _type_into(hands, fld.name, str(value), run)
    if a == "submit":
        form = str(p["form"])
        if not hands.d.shown(f"submit-{form}") and form in _FORM_TABS:
            hands.press(_FORM_TABS[form])
        return hands.click(f"submit-{form}")
    if a == "transfer":
        hands.press("transfer")
        if not hands.click(f"transfer-targets:{p['transfer']}", slips,
                           [f"transfer-targets:{x.id}" for x in item.transfers]):
            return False
        return hands.click("transfer-do")
    if a == "callback":
        hands.press(_FORM_TABS["callback"])
        slots = list(p["slots"]) if isinstance(p["slots"], list | tuple) else [p["slots"]]
        return hands.click(f"callback-slots:{slots[0]}") and hands.click("callback-plan")
    if a == "chat-reply":
        fld = item.get_field(str(p["field"]))
        reply = "; ".join(f.any[0] for f in fld.facts) or "Ok, ik kijk het na."
        if not _type_into(hands, fld.name, reply, run):
            return False
        return hands.click("chat-send")
    return False


def _type_into(hands: _Hands, name: str, text: str, run: CandidateRun, *, careful: bool = False,
               replace_all: bool = False) -> bool:
    if not hands.click(name):
        return False
    if replace_all:  # Ctrl+A: what is typed replaces an earlier search
        hands.select_all()
    profile = _typist_for(hands.profile, pauses=False, **({"error_rate": 0.0} if careful else {}))
    attempt = type_text(text, profile, seed=int(hands.rng.integers(2**31)), target=name, speaking=((0.0, 1e9),))
    run.typed.setdefault("call", []).append(attempt)
    hands.feed(attempt.log)
    hands.wait(0.2)
    return True


def _search(hands: _Hands, field_name: str, text: str, row: str, run: CandidateRun) -> bool:
    """Type a search and press Enter; when the row sought is not listed (a typo), erase and retype it once."""
    if not _type_into(hands, field_name, text, run, replace_all=True):
        return False
    hands.enter()
    if not hands.d.shown(row):
        hands.wait(reaction_time(hands.rng, hands.profile, "request"))
        hands.click(field_name)
        hands.select_all()
        attempt = type_text(text, _typist_for(hands.profile, pauses=False, error_rate=0.0),
                            seed=int(hands.rng.integers(2**31)), target=field_name)
        run.typed.setdefault("call", []).append(attempt)
        hands.feed(attempt.log)
        hands.enter()
    return hands.d.shown(row)
