"""Countersignatures kept in the journal: taken in from the inbox, signed at a terminal, judged.

Signatures are never deleted: a withdrawal is kept beside the signature it withdraws. Every
public key a login ever had stays in ``supervisor_keys``, so old signatures keep verifying after
a password (and so a key) changes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from journal.db import Journal
from journal.errors import InputError, JournalError
from journal.rules.periods import Period
from journal.signoffs.canonical import (
    canonical, canonical_json, digest, identity, parse_period, period_sessions, session_ref, totals,
)
from journal.signoffs.inbox import read_inbox
from journal.signoffs.judge import Judgement, judge, read_statement
from journal.signoffs.keys import unseal
from journal.signoffs.signing import COUNTERSIGNATURE, WITHDRAWAL, Signed, countersignature, now_text, sign
from journal.i18n import _


def default_inbox(journal: Journal) -> Path:
    """The inbox `journal serve` writes to: beside the default published report."""
    from journal.signoffs.inbox import inbox_path
    from journal.supervisor.publish import default_output

    return inbox_path(default_output(journal.path))


# Keys -------------------------------------------------------------------------------------------

def key_book(journal: Journal) -> dict[str, tuple[str, str]]:
    """Every key a login ever had: fingerprint -> (login name, public key)."""
    return {fp: (name, public) for fp, name, public in
            journal.execute("SELECT fingerprint, name, public_key FROM supervisor_keys")}


def keep_key(journal: Journal, name: str, public_key: str, fingerprint: str, created_at: str) -> None:
    journal.execute("INSERT OR IGNORE INTO supervisor_keys VALUES (?, ?, ?, ?)",
                    (fingerprint, name, public_key, created_at))


# Taking signatures in ---------------------------------------------------------------------------

@dataclass
class Intake:
    signatures: int = 0
    withdrawals: int = 0
    passwords: list[str] = field(default_factory=list)  # logins whose invite was used

    def describe(self) -> str | None:
        parts = []
        if self.signatures:
            parts.append(f"{self.signatures} countersignature{'s' if self.signatures != 1 else ''}")
        if self.withdrawals:
            parts.append(f"{self.withdrawals} withdrawal{'s' if self.withdrawals != 1 else ''}")
        if self.passwords:
            parts.append("password chosen by " + ", ".join(self.passwords))
        return "Taken in from the supervisor site: " + "; ".join(parts) + "." if parts else None


def record(journal: Journal, signed: Signed, received_at: str) -> bool:
    """Keep a countersignature (whatever it says: a bad one shows as invalid); False if known."""
    statement = read_statement(signed.statement, COUNTERSIGNATURE) or {}
    period = statement.get("period") if isinstance(statement.get("period"), dict) else {}
    cursor = journal.execute(
        "INSERT OR IGNORE INTO signoffs(ref, statement, signature, period, period_start, period_end, supervisor, "
        "signed_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (signed.ref, signed.statement, signed.signature, str(period.get("name") or "?"),
         str(period.get("start") or ""), str(period.get("end") or ""), str(statement.get("supervisor") or "?"),
         str(statement.get("signed_at") or received_at), received_at))
    return cursor.rowcount == 1


def record_withdrawal(journal: Journal, signed: Signed) -> bool:
    """Attach a withdrawal to the signature it names (the first withdrawal stays)."""
    statement = read_statement(signed.statement, WITHDRAWAL) or {}
    cursor = journal.execute(
        "UPDATE signoffs SET withdrawal = ?, withdrawal_signature = ? WHERE ref = ? AND withdrawal IS NULL",
        (signed.statement, signed.signature, str(statement.get("withdraws") or "")))
    return cursor.rowcount == 1


def take_in(journal: Journal, inbox: Path | None = None) -> Intake:
    """Copy into the journal what the site's inbox holds that the journal does not have yet."""
    received, passwords = read_inbox(inbox or default_inbox(journal))
    intake = Intake()
    if not received and not passwords:
        return intake
    with journal.transaction():
        for item in received:
            if item.kind == "countersignature" and record(journal, item.signed, item.received_at):
                intake.signatures += 1
        for item in received:  # withdrawals after every signature they may name
            if item.kind == "withdrawal" and record_withdrawal(journal, item.signed):
                intake.withdrawals += 1
        for chosen in passwords:
            invite = journal.execute(
                "SELECT id FROM supervisor_invites WHERE token_hash = ? AND name = ? AND used_at IS NULL "
                "AND expires_at >= ?", (chosen.token_hash, chosen.name, chosen.set_at)).fetchone()
            if invite is None:
                continue
            journal.execute("UPDATE supervisor_invites SET used_at = ? WHERE id = ?", (chosen.set_at, invite[0]))
            journal.execute(
                "INSERT INTO supervisors(name, password_hash, created_at, fingerprint, private_key) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET password_hash = excluded.password_hash, "
                "fingerprint = excluded.fingerprint, private_key = excluded.private_key",
                (chosen.name, chosen.password_hash, chosen.set_at, chosen.fingerprint, chosen.private_key))
            keep_key(journal, chosen.name, chosen.public_key, chosen.fingerprint, chosen.set_at)
            intake.passwords.append(chosen.name)
    return intake


# Signing at a terminal --------------------------------------------------------------------------

def credit_sql(journal: Journal) -> str:
    """How the practitioner's monthly supervision rule credits a session (no rule: its minutes)."""
    from journal.rules.data import CREDIT_SQL
    from journal.supervisor.requirements import configured, monthly_line

    line = monthly_line(configured(journal))
    return CREDIT_SQL[line.credit if line else "none"]


def snapshot(journal: Journal, sessions: list[dict]) -> str:
    """Keep a period's canonical sessions under their digest (to name later changes); the digest."""
    sessions = canonical(sessions)
    value = digest(sessions)
    journal.execute("INSERT OR IGNORE INTO signoff_snapshots VALUES (?, ?)",
                    (value, canonical_json(sessions).decode("utf-8")))
    return value


def check_ended(period: Period, today: date) -> None:
    if period.end >= today:
        raise InputError(_("{name} has not ended yet (it ends on {isoformat})").format(name=period.name, isoformat=period.end.isoformat()),
                         _("countersign a period once it is over"))


def sign_period(journal: Journal, period_text: str, supervisor: str, password: str, *,
                comment: str | None = None, client_codes: bool = False, today: date) -> dict:
    """Countersign a period as ``supervisor`` (whose password unseals their key); the new signature's row."""
    from journal.settings import get_setting

    period = parse_period(period_text)
    check_ended(period, today)
    row = journal.execute("SELECT fingerprint, private_key FROM supervisors WHERE name = ?", (supervisor,)).fetchone()
    if row is None:
        known = ", ".join(r[0] for r in journal.execute("SELECT name FROM supervisors ORDER BY name")) or "none yet"
        raise JournalError(_("no supervisor login {supervisor!r}").format(supervisor=supervisor), _("known logins: {known}").format(known=known))
    if not row[1]:
        raise JournalError(_("{supervisor} has no signing key yet (the login predates countersignatures)").format(supervisor=supervisor),
                           _("set their password again: `journal supervisor invite {supervisor}`").format(supervisor=supervisor))
    private = unseal(supervisor, row[1], password)
    if private is None:
        raise JournalError(_("wrong password for {supervisor}; nothing was signed").format(supervisor=supervisor), _("type their password again"))
    sessions = period_sessions(journal.conn, period, client_codes=client_codes)
    if not sessions:
        raise JournalError(_("no shared sessions in {name}; nothing to countersign").format(name=period.name),
                           _("pick a period with shared sessions (`journal report --by month`)"))
    journal_id, _salt = identity(journal.conn)
    statement = countersignature(
        practitioner=get_setting(journal, "practitioner"), journal_id=journal_id, period=period,
        digest=digest(canonical(sessions)), sessions=len(sessions), client_codes=client_codes,
        totals=totals(sessions, credit_sql(journal), journal.conn), supervisor=supervisor, fingerprint=row[0],
        comment=comment)
    signed = sign(private, statement)
    with journal.transaction():
        snapshot(journal, sessions)
        record(journal, signed, now_text())
    return next(s for s in statuses(journal) if s["ref"] == signed.ref)


# Judging ----------------------------------------------------------------------------------------

class CurrentSessions:
    """The current canonical sessions of each period asked for, read once."""

    def __init__(self, journal: Journal):
        self.journal = journal
        self._read: dict[tuple[str, bool], list[dict]] = {}

    def sessions(self, statement: dict) -> list[dict] | None:
        try:
            period = parse_period((statement.get("period") or {}).get("name") or "")
        except InputError:
            return None
        client_codes = bool((statement.get("digest") or {}).get("client_codes"))
        key = (period.name, client_codes)
        if key not in self._read:
            self._read[key] = period_sessions(self.journal.conn, period, client_codes=client_codes)
        return self._read[key]


def _entry_ids(journal: Journal, refs: set[str], current: list[dict]) -> dict[str, int]:
    """Journal ids of sessions named by their canonical id (a removed one is looked up by its hash)."""
    found = {s["id"]: s["_entry"] for s in current if s["id"] in refs}
    missing = refs - set(found)
    if missing:
        _journal_id, salt = identity(journal.conn)
        for (entry_id,) in journal.execute("SELECT id FROM entries WHERE kind <> 'reflection'"):
            if (ref := session_ref(salt, entry_id)) in missing:
                found[ref] = entry_id
    return found


def statuses(journal: Journal) -> list[dict]:
    """One row per countersignature, oldest period first, with its status and what changed."""
    keys = key_book(journal)
    journal_id, _salt = identity(journal.conn)
    periods = CurrentSessions(journal)
    rows = journal.query("SELECT s.*, n.sessions AS snapshot FROM signoffs s LEFT JOIN signoff_snapshots n "
                         "ON n.digest = json_extract(CASE WHEN json_valid(s.statement) THEN s.statement END, "
                         "'$.digest.value') ORDER BY s.period_start, s.signed_at, s.id")
    listed = []
    for row in rows:
        statement = read_statement(row["statement"], COUNTERSIGNATURE) or {}
        current = periods.sessions(statement) if statement else None
        withdrawal = Signed(row["withdrawal"], row["withdrawal_signature"]) if row["withdrawal"] else None
        verdict = judge(Signed(row["statement"], row["signature"]), key_of=keys.get, journal_id=journal_id,
                        current=current, signed_sessions=json.loads(row["snapshot"]) if row["snapshot"] else None,
                        withdrawal=withdrawal)
        ids = _entry_ids(journal, {c["id"] for c in verdict.changes}, current or [])
        listed.append(_row(row, verdict, ids))
    return listed


def _row(row: dict, verdict: Judgement, ids: dict[str, int]) -> dict:
    statement = verdict.statement
    withdrawn = verdict.withdrawal or {}
    return {
        "period": row["period"],
        "supervisor": row["supervisor"],
        "fingerprint": statement.get("fingerprint"),
        "signed_at": row["signed_at"],
        "digest": (statement.get("digest") or {}).get("value"),
        "comment": statement.get("comment"),
        "status": verdict.status,
        "changes": [{"id": ids.get(c["id"]), "ref": c["id"], "change": c["change"], "kind": c["session"]["kind"],
                     "start": c["session"]["start"]} for c in verdict.changes],
        "problem": verdict.problem,
        "withdrawn_at": withdrawn.get("withdrawn_at"),
        "reason": withdrawn.get("reason"),
        "ref": row["ref"],
        "period_start": row["period_start"],
        "period_end": row["period_end"],
    }


def touched(journal: Journal, dates: Iterable[str]) -> list[str]:
    """Warnings for a change on ``dates`` (local ISO dates) inside countersigned periods."""
    days = sorted(set(dates))
    found = journal.query("SELECT period, supervisor, signed_at, period_start, period_end FROM signoffs "
                          "WHERE withdrawal IS NULL AND period_start <= ? AND period_end >= ? "
                          "ORDER BY period_start, signed_at", (days[-1], days[0])) if days else []
    return [f"in {row['period']}, countersigned by {row['supervisor']} on {row['signed_at'][:10]}; "
            "the countersignature will show as changed"
            for row in found if any(row["period_start"] <= day <= row["period_end"] for day in days)]
