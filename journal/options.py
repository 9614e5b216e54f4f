"""Options and arguments shared by several commands: the filters of the commands that read
(``--kind``, ``--since``, ``--until``, ``--with``, ``--tag``, ``--client``, turned into one
:class:`~journal.entries.Filters`), the session fields of `log`, `start` and `edit`, and entry ids."""

from __future__ import annotations

import functools
from collections.abc import Callable

import click

from journal.completion import complete_choices, complete_clients, complete_ids, complete_people, complete_tags
from journal.entries import ENTRY_KINDS, FORMATS, MODES, Filters, check_kind
from journal.errors import InputError
from journal.refs import parse_ref, parse_refs

WHEN_HELP = "e.g. 2026-01-01, 'last monday', '3 weeks ago'"


class EntryRef(click.ParamType):
    """One entry on the command line: a positive id or ``last`` (see :mod:`journal.refs`)."""

    name = "id"
    parse = staticmethod(parse_ref)

    def convert(self, value, param, ctx):
        if not isinstance(value, str):
            return value  # already converted (a default, or a second pass)
        try:
            return self.parse(value)
        except InputError as exc:
            self.fail(exc.one_line(), param, ctx)


class EntryRefs(EntryRef):
    """Several entries: ids, ranges such as ``14-16``, or ``last``; each argument gives a list."""

    name = "ids"
    parse = staticmethod(parse_refs)


# An entry id or `last`; a huge number is a usage error, not a crash (journal.refs.resolve gives the id).
ENTRY_ID = EntryRef()
entry_id_argument = click.argument("entry_id", type=ENTRY_ID, metavar="ID|last", shell_complete=complete_ids)
# Several entries: ids, ranges such as 14-16, or `last`.
entry_ids_argument = click.argument("entry_ids", type=EntryRefs(), nargs=-1, required=True,
                                    metavar="ID|FIRST-LAST|last...", shell_complete=complete_ids)


def filter_options(kinds: tuple[str, ...] = ENTRY_KINDS, person_and_tag: bool = True,
                   planned: bool | None = False) -> Callable:
    """Add the shared filters to a command, which receives them as ``filters``: by default over
    what counts (planned sessions left out); ``planned=None`` takes them in too (see Filters)."""

    def decorator(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args, kind=(), since=None, until=None, with_=None, tag=None, client=None, **kwargs):
            from journal.context import AppContext

            app = click.get_current_context().find_object(AppContext)
            kwargs["filters"] = build_filters(app, kind, since, until, with_, tag, kinds, planned, client)
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
                click.option("--client", metavar="CODE", shell_complete=complete_clients,
                             help="Only practice sessions with this client code."),
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


def _complete_cards(ctx, param, incomplete: str):
    from journal.commands.cards import complete_cards  # the deck is read only when completing

    return complete_cards(ctx, param, incomplete)


def log_options(func: Callable) -> Callable:
    """Everything `journal log` and `journal start` both take besides KIND and --at (whose default
    differs): the session fields, --title, --tag, --private and --card."""
    options = [
        session_field_options(),
        click.option("--title", metavar="T", help="A short title, e.g. the CPD course."),
        click.option("--tag", "tags", multiple=True, metavar="T", shell_complete=complete_tags,
                     help="A tag (repeatable); @words in --note are tags too."),
        click.option("--private", is_flag=True,
                     help="Keep even the hours of this session out of supervisor reports."),
        click.option("--card", "card_id", metavar="ID", shell_complete=_complete_cards,
                     help="Practice: the prompt card used with the client (private, never published)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def build_filters(app, kind, since, until, person, tag, kinds=ENTRY_KINDS, planned: bool | None = False,
                  client: str | None = None) -> Filters:
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
        client=client,
    )
