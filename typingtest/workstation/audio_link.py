"""The workstation's side of caller audio: render an item's lines, play them, report onsets.

Wraps the audio engineer's ``typingtest.audio`` player (an SDL callback mixer that knows the
sample each line starts at) and renderer (eSpeak NG + telephone chain, cached). Onsets and
offsets come back on the loop's clock and are logged as AUDIO_ONSET / AUDIO_OFFSET rows with
target ``line`` and the line id as text.

Desk sounds (``play_tone``: the chat's alert) are no caller line: ``poll`` never returns them
(no AUDIO_ONSET/OFFSET row, so the scoring, the load figures and the replay do not see them);
their starts are kept in ``tones`` and the scene logs the alert itself (SCREEN ``tone``).

``silent=True`` skips synthesis: each line is silence as long as the text would take to say
(``SILENT_CHARS_PER_S``), played on the virtual backend on the app's clock. Headless tests use
it; onsets and offsets are still logged, so the scoring's line triggers work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from typingtest.engine.events import EventKind

__all__ = ["SILENT_CHARS_PER_S", "CallerAudio", "LineText", "desk_tone"]

#: Speaking rate assumed for silent stand-in lines (characters per second, about 150 wpm).
SILENT_CHARS_PER_S = 14.0
_SILENT_RATE = 8000


def desk_tone(rate: int, notes: tuple[float, ...] = (880.0, 1320.0), note_s: float = 0.09,
              gap_s: float = 0.04, level: float = 0.25) -> np.ndarray:
    """The chat's alert: two short sine notes (``notes`` in Hz, ``note_s`` seconds each,
    ``gap_s`` apart, peak ``level`` of full scale) with 5 ms fades, at ``rate`` samples per second.
    About 0.22 s: heard over a caller, gone before the next word."""
    n, fade = int(note_s * rate), max(1, int(0.005 * rate))
    envelope = np.ones(n, np.float32)
    envelope[:fade] = np.linspace(0.0, 1.0, fade, dtype=np.float32)
    envelope[-fade:] = np.linspace(1.0, 0.0, fade, dtype=np.float32)
    t = np.arange(n) / rate
    parts: list[np.ndarray] = []
    for i, hz in enumerate(notes):
        if i:
            parts.append(np.zeros(int(gap_s * rate), np.float32))
        parts.append((level * np.sin(2 * np.pi * hz * t) * envelope).astype(np.float32))
    return np.concatenate(parts)


@dataclass(frozen=True)
class LineText:
    """A caller line to render: id, text, voice, optional recorded file."""

    id: str
    text: str
    voice: str
    audio: str | None = None


class CallerAudio:
    """Renders and plays caller lines; ``poll()`` gives ``(EventKind, line_id, t)`` onsets/offsets."""

    def __init__(self, clock: Callable[[], float], *, silent: bool = False, device: str | None = None) -> None:
        self.silent = silent
        self.clock = clock
        self.samples: dict[str, tuple[np.ndarray, int]] = {}
        #: desk sounds played: (name, start on the loop's clock), as the player reported them
        self.tones: list[tuple[str, float]] = []
        self.message = ""
        from typingtest.audio.player import Player

        if silent:
            self.player = Player.open(backend="virtual", clock=clock)
            self.available = True
            self.message = "silent audio (headless)"
        else:
            self.player = Player.open(device)
            self.available = bool(self.player.available)
            self.message = self.player.message

    def use_virtual(self) -> None:
        """The proctor allowed audio tasks without sound: keep logging onsets on a virtual player."""
        from typingtest.audio.player import Player

        self.player.close()
        self.player = Player.open(backend="virtual", clock=self.clock)
        self.available = True

    def prepare(self, lines: Iterable[LineText], source: str = "", base_dir: Any = None) -> None:
        """Render every line now and resample it to the device rate (before the task starts; eSpeak
        renders seconds in milliseconds), so that playing a line costs the loop nothing."""
        for line in lines:
            if self.silent:
                n = int(max(0.3, len(line.text) / SILENT_CHARS_PER_S) * _SILENT_RATE)
                self.samples[line.id] = (np.zeros(n, np.float32), _SILENT_RATE)
                continue
            from pathlib import Path

            from typingtest.audio.render import AudioCache, LineSpec

            file = None
            if line.audio:
                file = Path(line.audio) if base_dir is None else Path(base_dir) / line.audio
            spec = LineSpec(text=line.text, voice=line.voice, file=file, source=f"{source}: line {line.id}")
            rendered = AudioCache().get(spec)
            samples, rate = rendered.samples, rendered.rate
            if self.available and rate != self.player.rate:
                # resampled to the device rate now, before the task starts: the first cue would
                # otherwise import scipy and resample on the loop (a 0.3 s stall with keys waiting)
                samples, rate = self.player.prepare(samples, rate), self.player.rate
            self.samples[line.id] = (samples, rate)

    def seconds(self, line_id: str) -> float:
        """Length of a prepared line (seconds)."""
        data, rate = self.samples[line_id]
        return len(data) / rate

    def play(self, line_id: str, at: float | None = None) -> None:
        """Play a prepared line now (or at ``at`` on the loop's clock)."""
        data, rate = self.samples[line_id]
        if at is None:
            self.player.play_now(line_id, data, rate=rate)
        else:
            self.player.schedule(line_id, data, at=at, rate=rate)

    def play_tone(self, name: str = "chat") -> None:
        """Play the desk sound ``name`` now (the chat's alert, ``desk_tone``): a desk sound, not a caller
        line, so ``poll`` does not report it; its start is added to ``tones``."""
        rate = self.player.rate
        self.player.tone(f"tone:{name}", desk_tone(rate), rate=rate)

    def stop_all(self) -> None:
        """Stop every line (hang-up, end of task)."""
        self.player.stop_all()

    def hold(self, on: bool) -> None:
        """Hold: lines stop; off hold: nothing resumes by itself."""
        self.player.hold(on)

    def poll(self) -> list[tuple[EventKind, str, float]]:
        """Onsets and offsets that happened since the last poll (times on the loop's clock)."""
        out = []
        for ev in self.player.poll():
            if ev.kind == "tone":  # a desk sound: kept apart, never a caller line's onset
                self.tones.append((ev.line_id.removeprefix("tone:"), ev.t))
                continue
            kind = EventKind.AUDIO_ONSET if ev.kind == "onset" else EventKind.AUDIO_OFFSET
            out.append((kind, ev.line_id, ev.t))
        return out

    def close(self) -> None:
        """Release the audio device."""
        self.player.close()
