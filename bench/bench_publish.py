"""Publish time at 100,000 entries, and page latency of every page of the running supervisor site.

    .venv/bin/python bench/bench_publish.py [--entries 100000] [--requests 60]

Budgets: publish under 5 s at 100,000 entries; each supervisor page's median under 50 ms (the
journal checks BACP's and UKCP's profiles, so the requirement pages have rules to show).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from journal.db import open_journal
from journal.supervisor.publish import publish
from journal.settings import set_setting
from journal.supervisor.logins import add_supervisor

PUBLISH_BUDGET_S = 5.0
PAGE_BUDGET_MS = 50.0
WORDS = ("rupture repair transference boundary shame endings attunement silence curiosity holding "
         "supervision client session feeling anger grief play trust contract review").split()


def fill(journal, entries: int, seed: int = 7) -> None:
    """``entries`` sessions and reflections over ten years, inserted in one transaction."""
    rng = random.Random(seed)
    start = date(2016, 1, 1)
    people = ["Dr Martin", "Alice", "Bob", "Trainer Tess"]
    rows = []
    for i in range(1, entries + 1):
        day = start + timedelta(days=rng.randrange(3650))
        stamp = f"{day.isoformat()}T{9 + i % 9:02d}:00:00.000000Z"
        if i % 10 == 0:
            body = "# Description\n" + " ".join(rng.choice(WORDS) for _ in range(60)) + "\n\n## Feelings\nfine"
            rows.append(("reflection", stamp, day.isoformat(), None, None, None, f"Reflection {i}", body,
                         None, i % 20 == 0))
        else:
            kind = rng.choice(("therapy", "supervision", "practice", "practice", "practice", "cpd"))
            rows.append((kind, stamp, day.isoformat(), rng.choice((50, 60, 90)), rng.randrange(1, 5),
                         rng.choice(("in-person", "video", "phone")), None, None, f"note {i}", i % 7 != 0))
    with journal.transaction():
        journal.conn.executemany("INSERT INTO people(name, key) VALUES (?, ?)", [(p, p.lower()) for p in people])
        journal.conn.executemany(
            "INSERT INTO entries(kind, start_utc, tz, date, minutes, person_id, mode, title, body, note, shared, "
            "created_at, updated_at) VALUES (?, ?, 'Europe/London', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(*row, row[1], row[1]) for row in rows],
        )
        set_setting(journal, "practitioner", "Bench Practitioner")
        set_setting(journal, "profiles", "bacp-practice,ukcp-trainee-therapy,emdr-europe")


# Every page a supervisor reaches, the longest page of each list, and the JSON scripts read.
PAGES = (
    ("report", "/"), ("supervision log", "/supervision"), ("supervision, a range", "/supervision?since=2020-01"
                                                                                  "&until=2020-12"),
    ("supervision, last", "/supervision?page=9999"), ("client work", "/client-work"),
    ("client work, a year", "/client-work?year=2019"), ("personal therapy", "/therapy"),
    ("therapy, last page", "/therapy?page=9999"), ("CPD", "/cpd"), ("reflections", "/reflections"),
    ("reflections, last", "/reflections?page=9999"), ("one reflection", "/reflections/1"),
    ("search", "/reflections?q=rupture+shame"), ("requirements", "/requirements"), ("charts", "/charts"),
    ("a chart", "/charts/supervision.svg"), ("hours between dates", "/hours?since=2018-01-01&until=2024-06-30"),
    ("bad date", "/hours?since=31/13/2020"), ("sessions as JSON", "/report/sessions.json"),
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if process.poll() is not None:
                sys.exit(f"journal serve failed: {process.communicate()[1]}")
            time.sleep(0.1)
    sys.exit("journal serve did not start within 60 s")


def sign_in(port: int, name: str, password: str) -> str:
    """The Cookie header of a signed-in supervisor (one login, as a browser would)."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/-/login")
    response = conn.getresponse()
    html = response.read().decode()
    csrf_cookie = re.search(r"ds_csrftoken=([^;]+)", response.getheader("set-cookie")).group(1)
    token = re.search(r'name="csrftoken" value="([^"]+)"', html).group(1)
    body = f"username={name}&password={password}&csrftoken={token}"
    conn.request("POST", "/-/login", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"ds_csrftoken={csrf_cookie}"})
    response = conn.getresponse()
    response.read()
    actor = re.search(r"journal_session=([^;]+)", response.getheader("set-cookie") or "")
    if response.status != 302 or not actor:
        sys.exit("could not sign in to the bench server")
    return f"journal_session={actor.group(1)}"


def latency(port: int, path: str, cookie: str, requests: int) -> tuple[float, float]:
    """Median and 95th percentile in milliseconds over ``requests`` GETs on one keep-alive connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    timings = []
    for i in range(requests + 3):
        began = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        response.read()
        if response.status not in (200, 400):
            sys.exit(f"{path} answered {response.status}")
        if i >= 3:  # the first requests warm Datasette's caches
            timings.append((time.perf_counter() - began) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(0.95 * (len(timings) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-publish-") as folder:
        db = Path(folder) / "journal.db"
        journal = open_journal(db)
        fill(journal, args.entries)
        add_supervisor(journal, "bench", "bench-password")
        runs = []
        for _ in range(3):
            began = time.perf_counter()
            result = publish(journal)
            runs.append(time.perf_counter() - began)
        journal.close()
        seconds = statistics.median(runs)
        ok &= seconds < PUBLISH_BUDGET_S
        print(f"publish {args.entries:,} entries: {seconds:.2f} s (median of 3; budget {PUBLISH_BUDGET_S:g} s; "
              f"{sum(result.sessions.values()):,} sessions, {result.reflections:,} reflections published)")

        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "journal", "--db", str(db), "serve", "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=dict(os.environ),
        )
        try:
            wait_for(port, process)
            cookie = sign_in(port, "bench", "bench-password")
            for label, path in PAGES:
                median, p95 = latency(port, path, cookie, args.requests)
                ok &= median < PAGE_BUDGET_MS
                print(f"{label:<20} {path:<44} median {median:6.1f} ms  p95 {p95:6.1f} ms "
                      f"(budget: median < {PAGE_BUDGET_MS:g} ms)")
        finally:
            process.terminate()
            process.wait(timeout=10)
    print("within budget" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
