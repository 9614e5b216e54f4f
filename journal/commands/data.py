"""Data in and out: `journal import`, `journal export` and `journal statement`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from journal.context import AppContext, pass_app
from journal.entries import ENTRY_KINDS, SESSION_KINDS
from journal.commands.setup import DATE_ORDERS
from journal.errors import InputError
from journal.importers.matching import DEFAULT_CLIENT_PATTERN
from journal.importers.spreadsheet import HEADERS
from journal.options import filter_options
from journal.i18n import _

IMPORT_FORMATS = ("jrnl", "watson", "timew", "ics", "csv", "json")
# Each export format and the file extensions it is written with (the ICF log is a CSV file).
EXPORT_EXTENSIONS = {"json": (".json",), "csv": (".csv",), "icf": (".csv",)}
EXPORT_FORMATS = tuple(EXPORT_EXTENSIONS)

force_option = click.option("--force", is_flag=True,
                            help="Replace the --out file if it exists (else asked on a terminal; a link never).")


def confirm_replace_on_terminal():
    """A callback that asks before replacing a file, on a terminal; ``None`` (refuse) elsewhere."""
    if not sys.stdin.isatty():
        return None
    return lambda path: click.confirm(_("{path} exists. Replace it?").format(path=path), default=False, err=True)


def _pairs(texts: tuple[str, ...], option: str) -> dict[str, str]:
    pairs = {}
    for text in texts:
        field, sep, value = text.partition("=")
        if not sep or not field.strip() or not value.strip():
            raise InputError(_("{option} {text!r} is not FIELD=HEADER").format(option=option, text=text), _("write e.g. {option} date=Day").format(option=option))
        pairs[field.strip().lower()] = value.strip()
    return pairs


@click.command(name="import")
@click.argument("format_", metavar="FORMAT", type=click.Choice(IMPORT_FORMATS, case_sensitive=False))
@click.argument("file", type=click.File("rb"))
@click.option("--match", "matches", multiple=True, metavar="PATTERN=KIND",
              help="Map event, project or tag names to a kind, shell-style, e.g. 'Supervision*=supervision' "
                   "(repeatable; the first rule that matches wins).")
@click.option("--match-file", type=click.File("r"), metavar="FILE",
              help="More rules, one 'PATTERN = KIND' a line (# starts a comment).")
@click.option("--column", "columns", multiple=True, metavar="FIELD=HEADER",
              help=f"csv: which column holds {', '.join(HEADERS)} (repeatable; the headers of Toggl, Clockify, "
                   "Harvest, Kimai, solidtime and the usual names are found without it).")
@click.option("--date-order", type=click.Choice(DATE_ORDERS), metavar="dmy|mdy",
              help="csv: read 03/04/2026 day-first (dmy) or month-first (mdy) in this file "
                   "(default: the date_order setting).")
@click.option("--client-pattern", metavar="REGEX", default=DEFAULT_CLIENT_PATTERN, show_default=True,
              help="Project names, tags and Client cells that wholly match it are client codes "
                   "(client work keeps codes, never names).")
@click.option("--allow-frequent-repeats", is_flag=True,
              help="ics: expand events that repeat more often than daily (refused otherwise).")
@click.option("--dry-run", is_flag=True, help="Show what would be added; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@pass_app
def import_(app: AppContext, format_, file, matches, match_file, columns, date_order, client_pattern,
            allow_frequent_repeats, dry_run, as_json) -> None:
    """Import sessions and reflections from another tool; FILE may be - for standard input.

    \b
    FORMAT is jrnl, watson, timew, ics, csv or json. Examples:
      journal import ics calendar.ics --match 'Supervision with {with}=supervision' --match 'Therapy*=therapy'
      journal import csv hours.csv --column with=Who --date-order mdy --dry-run
      journal import csv toggl.csv --match 'Supervision*=supervision' --match 'Client work=practice'
      journal import jrnl jrnl-export.json
      journal import watson ~/.config/watson/frames --match-file rules.txt --client-pattern 'C[0-9]+'
      timew export | journal import timew - --match 'supervision=supervision'
      journal import json backup.json

    A rule may capture the person ({with}) or a client code ({client}) from a name. Importing
    the same file again adds nothing; events matched by no rule, all-day and cancelled events
    are skipped and counted in the summary.
    """
    import json

    from journal.importers import import_file
    from journal.importers.core import ParseContext
    from journal.importers import matching
    from journal.importers.matching import NO_RULE, build_rules
    from journal.settings import get_setting
    from journal.output import emit

    if columns and format_.lower() != "csv":
        raise InputError(_("--column is for spreadsheets"), _("drop it, or import the file as csv"))
    if date_order and format_.lower() != "csv":
        raise InputError(_("--date-order is for spreadsheets"), _("drop it; this format writes unambiguous dates"))
    source = getattr(file, "name", "-")
    name = "-" if not isinstance(source, str) or source in ("<stdin>", "-") else Path(source).name
    rules = build_rules(matches, match_file.read() if match_file else None,
                        Path(match_file.name).name if match_file else "")
    ctx = ParseContext(zone=app.zone, rules=rules, dayfirst=app.dayfirst if date_order is None else date_order == "dmy",
                       columns=_pairs(columns, "--column"), client_pattern=matching.client_pattern(client_pattern),
                       practitioner=get_setting(app.journal, "practitioner"),
                       fine_recurrence=allow_frequent_repeats)
    from journal.commands.changing import warn_countersigned

    summary = import_file(app.journal, format_.lower(), file.read(), ctx, file=name, dry_run=dry_run,
                          before_write=lambda dates: warn_countersigned(app, dates))
    summary.records.sort(key=lambda record: (record["date"], record["time"]))
    if as_json:
        result = summary.to_dict()
        if dry_run:
            result["records"] = summary.records
        click.echo(json.dumps(result, ensure_ascii=False))
    elif dry_run and summary.records:
        emit(summary.records, "table", ("date", "time", "kind", "minutes", "with", "title"),
             widths={"title": 40, "with": 24})
    done = _("Dry run, nothing written: {summary}") if dry_run else _("Imported {summary}")
    click.echo(done.format(summary=summary.describe()), err=True)
    if summary.skipped.get(NO_RULE):
        click.echo(_("Add --match 'PATTERN=KIND' rules for the names you want imported "
                   "(`journal import --help` shows how)."), err=True)


@click.command()
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS),
              help="json or csv (everything, private fields included) or icf (the ICF coaching log, a .csv). "
                   "Default: from the --out file's extension, else json.")
@filter_options(ENTRY_KINDS, person_and_tag=False, planned=None)
@click.option("--client", "clients", multiple=True, metavar="CODE=NAME",
              help="icf: a client's identity for this export only, e.g. 'C014=Jane Doe, jane@example.com' "
                   "(repeatable; never stored).")
@click.option("--clients-file", type=click.File("r"), metavar="FILE",
              help="icf: identities, one 'CODE = Name, contact' a line; read, never stored.")
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write to FILE (readable by you only) instead of standard output.")
@force_option
@pass_app
def export(app: AppContext, fmt, filters, clients, clients_file, out, force) -> None:
    """Export your journal: everything you own as JSON or CSV, or the ICF coaching log.

    \b
    Examples:
      journal export > backup.json
      journal export --kind practice --since 2026-01-01 -o practice.csv
      journal export --format icf --clients-file clients.txt -o icf-log.csv

    The format comes from the file's extension (.json, .csv); an existing file is replaced
    only with --force or when you say so on a terminal, and a symbolic link never.

    JSON and CSV hold every live entry with the same columns in a fixed order (see the README),
    session notes, private reflections and planned sessions included; `journal import json|csv`
    reads them back. The ICF log sums the hours of practice sessions that have ended, per client;
    names come only from --client/--clients-file.
    """
    from journal import exporting, outfile

    if out:
        fmt = outfile.format_for(out, EXPORT_EXTENSIONS, fmt, default="json")
        outfile.check_target(out, force=force, confirm=confirm_replace_on_terminal())
    fmt = fmt or "json"
    if fmt == "icf":
        identities = exporting.parse_identities(clients, clients_file.read() if clients_file else None)
        rows, unknown = exporting.icf_log(app.journal, filters, identities)
        text = exporting.to_csv(rows, exporting.ICF_COLUMNS)
        if unknown:
            click.echo(_("{unknown} sessions said neither --paid nor --pro-bono; counted as pro bono.").format(unknown=unknown), err=True)
        count = len(rows)
    else:
        records = exporting.export_records(app.journal, filters)
        text = exporting.to_json(records) if fmt == "json" else exporting.to_csv(records, exporting.EXPORT_COLUMNS)
        count = len(records)
    if app.journal.encrypted:
        click.echo(_("Note: your journal is encrypted but this export is not: keep it somewhere safe, "
                     "and delete it when done."), err=True)
    if out:
        outfile.write_text(out, text)
        click.echo(_("Wrote {count} rows to {path} ({format}).").format(count=count, path=out, format=fmt), err=True)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


@click.command()
@click.option("--profile", metavar="ID",
              help="Add this requirement profile's results, e.g. bacp-practice.")
@filter_options(SESSION_KINDS, person_and_tag=False)
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write FILE: .pdf (printed by chromium) or .html (default: HTML on standard output).")
@force_option
@pass_app
def statement(app: AppContext, profile, filters, out, force) -> None:
    """A printable A4 hours statement for a course or a professional body.

    \b
    Examples:
      journal statement --since 2025-09-01 --until 2026-08-31 --out statement.pdf
      journal statement --profile bacp-practice --out statement.html

    It shows your name (`journal config practitioner ...`), the period, hours by kind and by
    month, the supervision log with credited time, personal-therapy dates and hours only (no
    therapist, no content), the profile's results and lines for your supervisor to sign.
    Sessions you logged with --private are left out.
    """
    from journal.statement import build_statement, render_html, save_page

    html = render_html(build_statement(app.journal, filters, profile=profile, zone=app.zone))
    if out:
        save_page(html, out, force=force, confirm=confirm_replace_on_terminal())
        click.echo(_("Wrote {out}.").format(out=out), err=True)
    else:
        click.echo(html)
