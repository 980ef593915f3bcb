"""Event-log files: exact round trips, compactness, and one clear error for a bad file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from typingtest.engine.events import EventKind, make_log
from typingtest.errors import UserError
from typingtest.formats.eventlog import load_log, log_from_bytes, log_to_bytes, save_log


def sample_log(n: int = 500) -> np.ndarray:
    rng = np.random.default_rng(1)
    rows = []
    t = 0.0
    for k in range(n):
        t += float(rng.gamma(2.0, 0.1))
        ch = "aëé€ 😀"[k % 6]
        rows.append({"t": t, "kind": EventKind.KEY_DOWN, "key": 97 + k % 26, "scancode": 4 + k % 26, "mod": k % 3})
        rows.append({"t": t + 1e-4, "kind": EventKind.TEXT, "text": ch, "target": "field:naam"})
        rows.append({"t": t + 0.0123456789, "kind": EventKind.CLICK, "x": 12.5, "y": 300.25, "target": "record:K-001"})
    return make_log(rows)


def test_round_trip_is_exact(tmp_path: Path) -> None:
    log = sample_log()
    path = save_log(tmp_path / "attempt.npz", log)
    back = load_log(path)
    assert back.dtype == log.dtype
    assert np.array_equal(back, log)
    assert back["t"].tolist() == log["t"].tolist()  # float64 kept bit for bit
    assert log_from_bytes(log_to_bytes(log)).tolist() == log.tolist()
    empty = make_log([])
    assert len(log_from_bytes(log_to_bytes(empty))) == 0


def test_compact() -> None:
    log = sample_log(2000)
    data = log_to_bytes(log)
    # 6,000 rows take 1.5 MB in memory (256 bytes of text and target each); on disk far less
    assert len(data) < log.nbytes / 10


def test_bad_files_give_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="file not found"):
        load_log(tmp_path / "missing.npz")
    empty = tmp_path / "empty.npz"
    empty.write_bytes(b"")
    with pytest.raises(UserError, match="empty file"):
        load_log(empty)
    other = tmp_path / "other.npz"
    other.write_text("participant\tsentence\n1\t2\n", encoding="utf-8")
    with pytest.raises(UserError, match="not a readable typingtest event log"):
        load_log(other)
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, a=np.arange(3))
    with pytest.raises(UserError, match="not a typingtest event log"):
        load_log(foreign)
    with pytest.raises(ValueError, match="not an event log"):
        log_to_bytes(np.zeros(3))
