"""The attempt journal: an append-only file, one record per event, flushed as the candidate types.

Why this format: each record is **length-prefixed and carries a CRC32** of its payload, so a
reader can tell a whole record from a torn one after a crash or a power cut, and reads
everything up to the last whole record. JSON lines with a checksum would work too, but a
line break inside a torn write, or a half-written multi-byte character, is harder to tell
from damage; a binary record with a fixed 8-byte prefix is exact, small (about 40 bytes per
keystroke event instead of the 541 bytes of an ``EVENT_DTYPE`` row) and cheap to encode in
the keystroke path (one ``struct.pack``).

Layout (all integers little-endian)::

    file    = MAGIC record*
    MAGIC   = b"TTJOURN1"                       (8 bytes)
    record  = length:u32 crc32:u32 payload      (crc32 = zlib.crc32(payload))
    payload = b"H" JSON                         header: ids, task, item, meta (first record)
            | b"E" t:f64 kind:u8 key:i32 scancode:i32 mod:i32 x:f32 y:f32
                   text_len:u16 target_len:u16 text:utf-8 target:utf-8     one event
            | b"F" json_len:u32 JSON log_blob   the attempt finished: state, metrics,
                                                verdicts, actions and the full event log
                                                (``log_to_bytes``), written before the
                                                database is, so a crash in between loses nothing

A reader stops at the first record whose length runs past the end of the file or whose CRC
does not match: a crash can only tear the end of an append-only file.
"""

from __future__ import annotations

import io
import json
import os
import struct
import threading
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from typingtest.engine.events import EVENT_DTYPE, TEXT_WIDTH

__all__ = [
    "FLUSH_INTERVAL_S",
    "MAGIC",
    "JournalContents",
    "JournalError",
    "JournalWriter",
    "decode_event",
    "encode_event",
    "log_from_blob",
    "log_to_blob",
    "read_journal",
]

MAGIC = b"TTJOURN1"
#: How often the background flusher writes and fsyncs pending events (seconds). With an
#: fsync taking a few milliseconds, every event is on disk within 100 ms of its append.
FLUSH_INTERVAL_S = 0.05

_PREFIX = struct.Struct("<II")
_EVENT = struct.Struct("<cdBiiiffHH")
_FINISH_LEN = struct.Struct("<I")
_MAX_RECORD = 1 << 30


class JournalError(Exception):
    """A file that is not a journal at all (wrong magic); a torn end is not an error."""


def _record(payload: bytes) -> bytes:
    return _PREFIX.pack(len(payload), zlib.crc32(payload)) + payload


def encode_event(row: Any) -> bytes:
    """One event as a whole journal record: an ``EVENT_DTYPE`` record, a dict of its columns, or a
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
    payload = _EVENT.pack(b"E", t, kind, key, scancode, mod, x, y, len(tb), len(gb)) + tb + gb
    return _PREFIX.pack(len(payload), zlib.crc32(payload)) + payload


def decode_event(payload: bytes) -> tuple[Any, ...]:
    """An ``E`` payload back to a tuple in ``EVENT_DTYPE`` column order."""
    _, t, kind, key, scancode, mod, x, y, nt, ng = _EVENT.unpack_from(payload)
    off = _EVENT.size
    text = payload[off : off + nt].decode("utf-8")
    target = payload[off + nt : off + nt + ng].decode("utf-8")
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
    """What a journal holds, up to its last whole record."""

    path: Path
    header: dict[str, Any] | None
    events: np.ndarray
    #: The ``F`` record's JSON (state, metrics, verdicts, actions) when the attempt finished.
    finish: dict[str, Any] | None = None
    #: The full event log from the ``F`` record (bytes as written by the log codec).
    finish_blob: bytes | None = None
    valid_bytes: int = 0
    total_bytes: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def torn(self) -> bool:
        """True when bytes after the last whole record were dropped."""
        return self.valid_bytes < self.total_bytes


def read_journal(path: str | os.PathLike[str]) -> JournalContents:
    """Read a journal up to its last whole record; raise JournalError if it is not a journal."""
    path = Path(path)
    data = path.read_bytes()
    if len(data) < len(MAGIC):
        if MAGIC.startswith(data):
            return JournalContents(path, None, np.zeros(0, EVENT_DTYPE), total_bytes=len(data),
                                   notes=["torn before the header"])
        raise JournalError(f"{path}: not a typingtest journal (bad magic)")
    if data[: len(MAGIC)] != MAGIC:
        raise JournalError(f"{path}: not a typingtest journal (bad magic)")
    pos = len(MAGIC)
    header: dict[str, Any] | None = None
    finish: dict[str, Any] | None = None
    finish_blob: bytes | None = None
    rows: list[tuple[Any, ...]] = []
    notes: list[str] = []
    end = len(data)
    while pos < end:
        if pos + _PREFIX.size > end:
            notes.append(f"torn record prefix at byte {pos}")
            break
        length, crc = _PREFIX.unpack_from(data, pos)
        start = pos + _PREFIX.size
        if length == 0 or length > _MAX_RECORD or start + length > end:
            notes.append(f"torn record at byte {pos}")
            break
        payload = data[start : start + length]
        if zlib.crc32(payload) != crc:
            notes.append(f"bad checksum at byte {pos}")
            break
        tag = payload[:1]
        try:
            if tag == b"E":
                rows.append(decode_event(payload))
            elif tag == b"H":
                header = json.loads(payload[1:].decode("utf-8"))
            elif tag == b"F":
                (n,) = _FINISH_LEN.unpack_from(payload, 1)
                finish = json.loads(payload[5 : 5 + n].decode("utf-8"))
                finish_blob = bytes(payload[5 + n :])
            else:
                notes.append(f"unknown record {tag!r} at byte {pos}")
                break
        except (ValueError, struct.error, UnicodeDecodeError) as exc:
            notes.append(f"unreadable record at byte {pos}: {exc}")
            break
        pos = start + length
    events = np.array(rows, dtype=EVENT_DTYPE) if rows else np.zeros(0, EVENT_DTYPE)
    return JournalContents(path, header, events, finish, finish_blob, pos, end, notes)


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

    ``append`` only encodes the event and puts the bytes in a list (a few microseconds), so
    it can run in the workstation's keystroke path. ``flush()`` writes and fsyncs now.
    """

    def __init__(self, path: str | os.PathLike[str], header: Mapping[str, Any],
                 interval: float = FLUSH_INTERVAL_S) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.interval = interval
        self.count = 0
        self._pending: list[bytes] = []
        self._lock = threading.Lock()
        self._io_lock = threading.Lock()
        self._fh = open(self.path, "xb")  # noqa: SIM115 - kept open for the attempt's life
        head = MAGIC + _record(b"H" + json.dumps(dict(header), ensure_ascii=False).encode("utf-8"))
        self._fh.write(head)
        self._fh.flush()
        os.fsync(self._fh.fileno())
        _fsync_dir(self.path.parent)
        self._error: BaseException | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"journal-{self.path.stem}", daemon=True)
        self._thread.start()

    def append(self, row: Any) -> None:
        """Queue one event (``EVENT_DTYPE`` record, dict or tuple); on disk within ``interval`` + fsync."""
        rec = encode_event(row)
        with self._lock:
            self._pending.append(rec)
            self.count += 1

    def append_raw(self, record: bytes) -> None:
        """Queue an already encoded record (``encode_event`` output)."""
        with self._lock:
            self._pending.append(record)
            self.count += 1

    def write_finish(self, finish: Mapping[str, Any], log_blob: bytes) -> None:
        """Write the ``F`` record (final state, metrics ... and the full log) and fsync it."""
        js = json.dumps(dict(finish), ensure_ascii=False).encode("utf-8")
        payload = b"F" + _FINISH_LEN.pack(len(js)) + js + log_blob
        with self._lock:
            self._pending.append(_record(payload))
        self.flush()

    def flush(self) -> None:
        """Write every pending record and fsync (raises if the disk refused an earlier write)."""
        with self._lock:
            chunk = b"".join(self._pending)
            self._pending.clear()
        with self._io_lock:
            if self._error is not None:
                raise OSError(f"{self.path}: journal write failed earlier: {self._error}") from self._error
            if chunk and not self._fh.closed:
                self._fh.write(chunk)
                self._fh.flush()
                os.fsync(self._fh.fileno())

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.flush()
            except BaseException as exc:
                self._error = exc
                return

    def close(self) -> None:
        """Stop the flusher, write what is pending, fsync and close the file (idempotent)."""
        if self._fh.closed:
            return
        self._stop.set()
        self._thread.join()
        try:
            self.flush()
        finally:
            self._fh.close()

    def __enter__(self) -> JournalWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
