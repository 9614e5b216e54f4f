"""`journal publish`, `journal serve` and `journal supervisor`: what your supervisors see."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from journal.context import AppContext, pass_app
from journal.errors import InputError, JournalError
from journal.output import emit, output_options
from journal.commands.signoffs import echo_intake

client_codes_option = click.option(
    "--client-codes", is_flag=True,
    help="Also publish the pseudonymous client codes of practice sessions (left out by default).",
)


def _describe(result) -> str:
    """What left the practitioner's hands, one line per kind."""
    from journal.kinds import SESSION_KINDS, kind_label

    lines = [f"Published {result.path}"]
    if result.period[0]:
        lines[0] += f" ({result.period[0]} to {result.period[1]})"
    for kind in SESSION_KINDS:
        label = kind_label(kind)
        count = result.sessions.get(kind, 0)
        hours = result.hours.get(kind, 0)
        lines.append(f"  {label:<17}{count:>6} sessions {hours:>9.2f} h")
    lines.append(f"  {'Reflections':<17}{result.reflections:>6} shared")
    if result.requirements is not None:
        lines.append(f"  {'Requirements':<17}{result.requirements:>6} rule results (from the published hours)")
    lines.append(f"  {'To countersign':<17}{result.signable:>6} ended months with shared sessions")
    therapy = "personal therapy: date, length, therapist and mode only"
    codes = "client codes included" if result.client_codes else "client codes left out (--client-codes adds them)"
    lines.append(f"Shared: hours of shared sessions ({therapy}; {codes}) and shared reflections.")
    lines.append("Never published: session notes, private reflections, therapy content, private or deleted entries.")
    return "\n".join(lines)


@click.command()
@click.option("--out", metavar="PATH", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the supervisor database (default: beside the journal).")
@client_codes_option
@click.option("--json", "as_json", is_flag=True, help="Print what was published as a JSON object.")
@pass_app
def publish(app: AppContext, out: Path | None, client_codes: bool, as_json: bool) -> None:
    """Build the supervisor database: only shared hours and shared reflections, as a fresh file.

    \b
    Examples:
      journal publish
      journal publish --out ~/Shared/report.db --client-codes

    The file is rebuilt from scratch and swapped into place; what it holds is printed.
    """
    from journal.supervisor.publish import publish as build

    result = build(app.journal, out, client_codes=client_codes)
    echo_intake(result.intake)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        click.echo(_describe(result))


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but 127.0.0.1 shares the report on a network.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="A host name supervisors type to reach the site (repeatable), e.g. behind a reverse proxy. "
                   "Requests naming any other host are refused.")
@click.option("--no-login", is_flag=True, help="Serve without logins, for your own look (this machine only).")
@click.option("--open/--no-open", "open_browser", default=False, help="Open the report in your browser.")
@client_codes_option
@pass_app
def serve(app: AppContext, host: str, port: int, allow_hosts: tuple[str, ...], no_login: bool,
          open_browser: bool, client_codes: bool) -> None:
    """Publish, then serve the supervisor report with Datasette (logins required).

    \b
    Examples:
      journal supervisor add alice
      journal serve
      journal serve --no-login --open      # your own look, no login asked
      journal serve --allow-host report.example.org   # behind a TLS reverse proxy

    Supervisors sign in on a form; their sessions expire (idle or too old), end on sign-out, and
    end at once when you change or remove their login. Press Ctrl-C to stop.
    """
    from journal.supervisor.hosts import allowed_hosts, check_listening
    from journal.supervisor.logins import LoginBook
    from journal.supervisor.publish import publish as build
    from journal.supervisor.serve import check_port_free, make_datasette, run, signing_secret, warnings_for

    check_listening(host, login=not no_login, allow_hosts=allow_hosts)
    from journal.signoffs.inbox import inbox_path
    from journal.supervisor.publish import default_output

    # Opened (made, upgraded, unlocked) first; the inbox holds passwords chosen from invites not yet taken in.
    logins = None if no_login else LoginBook(app.journal.path, inbox_path(default_output(app.journal.path)),
                                             key=app.journal.key)
    if logins is not None:
        for name in logins.unusable_names():
            click.secho(f"WARNING: the login {name!r} is not a valid name any more and cannot sign in; "
                        f"remove it with `journal supervisor remove {name}` and add a new one.", fg="red", err=True)
        if not logins.names():
            raise JournalError(
                "no supervisor logins yet, so nobody could sign in",
                "add one with `journal supervisor add NAME`, or use --no-login for your own look",
            )
    check_port_free(host, port)
    result = build(app.journal, None, client_codes=client_codes)
    echo_intake(result.intake)
    click.echo(_describe(result), err=True)
    for warning in warnings_for(host, not no_login):
        click.secho(warning, fg="red", bold=True, err=True)
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    who = "no login asked" if no_login else "logins: " + ", ".join(logins.names())
    click.echo(f"Serving the supervisor report on {url} ({who}). Press Ctrl-C to stop.", err=True)
    ds = make_datasette(result.path, logins=logins, secret=signing_secret(app.db_path),
                        hosts=allowed_hosts(host, allow_hosts), inbox=None if no_login else inbox_path(result.path))
    app.journal.close()  # the server reads the published file, and the journal's logins read-only
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, (url,)).start()
    run(ds, host, port)


@click.group()
def supervisor() -> None:
    """Logins for your supervisors: `journal serve` asks for one on every page.

    \b
    Examples:
      journal supervisor add alice
      printf '%s\\n' "$PASSWORD" | journal supervisor add alice --password-stdin
      journal supervisor list
      journal supervisor remove alice
    """


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise InputError("no terminal to ask for the password", "pipe it in with --password-stdin")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)


@supervisor.command(name="add")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
@pass_app
def supervisor_add(app: AppContext, name: str, password_stdin: bool) -> None:
    """Add a supervisor login NAME (asks for the password twice); re-adding changes the password.

    \b
    Examples:
      journal supervisor add alice
      printf '%s\\n' "$PASSWORD" | journal supervisor add alice --password-stdin

    Only a salted hash of the password is kept, in your journal, never in the published file.
    """
    from journal.supervisor.logins import add_supervisor, check_name, list_supervisors

    check_name(name)
    existed = any(row["name"] == name for row in list_supervisors(app.journal))
    fingerprint = add_supervisor(app.journal, name, _read_password(password_stdin))
    click.echo(f"{'Changed the password of' if existed else 'Added'} supervisor login {name!r}; "
               f"its signing key is {fingerprint}.", err=True)


@supervisor.command(name="invite")
@click.argument("name")
@click.option("--url", "base_url", default="http://127.0.0.1:8001", show_default=True, metavar="URL",
              help="The address supervisors reach `journal serve` at.")
@click.option("--days", default=3, show_default=True, type=click.IntRange(1, 30), help="Days the link stays valid.")
@pass_app
def supervisor_invite(app: AppContext, name: str, base_url: str, days: int) -> None:
    """Print a one-time link where supervisor NAME chooses their own password (you never learn it).

    \b
    Examples:
      journal supervisor invite alice
      journal supervisor invite alice --url https://report.example.org --days 7

    The link works once, on the site `journal serve` runs, until it expires; a new invite for the
    same name replaces the old one. Inviting an existing login lets them choose a new password
    (and makes them a new signing key; their old signatures keep verifying).
    """
    from journal.supervisor.invites import invite

    made = invite(app.journal, name, days=days)
    click.echo(made.link(base_url))
    click.echo(f"Send this link to {name}; it works once, until {made.expires_at} (UTC), "
               "while `journal serve` runs.", err=True)


@supervisor.command(name="list")
@output_options
@pass_app
def supervisor_list(app: AppContext, fmt: str) -> None:
    """List supervisor logins: names, when they were added and their signing key's fingerprint.

    \b
    Example:
      journal supervisor list --json

    Give each supervisor their fingerprint: it is how anyone checking a countersignature knows
    the key is theirs. Passwords and keys are never shown.
    """
    from journal.signoffs.store import take_in
    from journal.supervisor.logins import list_supervisors

    take_in(app.journal)
    rows = [dict(row, fingerprint=row["fingerprint"] or ("none: set a password again to make one" if fmt == "table"
                                                         else None)) for row in list_supervisors(app.journal)]
    emit(rows, fmt, ["name", "created_at", "fingerprint"],
         headers={"name": "Name", "created_at": "Added (UTC)", "fingerprint": "Key fingerprint"},
         empty="No supervisor logins yet; add one with `journal supervisor add NAME`.")


@supervisor.command(name="remove")
@click.argument("name")
@pass_app
def supervisor_remove(app: AppContext, name: str) -> None:
    """Remove the supervisor login NAME; it stops working when `journal serve` next starts.

    \b
    Example:
      journal supervisor remove alice
    """
    from journal.supervisor.logins import remove_supervisor

    remove_supervisor(app.journal, name)
    click.echo(f"Removed supervisor login {name!r}.", err=True)
