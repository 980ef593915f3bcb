"""Expected answers a trainer would defend (issue 18, item 6).

Where a choice (purpose, transfer target) has a second defensible answer, the scenario lists
it in ``accept`` and both score; the review of every expected choice of the shipped calls is
the table in ``docs/content.md`` ("Expected answers reviewed"), checked here against the files.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from typingtest.config import PASSAGES_DIR
from typingtest.content import Call, check, load_all, load_item
from typingtest.engine.actions import score_actions
from typingtest.engine.events import EventKind as K
from typingtest.engine.events import make_log

DOCS = Path(__file__).resolve().parents[2] / "docs" / "content.md"
CHOICES = ("open-record", "identity", "purpose", "transfer", "callback")


def _purpose_log(purpose: str) -> object:
    """An outbound call dialled, the first line heard, one purpose clicked 2 s later."""
    return make_log([
        dict(t=0.0, kind=K.MARKER, text="task-start"),
        dict(t=5.0, kind=K.SCREEN, text="dial", target="record:K3"),
        dict(t=11.0, kind=K.AUDIO_ONSET, text="l1", target="line"),
        dict(t=12.0, kind=K.AUDIO_OFFSET, text="l1", target="line"),
        dict(t=14.0, kind=K.CLICK, text="", target=f"purpose:{purpose}"),
    ])


@pytest.mark.parametrize(("purpose", "scores"), [
    ("sale", True),  # the assignment: renewal and Omnium Plus (chat m1)
    ("information", True),  # the customer asked to be called about his renewal (record K3)
    ("advertising", False),
    ("other", False),
])
def test_nl_call_04_purpose_sale_or_information(purpose: str, scores: bool) -> None:
    call = load_item("nl-call-04")
    expect = [e for e in call.expect if e.id == "purpose"]  # type: ignore[attr-defined]
    (s,) = score_actions(expect, _purpose_log(purpose), fields=call.fields)  # type: ignore[attr-defined]
    assert (s.done, s.correct, s.score) == (True, scores, 1.0 if scores else 0.0)
    assert s.expected == ["sale", "information"]


def test_nl_call_03_purpose_information_or_assistance() -> None:
    call = load_item("nl-call-03")
    (e,) = [e for e in call.expect if e.id == "purpose"]  # type: ignore[attr-defined]
    assert e.accepted == ("information", "assistance")


def _copy_call(tmp_path: Path, call_id: str, old: str, new: str) -> tuple[Path, int]:
    """The shipped call copied under tmp_path with one text replaced; (file, line of the new text)."""
    src = PASSAGES_DIR / "nl" / "call" / f"{call_id}.toml"
    dst = tmp_path / "nl" / "call" / f"{call_id}.toml"
    dst.parent.mkdir(parents=True)
    shutil.copy(src, dst)
    text = dst.read_text(encoding="utf-8")
    assert text.count(old) == 1
    text = text.replace(old, new)
    dst.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if new.splitlines()[-1] in row)
    return dst, line


@pytest.mark.parametrize(("old", "new", "message"), [
    ('accept = ["information"]', 'accept = ["informatie"]',
     "purpose 'informatie' is not offered (purposes: sale, information, advertising, assistance, other)"),
    ('accept = ["information"]', 'accept = ["sale"]',
     "'sale' is already the expected purpose; list only the other accepted answers"),
    ('accept = ["information"]', 'accept = ["order"]',  # not offered on nl-call-04's desk
     "purpose 'order' is not offered (purposes: sale, information, advertising, assistance, other)"),
])
def test_a_wrong_accept_is_one_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    path, line = _copy_call(tmp_path, "nl-call-04", old, new)
    assert [str(p) for p in check(tmp_path)] == [f"{path}:{line}: expect[purpose].accept: {message}"]


def test_accept_only_on_purpose_and_transfer(tmp_path: Path) -> None:
    path, line = _copy_call(tmp_path, "nl-call-04", 'step = "introduce"', 'step = "introduce"\naccept = ["no-details"]')
    problems = [str(p) for p in check(tmp_path)]
    assert len(problems) == 1 and problems[0].startswith(f"{path}:{line}: expect[introduce].accept: unknown key")


def test_accepted_transfer_must_exist(tmp_path: Path) -> None:
    path, line = _copy_call(tmp_path, "nl-call-02", 'transfer = "billing"\n',
                            'transfer = "billing"\naccept = ["boekhouding"]\n')
    assert [str(p) for p in check(tmp_path)] == [
        f"{path}:{line}: expect[transfer-billing].accept: transfer target 'boekhouding' does not exist "
        "(known: billing, cancellations, ombuds, sales, technical)"]


def _review_rows() -> dict[tuple[str, str], list[str]]:
    text = DOCS.read_text(encoding="utf-8")
    block = text.split("<!-- answers-review:start -->")[1].split("<!-- answers-review:end -->")[0]
    rows = {}
    for line in block.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and re.match(r"nl-call-\d\d$", cells[0]):
            rows[(cells[0], cells[1])] = [a.strip().strip("`") for a in cells[2].split(",")]
    return rows


def test_the_review_in_the_docs_lists_every_expected_choice_as_the_files_score_it() -> None:
    """One row per expected choice of every shipped call; its accepted answers are the file's."""
    calls = [x for x in load_all() if isinstance(x, Call)]
    shipped = {(c.id, e.id): list(e.accepted) for c in calls for e in c.expect if e.action in CHOICES}
    assert _review_rows() == shipped
