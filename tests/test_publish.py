"""`journal publish`, supervisor logins and the pieces the supervisor pages are made of."""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import sqlite3
import stat
import time
from datetime import date

import pytest
from supervisor_data import CANARY, PASSWORD, SHARED_WORD, SUPERVISOR, at, build

from journal.entries import SessionInput, add_session
from journal.errors import JournalError
from journal.supervisor.markup import reflection_html
from journal.supervisor.publish import default_output, publish
from journal.supervisor.serve import make_datasette, signing_secret, warnings_for
from journal.supervisor.logins import add_supervisor, list_supervisors
from journal.supervisor.passwords import hash_password, verify_password


@pytest.fixture
def filled(journal):
    build(journal)
    return journal


def rows(path, sql):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_publish_counts_what_left_per_kind(filled, tmp_path):
    result = publish(filled, tmp_path / "out" / "report.db")
    assert result.sessions == {"therapy": 3, "supervision": 2, "practice": 2, "cpd": 1}
    assert result.hours == {"therapy": 2.5, "supervision": 2.5, "practice": 1.67, "cpd": 3.0}
    assert result.reflections == 2
    assert result.period == ("2025-10-06", "2026-03-02")
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600
    assert sorted(p.name for p in result.path.parent.iterdir()) == ["report.db"]  # no temp file left


def test_published_columns_are_the_allow_list(filled, tmp_path):
    path = publish(filled, tmp_path / "report.db").path
    columns = [r[1] for r in rows(path, "PRAGMA table_info(sessions)")]
    assert columns == ["id", "date", "month", "kind", "minutes", "hours", "counterpart", "mode", "format",
                       "group_size", "paid", "tags"]
    assert [r[1] for r in rows(path, "PRAGMA table_info(therapy_log)")] == [
        "id", "date", "month", "minutes", "hours", "therapist", "mode"]
    therapy = rows(path, "SELECT date, minutes, counterpart, mode, format, group_size, paid FROM sessions "
                         "WHERE kind = 'therapy' ORDER BY date")
    assert therapy == [("2025-10-06", 50, "Dr Martin", "in-person", None, None, None),
                       ("2026-01-05", 50, "Dr Martin", "video", None, None, None),
                       ("2026-01-12", 50, "Dr Martin", "in-person", None, None, None)]
    # Ids are renumbered 1..n in date order: gaps cannot hint at private or deleted entries.
    assert [r[0] for r in rows(path, "SELECT id FROM sessions ORDER BY date")] == list(range(1, 9))


def test_client_codes_only_when_asked(filled, tmp_path):
    without = publish(filled, tmp_path / "a.db").path
    assert "client" not in [r[1] for r in rows(without, "PRAGMA table_info(sessions)")]
    assert b"C014" not in without.read_bytes()
    with_codes = publish(filled, tmp_path / "b.db", client_codes=True).path
    assert rows(with_codes, "SELECT date, client FROM sessions WHERE client IS NOT NULL ORDER BY date") == [
        ("2026-01-08", "C014"), ("2026-03-02", f"{CANARY.upper()}7")]


def test_reflections_and_their_own_search_index(filled, tmp_path):
    path = publish(filled, tmp_path / "report.db").path
    assert rows(path, "SELECT id, date, title, template, on_session, tags FROM reflections ORDER BY id") == [
        (1, "2026-01-09", "After the January supervision", "gibbs", 4, "ruptures"),
        (2, "2026-02-11", "Endings", None, None, None),
    ]
    assert rows(path, "SELECT date, kind FROM sessions WHERE id = 4") == [("2026-01-08", "practice")]
    hits = rows(path, f"SELECT rowid FROM reflections_fts WHERE reflections_fts MATCH '{SHARED_WORD}' ORDER BY rank")
    assert sorted(h[0] for h in hits) == [1, 2]
    assert rows(path, f"SELECT count(*) FROM reflections_fts WHERE reflections_fts MATCH '{CANARY}'") == [(0,)]


def test_summaries_for_the_report(filled, tmp_path):
    path = publish(filled, tmp_path / "report.db").path
    # Without a profile there is no monthly line: hours only, nothing marked short.
    assert rows(path, "SELECT month, sessions, hours, credited_hours, required_hours, status "
                      "FROM supervision_months") == [
        ("2026-01", 1, 1.5, 1.5, None, None), ("2026-02", 1, 1.0, 1.0, None, None),
        ("2026-03", 0, 0.0, 0.0, None, None)]
    assert rows(path, "SELECT period, sessions, hours FROM therapy_periods") == [
        ("2025-09-01..2026-08-31", 3, 2.5)]
    assert rows(path, "SELECT month, hours FROM monthly_hours WHERE kind = 'practice'") == [
        ("2026-01", 0.83), ("2026-03", 0.83)]
    assert rows(path, "SELECT practitioner, period_start, period_end, client_codes FROM about") == [
        ("Sam Rivers", "2025-10-06", "2026-03-02", 0)]


def test_requirements_from_the_published_hours_only(filled, tmp_path):
    from journal.rules import check_profiles
    from journal.settings import set_setting

    with filled.transaction():
        set_setting(filled, "profiles", "bacp-practice")
    path = publish(filled, tmp_path / "report.db").path
    published = rows(path, "SELECT profile, rule, met, failing_periods FROM requirements")
    expected = check_profiles(filled, ["bacp-practice"])[0]["rules"]
    assert [(r[0], r[1]) for r in published] == [("bacp-practice", rule["id"]) for rule in expected]
    monthly = next(r for r in published if r[1] == "monthly-supervision")
    assert monthly[2] == 0
    # February's only client work was kept private, so the published report does not count it.
    assert [p["period"] for p in json.loads(monthly[3])] == ["2026-03"]
    in_journal = next(rule for rule in expected if rule["id"] == "monthly-supervision")
    assert [p["period"] for p in in_journal["failing_periods"]] == ["2026-02", "2026-03"]
    # The monthly line is BACP's rule: 1.5 h credited (February's group of 4 counts half), months
    # before any published client work are not required, and failing months are short.
    assert rows(path, "SELECT month, hours, credited_hours, required_hours, status FROM supervision_months") == [
        ("2026-01", 1.5, 1.5, 1.5, "met"), ("2026-02", 1.0, 0.5, None, "not required"),
        ("2026-03", 0.0, 0.0, 1.5, "short")]


def test_the_monthly_line_follows_the_profiles_never_a_fixed_figure(filled, tmp_path):
    from journal.settings import set_setting

    with filled.transaction():
        set_setting(filled, "profiles", "tx-lpc")  # Texas: 4 h of supervision every month
    path = publish(filled, tmp_path / "report.db").path
    assert {r[0] for r in rows(path, "SELECT required_hours FROM supervision_months")} <= {4.0, None}
    with filled.transaction():
        set_setting(filled, "profiles", "ukcp-cpd")  # no monthly supervision rule at all
    path = publish(filled, tmp_path / "report.db").path
    assert rows(path, "SELECT DISTINCT required_hours, status FROM supervision_months") == [(None, None)]


@pytest.mark.parametrize("order", ["dmy", "mdy"])
def test_supervisor_pages_say_what_check_says_on_the_published_hours(filled, tmp_path, order):
    """One engine, one set of words: the requirement lines on the supervisor's home and requirements
    pages are the ones `journal check` prints for the same (published) sessions, their dates written
    in the practitioner's date order."""
    from html import unescape

    from journal.settings import set_setting
    from journal.supervisor.publish import PUBLISHED_SESSIONS
    from journal.supervisor.requirements import _check_published, configured
    from journal.supervisor.wording import readable

    with filled.transaction():
        set_setting(filled, "profiles", "bacp-practice")
        set_setting(filled, "date_order", order)
    path = publish(filled, tmp_path / "report.db").path
    expected = _check_published(filled, configured(filled), PUBLISHED_SESSIONS, False)[0]["rules"]
    site = make_datasette(path, logins=None, secret="test")
    home, requirements = (" ".join(unescape(re.sub(r"<[^>]+>", "", asyncio.run(site.client.get(url)).text)).split())
                          for url in ("/", "/requirements"))
    monthly = next(rule for rule in expected if rule["id"] == "monthly-supervision")
    assert monthly["details"][:2] == ["2026-03: 0 h of supervision, 1.5 h short",
                                      "2026-02: not required (no practice)"]
    assert "Mar 2026: 0 h of supervision, 1.5 h short" in home
    for page in (home, requirements):
        for line in (monthly["summary"], *monthly["details"]):
            assert readable(line, order) in page
    for rule in expected:  # every rule's status and summary, and on the requirements page its details
        assert f"{rule['status']} {rule['title']}: {readable(rule['summary'], order)}" in home
        for line in (rule["summary"], *rule["details"]):
            assert readable(line, order) in requirements
    assert rows(path, "SELECT status FROM requirements WHERE rule = 'monthly-supervision'") == [("not met",)]


def test_republishing_replaces_the_file(filled, tmp_path):
    out = tmp_path / "report.db"
    out.write_bytes(b"an old report with " + CANARY.encode())
    publish(filled, out)
    assert CANARY.encode() not in out.read_bytes()
    assert rows(out, "SELECT count(*) FROM sessions") == [(8,)]


def test_publish_sweeps_temp_files_a_killed_publish_left_but_not_fresh_ones(filled, tmp_path):
    out = tmp_path / "report.db"
    stale, fresh = tmp_path / ".report.db.old1.tmp", tmp_path / ".report.db.now2.tmp"
    for leftover in (stale, fresh):
        leftover.write_bytes(b"half a report")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    publish(filled, out)
    assert not stale.exists()
    assert fresh.exists()  # it may belong to a publish running at this moment
    assert sorted(p.name for p in tmp_path.glob(".report.db.*.tmp")) == [fresh.name]


def test_publish_command_prints_what_leaves(run, db_path, tmp_path):
    run("log", "supervision", "1h30m", "--at", "2026-01-07 10:00", "--with", "Alice", "--note", "private")
    result = run("publish")
    assert result.exit_code == 0, result.stderr
    assert f"Published {default_output(db_path)}" in result.stdout
    assert "  Supervision           1 sessions      1.50 h" in result.stdout
    assert "client codes left out" in result.stdout
    as_json = run("publish", "--out", str(tmp_path / "r.db"), "--json", "--client-codes").json()
    assert as_json["sessions"] == {"supervision": 1} and as_json["client_codes"] is True
    assert as_json["hours"] == {"supervision": 1.5}


def test_publish_refuses_to_overwrite_the_journal(run, db_path):
    run("log", "cpd", "1h", "--at", "2026-01-07 10:00")
    result = run("publish", "--out", str(db_path))
    assert result.exit_code == 2
    assert result.stderr == "Error: --out is the journal itself; choose another path, e.g. report.db\n"


# Supervisor logins ---------------------------------------------------------------------------


# Written by datasette-auth-passwords, which stored the logins of earlier versions.
EARLIER_HASH = "pbkdf2_sha256$480000$abc$n1cs2u6tGmEYwoT0Aqf3B80q16NPxoxMglNr1/GM72c="


def test_supervisor_hash_is_salted_pbkdf2_and_earlier_hashes_still_verify(journal):
    add_supervisor(journal, SUPERVISOR, PASSWORD)
    stored = journal.query("SELECT password_hash FROM supervisors")[0]["password_hash"]
    assert stored.startswith("pbkdf2_sha256$480000$")
    assert PASSWORD not in stored
    assert verify_password(PASSWORD, stored) and not verify_password("wrong password", stored)
    assert hash_password(PASSWORD, salt="abc") == EARLIER_HASH
    assert verify_password(PASSWORD, EARLIER_HASH)
    assert not verify_password(PASSWORD, "pbkdf2_sha256$not-a-number$abc$x") and not verify_password(PASSWORD, "")


def test_supervisor_commands(run):
    run("init")
    added = run("supervisor", "add", "alice", "--password-stdin", input="correct horse\n")
    assert added.exit_code == 0 and added.stderr.startswith("Added supervisor login 'alice'; its signing key is SHA256:")
    again = run("supervisor", "add", "alice", "--password-stdin", input="another horse\n")
    assert again.stderr.startswith("Changed the password of supervisor login 'alice'; its signing key is SHA256:")
    listed = run("supervisor", "list", "--json").json()
    assert [row["name"] for row in listed] == ["alice"] and "password_hash" not in listed[0]
    assert "private_key" not in listed[0] and listed[0]["fingerprint"] == again.stderr.split()[-1].rstrip(".")
    assert run("supervisor", "remove", "alice").exit_code == 0
    missing = run("supervisor", "remove", "alice")
    assert missing.exit_code == 1
    assert missing.stderr == "Error: no supervisor login 'alice'; known logins: none yet\n"


@pytest.mark.parametrize("args, stdin, message", [
    (["bad name"], "correct horse\n", "Error: supervisor name 'bad name' cannot be a login: it must be 1 to 32 "
                                      "lower-case letters, digits and single hyphens, starting with a letter; "
                                      "use a name such as bad-name\n"),
    (["Alice"], "correct horse\n", "Error: supervisor name 'Alice' cannot be a login: it must be 1 to 32 "
                                   "lower-case letters, digits and single hyphens, starting with a letter; "
                                   "use a name such as alice\n"),
    (["alice_password_hash"], "correct horse\n", "Error: supervisor name 'alice_password_hash' cannot be a login: "
                                                 "it must be 1 to 32 lower-case letters, digits and single hyphens, "
                                                 "starting with a letter; use a name such as alice-password-hash\n"),
    (["root"], "correct horse\n", "Error: supervisor name 'root' cannot be a login: it is reserved; use a name "
                                  "such as alice or a-smith\n"),
    (["bob"], "short\n", "Error: the password is shorter than 8 characters; nothing was written; choose a "
                         "longer one (a few words work well)\n"),
])
def test_supervisor_add_refuses_bad_input(run, journal, args, stdin, message):
    result = run("supervisor", "add", *args, "--password-stdin", input=stdin)
    assert (result.exit_code, result.stderr) == (2, message)
    assert list_supervisors(journal) == []


def test_supervisor_add_without_a_terminal_asks_for_stdin(run):
    run("init")
    result = run("supervisor", "add", "bob", input="")
    assert (result.exit_code, result.stderr) == (
        2, "Error: no terminal to ask for the password; pipe it in with --password-stdin\n")


# Serving -------------------------------------------------------------------------------------


def test_serve_needs_a_login_unless_told(run):
    run("log", "cpd", "1h", "--at", "2026-01-07 10:00")
    result = run("serve", "--port", "1")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no supervisor logins yet, so nobody could sign in; add one with")


def test_serve_on_a_journal_not_made_yet_says_there_is_none(run, db_path):
    assert not db_path.exists()
    result = run("serve", "--port", "1")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: there is no journal at {db_path}")
    assert not db_path.exists()


def test_serve_refuses_a_busy_port(run):
    run("init")
    run("supervisor", "add", "alice", "--password-stdin", input="correct horse\n")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("serve", "--port", str(port))
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot listen on 127.0.0.1:{port} (Address already in use); pass another " \
                            f"port, e.g. --port {port + 1}\n"


def test_signing_secret_is_stable_and_private(db_path):
    db_path.parent.mkdir(parents=True)
    first = signing_secret(db_path)
    assert signing_secret(db_path) == first and len(first) == 64
    assert stat.S_IMODE(db_path.with_name("journal.db.secret").stat().st_mode) == 0o600


def test_warnings_for_no_login_and_network_hosts():
    assert warnings_for("127.0.0.1", True) == []
    no_login, network = warnings_for("0.0.0.0", False)
    assert no_login.startswith("WARNING: --no-login: anyone who can reach this address")
    assert "put TLS in front" in network


def test_reflection_text_is_escaped_with_template_headings():
    html = reflection_html("# Description\nA <script>x</script> & more\nsecond line\n\n- one\n- two")
    assert html == ("<h3>Description</h3>\n<p>A &lt;script&gt;x&lt;/script&gt; &amp; more<br>second line</p>\n"
                    "<ul><li>one</li><li>two</li></ul>")


def test_a_failed_publish_leaves_the_previous_report_untouched(filled, tmp_path):
    out = tmp_path / "reports" / "report.db"
    publish(filled, out)
    before = out.read_bytes()
    filled.execute("INSERT INTO settings(key, value) VALUES ('profiles', 'no-such-profile')")
    with pytest.raises(JournalError):
        publish(filled, out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["report.db"]


def test_tag_counting_rules_publish_what_journal_check_counts_for_shared_sessions(journal, tmp_path):
    """EMDR rules count tagged sessions: the published figures are `journal check`'s over the
    shared sessions, and a private tagged session moves only the journal's own figures."""
    from journal.entries import SessionInput, add_session
    from journal.rules import check_profiles
    from journal.settings import set_setting
    from supervisor_data import at

    def session(kind: str, when: str, **fields) -> int:
        return add_session(journal, SessionInput(kind=kind, minutes=50, at=at(when), **fields), confirm=None)["id"]

    session("practice", "2026-01-05 09:00", client="C001", tags=["EMDR"])
    session("practice", "2026-01-12 09:00", client="C002", tags=["emdr"])
    session("practice", "2026-01-19 09:00", client="C001", tags=["EMDR"])
    session("practice", "2026-01-20 09:00", client="C004")  # not EMDR: counted by no rule here
    session("supervision", "2026-01-21 10:00", tags=["EMDR"])
    private = session("practice", "2026-01-26 09:00", client="C003", tags=["EMDR"], shared=False)
    with journal.transaction():
        set_setting(journal, "profiles", "emdr-europe")

    def published(client_codes: bool = True) -> dict[str, float]:
        path = publish(journal, tmp_path / "report.db", client_codes=client_codes).path
        return dict(rows(path, "SELECT rule, value FROM requirements WHERE profile = 'emdr-europe'"))

    def checked() -> dict[str, float]:
        return {rule["id"]: rule["value"] for rule in check_profiles(journal, ["emdr-europe"])[0]["rules"]}

    assert published() == {"clients": 2, "sessions": 3, "consultant-supervision": 0.83}
    assert checked() == {"clients": 3, "sessions": 4, "consultant-supervision": 0.83}
    with journal.transaction():
        journal.execute("UPDATE entries SET shared = 1 WHERE id = ?", (private,))
    assert published() == checked() == {"clients": 3, "sessions": 4, "consultant-supervision": 0.83}


def test_requirement_figures_come_from_the_published_columns_only(journal, tmp_path):
    """The EMDR count reads tags: the file shows the counted tag on each session (and no other
    tag); client counts read client codes, so without --client-codes no client count is published."""
    from journal.entries import SessionInput, add_session
    from journal.settings import set_setting
    from supervisor_data import at

    for day, client, tags in (("05", "C001", ["EMDR", "hard-case"]), ("12", "C002", ["emdr"]), ("19", "C003", [])):
        add_session(journal, SessionInput(kind="practice", minutes=50, at=at(f"2026-01-{day} 09:00"),
                                          client=client, tags=tags), confirm=None)
    with journal.transaction():
        set_setting(journal, "profiles", "emdr-europe")
    path = publish(journal, tmp_path / "report.db").path
    assert rows(path, "SELECT date, tags FROM sessions ORDER BY date") == [
        ("2026-01-05", "EMDR"), ("2026-01-12", "EMDR"), ("2026-01-19", None)]
    assert b"hard-case" not in path.read_bytes()
    figures = rows(path, "SELECT rule, value, met FROM requirements")
    assert figures == [("clients", None, None), ("sessions", 2, 0), ("consultant-supervision", 0, 0)]
    counted = len(rows(path, "SELECT 1 FROM sessions WHERE ',' || tags || ',' LIKE '%,EMDR,%'"))
    assert counted == 2


def test_a_long_table_is_read_fifty_rows_to_a_page(run, journal, tmp_path):
    """Supervisors page through long tables 50 rows at a time (half Datasette's default, and half its
    rendering time), newest first, with a link to the next page."""
    records = [{"kind": "cpd", "start": f"2025-{1 + n // 28:02d}-{1 + n % 28:02d}T10:00:00+00:00", "tz": "UTC",
                "minutes": 60, "shared": True, "source_key": f"test:{n}"} for n in range(60)]
    (tmp_path / "cpd.json").write_text(json.dumps(records))
    assert "60 added" in run("import", "json", str(tmp_path / "cpd.json")).stderr
    site = make_datasette(publish(journal, tmp_path / "report.db").path, logins=None, secret="test")

    async def pages():
        first = (await site.client.get("/report/sessions.json?_shape=objects")).json()
        rest = (await site.client.get(first["next_url"].replace("http://localhost", ""))).json()
        return first, rest

    first, rest = asyncio.run(pages())
    assert [len(first["rows"]), len(rest["rows"])] == [50, 10]
    assert first["rows"][0]["date"] == "2025-03-04" and rest["rows"][-1]["date"] == "2025-01-01"
    assert rest["next_url"] is None


def test_the_unfinished_month_is_due_on_every_page_never_met_nor_failing(journal, tmp_path):
    """This month: client work and 1 h of supervision, so BACP's 1.5 h is due by its last day, as
    `journal check` says; the pages show it as due, the profile has failed nothing."""
    from html import unescape

    from journal.rules import check_profiles
    from journal.settings import set_setting
    from journal.supervisor.wording import month, readable

    first = date.today().replace(day=1).isoformat()
    with journal.transaction():
        set_setting(journal, "practitioner", "Sam Rivers")
        set_setting(journal, "profiles", "bacp-practice")
    for kind, minutes, when in (("practice", 50, "09:00"), ("supervision", 60, "10:00")):
        add_session(journal, SessionInput(kind=kind, minutes=minutes, at=at(f"{first} {when}")), confirm=None)
    monthly = next(r for r in check_profiles(journal)[0]["rules"] if r["id"] == "monthly-supervision")
    assert monthly["status"] == "due"
    path = publish(journal, tmp_path / "report.db").path
    assert rows(path, "SELECT status FROM supervision_months") == [("due",)]
    site = make_datasette(path, logins=None, secret="test")
    home, requirements, supervision = (
        " ".join(unescape(re.sub(r"<[^>]+>", "", asyncio.run(site.client.get(url)).text)).split())
        for url in ("/", "/requirements", "/supervision"))
    due_line = readable(monthly["details"][0])
    assert "0.5 h more needed by" in due_line
    assert f"due {monthly['title']}: {readable(monthly['summary'])}" in home and due_line in home
    assert f"{month(first)} is under way: 1 h credited so far of the 1.5 h needed by its last day" in home
    assert "Status due" in requirements and due_line in requirements
    assert "No rule has failed" in home and "No rule has failed" in requirements
    assert "not met" not in requirements.split("Requirements", 2)[-1]
    assert "(due)" in supervision
