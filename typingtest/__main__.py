"""`python -m typingtest` runs the command line."""

from __future__ import annotations

import sys

from typingtest.cli import main

sys.exit(main())
