"""The shipped lines: the quick battery's caller lines render unclipped, at one loudness.

(All 143 shipped lines are checked by ``python -m benchmarks.bench_audio``; this is the quick battery.)
"""

from __future__ import annotations

from typingtest.audio import active_level_dbfs, peak_dbfs, render_line
from typingtest.audio.battery import collect_lines
from typingtest.config import PASSAGES_DIR


def test_quick_battery_lines_unclipped_and_level():
    lines = [bl for bl in collect_lines("quick", PASSAGES_DIR) if not bl.per_candidate]
    assert lines, "the quick battery has caller lines"
    rendered = [render_line(bl.spec) for bl in lines]
    levels = [active_level_dbfs(r.samples, r.rate) for r in rendered]
    # active speech level (typingtest.audio.chain): every line -23 dBFS within 1 dB of each other
    assert max(levels) - min(levels) <= 1.0
    # no clipping: the limiter keeps every sample at or under -1 dBFS
    assert max(peak_dbfs(r.samples) for r in rendered) <= -1.0
