"""Privacy and failure paths through the CLI: erase (raw bytes), export, corrupt database, down server."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from store_testkit import PASSAGE, typing_log

from typingtest.cli import main
from typingtest.engine.events import EventKind, make_log
from typingtest.store import Store, compute_metrics

NAME = "Wannes Vandenbroucke"
CID = "KAND-73519"


def _populate(results_dir: Path, candidates=(CID, "KAND-00001"), url: str | None = None) -> Store:
    store = Store(url or f"sqlite:///{(results_dir / 'typingtest.sqlite').as_posix()}", results_dir,
                  results_dir / "signing.key", workstation="ws-1")
    for n, cid in enumerate(candidates):
        store.ensure_candidate(cid, "sept", name=NAME if cid == CID else "Other Person", email=f"{cid}@example.be")
        store.record_consent(cid, "consent-nl-v3")
        sid = store.start_session(cid, "default", "h", "ws-1", "nl")
        for k in range(3):
            # the id also inside the events (a candidate typing their own id in the intake form)
            meta = {"presented": PASSAGE, "target": "copy", "note": cid}
            rec = store.begin_attempt(sid, "copy-typing", "nl-copy-01", k == 0, meta)
            log = np.concatenate([make_log([{"kind": EventKind.MARKER, "text": cid, "target": "intake"}]),
                                  typing_log(seed=n * 10 + k)])
            rec.extend(log)
            rec.finish(log, compute_metrics(PASSAGE, log, "copy"), [], None)
        store.end_session(sid)
    return store


def _files_containing(root: Path, needles: list[str]) -> list[str]:
    hits = []
    encoded = [enc for n in needles for enc in (n.encode("utf-8"), n.encode("utf-16-le"))]
    for p in root.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            if any(e in data for e in encoded):
                hits.append(str(p.relative_to(root)))
    return hits


def test_erase_leaves_no_trace_in_any_file(results_dir, capsys):
    store = _populate(results_dir)
    # an unfinished attempt's journal and an exported report also hold the id
    sid = store.start_session(CID, "default", "h", "ws-1", "nl")
    rec = store.begin_attempt(sid, "copy-typing", "nl-copy-02", False, {"presented": PASSAGE})
    rec.extend(typing_log()[:20])
    rec.close()
    assert main(["candidate", "export", CID]) == 0
    (results_dir / "reports").mkdir()
    (results_dir / "reports" / "cohort.html").write_text(f"<td>{CID}</td><td>{NAME}</td>", encoding="utf-8")
    store.close()
    assert _files_containing(results_dir, [CID, NAME]), "the test must start with traces to remove"
    capsys.readouterr()
    assert main(["candidate", "erase", CID, "--yes"]) == 0
    out = capsys.readouterr().out
    assert "attempts 3" in out and "journals 1" in out and CID not in out
    assert _files_containing(results_dir, [CID, NAME, f"{CID}@example.be"]) == []
    # the other candidate is intact and still verifies
    store = Store(f"sqlite:///{(results_dir / 'typingtest.sqlite').as_posix()}", results_dir,
                  results_dir / "signing.key")
    frame = store.attempts_frame(include_practice=True)
    assert set(frame.candidate_id) == {"KAND-00001"} and len(frame) == 3
    assert all(r.ok for r in store.verify())
    audit = store.audit_frame()
    erased = audit[audit.action == "erased"].iloc[0]  # written first, with the tombstone
    assert erased.object_id == "erasure #1" and erased.details == {"erasure": 1, "state": "started"}
    done = audit[audit.action == "erasure-done"].iloc[0]
    assert done.object_id == "erasure #1" and done.details["attempts"] == 3 and done.details["journals"] == 1
    assert erased.audit_id < done.audit_id
    store.close()
    # the report lists every file touched, the id never shown
    assert "deleted: exports/<candidate>/candidate.json" in out and "deleted: reports/cohort.html" in out


def test_erase_refuses_without_yes_when_not_interactive(results_dir, capsys, monkeypatch):
    _populate(results_dir).close()
    monkeypatch.setattr("sys.stdin", open("/dev/null"))  # noqa: SIM115
    assert main(["candidate", "erase", CID]) == 2
    assert "--yes" in capsys.readouterr().err


def test_candidate_export_holds_everything(results_dir, tmp_path):
    _populate(results_dir).close()
    out = tmp_path / "export"
    assert main(["candidate", "export", CID, "--out", str(out)]) == 0
    doc = json.loads((out / "candidate.json").read_text(encoding="utf-8"))
    assert doc["candidate"]["candidate_id"] == CID and doc["contact"]["name"] == NAME
    assert len(doc["attempts"]) == 3 and len(doc["consents"]) == 1 and len(doc["sessions"]) == 1
    csvs = sorted((out / "events").glob("*.csv"))
    assert len(csvs) == 3
    events = pd.read_csv(csvs[0], keep_default_na=False)
    assert list(events.columns) == ["t", "kind", "key", "scancode", "mod", "text", "target", "x", "y"]
    assert len(events) == len(typing_log(seed=0)) + 1  # + the intake marker


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_export_formats(results_dir, tmp_path, fmt):
    _populate(results_dir).close()
    out = tmp_path / f"attempts.{fmt}"
    args = ["export", "--format", fmt, "--out", str(out), "--cohort", "sept", "--since", "2020-01-01"]
    assert main([*args, "--events"] if fmt == "parquet" else args) == 0
    table = {"csv": pd.read_csv, "xlsx": pd.read_excel, "parquet": pd.read_parquet}[fmt](out)
    assert len(table) == 4  # 2 candidates x 2 scored attempts (practice left out)
    for col in ("candidate_id", "session_id", "task", "item", "practice", "started_at", "state", "transcribed",
                "wpm", "net_wpm", "msd_error_rate", "uncorrected_error_rate", "iki_mean_ms", "iki_sd_ms",
                "verdicts"):
        assert col in table.columns, col
    assert set(table.transcribed) == {PASSAGE}
    if fmt == "parquet":
        events = pd.read_parquet(tmp_path / "attempts-events.parquet")
        assert len(events) == 4 * (len(typing_log(seed=0)) + 1)
        assert set(events.attempt_id) == set(table.attempt_id)


def test_export_rejects_a_bad_date(results_dir, capsys):
    _populate(results_dir).close()
    assert main(["export", "--since", "yesterday"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--since" in err


def test_corrupt_database_is_one_line_and_untouched(results_dir, capsys):
    """A damaged SQLite file: one clear line, non-zero exit, not one byte changed."""
    store = _populate(results_dir, candidates=(CID,))
    store.close()
    db = results_dir / "typingtest.sqlite"
    for damage in ("header", "pages"):
        data = bytearray(db.read_bytes())
        if damage == "header":
            data[:16] = b"garbage garbage!"
        else:
            data[4096 : len(data)] = b"\xa5" * (len(data) - 4096)  # every page after the first scrambled
        bad = results_dir / f"bad-{damage}.sqlite"
        bad.write_bytes(bytes(data))
        before = bad.read_bytes()
        for argv in (["verify"], ["recover"], ["export", "--out", str(results_dir / "x.csv")]):
            code = main([*argv, "--db", f"sqlite:///{bad.as_posix()}"])
            err = capsys.readouterr().err
            assert code != 0, (damage, argv)
            assert err.count("\n") == 1 and str(bad) in err and "Traceback" not in err, err
        assert bad.read_bytes() == before, f"{damage}: the damaged file was modified"
        assert not Path(f"{bad}-wal").exists() or Path(f"{bad}-wal").stat().st_size == 0


def test_database_down_cli(results_dir, capsys):
    code = main(["verify", "--db", "postgresql://tt@127.0.0.1:9/results"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "unreachable" in err and "127.0.0.1:9" in err


def test_recover_cli_reports_torn_journal(results_dir, capsys):
    store = _populate(results_dir, candidates=(CID,))
    sid = store.start_session(CID, "default", "h", "ws-1", "nl")
    rec = store.begin_attempt(sid, "copy-typing", "nl-copy-01", False, {"presented": PASSAGE})
    rec.extend(typing_log()[:50])
    rec.close()
    path = rec.journal_path
    path.write_bytes(path.read_bytes()[:-7])  # torn mid-record
    store.close()
    capsys.readouterr()
    assert main(["recover"]) == 0
    out = capsys.readouterr().out
    assert "recovered" in out and "49 events" in out and "torn" in out


def test_purge_cli(results_dir, capsys):
    _populate(results_dir).close()
    assert main(["purge", "--days", "0", "--dry-run"]) == 0
    assert "2 candidate(s)" in capsys.readouterr().out
    assert main(["purge", "--days", "0"]) == 2  # needs --yes
    assert main(["purge", "--days", "0", "--yes"]) == 0
    assert "erased 2" in capsys.readouterr().out
    assert _files_containing(results_dir, [CID, NAME]) == []


def test_verify_cli_flags_tampering(results_dir, capsys):
    store = _populate(results_dir, candidates=(CID,))
    store.close()
    assert main(["verify"]) == 0
    db = results_dir / "typingtest.sqlite"
    shutil.copy(db, results_dir / "backup.sqlite")
    import sqlite3

    con = sqlite3.connect(db)
    con.execute("UPDATE attempts SET transcribed = 'tampered' WHERE practice = 0 AND rowid = "
                "(SELECT min(rowid) FROM attempts WHERE practice = 0)")
    con.commit()
    con.close()
    capsys.readouterr()
    assert main(["verify"]) == 1
    out = capsys.readouterr().out
    assert out.count("NOT VERIFIED") == 1 and "1 not verified" in out


@pytest.mark.postgres
def test_cli_against_postgresql(pg_server, results_dir, tmp_path, capsys):
    """The commands with --db on a real PostgreSQL server: export, verify, candidate export/erase."""
    url = pg_server.new_database()
    _populate(results_dir, url=url).close()
    assert main(["verify", "--db", url]) == 0
    assert main(["export", "--db", url, "--format", "csv", "--out", str(tmp_path / "a.csv")]) == 0
    assert len(pd.read_csv(tmp_path / "a.csv")) == 4
    assert main(["candidate", "export", CID, "--db", url, "--out", str(tmp_path / "c")]) == 0
    assert main(["candidate", "erase", CID, "--yes", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "attempts 3" in out and "VACUUM" not in out.replace("maintenance --vacuum", "")
    assert "maintenance --vacuum" in out
    store = Store(url, results_dir, results_dir / "signing.key")
    assert set(store.attempts_frame(include_practice=True).candidate_id) == {"KAND-00001"}
    assert store.candidate(CID) is None
    store.close()


@pytest.mark.parametrize("url", ["mysql://u@h/db", "nonsense"])
def test_unsupported_database_url(results_dir, capsys, url):
    assert main(["verify", "--db", url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "sqlite:///PATH" in err


def test_password_never_shown(results_dir, capsys):
    assert main(["verify", "--db", "postgresql://tt:hunter2@127.0.0.1:9/results"]) == 2
    err = capsys.readouterr().err
    assert "hunter2" not in err and "***" in err


# ---- audit first (issue 19, items 8 and 15) ------------------------------------------------------


def _audit_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """The database refuses the audit entry (read-only file, server down at that moment)."""
    from typingtest.store.store import StoreError

    def refuse(self: Store, *a: object, **k: object) -> None:
        raise StoreError(f"{self.display_url}: database unreachable while trying to write the audit log (test)")

    monkeypatch.setattr(Store, "audit", refuse)


@pytest.mark.parametrize("argv", [["export", "--format", "xlsx", "--events"], ["candidate", "export", CID]])
def test_no_file_left_when_the_audit_cannot_be_stored(results_dir, tmp_path, monkeypatch, capsys, argv):
    _populate(results_dir).close()
    out = tmp_path / "out"
    out.mkdir()
    target = ["--out", str(out / "attempts.xlsx")] if argv[0] == "export" else ["--out", str(out / "cand")]
    before = {p for p in results_dir.rglob("*") if p.is_file()}
    _audit_fails(monkeypatch)
    assert main([*argv, *target]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "audit log" in err
    assert [p for p in out.rglob("*") if p.is_file()] == [] and not list(out.rglob(".typingtest-partial-*"))
    after = {p for p in results_dir.rglob("*") if p.is_file() and not p.name.startswith("typingtest.sqlite")}
    assert after <= before  # nothing new in the results folder either (no staging folder left)


def test_default_export_places_leave_nothing_unaudited(results_dir, monkeypatch, capsys):
    """The default folders (results/exports/...) too: the audit refused, no export file, no staging folder."""
    _populate(results_dir).close()
    _audit_fails(monkeypatch)
    assert main(["export", "--format", "csv"]) == 2
    assert main(["candidate", "export", CID]) == 2
    assert [p for p in results_dir.rglob("*") if p.is_file() and "exports" in p.parts] == []


def test_an_export_killed_midway_leaves_no_complete_file(results_dir, tmp_path, monkeypatch):
    """Killed while the events are written (after the table): the table is not in place, no audit entry."""
    _populate(results_dir).close()

    class Killed(BaseException):
        pass

    def killed(*a: object, **k: object) -> None:
        raise Killed

    monkeypatch.setattr(pd.DataFrame, "to_parquet", killed)
    with pytest.raises(Killed):
        main(["export", "--format", "csv", "--events", "--out", str(tmp_path / "a.csv")])
    monkeypatch.undo()
    assert list(tmp_path.glob("a*")) == []
    store = Store(f"sqlite:///{(results_dir / 'typingtest.sqlite').as_posix()}", results_dir,
                  results_dir / "signing.key")
    assert "exported" not in set(store.audit_frame().action)
    store.close()


def test_export_records_the_manifest_and_audits_first(results_dir, tmp_path):
    _populate(results_dir).close()
    out = tmp_path / "a.parquet"
    assert main(["export", "--format", "parquet", "--events", "--out", str(out)]) == 0
    store = Store(f"sqlite:///{(results_dir / 'typingtest.sqlite').as_posix()}", results_dir,
                  results_dir / "signing.key")
    from sqlalchemy import select

    from typingtest.store import schema as S

    with store.engine.connect() as conn:
        files = {r.path: r for r in conn.execute(select(S.written_files))}
        held = {(r.file_id, r.candidate_id) for r in conn.execute(select(S.written_file_candidates))}
    store.close()
    assert set(files) == {str(out.resolve()), str((tmp_path / "a-events.parquet").resolve())}
    assert {f.purpose for f in files.values()} == {"export", "export-events"}
    assert {c for _, c in held} == {CID, "KAND-00001"} and len(held) == 4


def test_export_warns_about_attempts_it_cannot_place(results_dir, tmp_path, capsys):
    """An attempt whose session is gone (deleted with foreign keys off) is counted on stderr, one line."""
    _populate(results_dir).close()
    import sqlite3

    con = sqlite3.connect(results_dir / "typingtest.sqlite")
    con.execute("PRAGMA foreign_keys = OFF")
    sid = con.execute("SELECT session_id FROM sessions WHERE candidate_id = ?", (CID,)).fetchone()[0]
    con.execute("DELETE FROM sessions WHERE session_id = ?", (sid,))
    con.commit()
    con.close()
    capsys.readouterr()
    assert main(["export", "--format", "csv", "--include-practice", "--out", str(tmp_path / "a.csv")]) == 0
    captured = capsys.readouterr()
    assert len(pd.read_csv(tmp_path / "a.csv")) == 3  # the other candidate's 3
    assert captured.err.count("\n") == 1 and "3 attempt(s)" in captured.err and "cannot be placed" in captured.err
    assert main(["export", "--format", "csv", "--out", str(tmp_path / "b.csv"), "--candidate", "KAND-00001"]) == 0
    assert "3 attempt(s)" in capsys.readouterr().err  # counted whatever the filter: rows no export can place
