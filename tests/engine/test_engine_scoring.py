"""typingtest.engine.scoring: the part of a passage reached, and the scoring of finished attempts.

Expected values are hand counts written next to each case; the property test compares
``reached_length`` with a slow reference kept here (every prefix, rapidfuzz's Levenshtein).
"""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from typingtest.config import load_thresholds
from typingtest.content.model import Normalisation
from typingtest.engine.events import EventKind, make_log
from typingtest.engine.scoring import end_reason, reached_length, reached_part, score_attempt

P = "the quick brown fox jumps over the lazy dog"


def _slow_reached(p: str, t: str) -> int:
    d = [Levenshtein.distance(p[:k], t) for k in range(len(p) + 1)]
    best = min(d)
    return min((k for k in range(len(p) + 1) if d[k] == best), key=lambda k: (abs(k - len(t)), -k))


def _typed_log(text: str, reason: str | None, dt: float = 0.2) -> object:
    rows = [{"t": 0.0, "kind": EventKind.FIELD_FOCUS, "target": "answer"}]
    for i, ch in enumerate(text):
        rows.append({"t": 1.0 + i * dt, "kind": EventKind.TEXT, "text": ch, "target": "answer"})
    if reason is not None:
        rows.append({"t": 2.0 + len(text) * dt, "kind": EventKind.MARKER, "text": "task-end", "target": reason})
    return make_log(rows)


def test_cut_mid_word_a_perfect_prefix_has_no_error() -> None:
    # "the quick br": the time limit interrupted "brown"; the old word-boundary cut counted
    # its 3 missing letters ("own") as errors
    assert reached_part(P, "the quick br") == "the quick br"
    assert Levenshtein.distance(reached_part(P, "the quick br"), "the quick br") == 0


def test_an_error_before_the_cut_still_counts() -> None:
    # "tha quick brown f": one substitution (e -> a), prefix "the quick brown f" (17 chars)
    t = "tha quick brown f"
    assert reached_length(P, t) == 17
    assert Levenshtein.distance(reached_part(P, t), t) == 1
    # a transposition ("quikc") costs 2 and the part reached is still the typed length (18)
    assert reached_part(P, "the quikc brown fo") == "the quick brown fo"


def test_an_omitted_letter_does_not_shift_the_cut() -> None:
    # "th quick brown" (e omitted, 14 chars): the reached part is P[:15] "the quick brown", 1 error
    assert reached_part(P, "th quick brown") == "the quick brown"


def test_transcribed_longer_than_presented() -> None:
    assert reached_part(P, P + " and more") == P
    assert reached_part("", "abc") == ""
    assert reached_part(P, "") == ""


def test_ties_go_to_the_length_closest_to_the_typed_text() -> None:
    # P "aaaa", T "ab": P[:1] (1 insertion), P[:2] (1 substitution), P[:3] (b->a + 1 omission = 2):
    # distances 2,1,1,2,3 for k = 0..4; k = 2 is closest to |T| = 2
    assert reached_length("aaaa", "ab") == 2


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab ëé", max_size=40), st.integers(min_value=0, max_value=40))
def test_a_prefix_is_reached_exactly(p: str, k: int) -> None:
    k = min(k, len(p))
    assert reached_length(p, p[:k]) == k


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab ", max_size=14), st.text(alphabet="ab ", max_size=16))
def test_reached_length_matches_the_slow_reference(p: str, t: str) -> None:
    assert reached_length(p, t) == _slow_reached(p, t)


def test_long_passage_banded_table_exact() -> None:
    # a 2,000-character passage, 1,500 typed with a substitution every 50 characters (30 errors)
    import random

    rng = random.Random(7)
    p = "".join(rng.choice("abcdefgh ") for _ in range(2000))
    t = list(p[:1500])
    for i in range(0, 1500, 50):
        t[i] = "z"
    assert reached_length(p, "".join(t)) == 1500


def test_time_out_is_judged_on_the_part_reached_finish_on_the_whole_passage() -> None:
    item = SimpleNamespace(text=P)
    thresholds = load_thresholds()
    m, v, actions = score_attempt("copy-typing", item, _typed_log("the quick br", "time"), thresholds)
    assert actions is None
    assert (m["ended_by"], m["presented_chars"], m["passage_chars"], m["msd"]) == ("time", 12, len(P), 0)
    assert next(x for x in v if x["indicator"] == "msd_error_rate")["passed"] is True
    assert {x["indicator"] for x in v} == {"msd_error_rate", "net_wpm"}
    # pressing Finish halfway: the 31 characters not typed are omissions (43 - 12 = 31)
    m, v, _ = score_attempt("copy-typing", item, _typed_log("the quick br", "finish"), thresholds)
    assert (m["ended_by"], m["presented_chars"], m["msd"]) == ("finish", len(P), 31)
    assert next(x for x in v if x["indicator"] == "msd_error_rate")["passed"] is False


def test_end_reason_read_from_the_log_or_given() -> None:
    assert end_reason(_typed_log("ab", "time")) == "time"
    assert end_reason(_typed_log("ab", None)) is None
    m, _, _ = score_attempt("copy-typing", SimpleNamespace(text=P), _typed_log("the q", None), load_thresholds(),
                            ended_by="time")
    assert m["presented_chars"] == 5 and m["msd"] == 0


def test_transcription_gets_no_speed_verdict() -> None:
    item = SimpleNamespace(reference="Bel me terug.", normalise=Normalisation())
    m, v, _ = score_attempt("transcription", item, _typed_log("Bel me terug.", "finish"), load_thresholds())
    assert [x["indicator"] for x in v] == ["msd_error_rate"]
    assert m["msd_error_rate"] == 0.0 and v[0]["passed"] is True
