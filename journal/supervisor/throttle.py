"""Growing delays after failed sign-ins, counted per login name, per client address and per device.

Each key (``("name", "alice")``, ``("address", "203.0.113.9")``, ``("device", token)``) has a few
free attempts; after those, each attempt must wait twice as long as the last before it is even
checked. An attempt is counted as a failure before its password is checked and cleared only when it
succeeds, so parallel guesses cannot slip in while a check runs. A browser that signed in before
(it holds a device cookie for that name) is counted apart, so a guesser cannot lock its owner out
(OWASP's "device cookies"). Attempts under suspicion (a name or address that has failed before)
are also spaced out all together, one check a second at most, so that guessing from many addresses
at once cannot keep a core hashing.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

Key = tuple[str, str]

FREE_ATTEMPTS = 5
FIRST_DELAY = 1.0  # seconds, doubled at each further failure
LONGEST_DELAY = 15 * 60.0
FORGET_AFTER = 24 * 60 * 60.0  # a key quiet this long starts afresh
MAX_KEYS = 100_000  # memory bound: the least recently used keys are forgotten first
SUSPECT_GAP = 1.0  # seconds between two checks under suspicion, all names and addresses together


@dataclass
class _Record:
    failures: int = 0
    next_allowed: float = 0.0
    last_seen: float = 0.0


class Throttle:
    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._records: OrderedDict[Key, _Record] = OrderedDict()
        self._next_suspect = 0.0

    def attempt(self, keys: list[Key], *, suspect: bool = False) -> int:
        """0 when an attempt under ``keys`` may be checked now (and count it as failed until
        :meth:`succeeded`), else the seconds to wait; a refused attempt changes nothing."""
        now = self._clock()
        wait = self.wait(keys, suspect=suspect)
        if wait:
            return wait
        if suspect:
            self._next_suspect = now + SUSPECT_GAP
        for record in [self._record(key, now) for key in keys]:
            record.failures += 1
            record.last_seen = now
            if record.failures >= FREE_ATTEMPTS:
                delay = FIRST_DELAY * 2 ** (record.failures - FREE_ATTEMPTS)
                record.next_allowed = now + min(delay, LONGEST_DELAY)
        return 0.0

    def wait(self, keys: Iterable[Key], *, suspect: bool = False) -> int:
        """Whole seconds before an attempt under ``keys`` may be checked (0: now); counts nothing."""
        now = self._clock()
        records = [self._records[key] for key in keys if key in self._records]
        wait = max((record.next_allowed - now for record in records), default=0.0)
        if suspect:
            wait = max(wait, self._next_suspect - now)
        return math.ceil(wait) if wait > 0 else 0

    def failures(self, keys: Iterable[Key]) -> int:
        """The most failures any of ``keys`` has on record (0 for keys never seen)."""
        return max((self._records[key].failures for key in keys if key in self._records), default=0)

    def succeeded(self, keys: Iterable[Key]) -> None:
        for key in keys:
            self._records.pop(key, None)

    def _record(self, key: Key, now: float) -> _Record:
        record = self._records.get(key)
        if record is None or now - record.last_seen > FORGET_AFTER:
            record = self._records[key] = _Record(last_seen=now)
        self._records.move_to_end(key)
        while len(self._records) > MAX_KEYS:
            self._records.popitem(last=False)
        return record
