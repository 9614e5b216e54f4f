"""Prompt cards and emotions: `journal cards` (list, draw, show, stats) and `journal emotions`."""

from __future__ import annotations

import json
from textwrap import fill

import click

from journal.context import AppContext, pass_app
from journal.language import LANGUAGES
from journal.output import emit, output_options
from journal.i18n import N_, _, activated

INTENSITY_WORDS = {"mild": N_("mild"), "basic": N_("basic"), "strong": N_("strong"), "blend": N_("blend")}

lang_option = click.option("--lang", type=click.Choice(LANGUAGES), default=None,
                           help="Language of the texts (default: your `language` setting, else $LANG).")


def load_app_deck(app: AppContext):
    """The shipped deck and your own cards, with one warning line per card that could not be used."""
    from journal.cards import load_deck, user_folder

    deck = load_deck(user_folder(app.db_path))
    for problem in deck.problems:
        click.echo(_("Warning: {problem}").format(problem=problem), err=True)
    return deck


def complete_cards(ctx, param, incomplete: str):
    from click.shell_completion import CompletionItem

    from journal.cards import load_deck, user_folder
    from journal.paths import resolve_db_path

    deck = load_deck(user_folder(resolve_db_path(ctx.find_root().params.get("db"))))
    choices = [*deck.cards, "random"] if param.name == "card_ref" else list(deck.cards)
    return [CompletionItem(c) for c in choices if c.startswith(incomplete.lower())]


def complete_themes(ctx, param, incomplete: str):
    from click.shell_completion import CompletionItem

    from journal.cards import load_deck

    return [CompletionItem(t) for t in load_deck().themes if t.startswith(incomplete.lower())]


def card_text(record: dict, deck, lang: str) -> str:
    """A card for reading in the terminal: title, theme, scene and the three exercises' questions."""
    lines = [f"{record['title']}  [{record['id']} · {record['theme_name']}]", "", fill(record["scene"], width=88)]
    if record["image"]:
        lines += ["", f"Picture: {record['image']}"]
    for name, spec in deck.exercises.items():
        if record[name]:
            lines += ["", f"{spec.title[lang]} ({name})", fill(record[name], width=88, initial_indent="  ",
                                                                 subsequent_indent="  ")]
    return "\n".join(lines)


@click.group(invoke_without_command=True)
@click.option("--theme", metavar="T", shell_complete=complete_themes, help="Only the cards of this theme.")
@lang_option
@output_options
@pass_app
@click.pass_context
def cards(ctx: click.Context, app: AppContext, theme: str | None, lang: str | None, fmt: str) -> None:
    """The prompt cards for reflection: list them, draw one, show one, see their use.

    Each card is a short scene with a theme and three exercises: perspective (imagine yourself
    into it), story (the experience it matches) and emotion (name what it shows). Your own cards
    are YAML files in the `cards` folder beside your journal (see the README).

    \b
    Examples:
      journal cards --theme loss
      journal cards draw
      journal cards show empty-chair --lang fr
      journal reflect --card random --exercise perspective
    """
    if ctx.invoked_subcommand is not None:
        return
    from journal.language import choose_language

    deck = load_app_deck(app)
    lang = choose_language(lang, app.journal_if_any)
    rows = [card.as_record(lang, deck) for card in deck.by_theme(theme)]
    emit(rows, fmt, ("id", "theme_name", "title", "origin") if fmt == "table" else None,
         headers={"theme_name": "theme"}, widths={"title": 40})


@cards.command()
@click.option("--theme", metavar="T", shell_complete=complete_themes, help="Draw from this theme only.")
@lang_option
@click.option("--json", "as_json", is_flag=True, help="Print the card as one JSON object.")
@pass_app
def draw(app: AppContext, theme: str | None, lang: str | None, as_json: bool) -> None:
    """Draw a card you have not drawn nor used in the last 30 days.

    \b
    Examples:
      journal cards draw
      journal cards draw --theme belonging
    """
    from journal.cards import draw as draw_card
    from journal.language import choose_language

    deck = load_app_deck(app)
    lang = choose_language(lang, app.journal)
    record = draw_card(app.journal, deck, theme).as_record(lang, deck)
    if as_json:
        click.echo(json.dumps(record, indent=2, ensure_ascii=False))
        return
    click.echo(card_text(record, deck, lang))
    click.echo(_("\nReflect on it: journal reflect --card {id} --exercise perspective").format(id=record['id']), err=True)


@cards.command()
@click.argument("card_id", metavar="ID", shell_complete=complete_cards)
@lang_option
@click.option("--json", "as_json", is_flag=True, help="Print the card as one JSON object.")
@pass_app
def show(app: AppContext, card_id: str, lang: str | None, as_json: bool) -> None:
    """Show one card: its scene and the question of each exercise.

    \b
    Examples:
      journal cards show empty-chair
      journal cards show empty-chair --lang fr --json
    """
    from journal.language import choose_language

    deck = load_app_deck(app)
    lang = choose_language(lang, app.journal_if_any)
    record = deck.get(card_id).as_record(lang, deck)
    if as_json:
        click.echo(json.dumps(record, indent=2, ensure_ascii=False))
    else:
        click.echo(card_text(record, deck, lang))


@cards.command()
@output_options
@pass_app
def stats(app: AppContext, fmt: str) -> None:
    """How each card has been used: client sessions, distinct clients, reflections, last use.

    Clients are counted, never named: the codes stay in your journal. Log a card used in a
    session with `journal log practice 50m --client C014 --card empty-chair`.

    \b
    Examples:
      journal cards stats
      journal cards stats --csv
    """
    from journal.cards import card_stats

    emit(card_stats(app.journal), fmt, ("card", "sessions", "clients", "reflections", "last_used"),
         headers={"last_used": "last used"},
         empty=N_("No card used yet: `journal reflect --card random` or `journal log practice ... --card ID`."))


@click.command()
@click.option("--family", metavar="F", help="Only this family (joy, trust, fear, surprise, sadness, disgust, "
                                            "anger, anticipation) or 'blend'.")
@lang_option
@output_options
@pass_app
def emotions(app: AppContext, family: str | None, lang: str | None, fmt: str) -> None:
    """The emotion vocabulary for `journal reflect --emotion`: eight families, milder and stronger forms, blends.

    \b
    Examples:
      journal emotions
      journal emotions --family sadness --lang fr
      journal reflect --emotion shame --emotion relief
    """
    from journal.emotions import vocabulary
    from journal.errors import InputError
    from journal.language import choose_language

    vocab = vocabulary()
    lang = choose_language(lang, app.journal_if_any)
    words = list(vocab.words.values())
    if family is not None:
        key = family.strip().lower()
        words = [w for w in words if w.family == key or (key != "blend" and key in w.of)]
        if not words:
            raise InputError(_("no family {family!r}").format(family=family), _("use one of {choices}").format(choices=", ".join([*vocab.families, "blend"])))
    rows = [w.as_record(lang) for w in words]
    with activated(lang):
        if fmt == "table":  # what a person reads: families and blends by their names in the language
            for row in rows:
                row["of"] = " + ".join(vocab.families[f][lang] for f in row["of"])
                row["family"] = vocab.families[row["family"]][lang] if row["family"] in vocab.families else _("blend")
                row["intensity"] = _(INTENSITY_WORDS[row["intensity"]])
        emit(rows, fmt, ("name", "family", "intensity", "of") if fmt == "table" else None)
