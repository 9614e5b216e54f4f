"""How fast `journal import` reads 100,000 sessions from our own CSV and JSON exports.

Writes a realistic export (therapy, supervision with groups, practice with client codes,
CPD; people, tags and private notes; six years of sessions, several at the same minute) in both
formats, then times the real command `journal --db EMPTY import FORMAT FILE` in a subprocess,
start-up included, into a fresh journal each run, and a second import of the same file
(everything already present). Each run imports the same file with this tree's code and with
the code of an earlier commit (``--against``, default the previous commit, extracted with
``git archive``), one after the other and each first in turn, so that both meet the same load
on a shared machine.
Besides the wall-clock time it prints the CPU time (user + system) the import took, which a
busy machine disturbs much less, and where the time of one more import goes, phase by phase.

    .venv/bin/python bench/bench_import.py [--sessions 100000] [--runs 3] [--against main]

Budget (issue 10): this tree's rate is the earlier commit's or better. A shared machine's noise
is a few percent, so the verdict compares median CPU rates and allows 5%. Exit status 1 when missed.
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
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from journal.exporting import EXPORT_COLUMNS, to_csv, to_json  # noqa: E402

TOLERANCE = 0.05  # a shared machine's noise between two medians of CPU time
ZONE = ZoneInfo("Europe/London")
PEOPLE = ("Dr Helen Marsh", "Alice Moreno", "Raj Patel", "Sam Okafor", "Dr Lena Brandt")
TAGS = ("rupture", "endings", "ethics", "trauma", "EMDR", "intake")
# Bytecode caching as on a user's machine (some shells set PYTHONDONTWRITEBYTECODE), like bench/run.py.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def records(count: int, seed: int = 5) -> list[dict]:
    """``count`` sessions in the shape of `journal export`, oldest first, ids 1..count."""
    rng = random.Random(seed)
    start = datetime(2020, 1, 6, 8, 0, tzinfo=ZONE)
    step = timedelta(days=6 * 365) / count
    out = []
    for number in range(1, count + 1):
        at = (start + step * (number - (number % 50 == 0))).replace(second=0, microsecond=0)  # 1 in 50: same minute
        kind = rng.choices(("practice", "supervision", "therapy", "cpd"), (70, 12, 10, 8))[0]
        minutes = {"practice": 50, "supervision": 90, "therapy": 50, "cpd": 180}[kind]
        group = kind == "supervision" and rng.random() < 0.3
        record = dict.fromkeys(EXPORT_COLUMNS)
        record.update({
            "id": number, "kind": kind, "date": at.date().isoformat(), "start": at.isoformat(),
            "end": (at + timedelta(minutes=minutes)).isoformat(), "tz": "Europe/London",
            "minutes": minutes, "with": None if kind in ("practice", "cpd") else rng.choice(PEOPLE),
            "format": None if kind == "cpd" else ("group" if group else "individual"),
            "group_size": rng.randint(3, 6) if group else None,
            "client": f"C{rng.randint(1, 400):03d}" if kind == "practice" else None,
            "paid": rng.random() < 0.8 if kind == "practice" else None,
            "note": "Private note about the session." if rng.random() < 0.3 else None,
            "tags": sorted(rng.sample(TAGS, rng.randint(0, 2)), key=str.lower),
            "shared": True, "created_at": "2026-01-01T00:00:00.000000Z",
            "updated_at": "2026-01-01T00:00:00.000000Z",
        })
        out.append(record)
    return out


def timed_import(fmt: str, path: Path, db: Path, code: Path = ROOT) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one `journal import` in a subprocess, run with
    the ``journal`` package found in ``code``."""
    command = [sys.executable, "-m", "journal", "--db", str(db), "import", fmt, str(path)]
    env = {**ENV, "PYTHONPATH": str(code)}
    cpu_before = _children_cpu()
    began = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=code)
    elapsed = time.perf_counter() - began
    if result.returncode != 0:
        raise SystemExit(f"import failed: {result.stderr.strip()}")
    return elapsed, _children_cpu() - cpu_before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def floor(count: int) -> float:
    """A yardstick for how busy the machine is: the barest SQLite insert of ``count`` rows."""
    import sqlite3

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t(a, b, c)")
    rows = [(i, "x" * 20, i * 2) for i in range(count)]
    began = time.perf_counter()
    conn.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    return time.perf_counter() - began


# The statements of an import, by the work they do; each is charged the time until the next one
# starts, so the Python that prepares a statement counts with the one before it.
PHASES = (
    ("indexes", ("CREATE INDEX",)),
    ("search", ("INSERT INTO entries_fts",)),
    ("totals", ("DELETE FROM daily_totals", "INSERT INTO daily_totals", "DELETE FROM rule_totals",
                "INSERT INTO rule_totals")),
    ("inserting", ("INSERT INTO entries ", "INSERT INTO entry_tags", "INSERT INTO tags", "INSERT INTO people")),
    ("commit", ("COMMIT",)),
)


def phases(fmt: str, path: Path, db: Path) -> dict[str, float]:
    """Seconds per phase of one import run in this process (start-up excluded), from SQLite's
    statement trace: reading and checking the file is all that comes before the first insert."""
    from journal.db import open_journal
    from journal.importers import import_file
    from journal.importers.core import ParseContext

    journal = open_journal(db)
    marks: list[tuple[float, str]] = []
    # Statements that SQLite runs inside another (search's own tables) start with "--": not a new phase.
    journal.conn.set_trace_callback(lambda sql: sql.startswith("--") or marks.append((time.perf_counter(), sql)))
    began = time.perf_counter()
    import_file(journal, fmt, path.read_bytes(), ParseContext(zone=ZONE), file=path.name)
    marks.append((time.perf_counter(), ""))
    journal.close()
    spent = dict.fromkeys(["reading and checking", *(name for name, _ in PHASES), "other"], 0.0)
    phase, since = "reading and checking", began
    for at, sql in marks:
        spent[phase] += at - since
        phase = next((name for name, starts in PHASES if sql.lstrip().startswith(starts)),
                     "reading and checking" if phase == "reading and checking" else "other")
        since = at
    return spent


def earlier_code(revision: str, folder: Path) -> Path:
    """The tree of ``revision`` (its ``journal`` package) extracted into ``folder``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "journal"], capture_output=True,
                             check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--against", default="HEAD~1", metavar="REV",
                        help="the commit to compare with (default: the previous commit)")
    args = parser.parse_args()
    data = records(args.sessions)
    ok = True
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        (folder / "earlier").mkdir()
        codes = {"this tree": ROOT, args.against: earlier_code(args.against, folder / "earlier")}
        files = {"json": folder / "export.json", "csv": folder / "export.csv"}
        files["json"].write_text(to_json(data))
        files["csv"].write_text(to_csv(data, EXPORT_COLUMNS))
        print(f"{args.sessions:,} sessions; median of {args.runs} runs each, start-up included, "
              f"this tree and {args.against} in turn")
        print(f"  machine floor: {floor(args.sessions):.2f} s to insert as many 3-column rows into an "
              "in-memory SQLite table (a yardstick: a higher floor means a busier machine)")
        for fmt, path in files.items():
            runs: dict[str, list[tuple[float, float]]] = {name: [] for name in codes}
            for run in range(args.runs):
                turn = list(codes.items())
                for name, code in turn if run % 2 == 0 else turn[::-1]:  # neither always goes first
                    runs[name].append(timed_import(fmt, path, folder / f"{fmt}-{run}-{len(runs[name])}-"
                                                   f"{name.replace(' ', '-').replace('/', '-')}.db", code))
            rates = {}
            for name, code in codes.items():
                median = statistics.median(wall for wall, _ in runs[name])
                cpu = statistics.median(cpu for _, cpu in runs[name])
                rates[name] = args.sessions / cpu
                again, _ = timed_import(fmt, path, folder / f"{fmt}-{args.runs - 1}-{args.runs - 1}-"
                                        f"{name.replace(' ', '-').replace('/', '-')}.db", code)
                print(f"  import {fmt:<4} {path.stat().st_size / 1e6:5.1f} MB  {name:<10} {median:6.2f} s  "
                      f"{args.sessions / median:>9,.0f} records/s;  CPU {cpu:.2f} s "
                      f"({args.sessions / cpu:,.0f} records/s);  again (all present) {again:.2f} s")
            ratio = rates["this tree"] / rates[args.against]
            kept = ratio >= 1 - TOLERANCE
            ok &= kept
            print(f"    this tree runs at {ratio:.2f} x the rate of {args.against} (CPU): "
                  f"{'ok' if kept else 'SLOWER'}")
            spent = phases(fmt, path, folder / f"{fmt}-phases.db")
            print(f"    in-process {sum(spent.values()):.2f} s: " + ", ".join(
                f"{name} {seconds:.2f} s" for name, seconds in spent.items()))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
