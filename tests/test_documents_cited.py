"""No file cites a document that is not in the repository (issue 15, item 7).

README.md and docs/*.md: every ``*.md`` they name (``docs/engine.md``, a link ``(store.md)``), every
test file (``test_*.py``) and every picture they show exist. The package, the tests and the
benchmarks cite no document kept outside the repository (the design notes, ``../shared/``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = sorted((REPO / "docs").glob("*.md"))
PAGES = [REPO / "README.md", *DOCS]

MD = re.compile(r"(?<![\w/.-])((?:\.\./|\./)?(?:[\w-]+/)*[\w.-]+\.md)\b")
TEST_FILE = re.compile(r"(?<![\w.-])((?:tests/)?(?:[\w-]+/)*test_\w+\.py)\b")
PICTURE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
#: documents kept outside this repository (the project's design notes): never cited
OUTSIDE = re.compile(r"\bDESIGN\.md\b|\bSTYLE\.md\b|\.\./shared/[\w./-]*\.md")


def _md_exists(ref: str, page: Path) -> bool:
    return any(p.is_file() for p in (REPO / ref, page.parent / ref, REPO / "docs" / ref))


def _test_exists(ref: str) -> bool:
    if "/" in ref:
        return (REPO / ref).is_file() or (REPO / "tests" / ref).is_file()
    return any((REPO / "tests").rglob(ref))


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_document_a_page_names_exists(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    missing = sorted({m for m in MD.findall(text) if not _md_exists(m, page)})
    assert not missing, f"{page.relative_to(REPO)} names documents not in the repository: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_test_file_and_picture_a_page_names_exists(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    tests = sorted({m for m in TEST_FILE.findall(text) if not _test_exists(m)})
    pictures = sorted({m for m in PICTURE.findall(text) if "://" not in m and not (page.parent / m).is_file()})
    assert not tests and not pictures, f"{page.relative_to(REPO)}: missing test files {tests}, pictures {pictures}"


def test_no_file_cites_a_document_outside_the_repository() -> None:
    files = [*PAGES, *sorted((REPO / "typingtest").rglob("*.py")), *sorted((REPO / "tests").rglob("*.py")),
             *sorted((REPO / "benchmarks").rglob("*.py"))]
    here = Path(__file__).resolve()
    found = [f"{f.relative_to(REPO)}:{n}: {m.group(0)}"
             for f in files if f.resolve() != here
             for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1)
             for m in OUTSIDE.finditer(line)]
    assert not found, "documents outside the repository cited:\n" + "\n".join(found)


def test_the_check_finds_a_dangling_reference(tmp_path: Path) -> None:
    # the patterns catch what they are for (a check that can never fail checks nothing)
    page = tmp_path / "x.md"
    text = "see docs/nowhere.md, (store.md), `tests/workstation/test_workstation_fixes.py`, DESIGN.md"
    assert MD.findall(text) == ["docs/nowhere.md", "store.md", "DESIGN.md"]
    assert not _md_exists("docs/nowhere.md", page) and _md_exists("store.md", REPO / "docs" / "x.md")
    assert TEST_FILE.findall(text) == ["tests/workstation/test_workstation_fixes.py"]
    assert not _test_exists("tests/workstation/test_workstation_fixes.py")
    assert OUTSIDE.search(text) and OUTSIDE.search("(docs: ../shared/qualification/README.md)")


def test_every_file_the_architecture_page_names_exists() -> None:
    # docs/architecture.md names files under typingtest/ ("engine/events.py"), at the top
    # ("tests/test_foundation.py", "thresholds.toml"), or by name within its layer's row ("loader.py")
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([\w./-]+\.(?:py|toml))`", text)) | set(re.findall(r"\b([\w-]+/[\w./-]*\.py)\b", text))
    assert len(named) > 30

    def exists(name: str) -> bool:
        if "/" in name:
            return (REPO / name).is_file() or (REPO / "typingtest" / name).is_file()
        return any((REPO / "typingtest").rglob(name))

    assert sorted(n for n in named if not exists(n)) == []
