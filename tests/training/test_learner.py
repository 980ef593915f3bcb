"""The learner model against hand-computed rates, and its shrinkage with few occurrences."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from typingtest.engine.events import EVENT_DTYPE, EventKind
from typingtest.training.learner import (
    PRIOR_INTERVALS,
    PRIOR_OCCURRENCES,
    AttemptInput,
    model_from_attempts,
    position_errors,
)


def _log(entries: list[tuple[float, str]]) -> np.ndarray:
    """TEXT rows (a character) and EDIT rows ("\\b" = backspace) at the given times (seconds)."""
    rows = []
    for t, e in entries:
        if e == "\b":
            rows.append((t, int(EventKind.EDIT), 8, 0, 0, "backspace", "copy", 0.0, 0.0))
        else:
            rows.append((t, int(EventKind.TEXT), 0, 0, 0, e, "copy", 0.0, 0.0))
    return np.array(rows, dtype=EVENT_DTYPE)


#: P = "tat ta"; typed t a x <backspace> t space t a: T = "tat ta", one corrected error.
HAND_LOG = [(0.0, "t"), (0.2, "a"), (0.5, "x"), (0.9, "\b"), (1.1, "t"), (1.3, " "), (1.5, "t"), (1.6, "a")]


def test_hand_made_log_rates_by_hand() -> None:
    model = model_from_attempts([AttemptInput("tat ta", "tat ta", log=_log(HAND_LOG), target="copy")])
    keys = model.keys.set_index("intended")
    # Keys (Wobbrock & Myers): the erased x sits before T[2] = "t", aimed at P[2] = "t": a corrected
    # substitution (t, x). Keystrokes aimed at t: rows 0, 2, 4 of the final alignment + the x = 4;
    # at a: 2; at space: 1. Errors: t 1.
    assert keys.loc["t", ["errors", "occurrences"]].tolist() == pytest.approx([1.0, 4.0])
    assert keys.loc["a", ["errors", "occurrences"]].tolist() == pytest.approx([0.0, 2.0])
    assert keys.loc[" ", ["errors", "occurrences"]].tolist() == pytest.approx([0.0, 1.0])
    assert keys.loc["t", "error_rate"] == pytest.approx(1 / 4)
    assert keys.loc["t", "most_typed_instead"] == "x"
    # overall p0 = 1 / 7; t shrunk: (1 + 20/7) / (4 + 20) = (27/7) / 24 = 0.160714
    assert model.key_error_rate == pytest.approx(1 / 7)
    assert keys.loc["t", "shrunk_error_rate"] == pytest.approx((1 + 20 / 7) / 24)
    assert keys.loc["t", "shrunk_error_rate"] == pytest.approx(0.160714, abs=1e-6)
    # Intervals: the final text's characters came from entries 0, 1, 4, 5, 6, 7. Consecutive and
    # first-time right: a (0.2 - 0.0), a (1.6 - 1.5), t (1.5 - 1.3); the space after the corrected
    # t at row 2 does not count. a: median(0.2, 0.1) = 0.15 s; overall median(0.2, 0.1, 0.2) = 0.2 s.
    assert keys.loc["a", "intervals"] == 2 and keys.loc["a", "median_interval_s"] == pytest.approx(0.15)
    assert keys.loc["t", "intervals"] == 1 and keys.loc["t", "median_interval_s"] == pytest.approx(0.2)
    assert model.median_interval_s == pytest.approx(0.2)
    # a shrunk with k = 10 pseudo-intervals: (2 x 0.15 + 10 x 0.2) / 12 = 0.191667 s
    assert PRIOR_INTERVALS == 10.0
    assert keys.loc["a", "shrunk_interval_s"] == pytest.approx((2 * 0.15 + 10 * 0.2) / 12)
    # Bigrams at their second character: ta (rows 1, 5), at (2), "t " (3), " t" (4); the corrected
    # x at row 2 is an error of "at": 1 / 1; overall 1 / 5.
    bigrams = model.bigrams.set_index("intended")
    assert bigrams.loc["ta", ["errors", "occurrences"]].tolist() == [0.0, 2.0]
    assert bigrams.loc["at", ["errors", "occurrences"]].tolist() == [1.0, 1.0]
    assert bigrams.loc["at", "most_typed_instead"] == "x"
    assert model.bigram_error_rate == pytest.approx(1 / 5)
    assert bigrams.loc["ta", "intervals"] == 2  # 0.2 (a after t) and 0.1


def test_uncorrected_errors_split_over_the_optimal_alignments() -> None:
    # P "ab", T "b": one optimal alignment (omit a): row 0 omitted.
    err, typed, _ = position_errors("ab", "b")
    assert err.tolist() == [1.0, 0.0] and typed[0] == ""
    # P "aa", T "a": two optimal alignments (omit the first a, or the second): 1/2 each.
    err, _, _ = position_errors("aa", "a")
    assert err.tolist() == pytest.approx([0.5, 0.5])


def test_shrinkage_key_seen_twice_with_one_error() -> None:
    # q: typed 2 times, 1 error (raw 50 %); e: 98 times, 4 errors. p0 = 5 / 100 = 0.05.
    metrics = {"confusion": [{"intended": "q", "typed": "a", "weight": 1.0},
                             {"intended": "e", "typed": "r", "weight": 4.0}],
               "char_attempts": [{"intended": "q", "weight": 2.0}, {"intended": "e", "weight": 98.0}]}  # fmt: skip
    model = model_from_attempts([AttemptInput("qe", "qe", metrics=metrics)])
    keys = model.keys.set_index("intended")
    assert PRIOR_OCCURRENCES == 20.0
    assert keys.loc["q", "error_rate"] == pytest.approx(0.5)
    # (1 + 20 x 0.05) / (2 + 20) = 2 / 22 = 0.0909
    assert keys.loc["q", "shrunk_error_rate"] == pytest.approx(2 / 22)
    # pulled 20/22 of the way from 0.5 to the overall 0.05: (0.5 - 0.0909) / (0.5 - 0.05) = 0.909
    pulled = (0.5 - keys.loc["q", "shrunk_error_rate"]) / (0.5 - 0.05)
    assert pulled == pytest.approx(20 / 22)
    # e keeps most of its own rate: (4 + 1) / 118 = 0.0424 (raw 0.0408)
    assert keys.loc["e", "shrunk_error_rate"] == pytest.approx(5 / 118)
    assert not keys.loc["q", "enough"] and keys.loc["e", "enough"]
    # on the AZERTY-BE layout q is the key C01 at the base level
    assert keys.loc["q", "key_id"] == "C01" and keys.loc["q", "level"] == "base"
    # the target list: q's shrunk 9.1 % is above the overall 5 %, e's 4.2 % is not
    assert [t.key for t in model.targets()] == ["q"]


def test_practice_and_tests_both_count() -> None:
    metrics = {"confusion": [{"intended": "e", "typed": "r", "weight": 1.0}],
               "char_attempts": [{"intended": "e", "weight": 10.0}]}  # fmt: skip
    a = AttemptInput("e", "e", metrics=metrics, practice=False)
    b = AttemptInput("e", "e", metrics=metrics, practice=True)
    model = model_from_attempts([a, b])
    assert (model.n_attempts, model.n_practice) == (2, 1)
    assert model.keys.set_index("intended").loc["e", ["errors", "occurrences"]].tolist() == [2.0, 20.0]


def test_transcription_sets_its_rate_not_the_keys() -> None:
    # a transcription's errors mix hearing, typing and normalisation: not counted against keys
    metrics = {"confusion": [{"intended": "e", "typed": "r", "weight": 3.0}],
               "char_attempts": [{"intended": "e", "weight": 10.0}], "msd_error_rate": 0.06}  # fmt: skip
    copy = {"confusion": [], "char_attempts": [{"intended": "e", "weight": 10.0}], "msd_error_rate": 0.01}
    model = model_from_attempts([AttemptInput("e", "e", metrics=metrics, task="transcription"),
                                 AttemptInput("e", "e", metrics=copy, task="copy-typing")])  # fmt: skip
    assert model.keys.set_index("intended").loc["e", ["errors", "occurrences"]].tolist() == [0.0, 10.0]
    assert (model.transcription_error_rate, model.copy_error_rate) == (0.06, 0.01)
    assert model.weak_at_transcription  # 6 % > 3 % and > the copy-typing 1 %


def _all_optimal_alignments(p: str, t: str) -> list[list[tuple[str, int]]]:
    """Every optimal alignment as its steps ("diag"/"vert"/"horiz", row), by brute force (reference)."""
    m, n = len(p), len(t)
    d = [[0] * (n + 1) for _ in range(m + 1)]
    for i in range(m + 1):
        for j in range(n + 1):
            if i == 0 or j == 0:
                d[i][j] = i + j
            else:
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (p[i - 1] != t[j - 1]))

    def back(i: int, j: int) -> list[list[tuple[str, int]]]:
        if i == 0 and j == 0:
            return [[]]
        out = []
        if i and j and d[i][j] == d[i - 1][j - 1] + (p[i - 1] != t[j - 1]):
            out += [[*a, ("diag", i - 1)] for a in back(i - 1, j - 1)]
        if i and d[i][j] == d[i - 1][j] + 1:
            out += [[*a, ("vert", i - 1)] for a in back(i - 1, j)]
        if j and d[i][j] == d[i][j - 1] + 1:
            out += [[*a, ("horiz", i)] for a in back(i, j - 1)]
        return out

    return back(m, n)


@settings(max_examples=200, deadline=None)
@given(st.text("abc", min_size=1, max_size=7), st.text("abc", max_size=7))
def test_position_errors_equal_the_share_over_every_optimal_alignment(p: str, t: str) -> None:
    alignments = _all_optimal_alignments(p, t)
    expected = np.zeros(len(p))
    for steps in alignments:
        cols = 0
        for kind, row in steps:
            if kind == "diag":
                expected[row] += p[row] != t[cols]
                cols += 1
            elif kind == "vert":
                expected[row] += 1
            else:
                cols += 1
    err, _, _ = position_errors(p, t)
    assert err == pytest.approx(expected / len(alignments))
