"""Candidate ids are data, never paths (issue 19, item 1): the one rule, its echo, and the deletes
of the audio cache, ``audio render --force`` and the corpus table writer, which refuse a target
outside the folder that owns it. (The store's refusal on SQLite and PostgreSQL is in
``tests/store/test_store_ids_errors.py``: it needs the store fixtures.)"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from typingtest.cli import main
from typingtest.errors import UserError
from typingtest.ids import candidate_filename, check_candidate_id, inside, is_valid_candidate_id

REFUSED = ["..", ".", "a/b", "../reports", "a\\b", "C:x", " a", "x" * 65, ".a", "a.", "a..b", "", "a b", "é"]


@pytest.mark.parametrize("cid", REFUSED)
def test_an_id_that_could_name_a_path_is_refused(cid: str) -> None:
    assert not is_valid_candidate_id(cid)


@pytest.mark.parametrize("cid", ["a.b", "CON", "C-001", "x" * 64, "a_b-c.d"])
def test_ids_by_the_rule_are_accepted(cid: str) -> None:
    assert is_valid_candidate_id(cid)


def test_check_strips_spaces_around_but_the_intake_rule_has_no_room_for_them() -> None:
    # check_candidate_id strips what a form adds around the id; the rule itself never holds a space
    assert check_candidate_id("  C-1 ") == "C-1"
    with pytest.raises(UserError, match="candidate id"):
        check_candidate_id("C 1")


def test_a_windows_device_name_gets_a_safe_file_name() -> None:
    assert candidate_filename("CON") == "_CON" and candidate_filename("nul.txt") == "_nul.txt"
    assert candidate_filename("a.b") == "a.b"
    # an id breaking the rule (a legacy store) never becomes a path: a digest instead
    assert candidate_filename("..") == "id-" + __import__("hashlib").sha256(b"..").hexdigest()[:16]


def test_a_10000_character_id_is_echoed_cut_to_40_characters() -> None:
    with pytest.raises(UserError) as info:
        check_candidate_id("A" * 9_999 + "/")
    message = str(info.value)
    quoted = message.split("candidate id ", 1)[1].split(":", 1)[0]
    assert len(quoted) <= 40 and quoted.endswith("…")
    assert len(message) < 200 and "\n" not in message


def test_run_refuses_a_candidate_id_that_is_a_path_before_opening_anything(
        results_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import typingtest.workstation.runner as runner

    def no_window(*a: object, **k: object) -> None:
        raise AssertionError("the window was opened before the candidate id was checked")

    monkeypatch.setattr(runner, "open_app", no_window)
    assert main(["run", "--task", "copy-typing", "--candidate", "../reports"]) == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if "error" in line]
    assert len(errors) == 1 and errors[0].startswith("typingtest: error: --candidate '../reports': use 1-64")


# ---- every delete goes through ids.inside --------------------------------------------------


def test_inside_refuses_the_folder_itself_its_parent_and_a_link_out(tmp_path: Path) -> None:
    root = tmp_path / "owner"
    root.mkdir()
    (tmp_path / "outside.txt").write_text("keep")
    (root / "link.txt").symlink_to(tmp_path / "outside.txt")
    for target in (root, root / "..", tmp_path / "outside.txt", root / "link.txt", Path("..")):
        with pytest.raises(UserError, match="refused: not strictly inside"):
            inside(root, target)
    assert inside(root, root / "a.flac") == (root / "a.flac").resolve()


def test_inside_reads_relative_paths_from_the_working_folder(tmp_path: Path, monkeypatch) -> None:
    """The default results folder is the relative ``results``: ``inside("results/journal",
    "results/journal/x.ttj")`` must name that file, not ``results/journal/results/journal/x.ttj``
    (a wrong path there made a delete silently miss its file)."""
    (tmp_path / "results" / "journal").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    got = inside(Path("results/journal"), Path("results/journal/x.ttj"))
    assert got == tmp_path.resolve() / "results" / "journal" / "x.ttj"
    with pytest.raises(UserError, match="refused: not strictly inside"):
        inside(Path("results/journal"), Path("results/other.ttj"))


def test_audio_cache_prune_never_deletes_through_a_link_out_of_the_cache(tmp_path: Path) -> None:
    from typingtest.audio.render import AudioCache

    cache = tmp_path / "cache"
    cache.mkdir()
    victim = tmp_path / "results.flac"  # a file the cache does not own
    victim.write_bytes(b"keep")
    (cache / ("a" * 64 + ".flac")).write_bytes(b"x")
    (cache / ("b" * 64 + ".flac")).symlink_to(victim)
    assert AudioCache(cache).prune(None) == 1  # the cache's own file only
    assert victim.read_bytes() == b"keep"
    assert sorted(p.name for p in cache.iterdir()) == ["b" * 64 + ".flac"]  # the link is refused, left


def test_audio_render_force_refuses_a_cache_entry_that_links_out(
        tmp_path: Path, results_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from typingtest.audio.battery import collect_lines
    from typingtest.audio.render import cache_key
    from typingtest.config import PASSAGES_DIR

    first = next(bl for bl in collect_lines("nl-trans-01", PASSAGES_DIR) if not bl.per_candidate)
    cache = tmp_path / "cache"
    cache.mkdir()
    victim = tmp_path / "signing.key"
    victim.write_bytes(b"secret")
    (cache / f"{cache_key(first.spec)}.flac").symlink_to(victim)
    assert main(["audio", "render", "nl-trans-01", "--cache", str(cache), "--force"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "refused: not strictly inside" in err
    assert victim.read_bytes() == b"secret"


def test_corpus_table_writer_refuses_a_part_file_that_links_out(tmp_path: Path) -> None:
    from typingtest.engine.corpus_commands import write_table

    out_dir = tmp_path / "out"
    out_dir.mkdir()
    victim = tmp_path / "typingtest.sqlite"
    victim.write_bytes(b"database")
    (out_dir / "scores.csv.part").symlink_to(victim)
    with pytest.raises(UserError, match="refused: not strictly inside"):
        write_table(pd.DataFrame({"wpm": [40.0]}), out_dir / "scores.csv")
    assert victim.read_bytes() == b"database"
    assert not (out_dir / "scores.csv").exists()
    write_table(pd.DataFrame({"wpm": [40.0]}), out_dir / "other.csv")  # an ordinary write still works
    assert (out_dir / "other.csv").read_text().splitlines() == ['"wpm"', "40"]
    assert sorted(os.listdir(out_dir)) == ["other.csv", "scores.csv.part"]
