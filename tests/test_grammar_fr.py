"""The French date and duration grammar under the same properties as the English one (test_grammar.py)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal.dates import FRENCH_MONTHS, FRENCH_WEEKDAYS, parse_when
from journal.durations import MAX_MINUTES, parse_duration
from journal.entries import check_kind
from journal.errors import InputError
from tests.test_grammar import ZONES, exists, fails_cleanly, instants, zones

NOW = datetime(2026, 3, 12, 14, 0, tzinfo=timezone.utc)  # a Thursday


@pytest.mark.parametrize("typed, stored", [
    ("thérapie", "therapy"), ("therapie", "therapy"), ("Thérapie", "therapy"), ("supervision", "supervision"),
    ("pratique", "practice"), ("formation", "cpd"), ("therapy", "therapy"), ("cpd", "cpd"),
])
def test_french_kinds_are_stored_in_one_form(typed, stored):
    assert check_kind(typed) == stored


@given(st.integers(0, 24), st.integers(0, 59), st.sampled_from(["{h}h{m}", "{h} h {m}", "{h}h{m}min",
                                                                 "{h} heures {m} minutes", "{h}h {m} min"]))
def test_french_hours_and_minutes_round_trip(hours, minutes, shape):
    total = hours * 60 + minutes
    text = shape.format(h=hours, m=minutes)
    if 0 < total <= MAX_MINUTES:
        assert parse_duration(text) == total
    else:
        with pytest.raises(InputError):
            parse_duration(text)


@given(st.integers(1, 96), st.sampled_from(["{} h", "{}h", "{} heures"]))
def test_decimal_comma_hours(quarters, shape):
    hours = quarters / 4
    assert parse_duration(shape.format(str(hours).replace(".", ","))) == round(hours * 60)


@given(st.integers(1, MAX_MINUTES), st.sampled_from(["{}", "{} min", "{} minutes", "{}min"]))
def test_a_number_or_min_is_always_minutes(minutes, shape):
    assert parse_duration(shape.format(minutes)) == minutes


@settings(max_examples=300)
@given(instants, zones, st.integers(0, 400), st.sampled_from(["il y a {n} jours", "il y a {n} jour"]))
def test_il_y_a_n_jours_lands_on_the_right_local_date(now, tz, days, shape):
    local_now = now.astimezone(tz)
    when = parse_when(shape.format(n=days), tz, now=now)
    assert when.local_date == local_now.date() - timedelta(days=days)


@settings(max_examples=300)
@given(instants, zones, st.integers(0, 23), st.integers(0, 59),
       st.sampled_from(["hier {h}h{m:02d}", "hier à {h:02d}:{m:02d}", "hier {h} h {m:02d}", "hier à {h}h{m:02d}"]))
def test_hier_at_a_time_is_that_wall_time_on_the_local_day_before(now, tz, hour, minute, shape):
    local_now = now.astimezone(tz)
    when = parse_when(shape.format(h=hour, m=minute), tz, now=now)
    assert when.has_time
    assert when.local_date == local_now.date() - timedelta(days=1)
    asked = datetime.combine(when.local_date, time(hour, minute), tzinfo=tz)
    if exists(asked):
        assert (when.at.hour, when.at.minute) == (hour, minute)
    else:
        assert when.at.astimezone(timezone.utc) == asked.astimezone(timezone.utc)


@settings(max_examples=300)
@given(instants, zones, st.sampled_from(FRENCH_WEEKDAYS), st.sampled_from(["", " dernier", " passé"]))
def test_french_weekdays_are_the_most_recent_one(now, tz, weekday, last):
    local_today = now.astimezone(tz).date()
    when = parse_when(f"{weekday}{last} 9h", tz, now=now)
    back = (local_today - when.local_date).days
    assert FRENCH_WEEKDAYS[when.local_date.weekday()] == weekday
    assert (1 <= back <= 7) if last else (0 <= back <= 6)
    assert (when.at.hour, when.at.minute) == (9, 0)


@given(instants, zones, st.sampled_from(["aujourd'hui", "aujourd’hui", "maintenant", "hier", "avant-hier",
                                         "demain"]))
def test_french_day_words_follow_the_local_calendar(now, tz, word):
    offset = {"aujourd'hui": 0, "aujourd’hui": 0, "maintenant": 0, "hier": -1, "avant-hier": -2, "demain": 1}[word]
    assert parse_when(word, tz, now=now).local_date == now.astimezone(tz).date() + timedelta(days=offset)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), zones, st.booleans())
def test_written_french_dates_round_trip(day, tz, accents):
    month = FRENCH_MONTHS[day.month - 1]
    if not accents:
        month = month.replace("é", "e").replace("û", "u")
    first = "1er" if day.day == 1 else str(day.day)
    when = parse_when(f"{first} {month} {day.year}", tz, now=datetime(2101, 1, 1, tzinfo=timezone.utc))
    assert when.local_date == day
    assert when.at.time() == time(9, 0)


@given(st.integers(1, 12), st.integers(1, 12), st.integers(1990, 2030))
def test_slashed_dates_are_day_first_by_default(first, second, year):
    when = parse_when(f"{first:02d}/{second:02d}/{year}", ZONES[0], now=datetime(2031, 1, 1, tzinfo=timezone.utc))
    assert when.local_date == date(year, second, first)


def test_midi_and_the_issues_examples():
    tz = ZONES[0]
    assert parse_when("midi", tz, now=NOW).at.time() == time(12, 0)
    assert parse_when("mardi dernier 9h", tz, now=NOW).at == datetime(2026, 3, 10, 9, 0, tzinfo=tz)
    assert parse_when("le 3 mars 2026 à 15h30", tz, now=NOW).at == datetime(2026, 3, 3, 15, 30, tzinfo=tz)


@given(st.lists(st.sampled_from(["il", "y", "a", "hier", "avant-hier", "dernier", "3", "jours", "mardi", "9h",
                                 "à", "midi", "18:00", "1er", "mars", "2026", "h", "le", "aujourd'hui", "-"]),
                max_size=6).map(" ".join), zones)
def test_french_words_in_any_order_raise_nothing_but_input_error(text, tz):
    fails_cleanly(lambda: parse_when(text, tz, now=NOW))


def test_french_dates_work_under_the_english_setting(run):
    run("config", "language", "en")
    result = run("log", "thérapie", "1 h 30", "--at", "hier 18h", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["kind"] == "therapy"
    assert result.json()["minutes"] == 90
    assert result.json()["start"][11:16] == "18:00"
