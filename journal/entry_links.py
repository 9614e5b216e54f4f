"""What an entry records beyond its own row: the prompt card (and exercise) it used, and the
emotions a reflection named. Written inside the caller's transaction."""

from __future__ import annotations

from journal.db import Journal
from journal.errors import InputError
from journal.i18n import _

EXERCISES = ("perspective", "story", "emotion")


def set_card(journal: Journal, entry_id: int, card_id: str, exercise: str | None = None) -> None:
    """Record the card (and exercise) an entry used."""
    if exercise is not None and exercise not in EXERCISES:
        raise InputError(_("unknown exercise {exercise!r}").format(exercise=exercise), _("use {choices}").format(choices=", ".join(EXERCISES)))
    journal.execute("INSERT OR REPLACE INTO entry_cards(entry_id, card, exercise) VALUES (?, ?, ?)",
                    (entry_id, card_id, exercise))


def set_emotions(journal: Journal, entry_id: int, emotion_ids: list[str]) -> None:
    """Replace an entry's emotions (ids of the vocabulary)."""
    journal.execute("DELETE FROM entry_emotions WHERE entry_id = ?", (entry_id,))
    journal.conn.executemany("INSERT INTO entry_emotions(entry_id, emotion) VALUES (?, ?)",
                             [(entry_id, emotion) for emotion in emotion_ids])
