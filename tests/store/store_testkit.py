"""Helpers for the store tests: simulated attempts with known content."""

from __future__ import annotations

import numpy as np

from typingtest.engine.events import EVENT_DTYPE, EventKind

PASSAGE = "Goedemiddag, u spreekt met Anaïs van de klantendienst. Wat kan ik voor u doen?"


def typing_log(text: str = PASSAGE, seed: int = 0, error_every: int = 9, target: str = "copy") -> np.ndarray:
    """Key-down, text and key-up rows typing ``text``, with a corrected typo every ``error_every`` chars.

    Times rise by 0.1-0.2 s per character (seeded), so the log is a plausible 60-120 WPM attempt.
    """
    rng = np.random.default_rng(seed)
    rows: list[tuple] = []
    t = 0.0

    def key(ch_text: str, code: int, edit: str | None = None) -> None:
        nonlocal t
        rows.append((t, EventKind.KEY_DOWN, code, code % 200, 0, "", target, 0.0, 0.0))
        if edit is None:
            rows.append((t + 0.002, EventKind.TEXT, 0, 0, 0, ch_text, target, 0.0, 0.0))
        else:
            rows.append((t + 0.002, EventKind.EDIT, code, 0, 0, edit, target, 0.0, 0.0))
        rows.append((t + 0.06, EventKind.KEY_UP, code, code % 200, 0, "", target, 0.0, 0.0))
        t += float(rng.uniform(0.1, 0.2))

    for i, ch in enumerate(text):
        if error_every and i % error_every == error_every - 1:
            key("x", ord("x"))
            key("", 8, edit="backspace")
        key(ch, ord(ch))
    return np.array(rows, dtype=EVENT_DTYPE)


def new_attempt(store, candidate: str = "CAND-0001", cohort: str | None = "2026-11", practice: bool = False,
                text: str = PASSAGE, task: str = "copy-typing", item: str = "nl-copy-01"):
    """A candidate, a session and a started attempt; returns (session_id, recorder).

    The candidate's running session of the battery is reused (one running session per candidate
    and battery: the store refuses a second).
    """
    store.ensure_candidate(candidate, cohort)
    sessions = store.sessions_frame(candidate)
    running = sessions[(sessions.battery == "quick") & (sessions.state == "running")]
    sid = (str(running.session_id.iloc[-1]) if len(running)
           else store.start_session(candidate, "quick", "sha256:abc", "ws-test", "nl"))
    rec = store.begin_attempt(sid, task, item, practice, {"presented": text, "target": "copy"})
    return sid, rec
