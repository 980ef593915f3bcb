"""The attempt journal: an append-only file, one record per event, flushed as the candidate types.

Why this format: each record is **length-prefixed and carries a CRC32** of its payload, so a
reader can tell a whole record from a torn one after a crash or a power cut, and reads
everything up to the last whole record. JSON lines with a checksum would work too, but a
line break inside a torn write, or a half-written multi-byte character, is harder to tell
from damage; a binary record with a fixed 8-byte prefix is exact, small (about 60 bytes per
keystroke event instead of the 541 bytes of an ``EVENT_DTYPE`` row) and cheap to encode in
the keystroke path (one ``struct.pack`` and one truncated HMAC, about 1 µs).

Layout (all integers little-endian)::

    file    = MAGIC record*
    MAGIC   = b"TTJOURN2"                       (8 bytes)
    record  = length:u32 crc32:u32 payload      (crc32 = zlib.crc32(payload))
    payload = seq:u32 body mac:16               seq: 0 for the header, then 1, 2, ... in order;
                                                mac: HMAC-SHA256(attempt key, seq || body),
                                                first 16 bytes
    body    = b"H" JSON                         header: ids, task, item, meta, the key id
                                                (``journal_key``) (first record)
            | b"E" t:f64 kind:u8 key:i32 scancode:i32 mod:i32 x:f32 y:f32
                   text_len:u16 target_len:u16 text:utf-8 target:utf-8     one event
            | b"F" json_len:u32 JSON log_blob   the attempt finished: state, metrics,
                                                verdicts, actions and the full event log
                                                (``log_to_bytes``), written before the
                                                database is, so a crash in between loses nothing

The attempt key is ``SigningKey.derive("journal:" + attempt_id, journal_key)``: only a
workstation holding the centre key can write records that authenticate, and a record
moved from another attempt's journal, or a header changed to point at another session or
candidate, does not. ``TTJOURN1`` journals (written before: ``payload = body``, no sequence
number, no MAC) are still read, as unauthenticated.

A reader does not stop at a bad record: it scans forward for the next position where a
record's length and CRC check out, reads on from there, and reports every byte range it
could not read (``JournalContents.bad_ranges``). A crash can only tear the end of an
append-only file; an unreadable range followed by readable records is damage.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import threading
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import numpy as np

from typingtest.engine.events import EVENT_DTYPE, TEXT_WIDTH
from typingtest.fileperms import private_dir

__all__ = [
    "FLUSH_INTERVAL_S",
    "MAC_BYTES",
    "MAGIC",
    "MAGIC_V1",
    "JournalContents",
    "JournalError",
    "JournalWriter",
    "RecordMac",
    "decode_event",
    "encode_event",
    "encode_event_body",
    "journal_key_label",
    "log_from_blob",
    "log_to_blob",
    "parse_journal",
    "read_journal",
]

MAGIC = b"TTJOURN2"
#: The unauthenticated format written before records carried a MAC (still read).
MAGIC_V1 = b"TTJOURN1"
#: Bytes of the truncated HMAC-SHA256 at the end of each record's payload.
MAC_BYTES = 16
#: How often the background flusher writes and fsyncs pending events (seconds). With an
#: fsync taking a few milliseconds, every event is on disk within 100 ms of its append.
FLUSH_INTERVAL_S = 0.05

_PREFIX = struct.Struct("<II")
_SEQ = struct.Struct("<I")
_EVENT = struct.Struct("<cdBiiiffHH")
_FINISH_LEN = struct.Struct("<I")
_MAX_RECORD = 1 << 30
_TAGS = (b"H", b"E", b"F")


class JournalError(Exception):
    """A file that is not a journal at all (wrong magic and no record after it)."""


class KeyRing(Protocol):
    """What the reader needs of ``typingtest.store.signing.SigningKey``."""

    def derive(self, label: str, key_id: str | None = None) -> bytes: ...


def journal_key_label(attempt_id: str) -> str:
    """The derivation label of an attempt's journal key (``SigningKey.derive``)."""
    return f"journal:{attempt_id}"


class RecordMac:
    """HMAC-SHA256 truncated to ``MAC_BYTES``, with the key's inner and outer hash states
    computed once: about 1 µs for a 40-byte record instead of 2 µs for ``hmac.digest``."""

    def __init__(self, key: bytes) -> None:
        if len(key) > 64:
            key = hashlib.sha256(key).digest()
        key = key.ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def __call__(self, message: bytes) -> bytes:
        """The first ``MAC_BYTES`` bytes of HMAC-SHA256(key, message)."""
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()[:MAC_BYTES]


def _record(payload: bytes) -> bytes:
    return _PREFIX.pack(len(payload), zlib.crc32(payload)) + payload


def _sealed(seq: int, body: bytes, mac: RecordMac | None) -> bytes:
    """One whole record: ``TTJOURN2`` (seq, body, MAC) when ``mac`` is given, else ``TTJOURN1``."""
    if mac is None:
        return _record(body)
    head = _SEQ.pack(seq) + body
    return _record(head + mac(head))


def encode_event_body(row: Any) -> bytes:
    """One event as an ``E`` record body: an ``EVENT_DTYPE`` record, a dict of its columns, or a
    tuple in ``EVENT_DTYPE`` column order (the cheapest)."""
    if isinstance(row, tuple):
        t, kind, key, scancode, mod, text, target, x, y = row
        t, kind, key, scancode, mod, x, y = float(t), int(kind), int(key), int(scancode), int(mod), float(x), float(y)
    elif isinstance(row, Mapping):
        get = row.get
        text = str(get("text", "") or "")
        target = str(get("target", "") or "")
        t = float(get("t", 0.0))
        kind = int(get("kind", 0))
        key = int(get("key", 0))
        scancode = int(get("scancode", 0))
        mod = int(get("mod", 0))
        x = float(get("x", 0.0))
        y = float(get("y", 0.0))
    else:
        t, kind, key, scancode, mod, text, target, x, y = row.item()
    if len(text) > TEXT_WIDTH or len(target) > TEXT_WIDTH:
        raise ValueError(f"event text/target longer than {TEXT_WIDTH} characters")
    tb = text.encode("utf-8")
    gb = target.encode("utf-8")
    return _EVENT.pack(b"E", t, kind, key, scancode, mod, x, y, len(tb), len(gb)) + tb + gb


def encode_event(row: Any, seq: int | None = None, mac: RecordMac | None = None) -> bytes:
    """One event as a whole record: ``TTJOURN1`` without ``mac``, else ``TTJOURN2`` numbered ``seq``."""
    return _sealed(seq or 0, encode_event_body(row), mac)


def decode_event(body: bytes) -> tuple[Any, ...]:
    """An ``E`` body back to a tuple in ``EVENT_DTYPE`` column order."""
    _, t, kind, key, scancode, mod, x, y, nt, ng = _EVENT.unpack_from(body)
    off = _EVENT.size
    if off + nt + ng != len(body):
        raise ValueError(f"event record of {len(body)} bytes holds {off + nt + ng}")
    text = body[off : off + nt].decode("utf-8")
    target = body[off + nt : off + nt + ng].decode("utf-8")
    return (t, kind, key, scancode, mod, text, target, x, y)


def log_to_blob(log: np.ndarray) -> bytes:
    """An event log as compressed npz bytes (used when the engine's eventlog module is absent)."""
    buf = io.BytesIO()
    np.savez_compressed(buf, events=np.asarray(log, dtype=EVENT_DTYPE))
    return buf.getvalue()


def log_from_blob(blob: bytes) -> np.ndarray:
    """The inverse of ``log_to_blob``."""
    with np.load(io.BytesIO(blob), allow_pickle=False) as npz:
        return np.asarray(npz["events"], dtype=EVENT_DTYPE)


@dataclass
class JournalContents:
    """What a journal holds: every record that could be read, and the byte ranges that could not."""

    path: Path
    header: dict[str, Any] | None
    events: np.ndarray
    #: The ``F`` record's JSON (state, metrics, verdicts, actions) when the attempt finished.
    finish: dict[str, Any] | None = None
    #: The full event log from the ``F`` record (bytes as written by the log codec).
    finish_blob: bytes | None = None
    #: Bytes in whole, readable records, the magic included.
    valid_bytes: int = 0
    total_bytes: int = 0
    notes: list[str] = field(default_factory=list)
    #: ``[start, end)`` byte offsets the reader could not read (bad or torn records).
    bad_ranges: list[tuple[int, int]] = field(default_factory=list)
    #: 2 (``TTJOURN2``, authenticated records) or 1 (``TTJOURN1``).
    version: int = 2
    #: True: every readable record's MAC checked out; False: one did not (see ``auth_problem``);
    #: None: not checked (a ``TTJOURN1`` journal, no key ring given, or no readable header).
    authenticated: bool | None = None
    auth_problem: str | None = None

    @property
    def torn(self) -> bool:
        """True when bytes the reader could not read were dropped (a torn end or damage)."""
        return bool(self.bad_ranges)

    @property
    def damaged(self) -> bool:
        """True when an unreadable range is not just a torn end: readable records follow it, or
        a whole-length record at the end fails its CRC. A crash cannot do this; the journal is kept."""
        if not self.bad_ranges:
            return False
        if len(self.bad_ranges) > 1 or self.bad_ranges[0][1] != self.total_bytes:
            return True
        return any(not n.startswith("torn") for n in self.notes)

    @property
    def unread_bytes(self) -> int:
        """Bytes in ``bad_ranges``."""
        return sum(b - a for a, b in self.bad_ranges)


def _check_at(data: bytes, pos: int, end: int, v2: bool) -> tuple[int, str | None]:
    """The record at ``pos``: (its end, None) when whole with a good CRC, else (pos, why not)."""
    if pos + _PREFIX.size > end:
        return pos, "torn record prefix"
    length, crc = _PREFIX.unpack_from(data, pos)
    start = pos + _PREFIX.size
    low = 1 + (_SEQ.size + MAC_BYTES if v2 else 0)
    if length < low or length > _MAX_RECORD:
        return pos, "bad record length"
    if start + length > end:
        return pos, "torn record"
    if zlib.crc32(data[start : start + length]) != crc:
        return pos, "bad checksum"
    tag_at = start + (_SEQ.size if v2 else 0)
    if data[tag_at : tag_at + 1] not in _TAGS:
        return pos, "unknown record type"
    return start + length, None


def _resync(data: bytes, pos: int, end: int, v2: bool) -> int:
    """The first position after ``pos`` where a whole record with a good CRC starts, else ``end``."""
    for q in range(pos + 1, end - _PREFIX.size):
        if _check_at(data, q, end, v2)[1] is None:
            return q
    return end


def read_journal(path: str | os.PathLike[str], keyring: KeyRing | None = None) -> JournalContents:
    """Read every readable record of a journal, resynchronising after damage.

    ``keyring`` (the store's ``SigningKey``): check each record's MAC with the attempt key the
    header names; without it nothing is authenticated (``authenticated`` None). Raises
    ``JournalError`` when the file is not a journal (bad magic and no record right after it).
    """
    path = Path(path)
    return parse_journal(path.read_bytes(), path, keyring)


def parse_journal(data: bytes, path: Path | None = None, keyring: KeyRing | None = None) -> JournalContents:
    """``read_journal`` on bytes already in memory (``path`` names them in messages)."""
    path = path or Path("<journal>")
    end = len(data)
    empty = np.zeros(0, EVENT_DTYPE)
    notes: list[str] = []
    bad: list[tuple[int, int]] = []
    m = len(MAGIC)
    magic = data[:m]
    if end < m:
        if MAGIC.startswith(data) or MAGIC_V1.startswith(data):
            return JournalContents(path, None, empty, total_bytes=end, notes=["torn before the header"],
                                   bad_ranges=[(0, end)] if end else [])
        raise JournalError(f"{path}: not a typingtest journal (bad magic)")
    if magic in (MAGIC, MAGIC_V1):
        v2 = magic == MAGIC
    else:  # a damaged magic: a journal still if a whole record follows it
        for v2 in (True, False):
            if _check_at(data, m, end, v2)[1] is None:
                break
        else:
            raise JournalError(f"{path}: not a typingtest journal (bad magic)")
        notes.append("damaged magic at byte 0")
        bad.append((0, m))
    header: dict[str, Any] | None = None
    finish: dict[str, Any] | None = None
    finish_blob: bytes | None = None
    rows: list[tuple[Any, ...]] = []
    records: list[tuple[int, int, bytes]] = []  # (offset, seq, body) of each whole record
    pos = m
    valid = m if not bad else 0
    while pos < end:
        nxt, why = _check_at(data, pos, end, v2)
        if why is None:
            payload = data[pos + _PREFIX.size : nxt]
            if v2:
                (seq,) = _SEQ.unpack_from(payload)
                records.append((pos, seq, payload))
            else:
                records.append((pos, len(records), payload))
            valid += nxt - pos
            pos = nxt
            continue
        resume = _resync(data, pos, end, v2)
        if resume == end and why not in ("torn record", "torn record prefix"):
            # a record running past the end is what a crash leaves; so is a zero-filled end
            why = "torn (zero-filled end)" if not data[pos:end].strip(b"\0") else f"{why} (at the end)"
        notes.append(f"{why} at byte {pos}: bytes {pos}-{resume} unread")
        bad.append((pos, resume))
        pos = resume
    mac: RecordMac | None = None
    authenticated: bool | None = None
    auth_problem: str | None = None
    expected_seq = 0
    for offset, seq, payload in records:
        body = payload[_SEQ.size : -MAC_BYTES] if v2 else payload
        tag = body[:1]
        if v2 and mac is None and tag == b"H" and header is None and keyring is not None:
            mac, auth_problem = _attempt_mac(body, keyring)
            authenticated = None if mac is None else True
        if mac is not None:
            if mac(payload[:-MAC_BYTES]) != payload[-MAC_BYTES:]:
                authenticated = False
                auth_problem = f"record at byte {offset} does not authenticate with this attempt's key"
                break
            if seq < expected_seq or (seq > expected_seq and not any(b == offset for _, b in bad)):
                authenticated = False
                auth_problem = f"record at byte {offset} is out of order (number {seq}, expected {expected_seq})"
                break
            expected_seq = seq + 1
        try:
            if tag == b"E":
                rows.append(decode_event(body))
            elif tag == b"H":
                if header is not None:
                    raise ValueError("a second header")
                loaded = json.loads(body[1:].decode("utf-8"))
                if not isinstance(loaded, dict):
                    raise ValueError(f"the header is a JSON {type(loaded).__name__}, not an object")
                header = loaded
            elif tag == b"F":
                (n,) = _FINISH_LEN.unpack_from(body, 1)
                loaded = json.loads(body[5 : 5 + n].decode("utf-8"))
                if not isinstance(loaded, dict):
                    raise ValueError(f"the finish record is a JSON {type(loaded).__name__}, not an object")
                finish, finish_blob = loaded, bytes(body[5 + n :])
        except (ValueError, struct.error, UnicodeDecodeError) as exc:
            notes.append(f"unreadable {tag.decode('ascii', 'replace')} record at byte {offset}: {exc}")
            bad.append((offset, offset + _PREFIX.size + len(payload)))
            valid -= _PREFIX.size + len(payload)
    if authenticated is False:  # nothing in a journal with a forged record is trusted
        rows, finish, finish_blob = [], None, None
    events = np.array(rows, dtype=EVENT_DTYPE) if rows else empty
    bad.sort()
    return JournalContents(path, header, events, finish, finish_blob, valid, end, notes, bad, 2 if v2 else 1,
                           authenticated, auth_problem)


def _attempt_mac(header_body: bytes, keyring: KeyRing) -> tuple[RecordMac | None, str | None]:
    """The attempt's record MAC from its header body (attempt id, key id), or why there is none."""
    try:
        head = json.loads(header_body[1:].decode("utf-8"))
        aid, key_id = head["attempt_id"], head.get("journal_key")
        if not isinstance(aid, str) or not isinstance(key_id, str):
            return None, "the header names no attempt id or journal key"
        return RecordMac(keyring.derive(journal_key_label(aid), key_id)), None
    except KeyError:
        return None, "written with a key this workstation does not hold"
    except (ValueError, TypeError, UnicodeDecodeError):
        return None, "the header is not readable JSON"


def _fsync_dir(path: Path) -> None:
    """Make a new file's directory entry durable (POSIX; Windows has no directory fsync)."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class JournalWriter:
    """Appends events to a journal; a background thread writes and fsyncs every ``interval`` s.

    ``append`` only encodes and seals the event and puts the bytes in a list (a few
    microseconds), so it can run in the workstation's keystroke path. ``flush()`` writes and
    fsyncs now. A write that fails (disk full, a removed drive) loses nothing: the bytes stay
    in memory, ``error`` and ``first_error_at`` say so, and every later flush tries again.

    ``key``: the attempt's journal key (``TTJOURN2``, each record authenticated); None writes
    the unauthenticated ``TTJOURN1`` format (kept for tests and tools).
    """

    def __init__(self, path: str | os.PathLike[str], header: Mapping[str, Any],
                 interval: float = FLUSH_INTERVAL_S, key: bytes | None = None) -> None:
        self.path = Path(path)
        private_dir(self.path.parent)
        self.interval = interval
        self.count = 0
        #: The last write or fsync error not yet overcome (None when everything queued is on disk
        #: or will be at the next flush).
        self.error: OSError | None = None
        #: ``time.time()`` (seconds since the epoch) of the first write failure, None if none.
        self.first_error_at: float | None = None
        #: Flushes that failed so far.
        self.failures = 0
        self._mac = RecordMac(key) if key is not None else None
        self._seq = 0
        self._pending: list[bytes] = []
        self._unwritten = bytearray()
        self._unsynced = False
        self._lock = threading.Lock()
        self._io_lock = threading.Lock()
        # unbuffered: ``write`` says how many bytes reached the file, so a failed write keeps the rest
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        self._fh: BinaryIO = os.fdopen(fd, "wb", buffering=0)
        head = (MAGIC if self._mac else MAGIC_V1) + self._seal(
            b"H" + json.dumps(dict(header), ensure_ascii=False).encode("utf-8"))
        self._unwritten += head
        try:  # a full disk already: the header waits in memory like any record
            self.flush()
            _fsync_dir(self.path.parent)
        except OSError:
            pass
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"journal-{self.path.stem}", daemon=True)
        self._thread.start()

    def _seal(self, body: bytes) -> bytes:
        """``body`` as the next whole record (call with ``_lock`` held, or before the thread starts)."""
        rec = _sealed(self._seq, body, self._mac)
        self._seq += 1
        return rec

    def append(self, row: Any) -> None:
        """Queue one event (``EVENT_DTYPE`` record, dict or tuple); on disk within ``interval`` + fsync."""
        body = encode_event_body(row)
        with self._lock:
            self._pending.append(self._seal(body))
            self.count += 1

    def write_finish(self, finish: Mapping[str, Any], log_blob: bytes) -> None:
        """Write the ``F`` record (final state, metrics ... and the full log) and fsync it."""
        js = json.dumps(dict(finish), ensure_ascii=False).encode("utf-8")
        body = b"F" + _FINISH_LEN.pack(len(js)) + js + log_blob
        with self._lock:
            self._pending.append(self._seal(body))
        self.flush()

    @property
    def pending_bytes(self) -> int:
        """Bytes queued or refused by the disk, not yet written."""
        with self._lock:
            return len(self._unwritten) + sum(len(p) for p in self._pending)

    def snapshot(self) -> bytes:
        """The journal as it will be once everything queued is written: the file's bytes, then
        the bytes the disk refused or that wait for the next flush."""
        with self._io_lock:
            on_disk = self.path.read_bytes()
            with self._lock:
                return on_disk + bytes(self._unwritten) + b"".join(self._pending)

    def _write_all(self, buf: bytearray) -> None:
        """Write ``buf`` to the file, removing from it what was written (a partial write keeps the rest)."""
        while buf:
            n = self._fh.write(buf)
            if n is None or n <= 0:  # a non-blocking or full device wrote nothing
                raise OSError(28, "No space left on device (nothing written)")
            del buf[:n]

    def flush(self) -> None:
        """Write every pending record and fsync; raises the ``OSError`` when the disk refuses
        (the bytes stay queued for the next flush)."""
        with self._io_lock:
            with self._lock:
                if self._pending:
                    self._unwritten += b"".join(self._pending)
                    self._pending.clear()
            if self._fh.closed:
                if self._unwritten:
                    raise OSError(f"{self.path}: journal closed with {len(self._unwritten)} bytes unwritten")
                return
            try:
                if self._unwritten:
                    self._unsynced = True
                    self._write_all(self._unwritten)
                if self._unsynced:
                    os.fsync(self._fh.fileno())
                    self._unsynced = False
            except OSError as exc:
                self.failures += 1
                if self.first_error_at is None:
                    self.first_error_at = time.time()
                self.error = exc
                raise
            self.error = None

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.flush()
            except OSError:
                continue  # kept in ``error``; the next flush tries again

    def close(self) -> None:
        """Stop the flusher, write what is pending, fsync and close the file (idempotent).

        Raises the ``OSError`` when the pending bytes cannot be written; the file then stays
        open so that a later ``close`` (space freed) can still write them."""
        if self._fh.closed:
            return
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        self.flush()
        self._fh.close()

    def abandon(self) -> None:
        """Close the file now, dropping whatever the disk refused (after the attempt was stored elsewhere)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        with self._io_lock:
            self._unwritten.clear()
            self._pending.clear()
            if not self._fh.closed:
                self._fh.close()

    def __enter__(self) -> JournalWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
