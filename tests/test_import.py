"""`journal import`: the sample files in data/samples, idempotence, dry runs and malformed files."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import file_digest
from journal.settings import set_setting

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
RULES = str(SAMPLES / "match-rules.txt")

# The weekly supervision (Tuesdays 10:00 London, 3 March to 14 April 2026): the 17 March instance
# moved to Wednesday 18 March 14:00, 7 April cancelled, UK clocks forward on 29 March.
CALENDAR = [
    ("2026-03-03T10:00:00+00:00", 90, "supervision"),
    ("2026-03-05T18:00:00+00:00", 50, "therapy"),
    ("2026-03-10T10:00:00+00:00", 90, "supervision"),
    ("2026-03-18T14:00:00+00:00", 90, "supervision"),
    ("2026-03-24T10:00:00+00:00", 90, "supervision"),
    ("2026-03-31T10:00:00+01:00", 90, "supervision"),
    ("2026-04-14T10:00:00+01:00", 90, "supervision"),
]


def entries(run) -> list[dict]:
    result = run("export")
    assert result.exit_code == 0, result.stderr
    return result.json()


def sessions(run) -> list[tuple]:
    return [(r["start"], r["minutes"], r["kind"]) for r in entries(run)]


@pytest.mark.parametrize("sample", ["google-calendar.ics", "outlook.ics"])
def test_calendar_exports_expand_the_recurring_supervision(run, sample):
    result = run("import", "ics", str(SAMPLES / sample), "--match-file", RULES)
    assert result.exit_code == 0, result.stderr
    assert (f"{sample} (ics): 7 added, 0 already present, 3 skipped "
            "(1 all-day, 1 cancelled, 1 matched no --match rule)") in result.stderr
    assert sessions(run) == CALENDAR
    stored = entries(run)
    assert {r["title"] for r in stored} == {"Supervision with Alice", "Therapy with Dr Martin"}
    assert all(r["source"] == "ics" and r["shared"] for r in stored)


def test_importing_the_same_calendar_twice_adds_nothing(run, db_path):
    run("import", "ics", str(SAMPLES / "google-calendar.ics"), "--match", "Supervision*=supervision")
    before = file_digest(db_path)
    again = run("import", "ics", str(SAMPLES / "google-calendar.ics"), "--match", "Supervision*=supervision")
    assert again.exit_code == 0
    assert "0 added, 6 already present" in again.stderr
    assert file_digest(db_path) == before


def test_the_other_calendars_export_of_the_same_sessions_is_already_present(run):
    run("import", "ics", str(SAMPLES / "google-calendar.ics"), "--match-file", RULES)
    result = run("import", "ics", str(SAMPLES / "outlook.ics"), "--match-file", RULES)
    assert "0 added, 7 already present" in result.stderr
    assert len(entries(run)) == 7


def test_a_hand_logged_session_at_the_same_minute_is_a_different_record_and_the_summary_says_so(run):
    """Only the whole record makes two sessions the same: the calendar's event has a title the
    hand-logged session lacks, so it arrives, and the summary points at the possible repeat."""
    run("log", "therapy", "50m", "--at", "2026-03-05 18:00", "--with", "Dr Martin")
    result = run("import", "ics", str(SAMPLES / "google-calendar.ics"), "--match", "Therapy*=therapy")
    assert "1 added, 0 already present" in result.stderr
    assert "1 at the same minute as a session of the same kind already in the journal" in result.stderr


def test_dry_run_lists_and_writes_nothing(run, db_path):
    run("log", "cpd", "1h", "--at", "2026-01-05 10:00")
    before = file_digest(db_path)
    result = run("import", "ics", str(SAMPLES / "outlook.ics"), "--match-file", RULES, "--dry-run")
    assert result.exit_code == 0
    assert "Dry run, nothing written: outlook.ics (ics): 7 would be added" in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["date", "time", "kind", "minutes", "with", "title"]
    assert [line.split()[:4] for line in lines[2:]] == [
        [start[:10], start[11:16], kind, str(minutes)] for start, minutes, kind in CALENDAR]
    assert file_digest(db_path) == before
    summary = run("import", "ics", str(SAMPLES / "outlook.ics"), "--match-file", RULES,
                  "--dry-run", "--json").json()
    assert summary["added"] == 7 and summary["skipped"] == {
        "all-day": 1, "cancelled": 1, "matched no --match rule": 1}
    assert [r["date"] for r in summary["records"]][:3] == ["2026-03-03", "2026-03-05", "2026-03-10"]
    assert file_digest(db_path) == before


ZONES_ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Test//Handwritten//EN
BEGIN:VEVENT
UID:ny-series
SUMMARY:Therapy with Dr Roe
DTSTART;TZID=America/New_York:20260302T090000
DTEND;TZID=America/New_York:20260302T095000
RRULE:FREQ=WEEKLY;COUNT=3
RDATE;TZID=America/New_York:20260305T170000
EXDATE;TZID=America/New_York:20260309T090000
END:VEVENT
BEGIN:VEVENT
UID:ny-series
RECURRENCE-ID;TZID=America/New_York:20260316T090000
SUMMARY:Therapy with Dr Roe
STATUS:CANCELLED
DTSTART;TZID=America/New_York:20260316T090000
DTEND;TZID=America/New_York:20260316T095000
END:VEVENT
BEGIN:VEVENT
UID:outlook-windows-zone
SUMMARY:Supervision with Dr Roe
DTSTART;TZID="Eastern Standard Time":20260310T090000
DTEND;TZID="Eastern Standard Time":20260310T100000
END:VEVENT
BEGIN:VEVENT
UID:floating
SUMMARY:Supervision (floating time)
DTSTART:20260401T150000
DURATION:PT1H
END:VEVENT
BEGIN:VEVENT
UID:daily-forever
SUMMARY:Supervision daily
DTSTART:20260101T080000Z
DTEND:20260101T081500Z
RRULE:FREQ=DAILY;UNTIL=20260103
END:VEVENT
END:VCALENDAR
"""


def test_time_zones_rdate_exdate_and_cancelled_instances(run, tmp_path):
    path = tmp_path / "zones.ics"
    path.write_text(ZONES_ICS.replace("\n", "\r\n"))
    result = run("import", "ics", str(path), "--match", "Therapy*=therapy", "--match", "Supervision*=supervision")
    assert result.exit_code == 0, result.stderr
    assert "7 added, 0 already present, 1 skipped (1 cancelled)" in result.stderr
    # 09:00 in New York is 14:00 in London (both on winter time on 2 March); the 9 March instance
    # is excluded, the 16 March one cancelled, 5 March added by RDATE; a floating time is local;
    # Outlook's Windows zone name without a VTIMEZONE is New York (on summer time from 8 March).
    assert sessions(run) == [
        ("2026-01-01T08:00:00+00:00", 15, "supervision"),
        ("2026-01-02T08:00:00+00:00", 15, "supervision"),
        ("2026-01-03T08:00:00+00:00", 15, "supervision"),
        ("2026-03-02T14:00:00+00:00", 50, "therapy"),
        ("2026-03-05T22:00:00+00:00", 50, "therapy"),
        ("2026-03-10T13:00:00+00:00", 60, "supervision"),
        ("2026-04-01T15:00:00+01:00", 60, "supervision"),
    ]


def test_a_rule_without_an_end_stops_at_today(run, tmp_path):
    path = tmp_path / "weekly.ics"
    path.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:w\r\nSUMMARY:Therapy\r\n"
                    "DTSTART:20200106T090000Z\r\nDTEND:20200106T095000Z\r\nRRULE:FREQ=WEEKLY\r\n"
                    "END:VEVENT\r\nEND:VCALENDAR\r\n")
    summary = run("import", "ics", str(path), "--match", "therapy=therapy", "--dry-run", "--json").json()
    from datetime import date

    weeks = (date.today() - date(2020, 1, 6)).days // 7 + 1
    assert summary["added"] in (weeks - 1, weeks)  # today's instance counts once 09:00 UTC has passed
    assert summary["records"][-1]["date"] <= date.today().isoformat()


def test_jrnl_export_becomes_private_reflections(run):
    result = run("import", "jrnl", str(SAMPLES / "jrnl-export.json"))
    assert result.exit_code == 0, result.stderr
    assert "3 added, 0 already present, 0 skipped" in result.stderr
    stored = entries(run)
    assert [(r["kind"], r["start"], r["tags"], r["shared"]) for r in stored] == [
        ("reflection", "2026-03-02T19:40:00+00:00", ["rupture", "starred"], False),
        ("reflection", "2026-03-10T12:05:00+00:00", ["rupture", "supervision"], False),
        ("reflection", "2026-03-12T21:15:00+00:00", ["self-care"], False),
    ]
    assert stored[1]["title"] == "Brought the rupture to supervision."
    assert stored[1]["body"].startswith("Alice suggested I look at my own discomfort")
    assert (stored[2]["title"], stored[2]["body"]) == (None, "Tired after a full day; a walk helped.")
    assert "0 added, 3 already present" in run("import", "jrnl", str(SAMPLES / "jrnl-export.json")).stderr


def test_watson_frames_become_sessions_by_project(run):
    """Client codes in tags become the session's client (no longer a tag that could be published),
    and the `group` tag the group format."""
    result = run("import", "watson", str(SAMPLES / "watson-frames.json"), "--match-file", RULES)
    assert "6 added, 0 already present, 1 skipped (1 matched no --match rule)" in result.stderr
    assert [(r["start"], r["minutes"], r["kind"], r["title"], r["client"], r["format"], r["tags"])
            for r in entries(run)] == [
        ("2026-03-02T09:00:00+00:00", 50, "practice", "client-work", "C014", "individual", []),
        ("2026-03-02T10:00:00+00:00", 50, "practice", "client-work", "C022", "individual", []),
        ("2026-03-11T18:00:00+00:00", 50, "therapy", "therapy", None, "individual", []),
        ("2026-03-25T13:00:00+00:00", 90, "supervision", "supervision", None, "group", []),
        ("2026-03-30T10:00:00+01:00", 50, "practice", "client-work", "C014", "individual", []),
        ("2026-03-31T13:30:00+01:00", 180, "cpd", "reading", None, None, ["attachment", "cpd"]),
    ]


def test_watson_tags_match_when_the_project_does_not(run):
    result = run("import", "watson", str(SAMPLES / "watson-frames.json"), "--match", "cpd=cpd")
    assert "1 added, 0 already present, 6 skipped" in result.stderr
    assert [r["kind"] for r in entries(run)] == ["cpd"]


def test_timewarrior_export(run):
    result = run("import", "timew", str(SAMPLES / "timewarrior.json"), "--match-file", RULES)
    assert "3 added, 0 already present, 2 skipped (1 matched no --match rule, 1 still running)" in result.stderr
    assert [(r["start"], r["minutes"], r["kind"], r["title"], r["client"], r["format"]) for r in entries(run)] == [
        ("2026-03-03T09:00:00+00:00", 50, "practice", None, "C031", "individual"),
        ("2026-03-05T17:00:00+00:00", 50, "therapy", "Weekly therapy", None, "individual"),
        ("2026-03-12T13:00:00+00:00", 90, "supervision", "Group supervision", None, "group"),
    ]


def test_timewarrior_from_standard_input(run):
    data = (SAMPLES / "timewarrior.json").read_text()
    result = run("import", "timew", "-", "--match", "therapy=therapy", input=data)
    assert result.exit_code == 0
    assert "- (timew): 1 added" in result.stderr


def test_spreadsheet_day_first(run, journal):
    with journal.transaction():
        set_setting(journal, "date_order", "dmy")
    result = run("import", "csv", str(SAMPLES / "hours-day-first.csv"), "--column", "with=Who",
                 "--match", "Training*=cpd")
    assert result.exit_code == 0, result.stderr
    assert "5 added, 0 already present, 0 skipped" in result.stderr
    assert [(r["start"], r["minutes"], r["kind"], r["with"], r["client"], r["note"]) for r in entries(run)] == [
        ("2026-03-03T10:00:00+00:00", 50, "practice", None, "C014", "First session after the break"),
        ("2026-03-06T17:00:00+00:00", 50, "therapy", "Dr Martin", None, None),
        ("2026-03-11T15:00:00+00:00", 90, "supervision", "Alice Smith", None, "Discussed C014 rupture"),
        ("2026-03-13T09:00:00+00:00", 180, "cpd", None, None, "Attachment theory workshop"),
        ("2026-04-01T10:00:00+01:00", 50, "practice", None, "C022", None),
    ]


def test_spreadsheet_month_first_with_end_times(run, journal):
    with journal.transaction():
        set_setting(journal, "date_order", "mdy")
    result = run("import", "csv", str(SAMPLES / "hours-month-first.csv"), "--match-file", RULES)
    assert "4 added, 0 already present, 1 skipped (1 matched no --match rule)" in result.stderr
    assert [(r["start"], r["minutes"], r["kind"], r["client"]) for r in entries(run)] == [
        ("2026-03-02T11:00:00+00:00", 50, "practice", "C101"),
        ("2026-03-09T11:00:00+00:00", 50, "practice", "C101"),
        ("2026-03-12T15:00:00+00:00", 60, "supervision", None),
        ("2026-03-20T16:00:00+00:00", 50, "therapy", None),
    ]
    assert "0 added, 4 already present" in run("import", "csv", str(SAMPLES / "hours-month-first.csv"),
                                                 "--match-file", RULES).stderr


def test_people_and_tags_are_resolved_once(run, journal, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text("Date,Duration,Kind,With,Tags\n2026-03-02 10:00,1h,supervision,Alice Smith,Ethics\n"
                    "2026-03-09 10:00,1h,supervision,alice  smith,ethics;#ETHICS\n"
                    "2026-03-16 10:00,1h,supervision,Alcie Smith,\n")
    assert run("import", "csv", str(path)).exit_code == 0
    people = journal.query("SELECT name FROM people ORDER BY id")
    assert [p["name"] for p in people] == ["Alice Smith", "Alcie Smith"]
    assert journal.query("SELECT count(*) AS n FROM tags")[0]["n"] == 1
    assert [r["tags"] for r in entries(run)] == [["Ethics"], ["Ethics"], []]


# Malformed files of each format, checked by tests/test_import_malformed.py with its own cases.
MALFORMED = [
    ("json", '[\n  {"kind": "therapy",\n  "start": }\n]', "line 3", "not valid JSON"),
    ("json", '[{"kind": "therapy", "start": "2026-03-02T10:00:00+00:00", "minutes": 50, "tz": "UTC"},'
             ' {"kind": "walk", "start": "2026-03-03T10:00:00+00:00", "minutes": 50}]',
     "record 2", "unknown kind 'walk'"),
    ("json", '[{"kind": "practice", "start": "2026-03-02T10:00:00+00:00", "minutes": 50, "paid": 2}]',
     "record 1", "paid 2 is neither true nor false"),
    ("json", '[{"kind": "therapy", "start": "2026-03-02T10:00:00+00:00", "minutes": 50, "with": 7}]',
     "record 1", "'with' should be text, not 7"),
    ("jrnl", '{"tags": {}, "entries": [{"title": "a", "body": "", "date": "2026-03-02", "time": "10:00"},'
             ' {"title": "b", "body": ""}]}', "entry 2", "missing 'date'"),
    ("watson", '[[1772442000, 1772445000, "x", "id1", [], 1], ["soon", 1, "x", "id2", [], 1]]',
     "frame 2", "expected [start, stop, project, id, tags, updated_at]"),
    ("timew", '[{"id": 1, "start": "20260302T090000Z", "end": "20260302T095000Z", "tags": ["therapy"]},'
              ' {"id": 2, "start": "2 March", "tags": ["therapy"]}]', "interval 2", "unreadable value"),
    ("csv", "Date,Duration,Kind\n2026-03-02 10:00,50m,therapy\n2026-13-45 10:00,50m,therapy\n",
     "line 3", "cannot understand the date"),
    ("csv", "Date,Duration,Kind\n2026-03-02 10:00,50m,therapy\n2026-03-03 10:00,soon,therapy\n",
     "line 3", "cannot read the duration 'soon'"),
    ("ics", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Therapy\r\nDTSTART:20260302T090000Z\r\n"
            "DTEND:20260302T095000Z\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:b\r\nSUMMARY:Therapy late\r\n"
            "END:VEVENT\r\nEND:VCALENDAR\r\n", "event 'Therapy late'", "has no DTSTART"),
    ("ics", "this is not a calendar", "line 1", "iCalendar"),
]


def test_a_kind_in_capitals_or_with_spaces_is_read_as_journal_log_reads_it(run, tmp_path):
    path = tmp_path / "kinds.json"
    path.write_text('[{"kind": " Therapy", "start": "2026-03-02T10:00:00+00:00", "minutes": 50},'
                    ' {"kind": "CPD", "start": "2026-03-03T10:00:00+00:00", "minutes": 180}]')
    result = run("import", "json", str(path))
    assert result.exit_code == 0, result.stderr
    assert sessions(run) == [("2026-03-02T10:00:00+00:00", 50, "therapy"), ("2026-03-03T10:00:00+00:00", 180, "cpd")]


@pytest.mark.parametrize("args, message", [
    (["--match", "Supervision"], "is not PATTERN=KIND"),
    (["--match", "Walk*=walk"], "unknown kind 'walk'"),
])
def test_bad_rules_are_usage_errors(run, args, message):
    result = run("import", "ics", str(SAMPLES / "outlook.ics"), *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_mapping_file_error_names_its_line(run, tmp_path):
    rules = tmp_path / "rules.txt"
    rules.write_text("# rules\nSupervision* = supervision\nTherapy*\n")
    result = run("import", "ics", str(SAMPLES / "outlook.ics"), "--match-file", str(rules))
    assert result.exit_code == 2
    assert "rules.txt line 3: 'Therapy*' is not PATTERN=KIND" in result.stderr


def test_spreadsheet_without_a_kind_asks_for_a_column_or_a_rule(run, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text("Day,Length\n2026-03-02 10:00,50m\n")
    result = run("import", "csv", str(path))
    assert result.exit_code == 2
    assert "no kind column" in result.stderr and "--column kind=HEADER" in result.stderr
    result = run("import", "csv", str(path), "--match", "*=practice")
    assert result.exit_code == 0 and "1 added" in result.stderr


def test_sessions_in_the_future_are_skipped(run, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text("Date,Duration,Kind\n2099-03-02 10:00,50m,therapy\n")
    assert "0 added, 0 already present, 1 skipped (1 in the future)" in run("import", "csv", str(path)).stderr


def test_import_help_has_an_example(run):
    for command in ("import", "export", "statement"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "journal " + command in result.stdout


def test_a_large_import_keeps_search_and_indexes(run, journal, tmp_path):
    """From 10,000 records the importer loads in bulk and rebuilds indexes and search after."""
    from journal.importers.core import BULK_FROM

    schema = journal.query("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'entries' ORDER BY name")
    first = datetime(2024, 1, 1, tzinfo=timezone.utc)
    records = [{"kind": "practice", "start": (first + timedelta(hours=n)).isoformat(), "tz": "UTC",
                "minutes": 50, "note": f"note {n} about grief" if n % 2 else f"note {n}", "tags": ["bulk"],
                "source_key": f"test:{n}"} for n in range(BULK_FROM)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps(records))
    result = run("import", "json", str(path))
    assert f"{BULK_FROM} added" in result.stderr
    assert journal.query("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'entries' "
                         "ORDER BY name") == schema
    found = journal.query("SELECT count(*) AS n FROM entries_fts WHERE entries_fts MATCH 'grief'")[0]["n"]
    assert found == BULK_FROM // 2
    assert journal.query("SELECT count(*) AS n FROM entry_tags")[0]["n"] == BULK_FROM
    run("log", "cpd", "1h", "--at", "2026-01-05 10:00", "--note", "later grief")
    found = journal.query("SELECT count(*) AS n FROM entries_fts WHERE entries_fts MATCH 'grief'")[0]["n"]
    assert found == BULK_FROM // 2 + 1


def test_a_large_import_into_a_kept_journal_keeps_what_was_there(run, journal, tmp_path):
    """A bulk import beside existing entries: every row arrives (including a last, partly filled
    statement), the earlier entries stay searchable and `db check` finds nothing to repair."""
    from journal.importers.core import BULK_FROM

    run("log", "supervision", "90m", "--at", "2023-06-01 10:00", "--with", "Dr Helen Marsh",
        "--note", "rupture and repair")
    first = datetime(2024, 1, 1, tzinfo=timezone.utc)
    count = BULK_FROM + 7
    records = [{"kind": "therapy", "start": (first + timedelta(hours=n)).isoformat(), "tz": "UTC",
                "minutes": 50, "with": "Ana Ruiz", "note": "ordinary week", "source_key": f"test:{n}"}
               for n in range(count)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps(records))
    assert f"{count} added" in run("import", "json", str(path)).stderr
    assert journal.query("SELECT count(*) AS n FROM entries")[0]["n"] == count + 1
    assert journal.query("SELECT sum(minutes) AS m FROM entries WHERE kind = 'therapy'")[0]["m"] == 50 * count
    assert journal.query("SELECT count(*) AS n FROM entries_fts WHERE entries_fts MATCH 'rupture'")[0]["n"] == 1
    assert journal.query("SELECT count(*) AS n FROM entries_fts WHERE entries_fts MATCH 'ordinary'")[0]["n"] == count
    assert {row["kind"]: row["minutes"] for row in run("report", "--by", "kind", "--json").json()} == {
        "supervision": 90, "therapy": 50 * count}
    check = run("db", "check")
    assert check.exit_code == 0, check.stderr


@pytest.mark.slow  # a large import on a terminal
def test_a_large_import_shows_progress_on_a_terminal(db_path, tmp_path):
    """On a terminal a large import says what it is doing at each long step and shows a bar while it
    writes; a pipe (as in scripts) sees only the summary."""
    from journal.importers.core import BULK_FROM, PROGRESS_FROM_BYTES

    first = datetime(2024, 1, 1, tzinfo=timezone.utc)
    path = tmp_path / "big.json"
    path.write_text(json.dumps([{"kind": "cpd", "start": (first + timedelta(hours=n)).isoformat(), "tz": "UTC",
                                 "minutes": 60, "note": "A workshop on endings, with notes to read later.",
                                 "source_key": f"test:{n}"} for n in range(BULK_FROM)]))
    assert path.stat().st_size >= PROGRESS_FROM_BYTES
    command = [sys.executable, "-m", "journal", "--db", str(db_path), "import", "json"]
    shown = _stderr_on_a_terminal([*command, str(path)])
    steps = ["Reading and checking big.json...", "Importing", "100%", "Rebuilding search, indexes and totals...",
             f"{BULK_FROM} added, 0 already present, 0 skipped."]
    assert all(step in shown for step in steps), shown
    assert [shown.index(step) for step in steps] == sorted(shown.index(step) for step in steps)
    with path.open() as stdin:
        again = _stderr_on_a_terminal([*command, "-"], stdin=stdin)
    assert again.startswith("Reading and checking standard input...") and "Importing" not in again
    piped = subprocess.run([*command, str(path)], capture_output=True, text=True, timeout=60)
    assert piped.stderr == f"Imported big.json (json): 0 added, {BULK_FROM} already present, 0 skipped.\n"


def _stderr_on_a_terminal(command: list[str], stdin=subprocess.DEVNULL) -> str:
    """What a successful command writes to stderr when stderr is a terminal."""
    main, terminal = pty.openpty()
    try:
        process = subprocess.Popen(command, stdin=stdin, stdout=subprocess.DEVNULL, stderr=terminal)
    finally:
        os.close(terminal)  # the child has its own copy; closing ours lets the reads end with it
    try:
        seen = b""
        while chunk := _read_pty(main):
            seen += chunk
        assert process.wait(timeout=60) == 0
    finally:
        os.close(main)
    return seen.decode()


def _read_pty(fd: int) -> bytes:
    """The next output of a terminal, or b"" once its program has closed it (or after a minute of silence)."""
    if not select.select([fd], [], [], 60)[0]:
        return b""
    try:
        return os.read(fd, 4096)
    except OSError:  # Linux reports the closed end of a terminal as EIO
        return b""


def test_column_is_only_for_spreadsheets(run):
    result = run("import", "jrnl", str(SAMPLES / "jrnl-export.json"), "--column", "date=Day")
    assert result.exit_code == 2 and "--column is for spreadsheets" in result.stderr
