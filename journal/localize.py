"""The command line in the practitioner's language: which language, and Click's help texts in it."""

from __future__ import annotations

import inspect

import click

from journal.i18n import _, locale_language, stored_language

_ENGLISH = "_journal_english"  # attribute keeping a command's or option's English text


def choose_startup_language(arguments: list[str]) -> str:
    """The journal's ``language`` setting (of ``--db`` or the default journal), else the locale's."""
    from journal.paths import resolve_db_path

    db_option = None
    for index, argument in enumerate(arguments):
        if argument == "--db" and index + 1 < len(arguments):
            db_option = arguments[index + 1]
            break
        if argument.startswith("--db="):
            db_option = argument.split("=", 1)[1]
            break
        if not argument.startswith("-"):
            break  # the command's name: --db is a global option, given before it
    return stored_language(resolve_db_path(db_option)) or locale_language()


def english_texts(item: click.Command | click.Parameter) -> dict[str, str]:
    """The English help texts of a command or an option, as written in the code (normalised)."""
    stored = getattr(item, _ENGLISH, None)
    if stored is None:
        stored = {}
        for name in ("help", "short_help", "epilog"):
            text = getattr(item, name, None)
            if isinstance(text, str) and text.strip():
                stored[name] = inspect.cleandoc(text)
        setattr(item, _ENGLISH, stored)
    return stored


def localize_command(command: click.Command) -> click.Command:
    """Set the help texts of ``command``, its options and its subcommands in the active language."""
    for item in (command, *command.params):
        for name, english in english_texts(item).items():
            setattr(item, name, _(english))
    command._help_option = None  # Click keeps its --help option, worded in the language of its first use
    for sub in getattr(command, "commands", {}).values():
        localize_command(sub)
    return command


def walk_texts(command: click.Command) -> list[str]:
    """Every help text of ``command`` and below, for the catalogue."""
    texts = []
    for item in (command, *command.params):
        texts.extend(english_texts(item).values())
    for sub in getattr(command, "commands", {}).values():
        texts.extend(walk_texts(sub))
    return texts
