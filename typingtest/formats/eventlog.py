"""Event-log files: one attempt's log saved compactly (``.npz``) and read back exactly.

The fixed-width ``text`` and ``target`` columns (64 characters each, 256 bytes a row in
memory) are stored as one UTF-8 blob each with per-row lengths, and the numeric columns as
they are, all in a compressed numpy ``.npz`` archive with a format version. Loading checks
the version and every column, so a file that is not an event log gives one clear error.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import numpy as np

from typingtest.engine.events import EVENT_DTYPE
from typingtest.errors import UserError

__all__ = ["FORMAT", "FORMAT_VERSION", "load_log", "log_from_bytes", "log_to_bytes", "save_log"]

FORMAT = "typingtest-eventlog"
FORMAT_VERSION = 1
_NUMERIC = ("t", "kind", "key", "scancode", "mod", "x", "y")
_STRINGS = ("text", "target")


def log_to_bytes(log: np.ndarray) -> bytes:
    """The compact bytes of an event log (EVENT_DTYPE array)."""
    if log.dtype != EVENT_DTYPE:
        raise ValueError(f"not an event log: dtype {log.dtype}, expected EVENT_DTYPE")
    arrays: dict[str, np.ndarray] = {
        "format": np.array(FORMAT),
        "version": np.array(FORMAT_VERSION, dtype=np.int32),
    }
    for name in _NUMERIC:
        arrays[name] = np.ascontiguousarray(log[name])
    for name in _STRINGS:
        encoded = [s.encode("utf-8") for s in log[name].tolist()]
        arrays[f"{name}_len"] = np.fromiter((len(b) for b in encoded), dtype=np.int32, count=len(encoded))
        arrays[f"{name}_utf8"] = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def log_from_bytes(data: bytes, source: str = "event log") -> np.ndarray:
    """Read bytes written by ``log_to_bytes``; UserError naming ``source`` if they are not."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            if "format" not in npz.files or str(npz["format"]) != FORMAT:
                raise UserError(f"{source}: not a typingtest event log; expected a file written by save_log")
            version = int(npz["version"])
            if version > FORMAT_VERSION:
                raise UserError(
                    f"{source}: event-log format version {version} is newer than this typingtest reads "
                    f"({FORMAT_VERSION}); update typingtest"
                )
            n = len(npz["t"])
            log = np.zeros(n, dtype=EVENT_DTYPE)
            for name in _NUMERIC:
                col = npz[name]
                if len(col) != n:
                    raise UserError(f"{source}: column {name}: {len(col)} rows, expected {n}; the file is damaged")
                log[name] = col
            for name in _STRINGS:
                lengths = npz[f"{name}_len"]
                blob = npz[f"{name}_utf8"].tobytes()
                if len(lengths) != n or int(lengths.sum()) != len(blob):
                    raise UserError(f"{source}: column {name}: lengths do not match; the file is damaged")
                if n:
                    ends = np.cumsum(lengths).tolist()
                    starts = [0, *ends[:-1]]
                    log[name] = [blob[a:b].decode("utf-8") for a, b in zip(starts, ends, strict=True)]
            return log
    except UserError:
        raise
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError, UnicodeDecodeError) as exc:
        raise UserError(f"{source}: not a readable typingtest event log ({exc.__class__.__name__})") from None


def save_log(path: str | os.PathLike[str], log: np.ndarray) -> Path:
    """Write ``log`` to ``path`` (atomically: a temporary file renamed over it)."""
    path = Path(path)
    data = log_to_bytes(log)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path


def load_log(path: str | os.PathLike[str]) -> np.ndarray:
    """Read an event log saved by ``save_log``; UserError on a missing or foreign file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path}: file not found") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {exc.strerror}") from None
    if not data:
        raise UserError(f"{path}: empty file; not an event log")
    return log_from_bytes(data, source=str(path))
