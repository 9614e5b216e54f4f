"""`journal import json`: our own JSON export read back exactly (ids, times, provenance, privacy)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from journal.entries import ReflectionInput, SessionInput
from journal.importers.core import Incoming, ParseContext, Skip, load_json, malformed


def parse(data: bytes, ctx: ParseContext, file: str) -> Iterator[Incoming | Skip]:
    records = load_json(data, file)
    if not isinstance(records, list):
        raise malformed(file, "line 1", "expected a JSON array of records as `journal export` writes")
    for number, record in enumerate(records, start=1):
        yield from_record(record, f"record {number}", file, ctx)


def from_record(record: dict, label: str, file: str, ctx: ParseContext) -> Incoming:
    """One exported record (see journal.exporting.EXPORT_COLUMNS) as an :class:`Incoming`."""
    if not isinstance(record, dict):
        raise malformed(file, label, "expected an object with kind and start")
    try:
        kind = record["kind"]
        start = datetime.fromisoformat(record["start"])
        zone = ZoneInfo(record["tz"]) if record.get("tz") else ctx.zone
        at = start.astimezone(zone) if start.tzinfo else start.replace(tzinfo=zone)
        tags = [str(tag) for tag in record.get("tags") or []]
        if kind == "reflection":
            data = ReflectionInput(
                body=record.get("body") or "", at=at, title=record.get("title"),
                template=record.get("template"), tags=tags, shared=bool(record.get("shared", False)),
                source=record.get("source"), source_key=record.get("source_key"),
            )
        else:
            data = SessionInput(
                kind=kind, minutes=int(record["minutes"]), at=at, person=record.get("with"),
                mode=record.get("mode"), format=record.get("format"),
                group_size=None if record.get("group_size") is None else int(record["group_size"]),
                client=record.get("client"), setting=record.get("setting"), paid=record.get("paid"),
                title=record.get("title"), note=record.get("note"), tags=tags,
                shared=bool(record.get("shared", True)), source=record.get("source"),
                source_key=record.get("source_key"),
            )
        old_id = record.get("id")
        on = record.get("on")
        return Incoming(
            data, label, created_at=record.get("created_at"), updated_at=record.get("updated_at"),
            old_id=None if old_id is None else int(old_id), on_ref=None if on is None else int(on),
        )
    except KeyError as exc:
        raise malformed(file, label, f"missing {exc.args[0]!r}") from None
    except (ZoneInfoNotFoundError, ValueError, TypeError, AttributeError, OverflowError) as exc:
        raise malformed(file, label, f"unreadable value ({exc})") from None
