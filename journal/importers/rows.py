"""Rows of the entries table as an import builds them, the checks every row passes, and how they go in.

Format modules either build a foundation ``SessionInput``/``ReflectionInput`` (the core turns it
into a :class:`Row`) or, for our own exports, a :class:`Row` straight from the flat record: that
path skips a layer of objects per record, which counts in a backup of 100,000 entries.
:func:`check_row` applies the checks of `journal log` and `journal reflect`, so that a bad record
gets a one-line error naming it; the schema's own CHECK constraints still guard every insert.
"""

from __future__ import annotations

import functools
import hashlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from itertools import chain
from operator import itemgetter
from zoneinfo import ZoneInfo

from journal.dates import to_utc_text
from journal.emotions import vocabulary
from journal.entries import SESSION_KINDS, check_client_code, check_kind, check_session_fields, default_format
from journal.entry_links import EXERCISES
from journal.errors import InputError
from journal.names import clean_display, name_key, tag_key
from journal.i18n import _

COLUMNS = (
    "id", "kind", "start_utc", "tz", "date", "minutes", "person_id", "mode", "format", "group_size",
    "client_code", "setting", "paid", "title", "body", "note", "template", "on_id", "shared",
    "source", "source_key", "created_at", "updated_at", "deleted_at",
)
(ID, KIND, START, TZ, DATE, MINUTES, PERSON, MODE, FORMAT, GROUP_SIZE, CLIENT, SETTING, PAID, TITLE, BODY,
 NOTE, TEMPLATE, ON, SHARED, SOURCE, SOURCE_KEY, CREATED, UPDATED, DELETED) = range(len(COLUMNS))
ROWS_PER_STATEMENT = 200
# Python's sqlite3 looks for an adapter for every None it binds (a failed lookup, then two failed
# attribute lookups, each raising and clearing an AttributeError); an adapter registered for None
# (which leaves it None, bound as NULL) is found at once: binding a None costs half as much.
sqlite3.register_adapter(type(None), lambda none: none)


@dataclass(slots=True)
class Row:
    """One entry read from a file: its column values (id, person_id and on_id are set when stored)."""

    values: list
    at: datetime  # the local start, for the future check and previews
    label: str  # names the line or event in messages, e.g. "line 12" or "record 7"
    person: str | None = None
    tags: list[str] = field(default_factory=list)
    old_id: int | None = None  # our own export: the id in the file
    on_ref: int | None = None  # our own export: the id (in the file) a reflection is on
    planned_ok: bool = False  # our own export: a planned session (logged with --allow-future) is kept
    legacy_key: str | None = None  # the key an earlier version stored for this record, if it differs
    variant: str | None = None  # a digest of the source's whole row, names included (never stored)
    card: str | None = None  # the prompt card a practice session or reflection used
    exercise: str | None = None  # a reflection's exercise with its card
    emotions: list[str] = field(default_factory=list)  # a reflection's emotions (ids of the vocabulary)


def insert_rows(conn: sqlite3.Connection, table: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
    """Insert ``rows`` several to a statement. SQLite runs a CHECK constraint's ``IN (...)`` list
    once per statement, not once per row, so this is a third faster than ``executemany``. A column
    that is NULL in every row of a statement is written NULL in its SQL instead of bound: Python's
    sqlite3 adapts each None it binds (see the adapter above), which still costs more than a text's
    binding (a session has a dozen empty columns, most of them empty in a whole file)."""
    per = max(1, min(ROWS_PER_STATEMENT, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(columns)))
    for start in range(0, len(rows), per):
        batch = rows[start:start + per]
        filled = tuple(index for index, values in enumerate(zip(*batch)) if values.count(None) < len(values))
        if len(filled) == len(columns):
            params = list(chain.from_iterable(batch))
        elif len(filled) == 1:
            params = [row[filled[0]] for row in batch]
        else:
            params = list(chain.from_iterable(map(itemgetter(*filled), batch))) if filled else []
        conn.execute(_insert_statement(table, tuple(columns), filled, len(batch)), params)


@functools.lru_cache(maxsize=256)
def _insert_statement(table: str, columns: tuple[str, ...], filled: tuple[int, ...], count: int) -> str:
    """``INSERT`` of ``count`` rows binding the ``filled`` columns, the others NULL."""
    one = "(" + ", ".join("?" if index in filled else "NULL" for index in range(len(columns))) + ")"
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES " + ", ".join([one] * count)


def session_values(at: datetime, kind: str, minutes: int, mode: str | None, format_: str | None,
                   group_size: int | None, client: str | None, setting: str | None, paid: object,
                   title: str | None, note: str | None, shared: bool, source: str | None,
                   source_key: str | None, created: str | None = None, updated: str | None = None) -> list:
    """A session's column values as given; :func:`check_row` checks and settles them."""
    return [None, kind, to_utc_text(at), zone_name(at.tzinfo), at.date().isoformat(), minutes, None, mode,
            format_, group_size, client, setting, paid, title, None, note, None, None, int(shared), source,
            source_key, created or None, updated or None, None]


def reflection_values(at: datetime, title: str | None, body: str, template: str | None, shared: bool,
                      source: str | None, source_key: str | None, created: str | None = None,
                      updated: str | None = None) -> list:
    """A reflection's column values."""
    return [None, "reflection", to_utc_text(at), zone_name(at.tzinfo), at.date().isoformat(), None, None,
            None, None, None, None, None, None, title, body, None, template, None, int(shared), source,
            source_key, created or None, updated or None, None]


def zone_name(zone: tzinfo | None) -> str:
    return zone.key if isinstance(zone, ZoneInfo) else str(zone)


TEXT_COLUMNS = (KIND, MODE, FORMAT, CLIENT, SETTING, TITLE, BODY, NOTE, TEMPLATE, SOURCE, SOURCE_KEY, CREATED,
                UPDATED, DELETED)
FIELD_NAMES = {"client_code": "client"}  # the names the export and `journal log` use


def describe_bad_value(row: Row, exc: Exception) -> str:
    """Which value of a row that failed its checks is not text where text belongs (worked out
    only on failure, so that the checks of every other row cost nothing more)."""
    named = [(FIELD_NAMES.get(COLUMNS[i], COLUMNS[i]), row.values[i]) for i in TEXT_COLUMNS]
    named += [("with", row.person)] + [("tag", name) for name in row.tags]
    for name, value in named:
        if value is not None and not isinstance(value, str):
            return _("{name!r} should be text, not {value!r}").format(name=name, value=value)
    return _("unreadable value ({problem})").format(problem=exc)


def check_row(row: Row, now: datetime, stamp: str) -> str | None:
    """Settle and check ``row`` in place; a reason to skip it, or None. Raises on bad values."""
    values = row.values
    if values[KIND] == "reflection":
        if not (values[BODY] or "").strip():
            return "empty reflection"
    else:
        reason = _check_session(values, row.at, now, row.planned_ok)
        if reason:
            return reason
        if row.person:
            person(row.person)
    for name in row.tags:
        tag(name)
    if row.card is not None or row.exercise is not None or row.emotions:
        _check_links(row)
    values[CREATED] = values[CREATED] or stamp
    values[UPDATED] = values[UPDATED] or values[CREATED]
    return None


def _check_links(row: Row) -> None:
    """A card on a practice session or a reflection, an exercise only with a reflection's card,
    emotions only on a reflection and each a word of the vocabulary (stored by its id)."""
    reflection = row.values[KIND] == "reflection"
    if row.card is not None:
        if not reflection:
            check_session_fields(row.values[KIND], None, None, None, None, None, None, None, row.card)
        if not row.card.strip():
            raise InputError(_("an empty card id"), _("give the card's id, as `journal cards` lists it"))
    if row.exercise is not None:
        if not reflection or row.card is None:
            raise InputError(_("an exercise without a reflection's card"), _("drop \"exercise\" or add its \"card\""))
        if row.exercise not in EXERCISES:
            raise InputError(_("unknown exercise {exercise!r}").format(exercise=row.exercise), _("use {choices}").format(choices=", ".join(EXERCISES)))
    if row.emotions:
        if not reflection:
            raise InputError(_("emotions are named in reflections, not sessions"), _("drop \"emotions\" from this record"))
        words = vocabulary().words
        for emotion in row.emotions:
            if emotion not in words:
                raise InputError(_("{emotion!r} is not an emotion of the vocabulary").format(emotion=emotion),
                                 _("`journal emotions` lists the words by id, e.g. sadness"))


def _check_session(values: list, at: datetime, now: datetime, planned_ok: bool) -> str | None:
    minutes = values[MINUTES]
    if minutes < 1:
        return "shorter than a minute"
    if minutes > 1440:
        return "longer than 24 hours"
    if not planned_ok and at > now:  # our own export's planned sessions are kept
        return "in the future"
    kind = values[KIND]
    if kind not in SESSION_KINDS:
        kind = values[KIND] = check_kind(kind)
    title, setting = values[TITLE], values[SETTING]
    if (title is not None and len(title) > 500) or (setting is not None and len(setting) > 500):
        check_session_fields(kind, None, None, None, None, None, title, setting)  # says which is too long
    _check_fields(kind, values[MODE], values[FORMAT], values[GROUP_SIZE], values[CLIENT] is not None,
                  values[PAID] is not None)
    _settle_session(values, kind)
    return None


@functools.lru_cache(maxsize=4096)
def _check_fields(kind: str, mode: object, format_: object, group_size: object, has_client: bool,
                  has_paid: bool) -> None:
    """`journal log`'s checks of a session's fields, once per combination (a file has few)."""
    check_session_fields(kind, mode, format_, group_size, "C1" if has_client else None, True if has_paid else None,
                         None, None)


def _settle_session(values: list, kind: str) -> None:
    """The stored form of a checked session's values, as `journal log` stores them."""
    values[FORMAT] = values[FORMAT] or default_format(kind)
    values[CLIENT] = client_code(values[CLIENT]) if values[CLIENT] else None
    values[SETTING] = " ".join(values[SETTING].split()) if values[SETTING] else None
    if values[PAID] is not None:
        values[PAID] = int(values[PAID])
        if values[PAID] not in (0, 1):
            raise not_a_flag("paid", values[PAID])


def not_a_flag(name: str, value: object) -> InputError:
    """The error for a yes-or-no field (paid, shared) holding anything else."""
    return InputError(_("{name} {value!r} is neither true nor false").format(name=name, value=value),
                      _("write true or false"))


def record_key(row: Row) -> str:
    """The identity of a record by its content (kind, start, length, person, client, title and
    text): the key of a record whose source gives it no id, and how a session from another
    source is known to be one already in the journal. Only a true repeat has the same key."""
    values = row.values
    return content_key(values[KIND], values[START], values[MINUTES], name_key(row.person) if row.person else None,
                       values[CLIENT], values[TITLE], values[NOTE], values[BODY])


def content_key(*parts: object) -> str:
    """``record:`` and a digest of ``parts`` (see :func:`record_key`; the journal's entries are keyed alike)."""
    whole = "\x1f".join("" if part is None else str(part) for part in parts)
    return "record:" + hashlib.sha256(whole.encode()).hexdigest()[:32]


@functools.lru_cache(maxsize=4096)
def client_code(code: str) -> str:
    return check_client_code(code)


@functools.lru_cache(maxsize=4096)
def person(name: str) -> tuple[str, str]:
    """A person's display name and key; raises InputError for an empty or overlong name."""
    return clean_display(name, "name"), name_key(name)


@functools.lru_cache(maxsize=4096)
def tag(name: str) -> tuple[str, str]:
    """A tag's display name and key (a leading # dropped); raises InputError for an empty or overlong tag."""
    display = clean_display(name.lstrip("#"), "tag")
    return display, tag_key(display)


def preview(row: Row) -> dict:
    """What a dry run shows for ``row``."""
    values = row.values
    session = values[KIND] != "reflection"
    return {
        "date": values[DATE],
        "time": row.at.strftime("%H:%M"),
        "kind": values[KIND],
        "minutes": values[MINUTES],
        "with": row.person,
        "title": values[TITLE] or ("" if session else (values[BODY] or "").strip().split("\n")[0][:60]),
        "source_key": values[SOURCE_KEY],
    }
