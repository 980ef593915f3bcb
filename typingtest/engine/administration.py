"""How an attempt with caller audio was administered, read from its event log, and what that
leaves unjudged.

The workstation logs MARKER ``administration`` (target ``audio``, ``captions`` or ``no-audio``)
when an attempt with caller audio begins, and again whenever the proctor changes it (captions
switched on or off, the task allowed without audio). The attempt counts as ``no-audio`` when
any part of it was (the candidate missed some of what the caller said), else ``captions`` when
any part was captioned, else ``audio``; an attempt without such a marker (copy typing, logs from
before the marker) has none (None).

Without audio and without captions an expected action that depends on hearing the caller
(``listening_dependent``) is "not judged": ``details["not_judged"] = "no-audio"``, weight and
score 0, no latency and no ``in_time``, so it neither passes nor fails and ``action_score`` is
the share of the actions that could be judged.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from typingtest.engine.events import EventKind

if TYPE_CHECKING:
    from typingtest.content.model import Expectation, Field
    from typingtest.engine.actions import ActionScore

__all__ = [
    "ADMINISTRATIONS",
    "MARKER",
    "NOT_JUDGED",
    "administration",
    "judge_listening",
    "listening_dependent",
]

#: The ways an attempt with caller audio is administered, from the most to the least heard.
ADMINISTRATIONS = ("audio", "captions", "no-audio")
#: The MARKER text the workstation logs (target: one of ``ADMINISTRATIONS``).
MARKER = "administration"
#: ``details["not_judged"]`` of an action left unjudged without audio.
NOT_JUDGED = "no-audio"
_LINE_TRIGGERS = ("line-start", "line-end")


def administration(log: np.ndarray) -> str | None:
    """``"no-audio"``, ``"captions"``, ``"audio"`` (the least heard of the attempt's markers), or None."""
    if len(log) == 0:
        return None
    rows = log[(log["kind"] == int(EventKind.MARKER)) & (log["text"] == MARKER)]
    seen = {str(t) for t in rows["target"].tolist()}
    for mode in reversed(ADMINISTRATIONS):
        if mode in seen:
            return mode
    return None


def listening_dependent(e: Expectation, fields: Mapping[str, Field]) -> bool:
    """True when doing ``e`` right needs hearing the caller.

    Its cue is a caller line (``line-start:*`` / ``line-end:*``), or it scores what is typed
    into a form of the call (``field`` and ``submit``, not the chat's): the caller says it.
    """
    if getattr(e.cue, "name", "") in _LINE_TRIGGERS:
        return True
    p = e.params
    if e.action == "field":
        f = fields.get(str(p.get("field")))
        return f is None or getattr(f, "form", "") != "chat"
    if e.action == "submit":
        return str(p.get("form")) != "chat"
    return False


def judge_listening(expectations: Iterable[Expectation], scores: Sequence[ActionScore], log: np.ndarray,
                    fields: Mapping[str, Field]) -> list[ActionScore]:
    """``scores`` as judged for the attempt's administration: unchanged with audio or captions;
    without either, each listening-dependent action "not judged" (see the module docstring)."""
    if administration(log) != "no-audio":
        return list(scores)
    out = []
    for e, s in zip(expectations, scores, strict=True):
        if listening_dependent(e, fields):
            details: dict[str, Any] = {**s.details, "not_judged": NOT_JUDGED}
            s = dataclasses.replace(s, in_time=None, latency_s=None, weight=0.0, score=0.0, details=details)
        out.append(s)
    return out
