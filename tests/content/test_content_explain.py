"""`typingtest content explain CALL_ID` (the scoring review table) and the `content check`
warning for expected values the call never gives (issue 18, items 2 and 7).

The expected ids, weights, codes, cues and deadlines below are copied by hand from
``passages/nl/call/nl-call-01.toml`` and ``nl-call-04.toml`` ([[expect]] tables; a missing
``weight`` is 1), not computed from the loaded call.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from typingtest.cli import main
from typingtest.config import PASSAGES_DIR

# nl-call-01.toml [[expect]]: id, weight, competence, cue, deadline (s; None = no deadline_s)
NL_CALL_01 = [
    ("pickup", 1, "co 01669", "ringing", 12),
    ("greet", 1, "D140801 Id17425", "pickup", 10),
    ("find-caller", 1, "D140801 Id17425", "line-end:l2", 30),
    ("identity", 1, "D140801 Id17425", "line-end:l3", 20),
    ("purpose", 1, "D140801 Id16700", "line-end:l4", 30),
    ("stock-aqua", 1, "D140801 Id17852", "line-end:l4", 30),
    ("stock-aqua-plus", 1, "D140801 Id17852", "line-end:l5", 30),
    ("kb-shipping", 1, "D140801 Id17255", "chat-shown:m1", 60),
    ("chat-answer", 1, "co 01669", "chat-shown:m1", 90),
    ("order-code-1", 1, "co 01670", "line-end:l6", None),
    ("order-qty-1", 1, "co 01670", "line-end:l6", None),
    ("order-code-2", 1, "co 01670", "line-end:l6", None),
    ("order-qty-2", 1, "co 01670", "line-end:l6", None),
    ("order-entered", 1, "D140801 Id17852", "line-end:l6", 60),
    ("script", 1, "D140801 Id16700", "pickup", None),
    ("close", 1, "co 01671", "line-end:l7", 20),
    ("handling-time", 1, "co 01669", "pickup", 300),
    ("wrapup-note", 1, "D140801 Id17267", "hangup", 120),
    ("contact-registered", 1, "D140801 Id17852", "hangup", 120),
]


def _table_rows(out: str) -> list[tuple[str, ...]]:
    """The first five columns of each table row (columns are two or more spaces apart)."""
    rows = []
    for line in out.splitlines()[2:]:
        if line.startswith(" "):
            continue  # the wrapped last column
        rows.append(tuple(re.split(r" {2,}", line)[:5]))
    return rows


def test_explain_nl_call_01_lists_every_action_with_weight_code_cue_deadline(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["content", "explain", "nl-call-01", "--ui-lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "nl-call-01  Bestelling met voorraadcontrole  (19 expected actions, total weight 19)"
    expected = [(i, str(w), code, cue, f"{d} s" if d is not None else "any time") for i, w, code, cue, d in NL_CALL_01]
    assert _table_rows(out) == expected


def test_explain_says_what_counts_in_words(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["content", "explain", "nl-call-01", "--ui-lang", "nl"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # the wrapped column read as one text
    # the record with its number and name (records K2 in nl-call-01.toml), the caller's line as the cue
    assert "na zin l2: 'Ja, natuurlijk. Mijn klantnummer is 2 0 5...' -> laatst geopende fiche is K2 " \
           "(205718-78, Marleen Claes, Lier)" in out
    assert "reden van de oproep: Bestelling (order)" in out
    # every accepted phrasing of a fact (fields[wrapup].facts, out-of-stock)
    assert "out-of-stock: niet in voorraad | uitverkocht | niet leverbaar" in out
    assert "elk feit telt voor 1/4 van het gewicht" in out  # wrapup has 4 facts
    assert "altijd" in out and "any time" not in out


def test_explain_json_nl_call_04_weights_and_accepted_answers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["content", "explain", "nl-call-04", "--json", "--ui-lang", "en"]) == 0
    doc = json.loads(capsys.readouterr().out)
    rows = {r["id"]: r for r in doc["expect"]}
    # nl-call-04.toml: four avoids of 0.25, the assignment chat 0.5, twelve actions of weight 1
    assert [rows[f"not-dialled-{k}"]["weight"] for k in ("K1", "K2", "K4", "K5")] == [0.25] * 4
    assert rows["chat-assignment-acknowledged"]["weight"] == 0.5
    assert sum(r["weight"] for r in doc["expect"]) == 13.5 and len(doc["expect"]) == 17
    assert rows["purpose"]["accepted"] == ["sale", "information"]
    assert rows["purpose"]["correct"] == "purpose of the call: Sale (sale) or Information (information)"
    assert rows["callback-slot"]["accepted"] == ["2026-03-17T14:30", "2026-03-17T16:00", "2026-03-19T09:30",
                                                 "2026-03-19T11:00"]
    assert "Tue 17-03-2026 14:30" in rows["callback-slot"]["correct"]  # 17 March 2026 is a Tuesday
    assert rows["callback-slot"]["cue_text"].startswith("after line l3: 'Ah, zo. Morgen is hij")
    assert rows["wrapup-note"]["facts"][0] == {"id": "not-reached", "any": [
        "niet bereikt", "niet thuis", "afwezig", "aan het werk", "niet aanwezig", "niet gesproken"]}


@pytest.mark.parametrize("item", ["nl-call-99", "nl-copy-01"])
def test_explain_unknown_call_is_one_line_listing_the_calls(item: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["content", "explain", item]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith(f"typingtest: error: {item}: ")
    assert "calls: nl-call-01, nl-call-02, nl-call-03, nl-call-04, nl-call-05" in captured.err
    assert "typingtest content list" in captured.err


# ------------------------------------------------------------------ the content check warning


def _mutated(tmp_path: Path, call_id: str, old: str, new: str) -> Path:
    """A shipped call copied under tmp_path with one text replaced."""
    dst = tmp_path / "nl" / "call" / f"{call_id}.toml"
    dst.parent.mkdir(parents=True)
    shutil.copy(PASSAGES_DIR / "nl" / "call" / f"{call_id}.toml", dst)
    text = dst.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    dst.write_text(text.replace(old, new), encoding="utf-8")
    return dst


def test_shipped_calls_give_no_warning(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["content", "check", str(PASSAGES_DIR / "nl" / "call"), "--strict"]) == 0
    out = capsys.readouterr().out
    assert "warning" not in out and out.strip() == "5 file(s) checked: no problems"


# (call, old text, new text, the line the warning points at, field, message)
MUTATIONS = [
    # an order code no product has (nl-call-01 sells OT-030, not OT-031)
    ("nl-call-01", 'value = "OT-030"', 'value = "OT-031"', 'value = "OT-031"', "fields[order_code_2].value",
     "warning: 'OT-031' occurs in no caller line, chat, record, product or article of the call: "
     "the candidate cannot know it"),
    # an invoice number the caller does not say and the record does not hold
    ("nl-call-02", 'value = "F-2026-031147"', 'value = "F-2026-031148"', 'value = "F-2026-031148"',
     "fields[complaint_invoice].value",
     "warning: 'F-2026-031148' occurs in no caller line, chat, record, product or article of the call: "
     "the candidate cannot know it"),
    # a transfer target no article names: the warning points at the expectation
    ("nl-call-02", 'name = "Facturatie"', 'name = "Debiteurenbeheer"', 'transfer = "billing"',
     "expect[transfer-billing].transfer",
     "warning: transfer target 'Debiteurenbeheer' (billing) is named in no caller line, chat or article: "
     "the candidate cannot know it"),
    # a record the caller never names (Walter Lambrechts, 725519-56, instead of Wouter, 109455-39)
    ("nl-call-03", 'action = "open-record"\nrecord = "K2"', 'action = "open-record"\nrecord = "K3"',
     'record = "K3"', "expect[find-caller].record",
     "warning: record K3: neither its number 725519-56 nor the name 'Walter Lambrechts' is in a caller line or chat"),
]


@pytest.mark.parametrize(("call_id", "old", "new", "at", "field", "message"), MUTATIONS,
                         ids=[m[4] for m in MUTATIONS])
def test_a_mutated_expected_value_warns(tmp_path: Path, capsys: pytest.CaptureFixture[str], call_id: str, old: str,
                                        new: str, at: str, field: str, message: str) -> None:
    path = _mutated(tmp_path, call_id, old, new)
    rows = path.read_text(encoding="utf-8").splitlines()
    (line,) = [n for n, row in enumerate(rows, 1) if row == at]  # found by plain search, once
    assert main(["content", "check", str(tmp_path)]) == 0  # a warning, not a problem
    out = capsys.readouterr().out.splitlines()
    assert out == [f"{path}:{line}: {field}: {message}", "1 file(s) checked: no problems, 1 warning(s)"]
    assert main(["content", "check", str(tmp_path), "--strict"]) == 1
    assert "0 problem(s), 1 warning(s) in 1 file(s)" in capsys.readouterr().err
