"""`journal import watson`: Watson's frames file, ``[[start, stop, project, id, tags, updated_at], ...]``.

Frames become sessions; ``--match`` rules map the project (or else a tag) to a kind. Older Watson
wrote four fields (no tags, no updated_at); a frame with a null id is known by its whole record.
A project or tag that matches ``--client-pattern`` is the session's client code, ``group`` sets
the group format and ``group:N`` the group size.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

from journal.errors import InputError
from journal.importers.core import Incoming, Notice, ParseContext, Skip, guess_format, load_json, malformed, wrong_shape
from journal.importers.matching import NO_RULE
from journal.importers.sessions import span_minutes, tracked_session
from journal.i18n import N_, _

SHAPE = N_("expected [start, stop, project, id, tags, updated_at] with start and stop as Unix times")


def parse(data: bytes, ctx: ParseContext, file: str) -> Iterator[Incoming | Skip | Notice]:
    frames = load_json(data, file, "watson")
    if not isinstance(frames, list):
        raise wrong_shape(file, "watson", frames, _("expected Watson's frames file (a JSON list of frames)"))
    if guess_format(frames) not in ("watson", None):
        raise wrong_shape(file, "watson", frames, _("records of another format"))
    for number, frame in enumerate(frames, start=1):
        label = _("frame {number}").format(number=number)
        if not isinstance(frame, list) or len(frame) < 4:
            raise malformed(file, label, _(SHAPE))
        start, stop, project, frame_id = frame[:4]
        tags = frame[4] if len(frame) > 4 else []
        if not isinstance(project, str) or not isinstance(tags, (list, type(None))) or \
                not all(isinstance(tag, str) for tag in tags or []):
            raise malformed(file, label, _(SHAPE))
        try:
            begin, minutes, swapped = span_minutes(_moment(start), _moment(stop))
        except (ValueError, TypeError, OverflowError, OSError):
            raise malformed(file, label, _(SHAPE)) from None
        if swapped:
            yield swapped
        matched = ctx.rules.match(project, *(tags or []))
        if matched is None:
            yield Skip(NO_RULE)
            continue
        label = f"{label} ({project}, {begin:%Y-%m-%d %H:%M}Z)"
        try:
            session = tracked_session(ctx, matched, at=begin.astimezone(ctx.zone), minutes=minutes, title=project,
                                      tags=tags or [], names=(project,), source="watson",
                                      source_key=f"watson:{frame_id}" if frame_id not in (None, "") else None)
        except InputError as exc:
            raise malformed(file, label, exc.message) from None
        # Earlier versions keyed a frame with a null id "watson:None": that key stands for one frame.
        yield Incoming(session, label, legacy_key="watson:None" if frame_id is None else None)


def _moment(value: object) -> datetime:
    """A Unix time (Watson writes whole seconds; a float or a numeric string is read too)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise TypeError("not a Unix time")
    return datetime.fromtimestamp(float(value), tz=timezone.utc)
