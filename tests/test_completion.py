"""Shell completion in a real bash on a pseudo-terminal: a name with a space is inserted as one word."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from journal.db import open_journal

BASH = shutil.which("bash")
pytestmark = pytest.mark.skipif(BASH is None, reason="bash is not installed")


class Terminal:
    """An interactive bash on a pty, fed keystrokes, its screen read back."""

    def __init__(self, env: dict):
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen([BASH, "--norc", "--noprofile", "-i"], stdin=slave, stdout=slave,
                                     stderr=slave, env=env, start_new_session=True, close_fds=True)
        os.close(slave)
        self.screen = b""

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def wait_for(self, text: str, timeout: float = 20, after: str = "") -> str:
        """Read until ``text`` shows (after the last ``after``, if given); the screen so far."""
        deadline = time.monotonic() + timeout
        while text.encode() not in self.screen[max(self.screen.rfind(after.encode()), 0) if after else 0:]:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{text!r} never appeared; the terminal showed:\n{self.screen.decode(errors='replace')}")
            ready, _, _ = select.select([self.master], [], [], remaining)
            if ready:
                try:
                    self.screen += os.read(self.master, 4096)
                except OSError:
                    break
        return self.screen.decode(errors="replace")

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()
        os.close(self.master)


@pytest.fixture
def terminal(tmp_path):
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(tmp_path), "TERM": "dumb",
           "PS1": "READY$ ", "JOURNAL_DB": str(tmp_path / "journal.db"), "TZ": "Europe/London",
           "INPUTRC": "/dev/null"}
    term = Terminal(env)
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
