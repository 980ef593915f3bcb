"""typingtest.console: the centre console, a web app over the store (issue 12).

Server-rendered HTML (FastAPI + Jinja2), no build step, no CDN: every asset is in this
package. Run it with ``typingtest console`` (``commands.py``); make accounts with
``typingtest user`` (``typingtest.store.accounts`` does the work).

Layout and conventions (follow them when adding a page):

- ``app.py``: ``create_app(db_url, *, settings=None) -> FastAPI``; ``PAGE_MODULES`` is the one
  tuple of page modules. A new page = a module ``pages_<name>.py`` defining
  ``router = APIRouter(include_in_schema=False)`` (HTML pages stay out of the API's OpenAPI
  document; only ``pages_api.py`` is in it), added to that tuple. Add its navigation link to
  ``deps.NAV`` (path, label key, roles); a link shows only once its route exists.
- ``deps.py``: ``require_role(*roles)`` as a dependency on every page: at module level
  ``Reader = Annotated[Account, Depends(require_role("admin", "recruiter"))]``, then a parameter
  ``account: Reader`` (not signed in: 303 to ``/signin`` for browsers, 401 on ``/api/``; wrong
  role: the 403 page); ``current_account``,
  ``get_store(request)``, ``render(request, "page.html", **ctx)`` (adds ``lang``,
  ``csrf_token``, ``account``, ``nav``, ``t()`` and the shared label functions bound to the
  language). ``check_csrf`` is installed on the whole app: every POST form must carry
  ``<input type="hidden" name="csrf_token" value="{{ csrf_token }}">`` (base.html's
  ``csrf_field()`` macro writes it). Raise ``NotFound("cohort_not_found", name)`` for an unknown
  object; never render an error page yourself.
- Routes are thin: parse the query, call ONE function of ``analysis/`` or ``store/`` (the
  same one the CLI command calls, so the browser and ``export`` cannot disagree), render.
  ``data.py`` holds the console's cached calls of those functions (the cohort report per
  cohort and language, invalidated when attempts or overrides change) and the paging.
- Writes (override, erase, export, account change) go through the store, which audits them;
  pass the signed-in ``account.name`` as the actor.
- Templates extend ``templates/base.html`` (blocks ``title`` and ``content``); they format with
  ``t()``, ``percent()``, ``number()``, ``local_time()``, ``indicator_label()``,
  ``competence_label()`` and compute nothing. One stylesheet, ``static/console.css``; small
  vanilla scripts in ``static/`` only where they help (no inline scripts: the
  Content-Security-Policy forbids them).
- Interface strings: ``typingtest.analysis.labels.label`` where a key exists; new console
  strings go in the ONE table ``console/labels.py`` (``t()`` looks there, then in the shared labels).
- Sessions are server-side (``store.accounts``: a random token in an HttpOnly, SameSite=Strict
  cookie, Secure over HTTPS; the database keeps its SHA-256, the account, the session's CSRF
  token and the last use for the idle time-out). Settings: ``settings.ConsoleSettings``.
- Tests: ``tests/console/`` with FastAPI's ``TestClient`` over a simulated cohort.
"""

from __future__ import annotations

__all__ = ["create_app"]


def create_app(*args: object, **kwargs: object) -> object:
    """``typingtest.console.app.create_app`` (imported on first use: FastAPI loads only here)."""
    from typingtest.console.app import create_app as make

    return make(*args, **kwargs)  # type: ignore[arg-type]
