"""`journal import jrnl`: jrnl's JSON export (`jrnl --export json`); entries become reflections."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime

from journal.dates import localize
from journal.entries import ReflectionInput
from journal.importers.core import Incoming, ParseContext, Skip, guess_format, load_json, malformed, wrong_shape

STARRED_TAG = "starred"


def parse(data: bytes, ctx: ParseContext, file: str) -> Iterator[Incoming | Skip]:
    document = load_json(data, file, "jrnl")
    if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
        raise wrong_shape(file, "jrnl", document, "expected jrnl's export with an \"entries\" list (jrnl --export json)")
    if guess_format(document) not in ("jrnl", None):
        raise wrong_shape(file, "jrnl", document, "records of another format")
    for number, entry in enumerate(document["entries"], start=1):
        yield _entry(entry, f"entry {number}", file, ctx)


def _entry(entry: dict, label: str, file: str, ctx: ParseContext) -> Incoming:
    try:
        day, clock = entry["date"], entry.get("time") or "09:00"
        at = localize(datetime.fromisoformat(f"{day}T{clock}"), ctx.zone)
        title = (entry.get("title") or "").strip()
        body = (entry.get("body") or "").strip()
        tags = [str(tag).lstrip("@#+") for tag in entry.get("tags") or []]
    except KeyError as exc:
        raise malformed(file, label, f"missing {exc.args[0]!r}") from None
    except (ValueError, TypeError, AttributeError, OverflowError) as exc:
        raise malformed(file, f"{label} ({entry.get('date', '?') if isinstance(entry, dict) else '?'})",
                        f"unreadable value ({exc})") from None
    if entry.get("starred"):
        tags.append(STARRED_TAG)
    key = entry.get("uuid") or f"{day}T{clock}:" + hashlib.sha1(title.encode()).hexdigest()[:12]
    return Incoming(
        ReflectionInput(
            body=body or title, at=at, title=title if body else None, tags=tags,
            shared=False, source="jrnl", source_key=f"jrnl:{key}",
        ),
        f"{label} ({day} {clock})",
    )
