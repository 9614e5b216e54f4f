"""The totals that triggers keep beside the entries, and how to check and rebuild them.

``daily_totals`` (migration 0005) answers `journal report`; ``rule_totals`` (migration 0006,
remade by 0018) and ``tag_totals`` (migration 0018, the same per tag) answer `journal check`.
Their triggers keep them in step row by row; a large import sets the insert triggers aside and
rebuilds them once, and `journal db check [--repair]` verifies and rebuilds them, each from the
query below (the same rows as the migration's own). They hold every
session, planned ones too; :meth:`Rollup.planned` gives what the planned sessions add, for the
readers to take away (see :mod:`journal.planned`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from journal.db import Journal
from journal.i18n import N_
from journal.planned import planned_entries

_GROUP = "e.format IN ('group', 'peer')"


@dataclass(frozen=True)
class Rollup:
    """A table of totals derived from the entries."""

    label: str  # as `journal db check` prints it
    unit: str  # what one of its rows is, for the drift message
    table: str
    columns: str
    template: str  # a query over ``{entries}`` giving ``columns`` in order
    insert_trigger: str  # the trigger that a large import sets aside: on inserted entries, or tag links
    rows: str = ""  # optional: ``source``'s rows one per live entry (or tag link), not yet added up

    @property
    def source(self) -> str:
        """The query over every live entry, as the triggers count them."""
        return self.template.format(entries="entries")

    def planned(self) -> str:
        """A table expression with the table's columns: the rows that sessions not ended yet add
        to it (read through the start index; usually none)."""
        return f"({self.template.format(entries=planned_entries())})"

    @property
    def key(self) -> str:
        """The columns that name a row (the others are its figures)."""
        return ", ".join(c for c in self.columns.split(", ") if c not in ("minutes", "clock_minutes", "count"))

    def drift(self, conn: sqlite3.Connection) -> int:
        """How many rows disagree with the entries, missing, extra or wrong (0 when in step)."""
        # Each EXCEPT in a subquery of its own: SQLite reads compound SELECTs left to right, so that
        # ``A EXCEPT B UNION ALL B EXCEPT A`` would be ``((A EXCEPT B) UNION ALL B) EXCEPT A`` and miss
        # the rows the table lacks. A row with wrong figures is in both halves, and counted once.
        return conn.execute(
            f"""SELECT count(*) FROM (SELECT DISTINCT {self.key} FROM (
                  SELECT * FROM (SELECT * FROM ({self.source}) EXCEPT SELECT {self.columns} FROM {self.table})
                  UNION ALL
                  SELECT * FROM (SELECT {self.columns} FROM {self.table} EXCEPT SELECT * FROM ({self.source}))))"""
        ).fetchone()[0]

    def rebuild(self, journal: Journal) -> None:
        """Recompute the table from the entries (inside the caller's transaction). With ``rows``, each
        one is added in as the triggers add it (an upsert): cheaper than sorting ~100,000 rows for a
        GROUP BY when most of them make a row of their own, as tag links do."""
        journal.execute(f"DELETE FROM {self.table}")
        if not self.rows:
            journal.execute(f"INSERT INTO {self.table}({self.columns}) {self.source}")
            return
        journal.execute(
            f"""INSERT INTO {self.table}({self.columns}) {self.rows}
                ON CONFLICT({self.key}) DO UPDATE SET minutes = minutes + excluded.minutes,
                clock_minutes = clock_minutes + excluded.clock_minutes, count = count + excluded.count"""
        )


DAILY_TOTALS = Rollup(
    N_("report totals"), N_("day(s)"), "daily_totals", "date, kind, minutes, count",
    """SELECT date, kind, sum(minutes) AS minutes, count(*) AS count FROM {entries}
       WHERE deleted_at IS NULL AND minutes IS NOT NULL GROUP BY date, kind""",
    "daily_totals_ai",
)
# What rule_totals and tag_totals (migration 0018) add up an entry ``e`` by, and what they add up.
_DAY_KEY = f"""e.kind, e.date, coalesce({_GROUP}, 0) AS grp, coalesce(e.format = 'peer', 0) AS peer,
            coalesce(e.paid, -1) AS paid, CASE WHEN {_GROUP} THEN coalesce(e.group_size, 0) ELSE 0 END AS group_size"""
_DAY_SOURCE = "{entries} e WHERE e.deleted_at IS NULL"
_TAG_SOURCE = "entry_tags t JOIN {entries} e ON e.id = t.entry_id WHERE e.deleted_at IS NULL"
_TAG_KEY = f"t.tag_id, {_DAY_KEY}, coalesce(e.client_code, '') AS client_code"
_MINUTES = "coalesce(e.minutes, 0)"
_CLOCK_MINUTES = "coalesce(CASE WHEN e.minutes >= 45 AND e.minutes < 60 THEN 60 ELSE e.minutes END, 0)"
_DAY_FIGURES = f"sum({_MINUTES}) AS minutes, sum({_CLOCK_MINUTES}) AS clock_minutes, count(*) AS count"
_ONE_ENTRY = f"{_MINUTES} AS minutes, {_CLOCK_MINUTES} AS clock_minutes, 1 AS count"
RULE_TOTALS = Rollup(
    N_("rule totals"), N_("row(s)"), "rule_totals",
    "kind, date, grp, peer, paid, group_size, minutes, clock_minutes, count",
    f"SELECT {_DAY_KEY}, {_DAY_FIGURES} FROM {_DAY_SOURCE} GROUP BY 1, 2, 3, 4, 5, 6",
    "rule_totals_ai",
    f"SELECT {_DAY_KEY}, {_ONE_ENTRY} FROM {_DAY_SOURCE.format(entries='entries')}",
)
TAG_TOTALS = Rollup(
    N_("tag totals"), N_("row(s)"), "tag_totals",
    "tag_id, kind, date, grp, peer, paid, group_size, client_code, minutes, clock_minutes, count",
    f"SELECT {_TAG_KEY}, {_DAY_FIGURES} FROM {_TAG_SOURCE} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8",
    "tag_totals_ai",
    f"SELECT {_TAG_KEY}, {_ONE_ENTRY} FROM {_TAG_SOURCE.format(entries='entries')}",
)
ROLLUPS = (DAILY_TOTALS, RULE_TOTALS, TAG_TOTALS)
