"""`journal import json`: our own JSON export read back exactly (ids, times, provenance, privacy).

A file as `journal export` writes it (UTF-8, every field, each of its type) is decoded straight into
typed records by msgspec, several times faster than the standard library's JSON parser and its
dicts. Any other file (older exports, hand-edited or malformed ones) is read the general way, which
alone words the errors; both give the same rows for every file the fast way accepts.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator

import msgspec

from journal.importers.core import ParseContext, Skip, guess_format, load_json, wrong_shape
from journal.importers.exported import FIELDS, TYPES, from_record, read
from journal.importers.rows import Row
from journal.i18n import _

# One record of our export, every field present (a field the export writes but does not read back,
# such as date or end, is passed over).
_Exported = msgspec.defstruct(
    "Exported", [(name, TYPES.get(name, str) | None) for name in FIELDS], gc=False, forbid_unknown_fields=False,
)
_DECODER = msgspec.json.Decoder(list[_Exported])


def parse(data: bytes, ctx: ParseContext, file: str) -> Iterator[Row | Skip]:
    exported = own_export(data)
    if exported is not None:
        astuple, label = msgspec.structs.astuple, _("record {number}")
        for number, record in enumerate(exported, start=1):
            yield read(astuple(record), label.format(number=number), file, ctx)
        return
    records = load_json(data, file, "json")
    if not isinstance(records, list):
        raise wrong_shape(file, "json", records, _("expected a JSON array of records as `journal export` writes"))
    if guess_format(records) not in ("json", None):
        raise wrong_shape(file, "json", records, _("records of another format"))
    label = _("record {number}")
    for number, record in enumerate(records, start=1):
        yield from_record(record, label.format(number=number), file, ctx)


def own_export(data: bytes) -> list | None:
    """The file's records when it is exactly as `journal export` writes it, else None (read it the general way)."""
    try:
        return _DECODER.decode(data[len(codecs.BOM_UTF8):] if data.startswith(codecs.BOM_UTF8) else data)
    except msgspec.MsgspecError:
        return None
