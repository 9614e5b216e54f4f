"""Programs on a pseudo-terminal, for what only a terminal shows: completion, prompts, passwords."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import time


class Terminal:
    """A program on a pty, fed keystrokes, its screen read back."""

    def __init__(self, command: list[str], env: dict | None = None):
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env,
                                     start_new_session=True, close_fds=True)
        os.close(slave)
        self.screen = b""

    def type(self, keys: str) -> None:
        time.sleep(0.2)  # a password prompt flushes what was typed before it was ready (TCSAFLUSH)
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

    def exit_code(self, timeout: float = 30) -> int:
        """Wait for the program to end (reading what it still prints) and return its exit code."""
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    self.screen += os.read(self.master, 4096)
                except OSError:
                    break
        return self.proc.wait(timeout=max(deadline - time.monotonic(), 1))
