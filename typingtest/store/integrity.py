"""Integrity: ``typingtest verify`` checks every stored row against its signature and recomputes metrics."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from typingtest.errors import UserError
from typingtest.store import schema as S

if TYPE_CHECKING:
    from typingtest.store.store import Store, VerifyResult

__all__ = ["verify"]


def verify(store: Store, attempt_ids: Sequence[str] | None = None, recompute: bool = True) -> list[VerifyResult]:
    """Check each attempt's signature and events hash, and recompute its metrics from the events."""
    from typingtest.store.store import VerifyResult, _loads, compute_metrics

    a = S.attempts
    q = (select(a, S.sessions.c.candidate_id, S.attempt_events.c.format, S.attempt_events.c.data)
         .join(S.sessions, a.c.session_id == S.sessions.c.session_id)
         .outerjoin(S.attempt_events, S.attempt_events.c.attempt_id == a.c.attempt_id)
         .order_by(a.c.started_at, a.c.attempt_id))
    if attempt_ids is not None:
        q = q.where(a.c.attempt_id.in_(list(attempt_ids)))
    key = store._existing_key()
    if key is None:
        raise UserError(f"{store.key_file}: no signing key on this machine, so no signature can be checked; copy "
                        "the centre's key file here or set signing_key_file in the settings")
    out: list[VerifyResult] = []
    with store._errors("verify attempts"), store.engine.connect() as conn:
        for r in conn.execute(q).mappings():
            res = VerifyResult(r["attempt_id"])
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
            stored_metrics = _loads(r["metrics"]) or {}
            res.problems.extend(_check_verdicts(stored_metrics, _loads(r["verdicts"]) or []))
            if recompute and data is not None:
                meta = _loads(r["meta"]) or {}
                try:
                    log = store.log_codec.decode(r["format"], data)
                except Exception as e:
                    res.problems.append(f"event log unreadable: {e}")
                    log = None
                if log is not None:
                    again = compute_metrics(meta.get("presented"), log, meta.get("target"), meta.get("initial"),
                                            r["task"])
                    if again is not None:
                        res.recomputed = True
                        res.problems.extend(_compare_metrics(stored_metrics, again))
            out.append(res)
    store.audit("verified", "attempts", None, {"checked": len(out), "failed": sum(not r.ok for r in out)})
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
    problems = []
    for name, value in again.items():
        # a figure the scoring replaced keeps the engine's value as raw_<name> (transcription:
        # the MSD error rate after the item's normalisation is judged; the raw one is the engine's)
        key = f"raw_{name}" if f"raw_{name}" in stored else name
        if key not in stored:
            continue  # an indicator added to the engine after this attempt was stored
        if not _close(stored[key], value):
            problems.append(f"metric {key} differs from its recomputation from the events")
    return problems


def _check_verdicts(metrics: Mapping[str, Any], verdicts: Sequence[Mapping[str, Any]]) -> list[str]:
    """Each stored verdict judged again with the threshold it records, against the stored metric."""
    from typingtest.engine.verdicts import Threshold, verdict

    problems = []
    for v in verdicts or []:
        name = v.get("indicator")
        if not name or v.get("threshold") is None or v.get("comparison") not in ("<=", ">="):
            continue
        if name in metrics and not _close(metrics[name], v.get("value")):
            problems.append(f"verdict {name}: its value is not the attempt's {name}")
        rule = Threshold(name, float(v["threshold"]), v["comparison"], str(v.get("source", "")), "", ())
        again = verdict(name, v.get("value"), {name: rule}).passed
        if again != v.get("passed"):
            problems.append(f"verdict {name}: pass/fail does not follow from its value and threshold")
    return problems
