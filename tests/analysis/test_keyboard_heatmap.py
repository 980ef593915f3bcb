"""Issue 14, item 5: the trainer view. The learner model as keyboard heatmaps of error rate and of
slowness on the trainee's layout, the drills done, the targeted keys against the rest, and the
passage (parallel form) of each session, in the progress outputs.

The simulated trainee: the virtual typist (``simulate.typist``, "average" band) with the keys e
and k failing at 50 % per keystroke (measured far lower: insertions and doubled letters count
against no intended key), three sessions of the default battery's copy typing (the third on the
parallel form nl-copy-05) and one practice drill targeting e and k.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgb

from typingtest.analysis.heatmap import ERROR_MARGIN, key_figures, plot_key_heatmap
from typingtest.analysis.plots import keyboard_rows
from typingtest.analysis.progress import drill_targets, drills_frame, session_forms, targeted_trend
from typingtest.analysis.progress_report import (
    TrainerData,
    learner_from_frame,
    progress_notes,
    trainer_charts,
    trainer_data,
    write_progress,
)
from typingtest.content import load_item
from typingtest.simulate.profiles import BAND_PROFILES
from typingtest.simulate.typist import type_text
from typingtest.store import Store
from typingtest.store.store import compute_metrics
from typingtest.training.learner import MIN_OCCURRENCES, LearnerModel

REPO = Path(__file__).resolve().parents[2]
WEAK = {"e": 0.5, "k": 0.5}


def _luminance(rgba: Any) -> float:
    r, g, b = to_rgb(rgba)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A real SQLite store holding the simulated trainee TR-0042 (see the module docstring)."""
    results = tmp_path_factory.mktemp("results")
    url = f"sqlite:///{(results / 'typingtest.sqlite').as_posix()}"
    store = Store(url, results, results / "signing.key", workstation="ws-test")
    store.ensure_candidate("TR-0042", "trainees")
    for k, item in enumerate(["nl-copy-01", "nl-copy-01", "nl-copy-05"]):
        text = load_item(item).text[:700]
        sid = store.start_session("TR-0042", "default", "hash", "ws-test", "nl")
        form = None if k < 2 else {"battery_item": "nl-copy-01", "item": item, "rule": "unseen-form"}
        rec = store.begin_attempt(sid, "copy-typing", item, False,
                                  {"presented": text, "target": "copy", "parallel_form": form})  # fmt: skip
        att = type_text(text, BAND_PROFILES["average"], seed=40 + k, target="copy", key_error_rates=WEAK)
        rec.finish(att.log, compute_metrics(text, att.log, "copy"), [], None)
        store.end_session(sid, "complete")
        if k == 1:  # a practice session: one drill on e and k
            drill = "kek keel leek kerk deken koken ekster kelder stekker "
            sid = store.start_session("TR-0042", "practice", None, "ws-test", "nl")
            targets = [{"key": "e", "error_rate": 0.2, "occurrences": 90}, {"key": "k", "error_rate": 0.18}]
            rec = store.begin_attempt(sid, "drill", "drill", True, {"presented": drill, "target": "copy",
                                                                   "targets": targets})  # fmt: skip
            att = type_text(drill, BAND_PROFILES["average"], seed=7, target="copy", key_error_rates=WEAK)
            rec.finish(att.log, compute_metrics(drill, att.log, "copy"), [], None)
            store.end_session(sid, "complete")
    store.close()
    return url


@pytest.fixture(scope="module")
def trainer(store_url: str, tmp_path_factory: pytest.TempPathFactory) -> TrainerData:
    results = tmp_path_factory.mktemp("r2")
    store = Store(store_url, results, results / "signing.key")
    try:
        return trainer_data(store, "TR-0042")
    finally:
        store.close()


def test_one_patch_per_key_of_the_layout(trainer: TrainerData) -> None:
    for layout in ("azerty-be", "qwerty-us", "qwertz-de"):
        figures = key_figures(trainer.model, layout)
        assert len(figures) == len(keyboard_rows(layout))
        for measure in ("error", "slowness"):
            ax = plot_key_heatmap(figures, measure, layout=layout, overall_interval_s=trainer.model.median_interval_s)
            keys = [p for p in ax.patches if str(p.get_gid()).startswith("key:")]
            assert sorted(p.get_gid() for p in keys) == sorted(f"key:{k.id}" for k in keyboard_rows(layout))


def test_colours_ordered_like_the_rates_darkest_highest(trainer: TrainerData) -> None:
    figures = key_figures(trainer.model, "azerty-be")
    ax = plot_key_heatmap(figures, "error", layout="azerty-be")
    faces = {p.get_gid()[4:]: p.get_facecolor() for p in ax.patches if str(p.get_gid()).startswith("key:")}
    shown = figures[figures["enough"]].sort_values("shrunk_error_rate")
    lum = [_luminance(faces[k]) for k in shown["key_id"]]
    assert len(lum) >= 10
    # higher rate, darker colour (luminance never rises along the rates; equal rates equal colours)
    assert all(b <= a + 1e-9 for a, b in itertools.pairwise(lum))
    top = shown["key_id"].iloc[-1]
    assert _luminance(faces[top]) == min(lum)
    # the weak letters lead: e is on key D03 on AZERTY-BE, k on C08
    assert set(shown["key_id"].iloc[-2:]) == {"D03", "C08"}
    # the same for slowness (time into the key)
    ax = plot_key_heatmap(figures, "slowness", layout="azerty-be")
    faces = {p.get_gid()[4:]: p.get_facecolor() for p in ax.patches if str(p.get_gid()).startswith("key:")}
    timed = figures[figures["enough_intervals"]].sort_values("shrunk_interval_s")
    lum = [_luminance(faces[k]) for k in timed["key_id"]]
    assert all(b <= a + 1e-9 for a, b in itertools.pairwise(lum))


def test_few_occurrences_hatched_and_the_3_percent_line_on_the_scale(trainer: TrainerData) -> None:
    figures = key_figures(trainer.model, "azerty-be")
    ax = plot_key_heatmap(figures, "error", layout="azerty-be")
    hatched = {p.get_gid()[4:] for p in ax.patches if str(p.get_gid()).startswith("few:")}
    typed_keys = {k.id for k in keyboard_rows("azerty-be") if k.chars}
    few = set(figures.loc[~figures["enough"], "key_id"]) & typed_keys
    assert hatched == few and few  # every typed key below 20 occurrences, and only those
    assert (figures.loc[figures["key_id"].isin(few), "occurrences"] < MIN_OCCURRENCES).all()
    for p in ax.patches:
        if str(p.get_gid()).startswith("few:"):
            assert p.get_hatch() == "////"
    (bar,) = [a for a in ax.figure.axes if a.get_gid() == "scale:error"]
    (mark,) = [ln for ln in bar.get_lines() if ln.get_gid() == "scale-mark"]
    assert mark.get_ydata()[0] == pytest.approx(100 * ERROR_MARGIN)
    assert ax.get_legend() is not None and "minder dan 20" in ax.get_legend().get_texts()[0].get_text()


def test_key_figures_sum_the_characters_of_a_key_and_shrink_them() -> None:
    # by hand: "e" 8 errors / 40 and "E" 2 / 10 on key D03 (AZERTY-BE): 10 / 50 raw; overall p0 = 0.05
    # -> shrunk (10 + 20 x 0.05) / (50 + 20) = 11 / 70 = 0.15714
    keys = pd.DataFrame({"intended": ["e", "E", "a"], "errors": [8.0, 2.0, 0.0], "occurrences": [40.0, 10.0, 150.0],
                         "intervals": [30.0, 10.0, 0.0], "median_interval_s": [0.3, 0.5, np.nan],
                         "key_id": ["D03", "D03", "D01"]})  # fmt: skip
    model = LearnerModel("x", "azerty-be", "nl", keys, pd.DataFrame(), 0.05, None, 0.2, 1, 0)
    f = key_figures(model).set_index("key_id")
    assert f.loc["D03", "errors"] == 10 and f.loc["D03", "occurrences"] == 50
    assert f.loc["D03", "shrunk_error_rate"] == pytest.approx(11 / 70)
    # time: (30 x 0.3 + 10 x 0.5) / 40 = 0.35 s over 40 intervals, shrunk (40 x 0.35 + 10 x 0.2) / 50 = 0.32
    assert f.loc["D03", "shrunk_interval_s"] == pytest.approx(0.32)
    assert f.loc["D01", "shrunk_error_rate"] == pytest.approx(1 / 170)  # (0 + 1) / 170
    assert not f.loc["D01", "enough_intervals"] and f.loc["D03", "enough_intervals"]


def test_drills_targets_read_defensively() -> None:
    assert drill_targets({"targets": [{"key": "e"}, "k", {"key": "e"}, 3, None]}) == ["e", "k"]
    assert drill_targets({"targets": "ek"}) == [] and drill_targets(None) == [] and drill_targets({}) == []
    assert drill_targets({"targets": {"key": "q"}}) == ["q"]


def test_drills_and_the_targeted_keys_against_the_rest(trainer: TrainerData) -> None:
    drills = drills_frame(trainer.attempts, trainer.metas)
    assert list(drills["targets"]) == ["e k"] and list(drills["task"]) == ["drill"]
    trend = targeted_trend(trainer.attempts, ["e", "k"])
    assert set(trend["group"]) == {"targeted", "other"}
    assert trend["session_number"].nunique() == 4  # three test sessions and the practice session
    per = trend.pivot(index="session_number", columns="group", values="error_rate")
    assert (per["targeted"] > per["other"]).all()  # e and k fail far more often than the rest


def test_session_forms_name_the_parallel_form(trainer: TrainerData) -> None:
    tests = trainer.attempts[~trainer.attempts["practice"]]
    forms = session_forms(tests)
    assert list(forms["item"]) == ["nl-copy-01", "nl-copy-01", "nl-copy-05"]
    assert list(forms["parallel"]) == [False, False, True]
    assert set(forms["battery_item"]) == {"nl-copy-01"}


def test_the_progress_output_of_a_simulated_trainee_holds_the_heatmaps(store_url: str, tmp_path: Path) -> None:
    store = Store(store_url, tmp_path, tmp_path / "signing.key")
    try:
        data = store.attempts_frame(candidate="TR-0042")
        written = write_progress(data, tmp_path / "out", lang="nl", store=store)
    finally:
        store.close()
    names = {p.name for p in written}
    assert {"keys_error_heatmap.png", "keys_error_heatmap.svg", "keys_slowness_heatmap.png",
            "targeted_keys_trend.png", "drills.csv", "learner_keys.csv", "forms.csv", "progress.pdf"} <= names
    svg = (tmp_path / "out" / "keys_error_heatmap.svg").read_text(encoding="utf-8")
    assert len(re.findall(r'id="key:', svg)) == len(keyboard_rows("azerty-be"))
    notes = (tmp_path / "out" / "progress_notes.txt").read_text(encoding="utf-8")
    assert "nl-copy-05 (parallelle vorm van nl-copy-01)" in notes
    assert "Gedane oefeningen" in notes and "doelen e k" in notes
    # the PDF: the notes page and one page per chart (the two maps and the trend among them)
    pages = len(re.findall(rb"/Type\s*/Page\b", (tmp_path / "out" / "progress.pdf").read_bytes()))
    assert pages == 1 + sum(1 for n in names if n.endswith(".png"))


def test_without_a_store_the_errors_map_from_the_frame(trainer: TrainerData) -> None:
    tests = trainer.attempts[~trainer.attempts["practice"]]
    texts = {i: load_item(i).text[:700] for i in ("nl-copy-01", "nl-copy-05")}
    model = learner_from_frame(tests, texts)
    assert model.key_error_rate is not None and model.median_interval_s is None  # no events: no typing times
    charts, tables = trainer_charts(tests, None, texts=texts)
    assert [c[0] for c in charts] == ["keys_error_heatmap"]  # no times, no drills in a test-only frame
    assert tables["drills"].empty
    assert "Nog geen oefeningen opgeslagen." in "\n".join(progress_notes(
        {"sessions": pd.DataFrame(columns=["passed"]), "repeated_passages": pd.DataFrame(),
         "weakest_keys": pd.DataFrame(columns=["occurrences"]), **tables}, "nl"))  # fmt: skip

