"""`journal import csv`: our own CSV export read back, or any spreadsheet or time-tracker export.

Our own export is recognised by its columns and read back exactly; anything else is read by
:mod:`journal.importers.spreadsheet` (usual headers, ``--column FIELD=HEADER``, ``--match`` rules).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from operator import itemgetter

from journal.exporting import EXPORT_COLUMNS
from journal.importers import spreadsheet
from journal.importers.core import Incoming, Notice, ParseContext, Skip, decode_text, guess_format, malformed, wrong_shape
from journal.importers.jsonfile import from_record
from journal.importers.rows import Row
from journal.i18n import _


def parse(data: bytes, ctx: ParseContext, file: str) -> Iterator[Incoming | Row | Skip | Notice]:
    text = decode_text(data, file)
    if guess_format(text) not in ("csv", None):
        raise wrong_shape(file, "csv", text, _("no header row of columns"))
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        raise malformed(file, _("line 1"), _("the file is empty")) from None
    except csv.Error as exc:
        raise malformed(file, _("line 1"), str(exc)) from None
    if {"kind", "start", "tz", "minutes", "source_key"} <= set(header):
        rows = _own_export(reader, header, ctx, file)
    else:
        rows = spreadsheet.rows(reader, header, ctx, file)
    try:
        yield from rows
    except csv.Error as exc:
        raise malformed(file, _("line {line_num}").format(line_num=reader.line_num), str(exc)) from None


def _own_export(reader, header: list[str], ctx: ParseContext, file: str) -> Iterator[Row]:
    kept = [(index, name) for index, name in enumerate(header)
            if name in EXPORT_COLUMNS and name not in ("date", "end")]  # date and end follow from start
    cells_of = itemgetter(*[index for index, _ in kept])  # our own export's header has at least five of them
    names = [name for _, name in kept]
    typed = [(name, convert) for name, convert in _CONVERT.items() if name in names]
    for cells in reader:
        line = _("line {number}").format(number=reader.line_num)
        try:
            record = dict(zip(names, [cell or None for cell in cells_of(cells)]))
            for name, convert in typed:
                if record[name] is not None:
                    record[name] = convert(record[name])
        except IndexError:
            raise malformed(file, line, _("expected {len} columns").format(len=len(header))) from None
        except ValueError as exc:
            raise malformed(file, line, _("not a whole number ({exc})").format(exc=exc)) from None
        yield from_record(record, line, file, ctx)


def _bool(cell: str) -> bool:
    return cell == "true"


def _words(cell: str) -> list[str]:
    return [word for word in cell.split(";") if word]


_CONVERT = {"id": int, "minutes": int, "group_size": int, "on": int, "paid": _bool, "shared": _bool,
            "tags": _words, "emotions": _words}
