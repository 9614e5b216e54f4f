"""How the supervisor's pages write dates, periods and hours: in the practitioner's date order.

Dates are written with the month's name ("8 Jan 2026", or "Jan 8, 2026" for a month-first
practitioner; "8 janv. 2026" in French), so that no reader can take the 8th of January for the
1st of August.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from journal.durations import format_minutes
from journal.i18n import N_, _, language, pgettext

# Short month names: "Jan" / "janv." (Babel's abbreviated French months).
MONTHS = (N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"), N_("Jul"), N_("Aug"), N_("Sep"),
          N_("Oct"), N_("Nov"), N_("Dec"))
_RANGE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})\b")
_DAY = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_WEEK = re.compile(r"\b(\d{4})-W(\d{2})\b")
_MONTH = re.compile(r"\b(\d{4})-(\d{2})\b(?!-)")
# A day as the rules engine words it: "30 November" or "30 November 2027".
_DAY_WORDS = re.compile(r"\b(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|November"
                        r"|December)(?: (\d{4}))?\b")


def day(value: str | date | None, order: str = "dmy") -> str:
    """``2026-01-08`` as ``8 Jan 2026`` (``dmy``) or ``Jan 8, 2026`` (``mdy``)."""
    if not value:
        return ""
    when = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    name = _(MONTHS[when.month - 1])
    if order == "mdy" and language() == "en":
        return f"{name} {when.day}, {when.year}"
    return f"{when.day} {name} {when.year}"


def month(value: str | None) -> str:
    """``2026-03`` as ``Mar 2026``."""
    if not value:
        return ""
    return f"{_(MONTHS[int(value[5:7]) - 1])} {value[:4]}"


def moment(utc_text: str | None, zone_name: str | None, order: str = "dmy") -> str:
    """``2026-11-28T05:21:29Z`` as ``28 Nov 2026 at 05:21`` in the practitioner's time zone."""
    if not utc_text:
        return ""
    when = datetime.fromisoformat(utc_text.replace("Z", "+00:00"))
    if zone_name:
        when = when.astimezone(ZoneInfo(zone_name))
    return _("{date} at {time}").format(date=day(when.date(), order), time=f"{when:%H:%M}")


def hours(value: float | int | None) -> str:
    """``1.5`` as ``1.5 h``, ``2.0`` as ``2 h``, ``1234.5`` as ``1,234.5 h`` (``1 234,5 h`` in French)."""
    if value is None:
        return ""
    return number(value) + " h"


def number(value: float | int) -> str:
    """``1234.5`` as ``1,234.5``, or ``1 234,5`` in French; no trailing zeros."""
    from journal.rules.text import num

    return num(value)


def minutes(value: float | int | None) -> str:
    """``90`` as ``1 h 30 min``."""
    return "" if value is None else format_minutes(round(value))


def period(name: str | None, order: str = "dmy") -> str:
    """A period named as ``journal check`` names it (a month, a week, a range) in words."""
    return readable(name or "", order)


def readable(text: str, order: str = "dmy") -> str:
    """Every ISO date, date range, month and week in ``text`` written in words, and the engine's
    "30 November" days turned round ("November 30") for a month-first practitioner."""
    text = _RANGE.sub(lambda m: _("{start} to {end}").format(start=day(m.group(1), order),
                                                             end=day(m.group(2), order)), text)
    text = _DAY.sub(lambda m: day(m.group(1), order), text)
    text = _WEEK.sub(lambda m: _("week of {day}").format(
        day=day(date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1), order)), text)
    text = _MONTH.sub(lambda m: month(m.group(0)) if 1 <= int(m.group(2)) <= 12 else m.group(0), text)
    if order == "mdy" and language() == "en":
        text = _DAY_WORDS.sub(lambda m: f"{m.group(2)} {m.group(1)}" + (f", {m.group(3)}" if m.group(3) else ""),
                              text)
    return text


def amount(value: float | int | None, unit: str | None) -> str:
    """A rule's figure with its unit: ``2.5 h``, ``3 months``, ``40%``, ``12 clients``, in the words
    of ``journal check``."""
    from journal.rules.text import amount as check_amount

    if value is None:
        return ""
    return number(value) if unit in (None, "") else check_amount(value, unit)


# A rule's or a month's state, as the pages show it.
STATUS_WORDS = {"met": N_("met"), "due": N_("due"), "short": N_("short"), "not met": N_("not met"),
                "not required": N_("not required")}


def status_word(value: str | None, of: str = "rule") -> str:
    """``not met`` as the reader's language says it of a rule, or of a ``month``."""
    if of == "month":
        months = {"met": pgettext("month", "met"), "due": pgettext("month", "due"),
                  "short": pgettext("month", "short"), "not required": pgettext("month", "not required")}
        if value in months:
            return months[value]
    return _(STATUS_WORDS[value]) if value in STATUS_WORDS else (value or "")
