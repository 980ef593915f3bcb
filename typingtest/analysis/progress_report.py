"""A trainee's progress files: each chart as PNG and SVG, all of them in one PDF, the tables as CSV.

The PDF opens with a page in words: each session with its date, battery and whether every
deciding verdict passed, the passages that came back (a practice effect) and what the next
session will present, and how the weakest keys are ranked (errors per keystroke, the prior).

The trainer view (issue 14, item 5; ``trainer_charts``): the learner model as keyboard heatmaps of
error rate and slowness (``analysis.heatmap``), the drills done, the targeted keys against the
rest per session, and the passage (parallel form) each session presented; from the store when
``write_progress`` is given it (``trainer_data``), else from the attempts frame alone.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from typingtest.analysis import plots
from typingtest.analysis.frame import indicator_frame
from typingtest.analysis.labels import decimal, label, local_time, percent
from typingtest.analysis.progress import (
    MIN_OCCURRENCES,
    PRIOR_OCCURRENCES,
    bigram_error_rates,
    key_error_rates,
    missed_fields,
    progress_frame,
    repeated_passages,
    session_verdicts,
)

__all__ = ["DEFAULT_LAYOUT", "PROGRESS_INDICATORS", "TrainerData", "learner_from_frame", "presented_texts",
           "progress_charts", "progress_notes", "recorded_layout", "trainer_charts", "trainer_data", "trainer_notes",
           "write_progress"]  # fmt: skip

DEFAULT_LAYOUT = "azerty-be"
#: The indicators drawn over time, one chart each with a line per task kind (the tasks given here).
PROGRESS_INDICATORS: dict[str, tuple[str, ...]] = {
    "net_wpm": ("copy-typing", "transcription"),
    "msd_error_rate": ("copy-typing", "transcription"),
    "field_error_rate": ("data-entry", "call"),
}

Chart = tuple[str, Callable[[Axes], Axes], tuple[float, float], str]


def recorded_layout(data: pd.DataFrame) -> str:
    """The keyboard layout recorded with the candidate's latest attempt (``metrics["layout"]``), else AZERTY-BE."""
    for metrics in data.sort_values("started_at", ascending=False)["metrics"]:
        if isinstance(metrics, dict):
            for key in ("layout", "keyboard_layout"):
                if isinstance(metrics.get(key), str) and metrics[key]:
                    return str(metrics[key])
    return DEFAULT_LAYOUT


def presented_texts(data: pd.DataFrame) -> dict[str, str]:
    """The presented text of each copy-typing and transcription item in ``data`` (shipped content), by item id."""
    from typingtest.content.loader import load_item

    texts: dict[str, str] = {}
    typed = data[data["task"].isin(["copy-typing", "transcription"])]
    for item in sorted({str(i) for i in typed["item"] if isinstance(i, str) and i}):
        try:
            texts[item] = str(load_item(item).reference)  # type: ignore[attr-defined]
        except Exception:  # an item no longer shipped: its bigrams are left out
            continue
    return texts


def progress_charts(
    data: pd.DataFrame,
    *,
    lang: str = "nl",
    layout: str | None = None,
    overrides: pd.DataFrame | None = None,
    texts: Mapping[str, str] | None = None,
    trainer: TrainerData | None = None,
) -> tuple[list[Chart], dict[str, pd.DataFrame]]:
    """The charts (name, draw(ax=...), size in inches, margins kind) and tables of one trainee's progress;
    then the trainer view (``trainer_charts``: from ``trainer``, else from ``data`` alone)."""
    long = indicator_frame(data, overrides=overrides)
    prog = progress_frame(data, long=long)
    keys = key_error_rates(data)
    bigrams = bigram_error_rates(data, presented_texts(data) if texts is None else texts)
    missed = missed_fields(data)
    layout = layout or recorded_layout(data)
    charts: list[Chart] = []
    for indicator, tasks in PROGRESS_INDICATORS.items():
        if ((prog["indicator"] == indicator) & prog["task"].isin(tasks)).any():
            draw = partial(plots.plot_task_progress, prog, indicator, tasks=tasks, lang=lang)
            charts.append((f"progress_{indicator}", draw, (7.0, 4.4), "progress"))
    draw = partial(plots.plot_keyboard_heatmap, keys, layout=layout, lang=lang)
    charts.append(("weakest_keys", draw, (8.0, 3.4), "keyboard"))
    if len(bigrams) and bigrams["enough"].any():
        charts.append(("weakest_bigrams", partial(plots.plot_error_rates, bigrams, lang=lang),
                       (6.4, 1.2 + 0.35 * min(int(bigrams["enough"].sum()), 10)), "bars"))  # fmt: skip
    if not missed.empty:
        charts.append(("missed_fields", partial(plots.plot_missed_fields, missed, lang=lang),
                       (7.0, 1.2 + 0.35 * min(len(missed), 10)), "fields"))  # fmt: skip
    tables = {"progress": prog, "sessions": session_verdicts(data, long=long), "weakest_keys": keys,
              "weakest_bigrams": bigrams, "missed_fields": missed,
              "repeated_passages": repeated_passages(data, metas=trainer.metas if trainer is not None else None)}
    more, extra = trainer_charts(data, trainer, lang=lang, layout=layout, texts=texts)
    return charts + more, {**tables, **extra}


def progress_notes(tables: Mapping[str, pd.DataFrame], lang: str = "nl") -> list[str]:
    """The progress PDF's first page in words: sessions, practice effect and next form, how keys are ranked."""
    lines = [f"{label('sessions_title', lang)}:"]
    for rec in tables["sessions"].to_dict("records"):
        verdict = (label("undetermined", lang) if rec["passed"] is None
                   else label("session_passed" if rec["passed"] else "session_failed", lang))  # fmt: skip
        failed = ""
        if rec["failed"]:
            what = ", ".join(_what(f, lang) for f in str(rec["failed"]).split("; "))
            failed = f" - {label('failed_on', lang, what=what)}"
        lines += _wrap(f"{rec['session_number']}. {local_time(rec['date'], lang)}  {label('battery', lang)} "
                       f"{rec['battery']}: {verdict} ({rec['n_passed']}/{rec['n_deciding']}){failed}", 2, hang=5)
    lines += _wrap(label("session_rule", lang), 2)
    lines += ["", f"{label('practice_title', lang)}:"]
    repeats = tables["repeated_passages"]
    if repeats.empty:
        lines += _wrap(label("no_repeats", lang), 2)
    for rec in repeats.to_dict("records"):
        task = label(str(rec["task"]), lang)
        lines += _wrap(label("practice_warning", lang, item=rec["item"], task=task, sessions=rec["sessions"]), 2)
        came_back = {"none": "came_back_none", "least-recently-seen": "came_back_cycle"}.get(rec.get("came_back_rule"))
        if came_back:  # from the parallel_form recorded with the attempts where it came back
            lines += _wrap(label(came_back, lang), 4)
        if rec.get("next_form"):  # what a retake through typingtest run presents (content.forms)
            key = "next_form_cycle" if rec.get("next_form_rule") == "least-recently-seen" else "next_form_unseen"
        else:
            key = "next_form_unknown" if rec["unseen"] else "next_form_none"
        lines += _wrap(label(key, lang, battery=rec["battery"], task=task, item=rec["item"], next=rec.get("next_form"),
                             unseen=str(rec["unseen"]).replace(";", ",")), 4)  # fmt: skip
    keys = tables["weakest_keys"]
    lines += ["", f"{label('weakest_keys_heading', lang)}:"]
    if len(keys) and keys["occurrences"].notna().any():
        known = keys[keys["occurrences"].notna()]
        overall = percent(float(known["errors"].sum()) / float(known["occurrences"].sum()), 1, lang)
        lines += _wrap(label("prior_note", lang, overall=overall, m=f"{PRIOR_OCCURRENCES:.0f}",
                             min=f"{MIN_OCCURRENCES:.0f}"), 2)  # fmt: skip
        for rec in keys[keys["enough"]].head(5).to_dict("records"):
            counts = decimal(f"{rec['errors']:.1f}", lang)
            lines.append(f"    {rec['intended']!r}: {percent(rec['shrunk_error_rate'], 1, lang)} "
                         f"({label('errors', lang)} {counts} / {label('occurrences', lang)} "
                         f"{rec['occurrences']:.0f})")  # fmt: skip
    else:
        lines += _wrap(label("no_occurrences", lang), 2)
    return lines + trainer_notes(tables, lang)


def _what(pair: str, lang: str) -> str:
    task, _, indicator = pair.partition(":")
    return f"{label(task, lang)} {label(indicator, lang)}"


def _wrap(text: str, indent: int, width: int = 96, hang: int = 0) -> list[str]:
    return textwrap.wrap(text, width, initial_indent=" " * indent, subsequent_indent=" " * (indent + hang),
                         break_on_hyphens=False, break_long_words=False)  # fmt: skip


def write_progress(
    data: pd.DataFrame,
    out_dir: str | Path,
    *,
    lang: str = "nl",
    layout: str | None = None,
    overrides: pd.DataFrame | None = None,
    texts: Mapping[str, str] | None = None,
    store: Any = None,
) -> list[Path]:
    """Write ``<chart>.png``, ``<chart>.svg``, ``progress.pdf`` (notes first), ``<table>.csv`` into ``out_dir``.

    ``store``: where ``data`` came from; the trainer view then reads the learner model with its
    typing times and the drills from it (``trainer_data``), else from ``data`` alone."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    trainer = None
    if store is not None and len(data):
        trainer = trainer_data(store, str(data["candidate_id"].iloc[0]), layout=layout)
    charts, tables = progress_charts(data, lang=lang, layout=layout, overrides=overrides, texts=texts,
                                     trainer=trainer)
    written: list[Path] = []
    with PdfPages(out / "progress.pdf", metadata={"Title": "typingtest progress", "Creator": "typingtest"}) as pdf:
        page = Figure(figsize=(8.27, 11.69))
        name = str(data["candidate_id"].iloc[0]) if len(data) else ""
        page.text(0.06, 0.965, f"{label('progress_title', lang, indicator=name)}", fontsize=13, weight="bold",
                  va="top")  # fmt: skip
        page.text(0.06, 0.93, "\n".join(progress_notes(tables, lang)), family="monospace", fontsize=7.5, va="top")
        pdf.savefig(page)
        for chart, draw, size, kind in charts:
            ax = draw(ax=plots.new_figure(*size, kind=kind).add_subplot())
            for ext in ("png", "svg"):
                path = out / f"{chart}.{ext}"
                ax.figure.savefig(path, format=ext, dpi=120)
                written.append(path)
            pdf.savefig(ax.figure)
    written.append(out / "progress.pdf")
    for table, frame in tables.items():
        path = out / f"{table}.csv"
        frame.to_csv(path, index=False)
        written.append(path)
    notes = out / "progress_notes.txt"
    notes.write_text("\n".join(progress_notes(tables, lang)) + "\n", encoding="utf-8")
    written.append(notes)
    return written





# ---- the trainer view (issue 14, item 5) --------------------------------------------------------------


@dataclass
class TrainerData:
    """What the trainer view draws beyond the test attempts: the learner model (tests and practice,
    typing times from the event logs), every attempt of the trainee (practice included) and each
    attempt's meta (the drills' targets)."""

    model: Any  # training.learner.LearnerModel
    attempts: pd.DataFrame
    metas: dict[str, Any] = field(default_factory=dict)


def trainer_data(store: Any, candidate_id: str, *, layout: str | None = None) -> TrainerData:
    """The learner model (``training.learner.learner_model``), the attempts (practice included) and
    their meta of ``candidate_id`` from ``store``."""
    from typingtest.analysis.frame import validate_attempts
    from typingtest.training.learner import attempt_meta, learner_model

    model = learner_model(store, candidate_id, layout=layout)
    frame = validate_attempts(store.attempts_frame(candidate=candidate_id, include_practice=True), "database")
    frame = frame[frame["state"] == "complete"]
    return TrainerData(model, frame, attempt_meta(store, [str(x) for x in frame["attempt_id"]]))


def learner_from_frame(data: pd.DataFrame, texts: Mapping[str, str] | None = None, *, layout: str | None = None
                       ) -> Any:  # fmt: skip
    """The learner model over the typed attempts of ``data`` alone (no event logs: error rates from
    the stored metrics, no typing times); ``texts`` item -> presented text (default: shipped)."""
    from typingtest.training.learner import TYPED_TASKS, AttemptInput, model_from_attempts

    texts = presented_texts(data) if texts is None else texts
    typed = data[data["task"].isin(TYPED_TASKS)] if len(data) else data
    inputs = [AttemptInput(presented=texts.get(str(r["item"]), ""), transcribed=str(r.get("transcribed") or ""),
                           metrics=r.get("metrics") if isinstance(r.get("metrics"), Mapping) else {},
                           task=str(r["task"]), practice=bool(r["practice"]), language=str(r.get("language") or ""))
              for r in typed.to_dict("records")]  # fmt: skip
    cid = str(data["candidate_id"].iloc[0]) if len(data) else ""
    return model_from_attempts(inputs, candidate_id=cid, layout=layout or recorded_layout(data))


def trainer_charts(
    data: pd.DataFrame,
    trainer: TrainerData | None = None,
    *,
    lang: str = "nl",
    layout: str | None = None,
    texts: Mapping[str, str] | None = None,
) -> tuple[list[Chart], dict[str, pd.DataFrame]]:
    """The trainer view's charts and tables: the learner model as keyboard heatmaps of error rate
    (``keys_error_heatmap``) and slowness (``keys_slowness_heatmap``, when typing times are known),
    the drills done (table ``drills``), the targeted keys against the rest per session
    (``targeted_keys_trend``) and the passage each session presented (table ``forms``)."""
    from typingtest.analysis import heatmap
    from typingtest.analysis.progress import drills_frame, session_forms, targeted_trend

    if trainer is None:
        trainer = TrainerData(learner_from_frame(data, texts, layout=layout), data, {})
    layout = layout or trainer.model.layout
    figures = heatmap.key_figures(trainer.model, layout)
    charts: list[Chart] = [("keys_error_heatmap", partial(heatmap.plot_key_heatmap, figures, "error", layout=layout,
                                                          lang=lang), (8.0, 3.9), "heatmap")]  # fmt: skip
    if figures["enough_intervals"].any():
        charts.append(("keys_slowness_heatmap", partial(heatmap.plot_key_heatmap, figures, "slowness", layout=layout,
                                                        lang=lang, overall_interval_s=trainer.model.median_interval_s),
                       (8.0, 3.9), "heatmap"))  # fmt: skip
    drills = drills_frame(trainer.attempts, trainer.metas)
    targets = [t for ts in drills["targets"] for t in str(ts).split() if t]
    targets = list(dict.fromkeys(targets))
    trend = targeted_trend(trainer.attempts, targets)
    if not trend.empty and set(trend["group"]) == {"targeted", "other"}:
        charts.append(("targeted_keys_trend", partial(heatmap.plot_targeted_trend, trend, targets, lang=lang),
                       (7.0, 4.4), "progress"))  # fmt: skip
    tables = {"learner_keys": figures, "drills": drills, "targeted_trend": trend, "forms": session_forms(data)}
    return charts, tables


def trainer_notes(tables: Mapping[str, pd.DataFrame], lang: str = "nl") -> list[str]:
    """The notes of the trainer view: the passage of each session (a parallel form named as one)
    and the drills done with their targets; empty when ``tables`` holds neither."""
    lines: list[str] = []
    forms = tables.get("forms")
    if forms is not None and len(forms):
        lines += ["", f"{label('forms_title', lang)}:"]
        for number, g in forms.groupby("session_number", sort=True):
            parts = [f"{label(str(r['task']), lang)} " + (label("form_instead", lang, item=r["item"],
                     battery_item=r["battery_item"]) if r["parallel"] else str(r["item"]))
                     for r in g.to_dict("records")]  # fmt: skip
            lines += _wrap(f"{number}. {label('forms_line', lang, forms='; '.join(parts))}", 2, hang=5)
    drills = tables.get("drills")
    if drills is not None:
        lines += ["", f"{label('drills_title', lang)}:"]
        if drills.empty:
            lines += _wrap(label("no_drills", lang), 2)
        for r in drills.to_dict("records"):
            wpm = r["net_wpm"]
            lines += _wrap(label("drill_line", lang, date=local_time(r["date"], lang), task=label(str(r["task"]), lang),
                                 item=r["item"], targets=r["targets"] or "-", errors=percent(r["msd_error_rate"], 1,
                                 lang), wpm="-" if wpm is None or wpm != wpm else decimal(f"{wpm:.0f}", lang)),
                           2, hang=4)  # fmt: skip
    return lines
