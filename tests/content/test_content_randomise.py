"""Randomised forms end to end: a call whose caller is drawn per candidate, checked, drawn,
scored against the drawn values, and rebuilt from its seed."""

from __future__ import annotations

from pathlib import Path

from content_fixtures import CALL, FILES, write_tree

from typingtest.content import check, draw_customer, draw_form, load_file
from typingtest.engine.actions import score_actions
from typingtest.engine.events import EventKind as K
from typingtest.engine.events import make_log

RANDOM_CALL = (
    CALL.replace('[caller]', '[randomise]\nrecord = "K1"\nregion = "vlaanderen"\n\n[caller]')
    .replace('name = "Jan Peeters"\n\n[[script]]', 'name = "{name}"\n\n[[script]]')
    .replace('text = "Dag, met Jan Peeters, klantnummer 1 1 8 4 0 2, 62."',
             'text = "Dag, met {name}, klantnummer {customer_number_spoken}."')
    .replace('customer_number = "118402-62"\nname = "Jan Peeters"\nstreet = "Kerkstraat 4"\npostcode = "2000"\n'
             'municipality = "Antwerpen"\nphone = "03 218 44 10"\nemail = "jan.peeters@postduif.be"',
             'customer_number = "{customer_number}"\nname = "{name}"\nstreet = "{street} {house_number}"\n'
             'postcode = "{postcode}"\nmunicipality = "{municipality}"\nphone = "{phone}"\nemail = "{email}"')
    + '''
[[fields]]
name = "customer_number"
label = "Klantnummer"
type = "number"
value = "{customer_number}"

[[expect]]
id = "number"
action = "field"
field = "customer_number"
cue = "line-end:l1"
competence = "co 01670"
'''
)


def _write(tmp_path: Path) -> Path:
    rel = "nl/call/nl-call-91.toml"
    assert FILES[rel] != RANDOM_CALL
    return write_tree(tmp_path, {rel: RANDOM_CALL})[rel]


def test_a_randomised_call_checks_clean(tmp_path: Path) -> None:
    _write(tmp_path)
    assert [str(p) for p in check(tmp_path)] == []


def test_the_drawn_values_fill_record_lines_and_expected_values(tmp_path: Path) -> None:
    call = load_file(_write(tmp_path))
    drawn = draw_form(call, 1234)
    values = draw_customer(1234, "vlaanderen", "nl", avoid_names={"Jan Peeters"}, gender="male")  # nl-caller-2
    k1 = next(r for r in drawn.records if r.id == "K1")
    assert (k1.name, k1.customer_number, k1.postcode) == (values["name"], values["customer_number"], values["postcode"])
    assert next(r for r in drawn.records if r.id == "K2").name == "Jan Peeters"  # the other records stay
    assert drawn.lines[0].text == f"Dag, met {values['name']}, klantnummer {values['customer_number_spoken']}."
    assert drawn.get_field("customer_number").value == values["customer_number"]
    assert drawn.caller.name == values["name"] and drawn.seed == 1234
    assert draw_form(call, 1234) == drawn  # the seed rebuilds the same call


def test_scoring_uses_the_drawn_values(tmp_path: Path) -> None:
    call = draw_form(load_file(_write(tmp_path)), 77)
    number = call.get_field("customer_number").value
    rows = [dict(t=0.0, kind=K.MARKER, text="task-start"), dict(t=5.0, kind=K.AUDIO_OFFSET, text="l1", target="line")]
    rows += [dict(t=6.0 + i * 0.1, kind=K.TEXT, text=ch, target="customer_number") for i, ch in enumerate(number)]
    expectation = [e for e in call.expect if e.id == "number"]
    right = score_actions(expectation, make_log(rows), fields=call.fields)[0]
    assert (right.correct, right.expected) == (True, number)
    other = draw_form(load_file(_write(tmp_path)), 78)
    wrong = score_actions(expectation, make_log(rows), fields=other.fields)[0]
    assert wrong.correct is False  # another candidate's drawn number
