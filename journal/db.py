"""Opening the journal: pragmas, the schema check on the hot path, transactions.

The hot path uses the standard library's ``sqlite3`` only: ``PRAGMA user_version`` says
whether the schema is current, so sqlite-utils (and its import cost) is loaded only when
a migration is pending or a heavy command needs it.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from journal.errors import JournalError
from journal.paths import create_private_file, ensure_private_dir
from journal.i18n import _

# The number of migrations in journal/migrations.py; each one sets user_version to its number.
SCHEMA_VERSION = 11
BUSY_TIMEOUT_MS = 15_000


class Journal:
    """An open journal file: a sqlite3 connection in autocommit mode plus helpers."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path

    def execute(self, sql: str, params: tuple | list | dict = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def query(self, sql: str, params: tuple | list | dict = ()) -> list[dict]:
        """Run a query and return its rows as dictionaries."""
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Journal]:
        """One write transaction (BEGIN IMMEDIATE): all of it is written or none of it."""
        if self.conn.in_transaction:
            yield self
            return
        _locked_guard(lambda: self.conn.execute("BEGIN IMMEDIATE"))
        try:
            yield self
        except BaseException:
            # An error such as SQLITE_FULL may have rolled the transaction back already.
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            _locked_guard(lambda: self.conn.execute("COMMIT"))

    def close(self) -> None:
        self.conn.close()

    def sqlite_utils(self):
        """The same connection wrapped as a ``sqlite_utils.Database`` (imports it lazily)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn, execute_plugins=False)


def is_locked(exc: sqlite3.OperationalError) -> bool:
    """Whether SQLite gave up waiting for another program's lock (after the busy timeout)."""
    return "locked" in str(exc) or "busy" in str(exc)


def locked_error() -> JournalError:
    return JournalError(_("the journal is locked by another program"), _("close it or try again in a moment"))


def _locked_guard(action):
    try:
        return action()
    except sqlite3.OperationalError as exc:
        if is_locked(exc):
            raise locked_error() from None
        raise


def connect(path: Path) -> sqlite3.Connection:
    """Open a connection with the journal's pragmas (WAL, busy timeout, foreign keys)."""
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def open_journal(path: Path, *, create: bool = True) -> Journal:
    """Open (and if needed create or upgrade) the journal at ``path``."""
    path = Path(path)
    is_new = not path.exists() or path.stat().st_size == 0
    if is_new:
        if not create:
            raise JournalError(_("no journal at {path}").format(path=path), _("run `journal init` or pass --db PATH"))
        ensure_private_dir(path.parent)
        create_private_file(path)
    try:
        conn = connect(path)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise JournalError(_("{path} is not a journal database ({exc})").format(path=path, exc=exc), _("check the --db path")) from None
    if version > SCHEMA_VERSION:
        conn.close()
        raise JournalError(
            _("{path} was written by a newer version of journal (schema {version}, this one knows {SCHEMA_VERSION}); nothing was changed").format(path=path, version=version, SCHEMA_VERSION=SCHEMA_VERSION),
            _("upgrade with `pip install -U practice-journal`"),
        )
    try:
        if is_new or conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            _locked_guard(lambda: conn.execute("PRAGMA journal_mode = WAL"))
        if version < SCHEMA_VERSION:
            from journal.migrations import upgrade

            _locked_guard(lambda: upgrade(conn, path, backup=not is_new and version > 0))
    except BaseException:
        conn.close()  # releases any lock a failed upgrade still held
        raise
    return Journal(conn, path)
