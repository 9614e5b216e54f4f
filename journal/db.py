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
from typing import TYPE_CHECKING

from journal.errors import JournalError
from journal.paths import create_private_file, ensure_private_dir
from journal.i18n import _

if TYPE_CHECKING:
    from journal.encryption import CipherKey

# The number of migrations in journal/migrations.py; each one sets user_version to its number.
SCHEMA_VERSION = 11
BUSY_TIMEOUT_MS = 15_000


class Journal:
    """An open journal file: a sqlite3 connection in autocommit mode plus helpers.

    ``key`` is the SQLCipher key of an encrypted journal (``None`` for a plain one).
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, key: CipherKey | None = None):
        self.conn = conn
        self.path = path
        self.key = key

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    def connect_plain(self, path: Path) -> sqlite3.Connection:
        """An autocommit connection to a plain file that can ATTACH this journal (see :meth:`attach_sql`)."""
        if self.key is None:
            return sqlite3.connect(str(path), isolation_level=None)
        from journal.encryption import connect_cipher

        return connect_cipher(path, None, BUSY_TIMEOUT_MS / 1000)

    def attach_sql(self, alias: str) -> tuple[str, tuple]:
        """``ATTACH`` this journal as ``alias`` from a :meth:`connect_plain` connection: SQL and parameters."""
        if self.key is None:
            return f"ATTACH DATABASE ? AS {alias}", (str(self.path),)
        return f"ATTACH DATABASE ? AS {alias} KEY ?", (str(self.path), self.key.pragma)

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

    @contextlib.contextmanager
    def page_cache(self, kib: int) -> Iterator[None]:
        """The block with SQLite's page cache held to ``kib`` KiB (as it was, afterwards). A reader that
        meets each page once gains nothing from keeping it, and every page kept is new memory that the
        process first has to fault in (`journal check` reads about 4 MB of rollup and index pages)."""
        before = self.conn.execute("PRAGMA cache_size").fetchone()[0]
        self.conn.execute(f"PRAGMA cache_size = {-int(kib)}")
        try:
            yield
        finally:
            with contextlib.suppress(sqlite3.Error):  # a connection that failed keeps its own error
                self.conn.execute(f"PRAGMA cache_size = {int(before)}")

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


def connect(path: Path, key: CipherKey | None = None) -> sqlite3.Connection:
    """Open a connection with the journal's pragmas (busy timeout, foreign keys); SQLCipher's with a key."""
    if key is None:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    else:
        from journal.encryption import connect_cipher

        conn = connect_cipher(path, key, BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def open_journal(path: Path, *, create: bool = True, key: CipherKey | None = None) -> Journal:
    """Open (and if needed create or upgrade) the journal at ``path``.

    An encrypted journal needs its ``key``; a new file given a key is created encrypted.
    """
    path = Path(path)
    is_new = not path.exists() or path.stat().st_size == 0
    if is_new:
        if not create:
            raise JournalError(_("no journal at {path}").format(path=path), _("run `journal init` or pass --db PATH"))
        ensure_private_dir(path.parent)
        create_private_file(path)
    try:
        conn = connect(path, key)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise _open_error(path, key, exc) from None
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

            _locked_guard(lambda: upgrade(conn, path, backup=not is_new and version > 0, key=key))
    except BaseException:
        conn.close()  # releases any lock a failed upgrade still held
        raise
    return Journal(conn, path, key)


def _open_error(path: Path, key: CipherKey | None, exc: sqlite3.DatabaseError) -> JournalError:
    if "not a database" in str(exc):
        from journal.encryption import WrongKey
        from journal.paths import is_encrypted

        if key is not None:
            return WrongKey(path)
        if is_encrypted(path):
            from journal.encryption import no_passphrase_error

            return no_passphrase_error(path)
    return JournalError(_("{path} is not a journal database ({exc})").format(path=path, exc=exc),
                        _("check the --db path"))
