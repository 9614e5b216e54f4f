"""`journal trust-statement`: the page for clients, its figures (the rules engine's, as `journal check`
gives them), its footnotes, its languages, its privacy, and its PDF read back."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from pdf_pages import first_page_png, read_pdf
from dateutil.relativedelta import relativedelta

from journal.rules import today
from journal.settings import set_setting
from journal.trust import HISTORY_PROFILE, RECENT_PROFILE

CLIENT = "ZQ9CANARY"
NOTE = "CANARY-trust-note"
SUPERVISOR = "Alice Hidden-Supervisor"
THERAPIST = "Dr Hidden-Therapist"


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def window(journal) -> tuple[date, date]:
    """The twelve whole calendar months before today: the statement's window."""
    last = today(journal).replace(day=1) - timedelta(days=1)
    return last.replace(day=1) - relativedelta(months=11), last


@pytest.fixture
def practice(run, journal, window):
    first, last = window
    with journal.transaction():
        set_setting(journal, "practitioner", "Camille Durand")
    months = [first + relativedelta(months=n) for n in range(12)]
    for n, month in enumerate(months):
        if n in (3, 7):
            continue  # two months without supervision
        run("log", "supervision", "1h30m", "--at", f"{month + timedelta(days=4)} 10:00", "--with", SUPERVISOR)
    run("log", "supervision", "2h", "--at", f"{months[0] + timedelta(days=10)} 10:00", "--with", SUPERVISOR,
        "--format", "group", "--group-size", "4")
    run("log", "supervision", "5h", "--at", f"{first - timedelta(days=3)} 10:00")  # before the window
    run("log", "cpd", "3h", "--at", f"{months[5] + timedelta(days=2)} 09:00", "--title", "Working with shame")
    run("log", "cpd", "7h", "--at", f"{first - timedelta(days=40)} 09:00")  # before the window
    for day in ("2019-03-04", "2019-03-11", "2021-06-07"):
        run("log", "therapy", "50m", "--at", f"{day} 18:00", "--with", THERAPIST, "--note", NOTE)
    run("log", "practice", "50m", "--at", f"{months[2]} 12:00", "--client", CLIENT, "--note", NOTE,
        "--card", "empty-chair")
    run("membership", "add", "BACP", "--number", "00412876", "--since", "2019-09-01", "--valid-until",
        str(last + relativedelta(years=1)), "--url", "https://www.bacp.co.uk/search/Register")
    run("membership", "add", "UKCP", "--number", "OLD-2016", "--valid-until", "2020-01-31")
    return run


def test_every_figure_is_the_rules_engines_as_check_gives_it(practice, window):
    first, last = window
    figures = practice("trust-statement", "--json").json()
    assert figures["supervision_months"] == 10 and figures["months_counted"] == 12
    assert figures["supervision_hours"] == 17.0  # 10 x 1.5 h and the 2 h group, in full
    assert figures["cpd_hours"] == 3.0
    assert figures["therapy_hours"] == 2.5 and (figures["therapy_first"], figures["therapy_last"]) == (
        "2019-03-04", "2021-06-07")
    assert [m["body"] for m in figures["memberships"]] == ["BACP"]  # the expired one is left out
    recent = practice("check", "--profile", str(RECENT_PROFILE), "--since", str(first), "--as-of", str(last),
                      "--json").json()
    history = practice("check", "--profile", str(HISTORY_PROFILE), "--json").json()
    checked = {rule["id"]: rule["value"] for rule in recent["rules"] + history["rules"]}
    assert (checked["supervision-months"], checked["supervision-hours"], checked["cpd-hours"],
            checked["therapy-hours"]) == (figures["supervision_months"], figures["supervision_hours"],
                                          figures["cpd_hours"], figures["therapy_hours"])


def test_the_page_has_a_footnote_per_figure_and_no_client_data_nor_names(practice, window):
    first, last = window
    result = practice("trust-statement")
    assert result.exit_code == 0, result.stderr
    html = result.stdout
    text = text_of(html)
    month = f"{first:%B %Y}"
    assert f"Supervision in 10 of the last 12 calendar months ({month} to {last:%B %Y}) 1" in text
    assert "17 h of supervision over those months 2" in text
    assert "Countersigned by a supervisor for 0 of those 12 months 3" in text
    assert "2.5 h of personal therapy 4" in text
    assert "Personal therapy over the years 2019 to 2021 5" in text
    assert "3 h of continuing professional development in the last 12 calendar months 6" in text
    assert "Membership of professional bodies 7" in text
    assert "BACP 00412876 1 September 2019" in text and "OLD-2016" not in text
    assert html.count("<sup>") == 7 and len(re.findall(r"<li>", html.split('class="notes"')[1])) == 7
    assert f"in which at least one supervision session is recorded" in text
    assert "rules trust-recent: supervision-months, supervision-hours, cpd-hours" in text
    assert "Camille Durand" in text
    for secret in (CLIENT, NOTE, SUPERVISOR, THERAPIST, "empty-chair", "50 min", "client practice"):
        assert secret not in html, secret
    named = text_of(practice("trust-statement", "--names").stdout)
    assert f"Supervisors: {SUPERVISOR}" in named and f"Therapists: {THERAPIST}" in named
    assert CLIENT not in named and NOTE not in named


def test_countersigned_months_are_counted_and_a_changed_one_is_not(practice, window):
    first, _ = window
    months = [first + relativedelta(months=n) for n in (0, 1, 2)]
    assert practice("supervisor", "add", "alice", "--password-stdin", input="alice's password\n").exit_code == 0
    for month in months:
        signed = practice("signoffs", "sign", f"{month:%Y-%m}", "--supervisor", "alice", "--password-stdin",
                          input="alice's password\n")
        assert signed.exit_code == 0, signed.stderr
    session = next(r for r in practice("list", "--json", "-n", "0", "--kind", "supervision").json()
                   if r["date"] == str(months[1] + timedelta(days=4)))
    assert practice("edit", str(session["id"]), "--duration", "1h").exit_code == 0
    figures = practice("trust-statement", "--json").json()
    assert figures["countersigned_months"] == [f"{months[0]:%Y-%m}", f"{months[2]:%Y-%m}"]
    assert figures["changed_since_countersigned"] == [f"{months[1]:%Y-%m}"]
    text = text_of(practice("trust-statement").stdout)
    assert "Countersigned by a supervisor for 2 of those 12 months 3" in text
    assert "1 more month(s) were changed after signing and are not counted" in text
    assert "alice" not in text  # no names unless asked for
    assert "Contresignée par un superviseur pour 2 de ces 12 mois" in text_of(
        practice("trust-statement", "--lang", "fr").stdout)


def test_the_page_in_french(practice, window):
    text = text_of(practice("trust-statement", "--lang", "fr").stdout)
    assert "Supervision, thérapie personnelle et formation" in text
    assert "Supervision pendant 10 des 12 derniers mois civils" in text
    assert "2,5 h de thérapie personnelle" in text and "Thérapie personnelle de 2019 à 2021" in text
    assert "1er septembre 2019" in text and "Comment chaque chiffre a été calculé" in text


def test_an_empty_journal_gets_an_honest_page_and_a_hint_for_the_name(run):
    run("init")
    result = run("trust-statement")
    assert result.exit_code == 0
    text = text_of(result.stdout)
    assert "Supervision in 0 of the last 12 calendar months" in text
    assert "No personal therapy recorded." in text and "No membership recorded." in text
    assert "journal config practitioner 'Your Name'" in result.stderr


def test_html_file_is_written_private(practice, tmp_path):
    out = tmp_path / "trust.html"
    result = practice("trust-statement", "--out", str(out))
    assert result.exit_code == 0 and f"Wrote {out}." in result.stderr
    assert "Supervision in 10" in text_of(out.read_text(encoding="utf-8")) and out.stat().st_mode & 0o777 == 0o600


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")
def test_the_pdf_is_one_a4_page_read_back(practice, tmp_path):
    out = tmp_path / "trust.pdf"
    result = practice("trust-statement", "--names", "--lang", "fr", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    info, text = read_pdf(out)
    assert re.search(r"Pages:\s+1\n", info) and re.search(r"Page size:\s+\S+ x \S+ pts \(A4\)", info), info
    assert "Camille Durand" in text and "Supervision pendant 10 des 12 derniers mois civils" in text
    assert "comment chaque chiffre a été calculé" in text.lower() and SUPERVISOR in text
    assert CLIENT not in text and NOTE not in text
    first_page_png(out, tmp_path, resolution=50)


def test_a_pdf_without_chromium_is_a_clear_error_and_writes_nothing(practice, tmp_path, monkeypatch):
    monkeypatch.setattr("journal.statement.CHROMIUM", ("/nonexistent/chromium",))
    out = tmp_path / "trust.pdf"
    result = practice("trust-statement", "--out", str(out))
    assert result.exit_code == 1 and "a PDF needs chromium" in result.stderr and not out.exists()
