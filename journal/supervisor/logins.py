"""Supervisor logins: names and password hashes kept in the journal, never in the published file.

A login name is a strict slug (lower-case letters, digits and single hyphens) and never one of
the reserved names: ``root`` is Datasette's all-powerful actor, and a name must not be mistaken
for anything else the site keys by name. `journal serve` reads the logins live from the journal
(:class:`LoginBook`), so a password change or a removal takes effect on the running server.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from journal.db import Journal
from journal.encryption import CipherKey
from journal.entries import now_utc_text
from journal.errors import InputError, JournalError
from journal.supervisor.passwords import hash_password

MIN_PASSWORD_LENGTH = 8
NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
MAX_NAME_LENGTH = 32
# Names that mean something else: Datasette's all-powerful actor, and names a reader of the
# server's log or a supervisor would take for the system itself.
RESERVED_NAMES = frozenset({"root", "admin", "administrator", "anonymous", "datasette", "journal", "system"})


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a login, or None when it can."""
    if not name or len(name) > MAX_NAME_LENGTH or not NAME.match(name):
        return f"must be 1 to {MAX_NAME_LENGTH} lower-case letters, digits and single hyphens, starting with a letter"
    if name in RESERVED_NAMES:
        return "is reserved"
    return None


def check_name(name: str) -> str:
    """A login name: a strict slug such as ``alice`` or ``a-smith``, not a reserved one."""
    problem = name_problem(name)
    if problem:
        slug = re.sub(r"[^a-z0-9]+", "-", (name or "").lower()).strip("-")
        example = slug if slug and not name_problem(slug) else "alice or a-smith"
        raise InputError(f"supervisor name {name!r} cannot be a login: it {problem}",
                         f"use a name such as {example}")
    return name


def check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise InputError(
            f"the password is shorter than {MIN_PASSWORD_LENGTH} characters; nothing was written",
            "choose a longer one (a few words work well)",
        )
    return password


def add_supervisor(journal: Journal, name: str, password: str) -> None:
    """Store a login for ``name`` (only a hash of ``password``); replaces an existing one's password."""
    name = check_name(name)
    password_hash = hash_password(check_password(password))
    with journal.transaction():
        journal.execute(
            "INSERT INTO supervisors(name, password_hash, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET password_hash = excluded.password_hash",
            (name, password_hash, now_utc_text()),
        )


def list_supervisors(journal: Journal) -> list[dict]:
    """Supervisor logins by name, without their hashes."""
    return journal.query("SELECT name, created_at FROM supervisors ORDER BY name")


def remove_supervisor(journal: Journal, name: str) -> None:
    """Remove the login ``name``; an unknown name is an error naming the known ones."""
    with journal.transaction():
        gone = journal.execute("DELETE FROM supervisors WHERE name = ?", (name,)).rowcount
    if not gone:
        known = ", ".join(row["name"] for row in list_supervisors(journal)) or "none yet"
        raise JournalError(f"no supervisor login {name!r}", f"known logins: {known}")


@dataclass(frozen=True)
class Login:
    name: str
    password_hash: str
    stamp: str  # changes whenever the login is re-added or its password changes


def _stamp(row_id: int, name: str, password_hash: str, created_at: str) -> str:
    return hashlib.sha256(f"{row_id}\0{name}\0{password_hash}\0{created_at}".encode()).hexdigest()


class LoginBook:
    """The journal's current logins, as the running server sees them.

    It keeps one read-only connection to the journal and re-reads the (few) logins only when
    SQLite's ``data_version`` says another connection committed, so a check costs microseconds.
    Logins whose name is no longer allowed are left out (``unusable_names`` lists them).
    """

    def __init__(self, journal_path: Path, key: CipherKey | None = None):
        """``key``: the journal is encrypted; it stays in this process's memory."""
        uri = Path(journal_path).resolve().as_uri() + "?mode=ro"
        if key is None:
            self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=1.0)  # on the event loop
        else:
            from journal.encryption import connect_cipher

            self._conn = connect_cipher(uri, key, 1.0, uri=True, check_same_thread=False, isolation_level="")
        self._version: int | None = None
        self._logins: dict[str, Login] = {}
        self._unusable: list[str] = []

    def get(self, name: str) -> Login | None:
        self._refresh()
        return self._logins.get(name)

    def names(self) -> list[str]:
        self._refresh()
        return sorted(self._logins)

    def unusable_names(self) -> list[str]:
        """Logins stored under a name that is no longer allowed (added by an earlier version)."""
        self._refresh()
        return self._unusable

    def _refresh(self) -> None:
        try:
            version = self._conn.execute("PRAGMA data_version").fetchone()[0]
            if version == self._version:
                return
            rows = self._conn.execute("SELECT id, name, password_hash, created_at FROM supervisors").fetchall()
        except sqlite3.Error:  # the journal moved, broke or is being replaced: nobody is signed in
            self._logins, self._unusable, self._version = {}, [], None
            return
        self._logins = {name: Login(name, password_hash, _stamp(row_id, name, password_hash, created_at))
                        for row_id, name, password_hash, created_at in rows if not name_problem(name)}
        self._unusable = sorted(row[1] for row in rows if name_problem(row[1]))
        self._version = version

    def close(self) -> None:
        self._conn.close()
