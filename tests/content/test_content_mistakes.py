"""One test per kind of content mistake: `typingtest content check` names the exact file:line: field.

Each case breaks one valid fixture file (``content_fixtures.py``) in one place; the expected
line is found by a plain search for the broken text in the file, the field is written out.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from content_fixtures import FILES, line_of, write_tree

from typingtest.content import check

CALL = "nl/call/nl-call-91.toml"
COPY = "nl/copy-typing/nl-copy-91.toml"
ENTRY = "nl/data-entry/nl-entry-91.toml"
TRANS = "nl/transcription/nl-trans-91.toml"
BATTERY = "batteries/mini.toml"

# (name, file, old text, new text, snippet on the expected line (or (snippet, n-th occurrence)), field,
#  part of the message)
CASES = [
    ("toml-syntax", CALL, 'title = "Kleine testoproep"', 'title = "Kleine testoproep', 'title = "Kleine',
     "syntax", "not valid TOML"),
    ("unknown-top-key", CALL, 'title = "Kleine testoproep"', 'titel = "Kleine testoproep"', "titel =",
     "titel", "unknown key; did you mean 'title'?"),
    ("missing-required", COPY, 'genre = "letter"\n', "", 'id = "nl-copy-91"', "genre", "missing"),
    ("wrong-type", CALL, "target_duration_s = 240", 'target_duration_s = "240"', "target_duration_s",
     "target_duration_s", "expected a number"),
    ("unknown-voice", CALL, 'voice = "nl-caller-2"', 'voice = "nl-caller-7"', "nl-caller-7", "caller.voice",
     "unknown voice 'nl-caller-7'"),
    ("voice-other-language", TRANS, 'voice = "nl-caller-3"', 'voice = "fr-caller-3"', "fr-caller-3", "voice",
     "does not speak the item's language"),
    ("duplicate-record-id", CALL, 'id = "K2"', 'id = "K1"', ('id = "K1"', 2), "records[K1].id",
     "duplicate id 'K1'"),
    ("cue-missing-line", CALL, 'line = "l2"', 'line = "l9"', 'line = "l9"', "timeline[c2].line",
     "line 'l9' is not in [[lines]]"),
    ("trigger-missing-line", CALL, 'at = "line-end:l2+5s"', 'at = "line-end:l7+5s"', "line-end:l7",
     "timeline[chat1].at", "names lines entry 'l7', which does not exist"),
    ("unreadable-trigger", CALL, 'at = "pickup+1s"', 'at = "pickup+1"', 'at = "pickup+1"', "timeline[c1].at",
     "cannot read trigger"),
    ("unknown-trigger", CALL, 'at = "pickup+1s"', 'at = "pick-up+1s"', "pick-up", "timeline[c1].at",
     "unknown trigger 'pick-up'"),
    ("deadline-before-cue", CALL, "deadline_s = 30", "deadline_s = -5", "deadline_s = -5",
     "expect[find].deadline_s", "deadline before its cue"),
    ("field-not-in-form", CALL, 'field = "order_code"', 'field = "ordre_code"', 'field = "ordre_code"',
     "expect[order].field", "field 'ordre_code' is not in the form"),
    ("unknown-action", CALL, 'action = "open-record"', 'action = "open-recrd"', "open-recrd",
     "expect[find].action", "unknown action 'open-recrd'; did you mean 'open-record'?"),
    ("unknown-competence", CALL, 'competence = "D140801 Id234"', 'competence = "Id234"', 'competence = "Id234"',
     "expect[callback].competence", "unknown competence code 'Id234'"),
    ("check-digits", CALL, 'customer_number = "205718-78"', 'customer_number = "205718-77"', "205718-77",
     "records[K2].customer_number", "wrong check digits; 205718 mod 97 gives 78"),
    ("after-without-timeout", CALL, "timeout_s = 20\n", "", 'after = "record-opened"', "timeline[c2].timeout_s",
     "needs timeout_s"),
    ("line-never-said", CALL, 'do = "say"\nline = "l2"', 'do = "say"\nline = "l1"', 'id = "l2"', "lines[l2]",
     "no timeline cue says this line"),
    ("placeholder-without-randomise", COPY, "Geachte heer Peeters", "Geachte heer {last_name}", "text = ",
     "text", "placeholder {last_name} but the item has no [randomise] table"),
    ("unknown-placeholder", ENTRY, 'value = "{last_name}"', 'value = "{surname}"', "{surname}",
     "fields[last_name].value", "unknown placeholder {surname}"),
    ("id-not-file-name", COPY, 'id = "nl-copy-91"', 'id = "nl-copy-92"', "nl-copy-92", "id",
     "differs from the file name"),
    ("unknown-key-in-array", CALL, "stock = 3", "stok = 3", "stok = 3", "products[P1].stok",
     "unknown key; did you mean 'stock'?"),
    ("normalise-value", TRANS, 'case = "fold"', 'case = "lower"', 'case = "lower"', "normalise.case",
     "unknown value 'lower'"),
    ("slot-not-offered", CALL, 'slots = ["2026-03-13T10:00"]', 'slots = ["2026-03-13T11:00"]', "T11:00",
     "expect[callback].slots", "slot '2026-03-13T11:00' is not in callback_slots"),
    ("battery-missing-item", BATTERY, 'item = "nl-copy-91"', 'item = "nl-copy-99"', "nl-copy-99",
     "tasks[nl-copy-99].item", "no item 'nl-copy-99'"),
    ("battery-band", BATTERY, "mean_word_length = [3.0, 7.0]", "mean_word_length = [3.0, 4.0]",
     "mean_word_length", "band.mean_word_length", "nl-copy-91 has mean_word_length"),
    ("battery-unknown-threshold", BATTERY, '"action_score"]', '"action_scor"]', "thresholds",
     "thresholds", "unknown threshold indicator 'action_scor'"),
    ("fact-without-phrasings", CALL, '{ id = "hours", any = ["8.30", "half negen"] }', '{ id = "hours", any = [] }',
     '{ id = "hours"', "fields[chat_m1].facts[hours]", "each fact needs id (a string) and any"),
    ("fact-unknown-key", CALL, '{ id = "callback", any = ["terugbellen", "terugbelafspraak"] }',
     '{ id = "callback", anyof = ["terugbellen"] }', '{ id = "callback"', "fields[wrapup].facts[callback].anyof",
     "unknown key; allowed: id, any"),
    ("note-with-value", CALL, 'type = "note"\nfacts = [\n  { id = "callback"',
     'type = "note"\nvalue = "x"\nfacts = [\n  { id = "callback"', 'value = "x"', "fields[wrapup].value",
     "a note is scored on its facts"),
    ("slot-before-today", CALL, 'callback_slots = ["2026-03-13T10:00",', 'callback_slots = ["2026-03-11T10:00",',
     "callback_slots", "callback_slots", "slot '2026-03-11T10:00' is before today (2026-03-12)"),
    ("call-time-limit-too-short", BATTERY, "time_limit_s = 300", "time_limit_s = 200", "time_limit_s = 200",
     "tasks[nl-call-91].time_limit_s", "200 s is shorter than the call's target duration (240 s)"),
    ("chat-never-shown", CALL, 'do = "chat"\nchat = "m1"', 'do = "hangup"', 'id = "m1"', "chats[m1]",
     "no timeline cue shows this chat message"),
]


@pytest.mark.parametrize("name,rel,old,new,snippet,field,message", CASES, ids=[c[0] for c in CASES])
def test_each_mistake_is_named_with_file_line_and_field(
    tmp_path: Path, name: str, rel: str, old: str, new: str, snippet: str | tuple[str, int], field: str,
    message: str,
) -> None:
    assert old in FILES[rel], f"fixture text {old!r} not found"
    broken = FILES[rel].replace(old, new, 1)
    paths = write_tree(tmp_path, {rel: broken})
    problems = [str(p) for p in check(tmp_path)]
    line = line_of(broken, *snippet) if isinstance(snippet, tuple) else line_of(broken, snippet)
    prefix = f"{paths[rel]}:{line}: {field}: "
    matching = [p for p in problems if p.startswith(prefix)]
    assert matching, f"no problem starts with {prefix!r}; got:\n" + "\n".join(problems)
    assert any(message in p for p in matching), matching


def test_there_are_at_least_fifteen_kinds_of_mistake() -> None:
    assert len({c[0] for c in CASES}) >= 15


def test_the_unbroken_fixtures_have_no_problems(tmp_path: Path) -> None:
    write_tree(tmp_path)
    assert [str(p) for p in check(tmp_path)] == []


def test_a_broken_file_never_raises_only_reports(tmp_path: Path) -> None:
    """Garbage of every kind gives problems, never a traceback."""
    paths = write_tree(tmp_path)
    for text in ["", "kind = 3", "[[expect]]\nid = 1", 'kind = "call"\n[[timeline]]\nat = 5', "\x00\x01",
                 'kind = "battery"\n[[tasks]]\nitem = 1', 'kind = "data-entry"\nfields = 3']:
        paths[CALL].write_text(text, encoding="utf-8")
        problems = check(paths[CALL])
        assert problems, text
        assert all(str(p).startswith(str(paths[CALL]) + ":") for p in problems)


def test_not_utf8_is_a_problem(tmp_path: Path) -> None:
    paths = write_tree(tmp_path)
    paths[COPY].write_bytes(FILES[COPY].encode("latin-1").replace(b"Geachte", b"G\xe9achte"))
    problems = [str(p) for p in check(paths[COPY])]
    assert problems == [f"{paths[COPY]}:1: file: not UTF-8 text (invalid continuation byte); save it as UTF-8"]
