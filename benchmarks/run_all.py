"""Run every benchmark in this folder, one after another (``make bench``).

Each ``bench_<part>.py`` is also runnable on its own: ``python -m benchmarks.bench_<part>``.
Results are printed; the figures kept are written by hand into ``docs/benchmarks.md``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

__all__ = ["main"]


def main() -> int:
    """Run each benchmark module in a fresh interpreter; the exit code is the number that failed."""
    here = Path(__file__).resolve().parent
    failed = 0
    for script in sorted(here.glob("bench_*.py")):
        module = f"benchmarks.{script.stem}"
        print(f"== {module}", flush=True)
        failed += subprocess.run([sys.executable, "-m", module], cwd=here.parent).returncode != 0
    return failed


if __name__ == "__main__":
    sys.exit(main())
