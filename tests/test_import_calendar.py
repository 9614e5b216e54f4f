"""Calendars, Watson and Timewarrior as real files write them: repeat limits, overrides, periods,
swapped ends, floating times, encodings, people and client codes (issue 10, items 3, 11 and 13)."""

from __future__ import annotations

import json

import pytest

from conftest import file_digest
from journal.settings import set_setting
from test_import import entries


def calendar(*events: str, head: str = "") -> str:
    body = "".join(f"BEGIN:VEVENT\r\n{event.strip()}\r\nEND:VEVENT\r\n" for event in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n{head}{body}END:VCALENDAR\r\n"


def event(uid: str, summary: str, start: str, end: str | None = "20260302T095000Z", *extra: str) -> str:
    lines = [f"UID:{uid}", f"SUMMARY:{summary}", f"DTSTART:{start}"] + ([f"DTEND:{end}"] if end else [])
    return "\r\n".join(lines + list(extra))


def sessions(run) -> list[tuple]:
    return [(r["start"], r["minutes"], r["kind"], r["with"]) for r in entries(run)]


def write(tmp_path, text: str | bytes, name: str = "cal.ics"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return str(path)


# --- item 3: repeat limits ---------------------------------------------------------------------

@pytest.mark.parametrize("frequency, words", [("SECONDLY", "every second"), ("MINUTELY", "every minute"),
                                              ("HOURLY", "every hour")])
def test_a_repeat_finer_than_daily_is_refused_naming_the_event_and_the_way_round(run, db_path, tmp_path,
                                                                                 frequency, words):
    path = write(tmp_path, calendar(event("x", "Supervision drop-in", "20260302T090000Z", "20260302T091000Z",
                                          f"RRULE:FREQ={frequency};COUNT=100000")))
    before = file_digest(db_path)
    result = run("import", "ics", path, "--match", "Supervision*=supervision")
    assert result.exit_code == 1
    assert f"event 'Supervision drop-in': repeats {words} (FREQ={frequency}), more often than daily" in result.stderr
    assert "--allow-frequent-repeats" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert file_digest(db_path) == before


def test_a_frequent_repeat_imports_when_asked(run, tmp_path):
    path = write(tmp_path, calendar(event("x", "Supervision", "20260302T090000Z", "20260302T095000Z",
                                          "RRULE:FREQ=HOURLY;COUNT=3")))
    result = run("import", "ics", path, "--match", "Supervision*=supervision", "--allow-frequent-repeats")
    assert "3 added" in result.stderr


def test_the_summary_says_when_the_instance_limit_cut_an_event_short(run, tmp_path, monkeypatch):
    from journal.importers import ics

    monkeypatch.setattr(ics, "MAX_INSTANCES", 5)
    path = write(tmp_path, calendar(event("x", "Supervision daily", "20250101T090000Z", "20250101T095000Z",
                                          "RRULE:FREQ=DAILY;COUNT=100000")))
    result = run("import", "ics", path, "--match", "Supervision*=supervision")
    assert "5 added" in result.stderr
    assert "Event 'Supervision daily' was cut short at 5 instances" in result.stderr
    summary = run("import", "ics", path, "--match", "Supervision*=supervision", "--dry-run", "--json").json()
    assert any("cut short" in notice for notice in summary["notices"])


# --- item 13: calendar edge cases -------------------------------------------------------------

def test_this_and_future_overrides_move_every_later_instance(run, tmp_path):
    master = event("w", "Supervision", "20260302T100000Z", "20260302T110000Z", "RRULE:FREQ=WEEKLY;COUNT=4")
    moved = event("w", "Supervision (new room)", "20260316T140000Z", "20260316T153000Z",
                  "RECURRENCE-ID;RANGE=THISANDFUTURE:20260316T100000Z")
    result = run("import", "ics", write(tmp_path, calendar(master, moved)), "--match", "Supervision*=supervision")
    assert "4 added" in result.stderr
    assert [(r["start"], r["minutes"], r["title"]) for r in entries(run)] == [
        ("2026-03-02T10:00:00+00:00", 60, "Supervision"),
        ("2026-03-09T10:00:00+00:00", 60, "Supervision"),
        ("2026-03-16T14:00:00+00:00", 90, "Supervision (new room)"),
        ("2026-03-23T14:00:00+00:00", 90, "Supervision (new room)"),
    ]


def test_rdate_periods_keep_their_own_length(run, tmp_path):
    path = write(tmp_path, calendar(event(
        "p", "Therapy", "20260302T100000Z", "20260302T105000Z",
        "RDATE;VALUE=PERIOD:20260305T090000Z/20260305T103000Z,20260306T090000Z/PT2H")))
    run("import", "ics", path, "--match", "Therapy=therapy")
    assert [(r["start"], r["minutes"]) for r in entries(run)] == [
        ("2026-03-02T10:00:00+00:00", 50), ("2026-03-05T09:00:00+00:00", 90), ("2026-03-06T09:00:00+00:00", 120)]


def test_an_end_before_its_start_is_swapped_and_counted(run, tmp_path):
    path = write(tmp_path, calendar(event("s", "Therapy", "20260302T105000Z", "20260302T100000Z")))
    result = run("import", "ics", path, "--match", "Therapy=therapy")
    assert "1 added" in result.stderr and "1 with an end before the start, swapped as calendar apps do" in result.stderr
    assert [(r["start"], r["minutes"]) for r in entries(run)] == [("2026-03-02T10:00:00+00:00", 50)]


def test_floating_times_are_read_in_the_calendars_own_zone(run, tmp_path):
    path = write(tmp_path, calendar(event("f", "Therapy", "20260302T090000", "20260302T095000"),
                                    head="X-WR-TIMEZONE:America/New_York\r\n"))
    run("import", "ics", path, "--match", "Therapy=therapy")
    assert [r["start"] for r in entries(run)] == ["2026-03-02T14:00:00+00:00"]  # 09:00 in New York


@pytest.mark.parametrize("bad", ["2026-03-02", "20260399T090000Z", "soon"])
def test_a_malformed_dtstart_names_the_event(run, db_path, tmp_path, bad):
    path = write(tmp_path, calendar(event("a", "Therapy", "20260302T090000Z"),
                                    event("b", "Therapy late", bad, "20260302T100000Z")))
    before = file_digest(db_path)
    result = run("import", "ics", path, "--match", "Therapy*=therapy")
    assert result.exit_code == 1
    assert "event 'Therapy late': DTSTART" in result.stderr and "is not a date or a date and time" in result.stderr
    assert file_digest(db_path) == before


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16", "utf-16-le", "utf-8-sig"])
def test_latin_1_and_utf_16_calendars_are_decoded(run, tmp_path, encoding):
    text = calendar(event("e", "Supervision avec Hélène", "20260302T090000Z"))
    run("import", "ics", write(tmp_path, text.encode(encoding)), "--match", "Supervision*=supervision")
    assert [r["title"] for r in entries(run)] == ["Supervision avec Hélène"]


def test_bytes_in_no_known_encoding_are_refused_cleanly(run, tmp_path):
    data = calendar(event("e", "Supervision XX", "20260302T090000Z")).encode().replace(b"XX", b"\x81\x8d\xc3")
    result = run("import", "ics", write(tmp_path, data), "--match", "Supervision*=supervision")
    assert result.exit_code == 1 and "not text in a known encoding" in result.stderr and "UTF-8" in result.stderr


def test_a_calendar_cut_short_says_so(run, tmp_path):
    text = calendar(event("a", "Therapy", "20260302T090000Z"))
    result = run("import", "ics", write(tmp_path, text[:text.index("END:VEVENT")]), "--match", "Therapy=therapy")
    assert result.exit_code == 1
    assert "BEGIN:VEVENT is never closed by END:VEVENT (is the file cut short?)" in result.stderr
    assert "no BEGIN:VCALENDAR" not in result.stderr


def test_a_repeated_summary_is_named_not_shown_as_python(run, tmp_path):
    path = write(tmp_path, calendar(event("a", "Therapy", "20260302T090000Z", "20260302T095000Z", "SUMMARY:Again")))
    result = run("import", "ics", path, "--match", "Therapy=therapy")
    assert result.exit_code == 1 and "has SUMMARY more than once" in result.stderr and "vText" not in result.stderr


# --- item 11: people from calendars ---------------------------------------------------------------

def test_a_rule_captures_the_person_from_the_title(run, tmp_path):
    path = write(tmp_path, calendar(event("a", "Supervision with Dr Helen Marsh", "20260302T090000Z")))
    run("import", "ics", path, "--match", "Supervision with {with}=supervision")
    assert sessions(run) == [("2026-03-02T09:00:00+00:00", 50, "supervision", "Dr Helen Marsh")]


def test_organizer_or_attendee_who_is_not_the_practitioner_is_the_person(run, journal, tmp_path):
    with journal.transaction():
        set_setting(journal, "practitioner", "Sam Rivers")
    by_them = event("a", "Supervision", "20260302T090000Z", "20260302T095000Z",
                    "ORGANIZER;CN=Alice Moreno:mailto:alice@example.org",
                    "ATTENDEE;CN=Sam Rivers:mailto:sam@example.org")
    by_me = event("b", "Therapy", "20260303T090000Z", "20260303T095000Z",
                  "ORGANIZER;CN=Sam Rivers:mailto:sam@example.org",
                  "ATTENDEE;CN=Sam Rivers:mailto:sam@example.org",
                  "ATTENDEE;CN=Dr Martin:mailto:martin@example.org")
    client = event("c", "Session", "20260304T090000Z", "20260304T095000Z",
                   "ORGANIZER;CN=Sam Rivers:mailto:sam@example.org", "ATTENDEE;CN=Jane Client:mailto:j@example.org")
    run("import", "ics", write(tmp_path, calendar(by_them, by_me, client)), "--match", "Supervision=supervision",
        "--match", "Therapy=therapy", "--match", "Session=practice")
    assert [(r["kind"], r["with"]) for r in entries(run)] == [
        ("supervision", "Alice Moreno"), ("therapy", "Dr Martin"), ("practice", None)]
    stored = "\n".join(journal.conn.iterdump())
    assert "Jane Client" not in stored and "example.org" not in stored


@pytest.mark.parametrize("rule, message", [
    ("Session with {with}=practice", "client work never stores a client's name"),
    ("Supervision {client}=supervision", "{client} is for practice sessions"),
    ("Supervision {who}=supervision", "unknown field {who}"),
])
def test_captures_that_would_store_a_client_name_or_make_no_sense_are_refused(run, tmp_path, rule, message):
    path = write(tmp_path, calendar(event("a", "Session with Jane", "20260302T090000Z")))
    result = run("import", "ics", path, "--match", rule)
    assert result.exit_code == 2 and message in result.stderr


def test_a_client_code_captured_from_the_title(run, tmp_path):
    path = write(tmp_path, calendar(event("a", "Session C014", "20260302T090000Z")))
    run("import", "ics", path, "--match", "Session {client}=practice")
    assert [(r["kind"], r["client"]) for r in entries(run)] == [("practice", "C014")]


# --- items 11 and 13: Watson and Timewarrior ------------------------------------------------------

def test_older_watson_frames_and_null_ids_import_once_each(run, tmp_path):
    frames = [[1772442000, 1772445000, "client-work", None], [1772445600, 1772448600, "client-work", None],
              [1772460000, 1772465400, "supervision", None, ["group:5"]],
              [1772470000, 1772473000, "C031", "abc", ["practice"], 1772473000]]
    path = write(tmp_path, json.dumps(frames), "frames")
    rules = ("--match", "client-work=practice", "--match", "supervision=supervision", "--match", "practice=practice")
    result = run("import", "watson", path, *rules)
    assert "4 added, 0 already present, 0 skipped." in result.stderr
    assert [(r["kind"], r["minutes"], r["format"], r["group_size"], r["client"], r["title"])
            for r in entries(run)] == [
        ("practice", 50, "individual", None, None, "client-work"),
        ("practice", 50, "individual", None, None, "client-work"),
        ("supervision", 90, "group", 5, None, "supervision"), ("practice", 50, "individual", None, "C031", None)]
    assert "0 added, 4 already present" in run("import", "watson", path, *rules).stderr


def test_client_pattern_finds_codes_in_projects_and_tags(run, tmp_path):
    frames = [[1772442000, 1772445000, "client-work", "a", ["client-7", "intake"], 1]]
    path = write(tmp_path, json.dumps(frames), "frames")
    run("import", "watson", path, "--match", "client-work=practice", "--client-pattern", r"client-\d+")
    assert [(r["client"], r["tags"]) for r in entries(run)] == [("CLIENT-7", ["intake"])]


def test_a_client_code_tag_on_supervision_stays_a_tag(run, tmp_path):
    intervals = [{"id": 1, "start": "20260302T090000Z", "end": "20260302T100000Z", "tags": ["supervision", "C014"]}]
    run("import", "timew", write(tmp_path, json.dumps(intervals), "t.json"), "--match", "supervision=supervision")
    assert [(r["kind"], r["client"], r["tags"]) for r in entries(run)] == [("supervision", None, ["C014", "supervision"])]


def test_a_bad_client_pattern_is_a_usage_error(run, tmp_path):
    result = run("import", "watson", write(tmp_path, "[]", "frames"), "--client-pattern", "C[0-9")
    assert result.exit_code == 2 and "--client-pattern 'C[0-9' is not a regular expression" in result.stderr
