"""Totals of session time per month, ISO week, year, day, kind, person, client, setting, mode or
format: SQL aggregates only.

Rows follow the command-line contract: ``period`` (``2026-03``, ``2026-W09``, ``2026``,
``2026-03-03``, the kind, the person, the client code, setting, mode or format), ``kind``,
``minutes``, ``hours`` and ``count``. Reflections have no
duration and are not counted here.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

from journal.db import Journal
from journal.entries import SESSION_KINDS, Filters, filter_clause
from journal.errors import InputError
from journal.i18n import N_, _

# What a report can group by, and what its first column is headed in a table.
GROUPINGS = {
    "month": N_("month"), "week": N_("week"), "year": N_("year"), "day": N_("date"), "kind": N_("kind"),
    "with": N_("with"), "client": N_("client"), "setting": N_("setting"), "mode": N_("mode"), "format": N_("format"),
}
# Groupings that the per-day totals answer; the others need the sessions themselves.
DAILY_GROUPINGS = ("month", "week", "year", "day", "kind")
# What a table says where a session has no value for the grouping.
NONE_LABELS = {"with": N_("(no one)"), "client": N_("(no client code)"), "setting": N_("(no setting)"),
               "mode": N_("(no mode)"), "format": N_("(no format)")}

# The SQL expression naming each row's period; must match the expression indexes of
# daily_totals (migration 0005) to the letter. Weeks group by the day they start on.
_PERIOD_SQL = {
    "month": "substr(date, 1, 7)",
    "year": "substr(date, 1, 4)",
    "day": "date",
    "kind": "kind",
    # Client work by its code: never a name that an older version let in on it.
    "with": "coalesce(CASE WHEN e.kind <> 'practice' THEN p.name END, e.client_code)",
    "client": "e.client_code",
    "setting": "e.setting",
    "mode": "e.mode",
    "format": "e.format",
}
_WEEK_START_SQL = {
    "monday": "date(date, '-' || ((CAST(strftime('%w', date) AS INTEGER) + 6) % 7) || ' days')",
    "sunday": "date(date, '-' || strftime('%w', date) || ' days')",
}


def period_sql(by: str, week_start: str) -> str:
    return _WEEK_START_SQL[week_start] if by == "week" else _PERIOD_SQL[by]


def week_label(day: date, week_start: str = "monday") -> str:
    """``2026-W09``: the ISO week of ``day``; with Sunday weeks a Sunday opens the next one."""
    if week_start == "sunday":
        day += timedelta(days=1)
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _row(period: str | None, kind: str, minutes: int, count: int) -> dict:
    return {"period": period, "kind": kind, "minutes": minutes, "hours": round(minutes / 60, 2),
            "count": count}


def report(journal: Journal, by: str = "month", filters: Filters | None = None,
           week_start: str = "monday") -> list[dict]:
    """One row per period and kind, in period order (kinds in their usual order)."""
    if by not in GROUPINGS:
        raise InputError(_("cannot report by {by!r}").format(by=by), _("use --by {choices}").format(choices=", --by ".join(GROUPINGS)))
    filters = filters or Filters()
    if not filters.kinds:
        filters = replace(filters, kinds=SESSION_KINDS)
    narrowed = filters.person or filters.tag or filters.client or filters.card  # what per-day totals cannot answer
    if by in DAILY_GROUPINGS and not narrowed and _whole_days(filters):
        grouped = _from_daily_totals(journal, period_sql(by, week_start), filters)
    else:
        grouped = _from_entries(journal, by, period_sql(by, week_start), filters)
        if grouped is None:
            return []
    if by == "week":
        grouped = [(week_label(date.fromisoformat(start), week_start), *rest) for start, *rest in grouped]
    return [_row(period, kind, minutes, count) for period, kind, minutes, count in sorted(grouped, key=_sort_key(by))]


def _whole_days(filters: Filters) -> bool:
    """Whether the date bounds are local midnights, so that whole days answer the question."""
    return all(bound is None or bound.time() == time(0) for bound in (filters.since, filters.until))


def _from_daily_totals(journal: Journal, period: str, filters: Filters) -> list[tuple]:
    """Sums over the per-day totals that triggers keep (a few thousand rows at most), less what
    sessions not ended yet add to them."""
    from journal.planned import take_away
    from journal.rollups import DAILY_TOTALS

    where = [f"kind IN ({', '.join('?' for _ in filters.kinds)})"]
    params: list = list(filters.kinds)
    if filters.since is not None:
        where.append("date >= ?")
        params.append(filters.since.date().isoformat())
    if filters.until is not None:
        where.append("date < ?")
        params.append(filters.until.date().isoformat())
    sql = f"""
        SELECT {period} AS period, kind, sum(minutes), sum(count)
        FROM {{table}} WHERE {' AND '.join(where)} GROUP BY 1, 2
    """
    return take_away(journal.execute(sql.format(table="daily_totals"), params),
                     journal.execute(sql.format(table=f"{DAILY_TOTALS.planned()} AS daily_totals"), params), 2)


def _from_entries(journal: Journal, by: str, period: str, filters: Filters) -> list[tuple] | None:
    """Sums over the sessions themselves (filters by person or tag, or by a time of day)."""
    clause = filter_clause(journal, filters)
    if clause is None:
        return None
    where, params = clause
    join = "LEFT JOIN people p ON p.id = e.person_id" if by == "with" else ""
    sql = f"""
        SELECT {period} AS period, e.kind, sum(e.minutes) AS minutes, count(*) AS count
        FROM entries e {join}
        WHERE {where} AND e.minutes IS NOT NULL
        GROUP BY 1, 2
    """
    return journal.execute(sql, params).fetchall()


def _kind_order(kind: str) -> int:
    return SESSION_KINDS.index(kind) if kind in SESSION_KINDS else len(SESSION_KINDS)


def _sort_key(by: str):
    """Periods in time order, names alphabetically (none last), kinds in their usual order."""
    if by == "kind":
        return lambda row: _kind_order(row[1])
    if by in NONE_LABELS:
        return lambda row: (row[0] is None, (row[0] or "").casefold(), _kind_order(row[1]))
    return lambda row: (row[0], _kind_order(row[1]))


def totals_by_kind(rows: list[dict]) -> list[dict]:
    """The total line(s) for a report: one per kind, then all kinds together."""
    sums: dict[str, list[int]] = {}
    for row in rows:
        slot = sums.setdefault(row["kind"], [0, 0])
        slot[0] += row["minutes"]
        slot[1] += row["count"]
    lines = [_row("total", kind, m, c) for kind, (m, c) in sorted(sums.items(), key=lambda kv: _kind_order(kv[0]))]
    if len(lines) > 1:
        lines.append(_row("total", "all", sum(r["minutes"] for r in rows), sum(r["count"] for r in rows)))
    return lines


def people_summary(journal: Journal) -> list[dict]:
    """Everyone in the journal with their live sessions that have ended, hours and last date, by
    name; never a name typed only on client work."""
    from journal.names import client_only
    from journal.planned import counted

    rows = journal.query(
        f"""
        SELECT p.name, count(e.id) AS sessions, coalesce(sum(e.minutes), 0) AS minutes,
               max(e.date) AS last
        FROM people p LEFT JOIN entries e ON e.person_id = p.id AND e.deleted_at IS NULL AND {counted()}
        WHERE NOT {client_only('p')}
        GROUP BY p.id ORDER BY p.key
        """
    )
    return [{**row, "hours": round(row["minutes"] / 60, 2)} for row in rows]


def tag_summary(journal: Journal) -> list[dict]:
    """Every tag with the number of live entries that carry it and its last date, by name."""
    return journal.query(
        """
        SELECT t.name, count(e.id) AS entries, max(e.date) AS last
        FROM tags t LEFT JOIN entry_tags et ON et.tag_id = t.id
             LEFT JOIN entries e ON e.id = et.entry_id AND e.deleted_at IS NULL
        GROUP BY t.id ORDER BY t.key
        """
    )

