"""Triggers: the names of things that happen in a call, as cues and deadlines refer to them.

A trigger is written ``name``, ``name:arg`` or either with a delay ``+Ns``
(``"pickup+2s"``, ``"line-end:l3+1.5s"``). Which event of the log each trigger matches is
listed in ``docs/content.md`` ("Events the scoring reads"); ``event_matches`` is that table
as code, so the scoring and the workstation's timeline read the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "TRIGGERS",
    "TRIGGERS_NEEDING_ARG",
    "Trigger",
    "TriggerError",
    "parse_trigger",
]

#: trigger name -> (event kind name, event text, target prefix or None).
#: A ``target prefix`` means the argument is read from ``target`` after that prefix.
TRIGGERS: dict[str, tuple[str, str | None, str | None]] = {
    "start": ("MARKER", "task-start", None),
    "ringing": ("SCREEN", "ringing", None),
    "pickup": ("SCREEN", "pickup", None),
    "dial": ("SCREEN", "dial", "record:"),
    "hangup": ("SCREEN", "hangup", None),
    "line-start": ("AUDIO_ONSET", None, None),  # text = line id
    "line-end": ("AUDIO_OFFSET", None, None),
    "chat-shown": ("SCREEN", "chat-shown", "chat:"),
    "record-opened": ("SCREEN", "record-opened", "record:"),
    "article-opened": ("SCREEN", "article-opened", "article:"),
    "product-opened": ("SCREEN", "product-opened", "product:"),
    "identity": ("CLICK", None, "identity:"),
    "purpose": ("CLICK", None, "purpose:"),
    "say": ("CLICK", None, "say:"),
    "transfer": ("CLICK", None, "transfer:"),
    "callback": ("CLICK", None, "callback:"),
    "submit": ("CLICK", None, "submit:"),
    "chat-reply": ("CLICK", None, "chat-reply:"),
    "cue": ("MARKER", "cue", "cue:"),
}

#: Triggers that mean nothing without an argument.
TRIGGERS_NEEDING_ARG = frozenset(
    {"line-start", "line-end", "chat-shown", "article-opened", "product-opened", "say", "submit", "chat-reply", "cue"}
)

#: An argument is an id (``l3``, ``ask-id``) or a call-back slot ``YYYY-MM-DDTHH:MM``
#: (``callback:2026-03-17T14:30``), the one argument with a ``:`` of its own.
_TRIGGER_RE = re.compile(
    r"^(?P<name>[a-z][a-z-]*)(?::(?P<arg>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|[A-Za-z0-9_-]+))?"
    r"(?:\+(?P<delay>\d+(?:\.\d+)?)s)?$"
)


class TriggerError(ValueError):
    """A trigger expression that cannot be read; the message says what is wrong."""


@dataclass(frozen=True)
class Trigger:
    """``name[:arg][+delay_s s]``: something that happens in the attempt, plus a delay (seconds)."""

    name: str
    arg: str | None = None
    delay_s: float = 0.0

    @property
    def base(self) -> str:
        """The trigger without its delay (``"line-end:l3"``)."""
        return self.name if self.arg is None else f"{self.name}:{self.arg}"

    def __str__(self) -> str:
        if not self.delay_s:
            return self.base
        return f"{self.base}+{self.delay_s:g}s"

    def matches(self, kind: int, text: str, target: str) -> bool:
        """Whether one event row (its kind as an int, text, target) is this trigger happening."""
        from typingtest.engine.events import EventKind

        kind_name, want_text, prefix = TRIGGERS[self.name]
        if kind != EventKind[kind_name]:
            return False
        if self.name in ("line-start", "line-end"):
            return self.arg is None or text == self.arg
        if want_text is not None and text != want_text:
            return False
        if prefix is not None:
            if not target.startswith(prefix):
                return False
            if self.arg is not None and target[len(prefix):] != self.arg:
                return False
        return True


def parse_trigger(expression: str) -> Trigger:
    """Read ``"line-end:l3+1.5s"``; raise TriggerError saying what is wrong."""
    if not isinstance(expression, str):
        raise TriggerError(f"expected a trigger like \"pickup+2s\", got {expression!r}")
    m = _TRIGGER_RE.match(expression.strip())
    if not m:
        raise TriggerError(
            f"cannot read trigger {expression!r}; write NAME, NAME:ID or either with +Ns (e.g. \"pickup+2s\")"
        )
    name = m["name"]
    if name not in TRIGGERS:
        raise TriggerError(f"unknown trigger {name!r}; known: {', '.join(sorted(TRIGGERS))}")
    if name in TRIGGERS_NEEDING_ARG and m["arg"] is None:
        raise TriggerError(f"trigger {name!r} needs an id, e.g. \"{name}:ID\"")
    if name in ("start", "ringing", "pickup", "hangup") and m["arg"] is not None:
        raise TriggerError(f"trigger {name!r} takes no id")
    return Trigger(name=name, arg=m["arg"], delay_s=float(m["delay"]) if m["delay"] else 0.0)
