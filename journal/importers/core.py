"""The common core of every import: check, de-duplicate by source key, insert in one transaction.

Each format module turns a file into :class:`Incoming` records (a foundation ``SessionInput``
or ``ReflectionInput`` with a stable ``source_key``), ready-made :class:`~journal.importers.rows.Row`
values (our own exports) and :class:`Skip` notes. :func:`import_items` checks every row before
anything is written, drops the ones already in the journal (the UNIQUE ``entries.source_key``),
resolves people and tags through caches and inserts the rest several rows to a statement,
all in one transaction.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import click

from journal.db import Journal
from journal.entries import ReflectionInput, SessionInput, now_utc_text
from journal.errors import JournalError
from journal.importers.matching import MatchRules
from journal.importers.rows import (
    COLUMNS,
    CREATED,
    DATE,
    ID,
    KIND,
    ON,
    PERSON,
    SHARED,
    SOURCE_KEY,
    START,
    Row,
    check_row,
    describe_bad_value,
    insert_rows,
    person,
    preview,
    reflection_values,
    session_values,
    tag,
)

BATCH = 5_000
BULK_FROM = 10_000  # records: from this many (and more than the journal holds), load in bulk
PROGRESS_FROM = 5_000  # records: show a progress bar on a terminal from this many
PROGRESS_FROM_BYTES = 1_000_000  # a file this large says on a terminal what it is doing before each long step


@dataclass
class Incoming:
    """One record read from a file, ready to check and store."""

    data: SessionInput | ReflectionInput
    label: str  # names the line or event in messages, e.g. "line 12" or "event 'Supervision' on 2026-03-03"


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


def import_items(journal: Journal, items: Iterable[Incoming | Row | Skip], summary: Summary,
                 now: datetime | None = None, before_write: Callable[[list[str]], None] | None = None) -> Summary:
    """Check every record, then (unless ``summary.dry_run``) insert the new ones in one transaction.

    The write lock is taken before the journal is read, so that no other program can add the
    same records in between; a dry run reads without it. ``before_write`` hears the local dates
    of the shared sessions about to be added, before anything is written.
    """
    with contextlib.nullcontext() if summary.dry_run else journal.transaction():
        rows, present_ids = _collect(journal, items, summary, now or datetime.now(timezone.utc))
        if rows and before_write and not summary.dry_run:
            before_write([row.values[DATE] for row in rows if row.values[KIND] != "reflection" and row.values[SHARED]])
        if rows and not summary.dry_run:
            journal.execute("PRAGMA defer_foreign_keys = ON")  # a reflection may come before its session
            taken = {row[0] for row in journal.execute("SELECT id FROM entries")}
            kept = _assign_ids(journal, rows, taken)
            # A reflection on an entry outside the file keeps its `on` only when the numbering was kept.
            id_map = {**({i: i for i in taken} if kept else {}), **present_ids,
                      **{row.old_id: row.values[ID] for row in rows if row.old_id is not None}}
            _resolve(journal, rows, id_map)
            _insert(journal, rows)
    return summary


def _collect(journal: Journal, items: Iterable[Incoming | Row | Skip], summary: Summary,
             now: datetime) -> tuple[list[Row], dict[int, int]]:
    """Check every record and keep those not in the journal yet (nor earlier in the file).

    Returns the new rows and, for records of our own export already present, file id -> journal id.
    """
    existing = dict(journal.execute(
        "SELECT coalesce(source_key, 'native:' || kind || '|' || start_utc || '|' || created_at), id "
        "FROM entries"
    ).fetchall())
    # A session of the same kind at the same minute is the same session, whatever its source.
    existing.update(journal.execute(
        "SELECT 'at:' || kind || '|' || start_utc, id FROM entries WHERE kind != 'reflection'"
    ).fetchall())
    stamp = now_utc_text()
    rows: list[Row] = []
    present_ids: dict[int, int] = {}
    seen: set[str] = set()
    for item in items:
        if type(item) is Skip:
            summary.skipped[item.reason] += item.count
            continue
        row = item if type(item) is Row else _from_input(summary.file, item)
        reason = _check(summary.file, row, now, stamp)
        if reason:
            summary.skipped[reason] += 1
            continue
        values = row.values
        identity = values[SOURCE_KEY] or f"native:{values[KIND]}|{values[START]}|{values[CREATED]}"
        same_time = f"at:{values[KIND]}|{values[START]}" if values[KIND] != "reflection" else identity
        known = existing.get(identity) or existing.get(same_time)
        if known is not None:
            summary.already_present += 1
            if row.old_id is not None:
                present_ids[row.old_id] = known
            continue
        if identity in seen or same_time in seen:
            summary.skipped["repeated in the file"] += 1
            continue
        seen.add(identity)
        seen.add(same_time)
        rows.append(row)
        if summary.dry_run:
            summary.records.append(preview(row))
    summary.added = len(rows)
    return rows, present_ids


def _from_input(file: str, item: Incoming) -> Row:
    """The row of a format module's ``SessionInput`` or ``ReflectionInput``."""
    data = item.data
    try:
        if isinstance(data, SessionInput):
            values = session_values(data.at, data.kind, data.minutes, data.mode, data.format, data.group_size,
                                    data.client, data.setting, data.paid, data.title, data.note, data.shared,
                                    data.source, data.source_key)
            return Row(values, data.at, item.label, data.person or None, data.tags)
        values = reflection_values(data.at, data.title, data.body, data.template, data.shared, data.source,
                                   data.source_key)
        return Row(values, data.at, item.label, None, data.tags)
    except (OverflowError, ValueError, TypeError, AttributeError) as exc:
        raise malformed(file, item.label, f"unreadable value ({exc})") from None


def _check(file: str, row: Row, now: datetime, stamp: str) -> str | None:
    try:
        return check_row(row, now, stamp)
    except JournalError as exc:
        raise malformed(file, row.label, exc.message) from None
    except (OverflowError, ValueError, TypeError, AttributeError) as exc:
        raise malformed(file, row.label, describe_bad_value(row, exc)) from None


def _assign_ids(journal: Journal, rows: list[Row], taken: set[int]) -> bool:
    """Keep the file's ids when all are free (an export into an empty journal), else number anew."""
    old_ids = [row.old_id for row in rows]
    if None not in old_ids and not taken.intersection(old_ids) and len(set(old_ids)) == len(old_ids):
        for row in rows:
            row.values[ID] = row.old_id
        return True
    next_id = (journal.execute("SELECT max(id) FROM entries").fetchone()[0] or 0) + 1
    for offset, row in enumerate(rows):
        row.values[ID] = next_id + offset
    return False


def _resolve(journal: Journal, rows: list[Row], id_map: dict[int, int]) -> None:
    """Fill in person ids (adding new people once each) and reflections' ``on`` ids."""
    people = _Ids(journal, "people", person)
    for row in rows:
        if row.person:
            row.values[PERSON] = people.of(row.person)
        if row.on_ref is not None:
            row.values[ON] = id_map.get(row.on_ref)


class _Ids:
    """Ids of the people or tags in a table by the name as typed, adding new ones once each."""

    def __init__(self, journal: Journal, table: str, parse: Callable[[str], tuple[str, str]]):
        self.journal = journal
        self.table = table
        self.parse = parse  # name -> (display name, key); raises for a name that cannot be stored
        self.by_key = {key: row_id for row_id, key in journal.execute(f"SELECT id, key FROM {table}")}
        self.by_name: dict[str, int] = {}

    def of(self, name: str) -> int:
        found = self.by_name.get(name)
        if found is None:
            display, key = self.parse(name)
            if key not in self.by_key:
                self.by_key[key] = self.journal.execute(
                    f"INSERT INTO {self.table}(name, key) VALUES (?, ?)", (display, key)
                ).lastrowid
            found = self.by_name[name] = self.by_key[key]
        return found


def _insert(journal: Journal, rows: list[Row]) -> None:
    links = _tag_links(journal, rows)
    show = len(rows) >= PROGRESS_FROM and sys.stderr.isatty()
    existing = journal.execute("SELECT count(*) FROM entries").fetchone()[0]
    bulk = contextlib.nullcontext() if len(rows) < BULK_FROM or existing > len(rows) else _bulk(journal, show)
    values = [row.values for row in rows]
    progress = click.progressbar(length=len(rows), label="Importing", file=sys.stderr) if show else _Quiet()
    with bulk, progress as bar:
        for start in range(0, len(values), BATCH):
            insert_rows(journal.conn, "entries", COLUMNS, values[start:start + BATCH])
            bar.update(len(values[start:start + BATCH]))
        insert_rows(journal.conn, "entry_tags", ("entry_id", "tag_id"), links)


def _tag_links(journal: Journal, rows: list[Row]) -> list[tuple[int, int]]:
    """(entry id, tag id) for every row's tags, adding new tags once each."""
    tags = _Ids(journal, "tags", tag)
    links: list[tuple[int, int]] = []
    for row in rows:
        if row.tags:
            entry_id = row.values[ID]
            links.extend((entry_id, tag_id) for tag_id in dict.fromkeys(map(tags.of, row.tags)))
    return links


@contextlib.contextmanager
def _bulk(journal: Journal, show: bool) -> Iterator[None]:
    """A large import into a smaller journal: set the indexes of entries and entry_tags and the
    triggers that keep search and per-day totals aside, load, then rebuild them in one pass each
    (much faster than row by row). It all happens inside the import's transaction, so the schema is
    never seen without them."""
    from journal.rollups import ROLLUPS

    triggers = ("entries_ai", *(rollup.insert_trigger for rollup in ROLLUPS))
    saved = journal.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND ((type = 'index' AND tbl_name IN "
        f"('entries', 'entry_tags')) OR (type = 'trigger' AND name IN ({', '.join('?' for _ in triggers)})))",
        triggers,
    ).fetchall()
    for kind, name, _ in saved:
        journal.execute(f'DROP {kind.upper()} "{name}"')
    cache = journal.execute("PRAGMA cache_size").fetchone()[0]
    journal.execute("PRAGMA cache_size = -262144")  # 256 MB: keep the new pages in memory until commit
    yield
    if show:
        click.echo("Rebuilding search, indexes and totals...", err=True)
    # The journal held fewer entries than the file: indexing them all again costs less than
    # picking out the new ones.
    journal.execute("INSERT INTO entries_fts(entries_fts) VALUES ('rebuild')")
    for _, _, sql in saved:  # indexes first: the totals below are then read from a covering index
        journal.execute(sql)
    for rollup in ROLLUPS:
        rollup.rebuild(journal)
    journal.execute(f"PRAGMA cache_size = {int(cache)}")


class _Quiet:
    """A progress bar that shows nothing (off a terminal or for small files)."""

    def __enter__(self) -> _Quiet:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def update(self, n: int) -> None:
        return None
