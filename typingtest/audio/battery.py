"""The caller lines of a battery or a single item (scenario), as ``LineSpec`` objects to render.

Uses the content loader (``typingtest.content.load_battery`` / ``load_item``) when it is there;
otherwise reads the TOML files directly (``[[lines]]`` with ``id``, ``text``, ``voice``,
``audio``; the item's ``voice`` or ``[caller] voice`` as the default; a battery's ``[[tasks]]``
``item`` ids looked up under ``passages/<lang>/*/<id>.toml``). Lines that still hold
``{placeholders}`` carry per-candidate data: they are rendered when the session starts.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typingtest.audio.chain import Effects
from typingtest.audio.render import LineSpec
from typingtest.errors import UserError

__all__ = ["BatteryLine", "collect_lines", "has_placeholders", "session_lines", "shipped_lines"]

_PLACEHOLDER = re.compile(r"\{\w+\}")


@dataclass(frozen=True)
class BatteryLine:
    """One line of an item: ``item_id``, ``line_id`` and what to render."""

    item_id: str
    line_id: str
    spec: LineSpec

    @property
    def per_candidate(self) -> bool:
        """True when the line holds per-candidate data (rendered at session start)."""
        return self.spec.file is None and has_placeholders(self.spec.text)


def has_placeholders(text: str) -> bool:
    """Whether ``text`` still holds a ``{placeholder}`` of a randomised form."""
    return bool(_PLACEHOLDER.search(text))


def _from_objects(items: list[Any], rate_wpm: int | None, effects: Effects) -> list[BatteryLine]:
    out: list[BatteryLine] = []
    for item in items:
        default_voice = getattr(item, "voice", "") or getattr(getattr(item, "caller", None), "voice", "")
        for line in getattr(item, "lines", ()) or ():
            voice = getattr(line, "voice", "") or default_voice
            source = f"{getattr(item, 'path', None) or item.id}: line {line.id}"
            audio = getattr(line, "audio", None)
            out.append(BatteryLine(item.id, line.id, LineSpec(
                text=line.text, voice=voice, rate_wpm=rate_wpm, file=Path(audio) if audio else None,
                effects=effects, source=source,
            )))
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML: {exc}; run typingtest content check {path}") from None


def _item_lines_from_toml(path: Path, rate_wpm: int | None, effects: Effects) -> list[BatteryLine]:
    data = _read_toml(path)
    item_id = str(data.get("id", path.stem))
    default_voice = data.get("voice") or data.get("caller", {}).get("voice", "")
    out = []
    for i, line in enumerate(data.get("lines", [])):
        line_id = str(line.get("id", i + 1))
        audio = line.get("audio")
        text = " ".join(str(line.get("text", "")).split())
        out.append(BatteryLine(item_id, line_id, LineSpec(
            text=text, voice=line.get("voice") or default_voice, rate_wpm=rate_wpm,
            file=(path.parent / audio) if audio else None, effects=effects, source=f"{path}: lines.{line_id}",
        )))
    return out


def collect_lines(
    name_or_path: str, passages_dir: Path, *, rate_wpm: int | None = None, effects: Effects | None = None
) -> list[BatteryLine]:
    """Every caller line of a battery (name or file) or of one item (id or file), in order."""
    effects = effects or Effects()
    path = Path(name_or_path)
    try:
        import typingtest.content as content

        load_battery = getattr(content, "load_battery", None)
        load_item = getattr(content, "load_item", None)
        load_file = getattr(content, "load_file", None)
    except ImportError:  # pragma: no cover - the content part is broken
        load_battery = load_item = load_file = None
    if load_battery is not None and load_item is not None and load_file is not None:
        if path.suffix == ".toml" or path.is_file():
            if not path.is_file():
                raise UserError(f"{path}: file not found")
            loaded = load_file(path)
        elif (passages_dir / "batteries" / f"{name_or_path}.toml").is_file():
            loaded = load_battery(name_or_path, passages=passages_dir)
        else:
            loaded = load_item(name_or_path, passages=passages_dir)
        if getattr(loaded, "kind", "") == "battery":
            items = [t.content for t in loaded.tasks if t.content is not None]
        else:
            items = [loaded]
        return _from_objects(items, rate_wpm, effects)
    # no content loader yet: read the files ourselves
    if path.is_file():
        data = _read_toml(path)
        if data.get("kind") != "battery":
            return _item_lines_from_toml(path, rate_wpm, effects)
        battery_file = path
    else:
        battery_file = passages_dir / "batteries" / f"{name_or_path}.toml"
        if not battery_file.is_file():
            found = sorted(passages_dir.glob(f"*/*/{name_or_path}.toml"))
            if not found:
                raise UserError(
                    f"{name_or_path}: no battery or item of that name under {passages_dir}; "
                    "give a battery name (default, quick...), an item id (nl-call-01) or a .toml file"
                )
            return _item_lines_from_toml(found[0], rate_wpm, effects)
    data = _read_toml(battery_file)
    out: list[BatteryLine] = []
    for task in data.get("tasks", []):
        item_id = task.get("item")
        if not item_id:
            continue
        found = sorted(passages_dir.glob(f"*/*/{item_id}.toml"))
        if not found:
            raise UserError(f"{battery_file}: tasks.item: {item_id!r} not found under {passages_dir}")
        out += _item_lines_from_toml(found[0], rate_wpm, effects)
    return out


def session_lines(item: Any, *, rate_wpm: int | None = None, effects: Effects | None = None) -> list[BatteryLine]:
    """The lines of one loaded item as the session plays them (call after ``draw_form``): for the
    workstation at session start, to render the per-candidate lines (``AudioCache.get`` each)."""
    return _from_objects([item], rate_wpm, effects or Effects())


def shipped_lines(passages_dir: Path, *, seed: int | None = 1) -> list[BatteryLine]:
    """Every caller line of every shipped item; randomised items drawn with ``seed`` (None: left as written).

    Needs the content loader (``typingtest.content.load_all`` and ``draw_form``).
    """
    from typingtest.content import draw_form, load_all

    loaded = load_all(passages_dir)
    items = loaded[0] if isinstance(loaded, tuple) else loaded
    out: list[BatteryLine] = []
    for item in items:
        if getattr(item, "kind", "") == "battery" or not getattr(item, "lines", None):
            continue
        if seed is not None:
            item = draw_form(item, seed)
        out += _from_objects([item], None, Effects())
    return out
