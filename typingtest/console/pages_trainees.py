"""The trainees list and the trainee page: the charts and tables of ``typingtest progress``.

The trainee page shows ``analysis.progress_report.progress_charts`` over the attempts
``typingtest progress ID`` reads (net speed and error rate per session on a date axis with the
3 % line, per task; the weakest keys on the trainee's layout; the most-missed fields), each chart
as inline SVG, the tables and the notes of the PDF's first page. The downloads are the files
``write_progress`` makes (the function ``progress`` calls): PNG, SVG, the PDF; drawn into a
private temporary folder, sent, and removed (nothing stays on the server); each download audited
with the signed-in account.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import and_, func, select

from typingtest.console.deps import NotFound, get_state, get_store, render, request_lang, require_role
from typingtest.store import schema as S
from typingtest.store.accounts import Account

__all__ = ["LAYOUTS", "router", "trainee_attempts", "trainee_list"]

router = APIRouter(include_in_schema=False)

#: who follows trainees' progress
TRAINEE_ROLES = ("admin", "trainer", "recruiter")
Trainer = Annotated[Account, Depends(require_role(*TRAINEE_ROLES))]
#: the keyboard layouts the heatmap draws (``analysis.plots.plot_keyboard_heatmap``)
LAYOUTS = ("azerty-be", "qwerty-us", "qwertz-de")
#: the files a trainee download may name: kind -> media type
MEDIA = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


def trainee_list(store: Any, *, several: bool, q: str = "") -> list[dict[str, Any]]:
    """Candidates with their complete sessions, non-practice attempts, cohort and last attempt (UTC);
    ``several``: only those with two or more complete sessions. Newest first."""
    c, s, a = S.candidates, S.sessions, S.attempts
    n_sessions = func.count(func.distinct(s.c.session_id))
    query = (select(c.c.candidate_id, c.c.cohort, n_sessions.label("sessions"),
                    func.count(a.c.attempt_id).label("attempts"), func.min(a.c.started_at).label("first"),
                    func.max(a.c.started_at).label("last"))
             .select_from(c).join(s, and_(s.c.candidate_id == c.c.candidate_id, s.c.state == "complete"))
             .join(a, and_(a.c.session_id == s.c.session_id, a.c.practice.is_(False)))
             .group_by(c.c.candidate_id, c.c.cohort))
    if several:
        query = query.having(n_sessions >= 2)
    if q.strip():
        query = query.where(c.c.candidate_id.contains(q.strip(), autoescape=True))
    with store.engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(query).mappings()]
        conn.rollback()
    for r in rows:
        for k in ("first", "last"):
            ts = pd.Timestamp(r[k]) if r[k] is not None else None
            r[k] = None if ts is None else ts.tz_localize("UTC") if ts.tzinfo is None else ts
    rows.sort(key=lambda r: (r["last"] or pd.Timestamp(0, tz="UTC"), r["candidate_id"]), reverse=True)
    return rows


def trainee_attempts(store: Any, candidate_id: str) -> pd.DataFrame:
    """The complete, non-practice attempts of one candidate, as ``typingtest progress ID`` reads them."""
    from typingtest.analysis.frame import filter_attempts, validate_attempts

    frame = validate_attempts(store.attempts_frame(candidate=candidate_id), "database")
    return filter_attempts(frame, candidates=[candidate_id])


def _trainee(request: Request, candidate_id: str) -> pd.DataFrame:
    store = get_store(request)
    if store.candidate(candidate_id) is None:
        raise NotFound("candidate_not_found", candidate_id)
    return trainee_attempts(store, candidate_id)


@router.get("/trainees")
def trainees(request: Request, account: Trainer, all: int = 0, q: str = "", page: int = 1) -> Response:
    """The trainees (candidates with several complete sessions; ``all=1``: every candidate with one), paged."""
    rows = trainee_list(get_store(request), several=not all, q=q[:128])
    size = get_state(request).settings.page_size
    pages = max(1, math.ceil(len(rows) / size))
    page = min(max(1, page), pages)
    return render(request, "trainees.html", rows=rows[(page - 1) * size: page * size], n=len(rows), page=page,
                  pages=pages, show_all=bool(all), q=q[:128])


@router.get("/trainees/{candidate_id}")
def trainee_page(request: Request, candidate_id: str, account: Trainer, layout: str = "") -> Response:
    """One trainee's progress: the charts (inline SVG), the tables and the notes of ``typingtest progress``."""
    from typingtest.analysis import plots
    from typingtest.analysis.labels import field_label
    from typingtest.analysis.overrides import load_overrides
    from typingtest.analysis.progress_report import progress_charts, progress_notes, recorded_layout, trainer_data
    from typingtest.console.charts import figure_svg

    frame = _trainee(request, candidate_id)
    lang = request_lang(request)
    ctx: dict[str, Any] = {"candidate_id": candidate_id, "layouts": LAYOUTS, "charts": [], "tables": {},
                           "notes": [], "layout": layout if layout in LAYOUTS else ""}
    if frame.empty:
        return render(request, "trainee.html", **ctx)
    used = ctx["layout"] or recorded_layout(frame)
    store = get_store(request)  # the trainer view (heatmaps, drills) as `typingtest progress` draws it from the store
    charts, tables = progress_charts(frame, lang=lang, layout=used, overrides=load_overrides(store),
                                     trainer=trainer_data(store, candidate_id, layout=used))
    svgs = []
    for name, draw, size, kind in charts:
        ax = draw(ax=plots.new_figure(*size, kind=kind).add_subplot())
        svgs.append({"name": name, "svg": figure_svg(ax.figure, f"{candidate_id}:{name}")})
    keys = tables["weakest_keys"]
    ctx.update(charts=svgs, notes=progress_notes(tables, lang), used_layout=used, cohort=frame["cohort"].iloc[0],
               sessions=[{**r, "failed_words": _failed_words(r.get("failed"), lang)}
                         for r in tables["sessions"].to_dict("records")],
               progress=_progress_rows(tables["progress"]),
               keys=(keys[keys["enough"]] if "enough" in keys.columns and keys["enough"].any() else keys)
               .head(10).to_dict("records"),
               missed=[{**r, "words": field_label(str(r["field"]), lang)}
                       for r in tables["missed_fields"].head(10).to_dict("records")],
               repeats=tables["repeated_passages"].to_dict("records"))
    return render(request, "trainee.html", **ctx)


def _failed_words(failed: object, lang: str) -> str:
    """A session's unmet "task:indicator; ..." (``session_verdicts``) in words: "overtypen: MSD-foutpercentage, ..."."""
    from typingtest.analysis.labels import indicator_label, label

    if not isinstance(failed, str) or not failed:
        return ""
    pairs = [p.partition(":") for p in failed.split("; ")]
    return ", ".join(f"{label(task, lang)}: {indicator_label(ind, lang)}" for task, _, ind in pairs)


def _progress_rows(prog: pd.DataFrame) -> list[dict[str, Any]]:
    """The progress table (per session, task and indicator) restricted to what the charts draw, in order."""
    from typingtest.analysis.progress_report import PROGRESS_INDICATORS

    keep = [(prog["indicator"] == ind) & prog["task"].isin(tasks) for ind, tasks in PROGRESS_INDICATORS.items()]
    if prog.empty or not keep:
        return []
    mask = keep[0]
    for m in keep[1:]:
        mask = mask | m
    return prog[mask].to_dict("records")  # type: ignore[no-any-return]


@router.get("/trainees/{candidate_id}/files/{name}")
def trainee_file(request: Request, candidate_id: str, name: str, account: Trainer, layout: str = "") -> Response:
    """One file of ``typingtest progress ID --out DIR``: ``<chart>.png``, ``<chart>.svg`` or ``progress.pdf``;
    audited (``downloaded``, object the candidate) with the signed-in account."""
    from typingtest.analysis.overrides import load_overrides
    from typingtest.analysis.progress_report import write_progress

    stem, _, ext = name.rpartition(".")
    if ext not in MEDIA or not stem or "/" in name or "\\" in name or name.startswith("."):
        raise NotFound("not_found_text")
    frame = _trainee(request, candidate_id)
    if frame.empty:
        raise NotFound("not_found_text")
    store = get_store(request)
    with tempfile.TemporaryDirectory(prefix="typingtest-progress-") as tmp:
        written = write_progress(frame, Path(tmp), lang=request_lang(request),
                                 layout=layout if layout in LAYOUTS else None, overrides=load_overrides(store),
                                 store=store)
        found = [p for p in written if p.name == name]
        if not found:
            raise NotFound("not_found_text")
        body = found[0].read_bytes()
    store.audit("downloaded", "progress", candidate_id, {"file": name}, actor=account.name)
    return Response(body, media_type=MEDIA[ext],
                    headers={"Content-Disposition": f'attachment; filename="progress-{_safe(candidate_id)}-{name}"'})


def _safe(text: str) -> str:
    """``text`` with only letters, digits, ``-`` and ``_`` (a file name in a header)."""
    from typingtest.ids import candidate_filename

    return "".join(ch for ch in candidate_filename(text) if ch.isalnum() or ch in "-_")
