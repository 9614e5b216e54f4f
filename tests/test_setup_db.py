"""`journal init`, `journal config` and the `journal db` group, on real files."""

from __future__ import annotations

import sqlite3
import stat

import pytest

from conftest import file_digest
from journal.db import SCHEMA_VERSION


def settings_of(db_path) -> dict[str, str]:
    conn = sqlite3.connect(db_path)
    try:
        return dict(conn.execute("SELECT key, value FROM settings").fetchall())
    finally:
        conn.close()


# --- init and config -----------------------------------------------------------------------


def test_init_creates_a_private_journal_with_its_settings(run, db_path):
    result = run("init", "--timezone", "Europe/Paris", "--date-order", "mdy", "--name", "Sam  Rivers",
                 "--training-start", "2024-09-16", "--qualified-on", "2027-07-01", "--week-start", "sunday",
                 "--profile", "bacp-student", "--profile", "ukcp-trainee-therapy")
    assert result.exit_code == 0, result.stderr
    assert f"Created a journal at {db_path}" in result.stderr
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(db_path.parent.stat().st_mode) == 0o700
    assert settings_of(db_path) == {
        "timezone": "Europe/Paris", "date_order": "mdy", "practitioner": "Sam Rivers",
        "training_start": "2024-09-16", "qualified_on": "2027-07-01", "week_start": "sunday",
        "profiles": "bacp-student,ukcp-trainee-therapy",
    }


def test_init_again_changes_only_the_settings_given(run, db_path):
    run("init", "--timezone", "Europe/Paris", "--name", "Sam")
    result = run("init", "--name", "Sam Rivers")
    assert result.exit_code == 0
    assert "Journal already at" in result.stderr
    assert settings_of(db_path) == {"timezone": "Europe/Paris", "practitioner": "Sam Rivers"}


def test_the_timezone_setting_is_used_for_dates(run):
    run("init", "--timezone", "America/New_York")
    record = run("log", "therapy", "50m", "--at", "2026-03-03 18:00", "--json").json()
    assert record["start"] == "2026-03-03T18:00:00-05:00"


@pytest.mark.parametrize("args, message", [
    (["--timezone", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
    (["--training-start", "2024-13-01"], "training_start '2024-13-01' is not a date"),
    (["--qualified-on", "last year"], "qualified_on 'last year' is not a date"),
    (["--profile", "bacp-studnt"], "did you mean bacp-student?"),
    (["--name", "   "], "the practitioner name is empty"),
])
def test_init_refuses_bad_settings_and_creates_nothing(run, db_path, args, message):
    result = run("init", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not db_path.exists()


def test_init_refuses_bad_choices_through_click(run, db_path):
    result = run("init", "--week-start", "friday")
    assert result.exit_code == 2 and "friday" in result.stderr
    assert not db_path.exists()


def test_config_shows_sets_reads_and_unsets(run, db_path):
    run("init", "--timezone", "Europe/London")
    table = run("config").stdout.splitlines()
    assert table[0].split() == ["key", "value", "meaning"]
    assert table[2].split()[:2] == ["timezone", "Europe/London"]
    assert run("config", "week-start", "Sunday").stderr.strip() == "week_start = sunday"
    assert run("config", "week_start").stdout.strip() == "sunday"
    assert run("config", "week_start", "--unset").exit_code == 0
    result = run("config", "week_start")
    assert result.stdout == "" and "week_start is not set" in result.stderr
    rows = run("config", "--json").json()
    assert {r["key"]: r["value"] for r in rows}["timezone"] == "Europe/London"
    assert settings_of(db_path) == {"timezone": "Europe/London"}


@pytest.mark.parametrize("args, message", [
    (["colour", "blue"], "unknown setting 'colour'"),
    (["date_order", "ymd"], "date_order 'ymd' is not one of dmy, mdy"),
    (["profiles", "nope"], "unknown profile 'nope'"),
    (["week_start", "sunday", "--unset"], "give a VALUE or --unset, not both"),
    (["--unset"], "--unset needs a KEY"),
])
def test_config_refuses_bad_input_and_writes_nothing(run, db_path, args, message):
    run("init", "--week-start", "monday")
    before = file_digest(db_path)
    result = run("config", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert file_digest(db_path) == before


# --- db ---------------------------------------------------------------------------------


@pytest.fixture
def filled(run):
    run("log", "therapy", "50m", "--at", "2026-03-03 18:00", "--with", "Dr Martin")
    run("log", "supervision", "1h", "--at", "2026-03-04 10:00", "--with", "Alice")
    run("log", "practice", "50m", "--at", "2026-03-05 10:00", "--client", "C014", "--note", "quiet session")
    run("log", "therapy", "50m", "--at", "2026-03-10 18:00", "--with", "Dr Martin")
    assert run("rm", "4").exit_code == 0


def test_db_path_follows_the_documented_precedence(run, db_path, tmp_path, monkeypatch):
    assert run("db", "path").stdout.strip() == str(db_path)
    from click.testing import CliRunner

    from journal.cli import cli

    monkeypatch.setenv("JOURNAL_DB", str(tmp_path / "env.db"))
    assert CliRunner().invoke(cli, ["db", "path"]).stdout.strip() == str(tmp_path / "env.db")
    monkeypatch.delenv("JOURNAL_DB")
    assert CliRunner().invoke(cli, ["db", "path"]).stdout.strip() == str(tmp_path / "home" / "journal.db")
    assert not (tmp_path / "home").exists()  # asking for the path creates nothing


def test_db_status_reports_counts_and_the_last_entry(run, db_path, filled):
    info = run("db", "status", "--json").json()
    assert info["path"] == str(db_path)
    assert info["size_bytes"] == db_path.stat().st_size
    assert info["schema_version"] == SCHEMA_VERSION
    assert info["pending_migrations"] == 0
    assert info["entries"] == {"practice": 1, "supervision": 1, "therapy": 1}
    assert info["deleted"] == 1
    assert info["last_entry"] == {"id": 3, "kind": "practice", "date": "2026-03-05"}
    text = run("db", "status").stdout
    assert "entries:    1 practice, 1 supervision, 1 therapy" in text
    assert "up to date" in text


def test_db_status_shows_pending_migrations_without_applying_them(run, db_path, filled):
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    conn.close()
    result = run("db", "status")
    assert "1 migration(s) pending (applied, after a backup, on the next command)" in result.stdout
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION - 1
    conn.close()


def test_db_status_of_a_journal_from_a_newer_version(run, db_path, filled):
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    result = run("db", "status")
    assert result.exit_code == 0
    assert f"version {SCHEMA_VERSION + 1}, newer than this version of journal knows" in result.stdout
    assert run("db", "status", "--json").json()["pending_migrations"] == 0


def test_db_status_without_a_journal_is_an_error(run, db_path):
    result = run("db", "status")
    assert result.exit_code == 1
    assert "no journal at" in result.stderr and not db_path.exists()


def test_db_backup_is_a_private_consistent_copy(run, db_path, filled, tmp_path):
    dest = tmp_path / "backups" / "copy.db"
    result = run("db", "backup", str(dest))
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600
    assert file_digest(dest) == file_digest(db_path)
    again = run("db", "backup", str(dest))
    assert again.exit_code == 1 and "already exists" in again.stderr
    into_folder = run("db", "backup", str(tmp_path / "backups"))
    assert into_folder.exit_code == 0
    assert len(list((tmp_path / "backups").glob("journal-*.db"))) == 1


def test_db_backup_refuses_to_overwrite_the_journal(run, db_path, filled):
    before = file_digest(db_path)
    result = run("db", "backup", str(db_path))
    assert result.exit_code == 1
    assert file_digest(db_path) == before


def test_db_check_passes_on_a_healthy_journal(run, filled):
    result = run("db", "check")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["integrity:     ok", "foreign keys:  ok", "search index:  ok",
                                          "report totals: ok", "rule totals:   ok", "tag totals:    ok", "repeats:       ok",
                                          "overlaps:      ok", "client names:  ok"]


def test_db_check_finds_a_broken_search_index(run, db_path, filled):
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT INTO entries_fts(rowid, title, body, note) VALUES (99, 'x', 'ghost', 'y')")
    conn.commit()
    conn.close()
    result = run("db", "check")
    assert result.exit_code == 1
    assert "search index:  " in result.stdout and "search index:  ok" not in result.stdout
    assert "Error: the journal has problems (search index)" in result.stderr
    repaired = run("db", "check", "--repair")
    assert repaired.exit_code == 0
    assert "search index:  ok" in repaired.stdout
    assert [r["id"] for r in run("search", "ghost", "--json").json()] == []


def test_db_check_finds_report_totals_out_of_step_and_repairs_them(run, db_path, filled):
    expected = run("report", "--by", "year", "--json").json()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE daily_totals SET minutes = minutes + 600")
    conn.commit()
    conn.close()
    assert run("report", "--by", "year", "--json").json() != expected
    result = run("db", "check")
    assert result.exit_code == 1
    assert "report totals: " in result.stdout and "report totals: ok" not in result.stdout
    repaired = run("db", "check", "--repair")
    assert repaired.exit_code == 0
    assert "report totals: ok" in repaired.stdout
    assert run("report", "--by", "year", "--json").json() == expected


def test_db_check_finds_rows_pointing_nowhere(run, db_path, filled):
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("INSERT INTO entry_tags(entry_id, tag_id) VALUES (1, 999)")
    conn.commit()
    conn.close()
    result = run("db", "check")
    assert result.exit_code == 1
    assert "foreign keys:  1 row(s) point at missing rows (first in table entry_tags)" in result.stdout


def test_db_check_without_a_journal(run, db_path):
    result = run("db", "check")
    assert result.exit_code == 1 and "no journal at" in result.stderr
