"""How each attempt with caller audio was administered, for every output that shows attempts.

The workstation stores ``metrics["administration"]`` with an attempt (the engine's reading of
the log's MARKER ``administration`` rows, ``typingtest.engine.administration``): "audio",
"captions" (the caller's words shown on the call desk) or "no-audio" (the proctor allowed the
task without sound; listening-dependent actions are then not judged). Attempts without caller
audio (copy typing), and attempts stored before it was recorded, have none.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from typingtest.analysis.labels import label

__all__ = ["ADMINISTRATION_WORDS", "administration_frame", "administration_marks", "administration_note"]

#: The administrations worth a mark, in the report's words ("audio" is the usual one: no mark).
ADMINISTRATION_WORDS = {
    "nl": {"no-audio": "zonder audio", "captions": "met ondertitels"},
    "fr": {"no-audio": "sans audio", "captions": "avec sous-titres"},
    "en": {"no-audio": "without audio", "captions": "with captions"},
}


def administration_frame(data: pd.DataFrame) -> pd.DataFrame:
    """Per attempt of ``data`` (the attempts frame), in its order: candidate_id, attempt_id, task,
    administration ("audio", "captions", "no-audio", or None)."""
    metrics = data["metrics"].tolist() if "metrics" in data.columns else [None] * len(data)
    modes = [m.get("administration") if isinstance(m, Mapping) else None for m in metrics]
    return pd.DataFrame({"candidate_id": data["candidate_id"].to_numpy(), "attempt_id": data["attempt_id"].to_numpy(),
                         "task": data["task"].to_numpy(), "administration": modes})


def administration_marks(data: pd.DataFrame) -> dict[str, str]:
    """candidate_id -> their attempts not heard as usual, ``"call: no-audio"`` (``"; "`` between
    several, in attempt order); candidates whose every attempt was heard are left out."""
    marks: dict[str, list[str]] = {}
    for rec in administration_frame(data).to_dict("records"):
        mode = rec["administration"]
        if mode in ("no-audio", "captions"):
            marks.setdefault(str(rec["candidate_id"]), []).append(f"{rec['task']}: {mode}")
    return {c: "; ".join(dict.fromkeys(m)) for c, m in marks.items()}


def administration_note(marks: str, lang: str = "nl") -> str:
    """A mark of ``administration_marks`` in the report's words: ``"gesprekssimulatie zonder audio"``."""
    words = ADMINISTRATION_WORDS.get(lang, ADMINISTRATION_WORDS["nl"])
    parts = []
    for part in marks.split("; "):
        task, _, mode = part.partition(": ")
        parts.append(f"{label(task, lang)} {words.get(mode, mode)}")
    return ", ".join(parts)
