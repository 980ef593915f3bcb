"""The cohort page's charts as SVG text, drawn by the cohort report's own chart list and cached.

``cohort_charts(store, cohort, lang)`` returns ``{chart name: SVG}`` in the report's order
(``pass_rates``, ``speed_vs_error``, ``distribution:<task>:<indicator>`` with the threshold line):
the charts of ``analysis.report.build_cohort_report`` over the same attempts and overrides the
``report`` command reads, drawn by ``analysis.plots`` and saved with ``savefig(format="svg")``.
So a chart in the browser is the chart in the report.

Text stays text in the SVG (``svg.fonttype = "none"``: searchable, readable by a screen
reader, a third of the size); each chart has its own id salt, so several charts inline in one
page never share a clip-path id; no date in the metadata, so the same data gives the same bytes.

The charts are cached per (database, cohort, language) and drawn again when the cohort's
attempts or overrides change: ``cache_key`` asks the database for their counts, largest ids and
latest times, one cheap query each (an attempt stored, recovered or erased, an override
recorded, all change it).
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import matplotlib
from sqlalchemy import func, select

from typingtest.store import schema as S

__all__ = ["CHART_CACHE", "ChartCache", "cache_key", "charts_svg", "cohort_charts", "figure_svg"]


def cache_key(store: Any, cohort: str | None) -> tuple[Any, ...]:
    """What the cohort's charts depend on in the database, cheaply: (attempts: count, latest stored_at,
    largest id; overrides: count, largest id, latest time). ``cohort`` None: every cohort."""
    a, s, c, o = S.attempts, S.sessions, S.candidates, S.overrides
    attempts_q = (select(func.count(a.c.attempt_id), func.max(a.c.stored_at), func.max(a.c.attempt_id))
                  .select_from(a.join(s, a.c.session_id == s.c.session_id)
                               .join(c, s.c.candidate_id == c.c.candidate_id)))
    overrides_q = (select(func.count(o.c.override_id), func.max(o.c.override_id), func.max(o.c.at))
                   .select_from(o.join(a, o.c.attempt_id == a.c.attempt_id)
                                .join(s, a.c.session_id == s.c.session_id)
                                .join(c, s.c.candidate_id == c.c.candidate_id)))
    if cohort is not None:
        attempts_q = attempts_q.where(c.c.cohort == cohort)
        overrides_q = overrides_q.where(c.c.cohort == cohort)
    with store.engine.connect() as conn:
        return (*conn.execute(attempts_q).one(), *conn.execute(overrides_q).one())


def figure_svg(fig: Any, salt: str = "") -> str:
    """A matplotlib figure as an ``<svg>`` element (no XML prolog, text as text, ``role="img"`` and an
    ``aria-label`` from the axes' title). The figures are plain ``Figure`` objects, never pyplot's:
    nothing holds them after this, so nothing is left to close."""
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt or None}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    title = next((ax.get_title() for ax in fig.axes if ax.get_title()), "")
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    label = (title.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;"))
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def charts_svg(report: Any, salt: str = "") -> dict[str, str]:
    """Every chart of a ``CohortReport`` (``analysis.report``) as SVG text, by name, in the report's order."""
    from typingtest.analysis import plots

    out: dict[str, str] = {}
    for name, draw, size, kind in report.charts:
        ax = draw(ax=plots.new_figure(*size, kind=kind).add_subplot())
        out[name] = figure_svg(ax.figure, f"{salt}:{name}")
    return out


def _draw(store: Any, cohort: str | None, lang: str, thresholds: Any = None) -> dict[str, str]:
    """The charts drawn from the database (the ``report`` command's attempts and overrides)."""
    from typingtest.analysis.frame import filter_attempts, validate_attempts
    from typingtest.analysis.overrides import load_overrides
    from typingtest.analysis.report import build_cohort_report

    data = filter_attempts(validate_attempts(store.attempts_frame(cohort=cohort), "database"), cohort=cohort)
    if data.empty:
        return {}
    report = build_cohort_report(data, cohort=cohort, lang=lang, overrides=load_overrides(store),
                                 thresholds=thresholds)
    return charts_svg(report, salt=f"{cohort}:{lang}")


class ChartCache:
    """Charts per (database, cohort, language), drawn again when ``cache_key`` changes; at most
    ``size`` cohorts kept (least recently used dropped). Thread-safe: one drawing per cohort at a time,
    concurrent requests for it wait for that drawing instead of drawing it again."""

    def __init__(self, size: int = 32, draw: Callable[..., dict[str, str]] = _draw) -> None:
        self.size = size
        self.draw = draw
        #: Times the charts were drawn (cache misses), for tests and benchmarks.
        self.draws = 0
        self._entries: OrderedDict[tuple[str, str | None, str], tuple[tuple[Any, ...], dict[str, str]]] = \
            OrderedDict()
        self._lock = threading.Lock()
        self._drawing: dict[tuple[str, str | None, str], threading.Lock] = {}

    def get(self, store: Any, cohort: str | None, lang: str, thresholds: Any = None) -> dict[str, str]:
        """The charts of ``cohort`` in ``lang``, from the cache when the database has not changed."""
        where = (str(store.engine.url), cohort, lang)
        with self._lock:
            drawing = self._drawing.setdefault(where, threading.Lock())
        with drawing:
            key = cache_key(store, cohort)
            with self._lock:
                hit = self._entries.get(where)
                if hit is not None and hit[0] == key:
                    self._entries.move_to_end(where)
                    return dict(hit[1])
            charts = self.draw(store, cohort, lang, thresholds)
            with self._lock:
                self.draws += 1
                self._entries[where] = (key, charts)
                self._entries.move_to_end(where)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
            return dict(charts)

    def clear(self) -> None:
        """Forget every cohort's charts."""
        with self._lock:
            self._entries.clear()


matplotlib.use("Agg")  # a server draws to files only (and these figures are not pyplot's anyway)

#: The console's chart cache (one per process).
CHART_CACHE = ChartCache()


def cohort_charts(store: Any, cohort: str | None, lang: str = "nl", *, thresholds: Any = None,
                  cache: ChartCache | None = None) -> dict[str, str]:
    """The cohort report's charts as SVG text by name (see the module docstring); ``{}`` when the cohort
    has no complete, non-practice attempts. ``lang``: "nl", "fr" or "en". ``thresholds``
    (``config.load_thresholds``) only add the basis texts the report shows; the charts draw the
    stored verdicts' thresholds."""
    from typingtest.texts import LANGUAGES

    if lang not in LANGUAGES:
        raise ValueError(f"lang: {lang!r} is not one of {', '.join(LANGUAGES)}")
    return (cache or CHART_CACHE).get(store, cohort, lang, thresholds)
