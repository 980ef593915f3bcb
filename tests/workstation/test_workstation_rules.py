"""The rules the screens apply, without a window (issue 15, item 4): record search at the call
desk and the retake rule at intake (``workstation.rules``, no pygame)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pandas as pd

from typingtest.content.model import Record
from typingtest.store.store import SessionRefused
from typingtest.workstation.rules import (
    RetakeCheck,
    match_words,
    retake_check,
    retake_days_in_force,
    search_records,
)

RECORDS = [
    Record("K1", "CN-100234", "An Peeters", "Kerkstraat 12", "9000", "Gent", "+32 9 123 45 67", "an@example.be"),
    Record("K2", "CN-100987", "Jan Peeters", "Molenweg 3", "2000", "Antwerpen", "+32 3 765 43 21", "jan@example.be"),
]


def _ids(query: str) -> list[str]:
    return [r.id for r in search_records(RECORDS, query)]


def test_every_word_must_match_a_name_address_or_number() -> None:
    assert _ids("peeters") == ["K1", "K2"]
    assert _ids("Peeters gent") == ["K1"]  # case-insensitive, every word
    assert _ids("100987") == ["K2"]  # the customer number's digits
    assert _ids("CN-100987") == ["K2"]  # as written on the record
    assert _ids("765 43") == []  # "43" has fewer than 3 digits: a number needs at least 3
    assert _ids("9000") == ["K1"]  # the postcode
    assert _ids("") == []  # no query, no list
    assert _ids("peeters brugge") == []


def test_product_and_article_search_match_every_word() -> None:
    assert match_words("P-200 Bureaustoel Ergo", "stoel ergo")
    assert not match_words("P-200 Bureaustoel Ergo", "stoel tafel")
    assert match_words("anything", "")


class _Store:
    """The two store calls the rule makes."""

    def __init__(self, rows: list[dict[str, Any]], refusal: SessionRefused | None = None) -> None:
        self.rows, self.refusal, self.asked = rows, refusal, []

    def sessions_frame(self, candidate: str) -> pd.DataFrame:
        return pd.DataFrame([r for r in self.rows if r["candidate_id"] == candidate])

    def session_refusal(self, candidate: str, battery: str, retake_days: int) -> SessionRefused | None:
        self.asked.append((candidate, battery, retake_days))
        return self.refusal


def test_an_unfinished_session_of_the_battery_stops_the_candidate_before_the_store_is_asked() -> None:
    started = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    rows = [{"candidate_id": "C-1", "battery": "default", "state": "interrupted", "started_at": started},
            {"candidate_id": "C-1", "battery": "other", "state": "running", "started_at": started}]
    store = _Store(rows)
    check = retake_check(store, "C-1", "default", 30)
    assert check == RetakeCheck(unfinished=rows[0])
    assert store.asked == []


def test_the_stores_refusal_is_the_reason_else_the_candidate_goes_on() -> None:
    refusal = SessionRefused("too soon", "retake", datetime(2026, 3, 1, tzinfo=UTC))
    store = _Store([], refusal)
    assert retake_check(store, "C-2", "default", 30) == RetakeCheck(refusal=refusal)
    assert store.asked == [("C-2", "default", 30)]
    assert retake_check(_Store([]), "C-2", "default", 30) is None
    assert retake_check(None, "C-2", "default", 30) is None  # no store: nothing to check


def test_the_waiting_period_in_force() -> None:
    assert retake_days_in_force(30, overridden=False, asks_candidate=True) == 30
    assert retake_days_in_force(30, overridden=True, asks_candidate=True) == 0  # the proctor's F8
    assert retake_days_in_force(30, overridden=False, asks_candidate=False) == 0  # run --task
