"""eSpeak NG speech synthesis through ctypes (the library and voice data of ``espeakng-loader``).

The library runs in synchronous mode (``AUDIO_OUTPUT_SYNCHRONOUS``): ``espeak_Synth`` returns
when the whole text is spoken and the samples (16-bit mono at 22 050 Hz) arrive through the
synth callback.

Reproducible output: eSpeak keeps synthesis state in C statics that ``espeak_Terminate`` does
not reset (the pitch "flutter" index, the harmonic-spectrum double buffer, the glottal phase),
so within one loaded library the same text gave slightly different samples on each call.
Each utterance therefore gets a freshly loaded library (load, initialise, seed eSpeak's noise
generator with ``espeak_ng_SetRandSeed``, speak, terminate, unload): about 10 ms of overhead
per line, and the same text, voice and settings always give the same samples, so a cache key
identifies the sound exactly. One lock serialises all calls.
"""

from __future__ import annotations

import ctypes
import sys
import threading

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
_RAND_SEED = 1

_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


class SynthesisError(RuntimeError):
    """eSpeak NG could not be loaded or refused a voice or a text."""


_lock = threading.Lock()
_info: tuple[int, str] | None = None  # (sample rate, version)


def _paths() -> tuple[str, bytes]:
    try:
        import espeakng_loader
    except ImportError as exc:  # pragma: no cover - a broken install
        raise SynthesisError("espeakng-loader is not installed; run: pip install espeakng-loader") from exc
    return espeakng_loader.get_library_path(), espeakng_loader.get_data_path().encode()


def _open() -> tuple[ctypes.CDLL, int]:
    """Load a fresh library instance and initialise it; returns (library, sample rate)."""
    lib_path, data = _paths()
    try:
        lib = ctypes.CDLL(lib_path)
    except OSError as exc:  # pragma: no cover - a broken install
        raise SynthesisError(f"cannot load eSpeak NG from {lib_path}: {exc}") from exc
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
    lib.espeak_ng_SetRandSeed.argtypes = [ctypes.c_long]
    rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data, 0)
    if rate <= 0:
        _close(lib)
        raise SynthesisError(f"eSpeak NG failed to initialise with its data at {data.decode()}")
    return lib, rate


def _close(lib: ctypes.CDLL) -> None:
    """Terminate and unload, so that the next utterance starts from eSpeak's initial state."""
    import _ctypes

    lib.espeak_Terminate()
    if sys.platform == "win32":
        _ctypes.FreeLibrary(lib._handle)  # type: ignore[attr-defined]
    else:
        _ctypes.dlclose(lib._handle)  # type: ignore[attr-defined]


def _engine_info() -> tuple[int, str]:
    global _info
    if _info is None:
        with _lock:
            lib, rate = _open()
            try:
                version = (lib.espeak_Info(None) or b"unknown").decode()
            finally:
                _close(lib)
            _info = (rate, version)
    return _info


def sample_rate() -> int:
    """The engine's output rate in samples per second (22 050 for eSpeak NG)."""
    return _engine_info()[0]


def engine_version() -> str:
    """eSpeak NG's version string (part of every cache key)."""
    return _engine_info()[1]


def synthesize_ssml(
    ssml: str, espeak_voice: str, *, rate_wpm: int, pitch: int, pitch_range: int, word_gap: int = 0
) -> np.ndarray:
    """Speak an SSML fragment; returns float32 samples in [-1, 1] at ``sample_rate()``.

    ``espeak_voice`` is an eSpeak voice name with an optional variant (``"nl+f2"``);
    ``rate_wpm`` words per minute (80-450), ``pitch`` and ``pitch_range`` 0-100, ``word_gap``
    extra pause between words in units of 10 ms.
    """
    chunks: list[np.ndarray] = []

    def on_samples(wav, n, events):  # type: ignore[no-untyped-def]
        if wav and n > 0:
            chunks.append(np.ctypeslib.as_array(wav, shape=(n,)).copy())
        return 0

    callback = _CALLBACK(on_samples)
    text = ssml.encode("utf-8")
    with _lock:
        lib, _ = _open()
        try:
            lib.espeak_SetSynthCallback(callback)
            lib.espeak_ng_SetRandSeed(_RAND_SEED)
            if lib.espeak_SetVoiceByName(espeak_voice.encode()) != 0:
                raise SynthesisError(f"eSpeak NG has no voice {espeak_voice!r}")
            lib.espeak_SetParameter(_ESPEAK_RATE, int(rate_wpm), 0)
            lib.espeak_SetParameter(_ESPEAK_PITCH, int(pitch), 0)
            lib.espeak_SetParameter(_ESPEAK_RANGE, int(pitch_range), 0)
            lib.espeak_SetParameter(_ESPEAK_VOLUME, 100, 0)
            lib.espeak_SetParameter(_ESPEAK_WORDGAP, int(word_gap), 0)
            status = lib.espeak_Synth(
                text, len(text) + 1, 0, _POS_CHARACTER, 0, _ESPEAK_CHARS_UTF8 | _ESPEAK_SSML, None, None
            )
            if status != 0:
                raise SynthesisError(f"eSpeak NG could not speak the text (error {status})")
        finally:
            _close(lib)
    pcm = np.concatenate(chunks) if chunks else np.zeros(0, np.int16)
    return (pcm.astype(np.float32) / 32768.0).astype(np.float32)
