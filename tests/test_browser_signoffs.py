"""Countersigning in a real browser against a real `journal serve` on 127.0.0.1 (Playwright, Debian's
chromium): an invite, the supervisor choosing a password, signing a month, and the journal's view of it.

Screenshots land in test-artifacts/. Run only the browser tests with `pytest -m browser`.
"""

from __future__ import annotations

import json

import pytest
from procs import run_journal
from test_browser import ARTIFACTS, CHROMIUM, page, server  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make system-packages)"),
]

NAME, CHOSEN = "carol", "carols own long password"


def journal(tmp_path, *args, input=None):
    result = run_journal(tmp_path / "journal" / "journal.db", *args, input=input)
    return result


def test_invited_supervisor_signs_a_month_in_the_browser_and_changes_show(server, page, tmp_path):  # noqa: F811
    db_args = tmp_path
    link = journal(db_args, "supervisor", "invite", NAME, "--url", server)
    assert link.returncode == 0, link.stderr
    page.goto(link.stdout.strip())
    assert page.locator("h1").inner_text() == "Choose your password"
    page.fill("#password", CHOSEN)
    page.fill("#again", CHOSEN)
    page.click("button:has-text('Set my password')")
    page.wait_for_load_state()
    assert "Your password is set, carol" in page.locator(".notice-done").inner_text()
    page.screenshot(path=str(ARTIFACTS / "invite-done.png"), full_page=True)
    page.click("main a:has-text('Sign in')")
    page.wait_for_load_state()
    page.fill("#id_username", NAME)
    page.fill("#id_password", CHOSEN)
    page.click("form.password-login input[type=submit]")
    page.wait_for_load_state()
    assert page.url == server + "/"

    page.click(".site-bar >> text=Countersign")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Countersign"
    page.screenshot(path=str(ARTIFACTS / "countersign-awaiting.png"), full_page=True)
    page.click("tr:has-text('Jan 2026') >> text=Read and countersign")
    page.wait_for_load_state()
    assert page.url == server + "/months/2026-01"

    # A wrong password signs nothing.
    page.fill("#password", "not my password")
    page.click("button:has-text('Countersign')")
    page.wait_for_load_state()
    assert page.locator(".notice").inner_text() == "That is not your password. Nothing was signed."
    assert json.loads(journal(db_args, "signoffs", "--json").stdout) == []
    assert [e for e in page.console_errors if "status of 400" not in e] == []  # the browser logs the 400 itself
    page.console_errors.clear()

    page.fill("#comment", "Agreed: a good month's work.")
    page.fill("#password", CHOSEN)
    page.click("button:has-text('Countersign')")
    page.wait_for_load_state()
    assert page.locator(".notice-done").inner_text().startswith("You countersigned Jan 2026.")
    assert page.locator("td[data-label=State]").first.inner_text() == "countersigned"
    page.screenshot(path=str(ARTIFACTS / "countersign-month.png"), full_page=True)
    assert page.console_errors == []

    listed = journal(db_args, "signoffs", "--json")
    assert listed.returncode == 0, listed.stderr
    [row] = json.loads(listed.stdout)
    assert (row["period"], row["supervisor"], row["status"], row["comment"]) == (
        "2026-01", NAME, "valid", "Agreed: a good month's work.")
    fingerprints = {r["name"]: r["fingerprint"] for r in json.loads(journal(db_args, "supervisor", "list", "--json").stdout)}
    assert row["fingerprint"] == fingerprints[NAME]

    before = tmp_path / "before.json"
    assert journal(db_args, "signoffs", "export", str(before)).returncode == 0
    assert journal(db_args, "verify", str(before)).returncode == 0

    session = next(r for r in json.loads(journal(db_args, "list", "--json", "-n", "0").stdout)
                   if r["date"] == "2026-01-07" and r["kind"] == "supervision")
    edited = journal(db_args, "edit", str(session["id"]), "--duration", "80m")
    assert "in 2026-01, countersigned by carol on" in edited.stderr
    [row] = json.loads(journal(db_args, "signoffs", "--json").stdout)
    assert row["status"] == "changed" and [(c["id"], c["change"]) for c in row["changes"]] == [(session["id"], "edited")]

    after = tmp_path / "after.json"
    assert journal(db_args, "signoffs", "export", str(after)).returncode == 0
    failed = journal(db_args, "verify", str(after))
    assert failed.returncode == 1 and "(supervision, 2026-01-07T10:00:00Z) edited" in failed.stdout
    assert journal(db_args, "verify", str(before)).returncode == 0
