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
from journal.i18n import _

MIN_PASSWORD_LENGTH = 8
NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
MAX_NAME_LENGTH = 32
# Names that mean something else: Datasette's all-powerful actor, and names a reader of the
# server's log or a supervisor would take for the system itself.
RESERVED_NAMES = frozenset({"root", "admin", "administrator", "anonymous", "datasette", "journal", "system"})


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a login, or None when it can."""
    if not name or len(name) > MAX_NAME_LENGTH or not NAME.match(name):
        return _("must be 1 to {count} lower-case letters, digits and single hyphens, starting with a letter").format(
            count=MAX_NAME_LENGTH)
    if name in RESERVED_NAMES:
        return _("is reserved")
    return None


def check_name(name: str) -> str:
    """A login name: a strict slug such as ``alice`` or ``a-smith``, not a reserved one."""
    problem = name_problem(name)
    if problem:
        slug = re.sub(r"[^a-z0-9]+", "-", (name or "").lower()).strip("-")
        example = slug if slug and not name_problem(slug) else "alice or a-smith"
        raise InputError(_("supervisor name {name!r} cannot be a login: it {problem}").format(name=name, problem=problem),
                         _("use a name such as {example}").format(example=example))
    return name


def check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise InputError(
            _("the password is shorter than {MIN_PASSWORD_LENGTH} characters; nothing was written").format(MIN_PASSWORD_LENGTH=MIN_PASSWORD_LENGTH),
            _("choose a longer one (a few words work well)"),
        )
    return password


def add_supervisor(journal: Journal, name: str, password: str) -> str:
    """Store a login for ``name`` (only a hash of ``password``) with a new signing key sealed under
    it; replaces an existing one's password and key (its old public key is kept). The fingerprint."""
    from journal.signoffs.keys import new_key_pair
    from journal.signoffs.store import keep_key

    name = check_name(name)
    password_hash = hash_password(check_password(password))
    pair = new_key_pair(name, password)
    now = now_utc_text()
    with journal.transaction():
        journal.execute(
            "INSERT INTO supervisors(name, password_hash, created_at, fingerprint, private_key) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET password_hash = excluded.password_hash, "
            "fingerprint = excluded.fingerprint, private_key = excluded.private_key",
            (name, password_hash, now, pair.fingerprint, pair.sealed),
        )
        keep_key(journal, name, pair.public_key, pair.fingerprint, now)
    return pair.fingerprint


def list_supervisors(journal: Journal) -> list[dict]:
    """Supervisor logins by name with their key's fingerprint, never their hashes or keys."""
    return journal.query("SELECT name, created_at, fingerprint FROM supervisors ORDER BY name")


def remove_supervisor(journal: Journal, name: str) -> None:
    """Remove the login ``name``; an unknown name is an error naming the known ones."""
    with journal.transaction():
        gone = journal.execute("DELETE FROM supervisors WHERE name = ?", (name,)).rowcount
    if not gone:
        known = ", ".join(row["name"] for row in list_supervisors(journal)) or "none yet"
        raise JournalError(_("no supervisor login {name!r}").format(name=name), _("known logins: {known}").format(known=known))


@dataclass(frozen=True)
class Login:
    name: str
    password_hash: str
    stamp: str  # changes whenever the login is re-added or its password changes
    fingerprint: str | None = None  # its signing key's; None for a login older than countersignatures
    private_key: str | None = None  # sealed under the password


def _login(name: str, password_hash: str, fingerprint: str | None, private_key: str | None) -> Login:
    # Every new password has a new random salt, so its hash (and so the stamp) is new.
    stamp = hashlib.sha256(f"{name}\0{password_hash}".encode()).hexdigest()
    return Login(name, password_hash, stamp, fingerprint, private_key)


class LoginBook:
    """The journal's current logins, as the running server sees them.

    It keeps one read-only connection to the journal and re-reads the (few) logins only when
    SQLite's ``data_version`` says another connection committed, so a check costs microseconds.
    Logins whose name is no longer allowed are left out (``unusable_names`` lists them). A password
    chosen from an invite waits in the site's ``inbox`` until the journal takes it in; it counts
    from the moment it is chosen (:meth:`changed` tells the book to look again).
    """

    def __init__(self, journal_path: Path, inbox: Path | None = None, key: CipherKey | None = None):
        """``key``: the journal is encrypted; it stays in this process's memory."""
        uri = Path(journal_path).resolve().as_uri() + "?mode=ro"
        if key is None:
            self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=1.0)  # on the event loop
        else:
            from journal.encryption import connect_cipher

            self._conn = connect_cipher(uri, key, 1.0, uri=True, check_same_thread=False, isolation_level="")
        self.inbox = inbox  # set by make_datasette when not given here
        self._version: int | None = None
        self._logins: dict[str, Login] = {}
        self._unusable: list[str] = []
        self._invites: dict[str, tuple[str, str]] = {}  # token hash -> (name, expires_at), still usable

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

    def invite(self, token_hash: str, now: str) -> str | None:
        """The login name a usable invite is for (not expired at ``now``, not used yet)."""
        self._refresh()
        found = self._invites.get(token_hash)
        return found[0] if found and found[1] >= now else None

    def changed(self) -> None:
        """The inbox was written: read the logins again on the next look."""
        self._version = None

    def _refresh(self) -> None:
        try:
            version = self._conn.execute("PRAGMA data_version").fetchone()[0]
            if version == self._version:
                return
            rows = self._conn.execute("SELECT name, password_hash, fingerprint, private_key FROM supervisors").fetchall()
            invites = {token: (name, expires) for token, name, expires in self._conn.execute(
                "SELECT token_hash, name, expires_at FROM supervisor_invites WHERE used_at IS NULL")}
        except sqlite3.Error:  # the journal moved, broke or is being replaced: nobody is signed in
            self._logins, self._unusable, self._invites, self._version = {}, [], {}, None
            return
        logins = {row[0]: _login(*row) for row in rows if not name_problem(row[0])}
        if self.inbox is not None:
            from journal.signoffs.inbox import read_inbox

            for chosen in sorted(read_inbox(self.inbox)[1], key=lambda c: c.set_at):
                pending = invites.pop(chosen.token_hash, None)
                if pending and pending[0] == chosen.name and chosen.set_at <= pending[1]:
                    logins[chosen.name] = _login(chosen.name, chosen.password_hash, chosen.fingerprint,
                                                 chosen.private_key)
        self._logins = logins
        self._invites = invites
        self._unusable = sorted(row[0] for row in rows if name_problem(row[0]))
        self._version = version

    def close(self) -> None:
        self._conn.close()
