"""Console benchmarks (issue 12): the cohort page and the applicants JSON for 1,000 candidates
(time to first byte, cold and warm), and 20 signed-in clients browsing at once for 60 s.

Run: ``.venv/bin/python -m benchmarks.bench_console [--candidates 1000] [--runs 3] [--clients 20]
[--seconds 60] [--backend both|sqlite|postgresql|none] [--no-load]``. Results go in docs/console.md.

The cohort is ``bench_analysis.synthetic_cohort`` (seeded: per candidate a copy-typing, a
data-entry and a call attempt, verdicts by the engine on the shipped thresholds), each attempt
signed and stored with ``Store.store_attempt`` (a 20-keystroke event log each) in one complete
session per candidate. The console is the real command, ``typingtest console --db URL``, in its
own process (uvicorn, one worker); PostgreSQL is a throwaway server started as the store tests
start theirs (``tests/conftest.py``: Debian's ``initdb``/``pg_ctl``, ``fsync=off``).

1. Time to first byte: the time from sending the request to the first byte of the response
   body (server-rendered: the page is complete before its first byte leaves). *Cold*: the
   first request to a console just started (nothing cached, the analysis modules still to be
   imported), a fresh process for each run; *warm*: the same request again (the cohort report
   and its charts cached; the database still asked whether the cohort changed). Median of
   ``--runs``. The page is ``/cohorts/<cohort>`` (first page of 50 applicants, the charts inline);
   the JSON is ``/api/v1/candidates?cohort=<cohort>`` (every applicant, Bearer token). Budget:
   the cohort page within the cohort report's 10 s (docs/benchmarks.md), checked, as
   ``bench_analysis`` checks the report, on CPU time: the console process's CPU seconds
   during the cold request (from ``/proc``; the wall time depends on what else the shared
   machine runs).
2. Load: ``--clients`` threads, each with its own account signed in through the form, each
   browsing in a loop for ``--seconds`` (``PAGE_MIX``): the cohorts list (10 %), the cohort
   page with a random sort, decision filter or page (45 %), a random candidate's page (35 %),
   a comparison of three random candidates (10 %). Requests per second (all clients), latency
   median/p95/max, errors (any status other than 200 or a failed request: must be 0), and per
   kind of page its latency under that load and alone (one client, before the others start,
   median of 3). Against PostgreSQL.

The machine is shared: the load average is printed before each part.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pandas as pd

from benchmarks.bench_analysis import synthetic_cohort

__all__ = ["build_store", "main"]

ROOT = Path(__file__).resolve().parents[1]
COHORT = "bench"
PASSWORD = "bench-password-1"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
#: the applicants table's sort keys a browsing client picks from (cohort.html's sort links)
SORTS = ("rank", "candidate_id", "overall_decision", "date", "copy-typing:net_wpm", "copy-typing:msd_error_rate",
         "data-entry:field_error_rate", "call:pickup_time_s", "mean_percentile")
DECISIONS = ("", "pass", "fail", "borderline", "insufficient")


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --------------------------------------------------------------------------------------------
# the store


def _events(n_keys: int = 20) -> np.ndarray:
    """A short event log (key down, text, key up per keystroke, 0.2 s apart)."""
    from typingtest.engine.events import EVENT_DTYPE, EventKind

    rows = []
    for i, ch in enumerate("Goedemiddag, u spreekt met de klantendienst."[:n_keys]):
        t = 0.2 * i
        rows += [(t, EventKind.KEY_DOWN, ord(ch), 4, 0, "", "answer", 0.0, 0.0),
                 (t + 0.002, EventKind.TEXT, 0, 0, 0, ch, "answer", 0.0, 0.0),
                 (t + 0.08, EventKind.KEY_UP, ord(ch), 4, 0, "", "answer", 0.0, 0.0)]
    return np.array(rows, dtype=EVENT_DTYPE)


def build_store(store: Any, frame: pd.DataFrame) -> int:
    """Store every attempt of ``frame`` (``synthetic_cohort``'s rows) signed, one complete session per
    candidate; the number of attempts stored."""
    from typingtest.store.store import _METRIC_COLUMNS

    log = _events()
    fmt, blob = store.log_codec.encode(log)
    n = 0
    for cid, rows in frame.groupby("candidate_id", sort=True):
        store.ensure_candidate(str(cid), COHORT)
        sid = store.start_session(str(cid), "default", "bench", "bench", "nl")
        for r in rows.to_dict("records"):
            metrics = {c: float(r[c]) for c in _METRIC_COLUMNS if c in r and pd.notna(r[c])}
            metrics.update(r["metrics"])
            header = {"attempt_id": r["attempt_id"], "session_id": sid, "candidate_id": str(cid), "task": r["task"],
                      "item": r["item"], "practice": False, "started_at": r["started_at"].isoformat(), "meta": {}}
            final = {"state": "complete", "ended_at": r["ended_at"].isoformat(), "metrics": metrics,
                     "verdicts": r["verdicts"], "actions": r["actions"]}
            store.store_attempt(header, log, blob, fmt, final, stored_by="bench")
            n += 1
        store.end_session(sid, "complete")
    return n


@contextlib.contextmanager
def postgresql() -> Iterator[Any]:
    """A throwaway PostgreSQL server, started by ``tests/conftest.py``'s ``_start_server`` (the test suite's)."""
    spec = importlib.util.spec_from_file_location("_tt_tests_conftest", ROOT / "tests" / "conftest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    server, why = module._start_server()
    if server is None:
        raise RuntimeError(f"PostgreSQL: {why}")
    try:
        yield server
    finally:
        subprocess.run([*server.as_user, str(server.bindir / "pg_ctl"), "-D", str(server.root / "data"), "-m",
                        "immediate", "stop"], capture_output=True, timeout=60)
        subprocess.run(["rm", "-rf", str(server.root)], capture_output=True, timeout=120)


@dataclass
class Prepared:
    """A database holding the cohort, its results folder, and the accounts made."""

    url: str
    env: dict[str, str]
    accounts: list[str] = field(default_factory=list)
    token: str = ""


def prepare(url: str, results: Path, frame: pd.DataFrame, n_accounts: int) -> Prepared:
    """Fill the database at ``url`` with ``frame``; make ``n_accounts`` recruiters and an API token."""
    from typingtest.config import load_settings
    from typingtest.store import open_store
    from typingtest.store.accounts import add_account, create_token

    env = {**os.environ, "TYPINGTEST_RESULTS": str(results), "TYPINGTEST_DB": url}
    env.pop("TYPINGTEST_SETTINGS", None)
    os.environ.update(TYPINGTEST_RESULTS=str(results), TYPINGTEST_DB=url)
    os.environ.pop("TYPINGTEST_SETTINGS", None)
    prepared = Prepared(url, env)
    t0 = time.perf_counter()
    with open_store(load_settings(), url=url) as store:
        n = build_store(store, frame)
        for i in range(n_accounts):
            name = f"bench-{i + 1:02d}"
            add_account(store, name, "recruiter", PASSWORD, actor="bench")
            prepared.accounts.append(name)
        prepared.token = create_token(store, prepared.accounts[0], "bench", actor="bench")
    print(f"  stored {n} attempts of {frame['candidate_id'].nunique()} candidates and {n_accounts} accounts "
          f"in {time.perf_counter() - t0:.1f} s")
    return prepared


# --------------------------------------------------------------------------------------------
# the console


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (``/proc``; NaN where there is none)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Served:
    """A running console: its base URL and process id."""

    base: str
    pid: int


@contextlib.contextmanager
def console(prepared: Prepared, timeout_s: float = 60.0) -> Iterator[Served]:
    """``typingtest console --db URL`` on a free port, in its own process."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "typingtest", "console", "--db", prepared.url, "--port",
                             str(port)], env=prepared.env, cwd=str(ROOT), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout_s
    try:
        while True:
            try:
                httpx.get(f"{base}/favicon.ico", timeout=2)
                break
            except httpx.TransportError:
                if proc.poll() is not None:
                    raise RuntimeError(f"console exited: {proc.stderr.read().decode()[-500:]}") from None  # type: ignore[union-attr]
                if time.monotonic() > deadline:
                    raise RuntimeError(f"console did not answer within {timeout_s:.0f} s") from None
                time.sleep(0.1)
        yield Served(base, proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def signed_in(base: str, name: str) -> httpx.Client:
    """A client signed in as ``name`` through the sign-in form (CSRF token from the page)."""
    client = httpx.Client(base_url=base, timeout=120, follow_redirects=False)
    page = client.get("/signin")
    found = CSRF.search(page.text)
    if page.status_code != 200 or found is None:
        raise RuntimeError(f"sign-in page: HTTP {page.status_code}")
    r = client.post("/signin", data={"csrf_token": found.group(1), "name": name, "password": PASSWORD, "next": "/"})
    if r.status_code != 303:
        raise RuntimeError(f"sign-in of {name}: HTTP {r.status_code}")
    return client


def first_byte(client: httpx.Client, path: str, headers: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(seconds to the first body byte, seconds to the last, bytes) of ``GET path`` (must be 200)."""
    t0 = time.perf_counter()
    with client.stream("GET", path, headers=headers) as r:
        chunks = r.iter_raw()
        first = next(chunks, b"")
        t_first = time.perf_counter() - t0
        size = len(first) + sum(len(c) for c in chunks)
        if r.status_code != 200:
            raise RuntimeError(f"GET {path}: HTTP {r.status_code}")
    return t_first, time.perf_counter() - t0, size


def ttfb_bench(prepared: Prepared, runs: int, warm_runs: int = 5) -> dict[str, dict[str, float]]:
    """Cold (first request to a fresh console) and warm time to first byte of the page and the JSON."""
    page, api = f"/cohorts/{COHORT}", f"/api/v1/candidates?cohort={COHORT}"
    bearer = {"Authorization": f"Bearer {prepared.token}"}
    out: dict[str, list[float]] = {k: [] for k in ("page cold", "page warm", "json cold", "json warm",
                                                    "page bytes", "json bytes", "page cold total",
                                                    "json cold total", "page cold cpu", "json cold cpu")}
    for _ in range(runs):
        for what, path, headers in (("page", page, None), ("json", api, bearer)):
            with console(prepared) as served:
                client = signed_in(served.base, prepared.accounts[0]) if headers is None else httpx.Client(
                    base_url=served.base, timeout=120)
                try:
                    cpu0 = cpu_seconds(served.pid)
                    cold, cold_total, size = first_byte(client, path, headers)
                    out[f"{what} cold cpu"].append(cpu_seconds(served.pid) - cpu0)
                    out[f"{what} cold"].append(cold)
                    out[f"{what} cold total"].append(cold_total)
                    out[f"{what} bytes"].append(size)
                    warm = [first_byte(client, path, headers)[0] for _ in range(warm_runs)]
                    out[f"{what} warm"].append(statistics.median(warm))
                finally:
                    client.close()
    return {k: {"median": statistics.median(v), "min": min(v), "max": max(v)} for k, v in out.items()}


#: what a browsing recruiter opens, with its share of the requests
PAGE_MIX = (("cohorts", 0.1), ("cohort", 0.45), ("candidate", 0.35), ("compare", 0.1))


def _path(kind: str, rng: random.Random, candidates: list[str]) -> str:
    """A request of ``kind`` (``PAGE_MIX``) with random parameters."""
    if kind == "cohorts":
        return "/cohorts"
    if kind == "cohort":
        sort, decision = rng.choice(SORTS), rng.choice(DECISIONS)
        params = {"sort": sort, "dir": rng.choice(("asc", "desc")), "page": rng.randint(1, 5)}
        if decision:
            params = {**params, "decision": decision, "page": 1}
        return f"/cohorts/{COHORT}?" + "&".join(f"{k}={v}" for k, v in params.items())
    if kind == "candidate":
        return f"/candidates/{rng.choice(candidates)}"
    chosen = rng.sample(candidates, 3)
    return f"/compare?cohort={COHORT}&" + "&".join(f"candidate={c}" for c in chosen)


def _browse(rng: random.Random) -> str:
    """The kind of the next request of a browsing recruiter."""
    pick, total = rng.random(), 0.0
    for kind, share in PAGE_MIX:
        total += share
        if pick < total:
            return kind
    return PAGE_MIX[-1][0]


def load_bench(prepared: Prepared, candidates: list[str], clients: int, seconds: float) -> dict[str, float]:
    """``clients`` signed-in clients browsing for ``seconds``: requests/s, latency, errors."""
    with console(prepared) as served:
        sessions = [signed_in(served.base, name) for name in prepared.accounts[:clients]]
        first_byte(sessions[0], f"/cohorts/{COHORT}")  # the cohort report built once, as after any change
        rng0 = random.Random(99)
        alone = {kind: statistics.median(first_byte(sessions[0], _path(kind, rng0, candidates))[1] for _ in range(3))
                 for kind, _ in PAGE_MIX}  # one client, nothing else running: each kind's own time
        latencies: list[list[tuple[str, float]]] = [[] for _ in sessions]
        errors: list[list[str]] = [[] for _ in sessions]
        start = threading.Barrier(clients + 1)
        stop_at = [0.0]

        def run(i: int) -> None:
            rng = random.Random(i)
            client = sessions[i]
            start.wait()
            while time.perf_counter() < stop_at[0]:
                kind = _browse(rng)
                path = _path(kind, rng, candidates)
                t0 = time.perf_counter()
                try:
                    r = client.get(path)
                    if r.status_code != 200:
                        errors[i].append(f"{path}: HTTP {r.status_code}")
                except httpx.HTTPError as exc:
                    errors[i].append(f"{path}: {type(exc).__name__}")
                latencies[i].append((kind, time.perf_counter() - t0))

        threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(clients)]
        for t in threads:
            t.start()
        stop_at[0] = time.perf_counter() + seconds
        t0 = time.perf_counter()
        start.wait()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - t0
        for c in sessions:
            c.close()
    every = sorted(x for lat in latencies for _, x in lat)
    failed = [e for errs in errors for e in errs]
    for e in failed[:5]:
        print(f"  error: {e}")
    out: dict[str, float] = {"clients": clients, "seconds": elapsed, "requests": len(every),
                             "requests/s": len(every) / elapsed, "median s": statistics.median(every),
                             "p95 s": float(np.percentile(every, 95)), "max s": every[-1], "errors": len(failed)}
    for kind, _ in PAGE_MIX:
        mine = [x for lat in latencies for k, x in lat if k == kind]
        out[f"{kind} alone s"] = alone[kind]
        out[f"{kind} n"] = len(mine)
        out[f"{kind} median s"] = statistics.median(mine) if mine else float("nan")
        out[f"{kind} p95 s"] = float(np.percentile(mine, 95)) if mine else float("nan")
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--candidates", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3, help="cold starts per measure (median)")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60.0, help="duration of the load part")
    ap.add_argument("--backend", choices=("both", "sqlite", "postgresql", "none"), default="both",
                    help="where the time-to-first-byte part runs (none: skip it; the load part is always on "
                         "PostgreSQL)")
    ap.add_argument("--no-load", action="store_true", help="skip the concurrent-clients part")
    args = ap.parse_args(argv)
    frame = synthetic_cohort(args.candidates, cohort=COHORT)
    candidates = sorted(frame["candidate_id"].unique())
    n_accounts = max(1, args.clients)
    print(f"console benchmark: {args.candidates} candidates, {len(frame)} attempts; load average {_load()}")
    with tempfile.TemporaryDirectory(prefix="tt-bench-console-") as tmp:
        if args.backend in ("both", "sqlite"):
            results = Path(tmp) / "sqlite"
            results.mkdir()
            prepared = prepare(f"sqlite:///{(results / 'typingtest.sqlite').as_posix()}", results, frame, 1)
            print(f"SQLite, time to first byte (load average {_load()}):")
            _print_ttfb(ttfb_bench(prepared, args.runs), args.runs)
        if args.backend == "sqlite" and args.no_load:
            return 0
        with postgresql() as server:
            results = Path(tmp) / "pg"
            results.mkdir()
            prepared = prepare(server.new_database(), results, frame, n_accounts)
            if args.backend in ("both", "postgresql"):
                print(f"PostgreSQL, time to first byte (load average {_load()}):")
                _print_ttfb(ttfb_bench(prepared, args.runs), args.runs)
            if not args.no_load:
                print(f"PostgreSQL, {args.clients} signed-in clients for {args.seconds:.0f} s (load average "
                      f"{_load()}):")
                r = load_bench(prepared, candidates, args.clients, args.seconds)
                print(f"  {r['requests']:.0f} requests in {r['seconds']:.1f} s: {r['requests/s']:.1f} requests/s; "
                      f"latency median {r['median s'] * 1e3:.0f} ms, p95 {r['p95 s'] * 1e3:.0f} ms, "
                      f"max {r['max s'] * 1e3:.0f} ms; errors {r['errors']:.0f}")
                for kind, _ in PAGE_MIX:
                    print(f"    {kind}: alone {r[f'{kind} alone s'] * 1e3:.0f} ms; under load "
                          f"{r[f'{kind} n']:.0f} requests, median {r[f'{kind} median s'] * 1e3:.0f} ms, "
                          f"p95 {r[f'{kind} p95 s'] * 1e3:.0f} ms")
                print(f"  load average after: {_load()}")
                if r["errors"]:
                    return 1
    return 0


def _print_ttfb(r: dict[str, dict[str, float]], runs: int) -> None:
    for what, name, budget in (("page", f"cohort page /cohorts/{COHORT}", 10.0),
                               ("json", f"applicants JSON /api/v1/candidates?cohort={COHORT}", None)):
        cold, warm, cpu = r[f"{what} cold"], r[f"{what} warm"], r[f"{what} cold cpu"]["median"]
        judged = cold["median"] if cpu != cpu else cpu  # no /proc: the wall time
        within = "" if budget is None else (" within" if judged <= budget else " OVER") + f" budget {budget:.0f} s"
        print(f"  {name} ({r[f'{what} bytes']['median'] / 1024:.0f} KiB): first byte cold {cold['median']:.2f} s "
              f"(min {cold['min']:.2f}, max {cold['max']:.2f}; console CPU {cpu:.2f} s){within}; "
              f"warm {warm['median'] * 1e3:.0f} ms; median of {runs}")


if __name__ == "__main__":
    raise SystemExit(main())
