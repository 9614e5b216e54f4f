"""`journal import timew`: Timewarrior's ``timew export`` JSON; ``--match`` maps tags to kinds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

from journal.entries import SessionInput
from journal.importers.core import Incoming, ParseContext, Skip, load_json, malformed
from journal.importers.matching import NO_RULE


def parse(data: bytes, ctx: ParseContext, file: str) -> Iterator[Incoming | Skip]:
    intervals = load_json(data, file)
    if not isinstance(intervals, list):
        raise malformed(file, "line 1", "expected `timew export` output (a JSON list of intervals)")
    for number, interval in enumerate(intervals, start=1):
        label = f"interval {number}"
        try:
            begin = _instant(interval["start"])
            if "end" not in interval:
                yield Skip("still running")
                continue
            minutes = round((_instant(interval["end"]) - begin).total_seconds() / 60)
            tags = [str(tag) for tag in interval.get("tags") or []]
            annotation = interval.get("annotation")
        except KeyError as exc:
            raise malformed(file, label, f"missing {exc.args[0]!r}") from None
        except (ValueError, TypeError, AttributeError, OverflowError) as exc:
            raise malformed(file, label, f"unreadable value ({exc})") from None
        kind = ctx.rules.kind_for(*tags, annotation)
        if kind is None:
            yield Skip(NO_RULE)
            continue
        yield Incoming(
            SessionInput(kind=kind, minutes=minutes, at=begin.astimezone(ctx.zone), title=annotation,
                         tags=tags, source="timew", source_key=f"timew:{interval['start']}"),
            f"{label} ({interval['start']})",
        )


def _instant(text: str) -> datetime:
    """Timewarrior's ``20260302T090000Z``."""
    return datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
