"""Sessions and reflections: add, fetch, list, edit, soft-delete and restore them.

Plain functions over an open :class:`~journal.db.Journal`; the CLI only parses options
and calls these. Records come back as dictionaries in the shape of the command-line
contract (DESIGN.md), ready for ``--json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from journal.dates import from_utc_text, to_utc_text
from journal.db import Journal
from journal.errors import InputError, JournalError
from journal.i18n import _, language
from journal.entry_links import set_card, set_emotions
from journal.kinds import (  # noqa: F401 (ENTRY_KINDS and kind_word re-exported)
    ENTRY_KINDS, FORMAT_LABELS, FRENCH_KINDS, MODE_LABELS, SESSION_KINDS, kind_from_word, kind_word,
)
from journal.names import ConfirmSimilar, find_person, find_tag, resolve_person, resolve_tags

MODES = tuple(MODE_LABELS)
FORMATS = tuple(FORMAT_LABELS)
GROUP_FORMATS = ("group", "peer")
CLIENT_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,23}$")


@dataclass
class SessionInput:
    """What `journal log` was asked to store."""

    kind: str
    minutes: int
    at: datetime  # aware, in the journal's zone
    person: str | None = None
    mode: str | None = None
    format: str | None = None
    group_size: int | None = None
    client: str | None = None
    setting: str | None = None
    paid: bool | None = None
    title: str | None = None
    note: str | None = None
    tags: list[str] = field(default_factory=list)
    shared: bool = True
    source: str | None = None
    source_key: str | None = None
    card: str | None = None  # a prompt card used in a client session (never published)


@dataclass
class ReflectionInput:
    """What `journal reflect` was asked to store."""

    body: str
    at: datetime
    title: str | None = None
    template: str | None = None
    on: int | None = None
    tags: list[str] = field(default_factory=list)
    shared: bool = False
    source: str | None = None
    source_key: str | None = None
    card: str | None = None
    exercise: str | None = None
    emotions: list[str] = field(default_factory=list)  # ids of the emotion vocabulary


@dataclass
class Filters:
    """The shared filters of list, search, report and export."""

    kinds: tuple[str, ...] = ()
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    person: str | None = None
    tag: str | None = None
    client: str | None = None  # a client code, any case
    # False: only what counts (reflections, and sessions that have ended); True: only sessions not
    # ended yet (`journal list --planned`); None: both (export, search). See journal.planned.
    planned: bool | None = False
    card: str | None = None


def now_utc_text() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def check_kind(kind: str, allowed: tuple[str, ...] = SESSION_KINDS) -> str:
    """The stored (English) kind for ``kind`` typed in English or French."""
    value = (kind or "").strip().lower()
    value = kind_from_word(value)
    if value not in allowed:
        words = allowed if language() == "en" else tuple(FRENCH_KINDS[k] for k in allowed)
        raise InputError(_("unknown kind {kind!r}").format(kind=kind), _("use one of {kinds}").format(
            kinds=", ".join(words)))
    return value


def check_client_code(code: str) -> str:
    """A pseudonymous client code: letters, digits, '-' or '_', with at least one digit."""
    if not CLIENT_CODE.match(code or "") or not re.search(r"\d", code):
        looks = "contains spaces" if " " in (code or "") else "looks like a name or initials"
        raise InputError(
            _("client code {code!r} {looks}").format(code=code, looks=looks),
            _("use a pseudonymous code such as C014 (letters and digits, no names)"),
        )
    return code.upper()


def validate_session(data: SessionInput) -> None:
    """Refuse combinations that make no sense before anything is written."""
    check_session_fields(data.kind, data.mode, data.format, data.group_size, data.client, data.paid,
                         data.title, data.setting, data.card, person=data.person)


def check_session_fields(kind: str, mode: str | None, format_: str | None, group_size: int | None,
                         client: str | None, paid: object, title: str | None, setting: str | None,
                         card: str | None = None, *, person: str | None = None) -> None:
    """:func:`validate_session` on plain values (the importers check rows without building inputs)."""
    check_kind(kind)
    if person and kind == "practice":
        raise InputError(_("--with names a therapist, supervisor or trainer; client work never stores a name"),
                         _("give the client's pseudonymous code instead: --client CODE (e.g. --client C014)"))
    if mode is not None and mode not in MODES:
        raise InputError(_("unknown mode {mode!r}").format(mode=mode), _("use {choices}").format(choices=", ".join(MODES)))
    if format_ is not None and format_ not in FORMATS:
        raise InputError(_("unknown format {format!r}").format(format=format_), _("use {choices}").format(choices=", ".join(FORMATS)))
    if group_size is not None:
        if format_ not in GROUP_FORMATS:
            raise InputError(
                _("--group-size needs a group format"),
                _("add --format group (or --format peer)"),
            )
        if group_size < 2 or group_size > 500:
            raise InputError(_("group size {group_size} is not a group").format(group_size=group_size), _("give 2 or more"))
    if card is not None and kind != "practice":
        raise InputError(_("--card is for practice sessions"), _("log it as `journal log practice ... --card ID`"))
    if client is not None and kind != "practice":
        raise InputError(_("--client is for practice sessions"), _("log it as `journal log practice ...`"))
    if paid is not None and kind != "practice":
        raise InputError(_("--paid/--pro-bono is for practice sessions"), _("drop it for this kind"))
    for label, text in (("title", title), ("setting", setting)):
        if text is not None and len(text) > 500:
            raise InputError(_("{label} is longer than 500 characters").format(label=label), _("shorten it"))


def needs_group_size(kind: str, format_: str | None, group_size: int | None) -> bool:
    """Group supervision logged without its size: BACP credits it by the number of supervisees."""
    return kind == "supervision" and format_ in GROUP_FORMATS and group_size is None


def default_format(kind: str) -> str | None:
    return None if kind == "cpd" else "individual"


def add_session(journal: Journal, data: SessionInput, confirm: ConfirmSimilar | None = None, *,
                again: bool = False) -> dict:
    """Store one session (with its person and tags) in one transaction and return its record.

    An exact repeat of a live session (same kind, start, length, person and client) is refused
    unless ``again``: the same hour must not be counted twice by accident.
    """
    from journal.repeats import repeat_of

    validate_session(data)
    client = check_client_code(data.client) if data.client else None
    with journal.transaction():
        person_id = resolve_person(journal, data.person, confirm) if data.person else None
        entry_id = _insert(
            journal,
            kind=data.kind,
            at=data.at,
            minutes=data.minutes,
            person_id=person_id,
            mode=data.mode,
            format=data.format or default_format(data.kind),
            group_size=data.group_size,
            client_code=client,
            setting=" ".join(data.setting.split()) if data.setting else None,
            paid=None if data.paid is None else int(data.paid),
            title=data.title,
            note=data.note,
            shared=int(data.shared),
            source=data.source,
            source_key=data.source_key,
        )
        repeated = None if again else repeat_of(journal, entry_id)
        if repeated is not None:
            raise JournalError(
                _("this {kind} session is logged already, as #{repeated} (same start, length, person and client); nothing was written").format(kind=data.kind, repeated=repeated),
                _("add --again to log a second one anyway"),
            )
        set_tags(journal, entry_id, data.tags)
        if data.card:
            set_card(journal, entry_id, data.card)
    return get_entry(journal, entry_id)


def add_reflection(journal: Journal, data: ReflectionInput) -> dict:
    """Store one reflection in one transaction and return its record."""
    if not (data.body or "").strip():
        raise InputError(_("the reflection is empty; nothing was written"), _("write something, or pass -m TEXT"))
    with journal.transaction():
        if data.on is not None:
            check_reflection_target(journal, data.on, data.shared)
        entry_id = _insert(
            journal,
            kind="reflection",
            at=data.at,
            title=data.title,
            body=data.body,
            template=data.template,
            on_id=data.on,
            shared=int(data.shared),
            source=data.source,
            source_key=data.source_key,
        )
        set_tags(journal, entry_id, data.tags)
        if data.card:
            set_card(journal, entry_id, data.card, data.exercise)
        set_emotions(journal, entry_id, data.emotions)
    return get_entry(journal, entry_id)


def check_reflection_target(journal: Journal, on_id: int, shared: bool, *, include_deleted: bool = False) -> dict:
    """The entry a reflection is on; a reflection on personal therapy (or on a reflection on it,
    at any depth) can never be shared."""
    target = get_entry(journal, on_id, include_deleted=include_deleted)
    if shared and about_therapy(journal, on_id):
        what = "is" if target["kind"] == "therapy" else "reflects on"
        raise InputError(
            _("entry {on_id} {what} a personal-therapy session, whose content is never shared").format(on_id=on_id, what=what),
            _("drop --share; only its hours reach your supervisors"),
        )
    return target


def about_therapy(journal: Journal, entry_id: int) -> bool:
    """Whether this entry is a therapy session or a reflection on one, following ``on`` upwards."""
    return bool(journal.execute(
        """WITH RECURSIVE up(id, on_id, kind) AS (
             SELECT id, on_id, kind FROM entries WHERE id = ?
             UNION SELECT e.id, e.on_id, e.kind FROM entries e JOIN up ON e.id = up.on_id)
           SELECT 1 FROM up WHERE kind = 'therapy' LIMIT 1""",
        (entry_id,),
    ).fetchone())


def _insert(journal: Journal, *, at: datetime, **columns) -> int:
    stamp = now_utc_text()
    values = {
        "start_utc": to_utc_text(at),
        "tz": str(at.tzinfo),
        "date": at.date().isoformat(),
        "created_at": stamp,
        "updated_at": stamp,
        **columns,
    }
    names = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    try:
        return journal.execute(f"INSERT INTO entries ({names}) VALUES ({marks})", list(values.values())).lastrowid
    except Exception as exc:  # sqlite3.IntegrityError from a CHECK or UNIQUE constraint
        if "UNIQUE constraint failed: entries.source_key" in str(exc):
            raise JournalError(_("that record was imported already"), _("nothing to do")) from None
        raise


def set_tags(journal: Journal, entry_id: int, tags: list[str] | tuple[str, ...]) -> None:
    """Replace the tags of an entry (inside the caller's transaction)."""
    journal.execute("DELETE FROM entry_tags WHERE entry_id = ?", (entry_id,))
    journal.conn.executemany(
        "INSERT INTO entry_tags(entry_id, tag_id) VALUES (?, ?)",
        [(entry_id, tag_id) for tag_id in resolve_tags(journal, tags)],
    )


SELECT_ENTRIES = """
SELECT e.*, p.name AS person,
  (SELECT json_group_array(t.name) FROM (SELECT t.name FROM entry_tags et JOIN tags t ON t.id = et.tag_id
     WHERE et.entry_id = e.id ORDER BY t.key) t) AS tags_json,
  c.card, c.exercise,
  (SELECT json_group_array(emotion) FROM entry_emotions WHERE entry_id = e.id) AS emotions_json
FROM entries e LEFT JOIN people p ON p.id = e.person_id LEFT JOIN entry_cards c ON c.entry_id = e.id
"""


def to_record(row: dict) -> dict:
    """A stored row in the contract's shape (``start`` in local ISO 8601 with its offset)."""
    import json

    start = from_utc_text(row["start_utc"], ZoneInfo(row["tz"]))
    common = {
        "id": row["id"],
        "kind": row["kind"],
        "start": start.isoformat(),
        "date": row["date"],
    }
    tags = json.loads(row["tags_json"]) if row.get("tags_json") else []
    if row["kind"] == "reflection":
        record = {
            **common,
            "title": row["title"],
            "body": row["body"],
            "template": row["template"],
            "on": row["on_id"],
            "tags": tags,
            "shared": bool(row["shared"]),
            "card": row.get("card"),
            "exercise": row.get("exercise"),
            "emotions": json.loads(row["emotions_json"]) if row.get("emotions_json") else [],
        }
    else:
        end = start + timedelta(minutes=row["minutes"])
        record = {
            **common,
            "end": end.isoformat(),
            "minutes": row["minutes"],
            "hours": round(row["minutes"] / 60, 2),
            "with": row["person"],
            "mode": row["mode"],
            "format": row["format"],
            "group_size": row["group_size"],
            "client": row["client_code"],
            "setting": row["setting"],
            "paid": None if row["paid"] is None else bool(row["paid"]),
            "title": row["title"],
            "note": row["note"],
            "tags": tags,
            "shared": bool(row["shared"]),
        }
        if row.get("card"):
            record["card"] = row["card"]
    if row.get("deleted_at"):
        record["deleted"] = True
    return record


def get_entry(journal: Journal, entry_id: int, *, include_deleted: bool = False) -> dict:
    """The record with this id; a missing or deleted id is an error that says what to do."""
    rows = journal.query(SELECT_ENTRIES + " WHERE e.id = ?", (entry_id,))
    if not rows:
        raise JournalError(_("no entry with id {entry_id}").format(entry_id=entry_id), _("`journal list` shows the ids"))
    if rows[0]["deleted_at"] and not include_deleted:
        raise JournalError(_("entry {entry_id} was deleted").format(entry_id=entry_id), _("`journal restore {entry_id}` brings it back").format(entry_id=entry_id))
    return to_record(rows[0])


def filter_clause(journal: Journal, filters: Filters, alias: str = "e") -> tuple[str, list] | None:
    """SQL conditions for ``filters``; ``None`` when a named person or tag does not exist."""
    from journal.planned import counted, planned

    where = [f"{alias}.deleted_at IS NULL"]
    params: list = []
    if filters.planned is not None:
        where.append(planned(alias) if filters.planned else counted(alias))
    if filters.kinds:
        where.append(f"{alias}.kind IN ({', '.join('?' for _ in filters.kinds)})")
        params.extend(filters.kinds)
    if filters.since is not None:
        where.append(f"{alias}.start_utc >= ?")
        params.append(to_utc_text(filters.since))
    if filters.until is not None:
        where.append(f"{alias}.start_utc < ?")
        params.append(to_utc_text(filters.until))
    if filters.person:
        person_id = find_person(journal, filters.person)
        if person_id is None:
            return None
        where.append(f"{alias}.person_id = ?")
        params.append(person_id)
    if filters.client:
        where.append(f"{alias}.client_code = ?")
        params.append(filters.client.strip().upper())
    if filters.tag:
        tag_id = find_tag(journal, filters.tag)
        if tag_id is None:
            return None
        where.append(f"{alias}.id IN (SELECT entry_id FROM entry_tags WHERE tag_id = ?)")
        params.append(tag_id)
    if filters.card:
        where.append(f"{alias}.id IN (SELECT entry_id FROM entry_cards WHERE card = ?)")
        params.append(filters.card.strip().lower())
    return " AND ".join(where), params


def count_entries(journal: Journal, filters: Filters) -> int:
    """How many entries match ``filters``."""
    clause = filter_clause(journal, filters)
    if clause is None:
        return 0
    where, params = clause
    return journal.execute(f"SELECT count(*) FROM entries e WHERE {where}", params).fetchone()[0]


def list_entries(journal: Journal, filters: Filters, limit: int | None = 20, *, soonest_first: bool = False) -> list[dict]:
    """Records matching ``filters``, newest first (or soonest first); ``limit`` None or 0 means all."""
    clause = filter_clause(journal, filters)
    if clause is None:
        return []
    where, params = clause
    order = "ASC" if soonest_first else "DESC"
    sql = SELECT_ENTRIES + f" WHERE {where} ORDER BY e.start_utc {order}, e.id {order}"
    if limit:
        sql += " LIMIT ?"
        params.append(limit)
    return [to_record(row) for row in journal.query(sql, params)]
