"""The supervisor's site in French and in English: every word of its pages through the catalogue, a
language switch on every page (the sign-in page included) that opens nothing, the practitioner's
language by default, and the words of `journal check` in the reader's language."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from site_crawl import crawl_pages, signed_in_cookies
from supervisor_data import CANARY, PASSWORD, SUPERVISOR, build, csrf_token
from test_supervisor_pages import visible_text

from journal.i18n import LOCALE_DIR
from journal.resources import site_folder
from journal.settings import set_setting
from journal.supervisor.logins import LoginBook
from journal.supervisor.publish import publish
from journal.supervisor.serve import make_datasette

PROFILES = "bacp-practice,emdr-europe,ukcp-trainee-therapy,tx-lpc"
TEMPLATES = site_folder("data") / "templates"
# Pages of every type a supervisor meets, signed in: ours, an error of each kind, Datasette's own.
PAGES = ("/", "/supervision", "/client-work", "/therapy", "/cpd", "/reflections", "/reflections?q=supervision",
         "/reflections/1", "/requirements", "/charts", "/hours?since=2026-01&until=2026-03", "/countersign",
         "/months/2026-01", "/nope", "/reflections/999", "/hours?since=2026-13", "/report.csv",
         "/-/logout")
FRENCH = re.compile(r'<html lang="fr">')


def _site(journal, tmp_path, language: str | None = None):
    build(journal)
    with journal.transaction():
        set_setting(journal, "profiles", PROFILES)
        if language:
            set_setting(journal, "language", language)
    path = publish(journal, tmp_path / "report.db").path
    return make_datasette(path, logins=LoginBook(journal.path), secret="f" * 64), path


def _catalogue() -> list[tuple[str, str]]:
    """(English, French) of every message whose French differs, plural forms included."""
    with (LOCALE_DIR / "fr" / "LC_MESSAGES" / "journal.po").open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    pairs = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        pairs += [(english, french) for english, french in zip(ids, strings) if english != french]
    return pairs


def _pieces(text: str) -> list[str]:
    """The literal stretches of a message between its placeholders and markup, long enough to be telling."""
    parts = re.split(r"\{[^}]*\}|<[^>]+>|`[^`]*`", text)
    return [part.strip(" .,;:()") for part in parts if len(part.strip(" .,;:()")) >= 14 and " " in part.strip()]


ENGLISH_PIECES = sorted({piece for english, _french in _catalogue() for piece in _pieces(english)})
FRENCH_PIECES = sorted({piece for _english, french in _catalogue() for piece in _pieces(french)})


def _crawl(ds, cookies: dict) -> dict:
    async def crawl():
        signed = await signed_in_cookies(ds, SUPERVISOR, PASSWORD)
        return await crawl_pages(ds, {**signed, **cookies}, PAGES)

    return asyncio.run(crawl())


def _html_pages(responses: dict) -> dict[str, str]:
    return {url: r.text for url, r in responses.items() if "html" in r.headers.get("content-type", "")}


# --- Every word of the templates goes through the catalogue ------------------------------------------

JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
SPOKEN_ATTRIBUTES = re.compile(r'\b(?:aria-label|placeholder|alt|title|value|data-label)="([^"]*)"')


def test_no_template_of_the_site_holds_english_outside_the_catalogue():
    """A word typed straight into a page (text or a label a reader hears) fails, naming the file."""
    untranslated = []
    for path in sorted(TEMPLATES.glob("*.html")):
        source = JINJA.sub(" ", path.read_text(encoding="utf-8"))
        untranslated += [f"{path.name}: attribute {v!r}" for v in SPOKEN_ATTRIBUTES.findall(source)
                         if re.search(r"[A-Za-z]{2}", v)]
        text = re.sub(r"<!DOCTYPE[^>]*>|<[^>]+>", " ", source)
        untranslated += [f"{path.name}: {word!r}" for word in re.findall(r"[A-Za-z][A-Za-z']+", text)]
    assert untranslated == []


def test_the_template_check_catches_a_word_typed_into_a_page(tmp_path):
    """The check above is not vacuous: the same reading finds an English word in a page."""
    page = '<p>{{ _("Hours") }} Sessions <input placeholder="Search"></p>'
    source = JINJA.sub(" ", page)
    assert SPOKEN_ATTRIBUTES.findall(source) == ["Search"]
    assert re.findall(r"[A-Za-z][A-Za-z']+", re.sub(r"<[^>]+>", " ", source)) == ["Sessions"]


# --- French pages say nothing in English, English pages nothing in French ------------------------------

def test_every_french_page_is_in_french(journal, tmp_path):
    ds, _path = _site(journal, tmp_path)  # the report is in English; the supervisor switched to French
    pages = _html_pages(_crawl(ds, {"journal_language": "fr"}))
    assert len(pages) > 20 and set(PAGES) <= set(pages)
    english = {}
    for url, page in pages.items():
        assert FRENCH.search(page), url
        text = visible_text(page)
        found = [piece for piece in ENGLISH_PIECES if piece in text]
        if found:
            english[url] = found
    assert english == {}
    assert "Rapport de supervision" in pages["/"] and "Membres de la BACP en exercice" in pages["/"]
    assert "ressenti : espoir, honte" in visible_text(pages["/reflections"])  # the vocabulary's French words


def test_every_english_page_is_in_english(journal, tmp_path):
    ds, _path = _site(journal, tmp_path, language="fr")  # a French report read in English
    pages = _html_pages(_crawl(ds, {"journal_language": "en"}))
    french = {url: [p for p in FRENCH_PIECES if p in visible_text(page)] for url, page in pages.items()}
    assert {url: found for url, found in french.items() if found} == {}
    assert all('<html lang="en">' in page for page in pages.values())
    assert "Supervisor report" in pages["/"] and "BACP members in practice" in pages["/"]
    assert "feeling hope, shame" in visible_text(pages["/reflections"])


def test_the_requirements_speak_the_words_of_journal_check_in_either_language(journal, tmp_path):
    from click.testing import CliRunner

    from journal.cli import cli

    ds, _path = _site(journal, tmp_path)
    pages = {language: _html_pages(_crawl(ds, {"journal_language": language}))["/requirements"]
             for language in ("en", "fr")}
    with journal.transaction():
        set_setting(journal, "language", "fr")
    checked = CliRunner().invoke(cli, ["--db", str(journal.path), "check", "--profile", "ukcp-trainee-therapy",
                                       "--as-of", "2026-11-28"])
    french_summary = next(line.strip() for line in checked.output.splitlines() if "de thérapie (au moins 160 h)" in line)
    assert french_summary in visible_text(pages["fr"])
    assert "2.5 h of therapy (at least 160 h)" in visible_text(pages["en"])
    assert "Au moins 160 h de thérapie personnelle" in checked.output


def test_the_charts_are_drawn_in_the_readers_language(journal, tmp_path):
    ds, _path = _site(journal, tmp_path)

    async def charts():
        cookies = await signed_in_cookies(ds, SUPERVISOR, PASSWORD)
        return [(await ds.client.get("/charts/hours-by-month.svg", cookies={**cookies, "journal_language": lang})).text
                for lang in ("en", "fr")]

    english, french = asyncio.run(charts())
    assert "Hours per month, by kind" in english and "Personal therapy" in english
    assert "Heures par mois, par type" in french and "Thérapie personnelle" in french and "janv." in french


# --- The switch -----------------------------------------------------------------------------------------

def _switch_link(page: str, language: str) -> str:
    found = re.search(rf'href="(/-/language\?to={language}&amp;next=[^"]*)"', page)
    assert found, "no switch to " + language
    return found.group(1).replace("&amp;", "&")


@pytest.mark.parametrize("url", PAGES[:-1])
def test_the_switch_on_every_page_brings_the_reader_back_to_it_in_french(journal, tmp_path, url):
    ds, _path = _site(journal, tmp_path)

    async def switch():
        cookies = await signed_in_cookies(ds, SUPERVISOR, PASSWORD)
        before = await ds.client.get(url, cookies=cookies)
        answer = await ds.client.get(_switch_link(before.text, "fr"), cookies=cookies)
        after = await ds.client.get(answer.headers["location"], cookies={**cookies, **answer.cookies})
        return before, answer, after

    before, answer, after = asyncio.run(switch())
    assert '<html lang="en">' in before.text
    assert answer.status_code == 302 and answer.headers["location"] == url
    assert answer.cookies["journal_language"] == "fr"
    assert after.status_code == before.status_code and FRENCH.search(after.text)
    assert re.search(r'<strong lang="fr" aria-current="true">Français</strong>', after.text)


def test_the_switch_works_on_the_sign_in_page_and_opens_nothing(journal, tmp_path):
    ds, _path = _site(journal, tmp_path)

    async def anonymous():
        login = await ds.client.get("/-/login")
        answer = await ds.client.get(_switch_link(login.text, "fr"))
        french_login = await ds.client.get("/-/login", cookies=answer.cookies)
        sneaking = await ds.client.get("/-/language?to=fr&next=/requirements")
        followed = await ds.client.get("/requirements", cookies=sneaking.cookies)
        wrong = await ds.client.post("/-/login", data={"username": SUPERVISOR, "password": "nope",
                                                       "csrftoken": csrf_token(french_login.text)},
                                     cookies={**answer.cookies, "ds_csrftoken": french_login.cookies["ds_csrftoken"]})
        return answer, french_login, sneaking, followed, wrong

    answer, french_login, sneaking, followed, wrong = asyncio.run(anonymous())
    assert answer.headers["location"] == "/-/login"
    assert FRENCH.search(french_login.text) and "Connexion au rapport de supervision" in french_login.text
    assert "Identifiant" in french_login.text and 'value="Se connecter"' in french_login.text
    assert sneaking.status_code == 302 and sneaking.headers["location"] == "/requirements"
    assert followed.status_code == 302 and followed.headers["location"] == "/-/login"  # no way round the login
    assert "Identifiant ou mot de passe incorrect" in wrong.text


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "", "x",
                                    "/%0d%0aSet-Cookie:x=1"])
def test_the_switch_sends_nobody_to_another_site(journal, tmp_path, target):
    ds, _path = _site(journal, tmp_path)
    answer = asyncio.run(ds.client.get("/-/language", params={"to": "fr", "next": target}))
    assert answer.status_code == 302
    location = answer.headers["location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\")) and "\n" not in location


def test_an_unknown_language_changes_nothing(journal, tmp_path):
    ds, _path = _site(journal, tmp_path)
    answer = asyncio.run(ds.client.get("/-/language", params={"to": CANARY, "next": "/"}))
    assert answer.status_code == 302 and "journal_language" not in answer.cookies
    assert CANARY not in answer.text and CANARY not in str(answer.headers)


def test_the_report_opens_in_the_practitioners_language(journal, tmp_path):
    ds, path = _site(journal, tmp_path, language="fr")

    async def pages():
        cookies = await signed_in_cookies(ds, SUPERVISOR, PASSWORD)
        return ((await ds.client.get("/-/login")).text, (await ds.client.get("/", cookies=cookies)).text,
                (await ds.client.get("/", cookies={**cookies, "journal_language": "en"})).text)

    login, home, english = asyncio.run(pages())
    assert FRENCH.search(login) and FRENCH.search(home) and '<html lang="en">' in english
    import sqlite3

    assert sqlite3.connect(path).execute("SELECT language FROM about").fetchone() == ("fr",)


def test_the_gates_own_answers_speak_the_readers_language(journal, tmp_path):
    ds, _path = _site(journal, tmp_path)

    async def answers():
        return [await ds.client.get("/-/versions", cookies={"journal_language": lang}) for lang in ("en", "fr")]

    english, french = asyncio.run(answers())
    assert (english.status_code, english.text) == (404, "Not found")
    assert (french.status_code, french.text) == (404, "Introuvable")


def test_no_french_page_nor_error_holds_a_canary(journal, tmp_path):
    ds, path = _site(journal, tmp_path)
    responses = _crawl(ds, {"journal_language": "fr"})

    async def errors():
        cookies = {**await signed_in_cookies(ds, SUPERVISOR, PASSWORD), "journal_language": "fr"}
        return [await ds.client.get(url, cookies=cookies) for url in (
            f"/reflections?q={CANARY}", f"/hours?since={CANARY}", f"/report/sessions.json?_sort={CANARY}",
            f"/report/{CANARY}", f"/months/{CANARY}", f"/reflections/{CANARY}")]

    found = list(responses.values()) + asyncio.run(errors())
    # The pages asked about the canary may say it back (the supervisor typed it); nothing else may.
    leaks = [str(r.url) for r in found if CANARY not in str(r.url) and CANARY in r.text.lower()]
    assert leaks == [] and len(found) > 30
    assert CANARY.encode() not in Path(path).read_bytes().lower()
