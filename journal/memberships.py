"""Memberships of professional bodies (BACP, UKCP, a national federation...): number, dates, page.

`journal check` warns when one expires within :data:`WARN_DAYS`; the trust statement lists them.
"""

from __future__ import annotations

from datetime import date, timedelta

from journal.db import Journal
from journal.errors import InputError, JournalError
from journal.i18n import _

WARN_DAYS = 30


def parse_day(text: str | None, option: str, zone, dayfirst: bool = True) -> str | None:
    """A date given to ``option`` in the journal's date grammar, as YYYY-MM-DD; else a usage error."""
    if text is None:
        return None
    from journal.dates import parse_day as parse

    try:
        return parse(text, zone, dayfirst=dayfirst).isoformat()
    except InputError:
        raise InputError(_("{option} {text!r} is not a date").format(option=option, text=text),
                         _("give it as e.g. {option} 2027-03-31 or {option} 31/03/2027").format(option=option)) from None


def add_membership(journal: Journal, body: str, number: str, *, since: str | None = None,
                   valid_until: str | None = None, url: str | None = None) -> dict:
    """Store a membership and return it."""
    body, number = " ".join((body or "").split()), " ".join((number or "").split())
    if not body or len(body) > 200:
        raise InputError(_("the professional body's name is empty or too long"), _("e.g. journal membership add BACP"))
    if not number or len(number) > 100:
        raise InputError(_("the membership number is empty or too long"), _("e.g. --number 012345"))
    if since and valid_until and since > valid_until:
        raise InputError(_("--since {since} is after --valid-until {valid_until}").format(since=since, valid_until=valid_until), _("check the two dates"))
    if url is not None and not url.startswith(("https://", "http://")):
        raise InputError(_("{url!r} is not a web address").format(url=url), _("give the register's page, e.g. https://www.bacp.co.uk/..."))
    from journal.entries import now_utc_text  # kept off `journal check`, which reads the expiry warnings

    with journal.transaction():
        membership_id = journal.execute(
            "INSERT INTO memberships(body, number, since, valid_until, url, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (body, number, since, valid_until, url, now_utc_text())).lastrowid
    return get_membership(journal, membership_id)


def get_membership(journal: Journal, membership_id: int) -> dict:
    rows = journal.query("SELECT id, body, number, since, valid_until, url FROM memberships WHERE id = ?",
                         (membership_id,))
    if not rows:
        raise JournalError(_("no membership with id {membership_id}").format(membership_id=membership_id), _("`journal membership list` shows the ids"))
    return rows[0]


def list_memberships(journal: Journal, today: date) -> list[dict]:
    """Every membership with its state on ``today``: valid, expiring (within 30 days) or expired."""
    rows = journal.query("SELECT id, body, number, since, valid_until, url FROM memberships "
                         "ORDER BY valid_until IS NULL, valid_until DESC, body")
    return [{**row, "state": membership_state(row, today)} for row in rows]


def membership_state(row: dict, today: date) -> str:
    if not row["valid_until"]:
        return "valid"
    until = date.fromisoformat(row["valid_until"])
    if until < today:
        return "expired"
    return "expiring" if until <= today + timedelta(days=WARN_DAYS) else "valid"


def remove_membership(journal: Journal, membership_id: int) -> dict:
    """Delete a membership and return what was deleted."""
    record = get_membership(journal, membership_id)
    with journal.transaction():
        journal.execute("DELETE FROM memberships WHERE id = ?", (membership_id,))
    return record


def expiry_warnings(journal: Journal, today: date) -> list[str]:
    """One line per membership that has expired or expires within 30 days of ``today``."""
    lines = []
    for row in list_memberships(journal, today):
        until = row["valid_until"]
        if row["state"] == "expired":
            lines.append(f"your {row['body']} membership ({row['number']}) expired on {until}; renew it, then "
                         f"`journal membership remove {row['id']}` and add the new one")
        elif row["state"] == "expiring":
            days = (date.fromisoformat(until) - today).days
            lines.append(f"your {row['body']} membership ({row['number']}) expires on {until}, in {days} day"
                         f"{'s' if days != 1 else ''}; renew it in time")
    return lines
