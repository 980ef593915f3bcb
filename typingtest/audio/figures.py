"""The figure of docs/audio.md: one caller line before and after the telephone chain.

Run: ``python -m typingtest.audio.figures [docs/audio-spectrogram.png]``
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

__all__ = ["EXAMPLE_LINE", "EXAMPLE_VOICE", "main", "spectrogram_figure"]

EXAMPLE_LINE = "Goedemiddag, u spreekt met An Peeters. Mijn klantnummer is [digits:31754059]."
EXAMPLE_VOICE = "nl-caller-1"


def spectrogram_figure(out: Path) -> Path:
    """Write the before/after spectrogram PNG to ``out``; returns ``out``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from scipy import signal

    from typingtest.audio import speech
    from typingtest.audio.chain import normalise
    from typingtest.audio.render import LineSpec, render_line
    from typingtest.audio.spoken import to_ssml
    from typingtest.audio.voices import get_voice

    voice = get_voice(EXAMPLE_VOICE)
    raw = speech.synthesize_ssml(
        to_ssml(EXAMPLE_LINE, voice.lang), voice.espeak_voice,
        rate_wpm=voice.rate_wpm, pitch=voice.pitch, pitch_range=voice.pitch_range,
    )
    raw_rate = speech.sample_rate()
    raw = normalise(raw, raw_rate, -23.0)
    line = render_line(LineSpec(EXAMPLE_LINE, EXAMPLE_VOICE))
    fig, axes = plt.subplots(2, 1, figsize=(9, 5.5), sharex=True, constrained_layout=True)
    for ax, x, rate, title in (
        (axes[0], raw, raw_rate, f"eSpeak NG output ({raw_rate} Hz), {EXAMPLE_VOICE}"),
        (axes[1], line.samples, line.rate, f"after the telephone chain ({line.rate} Hz): 300-3400 Hz band, line noise"),
    ):
        f, t, sxx = signal.spectrogram(x, fs=rate, nperseg=512, noverlap=384, window="hann")
        db = 10 * np.log10(sxx + 1e-12)
        mesh = ax.pcolormesh(t, f / 1000, db, shading="auto", cmap="magma", vmin=db.max() - 80, vmax=db.max())
        for edge in (0.3, 3.4):
            ax.axhline(edge, color="white", lw=0.8, ls="--")
        ax.set_ylim(0, raw_rate / 2000)
        ax.set_ylabel("kHz")
        ax.set_title(title, fontsize=10)
    axes[1].set_xlabel("seconds")
    fig.colorbar(mesh, ax=axes, label="dB (80 dB range)")
    fig.suptitle(f'"{EXAMPLE_LINE}"', fontsize=9)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=80)
    plt.close(fig)
    from PIL import Image  # matplotlib's own dependency

    with Image.open(out) as img:  # 64-colour palette: a third of the bytes, the same picture
        img.convert("RGB").quantize(colors=64).save(out, optimize=True)
    return out


def main(argv: list[str] | None = None) -> int:
    """Write the figure (default ``docs/audio-spectrogram.png`` in the repository)."""
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else Path(__file__).resolve().parents[2] / "docs" / "audio-spectrogram.png"
    print(spectrogram_figure(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
