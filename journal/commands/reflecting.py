"""Reflecting: `journal reflect` writes a reflection; `journal templates` shows the models."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone

import click

from journal.commands.cards import complete_cards, load_app_deck
from journal.completion import complete_choices, complete_ids, complete_tags
from journal.emotions import find_emotions
from journal.entry_links import EXERCISES
from journal.context import AppContext, pass_app
from journal.errors import InputError
from journal.options import ENTRY_ID
from journal.output import emit, output_options
from journal.templates import FRENCH_NAMES, TEMPLATE_NAMES, Template, get_template
from journal.i18n import _

complete_templates = complete_choices(TEMPLATE_NAMES + tuple(FRENCH_NAMES.values()))


def refuse_future_reflection(at: datetime) -> None:
    if at > datetime.now(timezone.utc):
        raise InputError(
            _("{at:%Y-%m-%d %H:%M} is in the future, and a reflection looks back").format(at=at),
            _("leave out --at to date it now, or give a past date such as 'yesterday 18:00'"),
        )


def write_in_editor(template: Template) -> str | None:
    """The reflection written in $EDITOR from ``template``; ``None`` when left empty or unchanged."""
    from journal.editor import edit_text
    from journal.templates import editor_text, strip_guidance

    initial = editor_text(template)
    saved = edit_text(initial, filename="reflection.md")
    if saved.strip() == initial.strip():
        click.echo(_("Nothing written: the template was left unchanged."), err=True)
        return None
    body = strip_guidance(saved)
    if not body:
        click.echo(_("Nothing written: the reflection was left empty."), err=True)
        return None
    return body


def start_from_card(app: AppContext, card_ref: str, exercise: str | None):
    """The card (drawn, for 'random') and the editor's template for it and the exercise."""
    from journal.cards import card_template, draw
    from journal.language import choose_language

    deck = load_app_deck(app)
    card = draw(app.journal, deck) if card_ref.strip().lower() == "random" else deck.get(card_ref)
    lang = choose_language(None, app.journal)
    click.echo(_("Card: {text} ({id}).").format(text=card.text('title', lang), id=card.id), err=True)
    return card, card_template(card, deck, exercise, lang)


def complete_emotions(ctx, param, incomplete: str) -> list:
    from click.shell_completion import CompletionItem

    from journal.emotions import vocabulary

    return [CompletionItem(word) for word in vocabulary().complete(incomplete)]


@click.command()
@click.option("--template", "template_name", metavar="NAME", shell_complete=complete_templates,
              help="A reflective model for the editor's headings: " + ", ".join(TEMPLATE_NAMES) + ".")
@click.option("--on", "on_id", type=ENTRY_ID, metavar="ID", shell_complete=complete_ids,
              help="The session (or entry) this reflection is about.")
@click.option("--share", is_flag=True,
              help="Share it with your supervisors (never possible for personal therapy).")
@click.option("--title", metavar="T", help="A short title.")
@click.option("--tag", "tags", multiple=True, metavar="T", shell_complete=complete_tags,
              help="A tag (repeatable).")
@click.option("--at", "when", metavar="WHEN", default="now", show_default=True,
              help="When you reflected: 'yesterday 18:00', '2026-03-03 20:00'. Not in the future.")
@click.option("-m", "--message", metavar="TEXT", help="The reflection itself, instead of the editor.")
@click.option("-e", "--edit", "force_editor", is_flag=True,
              help="Open the editor even when standard input is not a terminal.")
@click.option("--card", "card_ref", metavar="ID|random", shell_complete=complete_cards,
              help="Start from a prompt card (`journal cards`), or draw one with 'random'.")
@click.option("--exercise", type=click.Choice(EXERCISES),
              help="With --card: perspective (step into it), story (your own) or emotion (name it). "
                   "Default: the card's three questions.")
@click.option("--emotion", "emotion_words", multiple=True, metavar="WORD", shell_complete=complete_emotions,
              help="An emotion you name in it, English or French (repeatable; `journal emotions` lists them).")
@click.option("--json", "as_json", is_flag=True, help="Print the stored record as JSON.")
@pass_app
def reflect(app: AppContext, template_name, on_id, share, title, tags, when, message, force_editor,
            card_ref, exercise, emotion_words, as_json) -> None:
    """Write a reflection: from -m, from standard input, or in $EDITOR with a template's headings.

    \b
    Examples:
      journal reflect --template gibbs --on 12
      journal reflect -m "Noticed I rushed the ending again." --tag endings
      journal reflect --template rolfe --title "Rupture with C014" < draft.md
      journal reflect --template prompt-card --share
      journal reflect --card random --exercise perspective --emotion grief

    Reflections are private unless --share. In the editor, lines in <!-- --> are guidance and
    are removed; an empty or unchanged file writes nothing (exit 0). `journal templates` lists
    the models.
    """
    from journal.dates import parse_when
    from journal.entries import ReflectionInput, add_reflection, check_reflection_target

    if message is not None and force_editor:
        raise InputError(_("-m and --edit both give the text"), _("use one of them"))
    if card_ref and template_name:
        raise InputError(_("--card opens the card's own headings"), _("drop --template"))
    if exercise and not card_ref:
        raise InputError(_("--exercise goes with a card"), _("add --card ID, or --card random"))
    template = get_template("prompt-card" if card_ref else template_name) if card_ref or template_name else None
    at = parse_when(when, app.zone, dayfirst=app.dayfirst).at
    refuse_future_reflection(at)
    emotions = find_emotions(emotion_words)
    if on_id is not None:
        from journal.refs import resolve

        on_id = resolve(app.journal, on_id)
        check_reflection_target(app.journal, on_id, share)  # before any writing in the editor
    card = editor_template = None
    if card_ref:
        card, editor_template = start_from_card(app, card_ref, exercise)
    if message is not None:
        body = message
    elif not force_editor and not sys.stdin.isatty():
        body = sys.stdin.read().rstrip()
    else:
        body = write_in_editor(editor_template or template or get_template("free"))
        if body is None:
            return
    record = add_reflection(
        app.journal,
        ReflectionInput(body=body, at=at, title=title, template=template.name if template else None,
                        on=on_id, tags=list(tags), shared=share, card=card.id if card else None,
                        exercise=exercise, emotions=emotions),
    )
    seen_by = _("shared with your supervisors") if record["shared"] else _("private")
    if on_id is not None:
        saved = _("Saved reflection #{id} on #{on} ({seen_by}).")
    else:
        saved = _("Saved reflection #{id} ({seen_by}).")
    if card is not None:
        source = _("from card {card} ({exercise})") if exercise else _("from card {card}")
        saved = saved[:-1] + " " + source.format(card=card.id, exercise=exercise) + "."
    click.echo(saved.format(id=record["id"], on=on_id, seen_by=seen_by), err=True)
    if as_json:
        click.echo(json.dumps(record, ensure_ascii=False))


@click.command()
@click.argument("name", required=False, shell_complete=complete_templates)
@output_options
def templates(name: str | None, fmt: str) -> None:
    """List the reflective templates, or print one of them.

    \b
    Examples:
      journal templates
      journal templates gibbs
      journal templates --json

    With NAME, --json gives the template as one object and --csv its headings and questions.
    """
    from journal.templates import TEMPLATES, show_text

    if name is None:
        rows = [t.as_record() for t in TEMPLATES]
        if fmt == "table":
            rows = [dict(row, name=t.local_name()) for row, t in zip(rows, TEMPLATES)]
        emit(rows, fmt, ("name", "title", "description") if fmt == "table" else None,
             widths={"description": 90})
        return
    template = get_template(name)
    if fmt == "table":
        click.echo(show_text(template))
    elif fmt == "json":
        click.echo(json.dumps(template.as_record(questions=True), indent=2, ensure_ascii=False))
    else:
        emit(template.as_record(questions=True)["sections"], fmt)
