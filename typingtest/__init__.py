"""typingtest: a typing and multitasking skills test for contact-centre operator candidates."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
