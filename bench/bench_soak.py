"""Soak: the reliability guarantees of tests/test_concurrency.py, test_reliability.py and
test_server_safety.py at larger sizes, with the figures they print.

- writers: 8 real `journal log` processes x 200 sessions each (1,600 separate commands, each
  its own process) while another process lists, publishes and backs up in a loop;
- crashes: an import of 20,000 records SIGKILLed at 20 points of its SQLite work and at 20
  moments of its run (which may fall inside a write), each compared with the journal before it;
- server: 20,000 requests from 8 client threads against `journal serve` on loopback, its
  memory sampled every 2,000 requests.

    python bench/bench_soak.py            # all three (a few minutes)
    python bench/bench_soak.py --quick    # smaller sizes, for a quick look

Exit status 1 when a guarantee does not hold.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "tests")]

from procs import (free_port, instructions_for, load, rss_kib, run_journal,  # noqa: E402
                   run_killed_after, start_journal, wait_for_port)
from test_reliability import large_export  # noqa: E402
from test_server_safety import LOAD_URLS, hostile_journal  # noqa: E402

problems: list[str] = []


def expect(ok: bool, what: str) -> None:
    print(f"  {'ok  ' if ok else 'FAIL'} {what}")
    if not ok:
        problems.append(what)


def digest(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()


def writers(folder: Path, workers: int, each: int) -> None:
    print(f"writers: {workers} x {each} `journal log` processes, a reader listing, publishing and backing up")
    db = folder / "writers" / "journal.db"

    def log_many(worker: int) -> list[subprocess.CompletedProcess]:
        results = []
        for i in range(each):
            at = f"2025-01-{1 + (worker * each + i) // 96 % 28:02d} {(worker * each + i) % 24:02d}:00"
            results.append(run_journal(db, "log", "practice", "50m", "--at", at, "--title", f"w{worker}-{i}",
                                       "--with", "Dr Martin", "--tag", "soak"))
        return results

    started = time.monotonic()
    with ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(log_many, w) for w in range(workers)]
        reads = []
        while not all(f.done() for f in futures):
            for args in (["list", "-n", "5"], ["publish"], ["db", "backup", str(folder / f"b{len(reads)}.db")]):
                reads.append(run_journal(db, *args))
        logs = [r for f in futures for r in f.result()]
    seconds = time.monotonic() - started
    failed = [r for r in logs + reads if r.returncode != 0]
    locked = [r for r in failed if "locked" in r.stderr]
    titles = {r["title"] for r in json.loads(run_journal(db, "list", "-n", "0", "--json").stdout)}
    print(f"  {len(logs)} logs and {len(reads)} reader commands in {seconds:.1f} s "
          f"({len(logs) / seconds:.0f} logs/s); {len(failed)} failed, {len(locked)} locked")
    expect(len(titles) == workers * each, f"all {workers * each} sessions present ({len(titles)})")
    expect(not failed, "no command failed")
    expect(run_journal(db, "db", "check").returncode == 0, "journal db check passes")
    backups = sorted(folder.glob("b*.db"))
    sound = [b for b in backups if run_journal(b, "db", "check").returncode == 0]
    expect(len(sound) == len(backups), f"every backup taken during the writes is sound ({len(backups)})")


def crashes(folder: Path, records: int, points: int) -> None:
    print(f"crashes: import of {records:,} records SIGKILLed at {points} points")
    seed = folder / "crash" / "seed.db"
    assert run_journal(seed, "log", "therapy", "50m", "--at", "2025-03-03 15:00").returncode == 0
    big = large_export(folder / "big.json", records)
    trial = folder / "crash" / "trial.db"
    shutil.copyfile(seed, trial)
    started = time.monotonic()
    total = instructions_for(trial, "import", "json", str(big))
    print(f"  a complete import: {total:,} SQLite instructions, {time.monotonic() - started:.1f} s with counting")
    before = digest(seed)
    intact = 0
    for step in range(1, points + 1):
        path = folder / "crash" / f"kill-{step}.db"
        shutil.copyfile(seed, path)
        killed = run_killed_after(total * step // (points + 1), path, "import", "json", str(big))
        if killed.returncode == -signal.SIGKILL and digest(path) == before \
                and run_journal(path, "db", "check").returncode == 0:
            intact += 1
        path.unlink()
    expect(intact == points, f"journal exactly as before after every kill ({intact}/{points})")

    # The same with a plain SIGKILL after a delay, which may land inside a write or an fsync.
    timed = folder / "crash" / "timed.db"
    shutil.copyfile(seed, timed)
    started = time.monotonic()
    assert run_journal(timed, "import", "json", str(big)).returncode == 0
    seconds = time.monotonic() - started
    complete = run_journal(timed, "list", "-n", "0", "--json").stdout
    expect(len(json.loads(complete)) == 1 + records, f"a complete import adds all {records:,} records")
    outcomes = {"before": 0, "complete": 0}
    for step in range(1, points + 1):
        path = folder / "crash" / f"timed-{step}.db"
        shutil.copyfile(seed, path)
        proc = start_journal(path, "import", "json", str(big))
        time.sleep(seconds * step / (points + 1))
        proc.kill()
        proc.wait()
        if digest(path) == before:
            outcomes["before"] += 1
        elif run_journal(path, "list", "-n", "0", "--json").stdout == complete \
                and run_journal(path, "db", "check").returncode == 0:
            outcomes["complete"] += 1
        path.unlink()
    print(f"  SIGKILL after 0 to {seconds:.1f} s: {outcomes['before']} as before, {outcomes['complete']} complete")
    expect(sum(outcomes.values()) == points, "each timed kill left the journal as before or complete")


def server(folder: Path, clients: int, each: int, samples: int) -> None:
    print(f"server: {clients * each:,} requests from {clients} clients on loopback")
    db = folder / "server" / "journal.db"
    hostile_journal(db)
    port = free_port()
    proc = start_journal(db, "serve", "--no-login", "--port", str(port))
    try:
        wait_for_port(port, proc)
        load(port, LOAD_URLS, clients, 50)
        rss = [rss_kib(proc.pid)]
        failures, latencies, seconds = [], [], 0.0
        for _ in range(samples):
            f, lat, s = load(port, LOAD_URLS, clients, each // samples)
            failures += f
            latencies += lat
            seconds += s
            rss.append(rss_kib(proc.pid))
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    latencies.sort()
    print(f"  {len(latencies):,} answered in {seconds:.1f} s ({len(latencies) / seconds:.0f} req/s); "
          f"latency p50 {statistics.median(latencies) * 1000:.0f} ms, "
          f"p99 {latencies[int(len(latencies) * 0.99)] * 1000:.0f} ms")
    print(f"  RSS (MiB) every {clients * each // samples:,} requests: "
          + " ".join(f"{r / 1024:.1f}" for r in rss))
    expect(not failures and len(latencies) == clients * each, f"every request answered 200 ({len(failures)} not)")
    expect(rss[-1] - rss[0] < 16 * 1024, f"memory flat (grew {(rss[-1] - rss[0]) / 1024:.1f} MiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="Smaller sizes.")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="journal-soak-") as name:
        folder = Path(name)
        if options.quick:
            writers(folder, 4, 25)
            crashes(folder, 2_000, 5)
            server(folder, 4, 500, 4)
        else:
            writers(folder, 8, 200)
            crashes(folder, 20_000, 20)
            server(folder, 8, 2_500, 10)
    if problems:
        print(f"{len(problems)} guarantee(s) failed")
        sys.exit(1)
    print("all guarantees held")


if __name__ == "__main__":
    main()
