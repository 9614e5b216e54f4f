"""How an entry is named on the command line: its id (``12``), a range (``14-16``) or ``last``.

``last`` is the entry written most recently (for `restore`, the one deleted most recently), so
that `journal edit last` follows `journal log` without looking the id up.
"""

from __future__ import annotations

import re

from journal.db import Journal
from journal.errors import InputError, JournalError
from journal.i18n import N_, _

LAST = "last"
MAX_RANGE = 10_000
MAX_ID = 2**63 - 1
_ID_HINT = N_("an id is a number such as 12 (`journal list` shows them), or `last` for the latest entry")
_RANGE = re.compile(r"^(\d+)-(\d+)$")

Ref = int | str  # an id, or LAST


def parse_ref(text: str) -> Ref:
    """One entry: a positive id or ``last``."""
    value = str(text).strip().lower()
    if value == LAST:
        return LAST
    if value.isdigit() and 1 <= int(value) <= MAX_ID:
        return int(value)
    raise InputError(_("{text!r} is not an entry id").format(text=text), _(_ID_HINT))


def parse_refs(text: str) -> list[Ref]:
    """Several entries: an id, ``last``, or a range such as ``14-16``."""
    match = _RANGE.match(str(text).strip())
    if not match:
        return [parse_ref(text)]
    first, last = int(match[1]), int(match[2])
    if not 1 <= first <= last <= MAX_ID:
        raise InputError(_("{text!r} is not a range of ids").format(text=text), _("write the smaller id first, e.g. 14-16"))
    if last - first >= MAX_RANGE:
        raise InputError(_("{text!r} spans more than {count} ids").format(text=text, count=f"{MAX_RANGE:,}"),
                         _("give a smaller range"))
    return list(range(first, last + 1))


def resolve(journal: Journal, ref: Ref, *, deleted: bool = False) -> int:
    """The id ``ref`` names; ``last`` is the newest live entry (with ``deleted``, the last one deleted)."""
    if ref != LAST:
        return int(ref)
    if deleted:
        row = journal.execute(
            "SELECT id FROM entries WHERE deleted_at IS NOT NULL ORDER BY deleted_at DESC, id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            raise JournalError(_("no deleted entry to restore"), _("`journal rm ID` deletes one"))
    else:
        row = journal.execute("SELECT max(id) FROM entries WHERE deleted_at IS NULL").fetchone()
        if row is None or row[0] is None:
            raise JournalError(_("the journal has no entries yet"), _("log one with `journal log therapy 50m`"))
    return row[0]


def resolve_all(journal: Journal, refs: tuple[list[Ref], ...], *, deleted: bool = False) -> list[int]:
    """The ids of several arguments (each a list from :func:`parse_refs`), in order, without repeats."""
    return list(dict.fromkeys(resolve(journal, ref, deleted=deleted) for group in refs for ref in group))
