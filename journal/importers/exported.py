"""Our own export's records read back as rows: shared by `journal import json` and `import csv`.

A record is read as its :data:`FIELDS` in order (date and end follow from start and are not
read). :func:`row_of` is the one reading of them, whatever the file's format; a field the record
lacks is None, except those whose absence means something else (:data:`ABSENT`). When a record
cannot be read, :func:`read` names the field at fault in the export's own words.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from journal.durations import parse_duration
from journal.errors import InputError
from journal.importers.core import ParseContext, malformed
from journal.importers.rows import DELETED, Row, not_a_flag, reflection_values, session_values
from journal.i18n import _

# The fields read, in the order :func:`row_of` takes them (each one of EXPORT_COLUMNS).
FIELDS = (
    "id", "kind", "start", "tz", "minutes", "with", "mode", "format", "group_size", "client", "setting", "paid",
    "title", "body", "note", "template", "on", "tags", "shared", "card", "exercise", "emotions", "source",
    "source_key", "created_at", "updated_at", "deleted_at",
)
# The fields that are not text: how the JSON export writes them (CSV cells are converted to these).
TYPES = {"id": int, "minutes": int, "group_size": int, "on": int, "paid": bool, "shared": bool,
         "tags": list, "emotions": list}
ABSENT = type("Absent", (), {"__repr__": lambda self: "<absent>"})()  # a field missing from the record
# Fields whose absence is not null: required ones, and "shared" (its default depends on the kind).
_ABSENT_MEANS = ("kind", "start", "minutes", "shared")
MISSING = {name: ABSENT if name in _ABSENT_MEANS else None for name in FIELDS}  # a field's value when missing
_DEFAULTS = tuple(MISSING.items())
# What reading a record raises on a value it cannot read (ZoneInfoNotFoundError is a KeyError).
READ_ERRORS = (KeyError, ValueError, TypeError, AttributeError, OverflowError)


def fields_of(record: dict) -> list:
    """A record's :data:`FIELDS`, each missing one None or :data:`ABSENT`."""
    get = record.get
    return [get(name, default) for name, default in _DEFAULTS]


def from_record(record: object, label: str, file: str, ctx: ParseContext) -> Row:
    """One exported record (a JSON object) as a :class:`Row`, or the one-line error naming what is wrong."""
    if not isinstance(record, dict):
        raise malformed(file, label, _("expected a record with kind and start, as `journal export` writes"))
    return read(fields_of(record), label, file, ctx)


def read(fields: Sequence, label: str, file: str, ctx: ParseContext) -> Row:
    """:func:`row_of`, or the one-line error for a field that cannot be read."""
    try:
        return row_of(fields, label, ctx)
    except InputError as exc:
        raise malformed(file, label, exc.message, exc.hint) from None
    except ZoneInfoNotFoundError:  # a KeyError, but no missing field
        raise malformed(file, label, _diagnose(fields, ctx)) from None
    except KeyError as exc:
        raise malformed(file, label, _("missing {value!r}").format(value=exc.args[0])) from None
    except READ_ERRORS:
        raise malformed(file, label, _diagnose(fields, ctx)) from None


def row_of(fields: Sequence, label: str, ctx: ParseContext) -> Row:
    """One record's :data:`FIELDS` (in that order) as a :class:`Row`; raises one of READ_ERRORS."""
    (old_id, kind, start, tz, minutes, person, mode, format_, group_size, client, setting, paid, title, body,
     note, template, on, tags, shared, card, exercise, emotions, source, source_key, created, updated,
     deleted) = fields
    if kind is ABSENT:
        raise KeyError("kind")
    if start is ABSENT:
        raise KeyError("start")
    moment = datetime.fromisoformat(start)
    zone = _zone(tz) if tz else ctx.zone
    at = moment.astimezone(zone) if moment.tzinfo else moment.replace(tzinfo=zone)
    tags = _words(tags)
    if kind == "reflection":
        values = reflection_values(at, title, body or "", template,
                                   False if shared is ABSENT else _flag(shared, "shared"), source, source_key,
                                   created, updated)
        person = None
    else:
        if minutes is ABSENT:
            raise KeyError("minutes")
        values = session_values(at, kind, _minutes(minutes), mode, format_,
                                None if group_size is None else _whole(group_size), client, setting,
                                None if paid is None else _flag(paid, "paid"), title, note,
                                True if shared is ABSENT else _flag(shared, "shared"),
                                source, source_key, created, updated)
        person = person or None
    values[DELETED] = deleted or None
    # The times it was written, edited (most often the same) and deleted: other types than text are
    # named by check_row.
    if created and type(created) is str:
        datetime.fromisoformat(created)
    if updated and updated != created and type(updated) is str:
        datetime.fromisoformat(updated)
    if deleted and type(deleted) is str:
        datetime.fromisoformat(deleted)
    row = Row(values, at, label, person, tags, None if old_id is None else _whole(old_id),
              None if on is None else _whole(on), True)
    if card or exercise or emotions:
        row.card, row.exercise, row.emotions = card or None, exercise or None, _words(emotions)
    return row


def _diagnose(fields: Sequence, ctx: ParseContext) -> str:
    """What is wrong with a record that could not be read, in the words of the export's fields
    (worked out only on failure, so that reading every other record costs nothing more)."""
    record = {name: value for name, value in zip(FIELDS, fields) if value is not ABSENT}
    start = record.get("start")
    try:
        moment = datetime.fromisoformat(start)
        zone = _zone(record["tz"]) if record.get("tz") else ctx.zone
        moment.astimezone(zone) if moment.tzinfo else moment.replace(tzinfo=zone)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OverflowError, KeyError) as exc:
        if record.get("tz") and not isinstance(exc, (TypeError, OverflowError)) and isinstance(start, str):
            try:
                datetime.fromisoformat(start)
                return _("{name!r} {value!r} is not a time zone such as Europe/London").format(name="tz", value=record["tz"])
            except ValueError:
                pass
        return _("{name!r} {value!r} is not a date and time such as 2026-03-02T10:00:00+00:00").format(
            name="start", value=start)
    for name in ("group_size", "id", "on"):
        value = record.get(name)
        if value is not None and not _is_whole(value):
            return _("{name!r} should be a whole number such as 3, not {value!r}").format(name=name, value=value)
    for name in ("created_at", "updated_at", "deleted_at"):
        value = record.get(name)
        if value and isinstance(value, str) and not _is_stamp(value):
            return _("{name!r} {value!r} is not a date and time such as 2026-03-02T10:00:00.000000Z").format(
                name=name, value=value)
    for name in ("tags", "emotions"):
        words = record.get(name)
        if words and not isinstance(words, list):
            return _("{name!r} should be a list of words, not {value!r}").format(name=name, value=words)
    return _("a value cannot be read; compare it with what `journal export` writes")


def _minutes(value: object) -> int:
    """A session's minutes: a whole number, as the export writes them (one under a minute or over a
    day is skipped and counted, as from any file); anything else is read as `journal log` reads a
    duration, and refused in its words (``1.5``: did you mean 1.5h?)."""
    if type(value) is int:
        return value
    if value is None:
        raise KeyError("minutes")
    try:
        return parse_duration(str(value))
    except InputError as exc:  # `journal log`'s words, naming the field
        raise InputError(_("'minutes': {problem}").format(problem=exc.message), exc.hint) from None


def _whole(value: object) -> int:
    """A whole number (an id, a group size) as the export writes it; anything else is a ValueError."""
    if type(value) is int:
        return value
    if not _is_whole(value):
        raise ValueError(value)
    return int(value)


def _is_whole(value: object) -> bool:
    return type(value) is int or (isinstance(value, str) and value.strip().lstrip("-").isdigit())


def _flag(value: object, name: str) -> bool:
    """true or false, as the export writes them (1 and 0 too); anything else is refused."""
    if value is True or value is False:
        return value
    if type(value) is int and value in (0, 1):
        return bool(value)
    raise not_a_flag(name, value)


def _is_stamp(value: object) -> bool:
    try:
        datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def _words(value: object) -> list[str]:
    """A list of words (tags, emotions) as the export writes it; anything else is a TypeError."""
    if not value:
        return []
    if type(value) is not list:
        raise TypeError("not a list")
    return list(map(str, value))


@functools.lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)
