"""``typingtest simulate`` / ``demo`` errors and profiles files; the operator's formulas."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from typingtest.errors import UserError
from typingtest.simulate.operator import Pointer, fitts_time, reaction_time
from typingtest.simulate.profiles import DEFAULT_COHORT, draw_profiles, load_profiles
from typingtest.simulate.typist import Profile

REPO = Path(__file__).resolve().parents[2]


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    code = "from typingtest.cli import main; raise SystemExit(main())"
    env = {"SDL_VIDEODRIVER": "dummy", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env=env)


def test_fitts_law_shannon_form() -> None:
    # MacKenzie (1992): MT = a + b log2(D/W + 1); D = 300 px, W = 20 px -> log2(16) = 4 bits
    assert fitts_time(300, 20, a_s=0.2, b_s=0.1) == pytest.approx(0.6)
    assert fitts_time(0, 20, a_s=0.2, b_s=0.1) == pytest.approx(0.2)
    p = Pointer(0.0, 0.0)
    t = p.move_time((290, -10, 20, 20), Profile(fitts_a_s=0.2, fitts_b_s=0.1))
    assert t == pytest.approx(0.6) and (p.x, p.y) == (300.0, 0.0)


def test_reaction_times_lognormal_around_the_median() -> None:
    rng = np.random.default_rng(1)
    prof = Profile(reaction_ring_s=2.0, reaction_spread=0.3)
    xs = [reaction_time(rng, prof, "ring") for _ in range(4000)]
    assert float(np.median(xs)) == pytest.approx(2.0, rel=0.05)
    assert float(np.std(np.log(xs))) == pytest.approx(0.3, rel=0.08)
    assert math.isfinite(reaction_time(rng, prof, "request"))


def test_draw_profiles_in_proportion() -> None:
    drawn = draw_profiles(30, DEFAULT_COHORT, seed=2)
    names = [p.name for p in drawn]
    # weights 2, 3, 2, 1.5, 1.5 of 10 -> 6, 9, 6, 4.5, 4.5 -> largest remainder 6, 9, 6, 5, 4
    assert sorted({n: names.count(n) for n in names}.values()) == [4, 5, 6, 6, 9]
    assert draw_profiles(30, DEFAULT_COHORT, seed=2) == drawn


def test_profiles_file(tmp_path: Path) -> None:
    f = tmp_path / "p.toml"
    f.write_text('[[profile]]\nname = "careful"\nband = "slow"\nspeed_wpm = 30\nweight = 2\n', encoding="utf-8")
    [(prof, w)] = load_profiles(f)
    assert (prof.name, prof.band, prof.speed_wpm, w) == ("careful", "slow", 30, 2.0)
    f.write_text('[[profile]]\nname = "x"\nspeed = 30\n', encoding="utf-8")
    with pytest.raises(UserError, match="profile 1: unknown profile key 'speed'"):
        load_profiles(f)
    f.write_text('[[profile]]\nband = "turbo"\n', encoding="utf-8")
    with pytest.raises(UserError, match="band"):
        load_profiles(f)
    f.write_text("[[profile]\n", encoding="utf-8")
    with pytest.raises(UserError, match="not valid TOML"):
        load_profiles(f)
    with pytest.raises(UserError, match="no such file"):
        load_profiles(tmp_path / "missing.toml")


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    r = _cli("simulate", "--candidates", "0", cwd=tmp_path)
    assert r.returncode != 0 and "--candidates" in r.stderr and "Traceback" not in r.stderr
    r = _cli("simulate", "--profiles", str(tmp_path / "none.toml"), cwd=tmp_path)
    assert r.returncode != 0 and "no such file" in r.stderr and "Traceback" not in r.stderr
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "typingtest.sqlite").write_bytes(b"")
    r = _cli("demo", "--out", str(tmp_path / "demo"), cwd=tmp_path)
    assert r.returncode != 0 and "already there" in r.stderr and "Traceback" not in r.stderr


def test_demo_writes_report_and_progress(tmp_path: Path) -> None:
    r = _cli("demo", "--candidates", "2", "--out", str(tmp_path / "d"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-2000:]
    html = (tmp_path / "d" / "report.html").read_text(encoding="utf-8")
    assert "SIM-demo-1-001" in html and "SIM-demo-1-002" in html
    assert (tmp_path / "d" / "progress" / "progress_net_wpm.png").stat().st_size > 1000
    assert (tmp_path / "d" / "typingtest.sqlite").exists()


def test_simulated_ids_follow_the_candidate_id_rule():
    """A cohort name with spaces or a slash still gives valid, distinct ids (hand-made cases)."""
    from typingtest.ids import is_valid_candidate_id
    from typingtest.simulate.commands import simulated_id

    assert simulated_id("2026-11", 7, 3) == "SIM-2026-11-7-003"
    odd = [simulated_id("Groep A/B", 7, n) for n in (1, 2)]
    assert all(is_valid_candidate_id(c) for c in odd)
    assert odd[0] != odd[1] and odd[0].startswith("SIM-") and "/" not in odd[0]
    assert simulated_id("Groep A/B", 7, 1) != simulated_id("Groep A/C", 7, 1)
