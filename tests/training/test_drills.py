"""Drills: the targeted keys at the intended rate (counted), seeded, job material and dictation."""

from __future__ import annotations

import math
import re

import pytest

from typingtest.training.drills import JOB_EVERY, TARGET_SHARE, make_drill, random_drill
from typingtest.training.learner import AttemptInput, LearnerModel, model_from_attempts


def _model() -> LearnerModel:
    """k: 10 errors in 40 (shrunk (10 + 20 p0) / 60), g: 6 in 40; the rest clean. p0 = 16 / 1000."""
    conf = [{"intended": "k", "typed": "l", "weight": 10.0}, {"intended": "g", "typed": "h", "weight": 6.0}]
    occ = [{"intended": c, "weight": w} for c, w in (("k", 40.0), ("g", 40.0), ("e", 420.0), ("a", 500.0))]
    return model_from_attempts([AttemptInput("kg", "kg", metrics={"confusion": conf, "char_attempts": occ},
                                             language="nl")])  # fmt: skip


def test_targets_in_weakness_order() -> None:
    targets = _model().targets()
    assert [t.key for t in targets] == ["k", "g"]
    p0 = 16 / 1000
    assert targets[0].error_rate == pytest.approx((10 + 20 * p0) / 60)
    assert targets[1].error_rate == pytest.approx((6 + 20 * p0) / 60)
    assert targets[0].weakness == pytest.approx(targets[0].error_rate / p0)


def test_drill_holds_the_targets_at_the_intended_rate() -> None:
    drill = make_drill(_model(), length=3000, seed=5, focus="keys")
    words = [i for i in drill.items if i.kind != "job"]
    jobs = [i for i in drill.items if i.kind == "job"]
    # every JOB_EVERY-th item is job material
    assert len(jobs) == len(drill.items) // JOB_EVERY
    # of the word items, exactly floor(n x 0.7) are chosen for a target, and each holds its target
    chosen = [i for i in words if i.target is not None]
    assert len(chosen) == math.floor(len(words) * TARGET_SHARE)
    assert all(i.target in i.text for i in chosen)
    assert all(i.reason.startswith(f"target key {i.target!r}") for i in chosen)
    # the targets take turns by weakness: k gets (10.32 / 16.32) of the target items, g the rest (+-1)
    share_k = (10 + 0.32) / (10 + 0.32 + 6 + 0.32)
    n_k = sum(i.target == "k" for i in chosen)
    assert abs(n_k - share_k * len(chosen)) <= 1
    # counted in the text: k and g far more often than in a random drill of the same length
    control = random_drill(3000, seed=5, language="nl")
    for key in ("k", "g"):
        assert len(re.findall(key, drill.text)) >= 1.5 * len(re.findall(key, control.text))
    assert len(drill.text) >= 3000


def test_same_seed_same_drill() -> None:
    a = make_drill(_model(), length=400, seed=11, focus="keys")
    b = make_drill(_model(), length=400, seed=11, focus="keys")
    c = make_drill(_model(), length=400, seed=12, focus="keys")
    assert a.to_dict() == b.to_dict()
    assert a.text != c.text


def test_job_material_and_numbers() -> None:
    drill = make_drill(_model(), length=600, seed=3, focus="numbers")
    assert {i.kind for i in drill.items} == {"job"}
    reasons = " ".join(i.reason for i in drill.items)
    assert "customer number with check digits" in reasons or "phone number" in reasons
    for item in drill.items:
        m = re.fullmatch(r"(\d{6})-(\d{2})", item.text)
        if m:  # the generator's check digits: base mod 97 (97 for 0)
            assert int(m[2]) == (int(m[1]) % 97 or 97)


def test_dictation_lines_say_and_type() -> None:
    model = _model()
    model.transcription_error_rate, model.copy_error_rate = 0.06, 0.01
    assert model.weak_at_transcription
    drill = make_drill(model, length=300, seed=2)  # auto: dictation for a trainee weak at transcription
    assert drill.focus == "dictation"
    kinds = {i.reason for i in drill.items}
    assert {"dictation: a short caller line", "dictation: digits read in groups",
            "dictation: a name spelled letter by letter"} <= kinds  # fmt: skip
    for item in drill.items:
        assert item.say and item.voice and re.fullmatch(r"nl-caller-[1-4]", item.voice)
        if item.say.startswith("[spell:"):
            assert item.say == f"[spell:{item.text}]"
