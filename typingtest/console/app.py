"""The console's ASGI app: ``create_app(db_url, settings=...)``.

Pages come from the modules in ``PAGE_MODULES`` (each defines ``router = APIRouter()``); the
error handlers here turn the exceptions of ``deps`` and database failures into pages (or
JSON on ``/api/``), so page functions never render errors themselves.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

from typingtest import __version__
from typingtest.console.deps import (
    ConsoleState,
    CsrfRefused,
    Forbidden,
    NotFound,
    SignInRequired,
    check_csrf,
    is_api,
    render,
    request_lang,
)
from typingtest.console.labels import t
from typingtest.console.settings import ConsoleSettings
from typingtest.errors import UserError

__all__ = ["PAGE_MODULES", "create_app"]

log = logging.getLogger("typingtest.console")

#: The page modules, each with ``router = APIRouter(...)``: add a new page module here.
PAGE_MODULES = (
    "typingtest.console.pages_auth",  # sign-in, sign-out, language, home
    "typingtest.console.pages_cohorts",  # cohorts list, cohort page
    "typingtest.console.pages_candidates",  # candidate page
    "typingtest.console.pages_api",  # /api/v1 (read-only JSON, bearer tokens)
    "typingtest.console.pages_compare",  # compare 2-10 applicants
    "typingtest.console.pages_trainees",  # trainees list, trainee progress and downloads
    "typingtest.console.pages_exports",  # CSV/XLSX/Parquet exports (as `typingtest export`)
    "typingtest.console.pages_admin",  # accounts, tokens, retention and purge, candidate export/erase
    "typingtest.console.pages_registrations",  # registrations, access codes, accommodations (issue 13)
    "typingtest.console.pages_room",  # the live room: workstation tiles, remote proctor commands, one-time codes
)

#: Sent with every response: no framing, no third-party anything, no caching of personal data.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                               "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def create_app(db_url: str | None = None, *, settings: ConsoleSettings | None = None) -> FastAPI:
    """The console over the database at ``db_url`` (None: the centre settings' database).

    The store opens at the first request that needs it: the app starts, and keeps serving the
    "database is down" page, while the database is unreachable.
    """
    settings = settings or ConsoleSettings()
    state = ConsoleState(db_url, settings)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        state.close()

    app = FastAPI(title="typingtest console API", version=__version__, openapi_url="/api/v1/openapi.json",
                  docs_url=None, redoc_url=None, dependencies=[Depends(check_csrf)], lifespan=lifespan,
                  description="Read-only JSON API for applicant-tracking systems. Authenticate with "
                              "`Authorization: Bearer <token>` (`typingtest user token NAME`).")
    app.state.console = state
    app.mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static")
    for name in PAGE_MODULES:
        router = importlib.import_module(name).router
        app.include_router(router)
        state.page_paths |= {router.prefix + r.path for r in router.routes if hasattr(r, "path")}
    _install_handlers(app)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    return app


def _error(request: Request, status: int, title_key: str, text: str, *, lookup: bool = True) -> Response:
    if is_api(request):
        return JSONResponse({"detail": text}, status_code=status)
    return render(request, "error.html", status_code=status, title=t(title_key, request_lang(request)), text=text,
                  lookup=lookup)


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(SignInRequired)
    async def _signin(request: Request, _exc: SignInRequired) -> Response:
        if is_api(request):
            return JSONResponse({"detail": "missing or invalid API token"}, status_code=401,
                                headers={"WWW-Authenticate": "Bearer"})
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/signin?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        lang = request_lang(request)
        return _error(request, 403, "forbidden_title", t("forbidden_text", lang, role=t(f"role_{exc.role}", lang)))

    @app.exception_handler(CsrfRefused)
    async def _csrf(request: Request, _exc: CsrfRefused) -> Response:
        return _error(request, 403, "csrf_title", t("csrf_text", request_lang(request)))

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> Response:
        return _error(request, 404, "not_found_title", t(exc.key, request_lang(request), name=exc.name))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return _error(request, 404, "not_found_title", t("not_found_text", request_lang(request)))
        if is_api(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return _error(request, exc.status_code, "error_title", str(exc.detail))

    async def _db_down(request: Request, exc: Exception) -> Response:
        # the driver's text may name the server; the log keeps it, the page says what to do
        log.warning("database unreachable: %s", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        return _error(request, 503, "db_down_title", t("db_down_text", request_lang(request)), lookup=False)

    from typingtest.store.store import StoreError

    app.add_exception_handler(StoreError, _db_down)  # type: ignore[arg-type]
    app.add_exception_handler(sa_exc.OperationalError, _db_down)  # type: ignore[arg-type]
    app.add_exception_handler(sa_exc.DBAPIError, _db_down)  # type: ignore[arg-type]

    @app.exception_handler(UserError)
    async def _user_error(request: Request, exc: UserError) -> Response:
        return _error(request, 400, "error_title", str(exc))
