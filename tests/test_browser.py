"""A supervisor in a real browser: Playwright driving Debian's chromium against `journal serve`.

Screenshots land in test-artifacts/ (not committed). Run only these with `pytest -m browser`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from supervisor_data import PASSWORD, SHARED_WORD, SUPERVISOR, build

from journal.db import open_journal

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make system-packages)"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """A real `journal serve` on a free loopback port, stopped after the test."""
    db = tmp_path / "journal" / "journal.db"
    journal = open_journal(db)
    build(journal)
    journal.close()
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "journal", "--db", str(db), "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "TZ": "Europe/London"},
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"journal serve did not start: {process.communicate()[1]}")
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1100, "height": 900})
        tab.console_errors = []
        tab.on("console", lambda message: message.type == "error" and tab.console_errors.append(message.text))
        tab.on("pageerror", lambda error: tab.console_errors.append(str(error)))
        yield tab
        browser.close()


def sign_in(page, base: str, password: str = PASSWORD) -> None:
    page.goto(base + "/")
    assert page.url == base + "/-/login"
    page.fill("#id_username", SUPERVISOR)
    page.fill("#id_password", password)
    page.click("form.password-login input[type=submit]")
    page.wait_for_load_state()


def test_supervisor_signs_in_reads_searches_and_opens_a_chart(server, page):
    sign_in(page, server)
    assert page.title() == "Supervisor report: Sam Rivers"
    assert page.locator("h1").inner_text() == "Supervisor report: Sam Rivers"
    assert page.locator("table.summary tbody tr").first.inner_text().split("\t")[:3] == [
        "Personal therapy", "3", "2.50 h"]
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)

    page.fill(".site-bar input[name=q]", SHARED_WORD)
    page.press(".site-bar input[name=q]", "Enter")
    page.wait_for_load_state()
    results = page.locator("ol.search-results li")
    assert results.count() == 2
    assert page.locator("ol.search-results mark").first.inner_text().lower() == SHARED_WORD
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)
    page.click("text=After the January supervision")
    page.wait_for_load_state()
    assert page.locator(".reflection-text h4").inner_text() == "Feelings"

    page.click(".site-bar >> text=Charts")
    page.wait_for_load_state()
    assert page.locator(".charts-page svg").count() == 4
    assert page.locator("#emotions svg").get_attribute("aria-label") == "Emotions named in shared reflections, by month"
    assert page.locator("#supervision svg").get_attribute("aria-label") == "Supervision per calendar month"
    assert page.locator("#supervision svg text", has_text="1.5 h a month").count() == 1
    page.screenshot(path=str(ARTIFACTS / "charts.png"), full_page=True)
    response = page.goto(server + "/-/charts/supervision.svg")
    assert response.status == 200 and response.headers["content-type"].startswith("image/svg+xml")
    assert page.console_errors == []


def test_a_wrong_password_stays_on_the_login(server, page):
    sign_in(page, server, password="not the password")
    assert page.url == server + "/-/login"
    assert page.locator(".message-error").inner_text() == "Invalid username or password"
    page.goto(server + "/report/sessions")
    assert page.url == server + "/-/login"
    assert page.console_errors == []
