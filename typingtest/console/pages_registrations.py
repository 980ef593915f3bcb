"""The registrations page (issue 13): candidates invited for a battery, their access codes and
accommodations.

Each write calls the function ``typingtest registration`` calls (``store.registrations``:
``add_registration``, ``import_csv``, ``cancel_registration``, ``allow_again``), with the signed-in
account as the actor (audited by the store). Recruiters and admins register, import and cancel;
proctors (and recruiters, admins) see the list and allow a used code to start once more (resume or
retake, with a reason). A new code is shown on the page that made it (grouped, ``ABC-DEF``), never
put in a URL.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from typingtest.console.deps import NotFound, get_state, get_store, render, request_lang, require_role
from typingtest.console.labels import t
from typingtest.errors import UserError
from typingtest.store import registrations as R
from typingtest.store.accounts import Account

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

#: who registers candidates (add, import, cancel)
REGISTER_ROLES = ("admin", "recruiter")
#: who sees the list and lets a used code start again
ALLOW_ROLES = ("admin", "recruiter", "proctor")
Registrar = Annotated[Account, Depends(require_role(*REGISTER_ROLES))]
Viewer = Annotated[Account, Depends(require_role(*ALLOW_ROLES))]
#: the confirmations a redirect after a write may name (``?done=``)
DONE = ("cancelled", "allowed")
#: the largest CSV upload taken (bytes): a centre's list of candidates is far smaller
MAX_UPLOAD_BYTES = 2_000_000
_FIELDS = ("id", "battery", "cohort", "language", "extra_time", "font_scale", "high_contrast",
           "skip_headset_reason", "expires", "name", "email")


def _page(request: Request, account: Account, *, status_code: int = 200, errors: dict[str, str] | None = None,
          values: dict[str, Any] | None = None, new: list[R.Registration] | None = None,
          problems: list[str] | None = None, show: str = "all") -> Response:
    state = get_state(request)
    now = state.settings.clock()
    found = R.list_registrations(get_store(request), open_only=show == "open", now=now)
    done = request.query_params.get("done", "")
    return render(request, "registrations.html", status_code=status_code,
                  rows=R.rows_for_listing(found, now), can_register=account.role in REGISTER_ROLES,
                  batteries=R.known_batteries(state.project().passages_dir), test_languages=R.LANGUAGES,
                  errors=errors or {}, values=values or {"extra_time": "1.0", "font_scale": "1.0"}, new=new or [],
                  problems=problems or [], show=show,
                  done=t(f"registration_done_{done}", request_lang(request)) if done in DONE else None,
                  default_days=state.project().registration_days)


@router.get("/registrations")
def registrations_page(request: Request, account: Viewer, show: str = "all") -> Response:
    """Every registration (``show=open``: those whose code can still start a session), newest first."""
    return _page(request, account, show="open" if show == "open" else "all")


@router.post("/registrations")
def registration_add(request: Request, account: Registrar, id: str = Form(""), battery: str = Form(""),
                     cohort: str = Form(""), language: str = Form(""), extra_time: str = Form("1.0"),
                     font_scale: str = Form("1.0"), high_contrast: str = Form(""),
                     skip_headset_reason: str = Form(""), expires: str = Form(""), name: str = Form(""),
                     email: str = Form("")) -> Response:
    """``typingtest registration add``: the new code shown on the page; a bad field: the form again, marked."""
    values = dict(id=id, battery=battery, cohort=cohort, language=language, extra_time=extra_time,
                  font_scale=font_scale, high_contrast=high_contrast, skip_headset_reason=skip_headset_reason,
                  expires=expires, name=name, email=email)
    state = get_state(request)
    if not id.strip():
        return _page(request, account, status_code=400, values=values,
                     errors={"id": t("field_required", request_lang(request))})
    try:
        reg = R.add_registration(state.store(), id, battery, cohort=cohort or None, language=language or None,
                                 extra_time=extra_time, font_scale=font_scale, high_contrast=bool(high_contrast),
                                 skip_headset_reason=skip_headset_reason or None, expires=expires or None,
                                 name=name or None, email=email or None, actor=account.name,
                                 now=state.settings.clock(), passages=state.project().passages_dir,
                                 days=state.project().registration_days)
    except UserError as exc:  # "registration: <field>: what is wrong", or an open registration already
        text = str(exc).removeprefix("registration: ")
        field = text.split(":", 1)[0] if text.split(":", 1)[0] in _FIELDS else "form"
        return _page(request, account, status_code=400, values=values, errors={field: text})
    return _page(request, account, new=[reg])


@router.post("/registrations/import")
async def registration_import(request: Request, account: Registrar,
                              file: Annotated[UploadFile | None, File()] = None) -> Response:
    """``typingtest registration import FILE.csv`` on an uploaded file: all rows or none; every mistake a line."""
    from starlette.concurrency import run_in_threadpool

    lang = request_lang(request)
    if file is None or not file.filename:
        return await run_in_threadpool(_page, request, account, status_code=400,
                                       errors={"file": t("registration_pick_file", lang)})
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        return await run_in_threadpool(_page, request, account, status_code=400,
                                       errors={"file": t("registration_file_too_big", lang,
                                                         n=MAX_UPLOAD_BYTES // 1_000_000)})
    name = "".join(ch for ch in file.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
                   if ch.isprintable())[:100] or "upload.csv"
    state = get_state(request)

    def run() -> Response:
        try:
            made = R.import_csv(state.store(), data=data, source=name, actor=account.name,
                                now=state.settings.clock(), passages=state.project().passages_dir,
                                days=state.project().registration_days)
        except R.RegistrationImportError as exc:
            return _page(request, account, status_code=400, problems=exc.problems,
                         errors={"file": t("registration_nothing_imported", lang, n=len(exc.problems))})
        except UserError as exc:
            return _page(request, account, status_code=400, problems=[str(exc)],
                         errors={"file": t("registration_nothing_imported", lang, n=1)})
        return _page(request, account, new=made)

    return await run_in_threadpool(run)


def _existing(request: Request, code: str) -> R.Registration:
    reg = R.find_registration(get_store(request), code, now=get_state(request).settings.clock())
    if reg is None:
        raise NotFound("registration_not_found", code[:20])
    return reg


@router.post("/registrations/{code}/cancel")
def registration_cancel(request: Request, code: str, account: Registrar) -> Response:
    """``typingtest registration cancel CODE``."""
    _existing(request, code)
    state = get_state(request)
    try:
        R.cancel_registration(state.store(), code, actor=account.name, now=state.settings.clock())
    except UserError as exc:
        return _page(request, account, status_code=400, errors={"row": str(exc)})
    return RedirectResponse("/registrations?done=cancelled", status_code=303)


@router.post("/registrations/{code}/allow")
def registration_allow(request: Request, code: str, account: Viewer, mode: str = Form(""),
                       reason: str = Form("")) -> Response:
    """``typingtest registration allow CODE --resume|--retake --reason TEXT`` (proctors too)."""
    _existing(request, code)
    state = get_state(request)
    lang = request_lang(request)
    if mode not in R.ALLOW_MODES:
        return _page(request, account, status_code=400, errors={"row": t("registration_pick_mode", lang)})
    if not reason.strip():
        return _page(request, account, status_code=400, errors={"row": t("registration_need_reason", lang)})
    try:
        R.allow_again(state.store(), code, mode, account.name, reason, now=state.settings.clock())
    except UserError as exc:
        return _page(request, account, status_code=400, errors={"row": str(exc)})
    return RedirectResponse("/registrations?done=allowed", status_code=303)
