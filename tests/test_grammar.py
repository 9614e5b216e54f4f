"""Property tests for the date grammar (journal.dates) and the duration grammar (journal.durations)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from journal.dates import WEEKDAYS, parse_when
from journal.durations import MAX_MINUTES, parse_duration
from journal.errors import InputError

ZONES = [ZoneInfo("Europe/London"), ZoneInfo("America/New_York")]
zones = st.sampled_from(ZONES)

# Instants from 2024 to 2027, weighted towards the hours around each DST change of both zones.
DST_CHANGES_UTC = [
    datetime(2025, 3, 9, 7, tzinfo=timezone.utc), datetime(2025, 3, 30, 1, tzinfo=timezone.utc),
    datetime(2025, 10, 26, 1, tzinfo=timezone.utc), datetime(2025, 11, 2, 6, tzinfo=timezone.utc),
    datetime(2026, 3, 8, 7, tzinfo=timezone.utc), datetime(2026, 3, 29, 1, tzinfo=timezone.utc),
    datetime(2026, 10, 25, 1, tzinfo=timezone.utc), datetime(2026, 11, 1, 6, tzinfo=timezone.utc),
]
near_dst = st.builds(
    lambda change, minutes: change + timedelta(minutes=minutes),
    st.sampled_from(DST_CHANGES_UTC), st.integers(min_value=-3 * 24 * 60, max_value=3 * 24 * 60),
)
any_instant = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31),
                           timezones=st.just(timezone.utc))
instants = st.one_of(near_dst, any_instant)


def fails_cleanly(call) -> None:
    """``call`` either returns or raises InputError: never another exception."""
    try:
        call()
    except InputError:
        pass


def exists(local: datetime) -> bool:
    """Whether this wall-clock time exists in its zone (it does not inside a DST gap)."""
    round_trip = local.astimezone(timezone.utc).astimezone(local.tzinfo)
    return round_trip.replace(tzinfo=None) == local.replace(tzinfo=None)


# Durations -------------------------------------------------------------------------------


@given(st.integers(0, 24), st.integers(0, 59), st.sampled_from(["{h}h{m}m", "{h}h {m}m", "{h}h{m}",
                                                                 "{h}:{m:02d}", "{h} hours {m} minutes"]))
def test_any_hours_and_minutes_round_trip(hours, minutes, shape):
    total = hours * 60 + minutes
    text = shape.format(h=hours, m=minutes)
    if 0 < total <= MAX_MINUTES:
        assert parse_duration(text) == total
    else:
        with pytest.raises(InputError, match="zero|over 24 hours"):
            parse_duration(text)


@given(st.integers(1, MAX_MINUTES), st.sampled_from(["{}", "{}m", "{} min", "{}M", " {}m "]))
def test_a_number_or_m_is_always_minutes(minutes, shape):
    assert parse_duration(shape.format(minutes)) == minutes


@given(st.integers(1, 96))
def test_decimal_hours_are_rounded_to_the_minute(quarters):
    hours = quarters / 4
    assert parse_duration(f"{hours}h") == round(hours * 60)


@given(st.integers(MAX_MINUTES + 1, 10**30))
@example(int("9" * 400))
def test_absurd_durations_are_refused(minutes):
    for text in (f"{minutes}", f"{minutes}m", f"{minutes}h"):
        with pytest.raises(InputError, match="over 24 hours"):
            parse_duration(text)


@given(st.integers(1, MAX_MINUTES))
def test_negative_durations_are_refused(minutes):
    with pytest.raises(InputError, match="negative"):
        parse_duration(f"-{minutes}m")


@given(st.text())
@example("1" * 400 + "h")
@example("1" * 400 + ".5")
def test_parse_duration_raises_nothing_but_input_error(text):
    fails_cleanly(lambda: parse_duration(text))


# Dates -----------------------------------------------------------------------------------


@given(st.one_of(st.integers(-10**12, 10**12).map(str),
                 st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
                 st.integers(0, 10**8).map(lambda n: f"  +{n} ")),
       zones)
@example("20260303", ZONES[0])
@example("2026", ZONES[0])
def test_a_bare_number_is_never_a_date(text, tz):
    with pytest.raises(InputError, match="is not a date"):
        parse_when(text, tz)


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31)), zones,
       st.sampled_from(["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:00"]))
def test_iso_local_datetimes_round_trip(moment, tz, shape):
    moment = moment.replace(second=0, microsecond=0, fold=0)  # typed text carries no fold
    when = parse_when(moment.strftime(shape), tz, now=datetime(2101, 1, 1, tzinfo=timezone.utc))
    assert when.has_time
    assert when.at.tzinfo is tz
    expected = moment.replace(tzinfo=tz)
    if exists(expected):
        assert when.at.replace(tzinfo=None) == moment
        assert when.at.utcoffset() == expected.utcoffset()  # the first of two, on a fold
    else:  # inside a DST gap: moved forward by the size of the gap, never backwards
        assert when.at.astimezone(timezone.utc) == expected.astimezone(timezone.utc)
        assert when.at.replace(tzinfo=None) > moment


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31),
                    timezones=st.sampled_from(ZONES + [timezone.utc, timezone(timedelta(hours=5, minutes=30))])),
       zones)
def test_iso_datetimes_with_an_offset_keep_their_instant(moment, tz):
    when = parse_when(moment.isoformat(), tz)
    assert when.has_time
    assert when.at.astimezone(timezone.utc) == moment.astimezone(timezone.utc)
    assert when.at.tzinfo is tz


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), zones)
def test_iso_dates_mean_nine_in_the_morning(day, tz):
    # "Now" a day after the last date in every zone (2101-01-01 00:00 UTC is still 2100-12-31 in New
    # York, and a date that is today means now, not nine o'clock).
    when = parse_when(day.isoformat(), tz, now=datetime(2101, 1, 2, 12, tzinfo=timezone.utc))
    assert not when.has_time
    assert when.local_date == day
    assert when.at.time() == time(9, 0)


@given(st.integers(1, 12), st.integers(1, 12), st.integers(1990, 2030))
def test_day_first_or_month_first_is_the_setting(first, second, year):
    text = f"{first:02d}/{second:02d}/{year}"
    tz = ZONES[0]
    now = datetime(2031, 1, 1, tzinfo=timezone.utc)
    assert parse_when(text, tz, now=now, dayfirst=True).local_date == date(year, second, first)
    assert parse_when(text, tz, now=now, dayfirst=False).local_date == date(year, first, second)


@settings(max_examples=300)
@given(instants, zones, st.integers(0, 400))
def test_days_ago_lands_on_the_right_local_date(now, tz, days):
    local_now = now.astimezone(tz)
    when = parse_when(f"{days} days ago", tz, now=now)
    assert when.local_date == local_now.date() - timedelta(days=days)
    expected_time = time(9, 0) if days else local_now.time().replace(second=0, microsecond=0)
    assert when.at.time() == expected_time


@settings(max_examples=300)
@given(instants, zones, st.integers(0, 23), st.integers(0, 59))
def test_yesterday_at_a_time_is_that_wall_time_on_the_local_day_before(now, tz, hour, minute):
    local_now = now.astimezone(tz)
    when = parse_when(f"yesterday {hour:02d}:{minute:02d}", tz, now=now)
    assert when.has_time
    assert when.local_date == local_now.date() - timedelta(days=1)
    asked = datetime.combine(when.local_date, time(hour, minute), tzinfo=tz)
    if exists(asked):
        assert (when.at.hour, when.at.minute) == (hour, minute)
    else:  # inside the spring-forward gap: the same instant, shown in summer time
        assert when.at.astimezone(timezone.utc) == asked.astimezone(timezone.utc)


@settings(max_examples=300)
@given(instants, zones, st.sampled_from(WEEKDAYS), st.booleans(), st.booleans())
def test_weekdays_are_the_most_recent_one(now, tz, weekday, last, short):
    local_today = now.astimezone(tz).date()
    word = weekday[:3] if short else weekday
    when = parse_when(f"last {word} 9am" if last else f"{word} 9am", tz, now=now)
    back = (local_today - when.local_date).days
    assert WEEKDAYS[when.local_date.weekday()] == weekday
    assert (1 <= back <= 7) if last else (0 <= back <= 6)
    assert (when.at.hour, when.at.minute) == (9, 0)


@given(instants, zones, st.sampled_from(["today", "now", "yesterday", "tomorrow"]))
def test_day_words_follow_the_local_calendar(now, tz, word):
    offset = {"today": 0, "now": 0, "yesterday": -1, "tomorrow": 1}[word]
    assert parse_when(word, tz, now=now).local_date == now.astimezone(tz).date() + timedelta(days=offset)


@given(st.text(), zones)
@example("1000000000000 minutes ago", ZONES[0])
@example("99999999999999999999 hours ago", ZONES[0])
@example("2025 years ago", ZoneInfo("Asia/Tokyo"))
@example("0001-01-01 05:00", ZoneInfo("Asia/Tokyo"))
@example("9999-12-31 23:00", ZONES[1])
@example("0001-01-01T00:00+14:00", ZONES[0])
def test_parse_when_raises_nothing_but_input_error(text, tz):
    fails_cleanly(lambda: parse_when(text, tz, now=datetime(2026, 3, 29, 0, 30, tzinfo=timezone.utc)))


@given(st.lists(st.sampled_from(["last", "yesterday", "today", "ago", "3", "days", "tue", "9am", "18:00",
                                 "at", "noon", "2026-03-03", "13:61", "pm", "0am", "week", "an", "-"]),
                max_size=5).map(" ".join), zones)
def test_grammar_words_in_any_order_raise_nothing_but_input_error(text, tz):
    fails_cleanly(lambda: parse_when(text, tz, now=datetime(2026, 3, 29, 0, 30, tzinfo=timezone.utc)))
