"""Issue 10, item 7: the same session is not stored and counted twice. `journal log` refuses an
exact repeat (same kind, start, length, person and client) naming the session it repeats, unless
--again; it warns when a new session overlaps another; `journal db check` lists both."""

from __future__ import annotations

import pytest

SUPERVISION = ("log", "supervision", "1h", "--at", "2026-03-03 10:00", "--with", "Alice")


def count(run) -> int:
    return len(run("list", "-n", "0", "--json").json())


def test_an_exact_repeat_is_refused_naming_the_session(run):
    assert run(*SUPERVISION).exit_code == 0
    again = run(*SUPERVISION, "--note", "typed twice")
    assert again.exit_code == 1
    assert "logged already, as #1" in again.stderr and "--again" in again.stderr
    assert "Traceback" not in again.stderr and count(run) == 1
    assert run("report", "--json").json()[0]["hours"] == 1.0
    forced = run(*SUPERVISION, "--again")
    assert forced.exit_code == 0 and count(run) == 2


@pytest.mark.parametrize("different", [
    ("log", "supervision", "1h", "--at", "2026-03-03 10:00", "--with", "Bob"),
    ("log", "supervision", "50m", "--at", "2026-03-03 10:00", "--with", "Alice"),
    ("log", "supervision", "1h", "--at", "2026-03-03 10:01", "--with", "Alice"),
    ("log", "cpd", "1h", "--at", "2026-03-03 10:00"),
])
def test_what_differs_is_not_a_repeat(run, different):
    run(*SUPERVISION)
    result = run(*different)
    assert result.exit_code == 0, result.stderr
    assert count(run) == 2


def test_same_minute_clients_are_not_repeats(run):
    """Two clients seen at the same default time are two sessions (a co-led group, a day sheet)."""
    for code in ("C014", "C015"):
        assert run("log", "practice", "50m", "--at", "2026-03-03 09:00", "--client", code).exit_code == 0
    repeat = run("log", "practice", "50m", "--at", "2026-03-03 09:00", "--client", "c014")
    assert repeat.exit_code == 1 and "#1" in repeat.stderr


def test_an_overlap_is_pointed_out_on_stderr(run):
    run(*SUPERVISION)
    inside = run("log", "cpd", "3h", "--at", "2026-03-03 08:00", "--json")
    assert inside.exit_code == 0
    assert "Warning: it overlaps #1, supervision on 2026-03-03 at 10:00 for 1 h" in inside.stderr
    assert inside.json()["id"] == 2  # stdout stays the record alone
    after = run("log", "therapy", "50m", "--at", "2026-03-03 11:00")  # starts as the others end
    assert after.exit_code == 0 and "overlaps" not in after.stderr


def test_db_check_lists_repeats_and_overlaps(run):
    run(*SUPERVISION)
    run(*SUPERVISION, "--again")
    run("log", "cpd", "1h", "--at", "2026-03-03 10:30")
    run("log", "therapy", "50m", "--at", "2026-03-04 18:00")
    result = run("db", "check")
    assert result.exit_code == 1
    assert "repeats:       1 session(s) logged again" in result.stdout and "#2 repeats #1" in result.stdout
    assert "overlaps:      2 pair(s) of sessions share some time: #1 and #3, #2 and #3" in result.stdout
    assert "some sessions need fixing (repeats)" in result.stderr
    assert run("rm", "2").exit_code == 0
    fixed = run("db", "check")
    assert fixed.exit_code == 0, fixed.stderr  # an overlap may be right: listed, not an error
    assert "repeats:       ok" in fixed.stdout and "#1 and #3" in fixed.stdout


def test_an_edit_never_makes_a_repeat_and_points_out_an_overlap(run):
    run(*SUPERVISION)
    run("log", "supervision", "1h", "--at", "2026-03-03 14:00", "--with", "Alice")
    same = run("edit", "2", "--at", "2026-03-03 10:00")
    assert same.exit_code == 1
    assert "entry 2 would then repeat #1 exactly" in same.stderr and "journal rm 2" in same.stderr
    assert run("show", "2", "--json").json()["start"].startswith("2026-03-03T14:00")
    assert run("edit", "2", "--at", "2026-03-03 10:00", "--again").exit_code == 0
    moved = run("edit", "2", "--at", "2026-03-03 10:30")  # (from the repeat forced above)
    assert moved.exit_code == 0
    assert "Warning: it overlaps #1, supervision on 2026-03-03 at 10:00" in moved.stderr
