"""The kinds of entry the journal keeps and the words people read for them, defined once.

Every command, the statement, the rules and the supervisor's pages take their kinds and labels
from here. (The migrations keep a frozen copy of the kinds: a migration must build the schema it
built on the day it was written, whatever this module says later.)
"""

from __future__ import annotations

SESSION_KINDS = ("therapy", "supervision", "practice", "cpd")
ENTRY_KINDS = SESSION_KINDS + ("reflection",)

KIND_LABELS = {
    "therapy": "Personal therapy",
    "supervision": "Supervision",
    "practice": "Client work",
    "cpd": "CPD",
    "reflection": "Reflection",
}

FORMAT_LABELS = {
    "individual": "Individual", "group": "Group", "peer": "Peer", "couple": "Couple", "family": "Family",
}
MODE_LABELS = {"in-person": "In person", "video": "Video", "phone": "Phone"}


def kind_label(kind: str) -> str:
    """The word people read for ``kind`` ("practice" is "Client work")."""
    return KIND_LABELS.get(kind, kind)
