"""The live room: every workstation of the centre as a tile, remote proctor commands, one-time proctor codes.

For proctors and admins (a recruiter or trainer gets the 403 page: running the room is the proctor's
job, and the tiles name the candidates sitting the test now). Each route calls one function of
``store.room``, the module the workstations' link (``workstation/room_link.py``) uses too:

- ``GET /room``: the tiles as the page opens; ``static/room.js`` then polls ``GET /room/state`` (JSON,
  ``room.room_state``) every 2 s and updates them without reloading; a workstation that missed
  three beats is marked lost. The beats do not carry the interval a workstation beats at
  (``workstation_heartbeats`` has no column for it), so every workstation is judged by the console's
  own ``heartbeat_interval_s``, and the page says so in words (``room_explain``: the interval it
  assumes and after how many seconds without a beat a workstation shows as lost).
- ``POST /room/{workstation}/command``: pause, resume, end, no-audio or extra-time (seconds), with
  a reason (required), CSRF-checked and audited with the account (``room.issue_command``); the tile
  shows the workstation's acknowledgement when it comes (or "timed out").
- ``POST /room/code``: a one-time proctor code for the signed-in account (``room.make_proctor_code``),
  shown on this page once; the workstation's proctor panel accepts it once within 10 minutes.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from typingtest.console.deps import get_state, render, request_lang, require_role
from typingtest.console.labels import t
from typingtest.errors import UserError
from typingtest.store import room
from typingtest.store.accounts import Account

__all__ = ["ROOM_ROLES", "router"]

router = APIRouter(include_in_schema=False)

#: who runs the room
ROOM_ROLES = ("proctor", "admin")
Proctor = Annotated[Account, Depends(require_role(*ROOM_ROLES))]
#: the confirmation a redirect after a command may name (``?done=``)
DONE = ("command_sent",)


def _interval(request: Request) -> float:
    project = get_state(request).project()
    return float(getattr(project, "heartbeat_interval_s", room.DEFAULT_INTERVAL_S))


def _tiles(request: Request) -> list[dict[str, Any]]:
    state = get_state(request)
    return room.room_state(state.store(), now=state.settings.clock(), interval_s=_interval(request))


def _page(request: Request, *, status_code: int = 200, error: str | None = None,
          new_code: dict[str, Any] | None = None) -> Response:
    lang = request_lang(request)
    done = request.query_params.get("done", "")
    message = t(f"room_done_{done}", lang, name=request.query_params.get("name", "")[:64]) if done in DONE else None
    return render(request, "room.html", status_code=status_code, tiles=_tiles(request), commands=room.COMMANDS,
                  error=error, done=message, new_code=new_code, interval_s=_interval(request),
                  lost_after=room.LOST_AFTER_BEATS)


@router.get("/room")
def room_page(request: Request, account: Proctor) -> Response:
    """The room: one tile per workstation, refreshed by ``static/room.js``."""
    return _page(request)


@router.get("/room/state")
def room_state(request: Request, account: Proctor) -> Response:
    """The tiles' data as JSON (``room.room_state``) with the labels the script shows."""
    lang = request_lang(request)
    labels = {f"state_{s}": t(f"room_state_{s}", lang) for s in room.STATES}
    labels |= {f"status_{s}": t(f"room_status_{s}", lang) for s in ("ok", "refused", "pending", "timed-out")}
    labels |= {f"command_{c}": t(f"room_command_{c}", lang) for c in room.COMMANDS}
    labels |= {"lost": t("room_lost", lang), "none": "–"}
    return JSONResponse({"workstations": _tiles(request), "labels": labels,
                         "interval_s": _interval(request), "lost_after": room.LOST_AFTER_BEATS})


@router.post("/room/code")
def proctor_code(request: Request, account: Proctor) -> Response:
    """A one-time proctor code for this account, shown once (only its SHA-256 is kept)."""
    state = get_state(request)
    code, expires = room.make_proctor_code(state.store(), account, now=state.settings.clock())
    return _page(request, new_code={"code": code, "expires_at": expires})


@router.post("/room/{workstation}/command")
def command(request: Request, workstation: str, account: Proctor, command: str = Form(""), reason: str = Form(""),
            seconds: str = Form(""), session_id: str = Form("")) -> Response:
    """Queue a command for the workstation (``room.issue_command``, audited); a bad field: the page, with why."""
    state = get_state(request)
    known = {tile["workstation"]: tile for tile in _tiles(request)}
    if workstation not in known:
        return _page(request, status_code=404, error=t("room_unknown_workstation", request_lang(request),
                                                          name=workstation[:64]))
    try:
        room.issue_command(state.store(), workstation, command, reason=reason, actor=account.name,
                           session_id=session_id.strip() or known[workstation]["session_id"],
                           argument={"seconds": seconds} if command == "extra-time" else None,
                           now=state.settings.clock())
    except UserError as exc:
        return _page(request, status_code=400, error=str(exc))
    return RedirectResponse(f"/room?done=command_sent&name={quote(workstation, safe='')}", status_code=303)
