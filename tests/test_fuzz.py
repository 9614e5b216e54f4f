"""Hostile command lines, generated: every run succeeds or fails with one line and a documented
exit code, never a traceback, never a secret in the message, and a failure writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import file_digest
from journal.cli import cli

SECRET = "CANARY-7f3a"

FRAGMENTS = [
    "'; DROP TABLE entries; --", "\" OR 1=1 --", "1); DELETE FROM entries; --", "%' --",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</td><b>bold</b>", "&amp;&lt;",
    "\x00", "\x1b[31mred\x1b[0m", "\r\n", "\t", "\u202e", "\ufeff", "\udcff", "\ud800",
    "名前", "Zoë Ångström", "👩‍⚕️", "NULL", "", " ", "-", "--", "-h", "--json", "*", "\"", "'",
    "AND OR NOT", "NEAR(", "title:x", "^", "x" * 5000, "é" * 70000,
]

hostile = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.text(max_size=40),
    st.text(st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs", "Lo", "So"]), max_size=20),
    st.builds(lambda a, b: a + b, st.sampled_from(FRAGMENTS), st.text(max_size=10)),
)
kinds = st.one_of(st.sampled_from(["therapy", "supervision", "practice", "cpd", "reflection",
                                   "THERAPY", " cpd ", "walk"]), hostile)
durations = st.one_of(
    st.sampled_from(["50m", "1h30m", "1.5h", "90", "0", "-5", "25h", "24h", "1440", "1441", "1e9",
                     "nan", "inf", "0.001h", "1h61m", "m", "h", "99999999999999999999m", "½h"]),
    st.integers(-10**20, 10**20).map(str), hostile)
whens = st.one_of(
    st.sampled_from(["2025-03-03 15:00", "yesterday 18:00", "3 days ago", "last tuesday 9am", "now",
                     "tomorrow", "2025-02-30", "9999-12-31", "0001-01-01", "1970-01-01 00:00",
                     "2025-03-30 01:30", "2025-10-26 01:30", "99999 days ago", "1000000000 years ago",
                     "25:61", "13pm", "2025-03-03T15:00+99:00", "03/13/2025", "12"]),
    hostile)
ids = st.one_of(st.sampled_from(["1", "2", "3", "4", "0", "-1", "999999", "99999999999999999999",
                                 "1e3", "0x10", " 2"]), hostile)
numbers = st.one_of(st.integers(-10**6, 10**6).map(str), hostile)


def opt(name: str, values=hostile):
    return st.tuples(st.just(name), values).map(list)


def flag(name: str):
    return st.just([name])


COMMON = [opt("--title"), opt("--tag"), opt("--at", whens)]
SESSION_OPTIONS = [
    opt("--with"), flag("--new-person"), opt("--mode", st.one_of(st.sampled_from(["video", "phone"]), hostile)),
    opt("--format", st.one_of(st.sampled_from(["group", "peer", "individual"]), hostile)),
    opt("--group-size", numbers), opt("--client", st.one_of(st.sampled_from(["C014", "Anna"]), hostile)),
    opt("--setting"), flag("--paid"), flag("--pro-bono"), opt("--note", st.just(SECRET)),
    flag("--allow-future"), flag("--private"),
]
FILTERS = [opt("--kind", kinds), opt("--since", whens), opt("--until", whens), opt("--with"),
           opt("--tag"), opt("-n", numbers)]
OUTPUT = [flag("--json"), flag("--csv"), flag("--nl"), flag("--table")]
JUNK = [hostile.map(lambda t: [t]), st.sampled_from([["--no-such-option"], ["--"], ["-x"]])]


def command(positional: list, options: list):
    tail = st.lists(st.one_of(*options, *JUNK), max_size=6).map(lambda parts: sum(parts, []))
    return st.tuples(st.tuples(*positional).map(list), tail).map(lambda p: p[0] + p[1])


COMMANDS = {
    "log": command([kinds, durations], COMMON + SESSION_OPTIONS + [flag("--json")]),
    "list": command([], FILTERS + OUTPUT),
    "show": command([ids], [flag("--json")]),
    "search": command([hostile], FILTERS + OUTPUT),
    "report": command([], FILTERS[:-1] + OUTPUT + [opt("--by", st.one_of(
        st.sampled_from(["month", "week", "year", "kind", "with"]), hostile))]),
    "reflect": command([], COMMON + [opt("-m", st.one_of(hostile, st.just(SECRET))), flag("--share"),
                                     opt("--on", ids), opt("--template"), flag("--json")]),
    "edit": command([ids], COMMON + SESSION_OPTIONS + [
        opt("--duration", durations), opt("-m", st.just(SECRET)), opt("--on", ids), flag("--share"),
        flag("--no-tags"), opt("--template")]),
    "rm": command([ids], [flag("--json")]),
    "restore": command([ids], [flag("--json")]),
}


@pytest.fixture
def seeded(db_path, run):
    """A journal with a session of each kind and a reflection (ids 1 to 5)."""
    for args in (["log", "therapy", "50m", "--at", "2025-03-03 15:00", "--with", "Dr Martin"],
                 ["log", "supervision", "1h", "--at", "2025-03-04 10:00", "--with", "Alice"],
                 ["log", "practice", "50m", "--at", "2025-03-04 12:00", "--client", "C014"],
                 ["log", "cpd", "3h", "--at", "2025-03-05 09:00", "--title", "Trauma day"],
                 ["reflect", "--at", "2025-03-05 18:00", "-m", "What happened", "--on", "2"]):
        assert run(*args).exit_code == 0
    return db_path


def check_outcome(db, args: list[str], before: str, result) -> None:
    shown = f"journal {args!r}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{shown} raised {result.exception!r}") from result.exception
    assert result.exit_code in (0, 1, 2, 3), shown
    assert "Traceback" not in result.stderr + result.stdout, shown
    if result.exit_code == 0:
        return
    lines = result.stderr.strip().splitlines()
    usage = lines and lines[0].startswith("Usage: ")  # Click's own usage errors, exit 2
    assert lines and lines[-1].startswith("Error: "), (shown, result.stderr)
    assert usage or len(lines) == 1, (shown, result.stderr)
    if SECRET not in args[args.index("--"):] if "--" in args else True:  # after --, it is no option value
        assert SECRET not in result.stderr, shown
    assert file_digest(db) == before, f"{shown} failed but changed the journal"


@pytest.mark.parametrize("args, message", [
    (["show", "99999999999999999999"], "Error: Invalid value for 'ID|last': '99999999999999999999' is not an entry id"),
    (["rm", "99999999999999999999"], "Error: Invalid value for 'ID|FIRST-LAST|last...': '99999999999999999999' is not an entry id"),
    (["log", "therapy", "50m", "--title", "\udcff"], "Error: the command line holds bytes that are not valid UTF-8"),
    (["list", "--since", "2025-03-03T15:00+99:00"], "Error: cannot understand the date"),
    (["list", "\r\nextra"], "Error: Got unexpected extra argument ( extra)"),
])
def test_inputs_that_once_raised_end_in_one_line(seeded, args, message):
    before = file_digest(seeded)
    result = CliRunner().invoke(cli, ["--db", str(seeded), *args])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1].startswith(message), result.stderr
    check_outcome(seeded, args, before, result)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_hostile_command_lines(name, seeded, monkeypatch):
    monkeypatch.setenv("EDITOR", "true")  # an editor that leaves the text as it was
    runner = CliRunner()

    @settings(max_examples=80, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large])
    @given(COMMANDS[name])
    def attempt(args):
        before = file_digest(seeded)
        result = runner.invoke(cli, ["--db", str(seeded), name, *args])
        check_outcome(seeded, args, before, result)

    attempt()


SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
IMPORT_SAMPLES = [("jrnl", "jrnl-export.json"), ("watson", "watson-frames.json"),
                  ("timew", "timewarrior.json"), ("ics", "google-calendar.ics"), ("ics", "outlook.ics"),
                  ("csv", "hours-day-first.csv"), ("json", None)]
BYTE_FRAGMENTS = [f.encode("utf-8", "surrogatepass") for f in FRAGMENTS[:20]] + [
    b"\xff\xfe", b"\xc3", b"\x00", b'"', b",", b"\n", b"\r\n", b"{", b"}", b"[", b"]", b":", b"null",
    b"BEGIN:VEVENT\r\n", b"END:VCALENDAR\r\n", b"DTSTART:99991231T250000Z\r\n", b"RRULE:FREQ=SECONDLY\r\n",
    b"99999999999999999999", b"-1", b"1e308", b"NaN", b"0", b"T", b"Z", b"+99:00",
]
positions = st.floats(0, 1)
mutations = st.lists(st.one_of(
    st.tuples(st.just("truncate"), positions),
    st.tuples(st.just("insert"), positions, st.sampled_from(BYTE_FRAGMENTS)),
    st.tuples(st.just("flip"), positions, st.integers(0, 255)),
    st.tuples(st.just("delete"), positions, st.integers(1, 40)),
    st.tuples(st.just("repeat"), positions, st.integers(1, 300)),
), min_size=1, max_size=4)


def mutate(data: bytes, steps) -> bytes:
    for step in steps:
        at = int(step[1] * len(data))
        if step[0] == "truncate":
            data = data[:at]
        elif step[0] == "insert":
            data = data[:at] + step[2] + data[at:]
        elif step[0] == "flip":
            data = data[:at] + bytes([step[2]]) + data[at + 1:]
        elif step[0] == "delete":
            data = data[:at] + data[at + step[2]:]
        else:
            data = data[:at] + data[at:at + step[2]] * 3 + data[at:]
    return data


@pytest.mark.slow
@pytest.mark.parametrize("fmt, sample", IMPORT_SAMPLES, ids=[s or f for f, s in IMPORT_SAMPLES])
def test_mutated_import_files(fmt, sample, seeded, tmp_path, run):
    original = (SAMPLES / sample).read_bytes() if sample else run("export").stdout.encode()
    target = tmp_path / f"mutated-{sample or 'export.json'}"
    runner = CliRunner()
    args = ["import", fmt, str(target), "--match-file", str(SAMPLES / "match-rules.txt")]

    @settings(max_examples=40, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(mutations)
    def attempt(steps):
        target.write_bytes(mutate(original, steps))
        before = file_digest(seeded)
        result = runner.invoke(cli, ["--db", str(seeded), *args])
        check_outcome(seeded, [*args, repr(steps)], before, result)

    attempt()
