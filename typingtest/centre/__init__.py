"""typingtest.centre: running a test centre from the command line (issue 13).

``typingtest registration`` (``commands.py``) registers candidates for a battery and prints their
access codes; the rules are in ``typingtest.store.registrations``, which the console's
registrations page and the workstation's intake call too.
"""

from __future__ import annotations

__all__: list[str] = []
