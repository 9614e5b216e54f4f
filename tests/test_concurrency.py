"""Many writers at once: nothing lost, nothing locked, the file stays sound."""

from __future__ import annotations

import json
import shutil
import stat

import pytest

from conftest import create_journal, raw_connect
from journal.paths import is_encrypted
from procs import go, run_journal, start_log_workers

# Load tests: many processes for tens of seconds (`make test` runs them, `make test-fast` does not).
pytestmark = pytest.mark.slow

WORKERS = 8
SESSIONS_EACH = 200


def integrity(db) -> str:
    conn = raw_connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def test_eight_writers_and_a_reader_lose_nothing(tmp_path, storage):
    """8 processes log 200 sessions each into a journal none of them has created yet (an encrypted
    one is created empty first), while another process lists and publishes in a loop: all 1,600
    are there and nothing was locked."""
    db = tmp_path / "journal" / "journal.db"
    if storage == "encrypted":
        create_journal(db, storage)
    writers = start_log_workers(db, WORKERS, SESSIONS_EACH)
    go(writers)
    lists, publishes = [], []
    while any(w.poll() is None for w in writers):
        lists.append(run_journal(db, "list", "-n", "5", "--json"))
        publishes.append(run_journal(db, "publish", "--json"))
    outputs = [w.communicate(timeout=300) for w in writers]

    for out, err in outputs:
        assert out.splitlines() == ["done"], out + err
        assert "Traceback" not in err
    assert [w.returncode for w in writers] == [0] * WORKERS
    assert publishes, "the reader never ran while the writers did"
    for read in lists + publishes:
        assert read.returncode == 0, read.stderr
        assert "locked" not in read.stderr

    listed = run_journal(db, "list", "-n", "0", "--json")
    assert listed.returncode == 0, listed.stderr
    titles = sorted(r["title"] for r in json.loads(listed.stdout))
    expected = sorted(f"w{w}-{i}" for w in range(WORKERS) for i in range(SESSIONS_EACH))
    assert len(titles) == 1600
    assert titles == expected
    # Each publish was a consistent snapshot, and the last one sees every session.
    published = [json.loads(r.stdout)["sessions"].get("supervision", 0) for r in publishes]
    assert published == sorted(published)
    assert all(json.loads(r.stdout)["sessions"].keys() <= {"supervision"} for r in publishes)
    assert json.loads(run_journal(db, "publish", "--json").stdout)["sessions"] == {"supervision": 1600}
    assert integrity(db) == "ok"
    check = run_journal(db, "db", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    conn = raw_connect(db)
    assert conn.execute("SELECT count(*) FROM people").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM tags").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM entry_tags").fetchone()[0] == 1600
    conn.close()


def titles_in(db) -> list[str]:
    listed = run_journal(db, "list", "-n", "0", "--json")
    assert listed.returncode == 0, listed.stderr
    return [r["title"] for r in json.loads(listed.stdout)]


def test_backup_while_writers_are_active_is_consistent(tmp_path, storage):
    """Backups taken while 4 processes write are sound snapshots: each worker's sessions (logged
    in order) appear without gaps, and a backup of the finished journal restores identically
    (an encrypted journal's backups are encrypted with its key)."""
    db = tmp_path / "journal" / "journal.db"
    create_journal(db, storage)
    assert run_journal(db, "log", "cpd", "1h", "--at", "2024-12-01 10:00", "--title", "first").returncode == 0
    writers = start_log_workers(db, 4, 100)
    go(writers)
    backups = []
    while any(w.poll() is None for w in writers):
        dest = tmp_path / "backups" / f"during-{len(backups)}.db"
        result = run_journal(db, "db", "backup", str(dest))
        assert result.returncode == 0, result.stderr
        backups.append(dest)
    for w in writers:
        out, err = w.communicate(timeout=300)
        assert out.splitlines() == ["done"], out + err
    assert backups, "no backup ran while the writers did"

    for dest in backups:
        assert stat.S_IMODE(dest.stat().st_mode) == 0o600
        assert is_encrypted(dest) == (storage == "encrypted")
        assert integrity(dest) == "ok"
        assert run_journal(dest, "db", "check").returncode == 0
        titles = set(titles_in(dest))
        assert "first" in titles
        for w in range(4):
            done = sum(f"w{w}-{i}" in titles for i in range(100))
            assert {f"w{w}-{i}" for i in range(done)} <= titles, (dest.name, w, done)
    assert list((tmp_path / "backups").glob("*.partial")) == []

    final = tmp_path / "backups" / "final.db"
    assert run_journal(db, "db", "backup", str(final)).returncode == 0
    restored = tmp_path / "restored" / "journal.db"
    restored.parent.mkdir()
    shutil.copyfile(final, restored)
    original = run_journal(db, "export", "--format", "json").stdout
    assert len(json.loads(original)) == 401
    assert run_journal(restored, "export", "--format", "json").stdout == original
