"""Verifying ten years of monthly countersignatures: `journal verify` on one bundle, no journal.

    .venv/bin/python bench/bench_signoffs.py [--years 10] [--sessions 30] [--runs 5]

Builds a journal with ``--sessions`` shared sessions in every month of ``--years`` years, has a
supervisor countersign every month (real Ed25519, the key unsealed once), exports the bundle, then
times (a) the verification itself in-process (every signature checked and every month's digest
recomputed) and (b) a real `journal verify FILE` process, start-up included, median of ``--runs``.

Budget: the whole `journal verify` run under 1 second. Exit status 1 when it is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from journal.db import open_journal  # noqa: E402
from journal.rules.data import CREDIT_SQL  # noqa: E402
from journal.settings import set_setting  # noqa: E402
from journal.signoffs.bundle import build, load, verify_bundle  # noqa: E402
from journal.signoffs.canonical import canonical, digest, identity, parse_period, period_sessions, totals  # noqa: E402
from journal.signoffs.keys import unseal  # noqa: E402
from journal.signoffs.signing import countersignature, now_text, sign  # noqa: E402
from journal.signoffs.store import record, snapshot  # noqa: E402
from journal.supervisor.logins import add_supervisor  # noqa: E402

BUDGET_SECONDS = 1.0
KINDS = ("supervision", "practice", "practice", "practice", "therapy", "cpd")


def fill(journal, years: int, per_month: int) -> list[str]:
    """``per_month`` shared sessions in each month of ``years`` years ending last year; the months."""
    start = date(date.today().year - years, 1, 1)
    rows, months, day = [], [], start
    now = now_text()
    while day.year < date.today().year:
        months.append(f"{day:%Y-%m}")
        for i in range(per_month):
            at = datetime(day.year, day.month, 1 + i % 28, 9 + i % 8, tzinfo=timezone.utc)
            rows.append((KINDS[i % len(KINDS)], at.strftime("%Y-%m-%dT%H:%M:%SZ"), "Europe/London",
                         at.date().isoformat(), 50, "in-person", "individual", 1, now, now))
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    with journal.transaction():
        journal.conn.executemany(
            "INSERT INTO entries(kind, start_utc, tz, date, minutes, mode, format, shared, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        set_setting(journal, "practitioner", "Bench Practitioner")
    return months


def sign_every_month(journal, months: list[str], password: str) -> None:
    fingerprint, sealed = journal.execute("SELECT fingerprint, private_key FROM supervisors").fetchone()
    private = unseal("alice", sealed, password)
    journal_id, _ = identity(journal.conn)
    with journal.transaction():
        for month in months:
            period = parse_period(month)
            sessions = period_sessions(journal.conn, period, client_codes=False)
            statement = countersignature(
                practitioner="Bench Practitioner", journal_id=journal_id, period=period,
                digest=digest(canonical(sessions)), sessions=len(sessions), client_codes=False,
                totals=totals(sessions, CREDIT_SQL["none"], journal.conn), supervisor="alice",
                fingerprint=fingerprint, comment=None)
            snapshot(journal, sessions)
            record(journal, sign(private, statement), now_text())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--sessions", type=int, default=30, help="shared sessions per month")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-signoffs-") as folder:
        journal = open_journal(Path(folder) / "journal.db")
        password = "a long bench password"
        add_supervisor(journal, "alice", password)
        months = fill(journal, args.years, args.sessions)
        sign_every_month(journal, months, password)
        bundle = Path(folder) / "bundle.json"
        bundle.write_bytes(build(journal))
        journal.close()
        in_process = []
        for _ in range(args.runs):
            started = time.perf_counter()
            checked = verify_bundle(load(bundle))
            in_process.append(time.perf_counter() - started)
        assert len(checked) == len(months) and {c.status for c in checked} == {"valid"}
        command = [sys.executable, "-m", "journal", "verify", str(bundle)]
        env = {**os.environ, "JOURNAL_HOME": str(Path(folder) / "nowhere")}
        processes = []
        for _ in range(args.runs):
            started = time.perf_counter()
            result = subprocess.run(command, capture_output=True, text=True, env=env)
            processes.append(time.perf_counter() - started)
            assert result.returncode == 0, result.stderr
        size = bundle.stat().st_size
    whole = statistics.median(processes)
    print(f"{len(months)} monthly countersignatures, {len(months) * args.sessions} sessions, "
          f"bundle {size / 1e6:.1f} MB")
    print(f"  verify in-process (median of {args.runs}): {statistics.median(in_process) * 1000:.0f} ms")
    print(f"  `journal verify` process (median of {args.runs}): {whole * 1000:.0f} ms "
          f"(budget {BUDGET_SECONDS * 1000:.0f} ms)")
    return 0 if whole < BUDGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
