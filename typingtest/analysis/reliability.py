"""Reliability of the typed figures: split-half, standard error of measurement, decision consistency.

DataFrame in, tidy DataFrame out. The unit is a **segment**: a stretch of about
``SEGMENT_CHARS`` characters of the presented text (cut at the next space), or a sentence of the
136M Keystrokes study. Per segment (``SEGMENT_COLUMNS``): ``chars`` = max(|P_seg|, |T_seg|),
``errors`` = MSD(P_seg, T_seg), ``entered`` = characters typed in it (kept or later erased:
|IS| - F), ``seconds`` = its typing time.

``split_half`` scores each subject (an attempt, or a participant of the study) on its odd and
its even segments (1st, 3rd, ... against 2nd, 4th, ...):

- MSD error rate of a half = sum of errors / sum of chars;
- net WPM of a half = max(0, (entered / 5 - errors) / minutes), the engine's net WPM
  (gross minus errors left per minute) over the half's segments;

then per indicator: ``r_halves`` = Pearson's r between the halves over subjects,
``reliability`` = Spearman-Brown 2r / (1 + r) (the whole attempt is twice a half),
``sem`` = SD of the whole-attempt score over subjects x sqrt(1 - reliability) (same unit as the
figure), and at the threshold ``consistency`` = the share of subjects whose two halves fall on
the same side of it (plain comparison), with Cohen's ``kappa``. A half is half as long as the
test, so the consistency of the whole test is higher than this figure.

No files: ``cohort_segments`` takes an open store, ``corpus_segments`` a frame of
``typingtest.engine.corpus.score_sentences``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz.distance import Levenshtein

from typingtest.engine.breaks import comparable
from typingtest.engine.replay import Replay, replay

__all__ = [
    "MIN_SUBJECTS",
    "RELIABILITY_COLUMNS",
    "REPORT_COLUMNS",
    "SEGMENT_CHARS",
    "SEGMENT_COLUMNS",
    "TYPED_TASKS",
    "attempt_segments",
    "attempts_segments",
    "cohort_reliability",
    "cohort_segments",
    "corpus_segments",
    "segment_bounds",
    "split_half",
    "threshold_rules",
]

#: Characters of the presented text per segment (a sentence of the real sample is 41 on average).
SEGMENT_CHARS = 50
#: Columns of a segment frame.
SEGMENT_COLUMNS = ("subject", "segment", "chars", "errors", "entered", "seconds")
#: Columns of ``split_half``'s result, one row per indicator.
RELIABILITY_COLUMNS = ("indicator", "subjects", "segments", "chars", "mean", "sd", "r_halves", "reliability",
                       "sem", "threshold", "comparison", "consistency", "kappa")
#: Tasks whose attempts are typed text with an event log to cut into segments.
TYPED_TASKS = ("copy-typing", "transcription")
#: Fewest subjects (attempts) with two or more segments for the report to give a reliability:
#: with fewer, Pearson's r of the halves is too uncertain to quote (at 10 and r = 0.8 its 95 %
#: interval, Fisher's z with SE 1 / sqrt(n - 3), is already 0.34-0.95).
MIN_SUBJECTS = 10
#: Columns of ``cohort_reliability``: the task, ``RELIABILITY_COLUMNS``, and ``estimated``
#: (False when fewer than ``MIN_SUBJECTS`` subjects: the figures are then left out).
REPORT_COLUMNS = ("task", *RELIABILITY_COLUMNS, "estimated")
#: The indicators and their thresholds judged by default (the qualification's 3 %, 30 WPM).
DEFAULT_THRESHOLDS: dict[str, tuple[float, str]] = {"msd_error_rate": (0.03, "<="), "net_wpm": (30.0, ">=")}


def segment_bounds(presented: str, segment_chars: int = SEGMENT_CHARS) -> list[int]:
    """Cut positions of ``presented``: after the first space at or beyond every
    ``segment_chars`` characters; the last one is ``len(presented)``."""
    cuts: list[int] = []
    start = 0
    n = len(presented)
    while start < n:
        at = presented.find(" ", start + segment_chars - 1)
        end = n if at < 0 else at + 1
        cuts.append(end)
        start = end
    return cuts


def _p_to_t(presented: str, transcribed: str) -> np.ndarray:
    """For every position 0..|P| of P, the aligned position in T (an optimal alignment)."""
    out = np.zeros(len(presented) + 1, dtype=np.int64)
    for op in Levenshtein.opcodes(presented, transcribed):
        if op.tag in ("equal", "replace"):
            out[op.src_start:op.src_end + 1] = op.dest_start + np.arange(op.src_end - op.src_start + 1)
        elif op.tag == "delete":
            out[op.src_start:op.src_end + 1] = op.dest_start
        else:  # insert: what was typed beyond P here belongs to the segment before the boundary
            out[op.src_start] = op.dest_end
    out[len(presented)] = len(transcribed)
    return out


def _char_times(rep: Replay) -> np.ndarray | None:
    """Time (s) each character of T was typed, from a stream of characters, backspaces and
    word-backspaces; None when other edits were used or the stream has no times."""
    if rep.times is None:
        return None
    chars: list[str] = []
    times: list[float] = []
    for entry, t in zip(rep.input_stream, rep.times, strict=True):
        if len(entry) == 1:
            chars.append(entry)
            times.append(float(t))
        elif entry == "backspace":
            if chars:
                chars.pop()
                times.pop()
        elif entry == "word-backspace":
            while chars and chars[-1].isspace():
                chars.pop()
                times.pop()
            while chars and not chars[-1].isspace():
                chars.pop()
                times.pop()
        else:
            return None
    if "".join(chars) != rep.transcribed:
        return None
    return np.asarray(times, dtype=np.float64)


def attempt_segments(presented: str, log: np.ndarray, target: str | None = "answer",
                     segment_chars: int = SEGMENT_CHARS) -> pd.DataFrame:
    """One row per segment of one attempt (columns ``SEGMENT_COLUMNS`` without ``subject``).

    T is aligned with P (Levenshtein opcodes) and cut where P is cut. A segment's time runs
    from the last character of the segment before (the first key press for the first) to its
    own last character; ``entered`` counts the characters typed in that time. When the
    candidate edited other than with (word-)backspace, the characters of T get evenly spread
    times between the first and the last entry (the segments' speeds are then approximate).
    """
    rows = log if target is None else log[log["target"] == target]
    rep = replay(rows)
    presented, t = comparable(presented), comparable(rep.transcribed)  # a break: Enter or space, as analyze
    cols = [c for c in SEGMENT_COLUMNS if c != "subject"]
    if not presented or rep.times is None or len(rep.times) == 0:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in cols})
    stream = rep.input_stream
    is_char = np.fromiter(map(len, stream), dtype=np.int64, count=len(stream)) == 1
    entry_times = np.sort(rep.times[is_char])
    char_t = _char_times(rep)
    if char_t is None:
        char_t = np.linspace(float(rep.times[0]), float(rep.times[-1]), len(t))
    mapping = _p_to_t(presented, t)
    records = []
    p_start, t_start = 0, 0
    prev_end = float(rep.times[0])
    for k, p_end in enumerate(segment_bounds(presented, segment_chars)):
        t_end = int(mapping[p_end]) if p_end < len(presented) else len(t)
        t_end = max(t_end, t_start)
        p_seg, t_seg = presented[p_start:p_end], t[t_start:t_end]
        end_time = float(char_t[t_end - 1]) if t_end > t_start else prev_end
        if k == 0:
            entered = int(np.searchsorted(entry_times, end_time, side="right"))
        else:
            entered = int(np.searchsorted(entry_times, end_time, side="right")
                          - np.searchsorted(entry_times, prev_end, side="right"))
        records.append({"segment": k, "chars": max(len(p_seg), len(t_seg)),
                        "errors": Levenshtein.distance(p_seg, t_seg), "entered": entered,
                        "seconds": max(0.0, end_time - prev_end)})
        p_start, t_start, prev_end = p_end, t_end, max(prev_end, end_time)
        if t_start >= len(t) and p_end >= len(presented):
            break
    return pd.DataFrame.from_records(records, columns=cols)


def corpus_segments(sentences: pd.DataFrame) -> pd.DataFrame:
    """Segments of the 136M Keystrokes sample: one per sentence of a ``score_sentences`` frame,
    in the order of the frame; ``subject`` = the participant."""
    s = sentences
    out = pd.DataFrame({
        "subject": s["participant_id"].to_numpy(),
        "segment": s.groupby("participant_id", sort=False).cumcount().to_numpy(),
        "chars": np.maximum(s["presented_chars"], s["transcribed_chars"]).to_numpy(),
        "errors": s["msd"].to_numpy(),
        "entered": (s["transcribed_chars"] + s["if"]).to_numpy(),
        "seconds": s["seconds"].to_numpy(),
    })
    return out[list(SEGMENT_COLUMNS)]


def cohort_segments(store: Any, cohort: str | None = None, task: str = "copy-typing",
                    passages: Any = None, segment_chars: int = SEGMENT_CHARS) -> pd.DataFrame:
    """Segments of every complete, non-practice attempt of ``task`` (copy-typing or
    transcription: raw MSD) in ``cohort``; ``subject`` = the attempt id (``attempts_segments``)."""
    frame = store.attempts_frame(cohort=cohort, task=task)
    return attempts_segments(store, frame, task, passages, segment_chars)


def attempts_segments(store: Any, attempts: pd.DataFrame, task: str = "copy-typing", passages: Any = None,
                      segment_chars: int = SEGMENT_CHARS, *, strict: bool = True) -> pd.DataFrame:
    """Segments of the complete, non-practice attempts of ``task`` in ``attempts`` (an attempts
    frame, e.g. the report's filtered one), their event logs read from ``store``.

    The presented text is the item's (``typingtest.content.load_item``), cut to the part reached
    that the engine judged (``presented_chars`` in the stored metrics). Not ``strict`` (the
    report): an attempt whose item or event log cannot be read is left out instead of stopping.
    """
    from typingtest.content import load_item
    from typingtest.errors import UserError

    frame = attempts[(attempts["task"] == task) & (attempts["state"] == "complete")
                     & ~attempts["practice"].fillna(False).astype(bool)]  # fmt: skip
    items: dict[str, str] = {}
    parts = []
    for row in frame.itertuples(index=False):
        item_id = str(row.item)
        try:
            if item_id not in items:
                it = load_item(item_id, passages)
                items[item_id] = str(it.text if task == "copy-typing" else it.reference)
            log = store.events(row.attempt_id)
        except UserError:
            if strict:
                raise
            continue
        metrics = row.metrics if isinstance(row.metrics, Mapping) else {}
        presented = items[item_id][: int(metrics.get("presented_chars") or len(items[item_id]))]
        seg = attempt_segments(presented, log, segment_chars=segment_chars)
        if len(seg):
            parts.append(seg.assign(subject=row.attempt_id))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in SEGMENT_COLUMNS})
    return pd.concat(parts, ignore_index=True)[list(SEGMENT_COLUMNS)]


def threshold_rules(thresholds: Mapping[str, Any] | None) -> dict[str, tuple[float, str]]:
    """``split_half``'s thresholds from the thresholds in force (``config.load_thresholds``):
    the MSD error rate's and net WPM's limit and comparison (the defaults where absent)."""
    if thresholds is None:
        return dict(DEFAULT_THRESHOLDS)
    return {name: (thresholds[name].limit, thresholds[name].comparison)
            for name in ("msd_error_rate", "net_wpm") if name in thresholds}  # fmt: skip


def cohort_reliability(store: Any, attempts: pd.DataFrame, thresholds: Mapping[str, Any] | None = None,
                       passages: Any = None, segment_chars: int = SEGMENT_CHARS) -> pd.DataFrame:
    """The report's reliability section: ``split_half`` of each typed task (``TYPED_TASKS``) that
    ``attempts`` holds, on the segments of its attempts (``attempts_segments``), at the
    thresholds in force (``threshold_rules``); the same functions ``typingtest reliability`` calls.

    One row per task and indicator, ``REPORT_COLUMNS``. A task with fewer than
    ``MIN_SUBJECTS`` subjects is ``estimated`` False, its reliability, SEM, consistency and
    kappa left NaN (too few to estimate); ``subjects`` says how many there were.
    """
    rows = []
    for task in TYPED_TASKS:
        if not (attempts["task"] == task).any():
            continue
        segments = attempts_segments(store, attempts, task, passages, segment_chars, strict=False)
        table = split_half(segments, thresholds=threshold_rules(thresholds)) if len(segments) else \
            pd.DataFrame({"indicator": ["msd_error_rate", "net_wpm"], "subjects": 0})  # fmt: skip
        table = table.reindex(columns=list(RELIABILITY_COLUMNS))
        table["subjects"] = table["subjects"].fillna(0).astype(int)
        enough = table["subjects"] >= MIN_SUBJECTS
        for col in ("r_halves", "reliability", "sem", "consistency", "kappa"):
            table[col] = table[col].where(enough)
        rows.append(table.assign(task=task, estimated=enough.astype(bool)))
    if not rows:
        return pd.DataFrame(columns=list(REPORT_COLUMNS))
    return pd.concat(rows, ignore_index=True)[list(REPORT_COLUMNS)]


def _scores(seg: pd.DataFrame, subject: str) -> pd.DataFrame:
    """Per subject: MSD error rate and net WPM over the given segments (NaN where undefined)."""
    sums = seg.groupby(subject, sort=False)[["chars", "errors", "entered", "seconds"]].sum()
    minutes = sums["seconds"] / 60.0
    rate = sums["errors"] / sums["chars"].where(sums["chars"] > 0)
    net = ((sums["entered"] / 5.0 - sums["errors"]) / minutes.where(minutes > 0)).clip(lower=0.0)
    return pd.DataFrame({"msd_error_rate": rate, "net_wpm": net})


def _kappa(a: np.ndarray, b: np.ndarray) -> float:
    """Cohen's kappa of two boolean ratings (NaN when chance agreement is 1)."""
    po = float(np.mean(a == b))
    pa, pb = float(np.mean(a)), float(np.mean(b))
    pe = pa * pb + (1 - pa) * (1 - pb)
    return math.nan if pe >= 1.0 else (po - pe) / (1.0 - pe)


def _meets(values: np.ndarray, limit: float, comparison: str) -> np.ndarray:
    """The plain comparison with a threshold (the tolerance of ``engine.verdicts``)."""
    return values <= limit + 1e-9 if comparison == "<=" else values >= limit - 1e-9


def split_half(segments: pd.DataFrame, subject: str = "subject",
               thresholds: Mapping[str, tuple[float, str]] | None = None) -> pd.DataFrame:
    """Split-half reliability, SEM and decision consistency per indicator (module docstring).

    ``segments`` has ``subject``, ``segment`` and the columns ``chars``, ``errors``,
    ``entered``, ``seconds``; ``thresholds`` maps an indicator to ``(limit, comparison)``
    (default: MSD error rate <= 0.03, net WPM >= 30). Subjects with fewer than two segments
    are left out. Output columns: ``RELIABILITY_COLUMNS``.
    """
    rules = dict(DEFAULT_THRESHOLDS if thresholds is None else thresholds)
    seg = segments.sort_values([subject, "segment"], kind="stable")
    order = seg.groupby(subject, sort=False).cumcount()
    counts = seg.groupby(subject, sort=False)["segment"].transform("size")
    seg = seg[counts >= 2]
    order = order[counts >= 2]
    odd = _scores(seg[order % 2 == 0], subject)
    even = _scores(seg[order % 2 == 1], subject)
    whole = _scores(seg, subject)
    per_subject = seg.groupby(subject, sort=False).agg(segments=("segment", "size"), chars=("chars", "sum"))
    rows = []
    for indicator in ("msd_error_rate", "net_wpm"):
        both = pd.concat([odd[indicator].rename("odd"), even[indicator].rename("even"),
                          whole[indicator].rename("whole")], axis=1).dropna()
        n = len(both)
        limit, comparison = rules.get(indicator, (math.nan, ""))
        r = rel = sem = cons = kap = math.nan
        if n >= 3 and both["odd"].std() > 0 and both["even"].std() > 0:
            r = float(np.corrcoef(both["odd"], both["even"])[0, 1])
            rel = 2.0 * r / (1.0 + r) if r > -1 else math.nan
            sem = float(both["whole"].std(ddof=1)) * math.sqrt(max(0.0, 1.0 - rel))
        if n and comparison in ("<=", ">="):
            a, b = (_meets(both[h].to_numpy(), limit, comparison) for h in ("odd", "even"))
            cons = float(np.mean(a == b))
            kap = _kappa(a, b)
        kept = per_subject.loc[both.index] if n else per_subject.iloc[:0]
        rows.append({
            "indicator": indicator, "subjects": n,
            "segments": float(kept["segments"].mean()) if n else math.nan,
            "chars": float(kept["chars"].mean()) if n else math.nan,
            "mean": float(both["whole"].mean()) if n else math.nan,
            "sd": float(both["whole"].std(ddof=1)) if n >= 2 else math.nan,
            "r_halves": r, "reliability": rel, "sem": sem,
            "threshold": limit, "comparison": comparison, "consistency": cons, "kappa": kap,
        })
    return pd.DataFrame.from_records(rows, columns=list(RELIABILITY_COLUMNS))


def cmd_reliability(args: Any) -> int:
    """``typingtest reliability``: split-half reliability of a cohort's attempts or of a 136M
    Keystrokes folder (``--aalto``); prints the table, or writes it as CSV (``--out``)."""
    from pathlib import Path

    from typingtest.config import load_settings, load_thresholds
    from typingtest.errors import UserError

    settings = load_settings(args.settings)
    rules = threshold_rules(load_thresholds(settings))
    if args.aalto:
        from typingtest.engine.corpus import score_sentences
        from typingtest.formats.aalto import read_files

        presses, _ = read_files([args.aalto])
        segments = corpus_segments(score_sentences(presses))
        source = f"{args.aalto} (one segment per sentence)"
    else:
        from typingtest.store import open_store

        store = open_store(settings, url=args.db, read_only=True)
        try:
            segments = cohort_segments(store, args.cohort, args.task, settings.passages_dir, args.segment_chars)
        finally:
            store.close()
        source = f"{args.task} attempts{'' if args.cohort is None else f' of cohort {args.cohort}'}"
    if segments.empty:
        raise UserError(f"reliability: no segments to split ({source})")
    table = split_half(segments, thresholds=rules)
    if args.out:
        out = Path(args.out)
        table.to_csv(out, index=False)
        print(f"reliability: {source}: {out}")
        return 0
    print(f"reliability: {source}")
    for r in table.itertuples(index=False):
        print(f"  {r.indicator}: {r.subjects} subjects, {r.segments:.1f} segments and {r.chars:.0f} characters "
              f"each; halves r = {r.r_halves:.3f}, split-half (Spearman-Brown) {r.reliability:.3f}, "
              f"SEM {r.sem:.4g}; same decision at {r.comparison} {r.threshold:g} in both halves: "
              f"{r.consistency:.1%} (kappa {r.kappa:.2f})")
    return 0
