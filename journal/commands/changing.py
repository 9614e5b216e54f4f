"""Changing entries: `journal edit`, `journal rm` (soft delete) and `journal restore`."""

from __future__ import annotations

import json

import click

from journal.changing import Changes
from journal.commands.logging import confirm_similar_on_terminal, echo_timing_notes, refuse_future
from journal.commands.reflecting import complete_emotions, complete_templates, refuse_future_reflection
from journal.completion import complete_ids, complete_tags
from journal.context import AppContext, pass_app
from journal.emotions import find_emotions
from journal.entries import get_entry
from journal.errors import InputError
from journal.kinds import SESSION_KINDS
from journal.options import ENTRY_ID, entry_id_argument, session_field_options

json_option = click.option("--json", "as_json", is_flag=True, help="Print the resulting record as JSON.")


def changes_in_editor(record: dict) -> Changes | None:
    """A reflection's body (or a session's note) edited in $EDITOR; ``None`` when nothing changed."""
    from journal.editor import edit_text

    field = "body" if record["kind"] == "reflection" else "note"
    old = (record[field] or "").rstrip()
    saved = edit_text(old + "\n" if old else "", filename=f"{field}.md").rstrip()
    if saved == old:
        click.echo("Nothing changed.", err=True)
        return None
    if field == "body" and not saved.strip():
        click.echo(f"Nothing changed: the reflection was left empty; to delete it, use `journal rm {record['id']}`.",
                   err=True)
        return None
    return Changes(**{field: saved})


# The fields of a session that a countersignature covers (its digest changes with any of them).
SIGNED_FIELDS = ("at", "minutes", "person", "mode", "format", "group_size", "client", "shared")


def warn_countersigned(app: AppContext, dates: list[str]) -> None:
    """Say, before writing, that a change on ``dates`` falls in a countersigned period (nothing is refused)."""
    from journal.signoffs.store import touched

    for warning in touched(app.journal, dates):
        click.echo(f"Note: {warning}.", err=True)


def warn_if_signed(app: AppContext, record: dict) -> None:
    if record["kind"] in SESSION_KINDS and record["shared"]:
        warn_countersigned(app, [record["date"]])


def _echo_record(record: dict, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(record, ensure_ascii=False))


@click.command()
@entry_id_argument
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
def edit(app: AppContext, entry_id, duration, when, person, new_person, mode, format_, group_size, client,
         setting, paid, title, tags, no_tags, note, body, template_name, on_id, shared, emotion_words, no_emotions,
         allow_future, again, as_json) -> None:
    """Change an entry: the fields given as options, or with none, its text in $EDITOR.

    \b
    Examples:
      journal edit 12 --duration 1h --with "Dr Martin"
      journal edit 15 --title "Endings" --tag endings --tag rupture
      journal edit 15 --share
      journal edit 15 --emotion shame --emotion relief
      journal edit 15            (opens the reflection, or a session's note, in $EDITOR)

    Checked like `journal log` and `journal reflect`: nothing is written unless all of it is valid.
    """
    from journal.changing import edit_entry

    if tags and no_tags:
        raise InputError("--tag and --no-tags contradict each other", "use one of them")
    if emotion_words and no_emotions:
        raise InputError("--emotion and --no-emotions contradict each other", "use one of them")
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
        at=at, minutes=minutes, person=person, mode=mode, format=format_, group_size=group_size,
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
    what = ": " + ", ".join(changed) if changed else " (it already said so)"
    click.echo(f"Updated {after['kind']} #{entry_id}{what}.", err=True)
    if after["kind"] != "reflection" and (at is not None or minutes is not None):
        echo_timing_notes(app, after)
    _echo_record(after, as_json)


@click.command()
@entry_id_argument
@json_option
@pass_app
def rm(app: AppContext, entry_id: int, as_json: bool) -> None:
    """Delete an entry (softly: `journal restore ID` brings it back).

    \b
    Example:
      journal rm 12
    """
    from journal.changing import delete_entry

    warn_if_signed(app, get_entry(app.journal, entry_id))
    record = delete_entry(app.journal, entry_id)
    click.echo(f"Deleted {record['kind']} #{entry_id} of {record['date']}; "
               f"undo with `journal restore {entry_id}`.", err=True)
    _echo_record(record, as_json)


@click.command()
@entry_id_argument
@json_option
@pass_app
def restore(app: AppContext, entry_id: int, as_json: bool) -> None:
    """Bring back an entry removed with `journal rm`.

    \b
    Example:
      journal restore 12
    """
    from journal.changing import restore_entry

    warn_if_signed(app, get_entry(app.journal, entry_id, include_deleted=True))
    record = restore_entry(app.journal, entry_id)
    click.echo(f"Restored {record['kind']} #{entry_id} of {record['date']}.", err=True)
    _echo_record(record, as_json)
