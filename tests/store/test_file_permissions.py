"""Files for their owner only (issue 19, item 7): under a permissive umask (022) the results folder and
the folders the project makes are 0700, the SQLite database, -wal, -shm, exports, candidate exports
and reports 0600. POSIX modes; on Windows the docs give the ACL advice instead."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from store_testkit import PASSAGE, typing_log

from typingtest.cli import main
from typingtest.store import Store, compute_metrics

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes (Windows: ACLs, see docs/store.md)")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _fill(store: Store, cid: str = "KAND-40001") -> None:
    store.ensure_candidate(cid, "sept", name="Anaïs Peeters")
    sid = store.start_session(cid, "default", "h", "ws-1", "nl")
    rec = store.begin_attempt(sid, "copy-typing", "nl-copy-01", False, {"presented": PASSAGE, "target": "copy"})
    log = typing_log(seed=1)
    rec.extend(log)
    rec.finish(log, compute_metrics(PASSAGE, log, "copy"), [], None)
    store.end_session(sid)


def test_results_folder_and_database_files_owner_only(results_dir, umask_022):
    results_dir.chmod(0o755)  # as an older version (or the umask) left it
    store = Store(f"sqlite:///{(results_dir / 'typingtest.sqlite').as_posix()}", results_dir,
                  results_dir / "signing.key")
    _fill(store)
    db = results_dir / "typingtest.sqlite"
    assert _mode(results_dir) == 0o700
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        assert path.exists(), path.name
        assert _mode(path) == 0o600, (path.name, oct(_mode(path)))
    store.close()


def test_a_database_elsewhere_leaves_its_folder_alone(tmp_path, umask_022):
    """A --db path in a folder of the user's: the file 0600, the folder's mode not changed."""
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    store = Store(f"sqlite:///{(folder / 'centre.sqlite').as_posix()}", tmp_path / "results",
                  tmp_path / "results" / "signing.key")
    store.ensure_candidate("KAND-1")
    assert _mode(folder) == 0o755 and _mode(folder / "centre.sqlite") == 0o600
    new_folder = tmp_path / "made" / "here"
    Store(f"sqlite:///{(new_folder / 'x.sqlite').as_posix()}", tmp_path / "results",
          tmp_path / "results" / "signing.key").close()
    assert _mode(new_folder) == 0o700 and _mode(new_folder / "x.sqlite") == 0o600
    store.close()


def test_exports_and_reports_owner_only(results_dir, umask_022, capsys):
    store = Store(f"sqlite:///{(results_dir / 'typingtest.sqlite').as_posix()}", results_dir,
                  results_dir / "signing.key")
    _fill(store)
    _fill(store, "KAND-40002")
    store.close()
    assert main(["export", "--format", "xlsx", "--events"]) == 0
    assert main(["candidate", "export", "KAND-40001"]) == 0
    assert main(["export", "--format", "parquet", "--out", str(results_dir / "research" / "a.parquet")]) == 0
    exports = results_dir / "exports"
    assert _mode(exports) == 0o700 and _mode(exports / "KAND-40001") == 0o700
    assert _mode(exports / "KAND-40001" / "events") == 0o700
    files = [p for p in results_dir.rglob("*") if p.is_file() and p.name != "signing.key"]
    written = [p for p in files if not p.name.startswith("typingtest.sqlite")]
    # the table and its events, candidate.json and one event CSV, the research table
    assert len(written) == 5 and {p.suffix for p in written} == {".xlsx", ".parquet", ".json", ".csv"}
    for p in files:
        assert _mode(p) == 0o600, (str(p.relative_to(results_dir)), oct(_mode(p)))
    assert _mode(results_dir / "research") == 0o700  # made by the export: owner only


def test_report_compare_progress_owner_only(results_dir, umask_022, capsys):
    store = Store(f"sqlite:///{(results_dir / 'typingtest.sqlite').as_posix()}", results_dir,
                  results_dir / "signing.key")
    for n, cid in enumerate(("KAND-40001", "KAND-40002", "KAND-40003")):
        store.ensure_candidate(cid, "sept")
        sid = store.start_session(cid, "default", "h", "ws-1", "nl")
        for k in range(2):
            rec = store.begin_attempt(sid, "copy-typing", "nl-copy-01", False, {"presented": PASSAGE})
            log = np.asarray(typing_log(seed=n * 3 + k))
            rec.extend(log)
            rec.finish(log, compute_metrics(PASSAGE, log, "copy"), [], None)
        store.end_session(sid)
    store.close()
    reports = results_dir / "reports"
    assert main(["report", "--out", str(reports / "r.html"), "--pdf", "--tables", "csv,xlsx"]) == 0
    assert main(["compare", "KAND-40001", "KAND-40002", "--out", str(reports / "cmp")]) == 0
    assert main(["progress", "KAND-40001", "--out", str(reports / "prog")]) == 0
    assert _mode(reports) == 0o700 and _mode(reports / "cmp") == 0o700 and _mode(reports / "prog") == 0o700
    written = [p for p in reports.rglob("*") if p.is_file()]
    assert {"r.html", "r.pdf", "r.xlsx", "compare.csv", "KAND-40001.pdf", "progress.pdf"} <= {p.name for p in written}
    for p in written:
        assert _mode(p) == 0o600, (str(p.relative_to(results_dir)), oct(_mode(p)))
