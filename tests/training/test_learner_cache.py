"""The learner model's per-attempt cache (``training.learner.cached_tallies``): a reload reads only new attempts.

A trainee's store is built as the workstation builds it: copy-typing attempts typed by the virtual
typist (band "average") and scored by the engine. The reference is ``learner_model(cached=False)``,
which counts every attempt again: the cached model must equal it exactly (every column of the keys
and bigrams, the overall rates, the targets), after a new attempt, after erasure and on another layout.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from typingtest.config import Settings, load_thresholds
from typingtest.content.model import CopyPassage
from typingtest.engine.scoring import ANSWER_FIELD, score_attempt
from typingtest.simulate.profiles import BAND_PROFILES
from typingtest.simulate.typist import type_text
from typingtest.store import Store
from typingtest.training import learner as L
from typingtest.training.learner import LearnerModel, clear_tally_cache, learner_model

CID = "TR-0031"
TEXT = ("Goedemiddag, u spreekt met de klantendienst. Wat kan ik voor u doen? Ik bel over mijn bestelling "
        "van vorige week: de kabel is nog niet geleverd en ik kreeg geen bericht.")  # fmt: skip
ITEM = CopyPassage(id="cache-copy", kind="copy-typing", language="nl", title="cache", path=None, genre="test",
                   text=TEXT)


def _attempt(store: Store, sid: str, seed: int) -> str:
    """One attempt at ``TEXT`` typed by the virtual typist, stored scored; returns its id."""
    rec = store.begin_attempt(sid, "copy-typing", ITEM.id, False, {"presented": TEXT, "target": ANSWER_FIELD})
    att = type_text(TEXT, BAND_PROFILES["average"], seed=seed, target=ANSWER_FIELD,
                    key_error_rates={"e": 0.3, "k": 0.3})  # fmt: skip
    metrics, verdicts, actions = score_attempt("copy-typing", ITEM, att.log, load_thresholds(Settings()))
    rec.finish(att.log, metrics, verdicts, actions)
    return rec.attempt_id


@pytest.fixture
def store(results_dir: Path) -> Iterator[Store]:
    clear_tally_cache()
    st = Store(f"sqlite:///{(results_dir / 'typingtest.sqlite').as_posix()}", results_dir,
               results_dir / "signing.key", workstation="ws-test")  # fmt: skip
    st.ensure_candidate(CID, "cohort-a")
    sid = st.start_session(CID, "practice", None, "ws-test", "nl")
    for n in range(3):
        _attempt(st, sid, n)
    st.end_session(sid, "complete")
    yield st
    st.close()
    clear_tally_cache()


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many attempts were counted (``attempt_tallies`` calls) since the test began."""
    calls: list[int] = []
    real = L.attempt_tallies

    def counting(a: L.AttemptInput) -> tuple[L.Tally, L.Tally, bool]:
        calls.append(1)
        return real(a)

    monkeypatch.setattr(L, "attempt_tallies", counting)
    return calls


def _assert_same(cached: LearnerModel, reference: LearnerModel) -> None:
    """Every figure of the two models equal, exactly."""
    pd.testing.assert_frame_equal(cached.keys, reference.keys, check_exact=True)
    pd.testing.assert_frame_equal(cached.bigrams, reference.bigrams, check_exact=True)
    for name in ("candidate_id", "layout", "language", "key_error_rate", "bigram_error_rate", "median_interval_s",
                 "n_attempts", "n_practice", "transcription_error_rate", "copy_error_rate"):  # fmt: skip
        assert getattr(cached, name) == getattr(reference, name), name
    assert cached.targets() == reference.targets()


def test_reload_counts_only_the_new_attempt_and_equals_the_uncached_model(store: Store, counts: list[int]) -> None:
    learner_model(store, CID)
    assert len(counts) == 3  # cold: every stored attempt counted
    sid = store.start_session(CID, "practice", None, "ws-test", "nl")  # the next practice session
    _attempt(store, sid, 10)
    cached = learner_model(store, CID)
    assert len(counts) == 4  # the reload counted the new attempt only
    reference = learner_model(store, CID, cached=False)
    assert len(counts) == 8  # the reference counts all four again
    assert cached.n_attempts == 4
    assert cached.targets()  # e and k fail 30 % of the time: there is something to compare
    _assert_same(cached, reference)


def test_metrics_only_and_events_are_cached_apart(store: Store, counts: list[int]) -> None:
    with_events = learner_model(store, CID)
    metrics_only = learner_model(store, CID, events=False)
    assert len(counts) == 6  # events=False is counted on its own, not taken from the events' tallies
    assert with_events.median_interval_s is not None and metrics_only.median_interval_s is None
    _assert_same(metrics_only, learner_model(store, CID, events=False, cached=False))


def test_another_layout_or_engine_version_is_counted_again(store: Store, counts: list[int],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    azerty = learner_model(store, CID)
    qwerty = learner_model(store, CID, layout="qwerty-us")
    assert len(counts) == 6
    assert qwerty.layout == "qwerty-us" and azerty.layout == "azerty-be"
    # a is key D01 on AZERTY-BE, C01 on QWERTY-US (engine.layouts): the layout's own figures, not stale ones
    assert dict(zip(azerty.keys["intended"], azerty.keys["key_id"], strict=True))["a"] == "D01"
    assert dict(zip(qwerty.keys["intended"], qwerty.keys["key_id"], strict=True))["a"] == "C01"
    _assert_same(qwerty, learner_model(store, CID, layout="qwerty-us", cached=False))
    monkeypatch.setattr(L, "ENGINE_VERSION", L.ENGINE_VERSION + 1)
    learner_model(store, CID)
    assert len(counts) == 6 + 3 + 3  # the reference above (3), then every attempt under the new version (3)


def test_erased_trainee_gives_no_stale_figures(store: Store, counts: list[int]) -> None:
    before = learner_model(store, CID)
    assert before.n_attempts == 3
    store.erase_candidate(CID)
    store.ensure_candidate(CID, "cohort-a")  # the same id registered again: a new trainee
    sid = store.start_session(CID, "practice", None, "ws-test", "nl")
    _attempt(store, sid, 20)
    after = learner_model(store, CID)
    assert after.n_attempts == 1
    _assert_same(after, learner_model(store, CID, cached=False))
    assert not after.keys.equals(before.keys)


def test_the_cache_is_bounded(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(L, "TALLY_CACHE_SIZE", 2)
    learner_model(store, CID)
    assert len(L._TALLY_CACHE) == 2  # the least recently used of the three dropped
