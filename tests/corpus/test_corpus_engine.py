"""Vectorised corpus scoring (typingtest.engine.corpus) against hand counts and a slow reference.

The reference below is a plain per-sentence, per-key Python loop written from the
definitions in the design (and docs/corpus.md); the hypothesis tests check that the
vectorised code gives the same figures on random sentences.
"""

from __future__ import annotations

import math
import unicodedata

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from typingtest.engine import corpus as K
from typingtest.engine.replay import replay_entries

NAMES = {
    "<": K.KEY_BACKSPACE,
    "SHIFT": K.KEY_SHIFT,
    "CTRL": K.KEY_CTRL,
    "ALT": K.KEY_ALT,
    "CAPS": K.KEY_CAPS_LOCK,
    "LEFT": K.KEY_LEFT,
    "RIGHT": K.KEY_RIGHT,
    "HOME": K.KEY_HOME,
    "END": K.KEY_END,
    "DEL": K.KEY_DELETE,
    "ESC": K.KEY_OTHER,
    "?UNKNOWN": K.KEY_UNKNOWN,
}


def code(token: str | int) -> int:
    if isinstance(token, int):
        return token
    return NAMES[token] if token in NAMES else ord(token)


def presses(sentences: list[dict]) -> K.KeyPresses:
    """KeyPresses from dicts: P, T, keys (tokens), press (ms), optional release, pid, sid, mods."""
    keys, press, release, mods, starts = [], [], [], [], []
    for s in sentences:
        starts.append(len(keys))
        keys += [code(t) for t in s["keys"]]
        press += list(s["press"])
        release += list(s.get("release", [p + 80 for p in s["press"]]))
        mods += list(s.get("mods", [0] * len(s["keys"])))
    return K.KeyPresses(
        key=np.array(keys, dtype=np.int32),
        press_ms=np.array(press, dtype=float),
        release_ms=np.array(release, dtype=float),
        starts=np.array(starts, dtype=np.int64),
        participant_id=np.array([s.get("pid", 1) for s in sentences], dtype=np.int64),
        sentence_id=np.array([s.get("sid", i) for i, s in enumerate(sentences)], dtype=np.int64),
        presented=[s["P"] for s in sentences],
        transcribed=[s["T"] for s in sentences],
        mods=np.array(mods, dtype=np.uint8) if any("mods" in s for s in sentences) else None,
    )


def one(**sentence) -> pd.Series:
    return K.score_sentences(presses([sentence])).iloc[0]


# ---------------------------------------------------------------- the slow reference


def levenshtein(a: str, b: str) -> int:
    """Textbook dynamic programme, unit costs."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def reference_sentence(P: str, T: str, keys: list[int], press: list[float], release: list[float]) -> dict:
    """Every figure of one sentence of characters, backspaces and modifiers, key by key."""
    n = len(keys)
    mods = []
    for i in range(n):  # a modifier pressed on an earlier row and not yet released
        m = 0
        for j in range(i):
            if release[j] >= press[i]:
                m |= {K.KEY_SHIFT: 1, K.KEY_CTRL: 2, K.KEY_ALT: 4, K.KEY_META: 8}.get(keys[j], 0)
        mods.append(m)
    field: list[str] = []
    removed = f = 0
    for k in keys:
        if k >= 0:
            field.append(chr(k))
        elif k == K.KEY_BACKSPACE:
            f += 1
            if field:
                field.pop()
                removed += 1
    text = "".join(field)
    msd = levenshtein(P, T)
    longest = max(len(P), len(T))
    seconds = (press[-1] - press[0]) / 1000
    ivals = [press[i + 1] - press[i] for i in range(n - 1)]
    denominator = longest + removed  # C + INF + IF
    nan = math.nan
    return {
        "mods": mods,
        "presented_chars": len(P),
        "transcribed_chars": len(T),
        "keystrokes": n,
        "seconds": seconds,
        "wpm": (len(T) - 1) / seconds * 60 / 5 if len(T) > 1 and seconds > 0 else nan,
        "msd": msd,
        "msd_error_rate": msd / longest if longest else nan,
        "uncorrected_error_rate": msd / denominator if denominator else nan,
        "corrected_error_rate": removed / denominator if denominator else nan,
        "total_error_rate": (msd + removed) / denominator if denominator else nan,
        "c": longest - msd,
        "inf": msd,
        "if": removed,
        "f": f,
        "kspc": n / len(T) if T else nan,
        "iki_mean_ms": sum(ivals) / len(ivals) if ivals else nan,
        "iki_sd_ms": float(np.std(ivals, ddof=1)) if len(ivals) >= 2 else nan,
        "hold_mean_ms": sum(r - p for p, r in zip(press, release, strict=True)) / n,
        "rollover_ratio": sum(press[i + 1] < release[i] for i in range(n - 1)) / (n - 1) if n > 1 else nan,
        "replays_exactly": text == T,
        "used_cursor": False,
    }


ALPHABET = "ab "
typed_keys = st.lists(
    st.sampled_from([ord(c) for c in ALPHABET] + [K.KEY_BACKSPACE, K.KEY_BACKSPACE, K.KEY_SHIFT, K.KEY_OTHER]),
    min_size=1,
    max_size=25,
)


@st.composite
def sentence(draw) -> dict:
    keys = draw(typed_keys)
    gaps = draw(st.lists(st.integers(0, 400), min_size=len(keys), max_size=len(keys)))
    holds = draw(st.lists(st.integers(0, 300), min_size=len(keys), max_size=len(keys)))
    press = list(np.cumsum(gaps) + 1_000_000.0)
    release = [p + h for p, h in zip(press, holds, strict=True)]
    # T: often what the keys replay to, sometimes something else (a lost key press, a typo)
    field: list[str] = []
    for k in keys:
        if k >= 0:
            field.append(chr(k))
        elif k == K.KEY_BACKSPACE and field:
            field.pop()
    replayed = "".join(field)
    T = draw(st.one_of(st.just(replayed), st.text(ALPHABET, max_size=8)))
    P = draw(st.one_of(st.just(replayed), st.text(ALPHABET, max_size=8)))
    return {"P": P, "T": T, "keys": keys, "press": press, "release": release}


@settings(max_examples=150, deadline=None)
@given(st.lists(sentence(), min_size=1, max_size=6))
def test_vectorised_figures_equal_the_per_key_reference(sentences: list[dict]) -> None:
    kp = K.KeyPresses(
        key=np.array([k for s in sentences for k in s["keys"]], dtype=np.int32),
        press_ms=np.array([p for s in sentences for p in s["press"]]),
        release_ms=np.array([r for s in sentences for r in s["release"]]),
        starts=np.cumsum([0] + [len(s["keys"]) for s in sentences[:-1]]).astype(np.int64),
        participant_id=np.zeros(len(sentences), dtype=np.int64),
        sentence_id=np.arange(len(sentences), dtype=np.int64),
        presented=[s["P"] for s in sentences],
        transcribed=[s["T"] for s in sentences],
    )
    frame = K.score_sentences(kp)
    mods = K.held_modifiers(kp.key, kp.press_ms, kp.release_ms, kp.starts)
    offset = 0
    for i, s in enumerate(sentences):
        ref = reference_sentence(s["P"], s["T"], s["keys"], s["press"], s["release"])
        assert list(mods[offset : offset + len(s["keys"])]) == ref.pop("mods")
        offset += len(s["keys"])
        row = frame.iloc[i]
        for name, expected in ref.items():
            got = row[name]
            if isinstance(expected, float) and math.isnan(expected):
                assert math.isnan(got), (i, name, got)
            else:
                assert got == pytest.approx(expected, rel=1e-9, abs=1e-9), (i, name, got, expected)


# ---------------------------------------------------------------- hand-counted cases


def test_design_worked_example_with_one_corrected_and_two_uncorrected_errors() -> None:
    """docs/engine.md, "Worked examples": P "the quick brown", IS "th quix<ck brpown", T "th quick brpown":
    INF 2, C 13, IF 1, F 1, MSD error rate 2/15, uncorrected 2/16, corrected 1/16, total 3/16."""
    stream = "th quix<ck brpown"
    row = one(P="the quick brown", T="th quick brpown", keys=list(stream), press=[100 * i for i in range(len(stream))])
    assert (row["inf"], row["c"], row["if"], row["f"]) == (2, 13, 1, 1)
    assert row["msd_error_rate"] == pytest.approx(2 / 15)
    assert row["uncorrected_error_rate"] == pytest.approx(0.125)
    assert row["corrected_error_rate"] == pytest.approx(0.0625)
    assert row["total_error_rate"] == pytest.approx(0.1875)
    assert bool(row["replays_exactly"])
    # 17 presses over 1.6 s; T has 15 characters: (15 - 1) / 1.6 s * 12 = 105 WPM
    assert row["seconds"] == pytest.approx(1.6)
    assert row["wpm"] == pytest.approx(105.0)
    assert row["kspc"] == pytest.approx(17 / 15)
    assert row["iki_mean_ms"] == pytest.approx(100.0)


def test_shift_counts_as_a_key_press_but_not_as_input() -> None:
    """Hand count: SHIFT H i = 3 presses for T "Hi" (KSPC 1.5), F 0, nothing removed."""
    row = one(P="Hi", T="Hi", keys=["SHIFT", "H", "i"], press=[0, 50, 250], release=[120, 110, 300])
    assert row["keystrokes"] == 3
    assert row["kspc"] == pytest.approx(1.5)
    assert (row["f"], row["if"], row["msd"]) == (0, 0, 0)
    assert row["seconds"] == pytest.approx(0.25)
    assert row["wpm"] == pytest.approx(1 / 0.25 * 12)
    # the study's WPM: last release 300 ms - first press 0, length |T| (first key is a name) = 2
    assert row["study_seconds"] == pytest.approx(0.3)
    assert row["study_chars"] == 2
    assert row["study_wpm"] == pytest.approx(2 / 0.3 * 12)
    # rollover: H pressed at 50 before SHIFT's release at 120; i at 250 after H's at 110
    assert row["rollover_ratio"] == pytest.approx(0.5)
    assert row["hold_mean_ms"] == pytest.approx((120 + 60 + 50) / 3)


def test_backspace_on_an_empty_field_removes_nothing() -> None:
    """Hand count: < < a b < c -> "ac": F 3 (every backspace press), IF 1 (only the b)."""
    row = one(P="ac", T="ac", keys=["<", "<", "a", "b", "<", "c"], press=[0, 1, 2, 3, 4, 5])
    assert (row["f"], row["if"]) == (3, 1)
    assert bool(row["replays_exactly"])


def test_a_lost_key_press_shows_as_not_replaying_exactly() -> None:
    """The study's logs miss some presses: the keys give "compted", T says "completed"."""
    keys = list("compted")
    row = one(P="completed", T="completed", keys=keys, press=range(len(keys)))
    assert not bool(row["replays_exactly"])
    assert row["msd"] == 0  # P against T: the figures the study reports still hold


@pytest.mark.parametrize(
    ("P", "T", "msd"),
    [
        ("abc", "abcde", 2),  # T longer than P: two insertions
        ("abcde", "abc", 2),  # P longer than T: two omissions
        ("golfers", "gofpiers", 3),  # docs/engine.md: MSD("golfers", "gofpiers") = 3
        ("", "ab", 2),
    ],
)
def test_msd_and_rates_with_p_longer_or_shorter_than_t(P: str, T: str, msd: int) -> None:
    row = one(P=P, T=T, keys=list(T) or ["ESC"], press=range(max(len(T), 1)))
    longest = max(len(P), len(T))
    assert row["msd"] == msd
    assert row["msd_error_rate"] == pytest.approx(msd / longest)
    assert row["c"] == longest - msd
    assert row["uncorrected_error_rate"] == pytest.approx(msd / longest)  # IF = 0


def test_undefined_figures_are_nan() -> None:
    """|T| = 1: no WPM (needs |T| - 1 > 0); empty T: no KSPC; one press: no interval, no time."""
    row = one(P="a", T="a", keys=["a"], press=[0])
    assert math.isnan(row["wpm"]) and math.isnan(row["iki_mean_ms"]) and math.isnan(row["rollover_ratio"])
    assert row["seconds"] == 0
    row = one(P="ab", T="", keys=["a", "<"], press=[0, 100])
    assert math.isnan(row["kspc"]) and math.isnan(row["wpm"])
    assert row["msd_error_rate"] == 1.0


def test_no_sentences_give_an_empty_frame_with_every_column() -> None:
    empty = K.KeyPresses(
        key=np.zeros(0, dtype=np.int32),
        press_ms=np.zeros(0),
        release_ms=np.zeros(0),
        starts=np.zeros(0, dtype=np.int64),
        participant_id=np.zeros(0, dtype=np.int64),
        sentence_id=np.zeros(0, dtype=np.int64),
        presented=[],
        transcribed=[],
    )
    frame = K.score_sentences(empty)
    assert list(frame.columns) == list(K.SENTENCE_COLUMNS) and frame.empty
    assert list(K.score_participants(frame).columns) == list(K.PARTICIPANT_COLUMNS)


def test_nfc_and_nfd_texts_give_the_same_figures() -> None:
    """"é" typed as one key; P and T given decomposed (NFD) score like the composed (NFC) form."""
    nfc = "café au lait"
    nfd = unicodedata.normalize("NFD", nfc)
    assert len(nfd) == len(nfc) + 1
    a = one(P=nfc, T=nfc, keys=list(nfc), press=range(len(nfc)))
    b = one(P=nfd, T=nfd, keys=list(nfc), press=range(len(nfc)))
    pd.testing.assert_series_equal(a, b, check_names=False)
    assert bool(b["replays_exactly"]) and b["transcribed_chars"] == len(nfc)


def test_rows_must_describe_whole_sentences() -> None:
    """Sentence 1 would start past the last row: refused."""
    with pytest.raises(ValueError, match="starts"):
        K.KeyPresses(
            key=np.array([97, 98], dtype=np.int32),
            press_ms=np.zeros(2),
            release_ms=np.zeros(2),
            starts=np.array([0, 2]),
            participant_id=np.zeros(2, dtype=np.int64),
            sentence_id=np.zeros(2, dtype=np.int64),
            presented=["a", "b"],
            transcribed=["a", "b"],
        )


# ---------------------------------------------------------------- modifiers and the per-key editor


def test_modifier_held_only_within_its_own_sentence() -> None:
    """SHIFT held over 'A' (released at 150 >= 100) but not over 'b' (pressed at 200);
    a SHIFT still down at the end of one sentence does not reach into the next."""
    kp = presses(
        [
            {"P": "Ab", "T": "Ab", "keys": ["SHIFT", "A", "b", "SHIFT"], "press": [0, 100, 200, 300],
             "release": [150, 180, 260, 10_000]},
            {"P": "c", "T": "c", "keys": ["c"], "press": [400]},
        ]
    )
    mods = K.held_modifiers(kp.key, kp.press_ms, kp.release_ms, kp.starts)
    assert mods.tolist() == [0, K.MOD_SHIFT, 0, 0, 0]


def test_cursor_edit_goes_through_the_per_key_editor() -> None:
    """'helo' LEFT 'l' END '!' -> "hello!": F 2 (two cursor keys), used_cursor."""
    keys = ["h", "e", "l", "o", "LEFT", "l", "END", "!"]
    row = one(P="hello!", T="hello!", keys=keys, press=range(len(keys)))
    assert bool(row["replays_exactly"]) and bool(row["used_cursor"])
    assert (row["f"], row["if"]) == (2, 0)


@pytest.mark.parametrize(
    ("keys", "mods", "text", "removed", "known"),
    [
        # Ctrl+Backspace removes the word before the caret (and the space before it is kept)
        ("ab cd<", [0, 0, 0, 0, 0, K.MOD_CTRL], "ab ", 2, True),
        # Ctrl+A then typing replaces everything
        ("abcax", [0, 0, 0, K.MOD_CTRL, 0], "x", 3, True),
        # Ctrl+V of text copied outside the log: unknown
        ("abv", [0, 0, K.MOD_CTRL], "ab", 0, False),
        # Ctrl+Alt (AltGr) types a character
        ("a@", [0, K.MOD_CTRL | K.MOD_ALT], "a@", 0, True),
    ],
)
def test_replay_keys_hand_cases(keys: str, mods: list[int], text: str, removed: int, known: bool) -> None:
    codes = [K.KEY_BACKSPACE if c == "<" else ord(c) for c in keys]
    assert K.replay_keys(codes, mods) == (text, removed, known)


def test_shift_selection_cut_and_paste() -> None:
    """abcd, Shift+Left x2 selects "cd", Ctrl+X cuts it (2 removed), Home, Ctrl+V -> "cdab"."""
    codes = [ord(c) for c in "abcd"] + [K.KEY_LEFT, K.KEY_LEFT, ord("x"), K.KEY_HOME, ord("v")]
    mods = [0, 0, 0, 0, K.MOD_SHIFT, K.MOD_SHIFT, K.MOD_CTRL, 0, K.MOD_CTRL]
    assert K.replay_keys(codes, mods) == ("cdab", 2, True)


EDITOR_KEYS = [
    (ord("a"), 0, "a"),
    (ord("b"), 0, "b"),
    (ord(" "), 0, " "),
    (K.KEY_BACKSPACE, 0, "backspace"),
    (K.KEY_BACKSPACE, K.MOD_CTRL, "word-backspace"),
    (K.KEY_DELETE, 0, "delete"),
    (K.KEY_DELETE, K.MOD_CTRL, "word-delete"),
    (K.KEY_LEFT, 0, "left"),
    (K.KEY_RIGHT, 0, "right"),
    (K.KEY_LEFT, K.MOD_SHIFT, "select-left"),
    (K.KEY_RIGHT, K.MOD_SHIFT, "select-right"),
    (K.KEY_LEFT, K.MOD_CTRL, "word-left"),
    (K.KEY_RIGHT, K.MOD_CTRL, "word-right"),
    (K.KEY_HOME, 0, "home"),
    (K.KEY_END, 0, "end"),
    (K.KEY_HOME, K.MOD_SHIFT, "select-home"),
    (K.KEY_END, K.MOD_SHIFT, "select-end"),
    (ord("a"), K.MOD_CTRL, "select-all"),
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(EDITOR_KEYS), max_size=30))
def test_replay_keys_agrees_with_the_engine_editor(stream: list[tuple[int, int, str]]) -> None:
    """Independent check: the single-attempt engine's editor (typingtest.engine.replay, written
    by another hand) gives the same text and the same count of removed characters."""
    text, removed, known = K.replay_keys([k for k, _, _ in stream], [m for _, m, _ in stream])
    other = replay_entries([entry for _, _, entry in stream])
    assert known
    assert (text, removed) == (other.transcribed, other.removed)


# ---------------------------------------------------------------- per participant


def test_participants_pool_times_lengths_and_rates() -> None:
    """Two sentences of participant 7: WPM from summed |T| - 1 over summed seconds; each rate
    as summed numerators over summed denominators (hand count below)."""
    s1 = {"pid": 7, "P": "abcd", "T": "abxd", "keys": list("abxd"), "press": [0, 1000, 2000, 3000]}  # msd 1
    s2 = {"pid": 7, "P": "ef", "T": "ef", "keys": ["e", "x", "<", "f"], "press": [0, 500, 700, 1000]}  # IF 1
    s3 = {"pid": 8, "P": "g", "T": "g", "keys": ["g"], "press": [0]}
    frame = K.score_sentences(presses([s1, s2, s3]))
    part = K.score_participants(frame).set_index("participant_id")
    p7 = part.loc[7]
    # |T| - 1: 3 + 1 = 4 characters in 3 s + 1 s = 4 s -> 4 / 4 * 12 = 12 WPM
    assert p7["wpm"] == pytest.approx(12.0)
    # MSD 1 over max(|P|, |T|) 4 + 2 = 6
    assert p7["msd_error_rate"] == pytest.approx(1 / 6)
    # INF 1, IF 1, C (4 - 1) + 2 = 5: uncorrected 1/7, corrected 1/7, total 2/7
    assert p7["uncorrected_error_rate"] == pytest.approx(1 / 7)
    assert p7["corrected_error_rate"] == pytest.approx(1 / 7)
    assert p7["total_error_rate"] == pytest.approx(2 / 7)
    assert p7["kspc"] == pytest.approx(8 / 6)
    # intervals: 3 of 1000 ms and 3 summing to 1000 ms -> 4000 ms / 6
    assert p7["iki_mean_ms"] == pytest.approx(4000 / 6)
    assert (p7["sentences"], p7["sentences_replaying_exactly"]) == (2, 2)
    assert math.isnan(part.loc[8]["wpm"])  # one character, no time: undefined


CURSOR_STREAM_KEYS = [ord("a"), ord("b"), ord(" "), K.KEY_BACKSPACE, K.KEY_DELETE, K.KEY_LEFT, K.KEY_RIGHT,
                      K.KEY_HOME, K.KEY_END, K.KEY_SHIFT]
EDIT_OP = {K.KEY_BACKSPACE: "backspace", K.KEY_DELETE: "delete", K.KEY_LEFT: "left", K.KEY_RIGHT: "right",
           K.KEY_HOME: "home", K.KEY_END: "end"}


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(CURSOR_STREAM_KEYS), min_size=2, max_size=25), st.text("ab ", max_size=8))
def test_sentences_with_cursor_keys_score_as_the_single_attempt_engine(keys: list[int], presented: str) -> None:
    """Random streams with arrows, home/end, delete: F, IF, KSPC, the rates and the replayed text
    equal typingtest.engine.analyze on the same presses as an event log (KEY_DOWN rows, TEXT or
    EDIT rows; SHIFT released at once, so no selections)."""
    from typingtest.engine import analyze
    from typingtest.engine.events import EventKind, empty_log

    press = [100.0 * i for i in range(len(keys))]
    rows = []
    for k, t in zip(keys, press, strict=True):
        rows.append((t / 1000, EventKind.KEY_DOWN, k if k > 0 else 1000 - k, ""))
        if k >= 0:
            rows.append((t / 1000, EventKind.TEXT, 0, chr(k)))
        elif k in EDIT_OP:
            rows.append((t / 1000, EventKind.EDIT, 0, EDIT_OP[k]))
    log = empty_log(len(rows))
    for i, (t, kind, ident, text) in enumerate(rows):
        log[i]["t"], log[i]["kind"], log[i]["key"], log[i]["text"] = t, kind, ident, text
    theirs = analyze(presented, log, character_level=False).to_dict()
    row = one(P=presented, T=theirs["transcribed"], keys=["SHIFT" if k == K.KEY_SHIFT else k for k in keys],
              press=press, release=[p + 1 for p in press])
    assert bool(row["replays_exactly"])
    for name in ("msd", "c", "inf", "if", "f", "kspc", "msd_error_rate", "uncorrected_error_rate",
                 "corrected_error_rate", "total_error_rate", "seconds", "wpm", "iki_mean_ms"):
        mine, expected = row[name], theirs[name]
        if expected is None:
            assert math.isnan(mine), name
        else:
            assert mine == pytest.approx(expected, rel=1e-9, abs=1e-9), (name, mine, expected)
    assert bool(row["used_cursor"]) == any(k in (K.KEY_LEFT, K.KEY_RIGHT, K.KEY_HOME, K.KEY_END) for k in keys)
