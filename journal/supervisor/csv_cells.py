"""CSV downloads made safe to open in a spreadsheet: formula-like cells are neutralised.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula
by Excel, LibreOffice and Google Sheets; OWASP's advice is to prefix it with ``'``. Plain numbers
such as ``-1.5`` are left alone. :class:`CsvRewriter` does this on a streamed download, chunk by
chunk, cutting only between records (a quoted cell may hold newlines).
"""

from __future__ import annotations

import codecs
import csv
import io

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_number(cell: str) -> bool:
    """Whether ``cell`` is a plain number such as ``-1.5`` (left alone)."""
    try:
        float(cell)
    except ValueError:
        return False
    return True


def neutralise(cell: str) -> str:
    """``cell``, prefixed with ``'`` when a spreadsheet would read it as a formula."""
    if cell.startswith(FORMULA_STARTS) and not is_number(cell):
        return "'" + cell
    return cell


def neutralise_records(text: str) -> str:
    """Whole CSV records (``text`` ends between records), with every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for record in csv.reader(io.StringIO(text, newline="")):
        writer.writerow([neutralise(cell) for cell in record])
    return out.getvalue()


class CsvRewriter:
    """Feed it the bytes of a CSV download as they come; it returns the rewritten bytes."""

    def __init__(self):
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""

    def feed(self, chunk: bytes) -> bytes:
        self._pending += self._decoder.decode(chunk)
        cut = self._last_record_end()
        if cut == 0:
            return b""
        ready, self._pending = self._pending[:cut], self._pending[cut:]
        return neutralise_records(ready).encode("utf-8")

    def finish(self) -> bytes:
        rest, self._pending = self._pending + self._decoder.decode(b"", final=True), ""
        return neutralise_records(rest).encode("utf-8") if rest else b""

    def _last_record_end(self) -> int:
        """Just past the last newline that is outside quotes (0 when there is none)."""
        end = 0
        quotes = 0
        start = 0
        while (newline := self._pending.find("\n", start)) != -1:
            quotes += self._pending.count('"', start, newline)
            if quotes % 2 == 0:
                end = newline + 1
            start = newline + 1
        return end
