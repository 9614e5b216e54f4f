"""Changing entries: edit fields, soft-delete and restore, each in one transaction.

Edits are checked exactly as `journal log` and `journal reflect` check new entries (the same
functions in :mod:`journal.entries`), so an edit can never store what a new entry could not:
a session keeps a valid combination of kind, format, group size and client code, and a
reflection on a personal-therapy session stays private.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from journal.dates import to_utc_text
from journal.db import Journal
from journal.entries import (
    GROUP_FORMATS,
    SessionInput,
    about_therapy,
    check_client_code,
    check_kind,
    check_reflection_target,
    get_entry,
    now_utc_text,
    set_tags,
    validate_session,
)
from journal.entry_links import set_emotions
from journal.errors import InputError, JournalError
from journal.names import ConfirmSimilar, resolve_person
from journal.i18n import _
from journal.kinds import kind_word

# field -> the option that sets it, for messages
OPTION_OF = {
    "at": "--at", "minutes": "--duration", "person": "--with", "mode": "--mode", "format": "--format",
    "group_size": "--group-size", "client": "--client", "setting": "--setting", "paid": "--paid/--pro-bono",
    "title": "--title", "note": "--note", "body": "--body", "template": "--template", "on": "--on",
    "tags": "--tag", "shared": "--share/--private", "emotions": "--emotion", "kind": "--kind",
}
SESSION_ONLY = ("kind", "minutes", "person", "mode", "format", "group_size", "client", "setting", "paid", "note")
REFLECTION_ONLY = ("body", "template", "on", "emotions")


@dataclass
class Changes:
    """What to change. ``None`` leaves a field as it is; ``""`` clears an optional text field."""

    at: datetime | None = None
    kind: str | None = None  # sessions only: therapy, supervision, practice or cpd
    minutes: int | None = None
    person: str | None = None
    mode: str | None = None
    format: str | None = None
    group_size: int | None = None
    client: str | None = None
    setting: str | None = None
    paid: bool | None = None
    title: str | None = None
    note: str | None = None
    body: str | None = None
    template: str | None = None
    on: int | None = None
    tags: list[str] | None = None  # replaces all tags; [] removes them
    shared: bool | None = None
    emotions: list[str] | None = None  # ids of the vocabulary; replaces them all; [] removes them

    def given(self) -> list[str]:
        return [name for name, value in asdict(self).items() if value is not None]


def _or_cleared(new: str | None, old: str | None) -> str | None:
    return old if new is None else (new or None)


def _refuse_fields(record: dict, fields: list[str]) -> None:
    if fields:
        what = "a reflection" if record["kind"] == "reflection" else f"a {record['kind']} session"
        raise InputError(
            _("{value} does not apply: entry {id} is {what}").format(value=OPTION_OF[fields[0]], id=record['id'], what=what),
            _("`journal edit --help` lists the fields of sessions and of reflections"),
        )


def _session_columns(journal: Journal, record: dict, changes: Changes, confirm: ConfirmSimilar | None) -> dict:
    _refuse_fields(record, [f for f in changes.given() if f in REFLECTION_ONLY])
    format_ = changes.format or record["format"]
    group_size = changes.group_size
    if group_size is None and format_ in GROUP_FORMATS:
        group_size = record["group_size"]  # a group size is kept only while the format is a group
    kind = check_kind(changes.kind) if changes.kind is not None else record["kind"]
    client = _or_cleared(changes.client, record["client"])
    if kind != "practice" and client and changes.client is None:
        raise InputError(
            _("entry {id} has the client code {client}, and only practice sessions carry one").format(
                id=record["id"], client=client),
            _("add --client \"\" to remove it as it becomes {kind}").format(kind=kind_word(kind)),
        )
    merged = SessionInput(
        kind=kind,
        person=changes.person or None,  # a name given now (a stored one is reported by `journal db check`)
        minutes=changes.minutes or record["minutes"],
        at=changes.at or datetime.fromisoformat(record["start"]),
        mode=changes.mode or record["mode"],
        format=format_,
        group_size=group_size,
        client=client,
        setting=_or_cleared(changes.setting, record["setting"]),
        # paid or pro bono is said of practice only, and goes when a session stops being practice
        paid=changes.paid if changes.paid is not None else record["paid"] if kind == "practice" else None,
        title=_or_cleared(changes.title, record["title"]),
        note=_or_cleared(changes.note, record["note"]),
    )
    validate_session(merged)
    if kind == "therapy" and record["kind"] != "therapy":
        _refuse_shared_followers(journal, record["id"])  # therapy content is never shared
    if record["kind"] == "therapy" and kind != "therapy":
        _refuse_leaving_therapy(journal, record["id"], kind)
    columns = {
        "kind": merged.kind,
        "minutes": merged.minutes,
        "mode": merged.mode,
        "format": merged.format,
        "group_size": merged.group_size,
        "client_code": check_client_code(merged.client) if merged.client else None,
        "setting": " ".join(merged.setting.split()) if merged.setting else None,
        "paid": None if merged.paid is None else int(merged.paid),
        "note": merged.note,
    }
    if changes.person is not None:
        columns["person_id"] = resolve_person(journal, changes.person, confirm) if changes.person else None
    return columns


def _reflection_columns(journal: Journal, record: dict, changes: Changes) -> dict:
    from journal.templates import get_template

    _refuse_fields(record, [f for f in changes.given() if f in SESSION_ONLY])
    body = record["body"] if changes.body is None else changes.body
    if not (body or "").strip():
        raise InputError(_("a reflection cannot be empty"), _("to delete it, use `journal rm {id}`").format(id=record['id']))
    on_id = record["on"] if changes.on is None else changes.on
    shared = record["shared"] if changes.shared is None else changes.shared
    if on_id == record["id"]:
        raise InputError(_("a reflection cannot be on itself"), _("give the id of the session it is about"))
    if changes.on is not None and changes.on != record["on"]:
        _refuse_moving_off_therapy(journal, record, changes.on)
    if on_id is not None:
        check_reflection_target(journal, on_id, shared, include_deleted=changes.on is None)
        if changes.on is not None and about_therapy(journal, on_id):
            _refuse_shared_followers(journal, record["id"])
    template = record["template"]
    if changes.template is not None:
        template = get_template(changes.template).name if changes.template else None
    return {"body": body, "template": template, "on_id": on_id}


def _refuse_moving_off_therapy(journal: Journal, record: dict, new_on: int) -> None:
    """A reflection written on personal therapy (or on a reflection about it) stays private for
    good: it may move to another therapy entry, never off therapy, where it could be shared."""
    get_entry(journal, new_on)  # a missing or deleted id says so first
    if record["on"] is not None and about_therapy(journal, record["id"]) and not about_therapy(journal, new_on):
        raise InputError(
            _("reflection {id} was written on personal therapy, whose content stays private for good; it cannot move to entry {new_on}").format(id=record['id'], new_on=new_on),
            _("to write about entry {new_on}, start a new reflection: journal reflect --on {new_on}").format(new_on=new_on),
        )


def _refuse_leaving_therapy(journal: Journal, entry_id: int, kind: str) -> None:
    """A therapy session with reflections on it stays therapy: as another kind, what was written
    about one's own therapy could be shared."""
    row = journal.execute("SELECT id FROM entries WHERE on_id = ? ORDER BY id LIMIT 1", (entry_id,)).fetchone()
    if row:
        raise InputError(
            _("entry {entry_id} is personal therapy with reflection {value} written on it, whose content stays "
              "private for good; it cannot become {kind}").format(entry_id=entry_id, value=row[0],
                                                                  kind=kind_word(kind)),
            _("to log another kind of session instead: journal rm {entry_id}, then journal log {kind} ...").format(
                entry_id=entry_id, kind=kind),
        )


def _refuse_shared_followers(journal: Journal, entry_id: int) -> None:
    """Refuse to put a reflection under personal therapy while a shared reflection builds on it."""
    row = journal.execute(
        """WITH RECURSIVE down(id) AS (
             SELECT ? UNION SELECT e.id FROM entries e JOIN down ON e.on_id = down.id)
           SELECT e.id FROM entries e JOIN down ON e.id = down.id WHERE e.id <> ? AND e.shared = 1 LIMIT 1""",
        (entry_id, entry_id),
    ).fetchone()
    if row:
        raise InputError(
            _("reflection {value} is shared and builds on entry {entry_id}; under a personal-therapy session it would share therapy content").format(value=row[0], entry_id=entry_id),
            _("make it private first: journal edit {value} --private").format(value=row[0]),
        )


def _refuse_repeat(journal: Journal, entry_id: int) -> None:
    """An edit must not turn a session into an exact repeat of another (it would count twice)."""
    from journal.repeats import repeat_of

    repeated = repeat_of(journal, entry_id)
    if repeated is not None:
        raise JournalError(
            _("entry {entry_id} would then repeat #{repeated} exactly (same kind, start, length, person and client); nothing was changed").format(entry_id=entry_id, repeated=repeated),
            _("if they are the same session, remove one: journal rm {entry_id}; if not, add --again").format(entry_id=entry_id),
        )


def edit_entry(journal: Journal, entry_id: int, changes: Changes, confirm: ConfirmSimilar | None = None, *,
               again: bool = False) -> dict:
    """Change the given fields of a live entry in one transaction and return its new record. A
    session that would then repeat another exactly is refused unless ``again``."""
    if not changes.given():
        raise InputError(_("nothing to change"), _("give a field such as --title, or no option to use $EDITOR"))
    with journal.transaction():
        record = get_entry(journal, entry_id)
        if record["kind"] == "reflection":
            columns = _reflection_columns(journal, record, changes)
        else:
            columns = _session_columns(journal, record, changes, confirm)
        if changes.title is not None:
            columns["title"] = changes.title or None
        if changes.shared is not None:
            columns["shared"] = int(changes.shared)
        if changes.at is not None:
            columns.update(start_utc=to_utc_text(changes.at), tz=str(changes.at.tzinfo),
                           date=changes.at.date().isoformat())
        columns["updated_at"] = now_utc_text()
        assignments = ", ".join(f"{name} = ?" for name in columns)
        journal.execute(f"UPDATE entries SET {assignments} WHERE id = ?", [*columns.values(), entry_id])
        if record["kind"] != "reflection" and not again:
            _refuse_repeat(journal, entry_id)
        if changes.tags is not None:
            set_tags(journal, entry_id, changes.tags)
        if changes.emotions is not None:
            set_emotions(journal, entry_id, changes.emotions)
    return get_entry(journal, entry_id)


def delete_entry(journal: Journal, entry_id: int) -> dict:
    """Soft-delete a live entry: it is kept, marked deleted, until `restore_entry` brings it back."""
    with journal.transaction():
        get_entry(journal, entry_id)
        stamp = now_utc_text()
        journal.execute("UPDATE entries SET deleted_at = ?, updated_at = ? WHERE id = ?", (stamp, stamp, entry_id))
    return get_entry(journal, entry_id, include_deleted=True)


def restore_entry(journal: Journal, entry_id: int) -> dict:
    """Bring back a soft-deleted entry."""
    with journal.transaction():
        if not get_entry(journal, entry_id, include_deleted=True).get("deleted"):
            raise JournalError(_("entry {entry_id} is not deleted").format(entry_id=entry_id), _("nothing to restore; `journal show {entry_id}` shows it").format(entry_id=entry_id))
        journal.execute("UPDATE entries SET deleted_at = NULL, updated_at = ? WHERE id = ?", (now_utc_text(), entry_id))
    return get_entry(journal, entry_id)


def delete_entries(journal: Journal, entry_ids: list[int]) -> list[dict]:
    """Soft-delete several live entries in one transaction: all of them, or none when one cannot be."""
    return _all_or_none(journal, entry_ids, delete_entry, "deleted")


def restore_entries(journal: Journal, entry_ids: list[int]) -> list[dict]:
    """Restore several deleted entries in one transaction: all of them, or none when one cannot be."""
    return _all_or_none(journal, entry_ids, restore_entry, "restored")


def _all_or_none(journal: Journal, entry_ids: list[int], change, done: str) -> list[dict]:
    try:
        with journal.transaction():
            return [change(journal, entry_id) for entry_id in entry_ids]
    except JournalError as exc:
        if len(entry_ids) == 1:
            raise
        raise type(exc)(f"{exc.message}, so nothing was {done}", exc.hint) from None
