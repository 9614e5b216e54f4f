"""Issue 10, item 8: a typed duration means what it says wherever it is typed. A bare number is
minutes only when whole (`1.5` asks "did you mean 1.5h, or 90 (minutes)?"); a negative one is
said to be negative, not taken for an unknown option by Click."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from journal.durations import parse_duration
from journal.errors import InputError


@pytest.mark.parametrize(("typed", "hint"), [
    ("1.5", "did you mean 1.5h, or 90 (minutes)?"),
    ("0.75", "did you mean 0.75h, or 45 (minutes)?"),
    (".5", "did you mean 0.5h, or 30 (minutes)?"),
    ("1,5", "did you mean 1.5h, or 90 (minutes)?"),
])
def test_a_bare_fraction_asks_which_was_meant(typed, hint):
    with pytest.raises(InputError) as caught:
        parse_duration(typed)
    assert hint in caught.value.one_line()


@given(st.integers(1, 23), st.integers(1, 99))
def test_no_bare_fraction_is_read_as_minutes(whole, part):
    with pytest.raises(InputError, match="has no unit"):
        parse_duration(f"{whole}.{part}")


@pytest.mark.parametrize("typed", ["90", "1.5h", "1h30m", "1:30", "90m"])
def test_whole_and_unit_durations_still_read(typed):
    assert parse_duration(typed) == 90


@pytest.mark.parametrize("command", [
    ("log", "cpd", "{d}"),
    ("log", "therapy", "{d}", "--at", "2026-03-03 10:00"),
    ("edit", "1", "--duration", "{d}"),
])
@pytest.mark.parametrize(("typed", "message"), [
    ("1.5", "duration '1.5' has no unit; did you mean 1.5h, or 90 (minutes)?"),
    ("-50m", "duration '-50m' is negative: a duration must be positive"),
    ("-1.5h", "duration '-1.5h' is negative: a duration must be positive"),
])
def test_every_command_that_takes_a_duration_says_what_is_wrong(run, command, typed, message):
    assert run("log", "cpd", "1h", "--at", "2026-03-01 09:00").exit_code == 0
    result = run(*(part.format(d=typed) for part in command))
    assert result.exit_code == 2
    assert message in result.stderr
    assert "No such option" not in result.stderr and "Traceback" not in result.stderr
    assert run("show", "1", "--json").json()["minutes"] == 60  # nothing written
    assert len(run("list", "--json").json()) == 1


def test_a_negative_number_elsewhere_is_not_an_unknown_option(run):
    result = run("show", "-5")
    assert result.exit_code == 2
    assert "'-5' is negative: numbers here must be positive" in result.stderr
    assert "No such option" not in result.stderr
