"""Countersigning on the supervisor site (the real Datasette, in-process): signing, CSRF, wrong
passwords, one supervisor signing as another, withdrawing, invites; and the journal taking it in."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta, timezone

import pytest
from conftest import PASSPHRASE
from site_crawl import signed_in_cookies
from snapshots import into_journal
from supervisor_data import PASSWORD, SUPERVISOR, build, csrf_token

from journal.db import open_journal
from journal.encryption import new_key
from journal.paths import is_encrypted
from journal.signoffs.inbox import inbox_path, read_inbox
from journal.signoffs.store import statuses, take_in
from journal.supervisor.invites import invite
from journal.supervisor.logins import LoginBook, add_supervisor
from journal.supervisor.publish import publish
from journal.supervisor.serve import make_datasette

BOB, BOB_PASSWORD = "bob", "bobs own password"
JANUARY = "2026-01"


@pytest.fixture
def journal(db_path, storage):
    """The practitioner's journal, plain or encrypted (its key in this process's memory only)."""
    opened = open_journal(db_path, key=new_key(PASSPHRASE) if storage == "encrypted" else None)
    yield opened
    opened.close()


def build_with_bob(journal) -> None:
    build(journal)
    add_supervisor(journal, BOB, BOB_PASSWORD)


@pytest.fixture
def site(journal, tmp_path):
    into_journal("test_signoffs_site.site", journal, build_with_bob)  # built once, then copied
    report = publish(journal, tmp_path / "report.db").path
    ds = make_datasette(report, logins=LoginBook(journal.path, key=journal.key), secret="s" * 64)
    return ds, inbox_path(report)


def assert_key_kept_in_memory(journal, *texts: str) -> None:
    """No form of the journal's key in the files beside it (inbox, published report) or in ``texts``."""
    if journal.key is None:
        return
    forms = {journal.key.raw.hex(), journal.key.to_text(), journal.key.salt.hex() + journal.key.raw.hex()}
    forms |= {form.upper() for form in forms}
    written = [p.read_bytes() for p in journal.path.parent.parent.rglob("*")
               if p.is_file() and not p.name.startswith(journal.path.name)]
    assert written and not any(form.encode() in data for form in forms for data in written)
    assert not any(form in text for form in forms for text in texts)
    assert is_encrypted(journal.path) and b"Sam Rivers" not in journal.path.read_bytes()


def call(coroutine):
    return asyncio.run(coroutine)


async def form_page(ds, path: str, cookies: dict) -> tuple[str, dict]:
    """The page's CSRF token and the cookies to post it with."""
    page = await ds.client.get(path, cookies=cookies)
    assert page.status_code == 200, page.text
    return csrf_token(page.text), {**cookies, "ds_csrftoken": page.cookies.get("ds_csrftoken") or cookies.get("ds_csrftoken")}


async def sign(ds, name: str, password: str, *, month: str = JANUARY, typed: str | None = None,
               extra: dict | None = None, csrf: bool = True):
    cookies = await signed_in_cookies(ds, name, password)
    token, with_csrf = await form_page(ds, f"/months/{JANUARY}", cookies)
    data = {"month": month, "password": typed if typed is not None else password, "comment": "Seen and agreed",
            "csrftoken": token, **(extra or {})}
    return await ds.client.post("/-/countersign", data=data, cookies=with_csrf if csrf else cookies)


def signatures_in(inbox) -> list:
    return [item for item in read_inbox(inbox)[0] if item.kind == "countersignature"]


def test_a_supervisor_countersigns_a_month_and_the_journal_takes_it_in(site, journal):
    ds, inbox = site
    page = call(sign(ds, SUPERVISOR, PASSWORD))
    assert page.status_code == 200 and "You countersigned Jan 2026." in page.text
    assert "countersigned" in page.text and "Countersign Jan 2026" not in page.text  # no second form
    assert len(signatures_in(inbox)) == 1
    assert take_in(journal, inbox).signatures == 1
    [row] = statuses(journal)
    assert (row["period"], row["supervisor"], row["status"], row["comment"]) == (
        JANUARY, SUPERVISOR, "valid", "Seen and agreed")
    assert take_in(journal, inbox).signatures == 0  # taken in once
    assert_key_kept_in_memory(journal, page.text)


def test_the_month_page_shows_its_sessions_totals_and_the_sign_form(site):
    ds, _ = site

    async def look():
        cookies = await signed_in_cookies(ds, SUPERVISOR, PASSWORD)
        return (await ds.client.get(f"/months/{JANUARY}", cookies=cookies),
                await ds.client.get("/countersign", cookies=cookies), await ds.client.get("/", cookies=cookies))

    month, awaiting, home = call(look())
    assert "<h1>Jan 2026</h1>" in month.text and "Countersign Jan 2026" in month.text
    assert month.text.count('<td data-label="Date">') == 4  # two therapy sessions, supervision, client work
    assert "Supervision credited" in month.text
    for name in ("Jan 2026", "Feb 2026", "Mar 2026"):
        assert name in awaiting.text
    assert "awaiting countersignature" in home.text


def test_a_post_without_csrf_signs_nothing(site):
    ds, inbox = site

    async def attempts():
        cookies = await signed_in_cookies(ds, SUPERVISOR, PASSWORD)
        token, with_csrf = await form_page(ds, f"/months/{JANUARY}", cookies)
        data = {"month": JANUARY, "password": PASSWORD}
        return [
            await ds.client.post("/-/countersign", data=data, cookies=cookies),  # no CSRF cookie nor token
            await ds.client.post("/-/countersign", data=data, cookies=with_csrf),  # cookie, no token
            await ds.client.post("/-/countersign", data={**data, "csrftoken": "forged"}, cookies=with_csrf),
            await ds.client.post("/-/countersign", data={**data, "csrftoken": token}, cookies=cookies),  # token only
        ]

    assert [r.status_code for r in call(attempts())] == [403, 403, 403, 403]
    assert signatures_in(inbox) == []


def test_a_wrong_password_signs_nothing(site):
    ds, inbox = site
    page = call(sign(ds, SUPERVISOR, PASSWORD, typed="not my password"))
    assert page.status_code == 400 and "That is not your password. Nothing was signed." in page.text
    assert signatures_in(inbox) == []


def test_one_supervisor_cannot_sign_as_another(site, journal):
    ds, inbox = site
    as_bob = call(sign(ds, SUPERVISOR, PASSWORD, extra={"supervisor": BOB}))
    assert as_bob.status_code == 403 and "you can countersign only as yourself" in as_bob.text
    with_bobs_password = call(sign(ds, SUPERVISOR, PASSWORD, typed=BOB_PASSWORD))
    assert with_bobs_password.status_code == 400
    assert signatures_in(inbox) == []
    # Signed in as bob, bob signs as bob: the signature names bob and verifies with bob's key only.
    assert call(sign(ds, BOB, BOB_PASSWORD)).status_code == 200
    take_in(journal, inbox)
    assert [(r["supervisor"], r["status"]) for r in statuses(journal)] == [(BOB, "valid")]


def test_no_one_signs_without_a_session(site):
    ds, inbox = site
    answer = call(ds.client.post("/-/countersign", data={"month": JANUARY, "password": PASSWORD}))
    assert (answer.status_code, answer.headers["location"]) == (302, "/-/login")
    assert signatures_in(inbox) == []


@pytest.mark.parametrize("month, status", [("2026-11", 400), ("2025-01", 400), ("2026-13", 400), ("x", 400)])
def test_only_ended_months_with_shared_sessions_can_be_signed(site, month, status):
    ds, inbox = site
    assert call(sign(ds, SUPERVISOR, PASSWORD, month=month)).status_code == status
    assert signatures_in(inbox) == []


def test_a_month_is_signed_once_and_is_awaiting_again_once_changed(site, journal, tmp_path):
    ds, inbox = site
    assert call(sign(ds, SUPERVISOR, PASSWORD)).status_code == 200
    again = call(sign(ds, SUPERVISOR, PASSWORD))
    assert again.status_code == 409 and len(signatures_in(inbox)) == 1
    take_in(journal, inbox)
    journal.execute("UPDATE entries SET minutes = 55 WHERE kind = 'supervision' AND date = '2026-01-07'")
    report = publish(journal, tmp_path / "report.db").path
    ds = make_datasette(report, logins=LoginBook(journal.path, key=journal.key), secret="s" * 64)

    async def look():
        cookies = await signed_in_cookies(ds, SUPERVISOR, PASSWORD)
        return (await ds.client.get(f"/months/{JANUARY}", cookies=cookies),
                await ds.client.get("/countersign", cookies=cookies))

    month, awaiting = call(look())
    assert "changed since countersigned" in month.text and "Countersign Jan 2026" in month.text
    assert "Jan 2026" in awaiting.text
    assert call(sign(ds, SUPERVISOR, PASSWORD)).status_code == 200


def test_a_supervisor_withdraws_their_signature_with_a_reason_and_it_is_kept(site, journal):
    ds, inbox = site
    call(sign(ds, SUPERVISOR, PASSWORD))
    ref = signatures_in(inbox)[0].signed.ref

    async def withdraw(name, password, reason, typed=None):
        cookies = await signed_in_cookies(ds, name, password)
        token, with_csrf = await form_page(ds, f"/months/{JANUARY}", cookies)
        return await ds.client.post("/-/withdraw", cookies=with_csrf, data={
            "ref": ref, "password": typed or password, "reason": reason, "csrftoken": token})

    assert call(withdraw(BOB, BOB_PASSWORD, "not mine")).status_code == 404
    assert call(withdraw(SUPERVISOR, PASSWORD, "  ")).status_code == 400
    assert call(withdraw(SUPERVISOR, PASSWORD, "Wrong month", typed="wrong password")).status_code == 400
    done = call(withdraw(SUPERVISOR, PASSWORD, "I signed the wrong month"))
    assert done.status_code == 200 and "You withdrew your countersignature of Jan 2026" in done.text
    assert "I signed the wrong month" in done.text
    intake = take_in(journal, inbox)
    assert (intake.signatures, intake.withdrawals) == (1, 1)
    [row] = statuses(journal)
    assert (row["status"], row["reason"]) == ("withdrawn", "I signed the wrong month")
    assert journal.execute("SELECT count(*) FROM signoffs").fetchone()[0] == 1


def invite_link(journal, name: str, **kwargs) -> str:
    return invite(journal, name, **kwargs).link("")


def test_an_invited_supervisor_chooses_their_password_once(site, journal):
    ds, inbox = site
    link = invite_link(journal, "carol")

    async def flow():
        page = await ds.client.get(link)
        token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
        cookies = {"ds_csrftoken": page.cookies["ds_csrftoken"]}
        post = {"token": token, "csrftoken": csrf_token(page.text)}
        differ = await ds.client.post("/-/invite", cookies=cookies, data={**post, "password": "one long password",
                                                                          "again": "another one"})
        short = await ds.client.post("/-/invite", cookies=cookies, data={**post, "password": "short", "again": "short"})
        done = await ds.client.post("/-/invite", cookies=cookies, data={**post, "password": "carols password",
                                                                        "again": "carols password"})
        again = await ds.client.post("/-/invite", cookies=cookies, data={**post, "password": "a takeover attempt",
                                                                         "again": "a takeover attempt"})
        reused = await ds.client.get(link)
        signed_in = await signed_in_cookies(ds, "carol", "carols password")
        return page, differ, short, done, again, reused, signed_in

    page, differ, short, done, again, reused, signed_in = call(flow())
    assert page.status_code == 200 and "<strong>carol</strong>" in page.text
    assert (differ.status_code, short.status_code, done.status_code) == (400, 400, 200)
    assert "The two passwords differ" in differ.text and "at least 8 characters" in short.text
    fingerprint = re.search(r"fingerprint is (SHA256:\S+);", done.text).group(1)
    assert again.status_code == 410 and reused.status_code == 410
    assert signed_in  # carol signs in at once, before the journal takes her password in
    assert call(sign(ds, "carol", "carols password")).status_code == 200
    intake = take_in(journal, inbox)
    assert intake.passwords == ["carol"] and intake.signatures == 1
    listed = journal.query("SELECT name, fingerprint, private_key FROM supervisors WHERE name = 'carol'")[0]
    assert listed["fingerprint"] == fingerprint and "carols password" not in listed["private_key"]
    assert [(r["supervisor"], r["status"]) for r in statuses(journal)] == [("carol", "valid")]
    assert_key_kept_in_memory(journal, link, page.text, done.text)


def test_an_expired_or_replaced_invite_does_nothing(site, journal):
    ds, _ = site
    old = invite_link(journal, "dave", now=datetime.now(timezone.utc) - timedelta(days=4))
    assert call(ds.client.get(old)).status_code == 410
    first = invite_link(journal, "erin")
    second = invite_link(journal, "erin")
    assert call(ds.client.get(first)).status_code == 410
    assert call(ds.client.get(second)).status_code == 200
    assert call(ds.client.get("/-/invite?token=made-up")).status_code == 410
    assert call(ds.client.get("/-/invite")).status_code == 410
