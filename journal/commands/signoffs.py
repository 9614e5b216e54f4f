"""`journal signoffs` (list, sign, export) and `journal verify`: countersigned periods."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from journal.context import AppContext, pass_app
from journal.errors import EXIT_OK, EXIT_OPERATIONAL, InputError
from journal.output import emit, output_options
from journal.i18n import _

COLUMNS = ("period", "supervisor", "status", "signed_at", "changes", "comment", "fingerprint")
HEADERS = {"period": "Period", "supervisor": "Supervisor", "status": "Status", "signed_at": "Signed (UTC)",
           "changes": "Changes", "comment": "Comment", "fingerprint": "Key fingerprint"}


def describe_changes(row: dict) -> str:
    """``edited #12, removed #15`` (or the reason a signature is invalid, or withdrawn)."""
    if row["status"] == "invalid":
        return row["problem"] or ""
    if row["status"] == "withdrawn":
        return f"withdrawn {row['withdrawn_at'][:10]}: {row['reason']}"
    return ", ".join(f"{c['change']} #{c['id'] if c['id'] is not None else c['ref']}" for c in row["changes"])


def echo_intake(intake) -> None:
    text = intake.describe() if intake else None
    if text:
        click.echo(text, err=True)


@click.group(invoke_without_command=True)
@output_options
@click.pass_context
@pass_app
def signoffs(app: AppContext, ctx: click.Context, fmt: str) -> None:
    """Countersignatures of your periods, each with its status (valid, changed, withdrawn, invalid).

    \b
    Examples:
      journal signoffs
      journal signoffs --json
      printf '%s\\n' "$PASSWORD" | journal signoffs sign 2026-03 --supervisor alice --password-stdin
      journal signoffs export signoffs.json

    Takes in first what supervisors signed on the site (`journal serve`). `changed` lists each
    session added, edited or removed since signing, by id.
    """
    if ctx.invoked_subcommand is not None:
        return
    from journal.signoffs.store import statuses, take_in

    echo_intake(take_in(app.journal))
    rows = [{key: value for key, value in row.items() if key not in ("period_start", "period_end")}
            for row in statuses(app.journal)]
    if fmt == "table":
        rows = [dict(row, changes=describe_changes(row), signed_at=row["signed_at"].replace("T", " ")[:16])
                for row in rows]
    elif fmt == "csv":  # one cell a spreadsheet reads: "edited #12, removed #15"
        rows = [dict(row, changes=describe_changes(row)) for row in rows]
    emit(rows, fmt, COLUMNS if fmt in ("table", "csv") else None, headers=HEADERS,
         empty="No countersignatures yet. A supervisor signs a month on the site (`journal serve`) "
               "or here with `journal signoffs sign PERIOD --supervisor NAME`.")


@signoffs.command(name="sign")
@click.argument("period")
@click.option("--supervisor", "name", required=True, metavar="NAME", help="The supervisor's login name.")
@click.option("--password-stdin", is_flag=True, help="Read the supervisor's password from standard input.")
@click.option("--comment", metavar="TEXT", help="A comment kept in the signed statement.")
@click.option("--client-codes", is_flag=True, help="Also cover the client codes of practice sessions.")
@click.option("--json", "as_json", is_flag=True, help="Print the new signature's row as JSON.")
@pass_app
def sign(app: AppContext, period: str, name: str, password_stdin: bool, comment: str | None,
         client_codes: bool, as_json: bool) -> None:
    """Countersign PERIOD (2026-03, or 2026-03-01..2026-03-15) as supervisor NAME, who types the password.

    \b
    Examples:
      journal signoffs sign 2026-03 --supervisor alice            (asks for alice's password)
      printf '%s\\n' "$PASSWORD" | journal signoffs sign 2026-03 --supervisor alice --password-stdin

    For a supervisor at your machine, or a script. A wrong password signs nothing (exit 1).
    """
    from journal.rules import today
    from journal.signoffs.store import sign_period

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = click.prompt(_("{name}'s password").format(name=name), hide_input=True, err=True)
    else:
        raise InputError(_("no terminal to ask for the password"), _("pipe it in with --password-stdin"))
    row = sign_period(app.journal, period, name, password, comment=comment, client_codes=client_codes,
                      today=today(app.journal))
    click.echo(_("Countersigned {period} as {name} (key {fingerprint}).").format(period=row['period'], name=name, fingerprint=row['fingerprint']), err=True)
    if as_json:
        click.echo(json.dumps(row, ensure_ascii=False))


@signoffs.command(name="export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_app
def export(app: AppContext, file: Path) -> None:
    """Write every countersignature as one JSON bundle that `journal verify` checks anywhere.

    \b
    Example:
      journal signoffs export signoffs-2026.json

    The bundle holds the signed statements, signatures, public keys and the signed periods'
    shared sessions in canonical form; its SHA-256 is printed (and on `journal statement`).
    """
    from journal.signoffs.bundle import build, sha256
    from journal.signoffs.store import take_in

    echo_intake(take_in(app.journal))
    data = build(app.journal)
    partial = file.with_name(file.name + ".partial")
    partial.write_bytes(data)
    partial.replace(file)
    click.echo(_("Wrote {file} (SHA-256 {sha256}).").format(file=file, sha256=sha256(data)), err=True)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print each signature's result as a JSON array.")
def verify(file: Path, as_json: bool) -> None:
    """Check a countersignature bundle: no journal needed.

    \b
    Examples:
      journal verify signoffs-2026.json
      journal verify signoffs-2026.json --json

    Exit 0 when every signature is valid (or withdrawn), 1 when any is changed or invalid (naming
    the period and session), 2 when FILE is not a bundle. Compare the key fingerprints printed with
    the ones the supervisors gave you.
    """
    from journal.signoffs.bundle import load, sha256, verify_bundle

    document = load(file)
    checked = verify_bundle(document)
    failed = [c for c in checked if c.status in ("changed", "invalid")]
    if as_json:
        click.echo(json.dumps([c.to_dict() for c in checked], ensure_ascii=False))
    else:
        click.echo(_("{file}: SHA-256 {sha256}, practitioner {value}, {len} countersignature(s).").format(file=file, sha256=sha256(file.read_bytes()), value=document['practitioner'].get('name') or _('(unnamed)'), len=len(checked)))
        for c in checked:
            line = f"  {c.period}  {c.status:<9} {c.supervisor} ({c.fingerprint}) signed {c.signed_at}"
            if c.problem:
                line += f": {c.problem}"
            if c.reason:
                line += f": withdrawn, {c.reason}"
            click.echo(line)
            for change in c.changes:
                click.echo(_("      session {id} ({kind}, {start}) {change}").format(id=change['id'], kind=change['kind'], start=change['start'], change=change['change']))
    if failed:
        click.echo(_("{count} countersignature(s) changed or invalid: {which}").format(
            count=len(failed), which=", ".join(f"{c.period} ({c.status})" for c in failed)), err=True)
    click.get_current_context().exit(EXIT_OPERATIONAL if failed else EXIT_OK)
