"""`journal log`: every option of the contract, the echo, and refusals that write nothing."""

from __future__ import annotations

import pytest

from conftest import file_digest


def test_log_therapy_echoes_and_stores(run):
    result = run("log", "therapy", "50m", "--at", "2026-03-03 15:00", "--with", "Dr Martin", "--json")
    assert result.exit_code == 0, result.stderr
    record = result.json()
    assert record["kind"] == "therapy"
    assert record["minutes"] == 50
    assert record["start"] == "2026-03-03T15:00:00+00:00"
    assert record["date"] == "2026-03-03"
    assert record["with"] == "Dr Martin"
    assert record["shared"] is True
    assert "50 min" in result.stderr and "3 March 2026 at 15:00" in result.stderr


def test_log_group_supervision_and_practice_options(run):
    sup = run("log", "supervision", "1h30m", "--at", "2026-03-04 10:00", "--with", "Alice",
              "--format", "group", "--group-size", "4", "--json").json()
    assert (sup["minutes"], sup["format"], sup["group_size"]) == (90, "group", 4)
    practice = run("log", "practice", "50m", "--at", "2026-03-04 12:00", "--client", "c014",
                   "--setting", "Riverside clinic", "--mode", "video", "--paid", "--tag", "Trauma",
                   "--tag", "#trauma", "--json").json()
    assert practice["client"] == "C014"
    assert practice["paid"] is True and practice["mode"] == "video"
    assert practice["tags"] == ["Trauma"]


def test_same_person_typed_differently_is_one_person(run, journal):
    run("log", "supervision", "1h", "--at", "2026-03-04 10:00", "--with", "Dr. Alice Smith")
    run("log", "supervision", "1h", "--at", "2026-03-11 10:00", "--with", "dr alice  smith")
    assert journal.query("SELECT count(*) AS n FROM people")[0]["n"] == 1


def test_typo_of_known_person_is_refused_off_terminal(run, db_path):
    run("log", "supervision", "1h", "--at", "2026-03-04 10:00", "--with", "Alice")
    before = file_digest(db_path)
    result = run("log", "supervision", "1h", "--at", "2026-03-11 10:00", "--with", "Alcie")
    assert result.exit_code == 2
    assert "one letter away from 'Alice'" in result.stderr
    assert file_digest(db_path) == before
    assert run("log", "supervision", "1h", "--at", "2026-03-11 10:00", "--with", "Alcie",
               "--new-person").exit_code == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["log", "walk", "50m"], "unknown kind 'walk'"),
        (["log", "therapy", "0"], "is zero"),
        (["log", "therapy", "--", "-50m"], "is negative"),
        (["log", "therapy", "25h"], "over 24 hours"),
        (["log", "therapy", "soon"], "cannot read the duration"),
        (["log", "therapy", "50m", "--at", "12"], "is not a date"),
        (["log", "therapy", "50m", "--at", "the day after"], "cannot understand the date"),
        (["log", "therapy", "50m", "--at", "tomorrow 9am"], "in the future"),
        (["log", "supervision", "1h", "--group-size", "4"], "needs a group format"),
        (["log", "practice", "50m", "--client", "Anna"], "looks like a name"),
        (["log", "practice", "50m", "--client", "C 14"], "contains spaces"),
        (["log", "therapy", "50m", "--client", "C014"], "--client is for practice"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(run, db_path, args, message):
    run("log", "therapy", "50m", "--at", "2026-03-03 15:00")
    before = file_digest(db_path)
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert file_digest(db_path) == before


def test_allow_future_accepts_a_planned_session(run):
    result = run("log", "supervision", "1h", "--at", "tomorrow 9am", "--allow-future", "--json")
    assert result.exit_code == 0
    assert result.json()["minutes"] == 60


def test_session_across_midnight_belongs_to_its_start_date(run):
    record = run("log", "practice", "2h", "--at", "2026-03-03 23:30", "--json").json()
    assert record["date"] == "2026-03-03"
    assert record["end"] == "2026-03-04T01:30:00+00:00"
    listed = run("list", "--since", "2026-03-04", "--json").json()
    assert listed == []


def test_dst_change_day_keeps_local_date_and_utc_instant(run, journal):
    record = run("log", "therapy", "50m", "--at", "2026-03-29 09:00", "--json").json()
    assert record["start"] == "2026-03-29T09:00:00+01:00"
    row = journal.query("SELECT start_utc, tz, date FROM entries WHERE id = ?", (record["id"],))[0]
    assert row == {"start_utc": "2026-03-29T08:00:00Z", "tz": "Europe/London", "date": "2026-03-29"}


# Group supervision: BACP credits it by the number of supervisees, so its size is asked for.

def test_group_supervision_without_a_size_is_refused_off_a_terminal(run):
    run("init")
    result = run("log", "supervision", "1h30m", "--at", "2026-03-04 10:00", "--format", "group")
    assert result.exit_code == 2
    assert "group supervision needs its size" in result.stderr and "--group-size N" in result.stderr
    assert run("list", "--json").json() == []  # nothing written


def test_group_supervision_asks_its_size_on_a_terminal(db_path):
    """On a terminal `journal log` asks how many supervisees there were, and stores the answer."""
    import json
    import os
    import pty
    import subprocess
    import sys
    import time

    main, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "journal", "--db", str(db_path), "log", "supervision", "2h", "--at",
         "2026-03-04 10:00", "--format", "peer", "--json"],
        stdin=secondary, stdout=subprocess.PIPE, stderr=secondary, env={**os.environ, "TZ": "Europe/London"})
    os.close(secondary)
    seen, deadline = b"", time.monotonic() + 60
    while b"How many supervisees" not in seen and time.monotonic() < deadline:
        seen += os.read(main, 1024)
    os.write(main, b"1\n")  # not a group: asked again
    while seen.count(b"How many supervisees") < 2 and time.monotonic() < deadline:
        seen += os.read(main, 1024)
    os.write(main, b"6\n")
    out, _ = process.communicate(timeout=60)
    os.close(main)
    assert process.returncode == 0, seen
    assert b"1 is not in the range 2<=x<=500" in seen
    assert json.loads(out)["group_size"] == 6
