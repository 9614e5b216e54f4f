"""Schema upgrades: a first-version journal is upgraded in place after a backup; an upgrade cut
short leaves the original usable; a journal from a newer version is refused untouched."""

from __future__ import annotations

import json
import signal
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlite_utils import Database

import journal.db
from journal.db import SCHEMA_VERSION
from conftest import PASSPHRASE, raw_connect
from journal.encryption import convert_in_place, new_key
from journal.paths import is_encrypted
from journal.migrations import migrations, script_statements
from journal.paths import create_private_file, ensure_private_dir
from procs import instructions_for, run_journal, run_killed_after

V1_ROWS = [
    # id, kind, start_utc, date, minutes, person_id, title, body, note, shared
    (1, "therapy", "2025-01-07T17:00:00Z", "2025-01-07", 50, 1, None, None, "private note one", 1),
    (2, "supervision", "2025-01-09T10:00:00Z", "2025-01-09", 90, 2, "Group", None, None, 1),
    (3, "reflection", "2025-01-09T12:00:00Z", "2025-01-09", None, None, "After supervision",
     "What happened: a rupture and its repair.", None, 0),
]


def make_v1_journal(path: Path, storage: str = "plain") -> None:
    """A journal exactly as the first schema version wrote it, with a few entries (then encrypted
    when ``storage`` says so)."""
    ensure_private_dir(path.parent)
    create_private_file(path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    migrations.apply(Database(conn, execute_plugins=False), stop_before="0002_search")
    conn.executemany("INSERT INTO people(id, name, key) VALUES (?, ?, ?)",
                     [(1, "Dr Martin", "dr martin"), (2, "Alice", "alice")])
    conn.execute("INSERT INTO tags(id, name, key) VALUES (1, 'rupture', 'rupture')")
    conn.executemany(
        "INSERT INTO entries(id, kind, start_utc, tz, date, minutes, person_id, title, body, note,"
        " shared, created_at, updated_at) VALUES (?, ?, ?, 'Europe/London', ?, ?, ?, ?, ?, ?, ?,"
        " '2025-01-10T00:00:00Z', '2025-01-10T00:00:00Z')",
        V1_ROWS,
    )
    conn.execute("INSERT INTO entry_tags(entry_id, tag_id) VALUES (3, 1)")
    conn.close()
    if storage == "encrypted":
        convert_in_place(path, None, new_key(PASSPHRASE))


def user_version(path: Path) -> int:
    conn = raw_connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def dump(path: Path) -> list[str]:
    """The logical content of a SQLite file, opened without our code's upgrade."""
    conn = raw_connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def v1(db_path, storage) -> Path:
    make_v1_journal(db_path, storage)
    assert user_version(db_path) == 1
    return db_path


def test_first_version_is_upgraded_in_place_after_a_backup(v1, run):
    before = dump(v1)
    result = run("list", "-n", "0", "--json")
    assert result.exit_code == 0, result.stderr
    assert [(r["id"], r["kind"]) for r in result.json()] == [
        (3, "reflection"), (2, "supervision"), (1, "therapy")]
    assert result.json()[0]["tags"] == ["rupture"]
    assert user_version(v1) == SCHEMA_VERSION

    backups = sorted(v1.parent.glob("journal.db.v1-*.bak"))
    assert len(backups) == 1
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    assert user_version(backups[0]) == 1
    assert dump(backups[0]) == before
    assert is_encrypted(backups[0]) == is_encrypted(v1)

    # The upgraded journal has the later steps: search finds the old reflection.
    conn = raw_connect(v1)
    hits = conn.execute("SELECT rowid FROM entries_fts WHERE entries_fts MATCH 'rupture'").fetchall()
    conn.close()
    assert hits == [(3,)]
    # A second run takes no second backup.
    assert run("list").exit_code == 0
    assert len(list(v1.parent.glob("journal.db.v1-*.bak"))) == 1


def schema(path: Path) -> list[tuple[str, str, str]]:
    conn = raw_connect(path)
    try:
        return conn.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                            "ORDER BY type, name").fetchall()
    finally:
        conn.close()


def test_an_upgraded_journal_has_the_schema_of_a_new_one(v1, run, tmp_path):
    """Every step applied to an old file gives what a new journal gets (tables, indexes, triggers),
    so that, for instance, 0007's dropped index is gone and nothing else with it."""
    assert run("list").exit_code == 0
    fresh = tmp_path / "fresh" / "journal.db"
    assert run("--db", str(fresh), "init").exit_code == 0
    assert schema(v1) == schema(fresh)
    assert ("index", "entries_live_kind_date_counts") in {(kind, name) for kind, name, _ in schema(v1)}
    assert "entries_live_kind_date" not in {name for _, name, _ in schema(v1)}


def test_a_new_journal_takes_no_backup(db_path, run):
    assert run("init").exit_code == 0
    assert user_version(db_path) == SCHEMA_VERSION
    assert list(db_path.parent.glob("*.bak")) == []


@pytest.mark.slow
def test_upgrade_killed_half_way_leaves_the_original_usable(tmp_path, storage):
    trial = tmp_path / "trial" / "journal.db"
    make_v1_journal(trial, storage)
    # The upgrade's share of the first `list`: what it costs beyond the same `list` once upgraded.
    total = instructions_for(trial, "list") - instructions_for(trial, "list")
    assert total > 1000, "too few steps to interrupt the upgrade at several points"

    for fraction in (0.05, 0.25, 0.5, 0.75, 0.95):
        path = tmp_path / f"at-{fraction}" / "journal.db"
        make_v1_journal(path, storage)
        before = dump(path)
        killed = run_killed_after(max(1, int(total * fraction)), path, "list")
        assert killed.returncode == -signal.SIGKILL, (fraction, killed.stdout, killed.stderr)
        assert user_version(path) == 1, fraction
        assert dump(path) == before, fraction
        backups = list(path.parent.glob("journal.db.v1-*.bak"))
        assert len(backups) == 1, fraction  # killed in the migration, after the backup
        for backup in backups:
            assert dump(backup) == before, fraction

        again = run_journal(path, "list", "-n", "0", "--json")
        assert again.returncode == 0, again.stderr
        assert [r["id"] for r in json.loads(again.stdout)] == [3, 2, 1]
        assert user_version(path) == SCHEMA_VERSION


@pytest.mark.parametrize("fail_after", [300, 1200, 2400, 3400])
@pytest.mark.parametrize("rollback_fails_too", [False, True])
def test_failing_migration_rolls_back_and_says_so(v1, run, monkeypatch, fail_after, rollback_fails_too):
    """SQLite interrupts the upgrade (about 3,500 instructions) part way, and in the worst case
    its ROLLBACK too: nothing is written, the error is one line, and the next run upgrades."""
    before = dump(v1)
    real_connect = journal.db.connect

    def failing_connect(path, key=None):
        conn = real_connect(path, key)
        steps = iter(range(fail_after + 1))
        conn.set_progress_handler(
            lambda: next(steps, -1 if rollback_fails_too else 0) in (fail_after, -1), 1)
        return conn

    monkeypatch.setattr(journal.db, "connect", failing_connect)
    result = run("list")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and len(result.stderr.strip().splitlines()) == 1
    assert "interrupted" in result.stderr
    assert user_version(v1) == 1
    assert dump(v1) == before

    monkeypatch.setattr(journal.db, "connect", real_connect)
    again = run("list", "--json")
    assert again.exit_code == 0, again.stderr
    assert [r["id"] for r in again.json()] == [3, 2, 1]
    assert user_version(v1) == SCHEMA_VERSION


@pytest.mark.parametrize("mode", ["wal", "delete"])
def test_journal_from_a_newer_version_is_refused_untouched(db_path, mode):
    assert run_journal(db_path, "log", "therapy", "50m", "--at", "2025-01-07 17:00").returncode == 0
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA journal_mode = {mode}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    files_before = sorted(p.name for p in db_path.parent.iterdir())
    bytes_before = db_path.read_bytes()

    for args in (["list"], ["log", "therapy", "50m", "--at", "2025-01-08 17:00"], ["show", "1"]):
        result = run_journal(db_path, *args)
        assert result.returncode == 1
        assert result.stderr.strip().splitlines() == [
            f"Error: {db_path} was written by a newer version of journal (schema {SCHEMA_VERSION + 1},"
            f" this one knows {SCHEMA_VERSION}); nothing was changed; upgrade with"
            " `pip install -U practice-journal`"
        ]
        assert result.stdout == ""
    assert db_path.read_bytes() == bytes_before
    assert sorted(p.name for p in db_path.parent.iterdir()) == files_before


def test_a_new_journal_has_the_schema_sqlite_utils_itself_builds(tmp_path):
    """upgrade() finds a script's statements itself (sqlite-utils' own way is slow): same schema."""
    ours = journal.db.open_journal(tmp_path / "ours.db")
    theirs = sqlite3.connect(tmp_path / "theirs.db", isolation_level=None)
    theirs.execute("BEGIN")
    migrations.apply(Database(theirs, execute_plugins=False))
    theirs.execute("COMMIT")
    schema = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    assert ours.execute(schema).fetchall() == theirs.execute(schema).fetchall()
    assert len(ours.execute(schema).fetchall()) > 20
    ours.close()
    theirs.close()


def test_a_script_splits_only_where_a_statement_ends():
    script = """
        CREATE TABLE t (a TEXT DEFAULT 'x;y'); -- a comment; with a semicolon
        CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN
            UPDATE t SET a = a || ';'; DELETE FROM t WHERE a = '';
        END;
        /* a last comment */"""
    assert list(script_statements(script)) == [
        "CREATE TABLE t (a TEXT DEFAULT 'x;y');",
        "-- a comment; with a semicolon\n        CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN\n"
        "            UPDATE t SET a = a || ';'; DELETE FROM t WHERE a = '';\n        END;",
        "/* a last comment */",
    ]
    assert list(script_statements("SELECT 1")) == ["SELECT 1"]
    assert list(script_statements("  \n")) == []
