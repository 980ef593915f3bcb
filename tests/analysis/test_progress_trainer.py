"""Trainer outputs that do not mislead (issue 16, item 7): per-task error progress on dates with
the 3 % line, sessions passed only when every deciding verdict passed, battery changes and
repeated passages, weakest keys and bigrams per occurrence, missed fields empty vs wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from typingtest.analysis import plots
from typingtest.analysis.frame import ATTEMPT_COLUMNS, validate_attempts
from typingtest.analysis.progress import (
    PRIOR_OCCURRENCES,
    bigram_error_rates,
    key_error_rates,
    missed_fields,
    progress_frame,
    repeated_passages,
    session_verdicts,
    weakest_keys,
)
from typingtest.analysis.progress_report import progress_notes, write_progress


def _verdict(indicator: str, value: float, threshold: float, comparison: str, source: str) -> dict[str, Any]:
    passed = value <= threshold if comparison == "<=" else value >= threshold
    return {"indicator": indicator, "value": value, "threshold": threshold, "comparison": comparison,
            "source": source, "competence": "D140801 Id17267", "passed": passed}  # fmt: skip


def _attempt(session: int, day: str, task: str, item: str, msd: float, wpm: float, battery: str = "default",
             metrics: dict[str, Any] | None = None, transcribed: str = "") -> dict[str, Any]:  # fmt: skip
    row: dict[str, Any] = {c: None for c in ATTEMPT_COLUMNS}
    row.update(candidate_id="t09", cohort="trainees", session_id=f"s{session}", attempt_id=f"s{session}-{task}",
               battery=battery, language="nl", task=task, item=item, practice=False,
               started_at=f"{day}T09:00:00+00:00", ended_at=f"{day}T09:05:00+00:00", state="complete",
               verified=True, transcribed=transcribed, net_wpm=wpm, msd_error_rate=msd, metrics=metrics or {},
               verdicts=[_verdict("msd_error_rate", msd, 0.03, "<=", "qualification"),
                         _verdict("net_wpm", wpm, 30.0, ">=", "centre")], actions=[])  # fmt: skip
    return row


@pytest.fixture(scope="module")
def trainee() -> pd.DataFrame:
    """Three sessions: in the second, copy typing meets 3 % but the transcription does not (4 %);
    the third is on another battery; nl-copy-01 comes back in sessions 1 and 2."""
    rows = [
        _attempt(1, "2026-11-02", "copy-typing", "nl-copy-01", 0.05, 28.0),
        _attempt(1, "2026-11-02", "transcription", "nl-trans-02", 0.06, 25.0),
        _attempt(2, "2026-11-09", "copy-typing", "nl-copy-01", 0.02, 33.0),
        _attempt(2, "2026-11-09", "transcription", "nl-trans-02", 0.04, 31.0),
        _attempt(3, "2026-11-16", "copy-typing", "nl-copy-02", 0.01, 35.0, battery="quick"),
        _attempt(3, "2026-11-16", "transcription", "nl-trans-09", 0.025, 34.0, battery="quick"),
    ]
    return validate_attempts(pd.DataFrame(rows))


def test_session_passed_only_when_every_deciding_verdict_passed(trainee: pd.DataFrame) -> None:
    sessions = session_verdicts(trainee)
    assert list(sessions["session_number"]) == [1, 2, 3]
    # session 2: copy typing 2 % passes, transcription 4 % fails -> not passed
    assert list(sessions["passed"]) == [False, False, True]
    assert sessions.loc[1, "failed"] == "transcription:msd_error_rate"
    assert (sessions.loc[1, "n_deciding"], sessions.loc[1, "n_passed"]) == (2, 1)
    # the speed threshold (centre) does not decide: session 1 fails on errors only
    assert sessions.loc[0, "failed"] == "copy-typing:msd_error_rate; transcription:msd_error_rate"
    assert list(sessions["battery"]) == ["default", "default", "quick"]


def test_error_progress_one_line_per_task_with_the_3_percent_line_and_dates(trainee: pd.DataFrame) -> None:
    prog = progress_frame(trainee)
    ax = plots.plot_task_progress(prog, "msd_error_rate", tasks=("copy-typing", "transcription"), lang="nl")
    lines = {ln.get_gid(): ln for ln in ax.get_lines() if str(ln.get_gid()).startswith("task:")}
    assert set(lines) == {"task:copy-typing", "task:transcription"}
    assert np.allclose(lines["task:transcription"].get_ydata(), [6.0, 4.0, 2.5])
    assert np.allclose(lines["task:copy-typing"].get_ydata(), [5.0, 2.0, 1.0])
    # x are the session dates (Brussels time, 10:00 in November), not session numbers
    xs = [mdates.num2date(x).strftime("%Y-%m-%d %H:%M") for x in lines["task:transcription"].get_xdata()]
    assert xs == ["2026-11-02 10:00", "2026-11-09 10:00", "2026-11-16 10:00"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["02-11-2026", "09-11-2026", "16-11-2026"]
    (threshold,) = [ln for ln in ax.get_lines() if ln.get_gid() == "threshold"]
    assert threshold.get_ydata()[0] == pytest.approx(3.0)
    assert "overtypen, transcriptie" in threshold.get_label()  # the one 3 % line serves both tasks
    assert ax.get_title() == "Voortgang: MSD-foutpercentage (overtypen, transcriptie)"
    # the transcription failed in session 2: drawn with the failed marker (X) there
    failed = [c for c in ax.collections if c.get_gid() == "attempts" and len(c.get_offsets())]
    offsets = {tuple(np.round(o, 3)) for c in failed for o in c.get_offsets()}
    assert (round(mdates.date2num(pd.Timestamp("2026-11-09 10:00")), 3), 4.0) in offsets


def test_battery_change_is_marked(trainee: pd.DataFrame) -> None:
    ax = plots.plot_task_progress(progress_frame(trainee), "msd_error_rate", lang="en")
    (change,) = [ln for ln in ax.get_lines() if ln.get_gid() == "battery-change"]
    assert mdates.num2date(change.get_xdata()[0]).strftime("%Y-%m-%d %H:%M") == "2026-11-16 09:00"  # UTC in English
    assert any(t.get_text() == "battery changed: quick" for t in ax.texts)


def test_repeated_passage_warns_and_names_the_next_form(trainee: pd.DataFrame) -> None:
    repeats = repeated_passages(trainee)
    assert list(repeats["item"]) == ["nl-copy-01", "nl-trans-02"]
    copy = repeats.iloc[0]
    assert copy["sessions"] == "1, 2" and copy["battery"] == "default"
    assert copy["next_item"] == "nl-copy-01"  # the default battery always presents nl-copy-01
    assert "nl-copy-03" in copy["unseen"].split("; ") and "nl-copy-01" not in copy["unseen"]
    assert "nl-copy-02" not in copy["unseen"]  # typed in session 3
    notes = "\n".join(progress_notes({"sessions": session_verdicts(trainee), "repeated_passages": repeats,
                                      "weakest_keys": key_error_rates(trainee)}, "nl"))  # fmt: skip
    assert "Dezelfde tekst nl-copy-01 (overtypen) kwam terug in de sessies 1, 2" in notes
    assert ("Een herkansing met batterij default via typingtest run toont bij overtypen nl-copy-05: een parallelle "
            "tekst van gelijke moeilijkheid die de cursist nog niet typte.") in " ".join(notes.split())
    assert "sessie niet geslaagd (1/2) - niet gehaald: transcriptie MSD-foutpercentage" in " ".join(notes.split())


def _keys_frame() -> pd.DataFrame:
    """Hand-built: the raw counts rank space and e first; per occurrence D is far weaker.

    errors / occurrences: " " 16.7/371 (4.50 %), e 11/244 (4.51 %), D 10/30 (33.3 %), a 2/200 (1 %),
    q 1/3 (33 %, below the minimum of 20).
    """
    conf = [{"intended": " ", "typed": "", "weight": 16.7}, {"intended": "e", "typed": "r", "weight": 11.0},
            {"intended": "D", "typed": "d", "weight": 10.0}, {"intended": "a", "typed": "q", "weight": 2.0},
            {"intended": "q", "typed": "a", "weight": 1.0}]  # fmt: skip
    occ = [{"intended": c, "weight": w} for c, w in ((" ", 371.0), ("e", 244.0), ("D", 30.0), ("a", 200.0),
                                                     ("q", 3.0))]  # fmt: skip
    row = _attempt(1, "2026-11-02", "copy-typing", "nl-copy-01", 0.05, 28.0,
                   metrics={"confusion": conf, "char_attempts": occ})  # fmt: skip
    return validate_attempts(pd.DataFrame([row]))


def test_weakest_keys_per_occurrence_not_raw_counts() -> None:
    data = _keys_frame()
    assert list(weakest_keys(data)["intended"][:3]) == [" ", "e", "D"]  # the old, misleading order
    rates = key_error_rates(data)
    assert list(rates["intended"]) == ["D", "e", " ", "a", "q"]
    r = rates.set_index("intended")
    assert r.loc[" ", "error_rate"] == pytest.approx(16.7 / 371)  # 4.50 %
    assert r.loc["e", "error_rate"] == pytest.approx(11 / 244)  # 4.51 %
    assert r.loc["D", "error_rate"] == pytest.approx(1 / 3)
    # shrunk towards the overall rate p0 = 40.7 / 848 with m = 20 pseudo-occurrences (by hand)
    p0 = 40.7 / 848
    assert PRIOR_OCCURRENCES == 20.0
    assert r.loc["D", "shrunk_error_rate"] == pytest.approx((10 + 20 * p0) / 50)  # 0.2192
    assert r.loc["D", "shrunk_error_rate"] == pytest.approx(0.21920, abs=1e-5)
    assert r.loc["q", "error_rate"] == pytest.approx(1 / 3) and not r.loc["q", "enough"]  # 3 < 20: listed last
    assert r.loc["q", "shrunk_error_rate"] == pytest.approx((1 + 20 * p0) / 23)  # pulled to 8.5 %, not 33 %
    assert r.loc["D", "most_typed_instead"] == "d"


def test_keyboard_shows_rates_per_keystroke() -> None:
    keys = key_error_rates(_keys_frame())
    ax = plots.plot_keyboard_heatmap(keys, layout="azerty-be", lang="nl")
    faces = {p.get_gid(): to_hex(p.get_facecolor()) for p in ax.patches if str(p.get_gid()).startswith("key:")}
    assert faces["key:d"] == to_hex(plots.mpl.colormaps["cividis_r"](1.0))  # D (on d's key) is the weakest
    assert faces["key:e"] != faces["key:d"]
    texts = {t.get_text() for t in ax.texts}
    assert "21,9" in texts  # D: 21.9 % shrunk, decimal comma in Dutch
    assert "n<20" in texts  # q: typed 3 times, not coloured
    assert faces["key:q"] == "#ffffff"
    assert ax.get_title() == "Zwakste toetsen per keer getypt (AZERTY-BE)"


def test_bigrams_per_occurrence_by_hand() -> None:
    row = _attempt(1, "2026-11-02", "copy-typing", "x-1", 0.05, 28.0, transcribed="abxb")
    data = validate_attempts(pd.DataFrame([row]))
    rates = bigram_error_rates(data, {"x-1": "abab"}, min_count=1).set_index("intended")
    # "abab": pairs ab (b at 1), ba (a at 2, typed x), ab (b at 3)
    assert rates.loc["ab", ["errors", "occurrences"]].tolist() == [0.0, 2.0]
    assert rates.loc["ba", ["errors", "occurrences"]].tolist() == [1.0, 1.0]
    assert rates.loc["ba", "most_typed_instead"] == "x"
    assert rates.index[0] == "ba"


def test_missed_fields_empty_and_wrong_in_words() -> None:
    fields = [{"name": "email", "filled": False, "correct": False}, {"name": "customer_number", "filled": True,
              "correct": False}, {"name": "phone", "filled": True, "correct": True}]  # fmt: skip
    rows = [_attempt(1, "2026-11-02", "data-entry", "nl-entry-01", 0.0, 0.0, metrics={"form": {"fields": fields}}),
            _attempt(2, "2026-11-09", "data-entry", "nl-entry-01", 0.0, 0.0,
                     metrics={"form": {"fields": [{**f, "filled": True, "correct": True} for f in fields]}})]
    missed = missed_fields(validate_attempts(pd.DataFrame(rows))).set_index("field")
    assert missed.loc["email", ["n_empty", "n_wrong", "missed_share"]].tolist() == [1, 0, 0.5]
    assert missed.loc["customer_number", ["n_empty", "n_wrong"]].tolist() == [0, 1]
    ax = plots.plot_missed_fields(missed.reset_index(), lang="fr")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["numéro de client", "adresse e-mail", "téléphone"]
    empty = [p.get_width() for p in ax.patches if p.get_gid() == "missed:empty"]
    wrong = [p.get_width() for p in ax.patches if p.get_gid() == "missed:wrong"]
    assert empty == [0.0, 50.0, 0.0] and wrong == [50.0, 0.0, 0.0]
    assert ax.get_title() == "Champs les plus manqués"


def test_write_progress_files_in_french(trainee: pd.DataFrame, tmp_path: Path) -> None:
    written = write_progress(trainee, tmp_path, lang="fr", texts={})
    names = {p.name for p in written}
    assert {"progress_msd_error_rate.png", "sessions.csv", "repeated_passages.csv", "progress.pdf"} <= names
    notes = (tmp_path / "progress_notes.txt").read_text(encoding="utf-8")
    assert "session échouée" in notes and "session réussie" in notes
    assert "16/11/2026 10:00" in notes  # Brussels time, day first
    sessions = pd.read_csv(tmp_path / "sessions.csv")
    assert list(sessions["decision"]) == ["fail", "fail", "pass"]


def test_key_rates_count_errors_and_occurrences_from_the_same_attempts() -> None:
    counted = _attempt(1, "2026-11-02", "copy-typing", "nl-copy-01", 0.05, 28.0, metrics={
        "confusion": [{"intended": "e", "typed": "r", "weight": 1.0}],
        "char_attempts": [{"intended": "e", "weight": 100.0}]})  # fmt: skip
    uncounted = _attempt(2, "2026-11-09", "copy-typing", "nl-copy-01", 0.05, 28.0, metrics={
        "confusion": [{"intended": "e", "typed": "r", "weight": 50.0}]})  # stored before char_attempts
    rates = key_error_rates(validate_attempts(pd.DataFrame([counted, uncounted]))).set_index("intended")
    assert rates.loc["e", "error_rate"] == pytest.approx(0.01)  # not 51 / 100
    assert rates.loc["e", "errors"] == 1.0
