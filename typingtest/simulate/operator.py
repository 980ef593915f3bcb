"""Multitasking behaviour of a virtual candidate: reaction times, pointing, wrong clicks.

Pure computation (no pygame): ``drive.py`` asks these functions how long the candidate takes
and where the click lands, and posts the events at those times.

- Reaction times are lognormal around the profile's median for the kind of stimulus (the
  ring, a chat message, a caller's request), spread ``Profile.reaction_spread`` (sigma of the
  log), as choice reaction times are (Luce 1986).
- Pointing: Fitts' law, Shannon formulation (MacKenzie 1992):
  MT = a + b log2(D / W + 1), D the distance to the target's centre and W the target's
  smaller side, both in pixels.
- Wrong clicks land on a neighbouring row of a list (or a neighbouring widget); wrong fields
  receive a value meant for another field. Both are recorded in ``Slip`` rows, so that a test
  knows which expected actions should fail.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from typingtest.simulate.typist import Profile

__all__ = ["Pointer", "Slip", "fitts_time", "reaction_time"]


def fitts_time(distance_px: float, width_px: float, a_s: float = 0.23, b_s: float = 0.166) -> float:
    """Movement time (s) to a target ``width_px`` wide at ``distance_px`` (Shannon form of Fitts' law)."""
    width = max(1.0, float(width_px))
    return a_s + b_s * math.log2(max(0.0, float(distance_px)) / width + 1.0)


def reaction_time(rng: np.random.Generator, profile: Profile, stimulus: str) -> float:
    """Seconds from a stimulus (``ring``, ``chat``, ``request``) to the start of the response."""
    median = {"ring": profile.reaction_ring_s, "chat": profile.reaction_chat_s}.get(
        stimulus, profile.reaction_request_s
    )
    return float(median * math.exp(rng.normal(0.0, profile.reaction_spread)))


@dataclass
class Pointer:
    """The mouse pointer's position (pixels) and the movement-time model."""

    x: float = 640.0
    y: float = 360.0

    def move_time(self, rect: tuple[int, int, int, int], profile: Profile) -> float:
        """Seconds to move to the centre of ``rect`` (x, y, w, h); the pointer ends there."""
        cx, cy = rect[0] + rect[2] / 2.0, rect[1] + rect[3] / 2.0
        d = math.hypot(cx - self.x, cy - self.y)
        self.x, self.y = cx, cy
        return fitts_time(d, min(rect[2], rect[3]), profile.fitts_a_s, profile.fitts_b_s)


@dataclass(frozen=True)
class Slip:
    """A deliberate slip the virtual candidate made: what it meant and what it did (attempt clock, s)."""

    t: float
    kind: str  # "wrong-click" or "wrong-field"
    intended: str
    done: str
