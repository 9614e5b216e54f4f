"""`journal import csv`: our own CSV export read back, or any spreadsheet or time-tracker export.

Our own export is recognised by its columns and read back exactly; anything else is read by
:mod:`journal.importers.spreadsheet` (usual headers, ``--column FIELD=HEADER``, ``--match`` rules).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from operator import itemgetter

from journal.importers import spreadsheet
from journal.importers.core import Incoming, Notice, ParseContext, Skip, decode_text, guess_format, malformed, wrong_shape
from journal.importers.exported import FIELDS, MISSING, TYPES, read
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
    """Each line's cells in the order of :data:`~journal.importers.exported.FIELDS` (a column the file
    lacks, as in older exports, read as the record's missing field), converted to the JSON export's types."""
    columns = {name: index for index, name in enumerate(header)}  # a repeated column: the last one
    absent = [name for name in FIELDS if name not in columns]
    padding = [MISSING[name] for name in absent]  # put after each line's cells
    cells_of = itemgetter(*[columns[name] if name in columns else absent.index(name) - len(absent) for name in FIELDS])
    shortest = max(columns[name] for name in FIELDS if name in columns) + 1
    typed = [(index, _CONVERT[TYPES[name]]) for index, name in enumerate(FIELDS) if name in TYPES and name in columns]
    line = _("line {number}")
    for cells in reader:
        label = line.format(number=reader.line_num)
        if len(cells) < shortest:
            raise malformed(file, label, _("expected {len} columns").format(len=len(header)))
        if padding:
            cells += padding
        fields = [cell or None for cell in cells_of(cells)]
        for index, convert in typed:
            value = fields[index]
            if value is not None:
                try:
                    fields[index] = convert(value)
                except (ValueError, KeyError):
                    pass  # left as the cell's text, which read() refuses naming the column and what to type
        yield read(fields, label, file, ctx)


def _words(cell: str) -> list[str]:
    return [word for word in cell.split(";") if word]


_CONVERT = {int: int, bool: {"true": True, "false": False}.__getitem__, list: _words}  # as the export writes them
