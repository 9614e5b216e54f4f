"""Each disagreement between a profile and its body's own wording (issue 12), worked by hand.

One test per disagreement; each comment shows the arithmetic from the rule text quoted in the
profile's ``source``.
"""

from __future__ import annotations

from datetime import date, timedelta

from journal.settings import set_setting

from rules_data import check_one, log, rule, weekly


# California BBS, LPCC.

def test_ca_supervision_before_the_first_counselling_of_the_week_counts(journal):
    # Monday 2 March: 1 h of individual supervision; Wednesday 4 March: 6 h of counselling (the first ever).
    # The week 2026-W10 runs Monday to Sunday: one unit against one needed, so its 6 h count (the first week
    # used to start at the first counselling date, leaving the supervision out and the week at zero).
    log(journal, "supervision", 60, "2026-03-02")
    log(journal, "practice", 360, "2026-03-04")
    report = check_one(journal, "ca-lpcc", "2026-03-31")
    assert rule(report, "direct-hours")["value"] == 6.0
    assert rule(report, "weekly-units")["failing_periods"] == []
    assert rule(report, "weekly-units")["value"] == 7.0  # 6 h of counselling + 1 h of supervision (non-clinical)


def test_ca_week_capped_at_40_hours_counselling_first(journal):
    # 2026-W10: 45 h of counselling (over 10 h: two units needed) with 2 h individual supervision.
    # Credited: min(45, 40) = 40 h of counselling, then 40 - 40 = 0 h of the 2 h supervision.
    for day in ("2026-03-02", "2026-03-03", "2026-03-04"):
        log(journal, "practice", 900, day)  # 15 h a day
    log(journal, "supervision", 120, "2026-03-05")
    report = check_one(journal, "ca-lpcc", "2026-03-31")
    assert rule(report, "weekly-units")["value"] == 40.0
    assert rule(report, "direct-hours")["value"] == 40.0
    assert rule(report, "supervised-weeks")["value"] == 1


def test_ca_non_clinical_hours_stop_at_1250(journal):
    # 210 weeks of 1 h counselling and 6 h individual supervision (the weekly maximum of supervision):
    # counselling 210 h; non-clinical 210 x 6 = 1,260 h, of which at most 1,250 h count: 1,460 h in all.
    start = date(2022, 1, 3)  # a Monday, within the six years before 2026-06-30
    for week in range(210):
        monday = start + timedelta(weeks=week)
        log(journal, "practice", 60, monday)
        log(journal, "supervision", 360, monday + timedelta(days=1))
    report = check_one(journal, "ca-lpcc", "2026-06-30")
    assert rule(report, "weekly-units")["value"] == 1460.0
    assert rule(report, "supervised-weeks")["value"] == 210


def test_ca_supervision_over_six_hours_a_week_is_not_experience(journal):
    # 2026-W10: 2 h of counselling and 8 h of individual supervision: at most 6 h of supervision a week count.
    log(journal, "practice", 120, "2026-03-02")
    log(journal, "supervision", 480, "2026-03-03")
    assert rule(check_one(journal, "ca-lpcc", "2026-03-31"), "weekly-units")["value"] == 8.0  # 2 + 6


def test_ca_triadic_supervision_is_a_full_unit(journal):
    # 2026-W10: 4 h of counselling, 1 h of supervision with one supervisor and two supervisees (a group of 2):
    # triadic counts as individual, 1 h = 1 unit, enough. As group it would be 1 h / 2 h = half a unit.
    log(journal, "practice", 240, "2026-03-02")
    log(journal, "supervision", 60, "2026-03-03", format="group", group_size=2)
    report = check_one(journal, "ca-lpcc", "2026-03-31")
    assert rule(report, "direct-hours")["value"] == 4.0
    assert rule(report, "weekly-units")["failing_periods"] == []


def test_ca_peer_discussion_and_large_groups_are_not_supervision(journal):
    # W10: 2 h of peer supervision: not supervision (BPC 4999.46.1(b)), 0 units: the 3 h of counselling are lost.
    # W11: 2 h in a group of 9: over the 8 a group may hold, 0 units: the 3 h are lost.
    log(journal, "practice", 180, "2026-03-02")
    log(journal, "supervision", 120, "2026-03-03", format="peer", group_size=3)
    log(journal, "practice", 180, "2026-03-09")
    log(journal, "supervision", 120, "2026-03-10", format="group", group_size=9)
    weekly_rule = rule(check_one(journal, "ca-lpcc", "2026-03-31"), "weekly-units")
    assert [p["period"] for p in weekly_rule["failing_periods"]] == ["2026-W10", "2026-W11"]
    assert weekly_rule["value"] == 0.0


def test_ca_hours_older_than_six_years_do_not_count(journal):
    # As of 2026-03-31 the six years start on 2020-04-01: the week of 2020-03-02 is older and does not count.
    for day in ("2020-03-02", "2026-03-02"):
        log(journal, "practice", 120, day)
        log(journal, "supervision", 60, date.fromisoformat(day) + timedelta(days=1))
    assert rule(check_one(journal, "ca-lpcc", "2026-03-31"), "direct-hours")["value"] == 2.0


# Texas, 22 TAC §681.92 and §681.91(g).

def test_tx_two_associates_is_individual_supervision(journal):
    # 3 h with two Associates (individual: "up to two Associates") and 3 h in a group of 3 (group: "three or
    # more"): 3 of 6 h in groups is 50%, allowed. Counting the pair as a group would make it 100%.
    log(journal, "practice", 600, "2026-05-04")
    log(journal, "supervision", 180, "2026-05-05", format="group", group_size=2)
    log(journal, "supervision", 180, "2026-05-12", format="group", group_size=3)
    share = rule(check_one(journal, "tx-lpc", "2026-05-31"), "group-share")
    assert (share["value"], share["met"]) == (50.0, True)


def test_tx_hours_after_the_sixty_months_are_too_late(journal):
    # First session 2020-01-06: the 60 months end on 2025-01-05. A session on 2025-02-03 is after them.
    log(journal, "practice", 60, "2020-01-06")
    log(journal, "practice", 120, "2025-02-03")
    sixty = rule(check_one(journal, "tx-lpc", "2025-03-31"), "sixty-months")
    assert sixty["met"] is False
    assert sixty["deadline"] == "2025-01-05"
    assert sixty["failing_periods"] == [{"period": "2025-01-06..2025-02-03", "value": 2.0, "short": 2.0}]


def test_tx_profile_cites_681_92():
    from journal.rules.profiles import load_profile

    source = load_profile("tx-lpc").source
    assert "§681.92" in source and "§681.83" not in source and "§681.91(g)" in source


# ICF ACC, PCC, MCC.

def test_icf_hours_count_only_from_the_start_of_coach_training(journal):
    # Training started 1 March: the 5 h in February do not count, the 3 h in March do.
    set_setting(journal, "training_start", "2026-03-01")
    log(journal, "practice", 300, "2026-02-10", client="C001", paid=True)
    log(journal, "practice", 180, "2026-03-10", client="C002", paid=True)
    report = check_one(journal, "icf-pcc", "2026-03-31")
    hours = rule(report, "coaching-hours")
    assert (hours["value"], hours["counted_from"]) == (3.0, "2026-03-01")
    assert hours["not_counted"][0]["value"] == 5.0
    assert "before 2026-03-01 (training started)" in hours["not_counted"][0]["reason"]
    assert rule(report, "clients")["value"] == 1  # C001 was only seen before training


def test_icf_without_training_start_nothing_counts_and_says_why(journal):
    log(journal, "practice", 60, "2026-03-10", client="C001")
    hours = rule(check_one(journal, "icf-acc", "2026-03-31"), "coaching-hours")
    assert hours["value"] == 0.0
    assert "journal config training_start" in hours["note"]


def test_icf_group_of_sixteen_counts_no_clients_and_no_hours(journal):
    # A group of 15 counts 15 clients and its 2 h; a group of 16 counts nothing (today: 15 clients and 2 h).
    set_setting(journal, "training_start", "2026-01-01")
    log(journal, "practice", 120, "2026-03-02", client="G15", format="group", group_size=15)
    log(journal, "practice", 120, "2026-03-03", client="G16", format="group", group_size=16)
    report = check_one(journal, "icf-mcc", "2026-03-31")
    assert rule(report, "clients")["value"] == 15
    hours = rule(report, "coaching-hours")
    assert hours["value"] == 2.0
    assert hours["not_counted"] == [{"reason": "a group of more than 15", "value": 2.0, "recent": 2.0}]


# ICF mentor coaching.

def test_icf_mentor_counts_tagged_sessions_small_groups_and_seven_group_hours(journal):
    # Tagged mentor: 2 h one-to-one, 8 h in a group of 10, 2 h in a group of 11 (over 10: nothing).
    # Untagged: 5 h of coaching supervision (not mentor coaching). Hours: 2 + min(8, 7) = 9 of 10.
    log(journal, "supervision", 120, "2026-01-05", tags=["mentor"])
    log(journal, "supervision", 480, "2026-02-05", format="group", group_size=10, tags=["mentor"])
    log(journal, "supervision", 120, "2026-03-05", format="group", group_size=11, tags=["mentor"])
    log(journal, "supervision", 300, "2026-03-06")
    report = check_one(journal, "icf-mentor", "2026-04-30")
    hours = rule(report, "mentor-hours")
    assert (hours["value"], hours["missing"]) == (9.0, 1.0)
    reasons = {item["reason"]: item["value"] for item in hours["not_counted"]}
    assert reasons == {"a group of more than 10": 2.0, "over the 7 h of group sessions that count": 1.0}
    assert rule(report, "one-to-one")["value"] == 2.0


# BACP students.

def test_bacp_student_peer_supervision_is_not_acceptable(journal):
    # 16 h of client work in January; 2 h of peer supervision (a pair) and 1 h individual.
    # Only the 1 h counts: 16 h needs 2 h (1 per 8), and the month needs 1.5 h.
    for day in ("2026-01-05", "2026-01-12"):
        log(journal, "practice", 480, day)
    log(journal, "supervision", 120, "2026-01-06", format="peer", group_size=2)
    log(journal, "supervision", 60, "2026-01-13")
    report = check_one(journal, "bacp-student", "2026-01-31")
    ratio = rule(report, "supervision-ratio")
    assert (ratio["value"], ratio["threshold"], ratio["missing"]) == (1.0, 2.0, 1.0)
    monthly = rule(report, "monthly-supervision")
    assert monthly["failing_periods"] == [{"period": "2026-01", "value": 1.0, "short": 0.5}]


def test_bacp_student_needs_one_and_a_half_hours_every_month(journal):
    # Client work every Monday of February and 15 min of supervision every Tuesday: never two weeks without
    # supervision, but 4 x 0.25 h = 1 h in the month, 0.5 h short of BACP's 1.5 h.
    for day in weekly("2026-02-02", 4):
        log(journal, "practice", 60, day)
        log(journal, "supervision", 15, day + timedelta(days=1))
    report = check_one(journal, "bacp-student", "2026-02-28")
    assert rule(report, "supervision-every-two-weeks")["met"] is True
    monthly = rule(report, "monthly-supervision")
    assert monthly["failing_periods"] == [{"period": "2026-02", "value": 1.0, "short": 0.5}]


# BACP individual accreditation.

def test_bacp_accreditation_hours_in_unsupervised_months_do_not_count(journal):
    # January: 10 h of practice, 1.5 h of supervision (counted). February: 10 h, 1 h (not counted).
    # March: 10 h, 2 h. Supervised practice: 10 + 10 = 20 h of the 30 h logged.
    for month in ("01", "02", "03"):
        log(journal, "practice", 600, f"2026-{month}-05")
    for month, minutes in (("01", 90), ("02", 60), ("03", 120)):
        log(journal, "supervision", minutes, f"2026-{month}-06")
    hours = rule(check_one(journal, "bacp-accreditation", "2026-03-31"), "practice-hours")
    assert (hours["value"], hours["missing"]) == (20.0, 430.0)
    assert hours["not_counted"] == [{"reason": "in months without 1.5 h of supervision", "value": 10.0,
                                     "recent": 10.0}]


def test_bacp_accreditation_an_old_unsupervised_month_moves_the_submitted_years(journal):
    # Practice and 1.5 h of supervision every month from 2020-01 to 2026-11, except 2021-06 (no supervision).
    # As of 2026-11-28 the 3-year minimum starts 2023-11-29; 2021-06 is older, so the years submitted start
    # on 2021-07-01 and 2021-06 does not fail the application.
    day = date(2020, 1, 6)
    while day < date(2026, 11, 28):
        log(journal, "practice", 300, day)
        if (day.year, day.month) != (2021, 6):
            log(journal, "supervision", 90, day + timedelta(days=1))
        day = (day.replace(day=1) + timedelta(days=32)).replace(day=6)
    report = check_one(journal, "bacp-accreditation", "2026-11-28")
    monthly = rule(report, "monthly-supervision")
    assert (monthly["met"], monthly["failing_periods"], monthly["window_start"]) == (True, [], "2021-07-01")
    # Supervised practice from July 2021 to November 2026: 65 months x 5 h = 325 h.
    assert rule(report, "practice-hours")["value"] == 325.0


def test_bacp_accreditation_a_recent_unsupervised_month_still_fails(journal):
    # 2025-02 is within the last 3 years (from 2023-11-29): it cannot be left out of the years submitted.
    for month in range(1, 5):
        log(journal, "practice", 300, date(2025, month, 6))
        if month != 2:
            log(journal, "supervision", 90, date(2025, month, 7))
    monthly = rule(check_one(journal, "bacp-accreditation", "2026-11-28"), "monthly-supervision")
    assert [p["period"] for p in monthly["failing_periods"]] == ["2025-02"]


def test_bacp_accreditation_must_be_in_practice_when_applying(journal):
    # Last client session 2026-06-01; checked on 2026-11-28, a month with none: not in practice.
    log(journal, "practice", 60, "2026-06-01")
    in_practice = rule(check_one(journal, "bacp-accreditation", "2026-11-28"), "in-practice")
    assert (in_practice["met"], in_practice["value"]) == (False, 0)
    log(journal, "practice", 60, "2026-11-20")
    assert rule(check_one(journal, "bacp-accreditation", "2026-11-28"), "in-practice")["met"] is True


def test_bacp_accreditation_hours_after_qualifying_start_the_day_after_the_certificate(journal):
    # Certificate dated 2026-03-10: 5 h on that day do not count, 3 h on 11 March do.
    set_setting(journal, "qualified_on", "2026-03-10")
    log(journal, "practice", 300, "2026-03-10")
    log(journal, "practice", 180, "2026-03-11")
    log(journal, "supervision", 90, "2026-03-12")
    after = rule(check_one(journal, "bacp-accreditation", "2026-03-31"), "practice-after-qualifying")
    assert (after["value"], after["counted_from"]) == (3.0, "2026-03-11")


# UKCP CPD.

def test_ukcp_cpd_years_run_from_registration_not_training(journal):
    # Training from 2019-09-01 (no CPD then); registered 2023-09-01. Each year since: 25 h of CPD.
    # Years from registration: 2023-09-01..2024-08-31 and 2024-09-01..2025-08-31 met, the third in progress.
    set_setting(journal, "training_start", "2019-09-01")
    set_setting(journal, "qualified_on", "2023-09-01")
    for year in (2023, 2024, 2025):
        log(journal, "cpd", 750, f"{year}-10-01")
        log(journal, "cpd", 750, f"{year}-10-02")
    report = check_one(journal, "ukcp-cpd", "2026-03-31")
    yearly = rule(report, "cpd-every-year")
    assert (yearly["met"], yearly["value"], yearly["failing_periods"]) == (True, 3, [])
    five = rule(report, "cpd-five-years")
    # The five years 2023-09-01..2028-08-31 are under way: 75 h so far, 175 h more needed by their end.
    assert five["in_progress"] == {"period": "2023-09-01..2028-08-31", "value": 75.0, "short": 175.0,
                                   "by": "2028-08-31"}
    assert (five["status"], five["met"]) == ("due", True)
    assert five["summary"].startswith("no five-year period to check yet (at least 250 h of cpd")
    assert "2023-09-01..2028-08-31: 75 h of cpd (and supervision tagged cpd) so far, 175 h more needed by " \
           "31 August 2028" in five["details"]


def test_ukcp_cpd_counts_supervision_marked_as_cpd(journal):
    # 15 h of CPD and 5 h of supervision tagged cpd in the first year: 20 h, met. Untagged supervision is not CPD.
    set_setting(journal, "qualified_on", "2025-01-01")
    log(journal, "cpd", 900, "2025-03-01")
    log(journal, "supervision", 300, "2025-04-01", tags=["cpd"])
    log(journal, "supervision", 600, "2025-05-01")
    yearly = rule(check_one(journal, "ukcp-cpd", "2026-01-31"), "cpd-every-year")
    assert (yearly["value"], yearly["failing_periods"]) == (1, [])


# UKCP humanistic and integrative trainees: clinical practice and supervision.

def test_ukcp_trainee_practice_450_hours_and_one_in_six(journal):
    # 60 h of clinical practice and 9 h of supervision: 60 / 6 = 10 whole blocks need 10 h, 1 h short.
    for day in weekly("2026-01-05", 12):
        log(journal, "practice", 300, day)
    for day in weekly("2026-01-06", 9):
        log(journal, "supervision", 60, day)
    report = check_one(journal, "ukcp-trainee-practice", "2026-03-31")
    assert (rule(report, "clinical-hours")["value"], rule(report, "clinical-hours")["missing"]) == (60.0, 390.0)
    ratio = rule(report, "supervision-ratio")
    assert (ratio["value"], ratio["threshold"], ratio["missing"]) == (9.0, 10.0, 1.0)


# Virginia, 18VAC115-20-52.

def test_va_supervision_beyond_four_hours_per_forty_does_not_count(journal):
    # 80 h of work allow at most 80 / 40 x 4 = 8 h of supervision toward the 200 h: 12 h logged, 8 h count.
    for day in weekly("2026-01-05", 10):
        log(journal, "practice", 480, day)
    for day in weekly("2026-01-06", 12, every_days=5):
        log(journal, "supervision", 60, day)
    hours = rule(check_one(journal, "va-lpc", "2026-03-31"), "supervision-hours")
    assert hours["value"] == 8.0
    assert hours["not_counted"] == [{"reason": "over 4 h per 40 h of practice", "value": 4.0, "recent": 0.0}]


def test_va_version_before_the_amendment_has_the_3400_hours(journal):
    # Checked as of 2025-06-30 the rules before the amendment of 18 December 2025 apply, with the 3,400 h total;
    # as of 2026-03-31, the amended version, without it.
    log(journal, "practice", 60, "2025-06-02")
    before = check_one(journal, "va-lpc", "2025-06-30")
    after = check_one(journal, "va-lpc", "2026-03-31")
    assert (before["version"], after["version"]) == (None, "2025-12-18")
    assert "residency-hours" in [r["id"] for r in before["rules"]]
    assert "residency-hours" not in [r["id"] for r in after["rules"]]


def test_ratios_are_due_per_whole_block_of_work(journal):
    # Ohio 1 h per 20 h: 1 h of practice asks for nothing (not "0.05 h short"); 39 h ask for 1 h; 40 h for 2 h.
    log(journal, "practice", 60, "2026-03-02")
    ohio = rule(check_one(journal, "oh-counselor", "2026-03-31"), "supervision-ratio")
    assert (ohio["threshold"], ohio["met"]) == (0, True)
    log(journal, "practice", 38 * 60 // 2, "2026-03-03")
    log(journal, "practice", 38 * 60 // 2, "2026-03-04")
    ohio = rule(check_one(journal, "oh-counselor", "2026-03-31"), "supervision-ratio")
    assert (ohio["of"], ohio["threshold"], ohio["missing"]) == (39.0, 1, 1.0)
    virginia = rule(check_one(journal, "va-lpc", "2026-03-31"), "supervision-ratio")
    assert (virginia["threshold"], virginia["met"]) == (0, True)  # 39 h: no whole block of 40 h yet


# Group supervision logged without a size.

def test_group_supervision_without_a_size_is_not_credited(journal):
    # An old row (imported) in a group of unknown size: BACP's credit depends on the size, so nothing is credited
    # (it used to be guessed as half: 2 h -> 1 h). March then has 0 h against 1.5 h.
    log(journal, "practice", 60, "2026-03-02")
    journal.execute("INSERT INTO entries (kind, start_utc, tz, date, minutes, format, shared, created_at, updated_at) "
                    "VALUES ('supervision', '2026-03-03T10:00:00Z', 'Europe/London', '2026-03-03', 120, 'group', 1, "
                    "'2026-03-03T10:00:00Z', '2026-03-03T10:00:00Z')")
    monthly = rule(check_one(journal, "bacp-practice", "2026-03-31"), "monthly-supervision")
    assert monthly["failing_periods"] == [{"period": "2026-03", "value": 0.0, "short": 1.5}]


# New profiles.

def test_appic_aapi_clock_hours_in_exclusive_categories(journal):
    # Intervention: 50 + 45 min (one clock hour each) + 90 min group = 3.5 h. Assessment (tagged): 50 min = 1 h,
    # and not counted again under intervention. Supervision: 55 min = 1 h.
    log(journal, "practice", 50, "2026-03-02")
    log(journal, "practice", 45, "2026-03-03")
    log(journal, "practice", 90, "2026-03-04", format="group", group_size=12)
    log(journal, "practice", 50, "2026-03-05", tags=["assessment"])
    log(journal, "supervision", 55, "2026-03-06")
    report = check_one(journal, "appic-aapi", "2026-03-31")
    assert rule(report, "intervention-hours")["value"] == 3.5
    assert rule(report, "assessment-hours")["value"] == 1.0
    assert rule(report, "supervision-hours")["value"] == 1.0
    assert report["met"] is True  # the AAPI sets no minimum


def test_ecp_ff2p_personal_therapy_cpd_and_practice(journal):
    # 250 h of personal therapy over four years; qualified 2024-01-01 with 40 h of CPD since: the five years to
    # 2028-12-31 are under way with 210 h more needed by then.
    set_setting(journal, "qualified_on", "2024-01-01")
    for year in range(2020, 2024):
        for day in weekly(f"{year}-01-06", 50):
            log(journal, "therapy", 75, day)  # 50 x 1.25 h = 62.5 h a year
    log(journal, "cpd", 1200, "2024-05-01")
    log(journal, "cpd", 1200, "2024-05-02")
    report = check_one(journal, "ecp-ff2p", "2026-03-31")
    assert rule(report, "therapy-total")["value"] == 250.0
    cpd = rule(report, "cpd-average")
    assert cpd["in_progress"] == {"period": "2024-01-01..2028-12-31", "value": 40.0, "short": 210.0,
                                  "by": "2028-12-31"}


def test_crpo_independent_practice(journal):
    # 150 h of supervision: 70 h individual, 10 h dyadic (a group of 2, counted with individual), 70 h in groups.
    # Individual or dyadic: 80 h, at least 75 h: met.
    log(journal, "practice", 1440, "2026-01-05")
    for day in weekly("2026-01-06", 70, every_days=1):
        log(journal, "supervision", 60, day)
    for day in weekly("2026-03-20", 10, every_days=1):
        log(journal, "supervision", 60, day, format="group", group_size=2)
    for day in weekly("2026-04-01", 35, every_days=1):
        log(journal, "supervision", 120, day, format="group", group_size=5)
    report = check_one(journal, "crpo-independent", "2026-06-30")
    assert rule(report, "supervision-hours")["value"] == 150.0
    assert rule(report, "individual-supervision")["value"] == 80.0
    assert (rule(report, "direct-hours")["value"], rule(report, "direct-hours")["missing"]) == (24.0, 976.0)
