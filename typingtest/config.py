"""Settings (TOML) and paths; ``thresholds.toml`` is read here and nowhere else.

Settings come from, in order: the ``--settings`` file, ``$TYPINGTEST_SETTINGS``,
``./typingtest.toml``, else the defaults below. ``$TYPINGTEST_DB`` overrides the database
URL and ``$TYPINGTEST_RESULTS`` the results folder. Unknown keys are errors: a typo must
not pass silently.
"""

from __future__ import annotations

import dataclasses
import os
import socket
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from typingtest.engine.verdicts import Threshold
from typingtest.errors import UserError

__all__ = [
    "DEFAULT_THRESHOLDS_FILE",
    "PASSAGES_DIR",
    "Settings",
    "Threshold",
    "load_settings",
    "load_thresholds",
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
    #: What a candidate sees at the end: "nothing" or "summary".
    closing_screen: str = "nothing"
    proctor_code: str = "4242"
    #: Extra time as a factor on every time limit (an accommodation): 1.0 = none.
    extra_time: float = 1.0
    font_scale: float = 1.0
    high_contrast: bool = False
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
                raise UserError(f"{chosen}: {key}: unknown setting; known: {', '.join(sorted(known))}")
            if key in _PATH_FIELDS:
                value = (chosen.parent / str(value)).resolve() if value is not None else None
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
    """The values read for ``keys`` have their setting's type (that of its default), and
    ``retake_days`` is 0 or more: else a UserError naming the file and the key."""
    defaults = Settings()
    for key in keys:
        if key in _PATH_FIELDS:
            continue
        value, default = getattr(settings, key), getattr(defaults, key)
        kind = str if default is None else type(default)  # db_url: None by default, text when set
        ok = isinstance(value, kind) and (kind is bool or not isinstance(value, bool))
        if kind is float:
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            if ok:
                setattr(settings, key, float(value))
        if not ok:
            raise UserError(f"{path}: {key}: must be {_TYPE_WORDS.get(kind, kind.__name__)}, got {value!r}")
    days = settings.retake_days
    if days < 0:
        raise UserError(f"{path}: retake_days: must be a whole number of days, 0 or more (0 = no waiting period), "
                        f"got {days!r}")


def load_thresholds(settings: Settings | None = None) -> dict[str, Threshold]:
    """The thresholds in force, by indicator name (``msd_error_rate``, ``net_wpm``, ...)."""
    path = Path(settings.thresholds) if settings else DEFAULT_THRESHOLDS_FILE
    data = _read_toml(path)
    out: dict[str, Threshold] = {}
    allowed = {"max", "min", "source", "basis", "competences"}
    for indicator, table in data.items():
        if not isinstance(table, dict):
            raise UserError(f"{path}: {indicator}: expected a table like [{indicator}] with max or min")
        unknown = set(table) - allowed
        if unknown:
            allowed_list = ", ".join(sorted(allowed))
            raise UserError(f"{path}: {indicator}.{sorted(unknown)[0]}: unknown key; allowed: {allowed_list}")
        if ("max" in table) == ("min" in table):
            raise UserError(f"{path}: {indicator}: give exactly one of max or min")
        limit = table.get("max", table.get("min"))
        if not isinstance(limit, int | float) or isinstance(limit, bool):
            raise UserError(f"{path}: {indicator}: max/min must be a number, got {limit!r}")
        source = table.get("source", "centre")
        if source not in ("qualification", "centre"):
            raise UserError(f"{path}: {indicator}.source: must be 'qualification' or 'centre', got {source!r}")
        out[indicator] = Threshold(
            indicator=indicator,
            limit=float(limit),
            comparison="<=" if "max" in table else ">=",
            source=source,
            basis=str(table.get("basis", "")),
            competences=tuple(table.get("competences", ())),
        )
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise UserError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML: {exc}") from None
