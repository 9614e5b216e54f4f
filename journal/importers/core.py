"""The common core of every import: validate, de-duplicate by source key, insert in one transaction.

Each format module turns a file into :class:`Incoming` records (a foundation
``SessionInput`` or ``ReflectionInput`` with a stable ``source_key``) and :class:`Skip`
notes. :func:`import_items` then checks every record before anything is written, drops the
ones already in the journal (the UNIQUE ``entries.source_key``), resolves people and tags
through a cache and inserts the rest with ``executemany`` in batches, all in one transaction.
"""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import click

from journal.dates import to_utc_text
from journal.db import Journal
from journal.entries import (
    ReflectionInput,
    SessionInput,
    _default_format,
    check_client_code,
    now_utc_text,
    validate_session,
)
from journal.errors import JournalError
from journal.importers.matching import MatchRules
from journal.names import clean_display, name_key, tag_key

BATCH = 5_000
BULK_FROM = 10_000  # records: from this many (and more than the journal holds), load in bulk
PROGRESS_FROM = 5_000  # records: show a progress bar on a terminal from this many
COLUMNS = (
    "id", "kind", "start_utc", "tz", "date", "minutes", "person_id", "mode", "format", "group_size",
    "client_code", "setting", "paid", "title", "body", "note", "template", "on_id", "shared",
    "source", "source_key", "created_at", "updated_at",
)
_INSERT = f"INSERT INTO entries ({', '.join(COLUMNS)}) VALUES ({', '.join('?' for _ in COLUMNS)})"


@dataclass
class Incoming:
    """One record read from a file, ready to check and store."""

    data: SessionInput | ReflectionInput
    label: str  # names the line or event in messages, e.g. "line 12" or "event 'Supervision' on 2026-03-03"
    created_at: str | None = None  # our own export keeps these; other formats get the import time
    updated_at: str | None = None
    old_id: int | None = None  # our own export: the id in the file
    on_ref: int | None = None  # our own export: the id (in the file) a reflection is on


@dataclass
class Skip:
    """Something in the file that is deliberately not imported, and why."""

    reason: str
    count: int = 1


@dataclass
class ParseContext:
    """What a format module needs besides the file's bytes."""

    zone: ZoneInfo
    rules: MatchRules = field(default_factory=MatchRules)
    dayfirst: bool = True
    columns: dict[str, str] = field(default_factory=dict)
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))


@dataclass
class Summary:
    """What an import did (or, with --dry-run, would do)."""

    format: str
    file: str
    dry_run: bool = False
    added: int = 0
    records: list[dict] = field(default_factory=list)  # with dry_run: what would be added
    already_present: int = 0
    skipped: Counter = field(default_factory=Counter)

    def to_dict(self) -> dict:
        return {
            "format": self.format,
            "file": self.file,
            "dry_run": self.dry_run,
            "added": self.added,
            "already_present": self.already_present,
            "skipped": dict(sorted(self.skipped.items())),
        }

    def describe(self) -> str:
        """``12 added, 2 already present, 3 skipped (2 all-day, 1 cancelled)``."""
        verb = "would be added" if self.dry_run else "added"
        text = f"{self.file} ({self.format}): {self.added} {verb}, {self.already_present} already present"
        total = sum(self.skipped.values())
        text += f", {total} skipped"
        if total:
            text += " (" + ", ".join(f"{n} {why}" for why, n in sorted(self.skipped.items())) + ")"
        return text + "."


def malformed(file: str, where: str, problem: str) -> JournalError:
    """The one-line error for a file that cannot be read; nothing is written."""
    return JournalError(
        f"{file}: {where}: {problem}; nothing was imported",
        "fix that line or event in the file and run the import again",
    )


def load_json(data: bytes, file: str):
    """The parsed JSON document, or the one-line error naming the line where it breaks."""
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise malformed(file, f"line {exc.lineno}", f"not valid JSON ({exc.msg})") from None
    except UnicodeDecodeError:
        raise malformed(file, "line 1", "not UTF-8 text") from None


def import_items(journal: Journal, items: Iterable[Incoming | Skip], summary: Summary,
                 now: datetime | None = None) -> Summary:
    """Check every record, then (unless ``summary.dry_run``) insert the new ones in one transaction.

    The write lock is taken before the journal is read, so that no other program can add the
    same records in between; a dry run reads without it.
    """
    with contextlib.nullcontext() if summary.dry_run else journal.transaction():
        batch = _collect(journal, items, summary, now or datetime.now(timezone.utc))
        if batch.rows and not summary.dry_run:
            journal.execute("PRAGMA defer_foreign_keys = ON")  # a reflection may come before its session
            taken = {row[0] for row in journal.execute("SELECT id FROM entries")}
            kept = _assign_ids(journal, batch.rows, batch.old_ids, taken)
            # A reflection on an entry outside the file keeps its `on` only when the numbering was kept.
            id_map = {**({i: i for i in taken} if kept else {}), **batch.present_ids,
                      **{old: row[0] for old, row in zip(batch.old_ids, batch.rows) if old is not None}}
            _resolve(journal, batch.rows, batch.people, batch.on_refs, id_map)
            _insert(journal, batch.rows, batch.tags)
    return summary


@dataclass
class _Batch:
    """The new records of an import, column by column, before ids and people are resolved."""

    rows: list[list] = field(default_factory=list)
    people: list[str | None] = field(default_factory=list)
    tags: list[list[str]] = field(default_factory=list)
    old_ids: list[int | None] = field(default_factory=list)
    on_refs: list[int | None] = field(default_factory=list)
    present_ids: dict[int, int] = field(default_factory=dict)  # file id -> journal id, already there


def _collect(journal: Journal, items: Iterable[Incoming | Skip], summary: Summary, now: datetime) -> _Batch:
    """Check every record and keep those not in the journal yet (nor earlier in the file)."""
    existing = dict(journal.execute(
        "SELECT coalesce(source_key, 'native:' || kind || '|' || start_utc || '|' || created_at), id "
        "FROM entries"
    ).fetchall())
    # A session of the same kind at the same minute is the same session, whatever its source.
    existing.update(journal.execute(
        "SELECT 'at:' || kind || '|' || start_utc, id FROM entries WHERE kind != 'reflection'"
    ).fetchall())
    stamp = now_utc_text()
    batch = _Batch()
    seen: set[str] = set()
    for item in items:
        if isinstance(item, Skip):
            summary.skipped[item.reason] += item.count
            continue
        row, reason = _prepare(summary.file, item, stamp, now)
        if reason:
            summary.skipped[reason] += 1
            continue
        identity = row[20] or f"native:{row[1]}|{row[2]}|{row[21]}"
        same_time = f"at:{row[1]}|{row[2]}" if row[1] != "reflection" else identity
        known = existing.get(identity) or existing.get(same_time)
        if known is not None:
            summary.already_present += 1
            if item.old_id is not None:
                batch.present_ids[item.old_id] = known
            continue
        if identity in seen or same_time in seen:
            summary.skipped["repeated in the file"] += 1
            continue
        seen.update((identity, same_time))
        batch.rows.append(row)
        batch.people.append(item.data.person if isinstance(item.data, SessionInput) else None)
        batch.tags.append(item.data.tags)
        batch.old_ids.append(item.old_id)
        batch.on_refs.append(item.on_ref)
        summary.added += 1
        if summary.dry_run:
            summary.records.append(_preview(item))
    return batch


def _prepare(file: str, item: Incoming, stamp: str, now: datetime) -> tuple[list, str | None]:
    """The entries row for ``item`` (id and person resolved later), or a reason to skip it."""
    data = item.data
    at = data.at
    created = item.created_at or stamp
    try:
        common = [to_utc_text(at), at.tzinfo.key if isinstance(at.tzinfo, ZoneInfo) else str(at.tzinfo),
                  at.date().isoformat()]
        if isinstance(data, SessionInput):
            if data.minutes < 1:
                return [], "shorter than a minute"
            if data.minutes > 1440:
                return [], "longer than 24 hours"
            if at > now:
                return [], "in the future"
            validate_session(data)
            client = check_client_code(data.client) if data.client else None
            if data.person:
                _display(data.person, "name")
            _check_tags(data.tags)
            return [None, data.kind, *common, data.minutes, None, data.mode,
                    data.format or _default_format(data.kind), data.group_size, client,
                    " ".join(data.setting.split()) if data.setting else None,
                    None if data.paid is None else int(data.paid), data.title, None, data.note, None,
                    None, int(data.shared), data.source, data.source_key, created,
                    item.updated_at or created], None
        if not (data.body or "").strip():
            return [], "empty reflection"
        _check_tags(data.tags)
        return [None, "reflection", *common, None, None, None, None, None, None, None, None,
                data.title, data.body, None, data.template, None, int(data.shared), data.source,
                data.source_key, created, item.updated_at or created], None
    except JournalError as exc:
        raise malformed(file, item.label, exc.message) from None
    except (OverflowError, ValueError) as exc:
        raise malformed(file, item.label, f"unreadable value ({exc})") from None


@functools.lru_cache(maxsize=4096)
def _display(text: str, what: str) -> str:
    return clean_display(text, what)


@functools.lru_cache(maxsize=4096)
def _key(text: str, what: str) -> str:
    return name_key(text) if what == "name" else tag_key(text)


def _check_tags(names: list[str]) -> None:
    for name in names:
        _display(name.lstrip("#"), "tag")


def _preview(item: Incoming) -> dict:
    data = item.data
    session = isinstance(data, SessionInput)
    return {
        "date": data.at.date().isoformat(),
        "time": data.at.strftime("%H:%M"),
        "kind": data.kind if session else "reflection",
        "minutes": data.minutes if session else None,
        "with": data.person if session else None,
        "title": data.title or ("" if session else (data.body or "").strip().split("\n")[0][:60]),
        "source_key": data.source_key,
    }


def _assign_ids(journal: Journal, rows: list[list], old_ids: list[int | None], taken: set[int]) -> bool:
    """Keep the file's ids when all are free (an export into an empty journal), else number anew."""
    if all(old is not None for old in old_ids) and not taken.intersection(old_ids) \
            and len(set(old_ids)) == len(old_ids):
        for row, old in zip(rows, old_ids):
            row[0] = old
        return True
    next_id = (journal.execute("SELECT max(id) FROM entries").fetchone()[0] or 0) + 1
    for offset, row in enumerate(rows):
        row[0] = next_id + offset
    return False


def _resolve(journal: Journal, rows: list[list], people: list[str | None], on_refs: list[int | None],
             id_map: dict[int, int]) -> None:
    """Fill in person ids (adding new people once each) and reflections' ``on`` ids."""
    cache = {key: pid for pid, key in journal.execute("SELECT id, key FROM people")}
    for row, person, on in zip(rows, people, on_refs):
        if person:
            key = _key(person, "name")
            if key not in cache:
                cache[key] = journal.execute(
                    "INSERT INTO people(name, key) VALUES (?, ?)", (_display(person, "name"), key)
                ).lastrowid
            row[6] = cache[key]
        if on is not None:
            row[17] = id_map.get(on)


def _insert(journal: Journal, rows: list[list], tags: list[list[str]]) -> None:
    tag_ids = {key: tid for tid, key in journal.execute("SELECT id, key FROM tags")}
    links: list[tuple[int, int]] = []
    for row, names in zip(rows, tags):
        linked: set[int] = set()
        for name in names:
            display = _display(name.lstrip("#"), "tag")
            key = _key(display, "tag")
            if key not in tag_ids:
                tag_ids[key] = journal.execute(
                    "INSERT INTO tags(name, key) VALUES (?, ?)", (display, key)
                ).lastrowid
            if tag_ids[key] not in linked:
                linked.add(tag_ids[key])
                links.append((row[0], tag_ids[key]))
    show = len(rows) >= PROGRESS_FROM and sys.stderr.isatty()
    existing = journal.execute("SELECT count(*) FROM entries").fetchone()[0]
    bulk = contextlib.nullcontext() if len(rows) < BULK_FROM or existing > len(rows) else _bulk(journal, rows)
    with bulk, click.progressbar(length=len(rows), label="Importing", file=sys.stderr) if show else _Quiet() as bar:
        for start in range(0, len(rows), BATCH):
            journal.conn.executemany(_INSERT, rows[start:start + BATCH])
            bar.update(len(rows[start:start + BATCH]))
    journal.conn.executemany("INSERT INTO entry_tags(entry_id, tag_id) VALUES (?, ?)", links)


@contextlib.contextmanager
def _bulk(journal: Journal, rows: list[list]) -> Iterator[None]:
    """A large import into a smaller journal: set the entries indexes and the search-index trigger
    aside, load, then rebuild them in one pass each (much faster than row by row). It all happens
    inside the import's transaction, so the schema is never seen without them."""
    saved = journal.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'entries' AND sql IS NOT NULL "
        "AND (type = 'index' OR (type = 'trigger' AND sql LIKE '%AFTER INSERT%' AND sql LIKE '%entries_fts%'))"
    ).fetchall()
    for kind, name, _ in saved:
        journal.execute(f'DROP {kind.upper()} "{name}"')
    cache = journal.execute("PRAGMA cache_size").fetchone()[0]
    journal.execute("PRAGMA cache_size = -262144")  # 256 MB: keep the new pages in memory until commit
    yield
    journal.execute(
        "INSERT INTO entries_fts(rowid, title, body, note) SELECT id, title, body, note FROM entries "
        "WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps([row[0] for row in rows]),),
    )
    for _, _, sql in saved:
        journal.execute(sql)
    journal.execute(f"PRAGMA cache_size = {int(cache)}")


class _Quiet:
    """A progress bar that shows nothing (off a terminal or for small files)."""

    def __enter__(self) -> _Quiet:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def update(self, n: int) -> None:
        return None
