"""Telephone sound in numpy/scipy: band-pass, narrowband, line noise, room, tones, loudness.

All signals are float32 mono in [-1, 1] (0 dBFS = full scale). Levels are in dBFS.

Loudness measure: the **active speech level** in dBFS, computed as the RMS over the 20 ms
frames whose own RMS lies within 30 dB of the loudest frame (a simplified ITU-T P.56: the
pauses between words do not count). Every line is normalised to ``Effects.level_db``
(-23 dBFS by default, the same number as EBU R128's -23 LUFS, though this measure has no
K-weighting) and soft-limited so that no sample passes -1 dBFS.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from types import ModuleType

import numpy as np


def scipy_signal() -> ModuleType:
    """scipy.signal, imported on first use (it costs seconds at start-up, and every CLI command loads this module)."""
    from scipy import signal

    return signal

__all__ = [
    "CHAIN_VERSION",
    "Effects",
    "active_level_dbfs",
    "apply_chain",
    "band_pass",
    "hold_music",
    "line_noise",
    "narrowband",
    "normalise",
    "peak_dbfs",
    "pickup_click",
    "ring_tone",
    "room_background",
    "soft_limit",
]

#: Changes whenever this module changes the sound of a line (part of every cache key).
CHAIN_VERSION = "1"
_FRAME_S = 0.020
_GATE_DB = 30.0


@dataclass(frozen=True)
class Effects:
    """What the telephone chain does to a line. Levels in dBFS; None switches a part off."""

    telephone: bool = True  # 300-3400 Hz band-pass
    narrowband: bool = False  # down to 8 kHz and back: nothing above 4 kHz survives
    line_noise_db: float | None = -58.0  # steady hiss of the line
    room_db: float | None = None  # room mixed into the line; the player usually plays the room instead
    level_db: float = -23.0  # active speech level of the line
    ceiling_db: float = -1.0  # no sample above this

    def as_key(self) -> dict[str, object]:
        """Everything that changes the sound, for the cache key."""
        return asdict(self)


def band_pass(x: np.ndarray, rate: int, low_hz: float = 300.0, high_hz: float = 3400.0, order: int = 6) -> np.ndarray:
    """Telephone band: Butterworth band-pass (``order`` per edge), causal like a real line."""
    sos = scipy_signal().butter(order, [low_hz, high_hz], btype="bandpass", fs=rate, output="sos")
    return scipy_signal().sosfilt(sos, x).astype(np.float32)


def narrowband(x: np.ndarray, rate: int) -> np.ndarray:
    """Resample to 8 kHz and back to ``rate`` (classic narrowband telephony, G.711's rate)."""
    from math import gcd

    g = gcd(8000, rate)
    down = scipy_signal().resample_poly(x, 8000 // g, rate // g)
    return scipy_signal().resample_poly(down, rate // g, 8000 // g)[: len(x)].astype(np.float32)


def _db_to_amp(db: float) -> float:
    return float(10.0 ** (db / 20.0))


def _rms_db(x: np.ndarray) -> float:
    rms = float(np.sqrt(np.mean(np.square(x, dtype=np.float64)))) if len(x) else 0.0
    return 20.0 * np.log10(rms) if rms > 0 else -np.inf


def line_noise(n: int, rate: int, level_db: float, rng: np.random.Generator) -> np.ndarray:
    """Band-limited hiss at ``level_db`` dBFS RMS."""
    noise = band_pass(rng.standard_normal(n).astype(np.float32), rate)
    return _at_level(noise, level_db)


def _at_level(x: np.ndarray, level_db: float) -> np.ndarray:
    current = _rms_db(x)
    if not np.isfinite(current):
        return x.astype(np.float32)
    return (x * _db_to_amp(level_db - current)).astype(np.float32)


def room_background(seconds: float, rate: int, level_db: float, seed: int = 0) -> np.ndarray:
    """A contact-centre room at ``level_db`` dBFS RMS: distant babble, keyboard clicks, ventilation.

    Babble: pink noise shaped like speech (band 200-3000 Hz) and amplitude-modulated at syllable
    rates (3-6 Hz) by several independent talkers; keyboards: short decaying noise bursts,
    Poisson at 4 per second; ventilation: low-passed brown noise. Deterministic for a seed.
    """
    rng = np.random.default_rng(seed)
    n = max(1, round(seconds * rate))
    t = np.arange(n) / rate
    babble = np.zeros(n)
    for _ in range(5):
        pink = _pink(n, rng)
        sos = scipy_signal().butter(2, [200, 3000], btype="bandpass", fs=rate, output="sos")
        voice = scipy_signal().sosfilt(sos, pink)
        f_syll = rng.uniform(3.0, 6.0)
        envelope = np.clip(np.sin(2 * np.pi * f_syll * t + rng.uniform(0, 2 * np.pi)), 0, None) ** 2
        phrase = np.clip(np.sin(2 * np.pi * rng.uniform(0.1, 0.3) * t + rng.uniform(0, 2 * np.pi)), 0, None)
        babble += voice * envelope * phrase
    keys = np.zeros(n)
    click_len = int(0.008 * rate)
    decay = np.exp(-np.arange(click_len) / (0.0015 * rate))
    for start in np.flatnonzero(rng.random(n) < 4.0 / rate):
        seg = keys[start : start + click_len]
        seg += rng.standard_normal(len(seg)) * decay[: len(seg)] * rng.uniform(0.3, 1.0)
    low_pass = scipy_signal().butter(2, 400, fs=rate, output="sos")
    air = scipy_signal().sosfilt(low_pass, np.cumsum(rng.standard_normal(n)) * 0.01)
    air -= np.mean(air)
    mix = _at_level(babble, 0.0) + _at_level(keys, -10.0) + _at_level(air, -12.0)
    return _at_level(mix.astype(np.float32), level_db)


def _pink(n: int, rng: np.random.Generator) -> np.ndarray:
    spectrum = np.fft.rfft(rng.standard_normal(n))
    f = np.arange(len(spectrum), dtype=np.float64)
    f[0] = 1.0
    return np.fft.irfft(spectrum / np.sqrt(f), n)


def ring_tone(rate: int, cycles: int = 1, level_db: float = -20.0) -> np.ndarray:
    """Belgian ring-back tone: 425 Hz, 1 s on / 3 s off, ``cycles`` times; 10 ms ramps; sine peak at level."""
    on = np.sin(2 * np.pi * 425.0 * np.arange(rate) / rate)
    ramp = int(0.010 * rate)
    window = np.ones(rate)
    window[:ramp] = np.linspace(0, 1, ramp)
    window[-ramp:] = np.linspace(1, 0, ramp)
    cycle = np.concatenate([on * window, np.zeros(3 * rate)])
    return (np.tile(cycle, cycles) * _db_to_amp(level_db)).astype(np.float32)


def pickup_click(rate: int, level_db: float = -12.0) -> np.ndarray:
    """The pick-up click: a 30 ms decaying broadband burst with a low thump, peak at ``level_db``."""
    n = int(0.030 * rate)
    rng = np.random.default_rng(425)
    t = np.arange(n) / rate
    burst = rng.standard_normal(n) * np.exp(-t / 0.002) + 0.8 * np.sin(2 * np.pi * 180 * t) * np.exp(-t / 0.008)
    burst = band_pass(burst.astype(np.float32), rate, 150.0, min(6000.0, rate / 2 - 1), order=2)
    return (burst / np.max(np.abs(burst)) * _db_to_amp(level_db)).astype(np.float32)


def hold_music(seconds: float, rate: int, level_db: float = -26.0) -> np.ndarray:
    """Hold music: a calm loop of four chords (I-vi-IV-V in C), soft sine voices, 2 s per chord.

    Made here so no licensed recording is needed; ``level_db`` is its RMS in dBFS.
    """
    chords = ((261.63, 329.63, 392.00), (220.00, 261.63, 329.63), (174.61, 220.00, 261.63), (196.00, 246.94, 293.66))
    per = int(2.0 * rate)
    t = np.arange(per) / rate
    envelope = np.minimum(1.0, t / 0.08) * np.exp(-t / 1.4)
    bars = []
    for chord in chords:
        tone = sum(np.sin(2 * np.pi * f * t) + 0.3 * np.sin(4 * np.pi * f * t) for f in chord)
        melody = np.sin(2 * np.pi * chord[2] * 2 * t) * np.exp(-t / 0.4) * 0.6
        bars.append((tone + melody) * envelope)
    loop = np.concatenate(bars)
    n = max(1, round(seconds * rate))
    music = np.tile(loop, n // len(loop) + 1)[:n]
    return _at_level(band_pass(music.astype(np.float32), rate), level_db)


def peak_dbfs(x: np.ndarray) -> float:
    """The highest absolute sample in dBFS (-inf for silence)."""
    peak = float(np.max(np.abs(x))) if len(x) else 0.0
    return 20.0 * np.log10(peak) if peak > 0 else -np.inf


def active_level_dbfs(x: np.ndarray, rate: int) -> float:
    """Active speech level (dBFS): RMS over 20 ms frames within 30 dB of the loudest frame."""
    frame = max(1, int(_FRAME_S * rate))
    n = len(x) // frame
    if n == 0:
        return _rms_db(x)
    power = np.mean(np.square(x[: n * frame].reshape(n, frame), dtype=np.float64), axis=1)
    if not np.any(power > 0):
        return -np.inf
    active = power[power >= power.max() * 10.0 ** (-_GATE_DB / 10.0)]
    return 10.0 * np.log10(float(np.mean(active)))


def normalise(x: np.ndarray, rate: int, level_db: float) -> np.ndarray:
    """Scale ``x`` so that its active speech level is ``level_db`` dBFS."""
    current = active_level_dbfs(x, rate)
    if not np.isfinite(current):
        return x.astype(np.float32)
    return (x * _db_to_amp(level_db - current)).astype(np.float32)


def soft_limit(x: np.ndarray, ceiling_db: float = -1.0) -> np.ndarray:
    """Leave samples below ``ceiling - 6 dB`` alone; bend the rest smoothly (tanh) under the ceiling."""
    ceiling = _db_to_amp(ceiling_db)
    knee = ceiling / 2.0
    y = x.astype(np.float64).copy()
    over = np.abs(y) > knee
    if np.any(over):
        excess = np.abs(y[over]) - knee
        y[over] = np.sign(y[over]) * (knee + (ceiling - knee) * np.tanh(excess / (ceiling - knee)))
    return y.astype(np.float32)


def apply_chain(speech: np.ndarray, rate: int, effects: Effects, seed: int) -> np.ndarray:
    """The whole telephone chain for one line: band, level, noise, room, limiter.

    ``seed`` makes the noise of a line the same every time it is rendered (the cache key's hash).
    """
    x = speech.astype(np.float32)
    if effects.telephone:
        x = band_pass(x, rate)
    if effects.narrowband:
        x = narrowband(x, rate)
    x = normalise(x, rate, effects.level_db)
    rng = np.random.default_rng(seed)
    if effects.line_noise_db is not None:
        x = x + line_noise(len(x), rate, effects.line_noise_db, rng)
    if effects.room_db is not None:
        x = x + room_background(len(x) / rate, rate, effects.room_db, seed=int(rng.integers(2**31)))[: len(x)]
    x = soft_limit(x, effects.ceiling_db)
    # noise and limiter moved the level a little: one correction pass (the limiter only touches peaks)
    x = soft_limit(normalise(x, rate, effects.level_db), effects.ceiling_db)
    return x
