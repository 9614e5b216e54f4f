"""The kinds of entry the journal keeps and the words people read for them, defined once.

Every command, the statement, the rules and the supervisor's pages take their kinds and labels
from here. (The migrations keep a frozen copy of the kinds: a migration must build the schema it
built on the day it was written, whatever this module says later.)
"""

from __future__ import annotations

from journal.i18n import N_, language

SESSION_KINDS = ("therapy", "supervision", "practice", "cpd")
ENTRY_KINDS = SESSION_KINDS + ("reflection",)

KIND_LABELS = {
    "therapy": N_("Personal therapy"),
    "supervision": N_("Supervision"),
    "practice": N_("Client work"),
    "cpd": N_("CPD"),
    "reflection": N_("Reflection"),
}
# The French word of each kind, accepted as typed (accents optional) and stored as the English one.
FRENCH_KINDS = {"therapy": "thérapie", "supervision": "supervision", "practice": "pratique", "cpd": "formation",
                "reflection": "réflexion"}
_KIND_BY_WORD = {word.replace("é", "e"): kind for kind, word in FRENCH_KINDS.items()}

FORMAT_LABELS = {
    "individual": N_("Individual"), "group": N_("Group"), "peer": N_("Peer"), "couple": N_("Couple"),
    "family": N_("Family"),
}
MODE_LABELS = {"in-person": N_("In person"), "video": N_("Video"), "phone": N_("Phone")}


def kind_label(kind: str) -> str:
    """The words people read for ``kind`` ("practice" is "Client work"); ``_(kind_label(kind))`` in the
    active language (the supervisor's pages, not translated yet, keep the English)."""
    return KIND_LABELS.get(kind, kind)


def kind_word(kind: str) -> str:
    """The kind as the practitioner types it: ``therapy``, or in French ``thérapie``."""
    return FRENCH_KINDS.get(kind, kind) if language() == "fr" else kind


def kind_from_word(word: str) -> str:
    """The stored kind for a word typed in either language (accents optional); unknown words unchanged."""
    return _KIND_BY_WORD.get(word.replace("é", "e").replace("è", "e"), word)
