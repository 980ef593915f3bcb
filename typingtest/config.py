"""Settings (TOML) and paths; ``thresholds.toml`` is read here and nowhere else.

Settings come from, in order: the ``--settings`` file, ``$TYPINGTEST_SETTINGS``,
``./typingtest.toml``, else the defaults below. ``$TYPINGTEST_DB`` overrides the database
URL and ``$TYPINGTEST_RESULTS`` the results folder. Unknown keys are errors: a typo must
not pass silently.
"""

from __future__ import annotations

import codecs
import dataclasses
import os
import socket
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from typingtest.checks import got, number
from typingtest.engine.verdicts import INDICATOR_KINDS, REQUIRED_INDICATORS, Threshold, limit_problem
from typingtest.errors import UserError
from typingtest.ids import SHOWN_MAX, shown

__all__ = [
    "DEFAULT_THRESHOLDS_FILE",
    "PASSAGES_DIR",
    "Settings",
    "Threshold",
    "load_settings",
    "load_thresholds",
    "workstation_proctor_code",
]

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_THRESHOLDS_FILE = PACKAGE_DIR / "thresholds.toml"
#: The shipped test content (passages, scenarios, batteries, pre-rendered audio).
PASSAGES_DIR = PACKAGE_DIR.parent / "passages"


@dataclass
class Settings:
    """A test centre's settings. Paths are resolved against the settings file's folder."""

    results_dir: Path = field(default_factory=lambda: Path("results"))
    #: SQLAlchemy database URL; None means SQLite at ``results_dir / "typingtest.sqlite"``.
    db_url: str | None = None
    thresholds: Path = DEFAULT_THRESHOLDS_FILE
    #: HMAC key for signing stored attempts; kept outside the database.
    signing_key_file: Path | None = None
    passages_dir: Path = PASSAGES_DIR
    workstation: str = field(default_factory=socket.gethostname)
    ui_lang: str = "nl"
    content_lang: str = "nl"
    #: Days a candidate's results are kept before ``typingtest purge`` removes them.
    retention_days: int = 365
    #: Days after a completed session before the candidate may take the same battery again
    #: (0 = no waiting period; the proctor may override at intake).
    retake_days: int = 30
    #: Characters a typed verdict must judge to be decided; fewer: "insufficient" (retest on a
    #: longer text). 729 = at an MSD error rate of 3 % the 95 % interval is +/- 1.5 points
    #: (``typingtest.engine.precision.DEFAULT_MIN_CHARS_JUDGED``, docs/engine.md).
    min_chars_judged: int = 729
    #: What a candidate sees at the end: "nothing" or "summary".
    closing_screen: str = "nothing"
    #: The proctor panel's code at this workstation (Ctrl+Alt+P). None (no code set): the workstation
    #: makes a random one on its first start and keeps it in ``results_dir / PROCTOR_CODE_FILE``
    #: (``workstation_proctor_code``); with a console, a proctor account's one-time code works too.
    proctor_code: str | None = None
    #: Seconds between the workstation's heartbeats to the centre's database (the console's room page);
    #: a workstation is shown lost after three missed beats.
    heartbeat_interval_s: float = 2.0
    #: Extra time as a factor on every time limit (an accommodation): 1.0 = none.
    extra_time: float = 1.0
    font_scale: float = 1.0
    high_contrast: bool = False
    #: Captions (an accommodation): the caller's words shown on the call desk as they are spoken;
    #: the proctor can switch them on or off (F9). Recorded per attempt as ``administration``.
    captions: bool = False
    #: Run a battery's tasks back to back: no "ready" or practice-result screen between tasks, the
    #: next task starting as the last one ends (the instructions before each kind of task stay).
    #: Off: every task waits for the candidate's Enter (docs/workstation.md, "Between tasks").
    back_to_back: bool = False
    #: How the intake identifies the candidate: "candidate-id" (typed freely; centres without a
    #: console) or "access-code" (the code of a registration: candidate, battery, language and
    #: accommodations come from it; ``typingtest registration``, ``store.registrations``).
    intake: str = "candidate-id"
    #: Days a registration's access code stays valid when no date is given.
    registration_days: int = 30
    #: Diagnostic: redraw the whole window every frame (60 fps) instead of only what changed,
    #: to check keystroke timing under constant rendering (the design's condition); never
    #: needed for a test.
    redraw_every_frame: bool = False
    #: Where this came from (None: defaults only).
    source: Path | None = None

    @property
    def database_url(self) -> str:
        """The database URL in force (SQLite in the results folder by default)."""
        if self.db_url:
            return self.db_url
        return f"sqlite:///{(self.results_dir / 'typingtest.sqlite').as_posix()}"

    @property
    def key_file(self) -> Path:
        """The signing key's file (default: ``results_dir / "signing.key"``)."""
        return self.signing_key_file or self.results_dir / "signing.key"


_PATH_FIELDS = {"results_dir", "thresholds", "signing_key_file", "passages_dir"}
#: what a path setting looks like (shown in its error)
_PATH_EXAMPLES = {"results_dir": "results", "thresholds": "thresholds.toml", "signing_key_file": "signing.key",
                  "passages_dir": "passages"}
#: number settings -> (lowest, highest, what they mean): a value outside is refused when read, by
#: ``typingtest.checks.number`` (the checker the content loader uses too); a whole number where the
#: default is an ``int``. Every number field of ``Settings`` has its line (a test holds them equal).
NUMBER_RANGES: dict[str, tuple[float, float, str]] = {
    "extra_time": (1.0, 4.0, "a factor on every time limit from 1.0 (no extra time) to 4.0"),
    "font_scale": (0.5, 3.0, "a factor on the text size from 0.5 to 3.0 (1.0 = as designed)"),
    "retake_days": (0, 3650, "a whole number of days from 0 (no waiting period) to 3650"),
    "retention_days": (1, 36500, "a whole number of days from 1 to 36500"),
    "min_chars_judged": (1, 100000, "a whole number of characters from 1 to 100000"),
    "heartbeat_interval_s": (0.5, 60.0, "a number of seconds from 0.5 to 60"),
    "registration_days": (1, 3650, "a whole number of days from 1 to 3650"),
}
#: text settings with a fixed set of values
_CHOICES = {"closing_screen": ("nothing", "summary"), "intake": ("candidate-id", "access-code")}


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """Read the settings file in force; raise UserError naming the file and key on a mistake."""
    candidates: list[Path] = []
    if path is not None:
        candidates.append(Path(path))
    elif os.environ.get("TYPINGTEST_SETTINGS"):
        candidates.append(Path(os.environ["TYPINGTEST_SETTINGS"]))
    chosen: Path | None = None
    if candidates:
        chosen = candidates[0]
        if not chosen.is_file():
            raise UserError(f"{chosen}: settings file not found; check --settings or $TYPINGTEST_SETTINGS")
    elif Path("typingtest.toml").is_file():
        chosen = Path("typingtest.toml")
    settings = Settings()
    if chosen is not None:
        data = _read_toml(chosen)
        known = {f.name for f in dataclasses.fields(Settings)} - {"source"}
        for key, value in data.items():
            if key not in known:
                raise UserError(f"{chosen}: {_name(key)}: unknown setting; known: {', '.join(sorted(known))}")
            if key in _PATH_FIELDS:
                if not isinstance(value, str) or not value.strip():
                    raise UserError(f"{chosen}: {key}: must be a path in quotes, e.g. {key} = \"{_PATH_EXAMPLES[key]}\""
                                    f", got {got(value)}")
                value = (chosen.parent / value).resolve()
            setattr(settings, key, value)
        _check_values(chosen, settings, data)
        settings.source = chosen
    if os.environ.get("TYPINGTEST_RESULTS"):
        settings.results_dir = Path(os.environ["TYPINGTEST_RESULTS"])
    if os.environ.get("TYPINGTEST_DB"):
        settings.db_url = os.environ["TYPINGTEST_DB"]
    return settings


_TYPE_WORDS = {bool: "true or false", int: "a whole number", float: "a number", str: "text in quotes"}


def _check_values(path: Path, settings: Settings, keys: Iterable[str]) -> None:
    """The values read for ``keys`` have their setting's type (that of its default) and make
    sense: numbers finite and in their range (``NUMBER_RANGES``, checked by ``checks.number``),
    a choice among its values, a proctor code not empty; else a UserError naming the file and
    the key."""
    defaults = Settings()
    for key in keys:
        if key in _PATH_FIELDS:
            continue
        value, default = getattr(settings, key), getattr(defaults, key)
        if key in NUMBER_RANGES:
            low, high, words = NUMBER_RANGES[key]
            setattr(settings, key, number(value, file=path, key=key, low=low, high=high,
                                          whole=isinstance(default, int), words=words))
            continue
        kind = str if default is None else type(default)  # db_url: None by default, text when set
        ok = isinstance(value, kind) and (kind is bool or not isinstance(value, bool))
        if not ok:
            raise UserError(f"{path}: {key}: must be {_TYPE_WORDS.get(kind, kind.__name__)}, got {got(value)}")
        if key in _CHOICES and value not in _CHOICES[key]:
            raise UserError(f"{path}: {key}: must be one of {', '.join(map(repr, _CHOICES[key]))}, got {got(value)}")
        if key == "proctor_code" and not value.strip():
            raise UserError(f"{path}: proctor_code: must not be empty: anyone could open the proctor panel "
                            "(pause, end, override the retake policy) with Ctrl+Alt+P, Enter; set a code of your own")


#: The file in the results folder that keeps a workstation's own proctor code (owner-only).
PROCTOR_CODE_FILE = "proctor-code"
#: Digits of a proctor code a workstation makes for itself.
PROCTOR_CODE_DIGITS = 8


def workstation_proctor_code(settings: Settings) -> tuple[str, bool]:
    """The proctor code in force at this workstation, and True when it was made just now.

    The settings' ``proctor_code`` when set. Else the code kept in ``results_dir / PROCTOR_CODE_FILE``;
    on the first start there is none: ``PROCTOR_CODE_DIGITS`` random digits (``secrets``) are written
    there, readable by the owner only (``fileperms``), so no two installations share a code. The code
    is put in ``settings.proctor_code`` (in memory) for the proctor panel.
    """
    import secrets

    from typingtest.fileperms import private_dir, private_file

    if settings.proctor_code:
        return str(settings.proctor_code), False
    path = Path(settings.results_dir) / PROCTOR_CODE_FILE
    made = False
    try:
        code = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        code = ""
    except OSError as exc:
        raise UserError(f"{path}: cannot read this workstation's proctor code ({exc.strerror or exc}); give the "
                        "user running typingtest access, or set proctor_code in the settings") from None
    if not code:
        code = "".join(secrets.choice("0123456789") for _ in range(PROCTOR_CODE_DIGITS))
        private_dir(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(code + "\n")
        private_file(path)
        made = True
    settings.proctor_code = code
    return code, made


def load_thresholds(settings: Settings | None = None) -> dict[str, Threshold]:
    """The thresholds in force, by indicator name (``msd_error_rate``, ``net_wpm``, ...).

    Every mistake is one ``UserError`` line naming the file and the key: an indicator the
    engine does not judge (a typo), a required one missing, a limit that is not a finite
    number within its indicator's range (``engine.verdicts.limit_problem``).
    """
    path = Path(settings.thresholds) if settings else DEFAULT_THRESHOLDS_FILE
    data = _read_toml(path)
    out: dict[str, Threshold] = {}
    allowed = {"max", "min", "source", "basis", "competences"}
    for indicator, table in data.items():
        name = _name(indicator)
        if indicator not in INDICATOR_KINDS:
            raise UserError(f"{path}: [{name}]: unknown indicator; known: {', '.join(INDICATOR_KINDS)}")
        if not isinstance(table, dict):
            raise UserError(f"{path}: {indicator}: expected a table like [{indicator}] with max or min")
        unknown = set(table) - allowed
        if unknown:
            allowed_list = ", ".join(sorted(allowed))
            raise UserError(f"{path}: {indicator}.{_name(sorted(unknown)[0])}: unknown key; allowed: {allowed_list}")
        if ("max" in table) == ("min" in table):
            raise UserError(f"{path}: {indicator}: give exactly one of max or min")
        key = "max" if "max" in table else "min"
        limit = table[key]
        problem = limit_problem(indicator, limit)
        if problem is not None:
            raise UserError(f"{path}: {indicator}.{key}: {problem}")
        source = table.get("source", "centre")
        if source not in ("qualification", "centre"):
            raise UserError(f"{path}: {indicator}.source: must be 'qualification' or 'centre', got {got(source)}")
        competences = table.get("competences", ())
        if not isinstance(competences, list | tuple) or not all(isinstance(c, str) for c in competences):
            raise UserError(f"{path}: {indicator}.competences: must be a list of texts, e.g. [\"co 01670\"]")
        out[indicator] = Threshold(
            indicator=indicator,
            limit=float(limit),
            comparison="<=" if key == "max" else ">=",
            source=source,
            basis=str(table.get("basis", "")),
            competences=tuple(competences),
        )
    for required in REQUIRED_INDICATORS:
        if required not in out:
            raise UserError(f"{path}: [{required}]: missing; every copy-typing and transcription task is judged on it "
                            f"(copy the table from {DEFAULT_THRESHOLDS_FILE})")
    return out


def _name(key: str) -> str:
    """A key read from a file as echoed in an error: as is when short and printable, else its
    repr cut to 40 characters (a 10,000-character key must not fill the screen)."""
    return key if key.isprintable() and len(key) <= SHOWN_MAX else shown(key)


def _read_toml(path: Path) -> dict[str, Any]:
    """The TOML file ``path`` as a dict: UTF-8 (a leading byte-order mark is skipped); every
    problem (missing, unreadable, not UTF-8, not TOML) one ``UserError`` line naming the file."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise UserError(f"{path}: is a folder, not a file; name the TOML file") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]  # Windows Notepad's "UTF-8 with BOM"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not UTF-8 text (byte {exc.start} is {raw[exc.start]:#04x}); save it as UTF-8, "
                        "or check that it is the TOML file meant") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML: {exc}") from None
