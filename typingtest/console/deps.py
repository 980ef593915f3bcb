"""What every console page uses: the store, the signed-in account, roles, CSRF, rendering.

Routes stay thin: a page function takes ``account = Depends(require_role(...))``, calls one
function of ``analysis/`` or ``store/`` with ``get_store(request)``, and returns
``render(request, "page.html", ...)``. Errors are raised, never rendered by the page: the
handlers in ``app.py`` turn ``SignInRequired`` into a redirect to the sign-in page (browsers)
or 401 (API), ``Forbidden`` and ``CsrfRefused`` into a 403 page, ``NotFound`` into a 404 page
in the console's language, and a database failure into the "database is down" page.
"""

from __future__ import annotations

import hmac
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from typingtest.analysis import labels as shared_labels
from typingtest.console.labels import LANGUAGES, t
from typingtest.console.settings import ConsoleSettings
from typingtest.errors import UserError
from typingtest.store import accounts

if TYPE_CHECKING:
    from typingtest.store.accounts import Account, ConsoleSession
    from typingtest.store.store import Store

__all__ = [
    "CSRF_COOKIE",
    "LANG_COOKIE",
    "NAV",
    "SESSION_COOKIE",
    "ConsoleState",
    "CsrfRefused",
    "Forbidden",
    "NotFound",
    "SignInRequired",
    "check_csrf",
    "client_address",
    "current_account",
    "current_session",
    "format_indicator",
    "get_state",
    "get_store",
    "is_api",
    "render",
    "request_lang",
    "require_role",
    "templates",
]

SESSION_COOKIE = "tt_session"
#: the sign-in form's CSRF token before a session exists (double-submit cookie)
CSRF_COOKIE = "tt_csrf"
LANG_COOKIE = "tt_lang"

#: The navigation: (path, label key, roles that see it). A link shows only when its page exists.
NAV: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("/cohorts", "nav_cohorts", ("admin", "recruiter")),
    ("/trainees", "nav_trainees", ("admin", "recruiter", "trainer")),
    ("/compare", "nav_compare", ("admin", "recruiter")),
    ("/exports", "nav_exports", ("admin", "recruiter")),
    ("/registrations", "nav_registrations", ("admin", "recruiter", "proctor")),
    ("/room", "nav_room", ("admin", "proctor")),
    ("/admin", "nav_admin", ("admin",)),
)

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


class SignInRequired(Exception):
    """No valid session (or API token): sign in first."""


class Forbidden(Exception):
    """Signed in, but the account's role may not do this."""

    def __init__(self, role: str) -> None:
        super().__init__(role)
        self.role = role


class CsrfRefused(Exception):
    """A form without this session's CSRF token."""


class NotFound(Exception):
    """An unknown object: ``key`` a console label with ``{name}`` (e.g. "cohort_not_found")."""

    def __init__(self, key: str = "not_found_text", name: str = "") -> None:
        super().__init__(key, name)
        self.key, self.name = key, name


@dataclass
class ConsoleState:
    """One per app (``app.state.console``): the database URL, the settings and the store, opened
    at the first request that needs it (so the console starts, and keeps running, while the
    database is down) and opened again after it failed."""

    db_url: str | None
    settings: ConsoleSettings

    def __post_init__(self) -> None:
        self._store: Store | None = None
        self._lock = threading.Lock()
        #: per-app caches of page data (``typingtest.console.data``)
        self.cache: dict[Any, Any] = {}
        #: the paths the page modules serve (the navigation links only to these)
        self.page_paths: set[str] = set()

    def project(self) -> Any:
        """The centre's settings (``typingtest.config.Settings``)."""
        if self.settings.project is None:
            from typingtest.config import load_settings

            self.settings.project = load_settings()
        return self.settings.project

    def store(self) -> Store:
        """The open store; opened now if needed (a failure raises and is tried again next time)."""
        if self._store is None:
            with self._lock:
                if self._store is None:
                    from typingtest.store import open_store

                    self._store = open_store(self.project(), url=self.db_url)
        return self._store

    def close(self) -> None:
        """Release the store's connections."""
        if self._store is not None:
            self._store.close()
            self._store = None


def get_state(request: Request) -> ConsoleState:
    """The app's ``ConsoleState``."""
    return request.app.state.console  # type: ignore[no-any-return]


def get_store(request: Request) -> Store:
    """The store (a FastAPI dependency, or called from a page)."""
    return get_state(request).store()


def is_api(request: Request) -> bool:
    """True for the JSON API (token auth, JSON errors)."""
    return request.url.path.startswith("/api/")


def client_address(request: Request) -> str:
    """The client's address (behind a proxy: what uvicorn's proxy headers made of it)."""
    return request.client.host if request.client else "?"


def request_lang(request: Request) -> str:
    """The interface language: ``?lang=``, else the language cookie, else the settings' default."""
    for value in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if value in LANGUAGES:
            return value
    lang = get_state(request).settings.lang
    return lang if lang in LANGUAGES else "nl"


def current_session(request: Request) -> ConsoleSession | None:
    """The signed-in session of this request (looked up once per request), or None."""
    if "console_session" not in request.state:
        state = get_state(request)
        token = request.cookies.get(SESSION_COOKIE, "")
        found = None
        if token:
            found = accounts.session_account(state.store(), token, idle_s=state.settings.idle_timeout_s,
                                             now=state.settings.clock())
        request.state.console_session = found
    return request.state.console_session  # type: ignore[no-any-return]


def current_account(request: Request) -> Account | None:
    """The signed-in account (browser session, or API token on ``/api/``), or None."""
    if is_api(request):
        if "api_account" not in request.state:
            header = request.headers.get("authorization", "")
            scheme, _, token = header.partition(" ")
            found = None
            if scheme.lower() == "bearer" and token.strip():
                state = get_state(request)
                found = accounts.check_token(state.store(), token.strip(), now=state.settings.clock())
            request.state.api_account = found
        return request.state.api_account  # type: ignore[no-any-return]
    session = current_session(request)
    return session.account if session else None


def require_role(*roles: str) -> Callable[[Request], Account]:
    """A dependency: the signed-in account if its role is one of ``roles`` (none given: any role).

    Not signed in: ``SignInRequired`` (browser: 303 to the sign-in page; API: 401). Wrong role:
    ``Forbidden`` (403 page or JSON).
    """

    def dependency(request: Request) -> Account:
        account = current_account(request)
        if account is None:
            raise SignInRequired()
        if roles and account.role not in roles:
            raise Forbidden(account.role)
        return account

    dependency.__name__ = f"require_role_{'_'.join(roles) or 'any'}"
    return dependency


async def check_csrf(request: Request) -> None:
    """Refuse (``CsrfRefused``) a form POST without the session's CSRF token (field ``csrf_token``).

    Installed on the whole app: every POST, PUT, PATCH or DELETE outside ``/api/`` is checked. Before
    sign-in the token is the one of the ``tt_csrf`` cookie that the sign-in page set.
    """
    if request.method in ("GET", "HEAD", "OPTIONS") or is_api(request):
        return
    form = await request.form()
    sent = str(form.get("csrf_token") or "")
    session = await run_in_threadpool(current_session, request)
    expected = session.csrf_token if session else request.cookies.get(CSRF_COOKIE, "")
    if not sent or not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise CsrfRefused()


def format_indicator(indicator: str, value: float | None, lang: str) -> str:
    """A value as the reports' tables show it (``analysis.compare.format_value``), with the decimal comma
    of Dutch and French."""
    from typingtest.analysis.compare import format_value

    text = format_value(indicator, value)
    return re.sub(r"(?<=\d)\.(?=\d)", ",", text) if lang in ("nl", "fr") else text


def _nav(request: Request, account: Account | None, lang: str) -> list[dict[str, Any]]:
    if account is None:
        return []
    paths = get_state(request).page_paths
    here = request.url.path
    return [{"href": path, "text": t(key, lang), "current": here == path or here.startswith(path + "/")}
            for path, key, roles in NAV if account.role in roles and path in paths]


def render(request: Request, template: str, *, status_code: int = 200, lookup: bool = True,
           **ctx: Any) -> HTMLResponse:
    """A page from ``templates/`` with what every template needs: ``lang``, ``csrf_token``,
    ``account``, ``nav``, ``t(key, **fields)`` and the shared label functions bound to ``lang``.

    ``lookup``: find the session if no dependency did (an error page for an unknown path still
    shows the navigation); False where the database may be down."""
    lang = request_lang(request)
    if lookup and "console_session" not in request.state and request.cookies.get(SESSION_COOKIE):
        try:
            current_session(request)
        except (SQLAlchemyError, UserError):  # the store's errors: the page shows without the session
            request.state.console_session = None
    session = getattr(request.state, "console_session", None)
    new_csrf = None
    if session is not None:
        csrf = session.csrf_token
    else:
        csrf = request.cookies.get(CSRF_COOKIE, "")
        if len(csrf) < 20:
            csrf = new_csrf = secrets.token_urlsafe(32)
    account = session.account if session else None
    context = {
        "lang": lang,
        "languages": LANGUAGES,
        "csrf_token": csrf,
        "account": account,
        "nav": _nav(request, account, lang),
        "t": lambda key, **fields: t(key, lang, **fields),
        "label": lambda key, **fields: shared_labels.label(key, lang, **fields),
        "indicator_label": lambda name: shared_labels.indicator_label(name, lang),
        "competence_label": lambda code: shared_labels.competence_label(code, lang),
        "percent": lambda value, digits=1: shared_labels.percent(value, digits, lang),
        "number": lambda value, digits=1: shared_labels.number(value, digits, lang),
        "local_time": lambda value, **kw: shared_labels.local_time(value, lang, **kw),
        "fmt": lambda indicator, value: format_indicator(indicator, value, lang),
        "here": request.url.path,
        **ctx,
    }
    response = templates.TemplateResponse(request, template, context, status_code=status_code)
    if new_csrf is not None:
        response.set_cookie(CSRF_COOKIE, new_csrf, httponly=True, samesite="strict",
                            secure=request.url.scheme == "https", path="/")
    return response
