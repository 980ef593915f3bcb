"""Render caller lines (eSpeak NG or a recorded file, then the telephone chain) and cache them.

A line is a ``LineSpec``: text and voice (or a recorded WAV/OGG/FLAC file), speaking rate and
effects. ``render_line`` gives float32 mono samples at ``RENDER_RATE`` (16 kHz: wideband
telephony; the telephone band ends at 3.4 kHz), quantised to 16 bits exactly as the cache
stores them, so a line sounds the same whether it was just rendered or read from the cache.

The cache key is the SHA-256 of (text, the voice's full definition, rate, effects, recorded
file's bytes hash, eSpeak NG version, chain version, render rate). The cache lives in the
user's cache folder (``%LOCALAPPDATA%\\typingtest\\audio`` on Windows,
``$XDG_CACHE_HOME/typingtest/audio`` or ``~/.cache/typingtest/audio`` elsewhere), or
``$TYPINGTEST_AUDIO_CACHE``: rendered lines are derived data, reproducible from the content,
and hold no candidate data, so they do not belong in the results folder (personal data under
retention rules, often a network share); a local folder keeps start-up fast.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile

from typingtest.audio import speech
from typingtest.audio.chain import CHAIN_VERSION, Effects, apply_chain, scipy_signal
from typingtest.audio.spoken import to_ssml
from typingtest.audio.voices import get_voice
from typingtest.errors import UserError
from typingtest.ids import inside

__all__ = [
    "RECORDED_SUFFIXES",
    "RENDER_RATE",
    "AudioCache",
    "LineSpec",
    "RenderedLine",
    "cache_key",
    "default_cache_dir",
    "encode_flac",
    "render_line",
]

RENDER_RATE = 16_000
RECORDED_SUFFIXES = (".wav", ".ogg", ".flac")


@dataclass(frozen=True)
class LineSpec:
    """One caller line: ``text`` spoken by ``voice``, or a recorded ``file`` (then text is a transcript).

    ``rate_wpm`` overrides the voice's speaking rate (eSpeak words per minute); ``source``
    names where the line came from for error messages (``passages/nl/call/nl-call-01.toml: line greet``).
    """

    text: str = ""
    voice: str = "nl-caller-1"
    rate_wpm: int | None = None
    file: Path | None = None
    effects: Effects = field(default_factory=Effects)
    source: str = "line"


@dataclass
class RenderedLine:
    """A rendered line: float32 mono ``samples`` at ``rate`` (samples per second)."""

    key: str
    samples: np.ndarray
    rate: int

    @property
    def seconds(self) -> float:
        """Duration in seconds."""
        return len(self.samples) / self.rate


def _file_hash(path: Path, source: str) -> str:
    if path.suffix.lower() not in RECORDED_SUFFIXES:
        raise UserError(f"{source}: {path}: recorded audio must be WAV, OGG or FLAC")
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        raise UserError(f"{source}: {path}: recorded audio file not found; check the file name") from None
    except OSError as exc:
        raise UserError(f"{source}: {path}: cannot read recorded audio: {exc.strerror}") from None


def cache_key(spec: LineSpec) -> str:
    """SHA-256 (hex) of everything that changes the sound of ``spec``."""
    voice = get_voice(spec.voice)
    parts: dict[str, object] = {
        "text": unicodedata.normalize("NFC", spec.text) if spec.file is None else "",
        "voice": voice.as_key() if spec.file is None else None,
        "rate_wpm": (spec.rate_wpm or voice.rate_wpm) if spec.file is None else None,
        "file": _file_hash(Path(spec.file), spec.source) if spec.file is not None else None,
        "effects": spec.effects.as_key(),
        "engine": speech.engine_version() if spec.file is None else None,
        "chain": CHAIN_VERSION,
        "rate": RENDER_RATE,
    }
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=True).encode()
    return hashlib.sha256(blob).hexdigest()


def _resample(x: np.ndarray, rate: int, to_rate: int) -> np.ndarray:
    if rate == to_rate:
        return x.astype(np.float32)
    from math import gcd

    g = gcd(rate, to_rate)
    return scipy_signal().resample_poly(x, to_rate // g, rate // g).astype(np.float32)


def _read_recorded(path: Path, source: str) -> np.ndarray:
    try:
        data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except FileNotFoundError:
        raise UserError(f"{source}: {path}: recorded audio file not found; check the file name") from None
    except (RuntimeError, soundfile.LibsndfileError) as exc:
        raise UserError(f"{source}: {path}: not a readable WAV/OGG/FLAC file ({exc})") from None
    return _resample(data.mean(axis=1), rate, RENDER_RATE)


def _quantise(x: np.ndarray) -> np.ndarray:
    return (np.round(np.clip(x, -1.0, 32767 / 32768) * 32768.0) / 32768.0).astype(np.float32)


def render_line(spec: LineSpec) -> RenderedLine:
    """Synthesise (or read) and process one line; deterministic for a given cache key."""
    key = cache_key(spec)
    voice = get_voice(spec.voice)
    if spec.file is not None:
        raw = _read_recorded(Path(spec.file), spec.source)
    else:
        if not spec.text.strip():
            raise UserError(f"{spec.source}: text: empty line; give the caller's words or a recorded file")
        ssml = to_ssml(spec.text, voice.lang, source=spec.source)
        try:
            pcm = speech.synthesize_ssml(
                ssml, voice.espeak_voice, rate_wpm=spec.rate_wpm or voice.rate_wpm,
                pitch=voice.pitch, pitch_range=voice.pitch_range,
            )
        except speech.SynthesisError as exc:
            raise UserError(f"{spec.source}: {exc}") from None
        raw = _resample(pcm, speech.sample_rate(), RENDER_RATE)
    seed = int(key[:8], 16)
    samples = _quantise(apply_chain(raw, RENDER_RATE, spec.effects, seed))
    return RenderedLine(key=key, samples=samples, rate=RENDER_RATE)


def encode_flac(line: RenderedLine) -> bytes:
    """The line as 16-bit FLAC bytes (what the cache stores)."""
    buf = io.BytesIO()
    soundfile.write(buf, line.samples, line.rate, format="FLAC", subtype="PCM_16")
    return buf.getvalue()


def default_cache_dir() -> Path:
    """``$TYPINGTEST_AUDIO_CACHE``, else the user's cache folder + ``typingtest/audio``."""
    if os.environ.get("TYPINGTEST_AUDIO_CACHE"):
        return Path(os.environ["TYPINGTEST_AUDIO_CACHE"])
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "typingtest" / "audio"


class AudioCache:
    """Rendered lines on disk as ``<key>.flac``; ``get`` renders and stores what is missing."""

    def __init__(self, folder: Path | str | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_cache_dir()

    def path(self, key: str) -> Path:
        """Where the line with ``key`` is (or would be) stored."""
        return self.folder / f"{key}.flac"

    def __contains__(self, spec: LineSpec) -> bool:
        return self.path(cache_key(spec)).is_file()

    def get(self, spec: LineSpec) -> RenderedLine:
        """The rendered line, from the cache when there, else rendered now and stored."""
        key = cache_key(spec)
        path = self.path(key)
        if path.is_file():
            try:
                data, rate = soundfile.read(str(path), dtype="float32")
                if rate == RENDER_RATE:
                    with contextlib.suppress(OSError):
                        os.utime(path)  # last use, for prune()
                    return RenderedLine(key=key, samples=data.astype(np.float32), rate=rate)
            except (RuntimeError, soundfile.LibsndfileError):
                pass  # a damaged cache file is rendered again
        line = render_line(spec)
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(encode_flac(line))
        os.replace(tmp, path)
        return line

    def usage(self) -> tuple[int, int]:
        """(number of cached lines, bytes they take)."""
        files = list(self.folder.glob("*.flac")) if self.folder.is_dir() else []
        return len(files), sum(f.stat().st_size for f in files)

    def prune(self, unused_days: float | None = None) -> int:
        """Delete lines not used for ``unused_days`` days (None: all); returns how many were deleted.

        Lines of randomised forms are rendered per candidate, so the cache grows with every
        session; pruning keeps it small. A deleted line is simply rendered again when needed.
        """
        import time

        if not self.folder.is_dir():
            return 0
        limit = None if unused_days is None else time.time() - unused_days * 86_400
        deleted = 0
        for f in self.folder.glob("*.flac"):
            try:
                if limit is None or f.stat().st_mtime < limit:
                    inside(self.folder, f)  # a link to a file outside the cache is never followed
                    f.unlink()
                    deleted += 1
            except (OSError, UserError):
                continue
        return deleted
