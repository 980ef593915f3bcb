"""A trainee's progress files: each chart as PNG and SVG, all of them in one PDF, the tables as CSV."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages

from typingtest.analysis import plots
from typingtest.analysis.frame import indicator_frame
from typingtest.analysis.progress import missed_fields, progress_frame, weakest_keys

__all__ = ["DEFAULT_LAYOUT", "progress_charts", "recorded_layout", "write_progress"]

DEFAULT_LAYOUT = "azerty-be"


def recorded_layout(data: pd.DataFrame) -> str:
    """The keyboard layout recorded with the candidate's latest attempt (``metrics["layout"]``), else AZERTY-BE."""
    for metrics in data.sort_values("started_at", ascending=False)["metrics"]:
        if isinstance(metrics, dict):
            for key in ("layout", "keyboard_layout"):
                if isinstance(metrics.get(key), str) and metrics[key]:
                    return str(metrics[key])
    return DEFAULT_LAYOUT


def progress_charts(
    data: pd.DataFrame,
    *,
    lang: str = "nl",
    layout: str | None = None,
    overrides: pd.DataFrame | None = None,
) -> tuple[list[tuple[str, Callable[[Axes], Axes], tuple[float, float], str]], dict[str, pd.DataFrame]]:
    """The charts (name, draw(ax=...), size in inches) and tables of one trainee's progress."""
    long = indicator_frame(data, overrides=overrides)
    prog = progress_frame(data, long=long)
    keys = weakest_keys(data, top=None)
    missed = missed_fields(data)
    layout = layout or recorded_layout(data)
    charts: list[tuple[str, Callable[[Axes], Axes], tuple[float, float], str]] = []
    copy = prog[prog["task"] == "copy-typing"]
    for indicator in ("net_wpm", "msd_error_rate"):
        if (copy["indicator"] == indicator).any():
            draw = partial(plots.plot_progress, prog, indicator, lang=lang)
            charts.append((f"progress_{indicator}", draw, (6.4, 4.0), "default"))
    for indicator in ("net_wpm", "msd_error_rate"):
        if prog.loc[prog["indicator"] == indicator, "task"].nunique() > 1:
            draw = partial(plots.plot_task_trend, prog, indicator, lang=lang)
            charts.append((f"trend_{indicator}", draw, (6.4, 4.0), "default"))
    draw = partial(plots.plot_keyboard_heatmap, keys, layout=layout, lang=lang)
    charts.append(("weakest_keys", draw, (8.0, 3.4), "keyboard"))
    if not missed.empty:
        charts.append(("missed_fields", partial(plots.plot_missed_fields, missed, lang=lang),
                       (6.4, 1.2 + 0.35 * min(len(missed), 10)), "bars"))  # fmt: skip
    return charts, {"progress": prog, "weakest_keys": keys, "missed_fields": missed}


def write_progress(
    data: pd.DataFrame,
    out_dir: str | Path,
    *,
    lang: str = "nl",
    layout: str | None = None,
    overrides: pd.DataFrame | None = None,
) -> list[Path]:
    """Write ``<chart>.png``, ``<chart>.svg``, ``progress.pdf`` and ``<table>.csv`` into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    charts, tables = progress_charts(data, lang=lang, layout=layout, overrides=overrides)
    written: list[Path] = []
    with PdfPages(out / "progress.pdf", metadata={"Title": "typingtest progress", "Creator": "typingtest"}) as pdf:
        for name, draw, size, kind in charts:
            ax = draw(ax=plots.new_figure(*size, kind=kind).add_subplot())
            for ext in ("png", "svg"):
                path = out / f"{name}.{ext}"
                ax.figure.savefig(path, format=ext, dpi=120)
                written.append(path)
            pdf.savefig(ax.figure)
    written.append(out / "progress.pdf")
    for name, frame in tables.items():
        path = out / f"{name}.csv"
        frame.to_csv(path, index=False)
        written.append(path)
    return written
