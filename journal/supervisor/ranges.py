"""Date ranges typed or picked on the supervisor's pages: validated, and whole days included.

A browser's date input sends ``2026-03-31``; someone editing the address may type ``2026-03``
(the whole month), ``2026`` (the whole year) or ``31/03/2026`` (read in the practitioner's date
order). Anything else is refused with a message for the page, never turned into a wrong total.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from journal.i18n import _
from journal.supervisor.wording import day

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


class RangeError(ValueError):
    """A date the page cannot read; the message is for the supervisor."""


@dataclass(frozen=True)
class DayRange:
    """From ``since`` to ``until``, both days included; either end may be open."""

    since: date | None
    until: date | None

    def bounds(self) -> tuple[str, str]:
        """ISO dates for ``date BETWEEN ? AND ?`` (open ends reach every date)."""
        return (self.since.isoformat() if self.since else "0000-01-01",
                self.until.isoformat() if self.until else "9999-12-31")

    def describe(self, order: str) -> str:
        if self.since and self.until:
            return _("from {start} to {end}, both days included").format(start=day(self.since, order),
                                                                         end=day(self.until, order))
        if self.since:
            return _("from {start} on").format(start=day(self.since, order))
        if self.until:
            return _("up to {end}, included").format(end=day(self.until, order))
        return _("over the whole report")


def parse_day(text: str, order: str, *, end: bool) -> date:
    """One end of a range: the first day of a month or year for a start, the last for an end."""
    text = text.strip()
    try:
        if match := _ISO.match(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _MONTH.match(text):
            year, month = int(match[1]), int(match[2])
            return date(year, month, calendar.monthrange(year, month)[1] if end else 1)
        if match := _YEAR.match(text):
            return date(int(match[1]), 12, 31) if end else date(int(match[1]), 1, 1)
        if match := _NUMERIC.match(text):
            first, second, year = int(match[1]), int(match[2]), int(match[3])
            day_number, month = (second, first) if order == "mdy" else (first, second)
            return date(year, month, day_number)
    except ValueError:
        pass
    example = "03/31/2026" if order == "mdy" else "31/03/2026"
    raise RangeError(_("“{text}” is not a date. Pick it from the calendar, or type it as 2026-03-31 "
                       "(or {example}, or 2026-03 for a whole month).").format(text=text, example=example))


def parse_range(since: str | None, until: str | None, order: str) -> DayRange:
    """Both ends read and checked; a start after the end is refused."""
    first = parse_day(since, order, end=False) if since and since.strip() else None
    last = parse_day(until, order, end=True) if until and until.strip() else None
    if first and last and first > last:
        raise RangeError(_("The start ({start}) is after the end ({end}): swap them.").format(
            start=day(first, order), end=day(last, order)))
    return DayRange(first, last)
