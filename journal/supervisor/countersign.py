"""Countersigning on the site: the months a supervisor may sign, signing, withdrawing, invites.

What the journal knew when it published (``signable_months``, ``countersignatures``) is read from
the published file; what supervisors did since is read from the inbox, which the server writes.
A signature is made only here, with the signed-in supervisor's own key, unsealed by the password
they type; a wrong password signs nothing and counts towards the sign-in throttle's delays.
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone

from journal.errors import InputError
from journal.i18n import _
from journal.kinds import SESSION_KINDS, kind_label
from journal.signoffs.canonical import parse_period
from journal.signoffs.inbox import Received, read_inbox
from journal.signoffs.judge import read_statement
from journal.signoffs.keys import new_key_pair, unseal
from journal.signoffs.signing import COUNTERSIGNATURE, WITHDRAWAL, Signed, countersignature, sign, withdrawal
from journal.supervisor import wording
from journal.supervisor.invites import token_hash, utc_text
from journal.supervisor.logins import MIN_PASSWORD_LENGTH, check_password
from journal.supervisor.pages import format_label, mode_label
from journal.supervisor.passwords import hash_password
from journal.supervisor.site import Site

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass
class Outcome:
    status: int  # the HTTP status of the page that says so
    message: str
    done: bool = False


def _rows(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def received(site: Site) -> list[Received]:
    return read_inbox(site.inbox.path)[0] if site.inbox else []


def signatures(conn: sqlite3.Connection, since: list[Received], period: str | None = None) -> list[dict]:
    """Every countersignature the site knows (of ``period``, if given), newest first: those the
    journal published, then those made here since, and withdrawals made here since."""
    listed = {row["ref"]: row for row in _rows(conn, "SELECT * FROM countersignatures")}
    digests = {row["period"]: row["digest"] for row in _rows(conn, "SELECT period, digest FROM signable_months")}
    for item in since:
        if item.kind == "countersignature" and item.signed.ref not in listed:
            statement = read_statement(item.signed.statement, COUNTERSIGNATURE) or {}
            name = statement.get("period", {}).get("name")
            listed[item.signed.ref] = {
                "ref": item.signed.ref, "period": name, "supervisor": statement.get("supervisor"),
                "fingerprint": statement.get("fingerprint"), "signed_at": statement.get("signed_at"),
                "comment": statement.get("comment"), "digest": statement.get("digest", {}).get("value"),
                "status": "valid" if digests.get(name) == statement.get("digest", {}).get("value") else "changed",
                "withdrawn_at": None, "reason": None,
                "statement": item.signed.statement, "signature": item.signed.signature}
    for item in since:
        withdrawn = read_statement(item.signed.statement, WITHDRAWAL) if item.kind == "withdrawal" else None
        if withdrawn and withdrawn.get("withdraws") in listed:
            listed[withdrawn["withdraws"]].update(status="withdrawn", withdrawn_at=withdrawn.get("withdrawn_at"),
                                                  reason=withdrawn.get("reason"))
    found = [row for row in listed.values() if period is None or row["period"] == period]
    return sorted(found, key=lambda row: (row["period"] or "", row["signed_at"] or ""), reverse=True)


def signed_by(rows: list[dict], supervisor: str) -> set[str]:
    """The periods ``supervisor`` holds a current (valid) signature for."""
    return {row["period"] for row in rows if row["supervisor"] == supervisor and row["status"] == "valid"}


def month_states(conn: sqlite3.Connection, since: list[Received]) -> dict[str, dict]:
    """Each month's countersignature state as the report shows it, newest first: the signatures
    (countersigned, changed since, withdrawn) or, for an ended month with shared sessions, awaiting."""
    states: dict[str, dict] = {row["period"]: {"period": row["period"], "signatures": [], "awaiting": True}
                               for row in _rows(conn, "SELECT period FROM signable_months ORDER BY period DESC")}
    for row in signatures(conn, since):
        entry = states.setdefault(row["period"], {"period": row["period"], "signatures": [], "awaiting": False})
        entry["signatures"].append(row)
        if row["status"] == "valid":
            entry["awaiting"] = False
    return dict(sorted(states.items(), reverse=True))


def month_view(conn: sqlite3.Connection, since: list[Received], month: str, actor: str | None) -> dict | None:
    """One month: its shared sessions, totals, signatures, and whether ``actor`` may sign it now."""
    signable = _rows(conn, "SELECT * FROM signable_months WHERE period = ?", (month,))
    sessions = _rows(conn, "SELECT date, kind, minutes, counterpart, mode, format, group_size FROM sessions "
                           "WHERE month = ? ORDER BY date, id", (month,))
    if not signable and not sessions:
        return None
    rows = signatures(conn, since, month)
    totals = json.loads(signable[0]["totals"]) if signable else None
    if totals:
        totals["hours"] = {_(kind_label(kind)): totals["hours"][kind] for kind in SESSION_KINDS if kind in totals["hours"]}
    return {
        "month": month,
        "signable": signable[0] if signable else None,
        "totals": totals,
        "sessions": [dict(row, kind=_(kind_label(row["kind"])), how=", ".join(filter(None, (
            mode_label(row["mode"]), format_label(row["format"], row["group_size"]).lower() if row["format"] else None))))
            for row in sessions],
        "signatures": rows,
        "can_sign": bool(signable) and actor is not None and month not in signed_by(rows, actor),
        "mine": [row for row in rows if row["supervisor"] == actor and row["status"] in ("valid", "changed")],
    }


def awaiting(conn: sqlite3.Connection, since: list[Received], actor: str) -> dict:
    """The ended months with shared sessions that ``actor`` has no current signature for, newest first,
    and every signature ``actor`` made."""
    rows = signatures(conn, since)
    done = signed_by(rows, actor)
    months = [dict(row, totals=json.loads(row["totals"])) for row in
              _rows(conn, "SELECT * FROM signable_months ORDER BY period DESC") if row["period"] not in done]
    return {"awaiting": months, "mine": [row for row in rows if row["supervisor"] == actor]}


async def _unsealed(site: Site, actor: str, password: str):
    """The actor's private key when ``password`` opens it (throttled like signing in), else an Outcome."""
    login = site.logins.get(actor) if site.logins else None
    if login is None or not login.private_key:
        return Outcome(400, _("Your login has no signing key yet. Ask the practitioner for a new invite "
                              "link (`journal supervisor invite`) and choose your password there."))
    keys = [("sign", actor)]
    wait = site.throttle.attempt(keys)
    if wait:
        return Outcome(429, _("Too many wrong passwords. Try again in {wait} s. Nothing was signed.").format(wait=wait))
    private = await asyncio.to_thread(unseal, actor, login.private_key, password)
    if private is None:
        return Outcome(400, _("That is not your password. Nothing was signed."))
    site.throttle.succeeded(keys)
    return private, login


async def countersign(site: Site, db, actor: str, month: str, password: str, comment: str) -> Outcome:
    """Sign ``month`` as ``actor`` (the signed-in supervisor) and write it to the inbox."""
    if not MONTH.match(month or ""):
        return Outcome(400, _("That is not a month of this report."))
    since = received(site)

    def facts(conn):
        view = month_view(conn, since, month, actor)
        return view, _rows(conn, "SELECT practitioner FROM about")[0]["practitioner"]

    view, practitioner = await db.execute_fn(facts)
    if view is None or view["signable"] is None:
        return Outcome(400, _("This month cannot be countersigned: it has not ended, or it has no shared sessions."))
    if not view["can_sign"]:
        return Outcome(409, _("You have already countersigned this month as it stands."))
    unsealed = await _unsealed(site, actor, password)
    if isinstance(unsealed, Outcome):
        return unsealed
    private, login = unsealed
    row = view["signable"]
    statement = countersignature(
        practitioner=practitioner, journal_id=row["journal"], period=parse_period(month), digest=row["digest"],
        sessions=row["sessions"], client_codes=bool(row["client_codes"]), totals=json.loads(row["totals"]),
        supervisor=actor, fingerprint=login.fingerprint, comment=comment)
    site.inbox.add("countersignature", sign(private, statement))
    return Outcome(200, _("You countersigned {month}. The practitioner's journal takes your signature in "
                          "the next time they run it.").format(month=wording.month(month)), done=True)


async def withdraw(site: Site, db, actor: str, ref: str, password: str, reason: str) -> tuple[Outcome, str | None]:
    """Withdraw ``actor``'s own signature ``ref`` with ``reason``; returns the outcome and its month."""
    since = received(site)
    rows = await db.execute_fn(lambda conn: signatures(conn, since))
    mine = next((row for row in rows if row["ref"] == ref and row["supervisor"] == actor), None)
    if mine is None:
        return Outcome(404, _("There is no signature of yours by that name.")), None
    if mine["status"] == "withdrawn":
        return Outcome(409, _("You withdrew that signature already.")), mine["period"]
    if not (reason or "").strip():
        return Outcome(400, _("Give a reason: the practitioner and anyone checking the record will read it.")), mine["period"]
    unsealed = await _unsealed(site, actor, password)
    if isinstance(unsealed, Outcome):
        return unsealed, mine["period"]
    private, _login = unsealed
    signed = Signed(mine["statement"], mine["signature"])
    site.inbox.add("withdrawal", sign(private, withdrawal(signed, reason=reason)))
    return Outcome(200, _("You withdrew your countersignature of {period}. It stays on record, "
                          "marked withdrawn, with your reason.").format(period=wording.readable(mine['period'])),
                   done=True), mine["period"]


def invite_name(site: Site, token: str) -> str | None:
    """The login a usable invite link is for, else None."""
    if not token or site.logins is None or site.inbox is None:
        return None
    return site.logins.invite(token_hash(token), utc_text(datetime.now(timezone.utc)))


async def choose_password(site: Site, token: str, password: str, again: str) -> Outcome:
    """Keep the password an invite's holder chose (and their new key pair, sealed under it)."""
    name = invite_name(site, token)
    if name is None:
        return Outcome(410, _("This invite link has expired or was used already. Ask the practitioner for a new one."))
    if password != again:
        return Outcome(400, _("The two passwords differ. Type the same one twice."))
    try:
        check_password(password)
    except InputError:
        return Outcome(400, _("Choose a password of at least {count} characters (a few words work well).").format(
            count=MIN_PASSWORD_LENGTH))

    def make():
        return hash_password(password), new_key_pair(name, password)

    password_hash, pair = await asyncio.to_thread(make)
    if not site.inbox.set_password(token_hash(token), name, password_hash, pair):
        return Outcome(410, _("This invite link was used already. Ask the practitioner for a new one."))
    site.logins.changed()
    return Outcome(200, _("Your password is set, {name}. Your signing key's fingerprint is {fingerprint}; "
                          "keep a note of it. Sign in now.").format(name=name, fingerprint=pair.fingerprint), done=True)
