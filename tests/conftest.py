"""Test set-up shared by every test: headless SDL, Agg matplotlib, the shared data folder."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import matplotlib
import pytest

matplotlib.use("Agg")

REPO = Path(__file__).resolve().parents[1]
#: Real keystroke logs of the 136M Keystrokes study, read from the shared folder, never copied.
AALTO_SAMPLE = REPO.parent / "shared" / "data" / "aalto136m-sample"


@pytest.fixture
def aalto_sample() -> Path:
    """The shared 136M Keystrokes sample folder; skips loudly where it is absent."""
    if not AALTO_SAMPLE.is_dir():
        pytest.skip(f"SKIPPED LOUDLY: shared sample not found at {AALTO_SAMPLE}")
    return AALTO_SAMPLE


@pytest.fixture
def results_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh results folder for one test (never the repository's results/)."""
    d = tmp_path / "results"
    d.mkdir()
    monkeypatch.setenv("TYPINGTEST_RESULTS", str(d))
    monkeypatch.delenv("TYPINGTEST_DB", raising=False)
    monkeypatch.delenv("TYPINGTEST_SETTINGS", raising=False)
    return d
