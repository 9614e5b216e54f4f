"""Signed-in supervisors' sessions, held by the server: random tokens that expire.

A session ends after ``idle`` seconds without a request, ``lifetime`` seconds after sign-in
whatever happens, on sign-out, and as soon as its login changes: each session keeps the stamp of
the login it was opened with, and the gate compares it with the journal's current one. Sessions
live in the server's memory only, so restarting `journal serve` signs everyone out.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

IDLE_SECONDS = 30 * 60
LIFETIME_SECONDS = 12 * 60 * 60
MAX_SESSIONS = 10_000  # memory bound: the oldest sessions end first


@dataclass
class Session:
    name: str
    stamp: str
    started: float
    last_seen: float


class Sessions:
    def __init__(self, *, idle: float = IDLE_SECONDS, lifetime: float = LIFETIME_SECONDS,
                 clock: Callable[[], float] = time.monotonic):
        self.idle = idle
        self.lifetime = lifetime
        self._clock = clock
        self._sessions: OrderedDict[str, Session] = OrderedDict()

    def start(self, name: str, stamp: str) -> str:
        """A new session for the login ``name`` (as ``stamp`` says it is now); returns its token."""
        token = secrets.token_urlsafe(32)
        now = self._clock()
        self._sessions[token] = Session(name, stamp, now, now)
        while len(self._sessions) > MAX_SESSIONS:
            self._sessions.popitem(last=False)
        return token

    def use(self, token: str) -> Session | None:
        """The live session of ``token``, its idle time restarted; None once it has expired or ended."""
        session = self._sessions.get(token)
        if session is None:
            return None
        now = self._clock()
        if now - session.last_seen > self.idle or now - session.started > self.lifetime:
            self.end(token)
            return None
        session.last_seen = now
        return session

    def seconds_left(self, token: str) -> int:
        """How long the cookie should live: until the session's absolute end."""
        session = self._sessions[token]
        return max(0, int(session.started + self.lifetime - self._clock()))

    def end(self, token: str) -> None:
        self._sessions.pop(token, None)
