"""Every malformed file is one line in the user's words naming the line, event or record, exit 1,
nothing written (issue 10, item 14): hand-made cases of each class, then mutated real samples."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import file_digest
from journal.cli import cli
from test_fuzz import mutations, mutate
from test_import import MALFORMED

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
RULES = str(SAMPLES / "match-rules.txt")
# Python's own words, which a user should never read
PYTHON = re.compile(r"object|argument|NoneType|vText|<class|attribute|datetime\.|(?-i:b')|Errno|unhashable|"
                    r"subscriptable|int\(\)|float\(\)|invalid literal|unconverted data|codec|Traceback|"
                    r"isoformat|__init__|positional", re.IGNORECASE)
ICS = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Therapy\r\n{}\r\nEND:VEVENT\r\n"
       "END:VCALENDAR\r\n")
OWN = '[{{"id": 1, "kind": "therapy", "start": "2026-03-02T10:00:00+00:00", "tz": "Europe/London", "minutes": 50, {}}}]'

CASES = [
    # calendars
    ("ics", ICS.format("DTSTART:2026-03-02\r\nDTEND:20260302T100000Z"), "event 'Therapy': DTSTART"),
    ("ics", ICS.format("DTSTART:20260302T090000Z\r\nDURATION:soon"), "event 'Therapy'"),
    ("ics", ICS.format("DTSTART:20260302T090000Z\r\nDTEND:tomorrow"), "event 'Therapy': DTEND"),
    ("ics", ICS.format("DTSTART:20260302T090000Z\r\nDTEND:20260302T095000Z\r\nRRULE:COUNT=3"), "event 'Therapy'"),
    ("ics", ICS.format("DTSTART:20260302T090000Z\r\nDTEND:20260302T095000Z\r\nRRULE:FREQ=WEEKLY;BYDAY=XX"),
     "event 'Therapy'"),
    ("ics", ICS.format("DTSTART:20260302T090000Z\r\nDTEND:20260302T095000Z").replace("END:VCALENDAR\r\n", ""),
     "line 1: BEGIN:VCALENDAR is never closed"),
    ("ics", ICS.format("DTSTART:20260302T090000Z").replace("BEGIN:VEVENT", "BEGIN:VTODO", 1), "line 7: END:VEVENT without its BEGIN:VEVENT"),
    ("ics", '{"entries": []}', "not an iCalendar (.ics) file"),
    # our own export
    ("json", OWN.format('"created_at": {"at": 1}'), "record 1: 'created_at' should be text"),
    ("json", OWN.format('"tz": "Mars/Olympus"'), "record 1: 'tz' 'Mars/Olympus' is not a time zone"),
    ("json", OWN.format('"group_size": "four"'), "record 1: 'group_size' should be a whole number"),
    ("json", OWN.format('"tags": "ethics"'), "record 1: 'tags' should be a list of words"),
    ("json", "[" * 50_000 + "]" * 50_000, "line 1: JSON nested too deeply"),
    ("json", "[[1772442000, 1772445000, \"x\", \"id\", [], 1]]", "it looks like Watson's frames file"),
    # jrnl, Watson, Timewarrior
    ("jrnl", '{"entries": [{"date": ["x"], "time": "10:00", "title": "x"}]}', "entry 1: 'date' ['x'] is not a date"),
    ("jrnl", '{"entries": [{"date": "2026-03-02", "time": "25:00", "title": "x"}]}', "entry 1: 'time' '25:00'"),
    ("jrnl", '{"entries": [{"date": "2026-03-02", "time": "10:00", "title": "x", "tags": 5}]}', "entry 1: 'tags'"),
    ("jrnl", "[[1772442000, 1772445000, \"x\", \"id\", [], 1]]", "import it with `journal import watson"),
    ("watson", '[[1772442000, 1772445000, "x"]]', "frame 1: expected [start, stop, project, id"),
    ("watson", '[[1772442000, 1772445000, {"a": 1}, "id", [], 1]]', "frame 1: expected [start, stop, project, id"),
    ("watson", '[[1772442000, 1772445000, "x", "id", "tags", 1]]', "frame 1"),
    ("watson", '{"entries": []}', "it looks like jrnl's JSON export"),
    ("timew", '[{"start": "20260302T090000Z", "end": "20260302T095000Z", "tags": "therapy"}]', "interval 1"),
    ("timew", '[{"start": 20260302, "end": "20260302T095000Z", "tags": ["therapy"]}]', "interval 1"),
    ("timew", '["20260302T090000Z"]', "interval 1"),
    # spreadsheets
    ("csv", "Date,Duration,Kind\n2026-03-02,50m,therapy\n2026-03-02T10:00+99:00,50m,therapy\n", "line 3"),
    ("csv", "Date,Duration,Kind\n2026-03-02,-50m,therapy\n", "line 2: duration '-50m' is negative"),
    ("csv", "Date,Start,Duration,Kind\n2026-03-02,25:61,50m,therapy\n", "line 2"),
    ("csv", "Date,Hours,Kind\n2026-03-02,lots,therapy\n", "line 2: cannot read the duration 'lots'"),
    ("csv", "Start,Kind,Duration\n10:00,therapy,50m\n", "line 2: the start '10:00' has no date"),
    ("csv", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "it looks like an iCalendar (.ics) file"),
]


CASES += [(fmt, content, (where, problem)) for fmt, content, where, problem in MALFORMED]


@pytest.mark.parametrize("fmt, content, expected", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_each_malformed_file_is_one_line_naming_the_place(run, db_path, tmp_path, fmt, content, expected):
    run("log", "cpd", "1h", "--at", "2026-01-05 10:00")
    before = file_digest(db_path)
    path = tmp_path / f"bad.{fmt}"
    path.write_text(content)
    result = run("import", fmt, str(path), "--match", "*=therapy")
    assert result.exit_code == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert all(part in lines[0] for part in ((expected,) if isinstance(expected, str) else expected)), lines[0]
    assert "nothing was imported" in lines[0] or "it looks like" in lines[0], lines[0]
    assert not PYTHON.search(lines[0]), lines[0]
    assert file_digest(db_path) == before


TRACKER_SAMPLES = ["toggl-track.csv", "clockify.csv", "harvest.csv", "kimai.csv", "solidtime.csv"]


@pytest.mark.parametrize("sample", TRACKER_SAMPLES)
def test_mutated_tracker_exports_fail_in_plain_words(sample, tmp_path, db_path):
    original = (SAMPLES / sample).read_bytes()
    target = tmp_path / sample
    args = ["--db", str(db_path), "import", "csv", str(target), "--match-file", RULES,
            "--date-order", "mdy" if sample == "clockify.csv" else "dmy"]
    runner = CliRunner()

    @settings(max_examples=30, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(mutations, st.just(None))
    def attempt(steps, _):
        target.write_bytes(mutate(original, steps))
        before = file_digest(db_path)
        result = runner.invoke(cli, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        if result.exit_code:
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
            assert not PYTHON.search(lines[0]), lines[0]
            assert file_digest(db_path) == before

    attempt()
