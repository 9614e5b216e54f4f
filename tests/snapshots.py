"""Journals built once per test process and copied into each test that asks for one.

Building a journal with a supervisor login costs two deliberately slow key derivations (PBKDF2
and scrypt, about 0.2 s); a fixture that builds one for each of a hundred tests spends most of
`make test-fast` there. The first test that asks builds the journal for real; every later one gets
an exact copy of its pages (SQLite's backup API) and the same returned value.
"""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from journal.db import Journal, connect
from journal.paths import create_private_file, ensure_private_dir

T = TypeVar("T")

_built: dict[str, tuple[sqlite3.Connection, object]] = {}  # name: (the pages, in memory; the value)


def _keep(name: str, source: sqlite3.Connection, value: T) -> T:
    pages = sqlite3.connect(":memory:")
    source.backup(pages)
    _built[name] = (pages, value)
    return copy.deepcopy(value)


def _is_empty(conn: sqlite3.Connection) -> bool:
    return all(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
               for table in ("entries", "supervisors", "settings"))


def into_journal(name: str, journal: Journal, build: Callable[[Journal], T]) -> T:
    """``build(journal)`` on the just-opened, empty ``journal`` once; later, the same pages and value."""
    assert _is_empty(journal.conn), f"{name}: a snapshot replaces the whole journal, so it must start empty"
    if name not in _built:
        return _keep(name, journal.conn, build(journal))
    pages, value = _built[name]
    pages.backup(journal.conn)
    return copy.deepcopy(value)


def at_path(name: str, path: Path, build: Callable[[], T]) -> T:
    """``build()``, which writes a new journal at ``path``, once; later, a copy of it at ``path``."""
    assert not path.exists(), f"{name}: a snapshot is a new journal, and {path} exists"
    if name not in _built:
        value = build()
        source = connect(path)
        try:
            return _keep(name, source, value)
        finally:
            source.close()
    ensure_private_dir(path.parent)
    create_private_file(path)
    pages, value = _built[name]
    target = connect(path)
    try:
        pages.backup(target)
        target.execute("PRAGMA journal_mode = WAL")
    finally:
        target.close()
    return copy.deepcopy(value)
