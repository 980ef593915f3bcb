"""Reader for the 136M Keystrokes study's files (Dhakal et al., CHI 2018).

One file per participant, ``<PARTICIPANT_ID>_keystrokes.txt``: tab-separated, one header
line, one row per key press with the columns ``COLUMNS``; the rows of one sentence
(``TEST_SECTION_ID``) follow each other in press order. Reading turns many files at once
into the engine's ``KeyPresses`` (flat numpy arrays): pyarrow's multi-threaded CSV parser
does the bulk, a few per-file checks the rest.

What the files hold, and how it is read:

- ``LETTER`` is the typed character or a key name (``SHIFT``, ``CAPS_LOCK``, ``BKSP``,
  ``ARW_LEFT``, ``CTRL``, ``NUM_4``, ... see ``KEY_NAMES``); names are key presses, not
  characters. Some browsers logged no letter at all: an empty ``LETTER`` is a key whose
  JavaScript ``KEYCODE`` says which (US layout; the case from Shift held and Caps Lock).
  The same loggers wrote a key code as a character: ``\\x08`` for backspace, ``%`` with
  keyCode 37 for the left arrow, ``'`` with keyCode 39 for the right one; control
  characters ``\\x01``..``\\x1a`` are Ctrl+A..Ctrl+Z.
- No quoting: ``"`` is a character like any other.
- Malformed rows (a wrong number of columns, a time that is not a number) are skipped and
  counted in the ``ReadReport``; they never stop a run.
- Files are UTF-8; a file that is not valid UTF-8 is read as Windows-1252 (counted).
- Rows of a sentence not in press order are put in order (counted).

A missing, empty or foreign file is a ``UserError`` naming it (or, with ``skip_bad_files``,
skipped and listed in the report).
"""

from __future__ import annotations

import collections
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from typingtest.engine import corpus as K
from typingtest.errors import UserError

__all__ = [
    "COLUMNS",
    "FILE_PATTERN",
    "KEY_NAMES",
    "RawBatch",
    "ReadReport",
    "decode_keys",
    "find_files",
    "iter_batches",
    "iter_raw_batches",
    "parse_batch",
    "read_files",
]

#: The columns of a 136M Keystrokes file, in order.
COLUMNS = (
    "PARTICIPANT_ID",
    "TEST_SECTION_ID",
    "SENTENCE",
    "USER_INPUT",
    "KEYSTROKE_ID",
    "PRESS_TIME",
    "RELEASE_TIME",
    "LETTER",
    "KEYCODE",
)
HEADER = "\t".join(COLUMNS).encode("ascii")
#: Which files a folder contributes.
FILE_PATTERN = "*_keystrokes.txt"

_OTHER_NAMES = ("ESC", "INSERT", "MENU", "NUM_LK", "SCR_LK", "PRT_SC", "PAUSE", "CLEAR")
#: Key names in ``LETTER`` and what they are (a code point for keys that type one).
KEY_NAMES: dict[str, int] = {
    "BKSP": K.KEY_BACKSPACE,
    "DELETE": K.KEY_DELETE,
    "ARW_LEFT": K.KEY_LEFT,
    "ARW_RIGHT": K.KEY_RIGHT,
    "ARW_UP": K.KEY_UP,
    "ARW_DOWN": K.KEY_DOWN,
    "ARw_DOWN": K.KEY_DOWN,  # sic, in the data
    "PG_UP": K.KEY_UP,
    "PG_DOWN": K.KEY_DOWN,
    "HOME": K.KEY_HOME,
    "END": K.KEY_END,
    "SHIFT": K.KEY_SHIFT,
    "CTRL": K.KEY_CTRL,
    "ALT": K.KEY_ALT,
    "WIN": K.KEY_META,
    "CMD": K.KEY_META,
    "META": K.KEY_META,
    "CAPS_LOCK": K.KEY_CAPS_LOCK,
    "ENTER": K.KEY_ENTER,
    "NUM_ENTER": K.KEY_ENTER,
    "TAB": K.KEY_TAB,
    **{name: K.KEY_OTHER for name in _OTHER_NAMES},
    **{f"F{i}": K.KEY_OTHER for i in range(1, 25)},
    **{f"NUM_{i}": ord(str(i)) for i in range(10)},
    "NUM_ADD": ord("+"),
    "NUM_SUB": ord("-"),
    "NUM_MULT": ord("*"),
    "NUM_DIVIDE": ord("/"),
    "NUM_DECIMAL": ord("."),
}

# JavaScript keyCodes of keys that type nothing.
_KEYCODE_NAMED = {
    8: K.KEY_BACKSPACE,
    9: K.KEY_TAB,
    13: K.KEY_ENTER,
    16: K.KEY_SHIFT,
    17: K.KEY_CTRL,
    18: K.KEY_ALT,
    19: K.KEY_OTHER,
    20: K.KEY_CAPS_LOCK,
    27: K.KEY_OTHER,
    33: K.KEY_UP,
    34: K.KEY_DOWN,
    35: K.KEY_END,
    36: K.KEY_HOME,
    37: K.KEY_LEFT,
    38: K.KEY_UP,
    39: K.KEY_RIGHT,
    40: K.KEY_DOWN,
    44: K.KEY_OTHER,
    45: K.KEY_OTHER,
    46: K.KEY_DELETE,
    91: K.KEY_META,
    92: K.KEY_META,
    93: K.KEY_META,
    224: K.KEY_META,
    144: K.KEY_OTHER,
    145: K.KEY_OTHER,
    **{code: K.KEY_OTHER for code in range(112, 136)},
}
# JavaScript keyCodes of keys that type a character on a US layout: (plain, with Shift).
_KEYCODE_CHARS = {
    32: (" ", " "),
    **{48 + i: (str(i), ")!@#$%^&*("[i]) for i in range(10)},
    **{65 + i: (chr(97 + i), chr(65 + i)) for i in range(26)},
    **{96 + i: (str(i), str(i)) for i in range(10)},
    106: ("*", "*"),
    107: ("+", "+"),
    109: ("-", "-"),
    110: (".", "."),
    111: ("/", "/"),
    59: (";", ":"),
    186: (";", ":"),
    61: ("=", "+"),
    187: ("=", "+"),
    188: (",", "<"),
    173: ("-", "_"),
    189: ("-", "_"),
    190: (".", ">"),
    191: ("/", "?"),
    192: ("`", "~"),
    219: ("[", "{"),
    220: ("\\", "|"),
    221: ("]", "}"),
    222: ("'", '"'),
}
_TABLE_SIZE = 256
_PLAIN = np.full(_TABLE_SIZE, K.KEY_UNKNOWN, dtype=np.int32)
_SHIFTED = np.full(_TABLE_SIZE, K.KEY_UNKNOWN, dtype=np.int32)
for _code, _key in _KEYCODE_NAMED.items():
    _PLAIN[_code] = _SHIFTED[_code] = _key
for _code, (_plain, _shifted) in _KEYCODE_CHARS.items():
    _PLAIN[_code] = ord(_plain)
    _SHIFTED[_code] = ord(_shifted)
_IS_LETTER_CODE = np.zeros(_TABLE_SIZE, dtype=bool)
_IS_LETTER_CODE[65:91] = True

# How a LETTER value is resolved.
_FIXED, _BY_KEYCODE, _MAYBE_NAV, _CTRL_CHORD = 0, 1, 2, 3
# Loggers that wrote String.fromCharCode(keyCode) wrote these characters for navigation keys.
_NAV_LOOKALIKES = {chr(code) for code in range(33, 41)} | {"-", "."}  # 33..40, 45, 46


@dataclass
class ReadReport:
    """What reading found: counts, and the first examples of each problem."""

    files: int = 0
    rows: int = 0  # key presses read
    sentences: int = 0
    malformed_rows: int = 0
    malformed_examples: list[str] = field(default_factory=list)
    windows_1252_files: list[str] = field(default_factory=list)
    resorted_sentences: int = 0
    unknown_keys: collections.Counter[str] = field(default_factory=collections.Counter)
    skipped_files: list[str] = field(default_factory=list)  # "FILE: reason"
    bytes_read: int = 0

    def merge(self, other: ReadReport) -> None:
        """Add what reading another batch found (its files, bytes, rows, sentences and problems)."""
        self.files += other.files
        self.bytes_read += other.bytes_read
        self.rows += other.rows
        self.sentences += other.sentences
        self.malformed_rows += other.malformed_rows
        self.malformed_examples.extend(other.malformed_examples[: max(0, 10 - len(self.malformed_examples))])
        self.windows_1252_files.extend(other.windows_1252_files)
        self.resorted_sentences += other.resorted_sentences
        self.unknown_keys.update(other.unknown_keys)
        self.skipped_files.extend(other.skipped_files)

    def lines(self) -> list[str]:
        """A short human summary (counts only: no typed text)."""
        out = [f"{self.files} files, {self.sentences} sentences, {self.rows} key presses"]
        if self.malformed_rows:
            out.append(f"{self.malformed_rows} malformed rows skipped, e.g. {'; '.join(self.malformed_examples[:3])}")
        if self.windows_1252_files:
            out.append(f"{len(self.windows_1252_files)} files not UTF-8, read as Windows-1252")
        if self.resorted_sentences:
            out.append(f"{self.resorted_sentences} sentences whose rows were not in press order (sorted)")
        if self.unknown_keys:
            names = ", ".join(f"{k!r} x{v}" for k, v in self.unknown_keys.most_common(5))
            out.append(f"{sum(self.unknown_keys.values())} presses of unknown keys ({names})")
        if self.skipped_files:
            out.append(f"{len(self.skipped_files)} files skipped: {'; '.join(self.skipped_files[:3])}")
        return out


def find_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The corpus files named: files as given, folders searched (recursively) for ``FILE_PATTERN``."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = sorted(_walk(os.fspath(path)))
            if not inside:
                raise UserError(f"{path}: no {FILE_PATTERN} files in this folder; give the folder of the corpus")
            found.extend(Path(p) for p in inside)
        elif path.is_file():
            found.append(path)
        else:
            raise UserError(f"{path}: file not found; give existing files or folders")
    if not found:
        raise UserError("no corpus files given; name files or folders")
    if len(found) > 1:  # a file named twice (or in a folder also named) is read once
        unique: dict[str, Path] = {}
        for p in found:
            unique.setdefault(os.path.normcase(os.path.abspath(p)), p)
        found = list(unique.values())
    return found


def _walk(folder: str) -> Iterator[str]:
    """Paths of the corpus files under ``folder`` (os.scandir: fast on 168,000 files)."""
    suffix = FILE_PATTERN.lstrip("*")
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir():
                yield from _walk(entry.path)
            elif entry.name.endswith(suffix) and entry.is_file():
                yield entry.path


def _check(head: bytes, size: int) -> tuple[int, str | None]:
    """Check a file's start; returns (bytes of its header line with the newline, problem or None).

    ``head`` is the start of the file (at least the header line and a little more).
    """
    if size == 0 or not head.strip():
        return 0, "empty file; expected a 136M Keystrokes file with a header and key presses"
    skip = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    end = head.find(b"\n", skip)
    first = head[skip:] if end < 0 else head[skip:end]
    if first.rstrip(b"\r").rstrip(b"\t") != HEADER:
        return 0, (
            "not a 136M Keystrokes file: the first line is not the header "
            f"{' '.join(COLUMNS)} (tab-separated); check the file or --format"
        )
    if end < 0 or (size <= len(head) and not head[end + 1 :].strip()):
        return 0, "empty file: a header but no key presses"
    return end + 1, None


def _transcode(body: bytes) -> bytes | None:
    """None when ``body`` is UTF-8; else its text read as Windows-1252, encoded as UTF-8."""
    try:
        body.decode("utf-8")
        return None
    except UnicodeDecodeError:
        try:
            text = body.decode("cp1252")
        except UnicodeDecodeError:  # bytes cp1252 leaves undefined
            text = body.decode("latin-1")
        return text.encode("utf-8")


_TYPES = {
    "PARTICIPANT_ID": pa.int64(),
    "TEST_SECTION_ID": pa.int64(),
    "SENTENCE": pa.string(),
    "USER_INPUT": pa.string(),
    "KEYSTROKE_ID": pa.string(),
    "PRESS_TIME": pa.float64(),
    "RELEASE_TIME": pa.float64(),
    "LETTER": pa.string(),
    "KEYCODE": pa.float64(),
}
_USED = [name for name in COLUMNS if name != "KEYSTROKE_ID"]


class _NotUtf8(Exception):
    """A batch holds bytes that are not UTF-8 (some file is in another encoding)."""


def _parse(
    buffer: bytes | memoryview, report: ReadReport, names: Callable[[int], str], *, threads: bool = True
) -> pa.Table:
    """Parse rows (no header) into a table; malformed rows are counted and dropped."""
    copy: list[bytes] = []
    count_before, examples_before = report.malformed_rows, len(report.malformed_examples)

    def forget() -> None:  # a second reading counts the same rows again
        report.malformed_rows = count_before
        del report.malformed_examples[examples_before:]

    def find(text: str) -> int:  # where a row is, for naming its file (only for a few examples)
        if not copy:
            copy.append(bytes(buffer))
        return copy[0].find(text.encode("utf-8", "replace"))

    def invalid(row: pa_csv.InvalidRow) -> str:
        report.malformed_rows += 1
        if len(report.malformed_examples) < 10:
            where = find(row.text) if row.text else -1
            report.malformed_examples.append(
                f"{names(where)}: {row.actual_columns} columns instead of {row.expected_columns}"
            )
        return "skip"

    # 1 MiB blocks: 15 % less CPU than 8 MiB on one thread (the block stays in the CPU's cache)
    read = pa_csv.ReadOptions(column_names=list(COLUMNS), block_size=1 << 20, use_threads=threads)
    parse = pa_csv.ParseOptions(
        delimiter="\t", quote_char=False, double_quote=False, escape_char=False, invalid_row_handler=invalid
    )
    try:
        # check_utf8 off: parse_batch has already checked (or re-encoded) every file with a byte
        # above 0x7F, and ASCII is UTF-8 (pyarrow's own check: 0.85 against 0.75 s CPU on 1.7 million rows)
        convert = pa_csv.ConvertOptions(
            column_types=_TYPES, include_columns=_USED, strings_can_be_null=False, quoted_strings_can_be_null=False,
            check_utf8=False,
        )
        return pa_csv.read_csv(pa.py_buffer(buffer), read_options=read, parse_options=parse, convert_options=convert)
    except pa.ArrowInvalid as exc:
        forget()
        if "UTF8" in str(exc):
            raise _NotUtf8 from None
    # A value that is not a number somewhere: read everything as text, then convert leniently.
    as_text = {name: pa.string() for name in COLUMNS}
    convert = pa_csv.ConvertOptions(column_types=as_text, include_columns=_USED, strings_can_be_null=False)
    table = pa_csv.read_csv(pa.py_buffer(buffer), read_options=read, parse_options=parse, convert_options=convert)
    columns = {}
    bad = np.zeros(table.num_rows, dtype=bool)
    for name in ("PARTICIPANT_ID", "TEST_SECTION_ID", "PRESS_TIME", "RELEASE_TIME", "KEYCODE"):
        text = pc.utf8_trim_whitespace(table.column(name))
        number = pc.cast(pc.if_else(pc.match_substring_regex(text, r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$"),
                                    text, None), pa.float64())
        values = number.to_numpy(zero_copy_only=False)
        if name == "KEYCODE":
            columns[name] = np.nan_to_num(values, nan=-1.0)
        else:
            bad |= np.isnan(values)
            columns[name] = values
    if bad.any():
        count = int(bad.sum())
        report.malformed_rows += count
        for i in np.flatnonzero(bad)[: max(0, 10 - len(report.malformed_examples))]:
            line = "\t".join(str(table.column(n)[int(i)]) for n in ("PARTICIPANT_ID", "TEST_SECTION_ID"))
            where = find(line)
            report.malformed_examples.append(f"{names(where)}: a row with a time or id that is not a number")
    keep = pa.array(~bad)
    return pa.table(
        {
            "PARTICIPANT_ID": pa.array(columns["PARTICIPANT_ID"]).cast(pa.int64(), safe=False).filter(keep),
            "TEST_SECTION_ID": pa.array(columns["TEST_SECTION_ID"]).cast(pa.int64(), safe=False).filter(keep),
            "SENTENCE": table.column("SENTENCE").filter(keep),
            "USER_INPUT": table.column("USER_INPUT").filter(keep),
            "PRESS_TIME": pa.array(columns["PRESS_TIME"]).filter(keep),
            "RELEASE_TIME": pa.array(columns["RELEASE_TIME"]).filter(keep),
            "LETTER": table.column("LETTER").filter(keep),
            "KEYCODE": pa.array(columns["KEYCODE"]).filter(keep),
        }
    )


def _classify(letter: str) -> tuple[int, int]:
    """What one LETTER value is: (key or code point, how the row's KEYCODE changes it)."""
    if letter == "":
        return K.KEY_UNKNOWN, _BY_KEYCODE
    if len(letter) == 1:
        code = ord(letter)
        if letter == "\x08":
            return K.KEY_BACKSPACE, _FIXED
        if letter == "\x7f":
            return K.KEY_DELETE, _FIXED
        if letter == "\t":
            return K.KEY_TAB, _FIXED
        if letter in "\r\n":
            return K.KEY_ENTER, _FIXED
        if letter == "\x1b":
            return K.KEY_OTHER, _FIXED
        if 1 <= code <= 26:
            return ord("a") + code - 1, _CTRL_CHORD
        if code < 32:
            return K.KEY_UNKNOWN, _FIXED
        return code, (_MAYBE_NAV if letter in _NAV_LOOKALIKES else _FIXED)
    return KEY_NAMES.get(letter, K.KEY_UNKNOWN), _FIXED


_ASCII_CLASSES = [_classify(chr(c)) for c in range(128)]
_ASCII_BASE = np.array([b for b, _ in _ASCII_CLASSES], dtype=np.int32)
_ASCII_HOW = np.array([h for _, h in _ASCII_CLASSES], dtype=np.int8)


def _classes_of(
    letters: list[str], counts: np.ndarray, unknown: collections.Counter[str] | None
) -> tuple[np.ndarray, np.ndarray]:
    """(base, how) per distinct LETTER value; unknown names counted with their row counts."""
    base = np.empty(len(letters), dtype=np.int32)
    how = np.zeros(len(letters), dtype=np.int8)
    for i, letter in enumerate(letters):
        base[i], how[i] = _classify(letter)
        if unknown is not None and len(letter) > 1 and letter not in KEY_NAMES:
            unknown[letter] += int(counts[i])
    return base, how


def _letter_classes(
    column: pa.ChunkedArray, unknown: collections.Counter[str] | None
) -> tuple[np.ndarray, np.ndarray]:
    """(base, how) per row of the LETTER column (strings), without hashing most rows.

    A one-byte ASCII value (most rows: the typed character) is read straight from the
    string array's bytes; the rest (key names, empty values, other characters) are
    dictionary-encoded and classified once per distinct value.
    """
    bases: list[np.ndarray] = []
    hows: list[np.ndarray] = []
    for chunk in column.chunks:
        n = len(chunk)
        if n == 0:
            continue
        if chunk.null_count:
            chunk = pc.fill_null(chunk, "")
        _, offsets_buf, data_buf = chunk.buffers()
        offsets = np.frombuffer(offsets_buf, dtype=np.int32, count=n + 1, offset=chunk.offset * 4)
        data = np.zeros(1, dtype=np.uint8)
        if data_buf is not None and data_buf.size:
            data = np.frombuffer(data_buf, dtype=np.uint8)
        first = data[np.minimum(offsets[:-1], len(data) - 1)]
        one = (np.diff(offsets) == 1) & (first < 0x80)
        base = _ASCII_BASE[first & 0x7F]
        how = _ASCII_HOW[first & 0x7F]
        rest = np.flatnonzero(~one)
        if rest.size:
            encoded = chunk.take(pa.array(rest)).dictionary_encode()
            index = encoded.indices.to_numpy(zero_copy_only=False)
            counts = np.bincount(index, minlength=len(encoded.dictionary))
            rest_base, rest_how = _classes_of(encoded.dictionary.to_pylist(), counts, unknown)
            base[rest] = rest_base[index]
            how[rest] = rest_how[index]
        bases.append(base)
        hows.append(how)
    if not bases:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int8)
    return np.concatenate(bases), np.concatenate(hows)


def decode_keys(
    letters: list[str],
    letter_index: np.ndarray,
    keycode: np.ndarray,
    press_ms: np.ndarray,
    release_ms: np.ndarray,
    starts: np.ndarray,
    unknown: collections.Counter[str] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The engine's ``key`` (int32) and ``mods`` (uint8) for each row, from LETTER and KEYCODE.

    ``letters`` are LETTER's distinct values, ``letter_index`` each row's index into them.
    Classified once per distinct value, then applied to all rows with numpy.
    """
    counts = np.bincount(letter_index, minlength=len(letters)) if len(letters) else np.zeros(0, dtype=np.int64)
    base, how = _classes_of(letters, counts, unknown)
    n = len(letter_index)
    key = base[letter_index] if n else np.zeros(0, dtype=np.int32)
    row_how = how[letter_index] if n else np.zeros(0, dtype=np.int8)
    return _resolve(key, row_how, keycode, press_ms, release_ms, starts, unknown)


def _resolve(
    key: np.ndarray,
    row_how: np.ndarray,
    keycode: np.ndarray,
    press_ms: np.ndarray,
    release_ms: np.ndarray,
    starts: np.ndarray,
    unknown: collections.Counter[str] | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Apply KEYCODE where LETTER needs it, then the modifiers held: (key, mods)."""
    n = len(key)

    def codes(rows: np.ndarray) -> np.ndarray:
        c = np.nan_to_num(np.asarray(keycode, dtype=np.float64)[rows], nan=0.0)
        return np.where((c >= 0) & (c < _TABLE_SIZE), c, 0).astype(np.int64)

    nav = np.flatnonzero(row_how == _MAYBE_NAV)
    if nav.size:
        nav_code = codes(nav)
        lookalike = nav_code == key[nav]  # '%' with keyCode 37 is the left arrow, not '%'
        key[nav[lookalike]] = _PLAIN[nav_code[lookalike]]
    by_code = np.flatnonzero(row_how == _BY_KEYCODE)
    code = codes(by_code)
    if by_code.size:
        key[by_code] = _PLAIN[code]
        if unknown is not None:
            missing = key[by_code] == K.KEY_UNKNOWN
            for c, count in zip(*np.unique(code[missing], return_counts=True), strict=True):
                unknown[f"keyCode {int(c)}"] += int(count)
    group = K.sentence_index(starts, n)
    shift_rows = (key <= K.KEY_LEFT) & (key >= K.KEY_END)  # Shift+arrow selects
    shift_rows[by_code] = True
    mods = K.held_modifiers(key, press_ms, release_ms, starts, shift_rows=shift_rows, group=group)
    if by_code.size:
        # the case of a key logged without its character: Shift held, Caps Lock toggled
        shift = (mods[by_code] & K.MOD_SHIFT) != 0
        caps = key == K.KEY_CAPS_LOCK
        if caps.any():
            before = np.cumsum(caps) - caps
            caps_on = ((before - before[starts][group]) % 2).astype(bool)
            shift ^= caps_on[by_code] & _IS_LETTER_CODE[code]
        key[by_code] = np.where(shift, _SHIFTED[code], key[by_code])
    chord = row_how == _CTRL_CHORD
    if chord.any():
        mods[chord] |= K.MOD_CTRL
    return key, mods


def _to_presses(table: pa.Table, report: ReadReport) -> K.KeyPresses:
    """Arrays for the engine from a parsed table of whole files."""
    # an empty id or time cell arrives as null (or a literal NaN): such a row is malformed
    valid = None
    for name in ("PARTICIPANT_ID", "TEST_SECTION_ID", "PRESS_TIME", "RELEASE_TIME"):
        column = table.column(name)
        ok = pc.is_valid(column) if column.null_count else None
        if pa.types.is_floating(column.type):
            finite = pc.is_finite(column)
            ok = finite if ok is None else pc.and_(ok, finite)
        if ok is not None:
            ok = pc.fill_null(ok, False)  # is_finite(null) is null: a missing value is no value
            if not pc.all(ok).as_py():
                valid = ok if valid is None else pc.and_(valid, ok)
    if valid is not None:
        report.malformed_rows += table.num_rows - int(pc.sum(valid).as_py() or 0)
        table = table.filter(valid)
    pid = table.column("PARTICIPANT_ID").to_numpy()
    sec = table.column("TEST_SECTION_ID").to_numpy()
    press = table.column("PRESS_TIME").to_numpy()
    release = table.column("RELEASE_TIME").to_numpy()
    keycode = table.column("KEYCODE").to_numpy()
    key, row_how = _letter_classes(table.column("LETTER"), report.unknown_keys)
    n = table.num_rows
    order: np.ndarray | None = None
    change = np.flatnonzero((pid[1:] != pid[:-1]) | (sec[1:] != sec[:-1])) + 1
    starts = np.r_[0, change].astype(np.int64) if n else np.zeros(0, dtype=np.int64)
    if n > 1:
        back = np.diff(press) < 0
        back[change - 1] = False
        if back.any():
            group = K.sentence_index(starts, n)
            report.resorted_sentences += len(np.unique(group[1:][back]))
            resort = np.lexsort((press, group))
            pid, sec, press, release, keycode, key, row_how = (
                a[resort] for a in (pid, sec, press, release, keycode, key, row_how)
            )
            order = resort if order is None else order[resort]
    key, mods = _resolve(key, row_how, keycode, press, release, starts, report.unknown_keys)
    rows_of_first = starts if order is None else order[starts]
    take = pa.array(rows_of_first)
    presented = table.column("SENTENCE").take(take).to_pylist()
    transcribed = table.column("USER_INPUT").take(take).to_pylist()
    report.rows += n
    report.sentences += len(starts)
    return K.KeyPresses(
        key=key,
        press_ms=press,
        release_ms=release,
        starts=starts,
        participant_id=pid[starts],
        sentence_id=sec[starts],
        presented=presented,
        transcribed=transcribed,
        mods=mods,
    )


@dataclass
class RawBatch:
    """Whole files read into a buffer, their header lines blanked: ``data`` is the rows.

    ``data`` is a view of a buffer that ``iter_raw_batches`` reuses: parse the batch before
    asking for as many further batches as there are buffers.
    """

    data: memoryview
    starts: list[int]  # where each file begins in ``data``
    paths: list[Path]

    def file_at(self, where: int) -> str:
        """The file holding byte ``where`` of the batch (for messages)."""
        if where < 0 or not self.paths:
            return "a file of this batch"
        return str(self.paths[max(0, int(np.searchsorted(self.starts, where, side="right")) - 1)])


def iter_raw_batches(
    files: Iterable[Path],
    report: ReadReport,
    *,
    batch_bytes: int = 64 << 20,
    buffers: int = 1,
    skip_bad_files: bool = False,
    progress: Callable[[int], object] | None = None,
    ring: list[bytearray] | None = None,
) -> Iterator[RawBatch]:
    """Read files into batches of about ``batch_bytes`` (whole files: no sentence spans two).

    Files are read straight into ``buffers`` reused buffers in turn, their header lines
    blanked (the parser skips empty lines). Bad files raise ``UserError`` or, with
    ``skip_bad_files``, are listed in the report. ``progress(n)`` gets each file's bytes.
    ``ring``: buffers to reuse across calls (grown in place); a fresh buffer's pages cost a
    page fault each on first touch, about a third of the reading time.
    """
    if ring is None:
        ring = [bytearray(0) for _ in range(max(1, buffers))]
    turn = 0
    buffer = ring[0]
    view = memoryview(buffer)
    used = 0
    starts: list[int] = []
    paths: list[Path] = []

    def take() -> RawBatch:
        nonlocal used, starts, paths, turn, buffer, view
        batch = RawBatch(view[:used], starts, paths)
        starts, paths, used = [], [], 0
        turn = (turn + 1) % len(ring)
        buffer = ring[turn]
        view = memoryview(buffer)
        return batch

    for path in files:
        problem: str | None = None
        try:
            with open(path, "rb") as fh:
                size = os.fstat(fh.fileno()).st_size
                if used and used + size + 1 > len(buffer):
                    yield take()
                if size + 1 > len(buffer):
                    buffer = ring[turn] = bytearray(max(size + 1, batch_bytes + 4096))
                    view = memoryview(buffer)
                got = fh.readinto(view[used : used + size])
        except FileNotFoundError:
            problem = "file not found"
        except OSError as exc:
            problem = f"cannot read: {exc.strerror or exc}"
        if problem is None:
            head = bytes(view[used : used + min(got, 4096)])
            header_len, problem = _check(head, got)
        if problem is not None:
            if not skip_bad_files:
                raise UserError(f"{path}: {problem} (or pass --skip-bad-files)")
            report.skipped_files.append(f"{path}: {problem}")
            continue
        view[used : used + header_len] = b"\n" * header_len  # the header becomes empty lines
        end = used + got
        if view[end - 1] != 0x0A:
            view[end] = 0x0A
            end += 1
        starts.append(used)
        paths.append(path)
        used = end
        report.files += 1
        report.bytes_read += got
        if progress is not None:
            progress(got)
        if used >= batch_bytes:
            yield take()
    if used:
        yield take()


def parse_batch(raw: RawBatch, *, threads: bool = True) -> tuple[K.KeyPresses, ReadReport]:
    """Parse and decode one batch: its key presses and what reading it found (a report of its
    own, so that batches can be parsed in parallel; ``ReadReport.merge`` adds it up).
    ``threads``: let pyarrow parse with several threads (off when batches run in parallel)."""
    report = ReadReport()
    data: bytes | memoryview = raw.data
    if np.frombuffer(data, dtype=np.uint8).max(initial=0) >= 0x80:
        # Some non-ASCII bytes: files that are not UTF-8 are re-read as Windows-1252 first
        # (pyarrow cannot even report a malformed row whose bytes are not UTF-8).
        data = _utf8(data, raw.starts, raw.paths, report)
    try:
        table = _parse(data, report, raw.file_at, threads=threads)
    except _NotUtf8:  # cannot happen after _utf8; kept as a guard
        data = _utf8(data, raw.starts, raw.paths, report)
        table = _parse(data, report, raw.file_at, threads=threads)
    except pa.ArrowInvalid:
        table = _parse_file_by_file(data, raw, report, threads)
    return _to_presses(table, report), report


def _parse_file_by_file(data: bytes | memoryview, raw: RawBatch, report: ReadReport, threads: bool) -> pa.Table:
    """Last resort when a batch will not parse: each file alone; a file that still fails is
    skipped whole and listed (its rows counted as malformed)."""
    tables = []
    bounds = [*raw.starts, len(data)]
    for i, path in enumerate(raw.paths):
        piece = data[bounds[i] : bounds[i + 1]]
        try:
            tables.append(_parse(piece, report, lambda _where, p=path: str(p), threads=threads))
        except (pa.ArrowInvalid, _NotUtf8) as exc:
            report.malformed_rows += sum(1 for line in bytes(piece).split(b"\n") if line.strip())
            report.skipped_files.append(f"{path}: could not be parsed ({str(exc).splitlines()[0][:80]})")
    if not tables:
        return pa.table({name: pa.array([], type=_TYPES[name]) for name in _USED})
    return pa.concat_tables(tables, promote_options="permissive")


def iter_batches(
    files: Iterable[Path],
    report: ReadReport,
    *,
    batch_bytes: int = 64 << 20,
    skip_bad_files: bool = False,
    progress: Callable[[int], object] | None = None,
) -> Iterator[K.KeyPresses]:
    """Read files in batches of about ``batch_bytes``; yield each batch's key presses, in order."""
    for raw in iter_raw_batches(
        files, report, batch_bytes=batch_bytes, skip_bad_files=skip_bad_files, progress=progress
    ):
        presses, found = parse_batch(raw)
        report.merge(found)
        yield presses


def _utf8(
    data: bytes | memoryview, starts: list[int], paths: list[Path], report: ReadReport
) -> bytes | memoryview:
    """The batch with every file that is not UTF-8 re-read as Windows-1252 (rare: a copy)."""
    pieces: list[bytes | memoryview] = []
    changed = False
    offset = 0
    bounds = [*starts, len(data)]
    for i in range(len(starts)):
        piece: bytes | memoryview = data[bounds[i] : bounds[i + 1]]
        if np.frombuffer(piece, dtype=np.uint8).max(initial=0) >= 0x80:
            fixed = _transcode(bytes(piece))
            if fixed is not None:
                report.windows_1252_files.append(str(paths[i]))
                piece = fixed
                changed = True
        starts[i] = offset  # file offsets stay true for messages
        offset += len(piece)
        pieces.append(piece)
    return b"".join(pieces) if changed else data


def _empty_presses() -> K.KeyPresses:
    return K.KeyPresses(
        key=np.zeros(0, dtype=np.int32),
        press_ms=np.zeros(0),
        release_ms=np.zeros(0),
        starts=np.zeros(0, dtype=np.int64),
        participant_id=np.zeros(0, dtype=np.int64),
        sentence_id=np.zeros(0, dtype=np.int64),
        presented=[],
        transcribed=[],
        mods=np.zeros(0, dtype=np.uint8),
    )


def read_files(
    paths: Iterable[str | os.PathLike[str]], *, skip_bad_files: bool = False
) -> tuple[K.KeyPresses, ReadReport]:
    """Read whole files (or folders) into one ``KeyPresses`` and the report (small corpora)."""
    report = ReadReport()
    files = find_files(paths)
    total = sum(f.stat().st_size + 1 for f in files if f.is_file())
    batches = list(iter_batches(files, report, batch_bytes=total + 1, skip_bad_files=skip_bad_files))
    return (batches[0] if batches else _empty_presses()), report
