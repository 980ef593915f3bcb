"""Write the analysis test fixtures (``analysis_cohort.csv``, ``analysis_trainee.csv``,
``analysis_overrides.csv``) from the values typed out below.

Run ``.venv/bin/python tests/data/make_analysis_fixtures.py`` after changing a value here,
and update ``analysis_README.md`` (the hand-computed expectations) with it. The verdicts
are typed out by hand too (not produced by the code under test).
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

COLUMNS = (
    "candidate_id", "cohort", "session_id", "attempt_id", "battery", "language", "task", "item",
    "practice", "started_at", "ended_at", "state", "verified", "transcribed", "wpm", "gross_wpm",
    "net_wpm", "msd_error_rate", "uncorrected_error_rate", "corrected_error_rate", "total_error_rate",
    "kspc", "iki_mean_ms", "iki_sd_ms", "metrics", "verdicts", "actions",
)  # fmt: skip

ID17267 = "D140801 Id17267"
ID17425 = "D140801 Id17425"


def v(indicator: str, value: float | None, limit: float, comparison: str, source: str, competence: str,
      passed: bool | None) -> dict:  # fmt: skip
    return {"indicator": indicator, "value": value, "threshold": limit, "comparison": comparison,
            "source": source, "competence": competence, "passed": passed}  # fmt: skip


def copy_row(cand, cohort, day, net, msd, confusion=(), practice=False, session=None, attempt=None):
    session = session or f"s-{cand}-{day}"
    return {
        "candidate_id": cand, "cohort": cohort, "session_id": session, "attempt_id": attempt or f"a-{cand}-{day}-copy",
        "battery": "default", "language": "nl", "task": "copy-typing", "item": "nl-copy-01", "practice": practice,
        "started_at": f"2026-11-{day:02d}T09:00:00+00:00", "ended_at": f"2026-11-{day:02d}T09:05:00+00:00",
        "state": "complete", "verified": True, "transcribed": "", "wpm": net + 2.0, "gross_wpm": net + 3.0,
        "net_wpm": net, "msd_error_rate": msd, "uncorrected_error_rate": msd, "corrected_error_rate": 0.02,
        "total_error_rate": msd + 0.02, "kspc": 1.08, "iki_mean_ms": 60000 / (5 * (net + 3.0)), "iki_sd_ms": 80.0,
        "metrics": {"confusion": [{"intended": a, "typed": b, "weight": w} for a, b, w in confusion]},
        "verdicts": [
            v("msd_error_rate", msd, 0.03, "<=", "qualification", ID17267, msd <= 0.03),
            v("net_wpm", net, 30.0, ">=", "centre", ID17267, net >= 30.0),
        ],
        "actions": [],
    }  # fmt: skip


def entry_row(cand, cohort, day, net, fer, complete, missed, session=None):
    fields = ["name", "street", "postcode", "customer_number", "email", "phone"]
    # the engine's form score (typingtest.engine.actions.FormScore.to_dict), as the workstation stores it
    form_fields = [
        {"name": f, "typed": "", "expected": "", "filled": f not in missed or missed[f] != "empty",
         "correct": f not in missed, "msd_error_rate": 0.0 if f not in missed else 0.25,
         "facts_found": [], "facts_missing": []}
        for f in fields
    ]  # fmt: skip
    return {
        "candidate_id": cand, "cohort": cohort, "session_id": session or f"s-{cand}-{day}",
        "attempt_id": f"a-{cand}-{day}-entry", "battery": "default", "language": "nl", "task": "data-entry",
        "item": "nl-entry-01", "practice": False, "started_at": f"2026-11-{day:02d}T09:10:00+00:00",
        "ended_at": f"2026-11-{day:02d}T09:14:00+00:00", "state": "complete", "verified": True, "transcribed": "",
        "wpm": net + 1.0, "gross_wpm": net + 2.0, "net_wpm": net, "msd_error_rate": fer,
        "uncorrected_error_rate": fer, "corrected_error_rate": 0.03, "total_error_rate": fer + 0.03, "kspc": 1.12,
        "iki_mean_ms": 250.0, "iki_sd_ms": 120.0,
        "metrics": {"field_error_rate": fer, "field_completeness": complete,
                    "form": {"fields": form_fields, "field_error_rate": fer, "field_completeness": complete,
                             "field_accuracy": None, "wrong_field": []}},
        "verdicts": [
            v("field_error_rate", fer, 0.03, "<=", "qualification", "co 01670", fer <= 0.03),
            v("field_completeness", complete, 1.0, ">=", "qualification", "co 01670", complete >= 1.0),
        ],
        "actions": [],
    }  # fmt: skip


def call_row(cand, cohort, day, pickup, find, handling, score):
    return {
        "candidate_id": cand, "cohort": cohort, "session_id": f"s-{cand}-{day}", "attempt_id": f"a-{cand}-{day}-call",
        "battery": "default", "language": "nl", "task": "call", "item": "nl-call-01", "practice": False,
        "started_at": f"2026-11-{day:02d}T09:20:00+00:00", "ended_at": f"2026-11-{day:02d}T09:28:00+00:00",
        "state": "complete", "verified": True, "transcribed": "", "wpm": None, "gross_wpm": None, "net_wpm": None,
        "msd_error_rate": None, "uncorrected_error_rate": None, "corrected_error_rate": None,
        "total_error_rate": None, "kspc": None, "iki_mean_ms": None, "iki_sd_ms": None,
        "metrics": {"pickup_time_s": pickup, "record_find_time_s": find, "call_handling_time_s": handling,
                    "action_score": score},
        "verdicts": [
            v("pickup_time_s", pickup, 12.0, "<=", "centre", "co 01669", pickup <= 12.0),
            v("record_find_time_s", find, 30.0, "<=", "centre", ID17425, find <= 30.0),
            v("call_handling_time_s", handling, 420.0, "<=", "centre", "co 01669", handling <= 420.0),
            v("action_score", score, 0.8, ">=", "centre", "co 01669", score >= 0.8),
        ],
        "actions": [{"action": "pickup", "done": True, "correct": True, "latency_s": pickup, "competence": "co 01669"}],
    }  # fmt: skip


def cohort_rows() -> list[dict]:
    rows = []
    # candidate, cohort, day, copy (net wpm, msd), entry (net, field err, completeness, missed fields), call
    spec = [
        ("c01", "2026-A", 2, (42.0, 0.010), (36.0, 0.02, 1.0, {"email": "wrong"}), (5.0, 20.0, 300.0, 0.9)),
        ("c02", "2026-A", 2, (35.0, 0.030), (30.0, 0.05, 1.0, {"email": "wrong", "postcode": "wrong"}),
         (13.0, 25.0, 410.0, 0.8)),
        ("c03", "2026-A", 3, (28.0, 0.0301), (20.0, 0.00, 0.8, {"phone": "empty"}), (8.0, 35.0, 450.0, 0.6)),
        ("c04", "2026-A", 3, (50.0, 0.000), (45.0, 0.01, 1.0, {}), (3.0, 10.0, 250.0, 1.0)),
        ("c05", "2026-A", 4, (31.0, 0.020), (27.9, 0.03, 1.0, {"email": "wrong"}), (12.0, 30.0, 420.0, 0.85)),
        ("c06", "2026-B", 20, (25.0, 0.050), (20.0, 0.10, 0.6, {"email": "empty", "customer_number": "wrong"}),
         (20.0, 50.0, 500.0, 0.5)),
    ]  # fmt: skip
    for cand, cohort, day, copy, entry, call in spec:
        conf = [("a", "q", 1.0), ("e", "r", 0.5)] if cand == "c01" else []
        rows.append(copy_row(cand, cohort, day, *copy, confusion=conf))
        rows.append(entry_row(cand, cohort, day, *entry))
        rows.append(call_row(cand, cohort, day, *call))
    # typing speed under load as the engine writes it (typingtest.engine.load): copy typing's
    # burst_wpm, the load tasks' load_wpm / free_wpm. c01, c03 and c06 have none (attempts stored
    # before the engine wrote them: net WPM basis); c05 has a baseline but no load figure (net basis)
    speed = {
        ("c02", "copy-typing"): {"burst_wpm": 40.0},
        ("c02", "data-entry"): {"load_wpm": 30.0, "free_wpm": 36.0},
        ("c02", "call"): {"load_wpm": 34.0, "free_wpm": 38.0},
        ("c04", "copy-typing"): {"burst_wpm": 60.0},
        ("c04", "data-entry"): {"load_wpm": 45.0, "free_wpm": 50.0},
        ("c04", "call"): {"load_wpm": None, "free_wpm": None},  # fewer than 10 intervals: None
        ("c05", "copy-typing"): {"burst_wpm": 36.0},
    }
    for row in rows:
        row["metrics"].update(speed.get((row["candidate_id"], row["task"]), {}))
    # a practice attempt (left out of every figure) with values that would move them
    rows.append(copy_row("c01", "2026-A", 2, 10.0, 0.5, practice=True, attempt="a-c01-2-copy-practice"))
    rows[-1]["metrics"]["burst_wpm"] = 10.0
    return rows


def trainee_rows() -> list[dict]:
    rows = []
    # one trainee, four weekly sessions: net WPM up, MSD error rate down
    weeks = [(2, 24.0, 0.060), (9, 27.5, 0.045), (16, 31.0, 0.030), (23, 34.0, 0.020)]
    for day, net, msd in weeks:
        conf = [("a", "q", 2.0), ("m", ",", 1.0), ("é", "e", 1.5), ("s", "", 0.5)]
        rows.append(copy_row("t01", "trainees", day, net, msd, confusion=conf))
        rows.append(entry_row("t01", "trainees", day, net - 4.0, msd, 1.0, {"email": "wrong"}))
    return rows


def write(rows: list[dict], path: Path) -> None:
    import csv

    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        for r in rows:
            out = {k: r[k] for k in COLUMNS}
            for k in ("metrics", "verdicts", "actions"):
                out[k] = json.dumps(out[k], ensure_ascii=False, sort_keys=True)
            for k, val in out.items():
                if val is None:
                    out[k] = ""
            w.writerow(out)


if __name__ == "__main__":
    write(cohort_rows(), HERE / "analysis_cohort.csv")
    write(trainee_rows(), HERE / "analysis_trainee.csv")
    (HERE / "analysis_overrides.csv").write_text(
        "attempt_id,indicator,passed,reason,assessor,at\n"
        "a-c03-3-copy,msd_error_rate,true,one error caused by a sticking key (workstation 4 logged),"
        "A. Peeters,2026-11-05T10:00:00+00:00\n",
        encoding="utf-8",
    )
