"""A non-blocking exclusive lock on an open file, on POSIX and Windows.

A running attempt holds the lock on its journal; ``recover`` skips a journal it cannot
lock (another workstation process is still writing it). The operating system releases the
lock when the process dies, even by SIGKILL or a power cut.
"""

from __future__ import annotations

import os
from typing import BinaryIO

__all__ = ["try_lock", "unlock"]

# Windows locks byte ranges and enforces them; lock one byte far past any journal's end.
_WIN_OFFSET = 0x7FFFFFF0


def try_lock(fh: BinaryIO) -> bool:
    """Take an exclusive lock on ``fh`` without waiting; False when another holder has it."""
    if os.name == "nt":  # pragma: no cover - exercised on Windows only
        import msvcrt

        pos = fh.tell()
        try:
            fh.seek(_WIN_OFFSET)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        finally:
            fh.seek(pos)
        return True
    import fcntl

    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def unlock(fh: BinaryIO) -> None:
    """Release a lock taken with ``try_lock`` (closing the file releases it too)."""
    if fh.closed:
        return
    if os.name == "nt":  # pragma: no cover
        import msvcrt

        pos = fh.tell()
        try:
            fh.seek(_WIN_OFFSET)
            msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
        finally:
            fh.seek(pos)
        return
    import fcntl

    fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
