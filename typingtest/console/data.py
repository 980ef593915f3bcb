"""The console's calls of the analysis and store functions, cached, and server-side paging.

Nothing here computes a figure: the cohort page shows ``analysis.report.build_cohort_report``
over the attempts the ``report`` command reads (``analysis.frame.validate_attempts`` and
``filter_attempts`` of ``Store.attempts_frame``), with the same overrides and thresholds; the
candidate page and the API show ``analysis.export_frame.flatten_attempts``, the rows ``export``
writes. The cohort report is cached per cohort and language, keyed by ``charts.cache_key`` (the
cohort's attempts and overrides: counts, latest ids and times), so a new attempt or override
shows at the next request; the cohort's attempts frame (what the compare page ranks in) is cached by
the same key. What is added here is choosing rows: filters, sorting and pages.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import and_, exists, func, select

from typingtest.store import schema as S

if TYPE_CHECKING:
    from typingtest.analysis.report import CohortReport
    from typingtest.console.deps import ConsoleState
    from typingtest.store.store import Store

__all__ = [
    "DECISION_FILTERS",
    "ApplicantQuery",
    "applicant_page",
    "candidate_record",
    "cohort_attempts",
    "cohort_attempts_cached",
    "cohort_exists",
    "cohort_list",
    "cohort_report",
    "fingerprint",
    "unfinished_candidates",
]

#: The decision filter's values: the overall decisions, and candidates without a complete session.
DECISION_FILTERS = ("pass", "fail", "borderline", "insufficient", "unfinished")
#: Cohort reports kept in memory (per cohort and language).
CACHE_SIZE = 16
_lock = threading.Lock()


def cohort_list(store: Store) -> list[dict[str, Any]]:
    """One row per cohort: cohort, candidates, sessions, attempts (non-practice), first and last
    attempt start (UTC); by last attempt, newest first. The cohort None holds candidates without one."""
    c, s, a = S.candidates, S.sessions, S.attempts
    q = (select(c.c.cohort, func.count(func.distinct(c.c.candidate_id)).label("candidates"),
                func.count(func.distinct(s.c.session_id)).label("sessions"),
                func.count(a.c.attempt_id).label("attempts"),
                func.min(a.c.started_at).label("first"), func.max(a.c.started_at).label("last"))
         .select_from(c).outerjoin(s, s.c.candidate_id == c.c.candidate_id)
         .outerjoin(a, and_(a.c.session_id == s.c.session_id, a.c.practice.is_(False)))
         .group_by(c.c.cohort))
    with store.engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(q).mappings()]
        conn.rollback()
    for r in rows:
        for k in ("first", "last"):
            r[k] = None if r[k] is None else pd.Timestamp(r[k]).tz_localize("UTC") if pd.Timestamp(
                r[k]).tzinfo is None else pd.Timestamp(r[k])
    rows.sort(key=lambda r: (r["last"] is not None, r["last"] or pd.Timestamp(0, tz="UTC")), reverse=True)
    return rows


def cohort_exists(store: Store, cohort: str) -> bool:
    """True when a candidate of ``cohort`` is stored."""
    with store.engine.connect() as conn:
        found = conn.execute(select(S.candidates.c.candidate_id).where(S.candidates.c.cohort == cohort)
                             .limit(1)).first()
        conn.rollback()
    return found is not None


def unfinished_candidates(store: Store, cohort: str) -> list[str]:
    """The candidates of ``cohort`` without a complete session (running, interrupted, abandoned, none)."""
    c, s = S.candidates, S.sessions
    done = exists().where(and_(s.c.candidate_id == c.c.candidate_id, s.c.state == "complete"))
    with store.engine.connect() as conn:
        ids = list(conn.execute(select(c.c.candidate_id).where(c.c.cohort == cohort, ~done)
                                .order_by(c.c.candidate_id)).scalars())
        conn.rollback()
    return [str(i) for i in ids]


def fingerprint(store: Store, cohort: str | None) -> tuple[Any, ...]:
    """What changes when an attempt or override of ``cohort`` is stored or erased (``charts.cache_key``:
    the charts and the tables of a cohort page are invalidated by the same key)."""
    from typingtest.console.charts import cache_key

    return cache_key(store, cohort)


def cohort_attempts(store: Store, cohort: str | None) -> pd.DataFrame:
    """The complete, non-practice attempts of ``cohort`` (None: every cohort), as ``typingtest report
    --cohort`` and ``typingtest compare --cohort`` read them."""
    from typingtest.analysis.frame import filter_attempts, validate_attempts

    data = validate_attempts(store.attempts_frame(cohort=cohort), "database")
    return filter_attempts(data, cohort=cohort)


def cohort_attempts_cached(state: ConsoleState, cohort: str | None) -> pd.DataFrame:
    """``cohort_attempts`` (``cohort`` None: every cohort), cached per cohort until an attempt or override
    of it is stored or erased (``fingerprint``). A copy: callers may change it."""
    store = state.store()
    key = ("cohort_attempts", cohort, fingerprint(store, cohort))
    cache: OrderedDict[Any, Any] = state.cache.setdefault("cohort_attempts", OrderedDict())
    with _lock:
        frame = cache.get(key)
        if frame is not None:
            cache.move_to_end(key)
    if frame is None:
        frame = cohort_attempts(store, cohort)
        with _lock:
            for old in [k for k in cache if k[1] == cohort]:  # an older state of this cohort
                del cache[old]
            cache[key] = frame
            while len(cache) > CACHE_SIZE:
                cache.popitem(last=False)
    return frame.copy()


def cohort_report(state: ConsoleState, cohort: str, lang: str) -> CohortReport | None:
    """The cohort report of ``cohort`` in ``lang`` (``build_cohort_report`` as ``typingtest report``
    calls it, without charts and reliability); None when the cohort has no complete attempt.
    Cached until an attempt or override is stored."""
    from typingtest.analysis.overrides import load_overrides
    from typingtest.analysis.report import build_cohort_report
    from typingtest.config import load_thresholds

    store = state.store()
    key = ("cohort_report", cohort, lang, fingerprint(store, cohort))
    cache: OrderedDict[Any, Any] = state.cache.setdefault("cohort_reports", OrderedDict())
    with _lock:
        if key in cache:
            cache.move_to_end(key)
            return cache[key]  # type: ignore[no-any-return]
    data = cohort_attempts(store, cohort)
    report = None
    if not data.empty:
        report = build_cohort_report(data, cohort=cohort, lang=lang, overrides=load_overrides(store),
                                     thresholds=load_thresholds(state.project()), charts=False)
    with _lock:
        cache[key] = report
        while len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
    return report


# --------------------------------------------------------------------------------------------
# the applicants table: filter, sort, page


@dataclass
class ApplicantQuery:
    """The applicants table's query parameters."""

    decision: str = ""
    task: str = ""
    date_from: str = ""
    date_to: str = ""
    q: str = ""
    sort: str = "rank"
    desc: bool = False
    page: int = 1

    def params(self, **changes: Any) -> str:
        """This query as a URL query string, with ``changes`` (e.g. ``page=2``)."""
        from urllib.parse import urlencode

        values = {"decision": self.decision, "task": self.task, "from": self.date_from, "to": self.date_to,
                  "q": self.q, "sort": self.sort, "dir": "desc" if self.desc else "asc", "page": self.page}
        for k, v in changes.items():
            values["from" if k == "date_from" else "to" if k == "date_to" else k] = v
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})


def applicant_page(applicants: pd.DataFrame, query: ApplicantQuery, page_size: int,
                   unfinished: list[str] | None = None) -> dict[str, Any]:
    """The rows of ``applicants`` (``CohortReport.applicants``) that ``query`` selects, sorted, one page.

    Candidates in ``unfinished`` without a row get an empty one (overall decision "unfinished").
    Returns rows (records), n (rows selected), page, pages, sortable (column names).
    """
    frame = applicants.copy()
    unfinished = unfinished or []
    if "candidate_id" not in frame.columns:
        frame = pd.DataFrame({"candidate_id": pd.Series(dtype=object)})
    frame["unfinished"] = frame["candidate_id"].astype(str).isin(unfinished)
    missing = [c for c in unfinished if c not in set(frame["candidate_id"].astype(str))]
    if missing:
        extra = pd.DataFrame({"candidate_id": missing, "overall_decision": "unfinished", "unfinished": True})
        frame = pd.concat([frame, extra], ignore_index=True) if len(frame) else extra
    if query.decision == "unfinished":
        frame = frame[frame["unfinished"]]
    elif query.decision in DECISION_FILTERS:
        frame = frame[frame["overall_decision"].astype(str) == query.decision]
    if query.task:
        cols = [c for c in frame.columns if c.startswith(f"{query.task}:") and c.count(":") == 1]
        frame = frame[frame[cols].notna().any(axis=1)] if cols else frame.iloc[0:0]
    if "date" in frame.columns and (query.date_from or query.date_to):
        day = pd.to_datetime(frame["date"], utc=True, errors="coerce").dt.strftime("%Y-%m-%d")
        if query.date_from:
            frame = frame[day.reindex(frame.index) >= query.date_from]
        if query.date_to:
            frame = frame[day.reindex(frame.index) <= query.date_to]
    if query.q.strip():
        frame = frame[frame["candidate_id"].astype(str).str.contains(query.q.strip(), case=False, regex=False)]
    sortable = [c for c in frame.columns if c.count(":") <= 1 and not c.endswith(":passed")]
    key = query.sort if query.sort in sortable else "rank" if "rank" in frame.columns else "candidate_id"
    frame = frame.sort_values(key, ascending=not query.desc, na_position="last", kind="stable")
    n = len(frame)
    pages = max(1, math.ceil(n / page_size))
    page = min(max(1, query.page), pages)
    rows = frame.iloc[(page - 1) * page_size: page * page_size].to_dict("records")
    return {"rows": rows, "n": n, "page": page, "pages": pages, "sort": key, "sortable": sortable}


def candidate_record(store: Store, candidate_id: str) -> dict[str, Any] | None:
    """Everything the candidate page and the API show of one candidate: the candidate row, the
    sessions, and the attempts as ``typingtest export`` writes them (``flatten_attempts``:
    figures, verdicts after overrides, the overall decision), practice included; None: unknown."""
    from typingtest.analysis.export_frame import flatten_attempts

    found = store.candidate(candidate_id)
    if found is None:
        return None
    sessions = store.sessions_frame(candidate_id)
    frame = store.attempts_frame(candidate=candidate_id, include_practice=True)
    attempts = flatten_attempts(frame, store.overrides_frame()) if len(frame) else pd.DataFrame()
    overrides = store.overrides_frame()
    if len(overrides) and len(frame):
        overrides = overrides[overrides["attempt_id"].isin(set(frame["attempt_id"]))]
    else:
        overrides = overrides.iloc[0:0]
    return {"candidate": found, "sessions": sessions, "attempts": attempts, "frame": frame, "overrides": overrides}
