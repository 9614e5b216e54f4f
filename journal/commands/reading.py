"""Reading the journal: `list`, `show`, `search`, `report`, `people` and `tags`."""

from __future__ import annotations

import json
from dataclasses import replace

import click

from journal.clients import ACTIVE_WEEKS
from journal.commands.cards import complete_cards, load_app_deck
from journal.context import AppContext, pass_app
from journal.entries import SESSION_KINDS, count_entries, list_entries
from journal.options import WHEN_HELP, build_filters, entry_id_argument, filter_options
from journal.output import cell, emit, output_options
from journal.report import GROUPINGS
from journal.i18n import N_, _, format_decimal

LIST_COLUMNS = ("id", "date", "kind", "minutes", "with", "title", "tags", "shared")
LIST_HEADERS = {"minutes": "min", "with": "with / on"}


def listing_row(record: dict) -> dict:
    """A table row: sessions show who with; reflections their title, else their first line of text."""
    from journal.templates import reflection_title

    row = dict(record)
    if record["kind"] == "reflection":
        row["minutes"] = None
        row["with"] = _("on #{id}").format(id=record["on"]) if record["on"] else None
        row["title"] = reflection_title(record["title"], record["body"], record["template"], record["date"])
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
            click.echo(_("{waiting} planned session(s) not shown, as they have not ended yet: `journal list --planned`.").format(waiting=waiting), err=True)
    else:
        emit(records, fmt)


@click.command()
@entry_id_argument
@click.option("--json", "as_json", is_flag=True, help="Print the record as one JSON object.")
@pass_app
def show(app: AppContext, entry_id: int, as_json: bool) -> None:
    """Show one session or reflection in full.

    \b
    Examples:
      journal show 12
      journal show last        (the entry you wrote last)
    """
    from journal.entries import get_entry
    from journal.refs import resolve

    record = get_entry(app.journal, resolve(app.journal, entry_id))
    if as_json:
        click.echo(json.dumps(record, indent=2, ensure_ascii=False))
        return
    body = record.pop("body", None)
    note = record.get("note")
    for key, value in record.items():
        if value in (None, [], "") or key in ("note",):
            continue
        click.echo(f"{_(key):>10}: {cell(value, key)}")
    if note:
        click.echo(f"{_('note'):>10}: {note}")
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
         empty=_("No entries match {query!r}.").format(query=query))


@click.command()
@click.option("--by", type=click.Choice((*GROUPINGS, "emotion")), default="month", show_default=True,
              help="Group totals by calendar month, ISO week, year, day, kind, person (with), client code, "
                   "setting (placement or clinic), mode or format; or count the emotions named in "
                   "reflections, by month.")
@filter_options(kinds=SESSION_KINDS)
@output_options
@pass_app
def report(app: AppContext, by: str, filters, fmt: str) -> None:
    """Hours and sessions per month, week, year, day, kind, person, client, setting, mode or format.

    \b
    Examples:
      journal report
      journal report --by week --since "8 weeks ago"
      journal report --by with --kind supervision --since 2026-01-01 --csv
      journal report --by setting --kind practice        (hours per placement)
      journal report --by client --since 2026-01-01
      journal report --by emotion --since 2026-01-01

    JSON and CSV rows name the group in `period` whatever --by is.
    """
    if by == "emotion":
        report_emotions(app, filters, fmt)
        return
    from journal.report import NONE_LABELS, report as build_report, totals_by_kind
    from journal.settings import get_setting

    rows = build_report(app.journal, by, filters, week_start=get_setting(app.journal, "week_start", "monday"))
    if fmt != "table":
        emit(rows, fmt)
        return
    none = _(NONE_LABELS[by]) if by in NONE_LABELS else ""
    totals = totals_by_kind(rows)[-1:] if by == "kind" else totals_by_kind(rows)  # by kind: the grand total
    shown = _blank_repeats(rows, none) + [{}] + _blank_repeats(totals, none) if rows else []
    columns = ("period", "count", "hours") if by == "kind" else ("period", "kind", "count", "hours")
    emit(shown, fmt, columns, headers={"period": GROUPINGS[by]}, empty=N_("No sessions in this period."))


def report_emotions(app: AppContext, filters, fmt: str) -> None:
    """`report --by emotion`: each month's emotions, most named first, then the totals."""
    from journal.emotions import emotion_report, emotion_totals
    from journal.errors import InputError
    from journal.language import choose_language

    if filters.kinds:
        raise InputError(_("--by emotion counts reflections, which have no --kind"), _("drop --kind"))
    rows = emotion_report(app.journal, filters, choose_language(None, app.journal))
    if fmt != "table":
        emit(rows, fmt)
        return
    totals = _blank_repeats(emotion_totals(rows), hours=False)
    shown = _blank_repeats(rows, hours=False) + [{}] + totals if rows else []
    emit(shown, fmt, ("period", "name", "family", "count"), headers={"name": "emotion", "count": "reflections"},
         empty=N_("No emotions named in this period: add them with `journal reflect --emotion WORD`."))


def _blank_repeats(rows: list[dict], none: str = "", hours: bool = True) -> list[dict]:
    """Table rows that name each group once, on its first line (``none`` where it has no name)."""
    shown, previous = [], object()
    for row in rows:
        period = row["period"] if row["period"] is not None else none
        if period == "total":
            period = _("total")
        shown.append({**row, "period": "" if period == previous else period,
                      **({"hours": format_decimal(row["hours"], 2, trim=False)} if hours else {})})
        previous = period
    return shown


@click.command()
@click.option("--since", metavar="WHEN", help=f"Count sessions from this date, inclusive ({WHEN_HELP}).")
@click.option("--until", metavar="WHEN", help="Count sessions up to this date, inclusive.")
@click.option("--active-weeks", type=click.IntRange(min=1), default=ACTIVE_WEEKS, show_default=True, metavar="N",
              help="A client is active when seen in the last N weeks.")
@click.option("--active/--ended", "only", default=None, help="Only the active clients, or only the others.")
@output_options
@pass_app
def clients(app: AppContext, since, until, active_weeks: int, only: bool | None, fmt: str) -> None:
    """Your caseload: each client code with its sessions, hours, first and last date, and whether active.

    \b
    Examples:
      journal clients
      journal clients --active
      journal clients --since 2026-01-01 --csv
      journal clients --active-weeks 4

    Client codes are yours: they reach a supervisor only if you publish with --client-codes.
    `journal list --client C014` lists one client's sessions.
    """
    from datetime import datetime

    from journal.clients import caseload

    filters = build_filters(app, (), since, until, None, None)
    today = datetime.now(app.zone).date()
    rows = caseload(app.journal, filters, today=today, active_weeks=active_weeks)
    if only is not None:
        rows = [row for row in rows if row["active"] is only]
    columns = None
    if fmt == "table":
        rows = [{**row, "hours": f"{row['hours']:.2f}"} for row in rows]
        columns = ("client", "sessions", "hours", "first", "last", "active")
    emit(rows, fmt, columns,
         empty="No client codes yet: log one with `journal log practice 50m --client C014`.")


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
         empty=N_("Nobody yet: add someone with `journal log therapy 50m --with NAME`."))


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
         empty=N_("No tags yet: add one with --tag when you log or reflect."))
