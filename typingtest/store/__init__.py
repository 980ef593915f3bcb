"""typingtest.store: the results database, the attempt journal, recovery, integrity, privacy.

``open_store(settings)`` returns a ``Store``; see ``docs/store.md``. The names below are
imported on first use, so that ``typingtest --help`` does not load pandas and SQLAlchemy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typingtest.store.base import StoreError
    from typingtest.store.recorder import AttemptRecorder
    from typingtest.store.recovery import RecoveryResult
    from typingtest.store.store import FRAME_COLUMNS, SessionRefused, Store, compute_metrics, open_store
    from typingtest.store.verification import VerifyResult

__all__ = [
    "FRAME_COLUMNS",
    "AttemptRecorder",
    "RecoveryResult",
    "SessionRefused",
    "Store",
    "StoreError",
    "VerifyResult",
    "compute_metrics",
    "open_store",
]

_WHERE = {
    "FRAME_COLUMNS": "typingtest.store.store",
    "AttemptRecorder": "typingtest.store.recorder",
    "RecoveryResult": "typingtest.store.recovery",
    "SessionRefused": "typingtest.store.store",
    "Store": "typingtest.store.store",
    "StoreError": "typingtest.store.base",
    "VerifyResult": "typingtest.store.verification",
    "compute_metrics": "typingtest.store.store",
    "open_store": "typingtest.store.store",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'typingtest.store' has no attribute {name!r}")
