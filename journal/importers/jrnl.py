"""`journal import jrnl`: jrnl's JSON export (`jrnl --export json`); entries become private reflections.

An entry is known by its ``uuid`` where jrnl gives one (DayOne journals), else by its whole record
(date, time, title and body), so that two entries of the same minute both arrive.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date, datetime, time

from journal.dates import localize
from journal.entries import ReflectionInput
from journal.importers.core import Incoming, ParseContext, Skip, guess_format, load_json, malformed, wrong_shape
from journal.i18n import _

STARRED_TAG = "starred"


def parse(data: bytes, ctx: ParseContext, file: str) -> Iterator[Incoming | Skip]:
    document = load_json(data, file, "jrnl")
    if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
        raise wrong_shape(file, "jrnl", document, _("expected jrnl's export with an \"entries\" list (jrnl --export json)"))
    if guess_format(document) not in ("jrnl", None):
        raise wrong_shape(file, "jrnl", document, _("records of another format"))
    for number, entry in enumerate(document["entries"], start=1):
        yield _entry(entry, _("entry {number}").format(number=number), file, ctx)


def _entry(entry: object, label: str, file: str, ctx: ParseContext) -> Incoming:
    """One jrnl entry as a private reflection; known by its uuid (DayOne) or else its whole record."""
    if not isinstance(entry, dict):
        raise malformed(file, label, _("expected an entry with date, time, title and body"))
    if "date" not in entry:
        raise malformed(file, label, _("missing 'date'"))
    day, clock = entry["date"], entry.get("time") or "09:00"
    try:
        moment = date.fromisoformat(day) if isinstance(day, str) else None
    except ValueError:
        moment = None
    if moment is None:
        raise malformed(file, label, _("'date' {day!r} is not a date such as 2026-03-02").format(day=day))
    try:
        at = localize(datetime.combine(moment, time.fromisoformat(clock)), ctx.zone)
    except (ValueError, TypeError):
        raise malformed(file, label, _("'time' {clock!r} is not a time of day such as 18:30").format(clock=clock)) from None
    texts = {name: entry.get(name) or "" for name in ("title", "body")}
    tags = entry.get("tags") or []
    if not all(isinstance(text, str) for text in texts.values()):
        raise malformed(file, label, _("'title' and 'body' should be text"))
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise malformed(file, label, _("'tags' should be a list of words, not {tags!r}").format(tags=tags))
    title, body = texts["title"].strip(), texts["body"].strip()
    tags = [tag.lstrip("@#+") for tag in tags]
    if entry.get("starred"):
        tags.append(STARRED_TAG)
    uuid = entry.get("uuid")
    return Incoming(
        ReflectionInput(
            body=body or title, at=at, title=title if body else None, tags=tags,
            shared=False, source="jrnl", source_key=f"jrnl:{uuid}" if uuid else None,
        ),
        f"{label} ({day} {clock})",
        legacy_key=None if uuid else f"jrnl:{day}T{clock}:" + hashlib.sha1(title.encode()).hexdigest()[:12],
    )
