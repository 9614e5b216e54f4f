"""`journal import ics`: an iCalendar file from any calendar (Google, Outlook, Apple, Thunderbird).

Events become sessions when a ``--match`` rule maps their summary to a kind. Recurring events
are expanded up to now (RRULE and RDATE, less EXDATE), moved or cancelled instances
(RECURRENCE-ID) replace the instance they stand for, and each instance keeps the source key
``ics:UID:ORIGINAL-START`` so that a later export of the same calendar adds nothing twice.
Times are read in the event's own time zone (IANA, or the VTIMEZONE an Outlook file carries)
and stored in the journal's; all-day and cancelled events are skipped and counted.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone

from journal.dates import localize, to_utc_text
from journal.entries import SessionInput
from journal.importers.core import Incoming, ParseContext, Skip, malformed
from journal.importers.matching import NO_RULE

MAX_INSTANCES = 50_000  # per recurring event, a guard against a runaway rule
_UNTIL = re.compile(r"UNTIL=([0-9T]+)(Z?)")


def parse(data: bytes, ctx: ParseContext, file: str) -> Iterator[Incoming | Skip]:
    from icalendar import Calendar

    try:
        calendars = Calendar.from_ical(data, multiple=True)
    except Exception as exc:  # the parser of a hostile file can fail in many ways; all mean "not readable"
        raise malformed(file, "line 1", f"not an iCalendar file ({str(exc).splitlines()[0][:120]})") from None
    series: dict[str, list] = defaultdict(list)
    for calendar in calendars:
        for event in calendar.walk("VEVENT"):
            series[_uid(event)].append(event)
    if not calendars or not any(c.name == "VCALENDAR" for c in calendars):
        raise malformed(file, "line 1", "no BEGIN:VCALENDAR; export the calendar as .ics")
    for uid, events in series.items():
        try:
            yield from _series(uid, events, ctx, file)
        except (ValueError, TypeError, AttributeError, KeyError, IndexError, OverflowError) as exc:
            summary = str(events[0].get("SUMMARY", "")) or uid
            raise malformed(file, f"event {summary!r}", f"unreadable ({str(exc)[:120]})") from None


def _uid(event) -> str:
    uid = str(event.get("UID") or "")
    return uid or hashlib.sha1(event.to_ical()).hexdigest()[:20]


def _series(uid: str, events: list, ctx: ParseContext, file: str) -> Iterator[Incoming | Skip]:
    """A master event with its moved or cancelled instances, expanded up to now."""
    master = next((e for e in events if "RECURRENCE-ID" not in e), None)
    overrides = {}
    for event in events:
        if "RECURRENCE-ID" in event:
            overrides[to_utc_text(_aware(_value(event, "RECURRENCE-ID", file), ctx))] = event
    if master is not None:
        start = _value(master, "DTSTART", file)
        if not isinstance(start, datetime):
            yield Skip("all-day")
            return
        start = _aware(start, ctx)
        length = _length(master, start, ctx, file)
        recurring = "RRULE" in master or "RDATE" in master
        for instance in _instances(master, start, ctx, file):
            key = to_utc_text(instance)
            event = overrides.pop(key, None)
            if event is not None:
                yield _occurrence(event, uid, key, ctx, file)
            else:
                yield _build(master, instance, length, uid, key if recurring else None, ctx)
    for key, event in overrides.items():  # instances whose original start is not in the series
        yield _occurrence(event, uid, key, ctx, file)


def _occurrence(event, uid: str, key: str, ctx: ParseContext, file: str) -> Incoming | Skip:
    start = _value(event, "DTSTART", file)
    if not isinstance(start, datetime):
        return Skip("all-day")
    start = _aware(start, ctx)
    return _build(event, start, _length(event, start, ctx, file), uid, key, ctx)


def _build(event, start: datetime, length: timedelta | None, uid: str, key: str | None,
           ctx: ParseContext) -> Incoming | Skip:
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return Skip("cancelled")
    if length is None:
        return Skip("without an end time")
    summary = " ".join(str(event.get("SUMMARY", "")).split())
    kind = ctx.rules.kind_for(summary)
    if kind is None:
        return Skip(NO_RULE)
    at = start.astimezone(ctx.zone)
    return Incoming(
        SessionInput(kind=kind, minutes=round(length.total_seconds() / 60), at=at, title=summary or None,
                     source="ics", source_key=f"ics:{uid}:{key}" if key else f"ics:{uid}"),
        f"event {summary!r} on {at:%Y-%m-%d %H:%M}",
    )


def _value(event, name: str, file: str):
    try:
        value = event.decoded(name)
    except KeyError:
        summary = str(event.get("SUMMARY", "")) or str(event.get("UID", "?"))
        raise malformed(file, f"event {summary!r}", f"has no {name}") from None
    except (ValueError, TypeError) as exc:
        summary = str(event.get("SUMMARY", "")) or str(event.get("UID", "?"))
        raise malformed(file, f"event {summary!r}", f"unreadable {name} ({exc})") from None
    if isinstance(value, list):
        summary = str(event.get("SUMMARY", "")) or str(event.get("UID", "?"))
        raise malformed(file, f"event {summary!r}", f"has {name} more than once")
    return value


def _aware(moment: datetime | date, ctx: ParseContext) -> datetime:
    """A floating time is read in the journal's zone; a date means its midnight there."""
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, datetime.min.time())
    return moment if moment.tzinfo is not None else localize(moment, ctx.zone)


def _length(event, start: datetime, ctx: ParseContext, file: str) -> timedelta | None:
    """Elapsed time from DTEND (in UTC, so a DST change inside an event counts right) or DURATION."""
    if "DTEND" in event:
        end = _aware(_value(event, "DTEND", file), ctx)
        return end.astimezone(timezone.utc) - start.astimezone(timezone.utc)
    if "DURATION" in event:
        return _value(event, "DURATION", file)
    return None


def _instances(master, start: datetime, ctx: ParseContext, file: str) -> Iterator[datetime]:
    """DTSTART, RRULE and RDATE instances less EXDATE, in wall-clock time of the event's zone, up to now."""
    from dateutil.rrule import rruleset, rrulestr

    if "RRULE" not in master and "RDATE" not in master:
        yield start
        return
    rules = rruleset()
    rules.rdate(start)
    try:
        for rule in _listed(master.get("RRULE")):
            text = _UNTIL.sub(lambda m: _until_utc(m, start), rule.to_ical().decode())
            rules.rrule(rrulestr(text, dtstart=start))
        for moment in _dates(master.get("RDATE")):
            rules.rdate(_in_zone(moment, start))
        for moment in _dates(master.get("EXDATE")):
            rules.exdate(_in_zone(moment, start))
    except (ValueError, TypeError) as exc:
        raise malformed(file, f"event {str(master.get('SUMMARY', ''))!r}", f"unreadable recurrence ({exc})") from None
    for count, instance in enumerate(rules):
        if instance > ctx.now or count >= MAX_INSTANCES:
            return
        yield instance


def _listed(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _dates(value) -> Iterator[datetime | date]:
    for group in _listed(value):
        for item in group.dts:
            moment = item.dt
            yield moment[0] if isinstance(moment, tuple) else moment  # a PERIOD: its start


def _in_zone(moment: datetime | date, start: datetime) -> datetime:
    """An RDATE or EXDATE as an aware datetime comparable with the series' instances."""
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, start.timetz().replace(tzinfo=None))
    if moment.tzinfo is None:
        return moment.replace(tzinfo=start.tzinfo)
    return moment.astimezone(start.tzinfo)


def _until_utc(match: re.Match, start: datetime) -> str:
    """dateutil wants UNTIL in UTC when DTSTART has a zone; a floating or date UNTIL is local."""
    value, utc = match.groups()
    if utc:
        return match.group(0)
    if "T" in value:
        local = datetime.strptime(value, "%Y%m%dT%H%M%S")
    else:
        local = datetime.strptime(value, "%Y%m%d") + timedelta(days=1, seconds=-1)
    return "UNTIL=" + local.replace(tzinfo=start.tzinfo).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
