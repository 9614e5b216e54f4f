"""Option bundles shared by the commands that read: ``--kind``, ``--since``, ``--until``,
``--with`` and ``--tag``, turned into one :class:`~journal.entries.Filters`."""

from __future__ import annotations

import functools
from collections.abc import Callable

import click

from journal.completion import complete_choices, complete_ids, complete_people, complete_tags
from journal.entries import ENTRY_KINDS, FORMATS, MODES, Filters, check_kind

WHEN_HELP = "e.g. 2026-01-01, 'last monday', '3 weeks ago'"
# An entry id: a positive SQLite integer, so that a huge number is a usage error, not a crash.
ENTRY_ID = click.IntRange(1, 2**63 - 1)
entry_id_argument = click.argument("entry_id", type=ENTRY_ID, metavar="ID", shell_complete=complete_ids)


def filter_options(kinds: tuple[str, ...] = ENTRY_KINDS, person_and_tag: bool = True,
                   planned: bool | None = False) -> Callable:
    """Add the shared filters to a command, which receives them as ``filters``: by default over
    what counts (planned sessions left out); ``planned=None`` takes them in too (see Filters)."""

    def decorator(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args, kind=(), since=None, until=None, with_=None, tag=None, **kwargs):
            from journal.context import AppContext

            app = click.get_current_context().find_object(AppContext)
            kwargs["filters"] = build_filters(app, kind, since, until, with_, tag, kinds, planned)
            return func(*args, **kwargs)

        options = [
            click.option("--kind", "-k", multiple=True, metavar="KIND",
                         shell_complete=complete_choices(kinds),
                         help="Only this kind (repeatable): " + ", ".join(kinds) + "."),
            click.option("--since", metavar="WHEN", help=f"From this date, inclusive ({WHEN_HELP})."),
            click.option("--until", metavar="WHEN", help="Up to this date, inclusive."),
        ]
        if person_and_tag:
            options += [
                click.option("--with", "with_", metavar="NAME", shell_complete=complete_people,
                             help="Only sessions with this person."),
                click.option("--tag", "-t", metavar="TAG", shell_complete=complete_tags,
                             help="Only entries with this tag."),
            ]
        for option in reversed(options):
            wrapper = option(wrapper)
        return wrapper

    return decorator


def session_field_options(editing: bool = False) -> Callable:
    """The session fields that `log` sets and `edit` changes; when editing, "" clears a text field."""
    clears = ' ("" removes it)' if editing else ""

    def sessions(text: str) -> str:
        return f"Sessions: {text}" if editing else text[:1].upper() + text[1:]

    options = [
        click.option("--with", "person", metavar="NAME", shell_complete=complete_people,
                     help=sessions(f"your therapist, supervisor or trainer; never a client (use --client){clears}.")),
        click.option("--new-person", is_flag=True, help="--with names someone new, even if close to a known name."),
        click.option("--mode", type=click.Choice(MODES), help=sessions("how you met.")),
        click.option("--format", "format_", type=click.Choice(FORMATS),
                     help="individual (default for therapy, supervision, practice), group, peer, couple, family."),
        click.option("--group-size", type=int, metavar="N",
                     help="Group sessions: for supervision, the number of supervisees in the group."),
        click.option("--client", metavar="CODE", help=f"Practice: a pseudonymous client code such as C014{clears}."),
        click.option("--setting", metavar="NAME", help=f"Practice: the placement or clinic{clears}."),
        click.option("--paid/--pro-bono", default=None, help="Practice: paid or pro bono work (coaching logs)."),
        click.option("--note", metavar="TEXT", help=sessions(f"a private note, never published{clears}.")),
        click.option("--allow-future", is_flag=True, help=sessions("accept a start in the future (planned: it counts once it has ended).")),
    ]

    def decorator(func: Callable) -> Callable:
        for option in reversed(options):
            func = option(func)
        return func

    return decorator


def build_filters(app, kind, since, until, person, tag, kinds=ENTRY_KINDS, planned: bool | None = False) -> Filters:
    """Parse the raw option values in the journal's zone; a date alone covers its whole day."""
    from journal.dates import day_bounds, parse_when

    since_at = until_at = None
    if since:
        since_at = day_bounds(parse_when(since, app.zone, dayfirst=app.dayfirst), end=False)
    if until:
        until_at = day_bounds(parse_when(until, app.zone, dayfirst=app.dayfirst), end=True)
    return Filters(
        kinds=tuple(dict.fromkeys(check_kind(k, kinds) for k in kind)),
        since=since_at,
        until=until_at,
        person=person,
        tag=tag,
        planned=planned,
    )
