"""Multitask figures per candidate (qualification co 01669, D140801 Id17425).

- Dual-task cost: typing under load (while a caller speaks or a chat is open) against the
  candidate's own single-task baseline (copy typing). ``speed_cost`` = 1 - load net WPM /
  baseline net WPM (a fraction: 0.25 = a quarter slower under load; negative = faster);
  ``error_cost`` = load error rate - baseline MSD error rate (a difference of fractions).
  The load figures of an attempt are ``metrics["load_net_wpm"]`` / ``metrics["load_error_rate"]``
  where the engine recorded typing inside the load windows, else the attempt's net WPM and
  field error rate (MSD error rate when it has no fields) of the load tasks (data entry from
  a caller, call simulation), whose typing is all done while listening.
- Pick-up time, time to find the caller's record and call handling time (seconds) and the
  expected-action score, from the call attempts' metrics (or their stored verdicts' values);
  where a call has no pick-up or find time there, the latency the engine's action scoring
  gave its ``pickup`` / ``open-record`` action (seconds from the cue).

Values per candidate are means over their attempts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from typingtest.analysis.frame import indicator_frame

__all__ = ["LOAD_TASKS", "MULTITASK_COLUMNS", "multitask_figures"]

#: Tasks whose typing is done while a caller speaks or a chat is open.
LOAD_TASKS = ("data-entry", "call")
MULTITASK_COLUMNS = (
    "candidate_id", "cohort", "baseline_net_wpm", "load_net_wpm", "speed_cost", "baseline_error_rate",
    "load_error_rate", "error_cost", "pickup_time_s", "record_find_time_s", "call_handling_time_s", "action_score",
)  # fmt: skip
_CALL_FIGURES = ("pickup_time_s", "record_find_time_s", "call_handling_time_s", "action_score")


def multitask_figures(
    data: pd.DataFrame,
    *,
    baseline_task: str = "copy-typing",
    load_tasks: Sequence[str] = LOAD_TASKS,
    long: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per candidate with ``MULTITASK_COLUMNS`` (NaN where the attempts lack a figure)."""
    if long is None:
        long = indicator_frame(data)
    vals = long.drop_duplicates(["attempt_id", "indicator"])
    candidates = data.groupby("candidate_id", sort=True)["cohort"].first()
    out = pd.DataFrame(index=candidates.index)
    out["cohort"] = candidates

    def mean_of(task_mask: pd.Series, indicator: str) -> pd.Series:
        sel = vals[task_mask & (vals["indicator"] == indicator)]
        return sel.groupby("candidate_id")["value"].mean().reindex(out.index)

    base_mask = vals["task"] == baseline_task
    out["baseline_net_wpm"] = mean_of(base_mask, "net_wpm")
    out["baseline_error_rate"] = mean_of(base_mask, "msd_error_rate")

    load = data[data["task"].isin(list(load_tasks))]
    speed, errors = [], []
    for rec in load[["candidate_id", "net_wpm", "msd_error_rate", "metrics"]].itertuples(index=False):
        m: dict[str, Any] = rec.metrics if isinstance(rec.metrics, dict) else {}
        speed.append((rec.candidate_id, _first(m.get("load_net_wpm"), rec.net_wpm)))
        errors.append(
            (rec.candidate_id, _first(m.get("load_error_rate"), m.get("field_error_rate"), rec.msd_error_rate))
        )
    out["load_net_wpm"] = _mean_by_candidate(speed, out.index)
    out["load_error_rate"] = _mean_by_candidate(errors, out.index)
    with np.errstate(divide="ignore", invalid="ignore"):
        base = out["baseline_net_wpm"].where(out["baseline_net_wpm"] > 0)
        out["speed_cost"] = 1.0 - out["load_net_wpm"] / base
    out["error_cost"] = out["load_error_rate"] - out["baseline_error_rate"]
    call_mask = vals["task"] == "call"
    for figure in _CALL_FIGURES:
        out[figure] = mean_of(call_mask, figure)
    # where a call attempt has no pick-up or find time in its metrics, the latency of its
    # scored "pickup" / "open-record" action stands in (seconds from the cue, by the engine)
    for figure, action in (("pickup_time_s", "pickup"), ("record_find_time_s", "open-record")):
        pairs = []
        for rec in data[data["task"] == "call"][["candidate_id", "metrics", "actions"]].itertuples(index=False):
            m = rec.metrics if isinstance(rec.metrics, dict) else {}
            if m.get(figure) is None:
                pairs.append((rec.candidate_id, _action_latency(rec.actions, action)))
        fallback = _mean_by_candidate(pairs, out.index)
        out[figure] = out[figure].fillna(fallback)
    out = out.reset_index()
    return out[list(MULTITASK_COLUMNS)]


def _action_latency(actions: Any, name: str) -> float:
    for a in actions if isinstance(actions, list) else []:
        if isinstance(a, dict) and a.get("action") == name and a.get("done") and a.get("latency_s") is not None:
            return float(a["latency_s"])
    return float("nan")


def _first(*values: Any) -> float:
    for v in values:
        if v is not None and not (isinstance(v, float) and np.isnan(v)):
            return float(v)
    return float("nan")


def _mean_by_candidate(pairs: list[tuple[str, float]], index: pd.Index) -> pd.Series:
    if not pairs:
        return pd.Series(np.nan, index=index)
    frame = pd.DataFrame(pairs, columns=["candidate_id", "value"])
    return frame.groupby("candidate_id")["value"].mean().reindex(index)
