"""How long `journal check` takes for every shipped profile over a 100,000-session journal.

Builds the journal once with a bulk insert (realistic mix: practice with client codes, paid and
pro bono, group and peer supervision in groups of 2 to 16, therapy, CPD, EMDR, assessment, mentor
and CPD tags; eight years of sessions), then prints the median wall and CPU time of `journal
check` for every shipped profile at once and for each one
alone, beside the floor `python -c "import click, sqlite3, dateutil.parser"`, in rounds that run
every command once, with bytecode cached as on a user's machine (like bench/run.py).

    .venv/bin/python bench/bench_rules.py [--sessions 100000] [--runs 7] [--keep PATH]

Budget (issue 4): within 2 times the floor.
"""

from __future__ import annotations

import argparse
import os
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
        peer = group and kind == "supervision" and rng.random() < 0.2
        rows.append((
            number, kind, f"{day}T{rng.randrange(8, 19):02d}:00:00Z", "Europe/London", day.isoformat(), minutes,
            ("peer" if peer else "group") if group else (None if kind == "cpd" else "individual"),
            rng.choice((2, 3, 4, 6, 8, 16)) if group else None,
            f"C{rng.randrange(400):03d}" if kind == "practice" else None,
            int(rng.random() < 0.8) if kind == "practice" else None,
            stamp, stamp,
        ))
        if kind in ("practice", "supervision") and rng.random() < 0.15:
            # EMDR and assessment sessions; mentor coaching and supervision counted as CPD.
            tagged.append((number, rng.choice((1, 2)) if kind == "practice" else rng.choice((1, 3, 4))))
    with journal.transaction():
        journal.conn.executemany(
            "INSERT INTO entries (id, kind, start_utc, tz, date, minutes, format, group_size, client_code, paid, "
            "shared, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)", rows)
        journal.execute("INSERT INTO tags (id, name, key) VALUES (1, 'EMDR', 'emdr'), (2, 'assessment', 'assessment'), "
                        "(3, 'mentor', 'mentor'), (4, 'cpd', 'cpd')")
        journal.conn.executemany("INSERT INTO entry_tags (entry_id, tag_id) VALUES (?, ?)", tagged)
        journal.execute("INSERT INTO settings (key, value) VALUES ('training_start', '2018-01-01'), "
                        "('qualified_on', '2020-07-01'), ('timezone', 'Europe/London')")
    journal.execute("ANALYZE")
    journal.close()


def seconds(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


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
    # Bytecode caching as on a user's machine (some shells set PYTHONDONTWRITEBYTECODE).
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "journal.db"
        if not path.exists():
            started = time.perf_counter()
            build(path, args.sessions)
            print(f"built {args.sessions:,} sessions in {time.perf_counter() - started:.1f} s: {path}")
        every = [arg for profile in SHIPPED for arg in ("--profile", profile)]
        check = [*journal_cmd, "--db", str(path), "check", *every, "--as-of", AS_OF, "--json"]
        commands = {
            "floor": [python, "-c", "import click, sqlite3, dateutil.parser"],
            f"journal check, all {len(SHIPPED)} profiles": check,
            **{f"  {profile}": [*journal_cmd, "--db", str(path), "check", "--profile", profile, "--as-of", AS_OF]
               for profile in SHIPPED},
        }
        result = subprocess.run(check, capture_output=True, text=True, env=env)  # also warms the caches
        if result.returncode not in (0, 3):
            sys.exit(f"journal check failed: {result.stderr.strip()}")
        for command in commands.values():
            subprocess.run(command, capture_output=True, env=env)
        # Rounds of every command, so that a busy moment on the machine touches all figures alike.
        timings: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                timings[name].append(seconds(command, env))
    medians = {name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
               for name, runs in timings.items()}
    floor = medians.pop("floor")
    print(f"median of {args.runs} runs; ratios are to the floor; budget: {BUDGET:g} x the floor")
    print(line("floor: import click, sqlite3, dateutil", floor, floor))
    for name, figures in medians.items():
        print(line(name, figures, floor))
    wall, cpu = medians[f"journal check, all {len(SHIPPED)} profiles"]
    within = wall <= BUDGET * floor[0]
    print(f"all profiles: {wall / floor[0]:.2f} x the floor in wall time ({cpu / floor[1]:.2f} x in CPU time), "
          f"{'within' if within else 'OVER'} the {BUDGET:g} x budget")
    sys.exit(0 if within else 1)


if __name__ == "__main__":
    main()
