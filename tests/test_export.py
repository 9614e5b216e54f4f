"""`journal export`: JSON and CSV with every field, exact round trips, and the ICF coaching log."""

from __future__ import annotations

import json
import os

import pytest

from journal.exporting import EXPORT_COLUMNS

CANARY = "CANARY-7f3a private words"


@pytest.fixture
def filled(run):
    """A small journal with every kind of field set, including private ones."""
    run("log", "therapy", "50m", "--at", "2026-03-02 18:00", "--with", "Dr Martin", "--note", CANARY)
    run("log", "supervision", "1h30m", "--at", "2026-03-03 10:00", "--with", "Alice",
        "--format", "group", "--group-size", "4", "--mode", "video", "--tag", "ethics")
    run("log", "practice", "50m", "--at", "2026-03-04 12:00", "--client", "C014", "--paid",
        "--setting", "Riverside clinic", "--tag", "Trauma", "--tag", "intake")
    run("log", "practice", "1h", "--at", "2026-04-01 12:00", "--client", "C014", "--pro-bono")
    run("log", "practice", "1h30m", "--at", "2026-04-02 12:00", "--client", "G01", "--format", "group",
        "--group-size", "6", "--paid")
    run("log", "practice", "50m", "--at", "2026-04-03 12:00", "--client", "C022")
    run("log", "cpd", "3h", "--at", "2026-04-10 09:30", "--title", "Trauma-informed practice", "--private")
    run("import", "jrnl", "-", input=json.dumps({"tags": {}, "entries": [
        {"title": "After supervision.", "body": "Line one.\nLine two, " + CANARY, "date": "2026-03-03",
         "time": "12:00", "tags": ["@ethics"], "starred": True}]}))
    return run


def test_json_export_has_every_field_in_a_fixed_order(filled):
    records = filled("export").json()
    assert [r["kind"] for r in records] == ["therapy", "supervision", "reflection", "practice", "practice",
                                            "practice", "practice", "cpd"]
    assert all(list(r) == list(EXPORT_COLUMNS) for r in records)
    therapy, supervision, reflection = records[:3]
    assert therapy["note"] == CANARY and therapy["with"] == "Dr Martin" and therapy["tz"] == "Europe/London"
    assert (supervision["format"], supervision["group_size"], supervision["mode"]) == ("group", 4, "video")
    assert reflection["body"].endswith(CANARY) and reflection["shared"] is False
    assert reflection["source"] == "jrnl" and reflection["tags"] == ["ethics", "starred"]
    assert records[-1]["shared"] is False and records[-1]["title"] == "Trauma-informed practice"


def test_json_round_trip_is_byte_identical(filled, run, tmp_path):
    first = filled("export").stdout
    path = tmp_path / "export.json"
    path.write_text(first)
    other = tmp_path / "other.db"
    imported = run("--db", str(other), "import", "json", str(path))
    assert "8 added, 0 already present, 0 skipped" in imported.stderr
    assert run("--db", str(other), "export").stdout == first
    assert "0 added, 8 already present" in run("--db", str(other), "import", "json", str(path)).stderr


def test_json_import_into_the_same_journal_adds_nothing(filled, tmp_path):
    path = tmp_path / "export.json"
    path.write_text(filled("export").stdout)
    assert "0 added, 8 already present" in filled("import", "json", str(path)).stderr


def test_a_reflection_keeps_pointing_at_its_session_when_ids_change(run, tmp_path):
    run("log", "supervision", "1h", "--at", "2026-03-03 10:00")
    record = run("log", "therapy", "50m", "--at", "2026-03-04 10:00", "--json").json()
    run("reflect", "--on", str(record["id"]), "--at", "2026-03-04 12:00", "-m", "About the session.")
    exported = run("export").stdout
    other = tmp_path / "other.db"
    run("--db", str(other), "log", "cpd", "1h", "--at", "2026-01-01 10:00")
    run("--db", str(other), "import", "json", "-", input=exported)
    moved = {r["kind"]: r for r in run("--db", str(other), "export").json()}
    assert moved["therapy"]["id"] != record["id"]
    assert moved["reflection"]["on"] == moved["therapy"]["id"]


def test_csv_export_reads_back_exactly(filled, run, tmp_path):
    first = filled("export", "--format", "csv").stdout
    assert first.splitlines()[0] == ",".join(EXPORT_COLUMNS)
    path = tmp_path / "export.csv"
    path.write_text(first)
    other = tmp_path / "other.db"
    assert "8 added" in run("--db", str(other), "import", "csv", str(path)).stderr
    assert run("--db", str(other), "export", "--format", "csv").stdout == first


def test_export_filters(filled):
    practice = filled("export", "--kind", "practice", "--since", "2026-04-01", "--until", "2026-04-02").json()
    assert [(r["date"], r["minutes"]) for r in practice] == [("2026-04-01", 60), ("2026-04-02", 90)]


def test_export_to_a_file_is_private(filled, tmp_path):
    out = tmp_path / "backup.json"
    result = filled("export", "-o", str(out))
    assert "Wrote 8 rows" in result.stderr and result.stdout == ""
    assert len(json.loads(out.read_text())) == 8
    assert oct(os.stat(out).st_mode & 0o777) == "0o600"


def test_icf_log_with_identities_given_at_export_time(filled, db_path, tmp_path):
    clients = tmp_path / "clients.txt"
    clients.write_text("# code = name, contact\nC014 = Jane Doe, jane@example.com\n")
    result = filled("export", "--format", "icf", "--clients-file", str(clients),
                    "--client", "G01=Tuesday group")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Client Name,Contact Information,Individual/Group,Number in Group,Start Date,End Date,Paid Hours,"
        "Pro Bono Hours",
        "Jane Doe,jane@example.com,Individual,1,2026-03-04,2026-04-01,0.83,1.00",
        "Tuesday group,,Group,6,2026-04-02,2026-04-02,1.50,0.00",
        "C022,,Individual,1,2026-04-03,2026-04-03,0.00,0.83",
    ]
    assert "1 sessions said neither --paid nor --pro-bono; counted as pro bono" in result.stderr
    assert b"Jane Doe" not in db_path.read_bytes()
    wal = db_path.with_name(db_path.name + "-wal")
    assert not wal.exists() or b"Jane Doe" not in wal.read_bytes()


def test_icf_identity_must_be_code_equals_name(filled):
    result = filled("export", "--format", "icf", "--client", "Jane Doe")
    assert result.exit_code == 2
    assert "is not CODE=NAME" in result.stderr
