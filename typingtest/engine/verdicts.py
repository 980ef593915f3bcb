"""Verdicts: the one function that applies a threshold to a value.

Thresholds are read from ``thresholds.toml`` by ``typingtest.config.load_thresholds`` and
passed in; this module reads no file. Every verdict keeps the threshold it used, its source
(the qualification or the centre's setting) and the competence code it speaks for.

``passed`` is the plain comparison with the threshold; ``decision`` is what outputs show
(``typingtest.engine.precision.decide``): a typed verdict also keeps the characters judged,
its 95 % interval and ``min_chars_judged``, and may be "borderline" or "insufficient".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from typingtest.checks import fits
from typingtest.engine.precision import decide

__all__ = ["INDICATOR_KINDS", "REQUIRED_INDICATORS", "Threshold", "Verdict", "limit_problem", "verdict"]

#: Every indicator a threshold may be set for, with its kind: what range a threshold must lie in.
INDICATOR_KINDS = {
    "msd_error_rate": "rate",
    "field_error_rate": "rate",
    "field_completeness": "share",
    "action_score": "share",
    "net_wpm": "speed",
    "pickup_time_s": "time",
    "call_handling_time_s": "time",
    "record_find_time_s": "time",
}
#: Indicators the engine always judges (every copy-typing and transcription task): a thresholds
#: file must set them, or the first typed task would have nothing to be judged against.
REQUIRED_INDICATORS = ("msd_error_rate",)
#: kind -> (lowest, highest, lowest itself allowed, the range in words)
_KIND_RANGES: dict[str, tuple[float, float, bool, str]] = {
    "rate": (0.0, 1.0, True, "a fraction from 0 to 1 (0.03 = 3 %)"),
    "share": (0.0, 1.0, True, "a fraction from 0 to 1 (0.8 = 80 %)"),
    "speed": (0.0, math.inf, False, "a speed above 0 (words per minute)"),
    "time": (0.0, math.inf, True, "a time of 0 seconds or more"),
}

# Rates computed from integer counts can land a few ulps off a decimal threshold
# (0.03 as 3/100 vs the float 0.03); this tolerance is far below any meaningful difference
# (0.0301 must fail against 0.03).
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Threshold:
    """One pass/fail rule: ``value <= limit`` or ``value >= limit``, with where it comes from."""

    indicator: str
    limit: float
    comparison: str  # "<=" or ">="
    source: str  # "qualification" or "centre"
    basis: str
    competences: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    """A value judged against a threshold; ``passed`` is None when the value is undefined."""

    indicator: str
    value: float | None
    threshold: float
    comparison: str
    source: str
    competence: str | None
    passed: bool | None
    #: "pass", "fail", "borderline", "insufficient" (typed) or "not-judged"; "" = from ``passed``
    decision: str = ""
    #: typed verdicts only: characters judged, the 95 % interval (unit of ``value``; None where
    #: undefined), the centre's minimum of characters, and why a decision is not the plain one
    chars_judged: int | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    min_chars_judged: int | None = None
    decision_note: str | None = None

    def __post_init__(self) -> None:
        if not self.decision:
            plain = "not-judged" if self.passed is None else ("pass" if self.passed else "fail")
            object.__setattr__(self, "decision", plain)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the form stored with every attempt); a verdict that is not typed
        (no ``chars_judged``) has no interval keys."""
        out = asdict(self)
        if self.chars_judged is None:
            for key in ("chars_judged", "ci_low", "ci_high", "min_chars_judged", "decision_note"):
                del out[key]
        return out


def limit_problem(indicator: str, limit: object) -> str | None:
    """Why ``limit`` cannot be a threshold of ``indicator`` (None when it can).

    A threshold is a finite number (not a bool) within its indicator's range
    (``INDICATOR_KINDS``): an error rate or a share in [0, 1], a speed above 0, a time of 0 s
    or more. An indicator this module does not know has no range to check here.
    """
    if limit is None:
        return "no threshold (None)"
    if isinstance(limit, bool) or not isinstance(limit, int | float):
        return f"must be a number, got {limit!r}"[:80]
    if not math.isfinite(limit):
        return f"must be a finite number, got {limit!r}"
    kind = INDICATOR_KINDS.get(indicator)
    if kind is None:
        return None
    low, high, low_ok, words = _KIND_RANGES[kind]
    if not fits(limit, low=low if low_ok else None, above=None if low_ok else low, high=high):  # the one checker
        return f"must be {words}, got {limit!r}"
    return None


def verdict(
    indicator: str,
    value: float | None,
    thresholds: Mapping[str, Threshold],
    competence: str | None = None,
    *,
    chars_judged: int | None = None,
    interval: tuple[float | None, float | None] = (None, None),
    min_chars: int = 0,
    implausible: str | None = None,
) -> Verdict:
    """Judge ``value`` of ``indicator`` against ``thresholds[indicator]``.

    ``competence`` defaults to the threshold's first competence code. A None value
    (an undefined figure) gives ``passed=None``, never a fail or a pass. A threshold that is
    None, not a number or not finite raises ``ValueError``: judged against NaN, every candidate
    would fail (or pass) with nothing to show why.

    A typed verdict passes ``chars_judged`` (characters), its 95 % ``interval`` and the
    centre's ``min_chars`` (``precision.decide`` gives the decision). ``implausible`` (the
    reasons of a plausibility flag) turns a "pass" into "borderline": a flagged attempt is
    never passed silently.
    """
    try:
        rule = thresholds[indicator]
    except KeyError:
        known = ", ".join(sorted(thresholds))
        raise KeyError(f"no threshold for {indicator!r}; known: {known}") from None
    problem = limit_problem("", rule.limit)  # finiteness only: ranges are checked where the file is read
    if problem is not None:
        raise ValueError(f"threshold of {indicator!r}: {problem}; fix the thresholds file")
    if rule.comparison not in ("<=", ">="):
        raise ValueError(f"threshold of {indicator!r}: comparison must be '<=' or '>=', got {rule.comparison!r}")
    if value is None:
        passed: bool | None = None
    elif rule.comparison == "<=":
        passed = bool(value <= rule.limit + _TOLERANCE)
    else:
        passed = bool(value >= rule.limit - _TOLERANCE)
    code = competence if competence is not None else (rule.competences[0] if rule.competences else None)
    decision, note = "", None
    ci_low, ci_high = interval
    if chars_judged is not None:
        decision = decide(value, ci_low, ci_high, rule.limit, rule.comparison, chars_judged, min_chars)
        if decision == "insufficient" and value is not None:
            note = (f"{chars_judged} characters judged, fewer than {min_chars}" if chars_judged < min_chars
                    else "no interval (too short to measure its precision)")
        elif decision == "borderline":
            note = "the 95 % interval contains the threshold: retest on a parallel form"
    if implausible and decision in ("", "pass") and passed:
        decision, note = "borderline", f"implausible typing, review the attempt: {implausible}"
    return Verdict(
        indicator=indicator,
        value=None if value is None else float(value),
        threshold=rule.limit,
        comparison=rule.comparison,
        source=rule.source,
        competence=code,
        passed=passed,
        decision=decision,
        chars_judged=None if chars_judged is None else int(chars_judged),
        ci_low=None if ci_low is None else float(ci_low),
        ci_high=None if ci_high is None else float(ci_high),
        min_chars_judged=None if chars_judged is None else int(min_chars),
        decision_note=note,
    )
