"""Changing entries: `journal edit`, `journal rm` (soft delete) and `journal restore`."""

from __future__ import annotations

import json

import click

from journal.changing import Changes
from journal.commands.logging import confirm_similar_on_terminal, echo_timing_notes, refuse_future
from journal.commands.reflecting import complete_emotions, complete_templates, refuse_future_reflection
from journal.completion import complete_choices, complete_ids, complete_tags
from journal.context import AppContext, pass_app
from journal.emotions import find_emotions
from journal.entries import SESSION_KINDS, get_entry, kind_word
from journal.errors import InputError
from journal.kinds import SESSION_KINDS
from journal.i18n import _, ngettext
from journal.options import ENTRY_ID, entry_id_argument, entry_ids_argument, session_field_options

json_option = click.option("--json", "as_json", is_flag=True, help="Print the resulting record as JSON.")


def changes_in_editor(record: dict) -> Changes | None:
    """A reflection's body (or a session's note) edited in $EDITOR; ``None`` when nothing changed."""
    from journal.editor import edit_text

    field = "body" if record["kind"] == "reflection" else "note"
    old = (record[field] or "").rstrip()
    saved = edit_text(old + "\n" if old else "", filename=f"{field}.md").rstrip()
    if saved == old:
        click.echo(_("Nothing changed."), err=True)
        return None
    if field == "body" and not saved.strip():
        click.echo(_("Nothing changed: the reflection was left empty; to delete it, use `journal rm {id}`.").format(id=record['id']),
                   err=True)
        return None
    return Changes(**{field: saved})


# The fields of a session that a countersignature covers (its digest changes with any of them).
SIGNED_FIELDS = ("at", "minutes", "person", "mode", "format", "group_size", "client", "shared")


def warn_countersigned(app: AppContext, dates: list[str]) -> None:
    """Say, before writing, that a change on ``dates`` falls in a countersigned period (nothing is refused)."""
    from journal.signoffs.store import touched

    for warning in touched(app.journal, dates):
        click.echo(_("Note: {warning}.").format(warning=warning), err=True)


def warn_if_signed(app: AppContext, record: dict) -> None:
    if record["kind"] in SESSION_KINDS and record["shared"]:
        warn_countersigned(app, [record["date"]])


def _echo_record(record: dict, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(record, ensure_ascii=False))


@click.command()
@entry_id_argument
@click.option("--kind", metavar="KIND", shell_complete=complete_choices(SESSION_KINDS),
              help="Sessions: therapy, supervision, practice or cpd.")
@click.option("--duration", metavar="DURATION", help="Sessions: the length, e.g. 50m, 1h30m, 1.5h, 90.")
@click.option("--at", "when", metavar="WHEN", help="When it started (or, for a reflection, was written).")
@session_field_options(editing=True)
@click.option("--title", metavar="T", help='The title ("" removes it).')
@click.option("--tag", "tags", multiple=True, metavar="T", shell_complete=complete_tags,
              help="Replace all tags with these (repeatable).")
@click.option("--no-tags", is_flag=True, help="Remove all tags.")
@click.option("-m", "--body", metavar="TEXT", help="Reflections: the new text.")
@click.option("--template", "template_name", metavar="NAME", shell_complete=complete_templates,
              help='Reflections: the template it follows ("" removes it).')
@click.option("--on", "on_id", type=ENTRY_ID, metavar="ID", shell_complete=complete_ids,
              help="Reflections: the entry it is about.")
@click.option("--share/--private", "shared", default=None,
              help="Share with your supervisors, or keep private (therapy reflections stay private).")
@click.option("--emotion", "emotion_words", multiple=True, metavar="WORD", shell_complete=complete_emotions,
              help="Reflections: replace the emotions named with these (repeatable).")
@click.option("--no-emotions", is_flag=True, help="Reflections: remove the emotions named.")
@click.option("--again", is_flag=True,
              help="Sessions: change it even though it then repeats another exactly (kind, start, length, person, client).")
@json_option
@pass_app
def edit(app: AppContext, entry_id, kind, duration, when, person, new_person, mode, format_, group_size, client,
         setting, paid, title, tags, no_tags, note, body, template_name, on_id, shared, emotion_words, no_emotions,
         allow_future, again, as_json) -> None:
    """Change an entry: the fields given as options, or with none, its text in $EDITOR.

    \b
    Examples:
      journal edit 12 --duration 1h --with "Dr Martin"
      journal edit 15 --title "Endings" --tag endings --tag rupture
      journal edit 15 --share
      journal edit 21 --kind supervision
      journal edit last --tag endings     (the entry you wrote last)
      journal edit 15 --emotion shame --emotion relief
      journal edit 15            (opens the reflection, or a session's note, in $EDITOR)

    Checked like `journal log` and `journal reflect`: nothing is written unless all of it is valid.
    """
    from journal.changing import edit_entry

    if tags and no_tags:
        raise InputError(_("--tag and --no-tags contradict each other"), _("use one of them"))
    if emotion_words and no_emotions:
        raise InputError(_("--emotion and --no-emotions contradict each other"), _("use one of them"))
    from journal.refs import resolve

    entry_id = resolve(app.journal, entry_id)
    if on_id is not None:
        on_id = resolve(app.journal, on_id)
    before = get_entry(app.journal, entry_id)
    at = None
    if when is not None:
        from journal.dates import parse_when

        at = parse_when(when, app.zone, dayfirst=app.dayfirst).at
        if before["kind"] == "reflection":
            refuse_future_reflection(at)
        else:
            refuse_future(at, allow_future)
    minutes = None
    if duration is not None:
        from journal.durations import parse_duration

        minutes = parse_duration(duration)
    changes = Changes(
        at=at, kind=kind, minutes=minutes, person=person, mode=mode, format=format_, group_size=group_size,
        client=client, setting=setting, paid=paid, title=title, note=note, body=body,
        template=template_name, on=on_id, tags=[] if no_tags else (list(tags) or None), shared=shared,
        emotions=[] if no_emotions else (find_emotions(emotion_words) or None),
    )
    if not changes.given():
        changes = changes_in_editor(before)
        if changes is None:
            return
    if before["kind"] in SESSION_KINDS and (before["shared"] or changes.shared) and any(
            getattr(changes, name) is not None for name in SIGNED_FIELDS):
        warn_countersigned(app, [before["date"]] + ([at.astimezone(app.zone).date().isoformat()] if at else []))
    after = edit_entry(app.journal, entry_id, changes, confirm=confirm_similar_on_terminal(new_person), again=again)
    changed = [key for key in after if after[key] != before.get(key)]
    if changed:
        updated = _("Updated {kind} #{entry_id}: {fields}.")
    else:
        updated = _("Updated {kind} #{entry_id} (it already said so).")
    click.echo(updated.format(kind=kind_word(after["kind"]), entry_id=entry_id, fields=", ".join(changed)), err=True)
    if after["kind"] != "reflection" and (at is not None or minutes is not None):
        echo_timing_notes(app, after)
    _echo_record(after, as_json)


def _echo_records(records: list[dict], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(records[0] if len(records) == 1 else records, ensure_ascii=False))


def _describe(records: list[dict]) -> str:
    """``therapy #12 of 2026-03-03`` for one entry, ``3 entries (#12, #14, #15)`` for several."""
    if len(records) == 1:
        return _("{kind} #{id} of {date}").format(
            kind=kind_word(records[0]["kind"]), id=records[0]["id"], date=records[0]["date"])
    ids = ", ".join(_("#{id}").format(id=r["id"]) for r in records)
    return ngettext("{count} entry ({ids})", "{count} entries ({ids})", len(records)).format(
        count=len(records), ids=ids)


@click.command()
@entry_ids_argument
@json_option
@pass_app
def rm(app: AppContext, entry_ids, as_json: bool) -> None:
    """Delete entries (softly: `journal restore` brings them back); all of them or, on an error, none.

    \b
    Examples:
      journal rm 12
      journal rm 12 14-16
      journal rm last

    --json prints the record (an array of them when several are deleted).
    """
    from journal.changing import delete_entries
    from journal.refs import resolve_all

    ids = resolve_all(app.journal, entry_ids)
    records = delete_entries(app.journal, ids)
    for record in records:
        warn_if_signed(app, record)
    click.echo(_("Deleted {entries}; undo with `journal restore {ids}`.").format(
        entries=_describe(records), ids=" ".join(map(str, ids))), err=True)
    _echo_records(records, as_json)


@click.command()
@entry_ids_argument
@json_option
@pass_app
def restore(app: AppContext, entry_ids, as_json: bool) -> None:
    """Bring back entries removed with `journal rm`; all of them or, on an error, none.

    \b
    Examples:
      journal restore 12
      journal restore 12 14-16
      journal restore last      (the entry deleted last)
    """
    from journal.changing import restore_entries
    from journal.refs import resolve_all

    records = restore_entries(app.journal, resolve_all(app.journal, entry_ids, deleted=True))
    for record in records:
        warn_if_signed(app, record)
    click.echo(_("Restored {entries}.").format(entries=_describe(records)), err=True)
    _echo_records(records, as_json)
