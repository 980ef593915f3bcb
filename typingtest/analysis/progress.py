"""Trainer progress: a trainee's figures over sessions, weakest keys, most-missed data fields.

- ``progress_frame``: one row per session, task and indicator, the session's mean value and
  whether every attempt in it met the threshold (the stored verdicts); sessions numbered in
  the order they started.
- ``confusion_frame`` / ``weakest_keys``: the engine's per-character confusion
  (``metrics["confusion"]``: intended, typed, weight; "" for none) summed over attempts;
  a key's weight is the weighted number of errors made when it was the intended character.
- ``key_error_rates`` / ``bigram_error_rates``: errors per occurrence (a fraction) of each
  intended character (the engine's ``metrics["char_attempts"]`` as denominator) and of each
  pair of presented characters, with a minimum count and shrunk towards the trainee's overall
  rate (additive smoothing, ``PRIOR_OCCURRENCES``): a key typed 3 times with 1 error does not
  outrank a key typed 300 times with 30.
- ``missed_fields``: per data field, the share of attempts in which it was left empty or
  entered wrongly: from the engine's form score of a data-entry attempt
  (``metrics["form"]["fields"]``) and the ``field`` action scores of a call.
- ``session_verdicts``: one row per session, passed only when every deciding verdict of
  that session (every task) passed.
- ``repeated_passages``: the passages typed in more than one session (a practice effect:
  the later figures flatter), and whether the next session can draw another form.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from typingtest.analysis.decisions import DECIDING_SOURCES
from typingtest.analysis.frame import indicator_frame
from typingtest.analysis.stats import group_all_passed

__all__ = [
    "CONFUSION_COLUMNS",
    "KEY_RATE_COLUMNS",
    "MIN_OCCURRENCES",
    "MISSED_FIELD_COLUMNS",
    "PRIOR_OCCURRENCES",
    "PROGRESS_COLUMNS",
    "REPEAT_COLUMNS",
    "SESSION_COLUMNS",
    "battery_items",
    "bigram_error_rates",
    "confusion_frame",
    "key_error_rates",
    "missed_fields",
    "progress_frame",
    "repeated_passages",
    "session_verdicts",
    "shrunk_rates",
    "unseen_items",
    "weakest_keys",
]

PROGRESS_COLUMNS = (
    "candidate_id", "session_id", "session_number", "date", "task", "indicator", "value", "n_attempts",
    "threshold", "comparison", "source", "passed", "battery", "items",
)  # fmt: skip
#: One row per session (``session_verdicts``).
SESSION_COLUMNS = (
    "candidate_id", "session_id", "session_number", "date", "battery", "decision", "n_deciding", "n_passed",
    "passed", "failed",
)  # fmt: skip
#: Per key or bigram (``key_error_rates``, ``bigram_error_rates``): errors and occurrences are
#: weighted counts, the rates fractions; ``enough`` is False below the minimum count.
KEY_RATE_COLUMNS = ("intended", "errors", "occurrences", "error_rate", "shrunk_error_rate", "enough",
                    "most_typed_instead")  # fmt: skip
REPEAT_COLUMNS = ("candidate_id", "task", "item", "n_sessions", "sessions", "battery", "next_item", "unseen")
#: Fewer occurrences than this (weighted keystrokes aimed at the key, or times a bigram was
#: presented) and a rate is listed but not ranked among the weakest.
MIN_OCCURRENCES = 20
#: Additive smoothing: each rate is (errors + m * p0) / (occurrences + m), with p0 the trainee's
#: overall error rate over every key (bigram) and m this many pseudo-occurrences: the mean of a
#: Beta(m * p0, m * (1 - p0)) prior updated with the key's counts (empirical Bayes).
PRIOR_OCCURRENCES = 20.0
CONFUSION_COLUMNS = ("intended", "typed", "weight")
MISSED_FIELD_COLUMNS = ("field", "n_attempts", "n_missed", "n_empty", "n_wrong", "missed_share")


def progress_frame(data: pd.DataFrame, *, long: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per session, task and indicator of the candidates in ``data`` (``PROGRESS_COLUMNS``)."""
    if long is None:
        long = indicator_frame(data)
    if long.empty:
        return pd.DataFrame(columns=list(PROGRESS_COLUMNS))
    vals = long.drop_duplicates(["attempt_id", "indicator"])
    starts = data.groupby(["candidate_id", "session_id"])["started_at"].min().reset_index()
    starts = starts.sort_values(["candidate_id", "started_at", "session_id"])
    starts["session_number"] = starts.groupby("candidate_id").cumcount() + 1
    keys = ["candidate_id", "session_id", "task", "indicator"]
    g = vals.groupby(keys, sort=False)
    out = pd.DataFrame(
        {
            "value": g["value"].mean(),
            "n_attempts": g["attempt_id"].nunique(),
            "threshold": g["threshold"].first(),
            "comparison": g["comparison"].first(),
            "source": g["source"].first(),
            "passed": group_all_passed(vals, keys),
            "battery": g["battery"].first(),
            "items": g["item"].agg(lambda items: "; ".join(sorted({str(i) for i in items if i == i and i}))),
        }
    ).reset_index()
    out = out.merge(starts.rename(columns={"started_at": "date"}), on=["candidate_id", "session_id"], how="left")
    out = out.sort_values(["candidate_id", "session_number", "task", "indicator"]).reset_index(drop=True)
    out["passed"] = pd.Series([None if v is None or v != v else bool(v) for v in out["passed"]], index=out.index,
                              dtype=object)
    return out[list(PROGRESS_COLUMNS)]


def confusion_frame(data: pd.DataFrame) -> pd.DataFrame:
    """Summed confusion weights over the attempts in ``data``: intended, typed, weight (largest first)."""
    totals: dict[tuple[str, str], float] = {}
    for metrics in data["metrics"]:
        entries = metrics.get("confusion") if isinstance(metrics, Mapping) else None
        for e in entries or []:
            if not isinstance(e, Mapping):
                continue
            intended, typed = str(e.get("intended", "")), str(e.get("typed", ""))
            if intended == typed:
                continue  # a correct keystroke, not a confusion
            key = (intended, typed)
            totals[key] = totals.get(key, 0.0) + float(e.get("weight", 0.0) or 0.0)
    out = pd.DataFrame([(a, b, w) for (a, b), w in totals.items()], columns=list(CONFUSION_COLUMNS))
    return out.sort_values(["weight", "intended", "typed"], ascending=[False, True, True]).reset_index(drop=True)


def weakest_keys(data: pd.DataFrame, top: int | None = 10) -> pd.DataFrame:
    """Intended characters by weighted errors: intended, weight, most_typed_instead (largest first)."""
    conf = confusion_frame(data)
    conf = conf[conf["intended"] != ""]  # insertions have no intended key
    if conf.empty:
        return pd.DataFrame(columns=["intended", "weight", "most_typed_instead"])
    g = conf.groupby("intended")
    out = pd.DataFrame(
        {
            "weight": g["weight"].sum(),
            "most_typed_instead": g.apply(lambda f: f.sort_values("weight", ascending=False)["typed"].iloc[0],
                                          include_groups=False),
        }
    ).reset_index()  # fmt: skip
    out = out.sort_values(["weight", "intended"], ascending=[False, True]).reset_index(drop=True)
    return out if top is None else out.head(top)


def missed_fields(data: pd.DataFrame) -> pd.DataFrame:
    """Per data field: attempts, missed (empty or wrong) and the share missed (``MISSED_FIELD_COLUMNS``).

    A data-entry attempt's fields come from ``metrics["form"]["fields"]`` (the engine's form
    score: name, filled, correct); a call's from its ``field`` action scores. Each field
    counts once per attempt.
    """
    counts: dict[str, list[int]] = {}
    for metrics, actions in zip(data["metrics"], data["actions"], strict=True):
        seen: dict[str, tuple[bool, bool]] = {}
        form = metrics.get("form") if isinstance(metrics, Mapping) else None
        for f in form.get("fields", []) if isinstance(form, Mapping) else []:
            if isinstance(f, Mapping) and f.get("name"):
                seen[str(f["name"])] = (bool(f.get("filled", True)), bool(f.get("correct", True)))
        for a in actions if isinstance(actions, list) else []:
            name = _field_name(a)
            if name is not None and name not in seen:
                seen[name] = (bool(a.get("done", True)), bool(a.get("correct", True)))
        for name, (filled, correct) in seen.items():
            c = counts.setdefault(name, [0, 0, 0])
            c[0] += 1
            if not filled:
                c[1] += 1
            elif not correct:
                c[2] += 1
    rows = [(f, n, e + w, e, w, (e + w) / n) for f, (n, e, w) in counts.items()]
    out = pd.DataFrame(rows, columns=list(MISSED_FIELD_COLUMNS))
    return out.sort_values(["missed_share", "field"], ascending=[False, True]).reset_index(drop=True)


def _field_name(action: Any) -> str | None:
    if not isinstance(action, Mapping):
        return None
    kind = action.get("action", action.get("kind"))
    if isinstance(kind, str) and kind.startswith("field:"):
        return kind.split(":", 1)[1]
    if kind not in (None, "field"):
        return None  # a chat reply or note also names a field; only data fields count here
    details = action.get("details")
    named = action.get("field") or (details.get("field") if isinstance(details, Mapping) else None)
    if isinstance(named, str) and named:
        return named.split(":", 1)[1] if named.startswith("field:") else named
    if kind == "field" and isinstance(action.get("id"), str):
        return str(action["id"])  # the engine's field action names its expectation, not the field
    for key in ("target", "action"):
        value = action.get(key)
        if isinstance(value, str) and value.startswith("field:"):
            return value.split(":", 1)[1]
    return None


def session_verdicts(
    data: pd.DataFrame, *, long: pd.DataFrame | None = None, deciding: Sequence[str] = DECIDING_SOURCES
) -> pd.DataFrame:
    """One row per session (``SESSION_COLUMNS``): passed only when every deciding verdict of it passed.

    The deciding verdicts and the session's ``decision`` are those of the overall decision
    (``decisions.overall_decisions`` grouped by session, overrides applied): verdicts whose
    threshold comes from the qualification, on every task of the session, so a session whose
    copy typing met 3 % and whose transcription did not is not passed. ``passed`` is True only
    for decision "pass", None when the session holds no deciding verdict; ``failed`` names
    the task:indicator pairs that did not pass.
    """
    from typingtest.analysis.decisions import deciding_verdicts, overall_decisions

    if long is None:
        long = indicator_frame(data)
    prog = progress_frame(data, long=long)
    if prog.empty:
        return pd.DataFrame(columns=list(SESSION_COLUMNS))
    by = ["candidate_id", "session_id"]
    decided = overall_decisions(long, by, sources=deciding).set_index(by)
    rows = deciding_verdicts(long, deciding)
    sessions = prog.drop_duplicates(by).sort_values(["candidate_id", "session_number"])
    out = []
    for rec in sessions.to_dict("records"):
        key = (rec["candidate_id"], rec["session_id"])
        decision = str(decided["overall_decision"].get(key, "not-judged"))
        mine = rows[(rows["candidate_id"] == key[0]) & (rows["session_id"] == key[1])]
        bad = mine[mine["decision"] != "pass"] if "decision" in mine else mine[mine["passed"] != True]  # noqa: E712
        out.append({"candidate_id": key[0], "session_id": key[1], "session_number": rec["session_number"],
                    "date": rec["date"], "battery": rec["battery"], "decision": decision,
                    "n_deciding": len(mine), "n_passed": len(mine) - len(bad),
                    "passed": None if decision == "not-judged" else decision == "pass",
                    "failed": "; ".join(sorted({f"{t}:{i}" for t, i in zip(bad["task"], bad["indicator"],
                                                                          strict=True)}))})  # fmt: skip
    frame = pd.DataFrame(out, columns=list(SESSION_COLUMNS))
    frame["passed"] = frame["passed"].astype(object)
    return frame


def shrunk_rates(errors: pd.Series, occurrences: pd.Series, prior: float = PRIOR_OCCURRENCES) -> pd.Series:
    """Additive smoothing towards the overall rate p0 = sum(errors) / sum(occurrences):
    (errors + prior * p0) / (occurrences + prior), a fraction; NaN without any occurrence."""
    total = float(occurrences.sum())
    if total <= 0:
        return pd.Series(float("nan"), index=errors.index)
    p0 = float(errors.sum()) / total
    return (errors + prior * p0) / (occurrences + prior)


def _rank_rates(frame: pd.DataFrame, min_count: float, prior: float) -> pd.DataFrame:
    """Add the rates and sort: enough occurrences first, by shrunk rate (highest first), then errors."""
    frame = frame.copy()
    occ = frame["occurrences"].astype(float)
    frame["error_rate"] = (frame["errors"] / occ).where(occ > 0)
    frame["shrunk_error_rate"] = shrunk_rates(frame["errors"].astype(float), occ.fillna(0.0), prior).where(occ > 0)
    frame["enough"] = occ.fillna(0.0) >= min_count
    frame["_known"] = frame["shrunk_error_rate"].notna()
    frame = frame.sort_values(["enough", "_known", "shrunk_error_rate", "errors", "intended"],
                              ascending=[False, False, False, False, True])  # fmt: skip
    return frame.drop(columns="_known").reset_index(drop=True)[list(KEY_RATE_COLUMNS)]


def key_error_rates(
    data: pd.DataFrame, *, min_count: float = MIN_OCCURRENCES, prior: float = PRIOR_OCCURRENCES
) -> pd.DataFrame:
    """Errors per occurrence of each intended character (``KEY_RATE_COLUMNS``), weakest first.

    Errors: the engine's confusion weights (``metrics["confusion"]``) with that intended
    character; occurrences: the keystrokes aimed at it (``metrics["char_attempts"]``: correct,
    substituted or omitted). A key with fewer than ``min_count`` occurrences sorts after those
    with enough (``enough`` False). Where some attempts carry ``char_attempts``, only those
    count (errors and occurrences from the same attempts); where none does, the occurrences
    stay empty and the keys are ordered by their errors only.
    """
    counted = data["metrics"].map(lambda m: isinstance(m, Mapping) and bool(m.get("char_attempts")))
    if counted.any():  # errors and occurrences from the same attempts, or the rates are biased
        data = data[counted.to_numpy(bool)]
    conf = confusion_frame(data)
    conf = conf[conf["intended"] != ""]
    occurrences: dict[str, float] = {}
    for metrics in data["metrics"]:
        for e in (metrics.get("char_attempts") if isinstance(metrics, Mapping) else None) or []:
            if isinstance(e, Mapping) and e.get("intended"):
                ch = str(e["intended"])
                occurrences[ch] = occurrences.get(ch, 0.0) + float(e.get("weight", 0.0) or 0.0)
    chars = sorted(set(conf["intended"]) | set(occurrences))
    if not chars:
        return pd.DataFrame(columns=list(KEY_RATE_COLUMNS))
    errors = conf.groupby("intended")["weight"].sum()
    instead = conf.sort_values(["weight", "typed"], ascending=[False, True]).drop_duplicates("intended")
    instead = instead.set_index("intended")["typed"]
    frame = pd.DataFrame({"intended": chars, "errors": [float(errors.get(c, 0.0)) for c in chars],
                          "occurrences": [occurrences.get(c, float("nan")) for c in chars],
                          "most_typed_instead": [instead.get(c, "") for c in chars]})  # fmt: skip
    return _rank_rates(frame, min_count, prior)


def bigram_error_rates(
    data: pd.DataFrame,
    texts: Mapping[str, str],
    *,
    min_count: float = MIN_OCCURRENCES,
    prior: float = PRIOR_OCCURRENCES,
) -> pd.DataFrame:
    """Errors per occurrence of each pair of presented characters (``KEY_RATE_COLUMNS``, ``intended``
    the pair), weakest first.

    ``texts`` maps an attempt's ``item`` to its presented text. Each presented character after
    the first is one occurrence of the pair it ends; it is an error when it is missing or wrong
    in the final typed text (``transcribed``), aligned with ``difflib.SequenceMatcher``:
    uncorrected errors only, and the alignment is a longest-matching-blocks one, not the
    engine's optimal alignment. Attempts without a text or a transcription are left out.
    """
    errors: dict[str, float] = {}
    occurrences: dict[str, float] = {}
    instead: dict[str, dict[str, float]] = {}
    for item, typed in zip(data["item"], data["transcribed"], strict=True):
        presented = texts.get(str(item)) if isinstance(item, str) else None
        if not presented or not isinstance(typed, str) or not typed:
            continue
        matched = [False] * len(presented)
        typed_at: dict[int, str] = {}
        sm = difflib.SequenceMatcher(None, presented, typed, autojunk=False)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            if tag == "equal":
                matched[i1:i2] = [True] * (i2 - i1)
            elif tag == "replace":
                for k in range(i1, i2):
                    typed_at[k] = typed[j1 + k - i1] if j1 + k - i1 < j2 else ""
        for k in range(1, len(presented)):
            pair = presented[k - 1 : k + 1]
            occurrences[pair] = occurrences.get(pair, 0.0) + 1.0
            if not matched[k]:
                errors[pair] = errors.get(pair, 0.0) + 1.0
                got = instead.setdefault(pair, {})
                got[typed_at.get(k, "")] = got.get(typed_at.get(k, ""), 0.0) + 1.0
    if not occurrences:
        return pd.DataFrame(columns=list(KEY_RATE_COLUMNS))
    pairs = sorted(occurrences)
    frame = pd.DataFrame({"intended": pairs, "errors": [errors.get(p, 0.0) for p in pairs],
                          "occurrences": [occurrences[p] for p in pairs],
                          "most_typed_instead": [max(sorted(instead.get(p, {"": 0.0}).items()), key=lambda kv: kv[1])[0]
                                                 for p in pairs]})  # fmt: skip
    return _rank_rates(frame, min_count, prior)


def repeated_passages(data: pd.DataFrame, *, passages: str | Path | None = None) -> pd.DataFrame:
    """The items a trainee met in more than one session (``REPEAT_COLUMNS``): a practice effect.

    ``sessions`` lists the session numbers; ``battery`` the latest battery that presented the
    item; ``next_item`` the item that battery presents for the task next time (a battery
    names a fixed item per task: ``battery_items``; empty when the battery is not shipped);
    ``unseen`` the shipped items of the same task and language the trainee has not met yet
    ("; "-joined; empty when none is left), the forms a trainer can swap in.
    """
    if data.empty:
        return pd.DataFrame(columns=list(REPEAT_COLUMNS))
    starts = data.groupby(["candidate_id", "session_id"])["started_at"].min().reset_index()
    starts = starts.sort_values(["candidate_id", "started_at", "session_id"])
    starts["session_number"] = starts.groupby("candidate_id").cumcount() + 1
    numbered = data.merge(starts[["candidate_id", "session_id", "session_number"]], on=["candidate_id", "session_id"])
    rows = []
    for (cand, task, item), g in numbered.sort_values("started_at").groupby(["candidate_id", "task", "item"]):
        sessions = sorted(set(g["session_number"]))
        if len(sessions) < 2:
            continue
        seen = set(numbered.loc[(numbered["candidate_id"] == cand) & (numbered["task"] == task), "item"])
        language = str(g["language"].iloc[-1]) if "language" in g else ""
        unseen = [i for i in unseen_items(str(task), language, passages) if i not in seen]
        battery = g["battery"].iloc[-1]
        rows.append({"candidate_id": cand, "task": task, "item": item, "n_sessions": len(sessions),
                     "sessions": ", ".join(map(str, sessions)), "battery": battery,
                     "next_item": battery_items(str(battery), passages).get(str(task), ""),
                     "unseen": "; ".join(unseen)})  # fmt: skip
    return pd.DataFrame(rows, columns=list(REPEAT_COLUMNS))


def battery_items(battery: str, passages: str | Path | None = None) -> dict[str, str]:
    """Task kind -> the scored item battery ``battery`` presents (``passages/batteries/<battery>.toml``;
    practice items left out, the first of a kind kept); empty when the battery is not shipped."""
    import tomllib

    from typingtest.config import PASSAGES_DIR

    folder = Path(passages) if passages is not None else PASSAGES_DIR
    path = folder / "batteries" / f"{battery}.toml"
    if not battery or not path.is_file():
        return {}
    out: dict[str, str] = {}
    for task in tomllib.loads(path.read_text(encoding="utf-8")).get("tasks", []):
        item = task.get("item") if isinstance(task, Mapping) and not task.get("practice") else None
        if isinstance(item, str):
            found = next((p.parent.name for p in folder.glob(f"*/*/{item}.toml")), None)
            if found is not None:
                out.setdefault(found, item)
    return out


def unseen_items(task: str, language: str, passages: str | Path | None = None) -> list[str]:
    """The ids of the shipped items of ``task`` in ``language`` (``passages/<language>/<task>/*.toml``)."""
    from typingtest.config import PASSAGES_DIR

    folder = Path(passages) if passages is not None else PASSAGES_DIR
    return sorted(p.stem for p in (folder / language / task).glob("*.toml")) if language and task else []
