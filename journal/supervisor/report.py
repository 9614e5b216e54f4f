"""The report's search and charts, read from the published file (never from the journal).

Plain functions over a ``sqlite3.Connection`` to the published database; the Datasette
plugins call them through ``Database.execute_fn`` and only render the results.
"""

from __future__ import annotations

import re
import sqlite3
from html import escape

from journal.i18n import N_, _, language
from journal.kinds import SESSION_KINDS, kind_label
from journal.supervisor.charts import bar_chart, line_chart
from journal.supervisor.pages import has_table, monthly_line
from journal.supervisor.wording import hours, month

HOURS_TITLE = N_("Hours per month, by kind")
SUPERVISION_TITLE = N_("Supervision per calendar month")
CUMULATIVE_TITLE = N_("Cumulative personal therapy and client work hours")
EMOTIONS_TITLE = N_("Emotions named in shared reflections, by month")
MARK_START, MARK_END = "\x02", "\x03"
_HEADING_MARKS = re.compile(r"(^|\s)#{1,6}\s+")  # template headings, flattened into a snippet


def search(conn: sqlite3.Connection, query: str, limit: int = 50) -> list[dict]:
    """Shared reflections matching ``query``, best first, each with a highlighted snippet (safe HTML)."""
    from datasette.utils import escape_fts

    terms = escape_fts(query.strip())
    if not terms:
        return []
    cursor = conn.execute(
        "SELECT r.id, r.date, r.title, snippet(reflections_fts, 1, ?, ?, ' … ', 24) AS snippet "
        "FROM reflections_fts JOIN reflections r ON r.id = reflections_fts.rowid "
        "WHERE reflections_fts MATCH ? ORDER BY rank LIMIT ?",
        (MARK_START, MARK_END, terms, limit),
    )
    return [
        {"id": number, "date": day, "title": title,
         "snippet_html": escape(_HEADING_MARKS.sub(r"\1", snippet or ""))
         .replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")}
        for number, day, title, snippet in cursor.fetchall()
    ]


def _months(conn: sqlite3.Connection) -> list[str]:
    return [
        row[0] for row in conn.execute(
            "WITH RECURSIVE bounds AS (SELECT min(month) AS first, max(month) AS last FROM monthly_hours), "
            "months(month) AS (SELECT first FROM bounds WHERE first IS NOT NULL UNION ALL "
            "SELECT strftime('%Y-%m', month || '-01', '+1 month') FROM months, bounds WHERE month < last) "
            "SELECT month FROM months"
        )
    ]


def _hours_by_kind(conn: sqlite3.Connection, months: list[str]) -> dict[str, list[float]]:
    position = {name: i for i, name in enumerate(months)}
    series: dict[str, list[float]] = {}
    for name, kind, value in conn.execute("SELECT month, kind, hours FROM monthly_hours"):
        series.setdefault(kind, [0.0] * len(months))[position[name]] = value
    return {_(kind_label(kind)): series[kind] for kind in SESSION_KINDS if kind in series}


def hours_per_month_svg(conn: sqlite3.Connection) -> str:
    months = _months(conn)
    return bar_chart(_(HOURS_TITLE), [month(m) for m in months], _hours_by_kind(conn, months))


def supervision_svg(conn: sqlite3.Connection) -> str:
    """Supervision credited each month, against the practitioner's own monthly rule when they have one."""
    found = conn.execute("SELECT month, credited_hours, status FROM supervision_months ORDER BY month").fetchall()
    line = monthly_line(conn)
    return bar_chart(
        _(SUPERVISION_TITLE), [month(r[0]) for r in found],
        {_(kind_label("supervision")): [r[1] for r in found]},
        threshold=line["hours"] if line else None,
        threshold_label=_("{hours} a month").format(hours=hours(line["hours"])) if line else "",
        short=[r[2] == "short" for r in found],
    )


def cumulative_svg(conn: sqlite3.Connection) -> str:
    months = _months(conn)
    series = _hours_by_kind(conn, months)
    cumulative = {}
    for kind in ("therapy", "practice"):
        running, values = 0.0, []
        for value in series.get(_(kind_label(kind)), [0.0] * len(months)):
            running += value
            values.append(round(running, 2))
        cumulative[_(kind_label(kind))] = values
    return line_chart(_(CUMULATIVE_TITLE), [month(m) for m in months], cumulative)


EMOTIONS_SHOWN = 8  # the emotions named most often get a colour each; the rest are "other"


def emotions_svg(conn: sqlite3.Connection) -> str:
    """How many shared reflections named each emotion, per month (the most frequent ones stacked)."""
    from journal.emotions import vocabulary

    words = vocabulary().words
    found = [(month_name, words[emotion].name(language()) if emotion in words else name, count)
             for month_name, emotion, name, count in conn.execute(
                 "SELECT month, emotion, name, reflections FROM emotions_by_month")] \
        if has_table(conn, "emotions_by_month") else []
    totals: dict[str, int] = {}
    for _month, name, count in found:
        totals[name] = totals.get(name, 0) + count
    shown = sorted(totals, key=lambda name: (-totals[name], name))[:EMOTIONS_SHOWN]
    months = sorted({name for name, _name, _count in found})
    position = {name: i for i, name in enumerate(months)}
    other = _("other")
    series = {name: [0.0] * len(months) for name in [*shown, other]}
    for name_of_month, name, count in found:
        series[name if name in shown else other][position[name_of_month]] += count
    if not any(series[other]):
        del series[other]
    return bar_chart(_(EMOTIONS_TITLE), [month(m) for m in months], series,
                     unit="", categorical=True)


CHARTS = {
    "hours-by-month": (HOURS_TITLE, hours_per_month_svg),
    "supervision": (SUPERVISION_TITLE, supervision_svg),
    "cumulative": (CUMULATIVE_TITLE, cumulative_svg),
    "emotions": (EMOTIONS_TITLE, emotions_svg),
}
