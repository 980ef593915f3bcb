"""Registrations (schema v5): a candidate invited for a battery, with an access code and accommodations.

The rules live here, so that ``typingtest registration``, the console's registrations page and
the workstation's intake cannot disagree:

- **Access codes** are 6 symbols of ``ALPHABET`` drawn with ``secrets`` (16 symbols: 16^6 =
  16.7 million codes), unique among the live registrations (open, or used and not expired: a
  used code may still be allowed again), retried on a collision. A code is entered in any case,
  with spaces or dashes anywhere (``normalise_code``) and shown grouped as ``ABC-DEF``
  (``format_code``). It is valid through a date, its last valid day: it runs out at the midnight after
  it, Brussels time (``LOCAL_TIME_ZONE``, as the reports show times), and is listed by that day
  (``Registration.last_day``; default: ``Settings.registration_days`` days).
- **The alphabet** (``ALPHABET``): a code is read aloud, on the phone or across a test room, in
  Dutch or French, and copied from paper. Left out, besides 0/O/1/I: look-alikes on paper or
  screen (L like 1/I, S like 5, Z like 2, G like 6, B like 8, V like U, Q like O); letters
  whose names rhyme in Dutch or French (B C D E G P T V W: "bee/cee/dee/ee/gee/pee/tee/wee",
  "bé/cé/dé/gé/pé/té/vé"; H rhymes with A and K in Dutch "haa/aa/kaa"; M and N "em/en" in
  both: N goes); Y (Dutch "ij" or "griekse ij", read as two letters). The digits 2-9 stay:
  their look-alikes are gone and they are read alike by everyone.
- ``add_registration`` checks every field (candidate id by the one rule of ``typingtest.ids``,
  battery by the content loader, a language the content loader knows (``LANGUAGES``), extra time
  and font scale in the ranges of ``config.NUMBER_RANGES`` through ``typingtest.checks``);
  ``import_csv`` reads a whole file and imports nothing when any row is bad
  (``RegistrationImportError``: one line per problem, naming file, line and field). Names and
  e-mail addresses go in ``candidate_contacts``, apart from the results, as ``Store.ensure_candidate`` keeps them.
- ``redeem`` is the workstation's check of a code (``RegistrationRefused`` with one line and a
  ``reason``: format, unknown, expired, cancelled, used); ``mark_used`` records the session it
  started (and consumes an ``allow_again``); ``allow_again`` lets a used code start once more
  (resume or retake; a proctor, recruiter or admin; with a reason).

Every write is audited with its actor (``Store.audit``: None = the operating-system user at this
machine, as every CLI command). Times are UTC; ``now`` is injectable for tests.
"""

from __future__ import annotations

import csv
import io
import os
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select, text, update

from typingtest.checks import got, number_problem
from typingtest.content.model import LANGUAGES as CONTENT_LANGUAGES
from typingtest.errors import UserError
from typingtest.ids import check_candidate_id, shown
from typingtest.store import schema as S
from typingtest.store.base import now as utc_now
from typingtest.store.base import utc
from typingtest.store.integrity import candidate_message

if TYPE_CHECKING:
    from typingtest.store.store import Store

__all__ = [
    "ALLOW_MODES",
    "ALPHABET",
    "CODE_LENGTH",
    "CSV_COLUMNS",
    "DEFAULT_REGISTRATION_DAYS",
    "LANGUAGES",
    "Registration",
    "RegistrationImportError",
    "RegistrationRefused",
    "add_registration",
    "allow_again",
    "cancel_registration",
    "find_registration",
    "format_code",
    "import_csv",
    "known_batteries",
    "list_registrations",
    "mark_used",
    "new_code",
    "normalise_code",
    "redeem",
    "rows_for_listing",
]

#: The symbols of an access code (see the module docstring for why these 16).
ALPHABET = "AFJKMRUX23456789"
CODE_LENGTH = 6
#: Days a registration stays valid when no date is given (``Settings.registration_days`` overrides).
DEFAULT_REGISTRATION_DAYS = 30
#: Content languages a registration may name: every language the content loader knows.
LANGUAGES = CONTENT_LANGUAGES
#: The time zone of a registration's last valid day (the reports' ``analysis.labels.LOCAL_TIME_ZONE``).
LOCAL_TIME_ZONE = "Europe/Brussels"
ALLOW_MODES = ("resume", "retake")
#: The columns of a registrations CSV file (``id`` and ``battery`` required; the others may be left out).
CSV_COLUMNS = ("id", "name", "email", "cohort", "battery", "language", "extra_time", "font_scale", "high_contrast",
               "skip_headset_reason", "expires")
_REQUIRED_COLUMNS = ("id", "battery")
#: Attempts at drawing a code that no live registration holds before giving up (each collides with a
#: chance of live/16.7 million: never reached in practice; a test forces collisions).
MAX_CODE_DRAWS = 100
_TRUE = {"1", "true", "yes", "y", "ja", "j", "oui", "o", "x"}
_FALSE = {"", "0", "false", "no", "n", "nee", "non"}


class RegistrationRefused(UserError):
    """A code the workstation refuses: ``reason`` is format, unknown, expired, cancelled or used."""

    def __init__(self, message: str, reason: str, registration: Registration | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.registration = registration


class RegistrationImportError(UserError):
    """A registrations CSV file with mistakes: ``problems`` holds one line per mistake
    (``file:line: field: what is wrong``); nothing was imported."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join([*problems, f"nothing was imported ({len(problems)} problem"
                                                f"{'s' if len(problems) != 1 else ''}); correct the file and "
                                                "import it again"]))


@dataclass(frozen=True)
class Registration:
    """One registration as stored (``access_code`` normalised: 6 symbols, no dash)."""

    registration_id: int
    candidate_id: str
    access_code: str
    battery: str
    cohort: str | None
    language: str | None
    extra_time: float
    font_scale: float
    high_contrast: bool
    skip_headset_reason: str | None
    expires_at: datetime | None
    created_at: datetime
    created_by: str | None
    state: str
    used_at: datetime | None
    session_id: str | None
    allow_again: str | None
    allowed_by: str | None

    @property
    def code(self) -> str:
        """The code as shown and read aloud: ``ABC-DEF``."""
        return format_code(self.access_code)

    @property
    def last_day(self) -> date | None:
        """The last day the code is valid (Brussels date): the day before the local midnight it runs out at."""
        return last_valid_day(self.expires_at)

    @property
    def runs_out_on(self) -> date | None:
        """The day (Brussels date) the code runs out at its start: "expired on" this day."""
        return None if self.expires_at is None else self.expires_at.astimezone(ZoneInfo(LOCAL_TIME_ZONE)).date()

    def expired(self, now: datetime | None = None) -> bool:
        """True when the expiry time has passed."""
        return self.expires_at is not None and (now or utc_now()) >= self.expires_at

    def status(self, now: datetime | None = None) -> str:
        """open, used, cancelled or expired (an open or used registration past its date)."""
        if self.state == "cancelled":
            return "cancelled"
        if self.expired(now):
            return "expired"
        return self.state

    def accommodations(self) -> dict[str, Any]:
        """What the workstation applies for this candidate (and records in each attempt's meta)."""
        return {"extra_time": self.extra_time, "font_scale": self.font_scale, "high_contrast": self.high_contrast,
                "skip_headset_reason": self.skip_headset_reason}


# --------------------------------------------------------------------------------------------
# codes


def new_code(randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    """A fresh code: ``CODE_LENGTH`` symbols of ``ALPHABET`` (``secrets.randbelow``: a CSPRNG)."""
    return "".join(ALPHABET[randbelow(len(ALPHABET))] for _ in range(CODE_LENGTH))


def normalise_code(entered: str) -> str | None:
    """The code as stored from what was typed (any case; spaces and dashes anywhere ignored), or
    None when it cannot be a code (wrong length, a symbol outside ``ALPHABET``)."""
    code = "".join(ch for ch in str(entered).upper() if ch not in " -\t\u2010\u2011\u2012\u2013\u2212")
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def format_code(code: str) -> str:
    """``ABCDEF`` as ``ABC-DEF`` (two groups of three: easier to read aloud and to copy)."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}" if len(code) == CODE_LENGTH else code


# --------------------------------------------------------------------------------------------
# reading


def _registration(row: Mapping[str, Any]) -> Registration:
    return Registration(
        registration_id=int(row["registration_id"]), candidate_id=str(row["candidate_id"]),
        access_code=str(row["access_code"]), battery=str(row["battery"]), cohort=row["cohort"],
        language=row["language"], extra_time=float(row["extra_time"] or 1.0),
        font_scale=float(row["font_scale"] or 1.0),
        high_contrast=bool(row["high_contrast"]), skip_headset_reason=row["skip_headset_reason"],
        expires_at=utc(row["expires_at"]), created_at=utc(row["created_at"]) or utc_now(),
        created_by=row["created_by"], state=str(row["state"]), used_at=utc(row["used_at"]),
        session_id=row["session_id"], allow_again=row["allow_again"], allowed_by=row["allowed_by"])


def list_registrations(store: Store, *, open_only: bool = False, now: datetime | None = None,
                       candidate_id: str | None = None) -> list[Registration]:
    """The registrations, newest first; ``open_only``: those a code can still start (open, not expired)."""
    r = S.registrations
    query = select(r).order_by(r.c.created_at.desc(), r.c.registration_id.desc())
    if candidate_id is not None:
        query = query.where(r.c.candidate_id == str(candidate_id).strip())
    if open_only:
        query = query.where(r.c.state == "open")
    with store._errors("read registrations"), store.engine.connect() as conn:
        found = [_registration(row) for row in conn.execute(query).mappings()]
    if open_only:
        found = [g for g in found if not g.expired(now)]
    return found


def _live(now: datetime) -> Any:
    """Registrations a code still names: open or used (may be allowed again), not expired."""
    r = S.registrations
    return and_(r.c.state.in_(("open", "used")), or_(r.c.expires_at.is_(None), r.c.expires_at > now))


def find_registration(store: Store, code: str, *, now: datetime | None = None) -> Registration | None:
    """The registration of ``code`` (as typed: ``normalise_code``): the live one, else the newest
    that had it (expired, cancelled); None when no registration had it."""
    normal = normalise_code(code)
    if normal is None:
        return None
    with store._errors("read registrations"), store.engine.connect() as conn:
        return _lookup(conn, normal, now or utc_now())


def _lookup(conn: Any, normal: str, now: datetime) -> Registration | None:
    """The live registration with the code ``normal`` (at most one: codes are unique among the live),
    else the newest that had it; None when none had it."""
    r = S.registrations
    rows = conn.execute(select(r).where(r.c.access_code == normal)
                        .order_by(r.c.created_at.desc(), r.c.registration_id.desc())).mappings().all()
    found = [_registration(row) for row in rows]
    live = [g for g in found if g.state in ("open", "used") and not g.expired(now)]
    return (live or found or [None])[0]


def known_batteries(passages: str | os.PathLike[str] | None = None) -> list[str]:
    """The battery names the content loader finds (``passages/batteries/*.toml``), sorted."""
    from typingtest.config import PASSAGES_DIR

    root = Path(passages) if passages is not None else PASSAGES_DIR
    return sorted(p.stem for p in (root / "batteries").glob("*.toml"))


# --------------------------------------------------------------------------------------------
# checking fields


@dataclass(frozen=True)
class _Fields:
    """One registration's fields, checked."""

    candidate_id: str
    battery: str
    cohort: str | None
    language: str | None
    extra_time: float
    font_scale: float
    high_contrast: bool
    skip_headset_reason: str | None
    expires_at: datetime
    name: str | None
    email: str | None


def _number(value: Any, key: str) -> tuple[float | None, str | None]:
    """A number field from text or a number, checked against ``config.NUMBER_RANGES``."""
    from typingtest.config import NUMBER_RANGES

    low, high, words = NUMBER_RANGES[key]
    if value is None or (isinstance(value, str) and not value.strip()):
        return 1.0, None
    number: object = value
    if isinstance(value, str):
        try:
            number = float(value.strip().replace(",", "."))
        except ValueError:
            return None, f"must be a number, got {got(value)}"
    problem = number_problem(number, low=low, high=high, words=words)
    return (None, problem) if problem else (float(number), None)  # type: ignore[arg-type]


def _flag(value: Any) -> tuple[bool | None, str | None]:
    if isinstance(value, bool):
        return value, None
    word = str(value or "").strip().casefold()
    if word in _TRUE:
        return True, None
    if word in _FALSE:
        return False, None
    return None, f"must be yes or no (or 1/0, true/false), got {got(value)}"


def last_valid_day(expires_at: datetime | None) -> date | None:
    """The last day (Brussels date) a code running out at ``expires_at`` (UTC) is valid: the local date of
    the last instant before it. None without an expiry."""
    if expires_at is None:
        return None
    return ((utc(expires_at) or expires_at) - timedelta(microseconds=1)).astimezone(ZoneInfo(LOCAL_TIME_ZONE)).date()


def _expiry(value: Any, now: datetime, days: int) -> tuple[datetime | None, str | None]:
    """The expiry time: through the given date (YYYY-MM-DD, to the midnight after it, Brussels time:
    ``LOCAL_TIME_ZONE``), or ``days`` from now when none is given."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return now + timedelta(days=days), None
    if isinstance(value, datetime):
        when = utc(value)
    else:
        if not isinstance(value, date):
            try:
                value = date.fromisoformat(str(value).strip())
            except ValueError:
                return None, f"must be a date YYYY-MM-DD, got {got(value)}"
        after = value + timedelta(days=1)
        when = datetime(after.year, after.month, after.day, tzinfo=ZoneInfo(LOCAL_TIME_ZONE)).astimezone(UTC)
    assert when is not None
    if when <= now:
        return None, f"{value} is already past; give a later date"
    return when, None


class _Batteries:
    """The content loader's battery lookup, once per (battery, language)."""

    def __init__(self, passages: str | os.PathLike[str] | None) -> None:
        self.passages = passages
        self._seen: dict[tuple[str, str | None], tuple[str | None, str | None]] = {}

    def problem(self, battery: str, language: str | None) -> str | None:
        """None when the battery exists (in ``language`` when given); else what is wrong."""
        key = (battery, language)
        if key not in self._seen:
            from typingtest.content import load_battery

            try:
                found = load_battery(battery, lang=language, passages=self.passages)
                self._seen[key] = (found.id, None)
            except UserError as exc:
                self._seen[key] = (None, str(exc).split("\n")[0])
        return self._seen[key][1]


def _check(values: Mapping[str, Any], batteries: _Batteries, now: datetime, days: int
           ) -> tuple[_Fields | None, list[tuple[str, str]]]:
    """The fields checked: (fields, []) or (None, [(field, what is wrong), ...])."""
    problems: list[tuple[str, str]] = []
    cid = ""
    try:
        cid = check_candidate_id(values.get("id"), "id")
    except UserError as exc:
        problems.append(("id", str(exc).removeprefix("id ")))
    battery = str(values.get("battery") or "").strip()
    language = str(values.get("language") or "").strip().lower() or None
    if language is not None and language not in LANGUAGES:
        problems.append(("language", f"must be one of {', '.join(LANGUAGES)}, got {got(values.get('language'))}"))
        language = None
    if not battery:
        problems.append(("battery", "missing: name the battery (`typingtest content list` shows them)"))
    else:
        problem = batteries.problem(battery, language)
        if problem is not None:
            problems.append(("battery", problem))
    extra_time, p = _number(values.get("extra_time"), "extra_time")
    if p:
        problems.append(("extra_time", p))
    font_scale, p = _number(values.get("font_scale"), "font_scale")
    if p:
        problems.append(("font_scale", p))
    high_contrast, p = _flag(values.get("high_contrast"))
    if p:
        problems.append(("high_contrast", p))
    expires_at, p = _expiry(values.get("expires"), now, days)
    if p:
        problems.append(("expires", p))

    def text_field(name: str, limit: int) -> str | None:
        value = str(values.get(name) or "").strip()
        if len(value) > limit:
            problems.append((name, f"at most {limit} characters, got {len(value)}"))
        return value or None

    cohort = text_field("cohort", 255)
    reason = text_field("skip_headset_reason", 500)
    name = text_field("name", 200)
    email = text_field("email", 254)
    if email is not None and "@" not in email:
        problems.append(("email", f"not an e-mail address: {shown(email)}"))
    if problems:
        return None, problems
    return _Fields(cid, battery, cohort, language, float(extra_time or 1.0), float(font_scale or 1.0),
                   bool(high_contrast), reason, expires_at or now, name, email), []


# --------------------------------------------------------------------------------------------
# writing


def _actor(store: Store, actor: str | None) -> str:
    """Who acts, as the audit log names them: ``actor``, else ``Store.acting_as``'s account, else
    ``user@workstation`` (``Store.audit``'s default)."""
    if actor:
        return actor[:128]
    from typingtest.store.store import _ACTOR

    acting = _ACTOR.get()
    if acting:
        return acting[:128]
    import getpass

    try:
        user = getpass.getuser()
    except Exception:
        user = "unknown"
    return f"{user}@{store.workstation or '?'}"[:128]



def _lock(store: Store, conn: Any) -> None:
    """Serialise registration writes (PostgreSQL: an advisory lock; SQLite's transactions are IMMEDIATE)."""
    if store.dialect == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(7210437)"))


def _free_code(conn: Any, now: datetime, taken: set[str], randbelow: Callable[[int], int]) -> str:
    r = S.registrations
    for _ in range(MAX_CODE_DRAWS):
        code = new_code(randbelow)
        if code in taken:
            continue
        held = conn.execute(select(r.c.registration_id).where(and_(r.c.access_code == code, _live(now)))
                            .limit(1)).first()
        if held is None:
            taken.add(code)
            return code
    raise UserError(f"registration: no free access code after {MAX_CODE_DRAWS} draws; "
                    "cancel registrations no longer needed")


def _ensure_candidate(store: Store, conn: Any, key: Any, f: _Fields) -> None:
    """The candidate row (signed; the cohort set and signed again when it changes) and the contact
    details apart, as ``Store.ensure_candidate`` does, inside the caller's transaction."""
    c = S.candidates
    row = store._add_candidate(conn, f.candidate_id, key, f.cohort)
    if f.cohort is not None and row["cohort"] != f.cohort:
        signature = key.mac(candidate_message({**row, "cohort": f.cohort}))
        conn.execute(update(c).where(c.c.candidate_id == f.candidate_id).values(cohort=f.cohort, signature=signature))
    contact = {k: v for k, v in dict(name=f.name, email=f.email).items() if v is not None}
    if contact:
        store._insert_ignore(conn, S.candidate_contacts, dict(candidate_id=f.candidate_id))
        conn.execute(update(S.candidate_contacts).where(S.candidate_contacts.c.candidate_id == f.candidate_id)
                     .values(**contact))


def _open_for(conn: Any, f: _Fields, now: datetime) -> str | None:
    """The code of the candidate's open, unexpired registration for this battery, if any."""
    r = S.registrations
    return conn.execute(select(r.c.access_code).where(
        and_(r.c.candidate_id == f.candidate_id, r.c.battery == f.battery, r.c.state == "open",
             or_(r.c.expires_at.is_(None), r.c.expires_at > now))).limit(1)).scalar()


def _insert(store: Store, conn: Any, key: Any, f: _Fields, now: datetime, actor: str | None, taken: set[str],
            randbelow: Callable[[int], int]) -> Registration:
    _ensure_candidate(store, conn, key, f)
    code = _free_code(conn, now, taken, randbelow)
    values = dict(candidate_id=f.candidate_id, access_code=code, battery=f.battery, cohort=f.cohort,
                  language=f.language, extra_time=f.extra_time, font_scale=f.font_scale,
                  high_contrast=f.high_contrast, skip_headset_reason=f.skip_headset_reason, expires_at=f.expires_at,
                  created_at=now, created_by=_actor(store, actor), state="open", used_at=None,
                  session_id=None, allow_again=None, allowed_by=None)
    res = conn.execute(S.registrations.insert().values(**values))
    registration_id = int(res.inserted_primary_key[0])
    store.audit("registration-added", "registration", f"registration #{registration_id}",
                {"candidate": f.candidate_id, "battery": f.battery, "language": f.language,
                 "extra_time": f.extra_time, "font_scale": f.font_scale, "high_contrast": f.high_contrast,
                 "skip_headset": f.skip_headset_reason is not None, "expires_at": f.expires_at}, actor=actor,
                conn=conn)
    return _registration({**values, "registration_id": registration_id})


def add_registration(store: Store, candidate_id: str, battery: str, *, cohort: str | None = None,
                     language: str | None = None, extra_time: float | str | None = 1.0,
                     font_scale: float | str | None = 1.0, high_contrast: bool | str = False,
                     skip_headset_reason: str | None = None, expires: date | datetime | str | None = None,
                     name: str | None = None, email: str | None = None, actor: str | None = None,
                     now: datetime | None = None, passages: str | os.PathLike[str] | None = None,
                     days: int = DEFAULT_REGISTRATION_DAYS,
                     randbelow: Callable[[int], int] = secrets.randbelow) -> Registration:
    """Register one candidate for a battery; the new registration with its access code. Audited.

    Args:
        candidate_id: the id (the one rule of ``typingtest.ids``; added as a candidate if new).
        battery: a battery the content loader finds (in ``passages``; default: the shipped content).
        cohort: set on the candidate too. language: one of ``LANGUAGES`` (None: the battery's own).
        extra_time: factor on every time limit (1.0-4.0); font_scale: 0.5-3.0; high_contrast.
        skip_headset_reason: the headset check is skipped for this candidate, and why.
        expires: the last valid date (YYYY-MM-DD; None: ``days`` days from now).
        name, email: contact details, kept in ``candidate_contacts``.
        actor: who registers (the console's account; None: the operating-system user).

    Raises:
        UserError: one line naming the first bad field; or the candidate already has an open
        registration for this battery.
    """
    at = now or utc_now()
    values = dict(id=candidate_id, battery=battery, cohort=cohort, language=language, extra_time=extra_time,
                  font_scale=font_scale, high_contrast=high_contrast, skip_headset_reason=skip_headset_reason,
                  expires=expires, name=name, email=email)
    fields, problems = _check(values, _Batteries(passages), at, days)
    if fields is None:
        field, problem = problems[0]
        raise UserError(f"registration: {field}: {problem}")
    key = store.key
    with store._errors("add a registration"), store.engine.begin() as conn:
        _lock(store, conn)
        held = _open_for(conn, fields, at)
        if held is not None:
            raise UserError(f"registration: candidate {fields.candidate_id} already has an open registration for "
                            f"battery {fields.battery} (code {format_code(held)}); cancel it first")
        return _insert(store, conn, key, fields, at, actor, set(), randbelow)


def _read_csv(data: bytes, source: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and rows (with their line numbers) of a CSV file: UTF-8 (a BOM is skipped), ``,`` or
    ``;`` between fields (what Excel writes in Belgium)."""
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{source}: not UTF-8 text (byte {exc.start}); save it as CSV UTF-8") from None
    lines = content.splitlines()
    if not any(line.strip() for line in lines):
        raise UserError(f"{source}: empty; the first line names the columns: {', '.join(CSV_COLUMNS)}")
    first = next(line for line in lines if line.strip())
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header = [c.strip().lower() for c in cells]
            continue
        if len(cells) > len(header):
            rows.append((line, {"__extra__": str(len(cells) - len(header))}))
            continue
        rows.append((line, {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header)}))
    assert header is not None
    return header, rows


def import_csv(store: Store, path: str | os.PathLike[str] | None = None, *, data: bytes | None = None,
               source: str | None = None, actor: str | None = None, now: datetime | None = None,
               passages: str | os.PathLike[str] | None = None, days: int = DEFAULT_REGISTRATION_DAYS,
               randbelow: Callable[[int], int] = secrets.randbelow) -> list[Registration]:
    """Register every row of a CSV file (``CSV_COLUMNS``; ``id`` and ``battery`` required), all or none.

    Args:
        path: the file; or ``data`` (its bytes, e.g. a console upload) named ``source`` in errors.

    Returns:
        The new registrations, in the file's order.

    Raises:
        RegistrationImportError: one line per mistake (``file:line: field: what is wrong``);
        nothing imported. UserError: the file unreadable, not UTF-8, empty, a column unknown or missing.
    """
    name = source or (os.fspath(path) if path is not None else "upload.csv")
    if data is None:
        if path is None:
            raise UserError("registration import: name the CSV file")
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise UserError(f"{name}: file not found") from None
        except OSError as exc:
            raise UserError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    header, rows = _read_csv(data, name)
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if unknown:
        raise UserError(f"{name}:1: {shown(unknown[0])}: unknown column; the columns are {', '.join(CSV_COLUMNS)}")
    missing = [c for c in _REQUIRED_COLUMNS if c not in header]
    if missing:
        raise UserError(f"{name}:1: {missing[0]}: column missing; the columns are {', '.join(CSV_COLUMNS)} "
                        f"({' and '.join(_REQUIRED_COLUMNS)} required)")
    if not rows:
        raise UserError(f"{name}: no registrations below the header line")
    at = now or utc_now()
    batteries = _Batteries(passages)
    problems: list[str] = []
    checked: list[tuple[int, _Fields]] = []
    first_line: dict[tuple[str, str], int] = {}
    for line, values in rows:
        if "__extra__" in values:
            problems.append(f"{name}:{line}: row: {values['__extra__']} more field(s) than the header names; "
                            "quote a value that holds the separator")
            continue
        fields, found = _check(values, batteries, at, days)
        problems.extend(f"{name}:{line}: {field}: {problem}" for field, problem in found)
        if fields is not None:
            key = (fields.candidate_id, fields.battery)
            if key in first_line:
                problems.append(f"{name}:{line}: id: {fields.candidate_id} is registered for {fields.battery} on "
                                f"line {first_line[key]} too")
                continue
            first_line[key] = line
            checked.append((line, fields))
    if problems:
        raise RegistrationImportError(problems)
    key = store.key
    taken: set[str] = set()
    made: list[Registration] = []
    with store._errors("import registrations"), store.engine.begin() as conn:
        _lock(store, conn)
        held = [(line, f, _open_for(conn, f, at)) for line, f in checked]
        clashes = [f"{name}:{line}: id: candidate {f.candidate_id} already has an open registration for battery "
                   f"{f.battery} (code {format_code(code)}); cancel it first or leave the row out"
                   for line, f, code in held if code is not None]
        if clashes:
            raise RegistrationImportError(clashes)
        for _line, f in checked:
            made.append(_insert(store, conn, key, f, at, actor, taken, randbelow))
        store.audit("registrations-imported", "registration", None, {"file": Path(name).name, "count": len(made)},
                    actor=actor, conn=conn)
    return made


def _by_code(conn: Any, code: str, now: datetime, doing: str) -> Registration:
    normal = normalise_code(code)
    if normal is None:
        raise UserError(f"registration {doing}: {shown(code)} is not an access code ({CODE_LENGTH} of "
                        f"{ALPHABET})")
    found = _lookup(conn, normal, now)
    if found is None:
        raise UserError(f"registration {doing}: no registration has the code {format_code(normal)}; "
                        "`typingtest registration list` shows them")
    return found


def cancel_registration(store: Store, code: str, *, actor: str | None = None, now: datetime | None = None
                        ) -> Registration:
    """Cancel an open registration (its code starts nothing any more). Audited."""
    at = now or utc_now()
    with store._errors("cancel a registration"), store.engine.begin() as conn:
        _lock(store, conn)
        reg = _by_code(conn, code, at, "cancel")
        if reg.state != "open":
            raise UserError(f"registration cancel: {reg.code} is {reg.status(at)}, not open; nothing changed")
        conn.execute(update(S.registrations).where(S.registrations.c.registration_id == reg.registration_id)
                     .values(state="cancelled"))
        store.audit("registration-cancelled", "registration", f"registration #{reg.registration_id}",
                    {"candidate": reg.candidate_id, "battery": reg.battery}, actor=actor, conn=conn)
    return replace(reg, state="cancelled")


def allow_again(store: Store, registration: Registration | str, mode: str, actor: str | None, reason: str, *,
                now: datetime | None = None) -> Registration:
    """Let a used code start once more: ``resume`` (the unfinished session is reopened) or ``retake``
    (a new session; the retake period waived). Audited with the actor and the reason; consumed by
    the next ``mark_used``."""
    if mode not in ALLOW_MODES:
        raise UserError(f"registration allow: {shown(mode)}: give resume or retake")
    reason = str(reason or "").strip()
    if not reason:
        raise UserError("registration allow: --reason: say why (it is kept in the audit log)")
    at = now or utc_now()
    code = registration.access_code if isinstance(registration, Registration) else registration
    with store._errors("allow a registration again"), store.engine.begin() as conn:
        _lock(store, conn)
        reg = _by_code(conn, code, at, "allow")
        status = reg.status(at)
        if status != "used":
            what = "not used yet: it can start a session as it is" if status == "open" else status
            raise UserError(f"registration allow: {reg.code} is {what}; nothing changed")
        conn.execute(update(S.registrations).where(S.registrations.c.registration_id == reg.registration_id)
                     .values(allow_again=mode, allowed_by=_actor(store, actor)))
        store.audit("registration-allowed", "registration", f"registration #{reg.registration_id}",
                    {"candidate": reg.candidate_id, "mode": mode, "reason": reason[:500],
                     "session": reg.session_id}, actor=actor, conn=conn)
    return replace(reg, allow_again=mode, allowed_by=_actor(store, actor))


# --------------------------------------------------------------------------------------------
# the workstation


def _refusal(reg: Registration | None, entered: str, now: datetime) -> RegistrationRefused | None:
    if reg is None:
        if normalise_code(entered) is None:
            return RegistrationRefused(f"access code {shown(entered)}: not a code ({CODE_LENGTH} letters and "
                                       "digits)", "format")
        return RegistrationRefused(f"access code {format_code(normalise_code(entered) or '')}: unknown", "unknown")
    if reg.state == "cancelled":
        return RegistrationRefused(f"access code {reg.code}: cancelled", "cancelled", reg)
    if reg.expired(now):
        assert reg.expires_at is not None
        return RegistrationRefused(f"access code {reg.code}: expired on {reg.runs_out_on:%Y-%m-%d}", "expired", reg)
    if reg.state == "used" and reg.allow_again is None:
        return RegistrationRefused(f"access code {reg.code}: already used", "used", reg)
    return None


def redeem(store: Store, code: str, workstation: str | None = None, *, now: datetime | None = None
           ) -> Registration:
    """The registration a code typed at a workstation starts (nothing is written: ``mark_used`` does).

    Raises:
        RegistrationRefused: ``reason`` format, unknown, expired, cancelled or used (a used code
        starts again only after ``allow_again``).
    """
    at = now or utc_now()
    reg = find_registration(store, code, now=at)
    refusal = _refusal(reg, code, at)
    if refusal is not None:
        raise refusal
    assert reg is not None
    return reg


def mark_used(store: Store, registration: Registration, session_id: str, *, workstation: str | None = None,
              now: datetime | None = None) -> Registration:
    """Record that the registration started ``session_id`` (an ``allow_again`` is consumed). Audited.

    Only if nothing used it meanwhile (another workstation a moment earlier): else
    ``RegistrationRefused`` ("used") and nothing changed.
    """
    at = now or utc_now()
    r = S.registrations
    if registration.state == "open":
        still = and_(r.c.state == "open")
    else:
        still = and_(r.c.state == "used", r.c.allow_again == registration.allow_again)
    with store._errors("record a registration used"), store.engine.begin() as conn:
        _lock(store, conn)
        res = conn.execute(update(r).where(and_(r.c.registration_id == registration.registration_id, still))
                           .values(state="used", used_at=at, session_id=session_id, allow_again=None))
        if res.rowcount != 1:
            raise RegistrationRefused(f"access code {registration.code}: already used", "used", registration)
        store.audit("registration-used", "registration", f"registration #{registration.registration_id}",
                    {"candidate": registration.candidate_id, "session": session_id, "workstation": workstation,
                     "again": registration.allow_again}, actor=None, conn=conn)
    return replace(registration, state="used", used_at=at, session_id=session_id, allow_again=None)


def rows_for_listing(registrations: Iterable[Registration], now: datetime | None = None) -> list[dict[str, Any]]:
    """The registrations as the CLI and the console list them (no contact details)."""
    at = now or utc_now()
    return [{"code": g.code, "candidate_id": g.candidate_id, "battery": g.battery, "cohort": g.cohort,
             "language": g.language, "status": g.status(at), "expires_at": g.expires_at, "last_day": g.last_day,
             "extra_time": g.extra_time, "font_scale": g.font_scale, "high_contrast": g.high_contrast,
             "skip_headset_reason": g.skip_headset_reason, "session_id": g.session_id,
             "allow_again": g.allow_again, "registration": g} for g in registrations]
