"""Calendar periods for the rules, named as the command-line contract says.

Months are ``2026-03``, weeks ``2026-W09`` (the ISO week that holds the week's Monday, so a
Sunday-start week is named after the Monday that follows its first day), and twelve-month
periods ``2025-09-01..2026-08-31`` (inclusive). All arithmetic is dateutil's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from dateutil.relativedelta import MO, SU, relativedelta
from dateutil.rrule import MONTHLY, WEEKLY, rrule


@dataclass(frozen=True)
class Period:
    """A named stretch of days, both ends included."""

    name: str
    start: date
    end: date  # inclusive


@lru_cache(maxsize=16)
def months(first: date, last: date) -> tuple[Period, ...]:
    """Every calendar month from the one holding ``first`` to the one holding ``last``.

    Several rules often ask for the same months, so the answer is kept (it is immutable).
    """
    starts = list(rrule(MONTHLY, dtstart=datetime(first.year, first.month, 1), until=_dt(last)))
    ends = [*starts[1:], starts[-1] + relativedelta(months=1)] if starts else []
    return tuple(Period(f"{s:%Y-%m}", s.date(), (end - timedelta(days=1)).date()) for s, end in zip(starts, ends))


@lru_cache(maxsize=16)
def weeks(first: date, last: date, week_start: str = "monday") -> tuple[Period, ...]:
    """Every week (starting on ``week_start``) from the one holding ``first`` to the one holding ``last``."""
    weekday = SU if week_start == "sunday" else MO
    opening = first + relativedelta(weekday=weekday(-1))
    starts = rrule(WEEKLY, dtstart=_dt(opening), until=_dt(last))
    return tuple(Period(week_name(s.date(), week_start), s.date(), s.date() + timedelta(days=6)) for s in starts)


def week_name(start: date, week_start: str = "monday") -> str:
    monday = start + relativedelta(weekday=MO(+1)) if week_start == "sunday" else start
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


def _dt(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)
