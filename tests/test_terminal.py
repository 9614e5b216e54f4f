"""Issue 10, item 18: stored text never drives the terminal. Escape sequences in a title, note or
body (an imported calendar can carry them) are shown escaped when `journal` prints to a terminal,
in every command that prints stored text; JSON and CSV to a pipe stay exact."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys

import pytest

# Clear the screen, retitle the window, a C1 control sequence introducer, a right-to-left override.
TITLE = "Evil \x1b]0;pwned\x07\x1b[2J title"
NOTE = "rupture \x1b[31mred\x1b[0m and \x9b6n"
BODY = "rupture in \u202eright to left\u202c text\r\nhidden line"
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\r\n")


@pytest.fixture
def hostile(run, db_path):
    run("log", "cpd", "1h", "--at", "2026-03-02 09:00", "--title", TITLE, "--note", NOTE, "--tag", "rupture")
    run("reflect", "-m", BODY, "--title", "On \x1b[8mhidden", "--at", "2026-03-03 20:00")
    return db_path


def on_terminal(db_path, *args: str, colour: bool = False, ok: bool = True) -> str:
    """What `journal ARGS` writes to a real pseudo-terminal, as text (``ok``: it must exit 0)."""
    leader, follower = pty.openpty()
    env = {**os.environ, "NO_COLOR": "" if colour else "1"}
    process = subprocess.Popen([sys.executable, "-m", "journal", "--db", str(db_path), *args], stdout=follower,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    code = process.wait(timeout=60)
    assert code == 0 or not ok, process.stderr.read()
    return b"".join(chunks).decode().replace("\r\n", "\n")


@pytest.mark.parametrize("args", [
    ("list",), ("list", "--json"), ("list", "--csv"), ("list", "--nl"), ("show", "1"), ("show", "2"),
    ("show", "1", "--json"), ("search", "rupture"), ("search", "rupture", "--json"), ("export",),
])
def test_control_characters_are_shown_escaped_on_a_terminal(hostile, args):
    shown = on_terminal(hostile, *args)
    for raw in RAW:
        assert raw not in shown, (args, raw)
    assert "\\u001b" in shown
    if "--json" in args or args == ("export",):
        json.loads(shown)  # the escapes keep JSON valid, with the same meaning


def test_the_escaped_text_reads_as_stored(hostile):
    shown = on_terminal(hostile, "show", "1")
    assert "title: Evil \\u001b]0;pwned\\u0007\\u001b[2J title" in shown
    assert "note: rupture \\u001b[31mred\\u001b[0m and \\u009b6n" in shown
    assert "right to left\\u202c text\\u000d\nhidden line" in on_terminal(hostile, "show", "2")
    assert json.loads(on_terminal(hostile, "show", "1", "--json"))["title"] == TITLE


def test_search_still_highlights_its_matches(hostile):
    shown = on_terminal(hostile, "search", "rupture", colour=True)
    assert "\x1b[1mrupture\x1b[0m" in shown  # our own highlight, and nothing else raw
    assert shown.count("\x1b") == 2 * shown.count("\x1b[1m")


def test_json_and_csv_to_a_pipe_stay_exact(hostile):
    def piped(*args: str) -> str:
        out = subprocess.run([sys.executable, "-m", "journal", "--db", str(hostile), *args],
                             capture_output=True, check=True).stdout
        return out.decode()

    records = {r["id"]: r for r in json.loads(piped("list", "--json"))}
    assert records[1]["title"] == TITLE and records[1]["note"] == NOTE and records[2]["body"] == BODY
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(piped("export", "--format", "csv"), newline=""))}
    assert rows["1"]["title"] == TITLE and rows["2"]["body"] == BODY
    assert json.loads(piped("show", "2", "--json"))["body"] == BODY


def test_names_and_tags_keep_no_control_characters(run):
    run("log", "therapy", "50m", "--at", "2026-03-02 18:00", "--with", "Dr \x1b[2JMartin", "--tag", "a\x07b")
    record = run("show", "1", "--json").json()
    assert record["with"] == "Dr [2JMartin" and record["tags"] == ["ab"]


def test_names_and_tags_stored_by_older_versions_are_shown_escaped(run, journal, db_path):
    run("log", "therapy", "50m", "--at", "2026-03-02 18:00", "--with", "Dr Martin", "--tag", "rupture")
    with journal.transaction():  # as an older version, which kept control characters, stored them
        journal.execute("UPDATE people SET name = 'Dr \x1b[2JMartin'")
        journal.execute("UPDATE tags SET name = 'rup\x1b]0;x\x07ture'")
    for args in (("people",), ("tags",), ("report", "--by", "with"), ("list",), ("show", "1")):
        shown = on_terminal(db_path, *args)
        assert "\x1b" not in shown and "\x07" not in shown, args
        assert "\\u001b" in shown, args
