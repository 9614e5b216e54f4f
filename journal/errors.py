"""Errors that the CLI turns into one-line messages and documented exit codes."""

from __future__ import annotations

# Exit codes of the command-line contract (DESIGN.md).
EXIT_OK = 0
EXIT_OPERATIONAL = 1
EXIT_USAGE = 2
EXIT_UNMET = 3


class JournalError(Exception):
    """An operational error: no such id, a locked database, a bad file (exit 1)."""

    exit_code = EXIT_OPERATIONAL

    def __init__(self, message: str, hint: str | None = None):
        self.message = message
        self.hint = hint
        super().__init__(self.one_line())

    def one_line(self) -> str:
        text = self.message.rstrip(".")
        if self.hint:
            from journal.i18n import _

            text = _("{message}; {hint}").format(message=text, hint=self.hint)
        return " ".join(text.split())


class InputError(JournalError):
    """Bad input on the command line: a date, a duration, a kind (exit 2)."""

    exit_code = EXIT_USAGE
