"""``typingtest audio say`` and ``typingtest audio render``."""

from __future__ import annotations

import numpy as np
import soundfile

from typingtest.cli import main

ITEM = '''
id = "nl-trans-99"
kind = "transcription"
language = "nl"
title = "test"
voice = "nl-caller-2"

[[lines]]
id = "l1"
text = "Goedemiddag, met [spell:Jan]."

[[lines]]
id = "l2"
text = "Mijn nummer is [digits:31754059]."
'''


def test_say_writes_a_wav(tmp_path, capsys):
    out = tmp_path / "line.wav"
    assert main(["audio", "say", "Hallo, met [spell:An].", "--voice", "nl-caller-1", "--out", str(out), "--show"]) == 0
    printed = capsys.readouterr().out
    assert "Hallo, met; A, N." in printed
    data, rate = soundfile.read(str(out))
    assert rate == 16000 and 1.0 < len(data) / rate < 5.0 and np.max(np.abs(data)) > 0.1


def test_render_fills_the_cache(tmp_path, capsys, results_dir):
    item = tmp_path / "nl-trans-99.toml"
    item.write_text(ITEM, encoding="utf-8")
    cache = tmp_path / "cache"
    assert main(["audio", "render", str(item), "--cache", str(cache)]) == 0
    out = capsys.readouterr().out
    assert "2 lines" in out and "2 rendered, 0 already cached" in out
    assert len(list(cache.glob("*.flac"))) == 2
    assert main(["audio", "render", str(item), "--cache", str(cache)]) == 0
    assert "0 rendered, 2 already cached" in capsys.readouterr().out


def test_render_leaves_per_candidate_lines_for_the_session(tmp_path, capsys, results_dir):
    # nl-entry-01 (shipped) draws its caller's data per candidate: lines with {placeholders} wait
    from typingtest.audio.battery import collect_lines
    from typingtest.config import PASSAGES_DIR

    lines = collect_lines("nl-entry-01", PASSAGES_DIR)
    per_candidate = sum(bl.per_candidate for bl in lines)
    assert per_candidate >= 1
    assert main(["audio", "render", "nl-entry-01", "--cache", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"{per_candidate} lines with per-candidate data are rendered when the session starts" in out
    assert len(list(tmp_path.glob("*.flac"))) == len(lines) - per_candidate


def test_render_unknown_target_is_one_line(tmp_path, capsys, results_dir):
    assert main(["audio", "render", "no-such-battery", "--cache", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no-such-battery" in err


def test_cache_prune_and_clear(tmp_path, capsys):
    import os
    import time

    for name, age_days in (("a" * 64, 40), ("b" * 64, 1)):
        f = tmp_path / f"{name}.flac"
        f.write_bytes(b"x" * 1000)
        old = time.time() - age_days * 86_400
        os.utime(f, (old, old))
    assert main(["audio", "cache", "--cache", str(tmp_path), "--prune-days", "30"]) == 0
    out = capsys.readouterr().out
    assert "1 lines deleted" in out and "1 lines, 0.0 MB" in out
    assert [f.name for f in tmp_path.glob("*.flac")] == ["b" * 64 + ".flac"]
    assert main(["audio", "cache", "--cache", str(tmp_path), "--clear"]) == 0
    assert "0 lines, 0.0 MB" in capsys.readouterr().out
