"""What the rules count, read from the journal with one aggregate query per kind.

A :class:`Measure` says which sessions count and how (hours or sessions, group credit,
clock hours). :func:`fetch` turns every measure that the checked profiles need into a per-date
:class:`Series` (and every client measure into its distinct codes). Each kind of session is
read once, summed per date in SQL with only the columns that kind's measures need, from
``rule_totals`` (migration 0018: a few rows per day, kept by triggers); each tag that some
measure counts adds one pass per kind from ``tag_totals`` (migration 0018: the same per tag, with
client codes told apart), and each tagged client measure one query grouped by code there. Each client
code without a tag is met in a few steps of the client indexes of migration 0006. No rule ever
reads the sessions themselves, unless a session carrying a counted tag has not ended yet. Only
sessions that have ended count (see :mod:`journal.planned`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from functools import cached_property, lru_cache
from datetime import date
from itertools import accumulate, compress
from operator import sub
from typing import NamedTuple

from journal.db import Journal
from journal.i18n import N_
from journal.planned import counted, planned, take_away

GROUP = "e.format IN ('group', 'peer')"


class Source(NamedTuple):
    """How a session's group test and each figure read where a pass reads.

    ``size`` is the group size, 0 when unknown; ``peer`` tells peer sessions apart; ``client`` is
    the client code and ``known_size`` the group size, each NULL when there is none. A test over the columns
    of a ``nullable`` source may be NULL (the sessions' format, paid); the rollups' never are.
    """

    group: str
    size: str
    peer: str | None
    sessions: str
    clock_minutes: str
    client: str = "NULL"
    known_size: str = "NULL"
    nullable: bool = False


# The sessions themselves (for client codes and --explain); migration 0018's rollup of each kind's days, whose
# rows add up the sessions alike in group or not, peer or not, paid, and group size; and its rollup of the days
# of the sessions carrying each tag, which tells client codes apart too.
ENTRIES = Source(GROUP, "coalesce(e.group_size, 0)", "e.format = 'peer'", "1",
                 "CASE WHEN e.minutes >= 45 AND e.minutes < 60 THEN 60 ELSE e.minutes END",
                 "e.client_code", "e.group_size", nullable=True)
ROLLUP = Source("e.grp", "e.group_size", "e.peer", "e.count", "e.clock_minutes")
TAGGED = ROLLUP._replace(client="NULLIF(e.client_code, '')", known_size="NULLIF(e.group_size, 0)")


class Measure(NamedTuple):
    """Which sessions count, and how much each one counts for.

    Named tuples rather than dataclasses, here and for the profiles' rules: `journal check` defines
    them at every start, where a frozen dataclass costs about a millisecond more."""

    kinds: tuple[str, ...]
    format: str | None = None  # "individual" or "group"
    paid: bool | None = None
    tag: str | None = None
    credit: str = "none"
    measure: str = "hours"
    max_group: int | None = None  # a larger group counts nothing
    individual_up_to: int | None = None  # a group of at most this many counts as individual
    exclude_peer: bool = False

    def variant(self) -> Measure:
        """The same way of counting, for any kind (kinds are added up after the SQL pass)."""
        return self._replace(kinds=())

    def normalized(self) -> Measure:
        """The same count without filters that cannot change it, so that such measures share a column."""
        changes: dict = {}
        if self.format is None and self.individual_up_to and self.credit != "bacp-group":
            changes["individual_up_to"] = None  # which sessions are groups matters to nothing here
        if self.format == "individual" and self.max_group and (self.individual_up_to or 0) <= self.max_group:
            changes["max_group"] = None  # larger groups are left out as groups anyway
        return self._replace(**changes) if changes else self

    def group(self, source: Source) -> str:
        """SQL for "this session is a group" (a small group counted as individual is not)."""
        if self.individual_up_to:
            return f"({source.group} AND NOT ({source.size} BETWEEN 2 AND {int(self.individual_up_to)}))"
        return source.group

    def exclusions(self, source: Source) -> list[tuple[str, str, bool]]:
        """SQL for each reason a session of the measure's kinds does not count, the reason in words, and
        whether it disqualifies a session the rule looks at (rather than define which sessions it looks at)."""
        group = self.group(source)
        found = []
        if self.exclude_peer:
            found.append((source.peer or "0", N_("peer supervision, which does not count here"), True))
        if self.max_group:
            found.append((f"{source.group} AND {source.size} > {int(self.max_group)}",
                          f"a group of more than {int(self.max_group)}", True))
        if self.credit == "bacp-group" and self.measure == "hours":
            found.append((f"{source.group} AND {source.size} = 0", N_("group size unknown"), True))
        if self.format == "group":
            found.append((f"NOT {group}", N_("not a group session"), False))
        elif self.format == "individual":
            found.append((group, N_("a group session"), False))
        if self.paid is not None:
            found.append((f"e.paid IS NOT {int(self.paid)}", N_("not paid") if self.paid else N_("paid"), False))
        return found

    def disqualifiers(self) -> list[str]:
        """What disqualifies a session the measure looks at, in words (the active language's)."""
        from journal.rules.text import reason_words

        return [reason_words(text) for _, text, disqualifies in self.exclusions(ENTRIES) if disqualifies]

    def amount(self, source: Source) -> str:
        """What one row adds: its sessions, or its minutes (credited)."""
        if self.measure == "sessions":
            return source.sessions
        if self.credit == "bacp-group":
            # BACP: a group of up to 4 supervisees credits half the time; from 5, the time divided by the group
            # size (a group of unknown size is one of the exclusions).
            return (f"CASE WHEN {self.group(source)} THEN CASE WHEN {source.size} >= 5 "
                    f"THEN e.minutes * 1.0 / {source.size} ELSE e.minutes * 0.5 END ELSE e.minutes END")
        # A 45 to 59 minute session counts as one clock hour.
        return source.clock_minutes if self.credit == "clock-hour" else "e.minutes"

    def condition(self, source: Source) -> tuple[str, list]:
        """SQL for "this session counts" among sessions of its kinds (the query matches kind and tag)."""
        test = "NOT coalesce({}, 0)" if source.nullable else "NOT ({})"
        return " AND ".join(test.format(sql) for sql, _, _ in self.exclusions(source)), []

    def column(self, source: Source) -> tuple[str, list]:
        """The per-date aggregate: sessions counted or minutes (credited) summed (0.0 for none)."""
        condition, params = self.condition(source)
        amount = self.amount(source)
        return f"total({amount})" + (f" FILTER (WHERE {condition})" if condition else ""), params

    @property
    def divisor(self) -> float:
        """What turns the aggregate into the unit: minutes into hours, sessions as they are."""
        return 1.0 if self.measure == "sessions" else 60.0

    @property
    def unit(self) -> str:
        return "sessions" if self.measure == "sessions" else "h"

    def label(self) -> str:
        """``group supervision``, ``paid practice``, ``practice tagged emdr`` (in the active language)."""
        from journal.rules.text import measure_words

        return measure_words(self.kinds, self.paid, self.format, self.tag)


    def credited(self, source: Source) -> str:
        """SQL for what one session counts for: its amount, or 0 when one of the exclusions holds."""
        condition, _ = self.condition(source)
        return f"CASE WHEN {condition} THEN {self.amount(source)} ELSE 0 END" if condition else self.amount(source)

    def reason(self, source: Source) -> str:
        """SQL for why a session does not count (NULL when it does)."""
        cases = " ".join(f"WHEN coalesce({sql}, 0) THEN '{text}'" for sql, text, _ in self.exclusions(source))
        return f"CASE {cases} END" if cases else "NULL"


CREDIT_SQL = {credit: Measure((), credit=credit).credited(ENTRIES) for credit in ("none", "bacp-group", "clock-hour")}


# ``day.isoformat()``, remembered: a check asks for the same few hundred period ends thousands of times,
# and formatting a date costs ten times a look-up.
iso = lru_cache(maxsize=4096)(date.isoformat)


class Series:
    """A measure's per-date figures with prefix sums: any date range is summed in O(log n).

    ``days`` are the dates its pass read, some of which may count nothing for this measure
    (``values`` 0); :attr:`dates` are those that count something.
    """

    def __init__(self, days: Sequence[str], values: Sequence[float], divisor: float = 1.0):
        self._days = days
        self._values = values
        self._divisor = divisor  # what turns the values into the unit (minutes into hours)

    @cached_property
    def _prefix(self) -> list[float]:
        """The running totals (0.0 first): worked out on the first total asked for."""
        return list(accumulate(self._values, initial=0.0))

    @cached_property
    def dates(self) -> list[str]:
        """The dates on which something counts, in order."""
        return list(compress(self._days, self._values))

    def total(self, first: date | None, last: date) -> float:
        """The total from ``first`` (None: from the start) to ``last``, both included."""
        return self._between(iso(first) if first else "", iso(last))

    def totals(self, ranges: Iterable[tuple[str, str]]) -> list[float]:
        """The total over each range of ISO dates (both ends included; "" for no first day), at once."""
        return [self._between(first, last) for first, last in ranges]

    def _between(self, first: str, last: str) -> float:
        low, high = bisect_left(self._days, first), bisect_right(self._days, last)
        return (self._prefix[high] - self._prefix[low]) / self._divisor if high > low else 0.0

    def days(self, first: date | None, last: date) -> list[date]:
        low = 0 if first is None else bisect_left(self.dates, iso(first))
        high = bisect_right(self.dates, iso(last))
        return [date.fromisoformat(d) for d in self.dates[low:high]]

    def first(self, since: date | None, last: date) -> date | None:
        low = 0 if since is None else bisect_left(self.dates, iso(since))
        if low < len(self.dates) and self.dates[low] <= iso(last):
            return date.fromisoformat(self.dates[low])
        return None

    def last(self, since: date | None, last: date) -> date | None:
        high = bisect_right(self.dates, iso(last))
        if high and (since is None or self.dates[high - 1] >= iso(since)):
            return date.fromisoformat(self.dates[high - 1])
        return None


class Client:
    """A distinct client code: first and last day seen (ISO text) and its largest group size.

    A plain class with slots rather than a dataclass: `journal check` builds one per code and pays for
    every class it defines at start-up."""

    __slots__ = ("first", "last", "group_size")

    def __init__(self, first: str, last: str, group_size: int | None = None):
        self.first, self.last, self.group_size = first, last, group_size


class Counts:
    """What one check reads: each measure's per-date series and each client measure's codes."""

    __slots__ = ("series", "clients")

    def __init__(self, series: dict[Measure, Series], clients: dict[Measure, dict[str, Client]]):
        self.series, self.clients = series, clients


class _Columns:
    """One kind's per-date figures: the dates, and each sum's values."""

    __slots__ = ("dates", "sums")

    def __init__(self, dates: tuple[str, ...], sums: dict[Measure, tuple]):
        self.dates, self.sums = dates, sums


class _Pass:
    """One query over the rollup of the days of one kind's sessions, or of those carrying one tag, a row
    per date. ``sums`` are ways of counting (measures without kinds). One kind to a query: a row without
    its kind is a column fewer for SQLite to hand over, and grouping by the date alone is cheaper."""

    __slots__ = ("tag", "kind", "sums")

    def __init__(self, tag: str | None, kind: str):
        self.tag, self.kind = tag, kind
        self.sums: list[Measure] = []

    def add(self, way: Measure) -> None:
        if way not in self.sums:
            self.sums.append(way)

    def run(self, journal: Journal, since: date | None, as_of: date, any_planned: bool) -> _Columns:
        """Run the query: the dates, and each sum's values (empty when the kind has no sessions). When
        ``any_planned``, the same query over the sessions not ended yet is taken away (see journal.planned)."""
        source, table, where, params = _source(journal, self.tag)
        columns = []
        for way in self.sums:
            sql, column_params = way.column(source)
            columns.append(sql)
            params += column_params
        sql = (f"SELECT e.date, {', '.join(columns)} FROM {{table}} WHERE {where}e.kind = ? AND e.date <= ?"
               + (" AND e.date >= ?" if since else "") + " GROUP BY e.date ORDER BY e.date")
        params += [self.kind, as_of.isoformat(), *([since.isoformat()] if since else [])]
        rows = journal.execute(sql.format(table=table), params).fetchall()
        if any_planned:
            rows = take_away(rows, journal.execute(sql.format(table=f"{_planned_table(self.tag)} e"), params), 1)
        dates, *values = zip(*rows) if rows else ((), *([()] * len(columns)))
        return _Columns(dates, dict(zip(self.sums, values)))


def _source(journal: Journal, tag: str | None) -> tuple[Source, str, str, list]:
    """Where a pass reads: the FROM clause, and the start of the WHERE clause with its parameters.
    That is migration 0018's rollup of the days of the sessions, or of those carrying ``tag``."""
    if tag is None:
        return ROLLUP, "rule_totals e", "", []
    from journal.names import tag_key

    row = journal.execute("SELECT id FROM tags WHERE key = ?", (tag_key(tag),)).fetchone()
    return TAGGED, "tag_totals e", "e.tag_id = ? AND ", [row[0] if row else None]


def _planned_table(tag: str | None) -> str:
    """The same rollup's rows that the sessions not ended yet add (see :mod:`journal.planned`)."""
    from journal.rollups import RULE_TOTALS, TAG_TOTALS

    return (RULE_TOTALS if tag is None else TAG_TOTALS).planned()


def fetch(journal: Journal, measures: set[Measure], client_measures: set[Measure], since: date | None,
          as_of: date) -> Counts:
    """Every measure as a per-date series and every client measure's distinct codes.

    One query per kind that some measure counts, over migration 0018's rollup of its days, and
    one per tag and kind, over its rollup of that tag's days; measures that differ only by kinds
    share a column, and the kinds are added up here. Client codes without a tag are met one index step
    at a time; those with a tag in one query grouped by code.
    """
    any_planned = _any_planned(journal)
    passes: dict[tuple[str | None, str], _Pass] = {}
    derived = _differences(measures)
    for measure in sorted(measures - derived.keys(), key=repr):
        for kind in measure.kinds:
            passes.setdefault((measure.tag, kind), _Pass(measure.tag, kind)).add(measure.variant())
    columns = {key: query.run(journal, since, as_of, any_planned) for key, query in passes.items()}

    def parts(measure: Measure) -> list[tuple[tuple[str, ...], tuple]]:
        """The measure's column in each of its kinds, beside its dates."""
        if measure in derived:
            whole, alone = derived[measure]
            return [(dates, tuple(map(sub, minuend, subtrahend)))
                    for (dates, minuend), (_, subtrahend) in zip(parts(whole), parts(alone))]
        return [(c.dates, c.sums[measure.variant()])
                for c in (columns[measure.tag, kind] for kind in measure.kinds)]

    return Counts({m: _series(parts(m), m.divisor) for m in measures},
                  {m: _tagged_clients(journal, m, since, as_of, any_planned) if m.tag
                   else _indexed_clients(journal, m, since, as_of) for m in client_measures})


def _differences(measures: set[Measure]) -> dict[Measure, tuple[Measure, Measure]]:
    """The group measures that are the difference of two others asked for: the same count over every
    format, less the individual sessions (a group of up to ``individual_up_to`` included). Those are
    worked out day by day in Python, a column fewer for SQLite to add up and hand over. Only whole
    numbers (minutes, clock minutes, sessions) are told apart so, never BACP's fractional credit, so that
    each day's difference is exact."""
    found = {}
    for measure in measures:
        if measure.format == "group" and measure.credit != "bacp-group":
            whole = measure._replace(format=None).normalized()
            alone = measure._replace(format="individual").normalized()
            if whole in measures and alone in measures:
                found[measure] = (whole, alone)
    return found


def session_rows(journal: Journal, measure: Measure, first: date | None, last: date) -> list[dict]:
    """Every live session a measure looks at between two dates, oldest first, with what it counts
    for (``credited``, in the measure's unit) and, when nothing, why not (``reason``)."""
    tag_join, params = "", []
    if measure.tag:
        from journal.names import tag_key

        tag_join = "JOIN entry_tags t ON t.entry_id = e.id JOIN tags g ON g.id = t.tag_id AND g.key = ?"
        params.append(tag_key(measure.tag))
    sql = (f"SELECT e.id, e.date, e.kind, e.minutes, e.format, e.group_size, e.paid, "
           f"({measure.credited(ENTRIES)}) / {measure.divisor} AS credited, {measure.reason(ENTRIES)} AS reason, "
           "(SELECT group_concat(k.key) FROM entry_tags x JOIN tags k ON k.id = x.tag_id WHERE x.entry_id = e.id) "
           "AS tags "
           f"FROM entries e {tag_join} WHERE e.deleted_at IS NULL AND e.minutes IS NOT NULL "
           f"AND e.kind IN ({', '.join('?' for _ in measure.kinds)}) AND e.date <= ?"
           + (" AND e.date >= ?" if first else "") + " ORDER BY e.date, e.start_utc, e.id")
    params += [*measure.kinds, last.isoformat(), *([first.isoformat()] if first else [])]
    return journal.query(sql, params)


def _indexed_clients(journal: Journal, measure: Measure, since: date | None, as_of: date) -> dict[str, Client]:
    """Each code's first and last day and largest group, in a few index steps per code.

    The codes of a kind are met by jumping from each to the next in the index of migration 0006
    (one step per code); each code's first and last counted day are the ends of its run of days
    there, and its largest group the top of its run of group sizes in the index of group sessions.
    """
    condition, params = measure.condition(ENTRIES)
    # Sessions not ended yet are left out only when there are any: the test reads the table's rows.
    ended = f" AND {counted()}" if _any_planned(journal, "e.client_code IS NOT NULL") else ""
    within = ("e.kind = ? AND e.client_code = codes.code AND e.client_code IS NOT NULL AND e.deleted_at IS NULL "
              "AND e.date <= ?" + (" AND e.date >= ?" if since else "") + ended
              + (f" AND {condition}" if condition else ""))
    sql = f"""
        WITH RECURSIVE codes(code) AS (
            SELECT min(client_code) FROM entries INDEXED BY entries_live_kind_client
            WHERE kind = ? AND client_code IS NOT NULL AND deleted_at IS NULL
            UNION ALL
            SELECT (SELECT min(client_code) FROM entries INDEXED BY entries_live_kind_client
                    WHERE kind = ? AND client_code > codes.code AND client_code IS NOT NULL AND deleted_at IS NULL)
            FROM codes WHERE code IS NOT NULL)
        SELECT code,
            (SELECT e.date FROM entries e INDEXED BY entries_live_kind_client WHERE {within}
             ORDER BY e.date LIMIT 1),
            (SELECT e.date FROM entries e INDEXED BY entries_live_kind_client WHERE {within}
             ORDER BY e.date DESC LIMIT 1),
            (SELECT e.group_size FROM entries e INDEXED BY entries_live_kind_client_group
             WHERE {within} AND {GROUP} AND e.group_size IS NOT NULL ORDER BY e.group_size DESC LIMIT 1)
        FROM codes WHERE code IS NOT NULL"""
    found: dict[str, Client] = {}
    for kind in measure.kinds:
        bound = [kind, as_of.isoformat(), *([since.isoformat()] if since else []), *params]
        for code, first, last, size in journal.execute(sql, [kind, kind, *bound * 3]):
            if first is None:  # no session of this code counts (left out here: a WHERE would look twice)
                continue
            client = found.get(code)
            if client is None:
                found[code] = Client(first, last, size)
            else:
                client.first, client.last = min(client.first, first), max(client.last, last)
                if size is not None:
                    client.group_size = max(client.group_size or 0, size)
    return found


def _any_planned(journal: Journal, condition: str = "1") -> bool:
    """Whether some live session (meeting ``condition``) has not ended yet, through the start index:
    usually none, and then nothing is taken away from the rollups nor left out of the client indexes."""
    return journal.execute(f"SELECT 1 FROM entries e WHERE e.deleted_at IS NULL AND {planned()} "
                           f"AND {condition} LIMIT 1").fetchone() is not None



def _series(parts: list[tuple[tuple[str, ...], tuple]], divisor: float) -> Series:
    """One kind's per-date values as they are; several kinds' added up date by date."""
    if len(parts) == 1:
        dates, values = parts[0]
        return Series(dates, values, divisor)
    merged = dict(zip(*parts[0]))  # a day that counts nothing adds 0 to the totals, and no date
    for part_dates, part_values in parts[1:]:
        for day, value in zip(part_dates, part_values):
            merged[day] = merged.get(day, 0) + value
    dates = sorted(merged)
    return Series(dates, [merged[day] for day in dates], divisor)


def _tagged_clients(journal: Journal, measure: Measure, since: date | None, as_of: date,
                    any_planned: bool) -> dict[str, Client]:
    """Each code's first and last day and largest known group among the sessions carrying the measure's
    tag, in one query grouped by code: over migration 0018's rollup of that tag's days, which tells client
    codes apart; when some session has not ended yet, over the ended sessions themselves (a first or last
    day cannot be taken away)."""
    source, table, where, params = _source(journal, measure.tag)
    if any_planned:
        source, table = ENTRIES, "entries e JOIN entry_tags t ON t.entry_id = e.id"
        where = f"t.tag_id = ? AND e.deleted_at IS NULL AND {counted()} AND "
    condition, condition_params = measure.condition(source)
    # "No client" is '' in the rollup and NULL among the sessions: ``<> ''`` leaves out both, on the bare column.
    sql = (f"SELECT e.client_code, min(e.date), max(e.date), max(CASE WHEN {source.group} THEN {source.known_size} END) "
           f"FROM {table} WHERE {where}e.kind IN ({', '.join('?' for _ in measure.kinds)}) AND e.date <= ?"
           + (" AND e.date >= ?" if since else "") + " AND e.client_code <> ''"
           + (f" AND {condition}" if condition else "") + " GROUP BY e.client_code")
    params += [*measure.kinds, as_of.isoformat(), *([since.isoformat()] if since else []), *condition_params]
    return {code: Client(first, last, size) for code, first, last, size in journal.execute(sql, params)}
