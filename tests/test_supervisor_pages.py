"""The supervisor's pages read as a report: no SQL, schema, raw column names, internal ids or
errors anywhere a signed-in supervisor can reach; dates in the practitioner's order; date
ranges validated with whole days included; Datasette's own HTML sends readers to our pages."""

from __future__ import annotations

import asyncio
import html
import re
import sqlite3
from datetime import date

import pytest
from site_crawl import crawl_pages, datasette_html_urls, signed_in_cookies
from supervisor_data import PASSWORD, SUPERVISOR, build

from journal.settings import set_setting
from journal.supervisor.logins import LoginBook
from journal.supervisor.publish import publish
from journal.supervisor.ranges import RangeError, parse_day, parse_range
from journal.supervisor.serve import make_datasette
from journal.supervisor.wording import readable

PROFILES = "bacp-practice,emdr-europe,ukcp-trainee-therapy,tx-lpc"
RANGES = ("/hours?since=01/01/2026&until=31/03/2026", "/hours?since=2026-01&until=2026-03",
          "/hours?since=yesterday", "/supervision?since=2026-02&until=2026-02", "/supervision?since=2026-13")
SQL = re.compile(r"create (table|view|index|virtual)|\bselect\b.+\bfrom\b|custom sql|run sql|\bsqlite", re.I)
ERRORS = ("Traceback", "Internal Server Error", "Error 500", "KeyError", "OperationalError")


def visible_text(page: str) -> str:
    """What a reader sees: the text of the page outside tags, styles and scripts."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def raw_names(path) -> set[str]:
    """Column names of every published table and view that are not words of the language."""
    conn = sqlite3.connect(path)
    try:
        names = {row[1] for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
                 for row in conn.execute(f"PRAGMA table_info([{table}])")}
    finally:
        conn.close()
    return {name for name in names if "_" in name} | {"counterpart", "rowid"}


def site_for(journal, tmp_path, *, profiles: str = PROFILES, order: str | None = None, client_codes=False):
    build(journal)
    with journal.transaction():
        set_setting(journal, "profiles", profiles)
        if order:
            set_setting(journal, "date_order", order)
    path = publish(journal, tmp_path / "report.db", client_codes=client_codes).path
    return make_datasette(path, logins=LoginBook(journal.path), secret="s" * 64), path


def signed_in_crawl(ds, extra=RANGES) -> dict:
    async def crawl():
        return await crawl_pages(ds, await signed_in_cookies(ds, SUPERVISOR, PASSWORD), extra)

    return asyncio.run(crawl())


@pytest.mark.parametrize("client_codes", [False, True])
def test_no_page_shows_sql_schema_raw_names_ids_or_errors(journal, tmp_path, client_codes):
    ds, path = site_for(journal, tmp_path, client_codes=client_codes)
    responses = signed_in_crawl(ds)
    pages = {url: r for url, r in responses.items() if "html" in r.headers.get("content-type", "")}
    assert {"/", "/supervision", "/client-work", "/therapy", "/cpd", "/reflections", "/reflections/1",
            "/requirements", "/charts", "/hours"} <= set(pages)
    forbidden_names = raw_names(path)
    assert {"group_size", "on_session", "credited_minutes", "counterpart"} <= forbidden_names
    for url, response in responses.items():
        assert response.status_code in (200, 302) or (response.status_code == 400 and "?" in url), url
        assert not any(error in response.text for error in ERRORS), url
    for url, response in pages.items():
        text = visible_text(response.text)
        assert not SQL.search(text), (url, SQL.search(text))
        words = set(re.findall(r"[a-z0-9_]+", text))
        assert not forbidden_names & words, (url, forbidden_names & words)
        # Dates in words (a message about a mistyped date may show the ISO form to type instead).
        prose = visible_text(re.sub(r'<p class="notice".*?</p>', " ", response.text, flags=re.S))
        assert not re.search(r"\d{4}-\d{2}-\d{2}", prose), (url, re.search(r".{30}\d{4}-\d{2}-\d{2}.{30}", prose))
        assert "\N{LOCK}" not in response.text and "T0" not in re.sub(r"[A-Za-z]T0", "", text)
        for profile_id in PROFILES.split(","):
            assert profile_id not in text, (url, profile_id)
        assert "Datasette" not in text, url


def test_datasette_pages_send_readers_to_ours_and_the_api_stays(journal, tmp_path):
    ds, _ = site_for(journal, tmp_path)

    async def get_all():
        cookies = await signed_in_cookies(ds, SUPERVISOR, PASSWORD)
        urls = await datasette_html_urls(ds, cookies) + [
            "/report/sessions?kind=practice", "/report/sessions?kind=therapy",
            "/report/hours_in_range?since=2026-01-01&until=2026-03-31", "/report/reflections?_search=endings",
            "/report/sessions?_format=json&_size=2", "/report?sql=select+1", "/report/sessions?_where=1%3D1",
            "/report/sessions.json", "/-/search?q=endings", "/reflections/999"]
        return {url: await ds.client.get(url, cookies=cookies) for url in urls}

    responses = asyncio.run(get_all())
    where = {url: r.headers.get("location") for url, r in responses.items() if r.status_code == 302}
    assert where["/report"] == "/"
    assert where["/report/supervision_log"] == where["/report/supervision_months"] == "/supervision"
    assert where["/report/reflections/1"] == "/reflections/1"
    assert where["/report/sessions?kind=practice"] == "/client-work"
    assert where["/report/sessions?kind=therapy"] == "/therapy"
    assert where["/report/hours_in_range?since=2026-01-01&until=2026-03-31"] == (
        "/hours?since=2026-01-01&until=2026-03-31")
    assert where["/report/reflections?_search=endings"] == where["/-/search?q=endings"] == "/reflections?q=endings"
    assert where["/report/sessions?_format=json&_size=2"] == "/report/sessions.json?_size=2"
    for url in responses:
        if url.startswith("/report/") and "." not in url.rsplit("/", 1)[-1] and not re.search("sql|_where|_format", url):
            assert url in where and not where[url].startswith("/report"), url
    assert responses["/report?sql=select+1"].status_code == 403
    assert responses["/report/sessions?_where=1%3D1"].status_code == 403
    assert "does not run SQL" in responses["/report?sql=select+1"].text
    assert responses["/report/sessions.json"].status_code == 200
    assert responses["/reflections/999"].status_code == 404
    assert "There is no such page" in responses["/reflections/999"].text


def published_hours(path, since: str, until: str) -> dict[str, float]:
    conn = sqlite3.connect(path)
    try:
        return dict(conn.execute("SELECT kind, round(sum(minutes) / 60.0, 2) FROM sessions "
                                 "WHERE date BETWEEN ? AND ? GROUP BY kind", (since, until)).fetchall())
    finally:
        conn.close()


def shown_hours(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-label="Kind">([^<]+)</td><td data-label="Sessions" class="number">\d+</td>'
                           r'<td data-label="Hours" class="number">([^<]+)</td>', page))


@pytest.mark.parametrize("order, since, until", [
    ("dmy", "01/01/2026", "31/03/2026"),
    ("mdy", "01/01/2026", "03/31/2026"),
    ("dmy", "2026-01", "2026-03"),  # whole months: March's last session counts
    ("dmy", "2026", "2026"),
    ("dmy", "2026-01-01", "2026-03-31"),
])
def test_hours_between_dates_read_every_form_with_whole_days(journal, tmp_path, order, since, until):
    ds, path = site_for(journal, tmp_path, order=order)
    page = signed_in_crawl(ds, (f"/hours?since={since}&until={until}",))[f"/hours?since={since}&until={until}"]
    assert page.status_code == 200
    expected = published_hours(path, "2026-01-01", "2026-12-31" if since == "2026" else "2026-03-31")
    assert expected["practice"] == 1.67  # the 2 March session is in
    assert shown_hours(page.text) == {
        label: f"{hours:g} h" for label, hours in (("Personal therapy", expected["therapy"]),
                                                  ("Supervision", expected["supervision"]),
                                                  ("Client work", expected["practice"]), ("CPD", expected["cpd"]))}
    assert 'value="2026-01-01"' in page.text  # the date inputs show what was understood


@pytest.mark.parametrize("query, message", [
    ("since=31/13/2026", "“31/13/2026” is not a date"),
    ("since=2026-02-30", "“2026-02-30” is not a date"),
    ("since=yesterday&until=2026-03-31", "“yesterday” is not a date"),
    ("since=2026-03-31&until=2026-01-01", "is after the end"),
    ("until=3%2F20%2F2026", "“3/20/2026” is not a date"),  # month-first, but this practitioner is day-first
])
def test_a_bad_date_gets_a_message_never_a_total(journal, tmp_path, query, message):
    ds, _ = site_for(journal, tmp_path)
    page = signed_in_crawl(ds, (f"/hours?{query}",))[f"/hours?{query}"]
    assert page.status_code == 400
    assert message in html.unescape(page.text)
    assert "All kinds" not in page.text and 'class="number"' not in page.text


def test_dates_follow_the_practitioners_order(journal, tmp_path):
    ds, _ = site_for(journal, tmp_path, order="mdy")
    pages = signed_in_crawl(ds, ())
    assert "Jan 8, 2026" in visible_text(pages["/reflections/1"].text)
    assert "From Oct 6, 2025 to Mar 2, 2026" in " ".join(visible_text(pages["/"].text).split())


def test_the_monthly_line_is_the_practitioners_rule(journal, tmp_path):
    ds, _ = site_for(journal, tmp_path, profiles="tx-lpc")
    home = " ".join(visible_text(signed_in_crawl(ds, ())["/"].text).split())
    assert "less than 4 h of supervision" in home and "less than 1.5 h" not in home


def test_without_a_monthly_rule_no_month_is_flagged(journal, tmp_path):
    ds, _ = site_for(journal, tmp_path, profiles="ukcp-cpd")
    pages = signed_in_crawl(ds, ())
    home = " ".join(visible_text(pages["/"].text).split())
    assert "No profile of the practitioner asks for supervision every month" in home
    assert 'class="short"' not in pages["/"].text and "status-short" not in pages["/supervision"].text
    assert "1.5 h a month" not in pages["/charts"].text


@pytest.mark.parametrize("text, order, end, expected", [
    ("2026-03-31", "dmy", False, date(2026, 3, 31)),
    ("2026-3-1", "dmy", False, date(2026, 3, 1)),
    ("2026-02", "dmy", True, date(2026, 2, 28)),
    ("2024-02", "dmy", True, date(2024, 2, 29)),
    ("2026-02", "dmy", False, date(2026, 2, 1)),
    ("2026", "dmy", True, date(2026, 12, 31)),
    ("03/02/2026", "dmy", False, date(2026, 2, 3)),
    ("03/02/2026", "mdy", False, date(2026, 3, 2)),
    ("3.2.2026", "dmy", False, date(2026, 2, 3)),
])
def test_a_range_end_is_read_in_the_practitioners_order(text, order, end, expected):
    assert parse_day(text, order, end=end) == expected


@pytest.mark.parametrize("text", ["", "31/02/2026", "2026-00", "next week", "2026-03-31T10:00", "20260331"])
def test_a_range_end_that_is_no_date_is_refused(text):
    with pytest.raises(RangeError, match="is not a date"):
        parse_day(text or " ", "dmy", end=False)


def test_a_range_may_be_open_at_either_end():
    span = parse_range("", "2026-03", "dmy")
    assert span.bounds() == ("0000-01-01", "2026-03-31")
    assert span.describe("dmy") == "up to 31 Mar 2026, included"


def test_periods_in_the_engines_words_are_written_in_the_practitioners_order():
    assert readable("2025-09-01..2026-08-31: 2.5 h short", "mdy") == "Sep 1, 2025 to Aug 31, 2026: 2.5 h short"
    assert readable("2026-03 and 2026-W09, from 2026-03-02", "dmy") == (
        "Mar 2026 and week of 23 Feb 2026, from 2 Mar 2026")
    # The engine's own "by 30 November" days turn round for a month-first reader.
    due = "2026-11: 1 h of supervision so far, 0.5 h more needed by 30 November; next due by 3 January 2027"
    assert readable(due, "mdy") == ("Nov 2026: 1 h of supervision so far, 0.5 h more needed by November 30; "
                                    "next due by January 3, 2027")
    assert readable(due, "dmy") == ("Nov 2026: 1 h of supervision so far, 0.5 h more needed by 30 November; "
                                    "next due by 3 January 2027")


@pytest.mark.parametrize("page", ["/supervision", "/therapy", "/cpd"])
def test_a_log_shows_a_date_range_and_refuses_a_bad_one(journal, tmp_path, page):
    ds, path = site_for(journal, tmp_path)
    responses = signed_in_crawl(ds, (f"{page}?since=2026-02&until=2026-02", f"{page}?since=30/02/2026"))
    good = responses[f"{page}?since=2026-02&until=2026-02"].text
    shown = set(re.findall(r'data-label="Date">([^<]+)</td>', good))
    kind = {"/supervision": "supervision", "/therapy": "therapy", "/cpd": "cpd"}[page]
    conn = sqlite3.connect(path)
    in_february = {f"{int(d[8:])} Feb 2026" for (d,) in conn.execute(
        "SELECT date FROM sessions WHERE kind = ? AND month = '2026-02'", (kind,))}
    conn.close()
    assert shown == in_february
    bad = responses[f"{page}?since=30/02/2026"]
    assert bad.status_code == 400 and "“30/02/2026” is not a date" in html.unescape(bad.text)
    assert 'data-label="Date"' not in bad.text and "month-total" not in bad.text


@pytest.mark.parametrize("client_codes", [False, True])
def test_client_work_shows_codes_only_when_published(journal, tmp_path, client_codes):
    ds, _ = site_for(journal, tmp_path, client_codes=client_codes)
    page = signed_in_crawl(ds, ())["/client-work"].text
    rows = dict(re.findall(r'data-label="Month">([^<]+)</td><td data-label="Sessions" class="number">(\d+)', page))
    assert rows == {"Mar 2026": "1", "Jan 2026": "1"}
    assert ('data-label="Clients">C014</td>' in page) is client_codes
    assert ("Client codes were not published" in page) is not client_codes
