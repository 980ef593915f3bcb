"""The candidate page: sessions, attempts with their figures and verdicts, overrides; the attempt page
(replay, typed text against presented text, call timeline); the applicant's one-page PDF.

- An override is stored by ``analysis.overrides.override_verdict``, the function ``typingtest
  override`` calls, with the signed-in account's name as the assessor (and so as the audit log's
  actor); recruiters and admins only.
- The PDF is the page ``typingtest compare ID --cohort C --out DIR`` writes for one applicant
  (``analysis.report.write_applicant_pdf`` over ``analysis.compare.compare_applicants`` with the
  cohort as the reference group), written as that command writes it: staged, audited and
  recorded in the written-files manifest (purpose ``compare``, the candidate it holds), then
  renamed into ``results/applicants/`` and sent, so ``candidate erase`` reaches it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from typingtest.console import data
from typingtest.console.deps import NotFound, get_store, render, request_lang, require_role
from typingtest.console.labels import t
from typingtest.errors import UserError
from typingtest.store.accounts import Account

__all__ = ["OVERRIDE_ROLES", "REASON_MAX", "applicant_pdf", "router", "text_segments"]

router = APIRouter(include_in_schema=False)

#: who sees a candidate's results (trainers follow their trainees; overriding is the recruiter's)
CANDIDATE_ROLES = ("admin", "recruiter", "trainer")
CandidateReader = Annotated[Account, Depends(require_role(*CANDIDATE_ROLES))]
#: who overrides a verdict and downloads the applicant PDF (issue 12: a trainer cannot override)
OVERRIDE_ROLES = ("admin", "recruiter")
Overrider = Annotated[Account, Depends(require_role(*OVERRIDE_ROLES))]
#: the longest override reason accepted (characters); it is printed beside the verdict in every report
REASON_MAX = 1000

#: the figures shown per attempt (export column names), in order
FIGURES = ("net_wpm", "wpm", "msd_error_rate", "uncorrected_error_rate", "corrected_error_rate",
           "total_error_rate", "kspc", "keystrokes_per_hour", "field_error_rate", "field_completeness",
           "action_score", "pickup_time_s", "record_find_time_s", "call_handling_time_s")


def _candidate_page(request: Request, candidate_id: str, account: Account, *, status_code: int = 200,
                    form: Mapping[str, Any] | None = None) -> Response:
    """The candidate page; ``form``: an override form sent back with its error (attempt_id, indicator,
    decision, reason, field, message), shown open with the field marked."""
    record = data.candidate_record(get_store(request), candidate_id)
    if record is None:
        raise NotFound("candidate_not_found", candidate_id)
    attempts = record["attempts"]
    figures = [f for f in FIGURES if f in getattr(attempts, "columns", [])]
    stored = {str(r["attempt_id"]): r["verdicts"] or [] for r in record["frame"].to_dict("records")}
    history: dict[tuple[str, str], list[dict[str, object]]] = {}
    for o in record["overrides"].to_dict("records") if len(record["overrides"]) else []:
        history.setdefault((str(o["attempt_id"]), str(o["indicator"])), []).append(o)  # oldest first
    by_session: dict[str, list[dict[str, object]]] = {}
    overall: dict[str, str] = {}
    for row in attempts.to_dict("records") if len(attempts) else []:
        aid = str(row["attempt_id"])
        if not row.get("practice"):  # the candidate's decision per battery, as `export` writes it
            overall.setdefault(str(row["battery"]), str(row["overall_decision"]))
        verdicts = []
        for v in stored.get(aid, []):
            name = str(v.get("indicator"))
            earlier = history.get((aid, name), [])
            verdicts.append({**v, "final": row.get(f"verdict_{name}"), "stored": row.get(f"verdict_{name}_stored"),
                             "override": earlier[-1] if earlier else None, "overrides": earlier})
        by_session.setdefault(str(row["session_id"]), []).append({"row": row, "verdicts": verdicts})
    return render(request, "candidate.html", status_code=status_code, candidate_id=candidate_id,
                  cohort=record["candidate"].get("cohort"), sessions=record["sessions"].to_dict("records"),
                  by_session=by_session, figures=figures, overall=overall,
                  can_override=account.role in OVERRIDE_ROLES, form=dict(form or {}))


@router.get("/candidates/{candidate_id}")
def candidate_page(request: Request, candidate_id: str, account: CandidateReader) -> Response:
    """Every session and attempt of one candidate, as ``typingtest export`` has them."""
    return _candidate_page(request, candidate_id, account)


@router.post("/candidates/{candidate_id}/overrides")
def override(request: Request, candidate_id: str, account: Overrider, attempt_id: str = Form(""),
             indicator: str = Form(""), decision: str = Form(""), reason: str = Form("")) -> Response:
    """Override one verdict (``typingtest override``'s function, the signed-in account as the assessor);
    303 back to the candidate page. A missing reason or decision: the page again, the field marked (400)."""
    lang = request_lang(request)
    store = get_store(request)
    if store.candidate(candidate_id) is None:
        raise NotFound("candidate_not_found", candidate_id)
    mine = store.attempts_frame(candidate=candidate_id, include_practice=True)
    if attempt_id not in set(mine["attempt_id"].astype(str)):
        raise NotFound("attempt_not_found", attempt_id)
    reason = reason.strip()
    form = {"attempt_id": attempt_id, "indicator": indicator, "decision": decision, "reason": reason[:REASON_MAX * 2]}
    error: tuple[str, str] | None = None
    if decision not in ("pass", "fail"):
        error = ("decision", t("override_pick_decision", lang))
    elif not reason:
        error = ("reason", t("override_reason_required", lang))
    elif len(reason) > REASON_MAX:
        error = ("reason", t("override_reason_too_long", lang, max=REASON_MAX, n=len(reason)))
    if error is None:
        from typingtest.analysis.overrides import override_verdict

        try:
            with store.acting_as(account.name):
                override_verdict(store, attempt_id, indicator, decision == "pass", reason, account.name)
        except UserError as exc:  # no stored verdict on this indicator
            error = ("indicator", str(exc))
    if error is not None:
        return _candidate_page(request, candidate_id, account, status_code=400,
                               form={**form, "field": error[0], "message": error[1]})
    return RedirectResponse(f"/candidates/{quote(candidate_id, safe='')}#attempt-{quote(attempt_id, safe='')}",
                            status_code=303)


def applicant_pdf(store: Any, candidate_id: str, cohort: str, lang: str) -> Path | None:
    """``typingtest compare CANDIDATE --cohort COHORT --out results/applicants`` for one applicant: the one-page
    PDF (``write_applicant_pdf``), staged, audited with the manifest, renamed into place; its path.
    None when the candidate has no complete, non-practice attempt in ``cohort``. The audit entry's
    actor is the caller's ``Store.acting_as`` account."""
    from typingtest.analysis.compare import compare_applicants
    from typingtest.analysis.frame import filter_attempts, validate_attempts
    from typingtest.analysis.overrides import load_overrides
    from typingtest.analysis.report import write_applicant_pdf
    from typingtest.fileperms import private_dir
    from typingtest.ids import candidate_filename
    from typingtest.store.manifest import WrittenFile, publish, record_files, staged

    cohort_data = filter_attempts(validate_attempts(store.attempts_frame(cohort=cohort), "database"), cohort=cohort)
    if cohort_data.empty or not (cohort_data["candidate_id"] == candidate_id).any():
        return None
    overrides = load_overrides(store)
    comparison, ranking, _ = compare_applicants(cohort_data, [candidate_id], reference=cohort_data,
                                                overrides=overrides)
    ov = None
    if overrides is not None and len(overrides):
        ov = overrides.merge(cohort_data[["attempt_id", "candidate_id"]], on="attempt_id", how="inner")
    mine = cohort_data[cohort_data["candidate_id"] == candidate_id]
    battery = ", ".join(sorted({str(b) for b in mine["battery"]}))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = store.results_dir / "applicants"
    if not folder.exists():
        private_dir(folder)
    name = f"{candidate_filename(candidate_id)}-{stamp}.pdf"
    with staged(folder) as stage:
        write_applicant_pdf(candidate_id, comparison, ranking, stage / name, lang=lang, overrides=ov, cohort=cohort,
                            test_date=mine["started_at"].min(), battery=battery)
        record_files(store, [WrittenFile(folder / name, "compare", (candidate_id,))], "exported", "comparison",
                     None, {"candidates": 1, "files": 1})
        return publish(stage, folder, [name])[0]


@router.get("/candidates/{candidate_id}/report.pdf")
def candidate_pdf(request: Request, candidate_id: str, account: Overrider) -> Response:
    """The applicant's one-page PDF as a download (``applicant_pdf``; kept and recorded as ``compare`` keeps it)."""
    from typingtest.ids import candidate_filename

    store = get_store(request)
    found = store.candidate(candidate_id)
    if found is None:
        raise NotFound("candidate_not_found", candidate_id)
    cohort = found.get("cohort")
    if not cohort:
        raise NotFound("applicant_pdf_no_cohort", candidate_id)
    with store.acting_as(account.name):
        path = applicant_pdf(store, candidate_id, str(cohort), request_lang(request))
    if path is None:
        raise NotFound("applicant_pdf_none", candidate_id)
    return FileResponse(path, media_type="application/pdf", filename=f"{candidate_filename(candidate_id)}.pdf")


def text_segments(frames: Mapping[str, Any]) -> dict[str, Any] | None:
    """The typed text against the presented text, as segments the template marks (``replay_frames``' error spans:
    the alignment the scoring used). None when the attempt has no single presented text.

    Returns ``presented`` and ``typed``: lists of (kind, text, other) with kind ``ok``, ``sub`` (other: the
    characters on the other side), ``ins`` (typed only), ``del`` (presented only; in ``typed`` an empty mark
    with other = the missing characters); ``rest``: presented characters not reached (not judged); ``errors``:
    characters per kind as the replay counts them."""
    presented = frames.get("presented")
    spans = frames.get("spans") or []
    if not isinstance(presented, str) or not spans:
        return None
    p = unicodedata.normalize("NFC", presented)
    typed = str(frames.get("final") or "")
    shown_p: list[tuple[str, str, str]] = []
    shown_t: list[tuple[str, str, str]] = []
    for op, t0, t1, p0, p1 in spans:
        a, b = typed[t0:t1], p[p0:p1]
        if op == "ok":
            shown_p.append(("ok", b, ""))
            shown_t.append(("ok", a, ""))
        elif op == "sub":
            shown_p.append(("sub", b, a))
            shown_t.append(("sub", a, b))
        elif op == "ins":
            shown_t.append(("ins", a, ""))
        elif op == "del":
            shown_p.append(("del", b, ""))
            shown_t.append(("del", "", b))
    judged = frames.get("judged_chars")
    rest = p[int(judged):] if isinstance(judged, int) else ""
    return {"presented": shown_p, "typed": shown_t, "rest": rest, "errors": frames.get("errors") or {}}


@router.get("/candidates/{candidate_id}/attempts/{attempt_id}")
def attempt_page(request: Request, candidate_id: str, attempt_id: str, account: CandidateReader) -> Response:
    """One attempt replayed in the browser (``console.replay.replay_frames`` played by ``static/replay.js``),
    the typed text against the presented text with the errors marked (server-rendered from the same
    frames' spans) and, for a call, its timeline (``console.replay.call_timeline``)."""
    from typingtest.console import replay

    store = get_store(request)
    frame = store.attempts_frame(candidate=candidate_id, include_practice=True)
    mine = frame[frame["attempt_id"] == attempt_id]
    if mine.empty:
        raise NotFound("attempt_not_found", attempt_id)
    row = mine.iloc[0].to_dict()
    lang = request_lang(request)
    frames = replay.replay_frames(store, attempt_id)
    compared = text_segments(frames)
    if not frames["steps"] and frames["fields"]:  # a call or form: replay the first field typed in
        frames = replay.replay_frames(store, attempt_id, target=frames["fields"][0])
    timeline = replay.call_timeline(store, attempt_id, lang) if row["task"] == "call" else []
    return render(request, "attempt.html", candidate_id=candidate_id, attempt=row,
                  frames_json=replay.embed_json(frames), timeline=timeline, compared=compared,
                  frames_fields=len(frames["fields"]) > 1, frames_target=frames["target"])
