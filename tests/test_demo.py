"""`journal demo`: a realistic three-year record of a UK trainee counsellor, deterministic by seed."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

import pytest

from conftest import file_digest
from journal.db import open_journal
from journal.demo import build_demo, easter, training_start
from journal.templates import get_template

END = date(2026, 8, 31)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "journal.db"
    summary = build_demo(path, years=3, seed=7, end=END)
    journal = open_journal(path)
    yield summary, journal
    journal.close()


def rows(journal, sql, params=()):
    return journal.query(sql, params)


def test_the_record_spans_three_years_from_a_september_start(demo):
    summary, journal = demo
    first, last = rows(journal, "SELECT min(date) AS a, max(date) AS b FROM entries")[0].values()
    assert first == "2023-09-12"  # the first Tuesday therapy session after the Monday start
    assert last <= END.isoformat()
    assert training_start(END, 3) == date(2023, 9, 11)
    assert summary.counts == dict(Counter(r["kind"] for r in rows(journal, "SELECT kind FROM entries")))


def test_weekly_personal_therapy_with_the_same_therapist_and_holiday_breaks(demo):
    _, journal = demo
    therapy = rows(journal, "SELECT date, minutes, person_id FROM entries WHERE kind = 'therapy'")
    assert {r["minutes"] for r in therapy} == {50}
    assert len({r["person_id"] for r in therapy}) == 1
    days = [date.fromisoformat(r["date"]) for r in therapy]
    assert {d.weekday() for d in days} == {1}  # Tuesdays
    for day in days:
        assert not (day.month == 12 and day.day >= 20) and not (day.month == 1 and day.day <= 3)
        assert not (day.month == 8 and day.day <= 14)
        assert not (easter(day.year) - timedelta(days=2) <= day <= easter(day.year) + timedelta(days=1))
    # about weekly: three years of Tuesdays less about seven weeks of breaks a year
    assert 125 <= len(days) <= 145


def test_fortnightly_individual_and_monthly_group_supervision(demo):
    _, journal = demo
    individual = [date.fromisoformat(r["date"]) for r in rows(
        journal, "SELECT date FROM entries WHERE kind = 'supervision' AND format = 'individual' ORDER BY date")]
    gaps = Counter((b - a).days for a, b in zip(individual, individual[1:]))
    assert gaps.most_common(1)[0][0] == 14
    group = rows(journal, "SELECT date, minutes, group_size, format FROM entries "
                          "WHERE kind = 'supervision' AND format = 'group' ORDER BY date")
    assert {(r["minutes"], r["group_size"]) for r in group} == {(120, 4)}
    months = [r["date"][:7] for r in group]
    assert len(months) == len(set(months))  # at most one a month
    assert not any(m.endswith("-08") for m in months)
    assert len(group) >= 25


def test_a_growing_caseload_of_pseudonymous_clients(demo):
    _, journal = demo
    practice = rows(journal, "SELECT date, minutes, client_code, setting FROM entries WHERE kind = 'practice'")
    codes = {r["client_code"] for r in practice}
    assert all(re.fullmatch(r"[CS]\d{3}", code) for code in codes)
    assert {r["setting"] for r in practice} == {"Riverside Counselling Service",
                                                 "Northgate University Student Wellbeing"}
    per_year = Counter(r["date"][:4] for r in practice)
    assert per_year["2024"] < per_year["2025"]
    weekly = Counter(date.fromisoformat(r["date"]).isocalendar()[:2] for r in practice)
    assert max(weekly.values()) <= 7  # realistic trainee weeks: at most seven clients
    assert 40 <= len(codes) <= 120
    first_sessions = rows(journal, "SELECT count(*) AS n FROM entries WHERE title = 'Assessment'")[0]["n"]
    assert first_sessions == len(codes)


def test_cpd_days_have_titles(demo):
    _, journal = demo
    cpd = rows(journal, "SELECT title, minutes FROM entries WHERE kind = 'cpd'")
    assert 4 <= len(cpd) <= 8
    assert all(r["title"] for r in cpd)
    assert {"Safeguarding adults and children", "Working with shame"} <= {r["title"] for r in cpd}


def test_a_few_dozen_reflections_with_varied_templates(demo):
    _, journal = demo
    reflections = rows(journal, "SELECT body, template, shared, on_id, title FROM entries WHERE kind = 'reflection'")
    assert 25 <= len(reflections) <= 40
    templates = Counter(r["template"] for r in reflections)
    assert len(templates) >= 7
    for r in reflections:
        headings = re.findall(r"^## (.+)$", r["body"], re.M)
        assert headings == [s.heading for s in get_template(r["template"]).sections]
        assert "{client}" not in r["body"]
    assert 10 <= sum(r["shared"] for r in reflections) < len(reflections)
    assert len({r["title"] for r in reflections}) == len(reflections)  # no repeated entries


def test_no_shared_reflection_is_on_therapy_or_names_a_client(demo):
    _, journal = demo
    shared = rows(journal, "SELECT r.body, t.kind AS on_kind FROM entries r "
                           "LEFT JOIN entries t ON t.id = r.on_id WHERE r.kind = 'reflection' AND r.shared = 1")
    assert all(r["on_kind"] != "therapy" for r in shared)
    assert not any(re.search(r"\b[CS]\d{3}\b", r["body"]) for r in shared)
    private = rows(journal, "SELECT body FROM entries WHERE kind = 'reflection' AND shared = 0")
    assert any(re.search(r"\b[CS]\d{3}\b", r["body"]) for r in private)


def test_settings_and_the_supervisor_login(demo):
    summary, journal = demo
    settings = dict(journal.execute("SELECT key, value FROM settings").fetchall())
    assert settings == {"practitioner": "Sam Rivers", "timezone": "Europe/London",
                        "training_start": "2023-09-11", "profiles": "bacp-student,ukcp-trainee-therapy"}
    assert [r["name"] for r in rows(journal, "SELECT name FROM supervisors")] == ["supervisor"]
    assert summary.supervisor == ("supervisor", "demo-supervisor")


def test_same_seed_same_journal_other_seed_other_journal(tmp_path):
    def content(path):
        journal = open_journal(path)
        try:
            return journal.query("SELECT kind, start_utc, minutes, client_code, title, body FROM entries ORDER BY id")
        finally:
            journal.close()

    build_demo(tmp_path / "a.db", seed=3, end=END, years=1)
    build_demo(tmp_path / "b.db", seed=3, end=END, years=1)
    build_demo(tmp_path / "c.db", seed=4, end=END, years=1)
    assert content(tmp_path / "a.db") == content(tmp_path / "b.db")
    assert content(tmp_path / "a.db") != content(tmp_path / "c.db")


def test_demo_command_refuses_a_journal_with_entries_unless_forced(run, db_path):
    run("log", "therapy", "50m", "--at", "2026-03-03 18:00", "--with", "Someone Real")
    before = file_digest(db_path)
    refused = run("demo", "--years", "1")
    assert refused.exit_code == 1
    assert "already has 1 entries; nothing was written" in refused.stderr
    assert file_digest(db_path) == before
    forced = run("demo", "--years", "1", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert "Supervisor login for `journal serve`: supervisor / demo-supervisor" in forced.stderr
    journal = open_journal(db_path)
    try:
        names = [r[0] for r in journal.execute("SELECT name FROM people")]
    finally:
        journal.close()
    assert "Someone Real" not in names  # a fresh file, not an addition
    backups = list(db_path.parent.glob("journal.db.before-demo-*.bak"))
    assert len(backups) == 1 and f"Your previous entries were kept in {backups[0]}" in forced.stderr
    kept = open_journal(backups[0])
    try:
        assert [r[0] for r in kept.execute("SELECT name FROM people")] == ["Someone Real"]
    finally:
        kept.close()
    again = run("demo", "--years", "1", "--force")  # replacing a demo journal keeps no backup
    assert again.exit_code == 0 and "previous entries" not in again.stderr
    assert len(list(db_path.parent.glob("*.bak"))) == 1


def test_demo_reads_back_through_the_commands(run):
    assert run("demo", "--years", "1", "--seed", "5").exit_code == 0
    by_kind = {r["period"]: r for r in run("report", "--by", "kind", "--json").json()}
    assert set(by_kind) == {"therapy", "supervision", "practice", "cpd"}
    assert run("search", "silence", "--json").json()
    assert run("db", "check").exit_code == 0


@pytest.mark.parametrize("end, years, start", [
    (date(2026, 11, 21), 3, date(2023, 9, 11)),
    (date(2026, 8, 31), 3, date(2023, 9, 11)),
    (date(2026, 2, 1), 3, date(2022, 9, 12)),
    (date(2026, 8, 31), 1, date(2025, 9, 8)),
])
def test_training_starts_in_september(end, years, start):
    assert training_start(end, years) == start
