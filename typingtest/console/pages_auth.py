"""Sign-in, sign-out, the language switch and the start page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from typingtest.console.deps import (
    LANG_COOKIE,
    SESSION_COOKIE,
    client_address,
    get_state,
    render,
    request_lang,
    require_role,
)
from typingtest.console.labels import LANGUAGES, t
from typingtest.store import accounts
from typingtest.store.accounts import Account

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
SignedIn = Annotated[Account, Depends(require_role())]


def _local(target: str | None) -> str:
    """``target`` if it is a path on this console (never another site), else the start page."""
    target = target or "/"
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/signin")
def signin_page(request: Request, next: str = "/") -> Response:
    """The sign-in form."""
    return render(request, "signin.html", next=_local(next), message=None, name="")


@router.post("/signin")
def signin(request: Request, name: str = Form(""), password: str = Form(""),
           next: str = Form("/")) -> Response:
    """Check name and password (rate limited per account and address); open a session."""
    state = get_state(request)
    lang = request_lang(request)
    target = _local(next)
    if not name.strip() or not password:
        return render(request, "signin.html", status_code=400, next=target, name=name,
                      message=t("signin_missing", lang), missing="name" if not name.strip() else "password")
    settings = state.settings
    result = accounts.sign_in(state.store(), name, password, client_address(request), now=settings.clock(),
                              max_failures=settings.max_failures, window_s=settings.failure_window_s)
    if result.account is None:
        if result.reason == "limited":
            message = t("signin_limited", lang, minutes=max(1, (result.retry_after_s + 59) // 60))
            return render(request, "signin.html", status_code=429, next=target, name=name, message=message)
        return render(request, "signin.html", status_code=401, next=target, name=name,
                      message=t("signin_refused", lang))
    token, _csrf = accounts.open_session(state.store(), result.account, client_address(request),
                                         now=settings.clock())
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path="/")
    return response


@router.post("/signout")
def signout(request: Request) -> Response:
    """End the session (the CSRF check ran first) and go to the sign-in page."""
    token = request.cookies.get(SESSION_COOKIE, "")
    if token:
        accounts.close_session(get_state(request).store(), token)
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/lang/{code}")
def set_language(request: Request, code: str, next: str = "/") -> Response:
    """Switch the interface language (a cookie) and go back."""
    response = RedirectResponse(_local(next), status_code=303)
    if code in LANGUAGES:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="strict",
                            secure=request.url.scheme == "https", path="/")
    return response


@router.get("/favicon.ico")
def favicon() -> Response:
    """No icon (browsers ask for one): nothing, rather than a 404 in every log."""
    return Response(status_code=204)


@router.get("/")
def home(request: Request, account: SignedIn) -> Response:
    """The start page: recruiters and admins go to the cohorts; others see their links."""
    if account.role in ("admin", "recruiter"):
        return RedirectResponse("/cohorts", status_code=303)
    return render(request, "home.html")
