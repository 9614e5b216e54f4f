"""Reading the journal back: `search`, `report`, `people` and `tags`, with the shared filters."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from journal.changing import delete_entry
from journal.entries import ReflectionInput, add_reflection
from journal.report import week_label
from journal.search import plain_words

LONDON = ZoneInfo("Europe/London")


def reflect(journal, body: str, when: str, **fields) -> int:
    at = datetime.fromisoformat(when).replace(tzinfo=LONDON)
    return add_reflection(journal, ReflectionInput(body=body, at=at, **fields))["id"]


@pytest.fixture
def sessions(run):
    """Two months of sessions; returns a function to log more."""

    def log(*args):
        result = run("log", *args, "--json")
        assert result.exit_code == 0, result.stderr
        return result.json()["id"]

    log("therapy", "50m", "--at", "2026-02-24 18:00", "--with", "Dr Martin")
    log("therapy", "50m", "--at", "2026-03-03 18:00", "--with", "Dr Martin", "--tag", "rupture")
    log("therapy", "50m", "--at", "2026-03-10 18:00", "--with", "Dr Martin")
    log("supervision", "1h30m", "--at", "2026-03-04 10:00", "--with", "Alice", "--format", "group",
        "--group-size", "4")
    log("supervision", "1h", "--at", "2026-03-18 10:00", "--with", "Alice")
    log("practice", "50m", "--at", "2026-03-02 11:00", "--client", "C014")
    log("practice", "50m", "--at", "2026-03-09 11:00", "--client", "C014", "--note", "spoke of a rupture at work")
    log("cpd", "3h", "--at", "2026-01-31 09:30", "--title", "Trauma-informed practice")
    return log


# --- search ------------------------------------------------------------------------------


def test_search_ranks_a_title_match_first_and_highlights_the_word(run, journal, sessions):
    body_only = reflect(journal, "We talked about a rupture in passing, among many other things that "
                                 "happened in the session and afterwards.", "2026-03-05 20:00")
    in_title = reflect(journal, "Repair took two sessions.", "2026-03-06 20:00", title="A rupture and its repair")
    reflect(journal, "Nothing to do with it.", "2026-03-07 20:00", title="Endings")
    result = run("search", "rupture", "--json")
    assert result.exit_code == 0, result.stderr
    found = result.json()
    ids = [r["id"] for r in found]
    assert ids[0] == in_title
    assert set(ids) == {in_title, body_only, 7}  # 7: the practice session whose note says rupture
    assert "[rupture]" in found[0]["snippet"]
    table = run("search", "rupture")
    assert "[rupture]" in table.stdout and "A rupture and its repair" in table.stdout


def test_search_applies_the_shared_filters_and_skips_deleted_entries(run, journal, sessions):
    kept = reflect(journal, "Shame came up again.", "2026-03-05 20:00", tags=["shame"])
    old = reflect(journal, "Shame, an early entry.", "2026-01-05 20:00")
    gone = reflect(journal, "Shame in a deleted entry.", "2026-03-06 20:00")
    delete_entry(journal, gone)
    assert {r["id"] for r in run("search", "shame", "--json").json()} == {kept, old}
    assert [r["id"] for r in run("search", "shame", "--since", "2026-03-01", "--json").json()] == [kept]
    assert [r["id"] for r in run("search", "shame", "--tag", "shame", "--json").json()] == [kept]
    assert run("search", "shame", "--kind", "practice", "--json").json() == []
    assert run("search", "shame", "--with", "Nobody", "--json").json() == []


@pytest.mark.parametrize("query", ['"unbalanced', "AND", "rupture AND", "NEAR(", "title:", "(rupture",
                                   "nosuchcolumn:rupture", "rupture)"])
def test_search_syntax_never_crashes(run, sessions, query):
    result = run("search", query)
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr and "Error" not in result.stderr


@pytest.mark.parametrize("query", ["***", '"', "  ", "-"])
def test_search_without_a_word_is_a_one_line_usage_error(run, sessions, query):
    result = run("search", query)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: nothing to search for in ")
    assert lines[0].endswith("; give a word, e.g. journal search rupture")


def test_search_accepts_fts_operators(run, journal, sessions):
    a = reflect(journal, "Ending well with a client.", "2026-03-05 20:00")
    b = reflect(journal, "Termination of the work.", "2026-03-06 20:00")
    reflect(journal, "Ending the day tired.", "2026-03-07 20:00")
    found = {r["id"] for r in run("search", '"ending well" OR termination', "--json").json()}
    assert found == {a, b}


def test_plain_words_quotes_every_word():
    assert plain_words('"unbalanced AND (x') == '"unbalanced" "AND" "x"'


def test_search_nothing_found_says_so_and_exits_0(run, sessions):
    result = run("search", "zebra")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "No entries match 'zebra'." in result.stderr
    assert run("search", "zebra", "--json").stdout.strip() == "[]"


# --- report ----------------------------------------------------------------------------


def test_report_by_month_json_has_exact_figures(run, sessions):
    rows = run("report", "--json").json()
    assert rows == [
        {"period": "2026-01", "kind": "cpd", "minutes": 180, "hours": 3.0, "count": 1},
        {"period": "2026-02", "kind": "therapy", "minutes": 50, "hours": 0.83, "count": 1},
        {"period": "2026-03", "kind": "therapy", "minutes": 100, "hours": 1.67, "count": 2},
        {"period": "2026-03", "kind": "supervision", "minutes": 150, "hours": 2.5, "count": 2},
        {"period": "2026-03", "kind": "practice", "minutes": 100, "hours": 1.67, "count": 2},
    ]


def test_report_table_names_each_period_once_and_ends_with_totals(run, sessions):
    out = run("report").stdout.splitlines()
    assert out[0].split() == ["month", "kind", "count", "hours"]
    assert out[2].split() == ["2026-01", "cpd", "1", "3.00"]
    assert out[4].split() == ["2026-03", "therapy", "2", "1.67"]
    assert out[5].split() == ["supervision", "2", "2.50"]
    assert out[7] == ""
    assert out[8].split() == ["total", "therapy", "3", "2.50"]
    assert out[-1].split() == ["all", "8", "9.67"]


def test_report_by_week_uses_iso_weeks_and_the_week_start_setting(run, sessions):
    weeks = {(r["period"], r["kind"]): r["count"] for r in run("report", "--by", "week", "--json").json()}
    assert weeks[("2026-W10", "therapy")] == 1  # Tuesday 3 March 2026
    assert weeks[("2026-W09", "therapy")] == 1  # Tuesday 24 February
    assert run("config", "week_start", "sunday").exit_code == 0
    assert run("log", "practice", "50m", "--at", "2026-03-08 11:00", "--client", "C015").exit_code == 0
    weeks = {(r["period"], r["kind"]): r["count"] for r in run("report", "--by", "week", "--json").json()}
    # Sunday 8 March opens the week of Monday 9 March when weeks start on Sunday.
    assert weeks[("2026-W11", "practice")] == 2
    assert weeks[("2026-W10", "practice")] == 1


@pytest.mark.parametrize("day, week_start, label", [
    ("2026-01-01", "monday", "2026-W01"),
    ("2027-01-01", "monday", "2026-W53"),
    ("2026-03-01", "monday", "2026-W09"),
    ("2026-03-01", "sunday", "2026-W10"),
    ("2026-03-07", "sunday", "2026-W10"),
])
def test_week_labels(day, week_start, label):
    assert week_label(datetime.fromisoformat(day).date(), week_start) == label


def test_report_by_year_kind_and_person(run, sessions):
    assert run("report", "--by", "year", "--json").json()[0] == \
        {"period": "2026", "kind": "therapy", "minutes": 150, "hours": 2.5, "count": 3}
    by_kind = run("report", "--by", "kind", "--json").json()
    assert [(r["period"], r["minutes"]) for r in by_kind] == \
        [("therapy", 150), ("supervision", 150), ("practice", 100), ("cpd", 180)]
    by_person = run("report", "--by", "with", "--json").json()
    assert [(r["period"], r["kind"], r["count"]) for r in by_person] == [
        ("Alice", "supervision", 2), ("C014", "practice", 2), ("Dr Martin", "therapy", 3), (None, "cpd", 1),
    ]
    assert "(no one)" in run("report", "--by", "with").stdout


def test_report_filters_and_csv(run, sessions):
    rows = run("report", "--kind", "therapy", "--since", "2026-03-01", "--until", "2026-03-03", "--json").json()
    assert rows == [{"period": "2026-03", "kind": "therapy", "minutes": 50, "hours": 0.83, "count": 1}]
    assert run("report", "--with", "alice", "--json").json()[0]["minutes"] == 150
    assert run("report", "--tag", "rupture", "--json").json()[0]["count"] == 1
    text = run("report", "--by", "year", "--csv").stdout
    assert list(csv.DictReader(io.StringIO(text)))[0] == \
        {"period": "2026", "kind": "therapy", "minutes": "150", "hours": "2.5", "count": "3"}


def test_report_ignores_deleted_sessions_and_reflections(run, journal, sessions):
    reflect(journal, "A reflection has no hours.", "2026-03-05 20:00")
    delete_entry(journal, 1)
    rows = run("report", "--kind", "therapy", "--json").json()
    assert rows == [{"period": "2026-03", "kind": "therapy", "minutes": 100, "hours": 1.67, "count": 2}]


def test_report_refuses_reflection_kind_and_bad_grouping(run, sessions):
    result = run("report", "--kind", "reflection")
    assert result.exit_code == 2 and "unknown kind 'reflection'" in result.stderr
    assert run("report", "--by", "fortnight").exit_code == 2


def test_report_empty_period_exits_0(run, sessions):
    result = run("report", "--since", "2020-01-01", "--until", "2020-12-31")
    assert result.exit_code == 0
    assert "No sessions in this period." in result.stderr
    assert run("report", "--since", "2020-01-01", "--until", "2020-12-31", "--json").json() == []


# --- people and tags ---------------------------------------------------------------------


def test_people_and_tags_with_counts(run, journal, sessions):
    reflect(journal, "Rupture and repair.", "2026-03-05 20:00", tags=["Rupture", "repair"])
    people = run("people", "--json").json()
    assert people == [
        {"name": "Alice", "sessions": 2, "minutes": 150, "last": "2026-03-18", "hours": 2.5},
        {"name": "Dr Martin", "sessions": 3, "minutes": 150, "last": "2026-03-10", "hours": 2.5},
    ]
    tags = run("tags", "--json").json()
    assert tags == [
        {"name": "repair", "entries": 1, "last": "2026-03-05"},
        {"name": "rupture", "entries": 2, "last": "2026-03-05"},
    ]
    delete_entry(journal, 2)
    assert run("tags", "--json").json()[1] == {"name": "rupture", "entries": 1, "last": "2026-03-05"}
    table = run("people").stdout
    assert table.splitlines()[0].split() == ["name", "sessions", "hours", "last"]


def test_people_on_an_empty_journal(run):
    run("init")
    result = run("people")
    assert result.exit_code == 0 and "Nobody yet" in result.stderr
    assert json.loads(run("tags", "--json").stdout) == []


@pytest.mark.parametrize("args", [["list", "-n", "5"], ["search", "rupture"], ["report", "--by", "week"],
                                  ["people"], ["tags"]])
def test_reading_commands_start_without_heavy_imports(run, db_path, sessions, args):
    """Start-up cost: reading never imports Datasette, sqlite-utils or YAML."""
    import subprocess
    import sys

    code = ("import sys\nfrom journal.cli import cli\n"
            "try:\n    cli.main(sys.argv[1:], prog_name='journal')\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('datasette', 'sqlite_utils', 'yaml', 'jinja2') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code, "--db", str(db_path), *args],
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_the_command_line_collects_cycles_again_once_its_modules_are_in():
    """`journal` pauses Python's cyclic collector only while the command line's own modules load: a
    program (or a test run) that imports it keeps its collector, and so does one whose import fails."""
    import subprocess
    import sys

    code = ("import gc, sys\nimport journal.cli\nprint(gc.isenabled())\n"
            "from journal.collector import collector_paused\n"
            "try:\n    with collector_paused():\n        import journal.no_such_module\n"
            "except ImportError:\n    print(gc.isenabled())")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["True", "True"], result.stderr


def test_snippets_show_headings_as_plain_text(run, journal, sessions):
    reflect(journal, "## Feelings\n\nAshamed, then relieved.\n\n## Action plan\n\nTake it to supervision.",
            "2026-03-05 20:00", template="gibbs")
    snippet = run("search", "ashamed", "--json").json()[0]["snippet"]
    assert snippet == "Feelings [Ashamed], then relieved. Action plan Take it to supervision."
