"""Full-text search over titles, reflections and notes (SQLite FTS5), ranked with bm25.

The query language is FTS5's: words (all must appear), ``"exact phrase"``, ``OR``, ``NOT``,
``rupt*`` for a prefix and ``title:ending`` for one column. Text that is not valid FTS5
syntax (``"unbalanced``, a lone ``AND``) is searched as plain words instead of failing.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from journal.db import Journal
from journal.entries import Filters, filter_clause, get_entry
from journal.errors import InputError
from journal.i18n import _

# bm25 weights of the columns title, body, note: titles count most, then reflections, then notes.
WEIGHTS = (10.0, 2.0, 1.0)
SNIPPET_TOKENS = 12
_HEADING_MARK = re.compile(r"(?:^|(?<=\s))#{1,6}(?=\s)")  # a Markdown heading's hashes, shown as plain text


@dataclass(frozen=True)
class Marks:
    """What goes either side of a matching word in a snippet."""

    before: str = "["
    after: str = "]"


def plain_words(text: str) -> str:
    """``text`` as an FTS5 query of quoted words: every word must appear, no operators."""
    words = re.findall(r"\w+", text)
    return " ".join(f'"{word}"' for word in words)


def is_valid(journal: Journal, query: str) -> bool:
    """Whether FTS5 accepts ``query`` (it parses it on the first step of a MATCH)."""
    try:
        journal.execute("SELECT rowid FROM entries_fts WHERE entries_fts MATCH ? LIMIT 1", (query,)).fetchall()
    except sqlite3.OperationalError:
        return False
    return True


def fts_query(journal: Journal, text: str) -> str:
    """The FTS5 query to run for what the user typed; refuses text with no words at all."""
    raw = " ".join((text or "").split())
    if raw and is_valid(journal, raw):
        return raw
    fallback = plain_words(raw)
    if not fallback:
        raise InputError(_("nothing to search for in {text!r}").format(text=text), _("give a word, e.g. journal search rupture"))
    return fallback


def search(journal: Journal, text: str, filters: Filters | None = None, limit: int | None = 20,
           marks: Marks = Marks()) -> list[dict]:
    """Entries matching ``text``, best first; each record gains ``snippet`` and ``score``."""
    query = fts_query(journal, text)
    clause = filter_clause(journal, filters or Filters())
    if clause is None:
        return []
    where, params = clause
    weights = ", ".join(str(w) for w in WEIGHTS)
    # Rank every match, but build snippets only for the rows shown.
    sql = f"""
        WITH best AS (
            SELECT e.id, bm25(entries_fts, {weights}) AS score, e.start_utc
            FROM entries_fts JOIN entries e ON e.id = entries_fts.rowid
            WHERE entries_fts MATCH ? AND {where}
            ORDER BY score, e.start_utc DESC
            {"LIMIT ?" if limit else ""}
        )
        SELECT best.id, snippet(entries_fts, -1, ?, ?, '…', {SNIPPET_TOKENS}), best.score
        FROM best JOIN entries_fts ON entries_fts.rowid = best.id
        WHERE entries_fts MATCH ?
        ORDER BY best.score, best.start_utc DESC
    """
    args = [query, *params, *([limit] if limit else []), marks.before, marks.after, query]
    results = []
    for entry_id, snippet, score in journal.execute(sql, args).fetchall():
        record = get_entry(journal, entry_id)
        record["snippet"] = " ".join(_HEADING_MARK.sub(" ", snippet).split())
        record["score"] = round(-score, 3)
        results.append(record)
    return results
