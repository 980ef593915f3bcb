"""The project's shared vocabulary: the attempts-frame columns and the indicator registry.

One place for what the store, the engine, the analysis, the reports and the console call
things, so the copies cannot drift:

- ``FRAME_COLUMNS``: the columns of ``Store.attempts_frame`` in order, which is the analysis'
  input (``typingtest.analysis.frame.ATTEMPT_COLUMNS`` is this tuple);
- ``INDICATORS``: every figure an attempt or a candidate is described or judged by, with its
  unit, its direction (is a higher value better?), the competence code its verdict speaks for,
  the key of its words in ``typingtest.texts.reports`` and where it is computed.

A new indicator is added here (and its words in ``typingtest/texts/reports.py``; its threshold,
if it is judged, in ``thresholds.toml``); ``tests/test_vocabulary.py`` checks the rest agrees.
This module imports nothing of the project, so every layer may import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "FRAME_COLUMNS",
    "INDICATORS",
    "METRIC_COLUMNS",
    "Indicator",
    "competence_of",
    "higher_is_better",
    "in_percent",
    "indicators_from",
]

#: The columns of ``Store.attempts_frame``, in order (the analysis part's input): the attempt's
#: keys, its state, the typed-task figures as columns (``METRIC_COLUMNS``; NaN where undefined),
#: then ``metrics`` (a dict of every figure), ``verdicts`` and ``actions`` (lists of dicts).
FRAME_COLUMNS: tuple[str, ...] = (
    "candidate_id", "cohort", "session_id", "attempt_id", "battery", "language", "task", "item", "practice",
    "started_at", "ended_at", "state", "verified", "transcribed", "wpm", "gross_wpm", "net_wpm", "msd_error_rate",
    "uncorrected_error_rate", "corrected_error_rate", "total_error_rate", "kspc", "iki_mean_ms", "iki_sd_ms",
    "metrics", "verdicts", "actions",
)  # fmt: skip
#: The figure columns of the frame (float, NaN where undefined): ``wpm`` up to ``iki_sd_ms``.
METRIC_COLUMNS: tuple[str, ...] = FRAME_COLUMNS[FRAME_COLUMNS.index("wpm") : FRAME_COLUMNS.index("metrics")]

Unit = Literal["fraction", "wpm", "s", "keystrokes/character", "keystrokes/hour"]
Origin = Literal["typed", "form", "call", "multitask"]


@dataclass(frozen=True)
class Indicator:
    """One indicator: what it measures in, which way is better, and where it comes from.

    ``unit``: "fraction" (0.03 = 3 %; shown in percent), "wpm" (words of 5 characters per
    minute), "s" (seconds), "keystrokes/character" or "keystrokes/hour". ``better``: "higher"
    or "lower". ``competence``: the qualification's code its verdict speaks for (None: never
    judged). ``label_key``: its name in ``typingtest.texts.reports.LABELS``. ``origin``: what
    computes it: "typed" (``engine.analyze``, copy typing and transcription), "form"
    (``engine.actions.score_form``, data entry), "call" (``engine.actions.call_metrics``),
    "multitask" (``analysis.multitask``, per candidate, never per attempt). ``threshold_kind``:
    the range a threshold must lie in (``engine.verdicts.INDICATOR_KINDS``: "rate", "share",
    "speed", "time"); None where no threshold may be set. ``digits``: decimals shown in tables
    (of the percent for a fraction). ``short``: the column name of the PDF applicants page.
    """

    name: str
    unit: Unit
    better: Literal["higher", "lower"]
    competence: str | None
    label_key: str
    origin: Origin
    threshold_kind: str | None = None
    digits: int = 1
    short: str = ""

    @property
    def higher_is_better(self) -> bool:
        """True when a larger value is the better one (speeds, completeness, scores)."""
        return self.better == "higher"


_TYPING = "D140801 Id17267"  # fill in the follow-up documents, type within 3 % errors
_DATA = "co 01670"  # enter all data completely in the right field, within 3 % errors
_MULTITASK = "co 01669"  # act simultaneously: listen, type and follow the screen
_FIND = "D140801 Id17425"  # check the caller's identity and data, find the right record


def _ind(name: str, unit: Unit, better: Literal["higher", "lower"], competence: str | None, origin: Origin,
         threshold_kind: str | None = None, digits: int = 1, short: str = "") -> Indicator:  # fmt: skip
    return Indicator(name, unit, better, competence, name, origin, threshold_kind, digits, short)


#: Every indicator, in the order the analysis lists them (attempt indicators first, then the
#: multitask figures computed per candidate).
INDICATORS: dict[str, Indicator] = {
    i.name: i
    for i in (
        _ind("net_wpm", "wpm", "higher", _TYPING, "typed", "speed", short="WPM"),
        _ind("gross_wpm", "wpm", "higher", None, "typed"),
        _ind("wpm", "wpm", "higher", None, "typed"),
        _ind("msd_error_rate", "fraction", "lower", _TYPING, "typed", "rate", 2, "MSD"),
        _ind("uncorrected_error_rate", "fraction", "lower", None, "typed", digits=2, short="UER"),
        _ind("corrected_error_rate", "fraction", "lower", None, "typed", digits=2),
        _ind("total_error_rate", "fraction", "lower", None, "typed", digits=2, short="TER"),
        _ind("kspc", "keystrokes/character", "lower", None, "typed"),
        _ind("keystrokes_per_hour", "keystrokes/hour", "higher", None, "typed"),
        _ind("field_error_rate", "fraction", "lower", _DATA, "form", "rate", 2, "FER"),
        _ind("field_completeness", "fraction", "higher", _DATA, "form", "share", 0, "FC"),
        _ind("pickup_time_s", "s", "lower", _MULTITASK, "call", "time", short="PU s"),
        _ind("record_find_time_s", "s", "lower", _FIND, "call", "time", short="RF s"),
        _ind("call_handling_time_s", "s", "lower", _MULTITASK, "call", "time", short="CH s"),
        _ind("action_score", "fraction", "higher", _MULTITASK, "call", "share", 0, "ACT"),
        # per candidate (analysis.multitask): 1 - load WPM / baseline WPM; load - baseline error rate
        _ind("speed_cost", "fraction", "lower", None, "multitask"),
        _ind("error_cost", "fraction", "lower", None, "multitask", digits=2),
    )
}


def indicators_from(origin: Origin) -> tuple[Indicator, ...]:
    """The indicators ``origin`` computes ("typed", "form", "call", "multitask"), in registry order."""
    return tuple(i for i in INDICATORS.values() if i.origin == origin)


def higher_is_better(name: str) -> bool:
    """True when a larger value of indicator ``name`` is the better one; False for an unknown name."""
    known = INDICATORS.get(name)
    return known is not None and known.higher_is_better


def in_percent(name: str) -> bool:
    """True when indicator ``name`` is a fraction shown in percent; an unknown name is one when it
    ends in ``_rate`` (the project's naming of rates)."""
    known = INDICATORS.get(name)
    return known.unit == "fraction" if known is not None else name.endswith("_rate")


def competence_of(name: str) -> str | None:
    """The competence code indicator ``name``'s verdict speaks for (None: unknown or never judged)."""
    known = INDICATORS.get(name)
    return None if known is None else known.competence
