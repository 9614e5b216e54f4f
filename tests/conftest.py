"""Shared fixtures: a temporary journal on a real SQLite file, and a CLI runner bound to it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from journal.cli import cli
from journal.db import open_journal


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
    j = open_journal(path)
    try:
        dump = "\n".join(j.conn.iterdump())
    finally:
        j.close()
    return hashlib.sha256(dump.encode()).hexdigest()
