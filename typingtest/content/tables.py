"""The generated tables of ``docs/content.md``: difficulty figures and competences per task.

``python -m typingtest.content.tables --markdown`` prints the difficulty table of every
shipped passage; ``--competences`` the table of which task measures which competence code;
``--update docs/content.md`` writes both into the document between their markers (a test
checks the document is up to date).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from typingtest.content.difficulty import BAND_KEYS
from typingtest.content.model import COMPETENCES, Battery, Call, CopyPassage, Transcription

__all__ = ["competence_table", "difficulty_table", "update_docs"]


def difficulty_table(items: list, batteries: list[Battery]) -> str:
    """Markdown table of the difficulty figures of every passage, and each battery's band."""
    rows = [
        "| id | kind | words | characters | mean word length | digits | capitals | punctuation | diacritics |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for item in sorted(items, key=lambda i: i.id):
        if not isinstance(item, CopyPassage | Transcription) or item.difficulty is None:
            continue
        d = item.difficulty
        rows.append(
            f"| {item.id} | {item.kind} | {d.words} | {d.characters} | {d.mean_word_length:.2f} | "
            f"{d.digit_share:.1%} | {d.capital_share:.1%} | {d.punctuation_share:.1%} | {d.diacritic_share:.1%} |"
        )
    out = "\n".join(rows)
    bands = [b for b in batteries if b.band]
    if bands:
        out += "\n\nBands: each battery's scored copy-typing passages lie within its `[band]` (checked on load).\n\n"
        out += "| battery | " + " | ".join(BAND_KEYS) + " |\n|---|" + "---|" * len(BAND_KEYS) + "\n"
        for b in sorted(bands, key=lambda b: b.id):
            cells = []
            for key in BAND_KEYS:
                if key in b.band:
                    lo, hi = b.band[key]
                    cells.append(f"{lo:g}-{hi:g}" if key == "mean_word_length" else f"{lo:.1%}-{hi:.1%}")
                else:
                    cells.append("")
            out += f"| {b.id} | " + " | ".join(cells) + " |\n"
    return out.rstrip("\n")


_KIND_CODES = {
    "copy-typing": {"D140801 Id17267"},
    "transcription": {"D140801 Id17267", "co 01669"},
    "data-entry": {"co 01670", "D140801 Id17267", "co 01669"},
}


def competence_table(items: list, batteries: list[Battery]) -> str:
    """Markdown table: per item, the competence codes it measures (calls: from their expected actions)."""
    header = "| item | kind | " + " | ".join(c.replace("D140801 ", "") for c in COMPETENCES) + " |"
    rows = [header, "|---|---|" + "---|" * len(COMPETENCES)]
    for item in sorted(items, key=lambda i: (i.language, i.kind, i.id)):
        if isinstance(item, Call):
            counts = {c: sum(1 for e in item.expect if e.competence == c) for c in COMPETENCES}
            cells = [str(counts[c]) if counts[c] else "" for c in COMPETENCES]
        else:
            codes = _KIND_CODES.get(item.kind, set())
            cells = ["x" if c in codes else "" for c in COMPETENCES]
        rows.append(f"| {item.id} | {item.kind} | " + " | ".join(cells) + " |")
    out = "\n".join(rows)
    out += (
        "\n\nNumbers: how many expected actions of that call are tagged with the code; x: the task kind "
        "measures it (typed text against a reference: MSD error rate, D140801 Id17267; form fields: "
        "co 01670; typing while a caller speaks: co 01669)."
    )
    out += "\n\n| battery | codes measured by its scored tasks | not measured |\n|---|---|---|"
    for b in sorted(batteries, key=lambda b: b.id):
        measured = set(b.competences)
        for t in b.tasks:
            if t.content is not None and not t.practice and not isinstance(t.content, Call):
                measured |= _KIND_CODES.get(t.content.kind, set())
        missing = [c for c in COMPETENCES if c not in measured]
        out += f"\n| {b.id} | {len(measured)} of {len(COMPETENCES)} | {', '.join(missing) or '-'} |"
    return out


def _marked(text: str, name: str, body: str) -> str:
    pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(\n<!-- {name}:end -->)", re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"markers <!-- {name}:start/end --> not found")
    return pattern.sub(lambda m: m.group(1) + body + m.group(2), text)


def update_docs(doc: Path, items: list, batteries: list[Battery]) -> bool:
    """Write both tables into ``doc`` between their markers; True when the file changed."""
    old = doc.read_text(encoding="utf-8")
    new = _marked(old, "difficulty-table", difficulty_table(items, batteries))
    new = _marked(new, "competence-table", competence_table(items, batteries))
    if new != old:
        doc.write_text(new, encoding="utf-8")
    return new != old


def _load_all(passages: Path | None) -> tuple[list, list[Battery]]:
    from typingtest.content.loader import load_all

    loaded = load_all(passages)
    items = [x for x in loaded if not isinstance(x, Battery)]
    return items, [x for x in loaded if isinstance(x, Battery)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m typingtest.content.difficulty")
    parser.add_argument("--markdown", action="store_true", help="print the difficulty table")
    parser.add_argument("--competences", action="store_true", help="print the competence table")
    parser.add_argument("--update", metavar="DOC", help="write both tables into DOC (docs/content.md)")
    parser.add_argument("--passages", metavar="DIR", help="the content folder (default: the shipped passages/)")
    args = parser.parse_args(argv)
    items, batteries = _load_all(Path(args.passages) if args.passages else None)
    if args.update:
        changed = update_docs(Path(args.update), items, batteries)
        print(f"{args.update}: {'updated' if changed else 'already up to date'}")
    if args.markdown:
        print(difficulty_table(items, batteries))
    if args.competences:
        print(competence_table(items, batteries))
    return 0


if __name__ == "__main__":
    sys.exit(main())

