"""typingtest.engine: keystroke metrics over event logs (pure computation, no files, no pygame).

One core function does the work: ``analyze(presented, keystrokes, times=None)`` returns an
``Analysis`` dataclass holding every figure of docs/engine.md. ``typed_task_verdicts``
turns it into the verdicts of a typed task through ``typingtest.engine.verdicts.verdict``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from typingtest.engine import metrics, precision, timing
from typingtest.engine.alignment import CharErrors, ErrorTally, char_errors
from typingtest.engine.breaks import comparable, comparable_stream
from typingtest.engine.events import EventKind
from typingtest.engine.replay import Replay, nfc_stream, replay, replay_entries
from typingtest.engine.verdicts import Threshold, Verdict, verdict
from typingtest.engine.version import ENGINE_VERSION

__all__ = [
    "TYPING_COMPETENCE",
    "Analysis",
    "CharErrors",
    "ErrorTally",
    "Replay",
    "analyze",
    "replay",
    "typed_task_verdicts",
]

#: The competence a typed task's MSD error rate speaks for (Contactcenteroperator 2016:
#: types without errors within a 3 % margin).
TYPING_COMPETENCE = "D140801 Id17267"


@dataclass
class Analysis:
    """Every figure of one attempt. Rates are fractions; None where undefined."""

    presented: str
    transcribed: str
    msd: int
    msd_error_rate: float | None
    c: int
    inf: int
    if_: int
    f: int
    key_presses: int
    entered: int
    kspc: float | None
    uncorrected_error_rate: float | None
    corrected_error_rate: float | None
    total_error_rate: float | None
    #: S: seconds from the first to the last keystroke (None without times)
    seconds: float | None
    wpm: float | None
    gross_wpm: float | None
    net_wpm: float | None
    keystrokes_per_hour: float | None
    iki: timing.Summary
    hold: timing.Summary
    speed_series: list[float]
    consistency: float | None
    pauses: int
    pause_seconds: float
    #: characters typed then removed, as the replay counted them (equals IF)
    removed: int
    used_cursor: bool
    #: Wobbrock & Myers character-level errors; None when a cursor move or selection was used
    #: to type or delete away from the end of the text
    char_errors: CharErrors | None
    #: why ``char_errors`` is None, if it is
    char_errors_note: str | None = None
    replay: Replay | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: every figure, None (null) where undefined, never NaN."""
        ce = self.char_errors
        out: dict[str, Any] = {
            "engine_version": ENGINE_VERSION,
            "transcribed": self.transcribed,
            "msd": self.msd,
            "msd_error_rate": self.msd_error_rate,
            "c": self.c,
            "inf": self.inf,
            "if": self.if_,
            "f": self.f,
            "kspc": self.kspc,
            "uncorrected_error_rate": self.uncorrected_error_rate,
            "corrected_error_rate": self.corrected_error_rate,
            "total_error_rate": self.total_error_rate,
            "wpm": self.wpm,
            "gross_wpm": self.gross_wpm,
            "net_wpm": self.net_wpm,
            "keystrokes_per_hour": self.keystrokes_per_hour,
            "key_presses": self.key_presses,
            "entered": self.entered,
            "seconds": self.seconds,
            "iki_mean_ms": self.iki.mean,
            "iki_median_ms": self.iki.median,
            "iki_sd_ms": self.iki.sd,
            "iki_p10_ms": self.iki.p10,
            "iki_p90_ms": self.iki.p90,
            "hold_mean_ms": self.hold.mean,
            "hold_median_ms": self.hold.median,
            "hold_sd_ms": self.hold.sd,
            "consistency": self.consistency,
            "pauses": self.pauses,
            "pause_seconds": self.pause_seconds,
            "speed_series": list(self.speed_series),
            "removed": self.removed,
            "used_cursor": self.used_cursor,
            "char_errors": None
            if ce is None
            else {"corrected": ce.corrected.to_dict(), "uncorrected": ce.uncorrected.to_dict()},
            # exact while JSON readers keep integers exact (2**53), a float beyond
            "char_errors_note": self.char_errors_note,
            "alignments": None if ce is None else (ce.alignments if ce.alignments <= 2**53 else float(ce.alignments)),
            "confusion": None if ce is None else ce.confusion_list(),
            "char_attempts": None if ce is None else [{"intended": k, "weight": v} for k, v in ce.attempts.items()],
        }
        return _clean(out)


def _clean(value: Any) -> Any:
    """Replace NaN/inf floats by None, recursively (defensive: JSON has no NaN)."""
    if isinstance(value, float):
        return metrics.finite_or_none(value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def analyze(
    presented: str,
    keystrokes: np.ndarray | str,
    times: Sequence[float] | np.ndarray | None = None,
    *,
    target: str | None = None,
    initial: str = "",
    character_level: bool = True,
) -> Analysis:
    """Every figure of one attempt at typing ``presented``.

    Line breaks (``"\\n"``: a passage's paragraph breaks, or Enter typed) are compared as
    spaces (``engine.breaks``): an Enter or a space typed at a break is correct. ``presented``
    and ``transcribed`` of the result are the texts as they were, breaks included. The
    formulas are ``engine.metrics``'; a figure they leave undefined (NaN) is None here.

    Args:
        presented: the text shown (P), any Unicode normal form (compared in NFC).
        keystrokes: an event log (``EVENT_DTYPE``; key presses are its KEY_DOWN rows, IS its
            TEXT and EDIT rows) or a string in which ``"\\b"`` is a backspace.
        times: seconds, one per character of the string form; an event log carries its own
            (passing both raises ValueError).
        target: only the log rows of this field (e.g. ``"answer"``); None = every row.
        initial: text the field held before the attempt (not counted as typed).
        character_level: False skips the Wobbrock & Myers analysis (``char_errors`` None).

    Returns:
        An ``Analysis``: counts in characters or keystrokes, rates as fractions, speeds in
        words (five characters) per minute, times in seconds or milliseconds as named; None
        where a figure is undefined, never NaN.
    """
    p = unicodedata.normalize("NFC", presented)
    hold = timing.summarize(np.empty(0))
    if isinstance(keystrokes, str):
        entries, entry_times = nfc_stream(keystrokes, None if times is None else list(times))
        rep = replay_entries(entries, entry_times, initial=initial)
        key_presses = len(entries)
        key_times = None if entry_times is None else np.asarray(entry_times, dtype=np.float64)
    else:
        if times is not None:
            raise ValueError("times go with the string form; an event log carries its own")
        log = keystrokes if target is None else keystrokes[keystrokes["target"] == target]
        rep = replay(log, initial=initial)
        down_times = log["t"][log["kind"] == EventKind.KEY_DOWN]
        down_times = down_times[timing.typing_presses(log)]  # not the finishing or other command keys
        if len(down_times):
            key_presses = len(down_times)
            key_times = np.sort(down_times.astype(np.float64))
            hold = timing.summarize(timing.hold_times(log))
        else:  # a log without key rows (typed by a program): IS entries stand for key presses
            key_presses = len(rep.input_stream)
            key_times = rep.times
    t = rep.transcribed
    pc, tc = comparable(p), comparable(t)  # a line break typed or presented is a space
    distance = metrics.msd(pc, tc)
    classes = metrics.keystroke_classes(pc, tc, len(rep.input_stream), rep.edit_count, distance)
    unc, cor, tot = (metrics.finite_or_none(rate) for rate in metrics.error_rates(classes))
    seconds: float | None = None
    if key_times is not None and len(key_times) >= 1:
        seconds = float(key_times[-1] - key_times[0])
    gross = metrics.gross_wpm(rep.entered, seconds)
    ikis = timing.inter_key_intervals(key_times) if key_times is not None else np.empty(0)
    n_pauses, pause_s = timing.pauses(ikis)
    series: list[float] = []
    if seconds and key_times is not None and rep.times is not None:
        stream = rep.input_stream
        is_char = np.fromiter(map(len, stream), dtype=np.int64, count=len(stream)) == 1
        series = timing.speed_series(rep.times[is_char], float(key_times[0]), float(key_times[-1]))
    ce: CharErrors | None = None
    note: str | None = None
    if not character_level:
        note = "not requested"
    elif initial:
        note = "the field held text before the attempt"
    elif rep.char_stream is None:
        note = "the attempt typed or deleted away from the end of the text (cursor moves or selections)"
    else:
        try:
            ce = char_errors(pc, tc, comparable_stream(rep.char_stream), distance)
        except ValueError as exc:  # the stream does not replay to T (normalisation edge cases)
            note = str(exc)
    return Analysis(
        presented=p,
        transcribed=t,
        msd=distance,
        msd_error_rate=metrics.msd_error_rate(pc, tc, distance),
        c=classes.c,
        inf=classes.inf,
        if_=classes.if_,
        f=classes.f,
        key_presses=key_presses,
        entered=rep.entered,
        kspc=metrics.finite_or_none(metrics.kspc(key_presses, len(t))),
        uncorrected_error_rate=unc,
        corrected_error_rate=cor,
        total_error_rate=tot,
        seconds=seconds,
        wpm=metrics.finite_or_none(metrics.wpm(len(t), seconds)),
        gross_wpm=metrics.finite_or_none(gross),
        net_wpm=metrics.finite_or_none(metrics.net_wpm(gross, classes.inf, seconds)),
        keystrokes_per_hour=metrics.finite_or_none(metrics.keystrokes_per_hour(key_presses, seconds)),
        iki=timing.summarize(ikis),
        hold=hold,
        speed_series=series,
        consistency=timing.consistency(series),
        pauses=n_pauses,
        pause_seconds=pause_s,
        removed=rep.removed,
        used_cursor=rep.used_cursor,
        char_errors=ce,
        char_errors_note=note,
        replay=rep,
    )


def typed_task_verdicts(analysis: Analysis, thresholds: Mapping[str, Threshold],
                        min_chars_judged: int = precision.DEFAULT_MIN_CHARS_JUDGED) -> list[Verdict]:
    """The verdicts of a typed task: MSD error rate (competence D140801 Id17267) and net WPM.

    Thresholds come from ``typingtest.config.load_thresholds``; the judging is
    ``typingtest.engine.verdicts.verdict`` (``.to_dict()`` gives the stored form), with the
    characters judged, the 95 % intervals and the decision of ``typingtest.engine.precision``.
    """
    chars = max(len(analysis.presented), len(analysis.transcribed))
    out = [verdict("msd_error_rate", analysis.msd_error_rate, thresholds, competence=TYPING_COMPETENCE,
                   chars_judged=chars, interval=precision.error_rate_interval(analysis.msd_error_rate, chars),
                   min_chars=min_chars_judged)]
    if "net_wpm" in thresholds:
        out.append(verdict("net_wpm", analysis.net_wpm, thresholds, chars_judged=chars,
                           interval=precision.speed_interval(analysis.net_wpm, analysis.speed_series)))
    return out
