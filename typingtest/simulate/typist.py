"""The virtual typist: keystroke streams for a text, with known truth.

``type_text(text, profile, seed=...)`` returns a ``TypedAttempt``: an event log (EVENT_DTYPE
rows: KEY_DOWN / KEY_UP for every key, modifiers and dead keys included; TEXT for every
committed character; EDIT ``backspace`` for corrections) and the truth the model made:
every error it injected (kind, position in the presented text, corrected or left), the text
it left, and its own timing.

Timing: inter-key intervals are drawn from the per-band distributions fitted on real logs
(``calibration.py``, ``typist_params.json``): a quantile of the interval relative to the
typist's median, scaled so that error-free typing runs at ``Profile.speed_wpm``, times the
bigram factor of the pair of characters where the data has it, times 1.8 at the start of a
sentence. Pauses of 2 s or more (drawn from the band's pause quantiles) come only before the
first letter of a word, three times as often at a sentence start as at other words, with
the probability per word that gives the band's pause rate per interval. Hold times
come from the band's hold-time quantiles. While a caller speaks (``speaking`` intervals),
intervals grow by ``dual_task_slowdown`` and the error probability by
``dual_task_error_factor``.

Errors (one per intended position with probability ``error_rate``, at least
``min_error_gap`` intended characters apart): ``substitution`` (a neighbouring key on the
layout instead of the intended one), ``omission`` (the character left out), ``insertion``
(a neighbouring key's character before the intended one), ``transposition`` (the next
character typed first), ``doubled`` (the character typed twice). With probability
``correction_rate`` the typist notices after ``0..notice_max`` further characters (at least
one for an omission: nothing shows it before), reacts, erases back to the error with
backspace and retypes; otherwise the error is left. ``unambiguous`` leaves out the errors a
reader of the log cannot tell from another kind (for ground-truth tests); ``TypedAttempt.
expected_char_errors`` says how Wobbrock & Myers count each kind the model made.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from typingtest.engine.events import EVENT_DTYPE, EventKind
from typingtest.engine.layouts import DEFAULT_LAYOUT, Layout, get_layout
from typingtest.simulate.calibration import load_params

__all__ = ["ERROR_KINDS", "KMOD_LSHIFT", "KMOD_RALT", "InjectedError", "Profile", "TypedAttempt", "type_text"]

ERROR_KINDS = ("substitution", "omission", "insertion", "transposition", "doubled")

# pygame-ce key codes (SDL keycodes), written out so the model needs no pygame.
K_BACKSPACE = 8
K_LSHIFT = 0x400000E1
K_RALT = 0x400000E6  # AltGr
KMOD_LSHIFT = 0x0001  # SDL modifier bits held during a key press (the ``mod`` column)
KMOD_RALT = 0x0200
_SENTENCE_START_FACTOR = 1.8


@dataclass(frozen=True)
class Profile:
    """A virtual candidate's skill and habits."""

    name: str = "average"
    band: str = "average"  # timing shape: "slow", "average", "fast" (calibration bands)
    speed_wpm: float = 45.0  # error-free typing speed, words (5 characters) per minute
    error_rate: float = 0.02  # probability of an error per intended character
    error_mix: tuple[tuple[str, float], ...] = (
        ("substitution", 0.45),
        ("omission", 0.15),
        ("insertion", 0.15),
        ("transposition", 0.1),
        ("doubled", 0.15),
    )
    correction_rate: float = 0.8  # share of errors noticed and corrected
    notice_max: int = 2  # characters typed after an error before it is noticed, at most
    notice_reaction: tuple[float, float] = (2.0, 4.0)  # reaction before the first backspace, x median interval
    min_error_gap: int = 0  # intended characters between two errors, at least
    dual_task_slowdown: float = 0.25  # +25 % interval while a caller speaks
    dual_task_error_factor: float = 1.5  # x error probability while a caller speaks
    pauses: bool = True  # draw pauses of 2 s or more at the band's rate
    #: avoid errors a reader of the log cannot tell from another kind (a neighbouring key that
    #: is also the next or previous letter, a swap next to a repeated letter): for ground truth
    unambiguous: bool = False
    layout: str = DEFAULT_LAYOUT
    # multitasking (seconds; a reaction is lognormal around its median with the given spread)
    reaction_ring_s: float = 2.5  # ring -> pick-up decision
    reaction_chat_s: float = 4.0  # chat message shown -> starts answering
    reaction_request_s: float = 1.5  # caller request (end of a line) -> acts on it
    reaction_spread: float = 0.35  # sigma of log reaction time
    fitts_a_s: float = 0.23  # Fitts' law intercept, s (MacKenzie 1992, mouse pointing: a ~ 0.1-0.25)
    fitts_b_s: float = 0.166  # s per bit (MacKenzie 1992: 1/IP with IP ~ 6 bits/s)
    wrong_click_rate: float = 0.02  # share of clicks that land on the wrong list row / button
    wrong_field_rate: float = 0.02  # share of form values typed into the wrong field

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Profile:
        """A profile from a dict (a profiles file's table); unknown keys raise ValueError."""
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown profile key {sorted(unknown)[0]!r}; known: {', '.join(sorted(known))}")
        d = dict(data)
        if "error_mix" in d and isinstance(d["error_mix"], dict):
            d["error_mix"] = tuple(d["error_mix"].items())
        for k in ("notice_reaction",):
            if k in d:
                d[k] = tuple(d[k])
        return cls(**d)


@dataclass(frozen=True)
class InjectedError:
    """One error the model made: where (index in the presented text), what, and its fate."""

    kind: str
    position: int
    corrected: bool
    typed: str  # what was typed instead of presented[position : position + consumed]
    intended: str
    noticed_after: int  # characters typed after the error before correcting (corrected only)


@dataclass
class TypedAttempt:
    """The keystroke log and the truth behind it."""

    presented: str
    log: np.ndarray
    transcribed: str
    errors: list[InjectedError]
    key_presses: int
    seconds: float  # first to last key press
    profile: Profile
    seed: int
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def uncorrected(self) -> list[InjectedError]:
        """The errors left in the transcribed text."""
        return [e for e in self.errors if not e.corrected]

    @property
    def entered(self) -> int:
        """Characters committed (TEXT entries of the input stream), erased ones included."""
        return int(np.count_nonzero(self.log["kind"] == EventKind.TEXT))

    @property
    def errors_left(self) -> int:
        """Edit distance the errors left in T add up to (a transposition counts 2), when they are apart."""
        return sum(2 if e.kind == "transposition" else 1 for e in self.uncorrected)

    @property
    def net_wpm(self) -> float | None:
        """The model's own net speed: (entered - 1) / S x 12 minus errors left per minute."""
        if self.seconds <= 0 or self.entered <= 1:
            return None
        gross = (self.entered - 1) / self.seconds * 12.0
        return max(0.0, gross - self.errors_left / (self.seconds / 60.0))

    def expected_char_errors(self) -> dict[str, dict[str, float]]:
        """The injected errors as Wobbrock & Myers (2006) score them, when errors are apart.

        substitution, omission: themselves; insertion and doubled letter: an insertion. A
        transposition left in T has three optimal alignments (two substitutions; omission +
        insertion; insertion + omission), so it tallies 2/3 substitution, 2/3 insertion and
        2/3 omission. A corrected transposition ("ba" for "ab", erased) is read by W&M's
        stream alignment as "b" inserted before "a" (1 insertion) and, when noticed only after
        further characters, the letter after the pair as omitted (1 omission more).
        """
        out = {f: {"insertions": 0.0, "omissions": 0.0, "substitutions": 0.0} for f in ("corrected", "uncorrected")}
        for e in self.errors:
            d = out["corrected" if e.corrected else "uncorrected"]
            if e.kind == "substitution":
                d["substitutions"] += 1
            elif e.kind == "omission":
                d["omissions"] += 1
            elif e.kind in ("insertion", "doubled"):
                d["insertions"] += 1
            elif e.corrected:
                d["insertions"] += 1
                d["omissions"] += 1 if e.noticed_after else 0
            else:
                for k in d:
                    d[k] += 2.0 / 3.0
        return out


@cache
def _band_params(band: str) -> tuple[np.ndarray, np.ndarray, float, np.ndarray, dict[str, float]]:
    params = load_params()
    b = params["bands"][band]
    return (
        np.asarray(b["iki_quantiles"], float),
        np.asarray(b["hold_quantiles_ms"], float) / 1000.0,
        float(b["pause_rate"]),
        np.asarray(b["pause_quantiles_s"] or [2.0], float),
        dict(params["bigram_factors"]),
    )


def _draw(rng: np.random.Generator, quantiles: np.ndarray) -> float:
    """One draw from a distribution given by its 1 %..99 % quantiles (inverse CDF, linear)."""
    u = rng.uniform(0.0, len(quantiles) - 1)
    lo = int(u)
    hi = min(lo + 1, len(quantiles) - 1)
    return float(quantiles[lo] + (quantiles[hi] - quantiles[lo]) * (u - lo))


def _plan_span(
    text: str, profile: Profile, rng: np.random.Generator, layout: Layout, error_p: Callable[[int], float]
) -> tuple[list[str], list[InjectedError]]:
    """The entries the typist makes ("\\b" backspace, "\\x00" the moment of noticing) and its errors."""
    kinds = [k for k, _ in profile.error_mix]
    weights = np.asarray([w for _, w in profile.error_mix], float)
    weights = weights / weights.sum()
    plan: list[str] = []
    errors: list[InjectedError] = []
    n = len(text)
    i = 0
    next_allowed = 0
    while i < n:
        c = text[i]
        if i >= next_allowed and rng.random() < error_p(i):
            kind = str(rng.choice(kinds, p=weights))
            seg, consumed = _error_segment(kind, text, i, rng, layout, profile.unambiguous)
            if seg is not None:
                rest = n - (i + consumed)
                corrected = bool(rng.random() < profile.correction_rate)
                d = 0
                if corrected:
                    lo = 1 if kind == "omission" else 0
                    hi = min(profile.notice_max, rest)
                    if hi < lo:
                        corrected = False
                    else:
                        d = int(rng.integers(lo, hi + 1))
                if corrected:
                    follow = text[i + consumed : i + consumed + d]
                    wrong = seg + follow
                    plan.extend(wrong)
                    plan.append("\x00")  # the moment of noticing: a reaction before the backspaces
                    plan.extend("\b" * len(wrong))
                    plan.extend(text[i : i + consumed + d])
                else:
                    plan.extend(seg)
                errors.append(InjectedError(kind, i, corrected, seg, text[i : i + consumed], d if corrected else 0))
                i += consumed + d
                next_allowed = i + profile.min_error_gap
                continue
        plan.append(c)
        i += 1
    return plan, errors


def _error_segment(
    kind: str, text: str, i: int, rng: np.random.Generator, layout: Layout, unambiguous: bool = False
) -> tuple[str | None, int]:
    """What is typed for an error of ``kind`` at ``i``, and how many intended characters it covers."""
    c = text[i]
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if kind == "omission":
        after2 = text[i + 2] if i + 2 < len(text) else ""
        if unambiguous and (after == c or before == c or after2 == c or (before and before == after)):
            return None, 1
        return "", 1
    if kind == "doubled":
        if unambiguous and (after == c or before == c):
            return None, 1
        return (c + c, 1) if c.isalpha() else (None, 1)
    if kind == "transposition":
        if i + 1 < len(text) and text[i + 1] != c:
            after2 = text[i + 2] if i + 2 < len(text) else ""
            if unambiguous and (before in (after, c) or after2 in (c, after)):
                return None, 1
            return text[i + 1] + c, 2
        return None, 1
    near = [x for x in layout.neighbours(c) if x != c and x.isprintable() and not x.isspace()]
    if unambiguous:
        if after == c:
            return None, 1
        near = [x for x in near if x not in (before, after)]
    if not near:
        return None, 1
    x = str(rng.choice(near))
    return (x, 1) if kind == "substitution" else (x + c, 1)


def _strokes(layout: Layout, ch: str) -> list[tuple[int, int]]:
    """(key code, modifier key code or 0) for each key press that types ``ch``."""
    if ch == "\b":
        return [(K_BACKSPACE, 0)]
    strokes = layout.keystrokes_for(ch)
    if not strokes:
        return [(ord(ch[0]), 0)]
    out = []
    for key, level in strokes:
        base = key.char("base") or ch
        mod = K_LSHIFT if level == "shift" else K_RALT if level == "altgr" else 0
        out.append((ord(base[0]) if key.id != "space" else 32, mod))
    return out


def type_text(
    text: str,
    profile: Profile | None = None,
    *,
    seed: int = 0,
    start: float = 0.0,
    target: str = "text",
    speaking: tuple[tuple[float, float], ...] = (),
    key_error_rates: dict[str, float] | None = None,
) -> TypedAttempt:
    """Type ``text`` as ``profile`` would; ``speaking`` = caller speech intervals (s, attempt clock).

    Times start at ``start`` seconds. Seeded: the same arguments give the same log.
    ``key_error_rates`` (intended character -> probability of an error there) replaces
    ``profile.error_rate`` for those characters (a trainee's weak keys).
    """
    profile = profile or Profile()
    text = unicodedata.normalize("NFC", text)
    rng = np.random.default_rng(seed)
    layout = get_layout(profile.layout)
    iki_q, hold_q, pause_rate, pause_q, bigrams = _band_params(profile.band)
    # pauses at word starts only: per word start, the probability giving the band's rate per interval
    words = max(1, text.count(" "))
    sentences = sum(text.count(m + " ") for m in ".!?")
    pause_word = min(0.5, pause_rate * len(text) / (words + 2 * sentences))

    def in_speech(t: float) -> bool:
        return any(a <= t < b for a, b in speaking)

    # Scale so that error-free typing has mean interval 12 / speed_wpm s (60 s / (5 chars x wpm)).
    pair_f = [bigrams.get((text[j - 1] + text[j]).lower(), 1.0) for j in range(1, len(text))]
    mean_factor = float(np.mean(iki_q)) * (float(np.mean(pair_f)) if pair_f else 1.0)
    median = 12.0 / profile.speed_wpm / mean_factor

    # Errors: the base plan; where speech raises the error rate, the position's time is
    # estimated from the error-free pace (the plan must exist before the clock runs).
    mean_iki = 12.0 / profile.speed_wpm

    def error_p(i: int) -> float:
        est = start + i * mean_iki * (1.0 + profile.dual_task_slowdown * bool(speaking))
        base = key_error_rates.get(text[i], profile.error_rate) if key_error_rates else profile.error_rate
        return base * (profile.dual_task_error_factor if in_speech(est) else 1.0)

    plan, errors = _plan_span(text, profile, rng, layout, error_p)

    rows: list[tuple[float, int, int, int, str, str]] = []  # t, kind, key, mod, text, target
    t = start
    prev = ""
    first_press: float | None = None
    last_press = start
    typed: list[str] = []
    presses = 0
    for idx, entry in enumerate(plan):
        if entry == "\x00":
            t += median * float(rng.uniform(*profile.notice_reaction))
            continue
        if idx > 0 or first_press is not None:
            sentence_start = False
            if entry == "\b":
                factor = bigrams.get("\b\b", 0.9) if prev == "\b" else 1.0
            else:
                factor = bigrams.get((prev + entry).lower(), 1.0)
                sentence_start = prev == " " and len(typed) >= 2 and typed[-2] in ".!?"
                if sentence_start:
                    factor *= _SENTENCE_START_FACTOR
            iki = median * _draw(rng, iki_q) * factor
            at_word = profile.pauses and prev == " " and entry not in " \b"
            if at_word and rng.random() < pause_word * (3.0 if sentence_start else 1.0):
                iki = _draw(rng, pause_q)
            if in_speech(t):
                iki *= 1.0 + profile.dual_task_slowdown
            t += iki
        strokes = _strokes(layout, entry)
        # Modifier and dead-key presses lead the character's key press within the interval.
        for k, (key, mod) in enumerate(strokes):
            is_last = k == len(strokes) - 1
            press_t = t - (len(strokes) - 1 - k) * 0.35 * median
            if mod:
                m_t = press_t - 0.3 * median
                rows.append((m_t, EventKind.KEY_DOWN, mod, 0, "", target))
                presses += 1
                first_press = m_t if first_press is None else min(first_press, m_t)
            held = KMOD_LSHIFT if mod == K_LSHIFT else KMOD_RALT if mod == K_RALT else 0
            rows.append((press_t, EventKind.KEY_DOWN, key, held, "", target))
            presses += 1
            first_press = press_t if first_press is None else min(first_press, press_t)
            hold = _draw(rng, hold_q)
            rows.append((press_t + hold, EventKind.KEY_UP, key, 0, "", target))
            if mod:
                rows.append((press_t + hold + 0.01, EventKind.KEY_UP, mod, 0, "", target))
            if is_last:
                if entry == "\b":
                    rows.append((press_t, EventKind.EDIT, 0, 0, "backspace", target))
                    if typed:
                        typed.pop()
                else:
                    rows.append((press_t, EventKind.TEXT, 0, 0, entry, target))
                    typed.append(entry)
            last_press = max(last_press, press_t)
        prev = entry

    log = np.zeros(len(rows), dtype=EVENT_DTYPE)
    if rows:
        order = sorted(range(len(rows)), key=lambda j: (rows[j][0], j))
        for out_i, j in enumerate(order):
            tt, kind, key, mod, txt, tgt = rows[j]
            log[out_i] = (tt, int(kind), key, 0, mod, txt, tgt, 0.0, 0.0)
    counts = {
        fate: {k: sum(1 for e in errors if e.kind == k and e.corrected == (fate == "corrected")) for k in ERROR_KINDS}
        for fate in ("corrected", "uncorrected")
    }
    return TypedAttempt(
        presented=text,
        log=log,
        transcribed="".join(typed),
        errors=errors,
        key_presses=presses,
        seconds=(last_press - first_press) if first_press is not None else 0.0,
        profile=profile,
        seed=seed,
        counts=counts,
    )
