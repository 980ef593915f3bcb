"""Files for their owner only: results folders 0700, results files 0600 on POSIX, whatever the umask.

Results are personal data. On POSIX every folder the project makes under the results folder
is 0700 and every file it writes there (database, WAL, journals, exports, reports, the
signing key) 0600, set explicitly after creation so a permissive umask changes nothing.
On Windows, file modes do not carry ACLs: these calls do nothing there and the docs
(``docs/store.md``, "Files for their owner only") give the ACL advice.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

__all__ = ["POSIX", "group_or_world_readable", "private_dir", "private_file"]

POSIX = os.name == "posix"


def private_dir(path: str | os.PathLike[str]) -> Path:
    """Make ``path`` (and missing parents) a folder; the folder itself 0700 on POSIX. Returns it."""
    p = Path(path)
    p.mkdir(parents=True, exist_ok=True)
    if POSIX:
        with contextlib.suppress(PermissionError):  # a folder owned by someone else: leave it
            os.chmod(p, 0o700)
    return p


def private_file(path: str | os.PathLike[str]) -> Path:
    """Set an existing file to 0600 on POSIX (a missing file is ignored). Returns the path."""
    p = Path(path)
    if POSIX:
        with contextlib.suppress(FileNotFoundError, PermissionError):
            os.chmod(p, 0o600)
    return p


def group_or_world_readable(path: str | os.PathLike[str]) -> bool:
    """True on POSIX when ``path`` can be read by its group or by every local user."""
    if not POSIX:
        return False
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return bool(mode & (stat.S_IRGRP | stat.S_IROTH | stat.S_IWGRP | stat.S_IWOTH))
