"""What the published report holds about countersignatures: the months a supervisor may sign
(ended, with shared sessions: their digest and totals) and the signatures the journal holds.

Only digests, totals and who signed when are published; the sessions' start times that the digest
covers stay in the journal (and in the bundle the practitioner chooses to hand over).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date

from journal.db import Journal
from journal.rules.periods import Period
from journal.signoffs.canonical import (
    canonical, canonical_json, digest, identity, parse_period, period_sessions, totals,
)

_TABLES = """
CREATE TABLE signable_months (
    period TEXT PRIMARY KEY,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    sessions INTEGER NOT NULL,
    digest TEXT NOT NULL,
    client_codes INTEGER NOT NULL,
    totals TEXT NOT NULL,
    journal TEXT NOT NULL
);
CREATE TABLE countersignatures (
    ref TEXT PRIMARY KEY,
    period TEXT NOT NULL,
    supervisor TEXT NOT NULL,
    fingerprint TEXT,
    signed_at TEXT NOT NULL,
    comment TEXT,
    status TEXT NOT NULL,
    digest TEXT,
    withdrawn_at TEXT,
    reason TEXT,
    statement TEXT NOT NULL,
    signature TEXT NOT NULL
);
CREATE INDEX countersignatures_period ON countersignatures(period)
"""


def write_signoff_tables(journal: Journal, conn: sqlite3.Connection, *, client_codes: bool, credit_sql: str,
                         today: date) -> dict[str, str]:
    """Write both tables into the report being built (the journal attached as ``src``); returns
    each signable month's canonical sessions (JSON) by digest, for the journal to keep."""
    from journal.signoffs.store import statuses

    for statement in _TABLES.split(";\n"):
        conn.execute(statement)
    journal_id, _ = identity(conn, "src")
    last_ended = date(today.year, today.month, 1).toordinal() - 1
    everything = period_sessions(conn, Period("ended", date(1, 1, 1), date.fromordinal(last_ended)),
                                 client_codes=client_codes, schema="src")
    by_month: dict[str, list[dict]] = {}
    for session in everything:
        by_month.setdefault(session["_date"][:7], []).append(session)
    snapshots = {}
    for month, sessions in sorted(by_month.items()):
        plain = canonical(sessions)
        value = digest(plain)
        snapshots[value] = canonical_json(plain).decode("utf-8")
        period = parse_period(month)
        conn.execute("INSERT INTO signable_months VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (month, period.start.isoformat(), period.end.isoformat(), len(plain), value, int(client_codes),
                      json.dumps(totals(sessions, credit_sql, conn)), journal_id))
    signed = dict(((ref, (statement, signature)) for ref, statement, signature in
                   journal.execute("SELECT ref, statement, signature FROM signoffs")))
    for row in statuses(journal):
        conn.execute("INSERT INTO countersignatures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (row["ref"], row["period"], row["supervisor"], row["fingerprint"], row["signed_at"],
                      row["comment"], row["status"], row["digest"], row["withdrawn_at"], row["reason"],
                      *signed[row["ref"]]))
    return snapshots


def keep_snapshots(journal: Journal, snapshots: dict[str, str]) -> None:
    with journal.transaction():
        journal.conn.executemany("INSERT OR IGNORE INTO signoff_snapshots VALUES (?, ?)", snapshots.items())
