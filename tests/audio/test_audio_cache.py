"""The cache: same input, same key and same bytes; any change, another key."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import soundfile

from typingtest.audio import AudioCache, Effects, LineSpec, cache_key, render_line
from typingtest.audio.render import RENDER_RATE, encode_flac

SPEC = LineSpec("Mijn klantnummer is [digits:48213377].", "nl-caller-2")


def test_same_input_same_key_and_bytes():
    assert cache_key(SPEC) == cache_key(LineSpec("Mijn klantnummer is [digits:48213377].", "nl-caller-2"))
    a, b = render_line(SPEC), render_line(SPEC)
    assert a.key == b.key == cache_key(SPEC)
    assert encode_flac(a) == encode_flac(b)  # noise included: seeded from the key


def test_every_ingredient_changes_the_key():
    keys = {
        cache_key(SPEC),
        cache_key(replace(SPEC, text="Mijn klantnummer is [digits:48213378].")),
        cache_key(replace(SPEC, voice="nl-caller-3")),
        cache_key(replace(SPEC, rate_wpm=120)),
        cache_key(replace(SPEC, effects=Effects(narrowband=True))),
        cache_key(replace(SPEC, effects=Effects(level_db=-20.0))),
    }
    assert len(keys) == 6
    # the source (where a line came from) is not part of the sound
    assert cache_key(replace(SPEC, source="elsewhere")) == cache_key(SPEC)
    # NFC: a composed and a decomposed "ë" are the same text
    assert cache_key(LineSpec("Caf\u00e9", "fr-caller-1")) == cache_key(LineSpec("Cafe\u0301", "fr-caller-1"))


def test_cache_stores_and_reads_back_identical_samples(tmp_path):
    cache = AudioCache(tmp_path)
    assert SPEC not in cache
    first = cache.get(SPEC)
    assert SPEC in cache
    stored = cache.path(first.key)
    assert stored.is_file() and stored.read_bytes() == encode_flac(first)
    again = cache.get(SPEC)
    np.testing.assert_array_equal(first.samples, again.samples)
    data, rate = soundfile.read(str(stored), dtype="float32")
    assert rate == RENDER_RATE and len(data) == len(first.samples)


def test_damaged_cache_file_is_rendered_again(tmp_path):
    cache = AudioCache(tmp_path)
    key = cache_key(SPEC)
    tmp_path.joinpath(f"{key}.flac").write_bytes(b"not audio")
    line = cache.get(SPEC)
    assert line.seconds > 1.0 and cache.path(key).read_bytes() == encode_flac(line)


@pytest.mark.parametrize("suffix", [".wav", ".ogg", ".flac"])
def test_recorded_file_replaces_synthesis(tmp_path, suffix):
    # a 2 s 440 Hz "recording" at 44.1 kHz stereo, quiet: read, mixed to mono, resampled, normalised
    t = np.arange(2 * 44100) / 44100
    tone = 0.05 * np.sin(2 * np.pi * 440 * t)
    path = tmp_path / f"greeting{suffix}"
    soundfile.write(str(path), np.stack([tone, tone], axis=1), 44100)
    spec = LineSpec("Goedemiddag", "nl-caller-1", file=path)
    line = render_line(spec)
    assert line.rate == RENDER_RATE and abs(line.seconds - 2.0) < 0.01
    from typingtest.audio.chain import active_level_dbfs

    assert abs(active_level_dbfs(line.samples, line.rate) + 23.0) < 0.5
    key = cache_key(spec)
    soundfile.write(str(path), np.stack([tone, tone], axis=1) * 0.5, 44100)  # the file changed
    assert cache_key(spec) != key
