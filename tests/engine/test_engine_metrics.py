"""Text-entry metrics: worked examples of docs/engine.md and the papers, hand counts, properties."""

from __future__ import annotations

import json
import math
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from typingtest.config import load_thresholds
from typingtest.engine import analyze, typed_task_verdicts
from typingtest.engine.metrics import msd

BS = "\b"


def plain_levenshtein(a: str, b: str) -> int:
    """Textbook dynamic programme, unit costs (the slow reference)."""
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
        prev = cur
    return prev[-1]


# -- docs/engine.md worked examples (Soukoreff & MacKenzie 2003; Wobbrock & Myers 2006) --


def test_quick_brown_corrected_only() -> None:
    # P "the quick brown", IS "the quix<ck brown": T = P, MSD 0, corrected error rate 1/16
    # (C 15, INF 0, IF 1, F 1 -> 1 / (15 + 0 + 1)).
    a = analyze("the quick brown", "the quix\bck brown")
    assert a.transcribed == "the quick brown"
    assert a.msd == 0
    assert (a.c, a.inf, a.if_, a.f) == (15, 0, 1, 1)
    assert a.corrected_error_rate == pytest.approx(1 / 16)
    assert a.uncorrected_error_rate == 0.0
    assert a.msd_error_rate == 0.0


def test_quick_brown_both_kinds_of_error() -> None:
    # P "the quick brown", IS "th quix<ck brpown", T "th quick brpown":
    # INF 2, C 13, IF 1, F 1, MSD error rate 13.33 %, uncorrected 12.5 %, corrected 6.25 %, total 18.75 %.
    a = analyze("the quick brown", "th quix\bck brpown")
    assert a.transcribed == "th quick brpown"
    assert (a.inf, a.c, a.if_, a.f) == (2, 13, 1, 1)
    assert a.msd_error_rate == pytest.approx(2 / 15)
    assert round(a.msd_error_rate * 100, 2) == 13.33
    assert a.uncorrected_error_rate == pytest.approx(0.125)
    assert a.corrected_error_rate == pytest.approx(0.0625)
    assert a.total_error_rate == pytest.approx(0.1875)
    # KSPC in the string form counts every stream character: 17 / 15
    assert a.kspc == pytest.approx(17 / 15)


def test_golfers_msd() -> None:
    # MacKenzie & Soukoreff (2002): MSD("golfers", "gofpiers") = 3
    assert msd("golfers", "gofpiers") == 3
    a = analyze("golfers", "gofpiers")
    assert a.msd == 3
    assert a.msd_error_rate == pytest.approx(3 / 8)
    assert a.char_errors is not None and a.char_errors.alignments == 4


def test_hand_counted_fox_example() -> None:
    # A variant of the worked example, counted by hand: P "the quick brown fox",
    # IS "the quix<ck brpown fox" -> T "the quick brpown fox", INF 1 (inserted p),
    # C 20 - 1 = 19, IF 1 (x), F 1 (backspace); total error rate (1 + 1) / (19 + 1 + 1) = 2/21.
    a = analyze("the quick brown fox", "the quix\bck brpown fox")
    assert (a.c, a.inf, a.if_, a.f) == (19, 1, 1, 1)
    assert a.total_error_rate == pytest.approx(2 / 21)


# -- hand counts -------------------------------------------------------------------------


def test_p_longer_than_t() -> None:
    # "contact" typed "contct": one omission; MSD 1 / max(7, 6)
    a = analyze("contact", "contct")
    assert (a.msd, a.c, a.inf, a.if_, a.f) == (1, 6, 1, 0, 0)
    assert a.msd_error_rate == pytest.approx(1 / 7)
    assert a.uncorrected_error_rate == pytest.approx(1 / 7)


def test_p_shorter_than_t() -> None:
    # "call" typed "calll": one insertion; C = 5 - 1 = 4
    a = analyze("call", "calll")
    assert (a.msd, a.c, a.inf) == (1, 4, 1)
    assert a.msd_error_rate == pytest.approx(1 / 5)


def test_speeds_by_hand() -> None:
    # 11 characters "hello world" typed one every 0.25 s: S = 2.5 s
    # WPM = (11 - 1) / 2.5 * 60 / 5 = 48; gross the same (no corrections); net = gross.
    times = [0.25 * k for k in range(11)]
    a = analyze("hello world", "hello world", times)
    assert a.seconds == pytest.approx(2.5)
    assert a.wpm == pytest.approx(48.0)
    assert a.gross_wpm == pytest.approx(48.0)
    assert a.net_wpm == pytest.approx(48.0)
    assert a.keystrokes_per_hour == pytest.approx(11 / 2.5 * 3600)
    assert a.iki.mean == pytest.approx(250.0)
    # with one uncorrected error: "hellp world": INF 1 over 2.5 s = 24 errors a minute
    b = analyze("hello world", "hellp world", times)
    assert b.net_wpm == pytest.approx(48.0 - 24.0)
    # net WPM is floored at zero
    c = analyze("hello world", "xxxxx xxxxx", times)
    assert c.net_wpm == 0.0


def test_gross_wpm_counts_erased_characters() -> None:
    # IS "abx<c": 4 characters entered (|IS| - F = 5 - 1), S = 2 s: gross (4 - 1) / 2 * 12 = 18
    a = analyze("abc", "abx\bc", [0, 0.5, 1.0, 1.5, 2.0])
    assert a.entered == 4
    assert a.gross_wpm == pytest.approx(18.0)
    assert a.wpm == pytest.approx((3 - 1) / 2 * 12)


def test_empty_inputs_give_none_never_nan() -> None:
    for presented, stream in [("", ""), ("abc", ""), ("", "abc"), ("a", "a"), ("abc", "x\b")]:
        d = analyze(presented, stream).to_dict()
        text = json.dumps(d, allow_nan=False)  # raises on NaN or infinity
        assert "NaN" not in text
    empty = analyze("", "").to_dict()
    assert empty["msd_error_rate"] is None
    assert empty["kspc"] is None
    assert empty["uncorrected_error_rate"] is None
    assert empty["wpm"] is None
    none_typed = analyze("abc", "").to_dict()
    assert none_typed["msd_error_rate"] == 1.0
    assert none_typed["kspc"] is None
    assert none_typed["uncorrected_error_rate"] == 1.0  # INF 3 / (0 + 3 + 0)
    # one character: WPM undefined (|T| <= 1) even with times
    one = analyze("a", "a", [1.0]).to_dict()
    assert one["wpm"] is None and one["seconds"] == 0.0 and one["keystrokes_per_hour"] is None


def test_nfc_and_nfd_give_the_same_figures() -> None:
    p = "Geëerde klant, één café à Liège"
    typed = "Geëerde klant, één cafe\bé à Liège"
    nfc = analyze(unicodedata.normalize("NFC", p), unicodedata.normalize("NFC", typed)).to_dict()
    nfd = analyze(unicodedata.normalize("NFD", p), unicodedata.normalize("NFD", typed)).to_dict()
    assert nfc == nfd
    assert nfc["msd"] == 0 and nfc["if"] == 1


def test_nfd_with_times_keeps_one_time_per_character() -> None:
    # "é" typed as e + combining acute: one entry, committed at the time of the accent (0.1 s),
    # exactly as the NFC stream "é!" typed at 0.1 and 0.5 s: S = 0.4 s, 2 key presses.
    a = analyze("é!", "e\u0301!", [0.0, 0.1, 0.5])
    b = analyze("é!", "é!", [0.1, 0.5])
    assert a.transcribed == "é!"
    assert a.seconds == pytest.approx(0.4)
    assert a.key_presses == 2
    assert a.to_dict() == b.to_dict()


# -- properties --------------------------------------------------------------------------

streams = st.lists(st.sampled_from(["a", "b", "c", " ", "é", BS]), max_size=25).map("".join)
texts = st.text(alphabet="abc é", max_size=20)


@settings(max_examples=200, deadline=None)
@given(texts, texts)
def test_msd_equals_plain_levenshtein(p: str, t: str) -> None:
    assert msd(p, t) == plain_levenshtein(p, t)


@settings(max_examples=200, deadline=None)
@given(texts, streams)
def test_rates_are_fractions_and_classes_add_up(p: str, stream: str) -> None:
    a = analyze(p, stream)
    for rate in (a.msd_error_rate, a.uncorrected_error_rate, a.corrected_error_rate, a.total_error_rate):
        assert rate is None or 0.0 <= rate <= 1.0
    # IF counted by the formula equals the characters the replay removed (derived independently)
    assert a.if_ == a.removed
    assert a.c + a.inf == max(len(a.presented), len(a.transcribed))
    if a.total_error_rate is not None:
        assert a.total_error_rate == pytest.approx(a.uncorrected_error_rate + a.corrected_error_rate)
    json.dumps(a.to_dict(), allow_nan=False)


@settings(max_examples=100, deadline=None)
@given(texts, streams, st.floats(min_value=0.01, max_value=2.0))
def test_speeds_defined_exactly_when_the_design_says(p: str, stream: str, step: float) -> None:
    times = [k * step for k in range(len(stream))]
    a = analyze(p, stream, times)
    t_len = len(a.transcribed)
    seconds_positive = a.seconds is not None and a.seconds > 0
    assert (a.wpm is not None) == (t_len > 1 and seconds_positive)
    if a.wpm is not None:
        assert a.wpm == pytest.approx((t_len - 1) / a.seconds * 12)
    if a.net_wpm is not None:
        assert 0 <= a.net_wpm <= a.gross_wpm
    for value in a.to_dict().values():
        assert not (isinstance(value, float) and math.isnan(value))


# -- verdicts ----------------------------------------------------------------------------


def test_typed_task_verdicts_use_the_one_verdict_function() -> None:
    thresholds = load_thresholds()
    # 3 errors in 100 characters: exactly 3 % passes (the qualification's margin)
    p = "a" * 100
    at_limit = analyze(p, "b" * 3 + "a" * 97)
    v = typed_task_verdicts(at_limit, thresholds)
    msd_v = next(x for x in v if x.indicator == "msd_error_rate")
    assert msd_v.value == pytest.approx(0.03)
    assert msd_v.passed is True
    assert msd_v.competence == "D140801 Id17267"
    assert msd_v.source == "qualification"
    # 0.0301 fails (301 errors in 10,000 characters)
    over = analyze("a" * 10000, "b" * 301 + "a" * 9699, character_level=False)
    assert next(x for x in typed_task_verdicts(over, thresholds) if x.indicator == "msd_error_rate").passed is False
    # net WPM is undefined without times: its verdict is neither pass nor fail
    wpm_v = next(x for x in v if x.indicator == "net_wpm")
    assert wpm_v.value is None and wpm_v.passed is None
    assert wpm_v.to_dict()["threshold"] == 30.0


CONTRACT_KEYS = {
    "transcribed", "msd", "msd_error_rate", "c", "inf", "if", "f", "kspc", "uncorrected_error_rate",
    "corrected_error_rate", "total_error_rate", "wpm", "gross_wpm", "net_wpm", "keystrokes_per_hour", "seconds",
    "iki_mean_ms", "iki_median_ms", "iki_sd_ms", "hold_mean_ms", "consistency", "pauses", "speed_series",
    "char_errors", "confusion",
}  # fmt: skip


def test_to_dict_has_the_shared_contract_keys() -> None:
    d = analyze("the quick brown", "th quix\bck brpown", [0.2 * k for k in range(17)]).to_dict()
    assert set(d) >= CONTRACT_KEYS
    assert {"intended": "c", "typed": "x", "weight": 1.0} in d["confusion"]


@settings(max_examples=100, deadline=None)
@given(texts, streams)
def test_string_form_and_event_log_give_the_same_figures(p: str, stream: str) -> None:
    from typingtest.engine.events import EventKind, make_log

    times = [0.3 * k for k in range(len(stream))]
    rows = []
    for ch, t in zip(stream, times, strict=True):
        rows.append({"t": t, "kind": EventKind.KEY_DOWN, "key": 8 if ch == BS else ord(ch)})
        if ch == BS:
            rows.append({"t": t, "kind": EventKind.EDIT, "text": "backspace"})
        else:
            rows.append({"t": t, "kind": EventKind.TEXT, "text": ch})
    from_string = analyze(p, stream, times).to_dict()
    from_log = analyze(p, make_log(rows)).to_dict()
    assert from_log == from_string
