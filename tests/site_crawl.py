"""Crawl the supervisor site as a reader would: follow every link of our pages from the home page,
and list the .json and .csv answers that scripts can read behind the same login."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from datasette.utils import tilde_encode

async def signed_in_cookies(ds, username: str, password: str) -> dict:
    """The cookies of a supervisor who signed in through the login form."""
    from supervisor_data import csrf_token

    page = await ds.client.get("/-/login")
    response = await ds.client.post(
        "/-/login", data={"username": username, "password": password, "csrftoken": csrf_token(page.text)},
        cookies={"ds_csrftoken": page.cookies["ds_csrftoken"]})
    assert response.status_code == 302, response.text
    return {"journal_session": response.cookies["journal_session"]}


LINK = re.compile(r'(?:href|src|action)="([^"#]*)')
SKIP = ("/-/logout", "/-/login", "/-/static")
LIMIT = 400


async def crawl_pages(ds, cookies: dict | None = None, extra: tuple[str, ...] = ()) -> dict[str, object]:
    """Every page reachable by links (and redirects) from ``/`` and ``extra``: url -> response."""
    seen: dict[str, object] = {}
    queue = ["/", *extra]
    while queue and len(seen) < LIMIT:
        url = queue.pop(0)
        if url in seen:
            continue
        response = await ds.client.get(url, cookies=cookies or {})
        seen[url] = response
        found = [response.headers["location"]] if response.status_code in (301, 302) else []
        if "html" in response.headers.get("content-type", ""):
            found += [link.replace("&amp;", "&") for link in LINK.findall(response.text)]
        for link in found:
            target = urljoin(url, link)
            parts = urlsplit(target)
            if parts.netloc in ("", "localhost") and not parts.path.startswith(SKIP) and link:
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


async def published_names(ds, cookies: dict | None = None) -> tuple[list[str], list[str]]:
    database = (await ds.client.get("/report.json", cookies=cookies or {})).json()
    return ([t["name"] for t in database["tables"]],  # hidden ones too: the FTS shadow tables
            [v["name"] if isinstance(v, dict) else v for v in database["views"]])


async def api_urls(ds, cookies: dict | None = None) -> list[str]:
    """The .json and .csv of every table and view, and the .json of every row."""
    tables, views = await published_names(ds, cookies)
    urls = ["/.json", "/report.json"]
    for name in tables + views:
        urls += [f"/report/{name}.json?_size=max", f"/report/{name}.csv?_size=max"]
    for path in await row_paths(ds, cookies, tables):
        urls.append(f"{path}.json")
    return urls


async def row_paths(ds, cookies: dict | None, tables: list[str]) -> list[str]:
    paths = []
    for name in tables:
        data = (await ds.client.get(f"/report/{name}.json?_shape=objects&_size=max", cookies=cookies or {})).json()
        keys = data["primary_keys"] or ["rowid"]
        for row in data["rows"]:
            if all(isinstance(row.get(key), (int, str)) and row[key] != "" for key in keys):
                paths.append(f"/report/{name}/" + ",".join(tilde_encode(str(row[key])) for key in keys))
    return paths


async def datasette_html_urls(ds, cookies: dict | None = None) -> list[str]:
    """Datasette's own HTML pages for the file: the database, each table and view, each row."""
    tables, views = await published_names(ds, cookies)
    return ["/report", *(f"/report/{name}" for name in tables + views), *await row_paths(ds, cookies, tables)]
