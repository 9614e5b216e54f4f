"""One session from what another tool's record says: the kind and captures of a ``--match`` rule,
tags that are client codes or a group, and a person who is not the practitioner.

Shared by the calendar, Watson, Timewarrior and spreadsheet readers, so that each rule (a client
code only on client work, never a client's name) is written once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from journal.entries import CLIENT_CODE, SessionInput
from journal.errors import InputError
from journal.importers.core import Notice, ParseContext
from journal.importers.matching import Matched, client_in, read_tags
from journal.names import name_key
from journal.i18n import N_, _

ENDED_BEFORE_START = N_("with an end before the start, swapped as calendar apps do")


def tracked_session(ctx: ParseContext, matched: Matched, *, at: datetime, minutes: int, source: str,
                    source_key: str | None, title: str | None = None, note: str | None = None,
                    tags: list[str] = (), names: tuple[str | None, ...] = (), person: str | None = None,
                    client: str | None = None) -> SessionInput:
    """A session of ``matched.kind``. A client code comes from the rule's ``{client}``, the
    ``client`` given, a tag or one of ``names`` (project, client column) that matches
    ``--client-pattern``; only client work keeps one. ``person`` is dropped when it is the
    practitioner; client work never keeps a person (the importer counts what it leaves out)."""
    fields = read_tags(list(tags), ctx.client_pattern)
    practice = matched.kind == "practice"
    code = matched.client or client or fields.client or client_in(ctx.client_pattern, *names)
    if code and practice and not (CLIENT_CODE.match(code) and any(c.isdigit() for c in code)):
        raise InputError(_("the client part is not a client code such as C014 (client names are never stored)"),
                         _("give the client's code in the title or a tag, e.g. C014"))
    if fields.client and not practice:
        fields.tags.append(fields.client)  # a code on supervision or therapy stays what it was: a tag
    if practice and code and title and title.strip().upper() == code.upper():
        title = None  # a project named by the client's code: it is the client, not a title
    who = matched.person or person
    if who and ctx.practitioner and name_key(who) == name_key(ctx.practitioner):
        who = None
    return SessionInput(
        kind=matched.kind, minutes=minutes, at=at, person=who, format=fields.format,
        group_size=fields.group_size, client=code.upper() if code and practice else None, title=title,
        note=note, tags=fields.tags, source=source, source_key=source_key,
    )


def span_minutes(start: datetime, end: datetime) -> tuple[datetime, int, Notice | None]:
    """Start and whole minutes (seconds rounded, not dropped) of an interval; an end before its start
    is swapped and noticed, as calendar apps read it."""
    if end < start:
        return end, whole_minutes(start - end), Notice(ENDED_BEFORE_START)
    return start, whole_minutes(end - start), None


def whole_minutes(length: timedelta) -> int:
    """Minutes to the nearest, half up: 49 min 30 s is 50 minutes, 29 s is none."""
    return int(length.total_seconds() / 60 + 0.5)
