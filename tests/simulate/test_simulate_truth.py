"""Ground truth: the engine's character-level counts equal what the virtual typist did.

200 seeded attempts on 300-character stretches of the shipped Dutch copy-typing passages;
errors at least 2 intended characters apart and ``unambiguous`` (no error a reader of the
log could take for another kind). The expected tallies are the model's own record
(``TypedAttempt.expected_char_errors``), with transpositions counted as that docstring says.
"""

from __future__ import annotations

import collections

import numpy as np
import pytest

from typingtest.content import load_item
from typingtest.engine import analyze
from typingtest.simulate.typist import ERROR_KINDS, Profile, type_text

N_ATTEMPTS = 200
PROFILE = Profile(min_error_gap=2, error_rate=0.04, correction_rate=0.7, unambiguous=True)


def _stretches() -> list[str]:
    texts = [" ".join(load_item(f"nl-copy-0{k}").text.split()) for k in range(1, 7)]
    out = []
    for seed in range(N_ATTEMPTS):
        text = texts[seed % len(texts)]
        start = (seed * 37) % max(1, len(text) - 300)
        out.append(text[start : start + 300])
    return out


@pytest.fixture(scope="module")
def attempts() -> list[tuple[str, object, dict]]:
    out = []
    for seed, presented in enumerate(_stretches()):
        attempt = type_text(presented, PROFILE, seed=seed)
        out.append((presented, attempt, analyze(presented, attempt.log).to_dict()))
    return out


def test_engine_counts_equal_model_truth(attempts) -> None:
    mismatches = []
    for seed, (_, attempt, result) in enumerate(attempts):
        engine = {
            fate: {k: round(result["char_errors"][fate][k], 6) for k in ("insertions", "omissions", "substitutions")}
            for fate in ("corrected", "uncorrected")
        }
        truth = {f: {k: round(v, 6) for k, v in d.items()} for f, d in attempt.expected_char_errors().items()}
        if engine != truth:
            mismatches.append((seed, engine, truth))
    assert mismatches == []


def test_every_kind_and_fate_exercised(attempts) -> None:
    seen = collections.Counter((e.kind, e.corrected) for _, a, _ in attempts for e in a.errors)
    for kind in ERROR_KINDS:
        assert seen[(kind, True)] >= 20, (kind, seen)
        assert seen[(kind, False)] >= 5, (kind, seen)


def test_transcribed_text_and_net_wpm(attempts) -> None:
    worst = 0.0
    for _, attempt, result in attempts:
        assert result["transcribed"] == attempt.transcribed
        # errors apart: MSD is the sum of the errors left (a transposition is 2 edits)
        assert result["msd"] == attempt.errors_left
        worst = max(worst, abs(result["net_wpm"] - attempt.net_wpm) / attempt.net_wpm)
    assert worst <= 0.02


def test_seeded_and_reproducible() -> None:
    text = "De klant belt om 14.27 uur over zijn bestelling."
    a = type_text(text, Profile(error_rate=0.1), seed=7)
    b = type_text(text, Profile(error_rate=0.1), seed=7)
    c = type_text(text, Profile(error_rate=0.1), seed=8)
    assert np.array_equal(a.log, b.log)
    assert not np.array_equal(a.log, c.log)


def test_error_free_speed_near_target() -> None:
    # error-free, no pauses: the model scales intervals so that net WPM ~ speed_wpm
    text = " ".join(load_item("nl-copy-01").text.split())
    speeds = []
    for seed in range(10):
        a = type_text(text, Profile(speed_wpm=50.0, error_rate=0.0, pauses=False), seed=seed)
        speeds.append(analyze(text, a.log).to_dict()["net_wpm"])
    assert 45.0 <= float(np.mean(speeds)) <= 55.0, speeds


def test_caller_speech_slows_typing() -> None:
    text = " ".join(load_item("nl-copy-01").text.split())[:400]
    quiet = type_text(text, Profile(error_rate=0.0, pauses=False), seed=3)
    busy = type_text(text, Profile(error_rate=0.0, pauses=False, dual_task_slowdown=0.5), seed=3,
                     speaking=((0.0, 1e6),))
    # same draws, every interval x 1.5 while the caller speaks
    assert busy.seconds == pytest.approx(quiet.seconds * 1.5, rel=0.01)


def test_profile_from_dict_rejects_unknown_keys() -> None:
    with pytest.raises(ValueError, match="speed"):
        Profile.from_dict({"sped_wpm": 40})
    p = Profile.from_dict({"speed_wpm": 30, "error_mix": {"omission": 1.0}})
    assert p.error_mix == (("omission", 1.0),)
