"""The journal record format: round trip, torn ends, damage, authentication, the background
flusher and its behaviour when the disk refuses writes."""

from __future__ import annotations

import errno
import hashlib
import hmac
import itertools
import os
import stat
import time
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from store_testkit import typing_log

from typingtest.engine.events import EVENT_DTYPE, EventKind
from typingtest.formats.journal import (
    MAC_BYTES,
    MAGIC,
    MAGIC_V1,
    JournalError,
    JournalWriter,
    RecordMac,
    encode_event,
    journal_key_label,
    read_journal,
)
from typingtest.store.signing import SigningKey

HEADER = {"attempt_id": "a1", "session_id": "s1", "candidate_id": "C-1", "task": "copy-typing"}
KEYRING = SigningKey(bytes(range(32)))
#: the header a recorder writes: it names the centre key the attempt key is derived from
HEADER2 = {**HEADER, "journal_key": KEYRING.key_id}
ATTEMPT_KEY = KEYRING.derive(journal_key_label("a1"))


def _write(path, log, header=HEADER, key=None):
    with JournalWriter(path, header, key=key) as w:
        for row in log:
            w.append(row)
    return path


def _write2(path, log):
    return _write(path, log, HEADER2, ATTEMPT_KEY)


@pytest.mark.parametrize("version", [1, 2])
def test_round_trip_keeps_every_column(tmp_path, version):
    log = typing_log(seed=3)
    log["text"][1] = "ë"  # a committed dead-key character (2 UTF-8 bytes)
    log["x"][5], log["y"][5] = 12.5, 640.25
    log["mod"][7] = 0x40
    path = _write2(tmp_path / "a.ttj", log) if version == 2 else _write(tmp_path / "a.ttj", log)
    back = read_journal(path, KEYRING)
    assert back.header == (HEADER2 if version == 2 else HEADER)
    assert not back.torn and back.notes == [] and back.bad_ranges == []
    assert back.version == version and back.authenticated is (True if version == 2 else None)
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


@pytest.mark.parametrize("version", [1, 2])
def test_damaged_record_is_skipped_and_the_reader_goes_on(tmp_path, version):
    """One byte flipped in the middle: every event but the one whose record holds it is read,
    and the unread range is exactly that record's bytes."""
    log = typing_log(seed=6)
    path = _write2(tmp_path / "a.ttj", log) if version == 2 else _write(tmp_path / "a.ttj", log)
    data = bytearray(path.read_bytes())
    starts = _record_starts(bytes(data))
    hit = len(data) // 2
    k = max(i for i, s in enumerate(starts) if s <= hit)  # record k (0 = header) holds the flipped byte
    data[hit] ^= 0xFF
    path.write_bytes(bytes(data))
    back = read_journal(path, KEYRING)
    assert len(back.events) == len(log) - 1
    np.testing.assert_array_equal(back.events, np.delete(log, k - 1))
    assert back.bad_ranges == [(starts[k], starts[k + 1])]
    assert back.damaged and back.torn
    assert back.authenticated is (True if version == 2 else None)


def _record_starts(data: bytes) -> list[int]:
    """Offsets of every record, and the end of the file (hand-walked: 8-byte prefix + payload)."""
    starts, pos = [], len(MAGIC)
    while pos < len(data):
        starts.append(pos)
        pos += 8 + int.from_bytes(data[pos : pos + 4], "little")
    return [*starts, len(data)]


def test_a_torn_end_is_not_damage_but_a_bad_last_record_is(tmp_path):
    log = typing_log(seed=6)[:20]
    data = _write2(tmp_path / "a.ttj", log).read_bytes()
    p = tmp_path / "b.ttj"
    p.write_bytes(data[:-5])  # what a crash leaves: the last record runs past the end
    back = read_journal(p, KEYRING)
    assert len(back.events) == 19 and back.torn and not back.damaged
    p.write_bytes(data + b"\0" * 300)  # a zero-filled end (power cut on some file systems)
    back = read_journal(p, KEYRING)
    assert len(back.events) == 20 and back.torn and not back.damaged
    flipped = bytearray(data)
    flipped[-3] ^= 0x10  # inside the last record's MAC: it is whole but fails its CRC
    p.write_bytes(bytes(flipped))
    back = read_journal(p, KEYRING)
    assert len(back.events) == 19 and back.damaged


def test_v2_records_carry_a_truncated_hmac_of_seq_and_body(tmp_path):
    """Checked with the standard library's hmac, independently of ``RecordMac``."""
    log = typing_log(seed=2)[:3]
    data = _write2(tmp_path / "a.ttj", log).read_bytes()
    assert data[:8] == MAGIC == b"TTJOURN2"
    starts = _record_starts(data)
    for seq, (a, b) in enumerate(itertools.pairwise(starts)):
        payload = data[a + 8 : b]
        assert int.from_bytes(data[a + 4 : a + 8], "little") == zlib.crc32(payload)
        assert int.from_bytes(payload[:4], "little") == seq
        expected = hmac.new(ATTEMPT_KEY, payload[:-MAC_BYTES], hashlib.sha256).digest()[:MAC_BYTES]
        assert payload[-MAC_BYTES:] == expected
    assert RecordMac(ATTEMPT_KEY)(b"x" * 40) == hmac.new(ATTEMPT_KEY, b"x" * 40, hashlib.sha256).digest()[:16]


def test_records_moved_from_another_attempt_do_not_authenticate(tmp_path):
    """Another attempt's event records pasted after this attempt's header (CRCs valid): refused."""
    mine = _write2(tmp_path / "a.ttj", typing_log(seed=1)[:10]).read_bytes()
    other_key = KEYRING.derive(journal_key_label("b2"))
    other = _write(tmp_path / "b.ttj", typing_log(seed=9)[:10], {**HEADER2, "attempt_id": "b2"}, other_key)
    o = other.read_bytes()
    starts, ostarts = _record_starts(mine), _record_starts(o)
    forged = tmp_path / "f.ttj"
    forged.write_bytes(mine[: starts[1]] + o[ostarts[1] :])
    back = read_journal(forged, KEYRING)
    assert back.authenticated is False and "authenticate" in back.auth_problem
    assert len(back.events) == 0  # nothing of a forged journal is handed on
    # a header re-pointed to another candidate, CRC recomputed: its own MAC fails
    hdr = mine[starts[0] + 8 : starts[1]].replace(b'"C-1"', b'"C-2"')
    rec = len(hdr).to_bytes(4, "little") + zlib.crc32(hdr).to_bytes(4, "little") + hdr
    forged.write_bytes(MAGIC + rec + mine[starts[1] :])
    back = read_journal(forged, KEYRING)
    assert back.authenticated is False
    # an event removed cleanly (no damage left behind): the numbering shows the gap
    forged.write_bytes(mine[: starts[3]] + mine[starts[4] :])
    back = read_journal(forged, KEYRING)
    assert back.authenticated is False and "out of order" in back.auth_problem
    # without the key ring nothing is checked, the header is still read (erasure finds its owner)
    assert read_journal(forged).authenticated is None and read_journal(forged).header == HEADER2


def test_old_v1_journals_are_still_read_unauthenticated(tmp_path):
    log = typing_log(seed=4)[:12]
    path = _write(tmp_path / "old.ttj", log)
    assert path.read_bytes()[:8] == MAGIC_V1
    back = read_journal(path, KEYRING)
    assert back.version == 1 and back.authenticated is None
    np.testing.assert_array_equal(back.events, log)


class _FullDisk:
    """A file whose first ``fail`` writes raise ENOSPC (then it writes again): a disk that fills
    and is freed."""

    def __init__(self, fh, fail):
        self.fh, self.fail, self.calls = fh, fail, 0

    def write(self, data):
        self.calls += 1
        if self.calls <= self.fail:
            raise OSError(errno.ENOSPC, "No space left on device")
        return self.fh.write(data)

    def __getattr__(self, name):
        return getattr(self.fh, name)


def test_a_full_disk_keeps_the_events_in_memory_until_it_can_write(tmp_path):
    """Before: the flusher thread stopped at the first ENOSPC and every later event was lost."""
    path = tmp_path / "full.ttj"
    w = JournalWriter(path, HEADER2, interval=0.01, key=ATTEMPT_KEY)
    w._fh = _FullDisk(w._fh, fail=8)
    log = typing_log(seed=3)
    try:
        for row in log[:100]:
            w.append(row)
        deadline = time.monotonic() + 5
        while w.error is None and time.monotonic() < deadline:
            time.sleep(0.005)
        assert isinstance(w.error, OSError) and w.error.errno == errno.ENOSPC
        assert w.first_error_at is not None and abs(w.first_error_at - time.time()) < 5
        assert w.pending_bytes > 0
        for row in log[100:]:
            w.append(row)
        deadline = time.monotonic() + 5
        while (w.error is not None or w.pending_bytes) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert w.error is None and w.failures >= 8
    finally:
        w.close()
    back = read_journal(path, KEYRING)
    assert back.authenticated is True and not back.torn
    np.testing.assert_array_equal(back.events, log)


def test_a_partial_write_continues_where_it_stopped(tmp_path):
    class Half:
        def __init__(self, fh):
            self.fh = fh

        def write(self, data):
            return self.fh.write(bytes(data[: max(1, len(data) // 2)]))

        def __getattr__(self, name):
            return getattr(self.fh, name)

    path = tmp_path / "half.ttj"
    w = JournalWriter(path, HEADER2, key=ATTEMPT_KEY)
    w._fh = Half(w._fh)
    log = typing_log(seed=5)[:40]
    for row in log:
        w.append(row)
    w.close()
    np.testing.assert_array_equal(read_journal(path, KEYRING).events, log)


def test_close_on_a_full_disk_raises_and_keeps_the_bytes(tmp_path):
    path = tmp_path / "c.ttj"
    w = JournalWriter(path, HEADER2, interval=10.0, key=ATTEMPT_KEY)
    w._fh = _FullDisk(w._fh, fail=1)
    log = typing_log(seed=5)[:10]
    for row in log:
        w.append(row)
    with pytest.raises(OSError):
        w.close()
    w.close()  # space freed: the second close writes them
    np.testing.assert_array_equal(read_journal(path, KEYRING).events, log)


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


# ---- the recorder: disk full, database down at finish, journal permissions, key creation ----


def _unreachable():
    from sqlalchemy import create_engine

    return create_engine("postgresql+psycopg://nobody@127.0.0.1:9/none", connect_args={"connect_timeout": 2})


def test_recorder_disk_full_then_freed_stores_every_event(store):
    from store_testkit import new_attempt

    _, rec = new_attempt(store)
    rec._writer.interval = 0.01
    disk = _FullDisk(rec._writer._fh, fail=10**9)
    rec._writer._fh = disk
    log = typing_log(seed=8)
    rec.extend(log[:50])
    deadline = time.monotonic() + 5
    while rec.write_error is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert rec.write_error is not None and rec.write_error.errno == errno.ENOSPC
    rec.extend(log[50:])
    np.testing.assert_array_equal(rec.events(), log)  # nothing dropped: the events wait in memory
    disk.fail = 0  # space freed
    rec.flush()
    assert rec.write_error is None
    np.testing.assert_array_equal(read_journal(rec.journal_path, store.key).events, log)
    aid = rec.finish(None, {}, [], None)
    np.testing.assert_array_equal(store.events(aid), log)


def test_finish_again_after_the_database_refused_retries_the_first_result(store, results_dir):
    """Before: the second call raised ``RuntimeError: attempt ... already finished``."""
    from store_testkit import new_attempt

    from typingtest.store import StoreError

    _, rec = new_attempt(store)
    log = typing_log(seed=9)
    rec.extend(log)
    good = store.engine
    store.engine = _unreachable()
    with pytest.raises(StoreError, match="unreachable"):
        rec.finish(log, {"net_wpm": 41.5}, [], None, state="complete")
    with pytest.raises(StoreError, match="unreachable"):  # the workstation's exit path calls it again
        rec.finish(log[:10], {}, [], None, state="interrupted")
    assert rec.journal_path.exists()
    store.engine.dispose()
    store.engine = good
    aid = rec.finish(None, {}, [], None, state="interrupted")  # the database is back: the first result
    frame = store.attempts_frame()
    assert list(frame.state) == ["complete"] and frame.metrics[0] == {"net_wpm": 41.5}
    np.testing.assert_array_equal(store.events(aid), log)
    assert not rec.journal_path.exists()
    assert rec.finish() == aid  # once stored, finishing again only returns the id


def test_finish_refused_then_recover_stores_it_complete(store):
    from store_testkit import new_attempt

    from typingtest.store import StoreError

    _, rec = new_attempt(store)
    log = typing_log(seed=10)
    rec.extend(log)
    good = store.engine
    store.engine = _unreachable()
    with pytest.raises(StoreError):
        rec.finish(log, {"net_wpm": 40.0}, [], None)
    store.engine.dispose()
    store.engine = good
    assert [r.status for r in store.recover()] == ["stored-finished"]
    assert list(store.attempts_frame().state) == ["complete"]
    assert rec.finish() == rec.attempt_id  # a late retry finds it stored


@pytest.mark.skipif(os.name != "posix", reason="SKIPPED LOUDLY: POSIX file modes")
def test_journals_are_for_their_owner_only(store, results_dir):
    from store_testkit import new_attempt

    old = os.umask(0o022)
    try:
        _, rec = new_attempt(store)
    finally:
        os.umask(old)
    assert stat.S_IMODE(rec.journal_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(rec.journal_path.parent.stat().st_mode) == 0o700
    rec.close()


def test_key_creation_on_a_full_disk_leaves_no_empty_key_file(tmp_path, monkeypatch):
    """Before: a 0-byte key file was left and every later store failed even after space was freed."""
    from typingtest.errors import UserError
    from typingtest.store import signing

    path = tmp_path / "results" / "signing.key"
    real_fsync = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(signing.os, "fsync", full)
    with pytest.raises(UserError, match="cannot create the signing key") as err:
        signing.load_or_create_key(path)
    assert "\n" not in str(err.value) and "No space left" in str(err.value)
    assert not path.exists() and list(path.parent.iterdir()) == []  # no key file, no temporary file
    monkeypatch.setattr(signing.os, "fsync", real_fsync)
    key = signing.load_or_create_key(path)
    assert len(key.key) == 32 and path.read_text().strip() == key.key.hex()


def test_an_empty_key_file_left_by_an_earlier_version_is_replaced(tmp_path):
    from typingtest.store import signing

    path = tmp_path / "signing.key"
    path.write_bytes(b"")
    key = signing.load_or_create_key(path)
    assert path.read_text().strip() == key.key.hex()
    assert signing.load_or_create_key(path).key == key.key  # and kept from then on
    path.write_text("# the centre key goes here\n")  # comments only: someone meant a key; not replaced
    from typingtest.errors import UserError

    with pytest.raises(UserError, match="holds no key"):
        signing.load_or_create_key(path)


@pytest.mark.skipif(os.name != "posix", reason="SKIPPED LOUDLY: POSIX file modes")
def test_a_key_file_others_can_read_gives_one_warning(tmp_path, capsys):
    from typingtest.store import signing

    path = tmp_path / "signing.key"
    signing.load_or_create_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert capsys.readouterr().err == ""
    os.chmod(path, 0o644)
    signing.load_or_create_key(path)
    signing.load_or_create_key(path)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err and "chmod 600" in err


def test_two_processes_creating_the_key_at_once_use_one_key(tmp_path):
    """The no-clobber link: whichever key lands first is the one both use."""
    import concurrent.futures

    from typingtest.store import signing

    path = tmp_path / "signing.key"
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        keys = list(pool.map(lambda _: signing.load_or_create_key(path).key, range(16)))
    assert len(set(keys)) == 1 and path.read_text().strip() == keys[0].hex()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["signing.key"]
