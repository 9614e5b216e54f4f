"""The import's fast paths give what the general ones give (issue 10's speed line).

Our own JSON export is decoded straight into typed records, and any other file is read the general
way; the CSV export is read through the same reading of a record; a column empty in every row of a
statement is written NULL instead of bound; the stored UTC form is formatted from its fields. Each is
checked here against the general way on the same input: the same rows, or the same one-line error
with nothing written.
"""

from __future__ import annotations

import codecs
import json
import sqlite3
from datetime import timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import file_digest
from journal.dates import to_utc_text
from journal.exporting import EXPORT_COLUMNS, to_csv
from journal.importers import csvfile, jsonfile
from journal.importers.core import ParseContext
from journal.importers.exported import FIELDS
from journal.importers.rows import COLUMNS, insert_rows
from test_import_identity import build, invoke, reflection, session
from test_import_malformed import PYTHON

CTX = ParseContext(zone=ZoneInfo("Europe/London"))
# One record as `journal export` writes it, every field present.
RECORD = {
    "id": 1, "kind": "practice", "date": "2026-03-02", "start": "2026-03-02T10:00:00+00:00",
    "end": "2026-03-02T10:50:00+00:00", "tz": "Europe/London", "minutes": 50, "with": None, "mode": "video",
    "format": "individual", "group_size": None, "client": "C014", "setting": None, "paid": True,
    "title": None, "body": None, "note": "a private note", "template": None, "on": None, "tags": ["ethics"],
    "shared": True, "card": None, "exercise": None, "emotions": [], "source": None, "source_key": None,
    "created_at": "2026-03-02T10:55:00.000000Z", "updated_at": "2026-03-02T10:55:00.000000Z",
    "deleted_at": None,
}


def exported(*changes: dict) -> bytes:
    """Our export of RECORD and one more record per change (each RECORD with those fields changed)."""
    records = [RECORD, *({**RECORD, "id": number, **change} for number, change in enumerate(changes, start=2))]
    return ("[\n" + ",\n".join(json.dumps(record) for record in records) + "\n]\n").encode()


def described(rows) -> list[tuple]:
    """What a row holds, its label aside (a CSV names lines, JSON records)."""
    return [(row.values, row.at.isoformat(), str(row.at.tzinfo), row.person, row.tags, row.old_id, row.on_ref,
             row.planned_ok, row.card, row.exercise, row.emotions) for row in rows]


def outcome(parse, data: bytes):
    """The rows a parser gives, or the error's message."""
    try:
        return list(parse(data, CTX, "f.json"))
    except Exception as exc:  # noqa: BLE001 (each error is compared with the general way's)
        return f"{type(exc).__name__}: {exc}"


def general(monkeypatch):
    """``jsonfile.parse`` with the fast way switched off."""
    monkeypatch.setattr(jsonfile, "own_export", lambda data: None)
    return jsonfile.parse


def test_our_own_export_takes_the_fast_way():
    assert jsonfile.own_export(exported({"kind": "therapy", "client": None, "paid": None})) is not None
    assert set(FIELDS) == set(EXPORT_COLUMNS) - {"date", "end"}


@pytest.mark.parametrize("change", [
    {},  # the export itself
    {"id": "7"},  # a number as text: read by the general way, as before
    {"minutes": 50.0},
    {"shared": 1},
    {"paid": 0},
    {"tags": ["ethics", 5]},
    {"title": 5},
    {"start": 20260302},
    {"tz": None, "start": "2026-03-02T10:00:00"},
    {"extra": "a field no export writes"},
    {"id": 2 ** 70},
    {"kind": "reflection", "body": "text", "minutes": None, "client": None, "paid": None, "format": None,
     "emotions": ["joy"], "card": "last-boxes", "exercise": "story", "on": 1, "shared": False},
])
def test_a_record_reads_the_same_the_fast_and_the_general_way(monkeypatch, change):
    data = exported(change)
    fast = outcome(jsonfile.parse, data)
    assert outcome(general(monkeypatch), data) == fast
    assert not isinstance(fast, str) or "nothing was imported" in fast


@pytest.mark.parametrize("data", [
    codecs.BOM_UTF8 + exported(),
    exported().replace(b'"deleted_at": null', b'"deleted_at": null, "deleted_at": "2026-03-03T00:00:00Z"', 1),
    json.dumps([{key: value for key, value in RECORD.items() if key not in ("card", "exercise", "emotions",
                                                                           "deleted_at", "shared")}]).encode(),
    exported().replace(b'"a private note"', b'"\\ud800"'),
    exported().replace(b'"minutes": 50', b'"minutes": NaN', 1),
    b"[]",
    b"{}",
    exported()[:-5],
])
def test_files_the_fast_way_refuses_read_as_before(monkeypatch, data):
    fast = outcome(jsonfile.parse, data)
    assert outcome(general(monkeypatch), data) == fast


BAD = [  # every field present and of its type, so the fast way reads the file; the record is wrong
    ({"tz": "Mars/Olympus"}, "record 2: 'tz' 'Mars/Olympus' is not a time zone"),
    ({"start": "soon"}, "record 2: 'start' 'soon' is not a date and time"),
    ({"kind": "walk"}, "record 2: unknown kind 'walk'"),
    ({"emotions": ["joy"]}, "record 2: emotions are named in reflections, not sessions"),
    ({"kind": "reflection", "body": "x", "card": "last-boxes", "exercise": "dance"}, "record 2: unknown exercise"),
    ({"group_size": 1, "format": "group"}, "record 2"),
    ({"kind": "reflection", "body": "x", "on": 99, "shared": True}, "record 2: a shared reflection on entry 99"),
]


@pytest.mark.parametrize("change, expected", BAD, ids=[str(i) for i in range(len(BAD))])
def test_a_bad_record_read_the_fast_way_is_one_line_and_nothing_is_written(run, db_path, tmp_path, monkeypatch,
                                                                            change, expected):
    run("log", "cpd", "1h", "--at", "2026-01-05 10:00")
    before = file_digest(db_path)
    path = tmp_path / "bad.json"
    path.write_bytes(exported(change))
    assert jsonfile.own_export(path.read_bytes()) is not None
    fast = run("import", "json", str(path))
    assert fast.exit_code == 1
    lines = fast.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and "nothing was imported" in lines[0], fast.stderr
    assert not PYTHON.search(lines[0]), lines[0]
    assert file_digest(db_path) == before
    general(monkeypatch)
    assert run("import", "json", str(path)).stderr == fast.stderr
    assert file_digest(db_path) == before


@pytest.mark.parametrize("header", [
    list(EXPORT_COLUMNS),
    list(reversed(EXPORT_COLUMNS)),  # columns in another order
    [c for c in EXPORT_COLUMNS if c not in ("card", "exercise", "emotions", "deleted_at", "shared")],  # older
    [*EXPORT_COLUMNS, "note"],  # a repeated column: the last one counts, as in a dict
])
def test_the_csv_export_reads_as_its_records_do(header):
    records = [RECORD, {**RECORD, "id": 2, "kind": "therapy", "with": "Dr Helen Marsh", "client": None,
                        "paid": None, "tags": [], "note": None, "group_size": None}]
    csv_text = to_csv(records, header)
    if header.count("note") > 1:
        csv_text = csv_text.replace("a private note\n", "another note\n")
    from_csv = list(csvfile.parse(csv_text.encode(), CTX, "f.csv"))
    as_records = [{name: record.get(name) for name in header} for record in records]
    for record in as_records:
        if header.count("note") > 1 and record["note"]:
            record["note"] = "another note"
    from_json = list(jsonfile.parse(json.dumps(as_records).encode(), CTX, "f.json"))
    assert described(from_csv) == described(from_json)
    if "shared" not in header:  # an older export without the column: shared as the JSON default says
        assert [row.values[COLUMNS.index("shared")] for row in from_csv] == [1, 1]


def test_a_short_csv_line_is_named(run, db_path, tmp_path):
    run("log", "cpd", "1h", "--at", "2026-01-05 10:00")
    before = file_digest(db_path)
    text = to_csv([RECORD, {**RECORD, "id": 2}], EXPORT_COLUMNS)
    path = tmp_path / "short.csv"
    path.write_text(text.rsplit(",", 20)[0] + "\n")
    result = run("import", "csv", str(path))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"Error: short.csv: line 3: expected {len(EXPORT_COLUMNS)} columns; nothing was imported")
    assert file_digest(db_path) == before


@pytest.mark.slow  # a property test over many journals
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sessions=st.lists(session, min_size=1, max_size=10), reflections=st.lists(reflection, max_size=4))
def test_any_journals_export_reads_the_same_every_way(tmp_path_factory, monkeypatch, sessions, reflections):
    folder = tmp_path_factory.mktemp("ways")
    build(folder / "a.db", sessions, reflections)
    data = invoke(folder / "a.db", "export").stdout.encode()
    csv_data = invoke(folder / "a.db", "export", "--format", "csv").stdout.encode()
    assert jsonfile.own_export(data) is not None
    fast = list(jsonfile.parse(data, CTX, "f.json"))
    from_csv = list(csvfile.parse(csv_data, CTX, "f.csv"))
    with monkeypatch.context() as patched:
        assert described(general(patched)(data, CTX, "f.json")) == described(fast) == described(from_csv)


# The columns of entries with the values an import stores in them, None in each (some often).
CELLS = st.one_of(st.none(), st.none(), st.integers(-2 ** 63, 2 ** 63 - 1), st.text(max_size=5),
                  st.floats(allow_nan=False))


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.lists(CELLS, min_size=4, max_size=4), max_size=450), nulls=st.sets(st.integers(0, 3)))
def test_rows_go_in_as_executemany_puts_them(rows, nulls):
    rows = [[None if index in nulls else cell for index, cell in enumerate(row)] for row in rows]
    conn = sqlite3.connect(":memory:")
    for table in ("fast", "plain"):
        conn.execute(f"CREATE TABLE {table} (a, b, c, d)")
    insert_rows(conn, "fast", ("a", "b", "c", "d"), rows)
    conn.executemany("INSERT INTO plain (a, b, c, d) VALUES (?, ?, ?, ?)", rows)
    query = "SELECT rowid, a, b, c, d, typeof(a), typeof(b), typeof(c), typeof(d) FROM {} ORDER BY rowid"
    assert conn.execute(query.format("fast")).fetchall() == conn.execute(query.format("plain")).fetchall()


def test_a_null_that_the_schema_refuses_is_refused_as_before(journal):
    row = [1, "therapy", "2026-03-02T10:00:00Z", "Europe/London", "2026-03-02", 50, *[None] * 12, 1, None, None,
           None, "2026-03-02T10:55:00Z", None]
    with pytest.raises(sqlite3.IntegrityError, match="NOT NULL constraint failed: entries.created_at"):
        insert_rows(journal.conn, "entries", COLUMNS, [row])
    assert journal.execute("SELECT count(*) FROM entries").fetchone()[0] == 0


@given(moment=st.datetimes(timezones=st.timezones()))
def test_the_stored_utc_form_is_isoformat_to_the_second(moment):
    try:
        expected = moment.astimezone(timezone.utc).isoformat()[:19] + "Z"
    except OverflowError:
        with pytest.raises(OverflowError):
            to_utc_text(moment)
        return
    assert to_utc_text(moment) == expected
