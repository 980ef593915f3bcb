"""``typingtest verify`` of attempts: signature, events hash, session, verdicts, thresholds, figures.

Each attempt's figures are computed again from its stored meta and event log by the engine's
``typingtest.engine.scoring.attempt_figures``, the function the workstation scored it with,
and compared with the stored ones (figures whose definition changed since the attempt's
engine version are left out: ``engine.version.figures_changed_since``). A transcription's
judged error rate is recomputed under the normalisation rules its figures record
(``metrics["normalisation"]``). Forms and calls are checked by signature and verdict
re-judging only: recomputing their scores needs the item's content.

The thresholds file in force is recorded in ``thresholds_versions`` (``record_thresholds``,
once per digest), so that a verdict made under an earlier version still verifies.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, select

from typingtest.engine.scoring import attempt_figures
from typingtest.engine.verdicts import Threshold, limit_problem, verdict
from typingtest.engine.version import figures_changed_since
from typingtest.store import schema as S
from typingtest.store.base import jsonable, loads, required_key

if TYPE_CHECKING:
    from typingtest.store.store import Store

__all__ = ["VerifyResult", "record_thresholds", "verify"]


@dataclass
class VerifyResult:
    """One attempt checked by ``verify``: ``problems`` empty means it matches."""

    attempt_id: str
    problems: list[str] = field(default_factory=list)
    recomputed: bool = False

    @property
    def ok(self) -> bool:
        """True when nothing was found."""
        return not self.problems


def _scoring_meta(meta: Mapping[str, Any], metrics: Mapping[str, Any]) -> dict[str, Any]:
    """The meta ``attempt_figures`` reads: the stored meta, with the normalisation rules the figures
    were judged under (``metrics["normalisation"]``, recorded by the scoring) unless the meta has them."""
    out = dict(meta)
    if "normalise" not in out and isinstance(metrics.get("normalisation"), Mapping):
        out["normalise"] = metrics["normalisation"]
    return out


def record_thresholds(conn: Connection, path: Path) -> str | None:
    """Keep the thresholds file's content in ``thresholds_versions`` (once per digest); its digest."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    digest = hashlib.sha256(data).hexdigest()
    known = conn.execute(select(S.thresholds_versions.c.digest)
                         .where(S.thresholds_versions.c.digest == digest)).scalar()
    if known is None:
        conn.execute(S.thresholds_versions.insert().values(digest=digest, content=data.decode("utf-8", "replace"),
                                                           first_used_at=datetime.now(UTC)))
    return digest


def _limits(content: str) -> dict[str, set[tuple[str, float]]]:
    """indicator -> {(comparison, limit)} of a thresholds file's text (only max/min are read)."""
    try:
        data = tomllib.loads(content)
    except (tomllib.TOMLDecodeError, ValueError):
        return {}
    out: dict[str, set[tuple[str, float]]] = {}
    for indicator, table in data.items():
        if not isinstance(table, dict):
            continue
        for key, comparison in (("max", "<="), ("min", ">=")):
            value = table.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                out.setdefault(indicator, set()).add((comparison, float(value)))
    return out


def _known_thresholds(store: Store, conn: Connection) -> dict[str, set[tuple[str, float]]]:
    """Every (comparison, limit) per indicator of the thresholds file in force and of each recorded version."""
    texts = list(conn.execute(select(S.thresholds_versions.c.content)).scalars())
    if store.thresholds_file is not None:
        with contextlib.suppress(OSError, UnicodeDecodeError):
            texts.append(Path(store.thresholds_file).read_text(encoding="utf-8"))
    known: dict[str, set[tuple[str, float]]] = {}
    for text in texts:
        for indicator, rules in _limits(text).items():
            known.setdefault(indicator, set()).update(rules)
    return known


def _check_thresholds(verdicts: Sequence[Mapping[str, Any]], known: Mapping[str, set[tuple[str, float]]]
                      ) -> list[str]:
    if not known:
        return []  # no thresholds file known here: nothing to compare with
    problems = []
    for v in verdicts or []:
        name, limit, comparison = v.get("indicator"), v.get("threshold"), v.get("comparison")
        if not name or limit is None or not isinstance(limit, int | float):
            continue
        rules = known.get(str(name), set())
        if not any(c == comparison and math.isclose(float(limit), x, rel_tol=1e-12, abs_tol=1e-15)
                   for c, x in rules):
            problems.append(f"verdict {name}: threshold {comparison} {limit} is not in the thresholds file in force "
                            "nor in any earlier version recorded in this store")
    return problems


# --------------------------------------------------------------------------------------------
# attempts


def verify(store: Store, attempt_ids: Sequence[str] | None = None, recompute: bool = True, *,
           audit: bool = True) -> list[VerifyResult]:
    """Check each attempt's signature, events hash, session, verdicts and thresholds; recompute its metrics.

    Every attempt is read, its session or not (an attempt whose session is missing is reported);
    two attempts with the same event log (same SHA-256, events present) are reported both.
    ``audit`` False writes nothing (``verify --read-only``).
    """
    a = S.attempts
    q = (select(a, S.sessions.c.candidate_id, S.sessions.c.session_id.label("session_found"),
                S.attempt_events.c.format, S.attempt_events.c.data)
         .outerjoin(S.sessions, a.c.session_id == S.sessions.c.session_id)
         .outerjoin(S.attempt_events, S.attempt_events.c.attempt_id == a.c.attempt_id)
         .order_by(a.c.started_at, a.c.attempt_id))
    if attempt_ids is not None:
        q = q.where(a.c.attempt_id.in_(list(attempt_ids)))
    key = required_key(store)
    out: list[VerifyResult] = []
    with store._errors("verify attempts"), store.engine.connect() as conn:
        same_log = _duplicate_logs(conn)
        known = _known_thresholds(store, conn)
        for r in conn.execute(q).mappings():
            res = VerifyResult(r["attempt_id"])
            if r["session_found"] is None:
                res.problems.append(f"its session {r['session_id']} is not in the database (deleted, or the attempt "
                                    "was moved to a session id that does not exist)")
            fields = store._attempt_fields(r)
            data = r["data"]
            if data is None:
                res.problems.append("event log missing")
            else:
                data = bytes(data)
                if hashlib.sha256(data).hexdigest() != r["events_sha256"]:
                    res.problems.append("event log changed: its hash differs from the signed one")
            problem = key.check(fields, r["signature"])
            if problem:
                res.problems.append(problem)
            others = [x for x in same_log.get(r["events_sha256"], ()) if x != r["attempt_id"]]
            if others:
                res.problems.append(f"same event log as attempt(s) {', '.join(sorted(others))} (identical events "
                                    "hash): a log copied from another attempt")
            stored_metrics = loads(r["metrics"]) or {}
            verdicts = loads(r["verdicts"]) or []
            res.problems.extend(_check_verdicts(stored_metrics, verdicts))
            res.problems.extend(_check_thresholds(verdicts, known))
            if recompute and data is not None:
                meta = loads(r["meta"]) or {}
                try:
                    log = store.log_codec.decode(r["format"], data)
                except Exception as e:
                    res.problems.append(f"event log unreadable: {e}")
                    log = None
                if log is not None:
                    again = attempt_figures(r["task"], _scoring_meta(meta, stored_metrics), log)
                    if again is not None:
                        res.recomputed = True
                        res.problems.extend(_compare_metrics(stored_metrics, jsonable(again)))
            out.append(res)
    if audit:
        store.audit("verified", "attempts", None, {"checked": len(out), "failed": sum(not r.ok for r in out)})
    return out


def _duplicate_logs(conn: Connection) -> dict[str, list[str]]:
    """events SHA-256 -> attempt ids, for hashes that more than one attempt with events holds."""
    a = S.attempts
    dup = (select(a.c.events_sha256).where(a.c.n_events > 0).group_by(a.c.events_sha256)
           .having(func.count() > 1))
    rows = conn.execute(select(a.c.events_sha256, a.c.attempt_id).where(a.c.events_sha256.in_(dup))).all()
    out: dict[str, list[str]] = {}
    for digest, attempt_id in rows:
        out.setdefault(digest, []).append(attempt_id)
    return out




def _close(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _compare_metrics(stored: Mapping[str, Any], again: Mapping[str, Any]) -> list[str]:
    """One line per stored figure that differs from its recomputation (``attempt_figures``)."""
    problems = []
    # figures of an older engine version whose definition has changed since are not compared
    older = stored.get("engine_version") != again.get("engine_version")
    changed = figures_changed_since(stored.get("engine_version")) if older else frozenset()
    for name, value in again.items():
        if name in changed or name == "engine_version":
            continue
        if name not in stored:
            continue  # an indicator added to the engine after this attempt was stored
        if not _close(stored[name], value):
            problems.append(f"metric {name} differs from its recomputation from the events")
    return problems


def _check_verdicts(metrics: Mapping[str, Any], verdicts: Sequence[Mapping[str, Any]]) -> list[str]:
    """Each stored verdict judged again with the threshold it records, against the stored metric."""
    problems = []
    for v in verdicts or []:
        name = v.get("indicator")
        if not name or v.get("comparison") not in ("<=", ">="):
            continue
        if name in metrics and not _close(metrics[name], v.get("value")):
            problems.append(f"verdict {name}: its value is not the attempt's {name}")
        bad = limit_problem(name, v.get("threshold"))
        if bad is not None:  # a NaN or out-of-range threshold made this verdict: it cannot stand
            problems.append(f"verdict {name}: its threshold {bad}; re-judge with `typingtest report --rejudge`")
            continue
        rule = Threshold(name, float(v["threshold"]), v["comparison"], str(v.get("source", "")), "", ())
        again = verdict(name, v.get("value"), {name: rule}).passed
        if again != v.get("passed"):
            problems.append(f"verdict {name}: pass/fail does not follow from its value and threshold")
    return problems
