"""Prompt cards: the shipped deck in both languages, your own cards checked card by card,
listing, drawing, showing, reflecting on a card and logging its use with a client."""

from __future__ import annotations

from collections import Counter

import pytest
from fake_editor import fake_editor

from journal.cards import load_deck
from journal.emotions import vocabulary
from journal.entry_links import EXERCISES
from journal.language import LANGUAGES


@pytest.fixture
def own_cards(db_path):
    """The `cards` folder beside the journal, where your own cards live."""
    folder = db_path.parent / "cards"
    folder.mkdir(parents=True)
    return folder


def test_the_shipped_deck_is_complete_in_english_and_french():
    deck = load_deck()
    assert deck.problems == []
    assert len(deck.cards) >= 48
    themes = Counter(card.theme for card in deck.cards.values())
    assert set(themes) <= set(deck.themes) and len(themes) >= 7
    assert {"loss", "belonging", "conflict", "change", "care", "shame", "joy"} <= set(themes)
    words = vocabulary().words
    for card in deck.cards.values():
        for lang in LANGUAGES:
            assert card.title.get(lang) and card.scene.get(lang), (card.id, lang)
            assert all(card.prompts[exercise].get(lang) for exercise in EXERCISES), (card.id, lang)
            assert deck.themes[card.theme][lang]
        assert card.scene["en"] != card.scene["fr"] and card.origin == "deck"
        assert card.emotions and all(emotion in words for emotion in card.emotions), card.id
    for spec in deck.exercises.values():
        for lang in LANGUAGES:
            assert spec.title[lang] and spec.about[lang] and spec.card_heading[lang]
            assert all(heading[lang] and question[lang] for heading, question in spec.sections)
    assert len({card.scene["en"] for card in deck.cards.values()}) == len(deck.cards)


def test_cards_lists_by_theme_in_either_language(run):
    every = run("cards", "--json").json()
    assert len(every) >= 48 and {"id", "theme", "title", "scene", *EXERCISES} <= set(every[0])
    loss = run("cards", "--theme", "loss", "--json").json()
    assert loss and {card["theme"] for card in loss} == {"loss"}
    assert run("cards", "--theme", "perte", "--json").json() == loss  # the French name of the theme
    table = run("cards", "--theme", "loss").stdout
    assert "empty-chair" in table and "The empty chair" in table
    unknown = run("cards", "--theme", "sorrowz")
    assert unknown.exit_code == 2 and "no cards with the theme 'sorrowz'" in unknown.stderr
    assert "themes: " in unknown.stderr and "loss" in unknown.stderr


def test_show_a_card_in_french_and_a_typo_gets_did_you_mean(run):
    french = run("cards", "show", "empty-chair", "--lang", "fr")
    assert french.exit_code == 0
    assert "La chaise vide" in french.stdout and "Prise de perspective (perspective)" in french.stdout
    assert "Que faites-vous du gilet ce soir ?" in french.stdout
    record = run("cards", "show", "empty-chair", "--json").json()
    assert record["title"] == "The empty chair" and record["theme"] == "loss"
    typo = run("cards", "show", "empty-chiar")
    assert typo.exit_code == 2 and "no card 'empty-chiar'; did you mean empty-chair?" in typo.stderr


def test_the_language_setting_chooses_the_cards_language(run):
    run("init")
    assert run("config", "language", "fr").exit_code == 0
    assert run("cards", "show", "empty-chair", "--json").json()["title"] == "La chaise vide"
    assert run("cards", "show", "empty-chair", "--lang", "en", "--json").json()["title"] == "The empty chair"


def test_a_draw_is_never_a_card_drawn_recently(run):
    run("init")
    deck_size = len(run("cards", "--json").json())
    drawn = [run("cards", "draw", "--json").json()["id"] for _ in range(deck_size)]
    assert len(set(drawn)) == deck_size  # every card once before any comes back
    assert run("cards", "draw", "--json").json()["id"] == drawn[0]  # then the one drawn longest ago
    loss = [run("cards", "draw", "--theme", "loss", "--json").json()["theme"] for _ in range(3)]
    assert loss == ["loss"] * 3


def test_a_card_reflected_on_is_not_drawn_again_soon(run):
    loss = {card["id"] for card in run("cards", "--theme", "loss", "--json").json()}
    for card in sorted(loss)[:-1]:
        assert run("reflect", "--card", card, "-m", "Thinking of it.").exit_code == 0
    assert run("cards", "draw", "--theme", "loss", "--json").json()["id"] == sorted(loss)[-1]


def test_your_own_cards_load_and_each_bad_card_is_named(run, own_cards):
    (own_cards / "harbour.jpg").write_bytes(b"\xff\xd8\xff\xe0 my own photograph")
    (own_cards / "harbour.yml").write_text(
        "id: harbour\ntheme: change\ntitle: The harbour wall\nimage: harbour.jpg\n"
        "scene: A fishing boat leaves at dawn while a child waves from the harbour wall.\n"
        "perspective: You are the child. What do you shout after the boat?\n"
        "emotions: [wistfulness, hope]\n", encoding="utf-8")
    (own_cards / "broken.yml").write_text(
        "- id: no-scene\n  theme: loss\n  title: Missing its scene\n"
        "- id: bad-emotion\n  theme: joy\n  title: T\n  scene: S\n  emotions: [hapy]\n"
        "- id: empty-chair\n  theme: loss\n  title: T\n  scene: S\n"
        "- id: no-picture\n  theme: care\n  title: T\n  scene: S\n  image: missing.png\n"
        "- id: extra\n  theme: care\n  title: T\n  scene: S\n  colour: blue\n"
        "- title: No id at all\n", encoding="utf-8")
    (own_cards / "typo.yml").write_text("id: typo\ntheme: loss\n  title: bad indent\n", encoding="utf-8")
    result = run("cards", "--json")
    assert result.exit_code == 0
    cards = {card["id"]: card for card in result.json()}
    assert cards["harbour"]["origin"] == "yours" and cards["harbour"]["image"] == str(own_cards / "harbour.jpg")
    assert cards["harbour"]["story"] is None and cards["empty-chair"]["origin"] == "deck"
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning: ")]
    assert warnings == [
        "Warning: broken.yml: card no-scene: field 'scene' is missing; add scene: ... (text, or en: and fr: texts)",
        "Warning: broken.yml: card bad-emotion: field 'emotions': 'hapy' is not in the emotion vocabulary; "
        "did you mean happy (joy)?",
        "Warning: broken.yml: card empty-chair: the id is already used by the shipped deck; choose another id",
        f"Warning: broken.yml: card no-picture: field 'image': no file missing.png beside the card; put it in "
        f"{own_cards}",
        "Warning: broken.yml: card extra: field 'colour' is not a card field; use emotion, emotions, id, image, "
        "perspective, scene, story, theme, title",
        "Warning: broken.yml: card #6: field 'id' is missing; add id: a-short-name",
        "Warning: typo.yml: not valid YAML at line 3 (mapping values are not allowed in this context); "
        "check the indentation and quoting",
    ]
    shown = run("cards", "show", "harbour")
    assert "The harbour wall" in shown.stdout and f"Picture: {own_cards / 'harbour.jpg'}" in shown.stdout


def test_reflecting_on_a_card_opens_its_scene_and_exercise(run, runtime, tmp_path, monkeypatch):
    editor = fake_editor(tmp_path / "ed", answers={"Stepping in": "I would fold the cardigan.",
                                                   "What I would feel": "Grief, and some relief."})
    monkeypatch.setenv("EDITOR", editor.command)
    result = run("reflect", "--card", "empty-chair", "--exercise", "perspective", "--emotion", "grief",
                 "--emotion", "soulagement", "--edit", "--json")
    assert result.exit_code == 0, result.stderr
    record = result.json()
    assert (record["card"], record["exercise"], record["template"]) == ("empty-chair", "perspective", "prompt-card")
    assert record["emotions"] == ["grief", "relief"]
    assert record["body"] == ("## Stepping in\nI would fold the cardigan.\n\n"
                              "## What I would feel\nGrief, and some relief.")
    text = editor.seen()["text"]
    assert "A kitchen table laid for two." in text
    assert "You are the man at the table. What do you do with the cardigan tonight?" in text
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["The empty chair", "Stepping in", "What I would feel", "What I would do",
                        "Another place in the scene"]
    assert "from card empty-chair (perspective)" in result.stderr
    listed = run("list", "--card", "empty-chair", "--json").json()
    assert [entry["id"] for entry in listed] == [record["id"]]
    assert run("list", "--card", "last-boxes", "--json").json() == []


def test_without_an_exercise_the_editor_asks_the_three_questions(run, runtime, tmp_path, monkeypatch):
    editor = fake_editor(tmp_path / "ed", answers={"Personal narrative": "My grandmother's house."})
    monkeypatch.setenv("EDITOR", editor.command)
    result = run("reflect", "--card", "last-boxes", "--edit", "--json")
    assert result.exit_code == 0, result.stderr
    headings = [line[3:] for line in editor.seen()["text"].splitlines() if line.startswith("## ")]
    assert headings == ["The last boxes", "Perspective taking", "Personal narrative", "Emotional awareness"]
    assert result.json()["exercise"] is None


def test_a_random_card_is_drawn_and_recorded(run, journal):
    result = run("reflect", "--card", "random", "--exercise", "story", "-m", "A memory.", "--json")
    assert result.exit_code == 0, result.stderr
    card = result.json()["card"]
    assert card in load_deck().cards and f"({card})" in result.stderr
    assert journal.query("SELECT card FROM card_draws") == [{"card": card}]


@pytest.mark.parametrize("args, message", [
    (("--exercise", "story"), "--exercise goes with a card; add --card ID, or --card random"),
    (("--card", "empty-chair", "--template", "gibbs"), "--card opens the card's own headings; drop --template"),
    (("--card", "empty-chiar"), "no card 'empty-chiar'; did you mean empty-chair?"),
    (("--card", "empty-chair", "--exercise", "dance"), "Invalid value for '--exercise'"),
])
def test_bad_card_options_write_nothing(run, journal, args, message):
    result = run("reflect", *args, "-m", "text")
    assert result.exit_code == 2 and message in result.stderr
    assert journal.query("SELECT count(*) AS n FROM entries")[0]["n"] == 0


def test_cards_used_with_clients_are_counted_never_named(run):
    for client, day in (("C014", "2026-03-02"), ("C014", "2026-03-09"), ("C027", "2026-03-11")):
        logged = run("log", "practice", "50m", "--client", client, "--card", "empty-chair", "--at", f"{day} 10:00",
                     "--json")
        assert logged.exit_code == 0 and logged.json()["card"] == "empty-chair"
    run("log", "practice", "50m", "--client", "C031", "--card", "first-key", "--at", "2026-03-12 10:00")
    run("reflect", "--card", "first-key", "-m", "After using it with a client.", "--at", "2026-03-12 18:00")
    stats = run("cards", "stats", "--json").json()
    assert stats == [
        {"card": "empty-chair", "sessions": 3, "clients": 2, "reflections": 0, "last_used": "2026-03-11"},
        {"card": "first-key", "sessions": 1, "clients": 1, "reflections": 1, "last_used": "2026-03-12"},
    ]
    table = run("cards", "stats").stdout
    assert "empty-chair" in table and "C014" not in table and "C027" not in table
    wrong = run("log", "therapy", "50m", "--card", "empty-chair")
    assert wrong.exit_code == 2 and "--card is for practice sessions" in wrong.stderr
    assert len(run("list", "--card", "empty-chair", "--json").json()) == 3


def test_no_card_used_yet(run):
    run("init")
    result = run("cards", "stats")
    assert result.exit_code == 0 and "No card used yet" in result.stderr
