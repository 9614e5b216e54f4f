"""`journal log`: record a session of personal therapy, supervision, practice or CPD."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone

import click

from journal.commands.cards import complete_cards, load_app_deck
from journal.completion import complete_choices, complete_tags
from journal.context import AppContext, pass_app
from journal.entries import SESSION_KINDS, SessionInput, add_session, check_kind, needs_group_size
from journal.errors import InputError
from journal.options import session_field_options


def ask_group_size(kind: str, format_: str | None) -> int | None:
    """The size of a supervision group, asked on a terminal; refused without one (BACP credits by size)."""
    if not needs_group_size(kind, format_, None):
        return None
    if not sys.stdin.isatty():
        raise InputError(f"{format_} supervision needs its size, which its credit depends on",
                         "add --group-size N (the number of supervisees, for a peer group every member)")
    return click.prompt("How many supervisees were in the group (for a peer group, every member)?",
                        type=click.IntRange(2, 500), err=True)


def confirm_similar_on_terminal(new_person: bool):
    """A "did you mean" callback that asks on a terminal; ``None`` (refuse) when not one."""
    if new_person:
        return lambda typed, known: False
    if not sys.stdin.isatty():
        return None
    return lambda typed, known: click.confirm(
        f"{typed!r} is new, but you have {known!r}. Did you mean {known!r}?", default=True, err=True
    )


def echo_timing_notes(app: AppContext, record: dict) -> None:
    """On stderr: when a session has not ended yet (it counts from its end), and which of your
    other sessions it overlaps."""
    from journal.durations import format_minutes
    from journal.entries import get_entry
    from journal.repeats import overlapping

    end = datetime.fromisoformat(record["end"])
    if end > datetime.now(timezone.utc):
        click.echo(f"It has not ended yet: it counts from {end:%Y-%m-%d %H:%M}; until then "
                   "`journal list --planned` shows it.", err=True)
    for other_id in overlapping(app.journal, record["id"]):
        other = get_entry(app.journal, other_id)
        start = datetime.fromisoformat(other["start"])
        click.echo(f"Warning: it overlaps #{other_id}, {other['kind']} on {start:%Y-%m-%d at %H:%M} for "
                   f"{format_minutes(other['minutes'])}; check the times (`journal show {other_id}`).", err=True)


def refuse_future(at: datetime, allow_future: bool) -> None:
    if not allow_future and at > datetime.now(timezone.utc):
        raise InputError(
            f"{at:%Y-%m-%d %H:%M} is in the future",
            "check the date, or add --allow-future to plan ahead",
        )


@click.command()
@click.argument("kind", shell_complete=complete_choices(SESSION_KINDS))
@click.argument("duration")
@click.option("--at", "when", metavar="WHEN",
              help="When it started: 'yesterday 18:00', 'last tuesday 9am', '2026-03-03 15:00' "
                   "(default: it has just ended, so it started DURATION ago).")
@session_field_options()
@click.option("--title", metavar="T", help="A short title, e.g. the CPD course.")
@click.option("--tag", "tags", multiple=True, metavar="T", shell_complete=complete_tags,
              help="A tag (repeatable).")
@click.option("--private", is_flag=True, help="Keep even the hours of this session out of supervisor reports.")
@click.option("--card", "card_id", metavar="ID", shell_complete=complete_cards,
              help="Practice: the prompt card used with the client (private, never published).")
@click.option("--again", is_flag=True,
              help="Log it even though the same session (kind, start, length, person, client) is logged already.")
@click.option("--json", "as_json", is_flag=True, help="Print the stored record as JSON.")
@pass_app
def log(app: AppContext, kind, duration, when, person, new_person, mode, format_, group_size,
        client, setting, paid, title, tags, note, private, card_id, allow_future, again, as_json) -> None:
    """Log a session: KIND is therapy, supervision, practice or cpd; DURATION like 50m, 1h30m, 1.5h, 90.

    \b
    Examples:
      journal log therapy 50m --at "yesterday 18:00" --with "Dr Martin"
      journal log supervision 1h30m --with Alice --format group --group-size 4
      journal log practice 50m --client C014 --setting "Riverside clinic" --mode video --paid
      journal log cpd 3h --title "Trauma-informed practice"
      journal log practice 50m --client C014 --card empty-chair

    Without --at, the session is one that has just ended. The date and duration understood are
    echoed on stderr. A session counts (reports, rules, supervisors) once it has ended; hours are
    shared with your supervisors, notes never are. Logging the same session twice is refused
    (--again logs it anyway), and a session that overlaps another is pointed out.
    """
    from journal.dates import describe, just_ended, parse_when
    from journal.durations import format_minutes, parse_duration

    kind = check_kind(kind)
    minutes = parse_duration(duration)
    group_size = group_size or ask_group_size(kind, format_)
    at = just_ended(minutes, app.zone) if when is None else parse_when(when, app.zone, dayfirst=app.dayfirst).at
    refuse_future(at, allow_future)
    card = load_app_deck(app).get(card_id).id if card_id else None
    record = add_session(
        app.journal,
        SessionInput(
            kind=kind, minutes=minutes, at=at, person=person, mode=mode, format=format_,
            group_size=group_size, client=client, setting=setting, paid=paid, title=title,
            note=note, tags=list(tags), shared=not private, card=card,
        ),
        confirm=confirm_similar_on_terminal(new_person),
        again=again,
    )
    who = f" with {record['with']}" if record["with"] else ""
    ended = ", ending now (without --at, a session is one that has just ended)" if when is None else ""
    click.echo(
        f"Logged {kind} #{record['id']}: {format_minutes(minutes)}{who}, {describe(at)}{ended}.", err=True
    )
    echo_timing_notes(app, record)
    if as_json:
        click.echo(json.dumps(record, ensure_ascii=False))
