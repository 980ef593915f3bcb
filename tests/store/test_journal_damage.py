"""What recovery does with damaged, malformed and forged journals (issue 19, items 2, 11, 13).

- Bit flips at every offset of a sample journal (header, middle, tail): no intact event is
  lost, before or after the damage, and no journal is deleted unless its events are stored.
- One malformed journal is one bad journal: moved to ``journal/damaged/`` with a one-line
  reason, the others recovered, ``recover`` exits 1, ``run`` still starts.
- Records that do not authenticate (another attempt's events, a re-pointed header) are not
  stored; an old unauthenticated ``TTJOURN1`` journal is, marked so.
"""

from __future__ import annotations

import json
import zlib

import numpy as np
from store_testkit import typing_log

from typingtest.formats.journal import MAGIC, JournalWriter, journal_key_label, parse_journal, read_journal
from typingtest.store.recovery import DAMAGED_DIR

#: events in the sample journal of the sweep (the first 15 rows of a typing log)
N_EVENTS = 15
#: every STRIDE-th byte is flipped (one bit each, bit = offset % 8), plus every byte of the
#: header's first 40 bytes and of the last two records
STRIDE = 5


def _session(store, candidate="CAND-0001"):
    store.ensure_candidate(candidate, "2026-11")
    return store.start_session(candidate, "quick", "h", "ws-test", "nl")


def _starts(data: bytes) -> list[int]:
    """Offsets of every record, and the end of the file (hand-walked: 8-byte prefix + payload)."""
    starts, pos = [], len(MAGIC)
    while pos < len(data):
        starts.append(pos)
        pos += 8 + int.from_bytes(data[pos : pos + 4], "little")
    return [*starts, len(data)]


def _journal(store, sid, log):
    """A journal as a killed workstation leaves it (no finish record); returns (path, attempt id)."""
    rec = store.begin_attempt(sid, "copy-typing", "nl-copy-01", False, {"note": "no presented text: fast"})
    rec.extend(log)
    rec.close()
    return rec.journal_path, rec.attempt_id


def test_bit_flip_sweep_loses_no_intact_event(store, results_dir, capsys):
    sid = _session(store)
    log = typing_log(seed=11)[:N_EVENTS]
    path, _ = _journal(store, sid, log)
    sample = path.read_bytes()
    path.unlink()
    starts = _starts(sample)
    size = len(sample)
    offsets = sorted(set(range(0, size, STRIDE)) | set(range(0, 40)) | set(range(starts[-3], size)))
    cuts = {}  # attempt id -> (offset, record index hit: 0 header, k event k-1; -1 the magic)
    for offset in offsets:
        p, aid = _journal(store, sid, log)
        data = bytearray(p.read_bytes())
        assert len(data) == size  # every journal of the sweep has the sample's layout
        data[offset] ^= 1 << (offset % 8)
        p.write_bytes(bytes(data))
        hit = -1 if offset < len(MAGIC) else max(i for i, s in enumerate(starts[:-1]) if s <= offset)
        cuts[aid] = (offset, hit)
    results = {r.attempt_id: r for r in store.recover()}
    frame = store.attempts_frame()
    stored = set(frame.attempt_id)
    damaged_dir = results_dir / "journal" / DAMAGED_DIR
    kept = {p.name for p in damaged_dir.glob("*.ttj")}
    events_intact = events_kept = journals_kept = stored_count = 0
    zones = {"magic": 0, "header": 0, "events": 0}
    for aid, (offset, hit) in cuts.items():
        zones["magic" if hit < 0 else "header" if hit == 0 else "events"] += 1
        intact = log if hit <= 0 else np.delete(log, hit - 1)
        events_intact += len(intact)
        name = f"{aid}.ttj"
        if aid in stored:
            stored_count += 1
            np.testing.assert_array_equal(store.events(aid), intact, err_msg=f"offset {offset}")
            events_kept += len(intact)
        else:  # not stored: the journal must be kept, and every intact event still readable in it
            assert name in kept, f"offset {offset}: neither stored nor kept ({results.get(aid)})"
            back = read_journal(damaged_dir / name, store.key)
            np.testing.assert_array_equal(back.events, intact, err_msg=f"offset {offset}")
            events_kept += len(intact)
            assert (damaged_dir / f"{name}.txt").read_text().count("unread byte ranges") == 1
        if name in kept:
            journals_kept += 1
            report = (damaged_dir / f"{name}.txt").read_text()
            listed = report.split("unread byte ranges [start-end): ")[1].splitlines()[0]
            ranges = [tuple(map(int, r.split("-"))) for r in listed.split(", ")]
            assert any(a <= offset < b for a, b in ranges), (offset, listed)  # the report names the damage
        else:  # deleted: only after its events were stored (a torn-looking last record)
            assert aid in stored and hit == N_EVENTS, f"offset {offset}: deleted ({results.get(aid)})"
    assert events_kept == events_intact
    assert not list((results_dir / "journal").glob("*.ttj"))  # nothing left unhandled
    # a header flip cannot be stored (no ids), every other flip can
    assert stored_count == len(cuts) - zones["header"]
    with capsys.disabled():
        print(f"\nbit-flip sweep ({store.dialect}): journal of {size} bytes, {N_EVENTS} events; "
              f"{len(cuts)} cuts (magic {zones['magic']}, header {zones['header']}, events {zones['events']}); "
              f"intact events {events_intact}, kept {events_kept} (stored {stored_count} attempts); "
              f"journals kept {journals_kept}, deleted {len(cuts) - journals_kept}")


def test_reader_sweep_every_offset_every_bit(tmp_path):
    """The reader alone, on every bit of every byte: the intact events come back, in order, and
    a flip is never mistaken for a clean journal."""
    from typingtest.store.signing import SigningKey

    ring = SigningKey(bytes(range(32)))
    header = {"attempt_id": "a1", "session_id": "s1", "candidate_id": "C", "task": "copy-typing",
              "started_at": "2026-12-01T10:00:00+00:00", "journal_key": ring.key_id}
    log = typing_log(seed=11)[:N_EVENTS]
    path = tmp_path / "a.ttj"
    with JournalWriter(path, header, key=ring.derive(journal_key_label("a1"))) as w:
        for row in log:
            w.append(row)
    data = path.read_bytes()
    starts = _starts(data)
    flips = 0
    for offset in range(len(data)):
        hit = -1 if offset < len(MAGIC) else max(i for i, s in enumerate(starts[:-1]) if s <= offset)
        intact = log if hit <= 0 else np.delete(log, hit - 1)
        for bit in range(8):
            bad = bytearray(data)
            bad[offset] ^= 1 << bit
            back = parse_journal(bytes(bad), keyring=ring)
            np.testing.assert_array_equal(back.events, intact, err_msg=f"{offset}:{bit}")
            assert back.torn, (offset, bit)
            assert back.header == (None if hit == 0 else header)
            assert back.authenticated is (None if hit == 0 else True)
            # only a flip in the last record's length can look like a crash's torn end
            assert back.damaged or hit == N_EVENTS, (offset, bit)
            flips += 1
    assert flips == 8 * len(data)


def _craft(store, sid, header_changes=None, *, raw_header=None, finish_blob=None, events=5, seed=1):
    """A journal written with the store's key (valid CRCs and MACs) whose header or finish record
    is malformed as given; returns its path."""
    import uuid

    aid = uuid.uuid4().hex
    header = {"journal_format": 2, "attempt_id": aid, "session_id": sid, "candidate_id": "CAND-0001",
              "task": "copy-typing", "item": "x", "practice": False, "meta": {},
              "started_at": "2026-12-01T10:00:00.000000+00:00", "workstation": "ws", "journal_key": store.key.key_id}
    header.update(header_changes or {})
    path = store.journal_dir / f"{aid}.ttj"
    w = JournalWriter(path, header, key=store.key.derive(journal_key_label(aid)))
    if raw_header is not None:  # replace the header record by another JSON text, sealed alike
        w._pending.clear()
    for row in typing_log(seed=seed)[:events]:
        w.append(row)
    if finish_blob is not None:
        w.write_finish({"state": "complete", "metrics": {}, "verdicts": [], "actions": None,
                        "ended_at": "2026-12-01T10:01:00+00:00", "format": "eventlog"}, finish_blob)
    w.close()
    if raw_header is not None:
        data = path.read_bytes()
        starts = _starts(data)
        from typingtest.formats.journal import RecordMac

        mac = RecordMac(store.key.derive(journal_key_label(aid)))
        body = b"\0\0\0\0H" + json.dumps(raw_header).encode()
        payload = body + mac(body)
        rec = len(payload).to_bytes(4, "little") + zlib.crc32(payload).to_bytes(4, "little") + payload
        path.write_bytes(MAGIC + rec + data[starts[1] :])
    return path


def test_malformed_journals_are_set_aside_and_the_rest_recovered(store, db_url, results_dir, capsys):
    """Before: a header that is a JSON list (or lacks attempt_id, or has a bad time, or a bad
    blob in F) raised a traceback in ``recover`` and stopped every other journal."""
    from typingtest.cli import main

    sid = _session(store)
    bad = [
        _craft(store, sid, raw_header=["not", "an", "object"]),
        _craft(store, sid, raw_header={"session_id": sid, "task": "copy-typing"}),  # no attempt_id
        _craft(store, sid, {"started_at": "yesterday at noon"}),
        _craft(store, sid, finish_blob=b"\x00not an event log\xff" * 3),
    ]
    good = []
    for seed in (3, 4):
        rec = store.begin_attempt(sid, "copy-typing", "x", False, {})
        rec.extend(typing_log(seed=seed)[:20])
        rec.close()
        good.append(rec.attempt_id)
    store.close()
    capsys.readouterr()
    code = main(["recover", "--db", db_url])
    out = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in out.err + out.out and out.err == ""
    lines = out.out.splitlines()
    assert sum(ln.startswith("recovered ") for ln in lines) == 2
    assert sum(ln.startswith("damaged ") for ln in lines) == 4, lines
    damaged = results_dir / "journal" / DAMAGED_DIR
    assert sorted(p.name for p in damaged.glob("*.ttj")) == sorted(p.name for p in bad)
    for p in bad:
        reason = [ln for ln in (damaged / f"{p.name}.txt").read_text().splitlines() if ln.startswith("reason: ")]
        assert len(reason) == 1 and len(reason[0]) < 220
    reasons = " | ".join((damaged / f"{p.name}.txt").read_text() for p in bad)
    assert "started_at" in reasons and "bad event blob" in reasons
    assert not list((results_dir / "journal").glob("*.ttj"))
    from typingtest.store import Store

    with Store(db_url, results_dir, results_dir / "signing.key") as s:
        assert sorted(s.attempts_frame().attempt_id) == sorted(good)
    # a second run finds nothing more to do: the damaged ones are out of the way
    assert main(["recover", "--db", db_url]) == 0


def test_workstation_starts_despite_a_malformed_journal(results_dir):
    """``run`` recovers at start; a malformed journal no longer stops it."""
    from typingtest.config import Settings
    from typingtest.store import open_store
    from typingtest.workstation.runner import open_workstation_store

    settings = Settings(results_dir=results_dir)
    store = open_store(settings)
    sid = _session(store)
    _craft(store, sid, raw_header=["a", "list"])
    rec = store.begin_attempt(sid, "copy-typing", "x", False, {})
    rec.extend(typing_log(seed=2)[:10])
    rec.close()
    store.close()
    store, results = open_workstation_store(settings)
    try:
        assert sorted(r.status for r in results) == ["damaged", "recovered"]
    finally:
        store.close()


def test_events_of_another_attempt_pasted_under_this_header_are_not_stored(store, results_dir):
    sid = _session(store)
    store.ensure_candidate("CAND-0002", "2026-11")
    sid2 = store.start_session("CAND-0002", "quick", "h", "ws-test", "nl")
    mine = store.begin_attempt(sid, "copy-typing", "x", False, {})
    mine.extend(typing_log(seed=1)[:5])
    mine.close()
    other = store.begin_attempt(sid2, "copy-typing", "x", False, {})
    other.extend(typing_log(seed=7)[:60])  # a better candidate's log
    other.close()
    a, b = mine.journal_path.read_bytes(), other.journal_path.read_bytes()
    mine.journal_path.write_bytes(a[: _starts(a)[1]] + b[_starts(b)[1] :])
    other.journal_path.unlink()
    (res,) = store.recover()
    assert res.status == "damaged" and res.n_events == 0 and "authenticate" in res.message
    assert len(store.attempts_frame()) == 0
    assert (results_dir / "journal" / DAMAGED_DIR / mine.journal_path.name).exists()


def test_a_header_re_pointed_to_another_session_is_not_stored(store, results_dir):
    """The header's CRC recomputed after the edit (what a careful forger does): its MAC fails."""
    sid = _session(store)
    store.ensure_candidate("CAND-0002", "2026-11")
    sid2 = store.start_session("CAND-0002", "quick", "h", "ws-test", "nl")
    rec = store.begin_attempt(sid, "copy-typing", "x", False, {})
    rec.extend(typing_log(seed=1)[:30])
    rec.close()
    data = rec.journal_path.read_bytes()
    s = _starts(data)
    payload = data[s[0] + 8 : s[1]]
    edited = payload.replace(sid.encode(), sid2.encode()).replace(b"CAND-0001", b"CAND-0002")
    assert edited != payload
    rec.journal_path.write_bytes(MAGIC + len(edited).to_bytes(4, "little") + zlib.crc32(edited).to_bytes(4, "little")
                                 + edited + data[s[1] :])
    (res,) = store.recover()
    assert res.status == "damaged" and "authenticate" in res.message
    assert len(store.attempts_frame()) == 0


def test_an_old_v1_journal_is_recovered_marked_unauthenticated(store, capsys, db_url):
    from typingtest.cli import main

    sid = _session(store)
    import uuid

    aid = uuid.uuid4().hex
    header = {"journal_format": 1, "attempt_id": aid, "session_id": sid, "candidate_id": "CAND-0001",
              "task": "copy-typing", "item": "x", "practice": False, "meta": {},
              "started_at": "2026-12-01T10:00:00.000000+00:00", "workstation": "ws"}
    log = typing_log(seed=5)[:25]
    with JournalWriter(store.journal_dir / f"{aid}.ttj", header) as w:  # no key: TTJOURN1
        for row in log:
            w.append(row)
    assert (store.journal_dir / f"{aid}.ttj").read_bytes()[:8] == b"TTJOURN1"
    capsys.readouterr()
    assert main(["recover", "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert "not authenticated" in out and "TTJOURN1" in out
    frame = store.attempts_frame()
    assert list(frame.attempt_id) == [aid]
    with store.engine.connect() as conn:
        from sqlalchemy import select

        from typingtest.store import schema as S

        meta = json.loads(conn.execute(select(S.attempts.c.meta)).scalar())
    assert meta["recovery"]["authenticated"] is False
    np.testing.assert_array_equal(store.events(aid), log)


def test_a_clean_journal_is_deleted_only_after_its_events_read_back_equal(store, monkeypatch, results_dir):
    """The database hands back other events than were stored (a broken codec, a trigger): kept."""
    sid = _session(store)
    rec = store.begin_attempt(sid, "copy-typing", "x", False, {})
    rec.extend(typing_log(seed=1)[:12])
    rec.close()
    real = store.events
    monkeypatch.setattr(store, "events", lambda aid: real(aid)[:-1])
    (res,) = store.recover()
    assert res.status == "damaged" and res.n_events == 12  # stored, but the journal is kept
    assert (results_dir / "journal" / DAMAGED_DIR / rec.journal_path.name).exists()
    assert "read back differ" in (results_dir / "journal" / DAMAGED_DIR / f"{rec.journal_path.name}.txt").read_text()


def test_damaged_journal_exits_1_with_the_intact_events_stored(store, db_url, results_dir, capsys):
    """The issue's case: one byte flipped at offset 400 of a journal: before, 1 event stored, rc 0,
    the later intact events lost with the deleted journal."""
    from typingtest.cli import main

    sid = _session(store)
    rec = store.begin_attempt(sid, "copy-typing", "x", False, {})
    log = typing_log(seed=2)[:8]
    rec.extend(log)
    rec.close()
    data = bytearray(rec.journal_path.read_bytes())
    s = _starts(bytes(data))
    k = max(i for i, st in enumerate(s[:-1]) if st <= 400)
    assert 1 <= k < len(s) - 2  # an event record with others after it
    data[400] ^= 0xFF
    rec.journal_path.write_bytes(bytes(data))
    capsys.readouterr()
    assert main(["recover", "--db", db_url]) == 1
    out = capsys.readouterr().out
    assert f"{len(log) - 1} events" in out and "damaged/" in out
    np.testing.assert_array_equal(store.events(rec.attempt_id), np.delete(log, k - 1))
    report = (results_dir / "journal" / DAMAGED_DIR / f"{rec.journal_path.name}.txt").read_text()
    assert f"{s[k]}-{s[k + 1]}" in report
