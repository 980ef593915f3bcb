"""The learner model: per trainee, per key and per bigram, errors per occurrence and typing time.

Every stored attempt of a typed task (tests and practice alike) adds to two tallies:

- **keys** (each intended character; on the trainee's layout it is a key at a level, ``key_id``
  and ``level`` from ``engine.layouts``): errors and occurrences are the engine's
  Wobbrock & Myers figures (``engine.alignment.char_errors``, stored as ``metrics["confusion"]``
  and ``metrics["char_attempts"]``; recomputed from the events when an attempt lacks them):
  an error is a keystroke aimed at the key that was wrong or missing, corrected or not, each
  weighted by its share of the optimal alignments; an occurrence a keystroke aimed at the key.
- **bigrams** (each pair of presented characters, counted at its second character): per
  position of the presented text, the uncorrected error is the share of the optimal alignments
  of P and T (``engine.alignment.OptimalPaths``) in which that character is substituted or
  omitted; with an event log, a position where a wrong character was typed and later erased
  is a corrected error too (the character typed when the text was that long, aimed at the
  presented character the alignment puts there). At most one error per occurrence.

Typing time: the interval (seconds) from the previous character into this one, where both
were typed right the first time, one after the other (nothing erased in between) and the
alignment puts them at consecutive presented positions; intervals of ``PAUSE_S`` or more are
pauses, not typing time. A key's (bigram's) time is the median of its intervals.

Shrinkage (empirical Bayes). Error rate: (errors + m p0) / (occurrences + m) with p0 the
trainee's overall rate over every key (bigram) and m = ``PRIOR_OCCURRENCES`` = 20: the mean of
a Beta(m p0, m (1 - p0)) prior updated with the key's counts. Why 20: a letter of middling
frequency (3 %) occurs about 20 times in one 600-character passage, so a key's own rate
outweighs the trainee's overall rate only after about one session's worth of it; at p0 = 3 %
a key seen twice with one error gets (1 + 0.6) / 22 = 7.3 %, not 50 %, while a key typed 300
times with 30 errors keeps 9.6 % (raw 10 %). Typing time: (n median + k overall) / (n + k), n
the key's intervals, k = ``PRIOR_INTERVALS`` = 10: typing intervals have a coefficient of
variation of 0.54-0.74 (the calibration bands' 1-99 % quantiles, ``simulate/typist_params.json``),
so the median of 10 intervals is within about 25 % (one standard error, 1.25 x 0.67 /
sqrt(10)): too noisy to tell a slow key from an average one; below 10 intervals the trainee's overall
median weighs more than the key's own.

``learner_model(store, candidate_id)`` reads a trainee's attempts and events from the store
and returns a ``LearnerModel``; each attempt's tallies are kept in a bounded in-process cache
(``TALLY_CACHE_SIZE`` attempts, keyed by attempt id, ``ENGINE_VERSION``, layout and whether the
events were read: a stored attempt's events and meta never change), so the reload after each
practice drill reads and counts only the new attempts (``benchmarks/bench_learner.py``);
``model_from_attempts`` does the same from ``AttemptInput`` objects (the virtual-trainee study,
tests). ``LearnerModel.targets`` lists the weakest keys and bigrams, the drills' targets, in
order of weakness.
"""

from __future__ import annotations

import statistics
import threading
import unicodedata
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from typingtest.engine.alignment import AlignmentTooLarge, OptimalPaths
from typingtest.engine.breaks import comparable
from typingtest.engine.layouts import DEFAULT_LAYOUT, LAYOUT_NAMES, get_layout
from typingtest.engine.version import ENGINE_VERSION
from typingtest.errors import UserError

__all__ = [
    "KEY_TASKS",
    "LEARNER_COLUMNS",
    "MIN_OCCURRENCES",
    "PAUSE_S",
    "PRIOR_INTERVALS",
    "PRIOR_OCCURRENCES",
    "TALLY_CACHE_SIZE",
    "TYPED_TASKS",
    "AttemptInput",
    "LearnerModel",
    "Tally",
    "Target",
    "attempt_meta",
    "attempt_tallies",
    "bigram_tally",
    "cached_tallies",
    "clear_tally_cache",
    "key_tally",
    "learner_model",
    "model_from_attempts",
    "position_errors",
    "rate_frame",
    "shrunk_rates",
]

#: Pseudo-occurrences of the Beta prior (see the module docstring for why 20).
PRIOR_OCCURRENCES = 20.0
#: Pseudo-intervals pulling a key's median interval towards the trainee's overall median.
PRIOR_INTERVALS = 10.0
#: Fewer occurrences than this and a rate is listed but not ranked among the weakest (``enough``).
MIN_OCCURRENCES = 20
#: An interval of this many seconds or more is a pause, not typing time.
PAUSE_S = 2.0
#: The tasks whose attempts type one presented text.
TYPED_TASKS = ("copy-typing", "transcription", "drill")
#: The tasks whose keystrokes feed the key and bigram tallies: copying a text on screen (tests and
#: practice drills). A transcription's errors mix typing with hearing and with the item's
#: normalisation (digits for number words), so it sets ``transcription_error_rate`` only.
KEY_TASKS = ("copy-typing", "drill")
#: Per key or bigram (``rate_frame``): errors and occurrences are weighted counts, rates fractions,
#: intervals seconds; ``enough`` is False below ``MIN_OCCURRENCES``.
LEARNER_COLUMNS = (
    "intended", "errors", "occurrences", "error_rate", "shrunk_error_rate", "enough", "most_typed_instead",
    "intervals", "median_interval_s", "shrunk_interval_s",
)  # fmt: skip
_RATE_COLUMNS = LEARNER_COLUMNS[:7]


@dataclass
class Tally:
    """Weighted counts per unit (a character, or a pair of characters): errors, occurrences,
    what was typed instead (weights), and the typing intervals (seconds) into it."""

    errors: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    occurrences: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    instead: dict[str, dict[str, float]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(float)))
    intervals: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    def add(self, other: Tally) -> Tally:
        """Add ``other``'s counts into this tally (returns self)."""
        for k, v in other.errors.items():
            self.errors[k] += v
        for k, v in other.occurrences.items():
            self.occurrences[k] += v
        for k, d in other.instead.items():
            for typed, w in d.items():
                self.instead[k][typed] += w
        for k, xs in other.intervals.items():
            self.intervals[k].extend(xs)
        return self

    def units(self) -> list[str]:
        """Every unit with an error, an occurrence or an interval, sorted."""
        return sorted(set(self.errors) | set(self.occurrences) | set(self.intervals))


def shrunk_rates(errors: pd.Series, occurrences: pd.Series, prior: float = PRIOR_OCCURRENCES) -> pd.Series:
    """Additive smoothing towards the overall rate p0 = sum(errors) / sum(occurrences):
    (errors + prior * p0) / (occurrences + prior), a fraction; NaN without any occurrence."""
    total = float(occurrences.sum())
    if total <= 0:
        return pd.Series(float("nan"), index=errors.index)
    p0 = float(errors.sum()) / total
    return (errors + prior * p0) / (occurrences + prior)


def rate_frame(
    tally: Tally,
    *,
    min_count: float = MIN_OCCURRENCES,
    prior: float = PRIOR_OCCURRENCES,
    prior_intervals: float = PRIOR_INTERVALS,
    counted: bool = True,
) -> pd.DataFrame:
    """The tally as rates (``LEARNER_COLUMNS``), weakest first: enough occurrences first, then by
    shrunk error rate (highest first), errors, unit. ``counted=False``: the occurrences are
    unknown (NaN) and the units are ordered by their errors only."""
    units = tally.units()
    if not units:
        return pd.DataFrame(columns=list(LEARNER_COLUMNS))
    instead = []
    for u in units:
        got = tally.instead.get(u) or {}
        instead.append(max(sorted(got.items()), key=lambda kv: kv[1])[0] if got else "")
    frame = pd.DataFrame({
        "intended": units,
        "errors": [float(tally.errors.get(u, 0.0)) for u in units],
        "occurrences": [float(tally.occurrences.get(u, 0.0)) if counted else float("nan") for u in units],
        "most_typed_instead": instead,
    })  # fmt: skip
    occ = frame["occurrences"].astype(float)
    frame["error_rate"] = (frame["errors"] / occ).where(occ > 0)
    frame["shrunk_error_rate"] = shrunk_rates(frame["errors"].astype(float), occ.fillna(0.0), prior).where(occ > 0)
    frame["enough"] = occ.fillna(0.0) >= min_count
    n = np.array([len(tally.intervals.get(u, ())) for u in units], dtype=float)
    med = np.array([float(np.median(tally.intervals[u])) if tally.intervals.get(u) else np.nan for u in units])
    every = [x for u in units for x in tally.intervals.get(u, ())]
    overall = float(np.median(every)) if every else float("nan")
    frame["intervals"] = n.astype(int)
    frame["median_interval_s"] = med
    shrunk = (n * np.nan_to_num(med) + prior_intervals * overall) / (n + prior_intervals)
    frame["shrunk_interval_s"] = np.where(np.isnan(overall), np.nan, shrunk)
    frame["_known"] = frame["shrunk_error_rate"].notna()
    frame = frame.sort_values(["enough", "_known", "shrunk_error_rate", "errors", "intended"],
                              ascending=[False, False, False, False, True])  # fmt: skip
    return frame.drop(columns="_known").reset_index(drop=True)[list(LEARNER_COLUMNS)]


# ---------------------------------------------------------------------------------------------
# One attempt


def key_tally(metrics: Mapping[str, Any] | None) -> Tally:
    """Errors and occurrences per intended character from the engine's stored figures:
    ``metrics["confusion"]`` (intended, typed, weight; errors only; "" intended = an insertion,
    not a key's error) and ``metrics["char_attempts"]`` (intended, weight)."""
    tally = Tally()
    if not isinstance(metrics, Mapping):
        return tally
    for e in metrics.get("confusion") or []:
        if not isinstance(e, Mapping):
            continue
        intended, typed = str(e.get("intended", "")), str(e.get("typed", ""))
        if not intended or intended == typed:
            continue
        w = float(e.get("weight", 0.0) or 0.0)
        tally.errors[intended] += w
        tally.instead[intended][typed] += w
    for e in metrics.get("char_attempts") or []:
        if isinstance(e, Mapping) and e.get("intended"):
            tally.occurrences[str(e["intended"])] += float(e.get("weight", 0.0) or 0.0)
    return tally


def position_errors(presented: str, transcribed: str) -> tuple[np.ndarray, list[str], dict[int, int]]:
    """Per position of ``presented``: the share of the optimal alignments with ``transcribed``
    in which it is substituted or omitted (0..1), what was typed there most often in those
    alignments ("" omitted), and the columns of T every alignment pairs with a row of P
    (column -> row). Raises ``AlignmentTooLarge`` past the engine's limits."""
    p, t = presented, transcribed
    paths = OptimalPaths(p, t)
    err = np.zeros(len(p), dtype=float)
    instead: list[dict[str, float]] = [{} for _ in p]
    col_row: dict[int, int] = {}
    for r, c in zip(paths.trivial_rows.tolist(), paths.trivial_cols.tolist(), strict=True):
        col_row[c] = r
        if p[r] != t[c]:
            err[r] += 1.0
            instead[r][t[c]] = instead[r].get(t[c], 0.0) + 1.0
    for seg in paths.segments:
        f_loc, b_loc, total = seg.fwd, seg.bwd, seg.count
        cells = list(f_loc)
        if not cells or not total:
            continue
        end = cells[-1]
        for cell in cells:
            fc = f_loc[cell]
            if cell == end or not fc:
                continue
            i, j = cell
            for kind, nxt in paths.steps(cell):
                if nxt not in f_loc:
                    continue
                w = fc * b_loc.get(nxt, 0)
                if not w:
                    continue
                share = w / total
                if kind == "diag" and p[i] != t[j]:
                    err[i] += share
                    instead[i][t[j]] = instead[i].get(t[j], 0.0) + share
                elif kind == "vert":
                    err[i] += share
                    instead[i][""] = instead[i].get("", 0.0) + share
    typed = [max(sorted(d.items()), key=lambda kv: kv[1])[0] if d else "" for d in instead]
    return np.minimum(err, 1.0), typed, col_row


def _survivors(entries: Sequence[str]) -> tuple[list[int], list[tuple[int, int]]]:
    """For a stream of characters and ``"backspace"``: the entry index of each character of the
    final text, and (entry index, text length when typed) of each character typed and erased."""
    kept: list[tuple[int, int]] = []  # (entry index, position in the text)
    erased: list[tuple[int, int]] = []
    for k, e in enumerate(entries):
        if e == "backspace":
            if kept:
                erased.append(kept.pop())
        elif len(e) == 1:
            kept.append((k, len(kept)))
    return [k for k, _ in kept], erased


def bigram_tally(
    presented: str,
    transcribed: str,
    entries: Sequence[str] | None = None,
    times: Sequence[float] | np.ndarray | None = None,
) -> tuple[Tally, Tally]:
    """(key timing, bigram tally) of one attempt at typing ``presented`` (both compared with line
    breaks as spaces). ``entries`` (characters and ``"backspace"``; None: the final text only)
    adds corrected errors, ``times`` (seconds, one per entry) the intervals. The first tally
    holds only intervals (the keys' errors come from ``key_tally``)."""
    keys, pairs = Tally(), Tally()
    p, t = comparable(unicodedata.normalize("NFC", presented)), comparable(unicodedata.normalize("NFC", transcribed))
    if len(p) < 2:
        return keys, pairs
    try:
        err, typed, col_row = position_errors(p, t)
    except AlignmentTooLarge:
        return keys, pairs
    corrected = np.zeros(len(p), dtype=bool)
    instead_c: dict[int, str] = {}
    usable = entries is not None and all(len(e) == 1 or e == "backspace" for e in entries)
    if usable and entries is not None:
        kept, erased = _survivors(entries)
        for k, pos in erased:
            row = col_row.get(pos)
            ch = comparable(entries[k])
            if row is not None and ch != p[row]:
                corrected[row] = True
                instead_c.setdefault(row, ch)
        if times is not None and len(times) == len(entries):
            tm = np.asarray(times, dtype=float)
            for j in range(1, min(len(kept), len(t))):
                a, b = kept[j - 1], kept[j]
                r0, r1 = col_row.get(j - 1), col_row.get(j)
                if b != a + 1 or r0 is None or r1 is None or r1 != r0 + 1:
                    continue  # something typed or erased in between, or not both aligned
                if p[r0] != t[j - 1] or p[r1] != t[j] or corrected[r0] or corrected[r1]:
                    continue  # typed right the first time, both
                dt = float(tm[b] - tm[a])
                if 0.0 < dt < PAUSE_S:
                    keys.intervals[p[r1]].append(dt)
                    pairs.intervals[p[r0:r1 + 1]].append(dt)
    total = np.minimum(err + corrected, 1.0)
    for k in range(1, len(p)):
        pair = p[k - 1 : k + 1]
        pairs.occurrences[pair] += 1.0
        if total[k] > 0:
            pairs.errors[pair] += float(total[k])
            got = typed[k] if err[k] > 0 else instead_c.get(k, "")
            pairs.instead[pair][got] += float(total[k])
    return keys, pairs


@dataclass(frozen=True)
class AttemptInput:
    """One typed attempt as the learner model reads it."""

    presented: str
    transcribed: str
    metrics: Mapping[str, Any] | None = None
    log: np.ndarray | None = None
    target: str | None = None
    task: str = "copy-typing"
    practice: bool = False
    language: str = ""


def attempt_tallies(attempt: AttemptInput) -> tuple[Tally, Tally, bool]:
    """(keys, bigrams, counted) of one attempt; ``counted`` False when its key occurrences are
    unknown (stored before ``char_attempts`` and no events to recompute them from)."""
    from typingtest.engine.replay import replay
    from typingtest.engine.scoring import end_reason, reached_part

    presented, typed = attempt.presented, attempt.transcribed or ""
    metrics = attempt.metrics if isinstance(attempt.metrics, Mapping) else {}
    entries: list[str] | None = None
    times: np.ndarray | None = None
    if attempt.log is not None and len(attempt.log):
        rep = replay(attempt.log, target=attempt.target)
        if rep.char_stream is not None:  # no cursor moves: the stream alignment applies
            entries, times = list(rep.input_stream), rep.times
        typed = rep.transcribed
        if attempt.task == "copy-typing" and end_reason(attempt.log) == "time":
            presented = reached_part(presented, typed)
        if not metrics.get("char_attempts"):
            from typingtest.engine import analyze

            try:
                metrics = analyze(presented, attempt.log, target=attempt.target).to_dict()
            except (ValueError, AlignmentTooLarge):
                metrics = {}
    keys = key_tally(metrics)
    timing, pairs = bigram_tally(presented, typed, entries, times)
    keys.add(timing)
    return keys, pairs, bool(metrics.get("char_attempts"))


# ---------------------------------------------------------------------------------------------
# The model


@dataclass(frozen=True)
class Target:
    """A key or bigram a drill targets, and why (``reason``: "errors" or "slow")."""

    key: str
    kind: str  # "key" or "bigram"
    error_rate: float  # shrunk, a fraction
    weakness: float  # error_rate / the trainee's overall rate of the kind (keys or bigrams): the order
    raw_error_rate: float | None
    errors: float
    occurrences: float
    median_interval_s: float | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (rates fractions, times seconds)."""
        return {"key": self.key, "kind": self.kind, "error_rate": round(self.error_rate, 6),
                "weakness": round(self.weakness, 4),
                "raw_error_rate": None if self.raw_error_rate is None else round(self.raw_error_rate, 6),
                "errors": round(self.errors, 4), "occurrences": round(self.occurrences, 4),
                "median_interval_s": None if self.median_interval_s is None else round(self.median_interval_s, 4),
                "reason": self.reason}  # fmt: skip


def _nan_none(x: Any) -> float | None:
    return None if x is None or x != x else float(x)


@dataclass
class LearnerModel:
    """A trainee's keys and bigrams (``LEARNER_COLUMNS``; keys also ``key_id``, ``level``, ``finger``
    on ``layout``), the overall rates they are shrunk towards, and the attempts read."""

    candidate_id: str
    layout: str
    language: str
    keys: pd.DataFrame
    bigrams: pd.DataFrame
    key_error_rate: float | None  # p0 over every key (fraction)
    bigram_error_rate: float | None
    median_interval_s: float | None  # over every key (seconds)
    n_attempts: int
    n_practice: int
    #: mean MSD error rate of the transcription and of the copy-typing attempts (None: none)
    transcription_error_rate: float | None = None
    copy_error_rate: float | None = None

    @property
    def weak_at_transcription(self) -> bool:
        """Transcription errors above the 3 % margin and above the trainee's copy-typing errors."""
        tr, cp = self.transcription_error_rate, self.copy_error_rate
        return tr is not None and tr > 0.03 and (cp is None or tr > cp)

    def targets(self, n_keys: int = 5, n_bigrams: int = 3) -> list[Target]:
        """The weakest keys and bigrams, weakest first: by shrunk error rate over the trainee's overall
        rate of the kind (``weakness``; key and bigram rates are counted differently, their ratios compare).

        A key is a target when its shrunk rate is above the trainee's overall rate (the
        shrinkage is what keeps a key seen twice from ranking first); spaces and line breaks
        are left out (every drill types them). A bigram must also be weaker than the rate of its
        second key over all pairs (else the key explains it). With no key above the overall rate (no errors),
        the slowest keys (shrunk median interval above the overall median) are the targets.
        """
        out: list[Target] = []
        for frame, kind, n, p0 in ((self.keys, "key", n_keys, self.key_error_rate),
                                   (self.bigrams, "bigram", n_bigrams, self.bigram_error_rate)):  # fmt: skip
            if frame.empty or n <= 0:
                continue
            f = frame[frame["occurrences"].fillna(0) > 0]
            spaced = f["intended"].map(lambda s: any(c.isspace() for c in s))
            f = f[~spaced] if kind == "key" else f[~f["intended"].str.contains("\n", regex=False)]
            floor = pd.Series(p0 or 0.0, index=f.index)
            if kind == "bigram":  # a pair is a target only when weaker than its second key explains
                ending = self._ending_rate()
                floor = np.maximum(floor, pd.Series([ending.get(s[-1], 0.0) for s in f["intended"]], index=f.index))
            weak = f[f["shrunk_error_rate"] > floor]
            weak = weak.sort_values(["shrunk_error_rate", "errors", "intended"], ascending=[False, False, True])
            reason = "errors"
            if weak.empty and kind == "key" and self.median_interval_s is not None:
                weak = f[f["shrunk_interval_s"] > self.median_interval_s]
                weak = weak.sort_values(["shrunk_interval_s", "intended"], ascending=[False, True])
                reason = "slow"
            for r in weak.head(n).to_dict("records"):
                ratio = float(r["shrunk_error_rate"]) / p0 if p0 else 0.0
                out.append(Target(key=str(r["intended"]), kind=kind, error_rate=float(r["shrunk_error_rate"]),
                                  weakness=ratio,
                                  raw_error_rate=_nan_none(r["error_rate"]), errors=float(r["errors"]),
                                  occurrences=float(r["occurrences"]),
                                  median_interval_s=_nan_none(r["median_interval_s"]), reason=reason))  # fmt: skip
        return sorted(out, key=lambda x: (x.reason != "errors", -x.weakness, -x.errors, x.key))

    def _ending_rate(self) -> dict[str, float]:
        """Character -> errors per occurrence over every bigram ending in it (its rate as a bigram's
        second key): what a weak key alone explains of a pair's rate."""
        f = self.bigrams
        if f.empty:
            return {}
        g = f.assign(_last=f["intended"].str[-1]).groupby("_last")[["errors", "occurrences"]].sum()
        return {str(c): float(e / o) for c, e, o in zip(g.index, g["errors"], g["occurrences"], strict=True) if o > 0}


def _overall(tally: Tally) -> float | None:
    occ = sum(tally.occurrences.values())
    return sum(tally.errors.values()) / occ if occ > 0 else None


def _with_layout(frame: pd.DataFrame, layout: str) -> pd.DataFrame:
    lay = get_layout(layout)
    ids, levels, fingers = [], [], []
    for ch in frame["intended"]:
        strokes = lay.keystrokes_for(ch) if isinstance(ch, str) and len(ch) == 1 else None
        key, level = strokes[-1] if strokes else (None, None)
        ids.append(key.id if key else "")
        levels.append(level or "")
        fingers.append(key.finger if key else "")
    return frame.assign(key_id=ids, level=levels, finger=fingers)


def model_from_attempts(
    attempts: Iterable[AttemptInput],
    *,
    candidate_id: str = "",
    layout: str = DEFAULT_LAYOUT,
    min_count: float = MIN_OCCURRENCES,
    prior: float = PRIOR_OCCURRENCES,
    cache: dict[int, tuple[Tally, Tally, bool]] | None = None,
    tallies: Callable[[AttemptInput], tuple[Tally, Tally, bool]] | None = None,
) -> LearnerModel:
    """The learner model over ``attempts`` (typed attempts; every one counts, practice too: the
    keys and bigrams from those of ``KEY_TASKS``, the transcription rate from the transcriptions).

    ``cache`` (id of an attempt -> its tallies) spares recounting the attempts already read when
    the model is rebuilt after each new attempt (keep the attempts alive while the cache is used).
    ``tallies`` (an attempt -> its tallies; default ``attempt_tallies``) lets ``learner_model``
    take them from the per-attempt cache (``cached_tallies``).

    Key occurrences: where some attempts carry them, errors and occurrences both come from
    those attempts only (else the rates would be biased); where none does, keys are ordered
    by their errors.
    """
    keys_counted, keys_uncounted, pairs = Tally(), Tally(), Tally()
    n = n_practice = 0
    language = ""
    rates: dict[str, list[float]] = {"transcription": [], "copy-typing": []}
    for a in attempts:
        n += 1
        n_practice += bool(a.practice)
        language = a.language or language
        msd = (a.metrics or {}).get("msd_error_rate") if isinstance(a.metrics, Mapping) else None
        if a.task in rates and isinstance(msd, int | float) and not a.practice:
            rates[a.task].append(float(msd))
        if a.task not in KEY_TASKS:
            continue
        if cache is not None and id(a) in cache:
            k, b, counted = cache[id(a)]
        else:
            k, b, counted = (tallies or attempt_tallies)(a)
            if cache is not None:
                cache[id(a)] = (k, b, counted)
        (keys_counted if counted else keys_uncounted).add(k)
        pairs.add(b)
    counted = bool(keys_counted.occurrences)
    keys = keys_counted if counted else keys_uncounted
    if counted:  # the uncounted attempts' intervals still tell the typing time
        for ch, xs in keys_uncounted.intervals.items():
            keys.intervals[ch].extend(xs)
    key_frame = _with_layout(rate_frame(keys, min_count=min_count, prior=prior, counted=counted), layout)
    every = [x for xs in keys.intervals.values() for x in xs]
    return LearnerModel(
        candidate_id=candidate_id, layout=layout, language=language or "nl", keys=key_frame,
        bigrams=rate_frame(pairs, min_count=min_count, prior=prior), key_error_rate=_overall(keys),
        bigram_error_rate=_overall(pairs), median_interval_s=float(statistics.median(every)) if every else None,
        n_attempts=n, n_practice=n_practice,
        transcription_error_rate=float(np.mean(rates["transcription"])) if rates["transcription"] else None,
        copy_error_rate=float(np.mean(rates["copy-typing"])) if rates["copy-typing"] else None,
    )  # fmt: skip


#: Attempts whose tallies ``cached_tallies`` keeps in this process (least recently used dropped first).
#: About 0.13 MB each for an attempt of 1,800 characters (its keys' and bigrams' intervals; tracemalloc).
TALLY_CACHE_SIZE = 512
#: (attempt id, engine version, layout, events read) -> (keys, bigrams, counted); the tallies are never
#: changed after counting (``model_from_attempts`` adds them into tallies of its own).
_TALLY_CACHE: OrderedDict[tuple[str, int, str, bool], tuple[Tally, Tally, bool]] = OrderedDict()
_TALLY_LOCK = threading.Lock()


def cached_tallies(attempt_id: str, layout: str, events: bool,
                   count: Callable[[], tuple[Tally, Tally, bool]]) -> tuple[Tally, Tally, bool]:  # fmt: skip
    """The tallies of stored attempt ``attempt_id``: from the in-process cache when counted before
    with this ``ENGINE_VERSION``, ``layout`` and ``events`` (events read or metrics only), else
    ``count()`` (which reads the attempt) and kept. A stored attempt is immutable, so its tallies are
    too; an erased attempt is no longer listed, so its entry is never read again (and ages out)."""
    key = (str(attempt_id), ENGINE_VERSION, str(layout), bool(events))
    with _TALLY_LOCK:
        found = _TALLY_CACHE.get(key)
        if found is not None:
            _TALLY_CACHE.move_to_end(key)
            return found
    value = count()
    with _TALLY_LOCK:
        _TALLY_CACHE[key] = value
        _TALLY_CACHE.move_to_end(key)
        while len(_TALLY_CACHE) > TALLY_CACHE_SIZE:
            _TALLY_CACHE.popitem(last=False)
    return value


def clear_tally_cache() -> None:
    """Forget every cached attempt's tallies (``cached_tallies``)."""
    with _TALLY_LOCK:
        _TALLY_CACHE.clear()


def attempt_meta(store: Any, attempt_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """attempt id -> the attempt's stored ``meta`` (the presented text, the field it was typed in)."""
    import json

    from sqlalchemy import select

    from typingtest.store import schema as S

    if not attempt_ids:
        return {}
    a = S.attempts
    with store.engine.connect() as conn:
        rows = conn.execute(select(a.c.attempt_id, a.c.meta).where(a.c.attempt_id.in_(list(attempt_ids)))).all()
    return {str(r[0]): (json.loads(r[1]) if r[1] else {}) for r in rows}


def _layout_of(frame: pd.DataFrame, metas: Mapping[str, Mapping[str, Any]]) -> str:
    """The keyboard layout recorded with the latest attempt (metrics or meta), else AZERTY-BE."""
    for rec in frame.sort_values("started_at", ascending=False).to_dict("records"):
        for source in (rec.get("metrics"), metas.get(str(rec["attempt_id"]))):
            if isinstance(source, Mapping):
                for key in ("layout", "keyboard_layout"):
                    value = source.get(key)
                    if isinstance(value, str) and value.lower() in LAYOUT_NAMES:
                        return value.lower()
    return DEFAULT_LAYOUT


def learner_model(store: Any, candidate_id: str, *, include_practice: bool = True, events: bool = True,
                  layout: str | None = None, cached: bool = True) -> LearnerModel:  # fmt: skip
    """The learner model of ``candidate_id`` from every complete typed attempt in ``store`` (tests
    and practice; ``events=False`` reads the stored metrics only, no timing or corrected bigrams).
    ``cached=False`` counts every attempt again (and leaves the cache alone): the reference the
    cached model must equal.

    UserError (one line) when the store holds no such candidate.
    """
    cid = str(candidate_id).strip()
    if store.candidate(cid) is None:
        raise UserError(f"candidate {cid!r}: not in {store.display_url}; check the id (typingtest candidate list)")
    frame = store.attempts_frame(candidate=cid, include_practice=include_practice)
    frame = frame[frame["task"].isin(TYPED_TASKS) & (frame["state"] == "complete")]
    metas = attempt_meta(store, [str(x) for x in frame["attempt_id"]])
    inputs: list[AttemptInput] = []
    ids: dict[int, str] = {}  # id() of an input -> its attempt id
    for rec in frame.to_dict("records"):
        meta = metas.get(str(rec["attempt_id"]), {})
        presented = meta.get("presented")
        if not isinstance(presented, str):
            presented = _shipped_reference(rec.get("item"))
        if not presented:
            continue
        a = AttemptInput(presented=presented, transcribed=str(rec.get("transcribed") or ""),
                         metrics=rec.get("metrics") or {}, log=None, target=meta.get("target") or None,
                         task=str(rec["task"]), practice=bool(rec["practice"]),
                         language=str(rec.get("language") or ""))  # fmt: skip
        inputs.append(a)
        ids[id(a)] = str(rec["attempt_id"])
    chosen = layout or _layout_of(frame, metas)

    def counted(a: AttemptInput) -> tuple[Tally, Tally, bool]:
        """The attempt's tallies, its events read from the store only when counted (not cached)."""
        aid = ids[id(a)]

        def count() -> tuple[Tally, Tally, bool]:
            return attempt_tallies(replace(a, log=store.events(aid)) if events else a)

        return cached_tallies(aid, chosen, events, count) if cached else count()

    return model_from_attempts(inputs, candidate_id=cid, layout=chosen, tallies=counted)


def _shipped_reference(item: Any) -> str | None:
    """The reference text of a shipped item (None when the item is not shipped)."""
    if not isinstance(item, str) or not item:
        return None
    from typingtest.content.loader import load_item

    try:
        return str(load_item(item).reference)  # type: ignore[attr-defined]
    except Exception:  # an item no longer shipped: the attempt is left out
        return None
