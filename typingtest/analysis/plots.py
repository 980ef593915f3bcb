"""Every chart of typingtest: each function takes ``ax=None`` and returns the axes.

Readable in black and white and by colour-blind readers: the Okabe-Ito palette, and every
category also told apart by marker, line style or hatch; heatmaps use ``cividis`` (its
lightness rises steadily, so grey print keeps the order). Titles and axis labels come from
``typingtest.analysis.labels`` in the report's language (``lang``: "nl" default, "en").
Artists that tests and readers look for carry a ``gid``: ``threshold`` (the threshold line),
``attempts`` (one point per attempt), ``pass-region``, ``key:<char>`` (a keyboard key),
``battery-change``, ``task:<task>``, ``missed:empty`` / ``missed:wrong``.
Rates are drawn in percent; numbers written on a chart have a decimal comma in Dutch and French.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from typingtest.analysis.labels import LOCAL_TIME_ZONE, decimal, field_label, indicator_label, label
from typingtest.vocabulary import in_percent

__all__ = [
    "HATCHES",
    "MARGINS",
    "MARKERS",
    "OKABE_ITO",
    "VERDICT_STYLE",
    "keyboard_rows",
    "new_figure",
    "plot_distribution",
    "plot_error_rates",
    "plot_keyboard_heatmap",
    "plot_missed_fields",
    "plot_pass_rates",
    "plot_progress",
    "plot_speed_vs_error",
    "plot_task_progress",
    "plot_task_trend",
    "scale_for",
]

#: Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINESTYLES = ("-", "--", "-.", ":")
HATCHES = ("//", "..", "xx", "\\\\", "oo", "++")
#: How a verdict is drawn: colour, marker, fill.
VERDICT_STYLE: dict[str, dict[str, Any]] = {
    "passed": {"color": OKABE_ITO[0], "marker": "o"},
    "failed": {"color": OKABE_ITO[1], "marker": "X"},
    "undetermined": {"color": "#777777", "marker": "^"},
}
THRESHOLD_STYLE = {"color": "#000000", "linestyle": "--", "linewidth": 1.6}


#: Margins (left, right, bottom, top) in inches around the axes of a figure of each kind. Fixed
#: margins instead of a layout engine: drawing a chart once, not twice (constrained layout
#: draws to measure), keeps a 1,000-candidate report within its time budget.
MARGINS: dict[str, tuple[float, float, float, float]] = {
    "default": (0.8, 0.2, 0.6, 0.4),
    "bars": (1.7, 0.3, 0.6, 0.4),
    "keyboard": (0.1, 0.1, 0.1, 0.4),
    "progress": (0.8, 0.2, 1.0, 0.4),
    "fields": (2.3, 0.3, 0.6, 0.4),
}


def _axes(ax: Axes | None, size: tuple[float, float] = (6.4, 4.0), kind: str = "default") -> Axes:
    if ax is not None:
        return ax
    return new_figure(*size, kind=kind).add_subplot()


def scale_for(indicator: str) -> float:
    """The factor an indicator is drawn with: 100 for rates and fractions (shown in percent), else 1."""
    return 100.0 if in_percent(indicator) else 1.0  # the registry's unit (typingtest.vocabulary)


def _unit_label(indicator: str, lang: str) -> str:
    text = indicator_label(indicator, lang)
    return f"{text} (%)" if scale_for(indicator) == 100.0 else text


def _verdict_key(passed: Any) -> str:
    if passed is None or (isinstance(passed, float) and np.isnan(passed)):
        return "undetermined"
    return "passed" if bool(passed) else "failed"


def plot_distribution(
    values: Sequence[float] | pd.Series,
    indicator: str,
    *,
    threshold: float | None = None,
    comparison: str | None = None,
    lang: str = "nl",
    bins: int | str = "auto",
    ax: Axes | None = None,
) -> Axes:
    """Histogram of one indicator's values (one per attempt or candidate) with the threshold drawn.

    The threshold line has gid ``threshold`` at ``threshold`` (in drawn units: percent for
    rates); the side that passes is shaded lightly (gid ``pass-region``).
    """
    ax = _axes(ax)
    scale = scale_for(indicator)
    data = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce").dropna(), float) * scale
    if data.size:
        edges: Any = bins
        drawn = data
        if threshold is not None and comparison in ("<=", ">="):
            # the threshold is a bin edge, and a value exactly on it is drawn on its passing side
            edges = _edges_at(data, threshold * scale, bins, comparison)
            if comparison == "<=":
                drawn = np.where(data == threshold * scale, np.nextafter(threshold * scale, -np.inf), data)
        ax.hist(drawn, bins=edges, color=OKABE_ITO[5], edgecolor="#000000", hatch=HATCHES[0], linewidth=0.8)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if threshold is not None:
        x = threshold * scale
        unit = " %" if scale == 100.0 else ""
        ax.axvline(x, gid="threshold", label=f"{label('threshold', lang)} {comparison or ''} {_fmt(x)}{unit}",
                   **THRESHOLD_STYLE)  # fmt: skip
        if comparison in ("<=", ">="):
            lo, hi = ax.get_xlim()
            lo, hi = min(lo, x), max(hi, x)
            span = (lo, x) if comparison == "<=" else (x, hi)
            ax.axvspan(*span, color=OKABE_ITO[2], alpha=0.12, gid="pass-region", label=label("pass_region", lang))
            ax.set_xlim(lo, hi)
        ax.legend(loc="best", fontsize="small")
    ax.set_title(label("distribution_title", lang, indicator=indicator_label(indicator, lang)))
    ax.set_xlabel(_unit_label(indicator, lang))
    ax.set_ylabel(label("count", lang))
    return ax


def _edges_at(data: np.ndarray, x: float, bins: int | str, comparison: str) -> np.ndarray:
    """Histogram bin edges of about numpy's ``bins`` width with ``x`` one of them, covering data and x."""
    lo, hi = float(min(data.min(), x)), float(max(data.max(), x))
    n = max(len(np.histogram_bin_edges(data, bins=bins)) - 1, 1)
    width = (hi - lo) / n if hi > lo else max(abs(x) * 0.05, 1e-3)
    k0 = int(np.floor((lo - x) / width))
    k1 = int(np.ceil((hi - x) / width))
    k0 = min(k0, -1) if comparison == "<=" else k0
    k1 = max(k1, 1) if comparison == ">=" else k1
    if k1 <= k0:
        k1 = k0 + 1
    return x + width * np.arange(k0, k1 + 1)


def plot_speed_vs_error(
    attempts: pd.DataFrame,
    *,
    speed: str = "net_wpm",
    error: str = "msd_error_rate",
    speed_threshold: float | None = None,
    error_threshold: float | None = None,
    passed: str | None = "passed",
    lang: str = "nl",
    ax: Axes | None = None,
) -> Axes:
    """One point per attempt: speed (x) against error rate (y, percent), the pass region shaded.

    ``attempts`` has columns ``speed`` and ``error`` (and ``passed``: the attempt's overall
    verdict, drawn as marker and colour). The pass region (speed >= speed threshold and
    error <= error threshold) is a hatched rectangle with gid ``pass-region``; the two
    threshold lines have gid ``threshold``. Every point collection has gid ``attempts``.
    """
    ax = _axes(ax)
    frame = attempts.dropna(subset=[speed, error])
    x = frame[speed].to_numpy(float)
    y = frame[error].to_numpy(float) * scale_for(error)
    keys = [_verdict_key(p) for p in frame[passed]] if passed and passed in frame else ["undetermined"] * len(frame)
    keys_arr = np.array(keys, dtype=object)
    for key, style in VERDICT_STYLE.items():
        sel = keys_arr == key
        if sel.any():
            ax.scatter(x[sel], y[sel], s=28, alpha=0.85, edgecolors="#000000", linewidths=0.4, gid="attempts",
                       label=label(key, lang), zorder=3, **style)  # fmt: skip
    xmax = max(float(np.nanmax(x)) if x.size else 0.0, speed_threshold or 0.0) * 1.1 + 1
    ymax = max(float(np.nanmax(y)) if y.size else 0.0, (error_threshold or 0.0) * 100) * 1.15 + 0.5
    if speed_threshold is not None and error_threshold is not None:
        ey = error_threshold * scale_for(error)
        ax.add_patch(
            Rectangle((speed_threshold, 0), xmax - speed_threshold, ey, facecolor=OKABE_ITO[2], alpha=0.15,
                      hatch=HATCHES[1], edgecolor=OKABE_ITO[2], gid="pass-region", label=label("pass_region", lang))
        )  # fmt: skip
    if speed_threshold is not None:
        ax.axvline(speed_threshold, gid="threshold", **THRESHOLD_STYLE)
    if error_threshold is not None:
        ax.axhline(error_threshold * scale_for(error), gid="threshold", **THRESHOLD_STYLE)
    ax.set_xlim(0, xmax)
    ax.set_ylim(-0.03 * ymax, ymax)  # a little room below 0 so error-free attempts show whole
    ax.set_title(label("speed_error_title", lang))
    ax.set_xlabel(_unit_label(speed, lang))
    ax.set_ylabel(_unit_label(error, lang))
    ax.legend(loc="upper right", fontsize="small")
    return ax


def plot_pass_rates(rates: pd.DataFrame, *, lang: str = "nl", ax: Axes | None = None) -> Axes:
    """Horizontal bars: pass rate (percent) per competence, hatched by the threshold's source.

    ``rates`` has columns competence, pass_rate, n_judged and source (``stats.competence_pass_rates``).
    """
    ax = _axes(ax, (7.0, 1.2 + 0.45 * len(rates)), kind="bars")
    frame = rates.reset_index(drop=True)
    ypos = np.arange(len(frame))
    for i, rec in frame.iterrows():
        qual = rec["source"] == "qualification"
        ax.barh(ypos[i], 100 * rec["pass_rate"], color=OKABE_ITO[0] if qual else OKABE_ITO[4], edgecolor="#000000",
                hatch=HATCHES[0] if qual else HATCHES[1], gid=f"bar:{rec['competence']}")  # fmt: skip
        ax.text(100 * rec["pass_rate"] + 1, ypos[i], f"{100 * rec['pass_rate']:.0f} % (n={rec['n_judged']})",
                va="center", fontsize="small")  # fmt: skip
    ax.set_yticks(ypos, [str(c) for c in frame["competence"]])
    ax.invert_yaxis()
    ax.set_xlim(0, 119)
    ax.set_xlabel(f"{label('pass_rate', lang)} (%)")
    ax.set_ylabel(label("competence", lang))
    ax.set_title(label("pass_rates_title", lang))
    handles = [
        Rectangle((0, 0), 1, 1, facecolor=OKABE_ITO[0], hatch=HATCHES[0], edgecolor="#000000"),
        Rectangle((0, 0), 1, 1, facecolor=OKABE_ITO[4], hatch=HATCHES[1], edgecolor="#000000"),
    ]
    ax.legend(handles, [label("qualification", lang), label("centre", lang)], loc="lower right", fontsize="small")
    return ax


def plot_progress(
    progress: pd.DataFrame,
    indicator: str,
    *,
    task: str | None = "copy-typing",
    threshold: float | None = None,
    lang: str = "nl",
    ax: Axes | None = None,
) -> Axes:
    """A trainee's ``indicator`` per session (x: session number), markers by verdict, threshold drawn.

    ``progress`` is ``progress.progress_frame`` output; ``threshold`` defaults to the stored one.
    """
    ax = _axes(ax)
    sel = progress[progress["indicator"] == indicator]
    if task is not None:
        sel = sel[sel["task"] == task]
    sel = sel.sort_values("session_number")
    scale = scale_for(indicator)
    x = sel["session_number"].to_numpy(int)
    y = sel["value"].to_numpy(float) * scale
    ax.plot(x, y, color=OKABE_ITO[0], linestyle="-", linewidth=1.4, zorder=2)
    for key, style in VERDICT_STYLE.items():
        mask = np.array([_verdict_key(p) == key for p in sel["passed"]], dtype=bool)
        if mask.any():
            ax.scatter(x[mask], y[mask], s=48, edgecolors="#000000", zorder=3, gid="attempts", label=label(key, lang),
                       **style)  # fmt: skip
    if threshold is None and sel["threshold"].notna().any():
        threshold = float(sel["threshold"].dropna().iloc[0])
    if threshold is not None:
        unit = " %" if scale == 100.0 else ""
        text = f"{label('threshold', lang)} {_fmt(threshold * scale)}{unit}"
        ax.axhline(threshold * scale, gid="threshold", label=text, **THRESHOLD_STYLE)
    if len(x):
        ax.set_xticks(x, [str(v) for v in x])
    ax.set_title(label("progress_title", lang, indicator=indicator_label(indicator, lang)))
    ax.set_xlabel(label("session", lang))
    ax.set_ylabel(_unit_label(indicator, lang))
    ax.legend(loc="best", fontsize="small")
    return ax


def plot_task_progress(
    progress: pd.DataFrame,
    indicator: str,
    *,
    tasks: Sequence[str] | None = None,
    lang: str = "nl",
    ax: Axes | None = None,
) -> Axes:
    """A trainee's ``indicator`` per session date, one line per task kind, each with its threshold.

    ``progress`` is ``progress.progress_frame`` output (columns date, task, value, passed,
    threshold, battery). Each task (default: every task that has the indicator) is a line with
    its own colour, marker and line style (gid ``task:<task>``); each point is marked by its
    verdict (o passed, X failed; gid ``attempts``); each task's threshold is a dashed line (gid
    ``threshold``, one line when the tasks share it); a session whose battery differs from the
    one before is a dotted vertical line (gid ``battery-change``) labelled with the new battery.
    Dates are Brussels local time in Dutch and French, UTC in English.
    """
    import matplotlib.dates as mdates

    ax = _axes(ax)
    sel = progress[progress["indicator"] == indicator].copy()
    if tasks is not None:
        sel = sel[sel["task"].isin(list(tasks))]
    shown = [t for t in ("copy-typing", "transcription", "data-entry", "call") if t in set(sel["task"])]
    shown += sorted(set(sel["task"]) - set(shown))
    dates = pd.to_datetime(sel["date"], utc=True)
    zone = LOCAL_TIME_ZONE if lang in ("nl", "fr") else "UTC"
    sel["_x"] = dates.dt.tz_convert(zone).dt.tz_localize(None)
    scale = scale_for(indicator)
    drawn_thresholds: dict[float, list[str]] = {}
    for i, task in enumerate(shown):
        frame = sel[sel["task"] == task].sort_values("_x")
        x = mdates.date2num(frame["_x"].to_numpy())
        y = frame["value"].to_numpy(float) * scale
        color = OKABE_ITO[i % len(OKABE_ITO)]
        ax.plot(x, y, color=color, linestyle=LINESTYLES[i % len(LINESTYLES)], linewidth=1.4, zorder=2,
                gid=f"task:{task}", label=label(task, lang))  # fmt: skip
        for key, style in VERDICT_STYLE.items():
            mask = np.array([_verdict_key(p) == key for p in frame["passed"]], dtype=bool)
            if mask.any():
                ax.scatter(x[mask], y[mask], s=46, marker=style["marker"], facecolor=color if key == "passed"
                           else "#ffffff", edgecolors=color if key != "failed" else "#000000", linewidths=1.2,
                           zorder=3, gid="attempts")  # fmt: skip
        limits = frame["threshold"].dropna()
        if len(limits):
            drawn_thresholds.setdefault(float(limits.iloc[0]), []).append(task)
    for threshold, on in drawn_thresholds.items():
        unit = " %" if scale == 100.0 else ""
        names = ", ".join(label(t, lang) for t in on)
        text = decimal(f"{label('threshold', lang)} {_fmt(threshold * scale)}{unit} ({names})", lang)
        ax.axhline(threshold * scale, gid="threshold", label=text, **THRESHOLD_STYLE)
    sessions = sel.drop_duplicates("session_id").sort_values("_x")
    previous = None
    for x_at, battery in zip(sessions["_x"], sessions.get("battery", pd.Series(dtype=object)), strict=False):
        if previous is not None and battery != previous:
            x = mdates.date2num(x_at)
            ax.axvline(x, color="#555555", linestyle=":", linewidth=1.2, gid="battery-change")
            ax.annotate(label("battery_change", lang, battery=battery), (x, 1.0), xycoords=("data", "axes fraction"),
                        xytext=(-2, -3), textcoords="offset points", fontsize="x-small", va="top", ha="right",
                        rotation=90)  # fmt: skip
        previous = battery
    for key in ("passed", "failed"):  # the verdict markers once in the legend, in black
        style = VERDICT_STYLE[key]
        ax.scatter([], [], marker=style["marker"], facecolor="#000000" if key == "passed" else "#ffffff",
                   edgecolors="#000000", label=label(key, lang))  # fmt: skip
    ticks = sorted(set(mdates.date2num(sessions["_x"].to_numpy())))
    if 0 < len(ticks) <= 12:  # one tick per session date
        ax.set_xticks(ticks)
        pad = max((ticks[-1] - ticks[0]) * 0.05, 1.0)
        ax.set_xlim(ticks[0] - pad, ticks[-1] + pad)
    else:
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=8))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d-%m-%Y" if lang == "nl" else "%d/%m/%Y" if lang == "fr"
                                                      else "%Y-%m-%d"))  # fmt: skip
    for tick in ax.get_xticklabels():
        tick.set_rotation(20)
        tick.set_ha("right")
    tasks_text = ", ".join(label(t, lang) for t in shown)
    ax.set_title(label("progress_tasks_title", lang, indicator=indicator_label(indicator, lang), tasks=tasks_text))
    ax.set_xlabel(label("date", lang))
    ax.set_ylabel(_unit_label(indicator, lang))
    if scale == 100.0:
        ax.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _pos: decimal(_fmt(round(v, 2)), lang)))
    ax.set_ylim(bottom=0)
    ax.legend(loc="best", fontsize="x-small")
    return ax


def plot_task_trend(progress: pd.DataFrame, indicator: str, *, lang: str = "nl", ax: Axes | None = None) -> Axes:
    """``indicator`` per session, one line per task (each with its own marker and line style)."""
    ax = _axes(ax)
    sel = progress[progress["indicator"] == indicator]
    scale = scale_for(indicator)
    for i, (task, frame) in enumerate(sel.groupby("task", sort=True)):
        frame = frame.sort_values("session_number")
        ax.plot(frame["session_number"], frame["value"] * scale, color=OKABE_ITO[i % len(OKABE_ITO)],
                marker=MARKERS[i % len(MARKERS)], linestyle=LINESTYLES[i % len(LINESTYLES)], gid=f"task:{task}",
                label=label(str(task), lang))  # fmt: skip
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(label("trend_title", lang, indicator=indicator_label(indicator, lang)))
    ax.set_xlabel(label("session", lang))
    ax.set_ylabel(_unit_label(indicator, lang))
    if len(sel):
        ax.legend(loc="best", fontsize="small")
    return ax


def plot_missed_fields(missed: pd.DataFrame, *, lang: str = "nl", top: int = 10, ax: Axes | None = None) -> Axes:
    """Horizontal bars: share of attempts (percent) in which each data field was missed (``progress.missed_fields``).

    Each bar is split into left empty (gid ``missed:empty``, hatch ``xx``) and entered wrongly
    (gid ``missed:wrong``, hatch ``..``); the fields are named in words (``labels.field_label``).
    """
    ax = _axes(ax, (6.4, 1.2 + 0.35 * min(len(missed), top)), kind="bars")
    frame = missed.head(top).reset_index(drop=True)
    ypos = np.arange(len(frame))
    n = frame["n_attempts"].to_numpy(float) if len(frame) else np.zeros(0)
    empty = 100 * frame["n_empty"].to_numpy(float) / np.where(n > 0, n, 1) if len(frame) else np.zeros(0)
    wrong = 100 * frame["n_wrong"].to_numpy(float) / np.where(n > 0, n, 1) if len(frame) else np.zeros(0)
    ax.barh(ypos, empty, color=OKABE_ITO[1], edgecolor="#000000", hatch=HATCHES[2], gid="missed:empty",
            label=label("empty", lang))  # fmt: skip
    ax.barh(ypos, wrong, left=empty, color=OKABE_ITO[4], edgecolor="#000000", hatch=HATCHES[1], gid="missed:wrong",
            label=label("wrong", lang))  # fmt: skip
    for y, e, w, k in zip(ypos, empty, wrong, n, strict=True):
        ax.text(e + w + 1, y, decimal(f"{_fmt(round(e + w, 1))} % (n={k:.0f})", lang), va="center",
                fontsize="small")  # fmt: skip
    ax.set_yticks(ypos, [field_label(str(f), lang) for f in frame["field"]])
    ax.invert_yaxis()
    ax.set_xlim(0, 119)
    ax.set_xlabel(f"{label('missed_share', lang)} (%)")
    ax.set_ylabel(label("field", lang))
    ax.set_title(label("missed_fields_title", lang))
    ax.legend(loc="lower right", fontsize="small")
    return ax


def plot_error_rates(
    rates: pd.DataFrame, *, title: str = "bigrams_title", lang: str = "nl", top: int = 10, ax: Axes | None = None
) -> Axes:
    """Horizontal bars: errors per occurrence (percent, shrunk; ``progress.key_error_rates`` or
    ``bigram_error_rates``) of the ``top`` weakest with enough occurrences, the raw rate as a
    marker (gid ``raw-rate``) and "errors/occurrences" written beside each bar."""
    frame = rates[rates["enough"].astype(bool)].head(top).reset_index(drop=True) if len(rates) else rates
    ax = _axes(ax, (6.4, 1.2 + 0.35 * max(len(frame), 1)), kind="bars")
    ypos = np.arange(len(frame))
    shrunk = 100 * frame["shrunk_error_rate"].to_numpy(float)
    ax.barh(ypos, shrunk, color=OKABE_ITO[0], edgecolor="#000000", hatch=HATCHES[0], gid="rates")
    ax.scatter(100 * frame["error_rate"].to_numpy(float), ypos, marker="|", s=120, color="#000000", zorder=3,
               gid="raw-rate")  # fmt: skip
    for y, r, e, n in zip(ypos, shrunk, frame["errors"], frame["occurrences"], strict=True):
        ax.text(r + 0.3, y, decimal(f"{r:.1f} % ({_fmt(round(float(e), 1))}/{n:.0f})", lang), va="center",
                fontsize="small")  # fmt: skip
    ax.set_yticks(ypos, [repr(str(v))[1:-1].replace(" ", "␣") for v in frame["intended"]])
    ax.invert_yaxis()
    ax.set_xlim(0, max(float(np.nanmax(shrunk)) * 1.35 if len(frame) else 1.0, 1.0))
    ax.set_xlabel(label("error_rate_per_occurrence", lang))
    ax.set_title(label(title, lang))
    return ax


def keyboard_rows(layout: str = "azerty-be") -> list[Any]:
    """The keys of ``layout`` from the engine (``typingtest.engine.layouts.get_layout``).

    Layout names are the engine's: "azerty-be" (default), "qwerty-us", "qwertz-de"; an
    unknown name is a UserError naming the known ones.
    """
    from typingtest.engine.layouts import LAYOUT_NAMES, get_layout
    from typingtest.errors import UserError

    try:
        return list(get_layout(layout).keys)
    except KeyError:
        raise UserError(f"layout: {layout!r} unknown; use one of {', '.join(LAYOUT_NAMES)}") from None



def draw_key(ax: Axes, key: Any, face: Any, gid: str, color: str) -> tuple[float, float]:
    """One key of ``keyboard_rows`` drawn at its place (1 unit = one key width; rows downwards):
    its outline filled with ``face``, its base character in ``color``; its lower-left corner."""
    x0, y0 = key.x - key.width / 2 + 0.04, -(key.y + 0.5) + 0.04
    ax.add_patch(Rectangle((x0, y0), key.width - 0.08, 0.92, facecolor=face, edgecolor="#000000", linewidth=0.7,
                           gid=gid))  # fmt: skip
    if key.chars:
        ax.text(x0 + 0.08, y0 + 0.58, key.chars.get("base", ""), fontsize=8, color=color)
    return x0, y0


def frame_keyboard(ax: Axes, keys: list[Any]) -> None:
    """Fit the axes to the keys drawn by ``draw_key``: equal aspect, no ticks, no frame."""
    right = max((k.x + k.width / 2 for k in keys), default=15.0)
    bottom = max((k.y + 0.5 for k in keys), default=5.0)
    ax.set_xlim(-0.1, right + 0.1)
    ax.set_ylim(-bottom - 0.1, 0.1)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_frame_on(False)

def plot_keyboard_heatmap(
    weights: Mapping[str, float] | pd.DataFrame,
    *,
    layout: str = "azerty-be",
    lang: str = "nl",
    min_count: float | None = None,
    prior: float | None = None,
    ax: Axes | None = None,
) -> Axes:
    """The keyboard of ``layout`` (the engine's) with each key shaded by the errors made on it.

    ``weights``: intended character -> weighted errors, or ``progress.weakest_keys`` output
    (columns intended, weight), or ``progress.key_error_rates`` output (columns intended,
    errors, occurrences): then each key shows its errors per keystroke in percent, summed
    over the characters typed on it and shrunk towards the trainee's overall rate
    (``progress.shrunk_rates`` with ``prior``); a key typed fewer than ``min_count`` times is
    left white with "n<min" on it. Upper-case and shifted characters count on their key;
    accented letters typed with a dead key (ê, ë) count on their letter's key. Each key is a
    rectangle with gid ``key:<base character or key id>``; its face colour comes from
    ``cividis`` and its figure is written on it, so the figure reads without colour.
    """
    from typingtest.analysis.progress import MIN_OCCURRENCES, PRIOR_OCCURRENCES, shrunk_rates
    from typingtest.engine.layouts import get_layout

    occurrences: dict[str, float] = {}
    if isinstance(weights, pd.DataFrame) and "occurrences" in weights and weights["occurrences"].notna().any():
        frame = weights[weights["occurrences"].notna()]
        occurrences = dict(zip(frame["intended"], frame["occurrences"].astype(float), strict=True))
        weights = dict(zip(frame["intended"], frame["errors"].astype(float), strict=True))
    elif isinstance(weights, pd.DataFrame):
        column = "weight" if "weight" in weights else "errors"
        weights = dict(zip(weights["intended"], weights[column], strict=True))
    per_key = bool(occurrences)
    ax = _axes(ax, (8.0, 3.4), kind="keyboard")
    keys = keyboard_rows(layout)
    lay = get_layout(layout)

    def key_of(ch: str) -> str | None:
        strokes = lay.keystrokes_for(ch) if ch else None
        return strokes[-1][0].id if strokes else None  # the letter's key (after any dead key)

    totals: dict[str, float] = {}
    seen: dict[str, float] = {}
    for ch, w in weights.items():
        if (k := key_of(ch)) is not None:
            totals[k] = totals.get(k, 0.0) + float(w)
    for ch, n in occurrences.items():
        if (k := key_of(ch)) is not None:
            seen[k] = seen.get(k, 0.0) + float(n)
    minimum = MIN_OCCURRENCES if min_count is None else min_count
    if per_key:
        ids = sorted(seen)
        rates = shrunk_rates(pd.Series([totals.get(k, 0.0) for k in ids]), pd.Series([seen[k] for k in ids]),
                             PRIOR_OCCURRENCES if prior is None else prior)  # fmt: skip
        shown = {k: 100 * float(r) for k, r in zip(ids, rates, strict=True) if seen[k] >= minimum}
    else:
        shown = totals
    vmax = max(shown.values(), default=0.0) or 1.0
    cmap = mpl.colormaps["cividis_r"]
    for k in keys:
        w = shown.get(k.id, 0.0)
        typed = bool(k.chars)
        face = cmap(w / vmax) if w > 0 else ("#ffffff" if typed else "#eeeeee")
        dark = w / vmax > 0.55
        color = "#ffffff" if dark else "#000000"
        x0, y0 = draw_key(ax, k, face, f"key:{k.chars.get('base', k.id)}", color)
        if per_key and k.id in seen and k.id not in shown:
            ax.text(x0 + k.width - 0.16, y0 + 0.1, f"n<{minimum:.0f}", fontsize=5.5, ha="right", color="#555555")
        elif w > 0:
            text = decimal(f"{w:.1f}", lang) if per_key else decimal(_fmt(w), lang)
            ax.text(x0 + k.width - 0.16, y0 + 0.1, text, fontsize=6.5, ha="right", color=color)
    frame_keyboard(ax, keys)
    title = "key_rates_title" if per_key else "heatmap_title"
    ax.set_title(label(title, lang, layout=layout.upper()))
    sm = mpl.cm.ScalarMappable(cmap=cmap, norm=mpl.colors.Normalize(0, vmax))
    ax.figure.colorbar(sm, ax=ax, shrink=0.8, pad=0.01,
                       label=label("key_rates_colorbar" if per_key else "heatmap_colorbar", lang))  # fmt: skip
    return ax


def _fmt(x: float) -> str:
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.2f}".rstrip("0").rstrip(".")


def new_figure(width: float = 6.4, height: float = 4.0, kind: str = "default") -> Figure:
    """A figure (inches) not tied to pyplot's global state, with the fixed ``MARGINS`` of its ``kind``."""
    fig = Figure(figsize=(width, height))
    left, right, bottom, top = MARGINS.get(kind, MARGINS["default"])
    fig.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height)
    return fig
