"""Verdicts: the one function that applies a threshold to a value.

Thresholds are read from ``thresholds.toml`` by ``typingtest.config.load_thresholds`` and
passed in; this module reads no file. Every verdict keeps the threshold it used, its source
(the qualification or the centre's setting) and the competence code it speaks for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["Threshold", "Verdict", "verdict"]

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

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the form stored with every attempt)."""
        return asdict(self)


def verdict(
    indicator: str,
    value: float | None,
    thresholds: Mapping[str, Threshold],
    competence: str | None = None,
) -> Verdict:
    """Judge ``value`` of ``indicator`` against ``thresholds[indicator]``.

    ``competence`` defaults to the threshold's first competence code. A None value
    (an undefined figure) gives ``passed=None``, never a fail or a pass.
    """
    try:
        rule = thresholds[indicator]
    except KeyError:
        known = ", ".join(sorted(thresholds))
        raise KeyError(f"no threshold for {indicator!r}; known: {known}") from None
    if value is None:
        passed: bool | None = None
    elif rule.comparison == "<=":
        passed = bool(value <= rule.limit + _TOLERANCE)
    else:
        passed = bool(value >= rule.limit - _TOLERANCE)
    code = competence if competence is not None else (rule.competences[0] if rule.competences else None)
    return Verdict(
        indicator=indicator,
        value=None if value is None else float(value),
        threshold=rule.limit,
        comparison=rule.comparison,
        source=rule.source,
        competence=code,
        passed=passed,
    )
