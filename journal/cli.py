"""The ``journal`` command: a thin Click layer over the functions in ``journal/*.py``.

Commands live in ``journal/commands/`` grouped by area and are imported only when used,
so ``journal log`` never pays for Datasette or sqlite-utils.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import sqlite3
import sys

import click

from journal import __version__
from journal.context import AppContext
from journal.db import is_locked, locked_error
from journal.errors import EXIT_OPERATIONAL, EXIT_USAGE, JournalError

# command name -> "module:attribute"; a module that does not exist yet is simply not listed.
COMMANDS: dict[str, str] = {
    "init": "journal.commands.setup:init",
    "config": "journal.commands.setup:config",
    "log": "journal.commands.logging:log",
    "reflect": "journal.commands.reflecting:reflect",
    "templates": "journal.commands.reflecting:templates",
    "list": "journal.commands.reading:list_",
    "show": "journal.commands.reading:show",
    "search": "journal.commands.reading:search",
    "report": "journal.commands.reading:report",
    "people": "journal.commands.reading:people",
    "tags": "journal.commands.reading:tags",
    "edit": "journal.commands.changing:edit",
    "rm": "journal.commands.changing:rm",
    "restore": "journal.commands.changing:restore",
    "profiles": "journal.commands.rules:profiles",
    "check": "journal.commands.rules:check",
    "publish": "journal.commands.publishing:publish",
    "serve": "journal.commands.publishing:serve",
    "supervisor": "journal.commands.publishing:supervisor",
    "signoffs": "journal.commands.signoffs:signoffs",
    "verify": "journal.commands.signoffs:verify",
    "import": "journal.commands.data:import_",
    "export": "journal.commands.data:export",
    "statement": "journal.commands.data:statement",
    "db": "journal.commands.maintenance:db",
    "lock": "journal.commands.encrypting:lock",
    "unlock": "journal.commands.encrypting:unlock",
    "demo": "journal.commands.maintenance:demo",
    "cards": "journal.commands.cards:cards",
    "emotions": "journal.commands.cards:emotions",
    "membership": "journal.commands.memberships:membership",
    "trust-statement": "journal.commands.trust:trust_statement",
}


class JournalGroup(click.Group):
    """Loads commands lazily and turns our errors into one line and a documented exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(
            name for name, target in COMMANDS.items()
            if importlib.util.find_spec(target.split(":")[0]) is not None
        )

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        if importlib.util.find_spec(module_name) is None:
            return None
        return getattr(importlib.import_module(module_name), attribute, None)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["journal.typed"] = list(args)  # for messages about what was typed
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except JournalError as exc:
            click.echo(f"Error: {exc.one_line()}", err=True)
            ctx.exit(exc.exit_code)
        except click.NoSuchOption as exc:
            negative = negative_number(exc, ctx)
            if negative is not None:
                exc.message = negative
            raise
        except click.UsageError as exc:
            exc.message = " ".join(exc.message.split())  # one line, whatever was typed
            raise
        except (sqlite3.OperationalError, OverflowError, UnicodeError, OSError) as exc:
            if os.environ.get("JOURNAL_DEBUG"):
                raise
            message, code = describe_failure(exc)
            click.echo(f"Error: {message}", err=True)
            ctx.exit(code)


def negative_number(exc: click.NoSuchOption, ctx: click.Context) -> str | None:
    """What to say when Click took a negative number such as ``-50m`` for options (``-5``, ``-0``...)."""
    if not re.fullmatch(r"-[\d.,]", exc.option_name or ""):
        return None
    typed = next((arg for arg in ctx.meta.get("journal.typed", ()) if arg.startswith(exc.option_name)), exc.option_name)
    command = exc.ctx.command if exc.ctx else None
    if command is not None and any(param.name == "duration" for param in command.params):
        return f"duration {typed!r} is negative: a duration must be positive, e.g. {typed[1:]}"
    return f"{typed!r} is negative: numbers here must be positive, e.g. {typed[1:]}"


def describe_failure(exc: Exception) -> tuple[str, int]:
    """One line and an exit code for a failure that is not one of our own errors."""
    if isinstance(exc, sqlite3.OperationalError):
        if is_locked(exc):
            return locked_error().one_line(), EXIT_OPERATIONAL
        return f"the journal could not be read or written ({exc}); run `journal db check`", EXIT_OPERATIONAL
    if isinstance(exc, OverflowError):
        return "a number on the command line is too large; check the ids and counts typed", EXIT_USAGE
    if isinstance(exc, UnicodeDecodeError):
        return "a file is not valid UTF-8; convert it, e.g. with iconv -t UTF-8", EXIT_OPERATIONAL
    if isinstance(exc, UnicodeError):
        return "the command line holds bytes that are not valid UTF-8; retype that text", EXIT_USAGE
    return f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), EXIT_OPERATIONAL


@click.group(cls=JournalGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="journal")
@click.option(
    "--db",
    metavar="PATH",
    type=click.Path(dir_okay=False),
    help="The journal file (default: $JOURNAL_DB, else $JOURNAL_HOME/journal.db, else your app folder).",
)
@click.option(
    "--passphrase-stdin",
    is_flag=True,
    help="Read an encrypted journal's passphrase from the first line of standard input (for scripts).",
)
@click.pass_context
def cli(ctx: click.Context, db: str | None, passphrase_stdin: bool) -> None:
    """A private log of your personal therapy, supervision, client hours and reflections.

    \b
    Examples:
      journal log therapy 50m --at "yesterday 18:00" --with "Dr Martin"
      journal log supervision 1h30m --with Alice --format group --group-size 4
      journal reflect --template gibbs --on 12
      journal list --since "last monday"
      journal report --by month
      journal check --profile bacp-practice
      journal db encrypt                 # encrypt the journal at rest (SQLCipher)

    Shell completion: eval "$(_JOURNAL_COMPLETE=bash_source journal)"
    """
    ctx.obj = AppContext(db_option=db)
    if passphrase_stdin:
        ctx.obj.read_passphrase_line()


def main() -> None:
    """Console-script entry point. On a terminal, stored text is shown escaped (journal.terminal)."""
    from journal.terminal import guard_stdout

    sys.stdout = guard_stdout(sys.stdout)
    sys.exit(cli.main(prog_name="journal"))
