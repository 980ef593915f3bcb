"""Attempts to flat tables (CSV, XLSX, Parquet) and event logs to Parquet, for recruiters and researchers.

One row per attempt: the ``attempts_frame`` columns with ``metrics``, ``verdicts`` and
``actions`` as JSON text, plus per indicator ``verdict_<indicator>`` ("pass", "fail" or
empty when undefined) and ``threshold_<indicator>`` (the limit that verdict used).
Times are UTC (ISO 8601 in CSV; naive UTC in XLSX, which has no time zones).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from typingtest.engine.events import EVENT_DTYPE
from typingtest.errors import UserError

if TYPE_CHECKING:
    from typingtest.store.store import Store

__all__ = ["FORMATS", "events_frame", "flatten_attempts", "unplaced_attempts", "write_table"]

FORMATS = ("csv", "xlsx", "parquet")


def flatten_attempts(frame: pd.DataFrame) -> pd.DataFrame:
    """``attempts_frame`` output made flat: JSON text for nested columns, one column per verdict."""
    flat = frame.copy()
    indicators: list[str] = []
    for verdicts in frame["verdicts"]:
        for v in verdicts or []:
            name = v.get("indicator")
            if name and name not in indicators:
                indicators.append(name)
    for name in indicators:
        outcome, limit = [], []
        for verdicts in frame["verdicts"]:
            found = next((v for v in verdicts or [] if v.get("indicator") == name), None)
            passed = None if found is None else found.get("passed")
            outcome.append(None if passed is None else ("pass" if passed else "fail"))
            limit.append(None if found is None else found.get("threshold"))
        flat[f"verdict_{name}"] = outcome
        flat[f"threshold_{name}"] = pd.to_numeric(pd.Series(limit, index=flat.index, dtype=object), errors="coerce")
    for col in ("metrics", "verdicts", "actions"):
        flat[col] = [json.dumps(v, ensure_ascii=False, sort_keys=True) for v in frame[col]]
    flat["verified"] = [None if v is None else bool(v) for v in frame["verified"]]
    return flat


def write_table(frame: pd.DataFrame, fmt: str, out: Path) -> Path:
    """Write a flat attempts table as ``fmt`` (csv, xlsx or parquet) to ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        frame.to_csv(out, index=False, date_format="%Y-%m-%dT%H:%M:%S.%f%z")
    elif fmt == "xlsx":
        xl = frame.copy()
        for col in xl.select_dtypes(include=["datetimetz"]).columns:
            xl[col] = xl[col].dt.tz_convert("UTC").dt.tz_localize(None)
        xl.to_excel(out, index=False, sheet_name="attempts")
    elif fmt == "parquet":
        frame.astype({"verified": "boolean"}).to_parquet(out, index=False)
    else:
        raise UserError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    return out


def unplaced_attempts(store: Store) -> int:
    """How many stored attempts no export can place: their session, or its candidate, is missing.

    ``attempts_frame`` joins attempts to sessions and candidates, so these rows drop out of it;
    ``export`` warns with this count (``typingtest verify`` lists them).
    """
    from sqlalchemy import func, or_, select

    from typingtest.store import schema as S

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
