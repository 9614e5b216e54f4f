"""`journal edit`, `rm` and `restore`: every field, the same checks as `log`, privacy, nothing half-written."""

from __future__ import annotations

import pytest

from conftest import file_digest
from fake_editor import fake_editor
from journal.changing import Changes, delete_entry, edit_entry, restore_entry
from journal.errors import InputError, JournalError


@pytest.fixture
def seeded(run):
    """#1 therapy, #2 group supervision, #3 practice, #4 private reflection on #1,
    #5 shared reflection on #3, #6 a deleted CPD session."""
    run("log", "therapy", "50m", "--at", "2026-03-03 18:00", "--with", "Dr Martin", "--tag", "weekly")
    run("log", "supervision", "1h30m", "--at", "2026-03-04 10:00", "--with", "Alice", "--format", "group",
        "--group-size", "4")
    run("log", "practice", "50m", "--at", "2026-03-05 12:00", "--client", "C014", "--setting", "Riverside clinic",
        "--mode", "video", "--paid")
    run("reflect", "--on", "1", "--template", "gibbs", "--at", "2026-03-03 20:00", "-m", "Felt small in the room.")
    run("reflect", "--on", "3", "--share", "--at", "2026-03-05 13:00", "-m", "C014 cancelled twice.")
    run("log", "cpd", "3h", "--at", "2026-03-01 10:00")
    assert run("rm", "6").exit_code == 0


def test_edit_every_practice_field(run, seeded):
    result = run("edit", "3", "--duration", "1h", "--at", "2026-03-05 13:00", "--mode", "in-person",
                 "--client", "c015", "--setting", "Hill  clinic", "--pro-bono", "--title", "Intake",
                 "--tag", "intake", "--tag", "First session", "--note", "Private note", "--private", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json() == {
        "id": 3, "kind": "practice", "start": "2026-03-05T13:00:00+00:00", "date": "2026-03-05",
        "end": "2026-03-05T14:00:00+00:00", "minutes": 60, "hours": 1.0, "with": None, "mode": "in-person",
        "format": "individual", "group_size": None, "client": "C015", "setting": "Hill clinic", "paid": False,
        "title": "Intake", "note": "Private note", "tags": ["First session", "intake"], "shared": False,
    }
    assert result.stderr.startswith("Updated practice #3: start, end, minutes, hours, mode, client, setting, paid")


def test_edit_at_restores_utc_zone_and_local_date(run, seeded, journal):
    record = run("edit", "1", "--at", "2026-03-29 09:00", "--json").json()
    assert record["start"] == "2026-03-29T09:00:00+01:00"
    row = journal.query("SELECT start_utc, tz, date FROM entries WHERE id = 1")[0]
    assert row == {"start_utc": "2026-03-29T08:00:00Z", "tz": "Europe/London", "date": "2026-03-29"}


def test_edit_counterpart_uses_the_same_people(run, seeded, journal):
    assert run("edit", "2", "--with", "alice ", "--json").json()["with"] == "Alice"
    assert run("edit", "1", "--with", "Dr Ruth Okafor", "--json").json()["with"] == "Dr Ruth Okafor"
    assert run("edit", "2", "--with", "Alcie", "--new-person", "--json").json()["with"] == "Alcie"
    assert run("edit", "2", "--with", "", "--json").json()["with"] is None
    names = [r["name"] for r in journal.query("SELECT name FROM people ORDER BY id")]
    assert names == ["Dr Martin", "Alice", "Dr Ruth Okafor", "Alcie"]


def test_leaving_a_group_format_drops_the_group_size(run, seeded):
    individual = run("edit", "2", "--format", "individual", "--json").json()
    assert (individual["format"], individual["group_size"]) == ("individual", None)
    group = run("edit", "2", "--format", "group", "--group-size", "6", "--json").json()
    assert (group["format"], group["group_size"]) == ("group", 6)
    assert run("edit", "2", "--duration", "2h", "--json").json()["group_size"] == 6


def test_edit_reflection_fields_and_tags(run, seeded):
    record = run("edit", "4", "--title", "Small", "-m", "Felt small, then steadier.", "--template", "kolb",
                 "--tag", "shame", "--json").json()
    assert record == {
        "id": 4, "kind": "reflection", "start": "2026-03-03T20:00:00+00:00", "date": "2026-03-03",
        "title": "Small", "body": "Felt small, then steadier.", "template": "kolb", "on": 1, "tags": ["shame"],
        "shared": False, "card": None, "exercise": None, "emotions": [],
    }
    assert run("edit", "4", "--no-tags", "--title", "", "--template", "", "--json").json() | {"body": ""} == {
        **record, "title": None, "template": None, "tags": [], "body": ""}
    assert run("edit", "5", "--private", "--json").json()["shared"] is False


def test_edit_keeps_search_in_step_and_stamps_updated_at(run, seeded, journal):
    created, updated = journal.query("SELECT created_at, updated_at FROM entries WHERE id = 4")[0].values()
    run("edit", "4", "-m", "Steadier after the pause.")
    matches = lambda word: [r["rowid"] for r in journal.query(  # noqa: E731
        "SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?", (word,))]
    assert matches("steadier") == [4]
    assert matches("small") == []
    row = journal.query("SELECT created_at, updated_at FROM entries WHERE id = 4")[0]
    assert row["created_at"] == created and row["updated_at"] > updated


def test_a_therapy_reflection_can_never_be_shared_by_an_edit(run, seeded, db_path, journal):
    before = file_digest(db_path)
    refused = run("edit", "4", "--share")
    assert refused.exit_code == 2
    assert refused.stderr == ("Error: entry 1 is a personal-therapy session, whose content is never shared; "
                              "drop --share; only its hours reach your supervisors\n")
    moved = run("edit", "5", "--on", "1")  # a shared reflection moved onto a therapy session
    assert moved.exit_code == 2 and "never shared" in moved.stderr
    assert file_digest(db_path) == before
    assert run("edit", "5", "--on", "1", "--private", "--json").json()["on"] == 1
    with pytest.raises(InputError, match="never shared"):
        edit_entry(journal, 4, Changes(shared=True))


LONG = "x" * 501


@pytest.mark.parametrize(
    "args, exit_code, message",
    [
        (["edit", "1", "--client", "C014"], 2, "--client is for practice sessions"),
        (["edit", "3", "--tag", "brand-new", "--client", "Anna"], 2, "client code 'Anna' looks like a name"),
        (["edit", "3", "--client", "C 14"], 2, "contains spaces"),
        (["edit", "1", "--paid"], 2, "--paid/--pro-bono is for practice sessions"),
        (["edit", "1", "--group-size", "3"], 2, "--group-size needs a group format"),
        (["edit", "2", "--group-size", "1"], 2, "group size 1 is not a group"),
        (["edit", "1", "--title", LONG], 2, "title is longer than 500 characters"),
        (["edit", "1", "--duration", "0"], 2, "is zero"),
        (["edit", "1", "--duration", "25h"], 2, "over 24 hours"),
        (["edit", "1", "--duration", "soon"], 2, "cannot read the duration"),
        (["edit", "1", "--at", "tomorrow 9am"], 2, "in the future; check the date, or add --allow-future"),
        (["edit", "4", "--at", "tomorrow 9am", "--allow-future"], 2, "a reflection looks back"),
        (["edit", "1", "--at", "12"], 2, "'12' is not a date"),
        (["edit", "1", "--tag", "brand-new", "--body", "x"], 2, "--body does not apply: entry 1 is a therapy session"),
        (["edit", "4", "--duration", "1h"], 2, "--duration does not apply: entry 4 is a reflection"),
        (["edit", "4", "--note", "x"], 2, "--note does not apply"),
        (["edit", "4", "--template", "driscoll"], 2, "unknown template 'driscoll'; use one of free, gibbs"),
        (["edit", "4", "-m", "  "], 2, "a reflection cannot be empty; to delete it, use `journal rm 4`"),
        (["edit", "4", "--on", "4"], 2, "a reflection cannot be on itself"),
        (["edit", "2", "--tag", "brand-new", "--with", "Alcie"], 2, "'Alcie' is one letter away from 'Alice'"),
        (["edit", "1", "--tag", "x", "--no-tags"], 2, "--tag and --no-tags contradict each other"),
        (["edit", "4", "--on", "999"], 1, "no entry with id 999"),
        (["edit", "4", "--on", "6"], 1, "entry 6 was deleted"),
        (["edit", "999", "--title", "x"], 1, "no entry with id 999; `journal list` shows the ids"),
        (["edit", "6", "--title", "x"], 1, "entry 6 was deleted; `journal restore 6` brings it back"),
        (["rm", "999"], 1, "no entry with id 999"),
        (["rm", "6"], 1, "entry 6 was deleted; `journal restore 6` brings it back"),
        (["restore", "1"], 1, "entry 1 is not deleted; nothing to restore; `journal show 1` shows it"),
        (["restore", "999"], 1, "no entry with id 999"),
    ],
)
def test_bad_edits_are_one_line_and_write_nothing(run, seeded, db_path, args, exit_code, message):
    before = file_digest(db_path)
    result = run(*args)
    assert result.exit_code == exit_code
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert file_digest(db_path) == before


def test_allow_future_lets_an_edit_plan_a_session(run, seeded):
    assert run("edit", "2", "--at", "tomorrow 10am", "--allow-future").exit_code == 0


def test_rm_hides_and_restore_brings_back(run, seeded, journal):
    removed = run("rm", "3", "--json")
    assert removed.exit_code == 0
    assert removed.json()["deleted"] is True
    assert removed.stderr == "Deleted practice #3 of 2026-03-05; undo with `journal restore 3`.\n"
    assert [r["id"] for r in run("list", "--json").json()] == [5, 2, 4, 1]
    shown = run("show", "3")
    assert (shown.exit_code, shown.stderr) == (1, "Error: entry 3 was deleted; `journal restore 3` brings it back\n")
    restored = run("restore", "3", "--json")
    assert "deleted" not in restored.json() and restored.json()["client"] == "C014"
    assert restored.stderr == "Restored practice #3 of 2026-03-05.\n"
    assert [r["id"] for r in run("list", "--json").json()] == [5, 3, 2, 4, 1]
    assert journal.query("SELECT deleted_at FROM entries WHERE id = 3")[0]["deleted_at"] is None


def test_library_delete_and_restore(seeded, journal):
    assert delete_entry(journal, 5)["deleted"] is True
    with pytest.raises(JournalError, match="entry 5 was deleted"):
        edit_entry(journal, 5, Changes(title="x"))
    assert restore_entry(journal, 5)["body"] == "C014 cancelled twice."
    with pytest.raises(InputError, match="nothing to change"):
        edit_entry(journal, 5, Changes())


def test_edit_without_fields_opens_the_reflection_in_the_editor(run, seeded, runtime, tmp_path, monkeypatch):
    editor = fake_editor(tmp_path / "ed", replace="Felt small in the room.\n\nLater: less so.\n")
    monkeypatch.setenv("EDITOR", editor.command)
    result = run("edit", "4", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["body"] == "Felt small in the room.\n\nLater: less so."
    seen = editor.seen()
    assert seen["text"] == "Felt small in the room.\n"
    assert (seen["folder_mode"], seen["file_mode"]) == (0o700, 0o600)
    assert list(runtime.iterdir()) == []


def test_edit_without_fields_opens_a_session_note(run, seeded, runtime, tmp_path, monkeypatch):
    editor = fake_editor(tmp_path / "ed", replace="Mostly about my father.")
    monkeypatch.setenv("EDITOR", editor.command)
    assert run("edit", "1", "--json").json()["note"] == "Mostly about my father."
    assert editor.seen()["text"] == ""


@pytest.mark.parametrize(
    "entry, editor_args, message",
    [
        ("4", {}, "Nothing changed.\n"),
        ("4", {"replace": "\n  \n"},
         "Nothing changed: the reflection was left empty; to delete it, use `journal rm 4`.\n"),
        ("1", {}, "Nothing changed.\n"),
    ],
)
def test_unchanged_or_emptied_text_writes_nothing(run, seeded, db_path, runtime, tmp_path, monkeypatch, entry,
                                                  editor_args, message):
    monkeypatch.setenv("EDITOR", fake_editor(tmp_path / "ed", **editor_args).command)
    before = file_digest(db_path)
    result = run("edit", entry)
    assert (result.exit_code, result.stderr) == (0, message)
    assert file_digest(db_path) == before
    assert list(runtime.iterdir()) == []


def test_editor_failure_on_edit_writes_nothing(run, seeded, db_path, runtime, tmp_path, monkeypatch):
    monkeypatch.setenv("EDITOR", fake_editor(tmp_path / "ed", replace="half", exit_code=3).command)
    before = file_digest(db_path)
    result = run("edit", "4")
    assert result.exit_code == 1 and "exited with status 3" in result.stderr
    assert file_digest(db_path) == before and list(runtime.iterdir()) == []


def test_reflections_on_reflections_on_therapy_stay_private(run, seeded, db_path):
    on_reflection = run("reflect", "--on", "4", "--share", "-m", "Following up.")
    assert on_reflection.exit_code == 2
    assert "entry 4 reflects on a personal-therapy session, whose content is never shared" in on_reflection.stderr
    follow_up = run("reflect", "--on", "5", "--share", "-m", "C014 came back.", "--json").json()["id"]
    before = file_digest(db_path)
    assert "reflects on a personal-therapy session" in run("edit", str(follow_up), "--on", "4").stderr
    moved = run("edit", "5", "--on", "1", "--private")
    assert moved.exit_code == 2
    assert moved.stderr == (f"Error: reflection {follow_up} is shared and builds on entry 5; under a personal-therapy "
                            f"session it would share therapy content; make it private first: journal edit "
                            f"{follow_up} --private\n")
    assert file_digest(db_path) == before
    assert run("edit", str(follow_up), "--private").exit_code == 0
    assert run("edit", "5", "--on", "1", "--private", "--json").json()["on"] == 1
    assert run("edit", str(follow_up), "--share").exit_code == 2
