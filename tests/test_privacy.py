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
from datasette.utils import tilde_encode
from supervisor_data import CANARY, PASSWORD, SHARED_WORD, SUPERVISOR, build, csrf_token

from journal.access import CLOSED_PATHS
from journal.publish import publish
from journal.serve import load_metadata, make_datasette
from journal.supervisors import supervisor_hashes

SECRET = "t" * 64


@pytest.fixture
def published(journal, tmp_path):
    build(journal)
    return publish(journal, tmp_path / "report.db").path


@pytest.fixture
def site(journal, published):
    return make_datasette(published, logins=supervisor_hashes(journal), secret=SECRET)


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
    return {"ds_actor": response.cookies["ds_actor"]}


def canned_query_urls() -> list[str]:
    urls = []
    for name, query in load_metadata()["databases"]["report"]["queries"].items():
        params = "since=2000-01-01&until=2099-12-31" if ":since" in query["sql"] else ""
        urls += [f"/report/{name}?{params}", f"/report/{name}.json?{params}", f"/report/{name}.csv?{params}"]
    return urls


async def every_url(ds, cookies) -> list[str]:
    """Every page a supervisor can reach: tables and views in three formats, rows, searches, pages."""
    database = (await ds.client.get("/report.json", cookies=cookies)).json()
    tables = [t["name"] for t in database["tables"]]  # hidden ones too: the FTS shadow tables
    views = [v["name"] if isinstance(v, dict) else v for v in database["views"]]
    assert {"sessions", "reflections", "reflections_fts", "reflections_fts_data"} <= set(tables)
    assert {"supervision_log", "therapy_log", "practice_log", "cpd_log"} <= set(views)
    urls = ["/", "/.json", "/report", "/report.json", "/-/charts", "/-/search",
            "/report/sessions?_facet=kind&_facet=month&_facet=mode&_facet=format"]
    # Words of the private texts (the canary itself would be echoed back as the query).
    for word in (SHARED_WORD, "private", "therapy", "note", "deleted", "clinic"):
        urls += [f"/-/search?q={word}", f"/report/reflections?_search={word}",
                 f"/report/reflections.json?_search={word}"]
    urls += [f"/-/charts/{name}.svg" for name in ("hours-by-month", "supervision", "cumulative", "emotions")]
    urls += canned_query_urls()
    for name in tables + views:
        urls += [f"/report/{name}", f"/report/{name}.json?_size=max", f"/report/{name}.csv?_size=max"]
    for name in tables:
        data = (await ds.client.get(f"/report/{name}.json?_shape=objects&_size=max", cookies=cookies)).json()
        keys = data["primary_keys"] or ["rowid"]
        for row in data["rows"]:
            if all(isinstance(row.get(key), (int, str)) and row[key] != "" for key in keys):
                path = ",".join(tilde_encode(str(row[key])) for key in keys)
                urls += [f"/report/{name}/{path}", f"/report/{name}/{path}.json"]
    return urls


def test_the_published_file_holds_no_canary(published, journal):
    data = published.read_bytes().lower()
    assert CANARY.encode() not in data
    assert SHARED_WORD.encode() in data  # the shared reflection text is there, so the check can fail
    password_hash = journal.query("SELECT password_hash FROM supervisors")[0]["password_hash"]
    assert password_hash.split("$")[3].encode().lower() not in data


def test_no_response_of_a_signed_in_crawl_holds_a_canary(site):
    async def crawl():
        cookies = await session_cookies(site)
        urls = await every_url(site, cookies)
        return urls, {url: await site.client.get(url, cookies=cookies) for url in urls}

    urls, responses = asyncio.run(crawl())
    assert {f"/report/sessions/{i}" for i in range(1, 9)} | {"/report/reflections/2"} <= set(urls)
    for url, response in responses.items():
        assert response.status_code == 200, url
        assert CANARY not in response.text.lower(), url
        assert CANARY not in str(response.headers).lower(), url
    assert SHARED_WORD in responses["/report/reflections"].text
    assert SHARED_WORD in responses["/report/reflections.csv?_size=max"].text
    assert "After the January supervision" in responses[f"/-/search?q={SHARED_WORD}"].text
    assert "<h4>Feelings</h4>" in responses["/report/reflections/1"].text
    assert "Tired &lt;b&gt;but&lt;/b&gt; hopeful." in responses["/report/reflections/1"].text
    assert "0 reflections match <strong>private</strong>" in responses["/-/search?q=private"].text
    assert "<svg" in responses["/-/charts/supervision.svg"].text
    assert "shame" in responses["/-/charts/emotions.svg"].text  # a shared reflection's emotion is charted
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
        urls = await every_url(site, await session_cookies(site))
        return {url: await site.client.get(url) for url in urls}, await site.client.get("/-/login")

    responses, login = asyncio.run(crawl())
    for url, response in responses.items():
        assert response.status_code == 302, url
        assert response.headers["location"] == "/-/login", url
        assert response.text == "", url
    assert login.status_code == 200 and 'name="password"' in login.text
    assert CANARY not in login.text.lower() and SHARED_WORD not in login.text


def test_a_wrong_password_or_an_unknown_login_is_refused(site):
    async def attempt():
        wrong = await sign_in(site, SUPERVISOR, "not the password")
        stranger = await sign_in(site, "mallory", PASSWORD)
        forged = await site.client.get("/", cookies={"ds_actor": site.sign({"a": {"id": "mallory"}}, "actor")})
        tampered = await site.client.get("/", cookies={"ds_actor": "eyJhIjp7ImlkIjoiYWxpY2UifX0.bad"})
        return wrong, stranger, forged, tampered

    wrong, stranger, forged, tampered = asyncio.run(attempt())
    for response in (wrong, stranger):
        assert response.status_code == 200
        assert "Invalid username or password" in response.text
        assert "ds_actor" not in response.cookies
    # A signed cookie for a login that is not configured (e.g. removed) opens nothing.
    assert (forged.status_code, forged.headers["location"]) == (302, "/-/login")
    assert (tampered.status_code, tampered.headers["location"]) == (302, "/-/login")


def test_no_login_serves_the_report_but_still_no_sql(published):
    ds = make_datasette(published, logins=None, secret=SECRET)

    async def get_all():
        return [await ds.client.get(url) for url in ("/", "/report?sql=select+1", "/-/metadata")]

    home, sql, metadata = asyncio.run(get_all())
    assert home.status_code == 200 and "Supervisor report: Sam Rivers" in home.text
    assert (sql.status_code, metadata.status_code) == (403, 404)
