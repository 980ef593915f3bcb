"""Scoring corpora of real keystroke logs, vectorised over sentences (no file I/O here).

A corpus is many short trials ("sentences"): a presented text P, the submitted text T and
the key presses made while typing it, one row per press in press order. ``KeyPresses``
holds a whole batch of sentences as flat numpy arrays; ``score_sentences`` turns it into one
row of figures per sentence and ``score_participants`` pools those per participant.

Definitions (as the design's metric definitions, applied to one sentence):

- ``seconds``: first to last key press of the sentence (s);
- ``wpm`` = (|T| - 1) / seconds x 60 / 5; ``kspc`` = key presses (every row, modifiers
  included) / |T|; ``iki_mean_ms``: mean interval between consecutive presses (ms);
- ``msd`` = Levenshtein(P, T) (RapidFuzz); ``msd_error_rate`` = msd / max(|P|, |T|): this
  is the figure the 136M Keystrokes study calls its "uncorrected error rate";
- ``inf`` = msd, ``c`` = max(|P|, |T|) - inf, ``if`` = characters typed and later removed
  (counted by the replay, not by formula), ``f`` = editing key presses (backspace, delete,
  arrows, home, end, clipboard/undo chords); ``uncorrected_error_rate`` = inf / (c + inf +
  if), ``corrected_error_rate`` = if / (...), ``total_error_rate`` = (inf + if) / (...);
- ``replays_exactly``: replaying the key presses in an editor gives T.

The replay of a sentence that only types characters and backspaces (nearly all of them) is
computed for all sentences at once with running minima over the stack depth; a sentence
with cursor keys, delete, selections or shortcuts goes through a small per-key editor in
Python (a few percent of sentences). Undefined figures (|T| <= 1, no elapsed time) are NaN.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import cpdist

from typingtest.engine import metrics
from typingtest.engine.textbuffer import word_left, word_right

__all__ = [
    "EDIT_KEYS",
    "KEY_ALT",
    "KEY_BACKSPACE",
    "KEY_CAPS_LOCK",
    "KEY_CTRL",
    "KEY_DELETE",
    "KEY_DOWN",
    "KEY_END",
    "KEY_ENTER",
    "KEY_HOME",
    "KEY_LEFT",
    "KEY_META",
    "KEY_OTHER",
    "KEY_RIGHT",
    "KEY_SHIFT",
    "KEY_TAB",
    "KEY_UNKNOWN",
    "KEY_UP",
    "MOD_ALT",
    "MOD_CTRL",
    "MOD_META",
    "MOD_SHIFT",
    "PARTICIPANT_COLUMNS",
    "SENTENCE_COLUMNS",
    "KeyPresses",
    "held_modifiers",
    "replay_keys",
    "score_participants",
    "score_sentences",
    "sentence_index",
]

# Key codes: a typed character is its code point (>= 0); named keys are negative.
KEY_BACKSPACE = -1
KEY_DELETE = -2
KEY_LEFT = -3
KEY_RIGHT = -4
KEY_UP = -5  # in a one-line field: to the start, like HOME
KEY_DOWN = -6  # ... to the end, like END
KEY_HOME = -7
KEY_END = -8
KEY_SHIFT = -20
KEY_CTRL = -21
KEY_ALT = -22
KEY_META = -23  # Windows / Command key
KEY_CAPS_LOCK = -24
KEY_ENTER = -30
KEY_TAB = -31
KEY_OTHER = -40  # a key with no effect on the text: Esc, F1..F12, Insert, Num Lock, ...
KEY_UNKNOWN = -50  # a press whose key the log does not say (IME code 229, unknown names)

#: Keys that edit or move in the text: F counts their presses (codes -1..-8, contiguous).
EDIT_KEYS = (KEY_BACKSPACE, KEY_DELETE, KEY_LEFT, KEY_RIGHT, KEY_UP, KEY_DOWN, KEY_HOME, KEY_END)
_CURSOR_KEYS = (KEY_LEFT, KEY_RIGHT, KEY_UP, KEY_DOWN, KEY_HOME, KEY_END)

# Modifier bits of ``KeyPresses.mods``: which modifiers were held when the key went down.
MOD_SHIFT = 1
MOD_CTRL = 2
MOD_ALT = 4
MOD_META = 8
_MODIFIER_BITS = ((KEY_SHIFT, MOD_SHIFT), (KEY_CTRL, MOD_CTRL), (KEY_ALT, MOD_ALT), (KEY_META, MOD_META))

#: Columns of ``score_sentences``'s frame, in order.
SENTENCE_COLUMNS = (
    "participant_id",
    "sentence_id",
    "presented_chars",
    "transcribed_chars",
    "keystrokes",
    "seconds",
    "wpm",
    "msd",
    "msd_error_rate",
    "uncorrected_error_rate",
    "corrected_error_rate",
    "total_error_rate",
    "c",
    "inf",
    "if",
    "f",
    "kspc",
    "iki_mean_ms",
    "iki_sd_ms",
    "hold_mean_ms",
    "rollover_ratio",
    "study_seconds",
    "study_chars",
    "study_wpm",
    "replays_exactly",
    "used_cursor",
)

#: Columns of ``score_participants``'s frame, in order.
PARTICIPANT_COLUMNS = (
    "participant_id",
    "sentences",
    "sentences_replaying_exactly",
    "presented_chars",
    "transcribed_chars",
    "keystrokes",
    "seconds",
    "wpm",
    "msd",
    "msd_error_rate",
    "uncorrected_error_rate",
    "corrected_error_rate",
    "total_error_rate",
    "c",
    "inf",
    "if",
    "f",
    "kspc",
    "iki_mean_ms",
    "study_wpm",
)


@dataclass(frozen=True)
class KeyPresses:
    """A batch of sentences' key presses as flat arrays, one row per press.

    Rows of sentence ``k`` are ``starts[k]:starts[k + 1]`` (the last runs to the end), in
    press order. Per row: ``key`` (int32; a typed character's code point, or a negative
    ``KEY_*``), ``press_ms`` and ``release_ms`` (float64, milliseconds on any clock) and
    ``mods`` (uint8 ``MOD_*`` bits held at the press; ``None``: derived from the modifier
    rows with ``held_modifiers``). Per sentence: ``participant_id``, ``sentence_id``
    (int64), ``presented`` (P) and ``transcribed`` (T, as submitted).
    """

    key: np.ndarray
    press_ms: np.ndarray
    release_ms: np.ndarray
    starts: np.ndarray
    participant_id: np.ndarray
    sentence_id: np.ndarray
    presented: Sequence[str]
    transcribed: Sequence[str]
    mods: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = len(self.key)
        k = len(self.starts)
        if not (len(self.press_ms) == len(self.release_ms) == n):
            raise ValueError("key, press_ms and release_ms must have one value per key press")
        if self.mods is not None and len(self.mods) != n:
            raise ValueError("mods must have one value per key press")
        if not (len(self.participant_id) == len(self.sentence_id) == len(self.presented) == len(self.transcribed) == k):
            raise ValueError("participant_id, sentence_id, presented and transcribed need one value per sentence")
        if k and (self.starts[0] != 0 or np.any(np.diff(self.starts) <= 0) or self.starts[-1] >= n):
            raise ValueError("starts must begin at 0 and increase strictly: every sentence has at least one press")
        if n and not k:
            raise ValueError("key presses without sentences")

    @property
    def sentences(self) -> int:
        """Number of sentences."""
        return len(self.starts)

    @property
    def lengths(self) -> np.ndarray:
        """Key presses per sentence (int64)."""
        return np.diff(np.append(self.starts, len(self.key))).astype(np.int64)


def sentence_index(starts: np.ndarray, n_rows: int) -> np.ndarray:
    """Per row, the index of its sentence (int64), from the sentences' first rows."""
    lengths = np.diff(np.append(np.asarray(starts, dtype=np.int64), n_rows))
    return np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)


def held_modifiers(
    key: np.ndarray,
    press_ms: np.ndarray,
    release_ms: np.ndarray,
    starts: np.ndarray,
    *,
    shift_rows: np.ndarray | None = None,
    group: np.ndarray | None = None,
) -> np.ndarray:
    """Per press, the ``MOD_*`` bits of the modifier keys held down when it was pressed (uint8).

    A modifier counts as held for a later press of the same sentence when it was pressed
    before it (earlier row) and released at or after its press time. Vectorised: a running
    maximum of release times, offset per sentence so that sentences never mix, over the
    modifier presses and the presses asked about only. ``shift_rows`` (bool per row) limits
    the rows whose Shift state is wanted (Shift is everywhere; the others are rare); ``group``
    is ``sentence_index(starts, len(key))`` if the caller has it.
    """
    n = len(key)
    mods = np.zeros(n, dtype=np.uint8)
    if n == 0:
        return mods
    key = np.asarray(key)
    if group is None:
        group = sentence_index(starts, n)
    press_ms = np.asarray(press_ms, dtype=np.float64)
    release_ms = np.asarray(release_ms, dtype=np.float64)
    first = press_ms[np.asarray(starts, dtype=np.int64)]
    span = 1 << 31  # ms per sentence block (24 days): longer sentences are clipped
    for code, bit in _MODIFIER_BITS:
        is_mod = key == code
        mod_rows = np.flatnonzero(is_mod)
        if mod_rows.size == 0:
            continue
        has = np.zeros(len(first), dtype=bool)
        has[group[mod_rows]] = True
        wanted = has[group]
        if code == KEY_SHIFT and shift_rows is not None:
            wanted &= shift_rows
        rows = np.flatnonzero(wanted | is_mod)
        g = group[rows]
        block = g * span
        base = first[g]
        rel_press = np.clip(press_ms[rows] - base, 0, span - 1).astype(np.int64)
        rel_release = np.clip(release_ms[rows] - base, 0, span - 1).astype(np.int64)
        values = np.where(is_mod[rows], block + rel_release, -1)
        running = np.maximum.accumulate(values)
        before = np.empty_like(running)  # exclusive: modifiers pressed on earlier rows only
        before[0] = -1
        before[1:] = running[:-1]
        held = rows[before >= block + rel_press]
        mods[held] |= bit
    return mods


def _group_sums(values: np.ndarray, group: np.ndarray, k: int) -> np.ndarray:
    """Sum of ``values`` per sentence (float64)."""
    return np.bincount(group, weights=values, minlength=k)


def _nfc(texts: Sequence[str]) -> list[str]:
    """NFC-normalised copies of the texts (cheap when they already are)."""
    joined = "".join(texts)
    if joined.isascii() or unicodedata.is_normalized("NFC", joined):
        return list(texts)
    return [unicodedata.normalize("NFC", t) for t in texts]


def _codepoints(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """All texts' characters as one uint32 array, and each text's length (int64)."""
    lengths = np.array(list(map(len, texts)), dtype=np.int64)
    flat = np.frombuffer("".join(texts).encode("utf-32-le"), dtype="<u4")
    return flat, lengths


def _replay_fast(
    key: np.ndarray, group: np.ndarray, slow: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Replay characters and backspaces of the sentences not marked ``slow``, all at once.

    Returns (surviving characters' code points in order, their sentence index, characters
    removed per sentence). A character pushed at stack depth d survives when the depth never
    falls below d later in its sentence; backspace on an empty field does nothing (the
    depth is floored at 0: the running minimum of the unfloored sum).
    """
    rows = np.flatnonzero(key >= KEY_BACKSPACE)  # characters and backspaces
    if slow.any():
        rows = rows[~slow[group[rows]]]
    removed = np.zeros(k, dtype=np.int64)
    if rows.size == 0:
        return np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.int64), removed
    g = group[rows]
    codes = key[rows]
    char = codes >= 0
    step = char.astype(np.int64) * 2 - 1
    total = np.cumsum(step)
    # the running sum before each sentence's first selected row
    first = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    counts = np.diff(np.r_[first, rows.size])
    base = np.repeat(np.r_[0, total][first], counts)
    depth_raw = total - base
    span = 2 * int(np.max(np.abs(depth_raw))) + 4
    offset = g * span
    floor = np.minimum(np.minimum.accumulate(depth_raw - offset) + offset, 0)
    depth = depth_raw - floor
    later_min = np.minimum.accumulate((depth + offset)[::-1])[::-1] - offset
    survives = char & (later_min >= depth)
    kept_group = g[survives]
    removed = np.bincount(g[char], minlength=k) - np.bincount(kept_group, minlength=k)
    return codes[survives].astype(np.uint32), kept_group, removed


def replay_keys(keys: Sequence[int], mods: Sequence[int]) -> tuple[str, int, bool]:
    """Replay one sentence's key presses in a one-line text field.

    Returns (text, characters removed, known) where ``known`` is False when the result
    depends on something the log does not hold (a paste of text copied elsewhere, undo, a
    key the log does not name). Handles characters, backspace and delete (with Ctrl/Alt:
    by word), arrows, home/end (up/down act as home/end), Shift-selection, and the chords
    select-all, cut, copy and paste (Ctrl or Command).
    """
    text: list[str] = []
    caret = 0
    anchor: int | None = None  # selection anchor; the selection is anchor..caret
    clipboard: str | None = None
    removed = 0
    known = True

    def selection() -> tuple[int, int] | None:
        if anchor is None or anchor == caret:
            return None
        return (min(anchor, caret), max(anchor, caret))

    def cut_selection() -> bool:
        nonlocal caret, anchor, removed
        sel = selection()
        anchor = None
        if sel is None:
            return False
        a, b = sel
        removed += b - a
        del text[a:b]
        caret = a
        return True

    def insert(s: str) -> None:
        nonlocal caret
        cut_selection()
        text[caret:caret] = list(s)
        caret += len(s)

    for key, mod in zip(keys, mods, strict=True):
        if key >= 0 and anchor is None and caret == len(text) and not (mod & (MOD_CTRL | MOD_META)):
            text.append(chr(key))  # the common case: typing at the end
            caret += 1
            continue
        ctrl = bool(mod & (MOD_CTRL | MOD_META))
        alt = bool(mod & MOD_ALT)
        shift = bool(mod & MOD_SHIFT)
        if key >= 0:
            ch = chr(key)
            if ctrl and not alt:  # a shortcut, not a character (Ctrl+Alt is AltGr: a character)
                cmd = ch.lower()
                sel = selection()
                if cmd == "a":
                    anchor, caret = 0, len(text)
                elif cmd in ("c", "x") and sel is not None:
                    clipboard = "".join(text[sel[0] : sel[1]])
                    if cmd == "x":
                        cut_selection()
                elif cmd == "v":
                    if clipboard is None:
                        known = False
                    else:
                        insert(clipboard)
                elif cmd in ("z", "y"):
                    known = False
                continue
            insert(ch)
        elif key == KEY_BACKSPACE:
            if cut_selection():
                continue
            start = word_left(text, caret) if (ctrl or alt) else max(caret - 1, 0)
            removed += caret - start
            del text[start:caret]
            caret = start
        elif key == KEY_DELETE:
            if cut_selection():
                continue
            end = word_right(text, caret) if (ctrl or alt) else min(caret + 1, len(text))
            removed += end - caret
            del text[caret:end]
        elif key in _CURSOR_KEYS:
            sel = selection()
            if key in (KEY_LEFT, KEY_RIGHT):
                if sel is not None and not shift and not (ctrl or alt):
                    caret = sel[0] if key == KEY_LEFT else sel[1]
                    anchor = None
                    continue
                if key == KEY_LEFT:
                    target = word_left(text, caret) if (ctrl or alt) else max(caret - 1, 0)
                else:
                    target = word_right(text, caret) if (ctrl or alt) else min(caret + 1, len(text))
            else:
                target = 0 if key in (KEY_UP, KEY_HOME) else len(text)
            if shift:
                if anchor is None:
                    anchor = caret
            else:
                anchor = None
            caret = target
        elif key == KEY_UNKNOWN:
            known = False
        # modifiers, Enter, Tab and other keys leave the text as it is
    return "".join(text), removed, known


def score_sentences(presses: KeyPresses) -> pd.DataFrame:
    """One row of figures per sentence (columns ``SENTENCE_COLUMNS``; NaN = undefined)."""
    k = presses.sentences
    n = len(presses.key)
    if k == 0:
        return pd.DataFrame({name: pd.Series(dtype="float64") for name in SENTENCE_COLUMNS})
    key = np.asarray(presses.key, dtype=np.int32)
    press = np.asarray(presses.press_ms, dtype=np.float64)
    release = np.asarray(presses.release_ms, dtype=np.float64)
    starts = np.asarray(presses.starts, dtype=np.int64)
    ends = np.append(starts[1:], n) - 1  # last row of each sentence
    lengths = ends - starts + 1
    group = np.repeat(np.arange(k, dtype=np.int64), lengths)
    if presses.mods is None:
        is_cursor = (key <= KEY_LEFT) & (key >= KEY_END)  # Shift matters for Shift+arrow only
        mods = held_modifiers(key, press, release, starts, shift_rows=is_cursor, group=group)
    else:
        mods = np.asarray(presses.mods)

    presented = _nfc(presses.presented)
    transcribed = _nfc(presses.transcribed)
    t_flat, t_len = _codepoints(transcribed)
    p_len = np.array(list(map(len, presented)), dtype=np.int64)

    # --- timing
    seconds = (press[ends] - press[starts]) / 1000.0
    study_seconds = (np.maximum.reduceat(release, starts) - press[starts]) / 1000.0
    same = group[1:] == group[:-1]  # consecutive presses of one sentence
    intervals = np.diff(press)
    intervals_in = np.where(same, intervals, 0.0)
    n_intervals = lengths - 1
    iki_mean = metrics.ratio(seconds * 1000.0, n_intervals)
    sq = _group_sums(intervals_in * intervals_in, group[1:], k)
    iki_var = metrics.ratio(sq - n_intervals * np.nan_to_num(iki_mean) ** 2,
                            np.where(n_intervals >= 2, n_intervals - 1, 0))
    iki_sd = np.sqrt(np.clip(iki_var, 0, None))
    hold_mean = _group_sums(release - press, group, k) / lengths
    rollover = _group_sums((same & (press[1:] < release[:-1])).astype(np.float64), group[1:], k)
    rollover_ratio = metrics.ratio(rollover, n_intervals)

    # --- key classes (the rare ones found through sparse row lists)
    modded = np.flatnonzero(mods & (MOD_CTRL | MOD_META | MOD_ALT))
    k_mod, m_mod = key[modded], mods[modded]
    ctrl_like = (m_mod & (MOD_CTRL | MOD_META)) != 0
    chord_rows = modded[(k_mod >= 0) & ctrl_like & ((m_mod & MOD_ALT) == 0)]  # Ctrl+A, Ctrl+V: shortcuts
    word_bksp_rows = modded[k_mod == KEY_BACKSPACE]  # Ctrl/Alt+Backspace: a word
    named = np.flatnonzero(key < 0)
    k_named = key[named]
    edit_rows = named[(k_named <= KEY_BACKSPACE) & (k_named >= KEY_END)]
    cursor_rows = named[(k_named <= KEY_LEFT) & (k_named >= KEY_END)]
    other_slow = named[(k_named == KEY_DELETE) | (k_named == KEY_UNKNOWN)]
    slow = np.zeros(k, dtype=bool)
    for rows_of in (chord_rows, word_bksp_rows, cursor_rows, other_slow):
        slow[group[rows_of]] = True
    used_cursor = np.zeros(k, dtype=bool)
    used_cursor[group[cursor_rows]] = True
    f = np.bincount(group[edit_rows], minlength=k) + np.bincount(group[chord_rows], minlength=k)

    # --- replay: vectorised for characters and backspaces, per key for the rest
    surv_codes, surv_group, removed = _replay_fast(key, group, slow, k)
    kept = np.bincount(surv_group, minlength=k)
    replays = np.zeros(k, dtype=bool)
    fast = ~slow
    same_len = fast & (kept == t_len)
    # compare the surviving characters with T, position by position, where the lengths agree
    t_group = np.repeat(np.arange(k, dtype=np.int64), t_len)
    t_sel = t_flat[same_len[t_group]]
    s_sel_mask = same_len[surv_group]
    mismatched = np.bincount(
        surv_group[s_sel_mask], weights=surv_codes[s_sel_mask] != t_sel, minlength=k
    )
    replays[same_len] = mismatched[same_len] == 0
    for s in np.flatnonzero(slow):
        rows = slice(starts[s], ends[s] + 1)
        text, gone, known = replay_keys(key[rows].tolist(), mods[rows].tolist())
        removed[s] = gone
        replays[s] = known and unicodedata.normalize("NFC", text) == transcribed[s]

    # --- errors
    msd = cpdist(presented, transcribed, scorer=Levenshtein.distance, workers=1, dtype=np.int64)
    longest = np.maximum(p_len, t_len)
    classes = metrics.KeystrokeClasses.from_counts(longest, msd, removed, f)
    unc, cor, tot = metrics.error_rates(classes)
    study_length = t_len - 1 + (key[starts] < 0)

    frame = pd.DataFrame(
        {
            "participant_id": np.asarray(presses.participant_id, dtype=np.int64),
            "sentence_id": np.asarray(presses.sentence_id, dtype=np.int64),
            "presented_chars": p_len,
            "transcribed_chars": t_len,
            "keystrokes": lengths,
            "seconds": seconds,
            "wpm": metrics.wpm(t_len, seconds),
            "msd": msd,
            "msd_error_rate": metrics.ratio(msd, longest),
            "uncorrected_error_rate": unc,
            "corrected_error_rate": cor,
            "total_error_rate": tot,
            "c": classes.c,
            "inf": classes.inf,
            "if": classes.if_,
            "f": classes.f,
            "kspc": metrics.kspc(lengths, t_len),
            "iki_mean_ms": iki_mean,
            "iki_sd_ms": iki_sd,
            "hold_mean_ms": hold_mean,
            "rollover_ratio": rollover_ratio,
            "study_seconds": study_seconds,
            "study_chars": study_length,
            "study_wpm": np.where(study_length > 0, metrics.words_per_minute(study_length, study_seconds), np.nan),
            "replays_exactly": replays,
            "used_cursor": used_cursor,
        },
        columns=list(SENTENCE_COLUMNS),
    )
    return frame


def score_participants(sentences: pd.DataFrame) -> pd.DataFrame:
    """Pool a sentence frame per participant (columns ``PARTICIPANT_COLUMNS``).

    Times and lengths are summed for ``wpm`` (sum of |T| - 1 over the sum of seconds) and
    every rate is the sum of its numerators over the sum of its denominators.
    """
    if sentences.empty:
        return pd.DataFrame({name: pd.Series(dtype="float64") for name in PARTICIPANT_COLUMNS})
    s = sentences
    longest = np.maximum(s["presented_chars"], s["transcribed_chars"])
    study_length = s["study_chars"].clip(lower=0)
    work = pd.DataFrame(
        {
            "participant_id": s["participant_id"],
            "sentences": 1,
            "sentences_replaying_exactly": s["replays_exactly"].astype(np.int64),
            "presented_chars": s["presented_chars"],
            "transcribed_chars": s["transcribed_chars"],
            "keystrokes": s["keystrokes"],
            "seconds": s["seconds"],
            "wpm_chars": (s["transcribed_chars"] - 1).clip(lower=0),
            "msd": s["msd"],
            "longest": longest,
            "c": s["c"],
            "inf": s["inf"],
            "if": s["if"],
            "f": s["f"],
            "intervals": s["keystrokes"] - 1,
            "interval_ms": s["seconds"] * 1000.0,
            "study_length": study_length,
            "study_seconds": s["study_seconds"].where(study_length > 0, 0.0),
        }
    )
    sums = work.groupby("participant_id", sort=False).sum()
    out = pd.DataFrame(index=sums.index)
    out["sentences"] = sums["sentences"]
    out["sentences_replaying_exactly"] = sums["sentences_replaying_exactly"]
    for name in ("presented_chars", "transcribed_chars", "keystrokes", "seconds"):
        out[name] = sums[name]
    out["wpm"] = metrics.words_per_minute(sums["wpm_chars"], sums["seconds"])
    out["msd"] = sums["msd"]
    out["msd_error_rate"] = metrics.ratio(sums["msd"], sums["longest"])
    classes = metrics.KeystrokeClasses(c=sums["c"], inf=sums["inf"], if_=sums["if"], f=sums["f"])
    out["uncorrected_error_rate"], out["corrected_error_rate"], out["total_error_rate"] = metrics.error_rates(classes)
    for name in ("c", "inf", "if", "f"):
        out[name] = sums[name]
    out["kspc"] = metrics.kspc(sums["keystrokes"], sums["transcribed_chars"])
    out["iki_mean_ms"] = metrics.ratio(sums["interval_ms"], sums["intervals"])
    out["study_wpm"] = metrics.words_per_minute(sums["study_length"], sums["study_seconds"])
    return out.reset_index()[list(PARTICIPANT_COLUMNS)]
