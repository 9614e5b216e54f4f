"""Journal settings (time zone, date order, practitioner name, training start, profiles)."""

from __future__ import annotations

from journal.db import Journal
from journal.errors import InputError

KNOWN_SETTINGS = {
    "timezone": "IANA time zone for dates, e.g. Europe/London (default: the system's)",
    "date_order": "dmy or mdy: how 03/04/2026 is read (default: dmy)",
    "practitioner": "your name as it appears on supervisor reports and statements",
    "training_start": "YYYY-MM-DD: where twelve-month periods start",
    "qualified_on": "YYYY-MM-DD: your qualification date (BACP accreditation counts hours after it)",
    "week_start": "monday or sunday: where weeks start in reports and rules (default: monday)",
    "profiles": "comma-separated requirement profiles that `journal check` uses by default",
    "language": "en or fr: the language of prompt cards, emotions and the trust statement (default: $LANG)",
}


def get_setting(journal: Journal, key: str, default: str | None = None) -> str | None:
    row = journal.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def all_settings(journal: Journal) -> dict[str, str]:
    return dict(journal.execute("SELECT key, value FROM settings ORDER BY key").fetchall())


def set_setting(journal: Journal, key: str, value: str | None) -> None:
    """Store (or with ``None`` remove) a setting; the caller holds the transaction."""
    if key not in KNOWN_SETTINGS:
        raise InputError(f"unknown setting {key!r}", "known: " + ", ".join(KNOWN_SETTINGS))
    if value is None:
        journal.execute("DELETE FROM settings WHERE key = ?", (key,))
    else:
        journal.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
