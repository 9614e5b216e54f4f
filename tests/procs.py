"""Real `journal` processes for the reliability tests: run, start, and a worker that logs many."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

# A worker process: imports the CLI once, waits for "go" on stdin, then runs `journal log`
# COUNT times through Click (each run opens its own connection, as a separate command would)
# and prints one line per failed run: exit code and stderr.
LOG_WORKER = r"""
import sys
from datetime import datetime, timedelta
from click.testing import CliRunner
from journal.cli import cli

db, worker, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
runner = CliRunner()
print("ready", flush=True)
sys.stdin.readline()
for i in range(count):
    minute = worker * count + i
    at = f"{datetime(2025, 1, 1, 8) + timedelta(hours=minute):%Y-%m-%d %H:%M}"
    result = runner.invoke(cli, ["--db", db, "log", "supervision", "50m", "--at", at,
                                 "--title", f"w{worker}-{i}", "--with", "Dr Martin", "--tag", "load"])
    if result.exit_code != 0:
        print(f"FAIL {result.exit_code} {result.stderr.strip()!r} {result.exception!r}", flush=True)
print("done", flush=True)
"""


def journal_args(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "journal", "--db", str(db), *args]


def env() -> dict[str, str]:
    return {**os.environ, "TZ": "Europe/London", "PYTHONDONTWRITEBYTECODE": "1"}


def run_journal(db: Path, *args: str, input: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run `python -m journal --db DB ARGS...` as a real process."""
    return subprocess.run(journal_args(db, *args), input=input, capture_output=True, text=True,
                          env=env(), timeout=timeout)


def start_journal(db: Path, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(journal_args(db, *args), env=env(), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def start_log_workers(db: Path, workers: int, count: int) -> list[subprocess.Popen]:
    """Start ``workers`` processes that each log ``count`` sessions once released with :func:`go`."""
    procs = [
        subprocess.Popen([sys.executable, "-c", LOG_WORKER, str(db), str(w), str(count)], env=env(),
                         text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for w in range(workers)
    ]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    return procs


def go(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()


# Run the CLI in a process whose SQLite connections (the journal's and any other it opens)
# SIGKILL it after LIMIT instructions of SQLite's virtual machine in all (0: never); the count
# reached is printed last on stderr.
KILL_AFTER = r"""
import os, signal, sqlite3, sys
from sqlcipher3 import dbapi2 as cipher
from journal.cli import cli

limit, args = int(sys.argv[1]), sys.argv[2:]
ticks = 0

def tick():
    global ticks
    ticks += 1
    if ticks == limit:
        os.kill(os.getpid(), signal.SIGKILL)
    return 0

def counting(real):
    def connect(*args, **kwargs):
        conn = real(*args, **kwargs)
        conn.set_progress_handler(tick, 1)
        return conn
    return connect

sqlite3.connect = counting(sqlite3.connect)
cipher.connect = counting(cipher.connect)  # an encrypted journal's connections
try:
    cli.main(args, prog_name="journal")
finally:
    print(f"TICKS {ticks}", file=sys.stderr)
"""


def run_killed_after(limit: int, db: Path, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
    """`journal --db DB ARGS...`, SIGKILLed after ``limit`` SQLite instructions (0: never)."""
    return subprocess.run([sys.executable, "-c", KILL_AFTER, str(limit), "--db", str(db), *args],
                          input=input, capture_output=True, text=True, env=env(), timeout=120)


def instructions_for(db: Path, *args: str, input: str | None = None) -> int:
    """How many SQLite instructions the command takes on its journal connection (it runs to the end)."""
    finished = run_killed_after(0, db, *args, input=input)
    assert finished.returncode == 0, finished.stderr
    return int(finished.stderr.strip().splitlines()[-1].split()[1])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, server: subprocess.Popen, deadline: float = 30) -> None:
    """Wait until ``server`` listens on ``port`` (it must not exit meanwhile)."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        assert server.poll() is None, server.stderr.read()
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError("the server did not start")


def rss_kib(pid: int) -> int:
    """Resident memory of a process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _client(port: int, urls: list[str], count: int, offset: int, failures: list, latencies: list) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for i in range(count):
        url = urls[(i + offset) % len(urls)]
        started = time.monotonic()
        try:
            conn.request("GET", url)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                failures.append((url, response.status))
            latencies.append(time.monotonic() - started)
        except (OSError, http.client.HTTPException) as exc:
            failures.append((url, repr(exc)))
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.close()


def load(port: int, urls: list[str], clients: int, each: int) -> tuple[list, list[float], float]:
    """``clients`` threads each GET ``each`` of ``urls`` in turn on one keep-alive connection:
    the failures, the latency of every answered request, and the wall time."""
    failures: list = []
    latencies: list[float] = []
    threads = [threading.Thread(target=_client, args=(port, urls, each, n, failures, latencies))
               for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return failures, latencies, time.monotonic() - started
