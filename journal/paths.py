"""Where the journal file lives: --db, else $JOURNAL_DB, else $JOURNAL_HOME, else the app dir."""

from __future__ import annotations

import os
from pathlib import Path

DB_FILENAME = "journal.db"
PLAIN_HEADER = b"SQLite format 3\x00"


def resolve_db_path(explicit: str | os.PathLike | None = None) -> Path:
    """Return the journal path following the documented order of precedence."""
    if explicit:
        return Path(explicit).expanduser()
    if os.environ.get("JOURNAL_DB"):
        return Path(os.environ["JOURNAL_DB"]).expanduser()
    if os.environ.get("JOURNAL_HOME"):
        return Path(os.environ["JOURNAL_HOME"]).expanduser() / DB_FILENAME
    import click

    return Path(click.get_app_dir("journal")) / DB_FILENAME


def is_encrypted(path: Path) -> bool:
    """Whether ``path`` holds data that is not a plain SQLite file (SQLCipher encrypts the header). Here rather
    than in :mod:`journal.encryption`, so that opening a plain journal loads none of the encryption."""
    try:
        with open(path, "rb") as file:
            head = file.read(len(PLAIN_HEADER))
    except FileNotFoundError:
        return False
    return len(head) == len(PLAIN_HEADER) and head != PLAIN_HEADER


def ensure_private_dir(folder: Path) -> None:
    """Create ``folder`` (and parents) as 0700 when it does not exist yet."""
    if not folder.exists():
        try:
            folder.mkdir(parents=True, mode=0o700)
        except FileExistsError:
            return  # another process made it at the same moment
        folder.chmod(0o700)


def create_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only (0600), if it is missing."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def fsync_path(path: Path) -> None:
    """Make a file's (or a folder's) contents durable on disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
