"""People and tags: one row per person or tag however it is typed, with "did you mean".

Client work takes a pseudonymous code, never a name; a name that an older version let through on
client work is never offered as a suggestion nor printed in a message (see :func:`client_only`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from journal.db import Journal
from journal.errors import InputError
from journal.i18n import _

# Called with (typed, known) when a new name is one typo from a known one; True means "use known".
ConfirmSimilar = Callable[[str, str], bool]


def name_key(text: str) -> str:
    """The comparison key: case, accents, punctuation and spacing do not make a new person."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", plain.casefold()).split())


def tag_key(text: str) -> str:
    return name_key(text.lstrip("#")).replace(" ", "-")


def clean_display(text: str, what: str) -> str:
    """A name or tag as shown: single spaces, no control characters (see journal.terminal)."""
    from journal.terminal import without_controls

    display = " ".join(without_controls(" ".join((text or "").split())).split())
    if not display or not name_key(display):
        raise InputError(_("empty {what}").format(what=what), _("give a {what} such as 'Alice Smith'").format(what=what))
    if len(display) > 200:
        raise InputError(_("{what} is longer than 200 characters").format(what=what), _("shorten it"))
    return display


def client_only(alias: str = "people") -> str:
    """SQL that is true for a person named only on client work: live practice sessions and no
    other live session. Such a name is a client's, so it is never suggested nor shown."""
    live = f"SELECT 1 FROM entries e WHERE e.person_id = {alias}.id AND e.deleted_at IS NULL AND e.kind"
    return f"(EXISTS ({live} = 'practice') AND NOT EXISTS ({live} <> 'practice'))"


def names_on_client_work(journal: Journal) -> list[tuple[int, str]]:
    """(entry id, name) of each live practice session that holds a person's name, by id: stored by
    versions that let `--with` through on client work; `journal db check` reports them."""
    return journal.execute(
        "SELECT e.id, p.name FROM entries e JOIN people p ON p.id = e.person_id "
        "WHERE e.kind = 'practice' AND e.deleted_at IS NULL ORDER BY e.id").fetchall()


def one_edit_apart(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by one insertion, deletion, substitution or swap."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        if len(diffs) == 1:
            return True
        return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def resolve_person(journal: Journal, typed: str, confirm: ConfirmSimilar | None = None) -> int:
    """The id of the person ``typed`` names, adding them if new (inside the caller's transaction).

    When the name is new but one typo away from a known person, ``confirm`` decides; without
    a ``confirm`` the command is refused so that a script never creates a near-duplicate.
    """
    display = clean_display(typed, "name")
    key = name_key(display)
    row = journal.execute("SELECT id FROM people WHERE key = ?", (key,)).fetchone()
    if row:
        return row[0]
    if len(key) >= 4:
        for person_id, known_name, known_key in journal.execute(
            f"SELECT id, name, key FROM people WHERE length(key) BETWEEN ? AND ? AND NOT {client_only()}",
            (len(key) - 1, len(key) + 1),
        ):
            if one_edit_apart(key, known_key):
                if confirm is None:
                    raise InputError(
                        _("{display!r} is one letter away from {known_name!r}, already in your journal").format(display=display, known_name=known_name),
                        _("type --with {known_name!r}, or --new-person to add {display!r}").format(known_name=known_name, display=display),
                    )
                if confirm(display, known_name):
                    return person_id
                break
    return journal.execute("INSERT INTO people(name, key) VALUES (?, ?)", (display, key)).lastrowid


def find_person(journal: Journal, typed: str) -> int | None:
    """The id of a known person (for filters); ``None`` when nobody is called that."""
    row = journal.execute("SELECT id FROM people WHERE key = ?", (name_key(typed),)).fetchone()
    return row[0] if row else None


def resolve_tags(journal: Journal, typed: list[str] | tuple[str, ...]) -> list[int]:
    """Ids of the tags typed (created when new), without duplicates, in the order given."""
    ids: list[int] = []
    for text in typed:
        display = clean_display(text.lstrip("#"), "tag")
        key = tag_key(display)
        row = journal.execute("SELECT id FROM tags WHERE key = ?", (key,)).fetchone()
        tag_id = row[0] if row else journal.execute(
            "INSERT INTO tags(name, key) VALUES (?, ?)", (display, key)
        ).lastrowid
        if tag_id not in ids:
            ids.append(tag_id)
    return ids


# jrnl-style tags written in text: an @ that starts a word (so alice@example.com is not one).
_AT_TAG = re.compile(r"(?<![\w@])@(\w[\w-]*)")


def tags_in_text(text: str | None) -> list[str]:
    """The ``@tag`` words of a note, without the @, in the order written (``"@endings"`` gives endings)."""
    return [match.rstrip("-") for match in _AT_TAG.findall(text or "")]


def find_tag(journal: Journal, typed: str) -> int | None:
    row = journal.execute("SELECT id FROM tags WHERE key = ?", (tag_key(typed),)).fetchone()
    return row[0] if row else None
