"""eSpeak NG speech synthesis through ctypes (the library and voice data of ``espeakng-loader``).

The library runs in synchronous mode (``AUDIO_OUTPUT_SYNCHRONOUS``): ``espeak_Synth`` returns
when the whole text is spoken and the samples (16-bit mono at the engine's rate, 22 050 Hz)
arrive through the synth callback. eSpeak keeps global state, so one lock serialises every
call; the library is loaded once per process.
"""

from __future__ import annotations

import ctypes
import threading
from dataclasses import dataclass

import numpy as np

__all__ = ["SynthesisError", "engine_version", "sample_rate", "synthesize_ssml"]

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_ESPEAK_CHARS_UTF8 = 1
_ESPEAK_SSML = 0x10
_ESPEAK_RATE = 1
_ESPEAK_VOLUME = 2
_ESPEAK_PITCH = 3
_ESPEAK_RANGE = 4
_ESPEAK_WORDGAP = 7

_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


class SynthesisError(RuntimeError):
    """eSpeak NG could not be loaded or refused a voice or a text."""


@dataclass
class _Engine:
    lib: ctypes.CDLL
    rate: int
    version: str
    callback: object  # keeps the ctypes callback alive
    chunks: list[np.ndarray]


_lock = threading.Lock()
_engine: _Engine | None = None


def _load() -> _Engine:
    global _engine
    if _engine is not None:
        return _engine
    try:
        import espeakng_loader
    except ImportError as exc:  # pragma: no cover - a broken install
        raise SynthesisError("espeakng-loader is not installed; run: pip install espeakng-loader") from exc
    try:
        lib = ctypes.CDLL(espeakng_loader.get_library_path())
    except OSError as exc:  # pragma: no cover - a broken install
        raise SynthesisError(f"cannot load eSpeak NG from {espeakng_loader.get_library_path()}: {exc}") from exc
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetVoiceByName.restype = ctypes.c_int
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_SetParameter.restype = ctypes.c_int
    lib.espeak_Synth.argtypes = [
        ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
        ctypes.c_void_p, ctypes.c_void_p,
    ]
    lib.espeak_Synth.restype = ctypes.c_int
    lib.espeak_Info.argtypes = [ctypes.POINTER(ctypes.c_char_p)]
    lib.espeak_Info.restype = ctypes.c_char_p
    data = espeakng_loader.get_data_path().encode()
    rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data, 0)
    if rate <= 0:
        raise SynthesisError(f"eSpeak NG failed to initialise with its data at {data.decode()}")
    chunks: list[np.ndarray] = []

    def on_samples(wav, n, events):  # type: ignore[no-untyped-def]
        if wav and n > 0:
            chunks.append(np.ctypeslib.as_array(wav, shape=(n,)).copy())
        return 0

    callback = _CALLBACK(on_samples)
    lib.espeak_SetSynthCallback(callback)
    version = (lib.espeak_Info(None) or b"unknown").decode()
    _engine = _Engine(lib=lib, rate=rate, version=version, callback=callback, chunks=chunks)
    return _engine


def sample_rate() -> int:
    """The engine's output rate in samples per second (22 050 for eSpeak NG)."""
    return _load().rate


def engine_version() -> str:
    """eSpeak NG's version string, part of every cache key."""
    return _load().version


def synthesize_ssml(
    ssml: str, espeak_voice: str, *, rate_wpm: int, pitch: int, pitch_range: int, word_gap: int = 0
) -> np.ndarray:
    """Speak an SSML fragment; returns float32 samples in [-1, 1] at ``sample_rate()``.

    ``espeak_voice`` is an eSpeak voice name with an optional variant (``"nl+f2"``);
    ``rate_wpm`` words per minute (80-450), ``pitch`` and ``pitch_range`` 0-100, ``word_gap``
    extra pause between words in units of 10 ms.
    """
    engine = _load()
    with _lock:
        if engine.lib.espeak_SetVoiceByName(espeak_voice.encode()) != 0:
            raise SynthesisError(f"eSpeak NG has no voice {espeak_voice!r}")
        engine.lib.espeak_SetParameter(_ESPEAK_RATE, int(rate_wpm), 0)
        engine.lib.espeak_SetParameter(_ESPEAK_PITCH, int(pitch), 0)
        engine.lib.espeak_SetParameter(_ESPEAK_RANGE, int(pitch_range), 0)
        engine.lib.espeak_SetParameter(_ESPEAK_VOLUME, 100, 0)
        engine.lib.espeak_SetParameter(_ESPEAK_WORDGAP, int(word_gap), 0)
        engine.chunks.clear()
        text = ssml.encode("utf-8")
        status = engine.lib.espeak_Synth(
            text, len(text) + 1, 0, _POS_CHARACTER, 0, _ESPEAK_CHARS_UTF8 | _ESPEAK_SSML, None, None
        )
        if status != 0:
            raise SynthesisError(f"eSpeak NG could not speak the text (error {status})")
        pcm = np.concatenate(engine.chunks) if engine.chunks else np.zeros(0, np.int16)
        engine.chunks.clear()
    return (pcm.astype(np.float32) / 32768.0).astype(np.float32)
