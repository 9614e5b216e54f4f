"""Crash safety and private files: a command killed at any point writes all or nothing, and every
file the journal makes is readable by its owner only, whatever the umask."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import create_journal, file_digest
from procs import instructions_for, run_journal, run_killed_after
from test_migrations import make_v1_journal

LOG = ["log", "supervision", "1h30m", "--at", "2025-03-04 10:00", "--with", "Alice", "--format", "group",
       "--group-size", "4", "--tag", "ethics", "--tag", "groups", "--note", "private", "--title", "Group"]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextlib.contextmanager
def open_umask():
    """Run the block with umask 000: files get only the permissions the code asks for."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def listing(db: Path) -> list[dict]:
    result = run_journal(db, "list", "-n", "0", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_every_file_the_journal_makes_is_private_whatever_the_umask(tmp_path):
    """The journal and its side files, backups (asked for and before an upgrade), the published
    file, an export and the server's signing secret: 0600, in 0700 folders, even with umask 000."""
    from journal.supervisor.serve import secret_path, signing_secret

    home = tmp_path / "home" / "journal"
    db = home / "journal.db"
    old = tmp_path / "old" / "journal.db"
    make_v1_journal(old)
    with open_umask():
        for args in (["log", "therapy", "50m", "--at", "2025-03-03 15:00", "--note", "private"],
                     ["db", "backup", str(tmp_path / "usb" / "backups" / "copy.db")],
                     ["publish", "--out", str(tmp_path / "shared" / "report.db")],
                     ["export", "-o", str(tmp_path / "all.json")]):
            result = run_journal(db, *args)
            assert result.returncode == 0, (args, result.stderr)
        assert run_journal(old, "list").returncode == 0
        signing_secret(db)
        # SQLite's side files, which hold recent writes, while a connection has them open.
        conn = sqlite3.connect(db)
        conn.execute("INSERT INTO settings(key, value) VALUES ('x', 'y')")
        side_files = [home / "journal.db-wal", home / "journal.db-shm"]
        assert [mode(path) for path in side_files] == [0o600, 0o600]
        conn.close()

    assert mode(home) == 0o700
    assert mode(tmp_path / "usb" / "backups") == 0o700
    private = [db, tmp_path / "usb" / "backups" / "copy.db", tmp_path / "shared" / "report.db",
               tmp_path / "all.json", secret_path(db), *old.parent.glob("journal.db.v1-*.bak")]
    assert len(private) == 6
    assert {str(path): mode(path) for path in private} == {str(path): 0o600 for path in private}
    assert [r["minutes"] for r in listing(tmp_path / "usb" / "backups" / "copy.db")] == [50]


def test_backup_refuses_to_overwrite(tmp_path):
    db = tmp_path / "journal" / "journal.db"
    assert run_journal(db, "log", "therapy", "50m", "--at", "2025-03-03 15:00").returncode == 0
    dest = tmp_path / "copy.db"
    dest.write_bytes(b"something else")
    result = run_journal(db, "db", "backup", str(dest))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: {dest} already exists; nothing was written; choose a new file name"]
    assert dest.read_bytes() == b"something else"


@pytest.fixture
def seeded(tmp_path, storage) -> Path:
    """A journal with one session, plain and encrypted."""
    db = tmp_path / "seed" / "journal.db"
    create_journal(db, storage)
    assert run_journal(db, "log", "therapy", "50m", "--at", "2025-03-03 15:00", "--tag", "ethics").returncode == 0
    return db


def copy_journal(src: Path, dest: Path) -> Path:
    dest.parent.mkdir(parents=True)
    shutil.copyfile(src, dest)
    return dest


@pytest.mark.slow
def test_log_killed_at_any_point_writes_all_or_nothing(seeded, tmp_path):
    """`journal log` with a new person and tags, SIGKILLed at 8 points in its SQLite work (the
    last one after the commit, while it reads the record back)."""
    before = listing(seeded)
    complete = copy_journal(seeded, tmp_path / "complete" / "journal.db")
    total = instructions_for(complete, *LOG)
    after = listing(complete)
    assert len(after) == 2

    outcomes = []
    for step, limit in enumerate([total * step // 8 for step in range(1, 8)] + [total - 1]):
        path = copy_journal(seeded, tmp_path / f"kill-{step}" / "journal.db")
        killed = run_killed_after(limit, path, *LOG)
        assert killed.returncode == -signal.SIGKILL, (limit, killed.stderr)
        now = listing(path)
        assert now in (before, after), limit
        outcomes.append(len(now))
        assert run_journal(path, "db", "check").returncode == 0
        # The next command works: the session can be logged after all, or, when it was, logging it
        # again is refused as a repeat.
        retry = run_journal(path, *LOG)
        if now == after:
            assert retry.returncode == 1 and "logged already, as #" in retry.stderr
            assert listing(path) == after
        else:
            assert retry.returncode == 0, retry.stderr
            assert len(listing(path)) == len(now) + 1
    assert set(outcomes) == {1, 2}, "the kills fall both before and after the commit"


def large_export(path: Path, count: int) -> Path:
    """A file in `journal export`'s JSON shape: sessions of every kind and reflections."""
    base = datetime(2000, 1, 3, 8, tzinfo=timezone.utc)  # 20,000 records still end in the past
    records = []
    for i in range(count):
        start = (base + timedelta(hours=7 * i)).isoformat()
        if i % 5 == 4:
            records.append({"kind": "reflection", "start": start, "tz": "Europe/London", "title": f"R{i}",
                            "body": f"Reflection {i}", "tags": ["imported", f"t{i % 7}"], "shared": i % 2 == 0})
        else:
            kind = ("therapy", "supervision", "practice", "cpd")[i % 4]
            records.append({"kind": kind, "start": start, "tz": "Europe/London", "minutes": 50,
                            "with": None if kind == "practice" else f"Person {i % 9}",
                            "client": f"C{i % 40:03d}" if kind == "practice" else None,
                            "tags": ["imported"], "note": f"note {i}"})
    path.write_text(json.dumps(records))
    return path


@pytest.mark.slow
def test_import_killed_at_any_point_leaves_the_journal_as_before(seeded, tmp_path):
    """A 2,000-record import SIGKILLed at 6 points: the journal is exactly as before each time."""
    big = large_export(tmp_path / "big.json", 2000)
    total = instructions_for(copy_journal(seeded, tmp_path / "complete" / "journal.db"), "import", "json", str(big))
    before = file_digest(seeded)

    for step in range(1, 7):
        path = copy_journal(seeded, tmp_path / f"kill-{step}" / "journal.db")
        killed = run_killed_after(total * step // 7, path, "import", "json", str(big))
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        assert file_digest(path) == before, step
        assert run_journal(path, "db", "check").returncode == 0
        again = run_journal(path, "import", "json", str(big), "--json")
        assert again.returncode == 0, again.stderr
        assert len(listing(path)) == 2001


@pytest.mark.slow
def test_publish_killed_at_any_point_keeps_the_previous_report(seeded, tmp_path):
    """`journal publish` SIGKILLed at 6 points: the previous file is untouched and still served."""
    from journal.supervisor.serve import make_datasette

    report = seeded.parent / "report.db"
    assert run_journal(seeded, "publish", "--out", str(report)).returncode == 0
    published = report.read_bytes()
    assert run_journal(seeded, "log", "supervision", "1h", "--at", "2025-03-04 10:00").returncode == 0
    total = instructions_for(seeded, "publish", "--out", str(tmp_path / "trial.db"))

    for step in range(1, 7):
        killed = run_killed_after(total * step // 7, seeded, "publish", "--out", str(report))
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        assert report.read_bytes() == published, step
    assert mode(report) == 0o600
    ds = make_datasette(report, logins=None, secret="s" * 64)
    rows = asyncio.run(ds.client.get("/report/sessions.json?_shape=array")).json()
    assert [(row["kind"], row["minutes"]) for row in rows] == [("therapy", 50)]

    assert run_journal(seeded, "publish", "--out", str(report)).returncode == 0
    assert mode(report) == 0o600
    rows = asyncio.run(make_datasette(report, logins=None, secret="s" * 64).client.get(
        "/report/sessions.json?_shape=array")).json()
    assert sorted(row["kind"] for row in rows) == ["supervision", "therapy"]


PASSWORD = "Canary-passw0rd-91"
SECRETS = (PASSWORD, "pbkdf2", "Sh0rt!", "canary-note", "canary-reflection")


def test_no_error_prints_a_secret(tmp_path):
    """Passwords, their hashes, session notes and reflection text never appear in an error."""
    db = tmp_path / "journal" / "journal.db"
    for args, stdin in ((["log", "therapy", "50m", "--at", "2025-03-03 15:00", "--note", "canary-note 1"], None),
                        (["supervisor", "add", "alice", "--password-stdin"], PASSWORD + "\n"),
                        (["reflect", "--at", "2025-03-03 18:00", "-m", "canary-reflection 1"], None)):
        assert run_journal(db, *args, input=stdin).returncode == 0
    bad_import = tmp_path / "bad.json"
    bad_import.write_text(json.dumps([{"kind": "therapy", "start": "2025-03-04T10:00:00+00:00",
                                       "minutes": "fifty", "note": "canary-note 2", "with": PASSWORD}]))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        failing = [
            (["supervisor", "add", "not a login!", "--password-stdin"], PASSWORD + "\n"),
            (["supervisor", "add", "bob", "--password-stdin"], "Sh0rt!\n"),
            (["serve", "--port", port], None),
            (["edit", "1", "--duration", "25h", "--note", "canary-note 3"], None),
            (["log", "therapy", "50m", "--at", "tomorrow 9am", "--note", "canary-note 4"], None),
            (["reflect", "--on", "1", "--share", "-m", "canary-reflection 2"], None),
            (["reflect", "--on", "99", "-m", "canary-reflection 3"], None),
            (["import", "json", str(bad_import)], None),
            (["publish", "--out", str(db)], None),
        ]
        results = [(args, run_journal(db, *args, input=stdin)) for args, stdin in failing]
    for args, result in results:
        assert result.returncode in (1, 2), (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, (args, result.stderr)
        assert result.stderr.startswith("Error: "), (args, result.stderr)
        for secret in SECRETS:
            assert secret not in result.stdout + result.stderr, (args, secret)
