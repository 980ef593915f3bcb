"""The battery hash stored with each session (``session._hash_specs``): two batteries that differ
in anything the candidate sees or that the scoring uses hash differently, identical ones the same."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from types import SimpleNamespace

from typingtest.workstation.session import TaskSpec, _hash_specs


def _spec(**changes: object) -> TaskSpec:
    base = TaskSpec("copy-typing", SimpleNamespace(id="nl-copy-01"), 300.0, practice=False, replays=1, seed=None,
                    show_errors=False)
    return dataclasses.replace(base, **changes)


def test_show_errors_changes_the_hash_identical_specs_do_not() -> None:
    plain = [_spec(), _spec(kind="transcription", item=SimpleNamespace(id="nl-trans-01"))]
    marked = [_spec(show_errors=True), plain[1]]
    again = [_spec(), _spec(kind="transcription", item=SimpleNamespace(id="nl-trans-01"))]
    assert _hash_specs(plain) == _hash_specs(again)
    assert _hash_specs(plain) != _hash_specs(marked)
    assert len(_hash_specs(marked)) == 16


def test_every_field_that_changes_the_task_changes_the_hash_the_seed_does_not() -> None:
    reference = _hash_specs([_spec()])
    for change in ({"kind": "transcription"}, {"item": SimpleNamespace(id="nl-copy-02")}, {"practice": True},
                   {"time_limit_s": 360.0}, {"replays": 2}, {"show_errors": True}):
        assert _hash_specs([_spec(**change)]) != reference, change
    # a randomised form draws a new seed per session: one battery keeps one hash
    assert _hash_specs([_spec(seed=12345)]) == reference
    # the order of the tasks is part of the battery
    a, b = _spec(), _spec(item=SimpleNamespace(id="nl-copy-02"))
    assert _hash_specs([a, b]) != _hash_specs([b, a])


def test_without_show_errors_the_hash_is_the_one_stored_before_it_was_included() -> None:
    # the formula before show_errors was added (commit ed8529a): sessions already stored keep matching
    old = json.dumps([["copy-typing", "nl-copy-01", False, 300.0, 1]])
    assert _hash_specs([_spec()]) == hashlib.sha256(old.encode()).hexdigest()[:16]
