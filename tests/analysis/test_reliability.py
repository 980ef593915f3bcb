"""typingtest.analysis.reliability: split-half reliability, SEM and decision consistency.

The real-sample test computes the split-half figures a second way, straight from the raw
136M Keystrokes files (csv module, rapidfuzz's Levenshtein, statistics.correlation), for eight
participants whose sentences hold only characters, Backspace, Shift and Caps Lock (so a
plain stack replays them; checked in the test). The segment example is counted by hand.
"""

from __future__ import annotations

import csv
import math
import statistics
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from rapidfuzz.distance import Levenshtein

from typingtest.analysis.reliability import (
    RELIABILITY_COLUMNS,
    attempt_segments,
    corpus_segments,
    segment_bounds,
    split_half,
)
from typingtest.cli import main
from typingtest.engine.corpus import score_sentences
from typingtest.engine.events import EventKind, make_log
from typingtest.formats.aalto import read_files

#: Participants of the shared sample whose sentences replay with a stack (chars, BKSP, SHIFT, CAPS_LOCK)
PLAIN = ("2387", "239", "2489", "3911", "4173", "4297", "4398", "4514")


def _independent_split_half(paths: list[Path]) -> dict[str, float]:
    """Spearman-Brown split-half of the MSD error rate and net WPM over odd/even sentences."""
    halves: dict[str, list[list[float]]] = {"msd_error_rate": [[], []], "net_wpm": [[], []]}
    for path in paths:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
        sentences: dict[str, list[list[str]]] = {}
        for r in rows:  # sentences in the order they first appear
            sentences.setdefault(r[1], []).append(r)
        sums = [[0, 0, 0, 0.0], [0, 0, 0, 0.0]]  # chars, errors, entered, seconds per half
        for k, rs in enumerate(sentences.values()):
            rs.sort(key=lambda r: (int(r[5]), int(r[4])))
            p = unicodedata.normalize("NFC", rs[0][2])
            t = unicodedata.normalize("NFC", rs[0][3])
            typed: list[str] = []
            entered = 0
            for r in rs:
                if len(r[7]) == 1:
                    typed.append(r[7])
                    entered += 1
                elif r[7] == "BKSP" and typed:
                    typed.pop()
                else:
                    assert r[7] in ("SHIFT", "CAPS_LOCK", "BKSP")
            assert "".join(typed) == rs[0][3]
            half = sums[k % 2]
            half[0] += max(len(p), len(t))
            half[1] += Levenshtein.distance(p, t)
            half[2] += entered
            half[3] += (int(rs[-1][5]) - int(rs[0][5])) / 1000.0
        for h in (0, 1):
            chars, errors, entered, seconds = sums[h]
            halves["msd_error_rate"][h].append(errors / chars)
            halves["net_wpm"][h].append(max(0.0, (entered / 5 - errors) / (seconds / 60)))
    out = {}
    for name, (odd, even) in halves.items():
        r = statistics.correlation(odd, even)
        out[name] = 2 * r / (1 + r)
    return out


def test_split_half_on_real_typing_matches_an_independent_computation(aalto_sample: Path) -> None:
    paths = [aalto_sample / f"{pid}_keystrokes.txt" for pid in PLAIN]
    expected = _independent_split_half(paths)
    presses, _ = read_files(paths)
    table = split_half(corpus_segments(score_sentences(presses))).set_index("indicator")
    assert list(table.reset_index().columns) == list(RELIABILITY_COLUMNS)
    assert table.loc["msd_error_rate", "subjects"] == 8 and table.loc["msd_error_rate", "segments"] == 15
    assert table.loc["msd_error_rate", "reliability"] == pytest.approx(expected["msd_error_rate"], abs=1e-9)
    assert table.loc["net_wpm", "reliability"] == pytest.approx(expected["net_wpm"], abs=1e-9)


def test_sem_consistency_and_kappa_by_hand() -> None:
    # three subjects, two segments each (one per half) of 100 characters, 10 s, 60 characters entered:
    #   A: 1 and 2 errors (rates .01, .02: both pass <= .03)
    #   B: 2 and 5 errors (.02 passes, .05 fails)
    #   C: 6 and 7 errors (both fail)
    # r of (1, 2, 6) with (2, 5, 7) = 12 / sqrt(14 x 12.667) = 0.9011; Spearman-Brown 2r / (1 + r) = 0.9480;
    # whole rates .015, .035, .065: SD 0.025166 (statistics.stdev); SEM = SD x sqrt(1 - 0.9480) = 0.005739;
    # same decision for A and C: consistency 2/3; kappa: po 2/3, pe = (1/3)(2/3) + (2/3)(1/3) = 4/9,
    # (2/3 - 4/9) / (5/9) = 0.4
    seg = pd.DataFrame({"subject": list("AABBCC"), "segment": [0, 1] * 3, "chars": 100,
                        "errors": [1, 2, 2, 5, 6, 7], "entered": 60, "seconds": 10.0})
    row = split_half(seg, thresholds={"msd_error_rate": (0.03, "<=")}).set_index("indicator").loc["msd_error_rate"]
    r = statistics.correlation([1, 2, 6], [2, 5, 7])
    assert row["r_halves"] == pytest.approx(r) and round(r, 4) == 0.9011
    assert row["reliability"] == pytest.approx(2 * r / (1 + r)) and round(row["reliability"], 4) == 0.9480
    sd = statistics.stdev([0.015, 0.035, 0.065])
    assert round(sd, 6) == 0.025166 and row["sd"] == pytest.approx(sd)
    assert row["sem"] == pytest.approx(sd * math.sqrt(1 - 2 * r / (1 + r))) and round(row["sem"], 6) == 0.005739
    assert row["consistency"] == pytest.approx(2 / 3) and row["kappa"] == pytest.approx(0.4)
    # net WPM of a segment: (60 / 5 - errors) / (10 / 60) = 72 - 6 x errors
    wpm = split_half(seg).set_index("indicator").loc["net_wpm"]
    assert wpm["mean"] == pytest.approx(np.mean([72 - 6 * 1.5, 72 - 6 * 3.5, 72 - 6 * 6.5]))


P = "the quick brown fox jumps over the lazy dog"


def test_segments_cut_after_a_space_every_n_characters() -> None:
    # from 9: the space at 9 -> cut 10; from 19: space at 19 -> 20; from 29: space at 30 -> 31; then the end
    assert segment_bounds(P, 10) == [10, 20, 31, 43]


def test_attempt_segments_hand_counted() -> None:
    # "the quick brwn fox jumps over the lazy dog" ("o" of brown omitted), one entry every 0.5 s
    # from 0 s, with an "x" typed after "d" and erased (Backspace) in the last segment
    entries = [*"the quick brwn fox jumps over the lazy d", "x", "backspace", *"og"]
    rows = [{"t": 0.5 * i, "kind": EventKind.EDIT if e == "backspace" else EventKind.TEXT, "text": e,
             "target": "answer"} for i, e in enumerate(entries)]
    seg = attempt_segments(P, make_log(rows), segment_chars=10)
    # segments of P: "the quick " | "brown fox " | "jumps over " | "the lazy dog";
    # of T: "the quick " | "brwn fox " | "jumps over " | "the lazy dog"
    assert seg["chars"].tolist() == [10, 10, 11, 12]
    assert seg["errors"].tolist() == [0, 1, 0, 0]
    assert seg["entered"].tolist() == [10, 9, 11, 13]  # the erased x is entered too
    # last characters at 4.5, 9.0, 14.5 and 21.5 s (x at 20.0, Backspace 20.5, o 21.0, g 21.5)
    assert seg["seconds"].tolist() == pytest.approx([4.5, 4.5, 5.5, 7.0])


def test_reliability_command_on_real_files(aalto_sample: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "few"
    folder.mkdir()
    for pid in PLAIN:  # links, never copies of the real logs
        (folder / f"{pid}_keystrokes.txt").symlink_to(aalto_sample / f"{pid}_keystrokes.txt")
    assert main(["reliability", "--aalto", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "msd_error_rate: 8 subjects, 15.0 segments" in out and "split-half (Spearman-Brown)" in out
    assert main(["reliability", "--aalto", str(folder), "--out", str(tmp_path / "r.csv")]) == 0
    assert pd.read_csv(tmp_path / "r.csv")["indicator"].tolist() == ["msd_error_rate", "net_wpm"]
