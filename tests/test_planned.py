"""Issue 10, items 5 and 6: a session counts once it has ended, and `journal log` without --at
logs one that has just ended. A planned session (logged ahead, or still under way) counts in no
report, rule, statement, ICF log, supervisor database nor `db status`, is listed by
`journal list --planned`, and starts to count by itself when its end has passed."""

from __future__ import annotations

import json
import time
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings, strategies as st

from journal.entries import Filters, SessionInput, add_session
from journal.report import report
from journal.rules.profiles import SHIPPED

LONDON = ZoneInfo("Europe/London")


def local(moment: datetime) -> str:
    return moment.astimezone(LONDON).strftime("%Y-%m-%d %H:%M")


def test_a_session_logged_without_at_has_just_ended(run):
    before = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    result = run("log", "therapy", "50m", "--json")
    assert result.exit_code == 0, result.stderr
    record = result.json()
    start, end = datetime.fromisoformat(record["start"]), datetime.fromisoformat(record["end"])
    assert end <= datetime.now(timezone.utc)
    assert before - timedelta(minutes=50) <= start <= before - timedelta(minutes=49)
    assert "ending now" in result.stderr and "without --at, a session is one that has just ended" in result.stderr
    assert "not ended yet" not in result.stderr
    # It counts at once: it has ended.
    assert run("report", "--by", "kind", "--json").json()[0]["count"] == 1


def test_just_after_midnight_the_session_belongs_to_the_day_it_took_place():
    """Logged at 00:10 on 1 March, a 50-minute session started on 28 February (day and month)."""
    from journal.dates import just_ended

    start = just_ended(50, LONDON, now=datetime(2026, 3, 1, 0, 10, 30, tzinfo=LONDON))
    assert start == datetime(2026, 2, 28, 23, 20, tzinfo=LONDON)
    across_dst = just_ended(90, LONDON, now=datetime(2026, 3, 29, 2, 30, tzinfo=LONDON))  # clocks went forward at 1:00
    assert across_dst.astimezone(timezone.utc) == datetime(2026, 3, 29, 0, 0, tzinfo=timezone.utc)


@pytest.fixture
def done(run, journal):
    """A small journal of sessions that have all ended."""
    from journal.settings import set_setting

    with journal.transaction():
        set_setting(journal, "practitioner", "Sam Taylor")
    for args in (("therapy", "50m", "--at", "2026-03-02 18:00", "--with", "Dr Martin"),
                 ("supervision", "1h30m", "--at", "2026-03-03 10:00", "--with", "Alice"),
                 ("practice", "50m", "--at", "2026-03-04 12:00", "--client", "C014", "--paid"),
                 ("cpd", "3h", "--at", "2026-03-05 09:30", "--title", "Course"),
                 ("supervision", "1h", "--at", "2026-03-10 10:00", "--with", "Alice", "--format", "peer",
                  "--group-size", "3")):
        assert run("log", *args).exit_code == 0
    return run


def everything_counted(run, tmp_path, as_of: str) -> dict:
    """What every consumer of the hours says, in the order a user would look."""
    checks = run("check", *[a for p in SHIPPED for a in ("--profile", p)], "--as-of", as_of, "--json")
    assert checks.exit_code in (0, 3), checks.stderr
    published = run("publish", "--out", str(tmp_path / "report.db"), "--json", "--client-codes")
    assert published.exit_code == 0, published.stderr
    status = json.loads(run("db", "status", "--json").stdout)
    return {
        **{f"report by {by}": run("report", "--by", by, "--json").json() for by in ("month", "week", "kind", "with")},
        "report since a time of day": run("report", "--since", "2026-01-01 08:00", "--json").json(),
        "check": checks.json(),
        "published": {key: published.json()[key] for key in ("sessions", "hours")},
        "statement": run("statement").stdout,
        "trust statement": run("trust-statement", "--json").json(),
        "icf": run("export", "--format", "icf").stdout,
        "people": run("people", "--json").json(),
        "last entry": status["last_entry"],
    }


def test_planned_sessions_count_nowhere(done, tmp_path):
    run = done
    as_of = (date.today() + timedelta(days=7)).isoformat()
    before = everything_counted(run, tmp_path, as_of)
    now = datetime.now(timezone.utc)
    ahead = [  # later today, in a few days (with a new client), and one under way now
        ("therapy", "2h", "--at", local(now + timedelta(minutes=10)), "--with", "Dr Martin", "--allow-future"),
        ("practice", "50m", "--at", local(now + timedelta(days=2)), "--client", "C777", "--paid", "--allow-future"),
        ("supervision", "3h", "--at", local(now - timedelta(minutes=10)), "--with", "Alice"),
        ("supervision", "1h", "--at", local(now + timedelta(days=3)), "--with", "Alice", "--format", "peer",
         "--group-size", "3", "--allow-future"),
    ]
    logged = [run("log", *args) for args in ahead]
    assert all(result.exit_code == 0 for result in logged), [result.stderr for result in logged]
    after = everything_counted(run, tmp_path, as_of)
    assert [name for name in before if after[name] != before[name]] == []
    assert all("It has not ended yet: it counts from" in result.stderr for result in logged)
    listed = run("list", "--planned", "--json").json()
    assert [r["kind"] for r in listed] == ["supervision", "therapy", "practice", "supervision"]  # soonest first
    assert {r["kind"] for r in run("list", "-n", "0", "--json").json()} == {"therapy", "supervision", "practice", "cpd"}
    assert len(run("list", "-n", "0", "--json").json()) == 5
    assert "planned:    4" in run("db", "status").stdout
    assert "4 planned session(s) not shown" in run("list").stderr
    assert "not shown" not in run("list", "--kind", "cpd").stderr
    # Everything you own is exported, planned sessions included.
    assert len(json.loads(run("export").stdout)) == 9


def test_a_planned_session_starts_to_count_by_itself_when_it_ends(journal):
    """No command runs in between: the totals read the clock when they are asked."""
    ends = datetime.now(timezone.utc) + timedelta(seconds=2)
    at = (ends - timedelta(minutes=1)).astimezone(LONDON)
    add_session(journal, SessionInput(kind="cpd", minutes=1, at=at))
    by_kind = Filters()
    assert report(journal, "kind", by_kind) == []
    assert report(journal, "kind", Filters(since=at - timedelta(hours=1))) == []
    time.sleep(max(0.0, (ends - datetime.now(timezone.utc)).total_seconds()) + 1.1)
    assert [(row["kind"], row["count"]) for row in report(journal, "kind", by_kind)] == [("cpd", 1)]
    assert [(row["kind"], row["count"]) for row in report(journal, "kind", Filters(since=at - timedelta(hours=1)))] \
        == [("cpd", 1)]


def test_list_planned_when_there_are_none(run):
    run("log", "therapy", "50m", "--at", "2026-03-02 18:00")
    result = run("list", "--planned")
    assert result.exit_code == 0
    assert result.stdout == "" and "No planned sessions." in result.stderr


@given(st.lists(st.tuples(st.integers(-6 * 24 * 60, 6 * 24 * 60), st.integers(1, 1440),
                          st.sampled_from(["Pacific/Kiritimati", "Etc/GMT+12", "Europe/London", "UTC",
                                           "America/Los_Angeles", "Asia/Kolkata"])), min_size=1, max_size=30))
@settings(max_examples=60, deadline=None)
def test_counted_is_exactly_ended_and_planned_its_opposite(sessions):
    """The shortcuts (a local date three days back, a start a day back) never misjudge a session,
    in the zones furthest from UTC either way."""
    import sqlite3

    from journal.dates import to_utc_text
    from journal.planned import counted, planned

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE e (start_utc TEXT, date TEXT, minutes INTEGER, ended INTEGER)")
    now = datetime.now(timezone.utc).replace(microsecond=0)
    for offset, minutes, zone in sessions:
        start = (now + timedelta(minutes=offset)).astimezone(ZoneInfo(zone))
        ended = start + timedelta(minutes=minutes) <= datetime.now(timezone.utc) - timedelta(seconds=1)
        conn.execute("INSERT INTO e VALUES (?, ?, ?, ?)", (to_utc_text(start), start.date().isoformat(), minutes,
                                                            ended))
    # A second of margin either side: the clock moves while the rows are written and read.
    unsure = now - timedelta(seconds=2), now + timedelta(seconds=2)
    for ended, is_counted, is_planned, end in conn.execute(
            f"SELECT ended, {counted('e')}, {planned('e')}, "
            "strftime('%Y-%m-%dT%H:%M:%SZ', start_utc, '+' || minutes || ' minutes') FROM e"):
        assert is_counted != is_planned
        if not unsure[0] <= datetime.fromisoformat(end) <= unsure[1]:
            assert bool(is_counted) == bool(ended)
