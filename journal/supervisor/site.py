"""The running supervisor site's sign-in state: logins, sessions, throttle and password checks.

One :class:`Site` per Datasette instance (``attach`` and ``site_of`` tie them), shared by the
gate and the sign-in pages. Cookies: ``journal_session`` (the session's random token, HttpOnly,
SameSite=Strict, Secure over https, living no longer than the session) and ``journal_device``
(signed, names the login that last signed in from this browser, see :mod:`.throttle`).
"""

from __future__ import annotations

import secrets
import weakref
from dataclasses import dataclass, field

from journal.signoffs.inbox import Inbox
from journal.supervisor.logins import LoginBook
from journal.supervisor.passwords import PasswordChecker, Trust
from journal.supervisor.sessions import Sessions
from journal.supervisor.throttle import Key, Throttle

SESSION_COOKIE = "journal_session"
DEVICE_COOKIE = "journal_device"
DEVICE_COOKIE_SECONDS = 365 * 24 * 60 * 60


@dataclass
class SignIn:
    """What became of one sign-in attempt."""

    token: str | None = None  # the new session's, when it succeeded
    wait: int = 0  # seconds to wait before trying again, when it was refused unchecked
    device: str | None = None  # the device cookie to keep, when it succeeded


@dataclass
class Site:
    logins: LoginBook | None  # None: --no-login, nobody is asked to sign in
    hosts: frozenset[str]
    secret: str
    sessions: Sessions = field(default_factory=Sessions)
    throttle: Throttle = field(default_factory=Throttle)
    checker: PasswordChecker = field(default_factory=PasswordChecker)
    inbox: Inbox | None = None  # where signatures and invited passwords are written (None: --no-login)
    language: str = "en"  # the practitioner's, the site's language until a reader switches

    @property
    def login_required(self) -> bool:
        return self.logins is not None

    def actor(self, token: str | None) -> dict | None:
        """The supervisor whose live session ``token`` is, while their login is unchanged."""
        if not token or self.logins is None:
            return None
        session = self.sessions.use(token)
        if session is None:
            return None
        login = self.logins.get(session.name)
        if login is None or login.stamp != session.stamp:
            self.sessions.end(token)
            return None
        return {"id": session.name}

    async def sign_in(self, name: str, password: str, address: str, device: str | None) -> SignIn:
        """Check ``password`` for ``name``, within the throttle's delays; unknown names cost the same."""
        keys = self._throttle_keys(name, address, device)
        trust = self._trust(keys)
        wait = self.throttle.attempt(keys, suspect=trust is Trust.SUSPECT)
        if wait:
            return SignIn(wait=wait)
        login = self.logins.get(name) if self.logins else None
        if not await self.checker.check(password, login.password_hash if login else None, trust):
            return SignIn()
        self.throttle.succeeded(keys)
        token = self.sessions.start(login.name, login.stamp)
        return SignIn(token=token, device=self._signer().dumps({"n": login.name, "d": secrets.token_urlsafe(16)}))

    def address_wait(self, address: str, device: str | None) -> int:
        """Seconds before ``address`` may try again (0: now), counting the site-wide spacing of checks
        once it has failed; a browser that signed in before is never held up here. The gate answers
        such requests before any form is read or drawn."""
        if self._device_id(device) is not None:
            return 0
        keys = [("address", address)]
        return self.throttle.wait(keys, suspect=self.throttle.failures(keys) > 0)

    def _device_id(self, device: str | None, name: str | None = None) -> str | None:
        """The id in a valid device cookie (for ``name``, when given)."""
        from itsdangerous import BadSignature

        try:
            known = self._signer().loads(device) if device else None
        except BadSignature:
            return None
        if isinstance(known, dict) and isinstance(known.get("d"), str) and name in (None, known.get("n")):
            return known["d"]
        return None

    def _throttle_keys(self, name: str, address: str, device: str | None) -> list[Key]:
        """A browser that signed in as ``name`` before is counted on its own; others by name and address."""
        device_id = self._device_id(device, name)
        return [("device", device_id)] if device_id else [("name", name), ("address", address)]

    def _trust(self, keys: list[Key]) -> Trust:
        if keys[0][0] == "device":
            return Trust.KNOWN
        return Trust.SUSPECT if self.throttle.failures(keys) else Trust.FRESH

    def _signer(self):
        from itsdangerous import URLSafeSerializer

        return URLSafeSerializer(self.secret, salt="journal-device")


_SITES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def attach(datasette, site: Site) -> None:
    _SITES[datasette] = site


def site_of(datasette) -> Site:
    """The site attached to ``datasette``; one built any other way serves nothing (closed, no login)."""
    return _SITES.get(datasette) or CLOSED


# For a Datasette not made by `make_datasette`: it answers to no host name, so it serves nothing.
CLOSED = Site(logins=None, hosts=frozenset(), secret=secrets.token_hex(32))
