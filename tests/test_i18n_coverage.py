"""Every sentence the command line prints or raises goes through the catalogue: a literal English string
handed to click.echo, a prompt or one of our errors without _() fails this test, naming the line."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "journal"
PLUGINS = PACKAGE.parent / "datasette_plugins"  # the supervisor site's routes, errors and forms
SPEAKERS = {"InputError", "JournalError", "ProfileError", "UsageError", "BadParameter", "ClickException",
            "echo", "secho", "confirm", "prompt", "_BadCard", "malformed", "wrong_shape",
            # the supervisor's site: its outcomes, errors and the gate's own answers
            "Outcome", "NotFound", "Forbidden", "BadRequest", "RangeError", "_answer", "_refused",
            # a profile file's problems: where.fail(field, problem, hint), _date(where, data, key, problem, hint)
            "fail", "_date"}
# Which arguments speak to the user (the others are file names, formats, data).
SPOKEN = {"malformed": slice(1, 4), "wrong_shape": slice(3, 4), "Outcome": slice(1, 2), "_answer": slice(2, 3),
          "_refused": slice(2, 3), "fail": slice(1, 3), "_date": slice(3, 5)}
# catalogues.py is the developer's tool that builds the catalogues.
NOT_YET = {"catalogues.py"}


def _wrapped(tree: ast.AST) -> set[int]:
    inside = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_", "ngettext"):
            inside.update(id(sub) for sub in ast.walk(node))
    return inside


def _plain_english(arg: ast.AST, wrapped: set[int]) -> list[ast.Constant]:
    found, skip = [], set()
    for node in ast.walk(arg):
        if isinstance(node, ast.Subscript):
            skip.update(id(sub) for sub in ast.walk(node.slice))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr != "format":
            skip.update(id(sub) for a in node.args for sub in ast.walk(a))  # keys and identifiers, not prose
        if isinstance(node, ast.Dict):
            skip.update(id(key) for key in node.keys if key is not None)
    for node in ast.walk(arg):
        if id(node) in wrapped or id(node) in skip:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.search(r"[A-Za-z]{3}", node.value):
            found.append(node)
    return found


def test_no_literal_english_reaches_the_user():
    untranslated = []
    for path in sorted([*PACKAGE.rglob("*.py"), *PLUGINS.glob("*.py")]):
        relative = path.relative_to(PACKAGE.parent).as_posix().removeprefix("journal/")
        if relative in NOT_YET:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        wrapped = _wrapped(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in SPEAKERS:
                continue
            for arg in node.args[SPOKEN.get(name, slice(0, 2))]:
                untranslated += [f"{relative}:{c.lineno}: {c.value!r}" for c in _plain_english(arg, wrapped)]
    assert untranslated == []
