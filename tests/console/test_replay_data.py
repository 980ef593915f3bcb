"""The replay data of the console (``typingtest.console.replay``) against real stored attempts.

Three virtual candidates of the simulator go through the ``quick`` battery headless into a
throwaway store (their typists make errors and correct most of them with Backspace). The
replay steps, applied by the plain reference below, must rebuild the stored typed text; the
error spans must add up to the MSD the scoring stored; the call timeline must list the caller
lines in the order they played and every expected action the engine scored.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from typingtest.config import Settings
from typingtest.console.replay import call_timeline, embed_json, error_spans, replay_frames, replay_steps
from typingtest.content import draw_form, load_item
from typingtest.engine import timing
from typingtest.engine.events import EventKind, make_log
from typingtest.engine.feedback import error_positions_exact
from typingtest.engine.replay import replay
from typingtest.errors import UserError
from typingtest.simulate.commands import run_cohort
from typingtest.store import open_store

COHORT = "replay"


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory):
    folder: Path = tmp_path_factory.mktemp("replay-data")
    settings = Settings(results_dir=folder)
    store = open_store(settings)
    run_cohort(settings, store, candidates=3, battery="quick", cohort_name=COHORT, seed=5, progress=False)
    frame = store.attempts_frame(cohort=COHORT)
    yield store, frame
    store.close()


def apply_steps(steps: list[list[Any]]) -> str:
    """The reference: the steps applied to an empty buffer with list slicing (code points)."""
    buf: list[str] = []
    for step in steps:
        if step[1] == "ins":
            buf[step[2]:step[2]] = list(step[3])
        elif step[1] == "del":
            del buf[step[2]:step[3]]
        else:
            assert step[1] in ("caret", "select"), step
    return unicodedata.normalize("NFC", "".join(buf))


def typed_attempts(frame: Any) -> Any:
    return frame[frame["task"].isin(["copy-typing", "transcription"])]


def test_replay_rebuilds_the_stored_text(cohort) -> None:
    store, frame = cohort
    typed = typed_attempts(frame)
    assert len(typed) == 6  # 3 candidates x (copy typing, transcription)
    deletions = 0
    for row in typed.itertuples():
        data = replay_frames(store, row.attempt_id)
        steps = data["steps"]
        assert data["final"] == row.transcribed
        assert data["fields"] == ["answer"]
        assert apply_steps(steps) == row.transcribed
        times = [s[0] for s in steps]
        assert times == sorted(times), "times go back"
        # the last step is the last keystroke of the answer (the typing presses: not the finishing key)
        log = store.events(row.attempt_id)
        answer = log[log["target"] == "answer"]
        downs = answer["t"][answer["kind"] == EventKind.KEY_DOWN][timing.typing_presses(answer)]
        assert data["end_ms"] == times[-1] == round(1000 * float(downs.max()))
        assert data["start_ms"] == times[0] == round(1000 * float(downs.min()))
        # ... so first to last step is S, the seconds the engine's speed figures divide by
        assert abs((data["end_ms"] - data["start_ms"]) - 1000 * row.metrics["seconds"]) <= 1
        deletions += sum(s[1] == "del" for s in steps)
        # one step or more per input-stream entry (a deletion with nothing to delete: a caret step)
        assert len(steps) >= len(replay(log, target="answer").input_stream)
    assert deletions > 0, "the simulated typists corrected nothing: the test would not see deletions"


def test_error_spans_agree_with_the_stored_counts(cohort) -> None:
    store, frame = cohort
    for row in typed_attempts(frame).itertuples():
        data = replay_frames(store, row.attempt_id)
        metrics = row.metrics
        # the characters marked add up to the MSD the scoring stored (INF)
        assert data["errors"]["msd"] == metrics["msd"] == metrics["inf"]
        assert data["judged_chars"] == metrics["presented_chars"]
        # the spans tile both texts, in order
        t_end = p_end = 0
        for op, t0, t1, p0, p1 in data["spans"]:
            assert (t0, p0) == (t_end, p_end)
            assert op in ("ok", "sub", "ins", "del")
            if op in ("ok", "sub"):
                assert t1 - t0 == p1 - p0 > 0
            elif op == "ins":
                assert t1 > t0 and p1 == p0
            else:
                assert t1 == t0 and p1 > p0
            t_end, p_end = t1, p1
        assert (t_end, p_end) == (len(data["final"]), data["judged_chars"])
        if row.task == "copy-typing" and metrics["ended_by"] == "time":
            # the same characters the practice-result screen marks (engine.feedback)
            marked = [i for op, t0, t1, _, _ in data["spans"] if op in ("sub", "ins") for i in range(t0, t1)]
            assert marked == error_positions_exact(data["presented"], data["final"])
    assert sum(replay_frames(store, a)["errors"]["msd"] for a in typed_attempts(frame)["attempt_id"]) > 0


def test_error_spans_worked_example() -> None:
    # docs/engine.md's worked example: P "the quick brown", T "th quick brpown": an omitted "e" and an extra "p" (MSD 2)
    spans = error_spans("the quick brown", "th quick brpown")
    assert spans == [["ok", 0, 2, 0, 2], ["del", 2, 2, 2, 3], ["ok", 2, 11, 3, 12], ["ins", 11, 12, 12, 12],
                     ["ok", 12, 15, 12, 15]]
    # a line break typed where the passage has a space is no error (engine.breaks)
    assert error_spans("Geachte mevrouw,\nHartelijk", "Geachte mevrouw, Hartelijk") == [["ok", 0, 26, 0, 26]]


def test_cursor_moves_and_selections_replay_as_the_engine_edits() -> None:
    """A hand-made log: typing, a caret click, Left, a drag selection typed over, select-all and Backspace."""
    rows: list[dict[str, Any]] = []
    t = 0.0

    def text(s: str) -> None:
        nonlocal t
        for ch in s:
            t += 0.1
            rows.append({"t": t, "kind": EventKind.TEXT, "text": ch, "target": "f"})

    def edit(op: str, x: float = 0, y: float = 0) -> None:
        nonlocal t
        t += 0.1
        rows.append({"t": t, "kind": EventKind.EDIT, "text": op, "target": "f", "x": x, "y": y})

    text("helo wrld")
    edit("caret", 3)  # into "hel|o"
    text("l")
    edit("end")
    edit("left")
    edit("left")
    edit("left")  # "hello w|rld"
    text("o")
    edit("select", 0, 5)  # "hello" selected by a drag
    text("Dag")
    edit("word-backspace")  # removes "world"
    edit("home")
    edit("backspace")  # nothing to delete: a caret step
    text("X")
    edit("select-all")
    edit("backspace")
    text("ok")
    log = make_log(rows)
    steps, final = replay_steps(log, "f")
    assert final == replay(log, target="f").transcribed == "ok"
    assert apply_steps(steps) == final
    kinds = [s[1] for s in steps]
    assert "caret" in kinds and "select" in kinds
    # typing over the selection: a deletion and an insertion at the same time
    over = next(i for i, s in enumerate(steps) if s[1] == "select")
    assert steps[over + 1][1:] == ["del", 0, 5] and steps[over + 2][1:] == ["ins", 0, "D"]
    assert steps[over + 1][0] == steps[over + 2][0]
    # the state at each step equals the engine's replay of the log up to that entry
    io = np.flatnonzero(np.isin(log["kind"], (EventKind.TEXT, EventKind.EDIT)))
    by_time: dict[int, list[list[Any]]] = {}
    for s in steps:
        by_time.setdefault(s[0], []).append(s)
    done: list[list[Any]] = []
    for k in io:
        done += by_time[round(1000 * float(log["t"][k]))]
        assert apply_steps(done) == replay(log[: k + 1], target="f").transcribed


def test_call_timeline_lists_lines_in_order_and_every_scored_action(cohort) -> None:
    store, frame = cohort
    calls = frame[frame["task"] == "call"]
    assert len(calls) == 3
    for row in calls.itertuples():
        events = call_timeline(store, row.attempt_id, "nl")
        times = [e["t_s"] for e in events]
        assert times == sorted(times)
        log = store.events(row.attempt_id)
        onsets = log[log["kind"] == EventKind.AUDIO_ONSET]
        lines = [e for e in events if e["kind"] == "line"]
        assert [e["arg"] for e in lines] == [str(x) for x in np.sort(onsets, order="t", kind="stable")["text"]]
        assert lines, "a call without caller lines"
        # the words of each line: the scenario's, drawn with the attempt's seed
        item = load_item(row.item)
        seed = _seed(store, row.attempt_id)
        item = draw_form(item, seed) if seed is not None else item
        words = {ln.id: ln.text for ln in item.lines}
        for e in lines:
            assert e["text"] == words[e["arg"]] and e["text"] in e["label"]
            assert e["until_s"] is None or e["until_s"] > e["t_s"]
        # times from the ring
        ring = next(e for e in events if e["what"] == "ringing")
        assert ring["t_s"] == 0.0
        # every expected action the engine scored, once, with its outcome
        scored = [e for e in events if e["kind"] == "scored"]
        assert [e["id"] for e in sorted(scored, key=lambda e: e["id"])] == sorted(a["id"] for a in row.actions)
        for a in row.actions:
            e = next(x for x in scored if x["id"] == a["id"])
            assert (e["done"], e["correct"], e["in_time"]) == (a["done"], a["correct"], a["in_time"])
        # a field of the call replays too (the wrap-up note, typed with corrections or not)
        frames = replay_frames(store, row.attempt_id, target="wrapup")
        assert "wrapup" in frames["fields"] and frames["presented"] is None and frames["spans"] == []
        assert apply_steps(frames["steps"]) == frames["final"] == replay(log, target="wrapup").transcribed != ""
        # what the candidate did: at least the pick-up and a form saved
        assert any(e["what"] == "pickup" for e in events)
        assert any(e["kind"] == "action" and e["what"] == "submit" for e in events)


def _seed(store: Any, attempt_id: str) -> int | None:
    from typingtest.console.replay import attempt_row

    seed = (attempt_row(store, attempt_id)["meta"] or {}).get("seed")
    return None if seed is None else int(seed)


def test_call_timeline_words_in_every_language(cohort) -> None:
    store, frame = cohort
    call = frame[frame["task"] == "call"].iloc[0]["attempt_id"]
    labels = {lang: [e["label"] for e in call_timeline(store, call, lang)] for lang in ("nl", "fr", "en")}
    assert len({len(v) for v in labels.values()}) == 1
    assert labels["nl"] != labels["fr"] != labels["en"]
    assert all("{" not in x and "}" not in x for v in labels.values() for x in v)


def test_bad_input(cohort) -> None:
    store, frame = cohort
    with pytest.raises(UserError, match="no such attempt"):
        replay_frames(store, "0" * 32)
    copy = frame[frame["task"] == "copy-typing"].iloc[0]["attempt_id"]
    with pytest.raises(UserError, match="not a call"):
        call_timeline(store, copy)


def test_embed_json_cannot_end_its_script() -> None:
    text = embed_json({"final": "</script><!-- & ë"})
    assert "</" not in text and "<!--" not in text and "&" not in text
    import json

    assert json.loads(text) == {"final": "</script><!-- & ë"}
