"""The scheduling player: lines mixed in our own audio callback, onsets known to the sample.

``pygame.mixer`` cannot start a sound at a set time, so the player opens an SDL audio device
(``pygame._sdl2.audio.AudioDevice``, float32 mono, 48 kHz, 256-sample buffers = 5.3 ms) and
mixes the scheduled lines itself. The callback counts the samples it hands to SDL; each call
also notes ``time.perf_counter()``, and the smallest ``t_callback - first_sample / rate`` over
the last 10 calls (53 ms) maps the sample clock onto the perf_counter clock (callbacks can come late,
never early); a buffer is never taken to sound before the callback that wrote it. A line
scheduled ``at`` a perf_counter time starts at the sample that plays
then; its onset and end are reported as the perf_counter time of their first and
after-last samples, plus the output latency: one buffer, which is what SDL's own pipeline
adds (its ``disk`` driver writes each buffer one callback after it was mixed); a sound card
may add a few milliseconds SDL cannot report.

Desk sounds (``Player.tone``: the chat's alert) go through the same mixer but are no caller
line: they report one ``tone`` event at their start (no onset, no offset), and hold neither
stops nor ducks them.

The ``virtual`` backend runs the same mixer on a clock you pass (default perf_counter)
without any device: for tests, and for a workstation without sound when the proctor lets
audio tasks run anyway (onsets are still logged, nothing is heard).

This module never imports the engine.
"""

from __future__ import annotations

import collections
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from math import gcd

import numpy as np

from typingtest.audio.chain import scipy_signal

__all__ = ["DEVICE_RATE", "AudioEvent", "Mixer", "Player"]

DEVICE_RATE = 48_000
BUFFER_SAMPLES = 256
#: Python's thread switch interval while an SDL device is open (seconds); see ``Player.open``.
SWITCH_INTERVAL_S = 0.001
_FADE_S = 0.010
_CLOCK_WINDOW = 10  # callbacks (about 53 ms at 256 samples / 48 kHz) for the clock estimate


@dataclass(frozen=True)
class AudioEvent:
    """A line's actual ``onset`` or ``offset`` (``kind``) at ``t`` seconds on the perf_counter clock,
    or a desk sound's start (``kind`` "tone", ``line_id`` its name).

    ``reason`` for offsets: "end" (played to the end), "stop" (stopped), "hold" (stopped for hold).
    """

    kind: str
    line_id: str
    t: float
    reason: str = ""


@dataclass
class _Voice:
    line_id: str
    samples: np.ndarray
    start: int  # sample index on the output clock
    gain: float = 1.0
    target_gain: float = 1.0
    stop_at: int | None = None  # fade out from here
    started: bool = False
    is_music: bool = False
    loop: bool = False
    reason: str = "end"
    is_tone: bool = False  # a desk sound: one "tone" event at its start, untouched by hold


class Mixer:
    """The pure mixing core: voices on an output sample clock, events as sample indices.

    ``render(n)`` produces the next ``n`` output samples; it is called from the audio callback
    (or by the virtual backend) and is the only method that touches the voices.
    """

    def __init__(self, rate: int = DEVICE_RATE) -> None:
        self.rate = rate
        self.position = 0  # index of the next sample to render
        self.voices: list[_Voice] = []
        self.duck_gain = 1.0

    def add(self, voice: _Voice) -> None:
        """Add a voice; a start in the past is moved to the next sample rendered (a late start)."""
        voice.start = max(voice.start, self.position)
        self.voices.append(voice)

    def stop(self, line_id: str, reason: str = "stop") -> None:
        """Fade ``line_id`` out from the next sample rendered (or drop it if not started)."""
        for v in self.voices:
            if v.line_id == line_id and v.stop_at is None:
                v.stop_at = max(self.position, v.start)
                v.reason = reason

    def render(self, n: int) -> tuple[np.ndarray, list[tuple[str, str, int, str]]]:
        """The next ``n`` samples and the events in them: (kind, line_id, sample index, reason)."""
        out = np.zeros(n, np.float32)
        events: list[tuple[str, str, int, str]] = []
        k0, k1 = self.position, self.position + n
        fade = max(1, int(_FADE_S * self.rate))
        keep: list[_Voice] = []
        for v in self.voices:
            end = v.start + len(v.samples) if not v.loop else None
            if v.stop_at is not None:
                end = v.stop_at + fade if end is None else min(end, v.stop_at + fade)
            if v.start >= k1:
                keep.append(v)
                continue
            if v.stop_at is not None and not v.started and v.stop_at <= v.start:
                continue  # stopped before it began: no onset, no offset
            a = max(v.start, k0)
            b = k1 if end is None else min(end, k1)
            if b > a:
                if not v.started:
                    v.started = True
                    if v.is_tone:
                        events.append(("tone", v.line_id, v.start, ""))
                    elif not v.is_music:
                        events.append(("onset", v.line_id, v.start, ""))
                idx = np.arange(a, b) - v.start
                chunk = v.samples[idx % len(v.samples)] if v.loop else v.samples[idx]
                gain = np.full(b - a, v.gain, np.float32)
                if v.target_gain != v.gain:  # a duck or its release: a 10 ms ramp
                    step = (v.target_gain - v.gain) / fade
                    ramp = v.gain + step * np.arange(1, b - a + 1)
                    gain = np.clip(ramp, min(v.gain, v.target_gain), max(v.gain, v.target_gain)).astype(np.float32)
                    v.gain = float(gain[-1])
                    if abs(v.gain - v.target_gain) <= 0.01 * max(abs(v.target_gain), 1e-3):
                        v.gain = v.target_gain  # close enough: the ramp is over
                if v.stop_at is not None:
                    gain *= np.clip((v.stop_at + fade - np.arange(a, b)) / fade, 0.0, 1.0).astype(np.float32)
                out[a - k0 : b - k0] += chunk * gain
            if end is not None and end <= k1:
                if v.started and not v.is_music and not v.is_tone:
                    # a stopped line ends when the stop takes effect (its 10 ms fade is not counted)
                    heard_to = end if v.stop_at is None else min(end, max(v.stop_at, v.start))
                    events.append(("offset", v.line_id, heard_to, v.reason))
                continue
            keep.append(v)
        self.voices = keep
        self.position = k1
        np.clip(out, -1.0, 1.0, out=out)
        events.sort(key=lambda e: (e[2], e[0] == "onset"))  # in time; an offset before an onset at the same sample
        return out, events


_SDL_PAUSE: Callable[[int, int], None] | bool | None = False  # False: not looked up yet


def _sdl_library_paths() -> list[str]:
    """Where pygame-ce keeps its own SDL2 library (Linux and macOS wheels, Windows)."""
    import glob

    import pygame

    here = os.path.dirname(pygame.__file__)
    patterns = [
        os.path.join(os.path.dirname(here), "pygame_ce.libs", "libSDL2-2*.so*"),
        os.path.join(here, ".dylibs", "libSDL2-2*.dylib"),
        os.path.join(here, "SDL2.dll"),
    ]
    return [path for pattern in patterns for path in sorted(glob.glob(pattern))]


def _pause_without_gil(device_id: int) -> bool:
    """``SDL_PauseAudioDevice(device_id, 1)`` through ctypes (the GIL is let go meanwhile); False if unavailable."""
    global _SDL_PAUSE
    if _SDL_PAUSE is False:
        _SDL_PAUSE = None
        import ctypes

        for path in _sdl_library_paths():
            try:
                lib = ctypes.CDLL(path)  # already loaded by pygame: the same library, the same devices
                fn = lib.SDL_PauseAudioDevice
            except (OSError, AttributeError):
                continue
            fn.argtypes = [ctypes.c_uint32, ctypes.c_int]
            fn.restype = None
            _SDL_PAUSE = fn
            break
    if _SDL_PAUSE is None:
        return False
    _SDL_PAUSE(device_id, 1)  # type: ignore[operator]
    return True


def resample_to(samples: np.ndarray, rate: int, to_rate: int) -> np.ndarray:
    """Polyphase resampling (16 kHz lines to the 48 kHz device: exactly x3)."""
    samples = np.asarray(samples, dtype=np.float32)
    if rate == to_rate:
        return samples
    g = gcd(rate, to_rate)
    return scipy_signal().resample_poly(samples, to_rate // g, rate // g).astype(np.float32)


class Player:
    """Schedules and plays caller lines; reports onsets and offsets on the perf_counter clock.

    Open with ``Player.open()``. Read ``available`` (a device plays sound; False means tasks
    that need audio must be blocked unless the proctor overrides) and ``message`` (why not).
    """

    def __init__(
        self,
        *,
        backend: str,
        rate: int,
        buffer_samples: int,
        latency_s: float,
        clock: Callable[[], float],
        driver: str,
        available: bool,
        message: str,
        capture: bool = False,
    ) -> None:
        self.backend = backend
        self.rate = rate
        self.buffer_samples = buffer_samples
        self.latency_s = latency_s
        self.driver = driver
        self.available = available
        self.message = message
        self._clock = clock
        self._mixer = Mixer(rate)
        self._commands: collections.deque[tuple] = collections.deque()
        self._events: collections.deque[AudioEvent] = collections.deque()
        self._offsets: collections.deque[float] = collections.deque(maxlen=_CLOCK_WINDOW)
        self._t0: float | None = None  # perf_counter time of output sample 0 (before latency)
        self._base: float = 0.0  # perf_counter time at which output sample 0 is heard, for this buffer
        self._lines: dict[str, np.ndarray] = {}
        self._prepared: dict[str, tuple[np.ndarray, int, np.ndarray]] = {}  # line id: (source, rate, at device rate)
        # lines waiting for their cue: (at, line_id, samples, gain); placed on the sample clock only in
        # the buffer where they start, so a drifting device clock cannot move an onset
        self._pending: list[tuple[float, str, np.ndarray, float]] = []
        self.clock_log: list[tuple[float, int]] | None = None  # (t_callback, first sample), if kept
        self._lock = threading.Lock()
        self._device = None
        self._virtual_start: float | None = None
        self._capture: list[np.ndarray] | None = [] if capture else None
        self._hold_music: np.ndarray | None = None
        self.errors: list[str] = []
        self._closing = threading.Event()  # set at the end of every callback

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(
        cls,
        device: str | None = None,
        *,
        backend: str = "sdl",
        rate: int = DEVICE_RATE,
        buffer_samples: int = BUFFER_SAMPLES,
        latency_s: float | None = None,
        clock: Callable[[], float] = time.perf_counter,
        capture: bool = False,
    ) -> Player:
        """Open the SDL device ``device`` (None: the system default), or the ``virtual`` backend.

        With no usable audio device this does not raise: it returns a virtual player with
        ``available = False`` and a ``message`` for the proctor.
        """
        if backend == "virtual":
            player = cls(
                backend="virtual", rate=rate, buffer_samples=buffer_samples, latency_s=latency_s or 0.0,
                clock=clock, driver="virtual", available=False,
                message="virtual audio: nothing is heard (tests, or audio overridden by the proctor)", capture=capture,
            )
            player._virtual_start = clock()
            player._t0 = player._virtual_start
            player._base = player._t0 + player.latency_s
            return player
        if backend != "sdl":
            raise ValueError(f"unknown audio backend {backend!r}; use 'sdl' or 'virtual'")
        driver = os.environ.get("SDL_AUDIODRIVER", "") or "default"
        try:
            from pygame._sdl2 import audio as sdl_audio
            from pygame._sdl2 import sdl2

            sdl2.init_subsystem(sdl2.INIT_AUDIO)
            # The callback is Python and needs the GIL every 5.3 ms; with the default 5 ms switch
            # interval a busy main thread delayed callbacks by up to 0.1-0.2 s (measured under the
            # disk driver); at 1 ms the longest gap measured 11 ms. A process-wide setting.
            sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL_S))
            player = cls(
                backend="sdl", rate=rate, buffer_samples=buffer_samples,
                latency_s=buffer_samples / rate if latency_s is None else latency_s,
                clock=time.perf_counter, driver=driver, available=True, message="", capture=capture,
            )
            player._device = sdl_audio.AudioDevice(
                devicename=device, iscapture=False, frequency=rate, audioformat=sdl_audio.AUDIO_F32,
                numchannels=1, chunksize=buffer_samples, allowed_changes=0, callback=player._callback,
            )
        except Exception as exc:  # pygame raises its own error types; any failure means no device
            message = (
                f"no audio device ({exc}); check the headset and the sound settings. Tasks with a caller are "
                "blocked unless the proctor overrides; typing tasks still run."
            )
            player = cls.open(backend="virtual", rate=rate, buffer_samples=buffer_samples, clock=clock)
            player.message = message
            return player
        if driver == "dummy":
            player.message = "SDL dummy audio driver: lines are mixed and timed but nothing is heard"
        elif driver == "disk":
            out_file = os.environ.get("SDL_DISKAUDIOFILE", "sdlaudio.raw")
            player.message = f"SDL disk audio driver: output written to {out_file}"
        player._device.pause(0)
        return player

    def close(self) -> None:
        """Stop the device (idempotent).

        pygame's ``AudioDevice.pause`` and ``close`` keep the GIL while SDL waits for a running
        callback, and the callback waits for the GIL: a deadlock whenever SDL is mid-callback. So
        the device is paused through ctypes (which lets go of the GIL) on the very SDL library
        pygame uses; once paused, SDL calls no more callbacks and pygame's ``close`` is safe.
        """
        if self._device is None:
            return
        device, self._device = self._device, None
        if not _pause_without_gil(device.deviceid):
            self._closing.clear()
            self._closing.wait(0.2)  # no ctypes SDL: pause just after a callback, while SDL sleeps
            device.pause(1)
        device.close()

    def __enter__(self) -> Player:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --------------------------------------------------------------- commands
    def prepare(self, samples: np.ndarray, rate: int) -> np.ndarray:
        """``samples`` at ``rate`` resampled to the device rate (do it before the cue, not at it)."""
        return resample_to(samples, rate, self.rate)

    def schedule(
        self, line_id: str, samples: np.ndarray, at: float, *, rate: int | None = None, gain: float = 1.0
    ) -> None:
        """Play ``samples`` (at ``rate``; default: already at the device rate) from perf_counter time ``at``.

        A cue already past starts as soon as possible; ``poll`` reports the actual onset.
        A ``line_id`` already playing is stopped first (a replay restarts the line).
        """
        if rate is None or rate == self.rate:
            data = np.asarray(samples, np.float32)
        else:
            # resampled once per line and kept: a cue (or a replay) costs no resampling on the main loop
            known = self._prepared.get(line_id)
            if known is not None and known[0] is samples and known[1] == rate:
                data = known[2]
            else:
                data = self.prepare(samples, rate)
                self._prepared[line_id] = (samples, rate, data)
        self._lines[line_id] = data
        self._pump()
        self._commands.append(("play", line_id, data, float(at), float(gain)))
        self._pump()

    def play_now(self, line_id: str, samples: np.ndarray, *, rate: int | None = None, gain: float = 1.0) -> None:
        """Play ``samples`` as soon as possible."""
        self.schedule(line_id, samples, at=-np.inf, rate=rate, gain=gain)

    def replay(self, line_id: str, at: float | None = None) -> None:
        """Play a line played before once more (from its start), now or at ``at``."""
        if line_id not in self._lines:
            raise KeyError(f"line {line_id!r} was never played")
        self.schedule(line_id, self._lines[line_id], at=-np.inf if at is None else at)

    def tone(self, name: str, samples: np.ndarray, *, rate: int | None = None, gain: float = 1.0) -> None:
        """Play a desk sound ``name`` (the chat's alert) now: no caller line, so ``poll`` reports
        one ``tone`` event at its start, never an onset or offset, and hold does not stop it."""
        data = self.prepare(samples, rate) if rate and rate != self.rate else np.asarray(samples, np.float32)
        self._pump()
        self._commands.append(("tone", name, data, float(gain)))
        self._pump()

    def stop(self, line_id: str) -> None:
        """Stop ``line_id`` with a 10 ms fade; its offset (reason "stop") is when the fade begins."""
        self._pump()
        self._commands.append(("stop", line_id, "stop"))
        self._pump()

    def stop_all(self) -> None:
        """Stop every line and the hold music (the room background goes on)."""
        self._pump()
        self._commands.append(("stop_all",))
        self._pump()

    def hold(
        self, on: bool, *, music: np.ndarray | None = None, music_rate: int | None = None, mode: str = "stop"
    ) -> None:
        """Put the call on hold (``on``) or take it off hold.

        ``mode`` "stop": lines playing stop (offset reason "hold"); "duck": they go on 20 dB lower
        until hold ends. ``music`` (looped) plays during hold; None means silence.
        """
        if mode not in ("stop", "duck"):
            raise ValueError("hold mode must be 'stop' or 'duck'")
        data = None
        if music is not None:
            data = self.prepare(music, music_rate) if music_rate else np.asarray(music, np.float32)
        self._pump()
        self._commands.append(("hold", bool(on), data, mode))
        self._pump()

    def background(self, samples: np.ndarray | None, *, rate: int | None = None) -> None:
        """Loop ``samples`` under everything (the contact-centre room); None removes it."""
        data = None
        if samples is not None:
            data = self.prepare(samples, rate) if rate else np.asarray(samples, np.float32)
        self._pump()
        self._commands.append(("background", data))
        self._pump()

    def is_playing(self, line_id: str) -> bool:
        """Whether ``line_id`` is scheduled or sounding."""
        self._pump()
        with self._lock:
            return (
                any(v.line_id == line_id for v in self._mixer.voices)
                or any(p[1] == line_id for p in self._pending)
                or any(c[0] == "play" and c[1] == line_id for c in self._commands)
            )

    def poll(self, *, include_future: bool = False) -> list[AudioEvent]:
        """Onsets and offsets whose time has come (all known ones with ``include_future``), in time order."""
        self._pump()
        now = self._clock()
        out: list[AudioEvent] = []
        keep: list[AudioEvent] = []
        with self._lock:
            while self._events:
                ev = self._events.popleft()
                (out if include_future or ev.t <= now else keep).append(ev)
            self._events.extend(keep)
        return sorted(out, key=lambda e: e.t)

    def sample_time(self, sample_index: int) -> float | None:
        """The perf_counter time at which output sample ``sample_index`` is heard (None before start)."""
        if self._t0 is None:
            return None
        return self._t0 + sample_index / self.rate + self.latency_s

    @property
    def captured(self) -> np.ndarray:
        """Everything mixed so far (only with ``capture=True``)."""
        if self._capture is None:
            raise RuntimeError("open the player with capture=True to keep its output")
        self._pump()
        return np.concatenate(self._capture) if self._capture else np.zeros(0, np.float32)

    # --------------------------------------------------------- the mixing side
    def _apply_commands(self) -> None:
        m = self._mixer
        while self._commands:
            cmd = self._commands.popleft()
            if cmd[0] == "play":
                _, line_id, data, at, gain = cmd
                m.stop(line_id, reason="stop")
                self._pending = [p for p in self._pending if p[1] != line_id]
                self._pending.append((at, line_id, data, gain))
            elif cmd[0] == "tone":
                _, name, data, gain = cmd
                m.stop(name)  # a tone again restarts it
                m.add(_Voice(name, data, m.position, gain=gain, target_gain=gain, is_tone=True))
            elif cmd[0] == "stop":
                m.stop(cmd[1], reason=cmd[2])
                self._pending = [p for p in self._pending if p[1] != cmd[1]]
            elif cmd[0] == "stop_all":
                self._pending.clear()
                for v in m.voices:
                    if v.line_id != "__room__":  # the room goes on
                        m.stop(v.line_id)
            elif cmd[0] == "hold":
                _, on, music, mode = cmd
                m.stop("__hold__")
                if on:
                    if mode == "stop":
                        for v in m.voices:
                            if not v.is_music and not v.is_tone:
                                m.stop(v.line_id, reason="hold")
                    else:
                        m.duck_gain = 0.1
                        for v in m.voices:
                            if not v.is_music and not v.is_tone:
                                v.target_gain = v.target_gain * 0.1
                    if music is not None:
                        m.add(_Voice("__hold__", music, m.position, is_music=True, loop=True))
                else:
                    if m.duck_gain != 1.0:
                        for v in m.voices:
                            if not v.is_music and not v.is_tone:
                                v.target_gain = v.target_gain / m.duck_gain
                        m.duck_gain = 1.0
            elif cmd[0] == "background":
                m.voices = [v for v in m.voices if v.line_id != "__room__"]
                if cmd[1] is not None:
                    m.add(_Voice("__room__", cmd[1], m.position, is_music=True, loop=True))

    def _start_due(self, n: int) -> None:
        """Put the lines whose cue falls before the end of the next ``n`` samples on the sample clock."""
        m = self._mixer
        keep = []
        for at, line_id, data, gain in sorted(self._pending, key=lambda p: p[0]):
            start = m.position if not np.isfinite(at) else round((at - self._base) * self.rate)
            if start < m.position + n:
                m.add(_Voice(line_id=line_id, samples=data, start=start, gain=gain * m.duck_gain,
                             target_gain=gain * m.duck_gain))
            else:
                keep.append((at, line_id, data, gain))
        self._pending = keep

    def _mix(self, n: int) -> np.ndarray:
        with self._lock:
            self._apply_commands()
            self._start_due(n)
            out, events = self._mixer.render(n)
            for kind, line_id, k, reason in events:
                self._events.append(AudioEvent(kind, line_id, self._base + k / self.rate, reason))
        if self._capture is not None:
            self._capture.append(out)
        return out

    def _callback(self, device: object, stream: memoryview) -> None:
        """SDL's audio thread: note the clock, mix the next buffer, write it."""
        try:
            t_call = time.perf_counter()
            n = len(stream) // 4
            self._offsets.append(t_call - self._mixer.position / self.rate)
            self._t0 = min(self._offsets)
            # a buffer cannot be heard before it is written: a very late callback moves this buffer later
            self._base = max(self._t0 + self.latency_s, self._offsets[-1])
            if self.clock_log is not None:
                self.clock_log.append((t_call, self._mixer.position))
            out = self._mix(n)
            stream[:] = out.tobytes()
        except Exception as exc:  # never let the audio thread die; silence instead
            stream[:] = bytes(len(stream))
            if len(self.errors) < 10:
                self.errors.append(repr(exc))
        self._closing.set()

    def _pump(self) -> None:
        """Virtual backend: mix up to now on the player's clock (before a command, so that it acts now)."""
        if self.backend != "virtual" or self._virtual_start is None:
            return
        due = int((self._clock() - self._virtual_start) * self.rate) - self._mixer.position
        while due > 0:
            n = min(due, 48_000)
            self._mix(n)
            due -= n
