"""The per-day rollup that `journal check` sums (``rule_totals``, migration 0006): its drift and rebuild.

The triggers of migration 0006 keep it; an import that sets them aside, and `journal db check
--repair`, rebuild it from the entries with the query below (the migration's own, to the letter).
"""

from __future__ import annotations

import sqlite3

from journal.db import Journal

GROUP = "format IN ('group', 'peer')"
RULE_TOTALS_FROM_ENTRIES = f"""
    SELECT kind, date, coalesce({GROUP}, 0), coalesce(paid, -1),
        CASE WHEN {GROUP} THEN coalesce(group_size, 0) ELSE 0 END, sum(coalesce(minutes, 0)),
        sum(coalesce(CASE WHEN minutes >= 45 AND minutes < 60 THEN 60 ELSE minutes END, 0)), count(*)
    FROM entries WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4, 5
"""
_COLUMNS = "kind, date, grp, paid, group_size, minutes, clock_minutes, count"


def rule_totals_drift(conn: sqlite3.Connection) -> int:
    """How many rows of ``rule_totals`` disagree with the entries (0 when in step)."""
    return conn.execute(
        f"""SELECT count(*) FROM (
              SELECT * FROM ({RULE_TOTALS_FROM_ENTRIES}) EXCEPT SELECT {_COLUMNS} FROM rule_totals
              UNION ALL
              SELECT {_COLUMNS} FROM rule_totals EXCEPT SELECT * FROM ({RULE_TOTALS_FROM_ENTRIES}))"""
    ).fetchone()[0]


def rebuild_rule_totals(journal: Journal) -> None:
    """Recompute the rollup from the entries (inside the caller's transaction)."""
    journal.execute("DELETE FROM rule_totals")
    journal.execute(f"INSERT INTO rule_totals({_COLUMNS}) {RULE_TOTALS_FROM_ENTRIES}")
