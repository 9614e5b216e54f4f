"""`journal statement`: the printable hours statement, as HTML and as a PDF printed by chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pdf_pages import first_page_png, read_pdf

from journal.settings import set_setting

CANARY = "CANARY-statement-note"


@pytest.fixture
def practised(run, journal):
    with journal.transaction():
        set_setting(journal, "practitioner", "Sam Taylor")
    run("log", "therapy", "50m", "--at", "2026-03-02 18:00", "--with", "Dr Hidden", "--note", CANARY)
    run("log", "therapy", "50m", "--at", "2026-03-09 18:00", "--with", "Dr Hidden")
    run("log", "therapy", "50m", "--at", "2026-03-16 18:00", "--with", "Dr Hidden", "--private")
    run("log", "supervision", "1h30m", "--at", "2026-03-03 10:00", "--with", "Alice Smith")
    run("log", "supervision", "2h", "--at", "2026-03-17 10:00", "--with", "Alice Smith",
        "--format", "group", "--group-size", "4")
    run("log", "supervision", "1h", "--at", "2026-04-07 10:00", "--with", "Bob Jones",
        "--format", "group", "--group-size", "5")
    run("log", "practice", "50m", "--at", "2026-03-04 12:00", "--client", "C014", "--note", CANARY)
    run("log", "practice", "50m", "--at", "2026-04-01 12:00", "--client", "C014")
    run("log", "cpd", "3h", "--at", "2026-02-10 09:30", "--title", "Before the period")
    run("reflect", "-m", "A private reflection " + CANARY, "--at", "2026-03-05 12:00")
    return run


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_statement_totals_logs_and_privacy(practised):
    result = practised("statement", "--since", "2026-03-01", "--until", "2026-04-30")
    assert result.exit_code == 0, result.stderr
    text = text_of(result.stdout)
    assert "Practitioner Sam Taylor" in text
    assert "Period 1 March 2026 to 30 April 2026" in text
    assert "Personal therapy 2 1.67" in text
    assert "Supervision 3 4.50" in text
    assert "Client work 2 1.67" in text
    assert "CPD" not in text.split("Hours by month")[0]
    assert "All kinds 7.83" in text
    assert "Month Personal therapy Supervision Client work Total" in text
    assert "March 2026 1.67 3.50 0.83 6.00" in text
    assert "April 2026 0.00 1.00 0.83 1.83" in text
    assert "2026-03-03 Alice Smith individual 1 h 30 min 1 h 30 min" in text
    assert "2026-03-17 Alice Smith group (4 supervisees) 2 h 1 h" in text
    assert "2026-04-07 Bob Jones group (5 supervisees) 1 h 12 min" in text
    assert "Total 4 h 30 min 2 h 42 min" in text
    assert "Personal therapy Date Hours 2026-03-02 0.83 2026-03-09 0.83 Total 1.67" in text
    assert "1 session marked private is not included" in text
    assert "Supervisor's name" in text and "Signature" in text
    for secret in (CANARY, "Dr Hidden", "C014", "reflection"):
        assert secret not in result.stdout


def test_statement_with_a_profile(practised):
    result = practised("statement", "--since", "2026-03-01", "--until", "2026-04-30",
                       "--profile", "bacp-practice")
    assert result.exit_code == 0, result.stderr
    text = text_of(result.stdout)
    assert "Requirements: BACP" in text
    assert "As of 2026-04-30: not all requirements met" in text
    # April: 1 h in a group of 5 is credited 12 min (0.2 h), 1.3 h short of 1.5 h.
    assert "2026-04: 0.2 h of supervision, 1.3 h short 1 month 2 months Not met" in text
    # The statement says what `journal check` says, in the same words.
    check = practised("check", "--profile", "bacp-practice", "--since", "2026-03-01", "--as-of", "2026-04-30",
                      "--json").json()
    for rule in check["rules"]:
        for line in (rule["summary"], *rule["details"]):
            assert line in text


def test_statement_html_file(practised, tmp_path):
    out = tmp_path / "statement.html"
    result = practised("statement", "--out", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert "Period 10 February 2026 to 7 April 2026" in text_of(out.read_text())
    assert "@page { size: A4" in out.read_text()


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")
def test_statement_pdf_prints_on_a4_with_its_text(practised, tmp_path):
    out = tmp_path / "statement.pdf"
    result = practised("statement", "--since", "2026-03-01", "--until", "2026-04-30", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    info, text = read_pdf(out)
    assert re.search(r"Page size:\s+\S+ x \S+ pts \(A4\)", info), info
    assert "Hours statement" in text and "Sam Taylor" in text and "Alice Smith" in text
    assert "Supervisor's confirmation" in text and CANARY not in text
    first_page_png(out, tmp_path)


def test_pdf_without_chromium_is_a_clear_error(practised, tmp_path, monkeypatch):
    monkeypatch.setattr("journal.statement.CHROMIUM", ("/nonexistent/chromium",))
    result = practised("statement", "--out", str(tmp_path / "s.pdf"))
    assert result.exit_code == 1
    assert "a PDF needs chromium" in result.stderr and "--out statement.html" in result.stderr


def test_statement_of_one_kind(practised):
    text = text_of(practised("statement", "--kind", "supervision").stdout)
    assert "Supervision 3 4.50 All kinds 4.50" in text
    assert "No personal therapy in this period" in text
    assert "Period 3 March 2026 to 7 April 2026" in text


FRENCH_TITLE = "Relevé d'heures de pratique clinique, de supervision et de thérapie personnelle"


def test_statement_in_french_follows_the_language_setting(practised):
    practised("config", "language", "fr")
    html = practised("statement", "--since", "2026-03-01", "--until", "2026-04-30", "--kind", "supervision",
                     "--kind", "therapy").stdout
    text = text_of(html)
    assert '<html lang="fr">' in html
    assert FRENCH_TITLE in text
    assert "Période du 1 mars 2026 au 30 avril 2026" in text
    assert "Thérapie personnelle 2 1,67" in text and "Tous types 6,17" in text
    assert "mars 2026 1,67 3,50 5,17" in text
    assert "groupe (4 supervisés) 2 h 1 h" in text
    assert "Visa du superviseur" in text and "Nom du superviseur" in text
    assert "1 séance marquée privée n'est pas incluse" in text
    for english in ("Hours statement", "Supervisor's confirmation", "Personal therapy", "Total by kind"):
        assert english not in text
    assert CANARY not in html


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")
def test_statement_pdf_in_french(practised, tmp_path):
    practised("config", "language", "fr")
    out = tmp_path / "releve.pdf"
    result = practised("statement", "--since", "2026-03-01", "--until", "2026-04-30", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip().endswith("écrit.")
    _info, text = read_pdf(out)
    assert "Relevé d'heures de pratique clinique" in text and "Visa du superviseur" in text
    assert "du 1 mars 2026 au 30 avril 2026" in text
    assert "Hours statement" not in text and CANARY not in text
    first_page_png(out, tmp_path)
