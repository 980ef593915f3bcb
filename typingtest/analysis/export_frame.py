"""The export table: attempts made flat for recruiters and researchers (CSV, XLSX, Parquet).

One row per attempt: the ``attempts_frame`` columns with ``metrics``, ``verdicts`` and
``actions`` as JSON text, ``overall_decision`` (the candidate's, per battery) right after
``candidate_id``, then per indicator ``verdict_<indicator>`` ("pass", "fail" or empty when
undefined) after the recruiter's overrides, ``verdict_<indicator>_stored`` (as the engine
stored it) and ``threshold_<indicator>`` (the limit that verdict used), then ``EXPORT_COLUMNS``.
Every decision comes from ``typingtest.analysis.decisions``, as in the report and compare.
Times are UTC (ISO 8601 in CSV; naive UTC in XLSX, which has no time zones).

``typingtest export`` (``store.commands``) reads the frame from the store and writes this
table; the store itself depends on no part of the analysis.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from typingtest.analysis.administration import administration_frame
from typingtest.analysis.decisions import attempt_decisions, overall_decisions, utc_text
from typingtest.analysis.frame import filter_attempts, indicator_frame, validate_attempts
from typingtest.errors import UserError

__all__ = ["EXPORT_COLUMNS", "FORMATS", "flatten_attempts", "write_table"]

FORMATS = ("csv", "xlsx", "parquet")
#: Columns after the per-indicator ones: the typed attempt's characters judged (count), the 95 %
#: intervals of its MSD error rate (fraction) and net WPM, its decision (pass, fail, borderline,
#: insufficient, not-judged), and the recruiter's overrides of its verdicts ("indicator: text"
#: joined by "; " when an attempt has more than one).
EXPORT_COLUMNS = ("chars_judged", "msd_error_rate_ci_low", "msd_error_rate_ci_high", "net_wpm_ci_low",
                  "net_wpm_ci_high", "decision", "overridden", "override_reason", "override_by", "override_at")


def flatten_attempts(frame: pd.DataFrame, overrides: pd.DataFrame | None = None) -> pd.DataFrame:
    """``attempts_frame`` output made flat: JSON text for nested columns, one column per verdict.

    ``overrides`` (``Store.overrides_frame()``) are applied to the verdicts and decisions as in
    every report. ``overall_decision`` is decided on the complete, non-practice attempts of
    the candidate and battery in ``frame`` (``analysis.decisions.overall_decisions``).
    """
    flat = frame.copy()
    indicators: list[str] = []
    for verdicts in frame["verdicts"]:
        for v in verdicts or []:
            name = v.get("indicator")
            if name and name not in indicators:
                indicators.append(name)
    data = validate_attempts(frame, "export")
    long = indicator_frame(data, overrides=overrides, indicators=indicators)
    judged = long[long["threshold"].notna()].drop_duplicates(["attempt_id", "indicator"])
    by_key = judged.set_index(["attempt_id", "indicator"])
    ids = frame["attempt_id"].astype(object).tolist()

    def per_attempt(name: str, column: str) -> list[object]:
        rows = by_key.reindex(pd.MultiIndex.from_arrays([ids, [name] * len(ids)]))[column]
        return [None if v is None or v != v else v for v in rows]

    for name in indicators:
        words = {True: "pass", False: "fail"}
        flat[f"verdict_{name}"] = [None if p is None else words[bool(p)] for p in per_attempt(name, "passed")]
        flat[f"verdict_{name}_stored"] = [None if p is None else words[bool(p)]
                                          for p in per_attempt(name, "passed_stored")]  # fmt: skip
        flat[f"threshold_{name}"] = pd.to_numeric(pd.Series(per_attempt(name, "threshold"), index=flat.index,
                                                            dtype=object), errors="coerce")  # fmt: skip
    chars = pd.Series(per_attempt("msd_error_rate", "chars_judged"), index=flat.index, dtype=object)
    flat["chars_judged"] = pd.to_numeric(chars, errors="coerce").astype("Int64")
    for name in ("msd_error_rate", "net_wpm"):
        for end in ("low", "high"):
            flat[f"{name}_ci_{end}"] = pd.to_numeric(pd.Series(per_attempt(name, f"ci_{end}"), index=flat.index,
                                                               dtype=object), errors="coerce")  # fmt: skip
    flat["decision"] = flat["attempt_id"].map(attempt_decisions(long)).astype(object).fillna("not-judged")
    # how the caller was heard: "audio", "captions", "no-audio" (None: no caller in the task)
    flat["administration"] = administration_frame(frame)["administration"].to_numpy(dtype=object)
    notes = _override_notes(judged[judged["overridden"]])
    flat["overridden"] = flat["attempt_id"].isin(list(notes)).astype(bool)
    for i, col in enumerate(("override_reason", "override_by", "override_at")):
        flat[col] = [notes[a][i] if a in notes else None for a in ids]
    decided = filter_attempts(data)["attempt_id"]
    overall = overall_decisions(long[long["attempt_id"].isin(decided)], ("candidate_id", "battery"))
    pairs = pd.MultiIndex.from_arrays([frame["candidate_id"], frame["battery"]])
    found = overall.set_index(["candidate_id", "battery"])["overall_decision"].reindex(pairs)
    flat.insert(1, "overall_decision", found.fillna("not-judged").to_numpy(dtype=object))
    for col in ("metrics", "verdicts", "actions"):
        flat[col] = [json.dumps(v, ensure_ascii=False, sort_keys=True) for v in frame[col]]
    flat["verified"] = [None if v is None else bool(v) for v in frame["verified"]]
    return flat


def _override_notes(rows: pd.DataFrame) -> dict[str, tuple[str, str, str]]:
    """Per attempt: (reason, assessor, time in UTC ISO 8601) of its overridden verdicts; with more
    than one, each as "indicator: text" joined by "; "."""
    out: dict[str, tuple[str, str, str]] = {}
    for aid, g in rows.groupby("attempt_id", sort=False):
        recs = g.sort_values("indicator").to_dict("records")
        at = [str(utc_text(r["override_at"])) for r in recs]
        parts = [[str(r["override_reason"]) for r in recs], [str(r["override_assessor"]) for r in recs], at]
        if len(recs) == 1:
            out[str(aid)] = (parts[0][0], parts[1][0], parts[2][0])
        else:
            out[str(aid)] = tuple("; ".join(f"{r['indicator']}: {v}" for r, v in zip(recs, col, strict=True))
                                  for col in parts)  # type: ignore[assignment]
    return out


def write_table(frame: pd.DataFrame, fmt: str, out: Path) -> Path:
    """Write a flat attempts table as ``fmt`` (csv, xlsx or parquet) to ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        frame.to_csv(out, index=False, date_format="%Y-%m-%dT%H:%M:%S.%f%z")
    elif fmt == "xlsx":  # header frozen and filtered, widths, rates as percent, times in UTC
        from typingtest.analysis.xlsx import write_xlsx

        write_xlsx(out, {"attempts": frame}, "en")
    elif fmt == "parquet":
        frame.astype({"verified": "boolean"}).to_parquet(out, index=False)
    else:
        raise UserError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    return out
