"""Memberships of professional bodies: add, list, remove, and `check` warning before one expires."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _a_journal(journal):
    """Memberships are kept in a journal, which `journal init` (or a first session) creates."""


def test_add_list_and_remove(run):
    added = run("membership", "add", "BACP", "--number", "00412876", "--since", "2019-09-01",
                "--valid-until", "2027-06-30", "--url", "https://www.bacp.co.uk/search/Register", "--json")
    assert added.exit_code == 0 and "Added membership #1: BACP 00412876." in added.stderr
    assert added.json() == {"id": 1, "body": "BACP", "number": "00412876", "since": "2019-09-01",
                            "valid_until": "2027-06-30", "url": "https://www.bacp.co.uk/search/Register"}
    run("membership", "add", "UKCP", "--number", "2021-04471")
    listed = run("membership", "list", "--json").json()
    assert [(m["body"], m["state"]) for m in listed] == [("BACP", "valid"), ("UKCP", "valid")]
    assert "00412876" in run("membership", "list").stdout
    removed = run("membership", "remove", "1")
    assert removed.exit_code == 0 and "Removed membership #1: BACP 00412876." in removed.stderr
    assert [m["body"] for m in run("membership", "list", "--json").json()] == ["UKCP"]
    gone = run("membership", "remove", "1")
    assert gone.exit_code == 1 and "no membership with id 1; `journal membership list` shows the ids" in gone.stderr


@pytest.mark.parametrize("args, message", [
    (("--number", "1", "--valid-until", "2027-31-01"),
     "--valid-until '2027-31-01' is not a date; give it as e.g. --valid-until 2027-03-31"),
    (("--number", "1", "--since", "2027-01-01", "--valid-until", "2026-01-01"),
     "--since 2027-01-01 is after --valid-until 2026-01-01"),
    (("--number", "1", "--url", "bacp.co.uk"), "'bacp.co.uk' is not a web address"),
    (("--number", "  "), "the membership number is empty"),
    ((), "Missing option '--number'"),
])
def test_bad_input_is_refused_and_nothing_is_written(run, args, message):
    result = run("membership", "add", "BACP", *args)
    assert result.exit_code == 2 and message in result.stderr
    assert run("membership", "list", "--json").json() == []


@pytest.mark.parametrize("as_of, warning", [
    ("2026-03-30", None),
    ("2026-03-31", "your BACP membership (00412876) expires on 2026-04-30, in 30 days; renew it in time"),
    ("2026-04-29", "your BACP membership (00412876) expires on 2026-04-30, in 1 day; renew it in time"),
    ("2026-05-01", "your BACP membership (00412876) expired on 2026-04-30; renew it, then "
                   "`journal membership remove 1` and add the new one"),
])
def test_check_warns_thirty_days_before_a_membership_expires(run, as_of, warning):
    run("membership", "add", "BACP", "--number", "00412876", "--valid-until", "2026-04-30")
    run("membership", "add", "UKCP", "--number", "9", "--valid-until", "2030-01-01")
    run("log", "supervision", "1h30m", "--at", "2026-03-02 10:00")
    result = run("check", "--profile", "bacp-practice", "--as-of", as_of, "--json")
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning: ")]
    assert warnings == ([f"Warning: {warning}"] if warning else [])
    assert result.json()["profile"] == "bacp-practice"  # stdout stays JSON for scripts
    states = {m["body"]: m["state"] for m in run("membership", "list", "--json").json()}
    assert states["UKCP"] == "valid"
