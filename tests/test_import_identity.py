"""Every record arrives once: identity by a record's own id or its whole content, never kind + minute.

The property test builds random journals (same-minute sessions, reflections linked to sessions,
planned sessions, prompt cards, exercises and emotions, soft-deleted sessions with reflections on
them) and proves that export, import into an empty journal and export again gives the same bytes,
that importing the file again, here or into another journal, adds nothing, and that a reflection on
personal therapy stays private for good in the journal restored from the file.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import file_digest
from journal.cli import cli
from journal.db import open_journal
from journal.changing import delete_entry
from journal.entries import ReflectionInput, SessionInput, about_therapy, add_reflection, add_session

LONDON = ZoneInfo("Europe/London")


def invoke(db, *args: str, input: str | None = None):
    result = CliRunner().invoke(cli, ["--db", str(db), *args], input=input, catch_exceptions=False)
    return result


def test_three_sessions_at_the_same_minute_all_come_back_from_the_export(run, tmp_path):
    for client in ("C014", "C015", "C016"):
        assert run("log", "practice", "50m", "--client", client, "--at", "yesterday").exit_code == 0
    exported = tmp_path / "s.json"
    assert run("export", "-o", str(exported)).exit_code == 0
    new = tmp_path / "new.db"
    result = invoke(new, "import", "json", str(exported))
    assert result.exit_code == 0, result.stderr
    assert "3 added, 0 already present, 0 skipped." in result.stderr
    clients = sorted(r["client"] for r in json.loads(invoke(new, "export").stdout))
    assert clients == ["C014", "C015", "C016"]
    assert "0 added, 3 already present" in invoke(new, "import", "json", str(exported)).stderr


def test_same_minute_records_without_ids_all_arrive_and_a_true_repeat_is_named(run, tmp_path):
    same = {"kind": "practice", "start": "2026-03-02T10:00:00+00:00", "tz": "Europe/London", "minutes": 50}
    records = [{**same, "client": "C014"}, {**same, "client": "C015"}, {**same, "client": "C015"},
               {**same, "client": "C016", "note": "co-led"}]
    path = tmp_path / "hand.json"
    path.write_text(json.dumps(records))
    first = run("import", "json", str(path))
    assert "3 added, 0 already present, 1 skipped (1 repeated in the file)." in first.stderr
    assert "0 added, 4 already present, 0 skipped." in run("import", "json", str(path)).stderr


def test_an_export_into_a_kept_journal_then_back_adds_nothing_either_way(run, tmp_path):
    """Journal A's export into journal B (ids renumbered), then B's export back into A: each record
    is known by its own identity both ways, even at the same minute."""
    for client in ("C014", "C015"):
        run("log", "practice", "50m", "--client", client, "--at", "2026-03-02 10:00")
    a_export = tmp_path / "a.json"
    run("export", "-o", str(a_export))
    other = tmp_path / "b.db"
    invoke(other, "log", "cpd", "1h", "--at", "2026-01-05 10:00")
    assert "2 added" in invoke(other, "import", "json", str(a_export)).stderr
    assert "0 added, 2 already present" in invoke(other, "import", "json", str(a_export)).stderr
    b_export = tmp_path / "b.json"
    invoke(other, "export", "-o", str(b_export))
    result = run("import", "json", str(b_export))
    assert "1 added, 2 already present" in result.stderr  # only B's own cpd session is new to A


def test_a_stored_key_of_an_earlier_version_still_matches_its_one_record(run, journal, tmp_path):
    """Journals written before this change matched our own records by kind, start and creation
    time (the source key stayed empty): a re-import of that export into them adds nothing."""
    run("log", "practice", "50m", "--client", "C014", "--at", "2026-03-02 10:00")
    exported = run("export").stdout
    other = tmp_path / "b.db"
    invoke(other, "log", "cpd", "1h", "--at", "2026-01-05 10:00")
    invoke(other, "import", "json", "-", input=exported)
    b = open_journal(other)
    with b.transaction():  # as the earlier version left it: renumbered, no source key
        b.execute("UPDATE entries SET source_key = NULL")
    b.close()
    assert "0 added, 1 already present" in invoke(other, "import", "json", "-", input=exported).stderr


def test_planned_sessions_come_back_from_our_own_export(run, tmp_path):
    soon = (datetime.now(LONDON) + timedelta(days=7)).strftime("%Y-%m-%d 10:00")
    assert run("log", "supervision", "1h", "--at", soon, "--allow-future").exit_code == 0
    exported = run("export").stdout
    other = tmp_path / "b.db"
    result = invoke(other, "import", "json", "-", input=exported)
    assert "1 added, 0 already present, 0 skipped." in result.stderr
    assert invoke(other, "export").stdout == exported


def test_a_calendar_exported_by_two_apps_counts_once(run):
    """Google's and Outlook's exports of one calendar give the same events different UIDs: the
    same whole record (kind, start, length, title) is already present."""
    from test_import import RULES, SAMPLES

    run("import", "ics", str(SAMPLES / "google-calendar.ics"), "--match-file", RULES)
    result = run("import", "ics", str(SAMPLES / "outlook.ics"), "--match-file", RULES)
    assert "0 added, 7 already present" in result.stderr


# --- the property test -------------------------------------------------------------------------

PEOPLE = st.sampled_from(["Dr Helen Marsh", "Alice Moreno", "alice  moreno", "Raj Patel"])
MINUTE = st.integers(0, 3)  # few distinct minutes, so that same-minute sessions are common
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12)
session = st.fixed_dictionaries({
    "kind": st.sampled_from(["therapy", "supervision", "practice", "cpd"]),
    "minute": MINUTE,
    "days": st.sampled_from([-40, -3, -1, 5]),  # 5: a planned session, logged with --allow-future
    "minutes": st.sampled_from([50, 50, 90, 1]),
    "person": st.one_of(st.none(), PEOPLE),
    "client": st.sampled_from(["C014", "C015", None]),
    "note": st.one_of(st.none(), TEXT),
    "title": st.one_of(st.none(), TEXT),
    "tags": st.lists(st.sampled_from(["ethics", "Ethics", "rupture", "EMDR"]), max_size=2),
    "shared": st.booleans(),
    "card": st.sampled_from([None, "empty-chair", "dog-lead"]),  # kept on practice sessions
    "deleted": st.booleans(),  # soft-deleted (`journal rm`) after the reflections are written
})
reflection = st.fixed_dictionaries({
    "on": st.one_of(st.none(), st.integers(0, 30)),
    "minute": MINUTE,
    "body": TEXT.filter(str.strip),  # a reflection has words: a blank one is refused
    "shared": st.booleans(),
    "card": st.sampled_from([None, "empty-chair", "last-boxes"]),
    "exercise": st.sampled_from([None, "perspective", "story", "emotion"]),
    "emotions": st.lists(st.sampled_from(["joy", "trust", "acceptance", "contentment"]), max_size=3, unique=True),
    "deleted": st.booleans(),
})


def build(path, sessions: list[dict], reflections: list[dict]) -> None:
    """A journal of these sessions and reflections, written by the library as `journal log` would."""
    journal = open_journal(path)
    base = datetime.now(LONDON).replace(hour=10, minute=0, second=0, microsecond=0)
    ids = []
    try:
        for s in sessions:
            kind = s["kind"]
            practice = kind == "practice"
            ids.append((add_session(journal, SessionInput(
                kind=kind, minutes=s["minutes"], at=base + timedelta(days=s["days"], minutes=s["minute"]),
                person=None if practice else s["person"], client=s["client"] if practice else None,
                title=s["title"], note=s["note"], tags=s["tags"], shared=s["shared"],
                card=s["card"] if practice else None), again=True), kind))  # repeats too, as with --again
        for r in reflections:
            target = ids[r["on"] % len(ids)] if ids and r["on"] is not None else None
            on = target[0]["id"] if target else None
            ids.append((add_reflection(journal, ReflectionInput(
                body=r["body"], at=base + timedelta(days=-2, minutes=r["minute"]), on=on,
                shared=r["shared"] and not (target and target[1] == "therapy"), card=r["card"],
                exercise=r["exercise"] if r["card"] else None, emotions=r["emotions"])),
                target[1] if target else "reflection"))
        for (record, _), entry in zip(ids, [*sessions, *reflections]):
            if entry["deleted"]:
                delete_entry(journal, record["id"])
    finally:
        journal.close()


@pytest.mark.slow  # a property test over many journals
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sessions=st.lists(session, min_size=1, max_size=12), reflections=st.lists(reflection, max_size=5))
def test_json_round_trip_is_byte_identical_for_any_journal(tmp_path_factory, sessions, reflections):
    folder = tmp_path_factory.mktemp("round")
    build(folder / "a.db", sessions, reflections)
    first = invoke(folder / "a.db", "export")
    assert first.exit_code == 0, first.stderr
    records = json.loads(first.stdout)
    live = [entry for entry in [*sessions, *reflections] if not entry["deleted"]]
    kept = [record for record in records if record["deleted_at"] is None]
    assert len(kept) == len(live)
    assert Counter(record["card"] for record in kept if record["card"]) == Counter(
        entry["card"] for entry in live if entry["card"] and entry.get("kind", "practice") == "practice")
    assert Counter(e for record in kept for e in record["emotions"] or ()) == Counter(
        e for entry in live for e in entry.get("emotions", ()))

    imported = invoke(folder / "b.db", "import", "json", "-", input=first.stdout)
    assert imported.exit_code == 0, imported.stderr
    assert f"{len(records)} added, 0 already present, 0 skipped." in imported.stderr
    assert invoke(folder / "b.db", "export").stdout == first.stdout
    csv_text = invoke(folder / "a.db", "export", "--format", "csv").stdout
    from_csv = invoke(folder / "d.db", "import", "csv", "-", input=csv_text)
    assert f"{len(records)} added, 0 already present, 0 skipped." in from_csv.stderr
    assert invoke(folder / "d.db", "export").stdout == first.stdout
    assert invoke(folder / "d.db", "export", "--format", "csv").stdout == csv_text

    restored = open_journal(folder / "b.db")
    try:  # what the practitioner's own journal protects, the restored one protects too
        for record in records:
            if record["kind"] == "reflection" and record["on"] is not None:
                assert about_therapy(restored, record["id"]) == about_therapy(restored, record["on"]) == (
                    _on_therapy(records, record["on"]))
    finally:
        restored.close()

    before = file_digest(folder / "b.db")
    again = invoke(folder / "b.db", "import", "json", "-", input=first.stdout)
    assert f"0 added, {len(records)} already present" in again.stderr
    assert file_digest(folder / "b.db") == before

    # Into a journal that already holds an entry: renumbered, yet each record arrives once.
    invoke(folder / "c.db", "log", "cpd", "1h", "--at", "2020-01-06 10:00")
    invoke(folder / "c.db", "import", "json", "-", input=first.stdout)
    assert f"0 added, {len(records)} already present" in invoke(
        folder / "c.db", "import", "json", "-", input=first.stdout).stderr
    moved = json.loads(invoke(folder / "c.db", "export").stdout)
    assert len(moved) == len(records) + 1
    assert sum(r["minutes"] or 0 for r in moved) == sum(r["minutes"] or 0 for r in records) + 60


def _on_therapy(records: list[dict], entry_id: int) -> bool:
    """Whether the exported entry ``entry_id`` is a therapy session or a reflection on one."""
    by_id = {record["id"]: record for record in records}
    record = by_id[entry_id]
    while record["kind"] == "reflection" and record["on"] is not None:
        record = by_id[record["on"]]
    return record["kind"] == "therapy"


# --- links between records (issue 10, item 17) -------------------------------------------------

SESSION = {"id": 1, "kind": "supervision", "start": "2026-03-02T10:00:00+00:00", "tz": "Europe/London",
           "minutes": 60, "created_at": "2026-03-02T11:00:00.000000Z"}
THERAPY = {**SESSION, "kind": "therapy"}


def linked(on: int, shared: bool) -> dict:
    return {"id": 2, "kind": "reflection", "start": "2026-03-02T12:00:00+00:00", "tz": "Europe/London",
            "body": "CANARY words about the hour", "on": on, "shared": shared,
            "created_at": "2026-03-02T12:00:00.000000Z"}


def test_a_shared_reflection_on_an_entry_outside_the_file_is_refused(run, db_path, tmp_path):
    run("log", "therapy", "50m", "--at", "2026-03-01 10:00")  # entry 1 here: not the file's entry 7
    before = file_digest(db_path)
    result = run("import", "json", "-", input=json.dumps([{**linked(7, True), "id": 9}]))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: -: record 1: a shared reflection on entry 7, which is not in the file")
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert file_digest(db_path) == before


def test_a_private_reflection_never_loses_its_link_silently(run, db_path):
    result = run("import", "json", "-", input=json.dumps([SESSION, {**linked(7, False), "id": 3}]))
    assert result.exit_code == 1
    assert "record 2: a reflection on entry 7, which is not in the file" in result.stderr


def test_a_shared_reflection_on_personal_therapy_in_the_file_is_refused(run, db_path):
    before = file_digest(db_path)
    chain = [THERAPY, linked(1, False), {**linked(2, True), "id": 3, "created_at": "2026-03-02T13:00:00Z"}]
    result = run("import", "json", "-", input=json.dumps(chain))
    assert result.exit_code == 1
    assert "record 3: a shared reflection on a personal-therapy session" in result.stderr
    assert file_digest(db_path) == before


def test_a_reflection_on_a_record_already_in_the_journal_links_to_it(run, tmp_path):
    exported = json.dumps([SESSION, linked(1, True)])
    run("import", "json", "-", input=json.dumps([SESSION]))
    result = run("import", "json", "-", input=exported)
    assert "1 added, 1 already present" in result.stderr
    records = run("export").json()
    assert records[1]["on"] == records[0]["id"] and records[1]["shared"] is True


# --- an export always comes back: links to deleted entries and entries outside the filters ------

def test_a_reflection_on_a_deleted_session_comes_back_with_it_and_stays_private(run, tmp_path):
    """The therapy session is soft-deleted, its reflection is not: the export carries the session
    with its ``deleted_at`` (still in the trash, not counted), so the file imports back, re-exports
    byte for byte, and the reflection can still never be shared."""
    run("log", "therapy", "50m", "--at", "2026-03-02 10:00")
    run("log", "supervision", "1h", "--at", "2026-03-03 10:00")
    run("reflect", "--on", "1", "-m", "what my therapist said", "--emotion", "sadness")
    run("reflect", "--on", "2", "--share", "-m", "what my supervisor said")
    run("rm", "1")
    run("rm", "2")
    exported = run("export")
    records = exported.json()
    assert [(r["id"], r["deleted_at"] is not None) for r in records] == [(1, True), (2, True), (3, False), (4, False)]
    new = tmp_path / "new.db"
    result = invoke(new, "import", "json", "-", input=exported.stdout)
    assert "4 added, 0 already present, 0 skipped." in result.stderr
    assert invoke(new, "export").stdout == exported.stdout
    assert invoke(new, "report", "--json").stdout.strip() == "[]"  # deleted sessions count nowhere
    refused = invoke(new, "edit", "3", "--share")
    assert refused.exit_code != 0 and "therapy" in refused.stderr
    assert invoke(new, "restore", "1").exit_code == 0  # the trash came along


def test_an_export_filtered_to_reflections_carries_the_entries_they_are_on(run, tmp_path):
    run("log", "therapy", "50m", "--at", "2026-03-02 10:00")
    run("reflect", "--on", "1", "-m", "after therapy", "--at", "2026-03-02 12:00")
    exported = run("export", "--kind", "reflection", "--since", "2026-03-02")
    assert [r["kind"] for r in exported.json()] == ["therapy", "reflection"]
    new = tmp_path / "new.db"
    assert "2 added" in invoke(new, "import", "json", "-", input=exported.stdout).stderr
    assert invoke(new, "export", "--kind", "reflection", "--since", "2026-03-02").stdout == exported.stdout
    assert invoke(new, "edit", "2", "--share").exit_code != 0


def test_cards_exercises_and_emotions_come_back_from_json_and_csv(run, tmp_path):
    run("log", "practice", "50m", "--client", "C014", "--card", "empty-chair", "--at", "2026-03-02 10:00")
    run("reflect", "--card", "last-boxes", "--exercise", "story", "--emotion", "joy", "--emotion", "trust",
        "-m", "a story", "--at", "2026-03-02 12:00")
    for fmt in ("json", "csv"):
        exported = run("export", "--format", fmt).stdout
        new = tmp_path / f"{fmt}.db"
        assert "2 added" in invoke(new, "import", fmt, "-", input=exported).stderr
        assert invoke(new, "export", "--format", fmt).stdout == exported
        session, reflection = json.loads(invoke(new, "export").stdout)
        assert session["card"] == "empty-chair"
        assert (reflection["card"], reflection["exercise"], sorted(reflection["emotions"])) == (
            "last-boxes", "story", ["joy", "trust"])


@pytest.mark.parametrize("record, problem", [
    ({"kind": "supervision", "card": "empty-chair"}, "--card is for practice sessions"),
    ({"kind": "reflection", "body": "x", "exercise": "story"}, "an exercise without a reflection's card"),
    ({"kind": "reflection", "body": "x", "card": "c", "exercise": "dance"}, "unknown exercise 'dance'"),
    ({"kind": "reflection", "body": "x", "emotions": ["joyful-ish"]}, "'joyful-ish' is not an emotion"),
    ({"kind": "cpd", "emotions": ["joy"]}, "emotions are named in reflections, not sessions"),
    ({"kind": "reflection", "body": "x", "emotions": "joy"}, "'emotions' should be a list of words"),
])
def test_a_bad_card_exercise_or_emotion_in_a_file_is_named(run, db_path, record, problem):
    before = file_digest(db_path)
    result = run("import", "json", "-", input=json.dumps(
        [{"start": "2026-03-02T10:00:00+00:00", "tz": "Europe/London", "minutes": 60, **record}]))
    assert result.exit_code == 1 and "record 1: " + problem in result.stderr, result.stderr
    assert file_digest(db_path) == before
