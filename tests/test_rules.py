"""The rules engine, worked by hand from each profile's own wording, with exact figures."""

from __future__ import annotations

import re
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.changing import Changes, delete_entry, edit_entry, restore_entry
from journal.db import open_journal
from journal.entries import SessionInput, add_session, get_entry
from journal.rules import check_profiles
from journal.rules.data import Measure, fetch
from journal.rollups import RULE_TOTALS
from journal.settings import set_setting

from rules_data import LONDON, check_one, credit, log, rule, weekly, write_profile


# BACP: "at least 1.5 h of supervision in every calendar month ... not an average".

def test_bacp_an_hour_every_three_weeks_fails_some_months(journal):
    for day in weekly("2026-01-05", 26):  # client work every Monday, January to June
        log(journal, "practice", 50, day)
    for day in weekly("2026-01-05", 9, every_days=21):  # 5 Jan, 26 Jan, 16 Feb, 9 Mar, 30 Mar, 20 Apr, 11 May, 1 Jun, 22 Jun
        log(journal, "supervision", 60, day, person="Alice")
    result = rule(check_one(journal, "bacp-practice", "2026-06-30"), "monthly-supervision")
    # 9 h over 6 months is 1.5 h a month on average, yet three months have 1 h only.
    assert result["met"] is False
    assert (result["value"], result["threshold"], result["unit"]) == (3, 6, "months")
    assert result["failing_periods"] == [
        {"period": "2026-02", "value": 1.0, "short": 0.5},
        {"period": "2026-04", "value": 1.0, "short": 0.5},
        {"period": "2026-05", "value": 1.0, "short": 0.5},
    ]


def test_bacp_one_and_a_half_hours_every_month_passes(run, journal):
    for day in weekly("2026-01-05", 26):
        log(journal, "practice", 50, day)
    for month in range(1, 7):
        log(journal, "supervision", 90, date(2026, month, 10), person="Alice")
    result = run("check", "--profile", "bacp-practice", "--as-of", "2026-06-30", "--json")
    assert result.exit_code == 0, result.stderr
    monthly = rule(result.json(), "monthly-supervision")
    assert (monthly["met"], monthly["value"], monthly["threshold"], monthly["failing_periods"]) == (True, 6, 6, [])


def test_check_names_the_failing_month_and_exits_3(run, journal):
    log(journal, "practice", 50, "2026-01-12")
    log(journal, "practice", 50, "2026-02-09")
    log(journal, "supervision", 90, "2026-01-12")
    log(journal, "supervision", 60, "2026-02-09")
    result = run("check", "--profile", "bacp-practice", "--as-of", "2026-02-28")
    assert result.exit_code == 3
    assert "2026-02: 1 h of supervision, 0.5 h short" in result.stdout
    assert "1 of 2 months met" in result.stdout


def test_bacp_group_credit_half_up_to_four_then_divided_by_group_size(journal):
    for day in ("2026-03-02", "2026-04-06"):
        log(journal, "practice", 60, day)
    # March: 3 h in a group of 4 is credited 1.5 h (half). April: 3 h in a group of 6 is 0.5 h (a sixth).
    log(journal, "supervision", 180, "2026-03-03", format="group", group_size=4)
    log(journal, "supervision", 180, "2026-04-07", format="group", group_size=6)
    monthly = rule(check_one(journal, "bacp-practice", "2026-04-30"), "monthly-supervision")
    assert monthly["failing_periods"] == [{"period": "2026-04", "value": 0.5, "short": 1.0}]
    assert (monthly["value"], monthly["threshold"]) == (1, 2)
    ratio = rule(check_one(journal, "bacp-student", "2026-04-30"), "supervision-ratio")
    # 2 h of client work is no whole block of 8 h yet: nothing is due.
    assert (ratio["value"], ratio["of"], ratio["threshold"], ratio["met"]) == (2.0, 2.0, 0, True)


def test_bacp_group_of_five_is_divided_by_five(journal):
    log(journal, "practice", 60, "2026-03-02")
    log(journal, "supervision", 300, "2026-03-03", format="group", group_size=5)
    monthly = rule(check_one(journal, "bacp-practice", "2026-03-31"), "monthly-supervision")
    assert monthly["failing_periods"] == [{"period": "2026-03", "value": 1.0, "short": 0.5}]


def test_bacp_months_without_practice_are_reported_not_required(journal):
    log(journal, "practice", 60, "2026-01-05")
    log(journal, "supervision", 90, "2026-01-06")
    log(journal, "therapy", 50, "2026-02-10")  # February: no client work, only personal therapy
    log(journal, "practice", 60, "2026-04-06")  # March: nothing at all
    log(journal, "supervision", 90, "2026-04-07")
    monthly = rule(check_one(journal, "bacp-practice", "2026-04-30"), "monthly-supervision")
    assert monthly["met"] is True
    assert monthly["skipped_periods"] == [
        {"period": "2026-02", "reason": "no practice"},
        {"period": "2026-03", "reason": "no activity"},
    ]


def test_month_with_no_activity_fails_as_such(tmp_path, journal):
    path = write_profile(tmp_path, """
  - id: monthly
    title: At least 1 h of supervision every month
    type: per_period
    period: month
    kind: supervision
    min: 1
""")
    log(journal, "supervision", 60, "2026-01-15")
    log(journal, "supervision", 60, "2026-03-15")
    monthly = rule(check_one(journal, str(path), "2026-04-10"), "monthly")
    assert monthly["failing_periods"] == [{"period": "2026-02", "value": 0.0, "short": 1.0, "note": "no activity"}]
    assert monthly["in_progress"] == {"period": "2026-04", "value": 0.0, "short": 1.0, "by": "2026-04-30"}
    assert (monthly["value"], monthly["threshold"], monthly["met"]) == (2, 3, False)


def test_bacp_student_gap_ratio_and_placement_hours(journal):
    for day in weekly("2026-01-05", 8):  # 5 Jan to 23 Feb, 5 h of client work each Monday
        log(journal, "practice", 300, day)
    for day in ("2026-01-05", "2026-01-19", "2026-02-09"):
        log(journal, "supervision", 60, day)
    report = check_one(journal, "bacp-student", "2026-02-28")
    gap = rule(report, "supervision-every-two-weeks")
    assert (gap["value"], gap["threshold"], gap["unit"], gap["met"]) == (21, 14, "days", False)
    assert gap["failing_periods"] == [{"period": "2026-01-19..2026-02-09", "value": 21, "short": 7}]
    ratio = rule(report, "supervision-ratio")  # 40 h of client work needs 5 h of supervision
    assert (ratio["value"], ratio["threshold"], ratio["missing"], ratio["met"]) == (3.0, 5.0, 2.0, False)
    hours = rule(report, "placement-hours")
    assert (hours["value"], hours["missing"], hours["met"]) == (40.0, 60.0, False)


# California: a week without a supervision unit counts zero hours.

def test_california_week_without_supervision_counts_zero(journal):
    # W10: 8 h with 1 h individual supervision: counted.
    log(journal, "practice", 480, "2026-03-02")
    log(journal, "supervision", 60, "2026-03-03")
    # W11: 6 h and no supervision: counts zero.
    log(journal, "practice", 360, "2026-03-09")
    # W12: 12 h (over 10) needs two units; one hour individual is one unit: counts zero.
    log(journal, "practice", 720, "2026-03-16")
    log(journal, "supervision", 60, "2026-03-17")
    # W13: 12 h with 1 h individual and 2 h of group (one more unit): counted.
    log(journal, "practice", 720, "2026-03-23")
    log(journal, "supervision", 60, "2026-03-24")
    log(journal, "supervision", 120, "2026-03-25", format="group", group_size=6)
    report = check_one(journal, "ca-lpcc", "2026-03-31")
    weekly_rule = rule(report, "weekly-units")
    assert weekly_rule["failing_periods"] == [
        {"period": "2026-W11", "value": 0.0, "short": 1.0, "hours_not_counted": 6.0},
        {"period": "2026-W12", "value": 1.0, "short": 1.0, "hours_not_counted": 12.0},
    ]
    # Experience: W10 8 h + 1 h of supervision, W13 12 h + 3 h of supervision (non-clinical) = 24 h.
    assert (weekly_rule["value"], weekly_rule["threshold"], weekly_rule["missing"]) == (24.0, 3000, 2976.0)
    # 24 h counted since 2 March, the first of the 30 days of history: 24 / 30 * 7 = 5.6 h a week;
    # 2,976 h at 0.8 h a day is 3,720 days.
    assert weekly_rule["pace"] == 5.6
    assert weekly_rule["projected"] == "2036-06-06"
    assert rule(report, "direct-hours")["value"] == 20.0  # 8 h + 12 h of counselling
    assert rule(report, "supervised-weeks")["value"] == 2  # W10 and W13


def test_sunday_week_start_names_weeks_after_their_monday(journal):
    set_setting(journal, "week_start", "sunday")
    log(journal, "practice", 360, "2026-03-08")  # a Sunday: the week of Sunday 8 March, holding Monday 9 March (W11)
    weekly_rule = rule(check_one(journal, "ca-lpcc", "2026-03-31"), "weekly-units")
    assert [p["period"] for p in weekly_rule["failing_periods"]] == ["2026-W11"]


# UKCP humanistic and integrative trainees: 160 h, at least 40 h in each of 4 twelve-month periods.

def _ukcp_trainee(journal, hours_per_period: list[int]) -> None:
    set_setting(journal, "training_start", "2022-09-01")
    for index, hours in enumerate(hours_per_period):
        for day in weekly(f"{2022 + index}-09-05", hours):
            log(journal, "therapy", 60, day, person="Dr Martin")


def test_ukcp_trainee_with_160_hours_and_a_35_hour_year_fails(run, journal):
    _ukcp_trainee(journal, [45, 35, 40, 40])
    result = run("check", "--profile", "ukcp-trainee-therapy", "--as-of", "2026-09-01", "--json")
    assert result.exit_code == 3
    report = result.json()
    total = rule(report, "therapy-total")
    assert (total["met"], total["value"], total["threshold"], total["missing"]) == (True, 160.0, 160, 0.0)
    periods = rule(report, "therapy-each-year")
    assert (periods["met"], periods["value"], periods["threshold"], periods["unit"]) == (False, 3, 4, "periods")
    assert periods["failing_periods"] == [{"period": "2023-09-01..2024-08-31", "value": 35.0, "short": 5.0}]


def test_ukcp_periods_start_at_first_session_without_training_start(journal):
    for day in weekly("2024-01-10", 40):
        log(journal, "therapy", 60, day)
    periods = rule(check_one(journal, "ukcp-trainee-therapy", "2025-06-30"), "therapy-each-year")
    assert (periods["value"], periods["threshold"], periods["failing_periods"]) == (1, 4, [])
    assert periods["in_progress"] == {"period": "2025-01-10..2026-01-09", "value": 0.0, "short": 40.0,
                                      "by": "2026-01-09"}


# Totals: what is missing, the pace of the last 90 days and the projected date.

def test_total_missing_pace_and_projection(run, journal):
    for day in weekly("2024-01-03", 82):
        log(journal, "therapy", 60, day)
    for day in weekly("2026-04-03", 18, every_days=5):  # 18 h between 3 April and 1 June
        log(journal, "therapy", 60, day)
    total = rule(check_one(journal, "eap-ecp", "2026-06-30"), "therapy-total")
    # 18 h in 90 days is 1.4 h a week; the 150 h missing take 750 days at that pace.
    assert (total["value"], total["missing"], total["pace"], total["projected"]) == (100.0, 150.0, 1.4, "2028-07-19")
    text = run("check", "-p", "eap-ecp", "--as-of", "2026-06-30").stdout
    assert "100 h of therapy (at least 250 h); 150 h still missing; pace 1.4 h a week" in text
    assert "reaching it on 2028-07-19" in text


def test_as_of_and_since_bound_what_counts(journal):
    log(journal, "therapy", 60, "2025-01-10")
    log(journal, "therapy", 60, "2026-01-10")
    log(journal, "therapy", 60, "2026-06-10")
    assert rule(check_one(journal, "eap-ecp", "2026-03-01"), "therapy-total")["value"] == 2.0
    assert rule(check_one(journal, "eap-ecp", "2026-07-01", since="2026-01-01"), "therapy-total")["value"] == 2.0


def test_hours_after_qualifying_need_the_setting(journal):
    log(journal, "practice", 600, "2025-05-01")
    log(journal, "supervision", 90, "2025-05-02")
    log(journal, "practice", 300, "2025-09-01")
    log(journal, "supervision", 90, "2025-09-02")
    after = rule(check_one(journal, "bacp-accreditation", "2025-12-31"), "practice-after-qualifying")
    assert (after["value"], after["met"]) == (0.0, False)
    assert "journal config qualified_on" in after["note"]
    set_setting(journal, "qualified_on", "2025-07-01")
    after = rule(check_one(journal, "bacp-accreditation", "2025-12-31"), "practice-after-qualifying")
    assert (after["value"], after["missing"]) == (5.0, 145.0)


# ICF: hours, paid hours, distinct clients (a group counts each member), recent hours.

def test_icf_clients_paid_and_group_members(journal):
    set_setting(journal, "training_start", "2026-01-05")
    for number in range(1, 7):
        log(journal, "practice", 60, f"2026-02-0{number}", client=f"C00{number}", paid=True)
    log(journal, "practice", 60, "2026-02-07", client="C001", paid=True)  # the same client again
    log(journal, "practice", 120, "2026-02-10", client="G01", format="group", group_size=12, paid=False)
    log(journal, "practice", 120, "2026-02-11", client="G02", format="group", group_size=20, paid=False)
    report = check_one(journal, "icf-acc", "2026-02-28")
    # 6 individual clients + a group of 12; a group of 20 is over ICF's 15 and counts neither clients nor hours.
    assert rule(report, "clients")["value"] == 18
    assert rule(report, "coaching-hours")["value"] == 9.0  # 7 h + 2 h of the group of 12
    paid = rule(report, "paid-hours")
    assert (paid["value"], paid["missing"]) == (7.0, 68.0)
    assert rule(report, "recent-hours")["value"] == 9.0


def test_icf_recent_hours_count_back_eighteen_months(journal):
    set_setting(journal, "training_start", "2024-01-01")
    log(journal, "practice", 600, "2024-08-28")
    log(journal, "practice", 600, "2024-08-29")
    recent = rule(check_one(journal, "icf-acc", "2026-02-28"), "recent-hours")
    assert recent["value"] == 10.0  # 2024-08-29 is the first day of the 18 months ending 2026-02-28


def test_icf_mentor_span_in_months(journal):
    log(journal, "supervision", 240, "2026-01-10", tags=["mentor"])
    log(journal, "supervision", 360, "2026-03-09", tags=["mentor"])
    report = check_one(journal, "icf-mentor", "2026-03-31")
    span = rule(report, "over-three-months")
    assert (span["value"], span["threshold"], span["missing"], span["projected"]) == (1, 3, 2, "2026-04-10")
    assert rule(report, "mentor-hours")["met"] is True


def test_texas_group_share_and_monthly_supervision(journal):
    log(journal, "practice", 600, "2026-05-04")
    log(journal, "supervision", 120, "2026-05-05")
    log(journal, "supervision", 180, "2026-05-12", format="group", group_size=3)
    report = check_one(journal, "tx-lpc", "2026-05-31")
    share = rule(report, "group-share")
    assert (share["value"], share["threshold"], share["unit"], share["met"]) == (60.0, 50, "%", False)
    monthly = rule(report, "monthly-supervision")
    assert monthly["met"] is True  # 5 h in May, at least 4


def test_emdr_counts_tagged_sessions_and_clients(journal):
    for number in range(1, 4):
        log(journal, "practice", 60, f"2026-03-0{number}", client=f"E0{number}", tags=["EMDR"])
    log(journal, "practice", 60, "2026-03-05", client="E09")  # not tagged: not an EMDR session
    log(journal, "supervision", 90, "2026-03-06", tags=["emdr"])
    report = check_one(journal, "emdr-europe", "2026-03-31")
    assert rule(report, "clients")["value"] == 3
    assert rule(report, "sessions")["value"] == 3
    assert rule(report, "consultant-supervision")["value"] == 1.5


def test_clock_hour_credit_counts_45_to_59_minutes_as_an_hour(tmp_path, journal):
    path = write_profile(tmp_path, """
  - id: clock-hours
    title: At least 10 clock hours of client contact
    type: total
    kind: practice
    credit: clock-hour
    min: 10
""")
    for minutes in (45, 50, 55, 30, 60):
        log(journal, "practice", minutes, "2026-03-02")
    total = rule(check_one(journal, str(path), "2026-03-31"), "clock-hours")
    assert total["value"] == 4.5  # 60 + 60 + 60 + 30 + 60 minutes, not the 4 h logged


def test_deleted_sessions_do_not_count(journal):
    log(journal, "therapy", 60, "2026-03-02")
    log(journal, "therapy", 60, "2026-03-03")
    journal.execute("UPDATE entries SET deleted_at = '2026-03-04T00:00:00Z' WHERE date = '2026-03-03'")
    assert rule(check_one(journal, "eap-ecp", "2026-03-31"), "therapy-total")["value"] == 1.0


# The command line: defaults from settings, JSON shapes, errors.

def test_check_without_profile_or_setting_says_what_to_type(run):
    run("init")
    result = run("check")
    assert result.exit_code == 2
    assert "--profile" in result.stderr and "journal config profiles" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_check_uses_the_profiles_setting_and_lists_several(run, journal):
    set_setting(journal, "profiles", "eap-ecp,ukcp-cpd")
    log(journal, "therapy", 60, "2026-03-02")
    result = run("check", "--as-of", "2026-03-31", "--json")
    assert result.exit_code == 3
    reports = result.json()
    assert [r["profile"] for r in reports] == ["eap-ecp", "ukcp-cpd"]
    assert set(reports[0]) >= {"profile", "as_of", "met", "rules"}
    assert set(reports[0]["rules"][0]) >= {"id", "title", "met", "value", "threshold", "unit",
                                           "failing_periods", "missing", "pace", "projected"}
    assert reports[0]["as_of"] == "2026-03-31"


def test_check_bad_as_of_is_a_usage_error(run):
    run("init")
    result = run("check", "-p", "eap-ecp", "--as-of", "someday")
    assert result.exit_code == 2
    assert "cannot understand the date 'someday'" in result.stderr


# Property: adding a session never turns a met minimum into an unmet one.

PROPERTY_PROFILE = """
  - id: therapy-total
    title: therapy
    type: total
    kind: therapy
    min: 6
  - id: recent-practice
    title: recent practice
    type: total
    kind: practice
    window: {months: 6}
    min: 4
  - id: credited-supervision
    title: supervision with group credit
    type: total
    kind: supervision
    credit: bacp-group
    min: 2
  - id: clients
    title: clients
    type: clients
    kind: practice
    group_members: 15
    min: 3
  - id: monthly-supervision
    title: monthly supervision
    type: per_period
    period: month
    kind: supervision
    credit: bacp-group
    min: 1
  - id: yearly-therapy
    title: therapy each twelve months
    type: per_period
    period: twelve-months
    periods: 2
    kind: therapy
    min: 3
"""

session_strategy = st.fixed_dictionaries({
    "kind": st.sampled_from(["therapy", "supervision", "practice"]),
    "day": st.integers(min_value=0, max_value=450),
    "minutes": st.sampled_from([30, 45, 50, 60, 90, 180]),
    "group": st.one_of(st.none(), st.integers(min_value=2, max_value=8)),
    "client": st.sampled_from(["C1", "C2", "C3", "G4"]),
})


def _store(journal, session: dict) -> None:
    options = {"paid": session.get("paid"), "tags": session.get("tags", [])}
    if session["kind"] == "practice":
        options["client"] = session["client"]
    if session["kind"] != "therapy" and session["group"]:
        options.update(format="group", group_size=session["group"])
    log(journal, session["kind"], session["minutes"], date(2025, 1, 1) + timedelta(days=session["day"]), **options)


@pytest.mark.slow  # a property test over many journals
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sessions=st.lists(session_strategy, max_size=25), extra=session_strategy)
def test_adding_a_session_never_unmeets_a_minimum(sessions, extra):
    with tempfile.TemporaryDirectory() as folder:
        profile = write_profile(Path(folder), PROPERTY_PROFILE)
        journal = open_journal(Path(folder) / "journal.db")
        try:
            set_setting(journal, "training_start", "2025-01-01")
            for session in sessions:
                _store(journal, session)
            window = dict(as_of=date(2026, 3, 31), since=date(2025, 1, 1))
            [before] = check_profiles(journal, [str(profile)], **window)
            _store(journal, extra)
            [after] = check_profiles(journal, [str(profile)], **window)
        finally:
            journal.close()
    for old, new in zip(before["rules"], after["rules"]):
        assert not (old["met"] and not new["met"]), (old, new)
        assert new["value"] >= old["value"], (old, new)


def test_clients_in_a_window_are_those_seen_in_it(tmp_path, journal):
    path = write_profile(tmp_path, """
  - id: recent-clients
    title: At least 2 clients in the last 6 months
    type: clients
    kind: practice
    window: {months: 6}
    min: 2
""")
    log(journal, "practice", 50, "2025-01-10", client="C001")
    log(journal, "practice", 50, "2025-12-10", client="C001")  # seen again inside the window
    log(journal, "practice", 50, "2025-01-11", client="C002")  # only before it
    recent = rule(check_one(journal, str(path), "2026-01-31"), "recent-clients")
    assert (recent["value"], recent["missing"], recent["met"]) == (1, 1, False)


def test_a_break_in_client_work_excuses_a_supervision_gap(journal):
    for day in [*weekly("2026-06-01", 5), *weekly("2026-09-07", 3)]:  # June, then September after a summer break
        log(journal, "practice", 60, day)
    for day in ("2026-06-01", "2026-06-15", "2026-06-29", "2026-09-07", "2026-09-21"):
        log(journal, "supervision", 60, day)
    gap = rule(check_one(journal, "bacp-student", "2026-09-30"), "supervision-every-two-weeks")
    # 29 June to 7 September is 70 days without supervision, but no client was seen for 63 of them.
    assert (gap["met"], gap["value"], gap["failing_periods"]) == (True, 14, [])
    assert gap["skipped_periods"] == [{"period": "2026-06-29..2026-09-07", "reason": "a break in practice"}]


def test_since_after_as_of_is_refused(run):
    run("init")
    result = run("check", "-p", "eap-ecp", "--since", "2026-05-01", "--as-of", "2026-04-01")
    assert result.exit_code == 2
    assert "--since 2026-05-01 is after --as-of 2026-04-01" in result.stderr


def test_rules_across_kinds_and_a_tag_add_each_kind_up(tmp_path, journal):
    """A rule over several kinds adds each kind's sessions date by date; a tag counts its own only."""
    log(journal, "practice", 50, "2026-01-05", client="C001", tags=["EMDR"])
    log(journal, "therapy", 50, "2026-01-05")
    log(journal, "supervision", 60, "2026-01-06", tags=["emdr"])
    log(journal, "practice", 50, "2026-01-07", client="C001")
    log(journal, "practice", 50, "2026-02-02", client="C003", tags=["EMDR"])
    log(journal, "cpd", 90, "2026-01-08", tags=["EMDR"])  # tagged, but not a kind these rules count
    path = write_profile(tmp_path, """\
  - id: hours
    title: Hours of practice, supervision and therapy
    type: total
    kind: [practice, supervision, therapy]
    min: 10
  - id: emdr-sessions
    title: EMDR practice and supervision sessions
    type: total
    kind: [practice, supervision]
    tag: emdr
    measure: sessions
    min: 5
  - id: emdr-clients
    title: EMDR clients
    type: clients
    kind: [practice, supervision]
    tag: emdr
    min: 3
""")
    report = check_one(journal, str(path), "2026-03-31")
    hours = rule(report, "hours")  # 3 x 50 min of practice + 60 of supervision + 50 of therapy = 260 min
    assert (hours["value"], hours["missing"]) == (4.33, 5.67)
    assert rule(report, "emdr-sessions")["value"] == 3  # 2 practice + 1 supervision
    assert (rule(report, "emdr-clients")["value"], rule(report, "emdr-clients")["missing"]) == (2, 1)  # C001, C003


def test_a_check_holds_sqlite_page_cache_small_and_gives_it_back(journal):
    """A check reads each page once: SQLite keeps 256 KiB of them while it runs (its default is 2 MB, memory
    the process would fault in for nothing), and the journal's cache is as it was afterwards."""
    log(journal, "supervision", 90, "2026-01-06")
    before = journal.execute("PRAGMA cache_size").fetchone()[0]
    statements: list[str] = []
    journal.conn.set_trace_callback(statements.append)
    try:
        check_profiles(journal, ["bacp-practice"], as_of=date(2026, 3, 31))
    finally:
        journal.conn.set_trace_callback(None)
    held = statements.index("PRAGMA cache_size = -256")
    assert statements[held - 1] == "PRAGMA cache_size" and statements[-1] == f"PRAGMA cache_size = {before}"
    assert any(" FROM rule_totals e " in statement for statement in statements[held:-1])
    assert journal.execute("PRAGMA cache_size").fetchone()[0] == before
    with pytest.raises(ZeroDivisionError), journal.page_cache(64):  # given back when the block fails too
        assert journal.execute("PRAGMA cache_size").fetchone()[0] == -64
        1 / 0
    assert journal.execute("PRAGMA cache_size").fetchone()[0] == before


def test_checks_read_the_rollup_and_client_indexes_not_the_session_rows(journal):
    """Each kind's pass reads migration 0018's rollup by its key, each counted tag's pass its rollup of
    that tag, and each client code is met through the client indexes: no session row is read and no
    index of sessions is scanned."""
    from journal.rules.profiles import SHIPPED

    log(journal, "practice", 50, "2026-01-05", client="C001", paid=True, format="group", group_size=3)
    log(journal, "supervision", 60, "2026-01-06", format="group", group_size=5, tags=["mentor"])
    log(journal, "therapy", 50, "2026-01-07")
    log(journal, "cpd", 90, "2026-01-08")
    # A session under way, so that what sessions not ended yet add is taken away (with none, nothing is).
    add_session(journal, SessionInput(kind="cpd", minutes=60, at=datetime.now(LONDON) - timedelta(minutes=5)))
    statements: list[str] = []
    journal.conn.set_trace_callback(statements.append)
    try:
        check_profiles(journal, [p for p in SHIPPED if p != "emdr-europe"], as_of=date(2026, 3, 31))
    finally:
        journal.conn.set_trace_callback(None)
    # Every pass reads one kind (of one tag, or of all sessions) and leaves the kind out of its rows.
    passes = [s for s in statements if s.startswith("SELECT e.date,")]
    # What sessions not ended yet add is taken away: the same query over them alone, found by their
    # start (within a day), after each pass.
    planned = [s for s in passes if "INDEXED BY entries_live_start" in s]
    passes = [s for s in passes if s not in planned]
    rollup = [s for s in passes if "FROM rule_totals e" in s]
    assert sorted(re.search(r"e\.kind = '(\w+)'", s)[1] for s in rollup) == [
        "cpd", "practice", "supervision", "therapy"]
    for statement in rollup:
        plan = " ".join(row[3] for row in journal.execute("EXPLAIN QUERY PLAN " + statement))
        assert plan == "SEARCH e USING PRIMARY KEY (kind=? AND date<?)", statement
    # The other passes read the rollup of the tags that some profiles count (mentor, assessment, cpd).
    tagged = [s for s in passes if s not in rollup]
    assert len(tagged) == 3 and all("FROM tag_totals e WHERE e.tag_id = " in s for s in tagged)
    for statement in tagged:
        plan = " ".join(row[3] for row in journal.execute("EXPLAIN QUERY PLAN " + statement))
        assert plan == "SEARCH e USING PRIMARY KEY (tag_id=? AND kind=? AND date<?)", statement
    assert len(planned) == len(passes)
    for statement in planned:
        plan = [row[3] for row in journal.execute("EXPLAIN QUERY PLAN " + statement)]
        assert [step for step in plan if step.startswith(("SEARCH entries", "SCAN entries"))] == [
            "SEARCH entries USING INDEX entries_live_start (start_utc>?)"], statement
    clients = [s for s in statements if "WITH RECURSIVE codes" in s]
    assert len(clients) == 1  # the three ICF profiles count the same clients
    plan = [row[3] for row in journal.execute("EXPLAIN QUERY PLAN " + clients[0])]
    searches = [step for step in plan if step.startswith("SEARCH")]
    assert searches == [
        "SEARCH entries USING COVERING INDEX entries_live_kind_client (kind=? AND client_code>?)",
        "SEARCH entries USING COVERING INDEX entries_live_kind_client (kind=? AND client_code>?)",
    ] + [  # the first day (read once: a code without one is left out in Python), the last day
        "SEARCH e USING COVERING INDEX entries_live_kind_client (kind=? AND client_code=? AND date<?)",
    ] * 2 + [
        "SEARCH e USING COVERING INDEX entries_live_kind_client_group (kind=? AND client_code=? AND group_size>?)",
    ]


# The per-date series and distinct clients that `journal check` reads agree with a direct count of
# the live sessions, on random journals with edits, deletions and restores.

COUNTED = [
    Measure(("practice",)), Measure(("practice",), paid=True), Measure(("practice",), paid=False),
    Measure(("practice",), credit="clock-hour"), Measure(("supervision",), format="group"),
    Measure(("supervision",), format="individual"), Measure(("supervision",), credit="bacp-group"),
    Measure(("practice", "supervision"), measure="sessions"), Measure(("therapy", "practice")),
    Measure(("practice", "supervision"), tag="emdr", measure="sessions"),
    Measure(("supervision",), credit="bacp-group", exclude_peer=True), Measure(("practice",), max_group=3),
    Measure(("supervision",), format="individual", individual_up_to=2),
]
CLIENTS = [
    Measure(("practice",)), Measure(("practice",), paid=True), Measure(("practice",), format="group"),
    Measure(("practice",), format="individual"), Measure(("practice", "supervision"), tag="emdr"),
]

change_strategy = st.tuples(
    st.sampled_from(["edit", "delete", "restore", "regroup"]), st.integers(min_value=0, max_value=40),
    st.integers(min_value=0, max_value=450), st.sampled_from([30, 45, 50, 60, 90]),
    st.sampled_from(["C1", "C2", "C3", "G4"]), st.booleans(),
    st.tuples(st.sampled_from(["individual", "group", "peer"]), st.one_of(st.none(), st.integers(2, 8))),
)


@pytest.mark.slow  # a property test over many journals and edits
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sessions=st.lists(st.tuples(session_strategy, st.booleans(), st.booleans()), max_size=30),
       changes=st.lists(change_strategy, max_size=12),
       window=st.sampled_from([(None, "2026-03-31"), ("2025-03-01", "2025-11-30"), (None, "2025-06-30")]))
def test_counts_agree_with_a_direct_count_of_live_sessions(sessions, changes, window):
    with tempfile.TemporaryDirectory() as folder:
        journal = open_journal(Path(folder) / "journal.db")
        try:
            for session, paid, tagged in sessions:
                _store(journal, {**session, "paid": paid if session["kind"] == "practice" else None,
                                 "tags": ["EMDR"] if tagged else []})
            ids = [row[0] for row in journal.execute("SELECT id FROM entries ORDER BY id")]
            for action, index, day, minutes, client, paid, (form, size) in changes if ids else ():
                entry = get_entry(journal, ids[index % len(ids)], include_deleted=True)
                if action == "restore" and entry.get("deleted"):
                    restore_entry(journal, entry["id"])
                elif action == "delete" and not entry.get("deleted"):
                    delete_entry(journal, entry["id"])
                elif action == "regroup" and not entry.get("deleted"):
                    size = None if form == "individual" else size
                    edit_entry(journal, entry["id"], Changes(format=form, group_size=size), again=True)
                elif action == "edit" and not entry.get("deleted"):
                    practice = entry["kind"] == "practice"
                    at = datetime.combine(date(2025, 1, 1) + timedelta(days=day), time(10, 0), tzinfo=LONDON)
                    edit_entry(journal, entry["id"], Changes(at=at, minutes=minutes, client=client if practice else None,
                                                             paid=paid if practice else None), again=True)
            since, as_of = (date.fromisoformat(d) if d else None for d in window)
            counts = fetch(journal, set(COUNTED), set(CLIENTS), since, as_of)
            drift = RULE_TOTALS.drift(journal.conn)
            live = journal.query(
                "SELECT e.*, (SELECT group_concat(t.key) FROM entry_tags et JOIN tags t ON t.id = et.tag_id "
                "WHERE et.entry_id = e.id) AS tags FROM entries e WHERE e.deleted_at IS NULL "
                "AND e.date <= ? AND e.date >= ?", (as_of.isoformat(), since.isoformat() if since else ""))
        finally:
            journal.close()
    assert drift == 0  # the triggers kept migration 0006's rollup in step with every change
    for session in live:
        session["tags"] = (session["tags"] or "").split(",")
    for measure in COUNTED:
        expected: dict[str, float] = {}
        for session in live:
            amount = credit(session, measure)
            if amount is not None:
                expected[session["date"]] = expected.get(session["date"], 0) + amount / measure.divisor
        expected = {day: value for day, value in expected.items() if value}
        series = counts.series[measure]
        assert series.dates == sorted(expected), measure
        assert [series.total(date.fromisoformat(d), date.fromisoformat(d)) for d in series.dates] == pytest.approx(
            [expected[d] for d in series.dates]), measure
    for measure in CLIENTS:
        expected_clients: dict[str, list] = {}
        for session in live:
            if session["client_code"] is None or credit(session, measure) is None:
                continue
            seen = expected_clients.setdefault(session["client_code"], [session["date"], session["date"], None])
            seen[0], seen[1] = min(seen[0], session["date"]), max(seen[1], session["date"])
            if session["format"] in ("group", "peer") and session["group_size"] is not None:
                seen[2] = max(seen[2] or 0, session["group_size"])
        found = {code: [c.first, c.last, c.group_size] for code, c in counts.clients[measure].items()}
        assert found == expected_clients, measure


def test_a_large_import_rebuilds_the_rule_totals_and_keeps_their_trigger(run, journal, tmp_path):
    """From 10,000 records the importer sets the rollup's trigger aside and rebuilds it once."""
    import json

    from journal.importers.core import BULK_FROM

    first = datetime(2024, 1, 1, tzinfo=LONDON)
    records = [{"kind": ("practice", "supervision", "therapy")[n % 3],
                "start": (first + timedelta(hours=n)).isoformat(), "tz": "Europe/London", "minutes": (45, 50, 60, 90)[n % 4], "source_key": f"test:{n}",
                **({"client": f"C{n % 7}", "paid": n % 5 != 0} if n % 3 == 0 else {}),
                **({"format": "group", "group_size": 2 + n % 7} if n % 11 == 0 and n % 3 != 2 else {})}
               for n in range(BULK_FROM)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps(records))
    assert f"{BULK_FROM} added" in run("import", "json", str(path)).stderr
    result = run("db", "check")
    assert result.exit_code == 0 and "rule totals:   ok" in result.stdout.splitlines()
    run("log", "practice", "50m", "--at", "2026-01-05 10:00", "--client", "C9")
    assert "rule totals:   ok" in run("db", "check").stdout.splitlines()
    assert journal.execute("SELECT sum(count), sum(minutes) FROM rule_totals").fetchone() == (
        BULK_FROM + 1, sum(r["minutes"] for r in records) + 50)


def test_db_check_finds_rule_totals_out_of_step_and_repairs_them(run, journal):
    log(journal, "practice", 50, "2026-01-05", client="C001", paid=True)
    log(journal, "practice", 45, "2026-01-06", client="C002", format="group", group_size=6)
    log(journal, "supervision", 60, "2026-01-07", format="group", group_size=5)
    expected = run("check", "--profile", "icf-acc", "--profile", "bacp-practice", "--as-of", "2026-03-31",
                   "--json").stdout
    journal.execute("UPDATE rule_totals SET minutes = minutes + 600 WHERE kind = 'practice'")
    journal.conn.commit()
    assert run("check", "--profile", "icf-acc", "--profile", "bacp-practice", "--as-of", "2026-03-31",
               "--json").stdout != expected  # the checks read the rollup
    result = run("db", "check")
    assert result.exit_code == 1
    assert "rule totals:   2 row(s) out of step; `journal db check --repair` rebuilds them" in result.stdout
    repaired = run("db", "check", "--repair")
    assert repaired.exit_code == 0 and "rule totals:   ok" in repaired.stdout
    assert run("check", "--profile", "icf-acc", "--profile", "bacp-practice", "--as-of", "2026-03-31",
               "--json").stdout == expected
