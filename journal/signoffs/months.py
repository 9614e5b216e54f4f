"""What each month's countersignature reads as, everywhere (`journal check`, the statement, the trust page).

Kept apart from :mod:`journal.signoffs.store` so that a journal without signatures in the range
never loads the signature machinery (and its cryptography): `journal check` reads this on every run.
"""

from __future__ import annotations

from datetime import date

from journal.db import Journal
from journal.i18n import N_, _
from journal.rules.periods import month_end

STATE_WORDS = {
    "valid": N_("countersigned by {supervisor} on {day}"),
    "changed": N_("changed since countersigned by {supervisor} on {day}"),
    "withdrawn": N_("countersignature withdrawn by {supervisor}"),
    "invalid": N_("countersignature by {supervisor} does not verify"),
}
AWAITING = N_("awaiting countersignature")


def state_text(signoff: dict) -> str:
    return _(STATE_WORDS[signoff["status"]]).format(supervisor=signoff["supervisor"], day=signoff["signed_at"][:10])


# The months holding published sessions, met one month at a time through the date index: each step jumps to
# the first live entry of a later month, and a month is kept once one of its entries is published.
_PUBLISHED_MONTHS = """
    WITH RECURSIVE months(month) AS (
        SELECT substr(min(date), 1, 7) FROM entries INDEXED BY entries_live_date
        WHERE deleted_at IS NULL AND date BETWEEN :low AND :high
        UNION ALL
        SELECT (SELECT substr(min(date), 1, 7) FROM entries INDEXED BY entries_live_date
                WHERE deleted_at IS NULL AND date >= date(month || '-01', '+1 month') AND date <= :high)
        FROM months WHERE month IS NOT NULL)
    SELECT month FROM months WHERE month IS NOT NULL AND EXISTS (
        SELECT 1 FROM entries INDEXED BY entries_live_date
        WHERE date >= max(month || '-01', :low) AND date < date(month || '-01', '+1 month') AND date <= :high
        AND {published})"""


def month_states(journal: Journal, first: date | None, last: date | None, today: date) -> list[dict]:
    """Each calendar month from ``first`` to ``last`` that holds shared sessions or a signature:
    its signatures' states, or ``awaiting countersignature`` once it has ended."""
    from journal.supervisor.published import PUBLISHED_SESSIONS

    low, high = (first or date.min).isoformat(), (last or date.max).isoformat()
    months = {m for (m,) in journal.execute(_PUBLISHED_MONTHS.format(published=PUBLISHED_SESSIONS),
                                            {"low": low, "high": high})}
    signed: dict[str, list[dict]] = {}
    for signoff in _signoffs(journal, low, high):
        if signoff["period_start"] <= high and signoff["period_end"] >= low:
            signed.setdefault(signoff["period"], []).append(signoff)
    ends = {month: month_end(date.fromisoformat(f"{month}-01")) for month in months}
    for signoff in (s for found in signed.values() for s in found):
        months -= {m for m in months if signoff["period_start"] <= f"{m}-01"
                   and signoff["period_end"] >= ends[m].isoformat()}
    states = [{"period": period, "state": s["status"], "supervisor": s["supervisor"], "signed_at": s["signed_at"],
               "text": state_text(s)} for period, found in signed.items() for s in found]
    states += [{"period": month, "state": "awaiting", "supervisor": None, "signed_at": None,
                "text": _(AWAITING)}
               for month in months if ends[month] < today]
    return sorted(states, key=lambda s: (s["period"], s["signed_at"] or ""))


def _signoffs(journal: Journal, low: str, high: str) -> list[dict]:
    """The judged countersignatures, read only when some signature's period meets ``low`` to ``high``."""
    if journal.execute("SELECT 1 FROM signoffs WHERE period_start <= ? AND period_end >= ? LIMIT 1",
                       (high, low)).fetchone() is None:
        return []
    from journal.signoffs.store import statuses

    return statuses(journal)
