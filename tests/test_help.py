"""Every command and subcommand has --help with an example, and is in the README's command reference."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from journal.cli import COMMANDS, cli

README = Path(__file__).resolve().parent.parent / "README.md"


def command_paths() -> list[tuple[str, ...]]:
    """("log",), ("db", "path"), ...: every command the `journal` group offers, subcommands included."""
    ctx = click.Context(cli)
    paths: list[tuple[str, ...]] = []

    def walk(group: click.Group, prefix: tuple[str, ...]) -> None:
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            paths.append(prefix + (name,))
            if isinstance(command, click.Group):
                walk(command, prefix + (name,))

    walk(cli, ())
    return paths


PATHS = command_paths()


def reference_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Command reference")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def test_every_registered_command_exists():
    assert sorted(path[0] for path in PATHS if len(path) == 1) == sorted(COMMANDS)


@pytest.mark.parametrize("path", PATHS, ids=" ".join)
def test_help_has_a_description_and_an_example(run, path):
    result = run(*path, "--help")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert re.match(rf"Usage: \S+ {re.escape(' '.join(path))}\b", text)
    description = text.split("\n\n", 2)[1].strip()
    assert len(description) > 15, f"`journal {' '.join(path)}` needs a one-line description"
    assert re.search(r"^\s+Examples?:", text, re.M) or "Example" in text, f"no example in {path}"
    assert re.search(rf"^\s+journal( --db \S+)? {re.escape(' '.join(path))}\b", text, re.M), \
        f"`journal {' '.join(path)} --help` should show the command itself in an example"


def test_the_group_help_lists_completion_and_examples(run):
    text = run("--help").stdout
    assert "_JOURNAL_COMPLETE=bash_source journal" in text
    assert "journal log therapy 50m" in text


@pytest.mark.parametrize("path", PATHS, ids=" ".join)
def test_every_command_is_in_the_readme_reference(path):
    assert f"journal {' '.join(path)}" in reference_section(), \
        f"document `journal {' '.join(path)}` under '## Command reference' in README.md"


def test_readme_documents_shell_completion_for_each_shell():
    section = reference_section()
    for shell in ("bash_source", "zsh_source", "fish_source"):
        assert f"_JOURNAL_COMPLETE={shell} journal" in section
