"""`journal reflect` and `journal templates`: -m, standard input, a real editor process, refusals."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import pytest

from conftest import file_digest
from fake_editor import fake_editor
from journal.templates import TEMPLATES

GIBBS = ["Description", "Feelings", "Evaluation", "Analysis", "Conclusion", "Action plan"]


@pytest.fixture
def therapy_id(run):
    return run("log", "therapy", "50m", "--at", "2026-03-03 18:00", "--with", "Dr Martin", "--json").json()["id"]


def count_reflections(journal) -> int:
    return journal.query("SELECT count(*) AS n FROM entries WHERE kind = 'reflection'")[0]["n"]


def test_message_reflection_is_private_with_its_fields(run, therapy_id):
    result = run("reflect", "-m", "Noticed I rushed the ending.", "--template", "rolfe", "--on", str(therapy_id),
                 "--title", "Endings", "--tag", "endings", "--tag", "Rupture", "--at", "2026-03-03 20:15", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json() == {
        "id": therapy_id + 1, "kind": "reflection", "start": "2026-03-03T20:15:00+00:00", "date": "2026-03-03",
        "title": "Endings", "body": "Noticed I rushed the ending.", "template": "rolfe", "on": therapy_id,
        "tags": ["endings", "Rupture"], "shared": False, "card": None, "exercise": None, "emotions": [],
    }
    assert result.stderr == f"Saved reflection #{therapy_id + 1} on #{therapy_id} (private).\n"


def test_standard_input_is_the_body_and_share_shares(run):
    result = run("reflect", "--share", "--template", "Schön", "--at", "2026-03-04 09:00", "--json",
                 input="A client's silence.\nI waited.\n\n")
    record = result.json()
    assert (record["body"], record["template"], record["shared"]) == ("A client's silence.\nI waited.", "schon", True)
    assert "(shared with your supervisors)" in result.stderr


def test_editor_gets_the_template_in_a_private_folder_that_is_removed(run, journal, runtime, tmp_path, monkeypatch):
    editor = fake_editor(tmp_path / "ed", answers={"Feelings": "I felt anxious.", "Action plan": "Bring it to supervision."})
    monkeypatch.setenv("EDITOR", editor.command)
    result = run("reflect", "--template", "gibbs", "--edit", "--at", "2026-03-04 09:00", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["body"] == "## Feelings\nI felt anxious.\n\n## Action plan\nBring it to supervision."
    seen = editor.seen()
    assert [line[3:] for line in seen["text"].splitlines() if line.startswith("## ")] == GIBBS
    assert "<!-- What happened? Who was there" in seen["text"]
    assert (seen["folder_mode"], seen["file_mode"]) == (0o700, 0o600)
    assert os.path.dirname(seen["path"]).startswith(str(runtime))
    assert not os.path.exists(os.path.dirname(seen["path"]))
    assert list(runtime.iterdir()) == []


@pytest.mark.parametrize("template", TEMPLATES[1:], ids=lambda t: t.name)
def test_every_template_opens_with_its_headings(run, runtime, tmp_path, monkeypatch, template):
    first = template.sections[0].heading
    editor = fake_editor(tmp_path / "ed", answers={first: "An answer."})
    monkeypatch.setenv("EDITOR", editor.command)
    record = run("reflect", "--template", template.name, "--edit", "--json").json()
    headings = [line[3:] for line in editor.seen()["text"].splitlines() if line.startswith("## ")]
    assert headings == [s.heading for s in template.sections]
    assert record["body"] == f"## {first}\nAn answer."
    assert record["template"] == template.name


def test_visual_wins_over_editor(run, runtime, tmp_path, monkeypatch):
    visual = fake_editor(tmp_path / "ed", "visual", replace="From VISUAL.")
    editor = fake_editor(tmp_path / "ed", "editor", replace="From EDITOR.")
    monkeypatch.setenv("VISUAL", visual.command)
    monkeypatch.setenv("EDITOR", editor.command)
    assert run("reflect", "--edit", "--json").json()["body"] == "From VISUAL."
    assert editor.seen() is None


@pytest.mark.parametrize(
    "editor_args, exit_code, message",
    [
        ({}, 0, "Nothing written: the template was left unchanged."),
        ({"replace": "   \n\n"}, 0, "Nothing written: the reflection was left empty."),
        ({"answers": {"What?": "   "}}, 0, "Nothing written: the reflection was left empty."),
        ({"replace": "Half a thought", "exit_code": 1}, 1, "exited with status 1, so nothing was saved"),
    ],
    ids=["unchanged", "emptied", "blank-answer", "editor-fails"],
)
def test_abandoned_editing_writes_nothing_and_leaves_no_file(run, db_path, runtime, tmp_path, monkeypatch,
                                                              therapy_id, editor_args, exit_code, message):
    editor = fake_editor(tmp_path / "ed", **editor_args)
    monkeypatch.setenv("EDITOR", editor.command)
    before = file_digest(db_path)
    result = run("reflect", "--template", "rolfe", "--edit")
    assert result.exit_code == exit_code
    assert message in result.stderr
    assert file_digest(db_path) == before
    assert editor.seen() is not None and list(runtime.iterdir()) == []


def test_editor_that_is_not_installed_leaves_no_folder(run, db_path, runtime, therapy_id, monkeypatch):
    monkeypatch.setenv("EDITOR", "no-such-editor-here --wait")
    before = file_digest(db_path)
    result = run("reflect", "--edit")
    assert result.exit_code == 1
    assert result.stderr == ("Error: the editor 'no-such-editor-here' is not installed; set $EDITOR "
                             "(e.g. export EDITOR=nano), or pass the text with -m\n")
    assert list(runtime.iterdir()) == [] and file_digest(db_path) == before


def test_no_editor_at_all_says_how_to_set_one(run, runtime, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    result = run("reflect", "--edit")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no text editor found; set $EDITOR")


def _journal_process(db_path, *args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "journal", "--db", str(db_path), *args],
                          capture_output=True, text=True, timeout=60, **kwargs)


def test_stopping_the_journal_while_editing_removes_the_file(run, journal, db_path, runtime, tmp_path, monkeypatch,
                                                             therapy_id):
    editor = fake_editor(tmp_path / "ed", answers={"What?": "Private words"}, kill_parent=True)
    monkeypatch.setenv("EDITOR", editor.command)
    before = file_digest(db_path)
    result = _journal_process(db_path, "reflect", "--template", "rolfe", "--edit", stdin=subprocess.DEVNULL)
    assert result.returncode == 1
    assert result.stderr == ("Error: stopped by signal SIGTERM while the editor was open; nothing was written; "
                             "run the command again\n")
    assert editor.seen()["folder_mode"] == 0o700
    assert list(runtime.iterdir()) == []
    assert file_digest(db_path) == before


def test_on_a_terminal_the_editor_opens_without_asking(run, runtime, tmp_path, monkeypatch, db_path):
    editor = fake_editor(tmp_path / "ed", answers={"Concrete experience": "A first session."})
    monkeypatch.setenv("EDITOR", editor.command)
    main, terminal = pty.openpty()
    try:
        result = _journal_process(db_path, "reflect", "--template", "kolb", "--json", stdin=terminal)
    finally:
        os.close(terminal)
        os.close(main)
    assert result.returncode == 0, result.stderr
    assert '"body": "## Concrete experience\\nA first session."' in result.stdout
    assert list(runtime.iterdir()) == []


@pytest.mark.parametrize(
    "args, exit_code, message",
    [
        (["--template", "bogus", "-m", "x"],
         2, "Error: unknown template 'bogus'; use one of free, gibbs, kolb, rolfe, johns, schon, cpd, prompt-card"),
        (["--on", "{therapy}", "--share", "-m", "x"], 2, "personal-therapy session, whose content is never shared"),
        (["--at", "tomorrow 9am", "-m", "x"], 2, "is in the future, and a reflection looks back"),
        (["--at", "12", "-m", "x"], 2, "'12' is not a date"),
        (["-m", "   "], 2, "the reflection is empty"),
        (["--on", "999", "-m", "x"], 1, "no entry with id 999; `journal list` shows the ids"),
        (["--on", "{deleted}", "-m", "x"], 1, "was deleted; `journal restore"),
        (["-m", "x", "--edit"], 2, "-m and --edit both give the text"),
    ],
)
def test_bad_input_is_one_line_writes_nothing_and_never_opens_the_editor(
        run, db_path, tmp_path, monkeypatch, therapy_id, args, exit_code, message):
    deleted = run("log", "cpd", "1h", "--at", "2026-03-01 10:00", "--json").json()["id"]
    run("rm", str(deleted))
    editor = fake_editor(tmp_path / "ed", replace="Should never be asked for")
    monkeypatch.setenv("EDITOR", editor.command)
    before = file_digest(db_path)
    result = run("reflect", *[a.format(therapy=therapy_id, deleted=deleted) for a in args])
    assert result.exit_code == exit_code
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert file_digest(db_path) == before
    assert editor.seen() is None


def test_share_on_therapy_is_refused_before_the_editor_opens(run, db_path, tmp_path, monkeypatch, therapy_id):
    editor = fake_editor(tmp_path / "ed", replace="My therapy")
    monkeypatch.setenv("EDITOR", editor.command)
    result = run("reflect", "--on", str(therapy_id), "--share", "--edit")
    assert result.exit_code == 2
    assert editor.seen() is None


def test_templates_lists_every_model(run):
    names = [t["name"] for t in run("templates", "--json").json()]
    assert names == ["free", "gibbs", "kolb", "rolfe", "johns", "schon", "cpd", "prompt-card"]
    table = run("templates").stdout.splitlines()
    assert table[0].split() == ["name", "title", "description"]
    assert table[3].startswith("gibbs        Gibbs' reflective cycle")


def test_templates_name_prints_one(run):
    gibbs = run("templates", "GIBBS", "--json").json()
    assert gibbs["headings"] == GIBBS
    assert gibbs["sections"][1] == {"heading": "Feelings",
                                    "question": "What were you thinking and feeling at the time, and afterwards?"}
    card = run("templates", "prompt-card").stdout
    assert card.startswith("# Prompt card: stepping into a picture\n")
    assert "## Stepping in\nImagine yourself into it" in card
    assert "## Their emotions\nName what they might feel" in card
    assert run("templates", "rolfe", "--csv").stdout.splitlines()[:2] == [
        "heading,question", "What?,\"What happened? What was my part, and what did others do?\""]


def test_unknown_template_name_lists_the_templates(run):
    result = run("templates", "driscoll")
    assert result.exit_code == 2
    assert result.stderr == ("Error: unknown template 'driscoll'; use one of free, gibbs, kolb, rolfe, johns, "
                             "schon, cpd, prompt-card\n")


@pytest.mark.parametrize("command", ["reflect", "templates", "edit", "rm", "restore"])
def test_help_has_an_example(run, command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert f"journal {command} " in result.stdout or f"journal {command}\n" in result.stdout


def test_template_names_complete_in_the_shell():
    from journal.commands.reflecting import complete_templates

    assert [item.value for item in complete_templates(None, None, "pr")] == ["prompt-card"]
    assert [item.value for item in complete_templates(None, None, "")][:3] == ["free", "gibbs", "kolb"]
