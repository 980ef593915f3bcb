"""Erasure (issue 19, items 1, 3, 10, 14): never outside its folder, exact ids, every file the
project wrote rewritten or deleted, resumable after a kill, a running attempt dropped into the
tombstone, no VACUUM FULL on the erase path. Both backends through the ``store`` fixture."""

from __future__ import annotations

import json
import re
import zipfile
import zlib
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from sqlalchemy import event, select
from store_testkit import PASSAGE, typing_log

from typingtest.cli import main
from typingtest.engine.events import EventKind, make_log
from typingtest.store import Store, compute_metrics
from typingtest.store import privacy as P
from typingtest.store import schema as S
from typingtest.store.store import Stored

DATA = Path(__file__).resolve().parents[1] / "data"
NAME = "Wannes Vandenbroucke"
EMAIL = "wannes.v@example.be"


def _add(store: Store, cid: str, cohort: str = "sept", name: str | None = None, n: int = 2, seed: int = 0) -> None:
    """A candidate with a consent, one session and ``n`` finished attempts whose events hold the id."""
    store.ensure_candidate(cid, cohort, name=name, email=f"{cid.lower()}@example.be" if name is None else EMAIL)
    store.record_consent(cid, "consent-nl-v3")
    sid = store.start_session(cid, "default", "h", "ws-1", "nl")
    for k in range(n):
        rec = store.begin_attempt(sid, "copy-typing", "nl-copy-01", False, {"presented": PASSAGE, "target": "copy"})
        log = np.concatenate([make_log([{"kind": EventKind.MARKER, "text": cid, "target": "intake"}]),
                              typing_log(seed=seed + k)])
        rec.extend(log)
        rec.finish(log, compute_metrics(PASSAGE, log, "copy"), [], None)
    store.end_session(sid)


def _url_args(store: Store) -> list[str]:
    return ["--db", store.url]


# ---- an independent reader of every format (not the package's own check) ---------------------


def _texts_in(path: Path) -> list[str]:
    """Every string a file shows: CSV cells, Parquet cells and column names, XLSX shared/inline strings,
    PDF text shown by Tj/TJ in the inflated content streams, JSON values, or the decoded bytes."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        table = pq.read_table(path)
        return [*table.column_names, *(str(v) for col in table.columns for v in col.to_pylist() if v is not None)]
    if suffix == ".xlsx":
        with zipfile.ZipFile(path) as zf:
            xml = "".join(zf.read(n).decode("utf-8", "ignore") for n in zf.namelist())
        return re.findall(r"<t[^>]*>([^<]*)</t>", xml)
    if suffix == ".csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        return [*map(str, frame.columns), *(str(v) for v in frame.to_numpy().ravel())]
    if suffix == ".pdf":
        shown = []
        for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
            try:
                chunk = zlib.decompress(m.group(1))
            except zlib.error:
                continue
            for arr in re.findall(rb"\[(.*?)\]\s*TJ", chunk, re.S):
                shown.append(b"".join(re.findall(rb"\(((?:\\.|[^\\)])*)\)", arr)).decode("latin-1"))
            shown += [s.decode("latin-1") for s in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", chunk)]
        return shown
    return [data.decode("utf-8", "ignore"), data.decode("utf-16-le", "ignore")]


def _holders(root: Path, cid: str, others: tuple[str, ...] = ()) -> list[str]:
    """Files under ``root`` that show ``cid`` as a whole cell/token, or any of ``others`` anywhere."""
    token = re.compile(r"(?<![\w.-])" + re.escape(cid) + r"(?![\w-])")
    hits = []
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix not in (".key",) and not p.name.startswith("typingtest.sqlite"):
            texts = _texts_in(p)
            if any(token.search(t) or any(o in t for o in others) for t in texts):
                hits.append(str(p.relative_to(root)))
    return hits


def _db_mentions(store: Store, needles: list[str]) -> list[str]:
    """Tables holding any needle in a text value (blobs skipped: the events of other candidates)."""
    found = []
    with store.engine.connect() as conn:
        for table in S.metadata.sorted_tables:
            for row in conn.execute(select(table)).mappings():
                text = json.dumps({k: v for k, v in row.items() if not isinstance(v, bytes)}, default=str)
                if any(re.search(r'(?<![\w.-])' + re.escape(n) + r'(?![\w-])', text) for n in needles):
                    found.append(table.name)
    return found


# ---- item 1: ids that are paths ---------------------------------------------------------------


def test_legacy_ids_never_reach_outside_their_files(store, results_dir):
    """A store made before the id rule holds ``..``, ``../reports``, ``a/b``: export and erase each, and
    the database, the signing key and every other candidate's files are still there."""
    _add(store, "KEEP-1")
    store.export_candidate("KEEP-1")
    (results_dir / "reports").mkdir()
    other_report = results_dir / "reports" / "cohort.csv"
    other_report.write_text("candidate_id,wpm\nKEEP-1,41.5\n", encoding="utf-8")
    now = datetime.now(UTC)
    legacy = ["..", "../reports", "a/b"]
    with store.engine.begin() as conn:  # bypassing the rule, as an old version did
        for n, cid in enumerate(legacy):
            conn.execute(S.candidates.insert().values(candidate_id=cid, cohort="old", created_at=now))
            conn.execute(S.sessions.insert().values(session_id=f"legacy-session-{n}", candidate_id=cid,
                                                    battery="default", started_at=now, state="complete"))
    key_before = store.key_file.read_bytes()
    before = {p for p in results_dir.rglob("*") if p.is_file()}
    for cid in legacy:
        folder = store.export_candidate(cid)
        assert folder.parent == results_dir / "exports" and folder.name.startswith("id-"), folder
        assert json.loads((folder / "candidate.json").read_text(encoding="utf-8"))["candidate"]["candidate_id"] == cid
    assert not (results_dir / "candidate.json").exists() and not (results_dir / "events").exists()
    for cid in legacy:
        removed = store.erase_candidate(cid)
        assert removed["candidate"] == 1 and removed["sessions"] == 1, cid
    after = {p for p in results_dir.rglob("*") if p.is_file()}
    assert before <= after | {p for p in before if p.name.endswith(("-wal", "-shm"))}, sorted(before - after)
    assert store.key_file.read_bytes() == key_before
    assert other_report.read_text(encoding="utf-8") == "candidate_id,wpm\nKEEP-1,41.5\n"
    assert json.loads((results_dir / "exports" / "KEEP-1" / "candidate.json").read_text(encoding="utf-8"))
    assert not list((results_dir / "exports").glob("id-*"))
    assert set(store.attempts_frame().candidate_id) == {"KEEP-1"} and all(r.ok for r in store.verify())


# ---- item 10: exact ids -----------------------------------------------------------------------


def test_erase_matches_ids_exactly_never_as_substrings(store, results_dir):
    """Erasing ``1`` leaves ``11``, ``21``, ``KAND-1`` and ``1.5`` alone: their audit entries, files, rows."""
    others = ("11", "21", "KAND-1", "1.5")
    for n, cid in enumerate(("1", *others)):
        _add(store, cid, n=1, seed=n)
        store.export_candidate(cid)
    reports = results_dir / "reports"
    reports.mkdir()
    (reports / "ranks.csv").write_text("rank,candidate_id,wpm\n1,11,41.0\n2,21,38.5\n", encoding="utf-8")
    (reports / "notes.txt").write_text("candidates 11 and KAND-1 passed; 21 and 1.5 did not.\n", encoding="utf-8")
    for cid in ("1", "11"):  # an export of one candidate: the id is a whole value of the details
        assert main(["export", *_url_args(store), "--candidate", cid, "--out", str(results_dir / f"x{cid}.csv")]) == 0
    audit_before = store.audit_frame()
    about_1 = audit_before[(audit_before.object_id == "1")
                           | audit_before.details.map(lambda d: isinstance(d, dict) and d.get("candidate") == "1")]
    assert len(about_1) == 3  # consent, candidate export, export --candidate 1

    removed = store.erase_candidate("1")

    audit = store.audit_frame().set_index("audit_id")
    redacted = audit[audit.object_id == "(erased)"]
    assert set(redacted.index) == set(about_1.audit_id) and removed["audit_entries_redacted"] == 3
    assert redacted.details.isna().all()
    exports_left = audit[audit.action == "exported"].details
    assert [d["candidate"] for d in exports_left if isinstance(d, dict) and d.get("candidate")] == ["11"]
    for cid in others:  # every entry of the others intact
        assert len(audit[audit.object_id == cid]) == 2, cid
    assert (reports / "ranks.csv").read_text(encoding="utf-8") == "rank,candidate_id,wpm\n1,11,41.0\n2,21,38.5\n"
    assert (reports / "notes.txt").exists()
    for cid in others:
        assert (results_dir / "exports" / cid / "candidate.json").exists(), cid
    assert not (results_dir / "exports" / "1").exists()
    assert sorted(set(store.attempts_frame().candidate_id)) == sorted(others)
    touched = dict(removed["touched"])
    assert touched.pop("x1.csv") == "deleted"  # the export of candidate 1 alone
    assert all(p.startswith("exports/<candidate>/") for p in touched), touched
    assert not (results_dir / "x1.csv").exists() and len(pd.read_csv(results_dir / "x11.csv")) == 1


# ---- item 3: every file the project wrote -----------------------------------------------------


def _fill_from_fixture(store: Store) -> None:
    """The analysis fixture cohort (candidates c01-c05, 2026-A) through the Store API."""
    from typingtest.analysis.frame import read_attempts_csv

    frame = read_attempts_csv(DATA / "analysis_cohort.csv")
    sessions: dict[str, str] = {}
    for rec in frame.sort_values("started_at").to_dict("records"):
        store.ensure_candidate(rec["candidate_id"], rec["cohort"],
                               name=NAME if rec["candidate_id"] == "c03" else None,
                               email=EMAIL if rec["candidate_id"] == "c03" else None)
        if rec["session_id"] not in sessions:
            sessions[rec["session_id"]] = store.start_session(rec["candidate_id"], rec["battery"],
                                                              language=rec["language"])
        recorder = store.begin_attempt(sessions[rec["session_id"]], rec["task"], rec["item"], bool(rec["practice"]),
                                       {})
        metrics = dict(rec["metrics"])
        for col in ("wpm", "net_wpm", "msd_error_rate", "uncorrected_error_rate", "total_error_rate", "kspc"):
            if rec[col] == rec[col]:
                metrics[col] = rec[col]
        recorder.finish(None, metrics, rec["verdicts"], rec["actions"])
    for sid in sessions.values():
        store.end_session(sid)


@pytest.mark.slow
def test_erasure_rewrites_cohort_files_and_deletes_what_cannot_be_rewritten(store, results_dir, capsys):
    """Exports (CSV, XLSX, Parquet + events), the report (HTML, PDF, CSV/XLSX/Parquet tables), a
    comparison and a progress folder: after erasing c03 no file shows c03, the name or the
    e-mail (read as its format), the cohort tables still hold the other four, the others'
    applicant PDFs are untouched, and the erase report lists every file touched."""
    _fill_from_fixture(store)
    db = _url_args(store)
    exports, reports = results_dir / "exports", results_dir / "reports"
    for fmt in ("csv", "xlsx", "parquet"):
        assert main(["export", *db, "--format", fmt, "--out", str(exports / f"cohort.{fmt}"), "--events"]) == 0
    assert main(["report", *db, "--cohort", "2026-A", "--out", str(reports / "report.html"), "--pdf",
                 "--tables", "csv,xlsx,parquet", "--lang", "en"]) == 0
    assert main(["compare", *db, "c03", "c01", "c02", "--cohort", "2026-A", "--out", str(reports / "cmp")]) == 0
    assert main(["progress", *db, "c03", "--out", str(reports / "prog-c03")]) == 0
    c01_pdf = (reports / "cmp" / "c01.pdf").read_bytes()
    assert "reports/report.pdf" in _holders(results_dir, "c03"), "the PDF must show c03 before erasure"
    assert "exports/cohort.xlsx" in _holders(results_dir, "c03")
    frame = store.attempts_frame()
    c03_attempts = set(frame.loc[frame.candidate_id == "c03", "attempt_id"])
    others = sorted(set(frame.candidate_id) - {"c03"})
    assert len(others) >= 4
    capsys.readouterr()

    assert main(["candidate", "erase", "c03", "--yes", *db]) == 0
    out = capsys.readouterr().out

    assert _holders(results_dir, "c03", (NAME, EMAIL)) == []
    for fmt, read in (("csv", pd.read_csv), ("xlsx", pd.read_excel), ("parquet", pd.read_parquet)):
        table = read(exports / f"cohort.{fmt}")
        assert sorted(set(table.candidate_id)) == others, fmt
        events = pd.read_parquet(exports / "cohort-events.parquet")
        assert not set(events.attempt_id) & c03_attempts
    applicants = pd.read_csv(reports / "report_applicants.csv")
    assert sorted(applicants.candidate_id) == ["c01", "c02", "c04", "c05"]
    assert sorted(pd.read_csv(reports / "cmp" / "ranking.csv").candidate_id) == ["c01", "c02"]
    side = pd.read_excel(reports / "cmp" / "compare.xlsx", sheet_name="side-by-side")
    assert "c03" not in side.columns and "c01" in side.columns
    assert (reports / "cmp" / "c01.pdf").read_bytes() == c01_pdf
    for gone in ("report.html", "report.pdf", "cmp/c03.pdf", "prog-c03/progress.pdf", "prog-c03/weakest_keys.png"):
        assert not (reports / gone).exists(), gone
        assert f"deleted: reports/{gone.replace('c03', '<candidate>')}" in out, gone  # the id never shown
    for rewritten in ("exports/cohort.xlsx", "exports/cohort.parquet", "exports/cohort-events.parquet",
                      "reports/report.xlsx", "reports/cmp/compare.csv"):
        assert re.search(r"rewritten without the candidate \(\d+ row\(s\) removed\): " + re.escape(rewritten), out), \
            rewritten
    assert "c03" not in out and NAME not in out
    # the manifest no longer names c03; the rewritten files are still listed for the others
    with store.engine.connect() as conn:
        held = set(conn.execute(select(S.written_file_candidates.c.candidate_id)).scalars())
    assert "c03" not in held and {"c01", "c02"} <= held


# ---- item 10: resumable -----------------------------------------------------------------------


class _Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs (not even ``except Exception``)."""


@pytest.mark.parametrize("kill_at", ["after-tombstone", "journals", "files", "mid-files", "rows", "compact"])
def test_a_killed_erasure_is_finished_by_the_next_one(store, results_dir, monkeypatch, capsys, kill_at):
    """Killed at each step, a second ``candidate erase`` finds the running tombstone and finishes:
    no file or row then holds the id, the name or the e-mail; the tombstone never held the id."""
    cid = "KAND-73519"
    _add(store, cid, name=NAME)
    _add(store, "KEEP-2", seed=5)
    sid = store.start_session(cid, "default", "h", "ws-1", "nl")
    rec = store.begin_attempt(sid, "copy-typing", "nl-copy-02", False, {"presented": PASSAGE})
    rec.extend(typing_log()[:20])
    rec.close()  # an interrupted attempt's journal
    store.export_candidate(cid)
    all_xlsx = results_dir / "exports" / "all.xlsx"
    assert main(["export", *_url_args(store), "--format", "xlsx", "--out", str(all_xlsx)]) == 0

    def kill(*_a: object, **_k: object) -> None:
        raise _Killed

    real_record, real_rewrite = P._Job.record, P._rewrite_or_delete
    calls = {"n": 0}

    def record(self: P._Job, step: str, *a: object, **k: object) -> None:
        if step == kill_at:  # killed after the step's work, before it is recorded (rows: inside its transaction)
            raise _Killed
        real_record(self, step, *a, **k)

    def rewrite_once(*a: object, **k: object) -> str:
        calls["n"] += 1
        if calls["n"] == 2:  # killed between two files
            raise _Killed
        return real_rewrite(*a, **k)

    with monkeypatch.context() as patch:  # undone at the end of the block (the fixtures' own patches stay)
        if kill_at == "after-tombstone":
            patch.setattr(P, "_erase_files", kill)
        elif kill_at == "mid-files":
            patch.setattr(P, "_rewrite_or_delete", rewrite_once)
        elif kill_at == "compact":
            if store.dialect != "sqlite":
                pytest.skip("PostgreSQL has no compact step on the erase path")
            patch.setattr(P, "compact_database", kill)
        else:
            patch.setattr(P._Job, "record", record)
        with pytest.raises(_Killed):
            store.erase_candidate(cid)
    if kill_at == "rows":  # the transaction was rolled back: the consents are still there
        with store.engine.connect() as conn:
            assert conn.execute(select(S.consents).where(S.consents.c.candidate_id == cid)).first() is not None
    with store.engine.connect() as conn:
        job = conn.execute(select(S.erasures)).mappings().one()
    assert job["state"] == "running" and cid not in json.dumps(dict(job), default=str)

    capsys.readouterr()
    assert main(["candidate", "erase", cid, "--yes", *_url_args(store)]) == 0
    out = capsys.readouterr().out
    assert "an earlier, interrupted erasure finished" in out and cid not in out
    assert _holders(results_dir, cid, (NAME, EMAIL)) == []
    assert _db_mentions(store, [cid, NAME, EMAIL]) == []
    with store.engine.connect() as conn:
        jobs = conn.execute(select(S.erasures)).mappings().all()
    assert [j["state"] for j in jobs] == ["done"]
    assert sorted(pd.read_excel(all_xlsx).candidate_id.unique()) == ["KEEP-2"]
    assert set(store.attempts_frame().candidate_id) == {"KEEP-2"}
    # a third run: the candidate is gone, one line, exit 2
    assert main(["candidate", "erase", cid, "--yes", *_url_args(store)]) == 2
    assert "not in" in capsys.readouterr().err


# ---- item 14: a running attempt elsewhere, no VACUUM FULL on the erase path --------------------


def test_an_attempt_running_elsewhere_finishes_into_the_tombstone(store, db_url, tmp_path):
    """Workstation A records; workstation B (same database, same centre key) erases the candidate; A's
    attempt then finishes: nothing stored, the journal removed, the tombstone counts one drop."""
    cid = "KAND-20001"
    _add(store, cid, n=1)
    _add(store, "KEEP-3", n=1, seed=3)
    sid = store.start_session(cid, "default", "h", "ws-a", "nl")
    rec = store.begin_attempt(sid, "copy-typing", "nl-copy-01", False, {"presented": PASSAGE, "target": "copy"})
    log = typing_log(seed=9)
    rec.extend(log)
    other_dir = tmp_path / "ws-b"
    other_dir.mkdir()
    (other_dir / "signing.key").write_bytes(store.key_file.read_bytes())  # the centre key, shared
    (other_dir / "signing.key").chmod(0o600)
    ws_b = Store(db_url, other_dir, other_dir / "signing.key", workstation="ws-b")
    removed = ws_b.erase_candidate(cid)
    assert removed["sessions"] == 2 and removed["attempts"] == 1
    ws_b.close()

    rec.close()  # the workstation's attempt ends; what finish then hands to the store:
    fmt, blob = store.log_codec.encode(log)
    final = {"state": "complete", "ended_at": datetime.now(UTC).isoformat(), "metrics": {}, "verdicts": [],
             "actions": None, "format": fmt}
    assert store.store_attempt(dict(rec.header), log, blob, fmt, final, "finish") == Stored.DROPPED_ERASED
    with store.engine.connect() as conn:
        assert conn.execute(select(S.attempts).where(S.attempts.c.attempt_id == rec.attempt_id)).first() is None
        steps_text = conn.execute(select(S.erasures.c.steps)).scalar()
    assert json.loads(steps_text)["dropped_attempts"] == 1 and cid not in steps_text
    assert set(store.attempts_frame().candidate_id) == {"KEEP-3"}
    # recover hands the same header again: the same answer, counted again; truthy, so the journal may go
    assert store.store_attempt(dict(rec.header), log, blob, fmt, final, "recovery") == Stored.DROPPED_ERASED
    assert Stored.DROPPED_ERASED and Stored.STORED and not Stored.ALREADY
    # a new registration under the same id after the erasure is stored normally
    _add(store, cid, n=1, seed=11)
    assert cid in set(store.attempts_frame().candidate_id)


def _other_workstation(store: Store, db_url: str, tmp_path: Path) -> Store:
    """A second workstation on the same database, holding the centre key, with its own results folder."""
    other_dir = tmp_path / "ws-b"
    other_dir.mkdir()
    (other_dir / "signing.key").write_bytes(store.key_file.read_bytes())
    (other_dir / "signing.key").chmod(0o600)
    return Store(db_url, other_dir, other_dir / "signing.key", workstation="ws-b")


def test_recorder_finish_into_the_tombstone_removes_the_journal(store, db_url, tmp_path):
    cid = "KAND-20002"
    _add(store, cid, n=1)
    sid = store.start_session(cid, "default", "h", "ws-a", "nl")
    rec = store.begin_attempt(sid, "copy-typing", "nl-copy-01", False, {"presented": PASSAGE, "target": "copy"})
    log = typing_log(seed=9)
    rec.extend(log)
    ws_b = _other_workstation(store, db_url, tmp_path)
    ws_b.erase_candidate(cid)
    ws_b.close()
    rec.finish(log, compute_metrics(PASSAGE, log, "copy"), [], None)
    assert not rec.journal_path.exists()


def test_erase_runs_no_vacuum_full_and_maintenance_does(store, capsys):
    _add(store, "KAND-30001", n=1)
    _add(store, "KEEP-4", n=1, seed=4)
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *a: statements.append(statement))
    removed = store.erase_candidate("KAND-30001")
    assert not [s for s in statements if "VACUUM FULL" in s.upper()]
    if store.dialect == "postgresql":
        assert not [s for s in statements if s.upper().startswith("VACUUM")]
        assert "maintenance --vacuum" in removed["compaction"]
    capsys.readouterr()
    assert main(["maintenance", "--vacuum", *_url_args(store)]) == 0
    out = capsys.readouterr().out
    assert ("VACUUM FULL" in out) if store.dialect == "postgresql" else ("VACUUM" in out)


@pytest.mark.slow
def test_erase_survives_real_sigkills(results_dir):
    """``typingtest candidate erase`` in a subprocess, SIGKILLed at rising delays, then run to the end:
    no row or file then holds the id, the name or the e-mail, and exactly one erasure is done.
    (SQLite; Linux-only test helper: subprocess + SIGKILL.)"""
    import os
    import signal
    import subprocess
    import sys
    import time

    cid = "KAND-55501"
    store = Store(f"sqlite:///{(results_dir / 'typingtest.sqlite').as_posix()}", results_dir,
                  results_dir / "signing.key")
    _add(store, cid, name=NAME, n=3)
    _add(store, "KEEP-5", n=1, seed=7)
    store.export_candidate(cid)
    for fmt in ("csv", "xlsx", "parquet"):
        assert main(["export", "--format", fmt, "--events", "--out", str(results_dir / "exports" / f"c.{fmt}")]) == 0
    store.close()
    env = {**os.environ, "TYPINGTEST_RESULTS": str(results_dir)}
    argv = [sys.executable, "-m", "typingtest", "candidate", "erase", cid, "--yes"]
    mid_job = 0
    for delay in (0.6, 1.0, 1.4, 1.8, 2.2, 2.6, 3.0):
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        s = Store(f"sqlite:///{(results_dir / 'typingtest.sqlite').as_posix()}", results_dir,
                  results_dir / "signing.key")
        with s.engine.connect() as conn:
            mid_job += conn.execute(select(S.erasures).where(S.erasures.c.state == "running")).first() is not None
            finished = conn.execute(select(S.erasures).where(S.erasures.c.state == "done")).first() is not None
        s.close()
        if finished:
            break
    final = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
    assert final.returncode in (0, 2), final.stderr  # 2: an earlier run had finished ("not in the store")
    store = Store(f"sqlite:///{(results_dir / 'typingtest.sqlite').as_posix()}", results_dir,
                  results_dir / "signing.key")
    assert _holders(results_dir, cid, (NAME, EMAIL)) == []
    assert _db_mentions(store, [cid, NAME, EMAIL]) == []
    with store.engine.connect() as conn:
        assert [r.state for r in conn.execute(select(S.erasures))] == ["done"]
    assert set(store.attempts_frame().candidate_id) == {"KEEP-5"}
    store.close()
    print(f"kills that left a running erasure job: {mid_job}")


def test_a_manifest_file_not_on_this_computer_is_reported_not_counted(store, results_dir, tmp_path, capsys):
    """A file the manifest names but this computer lacks (deleted by hand, or written on another
    workstation of a shared database) is named in the erase report; nothing else happens to it."""
    _add(store, "KAND-60001", n=1)
    _add(store, "KEEP-6", n=1, seed=6)
    out = tmp_path / "elsewhere" / "all.csv"
    assert main(["export", *_url_args(store), "--out", str(out)]) == 0
    out.unlink()
    removed = store.erase_candidate("KAND-60001")
    assert (str(out), P.NOT_HERE) in removed["touched"] and removed["files"] == 0
    with store.engine.connect() as conn:  # the others' link to the path stays, the erased one's goes
        held = [r.candidate_id for r in conn.execute(select(S.written_file_candidates))]
    assert held == ["KEEP-6"]


def test_recover_drops_an_erased_candidates_journal_into_the_tombstone(store, db_url, tmp_path):
    """A workstation killed mid-attempt while the candidate was erased elsewhere: its journal is no
    orphan kept forever (every later recover exiting 1) but dropped into the tombstone and removed."""
    cid = "KAND-20003"
    _add(store, cid, n=1)
    sid = store.start_session(cid, "default", "h", "ws-a", "nl")
    rec = store.begin_attempt(sid, "copy-typing", "nl-copy-01", False, {"presented": PASSAGE, "target": "copy"})
    rec.extend(typing_log(seed=5))
    rec.close()  # the workstation died: the journal stays
    ws_b = _other_workstation(store, db_url, tmp_path)
    ws_b.erase_candidate(cid)  # erased from another workstation, which cannot see this journal ...
    ws_b.close()
    assert rec.journal_path.exists()
    results = store.recover()
    assert [r.status for r in results] == ["dropped-erased"]
    assert not rec.journal_path.exists()
    assert store.recover() == []  # ... and nothing is left for a later recover to trip over
    assert cid not in set(store.attempts_frame(include_practice=True).candidate_id)
