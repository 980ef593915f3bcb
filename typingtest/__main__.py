"""`python -m typingtest` runs the command line."""

from __future__ import annotations

import sys

from typingtest.cli import main

if __name__ == "__main__":  # not when a worker process re-imports this module (spawn, on Windows)
    sys.exit(main())
