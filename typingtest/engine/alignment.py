"""Character-level errors (Wobbrock & Myers 2006) without enumerating alignments.

Wobbrock & Myers classify every keystroke of the input stream as a corrected or uncorrected
insertion, omission, substitution or no-error, once per optimal alignment of P and T, and
weight each alignment's tallies by 1 / (number of optimal alignments). A long passage can
have astronomically many optimal alignments, so this module never lists them. It counts
paths through the edit-distance table instead:

1. The table is only computed where optimal paths can go. With unit costs every cell on an
   optimal path lies within ``d = MSD`` diagonals of the main one, and along a diagonal the
   distance never decreases, so the table is the furthest-reaching rows of Ukkonen (1985)
   per cost and diagonal: O(d^2) steps plus vectorised numpy per diagonal.
2. A cell is on an optimal path iff forward + backward distance = d (the backward table is
   the same computation on the reversed strings). Only those cells matter.
3. Forward counts F (paths from the start) and backward counts B (paths to the end) over the
   optimal cells, as Python integers (they outgrow 64 bits on long passages). A step from c to
   c' is in F[c] * B[c'] of the N optimal alignments: that is its weight.
4. Uncorrected tallies: each step's class (match, substitution, omission = vertical,
   insertion = horizontal) weighted by its share.
5. Corrected tallies: a run of erased characters in the input stream sits, in W&M's
   stream alignment, just before the column of the next transcribed character T[j]. Its
   classification depends on the row i0 where the alignment consumes T[j] (target letters
   are P[i0 + k]) and, for the omission test, on whether P[target] is omitted in that
   alignment. The weight of each i0 is F * B over the steps that consume T[j]; the
   omission test splits that weight by counting paths with the constraint, in a small
   local table.

Deviation noted in docs/engine.md: a corrected omission also tallies the typed character as
a corrected no-error (the character was right for the next position), so that corrected
insertions + substitutions + no-errors = IF, the characters erased.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz.distance import Levenshtein

from typingtest.engine.replay import BACKSPACE

__all__ = ["CharErrors", "ErrorTally", "OptimalPaths", "char_errors", "optimal_paths"]

_NEG = -(10**9)


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

    def confusion_list(self) -> list[dict[str, object]]:
        """The confusion table as JSON-ready rows, heaviest first."""
        rows = sorted(self.confusion.items(), key=lambda kv: (-kv[1], kv[0]))
        return [{"intended": a, "typed": b, "weight": w} for (a, b), w in rows]


# ---------------------------------------------------------------------------------------
# The banded edit-distance table


def _diagonal_distances(p: str, t: str, d: int) -> dict[int, tuple[int, np.ndarray]]:
    """For each diagonal k = j - i in [-d, d]: (first row, D along the diagonal).

    D[i][i + k] = Levenshtein(p[:i], t[:i + k]); values above d are capped at d + 1.
    Furthest-reaching rows per cost (Ukkonen 1985).
    """
    m, n = len(p), len(t)
    ks = range(max(-d, -m), min(d, n) + 1)
    lo = {k: max(0, -k) for k in ks}
    hi = {k: min(m, n - k) for k in ks}
    mism_cache: dict[int, list[int]] = {}

    def slide(k: int, i: int) -> int:
        end = hi[k]
        if i >= end or p[i] != t[i + k]:
            return i
        mism = mism_cache.get(k)
        if mism is None:
            a, b = lo[k], hi[k]
            pa = np.frombuffer(p[a:b].encode("utf-32-le"), dtype="<u4")
            ta = np.frombuffer(t[a + k : b + k].encode("utf-32-le"), dtype="<u4")
            mism = (np.flatnonzero(pa != ta) + a).tolist()
            mism_cache[k] = mism
        pos = bisect.bisect_left(mism, i)
        return mism[pos] if pos < len(mism) else end

    furthest: dict[int, list[int]] = {k: [] for k in ks}
    prev: dict[int, int] = {}
    for e in range(d + 1):
        cur: dict[int, int] = {}
        for k in range(max(-e, -m), min(e, n) + 1):
            if e == 0:
                i = 0
            else:
                i = _NEG
                v = prev.get(k)
                if v is not None and v > _NEG:
                    i = v + 1  # substitution
                v = prev.get(k - 1)
                if v is not None and v > i:
                    i = v  # horizontal: consumes t
                v = prev.get(k + 1)
                if v is not None and v + 1 > i:
                    i = v + 1  # vertical: consumes p
                if i == _NEG:
                    cur[k] = _NEG
                    continue
                i = max(min(i, hi[k]), lo[k])
            cur[k] = slide(k, i)
        for k in ks:
            furthest[k].append(cur.get(k, _NEG))
        prev = cur
    out: dict[int, tuple[int, np.ndarray]] = {}
    for k in ks:
        rows = np.arange(lo[k], hi[k] + 1)
        out[k] = (lo[k], np.searchsorted(np.asarray(furthest[k]), rows, side="left"))
    return out


@dataclass
class OptimalPaths:
    """The optimal cells of the edit-distance table of P and T, with path counts."""

    p: str
    t: str
    msd: int
    #: cell (i, j) -> D[i][j] for every cell on some optimal path
    dist: dict[tuple[int, int], int]
    #: forward path counts (optimal paths from (0, 0) to the cell)
    fwd: dict[tuple[int, int], int]
    #: backward path counts (optimal paths from the cell to (m, n))
    bwd: dict[tuple[int, int], int]
    #: optimal cells by column: j -> sorted rows
    by_column: dict[int, list[int]]

    @property
    def count(self) -> int:
        """N: the number of optimal alignments."""
        return self.bwd[(0, 0)]

    def steps(self, cell: tuple[int, int]) -> list[tuple[str, tuple[int, int]]]:
        """The optimal steps out of ``cell``: ("diag" | "vert" | "horiz", next cell)."""
        i, j = cell
        base = self.dist[cell]
        out = []
        p, t, dist = self.p, self.t, self.dist
        if i < len(p) and j < len(t):
            nxt = (i + 1, j + 1)
            dv = dist.get(nxt)
            if dv is not None and dv == base + (p[i] != t[j]):
                out.append(("diag", nxt))
        if i < len(p):
            nxt = (i + 1, j)
            if dist.get(nxt) == base + 1:
                out.append(("vert", nxt))
        if j < len(t):
            nxt = (i, j + 1)
            if dist.get(nxt) == base + 1:
                out.append(("horiz", nxt))
        return out


def optimal_paths(p: str, t: str, msd: int | None = None) -> OptimalPaths:
    """Optimal cells of the table of ``p`` (rows) and ``t`` (columns) with path counts."""
    m, n = len(p), len(t)
    d = Levenshtein.distance(p, t) if msd is None else msd
    fwd_diag = _diagonal_distances(p, t, d)
    bwd_diag = _diagonal_distances(p[::-1], t[::-1], d)
    dist: dict[tuple[int, int], int] = {}
    for k, (lo, dk) in fwd_diag.items():
        kr = (n - m) - k
        if kr not in bwd_diag:
            continue
        lo_r, dr = bwd_diag[kr]
        # row i on diagonal k is row m - i on the reversed diagonal kr
        rows = np.arange(lo, lo + len(dk))
        ridx = (m - rows) - lo_r
        ok = (ridx >= 0) & (ridx < len(dr))
        total = np.full(len(dk), d + 10)
        total[ok] = dk[ok] + dr[ridx[ok]]
        for i in np.flatnonzero(total == d).tolist():
            row = lo + i
            dist[(row, row + k)] = int(dk[i])
    cells = sorted(dist)
    fwd: dict[tuple[int, int], int] = dict.fromkeys(cells, 0)
    bwd: dict[tuple[int, int], int] = dict.fromkeys(cells, 0)
    res = OptimalPaths(p=p, t=t, msd=d, dist=dist, fwd=fwd, bwd=bwd, by_column=defaultdict(list))
    succ = {c: res.steps(c) for c in cells}
    fwd[(0, 0)] = 1
    for c in cells:
        fc = fwd[c]
        if fc:
            for _, nxt in succ[c]:
                fwd[nxt] += fc
    bwd[(m, n)] = 1
    for c in reversed(cells):
        s = succ[c]
        if s:
            bwd[c] = sum(bwd[nxt] for _, nxt in s)
    for i, j in cells:
        res.by_column[j].append(i)
    return res


# ---------------------------------------------------------------------------------------
# Wobbrock & Myers tallies


class _Tallies:
    """Integer numerators (path counts) per class; divided by N at the end."""

    def __init__(self) -> None:
        self.c = dict.fromkeys(("ins", "omi", "sub", "ok"), 0)
        self.u = dict.fromkeys(("ins", "omi", "sub", "ok"), 0)
        self.conf: dict[tuple[str, str], int] = defaultdict(int)
        self.conf_u: dict[tuple[str, str], int] = defaultdict(int)


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
        total += cnt * paths.bwd[(tmax + 1, col)]
    return paths.fwd[(i0, j)] * total


def _start_weight(paths: OptimalPaths, i0: int, j: int) -> int:
    """Optimal paths whose step consuming T[j] leaves row i0."""
    cell = (i0, j)
    w = 0
    for kind, nxt in paths.steps(cell):
        if kind != "vert":
            w += paths.bwd[nxt]
    return paths.fwd[cell] * w


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
            elif target >= m or nxt_is == p[target] or (prv_is == ch and target >= 1 and prv_is == p[target - 1]):
                tallies.c["ins"] += w
                tallies.conf[("", ch)] += w
                inserted = inserted | {v}
            elif target + 1 < m and ch == p[target + 1]:
                # corrected omission iff P[target] is aligned with a character of T
                if target in constraints:
                    aligned_w = w if constraints[target] is False else 0
                else:
                    aligned_w = _constrained_count(paths, i0, j, {**constraints, target: False})
                omitted_w = w - aligned_w
                if omitted_w:
                    tallies.c["sub"] += omitted_w
                    tallies.conf[(p[target], ch)] += omitted_w
                    walk(r + 1, omitted, inserted, {**constraints, target: True}, omitted_w)
                if aligned_w:
                    tallies.c["omi"] += aligned_w
                    tallies.c["ok"] += aligned_w
                    tallies.conf[(p[target], "")] += aligned_w
                    walk(r + 1, omitted | {v}, inserted, {**constraints, target: False}, aligned_w)
                return
            else:
                tallies.c["sub"] += w
                tallies.conf[(p[target], ch)] += w
            r += 1

    walk(0, frozenset(), frozenset(), {}, weight)


def char_errors(presented: str, transcribed: str, stream: list[str], msd: int | None = None) -> CharErrors:
    """W&M character-level errors of a stream of characters and backspaces (``"\\b"``).

    ``stream`` must replay to ``transcribed`` (each backspace removes the last character; a
    backspace on an empty text is ignored). P and T are expected NFC.
    """
    p, t = presented, transcribed
    paths = optimal_paths(p, t, msd)
    n_align = paths.count
    tallies = _Tallies()
    # uncorrected: every optimal step weighted by F * B
    for cell in sorted(paths.dist):
        fc = paths.fwd[cell]
        if not fc:
            continue
        i, j = cell
        for kind, nxt in paths.steps(cell):
            w = fc * paths.bwd[nxt]
            if not w:
                continue
            if kind == "diag":
                if p[i] == t[j]:
                    tallies.u["ok"] += w
                else:
                    tallies.u["sub"] += w
                    tallies.conf[(p[i], t[j])] += w
                    tallies.conf_u[(p[i], t[j])] += w
            elif kind == "vert":
                tallies.u["omi"] += w
                tallies.conf[(p[i], "")] += w
                tallies.conf_u[(p[i], "")] += w
            else:
                tallies.u["ins"] += w
                tallies.conf[("", t[j])] += w
                tallies.conf_u[("", t[j])] += w
    # corrected: runs of erased entries before each transcribed character (or at the end)
    clean: list[str] = []
    depth = 0
    for e in stream:
        if e == BACKSPACE:
            if depth == 0:
                continue  # nothing to remove: not part of the character stream
            depth -= 1
        else:
            depth += 1
        clean.append(e)
    survivors: list[int] = []
    for k, e in enumerate(clean):
        if e == BACKSPACE:
            survivors.pop()
        else:
            survivors.append(k)
    if "".join(clean[k] for k in survivors) != t:
        raise ValueError("the character stream does not replay to the transcribed text")
    start = 0
    for j, flagged in enumerate([*survivors, len(clean)]):
        run = list(range(start, flagged))
        start = flagged + 1
        if not run:
            continue
        if j == len(t):
            # after the last transcribed character: W&M align the run past every letter
            # of P, so each erased character is a corrected insertion
            for idx in run:
                if clean[idx] != BACKSPACE:
                    tallies.c["ins"] += n_align
                    tallies.conf[("", clean[idx])] += n_align
            continue
        for i0 in paths.by_column.get(j, []):
            w = _start_weight(paths, i0, j)
            if w:
                _classify_run(paths, clean, run, j, i0, w, tallies)

    def tally(d: dict[str, int]) -> ErrorTally:
        return ErrorTally(
            insertions=d["ins"] / n_align,
            omissions=d["omi"] / n_align,
            substitutions=d["sub"] / n_align,
            no_errors=d["ok"] / n_align,
        )

    return CharErrors(
        corrected=tally(tallies.c),
        uncorrected=tally(tallies.u),
        alignments=n_align,
        confusion={k: v / n_align for k, v in tallies.conf.items() if v},
        confusion_uncorrected={k: v / n_align for k, v in tallies.conf_u.items() if v},
    )
