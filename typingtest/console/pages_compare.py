"""The compare page: 2-10 applicants side by side, ranked, percentiles against a named reference group.

What ``typingtest compare`` computes (``analysis.compare.compare_applicants`` over the attempts
``compare --cohort C [--norm N]`` reads, with the stored overrides): the ranking table, the
side-by-side cells (``analysis.compare.side_by_side``, the table the command prints) and the
reference group the percentiles were ranked in, which the page names. The group is the cohort
by default, another stored cohort when ``norm`` names one, never the compared set itself.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from typingtest.console import data
from typingtest.console.deps import ConsoleState, NotFound, get_state, render, request_lang, require_role
from typingtest.console.labels import t
from typingtest.errors import UserError
from typingtest.store.accounts import Account

__all__ = ["MAX_CANDIDATES", "MIN_CANDIDATES", "compare", "router"]

router = APIRouter(include_in_schema=False)

#: who compares applicants
COMPARE_ROLES = ("admin", "recruiter")
Recruiter = Annotated[Account, Depends(require_role(*COMPARE_ROLES))]
#: how many applicants one comparison holds (issue 12)
MIN_CANDIDATES, MAX_CANDIDATES = 2, 10
#: checkboxes the form lists (a larger cohort: the applicants table's checkboxes or the ids field)
MAX_CHOICES = 200


def attempts_of(state: ConsoleState, cohort: str | None) -> pd.DataFrame:
    """The complete, non-practice attempts of ``cohort`` (None: every cohort), as ``compare`` reads them;
    cached until an attempt or override of the cohort changes (``data.cohort_attempts_cached``)."""
    return data.cohort_attempts_cached(state, cohort)


def compare(state: ConsoleState, candidates: list[str], *, cohort: str | None, norm: str | None,
            lang: str) -> dict[str, Any]:
    """``typingtest compare CANDIDATES [--cohort C] [--norm N]``: the comparison, the ranking, the side-by-side
    table in ``lang`` (rows: competence, row label, cells in ranking order) and the reference group's name and size.
    Raises UserError as the command does (an id without attempts, applicants of several cohorts, an empty norm)."""
    from typingtest.analysis.compare import compare_applicants, side_by_side
    from typingtest.analysis.labels import reference_label
    from typingtest.analysis.overrides import load_overrides

    store = state.store()
    frame = attempts_of(state, cohort)
    reference = frame if cohort else None
    if norm:
        reference = attempts_of(state, norm)
        if reference.empty:
            raise UserError(f"compare: --norm {norm}: no complete attempts in this cohort")
    comparison, ranking, _ = compare_applicants(frame, candidates, reference=reference,
                                                overrides=load_overrides(store))
    order = [str(c) for c in ranking["candidate_id"]]
    table = side_by_side(comparison, lang, order=order)
    rows = [{"competence": str(idx[0]), "row": str(idx[1]), "cells": [str(v) for v in values], "span": 0}
            for idx, values in zip(table.index, table.to_numpy().tolist(), strict=True)]
    for i, row in enumerate(rows):  # the competence once per group of rows (rowspan)
        if i == 0 or row["competence"] != rows[i - 1]["competence"]:
            row["span"] = len(_run(rows, i))
    refs = comparison[["percentile_reference", "percentile_n"]].dropna().drop_duplicates()
    return {"comparison": comparison, "ranking": ranking.to_dict("records"), "order": order, "rows": rows,
            "references": [(reference_label(r, lang), int(n)) for r, n in refs.itertuples(index=False)]}


def _run(rows: list[dict[str, Any]], start: int) -> list[int]:
    """The indices of the rows from ``start`` on with the same competence as row ``start``."""
    out = []
    for i in range(start, len(rows)):
        if rows[i]["competence"] != rows[start]["competence"]:
            break
        out.append(i)
    return out


def _ids(text: str) -> list[str]:
    """Candidate ids typed or pasted in the form's text field (spaces, commas, semicolons or lines between)."""
    return [p for p in re.split(r"[\s,;]+", text.strip()) if p]


@router.get("/compare")
def compare_page(request: Request, account: Recruiter) -> Response:
    """The comparison of the ``candidate`` parameters (from the applicants table's checkboxes or this form)."""
    params = request.query_params
    state = get_state(request)
    store = state.store()
    lang = request_lang(request)
    cohort = params.get("cohort", "").strip()[:128]
    norm = params.get("norm", "").strip()[:128]
    chosen = list(dict.fromkeys([c.strip() for c in params.getlist("candidate") if c.strip()]
                                + _ids(params.get("ids", "")[:4000])))
    if cohort and not data.cohort_exists(store, cohort):
        raise NotFound("cohort_not_found", cohort)
    cohorts = [str(r["cohort"]) for r in data.cohort_list(store) if r["cohort"] is not None]
    choices: list[str] = []
    if cohort:
        choices = sorted({str(c) for c in attempts_of(state, cohort)["candidate_id"]})[:MAX_CHOICES]
    errors: dict[str, str] = {}
    result = None
    submitted = bool(chosen) or "go" in params
    if submitted:
        if len(chosen) < MIN_CANDIDATES:
            errors["candidate"] = t("compare_too_few", lang, min=MIN_CANDIDATES, n=len(chosen))
        elif len(chosen) > MAX_CANDIDATES:
            errors["candidate"] = t("compare_too_many", lang, max=MAX_CANDIDATES, n=len(chosen))
        if norm and norm not in cohorts:
            errors["norm"] = t("cohort_not_found", lang, name=norm)
        if not errors:
            try:
                result = compare(state, chosen, cohort=cohort or None, norm=norm or None, lang=lang)
            except UserError as exc:
                errors["norm" if "--norm" in str(exc) else "candidate"] = str(exc)
    return render(request, "compare.html", status_code=400 if errors else 200, cohort=cohort, norm=norm,
                  chosen=chosen, cohorts=cohorts, choices=choices, errors=errors, result=result,
                  extra_ids=" ".join(c for c in chosen if c not in choices),
                  min_n=MIN_CANDIDATES, max_n=MAX_CANDIDATES)
