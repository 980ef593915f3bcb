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
  the later figures flatter), the parallel form rule recorded where one came back, and the
  form a retake through ``typingtest run`` presents next (``content.forms.choose_form``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from typingtest.analysis.decisions import DECIDING_SOURCES
from typingtest.analysis.frame import indicator_frame
from typingtest.analysis.stats import group_all_passed
from typingtest.training.learner import (
    MIN_OCCURRENCES,
    PRIOR_OCCURRENCES,
    Tally,
    bigram_tally,
    key_tally,
    rate_frame,
    shrunk_rates,
)

__all__ = [
    "CONFUSION_COLUMNS",
    "DRILL_COLUMNS",
    "FORM_COLUMNS",
    "KEY_RATE_COLUMNS",
    "MIN_OCCURRENCES",
    "MISSED_FIELD_COLUMNS",
    "PRIOR_OCCURRENCES",
    "PROGRESS_COLUMNS",
    "REPEAT_COLUMNS",
    "SESSION_COLUMNS",
    "TREND_COLUMNS",
    "battery_items",
    "bigram_error_rates",
    "confusion_frame",
    "drill_targets",
    "drills_frame",
    "key_error_rates",
    "missed_fields",
    "next_form_choice",
    "progress_frame",
    "repeated_passages",
    "session_forms",
    "session_verdicts",
    "shrunk_rates",
    "targeted_trend",
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
REPEAT_COLUMNS = ("candidate_id", "task", "item", "n_sessions", "sessions", "battery", "next_item", "unseen",
                  "came_back_rule", "next_form", "next_form_rule")  # fmt: skip
#: ``MIN_OCCURRENCES`` (a rate is listed but not ranked below it) and ``PRIOR_OCCURRENCES`` (the Beta
#: prior's pseudo-occurrences) are the learner model's: ``typingtest.training.learner``.
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


def _rates(tally: Any, min_count: float, prior: float, counted: bool = True) -> pd.DataFrame:
    """The learner model's rates of ``tally`` in ``KEY_RATE_COLUMNS`` (one mechanism: ``training.learner``)."""
    frame = rate_frame(tally, min_count=min_count, prior=prior, counted=counted)
    return frame[list(KEY_RATE_COLUMNS)]


def key_error_rates(
    data: pd.DataFrame, *, min_count: float = MIN_OCCURRENCES, prior: float = PRIOR_OCCURRENCES
) -> pd.DataFrame:
    """Errors per occurrence of each intended character (``KEY_RATE_COLUMNS``), weakest first.

    Errors: the engine's confusion weights (``metrics["confusion"]``) with that intended
    character; occurrences: the keystrokes aimed at it (``metrics["char_attempts"]``: correct,
    substituted or omitted). A key with fewer than ``min_count`` occurrences sorts after those
    with enough (``enough`` False). Where some attempts carry ``char_attempts``, only those
    count (errors and occurrences from the same attempts); where none does, the occurrences
    stay empty and the keys are ordered by their errors only. The counting and the shrinkage
    are the learner model's (``training.learner.key_tally``, ``rate_frame``).
    """
    counted = data["metrics"].map(lambda m: isinstance(m, Mapping) and bool(m.get("char_attempts")))
    if counted.any():  # errors and occurrences from the same attempts, or the rates are biased
        data = data[counted.to_numpy(bool)]
    tally = Tally()
    for metrics in data["metrics"]:
        tally.add(key_tally(metrics if isinstance(metrics, Mapping) else None))
    return _rates(tally, min_count, prior, counted=bool(counted.any()))


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
    the first is one occurrence of the pair it ends; it is an error by its share of the optimal
    alignments of the presented and the final typed text (``transcribed``) in which it is
    substituted or omitted (the engine's alignment, ``training.learner.bigram_tally``):
    uncorrected errors only (the learner model adds the corrected ones from the event log).
    Attempts without a text or a transcription are left out.
    """
    tally = Tally()
    for item, typed in zip(data["item"], data["transcribed"], strict=True):
        presented = texts.get(str(item)) if isinstance(item, str) else None
        if not presented or not isinstance(typed, str) or not typed:
            continue
        tally.add(bigram_tally(presented, typed)[1])
    return _rates(tally, min_count, prior)


def repeated_passages(data: pd.DataFrame, *, passages: str | Path | None = None,
                      metas: Mapping[str, Any] | None = None) -> pd.DataFrame:  # fmt: skip
    """The items a trainee met in more than one session (``REPEAT_COLUMNS``): a practice effect.

    ``sessions`` lists the session numbers; ``battery`` the latest battery that presented the
    item; ``next_item`` the item that battery names for the task (``battery_items``; empty when
    the battery is not shipped); ``unseen`` the shipped items of the same task and language the
    trainee has not met yet ("; "-joined; empty when none is left).

    Parallel forms: ``came_back_rule`` is the rule of the ``parallel_form`` recorded in the meta
    of the attempts where the item came back (``metas``: attempt id -> meta; "; "-joined), e.g.
    "least-recently-seen" (every form had been typed), "none" when none was recorded (a session
    run without parallel forms: ``typingtest simulate``, a single task, or from before forms);
    "" without ``metas`` (not known). ``next_form`` and ``next_form_rule``: what a retake of the battery
    through ``typingtest run`` presents for the task (``next_form_choice``); empty when the battery
    is not shipped.
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
        again = g[g["session_number"] > sessions[0]]
        rules = {_form_rule(metas.get(str(a))) or "none" for a in again["attempt_id"]} if metas is not None else set()
        mine = numbered[numbered["candidate_id"] == cand]
        form, rule = next_form_choice(str(battery), str(task), mine, passages)
        rows.append({"candidate_id": cand, "task": task, "item": item, "n_sessions": len(sessions),
                     "sessions": ", ".join(map(str, sessions)), "battery": battery,
                     "next_item": battery_items(str(battery), passages).get(str(task), ""),
                     "unseen": "; ".join(unseen), "came_back_rule": "; ".join(sorted(rules)),
                     "next_form": form, "next_form_rule": rule})  # fmt: skip
    return pd.DataFrame(rows, columns=list(REPEAT_COLUMNS))


def _form_rule(meta: Any) -> str:
    """The rule of the ``parallel_form`` in an attempt's meta ("" when none is recorded)."""
    form = meta.get("parallel_form") if isinstance(meta, Mapping) else None
    rule = form.get("rule") if isinstance(form, Mapping) else None
    return rule if isinstance(rule, str) else ""


def next_form_choice(battery: str, task: str, data: pd.DataFrame,
                     passages: str | Path | None = None) -> tuple[str, str]:  # fmt: skip
    """(item, rule) a retake of ``battery`` through ``typingtest run`` presents for ``task`` to a trainee
    whose attempts are ``data`` (columns ``item``, ``started_at``; pass practice too for the runner's
    choice): ``content.forms.choose_form`` as ``workstation.runner.choose_forms`` applies it (the
    battery's scored tasks in order, items of earlier tasks taken). ("", "") when the battery is not
    shipped or has no scored task of that kind."""
    from typingtest.content.forms import FORM_KINDS, choose_forms, form_catalogue, last_seen
    from typingtest.content.loader import load_battery
    from typingtest.errors import UserError

    if not battery or task not in FORM_KINDS or not battery_items(battery, passages):
        return "", ""
    try:
        loaded = load_battery(battery, passages=passages)
    except UserError:
        return "", ""
    seen = last_seen(list(data["item"]), list(data["started_at"]))
    catalogue = form_catalogue(str(loaded.language), passages)  # the battery's language, as the runner
    tasks = [(t.content, bool(t.practice)) for t in loaded.tasks if t.content is not None]
    for chosen, choice in choose_forms(tasks, seen, catalogue, loaded.band):
        if choice is not None and chosen.kind == task:
            return str(chosen.id), choice.rule
    return "", ""


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



# ---- the trainer view (issue 14, item 5): drills, targeted keys against the rest, parallel forms ----

#: One row per drill done (``drills_frame``): a practice attempt with the keys it targeted.
DRILL_COLUMNS = ("candidate_id", "session_id", "attempt_id", "date", "task", "item", "targets", "msd_error_rate",
                 "net_wpm")  # fmt: skip
#: Per session and group ("targeted", "other"): weighted errors, occurrences, errors per occurrence.
TREND_COLUMNS = ("candidate_id", "session_id", "session_number", "date", "group", "errors", "occurrences",
                 "error_rate")  # fmt: skip
#: Per session and typed task: the item presented, the battery's item for that task, a parallel form or not.
FORM_COLUMNS = ("candidate_id", "session_id", "session_number", "task", "item", "battery_item", "parallel")


def drill_targets(meta: Any) -> list[str]:
    """The keys a drill attempt targeted, from its meta (``meta["targets"]``: a list of keys, or of
    objects with ``key``; read defensively: anything else gives none)."""
    raw = meta.get("targets") if isinstance(meta, Mapping) else None
    if isinstance(raw, Mapping):
        raw = [raw]
    out: list[str] = []
    for t in raw if isinstance(raw, list | tuple) else []:
        key = t.get("key") if isinstance(t, Mapping) else t
        if isinstance(key, str) and key and key not in out:
            out.append(key)
    return out


def drills_frame(data: pd.DataFrame, metas: Mapping[str, Any]) -> pd.DataFrame:
    """The drills done (``DRILL_COLUMNS``, oldest first): the practice attempts of ``data`` that are
    drills (task ``drill``, or targets in their meta: ``metas`` attempt id -> meta); ``targets``
    the keys joined by spaces (bigrams as they are)."""
    rows = []
    practice = data[data["practice"].astype(bool)] if len(data) else data
    for rec in practice.sort_values("started_at").to_dict("records") if len(practice) else []:
        targets = drill_targets(metas.get(str(rec["attempt_id"])))
        if not targets and rec["task"] != "drill":
            continue  # a battery's warm-up passage, not a drill
        rows.append({"candidate_id": rec["candidate_id"], "session_id": rec["session_id"],
                     "attempt_id": rec["attempt_id"], "date": rec["started_at"], "task": rec["task"],
                     "item": rec["item"], "targets": " ".join(targets), "msd_error_rate": rec.get("msd_error_rate"),
                     "net_wpm": rec.get("net_wpm")})  # fmt: skip
    return pd.DataFrame(rows, columns=list(DRILL_COLUMNS))


def targeted_trend(data: pd.DataFrame, targets: Sequence[str]) -> pd.DataFrame:
    """Per session of ``data`` (tests and practice), the errors per occurrence of the targeted keys
    (single characters of ``targets``, upper and lower case together) and of every other key
    (``TREND_COLUMNS``): the learner model's key counts (``key_tally`` of each attempt's metrics)."""
    chars = {c for t in targets if len(t) == 1 for c in (t.lower(), t.upper())}
    if data.empty or not chars:
        return pd.DataFrame(columns=list(TREND_COLUMNS))
    starts = data.groupby(["candidate_id", "session_id"])["started_at"].min().reset_index()
    starts = starts.sort_values(["candidate_id", "started_at", "session_id"])
    starts["session_number"] = starts.groupby("candidate_id").cumcount() + 1
    rows = []
    for rec in starts.to_dict("records"):
        mine = data[(data["candidate_id"] == rec["candidate_id"]) & (data["session_id"] == rec["session_id"])]
        tally = Tally()
        for metrics in mine["metrics"]:
            if isinstance(metrics, Mapping) and metrics.get("char_attempts"):
                tally.add(key_tally(metrics))
        for group in ("targeted", "other"):
            inside = (lambda c: c in chars) if group == "targeted" else (lambda c: c not in chars and not c.isspace())
            errors = sum(v for c, v in tally.errors.items() if inside(c))
            occ = sum(v for c, v in tally.occurrences.items() if inside(c))
            rows.append({"candidate_id": rec["candidate_id"], "session_id": rec["session_id"],
                         "session_number": rec["session_number"], "date": rec["started_at"], "group": group,
                         "errors": errors, "occurrences": occ,
                         "error_rate": errors / occ if occ > 0 else float("nan")})  # fmt: skip
    out = pd.DataFrame(rows, columns=list(TREND_COLUMNS))
    return out[out["occurrences"] > 0].reset_index(drop=True)


def session_forms(data: pd.DataFrame, *, passages: str | Path | None = None) -> pd.DataFrame:
    """Which passage each session presented for its scored copy-typing and transcription tasks
    (``FORM_COLUMNS``): ``battery_item`` is the item the shipped battery names for the task
    (``battery_items``; empty when not shipped), ``parallel`` True when another item, a parallel
    form (``content.forms``), was presented in its place."""
    typed = data[data["task"].isin(["copy-typing", "transcription"]) & ~data["practice"].astype(bool)] \
        if len(data) else data
    if typed.empty:
        return pd.DataFrame(columns=list(FORM_COLUMNS))
    starts = data.groupby(["candidate_id", "session_id"])["started_at"].min().reset_index()
    starts = starts.sort_values(["candidate_id", "started_at", "session_id"])
    starts["session_number"] = starts.groupby("candidate_id").cumcount() + 1
    numbers = {(r["candidate_id"], r["session_id"]): r["session_number"] for r in starts.to_dict("records")}
    rows, shipped = [], {}
    for rec in typed.sort_values("started_at").to_dict("records"):
        battery = str(rec["battery"] or "")
        if battery not in shipped:
            shipped[battery] = battery_items(battery, passages)
        own = shipped[battery].get(str(rec["task"]), "")
        rows.append({"candidate_id": rec["candidate_id"], "session_id": rec["session_id"],
                     "session_number": numbers[(rec["candidate_id"], rec["session_id"])], "task": rec["task"],
                     "item": rec["item"], "battery_item": own, "parallel": bool(own) and own != rec["item"]})
    return pd.DataFrame(rows, columns=list(FORM_COLUMNS)).drop_duplicates(["session_id", "task", "item"])
