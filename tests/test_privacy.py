"""Nothing private reaches a supervisor: not in the published file, not in any Datasette response.

A canary string sits in every private field (notes, titles, settings and tags of sessions,
private reflections, client codes, personal-therapy details, deleted rows, a person tied only
to a private session). The tests crawl the real Datasette that `journal serve` builds, through
its in-process client, signed in as a supervisor and anonymously.
"""

from __future__ import annotations

import asyncio
from urllib.parse import quote

import pytest
from site_crawl import api_urls, crawl_pages, datasette_html_urls
from supervisor_data import CANARY, PASSWORD, SHARED_WORD, SUPERVISOR, build, csrf_token

from journal.supervisor.access import CLOSED_PATHS
from journal.supervisor.publish import publish
from journal.supervisor.serve import make_datasette
from journal.supervisor.logins import LoginBook

SECRET = "t" * 64


@pytest.fixture
def published(journal, tmp_path):
    build(journal)
    return publish(journal, tmp_path / "report.db").path


@pytest.fixture
def site(journal, published):
    return make_datasette(published, logins=LoginBook(journal.path), secret=SECRET)


async def sign_in(ds, username: str, password: str):
    page = await ds.client.get("/-/login")
    return await ds.client.post(
        "/-/login",
        data={"username": username, "password": password, "csrftoken": csrf_token(page.text)},
        cookies={"ds_csrftoken": page.cookies["ds_csrftoken"]},
    )


async def session_cookies(ds) -> dict:
    response = await sign_in(ds, SUPERVISOR, PASSWORD)
    assert response.status_code == 302 and response.headers["location"] == "/"
    return {"journal_session": response.cookies["journal_session"]}


# Words of the private texts (the canary itself would be echoed back as the query).
SEARCH_WORDS = (SHARED_WORD, "private", "therapy", "note", "deleted", "clinic")
EXTRA_PAGES = tuple(f"/reflections?q={word}" for word in SEARCH_WORDS) + tuple(
    f"/report/reflections?_search={word}" for word in SEARCH_WORDS) + (
    "/hours?since=2000-01-01&until=2099-12-31", "/supervision?since=2026-01&until=2026-03", "/-/search?q=note")


async def every_response(ds, cookies) -> dict[str, object]:
    """Every page a supervisor can reach by links from the home page, Datasette's own pages for the
    file (which send them to ours), and the .json and .csv answers of every table, view and row."""
    responses = await crawl_pages(ds, cookies, EXTRA_PAGES)
    for url in await api_urls(ds, cookies) + await datasette_html_urls(ds, cookies):
        responses.setdefault(url, await ds.client.get(url, cookies=cookies))
    for word in SEARCH_WORDS:
        url = f"/report/reflections.json?_search={word}"
        responses[url] = await ds.client.get(url, cookies=cookies)
    return responses


def test_the_published_file_holds_no_canary(published, journal):
    data = published.read_bytes().lower()
    assert CANARY.encode() not in data
    assert SHARED_WORD.encode() in data  # the shared reflection text is there, so the check can fail
    password_hash = journal.query("SELECT password_hash FROM supervisors")[0]["password_hash"]
    assert password_hash.split("$")[3].encode().lower() not in data


def test_no_response_of_a_signed_in_crawl_holds_a_canary(site):
    async def crawl():
        return await every_response(site, await session_cookies(site))

    responses = asyncio.run(crawl())
    urls = set(responses)
    assert {f"/report/sessions/{i}.json" for i in range(1, 9)} | {"/report/reflections/2.json"} <= urls
    assert {"/supervision", "/client-work", "/therapy", "/cpd", "/reflections", "/reflections/1",
            "/requirements", "/charts", "/charts/supervision.svg", "/hours"} <= urls
    for url, response in responses.items():
        assert response.status_code in (200, 302), url
        assert CANARY not in response.text.lower(), url
        assert CANARY not in str(response.headers).lower(), url
    assert SHARED_WORD in responses["/reflections"].text
    assert SHARED_WORD in responses["/report/reflections.csv?_size=max"].text
    assert "After the January supervision" in responses[f"/reflections?q={SHARED_WORD}"].text
    assert "<h4>Feelings</h4>" in responses["/reflections/1"].text
    assert "Tired &lt;b&gt;but&lt;/b&gt; hopeful." in responses["/reflections/1"].text
    assert "0 reflections match <strong>private</strong>" in responses["/reflections?q=private"].text
    assert "<svg" in responses["/charts/supervision.svg"].text
    assert "Supervisor report: Sam Rivers" in responses["/"].text


@pytest.mark.parametrize("url", [
    "/report?sql=select+*+from+sessions",
    "/report.json?sql=select+1",
    f"/report/sessions?_where={quote('1=1')}",
    "/report.db",
])
def test_arbitrary_sql_and_downloads_are_refused(site, url):
    async def get():
        return await site.client.get(url, cookies=await session_cookies(site))

    response = asyncio.run(get())
    assert response.status_code == 403
    assert CANARY not in response.text.lower()


def test_introspection_pages_are_closed_even_when_signed_in(site):
    async def get_all():
        cookies = await session_cookies(site)
        return {path: await site.client.get(path + suffix, cookies=cookies)
                for path in CLOSED_PATHS for suffix in ("", ".json")}

    for url, response in asyncio.run(get_all()).items():
        assert (response.status_code, response.text) == (404, "Not found"), url


def test_anonymous_requests_get_only_the_login(site):
    async def crawl():
        urls = list(await every_response(site, await session_cookies(site)))
        return {url: await site.client.get(url) for url in urls}, await site.client.get("/-/login")

    responses, login = asyncio.run(crawl())
    for url, response in responses.items():
        assert response.status_code == 302, url
        assert response.text == "", url
        if url.startswith("/-/language?"):  # the language switch is open: it only sends back to the page
            target = response.headers["location"]
            assert target.startswith("/") and not target.startswith("//"), url
            assert target in responses or target == "/", url
            continue
        assert response.headers["location"] == "/-/login", url
    assert login.status_code == 200 and 'name="password"' in login.text
    assert CANARY not in login.text.lower() and SHARED_WORD not in login.text


def test_a_wrong_password_or_an_unknown_login_is_refused(site):
    async def attempt():
        wrong = await sign_in(site, SUPERVISOR, "not the password")
        stranger = await sign_in(site, "mallory", PASSWORD)
        forged = await site.client.get("/", cookies={"ds_actor": site.sign({"a": {"id": SUPERVISOR}}, "actor")})
        tampered = await site.client.get("/", cookies={"ds_actor": "eyJhIjp7ImlkIjoiYWxpY2UifX0.bad"})
        return wrong, stranger, forged, tampered

    wrong, stranger, forged, tampered = asyncio.run(attempt())
    for response in (wrong, stranger):
        assert response.status_code == 200
        assert "Invalid username or password" in response.text
        assert "journal_session" not in response.cookies
    # Datasette's own actor cookie, even correctly signed for a real login, opens nothing.
    assert (forged.status_code, forged.headers["location"]) == (302, "/-/login")
    assert (tampered.status_code, tampered.headers["location"]) == (302, "/-/login")


def test_no_login_serves_the_report_but_still_no_sql(published):
    ds = make_datasette(published, logins=None, secret=SECRET)

    async def get_all():
        return [await ds.client.get(url) for url in ("/", "/report?sql=select+1", "/-/metadata")]

    home, sql, metadata = asyncio.run(get_all())
    assert home.status_code == 200 and "Supervisor report: Sam Rivers" in home.text
    assert (sql.status_code, metadata.status_code) == (403, 404)
