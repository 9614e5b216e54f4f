"""What reaches a terminal: stored text shows its control characters escaped, never acted upon.

A title or body can hold escape sequences (an imported calendar can carry them) that would clear
the screen, retitle the window or hide text. When standard output is a terminal, `journal` writes
through :class:`TerminalText`, which shows each control character (C0 but newline and tab, DEL,
C1) and each bidirectional override as a ``\\u001b`` escape: readable on screen, and still valid
JSON with the same meaning. Output to a pipe or a file is left exact. Our own highlighting gets
through by way of marks that the stream alone turns into escape sequences.
"""

from __future__ import annotations

import io
import os
from typing import TextIO

_UNSAFE = (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0),
           0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_ESCAPES = {code: f"\\u{code:04x}" for code in _UNSAFE}
BOLD, PLAIN = "\x1b[1m", "\x1b[0m"


def escaped(text: str) -> str:
    """``text`` with every control character and bidirectional override written as ``\\uXXXX``."""
    return text.translate(_ESCAPES)


def without_controls(text: str) -> str:
    """``text`` without control characters nor bidirectional overrides (for names and tags)."""
    return text.translate(dict.fromkeys(_UNSAFE))


class TerminalText(io.TextIOBase):
    """A terminal's text stream that escapes what it is given, then puts back our own highlights."""

    def __init__(self, stream: TextIO):
        self._stream = stream
        self._marks: dict[str, str] = {}

    def highlight(self) -> tuple[str, str]:
        """Two marks (random, printable: no stored text holds them) that this stream shows as bold."""
        import secrets  # only pages that highlight pay for it

        token = secrets.token_hex(8)
        before, after = f"<{token}", f"{token}>"
        self._marks.update({before: BOLD, after: PLAIN})
        return before, after

    def write(self, text: str) -> int:
        shown = escaped(text)
        for mark, sequence in self._marks.items():
            shown = shown.replace(mark, sequence)
        self._stream.write(shown)
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:
        return self._stream.encoding

    @property
    def errors(self) -> str | None:
        return self._stream.errors


def guard_stdout(stream: TextIO) -> TextIO:
    """``stream`` wrapped in :class:`TerminalText` when it is a terminal, else as it is."""
    return TerminalText(stream) if stream.isatty() else stream


def highlight_marks(stream: TextIO) -> tuple[str, str] | None:
    """Marks that ``stream`` shows as bold: only on our terminal stream, and not with $NO_COLOR."""
    if isinstance(stream, TerminalText) and not os.environ.get("NO_COLOR"):
        return stream.highlight()
    return None
