"""Prompt cards: the shipped deck (``data/cards/``) and the practitioner's own cards.

A card is a short described scene with a theme, and a question for each of three exercises:
``perspective`` (imagine yourself into the scene), ``story`` (the experience it matches) and
``emotion`` (name the emotion it shows). Your own cards are YAML files in the ``cards`` folder
beside your journal, optionally with an image file of your own; each bad card is reported with
its file, id and field, and left out, so that one typo never hides the rest of the deck.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path

from journal.db import Journal
from journal.entries import now_utc_text
from journal.entry_links import EXERCISES
from journal.errors import InputError, JournalError
from journal.language import LANGUAGES
from journal.i18n import _

TEXT_FIELDS = ("title", "scene")
CARD_FIELDS = {"id", "theme", "title", "scene", "image", "emotions", *EXERCISES}
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")
RECENT_DAYS = 30  # a card drawn or used within this many days is not drawn again while others remain
USER_FOLDER = "cards"


@dataclass(frozen=True)
class Card:
    """One card; texts are by language (a card of your own may give one text for every language)."""

    id: str
    theme: str
    title: dict[str, str]
    scene: dict[str, str]
    prompts: dict[str, dict[str, str]]  # exercise -> language -> question
    emotions: tuple[str, ...] = ()
    image: Path | None = None
    origin: str = "deck"  # "deck" or "yours"

    def text(self, field_name: str, lang: str) -> str:
        texts = getattr(self, field_name)
        return texts.get(lang) or texts.get("en") or next(iter(texts.values()))

    def prompt(self, exercise: str, lang: str) -> str | None:
        texts = self.prompts.get(exercise) or {}
        return texts.get(lang) or texts.get("en") or next(iter(texts.values()), None)

    def as_record(self, lang: str, deck: Deck) -> dict:
        return {
            "id": self.id,
            "theme": self.theme,
            "theme_name": deck.theme_name(self.theme, lang),
            "title": self.text("title", lang),
            "scene": self.text("scene", lang),
            **{exercise: self.prompt(exercise, lang) for exercise in EXERCISES},
            "emotions": list(self.emotions),
            "image": str(self.image) if self.image else None,
            "origin": self.origin,
        }


@dataclass(frozen=True)
class Exercise:
    """How an exercise opens in the editor: its title, what it asks, and the headings that follow."""

    name: str
    title: dict[str, str]
    about: dict[str, str]
    card_heading: dict[str, str]
    sections: tuple[tuple[dict[str, str], dict[str, str]], ...]  # (heading, question) by language


@dataclass
class Deck:
    """The cards that loaded, and one line for each card that did not."""

    cards: dict[str, Card]
    themes: dict[str, dict[str, str]]
    exercises: dict[str, Exercise]
    problems: list[str] = field(default_factory=list)

    def theme_name(self, theme: str, lang: str) -> str:
        return (self.themes.get(theme) or {}).get(lang, theme)

    def get(self, card_id: str) -> Card:
        """The card with this id; an unknown id suggests the closest."""
        key = (card_id or "").strip().lower()
        if key in self.cards:
            return self.cards[key]
        from difflib import get_close_matches

        close = get_close_matches(key, list(self.cards), n=1)
        hint = f"did you mean {close[0]}?" if close else "`journal cards` lists them"
        raise InputError(_("no card {card_id!r}").format(card_id=card_id), hint)

    def by_theme(self, theme: str | None) -> list[Card]:
        """The cards of a theme (all of them without one); an unknown theme lists the known ones."""
        if theme is None:
            return list(self.cards.values())
        key = theme.strip().lower()
        names = {key} | {t for t, names in self.themes.items() if key in {n.lower() for n in names.values()}}
        found = [card for card in self.cards.values() if card.theme in names]
        if not found:
            known = sorted({card.theme for card in self.cards.values()})
            raise InputError(_("no cards with the theme {theme!r}").format(theme=theme), _("themes: {names}").format(names=", ".join(known)))
        return found


def user_folder(db_path: Path) -> Path:
    """Where your own cards live: the ``cards`` folder beside the journal file."""
    return db_path.parent / USER_FOLDER


def load_deck(folder: Path | None = None) -> Deck:
    """The shipped deck, plus the cards in ``folder`` (your own) if it exists."""
    shipped = _shipped()
    deck = Deck(dict(shipped.cards), shipped.themes, shipped.exercises, list(shipped.problems))
    if folder is not None and folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in (".yml", ".yaml") and path.is_file():
                _load_user_file(deck, path)
    return deck


@cache
def _shipped() -> Deck:
    from journal.resources import site_folder
    from journal.yamlfile import read_yaml

    folder = site_folder("data") / "cards"
    meta = read_yaml(folder / "exercises.yml")
    deck = Deck({}, meta["themes"], {name: _exercise(name, raw) for name, raw in meta["exercises"].items()})
    data = read_yaml(folder / "deck.yml")
    for index, raw in enumerate(data["cards"], 1):
        card = _card(deck, raw, "deck.yml", index, folder, origin="deck")
        if card is not None:
            deck.cards[card.id] = card
    return deck


def _exercise(name: str, raw: dict) -> Exercise:
    return Exercise(name, raw["title"], raw["about"], raw["card_heading"],
                    tuple((s["heading"], s["question"]) for s in raw["sections"]))


def _load_user_file(deck: Deck, path: Path) -> None:
    from journal.yamlfile import read_yaml

    try:
        data = read_yaml(path)
    except JournalError as exc:
        deck.problems.append(exc.one_line())
        return
    items = data if isinstance(data, list) else [data]
    for index, raw in enumerate(items, 1):
        card = _card(deck, raw, path.name, index, path.parent, origin="yours")
        if card is None:
            continue
        if card.id in deck.cards:
            deck.problems.append(f"{path.name}: card {card.id}: the id is already used by "
                                 f"{'the shipped deck' if deck.cards[card.id].origin == 'deck' else 'another card'}; "
                                 "choose another id")
            continue
        deck.cards[card.id] = card


class _BadCard(Exception):
    pass


def _card(deck: Deck, raw: object, file: str, index: int, folder: Path, *, origin: str) -> Card | None:
    """A card from its YAML data, or ``None`` with one line in ``deck.problems`` saying what is wrong."""
    name = f"#{index}"
    try:
        if not isinstance(raw, dict):
            raise _BadCard(_("is not a mapping of fields; start it with 'id: my-card'"))
        card_id = raw.get("id")
        if not isinstance(card_id, str) or not card_id.strip():
            raise _BadCard(_("field 'id' is missing; add id: a-short-name"))
        name = card_id = card_id.strip().lower()
        if not all(c.isalnum() or c in "-_" for c in card_id):
            raise _BadCard(_("field 'id' must be letters, digits and '-' only, e.g. id: my-card"))
        unknown = sorted(set(raw) - CARD_FIELDS)
        if unknown:
            raise _BadCard(_("field '{field}' is not a card field; use {choices}").format(
                field=unknown[0], choices=", ".join(sorted(CARD_FIELDS))))
        theme = raw.get("theme")
        if not isinstance(theme, str) or not theme.strip():
            raise _BadCard(_("field 'theme' is missing; add theme: {choices}...").format(
                choices=", ".join(list(deck.themes)[:4])))
        texts = {key: _texts(raw, key, required=True) for key in TEXT_FIELDS}
        prompts = {ex: texts_ for ex in EXERCISES if (texts_ := _texts(raw, ex, required=False))}
        emotions = _emotions(raw)
        image = _image(raw, folder)
    except _BadCard as problem:
        deck.problems.append(f"{file}: card {name}: {problem}")
        return None
    return Card(card_id, theme.strip().lower(), texts["title"], texts["scene"], prompts, emotions, image, origin)


def _texts(raw: dict, key: str, *, required: bool) -> dict[str, str]:
    value = raw.get(key)
    if value is None:
        if required:
            raise _BadCard(_("field '{key}' is missing; add {key}: ... (text, or en: and fr: texts)").format(key=key))
        return {}
    if isinstance(value, str) and value.strip():
        return {"any": " ".join(value.split())}
    if isinstance(value, dict) and value and set(value) <= set(LANGUAGES) and all(
            isinstance(v, str) and v.strip() for v in value.values()):
        return {lang: " ".join(text.split()) for lang, text in value.items()}
    raise _BadCard(_("field '{key}' must be text, or en: and fr: texts").format(key=key))


def _emotions(raw: dict) -> tuple[str, ...]:
    value = raw.get("emotions") or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _BadCard(_("field 'emotions' must be a list of words, e.g. emotions: [grief, hope]"))
    from journal.emotions import vocabulary

    try:
        return tuple(vocabulary().find(word).id for word in value)
    except InputError as exc:
        raise _BadCard(_("field 'emotions': {one_line}").format(one_line=exc.one_line())) from None


def _image(raw: dict, folder: Path) -> Path | None:
    value = raw.get("image")
    if value is None:
        return None
    if not isinstance(value, str) or Path(value).suffix.lower() not in IMAGE_SUFFIXES:
        raise _BadCard(_("field 'image' must name a picture file ({suffixes})").format(
            suffixes=", ".join(IMAGE_SUFFIXES)))
    path = (folder / value).resolve()
    if not path.is_file():
        raise _BadCard(_("field 'image': no file {value} beside the card; put it in {folder}").format(value=value, folder=folder))
    return path


# --- drawing and use -------------------------------------------------------------------------

def recently_used(journal: Journal, days: int = RECENT_DAYS) -> dict[str, str]:
    """Cards drawn, or used in a reflection or session, in the last ``days`` days: id -> last time (UTC)."""
    since = (datetime.now(timezone.utc) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S")
    rows = journal.execute(
        """SELECT card, max(at) FROM (
             SELECT card, drawn_at AS at FROM card_draws WHERE drawn_at >= :since
             UNION ALL
             SELECT c.card, e.start_utc FROM entry_cards c JOIN entries e ON e.id = c.entry_id
             WHERE e.deleted_at IS NULL AND e.start_utc >= :since)
           GROUP BY card""", {"since": since}).fetchall()
    return dict(rows)


def draw(journal: Journal, deck: Deck, theme: str | None = None) -> Card:
    """A card not drawn nor used in the last 30 days (else the one used longest ago), recorded as drawn."""
    pool = deck.by_theme(theme)
    recent = recently_used(journal)
    fresh = [card for card in pool if card.id not in recent]
    if fresh:
        card = random.SystemRandom().choice(fresh)
    else:
        card = min(pool, key=lambda c: recent[c.id])
    with journal.transaction():
        journal.execute("INSERT INTO card_draws(card, drawn_at) VALUES (?, ?)", (card.id, now_utc_text()))
    return card


def card_stats(journal: Journal) -> list[dict]:
    """Each card's use: client sessions, distinct clients (a count only), reflections, last use."""
    return journal.query(
        """SELECT c.card,
                  sum(e.kind = 'practice') AS sessions,
                  count(DISTINCT CASE WHEN e.kind = 'practice' THEN e.client_code END) AS clients,
                  sum(e.kind = 'reflection') AS reflections,
                  max(e.date) AS last_used
           FROM entry_cards c JOIN entries e ON e.id = c.entry_id AND e.deleted_at IS NULL
           GROUP BY c.card ORDER BY sessions + reflections DESC, last_used DESC, c.card""")


# --- the editor ------------------------------------------------------------------------------

def card_template(card: Card, deck: Deck, exercise: str | None, lang: str):
    """The editor's headings for a card: the scene, the card's question(s), then the exercise's headings."""
    from journal.templates import Section, Template

    scene = card.text("scene", lang)
    if card.image:
        scene += f" (picture: {card.image})"
    sections = [Section(card.text("title", lang), scene)]
    if exercise is None:
        for name in EXERCISES:
            spec = deck.exercises[name]
            sections.append(Section(spec.title[lang], card.prompt(name, lang) or spec.about[lang]))
        description = ", ".join(deck.exercises[name].title[lang] for name in EXERCISES)
    else:
        spec = deck.exercises[exercise]
        sections.append(Section(spec.card_heading[lang], card.prompt(exercise, lang) or spec.about[lang]))
        sections += [Section(heading[lang], question[lang]) for heading, question in spec.sections]
        description = f"{spec.title[lang]}: {spec.about[lang]}"
    return Template(f"card:{card.id}", card.text("title", lang), description, tuple(sections))
