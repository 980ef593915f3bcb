"""typingtest.engine.precision: intervals, decisions, and their place in the stored verdicts.

Expected numbers: Wilson intervals from Newcombe (1998), "Two-sided confidence intervals for
the single proportion", Stat Med 17:857-872, Table I (method 3); the boundaries at 729
characters computed by hand below (z = 1.959964, DEFF = 1.40); the speed interval by hand with
t(0.975, 2) = 4.302653 (any t table); the coverage by seeded simulation (2,000 virtual attempts
per true rate through ``engine.analyze``; about 3 s here).
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

from typingtest.config import Settings, load_thresholds
from typingtest.content import Normalisation
from typingtest.engine import analyze
from typingtest.engine.events import EventKind, make_log
from typingtest.engine.precision import (
    DEFAULT_MIN_CHARS_JUDGED,
    DESIGN_EFFECT,
    decide,
    error_rate_interval,
    min_chars_for,
    speed_interval,
    stored_decision,
    wilson_interval,
)
from typingtest.engine.scoring import score_attempt
from typingtest.engine.verdicts import Threshold, verdict


def test_wilson_interval_matches_newcombe_1998() -> None:
    # Newcombe 1998, Table I, method 3 (score interval without continuity correction)
    low, high = wilson_interval(81 / 263, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    low, high = wilson_interval(15 / 148, 148)
    assert (round(low, 4), round(high, 4)) == (0.0624, 0.1605)
    # 0/20: the upper end is z^2 / (n + z^2) = 3.8415 / 23.8415 = 0.1611
    low, high = wilson_interval(0.0, 20)
    assert low == 0.0 and round(high, 4) == 0.1611


def test_error_rate_interval_uses_the_design_effect() -> None:
    assert DESIGN_EFFECT == 1.40  # measured: benchmarks/bench_precision.py --dispersion
    assert error_rate_interval(0.03, 729) == wilson_interval(0.03, 729 / 1.40)
    # clustering makes it wider than a binomial interval on the same characters
    binomial = wilson_interval(0.03, 729)
    low, high = error_rate_interval(0.03, 729)
    assert low < binomial[0] and high > binomial[1]
    assert error_rate_interval(None, 729) == (None, None)
    assert error_rate_interval(0.0, 0) == (None, None)


def test_default_minimum_of_characters_gives_plus_minus_one_and_a_half_points_at_3_percent() -> None:
    assert min_chars_for(0.03, 0.015) == DEFAULT_MIN_CHARS_JUDGED == 729
    assert Settings().min_chars_judged == 729  # the centre setting's default
    low, high = error_rate_interval(0.03, 729)
    assert (high - low) / 2 <= 0.015 and (round(low, 4), round(high, 4)) == (0.0184, 0.0484)
    low, high = error_rate_interval(0.03, 728)
    assert (high - low) / 2 > 0.015


def test_pass_borderline_fail_at_hand_computed_boundaries() -> None:
    # 729 characters, n_eff = 729 / 1.4 = 520.714, c = z^2 / n_eff = 0.0073773.
    # 11 errors: p = 0.0150892, centre = (p + c/2) / (1 + c) = 0.0186404,
    #   half = z sqrt(p(1-p)/n_eff + c/(4 n_eff)) / (1 + c) = 1.959964 x 0.0056641 / 1.0073773 = 0.0110202,
    #   high = 0.0296606 < 0.03: pass.
    # 12 errors: p = 0.0164609, centre 0.0200020, half 0.0114500, high = 0.0314520 >= 0.03: borderline.
    # 32 errors (4.39 %): low 0.02939 <= 0.03: borderline; 33 errors (4.53 %): low 0.03050 > 0.03: fail.
    def decision(errors: int) -> str:
        low, high = error_rate_interval(errors / 729, 729)
        return decide(errors / 729, low, high, 0.03, "<=", 729, 729)

    assert round(error_rate_interval(11 / 729, 729)[1], 6) == 0.029661
    assert round(error_rate_interval(12 / 729, 729)[1], 6) == 0.031452
    assert [decision(e) for e in (0, 11, 12, 22, 32, 33, 60)] == [
        "pass", "pass", "borderline", "borderline", "borderline", "fail", "fail"]


def test_insufficient_below_the_minimum_of_characters() -> None:
    low, high = error_rate_interval(0.0, 728)
    assert decide(0.0, low, high, 0.03, "<=", 728, 729) == "insufficient"
    low, high = error_rate_interval(0.0, 729)
    assert decide(0.0, low, high, 0.03, "<=", 729, 729) == "pass"
    # a typed figure that is undefined, or has no interval, is insufficient too
    assert decide(None, None, None, 0.03, "<=", 0, 729) == "insufficient"
    assert decide(31.0, None, None, 30.0, ">=", 800, 0) == "insufficient"


def test_an_interval_wholly_past_the_threshold_fails_however_few_characters() -> None:
    """14.4 % on 200 characters: its interval lies wholly above 3 %, so the candidate failed; on
    too few characters only a verdict that could still pass is "insufficient"."""
    low, high = error_rate_interval(0.144, 200)
    assert low > 0.03  # the whole interval above the threshold
    assert decide(0.144, low, high, 0.03, "<=", 200, 729) == "fail"
    low, high = error_rate_interval(0.01, 200)  # 2 errors in 200: could be below or above 3 %
    assert low < 0.03 < high
    assert decide(0.01, low, high, 0.03, "<=", 200, 729) == "insufficient"
    assert decide(10.0, 8.0, 12.0, 30.0, ">=", 200, 729) == "fail"  # speed wholly below 30 WPM


def test_verdicts_without_characters_are_plain() -> None:
    # a call action: no interval, pass/fail by the comparison, not-judged without a value
    assert decide(0.9, None, None, 0.8, ">=", None, 0) == "pass"
    assert decide(0.7, None, None, 0.8, ">=", None, 0) == "fail"
    assert decide(None, None, None, 0.8, ">=", None, 0) == "not-judged"
    rule = {"action_score": Threshold("action_score", 0.8, ">=", "centre", "", ())}
    d = verdict("action_score", 0.7, rule).to_dict()
    assert d["decision"] == "fail" and "ci_low" not in d and "chars_judged" not in d
    assert verdict("action_score", None, rule).to_dict()["decision"] == "not-judged"
    with pytest.raises(ValueError, match="comparison"):
        decide(0.5, None, None, 0.8, "<", None, 0)
    # verdicts stored before decisions existed: the plain one
    assert [stored_decision({"passed": p}) for p in (True, False, None)] == ["pass", "fail", "not-judged"]
    assert stored_decision({"passed": True, "decision": "borderline"}) == "borderline"


def test_speed_interval_by_batch_means_hand_computed() -> None:
    # 15 seconds: block means 30, 32, 34 WPM; SD 2; SE 2 / sqrt(3) = 1.154701;
    # half = 4.302653 x 1.154701 = 4.968275
    series = [30.0] * 5 + [32.0] * 5 + [34.0] * 5
    low, high = speed_interval(32.0, series)
    assert (round(low, 4), round(high, 4)) == (27.0317, 36.9683)
    # the 16th second (a partial block) is left out of the spread; the interval stays around net WPM
    assert speed_interval(31.0, [*series, 90.0]) == pytest.approx((26.0317, 35.9683), abs=1e-4)
    assert speed_interval(32.0, series[:14]) == (None, None)  # two whole blocks
    assert speed_interval(2.0, series)[0] == 0.0  # clipped at 0, as net WPM is
    # 29.7 net WPM against 30 on a 56-second task: borderline, not a fail on 0.3 WPM
    series = [29.7 + 4.0 * math.sin(k) for k in range(56)]
    low, high = speed_interval(29.7, series)
    assert low < 30.0 < high and decide(29.7, low, high, 30.0, ">=", 200, 0) == "borderline"


def test_t_quantile_matches_scipy() -> None:
    from scipy.stats import t

    from typingtest.engine.precision import _t975

    for df in (1, 2, 5, 29, 30, 31, 45, 59, 200):
        assert abs(_t975(df) - float(t.ppf(0.975, df))) < 5e-6


def _virtual_attempt(rng: np.random.Generator, passage: str, rate: float, cluster: int = 47) -> str:
    """The passage with errors clustered in stretches of ``cluster`` characters: each stretch's
    error rate is drawn from a beta distribution with mean ``rate`` and intra-cluster
    correlation (DEFF - 1) / (cluster - 1), so the variance inflation is DEFF; each error is a
    substitution by "#" (in no passage: the MSD is exactly the number of errors)."""
    rho = (DESIGN_EFFECT - 1.0) / (cluster - 1)
    s = 1.0 / rho - 1.0
    n = len(passage)
    k = -(-n // cluster)
    rates = np.repeat(rng.beta(rate * s, (1.0 - rate) * s, size=k), cluster)[:n]
    wrong = rng.random(n) < rates
    return "".join("#" if w else ch for ch, w in zip(passage, wrong, strict=True))


@pytest.mark.parametrize("true_rate", [0.01, 0.03, 0.05])
def test_the_95_percent_interval_covers_the_true_rate_in_93_to_97_percent(true_rate: float) -> None:
    # 2,000 seeded virtual attempts of 729 characters (the smallest decided attempt)
    rng = np.random.default_rng(16)
    words = ["de", "klant", "belt", "over", "een", "bestelling", "die", "niet", "is", "aangekomen", "en",
             "vraagt", "wanneer"]
    passage = " ".join(rng.choice(words, size=200))[:729]
    hits = 0
    for _ in range(2000):
        typed = _virtual_attempt(rng, passage, true_rate)
        a = analyze(passage, typed, character_level=False)
        low, high = error_rate_interval(a.msd_error_rate, max(len(passage), len(typed)))
        hits += low <= true_rate <= high
    assert 0.93 <= hits / 2000 <= 0.97


def _typed_log(text: str, dt: float = 0.25) -> np.ndarray:
    rows = []
    for i, ch in enumerate(text):
        rows.append({"t": 1.0 + i * dt, "kind": EventKind.KEY_DOWN, "key": ord(ch.lower()), "target": "answer"})
        rows.append({"t": 1.0 + i * dt, "kind": EventKind.TEXT, "text": ch, "target": "answer"})
    rows.append({"t": 2.0 + len(text) * dt, "kind": EventKind.MARKER, "text": "task-end", "target": "finish"})
    return make_log(rows)


def test_score_attempt_stores_characters_interval_and_decision() -> None:
    p = "the quick brown fox jumps over the lazy dog"
    m, v, _ = score_attempt("copy-typing", SimpleNamespace(text=p), _typed_log(p), load_thresholds())
    rate, speed = v
    # 43 characters judged, far below 729: the error rate is insufficient whatever its value
    assert (rate["chars_judged"], rate["min_chars_judged"], rate["decision"], rate["passed"]) == (
        43, 729, "insufficient", True)
    assert (rate["ci_low"], rate["ci_high"]) == error_rate_interval(0.0, 43)
    assert m["chars_judged"] == 43 and m["msd_error_rate_ci_high"] == rate["ci_high"]
    # 10.5 s of typing: two whole blocks of 5 s, no speed interval: insufficient
    assert speed["indicator"] == "net_wpm" and speed["ci_low"] is None and speed["decision"] == "insufficient"
    # with the centre's minimum at 40 the same attempt is decided: 0 errors, high end 0.1145 > 0.03
    _, v, _ = score_attempt("copy-typing", SimpleNamespace(text=p), _typed_log(p), load_thresholds(),
                            min_chars_judged=40)
    assert v[0]["decision"] == "borderline"


def test_transcription_judges_the_characters_after_normalisation() -> None:
    # "Bel me terug." lowercased without punctuation: "bel me terug" (12 characters)
    item = SimpleNamespace(reference="Bel me terug.", normalise=Normalisation(case="fold", punctuation="remove"))
    m, v, _ = score_attempt("transcription", item, _typed_log("bel me terug"), load_thresholds(),
                            min_chars_judged=1)
    assert v[0]["chars_judged"] == 12 and m["msd_error_rate"] == 0.0
