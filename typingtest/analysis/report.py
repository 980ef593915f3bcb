"""Cohort reports (one self-contained HTML file, a PDF), applicant pages and tables (CSV/XLSX).

The HTML report needs no network: charts are embedded as base64 PNG, the applicants table
sorts with a few lines of inline JavaScript, the style sheet is inline. Everything a report
says about a threshold (value, comparison, source, basis) comes from the stored verdicts and
the thresholds in force; every rate is shown in percent.
"""

from __future__ import annotations

import base64
import html
import io
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from typingtest.analysis import plots
from typingtest.analysis.administration import administration_marks, administration_note
from typingtest.analysis.compare import format_value, rank_applicants
from typingtest.analysis.decisions import decided_summary, decision_counts, overall_decisions, percentiles_against
from typingtest.analysis.frame import indicator_frame
from typingtest.analysis.labels import (
    basis_label,
    competence_label,
    decimal,
    indicator_label,
    label,
    local_time,
    number,
    percent,
    reference_label,
)
from typingtest.analysis.multitask import multitask_figures
from typingtest.analysis.stats import cohort_stats, competence_pass_rates, group_all_passed
from typingtest.analysis.xlsx import write_xlsx
from typingtest.engine.verdicts import Threshold
from typingtest.vocabulary import INDICATORS, indicators_from

__all__ = [
    "APPLICANT_INDICATORS",
    "UNVERIFIED_REASONS",
    "CohortReport",
    "build_cohort_report",
    "thresholds_frame",
    "unverified_frame",
    "write_applicant_pdf",
    "write_html",
    "write_pdf",
    "write_tables",
]

#: The (task, indicator) pairs the applicants table shows, in this order, where the cohort has them.
#: The uncorrected and total error rates stand beside the MSD error rate (docs/engine.md, "Metric definitions").
APPLICANT_INDICATORS: tuple[tuple[str, str], ...] = (
    ("copy-typing", "net_wpm"),
    ("copy-typing", "msd_error_rate"),
    ("copy-typing", "uncorrected_error_rate"),
    ("copy-typing", "total_error_rate"),
    ("transcription", "msd_error_rate"),
    ("data-entry", "field_error_rate"),
    ("data-entry", "field_completeness"),
    ("call", "pickup_time_s"),
    ("call", "record_find_time_s"),
    ("call", "call_handling_time_s"),
    ("call", "action_score"),
)
_TASK_ORDER = ("copy-typing", "transcription", "data-entry", "call")
A4_PORTRAIT = (8.27, 11.69)
_TEXT_COLUMNS = ("competence", "source", "indicators", "indicator", "task", "competences", "basis", "candidate_id",
                 "reason", "assessor", "passed", "passed_stored")
PNG_DPI = 100


@dataclass
class CohortReport:
    """Everything a cohort report shows: tables (DataFrames) and charts (matplotlib Figures)."""

    lang: str
    cohort: str | None
    generated_at: datetime
    n_candidates: int
    n_attempts: int
    #: Attempts whose stored signature does not match (``verified`` False): edited after storing.
    n_unverified: int
    stats: pd.DataFrame
    competences: pd.DataFrame
    applicants: pd.DataFrame
    multitask: pd.DataFrame
    thresholds: pd.DataFrame
    #: Assessor overrides in force: candidate_id, task, indicator, value, passed_stored, passed, reason, assessor, at.
    overrides: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: One row per candidate and battery: ``decisions.overall_decisions`` (overrides applied).
    decisions: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: How many candidates pass, fail, are borderline or insufficient (decision, n): shown first.
    decision_counts: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Every attempt whose ``verified`` is not True: candidate_id, attempt_id, task, reason (``UNVERIFIED_REASONS``).
    unverified: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Split-half reliability, SEM and decision consistency per typed task and indicator
    #: (``reliability.cohort_reliability``, ``REPORT_COLUMNS``); None: not computed (no event logs).
    reliability: pd.DataFrame | None = None
    #: (name, draw function taking ``ax=`` and returning it, figure size in inches, margins kind) per chart.
    charts: list[tuple[str, Callable[[Axes], Axes], tuple[float, float], str]] = field(default_factory=list)

    def figures(self) -> list[tuple[str, Figure]]:
        """Each chart drawn on a figure of its own."""
        out = []
        for name, draw, size, kind in self.charts:
            ax = draw(ax=plots.new_figure(*size, kind=kind).add_subplot())
            out.append((name, ax.figure))
        return out

    @property
    def title(self) -> str:
        """The report's heading."""
        return f"{label('report_title', self.lang)}: {self.cohort or label('all_cohorts', self.lang)}"


#: Why an attempt is not verified, from its ``verified`` value (``Store.attempts_frame``), per language.
UNVERIFIED_REASONS = {
    "nl": {"altered": "handtekening klopt niet: gewijzigd na opslag",
           "unchecked": "niet ondertekend, of ondertekend met een sleutel die deze computer niet heeft",
           "title": "Pogingen die niet geverifieerd zijn", "attempt": "poging"},
    "en": {"altered": "signature does not match: changed after storing",
           "unchecked": "not signed, or signed with a key this machine does not hold",
           "title": "Attempts not verified", "attempt": "attempt"},
}


def unverified_frame(data: pd.DataFrame, lang: str = "nl") -> pd.DataFrame:
    """Every attempt of ``data`` whose ``verified`` is not True: candidate_id, attempt_id, task, reason.

    ``verified`` False (or "False" read from a CSV): altered; None, NaN or empty: it could not be
    checked (unsigned, or signed with a key this machine does not hold). ``typingtest verify``
    tells more (which field, a missing session, a copied event log ...).
    """
    words = UNVERIFIED_REASONS.get(lang, UNVERIFIED_REASONS["nl"])
    columns = ["candidate_id", "attempt_id", "task", "reason"]
    if "verified" not in data.columns:
        return pd.DataFrame(columns=columns)
    state = data["verified"].map(lambda v: "ok" if v is True or v == "True" or v is np.True_
                                 else "altered" if v is False or v == "False" or v is np.False_ else "unchecked")
    rows = data[state != "ok"]
    out = pd.DataFrame({"candidate_id": rows.get("candidate_id"), "attempt_id": rows.get("attempt_id"),
                        "task": rows.get("task"), "reason": state[state != "ok"].map(words.get)}, columns=columns)
    return out.reset_index(drop=True)


def thresholds_frame(long: pd.DataFrame, thresholds: Mapping[str, Threshold] | None = None) -> pd.DataFrame:
    """The thresholds the report's verdicts used: indicator, comparison, threshold, source, competences, basis."""
    judged = long.dropna(subset=["threshold"])
    rows = []
    for (indicator, threshold, comparison, source), g in judged.groupby(
        ["indicator", "threshold", "comparison", "source"], sort=True
    ):
        rule = (thresholds or {}).get(str(indicator))
        rows.append(
            {
                "indicator": indicator,
                "comparison": comparison,
                "threshold": float(threshold),
                "source": source,
                "competences": "; ".join(sorted(set(g["competence"].dropna()))),
                "basis": rule.basis if rule is not None and rule.limit == float(threshold) else "",
            }
        )
    return pd.DataFrame(rows, columns=["indicator", "comparison", "threshold", "source", "competences", "basis"])


def _applicants_table(long: pd.DataFrame, data: pd.DataFrame, multitask: pd.DataFrame, reference: str = "cohort"
                      ) -> pd.DataFrame:  # fmt: skip
    """One row per candidate: rank, id, overall decision, cohort, date, the shown values and verdicts,
    the counts of thresholds met.

    The value shown per task and indicator is the one its verdict rule used
    (``decisions.decided_summary``), with ``:passed`` (after overrides), ``:passed_stored``,
    ``:decision``, ``:overridden``, ``:value_basis`` and ``:n_attempts`` beside it; percentiles
    are ranked in the report's candidates (``reference``, ``percentile_n`` of them).
    """
    decided = decided_summary(data, long)
    summary = percentiles_against(decided, decided, reference)
    judged = summary[summary["threshold"].notna()]
    ranking = rank_applicants(judged, sorted(set(data["candidate_id"])))
    out = ranking.copy()
    first = data.groupby("candidate_id")["started_at"].min()
    cohorts = data.groupby("candidate_id")["cohort"].first()
    out.insert(3, "cohort", out["candidate_id"].map(cohorts))
    out.insert(4, "date", out["candidate_id"].map(first))
    out["percentile_reference"] = reference
    out["percentile_n"] = int(decided["candidate_id"].nunique())
    present = set(summary[["task", "indicator"]].drop_duplicates().itertuples(index=False, name=None))
    indexed = summary.set_index(["candidate_id", "task", "indicator"])
    ids = out["candidate_id"].astype(object).tolist()
    for task, indicator in APPLICANT_INDICATORS:
        if (task, indicator) not in present:
            continue
        col = f"{task}:{indicator}"
        sub = indexed.reindex(pd.MultiIndex.from_arrays([ids, [task] * len(ids), [indicator] * len(ids)]))
        out[col] = sub["value"].to_numpy(float)
        out[f"{col}:passed"] = [None if p is None or p != p else bool(p) for p in sub["passed"]]
        out[f"{col}:passed_stored"] = [None if p is None or p != p else bool(p) for p in sub["passed_stored"]]
        out[f"{col}:decision"] = [None if d is None or d != d else str(d) for d in sub["decision"]]
        out[f"{col}:overridden"] = sub["overridden"].fillna(False).astype(bool).to_numpy()
        out[f"{col}:value_basis"] = [None if b is None or b != b else str(b) for b in sub["value_basis"]]
        out[f"{col}:n_attempts"] = sub["n_attempts"].fillna(0).astype(int).to_numpy()
    cost = multitask.set_index("candidate_id")["speed_cost"]
    out["speed_cost"] = out["candidate_id"].map(cost).astype(float)
    # attempts not administered with audio as usual ("call: no-audio"; empty: every attempt heard)
    out["administration"] = out["candidate_id"].map(administration_marks(data)).astype(object).fillna("")
    return out


def build_cohort_report(
    data: pd.DataFrame,
    *,
    cohort: str | None = None,
    lang: str = "nl",
    overrides: pd.DataFrame | None = None,
    thresholds: Mapping[str, Threshold] | None = None,
    charts: bool = True,
    rejudge: bool = False,
    reliability: pd.DataFrame | None = None,
) -> CohortReport:
    """Compute every table and chart of a cohort report from ``data`` (filtered attempts).

    ``thresholds`` (``typingtest.config.load_thresholds``) supply the basis text of each
    threshold; the verdicts are the stored ones (with overrides applied), or with ``rejudge``
    the engine's ``verdict`` applied again to the stored values with ``thresholds``.
    ``reliability`` is ``reliability.cohort_reliability`` of the same attempts (it needs their
    event logs, so the caller with the store computes it); None: the report says it was not computed.
    """
    long = indicator_frame(data, overrides=overrides, thresholds=thresholds if rejudge else None)
    stats = cohort_stats(data, long=long)
    competences = competence_pass_rates(long)
    multitask = multitask_figures(data, long=long)
    reference = "cohort " + (cohort or ", ".join(sorted({str(c) for c in data["cohort"].dropna()})))
    applicants = _applicants_table(long, data, multitask, reference)
    per_candidate = overall_decisions(long, ("candidate_id",))
    report = CohortReport(
        lang=lang,
        cohort=cohort,
        generated_at=datetime.now(UTC),
        n_candidates=int(data["candidate_id"].nunique()),
        n_attempts=len(data),
        n_unverified=int((data["verified"].map(lambda v: v is False or v == "False")).sum()),
        stats=stats,
        competences=competences,
        applicants=applicants,
        multitask=multitask,
        thresholds=thresholds_frame(long, thresholds),
        overrides=_overrides_table(long),
        decisions=overall_decisions(long, ("candidate_id", "battery")),
        decision_counts=decision_counts(per_candidate),
        unverified=unverified_frame(data, lang),
        reliability=reliability,
    )
    if charts:
        report.charts = _cohort_charts(data, long, competences, lang)
    return report


def _overrides_table(long: pd.DataFrame) -> pd.DataFrame:
    """The overridden verdicts, one row per attempt and indicator, with reason, assessor and time (UTC)."""
    from typingtest.analysis.decisions import utc_text

    cols = ["candidate_id", "attempt_id", "task", "indicator", "value", "passed_stored", "passed", "override_reason",
            "override_assessor", "override_at"]  # fmt: skip
    rows = long[long["overridden"]].drop_duplicates(["attempt_id", "indicator"])
    out = rows[cols].rename(columns={"override_reason": "reason", "override_assessor": "assessor",
                                     "override_at": "at"}).reset_index(drop=True)  # fmt: skip
    out["at"] = [utc_text(t) for t in out["at"]]
    return out


def _attempt_passed(long: pd.DataFrame) -> pd.Series:
    """Per attempt: True when every judged verdict passed, False when one failed, None when none judged."""
    return group_all_passed(long, ["attempt_id"])


def _cohort_charts(data: pd.DataFrame, long: pd.DataFrame, competences: pd.DataFrame, lang: str
                   ) -> list[tuple[str, Callable[[Axes], Axes], tuple[float, float], str]]:  # fmt: skip
    charts: list[tuple[str, Callable[[Axes], Axes], tuple[float, float], str]] = []
    if not competences.empty:
        charts.append(("pass_rates", partial(plots.plot_pass_rates, competences, lang=lang),
                       (7.0, 1.2 + 0.45 * len(competences)), "bars"))  # fmt: skip
    copy = data[data["task"] == "copy-typing"]
    if not copy.empty:
        frame = copy[["attempt_id", "net_wpm", "msd_error_rate"]].copy()
        frame["passed"] = frame["attempt_id"].map(_attempt_passed(long[long["task"] == "copy-typing"]))
        rules = long[(long["task"] == "copy-typing") & long["threshold"].notna()].drop_duplicates("indicator")
        limit = dict(zip(rules["indicator"], rules["threshold"], strict=True))
        draw = partial(plots.plot_speed_vs_error, frame, speed_threshold=limit.get("net_wpm"),
                       error_threshold=limit.get("msd_error_rate"), lang=lang)  # fmt: skip
        charts.append(("speed_vs_error", draw, (7.0, 4.2), "default"))
    vals = long.drop_duplicates(["attempt_id", "indicator"])
    judged = vals[vals["threshold"].notna()]
    for task in _TASK_ORDER:
        for indicator in dict.fromkeys(judged.loc[judged["task"] == task, "indicator"]):
            sel = judged[(judged["task"] == task) & (judged["indicator"] == indicator)]
            title = f"{label(task, lang)}: {indicator_label(str(indicator), lang)}"
            draw = partial(_distribution, sel["value"], str(indicator), float(sel["threshold"].iloc[0]),
                           str(sel["comparison"].iloc[0]), lang, title)  # fmt: skip
            charts.append((f"distribution:{task}:{indicator}", draw, (5.6, 3.4), "default"))
    return charts


def _distribution(values: pd.Series, indicator: str, threshold: float, comparison: str, lang: str, title: str,
                  ax: Axes) -> Axes:  # fmt: skip
    ax = plots.plot_distribution(values, indicator, threshold=threshold, comparison=comparison, lang=lang, ax=ax)
    ax.set_title(title)
    return ax


def _png_base64(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=PNG_DPI)
    return base64.b64encode(buf.getvalue()).decode("ascii")


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1.5rem auto;max-width:1200px;
color:#111;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:2px solid #0072B2}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
th,td{border:1px solid #999;padding:.25rem .45rem;text-align:right;white-space:nowrap}
table:not(#applicants) td.t{white-space:normal}#overrides+table td.t:first-child{white-space:nowrap}
#overrides+table td.t:nth-child(7){min-width:22em}
th{background:#e8eef4;cursor:default}td.t,th.t{text-align:left}
table.sortable th{cursor:pointer}table.sortable th:after{content:" \\2195";color:#777}
.pass{color:#0a4f86}.fail{color:#a33c00;font-weight:600}.na{color:#777}
.charts img{max-width:100%;margin:.4rem .4rem .4rem 0;border:1px solid #ddd}
.note{color:#333;font-size:.85rem}
"""

_SORT_JS = """
(function(){
  function key(td){var v=td.getAttribute('data-sort');if(v===null)v=td.textContent;
    var n=parseFloat(v);return isNaN(n)?[1,v.toLowerCase()]:[0,n];}
  function sortBy(table,col,asc){var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
    rows.sort(function(a,b){var x=key(a.cells[col]),y=key(b.cells[col]);
      if(x[0]!==y[0])return x[0]-y[0];return (x[1]<y[1]?-1:x[1]>y[1]?1:0)*(asc?1:-1);});
    rows.forEach(function(r){body.appendChild(r);});}
  var tables=document.querySelectorAll('table.sortable');
  tables.forEach(function(table){var ths=table.tHead.rows[0].cells;
    Array.prototype.forEach.call(ths,function(th,i){th.addEventListener('click',function(){
      var asc=th.getAttribute('data-dir')!=='asc';th.setAttribute('data-dir',asc?'asc':'desc');
      sortBy(table,i,asc);});});
    sortBy(table,0,true);});
  document.body.setAttribute('data-ready','1');
})();
"""


def _verdict_cell(value: float, indicator: str, passed: Any, overridden: bool, lang: str) -> tuple[str, str, str]:
    """(html, sort key, css class) of one value-with-verdict cell (a decimal comma in Dutch and French)."""
    text = decimal(format_value(indicator, value), lang)
    if passed is None or (isinstance(passed, float) and np.isnan(passed)):
        mark, css = "", "na"
    elif passed:
        mark, css = " ✓", "pass"
    else:
        mark, css = " ✗", "fail"
    if overridden:
        mark += "*"
    title = label("passed" if passed else "failed", lang) if css != "na" else ""
    if overridden:
        title += f" ({label('overridden', lang)})"
    sort = "" if value != value else repr(float(value))
    return f'<span title="{html.escape(title)}">{html.escape(text + mark)}</span>', sort, css


#: Marks after a verdict whose decision is not a plain pass or fail (as in ``compare.side_by_side``).
_DECISION_MARKS = {"borderline": "~", "insufficient": "?"}


def _decision_cell(decision: str, lang: str) -> str:
    """The applicants table's overall-decision cell (``decisions.combine_decisions``' word)."""
    word = html.escape(label(f"decision_{decision}", lang))
    css = {"pass": "pass", "fail": "fail"}.get(decision, "na")
    return f'<td class="t {css}" data-decision="{html.escape(decision)}">{word}</td>'


def _decision_note(rec: Mapping[str, Any], col: str, lang: str) -> str:
    """"~"/"?" for a borderline/insufficient decision, and "(worst of N)" where the value shown is
    the deciding one of N attempts (never a mean beside an every-attempt rule)."""
    note = _DECISION_MARKS.get(str(rec.get(f"{col}:decision")), "")
    if rec.get(f"{col}:value_basis") == "worst":
        note += f" ({label('worst_of', lang, n=rec[f'{col}:n_attempts'])})"
    return note


def _decision_counts_text(report: CohortReport) -> str:
    """"geslaagd 3 · niet geslaagd 2 · ...": the counts shown first in the HTML and the PDF."""
    counts = report.decision_counts
    if counts.empty:
        return ""
    return " · ".join(f"{label(f'decision_{r.decision}', report.lang)}: {r.n}" for r in counts.itertuples())


def _reliability_rows(report: CohortReport) -> tuple[list[str], list[dict[str, str]]]:
    """The reliability section as (notes, rows of words), for the HTML and the PDF alike: a note
    per task too small to estimate (fewer than ``reliability.MIN_SUBJECTS`` attempts), or why it
    was not computed; a row per estimated task and indicator."""
    from typingtest.analysis.reliability import MIN_SUBJECTS

    lang = report.lang
    rel = report.reliability
    if rel is None:
        return [label("reliability_unavailable", lang)], []
    if rel.empty:
        return [label("reliability_none", lang)], []
    notes, rows = [], []
    for task, g in rel.groupby("task", sort=False):
        if not bool(g["estimated"].all()):
            notes.append(label("reliability_too_few", lang, task=label(str(task), lang),
                               n=int(g["subjects"].max()), least=MIN_SUBJECTS))  # fmt: skip
            continue
        for r in g.to_dict("records"):
            ind = str(r["indicator"])
            same = "–" if r["consistency"] != r["consistency"] else (
                f"{percent(r['consistency'], 1, lang)} ({label('kappa', lang)} {number(r['kappa'], 2, lang)})")
            rows.append({
                "task": label(str(task), lang), "indicator": indicator_label(ind, lang), "subjects": str(r["subjects"]),
                "chars_each": number(r["chars"], 0, lang), "split_half": number(r["reliability"], 3, lang),
                "sem": decimal(format_value(ind, r["sem"]), lang),
                "threshold": "" if r["threshold"] != r["threshold"] else
                decimal(f"{r['comparison']} {format_value(ind, r['threshold'])}", lang),
                "same_decision": same,
            })  # fmt: skip
    return notes, rows


#: Columns of the reliability section, in order.
_RELIABILITY_SHOWN = ("task", "indicator", "subjects", "chars_each", "split_half", "sem", "threshold", "same_decision")


def _reliability_html(report: CohortReport) -> str:
    from typingtest.analysis.reliability import SEGMENT_CHARS

    lang = report.lang
    notes, rows = _reliability_rows(report)
    parts = [f'<h2 id="reliability">{html.escape(label("reliability_title", lang))}</h2>']
    if rows:
        parts.append(f'<p class="note">{html.escape(label("reliability_text", lang, chars=SEGMENT_CHARS))}</p>')
        frame = pd.DataFrame(rows, columns=list(_RELIABILITY_SHOWN))
        parts.append(_plain_table(frame, [(c, label(c, lang)) for c in _RELIABILITY_SHOWN], {}))
    parts += [f'<p class="note reliability-note">{html.escape(n)}</p>' for n in notes]
    return "".join(parts)


def _reliability_lines(report: CohortReport) -> list[str]:
    """The reliability section as monospaced lines (the PDF)."""
    from typingtest.analysis.reliability import SEGMENT_CHARS

    lang = report.lang
    notes, rows = _reliability_rows(report)
    lines: list[str] = []
    if rows:
        heads = {c: label(c, lang) for c in _RELIABILITY_SHOWN}
        widths = {c: max(len(heads[c]), *(len(r[c]) for r in rows)) + 2 for c in _RELIABILITY_SHOWN}
        left = {"task", "indicator"}
        lines.append("".join(f"{heads[c]:<{widths[c]}}" if c in left else f"{heads[c]:>{widths[c]}}"
                             for c in _RELIABILITY_SHOWN))  # fmt: skip
        lines.append("-" * len(lines[0]))
        lines += ["".join(f"{r[c]:<{widths[c]}}" if c in left else f"{r[c]:>{widths[c]}}" for c in _RELIABILITY_SHOWN)
                  for r in rows]  # fmt: skip
        lines += ["", *_wrap(label("reliability_text", lang, chars=SEGMENT_CHARS), 110, indent=0)]
    for n in notes:
        lines += ["", *_wrap(n, 110, indent=0)]
    return lines


def _percentile_head(applicants: pd.DataFrame, lang: str) -> str:
    """"percentiel<br>(cohort X, n=50)": the percentile's reference group and its size."""
    if applicants.empty or "percentile_reference" not in applicants.columns:
        return label("percentile", lang)
    first = applicants.iloc[0]
    return (f"{label('percentile', lang)}<br>({html.escape(reference_label(first['percentile_reference'], lang))}, "
            f"n={int(first['percentile_n'])})")  # fmt: skip


def _applicants_html(report: CohortReport) -> str:
    lang = report.lang
    a = report.applicants
    pairs = [(t, i) for t, i in APPLICANT_INDICATORS if f"{t}:{i}" in a.columns]
    head = [("rank", label("rank", lang)), ("candidate_id", label("candidate", lang)),
            ("overall_decision", label("overall_decision", lang)),
            ("cohort", label("cohort", lang)), ("date", label("date", lang))]
    head += [(f"{t}:{i}", f"{label(t, lang)}<br>{html.escape(indicator_label(i, lang))}") for t, i in pairs]
    head += [("speed_cost", label("speed_cost", lang)), ("qualification_passed", label("qualification_passed", lang)),
             ("thresholds_passed", label("thresholds_passed", lang)), ("mean_percentile", _percentile_head(a, lang))]
    parts = ['<table class="sortable" id="applicants"><thead><tr>']
    for i, (_, text) in enumerate(head):
        parts.append(f'<th class="{"t" if i in (1, 2, 3) else ""}">{text}</th>')
    parts.append("</tr></thead><tbody>")
    for rec in a.to_dict("records"):
        admin = str(rec.get("administration") or "")
        note = (f' <span class="admin" title="{html.escape(admin)}">'
                f'({html.escape(administration_note(admin, lang))})</span>') if admin else ""
        cells = [f'<td data-sort="{rec["rank"]}">{rec["rank"]}</td>',
                 f'<td class="t">{html.escape(str(rec["candidate_id"]))}{note}</td>',
                 _decision_cell(str(rec["overall_decision"]), lang),
                 f'<td class="t">{html.escape(str(rec["cohort"] or ""))}</td>',
                 f'<td data-sort="{_date(rec["date"])}">{local_time(rec["date"], lang, date_only=True)}'
                 '</td>']  # fmt: skip
        for t, i in pairs:
            col = f"{t}:{i}"
            body, sort, css = _verdict_cell(rec[col], i, rec[f"{col}:passed"], rec[f"{col}:overridden"], report.lang)
            body += html.escape(_decision_note(rec, col, lang))
            cells.append(f'<td class="{css}" data-sort="{sort}">{body}</td>')
        cost = rec["speed_cost"]
        cells.append(f'<td data-sort="{"" if cost != cost else cost}">{percent(cost, 1, lang)}</td>')
        cells.append(f'<td data-sort="{rec["qualification_passed"]}">{rec["qualification_passed"]} / '
                     f'{rec["qualification_judged"]}</td>')  # fmt: skip
        cells.append(f'<td data-sort="{rec["thresholds_passed"]}">{rec["thresholds_passed"]} / '
                     f'{rec["thresholds_judged"]}</td>')  # fmt: skip
        pct = rec["mean_percentile"]
        cells.append(f'<td data-sort="{"" if pct != pct else pct}">{"–" if pct != pct else f"{pct:.0f}"}</td>')
        parts.append('<tr class="applicant">' + "".join(cells) + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _date(value: Any) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return "–"
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def _plain_table(frame: pd.DataFrame, columns: Sequence[tuple[str, str]], fmt: Mapping[str, Any], css: str = ""
                 ) -> str:  # fmt: skip
    text_cols = {columns[0][0]} | {c for c in _TEXT_COLUMNS if c in frame.columns}
    parts = [f'<table class="{css}"><thead><tr>']
    parts += [f'<th class="t">{html.escape(h)}</th>' if c in text_cols else f"<th>{html.escape(h)}</th>"
              for c, h in columns]  # fmt: skip
    parts.append("</tr></thead><tbody>")
    for rec in frame.to_dict("records"):
        parts.append("<tr>")
        for col, _ in columns:
            f = fmt.get(col)
            value = f(rec) if f else rec[col]
            text = "–" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
            cls = ' class="t"' if col in text_cols else ""
            parts.append(f"<td{cls}>{html.escape(text)}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _stats_columns(lang: str) -> list[tuple[str, str]]:
    names = ("task", "indicator", "n", "mean", "sd", "median", "q1", "q3", "threshold", "source", "pass_rate")
    return [(c, label(c, lang)) for c in names]


def _stats_formats(lang: str) -> dict[str, Any]:
    def val(col: str) -> Any:
        return lambda r: format_value(r["indicator"], r[col])

    return {
        "task": lambda r: label(r["task"], lang),
        "indicator": lambda r: indicator_label(r["indicator"], lang),
        "mean": val("mean"), "sd": val("sd"), "median": val("median"), "q1": val("q1"), "q3": val("q3"),
        "threshold": lambda r: "" if r["threshold"] != r["threshold"] else
        f"{r['comparison']} {format_value(r['indicator'], r['threshold'])}",
        "source": lambda r: "" if not isinstance(r["source"], str) else label(r["source"], lang),
        "pass_rate": lambda r: "" if r["pass_rate"] != r["pass_rate"] else
        f"{percent(r['pass_rate'])} ({r['n_passed']}/{r['n_judged']})",
    }  # fmt: skip


def write_html(report: CohortReport, path: str | Path) -> Path:
    """Write ``report`` as one self-contained HTML file (no external resource of any kind)."""
    lang = report.lang
    path = Path(path)
    t = html.escape
    comp_cols = [("competence", label("competence", lang)), ("source", label("source", lang)),
                 ("indicators", label("indicator", lang)), ("n_judged", label("n", lang)),
                 ("pass_rate", label("pass_rate", lang))]  # fmt: skip
    comp_fmt = {
        "competence": lambda r: competence_label(str(r["competence"]), lang),
        "source": lambda r: label(r["source"], lang),
        "indicators": lambda r: ", ".join(indicator_label(i, lang) for i in r["indicators"].split("; ")),
        "pass_rate": lambda r: f"{percent(r['pass_rate'], 1, lang)} ({r['n_passed']}/{r['n_judged']})",
    }
    th_cols = [("indicator", label("indicator", lang)), ("threshold", label("threshold", lang)),
               ("source", label("source", lang)), ("competences", label("competence", lang)),
               ("basis", label("basis", lang))]  # fmt: skip
    th_fmt = {
        "indicator": lambda r: indicator_label(r["indicator"], lang),
        "threshold": lambda r: f"{r['comparison']} {decimal(format_value(r['indicator'], r['threshold']), lang)}",
        "source": lambda r: label(r["source"], lang),
        "competences": lambda r: "; ".join(competence_label(c, lang) for c in str(r["competences"]).split("; ") if c),
        "basis": lambda r: basis_label(str(r["indicator"]), str(r["basis"] or ""), lang),
    }
    # The speeds shown are those the speed cost was computed from (burst WPM, else net WPM).
    mt = report.multitask.copy()
    burst = mt["speed_cost_basis"].eq("burst") if "speed_cost_basis" in mt else pd.Series(False, index=mt.index)
    mt["baseline_speed"] = mt["baseline_burst_wpm"].where(burst, mt["baseline_net_wpm"]) if burst.any() \
        else mt["baseline_net_wpm"]
    mt["load_speed"] = mt["load_wpm"].where(burst, mt["load_net_wpm"]) if burst.any() else mt["load_net_wpm"]
    mt_cols = [("candidate_id", label("candidate", lang)), ("baseline_speed", label("baseline_wpm", lang)),
               ("load_speed", label("load_wpm", lang)), ("speed_cost", label("speed_cost", lang)),
               ("error_cost", label("error_cost", lang)), ("pickup_time_s", indicator_label("pickup_time_s", lang)),
               ("record_find_time_s", indicator_label("record_find_time_s", lang)),
               ("call_handling_time_s", indicator_label("call_handling_time_s", lang)),
               ("action_score", indicator_label("action_score", lang))]  # fmt: skip
    one = {c: (lambda col: lambda r: "–" if r[col] != r[col] else f"{r[col]:.1f}")(c)
           for c in ("baseline_speed", "load_speed", "pickup_time_s", "record_find_time_s", "call_handling_time_s")}
    mt_fmt = {**one, "speed_cost": lambda r: percent(r["speed_cost"]),
              "error_cost": lambda r: percent(r["error_cost"], 2), "action_score": lambda r: percent(r["action_score"])}
    mt_fmt = _localised(mt_fmt, lang)
    for figure in (i.name for i in indicators_from("call")):
        mt_fmt[figure] = _with_basis(mt_fmt[figure], figure, lang)
    charts = "".join(
        f'<img alt="{t(_chart_alt(name, lang))}" data-chart="{t(name)}" src="data:image/png;base64,{_png_base64(fig)}">'
        for name, fig in report.figures()
    )
    any_override = bool(report.applicants.filter(like=":overridden").to_numpy().any())
    overrides_html = ""
    if not report.overrides.empty:
        ov_cols = [("candidate_id", label("candidate", lang)), ("task", label("task", lang)),
                   ("indicator", label("indicator", lang)), ("value", label("value", lang)),
                   ("passed_stored", label("verdict", lang)), ("passed", label("overridden", lang)),
                   ("reason", label("reason", lang)), ("assessor", label("assessor", lang)),
                   ("at", label("date", lang))]  # fmt: skip

        def verdict_word(v: Any) -> str:
            return label("undetermined", lang) if v is None else label("passed" if v else "failed", lang)

        ov_fmt = {"task": lambda r: label(r["task"], lang),
                  "indicator": lambda r: indicator_label(r["indicator"], lang),
                  "value": lambda r: decimal(format_value(r["indicator"], r["value"]), lang),
                  "passed_stored": lambda r: verdict_word(r["passed_stored"]),
                  "passed": lambda r: verdict_word(r["passed"]),
                  "at": lambda r: local_time(r.get("at"), lang)}  # fmt: skip
        overrides_html = (f'<h2 id="overrides">{label("overrides_title", lang)}</h2>'
                          + _plain_table(report.overrides, ov_cols, ov_fmt))  # fmt: skip
    unverified = ""
    if report.n_unverified:
        unverified = f'<p class="fail" id="unverified">{t(label("unverified", lang, n=report.n_unverified))}</p>'
    if not report.unverified.empty:
        words = UNVERIFIED_REASONS.get(lang, UNVERIFIED_REASONS["nl"])
        uv_cols = [("candidate_id", label("candidate", lang)), ("attempt_id", words["attempt"]),
                   ("task", label("task", lang)), ("reason", label("reason", lang))]  # fmt: skip
        unverified += (f'<h2 class="fail" id="unverified-attempts">{t(words["title"])}</h2>'
                       + _plain_table(report.unverified, uv_cols, {"task": lambda r: label(r["task"], lang)}))

    body = f"""<!DOCTYPE html>
<html lang="{t(lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t(report.title)}</title><style>{_CSS}</style></head>
<body>
<h1>{t(report.title)}</h1>
<p class="note">{label("generated", lang)}: {_generated(report)} ·
{label("n_candidates", lang)}: <span id="n-candidates">{report.n_candidates}</span> ·
{label("n_attempts", lang)}: {report.n_attempts}</p>
<p id="decision-counts"><strong>{t(label("overall_decision", lang))}:</strong> {t(_decision_counts_text(report))}</p>
{unverified}
<h2>{label("summary", lang)}</h2>
{_plain_table(report.competences, comp_cols, comp_fmt)}
<div class="charts">{charts}</div>
<h2>{label("applicants", lang)}</h2>
<p class="note">{label("sort_hint", lang)} {label("ranking_rule", lang)}: {t(label("ranking_rule_text", lang))}
{"<br>" + label("override_note", lang) if any_override else ""}</p>
{_applicants_html(report)}
{overrides_html}
<h2>{label("multitask", lang)}</h2>
{_plain_table(mt, mt_cols, mt_fmt)}
<h2>{label("statistics", lang)}</h2>
{_plain_table(report.stats, _stats_columns(lang), _localised(_stats_formats(lang), lang))}
{_reliability_html(report)}
<h2>{label("thresholds_title", lang)}</h2>
{_plain_table(report.thresholds, th_cols, th_fmt)}
<script>{_SORT_JS}</script>
</body></html>
"""
    path.write_text(body, encoding="utf-8")
    return path


def _with_basis(fmt: Callable[[Any], str], figure: str, lang: str) -> Callable[[Any], str]:
    """A multitask call figure's formatter with "(worst of N attempts)" where the value shown is the
    attempt that decided its verdict (``multitask_figures``' ``<figure>_basis``)."""

    def cell(r: Mapping[str, Any]) -> str:
        text = fmt(r)
        if r.get(f"{figure}_basis") == "worst":
            text += f" ({label('worst_of', lang, n=int(r['call_attempts']))})"
        return text

    return cell


def _localised(fmt: Mapping[str, Callable[[Any], str]], lang: str) -> dict[str, Callable[[Any], str]]:
    """The cell formatters ``fmt`` with a decimal comma in Dutch and French (``labels.decimal``)."""

    def one(f: Callable[[Any], str]) -> Callable[[Any], str]:
        return lambda r: decimal(str(f(r)), lang)

    return {c: one(f) for c, f in fmt.items()}


def _chart_alt(name: str, lang: str) -> str:
    """A chart's name in words ("distribution:copy-typing:msd_error_rate" -> "overtypen: MSD-foutpercentage")."""
    parts = name.split(":")
    if parts[0] == "distribution" and len(parts) == 3:
        return f"{label(parts[1], lang)}: {indicator_label(parts[2], lang)}"
    return {"pass_rates": label("pass_rates_title", lang), "speed_vs_error": label("speed_error_title", lang)}.get(
        name, label(name, lang))


def _text_page(pdf: PdfPages, title: str, lines: Sequence[str], size: float = 7.0, landscape: bool = False) -> None:
    fig = Figure(figsize=A4_PORTRAIT[::-1] if landscape else A4_PORTRAIT)
    fig.text(0.04 if landscape else 0.06, 0.965, title, fontsize=13, weight="bold", va="top")
    fig.text(0.04 if landscape else 0.06, 0.925, "\n".join(lines), family="monospace", fontsize=size, va="top")
    pdf.savefig(fig)


#: Short column names of the PDF's applicants page (explained in its legend, in words): the registry's.
_SHORT = {i.name: i.short for i in INDICATORS.values() if i.short}
_TASK_SHORT = {"copy-typing": "C", "transcription": "T", "data-entry": "E", "call": "K"}


def _applicant_lines(report: CohortReport) -> list[str]:
    """The applicants page as monospaced lines: header, rule, one row per applicant, then the legend
    (two lines). Ids are never cut: the id column is as wide as the longest id; the overall
    decision comes right after it."""
    a = report.applicants
    lang = report.lang
    pairs = [(t, i) for t, i in APPLICANT_INDICATORS if f"{t}:{i}" in a.columns]
    ids = [str(c) for c in a["candidate_id"]] if len(a) else []
    id_width = max([len(label("candidate", lang)), *map(len, ids)])
    decisions = [label(f"decision_{d}", lang) for d in a.get("overall_decision", pd.Series(dtype=object))]
    dec_width = max([len(label("overall_decision", lang)), *map(len, decisions)]) if decisions else 0
    records = a.to_dict("records")
    cells = {(t, i): [_applicant_cell(rec, t, i, lang) for rec in records] for t, i in pairs}
    heads = {(t, i): _TASK_SHORT.get(t, t[:1]) + " " + _SHORT.get(i, i[:4]) for t, i in pairs}
    # per column: values right-aligned, their marks left-aligned after them
    texts = {}
    for p in pairs:
        vw = max([0, *(len(v) for v, _ in cells[p])])
        mw = max([1, *(len(m) for _, m in cells[p])])
        texts[p] = [f"{v:>{vw}} {m:<{mw}}" for v, m in cells[p]]
    widths = {p: max([len(heads[p]), *map(len, texts[p])]) + 2 for p in pairs}
    header = f"{'#':>4} {label('candidate', lang):<{id_width}}"
    if dec_width:
        header += f"  {label('overall_decision', lang):<{dec_width}}"
    header += "".join(f"{heads[p]:>{widths[p]}}" for p in pairs)
    header += f"{'Q':>7}{label('overall', lang)[:6]:>7}"
    lines = [header, "-" * len(header)]
    for k, rec in enumerate(records):
        row = f"{rec['rank']:>4} {rec['candidate_id']!s:<{id_width}}"
        if dec_width:
            row += f"  {decisions[k]:<{dec_width}}"
        row += "".join(f"{texts[p][k]:>{widths[p]}}" for p in pairs)
        row += f"{rec['qualification_passed']:>4}/{rec['qualification_judged']:<2}"
        row += f"{rec['thresholds_passed']:>4}/{rec['thresholds_judged']:<2}"
        lines.append(row)
        if rec.get("administration"):
            lines.append(f"     ({administration_note(str(rec['administration']), lang)})")
    legend = (f"C {label('copy-typing', lang)}, T {label('transcription', lang)}, E {label('data-entry', lang)}, "
              f"K {label('call', lang)}; + {label('passed', lang)}, - {label('failed', lang)}, "
              f"* {label('overridden', lang)}, ~ {label('decision_borderline', lang)}, "
              f"? {label('decision_insufficient', lang)}; (N) {label('worst_of', lang, n='N')}; "
              f"Q: {label('qualification_passed', lang)}; "
              f"{label('overall', lang)[:6]}: {label('thresholds_passed', lang)}")  # fmt: skip
    shown = [i for i in dict.fromkeys(i for _, i in pairs) if i in _SHORT]
    names = "; ".join(f"{_SHORT[i]} {indicator_label(i, lang)}" for i in shown)
    return [*lines, "", legend, names]


def _applicant_cell(rec: Mapping[str, Any], task: str, indicator: str, lang: str) -> tuple[str, str]:
    """One value of the PDF's applicants page as (value, marks): the value the verdict used, its
    marks (+ - * ~ ?) and "(N)" where it is the deciding one of N attempts (the legend says
    "worst of N attempts")."""
    col = f"{task}:{indicator}"
    p = rec[f"{col}:passed"]
    mark = "" if p is None else ("+" if p else "-")
    if rec[f"{col}:overridden"]:
        mark += "*"
    mark += _DECISION_MARKS.get(str(rec.get(f"{col}:decision")), "")
    if rec.get(f"{col}:value_basis") == "worst":
        mark += f"({rec[f'{col}:n_attempts']})"
    return decimal(format_value(indicator, rec[col]), lang), mark.strip()


def _unverified_lines(report: CohortReport, limit: int = 40) -> list[str]:
    """The PDF's list of attempts not verified (at most ``limit`` lines, then how many more)."""
    if report.unverified.empty:
        return []
    words = UNVERIFIED_REASONS.get(report.lang, UNVERIFIED_REASONS["nl"])
    recs = report.unverified.to_dict("records")
    lines = [f"{words['title']}:"]
    for r in recs[:limit]:
        lines += _wrap(f"{r['candidate_id']}  {r['attempt_id']}  {r['task']}: {r['reason']}", 100)
    if len(recs) > limit:
        lines.append(f"  ... +{len(recs) - limit}")
    return lines


def write_pdf(report: CohortReport, path: str | Path) -> Path:
    """Write ``report`` as a PDF (A4): summary, charts two to a page, applicants, statistics, thresholds."""
    path = Path(path)
    lang = report.lang
    texts = [report.title, *_applicant_lines(report), *_reliability_lines(report),
             *map(str, report.thresholds.get("competences", [])),
             *map(str, report.competences.get("competence", [])),
             *(str(v) for col in ("reason", "assessor") for v in report.overrides.get(col, []))]  # fmt: skip
    meta = {"Title": report.title, "Creator": "typingtest"}
    with _quiet_font_lookup(), mpl.rc_context(_pdf_rc(texts)), PdfPages(path, metadata=meta) as pdf:
        lines = [
            f"{label('generated', lang)}: {_generated(report)}",
            f"{label('n_candidates', lang)}: {report.n_candidates}   {label('n_attempts', lang)}: {report.n_attempts}",
            f"{label('overall_decision', lang)}: {_decision_counts_text(report)}",
            *([label("unverified", lang, n=report.n_unverified)] if report.n_unverified else []),
            *_unverified_lines(report),
            "",
            f"{label('pass_rates_title', lang)}:",
        ]
        for rec in report.competences.to_dict("records"):
            lines.append(f"  {rec['competence']:<18} {percent(rec['pass_rate'], 1, lang):>8} "
                         f"({rec['n_passed']}/{rec['n_judged']})  [{label(rec['source'], lang)}]")
            lines += _wrap(competence_label(str(rec["competence"]), lang).partition(" – ")[2], 100, indent=4)
        lines += ["", f"{label('thresholds_title', lang)}:"]
        for rec in report.thresholds.to_dict("records"):
            lines.append(f"  {indicator_label(rec['indicator'], lang):<34} {rec['comparison']} "
                         f"{decimal(format_value(rec['indicator'], rec['threshold']), lang):>8}  "
                         f"[{label(rec['source'], lang)}]  {rec['competences']}")  # fmt: skip
            lines += _wrap(basis_label(str(rec["indicator"]), str(rec.get("basis") or ""), lang), 100, indent=4)
        lines += ["", f"{label('ranking_rule', lang)}:", *_wrap(label("ranking_rule_text", lang), 100)]
        _text_page(pdf, report.title, lines, size=8.0)
        charts = report.charts
        width, height = A4_PORTRAIT
        for i in range(0, len(charts), 2):
            page = Figure(figsize=A4_PORTRAIT)
            for j, (_, draw, _size, kind) in enumerate(charts[i : i + 2]):
                left, right, bottom, top = plots.MARGINS.get(kind, plots.MARGINS["default"])
                left, right = left + 0.3, right + 0.3  # the page's own margin
                half = (height - 0.8) / 2  # inches per chart, 0.4 in above and below
                y0 = 0.4 + (1 - j) * half
                rect = (left / width, (y0 + bottom + 0.2) / height, 1 - (left + right) / width,
                        (half - bottom - top - 0.4) / height)  # fmt: skip
                draw(ax=page.add_axes(rect))
            pdf.savefig(page)
        app = _applicant_lines(report)
        body, legend = app[2:-3], app[-2:]
        # landscape A4, the font sized so the widest row fits (Courier: 0.6 em a character)
        size = min(7.0, (A4_PORTRAIT[1] - 0.9) * 72 / (0.6 * max(len(app[0]), 100)))
        per_page = max(int((A4_PORTRAIT[0] - 1.6) * 72 / (size * 1.2)) - 8, 10)
        for k in range(0, max(len(body), 1), per_page):
            notes = ["", *(x for line in legend for x in _wrap(line, int(len(app[0]) * 0.98))),
                     *_wrap(f"{label('ranking_rule', lang)}: {label('ranking_rule_text', lang)}",
                            int(len(app[0]) * 0.98))]  # fmt: skip
            _text_page(pdf, label("applicants", lang), [*app[:2], *body[k : k + per_page], *notes], size=size,
                       landscape=True)  # fmt: skip
        if not report.overrides.empty:
            lines = []
            for rec in report.overrides.to_dict("records"):
                now = label("passed" if rec["passed"] else "failed", lang)
                what = f"{label(rec['task'], lang)}: {indicator_label(rec['indicator'], lang)}"
                value = decimal(format_value(rec["indicator"], rec["value"]), lang)
                by = label("override_by", lang, assessor=rec["assessor"], at=local_time(rec.get("at"), lang))
                lines += [f"{rec['candidate_id']}  {what} = {value} -> {now}", *_wrap(f"({by})", 110),
                          *_wrap(str(rec["reason"]), 110), ""]  # fmt: skip
            _text_page(pdf, label("overrides_title", lang), lines, size=7.0)
        st = report.stats
        names = {t: label(t, lang) for t in set(st.get("task", []))}
        inds = {i: indicator_label(i, lang) for i in set(st.get("indicator", []))}
        tw = max([len(label("task", lang)), *map(len, names.values())]) + 2
        iw = max([len(label("indicator", lang)), *map(len, inds.values())]) + 2
        lines = [f"{label('task', lang):<{tw}}{label('indicator', lang):<{iw}}{'n':>5}"
                 + "".join(f"{label(c, lang)[:10]:>11}" for c in ("mean", "sd", "median", "q1", "q3"))
                 + f"{label('pass_rate', lang)[:16]:>17}"]  # fmt: skip
        for rec in st.to_dict("records"):
            pr = "" if rec["pass_rate"] != rec["pass_rate"] else percent(rec["pass_rate"], 1, lang)
            ind = rec["indicator"]
            lines.append(f"{names[rec['task']]:<{tw}}{inds[ind]:<{iw}}{rec['n']:>5}" + "".join(
                f"{decimal(format_value(ind, rec[c]), lang):>11}" for c in ("mean", "sd", "median", "q1", "q3"))
                + f"{pr:>17}")  # fmt: skip
        _text_page(pdf, label("statistics", lang), lines, size=6.5)
        _text_page(pdf, label("reliability_title", lang), _reliability_lines(report), size=7.0)
    return path


def _wrap(text: str, width: int, indent: int = 2) -> list[str]:
    import textwrap

    return [" " * indent + line for line in textwrap.wrap(text, width, break_on_hyphens=False)]


def _generated(report: CohortReport) -> str:
    """When the report was made, in the reader's time (Brussels in Dutch and French, UTC in English)."""
    text = local_time(report.generated_at, report.lang)
    return f"{text} ({label('local_time', report.lang)})" if report.lang in ("nl", "fr") else text


def write_tables(report: CohortReport, out_dir: str | Path, formats: Sequence[str] = ("csv", "xlsx"),
                 stem: str = "report") -> list[Path]:  # fmt: skip
    """Write the report's tables: ``<stem>_<table>.csv`` each, one ``<stem>.xlsx`` with a sheet each,
    and with "parquet" in ``formats`` ``<stem>_<table>.parquet`` each."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = {
        "decisions": report.decisions,
        "competences": report.competences,
        "overrides": report.overrides.rename(columns={"reason": "override_reason", "assessor": "override_by",
                                                      "at": "override_at"}),
        "applicants": _export_frame(report.applicants),
        "statistics": report.stats,
        "multitask": report.multitask,
        "thresholds": report.thresholds,
    }
    if report.reliability is not None:
        tables["reliability"] = report.reliability
    written: list[Path] = []
    if "csv" in formats:
        for name, frame in tables.items():
            p = out_dir / f"{stem}_{name}.csv"
            frame.to_csv(p, index=False)
            written.append(p)
    if "xlsx" in formats:
        p = out_dir / f"{stem}.xlsx"  # header frozen and filtered, widths, rates as percent, local time
        write_xlsx(p, {name: _export_frame(frame) for name, frame in tables.items()}, report.lang)
        written.append(p)
    if "parquet" in formats:
        for name, frame in tables.items():
            p = out_dir / f"{stem}_{name}.parquet"
            frame.to_parquet(p, index=False)
            written.append(p)
    return written


def _export_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with time zones dropped (Excel has none; the times are UTC)."""
    out = frame.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].dt.tz_convert("UTC").dt.tz_localize(None)
    return out


def write_applicant_pdf(
    candidate_id: str,
    comparison: pd.DataFrame,
    ranking: pd.DataFrame,
    path: str | Path,
    *,
    lang: str = "nl",
    overrides: pd.DataFrame | None = None,
    cohort: str | None = None,
    test_date: Any = None,
    battery: str | None = None,
) -> Path:
    """One A4 page for one applicant: test date, battery, overall decision, each judged figure with
    its verdict and percentile, rank and rule; long labels and override reasons wrap (with the
    assessor and the time), nothing is cut."""
    import textwrap

    path = Path(path)
    mine = comparison[comparison["candidate_id"] == candidate_id].sort_values(["competences", "task", "indicator"])
    rank = ranking[ranking["candidate_id"] == candidate_id]
    title = label("applicant_title", lang, candidate=candidate_id)
    head = []
    if cohort:
        head.append(f"{label('cohort', lang)}: {cohort}")
    if test_date is not None:
        zone = f" ({label('local_time', lang)})" if lang in ("nl", "fr") else ""
        head.append(f"{label('test_date', lang)}: {local_time(test_date, lang)}{zone}")
    if battery:
        head.append(f"{label('battery', lang)}: {battery}")
    if not rank.empty:
        r = rank.iloc[0]
        if "overall_decision" in r and isinstance(r["overall_decision"], str):
            head.append(f"{label('overall_decision', lang)}: {label('decision_' + r['overall_decision'], lang)}")
        head.append(f"{label('rank', lang)}: {r['rank']} / {len(ranking)}   {label('qualification_passed', lang)}: "
                    f"{r['qualification_passed']}/{r['qualification_judged']}   {label('thresholds_passed', lang)}: "
                    f"{r['thresholds_passed']}/{r['thresholds_judged']}")  # fmt: skip
    if not mine.empty and "percentile_reference" in mine.columns:  # the group every P is ranked in
        head.append(f"{label('percentile', lang)} (P): {reference_label(mine['percentile_reference'].iloc[0], lang)}, "
                    f"n={int(mine['percentile_n'].max())}")  # fmt: skip
    head += [f"{label('ranking_rule', lang)}:", *_wrap(label("ranking_rule_text", lang), 100)]
    # column widths in characters of the monospaced face; a cell wraps within its width
    widths = {"competence": 16, "indicator": 38, "value": 10, "threshold": 12, "verdict": 17, "percentile": 4}
    right = {"value", "threshold", "percentile"}

    def cells_to_lines(cells: Mapping[str, str]) -> list[str]:
        wrapped = {c: textwrap.wrap(str(cells.get(c, "")), w, break_on_hyphens=False) or [""]
                   for c, w in widths.items()}  # fmt: skip
        out = []
        for k in range(max(len(v) for v in wrapped.values())):
            parts = []
            for c, w in widths.items():
                text = wrapped[c][k] if k < len(wrapped[c]) else ""
                parts.append(f"{text:>{w}}" if c in right else f"{text:<{w}}")
            out.append(" ".join(parts))
        return out

    header = cells_to_lines({"competence": label("competence", lang), "indicator": label("indicator", lang),
                             "value": label("value", lang), "threshold": label("threshold", lang),
                             "verdict": label("verdict", lang), "percentile": "P"})  # fmt: skip
    rows: list[tuple[list[str], float, Any]] = []
    for rec in mine.to_dict("records"):
        p = rec["passed"]
        verdict_text = label("undetermined", lang) if p is None else label("passed" if p else "failed", lang)
        decision = rec.get("decision")
        if isinstance(decision, str) and decision in ("borderline", "insufficient"):
            verdict_text += f" ({label('decision_' + decision, lang)})"
        if rec["overridden"]:
            verdict_text += " *"
        pct = rec["percentile"]
        cells = {"competence": "; ".join(str(rec["competences"] or "").split("; ")),
                 # "(worst of N attempts)": the value shown is the attempt that decided the verdict
                 "indicator": f"{label(rec['task'], lang)}: {indicator_label(rec['indicator'], lang)}"
                              + _worst_note(rec, lang),
                 "value": decimal(format_value(rec["indicator"], rec["value"]), lang),
                 "threshold": decimal(f"{rec['comparison']} {format_value(rec['indicator'], rec['threshold'])}", lang),
                 "verdict": verdict_text, "percentile": "-" if pct != pct else f"{pct:.0f}"}  # fmt: skip
        rows.append((cells_to_lines(cells), pct, p))
    notes = _override_notes(candidate_id, mine, overrides, lang)
    codes = sorted({c for v in mine["competences"].dropna() for c in str(v).split("; ") if c})
    words = [x for c in codes for x in _wrap(competence_label(c, lang), 105, indent=0)]
    texts = [title, *head, *header, *(t for lines, _, _ in rows for t in lines), *notes, *words,
             label("override_note", lang)]  # fmt: skip
    # one monospaced face for the whole page: with PDF's built-in Courier (no kerning table to
    # parse, nothing to embed) twenty applicant pages take a fraction of a second
    with _quiet_font_lookup(), mpl.rc_context({**_pdf_rc(texts), "font.family": "monospace"}):
        fig = Figure(figsize=A4_PORTRAIT)
        height = A4_PORTRAIT[1]
        step = 7 * 1.25 / 72 / height  # one 7-point line, in figure fractions
        fig.text(0.06, 0.965, title, fontsize=15, va="top")
        fig.text(0.06, 0.93, "\n".join(head), fontsize=8, va="top")
        top = 0.93 - (len(head) + 1.5) * 8 * 1.25 / 72 / height
        fig.text(0.06, top, "\n".join(header), family="monospace", fontsize=7, va="top")
        y = top - len(header) * step - 0.004
        fig.lines.append(Line2D([0.06, 0.95], [y] * 2, transform=fig.transFigure, color="#000000", linewidth=0.5))
        x0, width = 0.795, 0.16  # the percentile bars, 0-100
        first = y
        for lines, pct, passed in rows:
            y -= 0.004
            fig.text(0.06, y, "\n".join(lines), family="monospace", fontsize=7, va="top")
            if pct == pct:
                style = plots.VERDICT_STYLE[plots._verdict_key(passed)]
                fig.patches.append(Rectangle((x0, y - step * 0.85), width * pct / 100, step * 0.7,
                                             transform=fig.transFigure, facecolor=style["color"], edgecolor="#000000",
                                             linewidth=0.5, hatch=None if passed else plots.HATCHES[2]))  # fmt: skip
            y -= len(lines) * step
        bottom = y - 0.004
        fig.lines.append(Line2D([x0 + width / 2] * 2, [bottom, first], transform=fig.transFigure, color="#000000",
                                linestyle=":", linewidth=0.8))  # fmt: skip
        fig.text(x0, bottom - 0.004, f"{label('percentile', lang)} 0", fontsize=6, va="top")
        fig.text(x0 + width, bottom - 0.004, "100", fontsize=6, va="top", ha="right")
        below = [f"{label('competence', lang)}:", *words]
        if notes:
            below += ["", label("override_note", lang), *notes]
        fig.text(0.06, bottom - 0.03, "\n".join(below), fontsize=7, va="top")
        fig.savefig(path, format="pdf")
    return path


def _worst_note(rec: Mapping[str, Any], lang: str) -> str:
    """" (worst of N attempts)" after a value that is the deciding one of N attempts (``value_basis``)."""
    if rec.get("value_basis") != "worst":
        return ""
    return f" ({label('worst_of', lang, n=int(rec['n_attempts']))})"


def _override_notes(candidate_id: str, mine: pd.DataFrame, overrides: pd.DataFrame | None, lang: str) -> list[str]:
    """The applicant page's override notes, each reason wrapped, the assessor and time on the first line.

    From the comparison's own ``override_reason/by/at`` columns where present (so the page and
    the export agree), else from ``overrides`` (with ``candidate_id``). A task whose verdict
    holds several overrides (one per attempt) gets a note for each: from the ``overrides`` rows
    with those times where given (each with its own pass or fail), else by splitting the
    "; "-joined columns, which ``decisions.decided_summary`` writes in one order."""
    found: list[tuple[str, Any, Any, Any, Any]] = []
    if "override_reason" in mine.columns:
        for rec in mine[mine["overridden"].fillna(False).astype(bool)].to_dict("records"):
            what = f"{label(rec['task'], lang)}: {indicator_label(rec['indicator'], lang)}"
            found += _each_override(candidate_id, rec, what, overrides)
    elif overrides is not None and len(overrides):
        shown = set(mine["indicator"])
        for rec in overrides.to_dict("records"):
            if rec.get("candidate_id") == candidate_id and rec["indicator"] in shown:
                found.append((indicator_label(rec["indicator"], lang), rec["passed"], rec.get("reason"),
                              rec.get("assessor"), rec.get("at")))  # fmt: skip
    notes = []
    for what, passed, reason, by, at in found:
        # None: one of several overrides read from the joined columns, its own verdict unknown here
        state = "" if passed is None else f": {label('passed' if passed else 'failed', lang)}"
        who = label("override_by", lang, assessor=by or "–", at=local_time(at, lang))
        notes.append(f"* {what}{state} ({who})")
        notes += _wrap(str(reason or ""), 100, indent=4)
    return notes


def _each_override(candidate_id: str, rec: Mapping[str, Any], what: str, overrides: pd.DataFrame | None
                   ) -> list[tuple[str, Any, Any, Any, Any]]:  # fmt: skip
    """(what, passed, reason, assessor, time) of each override behind one comparison row."""
    reason, by, at = rec.get("override_reason"), rec.get("override_by"), rec.get("override_at")
    ats = str(at).split("; ") if isinstance(at, str) else [at]
    if len(ats) == 1:
        return [(what, rec["passed"], reason, by, at)]
    if overrides is not None and len(overrides) and "candidate_id" in overrides.columns:
        from typingtest.analysis.decisions import utc_text

        rows = overrides[(overrides["candidate_id"] == candidate_id) & (overrides["indicator"] == rec["indicator"])]
        rows = rows.assign(_at=[utc_text(t) for t in rows["at"]])
        rows = rows[rows["_at"].isin(ats)].drop_duplicates("_at", keep="last").set_index("_at")
        if len(rows) == len(ats):
            return [(what, _yes(rows.loc[t, "passed"]), rows.loc[t, "reason"], rows.loc[t, "assessor"], t)
                    for t in ats]  # fmt: skip
    # without the rows, each override's own pass or fail is not known (the row's verdict is the
    # task's, after all of them): the notes name who and when, not a verdict per override
    bys = str(by).split("; ")
    reasons = str(reason).split("; ")
    if len(bys) != len(ats) or len(reasons) != len(ats):  # a "; " inside a text: keep the texts whole
        return [(what, None, reason, by, ats[-1])]
    return [(what, None, r, b, t) for r, b, t in zip(reasons, bys, ats, strict=True)]


def _yes(value: Any) -> bool:
    """An override's ``passed`` as read from the store (bool) or a CSV file ("True", "pass", 1 ...)."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "pass")
    return bool(value)


def _pdf_rc(texts: Sequence[str]) -> dict[str, Any]:
    """Settings for a text-heavy PDF: PDF's built-in Helvetica/Courier when every text fits them.

    The built-in fonts need no embedding, which makes a page several times faster to write.
    matplotlib writes them in WinAnsiEncoding (cp1252: Latin-1 with the dashes, quotes, "…" and
    "€"; the competence words' "–" is one), so that is the test; any other character (a Polish
    name in a reason, say) keeps matplotlib's embedded DejaVu.
    """
    try:
        for t in texts:
            str(t).encode("cp1252")
    except UnicodeEncodeError:
        return {}
    return {"pdf.use14corefonts": True, "font.family": "sans-serif", "font.sans-serif": ["Helvetica"],
            "font.monospace": ["Courier"], "axes.unicode_minus": False}  # fmt: skip


@contextmanager
def _quiet_font_lookup() -> Iterator[None]:
    """Silence matplotlib's "findfont: Failed to find font weight normal for Helvetica" notes.

    The built-in PDF fonts come in their own weights (Helvetica "medium"); matplotlib picks
    them correctly and logs each near-miss, which is noise on a command line.
    """
    logger = logging.getLogger("matplotlib.font_manager")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
