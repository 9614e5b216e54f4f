"""Every typed column of our own CSV and JSON export, given a value it cannot hold, is one line naming
the line or record, the column and what to type instead: exit 1, nothing written (issue 10). A duration
is read as `journal log` reads it and refused in the same words (``1.5``: did you mean 1.5h?)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import file_digest
from test_import_malformed import PYTHON

# column, bad value (as the CSV cell; JSON gets the number when it is one), what the message says
CASES = [
    ("id", "abc", "'id' should be a whole number"),
    ("id", "1.5", "'id' should be a whole number"),
    ("minutes", "abc", "'minutes': cannot read the duration 'abc'; nothing was imported; try 50m"),
    ("minutes", "1.5", "'minutes': duration '1.5' has no unit; nothing was imported; did you mean 1.5h, or 90"),
    ("minutes", "-1.5", "'minutes': duration '-1.5' is negative"),
    ("minutes", "50 minutes please", "'minutes': cannot read the duration '50 minutes please'"),
    ("group_size", "x", "'group_size' should be a whole number"),
    ("group_size", "2.5", "'group_size' should be a whole number"),
    ("on", "x", "'on' should be a whole number"),
    ("paid", "maybe", "paid 'maybe' is neither true nor false; nothing was imported; write true or false"),
    ("shared", "nope", "shared 'nope' is neither true nor false; nothing was imported; write true or false"),
    ("start", "yesterday", "'start' 'yesterday' is not a date and time such as"),
    ("tz", "Mars/Base", "'tz' 'Mars/Base' is not a time zone such as Europe/London"),
    ("created_at", "soon", "'created_at' 'soon' is not a date and time such as"),
    ("updated_at", "2026-13-40", "'updated_at' '2026-13-40' is not a date and time such as"),
    ("deleted_at", "soon", "'deleted_at' 'soon' is not a date and time such as"),
    ("kind", "therapyy", "unknown kind 'therapyy'"),
    ("mode", "pigeon", "unknown mode 'pigeon'"),
    ("format", "trio", "unknown format 'trio'"),
]


@pytest.fixture
def exported(run, tmp_path):
    """Our own export of two therapy sessions, as CSV rows and JSON records."""
    run("log", "therapy", "50m", "--with", "Dr Ana Reyes", "--at", "2026-03-02 10:00")
    run("log", "therapy", "50m", "--with", "Dr Ana Reyes", "--at", "2026-03-09 10:00")
    run("export", "-o", str(tmp_path / "s.csv"))
    run("export", "-o", str(tmp_path / "s.json"))
    return list(csv.DictReader((tmp_path / "s.csv").open())), json.loads((tmp_path / "s.json").read_text())


def _as_json(value: str) -> object:
    for number in (int, float):
        try:
            return number(value)
        except ValueError:
            pass
    return value


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("column, bad, expected", CASES, ids=[f"{c[0]}={c[1]}" for c in CASES])
def test_a_value_a_column_cannot_hold_is_one_line_naming_it(run, db_path, tmp_path, exported, fmt, column, bad,
                                                             expected):
    rows, records = exported
    run("log", "cpd", "1h", "--at", "2026-01-05 10:00")  # the journal imported into is not empty
    run("delete", "1", "--yes")
    run("delete", "2", "--yes")
    before = file_digest(db_path)
    path = tmp_path / f"bad.{fmt}"
    if fmt == "csv":
        rows[1][column] = bad
        out = io.StringIO()
        writer = csv.DictWriter(out, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(out.getvalue())
        where = "line 3"
    else:
        records[1][column] = _as_json(bad)
        path.write_text(json.dumps(records))
        where = "record 2"
    result = run("import", fmt, str(path))
    assert result.exit_code == 1, result.output
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert f"bad.{fmt}: {where}: " in message and expected in message, message
    assert not PYTHON.search(message), message
    assert file_digest(db_path) == before


def test_an_import_refuses_a_decimal_duration_in_the_words_journal_log_uses(run, tmp_path, exported):
    rows, _records = exported
    logged = run("log", "cpd", "1.5")
    assert logged.exit_code == 2 or logged.exit_code == 1
    rows[0]["minutes"] = "1.5"
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    (tmp_path / "bad.csv").write_text(out.getvalue())
    imported = run("import", "csv", str(tmp_path / "bad.csv"))
    hint = "did you mean 1.5h, or 90 (minutes)?"
    assert hint in logged.stderr and hint in imported.stderr, (logged.stderr, imported.stderr)
