"""Requirement results for the published file, computed from exactly what was published.

The rules engine runs over a throwaway journal holding only the published sessions, with only
the columns the file shows: client codes only when they are published, and of the tags only
those a checked rule counts (which the file shows too). So every figure a supervisor reads can
be traced to rows of the file. The monthly supervision line of the site (its required hours, the
group credit, which months were short) is the practitioner's own monthly supervision rule, read
from their profiles, never a figure of ours.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from journal.db import Journal
from journal.i18n import LANGUAGES, language, speaking


@dataclass(frozen=True)
class MonthlyLine:
    """The practitioner's rule asking for supervision in every calendar month."""

    profile: str
    rule: str
    title: str
    hours: float
    credit: str  # how group time is credited: "none", "bacp-group", "clock-hour"
    while_kind: str | None


def configured(journal: Journal) -> list:
    """The profiles of the journal's ``profiles`` setting, loaded (none when it is unset)."""
    from journal.rules import configured_profiles
    from journal.rules.profiles import load_profile

    return [load_profile(ref) for ref in dict.fromkeys(configured_profiles(journal))]


def counted_tags(profiles: list) -> list[str]:
    """The tag keys that some checked rule counts (e.g. ``emdr``): the only tags published."""
    from journal.names import tag_key

    return sorted({tag_key(rule.tag) for profile in profiles for rule in profile.rules if rule.tag})


def monthly_line(profiles: list) -> MonthlyLine | None:
    """The first rule asking for supervision in every calendar month (the strictest if several)."""
    found = [
        MonthlyLine(profile.id, rule.id, rule.title, rule.min, rule.credit, rule.while_kind)
        for profile in profiles for rule in profile.rules
        if rule.type == "per_period" and rule.period == "month" and rule.kind == ("supervision",)
        and rule.measure == "hours" and not rule.tag and not rule.format
    ]
    return max(found, key=lambda line: line.hours) if found else None


# A rule counting clients when client codes were not published: its figures would count none.
UNPUBLISHED = {"met": None, "value": None, "missing": None, "pace": None, "projected": None, "status": None,
               "summary": None, "details": [], "not_counted": [], "unpublished": "client codes"}


def write_requirements(journal: Journal, conn: sqlite3.Connection, profiles: list, client_codes: bool,
                       published: str) -> int | None:
    """The ``requirements`` table: one row per rule of each profile; None when no profile is set.
    ``published`` is the condition that picks the published sessions from the journal's entries.

    Each row keeps the engine's ``status``, ``summary`` and ``details`` (the words of `journal
    check`, in English) and its profile's status and rule version; ``words`` holds the summary and
    details in every language the site speaks, so that a supervisor who switches language reads them
    in it. A rule counting clients is not judged when client codes were not published, and its
    profile's status leaves it out.
    """
    from journal.rules.text import report_status

    if not profiles:
        return None
    worded = _checked(journal, profiles, published, client_codes)
    reports = worded["en"]
    conn.execute(
        "CREATE TABLE requirements (profile TEXT, profile_title TEXT, profile_status TEXT, version TEXT, "
        "rule TEXT, title TEXT, description TEXT, met INTEGER, status TEXT, value REAL, threshold REAL, "
        "unit TEXT, failing_periods TEXT, missing REAL, summary TEXT, details TEXT, as_of TEXT, result TEXT, "
        "words TEXT)"
    )
    descriptions = {(p.id, r.id): r.description for p in profiles for r in p.rules}
    rows = []
    for number, report in enumerate(reports):
        results = [{**rule, **UNPUBLISHED} if rule["type"] == "clients" and not client_codes else rule
                   for rule in report["rules"]]
        judged = [rule for rule in results if rule["met"] is not None]
        status = "empty" if report["status"] == "empty" else report_status(judged, True)
        for index, rule in enumerate(results):
            words = {code: _words(found[number]["rules"][index], client_codes)
                     for code, found in worded.items()}
            rows.append((
                report["profile"], report["title"], status, report.get("version"), rule["id"], rule["title"],
                descriptions.get((report["profile"], rule["id"])),
                None if rule["met"] is None else int(bool(rule["met"])), rule["status"], rule.get("value"),
                rule.get("threshold"), rule.get("unit"),
                json.dumps(rule.get("failing_periods") or [], ensure_ascii=False), rule.get("missing"),
                rule["summary"], json.dumps(rule["details"], ensure_ascii=False),
                report.get("as_of"), json.dumps(rule, ensure_ascii=False), json.dumps(words, ensure_ascii=False),
            ))
    conn.executemany(f"INSERT INTO requirements VALUES ({', '.join('?' * 19)})", rows)
    return len(rows)


def _words(rule: dict, client_codes: bool) -> dict:
    """A result's summary and details, or none for a rule the file cannot judge (see ``UNPUBLISHED``)."""
    if rule["type"] == "clients" and not client_codes:
        return {"summary": None, "details": []}
    return {"summary": rule["summary"], "details": rule["details"]}


def write_supervision_months(conn: sqlite3.Connection, line: MonthlyLine | None) -> None:
    """``supervision_months``: every month from the first client work or supervision to the last, with
    its hours, the hours the monthly rule credits, the hours it asks for, and its status."""
    from journal.rules.data import CREDIT_SQL

    credited = CREDIT_SQL[line.credit if line else "none"]
    conn.execute(f"""
        CREATE TABLE supervision_months AS
        WITH RECURSIVE bounds AS (
            SELECT min(month) AS first, max(month) AS last FROM sessions WHERE kind IN ('supervision', 'practice')
        ), months(month) AS (
            SELECT first FROM bounds WHERE first IS NOT NULL
            UNION ALL
            SELECT strftime('%Y-%m', month || '-01', '+1 month') FROM months, bounds WHERE month < last
        )
        SELECT m.month AS month, count(e.id) AS sessions,
            round(coalesce(sum(e.minutes), 0) / 60.0, 2) AS hours,
            round(coalesce(sum({credited}), 0) / 60.0, 2) AS credited_hours,
            CAST(NULL AS REAL) AS required_hours, CAST(NULL AS TEXT) AS status
        FROM months m LEFT JOIN sessions e ON e.kind = 'supervision' AND e.month = m.month
        GROUP BY m.month ORDER BY m.month""")
    if line is None:
        return
    row = conn.execute("SELECT result, as_of FROM requirements WHERE profile = ? AND rule = ?",
                       (line.profile, line.rule)).fetchone()
    result, as_of_month = json.loads(row[0]), row[1][:7]
    status = {p["period"]: "short" for p in result.get("failing_periods") or []}
    if result.get("in_progress"):
        status[result["in_progress"]["period"]] = "due"
    not_required = [p["period"] for p in result.get("skipped_periods") or []]
    gate = line.while_kind or "supervision"
    active = {month for (month,) in conn.execute("SELECT DISTINCT month FROM sessions WHERE kind = ?", (gate,))}
    first = min(active, default=None)
    window = (result.get("window_start") or "")[:7]
    for (month,) in conn.execute("SELECT month FROM supervision_months").fetchall():
        if month in status:
            state = status[month]
        elif (first is None or month < first or month > as_of_month or month < window
              or _listed(month, not_required) or (line.while_kind and month not in active)):
            state = "not required"
        else:
            state = "met"
        conn.execute("UPDATE supervision_months SET required_hours = ?, status = ? WHERE month = ?",
                     (line.hours if state != "not required" else None, state, month))


def _listed(month: str, periods: list[str]) -> bool:
    """Whether ``month`` is one of ``periods``, or falls in one given as ``FIRST..LAST`` days."""
    return any(month == p or ".." in p and p[:7] <= month <= p.split("..")[1][:7] for p in periods)


def _check_published(journal: Journal, profiles: list, published: str, client_codes: bool) -> list[dict]:
    """The reports of :func:`_checked`, worded in the active language."""
    return _checked(journal, profiles, published, client_codes, (language(),))[language()]


def _checked(journal: Journal, profiles: list, published: str, client_codes: bool,
             languages: tuple[str, ...] = LANGUAGES) -> dict[str, list[dict]]:
    """Run the rules on a throwaway journal holding the published sessions and nothing more, worded
    in each of ``languages`` (language -> the reports).

    A session kept private (``journal log --private``) must not move a published figure, nor may a
    column the file leaves out (a client code, a tag no rule counts).
    """
    from journal.db import open_journal
    from journal.rollups import ROLLUPS
    from journal.rules import today
    from journal.rules.engine import evaluate
    from journal.settings import all_settings

    client = "client_code" if client_codes else "NULL"
    tags = counted_tags(profiles)
    with tempfile.TemporaryDirectory(prefix="journal-publish-") as folder:  # 0700
        shadow = open_journal(Path(folder) / "shared.db", key=journal.key)  # keyed alike: ATTACH needs no KEY
        try:
            shadow.execute("ATTACH DATABASE ? AS src", (str(journal.path),))
            with shadow.transaction():
                # A throwaway journal: load it without the triggers that keep search and totals row by
                # row, then total it once (a publish of 77,000 sessions took twice as long otherwise).
                for (name,) in shadow.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                              "AND tbl_name IN ('entries', 'entry_tags')").fetchall():
                    shadow.execute(f'DROP TRIGGER "{name}"')
                shadow.execute("INSERT INTO people SELECT * FROM src.people")
                shadow.execute("INSERT INTO settings SELECT * FROM src.settings")
                shadow.execute(
                    "INSERT INTO entries(id, kind, start_utc, tz, date, minutes, person_id, mode, format, "
                    "group_size, client_code, setting, paid, shared, created_at, updated_at) "
                    f"SELECT id, kind, start_utc, tz, date, minutes, person_id, mode, format, group_size, "
                    f"{client}, NULL, paid, shared, created_at, updated_at FROM src.entries WHERE {published}"
                )
                # Tag-counting rules (EMDR) see the counted tags of the published sessions, which the
                # file shows too, and no other tag.
                shadow.execute("INSERT INTO tags SELECT * FROM src.tags WHERE key IN (SELECT value FROM json_each(?))",
                               (json.dumps(tags),))
                shadow.execute(
                    "INSERT INTO entry_tags SELECT * FROM src.entry_tags WHERE tag_id IN (SELECT id FROM tags) "
                    "AND entry_id IN (SELECT id FROM entries WHERE kind <> 'therapy')"
                )
                for rollup in ROLLUPS:
                    rollup.rebuild(shadow)
            shadow.execute("DETACH DATABASE src")
            found = {}
            for words in languages:
                with speaking(words):
                    found[words] = evaluate(shadow, profiles, today(journal), None, all_settings(journal))
            return found
        finally:
            shadow.close()
