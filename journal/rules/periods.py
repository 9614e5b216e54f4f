"""Calendar periods for the rules, named as the command-line contract says.

Months are ``2026-03``, weeks ``2026-W09`` (the ISO week that holds the week's Monday, so a
Sunday-start week is named after the Monday that follows its first day), and twelve-month
periods ``2025-09-01..2026-08-31`` (inclusive). Months and weeks are counted in days; the
arithmetic of months and years within a date is dateutil's.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from dateutil.relativedelta import relativedelta


class Period(NamedTuple):
    """A named stretch of days, both ends included (a named tuple: cheaper to define at start-up than a
    dataclass)."""

    name: str
    start: date
    end: date  # inclusive


@lru_cache(maxsize=16)
def months(first: date, last: date) -> tuple[Period, ...]:
    """Every calendar month from the one holding ``first`` to the one holding ``last``.

    Several rules often ask for the same months, so the answer is kept (it is immutable).
    """
    found = []
    start = first.replace(day=1)
    while start <= last:
        end = month_end(start)
        found.append(Period(f"{start:%Y-%m}", start, end))
        start = end + timedelta(days=1)
    return tuple(found)


def month_end(day: date) -> date:
    """The last day of the month holding ``day``."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


@lru_cache(maxsize=16)
def weeks(first: date, last: date, week_start: str = "monday") -> tuple[Period, ...]:
    """Every week (starting on ``week_start``) from the one holding ``first`` to the one holding ``last``."""
    start = first - timedelta(days=(first.weekday() - _FIRST_WEEKDAY[week_start]) % 7)
    found = []
    while start <= last:
        found.append(Period(week_name(start, week_start), start, start + timedelta(days=6)))
        start += timedelta(days=7)
    return tuple(found)


_FIRST_WEEKDAY = {"monday": 0, "sunday": 6}


def week_name(start: date, week_start: str = "monday") -> str:
    monday = start + timedelta(days=-start.weekday() % 7) if week_start == "sunday" else start
    year, number, _ = monday.isocalendar()
    return f"{year}-W{number:02d}"


def twelve_months(anchor: date, last: date, count: int | None = None, years: int = 1) -> list[Period]:
    """Consecutive periods of ``years`` years (twelve months by default) from ``anchor``: ``count`` of
    them, else up to ``last``."""
    periods = []
    index = 0
    while True:
        start = anchor + relativedelta(years=index * years)
        if (count is not None and index >= count) or (count is None and start > last):
            return periods
        end = anchor + relativedelta(years=(index + 1) * years, days=-1)
        periods.append(Period(f"{start}..{end}", start, end))
        index += 1


def window_start(as_of: date, window: tuple[tuple[str, int], ...]) -> date:
    """The first day of a window of this length that ends on ``as_of`` (inclusive)."""
    return as_of - relativedelta(**dict(window)) + timedelta(days=1)


def full_months(first: date, last: date) -> int:
    span = relativedelta(last, first)
    return span.years * 12 + span.months
