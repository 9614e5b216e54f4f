"""A running session, Watson-style: `journal start` begins it, `journal stop` logs it.

The session is one row of the ``running`` table (migration 0011), so it survives a closed
terminal and a reboot, and `stop` logs it and removes the row in one transaction: it can never
be logged twice nor lost. Its options are checked at the start exactly as `journal log` checks
them, so that stopping cannot fail on something typed an hour earlier.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from journal.dates import from_utc_text, to_utc_text
from journal.db import Journal
from journal.durations import MAX_MINUTES, format_minutes
from journal.entries import SessionInput, add_session, check_client_code, now_utc_text, validate_session
from journal.errors import InputError, JournalError
from journal.i18n import _
from journal.kinds import kind_word
from journal.names import ConfirmSimilar, resolve_person

# The SessionInput fields kept in ``running.details``; kind and start have columns of their own.
_DETAILS = ("person", "mode", "format", "group_size", "client", "setting", "paid", "title", "note",
            "tags", "shared", "card")


@dataclass(frozen=True)
class Running:
    """The session under way: what `journal status` shows and `journal stop` logs."""

    kind: str
    start: datetime  # aware, in the zone it was started in
    details: dict

    def minutes_until(self, end: datetime) -> int:
        """Whole minutes from the start to ``end``, rounded down: the session logged never ends after
        ``end`` (one that ends later would still be planned, not counted)."""
        return int((end - self.start).total_seconds() // 60)

    def describe(self, now: datetime) -> str:
        """``therapy with Dr Martin, since Tuesday 14:02 (35 min)``."""
        who = _(" with {person}").format(person=self.details["person"]) if self.details.get("person") else ""
        client = f" ({self.details['client']})" if self.details.get("client") else ""
        elapsed = max(self.minutes_until(now), 0)
        since = f"{self.start:%Y-%m-%d %H:%M}" if self.start.date() != now.astimezone(self.start.tzinfo).date() \
            else f"{self.start:%H:%M}"
        return _("{kind}{who}{client}, since {since} ({elapsed})").format(
            kind=kind_word(self.kind), who=who, client=client, since=since,
            elapsed=format_minutes(elapsed) if elapsed else _("under a minute"))

    def to_record(self, now: datetime) -> dict:
        return {"kind": self.kind, "start": self.start.isoformat(), "date": self.start.date().isoformat(),
                "elapsed_minutes": max(self.minutes_until(now), 0), "with": self.details.get("person"),
                **{key: value for key, value in self.details.items() if key != "person"}}


def running_session(journal: Journal) -> Running | None:
    """The session under way, or ``None``."""
    row = journal.execute("SELECT kind, start_utc, tz, details FROM running WHERE id = 1").fetchone()
    if row is None:
        return None
    kind, start_utc, tz, details = row
    return Running(kind, from_utc_text(start_utc, ZoneInfo(tz)), json.loads(details))


def already_running_error(running: Running, now: datetime) -> JournalError:
    return JournalError(
        _("a session is already running: {running}").format(running=running.describe(now)),
        _("`journal stop` logs it, `journal cancel` drops it"),
    )


def start_session(journal: Journal, data: SessionInput, confirm: ConfirmSimilar | None = None) -> Running:
    """Begin a session (``data.minutes`` is ignored); refused while another one runs."""
    validate_session(SessionInput(**{**asdict(data), "minutes": 1}))
    details = {key: getattr(data, key) for key in _DETAILS}
    if data.client:
        details["client"] = check_client_code(data.client)
    with journal.transaction():
        current = running_session(journal)
        if current is not None:
            raise already_running_error(current, data.at)
        if data.person:
            person_id = resolve_person(journal, data.person, confirm)
            details["person"] = journal.execute("SELECT name FROM people WHERE id = ?", (person_id,)).fetchone()[0]
        journal.execute(
            "INSERT INTO running(id, kind, start_utc, tz, details, created_at) VALUES (1, ?, ?, ?, ?, ?)",
            (data.kind, to_utc_text(data.at), str(data.at.tzinfo), json.dumps(details, ensure_ascii=False),
             now_utc_text()),
        )
    return running_session(journal)


def nothing_running_error() -> JournalError:
    return JournalError(_("no session is running"),
                        _("start one with `journal start KIND`, e.g. journal start therapy"))


def stop_session(journal: Journal, end: datetime) -> dict:
    """Log the running session from its start to ``end`` and forget it, in one transaction."""
    with journal.transaction():
        running = running_session(journal)
        if running is None:
            raise nothing_running_error()
        minutes = running.minutes_until(end)
        if minutes < 1:
            raise InputError(
                _("the session would end at {end}, before a minute had passed since its start ({start})").format(
                    end=f"{end:%Y-%m-%d %H:%M}", start=f"{running.start:%Y-%m-%d %H:%M}"),
                _("give a later --at, or `journal cancel` to drop it"),
            )
        if minutes > MAX_MINUTES:
            raise InputError(
                _("the session has been running since {start}, over 24 hours ({duration}); nothing was logged").format(
                    start=f"{running.start:%Y-%m-%d %H:%M}", duration=format_minutes(minutes)),
                _("give its real end with `journal stop --at WHEN`, or `journal cancel`"),
            )
        details = running.details
        record = add_session(journal, SessionInput(
            kind=running.kind, minutes=minutes, at=running.start,
            **{key: details.get(key) for key in _DETAILS if key not in ("tags", "shared")},
            tags=details.get("tags") or [], shared=details.get("shared", True),
        ))
        journal.execute("DELETE FROM running WHERE id = 1")
    return record


def cancel_session(journal: Journal) -> Running:
    """Drop the running session without logging it; a person first named by it goes too."""
    with journal.transaction():
        running = running_session(journal)
        if running is None:
            raise nothing_running_error()
        journal.execute("DELETE FROM running WHERE id = 1")
        if running.details.get("person"):
            journal.execute(
                "DELETE FROM people WHERE name = ? AND NOT EXISTS "
                "(SELECT 1 FROM entries e WHERE e.person_id = people.id)",
                (running.details["person"],),
            )
    return running
