"""`journal export`: everything you own as JSON or CSV, and the ICF coaching log.

JSON and CSV carry one flat record per entry with the columns of :data:`EXPORT_COLUMNS`, in
that order, private fields included (it is your data): sessions leave the reflection fields
empty and reflections the session fields. Deleted entries are not exported, except one that an
exported reflection is on (directly or through other reflections): it comes along with its
``deleted_at``, as does an entry outside the filters, so that every link of an export can be
followed and a reflection on personal therapy stays private for good wherever the file is
imported. Our own importer reads both back (``journal import json|csv``) into an empty journal
exactly.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from journal.db import Journal
from journal.entries import SELECT_ENTRIES, Filters, filter_clause, to_record
from journal.errors import InputError
from journal.output import render
from journal.i18n import _

EXPORT_COLUMNS = (
    "id", "kind", "date", "start", "end", "tz", "minutes", "with", "mode", "format", "group_size",
    "client", "setting", "paid", "title", "body", "note", "template", "on", "tags", "shared",
    "card", "exercise", "emotions", "source", "source_key", "created_at", "updated_at", "deleted_at",
)
ICF_COLUMNS = (
    "Client Name", "Contact Information", "Individual/Group", "Number in Group", "Start Date",
    "End Date", "Paid Hours", "Pro Bono Hours",
)
_EXTRA = ("tz", "source", "source_key", "created_at", "updated_at", "deleted_at")


def export_records(journal: Journal, filters: Filters) -> list[dict]:
    """Every live entry matching ``filters`` and every entry they are on, oldest first, as flat
    :data:`EXPORT_COLUMNS` dicts."""
    clause = filter_clause(journal, filters)
    if clause is None:
        return []
    where, params = clause
    rows = journal.query(SELECT_ENTRIES + f" WHERE {where} ORDER BY e.start_utc, e.id", params)
    linked = _linked(journal, rows)
    if linked:
        rows = sorted([*rows, *linked], key=lambda row: (row["start_utc"], row["id"]))
    records = []
    for row in rows:
        record = to_record(row)
        record.update({key: row[key] for key in _EXTRA})
        records.append({column: record.get(column) for column in EXPORT_COLUMNS})
    return records


def _linked(journal: Journal, rows: list[dict]) -> list[dict]:
    """The entries that ``rows`` are on and that are not among them (deleted, or outside the
    filters), followed up through reflections on reflections."""
    have = {row["id"] for row in rows}
    wanted = {row["on_id"] for row in rows if row["on_id"] is not None} - have
    found: list[dict] = []
    while wanted:
        more = journal.query(SELECT_ENTRIES + " WHERE e.id IN (SELECT value FROM json_each(?))",
                             (json.dumps(sorted(wanted)),))
        found += more
        have.update(row["id"] for row in more)
        wanted = {row["on_id"] for row in more if row["on_id"] is not None} - have
    return found


def to_json(records: list[dict]) -> str:
    """A JSON array with one record a line: valid JSON, compact, and a readable diff between exports."""
    if not records:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n]\n"


def to_csv(rows: list[dict], columns: Iterable[str]) -> str:
    """A header and one line per row; lists joined with ';', booleans as true/false."""
    return render(rows, "csv", list(columns)) + "\n"


def parse_identities(texts: Iterable[str], file_text: str | None = None) -> dict[str, tuple[str, str]]:
    """``CODE=Name, contact`` (options, or lines of a file) as code -> (name, contact). Never stored."""
    lines = list(texts) + [
        line for line in (file_text or "").splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    identities = {}
    for line in lines:
        code, sep, who = line.partition("=")
        if not sep or not code.strip() or not who.strip():
            raise InputError(_("client identity {strip!r} is not CODE=NAME").format(strip=line.strip()),
                             _("write e.g. --client 'C014=Jane Doe, jane@example.com'"))
        name, _comma, contact = who.partition(",")
        identities[code.strip().upper()] = (name.strip(), contact.strip())
    return identities


def icf_log(journal: Journal, filters: Filters, identities: dict[str, tuple[str, str]]) -> tuple[list[dict], int]:
    """The ICF client coaching log: one row per client and individual/group, hours paid and pro bono.

    Returns the rows and how many sessions said neither paid nor pro bono (counted as pro bono,
    so that paid hours are never overstated). Clients without an identity keep their code.
    """
    clause = filter_clause(journal, Filters(kinds=("practice",), since=filters.since, until=filters.until))
    where, params = clause
    rows = journal.query(
        f"""
        SELECT coalesce(e.client_code, '') AS client,
          CASE WHEN e.format IN ('group', 'peer', 'couple', 'family') THEN 'Group' ELSE 'Individual' END AS kind,
          max(e.group_size) AS size, min(e.date) AS first, max(e.date) AS last,
          sum(CASE WHEN e.paid = 1 THEN e.minutes ELSE 0 END) AS paid,
          sum(CASE WHEN e.paid = 1 THEN 0 ELSE e.minutes END) AS pro_bono,
          sum(e.paid IS NULL) AS unknown
        FROM entries e WHERE {where}
        GROUP BY 1, 2 ORDER BY min(e.start_utc), 1, 2
        """,
        params,
    )
    log = []
    for row in rows:
        name, contact = identities.get(row["client"], (row["client"] or "(no client code)", ""))
        log.append({
            "Client Name": name,
            "Contact Information": contact,
            "Individual/Group": row["kind"],
            "Number in Group": row["size"] or (1 if row["kind"] == "Individual" else ""),
            "Start Date": row["first"],
            "End Date": row["last"],
            "Paid Hours": f"{row['paid'] / 60:.2f}",
            "Pro Bono Hours": f"{row['pro_bono'] / 60:.2f}",
        })
    return log, sum(row["unknown"] for row in rows)
