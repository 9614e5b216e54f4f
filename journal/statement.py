"""`journal statement`: a printable A4 hours statement for a course or a professional body.

:func:`build_statement` gathers plain data (SQL aggregates over the sessions you share, so
sessions logged ``--private`` stay out), :func:`render_html` fills the Jinja2 template
``templates_html/statement.html`` and :func:`write_pdf` prints it through headless chromium.
Personal therapy appears as dates and hours only; notes, client codes, reflections and the
therapist's name never appear.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from journal import outfile
from journal.db import Journal
from journal.durations import format_minutes
from journal.entries import Filters, filter_clause
from journal.errors import JournalError
from journal.kinds import SESSION_KINDS, kind_label
from journal.rules.data import CREDIT_SQL
from journal.settings import get_setting
from journal.i18n import N_, _, format_decimal, format_long_date, language, month_name, ngettext

CHROMIUM = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")


def build_statement(journal: Journal, filters: Filters, *, profile: str | None = None, zone=None) -> dict:
    """Everything the statement shows, as plain data."""
    sessions = Filters(filters.kinds or SESSION_KINDS, filters.since, filters.until)
    where, params = filter_clause(journal, sessions)
    shared = f"{where} AND e.shared = 1"

    def rows(sql: str) -> list[dict]:
        return journal.query(sql.format(where=shared), params)

    months = rows("SELECT substr(e.date, 1, 7) AS month, e.kind, sum(e.minutes) AS minutes "
                  "FROM entries e WHERE {where} GROUP BY 1, 2 ORDER BY 1")
    kinds = rows("SELECT e.kind, count(*) AS count, sum(e.minutes) AS minutes "
                 "FROM entries e WHERE {where} GROUP BY 1")
    supervision = rows(
        "SELECT e.date, p.name AS supervisor, e.format, e.group_size, e.minutes, "
        f"{CREDIT_SQL['bacp-group']} AS credited "
        "FROM entries e LEFT JOIN people p ON p.id = e.person_id "
        "WHERE {where} AND e.kind = 'supervision' ORDER BY e.start_utc")
    therapy = rows("SELECT e.date, e.minutes FROM entries e WHERE {where} AND e.kind = 'therapy' "
                   "ORDER BY e.start_utc")
    span = rows("SELECT min(e.date) AS first, max(e.date) AS last FROM entries e WHERE {where}")[0]
    private = journal.execute(f"SELECT count(*) FROM entries e WHERE {where} AND e.shared = 0", params).fetchone()[0]
    first = filters.since.date().isoformat() if filters.since else span["first"]
    last = (filters.until - timedelta(seconds=1)).date().isoformat() if filters.until else span["last"]
    by_kind = {row["kind"]: row for row in kinds}
    return {
        "lang": language(),
        "practitioner": get_setting(journal, "practitioner"),
        "first": _day(first),
        "last": _day(last),
        "generated": format_long_date(datetime.now(zone).date()),
        "kinds": [
            {"label": _(kind_label(kind)), "count": by_kind[kind]["count"],
             "hours": _hours(by_kind[kind]["minutes"])}
            for kind in SESSION_KINDS if kind in by_kind
        ],
        "total_hours": _hours(sum(row["minutes"] for row in kinds)),
        "month_kinds": [_(kind_label(kind)) for kind in SESSION_KINDS if kind in by_kind],
        "months": _months(months, [kind for kind in SESSION_KINDS if kind in by_kind]),
        "supervision": [
            {"date": row["date"], "supervisor": row["supervisor"] or "",
             "format": _format(row["format"], row["group_size"]),
             "duration": format_minutes(row["minutes"]), "credited": format_minutes(round(row["credited"]))}
            for row in supervision
        ],
        "supervision_total": format_minutes(sum(row["minutes"] for row in supervision)),
        "supervision_credited": format_minutes(round(sum(row["credited"] for row in supervision))),
        "therapy": [{"date": row["date"], "hours": _hours(row["minutes"])} for row in therapy],
        "therapy_total": _hours(sum(row["minutes"] for row in therapy)),
        "private_left_out": private,
        "profile": _profile(journal, profile, filters) if profile else None,
        **_countersignatures(journal, first, last),
    }


def _countersignatures(journal: Journal, first: str | None, last: str | None) -> dict:
    """Each month's countersignature state, and the SHA-256 of the bundle that carries the signatures."""
    from datetime import date

    from journal.rules import today
    from journal.signoffs.bundle import build, sha256
    from journal.signoffs.months import month_states

    states = month_states(journal, date.fromisoformat(first) if first else None,
                          date.fromisoformat(last) if last else None, today(journal))
    signed = journal.execute("SELECT 1 FROM signoffs LIMIT 1").fetchone() is not None
    return {"countersignatures": states, "bundle_sha256": sha256(build(journal)) if signed else None}


def _hours(minutes: int | float) -> str:
    return format_decimal(minutes / 60, 2, trim=False)


def _day(iso: str | None) -> str | None:
    """``12 March 2026`` / ``12 mars 2026``."""
    from datetime import date

    return format_long_date(date.fromisoformat(iso)) if iso else None


FORMAT_WORDS = {"individual": N_("individual"), "group": N_("group"), "peer": N_("peer group")}


def _format(format_: str | None, size: int | None) -> str:
    text = _(FORMAT_WORDS.get(format_ or "individual", format_))
    if format_ in ("group", "peer"):
        if size:
            return ngettext("{format} ({size} supervisee)", "{format} ({size} supervisees)", size).format(
                format=text, size=size)
        return _("{format} (size unknown: not credited)").format(format=text)
    return text


def _months(rows: list[dict], kinds: list[str]) -> list[dict]:
    table: dict[str, dict[str, int]] = {}
    for row in rows:
        table.setdefault(row["month"], {})[row["kind"]] = row["minutes"]
    return [
        {"month": f"{month_name(int(month[5:7]))} {month[:4]}", "hours": [_hours(values.get(kind, 0)) for kind in kinds],
         "total": _hours(sum(values.values()))}
        for month, values in table.items()
    ]


def _profile(journal: Journal, profile: str, filters: Filters) -> dict:
    from journal.rules import check_profiles
    from journal.rules.text import amount

    as_of = (filters.until - timedelta(seconds=1)).date() if filters.until else None
    since = filters.since.date() if filters.since else None
    report = check_profiles(journal, [profile], as_of=as_of, since=since)[0]
    return {
        "id": report["profile"],
        "title": _(report["title"]) if report.get("title") else report["profile"],
        "as_of": report["as_of"],
        "met": report["met"],
        "status": report["status"],
        "rules": [
            {"title": _(rule["title"]), "met": rule["met"], "status": rule["status"],
             "recorded": amount(rule["value"], rule["unit"]),
             "required": amount(rule["threshold"], rule["unit"]) if rule["threshold"] is not None else "",
             "summary": rule["summary"], "details": rule["details"]}
            for rule in report["rules"]
        ],
    }


def render_html(data: dict, template: str = "statement.html") -> str:
    """A page of ``templates_html`` (the statement by default) as one self-contained HTML page that prints on A4."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("journal", "templates_html"), autoescape=select_autoescape(["html"]),
                      extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(_, ngettext, newstyle=True)
    return env.get_template(template).render(**data)


# The page formats and their file extensions: anything else is refused.
PAGE_EXTENSIONS = {"html": (".html", ".htm"), "pdf": (".pdf",)}


def save_page(html: str, out: Path, *, force: bool = False, confirm: outfile.ConfirmReplace | None = None) -> Path:
    """Write ``html`` to ``out``: printed to PDF when it ends in .pdf, the HTML page for .html (0600).

    Another extension is refused; an existing file is replaced only with ``force`` or when
    ``confirm`` agrees, a symbolic link never, and ``out`` is never left half-written.
    """
    kind = outfile.format_for(out, PAGE_EXTENSIONS)
    outfile.check_target(out, force=force, confirm=confirm)
    with outfile.replacing(out) as temp:
        if kind == "pdf":
            write_pdf(html, temp)
        else:
            temp.write_text(html, encoding="utf-8")
    return out


def write_pdf(html: str, out: Path) -> Path:
    """Print ``html`` to ``out`` as PDF with headless chromium (Debian's package)."""
    browser = next((found for name in CHROMIUM if (found := shutil.which(name))), None)
    if browser is None:
        raise JournalError(_("a PDF needs chromium, which is not installed"),
                           _("install it (apt-get install chromium) or write HTML with --out statement.html"))
    out = out.resolve()
    with tempfile.TemporaryDirectory(prefix="journal-statement-") as folder:
        page = Path(folder) / "statement.html"
        page.write_text(html, encoding="utf-8")
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                   f"--user-data-dir={folder}/profile", f"--print-to-pdf={out}", page.as_uri()]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        except subprocess.TimeoutExpired:
            raise JournalError(_("chromium took over 2 minutes to print the PDF"),
                               _("try again, or write HTML with --out statement.html")) from None
    if result.returncode != 0 or not out.exists() or out.stat().st_size == 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1][:200]
        raise JournalError(_("chromium could not print the PDF ({last})").format(last=last),
                           _("write HTML with --out statement.html and print it from a browser"))
    out.chmod(0o600)
    return out
