"""`journal import json`: our own JSON export read back exactly (ids, times, provenance, privacy)."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from journal.importers.core import ParseContext, Skip, load_json, malformed
from journal.importers.rows import Row, reflection_values, session_values


def parse(data: bytes, ctx: ParseContext, file: str) -> Iterator[Row | Skip]:
    records = load_json(data, file)
    if not isinstance(records, list):
        raise malformed(file, "line 1", "expected a JSON array of records as `journal export` writes")
    for number, record in enumerate(records, start=1):
        yield from_record(record, f"record {number}", file, ctx)


def from_record(record: dict, label: str, file: str, ctx: ParseContext) -> Row:
    """One exported record (see journal.exporting.EXPORT_COLUMNS) as a :class:`Row`."""
    if not isinstance(record, dict):
        raise malformed(file, label, "expected an object with kind and start")
    get = record.get
    try:
        kind = record["kind"]
        start = datetime.fromisoformat(record["start"])
        zone = _zone(get("tz")) if get("tz") else ctx.zone
        at = start.astimezone(zone) if start.tzinfo else start.replace(tzinfo=zone)
        tags = list(map(str, get("tags") or ()))
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
        old_id = get("id")
        on = get("on")
        return Row(values, at, label, person, tags, None if old_id is None else int(old_id),
                   None if on is None else int(on), planned_ok=True)
    except KeyError as exc:
        raise malformed(file, label, f"missing {exc.args[0]!r}") from None
    except (ZoneInfoNotFoundError, ValueError, TypeError, AttributeError, OverflowError) as exc:
        raise malformed(file, label, f"unreadable value ({exc})") from None


@functools.lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)
