"""Small valid content files the mistake tests break one way at a time (not a test module)."""

from __future__ import annotations

from pathlib import Path

CALL = '''id = "nl-call-91"
kind = "call"
language = "nl"
title = "Kleine testoproep"
direction = "inbound"
today = "2026-03-12"
target_duration_s = 240
callback_slots = ["2026-03-13T10:00", "2026-03-13T15:00"]

[caller]
voice = "nl-caller-2"
record = "K1"
name = "Jan Peeters"

[[script]]
id = "greet"
text = "Goedemorgen, klantendienst."

[[script]]
id = "close"
text = "Dank u en nog een fijne dag."

[[lines]]
id = "l1"
text = "Dag, met Jan Peeters, klantnummer 1 1 8 4 0 2, 62."

[[lines]]
id = "l2"
text = "Kunt u mij morgen om tien uur terugbellen?"

[[chats]]
id = "m1"
sender = "Collega"
text = "Wat zijn de openingsuren?"

[[records]]
id = "K1"
customer_number = "118402-62"
name = "Jan Peeters"
street = "Kerkstraat 4"
postcode = "2000"
municipality = "Antwerpen"
phone = "03 218 44 10"
email = "jan.peeters@postduif.be"

[[records]]
id = "K2"
customer_number = "205718-78"
name = "Jan Peeters"
street = "Molenstraat 9"
postcode = "9000"
municipality = "Gent"
phone = "09 224 61 08"
email = "j.peeters@webpost.be"

[[products]]
id = "P1"
code = "WK-170"
name = "Waterkoker"
price = 34.95
stock = 3
delivery_days = 2

[[articles]]
id = "A1"
title = "Openingsuren"
text = "Van maandag tot vrijdag van 8.30 tot 18.00 uur."

[[transfers]]
id = "billing"
name = "Boekhouding"
handles = "facturen"

[[fields]]
name = "order_code"
label = "Artikelnummer"
form = "order"
type = "number"
value = "WK-170"

[[fields]]
name = "chat_m1"
label = "Antwoord"
form = "chat"
type = "note"
facts = [
  { id = "hours", any = ["8.30", "half negen"] },
]

[[fields]]
name = "wrapup"
label = "Verslag"
form = "wrap-up"
type = "note"
facts = [
  { id = "callback", any = ["terugbellen", "terugbelafspraak"] },
]

[[timeline]]
id = "ring"
at = "start+2s"
do = "ring"

[[timeline]]
id = "c1"
at = "pickup+1s"
do = "say"
line = "l1"

[[timeline]]
id = "c2"
at = "line-end:l1+1s"
after = "record-opened"
timeout_s = 20
do = "say"
line = "l2"

[[timeline]]
id = "chat1"
at = "line-end:l2+5s"
do = "chat"
chat = "m1"

[[timeline]]
id = "stop"
at = "hangup+60s"
do = "end"

[[expect]]
id = "pickup"
action = "pickup"
cue = "ringing"
deadline_s = 12
competence = "co 01669"

[[expect]]
id = "find"
action = "open-record"
record = "K1"
cue = "line-end:l1"
deadline_s = 30
competence = "D140801 Id17425"

[[expect]]
id = "callback"
action = "callback"
slots = ["2026-03-13T10:00"]
cue = "line-end:l2"
deadline_s = 60
competence = "D140801 Id234"

[[expect]]
id = "order"
action = "field"
field = "order_code"
cue = "line-end:l2"
competence = "co 01670"

[[expect]]
id = "note"
action = "field"
field = "wrapup"
cue = "hangup"
deadline_s = 120
competence = "D140801 Id17267"
'''

COPY = '''id = "nl-copy-91"
kind = "copy-typing"
language = "nl"
title = "Korte oefentekst"
genre = "letter"
text = """
Geachte heer Peeters, wij danken u voor uw bestelling van 12 maart 2026. Uw pakket wordt op
donderdag geleverd op het adres Kerkstraat 4, 2000 Antwerpen. Met vriendelijke groeten.
"""
'''

TRANSCRIPTION = '''id = "nl-trans-91"
kind = "transcription"
language = "nl"
title = "Korte voicemail"
voice = "nl-caller-3"

[normalise]
case = "fold"
numbers = "digits"

[[lines]]
id = "l1"
text = "Dag, met Els Maes. Bel mij terug op 0476 28 13 90, alstublieft."
'''

ENTRY = '''id = "nl-entry-91"
kind = "data-entry"
language = "nl"
title = "Korte gegevensinvoer"
voice = "nl-caller-4"

[randomise]
region = "vlaanderen"

[[lines]]
id = "l1"
text = "Mijn naam is {first_name} {last_name}, klantnummer {customer_number_spoken}."

[[fields]]
name = "last_name"
label = "Naam"
value = "{last_name}"

[[fields]]
name = "customer_number"
label = "Klantnummer"
type = "number"
value = "{customer_number}"
'''

BATTERY = '''id = "mini"
kind = "battery"
language = "nl"
title = "Mini"
thresholds = ["msd_error_rate", "action_score"]

[band]
mean_word_length = [3.0, 7.0]

[[tasks]]
step = "intake"

[[tasks]]
item = "nl-copy-91"
time_limit_s = 120

[[tasks]]
item = "nl-call-91"
time_limit_s = 300
'''

FILES = {
    "nl/call/nl-call-91.toml": CALL,
    "nl/copy-typing/nl-copy-91.toml": COPY,
    "nl/transcription/nl-trans-91.toml": TRANSCRIPTION,
    "nl/data-entry/nl-entry-91.toml": ENTRY,
    "batteries/mini.toml": BATTERY,
}


def write_tree(root: Path, changes: dict[str, str] | None = None) -> dict[str, Path]:
    """Write every fixture file under ``root`` (``changes`` replaces some texts); returns their paths."""
    out = {}
    for rel, text in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text((changes or {}).get(rel, text), encoding="utf-8")
        out[rel] = path
    return out


def line_of(text: str, snippet: str, occurrence: int = 1) -> int:
    """The 1-based line number of the ``occurrence``-th line holding ``snippet`` (found by plain search)."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if snippet in line]
    if len(hits) < occurrence:
        raise AssertionError(f"{snippet!r} occurs {len(hits)} times")
    return hits[occurrence - 1]
