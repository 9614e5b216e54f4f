"""Which sessions count: only those that have ended.

A session logged ahead (``--allow-future``), or one still under way, is *planned*: it is listed
by `journal list --planned` but counts nowhere (reports, rules, the statement, the ICF log, the
supervisor database, `db status`) until its end has passed. The test reads SQLite's clock when a
query runs, so a planned session starts to count by itself, with no command run.

The totals that triggers keep (:mod:`journal.rollups`) hold every session; their readers run
the same query over the planned sessions alone (a few rows, found through the start index) and
take it away with :func:`take_away`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

_UTC = "'%Y-%m-%dT%H:%M:%SZ'"  # the stored form of an instant (journal.dates.to_utc_text)
NOW = f"strftime({_UTC}, 'now')"
# A session lasts at most a day and belongs to the local date it started on, in a zone at most
# 14 hours from UTC: every session of a date three days before today's UTC date has ended.
SETTLED_DATE = "date('now', '-3 days')"


def day_before(instant: str) -> str:
    """SQL for a day before an instant (an SQL expression such as ``e.start_utc`` or ``'now'``)."""
    return f"strftime({_UTC}, {instant}, '-1 day')"


def end_utc(alias: str = "e") -> str:
    """SQL for a session's end, in the stored form of an instant (comparable as text)."""
    a = f"{alias}." if alias else ""
    return f"strftime({_UTC}, {a}start_utc, '+' || {a}minutes || ' minutes')"


def counted(alias: str = "e") -> str:
    """SQL that is true when an entry counts now: a reflection, or a session that has ended.

    The local date is tested first because every index holds it, so older rows are decided
    without reading the table; a session that started over a day ago has ended too.
    """
    a = f"{alias}." if alias else ""
    day_ago = day_before("'now'")
    return (f"({a}date < {SETTLED_DATE} OR {a}minutes IS NULL "
            f"OR {a}start_utc < {day_ago} "
            f"OR {end_utc(alias)} <= {NOW})")


def planned(alias: str = "e") -> str:
    """SQL that is true for a session that has not ended yet: exactly ``NOT counted(alias)``,
    written so that SQLite finds them through the start index (they started within a day)."""
    a = f"{alias}." if alias else ""
    day_ago = day_before("'now'")
    return f"({a}minutes IS NOT NULL AND {a}start_utc >= {day_ago} AND {end_utc(alias)} > {NOW})"


def planned_entries() -> str:
    """A table expression of the live sessions not ended yet, read through the start index."""
    return f"(SELECT * FROM entries INDEXED BY entries_live_start WHERE deleted_at IS NULL AND {planned('')})"


def take_away(rows: Iterable[Sequence], planned_rows: Iterable[Sequence], key: int) -> list[tuple]:
    """``rows`` less ``planned_rows`` (the same query over planned sessions only): rows match on
    their first ``key`` columns and the figures after them are subtracted; a row left with no
    figure at all is dropped. The order of ``rows`` is kept."""
    planned_rows = list(planned_rows)
    if not planned_rows:  # the usual case: nothing is under way, and the rows stand as they are
        return [tuple(row) for row in rows if any(row[key:])]
    figures = {tuple(row[:key]): list(row[key:]) for row in rows}
    for row in planned_rows:
        kept = figures.get(tuple(row[:key]))
        if kept is None:  # logged by another program after the first read: nothing to take away
            continue
        for index, value in enumerate(row[key:]):
            if value is not None:
                kept[index] -= value
    return [(*name, *values) for name, values in figures.items() if any(values)]
