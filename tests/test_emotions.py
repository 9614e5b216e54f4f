"""The emotion vocabulary: words in both languages, --emotion with completion and did-you-mean,
`report --by emotion`, and the supervisor site's chart of shared reflections only."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from click.testing import CliRunner

from journal.cli import cli
from journal.emotions import INTENSITIES, fold, vocabulary
from journal.supervisor.publish import publish
from journal.supervisor.serve import make_datasette

CANARY_EMOTION = "contempt"  # named only in a private reflection


def test_the_vocabulary_has_eight_families_with_milder_and_stronger_forms_in_both_languages():
    vocab = vocabulary()
    assert list(vocab.families) == ["joy", "trust", "fear", "surprise", "sadness", "disgust", "anger", "anticipation"]
    for family, names in vocab.families.items():
        assert names["en"] and names["fr"]
        for intensity in INTENSITIES:
            assert any(w.family == family and w.intensity == intensity for w in vocab.words.values()), \
                (family, intensity)
    blends = [w for w in vocab.words.values() if w.family == "blend"]
    assert len(blends) >= 8 and all(len(w.of) == 2 and set(w.of) <= set(vocab.families) for w in blends)
    for word in vocab.words.values():
        assert word.names["en"] and word.names["fr"]
        assert vocab.find(word.names["fr"]).id == word.id and vocab.find(word.names["en"].upper()).id == word.id


@pytest.mark.parametrize("typed, found", [
    ("sad", "sadness"), ("Colère", "anger"), ("colere", "anger"), ("honteuse", "shame"), ("at ease", "ease"),
    ("désespoir", "despair"), ("Heartbreak", "grief"), ("at-ease", "ease"),
])
def test_words_are_found_in_either_language_and_form(typed, found):
    assert vocabulary().find(typed).id == found


def test_emotions_are_stored_with_the_reflection(run):
    record = run("reflect", "-m", "After the session.", "--emotion", "Ashamed", "--emotion", "soulagé",
                 "--emotion", "shame", "--json").json()
    assert sorted(record["emotions"]) == ["relief", "shame"]
    assert run("show", str(record["id"]), "--json").json()["emotions"] == record["emotions"]


def test_an_unknown_emotion_gets_did_you_mean_and_writes_nothing(run, journal):
    result = run("reflect", "-m", "text", "--emotion", "furios")
    assert result.exit_code == 2
    assert result.stderr.strip() == ("Error: 'furios' is not in the emotion vocabulary; "
                                     "did you mean furious (fury) or curious (interest)?")
    far = run("reflect", "-m", "text", "--emotion", "xyzzy")
    assert far.exit_code == 2 and "`journal emotions` lists the words" in far.stderr
    assert journal.query("SELECT count(*) AS n FROM entries")[0]["n"] == 0


def test_emotion_completion_offers_words_in_both_languages(db_path):
    env = {"_JOURNAL_COMPLETE": "bash_complete", "COMP_WORDS": "journal reflect --emotion ang", "COMP_CWORD": "3"}
    result = CliRunner().invoke(cli, [], env=env, prog_name="journal")
    assert result.output.splitlines() == ["plain,anger", "plain,anguish"]
    french = CliRunner().invoke(cli, [], env={**env, "COMP_WORDS": "journal reflect --emotion Cole"},
                                prog_name="journal")
    assert french.output.splitlines() == ["plain,colère"]


def test_the_emotions_command_lists_a_family(run):
    rows = run("emotions", "--family", "fear", "--json").json()
    assert {row["id"] for row in rows if row["family"] == "fear"} >= {"unease", "fear", "terror"}
    assert {"shame", "awe"} <= {row["id"] for row in rows}  # blends with fear
    french = run("emotions", "--family", "sadness", "--lang", "fr").stdout
    assert "tristesse" in french and "deuil" in french
    bad = run("emotions", "--family", "sorrow")
    assert bad.exit_code == 2 and "no family 'sorrow'" in bad.stderr


@pytest.fixture
def felt(run):
    def reflect(day: str, *words: str, share: bool = True) -> int:
        args = [arg for word in words for arg in ("--emotion", word)]
        result = run("reflect", "-m", f"On {day}.", "--at", f"{day} 20:00", *args, *(["--share"] if share else []),
                     "--json")
        assert result.exit_code == 0, result.stderr
        return result.json()["id"]

    reflect("2026-01-10", "shame", "anxiety")
    reflect("2026-01-20", "shame")
    reflect("2026-02-03", "shame", "relief")
    reflect("2026-02-04", CANARY_EMOTION, "anxiety", share=False)
    deleted = reflect("2026-02-05", "fury")
    run("rm", str(deleted))
    return run


def test_report_by_emotion_counts_reflections_by_month(felt):
    rows = felt("report", "--by", "emotion", "--json").json()
    assert [(r["period"], r["emotion"], r["count"]) for r in rows] == [
        ("2026-01", "shame", 2), ("2026-01", "anxiety", 1),
        ("2026-02", "anxiety", 1), ("2026-02", CANARY_EMOTION, 1), ("2026-02", "relief", 1), ("2026-02", "shame", 1),
    ]
    assert all(r["kind"] == "reflection" and r["family"] for r in rows)
    table = felt("report", "--by", "emotion", "--since", "2026-02-01").stdout
    assert "2026-01" not in table
    assert [line.split()[:2] for line in table.splitlines() if line.startswith("total")] == [["total", "anxiety"]]
    french = felt("report", "--by", "emotion", "--json", env={"LANG": "fr_FR.UTF-8"}).json()
    assert {r["name"] for r in french} >= {"honte", "anxiété"}
    refused = felt("report", "--by", "emotion", "--kind", "cpd")
    assert refused.exit_code == 2 and "drop --kind" in refused.stderr


def test_the_supervisor_site_charts_shared_reflections_emotions_only(felt, journal, tmp_path):
    felt("log", "practice", "50m", "--client", "C014", "--card", "first-key", "--at", "2026-02-06 10:00")
    felt("reflect", "--card", "last-boxes", "--share", "-m", "Shared, from a card.", "--at", "2026-02-07 10:00")
    path = publish(journal, tmp_path / "report.db").path
    assert b"first-key" not in path.read_bytes() and b"last-boxes" not in path.read_bytes()  # card use stays home
    conn = sqlite3.connect(path)
    published = conn.execute("SELECT month, emotion, reflections FROM emotions_by_month ORDER BY 1, 2").fetchall()
    conn.close()
    assert published == [("2026-01", "anxiety", 1), ("2026-01", "shame", 2), ("2026-02", "relief", 1),
                         ("2026-02", "shame", 1)]
    assert CANARY_EMOTION.encode() not in path.read_bytes() and b"fury" not in path.read_bytes()
    site = make_datasette(path, logins=None, secret="test")

    async def pages():
        chart = await site.client.get("/charts/emotions.svg")
        charts = await site.client.get("/charts")
        table = await site.client.get("/report/emotions_by_month.json?_shape=array")
        return chart, charts, table

    chart, charts, table = asyncio.run(pages())
    assert chart.status_code == 200 and chart.headers["content-type"].startswith("image/svg+xml")
    assert "shame" in chart.text and "anxiety" in chart.text and "Jan 2026" in chart.text
    assert CANARY_EMOTION not in chart.text and CANARY_EMOTION not in charts.text
    assert "Emotions named in shared reflections" in charts.text
    assert {row["emotion"] for row in table.json()} == {"anxiety", "shame", "relief"}


def test_fold_ignores_case_accents_and_hyphens():
    assert fold("  Désespoir ") == "desespoir" and fold("heart-break") == "heart break"


def test_edit_replaces_or_removes_a_reflections_emotions(run):
    entry = run("reflect", "-m", "After the session.", "--emotion", "fury", "--json").json()["id"]
    changed = run("edit", str(entry), "--emotion", "irritation", "--emotion", "colère", "--json")
    assert changed.exit_code == 0 and sorted(changed.json()["emotions"]) == ["anger", "irritation"]
    assert "Updated reflection" in changed.stderr and "emotions" in changed.stderr
    assert run("edit", str(entry), "--no-emotions", "--json").json()["emotions"] == []
    typo = run("edit", str(entry), "--emotion", "irritaton")
    assert typo.exit_code == 2 and "did you mean irritation?" in typo.stderr
    session = run("log", "supervision", "1h", "--json").json()["id"]
    refused = run("edit", str(session), "--emotion", "shame")
    assert refused.exit_code == 2 and "--emotion does not apply: entry" in refused.stderr
    both = run("edit", str(entry), "--emotion", "shame", "--no-emotions")
    assert both.exit_code == 2 and "contradict" in both.stderr
    assert run("show", str(entry), "--json").json()["emotions"] == []
