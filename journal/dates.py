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

The same in French, whatever the language setting (no French word is also an English one):
``maintenant``, ``aujourd'hui``, ``hier``, ``avant-hier``, ``demain``, ``mardi``, ``mardi dernier``,
``il y a 3 jours``, times ``18h``, ``18h30``, ``à 18:00``, ``midi``, ``minuit``, and written dates
``3 mars 2026``, ``1er mars 2026``, ``le 3 mars 2026 à 15h``.

A bare number is not a date. A date without a time means 09:00 that day (or now, for today).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from journal.errors import InputError
from journal.i18n import N_, _, format_moment

DEFAULT_TIME = time(9, 0)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_EXAMPLES = N_("try 'yesterday 18:00', 'last tuesday 9am', '3 days ago' or '2026-03-03 15:00'")
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


FRENCH_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
FRENCH_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                 "octobre", "novembre", "décembre")
_FRENCH_UNITS = {"minute": "minute", "heure": "hour", "jour": "day", "semaine": "week", "mois": "month",
                 "an": "year", "année": "year"}
_UNACCENTED = str.maketrans("éèêëàâäîïôöûüùç’", "eeeeaaaiioouuuc'")
_FRENCH_MONTH_WORDS = {name.translate(_UNACCENTED): english for name, english in zip(FRENCH_MONTHS, (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december"))}


@functools.cache
def _french_rewrites() -> list[tuple[re.Pattern, object]]:
    """French phrases and their English forms, compiled on the first French date only."""
    weekdays = "|".join(FRENCH_WEEKDAYS)
    return [
        (re.compile(r"\bil y a (\d+|une?) (minute|heure|jour|semaine|mois|an|année)s?\b"),
         lambda m: f"{1 if m[1] in ('un', 'une') else m[1]} {_FRENCH_UNITS[m[2]]}s ago"),
        (re.compile(r"\baujourd'?hui\b"), "today"),
        (re.compile(r"\bavant[- ]hier\b"), "2 days ago"),
        (re.compile(r"\bhier\b"), "yesterday"),
        (re.compile(r"\bdemain\b"), "tomorrow"),
        (re.compile(r"\bmaintenant\b"), "now"),
        (re.compile(r"\bmidi\b"), "noon"),
        (re.compile(r"\bminuit\b"), "midnight"),
        (re.compile(rf"\b({weekdays}) (?:dernier|passé)\b"), r"last \1"),
        (re.compile(rf"\b({weekdays})\b"), lambda m: WEEKDAYS[FRENCH_WEEKDAYS.index(m[1])]),
        (re.compile(r"\b(\d{1,2}) ?h ?([0-5]\d)?$"), lambda m: f"{m[1]}:{m[2] or '00'}"),
        (re.compile(r"\b1er\b"), "1"),
        (re.compile(r"^le "), ""),
        (re.compile(r"(^| )à "), r"\1at "),
        (re.compile(rf"\b({'|'.join(_FRENCH_MONTH_WORDS)})\b"), lambda m: _FRENCH_MONTH_WORDS[m[1]]),
    ]


def from_french(raw: str) -> str:
    """French date words rewritten into the English grammar (lower case, one space between words)."""
    text = raw.replace("’", "'")
    rewrites = _french_rewrites()
    for pattern, replacement in rewrites[:-1]:
        text = pattern.sub(replacement, text)
    month, replacement = rewrites[-1]
    return month.sub(replacement, text.translate(_UNACCENTED))


@dataclass(frozen=True)
class When:
    """A parsed moment: the aware local datetime and whether a time of day was given."""

    at: datetime
    has_time: bool

    @property
    def local_date(self) -> date:
        return self.at.date()


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
        raise InputError(_("{text!r} is not a date").format(text=text), _(_EXAMPLES))
    try:
        # French only when English fails, and its relative words before any written date (which
        # costs dateutil's import): "hier 18h" is read without it.
        result = _relative(raw, now, tz)
        french = from_french(raw) if result is None else raw
        if result is None and french != raw:
            result = _relative(french, now, tz)
        if result is None:
            result = _absolute(raw, now, tz, dayfirst)
        if result is None and french != raw:
            result = _absolute(french, now, tz, dayfirst)
        if result is not None:
            result.at.astimezone(timezone.utc)  # every moment must have a UTC instant to store
    except OverflowError:
        raise InputError(_("the date {text!r} is out of range").format(text=text),
                         _("give a date between the years 1 and 9999")) from None
    if result is None:
        raise InputError(_("cannot understand the date {text!r}").format(text=text), _(_EXAMPLES))
    return result


def parse_day(text: str, tz: ZoneInfo, *, dayfirst: bool = True, now: datetime | None = None) -> date:
    """A day typed anywhere (a setting, a membership's dates, --as-of): the grammar of
    :func:`parse_when`, read in ``tz``; ``2025-09-15``, ``15/09/2025``, ``15 September 2025``, ``today``."""
    return parse_when(text, tz, now=now, dayfirst=dayfirst).local_date


def _clock(match: re.Match) -> time | None:
    if match["word"]:
        return time(12, 0) if match["word"] == "noon" else time(0, 0)
    if match["h24"] is not None:
        hour, minute = int(match["h24"]), int(match["m24"])
        if hour > 23:
            raise InputError(_("{time} is not a time of day").format(time=f"{hour}:{minute:02d}"),
                             _("use 00:00 to 23:59"))
        return time(hour, minute)
    if match["hour"] is not None:
        hour, minute = int(match["hour"]), int(match["minute"] or 0)
        if not 1 <= hour <= 12:
            raise InputError(_("{time} is not a time of day").format(time=f"{hour}{match['ampm']}"),
                             _("use 1am to 12pm"))
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
            raise InputError(_("'{text}' gives the time twice").format(text=match.group(0)), _("try '3 hours ago'"))
        moment = (now.astimezone(timezone.utc) - timedelta(**{unit + "s": count})).astimezone(tz)
        return When(moment.replace(second=0, microsecond=0), True)
    try:
        day = now.date() - relativedelta(**{unit + "s": count})
    except (OverflowError, ValueError):
        raise InputError(_("'{text}' is too far back").format(text=match.group(0)),
                         _("try a date such as 2020-01-31")) from None
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
    """``Tuesday 3 March 2026 at 15:00 (Europe/London)`` (in French, ``mardi 3 mars 2026 à 15:00``)."""
    return f"{format_moment(moment)} ({moment.tzinfo})"
