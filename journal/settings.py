"""Journal settings (time zone, date order, practitioner name, training start, profiles)."""

from __future__ import annotations

from journal.db import Journal
from journal.errors import InputError
from journal.i18n import N_, _

KNOWN_SETTINGS = {
    "timezone": N_("IANA time zone for dates, e.g. Europe/London (default: the system's)"),
    "date_order": N_("dmy or mdy: how 03/04/2026 is read (default: dmy)"),
    "practitioner": N_("your name as it appears on supervisor reports and statements"),
    "training_start": N_("where twelve-month periods start, e.g. 2024-09-16 or 16/09/2024"),
    "qualified_on": N_("your qualification date, e.g. 2025-07-01 (BACP accreditation counts hours after it)"),
    "week_start": N_("monday or sunday: where weeks start in reports and rules (default: monday)"),
    "profiles": N_("comma-separated requirement profiles that `journal check` uses by default"),
    "language": N_("en or fr: the language of everything you read, reports and statements included "
                   "(default: from $LC_ALL, $LC_MESSAGES or $LANG)"),
}


def get_setting(journal: Journal, key: str, default: str | None = None) -> str | None:
    row = journal.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def all_settings(journal: Journal) -> dict[str, str]:
    return dict(journal.execute("SELECT key, value FROM settings ORDER BY key").fetchall())


def set_setting(journal: Journal, key: str, value: str | None) -> None:
    """Store (or with ``None`` remove) a setting; the caller holds the transaction."""
    if key not in KNOWN_SETTINGS:
        raise InputError(_("unknown setting {key!r}").format(key=key), _("known: {names}").format(names=", ".join(KNOWN_SETTINGS)))
    if value is None:
        journal.execute("DELETE FROM settings WHERE key = ?", (key,))
    else:
        journal.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
