"""The caseload (`journal clients`), `list --client` and the report's groupings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

TODAY = date.today()


def day(weeks_ago: float) -> str:
    return f"{TODAY - timedelta(days=round(weeks_ago * 7)):%Y-%m-%d} 10:00"


@pytest.fixture
def caseload(run):
    for weeks, client, setting in ((1, "C001", "Riverside clinic"), (3, "C001", "Riverside clinic"),
                                   (10, "C002", "Northgate"), (12, "C002", "Northgate"), (2, "C003", None)):
        args = ["log", "practice", "50m", "--at", day(weeks), "--client", client, "--mode", "video"]
        run(*args, *(["--setting", setting] if setting else []))
    run("log", "supervision", "1h30m", "--at", day(1), "--with", "Alice Moreno", "--format", "group",
        "--group-size", "3")
    run("log", "therapy", "50m", "--at", day(1), "--with", "Dr Martin")
    deleted = run("log", "practice", "50m", "--at", day(1), "--client", "C009", "--json").json()
    run("rm", str(deleted["id"]))
    return run


def test_clients_lists_each_code_with_its_totals_and_whether_active(caseload):
    rows = caseload("clients", "--json").json()
    assert [(r["client"], r["sessions"], r["minutes"], r["hours"], r["active"]) for r in rows] == [
        ("C001", 2, 100, 1.67, True), ("C003", 1, 50, 0.83, True), ("C002", 2, 100, 1.67, False)]
    assert rows[0]["first"] == day(3)[:10] and rows[0]["last"] == day(1)[:10]


def test_active_weeks_and_the_active_filter(caseload):
    assert [r["client"] for r in caseload("clients", "--active", "--json").json()] == ["C001", "C003"]
    assert [r["client"] for r in caseload("clients", "--ended", "--json").json()] == ["C002"]
    assert all(r["active"] for r in caseload("clients", "--active-weeks", "11", "--json").json())
    assert caseload("clients", "--active-weeks", "0").exit_code == 2


def test_clients_since_counts_only_that_period(caseload):
    rows = caseload("clients", "--since", day(4)[:10], "--json").json()
    assert [(r["client"], r["sessions"]) for r in rows] == [("C001", 2), ("C003", 1)]


def test_clients_table_and_csv(caseload):
    table = caseload("clients").stdout.splitlines()
    assert table[0].split() == ["client", "sessions", "hours", "first", "last", "active"]
    assert table[2].split()[:3] == ["C001", "2", "1.67"] and table[2].split()[-1] == "yes"
    csv = caseload("clients", "--csv").stdout.splitlines()
    assert csv[0] == "client,sessions,minutes,hours,first,last,active"


def test_clients_on_a_journal_without_codes_says_how_to_add_one(run):
    run("log", "therapy", "50m", "--at", "yesterday 10:00")
    result = run("clients")
    assert result.exit_code == 0 and "journal log practice 50m --client C014" in result.stderr


def test_list_and_report_by_one_client(caseload):
    listed = caseload("list", "--client", "c002", "--json").json()
    assert [r["client"] for r in listed] == ["C002", "C002"]
    rows = caseload("report", "--by", "client", "--client", "C001", "--json").json()
    assert [(r["period"], r["count"], r["minutes"]) for r in rows] == [("C001", 2, 100)]


@pytest.mark.parametrize("by, expected", [
    ("client", {("C001", "practice"): 2, ("C002", "practice"): 2, ("C003", "practice"): 1,
                (None, "supervision"): 1, (None, "therapy"): 1}),
    ("setting", {("Northgate", "practice"): 2, ("Riverside clinic", "practice"): 2, (None, "therapy"): 1,
                 (None, "supervision"): 1, (None, "practice"): 1}),
    ("mode", {("video", "practice"): 5, (None, "therapy"): 1, (None, "supervision"): 1}),
    ("format", {("group", "supervision"): 1, ("individual", "therapy"): 1, ("individual", "practice"): 5}),
])
def test_report_by_client_setting_mode_and_format(caseload, by, expected):
    rows = caseload("report", "--by", by, "--json").json()
    assert {(r["period"], r["kind"]): r["count"] for r in rows} == expected


def test_report_by_day(caseload):
    rows = caseload("report", "--by", "day", "--since", day(1)[:10], "--json").json()
    assert {(r["period"], r["kind"]): r["count"] for r in rows} == {
        (day(1)[:10], "therapy"): 1, (day(1)[:10], "supervision"): 1, (day(1)[:10], "practice"): 1}


@pytest.mark.parametrize("by, heading", [("with", "with"), ("setting", "setting"), ("month", "month"),
                                         ("day", "date"), ("client", "client")])
def test_report_table_heads_its_first_column_by_the_grouping_and_counts_as_csv_does(caseload, by, heading):
    table = caseload("report", "--by", by).stdout.splitlines()
    assert table[0].split() == [heading, "kind", "count", "hours"]
    assert "count" in caseload("report", "--by", by, "--csv").stdout.splitlines()[0].split(",")


def test_report_by_with_names_sessions_without_anyone(caseload):
    table = caseload("report", "--by", "with", "--kind", "supervision", "--kind", "therapy").stdout
    assert "Alice Moreno" in table and "Dr Martin" in table
