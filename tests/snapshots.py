"""Journals built once per test process and copied into each test that asks for one.

Building a journal with a supervisor login costs two deliberately slow key derivations (PBKDF2
and scrypt, about 0.2 s); a fixture that builds one for each of a hundred tests spends most of
`make test-fast` there. The first test that asks builds the journal for real; every later one gets
an exact copy of it and the same returned value. A name stands for one way of building: give a
different name to anything built differently (another storage, other settings).
"""

from __future__ import annotations

import atexit
import copy
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from journal.db import Journal
from journal.paths import create_private_file, ensure_private_dir

T = TypeVar("T")

_files: dict[str, tuple[Path, object]] = {}  # name: (a copy of the file built, the value)
_pages: dict[str, tuple[sqlite3.Connection, object]] = {}  # name: (its pages in memory, the value)
_folder: Path | None = None  # where the copies are kept: made on first use, removed at exit


def _snapshot_folder() -> Path:
    global _folder
    if _folder is None:
        _folder = Path(tempfile.mkdtemp(prefix="journal-snapshots-"))
        atexit.register(shutil.rmtree, _folder, True)
    return _folder


def at_path(name: str, path: Path, build: Callable[[], T]) -> T:
    """``build()``, which makes a new journal at ``path`` and closes it, once; later, a copy of that
    file at ``path`` (plain or encrypted alike: the file is all there is)."""
    assert not path.exists(), f"{name}: a snapshot is a new journal, and {path} exists"
    if name not in _files:
        value = build()
        assert not Path(f"{path}-wal").exists(), f"{name}: close the journal before it is copied"
        kept = _snapshot_folder() / f"{len(_files)}.db"
        shutil.copyfile(path, kept)
        _files[name] = (kept, value)
        return copy.deepcopy(value)
    kept, value = _files[name]
    ensure_private_dir(path.parent)
    create_private_file(path)
    shutil.copyfile(kept, path)
    return copy.deepcopy(value)


def into_journal(name: str, journal: Journal, build: Callable[[Journal], T]) -> T:
    """``build(journal)`` on the just-opened, empty ``journal`` once; later, the same pages (SQLite's
    backup API, into the open connection) and value. Built every time on another kind of connection."""
    assert _is_empty(journal.conn), f"{name}: a snapshot replaces the whole journal, so it must start empty"
    if type(journal.conn) is not sqlite3.Connection:
        return build(journal)
    if name not in _pages:
        value = build(journal)
        pages = sqlite3.connect(":memory:")
        journal.conn.backup(pages)
        _pages[name] = (pages, value)
        return copy.deepcopy(value)
    pages, value = _pages[name]
    pages.backup(journal.conn)
    return copy.deepcopy(value)


def _is_empty(conn: sqlite3.Connection) -> bool:
    return all(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
               for table in ("entries", "supervisors", "settings"))
