"""Supervisor logins: names and password hashes kept in the journal, never in the published file.

Hashes use the format that datasette-auth-passwords verifies
(``pbkdf2_sha256$iterations$salt$base64``). They are computed here with :mod:`hashlib`
rather than imported from the plugin, whose package import pulls in Datasette.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets

from journal.db import Journal
from journal.entries import now_utc_text
from journal.errors import InputError, JournalError
from journal.i18n import _

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 480_000
MIN_PASSWORD_LENGTH = 8
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def hash_password(password: str, salt: str | None = None, iterations: int = ITERATIONS) -> str:
    """A salted PBKDF2-SHA256 hash in datasette-auth-passwords' format."""
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt.encode("utf-8"), iterations)
    return f"{ALGORITHM}${iterations}${salt}${base64.b64encode(digest).decode('ascii')}"


def check_name(name: str) -> str:
    """A login name: letters, digits, '.', '_' or '-' (it is typed on the login page)."""
    if not NAME.match(name or ""):
        raise InputError(
            _("supervisor name {name!r} cannot be a login").format(name=name),
            _("use letters, digits, '.', '_' or '-', e.g. alice or a.smith"),
        )
    return name


def check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise InputError(
            _("the password is shorter than {MIN_PASSWORD_LENGTH} characters; nothing was written").format(MIN_PASSWORD_LENGTH=MIN_PASSWORD_LENGTH),
            _("choose a longer one (a few words work well)"),
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


def supervisor_hashes(journal: Journal) -> dict[str, str]:
    """name -> password hash, for the login configuration that `journal serve` builds in memory."""
    return dict(journal.execute("SELECT name, password_hash FROM supervisors ORDER BY name").fetchall())


def remove_supervisor(journal: Journal, name: str) -> None:
    """Remove the login ``name``; an unknown name is an error naming the known ones."""
    with journal.transaction():
        gone = journal.execute("DELETE FROM supervisors WHERE name = ?", (name,)).rowcount
    if not gone:
        known = ", ".join(row["name"] for row in list_supervisors(journal)) or "none yet"
        raise JournalError(_("no supervisor login {name!r}").format(name=name), _("known logins: {known}").format(known=known))
