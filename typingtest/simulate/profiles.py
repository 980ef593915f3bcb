"""Virtual-candidate profiles: the calibrated bands, a default cohort mix, profiles files.

A profiles file (TOML) lists ``[[profile]]`` tables: every key of ``typist.Profile`` may be
given, plus ``weight`` (the share of the cohort drawn with it, default 1)::

    [[profile]]
    name = "careful"
    band = "slow"
    speed_wpm = 32
    error_rate = 0.03
    correction_rate = 0.95
    weight = 2
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np

from typingtest.errors import UserError
from typingtest.simulate.typist import Profile

__all__ = ["BAND_PROFILES", "DEFAULT_COHORT", "draw_profiles", "load_profiles"]

#: One profile per calibration band; error and correction rates chosen so that the model's
#: MSD error rate and backspaces per character match the band's real ones (docs/simulate.md).
BAND_PROFILES: dict[str, Profile] = {
    "slow": Profile(name="slow", band="slow", speed_wpm=38.0, error_rate=0.046, correction_rate=0.72),
    "average": Profile(name="average", band="average", speed_wpm=55.0, error_rate=0.034, correction_rate=0.71),
    "fast": Profile(name="fast", band="fast", speed_wpm=82.0, error_rate=0.024, correction_rate=0.68),
}

#: The default cohort: the three bands, and two profiles built to fail the 3 % margin
#: (errors left in the text: error_rate x (1 - correction_rate) ~ 6 % and 7 %).
DEFAULT_COHORT: list[tuple[Profile, float]] = [
    (BAND_PROFILES["slow"], 2.0),
    (BAND_PROFILES["average"], 3.0),
    (BAND_PROFILES["fast"], 2.0),
    (Profile(name="careless", band="average", speed_wpm=50.0, error_rate=0.09, correction_rate=0.3,
             wrong_click_rate=0.15, wrong_field_rate=0.1), 1.5),
    (Profile(name="hasty", band="fast", speed_wpm=75.0, error_rate=0.1, correction_rate=0.3, pauses=False,
             reaction_request_s=0.8, wrong_click_rate=0.1), 1.5),
]


def load_profiles(path: str | Path) -> list[tuple[Profile, float]]:
    """(profile, weight) pairs from a profiles file; UserError naming the table and key when wrong."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{p}: no such file; give a TOML file of [[profile]] tables") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"{p}: not valid TOML ({exc}); fix the file") from None
    tables = data.get("profile")
    if not isinstance(tables, list) or not tables:
        raise UserError(f"{p}: profile: no [[profile]] tables; add at least one")
    out = []
    for k, table in enumerate(tables, 1):
        t = dict(table)
        weight = t.pop("weight", 1.0)
        base = BAND_PROFILES.get(str(t.get("band", "average")))
        if base is None:
            raise UserError(f"{p}: profile {k}: band: {t.get('band')!r} unknown; use slow, average or fast")
        try:
            prof = Profile.from_dict({**{f: getattr(base, f) for f in ("speed_wpm", "error_rate", "correction_rate")},
                                      **t})
        except (TypeError, ValueError) as exc:
            raise UserError(f"{p}: profile {k}: {exc}; fix the table") from None
        if not isinstance(weight, int | float) or weight <= 0:
            raise UserError(f"{p}: profile {k}: weight: must be a positive number")
        if not 0 <= prof.error_rate <= 0.5 or not 0 <= prof.correction_rate <= 1 or prof.speed_wpm <= 0:
            raise UserError(f"{p}: profile {k}: speed_wpm > 0, error_rate in 0..0.5, correction_rate in 0..1")
        out.append((prof, float(weight)))
    return out


def draw_profiles(n: int, cohort: list[tuple[Profile, float]], seed: int) -> list[Profile]:
    """``n`` profiles in proportion to the weights (largest remainder, then shuffled; seeded)."""
    weights = np.asarray([w for _, w in cohort], float)
    share = weights / weights.sum() * n
    counts = np.floor(share).astype(int)
    for i in np.argsort(-(share - counts), kind="stable")[: n - counts.sum()]:
        counts[i] += 1
    out = [cohort[i][0] for i in range(len(cohort)) for _ in range(counts[i])]
    np.random.default_rng(seed).shuffle(out)
    return out
