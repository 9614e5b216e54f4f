"""Issue 10, item 4: `journal db backup DEST` never turns a missing folder into a file. A DEST that
ends in / or names an existing folder is a folder; a missing folder is an error (exit 1)."""

from __future__ import annotations

import sqlite3
import stat
from datetime import date


def backed_up_ids(path) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT id FROM entries ORDER BY id")]
    finally:
        conn.close()


def test_a_missing_folder_is_an_error_not_a_file(run, tmp_path):
    run("log", "therapy", "50m", "--at", "2026-03-02 18:00")
    stick = tmp_path / "media" / "usb"  # the stick is not plugged in: its mount point is missing
    (tmp_path / "media").mkdir()
    result = run("db", "backup", f"{stick}/")
    assert result.exit_code == 1
    assert f"the folder {stick}/ does not exist" in result.stderr and "plugged in" in result.stderr
    assert not stick.exists() and list((tmp_path / "media").iterdir()) == []


def test_an_existing_folder_gets_a_dated_file_and_never_refuses_a_second_backup(run, tmp_path):
    run("log", "therapy", "50m", "--at", "2026-03-02 18:00")
    folder = tmp_path / "usb"
    folder.mkdir()
    today = date.today().isoformat()
    for typed, name in ((f"{folder}/", f"journal-{today}.db"), (str(folder), f"journal-{today}-2.db")):
        result = run("db", "backup", typed)
        assert result.exit_code == 0, result.stderr
        copy = folder / name
        assert f"to {copy}" in result.stderr
        assert backed_up_ids(copy) == [1]
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600


def test_a_file_name_is_still_a_file(run, tmp_path):
    run("log", "therapy", "50m", "--at", "2026-03-02 18:00")
    dest = tmp_path / "backups" / "journal-2026-03.db"
    assert run("db", "backup", str(dest)).exit_code == 0
    assert backed_up_ids(dest) == [1]
    again = run("db", "backup", str(dest))
    assert again.exit_code == 1 and "already exists" in again.stderr
