"""`journal publish`: build the supervisor database, a fresh file holding only what is shared.

The file is written from an explicit allow-list of columns and of shared, live rows (never a
copy of the journal with rows deleted), gets its own search index over shared reflections,
summary tables for the report, ``VACUUM``, and replaces the previous file atomically.
Ids are renumbered so that gaps cannot hint at private or deleted entries.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from journal.db import Journal
from journal.paths import fsync_path
from journal.rules.data import CREDIT_SQL
from journal.rules.periods import twelve_months
from journal.rules import today
from journal.settings import get_setting
from journal.supervisor.published import PUBLISHED_SESSIONS
from journal.supervisor import requirements as rules
from journal.supervisor.signoff_tables import keep_snapshots, write_signoff_tables
from journal.zones import local_zone_name
from journal.i18n import _
from journal.language import choose_language

DATABASE_NAME = "report"  # the name Datasette serves the file under: /report/sessions


_SESSION_IDS = f"""
CREATE TEMP TABLE session_ids AS
SELECT id AS src_id, row_number() OVER (ORDER BY start_utc, id) AS pub_id, kind
FROM src.entries
WHERE {PUBLISHED_SESSIONS};
CREATE UNIQUE INDEX temp.session_ids_src ON session_ids(src_id);
"""

_SESSIONS = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL,
    month TEXT NOT NULL,
    kind TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    hours REAL NOT NULL,
    counterpart TEXT,
    mode TEXT,
    format TEXT,
    group_size INTEGER,
    paid INTEGER,
    tags TEXT{client_column}
);
INSERT INTO sessions
SELECT m.pub_id, e.date, substr(e.date, 1, 7), e.kind, e.minutes, round(e.minutes / 60.0, 2),
    CASE WHEN e.kind = 'practice' THEN NULL ELSE p.name END, e.mode,
    CASE WHEN e.kind = 'therapy' THEN NULL ELSE e.format END,
    CASE WHEN e.kind = 'therapy' THEN NULL ELSE e.group_size END,
    CASE WHEN e.kind = 'practice' THEN e.paid END,
    CASE WHEN e.kind <> 'therapy' THEN (SELECT group_concat(name, ', ') FROM (SELECT t.name FROM src.entry_tags et
        JOIN src.tags t ON t.id = et.tag_id WHERE et.entry_id = e.id
        AND t.key IN (SELECT key FROM counted_tags) ORDER BY t.key)) END{client_value}
FROM session_ids m JOIN src.entries e ON e.id = m.src_id LEFT JOIN src.people p ON p.id = e.person_id
ORDER BY m.pub_id;
CREATE INDEX sessions_kind_date ON sessions(kind, date, minutes);
CREATE INDEX sessions_month_kind ON sessions(month, kind, minutes);
CREATE INDEX sessions_mode ON sessions(mode);
CREATE INDEX sessions_format ON sessions(format);
CREATE INDEX sessions_date ON sessions(date);
"""

# Shared reflections, except any on a personal-therapy session or on a reflection about one
# (at any depth): therapy content is never shared, even if a row was marked shared by mistake.
_REFLECTIONS = """
CREATE TABLE reflections (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL,
    month TEXT NOT NULL,
    title TEXT,
    body TEXT NOT NULL,
    template TEXT,
    on_session INTEGER REFERENCES sessions(id),
    tags TEXT,
    emotions TEXT
);
INSERT INTO reflections(date, month, title, body, template, on_session, tags, emotions)
SELECT e.date, substr(e.date, 1, 7), e.title, e.body, e.template, m.pub_id,
    (SELECT group_concat(name, ', ') FROM (SELECT t.name FROM src.entry_tags et
        JOIN src.tags t ON t.id = et.tag_id WHERE et.entry_id = e.id ORDER BY t.key)),
    (SELECT group_concat(emotion, ', ') FROM (SELECT emotion FROM src.entry_emotions
        WHERE entry_id = e.id ORDER BY emotion))
FROM src.entries e
LEFT JOIN session_ids m ON m.src_id = e.on_id
WHERE e.kind = 'reflection' AND e.shared = 1 AND e.deleted_at IS NULL
  AND e.id NOT IN (
    WITH RECURSIVE about_therapy(id) AS (
      SELECT r.id FROM src.entries r JOIN src.entries t ON t.id = r.on_id
      WHERE r.kind = 'reflection' AND t.kind = 'therapy'
      UNION SELECT r.id FROM src.entries r JOIN about_therapy a ON r.on_id = a.id)
    SELECT id FROM about_therapy)
ORDER BY e.start_utc, e.id;
CREATE INDEX reflections_date ON reflections(date);
CREATE INDEX reflections_template ON reflections(template);
"""

# Summary tables: the file is immutable, so they are computed once here instead of per request.
# (supervision_months, which needs the practitioner's monthly rule, is written by requirements.py.)
_SUMMARIES = """
CREATE TABLE totals AS
SELECT kind, count(*) AS sessions, round(sum(minutes) / 60.0, 2) AS hours,
    min(date) AS first_date, max(date) AS last_date
FROM sessions GROUP BY kind
ORDER BY CASE kind WHEN 'therapy' THEN 1 WHEN 'supervision' THEN 2 WHEN 'practice' THEN 3 ELSE 4 END;

CREATE TABLE monthly_hours AS
SELECT month, kind, count(*) AS sessions, round(sum(minutes) / 60.0, 2) AS hours
FROM sessions GROUP BY month, kind ORDER BY month, kind;
"""

# Friendly views: one log per kind, as a supervisor reads them.
_VIEWS = """
CREATE VIEW supervision_log AS
SELECT id, date, month, minutes, hours, counterpart AS supervisor, mode, format, group_size,
    round({credited}, 2) AS credited_minutes
FROM sessions e WHERE kind = 'supervision';
CREATE VIEW therapy_log AS
SELECT id, date, month, minutes, hours, counterpart AS therapist, mode FROM sessions WHERE kind = 'therapy';
CREATE VIEW practice_log AS
SELECT id, date, month, minutes, hours, mode, format, paid{client_column} FROM sessions WHERE kind = 'practice';
CREATE VIEW cpd_log AS
SELECT id, date, month, minutes, hours, counterpart AS trainer, mode, format FROM sessions WHERE kind = 'cpd';
"""


@dataclass
class PublishResult:
    """What left the practitioner's hands."""

    path: Path
    sessions: dict[str, int]
    hours: dict[str, float]
    reflections: int
    client_codes: bool
    requirements: int | None = None  # rule results; None when the rules module or profiles are absent
    period: tuple[str | None, str | None] = (None, None)
    signable: int = 0  # ended months a supervisor may countersign
    intake: object = None  # what was taken in from the site's inbox first (journal.signoffs.store.Intake)

    def to_dict(self) -> dict:
        return {
            "path": str(self.path),
            "sessions": self.sessions,
            "hours": self.hours,
            "reflections": self.reflections,
            "client_codes": self.client_codes,
            "requirements": self.requirements,
            "period": {"start": self.period[0], "end": self.period[1]},
            "signable_months": self.signable,
        }


def default_output(journal_path: Path) -> Path:
    """The supervisor database's default place: beside the journal."""
    return journal_path.with_name(journal_path.stem + "-supervisor.db")


def publish(journal: Journal, out: Path | None = None, *, client_codes: bool = False) -> PublishResult:
    """Write the supervisor database for ``journal`` to ``out`` (default: beside the journal)."""
    out = Path(out) if out else default_output(journal.path)
    if out.resolve() == journal.path.resolve():
        from journal.errors import InputError

        raise InputError(_("--out is the journal itself"), _("choose another path, e.g. report.db"))
    from journal.signoffs.store import take_in

    intake = take_in(journal)  # what supervisors did on the site since, before it is published again
    out.parent.mkdir(parents=True, exist_ok=True)
    _sweep_stale_temps(out)
    fd, temp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")  # 0600
    os.close(fd)
    temp = Path(temp_name)
    try:
        result, snapshots = _build(journal, temp, client_codes)
        os.replace(temp, out)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    keep_snapshots(journal, snapshots)
    result.path = out
    result.intake = intake
    return result


def _sweep_stale_temps(out: Path, older_than_seconds: float = 3600) -> None:
    """Remove the temp files that a publish killed part way left beside the report (an hour old or
    more, so that a publish running at this moment keeps its own)."""
    cutoff = time.time() - older_than_seconds
    for stale in out.parent.glob(f".{out.name}.*.tmp"):
        with contextlib.suppress(OSError):
            if stale.stat().st_mtime < cutoff:
                stale.unlink()


def _build(journal: Journal, temp: Path, client_codes: bool) -> tuple[PublishResult, dict[str, str]]:
    conn = journal.connect_plain(temp)  # plain, whether or not the journal is encrypted
    try:
        # A temporary file that is deleted on failure: no journal, no fsync until it is complete.
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute(*journal.attach_sql("src"))
        conn.execute("BEGIN")  # one read snapshot of the journal for every table below
        _script(conn, _SESSION_IDS)
        profiles = rules.configured(journal)
        line = rules.monthly_line(profiles)
        conn.execute("CREATE TEMP TABLE counted_tags(key TEXT PRIMARY KEY)")
        conn.executemany("INSERT INTO counted_tags VALUES (?)", [(key,) for key in rules.counted_tags(profiles)])
        column = ",\n    client TEXT" if client_codes else ""
        value = ",\n    CASE WHEN e.kind = 'practice' THEN e.client_code END" if client_codes else ""
        _script(conn, _SESSIONS.format(client_column=column, client_value=value))
        _script(conn, _REFLECTIONS)
        _emotions_by_month(conn)
        _script(conn, _SUMMARIES)
        _script(conn, _VIEWS.format(client_column=", client" if client_codes else "",
                                    credited=CREDIT_SQL[line.credit if line else "none"]))
        _search_index(conn)
        about = _about(journal, conn, client_codes)
        _therapy_periods(conn, about["training_start"])
        requirements = rules.write_requirements(journal, conn, profiles, client_codes, PUBLISHED_SESSIONS)
        rules.write_supervision_months(conn, line)
        snapshots = write_signoff_tables(journal, conn, client_codes=client_codes,
                                         credit_sql=CREDIT_SQL[line.credit if line else "none"],
                                         today=today(journal))
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE src")
        conn.execute("VACUUM")
        sessions = dict(conn.execute("SELECT kind, sessions FROM totals").fetchall())
        hours = dict(conn.execute("SELECT kind, hours FROM totals").fetchall())
        reflections = conn.execute("SELECT count(*) FROM reflections").fetchone()[0]
    finally:
        conn.close()
    fsync_path(temp)
    return PublishResult(
        path=temp, sessions=sessions, hours=hours, reflections=reflections, client_codes=client_codes,
        requirements=requirements, period=(about["period_start"], about["period_end"]), signable=len(snapshots),
    ), snapshots


def _emotions_by_month(conn: sqlite3.Connection) -> None:
    """How many shared reflections named each emotion, by month: read from the published
    reflections table, so only what is shared can be counted."""
    from collections import Counter

    from journal.emotions import vocabulary

    words = vocabulary().words
    counts = Counter(
        (month, emotion)
        for month, emotions in conn.execute("SELECT month, emotions FROM reflections WHERE emotions IS NOT NULL")
        for emotion in emotions.split(", ")
    )
    conn.execute("CREATE TABLE emotions_by_month (month TEXT NOT NULL, emotion TEXT NOT NULL, name TEXT NOT NULL, "
                 "family TEXT, reflections INTEGER NOT NULL, PRIMARY KEY (month, emotion))")
    conn.executemany(
        "INSERT INTO emotions_by_month VALUES (?, ?, ?, ?, ?)",
        [(month, emotion, words[emotion].name() if emotion in words else emotion,
          words[emotion].family if emotion in words else None, count)
         for (month, emotion), count in sorted(counts.items())])


def _script(conn: sqlite3.Connection, script: str) -> None:
    """Run statements one by one (``executescript`` would commit the open transaction)."""
    for statement in script.split(";\n"):
        if statement.strip():
            conn.execute(statement)


def _search_index(conn: sqlite3.Connection) -> None:
    """FTS5 over the shared reflections only, in the shape Datasette detects for ?_search=."""
    _script(
        conn,
        """
        CREATE VIRTUAL TABLE reflections_fts USING fts5(
            title, body, content='reflections', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2'
        );
        INSERT INTO reflections_fts(rowid, title, body) SELECT id, title, body FROM reflections;
        INSERT INTO reflections_fts(reflections_fts) VALUES ('optimize');
        """
    )


def _about(journal: Journal, conn: sqlite3.Connection, client_codes: bool) -> dict:
    """One row naming the practitioner and the period the report covers."""
    first, last = conn.execute(
        "SELECT min(d), max(d) FROM (SELECT date AS d FROM sessions UNION ALL SELECT date FROM reflections)"
    ).fetchone()
    about = {
        "practitioner": get_setting(journal, "practitioner"),
        "period_start": first,
        "period_end": last,
        "training_start": get_setting(journal, "training_start"),
        "qualified_on": get_setting(journal, "qualified_on"),
        "timezone": local_zone_name(get_setting(journal, "timezone")),
        "date_order": get_setting(journal, "date_order") or "dmy",
        "client_codes": int(client_codes),
        "published_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "language": choose_language(None, journal),
    }
    conn.execute(
        "CREATE TABLE about (practitioner TEXT, period_start TEXT, period_end TEXT, training_start TEXT, "
        "qualified_on TEXT, timezone TEXT, date_order TEXT, client_codes INTEGER, published_at TEXT, language TEXT)"
    )
    conn.execute(
        "INSERT INTO about VALUES (:practitioner, :period_start, :period_end, :training_start, "
        ":qualified_on, :timezone, :date_order, :client_codes, :published_at, :language)",
        about,
    )
    return about


def _therapy_periods(conn: sqlite3.Connection, training_start: str | None) -> None:
    """Personal therapy per twelve-month period from ``training_start``, else the first session."""
    conn.execute(
        "CREATE TABLE therapy_periods (period TEXT PRIMARY KEY, period_start TEXT, period_end TEXT, "
        "sessions INTEGER, hours REAL)"
    )
    first, last = conn.execute("SELECT min(date), max(date) FROM sessions WHERE kind = 'therapy'").fetchone()
    if first is None:
        return
    anchor = date.fromisoformat(training_start or first)
    for period in twelve_months(anchor, date.fromisoformat(last)):
        conn.execute(
            "INSERT INTO therapy_periods SELECT ?, ?, ?, count(*), round(coalesce(sum(minutes), 0) / 60.0, 2) "
            "FROM sessions WHERE kind = 'therapy' AND date BETWEEN ? AND ? HAVING count(*) > 0",
            (period.name, period.start.isoformat(), period.end.isoformat(),
             period.start.isoformat(), period.end.isoformat()),
        )
