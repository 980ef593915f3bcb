"""Erasure and the candidate's own export reach the centre's tables: a registration (its access code
names the candidate) and a workstation's heartbeat naming them are exported with the candidate and
deleted with them; another candidate's rows stay."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from typingtest.config import Settings
from typingtest.store import open_store, room
from typingtest.store import registrations as R
from typingtest.store import schema as S
from typingtest.store.privacy import erase_candidate, export_candidate


@pytest.fixture
def store(results_dir: Path) -> Any:
    s = open_store(Settings(results_dir=results_dir))
    yield s
    s.close()


def _count(store: Any, table: Any, cid: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(table.c.candidate_id == cid)).scalar())


def test_a_registration_and_a_heartbeat_are_exported_and_erased_with_their_candidate(store: Any) -> None:
    reg = R.add_registration(store, "C-ERASE-1", "quick", cohort="c1", actor="test")
    R.add_registration(store, "C-KEEP-2", "quick", cohort="c1", actor="test")
    room.write_heartbeat(store, room.Heartbeat(workstation="ws-1", state="intake", candidate_id="C-ERASE-1"))
    room.write_heartbeat(store, room.Heartbeat(workstation="ws-2", state="intake", candidate_id="C-KEEP-2"))

    folder = export_candidate(store, "C-ERASE-1")
    doc = json.loads((folder / "candidate.json").read_text(encoding="utf-8"))
    assert [r["access_code"] for r in doc["registrations"]] == [reg.access_code]

    removed = erase_candidate(store, "C-ERASE-1")
    assert removed["registrations"] == 1 and removed["heartbeats"] == 1
    assert _count(store, S.registrations, "C-ERASE-1") == 0
    assert _count(store, S.workstation_heartbeats, "C-ERASE-1") == 0
    assert _count(store, S.registrations, "C-KEEP-2") == 1  # the other candidate's rows stay
    assert _count(store, S.workstation_heartbeats, "C-KEEP-2") == 1
