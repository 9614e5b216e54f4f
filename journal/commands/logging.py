"""`journal log`: record a session of personal therapy, supervision, practice or CPD."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone

import click

from journal.commands.cards import load_app_deck
from journal.completion import complete_choices
from journal.context import AppContext, pass_app
from journal.entries import SESSION_KINDS, SessionInput, add_session, check_kind, kind_word, needs_group_size
from journal.errors import InputError
from journal.i18n import _
from journal.names import tags_in_text
from journal.options import log_options


def ask_group_size(kind: str, format_: str | None) -> int | None:
    """The size of a supervision group, asked on a terminal; refused without one (BACP credits by size)."""
    if not needs_group_size(kind, format_, None):
        return None
    if not sys.stdin.isatty():
        raise InputError(_("{format} supervision needs its size, which its credit depends on").format(
            format=format_), _("add --group-size N (the number of supervisees, for a peer group every member)"))
    return click.prompt(_("How many supervisees were in the group (for a peer group, every member)?"),
                        type=click.IntRange(2, 500), err=True)


def confirm_similar_on_terminal(new_person: bool):
    """A "did you mean" callback that asks on a terminal; ``None`` (refuse) when not one."""
    if new_person:
        return lambda typed, known: False
    if not sys.stdin.isatty():
        return None
    return lambda typed, known: click.confirm(
        _("{typed!r} is new, but you have {known!r}. Did you mean {known!r}?").format(typed=typed, known=known),
        default=True, err=True
    )


def echo_timing_notes(app: AppContext, record: dict) -> None:
    """On stderr: when a session has not ended yet (it counts from its end), and which of your
    other sessions it overlaps."""
    from journal.durations import format_minutes
    from journal.entries import get_entry
    from journal.repeats import overlapping

    end = datetime.fromisoformat(record["end"])
    if end > datetime.now(timezone.utc):
        click.echo(_("It has not ended yet: it counts from {end:%Y-%m-%d %H:%M}; until then `journal list --planned` shows it.").format(end=end), err=True)
    for other_id in overlapping(app.journal, record["id"]):
        other = get_entry(app.journal, other_id)
        start = datetime.fromisoformat(other["start"])
        click.echo(_("Warning: it overlaps #{other_id}, {kind} on {date} at {time} for {duration}; check the times "
                     "(`journal show {other_id}`).").format(
            other_id=other_id, kind=kind_word(other["kind"]), date=f"{start:%Y-%m-%d}", time=f"{start:%H:%M}",
            duration=format_minutes(other["minutes"])), err=True)


def refuse_future(at: datetime, allow_future: bool) -> None:
    if not allow_future and at > datetime.now(timezone.utc):
        raise InputError(
            _("{at:%Y-%m-%d %H:%M} is in the future").format(at=at),
            _("check the date, or add --allow-future to plan ahead"),
        )


def session_from_options(app: AppContext, kind: str, minutes: int, *, when, person, mode, format_, group_size,
                         client, setting, paid, title, tags, note, private, card_id,
                         allow_future) -> SessionInput:
    """The session that --at and the options of :func:`~journal.options.log_options` describe (`log`,
    `start`): a group's size asked for, its start read (no --at: it has just ended) and refused when in
    the future, its card looked up, @tags of the note added."""
    from journal.dates import just_ended, parse_when

    kind = check_kind(kind)
    group_size = group_size or ask_group_size(kind, format_)
    at = just_ended(minutes, app.zone) if when is None else parse_when(when, app.zone, dayfirst=app.dayfirst).at
    refuse_future(at, allow_future)
    card = load_app_deck(app).get(card_id).id if card_id else None
    return SessionInput(
        kind=kind, minutes=minutes, at=at, person=person, mode=mode, format=format_,
        group_size=group_size, client=client, setting=setting, paid=paid, title=title,
        note=note, tags=[*tags, *tags_in_text(note)], shared=not private, card=card,
    )


@click.command()
@click.argument("kind", shell_complete=complete_choices(SESSION_KINDS))
@click.argument("duration")
@click.option("--at", "when", metavar="WHEN",
              help="When it started: 'yesterday 18:00', 'last tuesday 9am', '2026-03-03 15:00' "
                   "(default: it has just ended, so it started DURATION ago).")
@log_options
@click.option("--again", is_flag=True,
              help="Log it even though the same session (kind, start, length, person, client) is logged already.")
@click.option("--json", "as_json", is_flag=True, help="Print the stored record as JSON.")
@pass_app
def log(app: AppContext, kind, duration, when, new_person, again, as_json, **options) -> None:
    """Log a session: KIND is therapy, supervision, practice or cpd; DURATION like 50m, 1h30m, 1.5h, 90.

    \b
    Examples:
      journal log therapy 50m --at "yesterday 18:00" --with "Dr Martin"
      journal log supervision 1h30m --with Alice --format group --group-size 4
      journal log practice 50m --client C014 --setting "Riverside clinic" --mode video --paid
      journal log cpd 3h --title "Trauma-informed practice"
      journal log therapy 50m --note "talked about @endings"     (tagged endings)
      journal log practice 50m --client C014 --card empty-chair

    Without --at, the session is one that has just ended. The date and duration understood are
    echoed on stderr. A session counts (reports, rules, supervisors) once it has ended; hours are
    shared with your supervisors, notes never are. Logging the same session twice is refused
    (--again logs it anyway), and a session that overlaps another is pointed out.
    """
    from journal.dates import describe
    from journal.durations import format_minutes, parse_duration

    kind = check_kind(kind)
    minutes = parse_duration(duration)
    data = session_from_options(app, kind, minutes, when=when, **options)
    record = add_session(app.journal, data, confirm=confirm_similar_on_terminal(new_person), again=again)
    if record["with"]:
        logged = _("Logged {kind} #{id}: {duration} with {person}, {when}.")
    else:
        logged = _("Logged {kind} #{id}: {duration}, {when}.")
    if when is None:
        logged = logged[:-1] + _(", ending now (without --at, a session is one that has just ended).")
    click.echo(logged.format(kind=kind_word(kind), id=record["id"], duration=format_minutes(minutes),
                             person=record["with"], when=describe(data.at)), err=True)
    echo_timing_notes(app, record)
    if as_json:
        click.echo(json.dumps(record, ensure_ascii=False))
