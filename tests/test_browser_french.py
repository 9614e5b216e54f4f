"""The French site and the French statement as their readers see them: a real `journal serve` for a
practitioner who works in French, Playwright driving Debian's chromium, and the statement's PDF drawn
by pdftoppm. Screenshots land in test-artifacts/ (not committed). Run with `pytest -m browser`."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from test_browser import ARTIFACTS, CHROMIUM, page, serve, sign_in  # noqa: F401 (the page fixture)

from journal.db import open_journal
from journal.settings import set_setting

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make system-packages)"),
]
PROFILES = "bacp-practice,emdr-europe,ukcp-trainee-therapy"
# What each screenshot shows, and the French its reader must find there.
PAGES = {
    "fr-home": ("/", "Rapport de supervision"),
    "fr-requirements": ("/requirements", "Membres de la BACP en exercice"),
    "fr-table": ("/report/supervision_log", "Registre de supervision"),  # Datasette's table page sends here
    "fr-reflections": ("/reflections", "Réflexions partagées"),
    "fr-error": ("/nope", "Cette page n’existe pas dans ce rapport."),
}


@pytest.fixture
def french_server(tmp_path):
    def in_french(journal_path):
        journal = open_journal(journal_path)
        with journal.transaction():
            set_setting(journal, "language", "fr")
        journal.close()

    yield from serve(tmp_path, PROFILES, prepare=in_french)


@pytest.mark.parametrize("width", [1280, 375])
def test_the_french_site_in_a_browser(french_server, page, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(french_server + "/")
    assert page.url == french_server + "/-/login"
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == "Connexion au rapport de supervision"
    page.screenshot(path=str(ARTIFACTS / f"fr-login-{width}.png"), full_page=True)
    sign_in(page, french_server)
    for name, (path, words) in PAGES.items():
        response = page.goto(french_server + path)
        assert response.status == (404 if name == "fr-error" else 200), path
        assert words in page.locator("main").inner_text(), path
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow} px at {width} px"
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        if name == "fr-error":  # the browser logs the 404 answer itself
            assert [e for e in page.console_errors if "status of 404" not in e] == []
            page.console_errors.clear()
    # The switch, clicked as a reader would: English on this page and the next, then French again.
    page.goto(french_server + "/requirements")
    page.click("nav.language a[hreflang=en]")
    assert page.url == french_server + "/requirements"
    assert "BACP members in practice" in page.locator("main").inner_text()
    page.goto(french_server + "/supervision")
    assert page.locator("h1").inner_text() == "Supervision log"
    page.click("nav.language a[hreflang=fr]")
    assert page.locator("h1").inner_text() == "Registre de supervision"
    assert page.console_errors == []


def test_the_french_statement_as_printed(tmp_path):
    """The PDF statement of a practitioner who works in French, drawn page by page to look at."""
    from click.testing import CliRunner

    from journal.cli import cli
    from supervisor_data import build

    if not shutil.which("pdftoppm"):
        pytest.fail("install poppler-utils (apt-get install poppler-utils) for pdftoppm")
    db = tmp_path / "journal.db"
    journal = open_journal(db)
    build(journal)
    with journal.transaction():
        set_setting(journal, "language", "fr")
        set_setting(journal, "profiles", PROFILES)
    journal.close()
    out = tmp_path / "releve.pdf"
    result = CliRunner().invoke(cli, ["--db", str(db), "statement", "--profile", "bacp-practice", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "Visa du superviseur" in " ".join(text.split())
    assert "Membres de la BACP en exercice" in " ".join(text.split())
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob("fr-statement-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(out), str(ARTIFACTS / "fr-statement")], check=True)
    pages = sorted(ARTIFACTS.glob("fr-statement-*.png"))
    assert pages and all(p.stat().st_size > 5_000 for p in pages)
