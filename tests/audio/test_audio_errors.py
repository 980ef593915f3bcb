"""Unknown voice, missing or unreadable recorded file: one clear line naming it, never a traceback."""

from __future__ import annotations

import pytest

from typingtest.audio import LineSpec, get_voice, render_line
from typingtest.cli import main
from typingtest.errors import UserError


def test_unknown_voice():
    with pytest.raises(UserError) as err:
        get_voice("nl-caller-5")
    assert str(err.value).startswith("voice 'nl-caller-5': unknown voice; use one of nl-caller-1 ... de-caller-4")
    assert "\n" not in str(err.value)


def test_missing_recorded_file(tmp_path):
    missing = tmp_path / "audio" / "nl-trans-03-l1.wav"
    spec = LineSpec("x", "nl-caller-1", file=missing, source="passages/nl/transcription/nl-trans-03.toml: lines.l1")
    with pytest.raises(UserError) as err:
        render_line(spec)
    assert str(err.value) == (
        f"passages/nl/transcription/nl-trans-03.toml: lines.l1: {missing}: recorded audio file not found; "
        "check the file name"
    )


def test_unreadable_and_wrong_kind_of_file(tmp_path):
    bad = tmp_path / "broken.wav"
    bad.write_bytes(b"RIFF but not really")
    with pytest.raises(UserError, match=r"broken.wav: not a readable WAV/OGG/FLAC file"):
        render_line(LineSpec("x", "nl-caller-1", file=bad))
    mp3 = tmp_path / "line.mp3"
    mp3.write_bytes(b"ID3")
    with pytest.raises(UserError, match=r"line.mp3: recorded audio must be WAV, OGG or FLAC"):
        render_line(LineSpec("x", "nl-caller-1", file=mp3))


def test_cli_unknown_voice_is_one_line(tmp_path, capsys):
    code = main(["audio", "say", "hallo", "--voice", "xx-caller-1", "--out", str(tmp_path / "a.wav")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("typingtest: error: voice 'xx-caller-1': unknown voice")


def test_cli_bad_rate_and_empty_text(tmp_path, capsys):
    out = str(tmp_path / "a.wav")
    assert main(["audio", "say", "hallo", "--voice", "nl-caller-1", "--out", out, "--rate", "20"]) == 2
    assert "--rate: 20 words per minute is outside eSpeak's range" in capsys.readouterr().err
    assert main(["audio", "say", "  ", "--voice", "nl-caller-1", "--out", str(tmp_path / "a.wav")]) == 2
    assert "TEXT: text: empty line" in capsys.readouterr().err
