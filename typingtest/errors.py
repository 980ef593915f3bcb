"""The one exception a user can cause: the CLI prints it as one line and exits non-zero."""

from __future__ import annotations

__all__ = ["UserError"]


class UserError(Exception):
    """A mistake in input the user can fix (a file, a field, an id).

    The message names the file and field and says what to do; the CLI prints it as
    ``typingtest: error: <message>`` and exits with ``exit_code`` (2 by default).
    """

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code
