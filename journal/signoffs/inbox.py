"""The inbox: a small SQLite file beside the published report that `journal serve` writes to.

The published report stays read-only; what supervisors do on the site (countersign, withdraw,
choose a password from an invite) is written here, and the journal takes it in on
`journal signoffs`, `journal publish` and `journal serve`, so nothing is lost when the server stops.
It holds signed statements and sealed keys only: nothing a signature or a password could be made from.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from journal.paths import create_private_file
from journal.signoffs.keys import KeyPair
from journal.signoffs.signing import Signed, now_text

SCHEMA = """
CREATE TABLE IF NOT EXISTS signatures (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('countersignature', 'withdrawal')),
    statement TEXT NOT NULL,
    signature TEXT NOT NULL UNIQUE,
    received_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS passwords (
    token_hash TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    public_key TEXT NOT NULL,
    private_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    set_at TEXT NOT NULL
);
"""


def inbox_path(published: Path) -> Path:
    """``journal-supervisor.db`` -> ``journal-supervisor-signoffs.db``, beside it."""
    return published.with_name(published.stem + "-signoffs.db")


@dataclass(frozen=True)
class Received:
    kind: str
    signed: Signed
    received_at: str


@dataclass(frozen=True)
class PasswordSet:
    token_hash: str
    name: str
    password_hash: str
    public_key: str
    private_key: str
    fingerprint: str
    set_at: str


def _connect(path: Path) -> sqlite3.Connection:
    if not path.exists():
        create_private_file(path)
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=15, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 15000")
    conn.executescript(SCHEMA)
    return conn


class Inbox:
    """The server's side: it writes here, one transaction per action."""

    def __init__(self, path: Path):
        self.path = path
        self._conn = _connect(path)

    def add(self, kind: str, signed: Signed) -> None:
        self._conn.execute("INSERT OR IGNORE INTO signatures(kind, statement, signature, received_at) "
                           "VALUES (?, ?, ?, ?)", (kind, signed.statement, signed.signature, now_text()))

    def set_password(self, token_hash: str, name: str, password_hash: str, pair: KeyPair) -> bool:
        """Keep the password an invite's holder chose; False when that invite was used already."""
        cursor = self._conn.execute(
            "INSERT OR IGNORE INTO passwords VALUES (?, ?, ?, ?, ?, ?, ?)",
            (token_hash, name, password_hash, pair.public_key, pair.sealed, pair.fingerprint, now_text()))
        return cursor.rowcount == 1

    def close(self) -> None:
        self._conn.close()


def read_inbox(path: Path) -> tuple[list[Received], list[PasswordSet]]:
    """Everything in the inbox at ``path`` (nothing when there is none yet)."""
    if not path.exists():
        return [], []
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=15)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"signatures", "passwords"} <= tables:
            return [], []
        received = [Received(kind, Signed(statement, signature), at) for kind, statement, signature, at in
                    conn.execute("SELECT kind, statement, signature, received_at FROM signatures ORDER BY id")]
        passwords = [PasswordSet(*row) for row in conn.execute(
            "SELECT token_hash, name, password_hash, public_key, private_key, fingerprint, set_at FROM passwords")]
    finally:
        conn.close()
    return received, passwords
