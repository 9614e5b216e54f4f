"""`journal import ics`: an iCalendar file from any calendar (Google, Outlook, Apple, Thunderbird).

Events become sessions when a ``--match`` rule maps their summary to a kind; a rule may capture the
person (``Supervision with {with}=supervision``), else the ORGANIZER (or the one other ATTENDEE)
who is not the practitioner is the session's person. Recurring events are expanded up to now
(RRULE and RDATE, periods included, less EXDATE); moved or cancelled instances (RECURRENCE-ID, and
``RANGE=THISANDFUTURE`` for all later ones) replace the instances they stand for, and each instance
keeps the source key ``ics:UID:ORIGINAL-START`` so that a later export of the same calendar adds
nothing twice. Times are read in the event's own time zone (IANA, or the VTIMEZONE an Outlook file
carries); floating times in the calendar's ``X-WR-TIMEZONE``, else the journal's. All-day and
cancelled events are skipped and counted; an event that repeats more often than daily is refused
unless ``--allow-frequent-repeats`` is given; an end before its start is swapped and counted.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from journal.dates import localize, to_utc_text
from journal.errors import InputError
from journal.importers.core import Incoming, Notice, ParseContext, Skip, decode_text, malformed, wrong_shape
from journal.importers.matching import NO_RULE
from journal.importers.sessions import ENDED_BEFORE_START, tracked_session, whole_minutes
from journal.names import name_key
from journal.i18n import N_, _

MAX_INSTANCES = 50_000  # per recurring event, a guard against a runaway rule
FINE_FREQUENCIES = {"SECONDLY": "every second", "MINUTELY": "every minute", "HOURLY": "every hour"}
_UNTIL = re.compile(r"UNTIL=([0-9T]+)(Z?)")
_COMPONENT = re.compile(r"(BEGIN|END):([A-Za-z0-9-]+)\s*$", re.IGNORECASE)


def parse(data: bytes, ctx: ParseContext, file: str) -> Iterator[Incoming | Skip | Notice]:
    from icalendar import Calendar

    text = decode_text(data, file)
    _check_structure(text, file)
    try:
        calendars = Calendar.from_ical(text, multiple=True)
    except Exception as exc:  # the parser of a hostile file can fail in many ways; all mean "not readable"
        raise malformed(file, _("line 1"), _("not an iCalendar file ({value})").format(value=str(exc).splitlines()[0][:120])) from None
    for calendar in calendars:
        floating = _calendar_zone(calendar, ctx.zone)
        series: dict[str, list] = defaultdict(list)
        for event in calendar.walk("VEVENT"):
            series[_uid(event)].append(event)
        for uid, events in series.items():
            reader = _Series(uid, events, ctx, file, floating)
            try:
                yield from reader.read()
            except (ValueError, TypeError, AttributeError, KeyError, IndexError, OverflowError):
                raise malformed(file, reader.label(events[0]), _("a date, time or length in it cannot be read"),
                                _("check its DTSTART, DTEND, DURATION and RRULE lines")) from None


def _check_structure(text: str, file: str) -> None:
    """Every BEGIN has its END, in order: a file cut short is named as such, not as "not a calendar"."""
    open_components: list[tuple[str, int]] = []
    seen_calendar = False
    for number, line in enumerate(text.splitlines(), start=1):
        match = _COMPONENT.match(line)
        if not match:
            continue
        verb, name = match[1].upper(), match[2].upper()
        if verb == "BEGIN":
            if not open_components and name != "VCALENDAR":
                break  # not a calendar at all: said below
            seen_calendar = True
            open_components.append((name, number))
        elif not open_components or open_components[-1][0] != name:
            raise malformed(file, _("line {number}").format(number=number), _("END:{name} without its BEGIN:{name}").format(name=name))
        else:
            open_components.pop()
    if not seen_calendar:
        raise wrong_shape(file, "ics", text, _("no BEGIN:VCALENDAR"))
    if open_components:
        name, number = open_components[-1]
        raise malformed(file, _("line {number}").format(number=number), _("BEGIN:{name} is never closed by END:{name} (is the file cut short?)").format(name=name),
                        _("export the calendar again and import the whole file"))


def _calendar_zone(calendar, default: ZoneInfo) -> tzinfo:
    """The zone of floating times: the calendar's X-WR-TIMEZONE when it is a real zone."""
    name = str(calendar.get("X-WR-TIMEZONE") or "").strip()
    if name:
        try:
            return ZoneInfo(name)
        except (ValueError, KeyError, OSError):
            pass
    return default


def _uid(event) -> str:
    uid = str(event.get("UID") or "")
    return uid or hashlib.sha1(event.to_ical()).hexdigest()[:20]


class _Series:
    """A master event with its moved or cancelled instances, expanded up to now."""

    def __init__(self, uid: str, events: list, ctx: ParseContext, file: str, floating: tzinfo):
        self.uid = uid
        self.events = events
        self.ctx = ctx
        self.file = file
        self.floating = floating
        self.cut_short = False  # the series reached MAX_INSTANCES before now

    def read(self) -> Iterator[Incoming | Skip | Notice]:
        master = next((e for e in self.events if "RECURRENCE-ID" not in e), None)
        overrides: dict[str, object] = {}
        onwards: list[tuple[datetime, object]] = []  # RANGE=THISANDFUTURE: from this instance on
        for event in self.events:
            if "RECURRENCE-ID" in event:
                original = self._moment(event, "RECURRENCE-ID")
                overrides[to_utc_text(original)] = event
                if str(event["RECURRENCE-ID"].params.get("RANGE", "")).upper() == "THISANDFUTURE":
                    onwards.append((original, event))
        onwards.sort(key=lambda pair: pair[0])
        if master is not None:
            start = self._moment(master, "DTSTART")
            if start is None:
                yield Skip(N_("all-day"))
                return
            length = self._length(master, start)
            recurring = "RRULE" in master or "RDATE" in master
            for instance, period in self._instances(master, start):
                key = to_utc_text(instance)
                event = overrides.pop(key, None)
                if event is not None:
                    yield from self._occurrence(event, key)
                    continue
                source, moved, own_length = master, instance, period or length
                later = [pair for pair in onwards if pair[0] <= instance]
                if later:
                    original, source = later[-1]
                    moved = instance + (self._moment(source, "DTSTART") - original)
                    own_length = self._length(source, self._moment(source, "DTSTART"))
                yield from self._build(source, moved, own_length, key if recurring else None)
            if self.cut_short:
                label = self.label(master)
                yield Notice(_("{event} was cut short at {limit:,} instances (a limit against runaway rules); its "
                               "later instances were not imported").format(event=label[:1].upper() + label[1:],
                                                                          limit=MAX_INSTANCES))
        for key, event in overrides.items():  # instances whose original start is not in the series
            yield from self._occurrence(event, key)

    def label(self, event) -> str:
        name = (self._text(event, "SUMMARY") or self.uid) if "SUMMARY" in event else self.uid
        return _("event {str!r}").format(str=name)

    def _occurrence(self, event, key: str) -> Iterator[Incoming | Skip | Notice]:
        start = self._moment(event, "DTSTART")
        if start is None:
            yield Skip(N_("all-day"))
            return
        yield from self._build(event, start, self._length(event, start), key)

    def _build(self, event, start: datetime, length: timedelta | None,
               key: str | None) -> Iterator[Incoming | Skip | Notice]:
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            yield Skip(N_("cancelled"))
            return
        if length is None:
            yield Skip(N_("without an end time"))
            return
        if length < timedelta(0):
            start, length = start + length, -length
            yield Notice(ENDED_BEFORE_START)
        summary = self._text(event, "SUMMARY")
        matched = self.ctx.rules.match(summary)
        if matched is None:
            yield Skip(NO_RULE)
            return
        at = start.astimezone(self.ctx.zone)
        label = _("event {summary!r} on {at:%Y-%m-%d %H:%M}").format(summary=summary, at=at)
        try:
            session = tracked_session(
                self.ctx, matched, at=at, minutes=whole_minutes(length), title=summary or None, source="ics",
                source_key=f"ics:{self.uid}:{key}" if key else f"ics:{self.uid}",
                person=None if matched.kind == "practice" else self._counterpart(event))
        except InputError as exc:
            raise malformed(self.file, label, exc.message) from None
        yield Incoming(session, label)

    def _counterpart(self, event) -> str | None:
        """The ORGANIZER's name, else the one other ATTENDEE's, when not the practitioner's."""
        me = name_key(self.ctx.practitioner) if self.ctx.practitioner else None
        organizer = _common_name(event.get("ORGANIZER"))
        attendees = [name for name in map(_common_name, _listed(event.get("ATTENDEE"))) if name]
        if organizer and name_key(organizer) != me:
            return organizer
        others = [name for name in attendees if name_key(name) != me and name != organizer]
        return others[0] if len(others) == 1 else None

    def _text(self, event, name: str) -> str:
        value = event.get(name, "")
        if isinstance(value, list):
            raise malformed(self.file, _("event {str!r}").format(str=str(value[0])), _("has {name} more than once").format(name=name),
                            _("keep one {name} line in that event").format(name=name))
        return " ".join(str(value).split())

    def _value(self, event, name: str):
        try:
            value = event.decoded(name)
        except KeyError:
            raise malformed(self.file, self.label(event), _("has no {name}").format(name=name)) from None
        except (ValueError, TypeError) as exc:
            raise malformed(self.file, self.label(event), _("unreadable {name} ({exc})").format(name=name, exc=exc)) from None
        if isinstance(value, list):
            raise malformed(self.file, self.label(event), _("has {name} more than once").format(name=name),
                            _("keep one {name} line in that event").format(name=name))
        return value

    def _moment(self, event, name: str) -> datetime | None:
        """A DTSTART, DTEND or RECURRENCE-ID as an aware datetime (None for a date, i.e. all-day)."""
        value = self._value(event, name)
        if isinstance(value, datetime):
            return value if value.tzinfo is not None else localize(value, self.floating)
        if isinstance(value, date):
            return None if name == "DTSTART" else self._midnight(value)
        raise malformed(self.file, self.label(event), _("{name} {value!r} is not a date or a date and time").format(name=name, value=str(event.get(name))[:40]), _("write {name} like 20260302T090000Z or 20260302").format(name=name))

    def _midnight(self, day: date) -> datetime:
        return localize(datetime.combine(day, datetime.min.time()), self.floating)

    def _length(self, event, start: datetime) -> timedelta | None:
        """Elapsed time from DTEND (in UTC, so a DST change inside an event counts right) or DURATION."""
        if "DTEND" in event:
            end = self._moment(event, "DTEND")
            return end.astimezone(timezone.utc) - start.astimezone(timezone.utc)
        if "DURATION" in event:
            value = self._value(event, "DURATION")
            if not isinstance(value, timedelta):
                raise malformed(self.file, self.label(event), _("DURATION is not a length such as PT50M"))
            return value
        return None

    def _instances(self, master, start: datetime) -> Iterator[tuple[datetime, timedelta | None]]:
        """DTSTART, RRULE and RDATE instances less EXDATE, in wall-clock time of the event's zone, up
        to now; each with its own length when an RDATE period gives one."""
        from dateutil.rrule import rruleset, rrulestr

        if "RRULE" not in master and "RDATE" not in master:
            yield start, None
            return
        rules = rruleset()
        rules.rdate(start)
        periods: dict[datetime, timedelta] = {}
        try:
            for rule in _listed(master.get("RRULE")):
                self._refuse_fine(master, rule)
                text = _UNTIL.sub(lambda m: _until_utc(m, start), rule.to_ical().decode())
                rules.rrule(rrulestr(text, dtstart=start))
            for moment, length in _dates(master.get("RDATE")):
                moment = _in_zone(moment, start)
                rules.rdate(moment)
                if length is not None:
                    periods[moment] = length
            for moment, _length in _dates(master.get("EXDATE")):
                rules.exdate(_in_zone(moment, start))
        except (ValueError, TypeError, AttributeError, KeyError, OverflowError):
            raise malformed(self.file, self.label(master), _("its repeat rule (RRULE, RDATE or EXDATE) cannot be read"),
                            _("write it like RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20260630")) from None
        for count, instance in enumerate(rules):
            if instance > self.ctx.now:
                return
            if count >= MAX_INSTANCES:
                self.cut_short = True
                return
            yield instance, periods.get(instance)

    def _refuse_fine(self, master, rule) -> None:
        frequency = str((rule.get("FREQ") or [""])[0]).upper()
        if frequency in FINE_FREQUENCIES and not self.ctx.fine_recurrence:
            raise malformed(self.file, self.label(master),
                            _("repeats {value} (FREQ={frequency}), more often than daily; such a rule makes thousands of overlapping sessions").format(value=FINE_FREQUENCIES[frequency], frequency=frequency),
                            _("if it is really meant, import with --allow-frequent-repeats"))


def _common_name(address) -> str | None:
    """The CN of an ORGANIZER or ATTENDEE (never the address: contact details are not stored)."""
    if address is None or isinstance(address, list):
        return None
    name = " ".join(str(address.params.get("CN", "")).strip().strip('"').split())
    return name or None


def _listed(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _dates(value) -> Iterator[tuple[datetime | date, timedelta | None]]:
    """RDATE or EXDATE values, each with the length of a PERIOD (start/end or start/duration)."""
    for group in _listed(value):
        for item in group.dts:
            moment = item.dt
            if isinstance(moment, tuple):  # a PERIOD
                begin, finish = moment
                yield begin, finish if isinstance(finish, timedelta) else finish - begin
            else:
                yield moment, None


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
