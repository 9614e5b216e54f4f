"""Password hashes (PBKDF2-SHA256, salted) and checking them off the server's event loop.

The hash format is ``pbkdf2_sha256$iterations$salt$base64`` (the one datasette-auth-passwords
wrote, so logins added by earlier versions keep working). A check for a name that has no login
runs the same hash against a stand-in, so a wrong name costs exactly what a wrong password does.
"""

from __future__ import annotations

import asyncio
import base64
import enum
import hashlib
import hmac
import itertools
import queue
import secrets
import threading

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 480_000


def hash_password(password: str, salt: str | None = None, iterations: int = ITERATIONS) -> str:
    """A salted PBKDF2-SHA256 hash of ``password``."""
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt.encode("utf-8"), iterations)
    return f"{ALGORITHM}${iterations}${salt}${base64.b64encode(digest).decode('ascii')}"


def verify_password(password: str, password_hash: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (compared in constant time)."""
    try:
        algorithm, iterations, salt, _ = password_hash.split("$", 3)
        rounds = int(iterations)
    except ValueError:
        return False
    if algorithm != ALGORITHM or not 0 < rounds <= 10 * ITERATIONS:
        return False
    return hmac.compare_digest(hash_password(password, salt, rounds), password_hash)


# A hash no password matches in practice, checked when the name has no login: the same work.
STAND_IN = hash_password(secrets.token_hex(32))


class Trust(enum.IntEnum):
    """How far a sign-in attempt is trusted, which decides where its check queues."""

    KNOWN = 0  # from a browser that signed in as this login before (a device cookie)
    FRESH = 1  # from a name and address with no failures on record
    SUSPECT = 2  # from a name or address that has failed before


class PasswordChecker:
    """Runs password checks on two worker threads of its own, never on the event loop.

    Known browsers have one worker to themselves; every other check queues for the second, fresh
    ones first: a burst of guesses takes at most one core from the pages, and a supervisor signing
    in from their own browser never waits behind it. hashlib releases the GIL while it hashes.
    """

    def __init__(self):
        self._known: queue.SimpleQueue = queue.SimpleQueue()
        self._others: queue.PriorityQueue = queue.PriorityQueue()
        self._order = itertools.count()
        self._started = False

    async def check(self, password: str, password_hash: str | None, trust: Trust = Trust.FRESH) -> bool:
        """Whether ``password`` opens ``password_hash`` (None, no such login: always False)."""
        loop = asyncio.get_running_loop()
        answer = loop.create_future()
        self._start()
        job = (trust, next(self._order), password, password_hash or STAND_IN, loop, answer)
        (self._known if trust is Trust.KNOWN else self._others).put(job)
        matches = await answer
        return matches and password_hash is not None

    def _start(self) -> None:
        if not self._started:
            for name, lane in (("known", self._known), ("others", self._others)):
                threading.Thread(target=self._work, args=(lane,), daemon=True, name=f"password-check-{name}").start()
            self._started = True

    @staticmethod
    def _work(lane: queue.Queue) -> None:
        while True:
            _, _, password, password_hash, loop, answer = lane.get()
            matches = verify_password(password, password_hash)
            loop.call_soon_threadsafe(lambda answer=answer, matches=matches: answer.done() or answer.set_result(matches))
