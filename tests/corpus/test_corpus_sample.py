"""The shared sample of the 136M Keystrokes study, scored end to end.

The sample is 117 participants x 15 sentences (85,090 key presses) of the 168,000 the paper
(Dhakal et al., CHI 2018) reports on; its figures are in the sample's README.md. With 117
participants a sample mean differs from the population mean by about SD / sqrt(117) (one
standard error); the tests allow three standard errors, using the paper's SDs where it
gives them (WPM 20.20, error rate 1.43 %, IKI 111.60 ms) and the sample's own SD for KSPC
(the paper gives none). The definitions differ slightly from the study's (see each test
and docs/corpus.md), which is why the study's WPM is computed beside ours.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from typingtest.engine import corpus as K
from typingtest.engine.corpus_commands import score_corpus
from typingtest.engine.events import EventKind, empty_log
from typingtest.formats import aalto

PARTICIPANTS = 117
THREE_SE = 3 / math.sqrt(PARTICIPANTS)


@pytest.fixture
def scored(aalto_sample: Path):
    kp, report = aalto.read_files([aalto_sample])
    return kp, report, K.score_sentences(kp)


def test_sample_wide_means_are_near_the_papers_figures(aalto_sample: Path) -> None:
    participants, report = score_corpus([aalto_sample], per="participant")
    assert (report.files, report.sentences, report.rows) == (117, 1755, 85090)  # wc -l minus headers
    assert report.malformed_rows == 0
    assert len(participants) == PARTICIPANTS
    means = participants.mean(numeric_only=True)
    # WPM: paper 51.56 (SD 20.20). Ours times first to last press; the study's last release
    # minus first press and counts |T| when the first key is a name: both within 3 SE.
    assert means["wpm"] == pytest.approx(51.56, abs=20.20 * THREE_SE)
    assert means["study_wpm"] == pytest.approx(51.56, abs=20.20 * THREE_SE)
    # the study's "uncorrected error rate" is Levenshtein / max(|P|, |T|) pooled per participant,
    # which is our msd_error_rate: paper 1.167 % (SD 1.43)
    assert means["msd_error_rate"] == pytest.approx(0.01167, abs=0.0143 * THREE_SE)
    # KSPC = key presses / |T|: paper 1.173; SD from the sample itself
    assert means["kspc"] == pytest.approx(1.173, abs=participants["kspc"].std() * THREE_SE)
    # IKI: paper 238.66 ms (SD 111.60)
    assert means["iki_mean_ms"] == pytest.approx(238.66, abs=111.60 * THREE_SE)
    # our uncorrected error rate (INF / (C + INF + IF)) is below the study's (its denominator
    # adds the corrected characters), and every rate is a fraction in [0, 1]
    assert means["uncorrected_error_rate"] < means["msd_error_rate"]
    for name in ("msd_error_rate", "uncorrected_error_rate", "corrected_error_rate", "total_error_rate"):
        assert participants[name].between(0, 1).all()


def test_vectorised_replay_agrees_with_the_per_key_editor_on_every_sentence(scored) -> None:
    """The fast replay (running minima over all sentences) against the per-key editor."""
    kp, _, frame = scored
    ends = np.append(kp.starts[1:], len(kp.key))
    exact = []
    removed = []
    for s in range(kp.sentences):
        rows = slice(kp.starts[s], ends[s])
        text, gone, known = K.replay_keys(kp.key[rows].tolist(), kp.mods[rows].tolist())
        exact.append(known and text == kp.transcribed[s])
        removed.append(gone)
    assert frame["replays_exactly"].tolist() == exact
    assert frame["if"].tolist() == removed
    # most sentences replay exactly; the rest lost key presses in the study's logger or
    # used keys whose auto-repeat it did not log (docs/corpus.md)
    assert 0.6 < np.mean(exact) < 1.0


def _event_log(keys: np.ndarray, mods: np.ndarray, press_ms: np.ndarray, release_ms: np.ndarray) -> np.ndarray:
    """An EVENT_DTYPE log of one sentence: KEY_DOWN + TEXT/EDIT per press, KEY_UP per release."""
    ops = {
        K.KEY_BACKSPACE: "backspace",
        K.KEY_DELETE: "delete",
        K.KEY_LEFT: "left",
        K.KEY_RIGHT: "right",
        K.KEY_HOME: "home",
        K.KEY_END: "end",
        K.KEY_UP: "up",
        K.KEY_DOWN: "down",
    }
    rows = []
    t0 = press_ms[0]
    for k, m, p, r in zip(keys.tolist(), mods.tolist(), press_ms.tolist(), release_ms.tolist(), strict=True):
        t = (p - t0) / 1000.0
        ident = k if k > 0 else 100_000 - k
        rows.append((t, EventKind.KEY_DOWN, ident, ""))
        if k >= 0:
            rows.append((t, EventKind.TEXT, 0, chr(k)))
        elif k in ops:
            op = ops[k]
            if m & K.MOD_SHIFT and op in ("left", "right", "home", "end"):
                op = "select-" + op
            elif m & (K.MOD_CTRL | K.MOD_ALT) and op in ("backspace", "delete", "left", "right"):
                op = {"backspace": "word-backspace", "delete": "word-delete"}.get(op, "word-" + op)
            rows.append((t, EventKind.EDIT, 0, op))
        rows.append(((r - t0) / 1000.0, EventKind.KEY_UP, ident, ""))
    log = empty_log(len(rows))
    for i, (t, kind, ident, text) in enumerate(rows):
        log[i]["t"], log[i]["kind"], log[i]["key"], log[i]["text"] = t, kind, ident, text
    return log


def test_corpus_figures_equal_the_single_attempt_engine(scored) -> None:
    """For every 4th sentence that replays exactly (no shortcuts), typingtest.engine.analyze on
    the same key presses as an event log gives the same figures."""
    analyze = pytest.importorskip("typingtest.engine").analyze
    kp, _, frame = scored
    ends = np.append(kp.starts[1:], len(kp.key))
    chosen = [s for s in np.flatnonzero(frame["replays_exactly"].to_numpy())[::4]]
    assert len(chosen) > 300
    names = ["msd", "msd_error_rate", "c", "inf", "if", "f", "kspc", "uncorrected_error_rate",
             "corrected_error_rate", "total_error_rate", "seconds", "wpm", "iki_mean_ms", "iki_sd_ms",
             "hold_mean_ms"]
    for s in chosen:
        rows = slice(kp.starts[s], ends[s])
        keys = kp.key[rows]
        if np.any((keys >= 0) & ((kp.mods[rows] & (K.MOD_CTRL | K.MOD_META)) != 0)):
            continue  # a shortcut chord: no edit operation of the event log stands for it
        log = _event_log(keys, kp.mods[rows], kp.press_ms[rows], kp.release_ms[rows])
        result = analyze(kp.presented[s], log, character_level=False).to_dict()
        assert result["transcribed"] == kp.transcribed[s]
        row = frame.iloc[s]
        for name in names:
            mine = row[name]
            theirs = result[name]
            if theirs is None:
                assert math.isnan(mine), (s, name)
            else:
                assert mine == pytest.approx(theirs, rel=1e-9, abs=1e-6), (s, name, mine, theirs)
        assert bool(row["used_cursor"]) == result["used_cursor"]


def test_parallel_batches_give_the_same_frame_as_one_batch(aalto_sample: Path, scored) -> None:
    """Small chunks (about 1 MB: about 10 files each) read, parsed and scored in two worker
    processes: the same sentences, in the same order, with the same figures."""
    _, _, whole = scored
    frame, report = score_corpus([aalto_sample], batch_bytes=1 << 20, parallel=True)
    assert report.sentences == len(whole) and report.rows == 85090
    pd.testing.assert_frame_equal(frame.reset_index(drop=True), whole.reset_index(drop=True))


def test_a_bad_file_found_by_a_worker_process_is_one_clear_error_or_skipped(aalto_sample: Path, tmp_path) -> None:
    """A file that is empty, among others read in worker processes (two chunks at least): the
    error names it as in one process; with skip_bad_files it is listed and the rest scored."""
    import shutil

    from typingtest.errors import UserError

    sources = sorted(aalto_sample.glob("*_keystrokes.txt"))[:4]
    for path in sources:
        shutil.copy(path, tmp_path / path.name)
    empty = tmp_path / "999999_keystrokes.txt"
    empty.write_bytes(b"")
    small = sum(p.stat().st_size for p in sources) // 3  # more than one chunk
    with pytest.raises(UserError, match=r"999999_keystrokes\.txt: empty file"):
        score_corpus([tmp_path], batch_bytes=small, parallel=True)
    frame, report = score_corpus([tmp_path], batch_bytes=small, parallel=True, skip_bad_files=True)
    assert [line.split(":")[0] for line in report.skipped_files] == [str(empty)]
    assert report.files == 4 and report.rows > 0
    one, _ = score_corpus(sources, parallel=False)
    pd.testing.assert_frame_equal(frame.reset_index(drop=True), one.reset_index(drop=True))
