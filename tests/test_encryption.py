"""Encryption at rest: no private byte in the file or its WAL, search still works, unlocking with a
keyring or a passphrase, converting in place (even when killed), and every command on an encrypted journal."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys

import pytest

from conftest import PASSPHRASE, create_journal, raw_connect, use_file_keyring
from journal.db import open_journal
from journal.encryption import key_for_file
from journal.paths import PLAIN_HEADER, is_encrypted
from journal import keycache
from journal.unlocking import keyring_key, stored_key
from procs import free_port, instructions_for, run_journal, run_killed_after, start_journal, wait_for_port
from snapshots import at_path

CANARIES = {
    "note": "CanaryNoteQx1",
    "body": "CanaryBodyQx2",
    "title": "CanaryTitleQx3",
    "client": "CanaryClientQx4",
    "person": "CanaryPersonQx5",
    "tag": "canarytagqx6",
    "setting": "CanaryPractitionerQx7",
    "setting_place": "CanarySettingQx8",
}


def fill(db) -> None:
    """One of every private field, each holding its canary."""
    c = CANARIES
    for args in (
        ["config", "practitioner", c["setting"]],
        ["log", "therapy", "50m", "--at", "2025-03-03 15:00", "--with", c["person"], "--note", c["note"],
         "--tag", c["tag"]],
        ["log", "practice", "50m", "--at", "2025-03-04 10:00", "--client", c["client"],
         "--setting", c["setting_place"], "--note", c["note"]],
        ["reflect", "--at", "2025-03-04 12:00", "--title", c["title"], "-m", f"{c['body']} after the session"],
    ):
        result = run_journal(db, *args)
        assert result.returncode == 0, (args, result.stderr)


@pytest.fixture
def encrypted(tmp_path, monkeypatch):
    """An encrypted journal with a canary in every private field; no keyring, the passphrase in the environment."""
    monkeypatch.setenv("JOURNAL_PASSPHRASE", PASSPHRASE)
    db = tmp_path / "journal" / "journal.db"
    at_path("test_encryption.encrypted", db, lambda: (create_journal(db, "encrypted"), fill(db)))  # built once, then copied
    return db


def private_bytes_in(*files) -> list[str]:
    data = b"".join(path.read_bytes() for path in files).lower()  # client codes are stored in capitals
    return [name for name, canary in CANARIES.items() if canary.lower().encode() in data]


def test_no_canary_in_the_file_nor_its_wal_and_search_finds_them(encrypted, tmp_path):
    plain = tmp_path / "plain" / "journal.db"
    create_journal(plain, "plain")
    fill(plain)
    assert private_bytes_in(plain) == list(CANARIES)  # the same canaries are readable in a plain file

    # A connection kept open keeps the WAL with the latest writes in it.
    journal = open_journal(encrypted, key=key_for_file(encrypted, PASSPHRASE))
    try:
        with journal.transaction():
            journal.execute("UPDATE entries SET note = ? WHERE kind = 'practice'", (CANARIES["note"] + " again",))
        wal = encrypted.with_name("journal.db-wal")
        assert wal.stat().st_size > 0
        assert private_bytes_in(encrypted, wal) == []
    finally:
        journal.close()
    assert encrypted.read_bytes()[:16] != PLAIN_HEADER

    found = run_journal(encrypted, "search", CANARIES["body"], "--json")
    assert found.returncode == 0, found.stderr
    assert [r["title"] for r in json.loads(found.stdout)] == [CANARIES["title"]]
    notes = run_journal(encrypted, "search", CANARIES["note"], "--json")
    assert len(json.loads(notes.stdout)) == 2


def test_the_file_does_not_open_without_its_key(encrypted):
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(encrypted).execute("SELECT count(*) FROM sqlite_master").fetchone()
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        from journal.db import connect

        connect(encrypted, key_for_file(encrypted, "not the passphrase")).execute(
            "SELECT count(*) FROM entries").fetchone()
    # Any SQLCipher 4 tool opens it with the passphrase alone (SQLCipher's own key derivation).
    from sqlcipher3 import dbapi2

    conn = dbapi2.connect(str(encrypted))
    conn.execute(f"PRAGMA key = '{PASSPHRASE}'")
    assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 3
    conn.close()


@pytest.mark.parametrize("how", ["environment", "stdin"])
def test_a_wrong_passphrase_is_one_line_and_writes_nothing(encrypted, monkeypatch, how):
    before = encrypted.read_bytes()
    files = sorted(p.name for p in encrypted.parent.iterdir())
    if how == "environment":
        monkeypatch.setenv("JOURNAL_PASSPHRASE", "wrong horse")
        result = run_journal(encrypted, "log", "therapy", "50m", "--at", "2025-03-05 15:00")
    else:
        monkeypatch.delenv("JOURNAL_PASSPHRASE")
        result = run_journal(encrypted, "--passphrase-stdin", "log", "therapy", "50m", "--at", "2025-03-05 15:00",
                             input="wrong horse\n")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"Error: wrong passphrase for {encrypted}; nothing was changed; type it again, or check $JOURNAL_PASSPHRASE"]
    assert encrypted.read_bytes() == before
    assert sorted(p.name for p in encrypted.parent.iterdir()) == files


def test_no_passphrase_and_no_terminal_says_how_to_give_one(encrypted, monkeypatch):
    monkeypatch.delenv("JOURNAL_PASSPHRASE")
    result = run_journal(encrypted, "list")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"Error: {encrypted} is encrypted and no passphrase was given; run it on a terminal, set "
        "$JOURNAL_PASSPHRASE or pass --passphrase-stdin"]


def test_passphrase_from_stdin_leaves_the_rest_of_stdin_to_the_command(encrypted, monkeypatch):
    monkeypatch.delenv("JOURNAL_PASSPHRASE")
    result = run_journal(encrypted, "--passphrase-stdin", "reflect", "--at", "2025-03-06 12:00",
                         input=f"{PASSPHRASE}\nRead from standard input\n")
    assert result.returncode == 0, result.stderr
    found = run_journal(encrypted, "--passphrase-stdin", "search", "standard", "--json", input=PASSPHRASE + "\n")
    assert [r["body"].strip() for r in json.loads(found.stdout)] == ["Read from standard input"]


def test_the_keyring_keeps_the_key_until_lock(encrypted, monkeypatch, tmp_path):
    """With a real keyring backend (keyrings.alt's file keyring, chosen explicitly), `unlock` keeps the
    derived key, not the passphrase; commands then need nothing; `lock` forgets it."""
    store = use_file_keyring(monkeypatch, tmp_path / "keyring")
    unlocked = run_journal(encrypted, "unlock")
    assert unlocked.returncode == 0, unlocked.stderr
    assert unlocked.stderr == f"Unlocked {encrypted}\n"
    assert store.exists()
    assert keyring_key(encrypted) == key_for_file(encrypted, PASSPHRASE)  # read back through keyring's API

    monkeypatch.delenv("JOURNAL_PASSPHRASE")
    assert run_journal(encrypted, "search", CANARIES["body"]).returncode == 0
    locked = run_journal(encrypted, "lock")
    assert locked.stderr == f"Locked {encrypted}: its key was removed from the keyring.\n"
    assert stored_key(encrypted) is None
    assert run_journal(encrypted, "search", CANARIES["body"]).returncode == 1
    assert run_journal(encrypted, "lock").stderr == f"{encrypted} was already locked (no key kept for it).\n"


def kernel_keys() -> dict[str, list[str]]:
    """/proc/keys by description: each key's fields (serial, flags, usage, timeout, permissions, uid...)."""
    keys = {}
    for line in open("/proc/keys", encoding="utf-8"):
        fields = line.split()
        keys[fields[8].rstrip(":")] = fields
    return keys


@pytest.mark.skipif(keycache._keyutils() is None, reason="no kernel keyring here (not Linux, or no libkeyutils)")
def test_the_kernel_keeps_a_copy_of_the_key_for_the_user_only_until_lock(encrypted, monkeypatch, tmp_path):
    """Commands in a row read the key from the kernel's copy, without the keyring; the copy is the user's
    alone, expires when unused, and `lock` removes it with the keyring's."""
    use_file_keyring(monkeypatch, tmp_path / "keyring")
    assert run_journal(encrypted, "unlock").returncode == 0
    description = f"practice-journal:{encrypted.resolve()}"
    _, _, _, timeout, permissions, uid, *_ = kernel_keys()[description]
    assert permissions == "3f3f0000" and int(uid) == os.getuid()  # possessor and same user only
    assert timeout != "perm" and timeout.endswith("m")  # expires (15 minutes unused)
    assert keycache.read(encrypted) == key_for_file(encrypted, PASSPHRASE).to_text()

    monkeypatch.delenv("JOURNAL_PASSPHRASE")
    use_file_keyring(monkeypatch, tmp_path / "another-keyring")  # the system keyring no longer has it
    found = run_journal(encrypted, "search", CANARIES["body"], "--json")
    assert found.returncode == 0, found.stderr
    assert [r["title"] for r in json.loads(found.stdout)] == [CANARIES["title"]]

    assert run_journal(encrypted, "lock").stderr == f"Locked {encrypted}: its key was removed from the keyring.\n"
    assert description not in kernel_keys()
    refused = run_journal(encrypted, "search", CANARIES["body"])
    assert refused.returncode == 1 and "no passphrase was given" in refused.stderr


def modules_loaded_by(db, *args) -> list[str]:
    """Which of the encryption's modules a `journal` command loads."""
    code = ("import sys\nfrom journal.cli import cli\n"
            "try:\n    cli.main(sys.argv[1:], prog_name='journal')\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('keyring', 'sqlcipher3', 'ctypes', 'hashlib', 'journal.encryption') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code, "--db", str(db), *args], capture_output=True, text=True,
                            check=True, stdin=subprocess.DEVNULL)
    return json.loads(result.stdout.strip().splitlines()[-1].replace("'", '"'))


@pytest.mark.skipif(keycache._keyutils() is None, reason="no kernel keyring here (not Linux, or no libkeyutils)")
def test_commands_load_only_what_their_journal_needs(encrypted, monkeypatch, tmp_path):
    """A plain journal loads no encryption (not even our module, nor OpenSSL for it); an unlocked encrypted one loads SQLCipher
    and reads the kernel's copy of its key, without loading `keyring` (about 50 ms a command)."""
    plain = tmp_path / "plain.db"
    assert run_journal(plain, "log", "therapy", "50m").returncode == 0
    assert modules_loaded_by(plain, "search", "rupture") == []

    use_file_keyring(monkeypatch, tmp_path / "keyring")
    assert run_journal(encrypted, "unlock").returncode == 0
    monkeypatch.delenv("JOURNAL_PASSPHRASE")
    for args in (["log", "therapy", "50m", "--again"], ["list"], ["search", CANARIES["body"]], ["report"]):
        assert modules_loaded_by(encrypted, *args) == ["ctypes", "journal.encryption", "sqlcipher3"], args


def test_a_stale_key_in_the_keyring_gives_way_to_the_passphrase(encrypted, monkeypatch, tmp_path):
    use_file_keyring(monkeypatch, tmp_path / "keyring")
    assert run_journal(encrypted, "unlock").returncode == 0
    assert run_journal(encrypted, "db", "decrypt").returncode == 0
    monkeypatch.setenv("JOURNAL_PASSPHRASE", "a new passphrase")
    assert run_journal(encrypted, "db", "encrypt").returncode == 0
    listed = run_journal(encrypted, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 3


def test_without_a_usable_keyring_nothing_is_stored(encrypted, monkeypatch):
    """keyrings.alt is installed here for the tests, but a plain-text file keyring that keyring would only
    fall back on is not trusted with the key unless chosen."""
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    result = run_journal(encrypted, "unlock")
    assert result.returncode == 1
    assert result.stderr.startswith("Error: no usable system keyring here, so the key is not kept")
    assert run_journal(encrypted, "lock").stderr.startswith("Nothing to forget: no usable system keyring")


def export_of(db) -> list[dict]:
    result = run_journal(db, "export", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_encrypt_and_decrypt_in_place_after_a_backup(tmp_path, monkeypatch):
    db = tmp_path / "journal" / "journal.db"
    create_journal(db, "plain")
    fill(db)
    before = export_of(db)
    monkeypatch.setenv("JOURNAL_PASSPHRASE", PASSPHRASE)

    result = run_journal(db, "db", "encrypt")
    assert result.returncode == 0, result.stderr
    assert is_encrypted(db) and private_bytes_in(db) == []
    backups = list(db.parent.glob("journal.db.before-encrypt-*.bak"))
    assert len(backups) == 1 and not is_encrypted(backups[0])
    assert f"Unencrypted copies remain beside it ({backups[0].name} is the journal as it was)" in result.stderr
    assert export_of(db) == before
    assert json.loads(run_journal(db, "db", "status", "--json").stdout)["encrypted"] is True
    assert "encrypted:  yes" in run_journal(db, "db", "status").stdout
    assert run_journal(db, "db", "check").returncode == 0
    again = run_journal(db, "db", "encrypt")
    assert again.returncode == 1 and again.stderr == f"Error: {db} is already encrypted; `journal db status` shows it\n"

    result = run_journal(db, "db", "decrypt")
    assert result.returncode == 0, result.stderr
    assert not is_encrypted(db) and private_bytes_in(db) == list(CANARIES)
    backups = list(db.parent.glob("journal.db.before-decrypt-*.bak"))
    assert len(backups) == 1 and is_encrypted(backups[0])
    monkeypatch.delenv("JOURNAL_PASSPHRASE")
    assert export_of(db) == before
    assert json.loads(run_journal(db, "db", "status", "--json").stdout)["encrypted"] is False
    assert run_journal(db, "db", "decrypt").stderr == f"Error: {db} is not encrypted; `journal db encrypt` encrypts it\n"


@pytest.mark.slow  # kills the conversion at every step: about a minute
@pytest.mark.parametrize("direction", ["encrypt", "decrypt"])
def test_conversion_killed_at_any_point_leaves_the_original_or_the_result(tmp_path, monkeypatch, direction):
    seed = tmp_path / "seed" / "journal.db"
    monkeypatch.setenv("JOURNAL_PASSPHRASE", PASSPHRASE)
    create_journal(seed, "plain" if direction == "encrypt" else "encrypted")
    fill(seed)
    before = export_of(seed)
    trial = tmp_path / "trial" / "journal.db"
    trial.parent.mkdir()
    trial.write_bytes(seed.read_bytes())
    total = instructions_for(trial, "db", direction)

    outcomes = set()
    for step, limit in enumerate([total * step // 8 for step in range(1, 8)] + [total - 1]):
        path = tmp_path / f"kill-{step}" / "journal.db"
        path.parent.mkdir()
        path.write_bytes(seed.read_bytes())
        killed = run_killed_after(limit, path, "db", direction)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        outcomes.add(is_encrypted(path))
        assert export_of(path) == before, step
        assert run_journal(path, "db", "check").returncode == 0, step
        finished = run_journal(path, "db", direction)
        assert finished.returncode == 0, finished.stderr
        assert is_encrypted(path) == (direction == "encrypt")
        assert export_of(path) == before
        assert list(path.parent.glob(".*.tmp")) == []
    # SQLite's last instruction (the finished copy checked) comes before the rename, the one step
    # that switches the journal from the original to the result.
    assert outcomes == {direction == "decrypt"}


@pytest.mark.slow  # runs every command, each deriving the key: several seconds
def test_every_command_works_encrypted(encrypted, tmp_path):
    run = lambda *args, **kw: run_journal(encrypted, *args, **kw)  # noqa: E731
    assert run("report", "--by", "kind", "--json").returncode == 0
    checked = run("check", "--profile", "bacp-practice", "--json")
    assert checked.returncode in (0, 3) and json.loads(checked.stdout)["profile"] == "bacp-practice"
    assert run("show", "1", "--json").returncode == 0
    assert run("edit", "1", "--title", "Edited").returncode == 0
    assert run("rm", "1").returncode == 0 and run("restore", "1").returncode == 0

    imported = run("import", "json", "-", input=json.dumps(
        [{"kind": "supervision", "start": "2025-03-10T10:00:00+00:00", "tz": "Europe/London", "minutes": 60,
          "with": "Alice"}]))
    assert imported.returncode == 0, imported.stderr
    exported = run("export", "--format", "csv")
    assert exported.returncode == 0 and CANARIES["note"] in exported.stdout
    assert exported.stderr.startswith("Note: your journal is encrypted but this export is not")

    backup = tmp_path / "copy.db"
    assert run("db", "backup", str(backup)).returncode == 0
    assert is_encrypted(backup) and private_bytes_in(backup) == []
    assert len(export_of(backup)) == 4

    report = tmp_path / "report.db"
    published = run("publish", "--out", str(report))
    assert published.returncode == 0, published.stderr
    assert report.read_bytes()[:16] == PLAIN_HEADER  # Datasette reads it as it is
    # The therapist's and the practitioner's names are shareable; notes, private reflections, client codes are not.
    assert {"note", "body", "title", "client"}.isdisjoint(private_bytes_in(report))
    conn = sqlite3.connect(report)
    assert conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 3
    conn.close()


def test_a_plain_export_says_nothing_on_a_plain_journal(tmp_path):
    db = tmp_path / "journal" / "journal.db"
    create_journal(db, "plain")
    fill(db)
    assert run_journal(db, "export").stderr == ""


@pytest.mark.slow  # starts a real server process on the encrypted journal
def test_serve_reads_logins_from_the_encrypted_journal_and_the_passphrase_goes_nowhere(encrypted):
    import http.client

    from journal.supervisor.logins import LoginBook

    added = run_journal(encrypted, "supervisor", "add", "alice", "--password-stdin", input="correct horse\n")
    assert added.returncode == 0, added.stderr
    key = key_for_file(encrypted, PASSPHRASE)
    book = LoginBook(encrypted, key=key)  # what `serve` holds, in its own memory
    assert book.names() == ["alice"]
    book.close()
    invited = run_journal(encrypted, "supervisor", "invite", "carol")
    assert invited.returncode == 0, invited.stderr
    link = re.search(r"http://\S+(/-/invite\?token=\S+)", invited.stdout + invited.stderr).group(1)
    port = free_port()
    server = start_journal(encrypted, "serve", "--port", str(port))
    try:
        wait_for_port(port, server)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/report/sessions")
        response = conn.getresponse()
        response.read()
        assert response.status in (302, 403)  # a login is asked: the logins were read
        conn.request("GET", "/-/login")
        page = conn.getresponse()
        assert page.status == 200 and PASSPHRASE.encode() not in page.read()
        conn.request("GET", link)  # the invite, read from the encrypted journal with the key in memory
        chosen = conn.getresponse()
        assert chosen.status == 200 and b"<strong>carol</strong>" in chosen.read()
        conn.close()
        cmdline = open(f"/proc/{server.pid}/cmdline", "rb").read()
        assert PASSPHRASE.encode() not in cmdline
    finally:
        server.terminate()
        out, err = server.communicate(timeout=30)
    secrets = {PASSPHRASE, key.raw.hex(), key.to_text(), key.pragma}
    assert not any(secret in out + err + invited.stdout + invited.stderr for secret in secrets)
    published = encrypted.with_name("journal-supervisor.db")
    inbox = encrypted.with_name("journal-supervisor-signoffs.db")  # the server made it, plain (see README)
    for beside in (published, inbox):
        assert beside.exists() and beside.read_bytes()[:16] == PLAIN_HEADER
        assert not any(secret.encode() in beside.read_bytes() for secret in secrets)


def test_sqlite_utils_and_standard_errors_work_on_an_encrypted_connection(encrypted):
    journal = open_journal(encrypted, key=key_for_file(encrypted, PASSPHRASE))
    try:
        db = journal.sqlite_utils()
        assert "entries_fts" in db.table_names()
        assert db["entries"].count == 3
        hits = db.query("SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?", [CANARIES["body"]])
        assert len(list(hits)) == 1
        with pytest.raises(sqlite3.OperationalError):  # our code and sqlite-utils catch the standard classes
            journal.execute("SELECT * FROM no_such_table")
        with pytest.raises(sqlite3.IntegrityError):
            journal.execute("INSERT INTO entries(kind) VALUES ('nonsense')")
    finally:
        journal.close()
    assert raw_connect(encrypted).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_init_encrypt_refuses_an_existing_plain_journal(tmp_path, monkeypatch):
    db = tmp_path / "journal" / "journal.db"
    create_journal(db, "plain")
    monkeypatch.setenv("JOURNAL_PASSPHRASE", PASSPHRASE)
    before = db.read_bytes()
    result = run_journal(db, "init", "--encrypt")
    assert result.returncode == 1
    assert result.stderr == (f"Error: {db} already exists and is not encrypted; nothing was changed; encrypt it "
                             "with `journal db encrypt`\n")
    assert db.read_bytes() == before
