"""A running session: `journal start`, `stop`, `status` and `cancel`, across separate processes."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from journal.db import open_journal

LONDON = ZoneInfo("Europe/London")


def journal_process(db, *args, input=None):
    """A real `journal` process, as a new terminal would run it."""
    return subprocess.run([sys.executable, "-m", "journal", "--db", str(db), *args], input=input,
                          capture_output=True, text=True, timeout=60)


def ago(minutes: int) -> str:
    return f"{datetime.now(LONDON) - timedelta(minutes=minutes):%Y-%m-%d %H:%M}"


def test_start_then_stop_in_other_processes_logs_the_session(db_path):
    started = journal_process(db_path, "start", "therapy", "--with", "Dr Martin", "--at", ago(50),
                              "--note", "talked about @endings", "--mode", "video")
    assert started.returncode == 0, started.stderr
    assert "Started therapy with Dr Martin" in started.stderr
    status = journal_process(db_path, "status", "--json")
    running = json.loads(status.stdout)
    assert (running["kind"], running["with"], running["mode"]) == ("therapy", "Dr Martin", "video")
    assert 49 <= running["elapsed_minutes"] <= 51
    assert "Running: therapy with Dr Martin" in journal_process(db_path, "status").stdout

    stopped = journal_process(db_path, "stop", "--json")
    assert stopped.returncode == 0, stopped.stderr
    record = json.loads(stopped.stdout)
    assert (record["kind"], record["with"], record["mode"], record["tags"]) == ("therapy", "Dr Martin", "video",
                                                                               ["endings"])
    assert 49 <= record["minutes"] <= 51
    assert record["note"] == "talked about @endings"
    listed = json.loads(journal_process(db_path, "list", "--json").stdout)
    assert [r["id"] for r in listed] == [record["id"]]
    assert json.loads(journal_process(db_path, "status", "--json").stdout) is None


def test_a_second_start_is_refused_naming_the_first(run):
    assert run("start", "supervision", "--with", "Alice", "--at", ago(10)).exit_code == 0
    second = run("start", "practice", "--client", "C014")
    assert second.exit_code == 1
    assert "already running: supervision with Alice" in second.stderr
    assert "`journal stop` logs it, `journal cancel` drops it" in second.stderr


def test_stop_or_cancel_with_nothing_running_says_so(run):
    run("log", "therapy", "50m", "--at", "yesterday 10:00")
    for command in ("stop", "cancel"):
        result = run(command)
        assert result.exit_code == 1
        assert result.stderr == ("Error: no session is running; start one with `journal start KIND`, "
                                 "e.g. journal start therapy\n")
    assert "No session is running" in run("status").stderr


def test_stop_at_a_given_time(run):
    run("start", "practice", "--client", "c014", "--setting", "Riverside", "--paid", "--at", ago(120))
    record = run("stop", "--at", ago(60), "--json").json()
    assert (record["client"], record["setting"], record["paid"]) == ("C014", "Riverside", True)
    assert 59 <= record["minutes"] <= 61


def test_cancel_drops_it_and_logs_nothing(run):
    run("start", "cpd", "--title", "Trauma workshop", "--with", "Someone New")
    result = run("cancel")
    assert result.exit_code == 0 and "nothing was logged" in result.stderr
    assert run("list", "--json").json() == []
    assert run("people", "--json").json() == []  # the person named only by the cancelled session goes too
    assert run("stop").exit_code == 1


def test_start_checks_its_options_like_log(run):
    assert run("start", "therapy", "--client", "C014").exit_code == 2
    assert run("start", "nap").exit_code == 2
    assert run("start", "therapy", "--at", "tomorrow 10:00").exit_code == 2
    assert run("status", "--json").json() is None


def test_over_24_hours_is_not_logged_without_its_real_end(run, db_path):
    start = datetime.now(LONDON) - timedelta(days=2)
    run("start", "supervision", "--at", f"{start:%Y-%m-%d %H:%M}")
    result = run("stop")  # not a terminal: refused, with the hint
    assert result.exit_code == 2
    assert "over 24 hours" in result.stderr and "journal stop --at WHEN" in result.stderr
    assert run("status", "--json").json()["kind"] == "supervision"  # still running
    record = run("stop", "--at", f"{start + timedelta(minutes=90):%Y-%m-%d %H:%M}", "--json").json()
    assert record["minutes"] == 90


def test_stop_before_the_start_is_refused(run):
    run("start", "therapy", "--at", ago(30))
    result = run("stop", "--at", ago(40))
    assert result.exit_code == 2 and "before a minute had passed" in result.stderr


def test_the_running_session_never_reaches_the_supervisor_file(run, db_path, tmp_path):
    canary = "CANARY-RUNNING-7f3a"
    run("log", "supervision", "1h", "--at", "yesterday 10:00")
    run("start", "practice", "--client", "C777", "--note", canary, "--title", canary)
    out = tmp_path / "published.db"
    assert run("publish", "--out", str(out)).exit_code == 0
    assert canary.encode() not in out.read_bytes()
    assert b"C777" not in out.read_bytes()


def test_the_running_row_lives_in_the_journal(run, db_path):
    run("start", "therapy", "--at", ago(5))
    journal = open_journal(db_path)
    try:
        assert journal.execute("SELECT kind FROM running").fetchall() == [("therapy",)]
    finally:
        journal.close()


def test_on_a_terminal_stop_asks_for_the_real_end_of_a_day_old_session(run, db_path):
    from ptys import Terminal

    start = datetime.now(LONDON) - timedelta(days=2)
    run("start", "therapy", "--at", f"{start:%Y-%m-%d %H:%M}")
    terminal = Terminal([sys.executable, "-m", "journal", "--db", str(db_path), "stop", "--json"])
    try:
        terminal.wait_for("When did it end?")
        terminal.type(f"{start + timedelta(minutes=50):%Y-%m-%d %H:%M}\n")
        assert terminal.exit_code() == 0
    finally:
        terminal.close()
    assert [r["minutes"] for r in run("list", "--json").json()] == [50]


def test_start_asks_for_a_groups_size_as_log_does(run):
    run("init")
    result = run("start", "supervision", "--format", "group")
    assert result.exit_code == 2 and "--group-size N" in result.stderr
    assert run("start", "supervision", "--format", "group", "--group-size", "4").exit_code == 0


def test_a_stopped_session_counts_at_once(run):
    """It ends when it is stopped, never after: a session ending later would still be planned."""
    run("start", "practice", "--client", "C014", "--at", ago(30))
    record = run("stop", "--json").json()
    assert datetime.fromisoformat(record["end"]) <= datetime.now(LONDON)
    assert [r["id"] for r in run("list", "--json").json()] == [record["id"]]
    assert run("report", "--by", "kind", "--json").json()[0]["count"] == 1
