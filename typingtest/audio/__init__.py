"""Caller audio: offline voices (eSpeak NG), telephone sound, a cache, and a scheduling player.

Rendering (no device needed)::

    from typingtest.audio import AudioCache, LineSpec, Effects
    cache = AudioCache()                      # the user's cache folder, or $TYPINGTEST_AUDIO_CACHE
    line = cache.get(LineSpec("Goedemiddag, mijn klantnummer is [digits:48213377].", voice="nl-caller-1"))
    line.samples, line.rate                   # float32 mono, 16 kHz, telephone band, -23 dBFS active level

Playback with measured onsets (for the workstation)::

    from typingtest.audio import Player
    player = Player.open()                    # SDL device; never raises for a missing device
    if not player.available:                  # no sound: block tasks with a caller unless the proctor
        show(player.message)                  # overrides; the player then runs silent (virtual)
    player.background(room_background(60, 16000, -45.0), rate=16000)   # the room, looped
    data = player.prepare(line.samples, line.rate)          # resample before the cue, not at it
    player.schedule("nl-call-01/greet", data, at=time.perf_counter() + 2.0)
    player.play_now("ring", ring_tone(16000, cycles=3), rate=16000)
    player.replay("nl-call-01/greet")        # transcription tasks: a replay restarts the line
    player.stop("ring")
    player.hold(True, music=hold_music(30, 16000), music_rate=16000, mode="stop")  # or mode="duck"
    player.hold(False)
    for ev in player.poll():                  # AudioEvent(kind "onset"/"offset", line_id, t, reason)
        log(AUDIO_ONSET if ev.kind == "onset" else AUDIO_OFFSET, text=ev.line_id, t=ev.t - attempt_start)
    player.close()

``t`` is on the ``time.perf_counter()`` clock: the moment the line's first (or after-last)
sample is heard. ``poll()`` hands out events whose time has come (``include_future=True``:
all known). Tests use ``Player.open(backend="virtual", clock=fake_clock, capture=True)``: the
same mixer on an injected clock, no device. The player never imports the engine.

Modules: ``voices`` (the 16 caller voices), ``spoken`` (how a caller says numbers, e-mail
addresses, spelled names), ``speech`` (eSpeak NG via ctypes), ``chain`` (telephone sound,
tones, loudness), ``render`` (lines and the cache), ``player``, ``battery`` (lines of a
battery or scenario, for ``typingtest audio render``), ``diskcheck`` (onset accuracy under
SDL's disk driver).
"""

from __future__ import annotations

from typingtest.audio.chain import (
    Effects,
    active_level_dbfs,
    hold_music,
    peak_dbfs,
    pickup_click,
    ring_tone,
    room_background,
)
from typingtest.audio.player import DEVICE_RATE, AudioEvent, Player
from typingtest.audio.render import RENDER_RATE, AudioCache, LineSpec, RenderedLine, cache_key, render_line
from typingtest.audio.voices import VOICE_NAMES, VOICES, Voice, get_voice

__all__ = [
    "DEVICE_RATE",
    "RENDER_RATE",
    "VOICES",
    "VOICE_NAMES",
    "AudioCache",
    "AudioEvent",
    "Effects",
    "LineSpec",
    "Player",
    "RenderedLine",
    "Voice",
    "active_level_dbfs",
    "cache_key",
    "get_voice",
    "hold_music",
    "peak_dbfs",
    "pickup_click",
    "render_line",
    "ring_tone",
    "room_background",
]
