"""One-time invite links: the supervisor chooses their own password on the site.

`journal supervisor invite NAME` keeps only the SHA-256 of a random token, with an expiry; the
link carries the token. On the site, the holder chooses a password; the server writes it (hashed)
and the new key pair (sealed under it) to the inbox, and the journal takes them in. An invite works
once, until it expires, and a newer invite for the same name replaces it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from journal.db import Journal
from journal.supervisor.logins import check_name

INVITE_DAYS = 3
INVITE_PATH = "/-/invite"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def utc_text(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Invite:
    name: str
    token: str
    expires_at: str

    def link(self, base_url: str) -> str:
        return f"{base_url.rstrip('/')}{INVITE_PATH}?token={self.token}"


def invite(journal: Journal, name: str, *, days: int = INVITE_DAYS, now: datetime | None = None) -> Invite:
    """A new one-time invite for the login ``name`` (new, or choosing a new password)."""
    name = check_name(name)
    now = now or datetime.now(timezone.utc)
    token = secrets.token_urlsafe(32)
    expires = utc_text(now + timedelta(days=days))
    with journal.transaction():
        journal.execute("DELETE FROM supervisor_invites WHERE name = ? AND used_at IS NULL", (name,))
        journal.execute("INSERT INTO supervisor_invites(name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)",
                        (name, token_hash(token), utc_text(now), expires))
    return Invite(name, token, expires)


def pending_invites(journal: Journal) -> list[dict]:
    return journal.query("SELECT name, created_at, expires_at FROM supervisor_invites WHERE used_at IS NULL "
                         "AND expires_at > ? ORDER BY name", (utc_text(datetime.now(timezone.utc)),))
