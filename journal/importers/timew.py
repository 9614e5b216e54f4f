"""`journal import timew`: Timewarrior's ``timew export`` JSON; ``--match`` maps tags to kinds.

A tag that matches ``--client-pattern`` is the session's client code, ``group`` sets the group
format and ``group:N`` the group size.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

from journal.errors import InputError
from journal.importers.core import Incoming, Notice, ParseContext, Skip, guess_format, load_json, malformed, wrong_shape
from journal.importers.matching import NO_RULE
from journal.importers.sessions import span_minutes, tracked_session
from journal.i18n import N_, _


def parse(data: bytes, ctx: ParseContext, file: str) -> Iterator[Incoming | Skip | Notice]:
    intervals = load_json(data, file, "timew")
    if not isinstance(intervals, list):
        raise wrong_shape(file, "timew", intervals, _("expected `timew export` output (a JSON list of intervals)"))
    if guess_format(intervals) not in ("timew", None):
        raise wrong_shape(file, "timew", intervals, _("records of another format"))
    for number, interval in enumerate(intervals, start=1):
        label = _("interval {number}").format(number=number)
        if not isinstance(interval, dict):
            raise malformed(file, label, _("expected an interval with start, end and tags"))
        try:
            start = interval["start"]
            began = _instant(start)
            if "end" not in interval:
                yield Skip(N_("still running"))
                continue
            begin, minutes, swapped = span_minutes(began, _instant(interval["end"]))
            tags = interval.get("tags") or []
            annotation = interval.get("annotation")
            if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
                raise ValueError("tags should be a list of words")
            if annotation is not None and not isinstance(annotation, str):
                raise ValueError("the annotation should be text")
        except KeyError as exc:
            raise malformed(file, label, _("missing {value!r}").format(value=exc.args[0])) from None
        except (ValueError, TypeError) as exc:
            raise malformed(file, label, _("unreadable value ({exc})").format(exc=exc)) from None
        if swapped:
            yield swapped
        matched = ctx.rules.match(*tags, annotation)
        if matched is None:
            yield Skip(NO_RULE)
            continue
        label = f"{label} ({start})"
        try:
            session = tracked_session(ctx, matched, at=begin.astimezone(ctx.zone), minutes=minutes, title=annotation,
                                      tags=tags, source="timew", source_key=f"timew:{start}")
        except InputError as exc:
            raise malformed(file, label, exc.message) from None
        yield Incoming(session, label)


def _instant(text: object) -> datetime:
    """Timewarrior's ``20260302T090000Z``."""
    if not isinstance(text, str):
        raise TypeError(_("{value!r} is not a time like 20260302T090000Z").format(value=text))
    try:
        return datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        raise ValueError(_("{value!r} is not a time like 20260302T090000Z").format(value=text)) from None
