"""The date grammar for ``--at``, ``--since`` and ``--until``, on top of dateutil.

Understood (case-insensitive), each optionally followed by a time such as ``9am``,
``9:30pm``, ``18:00``, ``noon`` or ``midnight``:

- ``now``, ``today``, ``yesterday``, ``tomorrow``
- a weekday name (``tuesday``, ``tue``): the most recent one, today included
- ``last <weekday>``: the most recent one before today
- ``N minutes|hours|days|weeks|months|years ago``
- a time alone (``18:00``): today at that time
- ISO dates and datetimes (``2026-03-03``, ``2026-03-03 15:00``, ``2026-03-03T15:00+01:00``)
  and written dates (``3 March 2026``, ``03/03/2026``, read day-first or month-first as the
  journal's ``date_order`` setting says)

A bare number is not a date. A date without a time means 09:00 that day (or now, for today).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from journal.errors import InputError

DEFAULT_TIME = time(9, 0)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_EXAMPLES = "try 'yesterday 18:00', 'last tuesday 9am', '3 days ago' or '2026-03-03 15:00'"
_TIME = r"(?:(?P<hour>\d{1,2})(?::(?P<minute>[0-5]\d))?\s*(?P<ampm>am|pm)|(?P<h24>\d{1,2}):(?P<m24>[0-5]\d)|(?P<word>noon|midnight))"
_TIME_ONLY = re.compile(rf"^(?:at\s+)?{_TIME}$")
_DAY_WORD = re.compile(rf"^(?P<day>now|today|yesterday|tomorrow)(?:\s+(?:at\s+)?{_TIME})?$")
_WEEKDAY = re.compile(
    rf"^(?P<last>last\s+)?(?P<weekday>[a-z]+)(?:\s+(?:at\s+)?{_TIME})?$"
)
_AGO = re.compile(
    rf"^(?P<n>\d+|an?|one)\s+(?P<unit>minute|hour|day|week|month|year)s?\s+ago"
    rf"(?:\s+(?:at\s+)?{_TIME})?$"
)


@dataclass(frozen=True)
class When:
    """A parsed moment: the aware local datetime and whether a time of day was given."""

    at: datetime
    has_time: bool

    @property
    def local_date(self) -> date:
        return self.at.date()


def local_zone_name(setting: str | None = None) -> str:
    """The IANA zone: the journal's ``timezone`` setting, else ``$TZ``, else the system's."""
    for candidate in (setting, os.environ.get("TZ", "").lstrip(":")):
        if candidate and _valid_zone(candidate):
            return candidate
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            name = target.split("zoneinfo/", 1)[1]
            if _valid_zone(name):
                return name
    except OSError:
        pass
    try:
        with open("/etc/timezone", encoding="utf-8") as handle:
            name = handle.read().strip()
            if _valid_zone(name):
                return name
    except OSError:
        pass
    return "UTC"


def _valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(f"unknown time zone {name!r}", "use an IANA name such as Europe/London") from None


def localize(naive: datetime, tz: ZoneInfo) -> datetime:
    """Attach ``tz``, moving a time that falls in a DST gap forward to one that exists."""
    aware = naive.replace(tzinfo=tz)
    round_trip = aware.astimezone(timezone.utc).astimezone(tz)
    return round_trip if round_trip.replace(tzinfo=None) != naive else aware


def parse_when(text: str, tz: ZoneInfo, *, now: datetime | None = None, dayfirst: bool = True) -> When:
    """Parse ``text`` in the zone ``tz``; raise InputError with examples when it is not a date."""
    now = (now or datetime.now(timezone.utc)).astimezone(tz)
    raw = " ".join((text or "").strip().lower().split())
    if not raw or re.fullmatch(r"[+-]?\d+(\.\d+)?", raw):
        raise InputError(f"{text!r} is not a date", _EXAMPLES)
    try:
        result = _relative(raw, now, tz)
        if result is None:
            result = _absolute(raw, now, tz, dayfirst)
        if result is not None:
            result.at.astimezone(timezone.utc)  # every moment must have a UTC instant to store
    except OverflowError:
        raise InputError(f"the date {text!r} is out of range", "give a date between the years 1 and 9999") from None
    if result is None:
        raise InputError(f"cannot understand the date {text!r}", _EXAMPLES)
    return result


def _clock(match: re.Match) -> time | None:
    if match["word"]:
        return time(12, 0) if match["word"] == "noon" else time(0, 0)
    if match["h24"] is not None:
        hour, minute = int(match["h24"]), int(match["m24"])
        if hour > 23:
            raise InputError(f"{hour}:{minute:02d} is not a time of day", "use 00:00 to 23:59")
        return time(hour, minute)
    if match["hour"] is not None:
        hour, minute = int(match["hour"]), int(match["minute"] or 0)
        if not 1 <= hour <= 12:
            raise InputError(f"{hour}{match['ampm']} is not a time of day", "use 1am to 12pm")
        hour = hour % 12 + (12 if match["ampm"] == "pm" else 0)
        return time(hour, minute)
    return None


def _on_day(day: date, clock: time | None, now: datetime, tz: ZoneInfo) -> When:
    if clock is not None:
        return When(localize(datetime.combine(day, clock), tz), True)
    if day == now.date():
        return When(now.replace(second=0, microsecond=0), False)
    return When(localize(datetime.combine(day, DEFAULT_TIME), tz), False)


def _relative(raw: str, now: datetime, tz: ZoneInfo) -> When | None:
    if match := _TIME_ONLY.match(raw):
        return _on_day(now.date(), _clock(match), now, tz)
    if match := _DAY_WORD.match(raw):
        clock = _clock(match)
        if match["day"] == "now":
            if clock is not None:
                return None
            return When(now.replace(second=0, microsecond=0), True)
        offset = {"today": 0, "yesterday": -1, "tomorrow": 1}[match["day"]]
        return _on_day(now.date() + timedelta(days=offset), clock, now, tz)
    if match := _AGO.match(raw):
        return _ago(match, now, tz)
    if match := _WEEKDAY.match(raw):
        index = _weekday_index(match["weekday"])
        if index is None:
            return None
        back = (now.weekday() - index) % 7
        if match["last"] and back == 0:
            back = 7
        return _on_day(now.date() - timedelta(days=back), _clock(match), now, tz)
    return None


def _weekday_index(word: str) -> int | None:
    for index, name in enumerate(WEEKDAYS):
        if len(word) >= 3 and name.startswith(word):
            return index
    return None


def _ago(match: re.Match, now: datetime, tz: ZoneInfo) -> When:
    from dateutil.relativedelta import relativedelta

    count = 1 if match["n"] in ("a", "an", "one") else int(match["n"])
    unit = match["unit"]
    clock = _clock(match)
    if unit in ("minute", "hour"):
        if clock is not None:
            raise InputError(f"'{match.group(0)}' gives the time twice", "try '3 hours ago'")
        moment = (now.astimezone(timezone.utc) - timedelta(**{unit + "s": count})).astimezone(tz)
        return When(moment.replace(second=0, microsecond=0), True)
    try:
        day = now.date() - relativedelta(**{unit + "s": count})
    except (OverflowError, ValueError):
        raise InputError(f"'{match.group(0)}' is too far back", "try a date such as 2020-01-31") from None
    return _on_day(day, clock, now, tz)


def _absolute(raw: str, now: datetime, tz: ZoneInfo, dayfirst: bool) -> When | None:
    from dateutil import parser

    if not re.search(r"\d", raw):
        return None
    if re.match(r"\d{4}-\d{1,2}-\d{1,2}", raw):
        dayfirst = False  # ISO dates are year-month-day whatever the date_order setting
    try:
        first = parser.parse(raw, dayfirst=dayfirst, default=datetime(2000, 1, 1, 0, 0))
        second = parser.parse(raw, dayfirst=dayfirst, default=datetime(2001, 2, 2, 1, 1))
    except (parser.ParserError, ValueError, OverflowError):
        return None
    if (first.year, first.month, first.day) != (second.year, second.month, second.day):
        return None  # a time or a partial date without a full day: not a date we accept
    if first.tzinfo is not None:
        try:
            return When(first.astimezone(tz), True)
        except ValueError:  # an offset of a day or more, e.g. +99:00
            return None
    has_time = (first.hour, first.minute) == (second.hour, second.minute)
    if has_time:
        return When(localize(first.replace(second=0, microsecond=0), tz), True)
    return _on_day(first.date(), None, now, tz)


def just_ended(minutes: int, tz: ZoneInfo, *, now: datetime | None = None) -> datetime:
    """The start of a session of ``minutes`` that ends this minute (the default of `journal log`)."""
    end = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(second=0, microsecond=0)
    return (end - timedelta(minutes=minutes)).astimezone(tz)


def day_bounds(when: When, *, end: bool) -> datetime:
    """For ``--since``/``--until``: a date alone means the start or the end of that day."""
    if when.has_time:
        return when.at
    day = when.local_date + timedelta(days=1) if end else when.local_date
    return localize(datetime.combine(day, time(0, 0)), when.at.tzinfo)


def to_utc_text(moment: datetime) -> str:
    """Stored form of an instant: ``2026-03-03T15:00:00Z``."""
    # isoformat is several times faster than strftime, which counts in 100,000-record imports; its
    # first 19 characters are the seconds (the year always has 4 digits), so no replace() is needed.
    return moment.astimezone(timezone.utc).isoformat()[:19] + "Z"


def from_utc_text(text: str, tz: ZoneInfo) -> datetime:
    # fromisoformat reads the trailing Z as UTC (Python 3.11+) and, unlike strptime, costs no
    # import and regex compilation at start-up (about 2.5 ms on every command that prints entries).
    return datetime.fromisoformat(text).astimezone(tz)


def describe(moment: datetime) -> str:
    """``Tuesday 3 March 2026 at 15:00 (Europe/London)`` for the stderr echo."""
    return f"{moment:%A} {moment.day} {moment:%B %Y} at {moment:%H:%M} ({moment.tzinfo})"
