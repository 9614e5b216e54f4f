"""The caseload: each client code with its sessions, hours, first and last date, and whether the
client is still active. Client codes are the practitioner's own; nothing here is published."""

from __future__ import annotations

from datetime import date, timedelta

from journal.db import Journal
from journal.entries import Filters, filter_clause

# A client seen within this many weeks counts as active: a fortnightly client who missed one
# session still is; one not seen for two months has most likely ended.
ACTIVE_WEEKS = 6


def caseload(journal: Journal, filters: Filters, *, today: date, active_weeks: int = ACTIVE_WEEKS) -> list[dict]:
    """One row per client code of the live practice sessions in ``filters``, most recently seen first.

    ``active`` says whether the client was seen in the ``active_weeks`` weeks up to ``today``
    (counting every session, whatever the date filters).
    """
    clause = filter_clause(journal, Filters(kinds=("practice",), since=filters.since, until=filters.until))
    where, params = clause
    cutoff = (today - timedelta(weeks=active_weeks)).isoformat()
    rows = journal.query(
        f"""
        SELECT e.client_code AS client, count(*) AS sessions, sum(e.minutes) AS minutes,
               min(e.date) AS first, max(e.date) AS last,
               (SELECT max(x.date) FROM entries x WHERE x.client_code = e.client_code
                  AND x.kind = 'practice' AND x.deleted_at IS NULL AND x.date <= ?) AS seen
        FROM entries e
        WHERE {where} AND e.client_code IS NOT NULL
        GROUP BY e.client_code
        ORDER BY max(e.start_utc) DESC, e.client_code
        """,
        [today.isoformat(), *params],
    )
    return [
        {"client": row["client"], "sessions": row["sessions"], "minutes": row["minutes"],
         "hours": round(row["minutes"] / 60, 2), "first": row["first"], "last": row["last"],
         "active": row["seen"] is not None and row["seen"] > cutoff}
        for row in rows
    ]
