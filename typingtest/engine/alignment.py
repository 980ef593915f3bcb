"""Character-level errors (Wobbrock & Myers 2006) without enumerating alignments.

Wobbrock & Myers classify every keystroke of the input stream as a corrected or uncorrected
insertion, omission, substitution or no-error, once per optimal alignment of P and T, and
weight each alignment's tallies by 1 / (number of optimal alignments). A long passage can
have astronomically many optimal alignments, so this module never lists them. It counts
paths through the edit-distance table instead:

1. The table is only computed where optimal paths can go. With unit costs every cell on an
   optimal path lies within ``d = MSD`` diagonals of the main one, and along a diagonal the
   distance never decreases, so the table is Ukkonen's (1985) furthest-reaching rows per cost
   and diagonal: O(d^2) steps (a Python loop with galloping slice comparisons; numpy over the
   diagonals from d = 140), restricted to the entries that can hold an optimal cell.
2. A cell is on an optimal path iff forward + backward distance = d (the backward table is the
   same computation on the reversed strings). Per diagonal and cost both are row intervals, so
   the optimal cells are interval intersections, computed with numpy.
3. A row with a single optimal cell is a cut point: every path passes through it. Where two
   cut rows one apart hold cells one column apart, every path takes that diagonal step; the
   other stretches are counted cell by cell: forward counts F and backward counts B as Python
   integers (they outgrow 64 bits on long passages). A step from c to c' lies on F(c) * B(c')
   of the stretch's paths; N is the product of the stretches' counts.
4. Uncorrected tallies: each step's class (match, substitution, omission = vertical,
   insertion = horizontal) weighted by its share.
5. Corrected tallies: a run of erased characters in the input stream sits, in W&M's
   stream alignment, just before the column of the next transcribed character T[j]. Its
   classification depends on the row i0 where the alignment consumes T[j] (target letters
   are P[i0 + k]) and, for the omission test, on whether P[target] is omitted in that
   alignment. The weight of each i0 is F * B over the steps that consume T[j]; the
   omission test splits that weight by counting paths with the constraint, in a small
   local table.

Choices where the paper leaves room are listed in docs/engine.md (a corrected omission also
tallies its keystroke as a corrected no-error, so corrected insertions + substitutions +
no-errors = IF). Beyond ``MAX_MSD`` or ``MAX_BRANCH_CELLS`` the analysis refuses
(``AlignmentTooLarge``) rather than take seconds.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz.distance import Levenshtein

from typingtest.engine.replay import BACKSPACE

__all__ = [
    "MAX_BRANCH_CELLS",
    "MAX_MSD",
    "AlignmentTooLarge",
    "CharErrors",
    "ErrorTally",
    "OptimalPaths",
    "char_errors",
    "optimal_paths",
]

_NEG = -(10**9)
#: From this MSD on the furthest-reaching rows are computed vectorised over the diagonals.
_VECTOR_FROM = 140
#: Limits of the character-level analysis: an attempt beyond them (a passage barely begun,
#: text typed into the wrong field) gets no character-level figures, in bounded time.
MAX_MSD = 400
MAX_BRANCH_CELLS = 10_000


class AlignmentTooLarge(ValueError):
    """The character-level analysis would take too long for this pair of texts."""


@dataclass
class ErrorTally:
    """Weighted counts (keystrokes, averaged over the optimal alignments)."""

    insertions: float = 0.0
    omissions: float = 0.0
    substitutions: float = 0.0
    no_errors: float = 0.0

    def to_dict(self) -> dict[str, float]:
        """JSON-ready dict."""
        return {
            "insertions": self.insertions,
            "omissions": self.omissions,
            "substitutions": self.substitutions,
            "no_errors": self.no_errors,
        }


@dataclass
class CharErrors:
    """The character-level analysis of one attempt."""

    corrected: ErrorTally
    uncorrected: ErrorTally
    #: Number of optimal alignments of P and T (an exact integer; may be huge).
    alignments: int
    #: (intended, typed) -> weight; "" for none (an omission has typed "", an insertion
    #: intended ""). Errors only (intended != typed), corrected and uncorrected together.
    confusion: dict[tuple[str, str], float] = field(default_factory=dict)
    #: Same, split: uncorrected errors only.
    confusion_uncorrected: dict[tuple[str, str], float] = field(default_factory=dict)
    #: intended character -> keystrokes aimed at it (weighted): correct, substituted or omitted,
    #: corrected or not. With ``confusion`` it gives an error rate per key.
    attempts: dict[str, float] = field(default_factory=dict)

    def confusion_list(self) -> list[dict[str, object]]:
        """The confusion table as JSON-ready rows, heaviest first."""
        rows = sorted(self.confusion.items(), key=lambda kv: (-kv[1], kv[0]))
        return [{"intended": a, "typed": b, "weight": w} for (a, b), w in rows]


# ---------------------------------------------------------------------------------------
# The banded edit-distance table


def _furthest_rows(p: str, t: str, d: int) -> np.ndarray:
    """Ukkonen's (1985) furthest-reaching rows: ``out[e, k + d + 1]`` is the last row i on
    diagonal k = j - i with D[i][i + k] <= e (a large negative number while none is).

    D never decreases along a diagonal, so D[i][i + k] = e exactly for the rows between
    ``out[e - 1, k + d + 1]`` (excluded) and ``out[e, k + d + 1]``.

    Only the entries that can hold a cell of an optimal path are computed: cost e on diagonal
    k needs e >= |k| (to get there) and e + |k - (|T| - |P|)| <= d (to get from there to the
    end). That region is closed under the recurrence (its entries only read entries of the
    region), so its values are exact; the others stay negative. About a quarter of the
    (d + 1)(2d + 1) entries.
    """
    m, n = len(p), len(t)
    delta = n - m
    ks = range(max(-d, -m), min(d, n) + 1)
    lo = {k: max(0, -k) for k in ks}
    hi = {k: min(m, n - k) for k in ks}

    def slide(k: int, i: int) -> int:
        """The first row >= i on diagonal k where p and t differ (or the diagonal's end)."""
        end = hi[k]
        if i >= end or p[i] != t[i + k]:
            return i
        i += 1
        step = 16
        while True:  # gallop with C-speed slice comparisons, then narrow down
            nxt = min(end, i + step)
            if p[i:nxt] == t[i + k : nxt + k]:
                if nxt == end:
                    return end
                i = nxt
                step *= 2
                continue
            lo_, hi_ = i, nxt
            while hi_ - lo_ > 8:
                mid = (lo_ + hi_) // 2
                if p[lo_:mid] == t[lo_ + k : mid + k]:
                    lo_ = mid
                else:
                    hi_ = mid
            while p[lo_] == t[lo_ + k]:
                lo_ += 1
            return lo_

    # furthest[e][k + off]: the furthest row on diagonal k with D <= e (_NEG: none yet)
    off = d + 1
    width = 2 * d + 3
    furthest: list[list[int]] = []
    prev = [_NEG] * width
    k_lo, k_hi = ks.start, ks.stop - 1
    for e in range(d + 1):
        cur = [_NEG] * width
        for k in range(max(-e, k_lo, delta - (d - e)), min(e, k_hi, delta + (d - e)) + 1):
            if e == 0:
                i = 0
            else:
                i = prev[k + off] + 1  # substitution
                v = prev[k - 1 + off]  # horizontal: consumes t
                if v > i:
                    i = v
                v = prev[k + 1 + off] + 1  # vertical: consumes p
                if v > i:
                    i = v
                if i <= _NEG + 1:
                    continue
                h = hi[k]
                if i > h:
                    i = h
                elif i < lo[k]:
                    i = lo[k]
            cur[k + off] = slide(k, i)
        furthest.append(cur)
        prev = cur
    return np.asarray(furthest, dtype=np.int64)  # (d + 1, width)


def _furthest_rows_np(p: str, t: str, d: int) -> np.ndarray:
    """``_furthest_rows`` vectorised over the diagonals, for large d.

    The slide along each diagonal is a lookup in a table of next mismatches, (2d + 1) x
    (|P| + 1) entries, computed with numpy; each cost e is then a handful of array steps.
    """
    m, n = len(p), len(t)
    width = 2 * d + 3
    ks = np.arange(-d, d + 1)
    lo = np.maximum(0, -ks)
    hi = np.minimum(m, n - ks)
    reach = np.abs(ks - (n - m))  # the least cost from diagonal k to the end
    valid = (ks >= -m) & (ks <= n) & (np.abs(ks) + reach <= d)
    pc = np.frombuffer(p.encode("utf-32-le"), dtype="<u4")
    tc = np.frombuffer(t.encode("utf-32-le"), dtype="<u4")
    rows = np.arange(m + 1, dtype=np.int32)
    inside = (rows[None, :] >= lo[:, None]) & (rows[None, :] < hi[:, None]) & valid[:, None]
    kk, ii = np.nonzero(inside)
    eq = np.zeros(inside.shape, dtype=bool)
    eq[kk, ii] = pc[ii] == tc[ii + ks[kk]]
    stop = np.where(eq, np.int32(m + 1), rows[None, :])
    next_stop = np.minimum.accumulate(stop[:, ::-1], axis=1)[:, ::-1]
    out = np.full((d + 1, width), _NEG, dtype=np.int64)
    prev = out[0].copy()
    absk = np.abs(ks)
    kidx = np.arange(len(ks))
    for e in range(d + 1):
        if e == 0:
            cand = np.full(len(ks), _NEG, dtype=np.int64)
            cand[d] = 0
        else:
            # substitution (same diagonal), horizontal (from k - 1), vertical (from k + 1)
            cand = np.maximum(np.maximum(prev[1:-1] + 1, prev[:-2]), prev[2:] + 1)
        active = valid & (absk <= e) & (reach <= d - e) & (cand > _NEG // 2)
        start = np.clip(cand, lo, hi)
        slid = next_stop[kidx, np.where(active, start, 0)]
        out[e, 1:-1] = np.where(active, slid, _NEG)
        prev = out[e]
    return out


@dataclass
class _Segment:
    """A stretch of rows a..b between cut cells where optimal paths branch."""

    a: int
    b: int
    fwd: dict[tuple[int, int], int]  # local counts from the cut cell in row a
    bwd: dict[tuple[int, int], int]  # local counts to the cut cell in row b
    count: int


def _optimal_cells(p: str, t: str, d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, columns, D) of every cell on an optimal path: forward D + backward D = d.

    For each diagonal k and cost e, the rows with forward D = e form an interval, and so do
    the rows with backward D = d - e: their intersections are the optimal cells (vectorised).
    """
    m, n = len(p), len(t)
    off = d + 1
    furthest = _furthest_rows if d < _VECTOR_FROM else _furthest_rows_np
    fwd = furthest(p, t, d)  # (d + 1, 2d + 3)
    bwd = furthest(p[::-1], t[::-1], d)
    ks = np.arange(-d, d + 1)
    neg = np.int64(_NEG)
    # forward: D = e on rows (fwd[e - 1], fwd[e]]
    f_hi = fwd[:, ks + off]
    f_prev = np.vstack([np.full((1, len(ks)), neg), f_hi[:-1]])
    low = f_prev + 1
    high = f_hi
    # backward: on the reversed diagonal kr = (n - m) - k, D' = d - e on reversed rows
    # (bwd[d - e - 1], bwd[d - e]], i.e. rows m - bwd[d - e] ... m - bwd[d - e - 1] - 1
    kr = (n - m) - ks
    valid_k = (kr >= -d) & (kr <= d) & (ks >= -m) & (ks <= n)
    krc = np.clip(kr, -d, d) + off
    b_rev = bwd[::-1][:, krc]  # row e holds bwd[d - e]
    b_prev = np.vstack([b_rev[1:], np.full((1, len(ks)), neg)])  # bwd[d - e - 1]
    low = np.maximum(low, np.where(b_rev <= neg, np.int64(m + 1), m - b_rev))
    high = np.minimum(high, np.where(b_prev <= neg, np.int64(m), m - b_prev - 1))
    diag_lo = np.maximum(0, -ks)
    diag_hi = np.minimum(m, n - ks)
    low = np.maximum(low, diag_lo)
    high = np.minimum(high, diag_hi)
    ok = (high >= low) & valid_k[None, :] & (f_hi > neg)
    ee, kk = np.nonzero(ok)
    lows, counts = low[ee, kk], (high - low + 1)[ee, kk]
    total = int(counts.sum())
    starts = np.repeat(lows, counts)
    within = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    rows = starts + within
    cols = rows + np.repeat(ks[kk], counts)
    dist = np.repeat(ee, counts)
    return rows, cols, dist


class OptimalPaths:
    """The optimal cells of the edit-distance table of P (rows) and T (columns), with path counts.

    Rows holding a single optimal cell are cut points: every optimal path passes through that
    cell. Between two such rows one apart whose cells are one column apart, every path takes
    the same diagonal step ("trivial" rows); the other stretches (around errors) are counted
    cell by cell. N, the number of optimal alignments, is the product of the stretches' counts.
    Path counts are Python integers (exact, unbounded).
    """

    def __init__(self, p: str, t: str, msd: int | None = None) -> None:
        self.p, self.t = p, t
        m = len(p)
        d = Levenshtein.distance(p, t) if msd is None else msd
        self.msd = d
        if d > MAX_MSD:
            raise AlignmentTooLarge(f"MSD {d} is over {MAX_MSD}: too many errors for a character-level analysis")
        rows_arr, cols_arr, dist_arr = _optimal_cells(p, t, d)
        order = np.lexsort((cols_arr, rows_arr))
        rows_arr, cols_arr, dist_arr = rows_arr[order], cols_arr[order], dist_arr[order]
        self._rows, self._cols = rows_arr, cols_arr
        row_count = np.bincount(rows_arr, minlength=m + 1)
        row_start = np.searchsorted(rows_arr, np.arange(m + 2))
        single = row_count == 1
        first_col = cols_arr[np.minimum(row_start[:-1], len(cols_arr) - 1)]
        first_dist = dist_arr[np.minimum(row_start[:-1], len(cols_arr) - 1)]
        #: for a row with one optimal cell: its column and distance (else -1)
        self._single_col: list[int] = np.where(single, first_col, -1).tolist()
        self._single_dist: list[int] = first_dist.tolist()
        # cells of rows with several optimal cells, by dict
        multi = ~single[rows_arr]
        self._multi: dict[tuple[int, int], int] = dict(
            zip(
                zip(rows_arr[multi].tolist(), cols_arr[multi].tolist(), strict=True),
                dist_arr[multi].tolist(),
                strict=True,
            )
        )
        # trivial rows: r and r + 1 single, columns one apart
        triv = single[:-1] & single[1:] & (first_col[1:] == first_col[:-1] + 1)
        self.trivial_rows: np.ndarray = np.flatnonzero(triv)
        self.trivial_cols: np.ndarray = first_col[self.trivial_rows]
        # segments: maximal runs of non-trivial steps r -> r + 1, rows a..b
        segments: list[_Segment] = []
        nontriv = np.flatnonzero(~triv).tolist()
        runs: list[tuple[int, int]] = []
        for r in nontriv:
            if runs and runs[-1][1] == r:
                runs[-1] = (runs[-1][0], r + 1)
            else:
                runs.append((r, r + 1))
        if m == 0:
            runs = [(0, 0)]
        branching = int(sum(row_start[b + 1] - row_start[a] for a, b in runs))
        if branching > MAX_BRANCH_CELLS:
            raise AlignmentTooLarge(
                f"{branching} table cells where optimal alignments branch (over {MAX_BRANCH_CELLS}): "
                "too ambiguous for a character-level analysis"
            )
        for a, b in runs:
            segments.append(self._count_segment(a, b))
        self.segments = segments
        self._seg_ends = [s.b for s in segments]
        prefix = [1]
        for s_ in segments:
            prefix.append(prefix[-1] * s_.count)
        self._prefix = prefix  # product of the counts of the first k segments
        self.count: int = prefix[-1]
        self._col_order: np.ndarray | None = None
        self._trivial_set: set[int] | None = None

    def always_aligned(self, row: int) -> bool:
        """True when every optimal alignment pairs P[row] with a character of T (one diagonal step)."""
        if self._trivial_set is None:
            self._trivial_set = set(self.trivial_rows.tolist())
        return row in self._trivial_set

    # -- cells -------------------------------------------------------------------------
    def dist(self, cell: tuple[int, int]) -> int | None:
        """D of an optimal cell; None if the cell is on no optimal path."""
        i, j = cell
        if i < 0 or i >= len(self._single_col):
            return None
        col = self._single_col[i]
        if col >= 0:
            return self._single_dist[i] if j == col else None
        return self._multi.get(cell)

    def cells(self) -> list[tuple[int, int]]:
        """Every optimal cell, by row then column."""
        return list(zip(self._rows.tolist(), self._cols.tolist(), strict=True))

    def rows_in_column(self, j: int) -> list[int]:
        """The rows of the optimal cells in column j."""
        if self._col_order is None:
            self._col_order = np.lexsort((self._rows, self._cols))
            self._col_sorted = self._cols[self._col_order]
        a, b = np.searchsorted(self._col_sorted, [j, j + 1])
        return self._rows[self._col_order[a:b]].tolist()

    def steps(self, cell: tuple[int, int]) -> list[tuple[str, tuple[int, int]]]:
        """The optimal steps out of ``cell``: ("diag" | "vert" | "horiz", next cell)."""
        i, j = cell
        base = self.dist(cell)
        if base is None:
            return []
        out = []
        p, t = self.p, self.t
        if i < len(p) and j < len(t):
            nxt = (i + 1, j + 1)
            if self.dist(nxt) == base + (p[i] != t[j]):
                out.append(("diag", nxt))
        if i < len(p):
            nxt = (i + 1, j)
            if self.dist(nxt) == base + 1:
                out.append(("vert", nxt))
        if j < len(t):
            nxt = (i, j + 1)
            if self.dist(nxt) == base + 1:
                out.append(("horiz", nxt))
        return out

    def _row_cells(self, r: int) -> list[tuple[int, int]]:
        col = self._single_col[r]
        if col >= 0:
            return [(r, col)]
        a, b = np.searchsorted(self._rows, [r, r + 1])
        return [(r, c) for c in self._cols[a:b].tolist()]

    def _count_segment(self, a: int, b: int) -> _Segment:
        seg = [c for r in range(a, b + 1) for c in self._row_cells(r)]
        start, end = seg[0], seg[-1]
        members = set(seg)
        succ = {c: ([] if c == end else [nx for _, nx in self.steps(c) if nx in members]) for c in seg}
        f_loc = dict.fromkeys(seg, 0)
        f_loc[start] = 1
        for c in seg:
            fc = f_loc[c]
            if fc:
                for nx in succ[c]:
                    f_loc[nx] += fc
        b_loc = dict.fromkeys(seg, 0)
        b_loc[end] = 1
        for c in reversed(seg):
            if succ[c]:
                b_loc[c] = sum(b_loc[nx] for nx in succ[c])
        return _Segment(a=a, b=b, fwd=f_loc, bwd=b_loc, count=f_loc[end])

    # -- path counts -------------------------------------------------------------------
    def _segment_of(self, cell: tuple[int, int]) -> int | None:
        k = bisect.bisect_left(self._seg_ends, cell[0])
        if k < len(self.segments) and cell in self.segments[k].fwd:
            return k
        return None

    def fwd(self, cell: tuple[int, int]) -> int:
        """Optimal paths from (0, 0) to ``cell``."""
        k = self._segment_of(cell)
        if k is not None:
            return self._prefix[k] * self.segments[k].fwd[cell]
        # a cell on a trivial stretch: every path passes; the segments before it count
        before = bisect.bisect_right(self._seg_ends, cell[0])
        return self._prefix[before]

    def bwd(self, cell: tuple[int, int]) -> int:
        """Optimal paths from ``cell`` to (m, n)."""
        k = self._segment_of(cell)
        if k is not None:
            return self.segments[k].bwd[cell] * (self.count // self._prefix[k + 1])
        before = bisect.bisect_right(self._seg_ends, cell[0])
        return self.count // self._prefix[before]


def optimal_paths(p: str, t: str, msd: int | None = None) -> OptimalPaths:
    """Optimal cells of the table of ``p`` (rows) and ``t`` (columns) with path counts."""
    return OptimalPaths(p, t, msd)


# ---------------------------------------------------------------------------------------
# Wobbrock & Myers tallies


class _Tallies:
    """Corrected-error numerators (path counts) per class and confusion; divided by N at the end."""

    def __init__(self) -> None:
        self.c = dict.fromkeys(("ins", "omi", "sub", "ok"), 0)
        self.conf: dict[tuple[str, str], int] = defaultdict(int)
        self.aimed: dict[str, int] = defaultdict(int)


def _constrained_count(paths: OptimalPaths, i0: int, j: int, constraints: dict[int, bool]) -> int:
    """Optimal paths that consume T[j] from row i0 and obey ``constraints``.

    ``constraints[row]`` is True when P[row] must be omitted (a vertical step out of that
    row), False when it must be aligned with a character of T (a diagonal step).
    """
    if not constraints:
        return _start_weight(paths, i0, j)
    tmax = max(constraints)
    row_counts: dict[int, int] = {j: 1}
    total = 0
    first = True
    for i in range(i0, tmax + 1):
        next_counts: dict[int, int] = defaultdict(int)
        cols = sorted(row_counts)
        # horizontal steps can add columns to this row as we go
        k = 0
        while k < len(cols):
            col = cols[k]
            k += 1
            cnt = row_counts.get(col, 0)
            if not cnt:
                continue
            cons = constraints.get(i)
            for kind, nxt in paths.steps((i, col)):
                if kind == "horiz":
                    if nxt[1] not in row_counts:
                        bisect.insort(cols, nxt[1])
                        row_counts[nxt[1]] = 0
                    row_counts[nxt[1]] += cnt
                elif (kind == "diag" and cons is not True) or (
                    kind == "vert" and cons is not False and not (first and col == j)
                ):
                    next_counts[nxt[1]] += cnt
            first = False
        row_counts = next_counts
        if not row_counts:
            return 0
    for col, cnt in row_counts.items():
        total += cnt * paths.bwd((tmax + 1, col))
    return paths.fwd((i0, j)) * total


def _start_weight(paths: OptimalPaths, i0: int, j: int) -> int:
    """Optimal paths whose step consuming T[j] leaves row i0."""
    cell = (i0, j)
    w = 0
    for kind, nxt in paths.steps(cell):
        if kind != "vert":
            w += paths.bwd(nxt)
    return paths.fwd(cell) * w


def _classify_run(
    paths: OptimalPaths,
    stream: list[str],
    run: list[int],
    j: int,
    i0: int,
    weight: int,
    tallies: _Tallies,
) -> None:
    """Classify a run of erased entries (indices into ``stream``) for one row i0."""
    p = paths.p
    m = len(p)
    positions: list[int] = []
    pos = 0
    for idx in run:
        if stream[idx] == BACKSPACE:
            pos = max(0, pos - 1)
            positions.append(pos)
        else:
            positions.append(pos)
            pos += 1

    def walk(r: int, omitted: frozenset[int], inserted: frozenset[int], constraints: dict[int, bool], w: int) -> None:
        while r < len(run):
            idx = run[r]
            v = positions[r]
            ch = stream[idx]
            if ch == BACKSPACE:
                omitted = omitted - {v}
                inserted = inserted - {v}
                r += 1
                continue
            target = i0 + max(0, v + len(omitted) - len(inserted))
            nxt_is = stream[idx + 1] if idx + 1 < len(stream) else None
            prv_is = stream[idx - 1] if idx > 0 else None
            if target < m and ch == p[target]:
                tallies.c["ok"] += w
                tallies.aimed[ch] += w
            elif target >= m or nxt_is == p[target] or (prv_is == ch and target >= 1 and prv_is == p[target - 1]):
                tallies.c["ins"] += w
                tallies.conf[("", ch)] += w
                inserted = inserted | {v}
            elif target + 1 < m and ch == p[target + 1]:
                # corrected omission iff P[target] is aligned with a character of T
                if target in constraints:
                    aligned_w = w if constraints[target] is False else 0
                elif paths.always_aligned(target):
                    aligned_w = w
                else:
                    aligned_w = _constrained_count(paths, i0, j, {**constraints, target: False})
                omitted_w = w - aligned_w
                if omitted_w:
                    tallies.c["sub"] += omitted_w
                    tallies.conf[(p[target], ch)] += omitted_w
                    tallies.aimed[p[target]] += omitted_w
                    walk(r + 1, omitted, inserted, {**constraints, target: True}, omitted_w)
                if aligned_w:
                    tallies.c["omi"] += aligned_w
                    tallies.c["ok"] += aligned_w
                    tallies.conf[(p[target], "")] += aligned_w
                    tallies.aimed[p[target]] += aligned_w
                    tallies.aimed[ch] += aligned_w
                    walk(r + 1, omitted | {v}, inserted, {**constraints, target: False}, aligned_w)
                return
            else:
                tallies.c["sub"] += w
                tallies.conf[(p[target], ch)] += w
                tallies.aimed[p[target]] += w
            r += 1

    walk(0, frozenset(), frozenset(), {}, weight)


def _survivors(stream: list[str]) -> tuple[list[str], np.ndarray]:
    """(the stream without no-op backspaces, indices of the characters that survive into T)."""
    is_bs = np.array([e == BACKSPACE for e in stream], dtype=bool)
    depth = np.cumsum(np.where(is_bs, -1, 1))
    if len(stream) and depth.min() < 0:  # a backspace on an empty text: drop it, then redo
        clean: list[str] = []
        level = 0
        for e in stream:
            if e == BACKSPACE:
                if level == 0:
                    continue
                level -= 1
            else:
                level += 1
            clean.append(e)
        return _survivors(clean)
    # a character survives iff the text never gets shorter than just after it was typed
    suffix_min = np.minimum.accumulate(depth[::-1])[::-1]
    return list(stream), np.flatnonzero(~is_bs & (depth <= suffix_min))


def char_errors(presented: str, transcribed: str, stream: list[str], msd: int | None = None) -> CharErrors:
    """W&M character-level errors of a stream of characters and backspaces (``"\\b"``).

    ``stream`` must replay to ``transcribed`` (each backspace removes the last character; a
    backspace on an empty text is ignored). P and T are expected NFC.
    """
    p, t = presented, transcribed
    paths = optimal_paths(p, t, msd)
    n_align = paths.count
    tallies = _Tallies()
    # uncorrected: every optimal step weighted by its share of the alignments. Steps every
    # alignment takes (the trivial diagonal rows) count 1 each; inside a stretch around errors
    # a step from c to c' has share F_local(c) * B_local(c') / (the stretch's count).
    unc = dict.fromkeys(("ins", "omi", "sub", "ok"), 0.0)
    conf_u: dict[tuple[str, str], float] = defaultdict(float)
    aimed: dict[str, float] = defaultdict(float)
    if len(paths.trivial_rows):
        rows = paths.trivial_rows
        p_codes = np.frombuffer(p.encode("utf-32-le"), dtype="<u4")
        t_codes = np.frombuffer(t.encode("utf-32-le"), dtype="<u4")
        cols = paths.trivial_cols
        same = p_codes[rows] == t_codes[cols]
        unc["ok"] += float(np.count_nonzero(same))
        unc["sub"] += float(np.count_nonzero(~same))
        for r, c in zip(rows[~same].tolist(), cols[~same].tolist(), strict=True):
            conf_u[(p[r], t[c])] += 1.0
        codes, counts = np.unique(p_codes[rows], return_counts=True)
        for code, cnt in zip(codes.tolist(), counts.tolist(), strict=True):
            aimed[chr(code)] += float(cnt)
    for segment in paths.segments:
        f_loc, b_loc, total = segment.fwd, segment.bwd, segment.count
        members = f_loc
        seg = list(f_loc)
        end = seg[-1]
        num = dict.fromkeys(("ins", "omi", "sub", "ok"), 0)
        conf_num: dict[tuple[str, str], int] = defaultdict(int)
        aimed_num: dict[str, int] = defaultdict(int)
        for cell in seg:
            if cell == end:
                continue
            fc = f_loc[cell]
            if not fc:
                continue
            i, j = cell
            for kind, nxt in paths.steps(cell):
                if nxt not in members:
                    continue
                w = fc * b_loc[nxt]
                if not w:
                    continue
                if kind == "diag":
                    aimed_num[p[i]] += w
                    if p[i] == t[j]:
                        num["ok"] += w
                    else:
                        num["sub"] += w
                        conf_num[(p[i], t[j])] += w
                elif kind == "vert":
                    aimed_num[p[i]] += w
                    num["omi"] += w
                    conf_num[(p[i], "")] += w
                else:
                    num["ins"] += w
                    conf_num[("", t[j])] += w
        for key, value in num.items():
            unc[key] += value / total
        for key, value in conf_num.items():
            conf_u[key] += value / total
        for ch, value in aimed_num.items():
            aimed[ch] += value / total
    # corrected: runs of erased entries before each transcribed character (or at the end)
    clean, survivors = _survivors(stream)
    if "".join([clean[k] for k in survivors.tolist()]) != t:
        raise ValueError("the character stream does not replay to the transcribed text")
    # run j: the erased entries between T[j - 1] and T[j] (j = |T|: after the last one)
    ends = np.append(survivors, len(clean))
    starts = np.concatenate(([0], survivors + 1))
    with_runs = np.flatnonzero(ends > starts).tolist()
    starts_l, ends_l = starts.tolist(), ends.tolist()
    # the columns with a run whose T[j] every alignment consumes by the same diagonal step
    run_cols = np.asarray(with_runs, dtype=np.int64)
    tcols = paths.trivial_cols
    pos = np.minimum(np.searchsorted(tcols, run_cols), max(len(tcols) - 1, 0))
    hit = (tcols[pos] == run_cols) if len(tcols) else np.zeros(len(run_cols), dtype=bool)
    trivial_by_col = (
        dict(zip(run_cols[hit].tolist(), paths.trivial_rows[pos[hit]].tolist(), strict=True)) if len(tcols) else {}
    )
    for j in with_runs:
        run = list(range(starts_l[j], ends_l[j]))
        if j == len(t):
            # after the last transcribed character: W&M align the run past every letter
            # of P, so each erased character is a corrected insertion
            for idx in run:
                if clean[idx] != BACKSPACE:
                    tallies.c["ins"] += n_align
                    tallies.conf[("", clean[idx])] += n_align
            continue
        if j in trivial_by_col:  # every alignment consumes T[j] from the same row
            _classify_run(paths, clean, run, j, trivial_by_col[j], n_align, tallies)
            continue
        for i0 in paths.rows_in_column(j):
            w = _start_weight(paths, i0, j)
            if w:
                _classify_run(paths, clean, run, j, i0, w, tallies)

    def tally(d: dict[str, float]) -> ErrorTally:
        return ErrorTally(insertions=d["ins"], omissions=d["omi"], substitutions=d["sub"], no_errors=d["ok"])

    corrected = {key: value / n_align for key, value in tallies.c.items()}
    confusion: dict[tuple[str, str], float] = defaultdict(float)
    for key, value in conf_u.items():
        confusion[key] += value
    for key, value in tallies.conf.items():
        confusion[key] += value / n_align
    for ch, value in tallies.aimed.items():
        aimed[ch] += value / n_align
    return CharErrors(
        corrected=tally(corrected),
        uncorrected=tally(unc),
        alignments=n_align,
        attempts={k: v for k, v in sorted(aimed.items()) if v},
        confusion={k: v for k, v in confusion.items() if v},
        confusion_uncorrected={k: v for k, v in conf_u.items() if v},
    )
