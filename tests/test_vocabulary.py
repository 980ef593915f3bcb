"""The shared vocabulary (``typingtest.vocabulary``): one list of frame columns, one indicator registry.

What it checks: the store's frame and the analysis contract are the registry's one tuple; every
indicator of the shipped ``thresholds.toml``, every figure the engine emits or judges (run on
real content here, not listed by hand) and every indicator the analysis reads is in the registry
with its words in Dutch, French and English; the engine's own tables agree with it.
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import fields as dataclass_fields
from pathlib import Path

import numpy as np
import pytest

from typingtest.analysis import frame as analysis_frame
from typingtest.analysis import labels
from typingtest.config import load_thresholds
from typingtest.engine.events import EventKind as K
from typingtest.engine.events import make_log
from typingtest.texts import LANGUAGES
from typingtest.texts.reports import LABELS
from typingtest.vocabulary import (
    FRAME_COLUMNS,
    INDICATORS,
    METRIC_COLUMNS,
    competence_of,
    higher_is_better,
    in_percent,
    indicators_from,
)

sys.path.insert(0, str(Path(__file__).parent / "store"))  # the store tests' helpers
from store_testkit import PASSAGE, new_attempt, typing_log

THRESHOLDS_FILE = Path(__file__).parents[1] / "typingtest" / "thresholds.toml"


def _shipped_thresholds() -> dict[str, dict]:
    return tomllib.loads(THRESHOLDS_FILE.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- frame columns


def test_the_analysis_contract_is_the_registry_tuple() -> None:
    from typingtest.store import FRAME_COLUMNS as STORE_COLUMNS

    assert analysis_frame.ATTEMPT_COLUMNS is FRAME_COLUMNS
    assert STORE_COLUMNS is FRAME_COLUMNS
    assert len(set(FRAME_COLUMNS)) == len(FRAME_COLUMNS)
    assert METRIC_COLUMNS == ("wpm", "gross_wpm", "net_wpm", "msd_error_rate", "uncorrected_error_rate",
                              "corrected_error_rate", "total_error_rate", "kspc", "iki_mean_ms", "iki_sd_ms")


def test_a_real_sqlite_store_frame_has_exactly_the_registry_columns(results_dir: Path) -> None:
    from typingtest.store import Store

    store = Store(f"sqlite:///{(results_dir / 'typingtest.sqlite').as_posix()}", results_dir,
                  results_dir / "signing.key", workstation="ws-test")
    try:
        _, rec = new_attempt(store)
        log = typing_log()
        for row in log:
            rec.append(row)
        metrics = {"wpm": 61.5, "net_wpm": 60.0, "msd_error_rate": 0.0, "chars_judged": len(PASSAGE)}
        rec.finish(log, metrics, [], None)
        frame = store.attempts_frame()
    finally:
        store.close()
    assert list(frame.columns) == list(FRAME_COLUMNS)
    assert len(frame) == 1
    assert frame["net_wpm"].iloc[0] == 60.0  # a metric column read from the stored metrics
    assert np.isnan(frame["kspc"].iloc[0])  # a metric the attempt did not store: NaN
    assert all(frame[c].dtype == "float64" for c in METRIC_COLUMNS)
    # and the analysis takes it in as it is
    assert list(analysis_frame.validate_attempts(frame).columns) == list(FRAME_COLUMNS)


# ----------------------------------------------------------------------------- indicator registry


def test_every_indicator_of_the_shipped_thresholds_is_registered_with_its_competence() -> None:
    shipped = _shipped_thresholds()
    assert set(shipped) <= set(INDICATORS)
    for name, table in shipped.items():
        ind = INDICATORS[name]
        # the code the engine passes to the verdict is one of those the threshold speaks for
        assert ind.competence in table["competences"], name
        # max = lower is better; min = higher is better
        assert ("min" in table) == ind.higher_is_better, name
        assert ind.threshold_kind is not None, name


def test_the_registry_agrees_with_the_verdicts_kinds() -> None:
    from typingtest.engine.verdicts import INDICATOR_KINDS, REQUIRED_INDICATORS

    registered = {name: ind.threshold_kind for name, ind in INDICATORS.items() if ind.threshold_kind}
    assert registered == INDICATOR_KINDS
    assert set(REQUIRED_INDICATORS) <= set(registered)
    # rates and shares are fractions, speeds words per minute, times seconds
    units = {"rate": "fraction", "share": "fraction", "speed": "wpm", "time": "s"}
    assert all(INDICATORS[n].unit == units[k] for n, k in INDICATOR_KINDS.items())


def test_every_indicator_has_words_in_every_language() -> None:
    for ind in INDICATORS.values():
        assert ind.label_key in LABELS, ind.name
        for lang in LANGUAGES:
            words = labels.indicator_label(ind.name, lang)
            assert words and words != ind.name, (ind.name, lang)
        if ind.competence is not None:
            for lang in LANGUAGES:  # a known code: its words follow it
                assert labels.competence_label(ind.competence, lang).startswith(f"{ind.competence} – ")


def test_the_typed_figures_and_verdicts_the_engine_emits_are_registered() -> None:
    from typingtest.engine import TYPING_COMPETENCE, analyze, typed_task_verdicts

    analysis = analyze(PASSAGE, typing_log(), target="copy")
    emitted = analysis.to_dict()
    typed = {i.name for i in indicators_from("typed")}
    assert typed <= set(emitted), typed - set(emitted)
    verdicts = typed_task_verdicts(analysis, load_thresholds())
    assert {v.indicator for v in verdicts} == {"msd_error_rate", "net_wpm"}
    for v in verdicts:
        assert v.indicator in INDICATORS and v.competence == competence_of(v.indicator)
    assert competence_of("msd_error_rate") == TYPING_COMPETENCE


def test_the_form_figures_and_verdicts_the_engine_emits_are_registered() -> None:
    from typingtest.content import load_item
    from typingtest.engine.actions import FormScore, form_verdicts, score_form

    form = score_form(load_item("nl-entry-02"), make_log([]))
    names = {f.name for f in dataclass_fields(FormScore)}
    assert {i.name for i in indicators_from("form")} <= names
    verdicts = form_verdicts(form, load_thresholds())
    assert {v["indicator"] for v in verdicts} == {i.name for i in indicators_from("form")}
    assert all(v["competence"] == INDICATORS[v["indicator"]].competence for v in verdicts)


def test_the_call_figures_and_verdicts_the_engine_emits_are_registered() -> None:
    from typingtest.content import load_item
    from typingtest.engine.actions import call_metrics, call_verdicts

    log = make_log([{"t": 3.0, "kind": K.SCREEN, "text": "ringing"}, {"t": 8.0, "kind": K.SCREEN, "text": "pickup"}])
    metrics = call_metrics(load_item("nl-call-01"), log)
    call = [i.name for i in indicators_from("call")]
    assert set(call) <= set(metrics)
    # every figure call_metrics returns as a number (not a count or a note) is a registered one
    counts = {"actions_done", "actions_correct", "actions_total"}
    figures = {k for k, v in metrics.items() if (v is None or isinstance(v, float)) and k not in counts}
    assert figures <= set(INDICATORS), figures - set(INDICATORS)
    verdicts = call_verdicts(metrics, load_thresholds())
    assert [v["indicator"] for v in verdicts] == call  # the registry's order
    assert {v["indicator"]: v["competence"] for v in verdicts} == {
        "pickup_time_s": "co 01669", "record_find_time_s": "D140801 Id17425",
        "call_handling_time_s": "co 01669", "action_score": "co 01669",
    }  # fmt: skip  (the engine's table before the registry, issue 15)


def test_the_analysis_reads_its_indicators_from_the_registry() -> None:
    # the order and the directions of the lists the analysis had before the registry (issue 15)
    assert analysis_frame.INDICATORS == (
        "net_wpm", "gross_wpm", "wpm", "msd_error_rate", "uncorrected_error_rate", "corrected_error_rate",
        "total_error_rate", "kspc", "keystrokes_per_hour", "field_error_rate", "field_completeness",
        "pickup_time_s", "record_find_time_s", "call_handling_time_s", "action_score",
    )  # fmt: skip
    higher = {"net_wpm", "gross_wpm", "wpm", "keystrokes_per_hour", "field_completeness", "action_score"}
    assert higher == analysis_frame.HIGHER_IS_BETTER
    assert set(analysis_frame.INDICATORS) <= set(INDICATORS)
    assert not higher_is_better("speed_cost") and not higher_is_better("no_such_indicator")


@pytest.mark.parametrize(("name", "value", "shown"), [
    ("msd_error_rate", 0.0301, "3.01 %"),  # a rate: percent, 2 decimals (3.01 % must not read 3.0 %)
    ("field_completeness", 0.8, "80 %"),  # a share: percent, no decimals
    ("action_score", 0.875, "88 %"),
    ("net_wpm", 31.26, "31.3"),  # a speed: one decimal
    ("pickup_time_s", 5.0, "5.0"),  # seconds: one decimal
    ("pass_rate", 0.5, "50.00 %"),  # not an indicator: a *_rate in percent, as before the registry
    ("n_attempts", 3.0, "3.0"),
])  # fmt: skip
def test_tables_format_values_by_the_registry_unit(name: str, value: float, shown: str) -> None:
    from typingtest.analysis.compare import format_value
    from typingtest.analysis.plots import scale_for

    assert format_value(name, value) == shown
    assert scale_for(name) == (100.0 if shown.endswith("%") else 1.0)
    assert in_percent(name) == shown.endswith("%")


def test_the_pdf_short_names_and_xlsx_fractions_come_from_the_registry() -> None:
    from typingtest.analysis.report import _SHORT
    from typingtest.analysis.xlsx import is_rate_column

    assert _SHORT == {"net_wpm": "WPM", "msd_error_rate": "MSD", "uncorrected_error_rate": "UER",
                      "total_error_rate": "TER", "field_error_rate": "FER", "field_completeness": "FC",
                      "pickup_time_s": "PU s", "record_find_time_s": "RF s", "call_handling_time_s": "CH s",
                      "action_score": "ACT"}  # fmt: skip
    for ind in INDICATORS.values():
        assert is_rate_column(ind.name) == (ind.unit == "fraction"), ind.name
