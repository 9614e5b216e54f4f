"""Which months `journal check` lists as awaiting countersignature, met through the date index."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from journal.db import open_journal
from journal.signoffs.months import month_states

STAMP = "2026-01-01T00:00:00.000000Z"


def add(journal, number: int, day: str, kind: str = "practice", shared: int = 1, deleted: bool = False,
        start: str | None = None) -> None:
    journal.execute(
        "INSERT INTO entries (id, kind, start_utc, tz, date, minutes, format, shared, deleted_at, created_at, "
        "updated_at) VALUES (?, ?, ?, 'Europe/London', ?, 50, 'individual', ?, ?, ?, ?)",
        (number, kind, start or f"{day}T10:00:00Z", day, shared, STAMP if deleted else None, STAMP, STAMP))


@pytest.fixture
def journal(tmp_path):
    journal = open_journal(tmp_path / "journal.db")
    with journal.transaction():
        add(journal, 1, "2025-01-31")                       # shared: January
        add(journal, 2, "2025-02-10", shared=0)             # February: only a private session
        add(journal, 3, "2025-03-05", deleted=True)         # March: only a deleted shared session
        add(journal, 4, "2025-04-01", kind="reflection")    # April: a reflection is never published
        add(journal, 5, "2025-05-02", shared=0)             # May: private first, shared later in the month
        add(journal, 6, "2025-05-30")
        add(journal, 7, "2025-07-15")                       # June empty; July shared
        add(journal, 8, "2025-09-01")                       # September
    yield journal
    journal.close()


def awaiting(journal, first: date | None, last: date | None) -> list[str]:
    return [s["period"] for s in month_states(journal, first, last, date(2026, 1, 1)) if s["state"] == "awaiting"]


def test_only_months_with_a_live_shared_session_await_a_countersignature(journal):
    assert awaiting(journal, None, None) == ["2025-01", "2025-05", "2025-07", "2025-09"]


def test_the_checked_dates_bound_the_months_even_within_a_month(journal):
    assert awaiting(journal, date(2025, 5, 3), date(2025, 9, 1)) == ["2025-05", "2025-07", "2025-09"]
    assert awaiting(journal, date(2025, 5, 31), date(2025, 8, 31)) == ["2025-07"]
    assert awaiting(journal, date(2025, 1, 1), date(2025, 1, 30)) == []
    assert awaiting(journal, date(2025, 10, 1), None) == []


def test_a_month_not_ended_is_not_awaiting(journal):
    assert awaiting(journal, None, None)[-1] == "2025-09"
    assert [s["period"] for s in month_states(journal, None, None, date(2025, 9, 30))][-1] == "2025-07"


def test_check_without_signatures_loads_no_signing_code(journal):
    """The signature machinery (and its cryptography) stays unloaded when no signature is in range."""
    script = ("import sys; from journal.cli import cli\n"
              "cli.main(['--db', sys.argv[1], 'check', '--profile', 'bacp-practice', '--json'], standalone_mode=False)\n"
              "print(sorted(m for m in sys.modules if m.startswith(('cryptography', 'journal.signoffs.store'))))")
    found = subprocess.run([sys.executable, "-c", script, str(journal.path)], capture_output=True, text=True,
                           check=True)
    assert found.stdout.strip().splitlines()[-1] == "[]"
