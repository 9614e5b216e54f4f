"""Sessions that would be counted twice: exact repeats and overlaps among your own sessions.

A repeat is the same kind, start, length, person and client logged again (`journal log` refuses
one unless ``--again``); an overlap is two sessions sharing some minutes (`journal log` warns).
`journal db check` lists both across the whole journal. Sessions last at most a day, so every
search looks a day back from a start through the start index.
"""

from __future__ import annotations

from dataclasses import dataclass

from journal.db import Journal
from journal.planned import day_before, end_utc

# What makes a session the same session again.
REPEAT_KEY = ("kind", "start_utc", "minutes", "person_id", "client_code")
_LIVE = "{a}.deleted_at IS NULL AND {a}.minutes IS NOT NULL"


def _overlap(a: str, b: str) -> str:
    """SQL: session ``b`` starts no earlier than a day before ``a`` and shares minutes with it."""
    return (f"{b}.start_utc >= {day_before(f'{a}.start_utc')} AND {b}.start_utc < {end_utc(a)} "
            f"AND {end_utc(b)} > {a}.start_utc")


def _same(a: str, b: str) -> str:
    return " AND ".join(f"{b}.{column} IS {a}.{column}" for column in REPEAT_KEY)


@dataclass(frozen=True)
class Pair:
    """Two live sessions, earlier id first."""

    first: int
    second: int


def repeat_of(journal: Journal, entry_id: int) -> int | None:
    """The id of an earlier live session that ``entry_id`` repeats exactly, if any."""
    row = journal.execute(
        f"""SELECT o.id FROM entries e JOIN entries o ON {_same('e', 'o')} AND o.id <> e.id AND {_LIVE.format(a='o')}
            WHERE e.id = ? ORDER BY o.id LIMIT 1""", (entry_id,)).fetchone()
    return row[0] if row else None


def overlapping(journal: Journal, entry_id: int) -> list[int]:
    """Ids of the other live sessions that share minutes with ``entry_id`` (repeats included)."""
    return [row[0] for row in journal.execute(
        f"""SELECT o.id FROM entries e JOIN entries o ON o.id <> e.id AND {_LIVE.format(a='o')} AND {_overlap('e', 'o')}
            WHERE e.id = ? AND e.minutes IS NOT NULL ORDER BY o.start_utc, o.id""", (entry_id,))]


def repeats(journal: Journal) -> list[Pair]:
    """Every exact repeat in the journal: each later copy beside the first session it repeats."""
    return [Pair(*row) for row in journal.execute(
        f"""SELECT min(o.id), e.id FROM entries e JOIN entries o ON {_same('e', 'o')} AND o.id < e.id
              AND {_LIVE.format(a='o')}
            WHERE {_LIVE.format(a='e')} GROUP BY e.id ORDER BY e.id""")]


def overlaps(journal: Journal) -> list[Pair]:
    """Every two live sessions that share minutes without being exact repeats, in time order."""
    return [Pair(*sorted(row)) for row in journal.execute(
        f"""SELECT e.id, o.id FROM entries e JOIN entries o
              ON (o.start_utc > e.start_utc OR (o.start_utc = e.start_utc AND o.id > e.id))
              AND {_LIVE.format(a='o')} AND {_overlap('e', 'o')} AND NOT ({_same('e', 'o')})
            WHERE {_LIVE.format(a='e')} ORDER BY e.start_utc, o.start_utc""")]
