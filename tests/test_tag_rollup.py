"""Migration 0018's rollups (rule_totals with peer sessions apart, tag_totals per tag) stay exact under
every change, and `journal check` gives the same results from them as from the sessions themselves."""

from __future__ import annotations

import json
import sqlite3
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from journal.changing import Changes, delete_entry, edit_entry, restore_entry
from journal.db import open_journal
from journal.entries import get_entry
from journal.migrations import migrations
from journal.paths import create_private_file, ensure_private_dir
from journal.rollups import RULE_TOTALS, TAG_TOTALS
from journal.rules import check_profiles, engine
from journal.rules.data import Client, Counts, Series
from journal.rules.profiles import SHIPPED
from journal.settings import set_setting
from rules_data import LONDON, credit, log

TAGS = ["EMDR", "assessment", "mentor", "cpd"]
FIRST_DAY = date(2025, 1, 1)
AS_OF = date(2026, 3, 31)

session_strategy = st.fixed_dictionaries({
    "kind": st.sampled_from(["therapy", "supervision", "practice", "cpd"]),
    "day": st.integers(min_value=0, max_value=420),
    "minutes": st.sampled_from([30, 45, 50, 60, 90, 180]),
    "format": st.sampled_from(["individual", "group", "peer"]),
    "size": st.one_of(st.none(), st.integers(min_value=2, max_value=17)),
    "client": st.sampled_from(["C1", "C2", "C3", "G4"]),
    "paid": st.booleans(),
    "tags": st.lists(st.sampled_from(TAGS), unique=True, max_size=3),
})
change_strategy = st.tuples(
    st.sampled_from(["edit", "regroup", "retag", "rm", "restore", "delete"]), st.integers(min_value=0, max_value=40),
    st.integers(min_value=0, max_value=420), st.sampled_from([30, 45, 50, 60, 90]),
    st.sampled_from(["C1", "C2", "C3"]), st.booleans(),
    st.tuples(st.sampled_from(["individual", "group", "peer"]), st.one_of(st.none(), st.integers(2, 17))),
    st.lists(st.sampled_from(TAGS), unique=True, max_size=3),
)


def _store(journal, session: dict) -> None:
    """A session as `journal log` stores it (client codes and paid on client work only)."""
    options: dict = {"tags": session["tags"]}
    if session["kind"] == "practice":
        options.update(client=session["client"], paid=session["paid"])
    if session["kind"] in ("supervision", "practice") and session["format"] != "individual":
        options.update(format=session["format"] if session["kind"] == "supervision" else "group",
                       group_size=session["size"])
    log(journal, session["kind"], session["minutes"], FIRST_DAY + timedelta(days=session["day"]), **options)


def _change(journal, ids: list[int], change: tuple) -> None:
    action, index, day, minutes, client, paid, (form, size), tags = change
    entry_id = ids[index % len(ids)]
    if not journal.execute("SELECT 1 FROM entries WHERE id = ?", (entry_id,)).fetchone():
        return  # deleted outright by an earlier change
    entry = get_entry(journal, entry_id, include_deleted=True)
    live = not entry.get("deleted")
    practice = entry["kind"] == "practice"
    if action == "restore" and not live:
        restore_entry(journal, entry["id"])
    elif action == "rm" and live:
        delete_entry(journal, entry["id"])
    elif action == "delete":
        with journal.transaction():  # gone outright: its tags go with it (the foreign key's cascade)
            journal.execute("DELETE FROM entries WHERE id = ?", (entry["id"],))
    elif action == "retag" and live:
        edit_entry(journal, entry["id"], Changes(tags=tags), again=True)
    elif action == "regroup" and live and entry["kind"] == "supervision":
        edit_entry(journal, entry["id"], Changes(format=form, group_size=None if form == "individual" else size),
                   again=True)
    elif action == "edit" and live:
        at = datetime.combine(FIRST_DAY + timedelta(days=day), time(10, 0), tzinfo=LONDON)
        edit_entry(journal, entry["id"], Changes(at=at, minutes=minutes, client=client if practice else None,
                                                 paid=paid if practice else None), again=True)


def _live_sessions(journal) -> list[dict]:
    sessions = journal.query(
        "SELECT e.*, (SELECT group_concat(t.key) FROM entry_tags et JOIN tags t ON t.id = et.tag_id "
        "WHERE et.entry_id = e.id) AS tags FROM entries e WHERE e.deleted_at IS NULL AND e.kind <> 'reflection'")
    for session in sessions:
        session["tags"] = (session["tags"] or "").split(",")
    return sessions


def _direct_fetch(journal, measures, client_measures, since, as_of) -> Counts:
    """What :func:`journal.rules.data.fetch` reads from the rollups, worked out from the live sessions."""
    sessions = sorted((s for s in _live_sessions(journal)
                       if s["date"] <= as_of.isoformat() and (since is None or s["date"] >= since.isoformat())),
                      key=lambda s: (s["date"], s["id"]))
    series = {}
    for measure in measures:
        per_day: dict[str, float] = {}
        for session in sessions:
            amount = credit(session, measure)
            if amount is not None:
                per_day[session["date"]] = per_day.get(session["date"], 0.0) + amount
        days = sorted(per_day)
        series[measure] = Series(days, [per_day[day] for day in days], measure.divisor)
    clients = {}
    for measure in client_measures:
        found: dict[str, Client] = {}
        for session in sessions:
            if session["client_code"] is None or credit(session, measure) is None:
                continue
            client = found.setdefault(session["client_code"], Client(session["date"], session["date"]))
            client.first, client.last = min(client.first, session["date"]), max(client.last, session["date"])
            if session["format"] in ("group", "peer") and session["group_size"] is not None:
                client.group_size = max(client.group_size or 0, session["group_size"])
        clients[measure] = found
    return Counts(series, clients)


def _rounded(reports: list[dict]) -> str:
    """The reports as `journal check --json` prints them, figures to the hundredth."""
    return json.dumps(reports, sort_keys=True, default=str)


@pytest.mark.slow  # a property test over many journals and changes
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sessions=st.lists(session_strategy, min_size=1, max_size=25), changes=st.lists(change_strategy, max_size=10),
       since=st.sampled_from([None, date(2025, 3, 1)]))
def test_check_gives_the_same_results_from_the_rollups_as_from_the_sessions(monkeypatch, sessions, changes, since):
    with tempfile.TemporaryDirectory() as folder:
        journal = open_journal(Path(folder) / "journal.db")
        try:
            set_setting(journal, "training_start", "2025-01-01")
            set_setting(journal, "qualified_on", "2025-06-01")
            for session in sessions:
                _store(journal, session)
            ids = [row[0] for row in journal.execute("SELECT id FROM entries ORDER BY id")]
            for change in changes:
                _change(journal, ids, change)
            drifts = (RULE_TOTALS.drift(journal.conn), TAG_TOTALS.drift(journal.conn))
            from_rollups = check_profiles(journal, list(SHIPPED), as_of=AS_OF, since=since)
            with monkeypatch.context() as patched:
                patched.setattr(engine, "fetch", _direct_fetch)
                from_sessions = check_profiles(journal, list(SHIPPED), as_of=AS_OF, since=since)
        finally:
            journal.close()
    assert drifts == (0, 0)  # the triggers kept both rollups in step with every change
    assert _rounded(from_rollups) == _rounded(from_sessions)


def test_tag_totals_follow_log_edit_rm_restore_and_deletion(journal):
    """Hand-worked: what the EMDR row of a day holds after each change."""
    log(journal, "practice", 50, "2026-01-05", client="C001", tags=["EMDR"])
    log(journal, "practice", 60, "2026-01-05", client="C001", tags=["EMDR", "assessment"])
    emdr = journal.execute("SELECT id FROM tags WHERE key = 'emdr'").fetchone()[0]

    def emdr_day() -> list[tuple]:
        return journal.execute("SELECT date, client_code, minutes, clock_minutes, count FROM tag_totals "
                               "WHERE tag_id = ? ORDER BY date", (emdr,)).fetchall()

    first, second = (row[0] for row in journal.execute("SELECT id FROM entries ORDER BY id"))
    assert emdr_day() == [("2026-01-05", "C001", 110, 120, 2)]  # 50 min is a clock hour: 60 + 60
    delete_entry(journal, first)
    assert emdr_day() == [("2026-01-05", "C001", 60, 60, 1)]
    restore_entry(journal, first)
    edit_entry(journal, first, Changes(client="C002"), again=True)
    assert emdr_day() == [("2026-01-05", "C001", 60, 60, 1), ("2026-01-05", "C002", 50, 60, 1)]
    edit_entry(journal, second, Changes(tags=["assessment"]), again=True)
    assert emdr_day() == [("2026-01-05", "C002", 50, 60, 1)]
    with journal.transaction():
        journal.execute("DELETE FROM entries WHERE id = ?", (first,))
    assert emdr_day() == []
    assert (TAG_TOTALS.drift(journal.conn), RULE_TOTALS.drift(journal.conn)) == (0, 0)


def test_peer_supervision_has_rows_of_its_own_in_rule_totals(journal):
    log(journal, "supervision", 90, "2026-01-06", format="peer", group_size=4)
    log(journal, "supervision", 60, "2026-01-06", format="group", group_size=4)
    assert journal.execute("SELECT grp, peer, group_size, minutes FROM rule_totals ORDER BY peer").fetchall() == [
        (1, 0, 4, 60), (1, 1, 4, 90)]


def test_a_large_import_rebuilds_the_tag_totals_and_keeps_their_trigger(run, journal, tmp_path):
    """From 10,000 records the importer sets the tag rollup's trigger aside and rebuilds it once."""
    from journal.importers.core import BULK_FROM

    first = datetime(2024, 1, 1, tzinfo=LONDON)
    records = [{"kind": "practice", "start": (first + timedelta(hours=n)).isoformat(), "tz": "Europe/London",
                "minutes": (45, 50, 60, 90)[n % 4], "source_key": f"test:{n}", "client": f"C{n % 7}",
                **({"tags": ["EMDR"]} if n % 3 == 0 else {})}
               for n in range(BULK_FROM)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps(records))
    assert f"{BULK_FROM} added" in run("import", "json", str(path)).stderr
    result = run("db", "check")
    assert "tag totals:    ok" in result.stdout.splitlines(), result.stdout
    tagged = [r for r in records if "tags" in r]
    assert journal.execute("SELECT sum(count), sum(minutes) FROM tag_totals").fetchone() == (
        len(tagged), sum(r["minutes"] for r in tagged))
    run("log", "practice", "50m", "--at", "2026-01-05 10:00", "--client", "C9", "--tag", "EMDR")
    assert "tag totals:    ok" in run("db", "check").stdout.splitlines()
    assert journal.execute("SELECT sum(count) FROM tag_totals").fetchone() == (len(tagged) + 1,)


def test_db_check_finds_tag_totals_out_of_step_and_repairs_them(run, journal):
    log(journal, "practice", 50, "2026-01-05", client="C001", tags=["EMDR"])
    log(journal, "practice", 50, "2026-01-06", client="C002", tags=["EMDR"])
    expected = run("check", "--profile", "emdr-europe", "--as-of", "2026-03-31", "--json").stdout
    journal.execute("DELETE FROM tag_totals WHERE date = '2026-01-06'")
    journal.conn.commit()
    assert run("check", "--profile", "emdr-europe", "--as-of", "2026-03-31", "--json").stdout != expected
    result = run("db", "check")
    assert result.exit_code == 1
    assert "tag totals:    1 row(s) out of step; `journal db check --repair` rebuilds them" in result.stdout
    repaired = run("db", "check", "--repair")
    assert repaired.exit_code == 0 and "tag totals:    ok" in repaired.stdout
    assert run("check", "--profile", "emdr-europe", "--as-of", "2026-03-31", "--json").stdout == expected


def test_a_journal_from_before_0018_gets_both_rollups_in_step(db_path):
    """Upgraded in place: rule_totals made again with peer sessions apart, tag_totals filled from the
    tagged sessions already there (and a tagged reflection, which rule_totals holds too)."""
    ensure_private_dir(db_path.parent)
    create_private_file(db_path)
    conn = sqlite3.connect(db_path, isolation_level=None)
    migrations.apply(Database(conn, execute_plugins=False), stop_before="0018_tag_rollup")
    conn.execute("PRAGMA user_version = 10")
    conn.executescript("""
        INSERT INTO tags(id, name, key) VALUES (1, 'EMDR', 'emdr');
        INSERT INTO entries(id, kind, start_utc, tz, date, minutes, format, group_size, client_code, paid,
            created_at, updated_at) VALUES
            (1, 'practice', '2025-01-07T10:00:00Z', 'Europe/London', '2025-01-07', 50, NULL, NULL, 'C1', 1, 'x', 'x'),
            (2, 'supervision', '2025-01-08T10:00:00Z', 'Europe/London', '2025-01-08', 90, 'peer', 3, NULL, NULL, 'x', 'x'),
            (3, 'supervision', '2025-01-08T12:00:00Z', 'Europe/London', '2025-01-08', 60, 'group', 3, NULL, NULL, 'x', 'x');
        INSERT INTO entries(id, kind, start_utc, tz, date, title, body, created_at, updated_at)
            VALUES (4, 'reflection', '2025-01-08T13:00:00Z', 'Europe/London', '2025-01-08', 'On it', 'text', 'x', 'x');
        INSERT INTO entry_tags VALUES (1, 1), (4, 1);
    """)
    conn.close()
    journal = open_journal(db_path)
    try:
        assert (RULE_TOTALS.drift(journal.conn), TAG_TOTALS.drift(journal.conn)) == (0, 0)
        assert journal.execute("SELECT kind, peer, minutes FROM rule_totals WHERE kind = 'supervision' "
                               "ORDER BY peer").fetchall() == [("supervision", 0, 60), ("supervision", 1, 90)]
        assert journal.execute("SELECT kind, client_code, minutes, count FROM tag_totals ORDER BY kind").fetchall() == [
            ("practice", "C1", 50, 1), ("reflection", "", 0, 1)]
    finally:
        journal.close()


@pytest.mark.parametrize("table, label, unit", [("daily_totals", "report totals", "day(s)"),
                                                ("rule_totals", "rule totals", "row(s)"),
                                                ("tag_totals", "tag totals", "row(s)")])
def test_db_check_finds_a_missing_row_of_any_rollup(run, journal, table, label, unit):
    """A row the table lacks is drift as much as a row it should not have."""
    log(journal, "practice", 50, "2026-01-05", client="C001", tags=["EMDR"])
    log(journal, "practice", 50, "2026-01-06", client="C002", tags=["EMDR"])
    journal.execute(f"DELETE FROM {table} WHERE date = '2026-01-06'")
    result = run("db", "check")
    assert result.exit_code == 1
    assert f"{label + ':':<15}1 {unit} out of step; `journal db check --repair` rebuilds them" in result.stdout


def test_a_tagged_client_count_leaves_out_a_session_not_ended_yet(journal):
    """EMDR Europe counts the clients of sessions tagged EMDR. A session under way does not count yet, and
    does not stop the check (taking its day's client codes away from the rollup's raised a TypeError)."""
    from journal.entries import SessionInput, add_session

    log(journal, "practice", 50, "2026-01-05", client="C001", tags=["EMDR"])
    add_session(journal, SessionInput(kind="practice", minutes=600, at=datetime.now(LONDON) - timedelta(minutes=5),
                                      client="C002", tags=["EMDR"]))
    [report] = check_profiles(journal, ["emdr-europe"], as_of=datetime.now(LONDON).date())
    clients = next(r for r in report["rules"] if r["id"] == "clients")
    assert (clients["value"], clients["missing"]) == (1, 24)  # C001 only: C002's session has not ended
