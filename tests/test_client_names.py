"""Issue 10, item 15: a client's name is never stored, offered, printed nor published. Client
work takes `--client CODE`; `--with` on practice is refused with that hint; a name that an older
version stored on client work is never suggested ("did you mean") nor listed, and `journal db
check` reports it, naming it only on the practitioner's own terminal."""

from __future__ import annotations

import pytest

from journal.names import resolve_person
from supervisor_data import stored_name_on_client_work

CLIENT = "Maria Lopes"


@pytest.mark.parametrize("command", [
    ("log", "practice", "50m", "--at", "2026-03-03 09:00", "--with", CLIENT),
    ("log", "practice", "50m", "--at", "2026-03-03 09:00", "--client", "C014", "--with", CLIENT),
    ("edit", "1", "--with", CLIENT),
])
def test_with_on_client_work_is_refused_with_the_hint(run, command):
    assert run("log", "practice", "50m", "--at", "2026-03-02 09:00", "--client", "C001").exit_code == 0
    result = run(*command)
    assert result.exit_code == 2
    assert "client work never stores a name" in result.stderr and "--client CODE" in result.stderr
    assert run("people", "--json").json() == []
    assert run("show", "1", "--json").json()["with"] is None


@pytest.fixture
def legacy(run, journal):
    """A journal where an older version stored a client's name on a practice session (#1)."""
    run("log", "practice", "50m", "--at", "2026-03-02 09:00", "--client", "C001")
    run("log", "supervision", "1h", "--at", "2026-03-03 10:00", "--with", "Alice Smith")
    stored_name_on_client_work(journal, CLIENT, 1)
    return run


def test_a_name_only_on_client_work_is_never_offered(legacy, journal):
    asked = []
    # The typo of a client's name is a new person: no "did you mean" offers the client's name.
    typed = resolve_person(journal, "Maria Lopez", lambda new, known: asked.append(known) or True)
    assert asked == []
    assert journal.execute("SELECT name FROM people WHERE id = ?", (typed,)).fetchone()[0] == "Maria Lopez"
    # Without a terminal, no refusal message prints it either.
    result = legacy("log", "supervision", "1h", "--at", "2026-03-10 10:00", "--with", "Maria Lopez")
    assert result.exit_code == 0, result.stderr
    assert CLIENT not in result.stderr + result.stdout
    # A supervisor's name is still offered for a typo.
    refused = legacy("log", "supervision", "1h", "--at", "2026-03-11 10:00", "--with", "Alice Smyth")
    assert refused.exit_code == 2 and "'Alice Smith'" in refused.stderr


def test_people_and_completion_never_show_it(legacy, db_path):
    from click.shell_completion import ShellComplete

    from journal.cli import cli

    assert CLIENT not in legacy("people").stdout
    assert [p["name"] for p in legacy("people", "--json").json()] == ["Alice Smith"]
    completions = ShellComplete(cli, {}, "journal", "_JOURNAL_COMPLETE").get_completions(
        ["--db", str(db_path), "log", "supervision", "1h", "--with"], "")
    assert [c.value for c in completions] == ["Alice Smith"]


def test_db_check_reports_it_without_the_name_off_a_terminal(legacy):
    result = legacy("db", "check")
    assert result.exit_code == 1
    assert "client names:  1 practice session(s) hold a person's name" in result.stdout
    assert "#1" in result.stdout and 'journal edit 1 --with ""' in result.stdout
    assert CLIENT not in result.stdout + result.stderr
    assert legacy("edit", "1", "--with", "").exit_code == 0
    assert legacy("db", "check").exit_code == 0




def test_an_import_never_stores_a_name_on_client_work(run, tmp_path):
    sheet = tmp_path / "hours.csv"
    sheet.write_text("date,start,duration,kind,with,client\n"
                     "2026-03-02,10:00,1h,supervision,Alice Smith,\n"
                     f"2026-03-03,09:00,50m,practice,{CLIENT},C014\n")
    result = run("import", "csv", str(sheet))
    assert result.exit_code == 0, result.stderr
    assert CLIENT not in result.stderr + result.stdout
    assert [p["name"] for p in run("people", "--json").json()] == ["Alice Smith"]
    assert [r["with"] for r in run("list", "--json").json()] == [None, "Alice Smith"]


def test_a_report_by_person_names_client_work_by_its_code(legacy):
    rows = legacy("report", "--by", "with", "--json").json()
    assert [(row["period"], row["kind"]) for row in rows] == [("Alice Smith", "supervision"), ("C001", "practice")]
    assert CLIENT not in legacy("report", "--by", "with", "--csv").stdout


def test_db_check_names_it_on_the_practitioners_own_terminal(legacy, db_path):
    from test_terminal import on_terminal

    shown = on_terminal(db_path, "db", "check", ok=False)
    assert f"#1 ({CLIENT})" in shown
