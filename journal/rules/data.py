"""What the rules count, read from the journal in one aggregate pass.

A :class:`Measure` says which sessions count and how (hours or sessions, group credit,
clock hours). :func:`fetch` turns every measure that the checked profiles need into a per-date
:class:`Series` (and every client measure into its distinct codes) with one ``GROUP BY date,
kind`` pass over the entries, so that no rule ever scans the sessions itself.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from datetime import date
from itertools import accumulate

from journal.db import Journal
from journal.names import tag_key

GROUP = "e.format IN ('group', 'peer')"
# BACP: a group of up to 4 supervisees credits half the time; from 5, the time divided by the group size.
CREDIT_SQL = {
    "none": "e.minutes",
    "bacp-group": f"CASE WHEN {GROUP} THEN CASE WHEN e.group_size >= 5 "
                  "THEN e.minutes * 1.0 / e.group_size ELSE e.minutes * 0.5 END ELSE e.minutes END",
    # A 45 to 59 minute session counts as one clock hour.
    "clock-hour": "CASE WHEN e.minutes >= 45 AND e.minutes < 60 THEN 60 ELSE e.minutes END",
}


@dataclass(frozen=True)
class Measure:
    """Which sessions count, and how much each one counts for."""

    kinds: tuple[str, ...]
    format: str | None = None  # "individual" or "group"
    paid: bool | None = None
    tag: str | None = None
    credit: str = "none"
    measure: str = "hours"

    def variant(self) -> Measure:
        """The same way of counting, for any kind (kinds are added up after the SQL pass)."""
        return replace(self, kinds=())

    def condition(self) -> tuple[str, list]:
        """SQL for "this session counts" (the tag is matched by :func:`_source`)."""
        where = [f"e.kind IN ({', '.join('?' for _ in self.kinds)})"]
        params: list = list(self.kinds)
        if self.format == "group":
            where.append(GROUP)
        elif self.format == "individual":
            where.append(f"NOT (coalesce({GROUP}, 0))")
        if self.paid is not None:
            where.append("e.paid = ?")
            params.append(int(self.paid))
        return " AND ".join(where), params

    def amount_sql(self) -> str:
        """What one session adds: 1, or its (credited) minutes."""
        return "1" if self.measure == "sessions" else CREDIT_SQL[self.credit]

    @property
    def unit(self) -> str:
        return "sessions" if self.measure == "sessions" else "h"

    def label(self) -> str:
        """``group supervision``, ``paid practice``, ``practice tagged emdr``."""
        text = " and ".join(self.kinds)
        if self.paid is not None:
            text = ("paid " if self.paid else "pro bono ") + text
        if self.format:
            text = f"{self.format} {text}"
        if self.tag:
            text += f" tagged {self.tag}"
        return text


class Series:
    """A measure's per-date figures with prefix sums: any date range is summed in O(log n)."""

    def __init__(self, points: list[tuple[str, float]]):
        self.dates = [d for d, _ in points]
        self._prefix = [0.0, *accumulate(v for _, v in points)]

    def total(self, first: date | None, last: date) -> float:
        low = 0 if first is None else bisect_left(self.dates, first.isoformat())
        high = bisect_right(self.dates, last.isoformat())
        return self._prefix[high] - self._prefix[low] if high > low else 0.0

    def days(self, first: date | None, last: date) -> list[date]:
        low = 0 if first is None else bisect_left(self.dates, first.isoformat())
        high = bisect_right(self.dates, last.isoformat())
        return [date.fromisoformat(d) for d in self.dates[low:high]]

    def first(self, since: date | None, last: date) -> date | None:
        low = 0 if since is None else bisect_left(self.dates, since.isoformat())
        if low < len(self.dates) and self.dates[low] <= last.isoformat():
            return date.fromisoformat(self.dates[low])
        return None

    def last(self, since: date | None, last: date) -> date | None:
        high = bisect_right(self.dates, last.isoformat())
        if high and (since is None or self.dates[high - 1] >= since.isoformat()):
            return date.fromisoformat(self.dates[high - 1])
        return None


def _source(journal: Journal, tag: str | None) -> tuple[str, list]:
    """The FROM clause: every entry, or only those with ``tag``, read through the tag's index."""
    if tag is None:
        return "entries e", []
    row = journal.execute("SELECT id FROM tags WHERE key = ?", (tag_key(tag),)).fetchone()
    return "entry_tags t CROSS JOIN entries e ON e.id = t.entry_id AND t.tag_id = ?", [row[0] if row else None]


@dataclass
class Client:
    """A distinct client code: first and last day seen (ISO text) and its largest group size."""

    first: str
    last: str
    group_size: int | None = None


@dataclass
class Counts:
    series: dict[Measure, Series]
    clients: dict[Measure, dict[str, Client]]


def fetch(journal: Journal, measures: set[Measure], client_measures: set[Measure], since: date | None,
          as_of: date) -> Counts:
    """Every measure as a per-date series and every client measure's distinct codes.

    One ``GROUP BY date, kind`` pass over the live sessions, plus one small pass per tag that
    some measure counts (starting from that tag's entries, through its index).
    """
    counts = Counts({}, {})
    for tag in sorted({m.tag for m in measures | client_measures}, key=lambda t: t or ""):
        _pass(journal, sorted((m for m in measures if m.tag == tag), key=repr),
              sorted((m for m in client_measures if m.tag == tag), key=repr), tag, since, as_of, counts)
    return counts


def _pass(journal: Journal, measures: list[Measure], client_measures: list[Measure], tag: str | None,
          since: date | None, as_of: date, counts: Counts) -> None:
    """Measures that differ only by kinds share a column, so the pass computes each distinct way
    of counting once (testing the kind first, so that other rows never leave the date index) and
    the kinds are added up here. Client codes come as each day's list of codes."""
    variants: dict[Measure, set[str]] = {}
    for measure in measures:
        variants.setdefault(measure.variant(), set()).update(measure.kinds)
    columns, params = [], []
    for variant, kinds in variants.items():
        condition, condition_params = replace(variant, kinds=tuple(sorted(kinds))).condition()
        columns.append(f"sum(CASE WHEN {condition} THEN {variant.amount_sql()} END)")
        params.extend(condition_params)
    for measure in client_measures:
        condition, condition_params = measure.condition()
        # Plain group_concat: a day's repeated codes cost less to skip here than DISTINCT costs SQLite.
        columns.append(f"group_concat(CASE WHEN {condition} THEN e.client_code END)")
        columns.append(f"group_concat(CASE WHEN {condition} AND {GROUP} "
                       "THEN e.client_code || ' ' || e.group_size END)")
        params += condition_params * 2
    source, source_params = _source(journal, tag)
    kinds = sorted({k for m in [*measures, *client_measures] for k in m.kinds})
    sql = (
        f"SELECT e.date, e.kind, {', '.join(columns)} FROM {source} WHERE e.deleted_at IS NULL "
        f"AND e.kind IN ({', '.join('?' for _ in kinds)}) AND e.date <= ?"
        + (" AND e.date >= ?" if since else "")
        + " GROUP BY e.date, e.kind ORDER BY e.date"
    )
    params += [*source_params, *kinds, as_of.isoformat(), *([since.isoformat()] if since else [])]
    positions = list(variants)
    # kind -> [(measure position, column position, divisor)], and the same for client measures
    reads: dict[str, list[tuple[int, int, float]]] = {kind: [] for kind in kinds}
    for position, measure in enumerate(measures):
        column = positions.index(measure.variant()) + 2
        for kind in measure.kinds:
            reads[kind].append((position, column, 1.0 if measure.measure == "sessions" else 60.0))
    client_reads: dict[str, list[tuple[int, int]]] = {kind: [] for kind in kinds}
    for position, measure in enumerate(client_measures):
        for kind in measure.kinds:
            client_reads[kind].append((position, len(positions) + 2 + 2 * position))
    points: list[list[tuple[str, float]]] = [[] for _ in measures]
    codes: list[dict[str, Client]] = [{} for _ in client_measures]
    for row in journal.execute(sql, params):
        day, kind = row[0], row[1]
        for position, column, divisor in reads[kind]:
            value = row[column]
            if value:
                series = points[position]
                if series and series[-1][0] == day:
                    series[-1] = (day, series[-1][1] + value / divisor)
                else:
                    series.append((day, value / divisor))
        for position, column in client_reads[kind]:
            if row[column]:
                _see(codes[position], day, row[column], row[column + 1])
    counts.series.update((measure, Series(points[i])) for i, measure in enumerate(measures))
    counts.clients.update((measure, codes[i]) for i, measure in enumerate(client_measures))


def _see(found: dict[str, Client], day: str, codes: str, groups: str | None) -> None:
    """Record the day's client codes (rows arrive in date order)."""
    for code in codes.split(","):
        client = found.get(code)
        if client is None:
            found[code] = Client(day, day)
        else:
            client.last = day
    for item in groups.split(",") if groups else ():
        code, size = item.rsplit(" ", 1)
        client = found[code]
        client.group_size = max(client.group_size or 0, int(size))
