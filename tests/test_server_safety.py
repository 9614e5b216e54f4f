"""The supervisor server: HTML and SQL typed into any text field is shown as text, never run,
and a real server on loopback answers a bounded load of several clients with flat memory."""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import quote

import pytest
from site_crawl import api_urls, crawl_pages

from journal.supervisor.serve import make_datasette
from procs import free_port, load, rss_kib, run_journal, start_journal, wait_for_port

HTML = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SQL = "'); DROP TABLE sessions; --"
PAYLOAD = HTML + SQL
ESCAPED = "&lt;script&gt;alert("  # how the payload must appear in a page: as text


def hostile_journal(db: Path) -> None:
    """Every free-text field a supervisor can see holds the payload."""
    commands = [
        ["init"],
        ["config", "practitioner", PAYLOAD],
        ["log", "supervision", "1h30m", "--at", "2025-03-04 10:00", "--with", PAYLOAD, "--title", PAYLOAD,
         "--tag", PAYLOAD, "--format", "group", "--group-size", "4", "--mode", "video"],
        ["log", "therapy", "50m", "--at", "2025-03-05 17:00", "--with", "Dr " + PAYLOAD],
        ["log", "practice", "50m", "--at", "2025-03-06 12:00", "--client", "C014", "--setting", PAYLOAD,
         "--title", PAYLOAD, "--tag", PAYLOAD],
        ["log", "cpd", "3h", "--at", "2025-03-07 09:00", "--with", "Trainer " + PAYLOAD, "--title", PAYLOAD],
        ["reflect", "--at", "2025-03-07 18:00", "--share", "--on", "1", "--template", "gibbs",
         "--title", PAYLOAD, "--tag", PAYLOAD, "-m", f"{PAYLOAD}\n\n## Feelings {PAYLOAD}\n\n- {PAYLOAD}\n"],
    ]
    for args in commands:
        result = run_journal(db, *args)
        assert result.returncode == 0, (args, result.stderr)


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "journal.db"
    hostile_journal(db)
    result = run_journal(db, "publish", "--client-codes", "--out", str(folder / "report.db"))
    assert result.returncode == 0, result.stderr
    return folder / "report.db"


async def crawl(ds) -> dict[str, object]:
    """Every page of the report a reader reaches by links, searches for the payload, and every
    .json and .csv answer of the file."""
    q = quote(PAYLOAD)
    responses = await crawl_pages(ds, extra=(f"/reflections?q={q}", "/reflections?q=alert", f"/hours?since={q}",
                                             f"/supervision?until={q}"))
    for url in await api_urls(ds):
        responses.setdefault(url, await ds.client.get(url))
    return responses


def test_payloads_are_shown_as_text_and_never_run(published):
    bytes_before = published.read_bytes()
    q = quote(PAYLOAD)
    ds = make_datasette(published, logins=None, secret="s" * 64)
    responses = asyncio.run(crawl(ds))

    assert len(responses) > 40
    pages_showing_it = []
    for url, response in responses.items():
        assert response.status_code in (200, 302) or url.startswith(("/hours?", "/supervision?")), url
        body = response.text
        kind = response.headers["content-type"]
        if "html" in kind or "svg" in kind:
            assert "<script>alert(" not in body, url
            assert "<img src=x" not in body, url
            if ESCAPED in body:
                pages_showing_it.append(url)
    # The payload is there, as text, on the pages that show these fields.
    for url in ("/", "/supervision", "/cpd", "/reflections", "/reflections/1", "/hours?since=" + q):
        assert url in pages_showing_it, url
    assert PAYLOAD in responses["/report/sessions.json?_size=max"].text.encode().decode("unicode_escape")
    # Searching for the SQL ran no SQL: the file and its tables are as published.
    assert published.read_bytes() == bytes_before
    after = asyncio.run(ds.client.get("/report/sessions.json?_shape=array")).json()
    assert sorted(row["kind"] for row in after) == ["cpd", "practice", "supervision", "therapy"]


# Bounded load on a real server: a few thousand requests from several client threads.
CLIENTS = 6
REQUESTS_EACH = 400
LOAD_URLS = ["/", "/supervision", "/report/sessions.json", "/reflections", "/reflections?q=feelings",
             "/report/reflections.json?_search=alert", "/charts/hours-by-month.svg", "/report/totals.json"]


@pytest.mark.slow
def test_server_answers_a_bounded_load_with_flat_memory(published, tmp_path):
    db = published.parent / "journal.db"
    port = free_port()
    server = start_journal(db, "serve", "--no-login", "--port", str(port))
    try:
        wait_for_port(port, server)
        failures, _, _ = load(port, LOAD_URLS, CLIENTS, 100)  # warm up: caches, templates
        assert failures == []
        warm = rss_kib(server.pid)
        failures, latencies, seconds = load(port, LOAD_URLS, CLIENTS, REQUESTS_EACH)
        grown = rss_kib(server.pid) - warm
        assert server.poll() is None, "the server stopped under load"
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert failures == []
    assert len(latencies) == CLIENTS * REQUESTS_EACH
    assert seconds < 120
    assert grown < 8 * 1024, f"RSS grew by {grown} KiB over {len(latencies)} requests"
