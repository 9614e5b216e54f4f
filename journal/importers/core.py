"""The common core of every import: check, de-duplicate by identity, insert in one transaction.

Each format module turns a file into :class:`Incoming` records (a foundation ``SessionInput``
or ``ReflectionInput`` with a stable ``source_key``), ready-made :class:`~journal.importers.rows.Row`
values (our own exports), :class:`Skip` notes and :class:`Notice` remarks. :func:`import_items`
checks every row before anything is written, drops the ones already in the journal, resolves
people, tags and reflections' links and inserts the rest several rows to a statement, all in one
transaction.

A record's identity is its own id where the source has one (``watson:ID``, ``ics:UID:START``, or
for our own export the entry's id with its creation stamp), otherwise the whole record (see
:func:`~journal.importers.rows.record_key`); never its kind and minute, so that distinct sessions
at the same minute all arrive. Keys that earlier versions stored (``legacy_key``) still match the
one record they stood for.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import re
import sqlite3
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import repeat
from zoneinfo import ZoneInfo

import click

from journal.db import Journal
from journal.entries import ReflectionInput, SessionInput, about_therapy, now_utc_text
from journal.errors import JournalError
from journal.importers.matching import DEFAULT_CLIENT_PATTERN, MatchRules
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
    content_key,
    describe_bad_value,
    insert_rows,
    person,
    preview,
    record_key,
    reflection_values,
    session_values,
    tag,
)
from journal.i18n import N_, _

BATCH = 5_000
BULK_FROM = 10_000  # records: from this many (and more than the journal holds), load in bulk
PROGRESS_FROM = 5_000  # records: show a progress bar on a terminal from this many
PROGRESS_FROM_BYTES = 1_000_000  # a file this large says on a terminal what it is doing before each long step
SAME_START = N_("at the same minute as a session of the same kind already in the journal (check they are not the same session)")
REPEATED = N_("repeated in the file")
CLIENT_NAME_LEFT_OUT = N_("with a client's name, left out (client work keeps only codes such as C014)")


@dataclass
class Incoming:
    """One record read from a file, ready to check and store."""

    data: SessionInput | ReflectionInput
    label: str  # names the line or event in messages, e.g. "line 12" or "event 'Supervision' on 2026-03-03"
    legacy_key: str | None = None  # the source key an earlier version stored for this record
    # A digest of everything the source's row says, names that are never stored included: rows that
    # differ only there (two clients of one day in a spreadsheet) are distinct records. Kept in memory.
    variant: str | None = None


@dataclass
class Skip:
    """Something in the file that is deliberately not imported, and why."""

    reason: str
    count: int = 1


@dataclass
class Notice:
    """Something the summary must say about how the file was read (a limit reached, an order chosen)."""

    text: str
    count: int = 1


@dataclass
class ParseContext:
    """What a format module needs besides the file's bytes."""

    zone: ZoneInfo
    rules: MatchRules = field(default_factory=MatchRules)
    dayfirst: bool = True
    columns: dict[str, str] = field(default_factory=dict)
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    client_pattern: re.Pattern = field(default_factory=lambda: re.compile(DEFAULT_CLIENT_PATTERN, re.IGNORECASE))
    practitioner: str | None = None  # the journal's `practitioner` setting: never taken as the other person
    fine_recurrence: bool = False  # ics: expand events that repeat more often than daily


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
    notices: Counter = field(default_factory=Counter)  # remark -> how many records it concerns

    def to_dict(self) -> dict:
        return {
            "format": self.format,
            "file": self.file,
            "dry_run": self.dry_run,
            "added": self.added,
            "already_present": self.already_present,
            "skipped": dict(sorted(self.skipped.items())),
            "notices": [self._notice(text, n) for text, n in self.notices.items()],
        }

    def describe(self) -> str:
        """``12 added, 2 already present, 3 skipped (2 all-day, 1 cancelled).`` and any notices."""
        if self.dry_run:
            text = _("{file} ({format}): {added} would be added, {present} already present, {skipped} skipped")
        else:
            text = _("{file} ({format}): {added} added, {present} already present, {skipped} skipped")
        total = sum(self.skipped.values())
        text = text.format(file=self.file, format=self.format, added=self.added, present=self.already_present,
                           skipped=total)
        if total:
            text += " (" + ", ".join(f"{n} {_(why)}" for why, n in sorted(self.skipped.items())) + ")"
        return " ".join([text + ".", *(self._notice(_(t), n) + "." for t, n in self.notices.items())])

    @staticmethod
    def _notice(text: str, count: int) -> str:
        """A notice about records starts with how many; one about the whole file is its own sentence."""
        return f"{count} {text}" if text[0].islower() else text


def malformed(file: str, where: str, problem: str, hint: str | None = None) -> JournalError:
    """The one-line error for a file that cannot be read; nothing is written."""
    return JournalError(_("{file}: {where}: {problem}; nothing was imported").format(file=file, where=where, problem=problem),
                        hint or _("fix that line or event in the file and run the import again"))


def decode_text(data: bytes, file: str) -> str:
    """The file's text: UTF-8 (with or without a byte-order mark), UTF-16 (as Windows tools write
    it) or Windows/Latin-1; anything else is refused rather than imported with garbled words."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif len(data) >= 4 and data[1] == 0 and data[3] == 0 and data[0] and data[2]:
        encoding = "utf-16-le"  # UTF-16 without its mark: every other byte of plain text is zero
    else:
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        pass
    if encoding == "utf-8-sig" and b"\x00" not in data:
        try:
            return data.decode("cp1252")  # Excel and older calendar apps on Windows; Latin-1's letters too
        except UnicodeDecodeError:
            pass
    raise malformed(file, _("line 1"), _("not text in a known encoding (UTF-8, UTF-16 or Windows/Latin-1)"),
                    _("save the file as UTF-8 and import it again"))


def load_json(data: bytes, file: str, fmt: str):
    """The parsed JSON document, or the one-line error naming the line where it breaks (or the
    format the file seems to be in, when it is no JSON at all)."""
    text = decode_text(data, file)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.pos == len(text) - len(text.lstrip("\ufeff \t\r\n")):  # not JSON from its first character
            raise wrong_shape(file, fmt, text, _("not JSON")) from None
        raise malformed(file, _("line {lineno}").format(lineno=exc.lineno), _("not valid JSON ({msg})").format(msg=exc.msg)) from None
    except RecursionError:
        raise malformed(file, _("line 1"), _("JSON nested too deeply to be an export")) from None


FORMAT_NAMES = {
    "jrnl": "jrnl's JSON export (jrnl --export json)", "watson": "Watson's frames file",
    "timew": "`timew export` output", "ics": "an iCalendar (.ics) file", "csv": "a spreadsheet (CSV)",
    "json": "an export of this journal (journal export)",
}


def guess_format(document: object) -> str | None:
    """Which format a file given in the wrong one seems to be in (text that is not JSON, or a JSON document)."""
    if isinstance(document, str):
        head = document[:2000].lstrip("\ufeff \t\r\n")[:500]
        if head.upper().startswith("BEGIN:VCALENDAR"):
            return "ics"
        if head.startswith(("[", "{")):
            try:
                return guess_format(json.loads(document))
            except (ValueError, RecursionError):
                return None
        first_line = head.split("\n", 1)[0]
        return "csv" if any(mark in first_line for mark in ",;\t") else None
    if isinstance(document, dict):
        return "jrnl" if "entries" in document else None
    if isinstance(document, list) and document:
        first = document[0]
        if isinstance(first, list):
            return "watson"
        if isinstance(first, dict):
            if "kind" in first:
                return "json"
            if re.fullmatch(r"\d{8}T\d{6}Z", str(first.get("start", ""))):
                return "timew"
    return None


def wrong_shape(file: str, fmt: str, document: object, expected: str) -> JournalError:
    """The error for a file that is not in the format asked for, naming the format it seems to be in."""
    guessed = guess_format(document)
    if guessed and guessed != fmt:
        return JournalError(_("{file} is not {value}; nothing was imported").format(file=file, value=FORMAT_NAMES[fmt]),
                            _("it looks like {value}: import it with `journal import {guessed} {file}`").format(value=FORMAT_NAMES[guessed], guessed=guessed, file=file))
    return malformed(file, _("line 1"), expected, _("check that the file is {value}").format(value=FORMAT_NAMES[fmt]))


def import_items(journal: Journal, items: Iterable[Incoming | Row | Skip | Notice], summary: Summary,
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
            id_map = {**present_ids, **{row.old_id: row.values[ID] for row in rows if row.old_id is not None}}
            if not kept:  # the record's own identity no longer follows from its id: keep it
                for row in rows:
                    if row.values[SOURCE_KEY] is None:
                        row.values[SOURCE_KEY] = f"entry:{row.old_id}:{row.values[CREATED]}"
            _resolve(journal, rows, id_map, summary.file)
            _insert(journal, rows, summary.file)
    return summary


def _collect(journal: Journal, items: Iterable[Incoming | Row | Skip | Notice], summary: Summary,
             now: datetime) -> tuple[list[Row], dict[int, int]]:
    """Check every record and keep those not in the journal yet (nor earlier in the file).

    Returns the new rows and, for records of our own export already present, file id -> journal id.
    """
    known = _Known(journal)
    by_identity, starts, legacy = known.by_identity.get, known.starts, known.legacy
    stamp = now_utc_text()
    rows: list[Row] = []
    present_ids: dict[int, int] = {}
    seen: set[str] = set()
    variants: dict[str, list[str]] = {}  # record key -> the rows of the file with that content
    file = summary.file
    for item in items:
        kind_of_item = type(item)
        if kind_of_item is not Row:
            if kind_of_item is Skip:
                summary.skipped[item.reason] += item.count
                continue
            if kind_of_item is Notice:
                summary.notices[item.text] += item.count
                continue
            item = _from_input(file, item)
        row = item
        values = row.values
        created_given = values[CREATED] is not None
        reason = _check(file, row, now, stamp)
        if reason:
            summary.skipped[reason] += 1
            continue
        if row.person and values[KIND] == "practice":
            row.person = None  # a client's name: never stored
            summary.notices[CLIENT_NAME_LEFT_OUT] += 1
        identity = values[SOURCE_KEY]
        if identity is None:
            if row.old_id is not None and created_given:
                identity = f"entry:{row.old_id}:{values[CREATED]}"  # stored only if the id changes
                if legacy:
                    row.legacy_key = f"native:{values[KIND]}|{values[START]}|{values[CREATED]}"
            else:
                identity = record_key(row)
                if row.variant is not None:
                    same = variants.setdefault(identity, [])
                    if row.variant in same:
                        summary.skipped[REPEATED] += 1
                        continue
                    same.append(row.variant)
                    if len(same) > 1:  # the n-th distinct row with this content: the same n each import
                        identity = f"{identity}#{len(same)}"
                values[SOURCE_KEY] = identity
        found = by_identity(identity)
        if found is None and known.by_identity:
            found = known.find_other_ways(row, identity)
        if found is not None:
            summary.already_present += 1
            if row.old_id is not None:
                present_ids[row.old_id] = found
            continue
        if identity in seen:
            summary.skipped[REPEATED] += 1
            continue
        seen.add(identity)
        if starts and values[KIND] != "reflection" and f"{values[KIND]}|{values[START]}" in starts:
            summary.notices[SAME_START] += 1
        rows.append(row)
        if summary.dry_run:
            summary.records.append(preview(row))
    summary.added = len(rows)
    return rows, present_ids


class _Known:
    """The records already in the journal, by identity, by the keys earlier versions used, and by content."""

    def __init__(self, journal: Journal):
        self.journal = journal
        self.by_identity = dict(journal.execute(
            "SELECT coalesce(source_key, 'entry:' || id || ':' || created_at), id FROM entries").fetchall())
        self.legacy = dict(journal.execute(
            "SELECT 'native:' || kind || '|' || start_utc || '|' || created_at, id FROM entries "
            "WHERE source_key IS NULL").fetchall())
        self.starts = {row[0] for row in journal.execute(
            "SELECT kind || '|' || start_utc FROM entries WHERE kind != 'reflection' AND deleted_at IS NULL")}
        self.by_content: dict[str, list[int]] | None = None  # read only when a record is not known by identity
        self.used: set[int] = set()  # entries matched by an older key or by content: each stands for one record

    def find_other_ways(self, row: Row, identity: str) -> int | None:
        """The journal's entry that ``row`` (not known by ``identity``) is, by a key an earlier version
        stored or by its content, or None for a new record."""
        if row.legacy_key is not None:
            found = self.legacy.get(row.legacy_key) or self.by_identity.get(row.legacy_key)
            if found is not None and found not in self.used:
                self.used.add(found)
                return found
        if self.by_content is None:
            self.by_content = self._contents()
        key = identity.partition("#")[0] if identity.startswith("record:") else record_key(row)
        for entry_id in self.by_content.get(key, ()):
            if entry_id not in self.used:
                self.used.add(entry_id)
                return entry_id
        return None

    def _contents(self) -> dict[str, list[int]]:
        contents: dict[str, list[int]] = {}
        for entry_id, *parts in self.journal.execute(
            "SELECT e.id, e.kind, e.start_utc, e.minutes, p.key, e.client_code, e.title, e.note, e.body "
            "FROM entries e LEFT JOIN people p ON p.id = e.person_id"
        ):
            contents.setdefault(content_key(*parts), []).append(entry_id)
        return contents


def _from_input(file: str, item: Incoming) -> Row:
    """The row of a format module's ``SessionInput`` or ``ReflectionInput``."""
    data = item.data
    try:
        if isinstance(data, SessionInput):
            values = session_values(data.at, data.kind, data.minutes, data.mode, data.format, data.group_size,
                                    data.client, data.setting, data.paid, data.title, data.note, data.shared,
                                    data.source, data.source_key)
            return Row(values, data.at, item.label, data.person or None, data.tags, legacy_key=item.legacy_key,
                       variant=item.variant)
        values = reflection_values(data.at, data.title, data.body, data.template, data.shared, data.source,
                                   data.source_key)
        return Row(values, data.at, item.label, None, data.tags, legacy_key=item.legacy_key, variant=item.variant)
    except (OverflowError, ValueError, TypeError, AttributeError) as exc:
        raise malformed(file, item.label, _("unreadable value ({exc})").format(exc=exc)) from None


def _check(file: str, row: Row, now: datetime, stamp: str) -> str | None:
    """The reason to skip ``row``, or None; a value that cannot be stored is the file's error."""
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


def _resolve(journal: Journal, rows: list[Row], id_map: dict[int, int], file: str) -> None:
    """Fill in person ids (adding new people once each) and reflections' ``on`` ids.

    A reflection's link must name an entry of the file (or one of its records already in the
    journal): an id from another journal may name an unrelated entry here. A shared reflection
    whose link cannot be followed is refused, as is one on personal therapy, at any depth.
    """
    people = _Ids(journal, "people", person)
    linked = []
    for row in rows:
        if row.person:
            row.values[PERSON] = people.of(row.person)
        if row.on_ref is not None:
            target = id_map.get(row.on_ref)
            if target is None:
                if row.values[SHARED]:
                    raise malformed(file, row.label, _("a shared reflection on entry {on_ref}, which is not in the file, so whether it may be shared cannot be checked").format(on_ref=row.on_ref),
                                    _("export the entry it is on as well, or mark the reflection \"shared\": false"))
                raise malformed(file, row.label, _("a reflection on entry {on_ref}, which is not in the file").format(on_ref=row.on_ref),
                                _("export the entry it is on as well, or remove the reflection's \"on\""))
            row.values[ON] = target
            linked.append(row)
    _refuse_shared_on_therapy(journal, rows, linked, file)


def _refuse_shared_on_therapy(journal: Journal, rows: list[Row], linked: list[Row], file: str) -> None:
    """A reflection on personal therapy (or on a reflection on it) is never shared, as `journal reflect` says."""
    shared = [row for row in linked if row.values[SHARED]]
    if not shared:
        return
    new = {row.values[ID]: row.values for row in rows}

    def on_therapy(entry_id: int) -> bool:
        for _link in range(len(new) + 1):  # a chain of links through the file, then into the journal
            values = new.get(entry_id)
            if values is None:
                return about_therapy(journal, entry_id)
            if values[KIND] == "therapy":
                return True
            if values[ON] is None:
                return False
            entry_id = values[ON]
        return False

    for row in shared:
        if on_therapy(row.values[ON]):
            raise malformed(file, row.label, _("a shared reflection on a personal-therapy session, whose content is "
                            "never shared"), _("mark it \"shared\": false; only the session's hours reach supervisors"))


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


def _insert(journal: Journal, rows: list[Row], file: str) -> None:
    links = _tag_links(journal, rows)
    show = len(rows) >= PROGRESS_FROM and sys.stderr.isatty()
    existing = journal.execute("SELECT count(*) FROM entries").fetchone()[0]
    bulk = contextlib.nullcontext() if len(rows) < BULK_FROM or existing > len(rows) else _bulk(journal, show)
    values = [row.values for row in rows]
    progress = click.progressbar(length=len(rows), label="Importing", file=sys.stderr) if show else _Quiet()
    with bulk, progress as bar:
        for start in range(0, len(values), BATCH):
            try:
                insert_rows(journal.conn, "entries", COLUMNS, values[start:start + BATCH])
            except (sqlite3.ProgrammingError, sqlite3.InterfaceError, OverflowError) as exc:
                raise _unstorable(file, rows[start:start + BATCH], exc) from None
            bar.update(len(values[start:start + BATCH]))
        insert_rows(journal.conn, "entry_tags", ("entry_id", "tag_id"), links)
        linked = [row for row in rows if row.card is not None or row.emotions]
        if linked:
            insert_rows(journal.conn, "entry_cards", ("entry_id", "card", "exercise"),
                        [(row.values[ID], row.card, row.exercise) for row in linked if row.card is not None])
            insert_rows(journal.conn, "entry_emotions", ("entry_id", "emotion"),
                        [(row.values[ID], emotion) for row in linked for emotion in dict.fromkeys(row.emotions)])


def _unstorable(file: str, rows: list[Row], exc: Exception) -> JournalError:
    """The error for a batch that SQLite refused for a value of the wrong type (an object where text
    belongs): found only on failure, so that the checks of every other import cost nothing more."""
    for row in rows:
        problem = describe_bad_value(row, exc)
        if not problem.startswith("unreadable"):
            return malformed(file, row.label, problem)
    return malformed(file, rows[0].label, _("a value that cannot be stored ({exc})").format(exc=exc))


def _tag_links(journal: Journal, rows: list[Row]) -> list[tuple[int, int]]:
    """(entry id, tag id) for every row's tags, adding new tags once each (and looking up each set
    of tags once: a file repeats a few sets)."""
    tags = _Ids(journal, "tags", tag)
    ids_of: dict[tuple[str, ...], tuple[int, ...]] = {}
    links: list[tuple[int, int]] = []
    for row in rows:
        if row.tags:
            names = tuple(row.tags)
            ids = ids_of.get(names)
            if ids is None:
                ids = ids_of[names] = tuple(dict.fromkeys(map(tags.of, names)))
            links.extend(zip(repeat(row.values[ID]), ids))
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
    for kind, name, _sql in saved:
        journal.execute(f'DROP {kind.upper()} "{name}"')
    with journal.page_cache(262_144):  # 256 MB: keep the new pages in memory until commit
        yield
        if show:
            click.echo(_("Rebuilding search, indexes and totals..."), err=True)
        # The journal held fewer entries than the file: indexing them all again costs less than
        # picking out the new ones.
        journal.execute("INSERT INTO entries_fts(entries_fts) VALUES ('rebuild')")
        for _kind, _name, sql in saved:  # indexes first: the totals below are then read from a covering index
            journal.execute(sql)
        for rollup in ROLLUPS:
            rollup.rebuild(journal)


class _Quiet:
    """A progress bar that shows nothing (off a terminal or for small files)."""

    def __enter__(self) -> _Quiet:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def update(self, n: int) -> None:
        return None
