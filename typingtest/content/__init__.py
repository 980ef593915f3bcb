"""Test content: passages, transcription and data-entry items, call scenarios, batteries.

The files live in ``passages/`` (format: ``docs/content.md``). ``load_item``,
``load_battery`` and ``load_all`` give typed objects (``typingtest.content.model``);
``check`` lists every problem as ``file:line: field: what is wrong``; ``draw_form`` fills a
randomised item with seeded customer data.
"""

from __future__ import annotations

from typingtest.content.difficulty import difficulty
from typingtest.content.generators import draw_customer, draw_form
from typingtest.content.loader import (
    ContentError,
    Problem,
    check,
    content_files,
    customer_number_ok,
    load_all,
    load_battery,
    load_file,
    load_item,
)
from typingtest.content.model import (
    COMPETENCES,
    ITEM_KINDS,
    MEASURABLE_COMPETENCES,
    Battery,
    Call,
    CopyPassage,
    DataEntry,
    Expectation,
    Field,
    Item,
    Task,
    Transcription,
)
from typingtest.content.normalise import Normalisation, fact_found, normalise_field

__all__ = [
    "COMPETENCES",
    "ITEM_KINDS",
    "MEASURABLE_COMPETENCES",
    "Battery",
    "Call",
    "ContentError",
    "CopyPassage",
    "DataEntry",
    "Expectation",
    "Field",
    "Item",
    "Normalisation",
    "Problem",
    "Task",
    "Transcription",
    "check",
    "content_files",
    "customer_number_ok",
    "difficulty",
    "draw_customer",
    "draw_form",
    "fact_found",
    "list_items",
    "load_all",
    "load_battery",
    "load_file",
    "load_item",
    "normalise_field",
]


def list_items(root=None) -> list[dict]:  # type: ignore[no-untyped-def]
    """Every item and battery under ``root`` (default: shipped) as dicts: id, kind, language, title, ...

    Files with problems are listed with ``problems`` (their count) instead of failing.
    """
    from pathlib import Path

    from typingtest.content.loader import _read

    out = []
    for f in content_files(root):
        obj, problems = _read(Path(f), None)
        if obj is None:
            out.append({"id": Path(f).stem, "kind": "?", "language": "?", "title": "", "file": str(f),
                        "problems": len(problems)})
            continue
        row = dict(obj.summary)
        row["file"] = str(f)
        if problems:
            row["problems"] = len(problems)
        if isinstance(obj, CopyPassage | Transcription) and obj.difficulty is not None:
            row["difficulty"] = obj.difficulty.to_dict()
        if isinstance(obj, Battery):
            row["planned_s"] = obj.planned_s
            row["tasks"] = [t.item or t.step for t in obj.tasks]
        if isinstance(obj, Call):
            row["target_duration_s"] = obj.target_duration_s
        out.append(row)
    return out
