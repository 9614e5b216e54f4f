"""What `journal check` says: what is due by when, what would meet a rule, what did not count and why,
`--explain`, profile versions, and the words themselves (grammar, long lists)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from journal.settings import set_setting

from rules_data import check_one, log, rule, write_profile


# The unfinished current period is due: neither met nor failed.

def test_current_month_short_is_due_by_its_last_day(run, journal):
    # November 2026: client work and 1 h of supervision so far, checked on the 20th: 0.5 h more by 30 November.
    log(journal, "practice", 60, "2026-10-05")
    log(journal, "supervision", 90, "2026-10-06")
    log(journal, "practice", 60, "2026-11-02")
    log(journal, "supervision", 60, "2026-11-03")
    result = run("check", "-p", "bacp-practice", "--as-of", "2026-11-20")
    assert result.exit_code == 0  # nothing has failed
    assert "as of 2026-11-20: met so far, with something due" in result.stdout
    assert "  due      At least 1.5 h of supervision" in result.stdout
    assert "2026-11: 1 h of supervision so far, 0.5 h more needed by 30 November" in result.stdout
    assert "all met" not in result.stdout
    report = run("check", "-p", "bacp-practice", "--as-of", "2026-11-20", "--json").json()
    assert (report["status"], report["met"]) == ("due", True)
    monthly = rule(report, "monthly-supervision")
    assert monthly["status"] == "due"
    assert monthly["in_progress"] == {"period": "2026-11", "value": 1.0, "short": 0.5, "by": "2026-11-30"}


def test_ratio_and_gap_rules_say_what_would_meet_them_and_by_when(journal):
    # 20 h of client work with 2 h of supervision (1 per 8 h: 2 whole blocks need 2 h): met, and the next hour is
    # due when client work reaches (2 + 1) x 8 = 24 h. Last supervision on 9 March: the next is due within 14 days.
    for day in ("2026-03-02", "2026-03-05", "2026-03-09"):
        log(journal, "practice", 400, day)
    log(journal, "supervision", 60, "2026-03-02")
    log(journal, "supervision", 60, "2026-03-09")
    report = check_one(journal, "bacp-student", "2026-03-12")
    assert "the next 1 h of supervision is due when practice reaches 24 h" in rule(report, "supervision-ratio")["details"]
    assert "next supervision due by 23 March" in rule(report, "supervision-every-two-weeks")["details"]
    # One more day of client work (26.67 h: 3 whole blocks need 3 h) leaves 1 h to log now.
    log(journal, "practice", 400, "2026-03-11")
    ratio = rule(check_one(journal, "bacp-student", "2026-03-12"), "supervision-ratio")
    assert ratio["details"] == ["1 h more supervision needed now, before more practice"]


def test_share_says_how_much_individual_supervision_would_bring_it_back(journal):
    # 1 h individual, 3 h in groups of 3: 75% in groups. 2 h more individual make 3 of 6 h, 50%.
    log(journal, "practice", 600, "2026-05-04")
    log(journal, "supervision", 60, "2026-05-05")
    log(journal, "supervision", 180, "2026-05-12", format="group", group_size=3)
    share = rule(check_one(journal, "tx-lpc", "2026-05-31"), "group-share")
    assert share["details"] == ["2 h more individual sessions would bring it down to 50%"]


# "Nothing in the last 90 days" only when nothing was logged.

def test_nothing_counted_recently_names_what_did_not_count_and_why(journal):
    # The last 90 days hold 5 h of counselling, in a week without supervision: counted, nothing; logged, 5 h.
    log(journal, "practice", 300, "2026-03-02")
    weekly_rule = rule(check_one(journal, "ca-lpcc", "2026-03-31"), "direct-hours")
    assert weekly_rule["summary"].endswith(
        "nothing counted in the last 90 days: 5 h in weeks without enough supervision units")
    assert "nothing logged" not in weekly_rule["summary"]


def test_nothing_logged_recently_says_so(journal):
    log(journal, "therapy", 60, "2025-01-06")
    total = rule(check_one(journal, "eap-ecp", "2026-03-31"), "therapy-total")
    assert total["summary"].endswith("nothing logged in the last 90 days, so no projected date")


# Projection from too little data (issue 11).

def test_one_week_of_logging_asks_for_more_weeks_instead_of_a_date(run, journal):
    # 3 h in the first week: a pace of 2.63 h a week over 8 days would "reach" 250 h in 2028; no date is given.
    for day in ("2026-11-20", "2026-11-24", "2026-11-27"):
        log(journal, "therapy", 60, day)
    total = rule(check_one(journal, "eap-ecp", "2026-11-27"), "therapy-total")
    assert (total["projected"], total["projection_note"]) == (None, "log a few more weeks to see a projected date")
    text = run("check", "-p", "eap-ecp", "--as-of", "2026-11-27").stdout
    assert "log a few more weeks to see a projected date" in text and "reaching it on" not in text


def test_an_empty_journal_has_nothing_to_check(run):
    run("init")
    result = run("check", "-p", "bacp-practice", "-p", "eap-ecp")
    assert result.exit_code == 0
    assert result.stdout.count("nothing to check yet") == 4  # each profile's heading and its sentence
    assert "all met" not in result.stdout and "0 of 0" not in result.stdout
    reports = run("check", "-p", "bacp-practice", "-p", "eap-ecp", "--json").json()
    assert [r["status"] for r in reports] == ["empty", "empty"]


# Grammar and long lists.

def test_one_client_is_singular(journal):
    set_setting(journal, "training_start", "2026-01-01")
    for number in range(1, 8):
        log(journal, "practice", 60, f"2026-02-0{number}", client=f"C00{number}")
    clients = rule(check_one(journal, "icf-acc", "2026-02-28"), "clients")
    assert "7 clients (at least 8 clients); 1 client still missing" in clients["summary"]


def test_months_before_client_work_collapse_into_one_line(journal):
    # Personal therapy every month from January 2023, client work from September 2025; checked from 2023:
    # the 32 months January 2023 to August 2025 are one line, not 32.
    day = date(2023, 1, 10)
    while day < date(2025, 9, 1):
        log(journal, "therapy", 60, day)
        day = (day.replace(day=1) + timedelta(days=32)).replace(day=10)
    for day in ("2025-09-08", "2025-10-06"):
        log(journal, "practice", 60, day)
        log(journal, "supervision", 90, date.fromisoformat(day) + timedelta(days=1))
    monthly = rule(check_one(journal, "bacp-practice", "2025-10-31", since="2023-01-01"), "monthly-supervision")
    assert len(monthly["skipped_periods"]) == 32
    assert monthly["details"] == ["32 months before practice began (2023-01 to 2025-08): not required"]


def test_a_long_list_of_short_months_is_cut_with_a_count(journal):
    # Client work every month of 2024 and 2025 with 1 h of supervision: 24 months short; 10 shown, then the count.
    for year in (2024, 2025):
        for month in range(1, 13):
            log(journal, "practice", 60, date(year, month, 5))
            log(journal, "supervision", 60, date(year, month, 6))
    details = rule(check_one(journal, "bacp-practice", "2025-12-31"), "monthly-supervision")["details"]
    assert details[:2] == ["2024-01: 1 h of supervision, 0.5 h short", "2024-02: 1 h of supervision, 0.5 h short"]
    assert len(details) == 11
    assert details[-1] == "... and 14 more short months, the last: 2025-12: 1 h of supervision, 0.5 h short"


# `journal check --explain RULE`.

def test_explain_lists_each_session_with_its_credit_and_reason(run, journal):
    set_setting(journal, "training_start", "2026-02-01")
    log(journal, "practice", 60, "2026-01-20", client="C001")  # before training started
    log(journal, "practice", 120, "2026-02-10", client="G16", format="group", group_size=16)
    log(journal, "practice", 90, "2026-02-11", client="C002")
    found = run("check", "-p", "icf-acc", "--as-of", "2026-02-28", "--explain", "coaching-hours", "--json").json()
    assert (found["profile"], found["rule"], found["recorded"], found["credited"]) == (
        "icf-acc", "coaching-hours", 4.5, 1.5)
    assert [(s["date"], s["credited"], s["reason"]) for s in found["sessions"]] == [
        ("2026-01-20", 0.0, "before 2026-02-01 (training started)"),
        ("2026-02-10", 0.0, "a group of more than 15"),
        ("2026-02-11", 1.5, None),
    ]
    text = run("check", "-p", "icf-acc", "--as-of", "2026-02-28", "--explain", "icf-acc:coaching-hours")
    assert text.exit_code == 3
    assert "3 sessions looked at: 4.5 h recorded, 1.5 h credited." in text.stdout
    assert "a group of more than 15" in text.stdout and "before 2026-02-01 (training started)" in text.stdout


def test_explain_names_weeks_without_supervision_peer_for_students_and_unknown_group_sizes(run, journal):
    log(journal, "practice", 300, "2026-03-02")  # a week without supervision
    found = run("check", "-p", "ca-lpcc", "--as-of", "2026-03-31", "--explain", "direct-hours", "--json").json()
    assert found["sessions"][0]["reason"] == "a week without enough supervision (0 of 1 units)"
    log(journal, "supervision", 60, "2026-03-03", format="peer", group_size=2)
    found = run("check", "-p", "bacp-student", "--as-of", "2026-03-31", "--explain", "supervision-ratio",
                "--json").json()
    assert found["sessions"][0]["reason"] == "peer supervision, which does not count here"
    journal.execute("UPDATE entries SET format = 'group', group_size = NULL WHERE kind = 'supervision'")
    found = run("check", "-p", "bacp-practice", "--as-of", "2026-03-31", "--explain", "monthly-supervision",
                "--json").json()
    assert [(s["credited"], s["reason"]) for s in found["sessions"]] == [(0.0, "group size unknown")]


def test_explain_bacp_accreditation_months_without_supervision(run, journal):
    log(journal, "practice", 600, "2026-01-05")
    log(journal, "supervision", 60, "2026-01-06")
    found = run("check", "-p", "bacp-accreditation", "--as-of", "2026-02-28", "--explain", "practice-hours",
                "--json").json()
    assert [(s["credited"], s["reason"]) for s in found["sessions"]] == [
        (0.0, "a month without 1.5 h of supervision")]


@pytest.mark.parametrize("ref, message", [
    ("weekly", "no rule 'weekly' in the profiles checked; one of: ca-lpcc:weekly-units"),
    ("monthly-supervision", "rule 'monthly-supervision' is in several profiles; name it as PROFILE:RULE"),
])
def test_explain_an_unknown_or_ambiguous_rule_is_a_usage_error(run, ref, message):
    run("init")
    result = run("check", "-p", "ca-lpcc", "-p", "bacp-practice", "-p", "tx-lpc", "--explain", ref)
    assert result.exit_code == 2
    assert message in result.stderr


# Profiles that change over time.

VERSIONED = """\
  - id: monthly
    title: Supervision every month
    type: per_period
    period: month
    kind: supervision
    min: 1
versions:
  - effective_from: 2026-03-01
    description: From March, 2 h a month.
    rules:
      - id: monthly
        title: Supervision every month
        type: per_period
        period: month
        kind: supervision
        min: 2
"""


def test_each_period_is_held_to_the_version_in_force_then(tmp_path, journal):
    # 1.5 h in February (the old 1 h minimum: met) and 1.5 h in March (the new 2 h minimum: 0.5 h short).
    path = write_profile(tmp_path, VERSIONED)
    log(journal, "supervision", 90, "2026-02-10")
    log(journal, "supervision", 90, "2026-03-10")
    report = check_one(journal, str(path), "2026-03-31")
    assert report["version"] == "2026-03-01"
    monthly = rule(report, "monthly")
    assert (monthly["value"], monthly["threshold"]) == (1, 2)
    assert monthly["failing_periods"] == [{"period": "2026-03", "value": 1.5, "short": 0.5}]


def test_profiles_json_shows_each_version(run):
    [virginia] = [p for p in run("profiles", "--json").json() if p["id"] == "va-lpc"]
    assert [v["effective_from"] for v in virginia["versions"]] == [None, "2025-12-18"]
    first, amended = virginia["versions"]
    assert {"id": "residency-hours", "title": "At least 3,400 h of residency", "type": "total",
            "kind": ["practice", "supervision"], "min": 3400} in first["rules"]
    assert "residency-hours" not in [r["id"] for r in amended["rules"]]
    assert "could not be read" in amended["description"]


def test_explain_credits_add_up_to_the_rules_figure(run, journal):
    # Three 50 min sessions in a month with 1.5 h of supervision: 3 x 0.8333 = 2.5 h (not 3 x 0.83 = 2.49 h).
    for day in ("2026-01-05", "2026-01-12", "2026-01-19"):
        log(journal, "practice", 50, day)
    log(journal, "supervision", 90, "2026-01-06")
    found = run("check", "-p", "bacp-accreditation", "--as-of", "2026-01-31", "--explain", "practice-hours",
                "--json").json()
    assert (found["credited"], [s["credited"] for s in found["sessions"]]) == (2.5, [0.83, 0.83, 0.83])
    assert found["summary"].startswith("2.5 h of practice (at least 450 h)")


def test_check_json_is_exactly_what_the_json_module_writes(run, journal):
    """`check --json` writes each shared list once (the countersignature months of every report) and
    numbers straight from Python's own forms: the text is still json.dumps's, to the byte."""
    import json

    from journal.output import json_pieces

    months = [{"period": "2026-01", "state": "awaiting", "supervisor": None, "text": "en attente – réflexion"}]
    value = [{"value": 1.5, "whole": 3, "big": 10 ** 20, "tiny": 1e-7, "negative": -0.0, "met": True, "failed": False,
              "nothing": None, "odd": [float("nan"), float("inf"), -float("inf")], "empty": [], "none": {},
              "countersignatures": months}, {"countersignatures": months, 2: "a number as key"}]
    assert "".join(json_pieces(value)) == json.dumps(value, indent=2, ensure_ascii=False)
    for scalar in (None, 3, "a", [], {}):
        assert "".join(json_pieces(scalar)) == json.dumps(scalar, indent=2)
    log(journal, "supervision", 90, "2026-01-06")
    log(journal, "practice", 50, "2026-01-07")
    result = run("check", "-p", "bacp-practice", "-p", "tx-lpc", "--as-of", "2026-03-31", "--json")
    assert result.stdout.rstrip("\n") == json.dumps(json.loads(result.stdout), indent=2, ensure_ascii=False)
