"""The ``journal`` command: a thin Click layer over the functions in ``journal/*.py``.

Commands live in ``journal/commands/`` grouped by area and are imported only when used,
so ``journal log`` never pays for Datasette or sqlite-utils.
"""

from __future__ import annotations

import gc

from journal.collector import collector_paused

# What these load lives as long as the process: collecting cycles while it loads is wasted work.
with collector_paused():
    import importlib
    import importlib.util
    import os
    import re
    import sqlite3
    import sys

    import click

    from journal import __version__
    from journal.completion import install_completion
    from journal.context import CREATES_JOURNAL, AppContext
    from journal.db import is_locked, locked_error
    from journal.errors import EXIT_OPERATIONAL, EXIT_USAGE, JournalError
    from journal.i18n import _, activated
    from journal.localize import choose_startup_language, localize_command

# command name -> "module:attribute"; a module that does not exist yet is simply not listed.
COMMANDS: dict[str, str] = {
    "init": "journal.commands.setup:init",
    "config": "journal.commands.setup:config",
    "log": "journal.commands.logging:log",
    "start": "journal.commands.running:start",
    "stop": "journal.commands.running:stop",
    "status": "journal.commands.running:status",
    "cancel": "journal.commands.running:cancel",
    "reflect": "journal.commands.reflecting:reflect",
    "templates": "journal.commands.reflecting:templates",
    "list": "journal.commands.reading:list_",
    "show": "journal.commands.reading:show",
    "search": "journal.commands.reading:search",
    "report": "journal.commands.reading:report",
    "people": "journal.commands.reading:people",
    "clients": "journal.commands.reading:clients",
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
        command = getattr(importlib.import_module(module_name), attribute, None)
        return localize_command(command) if command is not None else None

    def main(self, args=None, *more, **options):
        """Choose the language (the journal's setting, else the locale) before Click reads anything."""
        arguments = list(sys.argv[1:] if args is None else args)
        if os.environ.get("_JOURNAL_COMPLETE"):
            install_completion()
        with activated(choose_startup_language(arguments)):
            localize_command(self)
            return super().main(arguments, *more, **options)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["journal.typed"] = list(args)  # for messages about what was typed
        if not args and self.no_args_is_help and not ctx.resilient_parsing:
            click.echo(ctx.get_help())  # `journal` alone: its help on stdout, not an error
            ctx.exit(0)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        try:
            result = super().invoke(ctx)
            app = ctx.find_object(AppContext)
            if app is not None and app.created and ctx.invoked_subcommand not in ("init", "demo"):
                click.echo(_("(A new journal was created at {path}.)").format(path=app.db_path), err=True)  # a mistyped --db shows
            return result
        except JournalError as exc:
            click.echo(_("Error: {message}").format(message=exc.one_line()), err=True)
            ctx.exit(exc.exit_code)
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.ctx.get_help())  # `journal db` alone: its help, as `journal` alone gives
            ctx.exit(0)
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
            click.echo(_("Error: {message}").format(message=message), err=True)
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
        return _("the journal could not be read or written ({error}); run `journal db check`").format(
            error=exc), EXIT_OPERATIONAL
    if isinstance(exc, OverflowError):
        return _("a number on the command line is too large; check the ids and counts typed"), EXIT_USAGE
    if isinstance(exc, UnicodeDecodeError):
        return _("a file is not valid UTF-8; convert it, e.g. with iconv -t UTF-8"), EXIT_OPERATIONAL
    if isinstance(exc, UnicodeError):
        return _("the command line holds bytes that are not valid UTF-8; retype that text"), EXIT_USAGE
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
    ctx.obj = AppContext(db_option=db, may_create=ctx.invoked_subcommand in CREATES_JOURNAL)
    if passphrase_stdin:
        ctx.obj.read_passphrase_line()


def main() -> None:
    """Console-script entry point. On a terminal, stored text is shown escaped (journal.terminal)."""
    from journal.terminal import guard_stdout

    gc.freeze()  # what is loaded by now lives as long as the process: no collection, nor the one at exit, rescans it
    sys.stdout = guard_stdout(sys.stdout)
    sys.exit(cli.main(prog_name="journal"))
