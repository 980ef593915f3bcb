"""The caller voices: ``<lang>-caller-<n>`` (n = 1..4) for nl, fr, en, de.

Each voice is an eSpeak NG language voice with a variant (male ``m*``, female ``f*``), a base
pitch and pitch range (eSpeak's 0-100 scale) and a default speaking rate in words per minute
(eSpeak's own scale: 175 is its default, a calm caller speaks 140-165).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from typingtest.errors import UserError

__all__ = ["LANGUAGES", "VOICES", "VOICE_NAMES", "Voice", "get_voice"]

LANGUAGES = ("nl", "fr", "en", "de")


@dataclass(frozen=True)
class Voice:
    """One caller voice. ``rate_wpm`` is the default speaking rate (eSpeak words per minute)."""

    name: str
    lang: str
    espeak_voice: str  # eSpeak language voice + variant, e.g. "nl+f2"
    gender: str  # "female" or "male"
    pitch: int  # 0-100, eSpeak's base pitch
    pitch_range: int  # 0-100, eSpeak's intonation range
    rate_wpm: int
    description: str

    def as_key(self) -> dict[str, object]:
        """Everything that changes the sound, for the cache key."""
        return asdict(self)


# Belgian French (septante, nonante) for the French callers; eSpeak's nl is the Dutch of the
# Netherlands and Flanders alike; en is British English; de is standard German.
_BASE = {"nl": "nl", "fr": "fr-be", "en": "en", "de": "de"}
_PROFILES = (
    # n, variant, gender, pitch, range, rate, description
    (1, "f2", "female", 55, 60, 155, "woman, middle-aged, calm"),
    (2, "m3", "male", 40, 50, 150, "man, middle-aged, low voice"),
    (3, "f4", "female", 62, 70, 170, "woman, younger, quick"),
    (4, "m1", "male", 48, 40, 140, "man, older, slow and flat"),
)

VOICES: dict[str, Voice] = {
    f"{lang}-caller-{n}": Voice(
        name=f"{lang}-caller-{n}",
        lang=lang,
        espeak_voice=f"{_BASE[lang]}+{variant}",
        gender=gender,
        pitch=pitch,
        pitch_range=rng,
        rate_wpm=rate,
        description=desc,
    )
    for lang in LANGUAGES
    for n, variant, gender, pitch, rng, rate, desc in _PROFILES
}
#: Every voice name content may use, in order.
VOICE_NAMES: tuple[str, ...] = tuple(VOICES)


def get_voice(name: str) -> Voice:
    """The voice called ``name``; raises UserError naming it and listing the voices."""
    try:
        return VOICES[name]
    except KeyError:
        raise UserError(
            f"voice {name!r}: unknown voice; use one of {VOICE_NAMES[0]} ... {VOICE_NAMES[-1]} "
            f"(<lang>-caller-<1..4>, lang in {', '.join(LANGUAGES)})"
        ) from None
