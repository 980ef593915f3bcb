"""typingtest.engine.plausibility: typing faster or more evenly than people type is flagged.

The bounds come from the shared real sample (docs/engine.md; ``benchmarks/bench_precision.py
--plausibility``); the test checks that none of its 1,755 sentences is flagged, and that a
transcription stored at 753 WPM with 16 ms between keys (issue 16) is.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np

from typingtest.config import load_thresholds
from typingtest.content import Normalisation
from typingtest.engine.corpus import score_sentences
from typingtest.engine.events import EventKind, make_log
from typingtest.engine.plausibility import MAX_WPM, MIN_IKI_CV, MIN_MEDIAN_IKI_MS, check
from typingtest.engine.scoring import score_attempt
from typingtest.formats.aalto import read_files

TEXT = ("de klant belt over een bestelling die niet is aangekomen en vraagt wanneer die geleverd wordt "
        * 9)[:800]


def _log(times: np.ndarray, text: str = TEXT) -> np.ndarray:
    rows = []
    for t, ch in zip(times, text, strict=False):
        rows.append({"t": float(t), "kind": EventKind.KEY_DOWN, "key": ord(ch), "target": "answer"})
        rows.append({"t": float(t), "kind": EventKind.TEXT, "text": ch, "target": "answer"})
    rows.append({"t": float(times[-1]) + 1.0, "kind": EventKind.MARKER, "text": "task-end", "target": "finish"})
    return make_log(rows)


def test_753_wpm_with_16_ms_between_keys_is_flagged_and_never_passes_silently() -> None:
    # 12 / 753 s = 15.94 ms a key: (800 - 1) / (799 x 0.01594) x 12 = 753 WPM, every interval equal
    times = np.arange(800) * (12.0 / 753.0)
    flag = check(753.0, times)
    assert flag.flagged and len(flag.reasons) == 3
    assert round(flag.median_iki_ms, 2) == 15.94 and flag.iki_cv < 1e-9
    metrics, verdicts, _ = score_attempt("copy-typing", SimpleNamespace(text=TEXT), _log(times), load_thresholds())
    assert metrics["plausibility"]["flagged"] is True
    assert round(metrics["plausibility"]["wpm"]) == 753
    # no error, 800 characters (over the 729 needed): a plain pass, made borderline for review
    rate, speed = verdicts
    assert (rate["passed"], rate["decision"]) == (True, "borderline")
    assert rate["decision_note"].startswith("implausible typing")
    # 12.7 s of typing: two whole blocks of 5 s, no speed interval; insufficient, not a pass either
    assert (speed["passed"], speed["decision"]) == (True, "insufficient")
    # the case was a transcription: the same flag, and its only verdict is not a pass
    item = SimpleNamespace(reference=TEXT, normalise=Normalisation())
    metrics, verdicts, _ = score_attempt("transcription", item, _log(np.arange(800) * (12.0 / 753.0)),
                                         load_thresholds())
    assert metrics["plausibility"]["flagged"] and [v["decision"] for v in verdicts] == ["borderline"]
    times = np.arange(800) * 0.02  # 600 WPM over 16 s: an interval, and the flag turns the pass to borderline
    speed = score_attempt("copy-typing", SimpleNamespace(text=TEXT), _log(times), load_thresholds())[1][1]
    assert (speed["passed"], speed["decision"]) == (True, "borderline")


def test_real_like_typing_is_not_flagged() -> None:
    # 800 characters, intervals log-normal around 180 ms (median) with SD of log 0.5 (CV about 0.53,
    # the most even participant of the sample): about 63 WPM
    rng = np.random.default_rng(9)
    times = np.concatenate([[0.0], np.cumsum(rng.lognormal(np.log(0.18), 0.5, size=799))])
    metrics, verdicts, _ = score_attempt("copy-typing", SimpleNamespace(text=TEXT), _log(times), load_thresholds())
    assert metrics["plausibility"]["flagged"] is False and metrics["plausibility"]["reasons"] == []
    assert verdicts[0]["decision"] == "pass"


def test_bounds_have_margin_over_the_real_sample(aalto_sample: Path) -> None:
    presses, _ = read_files([aalto_sample])
    sentences = score_sentences(presses)
    starts = np.append(presses.starts, len(presses.key))
    flagged = []
    for k in range(presses.sentences):
        times = presses.press_ms[starts[k]:starts[k + 1]] / 1000.0
        if check(float(sentences["wpm"].iloc[k]), times).flagged:
            flagged.append(k)
    assert flagged == []
    assert sentences["wpm"].max() < MAX_WPM  # 132.6 (docs/engine.md)
    assert MIN_MEDIAN_IKI_MS < 79 and MIN_IKI_CV < 0.23
