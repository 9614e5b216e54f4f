"""Shared fixtures: a temporary journal on a real SQLite file, and a CLI runner bound to it."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from journal.cli import cli
from journal.db import connect, open_journal
from journal.encryption import CipherKey, key_for_file
from journal.paths import is_encrypted

PASSPHRASE = "correct horse battery staple"


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    """No test may touch the real user's journal or depend on the machine's zone."""
    monkeypatch.delenv("JOURNAL_DB", raising=False)
    monkeypatch.setenv("JOURNAL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TZ", "Europe/London")
    monkeypatch.setenv("LANG", "C.UTF-8")  # English unless a test asks for French
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    yield
    drop_kernel_copies(tmp_path)


def drop_kernel_copies(folder: Path) -> None:
    """Remove the kernel keyring's copies of keys for journals under ``folder`` (journal.keycache): they
    would expire by themselves, but a user's kernel keyring holds only about a hundred keys."""
    from journal import keycache

    if not Path("/proc/keys").exists():
        return
    prefix = keycache.PREFIX + str(folder.resolve())
    for line in Path("/proc/keys").read_text(encoding="utf-8").splitlines():
        description = line.split()[8].rstrip(":")
        if description.startswith(prefix):
            keycache.drop(Path(description[len(keycache.PREFIX):]))


def use_file_keyring(monkeypatch, folder: Path) -> Path:
    """Choose keyrings.alt's file keyring (a real keyring backend that needs no desktop) in ``folder``."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    return folder / "python_keyring" / "keyring_pass.cfg"


@pytest.fixture(params=["plain", pytest.param("encrypted", marks=pytest.mark.slow)])
def storage(request, monkeypatch, tmp_path) -> str:
    """Run the test on a plain journal and on an encrypted one, unlocked as a practitioner's is: the
    key kept in a keyring by `journal init --encrypt` (see :func:`create_journal`), the passphrase
    also in $JOURNAL_PASSPHRASE. The test's `journal` processes inherit both.

    The encrypted runs are marked ``slow`` (each opening derives the key): `make test-fast` runs these
    tests on the plain journal and test_encryption.py's own tests; `make test` runs both storages."""
    if request.param == "encrypted":
        monkeypatch.setenv("JOURNAL_PASSPHRASE", PASSPHRASE)
        use_file_keyring(monkeypatch, tmp_path / "keyring")
    return request.param


def create_journal(path: Path, storage: str) -> None:
    """An empty journal at ``path``, encrypted when ``storage`` says so."""
    from procs import run_journal

    args = ["init", "--encrypt"] if storage == "encrypted" else ["init"]
    result = run_journal(path, *args)
    assert result.returncode == 0, result.stderr


def key_of(path: Path) -> CipherKey | None:
    """The key of the journal at ``path`` from the test passphrase (``None`` for a plain file)."""
    return key_for_file(path, os.environ.get("JOURNAL_PASSPHRASE", PASSPHRASE)) if is_encrypted(path) else None


def raw_connect(path: Path) -> sqlite3.Connection:
    """A connection to a journal file without our code's upgrade, keyed when it is encrypted."""
    return connect(path, key_of(path))


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "journal" / "journal.db"


def runner_for(db_path: Path):
    """Invoke ``journal --db DB_PATH ARGS...`` in this process (no Python start-up to pay); returns
    exit code, stdout and stderr apart."""

    def invoke(*args: str, input: str | None = None, env: dict | None = None) -> Result:
        runner = CliRunner()
        result = runner.invoke(cli, ["--db", str(db_path), *args], input=input, env=env,
                               catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr)

    return invoke


@pytest.fixture
def run(db_path):
    """Invoke ``journal --db <tmp> ARGS...``; returns exit code, stdout and stderr apart."""
    return runner_for(db_path)


@pytest.fixture
def runtime(tmp_path, monkeypatch):
    """$XDG_RUNTIME_DIR, where the editor's private folder is made: empty again after every edit."""
    folder = tmp_path / "run"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    return folder


@pytest.fixture
def journal(db_path):
    j = open_journal(db_path)
    yield j
    j.close()


def file_digest(path: Path) -> str:
    """A digest of the journal's logical content (robust to WAL checkpoints)."""
    j = open_journal(path, key=key_of(path))
    try:
        dump = "\n".join(j.conn.iterdump())
    finally:
        j.close()
    return hashlib.sha256(dump.encode()).hexdigest()
