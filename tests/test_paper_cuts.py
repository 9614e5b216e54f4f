"""Paper cuts a new user hits trying the README: each one checked as the user would meet it."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from ptys import Terminal

from journal.db import open_journal

# --- a missing journal: only the commands that write create one ---------------------------------

READERS = [
    ["list"], ["show", "1"], ["show", "last"], ["search", "rupture"], ["report"], ["report", "--by", "with"],
    ["people"], ["tags"], ["clients"], ["check", "--profile", "bacp-practice"], ["export"],
    ["export", "-o", "OUT/x.json"], ["statement"], ["publish"], ["config"], ["config", "timezone"],
    ["config", "timezone", "Europe/Paris"], ["status"], ["stop"], ["cancel"], ["edit", "1", "--title", "x"],
    ["rm", "1"], ["restore", "1"], ["supervisor", "list"], ["supervisor", "remove", "alice"],
    ["db", "backup", "OUT/b.db"], ["membership", "list"], ["membership", "add", "BACP", "--number", "1"],
    ["cards", "stats"], ["cards", "draw"], ["trust-statement"],
]


@pytest.mark.parametrize("args", READERS, ids=" ".join)
def test_a_reader_on_a_missing_journal_says_there_is_none_and_creates_nothing(run, tmp_path, db_path, args):
    args = [a.replace("OUT", str(tmp_path)) for a in args]
    result = run(*args)
    assert result.exit_code == 1, result.stderr
    assert str(db_path) in result.stderr and "journal init" in result.stderr
    assert "Traceback" not in result.stderr
    assert not db_path.parent.exists()


def test_a_mistyped_folder_is_not_created(tmp_path):
    from click.testing import CliRunner

    from journal.cli import cli

    typo = tmp_path / "jounral" / "journal.db"
    result = CliRunner().invoke(cli, ["--db", str(typo), "report"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: there is no journal at {typo}")
    assert not typo.parent.exists()


@pytest.mark.parametrize("args", [
    ["init"], ["log", "therapy", "50m"], ["reflect", "-m", "A thought"], ["start", "therapy"],
    ["import", "json", "-"], ["demo", "--years", "1"],
])
def test_the_commands_that_write_create_a_journal(run, db_path, args):
    result = run(*args, input="[]" if args[0] == "import" else None)
    assert result.exit_code == 0, result.stderr
    assert db_path.exists()


def test_logging_into_a_new_file_says_it_created_one(run, db_path):
    result = run("log", "therapy", "50m")
    assert result.stderr.endswith(f"(A new journal was created at {db_path}.)\n")
    assert "new journal" not in run("log", "therapy", "50m", "--at", "yesterday 10:00").stderr


# --- groups without a subcommand ----------------------------------------------------------------

@pytest.mark.parametrize("args, command", [(["db"], "backup"), (["supervisor"], "add"), ([], "log")])
def test_a_group_alone_prints_its_help_readably(args, command):
    from click.testing import CliRunner

    from journal.cli import cli

    result = CliRunner().invoke(cli, args, prog_name="journal")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith(" ".join(["Usage: journal", *args, "[OPTIONS] COMMAND"]))
    assert any(line.strip().startswith(command + " ") for line in lines)
    assert len(lines) > 8 and result.stderr == ""


# --- one date grammar ---------------------------------------------------------------------------

@pytest.mark.parametrize("typed, order, stored", [
    ("15/09/2025", None, "2025-09-15"), ("2025-09-15", None, "2025-09-15"),
    ("15 September 2025", None, "2025-09-15"), ("09/15/2025", "mdy", "2025-09-15"),
])
def test_init_reads_dates_as_log_does(run, typed, order, stored):
    result = run("init", "--training-start", typed, *(["--date-order", order] if order else []))
    assert result.exit_code == 0, result.stderr
    assert run("config", "training_start").stdout.strip() == stored


def test_membership_dates_are_read_as_log_reads_them(run):
    run("init")
    added = run("membership", "add", "BACP", "--number", "1", "--since", "1 May 2019",
                "--valid-until", "30/04/2027", "--json")
    assert added.exit_code == 0, added.stderr
    assert (added.json()["since"], added.json()["valid_until"]) == ("2019-05-01", "2027-04-30")


def test_config_reads_dates_in_the_stored_order(run):
    run("init", "--date-order", "mdy")
    assert run("config", "qualified_on", "07/01/2025").exit_code == 0
    assert run("config", "qualified_on").stdout.strip() == "2025-07-01"
    bad = run("config", "qualified_on", "31/31/2025")
    assert bad.exit_code == 2 and "qualified_on '31/31/2025' is not a date" in bad.stderr


# --- untitled reflections -----------------------------------------------------------------------

@pytest.mark.parametrize("body, template, shown", [
    ("## Description\nThe client arrived late again.\n\n## Feelings\nAnnoyed.", "gibbs",
     "The client arrived late again."),
    ("## Description\n\n## Feelings\n", "gibbs", "Gibbs' reflective cycle, DATE"),
    ("# My heading\n- a point about endings", None, "a point about endings"),
])
def test_an_untitled_reflection_lists_by_its_first_line_of_text(run, body, template, shown):
    args = ["reflect", "-m", body, "--json"] + (["--template", template] if template else [])
    record = run(*args).json()
    listing = run("list").stdout
    assert shown.replace("DATE", record["date"]) in listing
    assert "## Description" not in listing


# --- the editor interrupted ---------------------------------------------------------------------

def test_an_editor_killed_by_ctrl_c_says_nothing_was_saved(run, runtime, monkeypatch):
    monkeypatch.setenv("EDITOR", "sh -c 'kill -INT $$' editor")
    result = run("reflect", "--template", "gibbs", "-e")
    assert result.exit_code == 1
    assert "was interrupted (Ctrl-C), so nothing was saved" in result.stderr
    assert "status -2" not in result.stderr
    assert run("list", "--json").json() == []


# --- supervisor logins --------------------------------------------------------------------------

def test_a_short_password_is_refused_before_it_is_typed_again(run, db_path):
    run("init")
    terminal = Terminal([sys.executable, "-m", "journal", "--db", str(db_path), "supervisor", "add", "alice"])
    try:
        terminal.wait_for("Password: ")
        terminal.type("short\n")
        screen = terminal.wait_for("Password: ", after="shorter than 8 characters")
        assert "Repeat for confirmation" not in screen
        terminal.type("long enough words\n")
        terminal.wait_for("Repeat for confirmation")
        terminal.type("long enough words\n")
        assert terminal.exit_code() == 0
    finally:
        terminal.close()
    assert [row["name"] for row in run("supervisor", "list", "--json").json()] == ["alice"]


def test_supervisor_list_shows_local_dates(run, db_path):
    run("init", "--timezone", "Pacific/Auckland")
    run("supervisor", "add", "alice", "--password-stdin", input="long enough words\n")
    table = run("supervisor", "list").stdout.splitlines()
    journal = open_journal(db_path)
    created = journal.execute("SELECT created_at FROM supervisors").fetchone()[0]
    journal.close()
    local = datetime.fromisoformat(created).astimezone(ZoneInfo("Pacific/Auckland"))
    assert table[0].split()[:2] == ["Name", "Added"]
    assert table[2].split()[:3] == ["alice", f"{local:%Y-%m-%d}", f"{local:%H:%M}"]
    assert created[:16].replace("T", " ") not in table[2] or local.utcoffset().total_seconds() == 0


# --- export and statement files -----------------------------------------------------------------

@pytest.fixture
def logged(run):
    run("log", "practice", "50m", "--at", "yesterday 10:00", "--client", "C014")
    return run


@pytest.mark.parametrize("name, first_line", [("out.csv", "id,kind,date"), ("out.json", "["),
                                              ("OUT.CSV", "id,kind,date"), ("backup", "[")])
def test_export_takes_the_format_from_the_extension(logged, tmp_path, name, first_line):
    out = tmp_path / name
    assert logged("export", "-o", str(out)).exit_code == 0
    assert out.read_text().startswith(first_line)


@pytest.mark.parametrize("args, message", [
    (["export", "--format", "json", "-o", "OUT/x.csv"], "x.csv ends in .csv, but --format json writes .json"),
    (["export", "--format", "csv", "-o", "OUT/x.json"], "x.json ends in .json, but --format csv writes .csv"),
    (["export", "-o", "OUT/x.txt"], "cannot tell the format of x.txt from its extension; end the name in .json or .csv"),
    (["statement", "--out", "OUT/x.docx"], "cannot tell the format of x.docx"),
    (["statement", "--out", "OUT/x"], "cannot tell the format of x"),
    (["trust-statement", "--out", "OUT/x.docx"], "cannot tell the format of x.docx"),
])
def test_a_mismatching_extension_is_refused(logged, tmp_path, args, message):
    result = logged(*[a.replace("OUT", str(tmp_path)) for a in args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert list(tmp_path.glob("x*")) == []


def test_the_icf_log_is_a_csv_file(logged, tmp_path):
    assert logged("export", "--format", "icf", "-o", str(tmp_path / "icf.csv")).exit_code == 0
    assert (tmp_path / "icf.csv").read_text().startswith("Client Name,")


@pytest.mark.parametrize("command, name", [("export", "out.json"), ("statement", "out.html"),
                                           ("trust-statement", "out.html")])
def test_an_existing_file_is_kept_unless_forced(logged, tmp_path, command, name):
    out = tmp_path / name
    out.write_text("precious")
    refused = logged(command, "--out" if command == "statement" else "-o", str(out))
    assert refused.exit_code == 1 and "already exists; nothing was written; add --force" in refused.stderr
    assert out.read_text() == "precious"
    assert logged(command, "-o", str(out), "--force").exit_code == 0
    assert out.read_text() != "precious"
    assert oct(out.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("command, name", [("export", "out.json"), ("statement", "out.html"),
                                           ("trust-statement", "out.html")])
def test_a_symbolic_link_is_never_followed(logged, tmp_path, command, name):
    target = tmp_path / "target.txt"
    target.write_text("precious")
    link = tmp_path / name
    link.symlink_to(target)
    result = logged(command, "-o", str(link), "--force")
    assert result.exit_code == 1 and "is a symbolic link; nothing was written" in result.stderr
    assert target.read_text() == "precious" and link.is_symlink()


@pytest.mark.parametrize("answer, kept", [("n", True), ("y", False)])
def test_on_a_terminal_export_asks_before_replacing(logged, db_path, tmp_path, answer, kept):
    out = tmp_path / "out.csv"
    out.write_text("precious")
    terminal = Terminal([sys.executable, "-m", "journal", "--db", str(db_path), "export", "-o", str(out)],
                        env={**os.environ, "TZ": "Europe/London"})
    try:
        terminal.wait_for("exists. Replace it? [y/N]")
        terminal.type(answer + "\n")
        assert terminal.exit_code() == (1 if kept else 0)
    finally:
        terminal.close()
    assert (out.read_text() == "precious") is kept


@pytest.mark.parametrize("args", [["cards"], ["cards", "show", "empty-chair"], ["emotions"], ["templates"],
                                  ["profiles"], ["db", "path"]])
def test_what_needs_no_journal_works_without_one_and_creates_none(run, db_path, args):
    assert run(*args).exit_code == 0
    assert not db_path.exists()
