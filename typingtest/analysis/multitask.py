"""Multitask figures per candidate (qualification co 01669, D140801 Id17425).

- Dual-task speed cost: typing speed under load (while a caller line plays or a chat is
  unanswered) against the candidate's own single-task baseline (copy typing), both with the
  engine's one definition (``typingtest.engine.load``: 12 / mean inter-key interval of the
  text-entry events, pauses over 2 s left out). ``speed_cost`` = 1 - load WPM / baseline burst
  WPM, a fraction: 0.25 = a quarter slower under load; negative = faster. Load WPM is
  ``metrics["load_wpm"]`` of the load tasks (data entry from a caller, call simulation); the
  baseline is ``metrics["burst_wpm"]`` of the copy-typing attempts (``speed_cost_basis``
  "burst"). A candidate without both (attempts stored before the engine wrote them) falls back
  on net WPM: ``metrics["load_net_wpm"]``, else the load attempt's net WPM, against copy
  typing's net WPM (``speed_cost_basis`` "net"); the two bases are never mixed in one ratio.
  ``free_wpm`` (typing in the load tasks outside the windows) stands beside them.
- Dual-task error cost = load error rate - baseline MSD error rate (a difference of
  fractions). The load error rate of an attempt is ``metrics["load_error_rate"]`` where
  recorded, else its field error rate (MSD error rate when it has no fields).
- Pick-up time, time to find the caller's record and call handling time (seconds) and the
  expected-action score, from the call attempts' metrics (or their stored verdicts' values);
  where a call has no pick-up or find time there, the latency the engine's action scoring
  gave its ``pickup`` / ``open-record`` action (seconds from the cue).

The call figures are the value the verdict rule used (``decisions.decided_summary``, as in
the applicants table): with several call attempts and a verdict on the figure, the attempt
that decided it (``<figure>_basis`` "worst", of ``call_attempts``), never a mean beside an
every-attempt rule; without a verdict, the mean ("mean"; "attempt" for a single one). The
speed and error costs are means over the candidate's attempts (an attempt without the figure
is left out of that mean): they carry no verdict.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from typingtest.analysis.decisions import decided_summary
from typingtest.analysis.frame import indicator_frame
from typingtest.vocabulary import indicators_from

__all__ = ["LOAD_TASKS", "MULTITASK_COLUMNS", "multitask_figures"]

#: Tasks whose typing is done while a caller speaks or a chat is open.
LOAD_TASKS = ("data-entry", "call")
MULTITASK_COLUMNS = (
    "candidate_id", "cohort", "baseline_net_wpm", "load_net_wpm", "speed_cost", "baseline_error_rate",
    "load_error_rate", "error_cost", "pickup_time_s", "record_find_time_s", "call_handling_time_s", "action_score",
    "baseline_burst_wpm", "load_wpm", "free_wpm", "speed_cost_basis", "call_attempts", "pickup_time_s_basis",
    "record_find_time_s_basis", "call_handling_time_s_basis", "action_score_basis",
)  # fmt: skip
_CALL_FIGURES = tuple(i.name for i in indicators_from("call"))  # the registry's call figures, in its order


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

    out["baseline_burst_wpm"] = _metric_mean(data[data["task"] == baseline_task], "burst_wpm", out.index)

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
    out["load_wpm"] = _metric_mean(load, "load_wpm", out.index)
    out["free_wpm"] = _metric_mean(load, "free_wpm", out.index)
    with np.errstate(divide="ignore", invalid="ignore"):
        burst = 1.0 - out["load_wpm"] / out["baseline_burst_wpm"].where(out["baseline_burst_wpm"] > 0)
        net = 1.0 - out["load_net_wpm"] / out["baseline_net_wpm"].where(out["baseline_net_wpm"] > 0)
    out["speed_cost"] = burst.where(burst.notna(), net)
    out["speed_cost_basis"] = pd.Series(
        np.where(burst.notna(), "burst", np.where(net.notna(), "net", None)), index=out.index, dtype=object
    )
    out["error_cost"] = out["load_error_rate"] - out["baseline_error_rate"]
    calls = data[data["task"] == "call"]
    out["call_attempts"] = calls.groupby("candidate_id")["attempt_id"].nunique().reindex(out.index).fillna(0)
    out["call_attempts"] = out["call_attempts"].astype(int)
    # the value each call figure's verdict rule used (the deciding attempt; the mean without a verdict)
    call_long = long[(long["task"] == "call") & long["indicator"].isin(_CALL_FIGURES)]
    decided = decided_summary(calls, call_long).set_index(["candidate_id", "indicator"]) if len(call_long) else None
    for figure in _CALL_FIGURES:
        pairs = pd.MultiIndex.from_arrays([out.index, [figure] * len(out)])
        shown = decided.reindex(pairs) if decided is not None else pd.DataFrame(index=pairs,
                                                                                 columns=["value", "value_basis"])
        out[figure] = shown["value"].to_numpy(dtype=float)
        out[f"{figure}_basis"] = pd.Series(shown["value_basis"].to_numpy(dtype=object), index=out.index)
    # where a call attempt has no pick-up or find time in its metrics, the latency of its
    # scored "pickup" / "open-record" action stands in (seconds from the cue, by the engine)
    for figure, action in (("pickup_time_s", "pickup"), ("record_find_time_s", "open-record")):
        pairs = []
        for rec in data[data["task"] == "call"][["candidate_id", "metrics", "actions"]].itertuples(index=False):
            m = rec.metrics if isinstance(rec.metrics, dict) else {}
            if m.get(figure) is None:
                pairs.append((rec.candidate_id, _action_latency(rec.actions, action)))
        fallback = _mean_by_candidate(pairs, out.index)
        used = out[figure].isna() & fallback.notna()
        out[figure] = out[figure].fillna(fallback)
        out.loc[used, f"{figure}_basis"] = np.where(out.loc[used, "call_attempts"] > 1, "mean", "attempt")
    out = out.reset_index()
    return out[list(MULTITASK_COLUMNS)]


def _action_latency(actions: Any, name: str) -> float:
    for a in actions if isinstance(actions, list) else []:
        if isinstance(a, dict) and a.get("action") == name and a.get("done") and a.get("latency_s") is not None:
            return float(a["latency_s"])
    return float("nan")


def _metric_mean(attempts: pd.DataFrame, key: str, index: pd.Index) -> pd.Series:
    """Per candidate, the mean of ``metrics[key]`` over the attempts that have it (NaN where none)."""
    pairs = []
    for rec in attempts[["candidate_id", "metrics"]].itertuples(index=False):
        m = rec.metrics if isinstance(rec.metrics, dict) else {}
        value = _first(m.get(key))
        if not np.isnan(value):
            pairs.append((rec.candidate_id, value))
    return _mean_by_candidate(pairs, index)


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
