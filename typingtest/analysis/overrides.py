"""Assessor overrides of a verdict: recorded through the store, shown as such in every table.

An override never changes the stored attempt (its metrics and verdicts are signed); it is a
row of its own (attempt, indicator, passed, reason, assessor, time) that the store also
writes to its audit log (``Store.record_override``). ``indicator_frame(..., overrides=...)``
applies the latest override per attempt and indicator and marks the row ``overridden``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from typingtest.errors import UserError

__all__ = ["load_overrides", "override_verdict"]


def override_verdict(
    store: Any,
    attempt_id: str,
    indicator: str,
    passed: bool,
    reason: str,
    assessor: str,
) -> int:
    """Record an assessor's override of ``indicator``'s verdict on ``attempt_id``; return its id.

    The attempt must carry a stored verdict for ``indicator`` (an undefined or unjudged
    figure cannot be overridden into a pass); ``reason`` and ``assessor`` must be given.
    """
    reason, assessor = str(reason or "").strip(), str(assessor or "").strip()
    if not reason:
        raise UserError("override: --reason: give the reason for the override (it is shown in every report)")
    if not assessor:
        raise UserError("override: --assessor: give the assessor's name")
    attempts = store.attempts_frame(include_practice=True)
    row = attempts[attempts["attempt_id"] == attempt_id]
    if row.empty:
        raise UserError(f"override: {attempt_id}: no such attempt; the attempt ids are in `typingtest compare` tables")
    judged = sorted({str(v.get("indicator")) for v in row.iloc[0]["verdicts"] or [] if isinstance(v, dict)})
    if indicator not in judged:
        have = ", ".join(judged) or "none"
        raise UserError(f"override: {indicator}: attempt {attempt_id} has no verdict on it; its verdicts: {have}")
    return int(store.record_override(attempt_id, indicator, bool(passed), reason, assessor))


def load_overrides(store: Any) -> pd.DataFrame:
    """Every override in the store (columns attempt_id, indicator, passed, reason, assessor, at)."""
    frame = store.overrides_frame()
    if "at" in frame.columns:
        frame = frame.sort_values("at", kind="stable")
    return frame.reset_index(drop=True)
