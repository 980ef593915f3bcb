"""The cohorts list and the cohort page (the cohort report's content, the applicants table)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from typingtest.console import data
from typingtest.console.deps import NotFound, get_state, get_store, render, request_lang, require_role
from typingtest.store.accounts import Account

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

#: who sees cohorts and applicants
COHORT_ROLES = ("admin", "recruiter")
CohortReader = Annotated[Account, Depends(require_role(*COHORT_ROLES))]


@router.get("/cohorts")
def cohorts(request: Request, account: CohortReader) -> Response:
    """Every cohort with its counts and dates."""
    return render(request, "cohorts.html", cohorts=data.cohort_list(get_store(request)))


def _charts(request: Request, cohort: str, lang: str) -> dict[str, str]:
    """The cohort's SVG charts (``console.charts.cohort_charts``: the report's charts, cached there)."""
    from typingtest.config import load_thresholds
    from typingtest.console import charts

    state = get_state(request)
    return dict(charts.cohort_charts(state.store(), cohort, lang, thresholds=load_thresholds(state.project())))


@router.get("/cohorts/{cohort}")
def cohort_page(request: Request, cohort: str, account: CohortReader, decision: str = "", task: str = "",
                q: str = "", sort: str = "rank", dir: str = "asc", page: int = 1) -> Response:
    """Pass rates per competence, decisions, and the applicants table (filtered, sorted, paged)."""
    store = get_store(request)
    if not data.cohort_exists(store, cohort):
        raise NotFound("cohort_not_found", cohort)
    lang = request_lang(request)
    state = get_state(request)
    params = request.query_params
    query = data.ApplicantQuery(decision=decision if decision in data.DECISION_FILTERS else "", task=task,
                                date_from=params.get("from", "")[:10], date_to=params.get("to", "")[:10], q=q[:128],
                                sort=sort, desc=dir == "desc", page=page)
    report = data.cohort_report(state, cohort, lang)
    unfinished = data.unfinished_candidates(store, cohort)
    applicants = report.applicants if report is not None else None
    import pandas as pd

    table = data.applicant_page(applicants if applicants is not None else pd.DataFrame(), query,
                                state.settings.page_size, unfinished)
    from typingtest.analysis.report import APPLICANT_INDICATORS

    pairs = [(t, i) for t, i in APPLICANT_INDICATORS if applicants is not None and f"{t}:{i}" in applicants.columns]
    tasks = list(dict.fromkeys(t for t, _ in pairs))
    return render(request, "cohort.html", cohort=cohort, report=report, table=table, query=query, pairs=pairs,
                  tasks=tasks, decisions=data.DECISION_FILTERS, charts=_charts(request, cohort, lang),
                  n_unfinished=len(unfinished))
