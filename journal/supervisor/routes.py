"""Where Datasette's own table, row, database and query pages send a reader: to our pages.

Datasette's HTML for the published file shows its schema, SQL and internal ids; a supervisor
reads our pages instead. Its ``.json`` and ``.csv`` answers stay for scripts, behind the login.
"""

from __future__ import annotations

from urllib.parse import urlencode

from journal.supervisor.pages import LOG_PAGES

# Each published table, view and (retired) canned query, and the page that shows what it holds.
TABLE_PAGES = {
    "sessions": "/", "totals": "/", "about": "/", "monthly_hours": "/charts",
    "supervision_log": "/supervision", "supervision_months": "/supervision",
    "practice_log": "/client-work", "therapy_log": "/therapy", "therapy_periods": "/therapy", "cpd_log": "/cpd",
    "reflections": "/reflections", "requirements": "/requirements",
    "sessions_in_range": "/hours", "hours_in_range": "/hours",
}
REFUSED_ARGUMENTS = ("sql", "_where")  # arbitrary SQL: refused on every page, signed in or not


def our_page(table: str | None, row: str | None, args: dict[str, str]) -> str:
    """The page of ours that shows ``table`` (or one of its rows), keeping the arguments it understands."""
    if table is None:
        return "/"
    if table.startswith("reflections"):
        if row and row.isdigit() and table == "reflections":
            return f"/reflections/{row}"
        query = args.get("_search") or args.get("q")
        return "/reflections" + (f"?{urlencode({'q': query})}" if query else "")
    if table == "sessions" and args.get("kind") in LOG_PAGES:
        return "/" + LOG_PAGES[args["kind"]]
    page = TABLE_PAGES.get(table, "/")
    if page == "/hours":
        kept = {key: args[key] for key in ("since", "until") if args.get(key)}
        return page + (f"?{urlencode(kept)}" if kept else "")
    return page
