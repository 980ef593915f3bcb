"""Registrations and access codes (issue 13), the store's rules and ``typingtest registration``:
the code alphabet (10,000 codes, no forbidden symbol), uniqueness among live registrations with
collisions retried, typed codes normalised, CSV import all or nothing with one line per mistake,
unknown/expired/cancelled/used codes refused with one line, allow-again audited, and the CLI
printing a code that ``list --open`` shows."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from typingtest.cli import main
from typingtest.config import Settings
from typingtest.errors import UserError
from typingtest.store import open_store
from typingtest.store import registrations as R
from typingtest.store import schema as S

#: never in a code: the brief's 0/O/1/I, and the look-alikes and rhyming letters the module leaves out
FORBIDDEN = set("0O1IL5SZ2GB8VQ") - set(R.ALPHABET) | set("0O1ILSZGBVQ")


@pytest.fixture
def store(results_dir: Path) -> Any:
    s = open_store(Settings(results_dir=results_dir))
    yield s
    s.close()


def test_the_alphabet_has_no_forbidden_symbol_and_10000_codes_use_it_evenly() -> None:
    assert set(R.ALPHABET).isdisjoint(FORBIDDEN)
    assert len(set(R.ALPHABET)) == len(R.ALPHABET) == 16  # 16^6 = 16,777,216 codes
    codes = [R.new_code() for _ in range(10_000)]
    assert all(len(c) == R.CODE_LENGTH and set(c) <= set(R.ALPHABET) for c in codes)
    assert not any(set(c) & FORBIDDEN for c in codes)
    counts = Counter("".join(codes))
    expected = 60_000 / 16  # 3750 per symbol; binomial sd sqrt(60000 * 1/16 * 15/16) = 59.3
    sd = math.sqrt(60_000 * (1 / 16) * (15 / 16))
    assert set(counts) == set(R.ALPHABET)
    assert all(abs(n - expected) < 6 * sd for n in counts.values()), counts
    # birthday bound: 10,000 draws from 16.7 million collide about 3 times (n^2 / 2N = 2.98)
    assert len(set(codes)) > 10_000 - 20


def test_typed_codes_are_normalised_and_shown_grouped() -> None:
    assert R.normalise_code("aj7-m3x") == "AJ7M3X"
    assert R.normalise_code(" aj7 m3x ") == R.normalise_code("AJ-7M-3X") == "AJ7M3X"
    assert R.normalise_code("AJ7M3") is None and R.normalise_code("AJ7M3XX") is None
    assert R.normalise_code("AO7M3X") is None  # O is no symbol of a code
    assert R.format_code("AJ7M3X") == "AJ7-M3X"


def _cycling(symbols: int) -> Any:
    """A ``randbelow`` that draws only the first ``symbols`` symbols, in order: codes collide often."""
    counter = itertools.count()
    return lambda n: next(counter) % symbols


def test_collisions_are_retried_so_live_codes_stay_unique(store: Any) -> None:
    # always symbol 0: the first code is AAAAAA... ("AAAAAA" with ALPHABET[0] = "A"); the second can never be
    # drawn, so the store gives up after MAX_CODE_DRAWS draws with one line
    first = R.add_registration(store, "C-COL-0", "quick", randbelow=lambda n: 0)
    assert first.access_code == R.ALPHABET[0] * 6
    with pytest.raises(UserError, match="no free access code"):
        R.add_registration(store, "C-COL-1", "quick", randbelow=lambda n: 0)
    # two symbols: 64 codes; each 6 draws make one code, so the sequence repeats and collides: retried
    csv = "id,battery\n" + "".join(f"C-COL-{i + 2},quick\n" for i in range(40))
    path = store.results_dir / "many.csv"
    path.write_text(csv, encoding="utf-8")
    made = R.import_csv(store, path, randbelow=_random_pairs())
    codes = [g.access_code for g in made] + [first.access_code]
    assert len(set(codes)) == len(codes) == 41
    # a cancelled code is free again; a used one is not (it may still be allowed again)
    R.cancel_registration(store, first.code)
    again = R.add_registration(store, "C-COL-1", "quick", randbelow=lambda n: 0)
    assert again.access_code == first.access_code


def _random_pairs() -> Any:
    """Symbols 0 or 1 from a seeded generator: 64 possible codes, many collisions among 40."""
    import random

    rng = random.Random(13)
    return lambda n: rng.randrange(2)


def test_add_checks_every_field_with_one_line(store: Any) -> None:
    cases = {
        ("../x", "quick"): "registration: id: '../x': use 1-64",
        ("C-1", "nope"): "registration: battery: nope: no such battery",
    }
    for (cid, battery), start in cases.items():
        with pytest.raises(UserError) as err:
            R.add_registration(store, cid, battery)
        assert str(err.value).startswith(start) and "\n" not in str(err.value)
    bad = [dict(language="es"), dict(extra_time=0.9), dict(extra_time="fast"), dict(font_scale=3.5),
           dict(expires="2001-01-01"), dict(expires="31/12/2030"), dict(email="not-an-address")]
    for kwargs in bad:
        with pytest.raises(UserError) as err:
            R.add_registration(store, "C-1", "quick", **kwargs)  # type: ignore[arg-type]
        assert str(err.value).startswith(f"registration: {next(iter(kwargs))}: "), err
    assert R.list_registrations(store) == []


def test_a_candidate_has_one_open_registration_per_battery_and_contacts_apart(store: Any) -> None:
    reg = R.add_registration(store, "C-2", "quick", cohort="june", name="An Peeters", email="an@example.be",
                             expires=date.today() + timedelta(days=3))
    with pytest.raises(UserError, match="already has an open registration for battery quick"):
        R.add_registration(store, "C-2", "quick")
    with store.engine.connect() as conn:
        contact = conn.execute(select(S.candidate_contacts)).mappings().one()
        cohort = conn.execute(select(S.candidates.c.cohort).where(S.candidates.c.candidate_id == "C-2")).scalar()
    assert contact["name"] == "An Peeters" and contact["email"] == "an@example.be" and cohort == "june"
    # valid through the date given: until the midnight after it, Brussels time (as the reports show times)
    brussels = ZoneInfo("Europe/Brussels")
    assert reg.expires_at is not None and reg.expires_at.astimezone(brussels).date() == date.today() + timedelta(days=4)
    assert reg.expires_at.astimezone(brussels).time() == time(0, 0)
    assert reg.last_day == date.today() + timedelta(days=3)  # listed by its last valid day
    assert reg.runs_out_on == date.today() + timedelta(days=4)  # "expired on" that day


def test_redeem_refuses_unknown_expired_cancelled_and_used_with_one_line(store: Any) -> None:
    past = datetime.now(UTC) - timedelta(days=40)
    expired = R.add_registration(store, "C-3", "quick", now=past)  # 30 days from 40 days ago
    cancelled = R.add_registration(store, "C-4", "quick")
    R.cancel_registration(store, cancelled.code)
    used = R.add_registration(store, "C-5", "quick")
    R.mark_used(store, R.redeem(store, used.code, "ws-1"), "s-1", workstation="ws-1")
    for code, reason in ((expired.code, "expired"), (cancelled.code, "cancelled"), (used.code, "used"),
                         ("MMM-MMM", "unknown"), ("hello", "format")):
        with pytest.raises(R.RegistrationRefused) as err:
            R.redeem(store, code, "ws-1")
        assert err.value.reason == reason and "\n" not in str(err.value)
        assert str(err.value).startswith("access code ")
    with pytest.raises(R.RegistrationRefused, match=r"expired on \d{4}-\d\d-\d\d$"):
        R.redeem(store, expired.code)
    # a used code starts again once after an allow; the allow is audited with its reason
    with pytest.raises(UserError, match="--reason"):
        R.allow_again(store, used.code, "retake", "proctor1", " ")
    with pytest.raises(UserError, match="not used yet"):
        fresh = R.add_registration(store, "C-6", "quick")
        R.allow_again(store, fresh.code, "retake", "proctor1", "why")
    R.allow_again(store, used.code, "resume", "proctor1", "power cut")
    back = R.redeem(store, used.code, "ws-2")
    assert back.allow_again == "resume"
    R.mark_used(store, back, "s-2", workstation="ws-2")
    with pytest.raises(R.RegistrationRefused, match="already used"):
        R.mark_used(store, back, "s-3")  # the allow was consumed: a second start is refused
    audit = store.audit_frame()
    allowed = audit[audit["action"] == "registration-allowed"].iloc[0]
    assert allowed["actor"] == "proctor1" and allowed["details"]["reason"] == "power cut"
    assert set(audit["action"]) >= {"registration-added", "registration-cancelled", "registration-used"}


def test_csv_import_is_all_or_nothing_with_one_line_per_mistake(store: Any, tmp_path: Path) -> None:
    path = tmp_path / "invite.csv"
    path.write_text("id,name,email,cohort,battery,language,extra_time,font_scale,high_contrast,"
                    "skip_headset_reason,expires\n"
                    "C-10,An,an@example.be,june,quick,nl,1.5,1.25,yes,,\n"
                    "C-11,Bert,,june,quick,es,1,1,no,,\n"
                    "C-12,,,june,quick,,5,1,maybe,,2001-01-01\n"
                    "C-10,,,june,quick,,1,1,,,\n", encoding="utf-8")
    with pytest.raises(R.RegistrationImportError) as err:
        R.import_csv(store, path)
    assert err.value.problems == [
        f"{path}:3: language: must be one of nl, fr, en, de, got 'es'",  # the content loader's languages
        f"{path}:4: extra_time: must be a factor on every time limit from 1.0 (no extra time) to 4.0, got 5.0",
        f"{path}:4: high_contrast: must be yes or no (or 1/0, true/false), got 'maybe'",
        f"{path}:4: expires: 2001-01-01 is already past; give a later date",
        f"{path}:5: id: C-10 is registered for quick on line 2 too",
    ]
    assert R.list_registrations(store) == [] and store.candidate("C-10") is None  # nothing at all
    for text, start in (("", "empty"), ("id,battery,colour\nC-1,quick,red\n", "1: 'colour': unknown column"),
                        ("id,name\nC-1,An\n", "1: battery: column missing")):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(UserError) as e:
            R.import_csv(store, path)
        assert str(e.value).startswith(f"{path}:{start}" if start[0] == "1" else f"{path}: {start}")
    path.write_bytes(b"id,battery\nC-\xe9,quick\n")
    with pytest.raises(UserError, match="not UTF-8"):
        R.import_csv(store, path)


def test_cli_add_prints_a_code_that_list_open_shows(results_dir: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["registration", "add", "C-CLI-1", "--battery", "quick", "--cohort", "june", "--lang", "nl",
                 "--extra-time", "1.5", "--font-scale", "1.25", "--high-contrast", "--skip-headset", "captions",
                 "--expires", (date.today() + timedelta(days=7)).isoformat()]) == 0
    out = capsys.readouterr()
    code = out.out.strip()
    assert R.normalise_code(code) is not None and code == R.format_code(R.normalise_code(code) or "")
    assert main(["registration", "list", "--open"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 1
    assert listed[0].split("\t")[:5] == [code, "C-CLI-1", "quick", "nl", "open"]
    assert listed[0].split("\t")[-1] == "extra_time=1.5,font_scale=1.25,high_contrast,no_headset_check"

    csv_file = tmp_path / "r.csv"
    csv_file.write_text("id,battery,extra_time\nC-CLI-2,quick,1.5\nC-CLI-3,quick,x\n", encoding="utf-8")
    assert main(["registration", "import", str(csv_file)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"typingtest: error: {csv_file}:3: extra_time: must be a number, got 'x'",
                   "nothing was imported (1 problem); correct the file and import it again"]
    csv_file.write_text("id,battery,extra_time\nC-CLI-2,quick,1.5\nC-CLI-3,quick,1\n", encoding="utf-8")
    assert main(["registration", "import", str(csv_file)]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert [r[:2] for r in rows] == [["C-CLI-2", "quick"], ["C-CLI-3", "quick"]]

    assert main(["registration", "cancel", code.lower()]) == 0
    assert main(["registration", "cancel", code]) == 2
    assert capsys.readouterr().err.strip().endswith("is cancelled, not open; nothing changed")
    assert main(["registration", "list", "--open"]) == 0
    assert code not in capsys.readouterr().out
    assert main(["registration", "allow", rows[0][2], "--retake", "--reason", "test"]) == 2
    assert "not used yet" in capsys.readouterr().err
    assert main(["registration", "add", "bad id", "--battery", "quick"]) == 2
    assert capsys.readouterr().err.startswith("typingtest: error: registration: id: 'bad id': use 1-64")


def test_every_content_language_is_accepted_german_included(store: Any, tmp_path: Path) -> None:
    """The batteries exist in de too (``typingtest run --lang de``): a registration may name every language
    the content loader knows (``content.model.LANGUAGES``), by the API, the CSV and the CLI."""
    from typingtest.content.model import LANGUAGES

    assert R.LANGUAGES == LANGUAGES and "de" in LANGUAGES
    assert R.add_registration(store, "C-DE-1", "quick", language="de").language == "de"
    path = tmp_path / "de.csv"
    path.write_text("id,battery,language\nC-DE-2,default,DE\n", encoding="utf-8")
    (imported,) = R.import_csv(store, path)
    assert imported.language == "de"


def test_cli_lang_de_and_list_shows_the_last_valid_day(results_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--expires 2099-12-31`` is the last valid day: ``list`` shows ``expires 2099-12-31`` (not the instant
    the code runs out, 2100-01-01 00:00 Brussels), and ``--lang de`` is taken."""
    assert main(["registration", "add", "C-CLI-DE", "--battery", "quick", "--lang", "de",
                 "--expires", "2099-12-31"]) == 0
    code = capsys.readouterr().out.strip()
    assert main(["registration", "list"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.split("\t")[:6] == [code, "C-CLI-DE", "quick", "de", "open", "expires 2099-12-31"]
