"""Commands of this part of typingtest (added to the CLI by ``typingtest.cli``)."""

from __future__ import annotations

import argparse

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this part's commands to the ``typingtest`` parser."""
