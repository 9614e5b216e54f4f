"""Reflections on personal therapy stay on it through an import of our own export.

A reflection whose ``on`` names a therapy session of the file (or a reflection about one) must
land on personal therapy in the journal too: were its link dropped or pointed elsewhere (its
session skipped, say), its therapy content could later be shared. Such a file is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from journal.db import Journal
from journal.entries import about_therapy
from journal.importers.core import malformed
from journal.importers.rows import ID, KIND, Row

FileEntries = dict[int, tuple[str, "int | None"]]  # file id -> (kind, the file id it is on)


def note_entries(items: Iterable, into: FileEntries) -> Iterator:
    """Pass ``items`` on, noting each exported record's kind and link by its id in the file."""
    for item in items:
        if type(item) is Row and item.old_id is not None:
            into[item.old_id] = (item.values[KIND], item.on_ref)
        yield item


def _about_therapy_in_file(ref: int | None, noted: FileEntries) -> bool:
    seen = set()
    while ref is not None and ref not in seen:
        seen.add(ref)
        kind, on = noted.get(ref, (None, None))
        if kind == "therapy":
            return True
        ref = on if kind == "reflection" else None
    return False


def refuse_moved_off_therapy(journal: Journal, rows: list[Row], noted: FileEntries, file: str) -> None:
    """After the rows went in (inside the import's transaction): refuse the file if a reflection
    written on therapy in the file is not on therapy in the journal."""
    for row in rows:
        if row.values[KIND] == "reflection" and row.on_ref is not None \
                and _about_therapy_in_file(row.on_ref, noted) and not about_therapy(journal, row.values[ID]):
            raise malformed(file, row.label, f"this reflection is on personal-therapy entry {row.on_ref}, which "
                            "is not imported with it; its content must stay on that session, private for good")
