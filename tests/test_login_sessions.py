"""Sessions expire when idle and at their absolute end; the throttle's delays grow and reset.

The expiry runs on a clock the test moves (through the real Datasette, in-process): waiting
half an hour in a test is not an option. The attacks on a real server are in test_login_attacks.py.
"""

from __future__ import annotations

import asyncio

import pytest
from supervisor_data import PASSWORD, SUPERVISOR, build

from journal.supervisor.logins import LoginBook
from journal.supervisor.publish import publish
from journal.supervisor.serve import make_datasette
from journal.supervisor.sessions import IDLE_SECONDS, LIFETIME_SECONDS, Sessions
from journal.supervisor.site import site_of
from journal.supervisor.throttle import FREE_ATTEMPTS, LONGEST_DELAY, SUSPECT_GAP, Throttle
from test_privacy import session_cookies


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def site_and_clock(journal, tmp_path):
    build(journal)
    ds = make_datasette(publish(journal, tmp_path / "report.db").path, logins=LoginBook(journal.path), secret="s" * 64)
    clock = Clock()
    site_of(ds).sessions = Sessions(clock=clock)
    return ds, clock


def status_after(ds, cookies, clock, steps: list[float]) -> list[int]:
    async def visit():
        statuses = []
        for step in steps:
            clock.now += step
            statuses.append((await ds.client.get("/report/sessions.json", cookies=cookies)).status_code)
        return statuses

    return asyncio.run(visit())


def test_a_session_ends_after_idle_time(site_and_clock):
    ds, clock = site_and_clock
    cookies = asyncio.run(session_cookies(ds))
    # Used every 20 minutes it lives on; after more than the idle time without use it is gone.
    assert status_after(ds, cookies, clock, [0, 20 * 60, 20 * 60, IDLE_SECONDS + 1, 0]) == [200, 200, 200, 302, 302]


def test_a_session_ends_at_its_absolute_lifetime_however_busy(site_and_clock):
    ds, clock = site_and_clock
    cookies = asyncio.run(session_cookies(ds))
    steps = [IDLE_SECONDS - 60] * (LIFETIME_SECONDS // (IDLE_SECONDS - 60)) + [IDLE_SECONDS - 60]
    statuses = status_after(ds, cookies, clock, steps)
    assert statuses[0] == 200 and statuses[-1] == 302 and statuses.index(302) == LIFETIME_SECONDS // (IDLE_SECONDS - 60)


def test_a_login_name_is_typed_in_any_case(site_and_clock):
    ds, _ = site_and_clock
    from test_privacy import sign_in

    response = asyncio.run(sign_in(ds, SUPERVISOR.upper(), PASSWORD))
    assert response.status_code == 302 and "journal_session" in response.cookies


def test_throttle_delays_double_then_cap_and_success_clears_them():
    clock = Clock()
    throttle = Throttle(clock=clock)
    keys = [("name", "bob"), ("address", "192.0.2.1")]
    assert [throttle.attempt(keys) for _ in range(FREE_ATTEMPTS)] == [0] * FREE_ATTEMPTS
    waits = []
    for _ in range(14):
        waits.append(throttle.attempt(keys))
        clock.now += waits[-1]
        assert throttle.attempt(keys) == 0
    assert waits[:4] == [1, 2, 4, 8] and waits[-1] == LONGEST_DELAY
    # Another address guessing the same name waits too; the name's owner on a known device does not.
    assert throttle.attempt([("name", "bob"), ("address", "198.51.100.7")]) > 0
    assert throttle.attempt([("device", "owner's browser")]) == 0
    throttle.succeeded(keys)
    assert throttle.attempt(keys) == 0


def test_checks_under_suspicion_are_spaced_out_over_the_whole_site():
    clock = Clock()
    throttle = Throttle(clock=clock)
    assert throttle.attempt([("address", "192.0.2.1")], suspect=True) == 0
    assert throttle.attempt([("address", "192.0.2.2")], suspect=True) == 1  # another address, same moment
    assert throttle.attempt([("address", "192.0.2.3")]) == 0  # a sign-in under no suspicion is not held
    clock.now += SUSPECT_GAP
    assert throttle.attempt([("address", "192.0.2.2")], suspect=True) == 0


@pytest.mark.slow  # races two hashing threads for the cores: meaningful only when no other test runs beside it
def test_a_known_browser_never_waits_behind_guesses_and_fresh_checks_go_before_suspect_ones():
    from journal.supervisor.passwords import PasswordChecker, Trust, hash_password

    stored = hash_password("the password")
    checker = PasswordChecker()
    finished: list[str] = []

    async def check(label: str, password: str, trust: Trust) -> None:
        assert await checker.check(password, stored, trust) == (password == "the password")
        finished.append(label)

    async def race():
        guesses = [check(f"guess {n}", f"guess {n}", Trust.SUSPECT) for n in range(4)]
        tasks = [asyncio.ensure_future(guess) for guess in guesses]
        await asyncio.sleep(0)  # the guesses queue first
        await asyncio.gather(*tasks, check("fresh", "wrong", Trust.FRESH), check("known", "the password", Trust.KNOWN))

    asyncio.run(race())
    assert finished.index("known") <= 1  # alongside the first guess, on its own worker
    assert finished.index("fresh") <= 2  # right after the guess already being checked
