"""The totals that triggers keep beside the entries, and how to check and rebuild them.

``daily_totals`` (migration 0005) answers `journal report`; ``rule_totals`` (migration 0006)
answers `journal check`. Their triggers keep them in step row by row; a large import sets the
insert triggers aside and rebuilds them once, and `journal db check [--repair]` verifies and
rebuilds them, each from the query below (the migration's own, to the letter). They hold every
session, planned ones too; :meth:`Rollup.planned` gives what the planned sessions add, for the
readers to take away (see :mod:`journal.planned`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from journal.db import Journal
from journal.i18n import N_
from journal.planned import planned_entries

_GROUP = "format IN ('group', 'peer')"


@dataclass(frozen=True)
class Rollup:
    """A table of totals derived from the entries."""

    label: str  # as `journal db check` prints it
    unit: str  # what one of its rows is, for the drift message
    table: str
    columns: str
    template: str  # a query over ``{entries}`` giving ``columns`` in order
    insert_trigger: str

    @property
    def source(self) -> str:
        """The query over every live entry, as the triggers count them."""
        return self.template.format(entries="entries")

    def planned(self) -> str:
        """A table expression with the table's columns: the rows that sessions not ended yet add
        to it (read through the start index; usually none)."""
        return f"({self.template.format(entries=planned_entries())})"

    def drift(self, conn: sqlite3.Connection) -> int:
        """How many rows disagree with the entries (0 when in step)."""
        return conn.execute(
            f"""SELECT count(*) FROM (
                  SELECT * FROM ({self.source}) EXCEPT SELECT {self.columns} FROM {self.table}
                  UNION ALL
                  SELECT {self.columns} FROM {self.table} EXCEPT SELECT * FROM ({self.source}))"""
        ).fetchone()[0]

    def rebuild(self, journal: Journal) -> None:
        """Recompute the table from the entries (inside the caller's transaction)."""
        journal.execute(f"DELETE FROM {self.table}")
        journal.execute(f"INSERT INTO {self.table}({self.columns}) {self.source}")


DAILY_TOTALS = Rollup(
    N_("report totals"), N_("day(s)"), "daily_totals", "date, kind, minutes, count",
    """SELECT date, kind, sum(minutes) AS minutes, count(*) AS count FROM {entries}
       WHERE deleted_at IS NULL AND minutes IS NOT NULL GROUP BY date, kind""",
    "daily_totals_ai",
)
RULE_TOTALS = Rollup(
    N_("rule totals"), N_("row(s)"), "rule_totals", "kind, date, grp, paid, group_size, minutes, clock_minutes, count",
    f"""SELECT kind, date, coalesce({_GROUP}, 0) AS grp, coalesce(paid, -1) AS paid,
            CASE WHEN {_GROUP} THEN coalesce(group_size, 0) ELSE 0 END AS group_size,
            sum(coalesce(minutes, 0)) AS minutes,
            sum(coalesce(CASE WHEN minutes >= 45 AND minutes < 60 THEN 60 ELSE minutes END, 0)) AS clock_minutes,
            count(*) AS count
        FROM {{entries}} WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4, 5""",
    "rule_totals_ai",
)
ROLLUPS = (DAILY_TOTALS, RULE_TOTALS)
