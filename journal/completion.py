"""Shell completion for kinds, people, tags, templates and ids (Click's completion system).

Enable it with ``eval "$(_JOURNAL_COMPLETE=bash_source journal)"`` (zsh: ``zsh_source``;
fish: ``_JOURNAL_COMPLETE=fish_source journal | source``).

zsh and fish quote what they insert; Click's bash script does not, so ``--with Ali<TAB>`` gave
``--with Alice Moreno``, two words. :func:`install_completion` escapes such values.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

import click

from journal.paths import resolve_db_path

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem


def _read_only(ctx: click.Context) -> sqlite3.Connection | None:
    root = ctx.find_root()
    path = resolve_db_path(root.params.get("db"))
    if not path.exists():
        return None
    try:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        return None


def _names(ctx: click.Context, sql: str, incomplete: str) -> list[CompletionItem]:
    conn = _read_only(ctx)
    if conn is None:
        return []
    try:
        rows = conn.execute(sql).fetchall()
    except sqlite3.Error:
        return []
    finally:
        conn.close()
    from click.shell_completion import CompletionItem

    lowered = incomplete.casefold()
    return [CompletionItem(name) for (name,) in rows if name.casefold().startswith(lowered)]


def complete_people(ctx, param, incomplete: str) -> list[CompletionItem]:
    from journal.names import client_only

    return _names(ctx, f"SELECT name FROM people WHERE NOT {client_only()} ORDER BY key", incomplete)


def complete_tags(ctx, param, incomplete: str) -> list[CompletionItem]:
    return _names(ctx, "SELECT name FROM tags ORDER BY key", incomplete)


def complete_clients(ctx, param, incomplete: str) -> list[CompletionItem]:
    return _names(ctx, "SELECT DISTINCT client_code FROM entries WHERE client_code IS NOT NULL "
                       "AND deleted_at IS NULL ORDER BY 1", incomplete)


def complete_ids(ctx, param, incomplete: str) -> list[CompletionItem]:
    conn = _read_only(ctx)
    if conn is None:
        return []
    try:
        rows = conn.execute(
            "SELECT id, kind, date, coalesce(title, '') FROM entries WHERE deleted_at IS NULL "
            "ORDER BY start_utc DESC LIMIT 50"
        ).fetchall()
    except sqlite3.Error:
        return []
    finally:
        conn.close()
    from click.shell_completion import CompletionItem

    latest = [CompletionItem("last", help="the entry written last")] if "last".startswith(incomplete) else []
    return latest + [
        CompletionItem(str(i), help=f"{kind} {day} {title}".strip())
        for i, kind, day, title in rows
        if str(i).startswith(incomplete)
    ]


def complete_choices(choices: tuple[str, ...]):
    def complete(ctx, param, incomplete: str) -> list[CompletionItem]:
        from click.shell_completion import CompletionItem

        return [CompletionItem(c) for c in choices if c.startswith(incomplete.lower())]

    return complete


def install_completion() -> None:
    """Use a bash completion that quotes values for ``_JOURNAL_COMPLETE=bash_source`` (called only when the
    shell asks for completions: Click's completion classes are not loaded otherwise)."""
    from click.shell_completion import BashComplete, add_completion_class

    class QuotingBashComplete(BashComplete):
        """Click's bash completion, with each value that holds a space or a shell character escaped
        (``Alice\\ Moreno``) so that the shell reads it back as one word."""

        source_template = BashComplete.source_template.replace(
            "COMPREPLY+=($value)",
            # (the template is %-formatted, so %% is one %)
            "if [[ $value == *[^A-Za-z0-9_.,:@+=/-]* ]]; then printf -v value '%%q' \"$value\"; fi\n"
            "            COMPREPLY+=(\"$value\")",
        )

    add_completion_class(QuotingBashComplete, "bash")
