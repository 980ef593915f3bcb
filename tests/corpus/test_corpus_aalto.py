"""The 136M Keystrokes reader (typingtest.formats.aalto) and ``typingtest corpus score``.

Files are written by hand in tmp_path, in the study's format, with the quirks seen in the
real data: key names, empty LETTER with only a keyCode, ``\\x08`` for backspace, ``%`` with
keyCode 37 for the left arrow, malformed rows, Windows-1252 bytes, rows out of order.
"""

from __future__ import annotations

import collections
import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from typingtest.cli import main
from typingtest.engine import corpus as K
from typingtest.formats import aalto

HEADER = "\t".join(aalto.COLUMNS)


def row(pid: int, sid: int, P: str, T: str, kid: int, press: int, release: int, letter: str, keycode: int) -> str:
    return "\t".join(str(v) for v in (pid, sid, P, T, kid, press, release, letter, keycode))


def sentence_rows(pid: int, sid: int, P: str, T: str, keys: list[tuple[str, int]], t0: int = 1_471_934_383_000,
                  step: int = 200, hold: int = 90) -> list[str]:
    return [row(pid, sid, P, T, 1000 * sid + i, t0 + step * i, t0 + step * i + hold, letter, code)
            for i, (letter, code) in enumerate(keys)]


def typed(text: str) -> list[tuple[str, int]]:
    return [(ch, ord(ch.upper()) if ch.isalpha() else 32) for ch in text]


def write(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join([HEADER, *lines]) + "\n").encode(encoding))
    return path


def test_a_plain_file_is_read_and_scored(tmp_path: Path) -> None:
    """Hand count: "Hi there" typed with SHIFT first and one corrected typo."""
    keys = [("SHIFT", 16), ("H", 72), *typed("i thx"), ("BKSP", 8), *typed("ere")]
    f = write(tmp_path / "5_keystrokes.txt", sentence_rows(5, 7, "Hi there", "Hi there", keys))
    kp, report = aalto.read_files([f])
    assert (report.files, report.sentences, report.rows, report.malformed_rows) == (1, 1, 11, 0)
    frame = K.score_sentences(kp)
    r = frame.iloc[0]
    assert (r["participant_id"], r["sentence_id"], r["keystrokes"], r["transcribed_chars"]) == (5, 7, 11, 8)
    assert bool(r["replays_exactly"])
    assert (r["f"], r["if"], r["msd"]) == (1, 1, 0)
    assert r["seconds"] == pytest.approx(10 * 0.2)  # 11 presses 200 ms apart
    assert r["kspc"] == pytest.approx(11 / 8)


def test_empty_letter_is_read_from_its_keycode_with_shift_and_caps_lock(tmp_path: Path) -> None:
    """A browser that logged only key codes: case from SHIFT held, Caps Lock toggles letters only."""
    t0 = 1_000_000
    lines = [
        row(9, 1, "A.b?", "A.b?", 1, t0, t0 + 300, "", 16),  # SHIFT held over the next key
        row(9, 1, "A.b?", "A.b?", 2, t0 + 100, t0 + 200, "", 65),  # -> "A"
        row(9, 1, "A.b?", "A.b?", 3, t0 + 400, t0 + 450, "", 190),  # -> "."
        row(9, 1, "A.b?", "A.b?", 4, t0 + 500, t0 + 550, "", 20),  # CAPS LOCK on
        row(9, 1, "A.b?", "A.b?", 5, t0 + 600, t0 + 650, "", 20),  # ... and off
        row(9, 1, "A.b?", "A.b?", 6, t0 + 700, t0 + 750, "", 66),  # -> "b"
        row(9, 1, "A.b?", "A.b?", 7, t0 + 800, t0 + 1000, "", 16),  # SHIFT
        row(9, 1, "A.b?", "A.b?", 8, t0 + 900, t0 + 950, "", 191),  # -> "?"
    ]
    kp, _ = aalto.read_files([write(tmp_path / "9_keystrokes.txt", lines)])
    chars = "".join(chr(k) for k in kp.key if k >= 0)
    assert chars == "A.b?"
    assert bool(K.score_sentences(kp).iloc[0]["replays_exactly"])


def test_keycodes_written_as_characters_are_keys(tmp_path: Path) -> None:
    """'\\x08' is backspace; '%' with keyCode 37 is the left arrow, '%' with keyCode 53 a '%'."""
    keys = [("a", 65), ("c", 67), ("%", 37), ("b", 66), ("'", 39), ("\x08", 8), ("%", 53)]
    # a c LEFT b RIGHT BKSP % -> "ab" + "%" ("abc" then the c removed)
    kp, _ = aalto.read_files([write(tmp_path / "3_keystrokes.txt", sentence_rows(3, 1, "ab%", "ab%", keys))])
    assert kp.key.tolist() == [97, 99, K.KEY_LEFT, 98, K.KEY_RIGHT, K.KEY_BACKSPACE, ord("%")]
    r = K.score_sentences(kp).iloc[0]
    assert bool(r["replays_exactly"]) and bool(r["used_cursor"])
    assert (r["f"], r["if"]) == (3, 1)


def test_key_names_numpad_and_control_characters() -> None:
    """Named keys by the table; NUM_4 types "4"; "\\x01" is Ctrl+A; unknown names are counted."""
    letters = ["NUM_4", "ARw_DOWN", "\x01", "FOO", "CAPS_LOCK", "a"]
    idx = np.arange(6, dtype=np.int32)
    unknown: collections.Counter[str] = collections.Counter()
    key, mods = aalto.decode_keys(
        letters, idx, np.array([100, 40, 65, 0, 20, 65.0]), np.arange(6) * 100.0, np.arange(6) * 100.0 + 50,
        np.array([0]), unknown,
    )
    assert key.tolist() == [ord("4"), K.KEY_DOWN, ord("a"), K.KEY_UNKNOWN, K.KEY_CAPS_LOCK, ord("a")]
    assert mods.tolist() == [0, 0, K.MOD_CTRL, 0, 0, 0]
    assert unknown == {"FOO": 1}


def test_malformed_rows_are_counted_and_skipped_never_fatal(tmp_path: Path) -> None:
    good = sentence_rows(4, 2, "ab", "ab", typed("ab"))
    lines = [
        good[0],
        "4\t2\tab\tab\t99\t1471934383100",  # too few columns
        good[1],
        row(4, 2, "ab", "ab", 100, 1471934383500, 1471934383600, "x", 88) + "\textra",  # too many
    ]
    f = write(tmp_path / "4_keystrokes.txt", lines)
    kp, report = aalto.read_files([f])
    assert report.malformed_rows == 2
    assert str(f) in report.malformed_examples[0]
    assert report.rows == 2 and kp.key.tolist() == [97, 98]
    assert bool(K.score_sentences(kp).iloc[0]["replays_exactly"])


def test_a_time_that_is_not_a_number_drops_only_that_row(tmp_path: Path) -> None:
    lines = sentence_rows(4, 2, "abc", "abc", typed("abc"))
    parts = lines[1].split("\t")
    parts[5] = "soon"
    lines[1] = "\t".join(parts)
    kp, report = aalto.read_files([write(tmp_path / "4_keystrokes.txt", lines)])
    assert report.malformed_rows == 1 and report.rows == 2
    assert "".join(chr(k) for k in kp.key) == "ac"


def test_malformed_rows_are_counted_over_batches_and_rereadings(tmp_path: Path) -> None:
    """Three files, one batch each: a short row in each, and a bad time in the second (which
    makes its batch be read a second time leniently): 4 malformed rows in all."""
    for pid in (1, 2, 3):
        lines = sentence_rows(pid, 1, "ab", "ab", typed("ab"))
        lines.insert(1, f"{pid}\t1\tab\tab")
        if pid == 2:
            parts = lines[2].split("\t")
            parts[6] = "later"
            lines[2] = "\t".join(parts)
        write(tmp_path / f"{pid}_keystrokes.txt", lines)
    report = aalto.ReadReport()
    batches = list(aalto.iter_batches(aalto.find_files([tmp_path]), report, batch_bytes=1))
    assert len(batches) == 3
    assert report.malformed_rows == 4 and report.rows == 5


def test_windows_1252_file_is_read_and_counted(tmp_path: Path) -> None:
    """0xE9 is "é" in Windows-1252 and invalid as UTF-8."""
    f = write(tmp_path / "6_keystrokes.txt", sentence_rows(6, 1, "café", "café", [*typed("caf"), ("é", 0)]),
              encoding="cp1252")
    kp, report = aalto.read_files([f])
    assert report.windows_1252_files == [str(f)]
    assert kp.presented == ["café"] and kp.key[-1] == ord("é")


def test_rows_out_of_press_order_are_sorted(tmp_path: Path) -> None:
    lines = sentence_rows(8, 1, "abc", "abc", typed("abc"))
    lines[0], lines[2] = lines[2], lines[0]
    kp, report = aalto.read_files([write(tmp_path / "8_keystrokes.txt", lines)])
    assert report.resorted_sentences == 1
    assert "".join(chr(k) for k in kp.key) == "abc"
    assert np.all(np.diff(kp.press_ms) > 0)


def test_batches_hold_whole_files_and_agree_with_one_read(tmp_path: Path) -> None:
    for pid in range(1, 6):
        lines = []
        for sid in range(3):
            lines += sentence_rows(pid, 10 * pid + sid, "ok go", "ok go", typed("ok go"), t0=10_000 * sid)
        write(tmp_path / f"{pid}_keystrokes.txt", lines)
    files = aalto.find_files([tmp_path])
    report = aalto.ReadReport()
    batches = list(aalto.iter_batches(files, report, batch_bytes=1))  # one file per batch
    assert len(batches) == 5 and report.sentences == 15
    whole, _ = aalto.read_files([tmp_path])
    assert np.array_equal(np.concatenate([b.key for b in batches]), whole.key)


# ---------------------------------------------------------------- the command


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    return code, capsys.readouterr().err


def test_corpus_score_writes_one_row_per_sentence_or_participant(tmp_path: Path, capsys) -> None:
    lines = sentence_rows(5, 1, "the cat", "the cat", typed("the cat"))
    lines += sentence_rows(5, 2, "a dog", "a dg", typed("a dg"), t0=1_471_934_400_000)
    write(tmp_path / "5_keystrokes.txt", lines)
    out = tmp_path / "s.csv"
    code, err = run(["corpus", "score", str(tmp_path), "--format", "aalto136m", "--out", str(out)], capsys)
    assert code == 0
    assert "2 sentences, 11 key presses" in err and "0 of 2 sentences" in err
    rows = list(csv.DictReader(out.open()))
    assert [r["sentence_id"] for r in rows] == ["1", "2"]
    assert set(K.SENTENCE_COLUMNS) <= set(rows[0])
    # sentence 1: 7 characters in 6 x 200 ms: (7 - 1) / 1.2 s * 12 = 60 WPM
    assert float(rows[0]["wpm"]) == pytest.approx(60.0)
    assert rows[1]["msd_error_rate"] == "0.2"
    out_p = tmp_path / "p.csv"
    code, _ = run(["corpus", "score", str(tmp_path), "--out", str(out_p), "--per", "participant", "--quiet"], capsys)
    (p,) = list(csv.DictReader(out_p.open()))
    assert p["sentences"] == "2"
    # pooled: (6 + 3) characters over 1.2 s + 0.6 s -> 9 / 1.8 * 12 = 60 WPM; MSD 1 over 7 + 5
    assert float(p["wpm"]) == pytest.approx(60.0)
    assert float(p["msd_error_rate"]) == pytest.approx(1 / 12, abs=1e-6)  # the CSV holds 6 decimals


def test_undefined_figures_are_empty_cells(tmp_path: Path, capsys) -> None:
    write(tmp_path / "1_keystrokes.txt", sentence_rows(1, 1, "a", "a", typed("a")))
    out = tmp_path / "s.csv"
    assert run(["corpus", "score", str(tmp_path), "--out", str(out), "--quiet"], capsys)[0] == 0
    (r,) = list(csv.DictReader(out.open()))
    assert r["wpm"] == "" and r["iki_mean_ms"] == "" and r["kspc"] == "1"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "file not found"),
        (b"", "empty file"),
        (HEADER.encode() + b"\n", "a header but no key presses"),
        (b"name,score\nann,3\n", "not a 136M Keystrokes file"),
    ],
)
def test_bad_input_is_one_clear_line_and_a_non_zero_exit(tmp_path: Path, capsys, content, message) -> None:
    f = tmp_path / "7_keystrokes.txt"
    if content is not None:
        f.write_bytes(content)
    code, err = run(["corpus", "score", str(f), "--out", str(tmp_path / "o.csv")], capsys)
    assert code != 0
    assert err.count("\n") == 1 and str(f) in err and message in err
    assert "Traceback" not in err
    assert not (tmp_path / "o.csv").exists()


def test_skip_bad_files_scores_the_rest_and_lists_them(tmp_path: Path, capsys) -> None:
    write(tmp_path / "1_keystrokes.txt", sentence_rows(1, 1, "ab", "ab", typed("ab")))
    (tmp_path / "2_keystrokes.txt").write_bytes(b"")
    out = tmp_path / "o.csv"
    code, err = run(["corpus", "score", str(tmp_path), "--out", str(out), "--skip-bad-files"], capsys)
    assert code == 0 and "1 files skipped" in err and "2_keystrokes.txt: empty file" in err
    assert len(list(csv.DictReader(out.open()))) == 1


def test_a_folder_without_corpus_files_and_a_missing_out_folder(tmp_path: Path, capsys) -> None:
    code, err = run(["corpus", "score", str(tmp_path), "--out", str(tmp_path / "o.csv")], capsys)
    assert code != 0 and "no *_keystrokes.txt files" in err
    write(tmp_path / "1_keystrokes.txt", sentence_rows(1, 1, "ab", "ab", typed("ab")))
    code, err = run(["corpus", "score", str(tmp_path), "--out", str(tmp_path / "no" / "o.csv")], capsys)
    assert code != 0 and "does not exist" in err


def test_progress_bar_and_parquet_output(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run over more files than PROGRESS_FILES goes through the progress-bar path (tqdm hides
    itself where stderr is no terminal, as here) and still writes every row; a .parquet --out
    keeps full precision (1/3 stays 1/3)."""
    from typingtest.engine import corpus_commands

    monkeypatch.setattr(corpus_commands, "PROGRESS_FILES", 1)
    for pid in (1, 2, 3):
        write(tmp_path / f"{pid}_keystrokes.txt", sentence_rows(pid, 1, "abc", "abd", typed("abd")))
    out = tmp_path / "s.parquet"
    code, err = run(["corpus", "score", str(tmp_path), "--out", str(out)], capsys)
    assert code == 0 and "3 files, 3 sentences" in err
    frame = pd.read_parquet(out)
    assert len(frame) == 3 and frame["msd_error_rate"].tolist() == [1 / 3] * 3


def test_corpus_without_a_subcommand_shows_its_help(capsys) -> None:
    assert main(["corpus"]) == 2
    assert "score" in capsys.readouterr().out


def test_a_file_named_twice_is_read_once(tmp_path: Path) -> None:
    f = write(tmp_path / "1_keystrokes.txt", sentence_rows(1, 1, "ab", "ab", typed("ab")))
    write(tmp_path / "2_keystrokes.txt", sentence_rows(2, 1, "ab", "ab", typed("ab")))
    assert [p.name for p in aalto.find_files([f, tmp_path, f])] == ["1_keystrokes.txt", "2_keystrokes.txt"]


def test_a_malformed_row_in_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    """pyarrow cannot even report a short row holding bytes that are not UTF-8: such a file is
    re-read as Windows-1252 first, and the short row is skipped like any other."""
    f = tmp_path / "3_keystrokes.txt"
    text = "\n".join([HEADER, *sentence_rows(3, 1, "ab", "ab", typed("ab"))]) + "\n\xe9\xff\n"
    f.write_bytes(text.encode("latin-1"))
    kp, report = aalto.read_files([f])
    assert report.malformed_rows == 1 and report.windows_1252_files == [str(f)]
    assert kp.key.tolist() == [97, 98]


junk_line = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), max_size=40),
    st.lists(st.sampled_from(["1", "2", "x", "", "1.5e3", "nan", "BKSP", "é"]), min_size=9, max_size=9).map("\t".join),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(junk_line, max_size=12), st.sampled_from(["utf-8", "cp1252"]))
def test_junk_rows_never_stop_a_run(tmp_path_factory: pytest.TempPathFactory, junk: list[str], encoding: str) -> None:
    """Good rows mixed with junk (wrong column counts, words for numbers, NaN, stray bytes):
    reading never raises, and every good row is read."""
    folder = tmp_path_factory.mktemp("junk")
    good = sentence_rows(5, 1, "ab", "ab", typed("ab"))
    lines = [good[0], *junk, good[1]]
    data = ("\n".join([HEADER, *lines]) + "\n").encode(encoding, errors="replace")
    (folder / "5_keystrokes.txt").write_bytes(data)
    kp, report = aalto.read_files([folder])
    assert report.rows + report.malformed_rows >= 2
    assert report.rows >= 2 and np.all(np.isfinite(kp.press_ms))
    assert len(K.score_sentences(kp)) == report.sentences


def test_a_batch_that_will_not_parse_is_read_file_by_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The last resort (forced here: the parser refuses any text holding "BAD"): the good file is
    read, the bad one skipped whole, listed, and its rows counted as malformed."""
    import pyarrow as pa

    write(tmp_path / "1_keystrokes.txt", sentence_rows(1, 1, "ab", "ab", typed("ab")))
    write(tmp_path / "2_keystrokes.txt", sentence_rows(2, 1, "BAD", "BAD", typed("BAD")))
    real = aalto._parse

    def picky(buffer, *args, **kwargs):
        if b"BAD" in bytes(buffer):
            raise pa.ArrowInvalid("CSV parse error: refused")
        return real(buffer, *args, **kwargs)

    monkeypatch.setattr(aalto, "_parse", picky)
    kp, report = aalto.read_files([tmp_path])
    assert kp.participant_id.tolist() == [1] and report.rows == 2
    assert report.malformed_rows == 3  # the three rows of file 2
    assert "2_keystrokes.txt: could not be parsed" in report.skipped_files[0]
