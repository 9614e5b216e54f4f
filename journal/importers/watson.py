"""`journal import watson`: Watson's frames file, ``[[start, stop, project, id, tags, updated_at], ...]``.

Frames become sessions; ``--match`` rules map the project (or else a tag) to a kind.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

from journal.entries import SessionInput
from journal.importers.core import Incoming, ParseContext, Skip, load_json, malformed
from journal.importers.matching import NO_RULE


def parse(data: bytes, ctx: ParseContext, file: str) -> Iterator[Incoming | Skip]:
    frames = load_json(data, file)
    if not isinstance(frames, list):
        raise malformed(file, "line 1", "expected Watson's frames file (a JSON list of frames)")
    for number, frame in enumerate(frames, start=1):
        label = f"frame {number}"
        try:
            start, stop, project, frame_id, tags = frame[:5]
            project = str(project)
            begin = datetime.fromtimestamp(int(start), tz=timezone.utc)
            minutes = round((int(stop) - int(start)) / 60)
            tags = [str(tag) for tag in tags or []]
        except (ValueError, TypeError, KeyError, OverflowError, OSError) as exc:
            raise malformed(file, label, f"expected [start, stop, project, id, tags, updated_at] ({exc})") from None
        kind = ctx.rules.kind_for(project, *tags)
        if kind is None:
            yield Skip(NO_RULE)
            continue
        yield Incoming(
            SessionInput(kind=kind, minutes=minutes, at=begin.astimezone(ctx.zone), title=project,
                         tags=tags, source="watson", source_key=f"watson:{frame_id}"),
            f"{label} ({project}, {begin:%Y-%m-%d %H:%M}Z)",
        )
