"""The admin pages: accounts and API tokens, retention and purge, a candidate's export and erasure (GDPR).

Each write calls the store function the CLI calls (``store.accounts`` as ``typingtest user``;
``Store.purge`` as ``typingtest purge``; ``Store.export_candidate`` and ``Store.erase_candidate``
as ``typingtest candidate export/erase``) and is audited with the signed-in account as the
actor (the account functions' ``actor``, else ``Store.acting_as``). Purging and erasing show
first what they will remove and ask for a confirmation; nothing is removed on a GET.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select

from typingtest.console.deps import NotFound, get_state, get_store, render, request_lang, require_role
from typingtest.console.labels import CONSOLE_LABELS, t
from typingtest.errors import UserError
from typingtest.store import accounts
from typingtest.store import schema as S
from typingtest.store.accounts import ROLES, Account

__all__ = ["erasure_preview", "router"]

router = APIRouter(include_in_schema=False)

Admin = Annotated[Account, Depends(require_role("admin"))]
#: the confirmation messages a redirect after a write may name (``?done=``)
DONE = ("account_added", "account_disabled", "account_enabled", "password_set", "token_revoked", "purged")


def erasure_preview(store: Any, candidate_id: str) -> dict[str, Any]:
    """What ``erase_candidate`` will remove of one candidate, counted before it runs: rows per table and
    the files of the written-files manifest that hold them (paths relative to the results folder where inside)."""
    c, s, a, o = S.candidates, S.sessions, S.attempts, S.overrides
    wf, wfc = S.written_files, S.written_file_candidates
    sids = select(s.c.session_id).where(s.c.candidate_id == candidate_id)
    aids = select(a.c.attempt_id).where(a.c.session_id.in_(sids))
    counts_q = {
        "sessions": select(func.count()).select_from(s).where(s.c.candidate_id == candidate_id),
        "attempts": select(func.count()).select_from(a).where(a.c.session_id.in_(sids)),
        "overrides": select(func.count()).select_from(o).where(o.c.attempt_id.in_(aids)),
        "consents": select(func.count()).select_from(S.consents).where(S.consents.c.candidate_id == candidate_id),
        "contact": select(func.count()).select_from(S.candidate_contacts)
        .where(S.candidate_contacts.c.candidate_id == candidate_id),
    }
    with store.engine.connect() as conn:
        cohort = conn.execute(select(c.c.cohort).where(c.c.candidate_id == candidate_id)).scalar()
        counts = {k: int(conn.execute(q).scalar() or 0) for k, q in counts_q.items()}
        paths = list(conn.execute(select(wf.c.path, wf.c.purpose).join(wfc, wfc.c.file_id == wf.c.file_id)
                                  .where(wfc.c.candidate_id == candidate_id).order_by(wf.c.file_id)).all())
        conn.rollback()
    root = Path(store.results_dir).resolve()
    files = []
    for path, purpose in dict.fromkeys((str(p), str(u)) for p, u in paths):
        shown = Path(path)
        with contextlib.suppress(ValueError):
            shown = shown.relative_to(root)
        files.append({"path": str(shown), "purpose": purpose, "exists": Path(path).exists()})
    return {"cohort": cohort, "counts": counts, "files": files}


def _done(request: Request) -> str | None:
    key = request.query_params.get("done", "")
    if key not in DONE:
        return None
    return t(f"done_{key}", request_lang(request), name=request.query_params.get("name", "")[:64],
             n=request.query_params.get("n", "")[:8])


def _back(path: str, done: str, **fields: object) -> Response:
    extra = "".join(f"&{k}={quote(str(v), safe='')}" for k, v in fields.items())
    return RedirectResponse(f"{path}?done={done}{extra}", status_code=303)


# ---- overview -------------------------------------------------------------------------------


@router.get("/admin")
def admin_home(request: Request, account: Admin) -> Response:
    """Links to the admin pages, with the counts they manage."""
    store = get_store(request)
    return render(request, "admin.html", n_accounts=len(accounts.list_accounts(store)),
                  retention_days=store.retention_days)


# ---- accounts and tokens ----------------------------------------------------------------------


def _accounts_page(request: Request, *, status_code: int = 200, errors: dict[str, str] | None = None,
                   values: dict[str, str] | None = None, new_token: dict[str, str] | None = None) -> Response:
    store = get_store(request)
    return render(request, "admin_accounts.html", status_code=status_code, accounts=accounts.list_accounts(store),
                  tokens=accounts.list_tokens(store), roles=ROLES, errors=errors or {}, values=values or {},
                  new_token=new_token, done=_done(request))


@router.get("/admin/accounts")
def accounts_page(request: Request, account: Admin) -> Response:
    """Every account and API token, with the forms that change them."""
    return _accounts_page(request)


@router.post("/admin/accounts")
def account_add(request: Request, account: Admin, name: str = Form(""), role: str = Form(""),
                password: str = Form("")) -> Response:
    """``typingtest user add NAME --role ROLE``; a bad field: the form again, marked."""
    lang = request_lang(request)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = t("field_required", lang)
    if role not in ROLES:
        errors["role"] = t("admin_pick_role", lang)
    if not password:
        errors["password"] = t("field_required", lang)
    if not errors:
        state = get_state(request)
        try:
            accounts.add_account(state.store(), name, role, password, actor=account.name, now=state.settings.clock())
        except UserError as exc:  # the name taken or malformed, or the password too short: one line naming it
            text = str(exc)
            errors["password" if text.startswith("user: the password") else "name"] = text
    if errors:
        return _accounts_page(request, status_code=400, errors=errors, values={"name": name, "role": role})
    return _back("/admin/accounts", "account_added", name=name.strip())


@router.post("/admin/accounts/{name}/disable")
def account_disable(request: Request, name: str, account: Admin, enable: str = Form("")) -> Response:
    """``typingtest user disable NAME`` (``enable=1``: enable it again). An admin cannot disable their own account."""
    state = get_state(request)
    if accounts.get_account(state.store(), name) is None:
        raise NotFound("account_not_found", name)
    if name == account.name and not enable:
        return _accounts_page(request, status_code=400,
                              errors={"account": t("admin_not_yourself", request_lang(request))})
    accounts.disable_account(state.store(), name, disabled=not enable, actor=account.name, now=state.settings.clock())
    return _back("/admin/accounts", "account_enabled" if enable else "account_disabled", name=name)


@router.post("/admin/accounts/{name}/password")
def account_password(request: Request, name: str, account: Admin, password: str = Form("")) -> Response:
    """``typingtest user passwd NAME``: a new password; the account's sessions end."""
    state = get_state(request)
    if accounts.get_account(state.store(), name) is None:
        raise NotFound("account_not_found", name)
    try:
        accounts.set_password(state.store(), name, password, actor=account.name, now=state.settings.clock())
    except UserError as exc:
        return _accounts_page(request, status_code=400, errors={f"password:{name}": str(exc)})
    return _back("/admin/accounts", "password_set", name=name)


@router.post("/admin/accounts/{name}/tokens")
def token_create(request: Request, name: str, account: Admin, token_name: str = Form("api")) -> Response:
    """``typingtest user token NAME``: a new API token, shown on this page once (never again)."""
    state = get_state(request)
    if accounts.get_account(state.store(), name) is None:
        raise NotFound("account_not_found", name)
    try:
        token = accounts.create_token(state.store(), name, token_name, actor=account.name, now=state.settings.clock())
    except UserError as exc:
        return _accounts_page(request, status_code=400, errors={f"token:{name}": str(exc)})
    return _accounts_page(request, new_token={"account": name, "name": token_name.strip() or "api", "token": token})


@router.post("/admin/tokens/{token_id}/revoke")
def token_revoke(request: Request, token_id: int, account: Admin) -> Response:
    """``typingtest user revoke ID``: the token stops working at once."""
    state = get_state(request)
    try:
        accounts.revoke_token(state.store(), token_id, actor=account.name, now=state.settings.clock())
    except UserError:
        raise NotFound("token_not_found", str(token_id)) from None
    return _back("/admin/accounts", "token_revoked", name=str(token_id))


# ---- retention and purge --------------------------------------------------------------------


def _days(request: Request, value: str) -> tuple[int | None, str | None]:
    store = get_store(request)
    if not value.strip():
        return int(store.retention_days), None
    try:
        days = int(value)
    except ValueError:
        return None, t("admin_bad_days", request_lang(request), value=value[:20])
    if days < 0:
        return None, t("admin_bad_days", request_lang(request), value=value[:20])
    return days, None


@router.get("/admin/retention")
def retention_page(request: Request, account: Admin, days: str = "") -> Response:
    """``typingtest purge --dry-run [--days N]``: who is past the retention period; a form to erase them."""
    store = get_store(request)
    n_days, error = _days(request, days)
    due = [] if n_days is None else store.purge(n_days, now=get_state(request).settings.clock(), dry_run=True)
    return render(request, "admin_retention.html", status_code=400 if error else 200, days=days if error else n_days,
                  setting=store.retention_days, due=sorted(due), error=error, done=_done(request))


@router.post("/admin/retention")
def retention_purge(request: Request, account: Admin, days: str = Form(""), confirm: str = Form("")) -> Response:
    """``typingtest purge --days N --yes``, when ``confirm`` is the number of candidates the page showed (so a
    list that changed in between is shown again rather than erased)."""
    store = get_store(request)
    state = get_state(request)
    n_days, error = _days(request, days)
    due = [] if n_days is None else store.purge(n_days, now=state.settings.clock(), dry_run=True)
    if error or not due or confirm != str(len(due)):
        message = error or (t("admin_purge_changed", request_lang(request)) if due else None)
        return render(request, "admin_retention.html", status_code=400 if message else 200,
                      days=days if error else n_days, setting=store.retention_days, due=sorted(due), error=message,
                      done=None)
    with store.acting_as(account.name):
        done = store.purge(n_days, now=state.settings.clock())
    return _back("/admin/retention", "purged", n=len(done), days=n_days)


# ---- one candidate: export and erase (GDPR) ----------------------------------------------------


def _candidate(request: Request, candidate_id: str) -> dict[str, Any]:
    store = get_store(request)
    if store.candidate(candidate_id) is None:
        raise NotFound("candidate_not_found", candidate_id)
    return erasure_preview(store, candidate_id)


@router.get("/admin/candidates")
def candidates_page(request: Request, account: Admin, id: str = "") -> Response:
    """Find a candidate by id: what is held about them, with the export and erase buttons."""
    wanted = id.strip()[:128]
    if not wanted:
        return render(request, "admin_candidates.html", wanted="", preview=None, error=None)
    store = get_store(request)
    if store.candidate(wanted) is None:
        return render(request, "admin_candidates.html", status_code=404, wanted=wanted, preview=None,
                      error=t("candidate_not_found", request_lang(request), name=wanted))
    return render(request, "admin_candidates.html", wanted=wanted, preview=erasure_preview(store, wanted), error=None)


@router.post("/admin/candidates/{candidate_id}/export")
def candidate_export(request: Request, candidate_id: str, account: Admin) -> Response:
    """``typingtest candidate export ID``: the folder it writes (``results/exports/<candidate>``, in the
    manifest, audited with the account), sent as one ZIP file."""
    from typingtest.ids import candidate_filename

    _candidate(request, candidate_id)
    store = get_store(request)
    with store.acting_as(account.name):
        folder = store.export_candidate(candidate_id)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            zf.write(path, path.relative_to(folder).as_posix())
    name = "".join(ch for ch in candidate_filename(candidate_id) if ch.isalnum() or ch in "-_") or "candidate"
    return Response(buf.getvalue(), media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="candidate-{name}.zip"'})


@router.get("/admin/candidates/{candidate_id}/erase")
def erase_confirm(request: Request, candidate_id: str, account: Admin) -> Response:
    """The confirmation page: what the erasure will remove; type the id again to confirm."""
    return render(request, "admin_erase.html", candidate_id=candidate_id, preview=_candidate(request, candidate_id),
                  error=None)


@router.post("/admin/candidates/{candidate_id}/erase")
def erase(request: Request, candidate_id: str, account: Admin, confirm_id: str = Form("")) -> Response:
    """``typingtest candidate erase ID --yes`` once the id was typed again; the erase report."""
    preview = _candidate(request, candidate_id)
    if confirm_id.strip() != candidate_id.strip():
        return render(request, "admin_erase.html", status_code=400, candidate_id=candidate_id, preview=preview,
                      error=t("admin_erase_mismatch", request_lang(request)))
    store = get_store(request)
    with store.acting_as(account.name):
        removed = store.erase_candidate(candidate_id)
    lang = request_lang(request)
    counts = {(t(f"erased_{k}", lang) if f"erased_{k}" in CONSOLE_LABELS else k.replace("_", " ")): v
              for k, v in removed.items()
              if k not in ("remaining_files", "compaction", "erasure_number", "touched", "resumed")}
    return render(request, "admin_erased.html", removed=removed, counts=counts)
