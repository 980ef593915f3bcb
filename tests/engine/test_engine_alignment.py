"""Wobbrock & Myers character-level errors: the path-counting code against a slow reference.

The reference below follows the paper's procedure literally on short strings: enumerate every
optimal alignment of P and T (MacKenzie & Soukoreff 2002), flag the input stream, stream-align
it to each alignment with spacers, give each erased entry its position value, run
DetermineErrors with LookAhead/LookBehind over the padded strings, and average the tallies
over the alignments. The fast code never enumerates alignments; if its reasoning about which
row each erased run targets were wrong, these tests would disagree.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from typingtest.engine.alignment import char_errors, optimal_paths

BS = "\b"
GAP = "<GAP>"  # "-" of the paper: an insertion or omission in P' / T'
SPACER = "<SP>"  # the paper's spacer: a column of an erased entry or an omission


# ---------------------------------------------------------------------------------------
# slow reference


def plain_levenshtein(a: str, b: str) -> list[list[int]]:
    """The full dynamic-programming table, unit costs."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
    return d


def all_alignments(p: str, t: str) -> list[tuple[list[str], list[str]]]:
    """Every optimal alignment (P', T') by walking back through the full table."""
    d = plain_levenshtein(p, t)
    out: list[tuple[list[str], list[str]]] = []

    def back(i: int, j: int, ap: list[str], at: list[str]) -> None:
        if i == 0 and j == 0:
            out.append((ap[::-1], at[::-1]))
            return
        if i > 0 and j > 0 and d[i][j] == d[i - 1][j - 1] + (p[i - 1] != t[j - 1]):
            back(i - 1, j - 1, [*ap, p[i - 1]], [*at, t[j - 1]])
        if i > 0 and d[i][j] == d[i - 1][j] + 1:
            back(i - 1, j, [*ap, p[i - 1]], [*at, GAP])
        if j > 0 and d[i][j] == d[i][j - 1] + 1:
            back(i, j - 1, [*ap, GAP], [*at, t[j - 1]])

    back(len(p), len(t), [], [])
    return out


def is_letter(x: str) -> bool:
    return x not in (GAP, SPACER)


def not_spacer(x: str) -> bool:
    return x != SPACER


def look_ahead(s: list[str], start: int, count: int, cond) -> int:  # type: ignore[no-untyped-def]
    i = start
    while i < len(s) and not cond(s[i]):
        i += 1
    while count > 0 and i < len(s):
        i += 1
        if i < len(s) and cond(s[i]):
            count -= 1
    return i


def look_behind(s: list[str], start: int, count: int, cond) -> int:  # type: ignore[no-untyped-def]
    i = start
    while count > 0 and i >= 0:
        i -= 1
        if i >= 0 and cond(s[i]):
            count -= 1
    return i


def reference_tallies(p: str, t: str, stream: list[str]) -> tuple[dict, dict, dict, int, dict]:
    """(corrected, uncorrected, confusion, number of alignments, keystrokes aimed at each
    character of P) averaged over the alignments."""
    # flags: entries that survive into T
    flags = [False] * len(stream)
    pending = 0
    for k in range(len(stream) - 1, -1, -1):
        if stream[k] == BS:
            pending += 1
        elif pending:
            pending -= 1
        else:
            flags[k] = True
    aligns = all_alignments(p, t)
    corr = dict.fromkeys(("ins", "omi", "sub", "ok"), 0.0)
    unc = dict.fromkeys(("ins", "omi", "sub", "ok"), 0.0)
    conf: dict[tuple[str, str], float] = {}
    aimed: dict[str, float] = {}
    w = 1.0 / len(aligns)

    def aim(ch: str) -> None:
        aimed[ch] = aimed.get(ch, 0.0) + w

    def add_conf(a: str, b: str) -> None:
        conf[(a, b)] = conf.get((a, b), 0.0) + w

    for ap, at in aligns:
        pp, tt, iss, ff = list(ap), list(at), list(stream), list(flags)
        i = 0
        while i < max(len(tt), len(iss)):
            if i < len(tt) and tt[i] == GAP:
                iss.insert(i, SPACER)
                ff.insert(i, True)
            elif i < len(iss) and not ff[i]:
                pp.insert(i, SPACER)
                tt.insert(i, SPACER)
            i += 1
        assert len(pp) == len(tt) == len(iss)
        pos_values = []
        pos = 0
        for k in range(len(iss)):
            if ff[k]:
                pos = 0
                pos_values.append(0)
            else:
                if iss[k] == BS and pos > 0:
                    pos -= 1
                pos_values.append(pos)
                if iss[k] != BS:
                    pos += 1
        a = 0
        for b in range(len(iss)):
            if tt[b] == GAP:
                unc["omi"] += w
                add_conf(pp[b], "")
                aim(pp[b])
            elif ff[b] or b == len(iss) - 1:
                omitted: set[int] = set()
                inserted: set[int] = set()
                for i in range(a, b):
                    v = pos_values[i]
                    if iss[i] == BS:
                        omitted.discard(v)
                        inserted.discard(v)
                    elif iss[i] != SPACER:
                        target = look_ahead(pp, b, v + len(omitted) - len(inserted), is_letter)
                        next_p = look_ahead(pp, target, 1, is_letter)
                        prev_p = look_behind(pp, target, 1, is_letter)
                        next_is = look_ahead(iss, i, 1, not_spacer)
                        prev_is = look_behind(iss, i, 1, not_spacer)
                        if target < len(pp) and iss[i] == pp[target]:
                            corr["ok"] += w
                            aim(pp[target])
                        elif (
                            target >= len(pp)
                            or (next_is < len(iss) and iss[next_is] == pp[target])
                            or (prev_is >= 0 and iss[prev_is] == iss[i] and prev_p >= 0 and iss[prev_is] == pp[prev_p])
                        ):
                            corr["ins"] += w
                            add_conf("", iss[i])
                            inserted.add(v)
                        elif next_p < len(pp) and iss[i] == pp[next_p] and is_letter(tt[target]):
                            corr["omi"] += w
                            corr["ok"] += w
                            add_conf(pp[target], "")
                            aim(pp[target])
                            aim(pp[next_p])
                            omitted.add(v)
                        else:
                            corr["sub"] += w
                            add_conf(pp[target], iss[i])
                            aim(pp[target])
                if pp[b] == GAP:
                    unc["ins"] += w
                    add_conf("", tt[b])
                elif pp[b] != tt[b]:
                    unc["sub"] += w
                    add_conf(pp[b], tt[b])
                    if pp[b] != SPACER:
                        aim(pp[b])
                elif pp[b] != SPACER:
                    unc["ok"] += w
                    aim(pp[b])
                a = b + 1
    return corr, unc, conf, len(aligns), aimed


def replay_text(stream: list[str]) -> str:
    out: list[str] = []
    for e in stream:
        if e == BS:
            if out:
                out.pop()
        else:
            out.append(e)
    return "".join(out)


def without_noop_backspaces(stream: list[str]) -> list[str]:
    out: list[str] = []
    depth = 0
    for e in stream:
        if e == BS:
            if depth == 0:
                continue
            depth -= 1
        else:
            depth += 1
        out.append(e)
    return out


def as_dict(tally) -> dict[str, float]:  # type: ignore[no-untyped-def]
    return {"ins": tally.insertions, "omi": tally.omissions, "sub": tally.substitutions, "ok": tally.no_errors}


def assert_same(p: str, stream: list[str]) -> None:
    stream = without_noop_backspaces(stream)
    t = replay_text(stream)
    fast = char_errors(p, t, stream)
    corr, unc, conf, n, aimed = reference_tallies(p, t, stream)
    assert fast.alignments == n
    assert as_dict(fast.corrected) == pytest.approx(corr, abs=1e-9)
    assert as_dict(fast.uncorrected) == pytest.approx(unc, abs=1e-9)
    assert set(fast.confusion) == {k for k, v in conf.items() if v > 1e-12}
    for key, value in conf.items():
        assert fast.confusion.get(key, 0.0) == pytest.approx(value, abs=1e-9)
    assert set(fast.attempts) == {k for k, v in aimed.items() if v > 1e-12}
    for key, value in aimed.items():
        assert fast.attempts.get(key, 0.0) == pytest.approx(value, abs=1e-9)


# ---------------------------------------------------------------------------------------
# worked examples from the papers


def test_golfers_has_three_errors_and_four_alignments() -> None:
    # MacKenzie & Soukoreff (2002), Soukoreff & MacKenzie (2001): MSD("golfers", "gofpiers") = 3,
    # with 4 optimal alignments (docs/engine.md, "Worked examples").
    paths = optimal_paths("golfers", "gofpiers")
    assert paths.msd == 3
    assert paths.count == 4
    assert len(all_alignments("golfers", "gofpiers")) == 4


def test_golfers_uncorrected_tallies_by_hand() -> None:
    # The four optimal alignments (MSD 3, four alignments: docs/engine.md after MacKenzie & Soukoreff
    # 2002; listed by the reference enumerator above), P' over T', tallied by hand:
    #   go-lfers / gofpiers    ins 1, sub 2 (l/p, f/i), ok 5
    #   gol-fers / gofpiers    ins 1, sub 2 (l/f, f/i), ok 5
    #   golf-ers / gofpiers    ins 1, sub 2 (l/f, f/p), ok 5
    #   golf--ers / go-fpiers  omi 1 (l), ins 2 (p, i), ok 6
    # weighted 1/4 each: ins 1.25, omi 0.25, sub 1.5, ok 5.25.
    written = {
        ("".join(a).replace(GAP, "-"), "".join(b).replace(GAP, "-")) for a, b in all_alignments("golfers", "gofpiers")
    }
    assert written == {
        ("go-lfers", "gofpiers"),
        ("gol-fers", "gofpiers"),
        ("golf-ers", "gofpiers"),
        ("golf--ers", "go-fpiers"),
    }
    ce = char_errors("golfers", "gofpiers", list("gofpiers"))
    assert as_dict(ce.uncorrected) == {"ins": 1.25, "omi": 0.25, "sub": 1.5, "ok": 5.25}
    assert ce.confusion[("l", "f")] == 0.5  # in two of four alignments
    assert ce.confusion[("", "p")] == 0.5
    assert ce.confusion[("l", "")] == 0.25
    assert as_dict(ce.corrected) == {"ins": 0, "omi": 0, "sub": 0, "ok": 0}
    assert_same("golfers", list("gofpiers"))


def test_quick_brown_worked_example_tallies() -> None:
    # The worked example of docs/engine.md (after Wobbrock & Myers 2006): P "the quick brown", IS "th quix<ck brpown",
    # T "th quick brpown". One optimal alignment (the "e" omitted, the "p" inserted). Hand count:
    # uncorrected: 14 no-errors (the 15 characters of T less the inserted "p"), 1 omission (e), 1 insertion (p);
    # corrected: the erased "x" stood where "c" was intended: 1 corrected substitution.
    stream = [*"th quix", BS, *"ck brpown"]
    ce = char_errors("the quick brown", "th quick brpown", stream)
    assert ce.alignments == 1
    assert as_dict(ce.uncorrected) == {"ins": 1.0, "omi": 1.0, "sub": 0.0, "ok": 14.0}
    assert as_dict(ce.corrected) == {"ins": 0.0, "omi": 0.0, "sub": 1.0, "ok": 0.0}
    assert ce.confusion == {("c", "x"): 1.0, ("e", ""): 1.0, ("", "p"): 1.0}
    # aimed at "c": the erased x and the final c; at "e": the omission; every other letter once
    assert ce.attempts["c"] == 2.0 and ce.attempts["e"] == 1.0 and ce.attempts["o"] == 1.0
    assert ce.attempts[" "] == 2.0


def test_hand_counted_corrected_classes() -> None:
    # Each by hand, one alignment each (T = P):
    # "ab" typed "a", "x", BS, "b": the erased "x" targets "b"; it is not "b", the next entry
    # is the backspace (not "b"), the previous entry "a" is not "x": a corrected substitution.
    assert as_dict(char_errors("ab", "ab", ["a", "x", BS, "b"]).corrected) == {"ins": 0, "omi": 0, "sub": 1, "ok": 0}
    # doubled key: "ab" typed "a", "a", BS, "b": second "a" repeats the previous entry, which is
    # the previous letter of P: a corrected insertion.
    assert as_dict(char_errors("ab", "ab", ["a", "a", BS, "b"]).corrected) == {"ins": 1, "omi": 0, "sub": 0, "ok": 0}
    # skipped letter: "abc" typed "a", "c", BS, "b", "c": "c" is the letter after the target "b":
    # a corrected omission, and the "c" keystroke itself a corrected no-error.
    assert as_dict(char_errors("abc", "abc", ["a", "c", BS, "b", "c"]).corrected) == {
        "ins": 0,
        "omi": 1,
        "sub": 0,
        "ok": 1,
    }
    # correct character erased and retyped: a corrected no-error.
    assert as_dict(char_errors("ab", "ab", ["a", "b", BS, "b"]).corrected) == {"ins": 0, "omi": 0, "sub": 0, "ok": 1}
    # erased at the very end (after the last transcribed character): W&M's target lies past P.
    assert as_dict(char_errors("ab", "ab", ["a", "b", "c", BS]).corrected) == {"ins": 1, "omi": 0, "sub": 0, "ok": 0}


def test_hand_counted_uncorrected_classes() -> None:
    assert as_dict(char_errors("cat", "cut", list("cut")).uncorrected) == {"ins": 0, "omi": 0, "sub": 1, "ok": 2}
    assert as_dict(char_errors("cat", "ct", list("ct")).uncorrected) == {"ins": 0, "omi": 1, "sub": 0, "ok": 2}
    assert as_dict(char_errors("cat", "caat", list("caat")).uncorrected)["ok"] == pytest.approx(3)
    assert as_dict(char_errors("cat", "caat", list("caat")).uncorrected)["ins"] == pytest.approx(1)


def test_empty_texts() -> None:
    ce = char_errors("", "", [])
    assert ce.alignments == 1
    assert as_dict(ce.uncorrected) == {"ins": 0, "omi": 0, "sub": 0, "ok": 0}
    ce = char_errors("abc", "", [])
    assert as_dict(ce.uncorrected) == {"ins": 0, "omi": 3, "sub": 0, "ok": 0}
    ce = char_errors("", "ab", ["a", "b"])
    assert as_dict(ce.uncorrected) == {"ins": 2, "omi": 0, "sub": 0, "ok": 0}
    ce = char_errors("abc", "", ["x", BS])
    assert as_dict(ce.corrected) == {"ins": 1, "omi": 0, "sub": 0, "ok": 0}


# ---------------------------------------------------------------------------------------
# properties against the reference


@st.composite
def typing_session(draw: st.DrawFn) -> tuple[str, list[str]]:
    alphabet = "ab c"
    p = draw(st.text(alphabet=alphabet, max_size=7))
    ops = draw(st.lists(st.sampled_from([*alphabet, BS, BS]), max_size=12))
    return p, ops


@settings(max_examples=300, deadline=None)
@given(typing_session())
def test_fast_equals_reference(case: tuple[str, list[str]]) -> None:
    p, stream = case
    assert_same(p, stream)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="abc", max_size=9), st.text(alphabet="abc", max_size=9))
def test_alignment_count_and_msd_equal_full_table(p: str, t: str) -> None:
    paths = optimal_paths(p, t)
    table = plain_levenshtein(p, t)
    assert paths.msd == table[len(p)][len(t)]
    assert paths.count == len(all_alignments(p, t))
    # every optimal cell found, and no other: D[i][j] + D'[i][j] == MSD on the full tables
    rev = plain_levenshtein(p[::-1], t[::-1])
    expected = {
        (i, j)
        for i, j in itertools.product(range(len(p) + 1), range(len(t) + 1))
        if table[i][j] + rev[len(p) - i][len(t) - j] == paths.msd
    }
    assert set(paths.cells()) == expected
    for i, j in paths.cells():
        assert paths.dist((i, j)) == table[i][j]
        # forward and backward counts multiply to the paths through the cell
        through = sum(1 for a, _ in all_alignments(p[:i], t[:j])) * sum(1 for a, _ in all_alignments(p[i:], t[j:]))
        assert paths.fwd((i, j)) * paths.bwd((i, j)) == through


@settings(max_examples=100, deadline=None)
@given(typing_session())
def test_tally_invariants(case: tuple[str, list[str]]) -> None:
    p, stream = case
    stream = without_noop_backspaces(stream)
    t = replay_text(stream)
    ce = char_errors(p, t, stream)
    u, c = ce.uncorrected, ce.corrected
    msd = plain_levenshtein(p, t)[len(p)][len(t)]
    erased = sum(1 for e in stream if e != BS) - len(t)
    # every optimal alignment has exactly MSD errors and one class per transcribed character
    assert u.insertions + u.omissions + u.substitutions == pytest.approx(msd)
    assert u.insertions + u.substitutions + u.no_errors == pytest.approx(len(t))
    # every erased character gets one of insertion / substitution / no-error (IF)
    assert c.insertions + c.substitutions + c.no_errors == pytest.approx(erased)
    # keystrokes aimed at characters of P: every class but insertions
    aimed = u.no_errors + u.substitutions + u.omissions + c.no_errors + c.substitutions + c.omissions
    assert sum(ce.attempts.values()) == pytest.approx(aimed)
    assert set(ce.attempts) <= set(p)


def test_many_independent_ambiguities_do_not_enumerate() -> None:
    # 200 independent spots each with 2 optimal alignments ("aa" typed as "a"): 2**200 alignments,
    # far beyond 64 bits; the counts stay exact Python integers and the tallies exact.
    p = "aab " * 200
    t = "ab " * 200
    ce = char_errors(p, t, list(t))
    assert ce.alignments == 2**200
    assert ce.uncorrected.omissions == pytest.approx(200)
    assert ce.uncorrected.no_errors == pytest.approx(600)
    assert ce.confusion == {("a", ""): pytest.approx(200)}


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abc", max_size=14), st.text(alphabet="abc", max_size=14))
def test_vectorised_furthest_rows_equal_the_loop(p: str, t: str) -> None:
    from rapidfuzz.distance import Levenshtein

    from typingtest.engine.alignment import _furthest_rows, _furthest_rows_np

    d = Levenshtein.distance(p, t)
    assert (_furthest_rows(p, t, d) == _furthest_rows_np(p, t, d)).all()


def test_large_msd_uses_the_vectorised_table_and_matches_counts() -> None:
    # 160 scattered substitutions (MSD 160, over the vectorisation threshold): each "x" for a
    # different letter is one substitution with a single alignment.
    from typingtest.engine.alignment import _VECTOR_FROM

    p = "abcdefghij" * 160
    t = "".join("x" if k % 10 == 3 else ch for k, ch in enumerate(p))
    assert _VECTOR_FROM <= 160
    ce = char_errors(p, t, list(t))
    assert ce.alignments == 1
    assert as_dict(ce.uncorrected) == {"ins": 0, "omi": 0, "sub": 160, "ok": 1440}


def test_limits_give_a_reason_in_bounded_time() -> None:
    from typingtest.engine import analyze
    from typingtest.engine.alignment import MAX_MSD, AlignmentTooLarge

    with pytest.raises(AlignmentTooLarge, match="too many errors"):
        char_errors("a" * (MAX_MSD + 5), "", [])
    # a passage barely begun: the other figures hold, character level is null with a reason
    a = analyze("word " * 200, "wo")
    assert a.msd == 998 and a.char_errors is None
    assert a.char_errors_note is not None and "too many errors" in a.char_errors_note
    # a very ambiguous pair (a long run of one letter, 300 omitted)
    b = analyze("a" * 1000, "a" * 700)
    assert b.char_errors is None and "too ambiguous" in (b.char_errors_note or "")
