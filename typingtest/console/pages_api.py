"""The read-only JSON API for applicant-tracking systems: ``/api/v1``.

Authenticated with ``Authorization: Bearer <token>`` (``typingtest user token NAME``); a token
acts with its account's role. No endpoint writes. Figures and verdicts are the ones
``typingtest export`` writes (``analysis.export_frame.flatten_attempts``); rates are fractions
(0.03), times UTC ISO 8601, undefined figures null.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from typingtest.console import data
from typingtest.console.deps import NotFound, get_state, get_store, require_role
from typingtest.engine.metrics import finite_or_none
from typingtest.store.accounts import Account

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["read-only"])
#: cohorts and applicant lists: recruiters (and admins); one candidate's record: trainers too
Recruiter = Annotated[Account, Depends(require_role("admin", "recruiter"))]
Reader = Annotated[Account, Depends(require_role("admin", "recruiter", "trainer"))]

#: the applicants table's columns the candidates list gives (per task and indicator: value and verdict too)
_APPLICANT_FIELDS = ("rank", "candidate_id", "overall_decision", "cohort", "date", "qualification_passed",
                     "qualification_judged", "thresholds_passed", "thresholds_judged", "mean_percentile")


def plain(value: Any) -> Any:
    """``value`` as JSON: NaN/NaT -> null, times -> ISO 8601 (UTC), numpy scalars -> Python."""
    import numpy as np
    import pandas as pd

    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | datetime):
        ts = pd.Timestamp(value)
        return (ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return finite_or_none(value)
    if value is pd.NA:
        return None
    return value


@router.get("/cohorts", summary="Cohorts with their counts and dates")
def api_cohorts(request: Request, account: Recruiter) -> list[dict[str, Any]]:
    """One entry per cohort: cohort, candidates, sessions, attempts (non-practice), first and last attempt."""
    return [plain(r) for r in data.cohort_list(get_store(request))]


@router.get("/candidates", summary="The applicants of a cohort with their overall decision")
def api_candidates(request: Request, cohort: str,
                   account: Recruiter) -> list[dict[str, Any]]:
    """The cohort report's applicants table: rank, overall decision, the counts of thresholds met, and
    per task and indicator the value (``task:indicator``) and verdict (``task:indicator:passed``)."""
    store = get_store(request)
    if not data.cohort_exists(store, cohort):
        raise NotFound("cohort_not_found", cohort)
    report = data.cohort_report(get_state(request), cohort, "en")
    if report is None:
        return []
    frame = report.applicants
    keep = [c for c in frame.columns if c in _APPLICANT_FIELDS or c.count(":") == 1 or c.endswith(":passed")
            or c.endswith(":decision")]
    return [plain(r) for r in frame[keep].to_dict("records")]


@router.get("/candidates/{candidate_id}", summary="One candidate: sessions, attempts, figures, verdicts")
def api_candidate(request: Request, candidate_id: str,
                  account: Reader) -> dict[str, Any]:
    """Sessions, every attempt (practice included) with its figures and verdicts after overrides, the
    overall decision per battery, and the overrides (reason, assessor, time)."""
    record = data.candidate_record(get_store(request), candidate_id)
    if record is None:
        raise NotFound("candidate_not_found", candidate_id)
    attempts = record["attempts"]
    rows = attempts.to_dict("records") if len(attempts) else []
    verdicts = {str(r["attempt_id"]): r["verdicts"] for r in record["frame"].to_dict("records")}
    out_attempts = []
    for r in rows:
        skip = {"metrics", "verdicts", "actions", "transcribed"}
        item = {k: v for k, v in r.items() if k not in skip}
        item["verdicts"] = verdicts.get(str(r["attempt_id"]), [])
        out_attempts.append(item)
    decisions: dict[str, str] = {}
    for r in rows:
        if not r.get("practice"):
            decisions.setdefault(str(r["battery"]), str(r["overall_decision"]))
    cand = record["candidate"]
    return plain({
        "candidate_id": candidate_id,
        "cohort": cand.get("cohort"),
        "overall_decision": decisions,
        "sessions": record["sessions"].to_dict("records"),
        "attempts": out_attempts,
        "overrides": record["overrides"].drop(columns=["signature"], errors="ignore").to_dict("records"),
    })
