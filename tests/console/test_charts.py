"""The cohort page's charts (``typingtest.console.charts``): SVG from the report's plotting, cached.

A cohort of three virtual candidates (the simulator through the ``quick`` battery) in a
throwaway store. The charts must be valid SVG holding the threshold line's label as text, be
drawn once per cohort and language while nothing changes, and be drawn again after a new
attempt or a new override in the cohort.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from typingtest.analysis.labels import label
from typingtest.config import Settings, load_thresholds
from typingtest.console.charts import ChartCache, cache_key, cohort_charts
from typingtest.content import load_item
from typingtest.engine.scoring import score_attempt
from typingtest.simulate.commands import run_cohort
from typingtest.simulate.typist import Profile, type_text
from typingtest.store import open_store

COHORT = "charts"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory):
    folder: Path = tmp_path_factory.mktemp("charts")
    settings = Settings(results_dir=folder)
    store = open_store(settings)
    run_cohort(settings, store, candidates=3, battery="quick", cohort_name=COHORT, seed=7, progress=False)
    yield store, settings
    store.close()


def svg_text(svg: str) -> str:
    """Every text of an SVG, in document order (parsing it checks it is well-formed XML)."""
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return " | ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))


def add_copy_attempt(store: Any, settings: Settings, candidate: str, cohort: str = COHORT) -> str:
    """A new scored copy-typing attempt in ``cohort``, by a new candidate (simulated typist)."""
    item = load_item("nl-copy-02")
    store.ensure_candidate(candidate, cohort)
    sid = store.start_session(candidate, "quick", "sha256:test", "ws-test", "nl")
    rec = store.begin_attempt(sid, "copy-typing", item.id, False, {"presented": item.text, "target": "answer"})
    typed = type_text(item.text[:300], Profile(error_rate=0.05, correction_rate=0.3), seed=11, target="answer")
    metrics, verdicts, _ = score_attempt("copy-typing", item, typed.log, load_thresholds(settings), ended_by="finish")
    return rec.finish(typed.log, metrics, verdicts, None)


def test_charts_are_svg_with_the_threshold_label(cohort) -> None:
    store, _ = cohort
    cache = ChartCache()
    charts = cohort_charts(store, COHORT, "nl", cache=cache)
    assert list(charts)[:2] == ["pass_rates", "speed_vs_error"]
    assert "distribution:copy-typing:msd_error_rate" in charts
    texts = {name: svg_text(svg) for name, svg in charts.items()}
    # the threshold the verdicts were judged against (thresholds.toml: the qualification's 3 % margin,
    # the centre's 30 WPM), written by plots.plot_distribution as "<threshold> <comparison> <value>"
    frame = store.attempts_frame(cohort=COHORT)
    copy = frame[frame["task"] == "copy-typing"].iloc[0]
    limits = {v["indicator"]: (v["comparison"], v["threshold"]) for v in copy["verdicts"]}
    assert limits == {"msd_error_rate": ("<=", 0.03), "net_wpm": (">=", 30.0)}
    assert f"{label('threshold', 'nl')} <= 3 %" in texts["distribution:copy-typing:msd_error_rate"]
    assert f"{label('threshold', 'nl')} >= 30" in texts["distribution:copy-typing:net_wpm"]
    for svg in charts.values():
        assert svg.startswith('<svg role="img" aria-label="') and svg.rstrip().endswith("</svg>")
    # several charts inline on one page: their clip paths never share an id
    clip_ids = [c.get("id") for svg in charts.values() for c in ET.fromstring(svg).iter(f"{SVG}clipPath")]
    assert len(clip_ids) == len(set(clip_ids))
    # drawn again from scratch: the same bytes (no date in the metadata, ids salted per chart)
    assert cohort_charts(store, COHORT, "nl", cache=ChartCache()) == charts
    fr = cohort_charts(store, COHORT, "fr", cache=cache)
    assert cache.draws == 2
    assert f"{label('threshold', 'fr')} <= 3 %" in svg_text(fr["distribution:copy-typing:msd_error_rate"])


def test_cache_hit_and_invalidation(cohort) -> None:
    store, settings = cohort
    calls: list[tuple[str | None, str]] = []

    def draw(store: Any, cohort: str | None, lang: str, thresholds: Any = None) -> dict[str, str]:
        calls.append((cohort, lang))
        return {"n": str(len(calls))}

    cache = ChartCache(draw=draw)
    first = cohort_charts(store, COHORT, "nl", cache=cache)
    assert calls == [(COHORT, "nl")] and cache.draws == 1
    assert cohort_charts(store, COHORT, "nl", cache=cache) == first
    assert len(calls) == 1, "the second call drew the charts again"
    cohort_charts(store, COHORT, "en", cache=cache)
    assert len(calls) == 2  # one drawing per language
    key = cache_key(store, COHORT)
    # a new attempt in the cohort: drawn again
    aid = add_copy_attempt(store, settings, "CHARTS-NEW-01")
    assert cache_key(store, COHORT) != key
    assert cohort_charts(store, COHORT, "nl", cache=cache) != first
    assert len(calls) == 3
    assert cohort_charts(store, COHORT, "nl", cache=cache) == {"n": "3"} and len(calls) == 3
    # an override in the cohort: drawn again
    store.record_override(aid, "msd_error_rate", True, "test: retyped under supervision", "tester")
    cohort_charts(store, COHORT, "nl", cache=cache)
    assert len(calls) == 4
    # another cohort's change leaves this one's charts alone
    key = cache_key(store, COHORT)
    add_copy_attempt(store, settings, "CHARTS-OTHER-01", cohort="other-cohort")
    assert cache_key(store, COHORT) == key
    cohort_charts(store, COHORT, "nl", cache=cache)
    assert len(calls) == 4


def test_empty_cohort_and_bad_language(cohort) -> None:
    store, _ = cohort
    assert cohort_charts(store, "no-such-cohort", "nl", cache=ChartCache()) == {}
    with pytest.raises(ValueError, match="lang"):
        cohort_charts(store, COHORT, "de", cache=ChartCache())
