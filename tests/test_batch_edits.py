"""Batch and shortcut edits: `rm`/`restore` of several ids and ranges, `last`, `edit --kind`, @tags."""

from __future__ import annotations

import pytest


@pytest.fixture
def five(run):
    """Five practice sessions, ids 1 to 5, the newest written last."""
    for n in range(1, 6):
        run("log", "practice", "50m", "--at", f"{6 - n} days ago 10:00", "--client", f"C00{n}")
    return run


def live_ids(run) -> list[int]:
    return sorted(r["id"] for r in run("list", "-n", "0", "--json").json())


def test_rm_takes_several_ids_and_ranges(five):
    result = five("rm", "1", "3-4")
    assert result.exit_code == 0
    assert result.stderr == "Deleted 3 entries (#1, #3, #4); undo with `journal restore 1 3 4`.\n"
    assert live_ids(five) == [2, 5]
    assert five("restore", "1", "3-4").exit_code == 0
    assert live_ids(five) == [1, 2, 3, 4, 5]


def test_rm_is_all_or_nothing(five):
    five("rm", "3")
    result = five("rm", "2-4")
    assert result.exit_code == 1
    assert "entry 3 was deleted, so nothing was deleted" in result.stderr
    assert live_ids(five) == [1, 2, 4, 5]
    missing = five("rm", "5", "99")
    assert missing.exit_code == 1 and "no entry with id 99" in missing.stderr
    assert live_ids(five) == [1, 2, 4, 5]


def test_rm_json_gives_an_array_for_several(five):
    records = five("rm", "1-2", "--json").json()
    assert [r["id"] for r in records] == [1, 2] and all(r["deleted"] for r in records)
    assert five("rm", "3", "--json").json()["id"] == 3


@pytest.mark.parametrize("typed, message", [
    ("abc", "'abc' is not an entry id; an id is a number such as 12 (`journal list` shows them), or `last`"),
    ("0", "'0' is not an entry id"),
    ("4-2", "'4-2' is not a range of ids; write the smaller id first, e.g. 14-16"),
    ("1-99999999", "spans more than 10,000 ids"),
    ("1-2-3", "'1-2-3' is not an entry id"),
])
def test_bad_ids_say_what_an_id_looks_like(five, typed, message):
    result = five("rm", typed)
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
    assert "valid integer" not in result.stderr


@pytest.mark.parametrize("command", ["show", "edit"])
def test_show_and_edit_explain_a_bad_id(five, command):
    result = five(command, "abc")
    assert result.exit_code == 2
    assert "is not an entry id" in result.stderr and "journal list" in result.stderr
    assert "valid integer" not in result.stderr


def test_last_is_the_entry_written_last(five):
    five("log", "therapy", "50m", "--at", "10 days ago 10:00")  # written last, though dated earliest
    assert five("show", "last", "--json").json()["id"] == 6
    assert five("edit", "last", "--title", "Old session").exit_code == 0
    assert five("show", "6", "--json").json()["title"] == "Old session"
    five("rm", "last")
    assert 6 not in live_ids(five)
    five("rm", "2")
    five("restore", "last")  # the one deleted last
    assert 2 in live_ids(five) and 6 not in live_ids(five)


def test_last_on_an_empty_journal(run):
    run("init")
    result = run("show", "last")
    assert result.exit_code == 1 and "no entries yet" in result.stderr


def test_reflect_on_last(five):
    record = five("reflect", "--on", "last", "-m", "It went well.", "--json").json()
    assert record["on"] == 5


def test_edit_changes_a_sessions_kind(run):
    session = run("log", "therapy", "1h", "--at", "yesterday 10:00", "--with", "Alice", "--json").json()
    result = run("edit", str(session["id"]), "--kind", "supervision", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["kind"] == "supervision"
    assert "kind" in result.stderr
    rows = run("report", "--by", "kind", "--json").json()
    assert [(r["period"], r["count"]) for r in rows] == [("supervision", 1)]  # the totals follow


def test_edit_kind_keeps_client_codes_on_practice_only(run):
    session = run("log", "practice", "50m", "--at", "yesterday 10:00", "--client", "C014", "--paid",
                  "--json").json()
    refused = run("edit", str(session["id"]), "--kind", "cpd")
    assert refused.exit_code == 2 and 'add --client ""' in refused.stderr
    changed = run("edit", str(session["id"]), "--kind", "cpd", "--client", "", "--json").json()
    assert (changed["kind"], changed["client"], changed["paid"]) == ("cpd", None, None)
    assert run("edit", str(session["id"]), "--kind", "reflection").exit_code == 2


def test_edit_kind_is_refused_on_a_reflection(run):
    reflection = run("reflect", "-m", "Thoughts", "--json").json()
    result = run("edit", str(reflection["id"]), "--kind", "therapy")
    assert result.exit_code == 2 and "--kind does not apply" in result.stderr


def test_a_session_with_a_shared_reflection_cannot_become_therapy(run):
    session = run("log", "supervision", "1h", "--at", "yesterday 10:00", "--json").json()
    run("reflect", "--on", str(session["id"]), "--share", "-m", "Shared thoughts")
    result = run("edit", str(session["id"]), "--kind", "therapy")
    assert result.exit_code == 2 and "is shared" in result.stderr
    assert run("show", str(session["id"]), "--json").json()["kind"] == "supervision"


def test_at_words_in_a_note_are_tags(run):
    record = run("log", "therapy", "50m", "--note", "Talked about @endings and @Rupture-repair; "
                 "email me at sam@example.com", "--tag", "weekly", "--json").json()
    assert record["tags"] == ["endings", "Rupture-repair", "weekly"]
    assert [r["id"] for r in run("list", "--tag", "endings", "--json").json()] == [record["id"]]
