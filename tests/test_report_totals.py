"""The per-day totals behind `journal report` always agree with the sessions themselves."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.db import open_journal
from journal.entries import SESSION_KINDS, Filters, SessionInput, add_session
from journal.report import DAILY_GROUPINGS, _from_daily_totals, _from_entries, period_sql

ZONE = ZoneInfo("Europe/London")
START = datetime(2025, 1, 1, 9, 0, tzinfo=ZONE)

sessions = st.lists(
    st.tuples(st.sampled_from(SESSION_KINDS), st.integers(0, 500), st.integers(1, 300)),
    min_size=1, max_size=25,
)
changes = st.lists(
    st.tuples(st.sampled_from(["rm", "restore", "edit", "delete"]), st.integers(0, 24), st.integers(1, 300),
              st.integers(0, 500)),
    max_size=15,
)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sessions, changes)
def test_totals_match_a_scan_after_any_edits(tmp_path_factory, logged, edits):
    journal = open_journal(tmp_path_factory.mktemp("totals") / "journal.db")
    ids = [add_session(journal, SessionInput(kind, minutes, START + timedelta(days=day)), again=True)["id"]
           for kind, day, minutes in logged]
    with journal.transaction():
        for action, index, minutes, day in edits:
            entry_id = ids[index % len(ids)]
            if action == "rm":
                journal.execute("UPDATE entries SET deleted_at = 'x' WHERE id = ?", (entry_id,))
            elif action == "restore":
                journal.execute("UPDATE entries SET deleted_at = NULL WHERE id = ?", (entry_id,))
            elif action == "edit":
                journal.execute("UPDATE entries SET minutes = ?, date = ? WHERE id = ?",
                                (minutes, (START + timedelta(days=day)).date().isoformat(), entry_id))
            else:
                journal.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
    everything = Filters(kinds=SESSION_KINDS)
    for by in DAILY_GROUPINGS:
        for week_start in ("monday", "sunday"):
            period = period_sql(by, week_start)
            assert sorted(_from_daily_totals(journal, period, everything)) == sorted(
                _from_entries(journal, by, period, everything))
    journal.close()


def test_report_follows_rm_restore_and_edit(run):
    first = run("log", "supervision", "1h30m", "--at", "2026-03-03 10:00", "--json").json()["id"]
    run("log", "supervision", "1h", "--at", "2026-03-20 10:00")
    march = {"period": "2026-03", "kind": "supervision", "minutes": 150, "hours": 2.5, "count": 2}
    assert run("report", "--by", "month", "--json").json() == [march]
    run("rm", str(first))
    assert run("report", "--by", "month", "--json").json() == [{**march, "minutes": 60, "hours": 1.0, "count": 1}]
    run("restore", str(first))
    run("edit", str(first), "--at", "2026-04-01 10:00")
    assert run("report", "--by", "month", "--since", "2026-03-01", "--until", "2026-04-30", "--json").json() == [
        {"period": "2026-03", "kind": "supervision", "minutes": 60, "hours": 1.0, "count": 1},
        {"period": "2026-04", "kind": "supervision", "minutes": 90, "hours": 1.5, "count": 1},
    ]
