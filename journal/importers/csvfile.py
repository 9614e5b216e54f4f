"""`journal import csv`: our own CSV export read back, or any spreadsheet given a column mapping.

A spreadsheet needs a date and a duration (or hours, or an end time); its columns are found
by their usual names (Date, Start, Duration, Hours, End, Kind, With, Client, Notes, Title, Tags)
or named with ``--column FIELD=HEADER``. Dates like 03/04/2026 follow the ``date_order``
setting. A kind column may say the kind itself or anything that a ``--match`` rule maps.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from datetime import datetime, timedelta

from journal.dates import localize, parse_when
from journal.durations import parse_duration
from journal.entries import SESSION_KINDS, SessionInput
from journal.errors import InputError, JournalError
from journal.exporting import EXPORT_COLUMNS
from journal.importers.core import Incoming, ParseContext, Skip, malformed
from journal.importers.jsonfile import from_record
from journal.importers.matching import NO_RULE
from journal.importers.rows import Row
from journal.names import name_key

# field -> header names recognised without --column (compared case-insensitively)
FIELDS = {
    "date": ("date", "day", "session date"),
    "start": ("start", "start time", "time", "from"),
    "duration": ("duration", "length", "minutes", "mins"),
    "hours": ("hours", "hrs"),
    "end": ("end", "end time", "to", "until"),
    "kind": ("kind", "type", "category"),
    "with": ("with", "supervisor", "therapist"),
    "client": ("client", "client code"),
    "notes": ("notes", "note", "comments"),
    "title": ("title", "description", "summary", "subject"),
    "tags": ("tags",),
}


def parse(data: bytes, ctx: ParseContext, file: str) -> Iterator[Incoming | Row | Skip]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        raise malformed(file, "line 1", "the file is empty") from None
    except csv.Error as exc:
        raise malformed(file, "line 1", str(exc)) from None
    if {"kind", "start", "tz", "minutes", "source_key"} <= set(header):
        rows = _own_export(reader, header, ctx, file)
    else:
        rows = _spreadsheet(reader, header, ctx, file)
    try:
        yield from rows
    except csv.Error as exc:
        raise malformed(file, f"line {reader.line_num}", str(exc)) from None


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # Excel on Windows


def _own_export(reader, header: list[str], ctx: ParseContext, file: str) -> Iterator[Row]:
    kept = [(index, name) for index, name in enumerate(header)
            if name in EXPORT_COLUMNS and name not in ("date", "end")]  # date and end follow from start
    indexes = [index for index, _ in kept]
    names = [name for _, name in kept]
    typed = [(name, convert) for name, convert in _CONVERT.items() if name in names]
    for cells in reader:
        line = f"line {reader.line_num}"
        try:
            record = dict(zip(names, [cells[index] or None for index in indexes]))
            for name, convert in typed:
                record[name] = convert(record[name])
        except IndexError:
            raise malformed(file, line, f"expected {len(header)} columns") from None
        except ValueError as exc:
            raise malformed(file, line, f"not a whole number ({exc})") from None
        yield from_record(record, line, file, ctx)


def _int(cell: str | None) -> int | None:
    return int(cell) if cell else None


def _bool(cell: str | None) -> bool | None:
    return cell == "true" if cell else None


def _tags(cell: str | None) -> list[str]:
    return [tag for tag in cell.split(";") if tag] if cell else []


_CONVERT = {"id": _int, "minutes": _int, "group_size": _int, "on": _int, "paid": _bool, "shared": _bool,
            "tags": _tags}


def column_map(header: list[str], mapping: dict[str, str], rules_given: bool) -> dict[str, int]:
    """field -> column index, from ``--column`` options and the usual header names."""
    lowered = {name.lower(): index for index, name in enumerate(header)}
    found: dict[str, int] = {}
    for field, wanted in mapping.items():
        if field not in FIELDS:
            raise InputError(f"unknown --column field {field!r}", "use one of " + ", ".join(FIELDS))
        if wanted.lower() not in lowered:
            raise InputError(f"no column {wanted!r} in the file", "its columns are: " + ", ".join(header))
        found[field] = lowered[wanted.lower()]
    for field, names in FIELDS.items():
        if field not in found:
            index = next((lowered[n] for n in names if n in lowered), None)
            if index is not None and index not in found.values():
                found[field] = index
    if "date" not in found:
        raise InputError("the spreadsheet has no date column",
                         "name it with --column date=HEADER; its columns are: " + ", ".join(header))
    if not {"duration", "hours", "end"} & set(found):
        raise InputError("the spreadsheet has no duration, hours or end column",
                         "name one with --column duration=HEADER (or hours=, end=)")
    if "kind" not in found and not rules_given:
        raise InputError("the spreadsheet has no kind column",
                         "name it with --column kind=HEADER, or give --match '*=practice'")
    return found


def _spreadsheet(reader, header: list[str], ctx: ParseContext, file: str) -> Iterator[Incoming | Skip]:
    columns = column_map(header, ctx.columns, bool(ctx.rules))
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        line = f"line {reader.line_num}"
        value = {field: cells[i].strip() if i < len(cells) else "" for field, i in columns.items()}
        try:
            yield _row(value, ctx, line)
        except JournalError as exc:
            raise malformed(file, line, exc.message) from None
        except OverflowError:
            raise malformed(file, line, "a date out of range") from None


def _row(value: dict[str, str], ctx: ParseContext, line: str) -> Incoming | Skip:
    kind_text = value.get("kind", "")
    if kind_text.lower() in SESSION_KINDS:
        kind = kind_text.lower()
    else:
        kind = ctx.rules.kind_for(kind_text or value.get("title") or "")
        if kind is None:
            return Skip(NO_RULE)
    at = _moment(value["date"], value.get("start", ""), ctx)
    minutes = _minutes(value, at, ctx)
    person = value.get("with") or None
    client = value.get("client") or None
    fingerprint = f"{kind}|{at.isoformat()}|{minutes}|{name_key(person or '')}|{(client or '').upper()}"
    return Incoming(
        SessionInput(
            kind=kind, minutes=minutes, at=at, person=person, client=client,
            title=value.get("title") or None, note=value.get("notes") or None,
            tags=[t.strip() for t in value.get("tags", "").replace(";", ",").split(",") if t.strip()],
            source="csv", source_key="csv:" + hashlib.sha1(fingerprint.encode()).hexdigest()[:20],
        ),
        line,
    )


def _moment(day: str, clock: str, ctx: ParseContext) -> datetime:
    text = f"{day} {clock}".strip()
    try:
        return localize(datetime.fromisoformat(text), ctx.zone)
    except ValueError:
        return parse_when(text, ctx.zone, now=ctx.now, dayfirst=ctx.dayfirst).at


def _minutes(value: dict[str, str], at: datetime, ctx: ParseContext) -> int:
    if value.get("duration"):
        return parse_duration(value["duration"])
    if value.get("hours"):
        return parse_duration(value["hours"].replace(",", ".") + "h")
    if not value.get("end"):
        raise InputError("the row has no duration", "fill in its duration, hours or end time")
    end = _moment(at.date().isoformat(), value.get("end", ""), ctx)
    if end <= at:
        end += timedelta(days=1)
    return round((end - at).total_seconds() / 60)
