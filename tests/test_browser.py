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
from journal.settings import set_setting

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


def serve(tmp_path, profiles: str | None = None, prepare=None):
    """A real `journal serve` on a free loopback port, stopped after the test; ``prepare(db_path)``
    may set the journal up further before it is served."""
    db = tmp_path / "journal" / "journal.db"
    journal = open_journal(db)
    build(journal)
    if profiles:
        with journal.transaction():
            set_setting(journal, "profiles", profiles)
    journal.close()
    if prepare:
        prepare(db)
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
def server(tmp_path):
    yield from serve(tmp_path)


@pytest.fixture
def profiled_server(tmp_path):
    yield from serve(tmp_path, "bacp-practice,emdr-europe,ukcp-trainee-therapy")


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
    assert page.locator("table.report tbody tr").first.inner_text().split("\t")[:3] == [
        "Personal therapy", "3", "2.5 h"]

    page.fill(".site-bar input[name=q]", SHARED_WORD)
    page.press(".site-bar input[name=q]", "Enter")
    page.wait_for_load_state()
    results = page.locator("ol.search-results li")
    assert results.count() == 2
    assert page.locator("ol.search-results mark").first.inner_text().lower() == SHARED_WORD
    page.click("text=After the January supervision")
    page.wait_for_load_state()
    assert page.locator(".reflection-text h4").inner_text() == "Feelings"

    page.click(".site-bar >> text=Charts")
    page.wait_for_load_state()
    assert page.locator(".charts svg").count() == 4
    assert page.locator("#emotions svg").get_attribute("aria-label") == "Emotions named in shared reflections, by month"
    assert page.locator("#supervision svg").get_attribute("aria-label") == "Supervision per calendar month"
    assert page.locator("#supervision svg text", has_text="1.5 h a month").count() == 0  # no profile, no line
    response = page.goto(server + "/charts/supervision.svg")
    assert response.status == 200 and response.headers["content-type"].startswith("image/svg+xml")
    assert page.console_errors == []


PAGES = {
    "report": "/", "supervision": "/supervision", "client-work": "/client-work", "therapy": "/therapy",
    "cpd": "/cpd", "reflections": "/reflections", "reflection": "/reflections/1",
    "search": f"/reflections?q={SHARED_WORD}", "requirements": "/requirements", "charts": "/charts",
    "hours": "/hours?since=2026-01-01&until=2026-03-31", "hours-error": "/hours?since=31/13/2026",
}


@pytest.mark.parametrize("width", [1280, 375])
def test_every_page_fits_the_screen_and_is_photographed(profiled_server, page, width):
    """Each page at a desktop and a phone width: no sideways scrolling, no console error, and a
    screenshot in test-artifacts/ to look at as a supervisor would."""
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, profiled_server)
    for name, path in PAGES.items():
        response = page.goto(profiled_server + path)
        assert response.status == (400 if name == "hours-error" else 200), path
        if name == "hours-error":  # the browser logs the 400 answer itself
            assert [e for e in page.console_errors if "status of 400" not in e] == []
            page.console_errors.clear()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow} px at {width} px"
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    page.emulate_media(media="print")
    page.goto(profiled_server + "/supervision")
    assert not page.locator(".site-bar").is_visible()
    page.screenshot(path=str(ARTIFACTS / f"supervision-print-{width}.png"), full_page=True)
    assert page.console_errors == []


def test_a_wrong_password_stays_on_the_login(server, page):
    sign_in(page, server, password="not the password")
    assert page.url == server + "/-/login"
    assert page.locator(".message-error").inner_text() == "Invalid username or password"
    assert page.input_value("#id_username") == SUPERVISOR and page.input_value("#id_password") == ""
    page.screenshot(path=str(ARTIFACTS / "login-wrong-password.png"), full_page=True)
    page.goto(server + "/report/sessions")
    assert page.url == server + "/-/login"
    assert page.console_errors == []


def test_sign_out_from_the_site_bar_ends_the_session(server, page):
    sign_in(page, server)
    page.click(".site-bar button:has-text('Sign out alice')")
    page.wait_for_load_state()
    assert page.url == server + "/-/login"
    page.screenshot(path=str(ARTIFACTS / "login.png"), full_page=True)
    page.goto(server + "/report/sessions")
    assert page.url == server + "/-/login"
    assert page.context.cookies() and not [c for c in page.context.cookies() if c["name"] == "journal_session"]
    assert page.console_errors == []
