"""What each supervisor page shows, read from the published file (never from the journal).

Plain functions over a ``sqlite3.Connection`` to the published database, returning plain data
for the templates in ``data/templates/``; the Datasette plugin only routes and renders. Every
page reads indexed rows a screenful at a time, so that a large report answers as fast as a small one.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from journal.i18n import _, language
from journal.kinds import FORMAT_LABELS, MODE_LABELS, SESSION_KINDS, kind_label
from journal.supervisor.markup import reflection_html
from journal.supervisor.ranges import DayRange

PAGE_ROWS = 100  # sessions on one page of a log
REFLECTIONS_PER_PAGE = 20
# The published tables and views a page may name (the plugin sends Datasette's own pages here).
LOG_PAGES = {"supervision": "supervision", "practice": "client-work", "therapy": "therapy", "cpd": "cpd"}


def rows(conn: sqlite3.Connection, sql: str, params: tuple | list = ()) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None


def about(conn: sqlite3.Connection) -> dict:
    """The published ``about`` row; a practitioner who gave no name is "the practitioner"."""
    found = rows(conn, "SELECT * FROM about")[0]
    return dict(found, practitioner=found["practitioner"] or _("The practitioner"),
                language=found.get("language") or "en")


def label(kind: str) -> str:
    """A kind's words in the reader's language ("practice" is "Client work")."""
    return _(kind_label(kind))


@dataclass(frozen=True)
class Pager:
    """Which page of a long list is shown, and links to the others."""

    page: int
    pages: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * PAGE_ROWS

    @classmethod
    def of(cls, count: int, page: int, size: int = PAGE_ROWS) -> Pager:
        pages = max(1, -(-count // size))
        return cls(min(max(1, page), pages), pages)


def format_label(fmt: str | None, group_size: int | None = None) -> str:
    """``group`` with 4 supervisees as ``Group of 4``; no format as ``Individual``."""
    words = _(FORMAT_LABELS.get(fmt or "individual", fmt or ""))
    return _("{format} of {size}").format(format=words, size=group_size) if group_size and fmt in (
        "group", "peer") else words


def mode_label(mode: str | None) -> str:
    return _(MODE_LABELS[mode]) if mode in MODE_LABELS else (mode or "")


# The report (home page) -------------------------------------------------------------------------

def home(conn: sqlite3.Connection) -> dict:
    """Who, which period, totals per kind, requirements at a glance, supervision months, reflections."""
    totals = [dict(row, label=label(row["kind"]), page=LOG_PAGES.get(row["kind"]))
              for row in rows(conn, "SELECT * FROM totals")]
    months = rows(conn, "SELECT month, hours, credited_hours, required_hours, status FROM supervision_months")
    return {
        "totals": totals,
        "profiles": requirement_profiles(conn),
        "line": monthly_line(conn),
        "short_months": [m for m in months if m["status"] == "short"],
        "due_month": next((m for m in months if m["status"] == "due"), None),
        "required_months": sum(m["status"] in ("met", "short") for m in months),
        "reflections": conn.execute("SELECT count(*) FROM reflections").fetchone()[0],
        "recent": rows(conn, "SELECT id, date, title FROM reflections ORDER BY date DESC, id DESC LIMIT 5"),
    }


# Requirements -----------------------------------------------------------------------------------

MAXIMA = ("max_gap", "share")  # rules whose threshold is a most, not a least


def requirement_profiles(conn: sqlite3.Connection) -> list[dict] | None:
    """The published rule results grouped by profile, each rule with the engine's status, summary and
    details (the words of ``journal check``); None when no profile was published."""
    from journal.rules.text import verdict

    if not has_table(conn, "requirements"):
        return None
    profiles: dict[str, dict] = {}
    for row in rows(conn, "SELECT profile, profile_title, profile_status, version, as_of, title, description, "
                          "status, value, threshold, unit, missing, summary, details, result, words "
                          "FROM requirements ORDER BY rowid"):
        result = json.loads(row["result"])
        profile = profiles.setdefault(row["profile"], {
            "title": _(row["profile_title"]), "status": row["profile_status"], "version": row["version"],
            "as_of": row["as_of"], "rules": []})
        profile["rules"].append(dict(
            {key: row[key] for key in ("status", "value", "threshold", "unit", "missing")},
            title=_(row["title"]), description=_(row["description"]) if row["description"] else None,
            **rule_words(row), at_most=result.get("type") in MAXIMA))
    for profile in profiles.values():
        judged = [rule for rule in profile["rules"] if rule["status"] is not None]
        profile["verdict"] = verdict(judged) if judged else None
        profile["unshown"] = len(profile["rules"]) - len(judged)
    return list(profiles.values())


def rule_words(row: dict) -> dict:
    """A published rule's summary and details in the reader's language (the file holds them in
    each language the site speaks), else as `journal check` words them in English."""
    words = json.loads(row.get("words") or "{}").get(language())
    if words:
        return words
    return {"summary": row["summary"], "details": json.loads(row["details"] or "[]")}


def monthly_line(conn: sqlite3.Connection) -> dict | None:
    """The practitioner's monthly supervision rule (its title and hours), when a profile has one."""
    required = conn.execute("SELECT max(required_hours) FROM supervision_months").fetchone()[0]
    if required is None or not has_table(conn, "requirements"):
        return None
    for row in rows(conn, "SELECT profile_title, title, description, result FROM requirements"):
        result = json.loads(row["result"])
        if (result.get("type"), result.get("period"), result.get("counts"), result.get("each")) == (
                "per_period", "month", "supervision", required):
            return {"hours": required, "title": _(row["title"]), "profile": _(row["profile_title"]),
                    "description": _(row["description"]) if row["description"] else None}
    return {"hours": required, "title": None, "profile": None, "description": None}


# The supervision log, laid out like BACP's supervision record -----------------------------------

def supervision_log(conn: sqlite3.Connection, page: int, span: DayRange) -> dict:
    """Months newest first, each with its sessions and its total against the monthly minimum.

    A page holds whole months and about ``PAGE_ROWS`` sessions (at least one month).
    """
    since, until = span.bounds()
    months = rows(conn, "SELECT * FROM supervision_months WHERE month BETWEEN ? AND ? ORDER BY month DESC",
                  (since[:7], until[:7]))
    pages: list[list[dict]] = [[]]
    filled = 0
    for month in months:
        if pages[-1] and filled + month["sessions"] > PAGE_ROWS:
            pages.append([])
            filled = 0
        pages[-1].append(month)
        filled += month["sessions"]
    pager = Pager(min(max(1, page), len(pages)), len(pages))
    shown = pages[pager.page - 1]
    sessions = rows(conn, (
        "SELECT month, date, supervisor, mode, format, group_size, minutes, credited_minutes FROM supervision_log "
        "WHERE date BETWEEN ? AND ? ORDER BY date DESC, id DESC"),
        (max(since, shown[-1]["month"] + "-01"), min(until, shown[0]["month"] + "-31"))) if shown else []
    by_month: dict[str, list[dict]] = {}
    for session in sessions:
        by_month.setdefault(session["month"], []).append(
            dict(session, format=format_label(session["format"]), group_size=session["group_size"]
                 if session["format"] in ("group", "peer") else None, mode=mode_label(session["mode"])))
    return {
        "months": [dict(month, sessions_list=by_month.get(month["month"], [])) for month in shown],
        "pager": pager,
        "line": monthly_line(conn),
        "credited_differs": any(m["credited_hours"] != m["hours"] for m in months),
    }


# Client work by month ---------------------------------------------------------------------------

def years(conn: sqlite3.Connection, kind: str) -> list[str]:
    """The years holding sessions of ``kind``, newest first (one indexed step per year)."""
    found, before = [], "9999"
    while True:
        row = conn.execute("SELECT max(date) FROM sessions WHERE kind = ? AND date < ?", (kind, before)).fetchone()
        if row[0] is None:
            return found
        found.append(row[0][:4])
        before = row[0][:4]


def client_work(conn: sqlite3.Connection, year: str | None) -> dict:
    """One year of client work, month by month: sessions, hours, paid hours, modes and formats,
    and the client codes only when the practitioner published them."""
    all_years = years(conn, "practice")
    year = year if year in all_years else (all_years[0] if all_years else None)
    codes = "client" in {r[1] for r in conn.execute("PRAGMA table_info(sessions)")}
    months: dict[str, dict] = {}
    if year:
        bounds = (f"{year}-01-01", f"{year}-12-31")
        for month, mode, fmt, sessions, minutes, paid in conn.execute(
                "SELECT month, mode, format, count(*), sum(minutes), sum(CASE WHEN paid THEN minutes ELSE 0 END) "
                "FROM sessions WHERE kind = 'practice' AND date BETWEEN ? AND ? GROUP BY month, mode, format", bounds):
            entry = months.setdefault(month, {"month": month, "sessions": 0, "minutes": 0, "paid_minutes": 0,
                                              "modes": {}, "formats": {}, "clients": []})
            entry["sessions"] += sessions
            entry["minutes"] += minutes
            entry["paid_minutes"] += paid
            for tally, label in ((entry["modes"], mode_label(mode) or _("Not recorded")),
                                 (entry["formats"], format_label(fmt))):
                tally[label] = tally.get(label, 0) + sessions
        if codes:
            for month, code in conn.execute(
                    "SELECT DISTINCT month, client FROM sessions WHERE kind = 'practice' AND date BETWEEN ? AND ? "
                    "AND client IS NOT NULL ORDER BY month, client", bounds):
                months[month]["clients"].append(code)
    listed = [dict(m, hours=round(m["minutes"] / 60, 2), paid_hours=round(m["paid_minutes"] / 60, 2))
              for m in sorted(months.values(), key=lambda m: m["month"], reverse=True)]
    return {
        "year": year, "years": all_years, "months": listed, "client_codes": codes,
        "sessions": sum(m["sessions"] for m in listed),
        "hours": round(sum(m["minutes"] for m in listed) / 60, 2),
    }


# Personal therapy and CPD -----------------------------------------------------------------------

def session_list(conn: sqlite3.Connection, kind: str, page: int, columns: str, span: DayRange) -> dict:
    """One kind's sessions in a date range, newest first, a page at a time, with the range's totals."""
    since, until = span.bounds()
    count, minutes = conn.execute("SELECT count(*), coalesce(sum(minutes), 0) FROM sessions WHERE kind = ? "
                                  "AND date BETWEEN ? AND ?", (kind, since, until)).fetchone()
    pager = Pager.of(count, page)
    listed = rows(conn, f"SELECT {columns} FROM sessions WHERE kind = ? AND date BETWEEN ? AND ? "
                        "ORDER BY date DESC, id DESC LIMIT ? OFFSET ?", (kind, since, until, PAGE_ROWS, pager.offset))
    for row in listed:
        if "mode" in row:
            row["mode"] = mode_label(row["mode"])
        if "format" in row:
            row["format"] = format_label(row["format"], row.get("group_size"))
    return {"sessions": listed, "pager": pager, "count": count, "hours": round(minutes / 60, 2)}


def therapy(conn: sqlite3.Connection, page: int, span: DayRange) -> dict:
    """Personal therapy as dates and hours only, and its hours per twelve-month period."""
    return dict(session_list(conn, "therapy", page, "date, minutes", span),
                periods=rows(conn, "SELECT period, sessions, hours FROM therapy_periods ORDER BY period_start DESC"))


def cpd(conn: sqlite3.Connection, page: int, span: DayRange) -> dict:
    return session_list(conn, "cpd", page, "date, minutes, counterpart AS trainer, mode, format, group_size", span)


# Hours in a date range --------------------------------------------------------------------------

def hours_in_range(conn: sqlite3.Connection, span: DayRange) -> dict:
    """Sessions and hours per kind between two dates, both days included."""
    since, until = span.bounds()
    found = {}
    for kind in SESSION_KINDS:  # one range of the (kind, date, minutes) index each
        sessions, minutes = conn.execute("SELECT count(*), sum(minutes) FROM sessions WHERE kind = ? "
                                         "AND date BETWEEN ? AND ?", (kind, since, until)).fetchone()
        if sessions:
            found[kind] = {"sessions": sessions, "hours": round(minutes / 60, 2)}
    kinds = [{"label": label(kind), "sessions": found[kind]["sessions"], "hours": found[kind]["hours"]}
             for kind in SESSION_KINDS if kind in found]
    return {"kinds": kinds, "sessions": sum(k["sessions"] for k in kinds),
            "hours": round(sum(k["hours"] for k in kinds), 2)}


# Shared reflections -----------------------------------------------------------------------------

def _with_context(conn: sqlite3.Connection, reflection: dict) -> dict:
    """A reflection with its text as HTML, its template's title and the session it is about."""
    from journal.templates import TEMPLATES

    titles = {template.name: _(template.title) for template in TEMPLATES}
    on = None
    if reflection.get("on_session"):
        found = rows(conn, "SELECT kind, date, minutes FROM sessions WHERE id = ?", (reflection["on_session"],))
        if found:
            on = dict(found[0], label=label(found[0]["kind"]), page=LOG_PAGES.get(found[0]["kind"]))
    return dict(reflection, html=reflection_html(reflection.get("body")), on=on, emotions=_emotions(reflection),
                template_title=titles.get(reflection.get("template") or "", reflection.get("template")))


def _emotions(reflection: dict) -> str | None:
    """The emotions a reflection names, in the reader's language (the file keeps the vocabulary's ids)."""
    if not reflection.get("emotions"):
        return reflection.get("emotions")
    from journal.emotions import vocabulary

    words = vocabulary().words
    return ", ".join(words[name].name(language()) if name in words else name
                     for name in reflection["emotions"].split(", "))


def reflections(conn: sqlite3.Connection, page: int) -> dict:
    count = conn.execute("SELECT count(*) FROM reflections").fetchone()[0]
    pager = Pager.of(count, page, REFLECTIONS_PER_PAGE)
    listed = rows(conn, "SELECT * FROM reflections ORDER BY date DESC, id DESC LIMIT ? OFFSET ?",
                  (REFLECTIONS_PER_PAGE, (pager.page - 1) * REFLECTIONS_PER_PAGE))
    return {"reflections": [_with_context(conn, r) for r in listed], "pager": pager, "count": count}


def reflection(conn: sqlite3.Connection, number: int) -> dict | None:
    found = rows(conn, "SELECT * FROM reflections WHERE id = ?", (number,))
    return _with_context(conn, found[0]) if found else None
