"""Start-up and scale benchmark: `journal` commands against the cost of importing Python's basics.

Builds journals of 10,000 and 100,000 entries (sessions and reflections) with a bulk insert,
then times real subprocess runs of `journal log`, `journal list -n 20`, `journal search WORD`
and `journal report --by month` (and `journal log` in French: catalogue loaded, French words
typed), beside the floor `python -c "import click, sqlite3,
dateutil.parser"` measured in the same run. Budgets: `log` within 1.5x the floor, the
readers within 2x, and each 100,000-entry figure within 10% of its 10,000-entry figure.

The 100,000-entry journal is also encrypted (SQLCipher) and the same commands run on it in the
same rounds, unlocked as a practitioner's is after typing the passphrase once: the derived key
kept in a keyring (keyrings.alt's file keyring, chosen with $PYTHON_KEYRING_BACKEND) and its copy
in the Linux kernel's keyring (journal/keycache.py). Budget: `log`, `list`, `search` and `report`
each within 1.5x its plain-journal time. Shown for information: `list` with the kernel's copy
dropped first, so that the key is read from the keyring (the first command after 15 idle minutes).

    python bench/run.py            # the budgets above (about a minute)
    python bench/run.py --all      # also every other bench/bench_*.py script
    python bench/run.py --runs 21  # more runs per figure, steadier medians

Exit status 1 when a budget is missed.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

SIZES = (10_000, 100_000)
WORD = "rupture"  # one topic among a hundred: in about 4% of reflections, like a real clinical word
COMMON_WORD = "client"  # in most reflections: shown for information, not budgeted
FLOOR = [sys.executable, "-c", "import click, sqlite3, dateutil.parser"]
BUDGETS = {"log": 1.5, "log (fr)": 1.5, "list": 2.0, "search": 2.0, "report": 2.0}
FRENCH = {"LANG": "fr_FR.UTF-8"}  # the locale chooses French: the catalogue is read on every run
SCALE_BUDGET = 1.10
ENCRYPTED_BUDGET = 1.5
ENCRYPTED_BUDGETED = ("log", "list", "search", "report")
ENCRYPTED = "encrypted"
FROM_KEYRING = "list (keyring read)"  # the kernel's copy of the key dropped first
PASSPHRASE = "bench passphrase"

PEOPLE = ("Dr Helen Marsh", "Alice Moreno", "Raj Patel", "Sam Okafor", "Dr Lena Brandt")
TOPICS = (
    "shame grief anger silence boundaries endings rupture repair attachment trust envy jealousy guilt "
    "loneliness abandonment rejection intimacy dependence autonomy control perfectionism procrastination "
    "sleep appetite panic worry rumination avoidance dissociation flashbacks nightmares trauma bereavement "
    "divorce redundancy retirement pregnancy infertility miscarriage parenting siblings fathers mothers "
    "grandparents friendship bullying exams university migration racism identity sexuality gender faith "
    "doubt meaning purpose hope despair self-harm suicide safety risk medication diagnosis illness pain "
    "fatigue disability caring money debt housing work burnout boredom creativity play humour tears "
    "laughter lateness cancellations gifts fees contracts confidentiality notes referrals transference "
    "countertransference projection splitting idealisation denial resistance defences dreams fantasies "
    "memories the body breathing stillness"
).split()
SENTENCES = (
    "The client spoke about {topic} for most of the session.",
    "I noticed my own reaction to the {topic} and stayed with it.",
    "We came back to {topic}, which has been a theme for weeks.",
    "Supervision helped me think about the {topic} differently.",
    "I want to read more about {topic} before next week.",
    "Something about {topic} was in the room but not spoken.",
)


def journal_command() -> list[str]:
    script = Path(sys.executable).with_name("journal")
    return [str(script)] if script.exists() else [sys.executable, "-m", "journal"]


def build(path: Path, size: int, seed: int = 7) -> None:
    """``size`` entries over ten years (four in five sessions), in one bulk transaction."""
    from datetime import datetime, timedelta, timezone

    from journal.db import open_journal
    from journal.entries import SESSION_KINDS
    from journal.names import name_key

    rng = random.Random(seed)
    journal = open_journal(path)
    start = datetime(2016, 1, 4, 9, tzinfo=timezone.utc)
    step = timedelta(days=3650) / size
    stamp = "2026-01-01T00:00:00.000000Z"
    with journal.transaction():
        journal.conn.executemany("INSERT INTO people(name, key) VALUES (?, ?)",
                                 [(name, name_key(name)) for name in PEOPLE])
        rows = []
        for i in range(size):
            moment = start + step * i
            common = (moment.strftime("%Y-%m-%dT%H:%M:%SZ"), "Europe/London", moment.date().isoformat(),
                      stamp, stamp)
            if i % 5 == 4:
                body = " ".join(rng.choice(SENTENCES).format(topic=rng.choice(TOPICS)) for _ in range(4))
                rows.append(("reflection", *common, None, None, f"Reflection {i}", body, None, 0))
            else:
                kind = rng.choice(SESSION_KINDS)
                rows.append((kind, *common, rng.choice((50, 60, 90)), rng.randint(1, len(PEOPLE)),
                             None, None, None, 1))
        journal.conn.executemany(
            "INSERT INTO entries(kind, start_utc, tz, date, created_at, updated_at, minutes, person_id, "
            "title, body, note, shared) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    journal.execute("PRAGMA optimize")
    journal.close()


def encrypted_copy(plain: Path, folder: Path, env: dict) -> tuple[Path, dict, float]:
    """An encrypted copy of ``plain`` whose key a file keyring keeps; its environment, and the
    seconds one key derivation takes (what a command pays when given the passphrase instead)."""
    import shutil

    from journal.encryption import convert_in_place, derive_key, file_salt, new_key
    from journal.unlocking import remember_key

    path = folder / f"{plain.stem}-encrypted.db"
    shutil.copyfile(plain, path)
    key = new_key(PASSPHRASE)
    convert_in_place(path, None, key)
    keyring_env = {"PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
                   "XDG_DATA_HOME": str(folder / "keyring")}
    os.environ.update(keyring_env)  # for remember_key here; every command gets its environment explicitly
    if not remember_key(path, key):
        raise SystemExit("the file keyring did not take the key")
    started = time.perf_counter()
    derive_key(PASSPHRASE, file_salt(path))
    return path, {**env, **keyring_env, "JOURNAL_DB": str(path)}, time.perf_counter() - started


def matches(path: Path, word: str) -> int:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM entries_fts WHERE entries_fts MATCH ?", (word,)).fetchone()[0]
    finally:
        conn.close()


def seconds(command: list[str], env: dict) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of ``command``."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed with exit code {process.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


def commands(journal: list[str]) -> dict[str, tuple[list[str], dict]]:
    """Each figure's command line and the variables it adds to the environment."""
    return {
        # --again: every run logs the same session again, which `journal log` would refuse as a repeat
        "log": (journal + ["log", "therapy", "50m", "--with", "Dr Helen Marsh", "--again"], {}),
        "log (fr)": (journal + ["log", "thérapie", "50min", "--at", "hier 18h", "--with", "Dr Helen Marsh",
                                "--again"], FRENCH),
        "list": (journal + ["list", "-n", "20"], {}),
        "search": (journal + ["search", WORD], {}),
        "search (common word)": (journal + ["search", COMMON_WORD], {}),
        "report": (journal + ["report", "--by", "month"], {}),
    }


def measure(runs: int) -> int:
    """Rounds that run the floor and every command on every size, so that a busy moment on the
    machine touches all figures alike; the medians over rounds are compared."""
    from journal import keycache

    # Bytecode caching as on a user's machine (some shells set PYTHONDONTWRITEBYTECODE).
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["TZ"] = "Europe/London"
    journal = journal_command()
    timings: dict[tuple[int | str, str], list[tuple[float, float]]] = {}
    floor: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as folder:
        envs = {}
        for size in SIZES:
            path = Path(folder) / f"journal-{size}.db"
            started = time.perf_counter()
            build(path, size)
            print(f"built {size:>7,} entries in {time.perf_counter() - started:5.1f} s", file=sys.stderr)
            envs[size] = {**env, "JOURNAL_DB": str(path)}
            print(f"  '{WORD}' matches {matches(path, WORD):,} entries, '{COMMON_WORD}' "
                  f"{matches(path, COMMON_WORD):,}", file=sys.stderr)
        encrypted, envs[ENCRYPTED], derivation = encrypted_copy(path, Path(folder), env)
        print(f"encrypted a copy of the {SIZES[-1]:,}-entry journal; one key derivation takes "
              f"{derivation * 1000:.0f} ms", file=sys.stderr)
        for environment in envs.values():
            for command, extra in commands(journal).values():  # warm the OS cache and the bytecode
                seconds(command, {**environment, **extra})
        for _ in range(runs):
            floor.append(seconds(FLOOR, env))
            for size, environment in envs.items():
                for name, (command, extra) in commands(journal).items():
                    timings.setdefault((size, name), []).append(seconds(command, {**environment, **extra}))
            keycache.drop(encrypted)
            timings.setdefault((ENCRYPTED, FROM_KEYRING), []).append(
                seconds(commands(journal)["list"][0], envs[ENCRYPTED]))
    missed = 0
    for index, clock in enumerate(("wall", "cpu")):
        figures = {size: {name: statistics.median(t[index] for t in timings[(size, name)])
                          for (at_size, name) in timings if at_size == size} for size in envs}
        missed += report(clock, statistics.median(t[index] for t in floor), figures, runs)
        missed += report_encrypted(clock, figures[SIZES[-1]], figures[ENCRYPTED], runs)
    print(f"\nbudgets: log within {BUDGETS['log']}x the floor, readers within {BUDGETS['list']}x, "
          f"100k within {SCALE_BUDGET:.2f}x of 10k, encrypted within {ENCRYPTED_BUDGET}x of plain; judged "
          "on wall time (CPU time shown as a cross-check for a busy machine)")
    return 1 if missed else 0


def report(clock: str, floor: float, figures: dict[int, dict[str, float]], runs: int) -> int:
    """Print one table; the number of budgets missed."""
    small, large = figures[SIZES[0]], figures[SIZES[-1]]
    print(f"\n{clock} time, median of {runs} runs; floor (python -c 'import click, sqlite3, "
          f"dateutil.parser') = {floor * 1000:.0f} ms")
    print(f"{'command':22} {'10k ms':>7} {'100k ms':>8} {'x floor':>8} {'budget':>7} {'100k/10k':>9}  verdict")
    missed = 0
    for name in large:
        ratio, scale = large[name] / floor, large[name] / small[name]
        budget = BUDGETS.get(name)
        if budget is None:
            verdict, shown = "for information", "-"
        else:
            ok = ratio <= budget and scale <= SCALE_BUDGET
            missed += not ok
            verdict, shown = ("ok" if ok else "OVER BUDGET"), f"{budget:.1f}x"
        print(f"{name:22} {small[name] * 1000:7.0f} {large[name] * 1000:8.0f} {ratio:8.2f} {shown:>7} "
              f"{scale:9.2f}  {verdict}")
    return missed if clock == "wall" else 0


def report_encrypted(clock: str, plain: dict[str, float], encrypted: dict[str, float], runs: int) -> int:
    """Print the encrypted journal beside the plain one (both of 100,000 entries); budgets missed."""
    print(f"\n{clock} time, median of {runs} runs: the {SIZES[-1]:,}-entry journal encrypted, unlocked "
          "by the keyring (the kernel's copy of its key), beside it plain")
    print(f"{'command':22} {'plain ms':>8} {'encr. ms':>8} {'ratio':>6} {'budget':>7}  verdict")
    missed = 0
    for name in encrypted:
        baseline = plain[name if name in plain else "list"]
        ratio = encrypted[name] / baseline
        budgeted = name in ENCRYPTED_BUDGETED
        ok = ratio <= ENCRYPTED_BUDGET
        missed += budgeted and not ok
        verdict = ("ok" if ok else "OVER BUDGET") if budgeted else "for information"
        shown = f"{ENCRYPTED_BUDGET:.1f}x" if budgeted else "-"
        print(f"{name:22} {baseline * 1000:8.0f} {encrypted[name] * 1000:8.0f} {ratio:6.2f} {shown:>7}  {verdict}")
    return missed if clock == "wall" else 0


def other_benchmarks() -> int:
    status = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n== {script.name}", flush=True)
        status |= subprocess.run([sys.executable, str(script)]).returncode
    return status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=11, help="runs per figure (default 11)")
    parser.add_argument("--all", action="store_true", help="also run every bench/bench_*.py script")
    args = parser.parse_args()
    status = measure(args.runs)
    if args.all:
        status |= other_benchmarks()
    return status


if __name__ == "__main__":
    sys.exit(main())
