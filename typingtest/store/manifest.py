"""The manifest of files the project wrote, and whom they hold; staging, format-aware checks, rewrites.

Every export, candidate export, report, comparison and progress chart is written into a
private staging folder beside its destination, then the audit entry and the manifest rows
(``written_files``: path, format, purpose, time; ``written_file_candidates``: who it holds)
are stored in one transaction, and only then are the files renamed into place. If the
database cannot take the audit entry the staging folder is removed: no file leaves the
store unaudited, and a write killed midway leaves only a ``.typingtest-partial-*`` folder
(erasure scans it like any other file).

Erasure uses the manifest: a table (CSV, XLSX, Parquet) is rewritten without the
candidate's rows (same format); a file that cannot be rewritten (PDF, PNG, SVG, HTML) is
deleted. ``holds`` opens each format (zip members of XLSX, Parquet columns, the text of
PDF content streams, JSON values, HTML text) instead of searching raw bytes, and matches
ids as whole values or whole tokens, never as substrings of other ids.
"""

from __future__ import annotations

import contextlib
import functools
import html
import json
import os
import re
import secrets
import shutil
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from typingtest.fileperms import private_dir, private_file
from typingtest.ids import inside
from typingtest.store import schema as S

if TYPE_CHECKING:
    from typingtest.store.store import Store

__all__ = [
    "ID_COLUMNS",
    "PARTIAL_PREFIX",
    "REWRITABLE",
    "Needles",
    "WrittenFile",
    "bounded",
    "file_format",
    "holds",
    "publish",
    "record_files",
    "rewrite_without",
    "staged",
]

#: Name prefix of a staging folder (a write not yet audited, or killed midway).
PARTIAL_PREFIX = ".typingtest-partial-"
#: Formats erasure rewrites without the candidate's rows; every other format is deleted.
REWRITABLE = ("csv", "xlsx", "parquet")
#: Table columns that hold ids: a row is the candidate's when one of these equals one of their ids.
ID_COLUMNS = ("candidate_id", "candidate", "session_id", "attempt_id", "object_id")


@dataclass(frozen=True)
class WrittenFile:
    """One file to record: where it ends up, what it is for, and the candidates it holds."""

    path: Path
    purpose: str
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class Needles:
    """What identifies one candidate in a file.

    ``ids`` (candidate id, their session and attempt ids) match whole values (a table cell,
    a JSON string) or whole tokens of free text; ``texts`` (name, e-mail) match inside text.
    """

    ids: frozenset[str]
    texts: tuple[str, ...] = ()

    def cell(self, value: object) -> bool:
        """True when one value (a cell, a JSON string, a column name) identifies the candidate."""
        if not isinstance(value, str):
            return False
        return value.strip() in self.ids or any(_bounded_re(t).search(value) for t in self.texts)

    def text(self, text: str) -> bool:
        """True when free text holds an id, a name or an e-mail address as a whole token."""
        return any(_bounded_re(v).search(text) for v in (*self.ids, *self.texts))


def bounded(value: str) -> str:
    """A regular expression (Python ``re`` and RE2 alike) finding ``value`` as a whole token.

    Not part of a longer id or address: no letter, digit, ``_ . + -`` just before; none of
    ``_ -`` or a letter/digit just after, and a ``.`` after only as a sentence end. So ``1``
    is not found in ``11``, ``KAND-1`` or ``1.5``, nor ``1@example.be`` in ``11@example.be``.
    """
    body = "".join(f"\\x{ord(c):02x}" if c.isascii() and not c.isalnum() else c for c in value)
    return r"(?:^|[^A-Za-z0-9_.+\-])" + body + r"(?:\.?$|\.?[^A-Za-z0-9_.\-])"


@functools.lru_cache(maxsize=256)
def _bounded_re(value: str) -> re.Pattern[str]:
    return re.compile(bounded(value), re.M)


def file_format(path: Path) -> str:
    """The format a file is checked and rewritten as: its suffix, lower case, without the dot."""
    suffix = path.suffix.lower().lstrip(".")
    return {"htm": "html", "jpeg": "jpg", "tsv": "csv"}.get(suffix, suffix or "bin")


# ---- writing: stage, audit and record, publish ------------------------------------------------


@contextlib.contextmanager
def staged(folder: Path) -> Iterator[Path]:
    """A private staging folder inside ``folder`` (made if missing); removed on the way out."""
    created = not folder.exists()
    if created:
        private_dir(folder)
    else:
        folder.mkdir(parents=True, exist_ok=True)
    stage = folder / f"{PARTIAL_PREFIX}{secrets.token_hex(6)}"
    private_dir(stage)
    try:
        yield stage
    finally:
        if stage.exists():
            shutil.rmtree(inside(folder, stage), ignore_errors=True)


def publish(stage: Path, folder: Path, names: Iterable[str | Path]) -> list[Path]:
    """Rename each staged file (a path relative to ``stage``) to the same place in ``folder``; 0600."""
    out: list[Path] = []
    for name in names:
        rel = Path(name)
        src, dst = stage / rel, folder / rel
        if dst.parent != folder and not dst.parent.exists():
            private_dir(dst.parent)
        private_file(src)
        os.replace(src, dst)
        out.append(dst)
    return out


def record_files(store: Store, files: Iterable[WrittenFile], action: str, object_type: str,
                 object_id: str | None, details: Mapping[str, Any] | None, conn: Connection | None = None) -> None:
    """The audit entry and the manifest rows of written files, in one transaction (or the caller's)."""
    if conn is None:
        with store._errors("write the audit log"), store.engine.begin() as c:
            record_files(store, files, action, object_type, object_id, details, conn=c)
        return
    store.audit(action, object_type, object_id, details, conn=conn)
    now = datetime.now(UTC)
    for f in files:
        res = conn.execute(S.written_files.insert().values(
            path=str(Path(f.path).resolve()), format=file_format(Path(f.path)), purpose=f.purpose, written_at=now))
        file_id = int(res.inserted_primary_key[0])
        for cid in dict.fromkeys(f.candidates):
            conn.execute(S.written_file_candidates.insert().values(file_id=file_id, candidate_id=str(cid)))


# ---- reading each format ---------------------------------------------------------------------


def holds(path: Path, needles: Needles, fmt: str | None = None) -> bool:
    """True when the file at ``path`` identifies the candidate, read as its format (see module doc)."""
    fmt = fmt or file_format(path)
    try:
        if fmt == "csv":
            return _csv_holds(path, needles)
        if fmt == "parquet":
            return _parquet_holds(path, needles)
        if fmt in ("xlsx", "xlsm", "docx", "odt", "ods"):
            return _zip_holds(path, needles)
        if fmt == "json":
            return _json_holds(json.loads(path.read_text(encoding="utf-8")), needles)
        if fmt in ("html", "svg", "xml"):
            return _markup_holds(_decode(path.read_bytes()), needles)
        if fmt == "pdf":
            return needles.text(_pdf_text(path.read_bytes()))
    except Exception:  # unreadable as its format (damaged, not what its name says)
        pass  # fall back to the raw bytes below
    return _raw_holds(path, needles)


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="ignore")
    return data.decode("utf-8", errors="ignore")


def _raw_holds(path: Path, needles: Needles) -> bool:
    try:
        data = path.read_bytes()
    except OSError:
        return False
    texts = [data.decode("utf-8", errors="ignore"), data.decode("latin-1")]
    for start in (0, 1):  # UTF-16 text at either byte alignment
        texts.append(data[start:].decode("utf-16-le", errors="ignore"))
    return any(needles.text(t) for t in texts)


def _csv_holds(path: Path, needles: Needles) -> bool:
    import pandas as pd

    # numbers read as numbers: an id is a whole text cell in any column, never a figure
    frame = pd.read_csv(path, keep_default_na=False)
    if any(needles.cell(str(c)) for c in frame.columns):
        return True
    return bool(_row_mask(frame, needles, every_column=True).any())


def _row_mask(frame: Any, needles: Needles, every_column: bool = False) -> Any:
    """Rows of a table that are the candidate's: an id column (``every_column``: any text column) equal
    to an id, or a name/e-mail in any text cell."""
    import pandas as pd

    mask = pd.Series(False, index=frame.index)
    for col in frame.columns:
        if frame[col].dtype.kind in "biufcmM":
            continue
        values = frame[col].astype(str)
        if str(col) in ID_COLUMNS or every_column:
            mask |= values.str.strip().isin(needles.ids)
        for t in needles.texts:
            mask |= values.str.contains(bounded(t), regex=True, flags=re.M)
    return mask


def _parquet_holds(path: Path, needles: Needles) -> bool:
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    if any(needles.cell(name) for name in table.column_names):
        return True
    return bool(_arrow_mask(table, needles, every_column=True).to_numpy(zero_copy_only=False).any())


def _arrow_mask(table: Any, needles: Needles, every_column: bool) -> Any:
    """Rows of an Arrow table that are the candidate's (``every_column``: any string column equal to an id)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    mask = pa.array([False] * table.num_rows, type=pa.bool_())
    ids = pa.array(sorted(needles.ids), type=pa.string())
    for name in table.column_names:
        col = table.column(name)
        if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
            if pa.types.is_dictionary(col.type):
                col = col.cast(pa.string())
            else:
                continue
        if name in ID_COLUMNS or every_column:
            mask = pc.or_(mask, pc.fill_null(pc.is_in(pc.utf8_trim_whitespace(col), value_set=ids), False))
        for t in needles.texts:
            mask = pc.or_(mask, pc.fill_null(pc.match_substring_regex(col, "(?m)" + bounded(t)), False))
    return mask


_XML_TEXT = re.compile(r"<(?:\w+:)?t(?:\s[^>]*)?>([^<]*)</(?:\w+:)?t>")


def _zip_holds(path: Path, needles: Needles) -> bool:
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            text = zf.read(info).decode("utf-8", errors="ignore")
            # XLSX strings: <t> nodes (shared strings, inline strings); numbers are never ids here
            if any(needles.cell(html.unescape(m)) for m in _XML_TEXT.findall(text)):
                return True
            if any(_bounded_re(t).search(html.unescape(text)) for t in needles.texts):
                return True
    return False


def _json_holds(value: Any, needles: Needles) -> bool:
    if isinstance(value, Mapping):
        return any(needles.cell(str(k)) or _json_holds(v, needles) for k, v in value.items())
    if isinstance(value, list):
        return any(_json_holds(v, needles) for v in value)
    return needles.cell(value)


_MARKUP_TEXT = re.compile(r">([^<]+)<")
_MARKUP_ATTR = re.compile(r"""=\s*["']([^"']*)["']""")


def _markup_holds(text: str, needles: Needles) -> bool:
    pieces = [html.unescape(m) for m in _MARKUP_TEXT.findall(text) + _MARKUP_ATTR.findall(text)]
    return any(needles.cell(p) or needles.text(p) for p in pieces) or any(
        _bounded_re(t).search(html.unescape(text)) for t in needles.texts)


_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_PDF_STRING = re.compile(rb"\((?:\\.|[^\\)])*\)", re.S)
_PDF_SHOW = re.compile(rb"\[((?:[^\]\\]|\\.)*)\]\s*TJ|(\((?:\\.|[^\\)])*\))\s*(?:Tj|'|\")", re.S)


def _pdf_unescape(literal: bytes) -> str:
    body = literal[1:-1]
    body = re.sub(rb"\\([0-7]{1,3})", lambda m: bytes([int(m.group(1), 8) & 0xFF]), body)
    body = re.sub(rb"\\(.)", lambda m: {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(m.group(1), m.group(1)), body,
                  flags=re.S)
    return body.decode("latin-1")


def _pdf_text(data: bytes) -> str:
    """The text a PDF shows (each Tj/TJ joined) plus its document info; content streams inflated."""
    lines: list[str] = []
    chunks = [data]
    for m in _PDF_STREAM.finditer(data):
        raw = m.group(1)
        with contextlib.suppress(zlib.error):
            chunks.append(zlib.decompress(raw))
    for chunk in chunks:
        for show in _PDF_SHOW.finditer(chunk):
            parts = _PDF_STRING.findall(show.group(1) or show.group(2) or b"")
            lines.append("".join(_pdf_unescape(p) for p in parts))
    lines += [_pdf_unescape(p) for p in _PDF_STRING.findall(data)]  # /Title (...) and other info strings
    return "\n".join(lines)


# ---- rewriting a table without the candidate -------------------------------------------------


def rewrite_without(path: Path, needles: Needles, fmt: str | None = None) -> int | None:
    """Rewrite a CSV/XLSX/Parquet table without the candidate's rows and columns, same format.

    Returns the number of rows removed, or None when the format cannot be rewritten. The
    new file replaces the old one by rename (0600), so a reader never sees half a table.
    """
    fmt = fmt or file_format(path)
    if fmt not in REWRITABLE:
        return None
    tmp = path.with_name(f"{PARTIAL_PREFIX}{secrets.token_hex(4)}-{path.name}")
    try:
        if fmt == "csv":
            removed = _rewrite_csv(path, tmp, needles)
        elif fmt == "parquet":
            removed = _rewrite_parquet(path, tmp, needles)
        else:
            removed = _rewrite_xlsx(path, tmp, needles)
        private_file(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return removed


def _rewrite_csv(path: Path, tmp: Path, needles: Needles) -> int:
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    mask = _row_mask(frame, needles)
    kept = frame.loc[~mask, [c for c in frame.columns if not needles.cell(str(c))]]
    kept.to_csv(tmp, index=False)
    return int(mask.sum())


def _rewrite_parquet(path: Path, tmp: Path, needles: Needles) -> int:
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    mask = _arrow_mask(table, needles, every_column=False)
    kept = table.filter(pc.invert(mask))
    kept = kept.select([n for n in kept.column_names if not needles.cell(n)])
    pq.write_table(kept, tmp)
    return table.num_rows - kept.num_rows


def _rewrite_xlsx(path: Path, tmp: Path, needles: Needles) -> int:
    from openpyxl import load_workbook

    book = load_workbook(path)
    removed = 0
    for sheet in book.worksheets:
        id_cols: set[int] = set()
        drop_cols: set[int] = set()  # a column per candidate (a side-by-side sheet): the header is the id
        for cell in sheet[1] if sheet.max_row else ():
            if isinstance(cell.value, str) and cell.value.strip() in ID_COLUMNS:
                id_cols.add(cell.column)
            if needles.cell(cell.value):
                drop_cols.add(cell.column)
        drop_rows = []
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if cell.column in drop_cols:
                    continue
                value = cell.value
                if not isinstance(value, str):
                    continue
                if (cell.column in id_cols and value.strip() in needles.ids) or any(
                        _bounded_re(t).search(value) for t in needles.texts):
                    drop_rows.append(cell.row)
                    break
        for r in reversed(drop_rows):
            sheet.delete_rows(r)
        for c in sorted(drop_cols, reverse=True):
            sheet.delete_cols(c)
        removed += len(drop_rows)
    book.save(tmp)
    return removed
