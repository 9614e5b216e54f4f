"""`journal import json`: our own JSON export read back exactly (ids, times, provenance, privacy)."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from journal.importers.core import ParseContext, Skip, guess_format, load_json, malformed, wrong_shape
from journal.importers.rows import DELETED, Row, reflection_values, session_values
from journal.i18n import _


def parse(data: bytes, ctx: ParseContext, file: str) -> Iterator[Row | Skip]:
    records = load_json(data, file, "json")
    if not isinstance(records, list):
        raise wrong_shape(file, "json", records, _("expected a JSON array of records as `journal export` writes"))
    if guess_format(records) not in ("json", None):
        raise wrong_shape(file, "json", records, _("records of another format"))
    for number, record in enumerate(records, start=1):
        yield from_record(record, f"record {number}", file, ctx)


def from_record(record: dict, label: str, file: str, ctx: ParseContext) -> Row:
    """One exported record (see journal.exporting.EXPORT_COLUMNS) as a :class:`Row`."""
    if not isinstance(record, dict):
        raise malformed(file, label, _("expected a record with kind and start, as `journal export` writes"))
    get = record.get
    try:
        kind = record["kind"]
        start = datetime.fromisoformat(record["start"])
        zone = _zone(get("tz")) if get("tz") else ctx.zone
        at = start.astimezone(zone) if start.tzinfo else start.replace(tzinfo=zone)
        tags = _words(get("tags"))
        if kind == "reflection":
            values = reflection_values(at, get("title"), get("body") or "", get("template"),
                                       bool(get("shared", False)), get("source"), get("source_key"),
                                       get("created_at"), get("updated_at"))
            person = None
        else:
            group_size = get("group_size")
            values = session_values(at, kind, int(record["minutes"]), get("mode"), get("format"),
                                    None if group_size is None else int(group_size), get("client"),
                                    get("setting"), get("paid"), get("title"), get("note"),
                                    bool(get("shared", True)), get("source"), get("source_key"),
                                    get("created_at"), get("updated_at"))
            person = get("with") or None
        values[DELETED] = get("deleted_at") or None
        old_id = get("id")
        on = get("on")
        row = Row(values, at, label, person, tags, None if old_id is None else int(old_id),
                  None if on is None else int(on), True)
        card, exercise, emotions = get("card"), get("exercise"), get("emotions")
        if card or exercise or emotions:
            row.card, row.exercise, row.emotions = card or None, exercise or None, _words(emotions)
        return row
    except ZoneInfoNotFoundError:  # a KeyError, but no missing field
        raise malformed(file, label, _diagnose(record, ctx)) from None
    except KeyError as exc:
        raise malformed(file, label, _("missing {value!r}").format(value=exc.args[0])) from None
    except (ValueError, TypeError, AttributeError, OverflowError):
        raise malformed(file, label, _diagnose(record, ctx)) from None


def _diagnose(record: dict, ctx: ParseContext) -> str:
    """What is wrong with a record that could not be read, in the words of the export's fields
    (worked out only on failure, so that reading every other record costs nothing more)."""
    start = record.get("start")
    try:
        moment = datetime.fromisoformat(start)
        zone = _zone(record["tz"]) if record.get("tz") else ctx.zone
        moment.astimezone(zone) if moment.tzinfo else moment.replace(tzinfo=zone)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OverflowError, KeyError) as exc:
        if record.get("tz") and not isinstance(exc, (TypeError, OverflowError)) and isinstance(start, str):
            try:
                datetime.fromisoformat(start)
                return f"'tz' {record['tz']!r} is not a time zone such as Europe/London"
            except ValueError:
                pass
        return f"'start' {start!r} is not a date and time such as 2026-03-02T10:00:00+00:00"
    for name in ("minutes", "group_size", "id", "on"):
        value = record.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, str))
                                  or not str(value).strip().lstrip("-").isdigit()):
            return f"{name!r} should be a whole number, not {value!r}"
    for name in ("tags", "emotions"):
        words = record.get(name)
        if words and not isinstance(words, list):
            return f"{name!r} should be a list of words, not {words!r}"
    return "a value cannot be read; compare it with what `journal export` writes"


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
