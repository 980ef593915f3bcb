"""Parallel forms for retakes: which copy-typing or transcription item a trainee types next.

A battery names one item per task. A trainee who takes the battery again would type the same
passage again, and part of the progress would be memory of the text. So on a retake the
copy-typing and transcription items of the battery's scored tasks are drawn from its
**parallel forms**: the shipped items of the same kind and language whose difficulty is
matched to the battery's item, that the trainee has not seen.

Difficulty score. Each item has five difficulty figures (``difficulty.BAND_KEYS``: mean word
length in characters, and the shares of digits, capitals, punctuation and letters with
diacritics). The difference in difficulty of item B over item A is the mean over the five
figures of (B - A) / s, s the figure's spread: its pooled within-language standard deviation
over the shipped items of the kind (``FIGURE_SD``, measured on the 12 copy-typing passages
and 10 transcriptions shipped; a test recomputes them). It is the difference of a composite
score (the mean of the five z-scores), so a passage with more digits and fewer capitals can
match one with the opposite.

The band. B is a form of A when its difficulty differs by at most ``BAND`` = 0.5 (half a
spread) in either direction: the standard deviation of the composite score among the shipped
Dutch items is 0.51 (copy typing, 6 passages) and 0.48 (transcription, 10), so the band is
about one standard deviation of the shipped items' scores wide on each side. A copy-typing
form must also lie within the battery's ``[band]`` (the loader's rule for scored passages).
A transcription form must also be within ``LENGTH_BAND`` (10 %) of the item's length in
characters: the caller reads it all and the battery's time limit is kept.

The choice (``choose_form``, pure and deterministic): the battery's own item when the trainee
has not seen it; else the unseen form closest in difficulty (ties: by id); when every form,
the battery's item included, has been seen, the least recently seen of them (so a trainee
cycles through the forms), and the reason says so. Items presented in the same session
already (``taken``: the practice passage) are not chosen while another form is left.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typingtest.content.difficulty import BAND_KEYS
from typingtest.content.model import CopyPassage, Transcription

__all__ = [
    "BAND",
    "FIGURE_SD",
    "FORM_KINDS",
    "LENGTH_BAND",
    "FormChoice",
    "choose_form",
    "choose_forms",
    "difficulty_difference",
    "figure_spreads",
    "form_catalogue",
    "forms_of",
    "forms_table",
    "last_seen",
]

#: The task kinds that draw parallel forms (a typed text: memory of it flatters the figures).
FORM_KINDS = ("copy-typing", "transcription")
#: Half-width of the band, in spreads of the difficulty figures (see the module docstring).
BAND = 0.5
#: A transcription form's length (characters) within this share of the battery item's.
LENGTH_BAND = 0.10
#: Per kind, each figure's pooled within-language standard deviation over the shipped items
#: (mean word length in characters, the shares fractions). Measured with
#: ``forms.figure_spreads(content.load_all())`` (``tests/content/test_parallel_forms.py`` recomputes them):
#: copy typing de 2, en 2, fr 2, nl 6 passages; transcription nl 10.
FIGURE_SD: dict[str, dict[str, float]] = {
    "copy-typing": {"mean_word_length": 0.1651, "digit_share": 0.0079, "capital_share": 0.0037,
                    "punctuation_share": 0.0028, "diacritic_share": 0.0023},
    "transcription": {"mean_word_length": 0.3734, "digit_share": 0.0120, "capital_share": 0.0053,
                      "punctuation_share": 0.0053, "diacritic_share": 0.0009},
}  # fmt: skip

Item = CopyPassage | Transcription


@dataclass(frozen=True)
class FormChoice:
    """What ``choose_form`` decided, as recorded with the attempt (``to_dict``)."""

    battery_item: str
    item: str
    rule: str  # "battery-item", "unseen-form", "least-recently-seen", "not-a-form-kind"
    reason: str
    difference: float | None  # difficulty of the chosen item minus the battery item's (spreads)
    forms: tuple[str, ...]  # every form of the battery item (itself included), closest first

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (the attempt's ``meta["parallel_form"]``)."""
        return {"battery_item": self.battery_item, "item": self.item, "rule": self.rule, "reason": self.reason,
                "difference": None if self.difference is None else round(self.difference, 3),
                "forms": list(self.forms), "band": BAND}  # fmt: skip


def difficulty_difference(a: Item, b: Item) -> float | None:
    """Difficulty of ``b`` minus that of ``a``: the mean over ``BAND_KEYS`` of (b - a) / the figure's
    spread (``FIGURE_SD`` of their kind); None when either lacks figures or the kinds differ."""
    sd = FIGURE_SD.get(a.kind)
    if a.kind != b.kind or sd is None or a.difficulty is None or b.difficulty is None:
        return None
    da, db = a.difficulty.to_dict(), b.difficulty.to_dict()
    return sum((float(db[k]) - float(da[k])) / sd[k] for k in BAND_KEYS) / len(BAND_KEYS)


def _in_battery_band(item: Item, band: Mapping[str, tuple[float, float]] | None) -> bool:
    if not band or item.kind != "copy-typing" or item.difficulty is None:
        return True
    figures = item.difficulty.to_dict()
    return all(lo <= float(figures[k]) <= hi for k, (lo, hi) in band.items() if k in figures)


def forms_of(battery_item: Item, catalogue: Iterable[Item],
             band: Mapping[str, tuple[float, float]] | None = None) -> list[tuple[Item, float]]:
    """The parallel forms of ``battery_item`` in ``catalogue`` with their difficulty difference,
    itself first (difference 0), then closest first (ties by id)."""
    out: list[tuple[Item, float]] = [(battery_item, 0.0)]
    for other in catalogue:
        if other.id == battery_item.id or other.kind != battery_item.kind or other.language != battery_item.language:
            continue
        d = difficulty_difference(battery_item, other)
        if d is None or abs(d) > BAND + 1e-9 or not _in_battery_band(other, band):
            continue
        if other.kind == "transcription" and battery_item.difficulty is not None and other.difficulty is not None:
            n = battery_item.difficulty.characters
            if abs(other.difficulty.characters - n) > LENGTH_BAND * n:
                continue
        out.append((other, d))
    return [out[0], *sorted(out[1:], key=lambda x: (abs(x[1]), x[0].id))]


def choose_form(
    battery_item: Item,
    seen_items: Mapping[str, Any],
    catalogue: Iterable[Item],
    *,
    taken: Iterable[str] = (),
    band: Mapping[str, tuple[float, float]] | None = None,
) -> tuple[Item, FormChoice]:
    """The item to present for ``battery_item`` to a trainee who has seen ``seen_items`` (item id ->
    when last seen: anything that orders, e.g. a timestamp), and why.

    ``catalogue``: the items available (the shipped ones of the language); ``taken``: ids
    presented earlier in this session (not chosen while another form is left); ``band``: the
    battery's ``[band]`` (copy typing). Pure and deterministic: the same arguments give the same
    choice. Items of other kinds (data entry, calls) are returned as they are.
    """
    bid = str(battery_item.id)
    if battery_item.kind not in FORM_KINDS:
        return battery_item, FormChoice(bid, bid, "not-a-form-kind", f"{battery_item.kind}: no parallel forms",
                                        None, (bid,))  # fmt: skip
    forms = forms_of(battery_item, catalogue, band)
    ids = tuple(str(f.id) for f, _ in forms)
    busy = set(taken)
    free = [(f, d) for f, d in forms if f.id not in busy] or forms
    if bid not in seen_items and any(f.id == bid for f, _ in free):
        return battery_item, FormChoice(bid, bid, "battery-item", "first time: the battery's own item", 0.0, ids)
    unseen = [(f, d) for f, d in free if f.id not in seen_items]
    if unseen:
        item, d = unseen[0]
        n_left = len(unseen) - 1
        why = (f"{bid} seen before: unseen form {item.id} (difficulty {d:+.2f} spreads, band ±{BAND:g}); "
               f"{n_left} unseen form{'s' if n_left != 1 else ''} left")
        return item, FormChoice(bid, str(item.id), "unseen-form", why, d, ids)
    item, d = min(free, key=lambda fd: (_order(seen_items.get(str(fd[0].id))), abs(fd[1]), str(fd[0].id)))
    if len(forms) == 1:
        why = f"{bid} seen before and it has no parallel form within ±{BAND:g}: the same item again"
    else:
        why = (f"all {len(forms)} forms of {bid} seen: the least recently seen, {item.id} "
               f"(difficulty {d:+.2f} spreads)")
    return item, FormChoice(bid, str(item.id), "least-recently-seen", why, d, ids)



def choose_forms(tasks: Iterable[tuple[Item, bool]], seen_items: Mapping[str, Any], catalogue: Sequence[Item],
                 band: Mapping[str, tuple[float, float]] | None = None) -> list[tuple[Item, FormChoice | None]]:
    """``choose_form`` over a battery's tasks in order, each ``(item, practice)``: scored copy-typing and
    transcription tasks get a form; an item presented earlier in the session (the practice passage)
    is not chosen again while another form is left; practice tasks and other kinds keep their item
    (choice None). The one rule the workstation's runner and the trainer's progress notes apply."""
    taken: list[str] = []
    out: list[tuple[Item, FormChoice | None]] = []
    for item, practice in tasks:
        choice = None
        if not practice and item.kind in FORM_KINDS:
            item, choice = choose_form(item, seen_items, catalogue, taken=taken, band=band)
        out.append((item, choice))
        taken.append(str(item.id))
    return out

def _order(when: Any) -> tuple[int, Any]:
    """Sort key of a last-seen value (None first: never seen sorts before any time)."""
    return (0, 0) if when is None else (1, when)


def last_seen(item_ids: Sequence[Any], started_at: Sequence[Any]) -> dict[str, Any]:
    """Item id -> the latest start among the attempts (parallel sequences, e.g. the columns
    ``item`` and ``started_at`` of ``Store.attempts_frame(candidate=..., include_practice=True)``)."""
    out: dict[str, Any] = {}
    for item, at in zip(item_ids, started_at, strict=True):
        if isinstance(item, str) and item and (item not in out or at > out[item]):
            out[item] = at
    return out


def form_catalogue(language: str, passages: str | Path | None = None, kinds: Sequence[str] = FORM_KINDS
                   ) -> list[Item]:  # fmt: skip
    """The items of ``kinds`` in ``language`` under ``passages`` (``<language>/<kind>/*.toml``;
    default the shipped folder). A file the loader refuses is no form (``typingtest content
    check`` names its problem)."""
    from typingtest.config import PASSAGES_DIR
    from typingtest.content.loader import load_file
    from typingtest.errors import UserError

    root = Path(passages) if passages is not None else PASSAGES_DIR
    out: list[Item] = []
    for kind in kinds:
        for path in sorted((root / language / kind).glob("*.toml")):
            try:
                obj = load_file(path, root)
            except UserError:
                continue
            if isinstance(obj, CopyPassage | Transcription):
                out.append(obj)
    return out


def figure_spreads(items: Iterable[Any]) -> dict[str, dict[str, float]]:
    """Per kind of ``FORM_KINDS``: each difficulty figure's pooled within-language standard
    deviation over ``items`` (how ``FIGURE_SD`` was measured)."""
    groups: dict[str, dict[str, list[Any]]] = {}
    for it in items:
        if isinstance(it, CopyPassage | Transcription) and it.difficulty is not None and it.kind in FORM_KINDS:
            groups.setdefault(it.kind, {}).setdefault(it.language, []).append(it.difficulty.to_dict())
    out: dict[str, dict[str, float]] = {}
    for kind, langs in groups.items():
        out[kind] = {}
        for k in BAND_KEYS:
            ss, df = 0.0, 0
            for rows in langs.values():
                xs = [float(r[k]) for r in rows]
                m = sum(xs) / len(xs)
                ss += sum((x - m) ** 2 for x in xs)
                df += len(xs) - 1
            out[kind][k] = (ss / df) ** 0.5 if df else float("nan")
    return out


def forms_table(items: Iterable[Any], batteries: Iterable[Any] = ()) -> str:
    """Markdown: per scored copy-typing or transcription task of each battery, its item's parallel
    forms (closest first, with the difficulty difference) and how many there are."""
    items = [i for i in items if isinstance(i, CopyPassage | Transcription)]
    rows = ["| battery | task | item | forms within the band (difference in spreads) | retakes before a repeat |",
            "|---|---|---|---|---|"]
    for b in sorted(batteries, key=lambda b: b.id):
        for t in b.tasks:
            item = t.content
            if item is None or t.practice or item.kind not in FORM_KINDS:
                continue
            same = [i for i in items if i.language == item.language]
            forms = forms_of(item, same, b.band)
            others = ", ".join(f"{f.id} ({d:+.2f})" for f, d in forms[1:]) or "none"
            rows.append(f"| {b.id} | {item.kind} | {item.id} | {others} | {len(forms) - 1} |")
    return "\n".join(rows)
