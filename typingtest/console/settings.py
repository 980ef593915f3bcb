"""The console's settings: time-outs, rate limits, paging, the clock (injectable for tests)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = ["ConsoleSettings"]


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class ConsoleSettings:
    """How the console behaves. ``project`` is the centre's ``typingtest.config.Settings``
    (None: ``load_settings()`` at the first request)."""

    #: a session unused this long (seconds) is signed out
    idle_timeout_s: float = 30 * 60
    #: failed sign-ins per account name or client address within ``failure_window_s`` before refusing
    max_failures: int = 5
    failure_window_s: float = 15 * 60
    #: the interface language before the user picks one (nl, fr, en)
    lang: str = "nl"
    #: rows per page in paged lists
    page_size: int = 50
    #: the time now (UTC); tests inject a fake clock
    clock: Callable[[], datetime] = field(default=_utc_now)
    project: Any = None
