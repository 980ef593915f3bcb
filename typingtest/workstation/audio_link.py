"""The workstation's side of caller audio: render an item's lines, play them, report onsets.

Wraps the audio engineer's ``typingtest.audio`` player (an SDL callback mixer that knows the
sample each line starts at) and renderer (eSpeak NG + telephone chain, cached). Onsets and
offsets come back on the loop's clock and are logged as AUDIO_ONSET / AUDIO_OFFSET rows with
target ``line`` and the line id as text.

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

__all__ = ["SILENT_CHARS_PER_S", "CallerAudio", "LineText"]

#: Speaking rate assumed for silent stand-in lines (characters per second, about 150 wpm).
SILENT_CHARS_PER_S = 14.0
_SILENT_RATE = 8000


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

    def play_sequence(self, line_ids: Iterable[str], gap_s: float = 0.6, start: float | None = None) -> None:
        """Play lines one after another with ``gap_s`` seconds of silence between them."""
        t = self.clock() + 0.05 if start is None else start
        for lid in line_ids:
            self.play(lid, at=t)
            t += self.seconds(lid) + gap_s

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
            kind = EventKind.AUDIO_ONSET if ev.kind == "onset" else EventKind.AUDIO_OFFSET
            out.append((kind, ev.line_id, ev.t))
        return out

    def close(self) -> None:
        """Release the audio device."""
        self.player.close()
