"""What the supervisor pages show, read from the published file (never from the journal).

Plain functions over a ``sqlite3.Connection`` to the published database; the Datasette
plugins call them through ``Database.execute_fn`` and only render the results.
"""

from __future__ import annotations

import json
import re
import sqlite3
from html import escape

from journal.svg_charts import bar_chart, line_chart

KINDS = ("therapy", "supervision", "practice", "cpd")
KIND_LABELS = {
    "therapy": "Personal therapy", "supervision": "Supervision", "practice": "Client work", "cpd": "CPD",
}
SUPERVISION_LINE_HOURS = 1.5
UNITS = {"hours": "h", "minutes": "min"}  # shown beside figures in the supervisor's tables
MARK_START, MARK_END = "\x02", "\x03"
_HEADING_MARKS = re.compile(r"(^|\s)#{1,6}\s+")  # template headings, flattened into a snippet


def _rows(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def summary(conn: sqlite3.Connection) -> dict:
    """The home page: who, which period, totals per kind, requirements, supervision gaps."""
    about = _rows(conn, "SELECT * FROM about")[0]
    totals = [dict(row, label=KIND_LABELS.get(row["kind"], row["kind"])) for row in _rows(conn, "SELECT * FROM totals")]
    requirements = None
    if _has_table(conn, "requirements"):
        requirements = [
            dict(row, failing_periods=json.loads(row["failing_periods"] or "[]"), details=json.loads(row["details"] or "[]"))
            for row in _rows(conn, "SELECT * FROM requirements ORDER BY profile, rowid")
        ]
    return {
        "about": about,
        "totals": totals,
        "requirements": requirements,
        "short_months": _rows(conn, "SELECT month, hours FROM supervision_months WHERE NOT meets_1_5_hours"),
        "months": conn.execute("SELECT count(*) FROM supervision_months").fetchone()[0],
        "reflections": conn.execute("SELECT count(*) FROM reflections").fetchone()[0],
        "recent": _rows(conn, "SELECT id, date, title FROM reflections ORDER BY date DESC, id DESC LIMIT 5"),
    }


def search(conn: sqlite3.Connection, query: str, limit: int = 50) -> list[dict]:
    """Shared reflections matching ``query``, best first, each with a highlighted snippet (safe HTML)."""
    from datasette.utils import escape_fts

    terms = escape_fts(query.strip())
    if not terms:
        return []
    rows = _rows(
        conn,
        "SELECT r.id, r.date, r.title, snippet(reflections_fts, 1, ?, ?, ' … ', 24) AS snippet "
        "FROM reflections_fts JOIN reflections r ON r.id = reflections_fts.rowid "
        "WHERE reflections_fts MATCH ? ORDER BY rank LIMIT ?",
        (MARK_START, MARK_END, terms, limit),
    )
    for row in rows:
        row["snippet_html"] = (
            escape(_HEADING_MARKS.sub(r"\1", row.pop("snippet") or ""))
            .replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
        )
    return rows


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
    position = {month: i for i, month in enumerate(months)}
    series: dict[str, list[float]] = {}
    for month, kind, hours in conn.execute("SELECT month, kind, hours FROM monthly_hours"):
        series.setdefault(kind, [0.0] * len(months))[position[month]] = hours
    return {kind: series[kind] for kind in KINDS if kind in series}


def hours_per_month_svg(conn: sqlite3.Connection) -> str:
    months = _months(conn)
    return bar_chart("Hours per month, by kind", months, _hours_by_kind(conn, months))


def supervision_svg(conn: sqlite3.Connection) -> str:
    rows = conn.execute("SELECT month, hours FROM supervision_months ORDER BY month").fetchall()
    return bar_chart(
        "Supervision per calendar month", [r[0] for r in rows], {"supervision": [r[1] for r in rows]},
        threshold=SUPERVISION_LINE_HOURS, threshold_label=f"{SUPERVISION_LINE_HOURS:g} h a month",
    )


def cumulative_svg(conn: sqlite3.Connection) -> str:
    months = _months(conn)
    series = _hours_by_kind(conn, months)
    cumulative = {}
    for kind in ("therapy", "practice"):
        running, values = 0.0, []
        for hours in series.get(kind, [0.0] * len(months)):
            running += hours
            values.append(round(running, 2))
        cumulative[kind] = values
    return line_chart("Cumulative personal therapy and practice hours", months, cumulative)


EMOTIONS_SHOWN = 8  # the emotions named most often get a colour each; the rest are "other"


def emotions_svg(conn: sqlite3.Connection) -> str:
    """How many shared reflections named each emotion, per month (the most frequent ones stacked)."""
    rows = conn.execute("SELECT month, name, reflections FROM emotions_by_month").fetchall() \
        if _has_table(conn, "emotions_by_month") else []
    totals: dict[str, int] = {}
    for _, name, count in rows:
        totals[name] = totals.get(name, 0) + count
    shown = sorted(totals, key=lambda name: (-totals[name], name))[:EMOTIONS_SHOWN]
    months = sorted({month for month, _, _ in rows})
    position = {month: i for i, month in enumerate(months)}
    series = {name: [0.0] * len(months) for name in [*shown, "other"]}
    for month, name, count in rows:
        series[name if name in shown else "other"][position[month]] += count
    if not any(series["other"]):
        del series["other"]
    return bar_chart("Emotions named in shared reflections, by month", months, series, unit="", categorical=True)


CHARTS = {
    "hours-by-month": ("Hours per month, by kind", hours_per_month_svg),
    "supervision": ("Supervision per calendar month against 1.5 h", supervision_svg),
    "cumulative": ("Cumulative personal therapy and practice hours", cumulative_svg),
    "emotions": ("Emotions named in shared reflections, by month", emotions_svg),
}
