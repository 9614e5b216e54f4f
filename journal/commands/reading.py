"""Reading the journal: `list`, `show`, `search`, `report`, `people` and `tags`."""

from __future__ import annotations

import json
from dataclasses import replace

import click

from journal.commands.cards import complete_cards, load_app_deck
from journal.context import AppContext, pass_app
from journal.entries import SESSION_KINDS, count_entries, list_entries
from journal.options import entry_id_argument, filter_options
from journal.output import emit, output_options
from journal.report import GROUPINGS

LIST_COLUMNS = ("id", "date", "kind", "minutes", "with", "title", "tags", "shared")
LIST_HEADERS = {"minutes": "min", "with": "with / on"}


def listing_row(record: dict) -> dict:
    """A table row: sessions show who with; reflections show their title or first line."""
    row = dict(record)
    if record["kind"] == "reflection":
        row["minutes"] = None
        row["with"] = f"on #{record['on']}" if record["on"] else None
        row["title"] = record["title"] or (record["body"] or "").strip().splitlines()[0:1] or None
        if isinstance(row["title"], list):
            row["title"] = row["title"][0]
    elif record.get("client"):
        row["with"] = record["client"]
    return row


@click.command(name="list")
@filter_options()
@click.option("--planned", is_flag=True,
              help="Only sessions that have not ended yet (logged ahead), soonest first; they count nowhere until they end.")
@click.option("--card", metavar="ID", shell_complete=complete_cards,
              help="Only reflections and sessions that used this prompt card.")
@click.option("-n", "limit", type=click.IntRange(min=0), default=20, show_default=True,
              help="How many, newest first; 0 means all.")
@output_options
@pass_app
def list_(app: AppContext, filters, planned: bool, card: str | None, limit: int, fmt: str) -> None:
    """List sessions and reflections, newest first.

    Sessions that have not ended yet are listed only with --planned.

    \b
    Examples:
      journal list
      journal list --kind supervision --since 2026-01-01
      journal list --kind reflection --tag rupture -n 0 --json
      journal list --planned
      journal list --card empty-chair
    """
    if planned:
        filters = replace(filters, planned=True)
    if card:
        filters = replace(filters, card=load_app_deck(app).get(card).id)
    records = list_entries(app.journal, filters, limit=limit or None, soonest_first=planned)
    if fmt == "table":
        emit([listing_row(r) for r in records], fmt, LIST_COLUMNS, headers=LIST_HEADERS,
             widths={"title": 40, "with": 24, "tags": 24},
             empty="No planned sessions." if planned else "Nothing found.")
        waiting = 0 if planned else count_entries(app.journal, replace(filters, planned=True))
        if waiting:
            click.echo(f"{waiting} planned session(s) not shown, as they have not ended yet: "
                       "`journal list --planned`.", err=True)
    else:
        emit(records, fmt)


@click.command()
@entry_id_argument
@click.option("--json", "as_json", is_flag=True, help="Print the record as one JSON object.")
@pass_app
def show(app: AppContext, entry_id: int, as_json: bool) -> None:
    """Show one session or reflection in full.

    \b
    Example:
      journal show 12
    """
    from journal.entries import get_entry

    record = get_entry(app.journal, entry_id)
    if as_json:
        click.echo(json.dumps(record, indent=2, ensure_ascii=False))
        return
    body = record.pop("body", None)
    note = record.get("note")
    for key, value in record.items():
        if value in (None, [], "") or key in ("note",):
            continue
        if isinstance(value, list):
            value = ", ".join(value)
        if isinstance(value, bool):
            value = "yes" if value else "no"
        click.echo(f"{key:>10}: {value}")
    if note:
        click.echo(f"{'note':>10}: {note}")
    if body:
        click.echo()
        click.echo(body.rstrip())


@click.command()
@click.argument("query")
@filter_options(planned=None)
@click.option("-n", "limit", type=click.IntRange(min=0), default=20, show_default=True,
              help="How many, best first; 0 means all.")
@output_options
@pass_app
def search(app: AppContext, query: str, filters, limit: int, fmt: str) -> None:
    """Search titles, reflections and notes; best matches first.

    QUERY is one or more words (all must appear); "an exact phrase", OR, NOT and
    rupt* (a prefix) work too. Matches are shown [like this] in the snippet.

    \b
    Examples:
      journal search rupture
      journal search '"ending well" OR termination' --since 2025-01-01
      journal search shame --kind reflection --json
    """
    import sys

    from journal.search import Marks, search as run_search
    from journal.terminal import highlight_marks

    highlight = highlight_marks(sys.stdout) if fmt == "table" else None
    marks = Marks(*highlight) if highlight else Marks()
    results = run_search(app.journal, query, filters, limit=limit or None, marks=marks)
    if fmt != "table":
        emit(results, fmt)
        return
    rows = [{**listing_row(r), "snippet": r["snippet"]} for r in results]
    emit(rows, fmt, ("id", "date", "kind", "with", "title", "snippet"), headers=LIST_HEADERS,
         widths={"title": 30, "with": 16},
         empty=f"No entries match {query!r}.")


@click.command()
@click.option("--by", type=click.Choice((*GROUPINGS, "emotion")), default="month", show_default=True,
              help="Group totals by calendar month, ISO week, year, kind or person; or count the emotions "
                   "named in reflections, by month.")
@filter_options(kinds=SESSION_KINDS)
@output_options
@pass_app
def report(app: AppContext, by: str, filters, fmt: str) -> None:
    """Hours and sessions per month, week, year, kind or person, with totals.

    \b
    Examples:
      journal report
      journal report --by week --since "8 weeks ago"
      journal report --by with --kind supervision --since 2026-01-01 --csv
      journal report --by emotion --since 2026-01-01
    """
    if by == "emotion":
        report_emotions(app, filters, fmt)
        return
    from journal.report import report as build_report, totals_by_kind
    from journal.settings import get_setting

    rows = build_report(app.journal, by, filters, week_start=get_setting(app.journal, "week_start", "monday"))
    if fmt != "table":
        emit(rows, fmt)
        return
    shown = _blank_repeats(rows) + [{}] + _blank_repeats(totals_by_kind(rows)) if rows else []
    emit(shown, fmt, ("period", "kind", "count", "hours"), headers={"count": "sessions"},
         empty="No sessions in this period.")


def report_emotions(app: AppContext, filters, fmt: str) -> None:
    """`report --by emotion`: each month's emotions, most named first, then the totals."""
    from journal.emotions import emotion_report, emotion_totals
    from journal.errors import InputError
    from journal.language import choose_language

    if filters.kinds:
        raise InputError("--by emotion counts reflections, which have no --kind", "drop --kind")
    rows = emotion_report(app.journal, filters, choose_language(None, app.journal))
    if fmt != "table":
        emit(rows, fmt)
        return
    totals = _blank_repeats(emotion_totals(rows), hours=False)
    shown = _blank_repeats(rows, hours=False) + [{}] + totals if rows else []
    emit(shown, fmt, ("period", "name", "family", "count"), headers={"name": "emotion", "count": "reflections"},
         empty="No emotions named in this period: add them with `journal reflect --emotion WORD`.")


def _blank_repeats(rows: list[dict], hours: bool = True) -> list[dict]:
    """Table rows that name each period once, on its first line."""
    shown, previous = [], object()
    for row in rows:
        period = row["period"] if row["period"] is not None else "(no one)"
        shown.append({**row, "period": "" if period == previous else period,
                      **({"hours": f"{row['hours']:.2f}"} if hours else {})})
        previous = period
    return shown


@click.command()
@output_options
@pass_app
def people(app: AppContext, fmt: str) -> None:
    """Everyone you have logged sessions with: sessions, hours, last date.

    \b
    Example:
      journal people
    """
    from journal.report import people_summary

    emit(people_summary(app.journal), fmt, ("name", "sessions", "hours", "last"),
         empty="Nobody yet: add someone with `journal log therapy 50m --with NAME`.")


@click.command()
@output_options
@pass_app
def tags(app: AppContext, fmt: str) -> None:
    """Every tag in use, with how many entries carry it and the last date.

    \b
    Example:
      journal tags
    """
    from journal.report import tag_summary

    emit(tag_summary(app.journal), fmt, ("name", "entries", "last"),
         empty="No tags yet: add one with --tag when you log or reflect.")
