"""One formula per figure: the metric functions over scalars and arrays (NaN where undefined,
None at ``analyze``'s boundary), ``finite_or_none``, and ``reached_length``: the RapidFuzz
search within the bound, the numpy band that was the whole function before (kept for large
bounds, ``numpy_from_bound=1`` forces it) and the default choice all equal a slow reference."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from typingtest.engine import analyze, metrics, timing
from typingtest.engine.breaks import comparable
from typingtest.engine.scoring import reached_length

# -- metrics over scalars and arrays -------------------------------------------------------


def test_undefined_figures_are_nan_for_scalars_and_arrays() -> None:
    # hand counts: kspc 17 / 15; 0 / 0 undefined; WPM (11 - 1) / 2.5 * 60 / 5 = 48; |T| 1: undefined
    assert metrics.kspc(17, 15) == pytest.approx(17 / 15)
    assert math.isnan(metrics.kspc(3, 0))
    assert metrics.wpm(11, 2.5) == pytest.approx(48.0)
    assert math.isnan(metrics.wpm(1, 2.5)) and math.isnan(metrics.wpm(11, 0.0)) and math.isnan(metrics.wpm(11, None))
    assert math.isnan(metrics.net_wpm(math.nan, 1, 2.5)) and metrics.net_wpm(48.0, 1, 2.5) == pytest.approx(24.0)
    assert math.isnan(metrics.keystrokes_per_hour(0, 2.5))
    got = metrics.wpm(np.array([11, 1, 11, 0]), np.array([2.5, 2.5, 0.0, 1.0]))
    np.testing.assert_array_equal(got, [48.0, np.nan, np.nan, np.nan])
    rates = metrics.error_rates(metrics.KeystrokeClasses.from_counts(np.array([15, 0]), np.array([2, 0]),
                                                                     np.array([1, 0]), np.array([1, 0])))
    # "th quick brpown": C 13, INF 2, IF 1 -> 2/16, 1/16, 3/16; nothing at all: undefined
    np.testing.assert_array_equal(np.vstack(rates), [[2 / 16, np.nan], [1 / 16, np.nan], [3 / 16, np.nan]])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3000), st.integers(0, 3000), st.integers(0, 300),
                          st.one_of(st.just(0.0), st.floats(0.001, 600.0)), st.integers(0, 3000)),
                min_size=1, max_size=20))
def test_an_array_gives_what_each_scalar_gives_bit_for_bit(rows: list[tuple[int, int, int, float, int]]) -> None:
    t_len, keys, inf, seconds, entered = (np.array(c) for c in zip(*rows, strict=True))
    arrays = {
        "kspc": metrics.kspc(keys, t_len),
        "wpm": metrics.wpm(t_len, seconds),
        "gross": metrics.gross_wpm(entered, seconds),
        "net": metrics.net_wpm(metrics.gross_wpm(entered, seconds), inf, seconds),
        "kph": metrics.keystrokes_per_hour(keys, seconds),
        "ratio": metrics.ratio(inf, t_len),
    }
    for i, (t, k, e, s, n) in enumerate(rows):
        scalars = {
            "kspc": metrics.kspc(k, t),
            "wpm": metrics.wpm(t, s),
            "gross": metrics.gross_wpm(n, s),
            "net": metrics.net_wpm(metrics.gross_wpm(n, s), e, s),
            "kph": metrics.keystrokes_per_hour(k, s),
            "ratio": metrics.ratio(e, t),
        }
        for name, value in scalars.items():
            assert isinstance(value, float)
            a = float(arrays[name][i])
            assert (math.isnan(a) and math.isnan(value)) or a == value, (name, i, a, value)


def test_finite_or_none_and_analyze_boundary() -> None:
    assert metrics.finite_or_none(None) is None
    assert metrics.finite_or_none(math.nan) is None and metrics.finite_or_none(-math.inf) is None
    assert metrics.finite_or_none(0.25) == 0.25 and metrics.finite_or_none(3) == 3
    assert metrics.finite_or_none(np.float64("nan")) is None
    a = analyze("abc", "")  # |T| 0: KSPC and WPM undefined; MSD error rate 3 / 3
    assert a.kspc is None and a.wpm is None and a.net_wpm is None and a.gross_wpm is None
    assert a.msd_error_rate == 1.0
    json.dumps(a.to_dict(), allow_nan=False)


def test_timing_percentiles_are_numpys() -> None:
    rng = np.random.default_rng(5)
    for n in (1, 2, 3, 10, 101):
        v = rng.gamma(4.0, 50.0, size=n)
        s = timing.summarize(v)
        assert [s.p10, s.p25, s.median, s.p75, s.p90] == np.percentile(v, [10, 25, 50, 75, 90]).tolist()
    # hand count: 100, 200, 300, 400: p25 at position 0.75 -> 175; median 250
    s = timing.summarize(np.array([400.0, 100.0, 300.0, 200.0]))
    assert (s.p25, s.median) == (175.0, 250.0)


# -- reached_length ---------------------------------------------------------------------------


def _every_prefix(presented: str, transcribed: str) -> int:
    """The slow, obviously correct reference: the distance of T to every prefix of P, the
    smallest, ties to the k closest to |T|, then the longer."""
    p, t = comparable(presented), comparable(transcribed)
    d = [Levenshtein.distance(t, p[:k]) for k in range(len(p) + 1)]
    return min((k for k in range(len(p) + 1) if d[k] == min(d)), key=lambda k: (abs(k - len(t)), -k))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab \n", max_size=40), st.text(alphabet="ab \nc", max_size=45))
def test_reached_length_both_ways_equals_every_prefix(p: str, t: str) -> None:
    expected = _every_prefix(p, t)
    assert reached_length(p, t) == expected
    assert reached_length(p, t, numpy_from_bound=10**9) == expected  # the RapidFuzz search only
    assert reached_length(p, t, numpy_from_bound=1) == expected  # the former version: the numpy band


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 300), st.floats(0.0, 0.5))
def test_reached_length_both_ways_equals_every_prefix_on_long_typed_passages(seed: int, typed: int,
                                                                            error_rate: float) -> None:
    rng = np.random.default_rng(seed)
    p = "".join(rng.choice(list("abcde "), size=300))
    out = []
    for ch in p[:typed]:
        r = rng.random()
        if r >= error_rate:
            out.append(ch)
        elif r >= error_rate / 3:  # a substitution or a doubled key (omissions: nothing appended)
            out.append("z" if r < 2 * error_rate / 3 else ch * 2)
    t = "".join(out)
    expected = _every_prefix(p, t)
    assert reached_length(p, t) == expected
    assert reached_length(p, t, numpy_from_bound=10**9) == expected  # the RapidFuzz search only
    assert reached_length(p, t, numpy_from_bound=1) == expected
