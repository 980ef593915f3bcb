"""Trainer progress: a trainee's figures over sessions, weakest keys, most-missed data fields.

- ``progress_frame``: one row per session, task and indicator, the session's mean value and
  whether every attempt in it met the threshold (the stored verdicts); sessions numbered in
  the order they started.
- ``confusion_frame`` / ``weakest_keys``: the engine's per-character confusion
  (``metrics["confusion"]``: intended, typed, weight; "" for none) summed over attempts;
  a key's weight is the weighted number of errors made when it was the intended character.
- ``missed_fields``: per data field, the share of attempts in which it was left empty or
  entered wrongly: from the engine's form score of a data-entry attempt
  (``metrics["form"]["fields"]``) and the ``field`` action scores of a call.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from typingtest.analysis.frame import indicator_frame
from typingtest.analysis.stats import group_all_passed

__all__ = [
    "CONFUSION_COLUMNS",
    "MISSED_FIELD_COLUMNS",
    "PROGRESS_COLUMNS",
    "confusion_frame",
    "missed_fields",
    "progress_frame",
    "weakest_keys",
]

PROGRESS_COLUMNS = (
    "candidate_id", "session_id", "session_number", "date", "task", "indicator", "value", "n_attempts",
    "threshold", "comparison", "source", "passed",
)  # fmt: skip
CONFUSION_COLUMNS = ("intended", "typed", "weight")
MISSED_FIELD_COLUMNS = ("field", "n_attempts", "n_missed", "n_empty", "n_wrong", "missed_share")


def progress_frame(data: pd.DataFrame, *, long: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per session, task and indicator of the candidates in ``data`` (``PROGRESS_COLUMNS``)."""
    if long is None:
        long = indicator_frame(data)
    if long.empty:
        return pd.DataFrame(columns=list(PROGRESS_COLUMNS))
    vals = long.drop_duplicates(["attempt_id", "indicator"])
    starts = data.groupby(["candidate_id", "session_id"])["started_at"].min().reset_index()
    starts = starts.sort_values(["candidate_id", "started_at", "session_id"])
    starts["session_number"] = starts.groupby("candidate_id").cumcount() + 1
    keys = ["candidate_id", "session_id", "task", "indicator"]
    g = vals.groupby(keys, sort=False)
    out = pd.DataFrame(
        {
            "value": g["value"].mean(),
            "n_attempts": g["attempt_id"].nunique(),
            "threshold": g["threshold"].first(),
            "comparison": g["comparison"].first(),
            "source": g["source"].first(),
            "passed": group_all_passed(vals, keys),
        }
    ).reset_index()
    out = out.merge(starts.rename(columns={"started_at": "date"}), on=["candidate_id", "session_id"], how="left")
    out = out.sort_values(["candidate_id", "session_number", "task", "indicator"]).reset_index(drop=True)
    out["passed"] = pd.Series([None if v is None or v != v else bool(v) for v in out["passed"]], index=out.index,
                              dtype=object)
    return out[list(PROGRESS_COLUMNS)]


def confusion_frame(data: pd.DataFrame) -> pd.DataFrame:
    """Summed confusion weights over the attempts in ``data``: intended, typed, weight (largest first)."""
    totals: dict[tuple[str, str], float] = {}
    for metrics in data["metrics"]:
        entries = metrics.get("confusion") if isinstance(metrics, Mapping) else None
        for e in entries or []:
            if not isinstance(e, Mapping):
                continue
            intended, typed = str(e.get("intended", "")), str(e.get("typed", ""))
            if intended == typed:
                continue  # a correct keystroke, not a confusion
            key = (intended, typed)
            totals[key] = totals.get(key, 0.0) + float(e.get("weight", 0.0) or 0.0)
    out = pd.DataFrame([(a, b, w) for (a, b), w in totals.items()], columns=list(CONFUSION_COLUMNS))
    return out.sort_values(["weight", "intended", "typed"], ascending=[False, True, True]).reset_index(drop=True)


def weakest_keys(data: pd.DataFrame, top: int | None = 10) -> pd.DataFrame:
    """Intended characters by weighted errors: intended, weight, most_typed_instead (largest first)."""
    conf = confusion_frame(data)
    conf = conf[conf["intended"] != ""]  # insertions have no intended key
    if conf.empty:
        return pd.DataFrame(columns=["intended", "weight", "most_typed_instead"])
    g = conf.groupby("intended")
    out = pd.DataFrame(
        {
            "weight": g["weight"].sum(),
            "most_typed_instead": g.apply(lambda f: f.sort_values("weight", ascending=False)["typed"].iloc[0],
                                          include_groups=False),
        }
    ).reset_index()  # fmt: skip
    out = out.sort_values(["weight", "intended"], ascending=[False, True]).reset_index(drop=True)
    return out if top is None else out.head(top)


def missed_fields(data: pd.DataFrame) -> pd.DataFrame:
    """Per data field: attempts, missed (empty or wrong) and the share missed (``MISSED_FIELD_COLUMNS``).

    A data-entry attempt's fields come from ``metrics["form"]["fields"]`` (the engine's form
    score: name, filled, correct); a call's from its ``field`` action scores. Each field
    counts once per attempt.
    """
    counts: dict[str, list[int]] = {}
    for metrics, actions in zip(data["metrics"], data["actions"], strict=True):
        seen: dict[str, tuple[bool, bool]] = {}
        form = metrics.get("form") if isinstance(metrics, Mapping) else None
        for f in form.get("fields", []) if isinstance(form, Mapping) else []:
            if isinstance(f, Mapping) and f.get("name"):
                seen[str(f["name"])] = (bool(f.get("filled", True)), bool(f.get("correct", True)))
        for a in actions if isinstance(actions, list) else []:
            name = _field_name(a)
            if name is not None and name not in seen:
                seen[name] = (bool(a.get("done", True)), bool(a.get("correct", True)))
        for name, (filled, correct) in seen.items():
            c = counts.setdefault(name, [0, 0, 0])
            c[0] += 1
            if not filled:
                c[1] += 1
            elif not correct:
                c[2] += 1
    rows = [(f, n, e + w, e, w, (e + w) / n) for f, (n, e, w) in counts.items()]
    out = pd.DataFrame(rows, columns=list(MISSED_FIELD_COLUMNS))
    return out.sort_values(["missed_share", "field"], ascending=[False, True]).reset_index(drop=True)


def _field_name(action: Any) -> str | None:
    if not isinstance(action, Mapping):
        return None
    kind = action.get("action", action.get("kind"))
    if isinstance(kind, str) and kind.startswith("field:"):
        return kind.split(":", 1)[1]
    if kind not in (None, "field"):
        return None  # a chat reply or note also names a field; only data fields count here
    details = action.get("details")
    named = action.get("field") or (details.get("field") if isinstance(details, Mapping) else None)
    if isinstance(named, str) and named:
        return named.split(":", 1)[1] if named.startswith("field:") else named
    if kind == "field" and isinstance(action.get("id"), str):
        return str(action["id"])  # the engine's field action names its expectation, not the field
    for key in ("target", "action"):
        value = action.get(key)
        if isinstance(value, str) and value.startswith("field:"):
            return value.split(":", 1)[1]
    return None
