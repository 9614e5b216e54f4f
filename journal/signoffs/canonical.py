"""What a countersignature covers: a period's shared sessions in one canonical form, and its digest.

The canonical form (documented in the README's "Countersignatures" section) is the JSON array of the
period's shared sessions, each an object with ``id`` (a keyed hash of the journal id: stable across
edits, saying nothing about other entries), ``kind``, ``start`` (UTC, ``2026-03-04T09:00:00Z``),
``timezone``, ``minutes``, ``person``, ``mode``, ``format``, ``group_size`` and, when client codes
are published, ``client``; ordered by ``start`` then ``id``; serialised with sorted keys, no spaces,
UTF-8 (not ASCII-escaped). The digest is the SHA-256 of those bytes, in hex.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import sqlite3
from datetime import date

from journal.errors import InputError
from journal.rules.periods import Period, months
from journal.i18n import _

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
PERIOD_HINT = "type a month such as 2026-03, or a range such as 2026-03-01..2026-03-15"
SESSION_FIELDS = ("id", "kind", "start", "timezone", "minutes", "person", "mode", "format", "group_size")


def canonical_json(value) -> bytes:
    """Sorted keys, no spaces, UTF-8: the bytes that are hashed and signed."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def digest(sessions: list[dict]) -> str:
    """SHA-256 (hex) of the canonical JSON of ``sessions``."""
    return hashlib.sha256(canonical_json(sessions)).hexdigest()


def parse_period(text: str) -> Period:
    """``2026-03`` (a calendar month) or ``2026-03-01..2026-03-15`` (both days included)."""
    text = (text or "").strip()
    try:
        if match := MONTH.match(text):
            first = date(int(match[1]), int(match[2]), 1)
            return months(first, first)[0]
        if match := RANGE.match(text):
            start, end = date.fromisoformat(match[1]), date.fromisoformat(match[2])
            if start > end:
                raise InputError(_("the period {text} starts after it ends").format(text=text), _("swap the two dates"))
            whole = months(start, start)[0]
            if (whole.start, whole.end) == (start, end):
                return whole  # a range that is exactly one month is that month
            return Period(f"{start.isoformat()}..{end.isoformat()}", start, end)
    except ValueError:
        pass
    raise InputError(_("{text!r} is not a period").format(text=text), PERIOD_HINT)


def session_ref(salt: str, entry_id: int) -> str:
    """A session's id in the canonical form: HMAC-SHA256 of its journal id under the journal's salt."""
    return hmac.new(salt.encode("ascii"), str(entry_id).encode("ascii"), hashlib.sha256).hexdigest()[:16]


def identity(conn: sqlite3.Connection, schema: str = "main") -> tuple[str, str]:
    """The journal's (id, salt): who the practitioner is to a signature, and the key of session ids."""
    row = conn.execute(f"SELECT id, salt FROM {schema}.journal_identity").fetchone()
    return row[0], row[1]


def period_sessions(conn: sqlite3.Connection, period: Period, *, client_codes: bool,
                    schema: str = "main") -> list[dict]:
    """The shared sessions of ``period`` in canonical form, each with its journal id under ``_entry``
    and its local date under ``_date`` (dropped by :func:`canonical`). ``schema`` names the attached journal when it is not ``main``."""
    from journal.supervisor.published import PUBLISHED_SESSIONS

    _, salt = identity(conn, schema)
    cursor = conn.execute(
        f"SELECT e.id, e.date, e.kind, e.start_utc, e.tz, e.minutes, "
        f"CASE WHEN e.kind = 'practice' THEN NULL ELSE p.name END, e.mode, "
        f"CASE WHEN e.kind = 'therapy' THEN NULL ELSE e.format END, "
        f"CASE WHEN e.kind = 'therapy' THEN NULL ELSE e.group_size END, "
        f"CASE WHEN e.kind = 'practice' THEN e.client_code END "
        f"FROM {schema}.entries e LEFT JOIN {schema}.people p ON p.id = e.person_id "
        f"WHERE {PUBLISHED_SESSIONS} AND e.date BETWEEN ? AND ?",  # its columns are the entries' alone
        (period.start.isoformat(), period.end.isoformat()))
    sessions = []
    for entry_id, day, kind, start, zone, minutes, person, mode, fmt, size, client in cursor:
        session = {"_entry": entry_id, "_date": day, "id": session_ref(salt, entry_id), "kind": kind, "start": start,
                   "timezone": zone, "minutes": minutes, "person": person, "mode": mode, "format": fmt,
                   "group_size": size}
        if client_codes:
            session["client"] = client
        sessions.append(session)
    return sorted(sessions, key=lambda s: (s["start"], s["id"]))


def canonical(sessions: list[dict]) -> list[dict]:
    """``sessions`` without the journal's own ids: exactly what is hashed."""
    return [{key: value for key, value in s.items() if not key.startswith("_")} for s in sessions]


def totals(sessions: list[dict], credit_sql: str, conn: sqlite3.Connection | None = None) -> dict:
    """The figures the supervisor sees beside a period: hours per kind and credited supervision.

    ``credit_sql`` is the practitioner's monthly rule's credit expression over ``e.minutes``,
    ``e.format`` and ``e.group_size`` (:data:`journal.rules.data.CREDIT_SQL`).
    """
    hours: dict[str, float] = {}
    for s in sessions:
        hours[s["kind"]] = hours.get(s["kind"], 0) + s["minutes"]
    scratch = conn or sqlite3.connect(":memory:")
    supervision = [(s["minutes"], s["format"], s["group_size"]) for s in sessions if s["kind"] == "supervision"]
    credited = sum(scratch.execute(
        f"SELECT {credit_sql} FROM (SELECT ? AS minutes, ? AS format, ? AS group_size) e", row).fetchone()[0]
        for row in supervision)
    return {"hours": {kind: round(minutes / 60, 2) for kind, minutes in sorted(hours.items())},
            "credited_supervision_hours": round(credited / 60, 2)}


def differences(signed: list[dict], current: list[dict]) -> list[dict]:
    """Each session ``added``, ``edited`` or ``removed`` since signing, by its canonical id."""
    before = {s["id"]: s for s in signed}
    after = {s["id"]: s for s in canonical(current)}
    changes = [{"id": ref, "change": "removed", "session": before[ref]} for ref in before if ref not in after]
    for ref, session in after.items():
        if ref not in before:
            changes.append({"id": ref, "change": "added", "session": session})
        elif session != before[ref]:
            changes.append({"id": ref, "change": "edited", "session": session})
    return sorted(changes, key=lambda c: (c["session"]["start"], c["id"]))
