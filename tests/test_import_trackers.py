"""Spreadsheets and time-tracker exports: the usual headers of Toggl, Clockify, Harvest, Kimai and
solidtime, their duration forms, date order, zero-length rows, and client names never stored."""

from __future__ import annotations

import hashlib

import pytest

from conftest import file_digest
from test_import import RULES, SAMPLES, entries

SUPERVISION_WITH = ("--match", "Supervision with {with}=supervision")


def stored(run) -> list[tuple]:
    return [(r["kind"], r["start"], r["minutes"], r["with"], r["format"], r["group_size"], r["client"])
            for r in entries(run)]


TRACKERS = [
    ("toggl-track.csv", (), "5 added, 0 already present, 2 skipped (1 matched no --match rule, 1 of no length).", [
        ("supervision", "2026-03-03T10:00:00+00:00", 90, "Alice Moreno", "individual", None, None),  # 1:29:40
        ("practice", "2026-03-04T09:00:00+00:00", 50, None, "individual", None, "C014"),
        ("practice", "2026-03-04T09:00:00+00:00", 50, None, "individual", None, "C015"),
        ("therapy", "2026-03-05T18:00:00+00:00", 50, None, "individual", None, None),  # 49 min 31 s
        ("practice", "2026-03-09T23:30:00+00:00", 75, None, "group", 6, "C020"),  # across midnight
    ]),
    ("clockify.csv", ("--date-order", "mdy"), "4 added, 0 already present, 0 skipped.", [
        ("supervision", "2026-03-10T14:00:00+00:00", 90, None, "group", 4, None),
        ("practice", "2026-03-11T09:00:00+00:00", 50, None, "individual", None, "C021"),
        ("practice", "2026-03-11T10:00:00+00:00", 50, None, "individual", None, "C022"),
        ("therapy", "2026-03-24T18:00:00+00:00", 50, None, "individual", None, None),
    ]),
    ("harvest.csv", (), "5 added, 0 already present, 1 skipped (1 of no length).", [
        ("practice", "2026-03-16T09:00:00+00:00", 50, None, "individual", None, "C031"),  # same day, both
        ("practice", "2026-03-16T09:00:00+00:00", 50, None, "individual", None, "C032"),
        ("supervision", "2026-03-17T09:00:00+00:00", 90, None, "individual", None, None),
        ("cpd", "2026-03-18T09:00:00+00:00", 135, None, None, None, None),
        ("cpd", "2026-03-18T09:00:00+00:00", 135, None, None, None, None),
    ]),
    ("kimai.csv", (), "3 added, 0 already present, 1 skipped (1 of no length).", [
        ("practice", "2026-03-23T09:00:00+00:00", 50, None, "individual", None, "C041"),
        ("practice", "2026-03-23T10:00:00+00:00", 50, None, "individual", None, "C042"),
        ("supervision", "2026-03-24T14:00:00+00:00", 90, "Alice Moreno", "individual", None, None),
    ]),
    ("solidtime.csv", (), "3 added, 0 already present, 0 skipped.", [
        ("practice", "2026-03-26T09:00:00+00:00", 50, None, "individual", None, "C051"),
        ("supervision", "2026-03-27T13:00:00+00:00", 90, "Alice Moreno", "individual", None, None),
        ("therapy", "2026-03-30T18:00:00+01:00", 50, None, "individual", None, None),
    ]),
]


@pytest.mark.parametrize("sample, options, summary, expected", TRACKERS, ids=[t[0] for t in TRACKERS])
def test_time_tracker_exports_import_with_their_own_headers(run, sample, options, summary, expected):
    result = run("import", "csv", str(SAMPLES / sample), *SUPERVISION_WITH, "--match-file", RULES, *options)
    assert result.exit_code == 0, result.stderr
    assert f"{sample} (csv): {summary}" in result.stderr
    assert stored(run) == expected
    again = run("import", "csv", str(SAMPLES / sample), *SUPERVISION_WITH, "--match-file", RULES, *options)
    assert f"0 added, {len(expected)} already present" in again.stderr


@pytest.mark.parametrize("sample", [t[0] for t in TRACKERS])
def test_client_and_project_names_are_never_stored(run, db_path, sample):
    """Client, Customer and Project cells hold names: matched by rules, never kept as a code, a
    person or a title (only codes that match --client-pattern become the client)."""
    options = ("--date-order", "mdy") if sample == "clockify.csv" else ()
    run("import", "csv", str(SAMPLES / sample), "--match-file", RULES, *options)
    dump = "\n".join(open_dump(db_path))
    for name in ("Riverside Clinic", "Private practice", "Client work", "sam@example.org"):
        assert name not in dump


def open_dump(db_path):
    from journal.db import open_journal

    journal = open_journal(db_path)
    try:
        return list(journal.conn.iterdump())
    finally:
        journal.close()


def test_a_client_name_in_a_code_column_is_refused_without_echoing_it(run, tmp_path):
    path = tmp_path / "named.csv"
    path.write_text("Date,Duration,Kind,Client code\n2026-03-02 10:00,50m,practice,Jane Doe\n")
    result = run("import", "csv", str(path))
    assert result.exit_code == 1
    assert "line 2: the client part is not a client code such as C014" in result.stderr
    assert "Jane" not in result.stderr


def test_a_person_on_client_work_is_left_out_and_counted(run, db_path, tmp_path):
    path = tmp_path / "with.csv"
    path.write_text("Date,Duration,Kind,With,Client\n2026-03-02 10:00,50m,practice,Jane Doe,C014\n"
                    "2026-03-03 10:00,1h,supervision,Alice Moreno,\n")
    result = run("import", "csv", str(path))
    assert "2 added" in result.stderr and "1 with a client's name, left out" in result.stderr
    assert [(r["kind"], r["with"], r["client"]) for r in entries(run)] == [
        ("practice", None, "C014"), ("supervision", "Alice Moreno", None)]
    assert not any("Jane" in line for line in open_dump(db_path))


@pytest.mark.parametrize("cell, minutes", [
    ("01:30:00", 90), ("00:49:31", 50), ("00:49:29", 49), ("1:30", 90), ("50m", 50), ("1.5h", 90), ("50", 50),
])
def test_duration_cells(run, tmp_path, cell, minutes):
    path = tmp_path / "d.csv"
    path.write_text(f"Date,Duration,Kind\n2026-03-02 10:00,{cell},therapy\n")
    assert run("import", "csv", str(path)).exit_code == 0
    assert [r["minutes"] for r in entries(run)] == [minutes]


@pytest.mark.parametrize("header, cell, minutes", [
    ("Hours", "1.5", 90), ("Hours", "1,25", 75), ("Duration (decimal)", "0.83", 50), ("Duration (seconds)", "3000", 50),
])
def test_hours_and_seconds_columns(run, tmp_path, header, cell, minutes):
    path = tmp_path / "h.csv"
    path.write_text(f'Date,"{header}",Kind\n2026-03-02 10:00,"{cell}",therapy\n')
    result = run("import", "csv", str(path))
    assert result.exit_code == 0, result.stderr
    assert [r["minutes"] for r in entries(run)] == [minutes]


@pytest.mark.parametrize("row", [
    "2026-03-02,10:00,10:00,",  # start and end the same: never a 24-hour session
    "2026-03-02,10:00,,0",
    "2026-03-02,10:00,,00:00:00",
    "2026-03-02,10:00,,0.0",
])
def test_zero_length_rows_are_skipped_and_counted(run, tmp_path, row):
    path = tmp_path / "z.csv"
    path.write_text(f"Date,Start,End,Duration,Kind\n{row},therapy\n2026-03-03,10:00,10:50,,therapy\n")
    result = run("import", "csv", str(path))
    assert "1 added, 0 already present, 1 skipped (1 of no length)." in result.stderr
    assert [r["minutes"] for r in entries(run)] == [50]


def test_full_timestamps_in_start_and_end_and_an_end_before_its_start(run, tmp_path):
    path = tmp_path / "iso.csv"
    path.write_text("Start,End,Kind\n2026-03-02T10:00:00+01:00,2026-03-02T10:50:00+01:00,therapy\n"
                    "2026-03-03T11:00:00Z,2026-03-03T10:00:00Z,supervision\n")
    result = run("import", "csv", str(path))
    assert "2 added" in result.stderr
    assert "1 with an end before the start, swapped as calendar apps do" in result.stderr
    assert [(r["start"], r["minutes"]) for r in entries(run)] == [
        ("2026-03-02T09:00:00+00:00", 50), ("2026-03-03T10:00:00+00:00", 60)]


# --- date order (issue 10, item 9) -------------------------------------------------------------

MONTH_FIRST = "Date,Duration,Kind\n3/2/2026,50m,therapy\n3/20/2026,50m,therapy\n"


def test_a_month_first_file_read_day_first_is_refused_naming_the_line_and_the_fix(run, db_path, tmp_path):
    path = tmp_path / "us.csv"
    path.write_text(MONTH_FIRST)
    before = file_digest(db_path)
    result = run("import", "csv", str(path))
    assert result.exit_code == 1
    assert "line 3: '3/20/2026' is not a date day-first (there is no month 20)" in result.stderr
    assert "--date-order mdy" in result.stderr
    assert file_digest(db_path) == before
    fixed = run("import", "csv", str(path), "--date-order", "mdy")
    assert fixed.exit_code == 0 and "2 added" in fixed.stderr
    assert [r["date"] for r in entries(run)] == ["2026-03-02", "2026-03-20"]


def test_a_day_first_file_read_month_first_is_refused_too(run, journal, tmp_path):
    from journal.settings import set_setting

    with journal.transaction():
        set_setting(journal, "date_order", "mdy")
    path = tmp_path / "uk.csv"
    path.write_text("Date,Duration,Kind\n03/02/2026,50m,therapy\n20/03/2026,50m,therapy\n")
    result = run("import", "csv", str(path))
    assert result.exit_code == 1 and "line 3: '20/03/2026' is not a date month-first" in result.stderr
    assert "--date-order dmy" in result.stderr
    assert run("import", "csv", str(path), "--date-order", "dmy").exit_code == 0


def test_when_every_date_is_ambiguous_the_summary_says_which_order_was_used(run, tmp_path):
    path = tmp_path / "both.csv"
    path.write_text("Date,Duration,Kind\n03/04/2026,50m,therapy\n05/04/2026,50m,therapy\n")
    result = run("import", "csv", str(path))
    assert "read day-first (03/04/2026 is 3 April 2026)" in result.stderr
    assert "--date-order mdy" in result.stderr
    summary = run("import", "csv", str(path), "--json").json()
    assert summary["notices"] and "day-first" in summary["notices"][0]
    clear = tmp_path / "clear.csv"
    clear.write_text("Date,Duration,Kind\n03/04/2026,50m,therapy\n25/04/2026,50m,therapy\n")
    assert "either way" not in run("import", "csv", str(clear)).stderr


def test_date_order_is_only_for_spreadsheets(run):
    result = run("import", "ics", str(SAMPLES / "outlook.ics"), "--date-order", "mdy")
    assert result.exit_code == 2 and "--date-order is for spreadsheets" in result.stderr


# --- journals written before whole-record identities (issue 10, item 2) ------------------------

def test_a_harvest_day_imported_before_gets_its_lost_entry_and_nothing_twice(run, journal, tmp_path):
    """Earlier versions keyed a row by kind, start, length, person and client: two CPD entries of
    one day became one. Their stored key still stands for that one row; the lost one arrives."""
    path = tmp_path / "day.csv"
    path.write_text("Date,Project,Notes,Hours\n2026-03-18,CPD,Attachment in adults,2.25\n"
                    "2026-03-18,CPD,Ethics framework,2.25\n")
    old_key = "csv:" + hashlib.sha1(b"cpd|2026-03-18T09:00:00+00:00|135||").hexdigest()[:20]
    run("import", "csv", str(path), "--match", "CPD=cpd")
    with journal.transaction():  # as the earlier version left the journal: only the first row, its key
        journal.execute("DELETE FROM entries WHERE note = 'Ethics framework'")
        journal.execute("UPDATE entries SET source_key = ?", (old_key,))
    result = run("import", "csv", str(path), "--match", "CPD=cpd")
    assert "1 added, 1 already present" in result.stderr
    assert sorted(r["note"] for r in entries(run)) == ["Attachment in adults", "Ethics framework"]
    assert "0 added, 2 already present" in run("import", "csv", str(path), "--match", "CPD=cpd").stderr


def test_two_clients_of_one_day_differing_only_by_name_both_arrive_and_a_copied_row_once(run, db_path, tmp_path):
    """Harvest's Client column holds names, which are never stored: two entries of one day that
    differ only there are still two sessions; a row copied twice is one."""
    path = tmp_path / "harvest.csv"
    path.write_text("Date,Client,Project,Hours\n2026-03-16,Jane Doe,Therapy,0.83\n"
                    "2026-03-16,John Roe,Therapy,0.83\n2026-03-16,John Roe,Therapy,0.83\n")
    result = run("import", "csv", str(path), "--match", "Therapy=practice")
    assert "2 added, 0 already present, 1 skipped (1 repeated in the file)." in result.stderr
    assert [(r["kind"], r["minutes"], r["client"]) for r in entries(run)] == [("practice", 50, None)] * 2
    assert "0 added, 2 already present" in run("import", "csv", str(path), "--match", "Therapy=practice").stderr
    assert not any("Jane" in line or "Roe" in line for line in open_dump(db_path))
