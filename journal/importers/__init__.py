"""Imports from jrnl, Watson, Timewarrior, iCalendar, spreadsheets and our own exports.

``import_file`` reads one file with the format's module and hands its records to
:func:`journal.importers.core.import_items` (one transaction, idempotent by source key).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable

import click

from journal.collector import collector_paused
from journal.db import Journal
from journal.i18n import _
from journal.importers.core import PROGRESS_FROM_BYTES, ParseContext, Summary, import_items

# FORMAT argument -> module in this package with ``parse(data, ctx, file)``.
FORMATS = {
    "jrnl": "jrnl",
    "watson": "watson",
    "timew": "timew",
    "ics": "ics",
    "csv": "csvfile",
    "json": "jsonfile",
}


def import_file(journal: Journal, fmt: str, data: bytes, ctx: ParseContext, *, file: str = "-",
                dry_run: bool = False, before_write: Callable[[list[str]], None] | None = None) -> Summary:
    """Import ``data`` (the file's bytes) in format ``fmt``; returns what was (or would be) added.
    ``before_write`` hears the dates of the shared sessions about to be added (see ``import_items``)."""
    module = importlib.import_module(f"journal.importers.{FORMATS[fmt]}")
    summary = Summary(format=fmt, file=file, dry_run=dry_run)
    if len(data) >= PROGRESS_FROM_BYTES and sys.stderr.isatty():
        click.echo(_("Reading and checking {file}...").format(file=_("standard input") if file == "-" else file),
                   err=True)
    with collector_paused():  # the collector would double the time of a large import
        return import_items(journal, module.parse(data, ctx, file), summary, now=ctx.now, before_write=before_write)
