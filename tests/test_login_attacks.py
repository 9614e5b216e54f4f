"""Attacks on the supervisor sign-in, each tried against a real `journal serve` on 127.0.0.1.

Every test here failed on the login of datasette-auth-passwords that came before (issue 13).
Throttling counts per name and per address, so tests sign in from their own 127.0.0.x address
and with their own logins, and do not disturb one another on the shared server.
"""

from __future__ import annotations

import asyncio
import base64
import csv
import io
import socket
import statistics
import threading
import time
from pathlib import Path

import pytest
from conftest import runner_for
from procs import free_port, run_journal, start_journal, wait_for_port
from snapshots import at_path
from supervisor_data import PASSWORD, SUPERVISOR, build
from web_client import request, session_of, sign_in

from journal.db import open_journal
from journal.supervisor.csv_cells import FORMULA_STARTS, is_number
from journal.supervisor.logins import add_supervisor
from journal.supervisor.throttle import FREE_ATTEMPTS, SUSPECT_GAP

# Each attack runs against a real server process: `make test` runs them, `make test-fast` leaves them out
# (the same gate is exercised in-process by test_privacy.py and test_supervisor_pages.py).
pytestmark = pytest.mark.slow

OTHERS = {"bob": "bob's long password", "carol": "carol's long password", "dave": "dave's long password",
          "erin": "erin's long password", "frank": "frank's long password"}


def make_journal(folder: Path) -> Path:
    """The supervisor-report journal with five more logins (built once, then copied: snapshots.py)."""
    db = folder / "journal.db"
    at_path("test_login_attacks.make_journal", db, lambda: add_others(db))
    return db


def add_others(db: Path) -> None:
    journal = open_journal(db)
    build(journal)
    for name, password in OTHERS.items():
        add_supervisor(journal, name, password)
    journal.close()


def serve(db: Path, *args: str):
    port = free_port()
    server = start_journal(db, "serve", "--port", str(port), *args)
    wait_for_port(port, server)
    return port, server


def stop(server) -> str:
    server.terminate()
    server.wait(timeout=30)
    return server.stderr.read()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    db = make_journal(tmp_path_factory.mktemp("attacks"))
    port, server = serve(db)
    yield db, port
    stop(server)


def test_basic_auth_is_never_answered_and_a_malformed_header_is_no_500(served):
    _, port = served
    good = base64.b64encode(f"{SUPERVISOR}:{PASSWORD}".encode()).decode()
    for value in (f"Basic {good}", "Basic !!!not-base64", "Basic " + base64.b64encode(b"no-colon").decode(),
                  "Basic", "Bearer dstok_abc"):
        answer = request(port, "GET", "/report/sessions.json", headers={"Authorization": value}, address="127.0.0.2")
        assert (answer.status, answer.headers["location"]) == (302, "/-/login"), value
        assert "www-authenticate" not in answer.headers


@pytest.mark.slow  # eight guessers for six seconds
def test_guessers_are_slowed_and_do_not_stall_the_pages(served):
    """Eight parallel guessers: checks run off the event loop, and growing delays stop them."""
    _, port = served
    device = sign_in(port, "bob", OTHERS["bob"], address="127.0.0.13").cookie_value("journal_device")
    statuses: list[int] = []
    stop_at = time.monotonic() + 6

    def guess(n: int) -> None:
        while time.monotonic() < stop_at:
            statuses.append(sign_in(port, "bob", f"guess {n} {time.monotonic()}", address=f"127.0.1.{n}").status)

    guessers = [threading.Thread(target=guess, args=(n,)) for n in range(1, 9)]
    for thread in guessers:
        thread.start()
    time.sleep(1)
    static = []
    while time.monotonic() < stop_at - 0.5:
        started = time.monotonic()
        assert request(port, "GET", "/-/static/app.css", address="127.0.0.3").status == 200
        static.append(time.monotonic() - started)
        time.sleep(0.05)
    for thread in guessers:
        thread.join()
    checked = statuses.count(200)  # the form again, "Invalid username or password": a real check
    refused = statuses.count(429)
    assert set(statuses) <= {200, 429}
    # Checks under suspicion come one a second at most, and "bob" allows FREE_ATTEMPTS failures
    # then waits of 1, 2, 4 s...: a handful of checks in 6 s.
    assert checked <= 8, checked
    assert refused > checked
    assert max(static) < 0.5, f"a static file took {max(static):.2f} s while guessing went on"
    # Bob's own browser, which signed in before, is not locked out by the guessers.
    session_of(sign_in(port, "bob", OTHERS["bob"], address="127.0.0.13", cookies={"journal_device": device}))


@pytest.mark.slow  # waits out the free attempts and two delays: ten seconds
def test_a_refused_guess_says_how_long_to_wait(served):
    _, port = served
    # Checks under suspicion are one a second at most over the whole site; after the free attempts
    # the waits are 1 s, then 2 s, then 4 s.
    for pause in [SUSPECT_GAP] * FREE_ATTEMPTS + [1, 2]:
        time.sleep(pause)
        assert sign_in(port, "erin", "wrong password", address="127.0.2.1").status == 200
    time.sleep(SUSPECT_GAP)
    refused = sign_in(port, "erin", OTHERS["erin"], address="127.0.2.1")  # even the right one, now
    assert refused.status == 429 and int(refused.headers["retry-after"]) >= 1
    assert "Try again in" in refused.text and "journal_session" not in refused.cookies()
    # From another address the name itself is held up: the form shows, the check waits.
    elsewhere = sign_in(port, "erin", OTHERS["erin"], address="127.0.2.2")
    assert elsewhere.status == 429 and "Try again in" in elsewhere.text and 'name="password"' in elsewhere.text


@pytest.mark.slow  # eight timed checks, a second apart
def test_an_unknown_name_costs_what_a_known_one_does(served):
    _, port = served

    def timed(name: str, n: int) -> float:
        time.sleep(SUSPECT_GAP)
        started = time.monotonic()
        assert sign_in(port, name, "wrong password", address=f"127.0.3.{n}").status == 200
        return time.monotonic() - started

    known = [timed("frank", n) for n in range(1, 5)]
    unknown = [timed("nobody-here", n) for n in range(11, 15)]
    assert statistics.median(known) > 0.05  # a real hash is computed
    assert abs(statistics.median(known) - statistics.median(unknown)) < 0.4 * statistics.median(known)


@pytest.mark.parametrize("path", ["/-/static%2F..%2Freport%2Fsessions.json", "/-/static/%2e%2e/%2e%2e/report/sessions.json",
                                  "/-/static/../../report/sessions.json", "/-/login%2F..%2Freport%2Fsessions.json",
                                  "/-/%6detadata.json", "/%72eport/sessions.json", "//report/sessions.json"])
def test_encoded_paths_do_not_slip_past_the_gate(served, path):
    _, port = served
    answer = request(port, "GET", path, address="127.0.0.14")
    assert answer.status in (302, 400, 404), (path, answer.status)
    assert "Sam Rivers" not in answer.text and "supervision" not in answer.text.lower()


def test_the_session_cookie_is_httponly_strict_and_bounded(served):
    _, port = served
    answer = sign_in(port, SUPERVISOR, PASSWORD, address="127.0.0.4")
    session = session_of(answer)
    cookie = answer.cookies()["journal_session"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
    assert 0 < int(cookie.split("max-age=")[1].split(";")[0]) <= 12 * 3600
    assert "ds_actor" not in answer.cookies()
    assert request(port, "GET", "/report/sessions.json", cookies=session).status == 200
    assert request(port, "GET", "/report/sessions.json", cookies={"journal_session": "made-up"}).status == 302
    assert "secure" not in [part.strip() for part in cookie.split(";")]  # plain http here
    # Behind a TLS proxy on this machine (it says so with X-Forwarded-Proto), the cookies are Secure.
    proxied = sign_in(port, SUPERVISOR, PASSWORD, address="127.0.0.1", headers={"X-Forwarded-Proto": "https"})
    for name in ("journal_session", "journal_device"):
        assert "secure" in [part.strip().lower() for part in proxied.cookies()[name].split(";")], name


def test_sign_out_ends_the_session(served):
    _, port = served
    session = session_of(sign_in(port, SUPERVISOR, PASSWORD, address="127.0.0.5"))
    page = request(port, "GET", "/", cookies=session)
    assert page.status == 200 and "Sign out" in page.text
    csrf = page.cookie_value("ds_csrftoken")
    token = page.text.split('name="csrftoken" value="')[1].split('"')[0]
    out = request(port, "POST", "/-/logout", body=f"csrftoken={token}", cookies={**session, "ds_csrftoken": csrf},
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert (out.status, out.headers["location"]) == (302, "/-/login")
    assert request(port, "GET", "/", cookies=session).status == 302  # the old cookie, replayed


def test_a_password_change_ends_the_sessions_of_that_login(served):
    db, port = served
    session = session_of(sign_in(port, "carol", OTHERS["carol"], address="127.0.0.6"))
    assert request(port, "GET", "/", cookies=session).status == 200
    changed = runner_for(db)("supervisor", "add", "carol", "--password-stdin", input="a brand new password\n")
    assert changed.exit_code == 0, changed.stderr
    assert request(port, "GET", "/", cookies=session).status == 302
    assert sign_in(port, "carol", OTHERS["carol"], address="127.0.0.6").status == 200  # the old password fails
    time.sleep(SUSPECT_GAP)  # carol has failed now: her next check waits its turn among the suspect ones
    session_of(sign_in(port, "carol", "a brand new password", address="127.0.0.6"))


def test_removing_a_login_and_re_adding_the_name_for_someone_else_ends_its_sessions(served):
    db, port = served
    session = session_of(sign_in(port, "dave", OTHERS["dave"], address="127.0.0.7"))
    run = runner_for(db)
    assert run("supervisor", "remove", "dave").exit_code == 0
    assert request(port, "GET", "/", cookies=session).status == 302
    # Re-added for someone else, with (by chance) the very same password: the old session stays dead.
    assert run("supervisor", "add", "dave", "--password-stdin", input=OTHERS["dave"] + "\n").exit_code == 0
    assert request(port, "GET", "/", cookies=session).status == 302


def test_reserved_and_colliding_names_cannot_sign_in(tmp_path):
    """Rows an earlier version let in: `root` and `alice_password_hash` open nothing."""
    db = make_journal(tmp_path)
    journal = open_journal(db)
    from journal.supervisor.passwords import hash_password

    with journal.transaction():
        for name in ("root", f"{SUPERVISOR}_password_hash"):
            journal.execute("INSERT INTO supervisors(name, password_hash, created_at) VALUES (?, ?, '2025-01-01')",
                            (name, hash_password("an attacker's password")))
    journal.close()
    port, server = serve(db)
    try:
        # Each from an address of its own, so that no check waits behind another's failure.
        for n, name in enumerate(("root", f"{SUPERVISOR}_password_hash", SUPERVISOR), start=1):
            answer = sign_in(port, name, "an attacker's password", address=f"127.0.4.{n}")
            assert answer.status == 200 and "journal_session" not in answer.cookies(), name
        session_of(sign_in(port, SUPERVISOR, PASSWORD, address="127.0.4.9"))
    finally:
        log = stop(server)
    assert "the login 'root' is not a valid name any more" in log


def test_every_answer_carries_the_security_headers(served):
    _, port = served
    session = session_of(sign_in(port, SUPERVISOR, PASSWORD, address="127.0.0.9"))
    answers = [request(port, "GET", path, cookies=cookies) for path, cookies in (
        ("/-/login", None), ("/", None), ("/", session), ("/report/sessions", session), ("/-/metadata", session),
        ("/-/static/app.css", None), ("/report/sessions.csv", session), ("/nope", session))]
    answers.append(request(port, "GET", "/", host="evil.example"))
    for answer in answers:
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        assert "script-src 'self'" in answer.headers["content-security-policy"]
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("form_cookie, form_token", [(False, False), (False, True), (True, False)])
def test_the_sign_in_form_needs_its_csrf_token(served, form_cookie, form_token):
    _, port = served
    from web_client import login_form

    csrf_cookie, token = login_form(port, "127.0.0.10")
    body = f"username={SUPERVISOR}&password={PASSWORD.replace(' ', '+')}" + (f"&csrftoken={token}" if form_token else "")
    answer = request(port, "POST", "/-/login", body=body, address="127.0.0.10",
                     headers={"Content-Type": "application/x-www-form-urlencoded"},
                     cookies={"ds_csrftoken": csrf_cookie} if form_cookie else {"other": "1"} if form_token else None)
    assert answer.status == 403 and "journal_session" not in answer.cookies()


def test_other_host_names_are_refused_with_or_without_login(served, tmp_path):
    _, port = served
    assert request(port, "GET", "/-/login", host="attacker.example").status == 400
    assert request(port, "GET", "/-/login", host=f"localhost:{port}").status == 200
    db = make_journal(tmp_path)
    open_port, server = serve(db, "--no-login")
    try:
        rebound = request(open_port, "GET", "/report/sessions.json", host=f"rebind.attacker.example:{open_port}")
        assert rebound.status == 400 and "Sam Rivers" not in rebound.text
        assert request(open_port, "GET", "/report/sessions.json", host=f"127.0.0.1:{open_port}").status == 200
    finally:
        stop(server)


@pytest.mark.parametrize("args, message", [
    (["--no-login", "--host", "0.0.0.0"], "--no-login serves the report to anyone who reaches 0.0.0.0"),
    (["--no-login", "--host", "192.0.2.7"], "--no-login serves the report to anyone who reaches 192.0.2.7"),
    (["--no-login", "--allow-host", "report.example.org"], "--no-login serves this machine only"),
    (["--host", "0.0.0.0"], "--host 0.0.0.0 listens on every address"),
])
def test_serving_without_login_off_loopback_is_refused(tmp_path, args, message):
    db = make_journal(tmp_path)
    result = run_journal(db, "serve", "--port", str(free_port()), *args, timeout=60)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_websocket_upgrades_are_refused(served):
    _, port = served
    session = session_of(sign_in(port, SUPERVISOR, PASSWORD, address="127.0.0.11"))
    for cookie in ("", f"journal_session={session['journal_session']}\r\n"):
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall((f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                          + (f"Cookie: {cookie}" if cookie else "") + "\r\n").encode())
            status_line = conn.recv(4096).split(b"\r\n", 1)[0]
        assert status_line.split()[1] in (b"400", b"403"), status_line


def test_a_websocket_connection_handed_over_by_the_server_is_closed(served, tmp_path):
    """Servers with a WebSocket library hand upgrades to the app as WebSocket scopes: the gate closes them."""
    from journal.supervisor.logins import LoginBook
    from journal.supervisor.publish import publish
    from journal.supervisor.serve import make_datasette

    db, _ = served
    journal = open_journal(db)
    ds = make_datasette(publish(journal, tmp_path / "report.db").path, logins=LoginBook(db), secret="s" * 64)
    journal.close()
    sent = []

    async def receive():
        return {"type": "websocket.connect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "websocket", "path": "/", "headers": [(b"host", b"localhost")], "query_string": b""}
    asyncio.run(ds.app()(scope, receive, send))
    assert sent == [{"type": "websocket.close", "code": 1008}]


def test_odd_addresses_and_methods_never_answer_500(served):
    _, port = served
    session = session_of(sign_in(port, SUPERVISOR, PASSWORD, address="127.0.0.12"))
    for path in ("/report.csv", "/report.json", "/report/sessions?_sort=nope", "/report/sessions?_through=x",
                 "/report/sessions?_sort=rowid", "/report/sessions.csv?_sort=nope", "/report/nope.csv",
                 "/report/sessions/abc", "/-/charts/nope.svg", "/-/search?q=%22", "/report/sessions?_size=abc"):
        answer = request(port, "GET", path, cookies=session)
        assert answer.status < 500 and "Traceback" not in answer.text, path
    for method, path, headers in (
            ("PUT", "/", {}), ("DELETE", "/report/sessions", {}), ("POST", "/report/sessions", {}),
            ("POST", "/-/login", {"Content-Type": "multipart/form-data"}),
            ("POST", "/-/login", {"Content-Type": "application/x-www-form-urlencoded", "Content-Length": "x"}),
            ("OPTIONS", "/", {}), ("HEAD", "/", {})):
        answer = request(port, method, path, headers=headers, cookies=session)
        assert answer.status < 500, (method, path, answer.status)


def test_csv_downloads_carry_no_live_formula(tmp_path):
    db = make_journal(tmp_path)
    for title in ("=HYPERLINK(\"http://x.example\",\"y\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)"):
        result = runner_for(db)("log", "supervision", "1h", "--at", "2025-03-10 10:00", "--with", title, "--title", title)
        assert result.exit_code == 0, result.stderr
    port, server = serve(db)
    try:
        session = session_of(sign_in(port, SUPERVISOR, PASSWORD))
        for path in ("/report/sessions.csv?_size=max", "/report/sessions.csv?_stream=on", "/report/supervision_log.csv"):
            answer = request(port, "GET", path, cookies=session)
            assert answer.status == 200, path
            cells = [cell for row in csv.reader(io.StringIO(answer.text)) for cell in row]
            assert "'=HYPERLINK(\"http://x.example\",\"y\")" in cells and "'-2+3" in cells, path
            assert [cell for cell in cells if cell.startswith(FORMULA_STARTS) and not is_number(cell)] == [], path
    finally:
        stop(server)
