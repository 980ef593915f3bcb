"""Chart content read back from the Axes: threshold lines, one point per attempt, labels per language."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib.colors import to_hex
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from typingtest.analysis import plots
from typingtest.analysis.frame import filter_attempts, indicator_frame, read_attempts_csv
from typingtest.analysis.labels import _LABELS, LANGUAGES
from typingtest.analysis.progress import missed_fields, progress_frame, weakest_keys
from typingtest.analysis.stats import competence_pass_rates
from typingtest.errors import UserError

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def cohort_a() -> pd.DataFrame:
    return filter_attempts(read_attempts_csv(DATA / "analysis_cohort.csv"), cohort="2026-A")


@pytest.fixture(scope="module")
def trainee() -> pd.DataFrame:
    return read_attempts_csv(DATA / "analysis_trainee.csv")


def _gid(ax: object, gid: str) -> list:
    return [a for a in ax.get_children() if a.get_gid() == gid]  # type: ignore[attr-defined]


def test_every_label_exists_in_every_language() -> None:
    keys = set(_LABELS["nl"])
    for lang in LANGUAGES:
        assert set(_LABELS[lang]) == keys, lang


def test_distribution_threshold_line_at_three_percent() -> None:
    ax = plots.plot_distribution([0.01, 0.03, 0.0301, 0.0, 0.02], "msd_error_rate", threshold=0.03, comparison="<=",
                                 lang="en")  # fmt: skip
    (line,) = _gid(ax, "threshold")
    assert isinstance(line, Line2D)
    assert np.allclose(line.get_xdata(), [3.0])  # 0.03 drawn in percent
    assert ax.get_xlabel() == "MSD error rate (%)" and ax.get_ylabel() == "count"
    bars = [p for p in ax.patches if p.get_gid() is None]
    assert sum(p.get_height() for p in bars) == 5  # one count per value
    # 0.03 is drawn on the passing side (left of the line), 0.0301 on the failing side
    left = sum(p.get_height() for p in bars if p.get_x() + p.get_width() <= 3.0 + 1e-9)
    assert left == 4
    (region,) = _gid(ax, "pass-region")
    assert region.get_x() + region.get_width() == pytest.approx(3.0)  # shaded up to the threshold


def test_distribution_labels_in_dutch() -> None:
    ax = plots.plot_distribution([30, 40], "net_wpm", threshold=30.0, comparison=">=")
    assert ax.get_xlabel() == "netto woorden per minuut"
    assert ax.get_ylabel() == "aantal"
    assert ax.get_title() == "Verdeling: netto woorden per minuut"
    (line,) = _gid(ax, "threshold")
    assert line.get_xdata()[0] == 30.0


def test_speed_vs_error_one_point_per_attempt(cohort_a: pd.DataFrame) -> None:
    copy = cohort_a[cohort_a["task"] == "copy-typing"].copy()
    copy["passed"] = [all(v["passed"] for v in vs) for vs in copy["verdicts"]]
    ax = plots.plot_speed_vs_error(copy, speed_threshold=30.0, error_threshold=0.03, lang="en")
    points = [c for c in _gid(ax, "attempts") if isinstance(c, PathCollection)]
    offsets = np.vstack([c.get_offsets() for c in points])
    assert len(offsets) == len(copy) == 5
    assert sorted(map(tuple, np.round(offsets, 4))) == sorted(
        zip(copy["net_wpm"], np.round(copy["msd_error_rate"] * 100, 4), strict=True)
    )
    lines = _gid(ax, "threshold")
    assert sorted(tuple(ln.get_xdata()) for ln in lines if ln.get_xdata()[0] == ln.get_xdata()[1]) == [(30.0, 30.0)]
    assert [ln.get_ydata()[0] for ln in lines if ln.get_ydata()[0] == ln.get_ydata()[1]] == [3.0]
    (region,) = _gid(ax, "pass-region")
    assert isinstance(region, Rectangle)
    assert (region.get_x(), region.get_y(), region.get_height()) == (30.0, 0.0, pytest.approx(3.0))
    assert ax.get_xlabel() == "net words per minute" and ax.get_ylabel() == "MSD error rate (%)"
    # colour is never the only cue: passed and failed differ in marker too
    assert len({tuple(np.round(c.get_paths()[0].vertices.flatten()[:6], 3)) for c in points}) == 2


def test_pass_rates_bars(cohort_a: pd.DataFrame) -> None:
    rates = competence_pass_rates(indicator_frame(cohort_a))
    ax = plots.plot_pass_rates(rates, lang="en")
    widths = {p.get_gid(): p.get_width() for p in ax.patches if str(p.get_gid()).startswith("bar:")}
    assert widths == {"bar:D140801 Id17267": 80.0, "bar:D140801 Id17425": 80.0, "bar:co 01669": 60.0,
                      "bar:co 01670": 60.0}  # fmt: skip
    hatches = {p.get_gid(): p.get_hatch() for p in ax.patches if str(p.get_gid()).startswith("bar:")}
    assert hatches["bar:D140801 Id17267"] != hatches["bar:co 01669"]  # qualification vs centre, without colour
    assert ax.get_xlabel() == "pass rate (%)"


def test_progress_threshold_and_points(trainee: pd.DataFrame) -> None:
    prog = progress_frame(trainee)
    ax = plots.plot_progress(prog, "msd_error_rate", lang="en")
    (line,) = _gid(ax, "threshold")
    assert line.get_ydata()[0] == pytest.approx(3.0)
    points = np.vstack([c.get_offsets() for c in _gid(ax, "attempts")])
    assert sorted(map(tuple, np.round(points, 4))) == [(1, 6.0), (2, 4.5), (3, 3.0), (4, 2.0)]
    assert ax.get_xlabel() == "session"
    ax = plots.plot_progress(prog, "net_wpm", lang="nl")
    assert _gid(ax, "threshold")[0].get_ydata()[0] == 30.0
    assert ax.get_xlabel() == "sessie" and ax.get_ylabel() == "netto woorden per minuut"


def test_task_trend_one_line_per_task(trainee: pd.DataFrame) -> None:
    ax = plots.plot_task_trend(progress_frame(trainee), "net_wpm", lang="en")
    lines = {ln.get_gid(): ln for ln in ax.get_lines()}
    assert set(lines) == {"task:copy-typing", "task:data-entry"}
    assert list(lines["task:data-entry"].get_ydata()) == [20.0, 23.5, 27.0, 30.0]
    assert lines["task:copy-typing"].get_marker() != lines["task:data-entry"].get_marker()


@pytest.mark.parametrize("layout", ["azerty-be", "qwerty-us", "qwertz-de"])
def test_keyboard_heatmap_on_each_layout(trainee: pd.DataFrame, layout: str) -> None:
    keys = weakest_keys(trainee)
    ax = plots.plot_keyboard_heatmap(keys, layout=layout, lang="en")
    faces = {p.get_gid(): to_hex(p.get_facecolor()) for p in ax.patches if str(p.get_gid()).startswith("key:")}
    assert faces["key:a"] != "#ffffff"  # "a" was missed 8 times
    assert faces["key:z"] == "#ffffff"  # never
    # the key with the most errors is the darkest (cividis_r: more = darker)
    assert faces["key:a"] == to_hex(plots.mpl.colormaps["cividis_r"](1.0))
    texts = {t.get_text() for t in ax.texts}
    assert "8" in texts and "6" in texts  # counts written on keys: readable without colour
    assert ax.get_title() == f"Weakest keys ({layout.upper()})"


def test_heatmap_dead_key_letters_count_on_their_letter() -> None:
    ax = plots.plot_keyboard_heatmap({"ê": 2.0}, layout="azerty-be")
    faces = {p.get_gid(): to_hex(p.get_facecolor()) for p in ax.patches if str(p.get_gid()).startswith("key:")}
    assert faces["key:e"] != "#ffffff"


def test_unknown_layout_is_a_user_error() -> None:
    with pytest.raises(UserError, match="dvorak"):
        plots.plot_keyboard_heatmap({"a": 1.0}, layout="dvorak")


def test_missed_fields_bars(cohort_a: pd.DataFrame) -> None:
    ax = plots.plot_missed_fields(missed_fields(cohort_a), lang="en")
    empty = [p.get_width() for p in ax.patches if p.get_gid() == "missed:empty"]
    wrong = [p.get_width() for p in ax.patches if p.get_gid() == "missed:wrong"]
    assert (empty[0], wrong[0]) == (0.0, pytest.approx(60.0))  # e-mail: 3 of 5 entered wrongly, none empty
    assert (empty[1], wrong[1]) == (pytest.approx(20.0), 0.0)  # phone: 1 of 5 left empty
    assert ax.get_yticklabels()[0].get_text() == "e-mail address"  # in words, not the field's key
    assert ax.get_title() == "Most-missed fields"


def test_plots_draw_on_a_given_axes() -> None:
    fig = plots.new_figure()
    ax = fig.add_subplot()
    assert plots.plot_distribution([1.0, 2.0], "pickup_time_s", ax=ax) is ax
