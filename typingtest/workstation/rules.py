"""Plain rules the workstation's screens apply, testable without a window (no pygame).

- Record search at the call desk: ``search_records`` (every word of the query in a record's
  name, address or e-mail, or its digits in the customer number, postcode or phone) and
  ``match_words`` (the product and knowledge-base searches).
- The retake rule at intake: ``earlier_sessions`` (the candidate's sessions of the battery and
  the unfinished one), ``retake_check`` (why the candidate must wait, or None),
  ``retake_days_in_force`` (the proctor's waiver, ``run --task``), ``recent_completed_session``
  and ``retake_message`` (what the page says).
- The intake's checks: ``id_problem`` and ``layout_check_problem`` (interface text keys).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from typingtest.ids import CANDIDATE_ID_MAX, is_valid_candidate_id

if TYPE_CHECKING:
    from typingtest.store.store import SessionRefused

__all__ = ["RetakeCheck", "earlier_sessions", "id_problem", "layout_check_problem", "match_words",
           "recent_completed_session", "retake_check", "retake_days_in_force", "retake_message", "search_records"]


# ----------------------------------------------------------------------------- record search

def _digits(s: str) -> str:
    return "".join(ch for ch in s if ch.isdigit())


def search_records(records: Any, query: str) -> list[Any]:
    """Records matching a query: every word of it in the name, street, municipality, e-mail,
    or its digits in the customer number, postcode or phone (case-insensitive)."""
    words = query.casefold().split()
    if not words:
        return []
    out = []
    for r in records:
        hay = f"{r.name} {r.street} {r.postcode} {r.municipality} {r.email}".casefold()
        nums = [_digits(r.customer_number), _digits(r.postcode), _digits(r.phone)]
        ok = True
        for w in words:
            d = _digits(w)
            if w in hay or (d and len(d) >= 3 and any(d in n for n in nums)):
                continue
            ok = False
            break
        if ok:
            out.append(r)
    return out


def match_words(text: str, query: str) -> bool:
    """True when every word of ``query`` is in ``text`` (case-insensitive; an empty query matches)."""
    return all(w in text.casefold() for w in query.casefold().split())


# ----------------------------------------------------------------------------- the retake rule and the intake's checks

def earlier_sessions(store: Any, candidate_id: str, battery: str) -> tuple[list[dict[str, Any]], Any]:
    """The candidate's earlier sessions of ``battery`` (dicts) and the last unfinished one (or None)."""
    if store is None:
        return [], None
    frame = store.sessions_frame(candidate=candidate_id)
    rows = [r for r in frame.to_dict("records") if r.get("battery") == battery]
    unfinished = [r for r in rows if r.get("state") in ("running", "interrupted")]
    return rows, (unfinished[-1] if unfinished else None)


def recent_completed_session(rows: list[dict[str, Any]], retake_days: int,
                             now: datetime | None = None) -> dict[str, Any] | None:
    """The last of ``rows`` (``earlier_sessions``) completed less than ``retake_days`` days before
    ``now`` (default: the current UTC time), counted from its start; None when the candidate may
    take the battery again (always with ``retake_days`` = 0)."""
    if retake_days <= 0:
        return None
    cutoff = (now or datetime.now(UTC)) - timedelta(days=retake_days)
    recent = [r for r in rows if r.get("state") == "complete" and r.get("started_at") is not None
              and _utc(r["started_at"]) > cutoff]
    return recent[-1] if recent else None


def retake_message(tr: Any, refusal: SessionRefused, retake_days: int, now: datetime | None = None) -> str:
    """What the candidate page says when the retake rule stops the candidate (``tr``: the app's
    translator): an unfinished session (``reason`` "running", or interrupted) asks for the proctor
    to resume it; a completed one names its date, the waiting period and the days left (rounded
    up: 19.2 days left read "nog 20 dagen") with the first day a retake is allowed."""
    since = _utc(refusal.since) if refusal.since is not None else None
    date = f"{since:%Y-%m-%d}" if since is not None else "?"
    if refusal.reason != "retake" or since is None:
        return str(tr("retake_unfinished", date=date))
    allowed = since + timedelta(days=retake_days)
    left = max(1, math.ceil((allowed - (now or datetime.now(UTC))).total_seconds() / 86400))
    return str(tr("retake_wait", date=date, days=retake_days, n=left, until=f"{allowed:%Y-%m-%d}"))


def id_problem(cid: str) -> str | None:
    """The interface text key saying what is wrong with a typed candidate id (already stripped of
    surrounding spaces), or None when ``typingtest.ids`` accepts it: empty, a space inside, too
    long (``CANDIDATE_ID_MAX``), else a character the rule does not allow."""
    if is_valid_candidate_id(cid):
        return None
    if not cid:
        return "id_empty"
    if any(c.isspace() for c in cid):
        return "id_space"
    if len(cid) > CANDIDATE_ID_MAX:
        return "id_long"
    return "id_chars"


def layout_check_problem(typed: str, expected: str) -> str | None:
    """The interface text key saying what is wrong with the keyboard check (``typed`` stripped), or
    None when it is right: nothing typed, the right characters without the spaces between them, or
    other characters (the system's keyboard layout is not the one chosen)."""
    if typed == expected:
        return None
    if not typed:
        return "layout_empty"
    if "".join(typed.split()) == "".join(expected.split()):
        return "layout_no_spaces"
    return "layout_mismatch"


def _utc(value: Any) -> datetime:
    """A stored time (pandas Timestamp or datetime; naive means UTC) as an aware UTC datetime."""
    moment = value.to_pydatetime() if hasattr(value, "to_pydatetime") else value
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class RetakeCheck:
    """Why a candidate must wait before a battery: their unfinished session (``unfinished``: the
    proctor resumes it) or the store's refusal (``refusal``: a retake too soon, or running elsewhere)."""

    unfinished: dict[str, Any] | None = None
    refusal: SessionRefused | None = None


def retake_check(store: Any, candidate_id: str, battery: str, retake_days: int) -> RetakeCheck | None:
    """The early look at intake, before the consent: None when the candidate may go on.

    The store checks again in the transaction that opens the session (``Store.start_session``), so
    two workstations cannot both let the candidate in; this look only stops the candidate early.
    """
    if store is None:
        return None
    _rows, unfinished = earlier_sessions(store, candidate_id, battery)
    if unfinished is not None:
        return RetakeCheck(unfinished=unfinished)
    refusal = store.session_refusal(candidate_id, battery, retake_days)
    return RetakeCheck(refusal=refusal) if refusal is not None else None


def retake_days_in_force(retake_days: int, *, overridden: bool, asks_candidate: bool) -> int:
    """The waiting period (days) the session is opened with: the settings' ``retake_days``, or 0 when
    the proctor waived it or the session asks no candidate id (``run --task``: no battery's rule)."""
    return 0 if overridden or not asks_candidate else int(retake_days)
