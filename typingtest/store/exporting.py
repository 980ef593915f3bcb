"""The store's part of ``typingtest export``: event logs as one long table, and the attempts no export can place.

The export table itself (one flat row per attempt, with decisions) is composed by the
analysis (``typingtest.analysis.export_frame``): the store depends on no part of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sqlalchemy import func, or_, select

from typingtest.engine.events import EVENT_DTYPE
from typingtest.store import schema as S

if TYPE_CHECKING:
    from typingtest.store.store import Store

__all__ = ["events_frame", "unplaced_attempts"]


def unplaced_attempts(store: Store) -> int:
    """How many stored attempts no export can place: their session, or its candidate, is missing.

    ``attempts_frame`` joins attempts to sessions and candidates, so these rows drop out of it;
    ``export`` warns with this count (``typingtest verify`` lists them).
    """
    a, s, c = S.attempts, S.sessions, S.candidates
    q = (select(func.count()).select_from(a)
         .outerjoin(s, a.c.session_id == s.c.session_id)
         .outerjoin(c, s.c.candidate_id == c.c.candidate_id)
         .where(or_(s.c.session_id.is_(None), c.c.candidate_id.is_(None))))
    with store._errors("count attempts without a session"), store.engine.connect() as conn:
        return int(conn.execute(q).scalar() or 0)


def events_frame(store: Store, attempt_ids: list[str]) -> pd.DataFrame:
    """The event logs of these attempts as one long table (``attempt_id`` + the event columns)."""
    parts = []
    for aid in attempt_ids:
        log = pd.DataFrame(store.events(aid))
        log.insert(0, "attempt_id", aid)
        parts.append(log)
    if not parts:
        empty = pd.DataFrame(np.zeros(0, EVENT_DTYPE))
        empty.insert(0, "attempt_id", pd.Series(dtype=str))
        return empty
    return pd.concat(parts, ignore_index=True)
