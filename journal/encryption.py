"""Encryption at rest with SQLCipher: keys, encrypted connections, converting a journal in place.

The key is SQLCipher 4's own: PBKDF2-HMAC-SHA512 over the passphrase, 256,000 iterations, salted
with the 16 random bytes that start the file. It is derived here with :mod:`hashlib` (the same
result, about a third of a second) so that the raw key can be kept in the system keyring and
later commands open the file with ``PRAGMA key = "x'…'"``, which skips the derivation. Any
SQLCipher 4 tool opens the file with the passphrase alone.

SQLCipher's module (``sqlcipher3``) is imported only when an encrypted file is opened.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

from journal.db import BUSY_TIMEOUT_MS, Journal, is_locked, locked_error
from journal.errors import JournalError
from journal.i18n import _
from journal.paths import create_private_file, fsync_path

SALT_BYTES = 16
KEY_BYTES = 32
KDF_ITERATIONS = 256_000  # SQLCipher 4's default, so that its own KDF gives the same key


class CipherKey(NamedTuple):
    """A raw 256-bit key and the file salt it was derived with (a named tuple: cheaper to define at
    start-up than a dataclass)."""

    raw: bytes
    salt: bytes

    @property
    def pragma(self) -> str:
        """The value for ``PRAGMA key`` / ``ATTACH … KEY``: raw key and salt, no derivation."""
        return f"x'{self.raw.hex()}{self.salt.hex()}'"

    def to_text(self) -> str:
        return (self.raw + self.salt).hex()

    @classmethod
    def from_text(cls, text: str) -> CipherKey | None:
        try:
            data = bytes.fromhex(text.strip())
        except ValueError:
            return None
        if len(data) != KEY_BYTES + SALT_BYTES:
            return None
        return cls(data[:KEY_BYTES], data[KEY_BYTES:])


class WrongKey(JournalError):
    """The passphrase (or the stored key) does not open the journal."""

    def __init__(self, path: Path):
        super().__init__(_("wrong passphrase for {path}; nothing was changed").format(path=path),
                         _("type it again, or check $JOURNAL_PASSPHRASE"))


def no_passphrase_error(path: Path | None) -> JournalError:
    """No passphrase to be had: not on a terminal, nor given. ``path``: the journal to open (``None``: a new one)."""
    return JournalError(_("{path} is encrypted and no passphrase was given").format(path=path) if path
                        else _("no passphrase was given for the encrypted journal"),
                        _("run it on a terminal, set $JOURNAL_PASSPHRASE or pass --passphrase-stdin"))


def file_salt(path: Path) -> bytes:
    """The salt SQLCipher keeps in the first bytes of an encrypted file."""
    with open(path, "rb") as file:
        return file.read(SALT_BYTES)


def derive_key(passphrase: str, salt: bytes) -> CipherKey:
    """SQLCipher 4's key derivation, done once so that the raw key can be kept."""
    if not passphrase:
        raise JournalError(_("the passphrase is empty"), _("type a passphrase (a few words are easy to remember)"))
    import hashlib  # loads OpenSSL: only when a key is derived, never for a plain journal

    raw = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ITERATIONS, KEY_BYTES)
    return CipherKey(raw, salt)


def key_for_file(path: Path, passphrase: str) -> CipherKey:
    return derive_key(passphrase, file_salt(path))


def new_key(passphrase: str) -> CipherKey:
    """A key for a file that does not exist yet, with a fresh random salt."""
    return derive_key(passphrase, os.urandom(SALT_BYTES))


def cipher_module():
    """``sqlcipher3.dbapi2``, with its errors made subclasses of :mod:`sqlite3`'s.

    Our code and sqlite-utils catch ``sqlite3.OperationalError`` and friends; SQLCipher's
    module defines its own classes of the same names. Giving each the standard class as a
    second base makes every such ``except`` catch both, so a locked or broken encrypted
    journal gets the same one-line errors as a plain one.
    """
    from sqlcipher3 import dbapi2

    if not issubclass(dbapi2.DatabaseError, sqlite3.DatabaseError):
        # Every class SQLite's errors are raised as (Error and Warning themselves are only bases).
        for name in ("DatabaseError", "OperationalError", "IntegrityError", "ProgrammingError",
                     "InterfaceError", "InternalError", "DataError", "NotSupportedError"):
            ours = getattr(dbapi2, name)
            ours.__bases__ = (*ours.__bases__, getattr(sqlite3, name))
        global _Connection
        _Connection = type("CipherConnection", (dbapi2.Connection,), dict(_EXTRAS))
    return dbapi2


def _getlimit(self, category: int) -> int:
    """``Connection.getlimit`` for the bound-variable limit (sqlcipher3 lacks the method)."""
    if category != sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER:
        raise NotImplementedError("only SQLITE_LIMIT_VARIABLE_NUMBER is known")
    for (option,) in self.execute("PRAGMA compile_options"):
        if option.startswith("MAX_VARIABLE_NUMBER="):
            return int(option.split("=", 1)[1])
    return 32766


def _iterdump(self):
    """``Connection.iterdump`` (sqlcipher3 lacks it): the standard library's, which uses plain SQL."""
    from sqlite3.dump import _iterdump

    return _iterdump(self)


_EXTRAS = {"getlimit": _getlimit, "iterdump": _iterdump}
_Connection = None


def connect_cipher(path: Path | str, key: CipherKey | None, timeout: float, **options) -> sqlite3.Connection:
    """A SQLCipher connection to ``path`` (``options`` as for ``sqlite3.connect``), keyed (``None``: a plain
    file through SQLCipher)."""
    dbapi2 = cipher_module()
    conn = dbapi2.connect(str(path), timeout=timeout, factory=_Connection, **{"isolation_level": None, **options})
    conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our one-line error, not SQLCipher's log
    if key is not None:
        conn.execute(f'PRAGMA key = "{key.pragma}"')
    return conn


def check_key(conn: sqlite3.Connection, path: Path) -> None:
    """Raise :class:`WrongKey` when the connection's key does not decrypt the file."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            raise WrongKey(path) from None
        raise


def key_opens(path: Path, key: CipherKey) -> bool:
    """Whether ``key`` decrypts the file at ``path`` (a quick probe, no derivation)."""
    conn = connect_cipher(path, key, BUSY_TIMEOUT_MS / 1000)
    try:
        check_key(conn, path)
    except WrongKey:
        return False
    finally:
        conn.close()
    return True


def backup_name(path: Path, why: str) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return path.with_name(f"{path.name}.before-{why}-{stamp}.bak")


def converting_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.converting.tmp")


def encrypt_journal(journal: Journal, key: CipherKey | None) -> Path:
    """Back ``journal`` up (as it is), then rewrite it in place under ``key`` (``None``: decrypt).

    Closes ``journal``; returns the backup's path.
    """
    from journal.migrations import backup_to

    backup = backup_to(journal.conn, backup_name(journal.path, "encrypt" if key else "decrypt"), journal.key)
    journal.close()
    convert_in_place(journal.path, journal.key, key)
    return backup


def convert_in_place(path: Path, current: CipherKey | None, target: CipherKey | None) -> None:
    """Rewrite the journal at ``path`` from ``current`` to ``target`` encryption (``None``: plain).

    Atomic: the new file is written beside the journal, made durable, then renamed over it, so
    a kill at any moment leaves the original or the finished result. The journal is held
    exclusively meanwhile (another program using it makes this wait, then fail as locked).
    """
    temp = converting_name(path)
    temp.unlink(missing_ok=True)  # left by a conversion that was killed
    conn = connect_cipher(path, current, BUSY_TIMEOUT_MS / 1000)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        check_key(conn, path)
        try:
            # Rollback-journal mode under an exclusive lock: nobody else reads or writes the old
            # file, its WAL is checkpointed and removed, and closing it later touches no -wal file
            # that the new journal might already use.
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if is_locked(exc):
                raise locked_error() from None
            raise
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        create_private_file(temp)
        conn.execute("ATTACH DATABASE ? AS converted KEY ?", (str(temp), target.pragma if target else ""))
        conn.execute("SELECT sqlcipher_export('converted')")
        conn.execute(f"PRAGMA converted.user_version = {int(version)}")
        conn.execute("DETACH DATABASE converted")
        finished = connect_cipher(temp, target, BUSY_TIMEOUT_MS / 1000)
        try:
            check_key(finished, temp)
            finished.execute("PRAGMA journal_mode = WAL")
        finally:
            finished.close()
        fsync_path(temp)
        os.replace(temp, path)
        fsync_path(path.parent)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    finally:
        conn.close()
