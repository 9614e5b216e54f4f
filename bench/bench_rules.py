"""How long `journal check` takes for every shipped profile over a 100,000-session journal.

Builds the journal once with a bulk insert (realistic mix: practice with client codes, paid and
pro bono, group supervision, therapy, CPD, EMDR tags; eight years of sessions), then prints the
median wall time of `journal check` for all fifteen profiles at once and for each one alone,
beside the floor `python -c "import click, sqlite3, dateutil.parser"` measured in the same run.

    .venv/bin/python bench/bench_rules.py [--sessions 100000] [--runs 7] [--keep PATH]

Budget (issue 4): within 2 times the floor.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from journal.db import open_journal  # noqa: E402
from journal.rules.profiles import SHIPPED  # noqa: E402

FIRST_DAY = date(2018, 1, 1)
DAYS = 8 * 365
BUDGET = 2.0
AS_OF = (FIRST_DAY + timedelta(days=DAYS)).isoformat()


def build(path: Path, sessions: int, seed: int = 4) -> None:
    """A journal of ``sessions`` sessions written in one transaction with executemany."""
    rng = random.Random(seed)
    journal = open_journal(path)
    stamp = "2026-01-01T00:00:00.000000Z"
    rows, tagged = [], []
    for number in range(1, sessions + 1):
        day = FIRST_DAY + timedelta(days=number * DAYS // sessions)
        kind = rng.choices(("practice", "supervision", "therapy", "cpd"), (70, 12, 10, 8))[0]
        minutes = rng.choice((50, 60, 90, 120)) if kind == "cpd" else rng.choice((45, 50, 60, 90))
        group = kind in ("supervision", "practice") and rng.random() < (0.3 if kind == "supervision" else 0.05)
        rows.append((
            number, kind, f"{day}T{rng.randrange(8, 19):02d}:00:00Z", "Europe/London", day.isoformat(), minutes,
            "group" if group else (None if kind == "cpd" else "individual"),
            rng.choice((3, 4, 6, 8)) if group else None,
            f"C{rng.randrange(400):03d}" if kind == "practice" else None,
            int(rng.random() < 0.8) if kind == "practice" else None,
            stamp, stamp,
        ))
        if kind == "practice" and rng.random() < 0.05:
            tagged.append(number)
    with journal.transaction():
        journal.conn.executemany(
            "INSERT INTO entries (id, kind, start_utc, tz, date, minutes, format, group_size, client_code, paid, "
            "shared, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)", rows)
        journal.execute("INSERT INTO tags (id, name, key) VALUES (1, 'EMDR', 'emdr')")
        journal.conn.executemany("INSERT INTO entry_tags (entry_id, tag_id) VALUES (?, 1)", [(n,) for n in tagged])
        journal.execute("INSERT INTO settings (key, value) VALUES ('training_start', '2018-01-01'), "
                        "('qualified_on', '2020-07-01'), ('timezone', 'Europe/London')")
    journal.execute("ANALYZE")
    journal.close()


def median_seconds(command: list[str], runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of ``command``."""
    subprocess.run(command, capture_output=True)  # warm the page cache
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, capture_output=True)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def line(label: str, figures: tuple[float, float], floor: tuple[float, float]) -> str:
    (wall, cpu), (floor_wall, floor_cpu) = figures, floor
    return (f"{label:<34} {wall * 1000:7.1f} ms wall {wall / floor_wall:5.2f} x   "
            f"{cpu * 1000:7.1f} ms cpu {cpu / floor_cpu:5.2f} x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="build the journal here and keep it")
    args = parser.parse_args()
    python = sys.executable
    script = Path(python).with_name("journal")
    journal_cmd = [str(script)] if script.exists() else [python, "-m", "journal"]
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "journal.db"
        if not path.exists():
            started = time.perf_counter()
            build(path, args.sessions)
            print(f"built {args.sessions:,} sessions in {time.perf_counter() - started:.1f} s: {path}")
        floor = median_seconds([python, "-c", "import click, sqlite3, dateutil.parser"], args.runs)
        every = [arg for profile in SHIPPED for arg in ("--profile", profile)]
        check = [*journal_cmd, "--db", str(path), "check", *every, "--as-of", AS_OF, "--json"]
        result = subprocess.run(check, capture_output=True, text=True)
        if result.returncode not in (0, 3):
            sys.exit(f"journal check failed: {result.stderr.strip()}")
        print("median of", args.runs, "runs; ratios are to the floor; budget: 2 x the floor")
        print(line("floor: import click, sqlite3, dateutil", floor, floor))
        whole = median_seconds(check, args.runs)
        print(line(f"journal check, all {len(SHIPPED)} profiles", whole, floor))
        for profile in SHIPPED:
            one = [*journal_cmd, "--db", str(path), "check", "--profile", profile, "--as-of", AS_OF]
            print(line(f"  {profile}", median_seconds(one, args.runs), floor))
    within = whole[0] <= BUDGET * floor[0]
    print(f"all profiles: {whole[0] / floor[0]:.2f} x the floor, {'within' if within else 'OVER'} the {BUDGET:g} x budget")
    sys.exit(0 if within else 1)


if __name__ == "__main__":
    main()
