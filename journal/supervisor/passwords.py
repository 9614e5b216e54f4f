"""Password hashes (PBKDF2-SHA256, salted) and checking them off the server's event loop.

The hash format is ``pbkdf2_sha256$iterations$salt$base64`` (the one datasette-auth-passwords
wrote, so logins added by earlier versions keep working). A check for a name that has no login
runs the same hash against a stand-in, so a wrong name costs exactly what a wrong password does.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import secrets
from concurrent.futures import ThreadPoolExecutor

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


class PasswordChecker:
    """Runs password checks on its own worker threads, never on the event loop.

    One worker by default: a burst of guesses queues here instead of taking every core from the
    pages (hashlib releases the GIL while it hashes, so the loop keeps serving meanwhile).
    """

    def __init__(self, workers: int = 1):
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="password-check")

    async def check(self, password: str, password_hash: str | None) -> bool:
        """Whether ``password`` opens ``password_hash``; None (no such login) is always False."""
        loop = asyncio.get_running_loop()
        matches = await loop.run_in_executor(self._pool, verify_password, password, password_hash or STAND_IN)
        return matches and password_hash is not None
