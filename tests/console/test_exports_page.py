"""The exports page writes and sends the file ``typingtest export`` writes (issue 12): a download
is compared with the command's export of the same cohort (same rows, same columns, same cells),
recorded in the written-files manifest with the candidates it holds, audited with the signed-in
account, and rewritten by a later erasure like the command's."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from console_testkit import COHORT, PASSWORDS, csrf_of, sign_in

from typingtest.cli import main


def _as(console: Any, role: str) -> Any:
    console.add(role, role)
    assert sign_in(console.client, role, PASSWORDS[role]).status_code == 303
    return console.client


def _post(client: Any, **fields: str) -> Any:
    page = client.get("/exports")
    assert page.status_code == 200
    return client.post("/exports", data={"csrf_token": csrf_of(page.text), **fields})


def _read(fmt: str, data: bytes | Path) -> pd.DataFrame:
    src: Any = io.BytesIO(data) if isinstance(data, bytes) else data
    if fmt == "csv":
        return pd.read_csv(src, dtype=str, keep_default_na=False)
    if fmt == "parquet":
        return pd.read_parquet(src)
    return pd.read_excel(src, sheet_name="attempts", dtype=str)


@pytest.mark.parametrize(("role", "status"), [("recruiter", 200), ("admin", 200), ("trainer", 403),
                                              ("proctor", 403)])
def test_exports_roles(console, role: str, status: int) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, role)
    assert client.get("/exports").status_code == status
    token = csrf_of(client.get("/cohorts" if role in ("recruiter", "admin") else "/").text)
    r = client.post("/exports", data={"csrf_token": token, "cohort": COHORT, "format": "csv"})
    assert r.status_code == status


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_download_equals_the_export_command(console, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, "recruiter")
    r = _post(client, cohort=COHORT, format=fmt)
    assert r.status_code == 200, r.text[:500]
    assert "attachment" in r.headers["content-disposition"] and f".{fmt}" in r.headers["content-disposition"]
    cli = tmp_path / f"cli.{fmt}"
    assert main(["export", "--cohort", COHORT, "--format", fmt, "--out", str(cli)]) == 0
    got, want = _read(fmt, r.content), _read(fmt, cli)
    assert list(got.columns) == list(want.columns)
    assert len(got) == len(want) > 0
    pd.testing.assert_frame_equal(got, want)


def test_export_is_in_the_manifest_audited_and_erasure_reaches_it(console) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from typingtest.store import schema as S

    client = _as(console, "recruiter")
    r = _post(client, cohort=COHORT, format="csv")
    assert r.status_code == 200
    store = console.store()
    exports = sorted((console.results / "exports").glob("attempts-*.csv"))
    assert len(exports) == 1 and exports[0].read_bytes() == r.content
    with store.engine.connect() as conn:
        files = conn.execute(select(S.written_files.c.file_id, S.written_files.c.path, S.written_files.c.purpose)).all()
        held = {str(c) for c in conn.execute(select(S.written_file_candidates.c.candidate_id)).scalars()}
    mine = [f for f in files if Path(f.path) == exports[0].resolve()]
    assert len(mine) == 1 and mine[0].purpose == "export"
    ids = set(store.attempts_frame(cohort=COHORT)["candidate_id"].astype(str))
    assert held >= ids
    audit = store.audit_frame()
    entry = audit[(audit["action"] == "exported") & (audit["object_type"] == "attempts")].iloc[-1]
    assert entry["actor"] == "recruiter"
    # erasing one candidate rewrites the console's export without their rows
    gone = sorted(ids)[0]
    store.erase_candidate(gone)
    after = pd.read_csv(exports[0], dtype=str)
    assert gone not in set(after["candidate_id"]) and len(after["candidate_id"].unique()) == len(ids) - 1


def test_export_of_a_selection(console) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, "recruiter")
    ids = sorted(set(console.store().attempts_frame(cohort=COHORT)["candidate_id"].astype(str)))[:2]
    r = _post(client, cohort=COHORT, ids=" ".join(ids), format="csv")
    assert r.status_code == 200
    got = pd.read_csv(io.BytesIO(r.content), dtype=str)
    assert set(got["candidate_id"]) == set(ids)
    # the cohort page's selection fills the form in
    page = client.get("/exports", params=[("cohort", COHORT), *(("candidate", c) for c in ids)])
    assert " ".join(ids) in page.text


def test_csrf_is_refused(console) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, "recruiter")
    assert client.post("/exports", data={"cohort": COHORT, "format": "csv"}).status_code == 403
    r = client.post("/exports", data={"csrf_token": "forged", "cohort": COHORT, "format": "csv"})
    assert r.status_code == 403
    assert not list(console.results.glob("exports/attempts-*"))  # nothing written


@pytest.mark.parametrize(("fields", "marked"), [
    ({"cohort": COHORT, "format": "pdf"}, "format"),
    ({"cohort": "no-such-cohort", "format": "csv"}, "cohort"),
    ({"cohort": "", "format": "csv"}, "cohort"),
    ({"cohort": COHORT, "format": "csv", "since": "31-12-2026"}, "since"),
    ({"cohort": COHORT, "format": "csv", "ids": "NOPE-1"}, "ids"),
    ({"cohort": COHORT, "format": "csv", "since": "2999-01-01"}, "cohort"),
])
def test_a_bad_form_comes_back_marked(console, fields: dict[str, str], marked: str) -> None:  # type: ignore[no-untyped-def]
    client = _as(console, "recruiter")
    r = _post(client, **fields)
    assert r.status_code == 400
    assert f'aria-describedby="{marked}-error"' in r.text and f'id="{marked}-error"' in r.text
    assert not list(console.results.glob("exports/attempts-*"))  # nothing written


def test_acting_as_names_the_account_only_inside_the_block(console) -> None:  # type: ignore[no-untyped-def]
    store = console.store()
    with store.acting_as("rita"):
        store.audit("noted", "test", "inside")
        store.audit("noted", "test", "explicit", actor="someone")
    store.audit("noted", "test", "outside")
    audit = store.audit_frame().set_index("object_id")
    assert audit.loc["inside", "actor"] == "rita" and audit.loc["explicit", "actor"] == "someone"
    assert audit.loc["outside", "actor"] not in ("rita", "someone") and "@" in audit.loc["outside", "actor"]
