"""Practice attempts never appear in test reports or exports unless asked (``--include-practice``).

A store with two candidates' scored tests (quick battery, nl-copy-01) is reported, compared and
exported; then each candidate practises (a ``practice`` session of two drills, stored as the
workstation stores them: practice, the drill in the meta) and the same commands run again. By
default every output is the same as before the drills (no drill row anywhere); with
``--include-practice`` the export and the report's practice table hold exactly the drill rows,
and the report's decisions stay the same.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from typingtest.cli import main
from typingtest.config import Settings, load_thresholds
from typingtest.content import load_item
from typingtest.engine.scoring import ANSWER_FIELD, score_attempt
from typingtest.simulate.profiles import BAND_PROFILES
from typingtest.simulate.typist import type_text
from typingtest.store import Store
from typingtest.training.drills import make_drill
from typingtest.training.learner import learner_model
from typingtest.training.practice import PRACTICE_BATTERY, drill_task

CANDIDATES = ("AP-0001", "AP-0002")


def _attempt(store: Store, sid: str, kind: str, item: object, practice: bool, seed: int, meta: dict) -> str:
    """Type ``item`` with the virtual typist and store it scored by the engine, as the workstation does."""
    text = item.text  # type: ignore[attr-defined]
    rec = store.begin_attempt(sid, kind, item.id, practice, {"presented": text, "target": ANSWER_FIELD, **meta})  # type: ignore[attr-defined]
    att = type_text(text, BAND_PROFILES["average"], seed=seed, target=ANSWER_FIELD)
    metrics, verdicts, actions = score_attempt(kind, item, att.log, load_thresholds(Settings()))
    rec.finish(att.log, metrics, verdicts, actions)
    return rec.attempt_id


@pytest.fixture
def db(results_dir: Path) -> tuple[str, Store]:
    url = f"sqlite:///{(results_dir / 'typingtest.sqlite').as_posix()}"
    store = Store(url, results_dir, results_dir / "signing.key", workstation="ws-test")
    item = load_item("nl-copy-01")
    for n, cid in enumerate(CANDIDATES):
        store.ensure_candidate(cid, "cohort-a")
        sid = store.start_session(cid, "quick", "sha256:abc", "ws-test", "nl")
        _attempt(store, sid, "copy-typing", item, False, n, {})
        store.end_session(sid, "complete")
    yield url, store
    store.close()


def _practise(store: Store) -> set[str]:
    """Two drills per candidate in a practice session; returns the drill attempts' ids."""
    ids = set()
    for n, cid in enumerate(CANDIDATES):
        sid = store.start_session(cid, PRACTICE_BATTERY, None, "ws-test", "nl")
        for k in (1, 2):
            drill = make_drill(learner_model(store, cid), length=150, seed=10 * n + k)
            kind, item, meta = drill_task(drill, k)
            ids.add(_attempt(store, sid, kind, item, True, 100 + 10 * n + k, meta))
        store.end_session(sid, "complete")
    return ids


def _outputs(url: str, out: Path, include: bool = False) -> dict[str, pd.DataFrame]:
    """export (CSV), report tables (CSV) and compare (CSV) into ``out``, read back."""
    flag = ["--include-practice"] if include else []
    out.mkdir(parents=True)
    assert main(["export", "--format", "csv", "--out", str(out / "export.csv"), "--db", url, *flag]) == 0
    assert main(["report", "--out", str(out / "report.html"), "--tables", "csv", "--db", url, *flag]) == 0
    assert main(["compare", *CANDIDATES, "--out", str(out / "compare"), "--db", url]) == 0
    frames = {p.name: pd.read_csv(p) for p in sorted(out.glob("*.csv"))}
    frames.update({f"compare/{p.name}": pd.read_csv(p) for p in sorted((out / "compare").glob("*.csv"))})
    return frames


def _no_id(frames: dict[str, pd.DataFrame], ids: set[str]) -> list[str]:
    """``table: value`` for every cell of ``frames`` holding one of ``ids`` or a drill item id."""
    found = []
    for name, frame in frames.items():
        for value in (str(v) for v in frame.to_numpy().ravel()):
            if value in ids or value.startswith("drill-"):
                found.append(f"{name}: {value}")
    return found


def test_drills_appear_only_when_asked(db: tuple[str, Store], tmp_path: Path) -> None:
    url, store = db
    before = _outputs(url, tmp_path / "before")
    drills = _practise(store)
    assert len(drills) == 4
    after = _outputs(url, tmp_path / "after")
    # by default: no drill row anywhere, and every table as before the drills
    assert _no_id(after, drills) == []
    assert set(after) == set(before)
    for name in before:
        if name == "export.csv":
            continue  # holds the stored rows' own times; compared below by attempt
        pd.testing.assert_frame_equal(after[name], before[name], check_dtype=False, obj=name)
    assert list(after["export.csv"]["attempt_id"]) == list(before["export.csv"]["attempt_id"])
    assert "report_practice.csv" not in after

    # asked: the export and the report's practice table hold the drills; decisions unchanged
    asked = _outputs(url, tmp_path / "asked", include=True)
    export = asked["export.csv"]
    assert set(export.loc[export["practice"], "attempt_id"]) == drills
    assert set(export.loc[~export["practice"], "attempt_id"]) == set(before["export.csv"]["attempt_id"])
    assert (export.loc[export["practice"], "battery"] == PRACTICE_BATTERY).all()
    practice = asked["report_practice.csv"]
    assert set(practice["attempt_id"]) == drills and practice["practice"].all()
    pd.testing.assert_frame_equal(asked["report_decisions.csv"], before["report_decisions.csv"], check_dtype=False)
    pd.testing.assert_frame_equal(asked["report_applicants.csv"], before["report_applicants.csv"], check_dtype=False)


def test_progress_counts_drills_only_when_asked(db: tuple[str, Store], tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    url, store = db
    _practise(store)
    cid = CANDIDATES[0]
    assert main(["progress", cid, "--out", str(tmp_path / "p1"), "--db", url]) == 0
    assert "1 sessions, 1 attempts" in capsys.readouterr().out
    assert main(["progress", cid, "--out", str(tmp_path / "p2"), "--db", url, "--include-practice"]) == 0
    assert "2 sessions, 3 attempts" in capsys.readouterr().out
