"""The journal record format: round trip, torn ends, damage, the background flusher."""

from __future__ import annotations

import time
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from store_testkit import typing_log

from typingtest.engine.events import EVENT_DTYPE, EventKind
from typingtest.formats.journal import MAGIC, JournalError, JournalWriter, encode_event, read_journal

HEADER = {"attempt_id": "a1", "session_id": "s1", "candidate_id": "C-1", "task": "copy-typing"}


def _write(path, log, header=HEADER):
    with JournalWriter(path, header) as w:
        for row in log:
            w.append(row)
    return path


def test_round_trip_keeps_every_column(tmp_path):
    log = typing_log(seed=3)
    log["text"][1] = "ë"  # a committed dead-key character (2 UTF-8 bytes)
    log["x"][5], log["y"][5] = 12.5, 640.25
    log["mod"][7] = 0x40
    back = read_journal(_write(tmp_path / "a.ttj", log))
    assert back.header == HEADER
    assert not back.torn and back.notes == []
    np.testing.assert_array_equal(back.events, log)


def test_dict_rows_and_records_encode_alike():
    log = typing_log(seed=1)[:3]
    as_dict = {name: log[0][name] for name in EVENT_DTYPE.names}
    as_dict["kind"] = EventKind(int(as_dict["kind"]))
    assert encode_event(as_dict) == encode_event(log[0])
    assert encode_event(tuple(log[0].item())) == encode_event(log[0])


def test_text_longer_than_the_column_is_refused():
    with pytest.raises(ValueError):
        encode_event({"t": 0.0, "kind": EventKind.TEXT, "text": "x" * 65})


def test_torn_journal_reads_up_to_the_last_whole_record(tmp_path):
    """Truncate at 200 random bytes: the reader returns exactly the events of the whole records."""
    log = typing_log(seed=5)
    path = _write(tmp_path / "full.ttj", log)
    data = path.read_bytes()
    # where each event record ends (hand-derived from the format: 8-byte prefix + payload)
    ends = []
    pos = len(MAGIC)
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "little")
        pos += 8 + length
        ends.append(pos)
    header_end, event_ends = ends[0], ends[1:]
    rng = np.random.default_rng(2026)
    for cut in [0, 3, len(MAGIC), *rng.integers(0, len(data), 200)]:
        torn = tmp_path / "torn.ttj"
        torn.write_bytes(data[:cut])
        back = read_journal(torn)
        whole = sum(1 for e in event_ends if e <= cut)
        assert len(back.events) == whole, cut
        np.testing.assert_array_equal(back.events, log[:whole])
        assert back.header == (HEADER if cut >= header_end else None)
        assert back.torn == (cut not in [len(MAGIC), *ends] and cut > 0)


def test_damaged_record_stops_the_reader_there(tmp_path):
    log = typing_log(seed=6)
    path = _write(tmp_path / "a.ttj", log)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte in the middle
    path.write_bytes(bytes(data))
    back = read_journal(path)
    assert 0 < len(back.events) < len(log)
    np.testing.assert_array_equal(back.events, log[: len(back.events)])
    assert back.torn and ("checksum" in back.notes[0] or "torn" in back.notes[0])


def test_not_a_journal(tmp_path):
    p = tmp_path / "x.ttj"
    p.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    with pytest.raises(JournalError):
        read_journal(p)


def test_checksum_is_crc32_of_the_payload(tmp_path):
    rec = encode_event({"t": 1.5, "kind": EventKind.TEXT, "text": "é", "target": "naam"})
    length = int.from_bytes(rec[:4], "little")
    assert length == len(rec) - 8
    assert int.from_bytes(rec[4:8], "little") == zlib.crc32(rec[8:])


def test_background_flusher_writes_without_an_explicit_flush(tmp_path):
    """Appended events reach the file within the flush interval (50 ms); we allow 2 s of noise."""
    path = tmp_path / "live.ttj"
    w = JournalWriter(path, HEADER)
    try:
        log = typing_log(seed=7)[:30]
        for row in log:
            w.append(row)
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline and len(read_journal(path).events) < 30:
            time.sleep(0.01)
        assert len(read_journal(path).events) == 30
    finally:
        w.close()


_texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=64)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(st.floats(allow_nan=False, allow_infinity=False, width=64), _texts, _texts,
                               st.integers(-(2**31), 2**31 - 1)), max_size=20))
def test_any_event_round_trips(tmp_path_factory, rows):
    log = np.zeros(len(rows), EVENT_DTYPE)
    for i, (t, text, target, key) in enumerate(rows):
        log[i] = (t, EventKind.TEXT, key, 0, 0, text, target, 0.0, 0.0)
    path = tmp_path_factory.mktemp("j") / "h.ttj"
    back = read_journal(_write(path, log)).events
    # numpy's U columns drop trailing NULs; compare as numpy stores them
    np.testing.assert_array_equal(back, log)
