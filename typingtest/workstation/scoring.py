"""The workstation's way to the engine's scoring of a finished attempt: it computes nothing itself.

Everything lives in ``typingtest.engine.scoring`` (copy typing judged on the part of the passage
reached when the time limit ended it, transcription, data entry, call figures from
``typingtest.engine.actions``); this module only re-exports what the session calls.
"""

from __future__ import annotations

from typingtest.engine.scoring import ANSWER_FIELD, score_attempt

__all__ = ["ANSWER_FIELD", "score_attempt"]
