"""Shell completion in a real bash on a pseudo-terminal: a name with a space is inserted as one word."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ptys import Terminal

from journal.db import open_journal

BASH = shutil.which("bash")
pytestmark = pytest.mark.skipif(BASH is None, reason="bash is not installed")


@pytest.fixture
def terminal(tmp_path):
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(tmp_path), "TERM": "dumb",
           "PS1": "READY$ ", "JOURNAL_DB": str(tmp_path / "journal.db"), "TZ": "Europe/London",
           "INPUTRC": "/dev/null"}
    term = Terminal([BASH, "--norc", "--noprofile", "-i"], env)
    term.wait_for("READY$ ")
    term.type('eval "$(_JOURNAL_COMPLETE=bash_source journal)"; echo SOURCED\n')
    term.wait_for("SOURCED\r\nREADY$ ")
    yield term
    term.close()


def people_logged(path: Path) -> list[str]:
    journal = open_journal(path)
    try:
        return [row[0] for row in journal.execute(
            "SELECT p.name FROM entries e JOIN people p ON p.id = e.person_id ORDER BY e.id")]
    finally:
        journal.close()


@pytest.mark.parametrize("typed", ["Ali", '"Ali', "'Ali", "Alice\\ M"])
def test_tab_completes_a_name_with_a_space_as_one_word(terminal, tmp_path, typed):
    db = tmp_path / "journal.db"
    subprocess.run([sys.executable, "-m", "journal", "--db", str(db), "log", "supervision", "1h", "--at",
                    "yesterday 10:00", "--with", "Alice Moreno"], check=True, capture_output=True)
    terminal.type(f"journal log supervision 1h --with {typed}\t")
    terminal.wait_for("Moreno")  # bash asked journal for the completions and inserted one
    terminal.type(" --at 'yesterday 15:00'; echo \"EX\"\"IT=$?\"\n")
    screen = terminal.wait_for("EXIT=")
    screen = terminal.wait_for("READY$ ", after="EXIT=")
    assert "unexpected extra argument" not in screen
    assert "EXIT=0" in screen, screen
    assert people_logged(db) == ["Alice Moreno", "Alice Moreno"]


def completions(db: Path, words: str) -> list[str]:
    """What `journal` offers bash for the last of ``words`` (Click's completion protocol)."""
    env = {**os.environ, "_JOURNAL_COMPLETE": "bash_complete", "COMP_WORDS": f"journal --db {db} {words}",
           "COMP_CWORD": str(len(words.split(" ")) + 2)}
    result = subprocess.run([sys.executable, "-m", "journal"], env=env, capture_output=True, text=True, timeout=60)
    return [line.split(",", 1)[1] for line in result.stdout.splitlines()]


def test_client_codes_and_last_complete(tmp_path):
    db = tmp_path / "journal.db"
    for code in ("C014", "C015", "X001"):
        subprocess.run([sys.executable, "-m", "journal", "--db", str(db), "log", "practice", "50m", "--client", code,
                        "--at", "yesterday 10:00"], check=True, capture_output=True)
    assert completions(db, "list --client C") == ["C014", "C015"]
    assert completions(db, "show l") == ["last"]
    assert completions(db, "rm 1 l") == ["last"]
