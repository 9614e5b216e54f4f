"""Reading the journal: `list` and `show`."""

from __future__ import annotations

import json

import click

from journal.completion import complete_ids
from journal.context import AppContext, pass_app
from journal.entries import list_entries
from journal.options import filter_options
from journal.output import emit, output_options

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
@click.option("-n", "limit", type=click.IntRange(min=0), default=20, show_default=True,
              help="How many, newest first; 0 means all.")
@output_options
@pass_app
def list_(app: AppContext, filters, limit: int, fmt: str) -> None:
    """List sessions and reflections, newest first.

    \b
    Examples:
      journal list
      journal list --kind supervision --since 2026-01-01
      journal list --kind reflection --tag rupture -n 0 --json
    """
    records = list_entries(app.journal, filters, limit=limit or None)
    if fmt == "table":
        emit([listing_row(r) for r in records], fmt, LIST_COLUMNS, headers=LIST_HEADERS,
             widths={"title": 40, "with": 24, "tags": 24})
    else:
        emit(records, fmt)


@click.command()
@click.argument("entry_id", type=int, metavar="ID", shell_complete=complete_ids)
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
