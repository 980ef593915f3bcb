"""typingtest.store: the results database, the attempt journal, recovery, integrity, privacy.

``open_store(settings)`` returns a ``Store``; see ``docs/store.md``.
"""

from __future__ import annotations

from typingtest.store.recorder import AttemptRecorder
from typingtest.store.store import (
    FRAME_COLUMNS,
    RecoveryResult,
    Store,
    StoreError,
    VerifyResult,
    compute_metrics,
    open_store,
)

__all__ = [
    "FRAME_COLUMNS",
    "AttemptRecorder",
    "RecoveryResult",
    "Store",
    "StoreError",
    "VerifyResult",
    "compute_metrics",
    "open_store",
]
