"""`journal publish`, `journal serve` and `journal supervisor`: what your supervisors see."""

from __future__ import annotations

import contextlib
import json
import signal
import sys
from pathlib import Path

import click

from journal.context import AppContext, pass_app
from journal.errors import InputError, JournalError
from journal.output import emit, output_options
from journal.commands.signoffs import echo_intake
from journal.i18n import _, format_decimal, ngettext

client_codes_option = click.option(
    "--client-codes", is_flag=True,
    help="Also publish the pseudonymous client codes of practice sessions (left out by default).",
)


def _describe(result) -> str:
    """What left the practitioner's hands, one line per kind."""
    from journal.kinds import SESSION_KINDS, kind_label

    if result.period[0]:
        lines = [_("Published {path} ({first} to {last})").format(
            path=result.path, first=result.period[0], last=result.period[1])]
    else:
        lines = [_("Published {path}").format(path=result.path)]
    labels = {kind: _(kind_label(kind)) for kind in SESSION_KINDS}
    reflections, requirements, countersign = _("Reflections"), _("Requirements"), _("To countersign")
    width = max(17, *(len(label) + 1 for label in (*labels.values(), reflections, requirements, countersign)))
    # The figures' unit, as a column in English ("1 sessions"); French agrees it with the figure.
    counts = {kind: ngettext("{count} sessions", "{count} sessions", result.sessions.get(kind, 0)).format(
        count=f"{result.sessions.get(kind, 0):>6}") for kind in labels}
    column = max(len(text) for text in counts.values())
    for kind, label in labels.items():
        hours = format_decimal(result.hours.get(kind, 0), 2, trim=False)
        lines.append(f"  {label:<{width}}{counts[kind]:<{column}} {hours:>9} h")
    shared = ngettext("{count} shared", "{count} shared", result.reflections).format(
        count=f"{result.reflections:>6}")
    lines.append(f"  {reflections:<{width}}{shared}")
    if result.requirements is not None:
        lines.append(f"  {requirements:<{width}}{result.requirements:>6} "
                     + _("rule results (from the published hours)"))
    lines.append(f"  {countersign:<{width}}{result.signable:>6} " + _("ended months with shared sessions"))
    if result.client_codes:
        lines.append(_("Shared: hours of shared sessions (personal therapy: date, length, therapist and mode only; "
                       "client codes included) and shared reflections."))
    else:
        lines.append(_("Shared: hours of shared sessions (personal therapy: date, length, therapist and mode only; "
                       "client codes left out (--client-codes adds them)) and shared reflections."))
    lines.append(_("Never published: session notes, private reflections, therapy content, private or deleted "
                   "entries."))
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

    Supervisors sign in on a form; their sign-ins expire (idle or too old), end on sign-out, and
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
            click.secho(_("WARNING: the login {name!r} is not a valid name any more and cannot sign in; remove it with `journal supervisor remove {name}` and add a new one.").format(name=name), fg="red", err=True)
        if not logins.names():
            raise JournalError(
                _("no supervisor logins yet, so nobody could sign in"),
                _("add one with `journal supervisor add NAME`, or use --no-login for your own look"),
            )
    check_port_free(host, port)
    result = build(app.journal, None, client_codes=client_codes)
    echo_intake(result.intake)
    click.echo(_describe(result), err=True)
    for warning in warnings_for(host, not no_login):
        click.secho(warning, fg="red", bold=True, err=True)
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    who = _("no login asked") if no_login else _("logins: {names}").format(names=", ".join(logins.names()))
    click.echo(_("Serving the supervisor report on {url} ({who}). Press Ctrl-C to stop.").format(url=url, who=who), err=True)
    ds = make_datasette(result.path, logins=logins, secret=signing_secret(app.db_path),
                        hosts=allowed_hosts(host, allow_hosts), inbox=None if no_login else inbox_path(result.path))
    app.journal.close()  # the server reads the published file, and the journal's logins read-only
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, (url,)).start()
    with stopped_quietly():
        run(ds, host, port)
    click.echo(_("Stopped serving."), err=True)


class _Stop(Exception):
    """Raised by a stop signal so that the server's shutdown ends the command normally."""


@contextlib.contextmanager
def stopped_quietly():
    """Ctrl-C and SIGTERM (a closed terminal, `make demo` stopped) end the server with exit 0, quietly."""

    def stop(signum, frame):
        raise _Stop

    previous = {signum: signal.signal(signum, stop) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    except (_Stop, KeyboardInterrupt):
        pass
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


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
        raise InputError(_("no terminal to ask for the password"), _("pipe it in with --password-stdin"))
    from journal.supervisor.logins import MIN_PASSWORD_LENGTH, check_password

    def acceptable(typed: str) -> str:  # checked before the confirmation is asked; re-asked if too short
        try:
            return check_password(typed)
        except InputError:
            raise click.BadParameter(_("that is shorter than {count} characters; "
                                       "choose a longer one (a few words work well)").format(
                count=MIN_PASSWORD_LENGTH)) from None

    return click.prompt(_("Password"), hide_input=True, confirmation_prompt=True, value_proc=acceptable, err=True)


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
    if existed:
        done = _("Changed the password of supervisor login {name!r}; its signing key is {fingerprint}.")
    else:
        done = _("Added supervisor login {name!r}; its signing key is {fingerprint}.")
    click.echo(done.format(name=name, fingerprint=fingerprint), err=True)


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
    click.echo(_("Send this link to {name}; it works once, until {expires_at} (UTC), while `journal serve` runs.").format(name=name, expires_at=made.expires_at), err=True)


@supervisor.command(name="list")
@output_options
@pass_app
def supervisor_list(app: AppContext, fmt: str) -> None:
    """List supervisor logins: names, when they were added (in your time zone) and their signing key's
    fingerprint; never the passwords.

    \b
    Example:
      journal supervisor list --json

    Give each supervisor their fingerprint: it is how anyone checking a countersignature knows
    the key is theirs. Passwords and keys are never shown.
    """
    from journal.dates import from_utc_text
    from journal.signoffs.store import take_in
    from journal.supervisor.logins import list_supervisors

    take_in(app.journal)
    rows = [dict(row, added=f"{from_utc_text(row['created_at'], app.zone):%Y-%m-%d %H:%M}",
                 fingerprint=row["fingerprint"] or ("none: set a password again to make one" if fmt == "table"
                                                    else None)) for row in list_supervisors(app.journal)]
    emit(rows, fmt, ["name", "added", "fingerprint"],
         headers={"name": "Name", "added": "Added", "fingerprint": "Key fingerprint"},
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
    click.echo(_("Removed supervisor login {name!r}.").format(name=name), err=True)
