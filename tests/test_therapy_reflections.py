"""Issue 10, item 16: a reflection written on one's own therapy stays private for good. It cannot
be moved off personal therapy (`journal edit --on`), where it could then be shared, nor lose its
link to it through an import of our own export."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def on_therapy(run):
    run("log", "therapy", "50m", "--at", "2026-03-02 18:00", "--with", "Dr Martin")  # 1
    run("log", "supervision", "1h", "--at", "2026-03-03 10:00", "--with", "Alice")  # 2
    run("reflect", "--on", "1", "-m", "What came up in my own therapy", "--at", "2026-03-02 20:00")  # 3
    run("reflect", "--on", "3", "-m", "And more about it", "--at", "2026-03-02 21:00")  # 4
    run("log", "therapy", "50m", "--at", "2026-03-09 18:00", "--with", "Dr Martin")  # 5
    run("reflect", "-m", "A free reflection", "--at", "2026-03-04 20:00")  # 6
    return run


@pytest.mark.parametrize("reflection", [3, 4])
@pytest.mark.parametrize("target", [2, 6])
def test_moving_it_off_therapy_is_refused_saying_why(on_therapy, reflection, target):
    result = on_therapy("edit", str(reflection), "--on", str(target))
    assert result.exit_code == 2
    assert f"reflection {reflection} was written on personal therapy" in result.stderr
    assert "stays private for good" in result.stderr and f"journal reflect --on {target}" in result.stderr
    record = on_therapy("show", str(reflection), "--json").json()
    assert record["on"] == {3: 1, 4: 3}[reflection]
    # So it can never be shared afterwards.
    assert on_therapy("edit", str(reflection), "--share").exit_code == 2


def test_it_may_move_to_another_therapy_session(on_therapy):
    result = on_therapy("edit", "3", "--on", "5")
    assert result.exit_code == 0, result.stderr
    assert on_therapy("show", "3", "--json").json()["on"] == 5


def test_other_reflections_still_move(on_therapy):
    assert on_therapy("edit", "6", "--on", "2").exit_code == 0
    assert on_therapy("edit", "6", "--on", "1").exit_code == 0  # onto therapy: from then on, private for good
    assert on_therapy("edit", "6", "--on", "2").exit_code == 2


def test_an_import_never_detaches_it_from_its_therapy_session(on_therapy, run, tmp_path):
    """The therapy session is not imported (a zero-length row is skipped): its reflection would be
    imported on nothing, then shareable. The file is refused, naming the record."""
    exported = tmp_path / "journal.json"
    assert on_therapy("export", "-o", str(exported)).exit_code == 0
    records = json.loads(exported.read_text())
    next(r for r in records if r["id"] == 1)["minutes"] = 0
    exported.write_text(json.dumps(records))
    fresh = tmp_path / "fresh.db"
    result = run("--db", str(fresh), "import", "json", str(exported))
    assert result.exit_code == 1
    assert "record 2: " in result.stderr and "entry 1" in result.stderr  # records in time order
    assert "nothing was imported" in result.stderr
    assert run("--db", str(fresh), "list", "--json").json() == []
    # The whole export, as written, imports with every link kept.
    assert on_therapy("export", "-o", str(exported), "--force").exit_code == 0
    assert run("--db", str(fresh), "import", "json", str(exported)).exit_code == 0
    assert run("--db", str(fresh), "show", "4", "--json").json()["on"] == 3


@pytest.mark.parametrize("kind", ["supervision", "practice", "cpd"])
def test_a_therapy_session_with_reflections_cannot_change_kind(on_therapy, kind):
    extra = ["--client", "C014"] if kind == "practice" else []
    result = on_therapy("edit", "1", "--kind", kind, *extra)
    assert result.exit_code == 2
    assert "entry 1 is personal therapy with reflection 3 written on it" in result.stderr
    assert on_therapy("show", "1", "--json").json()["kind"] == "therapy"
    # So its reflections stay unshareable.
    assert on_therapy("edit", "3", "--share").exit_code == 2


def test_a_therapy_session_without_reflections_may_change_kind(on_therapy):
    result = on_therapy("edit", "5", "--kind", "supervision")
    assert result.exit_code == 0, result.stderr
    assert on_therapy("show", "5", "--json").json()["kind"] == "supervision"
