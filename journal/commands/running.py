"""A running session: `journal start`, `journal stop`, `journal status` and `journal cancel`."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone

import click

from journal.commands.logging import (
    confirm_similar_on_terminal,
    echo_timing_notes,
    refuse_future,
    session_from_options,
)
from journal.completion import complete_choices
from journal.context import AppContext, pass_app
from journal.entries import SESSION_KINDS, kind_word
from journal.i18n import _
from journal.options import log_options

json_option = click.option("--json", "as_json", is_flag=True, help="Print the record as JSON.")


@click.command()
@click.argument("kind", shell_complete=complete_choices(SESSION_KINDS))
@click.option("--at", "when", metavar="WHEN", default="now", show_default=True,
              help="When it started, if not now: '10 minutes ago', '14:00'.")
@log_options
@json_option
@pass_app
def start(app: AppContext, kind, new_person, as_json, **options) -> None:
    """Start a session now (or --at WHEN); `journal stop` logs it. Takes the options of `journal log`.

    \b
    Examples:
      journal start therapy --with "Dr Martin"
      journal start practice --client C014 --setting "Riverside clinic" --at "10 minutes ago"
      journal status
      journal stop

    It is kept in your journal, so it survives a closed terminal or a reboot. Only one session
    runs at a time; `journal cancel` drops it without logging.
    """
    from journal.dates import describe
    from journal.running import start_session

    data = session_from_options(app, kind, 1, **options)
    running = start_session(app.journal, data, confirm=confirm_similar_on_terminal(new_person))
    if running.details.get("person"):
        started = _("Started {kind} with {person}, {when}. `journal stop` logs it.")
    else:
        started = _("Started {kind}, {when}. `journal stop` logs it.")
    click.echo(started.format(kind=kind_word(data.kind), person=running.details.get("person"),
                              when=describe(data.at)), err=True)
    if as_json:
        click.echo(json.dumps(running.to_record(datetime.now(timezone.utc)), ensure_ascii=False))


def ask_for_end(app: AppContext, running, now: datetime) -> datetime | None:
    """On a terminal, the real end of a session left running over 24 hours; ``None`` elsewhere."""
    from journal.dates import parse_when
    from journal.durations import MAX_MINUTES

    if running.minutes_until(now) <= MAX_MINUTES or not sys.stdin.isatty():
        return None
    click.echo(_("The {running} has been running for over 24 hours.").format(running=running.describe(now)),
               err=True)
    answer = click.prompt(_("When did it end? (e.g. 'yesterday 15:50'; Ctrl-C to leave it running)"), err=True)
    return parse_when(answer, app.zone, dayfirst=app.dayfirst).at


@click.command()
@click.option("--at", "when", metavar="WHEN", help="When it ended, if not now: '10 minutes ago', '15:50'.")
@json_option
@pass_app
def stop(app: AppContext, when: str | None, as_json: bool) -> None:
    """Log the running session, from its start to now (or --at WHEN).

    \b
    Examples:
      journal stop
      journal stop --at "10 minutes ago"

    A session left running over 24 hours is not logged as it is: on a terminal you are
    asked when it really ended; elsewhere give it with --at.
    """
    from journal.dates import describe, parse_when
    from journal.durations import format_minutes
    from journal.running import nothing_running_error, running_session, stop_session

    now = datetime.now(timezone.utc)
    running = running_session(app.journal)
    if running is None:
        raise nothing_running_error()
    if when is not None:
        end = parse_when(when, app.zone, dayfirst=app.dayfirst).at
    else:
        end = ask_for_end(app, running, now) or now.astimezone(app.zone)
    refuse_future(end, allow_future=False)
    record = stop_session(app.journal, end)
    if record["with"]:
        logged = _("Logged {kind} #{id}: {duration} with {person}, {when}.")
    else:
        logged = _("Logged {kind} #{id}: {duration}, {when}.")
    click.echo(logged.format(kind=kind_word(record["kind"]), id=record["id"],
                             duration=format_minutes(record["minutes"]), person=record["with"],
                             when=describe(running.start)), err=True)
    echo_timing_notes(app, record)
    if as_json:
        click.echo(json.dumps(record, ensure_ascii=False))


@click.command()
@json_option
@pass_app
def status(app: AppContext, as_json: bool) -> None:
    """Show the session that is running, if any (exit 0 either way).

    \b
    Examples:
      journal status
      journal status --json        (null when nothing runs)
    """
    from journal.running import running_session

    now = datetime.now(timezone.utc)
    running = running_session(app.journal)
    if as_json:
        click.echo(json.dumps(running.to_record(now) if running else None, ensure_ascii=False))
    elif running is None:
        click.echo(_("No session is running; start one with `journal start KIND`."), err=True)
    else:
        click.echo(_("Running: {running}.").format(running=running.describe(now)))


@click.command()
@pass_app
def cancel(app: AppContext) -> None:
    """Drop the running session without logging it.

    \b
    Example:
      journal cancel
    """
    from journal.running import cancel_session

    running = cancel_session(app.journal)
    click.echo(_("Cancelled the {running}; nothing was logged.").format(
        running=running.describe(datetime.now(timezone.utc))), err=True)
