"""Every caller voice speaks: non-silent audio of plausible length, at the same loudness, unclipped."""

from __future__ import annotations

import numpy as np
import pytest

from typingtest.audio import VOICE_NAMES, VOICES, LineSpec, active_level_dbfs, peak_dbfs, render_line

# One ordinary caller sentence per language (about 60 characters each).
SENTENCES = {
    "nl": "Goedemiddag, ik bel over mijn bestelling van vorige week.",
    "fr": "Bonjour, je vous appelle pour ma commande de la semaine passée.",
    "en": "Good afternoon, I am calling about my order from last week.",
    "de": "Guten Tag, ich rufe wegen meiner Bestellung von letzter Woche an.",
}
# Plausible length: 0.035-0.10 s per character of text (10-28 characters per second). Measured
# at the default rates (140-170 eSpeak wpm): 0.047 (fr-caller-3) to 0.068 s (nl-caller-4) per character.
SECONDS_PER_CHAR = (0.035, 0.10)


def test_sixteen_voices_four_languages_both_genders():
    # the DESIGN names nl-caller-1..4 and likewise fr, en, de
    assert len(VOICE_NAMES) == 16
    for lang in ("nl", "fr", "en", "de"):
        voices = [v for v in VOICES.values() if v.lang == lang]
        assert [v.name for v in voices] == [f"{lang}-caller-{n}" for n in range(1, 5)]
        assert {v.gender for v in voices} == {"female", "male"}
        assert len({(v.pitch, v.rate_wpm) for v in voices}) == 4  # four distinct voices


@pytest.fixture(scope="module")
def rendered():
    return {name: render_line(LineSpec(SENTENCES[VOICES[name].lang], name)) for name in VOICE_NAMES}


@pytest.mark.parametrize("name", VOICE_NAMES)
def test_voice_speaks_plausible_length(rendered, name):
    line = rendered[name]
    text = SENTENCES[VOICES[name].lang]
    per_char = line.seconds / len(text)
    assert SECONDS_PER_CHAR[0] <= per_char <= SECONDS_PER_CHAR[1], per_char
    # non-silent: at least a third of the 20 ms frames hold speech (louder than -45 dBFS, far above
    # the -58 dBFS line noise)
    frame = line.rate // 50
    n = len(line.samples) // frame
    frame_db = 10 * np.log10(np.mean(line.samples[: n * frame].reshape(n, frame) ** 2, axis=1) + 1e-20)
    assert np.mean(frame_db > -45) > 1 / 3


def test_same_loudness_within_1_db_and_no_clipping(rendered):
    # The measure: active speech level (dBFS), typingtest.audio.chain.active_level_dbfs; target -23 dBFS.
    levels = [active_level_dbfs(line.samples, line.rate) for line in rendered.values()]
    assert max(levels) - min(levels) <= 1.0
    assert all(abs(level + 23.0) <= 0.5 for level in levels)
    assert max(peak_dbfs(line.samples) for line in rendered.values()) <= -1.0


def test_rate_changes_length():
    # eSpeak's rate is words per minute: 100 wpm must take clearly longer than 200 wpm (about 2x).
    slow = render_line(LineSpec(SENTENCES["nl"], "nl-caller-1", rate_wpm=100))
    fast = render_line(LineSpec(SENTENCES["nl"], "nl-caller-1", rate_wpm=200))
    assert 1.5 <= slow.seconds / fast.seconds <= 2.5
