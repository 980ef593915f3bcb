"""The drills' word lists: Dutch, French, English, German, shipped as data in ``data/``.

Two lists per language (``data/SOURCES.md`` gives each one's source and licence):

- ``words-<lang>-faker.txt``: the common-word list of the Faker package's ``lorem`` provider for
  that language (MIT licence);
- ``words-<lang>-passages.txt``: the words of this project's own shipped content for that language
  (``passages/<lang>/``: copy-typing passages, transcription references, caller lines) and the
  street names and municipalities of ``content/generators.py``.

One word a line, ``#`` lines are comments. ``words(lang)`` gives both lists merged (each word
once, in file order). ``build_word_lists`` wrote the files and writes them again.
"""

from __future__ import annotations

import ast
import re
import tomllib
import unicodedata
from functools import cache
from pathlib import Path

from typingtest.errors import UserError

__all__ = ["DATA_DIR", "LANGUAGES", "build_word_lists", "words"]

DATA_DIR = Path(__file__).parent / "data"
LANGUAGES = ("nl", "fr", "en", "de")
_FAKER_LOCALE = {"nl": "nl_BE", "fr": "fr_FR", "en": "en_US", "de": "de_DE"}
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_REGIONS = {"nl": ("vlaanderen",), "fr": ("brussel", "wallonie"), "de": ("ostbelgien", "deutschland"), "en": ()}


@cache
def words(lang: str) -> tuple[str, ...]:
    """Every word of ``lang``'s lists (NFC, each once); UserError for a language without lists."""
    if lang not in LANGUAGES:
        raise UserError(f"language {lang!r}: no word list; use one of {', '.join(LANGUAGES)}")
    out: dict[str, None] = {}
    for part in ("faker", "passages"):
        path = DATA_DIR / f"words-{lang}-{part}.txt"
        for line in path.read_text(encoding="utf-8").splitlines():
            w = unicodedata.normalize("NFC", line.strip())
            if w and not w.startswith("#"):
                out.setdefault(w, None)
    return tuple(out)


def _faker_words(faker_dir: Path, lang: str) -> list[str]:
    """The ``word_list`` tuple of Faker's lorem provider for ``lang`` (read as data, not imported)."""
    src = (faker_dir / "faker" / "providers" / "lorem" / _FAKER_LOCALE[lang] / "__init__.py").read_text("utf-8")
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "word_list":
            return [unicodedata.normalize("NFC", w) for w in ast.literal_eval(node.value) if " " not in w]
    raise ValueError(f"{faker_dir}: no word_list for {lang}")


def _passage_words(passages: Path, lang: str) -> list[str]:
    """The words of the shipped content of ``lang``: lowercase where the lowercase form occurs."""
    from typingtest.content import generators

    texts: list[str] = []
    for path in sorted((passages / lang).glob("*/*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for key in ("reference", "text", "title"):
            if isinstance(data.get(key), str):
                texts.append(data[key])
        for line in data.get("lines", []) or []:
            if isinstance(line, dict) and isinstance(line.get("text"), str):
                texts.append(re.sub(r"\{\w+\}", " ", line["text"]))
    for region in _REGIONS[lang]:
        texts += generators._STREETS.get(region, [])  # the generator's own data
        texts += [m for _, m, _ in generators._PLACES.get(region, [])]
    found: dict[str, None] = {}
    for text in texts:
        for w in _WORD.findall(unicodedata.normalize("NFC", text)):
            found.setdefault(w, None)
    lower = {w for w in found if w == w.lower()}
    out: dict[str, None] = {}
    for w in found:
        out.setdefault(w.lower() if w.lower() in lower else w, None)
    return [w for w in out if len(w) >= 2]


def build_word_lists(
    faker_dir: str | Path, passages: str | Path | None = None, out: str | Path = DATA_DIR
) -> list[Path]:
    """Write ``words-<lang>-faker.txt`` from an unpacked Faker wheel (``faker_dir`` holds ``faker/``)
    and ``words-<lang>-passages.txt`` from the shipped content; returns the files written."""
    from typingtest.config import PASSAGES_DIR

    folder = Path(passages) if passages is not None else PASSAGES_DIR
    out_dir = Path(out)
    written = []
    for lang in LANGUAGES:
        faker = _faker_words(Path(faker_dir), lang)
        path = out_dir / f"words-{lang}-faker.txt"
        head = (f"# Faker {_FAKER_LOCALE[lang]} lorem word_list (faker/providers/lorem/{_FAKER_LOCALE[lang]}), "
                "MIT licence; see SOURCES.md\n")  # fmt: skip
        path.write_text(head + "\n".join(dict.fromkeys(faker)) + "\n", encoding="utf-8")
        written.append(path)
        own = _passage_words(folder, lang)
        path = out_dir / f"words-{lang}-passages.txt"
        path.write_text(f"# words of passages/{lang}/ and content/generators.py; see SOURCES.md\n"
                        + "\n".join(own) + "\n", encoding="utf-8")  # fmt: skip
        written.append(path)
    return written
