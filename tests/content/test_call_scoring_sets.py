"""Repeatable form groups (order lines) are scored as sets, and the format is checked on load.

nl-call-01's order (fields with ``row``, docs/content.md "Repeatable groups"): the caller
asks for one Aqua Plus (WK-171) and three packs of tablets (OT-030) (line l6). Five order
actions score it: order-code-1, order-qty-1, order-code-2, order-qty-2 (fields) and
order-entered (the save). Expected counts below are hand counts over those five.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from typingtest.content import load_item
from typingtest.content.loader import check
from typingtest.engine.actions import score_actions, score_group
from typingtest.engine.events import EventKind as K
from typingtest.engine.events import make_log

CALL = load_item("nl-call-01")
ORDER_IDS = ("order-code-1", "order-qty-1", "order-code-2", "order-qty-2", "order-entered")
SOURCE = Path(CALL.path).read_text(encoding="utf-8")


def _order_log(lines: list[tuple[str, str]], saves: tuple[float, ...] = (60.0,)) -> list[dict]:
    """A connected call whose l6 ends at 20 s; ``lines`` typed in rows 1, 2, ... from 30 s, then saved."""
    rows: list[dict] = [dict(t=0.0, kind=K.MARKER, text="task-start"), dict(t=3.0, kind=K.SCREEN, text="ringing"),
                        dict(t=5.0, kind=K.SCREEN, text="pickup"),
                        dict(t=20.0, kind=K.AUDIO_OFFSET, text="l6", target="line")]
    t = 30.0
    for n, (code, qty) in enumerate(lines, start=1):
        for name, text in ((f"order_code_{n}", code), (f"order_qty_{n}", qty)):
            for ch in text:
                rows.append(dict(t=t, kind=K.TEXT, text=ch, target=name))
                t += 0.1
    rows += [dict(t=s, kind=K.CLICK, target="submit:order") for s in saves]
    return rows


def _order_scores(rows: list[dict]) -> dict[str, float]:
    order = [e for e in CALL.expect if e.id in ORDER_IDS]
    return {s.id: s.score for s in score_actions(order, make_log(rows), fields=CALL.fields)}


def test_the_order_as_the_caller_says_it_scores_every_order_action() -> None:
    assert _order_scores(_order_log([("WK-171", "1"), ("OT-030", "3")])) == dict.fromkeys(ORDER_IDS, 1.0)


def test_the_order_in_the_other_order_scores_every_order_action_too() -> None:
    assert _order_scores(_order_log([("OT-030", "3"), ("WK-171", "1")])) == dict.fromkeys(ORDER_IDS, 1.0)


def test_a_wrong_quantity_makes_exactly_that_quantity_and_the_save_wrong() -> None:
    # entered in the other order, the Aqua Plus with quantity 2: row 2 is (WK-171, 2)
    got = _order_scores(_order_log([("OT-030", "3"), ("WK-171", "2")]))
    assert got == {"order-code-1": 1.0, "order-qty-1": 1.0, "order-code-2": 1.0, "order-qty-2": 0.0,
                   "order-entered": 0.0}
    assert sum(got.values()) == 3.0  # hand count: 3 of the 5 order actions


def test_a_wrong_article_costs_that_code_only() -> None:
    # WK-170 (the Aqua, out of stock) instead of WK-171: the line still matches the Aqua Plus line
    got = _order_scores(_order_log([("WK-170", "1"), ("OT-030", "3")]))
    assert got == {"order-code-1": 0.0, "order-qty-1": 1.0, "order-code-2": 1.0, "order-qty-2": 1.0,
                   "order-entered": 0.0}


def test_a_missing_line_costs_its_fields_and_the_save() -> None:
    rows = _order_log([("OT-030", "3")])
    got = _order_scores(rows)
    assert got == {"order-code-1": 1.0, "order-qty-1": 1.0, "order-code-2": 0.0, "order-qty-2": 0.0,
                   "order-entered": 0.0}
    saved = next(s for s in score_actions(CALL.expect, make_log(rows), fields=CALL.fields) if s.id == "order-entered")
    assert saved.details["lines_missing"] == [1]  # the scenario's row 1: WK-171 x 1


def test_an_extra_line_the_caller_did_not_ask_for_makes_the_save_wrong() -> None:
    # a third line (the iron SI-240) typed in order_code_3 / order_qty_3, as a desk that adds lines logs it
    rows = _order_log([("WK-171", "1"), ("OT-030", "3"), ("SI-240", "1")])
    got = _order_scores(rows)
    assert got == {**dict.fromkeys(ORDER_IDS[:4], 1.0), "order-entered": 0.0}
    saved = next(s for s in score_actions(CALL.expect, make_log(rows), fields=CALL.fields) if s.id == "order-entered")
    assert (saved.details["lines_extra"], saved.details["lines_missing"]) == ([3], [])


def test_score_group_reports_the_assignment() -> None:
    group = [f for f in CALL.fields if f.form == "order"]
    g = score_group(group, make_log(_order_log([("ot 030", "3"), ("WK-171", "2")])))
    # typed row 1 matches the scenario's row 2 (OT-030 x 3), typed row 2 the scenario's row 1 (WK-171 x 1)
    assert [(m.row, m.expected_row, m.wrong) for m in g.lines] == [(1, 2, ()), (2, 1, ("order_qty",))]
    assert (g.missing, g.extra, g.correct) == ((), (), False)


def test_the_last_save_of_the_form_is_judged() -> None:
    # saved at 60 s with both lines, quantity corrected before a second save: 2 then backspace then 1
    rows = _order_log([("WK-171", "2"), ("OT-030", "3")], saves=(40.0,))
    rows += [dict(t=41.0, kind=K.EDIT, text="backspace", target="order_qty_1"),
             dict(t=41.5, kind=K.TEXT, text="1", target="order_qty_1"),
             dict(t=42.0, kind=K.CLICK, target="submit:order")]
    saved = next(s for s in score_actions(CALL.expect, make_log(rows), fields=CALL.fields) if s.id == "order-entered")
    assert (saved.correct, saved.latency_s, saved.details["saves_s"]) == (True, 22.0, [40.0, 42.0])  # 42 - 20


def test_a_save_after_the_deadline_does_not_replace_the_one_in_time() -> None:
    # order-entered: deadline 60 s after l6 ended (20 s) = 80 s; the wrong save at 40 s is the last in time
    rows = _order_log([("WK-171", "2"), ("OT-030", "3")], saves=(40.0,))
    rows += [dict(t=90.0, kind=K.EDIT, text="backspace", target="order_qty_1"),
             dict(t=90.5, kind=K.TEXT, text="1", target="order_qty_1"),
             dict(t=91.0, kind=K.CLICK, target="submit:order")]
    saved = next(s for s in score_actions(CALL.expect, make_log(rows), fields=CALL.fields) if s.id == "order-entered")
    assert (saved.correct, saved.in_time, saved.score) == (False, True, 0.0)


# ----------------------------------------------------------------------------- the format, checked on load


def _problems(tmp_path: Path, old: str, new: str) -> list[str]:
    assert old in SOURCE
    path = tmp_path / "nl" / "call" / "nl-call-01.toml"
    path.parent.mkdir(parents=True)
    path.write_text(SOURCE.replace(old, new, 1), encoding="utf-8")
    return [str(p).removeprefix(f"{path}:") for p in check(path)]


def _line(snippet: str, occurrence: int = 1) -> int:
    """The line of the ``occurrence``-th ``snippet`` in nl-call-01.toml (1-based)."""
    hits = [i for i, text in enumerate(SOURCE.splitlines(), start=1) if snippet in text]
    return hits[occurrence - 1]


@pytest.mark.parametrize(
    "old,new,expected",
    [
        # order_qty_2 moved to row 3: its row is not named <column>_3
        ('type = "number"\nrow = 2\nvalue = "3"', 'type = "number"\nrow = 3\nvalue = "3"',
         "fields[order_qty_2].row: a field in row 3 is named <column>_3 (like order_code_3), got 'order_qty_2'"),
        ('row = 1\nvalue = "1"', 'row = 0\nvalue = "1"', "fields[order_qty_1].row: 0: rows are numbered from 1"),
        ('row = 1\nvalue = "1"', 'row = "1"\nvalue = "1"',
         "fields[order_qty_1].row: expected a whole number, got a string '1'"),
        ('name = "order_qty_2"', 'name = "order_amount_2"',
         "fields[order_amount_2].row: column 'order_amount' is not in row 1 of form 'order' "
         "(columns: order_code, order_qty)"),
    ],
)
def test_a_broken_group_is_one_line(tmp_path: Path, old: str, new: str, expected: str) -> None:
    problems = _problems(tmp_path, old, new)
    assert any(p.split(": ", 1)[1] == expected for p in problems), problems
    assert len([p for p in problems if ".row:" in p]) <= 2  # no cascade over every line of the group
    assert all(p.split(":", 1)[0].isdigit() for p in problems)  # every problem is file:line: field: message


def test_a_row_lacking_a_column_names_its_line(tmp_path: Path) -> None:
    problems = _problems(tmp_path, 'name = "order_qty_2"', 'name = "order_amount_2"')
    line = _line("row = 2")  # the row key of order_code_2, the first field of row 2
    lacking = (f"{line}: fields[order_code_2].row: row 2 of form 'order' lacks column(s) order_qty "
               "(columns: order_code, order_qty)")
    assert lacking in problems


def test_a_note_cannot_be_a_line(tmp_path: Path) -> None:
    problems = _problems(tmp_path, 'name = "wrapup"\nlabel = "Verslag van het gesprek"\nform = "wrap-up"\n',
                         'name = "wrapup"\nlabel = "Verslag van het gesprek"\nform = "wrap-up"\nrow = 1\n')
    line = _line('name = "wrapup"') + 3  # the row = 1 added three lines below the name
    assert f"{line}: fields[wrapup].row: a note is not a line of a repeatable group; remove row" in problems


def test_not_before_cue_must_be_true_or_false(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "not_before_cue = true", 'not_before_cue = "ja"')
    line = _line("not_before_cue")
    assert f"{line}: expect[identity].not_before_cue: expected true or false, got a string 'ja'" in problems


def test_the_shipped_order_declares_its_lines() -> None:
    rows = {f.name: (f.row, f.column) for f in CALL.fields if f.form == "order"}
    assert rows == {"order_code_1": (1, "order_code"), "order_qty_1": (1, "order_qty"),
                    "order_code_2": (2, "order_code"), "order_qty_2": (2, "order_qty")}
