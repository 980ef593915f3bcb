"""The exports page: the attempts of a cohort or a selection of candidates as CSV, XLSX or Parquet.

The file is the one ``typingtest export --cohort C --format F`` writes, by the function the
command calls (``store.commands.export_attempts``): the same rows (``Store.attempts_frame``), the
same table (``analysis.export_frame.flatten_attempts`` with the stored overrides), in the same
place (``results/exports/attempts-<time>.<format>``), staged, audited and recorded in the
written-files manifest (purpose ``export``, the candidates it holds) before it is renamed into
place, so ``candidate erase`` reaches it. The audit entry names the signed-in
account (``Store.acting_as``). The browser then receives the file as a download.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, Response

from typingtest.console import data
from typingtest.console.deps import get_store, render, request_lang, require_role
from typingtest.console.labels import t
from typingtest.store.accounts import Account

__all__ = ["FORMATS", "EmptyExport", "export_attempts", "router"]

router = APIRouter(include_in_schema=False)

#: who exports results
EXPORT_ROLES = ("admin", "recruiter")
Exporter = Annotated[Account, Depends(require_role(*EXPORT_ROLES))]
#: the formats of ``typingtest export --format`` and their media types
FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "parquet": "application/vnd.apache.parquet"}


class EmptyExport(Exception):
    """No attempt matches the export's choice (nothing written)."""


def export_attempts(store: Any, fmt: str, *, cohort: str | None = None, candidates: list[str] | None = None,
                    since: datetime | None = None, include_practice: bool = False) -> tuple[Path, int]:
    """``typingtest export --cohort C --format F [--since D] [--include-practice]`` to its default place
    (``store.commands.export_attempts``, the function the command calls); ``candidates``: only these
    (of ``cohort`` when given). (path, rows). No attempt matches: ``EmptyExport``, nothing written."""
    from typingtest.store.commands import export_attempts as write_export

    one = candidates[0] if candidates and len(candidates) == 1 else None
    some = candidates if candidates and one is None else None
    frame = store.attempts_frame(cohort=cohort, candidate=one, since=since, include_practice=include_practice)
    if frame.empty or (some is not None and not frame["candidate_id"].isin(set(some)).any()):
        raise EmptyExport("export: no attempts match")
    path, rows, _ = write_export(store, fmt, None, cohort=cohort, candidate=one, candidates=some, since=since,
                                 since_text=since.date().isoformat() if since else None,
                                 include_practice=include_practice)
    return path, rows


def _form(request: Request, *, status_code: int = 200, errors: dict[str, str] | None = None,
          values: dict[str, Any] | None = None) -> Response:
    store = get_store(request)
    cohorts = [str(r["cohort"]) for r in data.cohort_list(store) if r["cohort"] is not None]
    params = request.query_params
    defaults = {"cohort": params.get("cohort", ""), "ids": " ".join(params.getlist("candidate")),
                "format": "csv", "since": "", "practice": False}
    return render(request, "exports.html", status_code=status_code, cohorts=cohorts, formats=list(FORMATS),
                  errors=errors or {}, values={**defaults, **(values or {})})


@router.get("/exports")
def exports_page(request: Request, account: Exporter) -> Response:
    """The export form (``?cohort=C&candidate=..``: filled in from a cohort page's selection)."""
    return _form(request)


@router.post("/exports")
def export_download(request: Request, account: Exporter, cohort: str = Form(""), ids: str = Form(""),
                    format: str = Form("csv"), since: str = Form(""), practice: str = Form("")) -> Response:
    """Write the export (audited, in the manifest) and send it; a bad field: the form again, marked."""
    lang = request_lang(request)
    store = get_store(request)
    cohort, since = cohort.strip()[:128], since.strip()[:10]
    chosen = list(dict.fromkeys(p for p in re.split(r"[\s,;]+", ids.strip()[:20000]) if p))
    values = {"cohort": cohort, "ids": " ".join(chosen), "format": format, "since": since, "practice": bool(practice)}
    errors: dict[str, str] = {}
    if format not in FORMATS:
        errors["format"] = t("export_bad_format", lang, formats=", ".join(FORMATS))
    if cohort and not data.cohort_exists(store, cohort):
        errors["cohort"] = t("cohort_not_found", lang, name=cohort)
    if not cohort and not chosen:
        errors["cohort"] = t("export_pick_scope", lang)
    start = None
    if since:
        try:
            day = date.fromisoformat(since)
            start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        except ValueError:
            errors["since"] = t("export_bad_date", lang, value=since)
    if chosen and not errors:
        known = [c for c in chosen if store.candidate(c) is not None]
        if len(known) < len(chosen):
            missing = next(c for c in chosen if c not in known)
            errors["ids"] = t("candidate_not_found", lang, name=missing)
    if errors:
        return _form(request, status_code=400, errors=errors, values=values)
    try:
        with store.acting_as(account.name):
            path, _rows = export_attempts(store, format, cohort=cohort or None, candidates=chosen or None,
                                          since=start, include_practice=bool(practice))
    except EmptyExport:
        return _form(request, status_code=400, errors={"cohort": t("export_empty", lang)}, values=values)
    return FileResponse(path, media_type=FORMATS[format], filename=path.name)
