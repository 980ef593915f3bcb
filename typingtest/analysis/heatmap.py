"""The learner model on the keyboard: error rate and slowness per key of the trainee's layout.

``key_figures(model)`` sums the learner model's characters onto the physical keys of the
layout (``engine.layouts``: "E" and "é" typed with a dead key count on their letter's key, a
shifted character on its key) and shrinks each key's rate the model's way (Beta prior,
``PRIOR_OCCURRENCES`` pseudo-occurrences at the trainee's overall rate); the key's typing time
is the interval-weighted mean of its characters' median intervals, shrunk towards the overall
median with ``PRIOR_INTERVALS`` pseudo-intervals.

``plot_key_heatmap(figures, measure="error"|"slowness")`` draws the keyboard: one rectangle per
key of the layout (gid ``key:<key id>``), the colour from a sequential scale on which the
highest value is the darkest (``cividis_r`` for errors, ``magma_r`` for slowness), the figure
written on the key so it reads without colour, a colour bar as the legend with the 3 % line
(the qualification's error margin) marked on the error scale and the trainee's overall median
on the slowness scale. A key with fewer than ``MIN_OCCURRENCES`` occurrences (slowness: fewer
than ``MIN_INTERVALS`` intervals) is grey and hatched (gid ``few:<key id>`` on its hatch, "n<20"
on it): its figure is mostly the prior. Keys that type no character (Shift, Enter) are pale
and plain.

``heatmap_figure(model)`` puts both maps in one figure (the trainer view; the progress files
and the console's trainee page draw them).
"""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from typingtest.analysis.labels import decimal, label
from typingtest.analysis.plots import draw_key, frame_keyboard, keyboard_rows, new_figure
from typingtest.training.learner import MIN_OCCURRENCES, PRIOR_INTERVALS, PRIOR_OCCURRENCES

__all__ = [
    "ERROR_MARGIN",
    "KEY_FIGURE_COLUMNS",
    "MEASURES",
    "MIN_INTERVALS",
    "heatmap_figure",
    "key_figures",
    "plot_key_heatmap",
    "plot_targeted_trend",
]

#: The qualification's error margin (a fraction), marked on the error scale.
ERROR_MARGIN = 0.03
#: Fewer intervals than this (the prior's weight) and a key's typing time is mostly the prior: hatched.
MIN_INTERVALS = int(PRIOR_INTERVALS)
#: Per key: errors and occurrences weighted counts, rates fractions, intervals a count, times seconds.
KEY_FIGURE_COLUMNS = ("key_id", "base", "errors", "occurrences", "error_rate", "shrunk_error_rate", "enough",
                      "intervals", "interval_s", "shrunk_interval_s", "enough_intervals")  # fmt: skip
#: measure -> (column drawn, enough column, colour map, factor to the unit shown)
MEASURES: dict[str, tuple[str, str, str, float]] = {
    "error": ("shrunk_error_rate", "enough", "cividis_r", 100.0),  # percent
    "slowness": ("shrunk_interval_s", "enough_intervals", "magma_r", 1000.0),  # milliseconds
}


def key_figures(model: Any, layout: str | None = None) -> pd.DataFrame:
    """Per key of the layout (``KEY_FIGURE_COLUMNS``, every key, typed or not): the learner model's
    characters summed onto their key, the error rate and typing time shrunk the model's way."""
    layout = layout or model.layout
    keys = keyboard_rows(layout)
    chars = model.keys if "key_id" in model.keys else pd.DataFrame(columns=["key_id"])
    p0 = model.key_error_rate or 0.0
    t0 = model.median_interval_s
    rows = []
    for k in keys:
        mine = chars[chars["key_id"] == k.id]
        errors = float(mine["errors"].fillna(0).sum()) if len(mine) else 0.0
        occ = float(mine["occurrences"].fillna(0).sum()) if len(mine) else 0.0
        n = float(mine["intervals"].fillna(0).sum()) if len(mine) else 0.0
        timed = mine[mine["intervals"].fillna(0) > 0] if len(mine) else mine
        interval = (float(np.average(timed["median_interval_s"].astype(float),
                                     weights=timed["intervals"].astype(float))) if len(timed) else float("nan"))
        shrunk_t = ((n * interval + PRIOR_INTERVALS * t0) / (n + PRIOR_INTERVALS)
                    if t0 is not None and n > 0 else float("nan"))  # fmt: skip
        rows.append({
            "key_id": k.id, "base": k.chars.get("base", ""), "errors": errors, "occurrences": occ,
            "error_rate": errors / occ if occ > 0 else float("nan"),
            "shrunk_error_rate": ((errors + PRIOR_OCCURRENCES * p0) / (occ + PRIOR_OCCURRENCES) if occ > 0
                                  else float("nan")),
            "enough": occ >= MIN_OCCURRENCES, "intervals": n, "interval_s": interval, "shrunk_interval_s": shrunk_t,
            "enough_intervals": n >= MIN_INTERVALS,
        })  # fmt: skip
    return pd.DataFrame(rows, columns=list(KEY_FIGURE_COLUMNS))


def plot_key_heatmap(
    figures: pd.DataFrame,
    measure: str = "error",
    *,
    layout: str = "azerty-be",
    lang: str = "nl",
    overall_interval_s: float | None = None,
    ax: Axes | None = None,
) -> Axes:
    """The keyboard of ``layout`` coloured by ``measure`` ("error": shrunk errors per keystroke, %;
    "slowness": shrunk typing time into the key, ms) of ``key_figures`` output. Keys below the
    minimum count are grey and hatched; the colour bar is the legend (3 % marked on the error
    scale, ``overall_interval_s`` on the slowness scale)."""
    column, enough_col, cmap_name, factor = MEASURES[measure]
    ax = ax if ax is not None else new_figure(8.0, 3.4, kind="keyboard").add_subplot()
    by_id = figures.set_index("key_id")
    keys = keyboard_rows(layout)
    values: dict[str, float] = {}
    for k in keys:
        if k.id in by_id.index and bool(by_id.loc[k.id, enough_col]):
            v = float(by_id.loc[k.id, column])
            if v == v:  # NaN: no figure
                values[k.id] = v * factor
    lo = 0.0 if measure == "error" else min(values.values(), default=0.0)
    hi = max(values.values(), default=0.0)
    if measure == "error":
        hi = max(hi, 2 * ERROR_MARGIN * factor)  # the 3 % line always on the scale
    if hi <= lo:
        hi = lo + 1.0
    norm = mpl.colors.Normalize(lo, hi)
    cmap = mpl.colormaps[cmap_name]
    minimum = MIN_OCCURRENCES if measure == "error" else MIN_INTERVALS
    count_col = "occurrences" if measure == "error" else "intervals"
    for k in keys:
        typed = bool(k.chars)
        v = values.get(k.id)
        few = typed and v is None
        if v is not None:
            face: Any = cmap(norm(v))
        else:
            face = "#d9d9d9" if few else "#f4f4f4"
        dark = v is not None and norm(v) > 0.55
        color = "#ffffff" if dark else "#000000"
        x0, y0 = draw_key(ax, k, face, f"key:{k.id}", color)
        if few:
            ax.add_patch(Rectangle((x0, y0), k.width - 0.08, 0.92, facecolor="none", edgecolor="#888888",
                                   linewidth=0.0, hatch="////", gid=f"few:{k.id}"))  # fmt: skip
        if few:
            n = float(by_id.loc[k.id, count_col]) if k.id in by_id.index else 0.0
            ax.text(x0 + k.width - 0.16, y0 + 0.1, f"n<{minimum}" if n > 0 else "–", fontsize=5.5, ha="right",
                    color="#333333")  # fmt: skip
        elif v is not None:
            ax.text(x0 + k.width - 0.16, y0 + 0.1, decimal(f"{v:.1f}" if measure == "error" else f"{v:.0f}", lang),
                    fontsize=6.5, ha="right", color=color)  # fmt: skip
    frame_keyboard(ax, keys)
    ax.set_title(label(f"heatmap_{measure}_title", lang, layout=layout.upper()))
    sm = mpl.cm.ScalarMappable(cmap=cmap, norm=norm)
    bar = ax.figure.colorbar(sm, ax=ax, shrink=0.8, pad=0.01, label=label(f"heatmap_{measure}_scale", lang))
    bar.ax.set_gid(f"scale:{measure}")
    mark = ERROR_MARGIN * factor if measure == "error" else (
        overall_interval_s * factor if overall_interval_s is not None else None)  # fmt: skip
    if mark is not None and lo <= mark <= hi:
        bar.ax.axhline(mark, color="#000000", linestyle="-", linewidth=2.4, gid="scale-mark")
        text = "3 %" if measure == "error" else label("heatmap_overall", lang)
        bar.ax.text(-0.15, mark, text, transform=bar.ax.get_yaxis_transform(), ha="right", va="center",
                    fontsize=6.5)  # fmt: skip
    few_label = label("heatmap_few", lang, count=minimum, what=label(f"heatmap_{count_col}", lang))
    ax.legend(handles=[Patch(facecolor="#d9d9d9", edgecolor="#888888", hatch="////", label=few_label)],
              loc="upper left", bbox_to_anchor=(0.0, 0.0), fontsize=7, frameon=False)  # fmt: skip
    return ax


def heatmap_figure(model: Any, *, layout: str | None = None, lang: str = "nl") -> Figure:
    """Both maps of the trainee's learner model, errors above slowness (8 x 6.8 inches)."""
    layout = layout or model.layout
    figures = key_figures(model, layout)
    fig = Figure(figsize=(8.0, 6.8))
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.06, top=0.94, hspace=0.45)
    top, below = fig.add_subplot(2, 1, 1), fig.add_subplot(2, 1, 2)
    plot_key_heatmap(figures, "error", layout=layout, lang=lang, ax=top)
    plot_key_heatmap(figures, "slowness", layout=layout, lang=lang, overall_interval_s=model.median_interval_s,
                     ax=below)  # fmt: skip
    return fig


def plot_targeted_trend(trend: pd.DataFrame, targets: Any = (), *, lang: str = "nl", ax: Axes | None = None) -> Axes:
    """Errors per occurrence (%) per session of the targeted keys against every other key
    (``progress.targeted_trend`` output), one point per session (numbered, its start beneath:
    Brussels time in Dutch and French, UTC in English, ``labels.local_time``; a practice session
    and a test on one day stay apart), with the 3 % line. Lines have gid
    ``group:targeted`` and ``group:other``."""
    from typingtest.analysis.labels import local_time

    ax = ax if ax is not None else new_figure(7.0, 4.0, kind="progress").add_subplot()
    keys = " ".join(str(t) for t in targets if isinstance(t, str) and len(t) == 1)
    styles = {"targeted": ("#0072B2", "o", "-", label("targeted_keys", lang, keys=keys)),
              "other": ("#777777", "s", "--", label("other_keys", lang))}  # fmt: skip
    for group, (color, marker, style, text) in styles.items():
        g = trend[trend["group"] == group].sort_values("session_number")
        if not g.empty:
            ax.plot(g["session_number"].to_numpy(int), 100 * g["error_rate"].to_numpy(float), color=color,
                    marker=marker, linestyle=style, label=text, gid=f"group:{group}")  # fmt: skip
    ax.axhline(100 * ERROR_MARGIN, color="#000000", linestyle="--", linewidth=1.6, gid="threshold", label="3 %")
    sessions = trend.drop_duplicates("session_number").sort_values("session_number")
    ax.set_xticks(sessions["session_number"].to_numpy(int),
                  [f"{n}\n{local_time(d, lang)}" for n, d in zip(sessions["session_number"], sessions["date"],
                                                                 strict=True)], fontsize="small")  # fmt: skip
    ax.set_ylim(bottom=0)
    ax.set_ylabel(label("error_rate_per_occurrence", lang))
    ax.set_title(label("targeted_trend_title", lang))
    ax.legend(fontsize="small", loc="best")
    return ax
