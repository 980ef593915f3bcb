"""The Store API against SQLite and a real PostgreSQL server (the ``store`` fixture runs both)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import create_engine, select, text, update
from store_testkit import PASSAGE, new_attempt, typing_log

from typingtest.engine.events import EventKind
from typingtest.store import FRAME_COLUMNS, Store, StoreError, compute_metrics
from typingtest.store import schema as S

VERDICT = {"indicator": "msd_error_rate", "value": 0.0, "threshold": 0.03, "comparison": "<=",
           "source": "qualification", "competence": "D140801 Id17267", "passed": True}


def _finish(store, candidate="CAND-0001", cohort="2026-11", practice=False, seed=0):
    sid, rec = new_attempt(store, candidate, cohort, practice)
    log = typing_log(seed=seed)
    for row in log:
        rec.append(row)
    metrics = compute_metrics(PASSAGE, log, "copy")
    aid = rec.finish(log, metrics, [VERDICT], None)
    return sid, aid, log, metrics


def test_schema_version_recorded_once(store, db_url, results_dir):
    Store(db_url, results_dir, results_dir / "signing.key").close()  # open again: no migration re-applied
    with store.engine.connect() as conn:
        versions = list(conn.execute(select(S.schema_version.c.version)).scalars())
    assert versions == [v for v, _, _ in S.MIGRATIONS]  # each migration once, in order


def test_newer_schema_is_refused(store, db_url, results_dir):
    with store.engine.begin() as conn:
        conn.execute(S.schema_version.insert().values(version=99, applied_at=datetime.now(UTC), description="x"))
    with pytest.raises(StoreError, match="newer"):
        Store(db_url, results_dir, results_dir / "signing.key")


def test_finished_attempt_round_trip(store, results_dir):
    sid, aid, log, metrics = _finish(store)
    np.testing.assert_array_equal(store.events(aid), log)
    assert not list((results_dir / "journal").glob("*.ttj")), "journal must go once the attempt is stored"
    frame = store.attempts_frame()
    assert list(frame.columns) == list(FRAME_COLUMNS)
    assert len(frame) == 1
    row = frame.iloc[0]
    assert (row.candidate_id, row.session_id, row.attempt_id, row.task, row.state) == (
        "CAND-0001", sid, aid, "copy-typing", "complete")
    assert row.verified is True
    assert row.transcribed == PASSAGE
    # the metric columns are the engine's figures; 0 MSD errors, IF 8 (typing_log makes 8 corrected typos)
    assert row.msd_error_rate == 0.0
    assert row.corrected_error_rate == pytest.approx(metrics["corrected_error_rate"])
    assert row.metrics["if"] == 8
    assert row.verdicts == [VERDICT]
    assert isinstance(row.started_at, pd.Timestamp) and row.started_at.tz is not None


def test_frame_filters(store):
    _finish(store, "A-1", "march", seed=1)
    _finish(store, "B-2", "april", seed=2)
    _finish(store, "B-2", "april", practice=True, seed=3)
    assert set(store.attempts_frame(cohort="april").candidate_id) == {"B-2"}
    assert len(store.attempts_frame(candidate="B-2")) == 1
    assert len(store.attempts_frame(candidate="B-2", include_practice=True)) == 2
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    assert len(store.attempts_frame(since=tomorrow)) == 0
    assert len(store.attempts_frame(since="2020-01-01")) == 2
    empty = store.attempts_frame(cohort="nobody")
    assert list(empty.columns) == list(FRAME_COLUMNS) and len(empty) == 0


def test_consent_session_and_audit(store):
    store.ensure_candidate("C-9", "may", name="Els Janssens", email="els@example.be")
    cid = store.record_consent("C-9", "consent-nl-2026-01")
    assert cid >= 1
    sid = store.start_session("C-9", "default", "h", "ws-3", "nl")
    store.end_session(sid, "complete")
    sessions = store.sessions_frame("C-9")
    assert list(sessions.state) == ["complete"] and sessions.ended_at.notna().all()
    audit = store.audit_frame()
    assert "consent" in set(audit.action)
    with store.engine.connect() as conn:
        contact = conn.execute(select(S.candidate_contacts)).mappings().one()
        cand = conn.execute(select(S.candidates)).mappings().one()
    assert contact["name"] == "Els Janssens"
    assert "name" not in cand  # kept apart from the pseudonymous row


def test_bad_candidate_id_is_a_user_error(store):
    with pytest.raises(Exception, match="candidate id"):
        store.ensure_candidate("  ")


def test_interrupted_attempt_recovered_with_engine_metrics(store, results_dir):
    _sid, rec = new_attempt(store)
    log = typing_log(seed=4)[:150]
    for row in log:
        rec.append(row)
    rec.close()  # the workstation died: no finish
    results = store.recover()
    assert [r.status for r in results] == ["recovered"]
    frame = store.attempts_frame()
    assert list(frame.state) == ["interrupted"]
    aid = frame.attempt_id[0]
    np.testing.assert_array_equal(store.events(aid), log)
    expected = compute_metrics(PASSAGE, log, "copy")
    assert frame.metrics[0] == expected
    assert frame.verdicts[0] == []
    assert store.sessions_frame().state[0] == "interrupted"
    assert frame.verified[0] is True
    assert not list((results_dir / "journal").glob("*.ttj"))


def test_recover_skips_a_running_attempt(store):
    _, rec = new_attempt(store)
    rec.append(typing_log()[0])
    rec.flush()
    assert [r.status for r in store.recover()] == ["in-use"]
    rec.finish(None, {}, [], None)
    assert store.recover() == []


def test_finish_while_database_down_keeps_the_journal(store, results_dir):
    """The database refuses at finish: one StoreError line, the journal stays, recover stores it as finished."""
    _, rec = new_attempt(store)
    log = typing_log(seed=8)
    rec.extend(log)
    good = store.engine
    store.engine = create_engine("postgresql+psycopg://nobody@127.0.0.1:9/none", connect_args={"connect_timeout": 2})
    metrics = compute_metrics(PASSAGE, log, "copy")
    with pytest.raises(StoreError, match="unreachable") as err:
        rec.finish(log, metrics, [VERDICT], [{"action": "x", "score": 1.0}])
    assert "\n" not in str(err.value) and "recover" in str(err.value)
    assert len(list((results_dir / "journal").glob("*.ttj"))) == 1
    store.engine = good
    assert [r.status for r in store.recover()] == ["stored-finished"]
    frame = store.attempts_frame()
    assert list(frame.state) == ["complete"]
    assert frame.verdicts[0] == [VERDICT] and frame.actions[0] == [{"action": "x", "score": 1.0}]
    assert frame.metrics[0] == metrics


def test_recovery_after_store_but_before_journal_removal(store, results_dir):
    _, rec = new_attempt(store)
    rec.extend(typing_log()[:10])
    path = rec.journal_path
    saved = path.read_bytes()
    aid = rec.finish(None, {}, [], None)
    path.write_bytes(saved)  # as if the crash came between commit and unlink
    assert [(r.status, r.attempt_id) for r in store.recover()] == [("already-stored", aid)]
    assert len(store.attempts_frame()) == 1


def test_verify_finds_a_changed_metric(store):
    _, aid, _, _ = _finish(store)
    _, other, _, _ = _finish(store, "C-2", seed=9)
    assert all(r.ok and r.recomputed for r in store.verify())
    with store.engine.begin() as conn:
        metrics = json.loads(conn.execute(select(S.attempts.c.metrics).where(S.attempts.c.attempt_id == aid)).scalar())
        metrics["net_wpm"] = metrics["net_wpm"] + 5.0
        conn.execute(update(S.attempts).where(S.attempts.c.attempt_id == aid).values(metrics=json.dumps(metrics)))
    results = {r.attempt_id: r for r in store.verify()}
    assert results[other].ok
    assert not results[aid].ok
    assert any("signature" in p for p in results[aid].problems)
    assert any("net_wpm" in p for p in results[aid].problems)
    frame = store.attempts_frame().set_index("attempt_id")
    assert frame.verified[aid] is False and frame.verified[other] is True


def test_verify_finds_a_changed_event(store):
    _, aid, log, _ = _finish(store)
    changed = log.copy()
    changed["text"][1] = "X"  # the first committed character altered
    _fmt, blob = store.log_codec.encode(changed)
    with store.engine.begin() as conn:
        conn.execute(update(S.attempt_events).where(S.attempt_events.c.attempt_id == aid).values(data=blob))
    (res,) = store.verify()
    assert any("event log changed" in p for p in res.problems)
    assert any("msd" in p for p in res.problems)  # the recomputed metrics differ too


def test_verify_finds_a_changed_verdict_and_another_key(store, db_url, results_dir):
    _, aid, _, _ = _finish(store)
    with store.engine.begin() as conn:
        conn.execute(update(S.attempts).where(S.attempts.c.attempt_id == aid)
                     .values(verdicts=json.dumps([{**VERDICT, "passed": False}])))
    (res,) = store.verify()
    assert res.problems == ["signature does not match: events or metadata changed after storing",
                            "verdict msd_error_rate: pass/fail does not follow from its value and threshold"]
    (results_dir / "other.key").write_text("bb" * 32 + "\n")  # a key that did not sign it
    other_key = Store(db_url, results_dir, results_dir / "other.key")
    assert other_key.attempts_frame().verified[0] is None  # cannot be checked there
    (res,) = other_key.verify()
    assert "does not hold" in res.problems[0]
    other_key.close()


def test_keyring_accepts_a_second_workstations_key(store, db_url, results_dir):
    """Workstation B's key file lists A's key on a second line: B signs with its own, checks both."""
    _finish(store)
    a_line = (results_dir / "signing.key").read_text().strip()
    b_file = results_dir / "b.key"
    b_file.write_text("aa" * 32 + "\n" + a_line + "  # workstation A\n")
    b = Store(db_url, results_dir, b_file)
    _, aid_b, _, _ = _finish(b, "CAND-B", seed=5)
    assert b.key.key_id != store.key.key_id
    assert [r.problems for r in b.verify(recompute=False)] == [[], []]
    by_a = {r.attempt_id: r.problems for r in store.verify(recompute=False)}
    assert "does not hold" in by_a[aid_b][0]  # A was not given B's key
    b.close()


def test_override_is_audited(store):
    _, aid, _, _ = _finish(store)
    store.record_override(aid, "net_wpm", True, "keyboard fault during minute 2", "assessor-7")
    ov = store.overrides_frame(aid)
    assert list(ov.indicator) == ["net_wpm"] and bool(ov.passed[0]) is True
    audit = store.audit_frame()
    row = audit[audit.action == "overrode"].iloc[0]
    assert row.actor == "assessor-7" and row.object_id == aid


def test_purge_erases_only_candidates_past_retention(store):
    _finish(store, "OLD-1", seed=1)
    _finish(store, "NEW-1", seed=2)
    with store.engine.begin() as conn:
        old = datetime.now(UTC) - timedelta(days=400)
        conn.execute(update(S.sessions).where(S.sessions.c.candidate_id == "OLD-1").values(started_at=old))
        conn.execute(update(S.candidates).where(S.candidates.c.candidate_id == "OLD-1").values(created_at=old))
    assert store.purge(365, dry_run=True) == ["OLD-1"]
    assert store.purge(365) == ["OLD-1"]
    assert set(store.attempts_frame().candidate_id) == {"NEW-1"}
    assert store.candidate("OLD-1") is None


def test_erase_removes_rows_and_redacts_audit(store):
    store.ensure_candidate("ERASE-ME", "june", name="Pieter De Smet")
    store.record_consent("ERASE-ME", "v1")
    _finish(store, "ERASE-ME", "june", seed=3)
    _finish(store, "KEEP-ME", "june", seed=4)
    store.export_candidate("ERASE-ME")
    removed = store.erase_candidate("ERASE-ME")
    assert (removed["attempts"], removed["sessions"], removed["consents"], removed["candidate"]) == (1, 1, 1, 1)
    assert removed["remaining_files"] == []
    with store.engine.connect() as conn:
        for table in S.metadata.sorted_tables:
            for row in conn.execute(select(table)).mappings():
                blob = json.dumps({k: v for k, v in row.items() if not isinstance(v, bytes)}, default=str)
                assert "ERASE-ME" not in blob and "Pieter" not in blob, table.name
        audit_actions = list(conn.execute(select(S.audit_log.c.action)).scalars())
    assert "erased" in audit_actions
    assert set(store.attempts_frame().candidate_id) == {"KEEP-ME"}


def test_database_down_is_one_clear_line(results_dir):
    with pytest.raises(StoreError) as err:
        Store("postgresql://tt@127.0.0.1:9/nothing", results_dir, results_dir / "k")
    msg = str(err.value)
    assert "\n" not in msg and "127.0.0.1:9" in msg and "unreachable" in msg


def test_event_rows_as_dicts(store):
    _sid, rec = new_attempt(store)
    rec.append({"t": 0.0, "kind": EventKind.KEY_DOWN, "key": 97, "target": "copy"})
    rec.append({"t": 0.001, "kind": EventKind.TEXT, "text": "a", "target": "copy"})
    aid = rec.finish(None, {}, [], None, state="abandoned")
    ev = store.events(aid)
    assert list(ev["kind"]) == [EventKind.KEY_DOWN, EventKind.TEXT] and ev["text"][1] == "a"
    assert store.attempts_frame().state[0] == "abandoned"


def test_sqlite_pragmas(results_dir):
    s = Store(f"sqlite:///{(results_dir / 'x.sqlite').as_posix()}", results_dir, results_dir / "k")
    with s.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA secure_delete")).scalar() == 1
    s.close()


def test_transcription_keeps_the_engine_rate_as_raw(store):
    """The workstation judges transcription on a normalised rate and keeps the engine's as raw_msd_error_rate."""
    _sid, rec = new_attempt(store, task="transcription")
    log = typing_log(seed=2)
    metrics = compute_metrics(PASSAGE, log, "copy")
    metrics["raw_msd_error_rate"], metrics["msd_error_rate"] = metrics["msd_error_rate"], 0.25
    rec.finish(log, metrics, [], None)
    (res,) = store.verify()
    assert res.ok and res.recomputed


def test_journal_disk_failure_at_finish_still_stores(store, monkeypatch):
    """The journal's disk fails at the end (disk full): the attempt still goes to the database."""
    _, rec = new_attempt(store)
    log = typing_log(seed=1)[:40]
    rec.extend(log)

    def disk_full(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rec._writer, "write_finish", disk_full)
    aid = rec.finish(log, {}, [], None)
    np.testing.assert_array_equal(store.events(aid), log)


def test_attempt_recorded_while_database_down(store, results_dir):
    """The database goes down between attempts: the next attempt is still journaled and recovered later."""
    sid = store.start_session("CAND-0001", "quick", "h", "ws-test", "nl")
    good = store.engine
    store.engine = create_engine("postgresql+psycopg://nobody@127.0.0.1:9/none", connect_args={"connect_timeout": 2})
    rec = store.begin_attempt(sid, "copy-typing", "nl-copy-01", False, {"presented": PASSAGE, "target": "copy"})
    log = typing_log(seed=12)
    rec.extend(log)
    with pytest.raises(StoreError):
        rec.finish(log, compute_metrics(PASSAGE, log, "copy"), [VERDICT], None)
    store.engine = good
    assert [r.status for r in store.recover()] == ["stored-finished"]
    np.testing.assert_array_equal(store.events(rec.attempt_id), log)


def test_resume_an_interrupted_session(store):
    sid, rec = new_attempt(store)
    rec.extend(typing_log(seed=3)[:30])
    rec.close()
    store.recover()
    assert store.sessions_frame().state[0] == "interrupted"
    done = store.resume_session(sid)
    assert list(done.state) == ["interrupted"] and list(done.session_id) == [sid]
    assert store.sessions_frame().state[0] == "running"
    rec2 = store.begin_attempt(sid, "copy-typing", "nl-copy-01", False, {})
    rec2.finish(typing_log(seed=4), {}, [], None)
    assert sorted(store.attempts_frame(session=sid).state) == ["complete", "interrupted"]


def test_reading_never_creates_a_key(store, db_url, results_dir, tmp_path):
    """An analysis machine without the centre's key: verified is None (cannot check), no key file made."""
    _finish(store)
    reader = Store(db_url, results_dir, tmp_path / "absent.key")
    frame = reader.attempts_frame()
    assert frame.verified[0] is None
    assert not (tmp_path / "absent.key").exists()
    with pytest.raises(Exception, match="no signing key"):
        reader.verify()
    reader.close()
