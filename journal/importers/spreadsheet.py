"""Spreadsheets and time-tracker exports (Toggl, Clockify, Harvest, Kimai, solidtime) read as sessions.

Columns are found by their usual headers (:data:`HEADERS`, compared case-insensitively) or named
with ``--column FIELD=HEADER``. A row needs a date or a start; its length comes from its start and
end (``09:00`` and ``09:50``, or full ISO timestamps), else from a duration (``50m``, ``1:30``,
``01:30:00``), decimal hours (``1.5``, ``1,5``) or seconds. Seconds count when rounding to whole
minutes; a row of no length is skipped and counted. A Client, Customer or Project column holds
names: they are matched by ``--match`` rules and never stored, unless wholly a client code by
``--client-pattern``. Written dates such as ``03/04/2026`` follow ``--date-order`` (else the
``date_order`` setting); a file whose dates only make sense the other way round is refused.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from journal.dates import DEFAULT_TIME, localize
from journal.durations import parse_duration
from journal.entries import SESSION_KINDS
from journal.errors import InputError, JournalError
from journal.importers.core import Incoming, Notice, ParseContext, Skip, malformed
from journal.importers.matching import NO_RULE, Matched
from journal.importers.sessions import ENDED_BEFORE_START, tracked_session, whole_minutes
from journal.names import name_key
from journal.i18n import N_, _

# field -> the headers that name it, as the tools write them (compared case-insensitively)
HEADERS = {
    "date": ("date", "day", "session date", "start date", "work date", "spent date"),
    "start": ("start", "start time", "time", "from", "begin", "started", "started at", "start datetime"),
    "end_date": ("end date",),
    "end": ("end", "end time", "to", "until", "stop", "ended", "ended at", "end datetime"),
    "duration": ("duration", "length", "minutes", "mins", "duration (h)", "duration (h:mm)", "duration (hh:mm:ss)",
                 "time spent", "duration (h:mm:ss)"),
    "hours": ("hours", "hrs", "duration (decimal)", "decimal duration", "hours (decimal)", "decimal hours",
              "hours rounded"),
    "seconds": ("duration (seconds)", "seconds", "duration (s)", "duration in seconds"),
    "kind": ("kind", "type", "category"),
    "with": ("with", "supervisor", "therapist", "trainer"),
    "client": ("client code", "client id", "code"),
    "client_name": ("client", "customer", "client name"),
    "project": ("project", "project name"),
    "task": ("task", "activity", "task name"),
    "notes": ("notes", "note", "comments", "comment"),
    "title": ("title", "description", "summary", "subject"),
    "tags": ("tags", "tag"),
}
LENGTH_FIELDS = ("duration", "hours", "seconds")
ZERO = N_("of no length")
_WRITTEN_DATE = re.compile(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})(?!\d)")
_HMS = re.compile(r"(\d+):([0-5]\d):([0-5]\d)(?:\.\d+)?")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def column_map(header: list[str], mapping: dict[str, str], rules_given: bool) -> dict[str, int]:
    """field -> column index, from ``--column`` options and the usual header names."""
    lowered = {" ".join(name.lower().split()): index for index, name in enumerate(header)}
    found: dict[str, int] = {}
    for field, wanted in mapping.items():
        if field not in HEADERS:
            raise InputError(_("unknown --column field {field!r}").format(field=field), _("use one of {choices}").format(choices=", ".join(HEADERS)))
        key = " ".join(wanted.lower().split())
        if key not in lowered:
            raise InputError(_("no column {wanted!r} in the file").format(wanted=wanted), _("its columns are: {names}").format(names=", ".join(header)))
        found[field] = lowered[key]
    for field, names in HEADERS.items():
        if field not in found:
            index = next((lowered[n] for n in names if n in lowered and lowered[n] not in found.values()), None)
            if index is not None:
                found[field] = index
    if "date" not in found and "start" not in found:
        raise InputError(_("the spreadsheet has no date or start column"),
                         _("name it with --column date=HEADER; its columns are: {names}").format(names=", ".join(header)))
    if not {"end", *LENGTH_FIELDS} & set(found):
        raise InputError(_("the spreadsheet has no duration, hours or end column"),
                         _("name one with --column duration=HEADER (or hours=, seconds=, end=)"))
    if "kind" not in found and not rules_given:
        raise InputError(_("the spreadsheet has no kind column"),
                         _("name it with --column kind=HEADER, or give --match rules such as "
                         "--match 'Supervision*=supervision' for its projects or descriptions"))
    return found


def rows(reader, header: list[str], ctx: ParseContext, file: str) -> Iterator[Incoming | Skip | Notice]:
    columns = column_map(header, ctx.columns, bool(ctx.rules))
    lines = []
    for cells in reader:
        if any(cell.strip() for cell in cells):
            value = {field: cells[i].strip() if i < len(cells) else "" for field, i in columns.items()}
            # the whole row, names that are never stored included, tells apart rows of the same content
            whole = hashlib.sha256("\x1f".join(cell.strip() for cell in cells).encode()).hexdigest()
            lines.append((reader.line_num, value, whole))
    dayfirst = _date_order(lines, ctx.dayfirst, file)
    if dayfirst is not None:
        yield dayfirst
    for number, value, whole in lines:
        line = _("line {number}").format(number=number)
        try:
            yield from _row(value, whole, ctx, line)
        except JournalError as exc:
            raise malformed(file, line, exc.message) from None
        except OverflowError:
            raise malformed(file, line, _("a date out of range")) from None


def _date_order(lines: list[tuple[int, dict, str]], dayfirst: bool, file: str) -> Notice | None:
    """Refuse dates that only make sense in the other order; say which order read a file whose
    every written date could be either."""
    written = 0
    for number, value, _rest in lines:
        for field in ("date", "start", "end_date", "end"):
            match = _WRITTEN_DATE.match(value.get(field, ""))
            if not match:
                continue
            written += 1
            first, second = int(match[1]), int(match[2])
            month = second if dayfirst else first
            if month > 12 and (first if dayfirst else second) <= 12:
                other = "mdy" if dayfirst else "dmy"
                raise malformed(
                    file, _("line {number}").format(number=number),
                    (_("{text!r} is not a date day-first (there is no month {month}); the file writes month first")
                     if dayfirst else
                     _("{text!r} is not a date month-first (there is no month {month}); the file writes day first")
                     ).format(text=match[0].strip(), month=month),
                    _("import it with --date-order {other} (or set `journal config date_order {other}`)").format(other=other))
            if first > 12 or second > 12:
                return None  # the file shows its order, and it is the one in use
    if not written:
        return None
    if dayfirst:
        return Notice(_("Every written date could be read either way: read day-first (03/04/2026 is 3 April 2026); "
                        "if the file writes month first, import it again with --date-order mdy"))
    return Notice(_("Every written date could be read either way: read month-first (03/04/2026 is March 4, 2026); "
                    "if the file writes day first, import it again with --date-order dmy"))


def _row(value: dict[str, str], whole: str, ctx: ParseContext, line: str) -> Iterator[Incoming | Skip | Notice]:
    matched = _kind(value, ctx)
    if matched is None:
        yield Skip(NO_RULE)
        return
    day = _moment(value.get("date", ""), ctx) if value.get("date") else None
    start = _at(value.get("start", ""), day, ctx)
    if start is None:
        raise InputError(_("the row has no date"), _("fill in its date or start"))
    start, length, swapped = _length(value, start, day, ctx)
    if length is None:
        raise InputError(_("the row has no duration"), _("fill in its duration, hours or end time"))
    if swapped:
        yield Notice(ENDED_BEFORE_START)
    minutes = whole_minutes(length)
    if length <= timedelta(0):
        yield Skip(ZERO)
        return
    at = start.replace(second=0, microsecond=0)
    tags = [t.strip() for t in value.get("tags", "").replace(";", ",").split(",") if t.strip()]
    session = tracked_session(
        ctx, matched, at=at, minutes=minutes, source="csv", source_key=None,
        title=value.get("title") or None, note=value.get("notes") or None, tags=tags,
        names=(value.get("client_name"), value.get("project")), person=value.get("with") or None,
        client=value.get("client") or None)
    legacy = (f"{matched.kind}|{at.isoformat()}|{minutes}|{name_key(value.get('with') or '')}|"
              f"{(value.get('client') or value.get('client_name') or '').upper()}")
    yield Incoming(session, line, legacy_key=_legacy_key(legacy), variant=whole)


def _legacy_key(fingerprint: str) -> str:
    """The source key that versions before whole-record identities stored for a spreadsheet row."""
    return "csv:" + hashlib.sha1(fingerprint.encode()).hexdigest()[:20]


def _kind(value: dict[str, str], ctx: ParseContext) -> Matched | None:
    kind_text = value.get("kind", "")
    if kind_text.lower() in SESSION_KINDS:
        found = ctx.rules.match(value.get("title"), value.get("project"), value.get("task"))
        captured = found if found is not None and found.kind == kind_text.lower() else None
        return Matched(kind_text.lower(), captured and captured.person, captured and captured.client)
    return ctx.rules.match(kind_text, value.get("project"), value.get("task"), value.get("client_name"),
                           value.get("title"), *value.get("tags", "").replace(";", ",").split(","))


@dataclass
class _Moment:
    at: datetime
    has_date: bool
    has_time: bool


def _moment(text: str, ctx: ParseContext) -> _Moment:
    """A date, a time of day or both, as written in a cell (ISO 8601 or written dates)."""
    from dateutil import parser

    raw = text.strip()
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00") if raw.endswith("Z") else raw)
        iso = True
    except ValueError:
        iso = False
    unreadable = InputError(_("cannot understand the date {text!r}").format(text=text), _("write dates as 2026-03-02 or 02/03/2026"))
    try:
        if iso:
            has_time = "T" in raw or " " in raw or ":" in raw
            return _Moment(_aware(parsed, ctx), True, has_time)
        dayfirst = ctx.dayfirst and not re.match(r"\d{4}-\d{1,2}-\d{1,2}", raw)
        first = parser.parse(raw, dayfirst=dayfirst, default=datetime(2000, 1, 1, 0, 0))
        second = parser.parse(raw, dayfirst=dayfirst, default=datetime(2001, 2, 2, 1, 1))
        has_date = (first.year, first.month, first.day) == (second.year, second.month, second.day)
        has_time = (first.hour, first.minute) == (second.hour, second.minute)
        if not has_date and not has_time:
            raise unreadable
        return _Moment(_aware(first, ctx), has_date, has_time)
    except (parser.ParserError, ValueError, OverflowError):  # an offset of a day or more, a year 0...
        raise unreadable from None


def _aware(moment: datetime, ctx: ParseContext) -> datetime:
    if moment.tzinfo is not None:
        return moment.astimezone(ctx.zone)
    return localize(moment, ctx.zone)


def _at(text: str, day: _Moment | None, ctx: ParseContext) -> datetime | None:
    """The start: a full timestamp, a date with a time of day, or a date alone (09:00 that day)."""
    if text:
        clock = _moment(text, ctx)
        if clock.has_date or day is None:
            if not clock.has_date:
                raise InputError(_("the start {text!r} has no date").format(text=text), _("fill in the row's date"))
            return clock.at if clock.has_time else _on(clock.at.date(), DEFAULT_TIME, ctx)
        return _on(day.at.date(), clock.at.timetz().replace(tzinfo=None), ctx)
    if day is None:
        return None
    return day.at if day.has_time else _on(day.at.date(), DEFAULT_TIME, ctx)


def _on(day: date, clock: time, ctx: ParseContext) -> datetime:
    return localize(datetime.combine(day, clock), ctx.zone)


def _length(value: dict[str, str], start: datetime, day: _Moment | None,
            ctx: ParseContext) -> tuple[datetime, timedelta | None, bool]:
    """The row's start, its length, and whether its end came before its start (then swapped)."""
    if value.get("end") and (value.get("start") or (day and day.has_time)):
        end = _moment(value["end"], ctx)
        if end.has_date:
            moment = end.at if end.has_time else _on(end.at.date(), start.timetz().replace(tzinfo=None), ctx)
        else:
            end_day = _moment(value["end_date"], ctx).at.date() if value.get("end_date") else start.date()
            moment = _on(end_day, end.at.timetz().replace(tzinfo=None), ctx)
            if moment < start and not value.get("end_date"):
                moment += timedelta(days=1)  # a clock time before the start: past midnight
        if moment < start:
            return moment, start - moment, True
        return start, moment - start, False
    for field in LENGTH_FIELDS:
        if value.get(field):
            return start, timedelta(seconds=_seconds(value[field], field)), False
    return start, None, False


def _seconds(text: str, field: str) -> float:
    """A duration cell in seconds: ``01:30:00``, or decimal hours, seconds, or our duration grammar."""
    raw = text.strip().lower()
    clock = _HMS.fullmatch(raw)
    if clock:
        return int(clock[1]) * 3600 + int(clock[2]) * 60 + int(clock[3])
    if field in ("hours", "seconds") and _NUMBER.fullmatch(raw):
        number = float(raw.replace(",", "."))
        return number * 3600 if field == "hours" else number
    if _NUMBER.fullmatch(raw) and float(raw.replace(",", ".")) == 0 or re.fullmatch(r"0+(:0+)+", raw):
        return 0
    return parse_duration(raw) * 60
